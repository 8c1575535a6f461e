//! The planner → simulator bridge end to end (`pipeline::simulate` on the fidelity corpus scenarios in
//! `../shared/fidelity`): determinism of the trace bytes, stage ordering, skew, executor loss,
//! speculation, refusals as diagnostics, and a light calibration of shuffle bytes and job durations
//! against what real Spark 3.5 did (`expected.jsonl`).

use stagecraft::error::Phase;
use stagecraft::pipeline::{self, Run};
use stagecraft::scenario::{KillExecutor, Scenario, SlowExecutor};
use stagecraft::sim::{JobKind, StageHint, StageKind};
use stagecraft::trace::{Event, TaskEndReason, Trace};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fidelity() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity")
}

fn scenario(name: &str) -> Scenario {
    let p = fidelity().join("scenarios").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Scenario::from_json(&text).unwrap()
}

fn run(s: &Scenario) -> Run {
    pipeline::simulate(s).unwrap_or_else(|d| panic!("{}: {}", s.id, d.message))
}

fn all_scenarios() -> Vec<Scenario> {
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(fidelity().join("scenarios")).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names.iter().map(|p| Scenario::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

/// (job id, [(stage id, num tasks)]) of every job the simulator reports.
fn shape(r: &Run) -> Vec<(u32, Vec<(u32, u32)>)> {
    r.sim.jobs.iter().map(|j| (j.job_id, j.stages.iter().map(|s| (s.stage_id, s.num_tasks)).collect())).collect()
}

fn task_durations(r: &Run) -> Vec<u64> {
    r.sim.trace.tasks.iter().map(|t| t.finish_time - t.launch_time).collect()
}

#[test]
fn same_scenario_and_seed_give_identical_trace_bytes_and_another_seed_other_timings() {
    let mut s = scenario("p_aqe_skew_join__aqe_on");
    s.sim.seed = 7;
    let a = run(&s);
    let b = run(&s);
    assert!(!a.sim.trace.events.is_empty());
    assert_eq!(a.trace_json(), b.trace_json());
    assert_eq!(a.text_summary(), b.text_summary());
    // The trace round-trips through JSON byte for byte.
    let back: Trace = serde_json::from_str(&a.trace_json()).unwrap();
    assert_eq!(back, a.sim.trace);

    s.sim.seed = 8;
    let c = run(&s);
    assert_ne!(a.trace_json(), c.trace_json());
    assert_ne!(task_durations(&a), task_durations(&c), "the seed moves task times");
    assert_eq!(shape(&a), shape(&c), "the seed does not change jobs or stages");
    assert_eq!(a.report, c.report);
    // The schedule carries the seed; nothing else of it depends on the seed.
    assert_eq!(c.schedule.options.seed, 8);
    assert_eq!(a.schedule.jobs, c.schedule.jobs);
}

/// Checks that every stage attempt 0 is submitted after each parent finished (a skipped parent: after the
/// stage that wrote its shuffle), from the trace's own events.
fn assert_parents_first(name: &str, r: &Run) {
    let mut completed: BTreeMap<u32, u64> = BTreeMap::new();
    for e in &r.sim.trace.events {
        if let Event::StageCompleted(c) = e {
            if c.failure_reason.is_none() {
                completed.entry(c.stage_id).or_insert(c.time);
            }
        }
    }
    let stages: BTreeMap<u32, &stagecraft::sim::StageSpec> =
        r.schedule.jobs.iter().flat_map(|j| j.stages.iter()).map(|s| (s.stage_id, s)).collect();
    let writer_done = |shuffle: Option<u32>| -> Option<u64> {
        stages
            .values()
            .filter(|s| s.status_hint == StageHint::Run && s.shuffle_id_written == shuffle && shuffle.is_some())
            .filter_map(|s| completed.get(&s.stage_id).copied())
            .min()
    };
    let mut checked = 0;
    for e in &r.sim.trace.events {
        let Event::StageSubmitted(sub) = e else { continue };
        if sub.stage_attempt != 0 {
            continue;
        }
        let spec = stages[&sub.stage_id];
        for p in &spec.parent_ids {
            let parent = stages[p];
            let done = match parent.status_hint {
                StageHint::Run => completed.get(p).copied(),
                StageHint::Skipped => completed.get(p).copied().or_else(|| writer_done(parent.shuffle_id_written)),
            };
            let done = done.unwrap_or_else(|| panic!("{name}: parent {p} of stage {} never finished", sub.stage_id));
            assert!(done <= sub.time, "{name}: stage {} submitted at {} before parent {p} finished at {done}", sub.stage_id, sub.time);
            checked += 1;
        }
    }
    assert!(checked > 0 || r.schedule.jobs.iter().all(|j| j.stages.len() == 1), "{name}: no parent checked");
}

#[test]
fn every_stage_starts_after_its_parents_in_every_corpus_scenario() {
    let mut parents_checked = 0;
    for s in all_scenarios() {
        let r = run(&s);
        assert!(r.sim.jobs.iter().all(|j| j.status == stagecraft::trace::summary::JobStatus::Succeeded), "{}", s.id);
        // The simulator ran the jobs and stages the report lists.
        assert_eq!(r.sim.jobs.len(), r.report.jobs.len(), "{}", s.id);
        for (sj, rj) in r.sim.jobs.iter().zip(&r.report.jobs) {
            let a: Vec<(u32, u32)> = sj.stages.iter().map(|s| (s.stage_id, s.num_tasks)).collect();
            let b: Vec<(u32, u32)> = rj.stages.iter().map(|s| (s.stage_id, s.num_tasks)).collect();
            assert_eq!(a, b, "{} job {}", s.id, sj.job_id);
        }
        assert_parents_first(&s.id, &r);
        parents_checked += r.schedule.jobs.iter().flat_map(|j| &j.stages).map(|s| s.parent_ids.len()).sum::<usize>();
        // Jobs wait only for earlier jobs.
        for j in &r.schedule.jobs {
            assert!(j.after_jobs.iter().all(|a| *a < j.job_id), "{} job {} waits for {:?}", s.id, j.job_id, j.after_jobs);
        }
    }
    assert!(parents_checked > 50, "{parents_checked}");
}

#[test]
fn schedule_has_spark_shuffle_ids_operators_and_job_dependencies() {
    let r = run(&scenario("p_aqe_skew_join__aqe_on"));
    let jobs = &r.schedule.jobs;
    assert_eq!(jobs.iter().map(|j| j.kind).collect::<Vec<_>>(), [JobKind::MapStageOnly, JobKind::MapStageOnly, JobKind::MapStageOnly, JobKind::Result]);
    // The two scans run concurrently; the join's query stage waits for both; the result for everything.
    assert!(jobs[0].after_jobs.is_empty() && jobs[1].after_jobs.is_empty());
    assert_eq!(jobs[2].after_jobs, [0, 1]);
    assert_eq!(jobs[3].after_jobs, [0, 1, 2]);
    let by_id: BTreeMap<u32, &stagecraft::sim::StageSpec> = jobs.iter().flat_map(|j| &j.stages).map(|s| (s.stage_id, s)).collect();
    // One shuffle id per exchange, in registration order; skipped re-listings share it.
    assert_eq!(by_id[&0].shuffle_id_written, Some(0));
    assert_eq!(by_id[&1].shuffle_id_written, Some(1));
    assert_eq!(by_id[&4].shuffle_id_written, Some(2));
    assert_eq!(by_id[&2].shuffle_id_written, Some(0));
    assert_eq!(by_id[&2].status_hint, StageHint::Skipped);
    assert_eq!(by_id[&7].shuffle_id_written, Some(2));
    assert_eq!(by_id[&8].kind, StageKind::Result);
    assert_eq!(by_id[&8].shuffle_id_written, None);
    // Operators by Spark's names, and RDD scopes with the codegen clusters.
    let ops0 = &by_id[&0].operators;
    assert!(ops0.iter().any(|o| o == "Scan parquet") && ops0.last().map(String::as_str) == Some("Exchange"), "{ops0:?}");
    let ops4 = &by_id[&4].operators;
    for want in ["Sort", "SortMergeJoin", "HashAggregate", "Exchange"] {
        assert!(ops4.iter().any(|o| o == want), "{want} missing from {ops4:?}");
    }
    assert!(by_id[&4].rdd_scopes.iter().any(|s| s.starts_with("WholeStageCodegen (")), "{:?}", by_id[&4].rdd_scopes);
    // Scan tasks read their splits: two of orders' six splits hold no row group (README).
    let scan = &by_id[&0].tasks;
    assert_eq!(scan.len(), 6);
    assert_eq!(scan.iter().filter(|t| t.input_records == 0).count(), 2);
    assert_eq!(scan.iter().map(|t| t.input_records).sum::<u64>(), 3_000_000);
    assert!(scan.iter().filter(|t| t.input_records == 0).all(|t| t.shuffle_write_bytes == 0));
    // The AQE re-plan before the join's query stage, as the stage module took it (rule, words, numbers),
    // is in the trace: OptimizeSkewedJoin's medians and thresholds, the hot partition's split count.
    let u = &jobs[2].aqe_before;
    let find = |prefix: &str| u.iter().find(|x| x.description.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix} missing from {u:#?}"));
    let skew = find("OptimizeSkewedJoin: skewed if size > max(");
    for n in ["left_median = ", "left_threshold = ", "right_median = ", "skewed_left = "] {
        assert!(skew.why.iter().any(|w| w.starts_with(n)), "{n} missing from {:?}", skew.why);
    }
    let split = find("OptimizeSkewedJoin: left partition 167: ");
    assert!(split.why.iter().any(|w| w == "splits = 4"), "{:?}", split.why);
    find("CoalesceShufflePartitions: ");
    for x in u {
        assert!(r.sim.trace.events.iter().any(|e| matches!(e, Event::AdaptiveExecutionUpdate(a) if a.description == x.description)), "{} not in the trace", x.description);
    }
    assert!(jobs[0].aqe_before.is_empty() && jobs[1].aqe_before.is_empty());
    // The final plan is announced after the action's job, with the reads it settled on.
    assert_eq!(jobs[3].aqe_after.len(), 1);
    assert_eq!(jobs[3].aqe_after[0].description, "AdaptiveSparkPlan isFinalPlan=true");
    assert!(jobs[3].aqe_after[0].why.iter().any(|w| w.starts_with("AQEShuffleRead coalesced: ")), "{:?}", jobs[3].aqe_after[0].why);
    // The final plan is the re-planned one: the hot side is read through the skew split.
    assert!(jobs[3].aqe_after[0].why.iter().any(|w| w == "AQEShuffleRead coalesced and skewed: 18 partitions"), "{:?}", jobs[3].aqe_after[0].why);
    assert!(jobs.iter().take(3).all(|j| j.aqe_after.is_empty()));
    // AQE off: no adaptive updates at all.
    let off = run(&scenario("p_aqe_skew_join__aqe_off"));
    assert!(off.schedule.jobs.iter().all(|j| j.aqe_before.is_empty() && j.aqe_after.is_empty()));
}

#[test]
fn the_skewed_join_has_one_reducer_reading_far_more_than_the_median() {
    let r = run(&scenario("p_aqe_skew_join__aqe_off"));
    let sizes = r.sim.trace.shuffle_read_sizes(2);
    assert_eq!(sizes.len(), 200);
    let mut sorted = sizes.clone();
    sorted.sort_unstable();
    let (median, max) = (sorted[100], sorted[199]);
    // Real Spark: 14.5 MB hot partition, 76 KB median (190x); the hot key 4242 hashes to partition 167 (event log).
    assert!(max > 50 * median, "max {max} median {median}");
    assert_eq!(sizes.iter().position(|&b| b == max), Some(167));
    let st = r.sim.stage(2).unwrap().task_duration_ms.unwrap();
    assert!(st.max > 10 * st.p50, "hot task {} ms vs median {} ms", st.max, st.p50);
    assert!(r.text_summary().contains("partition skew: max"), "{}", r.text_summary());
}

/// Max and median shuffle-read bytes of a stage's successful tasks.
fn max_and_median_read(r: &Run, stage_id: u32) -> (u64, u64) {
    let mut sizes = r.sim.trace.shuffle_read_sizes(stage_id);
    sizes.sort_unstable();
    (sizes.last().copied().unwrap_or(0), sizes.get(sizes.len() / 2).copied().unwrap_or(0))
}

#[test]
fn aqe_splits_the_skewed_partition_across_its_pieces() {
    // AQE off: the reducer of partition 167 reads over 10x the median.
    let off = run(&scenario("p_aqe_skew_join__aqe_off"));
    let (max, median) = max_and_median_read(&off, 2);
    assert!(max >= 10 * median, "AQE off: max {max} median {median}");
    // AQE on: OptimizeSkewedJoin split partition 167 into 4 pieces (18 join tasks); each piece reads its
    // share of the hot partition plus the other side's whole partition 167.
    let on = run(&scenario("p_aqe_skew_join__aqe_on"));
    let join = on.schedule.jobs[2].stages.iter().find(|s| s.status_hint == StageHint::Run).unwrap();
    assert_eq!(join.num_tasks, 18);
    let (max, median) = max_and_median_read(&on, join.stage_id);
    assert!(max < 10 * median, "AQE on: max {max} median {median}");
    // The pieces together read the hot partition (plus the replicated other side): the four largest
    // tasks are the pieces, of similar size.
    let mut sizes = on.sim.trace.shuffle_read_sizes(join.stage_id);
    sizes.sort_unstable();
    let top4 = &sizes[sizes.len() - 4..];
    assert!(top4[3] < 3 * top4[0], "{top4:?}");
}

#[test]
fn smj_to_bhj_runs_a_broadcast_job_and_local_reads() {
    let r = run(&scenario("p_aqe_smj_to_bhj__aqe_on"));
    let jobs = &r.schedule.jobs;
    assert!(jobs.iter().any(|j| j.kind == JobKind::Broadcast), "{:?}", jobs.iter().map(|j| j.kind).collect::<Vec<_>>());
    let updates: Vec<&str> = jobs.iter().flat_map(|j| &j.aqe_before).map(|u| u.description.as_str()).collect();
    assert!(updates.iter().any(|d| d.starts_with("JoinSelection (AQE re-plan): ")), "{updates:?}");
    assert!(updates.iter().any(|d| d.starts_with("OptimizeShuffleWithLocalRead: ")), "{updates:?}");
    let last = jobs.last().unwrap();
    assert!(last.aqe_after[0].why.iter().any(|w| w.starts_with("AQEShuffleRead local: ")), "{:?}", last.aqe_after[0].why);
    // The local-read tasks each read one map task's output: as many tasks as the map stage had, and what
    // was written is what is read.
    let by_id: BTreeMap<u32, &stagecraft::sim::StageSpec> = jobs.iter().flat_map(|j| &j.stages).map(|s| (s.stage_id, s)).collect();
    let result = last.stages.last().unwrap();
    let written: u64 = result
        .parent_ids
        .iter()
        .map(|p| r.sim.stage(*p).map(|s| s.totals.shuffle_write_bytes).filter(|b| *b > 0).unwrap_or_else(|| {
            let sh = by_id[p].shuffle_id_written;
            jobs.iter().flat_map(|j| &j.stages).filter(|s| s.shuffle_id_written == sh && s.status_hint == StageHint::Run).filter_map(|s| r.sim.stage(s.stage_id)).map(|s| s.totals.shuffle_write_bytes).sum()
        }))
        .sum();
    let read = r.sim.stage(result.stage_id).unwrap().totals.shuffle_read_bytes;
    assert!(read > 0 && ratio(read as f64, written as f64) < 1.01, "read {read} written {written}");
}

#[test]
fn schedule_task_counts_are_the_report_s_and_shuffles_read_what_was_written() {
    let mut checked = 0;
    for s in all_scenarios() {
        let r = run(&s);
        let report: BTreeMap<u32, u32> = r.report.jobs.iter().flat_map(|j| &j.stages).map(|st| (st.stage_id, st.num_tasks)).collect();
        let stages: Vec<&stagecraft::sim::StageSpec> = r.schedule.jobs.iter().flat_map(|j| &j.stages).collect();
        for st in &stages {
            assert_eq!(report.get(&st.stage_id), Some(&st.num_tasks), "{} stage {}", s.id, st.stage_id);
            assert!(st.tasks.len() <= 1 || st.tasks.len() == st.num_tasks as usize, "{} stage {}: {} task entries", s.id, st.stage_id, st.tasks.len());
        }
        // A reduce stage reading one shuffle without a skew split reads exactly what the shuffle wrote.
        let written: BTreeMap<u32, u64> = stages
            .iter()
            .filter(|st| st.status_hint == StageHint::Run)
            .filter_map(|st| Some((st.shuffle_id_written?, (0..st.num_tasks).map(|p| st.work(p).shuffle_write_bytes).sum::<u64>())))
            .collect();
        let by_id: BTreeMap<u32, &&stagecraft::sim::StageSpec> = stages.iter().map(|st| (st.stage_id, st)).collect();
        let skewed = r.schedule.jobs.iter().flat_map(|j| &j.aqe_before).any(|u| u.description.starts_with("OptimizeSkewedJoin"));
        for st in stages.iter().filter(|st| st.status_hint == StageHint::Run && st.parent_ids.len() == 1 && !skewed) {
            let Some(sh) = by_id.get(&st.parent_ids[0]).and_then(|p| p.shuffle_id_written) else { continue };
            let Some(&w) = written.get(&sh) else { continue };
            let read: u64 = (0..st.num_tasks).map(|p| st.work(p).shuffle_read_bytes).sum();
            if read == 0 {
                continue; // a stage that reads its parent through a broadcast or a cache
            }
            assert!(read.abs_diff(w) <= st.num_tasks as u64 + by_id[&st.parent_ids[0]].num_tasks as u64, "{} stage {}: read {read}, written {w}", s.id, st.stage_id);
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} reduce stages checked");
}

#[test]
fn killing_an_executor_removes_it_and_recomputes_its_work() {
    let mut s = scenario("p_aqe_skew_join__aqe_off");
    s.cluster.executors = 3;
    s.sim.kill_executor = Some(KillExecutor { executor: 1, at_ms: 2_500 });
    let r = run(&s);
    let removed: Vec<_> = r
        .sim
        .trace
        .events
        .iter()
        .filter_map(|e| match e {
            Event::ExecutorRemoved(x) => Some(x.executor_id),
            _ => None,
        })
        .collect();
    assert_eq!(removed, [1]);
    let killed_at = 2_500_000;
    // Map outputs held by the dead executor are recomputed elsewhere after it died (its running tasks,
    // if any, failed with ExecutorLostFailure and ran again too).
    let tasks = &r.sim.trace.tasks;
    let on_dead: Vec<_> = tasks.iter().filter(|t| t.executor_id == 1 && (t.stage_id == 0 || t.stage_id == 1)).collect();
    assert!(!on_dead.is_empty());
    for t in &on_dead {
        assert!(
            tasks.iter().any(|o| o.stage_id == t.stage_id
                && o.partition == t.partition
                && o.executor_id != 1
                && o.launch_time >= killed_at
                && o.reason == TaskEndReason::Success),
            "partition {} of stage {} was not recomputed",
            t.partition,
            t.stage_id
        );
    }
    assert!(tasks.iter().all(|t| t.executor_id != 1 || t.launch_time < killed_at));
    assert!(tasks.iter().filter(|t| t.executor_id == 1 && t.finish_time >= killed_at).all(|t| matches!(t.reason, TaskEndReason::ExecutorLostFailure { executor_id: 1 })));
    // The reducers ran once the map outputs were complete again.
    assert_parents_first("kill", &r);
    assert!(r.sim.jobs.iter().all(|j| j.status == stagecraft::trace::summary::JobStatus::Succeeded));
    assert!(r.text_summary().contains("executor 1 removed at"), "{}", r.text_summary());
}

#[test]
fn speculation_copies_tasks_of_a_straggling_executor() {
    let mut s = scenario("p_aqe_skew_join__aqe_off");
    s.cluster.executors = 2;
    s.sim.slow_executors = vec![SlowExecutor { executor: 1, time_pct: 600 }];
    let quiet = run(&s);
    assert!(quiet.sim.trace.tasks.iter().all(|t| !t.speculative));
    s.sim.speculation = true;
    let r = run(&s);
    assert!(r.schedule.options.speculation);
    let spec: Vec<_> = r.sim.trace.tasks.iter().filter(|t| t.speculative).collect();
    assert!(!spec.is_empty(), "no speculative task");
    // Copies run away from the slow executor, and some original there was killed because a copy won.
    assert!(spec.iter().all(|t| t.executor_id != 1));
    assert!(r.sim.trace.events.iter().any(|e| matches!(e, Event::SpeculativeTaskSubmitted(_))));
    assert!(r.sim.trace.tasks.iter().any(|t| t.executor_id == 1 && t.reason.is_killed()));
    assert!(r.sim.total_time < quiet.sim.total_time, "speculation {} vs none {}", r.sim.total_time, quiet.sim.total_time);
}

#[test]
fn bad_inputs_and_limits_are_diagnostics() {
    let mut s = scenario("p_groupby_aqe_coalesce__aqe_off");
    s.confs.insert("spark.sql.shuffle.partitions".into(), "100000000".into());
    let d = pipeline::simulate(&s).unwrap_err();
    assert_eq!(d.phase, Phase::Limit, "{}", d.message);
    let mut s = scenario("p_groupby_aqe_coalesce__aqe_off");
    s.cluster.executors = 0;
    assert!(pipeline::simulate(&s).is_err());
    let mut s = scenario("p_groupby_aqe_coalesce__aqe_off");
    s.sim.kill_executor = Some(KillExecutor { executor: 9, at_ms: 10 });
    assert!(pipeline::simulate(&s).is_err());
}

fn ratio(a: f64, b: f64) -> f64 {
    (a.max(1.0) / b.max(1.0)).max(b.max(1.0) / a.max(1.0))
}

/// Calibration against real Spark 3.5.9 (`expected.jsonl`, 44 practice runs, `local[2]`); the tables this
/// test prints (`--nocapture`) are in `docs/calibration.md`. Measured on 2026-11-21 with seed 0:
/// - per-stage shuffle write bytes (completed stages that wrote ≥ 1 KB, paired within each job by size
///   order because a few runs number their map stages in another order than Spark): 45 of 46 within 3x
///   (map outputs sized by the stage module's `MapOutputStatistics`, reads by its AQE read specs). The
///   miss: p_merge_hint aqe_on job 2 (real 3.3 KB, simulated 60 KB: Spark's runtime broadcast changed
///   the reducers' output).
/// - per run, the sum of job durations: all 44 runs within 4x of Spark's, 41 within 2x (33 before the
///   cost model was calibrated on per-task phases). Misses: p_orderby_write and p_window_dedup aqe_on
///   (0.37, 0.44: the sampling / range-sort and wide-sort stages are too fast) and p_pushdown_projection
///   aqe_off (2.1: Parquet row-group skipping is not modelled).
/// - per stage, the median task duration (123 completed stages paired by id and task count): 115 within
///   3x, 99 within 2x (97 and 67 before). The 3x misses are mostly first scans of a later job that real
///   Spark runs 0.5–2 s for few rows (new Parquet schema / codegen classes), and cold concurrent scans
///   whose whole task the simulator slows by the fresh-JVM factor.
#[test]
fn bytes_and_durations_are_in_the_range_of_real_spark() {
    let expected: Vec<serde_json::Value> = std::fs::read_to_string(fidelity().join("expected.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (mut bytes_ok, mut bytes_n, mut dur_2x, mut dur_4x, mut runs) = (0, 0, 0, 0, 0);
    let mut report = String::new();
    let (mut stages_n, mut stage_2x, mut stage_3x) = (0, 0, 0);
    let mut stage_table = String::from("| run | job | stage | tasks | real p50 ms | sim p50 ms | sim/real |\n|---|---|---|---|---|---|---|\n");
    let mut job_table = String::from("| run | real job ms | sim job ms | sim/real |\n|---|---|---|---|\n");
    for s in all_scenarios() {
        let Some(e) = expected.iter().find(|e| format!("{}__{}", e["case_id"].as_str().unwrap(), e["variant"].as_str().unwrap()) == s.id) else {
            continue;
        };
        let r = run(&s);
        let (mut real_total, mut sim_total) = (0.0, 0.0);
        for j in e["jobs"].as_array().unwrap() {
            real_total += j["duration_ms"].as_f64().unwrap_or(0.0);
            let jid = j["job_id"].as_u64().unwrap() as u32;
            let mut real: Vec<u64> = j["stages"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|st| st["status"] == "completed")
                .map(|st| st["shuffle_write_bytes"].as_u64().unwrap_or(0))
                .filter(|&b| b >= 1024)
                .collect();
            let mut sim: Vec<u64> = r
                .sim
                .job(jid)
                .map(|sj| sj.stages.iter().filter_map(|st| r.sim.stage(st.stage_id)).filter(|st| st.job_id == jid).map(|st| st.totals.shuffle_write_bytes).collect())
                .unwrap_or_default();
            real.sort_unstable();
            sim.sort_unstable();
            let sim_top: Vec<u64> = sim.iter().rev().take(real.len()).rev().copied().collect();
            for (k, &rb) in real.iter().enumerate() {
                bytes_n += 1;
                let sb = sim_top.get(k).copied().unwrap_or(0);
                if ratio(rb as f64, sb as f64) <= 3.0 {
                    bytes_ok += 1;
                } else {
                    report += &format!("{} job {jid}: shuffle write real {rb} sim {sb}\n", s.id);
                }
            }
        }
        // Per-stage median task duration: each completed real stage paired with the simulated stage of the
        // same job with that id (else the job's first unpaired stage with as many tasks).
        for j in e["jobs"].as_array().unwrap() {
            let jid = j["job_id"].as_u64().unwrap() as u32;
            let sim_stages: Vec<&stagecraft::trace::summary::StageSummary> = r
                .sim
                .job(jid)
                .map(|sj| sj.stages.iter().filter_map(|st| r.sim.stage(st.stage_id)).filter(|st| st.job_id == jid && st.task_duration_ms.is_some()).collect())
                .unwrap_or_default();
            let mut used = vec![false; sim_stages.len()];
            for st in j["stages"].as_array().unwrap().iter().filter(|st| st["status"] == "completed") {
                let (sid, n) = (st["stage_id"].as_u64().unwrap() as u32, st["num_tasks"].as_u64().unwrap() as u32);
                let Some(real_p50) = st["task_duration_ms"]["p50"].as_f64() else { continue };
                let k = sim_stages
                    .iter()
                    .enumerate()
                    .position(|(k, ss)| !used[k] && ss.stage_id == sid && ss.num_tasks == n)
                    .or_else(|| sim_stages.iter().enumerate().position(|(k, ss)| !used[k] && ss.num_tasks == n));
                let Some(k) = k else { continue };
                used[k] = true;
                let sim_p50 = sim_stages[k].task_duration_ms.unwrap().p50 as f64;
                stages_n += 1;
                let q = ratio(real_p50, sim_p50);
                if q <= 3.0 {
                    stage_3x += 1;
                }
                if q <= 2.0 {
                    stage_2x += 1;
                }
                stage_table += &format!(
                    "| {} | {jid} | {sid} | {n} | {real_p50:.0} | {sim_p50:.0} | {:.2} |\n",
                    s.id,
                    sim_p50.max(1.0) / real_p50.max(1.0)
                );
            }
        }
        for j in &r.sim.jobs {
            if let (Some(a), Some(b)) = (j.submission_time, j.completion_time) {
                sim_total += (b - a) as f64 / 1000.0;
            }
        }
        runs += 1;
        let q = ratio(real_total, sim_total);
        job_table += &format!("| {} | {real_total:.0} | {sim_total:.0} | {:.2} |\n", s.id, sim_total.max(1.0) / real_total.max(1.0));
        if q <= 2.0 {
            dur_2x += 1;
        } else {
            report += &format!("{}: job time real {real_total} ms sim {sim_total:.0} ms\n", s.id);
        }
        if q <= 4.0 {
            dur_4x += 1;
        }
    }
    println!("{job_table}\n{stage_table}\n{report}shuffle write within 3x: {bytes_ok}/{bytes_n}; job time within 2x: {dur_2x}/{runs}, within 4x: {dur_4x}/{runs}; stage median task time within 2x: {stage_2x}/{stages_n}, within 3x: {stage_3x}/{stages_n}");
    assert_eq!(runs, 44);
    assert!(bytes_n >= 40 && bytes_ok * 100 >= bytes_n * 85, "shuffle write within 3x: {bytes_ok}/{bytes_n}\n{report}");
    assert_eq!(dur_4x, runs, "{report}");
    assert!(dur_2x >= 40, "job time within 2x: {dur_2x}/{runs}\n{report}");
    assert!(stages_n >= 120, "only {stages_n} stages paired with Spark's");
    assert!(stage_3x * 100 >= stages_n * 90, "stage median task time within 3x: {stage_3x}/{stages_n}\n{stage_table}");
    assert!(stage_2x * 100 >= stages_n * 77, "stage median task time within 2x: {stage_2x}/{stages_n}\n{stage_table}");
}

#[test]
fn the_text_summary_lists_jobs_stages_quantiles_and_aqe_decisions() {
    let r = run(&scenario("p_groupby_aqe_coalesce__aqe_on"));
    let text = r.text_summary();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with(&format!("{} jobs, ", r.sim.jobs.len())) && lines[0].contains("simulated time"), "{text}");
    for j in &r.schedule.jobs {
        assert!(lines.iter().any(|l| l.starts_with(&format!("job {} (", j.job_id)) && l.contains("succeeded")), "{text}");
        for s in &j.stages {
            assert!(lines.iter().any(|l| l.starts_with(&format!("  stage {}: {} tasks", s.stage_id, s.num_tasks))), "{text}");
        }
    }
    assert!(lines.iter().any(|l| l.contains("task ms min/median/max")), "{text}");
    assert!(lines.iter().any(|l| l.contains("skipped")), "{text}");
    let aqe = lines.iter().position(|l| l.starts_with("AQE before job ") && l.contains("CoalesceShufflePartitions: 200 reduce partitions totalling")).expect(&text);
    assert!(lines[aqe].contains("→ 1 coalesced partitions"), "{text}");
    assert!(lines[aqe + 1..].iter().take(4).any(|l| l.trim_start().starts_with("target_bytes = ")), "{text}");
}

#[test]
fn broadcasts_and_caches_order_the_jobs_and_cached_blocks_are_read_not_recomputed() {
    // AQE off: the broadcast's collect job runs first, the action's job after it.
    let r = run(&scenario("p_bhj_dimension__aqe_off"));
    let kinds: Vec<(JobKind, Vec<u32>)> = r.schedule.jobs.iter().map(|j| (j.kind, j.after_jobs.clone())).collect();
    assert_eq!(kinds, [(JobKind::Broadcast, vec![]), (JobKind::Result, vec![0])]);
    let (b, m) = (r.sim.job(0).unwrap(), r.sim.job(1).unwrap());
    assert!(b.completion_time.unwrap() <= m.submission_time.unwrap());

    // AQE on with CACHE TABLE: the cache's first use is its own job; later jobs read its blocks.
    let r = run(&scenario("p_cache_two_actions__aqe_on"));
    let jobs = &r.schedule.jobs;
    assert_eq!(jobs[0].kind, JobKind::CacheBuild);
    let cache_id = jobs[0].stages[0].work(0).cache.as_ref().map(|c| c.rdd_id).expect("the build stores blocks");
    let readers: Vec<&stagecraft::sim::JobSpec> =
        jobs.iter().skip(1).filter(|j| j.stages.iter().any(|s| s.status_hint == StageHint::Run && s.work(0).cache.as_ref().map(|c| c.rdd_id) == Some(cache_id))).collect();
    assert!(!readers.is_empty());
    for j in &readers {
        assert!(j.after_jobs.contains(&0) || j.after_jobs.iter().any(|a| jobs.iter().find(|x| x.job_id == *a).is_some_and(|x| x.after_jobs.contains(&0))), "job {} does not wait for the cache", j.job_id);
        for s in j.stages.iter().filter(|s| s.status_hint == StageHint::Run) {
            let st = r.sim.stage(s.stage_id).unwrap();
            assert_eq!(st.totals.input_bytes, 0, "stage {} re-read the files instead of the cached blocks", s.stage_id);
        }
    }
    assert!(r.sim.trace.tasks.iter().any(|t| t.locality == stagecraft::trace::Locality::ProcessLocal));
}
