//! Expressions, window specifications and data types (Spark's `booleanExpression`, `predicate`,
//! `valueExpression`, `primaryExpression`, `windowSpec`, `dataType`). Precedence, loosest first:
//! OR, AND, NOT, predicates (IS, BETWEEN, IN, LIKE, RLIKE), comparison, `|`, `^`, `&`, `+ - ||`,
//! `* / % DIV`, unary `- + ~`, then primaries with `[i]` and `.field`.

use super::{Parser, Tok};
use crate::error::{Diagnostic, Result, Span};
use crate::input::sql::syntax::*;
use crate::logical::types::DataType;

/// Words that cannot start an expression (clause keywords: better errors for `SELECT FROM t`).
const NOT_EXPR: &[&str] = &["FROM", "WHERE", "SELECT", "UNION", "INTERSECT", "EXCEPT", "HAVING", "WHEN", "THEN", "ELSE", "END"];

const INTERVAL_UNITS: &[&str] = &[
    "YEAR", "YEARS", "MONTH", "MONTHS", "WEEK", "WEEKS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND",
    "SECONDS", "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS",
];

fn bx(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl Parser<'_> {
    pub(crate) fn expr(&mut self) -> Result<Expr> {
        self.nested(|p| p.bool_expr(0))
    }

    /// OR (1) and AND (2), left-associative. (Few, small frames per nesting level keep deep input
    /// within the stack: one level of parentheses is expr, bool_expr, not_expr, binary, unary,
    /// primary, paren.)
    fn bool_expr(&mut self, min: u8) -> Result<Expr> {
        let mut left = self.not_expr()?;
        loop {
            let (op, prec) = if self.kw("OR") {
                (BinaryOp::Or, 1)
            } else if self.kw("AND") {
                (BinaryOp::And, 2)
            } else {
                return Ok(left);
            };
            if prec < min {
                return Ok(left);
            }
            self.i += 1;
            let right = self.bool_expr(prec + 1)?;
            left = binary(left, op, right);
        }
    }

    /// NOT, EXISTS, or a value expression and at most one predicate on it.
    fn not_expr(&mut self) -> Result<Expr> {
        let start = self.span();
        if self.eat_kw("NOT") || self.eat_sym("!") {
            let mut e = self.nested(Self::not_expr)?;
            if let ExprKind::Exists { negated: negated @ false, .. } = &mut e.kind {
                // `NOT EXISTS (...)`
                *negated = true;
                e.span = self.since(start);
                return Ok(e);
            }
            return Ok(Expr::new(ExprKind::Unary { op: UnaryOp::Not, expr: bx(e) }, self.since(start)));
        }
        if self.kw("EXISTS") && self.sym_at(1, "(") && self.query_start(2) && !self.sym_at(2, "(") {
            return self.exists(start);
        }
        let e = self.binary(0)?;
        self.predicate_tail(e)
    }

    #[inline(never)]
    fn exists(&mut self, start: Span) -> Result<Expr> {
        self.i += 2;
        let subquery = Box::new(self.query()?);
        self.expect_sym(")")?;
        Ok(Expr::new(ExprKind::Exists { subquery, negated: false }, self.since(start)))
    }

    /// The predicate after a value expression (kept out of `predicate` so the recursion's frames stay small).
    #[inline(never)]
    fn predicate_tail(&mut self, e: Expr) -> Result<Expr> {
        let start = e.span;
        let ops = ["BETWEEN", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP"];
        let negated = (self.kw("NOT") || self.sym("!")) && ops.iter().any(|k| self.kw_at(1, k));
        self.i += negated as usize;
        let kind = if self.eat_kw("BETWEEN") {
            let low = self.binary(0)?;
            self.expect_kw("AND")?;
            let high = self.binary(0)?;
            ExprKind::Between { expr: bx(e), negated, low: bx(low), high: bx(high) }
        } else if self.eat_kw("IN") {
            self.expect_sym("(")?;
            let kind = if self.query_start(0) && !self.sym("(") {
                ExprKind::InSubquery { expr: bx(e), subquery: Box::new(self.query()?), negated }
            } else {
                ExprKind::InList { expr: bx(e), list: self.comma_list(Self::expr)?, negated }
            };
            self.expect_sym(")")?;
            kind
        } else if self.kw("LIKE") || self.kw("ILIKE") {
            let ilike = self.kw("ILIKE");
            self.i += 1;
            if ["ANY", "ALL", "SOME"].iter().any(|k| self.kw(k)) && self.sym_at(1, "(") {
                return Err(Diagnostic::parse("LIKE ANY / ALL / SOME is not supported by Stagecraft", self.span()));
            }
            let pattern = self.binary(0)?;
            let escape = if self.eat_kw("ESCAPE") {
                let span = self.span();
                match self.peek_at(0) {
                    Some(Tok::Str(s)) if s.chars().count() == 1 => {
                        let c = s.chars().next();
                        self.i += 1;
                        c
                    }
                    Some(Tok::Str(_)) => {
                        return Err(Diagnostic::parse("[INVALID_ESCAPE_CHAR] The escape character must be a string literal of length one.", span))
                    }
                    _ => return self.fail(),
                }
            } else {
                None
            };
            ExprKind::Like { negated, ilike, expr: bx(e), pattern: bx(pattern), escape }
        } else if self.eat_kw("RLIKE") || self.eat_kw("REGEXP") {
            ExprKind::RLike { negated, expr: bx(e), pattern: bx(self.binary(0)?) }
        } else if self.eat_kw("IS") {
            let not = self.eat_kw("NOT");
            if self.eat_kw("NULL") || self.eat_kw("UNKNOWN") {
                if not { ExprKind::IsNotNull(bx(e)) } else { ExprKind::IsNull(bx(e)) }
            } else if self.eat_kw("TRUE") {
                if not { ExprKind::IsNotTrue(bx(e)) } else { ExprKind::IsTrue(bx(e)) }
            } else if self.eat_kw("FALSE") {
                if not { ExprKind::IsNotFalse(bx(e)) } else { ExprKind::IsFalse(bx(e)) }
            } else if self.eat_kw("DISTINCT") {
                self.expect_kw("FROM")?;
                let r = bx(self.binary(0)?);
                if not { ExprKind::IsNotDistinctFrom(bx(e), r) } else { ExprKind::IsDistinctFrom(bx(e), r) }
            } else {
                return self.fail();
            }
        } else {
            return Ok(e);
        };
        Ok(Expr::new(kind, self.since(start)))
    }

    /// The binary operator at the current token and its precedence (higher binds tighter).
    fn binop(&self) -> Option<(BinaryOp, u8)> {
        use BinaryOp::*;
        Some(match self.peek_at(0)? {
            Tok::Sym(s) => match *s {
                "=" | "==" => (Eq, 1),
                "<=>" => (NullSafeEq, 1),
                "<>" | "!=" => (NotEq, 1),
                "<" => (Lt, 1),
                "<=" | "!>" => (LtEq, 1),
                ">" => (Gt, 1),
                ">=" | "!<" => (GtEq, 1),
                "|" => (BitOr, 2),
                "^" => (BitXor, 3),
                "&" => (BitAnd, 4),
                "+" => (Plus, 5),
                "-" => (Minus, 5),
                "||" => (Concat, 5),
                "*" => (Multiply, 6),
                "/" => (Divide, 6),
                "%" => (Modulo, 6),
                _ => return None,
            },
            Tok::Word(w) if w.eq_ignore_ascii_case("DIV") => (IntDivide, 6),
            _ => return None,
        })
    }

    /// Left-associative precedence climbing over the value operators.
    fn binary(&mut self, min: u8) -> Result<Expr> {
        let mut left = self.unary()?;
        while let Some((op, prec)) = self.binop() {
            if prec < min {
                break;
            }
            self.i += 1;
            let right = self.binary(prec + 1)?;
            left = binary(left, op, right);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr> {
        let start = self.span();
        let op = match self.peek_at(0) {
            Some(Tok::Sym("-")) => UnaryOp::Minus,
            Some(Tok::Sym("+")) => UnaryOp::Plus,
            Some(Tok::Sym("~")) => UnaryOp::BitNot,
            _ => {
                let e = self.primary()?;
                return self.postfix_of(e);
            }
        };
        self.i += 1;
        if let (UnaryOp::Minus, Some(Tok::Number(n))) = (op, self.peek_at(0)) {
            // Spark's grammar reads `-1` as a negative literal (so `-2147483648` is an int).
            let n = format!("-{n}");
            self.i += 1;
            return self.postfix_of(Expr::new(ExprKind::Value(Value::Number(n)), self.since(start)));
        }
        let e = self.nested(Self::unary)?;
        Ok(Expr::new(ExprKind::Unary { op, expr: bx(e) }, self.since(start)))
    }

    /// `x[i]` and `x.field` after a primary.
    #[inline(never)]
    fn postfix_of(&mut self, mut e: Expr) -> Result<Expr> {
        loop {
            if self.eat_sym("[") {
                let index = self.expr()?;
                self.expect_sym("]")?;
                let span = self.since(e.span);
                e = Expr::new(ExprKind::Subscript { expr: bx(e), index: bx(index) }, span);
            } else if self.sym(".") && self.is_ident_at(1) {
                self.i += 1;
                let field = self.ident()?;
                let span = e.span.union(field.span);
                e = Expr::new(ExprKind::FieldAccess { expr: bx(e), field }, span);
            } else {
                return Ok(e);
            }
        }
    }

    fn is_ident_at(&self, k: usize) -> bool {
        matches!(self.peek_at(k), Some(Tok::Word(_) | Tok::Quoted(_)))
    }

    /// A name as an expression (`a` or `t.a`).
    pub(super) fn name_expr(&mut self) -> Result<Expr> {
        let mut name = self.object_name()?;
        let span = name_span(&name);
        Ok(Expr::new(if name.len() == 1 { ExprKind::Identifier(name.remove(0)) } else { ExprKind::CompoundIdentifier(name) }, span))
    }

    pub(super) fn primary(&mut self) -> Result<Expr> {
        let start = self.span();
        if self.sym("(") {
            return self.paren(start);
        }
        self.primary_other(start)
    }

    #[inline(never)]
    fn primary_other(&mut self, start: Span) -> Result<Expr> {
        let Some(tok) = self.peek_at(0).cloned() else { return self.fail() };
        let kind = match tok {
            Tok::Number(n) => {
                self.i += 1;
                ExprKind::Value(Value::Number(n))
            }
            Tok::Str(mut s) => {
                self.i += 1;
                while let Some(Tok::Str(more)) = self.peek_at(0) {
                    s.push_str(more);
                    self.i += 1;
                }
                ExprKind::Value(Value::String(s))
            }
            Tok::Sym("*") => {
                self.i += 1;
                ExprKind::Wildcard(None)
            }
            Tok::Word(w) => return self.word(w, start),
            Tok::Quoted(_) if self.sym_at(1, "->") => return self.lambda(start),
            Tok::Quoted(_) => return self.name_or_call(start),
            _ => return self.fail(),
        };
        Ok(Expr::new(kind, self.since(start)))
    }

    /// A primary expression starting with a word: literals, special forms, lambdas, names and calls.
    #[inline(never)]
    fn word(&mut self, w: String, start: Span) -> Result<Expr> {
        let kind = match w {
            w if matches!(self.peek_at(1), Some(Tok::Str(_))) && typed_literal(&w).is_some() => {
                self.i += 1;
                let Some(Tok::Str(value)) = self.peek_at(0).cloned() else { return self.fail() };
                self.i += 1;
                let data_type = typed_literal(&w).unwrap_or(DataType::String);
                ExprKind::TypedString { type_name: w.to_ascii_uppercase(), data_type, value }
            }
            w => {
                let up = w.to_ascii_uppercase();
                let call = self.sym_at(1, "(");
                match up.as_str() {
                    "TRUE" | "FALSE" => {
                        self.i += 1;
                        ExprKind::Value(Value::Boolean(up == "TRUE"))
                    }
                    "NULL" => {
                        self.i += 1;
                        ExprKind::Value(Value::Null)
                    }
                    "INTERVAL" if matches!(self.peek_at(1), Some(Tok::Str(_) | Tok::Number(_) | Tok::Sym("-"))) => {
                        return self.interval(start);
                    }
                    "CASE" => return self.case(start),
                    "CAST" | "TRY_CAST" if call => {
                        self.i += 2;
                        let expr = self.expr()?;
                        self.expect_kw("AS")?;
                        let data_type = self.data_type()?;
                        self.expect_sym(")")?;
                        ExprKind::Cast { expr: bx(expr), data_type, try_cast: up == "TRY_CAST" }
                    }
                    "EXTRACT" if call && self.at_depth0(2, "FROM") => {
                        self.i += 2;
                        let field = self.ident()?.value.to_ascii_lowercase();
                        self.expect_kw("FROM")?;
                        let expr = bx(self.binary(0)?);
                        self.expect_sym(")")?;
                        ExprKind::Extract { field, expr }
                    }
                    "SUBSTRING" | "SUBSTR" if call && self.at_depth0(2, "FROM") => {
                        self.i += 2;
                        let expr = bx(self.binary(0)?);
                        self.expect_kw("FROM")?;
                        let from = Some(bx(self.binary(0)?));
                        let len = if self.eat_kw("FOR") { Some(bx(self.binary(0)?)) } else { None };
                        self.expect_sym(")")?;
                        ExprKind::Substring { expr, from, len }
                    }
                    "POSITION" if call && self.at_depth0(2, "IN") => {
                        self.i += 2;
                        let sub = bx(self.binary(0)?);
                        self.expect_kw("IN")?;
                        let expr = bx(self.binary(0)?);
                        self.expect_sym(")")?;
                        ExprKind::Position { sub, expr }
                    }
                    "TRIM" if call && (self.at_depth0(2, "FROM") || ["BOTH", "LEADING", "TRAILING"].iter().any(|k| self.kw_at(2, k))) => {
                        self.i += 2;
                        let side = ["BOTH", "LEADING", "TRAILING"].iter().find(|k| self.kw(k)).map(|k| k.to_string());
                        self.i += side.is_some() as usize;
                        let chars = if self.kw("FROM") { None } else { Some(bx(self.binary(0)?)) };
                        self.expect_kw("FROM")?;
                        let expr = bx(self.binary(0)?);
                        self.expect_sym(")")?;
                        ExprKind::Trim { side, chars, expr }
                    }
                    _ if self.sym_at(1, "->") => return self.lambda(start),
                    _ if NOT_EXPR.contains(&up.as_str()) => return self.fail(),
                    _ => return self.name_or_call(start),
                }
            }
        };
        Ok(Expr::new(kind, self.since(start)))
    }

    /// True when `kw` appears at parenthesis depth 0 from token `k` up to the matching `)`.
    fn at_depth0(&self, k: usize, kw: &str) -> bool {
        let mut depth = 0usize;
        for t in self.toks.iter().skip(self.i + k) {
            match &t.tok {
                Tok::Sym("(" | "[") => depth += 1,
                Tok::Sym(")" | "]") if depth == 0 => return false,
                Tok::Sym(")" | "]") => depth -= 1,
                _ if depth == 0 && t.is_kw(kw) => return true,
                _ => {}
            }
        }
        false
    }

    #[inline(never)]
    /// `( ... )`: a subquery, a lambda's parameters, a tuple or a parenthesised expression.
    fn paren(&mut self, start: Span) -> Result<Expr> {
        if self.query_start(1) && !self.sym_at(1, "(") {
            self.i += 1;
            let q = self.query()?;
            self.expect_sym(")")?;
            return Ok(Expr::new(ExprKind::Subquery(Box::new(q)), self.since(start)));
        }
        let mut k = 1;
        while self.is_ident_at(k) && (self.sym_at(k + 1, ",") || self.sym_at(k + 1, ")")) {
            k += 2;
            if self.sym_at(k - 1, ")") {
                if self.sym_at(k, "->") {
                    return self.lambda(start);
                }
                break;
            }
        }
        self.i += 1;
        let first = self.expr()?;
        let kind = if self.sym(",") {
            let mut v = vec![first];
            while self.eat_sym(",") {
                v.push(self.expr()?);
            }
            ExprKind::Tuple(v)
        } else {
            ExprKind::Nested(bx(first))
        };
        self.expect_sym(")")?;
        Ok(Expr::new(kind, self.since(start)))
    }

    /// `x -> body` or `(x, y) -> body`.
    fn lambda(&mut self, start: Span) -> Result<Expr> {
        let params = if self.sym("(") { self.ident_list()? } else { vec![self.ident()?] };
        self.expect_sym("->")?;
        let body = bx(self.expr()?);
        Ok(Expr::new(ExprKind::Lambda { params, body }, self.since(start)))
    }

    /// `INTERVAL '1' DAY`, `INTERVAL 2 HOURS 30 MINUTES`, `INTERVAL '1-2' YEAR TO MONTH`: kept as text.
    fn interval(&mut self, start: Span) -> Result<Expr> {
        let first = self.i;
        self.i += 1;
        loop {
            self.eat_sym("-");
            match self.peek_at(0) {
                Some(Tok::Str(_) | Tok::Number(_)) => self.i += 1,
                _ => return self.fail(),
            }
            if INTERVAL_UNITS.iter().any(|u| self.kw(u)) {
                self.i += 1;
                if self.kw("TO") && INTERVAL_UNITS.iter().any(|u| self.kw_at(1, u)) {
                    self.i += 2;
                }
            }
            if !matches!(self.peek_at(0), Some(Tok::Str(_) | Tok::Number(_))) {
                break;
            }
        }
        let (a, b) = (self.toks.get(first).map_or(0, |t| t.start), self.toks.get(self.i - 1).map_or(0, |t| t.end));
        let text = self.text.get(a..b).unwrap_or("").to_string();
        Ok(Expr::new(ExprKind::Interval(text), self.since(start)))
    }

    fn case(&mut self, start: Span) -> Result<Expr> {
        self.i += 1;
        let operand = if self.kw("WHEN") { None } else { Some(bx(self.expr()?)) };
        let mut branches = vec![];
        while self.eat_kw("WHEN") {
            let c = self.expr()?;
            self.expect_kw("THEN")?;
            branches.push((c, self.expr()?));
        }
        if branches.is_empty() {
            return self.fail();
        }
        let else_result = if self.eat_kw("ELSE") { Some(bx(self.expr()?)) } else { None };
        self.expect_kw("END")?;
        Ok(Expr::new(ExprKind::Case { operand, branches, else_result }, self.since(start)))
    }

    /// A (possibly qualified) name, `t.*`, or a function call with its modifiers.
    fn name_or_call(&mut self, start: Span) -> Result<Expr> {
        let mut name = vec![self.ident()?];
        while self.sym(".") && (self.is_ident_at(1) || self.sym_at(1, "*")) {
            self.i += 1;
            if self.eat_sym("*") {
                return Ok(Expr::new(ExprKind::Wildcard(Some(name)), self.since(start)));
            }
            name.push(self.ident()?);
        }
        if !self.eat_sym("(") {
            let kind = if name.len() == 1 { ExprKind::Identifier(name.remove(0)) } else { ExprKind::CompoundIdentifier(name) };
            return Ok(Expr::new(kind, self.since(start)));
        }
        let distinct = self.eat_kw("DISTINCT");
        if !distinct && self.kw("ALL") && !self.sym_at(1, ")") && !self.sym_at(1, ",") && self.binop_at1().is_none() {
            self.i += 1;
        }
        let args = if self.sym(")") { vec![] } else { self.comma_list(Self::expr)? };
        let mut ignore_nulls = self.nulls_option();
        self.expect_sym(")")?;
        let filter = if self.kw("FILTER") && self.sym_at(1, "(") {
            self.i += 2;
            self.expect_kw("WHERE")?;
            let f = self.expr()?;
            self.expect_sym(")")?;
            Some(bx(f))
        } else {
            None
        };
        ignore_nulls = ignore_nulls.or(self.nulls_option());
        let over = if self.eat_kw("OVER") { Some(self.window_ref()?) } else { None };
        let f = Function { name, args, distinct, filter, ignore_nulls, over };
        Ok(Expr::new(ExprKind::Function(f), self.since(start)))
    }

    fn binop_at1(&mut self) -> Option<(BinaryOp, u8)> {
        self.i += 1;
        let b = self.binop();
        self.i -= 1;
        b
    }

    /// `IGNORE NULLS` / `RESPECT NULLS`.
    fn nulls_option(&mut self) -> Option<bool> {
        if self.eat2("IGNORE", "NULLS") {
            return Some(true);
        }
        self.eat2("RESPECT", "NULLS").then_some(false)
    }

    /// After OVER (or `WINDOW w AS`): `w`, `(w)`, or `([w] PARTITION BY ... ORDER BY ... frame)`.
    pub(super) fn window_ref(&mut self) -> Result<WindowRef> {
        if !self.sym("(") {
            return Ok(WindowRef::Named(self.ident()?));
        }
        let start = self.span();
        self.i += 1;
        if self.is_ident_at(0) && self.sym_at(1, ")") {
            let name = self.ident()?;
            self.i += 1;
            return Ok(WindowRef::Named(name));
        }
        let clause = ["PARTITION", "DISTRIBUTE", "CLUSTER", "ORDER", "SORT", "ROWS", "RANGE"];
        let base = if self.is_ident_at(0) && !clause.iter().any(|k| self.kw(k)) { Some(self.ident()?) } else { None };
        let mut spec = WindowSpec { base, partition_by: vec![], order_by: vec![], frame: None, span: start };
        if self.eat2("PARTITION", "BY") || self.eat2("DISTRIBUTE", "BY") || self.eat2("CLUSTER", "BY") {
            spec.partition_by = self.comma_list(Self::expr)?;
        }
        if self.eat2("ORDER", "BY") || self.eat2("SORT", "BY") {
            spec.order_by = self.comma_list(Self::sort_item)?;
        }
        if self.kw("ROWS") || self.kw("RANGE") {
            let fstart = self.span();
            let units = if self.kw("ROWS") { FrameUnits::Rows } else { FrameUnits::Range };
            self.i += 1;
            let (start_b, end) = if self.eat_kw("BETWEEN") {
                let s = self.frame_bound()?;
                self.expect_kw("AND")?;
                (s, Some(self.frame_bound()?))
            } else {
                (self.frame_bound()?, None)
            };
            spec.frame = Some(WindowFrame { units, start: start_b, end, span: self.since(fstart) });
        }
        self.expect_sym(")")?;
        spec.span = self.since(start);
        Ok(WindowRef::Spec(spec))
    }

    fn frame_bound(&mut self) -> Result<FrameBound> {
        if self.eat2("CURRENT", "ROW") {
            return Ok(FrameBound::CurrentRow);
        }
        let n = if self.eat_kw("UNBOUNDED") { None } else { Some(bx(self.binary(0)?)) };
        if self.eat_kw("PRECEDING") {
            Ok(FrameBound::Preceding(n))
        } else if self.eat_kw("FOLLOWING") {
            Ok(FrameBound::Following(n))
        } else {
            self.fail()
        }
    }

    /// A Spark data type (`int`, `decimal(10,2)`, `array<string>`, `struct<a:int,b string>`, ...).
    pub(crate) fn data_type(&mut self) -> Result<DataType> {
        self.nested(Self::data_type_inner)
    }

    fn data_type_inner(&mut self) -> Result<DataType> {
        let span = self.span();
        let Some(Tok::Word(w)) = self.peek_at(0) else { return self.fail() };
        let w = w.to_ascii_lowercase();
        self.i += 1;
        Ok(match w.as_str() {
            "boolean" => DataType::Boolean,
            "tinyint" | "byte" => DataType::Byte,
            "smallint" | "short" => DataType::Short,
            "int" | "integer" => DataType::Int,
            "bigint" | "long" => DataType::Long,
            "float" | "real" => DataType::Float,
            "double" => {
                self.eat_kw("PRECISION");
                DataType::Double
            }
            "string" => DataType::String,
            "binary" => DataType::Binary,
            "date" => DataType::Date,
            "timestamp" | "timestamp_ntz" | "timestamp_ltz" => DataType::Timestamp,
            "void" => DataType::Null,
            "varchar" | "char" | "character" => {
                self.expect_sym("(")?;
                self.int()?;
                self.expect_sym(")")?;
                DataType::String
            }
            "decimal" | "dec" | "numeric" => {
                if !self.eat_sym("(") {
                    return Ok(DataType::Decimal(10, 0));
                }
                let (p, ps) = self.int()?;
                let s = if self.eat_sym(",") { self.int()?.0 } else { 0 };
                self.expect_sym(")")?;
                if p == 0 || p > 38 || s > p {
                    let msg = format!("[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision {p} exceeds max precision 38 (or scale {s} exceeds it).");
                    return Err(Diagnostic::parse(msg, ps));
                }
                DataType::Decimal(p as u8, s as u8)
            }
            "array" => {
                self.expect_sym("<")?;
                let t = self.data_type()?;
                self.expect_sym(">")?;
                DataType::Array(Box::new(t))
            }
            "map" => {
                self.expect_sym("<")?;
                let k = self.data_type()?;
                self.expect_sym(",")?;
                let v = self.data_type()?;
                self.expect_sym(">")?;
                DataType::Map(Box::new(k), Box::new(v))
            }
            "struct" => {
                if self.eat_sym("<>") {
                    return Ok(DataType::Struct(vec![]));
                }
                self.expect_sym("<")?;
                let fields = self.comma_list(|p| {
                    let name = p.ident()?.value;
                    p.eat_sym(":");
                    let t = p.data_type()?;
                    if p.eat_kw("NOT") {
                        p.expect_kw("NULL")?;
                    }
                    if p.eat_kw("COMMENT") {
                        match p.peek_at(0) {
                            Some(Tok::Str(_)) => p.i += 1,
                            _ => return p.fail(),
                        }
                    }
                    Ok((name, t))
                })?;
                self.expect_sym(">")?;
                DataType::Struct(fields)
            }
            _ => {
                let msg = format!("[UNSUPPORTED_DATATYPE] Unsupported data type \"{}\".", w.to_ascii_uppercase());
                return Err(Diagnostic::parse(msg, span));
            }
        })
    }

    fn int(&mut self) -> Result<(u32, Span)> {
        let span = self.span();
        match self.peek_at(0) {
            Some(Tok::Number(n)) if n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()) => {
                let v = n.parse().unwrap_or(0);
                self.i += 1;
                Ok((v, span))
            }
            _ => self.fail(),
        }
    }
}

fn binary(left: Expr, op: BinaryOp, right: Expr) -> Expr {
    let span = left.span.union(right.span);
    Expr::new(ExprKind::Binary { left: bx(left), op, right: bx(right) }, span)
}

/// The type of a typed literal's keyword (`DATE '...'`), if it is one.
fn typed_literal(w: &str) -> Option<DataType> {
    Some(match w.to_ascii_uppercase().as_str() {
        "DATE" => DataType::Date,
        "TIMESTAMP" | "TIMESTAMP_NTZ" | "TIMESTAMP_LTZ" => DataType::Timestamp,
        "X" => DataType::Binary,
        _ => return None,
    })
}
