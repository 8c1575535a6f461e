//! Properties of the whole pipeline over generated scenarios (proptest; the generator is
//! `tests/support/scenario_gen.rs`, shared with the `pipeline` fuzz target): small catalogs with row counts,
//! sizes and hot keys, queries from a grammar of joins / filters / aggregates / unions, random confs (AQE,
//! shuffle partitions, broadcast threshold, ...) and clusters. Checked:
//! 1. planning never panics and is deterministic (same scenario ⇒ identical report and EXPLAIN);
//! 2. every physical operator's children satisfy its required distribution and ordering (so every
//!    SortMergeJoin / ShuffledHashJoin reads both sides hash-partitioned on its keys into the same number of
//!    partitions), checked on the initial plan of every execution;
//! 3. AQE off and no `Union`: every stage that reads a shuffle has as many tasks as one of the plan's
//!    exchanges has partitions; otherwise (coalescing, unions adding partitions up) no stage has more tasks
//!    than the plan's exchanges and scans have partitions together;
//! 4. every stage's parents have lower stage ids and belong to the same job or an earlier one;
//! 5. the scheduler, run on the jobs the pipeline produced, never puts two tasks on one slot and never
//!    starts a stage before its parents completed.
//!
//! PROPTEST_CASES=2000 for a longer hunt (the default keeps the file under ~30 s in a debug build).

#[path = "support/scenario_gen.rs"]
mod scenario_gen;

use proptest::prelude::*;
use scenario_gen::{schedule_of, scenario, Bytes};
use stagecraft::physical::partitioning::{ordering_satisfies, Partitioning};
use stagecraft::physical::plan::{Op, SparkPlan};
use stagecraft::physical::properties::{output_ordering, output_partitioning, required_child_distribution, required_child_ordering};
use stagecraft::pipeline;
use stagecraft::scenario::Scenario;
use stagecraft::trace::Event;
use std::collections::{BTreeMap, BTreeSet};

fn walk<'a>(p: &'a SparkPlan, out: &mut Vec<&'a SparkPlan>) {
    out.push(p);
    for c in p.children.iter().chain(&p.subqueries) {
        walk(c, out);
    }
}

/// Property 2 on one plan.
fn check_distribution(plan: &SparkPlan) -> Result<(), TestCaseError> {
    let mut nodes = Vec::new();
    walk(plan, &mut nodes);
    for n in nodes {
        let req = required_child_distribution(n);
        let ord = required_child_ordering(n);
        for (i, c) in n.children.iter().enumerate() {
            if let Some(d) = req.get(i) {
                let got = output_partitioning(c);
                prop_assert!(got.satisfies(d), "child {i} of {:?} has {} but needs {:?}", std::mem::discriminant(&n.op), got.text(), d);
            }
            if let Some(o) = ord.get(i) {
                prop_assert!(ordering_satisfies(&output_ordering(c), o), "child {i} of an operator is not sorted as it needs");
            }
        }
        if matches!(n.op, Op::SortMergeJoin(_) | Op::ShuffledHashJoin(_)) {
            let (l, r) = (output_partitioning(&n.children[0]), output_partitioning(&n.children[1]));
            prop_assert!(matches!(l, Partitioning::Hash { .. } | Partitioning::Collection(_)) || l.num_partitions() == 1, "join child is {}", l.text());
            prop_assert_eq!(l.num_partitions(), r.num_partitions(), "join children: {} vs {}", l.text(), r.text());
        }
    }
    Ok(())
}

/// Partition counts of the plan's shuffle exchanges, and the total over exchanges and scans; whether the
/// plan has a `Union` (whose stage reads the sum of its children's partitions).
fn exchange_partitions(plan: &SparkPlan, out: &mut BTreeSet<u32>, total: &mut u64, union: &mut bool) {
    let mut nodes = Vec::new();
    walk(plan, &mut nodes);
    // Every input's partition count, for CartesianProduct: its RDD has left x right partitions.
    let mut inputs: BTreeSet<u32> = BTreeSet::new();
    let mut cartesian = false;
    for n in nodes {
        match &n.op {
            Op::ShuffleExchange { partitioning, .. } => {
                out.insert(partitioning.num_partitions());
                inputs.insert(partitioning.num_partitions());
                *total += partitioning.num_partitions() as u64;
            }
            Op::FileSourceScan(f) => {
                *total += f.num_partitions as u64;
                inputs.insert(f.num_partitions as u32);
            }
            Op::Union => *union = true,
            Op::CartesianProduct { .. } => cartesian = true,
            Op::ReusedExchange { reused, .. } => exchange_partitions(reused, out, total, union),
            _ => {}
        }
    }
    if cartesian {
        for a in &inputs {
            for b in &inputs {
                out.insert(a.saturating_mul(*b));
            }
        }
    }
}

fn check(s: &Scenario) -> Result<(), TestCaseError> {
    // 1. No panic, determinism.
    let first = pipeline::simulate(s);
    let again = pipeline::simulate(s);
    let run = match (first, again) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(&a.report, &b.report);
            a
        }
        (Err(a), Err(b)) => {
            prop_assert_eq!(&a, &b);
            // The grammar only writes valid queries; a refusal must still be positioned in the query.
            prop_assert!(!a.span.is_unknown() || a.phase == stagecraft::error::Phase::Limit, "{a}");
            return Ok(());
        }
        (a, b) => return Err(TestCaseError::fail(format!("one run failed: {:?} / {:?}", a.err(), b.err()))),
    };

    // 2. Distribution requirements on every execution's initial plan.
    let a = pipeline::analyze(s).map_err(|d| TestCaseError::fail(d.to_string()))?;
    let aqe = a.conf.get_bool("spark.sql.adaptive.enabled");
    let (mut exchanges, mut total, mut union) = (BTreeSet::new(), 0u64, false);
    for e in &a.executions {
        check_distribution(&e.physical.plan)?;
        exchange_partitions(&e.physical.plan, &mut exchanges, &mut total, &mut union);
    }
    // The most partitions of any exchange or scan: a bound on any shuffle's map tasks.
    let mut max_input = 1u64;
    for e in &a.executions {
        let mut nodes = Vec::new();
        walk(&e.physical.plan, &mut nodes);
        for n in nodes {
            match &n.op {
                Op::ShuffleExchange { partitioning, .. } => max_input = max_input.max(partitioning.num_partitions() as u64),
                Op::FileSourceScan(f) => max_input = max_input.max(f.num_partitions as u64),
                _ => {}
            }
        }
    }

    // 3. Exchanges and the stages reading them.
    for j in &run.report.jobs {
        for st in j.stages.iter().filter(|st| !st.parent_ids.is_empty()) {
            if aqe || union {
                // OptimizeSkewedJoin runs one task per pair of a skewed partition's left and right splits, each
                // side split at most once per map task: up to partitions x maps x maps.
                let most = if run.report.final_plan.contains("AQEShuffleRead skewed") { total * max_input * max_input } else { total };
                prop_assert!(st.num_tasks as u64 <= most.max(1), "stage {} reads {} partitions; exchanges and scans hold {total}", st.stage_id, st.num_tasks);
            } else {
                prop_assert!(exchanges.contains(&st.num_tasks), "stage {} has {} tasks; exchanges {:?}", st.stage_id, st.num_tasks, exchanges);
            }
        }
    }

    // 4. Stage ids: parents lower, known to this job.
    let mut seen: BTreeSet<u32> = BTreeSet::new();
    for j in &run.report.jobs {
        let ids: BTreeSet<u32> = j.stages.iter().map(|st| st.stage_id).collect();
        for st in &j.stages {
            for p in &st.parent_ids {
                prop_assert!(*p < st.stage_id, "stage {} has parent {p}", st.stage_id);
                prop_assert!(ids.contains(p) || seen.contains(p), "stage {}'s parent {p} is in no job so far", st.stage_id);
            }
        }
        seen.extend(ids);
    }

    // 5. The scheduler on the pipeline's jobs.
    if let Some(schedule) = schedule_of(&run.report, &s.cluster, 2_000) {
        let r = stagecraft::sim::simulate(&schedule).map_err(|d| TestCaseError::fail(format!("sim refused the pipeline's jobs: {d}")))?;
        let slots = schedule.cluster.slots_per_executor();
        let mut busy: BTreeMap<(u32, u16), u32> = BTreeMap::new();
        let mut completed: BTreeSet<u32> = BTreeSet::new();
        let mut parents: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for e in &r.trace.events {
            match e {
                Event::JobStart(j) => {
                    for st in &j.stages {
                        parents.insert(st.stage_id, st.parent_ids.clone());
                    }
                }
                Event::StageSubmitted(st) => {
                    for p in &parents[&st.stage_id] {
                        prop_assert!(completed.contains(p), "stage {} submitted before its parent {p}", st.stage_id);
                    }
                }
                Event::StageCompleted(c) if c.failure_reason.is_none() => {
                    completed.insert(c.stage_id);
                }
                Event::TaskStart(ts) => {
                    prop_assert!((ts.slot as u32) < slots);
                    prop_assert!(busy.insert((ts.executor_id, ts.slot), ts.task_id).is_none(), "slot {:?} double-booked", (ts.executor_id, ts.slot));
                }
                Event::TaskEnd(te) => {
                    prop_assert_eq!(busy.remove(&(te.executor_id, te.slot)), Some(te.task_id));
                }
                _ => {}
            }
        }
        prop_assert!(busy.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(40),
        // A fixed seed: the test command checks the same cases on every machine (the fuzz targets explore);
        // STAGECRAFT_PROPTEST_SEED=<n> draws other cases.
        rng_seed: proptest::test_runner::RngSeed::Fixed(std::env::var("STAGECRAFT_PROPTEST_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_261_121)),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn pipeline_properties(bytes in proptest::collection::vec(any::<u8>(), 0..160)) {
        let (s, _) = scenario(&mut Bytes::new(&bytes));
        check(&s)?;
    }
}

/// The generator itself: its DDL parses and a few fixed byte strings plan.
#[test]
fn generator_makes_plannable_scenarios() {
    for seed in [&[][..], &[1, 2, 3, 4, 5, 6, 7, 8, 9], &[255; 64], &[7; 100]] {
        let (s, ddl) = scenario(&mut Bytes::new(seed));
        assert!(!ddl.is_empty());
        if let Err(d) = pipeline::simulate(&s) {
            panic!("{}\n{ddl}\n{d}", s.query.text);
        }
    }
}


/// Found with STAGECRAFT_PROPTEST_SEED=3: a skew join with both sides skewed runs one task per pair of
/// left and right splits (OptimizeSkewedJoin), 30,733 tasks over exchanges and scans of 4,122 partitions in
/// all; the property's bound was wrong, not the engine.
#[test]
fn skew_join_split_on_both_sides_runs_a_task_per_pair() {
    let bytes = [56, 0, 39, 0, 0, 0, 0, 0, 0, 108, 94, 116, 42, 251, 141, 213, 163, 216, 156, 122, 19, 80, 246, 47, 129, 122, 13, 85, 214, 217, 159, 35, 174, 128, 227, 224, 33, 67, 121, 82, 243, 91, 30, 39, 29, 182, 240, 201, 127, 193, 214, 89, 97, 2, 88, 11, 167, 128, 207, 229, 175, 19, 67, 254, 222, 103, 52, 175, 88, 185, 245, 58, 102, 234, 101, 4];
    let (s, _) = scenario(&mut Bytes::new(&bytes));
    check(&s).unwrap();
    let run = pipeline::simulate(&s).unwrap();
    let most = run.report.jobs.iter().flat_map(|j| &j.stages).map(|st| st.num_tasks).max().unwrap();
    assert!(most > 4_122 && run.report.final_plan.contains("SortMergeJoin(skew=true)"), "{most}");
}
