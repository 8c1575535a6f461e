//! Every named limit of `stagecraft::limits` refuses input beyond it with a `Limit` diagnostic that names
//! it and points where it applies; inputs at the limit's scale (1 M tasks) still work.

use stagecraft::error::{Diagnostic, Phase};
use stagecraft::limits::*;
use stagecraft::pipeline;
use stagecraft::scenario::Scenario;
use stagecraft::sim::{simulate, ClusterSpec, JobKind, JobSpec, Schedule, StageSpec, TaskWork};

const CATALOG: &str = "CREATE TABLE t (k bigint, v double) USING parquet TBLPROPERTIES ('spark.sql.statistics.totalSize' = '100000000', 'stagecraft.rows' = '1000000');\n";

fn scenario(query: &str) -> Scenario {
    pipeline::scenario_from_sql(CATALOG, query).unwrap()
}

fn refused(r: Result<impl std::fmt::Debug, Diagnostic>) -> Diagnostic {
    let d = r.unwrap_err();
    assert_eq!(d.phase, Phase::Limit, "{d}");
    d
}

#[test]
fn sql_text_size() {
    let q = format!("SELECT 1 {}", " ".repeat(MAX_SQL_CHARS));
    let d = refused(stagecraft::input::sql::parse_query(&q));
    assert!(d.message.contains(&MAX_SQL_CHARS.to_string()));
    assert_eq!((d.span.start.line, d.span.start.col), (1, 1));
}

#[test]
fn pyspark_text_size() {
    let d = refused(stagecraft::input::pyspark::parse_program(&"x = 1\n".repeat(MAX_PYSPARK_BYTES / 6 + 1)));
    assert!(d.message.contains("too large"));
}

#[test]
fn ddl_text_size() {
    let text = format!("{CATALOG}{}", "-- padding\n".repeat(MAX_DDL_BYTES / 11 + 1));
    let d = refused(stagecraft::input::ddl::parse_script(&text));
    assert!(d.message.contains("MAX_DDL_BYTES"));
}

#[test]
fn tables_per_catalog() {
    let text: String = (0..=MAX_TABLES).map(|i| format!("CREATE TABLE t{i} (k int);\n")).collect();
    let d = refused(stagecraft::input::ddl::parse_script(&text));
    assert!(d.message.contains("MAX_TABLES"), "{d}");
    // The table one too many, on the last line, at its name.
    assert_eq!((d.span.start.line, d.span.start.col), (MAX_TABLES as u32 + 1, 14));
    // A scenario (JSON) with too many tables.
    let mut s = scenario("SELECT 1");
    s.tables = vec![s.tables[0].clone(); MAX_TABLES + 1];
    assert!(refused(pipeline::analyze(&s)).message.contains("MAX_TABLES"));
}

#[test]
fn relations_and_joins_per_query() {
    // MAX_JOINS + 1 joins: refused at the join one too many.
    let joins: String = (1..=MAX_JOINS + 1).map(|i| format!(" JOIN t a{i} ON a0.k = a{i}.k")).collect();
    let d = refused(pipeline::analyze(&scenario(&format!("SELECT a0.k FROM t a0{joins}"))));
    assert!(d.message.contains("MAX_JOINS"), "{d}");
    assert!(d.span.start.col > 1);
    // Relations: a union of MAX_RELATIONS + 1 reads.
    let q = vec!["SELECT k FROM t"; MAX_RELATIONS + 1].join(" UNION ALL ");
    let d = refused(pipeline::analyze(&scenario(&q)));
    assert!(d.message.contains("MAX_RELATIONS"), "{d}");
    assert_eq!(d.span.start.line, 1);
}

#[test]
fn plan_size_through_ctes() {
    // Each CTE reads the previous one twice: 2^k copies. Refused long before memory runs out.
    let mut q = String::from("WITH c0 AS (SELECT k FROM t)");
    for i in 1..30 {
        q.push_str(&format!(", c{i} AS (SELECT a.k FROM c{} a JOIN c{} b ON a.k = b.k)", i - 1, i - 1));
    }
    q.push_str(" SELECT * FROM c29");
    let d = refused(pipeline::analyze(&scenario(&q)));
    assert!(d.message.contains("MAX_PLAN_NODES"), "{d}");
    assert!(!d.span.is_unknown());
}

#[test]
fn plan_depth() {
    // SQL nesting is bounded by the SQL parser's MAX_SQL_DEPTH (tests/sql_errors.rs); plans built otherwise
    // (PySpark chains, views) by check_logical: a plan deeper than MAX_PLAN_DEPTH.
    let a = pipeline::analyze(&scenario("SELECT k FROM t WHERE k > 1")).unwrap();
    let mut p = a.main().unwrap().analyzed.clone();
    for _ in 0..MAX_PLAN_DEPTH {
        p = stagecraft::logical::plan::LogicalPlan::Distinct { child: Box::new(p) };
    }
    let d = refused(check_logical(&p, stagecraft::error::Span::point(3, 4)));
    assert!(d.message.contains("MAX_PLAN_DEPTH"));
    assert_eq!((d.span.start.line, d.span.start.col), (3, 4));
}

#[test]
fn partitions_per_stage() {
    let mut s = scenario("SELECT k, count(*) FROM t GROUP BY k");
    s.confs.insert("spark.sql.adaptive.enabled".into(), "false".into());
    s.confs.insert("spark.sql.shuffle.partitions".into(), (MAX_PARTITIONS as u64 + 1).to_string());
    let d = refused(pipeline::simulate(&s));
    assert!(d.message.contains("MAX_PARTITIONS"), "{d}");
}

#[test]
fn a_million_tasks_plan_and_beyond_max_tasks_is_refused() {
    // One stage of 1,000,000 tasks plans.
    let mut s = scenario("SELECT k, count(*) FROM t GROUP BY k");
    s.confs.insert("spark.sql.adaptive.enabled".into(), "false".into());
    s.confs.insert("spark.sql.shuffle.partitions".into(), MAX_PARTITIONS.to_string());
    let run = pipeline::simulate(&s).unwrap();
    let tasks: u64 = run.report.jobs.iter().flat_map(|j| &j.stages).map(|st| st.num_tasks as u64).sum();
    assert!(tasks > 1_000_000, "{tasks}");
    // Six such stages (aggregates of aggregates, each behind its own exchange) exceed MAX_TASKS (5 M):
    // refused, naming the limit.
    let mut q = "SELECT k AS c0, count(*) AS c1 FROM t GROUP BY k".to_string();
    for _ in 1..6 {
        q = format!("SELECT c1 AS c0, count(*) AS c1 FROM ({q}) GROUP BY c1");
    }
    s.query.text = q;
    let d = refused(pipeline::simulate(&s));
    assert!(d.message.contains("MAX_TASKS"), "{d}");
    // A union of six is one stage of six million tasks (UnionRDD sums its parents' partitions): refused as
    // a stage beyond MAX_PARTITIONS.
    s.query.text = ["SELECT k, count(*) AS n FROM t GROUP BY k"; 6].join(" UNION ALL ");
    let d = refused(pipeline::simulate(&s));
    assert!(d.message.contains("a union with 6000000 partitions") && d.message.contains("MAX_PARTITIONS"), "{d}");
}

#[test]
fn cartesian_product_partitions() {
    // Neither side broadcastable (autoBroadcastJoinThreshold -1): CartesianProduct of 2,000 x 1,000 partitions.
    let mut s = scenario("SELECT * FROM (SELECT /*+ REPARTITION(2000) */ * FROM t) a CROSS JOIN (SELECT /*+ REPARTITION(1000) */ * FROM t) b");
    s.confs.insert("spark.sql.autoBroadcastJoinThreshold".into(), "-1".into());
    let d = refused(pipeline::simulate(&s));
    assert!(d.message.contains("a cartesian product with 2000000 partitions") && d.message.contains("MAX_PARTITIONS"), "{d}");
    // 1,000 x 1,000 is within the limit and plans.
    s.query.text = s.query.text.replace("2000", "1000");
    let run = pipeline::simulate(&s).unwrap();
    assert!(run.report.final_plan.contains("CartesianProduct"), "{}", run.report.final_plan);
}

#[test]
fn simulator_tasks_and_time() {
    // Beyond MAX_TASKS: refused before anything runs.
    let over = Schedule::new(ClusterSpec::new(1, 1), vec![JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, (MAX_TASKS + 1) as u32)])]);
    assert!(refused(simulate(&over)).message.contains(&MAX_TASKS.to_string()));
    // Simulated time: 30 tasks of 10^12 µs each on one slot would take 3·10^13 µs > MAX_SIM_TIME_US.
    let long = TaskWork::cpu_ms(MAX_PHASE_US / 1000);
    let s = Schedule::new(ClusterSpec::new(1, 1), vec![JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, 30).uniform(long)])]);
    let r = simulate(&s).unwrap();
    let ended = r.trace.events.iter().find_map(|e| match e {
        stagecraft::trace::Event::JobEnd(j) => Some(format!("{:?}", j.result)),
        _ => None,
    });
    assert!(ended.unwrap_or_default().contains("MAX_SIM_TIME_US"));
}
