//! `EliminateSubqueryAliases`: drops `SubqueryAlias` nodes; after analysis they only carried the
//! qualifiers used for name resolution. Knows plans only.

use super::plan_util::{transform_subquery_plans, transform_up};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct EliminateSubqueryAliases;

fn strip(plan: &LogicalPlan) -> Option<LogicalPlan> {
    let main = transform_up(plan, &mut |n| match n {
        LogicalPlan::SubqueryAlias { child, .. } => Some((**child).clone()),
        _ => None,
    });
    let base = main.as_ref().unwrap_or(plan);
    transform_subquery_plans(base, &mut strip).or(main)
}

impl OptimizerRule for EliminateSubqueryAliases {
    fn name(&self) -> &'static str {
        "EliminateSubqueryAliases"
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
    fn aliases_vanish() {
        let t = relation("t", &["a"], 1);
        let p = project(
            vec![col(&t, "a")],
            LogicalPlan::SubqueryAlias { alias: "x".into(), child: Box::new(LogicalPlan::SubqueryAlias { alias: "t".into(), child: Box::new(t.clone()) }) },
        );
        assert_eq!(run(&EliminateSubqueryAliases, &p), project(vec![col(&t, "a")], t));
    }
}
