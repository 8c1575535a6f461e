//! Expression parsing for the PySpark subset with Python's exact precedence and associativity (lambda and
//! `if/else` < or < and < not < comparisons < | < ^ < & < shifts < + - < * / // % < unary + - ~ < ** < trailers),
//! by precedence climbing so each bracket level costs few stack frames; every recursion passes the depth guard.
//! It refuses generator/dict/set comprehensions, sets, f-strings, bytes, `*`/`**` unpacking with a named message.

use super::ast::*;
use super::lexer::Tok;
use super::parser::{is_keyword, Parser};
use crate::error::{Diagnostic, Pos};

const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const CMP: u8 = 4;
const TERM: u8 = 10;

/// The binary (non-comparison) operator at the cursor with its precedence.
fn binary_op(t: &Tok) -> Option<(u8, Result<BinOp, BoolOp>)> {
    let Tok::Op(o) = t else {
        return match t {
            Tok::Name(n) if n == "or" => Some((OR, Err(BoolOp::Or))),
            Tok::Name(n) if n == "and" => Some((AND, Err(BoolOp::And))),
            _ => None,
        };
    };
    let (p, op) = match *o {
        "|" => (5, BinOp::BitOr),
        "^" => (6, BinOp::BitXor),
        "&" => (7, BinOp::BitAnd),
        "<<" => (8, BinOp::LShift),
        ">>" => (8, BinOp::RShift),
        "+" => (9, BinOp::Add),
        "-" => (9, BinOp::Sub),
        "*" => (TERM, BinOp::Mul),
        "/" => (TERM, BinOp::Div),
        "//" => (TERM, BinOp::FloorDiv),
        "%" => (TERM, BinOp::Mod),
        _ => return None,
    };
    Some((p, Ok(op)))
}

impl Parser {
    /// `test`: a lambda, or `or_test ['if' or_test 'else' test]`.
    pub(super) fn test(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP test {}", &m as *const u8 as usize); }
        self.enter()?;
        let r = self.test_inner();
        self.leave();
        r
    }

    fn test_inner(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP test_inner {}", &m as *const u8 as usize); }
        if self.at_kw("lambda") {
            return self.lambda();
        }
        let start = self.start();
        let body = self.binary(OR)?;
        if self.at_op(":=") {
            return Err(self.err_here("assignment expressions (':=') are not supported"));
        }
        if !self.at_kw("if") {
            return Ok(body);
        }
        self.bump();
        let test = self.binary(OR)?;
        if !self.at_kw("else") {
            return Err(self.err_here(format!("expected 'else' in conditional expression, found {}", self.describe())));
        }
        self.bump();
        let orelse = self.test()?;
        let kind = ExprKind::IfElse { body: Box::new(body), test: Box::new(test), orelse: Box::new(orelse) };
        Ok(Expr { kind, span: self.span_from(start) })
    }

    /// `or_test`: everything but lambda and conditional expressions (comprehension iterables and conditions).
    pub(super) fn or_test(&mut self) -> Result<Expr, Diagnostic> {
        self.binary(OR)
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
            if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Op("=" | ";" | ")")) {
                break;
            }
            items.push(self.test()?);
        }
        Ok(Expr { kind: ExprKind::Tuple(items), span: self.span_from(start) })
    }

    /// Precedence climbing over `or` .. `* / // %`, with `not` and comparison chains at their levels.
    fn binary(&mut self, min: u8) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP binary {}", &m as *const u8 as usize); }
        let start = self.start();
        let mut left = if self.at_kw("not") && min <= NOT {
            self.enter()?;
            self.bump();
            let operand = self.binary(NOT);
            self.leave();
            let kind = ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(operand?) };
            Expr { kind, span: self.span_from(start) }
        } else {
            self.factor()?
        };
        loop {
            if min <= CMP {
                if let Some(first) = self.cmp_op() {
                    let mut ops = Vec::new();
                    let mut op = Some(first);
                    while let Some(o) = op {
                        ops.push((o, self.binary(CMP + 1)?));
                        op = self.cmp_op();
                    }
                    let kind = ExprKind::Compare { left: Box::new(left), ops };
                    left = Expr { kind, span: self.span_from(start) };
                    continue;
                }
            }
            if self.at_op("@") {
                return Err(self.err_here("the matrix multiplication operator '@' is not supported"));
            }
            let Some((prec, op)) = binary_op(self.peek()) else { break };
            if prec < min {
                break;
            }
            self.bump();
            let right = Box::new(self.binary(prec + 1)?);
            let left_b = Box::new(left);
            let kind = match op {
                Ok(op) => ExprKind::Binary { op, left: left_b, right },
                Err(op) => ExprKind::BoolOp { op, left: left_b, right },
            };
            left = Expr { kind, span: self.span_from(start) };
        }
        Ok(left)
    }

    /// Consumes a comparison operator (`==`, `in`, `not in`, `is not`, ...) if one is at the cursor.
    fn cmp_op(&mut self) -> Option<CmpOp> {
        let (op, n) = match self.peek() {
            Tok::Op("==") => (CmpOp::Eq, 1),
            Tok::Op("!=") => (CmpOp::NotEq, 1),
            Tok::Op("<") => (CmpOp::Lt, 1),
            Tok::Op("<=") => (CmpOp::LtE, 1),
            Tok::Op(">") => (CmpOp::Gt, 1),
            Tok::Op(">=") => (CmpOp::GtE, 1),
            Tok::Name(n) if n == "in" => (CmpOp::In, 1),
            Tok::Name(n) if n == "not" && matches!(self.peek_at(1), Tok::Name(m) if m == "in") => (CmpOp::NotIn, 2),
            Tok::Name(n) if n == "is" && matches!(self.peek_at(1), Tok::Name(m) if m == "not") => (CmpOp::IsNot, 2),
            Tok::Name(n) if n == "is" => (CmpOp::Is, 1),
            _ => return None,
        };
        for _ in 0..n {
            self.bump();
        }
        Some(op)
    }

    /// `factor`: unary `+ - ~` (right-recursive), else `power`.
    fn factor(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP factor {}", &m as *const u8 as usize); }
        let op = match self.peek() {
            Tok::Op("-") => UnaryOp::Neg,
            Tok::Op("+") => UnaryOp::Pos,
            Tok::Op("~") => UnaryOp::Invert,
            _ => return self.power(),
        };
        let start = self.start();
        self.enter()?;
        self.bump();
        let operand = self.factor();
        self.leave();
        let kind = ExprKind::Unary { op, operand: Box::new(operand?) };
        Ok(Expr { kind, span: self.span_from(start) })
    }

    /// `power`: `primary ['**' factor]` — right-associative, and binds tighter than a unary minus on its left.
    fn power(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP power {}", &m as *const u8 as usize); }
        let start = self.start();
        let base = self.primary()?;
        if !self.at_op("**") {
            return Ok(base);
        }
        self.enter()?;
        self.bump();
        let exp = self.factor();
        self.leave();
        let kind = ExprKind::Binary { op: BinOp::Pow, left: Box::new(base), right: Box::new(exp?) };
        Ok(Expr { kind, span: self.span_from(start) })
    }

    /// An atom followed by `.name`, `(args)` and `[index]` trailers.
    fn primary(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP primary {}", &m as *const u8 as usize); }
        let start = self.start();
        let mut e = self.atom()?;
        loop {
            let kind = if self.eat_op(".") {
                let attr = self.ident("an attribute name after '.'")?;
                ExprKind::Attribute { value: Box::new(e), attr }
            } else if self.at_op("(") {
                let (args, keywords) = self.call_args()?;
                ExprKind::Call { func: Box::new(e), args, keywords }
            } else if self.at_op("[") {
                let index = self.subscript()?;
                ExprKind::Subscript { value: Box::new(e), index: Box::new(index) }
            } else {
                return Ok(e);
            };
            e = Expr { kind, span: self.span_from(start) };
        }
    }

    fn atom(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP atom {}", &m as *const u8 as usize); }
        let start = self.start();
        let kind = match self.peek().clone() {
            Tok::Name(n) => match n.as_str() {
                "True" => ExprKind::Bool(true),
                "False" => ExprKind::Bool(false),
                "None" => ExprKind::None,
                "yield" | "await" => return Err(self.err_here(format!("'{n}' expressions are not supported"))),
                _ if is_keyword(&n) => {
                    return Err(self.err_here(format!("expected an expression, found keyword '{n}'")))
                }
                _ => ExprKind::Name(n),
            },
            Tok::Int(v) => ExprKind::Int(v),
            Tok::Float(v) => ExprKind::Float(v),
            Tok::Imaginary => return Err(self.err_here("complex number literals ('1j') are not supported")),
            Tok::Str(_) | Tok::Bytes | Tok::FString => return self.strings(),
            Tok::Op("(") => return self.paren(),
            Tok::Op("[") => return self.list(),
            Tok::Op("{") => return self.dict(),
            Tok::Op("*") => return Err(self.err_here("star unpacking ('*x') is not supported")),
            Tok::Op("**") => return Err(self.err_here("'**' unpacking is not supported")),
            Tok::Op("...") => return Err(self.err_here("Ellipsis ('...') is not supported")),
            _ => return Err(self.err_here(format!("expected an expression, found {}", self.describe()))),
        };
        self.bump();
        Ok(Expr { kind, span: self.span_from(start) })
    }

    /// Adjacent string literals, concatenated (`"a" 'b'` is `"ab"`).
    fn strings(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let mut value = String::new();
        loop {
            match self.peek() {
                Tok::Str(s) => value.push_str(s),
                Tok::FString => {
                    return Err(self.err_here(
                        "f-strings are not supported; build the text with F.concat / F.format_string or '...'.format(...)",
                    ))
                }
                Tok::Bytes => return Err(self.err_here("bytes literals (b'...') are not supported")),
                _ => break,
            }
            self.bump();
        }
        Ok(Expr { kind: ExprKind::Str(value), span: self.span_from(start) })
    }

    fn lambda(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        self.bump();
        let mut params = Vec::new();
        while !self.at_op(":") {
            if self.at_op("*") || self.at_op("**") {
                return Err(self.err_here("'*' and '**' lambda parameters are not supported"));
            }
            params.push(self.ident("a lambda parameter name or ':'")?);
            if self.at_op("=") {
                return Err(self.err_here("default values for lambda parameters are not supported"));
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
        Ok(Expr { kind, span: self.span_from(start) })
    }

    /// `(args, name=value)`; `*args`, `**kwargs` and generator arguments are refused.
    fn call_args(&mut self) -> Result<(Vec<Expr>, Vec<Keyword>), Diagnostic> {
        { let m = 0u8; eprintln!("SP call_args {}", &m as *const u8 as usize); }
        self.bump();
        let (mut args, mut keywords) = (Vec::new(), Vec::<Keyword>::new());
        while !self.at_op(")") {
            if self.at_op("*") {
                return Err(self.err_here("'*args' unpacking in a call is not supported"));
            }
            if self.at_op("**") {
                return Err(self.err_here("'**kwargs' unpacking in a call is not supported"));
            }
            let start = self.start();
            if matches!(self.peek_at(1), Tok::Op("=")) && matches!(self.peek(), Tok::Name(_)) {
                let name = self.ident("a keyword argument name")?;
                if keywords.iter().any(|k| k.name.name == name.name) {
                    return Err(Diagnostic::parse(format!("keyword argument repeated: {}", name.name), name.span));
                }
                self.bump();
                let value = self.test()?;
                keywords.push(Keyword { name, value, span: self.span_from(start) });
            } else {
                if !keywords.is_empty() {
                    return Err(self.err_here("positional argument follows keyword argument"));
                }
                args.push(self.test()?);
                if self.at_kw("for") {
                    return Err(self.err_here(
                        "generator expressions are not supported; use a list comprehension [... for x in ...]",
                    ));
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")", "to close the call's arguments")?;
        Ok((args, keywords))
    }

    /// `[index]`, `[lo:hi:step]`, `[a, b]`.
    fn subscript(&mut self) -> Result<Expr, Diagnostic> {
        let open = self.bump().span.start;
        let mut items = vec![self.subscript_item()?];
        let mut tuple = false;
        while self.eat_op(",") {
            tuple = true;
            if self.at_op("]") {
                break;
            }
            items.push(self.subscript_item()?);
        }
        self.expect_op("]", "to close the subscript")?;
        if !tuple && items.len() == 1 {
            return Ok(items.remove(0));
        }
        let span = crate::error::Span::new(items[0].span.start, self.span_from(open).end);
        Ok(Expr { kind: ExprKind::Tuple(items), span })
    }

    fn subscript_item(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let lower = if self.at_op(":") { None } else { Some(self.test()?) };
        if !self.eat_op(":") {
            return lower.ok_or_else(|| self.err_here("expected a subscript"));
        }
        let bound = |p: &mut Parser| -> Result<Option<Box<Expr>>, Diagnostic> {
            Ok(if p.at_op(":") || p.at_op("]") || p.at_op(",") { None } else { Some(Box::new(p.test()?)) })
        };
        let upper = bound(self)?;
        let step = if self.eat_op(":") { bound(self)? } else { None };
        let kind = ExprKind::Slice { lower: lower.map(Box::new), upper, step };
        Ok(Expr { kind, span: self.span_from(start) })
    }

    /// `()`, `(x)`, `(x,)`, `(a, b)`.
    fn paren(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP paren {}", &m as *const u8 as usize); }
        let start = self.start();
        self.bump();
        if self.eat_op(")") {
            return Ok(Expr { kind: ExprKind::Tuple(Vec::new()), span: self.span_from(start) });
        }
        let first = self.test()?;
        if self.at_kw("for") {
            return Err(self.err_here("generator expressions are not supported; use a list comprehension [... for x in ...]"));
        }
        if self.eat_op(")") {
            return Ok(first);
        }
        let items = self.rest_of_sequence(first, ")", "a tuple")?;
        Ok(Expr { kind: ExprKind::Tuple(items), span: self.span_from(start) })
    }

    /// After the first element: `, b, c [,]` up to and including `close`.
    fn rest_of_sequence(&mut self, first: Expr, close: &str, what: &str) -> Result<Vec<Expr>, Diagnostic> {
        let mut items = vec![first];
        loop {
            if self.eat_op(close) {
                return Ok(items);
            }
            self.expect_op(",", &format!("or '{close}' after an element of {what}"))?;
            if self.eat_op(close) {
                return Ok(items);
            }
            items.push(self.test()?);
        }
    }

    /// `[]`, `[a, b]`, or `[elt for x in it if cond]`.
    fn list(&mut self) -> Result<Expr, Diagnostic> {
        { let m = 0u8; eprintln!("SP list {}", &m as *const u8 as usize); }
        let start = self.start();
        self.bump();
        if self.eat_op("]") {
            return Ok(Expr { kind: ExprKind::List(Vec::new()), span: self.span_from(start) });
        }
        let first = self.test()?;
        if self.at_kw("for") {
            return self.list_comp(start, first);
        }
        let items = self.rest_of_sequence(first, "]", "a list")?;
        Ok(Expr { kind: ExprKind::List(items), span: self.span_from(start) })
    }

    fn list_comp(&mut self, start: Pos, elt: Expr) -> Result<Expr, Diagnostic> {
        self.bump();
        let mut targets = vec![self.ident("a loop variable name after 'for'")?];
        while self.eat_op(",") {
            targets.push(self.ident("a loop variable name")?);
        }
        if !self.at_kw("in") {
            return Err(self.err_here(format!("expected 'in' in list comprehension, found {}", self.describe())));
        }
        self.bump();
        let iter = self.or_test()?;
        let mut conds = Vec::new();
        while self.at_kw("if") {
            self.bump();
            conds.push(self.or_test()?);
        }
        if self.at_kw("for") || self.at_kw("async") {
            return Err(self.err_here("nested 'for' clauses in a list comprehension are not supported"));
        }
        self.expect_op("]", "to close the list comprehension")?;
        let kind = ExprKind::ListComp { elt: Box::new(elt), targets, iter: Box::new(iter), conds };
        Ok(Expr { kind, span: self.span_from(start) })
    }

    /// `{}` or `{k: v, ...}`; sets and comprehensions are refused.
    fn dict(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.start();
        let open = self.bump().span;
        let mut pairs = Vec::new();
        while !self.at_op("}") {
            if self.at_op("**") {
                return Err(self.err_here("dict unpacking ('**d') is not supported"));
            }
            let key = self.test()?;
            if self.at_kw("for") {
                return Err(self.err_here("set comprehensions are not supported"));
            }
            if !self.at_op(":") {
                if pairs.is_empty() && (self.at_op(",") || self.at_op("}")) {
                    return Err(Diagnostic::parse("set literals ({a, b}) are not supported", open));
                }
                return Err(self.err_here(format!("expected ':' after a dict key, found {}", self.describe())));
            }
            self.bump();
            let value = self.test()?;
            if self.at_kw("for") {
                return Err(self.err_here("dict comprehensions are not supported"));
            }
            pairs.push((key, value));
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op("}", "to close the dict")?;
        Ok(Expr { kind: ExprKind::Dict(pairs), span: self.span_from(start) })
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
        assert_eq!(err("x = -" ).2, "expected an expression, found end of line");
    }

    #[test]
    fn depth_guard() {
        let deep = format!("x = {}1", "-".repeat(300));
        let (l, c, m) = err(&deep);
        assert_eq!((l, c), (1, 5 + super::super::MAX_DEPTH - 1));
        assert!(m.contains("nested too deeply"));
        let ok = format!("x = {}1", "-".repeat(150));
        assert!(parse_program(&ok).is_ok());
    }
}
