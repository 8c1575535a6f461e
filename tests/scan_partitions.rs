//! Scan partition counts and rows per task against what Spark 3.5 did in the fidelity corpus
//! (`../shared/fidelity/expected.jsonl`, local[2] so defaultParallelism = 2).

use stagecraft::conf::SparkConf;
use stagecraft::input::catalogs;
use stagecraft::physical::scan_partitions::{plan_file_partitions, plan_format_file_partitions, FilePartitions};
use stagecraft::scenario::{DataFile, RowGroup, Table};
use std::collections::BTreeMap;

fn table(name: &str) -> Table {
    catalogs::retail().into_iter().find(|t| t.name == name).expect("retail table")
}

fn plan(t: &Table, confs: &[(&str, &str)]) -> FilePartitions {
    let mut conf = SparkConf::default();
    for (k, v) in confs {
        conf.set(k, v);
    }
    let files: Vec<&DataFile> = t.files.iter().collect();
    plan_file_partitions(&files, &conf, 2)
}

fn sorted_rows(p: &FilePartitions) -> Vec<u64> {
    let mut r: Vec<u64> = p.partitions.iter().map(|p| p.rows).collect();
    r.sort();
    r
}

/// First-stage scans of single tables in expected.jsonl: (table, tasks, input records per task, sorted).
/// lineitem: p_count_star stage 0 (min 2998769, max 2998770); products: p_bhj_dimension broadcast stage
/// (1 task, 10000); countries and stores: p_cross_join_small (1 task, 50 / 1000); calendar: p_dpp_broadcast
/// broadcast stage (1 task, 731); customers: p_semi_in_subquery stage 1 (2 x 100000); orders:
/// p_groupby_aqe_coalesce (2 x 1500000); orders_uniform: p_window_dedup (2 x 1500000); events: p_union_all's
/// 4-task union stage minus orders' 2 tasks (min 997048, p50 1251476 = (1002952 + 1500000) / 2).
const CORPUS: &[(&str, usize, &[u64])] = &[
    ("lineitem", 2, &[2998769, 2998770]),
    ("products", 1, &[10000]),
    ("countries", 1, &[50]),
    ("stores", 1, &[1000]),
    ("calendar", 1, &[731]),
    ("customers", 2, &[100000, 100000]),
    ("orders", 2, &[1500000, 1500000]),
    ("orders_uniform", 2, &[1500000, 1500000]),
    ("events", 2, &[997048, 1002952]),
];

#[test]
fn every_retail_table_scans_in_the_corpus_task_count() {
    let names: Vec<String> = catalogs::retail().iter().map(|t| t.name.clone()).collect();
    assert_eq!(names.len(), CORPUS.len());
    for (name, tasks, rows) in CORPUS {
        assert!(names.iter().any(|n| n == name), "{name} missing");
        let p = plan(&table(name), &[]);
        assert_eq!(p.len(), *tasks, "{name}: {}", p.why);
        assert_eq!(sorted_rows(&p), rows.to_vec(), "{name}: {}", p.why);
        assert_eq!(p.rows(), table(name).rows);
    }
}

#[test]
fn orders_at_8m_gives_six_tasks_two_reading_nothing() {
    // p_aqe_skew_join: maxPartitionBytes 8m, stage 0 has 6 tasks, task_input_records min 0, p50 750000, max 750000.
    let p = plan(&table("orders"), &[("spark.sql.files.maxPartitionBytes", "8m")]);
    assert_eq!(p.len(), 6, "{}", p.why);
    assert_eq!(p.empty_partitions(), 2);
    assert_eq!(sorted_rows(&p), vec![0, 0, 750000, 750000, 750000, 750000]);
    assert_eq!(p.max_split_bytes, 8 << 20);
    assert!(p.why.contains("2 read no rows"), "{}", p.why);
}

#[test]
fn dpp_keeps_ten_weekend_partitions_in_two_tasks() {
    // p_dpp_broadcast: 10 of 30 event_date partitions (Saturdays and Sundays of June 2024) → 2 tasks
    // reading 332774 and 334543 records.
    let t = table("events");
    let weekend = ["01", "02", "08", "09", "15", "16", "22", "23", "29", "30"];
    let kept: Vec<&DataFile> = t
        .files
        .iter()
        .filter(|f| weekend.iter().any(|d| f.partition["event_date"] == format!("2024-06-{d}")))
        .collect();
    assert_eq!(kept.len(), 10);
    let p = plan_file_partitions(&kept, &SparkConf::default(), 2);
    assert_eq!(p.len(), 2, "{}", p.why);
    assert_eq!(sorted_rows(&p), vec![332774, 334543]);
    // Splits keep their file index (into `kept`) for per-partition-value accounting.
    let mut seen: Vec<usize> = p.partitions.iter().flat_map(|x| x.splits.iter().map(|s| s.file)).collect();
    seen.sort();
    assert_eq!(seen, (0..10).collect::<Vec<_>>());
}

#[test]
fn why_shows_the_arithmetic() {
    let p = plan(&table("orders"), &[]);
    assert_eq!(p.max_split_bytes, (37672479 + 4 * 4194304) / 2);
    assert_eq!(p.min_partition_num, 2);
    assert_eq!(
        p.why,
        "maxSplitBytes = min(maxPartitionBytes 128.0 MiB, max(openCostInBytes 4.0 MiB, Σ(file + openCost) 51.9 MiB \
         / defaultParallelism 2)) = 26.0 MiB → 4 files in 4 splits → 2 partitions"
    );
    let one = plan(&table("countries"), &[]);
    assert!(one.why.ends_with("→ 1 file in 1 split → 1 partition"), "{}", one.why);
}

#[test]
fn min_partition_num_and_leaf_parallelism_override_default_parallelism() {
    let t = table("lineitem");
    let p = plan(&t, &[("spark.sql.leafNodeDefaultParallelism", "8")]);
    assert_eq!(p.min_partition_num, 8);
    let q = plan(&t, &[("spark.sql.leafNodeDefaultParallelism", "8"), ("spark.sql.files.minPartitionNum", "1")]);
    assert_eq!(q.min_partition_num, 1);
    assert!(q.why.contains("spark.sql.files.minPartitionNum"));
    // 65.6 MB + 24 MiB open cost in one partition's budget: all 6 files fit in one task.
    assert_eq!(q.len(), 1, "{}", q.why);
    assert!(p.len() > 2, "{}", p.why);
}

#[test]
fn max_partition_num_rescales() {
    let t = table("events");
    let p = plan(&t, &[("spark.sql.files.maxPartitionBytes", "4m")]);
    assert!(p.len() > 3);
    let q = plan(&t, &[("spark.sql.files.maxPartitionBytes", "4m"), ("spark.sql.files.maxPartitionNum", "3")]);
    assert!(q.len() <= 3, "{}", q.why);
    assert_eq!(q.rescaled_from, Some(p.len()));
    assert_eq!(q.rows(), t.rows);
    assert!(q.why.contains("maxPartitionNum = 3"), "{}", q.why);
}

#[test]
fn large_files_are_cut_and_rows_follow_row_group_midpoints() {
    let rg = |rows, start, bytes| RowGroup { rows, start, bytes };
    let f = DataFile {
        bytes: 300 << 20,
        rows: 3000,
        row_groups: 3,
        row_group_layout: vec![
            rg(1000, 4, 100 << 20),
            rg(1000, 4 + (100 << 20), 100 << 20),
            rg(1000, 4 + (200 << 20), 99 << 20),
        ],
        partition: BTreeMap::new(),
    };
    let p = plan_file_partitions(&[&f], &SparkConf::default(), 2);
    // maxSplitBytes = min(128 MiB, (300 + 4) MiB / 2) = 128 MiB → splits 128, 128, 44 MiB.
    assert_eq!(p.max_split_bytes, 128 << 20);
    assert_eq!(p.len(), 3);
    let lens: Vec<u64> = p.partitions.iter().map(|x| x.split_bytes).collect();
    assert_eq!(lens, vec![128 << 20, 128 << 20, 44 << 20]);
    // Midpoints at ~50, ~150, ~249.5 MiB: first split [0,128) has 1, second [128,256) has 2, last none.
    let rows: Vec<u64> = p.partitions.iter().map(|x| x.rows).collect();
    assert_eq!(rows, vec![1000, 2000, 0]);
}

#[test]
fn files_without_layout_and_text_formats_apportion_rows_by_bytes() {
    let f =
        DataFile { bytes: 10 << 20, rows: 1000, row_groups: 0, row_group_layout: vec![], partition: BTreeMap::new() };
    let mut conf = SparkConf::default();
    conf.set("spark.sql.files.maxPartitionBytes", "4m");
    let p = plan_format_file_partitions("csv", &[&f], &conf, 2);
    assert_eq!(p.len(), 3);
    let rows: Vec<u64> = p.partitions.iter().map(|x| x.rows).collect();
    assert_eq!(rows, vec![400, 400, 200]);
    assert_eq!(p.rows(), 1000);
}

#[test]
fn orc_reads_stripes_by_start_offset() {
    let rg = |rows, start, bytes| RowGroup { rows, start, bytes };
    let f = DataFile {
        bytes: 12 << 20,
        rows: 200,
        row_groups: 2,
        row_group_layout: vec![rg(100, 3, 7 << 20), rg(100, 3 + (7 << 20), 5 << 20)],
        partition: BTreeMap::new(),
    };
    let mut conf = SparkConf::default();
    conf.set("spark.sql.files.maxPartitionBytes", "6m");
    let p = plan_format_file_partitions("orc", &[&f], &conf, 2);
    // Splits [0,6), [6,12) MiB: stripe 1 starts in the first, stripe 2 (at 7 MiB) in the second.
    let rows: Vec<u64> = p.partitions.iter().map(|x| x.rows).collect();
    assert_eq!(rows, vec![100, 100]);
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let conf = SparkConf::default();
    assert!(plan_file_partitions(&[], &conf, 0).is_empty());
    let empty = DataFile { bytes: 0, rows: 0, row_groups: 0, row_group_layout: vec![], partition: BTreeMap::new() };
    assert!(plan_file_partitions(&[&empty], &conf, 2).is_empty());
    let huge =
        DataFile { bytes: 1 << 50, rows: 1, row_groups: 0, row_group_layout: vec![], partition: BTreeMap::new() };
    let mut tiny = SparkConf::default();
    tiny.set("spark.sql.files.maxPartitionBytes", "1");
    tiny.set("spark.sql.files.openCostInBytes", "0");
    let p = plan_file_partitions(&[&huge], &tiny, 2);
    assert!(p.len() as u64 <= stagecraft::physical::scan_partitions::MAX_SPLITS);
    assert!(p.why.contains("raised"), "{}", p.why);
    assert_eq!(p.rows(), 1);
}

/// Cross-checks the constants above with expected.jsonl when the corpus is present next to the repo.
#[test]
fn corpus_facts_match_expected_jsonl() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fidelity/expected.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else { return };
    let stage = |case: &str, variant: &str, stage_id: u64| -> (u64, u64, u64) {
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if v["case_id"] != case || v["variant"] != variant {
                continue;
            }
            for job in v["jobs"].as_array().unwrap() {
                for s in job["stages"].as_array().unwrap() {
                    if s["stage_id"] == stage_id {
                        let d = &s["task_input_records"];
                        return (
                            s["num_tasks"].as_u64().unwrap(),
                            d["min"].as_u64().unwrap(),
                            d["max"].as_u64().unwrap(),
                        );
                    }
                }
            }
        }
        panic!("{case} {variant} stage {stage_id} not found");
    };
    assert_eq!(stage("p_count_star", "aqe_off", 0), (2, 2998769, 2998770));
    assert_eq!(stage("p_bhj_dimension", "aqe_off", 0), (1, 10000, 10000));
    assert_eq!(stage("p_cross_join_small", "aqe_off", 0), (1, 50, 50));
    assert_eq!(stage("p_cross_join_small", "aqe_off", 1), (1, 1000, 1000));
    assert_eq!(stage("p_dpp_broadcast", "aqe_off", 0), (1, 731, 731));
    assert_eq!(stage("p_dpp_broadcast", "aqe_off", 1), (2, 332774, 334543));
    assert_eq!(stage("p_semi_in_subquery", "aqe_off", 1), (2, 100000, 100000));
    assert_eq!(stage("p_groupby_aqe_coalesce", "aqe_off", 0), (2, 1500000, 1500000));
    assert_eq!(stage("p_window_dedup", "aqe_off", 0), (2, 1500000, 1500000));
    assert_eq!(stage("p_union_all", "aqe_off", 0), (4, 997048, 1500000));
    assert_eq!(stage("p_aqe_skew_join", "aqe_off", 0), (6, 0, 750000));
    assert_eq!(stage("p_aqe_skew_join", "aqe_on", 0), (6, 0, 750000));
}
