//! SQL pieces for other frontends: parsing one SQL expression or SELECT item on its own (PySpark's
//! `F.expr("...")`, `filter("...")`, `selectExpr`), resolving a parsed expression against a given scope, and
//! resolving a table or view name exactly as the SQL analyzer's FROM clause does. Positions in errors are
//! relative to the given text (the caller shifts them). Knows nothing of Python or of DataFrames.

use super::exprs::{Clause, ExprCtx, Scope};
use super::syntax as ast;
use super::Analyzer;
use crate::error::{Result, Span};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

/// `parse_expr(text)`: exactly one SQL expression (`F.expr("...")`, `df.filter("...")`);
/// `parse_select_item(text)`: exactly one SELECT-list item (`selectExpr("a + 1 AS b")`, `"*"`, `"t.*"`).
pub use super::parser::{parse_expr, parse_select_item};

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
