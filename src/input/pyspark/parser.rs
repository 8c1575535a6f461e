//! Recursive-descent parser for the PySpark subset, statement level: the token cursor, error helpers, the
//! depth guard, simple statements (expressions, single-name assignments, imports) and UDF `def`s (body kept as
//! opaque text). Expressions are in `expr.rs`. It refuses every other Python statement with a positioned
//! Diagnostic naming it; it knows nothing of what the statements mean to Spark.

use super::ast::*;
use super::lexer::{Lexed, Tok, Token};
use crate::error::{Diagnostic, Pos, Span};

/// Deepest expression nesting accepted (brackets, operator-precedence nesting, unary, `**`, conditional and
/// lambda chains). A level costs ~11 KB of stack in a debug build and ~2 KB in release, so 100 levels fit the
/// 2 MiB of a test thread and wasm's 1 MiB stack with room for the caller; real snippets stay far below it.
pub const MAX_DEPTH: u32 = 100;

const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

pub(super) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

pub(super) struct Parser {
    toks: Vec<Token>,
    chars: Vec<char>,
    pos: usize,
    depth: u32,
}

/// Parses a tokenized snippet into a Program.
pub fn parse_tokens(lexed: Lexed) -> Result<Program, Diagnostic> {
    let mut p = Parser { toks: lexed.tokens, chars: lexed.chars, pos: 0, depth: 0 };
    if p.toks.is_empty() {
        return Ok(Program { stmts: Vec::new() });
    }
    let mut stmts = Vec::new();
    loop {
        match p.peek() {
            Tok::Eof => break,
            Tok::Newline => {
                p.bump();
            }
            Tok::Indent => return Err(p.err_here("unexpected indent")),
            Tok::Dedent => return Err(p.err_here("unexpected dedent")),
            _ => p.statement_line(&mut stmts)?,
        }
    }
    Ok(Program { stmts })
}

// ---- cursor and error helpers (shared with expr.rs) ----
impl Parser {
    pub(super) fn token(&self) -> &Token {
        let last = self.toks.len() - 1;
        &self.toks[self.pos.min(last)]
    }
    pub(super) fn peek(&self) -> &Tok {
        &self.token().tok
    }
    pub(super) fn peek_at(&self, n: usize) -> &Tok {
        let last = self.toks.len() - 1;
        &self.toks[(self.pos + n).min(last)].tok
    }
    /// Consumes the current token (never past EOF) and returns its span.
    pub(super) fn bump(&mut self) -> Span {
        let span = self.token().span;
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        span
    }
    pub(super) fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    pub(super) fn at_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == kw)
    }
    pub(super) fn eat_op(&mut self, op: &str) -> bool {
        let hit = self.at_op(op);
        if hit {
            self.bump();
        }
        hit
    }
    pub(super) fn expect_op(&mut self, op: &str, context: &str) -> Result<Span, Diagnostic> {
        if self.at_op(op) {
            return Ok(self.bump());
        }
        Err(self.err_here(format!("expected '{op}' {context}, found {}", self.describe())))
    }
    pub(super) fn start(&self) -> Pos {
        self.token().span.start
    }
    /// The span from `start` to the end of the last consumed token.
    pub(super) fn span_from(&self, start: Pos) -> Span {
        let end = if self.pos == 0 { start } else { self.toks[self.pos - 1].span.end };
        Span::new(start, end.max(start))
    }
    pub(super) fn err_here(&self, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::parse(msg, self.token().span)
    }
    /// The source text of tokens `[from, to)` (token indices).
    pub(super) fn text(&self, from: usize, to: usize) -> String {
        if from >= to {
            return String::new();
        }
        let (a, b) = (self.toks[from].start, self.toks[to - 1].end);
        self.chars.get(a..b).map(|s| s.iter().collect()).unwrap_or_default()
    }
    pub(super) fn index(&self) -> usize {
        self.pos
    }
    /// How the current token is named in "found ..." messages.
    pub(super) fn describe(&self) -> String {
        match self.peek() {
            Tok::Name(n) if is_keyword(n) => format!("keyword '{n}'"),
            Tok::Name(n) => format!("name '{n}'"),
            Tok::Int(v) => format!("number {v}"),
            Tok::Float(_) | Tok::Imaginary => "a number".into(),
            Tok::Str(_) | Tok::Bytes | Tok::FString => "a string literal".into(),
            Tok::Op(o) => format!("'{o}'"),
            Tok::Newline => "end of line".into(),
            Tok::Indent => "an indented line".into(),
            Tok::Dedent => "a dedented line".into(),
            Tok::Eof => "end of input".into(),
        }
    }
    /// Enters one nesting level; errors past MAX_DEPTH instead of risking the stack.
    pub(super) fn enter(&mut self) -> Result<(), Diagnostic> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let msg = format!("expression is nested too deeply (the limit is {MAX_DEPTH} levels)");
            return Err(self.err_here(msg));
        }
        Ok(())
    }
    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
    /// A non-keyword name, or an error naming `what` was expected.
    pub(super) fn ident(&mut self, what: &str) -> Result<Ident, Diagnostic> {
        if let Tok::Name(n) = self.peek() {
            if !is_keyword(n) {
                let name = n.clone();
                let span = self.bump();
                return Ok(Ident { name, span });
            }
        }
        Err(self.err_here(format!("expected {what}, found {}", self.describe())))
    }
}

// ---- statements ----
impl Parser {
    fn statement_line(&mut self, out: &mut Vec<Stmt>) -> Result<(), Diagnostic> {
        if self.at_op("@") {
            out.push(self.decorated()?);
            return Ok(());
        }
        loop {
            out.push(self.simple_stmt()?);
            if !self.eat_op(";") || matches!(self.peek(), Tok::Newline | Tok::Eof) {
                break;
            }
        }
        match self.peek() {
            Tok::Newline | Tok::Eof => {
                self.bump();
                Ok(())
            }
            _ => Err(self.err_here(format!("expected end of statement, found {}", self.describe()))),
        }
    }

    fn simple_stmt(&mut self) -> Result<Stmt, Diagnostic> {
        let start = self.start();
        if let Tok::Name(kw) = self.peek() {
            if let Some(msg) = unsupported_statement(kw) {
                return Err(self.err_here(msg));
            }
            if kw == "import" {
                return self.import(start);
            }
            if kw == "from" {
                return self.import_from(start);
            }
        }
        let first = self.testlist()?;
        if self.at_op("=") {
            let target = assign_target(first)?;
            self.bump();
            let value = self.testlist()?;
            if self.at_op("=") {
                return Err(self.err_here("chained assignment ('a = b = ...') is not supported"));
            }
            return Ok(Stmt { kind: StmtKind::Assign { target, value }, span: self.span_from(start) });
        }
        if let Tok::Op(op) = self.peek() {
            if *op == ":=" {
                return Err(self.err_here("assignment expressions (':=') are not supported"));
            }
            if op.len() >= 2 && op.ends_with('=') && !matches!(*op, "==" | "!=" | "<=" | ">=") {
                let msg =
                    format!("augmented assignment '{op}' is not supported; write 'x = x {} ...'", &op[..op.len() - 1]);
                return Err(self.err_here(msg));
            }
            if *op == ":" {
                return Err(self.err_here("annotated assignment ('x: type = ...') is not supported"));
            }
        }
        Ok(Stmt { kind: StmtKind::Expr(first), span: self.span_from(start) })
    }

    fn dotted_name(&mut self) -> Result<DottedName, Diagnostic> {
        let start = self.start();
        let mut parts = vec![self.ident("a module name")?];
        while self.eat_op(".") {
            parts.push(self.ident("a module name after '.'")?);
        }
        Ok(DottedName { parts, span: self.span_from(start) })
    }

    fn import_alias(&mut self, dotted: bool) -> Result<ImportAlias, Diagnostic> {
        let start = self.start();
        let name = if dotted {
            self.dotted_name()?
        } else {
            let id = self.ident("a name to import")?;
            DottedName { span: id.span, parts: vec![id] }
        };
        let alias = if self.at_kw("as") {
            self.bump();
            Some(self.ident("an alias after 'as'")?)
        } else {
            None
        };
        Ok(ImportAlias { name, alias, span: self.span_from(start) })
    }

    fn import(&mut self, start: Pos) -> Result<Stmt, Diagnostic> {
        self.bump();
        let mut names = vec![self.import_alias(true)?];
        while self.eat_op(",") {
            names.push(self.import_alias(true)?);
        }
        Ok(Stmt { kind: StmtKind::Import(names), span: self.span_from(start) })
    }

    fn import_from(&mut self, start: Pos) -> Result<Stmt, Diagnostic> {
        self.bump();
        if self.at_op(".") || self.at_op("...") {
            return Err(self.err_here("relative imports ('from . import ...') are not supported"));
        }
        let module = self.dotted_name()?;
        if !self.at_kw("import") {
            return Err(self.err_here(format!("expected 'import' after the module name, found {}", self.describe())));
        }
        self.bump();
        let names = if self.at_op("*") {
            ImportNames::Star(self.bump())
        } else {
            let paren = self.eat_op("(");
            let mut v = vec![self.import_alias(false)?];
            while self.eat_op(",") {
                if paren && self.at_op(")") {
                    break;
                }
                v.push(self.import_alias(false)?);
            }
            if paren {
                self.expect_op(")", "to close the import list")?;
            }
            ImportNames::Names(v)
        };
        Ok(Stmt { kind: StmtKind::FromImport { module, names }, span: self.span_from(start) })
    }

    /// `@decorator NEWLINE def name(params) [-> ann]: body` — only UDF decorators are accepted.
    fn decorated(&mut self) -> Result<Stmt, Diagnostic> {
        let start = self.start();
        self.bump();
        let decorator = self.test()?;
        if !matches!(self.peek(), Tok::Newline) {
            return Err(self.err_here(format!("expected end of line after the decorator, found {}", self.describe())));
        }
        self.bump();
        if self.at_op("@") {
            return Err(self.err_here("stacked decorators are not supported: a UDF takes exactly one decorator"));
        }
        if !self.at_kw("def") {
            return Err(self.err_here(format!("expected 'def' after the decorator, found {}", self.describe())));
        }
        let Some(kind) = udf_kind(&decorator) else {
            let shown = decorator_callee(&decorator).to_string();
            let msg =
                format!("decorator '@{shown}' is not supported: only @udf, @F.udf and @pandas_udf UDF definitions are");
            return Err(Diagnostic::parse(msg, decorator.span));
        };
        let def_line = self.bump().start.line;
        let name = self.ident("the function name after 'def'")?;
        self.expect_op("(", "after the function name")?;
        let mut params = Vec::new();
        while !self.at_op(")") {
            params.push(self.param()?);
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")", "to close the parameter list")?;
        let returns = if self.eat_op("->") { Some(self.test()?) } else { None };
        self.expect_op(":", "after the function signature")?;
        let (body, body_span) = self.opaque_body(def_line)?;
        let udf = UdfDef { decorator, kind, name, params, returns, body, body_span };
        Ok(Stmt { kind: StmtKind::Udf(udf), span: self.span_from(start) })
    }

    fn param(&mut self) -> Result<Param, Diagnostic> {
        let start = self.start();
        if self.at_op("*") || self.at_op("**") || self.at_op("/") {
            return Err(self.err_here("'*', '**' and '/' parameters are not supported in a UDF definition"));
        }
        let name = self.ident("a parameter name")?;
        let annotation = if self.eat_op(":") { Some(self.test()?) } else { None };
        if self.at_op("=") {
            return Err(self.err_here("default parameter values are not supported in a UDF definition"));
        }
        Ok(Param { name, annotation, span: self.span_from(start) })
    }

    /// The body after `def ...:`: the rest of the line, or an indented block; kept as source text.
    fn opaque_body(&mut self, def_line: u32) -> Result<(String, Span), Diagnostic> {
        let first = self.index();
        if !matches!(self.peek(), Tok::Newline) {
            while !matches!(self.peek(), Tok::Newline | Tok::Eof) {
                self.bump();
            }
            if self.index() == first {
                return Err(self.err_here("expected the body of the function definition, found end of input"));
            }
            let text = self.text(first, self.index());
            let span = Span::new(self.toks[first].span.start, self.toks[self.index() - 1].span.end);
            self.bump();
            return Ok((text, span));
        }
        self.bump();
        if !matches!(self.peek(), Tok::Indent) {
            let msg = format!("expected an indented block after the function definition on line {def_line}");
            return Err(self.err_here(msg));
        }
        self.bump();
        let body_first = self.index();
        let mut level = 1;
        let mut last = body_first;
        while level > 0 {
            match self.peek() {
                Tok::Indent => level += 1,
                Tok::Dedent => level -= 1,
                Tok::Eof => break,
                Tok::Newline => {}
                _ => last = self.index() + 1,
            }
            self.bump();
        }
        let text = self.text(body_first, last);
        let span = Span::new(self.toks[body_first].span.start, self.toks[last.max(1) - 1].span.end);
        Ok((text, span))
    }
}

/// The message for a Python statement outside the subset, keyed by its leading keyword.
fn unsupported_statement(kw: &str) -> Option<String> {
    let m = match kw {
        "while" => "'while' loops are not supported",
        "for" => "'for' loops are not supported (a list comprehension [... for x in ...] is)",
        "if" | "elif" | "else" => "'if' statements are not supported (a conditional expression 'a if c else b' is)",
        "class" => "class definitions are not supported",
        "with" => "'with' statements are not supported",
        "try" | "except" | "finally" => "'try' statements are not supported",
        "async" => "'async' code is not supported",
        "return" => "'return' outside a UDF definition is not supported",
        "def" => {
            "function definitions are only supported as UDFs: decorate the 'def' with @udf(...) or @pandas_udf(...)"
        }
        "del" | "pass" | "global" | "nonlocal" | "raise" | "assert" | "break" | "continue" | "yield" | "await" => {
            return Some(format!("'{kw}' statements are not supported"))
        }
        _ => return None,
    };
    Some(m.to_string())
}

fn assign_target(e: Expr) -> Result<Ident, Diagnostic> {
    let msg = match e.kind {
        ExprKind::Name(name) => return Ok(Ident { name, span: e.span }),
        ExprKind::Tuple(_) | ExprKind::List(_) => "tuple assignment ('a, b = ...') is not supported",
        ExprKind::Attribute { .. } => "assignment to an attribute ('x.y = ...') is not supported",
        ExprKind::Subscript { .. } => "assignment to an item ('x[k] = ...') is not supported",
        _ => "cannot assign to this expression: the left of '=' must be a name",
    };
    Err(Diagnostic::parse(msg, e.span))
}

fn decorator_callee(dec: &Expr) -> &Expr {
    match &dec.kind {
        ExprKind::Call { func, .. } => func,
        _ => dec,
    }
}

/// `udf`, `F.udf`, `udf(...)`, `pandas_udf(...)`, `pyspark.sql.functions.udf(...)`.
fn udf_kind(dec: &Expr) -> Option<UdfKind> {
    let last = match &decorator_callee(dec).kind {
        ExprKind::Name(n) => n.as_str(),
        ExprKind::Attribute { attr, .. } => attr.name.as_str(),
        _ => return None,
    };
    match last {
        "udf" => Some(UdfKind::Udf),
        "pandas_udf" => Some(UdfKind::PandasUdf),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_program;
    use super::*;

    fn one(src: &str) -> StmtKind {
        let mut p = parse_program(src).unwrap();
        assert_eq!(p.stmts.len(), 1, "{src}");
        p.stmts.remove(0).kind
    }
    fn err(src: &str) -> (u32, u32, String) {
        let d = parse_program(src).unwrap_err();
        (d.span.start.line, d.span.start.col, d.message)
    }

    #[test]
    fn assignment_and_expression_statements() {
        let StmtKind::Assign { target, value } = one("df = spark.table('t')") else { panic!() };
        assert_eq!(target.name, "df");
        assert_eq!(value.dotted_path(), None);
        assert!(matches!(one("df.show()"), StmtKind::Expr(_)));
        assert_eq!(parse_program("a = 1; b = 2;\nc = 3").unwrap().stmts.len(), 3);
    }

    #[test]
    fn udf_definitions() {
        let StmtKind::Udf(u) = one("@F.udf(returnType='int')\ndef plus1(x):\n    return x + 1\n") else { panic!() };
        assert_eq!((u.kind, u.name.name.as_str(), u.params.len()), (UdfKind::Udf, "plus1", 1));
        assert_eq!(u.body, "return x + 1");
        assert_eq!((u.body_span.start.line, u.body_span.start.col), (3, 5));
        let StmtKind::Udf(u) = one("@pandas_udf('double')\ndef f(s: pd.Series) -> pd.Series: return s * 2") else {
            panic!()
        };
        assert_eq!(u.kind, UdfKind::PandasUdf);
        assert_eq!(u.params[0].annotation.as_ref().and_then(|a| a.dotted_path()).as_deref(), Some("pd.Series"));
        assert_eq!(u.body, "return s * 2");
        let StmtKind::Udf(u) = one("@udf\ndef g(a, b):\n    if a:\n        return b\n    return a\n") else { panic!() };
        assert_eq!(u.body, "if a:\n        return b\n    return a");
    }

    #[test]
    fn refused_statements_name_the_construct() {
        assert_eq!(err("while x:\n    pass"), (1, 1, "'while' loops are not supported".into()));
        assert_eq!(err("x = 1; del x").1, 8);
        assert!(err("a, b = 1, 2").2.starts_with("tuple assignment"));
        assert!(err("df.x = 1").2.starts_with("assignment to an attribute"));
        assert!(err("x += 1").2.starts_with("augmented assignment '+='"));
        assert!(err("a = b = 1").2.starts_with("chained assignment"));
        assert!(err("x: int = 1").2.starts_with("annotated assignment"));
        assert!(err("def f(x):\n    return x").2.starts_with("function definitions are only supported as UDFs"));
        assert!(err("@cache\ndef f(x): return x").2.starts_with("decorator '@cache' is not supported"));
        assert!(err("@udf\n@udf\ndef f(x): return x").2.starts_with("stacked decorators"));
        assert!(err("@udf\ndef f(x):\nreturn x").2.starts_with("expected an indented block"));
        assert!(err("@udf\ndef f(x=1): return x").2.starts_with("default parameter values"));
        assert!(err("from . import x").2.starts_with("relative imports"));
        assert_eq!(err("  x = 1"), (1, 3, "unexpected indent".into()));
        assert_eq!(err("x = 1 y"), (1, 7, "expected end of statement, found name 'y'".into()));
    }
}
