//! `ReplaceDistinctWithAggregate`: `SELECT DISTINCT cols` becomes `GROUP BY cols` (an Aggregate whose
//! grouping and output are the child's columns). Knows plans only.

use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct ReplaceDistinctWithAggregate;

impl OptimizerRule for ReplaceDistinctWithAggregate {
    fn name(&self) -> &'static str {
        "ReplaceDistinctWithAggregate"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Distinct { child } => {
                let cols: Vec<Expr> = child.output().iter().map(|a| a.to_expr()).collect();
                Some(LogicalPlan::Aggregate { group: cols.clone(), aggs: cols, child: child.clone() })
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
    fn distinct_is_a_group_by() {
        let t = relation("t", &["a", "b"], 1);
        let out = run(&ReplaceDistinctWithAggregate, &LogicalPlan::Distinct { child: Box::new(t) });
        assert_eq!(out.to_string().lines().next(), Some("Aggregate [a#1, b#2], [a#1, b#2]"));
    }
}
