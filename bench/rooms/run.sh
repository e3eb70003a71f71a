#!/usr/bin/env bash
# bench/rooms/run.sh — the live-room load run (issue 5, section 5): Hearth,
# the centrifuge peer and Dendrite, one after the other on this machine,
# with the same workload, then the comparison with Hearth's ratios.
#
#   bash bench/rooms/run.sh                     everything (about 20 minutes)
#   TARGETS="hearth centrifuge" bash bench/rooms/run.sh
#   CLIENTS=200 ROOMS=20 DURATION=5s bash bench/rooms/run.sh   a quick look
#   IDLE_ONLY=1 TARGETS="hearth centrifuge" bash bench/rooms/run.sh   idle memory only
#   ROUNDS=3 TARGETS="hearth centrifuge" bash bench/rooms/run.sh    three rounds, medians
#
# Environment (all optional):
#   WORK          scratch folder (default /tmp/hearth-rooms-bench): binaries,
#                 Hearth's data folder, Dendrite's build and databases, logs,
#                 reports. Never committed.
#   CLIENTS ROOMS connections and rooms (2000, 200)
#   RATES         offered total message rates, one step each (10,100,400,1000)
#   IDLE_ONLY     1: only the idle memory (connect, one ping round trip per
#                 client where the protocol has one, wait, read the memory)
#   SATURATE      offered rate of the saturation step (4000; 0: none)
#   WARMUP DURATION DRAIN IDLE_SETTLE   per step (5s, 20s, 15s) and idle wait (15s)
#   SETTLE        wait after a server starts before its first memory reading
#                 (15s: long enough for a quiet process to have given back
#                 what starting left, as it will after the clients connect)
#   TARGETS       which to run (hearth centrifuge dendrite)
#   ROUNDS        how many times to run the targets, in turn (1): hearth,
#                 centrifuge, hearth, centrifuge… The comparison sets each
#                 round's Hearth against the same round's peer and gives
#                 the median of the rounds' ratios (on a shared machine one
#                 run can differ from the next by a tenth)
#   HEARTH_BENCH_DATABASE_URL  run Hearth on PostgreSQL instead of SQLite
#   HEARTH_MESSAGE_LIMIT  Hearth's per-member message limit for the run
#                 (100/1s). The product's default, 5 messages per 10 s, allows
#                 0.5 msg/s a member: exactly the 1,000 msg/s step with 2,000
#                 members, and it would refuse most of the saturation step.
#                 The peers have no such limit; the check costs nothing.
#   GOBIN_CACHE   a folder already holding Dendrite's four binaries
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
WORK=${WORK:-/tmp/hearth-rooms-bench}
CLIENTS=${CLIENTS:-2000}
ROOMS=${ROOMS:-200}
RATES=${RATES:-10,100,400,1000}
SATURATE=${SATURATE:-4000}
if [[ "${IDLE_ONLY:-}" == 1 ]]; then
	RATES="" SATURATE=0
fi
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-20s}
DRAIN=${DRAIN:-15s}
IDLE_SETTLE=${IDLE_SETTLE:-15s}
SETTLE=${SETTLE:-15s}
TARGETS=${TARGETS:-hearth centrifuge dendrite}
ROUNDS=${ROUNDS:-1}
if ! [[ $ROUNDS =~ ^[1-9][0-9]*$ ]]; then
	echo "ROUNDS must be a whole number, 1 or more (not $ROUNDS)" >&2
	exit 2
fi
HEARTH_MESSAGE_LIMIT=${HEARTH_MESSAGE_LIMIT:-100/1s}
mkdir -p "$WORK/bin" "$WORK/logs" "$WORK/reports"

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(go version | cut -d' ' -f3-4), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "# workload: $CLIENTS clients in $ROOMS rooms; rates $RATES msg/s and saturation $SATURATE; warm-up $WARMUP, measured $DURATION each"

echo "# building hearth, the harness and the centrifuge peer" >&2
go build -o "$WORK/bin/hearth" ./cmd/hearth
(cd bench/rooms && go build -o "$WORK/bin/loadroom" ./cmd/loadroom && go build -o "$WORK/bin/centrifugepeer" ./cmd/centrifugepeer)

common=(--clients "$CLIENTS" --rooms "$ROOMS" --rates "$RATES" --saturate "$SATURATE"
	--warmup "$WARMUP" --duration "$DURATION" --drain "$DRAIN" --idle-settle "$IDLE_SETTLE" --settle "$SETTLE" --log-dir "$WORK/logs")
reports=()
for round in $(seq "$ROUNDS"); do
	for t in $TARGETS; do
		args=()
		case $t in
		hearth)
			rm -rf "$WORK/hearth-data"
			db=()
			if [[ -n "${HEARTH_BENCH_DATABASE_URL:-}" ]]; then db=(--database-url "$HEARTH_BENCH_DATABASE_URL"); fi
			echo "# preparing Hearth's data folder (accounts, groups, meetings, sessions)" >&2
			go run ./bench/roomfixture --data "$WORK/hearth-data" --clients "$CLIENTS" --rooms "$ROOMS" "${db[@]}"
			args=(--bin "$WORK/bin/hearth" --fixture "$WORK/hearth-data/fixture.json" --data "$WORK/hearth-data" "${db[@]}" --addr 127.0.0.1:18081
				"--server-arg=--room-message-limit=$HEARTH_MESSAGE_LIMIT")
			;;
		centrifuge)
			args=(--bin "$WORK/bin/centrifugepeer" --addr 127.0.0.1:18082)
			;;
		dendrite)
			bash bench/rooms/dendrite.sh "$WORK/dendrite"
			args=(--dendrite-dir "$WORK/dendrite" --addr 127.0.0.1:18083)
			;;
		*)
			echo "unknown target $t" >&2
			exit 2
			;;
		esac
		name=$t
		if [[ $ROUNDS -gt 1 ]]; then name=$t.round$round; fi
		echo "# load average before $name: $(cut -d' ' -f1-3 /proc/loadavg)"
		"$WORK/bin/loadroom" --target "$t" "${common[@]}" "${args[@]}" --json "$WORK/reports/$name.json" | tee "$WORK/reports/$name.md"
		echo "# load average after $name: $(cut -d' ' -f1-3 /proc/loadavg)"
		reports+=("$WORK/reports/$name.json")
	done
done

echo
echo "## Comparison"
echo
"$WORK/bin/loadroom" compare "${reports[@]}" | tee "$WORK/reports/compare.md"
echo
echo "(reports in $WORK/reports; server logs in $WORK/logs)"
