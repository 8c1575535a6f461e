//! Criterion benchmark: what one edit costs in the app, for every practice scenario of
//! `../shared/fidelity/scenarios`: `pipeline::analyze` (parse → analyze → optimize → physical plan) and
//! `pipeline::simulate` (the above + jobs/stages, AQE re-planning, schedule and the discrete-event
//! simulation). Budget: ≤ 5 ms per scenario for plan + simulation. Run: `cargo bench --bench corpus`.
//! Under `cargo test --all-targets` criterion runs each benchmark once; without `../shared` it skips.

use criterion::{criterion_group, criterion_main, Criterion};
use stagecraft::pipeline;
use stagecraft::scenario::Scenario;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn scenarios() -> Vec<(String, Scenario)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity/scenarios");
    let Ok(entries) = std::fs::read_dir(&dir) else { return vec![] };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let s: Scenario = serde_json::from_str(&text).ok()?;
            Some((p.file_stem()?.to_string_lossy().into_owned(), s))
        })
        .collect()
}

fn corpus(c: &mut Criterion) {
    let all = scenarios();
    if all.is_empty() {
        eprintln!("corpus bench: no scenarios under ../shared/fidelity/scenarios; skipped");
        return;
    }
    let mut g = c.benchmark_group("corpus");
    g.measurement_time(Duration::from_secs(5)).sample_size(20);
    g.bench_function(format!("analyze all {} scenarios", all.len()), |b| {
        b.iter(|| {
            for (_, s) in &all {
                let _ = black_box(pipeline::analyze(black_box(s)));
            }
        })
    });
    g.bench_function(format!("plan + simulate all {} scenarios", all.len()), |b| {
        b.iter(|| {
            for (_, s) in &all {
                let _ = black_box(pipeline::simulate(black_box(s)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
