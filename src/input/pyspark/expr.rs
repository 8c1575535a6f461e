//! Expression parsing for the PySpark subset with Python's exact precedence and associativity (lambda and
//! `if/else` < or < and < not < comparisons < | < ^ < & < shifts < + - < * / // % < unary + - ~ < ** < trailers),
//! by precedence climbing. The recursive path (test → binary → factor → primary → call/paren/list → test) is kept
//! to small functions, with cold branches and error formatting moved out, so a nesting level costs little stack;
//! every recursion passes the depth guard. It refuses generator/dict/set comprehensions, sets, f-strings, bytes
//! and `*`/`**` unpacking with a message naming them; it knows nothing of what the expressions mean to Spark.

use super::ast::*;
use super::lexer::Tok;
use super::parser::{is_keyword, Parser};
use crate::error::{Diagnostic, Pos, Span};
use std::collections::BTreeSet;

const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const CMP: u8 = 4;
const TERM: u8 = 10;

/// The binary (non-comparison) operator at the cursor with its precedence; `Err` holds `and` / `or`.
fn binary_op(t: &Tok) -> Option<(u8, Result<BinOp, BoolOp>)> {
    let (p, op) = match t {
        Tok::Name(n) if n == "or" => return Some((OR, Err(BoolOp::Or))),
        Tok::Name(n) if n == "and" => return Some((AND, Err(BoolOp::And))),
        Tok::Op("|") => (5, BinOp::BitOr),
        Tok::Op("^") => (6, BinOp::BitXor),
        Tok::Op("&") => (7, BinOp::BitAnd),
        Tok::Op("<<") => (8, BinOp::LShift),
        Tok::Op(">>") => (8, BinOp::RShift),
        Tok::Op("+") => (9, BinOp::Add),
        Tok::Op("-") => (9, BinOp::Sub),
        Tok::Op("*") => (TERM, BinOp::Mul),
        Tok::Op("/") => (TERM, BinOp::Div),
        Tok::Op("//") => (TERM, BinOp::FloorDiv),
        Tok::Op("%") => (TERM, BinOp::Mod),
        _ => return None,
    };
    Some((p, Ok(op)))
}

/// The comparison operator at `t` (and the token after it), with how many tokens it spans.
fn cmp_op(t: &Tok, next: &Tok) -> Option<(CmpOp, usize)> {
    let kw = |t: &Tok, k: &str| matches!(t, Tok::Name(n) if n == k);
    Some(match t {
        Tok::Op("==") => (CmpOp::Eq, 1),
        Tok::Op("!=") => (CmpOp::NotEq, 1),
        Tok::Op("<") => (CmpOp::Lt, 1),
        Tok::Op("<=") => (CmpOp::LtE, 1),
        Tok::Op(">") => (CmpOp::Gt, 1),
        Tok::Op(">=") => (CmpOp::GtE, 1),
        _ if kw(t, "in") => (CmpOp::In, 1),
        _ if kw(t, "not") && kw(next, "in") => (CmpOp::NotIn, 2),
        _ if kw(t, "is") && kw(next, "not") => (CmpOp::IsNot, 2),
        _ if kw(t, "is") => (CmpOp::Is, 1),
        _ => return None,
    })
}

fn node(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

// ---- the recursive path: keep these small ----
impl Parser {
    /// `test`: a lambda, or `or_test ['if' or_test 'else' test]`.
    pub(super) fn test(&mut self) -> Result<Expr, Diagnostic> {
        self.enter()?;
        let r = if self.at_kw("lambda") { self.lambda() } else { self.binary(OR) };
        let r = match r {
            Ok(body) if self.at_kw("if") || self.at_op(":=") => self.conditional(body),
            r => r,
        };
        self.leave();
        r
    }

    /// Precedence climbing over `or` .. `* / // %`, with `not` and comparison chains at their levels.
    fn binary(&mut self, min: u8) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let mut left = if min <= NOT && self.at_kw("not") { self.not_expr()? } else { self.factor()? };
        loop {
            if min <= CMP && cmp_op(self.peek(), self.peek_at(1)).is_some() {
                left = self.compare_chain(start, left)?;
                continue;
            }
            let Some((prec, op)) = binary_op(self.peek()) else { break };
            if prec < min {
                break;
            }
            self.bump();
            self.enter()?;
            let right = self.binary(prec + 1);
            self.leave();
            left = binary_node(op, left, right?, self.span_from(start));
        }
        if self.at_op("@") {
            return Err(self.refuse("the matrix multiplication operator '@' is not supported"));
        }
        Ok(left)
    }

    /// `factor`: unary `+ - ~` (right-recursive), else `primary ['**' factor]`.
    fn factor(&mut self) -> Result<Expr, Diagnostic> {
        if matches!(self.peek(), Tok::Op("-" | "+" | "~")) {
            return self.unary();
        }
        let start = self.start();
        let base = self.primary()?;
        if self.at_op("**") {
            return self.power_rest(start, base);
        }
        Ok(base)
    }

    /// An atom followed by `.name`, `(args)` and `[index]` trailers.
    fn primary(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let mut e = match self.peek() {
            Tok::Op("(") => self.paren()?,
            Tok::Op("[") => self.list()?,
            Tok::Op("{") => self.dict()?,
            _ => self.atom()?,
        };
        loop {
            e = match self.peek() {
                Tok::Op(".") => self.attribute(start, e)?,
                Tok::Op("(") => self.call(start, e)?,
                Tok::Op("[") => self.subscript(start, e)?,
                _ => return Ok(e),
            };
        }
    }

    /// `func(args, name=value)`; `*args`, `**kwargs` and generator arguments are refused.
    fn call(&mut self, start: Pos, func: Expr) -> Result<Expr, Diagnostic> {
        self.bump();
        let (mut args, mut keywords, mut seen) = (Vec::new(), Vec::<Keyword>::new(), BTreeSet::new());
        while !self.at_op(")") {
            if matches!(self.peek_at(1), Tok::Op("=")) && matches!(self.peek(), Tok::Name(_)) {
                keywords.push(self.keyword_arg(&mut seen)?);
            } else {
                self.check_positional(&keywords)?;
                args.push(self.test()?);
                if self.at_kw("for") {
                    return Err(self.refuse_genexp());
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")", "to close the call's arguments")?;
        let kind = ExprKind::Call { func: Box::new(func), args, keywords };
        Ok(node(kind, self.span_from(start)))
    }

    /// `()`, `(x)`, `(x,)`, `(a, b)`.
    fn paren(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        self.bump();
        if self.eat_op(")") {
            return Ok(node(ExprKind::Tuple(Vec::new()), self.span_from(start)));
        }
        let first = self.test()?;
        if self.eat_op(")") {
            return Ok(first);
        }
        if self.at_kw("for") {
            return Err(self.refuse_genexp());
        }
        let items = self.rest_of_sequence(first, ")", "a tuple")?;
        Ok(node(ExprKind::Tuple(items), self.span_from(start)))
    }

    /// After the first element: `, b, c [,]` up to and including `close`.
    fn rest_of_sequence(&mut self, first: Expr, close: &str, what: &str) -> Result<Vec<Expr>, Diagnostic> {
        let mut items = vec![first];
        loop {
            if self.eat_op(close) {
                return Ok(items);
            }
            if !self.eat_op(",") {
                return Err(self.sequence_error(close, what));
            }
            if self.eat_op(close) {
                return Ok(items);
            }
            items.push(self.test()?);
        }
    }

    /// `[]`, `[a, b]`, or `[elt for x in it if cond]`.
    fn list(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        self.bump();
        if self.eat_op("]") {
            return Ok(node(ExprKind::List(Vec::new()), self.span_from(start)));
        }
        let first = self.test()?;
        if self.at_kw("for") {
            return self.list_comp(start, first);
        }
        let items = self.rest_of_sequence(first, "]", "a list")?;
        Ok(node(ExprKind::List(items), self.span_from(start)))
    }

    /// `{}` or `{k: v, ...}`; sets and comprehensions are refused.
    fn dict(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let open = self.bump();
        let mut pairs = Vec::new();
        while !self.at_op("}") {
            if self.at_op("**") {
                return Err(self.refuse("dict unpacking ('**d') is not supported"));
            }
            let key = self.test()?;
            if !self.at_op(":") {
                return Err(self.dict_key_error(open, pairs.is_empty()));
            }
            self.bump();
            let value = self.test()?;
            if self.at_kw("for") {
                return Err(self.refuse("dict comprehensions are not supported"));
            }
            pairs.push((key, value));
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op("}", "to close the dict")?;
        Ok(node(ExprKind::Dict(pairs), self.span_from(start)))
    }

    /// `value[index]`, `value[lo:hi:step]`, `value[a, b]`.
    fn subscript(&mut self, start: Pos, value: Expr) -> Result<Expr, Diagnostic> {
        self.bump();
        let first = self.subscript_item()?;
        let index = if self.at_op(",") { self.subscript_tuple(first)? } else { first };
        self.expect_op("]", "to close the subscript")?;
        let kind = ExprKind::Subscript { value: Box::new(value), index: Box::new(index) };
        Ok(node(kind, self.span_from(start)))
    }

    fn subscript_item(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let lower = if self.at_op(":") { None } else { Some(self.test()?) };
        match lower {
            Some(e) if !self.at_op(":") => Ok(e),
            lower => self.slice(start, lower),
        }
    }

    /// `[lower]:[upper][:[step]]`, the cursor on the first ':'.
    fn slice(&mut self, start: Pos, lower: Option<Expr>) -> Result<Expr, Diagnostic> {
        self.bump();
        let upper = self.slice_bound()?;
        let step = if self.eat_op(":") { self.slice_bound()? } else { None };
        let kind = ExprKind::Slice { lower: lower.map(Box::new), upper, step };
        Ok(node(kind, self.span_from(start)))
    }

    fn slice_bound(&mut self) -> Result<Option<Box<Expr>>, Diagnostic> {
        if self.at_op(":") || self.at_op("]") || self.at_op(",") {
            return Ok(None);
        }
        Ok(Some(Box::new(self.test()?)))
    }
}

fn binary_node(op: Result<BinOp, BoolOp>, left: Expr, right: Expr, span: Span) -> Expr {
    let (left, right) = (Box::new(left), Box::new(right));
    let kind = match op {
        Ok(op) => ExprKind::Binary { op, left, right },
        Err(op) => ExprKind::BoolOp { op, left, right },
    };
    node(kind, span)
}

// ---- branches off the recursive path ----
impl Parser {
    /// `body if test else orelse`, the cursor on `if` (or on a refused `:=`).
    fn conditional(&mut self, body: Expr) -> Result<Expr, Diagnostic> {
        if self.at_op(":=") {
            return Err(self.refuse("assignment expressions (':=') are not supported"));
        }
        self.bump();
        let test = self.binary(OR)?;
        if !self.at_kw("else") {
            return Err(self.expected("'else' in conditional expression"));
        }
        self.bump();
        let orelse = self.test()?;
        let span = Span::new(body.span.start, self.span_from(body.span.start).end);
        let kind = ExprKind::IfElse { body: Box::new(body), test: Box::new(test), orelse: Box::new(orelse) };
        Ok(node(kind, span))
    }

    /// `or_test`: everything but lambda and conditional expressions (comprehension iterables and conditions).
    fn or_test(&mut self) -> Result<Expr, Diagnostic> {
        self.enter()?;
        let r = self.binary(OR);
        self.leave();
        r
    }

    /// Comma-separated tests; more than one (or a trailing comma) makes a bare tuple.
    pub(super) fn testlist(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let first = self.test()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Op("=" | ";")) {
                break;
            }
            items.push(self.test()?);
        }
        Ok(node(ExprKind::Tuple(items), self.span_from(start)))
    }

    /// `not x`, binding looser than comparisons.
    fn not_expr(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        self.enter()?;
        self.bump();
        let operand = self.binary(NOT);
        self.leave();
        let kind = ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(operand?) };
        Ok(node(kind, self.span_from(start)))
    }

    /// A chain `left op a op b ...`, the cursor on the first comparison operator.
    fn compare_chain(&mut self, start: Pos, left: Expr) -> Result<Expr, Diagnostic> {
        let mut ops = Vec::new();
        while let Some((op, n)) = cmp_op(self.peek(), self.peek_at(1)) {
            for _ in 0..n {
                self.bump();
            }
            self.enter()?;
            let right = self.binary(CMP + 1);
            self.leave();
            ops.push((op, right?));
        }
        Ok(node(ExprKind::Compare { left: Box::new(left), ops }, self.span_from(start)))
    }

    /// Unary `- + ~`, whose operand is a factor (so `-a ** 2` is `-(a ** 2)`).
    fn unary(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let op = match self.peek() {
            Tok::Op("-") => UnaryOp::Neg,
            Tok::Op("+") => UnaryOp::Pos,
            _ => UnaryOp::Invert,
        };
        self.enter()?;
        self.bump();
        let operand = self.factor();
        self.leave();
        Ok(node(ExprKind::Unary { op, operand: Box::new(operand?) }, self.span_from(start)))
    }

    /// `base ** factor`, right-associative; the cursor on `**`.
    fn power_rest(&mut self, start: Pos, base: Expr) -> Result<Expr, Diagnostic> {
        self.bump();
        self.enter()?;
        let exp = self.factor();
        self.leave();
        let kind = ExprKind::Binary { op: BinOp::Pow, left: Box::new(base), right: Box::new(exp?) };
        Ok(node(kind, self.span_from(start)))
    }

    fn attribute(&mut self, start: Pos, value: Expr) -> Result<Expr, Diagnostic> {
        self.bump();
        let attr = self.ident("an attribute name after '.'")?;
        Ok(node(ExprKind::Attribute { value: Box::new(value), attr }, self.span_from(start)))
    }

    /// `name=value` in a call; the cursor on the name. `seen` holds the call's keyword names so far.
    fn keyword_arg(&mut self, seen: &mut BTreeSet<String>) -> Result<Keyword, Diagnostic> {
        let start = self.start();
        let name = self.ident("a keyword argument name")?;
        if !seen.insert(name.name.clone()) {
            return Err(Diagnostic::parse(format!("keyword argument repeated: {}", name.name), name.span));
        }
        self.bump();
        let value = self.test()?;
        Ok(Keyword { name, value, span: self.span_from(start) })
    }

    /// Refuses `*args`, `**kwargs` and a positional argument after a keyword one.
    fn check_positional(&self, keywords: &[Keyword]) -> Result<(), Diagnostic> {
        if self.at_op("*") {
            return Err(self.refuse("'*args' unpacking in a call is not supported"));
        }
        if self.at_op("**") {
            return Err(self.refuse("'**kwargs' unpacking in a call is not supported"));
        }
        if !keywords.is_empty() {
            return Err(self.refuse("positional argument follows keyword argument"));
        }
        Ok(())
    }

    /// Names, literals and the refused atoms (brackets are handled by `primary`).
    fn atom(&mut self) -> Result<Expr, Diagnostic> {
        let kind = match self.peek() {
            Tok::Name(n) => match n.as_str() {
                "True" => ExprKind::Bool(true),
                "False" => ExprKind::Bool(false),
                "None" => ExprKind::None,
                _ if is_keyword(n) => return Err(self.atom_error()),
                _ => ExprKind::Name(n.clone()),
            },
            Tok::Int(v) => ExprKind::Int(*v),
            Tok::Float(v) => ExprKind::Float(*v),
            Tok::Str(_) | Tok::Bytes | Tok::FString => return self.strings(),
            _ => return Err(self.atom_error()),
        };
        let span = self.bump();
        Ok(node(kind, span))
    }

    /// Adjacent string literals, concatenated (`"a" 'b'` is `"ab"`).
    fn strings(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let mut value = String::new();
        loop {
            match self.peek() {
                Tok::Str(s) => value.push_str(s),
                Tok::FString => return Err(self.refuse(
                    "f-strings are not supported; build the text with F.concat / F.format_string or '...'.format(...)",
                )),
                Tok::Bytes => return Err(self.refuse("bytes literals (b'...') are not supported")),
                _ => break,
            }
            self.bump();
        }
        Ok(node(ExprKind::Str(value), self.span_from(start)))
    }

    /// `lambda a, b: body`; the body's source text is kept.
    fn lambda(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        self.bump();
        let mut params = Vec::new();
        while !self.at_op(":") {
            if self.at_op("*") || self.at_op("**") {
                return Err(self.refuse("'*' and '**' lambda parameters are not supported"));
            }
            params.push(self.ident("a lambda parameter name or ':'")?);
            if self.at_op("=") {
                return Err(self.refuse("default values for lambda parameters are not supported"));
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(":", "after the lambda parameters")?;
        let first = self.index();
        let body = self.test()?;
        let body_text = self.text(first, self.index());
        let kind = ExprKind::Lambda { params, body: Box::new(body), body_text };
        Ok(node(kind, self.span_from(start)))
    }

    /// `[elt for a, b in iter if cond ...]`, the cursor on `for`; one `for` clause only.
    fn list_comp(&mut self, start: Pos, elt: Expr) -> Result<Expr, Diagnostic> {
        self.bump();
        let mut targets = vec![self.ident("a loop variable name after 'for'")?];
        while self.eat_op(",") {
            targets.push(self.ident("a loop variable name")?);
        }
        if !self.at_kw("in") {
            return Err(self.expected("'in' in list comprehension"));
        }
        self.bump();
        let iter = self.or_test()?;
        let mut conds = Vec::new();
        while self.at_kw("if") {
            self.bump();
            conds.push(self.or_test()?);
        }
        if self.at_kw("for") || self.at_kw("async") {
            return Err(self.refuse("nested 'for' clauses in a list comprehension are not supported"));
        }
        self.expect_op("]", "to close the list comprehension")?;
        let kind = ExprKind::ListComp { elt: Box::new(elt), targets, iter: Box::new(iter), conds };
        Ok(node(kind, self.span_from(start)))
    }

    /// `a, b` inside `[...]`, the cursor on the first ','.
    fn subscript_tuple(&mut self, first: Expr) -> Result<Expr, Diagnostic> {
        let start = first.span.start;
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_op("]") {
                break;
            }
            items.push(self.subscript_item()?);
        }
        Ok(node(ExprKind::Tuple(items), self.span_from(start)))
    }
}

// ---- error messages (cold: their formatting stays out of the recursive frames) ----
impl Parser {
    #[cold]
    #[inline(never)]
    fn refuse(&self, msg: &str) -> Diagnostic {
        self.err_here(msg)
    }

    #[cold]
    #[inline(never)]
    fn expected(&self, what: &str) -> Diagnostic {
        self.err_here(format!("expected {what}, found {}", self.describe()))
    }

    #[cold]
    #[inline(never)]
    fn refuse_genexp(&self) -> Diagnostic {
        self.err_here("generator expressions are not supported; use a list comprehension [... for x in ...]")
    }

    #[cold]
    #[inline(never)]
    fn sequence_error(&self, close: &str, what: &str) -> Diagnostic {
        self.expected(&format!("',' or '{close}' after an element of {what}"))
    }

    #[cold]
    #[inline(never)]
    fn dict_key_error(&self, open: Span, first: bool) -> Diagnostic {
        if self.at_kw("for") {
            return self.refuse("set comprehensions are not supported");
        }
        if first && (self.at_op(",") || self.at_op("}")) {
            return Diagnostic::parse("set literals ({a, b}) are not supported", open);
        }
        self.expected("':' after a dict key")
    }

    #[cold]
    #[inline(never)]
    fn atom_error(&self) -> Diagnostic {
        let msg = match self.peek() {
            Tok::Name(n) if n == "yield" || n == "await" => format!("'{n}' expressions are not supported"),
            Tok::Imaginary => "complex number literals ('1j') are not supported".into(),
            Tok::Op("*") => "star unpacking ('*x') is not supported".into(),
            Tok::Op("**") => "'**' unpacking is not supported".into(),
            Tok::Op("...") => "Ellipsis ('...') is not supported".into(),
            _ => return self.expected("an expression"),
        };
        self.err_here(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_program, StmtKind};

    /// The canonical (fully parenthesised) form of a single expression statement.
    fn show(src: &str) -> String {
        let p = parse_program(src).unwrap();
        match &p.stmts[0].kind {
            StmtKind::Expr(e) => e.to_string(),
            other => panic!("not an expression: {other:?}"),
        }
    }
    fn err(src: &str) -> (u32, u32, String) {
        let d = parse_program(src).unwrap_err();
        (d.span.start.line, d.span.start.col, d.message)
    }

    #[test]
    fn python_precedence() {
        assert_eq!(show("a == 1 & b == 2"), "(a == (1 & b) == 2)");
        assert_eq!(show("(a == 1) & (b == 2)"), "((a == 1) & (b == 2))");
        assert_eq!(show("a | b & c ^ d"), "(a | ((b & c) ^ d))");
        assert_eq!(show("a + b * c - d"), "((a + (b * c)) - d)");
        assert_eq!(show("a - b - c"), "((a - b) - c)");
        assert_eq!(show("a ** b ** c"), "(a ** (b ** c))");
        assert_eq!(show("-a ** 2"), "(-(a ** 2))");
        assert_eq!(show("~a & b"), "((~a) & b)");
        assert_eq!(show("not a == b and c or d"), "(((not (a == b)) and c) or d)");
        assert_eq!(show("a < b <= c"), "(a < b <= c)");
        assert_eq!(show("x not in y is not z"), "(x not in y is not z)");
        assert_eq!(show("a if b else c if d else e"), "(a if b else (c if d else e))");
        assert_eq!(show("a << 1 + 2"), "(a << (1 + 2))");
        assert_eq!(show("a // b % c"), "((a // b) % c)");
        assert_eq!(show("lambda a, b: a + b"), "(lambda a, b: (a + b))");
    }

    #[test]
    fn trailers_and_literals() {
        assert_eq!(show("df['a'].b(1, x=2)[0:2]"), "df[\"a\"].b(1, x=2)[0:2]");
        assert_eq!(show("'a' \"b\" '''c'''"), "\"abc\"");
        assert_eq!(show("[i for i in range(3) if i]"), "[i for i in range(3) if i]");
        assert_eq!(show("{'x': 'sum', 1: None}"), "{\"x\": \"sum\", 1: None}");
        assert_eq!(show("(1, [], {}, (), True)"), "(1, [], {}, (), True)");
        assert_eq!(show("x[::2]"), "x[::2]");
    }

    #[test]
    fn lambda_keeps_body_text() {
        let p = parse_program("f(lambda w: (w,  1))").unwrap();
        let s = format!("{:?}", p.stmts[0].kind);
        assert!(s.contains("body_text: \"(w,  1)\""), "{s}");
    }

    #[test]
    fn refusals() {
        assert_eq!(err("f(*a)"), (1, 3, "'*args' unpacking in a call is not supported".into()));
        assert_eq!(err("f(**k)").2, "'**kwargs' unpacking in a call is not supported");
        assert_eq!(err("x = {1, 2}"), (1, 5, "set literals ({a, b}) are not supported".into()));
        assert!(err("sum(x for x in y)").2.starts_with("generator expressions"));
        assert!(err("{k: v for k in y}").2.starts_with("dict comprehensions"));
        assert!(err("[a for a in b for c in d]").2.starts_with("nested 'for'"));
        assert!(err("f'x'").2.starts_with("f-strings"));
        assert!(err("b'x'").2.starts_with("bytes literals"));
        assert!(err("1j").2.starts_with("complex number"));
        assert!(err("f(a=1, b)").2.starts_with("positional argument follows keyword argument"));
        assert!(err("f(a=1, a=2)").2.starts_with("keyword argument repeated: a"));
        assert!(err("a @ b").2.contains("matrix multiplication"));
        assert!(err("(y := 1)").2.contains(":="));
        assert!(err("a if b").2.starts_with("expected 'else'"));
        assert_eq!(err("x = -").2, "expected an expression, found end of line");
    }

    #[test]
    fn depth_guard() {
        let deep = format!("x = {}1", "-".repeat(300));
        let (l, c, m) = err(&deep);
        assert_eq!((l, c), (1, 5 + super::super::MAX_DEPTH - 1));
        assert!(m.contains("nested too deeply"));
        let ok = format!("x = {}1", "-".repeat(super::super::MAX_DEPTH as usize - 1));
        assert!(parse_program(&ok).is_ok());
    }
}
