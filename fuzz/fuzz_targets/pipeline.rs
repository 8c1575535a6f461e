//! The whole pipeline on generated scenarios: the bytes drive `tests/support/scenario_gen.rs` (small
//! catalogs with hot keys, a query grammar of joins / filters / aggregates / unions, confs, a 1–4 × 1–4
//! cluster); the scenario is parsed, planned and cut into jobs (`pipeline::simulate`), and its jobs (≤ 200 k tasks) are run through the scheduler simulation. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stagecraft::pipeline;

#[path = "../../tests/support/scenario_gen.rs"]
mod scenario_gen;

fuzz_target!(|data: &[u8]| {
    let (s, _ddl) = scenario_gen::scenario(&mut scenario_gen::Bytes::new(data));
    // Determinism (same scenario, same report) is checked by tests/prop_pipeline.rs; here one run, for speed.
    if let Ok(run) = pipeline::simulate(&s) {
        if let Some(schedule) = scenario_gen::schedule_of(&run.report, &s.cluster, 200_000) {
            let _ = stagecraft::sim::simulate(&schedule);
        }
    }
});
