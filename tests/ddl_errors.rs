//! Malformed catalog DDL: every error is a positioned `Diagnostic` (exact line:col), never a panic.

use stagecraft::error::Phase;
use stagecraft::input::{catalogs, ddl::parse_script};

/// (phase, line, col, message) of the error `sql` must produce.
fn err(sql: &str) -> (Phase, u32, u32, String) {
    match parse_script(sql) {
        Ok(s) => panic!("expected an error, parsed {} tables", s.tables.len()),
        Err(d) => (d.phase, d.span.start.line, d.span.start.col, d.message),
    }
}

fn at(sql: &str, phase: Phase, line: u32, col: u32, needle: &str) {
    let (p, l, c, m) = err(sql);
    assert_eq!((p, l, c), (phase, line, col), "message: {m}");
    assert!(m.contains(needle), "'{m}' lacks '{needle}'");
}

/// Like `at`, with the position given as the first occurrence of `token` in `sql`.
fn at_token(sql: &str, token: &str, phase: Phase, needle: &str) {
    let byte = sql.find(token).expect("token in sql");
    let line = sql[..byte].matches('\n').count() as u32 + 1;
    let col = sql[..byte].rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    at(sql, phase, line, col, needle);
}

const C: Phase = Phase::Catalog;
const P: Phase = Phase::Parse;

#[test]
fn unknown_type() {
    at("CREATE TABLE t (\n  a int,\n  b texty\n)", P, 3, 5, "unknown data type 'texty'");
    at("CREATE TABLE t (a interval)", P, 1, 19, "unknown data type 'interval'");
}

#[test]
fn duplicate_column_is_case_insensitive() {
    at("CREATE TABLE t (a int, A bigint)", C, 1, 24, "duplicate column 'A'");
    at("CREATE TABLE t (a int) PARTITIONED BY (a string)", C, 1, 40, "duplicate column 'a'");
}

#[test]
fn non_numeric_statistics() {
    at(
        "CREATE TABLE t (a int) USING parquet\nTBLPROPERTIES ('spark.sql.statistics.totalSize'='37MB')",
        C,
        2,
        49,
        "must be a whole number",
    );
    at("CREATE TABLE t (a int)\n  TBLPROPERTIES ('spark.sql.statistics.numRows' = 'many')", C, 2, 51, "'many'");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.rows'='-5')", C, 1, 57, "whole number");
}

#[test]
fn unknown_format() {
    at("CREATE TABLE t (a int) USING avro", C, 1, 30, "unknown data source format 'avro'");
    at("CREATE TABLE t (a int) STORED AS textfile", C, 1, 34, "textfile");
}

#[test]
fn partition_column_not_in_list() {
    at("CREATE TABLE t (a int)\nPARTITIONED BY (a, b)", C, 2, 20, "partition column 'b' is not in the column list");
    at("CREATE TABLE t (a int, d date) PARTITIONED BY (d, D)", C, 1, 51, "listed twice");
}

#[test]
fn malformed_stagecraft_values() {
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.file_sizes'='12,abc')", C, 1, 63, "'abc' is not one");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.file_rows'='1,,2')", C, 1, 62, "whole numbers");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.column.a.top'='1:1.5')", C, 1, 65, "not in (0, 1]");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.column.a.top'='1:0.6,2:0.6')", C, 1, 65, "sum to");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.column.a.top'='oops')", C, 1, 65, "value:fraction");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.row_groups_per_file'='0')", C, 1, 72, "at least 1");
}

#[test]
fn unknown_stagecraft_keys_and_columns() {
    at(
        "CREATE TABLE t (a int)\nTBLPROPERTIES (\n  'stagecraft.filez' = '3')",
        C,
        3,
        3,
        "unknown Stagecraft property 'stagecraft.filez'",
    );
    at(
        "CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.column.nope.distinct'='3')",
        C,
        1,
        39,
        "has no column 'nope'",
    );
    at(
        "CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.column.a.distinkt'='3')",
        C,
        1,
        39,
        "unknown column statistic",
    );
    at("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.partitions.a'='1..3')", C, 1, 39, "not partitioned by 'a'");
}

#[test]
fn partition_ranges() {
    let head = "CREATE TABLE t (v int, d date) PARTITIONED BY (d) TBLPROPERTIES ('stagecraft.partitions.d'=";
    let col = head.chars().count() as u32 + 1;
    at(&format!("{head}'2024-06-30..2024-06-01')"), C, 1, col, "before its start");
    at(&format!("{head}'2024-02-30..2024-03-01')"), C, 1, col, "'2024-02-30' is not a valid date");
    at(&format!("{head}'2024-01-01,2024-01-01')"), C, 1, col, "distinct");
    at("CREATE TABLE t (v int, d date)\nPARTITIONED BY (d)", C, 2, 17, "needs 'stagecraft.partitions.d'");
}

#[test]
fn inconsistent_file_descriptions() {
    at_token(
        "CREATE TABLE t (a int) TBLPROPERTIES ('spark.sql.statistics.totalSize'='100', 'stagecraft.file_sizes'='40,50')",
        "'40,50'",
        C,
        "sum to 90",
    );
    at_token(
        "CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.files'='2', 'stagecraft.file_rows'='1,2,3')",
        "'1,2,3'",
        C,
        "gives 3 files",
    );
    at_token("CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.files'='0')", "'0'", C, "at least 1 file");
    at_token(
        "CREATE TABLE t (v int, d date) PARTITIONED BY (d) TBLPROPERTIES ('stagecraft.files'='2', 'stagecraft.partitions.d'='2024-01-01..2024-01-03')",
        "'2'",
        C,
        "2 files cannot hold 3 partitions",
    );
    at_token(
        "CREATE TABLE t (a int) TBLPROPERTIES ('spark.sql.statistics.numRows'='10', 'stagecraft.rows'='11')",
        "'11'",
        C,
        "contradicts",
    );
    at_token(
        "CREATE TABLE t (a int) USING csv TBLPROPERTIES ('stagecraft.row_group_rows'='10')",
        "'10'",
        C,
        "no row groups",
    );
    at_token("CREATE TABLE t (a int NOT NULL) TBLPROPERTIES ('stagecraft.column.a.nulls'='1')", "'1'", C, "NOT NULL");
    at_token(
        "CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.rows'='5', 'stagecraft.column.a.nulls'='6')",
        "'6'",
        C,
        "exceed the table's 5 rows",
    );
}

#[test]
fn syntax_errors() {
    at("CREATE TABLE t (a int b int)", P, 1, 23, "expected ')', found 'b'");
    at("CREATE TABLE t (a decimal(40,2))", P, 1, 27, "precision 40");
    at("CREATE TABLE t (a decimal(5,7))", P, 1, 29, "scale 7 exceeds");
    at("CREATE TABLE t (a array<int)", P, 1, 28, "expected '>', found ')'");
    at("CREATE TABLE t (a map<string int>)", P, 1, 30, "expected ','");
    at("CREATE TABLE t USING parquet", P, 1, 16, "column list");
    at("CREATE TABLE t (a int) AS SELECT 1", P, 1, 24, "is a write");
    at("CREATE TABLE t (a int) CLUSTERED BY (a) INTO 4 BUCKETS", P, 1, 24, "bucketed");
    at("CREATE TABLE t (a int) USING parquet USING orc", P, 1, 38, "duplicate USING");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('k'='1', 'k'='2')", P, 1, 48, "duplicate property key 'k'");
    at("CREATE TABLE t (a int) TBLPROPERTIES ('k' = x)", P, 1, 45, "property value");
    at("CREATE TABLE t (a int DEFAULT 1)", P, 1, 23, "defaults");
    at("CREATE TABLE t (a int) WITH (x)", P, 1, 24, "expected USING");
    // At the end of the statement: just after its last token.
    at("CREATE TABLE t (\n  a int,\n", P, 2, 9, "expected a column name, found the end of the statement");
}

#[test]
fn tokenizer_errors_are_positioned() {
    let (p, l, c, m) = err("SELECT 1;\nCREATE TABLE t (a int) COMMENT 'unterminated");
    assert_eq!(p, Phase::Parse, "{m}");
    assert_eq!(l, 2, "{m}");
    assert!(c >= 1, "{m}");
}

#[test]
fn set_cache_uncache_errors() {
    at("SET spark.sql.shuffle.partitions", P, 1, 5, "key=value");
    at("SET = 3", P, 1, 5, "needs a key");
    at("SET", P, 1, 4, "key=value after SET");
    at("CACHE TABLE hot AS;", P, 1, 19, "a query after AS");
    at("CACHE TABLE", P, 1, 12, "expected a table name");
    at("UNCACHE TABLE hot now", P, 1, 19, "unexpected 'now'");
    at("CACHE LAZY hot", P, 1, 12, "expected TABLE");
}

#[test]
fn errors_in_later_statements_keep_script_positions() {
    let sql = "SET a=1;\n-- comment ; with a semicolon\nCREATE TABLE ok (x int);\nSELECT 1;\n\n  CREATE TABLE t (\n    x int,\n    x string)";
    at(sql, C, 8, 5, "duplicate column 'x'");
    at("CREATE TABLE t (a int);\nCREATE TABLE T (b int)", C, 2, 14, "already defined");
}

fn corpus_texts() -> Vec<String> {
    let mut text = catalogs::ddl_text("tpch").unwrap();
    text += "SET spark.sql.files.maxPartitionBytes = '8m';\nCACHE LAZY TABLE x OPTIONS ('a' 'b') AS SELECT 1;\n";
    text += "CREATE TABLE s (a struct<b: array<map<string, int>>>, c decimal(5,2)) PARTITIONED BY (c) TBLPROPERTIES ('stagecraft.partitions.c'='1.5,2.5');";
    vec![text, catalogs::ddl_text("retail").unwrap()]
}

#[test]
fn every_prefix_parses_or_fails_with_a_position() {
    for text in corpus_texts() {
        assert!(parse_script(&text).is_ok(), "{:?}", parse_script(&text).err());
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).filter(|i| i % 7 == 0).collect();
        for cut in cuts {
            if let Err(d) = parse_script(&text[..cut]) {
                assert!(d.span.start.line >= 1 && d.span.start.col >= 1, "{d:?} at cut {cut}");
            }
        }
    }
}

#[test]
fn random_mutations_never_panic() {
    let text: Vec<char> =
        corpus_texts().concat().replace("CREATE TABLE orders", "CREATE TABLE orders2").chars().collect();
    let specials = ['\'', '(', ')', ',', '<', '>', ';', '=', '.', '9', ' ', 'x', '-', '\\', '\n', ':', '`', '"', '0'];
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..1500 {
        let mut t = text.clone();
        for _ in 0..1 + next() % 3 {
            let i = next() % t.len();
            t[i] = specials[next() % specials.len()];
        }
        let s: String = t.into_iter().collect();
        if let Err(d) = parse_script(&s) {
            assert!(d.span.start.line >= 1 && d.span.start.col >= 1, "{d:?}");
        }
    }
}

#[test]
fn absurd_sizes_are_refused_not_allocated() {
    at_token(
        "CREATE TABLE big (a int) TBLPROPERTIES ('spark.sql.statistics.totalSize'='18446744073709551615')",
        "big",
        C,
        "set 'stagecraft.files'",
    );
    at_token(
        "CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.file_sizes'='8191p,8191p,8191p')",
        "'8191p,8191p,8191p'",
        C,
        "overflow",
    );
    at_token(
        "CREATE TABLE t (a int) TBLPROPERTIES ('stagecraft.rows'='1000000000000', 'stagecraft.row_group_rows'='1')",
        "'1')",
        C,
        "row groups",
    );
    at_token(
        "CREATE TABLE t (a int, p int) PARTITIONED BY (p) TBLPROPERTIES ('stagecraft.partitions.p'='-9223372036854775808..9223372036854775807')",
        "'-9223",
        C,
        "more than 100000 values",
    );
    let deep = format!("CREATE TABLE t (a {}int{})", "array<".repeat(100), ">".repeat(100));
    at(&deep, P, 1, 19 + 6 * 64, "nested deeper than 64");
    // A huge but well-described table is fine.
    let ok = parse_script(
        "CREATE TABLE t (a int) TBLPROPERTIES ('spark.sql.statistics.totalSize'='10000000000000', 'stagecraft.files'='1000')",
    )
    .unwrap();
    assert_eq!(ok.tables[0].files.len(), 1000);
}
