#!/usr/bin/env bash
# Turns trunk's dist/ into one self-contained page, dist/stagecraft-offline.html, that works when opened
# from disk (file://): the CSS goes into a <style>, the wasm-bindgen JS glue into an inline module script,
# and the wasm into that script as base64, instantiated from memory (no fetch, which file:// refuses).
#   bash scripts/single-file.sh [DIST_DIR]      (default: dist; build it first with `trunk build --release`)
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist}
exec python3 - "$DIST" <<'PY'
import base64, os, re, sys

dist = sys.argv[1]
page = open(os.path.join(dist, "index.html"), encoding="utf-8").read()

def asset(href):
    # trunk writes "/x", "./x" or "<public_url>x"; the file is dist/<basename>.
    path = os.path.join(dist, os.path.basename(href.split("?")[0].split("#")[0]))
    if not os.path.isfile(path):
        sys.exit(f"single-file: {path} (from {href!r}) not found; run `trunk build --release` first")
    return path

def attr(tag, name):
    m = re.search(r'\b' + name + r'\s*=\s*"([^"]*)"', tag)
    return m.group(1) if m else None

# Stylesheets -> <style>.
def inline_css(m):
    css = open(asset(attr(m.group(0), "href")), encoding="utf-8").read()
    return "<style>\n" + css.replace("</style", "<\\/style") + "\n</style>"
page, n_css = re.subn(r'<link\b[^>]*\brel="stylesheet"[^>]*>', inline_css, page)

# Preloads of the JS and wasm are not needed any more.
page = re.sub(r'<link\b[^>]*\brel="(?:modulepreload|preload)"[^>]*>\s*', "", page)

# The loader module: `import init, * as bindings from '/x.js'; const wasm = await init({ module_or_path: '/x_bg.wasm' }); ...`
loader = re.search(r'<script type="module"[^>]*>(.*?)</script>', page, re.S)
if not loader:
    sys.exit("single-file: no module <script> (trunk's loader) in index.html")
body = loader.group(1)
js_href = re.search(r'''from\s+['"]([^'"]+\.js)['"]''', body)
wasm_href = re.search(r'''module_or_path:\s*['"]([^'"]+\.wasm)['"]''', body)
if not js_href or not wasm_href:
    sys.exit("single-file: trunk's loader no longer looks like `import init, * as bindings from '...js'` + `init({ module_or_path: '...wasm' })`")
glue = open(asset(js_href.group(1)), encoding="utf-8").read()
# The glue is an ES module whose only export is its last statement; inline, its functions are plain locals.
glue, n_exports = re.subn(r'^export \{ initSync, __wbg_init as default \};\s*$', "", glue, flags=re.M)
if n_exports != 1 or re.search(r'^export\b', glue, re.M):
    sys.exit("single-file: the wasm-bindgen glue's exports changed; update scripts/single-file.sh")
wasm_b64 = base64.b64encode(open(asset(wasm_href.group(1)), "rb").read()).decode("ascii")
script = (
    '<script type="module">\n'
    + glue.replace("</script", "<\\/script")
    + "\nconst __stagecraft_wasm = Uint8Array.from(atob(\"" + wasm_b64 + "\"), (c) => c.charCodeAt(0));\n"
    + "const __stagecraft_exports = await __wbg_init({ module_or_path: __stagecraft_wasm });\n"
    + "dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", { detail: { wasm: __stagecraft_exports } }));\n"
    + "</script>"
)
page = page[: loader.start()] + script + page[loader.end():]
out = os.path.join(dist, "stagecraft-offline.html")
open(out, "w", encoding="utf-8").write(page)
print(f"single-file: wrote {out} ({os.path.getsize(out):,} bytes; {n_css} stylesheet(s) inlined)")
PY
