//! The scenario: everything one run needs (cluster, Spark confs, catalog, query), as the serde type of
//! `scenario_version` 1 (`../shared/fidelity/README.md`). It is also the app's editable state and the payload
//! of share links. This module knows the shape of the data and its validation; it knows nothing of planning.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The only scenario format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub scenario_version: u32,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default = "default_spark_version")]
    pub spark_version: String,
    #[serde(default)]
    pub cluster: Cluster,
    /// Every conf that differs from Spark 3.5's defaults, as Spark accepts them (`'8m'`, `'-1'`, `'true'`).
    #[serde(default)]
    pub confs: BTreeMap<String, String>,
    #[serde(default)]
    pub tables: Vec<Table>,
    pub query: Query,
    /// Simulation options that are not Spark confs (seed, injected failures); absent in the corpus files.
    #[serde(default, skip_serializing_if = "SimOptions::is_default")]
    pub sim: SimOptions,
}

fn default_spark_version() -> String {
    "3.5".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    #[serde(default = "default_master")]
    pub master: String,
    #[serde(default = "one")]
    pub executors: u32,
    #[serde(default = "two")]
    pub cores_per_executor: u32,
    #[serde(default = "default_mem")]
    pub executor_memory_mb: u64,
    /// `spark.default.parallelism`; when absent, executors x cores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_parallelism: Option<u32>,
}

fn default_master() -> String {
    "local[2]".into()
}
fn one() -> u32 {
    1
}
fn two() -> u32 {
    2
}
fn default_mem() -> u64 {
    4096
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster {
            master: default_master(),
            executors: 1,
            cores_per_executor: 2,
            executor_memory_mb: 4096,
            // Not set, as in a plain `local[2]` session: `default_parallelism()` is then executors × cores
            // (2), and PySpark's `_defaultReducePartitions` keeps the parent's partition count.
            default_parallelism: None,
        }
    }
}

impl Cluster {
    /// `SparkContext.defaultParallelism`: the configured value, else the total number of cores.
    pub fn default_parallelism(&self) -> u32 {
        self.default_parallelism
            .unwrap_or(self.executors.max(1) * self.cores_per_executor.max(1))
            .max(1)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    #[serde(default = "parquet")]
    pub format: String,
    /// Real row count (for simulating partition sizes), not necessarily known to Spark's optimizer.
    #[serde(default)]
    pub rows: u64,
    /// What Spark's statistics hold: the total file bytes.
    #[serde(default)]
    pub size_in_bytes: u64,
    /// True only when the table was ANALYZEd (`spark.sql.statistics.numRows` given): then the
    /// optimizer knows `rows`.
    #[serde(default)]
    pub row_count_known_to_spark: bool,
    #[serde(default)]
    pub partition_columns: Vec<String>,
    #[serde(default)]
    pub files: Vec<DataFile>,
    #[serde(default)]
    pub columns: Vec<Column>,
}

fn parquet() -> String {
    "parquet".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataFile {
    pub bytes: u64,
    #[serde(default)]
    pub rows: u64,
    #[serde(default)]
    pub row_groups: u32,
    /// Each Parquet row group's byte range: a scan split reads the row groups whose midpoint lies inside it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub row_group_layout: Vec<RowGroup>,
    /// Partition values of a file of a partitioned table (`{"event_date": "2024-06-01"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub partition: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowGroup {
    pub rows: u64,
    pub start: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// Spark SQL type name: `int`, `bigint`, `double`, `string`, `date`, `timestamp`, `boolean`, `decimal(p,s)`, ...
    #[serde(rename = "type")]
    pub data_type: String,
    /// Distinct values in the real data (0 = unknown).
    #[serde(default)]
    pub distinct: u64,
    #[serde(default)]
    pub nulls: u64,
    /// The hottest values (fractions >= 1 %), values as strings.
    #[serde(default)]
    pub top_values: Vec<TopValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopValue {
    pub value: String,
    pub fraction: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// `sql` or `pyspark`.
    #[serde(default = "sql")]
    pub lang: String,
    /// Statements run before `text` (`CACHE TABLE x AS SELECT ...`, `SET k=v`); their jobs belong to the run.
    #[serde(default)]
    pub setup_sql: Vec<String>,
    pub text: String,
    /// `collect` (`spark.sql(text).collect()`) or `write_noop`; PySpark snippets carry their own actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

fn sql() -> String {
    "sql".into()
}

/// Simulation options beyond Spark confs. All off by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimOptions {
    #[serde(default)]
    pub seed: u64,
    /// Kill this executor (0-based) at this simulated time in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_executor: Option<KillExecutor>,
    /// Probability (0..1) that any task attempt fails and is retried.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub task_failure_rate: f64,
    /// Speculative execution (`spark.speculation=true` in the confs does the same).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub speculation: bool,
    /// Task time variation, ± percent; absent: the simulator's default (30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_pct: Option<u32>,
    /// Executors that run everything slower (a noisy neighbour): what speculation is for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slow_executors: Vec<SlowExecutor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlowExecutor {
    /// 0-based executor index.
    pub executor: u32,
    /// Every task phase on it takes this many percent of the normal time (300 = 3× slower).
    pub time_pct: u32,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KillExecutor {
    pub executor: u32,
    pub at_ms: u64,
}

impl SimOptions {
    pub fn is_default(&self) -> bool {
        *self == SimOptions::default()
    }
}

impl Scenario {
    /// A scenario running `text` (`lang`: `sql` or `pyspark`) on `tables` with `confs`, the default cluster
    /// and simulation settings, its result collected: how tests and tools build one in code.
    pub fn of_query(lang: &str, text: &str, tables: Vec<Table>, confs: BTreeMap<String, String>) -> Scenario {
        Scenario {
            scenario_version: SCENARIO_VERSION,
            id: String::new(),
            title: String::new(),
            spark_version: "3.5".into(),
            cluster: Cluster::default(),
            confs,
            tables,
            query: Query { lang: lang.into(), setup_sql: vec![], text: text.into(), action: Some("collect".into()) },
            sim: Default::default(),
        }
    }

    /// Reads a scenario from JSON, refusing other format versions with a clear message.
    pub fn from_json(text: &str) -> Result<Scenario, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("scenario is not valid JSON: {e}"))?;
        match v.get("scenario_version").and_then(|x| x.as_u64()) {
            Some(n) if n == SCENARIO_VERSION as u64 => {}
            Some(n) => {
                return Err(format!(
                    "scenario_version {n} is not supported (this build reads version {SCENARIO_VERSION})"
                ))
            }
            None => return Err("scenario has no scenario_version".into()),
        }
        serde_json::from_value(v).map_err(|e| format!("scenario does not match scenario_version 1: {e}"))
    }

    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }
}
