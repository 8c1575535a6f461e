//! `PruneFilters`: a Filter that is always true disappears; one that is always false or null becomes an
//! empty relation; conjuncts the child's constraints already guarantee are dropped.
//! Knows plans and constraints only.

use super::constraints::constraints;
use super::expr_util::{and_all, conjuncts, is_false, is_null_lit, is_true};
use super::plan_util::{empty_like, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct PruneFilters;

impl OptimizerRule for PruneFilters {
    fn name(&self) -> &'static str {
        "PruneFilters"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| {
            let LogicalPlan::Filter { cond, child } = n else { return None };
            if is_true(cond) {
                return Some((**child).clone());
            }
            if is_false(cond) || is_null_lit(cond) {
                return Some(empty_like(child));
            }
            let known = constraints(child);
            let (pruned, rest): (Vec<Expr>, Vec<Expr>) =
                conjuncts(cond).into_iter().partition(|c| c.is_deterministic() && known.contains(c));
            if pruned.is_empty() {
                return None;
            }
            Some(match and_all(rest) {
                Some(c) => LogicalPlan::Filter { cond: c, child: child.clone() },
                None => (**child).clone(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn trivial_and_implied_conditions() {
        let t = relation("t", &["a"], 1);
        assert_eq!(run(&PruneFilters, &filter(Expr::lit_bool(true), t.clone())), t);
        assert!(matches!(run(&PruneFilters, &filter(Expr::lit_bool(false), t.clone())), LogicalPlan::LocalRelation { rows: 0, .. }));
        let inner = filter(gt(col(&t, "a"), Expr::lit_int(1)), t.clone());
        let outer = filter(Expr::and(Expr::is_not_null(col(&t, "a")), gt(col(&t, "a"), Expr::lit_int(2))), inner.clone());
        assert_eq!(run(&PruneFilters, &outer), filter(gt(col(&t, "a"), Expr::lit_int(2)), inner));
    }
}
