//! The Spark SQL syntax tree (module `syntax`): what `parser` builds from a query's text and what the analyzer
//! (`query.rs`, `exprs.rs`), the parsed-plan printer (`parsed.rs`) and the PySpark lowering consume.
//! Shapes follow Spark 3.5's grammar (`SqlBaseParser.g4`) for the subset Stagecraft plans; every node
//! carries the source span of its text so each later error can point at it. Knows syntax only: no
//! names are resolved and no types are checked here (a data type is already Spark's `DataType`, because
//! Spark's parser itself refuses an unknown type).

use crate::error::Span;
use crate::logical::types::DataType;

/// An identifier as written: `value` is unquoted (backticks removed, doubled backticks collapsed).
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub value: String,
    pub quoted: bool,
    pub span: Span,
}

/// A multi-part name (`db.table`, `t.col`), each part an identifier.
pub type ObjectName = Vec<Ident>;

/// The span covering a multi-part name.
pub fn name_span(n: &[Ident]) -> Span {
    n.iter().fold(Span::default(), |s, i| s.union(i.span))
}

/// `query` in Spark's grammar: an optional WITH, a body, then the query organization (ORDER BY or
/// CLUSTER BY / DISTRIBUTE BY / SORT BY, WINDOW, LIMIT, OFFSET).
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub with: Option<With>,
    pub body: SetExpr,
    pub order_by: Vec<OrderByExpr>,
    /// `CLUSTER BY e, ...` (= DISTRIBUTE BY e SORT BY e).
    pub cluster_by: Vec<Expr>,
    pub distribute_by: Vec<Expr>,
    pub sort_by: Vec<OrderByExpr>,
    /// Where the result clauses (ORDER BY ... OFFSET) start: the token after the body.
    pub organization: Span,
    /// `WINDOW w AS (...)` after the body; the parser attaches it to the last SELECT when the body is
    /// a single SELECT (where Spark resolves it) and leaves it here otherwise.
    pub windows: Vec<NamedWindow>,
    pub limit: Option<Expr>,
    pub offset: Option<Expr>,
    pub span: Span,
}

/// `WITH [RECURSIVE] a AS (...), b (x, y) AS (...)`. (Spark 3.5 has no RECURSIVE: the parser records
/// the keyword so the analyzer can answer with Spark's own error at the right token.)
#[derive(Debug, Clone, PartialEq)]
pub struct With {
    pub recursive: bool,
    pub ctes: Vec<Cte>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cte {
    pub name: Ident,
    pub columns: Vec<Ident>,
    pub query: Box<Query>,
}

/// A query body: a SELECT, a parenthesised query, a set operation, VALUES or `TABLE t`.
#[derive(Debug, Clone, PartialEq)]
pub enum SetExpr {
    Select(Box<Select>),
    Query(Box<Query>),
    SetOp { op: SetOp, all: bool, by_name: bool, left: Box<SetExpr>, right: Box<SetExpr>, span: Span },
    Values(Values),
    Table { name: ObjectName, span: Span },
}

impl SetExpr {
    pub fn span(&self) -> Span {
        match self {
            SetExpr::Select(s) => s.span,
            SetExpr::Query(q) => q.span,
            SetExpr::SetOp { span, .. } | SetExpr::Table { span, .. } => *span,
            SetExpr::Values(v) => v.span,
        }
    }
}

/// UNION / INTERSECT / EXCEPT (MINUS is EXCEPT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    Union,
    Intersect,
    Except,
}

/// `VALUES (1, 'a'), (2, 'b')` (a row may also be a single expression without parentheses).
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    pub rows: Vec<Vec<Expr>>,
    /// Optional `AS t(a, b)` when VALUES is used as a FROM item.
    pub alias: Option<TableAlias>,
    pub span: Span,
}

/// The text between `/*+` and `*/` of one hint comment, and where that text starts.
#[derive(Debug, Clone, PartialEq)]
pub struct HintComment {
    pub text: String,
    /// The span of `text` itself (the first character after `/*+`).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// The span of the SELECT keyword.
    pub select_span: Span,
    pub hints: Vec<HintComment>,
    pub distinct: bool,
    pub projection: Vec<SelectItem>,
    pub from: Vec<TableWithJoins>,
    pub lateral_views: Vec<LateralView>,
    pub selection: Option<Expr>,
    pub group_by: GroupBy,
    pub having: Option<Expr>,
    pub named_windows: Vec<NamedWindow>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NamedWindow {
    pub name: Ident,
    pub spec: WindowSpec,
}

/// GROUP BY: expressions (which may themselves be ROLLUP / CUBE / GROUPING SETS), a trailing
/// `WITH ROLLUP` / `WITH CUBE`, or `GROUP BY ALL`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum GroupBy {
    #[default]
    None,
    Exprs { exprs: Vec<Expr>, with_rollup: bool, with_cube: bool },
    All(Span),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem {
    /// `*`
    Wildcard(Span),
    /// `t.*` (the qualifier's parts).
    QualifiedWildcard(ObjectName, Span),
    /// `expr`, `expr AS a`, `expr a`.
    Expr { expr: Expr, alias: Option<Ident> },
    /// `expr AS (a, b)` for a multi-column generator such as posexplode.
    ExprWithAliases { expr: Expr, aliases: Vec<Ident> },
}

impl SelectItem {
    pub fn span(&self) -> Span {
        match self {
            SelectItem::Wildcard(s) | SelectItem::QualifiedWildcard(_, s) => *s,
            SelectItem::Expr { expr, alias } => alias.as_ref().map_or(expr.span, |a| expr.span.union(a.span)),
            SelectItem::ExprWithAliases { expr, aliases } => aliases.iter().fold(expr.span, |s, a| s.union(a.span)),
        }
    }
}

/// `LATERAL VIEW [OUTER] explode(x) t AS a, b`.
#[derive(Debug, Clone, PartialEq)]
pub struct LateralView {
    pub outer: bool,
    pub func: Expr,
    pub table: Option<Ident>,
    pub columns: Vec<Ident>,
    pub span: Span,
}

/// One FROM item and the joins chained onto it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableWithJoins {
    pub relation: TableFactor,
    pub joins: Vec<Join>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    pub relation: TableFactor,
    pub kind: JoinKind,
    pub constraint: JoinConstraint,
    /// The span of the join keywords (`LEFT OUTER JOIN`).
    pub span: Span,
}

/// Spark's `joinType`: INNER, CROSS, LEFT [OUTER], LEFT SEMI, RIGHT [OUTER], FULL [OUTER], [LEFT] ANTI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    Inner,
    Cross,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftSemi,
    LeftAnti,
}

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum JoinConstraint {
    None,
    On(Expr),
    Using(Vec<Ident>),
    /// `NATURAL JOIN`.
    Natural,
}

/// `AS t` / `t (a, b)` after a FROM item.
#[derive(Debug, Clone, PartialEq)]
pub struct TableAlias {
    pub name: Ident,
    pub columns: Vec<Ident>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TableFactor {
    /// A table or view name, with TABLESAMPLE kept only as its span (Stagecraft refuses it).
    Table { name: ObjectName, alias: Option<TableAlias>, sample: Option<Span>, span: Span },
    /// A table-valued function such as `range(10)`.
    Function { name: ObjectName, args: Vec<Expr>, alias: Option<TableAlias>, span: Span },
    /// `(subquery) [AS] alias`, possibly `LATERAL`.
    Derived { lateral: bool, subquery: Box<Query>, alias: Option<TableAlias>, span: Span },
    /// `(a JOIN b ON ...)`.
    NestedJoin { inner: Box<TableWithJoins>, alias: Option<TableAlias>, span: Span },
    /// `VALUES ... AS t(a, b)` as a FROM item.
    Values(Values),
    /// `t PIVOT (agg [AS a], ... FOR col IN (v [AS a], ...)) [AS alias]`.
    Pivot { table: Box<TableFactor>, aggregates: Vec<(Expr, Option<Ident>)>, columns: Vec<Expr>, values: Vec<(Expr, Option<Ident>)>, alias: Option<TableAlias>, span: Span },
}

impl TableFactor {
    pub fn span(&self) -> Span {
        match self {
            TableFactor::Table { span, .. }
            | TableFactor::Function { span, .. }
            | TableFactor::Derived { span, .. }
            | TableFactor::NestedJoin { span, .. }
            | TableFactor::Pivot { span, .. } => *span,
            TableFactor::Values(v) => v.span,
        }
    }
}

/// `expr [ASC|DESC] [NULLS FIRST|LAST]`.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderByExpr {
    pub expr: Expr,
    pub asc: Option<bool>,
    pub nulls_first: Option<bool>,
}

/// An expression and the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}

/// A literal as written. `Number` keeps its text with any suffix (`1L`, `2S`, `3Y`, `1.5D`, `1.5BD`,
/// `1.5F`, `1e3`); strings are unescaped and adjacent string literals already concatenated, as Spark's
/// parser does.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(String),
    String(String),
    Boolean(bool),
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `NOT x` and `!x`.
    Not,
    Minus,
    Plus,
    /// `~x`.
    BitNot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Plus,
    Minus,
    Multiply,
    Divide,
    Modulo,
    /// `a DIV b`.
    IntDivide,
    /// `=` and `==`.
    Eq,
    /// `<=>`.
    NullSafeEq,
    /// `<>` and `!=`.
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    /// `||`.
    Concat,
    BitAnd,
    BitOr,
    BitXor,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Identifier(Ident),
    /// `a.b`, `t.c`, `db.t.c`, or struct field access on a name.
    CompoundIdentifier(Vec<Ident>),
    Value(Value),
    /// `DATE '2024-01-01'`, `TIMESTAMP '...'`, `X'0A'`: the type keyword as written and the string.
    TypedString { type_name: String, data_type: DataType, value: String },
    /// `INTERVAL ...` (kept as text: Stagecraft does not evaluate intervals).
    Interval(String),
    /// `( expr )`.
    Nested(Box<Expr>),
    Unary { op: UnaryOp, expr: Box<Expr> },
    Binary { left: Box<Expr>, op: BinaryOp, right: Box<Expr> },
    IsNull(Box<Expr>),
    IsNotNull(Box<Expr>),
    IsTrue(Box<Expr>),
    IsNotTrue(Box<Expr>),
    IsFalse(Box<Expr>),
    IsNotFalse(Box<Expr>),
    IsDistinctFrom(Box<Expr>, Box<Expr>),
    IsNotDistinctFrom(Box<Expr>, Box<Expr>),
    Between { expr: Box<Expr>, negated: bool, low: Box<Expr>, high: Box<Expr> },
    InList { expr: Box<Expr>, list: Vec<Expr>, negated: bool },
    InSubquery { expr: Box<Expr>, subquery: Box<Query>, negated: bool },
    Exists { subquery: Box<Query>, negated: bool },
    /// A scalar subquery `(SELECT ...)`.
    Subquery(Box<Query>),
    /// `LIKE` / `ILIKE` (`ilike` set), with an optional ESCAPE character; `LIKE ANY/ALL` are refused by
    /// the parser with a positioned message.
    Like { negated: bool, ilike: bool, expr: Box<Expr>, pattern: Box<Expr>, escape: Option<char> },
    /// `RLIKE` / `REGEXP`.
    RLike { negated: bool, expr: Box<Expr>, pattern: Box<Expr> },
    /// `CAST(x AS t)` / `TRY_CAST(x AS t)`.
    Cast { expr: Box<Expr>, data_type: DataType, try_cast: bool },
    /// `CASE [operand] WHEN c THEN r ... [ELSE e] END`.
    Case { operand: Option<Box<Expr>>, branches: Vec<(Expr, Expr)>, else_result: Option<Box<Expr>> },
    Function(Function),
    /// `SUBSTRING(x FROM a [FOR b])` (the comma form is an ordinary function call).
    Substring { expr: Box<Expr>, from: Option<Box<Expr>>, len: Option<Box<Expr>> },
    /// `TRIM([BOTH|LEADING|TRAILING] [chars] FROM x)` (`TRIM(x)` is an ordinary function call).
    Trim { side: Option<String>, chars: Option<Box<Expr>>, expr: Box<Expr> },
    /// `EXTRACT(field FROM x)`: the field lower-cased as written.
    Extract { field: String, expr: Box<Expr> },
    /// `POSITION(sub IN str)`.
    Position { sub: Box<Expr>, expr: Box<Expr> },
    /// `x[i]`.
    Subscript { expr: Box<Expr>, index: Box<Expr> },
    /// `(expr).field` on a non-name expression (`named_struct(...).a`).
    FieldAccess { expr: Box<Expr>, field: Ident },
    /// `*` or `t.*` as a function argument (`count(*)`) or anywhere else (the analyzer refuses it there).
    Wildcard(Option<ObjectName>),
    /// `(a, b)`: a row on the left of IN (subquery), or a struct.
    Tuple(Vec<Expr>),
    /// `x -> body` / `(x, y) -> body` inside a higher-order function.
    Lambda { params: Vec<Ident>, body: Box<Expr> },
    /// `ROLLUP(a, (b, c))` in GROUP BY: each element a column or a parenthesised column set.
    Rollup(Vec<Vec<Expr>>),
    /// `CUBE(...)` in GROUP BY, elements as for `Rollup`.
    Cube(Vec<Vec<Expr>>),
    /// `GROUPING SETS ((a, b), (a), ())` in GROUP BY.
    GroupingSets(Vec<Vec<Expr>>),
}

/// A function call: `name([DISTINCT|ALL] args) [FILTER (WHERE c)] [IGNORE|RESPECT NULLS] [OVER w]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: ObjectName,
    pub args: Vec<Expr>,
    pub distinct: bool,
    pub filter: Option<Box<Expr>>,
    /// `Some(true)` for IGNORE NULLS (inside or after the parentheses), `Some(false)` for RESPECT NULLS.
    pub ignore_nulls: Option<bool>,
    pub over: Option<WindowRef>,
}

/// `OVER w` or `OVER (spec)`.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowRef {
    Named(Ident),
    Spec(WindowSpec),
}

/// `([base] PARTITION BY ... ORDER BY ... frame)`; DISTRIBUTE BY / SORT BY / CLUSTER BY are read as
/// their PARTITION BY / ORDER BY equivalents, as Spark's parser does.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpec {
    /// `(w ORDER BY ...)`: a named window this spec extends.
    pub base: Option<Ident>,
    pub partition_by: Vec<Expr>,
    pub order_by: Vec<OrderByExpr>,
    pub frame: Option<WindowFrame>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameUnits {
    Rows,
    Range,
}

/// `ROWS|RANGE BETWEEN start AND end` or `ROWS|RANGE start` (end = CURRENT ROW).
#[derive(Debug, Clone, PartialEq)]
pub struct WindowFrame {
    pub units: FrameUnits,
    pub start: FrameBound,
    pub end: Option<FrameBound>,
    pub span: Span,
}

/// A frame boundary; `Preceding(None)` is UNBOUNDED PRECEDING.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameBound {
    CurrentRow,
    Preceding(Option<Box<Expr>>),
    Following(Option<Box<Expr>>),
}
