//! `EliminateOuterJoin`: an outer join under a Filter that rejects the null-padded rows of a side
//! (a predicate on that side that is null or false when all its columns are null) becomes the
//! corresponding inner / one-sided outer join; a grouping-only aggregate reading only the preserved side
//! of an outer join drops the join. Knows plans, constraints and the constant evaluator.

use super::constraints::constraints;
use super::eval::eval_value;
use super::expr_util::{conjuncts, has_correlated_subquery, refs};
use super::plan_util::{output_set, plan_refs, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Expr, LitValue};
use crate::logical::plan::{JoinType, LogicalPlan};

pub struct EliminateOuterJoin;

/// The predicate is null or false when every attribute it reads is null.
fn can_filter_out_null(e: &Expr) -> bool {
    if !e.is_deterministic() || has_correlated_subquery(e) || e.contains_subquery() {
        return false;
    }
    let nulled = e.transform_up(&mut |x| match x {
        Expr::Attr(a) => Expr::Lit(LitValue::Null, a.dtype),
        o => o,
    });
    matches!(eval_value(&nulled), Some(LitValue::Null) | Some(LitValue::Bool(false)))
}

fn new_join_type(cond: &Expr, filter: &LogicalPlan, left: &LogicalPlan, right: &LogicalPlan, jt: JoinType) -> JoinType {
    let mut all = conjuncts(cond);
    all.extend(constraints(filter).to_vec());
    let (lo, ro) = (output_set(left), output_set(right));
    let left_nn = all.iter().any(|c| refs(c).is_subset(&lo) && can_filter_out_null(c));
    let right_nn = all.iter().any(|c| refs(c).is_subset(&ro) && can_filter_out_null(c));
    match jt {
        JoinType::RightOuter if left_nn => JoinType::Inner,
        JoinType::LeftOuter if right_nn => JoinType::Inner,
        JoinType::FullOuter if left_nn && right_nn => JoinType::Inner,
        JoinType::FullOuter if left_nn => JoinType::LeftOuter,
        JoinType::FullOuter if right_nn => JoinType::RightOuter,
        o => o,
    }
}

fn eliminate(p: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    match p {
        Filter { cond, child } => match child.as_ref() {
            Join { left, right, join_type: jt @ (JoinType::LeftOuter | JoinType::RightOuter | JoinType::FullOuter), cond: jc, hint, null_aware } => {
                let nt = new_join_type(cond, p, left, right, *jt);
                if nt == *jt {
                    return None;
                }
                Some(Filter {
                    cond: cond.clone(),
                    child: Box::new(Join { left: left.clone(), right: right.clone(), join_type: nt, cond: jc.clone(), hint: hint.clone(), null_aware: *null_aware }),
                })
            }
            _ => None,
        },
        Aggregate { group, aggs, child } if aggs.iter().all(|e| !e.contains_agg()) => {
            let a_refs = plan_refs(p);
            let keep = |side: &LogicalPlan| -> Option<LogicalPlan> {
                if a_refs.is_subset(&output_set(side)) {
                    Some(Aggregate { group: group.clone(), aggs: aggs.clone(), child: Box::new(side.clone()) })
                } else {
                    None
                }
            };
            match child.as_ref() {
                Join { left, join_type: JoinType::LeftOuter, .. } => keep(left),
                Join { right, join_type: JoinType::RightOuter, .. } => keep(right),
                Project { exprs, child: j } if exprs.iter().all(|e| e.is_deterministic()) => match j.as_ref() {
                    Join { left, join_type: JoinType::LeftOuter, .. }
                        if plan_refs(child).is_subset(&output_set(left)) && a_refs.is_subset(&output_set(child)) =>
                    {
                        Some(Aggregate {
                            group: group.clone(),
                            aggs: aggs.clone(),
                            child: Box::new(Project { exprs: exprs.clone(), child: left.clone() }),
                        })
                    }
                    Join { right, join_type: JoinType::RightOuter, .. }
                        if plan_refs(child).is_subset(&output_set(right)) && a_refs.is_subset(&output_set(child)) =>
                    {
                        Some(Aggregate {
                            group: group.clone(),
                            aggs: aggs.clone(),
                            child: Box::new(Project { exprs: exprs.clone(), child: right.clone() }),
                        })
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

impl OptimizerRule for EliminateOuterJoin {
    fn name(&self) -> &'static str {
        "EliminateOuterJoin"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut eliminate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn where_on_the_null_padded_side_makes_the_join_inner() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y"], 2);
        let j = join(a.clone(), b.clone(), JoinType::LeftOuter, Some(eq(col(&a, "x"), col(&b, "y"))));
        let out = run(&EliminateOuterJoin, &filter(gt(col(&b, "y"), Expr::lit_int(3)), j.clone()));
        assert!(out.to_string().contains("Join Inner"), "{out}");
        let keep = run(&EliminateOuterJoin, &filter(Expr::IsNull(Box::new(col(&b, "y"))), j));
        assert!(keep.to_string().contains("Join LeftOuter"), "{keep}");
    }
}
