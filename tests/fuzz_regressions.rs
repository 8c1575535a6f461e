//! Inputs the fuzz targets (fuzz/, `scripts/fuzz.sh`) found crashing the core, each replayed through the
//! same entry point as its target: every one must now give a result or a positioned diagnostic, not panic.

#[path = "support/scenario_gen.rs"]
mod scenario_gen;

use stagecraft::input::catalogs;
use stagecraft::pipeline;
use stagecraft::scenario::Scenario;

/// The `sql` target's harness: parse, then analyze against the retail catalog.
fn sql(text: &str) -> Result<(), stagecraft::error::Diagnostic> {
    stagecraft::input::sql::parse_query(text)?;
    let mut s = pipeline::scenario_from_sql("", "SELECT 1").unwrap();
    s.tables = catalogs::retail();
    s.query.text = text.to_string();
    pipeline::analyze(&s).map(|_| ())
}

#[allow(dead_code)]
fn scenario_json(text: &str) -> Result<(), String> {
    let s = Scenario::from_json(text)?;
    pipeline::simulate(&s).map(|_| ()).map_err(|d| d.to_string())
}

/// sql, 2026-11-21: a decimal literal of 100+ digits wrapped its precision (`as u8`) below its scale, and
/// type widening subtracted scale from precision with overflow (`logical/types.rs`).
#[test]
fn sql_decimal_literal_longer_than_38_digits() {
    let q = "SELECT 66-6-65&6600000&000000000000000000000000000000000000000000000000000000000000.1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111116+665-66767";
    let d = sql(q).unwrap_err();
    assert!(d.message.contains("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION"), "{d}");
    assert_eq!((d.span.start.line, d.span.start.col), (1, 24), "the literal starts at 1:24");
    // The second run (old binary, fork mode) found the same overflow through another literal: 56 digits.
    let q2 = "SELECT 66-6-200000000000000000.00000000000000000000200000000000000000000000000000000-76670000.6+665-665-6-7467";
    assert!(sql(q2).unwrap_err().message.contains("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION"));
    // 38 digits are still a decimal(38, s).
    sql(&format!("SELECT 1.{} + 1", "1".repeat(37))).unwrap();
}

/// Found by reading the same code: `CAST(x AS DECIMAL(5, 10))` (scale above precision) must not reach the
/// same subtraction.
#[test]
fn sql_decimal_type_with_scale_above_precision() {
    let _ = sql("SELECT CAST(1 AS DECIMAL(5, 10)) + 1, floor(CAST(1 AS DECIMAL(2, 9)))");
    let _ = sql("SELECT CAST(1 AS DECIMAL(0, 0)) + CAST(2 AS DECIMAL(200, 100))");
}

/// The `pipeline` target, a timeout (34 s for one input): a chain of skewed left outer joins on a one-value key
/// (three 300 M-row tables) splits the last join's read into 255,881 pieces over 3,239 map tasks, and each
/// piece's bytes re-read its reducer's block sizes (quadratic). Pieces now share one prefix sum per reducer.
#[test]
fn pipeline_skew_split_into_a_quarter_million_pieces_plans_quickly() {
    let bytes: Vec<u8> = vec![255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,116,116,116,116,116,116,116,126,116,116,116,116,116,116,255,6,0,0,0,0,0,0,0,255,255,255,255,255,255,255,255,255,255,255,255,116,116,234,234,255,255,255,255,255,255,255,241,218,255,255,255,255,255,255,255,255,251,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255];
    let (s, _) = scenario_gen::scenario(&mut scenario_gen::Bytes::new(&bytes));
    let run = pipeline::simulate(&s).expect("plans");
    let tasks: u64 = run.report.jobs.iter().flat_map(|j| &j.stages).map(|st| st.num_tasks as u64).sum();
    assert!(tasks > 200_000, "{tasks}");
    assert!(run.report.final_plan.contains("AQEShuffleRead skewed"));
}

/// The `pipeline` target, out of memory (a 9 GB allocation; the target's limit is 2 GB), found 2026-11-21: three
/// 8 GiB tables cross-joined (AQE off) make a CartesianProduct of 1,024 x 1,024 x 1,024 scan partitions, and the
/// stage cutter sized its shuffle per map task before the task limit was checked. The physical limits now count
/// a CartesianProduct's partitions (left x right, as CartesianRDD) and a Union's (the sum): a `Limit` diagnostic.
#[test]
fn pipeline_oom_042dbda9() {
    let bytes: Vec<u8> = vec![7,7,7,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,191,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,74,6,0,74,74,74,74,74,74,74,74,74,74,7,7,7,7,7,74];
    let (s, _) = scenario_gen::scenario(&mut scenario_gen::Bytes::new(&bytes));
    let err = pipeline::simulate(&s).err().expect("refused by a limit");
    assert_eq!(err.phase, stagecraft::error::Phase::Limit, "{}", err.message);
    assert!(err.message.contains("a cartesian product with"), "{}", err.message);
    assert!(err.message.contains("MAX_PARTITIONS"), "{}", err.message);
}
