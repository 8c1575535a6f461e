//! `RewriteNonCorrelatedExists`: an uncorrelated `EXISTS (q)` becomes
//! `isnotnull(scalar-subquery(LIMIT 1 of SELECT 1 AS col FROM q))`, evaluated once, as Spark does.
//! Knows expressions and plans only.

use super::expr_util::is_correlated;
use super::plan_util::transform_all_exprs;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Expr, SubqueryExpr};
use crate::logical::plan::LogicalPlan;

pub struct RewriteNonCorrelatedExists;

impl OptimizerRule for RewriteNonCorrelatedExists {
    fn name(&self) -> &'static str {
        "RewriteNonCorrelatedExists"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_all_exprs(plan, &mut |e| {
            if !e.any(&|x| matches!(x, Expr::Exists(s) if !is_correlated(s))) {
                return None;
            }
            Some(e.transform_up(&mut |x| match x {
                Expr::Exists(s) if !is_correlated(&s) => {
                    let col = ctx.ids.next();
                    let one = LogicalPlan::Project { exprs: vec![Expr::lit_int(1).alias("col", col)], child: s.plan };
                    let limited = LogicalPlan::GlobalLimit {
                        n: 1,
                        child: Box::new(LogicalPlan::LocalLimit { n: 1, child: Box::new(one) }),
                    };
                    Expr::is_not_null(Expr::ScalarSubquery(SubqueryExpr { plan: Box::new(limited), outer_refs: vec![], id: s.id }))
                }
                o => o,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn uncorrelated_exists_becomes_a_scalar_subquery() {
        let t = relation("t", &["a"], 1);
        let s = relation("s", &["b"], 2);
        let p = filter(Expr::Exists(SubqueryExpr { plan: Box::new(s), outer_refs: vec![], id: 9 }), t);
        let text = run(&RewriteNonCorrelatedExists, &p).to_string();
        assert!(text.starts_with("Filter isnotnull(scalar-subquery#9 [])"), "{text}");
    }
}
