//! Data-driven golden tests of every planning phase. Each directory `tests/golden/<case>/` holds a query
//! (`query.sql`) and a catalog (`catalog`: `builtin:retail` or `builtin:tpch`, then optional
//! `spark.conf=value` lines; or `catalog.sql`: Stagecraft DDL, `SET` statements included), and the
//! expected text of each phase: `analyzed.txt`, `optimized.txt`, `physical.txt` (EXPLAIN's
//! `== Physical Plan ==` tree) and `formatted.txt` (EXPLAIN FORMATTED), or `error.txt`
//! (`line:col: message`) for a query that must be refused. Texts are compared exactly (ids included);
//! a mismatch prints a line diff. `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the expected
//! files; `GOLDEN_CASE=part` runs the cases whose name contains `part`.
//!
//! A golden must be what Spark 3.5 prints (modulo expression ids). Where Stagecraft is known to differ
//! for a phase, the case lists it in `skip` (`phase: why`, one a line) and no text is kept for it, so a
//! wrong answer is never frozen. `parsed.txt` (EXPLAIN EXTENDED's `== Parsed Logical Plan ==`) is kept
//! for the cases whose query `input::sql::parsed` prints as Spark's unresolved plan; for the others
//! Stagecraft shows the SQL text and no parsed text is kept.
//! Knows the pipeline's public API only.

use stagecraft::input::catalogs;
use stagecraft::pipeline;
use stagecraft::scenario::Scenario;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The phases a successful case records, in pipeline order.
const PHASES: &[&str] = &["analyzed", "optimized", "physical", "formatted"];

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The case's scenario: its catalog (built-in or DDL) and confs, with `query.sql` as the query.
fn scenario(dir: &Path) -> Result<Scenario, String> {
    let query = std::fs::read_to_string(dir.join("query.sql")).map_err(|e| format!("query.sql: {e}"))?;
    let query = query.trim_end().to_string();
    if let Ok(ddl) = std::fs::read_to_string(dir.join("catalog.sql")) {
        return pipeline::scenario_from_sql(&ddl, &query).map_err(|d| format!("catalog.sql: {d}"));
    }
    let spec = std::fs::read_to_string(dir.join("catalog")).map_err(|e| format!("catalog: {e}"))?;
    let mut lines = spec.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    let first = lines.next().unwrap_or_default();
    let name = first.strip_prefix("builtin:").ok_or_else(|| format!("catalog: expected `builtin:NAME`, got `{first}`"))?;
    let tables = catalogs::by_name(name).ok_or_else(|| format!("catalog: no built-in catalog `{name}`"))?;
    let mut confs = BTreeMap::new();
    for l in lines {
        let (k, v) = l.split_once('=').ok_or_else(|| format!("catalog: expected `key=value`, got `{l}`"))?;
        confs.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(Scenario::of_query("sql", &query, tables, confs))
}

/// What the pipeline produced for a case: (file name, text) per phase, or the error.
fn outputs(s: &Scenario) -> Vec<(&'static str, String)> {
    let a = match pipeline::analyze(s) {
        Ok(a) => a,
        Err(d) => return vec![("error", format!("{}:{}: {}", d.span.start.line, d.span.start.col, d.message))],
    };
    let Some(main) = a.main() else { return vec![("error", "no execution".into())] };
    let formatted = match pipeline::explain(s, pipeline::ExplainMode::Formatted) {
        Ok(t) => t,
        Err(d) => format!("error {d}"),
    };
    let mut out = vec![];
    // The parsed phase is kept only where Stagecraft prints Spark's unresolved plan (`'Project [...]`);
    // where it falls back to the SQL text there is nothing to compare.
    if main.parsed.starts_with('\'') {
        out.push(("parsed", main.parsed.clone()));
    }
    out.extend([
        ("analyzed", main.analyzed.to_string()),
        ("optimized", main.optimized.to_string()),
        ("physical", stagecraft::physical::explain::tree_string(&main.physical.plan)),
        ("formatted", formatted),
    ]);
    out
}

fn normalise(s: &str) -> String {
    let mut t: String = s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    t.push('\n');
    t
}

/// A line diff (longest common subsequence): `-` expected, `+` got, two lines of context.
fn diff(expected: &str, got: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, &str)> = vec![];
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near = |k: usize| ops[k.saturating_sub(2)..(k + 3).min(ops.len())].iter().any(|(c, _)| *c != ' ');
    let mut out = String::new();
    let mut skipped = false;
    for (k, (c, l)) in ops.iter().enumerate() {
        if near(k) {
            if skipped {
                out.push_str("   ...\n");
                skipped = false;
            }
            out.push_str(&format!(" {c} {l}\n"));
        } else {
            skipped = true;
        }
    }
    out
}

#[test]
fn golden_plans() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0");
    let only = std::env::var("GOLDEN_CASE").ok();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("query.sql").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases under tests/golden");
    let mut failures = vec![];
    let mut checked = 0;
    for dir in &cases {
        let name = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        checked += 1;
        let s = match scenario(dir) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("=== {name}: {e}"));
                continue;
            }
        };
        // Phases this case does not keep, with why (`phase: reason`).
        let skipped: Vec<String> = std::fs::read_to_string(dir.join("skip"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(':').map(|(p, _)| p.trim().to_string()))
            .collect();
        let got: Vec<(&str, String)> = outputs(&s).into_iter().filter(|(p, _)| !skipped.iter().any(|k| k == p)).collect();
        let produced: Vec<&str> = got.iter().map(|(f, _)| *f).collect();
        // Expected files of phases this run did not produce (an error where plans were expected, or the reverse).
        for stale in PHASES.iter().chain(["error", "parsed"].iter()) {
            let p = dir.join(format!("{stale}.txt"));
            if !produced.contains(stale) && p.exists() {
                if update {
                    let _ = std::fs::remove_file(&p);
                } else {
                    failures.push(format!("=== {name}/{stale}.txt: expected, but the pipeline produced {produced:?}"));
                }
            }
        }
        for (phase, text) in &got {
            let path = dir.join(format!("{phase}.txt"));
            let text = normalise(text);
            if update {
                if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                    std::fs::write(&path, &text).expect("write golden");
                    eprintln!("updated {name}/{phase}.txt");
                }
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(expected) if normalise(&expected) == text => {}
                Ok(expected) => failures.push(format!(
                    "=== {name}/{phase}.txt differs (- expected, + got):\n{}",
                    diff(&normalise(&expected), &text)
                )),
                Err(_) => failures.push(format!("=== {name}/{phase}.txt missing; got:\n{text}")),
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("golden: {checked} cases checked, {} failures", failures.len());
    assert!(
        failures.is_empty(),
        "{} golden mismatches (see above); if the new output is right, rerun with UPDATE_GOLDEN=1",
        failures.len()
    );
}
