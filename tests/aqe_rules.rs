//! AQE's `OptimizeSkewInRebalancePartitions` and `AQEPropagateEmptyRelation` end to end on the
//! built-in retail catalog: SQL through planning, the adaptive run and the report (final plan, AQE
//! reads, jobs), with the decisions recorded with their arithmetic. `orders.customer_id` has one hot
//! value (60 % of the rows); `stores.store_type` lists all three of its values, so a filter on another
//! value keeps no row in the data model.

use std::collections::BTreeMap;
use stagecraft::pipeline;
use stagecraft::report::Report;
use stagecraft::scenario::Scenario;
use stagecraft::stage::{self, aqe::AqeDecision};

fn scenario(sql: &str, confs: &[(&str, &str)]) -> Scenario {
    let mut c = BTreeMap::new();
    c.insert("spark.sql.adaptive.enabled".to_string(), "true".to_string());
    c.insert("spark.sql.session.timeZone".to_string(), "UTC".to_string());
    for (k, v) in confs {
        c.insert(k.to_string(), v.to_string());
    }
    Scenario::of_query("sql", sql, stagecraft::input::catalogs::retail(), c)
}

fn decisions(sc: &Scenario) -> Vec<AqeDecision> {
    let a = pipeline::analyze(sc).expect("plans");
    let shape = stage::run_shape(&a.executions, sc, &a.conf);
    shape.decisions.last().cloned().unwrap_or_default()
}

fn report(sc: &Scenario) -> Report {
    pipeline::simulate(sc).expect("simulates").report
}

fn number(d: &AqeDecision, name: &str) -> f64 {
    d.numbers.iter().find(|(n, _)| n == name).map(|(_, v)| *v).unwrap_or(f64::NAN)
}

const REBALANCE: &str = "SELECT /*+ REBALANCE(customer_id) */ customer_id, total_amount FROM orders";

#[test]
fn rebalance_splits_the_hot_partition_and_coalesces_the_rest() {
    let sc = scenario(REBALANCE, &[("spark.sql.adaptive.advisoryPartitionSizeInBytes", "4m")]);
    let r = report(&sc);
    assert!(r.initial_plan.contains("REBALANCE_PARTITIONS_BY_COL"), "{}", r.initial_plan);
    assert!(r.final_plan.contains("AQEShuffleRead coalesced and skewed\n   +- ShuffleQueryStage 0"), "{}", r.final_plan);
    let reads: Vec<(String, u32)> = r.aqe_shuffle_reads.iter().map(|a| (a.desc.clone(), a.partitions)).collect();
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0].0, "coalesced and skewed");
    // The result stage runs one task per read partition.
    let last = r.jobs.last().expect("jobs");
    let run: Vec<u32> = last.stages.iter().filter(|s| s.status == "completed").map(|s| s.num_tasks).collect();
    assert_eq!(run, vec![reads[0].1]);

    let ds = decisions(&sc);
    let d = ds.iter().find(|d| d.rule == "OptimizeSkewInRebalancePartitions").expect("rule fired");
    assert_eq!(number(d, "advisory"), (4u64 << 20) as f64);
    assert_eq!(number(d, "small_partition_factor"), 0.2);
    assert_eq!(number(d, "partitions_over"), 1.0, "only the hot customer's partition is over 4 MiB: {}", d.description);
    assert!(number(d, "largest") > (4u64 << 20) as f64);
    // Two map tasks: the hot partition is read in two map ranges → 201 specs before coalescing.
    assert_eq!(number(d, "partitions_after"), 201.0, "{}", d.description);
    let c = ds.iter().find(|d| d.rule == "CoalesceShufflePartitions").expect("coalesced around the split");
    assert_eq!(number(c, "partitions_after"), reads[0].1 as f64);
}

#[test]
fn rebalance_within_the_advisory_size_is_only_coalesced() {
    // 64 MiB (the default) is above every partition: the rule leaves the shuffle alone.
    let sc = scenario(REBALANCE, &[]);
    let r = report(&sc);
    assert!(r.aqe_shuffle_reads.iter().all(|a| a.desc == "coalesced"), "{:?}", r.aqe_shuffle_reads.iter().map(|a| &a.desc).collect::<Vec<_>>());
    assert!(!decisions(&sc).iter().any(|d| d.rule == "OptimizeSkewInRebalancePartitions"));
}

#[test]
fn rebalance_skew_rule_can_be_switched_off() {
    let sc = scenario(
        REBALANCE,
        &[("spark.sql.adaptive.advisoryPartitionSizeInBytes", "4m"), ("spark.sql.adaptive.optimizeSkewsInRebalancePartitions.enabled", "false")],
    );
    let r = report(&sc);
    assert!(!r.final_plan.contains("skewed"), "{}", r.final_plan);
}

#[test]
fn rebalance_by_none_splits_even_partitions_over_the_advisory_size() {
    // Round-robin: 200 even partitions of ~130 KiB each, all over a 64 KiB advisory size, each read
    // in its two map tasks' ranges; nothing is left to coalesce.
    let sc = scenario(
        "SELECT /*+ REBALANCE */ customer_id, total_amount FROM orders",
        &[("spark.sql.adaptive.advisoryPartitionSizeInBytes", "64k"), ("spark.sql.adaptive.coalescePartitions.minPartitionSize", "1k")],
    );
    let r = report(&sc);
    assert!(r.initial_plan.contains("RoundRobinPartitioning(200), REBALANCE_PARTITIONS_BY_NONE"), "{}", r.initial_plan);
    let d = decisions(&sc);
    let split = d.iter().find(|d| d.rule == "OptimizeSkewInRebalancePartitions").expect("rule fired");
    assert_eq!(number(split, "partitions_over"), 200.0, "{}", split.description);
    assert_eq!(number(split, "partitions_after"), 400.0, "{}", split.description);
    assert_eq!(r.aqe_shuffle_reads.len(), 1);
    assert_eq!(r.aqe_shuffle_reads[0].desc, "skewed");
    assert_eq!(r.aqe_shuffle_reads[0].partitions, 400);
}

const EMPTY_JOIN: &str = "SELECT c.region, count(*) AS n FROM stores s JOIN countries c ON s.country_id = c.country_id \
                          WHERE s.store_type = 'kiosk' GROUP BY c.region";

#[test]
fn an_empty_join_side_empties_the_plan_and_runs_no_further_stage() {
    let on = scenario(EMPTY_JOIN, &[("spark.sql.autoBroadcastJoinThreshold", "-1")]);
    let r = report(&on);
    assert!(r.initial_plan.contains("SortMergeJoin"), "{}", r.initial_plan);
    assert_eq!(r.final_plan.trim_end(), "AdaptiveSparkPlan isFinalPlan=true\n+- LocalTableScan <empty>, [region#8, n#10L]", "{}", r.final_plan);
    assert!(r.joins_final.is_empty());
    // The two join sides' stages ran; the aggregate's shuffle and the result stage did not (the
    // driver collects a LocalTableScan without a job).
    assert_eq!(r.jobs.len(), 2, "{:?}", r.jobs);
    let d = decisions(&on);
    let e = d.iter().find(|d| d.rule == "AQEPropagateEmptyRelation").expect("rule fired");
    assert_eq!(number(e, "empty_stages"), 1.0);
    assert!(e.description.contains("SortMergeJoin Inner"), "{}", e.description);

    // The same query with the rule excluded runs the aggregate's stage and the result stage too.
    let off = scenario(
        EMPTY_JOIN,
        &[
            ("spark.sql.autoBroadcastJoinThreshold", "-1"),
            ("spark.sql.adaptive.optimizer.excludedRules", "org.apache.spark.sql.execution.adaptive.AQEPropagateEmptyRelation"),
        ],
    );
    let r_off = report(&off);
    assert!(r_off.final_plan.contains("SortMergeJoin"), "{}", r_off.final_plan);
    assert!(r_off.jobs.len() > r.jobs.len(), "{} vs {}", r_off.jobs.len(), r.jobs.len());
}

#[test]
fn a_non_empty_join_is_left_alone() {
    let sc = scenario(
        "SELECT c.region, count(*) AS n FROM stores s JOIN countries c ON s.country_id = c.country_id WHERE s.store_type = 'mall' GROUP BY c.region",
        &[("spark.sql.autoBroadcastJoinThreshold", "-1")],
    );
    assert!(!decisions(&sc).iter().any(|d| d.rule == "AQEPropagateEmptyRelation"));
    let r = report(&sc);
    assert!(r.final_plan.contains("SortMergeJoin"));
    assert_eq!(r.joins_final.len(), 1);
    assert_eq!(r.joins_final[0].strategy, "SortMergeJoin");
}

#[test]
fn left_outer_join_with_an_empty_right_keeps_the_left_padded_with_nulls() {
    let sql = "SELECT o.order_id, s.store_name FROM orders o LEFT JOIN (SELECT * FROM stores WHERE store_type = 'kiosk') s ON o.store_id = s.store_id";
    // Sort-merge join: the left shuffle stays (read coalesced), its sort goes.
    let r = report(&scenario(sql, &[("spark.sql.autoBroadcastJoinThreshold", "-1")]));
    assert!(r.final_plan.contains("Project [order_id#0L, store_id#2, cast(null as int) AS store_id#8, cast(null as string) AS store_name#9]\n      +- AQEShuffleRead coalesced"), "{}", r.final_plan);
    assert!(!r.final_plan.contains("Sort"), "{}", r.final_plan);
    // Broadcast hash join: the empty broadcast goes, the probe side's scan stays.
    let r = report(&scenario(sql, &[]));
    assert!(r.initial_plan.contains("BroadcastHashJoin"), "{}", r.initial_plan);
    assert!(r.final_plan.contains("cast(null as string) AS store_name#9]\n      +- FileScan parquet [order_id#0L,store_id#2]"), "{}", r.final_plan);
    assert!(r.joins_final.is_empty());
}

#[test]
fn a_global_aggregate_over_an_empty_join_still_returns_its_row() {
    let r = report(&scenario(
        "SELECT count(*) FROM orders o JOIN stores s ON o.store_id = s.store_id WHERE s.store_type = 'kiosk'",
        &[("spark.sql.autoBroadcastJoinThreshold", "-1")],
    ));
    assert!(r.final_plan.contains("HashAggregate(keys=[], functions=[partial_count(1)]"), "{}", r.final_plan);
    assert!(r.final_plan.contains("+- LocalTableScan <empty>, []"), "{}", r.final_plan);
    assert!(!r.final_plan.contains("SortMergeJoin"), "{}", r.final_plan);
}

#[test]
fn rebalance_read_that_would_break_an_aggregates_distribution_is_not_applied() {
    // The aggregate above reuses the rebalance shuffle's hash partitioning: a skewed read would break
    // it, so `optimizeQueryStage`'s ValidateRequirements keeps the plan (coalescing still applies).
    let sc = scenario(
        "SELECT customer_id, count(*) FROM (SELECT /*+ REBALANCE(customer_id) */ * FROM orders) t GROUP BY customer_id",
        &[("spark.sql.adaptive.advisoryPartitionSizeInBytes", "4m")],
    );
    let r = report(&sc);
    assert!(!r.final_plan.contains("skewed"), "{}", r.final_plan);
    assert!(r.aqe_shuffle_reads.iter().all(|a| a.desc == "coalesced"));
    let d = decisions(&sc);
    let kept = d.iter().find(|d| d.rule == "OptimizeSkewInRebalancePartitions").expect("rule considered");
    assert!(kept.description.contains("not applied"), "{}", kept.description);
}

#[test]
fn a_user_repartition_at_the_root_is_kept_over_the_empty_relation() {
    // `isRootRepartition`: the REPARTITION(4) the user asked for still shapes the result.
    let r = report(&scenario(
        "SELECT /*+ REPARTITION(4) */ s.store_name, c.region FROM stores s JOIN countries c ON s.country_id = c.country_id WHERE s.store_type = 'kiosk'",
        &[("spark.sql.autoBroadcastJoinThreshold", "-1")],
    ));
    assert!(
        r.final_plan.contains("Exchange RoundRobinPartitioning(4), REPARTITION_BY_NUM, [plan_id=1]\n      +- LocalTableScan <empty>, [store_name#1, region#8]"),
        "{}",
        r.final_plan
    );
    let last = r.jobs.last().expect("jobs");
    assert!(last.stages.iter().any(|s| s.status == "completed" && s.num_tasks == 4), "{:?}", r.jobs);
}
