#!/usr/bin/env bash
# Browser measurements of the release build (not a test: numbers for README's "Where it stands").
# Builds dist/ with scripts/build-release.sh if it is missing, prints the gzip -9 download size
# (*.wasm + *.js + *.css), serves dist/ with python's http.server on a free local port and runs
# scripts/measure.mjs in Debian's Chromium through Playwright (node_modules; no browser download):
# load → first animated timeline frame, edit → updated view per SQL practice query, playback fps at ~100k tasks.
# Usage: bash scripts/measure.sh   (REBUILD=1 rebuilds dist/ first)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

if [ "${REBUILD:-0}" = 1 ] || ! compgen -G 'dist/*.wasm' >/dev/null; then
  bash scripts/build-release.sh
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
total=0
shopt -s nullglob
for f in dist/*.wasm dist/*.js dist/*.css; do
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '  %-50s %9d raw %9d gzip\n' "$f" "$(wc -c <"$f")" "$gz"
done
shopt -u nullglob
printf 'download, gzip -9 (wasm + js + css): %d B = %d KiB\n' "$total" $((total / 1024))

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
node scripts/measure.mjs "http://127.0.0.1:$port/" "${SCENARIOS:-../shared/fidelity/scenarios}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
