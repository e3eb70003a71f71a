package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"strings"

	"github.com/hearth-org/hearth"
)

const adminHelp = `Usage: hearth admin <command> [flags]

Commands:
  create-user     create an account (the first site admin, say)
  add-org-admin   make an existing account an administrator of an organization
  rotate-keys     rotate the master key (new key, data keys rewrapped, no downtime)

Run hearth admin <command> --help for its flags.`

func admin(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, adminHelp)
		return errUsage
	}
	switch args[0] {
	case "create-user":
		return createUser(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "add-org-admin":
		return addOrgAdmin(ctx, args[1:], getenv, stdout, stderr)
	case "rotate-keys":
		return rotateKeys(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, adminHelp)
		return nil
	}
	fmt.Fprintf(stderr, "hearth admin: unknown command %q\n\n%s\n", args[0], adminHelp)
	return errUsage
}

const createUserHelp = `Usage: hearth admin create-user --handle H [--email E] [--site-admin] [--password-stdin]

Creates an account. Without --password-stdin it makes a strong password and
prints it once; with it, it reads the password from the first line of
standard input. The recovery code is printed once either way.`

func createUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("admin create-user", createUserHelp, getenv, stderr)
	handle := fs.String("handle", "", "the account's handle (required)")
	email := fs.String("email", "", "an email address (optional)")
	siteAdmin := fs.Bool("site-admin", false, "make the account a site administrator")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	data := fs.str("data", "./hearth-data", "folder of the SQLite database")
	dbURL := fs.str("database-url", "", "PostgreSQL URL; empty for SQLite in the data folder")
	keyFile := fs.masterKeyFile()
	if err := fs.parse(args); err != nil {
		return err
	}
	if *handle == "" {
		fmt.Fprintln(stderr, "hearth admin create-user: --handle is required")
		fs.Usage()
		return errUsage
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		b := make([]byte, 15)
		rand.Read(b)
		password, generated = strings.ToLower(base32.StdEncoding.EncodeToString(b)), true
	}
	a, db, err := openAppKeyed(ctx, *dbURL, *data, *keyFile, nil, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	u, code, err := a.CreateUser(ctx, *handle, *email, password, *siteAdmin)
	if err != nil {
		return err
	}
	role := "account"
	if u.SiteAdmin {
		role = "site admin account"
	}
	fmt.Fprintf(stdout, "Created %s %q.\n", role, u.Handle)
	if generated {
		fmt.Fprintf(stdout, "Password (shown once): %s\n", password)
	}
	fmt.Fprintf(stdout, "Recovery code (shown once): %s\n", code)
	return nil
}

const addOrgAdminHelp = `Usage: hearth admin add-org-admin --org SLUG --handle H

Makes an existing account an administrator of an organization.`

func addOrgAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("admin add-org-admin", addOrgAdminHelp, getenv, stderr)
	org := fs.String("org", "", "the organization's slug (required)")
	handle := fs.String("handle", "", "the account's handle (required)")
	data := fs.str("data", "./hearth-data", "folder of the SQLite database")
	dbURL := fs.str("database-url", "", "PostgreSQL URL; empty for SQLite in the data folder")
	keyFile := fs.masterKeyFile()
	if err := fs.parse(args); err != nil {
		return err
	}
	if *org == "" || *handle == "" {
		fmt.Fprintln(stderr, "hearth admin add-org-admin: --org and --handle are required")
		fs.Usage()
		return errUsage
	}
	a, db, err := openAppKeyed(ctx, *dbURL, *data, *keyFile, nil, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	// The command line is trusted as a site administrator.
	if err := a.AddOrgAdmin(ctx, hearth.Actor{SiteAdmin: true}, *org, *handle); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%q now administers %q.\n", hearth.NormalizeHandle(*handle), *org)
	return nil
}
