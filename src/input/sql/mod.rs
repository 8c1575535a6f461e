//! The SQL frontend: parses Spark SQL with sqlparser (keeping spans) and analyzes it into a resolved
//! logical plan (Spark's Analyzer: relations, columns, `*`, aliases, types, functions, CTEs, subqueries,
//! set operations, joins, aggregation, windows, generators, pivots, hints). Every refusal is a
//! `Diagnostic` with line:col. Knows nothing of optimization or physical planning.

mod ast_text;
pub mod syntax;
mod dialect;
pub mod exprs;
pub mod functions;
pub mod hints;
pub mod lexer;
pub mod parser;
pub mod parsed;
mod query;
mod reinstance;
pub mod standalone;

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
/// Most relations (table, view and CTE references) one query may read.
pub const MAX_RELATIONS: usize = 128;
/// Most joins (explicit `JOIN`s and comma-separated FROM items) in one query.
pub const MAX_JOINS: usize = 64;

/// Converts sqlparser's span to ours.
pub fn sp(s: sqlparser::tokenizer::Span) -> Span {
    Span {
        start: Pos { line: s.start.line as u32, col: s.start.column as u32 },
        end: Pos { line: s.end.line as u32, col: s.end.column as u32 },
    }
}

/// Parses SQL text holding one query (an optional trailing `;` is fine), with positioned errors.
///
/// Only `Parser::parse_query` is called — never `parse_statement` — so the wasm build does not carry
/// sqlparser's DDL/DML statement parsers (catalog DDL has its own parser in `input::ddl`).
pub fn parse_query(text: &str) -> Result<ast::Query> {
    use sqlparser::keywords::Keyword;
    use sqlparser::tokenizer::Token;
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
    let first = parser.peek_token();
    match &first.token {
        Token::EOF => return Err(Diagnostic::parse("the query is empty", Span::point(1, 1))),
        Token::Word(w) if !matches!(w.keyword, Keyword::SELECT | Keyword::WITH | Keyword::VALUES | Keyword::TABLE | Keyword::FROM) => {
            return Err(Diagnostic::analysis(
                format!("`{}` is not a query: only SELECT / WITH / VALUES queries are planned here (catalog statements belong in the catalog or setup)", w.value.to_ascii_uppercase()),
                sp(first.span),
            ))
        }
        _ => {}
    }
    let q = parser.parse_query().map_err(|e| parse_error(&e, text))?;
    while parser.consume_token(&Token::SemiColon) {}
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(Diagnostic::parse(
            format!("[PARSE_SYNTAX_ERROR] Syntax error at or near '{}': one query expected", next.token),
            Span::point(next.span.start.line as u32, next.span.start.column as u32),
        ));
    }
    Ok(*q)
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
    /// The query text, when known: hints live in comments, which carry no span in the AST, so their
    /// arguments are located in the text to position errors.
    source: Option<&'a str>,
    /// Relations read and joins made so far, and operators copied in from views and CTEs (limits).
    relations: usize,
    joins: usize,
    copied_nodes: usize,
}

impl<'a> Analyzer<'a> {
    pub fn new(tables: &'a [Table], views: &'a BTreeMap<String, LogicalPlan>, ids: &'a mut IdGen) -> Analyzer<'a> {
        Analyzer { tables, views, ids, ctes: vec![], named_windows: vec![], source: None, relations: 0, joins: 0, copied_nodes: 0 }
    }

    /// The text the analyzed query was parsed from (positions errors inside hints).
    pub fn with_source(mut self, text: &'a str) -> Analyzer<'a> {
        self.source = Some(text);
        self
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
    Analyzer::new(&scenario.tables, &views, ids).with_source(text).analyze_query(&q)
}
