#!/usr/bin/env bash
# Installs what Stagecraft needs and is missing; a second run costs nothing.
#   scripts/setup.sh          everything (wasm target, the release build's nightly, trunk, wasm-bindgen-cli, npm tools, Chromium)
#   scripts/setup.sh web      what building and serving the app needs (no Chromium)
# Versions are pinned: trunk 0.21.14 (0.22 needs a newer rustc), wasm-bindgen-cli = the
# wasm-bindgen in Cargo.lock, wasm-opt from the npm package binaryen@132 (see package.json).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
say() { printf '[setup] %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release web build's toolchain (scripts/release-env.sh): a pinned nightly with rust-src, for -Zbuild-std.
nightly=$(sed -n 's/^STAGECRAFT_NIGHTLY=//p' scripts/release-env.sh)
if ! rustup run "$nightly" rustc --version >/dev/null 2>&1 \
   || [ ! -d "$(rustup run "$nightly" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  say "installing the $nightly toolchain with rust-src (the release web build rebuilds std for size)"
  rustup toolchain install "$nightly" --profile minimal --component rust-src
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  say "installing trunk 0.21.14 (takes about 8 minutes on 2 cores)"
  cargo install -q --locked trunk@0.21.14
fi

wb=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
  say "installing wasm-bindgen-cli $wb (matches Cargo.lock)"
  # Not --locked: its own lockfile pins a webpki-roots the registry lacks.
  cargo install -q wasm-bindgen-cli@"$wb"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] \
   || [ package.json -nt node_modules/.stamp ] || [ package-lock.json -nt node_modules/.stamp ]; then
  say "installing npm tools (binaryen's wasm-opt, Playwright)"
  # Playwright drives Debian's chromium; it must never try to download a browser of its own.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
  touch node_modules/.stamp
fi
if [ "$(wasm-opt --version 2>/dev/null | grep -o 'version_[0-9]*')" != version_132 ]; then
  say "wasm-opt on PATH is not binaryen version_132: trunk would try to download one"
  exit 1
fi

if [ "$what" = all ] && [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz 0.13.2" ]; then
  say "installing cargo-fuzz 0.13.2 (the fuzz targets run on stable: see README, Fuzzing)"
  cargo install -q --locked cargo-fuzz@0.13.2
fi

if [ "$what" = all ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  say "installing Debian's chromium and chromium-driver"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
say "ready"
