//! `OptimizeSubqueries`: runs the whole optimizer on the plan of every subquery expression (scalar,
//! IN, EXISTS), leaving pulled-up correlated predicates on top, and drops a top-level sort (a
//! subquery's rows are unordered). Knows plans; the optimizer itself does the work.

use super::plan_util::transform_subquery_plans;
use super::pullup_correlated_predicates::split_correlated;
use super::{optimize_quietly, OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct OptimizeSubqueries;

fn remove_top_level_sort(p: LogicalPlan) -> LogicalPlan {
    match p {
        LogicalPlan::Sort { child, .. } => *child,
        LogicalPlan::Project { exprs, child } => LogicalPlan::Project { exprs, child: Box::new(remove_top_level_sort(*child)) },
        other => other,
    }
}

impl OptimizerRule for OptimizeSubqueries {
    fn name(&self) -> &'static str {
        "OptimizeSubqueries"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_subquery_plans(plan, &mut |sub| {
            let (pulled, inner) = split_correlated(sub);
            let optimized = remove_top_level_sort(optimize_quietly(inner, ctx));
            let rebuilt = match super::expr_util::and_all(pulled) {
                Some(cond) => LogicalPlan::Filter { cond, child: Box::new(optimized) },
                None => optimized,
            };
            if rebuilt == *sub {
                None
            } else {
                Some(rebuilt)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{Expr, SubqueryExpr};
    use crate::optimizer::test_util::*;

    #[test]
    fn subquery_plans_get_optimized() {
        let c = relation("c", &["id"], 1);
        let o = relation("o", &["cid", "status"], 2);
        let sub = project(vec![col(&o, "cid")], filter(eq(col(&o, "status"), Expr::lit_str("X")), o.clone()));
        let p = filter(
            Expr::InSubquery { values: vec![col(&c, "id")], sub: SubqueryExpr { plan: Box::new(sub), outer_refs: vec![], id: 7 } },
            c,
        );
        let out = run(&OptimizeSubqueries, &p);
        let LogicalPlan::Filter { cond: Expr::InSubquery { sub, .. }, .. } = &out else { panic!("{out}") };
        assert_eq!(
            sub.plan.to_string(),
            "Project [cid#2]\n+- Filter (isnotnull(status#3) AND (status#3 = X))\n   +- Relation [cid#2,status#3] parquet\n"
        );
    }
}
