#!/usr/bin/env bash
# CI entry point of the console, run after the Maven build (which builds the console into the jar):
#   bash console/ci.sh            (PRIVACYKIT_JAR defaults to <repo>/server/target/privacykit.jar)
# Build (npm ci, type check, vite build into dist/), then one node:test run whose summary is printed
# last: unit tests (proof checks, levels, URL state, the built page), then the browser tests in
# headless Debian Chromium (playwright-core) against the real jar on H2 and on PostgreSQL
# (PRIVACYKIT_IT_POSTGRES_URL, default 127.0.0.1:5432 db test user postgres, required), and on both
# with the audit log on four shards.
# Screenshots of each view land in console/target/screenshots/.
# Where the page is loaded from: test/browser/config.ts (SERVE_FROM), or PRIVACYKIT_CONSOLE_FROM=jar|proxy.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$here"
export PRIVACYKIT_JAR="${PRIVACYKIT_JAR:-$repo/server/target/privacykit.jar}"
export PRIVACYKIT_IT_POSTGRES_URL="${PRIVACYKIT_IT_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
step() { printf '\n== console: %s (%ss)\n' "$1" "$SECONDS"; }

step "checks"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js >= 20.19 needed"); process.exit(1) }'
[[ -f "$PRIVACYKIT_JAR" ]] || { echo "service jar not found: $PRIVACYKIT_JAR (set PRIVACYKIT_JAR)" >&2; exit 1; }
command -v java >/dev/null || { echo "java not found" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d test -Atqc 'SELECT 1' >/dev/null 2>&1; then
  echo "PostgreSQL is unreachable at 127.0.0.1:5432 (db test, user postgres): the PostgreSQL browser tests need it" >&2
  exit 1
fi
if [[ ! -x "$CHROMIUM" ]]; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium (not found at $CHROMIUM)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  [[ -x "$CHROMIUM" ]] || { echo "chromium not found at $CHROMIUM: apt-get install chromium (as root)" >&2; exit 1; }
fi
"$CHROMIUM" --version 2>/dev/null | grep -v 'unexpected operator' || true

step "build (npm ci, type check, vite build)"
bash build.sh dist
npx --no-install tsc -p test/tsconfig.json --noEmit

step "tests: unit, browser (H2, PostgreSQL, four shards)"
rm -rf target/screenshots
# --test-reporter=spec prints each test and, last, node:test's summary (tests/pass/fail)
node --import tsx --test --test-concurrency=1 --test-force-exit --test-timeout=300000 --test-reporter=spec \
  test/unit/*.test.ts test/browser/h2.test.ts test/browser/postgres.test.ts test/browser/sharded.test.ts
