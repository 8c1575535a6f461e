//! SQL frontend: any text through `input::sql::parse_query`, then the whole analysis (analyzer, optimizer,
//! physical planning) via `pipeline::analyze` against the built-in retail catalog. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stagecraft::input::{catalogs, sql};
use stagecraft::pipeline;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    static BASE: OnceLock<stagecraft::scenario::Scenario> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        let mut s = pipeline::scenario_from_sql("", "SELECT 1").expect("an empty catalog parses");
        s.tables = catalogs::retail();
        s
    });
    if sql::parse_query(text).is_err() {
        return;
    }
    let mut s = base.clone();
    s.query.text = text.to_string();
    let _ = pipeline::analyze(&s);
});
