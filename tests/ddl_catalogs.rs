//! Built-in catalogs: retail is exactly the fidelity corpus' catalog, TPC-H is SF1.

use stagecraft::input::catalogs;
use stagecraft::scenario::Scenario;

#[test]
fn names_and_lookup() {
    assert_eq!(catalogs::names(), ["retail", "tpch"]);
    for n in catalogs::names() {
        assert!(!catalogs::by_name(n).unwrap().is_empty(), "{n}");
        assert!(catalogs::title(n).is_some());
        assert!(catalogs::ddl_text(n).is_some());
    }
    assert!(catalogs::by_name("TPCH").is_some());
    assert!(catalogs::by_name("nope").is_none());
}

#[test]
fn retail_has_the_nine_corpus_tables() {
    let t = catalogs::retail();
    let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["customers", "orders", "orders_uniform", "lineitem", "products", "countries", "stores", "calendar", "events"]
    );
    let total: u64 = t.iter().map(|t| t.size_in_bytes).sum();
    assert_eq!(total, 222_939_946);
    let events = &t[8];
    assert_eq!((events.files.len(), events.partition_columns.as_slice()), (30, &["event_date".to_string()][..]));
    for table in &t {
        assert_eq!(table.files.iter().map(|f| f.bytes).sum::<u64>(), table.size_in_bytes);
        assert_eq!(table.files.iter().map(|f| f.rows).sum::<u64>(), table.rows);
    }
}

/// Every practice scenario carries exactly the retail catalog (checked when the corpus sits next to the repo).
#[test]
fn retail_equals_every_corpus_scenario_catalog() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fidelity/scenarios");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let retail = catalogs::retail();
    let mut n = 0;
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let s = Scenario::from_json(&text).unwrap();
        assert_eq!(s.tables, retail, "{:?}", e.path());
        n += 1;
    }
    assert_eq!(n, 44);
}

#[test]
fn tpch_is_scale_factor_one() {
    let t = catalogs::tpch();
    let rows: Vec<(&str, u64)> = t.iter().map(|t| (t.name.as_str(), t.rows)).collect();
    assert_eq!(
        rows,
        [
            ("region", 5),
            ("nation", 25),
            ("supplier", 10_000),
            ("customer", 150_000),
            ("part", 200_000),
            ("partsupp", 800_000),
            ("orders", 1_500_000),
            ("lineitem", 6_001_215)
        ]
    );
    let li = t.iter().find(|t| t.name == "lineitem").unwrap();
    assert_eq!(li.size_in_bytes, 6_001_215 * 37);
    assert_eq!(li.files.len(), 8);
    assert_eq!(li.columns.len(), 16);
    assert!(li.columns.iter().all(|c| c.distinct > 0));
    assert_eq!(li.columns[5].data_type, "decimal(15,2)");
    assert!(!li.row_count_known_to_spark);
    let total: u64 = t.iter().map(|t| t.size_in_bytes).sum();
    assert!((330_000_000..350_000_000).contains(&total), "{total}");
    // customer stays above the 10 MiB broadcast threshold, nation/region far below.
    let size = |n: &str| t.iter().find(|t| t.name == n).unwrap().size_in_bytes;
    assert!(size("customer") > 10 << 20 && size("nation") < 10 << 10);
}
