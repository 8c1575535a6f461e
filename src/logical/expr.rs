//! Catalyst expressions after analysis: attributes with expression ids, literals, operators, functions,
//! aggregates, window expressions and subqueries — and their text in Spark's own notation
//! (`isnotnull(customer_id#21)`, `(quantity#1 * unit_price#2)`, `sum(total_amount#26)`).
//! Knows types and printing; knows nothing of plans beyond holding subquery plans.

use super::plan::LogicalPlan;
use super::types::DataType;
use crate::error::Span;
use std::fmt::{self, Write};

/// Catalyst's `ExprId`: unique per attribute within a session.
pub type ExprId = u32;

/// Hands out fresh expression ids (Catalyst's `NamedExpression.newExprId`), deterministically.
#[derive(Debug, Clone, Default)]
pub struct IdGen {
    next: ExprId,
}

impl IdGen {
    pub fn starting_at(next: ExprId) -> IdGen {
        IdGen { next }
    }
    #[allow(clippy::should_implement_trait)] // an id generator, never exhausted: not an `Iterator`
    pub fn next(&mut self) -> ExprId {
        let id = self.next;
        self.next += 1;
        id
    }
    /// A fresh attribute with the same name and type (for re-instancing a relation, e.g. a self-join).
    pub fn fresh(&mut self, a: &Attribute) -> Attribute {
        Attribute { id: self.next(), ..a.clone() }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub id: ExprId,
    pub dtype: DataType,
    pub nullable: bool,
    /// Table or alias qualifier(s) used for resolution (`o` in `o.customer_id`).
    pub qualifier: Vec<String>,
}

impl Attribute {
    pub fn to_expr(&self) -> Expr {
        Expr::Attr(self.clone())
    }
    /// `name#id` with Spark's `L` suffix for bigint.
    pub fn spark_string(&self) -> String {
        let suffix = if self.dtype == DataType::Long { "L" } else { "" };
        format!("{}#{}{}", self.name, self.id, suffix)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LitValue {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    /// A decimal literal kept as its text (`1.50`).
    Decimal(String),
    Str(String),
    /// Days as `YYYY-MM-DD` text.
    Date(String),
    Timestamp(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    IntDiv,
    Mod,
    Eq,
    NullSafeEq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
    Concat,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::IntDiv => "div",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::NullSafeEq => "<=>",
            BinOp::NotEq => "!=",
            BinOp::Lt => "<",
            BinOp::LtEq => "<=",
            BinOp::Gt => ">",
            BinOp::GtEq => ">=",
            BinOp::And => "AND",
            BinOp::Or => "OR",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::Concat => "||",
        }
    }
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::NullSafeEq | BinOp::NotEq | BinOp::Lt | BinOp::LtEq | BinOp::Gt | BinOp::GtEq)
    }
    pub fn is_arithmetic(self) -> bool {
        matches!(self, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::IntDiv | BinOp::Mod)
    }
    /// The comparison with its operands swapped (`a < b` ⇔ `b > a`).
    pub fn flip(self) -> BinOp {
        match self {
            BinOp::Lt => BinOp::Gt,
            BinOp::LtEq => BinOp::GtEq,
            BinOp::Gt => BinOp::Lt,
            BinOp::GtEq => BinOp::LtEq,
            o => o,
        }
    }
    /// Data source filter name (`GreaterThanOrEqual`) for PushedFilters.
    pub fn source_filter_name(self) -> Option<&'static str> {
        Some(match self {
            BinOp::Eq => "EqualTo",
            BinOp::NullSafeEq => "EqualNullSafe",
            BinOp::Lt => "LessThan",
            BinOp::LtEq => "LessThanOrEqual",
            BinOp::Gt => "GreaterThan",
            BinOp::GtEq => "GreaterThanOrEqual",
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggFunc {
    Count,
    Sum,
    Avg,
    Min,
    Max,
    First,
    Last,
    CollectList,
    CollectSet,
    CountDistinctApprox,
    StddevSamp,
    VarSamp,
    AnyValue,
}

impl AggFunc {
    pub fn from_name(name: &str) -> Option<AggFunc> {
        Some(match name.to_ascii_lowercase().as_str() {
            "count" => AggFunc::Count,
            "sum" => AggFunc::Sum,
            "avg" | "mean" => AggFunc::Avg,
            "min" => AggFunc::Min,
            "max" => AggFunc::Max,
            "first" | "first_value" => AggFunc::First,
            "last" | "last_value" => AggFunc::Last,
            "collect_list" | "array_agg" => AggFunc::CollectList,
            "collect_set" => AggFunc::CollectSet,
            "approx_count_distinct" => AggFunc::CountDistinctApprox,
            "stddev" | "stddev_samp" | "std" => AggFunc::StddevSamp,
            "variance" | "var_samp" => AggFunc::VarSamp,
            "any_value" => AggFunc::AnyValue,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            AggFunc::Count => "count",
            AggFunc::Sum => "sum",
            AggFunc::Avg => "avg",
            AggFunc::Min => "min",
            AggFunc::Max => "max",
            AggFunc::First => "first",
            AggFunc::Last => "last",
            AggFunc::CollectList => "collect_list",
            AggFunc::CollectSet => "collect_set",
            AggFunc::CountDistinctApprox => "approx_count_distinct",
            AggFunc::StddevSamp => "stddev_samp",
            AggFunc::VarSamp => "var_samp",
            AggFunc::AnyValue => "any_value",
        }
    }
    /// Aggregates whose buffer is an object (planned as ObjectHashAggregate, not HashAggregate).
    pub fn needs_object_buffer(self) -> bool {
        matches!(self, AggFunc::CollectList | AggFunc::CollectSet | AggFunc::CountDistinctApprox)
    }
    /// Result type for an input type, as Spark's aggregate functions declare it.
    pub fn result_type(self, input: Option<&DataType>) -> DataType {
        match self {
            AggFunc::Count | AggFunc::CountDistinctApprox => DataType::Long,
            AggFunc::Sum => match input {
                Some(DataType::Decimal(p, s)) => DataType::Decimal((p + 10).min(38), *s),
                Some(t) if t.is_integral() => DataType::Long,
                _ => DataType::Double,
            },
            AggFunc::Avg => match input {
                Some(DataType::Decimal(p, s)) => DataType::Decimal((p + 4).min(38), (s + 4).min(38)),
                _ => DataType::Double,
            },
            AggFunc::StddevSamp | AggFunc::VarSamp => DataType::Double,
            AggFunc::CollectList | AggFunc::CollectSet => {
                DataType::Array(Box::new(input.cloned().unwrap_or(DataType::Null)))
            }
            _ => input.cloned().unwrap_or(DataType::Null),
        }
    }
}

/// Catalyst's `AggregateMode` as it shows in physical plans (`partial_sum`, `merge_sum`, `sum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggMode {
    Complete,
    Partial,
    PartialMerge,
    Final,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortOrder {
    pub expr: Expr,
    pub ascending: bool,
    pub nulls_first: bool,
}

impl SortOrder {
    pub fn asc(expr: Expr) -> SortOrder {
        SortOrder { expr, ascending: true, nulls_first: true }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FrameBound {
    UnboundedPreceding,
    Preceding(i64),
    CurrentRow,
    Following(i64),
    UnboundedFollowing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WindowFrame {
    /// `RowFrame` or `RangeFrame`.
    pub rows: bool,
    pub lower: FrameBound,
    pub upper: FrameBound,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpec {
    pub partition_by: Vec<Expr>,
    pub order_by: Vec<SortOrder>,
    pub frame: WindowFrame,
}

/// Subquery flavours as analysis produces them; the optimizer rewrites IN/EXISTS into joins.
#[derive(Debug, Clone, PartialEq)]
pub struct SubqueryExpr {
    pub plan: Box<LogicalPlan>,
    /// Outer attributes the subquery refers to (correlation).
    pub outer_refs: Vec<Attribute>,
    pub id: ExprId,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Attr(Attribute),
    /// A reference to an attribute of an enclosing query inside a correlated subquery.
    OuterRef(Attribute),
    Lit(LitValue, DataType),
    Alias { child: Box<Expr>, name: String, id: ExprId },
    Binary { op: BinOp, left: Box<Expr>, right: Box<Expr> },
    Not(Box<Expr>),
    Neg(Box<Expr>),
    IsNull(Box<Expr>),
    IsNotNull(Box<Expr>),
    In { value: Box<Expr>, list: Vec<Expr> },
    Like { child: Box<Expr>, pattern: Box<Expr>, negated: bool },
    Cast { child: Box<Expr>, to: DataType },
    Case { branches: Vec<(Expr, Expr)>, otherwise: Option<Box<Expr>> },
    /// A scalar (non-aggregate) function by Spark's pretty name.
    Func { name: String, args: Vec<Expr>, dtype: DataType, deterministic: bool },
    Agg { func: AggFunc, args: Vec<Expr>, distinct: bool, mode: AggMode, filter: Option<Box<Expr>> },
    /// Ranking/offset window functions (`row_number()`, `rank()`, `lag(x, 1)`), only inside `Window`.
    WindowFunc { name: String, args: Vec<Expr>, dtype: DataType },
    Window { func: Box<Expr>, spec: WindowSpec },
    ScalarSubquery(SubqueryExpr),
    InSubquery { values: Vec<Expr>, sub: SubqueryExpr },
    Exists(SubqueryExpr),
    /// `dynamicpruningexpression(key IN dynamicpruning#N)`: DPP's runtime filter on a partition column.
    DynamicPruning { key: Box<Expr>, build_key_index: usize, build_plan: Box<LogicalPlan>, id: ExprId },
    /// A Python/Scala UDF call: opaque to the optimizer.
    Udf { name: String, args: Vec<Expr>, dtype: DataType, python: bool, pandas: bool },
    /// `*` position during lowering; never survives analysis.
    Star { qualifier: Option<String>, span: Span },
}

impl Expr {
    pub fn lit_int(v: i64) -> Expr {
        Expr::Lit(LitValue::Int(v), DataType::Int)
    }
    pub fn lit_bool(v: bool) -> Expr {
        Expr::Lit(LitValue::Bool(v), DataType::Boolean)
    }
    pub fn lit_str(v: &str) -> Expr {
        Expr::Lit(LitValue::Str(v.to_string()), DataType::String)
    }
    pub fn binary(op: BinOp, l: Expr, r: Expr) -> Expr {
        Expr::Binary { op, left: Box::new(l), right: Box::new(r) }
    }
    pub fn and(l: Expr, r: Expr) -> Expr {
        Expr::binary(BinOp::And, l, r)
    }
    pub fn is_not_null(e: Expr) -> Expr {
        Expr::IsNotNull(Box::new(e))
    }
    pub fn alias(self, name: &str, id: ExprId) -> Expr {
        Expr::Alias { child: Box::new(self), name: name.to_string(), id }
    }

    /// The value's data type.
    pub fn dtype(&self) -> DataType {
        match self {
            Expr::Attr(a) | Expr::OuterRef(a) => a.dtype.clone(),
            Expr::Lit(_, t) => t.clone(),
            Expr::Alias { child, .. } => child.dtype(),
            Expr::Binary { op, left, right } => {
                if op.is_comparison() || matches!(op, BinOp::And | BinOp::Or) {
                    DataType::Boolean
                } else if *op == BinOp::Concat {
                    DataType::String
                } else if *op == BinOp::Div {
                    match (left.dtype(), right.dtype()) {
                        (DataType::Decimal(p, s), _) => DataType::Decimal((p + 6).min(38), (s + 6).min(38)),
                        _ => DataType::Double,
                    }
                } else if *op == BinOp::IntDiv {
                    DataType::Long
                } else {
                    DataType::common_type(&left.dtype(), &right.dtype()).unwrap_or(DataType::Double)
                }
            }
            Expr::Not(_) | Expr::IsNull(_) | Expr::IsNotNull(_) | Expr::In { .. } | Expr::Like { .. } => {
                DataType::Boolean
            }
            Expr::InSubquery { .. } | Expr::Exists(_) | Expr::DynamicPruning { .. } => DataType::Boolean,
            Expr::Neg(c) => c.dtype(),
            Expr::Cast { to, .. } => to.clone(),
            Expr::Case { branches, otherwise } => branches
                .first()
                .map(|(_, v)| v.dtype())
                .or_else(|| otherwise.as_ref().map(|o| o.dtype()))
                .unwrap_or(DataType::Null),
            Expr::Func { dtype, .. } | Expr::WindowFunc { dtype, .. } | Expr::Udf { dtype, .. } => dtype.clone(),
            Expr::Agg { func, args, .. } => func.result_type(args.first().map(|a| a.dtype()).as_ref()),
            Expr::Window { func, .. } => func.dtype(),
            Expr::ScalarSubquery(s) => {
                s.plan.output().first().map(|a| a.dtype.clone()).unwrap_or(DataType::Null)
            }
            Expr::Star { .. } => DataType::Null,
        }
    }

    pub fn nullable(&self) -> bool {
        match self {
            Expr::Attr(a) | Expr::OuterRef(a) => a.nullable,
            Expr::Lit(v, _) => *v == LitValue::Null,
            Expr::Alias { child, .. } | Expr::Cast { child, .. } | Expr::Neg(child) => child.nullable(),
            Expr::IsNull(_) | Expr::IsNotNull(_) | Expr::Exists(_) => false,
            Expr::Binary { op, left, right } => {
                matches!(op, BinOp::Div | BinOp::Mod | BinOp::IntDiv) || left.nullable() || right.nullable()
            }
            Expr::Not(c) => c.nullable(),
            Expr::Agg { func: AggFunc::Count, .. } => false,
            Expr::WindowFunc { name, .. } => !matches!(name.as_str(), "row_number" | "rank" | "dense_rank" | "ntile" | "percent_rank" | "cume_dist"),
            Expr::Window { func, .. } => func.nullable(),
            _ => true,
        }
    }

    /// Children in evaluation order (subquery plans are not expression children).
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Attr(_) | Expr::OuterRef(_) | Expr::Lit(..) | Expr::Star { .. } => vec![],
            Expr::ScalarSubquery(_) | Expr::Exists(_) => vec![],
            Expr::Alias { child, .. }
            | Expr::Not(child)
            | Expr::Neg(child)
            | Expr::IsNull(child)
            | Expr::IsNotNull(child)
            | Expr::Cast { child, .. } => vec![child],
            Expr::Binary { left, right, .. } => vec![left, right],
            Expr::In { value, list } => std::iter::once(value.as_ref()).chain(list.iter()).collect(),
            Expr::Like { child, pattern, .. } => vec![child, pattern],
            Expr::Case { branches, otherwise } => {
                let mut v: Vec<&Expr> = vec![];
                for (c, r) in branches {
                    v.push(c);
                    v.push(r);
                }
                if let Some(o) = otherwise {
                    v.push(o);
                }
                v
            }
            Expr::Func { args, .. } | Expr::WindowFunc { args, .. } | Expr::Udf { args, .. } => args.iter().collect(),
            Expr::Agg { args, filter, .. } => args.iter().chain(filter.iter().map(|f| f.as_ref())).collect(),
            Expr::Window { func, spec } => {
                let mut v = vec![func.as_ref()];
                v.extend(spec.partition_by.iter());
                v.extend(spec.order_by.iter().map(|o| &o.expr));
                v
            }
            Expr::InSubquery { values, .. } => values.iter().collect(),
            Expr::DynamicPruning { key, .. } => vec![key],
        }
    }

    /// Rebuilds the expression with `f` applied to each direct child.
    pub fn map_children(&self, f: &mut dyn FnMut(&Expr) -> Expr) -> Expr {
        let bx = |e: &Expr, f: &mut dyn FnMut(&Expr) -> Expr| Box::new(f(e));
        match self {
            Expr::Attr(_) | Expr::OuterRef(_) | Expr::Lit(..) | Expr::Star { .. } => self.clone(),
            Expr::ScalarSubquery(_) | Expr::Exists(_) => self.clone(),
            Expr::Alias { child, name, id } => Expr::Alias { child: bx(child, f), name: name.clone(), id: *id },
            Expr::Not(c) => Expr::Not(bx(c, f)),
            Expr::Neg(c) => Expr::Neg(bx(c, f)),
            Expr::IsNull(c) => Expr::IsNull(bx(c, f)),
            Expr::IsNotNull(c) => Expr::IsNotNull(bx(c, f)),
            Expr::Cast { child, to } => Expr::Cast { child: bx(child, f), to: to.clone() },
            Expr::Binary { op, left, right } => Expr::Binary { op: *op, left: bx(left, f), right: bx(right, f) },
            Expr::In { value, list } => Expr::In { value: bx(value, f), list: list.iter().map(&mut *f).collect() },
            Expr::Like { child, pattern, negated } => {
                Expr::Like { child: bx(child, f), pattern: bx(pattern, f), negated: *negated }
            }
            Expr::Case { branches, otherwise } => Expr::Case {
                branches: branches.iter().map(|(c, r)| (f(c), f(r))).collect(),
                otherwise: otherwise.as_ref().map(|o| bx(o, f)),
            },
            Expr::Func { name, args, dtype, deterministic } => Expr::Func {
                name: name.clone(),
                args: args.iter().map(&mut *f).collect(),
                dtype: dtype.clone(),
                deterministic: *deterministic,
            },
            Expr::WindowFunc { name, args, dtype } => {
                Expr::WindowFunc { name: name.clone(), args: args.iter().map(&mut *f).collect(), dtype: dtype.clone() }
            }
            Expr::Udf { name, args, dtype, python, pandas } => Expr::Udf {
                name: name.clone(),
                args: args.iter().map(&mut *f).collect(),
                dtype: dtype.clone(),
                python: *python,
                pandas: *pandas,
            },
            Expr::Agg { func, args, distinct, mode, filter } => Expr::Agg {
                func: *func,
                args: args.iter().map(&mut *f).collect(),
                distinct: *distinct,
                mode: *mode,
                filter: filter.as_ref().map(|x| bx(x, f)),
            },
            Expr::Window { func, spec } => Expr::Window {
                func: bx(func, f),
                spec: WindowSpec {
                    partition_by: spec.partition_by.iter().map(&mut *f).collect(),
                    order_by: spec
                        .order_by
                        .iter()
                        .map(|o| SortOrder { expr: f(&o.expr), ascending: o.ascending, nulls_first: o.nulls_first })
                        .collect(),
                    frame: spec.frame.clone(),
                },
            },
            Expr::InSubquery { values, sub } => {
                Expr::InSubquery { values: values.iter().map(&mut *f).collect(), sub: sub.clone() }
            }
            Expr::DynamicPruning { key, build_key_index, build_plan, id } => Expr::DynamicPruning {
                key: bx(key, f),
                build_key_index: *build_key_index,
                build_plan: build_plan.clone(),
                id: *id,
            },
        }
    }

    /// Bottom-up rewrite: `f` sees each node after its children were rewritten.
    pub fn transform_up(&self, f: &mut dyn FnMut(Expr) -> Expr) -> Expr {
        let rebuilt = self.map_children(&mut |c| c.transform_up(f));
        f(rebuilt)
    }

    /// Visits every node, pre-order.
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        for c in self.children() {
            c.walk(f);
        }
    }

    pub fn any(&self, pred: &dyn Fn(&Expr) -> bool) -> bool {
        let mut found = false;
        self.walk(&mut |e| {
            if !found && pred(e) {
                found = true
            }
        });
        found
    }

    /// Attributes referenced (not defined) by this expression, in first-seen order, deduplicated.
    pub fn references(&self) -> Vec<Attribute> {
        let mut out: Vec<Attribute> = vec![];
        self.walk(&mut |e| {
            if let Expr::Attr(a) = e {
                if !out.iter().any(|o| o.id == a.id) {
                    out.push(a.clone());
                }
            }
        });
        out
    }

    pub fn contains_agg(&self) -> bool {
        self.any(&|e| matches!(e, Expr::Agg { .. }))
    }
    /// An aggregate that groups: one not used as a window function (`sum(x) OVER (...)` is a window
    /// aggregate; `sum(sum(x)) OVER ()` has a grouping `sum(x)` inside).
    pub fn contains_group_agg(&self) -> bool {
        match self {
            Expr::Agg { .. } => true,
            Expr::Window { func, spec } => {
                let inner = match func.as_ref() {
                    Expr::Agg { args, filter, .. } => args.iter().chain(filter.iter().map(|f| f.as_ref())).any(|a| a.contains_group_agg()),
                    other => other.contains_group_agg(),
                };
                inner
                    || spec.partition_by.iter().any(|p| p.contains_group_agg())
                    || spec.order_by.iter().any(|o| o.expr.contains_group_agg())
            }
            other => other.children().iter().any(|c| c.contains_group_agg()),
        }
    }
    pub fn contains_window(&self) -> bool {
        self.any(&|e| matches!(e, Expr::Window { .. }))
    }
    pub fn contains_subquery(&self) -> bool {
        self.any(&|e| matches!(e, Expr::ScalarSubquery(_) | Expr::InSubquery { .. } | Expr::Exists(_)))
    }
    pub fn is_deterministic(&self) -> bool {
        !self.any(&|e| match e {
            Expr::Func { deterministic, .. } => !deterministic,
            Expr::Udf { .. } => true,
            _ => false,
        })
    }
    pub fn is_foldable(&self) -> bool {
        match self {
            Expr::Lit(..) => true,
            Expr::Attr(_) | Expr::OuterRef(_) | Expr::Agg { .. } | Expr::Window { .. } | Expr::WindowFunc { .. } => false,
            Expr::ScalarSubquery(_) | Expr::InSubquery { .. } | Expr::Exists(_) | Expr::DynamicPruning { .. } => false,
            Expr::Udf { .. } | Expr::Star { .. } => false,
            Expr::Func { deterministic: false, .. } => false,
            e => e.children().iter().all(|c| c.is_foldable()),
        }
    }

    /// The name a column gets when the expression is selected without an alias (Spark's `toPrettySQL`).
    pub fn auto_name(&self) -> String {
        match self {
            Expr::Attr(a) | Expr::OuterRef(a) => a.name.clone(),
            Expr::Alias { name, .. } => name.clone(),
            e => e.sql(),
        }
    }

    /// When this expression names an output column: `Attr` or `Alias`.
    pub fn to_attribute(&self) -> Option<Attribute> {
        match self {
            Expr::Attr(a) => Some(a.clone()),
            Expr::Alias { child, name, id } => Some(Attribute {
                name: name.clone(),
                id: *id,
                dtype: child.dtype(),
                nullable: child.nullable(),
                qualifier: vec![],
            }),
            _ => None,
        }
    }

    /// Strips a top-level alias.
    pub fn unalias(&self) -> &Expr {
        match self {
            Expr::Alias { child, .. } => child.unalias(),
            e => e,
        }
    }

    /// Spark's `toString` with expression ids (`sum(total_amount#26)`).
    pub fn spark(&self) -> String {
        let mut s = String::new();
        let _ = write_expr(&mut s, self, Style::Spark);
        s
    }
    /// Spark's pretty SQL without ids, string literals quoted (`sum(total_amount)`, `(status = 'X')`).
    pub fn sql(&self) -> String {
        let mut s = String::new();
        let _ = write_expr(&mut s, self, Style::Sql);
        s
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Spark,
    Sql,
}

fn lit_text(v: &LitValue, t: &DataType, style: Style) -> String {
    match v {
        LitValue::Null => "null".into(),
        LitValue::Bool(b) => b.to_string(),
        LitValue::Int(i) => {
            if *t == DataType::Long && style == Style::Sql {
                format!("{i}L")
            } else {
                i.to_string()
            }
        }
        LitValue::Double(d) => {
            if d.fract() == 0.0 && d.abs() < 1e15 {
                format!("{d:.1}")
            } else {
                format!("{d}")
            }
        }
        LitValue::Decimal(s) => s.clone(),
        LitValue::Str(s) => {
            if style == Style::Sql {
                format!("'{}'", s.replace('\'', "\\'"))
            } else {
                s.clone()
            }
        }
        LitValue::Date(d) => {
            if style == Style::Sql {
                format!("DATE '{d}'")
            } else {
                d.clone()
            }
        }
        LitValue::Timestamp(d) => {
            if style == Style::Sql {
                format!("TIMESTAMP '{d}'")
            } else {
                d.clone()
            }
        }
    }
}

fn write_list(out: &mut String, items: &[Expr], style: Style, sep: &str) -> fmt::Result {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        write_expr(out, e, style)?;
    }
    Ok(())
}

pub fn sort_order_text(o: &SortOrder, spark: bool) -> String {
    let e = if spark { o.expr.spark() } else { o.expr.sql() };
    format!(
        "{} {} {}",
        e,
        if o.ascending { "ASC" } else { "DESC" },
        if o.nulls_first { "NULLS FIRST" } else { "NULLS LAST" }
    )
}

fn bound_text(b: &FrameBound) -> String {
    match b {
        FrameBound::UnboundedPreceding => "unboundedpreceding$()".into(),
        FrameBound::UnboundedFollowing => "unboundedfollowing$()".into(),
        FrameBound::CurrentRow => "currentrow$()".into(),
        FrameBound::Preceding(n) => format!("-{n}"),
        FrameBound::Following(n) => n.to_string(),
    }
}

pub fn frame_text(f: &WindowFrame) -> String {
    format!(
        "specifiedwindowframe({}, {}, {})",
        if f.rows { "RowFrame" } else { "RangeFrame" },
        bound_text(&f.lower),
        bound_text(&f.upper)
    )
}

/// `PlanExpression.conditionString`: a subquery's children (its outer references) as `[a#1 && b#2]`.
fn condition_string(outer: &[Attribute]) -> String {
    format!("[{}]", outer.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(" && "))
}

/// The plans inside a node's expressions (subqueries, DPP build plans), in expression order: what
/// Spark's `QueryPlan.innerChildren` prints under the node.
pub fn subquery_plans(e: &Expr) -> Vec<&LogicalPlan> {
    let mut out = vec![];
    fn go<'a>(e: &'a Expr, out: &mut Vec<&'a LogicalPlan>) {
        match e {
            Expr::ScalarSubquery(s) | Expr::Exists(s) => out.push(&s.plan),
            Expr::InSubquery { sub, .. } => out.push(&sub.plan),
            Expr::DynamicPruning { build_plan, .. } => out.push(build_plan),
            _ => {}
        }
        for c in e.children() {
            go(c, out);
        }
    }
    go(e, &mut out);
    out
}

fn write_expr(out: &mut String, e: &Expr, style: Style) -> fmt::Result {
    let spark = style == Style::Spark;
    match e {
        Expr::Attr(a) => out.push_str(&if spark { a.spark_string() } else { a.name.clone() }),
        Expr::OuterRef(a) => {
            if spark {
                write!(out, "outer({})", a.spark_string())?
            } else {
                write!(out, "outer({})", a.name)?
            }
        }
        Expr::Lit(v, t) => out.push_str(&lit_text(v, t, style)),
        Expr::Alias { child, name, id } => {
            write_expr(out, child, style)?;
            if spark {
                let suffix = if child.dtype() == DataType::Long { "L" } else { "" };
                write!(out, " AS {name}#{id}{suffix}")?;
            } else {
                write!(out, " AS {name}")?;
            }
        }
        Expr::Binary { op, left, right } => {
            out.push('(');
            write_expr(out, left, style)?;
            write!(out, " {} ", op.symbol())?;
            write_expr(out, right, style)?;
            out.push(')');
        }
        // `Not.toString` is `NOT child`; `Not.sql` (names) is `(NOT child)`.
        Expr::Not(c) => {
            out.push_str(if spark { "NOT " } else { "(NOT " });
            write_expr(out, c, style)?;
            if !spark {
                out.push(')');
            }
        }
        Expr::Neg(c) => {
            out.push('-');
            write_expr(out, c, style)?;
        }
        Expr::IsNull(c) => {
            if spark {
                out.push_str("isnull(");
                write_expr(out, c, style)?;
                out.push(')');
            } else {
                out.push('(');
                write_expr(out, c, style)?;
                out.push_str(" IS NULL)");
            }
        }
        Expr::IsNotNull(c) => {
            if spark {
                out.push_str("isnotnull(");
                write_expr(out, c, style)?;
                out.push(')');
            } else {
                out.push('(');
                write_expr(out, c, style)?;
                out.push_str(" IS NOT NULL)");
            }
        }
        Expr::In { value, list } => {
            if !spark {
                out.push('(');
            }
            write_expr(out, value, style)?;
            out.push_str(" IN (");
            write_list(out, list, style, if spark { "," } else { ", " })?;
            out.push(')');
            if !spark {
                out.push(')');
            }
        }
        Expr::Like { child, pattern, negated } => {
            if *negated {
                out.push_str("NOT ");
            }
            write_expr(out, child, style)?;
            out.push_str(" LIKE ");
            write_expr(out, pattern, style)?;
        }
        Expr::Cast { child, to } => {
            if spark {
                out.push_str("cast(");
                write_expr(out, child, style)?;
                write!(out, " as {to})")?;
            } else {
                // Spark's pretty SQL hides implicit casts in column names.
                write_expr(out, child, style)?;
            }
        }
        Expr::Case { branches, otherwise } => {
            out.push_str("CASE");
            for (c, r) in branches {
                out.push_str(" WHEN ");
                write_expr(out, c, style)?;
                out.push_str(" THEN ");
                write_expr(out, r, style)?;
            }
            if let Some(o) = otherwise {
                out.push_str(" ELSE ");
                write_expr(out, o, style)?;
            }
            out.push_str(" END");
        }
        Expr::Func { name, args, .. } | Expr::WindowFunc { name, args, .. } | Expr::Udf { name, args, .. } => {
            write!(out, "{name}(")?;
            write_list(out, args, style, ", ")?;
            out.push(')');
        }
        Expr::Agg { func, args, distinct, mode, filter } => {
            let prefix = match mode {
                AggMode::Partial => "partial_",
                AggMode::PartialMerge => "merge_",
                _ => "",
            };
            write!(out, "{prefix}{}(", func.name())?;
            // `toAggString` writes `distinct `; `sql` (auto-generated names) writes `DISTINCT `.
            if *distinct {
                out.push_str(if spark { "distinct " } else { "DISTINCT " });
            }
            if args.is_empty() && *func == AggFunc::Count {
                out.push('1');
            }
            write_list(out, args, style, ", ")?;
            out.push(')');
            if let Some(f) = filter {
                out.push_str(" FILTER (WHERE ");
                write_expr(out, f, style)?;
                out.push(')');
            }
        }
        Expr::Window { func, spec } => {
            write_expr(out, func, style)?;
            if spark {
                out.push_str(" windowspecdefinition(");
                let mut parts: Vec<String> = spec.partition_by.iter().map(|p| p.spark()).collect();
                parts.extend(spec.order_by.iter().map(|o| sort_order_text(o, true)));
                parts.push(frame_text(&spec.frame));
                out.push_str(&parts.join(", "));
                out.push(')');
            } else {
                out.push_str(" OVER (");
                let mut parts = vec![];
                if !spec.partition_by.is_empty() {
                    parts.push(format!(
                        "PARTITION BY {}",
                        spec.partition_by.iter().map(|p| p.sql()).collect::<Vec<_>>().join(", ")
                    ));
                }
                if !spec.order_by.is_empty() {
                    parts.push(format!(
                        "ORDER BY {}",
                        spec.order_by.iter().map(|o| sort_order_text(o, false)).collect::<Vec<_>>().join(", ")
                    ));
                }
                out.push_str(&parts.join(" "));
                out.push(')');
            }
        }
        Expr::ScalarSubquery(s) => write!(out, "scalar-subquery#{} {}", s.id, condition_string(&s.outer_refs))?,
        Expr::InSubquery { values, sub } => {
            if values.len() == 1 {
                write_expr(out, &values[0], style)?;
            } else {
                out.push('(');
                write_list(out, values, style, ", ")?;
                out.push(')');
            }
            write!(out, " IN (list#{} {})", sub.id, condition_string(&sub.outer_refs))?;
        }
        Expr::Exists(s) => write!(out, "exists#{} {}", s.id, condition_string(&s.outer_refs))?,
        // `DynamicPruningSubquery.toString`: its id and its child (the pruning key) in brackets. The
        // physical text turns it into `dynamicpruningexpression(key IN dynamicpruning#id)`.
        Expr::DynamicPruning { key, id, .. } => {
            write!(out, "dynamicpruning#{id} [")?;
            write_expr(out, key, style)?;
            out.push(']');
        }
        Expr::Star { qualifier, .. } => match qualifier {
            Some(q) => write!(out, "{q}.*")?,
            None => out.push('*'),
        },
    }
    Ok(())
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spark())
    }
}

/// Splits a conjunction into its conjuncts (`a AND b AND c` → `[a, b, c]`).
pub fn split_conjuncts(e: &Expr) -> Vec<Expr> {
    match e {
        Expr::Binary { op: BinOp::And, left, right } => {
            let mut v = split_conjuncts(left);
            v.extend(split_conjuncts(right));
            v
        }
        e => vec![e.clone()],
    }
}

/// Joins conjuncts left-deep, as Catalyst's `reduceLeft(And)` does: `((a AND b) AND c)`.
pub fn conjoin(parts: Vec<Expr>) -> Option<Expr> {
    let mut it = parts.into_iter();
    let first = it.next()?;
    Some(it.fold(first, Expr::and))
}
