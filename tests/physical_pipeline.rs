//! End to end on the practice corpus's SQL scenarios: the analyzer and optimizer's plans, physically
//! planned, against the shape of Spark's initial plan, its joins and its DPP flag (both AQE variants).
//! Skipped when the corpus (`../shared/fidelity`) is not next to the crate.

#[path = "physical_corpus/expected.rs"]
mod expected;
#[path = "physical_corpus/support.rs"]
mod support;

use stagecraft::conf::SparkConf;
use stagecraft::logical::expr::IdGen;
use stagecraft::optimizer::{optimize, OptimizerContext};
use stagecraft::physical::{self, explain};
use stagecraft::scenario::Scenario;
use support::shape;

fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity")
}

#[test]
fn sql_scenarios_plan_like_spark() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(dir.join("scenarios")) else {
        eprintln!("fidelity corpus not found; skipped");
        return;
    };
    let mut names: Vec<String> = entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect();
    names.sort();
    let expected_lines = std::fs::read_to_string(dir.join("expected.jsonl")).unwrap_or_default();
    let mut report = vec![];
    let mut text_misses: Vec<String> = vec![];
    let mut checked = 0;
    let mut matched = 0;
    for name in names.iter().filter(|n| n.ends_with(".json")) {
        let text = std::fs::read_to_string(dir.join("scenarios").join(name)).unwrap_or_default();
        let Ok(sc) = Scenario::from_json(&text) else { continue };
        if sc.query.lang != "sql" || !sc.query.setup_sql.is_empty() {
            continue;
        }
        let id = name.trim_end_matches(".json").to_string();
        let Some((_, want_text, want_shape, _)) = expected::CASES.iter().find(|(c, _, _, _)| *c == id) else { continue };
        let exp: serde_json::Value = expected_lines
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| format!("{}__{}", v["case_id"].as_str().unwrap_or(""), v["variant"].as_str().unwrap_or("")) == id)
            .unwrap_or_default();
        let mut want_joins: Vec<String> = exp["summary"]["joins_initial"]
            .as_array()
            .map(|a| a.iter().map(|j| format!("{} {} {}", j["strategy"], j["join_type"], j["build_side"])).collect())
            .unwrap_or_default();
        want_joins.sort();
        let want_dpp = exp["summary"]["dpp"].as_bool().unwrap_or(false);

        checked += 1;
        let conf = SparkConf::new(&sc.confs);
        let mut ids = IdGen::default();
        let analyzed = match stagecraft::input::sql::analyze_query_text(&sc.query.text, &sc, &mut ids) {
            Ok(p) => p,
            Err(d) => {
                report.push(format!("{id}: analysis failed: {d}"));
                continue;
            }
        };
        let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
        let (optimized, _) = optimize(&analyzed, &mut ctx);
        let planned = match physical::plan(&optimized, &conf, &sc) {
            Ok(p) => p,
            Err(d) => {
                report.push(format!("{id}: planning failed: {d}"));
                continue;
            }
        };
        let tree = explain::tree_string(&planned.plan);
        let got_shape = shape(&tree);
        let mut got_joins: Vec<String> = planned
            .joins
            .iter()
            .map(|j| {
                let b = j.build_side.map(|b| format!("\"{}\"", b.name())).unwrap_or("null".into());
                format!("\"{}\" \"{}\" {b}", j.strategy, j.join_type)
            })
            .collect();
        got_joins.sort();
        let mut problems = vec![];
        if got_shape != *want_shape {
            problems.push(format!("shape\n--- got ---\n{got_shape}\n--- want ---\n{want_shape}\n--- plan ---\n{tree}\n--- optimized ---\n{optimized}"));
        }
        let got_text = support::normalise(&tree);
        if got_text != *want_text {
            text_misses.push(format!("{id}\n--- got ---\n{got_text}\n--- want ---\n{want_text}"));
        }
        if got_joins != want_joins {
            problems.push(format!("joins: got {got_joins:?} want {want_joins:?}"));
        }
        if planned.dynamic_partition_pruning != want_dpp {
            problems.push(format!("dpp: got {} want {want_dpp}", planned.dynamic_partition_pruning));
        }
        if problems.is_empty() {
            matched += 1;
        } else {
            report.push(format!("{id}: {}", problems.join("; ")));
        }
    }
    for r in &report {
        eprintln!("MISS {r}\n");
    }
    for t in &text_misses {
        eprintln!("TEXT {t}\n");
    }
    eprintln!(
        "physical pipeline: {matched}/{checked} SQL scenarios match Spark's initial plan shape, joins and DPP; {}/{checked} its executed plan text",
        checked - text_misses.len()
    );
    assert_eq!(matched, checked, "every SQL scenario of the practice corpus plans like Spark");
}

