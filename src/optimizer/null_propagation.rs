//! `NullPropagation`: null literals short-circuit: a null-intolerant expression with a null input is
//! null; `isnull`/`isnotnull` of a non-nullable expression is a constant; `x <=> null` is
//! `isnull(x)`; `coalesce` drops null arguments; `count(null)` is 0 and `count(x)` of a non-nullable x
//! is `count(1)`. Knows expressions only.

use super::expr_util::{is_null_lit, null_intolerant};
use super::plan_util::transform_all_exprs;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, BinOp, Expr, LitValue};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct NullPropagation;

fn propagate(e: Expr) -> Expr {
    match e {
        Expr::Agg { func: AggFunc::Count, ref args, distinct, mode, ref filter }
            if !args.is_empty() && args.iter().all(is_null_lit) =>
        {
            let _ = (distinct, mode, filter);
            Expr::Lit(LitValue::Int(0), DataType::Long)
        }
        Expr::Agg { func: AggFunc::Count, args, distinct: false, mode, filter }
            if !args.is_empty() && !args.iter().any(|a| a.nullable()) && args != vec![Expr::lit_int(1)] =>
        {
            Expr::Agg { func: AggFunc::Count, args: vec![Expr::lit_int(1)], distinct: false, mode, filter }
        }
        Expr::IsNull(c) if !c.nullable() => Expr::lit_bool(false),
        Expr::IsNotNull(c) if !c.nullable() => Expr::lit_bool(true),
        Expr::Binary { op: BinOp::NullSafeEq, left, right } if is_null_lit(&left) => Expr::IsNull(right),
        Expr::Binary { op: BinOp::NullSafeEq, left, right } if is_null_lit(&right) => Expr::IsNull(left),
        Expr::Func { ref name, ref args, ref dtype, deterministic } if name == "coalesce" && args.iter().any(is_null_lit) => {
            let kept: Vec<Expr> = args.iter().filter(|a| !is_null_lit(a)).cloned().collect();
            match kept.len() {
                0 => Expr::Lit(LitValue::Null, dtype.clone()),
                1 => kept.into_iter().next().unwrap_or(Expr::Lit(LitValue::Null, DataType::Null)),
                _ => Expr::Func { name: name.clone(), args: kept, dtype: dtype.clone(), deterministic },
            }
        }
        Expr::In { ref value, .. } if is_null_lit(value) => Expr::Lit(LitValue::Null, DataType::Boolean),
        e if null_intolerant(&e) && e.children().iter().any(|c| is_null_lit(c)) => Expr::Lit(LitValue::Null, e.dtype()),
        other => other,
    }
}

pub fn propagate_expr(e: &Expr) -> Option<Expr> {
    let out = e.transform_up(&mut propagate);
    if out != *e {
        Some(out)
    } else {
        None
    }
}

impl OptimizerRule for NullPropagation {
    fn name(&self) -> &'static str {
        "NullPropagation"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_all_exprs(plan, &mut propagate_expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn null_inputs_propagate() {
        let t = relation("t", &["a"], 1);
        let null = Expr::Lit(LitValue::Null, DataType::Int);
        assert_eq!(propagate_expr(&Expr::binary(BinOp::Add, col(&t, "a"), null.clone())), Some(Expr::Lit(LitValue::Null, DataType::Int)));
        assert_eq!(propagate_expr(&Expr::IsNotNull(Box::new(Expr::lit_int(3)))), Some(Expr::lit_bool(true)));
        assert_eq!(propagate_expr(&Expr::IsNotNull(Box::new(col(&t, "a")))), None);
        assert_eq!(propagate_expr(&Expr::binary(BinOp::NullSafeEq, col(&t, "a"), null)).map(|e| e.spark()), Some("isnull(a#1)".into()));
    }
}
