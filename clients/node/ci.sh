#!/usr/bin/env bash
# CI entry point of @privacykit/node, run after the Maven build:
#   clients/node/ci.sh            (PRIVACYKIT_JAR defaults to <repo>/server/target/privacykit.jar)
# npm ci, build, type check, generated types up to date, publint + attw, then one node:test run
# (unit, integration on H2 and on PostgreSQL, pack checks) whose summary is printed last.
# PostgreSQL (PRIVACYKIT_IT_POSTGRES_URL, default 127.0.0.1:5432 db test user postgres) is required.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"
export PRIVACYKIT_JAR="${PRIVACYKIT_JAR:-$repo/server/target/privacykit.jar}"
export PRIVACYKIT_IT_POSTGRES_URL="${PRIVACYKIT_IT_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "checks"
node -e 'const [M]=process.versions.node.split(".").map(Number); if (M<20) { console.error("Node >= 20 needed"); process.exit(1) }'
[[ -f "$PRIVACYKIT_JAR" ]] || { echo "service jar not found: $PRIVACYKIT_JAR (set PRIVACYKIT_JAR)" >&2; exit 1; }
command -v java >/dev/null || { echo "java not found" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql not found: the PostgreSQL run needs it" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d test -Atqc 'SELECT 1' >/dev/null 2>&1; then
  echo "PostgreSQL is unreachable at 127.0.0.1:5432 (db test, user postgres): the PostgreSQL run is required" >&2
  exit 1
fi

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error

step "build"
npm run --silent build

step "type check"
npm run --silent typecheck

step "generated types"
npm run --silent check:types

step "publint + attw"
npx --no-install publint --strict
npx --no-install attw --pack . --profile node16

step "tests: unit, integration (H2, PostgreSQL), pack"
# --test-reporter=spec prints each test and, last, node:test's summary (tests/pass/fail)
node --test --test-concurrency=1 --test-force-exit --test-timeout=240000 --test-reporter=spec \
  test/unit/ test/integration/h2.test.mjs test/integration/postgres.test.mjs test/pack/
step "done"
