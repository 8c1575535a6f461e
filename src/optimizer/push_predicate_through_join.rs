//! `PushPredicateThroughJoin`: pushes the conjuncts of a Filter above a join, and of the join's own
//! condition, to the side whose attributes they read, as far as the join type allows (inner and cross:
//! both sides; left outer, semi, anti: the left side for WHERE conjuncts, the right side for ON
//! conjuncts; right outer: mirrored; full outer: nothing). WHERE conjuncts reading both sides of an
//! inner join join its condition, ahead of the existing one. Knows plans only.

use super::expr_util::{and_all, can_evaluate_within_join, conjuncts, refs};
use super::plan_util::{output_set, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::{JoinType, LogicalPlan};

pub struct PushPredicateThroughJoin;

fn can_push_through(jt: JoinType) -> bool {
    !matches!(jt, JoinType::FullOuter)
}

/// (left-only, right-only, the rest): Catalyst's `split`.
fn split(conds: Vec<Expr>, left: &LogicalPlan, right: &LogicalPlan) -> (Vec<Expr>, Vec<Expr>, Vec<Expr>) {
    let (lo, ro) = (output_set(left), output_set(right));
    let (cands, nondet): (Vec<Expr>, Vec<Expr>) = conds.into_iter().partition(|c| c.is_deterministic());
    let (l, rest): (Vec<Expr>, Vec<Expr>) = cands.into_iter().partition(|c| refs(c).is_subset(&lo));
    let (r, mut common): (Vec<Expr>, Vec<Expr>) = rest.into_iter().partition(|c| refs(c).is_subset(&ro));
    common.extend(nondet);
    (l, r, common)
}

fn with_filter(conds: Vec<Expr>, p: &LogicalPlan) -> LogicalPlan {
    match and_all(conds) {
        Some(c) => LogicalPlan::Filter { cond: c, child: Box::new(p.clone()) },
        None => p.clone(),
    }
}

/// Catalyst's `PushPredicateThroughJoin.applyLocally` (one node).
pub fn push_join(n: &LogicalPlan) -> Option<LogicalPlan> {
    match n {
        LogicalPlan::Filter { cond: fc, child } => {
            let LogicalPlan::Join { left, right, join_type, cond: jc, hint, null_aware } = child.as_ref() else {
                return None;
            };
            if !can_push_through(*join_type) {
                return None;
            }
            let (lc, rc, common) = split(conjuncts(fc), left, right);
            let mk = |l: LogicalPlan, r: LogicalPlan, c: Option<Expr>| LogicalPlan::Join {
                left: Box::new(l),
                right: Box::new(r),
                join_type: *join_type,
                cond: c,
                hint: hint.clone(),
                null_aware: *null_aware,
            };
            Some(match join_type {
                JoinType::Inner | JoinType::Cross => {
                    let (in_join, others): (Vec<Expr>, Vec<Expr>) = common.into_iter().partition(can_evaluate_within_join);
                    let mut jcs = in_join;
                    jcs.extend(jc.iter().cloned());
                    let j = mk(with_filter(lc, left), with_filter(rc, right), and_all(jcs));
                    with_filter(others, &j)
                }
                JoinType::RightOuter => {
                    let j = mk((**left).clone(), with_filter(rc, right), jc.clone());
                    let mut above = lc;
                    above.extend(common);
                    with_filter(above, &j)
                }
                _ => {
                    let j = mk(with_filter(lc, left), (**right).clone(), jc.clone());
                    let mut above = rc;
                    above.extend(common);
                    with_filter(above, &j)
                }
            })
        }
        LogicalPlan::Join { left, right, join_type, cond: Some(jc), hint, null_aware } if can_push_through(*join_type) => {
            let (lc, rc, common) = split(conjuncts(jc), left, right);
            let (nl, nr, ncond) = match join_type {
                JoinType::Inner | JoinType::Cross | JoinType::LeftSemi => {
                    (with_filter(lc, left), with_filter(rc, right), and_all(common))
                }
                JoinType::RightOuter => {
                    let mut c = rc;
                    c.extend(common);
                    (with_filter(lc, left), (**right).clone(), and_all(c))
                }
                _ => {
                    let mut c = lc;
                    c.extend(common);
                    ((**left).clone(), with_filter(rc, right), and_all(c))
                }
            };
            let out = LogicalPlan::Join {
                left: Box::new(nl),
                right: Box::new(nr),
                join_type: *join_type,
                cond: ncond,
                hint: hint.clone(),
                null_aware: *null_aware,
            };
            if out == *n {
                None
            } else {
                Some(out)
            }
        }
        _ => None,
    }
}

impl OptimizerRule for PushPredicateThroughJoin {
    fn name(&self) -> &'static str {
        "PushPredicateThroughJoin"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut push_join)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn inner_join_where_conjuncts_split_by_side() {
        let a = relation("a", &["x", "v"], 1);
        let b = relation("b", &["y", "w"], 3);
        let j = join(a.clone(), b.clone(), JoinType::Inner, Some(eq(col(&a, "x"), col(&b, "y"))));
        let cond = Expr::and(Expr::and(gt(col(&a, "v"), Expr::lit_int(1)), gt(col(&b, "w"), Expr::lit_int(2))), gt(col(&a, "v"), col(&b, "w")));
        let out = run(&PushPredicateThroughJoin, &filter(cond, j)).to_string();
        assert_eq!(
            out,
            "Join Inner, ((v#2 > w#4) AND (x#1 = y#3))\n:- Filter (v#2 > 1)\n:  +- Relation [x#1,v#2] parquet\n+- Filter (w#4 > 2)\n   +- Relation [y#3,w#4] parquet\n"
        );
    }

    #[test]
    fn left_outer_keeps_right_side_where_conditions_above() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y"], 2);
        let j = join(a.clone(), b.clone(), JoinType::LeftOuter, Some(Expr::and(eq(col(&a, "x"), col(&b, "y")), gt(col(&b, "y"), Expr::lit_int(0)))));
        let out = run(&PushPredicateThroughJoin, &filter(gt(col(&b, "y"), Expr::lit_int(5)), j)).to_string();
        assert!(out.starts_with("Filter (y#2 > 5)\n+- Join LeftOuter, (x#1 = y#2)\n"), "{out}");
        assert!(out.contains("Filter (y#2 > 0)"), "{out}");
    }
}
