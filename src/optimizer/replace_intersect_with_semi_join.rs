//! `ReplaceIntersectWithSemiJoin`: `A INTERSECT B` (distinct) becomes
//! `DISTINCT (A LEFT SEMI JOIN B ON a1 <=> b1 AND ...)`. Knows plans only.

use super::expr_util::and_all;
use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr};
use crate::logical::plan::{JoinHint, JoinType, LogicalPlan};

pub struct ReplaceIntersectWithSemiJoin;

/// `l1 <=> r1 AND l2 <=> r2 ...` over the two sides' outputs.
pub fn null_safe_match(left: &LogicalPlan, right: &LogicalPlan) -> Option<Expr> {
    and_all(left.output().iter().zip(right.output()).map(|(l, r)| Expr::binary(BinOp::NullSafeEq, l.to_expr(), r.to_expr())).collect())
}

impl OptimizerRule for ReplaceIntersectWithSemiJoin {
    fn name(&self) -> &'static str {
        "ReplaceIntersectWithSemiJoin"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Intersect { left, right, all: false } => Some(LogicalPlan::Distinct {
                child: Box::new(LogicalPlan::Join {
                    left: left.clone(),
                    right: right.clone(),
                    join_type: JoinType::LeftSemi,
                    cond: null_safe_match(left, right),
                    hint: JoinHint::default(),
                    null_aware: false,
                }),
            }),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn intersect_is_a_distinct_semi_join() {
        let (a, b) = (relation("a", &["x"], 1), relation("b", &["y"], 2));
        let out = run(&ReplaceIntersectWithSemiJoin, &LogicalPlan::Intersect { left: Box::new(a), right: Box::new(b), all: false });
        assert_eq!(out.to_string().lines().take(2).collect::<Vec<_>>(), vec!["Distinct", "+- Join LeftSemi, (x#1 <=> y#2)"]);
    }
}
