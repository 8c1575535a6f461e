//! Hand-built schedules exercising each scheduler mechanism end to end (speculation, executor loss and
//! FetchFailed, retries, spill, cache recomputation, AQE-style job chains, FAIR, locality order), plus
//! the corpus timing shape of two real runs. Every schedule is written here (the planner's schedules are
//! tested end to end in `sim_pipeline.rs`).

use stagecraft::error::Phase;
use stagecraft::sim::*;
use stagecraft::trace::summary::{JobStatus, StageStatus};
use stagecraft::trace::{Event, KillReason, Locality, TaskEndReason, TaskRecord};

const MB: u64 = 1 << 20;
const MS: u64 = 1000;

fn quiet(mut s: Schedule) -> Schedule {
    s.options.jitter_pct = 0;
    s.options.jvm_warmup = false;
    s
}

fn tasks_of(r: &SimResult, stage_id: u32) -> Vec<&TaskRecord> {
    r.trace.tasks.iter().filter(|t| t.stage_id == stage_id).collect()
}

fn stage_span_ms(r: &SimResult, stage_id: u32) -> u64 {
    let s = r.stage(stage_id).unwrap();
    (s.completion_time.unwrap() - s.submission_time.unwrap()) / MS
}

/// p_aqe_skew_join with AQE off, as Spark ran it: orders scanned in 6 splits (two empty), customers in
/// 2, a 200-partition sort-merge join whose partition 7 holds the hot key (1.8 M of 3.2 M rows), then a
/// 200-partition final aggregate.
fn skew_join_aqe_off() -> Schedule {
    let orders = |p: u32| {
        if p < 4 {
            TaskWork::default().input(3_884_657, 750_000).shuffle_write(6_982_000, 750_000)
        } else {
            TaskWork::default().input(7_174, 0)
        }
    };
    let reducer = |p: u32| {
        let (b, r) = if p == 7 { (14_475_330, 1_806_286) } else { (76_024, 7_010) };
        TaskWork::default().shuffle_read(b, r).shuffle_write(406, 5).memory(139 * MB)
    };
    let stages = vec![
        StageSpec::map(0, 6, 0)
            .operators(&["Scan parquet", "Filter", "Project"])
            .codegen(1)
            .tasks((0..6).map(orders).collect()),
        StageSpec::map(1, 2, 1)
            .operators(&["Scan parquet", "Filter", "Project"])
            .codegen(1)
            .uniform(TaskWork::default().input(670_875, 100_000).shuffle_write(831_944, 100_000)),
        StageSpec::map(2, 200, 2)
            .parents(&[0, 1])
            .operators(&["Sort", "Sort", "SortMergeJoin", "Project", "HashAggregate"])
            .codegen(3)
            .tasks((0..200).map(reducer).collect()),
        StageSpec::result(3, 200)
            .parents(&[2])
            .operators(&["HashAggregate"])
            .codegen(1)
            .uniform(TaskWork::default().shuffle_read(406, 5)),
    ];
    Schedule::new(ClusterSpec::new(1, 2), vec![JobSpec::new(0, JobKind::Result, stages)])
}

#[test]
fn corpus_shape_of_the_skewed_join_without_aqe() {
    // Real Spark 3.5.9 (expected.jsonl, p_aqe_skew_join aqe_off): job 13.85 s; stage spans 3.06 / 3.09 /
    // 9.41 / 1.19 s; reducers p50 83 ms, hot one 1.55 s; final aggregate p50 10 ms.
    let r = simulate(&skew_join_aqe_off()).unwrap();
    assert_eq!(r.jobs[0].status, JobStatus::Succeeded);
    let total = r.total_time / MS;
    assert!((10_400..17_300).contains(&total), "job took {total} ms (real 13 851)");
    let s2 = r.stage(2).unwrap().task_duration_ms.unwrap();
    assert!(s2.max >= 10 * s2.p50, "hot task {} ms vs median {} ms", s2.max, s2.p50);
    assert!((55..110).contains(&s2.p50) && (1_000..2_100).contains(&s2.max), "{s2:?}");
    let s0 = r.stage(0).unwrap().task_duration_ms.unwrap();
    assert!((1_700..3_000).contains(&s0.max), "cold scan task {} ms (real 2 161–2 353)", s0.max);
    assert!(s0.min < 100, "empty splits are quick: {} ms (real 51)", s0.min);
    let s3 = r.stage(3).unwrap().task_duration_ms.unwrap();
    assert!((5..25).contains(&s3.p50), "{s3:?}");
    for (stage, real) in [(0, 3_061), (2, 9_409), (3, 1_194)] {
        let span = stage_span_ms(&r, stage);
        assert!(span * 10 >= real * 7 && span * 10 <= real * 13, "stage {stage}: {span} ms vs real {real}");
    }
    // The hot partition reads ≥ 10× the median.
    let sizes = r.trace.shuffle_read_sizes(2);
    let h = stagecraft::trace::histogram::partition_histogram(&sizes);
    assert!(h.max_over_median_permille >= 10_000);
}

/// p_bhj_dimension with AQE on: a broadcast job, then the probe side's query-stage job, then the
/// result job that lists that stage as skipped.
fn bhj_aqe_on() -> Schedule {
    let broadcast = JobSpec::new(
        0,
        JobKind::Broadcast,
        vec![StageSpec::result(0, 1)
            .operators(&["Scan parquet", "Filter", "Project"])
            .codegen(2)
            .uniform(TaskWork { result_bytes: 86_000, ..TaskWork::default().input(132_506, 10_000) })],
    );
    let probe = JobSpec::new(
        1,
        JobKind::MapStageOnly,
        vec![StageSpec::map(1, 2, 0)
            .operators(&["Scan parquet", "Filter", "BroadcastHashJoin", "HashAggregate"])
            .codegen(1)
            .uniform(TaskWork::default().input(16_087_342, 2_998_769).shuffle_write(1_680, 20))],
    )
    .after(&[0])
    .delay_ms(376);
    let result = JobSpec::new(
        2,
        JobKind::Result,
        vec![
            StageSpec::map(2, 2, 0).skipped(),
            StageSpec::result(3, 1)
                .parents(&[2])
                .operators(&["HashAggregate"])
                .codegen(1)
                .uniform(TaskWork::default().shuffle_read(3_360, 40)),
        ],
    )
    .after(&[1]);
    Schedule::new(ClusterSpec::new(1, 2), vec![broadcast, probe, result])
}

#[test]
fn corpus_shape_of_aqe_jobs_with_a_broadcast() {
    // Real: 3 jobs; job ends at 686 / 2 409 / 2 633 ms; the probe tasks run 1.28 s; the result task 86 ms.
    let r = simulate(&bhj_aqe_on()).unwrap();
    assert_eq!(r.jobs.len(), 3);
    assert!(r.jobs.iter().all(|j| j.status == JobStatus::Succeeded));
    assert_eq!(r.jobs[2].stages[0].status, StageStatus::Skipped);
    assert_eq!(r.jobs[2].stages[1].status, StageStatus::Completed);
    let total = r.total_time / MS;
    assert!((1_800..3_500).contains(&total), "{total} ms (real 2 633)");
    let bc = r.stage(0).unwrap().task_duration_ms.unwrap();
    assert!((400..1_500).contains(&bc.max), "cold broadcast task {} ms (real 567–607)", bc.max);
    let probe = r.stage(1).unwrap().task_duration_ms.unwrap();
    assert!((700..1_900).contains(&probe.p50), "probe {} ms (real 1 275)", probe.p50);
}

/// AQE-style chain of p_smj_then_groupby: two leaf query stages as concurrent jobs, a join stage job that
/// re-lists them as skipped, and a result job re-listing three ancestors: 4 stages run, 5 skipped.
fn aqe_chain() -> Schedule {
    let update = |d: &str| AdaptiveUpdate {
        execution_id: 3,
        description: d.into(),
        why: vec!["target = max(1 MiB, min(64 MiB, ceil(total / 2)))".into()],
    };
    let scan = |id, sh| {
        StageSpec::map(id, 2, sh)
            .uniform(TaskWork::cpu_ms(300).input(8 * MB, 1_000_000).shuffle_write(4 * MB, 1_000_000))
    };
    let mut j2 = JobSpec::new(
        2,
        JobKind::MapStageOnly,
        vec![
            scan(2, 0).skipped(),
            scan(3, 1).skipped(),
            StageSpec::map(4, 2, 2)
                .parents(&[2, 3])
                .uniform(TaskWork::cpu_ms(200).shuffle_read(4 * MB, 1_000_000).shuffle_write(1_000, 10)),
        ],
    )
    .after(&[0, 1]);
    j2.aqe_before = vec![update("CoalesceShufflePartitions: 200 → 2")];
    let mut j3 = JobSpec::new(
        3,
        JobKind::Result,
        vec![
            scan(5, 0).skipped(),
            scan(6, 1).skipped(),
            StageSpec::map(7, 2, 2).parents(&[5, 6]).skipped(),
            StageSpec::result(8, 1).parents(&[7]).uniform(TaskWork::cpu_ms(20).shuffle_read(1_000, 10)),
        ],
    )
    .after(&[2]);
    j3.aqe_before = vec![update("CoalesceShufflePartitions: 200 → 1")];
    j3.aqe_after = vec![update("final plan")];
    Schedule::new(
        ClusterSpec::new(1, 2),
        vec![
            JobSpec::new(0, JobKind::MapStageOnly, vec![scan(0, 0)]),
            JobSpec::new(1, JobKind::MapStageOnly, vec![scan(1, 1)]),
            j2,
            j3,
        ],
    )
}

#[test]
fn aqe_jobs_follow_their_dependencies_and_carry_replan_events() {
    let r = simulate(&aqe_chain()).unwrap();
    let completed: usize = r.jobs.iter().flat_map(|j| &j.stages).filter(|s| s.status == StageStatus::Completed).count();
    let skipped: usize = r.jobs.iter().flat_map(|j| &j.stages).filter(|s| s.status == StageStatus::Skipped).count();
    assert_eq!((completed, skipped), (4, 5));
    // Jobs 0 and 1 run concurrently; 2 starts after both end, 3 after 2.
    let (j0, j1, j2, j3) = (r.job(0).unwrap(), r.job(1).unwrap(), r.job(2).unwrap(), r.job(3).unwrap());
    assert!(j1.submission_time.unwrap() < j0.completion_time.unwrap());
    assert!(j2.submission_time.unwrap() >= j0.completion_time.unwrap().max(j1.completion_time.unwrap()));
    assert!(j3.submission_time.unwrap() >= j2.completion_time.unwrap());
    // Each re-plan event comes right before its job's JobStart; the final one after the last JobEnd.
    let ev = &r.trace.events;
    for (k, e) in ev.iter().enumerate() {
        if let Event::AdaptiveExecutionUpdate(u) = e {
            match ev.get(k + 1) {
                Some(Event::JobStart(js)) => assert!(js.time == u.time && (js.job_id == 2 || js.job_id == 3)),
                None => {
                    assert!(u.description == "final plan" && matches!(&ev[k - 1], Event::JobEnd(j) if j.job_id == 3))
                }
                Some(other) => panic!("{other:?} after {u:?}"),
            }
        }
    }
    assert_eq!(ev.iter().filter(|e| matches!(e, Event::AdaptiveExecutionUpdate(_))).count(), 3);
}

#[test]
fn a_straggler_gets_a_speculative_copy_that_wins() {
    // Executor 1 runs 8× slower; once 75 % of the tasks are done, its long-running tasks get copies on
    // executor 0, which finish first; the originals are killed.
    let stage = StageSpec::result(0, 12).uniform(TaskWork::cpu_ms(1_000));
    let mut cluster = ClusterSpec::new(2, 2);
    cluster.slow_executors = vec![SlowExecutor { executor: 1, time_pct: 800 }];
    let base = quiet(Schedule::new(cluster, vec![JobSpec::new(0, JobKind::Result, vec![stage])]));
    let mut spec_on = base.clone();
    spec_on.options.speculation = true;
    let off = simulate(&base).unwrap();
    let on = simulate(&spec_on).unwrap();
    assert!(off.trace.tasks.iter().all(|t| !t.speculative));
    assert!(on.trace.events.iter().any(|e| matches!(e, Event::SpeculativeTaskSubmitted(_))));
    let winners: Vec<&TaskRecord> = on.trace.tasks.iter().filter(|t| t.speculative && t.reason.is_success()).collect();
    assert!(!winners.is_empty());
    for w in &winners {
        assert_eq!(w.executor_id, 0);
        let loser = on.trace.tasks.iter().find(|t| t.partition == w.partition && !t.speculative).unwrap();
        assert_eq!(loser.reason, TaskEndReason::TaskKilled { reason: KillReason::AnotherAttemptSucceeded });
        assert_eq!(loser.finish_time, w.finish_time);
    }
    for p in 0..12 {
        assert_eq!(on.trace.tasks.iter().filter(|t| t.partition == p && t.reason.is_success()).count(), 1);
    }
    assert!(on.total_time < off.total_time, "{} vs {}", on.total_time, off.total_time);
}

#[test]
fn speculation_never_copies_onto_the_same_executor() {
    // local[2]: one executor, so a skewed task is flagged speculatable but no copy can launch.
    let work: Vec<TaskWork> = (0..8).map(|p| TaskWork::cpu_ms(if p == 3 { 5_000 } else { 200 })).collect();
    let mut s = quiet(Schedule::new(
        ClusterSpec::new(1, 2),
        vec![JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, 8).tasks(work)])],
    ));
    s.options.speculation = true;
    let r = simulate(&s).unwrap();
    assert!(r.trace.events.iter().any(|e| matches!(e, Event::SpeculativeTaskSubmitted(_))));
    assert!(r.trace.tasks.iter().all(|t| !t.speculative));
}

fn map_then_reduce(kill: Option<KillExecutor>) -> Schedule {
    let map = StageSpec::map(0, 8, 0).uniform(TaskWork::cpu_ms(500).shuffle_write(8 * MB, 80_000));
    let reduce = StageSpec::result(1, 8).parents(&[0]).uniform(TaskWork::cpu_ms(500).shuffle_read(8 * MB, 80_000));
    let mut s = quiet(Schedule::new(ClusterSpec::new(2, 2), vec![JobSpec::new(0, JobKind::Result, vec![map, reduce])]));
    s.options.kill_executor = kill;
    s
}

#[test]
fn executor_loss_after_a_map_stage_causes_fetch_failed_and_a_partial_resubmission() {
    let clean = simulate(&map_then_reduce(None)).unwrap();
    let reduce_start = clean.stage(1).unwrap().submission_time.unwrap();
    let at_ms = reduce_start / MS + 200; // during the reduce stage's first wave
    let r = simulate(&map_then_reduce(Some(KillExecutor { executor: 1, at_ms }))).unwrap();
    assert_eq!(r.jobs[0].status, JobStatus::Succeeded, "{:?}", r.jobs[0].failure_reason);
    let ev = &r.trace.events;
    assert!(ev.iter().any(|e| matches!(e, Event::ExecutorRemoved(x) if x.executor_id == 1)));
    // Tasks on the dead executor fail with ExecutorLost; reducers fetching its blocks hit FetchFailed.
    assert!(r.trace.tasks.iter().any(|t| t.reason == TaskEndReason::ExecutorLostFailure { executor_id: 1 }));
    assert!(r
        .trace
        .tasks
        .iter()
        .any(|t| matches!(t.reason, TaskEndReason::FetchFailed { shuffle_id: 0, executor_id: 1 })));
    let failed_attempt = ev.iter().find_map(|e| match e {
        Event::StageCompleted(c) if c.stage_id == 1 && c.failure_reason.is_some() => Some(c.clone()),
        _ => None,
    });
    let failed_attempt = failed_attempt.expect("the reduce stage attempt fails");
    assert!(failed_attempt.failure_reason.unwrap().starts_with("FetchFailed"));
    // The map stage is resubmitted (attempt 1) for the lost partitions only, then the reducer again.
    let resub: Vec<(u32, u16, u32, u64)> = ev
        .iter()
        .filter_map(|e| match e {
            Event::StageSubmitted(s) => Some((s.stage_id, s.stage_attempt, s.num_tasks, s.time)),
            _ => None,
        })
        .collect();
    let map_retry = resub.iter().find(|s| s.0 == 0 && s.1 == 1).expect("map stage attempt 1");
    let lost_maps = clean.trace.tasks.iter().filter(|t| t.stage_id == 0 && t.executor_id == 1).count() as u32;
    assert_eq!(map_retry.2, lost_maps);
    assert!(map_retry.3 >= failed_attempt.time + 200 * MS, "resubmitted after RESUBMIT_TIMEOUT");
    let reduce_retry = resub.iter().find(|s| s.0 == 1 && s.1 == 1).expect("reduce stage attempt 1");
    assert!(reduce_retry.3 > map_retry.3);
    // Nothing runs on the dead executor afterwards.
    let removed_at = at_ms * MS;
    assert!(r.trace.tasks.iter().all(|t| t.executor_id != 1 || t.launch_time < removed_at));
    for p in 0..8 {
        assert_eq!(tasks_of(&r, 1).iter().filter(|t| t.partition == p && t.reason.is_success()).count(), 1);
    }
}

#[test]
fn executor_loss_during_a_map_stage_reruns_lost_outputs_in_the_same_attempt() {
    let r = simulate(&map_then_reduce(Some(KillExecutor { executor: 0, at_ms: 900 }))).unwrap();
    assert_eq!(r.jobs[0].status, JobStatus::Succeeded);
    assert!(r.trace.tasks.iter().any(|t| t.reason == TaskEndReason::ExecutorLostFailure { executor_id: 0 }));
    // No FetchFailed: the reducers start only once every map output exists again.
    assert!(r.trace.tasks.iter().all(|t| !matches!(t.reason, TaskEndReason::FetchFailed { .. })));
    assert_eq!(r.stage(0).unwrap().attempts, 1);
    assert!(tasks_of(&r, 0).iter().filter(|t| t.reason.is_success()).count() > 8, "lost outputs recomputed");
    assert!(r.trace.tasks.iter().filter(|t| t.launch_time >= 900 * MS).all(|t| t.executor_id == 1));
}

#[test]
fn task_failures_are_retried_and_fail_the_job_after_max_failures() {
    let job =
        |id: u32| JobSpec::new(id, JobKind::Result, vec![StageSpec::result(id, 10).uniform(TaskWork::cpu_ms(50))]);
    let mut flaky = Schedule::new(ClusterSpec::new(2, 2), vec![job(0)]);
    flaky.options.task_failure_rate = 0.3;
    flaky.options.seed = 7;
    let r = simulate(&flaky).unwrap();
    assert_eq!(r.jobs[0].status, JobStatus::Succeeded);
    let failed = r.trace.tasks.iter().filter(|t| t.reason == TaskEndReason::ExceptionFailure).count();
    assert!(failed > 0);
    assert_eq!(r.trace.tasks.iter().filter(|t| t.reason.is_success()).count(), 10);

    let mut broken = Schedule::new(ClusterSpec::new(2, 2), vec![job(0), job(1).after(&[0])]);
    broken.options.task_failure_rate = 1.0;
    let r = simulate(&broken).unwrap();
    assert_eq!(r.jobs[0].status, JobStatus::Failed);
    assert!(r.jobs[0].failure_reason.as_deref().unwrap().contains("failed 4 times"));
    assert_eq!(r.jobs[1].status, JobStatus::NotRun);
    let worst = (0..10)
        .map(|p| {
            r.trace.tasks.iter().filter(|t| t.partition == p && t.reason == TaskEndReason::ExceptionFailure).count()
        })
        .max();
    assert_eq!(worst, Some(4));
    assert!(r.trace.tasks.iter().all(|t| !t.reason.is_success()));
}

#[test]
fn tasks_spill_when_their_state_exceeds_the_execution_share() {
    // (1 GiB − 300 MiB) × 0.6 / 4 slots ≈ 108 MiB per task; a 600 MiB sort spills.
    let work = TaskWork::cpu_ms(200).shuffle_read(50 * MB, 1_000_000).memory(600 * MB);
    let make = |mem_mb| {
        let mut c = ClusterSpec::new(1, 4);
        c.executor_memory_mb = mem_mb;
        let s = StageSpec::result(0, 4).uniform(work.clone());
        quiet(Schedule::new(c, vec![JobSpec::new(0, JobKind::Result, vec![s])]))
    };
    let small = simulate(&make(1024)).unwrap();
    let big = simulate(&make(16 * 1024)).unwrap();
    let t = &small.trace.tasks[0].metrics;
    assert!(t.memory_bytes_spilled >= 400 * MB && t.disk_bytes_spilled > 0, "{t:?}");
    assert!(t.peak_execution_memory < 110 * MB);
    assert_eq!(big.trace.tasks[0].metrics.memory_bytes_spilled, 0);
    assert!(small.trace.tasks[0].metrics.executor_run_time > big.trace.tasks[0].metrics.executor_run_time);
    assert_eq!(small.stage(0).unwrap().totals.disk_bytes_spilled, 4 * t.disk_bytes_spilled);
}

#[test]
fn lost_cached_blocks_are_recomputed_from_lineage() {
    // Job 0 materialises a cached relation; job 1 reads it; executor 0 dies before job 2 reads it again.
    let cache = |miss_ms: u64| CacheUse {
        rdd_id: 9,
        block_bytes: 20 * MB,
        miss_compute_ns: miss_ms * 1_000_000,
        miss_input_bytes: 30 * MB,
        miss_input_records: 500_000,
    };
    let reader = |job: u32| {
        JobSpec::new(
            job,
            JobKind::Result,
            vec![StageSpec::result(job, 4).uniform(TaskWork { cache: Some(cache(2_000)), ..TaskWork::cpu_ms(50) })],
        )
        .after(&[job - 1])
        .delay_ms(1_000)
    };
    let build = JobSpec::new(
        0,
        JobKind::CacheBuild,
        vec![StageSpec::result(0, 4).uniform(TaskWork { cache: Some(cache(0)), ..TaskWork::cpu_ms(1_500) })],
    );
    let mut s = quiet(Schedule::new(ClusterSpec::new(2, 2), vec![build, reader(1), reader(2)]));
    let clean = simulate(&s).unwrap();
    let kill_at = clean.job(1).unwrap().completion_time.unwrap() / MS + 100;
    s.options.kill_executor = Some(KillExecutor { executor: 0, at_ms: kill_at });
    let r = simulate(&s).unwrap();
    assert!(r.jobs.iter().all(|j| j.status == JobStatus::Succeeded));
    let on_dead: Vec<u32> = tasks_of(&r, 0).iter().filter(|t| t.executor_id == 0).map(|t| t.partition).collect();
    assert!(!on_dead.is_empty());
    for t in tasks_of(&r, 1) {
        assert!(t.duration_ms() < 500, "job 1 hits the cache: {} ms", t.duration_ms());
    }
    for t in tasks_of(&r, 2) {
        let recomputed = on_dead.contains(&t.partition);
        assert_eq!(t.duration_ms() > 1_500, recomputed, "partition {} took {} ms", t.partition, t.duration_ms());
        assert_eq!(t.metrics.input_records == 500_000, recomputed);
    }
}

#[test]
fn fifo_runs_jobs_in_order_and_fair_interleaves_them() {
    let job =
        |id: u32| JobSpec::new(id, JobKind::Result, vec![StageSpec::result(id, 20).uniform(TaskWork::cpu_ms(100))]);
    let fifo = quiet(Schedule::new(ClusterSpec::new(1, 2), vec![job(0), job(1)]));
    let mut fair = fifo.clone();
    fair.options.scheduler_mode = SchedulerMode::Fair;
    let first_and_last = |r: &SimResult, stage: u32| {
        let starts: Vec<u64> = tasks_of(r, stage).iter().map(|t| t.launch_time).collect();
        (*starts.iter().min().unwrap(), *starts.iter().max().unwrap())
    };
    let r = simulate(&fifo).unwrap();
    assert!(first_and_last(&r, 1).0 >= first_and_last(&r, 0).1);
    let r = simulate(&fair).unwrap();
    assert!(first_and_last(&r, 1).0 < first_and_last(&r, 0).1);
    let both: Vec<u64> = [0, 1].iter().map(|&s| tasks_of(&r, s).iter().map(|t| t.launch_time).max().unwrap()).collect();
    assert!(both[0].abs_diff(both[1]) <= 200 * MS, "FAIR shares the slots: {both:?}");
}

#[test]
fn non_empty_reducers_launch_first_near_their_map_outputs() {
    // Corpus p_bhj_dimension: 20 of 200 reducers have data; they launch NODE_LOCAL before the empty ones.
    let work: Vec<TaskWork> = (0..50)
        .map(|p| if p % 10 == 3 { TaskWork::cpu_ms(5).shuffle_read(168, 2) } else { TaskWork::cpu_ms(5) })
        .collect();
    let s = Schedule::new(
        ClusterSpec::new(1, 2),
        vec![JobSpec::new(
            0,
            JobKind::Result,
            vec![
                StageSpec::map(0, 2, 0).uniform(TaskWork::cpu_ms(10).shuffle_write(840, 10)),
                StageSpec::result(1, 50).parents(&[0]).tasks(work),
            ],
        )],
    );
    let r = simulate(&s).unwrap();
    let order: Vec<&TaskRecord> = tasks_of(&r, 1);
    assert!(order[..5].iter().all(|t| t.partition % 10 == 3 && t.locality == Locality::NodeLocal));
    assert!(order[5..].iter().all(|t| t.locality == Locality::ProcessLocal));
    assert!(order[5..].windows(2).all(|w| w[0].partition < w[1].partition));
    assert_eq!(order[0].metrics.shuffle_read.local_blocks_fetched, 2);
}

#[test]
fn empty_stages_and_prematerialised_map_jobs_finish_at_once() {
    let s = Schedule::new(
        ClusterSpec::new(1, 2),
        vec![
            JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, 0)]),
            JobSpec::new(1, JobKind::MapStageOnly, vec![StageSpec::map(1, 4, 7).skipped()]),
        ],
    );
    let r = simulate(&s).unwrap();
    assert!(r.jobs.iter().all(|j| j.status == JobStatus::Succeeded));
    assert!(r.trace.tasks.is_empty());
    assert_eq!(r.job(1).unwrap().stages[0].status, StageStatus::Skipped);
}

#[test]
fn refuses_invalid_or_oversized_schedules_without_panicking() {
    let one = |stages| Schedule::new(ClusterSpec::new(1, 2), vec![JobSpec::new(0, JobKind::Result, stages)]);
    let huge = one(vec![StageSpec::result(0, 5_000_001)]);
    assert_eq!(simulate(&huge).unwrap_err().phase, Phase::Limit);
    let cases = [
        one(vec![StageSpec::result(0, 1).parents(&[5])]),
        one(vec![
            StageSpec::map(0, 1, 0).parents(&[1]),
            StageSpec::map(1, 1, 1).parents(&[0]),
            StageSpec::result(2, 1).parents(&[0]),
        ]),
        one(vec![StageSpec::map(0, 1, 0)]),
        one(vec![StageSpec::result(0, 3).tasks(vec![TaskWork::default(), TaskWork::default()])]),
        one(vec![StageSpec::result(0, 1), StageSpec::result(1, 1)]),
        Schedule::new(ClusterSpec::new(0, 2), vec![]),
        Schedule::new(ClusterSpec { task_cpus: 4, ..ClusterSpec::new(1, 2) }, vec![]),
        Schedule::new(
            ClusterSpec::new(1, 2),
            vec![JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, 1)]).after(&[0])],
        ),
    ];
    for (i, s) in cases.iter().enumerate() {
        let e = simulate(s).expect_err(&format!("case {i} must be refused"));
        assert_eq!(e.phase, Phase::Simulation, "case {i}: {}", e.message);
    }
    let mut bad = one(vec![StageSpec::result(0, 1)]);
    bad.options.task_failure_rate = 2.0;
    assert!(simulate(&bad).is_err());
}

#[test]
fn schedules_round_trip_through_json() {
    let s = aqe_chain();
    let text = serde_json::to_string(&s).unwrap();
    let back: Schedule = serde_json::from_str(&text).unwrap();
    assert_eq!(back, s);
    // Defaults fill what a planner leaves out; corpus spellings are accepted.
    let minimal = r#"{"cluster": {"executors": 1, "cores_per_executor": 2},
        "jobs": [{"job_id": 0, "kind": "shuffle_map_stage_only (AQE query stage)",
                  "stages": [{"stage_id": 0, "kind": "map", "num_tasks": 2, "status_hint": "completed"}]}]}"#;
    let s: Schedule = serde_json::from_str(minimal).unwrap();
    assert_eq!(s.options, SimConfig::default());
    assert_eq!(s.jobs[0].kind, JobKind::MapStageOnly);
    assert!(simulate(&s).is_ok());
}

#[test]
fn a_skipped_stage_runs_again_when_its_outputs_are_lost() {
    // AQE: job 2 lists the query stages of jobs 0 and 1 as skipped. Executor 1 dies while job 2 runs:
    // its reducers hit FetchFailed and the skipped stage standing for job 0's shuffle runs the lost maps.
    let mut s = quiet(aqe_chain());
    s.cluster = ClusterSpec::new(2, 2);
    let clean = simulate(&s).unwrap();
    let j2 = clean.job(2).unwrap();
    s.options.kill_executor = Some(KillExecutor { executor: 1, at_ms: j2.submission_time.unwrap() / MS + 60 });
    let r = simulate(&s).unwrap();
    assert!(r.jobs.iter().all(|j| j.status == JobStatus::Succeeded), "{:?}", r.jobs);
    assert!(r.trace.tasks.iter().any(|t| matches!(t.reason, TaskEndReason::FetchFailed { .. })));
    let job2 = r.job(2).unwrap();
    let reran: Vec<u32> = job2
        .stages
        .iter()
        .filter(|st| st.stage_id < 4 && st.status == StageStatus::Completed)
        .map(|st| st.stage_id)
        .collect();
    assert!(!reran.is_empty(), "a stage listed as skipped ran the lost partitions: {:?}", job2.stages);
    for st in reran {
        let ran = tasks_of(&r, st);
        assert!(ran.iter().all(|t| t.executor_id == 0));
        assert!(ran.len() < 2 || ran.iter().filter(|t| t.reason.is_success()).count() <= 2);
    }
}
