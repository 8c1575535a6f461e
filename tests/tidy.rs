//! Tidy rules for `src/**/*.rs`, checked on the host:
//! (a) every file starts with a `//!` line saying what the module does and does not know;
//! (b) the UI crates (yew, web_sys, gloo, wasm_bindgen, js_sys) appear only in `src/view/` and `src/main.rs`;
//! (c) the core has no clocks and no unseeded randomness, so every run of a scenario gives the same answer.

use std::fs;
use std::path::{Path, PathBuf};

/// Identifiers of the browser-only crates.
const UI_CRATES: &[&str] = &[
    "yew",
    "web_sys",
    "gloo",
    "wasm_bindgen",
    "wasm_bindgen_futures",
    "js_sys",
];

/// Clocks and entropy sources. The simulator's time is simulated and its randomness seeded from the scenario.
const NONDETERMINISM: &[&str] = &[
    "std::time",
    "Instant::now",
    "SystemTime",
    "UNIX_EPOCH",
    "thread_rng",
    "rand::random",
    "from_entropy",
    "OsRng",
    "getrandom",
    "RandomState",
    "Math.random",
    "Math::random",
    "Date.now",
    "Date::now",
    "performance.now",
    "chrono::",
];

/// Paths (relative to the crate root, `/`-separated) allowed to touch the browser and the clock.
fn is_ui(rel: &str) -> bool {
    rel.starts_with("src/view/") || rel == "src/main.rs"
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The line without its `//` comment (a `//` inside a string literal is kept).
fn code_part(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'/' if !in_str && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// True when `word` occurs in `code` as a whole identifier (not as part of a longer one).
fn has_ident(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

/// The problems of one file, each as `path:line: message`.
fn check_file(rel: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !text.lines().next().is_some_and(|l| l.starts_with("//!")) {
        problems.push(format!(
            "{rel}:1: the first line must be a `//!` doc comment saying what the module does and does not know"
        ));
    }
    if is_ui(rel) {
        return problems;
    }
    let mut in_block_comment = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim_start();
        if in_block_comment {
            if trimmed.contains("*/") {
                in_block_comment = false;
            }
            continue;
        }
        if trimmed.starts_with("/*") {
            in_block_comment = !trimmed.contains("*/");
            continue;
        }
        let code = code_part(line);
        for word in UI_CRATES {
            if has_ident(code, word) {
                problems.push(format!(
                    "{rel}:{n}: `{word}` outside src/view/ and src/main.rs: the core knows nothing of the UI"
                ));
            }
        }
        for needle in NONDETERMINISM {
            if code.contains(needle) {
                problems.push(format!(
                    "{rel}:{n}: `{needle}` in the core: no clocks or unseeded randomness (use simulated time and the scenario's seed)"
                ));
            }
        }
    }
    problems
}

#[test]
fn sources_are_tidy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(!files.is_empty(), "no Rust files under src/");
    let mut problems = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"));
        problems.extend(check_file(&rel, &text));
    }
    assert!(
        problems.is_empty(),
        "{} tidy problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn tidy_rules_catch_what_they_should() {
    let ok = "//! A module.\nuse std::collections::BTreeMap;\n// web_sys and std::time in a comment are fine\nlet s = \"a // b\";\n";
    assert_eq!(check_file("src/core.rs", ok), Vec::<String>::new());

    let bad = "use std::collections::BTreeMap;\nuse yew::prelude::*;\nlet t = std::time::Instant::now();\nlet r = rand::thread_rng();\n";
    let problems = check_file("src/sim/mod.rs", bad);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("src/sim/mod.rs:1: the first line")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("src/sim/mod.rs:2: `yew`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("src/sim/mod.rs:3: `std::time`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("src/sim/mod.rs:3: `Instant::now`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("src/sim/mod.rs:4: `thread_rng`")),
        "{problems:?}"
    );

    // Identifiers that merely contain a crate's name are not the crate.
    assert!(check_file("src/a.rs", "//! x\nlet yewtree = my_gloo_count;\n").is_empty());
    // The view and the wasm entry point may use the browser and the clock.
    assert!(check_file(
        "src/view/mod.rs",
        "//! x\nuse yew::prelude::*;\nlet t = js_sys::Date::now();\n"
    )
    .is_empty());
    assert!(check_file(
        "src/main.rs",
        "//! x\nfn main() { stagecraft::view::run(); }\n"
    )
    .is_empty());
}
