//! `RemoveLiteralFromGroupExpressions`: constants in GROUP BY change nothing but the key width; they
//! are dropped, and a grouping made only of constants becomes `GROUP BY 0` (still a grouped
//! aggregate: no row for an empty input). Knows plans only.

use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct RemoveLiteralFromGroupExpressions;

impl OptimizerRule for RemoveLiteralFromGroupExpressions {
    fn name(&self) -> &'static str {
        "RemoveLiteralFromGroupExpressions"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Aggregate { group, aggs, child } if group.iter().any(|g| g.is_foldable()) => {
                let kept: Vec<Expr> = group.iter().filter(|g| !g.is_foldable()).cloned().collect();
                let group = if kept.is_empty() { vec![Expr::lit_int(0)] } else { kept };
                let out = LogicalPlan::Aggregate { group, aggs: aggs.clone(), child: child.clone() };
                if out == *n {
                    None
                } else {
                    Some(out)
                }
            }
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn literals_leave_the_grouping() {
        let t = relation("t", &["a"], 1);
        let agg = LogicalPlan::Aggregate { group: vec![Expr::lit_int(7), col(&t, "a")], aggs: vec![col(&t, "a")], child: Box::new(t.clone()) };
        assert_eq!(run(&RemoveLiteralFromGroupExpressions, &agg).to_string().lines().next(), Some("Aggregate [a#1], [a#1]"));
        let only = LogicalPlan::Aggregate { group: vec![Expr::lit_int(7)], aggs: vec![], child: Box::new(t) };
        assert!(run(&RemoveLiteralFromGroupExpressions, &only).to_string().starts_with("Aggregate [0]"));
    }
}
