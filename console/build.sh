#!/usr/bin/env bash
# Builds the console into OUTDIR (the Maven build passes server/target/classes/dev/privacykit/server/console):
#   bash console/build.sh OUTDIR
# Uses the machine's Node.js (20.19+) and npm: `npm ci` when node_modules is missing or older than
# package-lock.json, a type check, then `vite build`. Without npm it writes a placeholder page that
# says how to get the console, warns on stderr and exits 0, so the service still builds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: build.sh OUTDIR" >&2
  exit 2
fi
mkdir -p "$1"
out="$(cd "$1" && pwd)"

placeholder() {
  echo "console/build.sh: WARNING: $1; wrote a placeholder page to $out/index.html" >&2
  find "$out" -mindepth 1 -delete
  cat > "$out/index.html" <<'HTML'
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>PrivacyKit console not built</title>
  </head>
  <body>
    <h1>The console was not built</h1>
    <p>The console was not built: install Node.js 20 and rebuild.</p>
  </body>
</html>
HTML
  exit 0
}

command -v npm >/dev/null 2>&1 || placeholder "npm was not found"
command -v node >/dev/null 2>&1 || placeholder "node was not found"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || placeholder "Node.js $(node --version) is older than 20.19, which the console's build needs"

cd "$here"
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
npx --no-install tsc -p tsconfig.json --noEmit
npx --no-install vite build --outDir "$out" --emptyOutDir --logLevel warn

# The service's CSP allows no inline script or style: refuse a build that has any.
if grep -Eqi '<script(>| (type|crossorigin)[^>]*>)[^<]|<style|[[:space:]]style=' "$out/index.html"; then
  echo "console/build.sh: $out/index.html has inline script or style, which the CSP blocks" >&2
  exit 1
fi
echo "console/build.sh: built the console into $out" >&2
