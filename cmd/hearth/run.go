package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hearth-org/hearth"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // something failed while running
	exitUsage = 2 // the command line or the input was wrong
)

const usage = `Hearth runs support groups: a directory people can search, groups they can join.

Usage:
  hearth serve [flags]              start the web server (see: hearth serve --help)
  hearth admin create-user [flags]  create an account, e.g. the first site admin
  hearth admin add-org-admin [flags] make an account an organization's administrator
  hearth admin rotate-keys [flags]  rotate the master key while Hearth runs
  hearth backup [flags] FILE        write a consistent backup while Hearth runs
  hearth restore [flags] FILE       restore a backup into an empty database
  hearth import meeting-guide [flags] FILE_OR_URL
                                    import a Meeting Guide JSON feed into an organization
  hearth safety check               read texts (one a line) on stdin, print how the
                                    crisis detector reads each (see: hearth safety --help)
  hearth version                    print the version
  hearth help                       print this help

Every flag has a HEARTH_* environment variable; flags win.
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// run is the whole program; main only calls it. It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[1] {
	case "serve":
		err = serve(ctx, args[2:], getenv, stdout, stderr)
	case "admin":
		err = admin(ctx, args[2:], getenv, stdin, stdout, stderr)
	case "backup":
		err = backupCmd(ctx, args[2:], getenv, stdout, stderr)
	case "restore":
		err = restoreCmd(ctx, args[2:], getenv, stdout, stderr)
	case "import":
		err = importCmd(ctx, args[2:], getenv, stdin, stdout, stderr)
	case "safety":
		err = safetyCmd(ctx, args[2:], stdin, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "hearth", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "hearth: unknown command %q\n\n%s", args[1], usage)
		return exitUsage
	}
	return exitCode(err, stderr)
}

// errUsage marks a command line that could not be understood; the flag
// package has already said why.
var errUsage = errors.New("usage")

func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		return exitUsage
	}
	if e := hearth.AsError(err); e != nil && e.Kind != hearth.Internal {
		fmt.Fprintln(stderr, "hearth:", e.Message)
		for _, f := range e.Fields {
			fmt.Fprintf(stderr, "  %s: %s\n", f.Field, f.Message)
		}
		if e.Kind == hearth.Invalid || e.Kind == hearth.Conflict || e.Kind == hearth.NotFound {
			return exitUsage
		}
		return exitError
	}
	fmt.Fprintln(stderr, "hearth:", err)
	return exitError
}

// flagSet makes a flag set whose defaults come from HEARTH_* variables.
type flagSet struct {
	*flag.FlagSet
	getenv func(string) string
}

func newFlagSet(name, help string, getenv func(string) string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return &flagSet{FlagSet: fs, getenv: getenv}
}

func envName(flagName string) string {
	return "HEARTH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *flagSet) str(name, def, help string) *string {
	if v := f.getenv(envName(name)); v != "" {
		def = v
	}
	return f.String(name, def, help+" ("+envName(name)+")")
}

func (f *flagSet) boolean(name string, def bool, help string) *bool {
	switch strings.ToLower(f.getenv(envName(name))) {
	case "1", "true", "yes", "on":
		def = true
	case "0", "false", "no", "off":
		def = false
	}
	return f.Bool(name, def, help+" ("+envName(name)+")")
}

func (f *flagSet) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if f.NArg() > 0 {
		fmt.Fprintf(f.Output(), "unexpected argument %q\n", f.Arg(0))
		f.Usage()
		return errUsage
	}
	return nil
}
