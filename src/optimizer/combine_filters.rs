//! `CombineFilters`: merges a Filter directly over another Filter into one, the lower condition first
//! and only the upper conjuncts the lower one lacks (`Filter (lower AND new)`); non-deterministic upper
//! conjuncts stay in a Filter above. Knows plans only.

use super::expr_util::{and_all, conjuncts, ExprSet};
use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct CombineFilters;

/// Catalyst's `CombineFilters.applyLocally` (one node).
pub fn combine(n: &LogicalPlan) -> Option<LogicalPlan> {
    let LogicalPlan::Filter { cond: fc, child } = n else { return None };
    let LogicalPlan::Filter { cond: nc, child: grand } = child.as_ref() else { return None };
    if !nc.is_deterministic() {
        return None;
    }
    let (candidates, nondet): (Vec<Expr>, Vec<Expr>) = conjuncts(fc).into_iter().partition(|c| c.is_deterministic());
    let merged_new = ExprSet::from_exprs(candidates).minus(&ExprSet::from_exprs(conjuncts(nc)));
    let merged = match and_all(merged_new.to_vec()) {
        Some(ac) => LogicalPlan::Filter { cond: Expr::and(nc.clone(), ac), child: grand.clone() },
        None => (**child).clone(),
    };
    Some(match and_all(nondet) {
        Some(c) => LogicalPlan::Filter { cond: c, child: Box::new(merged) },
        None => merged,
    })
}

impl OptimizerRule for CombineFilters {
    fn name(&self) -> &'static str {
        "CombineFilters"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut combine)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn lower_condition_comes_first_and_duplicates_drop() {
        let t = relation("t", &["a", "b"], 1);
        let lower = gt(col(&t, "a"), Expr::lit_int(1));
        let upper = Expr::and(gt(col(&t, "a"), Expr::lit_int(1)), Expr::is_not_null(col(&t, "b")));
        let p = filter(upper, filter(lower, t));
        assert_eq!(run(&CombineFilters, &p).to_string().lines().next(), Some("Filter ((a#1 > 1) AND isnotnull(b#2))"));
    }
}
