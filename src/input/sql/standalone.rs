//! SQL pieces for other frontends: parsing one SQL expression or SELECT item on its own (PySpark's
//! `F.expr("...")`, `filter("...")`, `selectExpr`), resolving a parsed expression against a given scope, and
//! resolving a table or view name exactly as the SQL analyzer's FROM clause does. Positions in errors are
//! relative to the given text (the caller shifts them). Knows nothing of Python or of DataFrames.

use super::exprs::{Clause, ExprCtx, Scope};
use super::{Analyzer, SparkHintsDialect, MAX_SQL_CHARS, MAX_SQL_DEPTH};
use crate::error::{Diagnostic, Phase, Result, Span};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;
use sqlparser::ast as ast;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

fn parser_for<'d>(dialect: &'d SparkHintsDialect, text: &str) -> Result<Parser<'d>> {
    if text.chars().count() > MAX_SQL_CHARS {
        return Err(Diagnostic::new(Phase::Limit, format!("the SQL text is longer than {MAX_SQL_CHARS} characters"), Span::point(1, 1)));
    }
    Parser::new(dialect).with_recursion_limit(MAX_SQL_DEPTH).try_with_sql(text).map_err(|e| super::parse_error(&e, text))
}

/// Refuses anything after the parsed item (`a + 1 b c`).
fn expect_end(p: &mut Parser) -> Result<()> {
    let t = p.peek_token();
    if t.token == Token::EOF {
        return Ok(());
    }
    let span = super::sp(t.span);
    let span = if span.is_unknown() { Span::point(1, 1) } else { span };
    Err(Diagnostic::parse(format!("[PARSE_SYNTAX_ERROR] Syntax error at or near '{}': extra input after the expression", t.token), span))
}

/// Parses `text` as exactly one SQL expression (`F.expr("...")`, `df.filter("...")`).
pub fn parse_expr(text: &str) -> Result<ast::Expr> {
    if text.trim().is_empty() {
        return Err(Diagnostic::parse("[PARSE_EMPTY_STATEMENT] the SQL expression is empty", Span::point(1, 1)));
    }
    let dialect = SparkHintsDialect;
    let mut p = parser_for(&dialect, text)?;
    let e = p.parse_expr().map_err(|e| super::parse_error(&e, text))?;
    expect_end(&mut p)?;
    Ok(e)
}

/// Parses `text` as exactly one SELECT-list item (`selectExpr("a + 1 AS b")`, `"*"`, `"t.*"`).
pub fn parse_select_item(text: &str) -> Result<ast::SelectItem> {
    if text.trim().is_empty() {
        return Err(Diagnostic::parse("[PARSE_EMPTY_STATEMENT] the SQL expression is empty", Span::point(1, 1)));
    }
    let dialect = SparkHintsDialect;
    let mut p = parser_for(&dialect, text)?;
    let item = p.parse_select_item().map_err(|e| super::parse_error(&e, text))?;
    expect_end(&mut p)?;
    Ok(item)
}

impl<'a> Analyzer<'a> {
    /// Resolves one parsed expression against `scope` (no outer scopes, no SELECT aliases), as the
    /// SELECT list (`Clause::Select`), a filter (`Clause::Where`) or a join condition would.
    pub fn resolve_in(&mut self, e: &ast::Expr, scope: &Scope, clause: Clause) -> Result<Expr> {
        let cx = ExprCtx { scope, outer: &[], clause, aliases: &[] };
        self.expr(e, &cx)
    }

    /// A table or view by name, resolved as `FROM name` would be: temporary/cached views first, then the
    /// catalog, under a `SubqueryAlias` named after the last name part.
    pub fn table_plan(&mut self, name: &[String], span: Span) -> Result<LogicalPlan> {
        self.relation(name, None, span)
    }
}
