package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

const importHelp = `Usage: hearth import <format> [flags] FILE_OR_URL

Formats:
  meeting-guide   a Meeting Guide JSON feed (code4recovery's spec: TSML,
                  Google Sheet and other meeting-list sites publish one)

Run hearth import <format> --help for its flags.`

func importCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, importHelp)
		return errUsage
	}
	switch args[0] {
	case "meeting-guide":
		return importMeetingGuide(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, importHelp)
		return nil
	}
	fmt.Fprintf(stderr, "hearth import: unknown format %q\n\n%s\n", args[0], importHelp)
	return errUsage
}

const importMeetingGuideHelp = `Usage: hearth import meeting-guide --org SLUG [--timezone ZONE] [--topic alcohol]
       [--data DIR | --database-url URL] FILE_OR_URL

Imports a Meeting Guide JSON feed (a file, an http(s) URL, or - for standard
input) into an organization, created when it does not exist (named after
the feed's entity). Every meeting becomes a listed, peer-led group with one
weekly meeting, validated like any group. A row is imported whole or not at
all; rows are matched by slug inside the organization, so importing the
same feed again changes nothing. Rows with a conference link keep it public,
as the feed had it (the group publishes its link; a facilitator can turn
that off).

Each skipped row is printed with its reason, then a summary. Exit status:
0 when the feed was read (whatever was skipped is listed), 2 for unusable
input (not JSON, not an array of meetings) or a wrong command line, 1 when
the feed could not be fetched or stored.`

// Limits on fetching a feed.
const (
	maxFeedBytes = 32 << 20
	fetchTimeout = 60 * time.Second
)

func importMeetingGuide(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("import meeting-guide", importMeetingGuideHelp, getenv, stderr)
	org := fs.String("org", "", "the organization's slug (required); created when it does not exist")
	zone := fs.String("timezone", "", "IANA time zone of rows without one, like America/Chicago (most feeds have none)")
	topics := fs.String("topic", "alcohol", "the Hearth topics of every imported meeting, comma-separated")
	lang := fs.String("language", "en", "the language of rows whose types name none")
	data := fs.str("data", "./hearth-data", "folder of the SQLite database")
	dbURL := fs.str("database-url", "", "PostgreSQL URL; empty for SQLite in the data folder")
	keyFile := fs.masterKeyFile()
	// Flags may come before or after the file.
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if *org == "" || len(pos) != 1 {
		fmt.Fprintln(stderr, "hearth import meeting-guide: --org and one FILE_OR_URL are required")
		fs.Usage()
		return errUsage
	}
	body, err := readFeed(ctx, pos[0], stdin)
	if err != nil {
		return err
	}
	var topicList []string
	for _, t := range strings.Split(*topics, ",") {
		if t = strings.TrimSpace(t); t != "" {
			topicList = append(topicList, t)
		}
	}
	a, db, err := openAppKeyed(ctx, *dbURL, *data, *keyFile, nil, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	// The command line is trusted as a site administrator.
	rep, err := a.ImportMeetingGuide(ctx, hearth.Actor{SiteAdmin: true}, app.MeetingGuideImport{
		Org: *org, TimeZone: *zone, Topics: topicList, Language: *lang, Data: body})
	if rep != nil {
		printImport(stdout, rep)
	}
	return err
}

// readFeed reads a feed from a file, standard input ("-") or an http(s)
// URL, at most maxFeedBytes.
func readFeed(ctx context.Context, src string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	switch {
	case src == "-":
		r = stdin
	case strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://"):
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
		if err != nil {
			return nil, hearth.Errorf(hearth.Invalid, "%q is not a URL: %v", src, err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "Hearth/"+version+" (meeting-guide import)")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", src, err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch %s: the server answered %s", src, res.Status)
		}
		r = res.Body
	default:
		f, err := os.Open(src)
		if err != nil {
			return nil, hearth.Errorf(hearth.Invalid, "cannot read %s: %v", src, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxFeedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", src, err)
	}
	if len(b) > maxFeedBytes {
		return nil, hearth.Errorf(hearth.TooLarge, "%s is larger than %d MB; that is not a meeting feed.", src, maxFeedBytes>>20)
	}
	return b, nil
}

func printImport(w io.Writer, rep *app.ImportReport) {
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "skipped %s\n", s)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	org := fmt.Sprintf("%q", rep.Org.Slug)
	if rep.Org.Name != "" {
		org = fmt.Sprintf("%q (%s)", rep.Org.Name, rep.Org.Slug)
	}
	if rep.OrgCreated {
		org += ", created"
	}
	fmt.Fprintf(w, "Imported into %s: %d created, %d updated, %d unchanged, %d skipped.\n",
		org, rep.Created, rep.Updated, rep.Unchanged, len(rep.Skipped))
	if len(rep.NotCarried) > 0 {
		codes := make([]string, 0, len(rep.NotCarried))
		for c := range rep.NotCarried {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = fmt.Sprintf("%s (%d)", c, rep.NotCarried[c])
		}
		fmt.Fprintf(w, "Type codes Hearth has no field for, left out: %s.\n", strings.Join(parts, ", "))
	}
}
