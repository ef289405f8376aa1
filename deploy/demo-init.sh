#!/usr/bin/env bash
# Makes deploy/demo/ for deploy/compose.yaml: a random root key, database and Grafana passwords, and
# a demo token issuer (its private key stays here; the service gets only the public JWKS). Prints
# how to mint a token. Run once from anywhere; it refuses to overwrite an existing deploy/demo/.
#   deploy/demo-init.sh [ENGINE]     (ENGINE: docker, the default, or podman)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
engine="${1:-docker}"
demo="$here/demo"
issuer=https://issuer.demo.privacykit.local
if [[ -e "$demo" ]]; then
  echo "$demo exists; remove it to start over (its keys protect the demo's data)" >&2
  exit 1
fi
mkdir -p "$demo" && chmod 0700 "$demo"
umask 077
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
pg_password=$(random 24 | tr -d '/+=')
printf 'POSTGRES_PASSWORD=%s\n' "$pg_password" >"$demo/postgres.env"
printf 'PRIVACYKIT_ROOT_KEY=%s\nPRIVACYKIT_DATABASE_URL=jdbc:postgresql://postgres:5432/privacykit?user=privacykit&password=%s\n' \
  "$(random 32)" "$pg_password" >"$demo/privacykit.env"
printf 'GF_SECURITY_ADMIN_PASSWORD=%s\n' "$(random 18 | tr -d '/+=')" >"$demo/grafana.env"
# The demo issuer, made by the service's own CLI from the image (built here if missing).
"$engine" build -q -t privacykit:local "$here/.." >/dev/null
"$engine" run --rm --user "$(id -u):$(id -g)" -v "$demo:/demo" --entrypoint java privacykit:local \
  -jar /app/privacykit.jar token issuer --key /demo/issuer.jwk --jwks /demo/jwks.json --issuer "$issuer" >/dev/null
chmod 0644 "$demo/jwks.json"
cat <<TXT
deploy/demo/ is ready. Start everything:
  $engine compose -p privacykit -f deploy/compose.yaml up -d
A token (tenant demo, every permission, one hour):
  $engine run --rm -v "$demo:/demo:ro" --entrypoint java privacykit:local -jar /app/privacykit.jar \\
    token mint --issuer-key /demo/issuer.jwk --issuer $issuer --tenant demo
Grafana: http://127.0.0.1:3000 (admin, password in deploy/demo/grafana.env)
TXT
