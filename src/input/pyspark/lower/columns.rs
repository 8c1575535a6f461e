//! PySpark `Column`s before resolution: the tree `F.col("a") + 1`, `F.sum("x").alias("s")`,
//! `F.row_number().over(w)` build, with each node's source span; the SQL-expression subset `F.expr("...")`
//! converts into; and Spark's column naming (`toPrettySQL`: `(a + 1)`, `sum(x)`, `count(1)`,
//! `CAST(a AS INT)`, string literals unquoted). Knows nothing of plans: resolution is `resolve.rs`.

use crate::error::{Pos, Span};
use crate::logical::expr::{AggFunc, Attribute, BinOp, Expr, FrameBound, LitValue, SortOrder, WindowFrame};
use crate::logical::types::DataType;
use crate::input::sql::syntax as ast;
use std::rc::Rc;

/// A Python literal as a Column operand (`F.lit(1)`, `col == "x"`), or a SQL number kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum PyLit {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    /// A numeric literal from SQL text (`1.5` is a decimal, `10L` a bigint): rendered verbatim.
    SqlNum(String),
}

/// Binary Column operators (PySpark's dunder methods and SQL's infix operators).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum COp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    EqNullSafe,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
}

impl COp {
    pub fn sql(self) -> &'static str {
        match self {
            COp::Add => "+",
            COp::Sub => "-",
            COp::Mul => "*",
            COp::Div => "/",
            COp::Mod => "%",
            COp::Eq => "=",
            COp::EqNullSafe => "<=>",
            COp::Lt => "<",
            COp::LtEq => "<=",
            COp::Gt => ">",
            COp::GtEq => ">=",
            COp::And => "AND",
            COp::Or => "OR",
            COp::BitAnd => "&",
            COp::BitOr => "|",
            COp::BitXor => "^",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeKind {
    Like,
    RLike,
    ILike,
}

/// A window frame as PySpark's `rowsBetween` / `rangeBetween` give it: Java longs where
/// `Long.MinValue` is unbounded preceding, `Long.MaxValue` unbounded following and 0 the current row.
#[derive(Debug, Clone, PartialEq)]
pub struct PyFrame {
    pub rows: bool,
    pub start: i64,
    pub end: i64,
}

/// `Window.partitionBy(...).orderBy(...).rowsBetween(...)`.
#[derive(Debug, Clone, Default)]
pub struct WinSpec {
    pub partition: Vec<Col>,
    pub order: Vec<Col>,
    pub frame: Option<PyFrame>,
}

/// A Python UDF (`@udf`, `F.udf(f, "int")`, `@pandas_udf("double")`).
#[derive(Debug, Clone, PartialEq)]
pub struct UdfInfo {
    /// The function's `__name__` (`<lambda>` for a lambda).
    pub name: String,
    pub return_type: DataType,
    /// A scalar pandas UDF (ArrowEvalPython) rather than a row-at-a-time one (BatchEvalPython).
    pub pandas: bool,
}

#[derive(Debug, Clone)]
pub struct Col {
    pub kind: ColKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ColKind {
    /// `F.col("a")`, `"t.a"` where a column name is expected.
    Name(Vec<String>),
    /// `"*"`, `"t.*"`, `F.col("*")`.
    Star(Option<String>),
    /// `df["a"]`, `df.a`: already bound to one attribute of one DataFrame.
    Bound(Attribute),
    Lit(PyLit),
    Not(Box<Col>),
    Neg(Box<Col>),
    Bin(COp, Box<Col>, Box<Col>),
    /// A function by its Spark SQL name, resolved through the SQL function registry.
    Func { name: String, args: Vec<Col>, distinct: bool },
    /// A function Stagecraft types itself (`startswith`, ...), with its result type.
    Native { name: String, args: Vec<Col>, dtype: DataType },
    Cast(Box<Col>, DataType),
    IsNull(Box<Col>, bool),
    In(Box<Col>, Vec<Col>),
    Like(Box<Col>, Box<Col>, LikeKind),
    Case { branches: Vec<(Col, Col)>, otherwise: Option<Box<Col>> },
    Alias(Box<Col>, Vec<String>),
    Sort { child: Box<Col>, asc: bool, nulls_first: bool },
    Over(Box<Col>, Rc<WinSpec>),
    Udf { udf: Rc<UdfInfo>, args: Vec<Col> },
    /// A SQL expression Stagecraft does not convert node by node; resolved by the SQL analyzer as a whole.
    /// `origin` is where its text starts in the snippet.
    Sql { ast: Box<ast::Expr>, origin: Pos },
}

impl Col {
    pub fn new(kind: ColKind, span: Span) -> Col {
        Col { kind, span }
    }
    pub fn lit(v: PyLit, span: Span) -> Col {
        Col::new(ColKind::Lit(v), span)
    }
    pub fn bin(op: COp, l: Col, r: Col, span: Span) -> Col {
        Col::new(ColKind::Bin(op, Box::new(l), Box::new(r)), span)
    }
    pub fn func(name: &str, args: Vec<Col>, span: Span) -> Col {
        Col::new(ColKind::Func { name: name.to_string(), args, distinct: false }, span)
    }
    /// `Column.alias` names, if this is an aliased column.
    pub fn alias_names(&self) -> Option<&[String]> {
        match &self.kind {
            ColKind::Alias(_, n) => Some(n),
            _ => None,
        }
    }
    /// Direct children, in order.
    pub fn children(&self) -> Vec<&Col> {
        use ColKind::*;
        match &self.kind {
            Name(_) | Star(_) | Bound(_) | Lit(_) | Sql { .. } => vec![],
            Not(c) | Neg(c) | Cast(c, _) | IsNull(c, _) | Alias(c, _) => vec![c],
            Sort { child, .. } => vec![child],
            Bin(_, l, r) | Like(l, r, _) => vec![l, r],
            Func { args, .. } | Native { args, .. } | Udf { args, .. } => args.iter().collect(),
            In(v, list) => std::iter::once(v.as_ref()).chain(list.iter()).collect(),
            Case { branches, otherwise } => {
                let mut v = vec![];
                for (c, r) in branches {
                    v.push(c);
                    v.push(r);
                }
                if let Some(o) = otherwise {
                    v.push(o);
                }
                v
            }
            Over(f, w) => {
                let mut v = vec![f.as_ref()];
                v.extend(w.partition.iter());
                v.extend(w.order.iter());
                v
            }
        }
    }
}

/// Splits a PySpark column-name string into its parts: `a.b` → [a, b]; backquotes protect dots
/// (`` `a.b` `` → [a.b]); `*` and `t.*` are stars.
pub fn name_col(name: &str, span: Span) -> Col {
    let trimmed = name.trim();
    if trimmed == "*" {
        return Col::new(ColKind::Star(None), span);
    }
    let mut parts = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' if quoted && chars.peek() == Some(&'`') => {
                chars.next();
                cur.push('`');
            }
            '`' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    if parts.len() == 2 && parts[1] == "*" {
        return Col::new(ColKind::Star(Some(parts[0].clone())), span);
    }
    Col::new(ColKind::Name(parts), span)
}

// ---------------------------------------------------------------- naming (Spark's toPrettySQL)

/// Java's `Double.toString` (Spark prints double literals with it): `1.0`, `0.1`, `1.0E10`, `1.5E-4`.
pub fn java_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let a = d.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        let s = format!("{d}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let s = format!("{d:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') { m.to_string() } else { format!("{m}.0") };
        format!("{m}E{e}")
    }
}

/// A literal as Spark's pretty SQL shows it in a column name: strings unquoted, numbers plain.
pub fn pretty_lit(v: &PyLit) -> String {
    match v {
        PyLit::None => "NULL".into(),
        PyLit::Bool(b) => b.to_string(),
        PyLit::Int(i) => i.to_string(),
        PyLit::Float(f) => java_double(*f),
        PyLit::Str(s) => s.clone(),
        PyLit::SqlNum(s) => s.trim_end_matches(['L', 'l', 'D', 'd', 'S', 's', 'Y', 'y']).to_string(),
    }
}

/// Spark's `DataType.sql`: `INT`, `BIGINT`, `DECIMAL(10,2)`, `ARRAY<STRING>`.
pub fn type_sql(t: &DataType) -> String {
    match t {
        DataType::Null => "VOID".into(),
        DataType::Array(e) => format!("ARRAY<{}>", type_sql(e)),
        DataType::Map(k, v) => format!("MAP<{}, {}>", type_sql(k), type_sql(v)),
        DataType::Struct(f) => format!(
            "STRUCT<{}>",
            f.iter().map(|(n, t)| format!("{n}: {}", type_sql(t))).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string().to_ascii_uppercase(),
    }
}

/// The canonical pretty name of a function as Spark's registry prints it.
pub fn canonical_fn(name: &str) -> String {
    match crate::input::sql::functions::lookup(name) {
        Some(info) => info.name.to_string(),
        None => name.to_ascii_lowercase(),
    }
}

fn lit_value_pretty(v: &LitValue, t: &DataType) -> String {
    match v {
        LitValue::Null => "NULL".into(),
        LitValue::Bool(b) => b.to_string(),
        LitValue::Int(i) => i.to_string(),
        LitValue::Double(d) => {
            if *t == DataType::Float {
                format!("{d}")
            } else {
                java_double(*d)
            }
        }
        LitValue::Decimal(s) => s.clone(),
        LitValue::Str(s) => s.clone(),
        LitValue::Date(d) => format!("DATE '{d}'"),
        LitValue::Timestamp(d) => format!("TIMESTAMP '{d}'"),
    }
}

fn bound_sql(b: &FrameBound, pyspark: bool) -> String {
    match b {
        FrameBound::UnboundedPreceding => "UNBOUNDED PRECEDING".into(),
        FrameBound::UnboundedFollowing => "UNBOUNDED FOLLOWING".into(),
        FrameBound::CurrentRow => "CURRENT ROW".into(),
        // PySpark's rowsBetween(-2, ..) is the literal -2, which Spark prints as "-2 FOLLOWING";
        // SQL's `2 PRECEDING` is UnaryMinus(2), printed "2 PRECEDING".
        FrameBound::Preceding(n) => {
            if pyspark {
                format!("-{n} FOLLOWING")
            } else {
                format!("{n} PRECEDING")
            }
        }
        FrameBound::Following(n) => format!("{n} FOLLOWING"),
    }
}

pub fn frame_sql(f: &WindowFrame, pyspark: bool) -> String {
    format!(
        "{} BETWEEN {} AND {}",
        if f.rows { "ROWS" } else { "RANGE" },
        bound_sql(&f.lower, pyspark),
        bound_sql(&f.upper, pyspark)
    )
}

fn sort_pretty(o: &SortOrder, pyspark: bool) -> String {
    format!(
        "{} {} {}",
        pretty_expr(&o.expr, pyspark),
        if o.ascending { "ASC" } else { "DESC" },
        if o.nulls_first { "NULLS FIRST" } else { "NULLS LAST" }
    )
}

/// Spark's `toPrettySQL` of a resolved expression (implicit casts hidden, strings unquoted).
/// `pyspark` selects how frame offsets print (see `bound_sql`).
pub fn pretty_expr(e: &Expr, pyspark: bool) -> String {
    let p = |x: &Expr| pretty_expr(x, pyspark);
    let list = |xs: &[Expr]| xs.iter().map(|x| pretty_expr(x, pyspark)).collect::<Vec<_>>().join(", ");
    match e {
        Expr::Attr(a) | Expr::OuterRef(a) => a.name.clone(),
        Expr::Lit(v, t) => lit_value_pretty(v, t),
        Expr::Alias { name, .. } => name.clone(),
        Expr::Binary { op: BinOp::NotEq, left, right } => format!("(NOT ({} = {}))", p(left), p(right)),
        Expr::Binary { op: BinOp::Concat, left, right } => format!("concat({}, {})", p(left), p(right)),
        Expr::Binary { op, left, right } => format!("({} {} {})", p(left), op.symbol(), p(right)),
        Expr::Not(c) => match c.as_ref() {
            Expr::Like { .. } => format!("(NOT {})", p(c)),
            _ => format!("(NOT {})", p(c)),
        },
        Expr::Neg(c) => format!("(- {})", p(c)),
        Expr::IsNull(c) => format!("({} IS NULL)", p(c)),
        Expr::IsNotNull(c) => format!("({} IS NOT NULL)", p(c)),
        Expr::In { value, list: l } => format!("({} IN ({}))", p(value), list(l)),
        Expr::Like { child, pattern, negated } => {
            let s = format!("{} LIKE {}", p(child), p(pattern));
            if *negated {
                format!("(NOT {s})")
            } else {
                s
            }
        }
        Expr::Cast { child, .. } => p(child),
        Expr::Case { branches, otherwise } => {
            let mut s = "CASE".to_string();
            for (c, r) in branches {
                s.push_str(&format!(" WHEN {} THEN {}", p(c), p(r)));
            }
            if let Some(o) = otherwise {
                s.push_str(&format!(" ELSE {}", p(o)));
            }
            s.push_str(" END");
            s
        }
        Expr::Func { name, args, .. } if name == "rlike" && args.len() == 2 => format!("RLIKE({}, {})", p(&args[0]), p(&args[1])),
        Expr::Func { name, args, .. } | Expr::WindowFunc { name, args, .. } | Expr::Udf { name, args, .. } => {
            format!("{name}({})", list(args))
        }
        Expr::Agg { func, args, distinct, filter, .. } => {
            let mut s = format!("{}({}{})", func.name(), if *distinct { "DISTINCT " } else { "" }, if args.is_empty() && *func == AggFunc::Count { "1".to_string() } else { list(args) });
            if let Some(f) = filter {
                s.push_str(&format!(" FILTER (WHERE {})", p(f)));
            }
            s
        }
        Expr::Window { func, spec } => {
            let mut parts = vec![];
            if !spec.partition_by.is_empty() {
                parts.push(format!("PARTITION BY {}", list(&spec.partition_by)));
            }
            if !spec.order_by.is_empty() {
                parts.push(format!("ORDER BY {}", spec.order_by.iter().map(|o| sort_pretty(o, pyspark)).collect::<Vec<_>>().join(", ")));
            }
            parts.push(frame_sql(&spec.frame, pyspark));
            format!("{} OVER ({})", p(func), parts.join(" "))
        }
        other => other.sql(),
    }
}

// ---------------------------------------------------------------- SQL text → Column tree

fn sql_span(e: &ast::Expr, origin: Pos) -> Span {
    e.span.offset_by(origin)
}

fn ident_text(i: &ast::Ident) -> String {
    i.value.clone()
}

/// Converts a parsed SQL expression (from `F.expr`, a SQL filter string or `selectExpr`) into a Column
/// tree where the subset allows (names, literals, operators, casts, CASE, IN, BETWEEN, LIKE, plain
/// function calls), so that names and positions come out exactly as for the Python API; any other
/// subtree stays a `Sql` leaf resolved by the SQL analyzer as a whole.
pub fn sql_to_col(e: &ast::Expr, origin: Pos) -> Col {
    use ast::ExprKind as E;
    let span = sql_span(e, origin);
    let leaf = || Col::new(ColKind::Sql { ast: Box::new(e.clone()), origin }, span);
    let bx = |x: &ast::Expr| Box::new(sql_to_col(x, origin));
    match &e.kind {
        E::Identifier(i) => Col::new(ColKind::Name(vec![ident_text(i)]), span),
        E::CompoundIdentifier(ids) => Col::new(ColKind::Name(ids.iter().map(ident_text).collect()), span),
        E::Nested(inner) => sql_to_col(inner, origin),
        E::Value(v) => match v {
            ast::Value::Number(n) => Col::lit(PyLit::SqlNum(n.clone()), span),
            ast::Value::String(s) => Col::lit(PyLit::Str(s.clone()), span),
            ast::Value::Boolean(b) => Col::lit(PyLit::Bool(*b), span),
            ast::Value::Null => Col::lit(PyLit::None, span),
        },
        E::Unary { op: ast::UnaryOp::Not, expr } => Col::new(ColKind::Not(bx(expr)), span),
        E::Unary { op: ast::UnaryOp::Minus, expr } => match &expr.kind {
            E::Value(ast::Value::Number(_)) => leaf(),
            _ => Col::new(ColKind::Neg(bx(expr)), span),
        },
        E::Binary { left, op, right } => {
            use ast::BinaryOp as B;
            let cop = match op {
                B::Plus => COp::Add,
                B::Minus => COp::Sub,
                B::Multiply => COp::Mul,
                B::Divide => COp::Div,
                B::Modulo => COp::Mod,
                B::Eq => COp::Eq,
                B::NullSafeEq => COp::EqNullSafe,
                B::Lt => COp::Lt,
                B::LtEq => COp::LtEq,
                B::Gt => COp::Gt,
                B::GtEq => COp::GtEq,
                B::And => COp::And,
                B::Or => COp::Or,
                // Spark's parser turns `a != b` / `a <> b` into NOT (a = b).
                B::NotEq => {
                    let eq = Col::bin(COp::Eq, sql_to_col(left, origin), sql_to_col(right, origin), span);
                    return Col::new(ColKind::Not(Box::new(eq)), span);
                }
                _ => return leaf(),
            };
            Col::bin(cop, sql_to_col(left, origin), sql_to_col(right, origin), span)
        }
        E::IsNull(x) => Col::new(ColKind::IsNull(bx(x), false), span),
        E::IsNotNull(x) => Col::new(ColKind::IsNull(bx(x), true), span),
        E::InList { expr, list, negated } => {
            let c = Col::new(ColKind::In(bx(expr), list.iter().map(|x| sql_to_col(x, origin)).collect()), span);
            if *negated {
                Col::new(ColKind::Not(Box::new(c)), span)
            } else {
                c
            }
        }
        E::Between { expr, negated, low, high } => {
            let x = sql_to_col(expr, origin);
            let lo = Col::bin(COp::GtEq, x.clone(), sql_to_col(low, origin), span);
            let hi = Col::bin(COp::LtEq, x, sql_to_col(high, origin), span);
            let both = Col::bin(COp::And, lo, hi, span);
            if *negated {
                Col::new(ColKind::Not(Box::new(both)), span)
            } else {
                both
            }
        }
        E::Like { negated, ilike: false, expr, pattern, escape: None } => {
            let c = Col::new(ColKind::Like(bx(expr), bx(pattern), LikeKind::Like), span);
            if *negated {
                Col::new(ColKind::Not(Box::new(c)), span)
            } else {
                c
            }
        }
        E::Cast { expr, data_type, try_cast: false } => Col::new(ColKind::Cast(bx(expr), data_type.clone()), span),
        E::Case { operand: None, branches, else_result } => {
            let branches = branches.iter().map(|(c, r)| (sql_to_col(c, origin), sql_to_col(r, origin))).collect();
            Col::new(ColKind::Case { branches, otherwise: else_result.as_ref().map(|x| bx(x)) }, span)
        }
        E::Function(f) if f.over.is_none() && f.filter.is_none() && f.ignore_nulls.is_none() => {
            let name = match f.name.as_slice() {
                [i] => i.value.to_ascii_lowercase(),
                _ => return leaf(),
            };
            let mut args = vec![];
            for a in &f.args {
                match &a.kind {
                    E::Wildcard(None) => args.push(Col::new(ColKind::Star(None), span)),
                    E::Wildcard(Some(_)) => return leaf(),
                    _ => args.push(sql_to_col(a, origin)),
                }
            }
            Col::new(ColKind::Func { name, args, distinct: f.distinct }, span)
        }
        _ => leaf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_doubles() {
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(0.1), "0.1");
        assert_eq!(java_double(1e10), "1.0E10");
        assert_eq!(java_double(1.5e-4), "1.5E-4");
        assert_eq!(java_double(-2.5), "-2.5");
    }

    #[test]
    fn names_split() {
        match name_col("t.a", Span::default()).kind {
            ColKind::Name(p) => assert_eq!(p, vec!["t".to_string(), "a".to_string()]),
            _ => panic!(),
        }
        match name_col("`a.b`", Span::default()).kind {
            ColKind::Name(p) => assert_eq!(p, vec!["a.b".to_string()]),
            _ => panic!(),
        }
        assert!(matches!(name_col("t.*", Span::default()).kind, ColKind::Star(Some(_))));
    }
}
