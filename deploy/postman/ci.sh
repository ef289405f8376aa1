#!/usr/bin/env bash
# CI entry point of the API description and the Postman collection, run after the Maven build:
#   deploy/postman/ci.sh       (PRIVACYKIT_JAR defaults to <repo>/server/target/privacykit.jar)
# npm ci; lint openapi.yaml with Redocly's recommended rules (any error fails); check that the
# generated collection is up to date and that the test collection calls documented operations;
# then start the real service jar (development mode, H2 in a temporary data directory, a free
# port), mint a development token and run privacykit.postman_collection.json with newman.
# Exits non-zero on any failure; newman's summary is printed last.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"
jar_source="${PRIVACYKIT_JAR:-$repo/server/target/privacykit.jar}"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "checks"
node -e 'const [M]=process.versions.node.split(".").map(Number); if (M<20) { console.error("Node >= 20 needed"); process.exit(1) }'
command -v java >/dev/null || { echo "java not found" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl not found" >&2; exit 1; }
[[ -f "$jar_source" ]] || { echo "service jar not found: $jar_source (set PRIVACYKIT_JAR)" >&2; exit 1; }

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error

step "lint openapi.yaml (Redocly recommended)"
npx --no-install redocly lint --config redocly.yaml --format=stylish

step "collections"
node generate.mjs --check
node check-collection.mjs

step "start the service"
work="$(mktemp -d)"
service_pid=""
# Whether the service still runs (an exited child not yet waited for does not count).
running() {
  local state
  state="$(ps -o stat= -p "$service_pid" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z* ]]
}
stop() {
  if [[ -n "$service_pid" ]]; then
    kill "$service_pid" 2>/dev/null || true # SIGTERM: the service flushes its audit queue and stops
    for _ in $(seq 1 150); do running || break; sleep 0.1; done
    kill -9 "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
# A copy: the build may replace the jar while this runs.
cp "$jar_source" "$work/privacykit.jar"
# Only the settings given here: no PRIVACYKIT_* from the caller's environment (a database URL, a
# production mode, a policy file) reaches the service or the token command.
clean_env=(env)
while IFS= read -r name; do clean_env+=(-u "$name"); done < <(compgen -e | grep '^PRIVACYKIT_' || true)
java_command=("${clean_env[@]}" PRIVACYKIT_MODE=development java -Xmx384m -XX:TieredStopAtLevel=1 -jar "$work/privacykit.jar")

# A simple command in the background: env execs java, so $! is the service's own pid.
"${java_command[@]}" serve --host 127.0.0.1 --port 0 --data-dir "$work/data" >"$work/service.log" 2>&1 &
service_pid=$!
base=""
for _ in $(seq 1 600); do
  base="$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$work/service.log" | head -1 | sed 's/^listening on //' || true)"
  [[ -n "$base" ]] && break
  running || break
  sleep 0.1
done
if [[ -z "$base" ]]; then
  echo "the service did not start; its log:" >&2
  cat "$work/service.log" >&2
  exit 1
fi
ready=""
for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "$base/health/ready" 2>/dev/null; then ready=yes; break; fi
  sleep 0.1
done
if [[ -z "$ready" ]]; then
  echo "the service at $base never became ready; its log:" >&2
  cat "$work/service.log" >&2
  exit 1
fi
echo "service ready at $base (data in $work/data)"

step "token"
token="$("${java_command[@]}" token mint --data-dir "$work/data" --tenant demo)"
[[ -n "$token" ]] || { echo "token mint printed nothing" >&2; exit 1; }

step "newman"
status=0
npx --no-install newman run privacykit.postman_collection.json \
  --environment development.postman_environment.json \
  --env-var "baseUrl=$base" \
  --env-var "token=$token" \
  --reporters cli \
  --color off || status=$?
if [[ $status -ne 0 ]]; then
  echo "newman failed (exit $status); the service's log:" >&2
  tail -n 50 "$work/service.log" >&2
  exit "$status"
fi
step "done"
