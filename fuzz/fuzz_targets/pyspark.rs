//! PySpark frontend: any text through `input::pyspark::parse_program`, then lowering and planning via
//! `pipeline::analyze` (lang = pyspark) against the built-in retail catalog. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stagecraft::input::{catalogs, pyspark};
use stagecraft::pipeline;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    static BASE: OnceLock<stagecraft::scenario::Scenario> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        let mut s = pipeline::scenario_from_sql("", "SELECT 1").expect("an empty catalog parses");
        s.tables = catalogs::retail();
        s.query.lang = "pyspark".into();
        s
    });
    if pyspark::parse_program(text).is_err() {
        return;
    }
    let mut s = base.clone();
    s.query.text = text.to_string();
    let _ = pipeline::analyze(&s);
});
