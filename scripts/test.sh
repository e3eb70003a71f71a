#!/usr/bin/env bash
# scripts/test.sh — the one command that runs every Hearth test.
#
# On a fresh Debian machine with Go it installs what the tests need (Chromium
# and fonts, Node.js/npm, a PostgreSQL server if none answers on
# 127.0.0.1:5432, a NATS server if none answers on 127.0.0.1:4222, the e2e/
# npm packages), then runs gofmt, go vet and
# `go test -count=1 ./...` (which includes the browser test in e2e/).
# It is idempotent and quick when everything is already installed.
#
# Usage:
#   ./scripts/test.sh                 install what is missing, then run all checks
#   ./scripts/test.sh --install-only  only install what is missing
#
# Environment (all optional):
#   HEARTH_TEST_DATABASE_URL  PostgreSQL for the Go tests
#                             (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable;
#                             when you set it yourself, no database is provisioned)
#   HEARTH_TEST_NATS_URL      NATS for the live-room tests across processes
#                             (default nats://127.0.0.1:4222; started when nothing answers)
#   HEARTH_CHROMIUM           Chromium binary (default /usr/bin/chromium)
#   HEARTH_E2E_OUT            keep the browser test's screenshots in this directory
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

INSTALL_ONLY=0
for arg in "$@"; do
	case "$arg" in
	--install-only) INSTALL_ONLY=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "scripts/test.sh: unknown argument: $arg (try --help)" >&2
		exit 2
		;;
	esac
done

START=$SECONDS
step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
	printf '\nscripts/test.sh: FAILED: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- privileges
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo)
	fi
fi
as_root() {
	if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
		die "need root (or sudo) to run: $*"
	fi
	"${SUDO[@]}" "$@"
}

# ---------------------------------------------------------------- apt helpers
APT_UPDATED=0
pkg_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
apt_install() {
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: $*"
	if [ "$APT_UPDATED" -eq 0 ]; then
		info "apt-get update"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		APT_UPDATED=1
	fi
	info "apt-get install $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# ---------------------------------------------------------------- install
step "Checking system packages"
command -v go >/dev/null 2>&1 || die "go is not on PATH (install Go 1.26+ first)"
info "$(go version)"

MISSING=()
[ -x /usr/bin/chromium ] || MISSING+=(chromium)
for p in fonts-liberation fonts-dejavu-core; do
	pkg_installed "$p" || MISSING+=("$p")
done
command -v node >/dev/null 2>&1 || MISSING+=(nodejs)
command -v npm >/dev/null 2>&1 || MISSING+=(npm)
command -v pg_isready >/dev/null 2>&1 || MISSING+=(postgresql-client)
[ -x /usr/sbin/nats-server ] || command -v nats-server >/dev/null 2>&1 || MISSING+=(nats-server)
if [ ${#MISSING[@]} -gt 0 ]; then
	apt_install "${MISSING[@]}"
else
	info "chromium, fonts, node, npm, postgresql-client, nats-server: already installed"
fi
info "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: version unknown')"
info "node $(node --version), npm $(npm --version 2>/dev/null)"

# ---------------------------------------------------------------- PostgreSQL
step "Checking PostgreSQL on 127.0.0.1:5432"
DEFAULT_DB_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
DB_URL_FROM_USER=0
if [ -n "${HEARTH_TEST_DATABASE_URL:-}" ]; then
	DB_URL_FROM_USER=1
fi
export HEARTH_TEST_DATABASE_URL="${HEARTH_TEST_DATABASE_URL:-$DEFAULT_DB_URL}"

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		as_root -u postgres "$@"
	fi
}

if [ "$DB_URL_FROM_USER" -eq 1 ]; then
	info "HEARTH_TEST_DATABASE_URL is set by the caller; not provisioning a database"
elif pg_up; then
	info "a server is accepting connections"
else
	if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
		apt_install postgresql
	fi
	for dir in /etc/postgresql/*/main; do
		ver=$(basename "$(dirname "$dir")")
		info "pg_ctlcluster --skip-systemctl-redirect $ver main start"
		as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
	done
	for _ in $(seq 1 30); do
		pg_up && break
		sleep 1
	done
	pg_up || die "PostgreSQL is still not accepting connections on 127.0.0.1:5432"
	info "a server is accepting connections"
fi

if [ "$DB_URL_FROM_USER" -eq 0 ]; then
	if psql "$HEARTH_TEST_DATABASE_URL" -qtAc 'select 1' >/dev/null 2>&1; then
		info "database 'test' reachable as user postgres"
	else
		# Usually a freshly installed cluster: create the database over the
		# local socket (peer auth) and, if the TCP login still fails, trust
		# loopback connections — this is a throwaway test server.
		info "provisioning database 'test' for user postgres"
		if ! as_postgres psql -qtAc "select 1 from pg_database where datname = 'test'" | grep -q 1; then
			as_postgres createdb -O postgres test
		fi
		if ! psql "$HEARTH_TEST_DATABASE_URL" -qtAc 'select 1' >/dev/null 2>&1; then
			for hba in /etc/postgresql/*/main/pg_hba.conf; do
				[ -f "$hba" ] || continue
				if ! as_root grep -q '^# hearth-test: trust loopback' "$hba"; then
					info "trusting loopback TCP logins in $hba"
					as_root sed -i '1i # hearth-test: trust loopback\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
				fi
			done
			as_postgres psql -qtAc 'select pg_reload_conf()' >/dev/null
			sleep 1
		fi
		psql "$HEARTH_TEST_DATABASE_URL" -qtAc 'select 1' >/dev/null ||
			die "cannot connect to $HEARTH_TEST_DATABASE_URL"
		info "database 'test' reachable as user postgres"
	fi
fi

# ---------------------------------------------------------------- NATS
step "Checking NATS on 127.0.0.1:4222"
export HEARTH_TEST_NATS_URL="${HEARTH_TEST_NATS_URL:-nats://127.0.0.1:4222}"
nats_up() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }
if [ "$HEARTH_TEST_NATS_URL" != "nats://127.0.0.1:4222" ]; then
	info "HEARTH_TEST_NATS_URL is set by the caller; not starting a server"
elif nats_up; then
	info "a server is accepting connections"
else
	NATS_BIN=$(command -v nats-server || echo /usr/sbin/nats-server)
	mkdir -p /tmp/hearth-test-nats
	info "$NATS_BIN -a 127.0.0.1 -p 4222 -js (in the background)"
	nohup "$NATS_BIN" -a 127.0.0.1 -p 4222 -js -sd /tmp/hearth-test-nats >/tmp/hearth-test-nats/server.log 2>&1 &
	for _ in $(seq 1 30); do
		nats_up && break
		sleep 0.5
	done
	nats_up || die "NATS is still not accepting connections on 127.0.0.1:4222 (see /tmp/hearth-test-nats/server.log)"
	info "a server is accepting connections"
fi

# ---------------------------------------------------------------- npm
step "Installing e2e/ npm packages (playwright-core, axe-core, ical.js)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(
	cd e2e
	stamp=node_modules/.hearth-installed
	if [ -f package-lock.json ]; then
		want=$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)
		if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
			[ -f node_modules/playwright-core/package.json ] &&
			[ -f node_modules/axe-core/axe.min.js ] &&
			[ -f node_modules/ical.js/package.json ]; then
			echo "    node_modules up to date with package-lock.json"
		else
			echo "    npm ci"
			npm ci --no-audit --no-fund --loglevel=error
			echo "$want" >"$stamp"
		fi
	else
		echo "    no package-lock.json yet: npm install"
		npm install --no-audit --no-fund --loglevel=error
		want=$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)
		echo "$want" >"$stamp"
	fi
	echo "    playwright-core $(node -p 'require("playwright-core/package.json").version'), axe-core $(node -p 'require("axe-core/package.json").version'), ical.js $(node -p 'require("./node_modules/ical.js/package.json").version')"
)

export HEARTH_E2E=1
export HEARTH_CHROMIUM="${HEARTH_CHROMIUM:-/usr/bin/chromium}"
info "HEARTH_TEST_DATABASE_URL=$HEARTH_TEST_DATABASE_URL HEARTH_TEST_NATS_URL=$HEARTH_TEST_NATS_URL"
info "HEARTH_E2E=$HEARTH_E2E HEARTH_CHROMIUM=$HEARTH_CHROMIUM"
info "install phase took $((SECONDS - START))s"

if [ "$INSTALL_ONLY" -eq 1 ]; then
	exit 0
fi

# ---------------------------------------------------------------- checks
step "gofmt -l (tracked and untracked .go files)"
GOFILES=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	while IFS= read -r f; do
		[ -f "$f" ] && GOFILES+=("$f")
	done < <(git ls-files --cached --others --exclude-standard -- '*.go' | sort -u)
else
	while IFS= read -r f; do
		GOFILES+=("$f")
	done < <(find . -name '*.go' -not -path '*/node_modules/*' -not -path './.git/*' | sort)
fi
info "${#GOFILES[@]} files"
if [ ${#GOFILES[@]} -gt 0 ]; then
	UNFORMATTED=$(gofmt -l "${GOFILES[@]}")
	if [ -n "$UNFORMATTED" ]; then
		echo "$UNFORMATTED" | sed 's/^/    needs gofmt: /'
		die "gofmt: run 'gofmt -w' on the files above"
	fi
fi

step "go vet ./..."
go vet ./... || die "go vet"

step "go test -count=1 ./...   (after $((SECONDS - START))s of setup and checks)"
# exec: go test's own summary is the last thing printed and its exit code is ours.
exec go test -count=1 ./...
