//! Catalog DDL scripts that parse: tables, generated layouts, confs, CACHE/UNCACHE and queries with spans.

use stagecraft::error::{Pos, Span};
use stagecraft::input::ddl::{parse_script, ScriptStatement, DEFAULT_ROWS};
use stagecraft::scenario::Table;

fn one_table(sql: &str) -> Table {
    let s = parse_script(sql).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.tables.len(), 1);
    s.tables.into_iter().next().unwrap()
}

fn check_layout(t: &Table) {
    assert_eq!(t.files.iter().map(|f| f.bytes).sum::<u64>(), t.size_in_bytes, "{}", t.name);
    assert_eq!(t.files.iter().map(|f| f.rows).sum::<u64>(), t.rows, "{}", t.name);
    for f in &t.files {
        assert_eq!(f.row_groups as usize, f.row_group_layout.len());
        assert_eq!(f.row_group_layout.iter().map(|g| g.rows).sum::<u64>(), f.rows);
        let mut at = 4;
        for g in &f.row_group_layout {
            assert_eq!(g.start, at, "row groups are contiguous from byte 4");
            assert!(g.bytes <= 128 << 20);
            at += g.bytes;
        }
        assert!(at <= f.bytes);
    }
}

const ORDERS: &str = "CREATE TABLE orders (
  order_id BIGINT NOT NULL COMMENT 'key',
  customer_id int,
  order_date DATE,
  status STRING,
  total_amount double
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize'='37672479',
  'stagecraft.rows'='3000000',
  'stagecraft.files'='4',
  'stagecraft.row_group_rows'='262144',
  'stagecraft.column.customer_id.distinct'='199482',
  'stagecraft.column.customer_id.top'='4242:0.5998,17:0.02',
  'stagecraft.column.status.nulls'='12'
)";

#[test]
fn create_table_with_statistics_and_stagecraft_properties() {
    let t = one_table(ORDERS);
    assert_eq!(t.name, "orders");
    assert_eq!(t.format, "parquet");
    assert_eq!((t.rows, t.size_in_bytes, t.row_count_known_to_spark), (3_000_000, 37_672_479, false));
    let types: Vec<&str> = t.columns.iter().map(|c| c.data_type.as_str()).collect();
    assert_eq!(types, ["bigint", "int", "date", "string", "double"]);
    let c = &t.columns[1];
    assert_eq!(c.distinct, 199482);
    assert_eq!(c.top_values.len(), 2);
    assert_eq!((c.top_values[0].value.as_str(), c.top_values[0].fraction), ("4242", 0.5998));
    assert_eq!(t.columns[3].nulls, 12);
    assert_eq!(t.files.len(), 4);
    assert_eq!(t.files.iter().map(|f| f.bytes).collect::<Vec<_>>(), [9418120, 9418120, 9418120, 9418119]);
    assert!(t.files.iter().all(|f| f.rows == 750_000 && f.row_groups == 3));
    let rows: Vec<u64> = t.files[0].row_group_layout.iter().map(|g| g.rows).collect();
    assert_eq!(rows, [262144, 262144, 225712]);
    check_layout(&t);
}

#[test]
fn num_rows_means_analyzed() {
    let t = one_table(
        "CREATE TABLE t (a int) USING parquet TBLPROPERTIES ('spark.sql.statistics.totalSize'='1000', 'spark.sql.statistics.numRows'='250')",
    );
    assert!(t.row_count_known_to_spark);
    assert_eq!((t.rows, t.size_in_bytes), (250, 1000));
}

#[test]
fn spark_types_are_normalised_to_catalog_strings() {
    let t = one_table(
        "CREATE TABLE t (a INTEGER, b LONG, c SHORT, d BYTE, e REAL, f DEC(15, 2), g NUMERIC, h VARCHAR(10), i CHAR(3),
         j BOOLEAN, k TIMESTAMP, l TIMESTAMP_NTZ, m BINARY, n ARRAY<ARRAY<INT>>, o MAP<STRING, ARRAY<BIGINT>>,
         p STRUCT<x: INT, y STRING NOT NULL COMMENT 'c', z STRUCT<w: DECIMAL(38,10)>>, `weird name` float)
         USING PARQUET",
    );
    let types: Vec<&str> = t.columns.iter().map(|c| c.data_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "int",
            "bigint",
            "smallint",
            "tinyint",
            "float",
            "decimal(15,2)",
            "decimal(10,0)",
            "varchar(10)",
            "char(3)",
            "boolean",
            "timestamp",
            "timestamp_ntz",
            "binary",
            "array<array<int>>",
            "map<string,array<bigint>>",
            "struct<x:int,y:string,z:struct<w:decimal(38,10)>>",
            "float"
        ]
    );
    assert_eq!(t.columns[16].name, "weird name");
}

#[test]
fn defaults_when_nothing_is_said() {
    let t = one_table("CREATE TABLE t (a int, b string)");
    assert_eq!(t.format, "parquet");
    assert_eq!(t.rows, DEFAULT_ROWS);
    // width (8 + 4 + 20) / 5 = 6 bytes per row.
    assert_eq!(t.size_in_bytes, DEFAULT_ROWS * 6);
    assert_eq!(t.files.len(), 1);
    assert_eq!(t.files[0].row_groups, 1);
    check_layout(&t);

    let big =
        one_table("CREATE TABLE t (a int) USING parquet TBLPROPERTIES ('spark.sql.statistics.totalSize'='300000000')");
    assert_eq!(big.files.len(), 3, "one file per 128 MiB");
    assert_eq!(big.rows, 300_000_000u64.div_ceil(2), "rows from size / ((8 + 4) / 5)");
    check_layout(&big);

    let from_rows = one_table("CREATE TABLE t (a bigint, b double) TBLPROPERTIES ('stagecraft.rows'='1000')");
    assert_eq!(from_rows.size_in_bytes, 1000 * 4);
}

#[test]
fn explicit_file_lists() {
    let t = one_table(
        "CREATE TABLE t (a int) USING orc TBLPROPERTIES (
           'stagecraft.file_sizes' = '1000, 2k, 3000',
           'stagecraft.file_rows' = '10,20,30',
           'stagecraft.row_groups_per_file' = '1,2,3')",
    );
    assert_eq!(t.size_in_bytes, 1000 + 2048 + 3000);
    assert_eq!(t.rows, 60);
    assert_eq!(t.files.iter().map(|f| f.row_groups).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(t.files[2].row_group_layout[0].start, 3, "ORC stripes start after the 3-byte magic");
    let csv =
        one_table("CREATE TABLE t (a int) USING csv TBLPROPERTIES ('stagecraft.files'='2', 'stagecraft.rows'='7')");
    assert!(csv.files.iter().all(|f| f.row_group_layout.is_empty() && f.row_groups == 0));
    assert_eq!(csv.files.iter().map(|f| f.rows).sum::<u64>(), 7);
}

#[test]
fn partitioned_tables_spread_files_over_partition_values() {
    let t = one_table(
        "CREATE TABLE events (event_date date, event_id bigint, kind string)
         USING parquet PARTITIONED BY (event_date)
         TBLPROPERTIES ('spark.sql.statistics.totalSize'='65353311', 'stagecraft.rows'='2000000',
                        'stagecraft.partitions.event_date'='2024-06-01..2024-06-30')",
    );
    // Spark moves partition columns last.
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["event_id", "kind", "event_date"]);
    assert_eq!(t.partition_columns, ["event_date"]);
    assert_eq!(t.files.len(), 30);
    assert_eq!(t.files[0].partition["event_date"], "2024-06-01");
    assert_eq!(t.files[29].partition["event_date"], "2024-06-30");
    assert_eq!(t.columns[2].distinct, 30, "partition column distinct defaults to its value count");
    check_layout(&t);

    let two = one_table(
        "CREATE TABLE s (v int, y int, c string) PARTITIONED BY (y, c)
         TBLPROPERTIES ('stagecraft.partitions.y'='2023..2024', 'stagecraft.partitions.c'='US,FR\\,BE',
                        'stagecraft.files'='8')",
    );
    assert_eq!(two.files.len(), 8);
    let parts: Vec<String> = two.files.iter().map(|f| format!("{}/{}", f.partition["y"], f.partition["c"])).collect();
    assert_eq!(
        parts,
        ["2023/US", "2023/US", "2023/FR,BE", "2023/FR,BE", "2024/US", "2024/US", "2024/FR,BE", "2024/FR,BE"]
    );

    let hive = one_table(
        "CREATE TABLE h (v int) PARTITIONED BY (d date) TBLPROPERTIES ('stagecraft.file_partitions'='d=2024-01-01,d=2024-01-01,d=2024-01-05')",
    );
    assert_eq!(hive.columns.last().unwrap().data_type, "date");
    assert_eq!(hive.files.len(), 3);
    assert_eq!(hive.files[2].partition["d"], "2024-01-05");
    assert_eq!(hive.columns[1].distinct, 2);
}

#[test]
fn spark_column_statistics_are_accepted() {
    let t = one_table(
        "CREATE TABLE t (a int) TBLPROPERTIES (spark.sql.statistics.colStats.a.distinctCount = 42, 'spark.sql.statistics.colStats.a.nullCount' 3, 'other.key'='x')",
    );
    assert_eq!((t.columns[0].distinct, t.columns[0].nulls), (42, 3));
}

#[test]
fn or_replace_and_if_not_exists() {
    let s = parse_script(
        "CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS t (b int); CREATE OR REPLACE TABLE default.u (c int);
         CREATE OR REPLACE TABLE spark_catalog.default.t (d int)",
    )
    .unwrap();
    assert_eq!(s.tables.len(), 2);
    assert_eq!(s.tables[0].columns[0].name, "d");
    assert_eq!(s.tables[1].name, "u");
}

#[test]
fn script_with_confs_cache_and_queries() {
    let sql = "-- a catalog and a query\nSET spark.sql.shuffle.partitions=8;\nSET spark.sql.files.maxPartitionBytes = '8m' ;\n\
               SET TIME ZONE 'UTC';\nCREATE TABLE t (a int);\n\
               CACHE LAZY TABLE hot OPTIONS ('storageLevel' 'DISK_ONLY') AS\n  SELECT a FROM t WHERE a > 1;\n\
               UNCACHE TABLE IF EXISTS hot;\n\n   SELECT /*+ BROADCAST(t) */ count(*)\nFROM t; -- trailing\n";
    let s = parse_script(sql).unwrap_or_else(|e| panic!("{e}"));
    let confs: Vec<(&str, &str)> = s.confs.iter().map(|(k, v, _)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        confs,
        [
            ("spark.sql.shuffle.partitions", "8"),
            ("spark.sql.files.maxPartitionBytes", "8m"),
            ("spark.sql.session.timeZone", "UTC")
        ]
    );
    assert_eq!(s.confs[0].2, Span::new(Pos { line: 2, col: 5 }, Pos { line: 2, col: 35 }));
    assert_eq!(s.tables.len(), 1);
    assert_eq!(s.statements.len(), 3);
    match &s.statements[0] {
        ScriptStatement::CacheTable { name, lazy, options, query: Some((q, qspan)), span } => {
            assert_eq!(name, "hot");
            assert!(*lazy);
            assert_eq!(options, &[("storageLevel".to_string(), "DISK_ONLY".to_string())]);
            assert_eq!(q, "SELECT a FROM t WHERE a > 1");
            assert_eq!(qspan.start, Pos { line: 7, col: 3 });
            assert_eq!(span.start, Pos { line: 6, col: 1 });
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.statements[1],
        ScriptStatement::UncacheTable {
            name: "hot".into(),
            if_exists: true,
            span: Span::new(Pos { line: 8, col: 1 }, Pos { line: 8, col: 28 })
        }
    );
    match &s.statements[2] {
        ScriptStatement::Query { text, span } => {
            assert_eq!(text, "SELECT /*+ BROADCAST(t) */ count(*)\nFROM t");
            assert_eq!(span.start, Pos { line: 10, col: 4 });
            assert_eq!(span.end, Pos { line: 11, col: 7 });
            // A position found inside `text` maps back into the script.
            let inner = Span::point(2, 6);
            assert_eq!(inner.offset_by(span.start).start, Pos { line: 11, col: 6 });
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn semicolons_in_strings_and_comments_do_not_split() {
    let s = parse_script("SELECT ';' AS a /* ; */; -- ;\nSELECT 2").unwrap();
    assert_eq!(s.statements.len(), 2);
    assert_eq!(
        s.statements[0],
        ScriptStatement::Query {
            text: "SELECT ';' AS a".into(),
            span: Span::new(Pos { line: 1, col: 1 }, Pos { line: 1, col: 16 })
        }
    );
    assert!(parse_script("  ;; \n -- only comments\n").unwrap().statements.is_empty());
}

#[test]
fn unicode_columns_count_characters() {
    let s = parse_script("SELECT 'é'; SELECT 1").unwrap();
    match &s.statements[1] {
        ScriptStatement::Query { text, span } => {
            assert_eq!(text, "SELECT 1");
            assert_eq!(span.start, Pos { line: 1, col: 13 });
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_documented_example_parses() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalog-ddl.md")).unwrap();
    let start = doc.find("```sql\n").unwrap() + 7;
    let sql = &doc[start..start + doc[start..].find("```").unwrap()];
    let s = parse_script(sql).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.confs[0].1, "8m");
    assert_eq!(s.tables[0].files.len(), 4);
    assert_eq!(s.tables[0].columns[1].top_values.len(), 2);
    assert_eq!(s.statements.len(), 2);
}
