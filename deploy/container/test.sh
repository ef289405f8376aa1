#!/usr/bin/env bash
# The container test, run by .ci/run after the Maven build:
#   deploy/container/test.sh      (PRIVACYKIT_JAR defaults to <repo>/server/target/privacykit.jar)
#
# Builds the image from the repository's Dockerfile with podman, taking the jar CI already built
# (JAR_FROM=context) on a local Debian base (no registry is reachable here: the public Temurin base
# is the Dockerfile's default, and this base makes the Dockerfile install Debian's JRE). Runs it in
# production mode against the CI PostgreSQL, read-only, with its root key in an env file and a demo
# issuer's JWKS mounted, then: health through the image's own HEALTHCHECK, the newcomer flow (give,
# check, audit, report, verify), SIGTERM and the final checkpoint in the database, the process not
# root, and no private key, token or root key in any layer or in the image history.
#
# This machine has no Docker daemon; podman (with runc) works given: --isolation=chroot to build,
# containers.conf with default_ulimits = [] and to run (it refuses the default
# ulimits and cgroup controllers), host networking (PostgreSQL listens on 127.0.0.1).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="${PRIVACYKIT_JAR:-$repo/server/target/privacykit.jar}"
cache="${PRIVACYKIT_CI_CACHE:-/var/cache/privacykit-ci}"
base=localhost/privacykit-ci/debian-minbase:bookworm
image=localhost/privacykit:ci
pg_url="${PRIVACYKIT_IT_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
schema="container_ci_$(date +%s)_$$"
issuer=https://issuer.ci.privacykit.local
passed=0
failed=0
export CONTAINERS_CONF="$here/containers.conf"

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
ok() { passed=$((passed + 1)); printf 'ok %d - %s\n' "$((passed + failed))" "$1"; }
fail() { failed=$((failed + 1)); printf 'not ok %d - %s\n' "$((passed + failed))" "$1"; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

[[ -f "$jar" ]] || { echo "service jar not found: $jar (set PRIVACYKIT_JAR)" >&2; exit 1; }
step "tools"
missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || { echo "needs ${missing[*]} (apt-get install podman runc debootstrap)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc debootstrap >/dev/null
fi
podman --version

step "base image (cached in $cache)"
if ! podman image exists "$base"; then
  mkdir -p "$cache"
  if [[ ! -f "$cache/bookworm-minbase.tar" ]]; then
    rm -rf "$cache/rootfs"
    debootstrap --variant=minbase bookworm "$cache/rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
      || { tail -20 "$cache/debootstrap.log"; exit 1; }
    rm -rf "$cache/rootfs/var/cache/apt/archives/"*.deb "$cache/rootfs/var/lib/apt/lists/"*
    tar -C "$cache/rootfs" -cf "$cache/bookworm-minbase.tar.tmp" . && mv "$cache/bookworm-minbase.tar.tmp" "$cache/bookworm-minbase.tar"
    rm -rf "$cache/rootfs"
  fi
  podman import --change 'CMD ["/bin/bash"]' "$cache/bookworm-minbase.tar" "$base" >/dev/null
fi

step "build"
work="$(mktemp -d)"
name="privacykit-ci-$$"
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -d test -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# The build context is the repository; the Dockerfile copies server/target/privacykit.jar.
if [[ "$jar" != "$repo/server/target/privacykit.jar" ]]; then
  echo "JAR_FROM=context builds from server/target/privacykit.jar; PRIVACYKIT_JAR must point there" >&2
  exit 1
fi
build_started=$SECONDS
podman build --isolation=chroot --format docker -q \
  --build-arg JAR_FROM=context \
  --build-arg RUNTIME_IMAGE="$base" --build-arg BUILD_IMAGE="$base" --build-arg NODE_IMAGE="$base" \
  --build-arg REVISION="$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)" \
  -t "$image" "$repo" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
echo "built in $((SECONDS - build_started)) s"
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "image size: $((size / 1000000)) MB"

step "secrets for the run (outside the image)"
java -jar "$jar" token issuer --key "$work/keys/issuer.jwk" --jwks "$work/jwks.json" --issuer "$issuer" >/dev/null
root_key=$(head -c 32 /dev/urandom | base64)
printf 'PRIVACYKIT_ROOT_KEY=%s\n' "$root_key" >"$work/privacykit.env"
chmod 0644 "$work/jwks.json"
mkdir -p "$work/data" && chown 10001:10001 "$work/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mint() { java -jar "$jar" token mint --issuer-key "$work/keys/issuer.jwk" --issuer "$issuer" --tenant "$1" --scopes "$2"; }
token=$(mint demo privacykit:admin)

step "run"
started=$(date +%s%N)
podman --runtime runc run -d --name "$name" --network host --read-only \
  --env-file "$work/privacykit.env" \
  -e PRIVACYKIT_PORT="$port" \
  -e PRIVACYKIT_DATABASE_URL="$pg_url" -e PRIVACYKIT_DATABASE_SCHEMA="$schema" \
  -e PRIVACYKIT_ISSUER="$issuer" -e PRIVACYKIT_JWKS_FILE=/run/privacykit/jwks.json \
  -e PRIVACYKIT_ISSUER_TENANTS='*' -e PRIVACYKIT_KEY_SOURCE=env:PRIVACYKIT_ROOT_KEY \
  -v "$work/jwks.json:/run/privacykit/jwks.json:ro" -v "$work/data:/data" \
  "$image" >/dev/null 2>"$work/run.err" || { cat "$work/run.err"; exit 1; }
# podman also tries to add a systemd timer for the HEALTHCHECK; there is no systemd here, so the
# test runs the image's check itself (podman healthcheck run) and drops that complaint.
grep -v 'systemd connection' "$work/run.err" >&2 || true
healthy=false
for _ in $(seq 1 240); do
  if podman healthcheck run "$name" >/dev/null 2>&1; then healthy=true; break; fi
  if [[ "$(podman inspect --format '{{.State.Running}}' "$name")" != true ]]; then break; fi
  sleep 0.25
done
ready_ms=$((($(date +%s%N) - started) / 1000000))
check "the image's HEALTHCHECK reports healthy (after ${ready_ms} ms)" $healthy
if ! $healthy; then podman logs "$name" | tail -30; fi
echo "start-up to healthy: $ready_ms ms"

base_url="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
json="Content-Type: application/json"
call() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
check "give consent: 201" [ "$(call -X POST "$base_url/v1/subjects/user-42/consents/email_marketing/give" -H "$auth" -H "$json" -d '{"notice_version": 2, "language": "en"}')" = 201 ]
check "check consent: allowed" bash -c "[ \"\$(curl -s -X POST '$base_url/v1/consents/check' -H '$auth' -H '$json' -d '{\"subject\": \"user-42\", \"purposes\": [\"email_marketing\"]}' | grep -o '\"allowed\":true' | head -1)\" = '\"allowed\":true' ]"
check "audit event: 201" [ "$(call -X POST "$base_url/v1/audit/events" -H "$auth" -H "$json" -d '{"actor": "agent-7", "subject": "user-42", "action": "read", "purpose": "email_marketing"}')" = 201 ]
check "subject report: 200 with the entry" bash -c "curl -s '$base_url/v1/audit/reports/subjects/user-42' -H '$auth' | grep -q 'agent-7'"
check "verify: the log is intact" bash -c "curl -s -X POST '$base_url/v1/audit/verify' -H '$auth' | grep -q '\"ok\":true'"
check "no token: 401" [ "$(call "$base_url/v1/status")" = 401 ]
check "the console is served" bash -c "curl -s -D - -o /dev/null '$base_url/console/' | grep -qi 'content-security-policy: default-src .self.'"

step "the process is not root"
check "configured user is 10001:10001" [ "$(podman inspect --format '{{.Config.User}}' "$name")" = "10001:10001" ]
check "PID 1 runs as uid 10001" bash -c "podman exec '$name' bash -c 'grep ^Uid: /proc/1/status' | grep -qE 'Uid:\s+10001\s'"
check "the root file system is read-only" bash -c "! podman exec '$name' bash -c 'touch /app/x' 2>/dev/null"

step "SIGTERM: the final checkpoint lands"
podman stop -t 60 "$name" >/dev/null 2>&1
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
check "stopped by SIGTERM with exit code 0 or 143 (was $exit_code)" bash -c "[ '$exit_code' = 0 ] || [ '$exit_code' = 143 ]"
check "the log says stopped" bash -c "podman logs '$name' 2>&1 | grep -q '\"stopped\"\\|stopped'"
heads=$(psql -h 127.0.0.1 -U postgres -d test -Atqc "SELECT (SELECT tree_size FROM $schema.audit_state), (SELECT MAX(tree_size) FROM $schema.audit_checkpoints)")
check "the last checkpoint covers every entry ($heads)" bash -c "[ '${heads%%|*}' = '${heads##*|}' ] && [ '${heads%%|*}' -gt 0 ]"

step "no secret in the image"
check "the image's history holds no key or token" bash -c "! podman history --no-trunc --format '{{.CreatedBy}}' '$image' | grep -qE 'PRIVACYKIT_ROOT_KEY=|BEGIN .*PRIVATE|eyJ'"
check "no secret in the image's environment or labels" bash -c "! podman image inspect '$image' | grep -qE 'ROOT_KEY=|PASSPHRASE=|eyJ'"
mkdir -p "$work/image"
podman save -q --format docker-archive -o "$work/image.tar" "$image" >/dev/null
tar -C "$work/image" -xf "$work/image.tar"
layers=0
: >"$work/layer-files"
for layer in $(find "$work/image" -name '*.tar' -o -name 'layer.tar' | sort -u); do
  layers=$((layers + 1))
  tar -tf "$layer" >>"$work/layer-files"
  mkdir -p "$work/l"; tar -C "$work/l" -xf "$layer" 2>/dev/null || true
done
check "the image has layers to inspect ($layers)" [ "$layers" -gt 0 ]
check "no key files (*.jwk, *.key, *.env, dev-root.key) in any layer" bash -c "! grep -qE '\\.jwk\$|\\.key\$|\\.env\$|dev-root|privacykit-data' '$work/layer-files'"
check "no private key material in any layer" bash -c "! grep -rlaE 'BEGIN [A-Z ]*PRIVATE KEY|\"d\":\"|$root_key' '$work/l/app' '$work/l/data' '$work/l/etc' 2>/dev/null | grep -q ."
check "no token in any layer" bash -c "! grep -rlaF '$token' '$work/l' 2>/dev/null | grep -q ."

printf '\n# container: %d passed, %d failed; image %d MB; healthy after %d ms\n' "$passed" "$failed" "$((size / 1000000))" "$ready_ms"
[ "$failed" -eq 0 ]
