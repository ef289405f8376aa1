#!/usr/bin/env bash
# bench/run container: start-up of the container image against the same jar started on the host,
# interleaved, round after round, both in production mode on a fresh PostgreSQL schema each, timed
# from launch to the first 200 from /health/ready. Prints one JSON line per round and a summary:
# the median of the pair ratios (container / host) with its spread, and the image size.
# Needs the image deploy/container/test.sh builds (localhost/privacykit:ci) and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${ROUNDS:-7}"
image=localhost/privacykit:ci
jar="$PWD/server/target/privacykit.jar"
pg="${PRIVACYKIT_IT_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
export CONTAINERS_CONF="$PWD/deploy/container/containers.conf"
podman image exists "$image" || { echo "no $image: run deploy/container/test.sh first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'podman rm -f pk-bench >/dev/null 2>&1 || true; pkill -f "$work" || true; rm -rf "$work"' EXIT
issuer=https://issuer.bench.privacykit.local
java -jar "$jar" token issuer --key "$work/issuer.jwk" --jwks "$work/jwks.json" --issuer "$issuer" >/dev/null
chmod 0644 "$work/jwks.json"
root_key=$(head -c 32 /dev/urandom | base64)
printf 'PRIVACYKIT_ROOT_KEY=%s\n' "$root_key" >"$work/env"
common=(PRIVACYKIT_MODE=production PRIVACYKIT_HOST=127.0.0.1 PRIVACYKIT_ISSUER="$issuer"
  PRIVACYKIT_ISSUER_TENANTS='*' PRIVACYKIT_KEY_SOURCE=env:PRIVACYKIT_ROOT_KEY PRIVACYKIT_DATABASE_URL="$pg")
now_ms() { echo $(($(date +%s%N) / 1000000)); }
wait_ready() {
  for _ in $(seq 1 1200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready")" = 200 ] && return 0
    sleep 0.05
  done
  return 1
}
drop() { psql -h 127.0.0.1 -U postgres -d test -q -c "DROP SCHEMA IF EXISTS $1 CASCADE" >/dev/null 2>&1; }
host_round() {
  local schema="bench_host_$1" port=18501 t0
  mkdir -p "$work/host$1"
  t0=$(now_ms)
  env "${common[@]}" PRIVACYKIT_ROOT_KEY="$root_key" PRIVACYKIT_PORT=$port PRIVACYKIT_DATA_DIR="$work/host$1" \
    PRIVACYKIT_JWKS_FILE="$work/jwks.json" PRIVACYKIT_DATABASE_SCHEMA="$schema" \
    java -XX:MaxRAMPercentage=75.0 -jar "$jar" serve >"$work/host$1.log" 2>&1 &
  local pid=$!
  wait_ready $port
  echo $(($(now_ms) - t0))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  drop "$schema"
}
container_round() {
  local schema="bench_ctr_$1" port=18502 t0
  mkdir -p "$work/ctr$1" && chown 10001:10001 "$work/ctr$1"
  t0=$(now_ms)
  podman --runtime runc run -d --name pk-bench --network host --read-only --env-file "$work/env" \
    -e PRIVACYKIT_PORT=$port -e PRIVACYKIT_HOST=127.0.0.1 -e PRIVACYKIT_DATABASE_URL="$pg" \
    -e PRIVACYKIT_DATABASE_SCHEMA="$schema" -e PRIVACYKIT_ISSUER="$issuer" \
    -e PRIVACYKIT_JWKS_FILE=/run/jwks.json -e PRIVACYKIT_ISSUER_TENANTS='*' \
    -e PRIVACYKIT_KEY_SOURCE=env:PRIVACYKIT_ROOT_KEY -v "$work/jwks.json:/run/jwks.json:ro" \
    -v "$work/ctr$1:/data" "$image" >/dev/null 2>&1
  wait_ready $port
  echo $(($(now_ms) - t0))
  podman rm -f pk-bench >/dev/null 2>&1
  drop "$schema"
}
ratios=()
for round in $(seq 1 "$rounds"); do
  if ((round % 2)); then h=$(host_round "$round"); c=$(container_round "$round")
  else c=$(container_round "$round"); h=$(host_round "$round"); fi
  r=$(python3 -c "print(round($c / $h, 3))")
  ratios+=("$r")
  printf '{"round":%d,"host_ms":%d,"container_ms":%d,"ratio":%s}\n' "$round" "$h" "$c" "$r"
done
size=$(podman image inspect --format '{{.Size}}' "$image")
python3 - "$size" "${ratios[@]}" <<'PY'
import json, statistics, sys
size = int(sys.argv[1]); r = sorted(float(x) for x in sys.argv[2:])
print(json.dumps({"figure": "container start-up to ready / host start-up to ready", "ratio": statistics.median(r),
                  "spread_min": r[0], "spread_max": r[-1], "rounds": len(r), "image_mb": round(size / 1e6)}))
PY
