//! The SQL frontend: parses Spark SQL with Stagecraft's own parser (`parser`, following Spark's
//! `SqlBaseParser.g4`, into the `syntax` tree with spans) and analyzes it into a resolved logical plan
//! (Spark's Analyzer: relations, columns, `*`, aliases, types, functions, CTEs, subqueries, set
//! operations, joins, aggregation, windows, generators, pivots, hints). Every refusal is a `Diagnostic`
//! with line:col. Knows nothing of optimization or physical planning.

pub mod exprs;
pub mod functions;
pub mod hints;
pub mod parsed;
pub mod parser;
mod query;
mod reinstance;
pub mod standalone;
pub mod syntax;

use crate::error::{Diagnostic, Pos, Result, Span};
use crate::logical::expr::IdGen;
use crate::logical::plan::LogicalPlan;
use crate::scenario::{Scenario, Table};
use std::collections::BTreeMap;
use syntax as ast;

pub use reinstance::reinstance;

/// Largest SQL text accepted (characters).
pub const MAX_SQL_CHARS: usize = 100_000;
/// The parser's nesting limit (it refuses deeper input instead of overflowing the stack).
pub const MAX_SQL_DEPTH: usize = 64;
/// Most relations (table, view and CTE references) one query may read.
pub const MAX_RELATIONS: usize = 128;
/// Most joins (explicit `JOIN`s and comma-separated FROM items) in one query.
pub const MAX_JOINS: usize = 64;

/// Parses SQL text holding one query (an optional trailing `;` is fine), with positioned errors.
///
/// Refuses, before parsing, a text over `MAX_SQL_CHARS`, an empty text, and a statement that is not a
/// query (catalog DDL has its own parser in `input::ddl`); the rest is `parser::parse_query`.
pub fn parse_query(text: &str) -> Result<ast::Query> {
    if text.chars().count() > MAX_SQL_CHARS {
        return Err(Diagnostic::new(
            crate::error::Phase::Limit,
            format!("the SQL text is longer than {MAX_SQL_CHARS} characters"),
            Span::point(1, 1),
        ));
    }
    match first_word(text) {
        None => return Err(Diagnostic::parse("the query is empty", Span::point(1, 1))),
        Some((w, span)) if !w.is_empty() && !["SELECT", "WITH", "VALUES", "TABLE", "FROM"].contains(&w.to_ascii_uppercase().as_str()) => {
            return Err(Diagnostic::analysis(
                format!("`{}` is not a query: only SELECT / WITH / VALUES queries are planned here (catalog statements belong in the catalog or setup)", w.to_ascii_uppercase()),
                span,
            ))
        }
        _ => {}
    }
    parser::parse_query(text)
}

/// The first token of `text` after whitespace and comments when it is a bare word (`Some(("", _))` when
/// it is something else, such as `(`), with its span; `None` when there is no token at all.
fn first_word(text: &str) -> Option<(String, Span)> {
    let chars: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut col) = (0usize, 1u32, 1u32);
    let advance = |i: &mut usize, line: &mut u32, col: &mut u32| {
        if chars[*i] == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut col);
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                advance(&mut i, &mut line, &mut col);
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            // Bracketed comments nest, as in Spark's lexer.
            let mut depth = 0usize;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    advance(&mut i, &mut line, &mut col);
                    advance(&mut i, &mut line, &mut col);
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    advance(&mut i, &mut line, &mut col);
                    advance(&mut i, &mut line, &mut col);
                    if depth == 0 {
                        break;
                    }
                } else {
                    advance(&mut i, &mut line, &mut col);
                }
            }
        } else {
            let word: String = chars[i..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').collect();
            let end = Pos { line, col: col + word.chars().count() as u32 };
            return Some((word, Span::new(Pos { line, col }, end)));
        }
    }
    None
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
    /// Relations read and joins made so far, and operators copied in from views and CTEs (limits).
    relations: usize,
    joins: usize,
    copied_nodes: usize,
}

impl<'a> Analyzer<'a> {
    pub fn new(tables: &'a [Table], views: &'a BTreeMap<String, LogicalPlan>, ids: &'a mut IdGen) -> Analyzer<'a> {
        Analyzer { tables, views, ids, ctes: vec![], named_windows: vec![], relations: 0, joins: 0, copied_nodes: 0 }
    }

    /// Analyzes one parsed query.
    pub fn analyze_query(&mut self, q: &ast::Query) -> Result<LogicalPlan> {
        self.query(q, &[])
    }
}

/// Parses and analyzes a single SELECT query against the scenario's catalog.
pub fn analyze_query_text(text: &str, scenario: &Scenario, ids: &mut IdGen) -> Result<LogicalPlan> {
    let views = BTreeMap::new();
    let q = parse_query(text)?;
    Analyzer::new(&scenario.tables, &views, ids).analyze_query(&q)
}
