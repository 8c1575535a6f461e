//! `InferFiltersFromConstraints`: adds the filters a node's constraints imply but nobody checks yet —
//! `isnotnull(x)` for columns of null-intolerant predicates, placed before the existing condition
//! (`Filter (isnotnull(a) AND isnotnull(b)) AND (<original>)`), and, for joins, filters on each side
//! that the join condition plus the other side's constraints imply (`isnotnull` on join keys, `b > 5`
//! from `a = b AND a > 5`), on the sides the join type allows: both for inner/cross/semi, the right for
//! left outer/anti, the left for right outer. Knows plans and constraints only.

use super::constraints::{constraints, infer_additional, is_not_null_constraints};
use super::expr_util::{and_all, conjuncts, refs, ExprSet};
use super::plan_util::{output_set, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::{JoinType, LogicalPlan};

pub struct InferFiltersFromConstraints;

fn all_join_constraints(left: &LogicalPlan, right: &LogicalPlan, cond: &Option<Expr>) -> ExprSet {
    let mut base = constraints(left).union(&constraints(right));
    if let Some(c) = cond {
        base.extend(conjuncts(c));
    }
    let extra = infer_additional(&base);
    base.union(&extra)
}

fn infer_new_filter(plan: &LogicalPlan, all: &ExprSet) -> Option<LogicalPlan> {
    let out = output_set(plan);
    let mut preds = all.union(&is_not_null_constraints(all, &plan.output()));
    preds.retain(|c| {
        let r = refs(c);
        !r.is_empty() && r.is_subset(&out) && c.is_deterministic()
    });
    let new = preds.minus(&constraints(plan));
    let cond = and_all(new.to_vec())?;
    Some(LogicalPlan::Filter { cond, child: Box::new(plan.clone()) })
}

fn infer(n: &LogicalPlan) -> Option<LogicalPlan> {
    match n {
        LogicalPlan::Filter { cond, child } => {
            let mut known = constraints(child);
            known.extend(conjuncts(cond));
            let new = constraints(n).minus(&known);
            let extra = and_all(new.to_vec())?;
            Some(LogicalPlan::Filter { cond: Expr::and(extra, cond.clone()), child: child.clone() })
        }
        LogicalPlan::Join { left, right, join_type, cond, hint, null_aware } => {
            let (infer_left, infer_right) = match join_type {
                JoinType::Inner | JoinType::Cross | JoinType::LeftSemi => (true, true),
                JoinType::RightOuter => (true, false),
                JoinType::LeftOuter | JoinType::LeftAnti => (false, true),
                JoinType::FullOuter => (false, false),
            };
            if !infer_left && !infer_right {
                return None;
            }
            let all = all_join_constraints(left, right, cond);
            let nl = if infer_left { infer_new_filter(left, &all) } else { None };
            let nr = if infer_right { infer_new_filter(right, &all) } else { None };
            if nl.is_none() && nr.is_none() {
                return None;
            }
            Some(LogicalPlan::Join {
                left: Box::new(nl.unwrap_or_else(|| (**left).clone())),
                right: Box::new(nr.unwrap_or_else(|| (**right).clone())),
                join_type: *join_type,
                cond: cond.clone(),
                hint: hint.clone(),
                null_aware: *null_aware,
            })
        }
        _ => None,
    }
}

impl OptimizerRule for InferFiltersFromConstraints {
    fn name(&self) -> &'static str {
        "InferFiltersFromConstraints"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut infer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::BinOp;
    use crate::optimizer::test_util::*;

    #[test]
    fn isnotnull_goes_before_the_original_condition() {
        let t = relation("t", &["order_date", "status"], 1);
        let cond = Expr::and(
            Expr::binary(BinOp::GtEq, col(&t, "order_date"), Expr::lit_int(1)),
            eq(col(&t, "status"), Expr::lit_str("X")),
        );
        let out = run(&InferFiltersFromConstraints, &filter(cond, t));
        assert_eq!(
            out.to_string().lines().next(),
            Some("Filter ((isnotnull(order_date#1) AND isnotnull(status#2)) AND ((order_date#1 >= 1) AND (status#2 = X)))")
        );
    }

    #[test]
    fn join_keys_get_isnotnull_on_both_sides_of_an_inner_join() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y"], 2);
        let j = join(a.clone(), b.clone(), JoinType::Inner, Some(eq(col(&a, "x"), col(&b, "y"))));
        assert_eq!(
            run(&InferFiltersFromConstraints, &j).to_string(),
            "Join Inner, (x#1 = y#2)\n:- Filter isnotnull(x#1)\n:  +- Relation [x#1] parquet\n+- Filter isnotnull(y#2)\n   +- Relation [y#2] parquet\n"
        );
        let lo = join(a.clone(), b.clone(), JoinType::LeftOuter, Some(eq(col(&a, "x"), col(&b, "y"))));
        let text = run(&InferFiltersFromConstraints, &lo).to_string();
        assert!(text.contains("+- Filter isnotnull(y#2)") && !text.contains("isnotnull(x#1)"), "{text}");
    }

    #[test]
    fn equality_carries_a_range_to_the_other_side() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y"], 2);
        let j = join(
            filter(gt(col(&a, "x"), Expr::lit_int(5)), a.clone()),
            b.clone(),
            JoinType::Inner,
            Some(eq(col(&a, "x"), col(&b, "y"))),
        );
        let text = run(&InferFiltersFromConstraints, &j).to_string();
        assert!(text.contains("+- Filter ((y#2 > 5) AND isnotnull(y#2))"), "{text}");
    }
}
