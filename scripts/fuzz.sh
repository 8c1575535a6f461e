#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ on the STABLE toolchain, one after another.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 10 s each, every target
# Each target starts from fuzz/seeds/<target> (committed) plus fuzz/corpus/<target> (new finds, not
# committed); a crash leaves its input in fuzz/artifacts/<target>/. Prints one line per target,
# `[fuzz] TARGET ok|FAILED (...)`, and exits non-zero if any target failed.
# Stable works because libFuzzer's coverage instrumentation uses stable -C flags; only the sanitizers need
# nightly, so targets are built with `--sanitizer none` (debug assertions and overflow checks stay on).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
secs="${1:-10}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(sql pyspark ddl scenario_json pipeline share)
fi
# Its own target directory: the fuzz build's flags differ from the main build's.
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:-$PWD/target}/fuzz}"
flags=(--sanitizer none)
if ! (cd fuzz && cargo fuzz build "${flags[@]}"); then
  echo "[fuzz] build FAILED"
  exit 1
fi
failed=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log="fuzz/artifacts/$t/last-run.log"
  # -rss_limit_mb: a run above 2 GiB is a bug (a missing limit); -timeout: one input above 10 s is too.
  if (cd fuzz && cargo fuzz run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=8192 -print_final_stats=1) >"$log" 2>&1; then
    echo "[fuzz] $t ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs in ${secs}s)"
  else
    failed=$((failed + 1))
    echo "[fuzz] $t FAILED (log: $log; inputs: fuzz/artifacts/$t/)"
    grep -m5 -E "panicked|ERROR: libFuzzer|SUMMARY" "$log" || tail -n 20 "$log"
  fi
done
[ "$failed" -eq 0 ]
