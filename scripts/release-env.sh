# Sourced by the scripts that make the shipped (release) web build: scripts/build-release.sh and
# `scripts/serve.sh --release`. The download budget (700 KiB gzip) holds only with the standard library
# rebuilt for size, which takes a pinned nightly toolchain (scripts/setup.sh installs it with rust-src):
#   -Zbuild-std               core/alloc/std compiled with this crate's `opt-level = "z"` and LTO'd with it;
#   -Cpanic=immediate-abort   a panic traps at once: no formatting machinery, no panic messages in the
#                             binary (index.html shows the error banner for the trap; debug builds and
#                             native builds keep Rust's panic hook and messages);
#   -Zlocation-detail=none    no file:line:col data for panics.
# Only the wasm32 release build uses it; `cargo test` (native and wasm32) stays on the stable toolchain.
# README, "Download size" has the measurements.
STAGECRAFT_NIGHTLY=nightly-2026-05-20
export RUSTUP_TOOLCHAIN="$STAGECRAFT_NIGHTLY"
export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
# With --target (trunk passes it), RUSTFLAGS reach the wasm artifacts only, not build scripts.
export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
