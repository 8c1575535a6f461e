//! Criterion benchmark: simulating 1,000,000 tasks (goal: well under 1 s in release). Two AQE-style job
//! pairs (a 400 k-task map stage, then a 100 k-task result stage reading it) on 100 executors × 8 cores,
//! with per-task work listed for every partition, ±30 % jitter and JVM warm-up on; plus the same with
//! speculation on, and a variant with uniform (one-entry) stages.
//! Also the timeline's per-frame render model (`sim::timeline_model`) over a 100,000-task run: the work one
//! animation frame does before painting (goal: well under a 16 ms frame), and the incremental plan the canvas
//! paints from (`sim::timeline_frame`): one frame's newly finished and running bars, and a full cache rebuild.
//! Run: `cargo bench --bench sim_million`. Under `cargo test --all-targets` (criterion's test mode, an
//! unoptimised build) it runs each benchmark once on a 100× smaller schedule, to stay quick in CI.

use criterion::{criterion_group, criterion_main, Criterion};
use stagecraft::sim::*;
use std::hint::black_box;
use std::time::Duration;

/// `cargo bench` passes `--bench`; `cargo test` does not.
fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn million(per_task: bool) -> Schedule {
    let scale = if benchmarking() { 1 } else { 100 };
    let mut jobs = Vec::new();
    for k in 0..2u32 {
        let (maps, reducers) = (400_000u32 / scale, 100_000u32 / scale);
        let map_work = |p: u32| {
            let rows = 10_000 + (p as u64 * 7919) % 5_000;
            TaskWork::default().input(rows * 40, rows).shuffle_write(rows * 12, rows)
        };
        let red_work = |p: u32| {
            let rows = 40_000 + (p as u64 * 104_729) % 20_000;
            TaskWork::default().shuffle_read(rows * 12, rows).shuffle_write(0, 0).memory(rows * 64)
        };
        let (map, red) = if per_task {
            (
                StageSpec::map(2 * k, maps, k).tasks((0..maps).map(map_work).collect()),
                StageSpec::result(2 * k + 1, reducers).parents(&[2 * k]).tasks((0..reducers).map(red_work).collect()),
            )
        } else {
            (
                StageSpec::map(2 * k, maps, k).uniform(map_work(0)),
                StageSpec::result(2 * k + 1, reducers).parents(&[2 * k]).uniform(red_work(0)),
            )
        };
        let map = map.operators(&["Scan parquet", "Filter", "Project", "HashAggregate"]).codegen(1);
        let red = red.operators(&["HashAggregate"]).codegen(1);
        let mut job = JobSpec::new(k, JobKind::Result, vec![map, red]);
        if k > 0 {
            job = job.after(&[k - 1]);
        }
        jobs.push(job);
    }
    Schedule::new(ClusterSpec::new(100, 8), jobs)
}

fn bench(c: &mut Criterion) {
    let per_task = million(true);
    let uniform = million(false);
    let mut speculative = million(true);
    speculative.options.speculation = true;
    let r = simulate(&per_task).unwrap();
    let tasks: u64 = per_task.jobs.iter().flat_map(|j| &j.stages).map(|s| s.num_tasks as u64).sum();
    assert_eq!(r.trace.tasks.len() as u64, tasks);
    eprintln!("{tasks} tasks: {} events, simulated time {:.1} s", r.trace.events.len(), r.total_time as f64 / 1e6);
    drop(r);
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_secs(2));
    g.bench_function("1M tasks, per-task work", |b| b.iter_with_large_drop(|| simulate(black_box(&per_task)).unwrap()));
    g.bench_function("1M tasks, uniform stages", |b| b.iter_with_large_drop(|| simulate(black_box(&uniform)).unwrap()));
    g.bench_function("1M tasks, speculation on", |b| {
        b.iter_with_large_drop(|| simulate(black_box(&speculative)).unwrap())
    });
    g.finish();

    // The render model of a 100 k-task run (one job of the schedule above: 400 k maps would be 500 k).
    let mut hundred_k = million(true);
    hundred_k.jobs.truncate(1);
    let keep = if benchmarking() { 100_000 } else { 1_000 };
    hundred_k.jobs[0].stages[0] = StageSpec::result(0, keep).tasks((0..keep).map(|p| TaskWork::default().input(400_000 + p as u64 % 977 * 100, 10_000)).collect());
    hundred_k.jobs[0].stages.truncate(1);
    let run = simulate(&hundred_k).unwrap();
    assert_eq!(run.trace.tasks.len(), keep as usize);
    let mut g = c.benchmark_group("timeline render model");
    g.sample_size(20);
    g.bench_function(format!("{keep} tasks: geometry + bars at mid-run"), |b| {
        b.iter(|| {
            let geo = timeline_model::Geometry::new(black_box(&run), 1280.0);
            let mut n = 0usize;
            timeline_model::for_each_bar(&run, &geo, run.total_time as f64 / 2.0, Some((0, None)), |bar| n += (bar.w > 0.0) as usize);
            n
        })
    });
    g.bench_function(format!("{keep} tasks: step stops"), |b| b.iter(|| timeline_model::stops(black_box(&run)).len()));
    let frames = timeline_frame::Frames::new(&run);
    let geo = timeline_model::Geometry::new(&run, 1280.0);
    // One frame at mid-run, 2x speed (the whole run in 5 s, a frame every 16 ms): what finished since the last.
    let (t1, t0) = (run.total_time as f64 / 2.0, run.total_time as f64 / 2.0 * (1.0 - 0.016 / 5.0 * 2.0));
    g.bench_function(format!("{keep} tasks: incremental frame (new finished + running bars)"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            let (a, z) = (frames.done_by(&run, t0), frames.done_by(&run, t1));
            frames.done_bars(&run, &geo, a, z, Some(0), |bar| n += (bar.w > 0.0) as usize);
            frames.running_bars(&run, &geo, t1, Some(0), |bar| n += (bar.w > 0.0) as usize);
            n
        })
    });
    g.bench_function(format!("{keep} tasks: cache rebuild at the end (every bar, merged)"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            frames.done_bars(&run, &geo, 0, run.trace.tasks.len(), None, |_| n += 1);
            n
        })
    });
    g.bench_function(format!("{keep} tasks: per-run orders (Frames::new)"), |b| b.iter(|| timeline_frame::Frames::new(black_box(&run)).markers.len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
