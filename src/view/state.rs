//! The app's single state and its closed set of actions (a Yew `Reducible`): the editor texts, the EXPLAIN
//! mode, the last plan text and the current problem. It turns the editor texts into a `Scenario` and asks
//! `crate::pipeline` for the plan; it knows nothing of the DOM, and nothing of planning beyond that call.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::error::Diagnostic;
use crate::pipeline::{self, ExplainMode};
use crate::scenario::{Scenario, Table};

/// The built-in example: a skewed join on the retail catalog.

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
    pub query: Rc<str>,
    pub catalog: Rc<str>,
    pub confs: Rc<str>,
    pub mode: ExplainMode,
    /// The last EXPLAIN text the pipeline produced (kept while the input is broken).
    pub plan: Option<Rc<str>>,
    /// What is wrong with the current input, if anything.
    pub problem: Option<Problem>,
    /// True between an edit and the (debounced) re-plan.
    pub stale: bool,
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
}

impl State {
    /// The built-in example, already planned.
    pub fn initial() -> State {
        // The default example: a skewed join on the built-in retail catalog, with AQE's skew-join
        // splitting made visible by small thresholds.
        let base = Scenario {
            scenario_version: crate::scenario::SCENARIO_VERSION,
            id: "retail-skew-join".into(),
            title: "Retail: a skewed join (orders x customers, one hot customer) with AQE skew-join splitting".into(),
            spark_version: "3.5".into(),
            cluster: Default::default(),
            confs: BTreeMap::from([
                    ("spark.sql.autoBroadcastJoinThreshold".to_string(), "-1".to_string()),
                    ("spark.sql.adaptive.advisoryPartitionSizeInBytes".to_string(), "1m".to_string()),
                    ("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes".to_string(), "2m".to_string()),
                    ("spark.sql.files.maxPartitionBytes".to_string(), "8m".to_string()),
                    ("spark.sql.adaptive.enabled".to_string(), "true".to_string()),
                    ("spark.sql.session.timeZone".to_string(), "UTC".to_string()),
            ]),
            tables: crate::input::catalogs::retail(),
            query: crate::scenario::Query {
                lang: "sql".into(),
                setup_sql: vec![],
                text: "SELECT c.segment, count(*) AS n, sum(o.total_amount) AS revenue\nFROM orders o\nJOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment".into(),
                action: Some("collect".into()),
            },
            sim: Default::default(),
        };
        let mut state = State {
            title: base.title.as_str().into(),
            query: base.query.text.as_str().into(),
            catalog: tables_to_text(&base.tables).into(),
            confs: confs_to_text(&base.confs).into(),
            base: Rc::new(base),
            mode: ExplainMode::Extended,
            plan: None,
            problem: None,
            stale: false,
        };
        state.replan();
        state
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
        Ok(s)
    }

    fn replan(&mut self) {
        self.stale = false;
        let result = self.scenario().and_then(|s| {
            pipeline::explain(&s, self.mode).map_err(|d| Problem::from_diagnostic(&d))
        });
        match result {
            Ok(text) => {
                self.plan = Some(text.into());
                self.problem = None;
            }
            Err(p) => self.problem = Some(p),
        }
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
            Action::Reset => next = State::initial(),
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
