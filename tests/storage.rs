//! The Storage tab's data (`Run::storage`, `trace::storage`) from whole runs: the gallery's cache example
//! lists its one cached table with every partition cached, a cached query without a table name is named by
//! its plan, `OPTIONS ('storageLevel' …)` is honoured, and a run without a cache lists nothing.

use stagecraft::examples::{scenario, EXAMPLES};
use stagecraft::pipeline::simulate;

fn example(title: &str) -> stagecraft::scenario::Scenario {
    let i = EXAMPLES.iter().position(|e| e.title == title).expect("the gallery has this example");
    scenario(i)
}

#[test]
fn cache_example_lists_one_rdd_fully_cached() {
    let run = simulate(&example("Cache")).unwrap();
    assert_eq!(run.storage.len(), 1, "{:?}", run.storage);
    let r = &run.storage[0];
    assert_eq!(r.name, "In-memory table hot");
    assert_eq!(r.storage_level, "Disk Memory Deserialized 1x Replicated");
    assert!(r.num_partitions > 0);
    assert_eq!(r.num_cached_partitions, r.num_partitions);
    assert_eq!(r.fraction_cached(), "100%");
    assert_eq!(r.partitions.len() as u32, r.num_cached_partitions);
    assert!(r.memory_used > 0 && r.disk_used == 0, "fits in 2 × 1 GiB executors: {} / {}", r.memory_used, r.disk_used);
    assert_eq!(r.partitions[0].block_name, format!("rdd_{}_0", r.id));
    // The per-executor distribution adds up to the RDD's totals.
    assert_eq!(r.data_distribution.iter().map(|d| d.memory_used).sum::<u64>(), r.memory_used);
    assert!(r.data_distribution.iter().all(|d| d.executor_id < 2));
}

#[test]
fn storage_level_option_and_plan_name() {
    let mut s = example("Cache");
    s.query.text = "CACHE TABLE hot OPTIONS ('storageLevel' 'DISK_ONLY') AS SELECT * FROM orders WHERE channel = 'web';\nSELECT count(*) FROM hot".into();
    let run = simulate(&s).unwrap();
    assert_eq!(run.storage.len(), 1);
    assert_eq!(run.storage[0].storage_level, "Disk Serialized 1x Replicated");
    assert_eq!(run.storage[0].memory_used, 0);
    assert!(run.storage[0].disk_used > 0);

    s.query.text = "CACHE TABLE hot OPTIONS ('storageLevel' 'SOMETIMES') AS SELECT * FROM orders;\nSELECT count(*) FROM hot".into();
    let e = simulate(&s).unwrap_err();
    assert!(e.message.contains("Invalid StorageLevel: SOMETIMES"), "{}", e.message);
}

#[test]
fn nothing_cached_lists_nothing() {
    let run = simulate(&example("Shuffle")).unwrap();
    assert!(run.storage.is_empty());
}

#[test]
fn cached_dataframe_with_two_actions_is_named_by_its_plan() {
    let mut s = example("Cache");
    s.query.lang = "pyspark".into();
    s.query.text = "df = spark.table('orders').where('channel = \"web\"').cache()\ndf.count()\ndf.groupBy('status').count().collect()\n".into();
    let run = simulate(&s).unwrap();
    assert_eq!(run.storage.len(), 1, "{:?}", run.storage);
    let r = &run.storage[0];
    assert!(!r.name.starts_with("In-memory table"), "{}", r.name);
    assert!(r.name.contains("FileScan") || r.name.contains("Scan"), "the cached plan's text: {}", r.name);
    assert_eq!(r.num_cached_partitions, r.num_partitions);
    assert_eq!(r.storage_level, "Disk Memory Deserialized 1x Replicated");
}
