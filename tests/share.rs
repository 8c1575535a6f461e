//! Share links: every practice scenario and the built-in example survive encode → decode unchanged; the
//! example's link stays short; damaged, cut, oversized and future links are refused with clear errors and
//! never panic (property tests over random text).

use proptest::prelude::*;
use stagecraft::input::{catalogs, ddl};
use stagecraft::scenario::Scenario;
use stagecraft::share::{decode, encode, ShareError, ShareState, MAX_ENCODED_LEN};
use std::collections::BTreeMap;

fn practice_scenarios() -> Vec<(String, Scenario)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fidelity/scenarios");
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).expect("../shared/fidelity/scenarios") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), Scenario::from_json(&text).unwrap()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 40, "expected the practice corpus, found {}", out.len());
    out
}

fn busy_state(scenario: Scenario) -> ShareState {
    let mut s = ShareState::new(scenario);
    s.tab = "timeline".into();
    s.node = Some(7);
    s.position_ms = 1234;
    s.knobs = BTreeMap::from([("executors".into(), "4".into()), ("odd key=x\n".into(), "a\\b=c\r\nd".into())]);
    s
}

#[test]
fn every_practice_scenario_round_trips() {
    for (name, scenario) in practice_scenarios() {
        for state in [ShareState::new(scenario.clone()), busy_state(scenario.clone())] {
            let link = encode(&state);
            assert!(link.len() < 4000, "{name}: {} chars", link.len());
            assert_eq!(decode(&link).unwrap_or_else(|e| panic!("{name}: {e}")), state, "{name}");
        }
    }
}

#[test]
fn the_default_example_round_trips_in_a_short_link() {
    let example = catalogs::default_example();
    let link = encode(&ShareState::new(example.clone()));
    assert!(link.len() < 1500, "{} chars: {link}", link.len());
    assert_eq!(decode(&link).unwrap().scenario, example);
    // As the app holds it: the catalog re-read from its editor's DDL text.
    let mut edited = example.clone();
    edited.tables = ddl::parse_script(&ddl::catalog_to_ddl(&example.tables)).unwrap().tables;
    assert_ne!(edited.tables, example.tables, "row-group byte ranges are regenerated");
    let state = busy_state(edited);
    let link = encode(&state);
    assert!(link.len() < 1500, "{} chars", link.len());
    assert_eq!(decode(&format!("https://example.org/stagecraft/#{link}")).unwrap(), state);
    assert_eq!(decode(&format!("#{link}")).unwrap(), state);
    let url = stagecraft::share::link("file:///tmp/stagecraft-offline.html#1.old", &state);
    assert_eq!(url, format!("file:///tmp/stagecraft-offline.html#{link}"));
    assert_eq!(decode(&url).unwrap(), state);
}

#[test]
fn a_changed_table_a_new_table_and_odd_confs_round_trip() {
    let mut s = catalogs::default_example();
    s.tables[1].columns[0].distinct += 1; // orders no longer equals the built-in one: written as DDL with its row groups
    s.tables.swap(0, 2);
    let mut extra = ddl::parse_script("CREATE TABLE `my t` (a int, b string) USING orc TBLPROPERTIES ('spark.sql.statistics.totalSize'='123456789')").unwrap().tables;
    s.tables.insert(1, extra.remove(0));
    s.confs.insert("spark.x".into(), "it's \"quoted\"; with = and \\".into());
    s.confs.insert("weird key".into(), String::new());
    s.cluster.executors = 3;
    s.cluster.default_parallelism = None;
    s.sim.seed = 42;
    s.sim.task_failure_rate = 0.05;
    s.sim.kill_executor = Some(stagecraft::scenario::KillExecutor { executor: 1, at_ms: 2500 });
    s.query.setup_sql = vec!["CACHE TABLE t AS SELECT 1".into(), "SET a=b".into()];
    s.query.text = "SELECT '--- query 3\n' AS x -- ünïcødé\n".into();
    s.query.lang = "pyspark".into();
    s.query.action = None;
    s.spark_version = "3.5.1".into();
    let state = busy_state(s);
    assert_eq!(decode(&encode(&state)).unwrap(), state);
}

#[test]
fn damaged_links_are_refused_clearly() {
    let link = encode(&ShareState::new(catalogs::default_example()));
    let (_, data) = link.split_once('.').unwrap();
    assert_eq!(decode(&format!("2.{data}")), Err(ShareError::NewerVersion(2)));
    assert_eq!(
        decode("#17.AAAA").unwrap_err().to_string(),
        "this link was made by a newer Stagecraft (v17); this one reads v1 links"
    );
    assert_eq!(decode(""), Err(ShareError::NotALink));
    assert_eq!(decode("hello"), Err(ShareError::NotALink));
    assert_eq!(decode("0.AAAA"), Err(ShareError::NotALink));
    assert_eq!(decode("1.ab$d"), Err(ShareError::BadEncoding));
    let huge = format!("1.{}", "A".repeat(MAX_ENCODED_LEN));
    assert!(matches!(decode(&huge), Err(ShareError::TooLong { .. })));
    // Cut short anywhere: an error, never a panic, never a different state.
    for cut in (2..link.len()).step_by(7) {
        assert!(decode(&link[..cut]).is_err(), "cut at {cut}");
    }
    // A flipped character: an error or (rarely) a valid state, never a panic.
    for i in (2..link.len()).step_by(11) {
        let mut b = link.clone().into_bytes();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        let _ = decode(std::str::from_utf8(&b).unwrap());
    }
}

#[test]
fn compression_bombs_are_refused() {
    // ~900 KB of one repeated byte compresses ~250x: far past the ratio limit.
    let bomb = bomb_link();
    assert_eq!(decode(&bomb), Err(ShareError::TooLarge));
}

/// A link whose payload is a header followed by a very long, very compressible query.
fn bomb_link() -> String {
    let mut s = ShareState::new(catalogs::default_example());
    s.scenario.query.text = "x".repeat(900_000);
    encode(&s)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(s in "\\PC{0,300}") {
        let _ = decode(&s);
    }

    #[test]
    fn random_base64_after_the_version_never_panics(s in "1\\.[A-Za-z0-9_-]{0,600}") {
        let _ = decode(&s);
    }

    #[test]
    fn random_edits_of_a_real_link_never_panic(i in 0usize..1000, c in "[A-Za-z0-9_-]", cut in 0usize..1200) {
        let link = encode(&ShareState::new(catalogs::default_example()));
        let mut b = link.into_bytes();
        let i = 2 + i % (b.len() - 2);
        b[i] = c.as_bytes()[0];
        b.truncate(cut.max(2));
        let _ = decode(std::str::from_utf8(&b).unwrap());
    }
}
