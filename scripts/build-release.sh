#!/usr/bin/env bash
# The shipped build: `trunk build --release` into dist/ with the size flags of scripts/release-env.sh.
#   bash scripts/build-release.sh [trunk build options]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh web
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
. scripts/release-env.sh
exec trunk build --release "$@"
