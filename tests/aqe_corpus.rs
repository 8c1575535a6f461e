//! AQE on the practice corpus: for every `__aqe_on` run, the simulated run's final joins (skew flag
//! included), AQE shuffle reads and completed stages' task counts against what Spark 3.5 did; and the
//! decisions behind the runtime re-plans (SMJ → BHJ with local reads, skew splits) carry their numbers.
//! Skipped when the corpus (`../shared/fidelity`) is not next to the crate.

use stagecraft::pipeline;
use stagecraft::scenario::Scenario;
use stagecraft::stage::{self, aqe::AqeDecision};

fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity")
}

fn expected(id: &str) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.jsonl")).ok()?;
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| format!("{}__{}", v["case_id"].as_str().unwrap_or(""), v["variant"].as_str().unwrap_or("")) == id)
}

fn scenario(id: &str) -> Option<Scenario> {
    let text = std::fs::read_to_string(corpus_dir().join("scenarios").join(format!("{id}.json"))).ok()?;
    Scenario::from_json(&text).ok()
}

fn decisions(sc: &Scenario) -> Vec<AqeDecision> {
    let a = pipeline::analyze(sc).expect("plans");
    let shape = stage::run_shape(&a.executions, sc, &a.conf);
    shape.decisions.last().cloned().unwrap_or_default()
}

fn number(d: &AqeDecision, name: &str) -> f64 {
    d.numbers.iter().find(|(n, _)| n == name).map(|(_, v)| *v).unwrap_or(f64::NAN)
}

#[test]
fn aqe_runs_match_spark() {
    let Ok(entries) = std::fs::read_dir(corpus_dir().join("scenarios")) else {
        eprintln!("fidelity corpus not found; skipped");
        return;
    };
    let mut ids: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().trim_end_matches(".json").to_string())
        .filter(|n| n.ends_with("__aqe_on"))
        .collect();
    ids.sort();
    let mut misses = vec![];
    for id in &ids {
        let (Some(sc), Some(exp)) = (scenario(id), expected(id)) else { continue };
        let run = match pipeline::simulate(&sc) {
            Ok(r) => r.report,
            Err(d) => {
                misses.push(format!("{id}: {}", d.message));
                continue;
            }
        };
        let skew = exp["summary"]["aqe"]["skew_join"].as_bool().unwrap_or(false);
        let mut want_joins: Vec<String> = exp["summary"]["joins_final"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|j| format!("{} {} {} {}", j["strategy"].as_str().unwrap_or(""), j["join_type"].as_str().unwrap_or(""), j["build_side"].as_str().unwrap_or("-"), skew && j["strategy"] == "SortMergeJoin"))
                    .collect()
            })
            .unwrap_or_default();
        want_joins.sort();
        let mut got_joins: Vec<String> = run
            .joins_final
            .iter()
            .map(|j| format!("{} {} {} {}", j.strategy, j.join_type, j.build_side.as_deref().unwrap_or("-"), j.skew_join))
            .collect();
        got_joins.sort();
        if got_joins != want_joins {
            misses.push(format!("{id}: joins_final {got_joins:?}, Spark {want_joins:?}"));
        }
        let mut want_reads: Vec<(String, u64)> = exp["summary"]["aqe"]["shuffle_reads"]
            .as_array()
            .map(|a| a.iter().map(|r| (r["desc"].as_str().unwrap_or("").to_string(), r["partitions"].as_u64().unwrap_or(0))).collect())
            .unwrap_or_default();
        want_reads.sort();
        let mut got_reads: Vec<(String, u64)> = run.aqe_shuffle_reads.iter().map(|r| (r.desc.clone(), r.partitions as u64)).collect();
        got_reads.sort();
        if got_reads != want_reads {
            misses.push(format!("{id}: AQE reads {got_reads:?}, Spark {want_reads:?}"));
        }
        let mut want_tasks: Vec<u64> = exp["summary"]["completed_stage_tasks"]
            .as_array()
            .map(|a| a.iter().filter_map(|t| t.as_array().and_then(|t| t.get(2)).and_then(|n| n.as_u64())).collect())
            .unwrap_or_default();
        want_tasks.sort_unstable();
        let mut got_tasks: Vec<u64> =
            run.jobs.iter().flat_map(|j| j.stages.iter()).filter(|s| s.status == "completed").map(|s| s.num_tasks as u64).collect();
        got_tasks.sort_unstable();
        if got_tasks != want_tasks {
            misses.push(format!("{id}: completed stage tasks {got_tasks:?}, Spark {want_tasks:?}"));
        }
    }
    assert!(misses.is_empty(), "{} of {} AQE runs differ from Spark:\n{}", misses.len(), ids.len(), misses.join("\n"));
}

#[test]
fn smj_becomes_bhj_with_local_reads() {
    let Some(sc) = scenario("p_aqe_smj_to_bhj__aqe_on") else { return };
    let d = decisions(&sc);
    let replan = d.iter().find(|d| d.rule == "JoinSelection (AQE re-plan)").expect("a runtime join re-plan");
    // The filtered customers side materialised far under the 10 MiB threshold.
    assert!(number(replan, "right_data_size") < number(replan, "threshold"));
    assert_eq!(number(replan, "threshold"), 10.0 * 1024.0 * 1024.0);
    let locals: Vec<f64> = d.iter().filter(|d| d.rule == "OptimizeShuffleWithLocalRead").map(|d| number(d, "partitions")).collect();
    assert_eq!(locals.len(), 2, "{d:#?}");
    assert!(locals.contains(&1.0) && locals.contains(&2.0));
}

#[test]
fn skew_join_splits_the_hot_customer() {
    let Some(sc) = scenario("p_aqe_skew_join__aqe_on") else { return };
    let d = decisions(&sc);
    let summary = d.iter().find(|d| d.rule == "OptimizeSkewedJoin").expect("a skew decision");
    // skewedPartitionThresholdInBytes 2m beats 5 × the median.
    assert_eq!(number(summary, "left_threshold"), 2.0 * 1024.0 * 1024.0);
    // target = max(advisory 1m, mean of the non-skewed partitions).
    assert_eq!(number(summary, "left_target"), 1024.0 * 1024.0);
    assert_eq!(number(summary, "skewed_left"), 1.0);
    assert_eq!(number(summary, "skewed_right"), 0.0);
    let split = d.iter().find(|d| d.rule == "OptimizeSkewedJoin" && d.numbers.iter().any(|(n, _)| n == "splits")).expect("a split");
    // Four scan tasks read rows (two of the six read no row group): four pieces.
    assert_eq!(number(split, "splits"), 4.0);
    // Spark's Murmur3 puts customer 4242 in partition 167 of 200.
    assert_eq!(number(split, "partition"), 167.0);
}

#[test]
fn cte_reuses_the_aggregate_shuffle_and_broadcasts_it() {
    let Some(sc) = scenario("p_cte_reused__aqe_on") else { return };
    let run = pipeline::simulate(&sc).expect("runs").report;
    assert!(run.final_plan.contains("ReusedExchange"), "{}", run.final_plan);
    assert!(run.final_plan.contains("BroadcastHashJoin"), "{}", run.final_plan);
    assert!(!run.final_plan.contains("Sort ["), "{}", run.final_plan);
    // The reused shuffle runs once: 4 jobs (map stage, broadcast, single-partition map stage, result).
    assert_eq!(run.jobs.len(), 4);
}

fn simulate_with(id: &str, settings: &[(&str, &str)]) -> Option<stagecraft::report::Report> {
    let mut sc = scenario(id)?;
    for (k, v) in settings {
        pipeline::apply_setting(&mut sc, k, v).expect("a spark conf");
    }
    Some(pipeline::simulate(&sc).expect("runs").report)
}

#[test]
fn runtime_broadcast_follows_its_confs() {
    // The adaptive threshold off: the sort-merge join stays, read through coalesced reads.
    let Some(r) = simulate_with("p_aqe_smj_to_bhj__aqe_on", &[("spark.sql.adaptive.autoBroadcastJoinThreshold", "-1")]) else { return };
    assert_eq!(r.joins_final[0].strategy, "SortMergeJoin");
    assert!(r.aqe_shuffle_reads.iter().all(|x| x.desc == "coalesced"), "{:?}", r.aqe_shuffle_reads);
    // Local reads off: still a broadcast hash join, its inputs read coalesced.
    let Some(r) = simulate_with("p_aqe_smj_to_bhj__aqe_on", &[("spark.sql.adaptive.localShuffleReader.enabled", "false")]) else { return };
    assert_eq!(r.joins_final[0].strategy, "BroadcastHashJoin");
    assert!(r.aqe_shuffle_reads.iter().all(|x| x.desc != "local"), "{:?}", r.aqe_shuffle_reads);
    assert!(r.jobs.iter().any(|j| j.kind == "broadcast_build"));
}

#[test]
fn skew_join_follows_its_confs() {
    let Some(r) = simulate_with("p_aqe_skew_join__aqe_on", &[("spark.sql.adaptive.skewJoin.enabled", "false")]) else { return };
    assert!(!r.joins_final[0].skew_join);
    assert!(!r.final_plan.contains("skew=true"));
    // A threshold above the hot partition: nothing is skewed.
    let Some(r) = simulate_with("p_aqe_skew_join__aqe_on", &[("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "64m")]) else { return };
    assert!(!r.joins_final[0].skew_join);
    // Coalescing off: the read is only skewed, 199 whole partitions + 4 splits on each side.
    let Some(r) = simulate_with("p_aqe_skew_join__aqe_on", &[("spark.sql.adaptive.coalescePartitions.enabled", "false")]) else { return };
    assert!(r.joins_final[0].skew_join);
    assert!(r.aqe_shuffle_reads.iter().any(|x| x.desc == "skewed" && x.partitions == 203), "{:?}", r.aqe_shuffle_reads);
}

#[test]
fn range_exchange_samples_before_its_map_stage_under_aqe() {
    let Some(r) = simulate_with("p_orderby_write__aqe_on", &[]) else { return };
    let kinds: Vec<&str> = r.jobs.iter().map(|j| j.kind.as_str()).collect();
    assert_eq!(kinds, vec!["range_partitioner_sampling", "shuffle_map_stage_only (AQE query stage)", "result"]);
}

#[test]
fn small_partitions_prefer_a_shuffled_hash_join() {
    // DynamicJoinSelection: advisory ≤ maxShuffledHashJoinLocalMapThreshold and every partition under
    // it → PREFER_SHUFFLE_HASH (broadcast being off at runtime).
    let Some(r) = simulate_with(
        "p_aqe_smj_to_bhj__aqe_on",
        &[("spark.sql.adaptive.autoBroadcastJoinThreshold", "-1"), ("spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold", "64m")],
    ) else {
        return;
    };
    assert_eq!(r.joins_final[0].strategy, "ShuffledHashJoin");
    assert_eq!(r.joins_final[0].build_side.as_deref(), Some("BuildRight"));
    assert!(!r.final_plan.contains("Sort ["), "{}", r.final_plan);
}

#[test]
fn run_shape_carries_partition_bytes() {
    let Some(sc) = scenario("p_aqe_skew_join__aqe_on") else { return };
    let a = pipeline::analyze(&sc).expect("plans");
    let shape = stage::run_shape(&a.executions, &sc, &a.conf);
    let shuffles = shape.shuffle_bytes.last().expect("one execution");
    // orders by customer_id: the hot customer's partition 167 holds about half of the bytes.
    let orders = shuffles.values().find(|v| v.len() == 200 && v[167] > 10_000_000).expect("the orders shuffle");
    let total: u64 = orders.iter().sum();
    assert!(orders[167] * 3 > total, "{} of {total}", orders[167]);
    // Its skew-join read: 18 tasks, four of them the hot partition's map outputs.
    let reads = shape.read_bytes.last().expect("one execution");
    let left = reads.values().find(|v| v.len() == 18 && v.iter().filter(|b| **b > 3_000_000).count() == 4);
    assert!(left.is_some(), "{reads:?}");
}
