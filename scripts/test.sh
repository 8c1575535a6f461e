#!/usr/bin/env bash
# Installs what is missing, then runs every test Stagecraft has:
#   1. cargo test, native (all targets, then doc tests)
#   2. fidelity: the release CLI scored against real Spark (../shared/fidelity), each metric >= its floor in
#      tests/fidelity-floor.json (raise a floor whenever the score improves)
#   2b. a short run of each cargo-fuzz target (scripts/fuzz.sh, FUZZ_SECONDS each, default 10)
#   3. wasm-bindgen browser tests (tests/*.rs that are wasm32-only), in Debian's Chromium
#   4. trunk build --release, the single-file page (scripts/single-file.sh), and the gzip size of dist/
#      (*.wasm + *.js + *.css) within the 700 KiB budget
#   5. Playwright end-to-end specs (tests/e2e/) against dist/ served on a free local port
# Ends with one line `N passed, N failed` summing every runner, and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED="$ROOT/../shared"
BUDGET_BYTES=$((700 * 1024))
# The product budget: the release download (wasm + js + css, gzip -9) must stay within 700 KiB, or the
# size stage fails. (It was over, at 851 KiB, while sqlparser was in the build; README "Where it stands".)
FLOORS=tests/fidelity-floor.json

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never
# The browser runners talk to 127.0.0.1; a proxy in the environment breaks that link.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

passed=0
failed=0
summary=()
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

banner() { printf '\n==== %s ====\n' "$*"; }
# record NAME PASSED FAILED SECONDS
record() {
  passed=$((passed + $2))
  failed=$((failed + $3))
  summary+=("$(printf '%-26s %4d passed %4d failed %5ds' "$1" "$2" "$3" "$4")")
}
# Sums the `test result: ... N passed; M failed` lines of cargo test / wasm-bindgen-test-runner output.
count_cargo() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { printf "%d %d\n", p, f }' "$1"
}
# run_cargo NAME LOGFILE CMD...: runs a cargo-style test runner; a non-zero exit with no failed test
# (a build error, a crash) counts as one failure.
run_cargo() {
  local name=$1 log=$2 t0=$SECONDS rc p f
  shift 2
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  read -r p f < <(count_cargo "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "[test] $name exited $rc without a failing test: counted as one failure"
    f=1
  fi
  record "$name" "$p" "$f" $((SECONDS - t0))
}

t_all=$SECONDS
banner "set-up (installs only what is missing)"
t0=$SECONDS
if ! bash scripts/setup.sh; then
  record "set-up" 0 1 $((SECONDS - t0))
  echo "[test] set-up failed; nothing else can run"
  printf '%s\n' "${summary[@]}"
  echo "$passed passed, $failed failed"
  exit 1
fi

# 1. Native tests.
banner "cargo test (native, all targets)"
run_cargo "cargo test" "$logs/cargo.txt" cargo test --all-targets
banner "cargo test --doc"
run_cargo "cargo doc tests" "$logs/doc.txt" cargo test --doc

# 2. Fidelity against real Spark runs, with floors.
banner "fidelity (release CLI vs ../shared/fidelity)"
t0=$SECONDS
if [ ! -f "$SHARED/fidelity/score.py" ]; then
  echo "[test] $SHARED/fidelity/score.py not found"
  record "fidelity" 0 1 $((SECONDS - t0))
elif ! cargo build --release --bin stagecraft; then
  echo "[test] cargo build --release failed"
  record "fidelity" 0 1 $((SECONDS - t0))
else
  python3 "$SHARED/fidelity/score.py" --quiet --cmd "target/release/stagecraft simulate --format json" \
    >"$logs/fidelity.txt" 2>&1
  rc=$?
  cat "$logs/fidelity.txt"
  if [ "$rc" -ne 0 ]; then
    echo "[test] score.py exited $rc"
    record "fidelity" 0 1 $((SECONDS - t0))
  else
    # One check per metric: its score must not drop below its floor.
    read -r p f < <(python3 - "$logs/fidelity.txt" "$FLOORS" <<'PY'
import json, re, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("fidelity:")]
floors = json.load(open(sys.argv[2]))
if not lines:
    print("[test] score.py printed no `fidelity:` line", file=sys.stderr)
    print(0, 1)
    sys.exit()
line = lines[-1]
scores = {m: int(v) for m, v in re.findall(r"(\w+)=(\d+)%", line)}
m = re.search(r"all-metrics \d+/\d+ \((\d+)%\)", line)
if m:
    scores["all"] = int(m.group(1))
p = f = 0
for metric, floor in floors.items():
    got = scores.get(metric)
    if got is None:
        print(f"[test] fidelity: metric {metric} missing from the scorer's line", file=sys.stderr)
        f += 1
    elif got < floor:
        print(f"[test] fidelity: {metric} = {got}% is below its floor {floor}% ({sys.argv[2]})", file=sys.stderr)
        f += 1
    else:
        p += 1
print(p, f)
PY
)
    echo "[test] fidelity floors: $p held, $f broken"
    record "fidelity floors" "$p" "$f" $((SECONDS - t0))
  fi
fi

# 2b. Fuzzing: a short run of every cargo-fuzz target (scripts/fuzz.sh; FUZZ_SECONDS each, default 10).
banner "fuzz (scripts/fuzz.sh, ${FUZZ_SECONDS:-10}s per target)"
t0=$SECONDS
bash scripts/fuzz.sh "${FUZZ_SECONDS:-10}" 2>&1 | tee "$logs/fuzz.txt"
record "fuzz targets" "$(grep -c '^\[fuzz\] .* ok' "$logs/fuzz.txt")" \
  "$(grep -c '^\[fuzz\] .*FAILED' "$logs/fuzz.txt")" $((SECONDS - t0))

# 3. wasm-bindgen browser tests: the tests/*.rs files that only exist on wasm32.
web_tests=()
for t in tests/*.rs; do
  [ -f "$t" ] || continue
  if grep -q 'cfg(target_arch = "wasm32")' <(head -n 5 "$t") 2>/dev/null && grep -q 'wasm_bindgen_test' "$t"; then
    web_tests+=(--test "$(basename "$t" .rs)")
  fi
done
if [ ${#web_tests[@]} -gt 0 ]; then
  banner "wasm-bindgen browser tests (${web_tests[*]})"
  # Runner and Chrome flags: see ../shared/docs/toolchain.md (webdriver.json holds the flags).
  run_cargo "wasm browser tests" "$logs/web.txt" env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown "${web_tests[@]}"
else
  echo "[test] no wasm-bindgen browser tests (tests/*.rs with #![cfg(target_arch = \"wasm32\")])"
fi

# 4. Release build of the app and its download size.
banner "trunk build --release (scripts/build-release.sh) + size budget"
t0=$SECONDS
if ! bash scripts/build-release.sh; then
  echo "[test] trunk build --release failed"
  record "trunk build" 0 1 $((SECONDS - t0))
  built=false
else
  record "trunk build" 1 0 $((SECONDS - t0))
  built=true
  # The single-file offline page (tests/e2e/offline.spec.ts opens it from file://).
  t0=$SECONDS
  if bash scripts/single-file.sh; then record "single-file html" 1 0 $((SECONDS - t0)); else record "single-file html" 0 1 $((SECONDS - t0)); fi
  t0=$SECONDS
  total=0
  shopt -s nullglob
  assets=(dist/*.wasm dist/*.js dist/*.css)
  shopt -u nullglob
  for f in "${assets[@]}"; do
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total=$((total + gz))
    printf '  %-50s %9d raw %9d gzip\n' "$f" "$raw" "$gz"
  done
  printf '  %-50s %9s     %9d gzip (budget %d = 700 KiB)\n' "total" "" "$total" "$BUDGET_BYTES"
  if ! compgen -G 'dist/*.wasm' >/dev/null; then
    echo "[test] no .wasm in dist/"
    record "size budget" 0 1 $((SECONDS - t0))
  elif [ "$total" -gt "$BUDGET_BYTES" ]; then
    echo "[test] OVER BUDGET: dist/ is $total bytes gzip, $(( (total - BUDGET_BYTES) / 1024 )) KiB over the 700 KiB budget"
    record "size budget" 0 1 $((SECONDS - t0))
  else
    echo "[test] within budget: $total bytes gzip, $(( (BUDGET_BYTES - total) / 1024 )) KiB to spare"
    record "size budget" 1 0 $((SECONDS - t0))
  fi
fi

# 5. Playwright against dist/ served by python's http.server on a free port (see playwright.config.ts).
if [ "$built" = true ] && compgen -G 'tests/e2e/*.spec.ts' >/dev/null; then
  banner "Playwright e2e (tests/e2e)"
  t0=$SECONDS
  E2E_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export E2E_PORT
  PLAYWRIGHT_JSON_OUTPUT_NAME="$logs/e2e.json" npx --no-install playwright test --reporter=list,json
  rc=$?
  read -r p f < <(python3 - "$logs/e2e.json" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))["stats"]
    print(s.get("expected", 0) + s.get("flaky", 0), s.get("unexpected", 0))
except Exception as e:
    print(f"[test] no Playwright report: {e}", file=sys.stderr)
    print(0, 0)
PY
)
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "[test] Playwright exited $rc without a failing test: counted as one failure"
    f=1
  fi
  record "playwright e2e" "$p" "$f" $((SECONDS - t0))
elif [ "$built" != true ]; then
  echo "[test] Playwright skipped: no dist/ to test"
  record "playwright e2e" 0 1 0
fi

banner "summary ($((SECONDS - t_all))s)"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
