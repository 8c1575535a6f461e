//! TEMPORARY STUB (h-port): replaced by the real parser from branch h-sqlparse on merge.

use super::syntax;
use crate::error::{Diagnostic, Result, Span};

pub fn parse_query(_text: &str) -> Result<syntax::Query> {
    Err(Diagnostic::parse("parser not merged yet", Span::point(1, 1)))
}

pub fn parse_expr(_text: &str) -> Result<syntax::Expr> {
    Err(Diagnostic::parse("parser not merged yet", Span::point(1, 1)))
}

pub fn parse_select_item(_text: &str) -> Result<syntax::SelectItem> {
    Err(Diagnostic::parse("parser not merged yet", Span::point(1, 1)))
}
