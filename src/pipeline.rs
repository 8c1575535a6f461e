//! The pipeline: the only module that calls every phase in order (input → logical → optimizer →
//! physical → stage → sim → report). The CLI and the view call it; nothing else does.

use crate::conf::SparkConf;
use crate::error::{Diagnostic, Phase, Result, Span};
use crate::input::ddl::{self, ScriptStatement};
use crate::input::sql::{self, Analyzer};
use crate::logical::display::logical_tree;
use crate::logical::expr::IdGen;
use crate::logical::plan::{LogicalPlan, StorageLevel};
use crate::scenario::{Query, Scenario, SCENARIO_VERSION};
use std::collections::BTreeMap;

/// Spark's EXPLAIN modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainMode {
    Simple,
    Extended,
    Formatted,
    Cost,
}

impl ExplainMode {
    pub fn parse(s: &str) -> Option<ExplainMode> {
        match s.to_ascii_lowercase().as_str() {
            "simple" => Some(ExplainMode::Simple),
            "extended" => Some(ExplainMode::Extended),
            "formatted" => Some(ExplainMode::Formatted),
            "cost" => Some(ExplainMode::Cost),
            _ => None,
        }
    }
}

/// What an execution does with its plan (Spark wraps `collect` in `ReturnAnswer`).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Collect,
    /// `df.show(n)`: CollectLimit n+1 over a `toprettystring` projection.
    Show(u32),
    Count,
    WriteNoop,
    /// `CACHE TABLE` / `df.cache()` followed by an action: the cache's materialisation.
    CacheMaterialize,
}

/// One SQL execution (a query run by an action, or a cache materialisation).
#[derive(Debug, Clone)]
pub struct Execution {
    pub description: String,
    pub action: Action,
    /// Spark's "Parsed Logical Plan" text.
    pub parsed: String,
    pub analyzed: LogicalPlan,
    pub optimized: LogicalPlan,
    pub rule_trace: Vec<RuleStep>,
    /// Where the query text starts in its editor pane (for positioning errors and highlights).
    pub source: String,
}

/// Everything planning produced for a scenario.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub conf: SparkConf,
    pub executions: Vec<Execution>,
}

impl Analysis {
    /// The last execution: the one the report's plans describe.
    pub fn main(&self) -> Option<&Execution> {
        self.executions.last()
    }
}

/// Session state while a scenario's statements run: confs, views, cached tables, expression ids.
struct Session {
    conf: SparkConf,
    views: BTreeMap<String, LogicalPlan>,
    ids: IdGen,
    next_cache_id: u32,
}

/// Parses, analyzes and optimizes every statement of the scenario.
pub fn analyze(scenario: &Scenario) -> Result<Analysis> {
    let mut session = Session {
        conf: SparkConf::new(&scenario.confs),
        views: BTreeMap::new(),
        ids: IdGen::default(),
        next_cache_id: 0,
    };
    let mut executions = vec![];
    match scenario.query.lang.as_str() {
        "sql" => {
            for (i, stmt) in scenario.query.setup_sql.iter().enumerate() {
                let src = format!("setup[{i}]");
                run_sql_script(scenario, &mut session, stmt, &src, &mut executions, None)?;
            }
            let action = match scenario.query.action.as_deref() {
                Some("write_noop") => Action::WriteNoop,
                _ => Action::Collect,
            };
            run_sql_script(scenario, &mut session, &scenario.query.text, "query", &mut executions, Some(action))?;
        }
        "pyspark" => {
            return Err(Diagnostic::new(Phase::Parse, "PySpark input is being wired into the planner", Span::point(1, 1)).with_source("query"))
        }
        other => {
            return Err(Diagnostic::new(Phase::Parse, format!("unknown query language `{other}` (sql, pyspark)"), Span::point(1, 1)).with_source("query"))
        }
    }
    if executions.is_empty() {
        return Err(Diagnostic::parse("the query is empty", Span::point(1, 1)).with_source("query"));
    }
    Ok(Analysis { conf: session.conf, executions })
}

fn run_sql_script(scenario: &Scenario, session: &mut Session, text: &str, src: &str, out: &mut Vec<Execution>, action: Option<Action>) -> Result<()> {
    let script = ddl::parse_script(text).map_err(|d| d.with_source(src))?;
    for (k, v, _) in &script.confs {
        session.conf.set(k, v);
    }
    let mut tables = scenario.tables.clone();
    tables.extend(script.tables.iter().cloned());
    let n = script.statements.len();
    for (i, st) in script.statements.iter().enumerate() {
        match st {
            ScriptStatement::Query { text, span } => {
                let plan = analyze_sql(&tables, session, text, span.start).map_err(|d| d.with_source(src))?;
                let act = if i + 1 == n { action.clone().unwrap_or(Action::Collect) } else { Action::Collect };
                out.push(finish(session, text, plan, act, src));
            }
            ScriptStatement::CacheTable { name, lazy, query, span, .. } => {
                let plan = match query {
                    Some((q, qspan)) => analyze_sql(&tables, session, q, qspan.start).map_err(|d| d.with_source(src))?,
                    None => {
                        let key = name.to_ascii_lowercase();
                        match session.views.get(&key).cloned().or_else(|| {
                            let mut ids = session.ids.clone();
                            let r = sql::analyze_query_text(&format!("SELECT * FROM {name}"), scenario, &mut ids).ok();
                            session.ids = ids;
                            r
                        }) {
                            Some(p) => p,
                            None => {
                                return Err(Diagnostic::analysis(format!("[TABLE_OR_VIEW_NOT_FOUND] The table or view `{name}` cannot be found."), *span).with_source(src))
                            }
                        }
                    }
                };
                let cached = cache_plan(session, plan);
                session.views.insert(name.to_ascii_lowercase(), cached.clone());
                if !lazy {
                    // CACHE TABLE is eager: Spark materialises it with a count over the cached plan.
                    out.push(finish(session, &format!("CACHE TABLE {name}"), cached, Action::CacheMaterialize, src));
                }
            }
            ScriptStatement::UncacheTable { name, .. } => {
                session.views.remove(&name.to_ascii_lowercase());
            }
        }
    }
    Ok(())
}

/// Wraps an analyzed plan as a cached relation (`InMemoryRelation`), as `CacheManager.cacheQuery` does.
fn cache_plan(session: &mut Session, plan: LogicalPlan) -> LogicalPlan {
    let (optimized, _) = optimize(session, plan);
    let id = session.next_cache_id;
    session.next_cache_id += 1;
    LogicalPlan::InMemoryRelation { output: optimized.output(), cached: Box::new(optimized), level: StorageLevel::MemoryAndDisk, cache_id: id }
}

fn analyze_sql(tables: &[crate::scenario::Table], session: &mut Session, text: &str, origin: crate::error::Pos) -> Result<LogicalPlan> {
    let shift = |d: Diagnostic| Diagnostic { span: d.span.offset_by(origin), ..d };
    let stmts = sql::parse_statements(text).map_err(shift)?;
    let q = match stmts.as_slice() {
        [sqlparser::ast::Statement::Query(q)] => q.clone(),
        [other] => {
            return Err(shift(Diagnostic::analysis(
                format!("unsupported statement `{}`", other.to_string().split_whitespace().take(2).collect::<Vec<_>>().join(" ")),
                sql::exprs::span_of(other),
            )))
        }
        _ => return Err(shift(Diagnostic::parse("expected one statement", Span::point(1, 1)))),
    };
    let views = session.views.clone();
    let mut analyzer = Analyzer::new(tables, &views, &mut session.ids);
    analyzer.analyze_query(&q).map_err(shift)
}

/// One optimizer step for the rule-trace stepper (until the optimizer lands, the plan is unchanged).
#[derive(Debug, Clone)]
pub struct RuleStep {
    pub rule: String,
    pub plan_after: String,
}

fn optimize(session: &mut Session, plan: LogicalPlan) -> (LogicalPlan, Vec<RuleStep>) {
    let _ = &session.conf;
    (plan, vec![])
}

fn finish(session: &mut Session, text: &str, analyzed: LogicalPlan, action: Action, src: &str) -> Execution {
    let (optimized, rule_trace) = optimize(session, analyzed.clone());
    Execution {
        description: text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(120).collect(),
        action,
        parsed: text.to_string(),
        analyzed,
        optimized,
        rule_trace,
        source: src.to_string(),
    }
}

/// EXPLAIN text of the scenario's (last) query, in Spark's format for `mode`.
pub fn explain(scenario: &Scenario, mode: ExplainMode) -> Result<String> {
    let a = analyze(scenario)?;
    let Some(main) = a.main() else { return Err(Diagnostic::parse("nothing to explain", Span::point(1, 1))) };
    let plain = |p: &LogicalPlan| logical_tree(p, &|_| String::new());
    Ok(match mode {
        ExplainMode::Extended => format!(
            "== Parsed Logical Plan ==\n{}\n\n== Analyzed Logical Plan ==\n{}\n== Optimized Logical Plan ==\n{}",
            main.parsed.trim(),
            plain(&main.analyzed),
            plain(&main.optimized)
        ),
        ExplainMode::Cost => format!(
            "== Optimized Logical Plan ==\n{}",
            logical_tree(&main.optimized, &|p| format!(", {}", crate::logical::stats::stats_text(&crate::logical::stats::stats(p))))
        ),
        _ => format!("== Optimized Logical Plan ==\n{}", plain(&main.optimized)),
    })
}

/// Builds a scenario from catalog DDL text and query text (the CLI's two-file form, the editor panes).
pub fn scenario_from_sql(catalog: &str, query: &str) -> Result<Scenario> {
    let script = ddl::parse_script(catalog).map_err(|d| d.with_source("catalog"))?;
    let mut confs = BTreeMap::new();
    for (k, v, _) in &script.confs {
        confs.insert(k.clone(), v.clone());
    }
    Ok(Scenario {
        scenario_version: SCENARIO_VERSION,
        id: String::new(),
        title: String::new(),
        spark_version: "3.5".into(),
        cluster: Default::default(),
        confs,
        tables: script.tables,
        query: Query { lang: "sql".into(), setup_sql: vec![], text: query.to_string(), action: Some("collect".into()) },
        sim: Default::default(),
    })
}

/// Applies `--set key=value`: a Spark conf (`spark.*`) or a cluster setting (`cluster.*`).
pub fn apply_setting(s: &mut Scenario, key: &str, value: &str) -> std::result::Result<(), String> {
    let num = || value.parse::<u64>().map_err(|_| format!("{key} needs a number, got `{value}`"));
    match key {
        "cluster.executors" => s.cluster.executors = num()?.clamp(1, 10_000) as u32,
        "cluster.cores_per_executor" => s.cluster.cores_per_executor = num()?.clamp(1, 1024) as u32,
        "cluster.executor_memory_mb" => s.cluster.executor_memory_mb = num()?.max(512),
        "cluster.default_parallelism" => s.cluster.default_parallelism = Some(num()?.clamp(1, 1_000_000) as u32),
        k if k.starts_with("spark.") => {
            s.confs.insert(k.to_string(), value.to_string());
        }
        k => return Err(format!("unknown setting `{k}`: use spark.* confs or cluster.executors / cluster.cores_per_executor / cluster.executor_memory_mb / cluster.default_parallelism")),
    }
    Ok(())
}

/// The result of a simulated run: the report and the trace.
#[derive(Debug, Clone)]
pub struct Run {
    pub report: crate::report::Report,
}

impl Run {
    pub fn trace_json(&self) -> String {
        "[]".into()
    }
    pub fn text_summary(&self) -> String {
        format!("{} jobs", self.report.jobs.len())
    }
}

/// Plans and simulates the scenario.
pub fn simulate(scenario: &Scenario) -> Result<Run> {
    let a = analyze(scenario)?;
    let main = a.main().ok_or_else(|| Diagnostic::parse("nothing to run", Span::point(1, 1)))?;
    let report = crate::report::Report {
        initial_plan: logical_tree(&main.optimized, &|_| String::new()),
        final_plan: String::new(),
        sql_executions: a.executions.len(),
        ..Default::default()
    };
    Ok(Run { report })
}
