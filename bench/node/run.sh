#!/usr/bin/env bash
# Benchmark of @privacykit/node (see RESULTS.md):  bench/node/run.sh
# (1) bare Express /hello, (2) the hand-written peer /work/shared/peers/express-consent (copied to a
# temp folder; WORKERS=1), (3) the same Express app's route guarded by @privacykit/node (consent
# check + audit event per request) against the PrivacyKit service on the same PostgreSQL, started
# with PRIVACYKIT_RATE_PER_IP=0 PRIVACYKIT_RATE_PER_PRINCIPAL=0. Interleaved rounds (hello, peer,
# hello, guarded) x ROUNDS; plus a cache-hit micro-benchmark and the batcher's throughput.
# JSON lines on stdout. Settings: PRIVACYKIT_JAR, ROUNDS (3), DURATION (8s), WARMUP (3s), CONNS (32),
# THREADS (2), SUBJECTS (200 consented subjects for the guarded route).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export PRIVACYKIT_JAR="${PRIVACYKIT_JAR:-$repo/server/target/privacykit.jar}"
command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y -qq wrk >/dev/null; }
psql -h 127.0.0.1 -U postgres -d test -Atqc 'SELECT 1' >/dev/null || { echo "PostgreSQL unreachable at 127.0.0.1:5432" >&2; exit 1; }
# the package must be built (clients/node: npm ci && npm run build)
[[ -f "$repo/clients/node/dist/esm/index.js" ]] || (cd "$repo/clients/node" && npm ci --no-audit --no-fund && npm run build) >&2
cd "$here"
npm install --no-audit --no-fund --loglevel=error >&2
exec node bench.mjs
