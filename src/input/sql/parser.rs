//! Spark SQL parser: turns a query's text into the syntax tree of `syntax`, following Spark 3.5's
//! grammar (SqlBaseParser.g4) in its default, non-ANSI keyword mode for the subset Stagecraft plans.
//! Recursive descent for queries and relations (this file), precedence climbing for expressions and
//! data types (`parser/expr.rs`). Errors use Spark's wording (`[PARSE_SYNTAX_ERROR] Syntax error at or
//! near 'x'.`) at the offending token; nesting deeper than `MAX_SQL_DEPTH` is a positioned limit error.

mod expr;
#[cfg(test)]
mod tests;

pub use super::lexer::{tokenize, Tok, Token};
use super::syntax::*;
use super::{MAX_SQL_CHARS, MAX_SQL_DEPTH};
use crate::error::{Diagnostic, Phase, Pos, Result, Span};

/// Most stack the parser's recursion may use (bytes).
const STACK_BUDGET: usize = 640 << 10;

/// Words that end a clause: never read as a bare (AS-less) alias.
const NO_ALIAS: &[&str] = &[
    "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "SORT", "CLUSTER", "DISTRIBUTE", "LIMIT", "OFFSET", "WINDOW", "UNION",
    "INTERSECT", "EXCEPT", "MINUS", "LATERAL", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "SEMI",
    "ANTI", "ON", "USING", "PIVOT", "UNPIVOT", "TABLESAMPLE", "AS", "SELECT", "WHEN", "THEN", "ELSE", "END", "AND",
    "OR", "FOR", "INTO",
];

/// Spark's `joinType` words before JOIN, longest first.
const JOIN_TYPES: &[(&[&str], JoinKind)] = &[
    (&["INNER"], JoinKind::Inner),
    (&["CROSS"], JoinKind::Cross),
    (&["LEFT", "OUTER"], JoinKind::LeftOuter),
    (&["LEFT", "SEMI"], JoinKind::LeftSemi),
    (&["LEFT", "ANTI"], JoinKind::LeftAnti),
    (&["LEFT"], JoinKind::LeftOuter),
    (&["RIGHT", "OUTER"], JoinKind::RightOuter),
    (&["RIGHT"], JoinKind::RightOuter),
    (&["FULL", "OUTER"], JoinKind::FullOuter),
    (&["FULL"], JoinKind::FullOuter),
    (&["SEMI"], JoinKind::LeftSemi),
    (&["ANTI"], JoinKind::LeftAnti),
    (&[], JoinKind::Inner),
];

/// Parses text holding exactly one query (trailing `;`s allowed).
pub fn parse_query(text: &str) -> Result<Query> {
    let mut p = Parser::new(text)?;
    match p.peek() {
        None => return Err(Diagnostic::parse("the query is empty", Span::point(1, 1))),
        Some(Token { tok: Tok::Word(w), span, .. }) if !p.query_start(0) => {
            return Err(Diagnostic::analysis(
                format!("`{}` is not a query: only SELECT / WITH / VALUES queries are planned here (catalog statements belong in the catalog or setup)", w.to_ascii_uppercase()),
                *span,
            ))
        }
        _ => {}
    }
    let q = p.query()?;
    while p.eat_sym(";") {}
    p.end()?;
    Ok(q)
}

/// Parses text holding exactly one expression (`filter("...")`, `expr("...")`).
pub fn parse_expr(text: &str) -> Result<Expr> {
    let mut p = Parser::new_expr(text)?;
    let e = p.expr()?;
    p.end()?;
    Ok(e)
}

/// Parses text holding exactly one select item (`selectExpr("a AS b")`).
pub fn parse_select_item(text: &str) -> Result<SelectItem> {
    let mut p = Parser::new_expr(text)?;
    let e = p.select_item()?;
    p.end()?;
    Ok(e)
}

/// Parses a Spark data type name (`int`, `decimal(10,2)`, `array<struct<a:int>>`), as in `CAST`.
pub fn parse_data_type(text: &str) -> Result<crate::logical::types::DataType> {
    let mut p = Parser::new_expr(text)?;
    let t = p.data_type()?;
    p.end()?;
    Ok(t)
}

pub(crate) struct Parser<'a> {
    text: &'a str,
    toks: Vec<Token>,
    i: usize,
    depth: usize,
    /// Address of a local in the outermost `nested` call (stack use is measured from there).
    stack_top: usize,
    /// The position just after the text (errors at the end of input).
    eof: Pos,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Result<Parser<'a>> {
        if text.chars().count() > MAX_SQL_CHARS {
            let msg = format!("the SQL text is longer than {MAX_SQL_CHARS} characters (MAX_SQL_CHARS)");
            return Err(Diagnostic::new(Phase::Limit, msg, Span::point(1, 1)));
        }
        let toks = tokenize(text)?;
        let line = text.matches('\n').count() as u32 + 1;
        let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        Ok(Parser { text, toks, i: 0, depth: 0, stack_top: 0, eof: Pos { line, col } })
    }

    fn new_expr(text: &'a str) -> Result<Parser<'a>> {
        let p = Parser::new(text)?;
        if p.toks.is_empty() {
            return Err(Diagnostic::parse("[PARSE_EMPTY_STATEMENT] the SQL expression is empty", Span::point(1, 1)));
        }
        Ok(p)
    }

    // ------------------------------------------------------------ token helpers

    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.i)
    }
    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.i + k).map(|t| &t.tok)
    }
    fn kw_at(&self, k: usize, kw: &str) -> bool {
        self.toks.get(self.i + k).is_some_and(|t| t.is_kw(kw))
    }
    fn kw(&self, kw: &str) -> bool {
        self.kw_at(0, kw)
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.kw(kw);
        self.i += hit as usize;
        hit
    }
    fn expect_kw(&mut self, kw: &str) -> Result<Span> {
        let s = self.span();
        if self.eat_kw(kw) {
            Ok(s)
        } else {
            self.fail()
        }
    }
    /// Consumes two words (`ORDER BY`) when both are next.
    fn eat2(&mut self, a: &str, b: &str) -> bool {
        let hit = self.kw(a) && self.kw_at(1, b);
        self.i += 2 * hit as usize;
        hit
    }
    fn sym_at(&self, k: usize, s: &str) -> bool {
        matches!(self.peek_at(k), Some(Tok::Sym(x)) if *x == s)
    }
    fn sym(&self, s: &str) -> bool {
        self.sym_at(0, s)
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        let hit = self.sym(s);
        self.i += hit as usize;
        hit
    }
    fn expect_sym(&mut self, s: &str) -> Result<Span> {
        let sp = self.span();
        if self.eat_sym(s) {
            Ok(sp)
        } else {
            self.fail()
        }
    }
    /// The current token's span (a point at the end of input).
    fn span(&self) -> Span {
        self.peek().map_or(Span::new(self.eof, self.eof), |t| t.span)
    }
    /// The end of the last consumed token.
    fn prev_end(&self) -> Pos {
        self.i.checked_sub(1).and_then(|j| self.toks.get(j)).map_or(self.eof, |t| t.span.end)
    }
    /// From `start` to the end of the last consumed token.
    fn since(&self, start: Span) -> Span {
        Span::new(start.start, self.prev_end())
    }
    /// `[PARSE_SYNTAX_ERROR]` at the current token (at a hint comment: where its text starts).
    fn fail<T>(&self) -> Result<T> {
        let (near, span) = match self.peek() {
            Some(t) => {
                let near = format!("'{}'", self.text.get(t.start..t.end).unwrap_or(""));
                (near, if matches!(t.tok, Tok::Hint(_)) { Span::new(t.span.start, t.span.start) } else { t.span })
            }
            None => ("end of input".into(), Span::new(self.eof, self.eof)),
        };
        Err(Diagnostic::parse(format!("[PARSE_SYNTAX_ERROR] Syntax error at or near {near}."), span))
    }
    fn end(&self) -> Result<()> {
        if self.peek().is_some() {
            return self.fail();
        }
        Ok(())
    }
    /// Runs `f` one nesting level deeper, refusing input nested beyond `MAX_SQL_DEPTH` levels or
    /// `STACK_BUDGET` bytes of stack (unoptimized builds use far bigger frames), so deep input is a
    /// positioned limit error, never a stack overflow.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let marker = 0u8;
        let here = std::hint::black_box(&marker as *const u8 as usize);
        if self.stack_top == 0 {
            self.stack_top = here;
        }
        if self.depth >= MAX_SQL_DEPTH || self.stack_top.saturating_sub(here) > STACK_BUDGET {
            let msg = format!("the SQL text nests deeper than {MAX_SQL_DEPTH} levels (MAX_SQL_DEPTH)");
            return Err(Diagnostic::new(Phase::Limit, msg, self.span()));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn ident(&mut self) -> Result<Ident> {
        let Some(t) = self.peek() else { return self.fail() };
        let id = match &t.tok {
            Tok::Word(w) => Ident { value: w.clone(), quoted: false, span: t.span },
            Tok::Quoted(w) => Ident { value: w.clone(), quoted: true, span: t.span },
            _ => return self.fail(),
        };
        self.i += 1;
        Ok(id)
    }
    /// `a.b.c`.
    fn object_name(&mut self) -> Result<ObjectName> {
        let mut v = vec![self.ident()?];
        while self.sym(".") && matches!(self.peek_at(1), Some(Tok::Word(_) | Tok::Quoted(_))) {
            self.i += 1;
            v.push(self.ident()?);
        }
        Ok(v)
    }
    /// `(a, b, c)`.
    fn ident_list(&mut self) -> Result<Vec<Ident>> {
        self.expect_sym("(")?;
        let mut v = vec![self.ident()?];
        while self.eat_sym(",") {
            v.push(self.ident()?);
        }
        self.expect_sym(")")?;
        Ok(v)
    }
    fn comma_list<T>(&mut self, mut f: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let mut v = vec![f(self)?];
        while self.eat_sym(",") {
            v.push(f(self)?);
        }
        Ok(v)
    }
    /// True when the current token can start a bare alias.
    fn bare_alias(&self) -> bool {
        match self.peek_at(0) {
            Some(Tok::Quoted(_)) => true,
            Some(Tok::Word(w)) => !NO_ALIAS.iter().any(|k| k.eq_ignore_ascii_case(w)),
            _ => false,
        }
    }
    /// SELECT / WITH / VALUES / TABLE / FROM / `(` at token `k` ahead.
    fn query_start(&self, k: usize) -> bool {
        ["SELECT", "WITH", "VALUES", "TABLE", "FROM"].iter().any(|w| self.kw_at(k, w)) || self.sym_at(k, "(")
    }
    /// A `(` at the current token opens a query (its first token past any `(` is SELECT, WITH, ...).
    fn paren_query(&self) -> bool {
        let mut k = 0;
        while self.sym_at(k, "(") {
            k += 1;
        }
        k > 0 && self.query_start(k)
    }

    // ------------------------------------------------------------ queries

    pub(crate) fn query(&mut self) -> Result<Query> {
        self.nested(Self::query_inner)
    }

    fn query_inner(&mut self) -> Result<Query> {
        let start = self.span();
        let with = if self.kw("WITH") { Some(self.with()?) } else { None };
        let mut body = self.set_expr()?;
        let organization = self.span();
        let order_by = if self.eat2("ORDER", "BY") { self.comma_list(Self::sort_item)? } else { vec![] };
        let cluster_by = if self.eat2("CLUSTER", "BY") { self.comma_list(Self::expr)? } else { vec![] };
        let distribute_by = if self.eat2("DISTRIBUTE", "BY") { self.comma_list(Self::expr)? } else { vec![] };
        let sort_by = if self.eat2("SORT", "BY") { self.comma_list(Self::sort_item)? } else { vec![] };
        let mut windows = if self.kw("WINDOW") { self.window_clause()? } else { vec![] };
        if let SetExpr::Select(s) = &mut body {
            s.named_windows.append(&mut windows);
        }
        let limit = if self.eat_kw("LIMIT") && !self.eat_kw("ALL") { Some(self.expr()?) } else { None };
        let offset = if self.eat_kw("OFFSET") { Some(self.expr()?) } else { None };
        let span = self.since(start);
        Ok(Query { with, body, order_by, cluster_by, distribute_by, sort_by, windows, limit, offset, organization, span })
    }

    fn with(&mut self) -> Result<With> {
        let start = self.expect_kw("WITH")?;
        let recursive = self.kw("RECURSIVE") && !self.kw_at(1, "AS") && !self.sym_at(1, "(");
        self.i += recursive as usize;
        let ctes = self.comma_list(|p| {
            let name = p.ident()?;
            let columns = if p.sym("(") && !p.query_start(1) { p.ident_list()? } else { vec![] };
            p.eat_kw("AS");
            p.expect_sym("(")?;
            let query = Box::new(p.query()?);
            p.expect_sym(")")?;
            Ok(Cte { name, columns, query })
        })?;
        Ok(With { recursive, ctes, span: self.since(start) })
    }

    /// UNION / EXCEPT / MINUS (left-associative, below INTERSECT).
    fn set_expr(&mut self) -> Result<SetExpr> {
        let mut left = self.set_term()?;
        loop {
            let op = if self.kw("UNION") {
                SetOp::Union
            } else if self.kw("EXCEPT") || self.kw("MINUS") {
                SetOp::Except
            } else {
                return Ok(left);
            };
            self.i += 1;
            let all = self.quantifier();
            let right = self.set_term()?;
            left = set_op(op, all, left, right);
        }
    }

    fn set_term(&mut self) -> Result<SetExpr> {
        let mut left = self.set_primary()?;
        while self.eat_kw("INTERSECT") {
            let all = self.quantifier();
            let right = self.set_primary()?;
            left = set_op(SetOp::Intersect, all, left, right);
        }
        Ok(left)
    }

    fn quantifier(&mut self) -> bool {
        if self.eat_kw("ALL") {
            return true;
        }
        self.eat_kw("DISTINCT");
        false
    }

    fn set_primary(&mut self) -> Result<SetExpr> {
        let start = self.span();
        if self.kw("SELECT") {
            return Ok(SetExpr::Select(Box::new(self.select(None)?)));
        }
        if self.kw("FROM") {
            let from = self.parse_from()?;
            let select = self.select(Some(from))?;
            return Ok(SetExpr::Select(Box::new(Select { span: self.since(start), ..select })));
        }
        if self.kw("VALUES") {
            return Ok(SetExpr::Values(self.values()?));
        }
        if self.eat_kw("TABLE") {
            let name = self.object_name()?;
            return Ok(SetExpr::Table { name, span: self.since(start) });
        }
        if self.eat_sym("(") {
            let q = self.query()?;
            self.expect_sym(")")?;
            return Ok(SetExpr::Query(Box::new(Query { span: self.since(start), ..q })));
        }
        self.fail()
    }

    fn values(&mut self) -> Result<Values> {
        let start = self.expect_kw("VALUES")?;
        let rows = self.comma_list(|p| {
            let e = p.expr()?;
            Ok(match e.kind {
                ExprKind::Tuple(v) => v,
                ExprKind::Nested(e) => vec![*e],
                _ => vec![e],
            })
        })?;
        let alias = self.table_alias()?;
        Ok(Values { rows, alias, span: self.since(start) })
    }

    /// `SELECT ...` up to the query organization; `from` when the FROM clause came first (`FROM t SELECT a`).
    fn select(&mut self, from: Option<(Vec<TableWithJoins>, Vec<LateralView>)>) -> Result<Select> {
        let start = self.span();
        let select_span = self.expect_kw("SELECT")?;
        let mut hints = vec![];
        while let Some(Token { tok: Tok::Hint(text), span, .. }) = self.peek() {
            hints.push(HintComment { text: text.clone(), span: *span });
            self.i += 1;
        }
        let distinct = self.eat_kw("DISTINCT");
        if !distinct && !self.sym_at(1, ",") && !self.kw_at(1, "FROM") && self.peek_at(1).is_some() {
            self.eat_kw("ALL");
        }
        let projection = self.comma_list(Self::select_item)?;
        let (from, lateral_views) = match from {
            Some(f) => f,
            None if self.kw("FROM") => self.parse_from()?,
            None => (vec![], vec![]),
        };
        let selection = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
        let group_by = if self.eat2("GROUP", "BY") { self.group_by()? } else { GroupBy::None };
        let having = if self.eat_kw("HAVING") { Some(self.expr()?) } else { None };
        let named_windows = if self.kw("WINDOW") { self.window_clause()? } else { vec![] };
        let span = self.since(start);
        Ok(Select { select_span, hints, distinct, projection, from, lateral_views, selection, group_by, having, named_windows, span })
    }

    pub(crate) fn select_item(&mut self) -> Result<SelectItem> {
        let start = self.span();
        if self.eat_sym("*") {
            return Ok(SelectItem::Wildcard(start));
        }
        let mut k = 0;
        while matches!(self.peek_at(k), Some(Tok::Word(_) | Tok::Quoted(_))) && self.sym_at(k + 1, ".") {
            k += 2;
        }
        if k > 0 && self.sym_at(k, "*") {
            let mut name = vec![];
            while !self.sym("*") {
                name.push(self.ident()?);
                self.expect_sym(".")?;
            }
            self.i += 1;
            return Ok(SelectItem::QualifiedWildcard(name, self.since(start)));
        }
        let expr = self.expr()?;
        if self.eat_kw("AS") {
            if self.sym("(") {
                return Ok(SelectItem::ExprWithAliases { expr, aliases: self.ident_list()? });
            }
            return Ok(SelectItem::Expr { expr, alias: Some(self.ident()?) });
        }
        let alias = if self.bare_alias() { Some(self.ident()?) } else { None };
        Ok(SelectItem::Expr { expr, alias })
    }

    fn window_clause(&mut self) -> Result<Vec<NamedWindow>> {
        self.expect_kw("WINDOW")?;
        self.comma_list(|p| {
            let name = p.ident()?;
            p.expect_kw("AS")?;
            let start = p.span();
            let spec = match p.window_ref()? {
                WindowRef::Spec(s) => s,
                WindowRef::Named(base) => {
                    WindowSpec { base: Some(base), partition_by: vec![], order_by: vec![], frame: None, span: p.since(start) }
                }
            };
            Ok(NamedWindow { name, spec })
        })
    }

    fn group_by(&mut self) -> Result<GroupBy> {
        let all_span = self.span();
        let all_ends = match self.peek_at(1) {
            None => true,
            Some(Tok::Sym(s)) => *s == ")" || *s == ";",
            Some(Tok::Word(w)) => NO_ALIAS.iter().any(|k| k.eq_ignore_ascii_case(w)),
            _ => false,
        };
        if self.kw("ALL") && all_ends {
            self.i += 1;
            return Ok(GroupBy::All(all_span));
        }
        let mut exprs = self.comma_list(Self::group_item)?;
        let (mut with_rollup, mut with_cube) = (false, false);
        if self.eat2("WITH", "ROLLUP") {
            with_rollup = true;
        } else if self.eat2("WITH", "CUBE") {
            with_cube = true;
        } else if self.kw("GROUPING") && self.kw_at(1, "SETS") {
            // Legacy `GROUP BY a, b GROUPING SETS ((a), (b))`: the sets decide.
            exprs = vec![self.group_item()?];
        }
        Ok(GroupBy::Exprs { exprs, with_rollup, with_cube })
    }

    /// A GROUP BY element: ROLLUP(...), CUBE(...), GROUPING SETS(...) or an expression.
    fn group_item(&mut self) -> Result<Expr> {
        let start = self.span();
        let kind = if (self.kw("ROLLUP") || self.kw("CUBE")) && self.sym_at(1, "(") {
            let rollup = self.kw("ROLLUP");
            self.i += 2;
            let sets = self.comma_list(Self::grouping_set)?;
            self.expect_sym(")")?;
            if rollup {
                ExprKind::Rollup(sets)
            } else {
                ExprKind::Cube(sets)
            }
        } else if self.kw("GROUPING") && self.kw_at(1, "SETS") {
            self.i += 2;
            self.expect_sym("(")?;
            let sets = self.comma_list(|p| {
                if (p.kw("ROLLUP") || p.kw("CUBE")) && p.sym_at(1, "(") {
                    return Ok(vec![p.group_item()?]);
                }
                p.grouping_set()
            })?;
            self.expect_sym(")")?;
            ExprKind::GroupingSets(sets)
        } else {
            return self.expr();
        };
        Ok(Expr::new(kind, self.since(start)))
    }

    /// `(a, b)`, `()` or `a`.
    fn grouping_set(&mut self) -> Result<Vec<Expr>> {
        if self.sym("(") && !self.paren_query() {
            self.i += 1;
            if self.eat_sym(")") {
                return Ok(vec![]);
            }
            let v = self.comma_list(Self::expr)?;
            self.expect_sym(")")?;
            return Ok(v);
        }
        Ok(vec![self.expr()?])
    }

    fn sort_item(&mut self) -> Result<OrderByExpr> {
        let expr = self.expr()?;
        let asc = if self.eat_kw("ASC") {
            Some(true)
        } else if self.eat_kw("DESC") {
            Some(false)
        } else {
            None
        };
        let nulls_first = if self.eat2("NULLS", "FIRST") {
            Some(true)
        } else {
            self.eat2("NULLS", "LAST").then_some(false)
        };
        Ok(OrderByExpr { expr, asc, nulls_first })
    }

    // ------------------------------------------------------------ FROM

    fn parse_from(&mut self) -> Result<(Vec<TableWithJoins>, Vec<LateralView>)> {
        self.expect_kw("FROM")?;
        let from = self.comma_list(Self::table_with_joins)?;
        let mut views = vec![];
        while self.kw("LATERAL") && self.kw_at(1, "VIEW") {
            let start = self.span();
            self.i += 2;
            let outer = self.eat_kw("OUTER");
            let func = self.primary()?;
            let table = if self.kw("AS") || !self.bare_alias() { None } else { Some(self.ident()?) };
            let mut columns = vec![];
            if self.eat_kw("AS") || self.bare_alias() {
                columns = self.comma_list(Self::ident)?;
            }
            views.push(LateralView { outer, func, table, columns, span: self.since(start) });
        }
        Ok((from, views))
    }

    fn table_with_joins(&mut self) -> Result<TableWithJoins> {
        let relation = self.table_factor()?;
        let mut joins = vec![];
        loop {
            let start = self.span();
            let natural = self.eat_kw("NATURAL");
            let Some((words, kind)) = JOIN_TYPES.iter().find(|(w, _)| w.iter().enumerate().all(|(k, w)| self.kw_at(k, w)) && self.kw_at(w.len(), "JOIN"))
            else {
                return if natural { self.fail() } else { Ok(TableWithJoins { relation, joins }) };
            };
            self.i += words.len();
            self.expect_kw("JOIN")?;
            let span = self.since(start);
            let relation = self.table_factor()?;
            let constraint = if natural {
                JoinConstraint::Natural
            } else if self.eat_kw("ON") {
                JoinConstraint::On(self.expr()?)
            } else if self.eat_kw("USING") {
                JoinConstraint::Using(self.ident_list()?)
            } else {
                JoinConstraint::None
            };
            joins.push(Join { relation, kind: *kind, constraint, span });
        }
    }

    fn table_factor(&mut self) -> Result<TableFactor> {
        self.nested(Self::table_factor_inner)
    }

    fn table_factor_inner(&mut self) -> Result<TableFactor> {
        let start = self.span();
        let lateral = self.kw("LATERAL") && self.sym_at(1, "(");
        self.i += lateral as usize;
        let t = if self.sym("(") && (lateral || self.paren_query()) {
            self.i += 1;
            let subquery = Box::new(self.query()?);
            self.expect_sym(")")?;
            if let Some(span) = self.sample()? {
                return Err(Diagnostic::analysis("TABLESAMPLE is not supported by Stagecraft", span));
            }
            let alias = self.table_alias()?;
            TableFactor::Derived { lateral, subquery, alias, span: self.since(start) }
        } else if self.eat_sym("(") {
            let inner = Box::new(self.table_with_joins()?);
            self.expect_sym(")")?;
            let alias = self.table_alias()?;
            TableFactor::NestedJoin { inner, alias, span: self.since(start) }
        } else if self.kw("VALUES") {
            TableFactor::Values(self.values()?)
        } else {
            let name = self.object_name()?;
            if self.eat_sym("(") {
                let args = if self.sym(")") { vec![] } else { self.comma_list(Self::expr)? };
                self.expect_sym(")")?;
                let alias = self.table_alias()?;
                TableFactor::Function { name, args, alias, span: self.since(start) }
            } else {
                let sample = self.sample()?;
                let alias = self.table_alias()?;
                TableFactor::Table { name, alias, sample, span: self.since(start) }
            }
        };
        if self.kw("PIVOT") {
            return self.pivot(t, start);
        }
        Ok(t)
    }

    /// `TABLESAMPLE (...)`, kept as its span.
    fn sample(&mut self) -> Result<Option<Span>> {
        let start = self.span();
        if !self.eat_kw("TABLESAMPLE") {
            return Ok(None);
        }
        self.expect_sym("(")?;
        let mut open = 1;
        while open > 0 {
            match self.peek_at(0) {
                None => return self.fail(),
                Some(Tok::Sym("(")) => open += 1,
                Some(Tok::Sym(")")) => open -= 1,
                _ => {}
            }
            self.i += 1;
        }
        Ok(Some(self.since(start)))
    }

    fn table_alias(&mut self) -> Result<Option<TableAlias>> {
        if !self.eat_kw("AS") && !self.bare_alias() {
            return Ok(None);
        }
        let name = self.ident()?;
        let columns = if self.sym("(") && !self.paren_query() { self.ident_list()? } else { vec![] };
        Ok(Some(TableAlias { name, columns }))
    }

    /// `PIVOT (agg [AS a], ... FOR col | (c1, c2) IN (v [AS a], ...)) [alias]`.
    fn pivot(&mut self, table: TableFactor, start: Span) -> Result<TableFactor> {
        self.expect_kw("PIVOT")?;
        self.expect_sym("(")?;
        let aliased = |p: &mut Self| -> Result<(Expr, Option<Ident>)> {
            let e = p.expr()?;
            let a = if p.eat_kw("AS") || p.bare_alias() { Some(p.ident()?) } else { None };
            Ok((e, a))
        };
        let aggregates = self.comma_list(aliased)?;
        self.expect_kw("FOR")?;
        let columns = if self.eat_sym("(") {
            let c = self.comma_list(Self::name_expr)?;
            self.expect_sym(")")?;
            c
        } else {
            vec![self.name_expr()?]
        };
        self.expect_kw("IN")?;
        self.expect_sym("(")?;
        let values = self.comma_list(aliased)?;
        self.expect_sym(")")?;
        self.expect_sym(")")?;
        let alias = self.table_alias()?;
        Ok(TableFactor::Pivot { table: Box::new(table), aggregates, columns, values, alias, span: self.since(start) })
    }
}

fn set_op(op: SetOp, all: bool, left: SetExpr, right: SetExpr) -> SetExpr {
    let span = left.span().union(right.span());
    SetExpr::SetOp { op, all, by_name: false, left: Box::new(left), right: Box::new(right), span }
}
