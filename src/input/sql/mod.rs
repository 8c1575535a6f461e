//! The SQL frontend: parses Spark SQL with Stagecraft's own parser (`parser`, following Spark's
//! `SqlBaseParser.g4`, into the `syntax` tree with spans) and analyzes it into a resolved logical plan
//! (Spark's Analyzer: relations, columns, `*`, aliases, types, functions, CTEs, subqueries, set
//! operations, joins, aggregation, windows, generators, pivots, hints). Every refusal is a `Diagnostic`
//! with line:col. Knows nothing of optimization or physical planning.

pub mod exprs;
pub mod functions;
pub mod hints;
pub mod lexer;
pub mod parsed;
pub mod parser;
mod query;
mod reinstance;
pub mod standalone;
pub mod syntax;

use crate::error::Result;
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

/// Parses SQL text holding one query (an optional trailing `;` is fine), with positioned errors in
/// Spark's wording (`parser::parse_query`: an empty text, a statement that is not a query and a text over
/// `MAX_SQL_CHARS` are refused there too).
pub fn parse_query(text: &str) -> Result<ast::Query> {
    parser::parse_query(text)
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
