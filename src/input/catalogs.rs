//! Built-in catalogs: `retail` (the 9 tables of the fidelity corpus, verbatim from its scenarios:
//! `assets/catalogs/retail.json`) and `tpch` (TPC-H at scale factor 1 written as Stagecraft DDL:
//! `assets/catalogs/tpch.sql`). Knows the data only; nothing of planning.

use crate::input::ddl;
use crate::scenario::{Column, DataFile, RowGroup, Table, TopValue};

const TPCH_SQL: &str = include_str!("../../assets/catalogs/tpch.sql");

/// Names of the built-in catalogs, in display order.
pub fn names() -> &'static [&'static str] {
    &["retail", "tpch"]
}

/// A one-line description of a built-in catalog.
pub fn title(name: &str) -> Option<&'static str> {
    match name {
        "retail" => Some("Retail (the fidelity corpus): 9 tables, ~223 MB of Parquet, a hot customer in orders"),
        "tpch" => Some("TPC-H scale factor 1: 8 tables, ~340 MB of Parquet, lineitem 6,001,215 rows"),
        _ => None,
    }
}

/// A built-in catalog by name (case-insensitive).
pub fn by_name(name: &str) -> Option<Vec<Table>> {
    match name.to_ascii_lowercase().as_str() {
        "retail" => Some(retail()),
        "tpch" => Some(tpch()),
        _ => None,
    }
}

/// The corpus tables: customers, orders, orders_uniform, lineitem, products, countries, stores, calendar, events.
pub fn retail() -> Vec<Table> {
    RETAIL.iter().map(T::table).collect()
}

/// `build.rs` compiles assets/catalogs/retail.json into this static (no JSON parsing at run time).
static RETAIL: &[T] = include!(concat!(env!("OUT_DIR"), "/retail_catalog.rs"));

/// A table as static data (the generated `RETAIL`).
struct T {
    name: &'static str,
    format: &'static str,
    rows: u64,
    size_in_bytes: u64,
    row_count_known_to_spark: bool,
    partition_columns: &'static [&'static str],
    files: &'static [F],
    columns: &'static [C],
}

/// A data file: `layout` holds each row group's `[rows, start, bytes]`.
struct F {
    bytes: u64,
    rows: u64,
    row_groups: u32,
    layout: &'static [[u64; 3]],
    partition: &'static [(&'static str, &'static str)],
}

struct C {
    name: &'static str,
    data_type: &'static str,
    distinct: u64,
    nulls: u64,
    top_values: &'static [(&'static str, f64)],
}

impl T {
    fn table(&self) -> Table {
        let s = |x: &&str| x.to_string();
        Table {
            name: self.name.into(),
            format: self.format.into(),
            rows: self.rows,
            size_in_bytes: self.size_in_bytes,
            row_count_known_to_spark: self.row_count_known_to_spark,
            partition_columns: self.partition_columns.iter().map(s).collect(),
            files: self
                .files
                .iter()
                .map(|f| DataFile {
                    bytes: f.bytes,
                    rows: f.rows,
                    row_groups: f.row_groups,
                    row_group_layout: f.layout.iter().map(|&[rows, start, bytes]| RowGroup { rows, start, bytes }).collect(),
                    partition: crate::sort::map_of(f.partition.iter().map(|(k, v)| (k.to_string(), v.to_string()))),
                })
                .collect(),
            columns: self
                .columns
                .iter()
                .map(|c| Column {
                    name: c.name.into(),
                    data_type: c.data_type.into(),
                    distinct: c.distinct,
                    nulls: c.nulls,
                    top_values: c.top_values.iter().map(|&(v, fraction)| TopValue { value: v.into(), fraction }).collect(),
                })
                .collect(),
        }
    }
}

/// TPC-H at SF1: region, nation, supplier, customer, part, partsupp, orders, lineitem.
pub fn tpch() -> Vec<Table> {
    ddl::parse_script(TPCH_SQL).map(|s| s.tables).unwrap_or_default()
}

/// The DDL text of a built-in catalog (TPC-H's own source; retail rendered from its tables).
pub fn ddl_text(name: &str) -> Option<String> {
    match name.to_ascii_lowercase().as_str() {
        "tpch" => Some(TPCH_SQL.to_string()),
        "retail" => Some(ddl::catalog_to_ddl(&retail())),
        _ => None,
    }
}

/// The app's built-in example: a skewed join on the retail catalog, with AQE's skew-join splitting made
/// visible by small thresholds (what the page opens on, and the reference for share-link sizes).
pub fn default_example() -> crate::scenario::Scenario {
    use crate::scenario::{Query, Scenario, SCENARIO_VERSION};
    let confs = [
        ("spark.sql.autoBroadcastJoinThreshold", "-1"),
        ("spark.sql.adaptive.advisoryPartitionSizeInBytes", "1m"),
        ("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "2m"),
        ("spark.sql.files.maxPartitionBytes", "8m"),
        ("spark.sql.adaptive.enabled", "true"),
        ("spark.sql.session.timeZone", "UTC"),
    ];
    Scenario {
        scenario_version: SCENARIO_VERSION,
        id: "retail-skew-join".into(),
        title: "Retail: a skewed join (orders x customers, one hot customer) with AQE skew-join splitting".into(),
        spark_version: "3.5".into(),
        cluster: Default::default(),
        confs: confs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        tables: retail(),
        query: Query {
            lang: "sql".into(),
            setup_sql: vec![],
            text: "SELECT c.segment, count(*) AS n, sum(o.total_amount) AS revenue\nFROM orders o\nJOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment".into(),
            action: Some("collect".into()),
        },
        sim: Default::default(),
    }
}
