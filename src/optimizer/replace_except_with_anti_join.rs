//! `ReplaceExceptWithAntiJoin`: `A EXCEPT B` (distinct) becomes
//! `DISTINCT (A LEFT ANTI JOIN B ON a1 <=> b1 AND ...)`. Knows plans only.

use super::plan_util::transform_down;
use super::replace_intersect_with_semi_join::null_safe_match;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::{JoinHint, JoinType, LogicalPlan};

pub struct ReplaceExceptWithAntiJoin;

impl OptimizerRule for ReplaceExceptWithAntiJoin {
    fn name(&self) -> &'static str {
        "ReplaceExceptWithAntiJoin"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Except { left, right, all: false } => Some(LogicalPlan::Distinct {
                child: Box::new(LogicalPlan::Join {
                    left: left.clone(),
                    right: right.clone(),
                    join_type: JoinType::LeftAnti,
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
    fn except_is_a_distinct_anti_join() {
        let (a, b) = (relation("a", &["x"], 1), relation("b", &["y"], 2));
        let out = run(&ReplaceExceptWithAntiJoin, &LogicalPlan::Except { left: Box::new(a), right: Box::new(b), all: false });
        assert_eq!(out.to_string().lines().take(2).collect::<Vec<_>>(), vec!["Distinct", "+- Join LeftAnti, (x#1 <=> y#2)"]);
    }
}
