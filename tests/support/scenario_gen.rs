//! Scenario generator shared by the property tests (`tests/prop_pipeline.rs`) and the `pipeline` fuzz
//! target (`fuzz/fuzz_targets/pipeline.rs`, which includes this file by path). It reads a byte string
//! (zeros once it runs out) and builds a small scenario: 1–4 tables written as catalog DDL (row counts,
//! sizes, files, hot keys, a partitioned table), a query from a small grammar (joins of every type, filters,
//! aggregates, DISTINCT, unions, hints, ORDER BY / LIMIT), Spark confs (AQE on/off, shuffle partitions,
//! broadcast threshold, skew join, coalescing, file split size) and a cluster of 1–4 executors × 1–4 cores.
//! Task counts stay bounded (sizes ≤ 8 GB, splits ≥ 8 MB, ≤ 400 shuffle partitions).
#![allow(dead_code)]

use stagecraft::input::ddl;
use stagecraft::scenario::{Cluster, Query, Scenario, SCENARIO_VERSION};
use std::collections::BTreeMap;

/// A byte string read as a stream of small choices; zeros once exhausted, so every input is valid.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data, pos: 0 }
    }
    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    /// A number in `0..n` (`n` ≥ 1).
    pub fn below(&mut self, n: u32) -> u32 {
        let x = u16::from_le_bytes([self.byte(), self.byte()]) as u32;
        x % n.max(1)
    }
    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u32) as usize]
    }
}

/// The columns every generated table has: `k bigint` (join key, maybe hot), `g int` (group key),
/// `v double`, `s string`, `d date`.
const COLS: &str = "k bigint, g int, v double, s string, d date";

fn table_ddl(b: &mut Bytes, name: &str) -> String {
    let rows = b.pick(&[0u64, 1, 10, 1_000, 50_000, 1_000_000, 20_000_000, 300_000_000]);
    let bytes_per_row = b.pick(&[8u64, 24, 40, 100]);
    let size = (rows * bytes_per_row).clamp(1, 8 << 30);
    let mut props = vec![format!("'spark.sql.statistics.totalSize' = '{size}'")];
    if b.flag() {
        props.push(format!("'spark.sql.statistics.numRows' = '{rows}'"));
    } else {
        props.push(format!("'stagecraft.rows' = '{rows}'"));
    }
    let files = b.pick(&[1u32, 2, 7, 40]);
    let distinct = b.pick(&[1u64, 5, 100, 10_000, 1_000_000]).min(rows.max(1));
    props.push(format!("'stagecraft.column.k.distinct' = '{distinct}'"));
    props.push(format!("'stagecraft.column.g.distinct' = '{}'", b.pick(&[1u64, 3, 50, 5_000]).min(rows.max(1))));
    if b.flag() {
        // A hot key: one value holding 5–90 % of the rows.
        props.push(format!("'stagecraft.column.k.top' = '{}:{}'", b.below(10), b.pick(&["0.05", "0.3", "0.6", "0.9"])));
    }
    let partitioned = b.below(4) == 0;
    if partitioned {
        // A partitioned table's files are spread over its partitions: a multiple of their number.
        let parts = b.pick(&[1u32, 3, 12]);
        props.push(format!("'stagecraft.partitions.p' = '1..{parts}'"));
        props.push(format!("'stagecraft.files' = '{}'", parts * files.min(3)));
        format!("CREATE TABLE {name} ({COLS}, p int) USING parquet PARTITIONED BY (p) TBLPROPERTIES ({});\n", props.join(", "))
    } else {
        props.push(format!("'stagecraft.files' = '{files}'"));
        format!("CREATE TABLE {name} ({COLS}) USING parquet TBLPROPERTIES ({});\n", props.join(", "))
    }
}

/// One SELECT whose output is `(k bigint, v double)`, so any two can be unioned.
fn select(b: &mut Bytes, tables: usize, depth: u32) -> String {
    let joins = b.below(4) as usize;
    let mut from = format!("t{} a0", b.below(tables as u32));
    let mut visible = 1; // aliases whose columns stay visible (semi/anti joins hide the right side)
    let mut hints = Vec::new();
    for i in 1..=joins {
        let jt = b.pick(&["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL OUTER JOIN", "LEFT SEMI JOIN", "LEFT ANTI JOIN", "CROSS JOIN"]);
        let right = if depth > 0 && b.below(5) == 0 {
            format!("({}) a{i}", select(b, tables, depth - 1))
        } else {
            format!("t{} a{i}", b.below(tables as u32))
        };
        let left = b.below(visible as u32);
        if jt == "CROSS JOIN" {
            from = format!("{from} CROSS JOIN {right}");
        } else {
            let extra = if b.flag() { format!(" AND a{left}.k < a{i}.k + 10") } else { String::new() };
            from = format!("{from} {jt} {right} ON a{left}.k = a{i}.k{extra}");
        }
        if !jt.starts_with("LEFT SEMI") && !jt.starts_with("LEFT ANTI") {
            visible = i + 1;
        }
        match b.below(6) {
            0 => hints.push(format!("BROADCAST(a{i})")),
            1 => hints.push(format!("MERGE(a{i})")),
            2 => hints.push(format!("SHUFFLE_HASH(a{i})")),
            _ => {}
        }
        // Keep later ON clauses referring to visible aliases only.
        if visible <= i {
            visible = visible.max(1);
        }
    }
    let a = |b: &mut Bytes| format!("a{}", b.below(visible as u32));
    let mut wh = Vec::new();
    for _ in 0..b.below(3) {
        let x = a(b);
        wh.push(match b.below(6) {
            0 => format!("{x}.g > {}", b.below(100)),
            1 => format!("{x}.s = 'v{}'", b.below(5)),
            2 => format!("{x}.v IS NOT NULL"),
            3 => format!("{x}.d >= DATE'2024-0{}-01'", 1 + b.below(9)),
            4 => format!("{x}.k IN ({}, {}, {})", b.below(10), b.below(10), b.below(1000)),
            _ => format!("{x}.k = {}", b.below(10)),
        });
    }
    let hint = if hints.is_empty() { String::new() } else { format!("/*+ {} */ ", hints.join(", ")) };
    let wh = if wh.is_empty() { String::new() } else { format!(" WHERE {}", wh.join(" AND ")) };
    let x = a(b);
    let y = a(b);
    match b.below(4) {
        0 => format!("SELECT {hint}CAST({x}.g AS BIGINT) AS k, sum({y}.v) AS v FROM {from}{wh} GROUP BY {x}.g"),
        1 => format!("SELECT {hint}{x}.k AS k, CAST(count(DISTINCT {y}.s) AS DOUBLE) AS v FROM {from}{wh} GROUP BY {x}.k"),
        2 => format!("SELECT DISTINCT {hint}{x}.k AS k, {y}.v AS v FROM {from}{wh}"),
        _ => format!("SELECT {hint}{x}.k AS k, {y}.v AS v FROM {from}{wh}"),
    }
}

fn query(b: &mut Bytes, tables: usize) -> String {
    let mut q = select(b, tables, 1);
    for _ in 0..b.below(3) {
        let op = b.pick(&["UNION ALL", "UNION", "INTERSECT", "EXCEPT"]);
        q = format!("{q} {op} {}", select(b, tables, 0));
    }
    match b.below(4) {
        0 => format!("SELECT * FROM ({q}) ORDER BY k LIMIT {}", 1 + b.below(100)),
        1 => format!("SELECT k, count(*) AS n FROM ({q}) GROUP BY k"),
        _ => q,
    }
}

/// The generated scenario and the catalog DDL it was built from.
pub fn scenario(b: &mut Bytes) -> (Scenario, String) {
    let n = 1 + b.below(4) as usize;
    let ddl_text: String = (0..n).map(|i| table_ddl(b, &format!("t{i}"))).collect();
    let tables = ddl::parse_script(&ddl_text).expect("generated DDL is valid").tables;
    let mut confs = BTreeMap::new();
    confs.insert("spark.sql.adaptive.enabled".to_string(), b.pick(&["true", "false"]).to_string());
    confs.insert("spark.sql.shuffle.partitions".to_string(), b.pick(&[1u32, 2, 3, 10, 200, 400]).to_string());
    confs.insert("spark.sql.autoBroadcastJoinThreshold".to_string(), b.pick(&["-1", "10m", "1k", "1g"]).to_string());
    confs.insert("spark.sql.adaptive.skewJoin.enabled".to_string(), b.pick(&["true", "false"]).to_string());
    confs.insert("spark.sql.adaptive.coalescePartitions.enabled".to_string(), b.pick(&["true", "false"]).to_string());
    confs.insert("spark.sql.adaptive.advisoryPartitionSizeInBytes".to_string(), b.pick(&["64m", "1m", "16k"]).to_string());
    confs.insert("spark.sql.files.maxPartitionBytes".to_string(), b.pick(&["128m", "8m", "1g"]).to_string());
    if b.flag() {
        confs.insert("spark.sql.optimizer.dynamicPartitionPruning.enabled".to_string(), "false".to_string());
    }
    let executors = 1 + b.below(4);
    let cores = 1 + b.below(4);
    let text = query(b, n);
    let s = Scenario {
        scenario_version: SCENARIO_VERSION,
        id: "generated".into(),
        title: String::new(),
        spark_version: "3.5".into(),
        cluster: Cluster {
            master: format!("spark://gen:7077 ({executors} x {cores})"),
            executors,
            cores_per_executor: cores,
            executor_memory_mb: 4096,
            default_parallelism: if b.flag() { None } else { Some(1 + b.below(16)) },
        },
        confs,
        tables,
        query: Query { lang: "sql".into(), setup_sql: vec![], text, action: Some(b.pick(&["collect", "write_noop"]).to_string()) },
        sim: Default::default(),
    };
    (s, ddl_text)
}

/// The report's jobs as a simulator schedule on the scenario's cluster: one job per reported job (each after
/// the previous one, as the driver submits them), map stages writing the shuffle named by their stage id,
/// uniform work per task. Skipped stages are run (their shuffle is not written by any earlier job here).
/// `None` when the run has no job or more than `max_tasks` tasks.
pub fn schedule_of(report: &stagecraft::report::Report, cluster: &Cluster, max_tasks: u64) -> Option<stagecraft::sim::Schedule> {
    use stagecraft::sim::{ClusterSpec, JobKind, JobSpec, Schedule, StageSpec, TaskWork};
    let total: u64 = report.jobs.iter().flat_map(|j| &j.stages).map(|s| s.num_tasks as u64).sum();
    if total > max_tasks || report.jobs.is_empty() {
        return None;
    }
    let mut jobs = Vec::new();
    for (i, j) in report.jobs.iter().enumerate() {
        let parents: std::collections::BTreeSet<u32> = j.stages.iter().flat_map(|s| s.parent_ids.iter().copied()).collect();
        let map_only = j.kind.starts_with("shuffle_map");
        let stages: Vec<StageSpec> = j
            .stages
            .iter()
            .map(|s| {
                let is_final = !parents.contains(&s.stage_id);
                let spec = if is_final && !map_only { StageSpec::result(s.stage_id, s.num_tasks) } else { StageSpec::map(s.stage_id, s.num_tasks, s.stage_id) };
                spec.parents(&s.parent_ids).uniform(TaskWork::cpu_ms(5).input(1 << 20, 10_000).shuffle_write(if is_final && !map_only { 0 } else { 1 << 16 }, 1_000))
            })
            .collect();
        let kind = if map_only { JobKind::MapStageOnly } else { JobKind::Result };
        let mut spec = JobSpec::new(j.job_id, kind, stages);
        if i > 0 {
            spec = spec.after(&[report.jobs[i - 1].job_id]);
        }
        jobs.push(spec);
    }
    Some(Schedule::new(ClusterSpec::new(cluster.executors, cluster.cores_per_executor), jobs))
}
