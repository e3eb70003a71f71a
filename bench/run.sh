#!/usr/bin/env bash
# bench/run.sh — run the directory search benchmark on SQLite and PostgreSQL
# and print a table of latency percentiles per engine and query class.
#
# The first run generates the directory (HEARTH_BENCH_GROUPS groups, default
# 100,000) and loads it into each engine: about a minute each on 2 cores.
# Later runs reuse bench/.cache/sqlite-<N>-<version>/ and the PostgreSQL
# schema bench_<N>_<version>, unless the migrations have changed since.
#
# Usage:
#   bench/run.sh                 the whole run
#   bench/run.sh -bench 'DirectorySearch/sqlite/text\+filters\+geo'
#                                extra arguments go to `go test`
#
# Environment (all optional):
#   HEARTH_BENCH_GROUPS        groups to generate (default 100000)
#   HEARTH_BENCH_DATABASE_URL  PostgreSQL (default
#                              postgres://postgres@127.0.0.1:5432/test?sslmode=disable);
#                              the PostgreSQL half is skipped if it does not answer
#   HEARTH_BENCH_RESET=1       regenerate the data even if a cached copy exists
#   HEARTH_BENCH_CACHE         where SQLite files go (default bench/.cache)
#   BENCHTIME                  iterations per query class (default 2000x: about 31
#                              rounds of the 64 queries; the whole run takes about
#                              1.5 minutes once the data is cached)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCHTIME=${BENCHTIME:-2000x}
mkdir -p bench/.cache
OUT=bench/.cache/last-run.txt

{
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(go version | cut -d' ' -f3-4), $(nproc) cores," \
		"$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo 2>/dev/null || true)"
	echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
} | tee "$OUT"

go test ./bench/ -run '^$' -bench DirectorySearch -benchtime "$BENCHTIME" -count 1 -timeout 60m "$@" 2>&1 | tee -a "$OUT"

echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)" | tee -a "$OUT"

echo
awk '
/^BenchmarkDirectorySearch\// {
	split($1, p, "/"); engine = p[2]; cls = p[3]; sub(/-[0-9]+$/, "", cls)
	delete m
	for (i = 3; i < NF; i += 2) m[$(i + 1)] = $i
	rows[++n] = sprintf("| %-8s | %-18s | %8.2f | %8.2f | %8.2f | %8.2f | %10.0f | %9.2f |",
		engine, cls, m["p50-ms"], m["p90-ms"], m["p99-ms"], m["max-ms"], m["results/op"], m["cpu-ms/op"])
}
/^# (sqlite|postgres): / { loads[++l] = substr($0, 3) }
END {
	if (n == 0) { print "no benchmark results"; exit 1 }
	print "| engine   | class              | p50 ms   | p90 ms   | p99 ms   | max ms   | results/op | cpu ms/op |"
	print "|----------|--------------------|---------:|---------:|---------:|---------:|-----------:|----------:|"
	for (i = 1; i <= n; i++) print rows[i]
	print ""
	for (i = 1; i <= l; i++) print loads[i]
}' "$OUT"
echo
echo "(raw output: $OUT)"
