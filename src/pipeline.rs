//! The pipeline: the only module that calls every phase in order (input → logical → optimizer →
//! physical → stage → sim → report). The CLI and the view call it; nothing else does.

use crate::conf::SparkConf;
use crate::error::{Diagnostic, Phase, Result, Span};
use crate::input::ddl::{self, ScriptStatement};
use crate::input::sql::{self, Analyzer};
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
    /// Spark's "Parsed Logical Plan" text: the unresolved plan where `input::sql::parsed` prints it, else the SQL text.
    pub parsed: String,
    pub analyzed: LogicalPlan,
    pub optimized: LogicalPlan,
    pub rule_trace: Vec<crate::optimizer::RuleStep>,
    /// The physical plan and the decisions behind it (join strategies, DPP, AQE wrapping).
    pub physical: crate::physical::PhysicalPlanning,
    /// Where the query text starts in its editor pane (for positioning errors and highlights).
    pub source: String,
}

/// Everything planning produced for a scenario.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub conf: SparkConf,
    pub executions: Vec<Execution>,
    /// The table name of each cache `CACHE TABLE` made, by cache id.
    pub cache_names: BTreeMap<u32, String>,
    /// A PySpark snippet's RDD jobs, in program order among the executions (`RddJobPlan::after_executions`).
    pub rdd_jobs: Vec<crate::stage::rdd::RddJobPlan>,
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
    /// `CACHE TABLE name`'s cache ids and names (the RDD is named `In-memory table <name>`).
    cache_names: BTreeMap<u32, String>,
}

/// Parses, analyzes and optimizes every statement of the scenario.
pub fn analyze(scenario: &Scenario) -> Result<Analysis> {
    let mut session = Session {
        conf: SparkConf::new(&scenario.confs),
        views: BTreeMap::new(),
        ids: IdGen::default(),
        next_cache_id: 0,
        cache_names: BTreeMap::new(),
    };
    if scenario.tables.len() > crate::limits::MAX_TABLES {
        let msg = format!("the catalog has {} tables; the limit is {} (MAX_TABLES)", scenario.tables.len(), crate::limits::MAX_TABLES);
        return Err(Diagnostic::new(Phase::Limit, msg, Span::point(1, 1)).with_source("catalog"));
    }
    let mut executions = vec![];
    let mut rdd_jobs = vec![];
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
        "pyspark" => run_pyspark(scenario, &mut session, &mut executions, &mut rdd_jobs)?,
        other => {
            return Err(Diagnostic::new(Phase::Parse, format!("unknown query language `{other}` (sql, pyspark)"), Span::point(1, 1)).with_source("query"))
        }
    }
    if executions.is_empty() && rdd_jobs.is_empty() {
        return Err(Diagnostic::parse("the query is empty", Span::point(1, 1)).with_source("query"));
    }
    Ok(Analysis { conf: session.conf, executions, cache_names: session.cache_names, rdd_jobs })
}

/// Runs a PySpark snippet after the setup SQL: every DataFrame action is one execution, in order,
/// optimized with the confs of its moment, sharing the session's ids, views and caches. A snippet whose
/// only output is `explain()` shows the last explained plan. Every RDD action is an RDD job in program
/// order (`stage::rdd_cost` estimates its work); a `df.rdd` plan a job computes is planned as an
/// execution placed right before it, which `stage::rdd_merge` folds into the job.
fn run_pyspark(scenario: &Scenario, session: &mut Session, out: &mut Vec<Execution>, rdd_jobs: &mut Vec<crate::stage::rdd::RddJobPlan>) -> Result<()> {
    use crate::input::pyspark::lower::{self as py, Host, PyAction, Step};
    use crate::input::pyspark::rdd::RddGraph;
    use crate::stage::rdd_cost::{self, Est};
    struct PyHost<'s> {
        scenario: &'s Scenario,
        session: &'s mut Session,
        out: &'s mut Vec<Execution>,
        rdd_jobs: &'s mut Vec<crate::stage::rdd::RddJobPlan>,
        /// Sizes the lineage cannot tell: `df.rdd` plans (from the data model), checkpointed RDDs.
        known: BTreeMap<usize, Est>,
        /// `SQLExecutionRDD` node → the execution planned for it (later jobs read it again).
        fused: BTreeMap<usize, usize>,
        error: Option<Diagnostic>,
    }
    impl PyHost<'_> {
        /// Plans `plan` as the execution `df.rdd` runs, without moving the session's expression ids.
        fn plan_df_rdd(&mut self, plan: &LogicalPlan, what: &str) -> Result<Execution> {
            let saved = self.session.ids.clone();
            let r = finish(self.scenario, self.session, what, plan.clone(), Action::Collect, "query");
            self.session.ids = saved;
            r
        }
        fn rdd_job(&mut self, job: &py::RddJob, rdds: &RddGraph) -> Result<()> {
            let mut sql = vec![];
            // A plan an earlier job ran is listed again (skipped) under the stage reading it, run or not.
            for st in &job.stages {
                for leaf in rdd_cost::sql_leaves(rdds, st, &job.cached_before) {
                    let Some(plan) = rdds.node(leaf).plan.as_ref() else { continue };
                    if let Some(&e) = self.fused.get(&leaf) {
                        if !sql.iter().any(|(x, _)| *x == e) {
                            sql.push((e, st.stage_id));
                        }
                        continue;
                    }
                    if st.skipped {
                        continue;
                    }
                    let e = self.plan_df_rdd(plan, &format!("{} (df.rdd)", job.site))?;
                    let model = crate::stage::estimate::Model::new(self.scenario);
                    let rows = model.rows(&e.physical.plan);
                    let bytes = rows * model.row_bytes(&e.physical.plan.output());
                    self.known.insert(leaf, Est { records: rows, bytes });
                    self.out.push(e);
                    self.fused.insert(leaf, self.out.len() - 1);
                    sql.push((self.out.len() - 1, st.stage_id));
                }
            }
            let mut plan = rdd_cost::plan_job(rdds, job, &self.scenario.tables, &self.known);
            plan.after_executions = self.out.len();
            plan.sql = sql;
            if job.action == "checkpoint" {
                let size = rdd_cost::Sizer::new(rdds, &self.scenario.tables, &self.known).size(job.root);
                self.known.insert(job.root, size);
            }
            self.rdd_jobs.push(plan);
            Ok(())
        }
    }
    impl Host for PyHost<'_> {
        fn ids(&mut self) -> &mut IdGen {
            &mut self.session.ids
        }
        fn cache(&mut self, plan: LogicalPlan, level: StorageLevel) -> LogicalPlan {
            cache_plan(self.session, plan, level)
        }
        fn set_conf(&mut self, key: &str, value: &str) {
            self.session.conf.set(key, value);
        }
        fn conf(&self, key: &str) -> Option<String> {
            self.session.conf.get(key).map(str::to_string)
        }
        fn plan_partitions(&mut self, plan: &LogicalPlan) -> Option<u32> {
            let e = self.plan_df_rdd(plan, "df.rdd").ok()?;
            let shape = crate::stage::run_shape(std::slice::from_ref(&e), self.scenario, &self.session.conf);
            shape.jobs.last()?.stages.last().map(|s| s.num_tasks)
        }
        fn step(&mut self, step: &Step, rdds: &RddGraph) {
            if let Step::Rdd(job) = step {
                if self.error.is_none() {
                    if let Err(d) = self.rdd_job(job, rdds) {
                        self.error = Some(d);
                    }
                }
            }
            if let Step::Sql(x) = step {
                let action = match x.action {
                    PyAction::Show(n) => Action::Show(n),
                    PyAction::Count => Action::Count,
                    PyAction::WriteNoop => Action::WriteNoop,
                    PyAction::CacheMaterialize => Action::CacheMaterialize,
                    PyAction::Collect | PyAction::Write => Action::Collect,
                };
                if self.error.is_some() {
                    return;
                }
                match finish(self.scenario, self.session, &x.description, x.plan.clone(), action, "query") {
                    Ok(e) => self.out.push(e),
                    Err(d) => self.error = Some(d),
                }
            }
        }
    }
    for (i, stmt) in scenario.query.setup_sql.iter().enumerate() {
        run_sql_script(scenario, session, stmt, &format!("setup[{i}]"), out, None)?;
    }
    let opts = py::LowerOptions {
        time_zone: session.conf.get("spark.sql.session.timeZone").unwrap_or("UTC").to_string(),
        default_parallelism: scenario.cluster.default_parallelism(),
        explicit_default_parallelism: scenario.cluster.default_parallelism.or_else(|| session.conf.get("spark.default.parallelism").and_then(|v| v.parse().ok())),
    };
    let views = session.views.clone();
    let before = out.len();
    let mut host = PyHost { scenario, session: &mut *session, out: &mut *out, rdd_jobs: &mut *rdd_jobs, known: BTreeMap::new(), fused: BTreeMap::new(), error: None };
    let lowered = py::lower_source(&scenario.query.text, &scenario.tables, &views, &opts, &mut host).map_err(|d| d.with_source("query"))?;
    if let Some(d) = host.error {
        return Err(d);
    }
    if out.len() == before && rdd_jobs.is_empty() {
        if let Some(Step::Explain { plan, .. }) = lowered.steps.iter().rev().find(|s| matches!(s, Step::Explain { .. })) {
            out.push(finish(scenario, session, "explain()", plan.clone(), Action::Collect, "query")?);
        }
    }
    Ok(())
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
                let mut exec = finish(scenario, session, text, plan, act, src)?;
                exec.parsed = parsed_text(text, &exec.analyzed);
                out.push(exec);
            }
            ScriptStatement::CacheTable { name, lazy, options, query, span } => {
                // `OPTIONS ('storageLevel' 'DISK_ONLY')`; Spark refuses a level it does not know.
                let level = match options.iter().find(|(k, _)| k.eq_ignore_ascii_case("storageLevel")) {
                    None => StorageLevel::MemoryAndDisk,
                    Some((_, v)) => StorageLevel::parse(v).ok_or_else(|| Diagnostic::analysis(format!("Invalid StorageLevel: {v}"), *span).with_source(src))?,
                };
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
                let cached = cache_plan(session, plan, level);
                if let LogicalPlan::InMemoryRelation { cache_id, .. } = &cached {
                    session.cache_names.insert(*cache_id, name.clone());
                }
                session.views.insert(name.to_ascii_lowercase(), cached.clone());
                if !lazy {
                    // CACHE TABLE is eager: Spark materialises it with a count over the cached plan.
                    out.push(finish(scenario, session, &format!("CACHE TABLE {name}"), cached, Action::CacheMaterialize, src)?);
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
fn cache_plan(session: &mut Session, plan: LogicalPlan, level: StorageLevel) -> LogicalPlan {
    let (optimized, _) = optimize(session, plan);
    let id = session.next_cache_id;
    session.next_cache_id += 1;
    LogicalPlan::InMemoryRelation { output: optimized.output(), cached: Box::new(optimized), level, cache_id: id }
}

fn analyze_sql(tables: &[crate::scenario::Table], session: &mut Session, text: &str, origin: crate::error::Pos) -> Result<LogicalPlan> {
    let shift = |d: Diagnostic| Diagnostic { span: d.span.offset_by(origin), ..d };
    let q = sql::parse_query(text).map_err(shift)?;
    let views = session.views.clone();
    let mut analyzer = Analyzer::new(tables, &views, &mut session.ids);
    let plan = analyzer.analyze_query(&q).map_err(shift)?;
    crate::limits::check_logical(&plan, Span::point(origin.line, origin.col))?;
    Ok(plan)
}

fn optimize(session: &mut Session, plan: LogicalPlan) -> (LogicalPlan, Vec<crate::optimizer::RuleStep>) {
    let mut ctx = crate::optimizer::OptimizerContext { conf: &session.conf, ids: &mut session.ids };
    crate::optimizer::optimize(&plan, &mut ctx)
}

/// The `== Parsed Logical Plan ==` text of an analyzed SQL query: Spark's unresolved plan where its
/// printed form is verified (`input::sql::parsed`), otherwise the SQL text itself.
/// A select alias's id is the one the analyzed plan carries for that name (Spark's analyzer keeps the
/// parse-time id); a name aliased with two different ids there is ambiguous and gives no text.
fn parsed_text(text: &str, analyzed: &LogicalPlan) -> String {
    let mut ids: BTreeMap<String, Option<crate::logical::expr::ExprId>> = BTreeMap::new();
    analyzed.walk(&mut |p| {
        for e in p.expressions() {
            e.walk(&mut |x| {
                if let crate::logical::expr::Expr::Alias { name, id, .. } = x {
                    ids.entry(name.clone()).and_modify(|v| if *v != Some(*id) { *v = None }).or_insert(Some(*id));
                }
            });
        }
    });
    let alias_id = |n: &str| ids.get(n).copied().flatten();
    crate::input::sql::parse_query(text)
        .ok()
        .and_then(|q| crate::input::sql::parsed::parsed_plan_text_with_ids(&q, &alias_id))
        .unwrap_or_else(|| text.to_string())
}

fn finish(scenario: &Scenario, session: &mut Session, text: &str, analyzed: LogicalPlan, action: Action, src: &str) -> Result<Execution> {
    // `write.format("noop")` plans the query under Spark's no-op V2 write.
    let analyzed = match action {
        Action::WriteNoop if !matches!(analyzed, LogicalPlan::WriteNoop { .. }) => LogicalPlan::WriteNoop { child: Box::new(analyzed) },
        _ => analyzed,
    };
    // SQL was checked where its text starts (analyze_sql); PySpark plans are checked here.
    crate::limits::check_logical(&analyzed, Span::point(1, 1)).map_err(|d| d.with_source(src))?;
    let (optimized, rule_trace) = optimize(session, analyzed.clone());
    let physical = crate::physical::plan(&optimized, &session.conf, scenario).map_err(|d| d.with_source(src))?;
    crate::limits::check_physical(&physical.plan, Span::point(1, 1)).map_err(|d| d.with_source(src))?;
    Ok(Execution {
        description: text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(120).collect(),
        action,
        parsed: text.to_string(),
        analyzed,
        optimized,
        rule_trace,
        physical,
        source: src.to_string(),
    })
}

/// EXPLAIN text of the scenario's (last) query, in Spark's format for `mode`.
pub fn explain(scenario: &Scenario, mode: ExplainMode) -> Result<String> {
    explain_analysis(&analyze(scenario)?, mode)
}

/// [`explain`] and [`simulate`] on one analysis (what an edit in the app needs: analysing once, not twice).
pub fn explain_and_simulate(scenario: &Scenario, mode: ExplainMode) -> Result<(String, Run)> {
    let a = analyze(scenario)?;
    Ok((explain_analysis(&a, mode)?, simulate_analysis(scenario, &a)?))
}

/// The last execution's logical plans as tree texts, for the plan graphs (`crate::plan_graph`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogicalTexts {
    /// As EXPLAIN EXTENDED prints it: the unresolved plan, or the SQL text (`plan_graph::is_tree` tells).
    pub parsed: String,
    /// The analyzed and optimized plans with each node's `Statistics(...)`, as EXPLAIN COST prints them.
    pub analyzed: String,
    pub optimized: String,
}

impl LogicalTexts {
    pub fn of(e: &Execution) -> LogicalTexts {
        use crate::physical::explain::with_stats;
        LogicalTexts { parsed: e.parsed.trim().to_string(), analyzed: with_stats(&e.analyzed), optimized: with_stats(&e.optimized) }
    }
}

/// [`explain_and_simulate`] plus the optimizer's rule trace of the last execution, each rule with the line
/// diff of the plan it changed (the app's rule stepper), and its logical plans' texts.
pub fn explain_simulate_and_trace_rules(scenario: &Scenario, mode: ExplainMode) -> Result<(String, Run, Vec<crate::optimizer::rule_diff::RuleDiff>, LogicalTexts)> {
    let a = analyze(scenario)?;
    let rules = a.main().map(|m| crate::optimizer::rule_diff::rule_diffs(&m.analyzed.to_string(), &m.rule_trace)).unwrap_or_default();
    let texts = a.main().map(LogicalTexts::of).unwrap_or_default();
    Ok((explain_analysis(&a, mode)?, simulate_analysis(scenario, &a)?, rules, texts))
}

fn explain_analysis(a: &Analysis, mode: ExplainMode) -> Result<String> {
    use crate::physical::explain::{self, Mode};
    let Some(main) = a.main() else {
        // An RDD-only snippet has no query plan: its last job's lineage is what Spark can show.
        return match a.rdd_jobs.last() {
            Some(j) => Ok(j.lineage.clone()),
            None => Err(Diagnostic::parse("nothing to explain", Span::point(1, 1))),
        };
    };
    let m = match mode {
        ExplainMode::Simple => Mode::Simple,
        ExplainMode::Extended => Mode::Extended,
        ExplainMode::Formatted => Mode::Formatted,
        ExplainMode::Cost => Mode::Cost,
    };
    Ok(explain::explain(m, &main.optimized, main.parsed.trim(), &explain::analyzed_text(&main.analyzed), &main.physical))
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

/// The result of a simulated run: the fidelity report (from the planned jobs and stages), the schedule
/// handed to the simulator, and what the simulator produced (trace and Spark-UI summaries).
#[derive(Debug, Clone)]
pub struct Run {
    pub report: crate::report::Report,
    pub schedule: crate::sim::Schedule,
    pub sim: crate::sim::SimResult,
    /// The Storage tab: the cached RDDs at the end of the run.
    pub storage: Vec<crate::trace::storage::RddStorageInfo>,
    /// The Skew tab: the hash shuffles the run wrote, with their hot keys and the stages reading them.
    pub skew_keys: Vec<crate::stage::hot_keys::ShuffleKeys>,
}

impl Run {
    /// The SparkListener trace as JSON (deterministic: same scenario and seed, same bytes).
    pub fn trace_json(&self) -> String {
        self.sim.trace.to_json()
    }

    /// A multi-line summary: jobs, stages with task counts and duration quantiles, skew, AQE updates.
    pub fn text_summary(&self) -> String {
        summary_text(&self.schedule, &self.sim, &self.report.rdd_jobs)
    }
}

fn ms(us: u64) -> String {
    if us >= 10_000_000 {
        format!("{:.1} s", us as f64 / 1e6)
    } else {
        format!("{} ms", us / 1000)
    }
}

fn summary_text(schedule: &crate::sim::Schedule, sim: &crate::sim::SimResult, rdd_jobs: &[crate::report::RddJobReport]) -> String {
    use crate::conf::bytes_to_string;
    use crate::trace::summary::StageStatus;
    use std::fmt::Write;
    let mut out = String::new();
    let c = &schedule.cluster;
    let _ = writeln!(
        out,
        "{} jobs, {} stages run, simulated time {} on {} executor(s) x {} cores (seed {})",
        sim.jobs.len(),
        sim.stages.iter().filter(|s| s.status == StageStatus::Completed).count(),
        ms(sim.total_time),
        c.executors,
        c.cores_per_executor,
        schedule.options.seed
    );
    let mut listed = std::collections::BTreeSet::new();
    for job in &schedule.jobs {
        for u in &job.aqe_before {
            let _ = writeln!(out, "AQE before job {}: {}", job.job_id, u.description);
            for w in &u.why {
                let _ = writeln!(out, "    {w}");
            }
        }
        let js = sim.job(job.job_id);
        let span = js.and_then(|j| Some(j.completion_time? - j.submission_time?)).map(ms).unwrap_or_else(|| "-".into());
        let status = js
            .map(|j| match j.status {
                crate::trace::summary::JobStatus::Succeeded => "succeeded",
                crate::trace::summary::JobStatus::Failed => "failed",
                crate::trace::summary::JobStatus::Unfinished => "unfinished",
                crate::trace::summary::JobStatus::NotRun => "not run",
            })
            .unwrap_or("not run");
        let rdd = rdd_jobs.iter().find(|r| r.job_id == job.job_id);
        match rdd {
            Some(r) => {
                let _ = writeln!(out, "job {} ({:?}, RDD job: {}) {status}, {span}", job.job_id, job.kind, r.site);
                let _ = writeln!(out, "  lineage (toDebugString):");
                for l in r.lineage.lines() {
                    let _ = writeln!(out, "    {l}");
                }
            }
            None => {
                let _ = writeln!(out, "job {} ({:?}) {status}, {span}", job.job_id, job.kind);
            }
        }
        if let Some(reason) = js.and_then(|j| j.failure_reason.as_deref()) {
            let _ = writeln!(out, "  failure: {reason}");
        }
        let after: Vec<String> = job.aqe_after.iter().map(|u| format!("AQE after job {}: {} ({})", job.job_id, u.description, u.why.join("; "))).collect();
        for st in &job.stages {
            // An RDD job re-lists a map stage an earlier job ran under the same id, as skipped.
            let relisted = !listed.insert(st.stage_id) && st.status_hint == crate::sim::StageHint::Skipped;
            let Some(s) = sim.stage(st.stage_id).filter(|s| s.status != StageStatus::Skipped && !relisted) else {
                let named = if rdd.is_some() { format!(" ({})", st.name) } else { String::new() };
                let _ = writeln!(out, "  stage {}{named}: {} tasks, skipped", st.stage_id, st.num_tasks);
                continue;
            };
            let mut parts = vec![format!("{} tasks, {:?}", s.num_tasks, s.status).to_lowercase()];
            if let (Some(a), Some(b)) = (s.submission_time, s.completion_time) {
                parts[0] += &format!(", {}", ms(b - a));
            }
            if let Some(q) = s.task_duration_ms {
                parts.push(format!("task ms min/median/max {}/{}/{}", q.min, q.p50, q.max));
            }
            let t = &s.totals;
            let mut io = vec![];
            if t.input_bytes > 0 {
                io.push(format!("input {}", bytes_to_string(t.input_bytes as u128)));
            }
            if t.shuffle_read_bytes > 0 {
                io.push(format!("shuffle read {}", bytes_to_string(t.shuffle_read_bytes as u128)));
            }
            if t.shuffle_write_bytes > 0 {
                io.push(format!("shuffle write {}", bytes_to_string(t.shuffle_write_bytes as u128)));
            }
            if !io.is_empty() {
                parts.push(io.join(", "));
            }
            let named = if rdd.is_some() { format!(" ({})", st.name) } else { String::new() };
            let _ = writeln!(out, "  stage {}{named}: {}", s.stage_id, parts.join("; "));
            let extra: Vec<String> = [(s.tasks_failed, "failed"), (s.tasks_killed, "killed"), (s.tasks_speculative, "speculative")]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, w)| format!("{n} {w}"))
                .collect();
            if !extra.is_empty() || s.attempts > 1 {
                let _ = writeln!(out, "    stage attempts {}; tasks {}", s.attempts, if extra.is_empty() { "all succeeded".to_string() } else { extra.join(", ") });
            }
            let mut sizes = sim.trace.shuffle_read_sizes(s.stage_id);
            if sizes.len() > 1 && sizes.iter().any(|&b| b > 0) {
                if let Some(q) = crate::trace::summary::quantiles(&mut sizes) {
                    let ratio = if q.p50 > 0 { format!("{:.1}x", q.max as f64 / q.p50 as f64) } else { "∞".into() };
                    let _ = writeln!(
                        out,
                        "    partition skew: max {} / median {} = {ratio}",
                        bytes_to_string(q.max as u128),
                        bytes_to_string(q.p50 as u128)
                    );
                }
            }
        }
        for line in after {
            let _ = writeln!(out, "{line}");
        }
    }
    for e in &sim.executors {
        if let Some(t) = e.removed_time {
            let _ = writeln!(out, "executor {} removed at {}", e.executor_id, ms(t));
        }
    }
    out.trim_end().to_string()
}

/// The Storage tab of a simulated analysis: every cached relation the physical plans scan (cached plans
/// inside cached plans too), named as Spark's `CachedRDDBuilder.cachedName` names its RDD, placed by
/// `trace::storage` in each executor's unified memory.
fn storage_of(a: &Analysis, schedule: &crate::sim::Schedule, sim: &crate::sim::SimResult) -> Vec<crate::trace::storage::RddStorageInfo> {
    use crate::physical::plan::{Op, SparkPlan};
    use crate::trace::storage::CacheDecl;
    fn collect(p: &SparkPlan, names: &BTreeMap<u32, String>, out: &mut BTreeMap<u32, CacheDecl>) {
        p.walk_with_subqueries(&mut |n| {
            if let Op::InMemoryTableScan { level, cache_id, cached, .. } = &n.op {
                if !out.contains_key(cache_id) {
                    let name = match names.get(cache_id) {
                        Some(t) => format!("In-memory table {t}"),
                        None => abbreviate(crate::physical::explain::tree_string(cached).trim_end(), 1024),
                    };
                    out.insert(*cache_id, CacheDecl { rdd_id: *cache_id, name, level: *level });
                    collect(cached, names, out);
                }
            }
        });
    }
    let mut decls = BTreeMap::new();
    for e in &a.executions {
        collect(&e.physical.plan, &a.cache_names, &mut decls);
    }
    let decls: Vec<CacheDecl> = decls.into_values().collect();
    let c = &schedule.cluster;
    let o = &schedule.options;
    let memory = crate::sim::memory::MemoryModel::new(c.executor_memory_mb, o.memory_fraction, o.memory_storage_fraction, c.slots_per_executor());
    crate::trace::storage::storage_info(&decls, &schedule.jobs, &sim.cached_blocks, memory.unified_bytes)
}

/// Commons Lang's `StringUtils.abbreviate(s, max)`: `s` if it fits, else its first `max − 3` characters and `...`.
fn abbreviate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(3)).collect();
    out.push_str("...");
    out
}

/// Plans and simulates the scenario.
pub fn simulate(scenario: &Scenario) -> Result<Run> {
    simulate_analysis(scenario, &analyze(scenario)?)
}

fn simulate_analysis(scenario: &Scenario, a: &Analysis) -> Result<Run> {
    if a.executions.is_empty() && a.rdd_jobs.is_empty() {
        return Err(Diagnostic::parse("nothing to run", Span::point(1, 1)));
    }
    let shape = crate::stage::run_shape(&a.executions, scenario, &a.conf);
    crate::limits::check_tasks(&shape.jobs, Span::point(1, 1)).map_err(|d| d.with_source("query"))?;
    let mut report = match a.main() {
        Some(main) => plan_report(&shape, main, a.executions.len() - 1),
        None => crate::report::Report::default(),
    };
    let mut schedule = crate::stage::schedule::build(&a.executions, &shape, scenario, &a.conf)?;
    report.jobs = shape.jobs.clone();
    let mut skew_keys = crate::stage::hot_keys::of_run(&shape, &schedule, scenario);
    // A `df.rdd` plan runs under RDD jobs, not as a SQL execution of its own.
    let under_rdd = crate::sort::set_of(a.rdd_jobs.iter().flat_map(|j| j.sql.iter().map(|(e, _)| *e)));
    report.sql_executions = a.executions.len().saturating_sub(under_rdd.len());
    if !a.rdd_jobs.is_empty() {
        let merged = crate::stage::rdd_merge::merge(a.executions.len(), &shape, std::mem::take(&mut schedule.jobs), &a.rdd_jobs);
        schedule.jobs = merged.specs;
        report.jobs = merged.reports;
        report.rdd_jobs = merged
            .rdd_job_ids
            .iter()
            .filter_map(|&(job_id, k)| a.rdd_jobs.get(k).map(|j| crate::report::RddJobReport { job_id, site: j.site.clone(), lineage: j.lineage.clone() }))
            .collect();
        crate::limits::check_tasks(&report.jobs, Span::point(1, 1)).map_err(|d| d.with_source("query"))?;
    }
    let sim = crate::sim::simulate(&schedule)?;
    let storage = storage_of(a, &schedule, &sim);
    crate::stage::hot_keys::add_readers(&schedule, &mut skew_keys);
    Ok(Run { report, schedule, sim, storage, skew_keys })
}

/// The report's plans and joins: the last execution's, before and after AQE (jobs are filled by the caller).
fn plan_report(shape: &crate::stage::RunShape, main: &Execution, last: usize) -> crate::report::Report {
    let plan_text = crate::physical::explain::tree_string(&main.physical.plan);
    let adaptive = shape.adaptive_plan(last, &main.physical.plan);
    let (final_plan, reads) = crate::stage::final_plan(&adaptive, shape.reads.get(last).unwrap_or(&Default::default()));
    let final_text = crate::physical::explain::tree_string(&final_plan);
    let report_join = |j: &crate::physical::plan::JoinDecision, skew_join: bool| crate::report::JoinReport {
        strategy: j.strategy.clone(),
        join_type: j.join_type.clone(),
        build_side: j.build_side.map(|b| b.name().to_string()),
        skew_join,
        why: j.why.clone(),
    };
    let joins: Vec<crate::report::JoinReport> = main.physical.joins.iter().map(|j| report_join(j, false)).collect();
    // AQE's runtime re-planning (SMJ → BHJ/SHJ, skew splits), matched to the initial decisions.
    // Joins AQEPropagateEmptyRelation replaced are not in the final plan.
    let mut changes = shape.join_changes.get(last).cloned().unwrap_or_default();
    let mut removed: Vec<crate::physical::plan::JoinDecision> = changes.iter().filter(|c| c.removed).map(|c| c.before.clone()).collect();
    changes.retain(|c| !c.removed);
    let joins_final: Vec<crate::report::JoinReport> = main
        .physical
        .joins
        .iter()
        .filter_map(|j| {
            let (d, skew) = match changes.iter().position(|c| c.before == *j) {
                Some(i) => {
                    let c = changes.remove(i);
                    (c.after, c.skew)
                }
                None => (j.clone(), false),
            };
            match removed.iter().position(|r| *r == d) {
                Some(k) => {
                    removed.remove(k);
                    None
                }
                None => Some(report_join(&d, skew)),
            }
        })
        .collect();
    crate::report::Report {
        initial_plan: plan_text,
        final_plan: final_text,
        joins_initial: joins,
        joins_final,
        jobs: vec![],
        aqe_shuffle_reads: reads.into_iter().map(|(desc, partitions)| crate::report::ShuffleReadReport { desc, partitions }).collect(),
        dynamic_partition_pruning: main.physical.dynamic_partition_pruning,
        sql_executions: 0,
        rdd_jobs: vec![],
    }
}
