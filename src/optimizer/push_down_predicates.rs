//! `PushDownPredicates`: one top-down pass that, at each node, combines adjacent filters, pushes a
//! filter through non-join operators, or pushes it into and through joins (Spark's unified rule, so a
//! predicate can cross a chain of joins in one pass). Knows plans only; the work is in
//! CombineFilters, PushPredicateThroughNonJoin and PushPredicateThroughJoin.

use super::combine_filters::combine;
use super::plan_util::transform_down;
use super::push_predicate_through_join::push_join;
use super::push_predicate_through_non_join::push_non_join;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct PushDownPredicates;

impl OptimizerRule for PushDownPredicates {
    fn name(&self) -> &'static str {
        "PushDownPredicates"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| combine(n).or_else(|| push_non_join(n)).or_else(|| push_join(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::Expr;
    use crate::logical::plan::JoinType;
    use crate::optimizer::test_util::*;

    #[test]
    fn filter_crosses_project_and_join_in_one_pass() {
        let a = relation("a", &["x", "v"], 1);
        let b = relation("b", &["y"], 3);
        let j = join(a.clone(), b.clone(), JoinType::Inner, Some(eq(col(&a, "x"), col(&b, "y"))));
        let p = project(vec![col(&a, "v"), col(&b, "y")], j);
        let out = run(&PushDownPredicates, &filter(gt(col(&a, "v"), Expr::lit_int(1)), p)).to_string();
        assert_eq!(
            out,
            "Project [v#2, y#3]\n+- Join Inner, (x#1 = y#3)\n   :- Filter (v#2 > 1)\n   :  +- Relation [x#1,v#2] parquet\n   +- Relation [y#3] parquet\n"
        );
    }
}
