//! `OptimizeLimitZero`: a `LIMIT 0` subtree (global or local) becomes an empty `LocalRelation` with the
//! same output, which PropagateEmptyRelation then carries upwards. Knows plans only.

use super::plan_util::{empty_like, transform_up};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct OptimizeLimitZero;

impl OptimizerRule for OptimizeLimitZero {
    fn name(&self) -> &'static str {
        "OptimizeLimitZero"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut |n| match n {
            LogicalPlan::GlobalLimit { n: 0, .. } | LogicalPlan::LocalLimit { n: 0, .. } => Some(empty_like(n)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn limit_zero_is_empty() {
        let t = relation("t", &["a"], 1);
        let p = LogicalPlan::GlobalLimit { n: 0, child: Box::new(LogicalPlan::LocalLimit { n: 0, child: Box::new(t.clone()) }) };
        assert_eq!(run(&OptimizeLimitZero, &p), LogicalPlan::LocalRelation { output: t.output(), rows: 0 });
    }
}
