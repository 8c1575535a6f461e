//! The PySpark-subset syntax tree: statements and expressions exactly as written, each node with its source
//! Span (1-based line:col, half-open). Import statements are kept so the lowering can resolve aliases (`F`).
//! It knows nothing of Spark semantics (what `F.col`, `.groupBy` or a UDF mean): that is the lowering's job.
//! `display.rs` prints it back as fully parenthesised Python for debugging and tests.

use crate::error::Span;
use std::collections::BTreeMap;

/// A whole snippet: its statements in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub stmts: Vec<Stmt>,
}

/// An identifier as written (a variable, attribute, parameter, keyword-argument or import name).
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `a.b.c` in an import statement.
#[derive(Debug, Clone, PartialEq)]
pub struct DottedName {
    pub parts: Vec<Ident>,
    pub span: Span,
}

/// `name [as alias]` in `import name as alias` or `from m import name as alias`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportAlias {
    pub name: DottedName,
    pub alias: Option<Ident>,
    pub span: Span,
}

/// What a `from module import ...` brings in.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportNames {
    /// `from m import *`; the span is the `*`.
    Star(Span),
    Names(Vec<ImportAlias>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// An expression evaluated for its effect: `df.show()`, `(df.groupBy(...)...collect())`.
    Expr(Expr),
    /// `target = value` (only a single name target).
    Assign { target: Ident, value: Expr },
    /// `import a.b [as c], d`.
    Import(Vec<ImportAlias>),
    /// `from a.b import c [as d], e` or `from a.b import *`.
    FromImport { module: DottedName, names: ImportNames },
    /// A decorated `def` defining a Python UDF.
    Udf(UdfDef),
}

/// Which decorator defined a UDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UdfKind {
    /// `@udf` / `@F.udf(...)`: planned as BatchEvalPython.
    Udf,
    /// `@pandas_udf(...)`: planned as ArrowEvalPython.
    PandasUdf,
}

/// One parameter of a UDF `def`, with its optional annotation (`s: pd.Series`).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub annotation: Option<Expr>,
    pub span: Span,
}

/// `@decorator\ndef name(params) [-> returns]: body`. The body stays opaque source text.
#[derive(Debug, Clone, PartialEq)]
pub struct UdfDef {
    /// The whole decorator expression: `udf`, `F.udf("int")`, `pandas_udf(returnType="double")`.
    pub decorator: Expr,
    pub kind: UdfKind,
    pub name: Ident,
    pub params: Vec<Param>,
    pub returns: Option<Expr>,
    /// The body's source text (from its first token to its last, inner indentation kept).
    pub body: String,
    pub body_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// A keyword argument `name=value` in a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Name(String),
    /// A non-negative integer literal (a sign is a `Unary`).
    Int(u64),
    Float(f64),
    /// A string literal, escapes decoded, adjacent literals concatenated.
    Str(String),
    Bool(bool),
    None,
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// `value.attr`.
    Attribute {
        value: Box<Expr>,
        attr: Ident,
    },
    /// `func(args..., name=value...)`; positional arguments always precede keywords.
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        keywords: Vec<Keyword>,
    },
    /// `value[index]`; several comma-separated indices form a `Tuple`.
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    /// `lower:upper:step`, only as (part of) a subscript index.
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `and` / `or`, left-associative.
    BoolOp {
        op: BoolOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// A comparison chain `a < b <= c` (Python semantics: `a < b and b <= c`).
    Compare {
        left: Box<Expr>,
        ops: Vec<(CmpOp, Expr)>,
    },
    /// `body if test else orelse`.
    IfElse {
        body: Box<Expr>,
        test: Box<Expr>,
        orelse: Box<Expr>,
    },
    /// `lambda params: body`; `body_text` is the body's source text, for display and opaque evaluation.
    Lambda {
        params: Vec<Ident>,
        body: Box<Expr>,
        body_text: String,
    },
    /// `[elt for targets in iter if conds...]` (a single `for` clause).
    ListComp {
        elt: Box<Expr>,
        targets: Vec<Ident>,
        iter: Box<Expr>,
        conds: Vec<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `~x` (PySpark's Column negation)
    Invert,
    /// `not x`
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    /// `&` (PySpark's Column AND)
    BitAnd,
    /// `|` (PySpark's Column OR)
    BitOr,
    BitXor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    In,
    NotIn,
    Is,
    IsNot,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

impl DottedName {
    /// `"a.b.c"`.
    pub fn dotted(&self) -> String {
        self.parts.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(".")
    }
}

impl Expr {
    /// The name, for a bare `Name`.
    pub fn as_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(n) => Some(n),
            _ => None,
        }
    }
    /// `"F.col"` for `F.col`, `"spark.read.parquet"` for a chain of names and attributes; else None.
    pub fn dotted_path(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.clone()),
            ExprKind::Attribute { value, attr } => Some(format!("{}.{}", value.dotted_path()?, attr.name)),
            _ => None,
        }
    }
}

/// What the snippet's imports bind: local name → fully qualified name, plus `import *` modules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imports {
    /// `F` → `pyspark.sql.functions`, `Window` → `pyspark.sql.window.Window`, `pyspark` → `pyspark`.
    pub names: BTreeMap<String, String>,
    /// Modules imported with `from m import *`, in order.
    pub star_modules: Vec<String>,
}

impl Program {
    /// The names bound by every import statement (later imports override earlier ones, as in Python).
    pub fn imports(&self) -> Imports {
        let mut out = Imports::default();
        for s in &self.stmts {
            match &s.kind {
                StmtKind::Import(aliases) => {
                    for a in aliases {
                        match &a.alias {
                            Some(al) => out.names.insert(al.name.clone(), a.name.dotted()),
                            None => {
                                let top = a.name.parts.first().map(|p| p.name.clone()).unwrap_or_default();
                                out.names.insert(top.clone(), top)
                            }
                        };
                    }
                }
                StmtKind::FromImport { module, names: ImportNames::Star(_) } => out.star_modules.push(module.dotted()),
                StmtKind::FromImport { module, names: ImportNames::Names(aliases) } => {
                    for a in aliases {
                        let local = match &a.alias {
                            Some(al) => al.name.clone(),
                            None => a.name.dotted(),
                        };
                        out.names.insert(local, format!("{}.{}", module.dotted(), a.name.dotted()));
                    }
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_program;
    use super::*;

    #[test]
    fn dotted_path_and_as_name() {
        let p = parse_program("spark.read.parquet\nx\nf().y").unwrap();
        let e = |i: usize| match &p.stmts[i].kind {
            StmtKind::Expr(e) => e.clone(),
            _ => panic!(),
        };
        assert_eq!(e(0).dotted_path().as_deref(), Some("spark.read.parquet"));
        assert_eq!(e(1).as_name(), Some("x"));
        assert_eq!(e(2).dotted_path(), None);
        assert_eq!(BinOp::BitAnd.symbol(), "&");
        assert_eq!(CmpOp::IsNot.symbol(), "is not");
    }

    #[test]
    fn later_imports_override() {
        let p = parse_program("import a as F\nfrom pyspark.sql import functions as F").unwrap();
        assert_eq!(p.imports().names["F"], "pyspark.sql.functions");
    }
}
