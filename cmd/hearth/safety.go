package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hearth-org/hearth/internal/safety"
)

const safetyHelp = `Usage: hearth safety check < FILE

Reads texts on standard input, one a line, and prints for each how Hearth's
crisis detector reads it, one JSON object a line, in the same order:

  {"tier":3,"crisis":true,"categories":["suicidal","imminent"],"language":"es"}

tier: 0 nothing, 1 distress, 2 suicidal or self-harm ideation, 3 imminent (a
plan, means, a time, goodbyes, an act under way). crisis: tier 2 or more, or
danger from another person. categories: distress, suicidal, self_harm,
imminent, danger_from_others. language: en or es.

A blank line prints a tier-0 object, so output line N is always input line N
(paste the two side by side). Nothing is stored or sent anywhere; the
detector runs on this machine. Exit status: 0 when the input was read, 2 for
a wrong command line, 1 when standard input or output failed.`

func safetyCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, safetyHelp)
		return errUsage
	}
	switch args[0] {
	case "check":
		for _, a := range args[1:] {
			if a == "-h" || a == "-help" || a == "--help" {
				fmt.Fprintln(stdout, safetyHelp)
				return nil
			}
		}
		if len(args) > 1 {
			fmt.Fprintf(stderr, "hearth safety check: unexpected argument %q (texts come on standard input)\n\n%s\n", args[1], safetyHelp)
			return errUsage
		}
		return safetyCheck(ctx, stdin, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, safetyHelp)
		return nil
	}
	fmt.Fprintf(stderr, "hearth safety: unknown command %q\n\n%s\n", args[0], safetyHelp)
	return errUsage
}

// checkLine is one line of `hearth safety check` output: the four fields
// issue 4 fixes, nothing else.
type checkLine struct {
	Tier       int      `json:"tier"`
	Crisis     bool     `json:"crisis"`
	Categories []string `json:"categories"`
	Language   string   `json:"language"`
}

func safetyCheck(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	in := bufio.NewReaderSize(stdin, 64<<10)
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := in.ReadString('\n')
		if line == "" && err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("reading standard input: %w", err)
		}
		text := strings.TrimRight(line, "\r\n")
		a := safety.Assessment{Language: "en"}
		if strings.TrimSpace(text) != "" {
			a = safety.Assess(text)
		}
		cats := a.Categories
		if cats == nil {
			cats = []string{}
		}
		if err := enc.Encode(checkLine{Tier: a.Tier, Crisis: a.Crisis, Categories: cats, Language: a.Language}); err != nil {
			return fmt.Errorf("writing standard output: %w", err)
		}
		// Answer at once when someone types lines by hand; batch when piped.
		if in.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return fmt.Errorf("writing standard output: %w", err)
			}
		}
		if err != nil {
			break
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing standard output: %w", err)
	}
	return nil
}
