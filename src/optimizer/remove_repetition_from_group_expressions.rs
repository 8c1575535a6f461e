//! `RemoveRepetitionFromGroupExpressions`: a GROUP BY that names the same expression twice keeps it
//! once. Knows plans only.

use super::expr_util::ExprSet;
use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct RemoveRepetitionFromGroupExpressions;

impl OptimizerRule for RemoveRepetitionFromGroupExpressions {
    fn name(&self) -> &'static str {
        "RemoveRepetitionFromGroupExpressions"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Aggregate { group, aggs, child } if group.len() > 1 => {
                let distinct = ExprSet::from_exprs(group.clone()).to_vec();
                if distinct.len() == group.len() {
                    None
                } else {
                    Some(LogicalPlan::Aggregate { group: distinct, aggs: aggs.clone(), child: child.clone() })
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
    fn repeated_keys_collapse() {
        let t = relation("t", &["a"], 1);
        let agg = LogicalPlan::Aggregate { group: vec![col(&t, "a"), col(&t, "a")], aggs: vec![col(&t, "a")], child: Box::new(t) };
        assert_eq!(run(&RemoveRepetitionFromGroupExpressions, &agg).to_string().lines().next(), Some("Aggregate [a#1], [a#1]"));
    }
}
