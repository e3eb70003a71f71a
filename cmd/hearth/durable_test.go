package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func TestServeRefusesPostgresWithoutDurableCommits(t *testing.T) {
	base, dir := sqldbtest.URL(t, sqldb.Postgres)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.RawQuery += "&options=-c%20synchronous_commit%3Doff"
	code, out, e := runCmd(t, map[string]string{"HEARTH_DATA": dir, "HEARTH_DATABASE_URL": u.String(), "HEARTH_ADDR": "127.0.0.1:0"}, "", "serve")
	if code != 1 || !strings.Contains(e, "synchronous_commit is off") || !strings.Contains(e, "lost in a crash") || strings.Contains(out, "running") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out, e)
	}
}
