#!/usr/bin/env bash
# scripts/security-figures.sh — measures the four security figures of the
# README's Security section (issue 7 §5) and prints one line for each:
#
#   authorization  go test ./internal/web -run TestAuthorizationMatrix
#                  (every route × 10 roles × 3 visibilities; unexpected allows)
#   crash          HEARTH_E2E=1 go test ./e2e -run TestNoAcknowledgedWriteLostAcrossKills
#                  (SIGKILLs while 16 clients write; lost and doubled writes,
#                  SQLite and PostgreSQL)
#   fuzzing        every fuzz target's seed corpus (go test -run '^Fuzz…$'),
#                  and with --fuzztime each target fuzzed that long, one at a time
#   backups        go test ./internal/sqldb -run 'TestBackup|TestRestore' and
#                  go test ./cmd/hearth -run TestBackupRestoreAndRotateOnTheCommandLine
#                  (online backup, restore, every table compared)
#
# and, because "a stolen copy reveals nothing" is what the four protect,
#
#   at rest        HEARTH_E2E=1 go test ./e2e -run TestNothingWrittenIsReadableAtRest
#                  (markers through every writing surface; hits in the
#                  database, WAL, backup, logs, emails, metrics)
#
# Each figure is read from the line its test logs; a failing test prints
# FAILED on its line and the script exits 1 after the others have run. The
# full output of each test is kept in the log folder it names at the end.
# It installs nothing itself beyond what `scripts/test.sh --install-only`
# does (a PostgreSQL and NATS when none answers, the e2e tools).
#
# Usage:
#   ./scripts/security-figures.sh                   all figures (about 4 minutes on 2 cores)
#   ./scripts/security-figures.sh --fuzztime 60s    also fuzz each target 60 s, one at a time
#   ./scripts/security-figures.sh --no-install      skip scripts/test.sh --install-only
#   ./scripts/security-figures.sh --only fuzzing    one figure (authorization, crash,
#                                                   fuzzing, backups, atrest); repeatable
#
# Environment (optional): HEARTH_TEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/test?sslmode=disable), HEARTH_CRASH_SEED
# (repeats a crash run's kill moments), SECURITY_FIGURES_LOGS (log folder).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

FUZZTIME=""
INSTALL=1
ONLY=()
while [ $# -gt 0 ]; do
	case "$1" in
	--fuzztime)
		[ $# -ge 2 ] || { echo "security-figures.sh: --fuzztime needs a duration such as 60s" >&2; exit 2; }
		FUZZTIME=$2
		shift
		;;
	--fuzztime=*) FUZZTIME=${1#--fuzztime=} ;;
	--no-install) INSTALL=0 ;;
	--only)
		[ $# -ge 2 ] || { echo "security-figures.sh: --only needs a figure name" >&2; exit 2; }
		ONLY+=("$2")
		shift
		;;
	--only=*) ONLY+=("${1#--only=}") ;;
	-h | --help)
		sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "security-figures.sh: unknown argument: $1 (try --help)" >&2
		exit 2
		;;
	esac
	shift
done
for o in "${ONLY[@]}"; do
	case "$o" in
	authorization | crash | fuzzing | backups | atrest) ;;
	*)
		echo "security-figures.sh: unknown figure: $o (authorization, crash, fuzzing, backups, atrest)" >&2
		exit 2
		;;
	esac
done
if [ -n "$FUZZTIME" ] && ! [[ "$FUZZTIME" =~ ^[0-9]+(ms|s|m|h|x)$ ]]; then
	echo "security-figures.sh: --fuzztime $FUZZTIME: give a duration such as 60s or 5m (or 10000x)" >&2
	exit 2
fi

wanted() {
	[ ${#ONLY[@]} -eq 0 ] && return 0
	local o
	for o in "${ONLY[@]}"; do [ "$o" = "$1" ] && return 0; done
	return 1
}

if [ "$INSTALL" = 1 ]; then
	./scripts/test.sh --install-only >/dev/null || { echo "security-figures.sh: scripts/test.sh --install-only failed" >&2; exit 1; }
fi
export HEARTH_TEST_DATABASE_URL=${HEARTH_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}

LOGS=${SECURITY_FIGURES_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/hearth-security-figures.XXXXXX")}
mkdir -p "$LOGS"
STATUS=0
FIGURES=()

# figure NAME TEXT: records one line of the summary.
figure() { FIGURES+=("$(printf '%-14s %s' "$1" "$2")"); }

# logged FILE PATTERN: the messages of the t.Logf lines matching PATTERN.
logged() { grep -E "$2" "$1" | sed -E 's/^[[:space:]]*[A-Za-z0-9_]+\.go:[0-9]+: //'; }

# run NAME LOG CMD...: runs a test command into LOG; false when it failed.
run() {
	local name=$1 log=$2
	shift 2
	printf '==> %s: %s\n' "$name" "$*" >&2
	if "$@" >"$log" 2>&1; then
		return 0
	fi
	STATUS=1
	return 1
}

if wanted authorization; then
	log=$LOGS/authorization.log
	if run authorization "$log" go test -count=1 ./internal/web -run '^TestAuthorizationMatrix$' -v; then
		line=$(logged "$log" 'Authorization matrix: ' | tail -1)
		figure authorization "${line:-no figure logged (see $log)}"
	else
		figure authorization "FAILED: $(logged "$log" 'Authorization matrix: |unexpected' | head -1) (see $log)"
	fi
fi

if wanted crash; then
	log=$LOGS/crash.log
	ok=1
	HEARTH_E2E=1 run crash "$log" go test -count=1 ./e2e -run '^TestNoAcknowledgedWriteLostAcrossKills$' -v -timeout 30m || ok=0
	while IFS= read -r line; do
		figure crash "$line"
	done < <(logged "$log" 'crash durability \(')
	[ "$ok" = 1 ] || figure crash "FAILED (see $log)"
fi

if wanted fuzzing; then
	# Every fuzz target, as package and name.
	mapfile -t targets < <(grep -rE --include='*_test.go' -l '^func Fuzz[A-Za-z0-9_]*\(' . |
		grep -v -e '^\./bench/' -e '/node_modules/' | sort | while read -r f; do
		d=$(dirname "$f")
		grep -oE '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r n; do echo "$d $n"; done
	done | sort -u)
	pkgs=$(printf '%s\n' "${targets[@]}" | cut -d' ' -f1 | sort -u)
	npkgs=$(printf '%s\n' "$pkgs" | grep -c .)
	log=$LOGS/fuzz-seeds.log
	# shellcheck disable=SC2086
	if run fuzzing "$log" go test -count=1 -run '^Fuzz' -v $pkgs; then
		seeds=$(grep -cE -- '^[[:space:]]*--- PASS: Fuzz[A-Za-z0-9_]*/' "$log")
		passed=$(grep -cE -- '^--- PASS: Fuzz' "$log")
		figure fuzzing "${#targets[@]} fuzz targets in $npkgs packages; seed corpora: $passed targets pass, $seeds seed inputs run, 0 failures"
	else
		figure fuzzing "FAILED: $(grep -cE -- '--- FAIL: Fuzz' "$log") seed failures (see $log)"
	fi
	if [ -n "$FUZZTIME" ]; then
		total=0
		failed=0
		for t in "${targets[@]}"; do
			pkg=${t% *}
			name=${t#* }
			log=$LOGS/fuzz-${pkg//\//_}-$name.log
			if run "fuzz $name" "$log" go test -count=1 "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -parallel 1; then
				n=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
				total=$((total + ${n:-0}))
			elif ! grep -q 'Failing input written' "$log" && grep -q 'context deadline exceeded' "$log"; then
				# Go's fuzzing sometimes ends a short run this way with no
				# failing input: not a crash, but not a clean run either.
				STATUS=1
				figure fuzzing "$name in $pkg: ended by Go's fuzzing deadline with no failing input (try a longer --fuzztime; see $log)"
			else
				failed=$((failed + 1))
				figure fuzzing "FAILED: $name in $pkg (crasher kept under $pkg/testdata/fuzz/$name; see $log)"
			fi
		done
		figure fuzzing "fuzzed ${#targets[@]} targets for $FUZZTIME each, one at a time: $total inputs executed, $failed targets failed"
	fi
fi

if wanted backups; then
	log=$LOGS/backups.log
	log2=$LOGS/backups-cli.log
	ok=1
	run backups "$log" go test -count=1 ./internal/sqldb -run 'TestBackup|TestRestore' -v || ok=0
	run backups "$log2" go test -count=1 ./cmd/hearth -run '^TestBackupRestoreAndRotateOnTheCommandLine$' -v || ok=0
	restores=$(grep -cE 'tables compared' "$log")
	line=$(logged "$log" 'tables compared' | sort | uniq -c | sort -rn | head -1 | sed -E 's/^ *[0-9]+ //')
	passed=$(cat "$log" "$log2" | grep -cE -- '^--- PASS: Test')
	if [ "$ok" = 1 ]; then
		figure backups "$passed backup/restore tests pass on SQLite and PostgreSQL; $restores restores (each engine into each) compared table by table, 0 differences ($line)"
	else
		figure backups "FAILED (see $log and $log2)"
	fi
fi

if wanted atrest; then
	log=$LOGS/atrest.log
	ok=1
	HEARTH_E2E=1 run "at rest" "$log" go test -count=1 ./e2e -run '^TestNothingWrittenIsReadableAtRest$' -v -timeout 10m || ok=0
	line=$(logged "$log" 'confidentiality: ' | tail -1)
	if [ "$ok" = 1 ]; then
		figure "at rest" "${line:-no figure logged (see $log)}"
	else
		figure "at rest" "FAILED: ${line:-no figure logged} (see $log)"
	fi
fi

echo
echo "Security figures ($(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo 'no commit'); logs in $LOGS):"
for f in "${FIGURES[@]}"; do
	echo "  $f"
done
exit $STATUS
