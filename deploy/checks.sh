#!/usr/bin/env bash
# Static checks of deploy/, run by .ci/run: the Prometheus configuration and alert rules with
# promtool, and the compose file with docker-compose's own validation (Debian's docker-compose
# reads and validates the file without a daemon). Installs both from Debian when missing.
# MetricsContractTest (Maven) checks that every metric these files query exists.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v docker-compose >/dev/null || need+=(docker-compose)
if ((${#need[@]})); then
  [[ $(id -u) -eq 0 ]] || { echo "needs ${need[*]} (apt-get install ${need[*]})" >&2; exit 1; }
  # The packages' services must not start here.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
promtool check rules "$here/prometheus/alerts.yml"
promtool check config "$here/prometheus/prometheus.yml"
# The compose file names files deploy/demo-init.sh makes; stand-ins let the validation run.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -r "$here/compose.yaml" "$here/prometheus" "$here/grafana" "$scratch/"
mkdir "$scratch/demo"
touch "$scratch/demo/postgres.env" "$scratch/demo/privacykit.env" "$scratch/demo/grafana.env" "$scratch/demo/jwks.json"
(cd "$scratch" && docker-compose -f compose.yaml config -q)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["uid"]=="privacykit-overview" and "__inputs" not in d' \
  "$here/grafana/privacykit.json"
echo "deploy checks: promtool rules and config, compose file, dashboard: ok"
