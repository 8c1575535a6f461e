//! Scenario JSON: any text through `Scenario::from_json` (serde), then the whole pipeline
//! (`pipeline::simulate`: plan, jobs, stages, AQE). Must never panic; big numbers must meet a limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stagecraft::pipeline;
use stagecraft::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(s) = Scenario::from_json(text) else { return };
    let _ = pipeline::simulate(&s);
    let _ = s.to_json();
});
