#!/usr/bin/env bash
# bench/rooms/dendrite.sh DIR — prepare Dendrite, the Go Matrix homeserver,
# for the room load run, in DIR (a temporary folder; nothing here is
# committed):
#
#   DIR/bin/       dendrite, generate-config, generate-keys, create-account
#                  (go install …@v0.13.8 with GOBIN=DIR/bin; reused if there)
#   DIR/matrix_key.pem
#   DIR/dendrite.yaml   SQLite databases in DIR, loopback only
#
# The configuration is Dendrite's own generated one with what a load run
# needs changed: open registration (the harness registers its members with
# m.login.dummy; dendrite is started with --really-enable-open-registration),
# no rate limiting, bcrypt at its minimum cost (throwaway accounts, as
# Hearth's fixture lowers argon2), federation off and no key servers (no
# traffic leaves the machine), logging at warn. Everything else — the
# roomserver, the sync API, SQLite per component — is as generated.
#
# Building takes several minutes on 2 cores (cgo SQLite); set GOBIN_CACHE to
# a folder that already holds the four binaries to skip it.
set -euo pipefail

DIR=${1:?usage: dendrite.sh DIR}
VERSION=v0.13.8
mkdir -p "$DIR/bin"
DIR=$(cd "$DIR" && pwd)

for b in dendrite generate-config generate-keys create-account; do
	if [[ ! -x "$DIR/bin/$b" && -n "${GOBIN_CACHE:-}" && -x "$GOBIN_CACHE/$b" ]]; then
		cp "$GOBIN_CACHE/$b" "$DIR/bin/$b"
	fi
done
if [[ ! -x "$DIR/bin/dendrite" || ! -x "$DIR/bin/generate-config" || ! -x "$DIR/bin/generate-keys" ]]; then
	echo "dendrite.sh: building Dendrite $VERSION into $DIR/bin (minutes on 2 cores)" >&2
	(cd "$DIR" && GOBIN="$DIR/bin" GOFLAGS=-buildvcs=false nice -n 10 go install \
		"github.com/matrix-org/dendrite/cmd/dendrite@$VERSION" \
		"github.com/matrix-org/dendrite/cmd/generate-config@$VERSION" \
		"github.com/matrix-org/dendrite/cmd/generate-keys@$VERSION" \
		"github.com/matrix-org/dendrite/cmd/create-account@$VERSION")
fi

# A fresh homeserver every time: databases, stream storage, keys, config.
rm -rf "$DIR"/dendrite_*.db* "$DIR"/jetstream "$DIR"/media "$DIR"/searchindex "$DIR"/log* "$DIR"/matrix_key.pem "$DIR"/dendrite.yaml
"$DIR/bin/generate-keys" --private-key "$DIR/matrix_key.pem" >/dev/null
"$DIR/bin/generate-config" -dir "$DIR" -server localhost >"$DIR/dendrite.yaml.generated"

python3 - "$DIR" <<'EOF'
import sys, yaml
d = sys.argv[1]
with open(f"{d}/dendrite.yaml.generated") as f:
    c = yaml.safe_load(f)
g = c["global"]
g["private_key"] = f"{d}/matrix_key.pem"
g["disable_federation"] = True
g["trusted_third_party_id_servers"] = []
g["key_validity_period"] = g.get("key_validity_period", "168h0m0s")
g.setdefault("report_stats", {})["enabled"] = False
g.setdefault("presence", {}).update({"enable_inbound": False, "enable_outbound": False})
g.setdefault("jetstream", {})["storage_path"] = d
ca = c["client_api"]
ca["registration_disabled"] = False
ca["rate_limiting"] = {"enabled": False, "threshold": 20, "cooloff_ms": 500}
c["federation_api"]["key_perspectives"] = []
c["user_api"]["bcrypt_cost"] = 4
c.setdefault("sync_api", {}).setdefault("search", {})["enabled"] = False
c["logging"] = [{"type": "std", "level": "warn"}]
with open(f"{d}/dendrite.yaml", "w") as f:
    yaml.safe_dump(c, f, sort_keys=False)
EOF
rm -f "$DIR/dendrite.yaml.generated"
echo "dendrite.sh: ready in $DIR (start: $DIR/bin/dendrite --config $DIR/dendrite.yaml --really-enable-open-registration --http-bind-address 127.0.0.1:PORT)" >&2
