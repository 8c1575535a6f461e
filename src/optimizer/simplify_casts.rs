//! `SimplifyCasts`: removes a cast to the type the value already has, and collapses a chain of
//! widening numeric casts into one. Knows expressions and types only.

use super::plan_util::rewrite_exprs_holding;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct SimplifyCasts;

fn rank(t: &DataType) -> Option<u8> {
    Some(match t {
        DataType::Byte => 1,
        DataType::Short => 2,
        DataType::Int => 3,
        DataType::Long => 4,
        DataType::Float => 5,
        DataType::Double => 6,
        _ => return None,
    })
}

/// Integral widening, or any integral/float to double (Spark's `Cast.canUpCast` for numerics).
fn is_wider(from: &DataType, to: &DataType) -> bool {
    match (rank(from), rank(to)) {
        (Some(a), Some(b)) => a <= b && !(a == 4 && b == 5),
        _ => false,
    }
}

fn simplify(e: Expr) -> Expr {
    match e {
        Expr::Cast { child, to } if child.dtype() == to => *child,
        Expr::Cast { child, to } => match *child {
            Expr::Cast { child: inner, to: mid } if is_wider(&inner.dtype(), &mid) && is_wider(&mid, &to) => {
                Expr::Cast { child: inner, to }
            }
            c => Expr::Cast { child: Box::new(c), to },
        },
        o => o,
    }
}

impl OptimizerRule for SimplifyCasts {
    fn name(&self) -> &'static str {
        "SimplifyCasts"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        rewrite_exprs_holding(plan, &|x| matches!(x, Expr::Cast { .. }), &mut simplify)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn redundant_and_chained_casts() {
        let t = relation("t", &["a"], 1);
        let same = Expr::Cast { child: Box::new(col(&t, "a")), to: DataType::Int };
        let chain = Expr::Cast { child: Box::new(Expr::Cast { child: Box::new(col(&t, "a")), to: DataType::Long }), to: DataType::Double };
        let p = project(vec![same.alias("x", 5), chain.alias("y", 6)], t);
        assert_eq!(run(&SimplifyCasts, &p).to_string().lines().next(), Some("Project [a#1 AS x#5, cast(a#1 as double) AS y#6]"));
    }
}
