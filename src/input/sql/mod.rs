//! The SQL frontend: parses Spark SQL with sqlparser (keeping spans) and analyzes it into a resolved
//! logical plan (Spark's Analyzer: relations, columns, `*`, aliases, types, functions, CTEs, subqueries,
//! set operations, joins, aggregation, windows, generators, pivots, hints). Every refusal is a
//! `Diagnostic` with line:col. Knows nothing of optimization or physical planning.

mod dialect;
pub mod exprs;
pub mod functions;
pub mod hints;
mod query;
mod reinstance;

use crate::error::{Diagnostic, Pos, Result, Span};
use crate::logical::expr::IdGen;
use crate::logical::plan::LogicalPlan;
use crate::scenario::{Scenario, Table};
use sqlparser::ast as ast;
use sqlparser::parser::Parser;
use std::collections::BTreeMap;

pub use dialect::SparkHintsDialect;
pub use reinstance::reinstance;

/// Largest SQL text accepted (characters).
pub const MAX_SQL_CHARS: usize = 100_000;
/// sqlparser's nesting limit (it refuses deeper input instead of overflowing the stack).
pub const MAX_SQL_DEPTH: usize = 64;

/// Converts sqlparser's span to ours.
pub fn sp(s: sqlparser::tokenizer::Span) -> Span {
    Span {
        start: Pos { line: s.start.line as u32, col: s.start.column as u32 },
        end: Pos { line: s.end.line as u32, col: s.end.column as u32 },
    }
}

/// Parses SQL text into statements, with positioned errors.
pub fn parse_statements(text: &str) -> Result<Vec<ast::Statement>> {
    if text.chars().count() > MAX_SQL_CHARS {
        return Err(Diagnostic::new(
            crate::error::Phase::Limit,
            format!("the SQL text is longer than {MAX_SQL_CHARS} characters"),
            Span::point(1, 1),
        ));
    }
    let dialect = SparkHintsDialect;
    let mut parser = Parser::new(&dialect).with_recursion_limit(MAX_SQL_DEPTH);
    parser = parser.try_with_sql(text).map_err(|e| parse_error(&e, text))?;
    parser.parse_statements().map_err(|e| parse_error(&e, text))
}

/// Turns sqlparser's "... at Line: 3, Column: 7" into a positioned diagnostic.
fn parse_error(e: &sqlparser::parser::ParserError, text: &str) -> Diagnostic {
    let msg = e.to_string();
    let msg = msg.strip_prefix("sql parser error: ").unwrap_or(&msg).to_string();
    let (line, col) = match (msg.rfind("Line: "), msg.rfind("Column: ")) {
        (Some(l), Some(c)) => {
            let ln = msg[l + 6..].split(|ch: char| !ch.is_ascii_digit()).next().and_then(|s| s.parse().ok());
            let cn = msg[c + 8..].split(|ch: char| !ch.is_ascii_digit()).next().and_then(|s| s.parse().ok());
            (ln.unwrap_or(1), cn.unwrap_or(1))
        }
        _ => {
            // Errors at the end of input carry no position: point after the last character.
            let lines: Vec<&str> = text.lines().collect();
            let ln = lines.len().max(1);
            let cn = lines.last().map(|l| l.chars().count() + 1).unwrap_or(1);
            (ln as u32, cn as u32)
        }
    };
    let clean = match msg.find(" at Line: ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    Diagnostic::parse(format!("[PARSE_SYNTAX_ERROR] {clean}"), Span::point(line, col))
}

/// Analysis state for one session: the catalog, cached/temporary views, id generator.
pub struct Analyzer<'a> {
    pub tables: &'a [Table],
    /// Temporary views and cached tables by (lower-case) name: their analyzed plans.
    pub views: &'a BTreeMap<String, LogicalPlan>,
    pub ids: &'a mut IdGen,
    /// CTEs in scope, innermost last.
    ctes: Vec<(String, LogicalPlan)>,
    /// `WINDOW w AS (...)` definitions of the SELECT being analyzed.
    named_windows: Vec<(String, ast::WindowSpec)>,
}

impl<'a> Analyzer<'a> {
    pub fn new(tables: &'a [Table], views: &'a BTreeMap<String, LogicalPlan>, ids: &'a mut IdGen) -> Analyzer<'a> {
        Analyzer { tables, views, ids, ctes: vec![], named_windows: vec![] }
    }

    /// Analyzes one parsed query.
    pub fn analyze_query(&mut self, q: &ast::Query) -> Result<LogicalPlan> {
        self.query(q, &[])
    }
}

/// Parses and analyzes a single SELECT query against the scenario's catalog.
pub fn analyze_query_text(text: &str, scenario: &Scenario, ids: &mut IdGen) -> Result<LogicalPlan> {
    let views = BTreeMap::new();
    let stmts = parse_statements(text)?;
    let q = match stmts.as_slice() {
        [ast::Statement::Query(q)] => q.clone(),
        [] => return Err(Diagnostic::parse("the query is empty", Span::point(1, 1))),
        [other] => {
            return Err(Diagnostic::analysis(
                format!("expected a query, found `{}`", other.to_string().split_whitespace().take(3).collect::<Vec<_>>().join(" ")),
                exprs::span_of(other),
            ))
        }
        [_, second, ..] => {
            return Err(Diagnostic::analysis("expected one query; put setup statements in the setup", exprs::span_of(second)))
        }
    };
    Analyzer::new(&scenario.tables, &views, ids).analyze_query(&q)
}
