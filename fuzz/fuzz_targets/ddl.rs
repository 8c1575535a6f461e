//! Catalog DDL: any text through `input::ddl::parse_script`; a script that parses is printed back as DDL
//! (`catalog_to_ddl`) and parsed again, and its tables are planned under a trivial query. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stagecraft::input::ddl;
use stagecraft::pipeline;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(script) = ddl::parse_script(text) else { return };
    let _ = ddl::parse_script(&ddl::catalog_to_ddl(&script.tables));
    if let Some(t) = script.tables.first() {
        if let Ok(s) = pipeline::scenario_from_sql(text, &format!("SELECT * FROM `{}`", t.name.replace('`', "``"))) {
            let _ = pipeline::simulate(&s);
        }
    }
});
