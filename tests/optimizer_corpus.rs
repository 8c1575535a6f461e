//! Corpus test for the optimizer: for every SQL case of the practice corpus, analyze → optimize and
//! compare with real Spark 3.5's optimized logical plan (`plan_before_action.optimized_logical_plan_with_stats`
//! in `../shared/fidelity/expected.jsonl`), after removing expression ids and statistics. Prints a
//! per-case diff; fails when fewer cases match exactly than the recorded floor.
//! Knows the corpus layout; nothing of how the optimizer works.

use stagecraft::conf::SparkConf;
use stagecraft::logical::expr::IdGen;
use stagecraft::optimizer::{optimize, OptimizerContext};
use stagecraft::scenario::Scenario;
use std::path::PathBuf;

/// Cases that match Spark exactly today; raise it when more do.
const FLOOR: usize = 30;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity")
}

#[path = "common/strip_ids.rs"]
mod strip_ids;
use strip_ids::strip_ids;

fn normalize(plan: &str) -> String {
    plan.lines()
        .map(|l| {
            let l = match l.find(", Statistics(") {
                Some(i) => &l[..i],
                None => l,
            };
            strip_ids(l).trim_end().to_string()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn optimized_plans_match_spark() {
    let expected_path = corpus_dir().join("expected.jsonl");
    let Ok(expected) = std::fs::read_to_string(&expected_path) else {
        eprintln!("corpus not found at {}; skipping", expected_path.display());
        return;
    };
    let mut matched = vec![];
    let mut mismatched = vec![];
    for line in expected.lines() {
        let Ok(run) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let (Some(case), Some(variant)) = (run["case_id"].as_str(), run["variant"].as_str()) else { continue };
        if run["lang"].as_str() != Some("sql") {
            continue;
        }
        let Some(spark_plan) = run["plan_before_action"]["optimized_logical_plan_with_stats"].as_str() else { continue };
        let scen_path = corpus_dir().join("scenarios").join(format!("{case}__{variant}.json"));
        let Ok(text) = std::fs::read_to_string(&scen_path) else { continue };
        let Ok(scenario) = Scenario::from_json(&text) else {
            mismatched.push((case.to_string(), "scenario does not load".to_string()));
            continue;
        };
        let mut ids = IdGen::starting_at(0);
        let analyzed = match stagecraft::input::sql::analyze_query_text(&scenario.query.text, &scenario, &mut ids) {
            Ok(p) => p,
            Err(e) => {
                mismatched.push((case.to_string(), format!("analysis failed: {e}")));
                continue;
            }
        };
        let conf = SparkConf::new(&scenario.confs);
        let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
        let (optimized, _steps) = optimize(&analyzed, &mut ctx);
        let ours = normalize(&optimized.to_string());
        let theirs = normalize(spark_plan);
        if ours == theirs {
            matched.push(format!("{case}/{variant}"));
        } else {
            mismatched.push((case.to_string(), format!("--- spark\n{theirs}\n--- stagecraft\n{ours}")));
        }
    }
    for (case, why) in &mismatched {
        eprintln!("=== MISMATCH {case}\n{why}\n");
    }
    eprintln!("optimizer corpus: {} of {} SQL cases match exactly: {:?}", matched.len(), matched.len() + mismatched.len(), matched);
    assert!(matched.len() >= FLOOR, "{} cases match, floor is {FLOOR}", matched.len());
}
