#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it at http://127.0.0.1:8080/ (Ctrl-C stops it).
# trunk rebuilds and reloads the page when src/, assets/ or index.html change.
#   bash scripts/serve.sh             debug build (quick rebuilds)
#   bash scripts/serve.sh --release   size-optimised build, as shipped (wasm-opt, slower rebuilds)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh web
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
# trunk's dev server talks to 127.0.0.1 only; a proxy in the environment must not get in between.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
# The release build uses the shipped size flags (scripts/release-env.sh).
for a in "$@"; do if [ "$a" = --release ]; then . scripts/release-env.sh; fi; done
echo "[serve] building; the app will be at http://127.0.0.1:8080/" >&2
exec trunk serve "$@"
