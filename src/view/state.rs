//! The app's single state and its closed set of actions (a Yew `Reducible`): the editor texts (the query in
//! its language, SQL or PySpark, and the text last written in the other one), the cluster
//! and what-if knobs, the EXPLAIN mode, the last good results (plan text, report, simulation), the pinned A
//! run, the open tab and the current problem. It turns the editor texts into a `Scenario` and asks
//! `crate::pipeline` for the plan and run; it knows nothing of the DOM, and nothing of planning beyond that.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::error::Diagnostic;
use crate::pipeline::{self, ExplainMode};
use crate::report::Report;
use crate::scenario::{Scenario, Table};
use crate::sim::SimResult;

/// The right-hand tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Plans,
    Stages,
    Timeline,
    SparkUi,
    Skew,
    Examples,
    /// The presenter view (full window, not a tab of the results panel).
    Interview,
}

/// One good run: what the tabs show, and what A/B compares.
#[derive(Debug, Clone)]
pub struct Out {
    pub report: Rc<Report>,
    pub sim: Rc<SimResult>,
    pub scenario: Rc<Scenario>,
    /// The stage that runs each node of the final plan's graph (`crate::select`).
    pub node_stage: Rc<[Option<u32>]>,
    /// The optimizer rules that changed the plan, with their diffs (the Plans tab's rule stepper).
    pub rules: Rc<[crate::optimizer::rule_diff::RuleDiff]>,
    /// The parsed, analyzed and optimized plans' texts (the Plans tab's graphs).
    pub logical: Rc<pipeline::LogicalTexts>,
    /// The Storage tab: the cached RDDs at the end of the run.
    pub storage: Rc<[crate::trace::storage::RddStorageInfo]>,
    /// The Skew tab: the hash shuffles the run wrote, with their hot keys and readers.
    pub skew_keys: Rc<[crate::stage::hot_keys::ShuffleKeys]>,
}

/// The query editor's language (`Scenario::query.lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sql,
    PySpark,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sql, Lang::PySpark];

    /// As the page names it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Sql => "SQL",
            Lang::PySpark => "PySpark",
        }
    }

    /// As a scenario (and a share link) names it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sql => "sql",
            Lang::PySpark => "pyspark",
        }
    }

    /// PySpark for `pyspark`, else SQL (the pipeline refuses any other language anyway).
    fn of(code: &str) -> Lang {
        if code == "pyspark" { Lang::PySpark } else { Lang::Sql }
    }
}

/// Which editor a text or a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Query,
    Catalog,
    Confs,
}

/// A positioned message for one editor (1-based lines and columns in characters; line 0 = no position).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub pane: Pane,
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
    pub message: String,
}

impl Problem {
    fn at(pane: Pane, line: u32, col: u32, message: impl Into<String>) -> Problem {
        Problem {
            pane,
            line,
            col,
            end_line: line,
            end_col: col,
            message: message.into(),
        }
    }

    fn from_diagnostic(d: &Diagnostic) -> Problem {
        let pane = match d.source.as_str() {
            "catalog" => Pane::Catalog,
            "confs" => Pane::Confs,
            _ => Pane::Query,
        };
        Problem {
            pane,
            line: d.span.start.line,
            col: d.span.start.col,
            end_line: d.span.end.line,
            end_col: d.span.end.col,
            message: d.message.clone(),
        }
    }

    /// `line:col: message`, or the bare message when there is no position.
    pub fn describe(&self) -> String {
        if self.line == 0 {
            self.message.clone()
        } else {
            format!("{}:{}: {}", self.line, self.col, self.message)
        }
    }
}

/// Everything the page shows. Texts are `Rc<str>` so that each action copies pointers, not text.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    base: Rc<Scenario>,
    pub title: Rc<str>,
    /// The query, in `lang`.
    pub query: Rc<str>,
    pub lang: Lang,
    /// The query last written in the other language (`None`: never shown; switching seeds it).
    other: Option<Rc<str>>,
    pub catalog: Rc<str>,
    pub confs: Rc<str>,
    pub mode: ExplainMode,
    /// The last EXPLAIN text the pipeline produced (kept while the input is broken).
    pub plan: Option<Rc<str>>,
    /// What is wrong with the current input, if anything.
    pub problem: Option<Problem>,
    /// True between an edit and the (debounced) re-plan.
    pub stale: bool,
    /// The last good run (kept while the input is broken).
    pub out: Option<Rc<Out>>,
    /// The run pinned as A for the A/B comparison.
    pub pinned: Option<Rc<Out>>,
    pub tab: Tab,
    /// The Spark-UI sub-tab (Jobs, Stages, Executors, SQL, Environment).
    pub ui_tab: usize,
    /// The plan shown on the Plans tab (parsed, analyzed, optimized, physical), and which of them are shown
    /// as text rather than as a graph.
    pub plan_tab: usize,
    pub plan_text: [bool; 4],
    /// executors, cores per executor, memory (MB)
    pub cluster: [u64; 3],
    /// Bumped on every new run: the timeline restarts its animation.
    pub generation: u32,
    /// Interview prompts, one a line (`crate::interview`).
    pub prompts: Rc<str>,
    /// Interview progress: prompt `step / 2`, its answer shown when `step` is odd.
    pub step: usize,
    /// The tab interview mode returns to.
    pub back: Tab,
    /// The selection shared by the Plans, Stages and Timeline tabs: a stage, and the task (index in the
    /// trace) it was picked by on the timeline. Share links carry the stage.
    pub sel: Option<(u32, Option<u32>)>,
}

/// The closed set of things that change the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed in an editor; re-planning follows after a debounce.
    Edit(Pane, String),
    /// Plan the current texts.
    Replan,
    /// Show another EXPLAIN format (re-plans at once).
    SetMode(ExplainMode),
    /// Back to the built-in example.
    Reset,
    /// Load gallery example i.
    Example(usize),
    /// Set a conf line (`None` removes it) and re-plan at once.
    SetConf(&'static str, Option<String>),
    /// Set cluster field i (executors, cores, memory MB) and re-plan at once.
    SetCluster(usize, u64),
    Pin,
    Unpin,
    SetTab(Tab),
    SetUiTab(usize),
    SetPlanTab(usize),
    /// Show plan i as text instead of a graph, or back.
    TogglePlanText(usize),
    /// Replace everything with a loaded state (a share link); keeps the pinned run, restarts playback.
    Load(Rc<State>),
    /// Interview mode: the prompts text.
    SetPrompts(String),
    /// Interview mode: reveal the next step (`true`) or go one back.
    Reveal(bool),
    /// Leave interview mode for the tab it was opened from.
    Leave,
    /// Select a stage (and a task of it), or clear the selection.
    Select(Option<(u32, Option<u32>)>),
    /// Write the query in another language (each keeps its text) and re-plan at once.
    SetLang(Lang),
}

impl State {
    /// The built-in example, already planned.
    pub fn initial() -> State {
        State::example(0)
    }

    /// Gallery example `i` (0 = the skewed join), already planned.
    pub fn example(i: usize) -> State {
        State::example_in(i, Lang::Sql)
    }

    /// Gallery example `i` in `lang` if it has a text in it, else in SQL; already planned.
    fn example_in(i: usize, lang: Lang) -> State {
        let ex = &crate::examples::EXAMPLES[i.min(crate::examples::EXAMPLES.len() - 1)];
        let mut s = crate::examples::scenario(i);
        let mut other = ex.pyspark.map(String::from);
        if let (Lang::PySpark, Some(py)) = (lang, ex.pyspark) {
            s.query.lang = Lang::PySpark.code().into();
            other = Some(std::mem::replace(&mut s.query.text, py.into()));
        }
        let mut st = State::from_scenario(s, ExplainMode::Extended);
        st.prompts = ex.prompts.into();
        st.other = other.map(Into::into);
        st
    }

    pub fn text(&self, pane: Pane) -> Rc<str> {
        match pane {
            Pane::Query => self.query.clone(),
            Pane::Catalog => self.catalog.clone(),
            Pane::Confs => self.confs.clone(),
        }
    }

    /// The scenario the editors describe, or the first problem that keeps them from describing one.
    pub fn scenario(&self) -> Result<Scenario, Problem> {
        let tables = text_to_tables(&self.catalog)?;
        let confs = text_to_confs(&self.confs)?;
        let mut s = (*self.base).clone();
        s.tables = tables;
        s.confs = confs;
        s.query.text = self.query.to_string();
        s.query.lang = self.lang.code().into();
        s.cluster.executors = self.cluster[0] as u32;
        s.cluster.cores_per_executor = self.cluster[1] as u32;
        s.cluster.executor_memory_mb = self.cluster[2];
        // Failure injection from the confs pane: `stagecraft.kill_executor=E@MS`, `stagecraft.slow_executor=E@PCT`.
        let at = |k: &str| s.confs.get(k).and_then(|v| v.split_once('@')).and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)));
        if let Some((executor, at_ms)) = at("stagecraft.kill_executor") {
            s.sim.kill_executor = Some(crate::scenario::KillExecutor { executor, at_ms });
        }
        if let Some((executor, time_pct)) = at("stagecraft.slow_executor") {
            s.sim.slow_executors = vec![crate::scenario::SlowExecutor { executor, time_pct: time_pct as u32 }];
        }
        Ok(s)
    }

    /// Shows the query in `lang`: the text last written in it, else the example's, else a starter query on
    /// the catalog (never an empty pane). The text left keeps for switching back.
    fn set_lang(&mut self, lang: Lang) {
        if lang == self.lang {
            return;
        }
        let text = self.other.take().unwrap_or_else(|| {
            let tables = text_to_tables(&self.catalog).unwrap_or_else(|_| self.base.tables.clone());
            crate::examples::starter(lang.code(), &tables).into()
        });
        self.other = Some(std::mem::replace(&mut self.query, text));
        self.lang = lang;
        self.replan();
    }

    fn replan(&mut self) {
        self.stale = false;
        let perf = web_sys::window().and_then(|w| w.performance());
        let t0 = perf.as_ref().map_or(0.0, |p| p.now());
        let result = self.scenario().and_then(|s| {
            let d = |d: crate::error::Diagnostic| Problem::from_diagnostic(&d);
            let (text, run, rules, logical) = pipeline::explain_simulate_and_trace_rules(&s, self.mode).map_err(d)?;
            Ok((text, run, s, rules, logical))
        });
        match result {
            Ok((text, run, s, rules, logical)) => {
                self.plan = Some(text.into());
                self.problem = None;
                self.generation += 1;
                let nodes = crate::select::parse_plan(&run.report.final_plan);
                let node_stage = crate::select::node_stages(&nodes, &crate::select::stage_ops(&run.schedule)).into();
                // A task index means nothing in another run; the stage id usually still does.
                self.sel = self.sel.map(|s| (s.0, None));
                self.out = Some(Rc::new(Out { report: Rc::new(run.report), storage: run.storage.into(), skew_keys: run.skew_keys.into(), sim: Rc::new(run.sim), scenario: Rc::new(s), node_stage, rules: rules.into(), logical: Rc::new(logical) }));
            }
            Err(p) => self.problem = Some(p),
        }
        // For scripts/measure.sh: how long the last re-plan took, and a counter that changes with it.
        if let (Some(p), Some(b)) = (perf, web_sys::window().and_then(|w| w.document()).and_then(|d| d.body())) {
            let _ = b.set_attribute("data-replan-us", &(((p.now() - t0) * 1000.0) as u64).to_string());
            let _ = b.set_attribute("data-replans", &self.generation.to_string());
        }
    }
}

/// Runs are compared by identity: a new run is a new `Rc`.
impl PartialEq for Out {
    fn eq(&self, other: &Out) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
    }
}

impl State {
    /// The value of a conf in the confs editor, if it parses and sets it.
    pub fn conf(&self, key: &str) -> Option<String> {
        text_to_confs(&self.confs).ok()?.remove(key)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(pane, text) => {
                let text: Rc<str> = text.into();
                match pane {
                    Pane::Query => next.query = text,
                    Pane::Catalog => next.catalog = text,
                    Pane::Confs => next.confs = text,
                }
                next.stale = true;
            }
            Action::Replan => next.replan(),
            Action::SetMode(mode) => {
                next.mode = mode;
                next.replan();
            }
            Action::Reset | Action::Example(_) => {
                let i = if let Action::Example(i) = action { i } else { 0 };
                // In PySpark, a lesson with a PySpark version opens in it.
                next = State::example_in(i, self.lang);
                next.pinned = self.pinned.clone();
                // Picking a lesson in the gallery shows it running.
                next.tab = if self.tab == Tab::Examples { Tab::Timeline } else { self.tab };
                next.generation = self.generation + 1;
            }
            Action::SetConf(key, value) => {
                let mut lines: Vec<String> = next
                    .confs
                    .lines()
                    .filter(|l| l.split_once('=').map(|(k, _)| k.trim()) != Some(key))
                    .map(str::to_string)
                    .collect();
                if let Some(v) = value {
                    lines.push(format!("{key}={v}"));
                }
                next.confs = (lines.join("\n") + "\n").into();
                next.replan();
            }
            Action::SetCluster(i, v) => {
                next.cluster[i] = v.clamp(if i == 2 { 512 } else { 1 }, if i == 2 { 1 << 20 } else { 64 });
                next.replan();
            }
            Action::Pin => next.pinned = next.out.clone(),
            Action::Unpin => next.pinned = None,
            Action::SetTab(t) => {
                if t == Tab::Interview && self.tab != Tab::Interview {
                    next.back = self.tab;
                    next.step = 0;
                }
                next.tab = t;
            }
            Action::SetPrompts(text) => next.prompts = text.into(),
            Action::Reveal(forward) => {
                let last = (2 * crate::interview::count(&next.prompts)).saturating_sub(1);
                next.step = if forward { (next.step + 1).min(last) } else { next.step.min(last).saturating_sub(1) };
            }
            Action::Leave => next.tab = if self.back == Tab::Interview { Tab::Timeline } else { self.back },
            Action::SetUiTab(t) => next.ui_tab = t,
            Action::SetPlanTab(t) => next.plan_tab = t.min(3),
            Action::TogglePlanText(i) => next.plan_text[i.min(3)] ^= true,
            Action::Select(s) => next.sel = s,
            Action::SetLang(lang) => next.set_lang(lang),
            Action::Load(s) => {
                next = (*s).clone();
                next.pinned = self.pinned.clone();
                next.generation = self.generation + 1;
            }
        }
        Rc::new(next)
    }
}

/// The catalog editor's text: the tables as Spark DDL (`CREATE TABLE ... TBLPROPERTIES (...)`).
fn tables_to_text(tables: &[Table]) -> String {
    crate::input::ddl::catalog_to_ddl(tables)
}

/// Reads the catalog editor: `CREATE TABLE` statements (and `SET`s, which belong in the confs pane).
fn text_to_tables(text: &str) -> Result<Vec<Table>, Problem> {
    let script = crate::input::ddl::parse_script(text).map_err(|d| Problem::from_diagnostic(&d.with_source("catalog")))?;
    if let Some(st) = script.statements.first() {
        let span = match st {
            crate::input::ddl::ScriptStatement::Query { span, .. }
            | crate::input::ddl::ScriptStatement::CacheTable { span, .. }
            | crate::input::ddl::ScriptStatement::UncacheTable { span, .. } => *span,
        };
        return Err(Problem::at(Pane::Catalog, span.start.line, span.start.col, "the catalog holds CREATE TABLE statements; queries and CACHE TABLE go in the query editor"));
    }
    if let Some((k, _, span)) = script.confs.first() {
        return Err(Problem::at(Pane::Catalog, span.start.line, span.start.col, format!("`SET {k}` belongs in the confs editor")));
    }
    Ok(script.tables)
}

/// The confs editor's text: one `key=value` a line.
fn confs_to_text(confs: &BTreeMap<String, String>) -> String {
    confs.iter().map(|(k, v)| format!("{k}={v}\n")).collect()
}

/// Reads `key=value` lines; blank lines and `#` comments are skipped, `SET key=value;` is accepted too.
pub fn text_to_confs(text: &str) -> Result<BTreeMap<String, String>, Problem> {
    let mut confs = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count() as u32;
        let mut line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("set "))
        {
            line = line[4..].trim_start();
        }
        let line = line.strip_suffix(';').unwrap_or(line).trim_end();
        let Some((key, value)) = line.split_once('=') else {
            return Err(Problem::at(
                Pane::Confs,
                line_no,
                indent + 1,
                "expected key=value",
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(Problem::at(
                Pane::Confs,
                line_no,
                indent + 1,
                "a conf needs a key before '='",
            ));
        }
        confs.insert(key.to_string(), value.trim().to_string());
    }
    Ok(confs)
}

impl State {
    /// A state showing `base` (a share link's scenario), already planned with `mode`.
    pub fn from_scenario(base: Scenario, mode: ExplainMode) -> State {
        let c = &base.cluster;
        let mut state = State {
            title: base.title.as_str().into(),
            query: base.query.text.as_str().into(),
            lang: Lang::of(&base.query.lang),
            other: None,
            catalog: tables_to_text(&base.tables).into(),
            confs: confs_to_text(&base.confs).into(),
            cluster: [c.executors.into(), c.cores_per_executor.into(), c.executor_memory_mb],
            base: Rc::new(base),
            mode,
            plan: None,
            problem: None,
            stale: false,
            out: None,
            pinned: None,
            tab: Tab::Timeline,
            ui_tab: 0,
            plan_tab: 3,
            plan_text: [false; 4],
            generation: 0,
            prompts: crate::interview::ALL.into(),
            step: 0,
            back: Tab::Timeline,
            sel: None,
        };
        state.replan();
        state
    }
}
