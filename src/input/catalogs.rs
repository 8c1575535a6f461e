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
    // `build.rs` compiles assets/catalogs/retail.json into this expression (no JSON parsing at run time).
    include!(concat!(env!("OUT_DIR"), "/retail_catalog.rs"))
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
