//! Determinism: the same schedule and seed give byte-identical serialised results (trace and summaries),
//! with every stochastic feature switched on; another seed gives another trace; a trace survives a JSON
//! round trip unchanged.

use stagecraft::sim::*;
use stagecraft::trace::Trace;

const MB: u64 = 1 << 20;

/// An AQE-like run on 3 executors (one slow) with jitter, speculation, injected failures and an
/// executor killed mid-run.
fn busy_schedule(seed: u64) -> Schedule {
    let map = |id, n, sh| {
        let tasks = (0..n)
            .map(|p| {
                TaskWork::cpu_ms(100 + (p as u64 * 37) % 400)
                    .input(4 * MB, 100_000)
                    .shuffle_write(MB + p as u64 * 1000, 50_000)
            })
            .collect();
        StageSpec::map(id, n, sh).operators(&["Scan parquet", "HashAggregate"]).codegen(2).tasks(tasks)
    };
    let reduce = |p: u64| {
        TaskWork::cpu_ms(30 + p % 50).shuffle_read(200_000, 10_000).memory(if p == 3 { 3_000 * MB } else { 10 * MB })
    };
    let jobs = vec![
        JobSpec::new(0, JobKind::MapStageOnly, vec![map(0, 24, 0)]),
        JobSpec::new(1, JobKind::MapStageOnly, vec![map(1, 16, 1)]),
        JobSpec::new(
            2,
            JobKind::Result,
            vec![
                map(2, 24, 0).skipped(),
                map(3, 16, 1).skipped(),
                StageSpec::result(4, 40)
                    .parents(&[2, 3])
                    .operators(&["Sort", "Sort", "SortMergeJoin"])
                    .codegen(3)
                    .tasks((0..40).map(reduce).collect()),
            ],
        )
        .after(&[0, 1]),
    ];
    let mut cluster = ClusterSpec::new(3, 4);
    cluster.slow_executors = vec![SlowExecutor { executor: 2, time_pct: 250 }];
    cluster.executor_memory_mb = 2048;
    let mut s = Schedule::new(cluster, jobs);
    s.options.seed = seed;
    s.options.speculation = true;
    s.options.task_failure_rate = 0.05;
    s.options.kill_executor = Some(KillExecutor { executor: 1, at_ms: 2_500 });
    s.options.fetch_failure_detect_ms = 1_000;
    s
}

fn bytes(seed: u64) -> Vec<u8> {
    serde_json::to_vec(&simulate(&busy_schedule(seed)).unwrap()).unwrap()
}

#[test]
fn same_schedule_and_seed_give_identical_bytes() {
    let a = bytes(42);
    let b = bytes(42);
    assert!(a == b, "two runs with seed 42 differ");
    // The run really exercised the stochastic paths.
    let r = simulate(&busy_schedule(42)).unwrap();
    let reasons: Vec<String> = r.trace.tasks.iter().map(|t| format!("{:?}", t.reason)).collect();
    assert!(reasons.iter().any(|x| x.contains("ExceptionFailure")), "no injected failure");
    assert!(reasons.iter().any(|x| x.contains("ExecutorLost")), "no executor loss");
    assert!(r.trace.tasks.len() > 100);
}

#[test]
fn a_different_seed_gives_a_different_trace() {
    assert_ne!(bytes(42), bytes(43));
}

#[test]
fn the_seed_only_moves_what_is_random() {
    // Without jitter, failures or speculation the seed only picks the order of worker offers; the work
    // is the same.
    let run = |seed| {
        let mut s = busy_schedule(seed);
        s.options.jitter_pct = 0;
        s.options.speculation = false;
        s.options.task_failure_rate = 0.0;
        s.options.kill_executor = None;
        simulate(&s).unwrap()
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.trace.tasks.len(), b.trace.tasks.len());
    let total = |r: &SimResult| r.stages.iter().map(|s| s.totals.shuffle_read_bytes).sum::<u64>();
    assert_eq!(total(&a), total(&b));
}

#[test]
fn traces_round_trip_through_json_byte_for_byte() {
    let r = simulate(&busy_schedule(7)).unwrap();
    let text = r.trace.to_json();
    let back: Trace = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r.trace);
    assert_eq!(back.to_json(), text);
    // Events are in time order, and every TaskEnd's metrics are found by task id.
    assert!(r.trace.events.windows(2).all(|w| w[0].time() <= w[1].time()));
    for e in &r.trace.events {
        if let stagecraft::trace::Event::TaskEnd(t) = e {
            assert_eq!(r.trace.tasks[t.task_id as usize].finish_time, t.time);
            assert!(r.trace.task_end_metrics(e).is_some());
        }
    }
}
