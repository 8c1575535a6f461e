//! Every example of the gallery (`stagecraft::examples`) plans and simulates without an error on the
//! built-in retail catalog, with the page's default confs plus its own.

use std::collections::BTreeMap;
use stagecraft::examples::EXAMPLES;
use stagecraft::scenario::{Query, Scenario, SCENARIO_VERSION};

fn scenario(sql: &str, confs: &str) -> Scenario {
    let mut c = BTreeMap::new();
    for (k, v) in [
        ("spark.sql.adaptive.enabled", "true"),
        ("spark.sql.autoBroadcastJoinThreshold", "-1"),
        ("spark.sql.session.timeZone", "UTC"),
    ] {
        c.insert(k.to_string(), v.to_string());
    }
    for l in confs.lines() {
        let (k, v) = l.split_once('=').unwrap();
        c.insert(k.to_string(), v.to_string());
    }
    Scenario {
        scenario_version: SCENARIO_VERSION,
        id: "ex".into(),
        title: String::new(),
        spark_version: "3.5".into(),
        cluster: Default::default(),
        confs: c,
        tables: stagecraft::input::catalogs::retail(),
        query: Query { lang: "sql".into(), setup_sql: vec![], text: sql.into(), action: Some("collect".into()) },
        sim: Default::default(),
    }
}

#[test]
fn every_example_plans() {
    assert!(EXAMPLES.len() >= 24);
    let mut bad = vec![];
    for e in EXAMPLES {
        let s = scenario(e.sql, e.confs);
        if let Err(d) = stagecraft::pipeline::simulate(&s) {
            bad.push(format!("{}: {}:{}: {}", e.title, d.span.start.line, d.span.start.col, d.message));
        }
        assert!(!e.text.is_empty() && e.text.len() < 260, "{}", e.title);
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
