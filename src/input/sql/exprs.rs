//! SQL expressions → resolved Catalyst expressions: name resolution against a scope (with outer scopes
//! for correlated subqueries), literals with Spark's literal types, implicit casts (`TypeCoercion`),
//! functions from the registry, and positioned errors. Subquery plans are built by the caller's hook.

use super::functions::{self, FnKind};
use super::syntax as ast;
use super::Analyzer;
use crate::error::{Diagnostic, Result, Span};
use crate::logical::expr::*;
use crate::logical::types::DataType;

/// What names resolve against: the input's attributes (qualified), and enclosing queries' scopes.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub attrs: Vec<Attribute>,
}

impl Scope {
    pub fn new(attrs: Vec<Attribute>) -> Scope {
        Scope { attrs }
    }
    /// Finds `parts` (`[col]` or `[qualifier, col]`); Err(msg) when ambiguous.
    pub fn find(&self, parts: &[String]) -> std::result::Result<Option<Attribute>, String> {
        let (qual, name) = match parts {
            [n] => (None, n),
            [q, n] => (Some(q), n),
            [.., q, n] => (Some(q), n),
            [] => return Ok(None),
        };
        let hits: Vec<&Attribute> = self
            .attrs
            .iter()
            .filter(|a| a.name.eq_ignore_ascii_case(name))
            .filter(|a| match qual {
                Some(q) => a.qualifier.iter().any(|x| x.eq_ignore_ascii_case(q)),
                None => true,
            })
            .collect();
        match hits.as_slice() {
            [] => Ok(None),
            [a] => Ok(Some((*a).clone())),
            [a, rest @ ..] if rest.iter().all(|b| b.id == a.id) => Ok(Some((*a).clone())),
            many => Err(format!(
                "[AMBIGUOUS_REFERENCE] Reference `{}` is ambiguous, could be: [{}].",
                parts.join("."),
                many.iter()
                    .map(|a| format!("`{}`.`{}`", a.qualifier.first().cloned().unwrap_or_default(), a.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// How an expression may be used where it is being resolved.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Clause {
    Where,
    Select,
    GroupBy,
    Having,
    OrderBy,
    JoinOn,
    Other,
}

pub struct ExprCtx<'s> {
    pub scope: &'s Scope,
    pub outer: &'s [Scope],
    pub clause: Clause,
    /// SELECT-list aliases visible here (GROUP BY / HAVING / ORDER BY may use them).
    pub aliases: &'s [(String, Expr)],
}

/// The span of an expression's text.
pub fn span_of(e: &ast::Expr) -> Span {
    e.span
}

/// The text of a literal as written (strings unquoted), for messages.
pub fn value_text(v: &ast::Value) -> String {
    match v {
        ast::Value::Number(n) => n.clone(),
        ast::Value::String(s) => s.clone(),
        ast::Value::Boolean(b) => b.to_string(),
        ast::Value::Null => "NULL".into(),
    }
}

/// The lower-case name of an EXTRACT field in Spark's function spelling (`years` is `year`).
fn extract_field(f: &str) -> String {
    match f {
        "year" | "years" | "y" | "yr" | "yrs" => "year",
        "month" | "months" | "mon" | "mons" => "month",
        "week" | "weeks" | "w" => "week",
        "day" | "days" | "d" => "day",
        "dow" | "dayofweek" => "dayofweek",
        "doy" | "dayofyear" => "dayofyear",
        "hour" | "hours" | "h" | "hr" | "hrs" => "hour",
        "minute" | "minutes" | "m" | "min" | "mins" => "minute",
        "second" | "seconds" | "s" | "sec" | "secs" => "second",
        "quarter" | "qtr" => "quarter",
        other => other,
    }
    .to_string()
}

impl<'a> Analyzer<'a> {
    pub fn expr(&mut self, e: &ast::Expr, cx: &ExprCtx) -> Result<Expr> {
        use ast::ExprKind as E;
        let span = span_of(e);
        match &e.kind {
            E::Identifier(id) => match self.resolve_name(std::slice::from_ref(&id.value), span, cx) {
                // Spark's LiteralFunctionResolution: a bare `current_date` / `current_timestamp` that is no
                // column is the function call.
                Err(_) if !id.quoted && ["current_date", "current_timestamp"].contains(&id.value.to_ascii_lowercase().as_str()) => {
                    let f = ast::Function { name: vec![id.clone()], args: vec![], distinct: false, filter: None, ignore_nulls: None, over: None };
                    self.function(&f, span, cx)
                }
                r => r,
            },
            E::CompoundIdentifier(ids) => {
                let parts: Vec<String> = ids.iter().map(|i| i.value.clone()).collect();
                self.resolve_name(&parts, span, cx)
            }
            E::Value(v) => literal(v, span),
            E::TypedString { data_type, value, .. } => cast_literal(&Expr::lit_str(value), data_type).ok_or_else(|| {
                Diagnostic::analysis(format!("[INVALID_TYPED_LITERAL] The value of the typed literal {} is invalid: '{}'.", data_type.to_string().to_uppercase(), value), span)
            }),
            E::Nested(inner) => self.expr(inner, cx),
            E::Unary { op, expr } => {
                let x = self.expr(expr, cx)?;
                match op {
                    ast::UnaryOp::Not => Ok(Expr::Not(Box::new(coerce_bool(x, span)?))),
                    ast::UnaryOp::Minus => match x {
                        Expr::Lit(LitValue::Int(i), t) => Ok(Expr::Lit(LitValue::Int(-i), t)),
                        Expr::Lit(LitValue::Double(d), t) => Ok(Expr::Lit(LitValue::Double(-d), t)),
                        Expr::Lit(LitValue::Decimal(d), t) => Ok(Expr::Lit(LitValue::Decimal(format!("-{d}")), t)),
                        x => Ok(Expr::Neg(Box::new(x))),
                    },
                    ast::UnaryOp::Plus => Ok(x),
                    ast::UnaryOp::BitNot => Err(Diagnostic::analysis("unsupported unary operator", span)),
                }
            }
            E::Binary { left, op, right } => {
                let l = self.expr(left, cx)?;
                let r = self.expr(right, cx)?;
                let bop = match op {
                    ast::BinaryOp::Plus => BinOp::Add,
                    ast::BinaryOp::Minus => BinOp::Sub,
                    ast::BinaryOp::Multiply => BinOp::Mul,
                    ast::BinaryOp::Divide => BinOp::Div,
                    ast::BinaryOp::Modulo => BinOp::Mod,
                    ast::BinaryOp::IntDivide => BinOp::IntDiv,
                    ast::BinaryOp::Eq => BinOp::Eq,
                    ast::BinaryOp::NullSafeEq => BinOp::NullSafeEq,
                    ast::BinaryOp::NotEq => BinOp::NotEq,
                    ast::BinaryOp::Lt => BinOp::Lt,
                    ast::BinaryOp::LtEq => BinOp::LtEq,
                    ast::BinaryOp::Gt => BinOp::Gt,
                    ast::BinaryOp::GtEq => BinOp::GtEq,
                    ast::BinaryOp::And => BinOp::And,
                    ast::BinaryOp::Or => BinOp::Or,
                    ast::BinaryOp::Concat => BinOp::Concat,
                    ast::BinaryOp::BitAnd => BinOp::BitAnd,
                    ast::BinaryOp::BitOr => BinOp::BitOr,
                    ast::BinaryOp::BitXor => BinOp::BitXor,
                };
                // Spark's parser builds `a <> b` / `a != b` as Not(EqualTo(a, b)): `NOT (a = b)`.
                if bop == BinOp::NotEq {
                    return Ok(Expr::Not(Box::new(binary(BinOp::Eq, l, r, span)?)));
                }
                binary(bop, l, r, span)
            }
            E::IsNull(x) => Ok(Expr::IsNull(Box::new(self.expr(x, cx)?))),
            E::IsNotNull(x) => Ok(Expr::IsNotNull(Box::new(self.expr(x, cx)?))),
            E::IsTrue(x) => binary(BinOp::NullSafeEq, self.expr(x, cx)?, Expr::lit_bool(true), span),
            E::IsFalse(x) => binary(BinOp::NullSafeEq, self.expr(x, cx)?, Expr::lit_bool(false), span),
            E::IsNotTrue(x) => Ok(Expr::Not(Box::new(binary(BinOp::NullSafeEq, self.expr(x, cx)?, Expr::lit_bool(true), span)?))),
            E::IsNotFalse(x) => Ok(Expr::Not(Box::new(binary(BinOp::NullSafeEq, self.expr(x, cx)?, Expr::lit_bool(false), span)?))),
            E::IsDistinctFrom(a, b) => Ok(Expr::Not(Box::new(binary(BinOp::NullSafeEq, self.expr(a, cx)?, self.expr(b, cx)?, span)?))),
            E::IsNotDistinctFrom(a, b) => binary(BinOp::NullSafeEq, self.expr(a, cx)?, self.expr(b, cx)?, span),
            E::Between { expr, negated, low, high } => {
                let x = self.expr(expr, cx)?;
                let lo = binary(BinOp::GtEq, x.clone(), self.expr(low, cx)?, span)?;
                let hi = binary(BinOp::LtEq, x, self.expr(high, cx)?, span)?;
                let both = Expr::and(lo, hi);
                Ok(if *negated { Expr::Not(Box::new(both)) } else { both })
            }
            E::InList { expr, list, negated } => {
                let x = self.expr(expr, cx)?;
                let mut items = vec![];
                for i in list {
                    let v = self.expr(i, cx)?;
                    items.push(coerce_to(v, &x.dtype()));
                }
                let e = Expr::In { value: Box::new(x), list: items };
                Ok(if *negated { Expr::Not(Box::new(e)) } else { e })
            }
            E::InSubquery { expr, subquery, negated } => {
                let values = match &expr.kind {
                    E::Tuple(items) => items.iter().map(|i| self.expr(i, cx)).collect::<Result<Vec<_>>>()?,
                    _ => vec![self.expr(expr, cx)?],
                };
                let sub = self.subquery(subquery, cx)?;
                let cols = sub.plan.output().len();
                if cols != values.len() {
                    return Err(Diagnostic::analysis(
                        format!("[DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH] The IN subquery returns {cols} column(s) but the left side has {}.", values.len()),
                        subquery.span,
                    ));
                }
                let e = Expr::InSubquery { values, sub };
                Ok(if *negated { Expr::Not(Box::new(e)) } else { e })
            }
            E::Exists { subquery, negated } => {
                let sub = self.subquery(subquery, cx)?;
                let e = Expr::Exists(sub);
                Ok(if *negated { Expr::Not(Box::new(e)) } else { e })
            }
            E::Subquery(q) => {
                let sub = self.subquery(q, cx)?;
                if sub.plan.output().len() != 1 {
                    return Err(Diagnostic::analysis(
                        "[INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN] A scalar subquery must return exactly one column.",
                        span,
                    ));
                }
                Ok(Expr::ScalarSubquery(sub))
            }
            E::Like { negated, expr, pattern, .. } => {
                let x = self.expr(expr, cx)?;
                let p = self.expr(pattern, cx)?;
                Ok(Expr::Like { child: Box::new(x), pattern: Box::new(p), negated: *negated })
            }
            E::RLike { negated, expr, pattern } => {
                let f = Expr::Func { name: "rlike".into(), args: vec![self.expr(expr, cx)?, self.expr(pattern, cx)?], dtype: DataType::Boolean, deterministic: true };
                Ok(if *negated { Expr::Not(Box::new(f)) } else { f })
            }
            E::Cast { expr, data_type, .. } => {
                let x = self.expr(expr, cx)?;
                Ok(cast(x, data_type.clone()))
            }
            E::Case { operand, branches: whens, else_result } => {
                let op = match operand {
                    Some(o) => Some(self.expr(o, cx)?),
                    None => None,
                };
                let mut branches = vec![];
                for (cond, result) in whens {
                    let c = self.expr(cond, cx)?;
                    let c = match &op {
                        Some(o) => binary(BinOp::Eq, o.clone(), c, span)?,
                        None => coerce_bool(c, span_of(cond))?,
                    };
                    branches.push((c, self.expr(result, cx)?));
                }
                let otherwise = match else_result {
                    Some(x) => Some(Box::new(self.expr(x, cx)?)),
                    None => None,
                };
                // Branch values share one type.
                let t = branches
                    .iter()
                    .map(|(_, v)| v.dtype())
                    .chain(otherwise.iter().map(|o| o.dtype()))
                    .reduce(|a, b| DataType::common_type(&a, &b).unwrap_or(a))
                    .unwrap_or(DataType::Null);
                let branches = branches.into_iter().map(|(c, v)| (c, coerce_to(v, &t))).collect();
                let otherwise = otherwise.map(|o| Box::new(coerce_to(*o, &t)));
                Ok(Expr::Case { branches, otherwise })
            }
            E::Function(f) => self.function(f, span, cx),
            E::Substring { expr, from, len } => {
                let mut args = vec![self.expr(expr, cx)?];
                args.push(match from {
                    Some(f) => self.expr(f, cx)?,
                    None => Expr::lit_int(1),
                });
                if let Some(f) = len {
                    args.push(self.expr(f, cx)?);
                } else {
                    args.push(Expr::lit_int(i32::MAX as i64));
                }
                Ok(Expr::Func { name: "substring".into(), args, dtype: DataType::String, deterministic: true })
            }
            E::Trim { expr, .. } => {
                Ok(Expr::Func { name: "trim".into(), args: vec![self.expr(expr, cx)?], dtype: DataType::String, deterministic: true })
            }
            E::Extract { field, expr } => {
                let name = match extract_field(field).as_str() {
                    "day" => "dayofmonth".to_string(),
                    n => n.to_string(),
                };
                Ok(Expr::Func { name, args: vec![self.expr(expr, cx)?], dtype: DataType::Int, deterministic: true })
            }
            E::Wildcard(_) => Err(Diagnostic::analysis("`*` is only allowed in a SELECT list or in count(*)", span)),
            E::Interval(_) => Err(Diagnostic::analysis("INTERVAL literals are not supported by Stagecraft yet", span)),
            E::Tuple(_) => Err(Diagnostic::analysis("a tuple is only allowed on the left of IN (subquery)", span)),
            E::Position { .. } => Err(Diagnostic::analysis("unsupported expression (POSITION)", span)),
            E::Subscript { .. } | E::FieldAccess { .. } => Err(Diagnostic::analysis("unsupported expression (field access)", span)),
            E::Lambda { .. } => Err(Diagnostic::analysis("unsupported expression (lambda function)", span)),
            E::Rollup(_) | E::Cube(_) | E::GroupingSets(_) => Err(Diagnostic::analysis("unsupported expression (grouping sets)", span)),
        }
    }

    fn resolve_name(&mut self, parts: &[String], span: Span, cx: &ExprCtx) -> Result<Expr> {
        match cx.scope.find(parts) {
            Ok(Some(a)) => return Ok(Expr::Attr(a)),
            Err(msg) => return Err(Diagnostic::analysis(msg, span)),
            Ok(None) => {}
        }
        if parts.len() == 1 {
            if let Some((_, e)) = cx.aliases.iter().find(|(n, _)| n.eq_ignore_ascii_case(&parts[0])) {
                if matches!(cx.clause, Clause::GroupBy | Clause::Having | Clause::OrderBy) {
                    return Ok(e.clone());
                }
            }
        }
        for outer in cx.outer.iter().rev() {
            match outer.find(parts) {
                Ok(Some(a)) => return Ok(Expr::OuterRef(a)),
                Err(msg) => return Err(Diagnostic::analysis(msg, span)),
                Ok(None) => {}
            }
        }
        let mut names: Vec<String> = cx
            .scope
            .attrs
            .iter()
            .map(|a| match a.qualifier.first() {
                Some(q) => format!("`{q}`.`{}`", a.name),
                None => format!("`{}`", a.name),
            })
            .collect();
        names.dedup();
        let wanted = parts.last().cloned().unwrap_or_default().to_ascii_lowercase();
        crate::sort::sort_by_key(&mut names, |n| edit_distance(&n.to_ascii_lowercase().replace('`', ""), &wanted));
        names.truncate(5);
        Err(Diagnostic::analysis(
            format!(
                "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `{}` cannot be resolved. Did you mean one of the following? [{}].",
                parts.join("`.`"),
                names.join(", ")
            ),
            span,
        ))
    }

    fn function(&mut self, f: &ast::Function, span: Span, cx: &ExprCtx) -> Result<Expr> {
        let name = f.name.last().map(|p| p.value.clone()).unwrap_or_default().to_ascii_lowercase();
        let info = functions::lookup(&name).ok_or_else(|| {
            Diagnostic::analysis(
                format!("[UNRESOLVED_ROUTINE] Cannot resolve function `{name}` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."),
                ast::name_span(&f.name),
            )
        })?;
        let distinct = f.distinct;
        let mut args = vec![];
        let mut star = false;
        for a in &f.args {
            match &a.kind {
                ast::ExprKind::Wildcard(None) => star = true,
                ast::ExprKind::Wildcard(Some(_)) => {
                    return Err(Diagnostic::analysis("unsupported function argument (Spark SQL takes positional arguments here)", span_of(a)))
                }
                _ => {
                    let inner_cx = ExprCtx { scope: cx.scope, outer: cx.outer, clause: cx.clause, aliases: cx.aliases };
                    args.push(self.expr(a, &inner_cx)?)
                }
            }
        }
        if star && !(matches!(info.kind, FnKind::Aggregate(AggFunc::Count))) {
            return Err(Diagnostic::analysis(format!("`*` is not a valid argument of {name}()"), span));
        }
        if !star && (args.len() < info.min_args || args.len() > info.max_args) {
            return Err(Diagnostic::analysis(
                format!(
                    "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires {} parameters but the actual number is {}.",
                    name,
                    if info.min_args == info.max_args { info.min_args.to_string() } else { format!("[{}, {}]", info.min_args, info.max_args) },
                    args.len()
                ),
                span,
            ));
        }
        let expr = match info.kind {
            FnKind::Aggregate(func) => {
                if matches!(cx.clause, Clause::Where | Clause::GroupBy | Clause::JoinOn) {
                    return Err(Diagnostic::analysis(
                        format!("[INVALID_WHERE_CONDITION] aggregate function {name}() is not allowed in {}", clause_name(cx.clause)),
                        span,
                    ));
                }
                if args.iter().any(|a| a.contains_agg()) {
                    return Err(Diagnostic::analysis(
                        "[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function.",
                        span,
                    ));
                }
                let args = if func == AggFunc::Count && (star || args.is_empty()) { vec![Expr::lit_int(1)] } else { args };
                let args = if func == AggFunc::Count { args.into_iter().take(if distinct { 64 } else { 1 }).collect() } else { args };
                let filter = match &f.filter {
                    Some(fl) => Some(Box::new(self.expr(fl, cx)?)),
                    None => None,
                };
                if matches!(func, AggFunc::Sum | AggFunc::Avg) && !args[0].dtype().is_numeric() && args[0].dtype() != DataType::Null {
                    let a0 = args[0].dtype();
                    if a0 != DataType::String {
                        return Err(Diagnostic::analysis(
                            format!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}({})\" due to data type mismatch: the parameter requires the \"NUMERIC\" or \"ANSI INTERVAL\" type, however \"{}\" has the type \"{}\".", name, args[0].sql(), args[0].sql(), a0.to_string().to_uppercase()),
                            span,
                        ));
                    }
                }
                let args = if matches!(func, AggFunc::Sum | AggFunc::Avg) && args[0].dtype() == DataType::String {
                    vec![cast(args[0].clone(), DataType::Double)]
                } else {
                    args
                };
                Expr::Agg { func, args, distinct, mode: AggMode::Complete, filter }
            }
            FnKind::Window => {
                if f.over.is_none() {
                    return Err(Diagnostic::analysis(format!("[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function \"{name}\" requires an OVER clause."), span));
                }
                let dtype = functions::window_type(info.name, &args);
                // Spark's Lag/Lead always carry (input, offset, default): `lag(x#1, 1, null)`.
                // Lag keeps its offset negated (`lag(x#1, -1, null)`), as Spark 3.5 prints it.
                let mut args = args;
                if matches!(info.name, "lag" | "lead") {
                    if args.len() < 2 {
                        args.push(Expr::lit_int(1));
                    }
                    if info.name == "lag" {
                        if let Expr::Lit(LitValue::Int(n), t) = &args[1] {
                            args[1] = Expr::Lit(LitValue::Int(-n), t.clone());
                        }
                    }
                    if args.len() < 3 {
                        args.push(Expr::Lit(LitValue::Null, DataType::Null));
                    }
                }
                Expr::WindowFunc { name: info.name.to_string(), args, dtype }
            }
            FnKind::Generator => {
                let dtype = match args.first().map(|a| a.dtype()) {
                    Some(DataType::Array(inner)) => *inner,
                    Some(DataType::Map(k, _)) => *k,
                    Some(DataType::Null) | None => DataType::Null,
                    Some(t) => {
                        return Err(Diagnostic::analysis(
                            format!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] {name}() needs an array or map, not {t}"),
                            span,
                        ))
                    }
                };
                Expr::Func { name: info.name.to_string(), args, dtype, deterministic: true }
            }
            FnKind::Scalar => {
                let args = normalize_scalar_args(info.name, args);
                let dtype = functions::scalar_type(info.name, &args);
                Expr::Func { name: info.name.to_string(), args, dtype, deterministic: info.deterministic }
            }
        };
        match &f.over {
            None => Ok(expr),
            Some(w) => {
                if matches!(cx.clause, Clause::Where | Clause::GroupBy | Clause::Having | Clause::JoinOn) {
                    return Err(Diagnostic::analysis(
                        format!("window functions are not allowed in {}", clause_name(cx.clause)),
                        span,
                    ));
                }
                let spec = match w {
                    ast::WindowRef::Spec(s) => s.clone(),
                    ast::WindowRef::Named(n) => self
                        .named_windows
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(&n.value))
                        .map(|(_, s)| s.clone())
                        .ok_or_else(|| Diagnostic::analysis(format!("window `{}` is not defined", n.value), n.span))?,
                };
                let spec = self.window_spec(&spec, &expr, cx, span)?;
                Ok(Expr::Window { func: Box::new(expr), spec })
            }
        }
    }

    fn window_spec(&mut self, s: &ast::WindowSpec, func: &Expr, cx: &ExprCtx, span: Span) -> Result<WindowSpec> {
        let inner = ExprCtx { scope: cx.scope, outer: cx.outer, clause: Clause::Other, aliases: &[] };
        let partition_by = s.partition_by.iter().map(|p| self.expr(p, &inner)).collect::<Result<Vec<_>>>()?;
        let mut order_by = vec![];
        for o in &s.order_by {
            order_by.push(self.sort_order(o, &inner)?);
        }
        let ranking = matches!(func, Expr::WindowFunc { .. });
        let frame = match &s.frame {
            Some(fr) => {
                if ranking {
                    // Ranking functions ignore the frame and use ROWS UNBOUNDED PRECEDING .. CURRENT ROW.
                    WindowFrame { rows: true, lower: FrameBound::UnboundedPreceding, upper: FrameBound::CurrentRow }
                } else {
                    let rows = fr.units == ast::FrameUnits::Rows;
                    let lower = bound(&fr.start)?;
                    let upper = match &fr.end {
                        Some(b) => bound(b)?,
                        None => FrameBound::CurrentRow,
                    };
                    WindowFrame { rows, lower, upper }
                }
            }
            None => {
                // A window function's own frame (`WindowFunction.frame`): lag/lead look at one row
                // `offset` away, cume_dist is a RANGE frame, the ranking functions ROWS .. CURRENT ROW.
                let offset = match func {
                    Expr::WindowFunc { name, args, .. } if name == "lag" || name == "lead" => match args.get(1) {
                        Some(Expr::Lit(LitValue::Int(n), _)) => Some(*n),
                        _ => Some(if name == "lag" { -1 } else { 1 }),
                    },
                    _ => None,
                };
                if let Some(n) = offset {
                    let b = if n < 0 { FrameBound::Preceding(n.abs()) } else { FrameBound::Following(n) };
                    WindowFrame { rows: true, lower: b.clone(), upper: b }
                } else if matches!(func, Expr::WindowFunc { name, .. } if name == "cume_dist") {
                    WindowFrame { rows: false, lower: FrameBound::UnboundedPreceding, upper: FrameBound::CurrentRow }
                } else if ranking || matches!(func, Expr::WindowFunc { .. }) {
                    WindowFrame { rows: true, lower: FrameBound::UnboundedPreceding, upper: FrameBound::CurrentRow }
                } else if order_by.is_empty() {
                    WindowFrame { rows: true, lower: FrameBound::UnboundedPreceding, upper: FrameBound::UnboundedFollowing }
                } else {
                    WindowFrame { rows: false, lower: FrameBound::UnboundedPreceding, upper: FrameBound::CurrentRow }
                }
            }
        };
        if let Expr::WindowFunc { name, .. } = func {
            if order_by.is_empty() && matches!(name.as_str(), "row_number" | "rank" | "dense_rank" | "ntile" | "percent_rank" | "cume_dist" | "lag" | "lead") {
                // Spark 3.5's `_LEGACY_ERROR_TEMP_1037` (no error class in its text, no position: we
                // point at the function call).
                let wf = func.spark();
                return Err(Diagnostic::analysis(
                    format!("Window function {wf} requires window to be ordered, please add ORDER BY clause. For example SELECT {wf}(value_expr) OVER (PARTITION BY window_partition ORDER BY window_ordering) from table"),
                    span,
                ));
            }
        }
        Ok(WindowSpec { partition_by, order_by, frame })
    }

    pub fn sort_order(&mut self, o: &ast::OrderByExpr, cx: &ExprCtx) -> Result<SortOrder> {
        let expr = self.expr(&o.expr, cx)?;
        let ascending = o.asc != Some(false);
        let nulls_first = o.nulls_first.unwrap_or(ascending);
        Ok(SortOrder { expr, ascending, nulls_first })
    }
}

fn bound(b: &ast::FrameBound) -> Result<FrameBound> {
    let n = |x: &Option<Box<ast::Expr>>| -> Result<Option<i64>> {
        match x {
            None => Ok(None),
            Some(e) => match &e.kind {
                ast::ExprKind::Value(ast::Value::Number(s)) => s.parse::<i64>().map(Some).map_err(|_| Diagnostic::analysis("frame offset must be an integer", span_of(e))),
                _ => Err(Diagnostic::analysis("frame offset must be an integer literal", span_of(e))),
            },
        }
    };
    Ok(match b {
        ast::FrameBound::CurrentRow => FrameBound::CurrentRow,
        ast::FrameBound::Preceding(x) => match n(x)? {
            None => FrameBound::UnboundedPreceding,
            Some(k) => FrameBound::Preceding(k),
        },
        ast::FrameBound::Following(x) => match n(x)? {
            None => FrameBound::UnboundedFollowing,
            Some(k) => FrameBound::Following(k),
        },
    })
}

fn clause_name(c: Clause) -> &'static str {
    match c {
        Clause::Where => "the WHERE clause",
        Clause::GroupBy => "GROUP BY",
        Clause::Having => "HAVING",
        Clause::JoinOn => "a join condition",
        Clause::OrderBy => "ORDER BY",
        Clause::Select => "the SELECT list",
        Clause::Other => "this position",
    }
}

/// Spark fills in defaults some functions print with (`split(s, ' ')` is `split(s,  , -1)`).
fn normalize_scalar_args(name: &str, mut args: Vec<Expr>) -> Vec<Expr> {
    if name == "split" && args.len() == 2 {
        args.push(Expr::lit_int(-1));
    }
    if name == "substring" && args.len() == 2 {
        args.push(Expr::lit_int(i32::MAX as i64));
    }
    args
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = if ca == *cb { 0 } else { 1 };
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A SQL literal with Spark's literal typing: integers are `int` when they fit, else `bigint`;
/// `1.5` is a decimal; `1.5D`/`1e3` are doubles; `10L` is bigint, `2S` smallint, `3Y` tinyint, `1.5F`
/// float, `1.5BD` decimal.
pub fn literal(v: &ast::Value, span: Span) -> Result<Expr> {
    match v {
        ast::Value::Number(s) => {
            let t = s.to_ascii_lowercase();
            if let Some(d) = t.strip_suffix("bd") {
                let (i, f) = d.split_once('.').unwrap_or((d, ""));
                let digits = (i.trim_start_matches('-').len() + f.len()).max(1);
                if digits > 38 {
                    let msg = format!("[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision {digits} exceeds max precision 38 (literal {s}).");
                    return Err(Diagnostic::analysis(msg, span));
                }
                return Ok(Expr::Lit(LitValue::Decimal(d.to_string()), DataType::Decimal(digits as u8, f.len() as u8)));
            }
            for (suffix, dt, lo, hi) in [('s', DataType::Short, i16::MIN as i64, i16::MAX as i64), ('y', DataType::Byte, i8::MIN as i64, i8::MAX as i64)] {
                if let Some(n) = t.strip_suffix(suffix).and_then(|n| n.parse::<i64>().ok()) {
                    if n < lo || n > hi {
                        return Err(Diagnostic::analysis(format!("[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal {s} is outside the valid range for {dt}."), span));
                    }
                    return Ok(Expr::Lit(LitValue::Int(n), dt));
                }
            }
            if let Some(f) = t.strip_suffix('f').and_then(|n| n.parse::<f64>().ok()) {
                return Ok(Expr::Lit(LitValue::Double(f), DataType::Float));
            }
            if t.ends_with('l') {
                let n = t.trim_end_matches('l').parse::<i64>().map_err(|_| Diagnostic::analysis(format!("invalid bigint literal {s}"), span))?;
                return Ok(Expr::Lit(LitValue::Int(n), DataType::Long));
            }
            if let Ok(n) = t.parse::<i64>() {
                let dt = if i32::try_from(n).is_ok() { DataType::Int } else { DataType::Long };
                return Ok(Expr::Lit(LitValue::Int(n), dt));
            }
            if t.contains('e') || t.ends_with('d') {
                let d = t.trim_end_matches('d').parse::<f64>().map_err(|_| Diagnostic::analysis(format!("invalid number {s}"), span))?;
                return Ok(Expr::Lit(LitValue::Double(d), DataType::Double));
            }
            if let Some((i, f)) = t.split_once('.') {
                let digits = i.trim_start_matches('-').len() + f.len();
                if digits > 38 {
                    let msg = format!("[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision {digits} exceeds max precision 38 (literal {s}).");
                    return Err(Diagnostic::analysis(msg, span));
                }
                return Ok(Expr::Lit(LitValue::Decimal(t.clone()), DataType::Decimal(digits.max(1) as u8, f.len() as u8)));
            }
            Err(Diagnostic::analysis(format!("invalid number {s}"), span))
        }
        ast::Value::String(s) => Ok(Expr::lit_str(s)),
        ast::Value::Boolean(b) => Ok(Expr::lit_bool(*b)),
        ast::Value::Null => Ok(Expr::Lit(LitValue::Null, DataType::Null)),
    }
}

/// Casts, folding literals right away (`cast('2024-12-01' as date)` is the date literal).
pub fn cast(x: Expr, to: DataType) -> Expr {
    if x.dtype() == to {
        return x;
    }
    if let Some(l) = cast_literal(&x, &to) {
        return l;
    }
    Expr::Cast { child: Box::new(x), to }
}

/// Folds a cast of a literal when the conversion is exact and simple.
pub fn cast_literal(x: &Expr, to: &DataType) -> Option<Expr> {
    let Expr::Lit(v, _) = x else { return None };
    let lit = |v: LitValue| Some(Expr::Lit(v, to.clone()));
    match (v, to) {
        (LitValue::Null, _) => lit(LitValue::Null),
        (LitValue::Int(i), DataType::Int | DataType::Long | DataType::Short | DataType::Byte) => lit(LitValue::Int(*i)),
        (LitValue::Int(i), DataType::Double | DataType::Float) => lit(LitValue::Double(*i as f64)),
        (LitValue::Int(i), DataType::Decimal(..)) => lit(LitValue::Decimal(i.to_string())),
        (LitValue::Decimal(d), DataType::Double | DataType::Float) => lit(LitValue::Double(d.parse().ok()?)),
        (LitValue::Double(d), DataType::Double | DataType::Float) => lit(LitValue::Double(*d)),
        (LitValue::Int(i), DataType::String) => lit(LitValue::Str(i.to_string())),
        (LitValue::Str(s), DataType::String) => lit(LitValue::Str(s.clone())),
        (LitValue::Str(s), DataType::Date) => {
            let d = s.trim();
            let ok = d.len() == 10
                && d.chars().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
            if ok {
                lit(LitValue::Date(d.to_string()))
            } else {
                None
            }
        }
        (LitValue::Str(s), DataType::Timestamp) => lit(LitValue::Timestamp(s.trim().to_string())),
        (LitValue::Str(s), DataType::Int | DataType::Long) => s.trim().parse::<i64>().ok().and_then(|i| lit(LitValue::Int(i))),
        (LitValue::Str(s), DataType::Double) => s.trim().parse::<f64>().ok().and_then(|d| lit(LitValue::Double(d))),
        (LitValue::Str(s), DataType::Boolean) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => lit(LitValue::Bool(true)),
            "false" => lit(LitValue::Bool(false)),
            _ => None,
        },
        (LitValue::Bool(b), DataType::Boolean) => lit(LitValue::Bool(*b)),
        (LitValue::Date(d), DataType::Date) => lit(LitValue::Date(d.clone())),
        _ => None,
    }
}

/// Implicit cast of `x` to `t` where Spark's coercion would insert one.
pub fn coerce_to(x: Expr, t: &DataType) -> Expr {
    if x.dtype() == *t || *t == DataType::Null {
        x
    } else {
        cast(x, t.clone())
    }
}

fn coerce_bool(x: Expr, span: Span) -> Result<Expr> {
    match x.dtype() {
        DataType::Boolean | DataType::Null => Ok(x),
        t => Err(Diagnostic::analysis(
            format!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] \"{}\" must be BOOLEAN, not \"{}\".", x.sql(), t.to_string().to_uppercase()),
            span,
        )),
    }
}

/// A binary operator with Spark's implicit casts (`int * double` → `cast(int as double) * double`;
/// `/` on non-decimals is double division; comparisons widen to the common type).
pub fn binary(op: BinOp, l: Expr, r: Expr, span: Span) -> Result<Expr> {
    let (lt, rt) = (l.dtype(), r.dtype());
    if matches!(op, BinOp::And | BinOp::Or) {
        return Ok(Expr::binary(op, coerce_bool(l, span)?, coerce_bool(r, span)?));
    }
    if op == BinOp::Concat {
        return Ok(Expr::binary(op, coerce_to(l, &DataType::String), coerce_to(r, &DataType::String)));
    }
    if op == BinOp::Div && !matches!(lt, DataType::Decimal(..)) && !matches!(rt, DataType::Decimal(..)) {
        return Ok(Expr::binary(op, coerce_to(l, &DataType::Double), coerce_to(r, &DataType::Double)));
    }
    if op.is_arithmetic() {
        for (t, side) in [(&lt, &l), (&rt, &r)] {
            if !(t.is_numeric() || *t == DataType::Null || *t == DataType::String || matches!(t, DataType::Date | DataType::Timestamp)) {
                return Err(Diagnostic::analysis(
                    format!(
                        "[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve \"{}\" due to data type mismatch: the binary operator requires numeric input, but \"{}\" is \"{}\".",
                        Expr::binary(op, l.clone(), r.clone()).sql(),
                        side.sql(),
                        t.to_string().to_uppercase()
                    ),
                    span,
                ));
            }
        }
        // String operands of arithmetic are read as doubles (non-ANSI Spark).
        let lt2 = if lt == DataType::String { DataType::Double } else { lt.clone() };
        let rt2 = if rt == DataType::String { DataType::Double } else { rt.clone() };
        let t = DataType::common_type(&lt2, &rt2).unwrap_or(DataType::Double);
        return Ok(Expr::binary(op, coerce_to(l, &t), coerce_to(r, &t)));
    }
    // Comparisons.
    match DataType::common_type(&lt, &rt) {
        Some(t) => Ok(Expr::binary(op, coerce_to(l, &t), coerce_to(r, &t))),
        None => Err(Diagnostic::analysis(
            format!(
                "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve \"{}\" due to data type mismatch: the left and right operands of the binary operator have incompatible types (\"{}\" and \"{}\").",
                Expr::binary(op, l.clone(), r.clone()).sql(),
                lt.to_string().to_uppercase(),
                rt.to_string().to_uppercase()
            ),
            span,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_query, Analyzer};
    use crate::logical::expr::IdGen;
    use crate::logical::types::DataType;
    use std::collections::BTreeMap;

    fn types(sql: &str) -> Vec<DataType> {
        let views = BTreeMap::new();
        let mut ids = IdGen::default();
        let q = parse_query(sql).expect("parses");
        let plan = Analyzer::new(&[], &views, &mut ids).analyze_query(&q).expect("analyzes");
        plan.output().into_iter().map(|a| a.dtype).collect()
    }

    #[test]
    fn literal_suffixes_type_as_spark() {
        assert_eq!(
            types("SELECT 1, 3000000000, 10L, 2S, 3Y, 1.5, 1.5D, 1e3, 1.5F, 1.25BD"),
            vec![
                DataType::Int,
                DataType::Long,
                DataType::Long,
                DataType::Short,
                DataType::Byte,
                DataType::Decimal(2, 1),
                DataType::Double,
                DataType::Double,
                DataType::Float,
                DataType::Decimal(3, 2),
            ]
        );
    }

    fn plan_text(sql: &str) -> String {
        let views = BTreeMap::new();
        let mut ids = IdGen::default();
        let q = parse_query(sql).expect("parses");
        let plan = Analyzer::new(&[], &views, &mut ids).analyze_query(&q).expect("analyzes");
        crate::logical::display::logical_tree(&plan, &|_| String::new())
    }

    #[test]
    fn group_by_with_rollup_and_cube_are_rollup_and_cube() {
        let q = |g: &str| plan_text(&format!("SELECT id % 2 AS a, id % 3 AS b, count(*) FROM range(10) GROUP BY {g}"));
        assert_eq!(q("id % 2, id % 3 WITH ROLLUP"), q("ROLLUP(id % 2, id % 3)"));
        assert_eq!(q("id % 2, id % 3 WITH CUBE"), q("CUBE(id % 2, id % 3)"));
        assert!(q("id % 2, id % 3 WITH CUBE").contains("Expand"));
    }

    #[test]
    fn current_date_without_parentheses_is_the_function() {
        assert_eq!(types("SELECT current_date, current_date()"), vec![DataType::Date, DataType::Date]);
    }
}
