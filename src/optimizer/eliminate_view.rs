//! `EliminateView`: drops the `View` nodes of temporary views after analysis (Spark's "Finish
//! Analysis" batch); their output is their child's. Knows plans only.

use super::plan_util::{transform_subquery_plans, transform_up};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct EliminateView;

fn strip(plan: &LogicalPlan) -> Option<LogicalPlan> {
    let main = transform_up(plan, &mut |n| match n {
        LogicalPlan::View { child, .. } => Some((**child).clone()),
        _ => None,
    });
    let base = main.as_ref().unwrap_or(plan);
    transform_subquery_plans(base, &mut strip).or(main)
}

impl OptimizerRule for EliminateView {
    fn name(&self) -> &'static str {
        "EliminateView"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        strip(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn views_vanish() {
        let t = relation("t", &["a"], 0);
        let p = project(vec![col(&t, "a")], LogicalPlan::View { name: "t".into(), child: Box::new(t.clone()) });
        assert_eq!(run(&EliminateView, &p), project(vec![col(&t, "a")], t));
    }
}
