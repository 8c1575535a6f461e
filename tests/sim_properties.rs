//! Properties of the scheduler over generated schedules (proptest): every partition computed exactly once
//! unless its output was lost (retries and speculative copies never yield a second success), no slot ever
//! holds two tasks, no stage is submitted before its parents completed, shuffle bytes written equal bytes
//! read across each shuffle, jobs without injected failures succeed, and uniform stages run in
//! ceil(tasks / slots) waves.

use proptest::prelude::*;
use stagecraft::sim::rng::SimRng;
use stagecraft::sim::*;
use stagecraft::trace::summary::JobStatus;
use stagecraft::trace::{Event, TaskEndReason};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct Knobs {
    seed: u64,
    executors: u32,
    cores: u32,
    jobs: usize,
    speculation: bool,
    failure_permille: u32,
    kill_at_ms: Option<u64>,
    jitter: u32,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        any::<u64>(),
        1..=4u32,
        1..=3u32,
        1..=3usize,
        any::<bool>(),
        prop_oneof![Just(0u32), 1..100u32],
        prop::option::of(0..6_000u64),
        prop_oneof![Just(0u32), Just(30u32)],
    )
        .prop_map(|(seed, executors, cores, jobs, speculation, failure_permille, kill_at_ms, jitter)| Knobs {
            seed,
            executors,
            cores,
            jobs,
            speculation,
            failure_permille,
            kill_at_ms: if executors >= 2 { kill_at_ms } else { None },
            jitter,
        })
}

/// Splits `total` into `n` parts by random weights, summing exactly to `total`.
fn split(rng: &mut SimRng, total: u64, n: u32) -> Vec<u64> {
    let weights: Vec<u64> = (0..n).map(|_| 1 + rng.below(100) * (rng.below(4) != 0) as u64).collect();
    let wsum: u64 = weights.iter().sum();
    let mut parts: Vec<u64> = weights.iter().map(|w| total * w / wsum).collect();
    let rest = total - parts.iter().sum::<u64>();
    if let Some(last) = parts.last_mut() {
        *last += rest;
    }
    parts
}

/// A job: 1–2 leaf map stages (a diamond when 2), optionally a middle map stage, and a result stage;
/// each reducer's read is its share of what the parents wrote.
fn job(rng: &mut SimRng, job_id: u32, first_stage: u32, first_shuffle: u32) -> (JobSpec, u32, u32) {
    let mut stages = Vec::new();
    let mut sid = first_stage;
    let mut sh = first_shuffle;
    let leaves = 1 + rng.below(2) as u32;
    let mut frontier: Vec<(u32, u64, u64)> = Vec::new(); // (stage id, bytes written, records written)
    for _ in 0..leaves {
        let n = 1 + rng.below(30) as u32;
        let work: Vec<TaskWork> = (0..n)
            .map(|_| {
                let b = rng.below(50_000) * (rng.below(5) != 0) as u64;
                TaskWork::cpu_ms(5 + rng.below(200)).input(b * 2, b / 10).shuffle_write(b, b / 10)
            })
            .collect();
        let (b, r) = work.iter().fold((0, 0), |(b, r), w| (b + w.shuffle_write_bytes, r + w.shuffle_write_records));
        stages.push(StageSpec::map(sid, n, sh).tasks(work));
        frontier.push((sid, b, r));
        sid += 1;
        sh += 1;
    }
    let middle = rng.below(2) == 0;
    let readers = if middle { 2 } else { 1 };
    for level in 0..readers {
        let n = 1 + rng.below(40) as u32;
        let (b, r) = frontier.iter().fold((0, 0), |(b, r), f| (b + f.1, r + f.2));
        let bytes = split(rng, b, n);
        let recs = split(rng, r, n);
        let is_result = level + 1 == readers;
        let out: Vec<u64> = (0..n).map(|_| rng.below(20_000)).collect();
        let work: Vec<TaskWork> = (0..n as usize)
            .map(|p| {
                let w = TaskWork::cpu_ms(1 + rng.below(100)).shuffle_read(bytes[p], recs[p]);
                if is_result {
                    w
                } else {
                    w.shuffle_write(out[p], out[p] / 10)
                }
            })
            .collect();
        let parents: Vec<u32> = frontier.iter().map(|f| f.0).collect();
        let spec = if is_result { StageSpec::result(sid, n) } else { StageSpec::map(sid, n, sh) };
        stages.push(spec.parents(&parents).tasks(work));
        frontier = vec![(sid, out.iter().sum(), out.iter().map(|o| o / 10).sum())];
        sid += 1;
        if !is_result {
            sh += 1;
        }
    }
    (JobSpec::new(job_id, JobKind::Result, stages), sid, sh)
}

fn schedule(k: &Knobs) -> Schedule {
    let mut rng = SimRng::new(k.seed);
    let (mut sid, mut sh) = (0, 0);
    let mut jobs = Vec::new();
    for j in 0..k.jobs as u32 {
        let (mut spec, s2, h2) = job(&mut rng, j, sid, sh);
        if j > 0 && rng.below(2) == 0 {
            spec = spec.after(&[j - 1]);
        }
        jobs.push(spec);
        sid = s2;
        sh = h2;
    }
    let mut s = Schedule::new(ClusterSpec::new(k.executors, k.cores), jobs);
    s.options.seed = k.seed;
    s.options.speculation = k.speculation;
    s.options.task_failure_rate = k.failure_permille as f64 / 1000.0;
    s.options.kill_executor = k.kill_at_ms.map(|at_ms| KillExecutor { executor: 0, at_ms });
    s.options.jitter_pct = k.jitter;
    s.options.fetch_failure_detect_ms = 500;
    s
}

fn check(s: &Schedule) -> Result<(), TestCaseError> {
    let r = simulate(s).map_err(|e| TestCaseError::fail(e.message))?;
    let t = &r.trace;
    let killed = t.events.iter().any(|e| matches!(e, Event::ExecutorRemoved(_)));

    // 1. Successes per (stage, partition): exactly one without executor loss, never zero in a finished job.
    let mut successes: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    for rec in &t.tasks {
        if rec.reason.is_success() {
            *successes.entry((rec.stage_id, rec.partition)).or_default() += 1;
        }
    }
    if !killed {
        prop_assert!(successes.values().all(|&n| n == 1), "a partition succeeded twice: {successes:?}");
    }
    for job in r.jobs.iter().filter(|j| j.status == JobStatus::Succeeded) {
        let fin = job.stages.iter().find(|st| !job.stages.iter().any(|o| o.parent_ids.contains(&st.stage_id))).unwrap();
        for p in 0..fin.num_tasks {
            prop_assert!(successes.contains_key(&(fin.stage_id, p)), "job {} partition {p} never computed", job.job_id);
        }
    }

    // 2. Slots: one task per (executor, slot), never more than the executor's slots, nothing on a dead one.
    let slots = s.cluster.slots_per_executor();
    let mut busy: BTreeMap<(u32, u16), u32> = BTreeMap::new();
    let mut dead: Vec<u32> = Vec::new();
    // 3. Stage order.
    let mut parents: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut completed: BTreeMap<u32, u64> = BTreeMap::new();
    let mut submitted: BTreeMap<(u32, u16), u64> = BTreeMap::new();
    for e in &t.events {
        match e {
            Event::JobStart(j) => {
                for st in &j.stages {
                    parents.insert(st.stage_id, st.parent_ids.clone());
                }
            }
            Event::StageSubmitted(st) => {
                for p in &parents[&st.stage_id] {
                    prop_assert!(
                        completed.get(p).is_some_and(|&c| c <= st.time),
                        "stage {} before parent {p}",
                        st.stage_id
                    );
                }
                submitted.insert((st.stage_id, st.stage_attempt), st.time);
            }
            Event::StageCompleted(c) if c.failure_reason.is_none() => {
                completed.insert(c.stage_id, c.time);
            }
            Event::TaskStart(ts) => {
                prop_assert!(submitted.get(&(ts.stage_id, ts.stage_attempt)).is_some_and(|&x| x <= ts.time));
                prop_assert!(!dead.contains(&ts.executor_id));
                prop_assert!((ts.slot as u32) < slots);
                let prev = busy.insert((ts.executor_id, ts.slot), ts.task_id);
                prop_assert!(prev.is_none(), "slot {:?} double-booked", (ts.executor_id, ts.slot));
                prop_assert!(busy.keys().filter(|k| k.0 == ts.executor_id).count() as u32 <= slots);
            }
            Event::TaskEnd(te) => {
                prop_assert_eq!(busy.remove(&(te.executor_id, te.slot)), Some(te.task_id));
                prop_assert_eq!(t.tasks[te.task_id as usize].finish_time, te.time);
            }
            Event::ExecutorRemoved(x) => dead.push(x.executor_id),
            _ => {}
        }
    }
    prop_assert!(busy.is_empty(), "tasks still running at the end");
    prop_assert!(t.events.windows(2).all(|w| w[0].time() <= w[1].time()));

    // 4. Shuffle bytes: what each stage read equals what its parents' shuffles hold.
    let mut read_by: BTreeMap<u32, u64> = BTreeMap::new();
    let mut written_into: BTreeMap<u32, u64> = BTreeMap::new();
    for edge in &r.shuffles {
        for rd in &edge.readers {
            *read_by.entry(rd.stage_id).or_default() += rd.bytes_read;
            *written_into.entry(rd.stage_id).or_default() += edge.bytes_written;
        }
    }
    for job in r.jobs.iter().filter(|j| j.status == JobStatus::Succeeded) {
        for st in job.stages.iter().filter(|st| !st.parent_ids.is_empty()) {
            if r.stage(st.stage_id).is_some_and(|x| x.status == stagecraft::trace::summary::StageStatus::Completed) {
                prop_assert_eq!(read_by.get(&st.stage_id), written_into.get(&st.stage_id), "stage {}", st.stage_id);
            }
        }
    }
    for sum in &r.stages {
        let edges_read: u64 = r
            .shuffles
            .iter()
            .flat_map(|e| &e.readers)
            .filter(|x| x.stage_id == sum.stage_id)
            .map(|x| x.bytes_read)
            .sum();
        if !killed {
            prop_assert_eq!(edges_read, sum.totals.shuffle_read_bytes);
        }
    }

    // 5. Without injected failures every job succeeds (an executor loss is survived).
    if s.options.task_failure_rate == 0.0 {
        prop_assert!(r.jobs.iter().all(|j| j.status == JobStatus::Succeeded), "{:?}", r.jobs);
    } else {
        for j in &r.jobs {
            if j.status == JobStatus::Failed {
                prop_assert!(j.failure_reason.as_deref().unwrap_or("").contains("failed"));
            }
        }
    }
    // Failed attempts carry no data; killed copies lost a race or their job ended.
    for rec in t.tasks.iter().filter(|x| !x.reason.is_success()) {
        prop_assert_eq!(rec.metrics.shuffle_write.bytes_written, 0);
        if let TaskEndReason::TaskKilled { .. } = rec.reason {
            prop_assert!(rec.finish_time >= rec.launch_time);
        }
    }
    Ok(())
}

proptest! {
    // PROPTEST_CASES=5000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn scheduler_invariants_hold(k in knobs()) {
        check(&schedule(&k))?;
    }

    #[test]
    fn uniform_tasks_run_in_ceil_tasks_over_slots_waves(tasks in 1..200u32, executors in 1..5u32, cores in 1..5u32, cpus in 1..3u32, ms in 1..500u64) {
        prop_assume!(cpus <= cores);
        let mut cluster = ClusterSpec::new(executors, cores);
        cluster.task_cpus = cpus;
        let slots = cluster.total_slots();
        let stage = StageSpec::result(0, tasks).uniform(TaskWork::cpu_ms(ms));
        let mut s = Schedule::new(cluster, vec![JobSpec::new(0, JobKind::Result, vec![stage])]);
        s.options.jitter_pct = 0;
        s.options.jvm_warmup = false;
        let r = simulate(&s).unwrap();
        let mut starts: Vec<u64> = r.trace.tasks.iter().map(|t| t.launch_time).collect();
        starts.dedup();
        let waves = (tasks as u64).div_ceil(slots);
        prop_assert_eq!(starts.len() as u64, waves);
        let mut per_lane: BTreeMap<(u32, u16), u64> = BTreeMap::new();
        for t in &r.trace.tasks {
            *per_lane.entry((t.executor_id, t.slot)).or_default() += 1;
        }
        prop_assert!(per_lane.values().all(|&n| n <= waves));
        prop_assert_eq!(per_lane.len() as u64, slots.min(tasks as u64));
        // Every wave takes the same time, except that the first also fetches the task binary: the stage
        // lasts waves × one task + that.
        let d = r.trace.tasks[r.trace.tasks.len() - 1].finish_time - r.trace.tasks[r.trace.tasks.len() - 1].launch_time;
        let span = r.trace.tasks.iter().map(|t| t.finish_time).max().unwrap() - r.trace.tasks[0].launch_time;
        let first_wave_extra = if waves > 1 { stagecraft::sim::cost::FIRST_OF_STAGE_DESERIALIZE_US } else { 0 };
        prop_assert_eq!(span, waves * d + first_wave_extra);
    }
}

/// Arbitrary (mostly invalid) schedules: ids that collide, parents that do not exist, cycles, kinds that
/// do not fit, absurd sizes and options. The simulator answers Ok or Err, never panics, and an Ok run
/// ends with every job finished or not run.
fn arbitrary_schedule() -> impl Strategy<Value = Schedule> {
    let work =
        (any::<u64>(), any::<u64>(), prop::option::of(any::<u64>()), any::<u64>()).prop_map(|(a, b, c, m)| TaskWork {
            input_bytes: a >> (a % 64),
            shuffle_read_bytes: b >> (b % 64),
            shuffle_write_bytes: a >> (b % 64),
            compute_ns: c.map(|c| c >> (c % 64)),
            memory_bytes_needed: m >> (m % 64),
            result_bytes: b >> (a % 64),
            ..TaskWork::default()
        });
    let stage = (
        0..6u32,
        any::<bool>(),
        0..50u32,
        prop::collection::vec(0..6u32, 0..3),
        any::<bool>(),
        prop::option::of(0..4u32),
        prop::collection::vec(work, 0..3),
    )
        .prop_map(|(id, map, n, parents, skipped, sh, tasks)| {
            let mut s = if map { StageSpec::map(id, n, sh.unwrap_or(id)) } else { StageSpec::result(id, n) };
            s.shuffle_id_written = if map { sh } else { None };
            s = s.parents(&parents);
            if skipped {
                s = s.skipped();
            }
            s.tasks = tasks;
            s
        });
    let job = (0..4u32, prop::collection::vec(stage, 1..5), prop::collection::vec(0..4u32, 0..2), 0..7u8).prop_map(
        |(id, stages, after, kind)| {
            let kind = [
                JobKind::Result,
                JobKind::MapStageOnly,
                JobKind::Broadcast,
                JobKind::Sampling,
                JobKind::ScalarSubquery,
                JobKind::CacheBuild,
                JobKind::LimitScaleUp,
            ][kind as usize];
            JobSpec::new(id, kind, stages).after(&after)
        },
    );
    (
        prop::collection::vec(job, 0..4),
        0..4u32,
        0..4u32,
        0..3u32,
        any::<u64>(),
        any::<bool>(),
        0..3u8,
        prop::option::of((0..4u32, any::<u64>())),
    )
        .prop_map(|(jobs, executors, cores, cpus, seed, speculation, fail, kill)| {
            let mut c = ClusterSpec::new(executors, cores);
            c.task_cpus = cpus;
            let mut s = Schedule::new(c, jobs);
            s.options.seed = seed;
            s.options.speculation = speculation;
            s.options.task_failure_rate = [0.0, 0.5, 1.0][fail as usize];
            s.options.kill_executor = kill.map(|(executor, at)| KillExecutor { executor, at_ms: at % 20_000_000_000 });
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_schedules_never_panic(s in arbitrary_schedule()) {
        if let Ok(r) = simulate(&s) {
            prop_assert!(r.jobs.iter().all(|j| j.status != JobStatus::Unfinished || r.trace.events.iter().any(|e| matches!(e, Event::ExecutorRemoved(_)))));
            prop_assert_eq!(r.jobs.len(), s.jobs.len());
        }
    }
}
