//! `PushExtraPredicateThroughJoin`: from a join condition conjunct that reads both sides, extracts the
//! part each side can check alone and pushes it there as an extra filter, without removing it from the
//! join: `(a.x = 1 AND b.y = 2) OR (a.x = 3 AND b.y = 4)` gives `a.x = 1 OR a.x = 3` on the left and
//! `b.y = 2 OR b.y = 4` on the right. Spark remembers processed conditions with a tree-node tag;
//! here a predicate already present in a filter of that side (or implied by its constraints) is not
//! pushed again, which keeps the batch at its fixpoint. Knows plans only.

use super::constraints::constraints;
use super::expr_util::{and_all, conjuncts, refs, AttrSet, ExprSet};
use super::plan_util::{output_set, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr};
use crate::logical::plan::{JoinType, LogicalPlan};

pub struct PushExtraPredicateThroughJoin;

/// Catalyst's `extractPredicatesWithinOutputSet`.
pub fn extract_within(e: &Expr, out: &AttrSet) -> Option<Expr> {
    match e {
        Expr::Binary { op: BinOp::And, left, right } => match (extract_within(left, out), extract_within(right, out)) {
            (Some(l), Some(r)) => Some(Expr::and(l, r)),
            (Some(l), None) => Some(l),
            (None, Some(r)) => Some(r),
            _ => None,
        },
        Expr::Binary { op: BinOp::Or, left, right } => {
            Some(Expr::binary(BinOp::Or, extract_within(left, out)?, extract_within(right, out)?))
        }
        other => {
            if refs(other).is_subset(out) {
                Some(other.clone())
            } else {
                None
            }
        }
    }
}

/// Predicates already checked somewhere under `side`.
fn known(side: &LogicalPlan) -> ExprSet {
    let mut s = constraints(side);
    side.walk(&mut |n| {
        if let LogicalPlan::Filter { cond, .. } = n {
            s.extend(conjuncts(cond));
        }
    });
    s
}

fn extra_for(both: &[Expr], side: &LogicalPlan) -> Option<Expr> {
    let out = output_set(side);
    let have = known(side);
    and_all(both.iter().filter_map(|f| extract_within(f, &out)).filter(|e| !have.contains(e)).collect())
}

fn push(n: &LogicalPlan) -> Option<LogicalPlan> {
    let LogicalPlan::Join { left, right, join_type, cond: Some(cond), hint, null_aware } = n else { return None };
    if matches!(join_type, JoinType::FullOuter) {
        return None;
    }
    let (lo, ro) = (output_set(left), output_set(right));
    let both: Vec<Expr> = conjuncts(cond)
        .into_iter()
        .filter(|f| {
            let r = refs(f);
            f.is_deterministic() && !r.is_empty() && !r.is_subset(&lo) && !r.is_subset(&ro)
        })
        .collect();
    if both.is_empty() {
        return None;
    }
    let wrap = |c: Option<Expr>, p: &LogicalPlan| match c {
        Some(c) => LogicalPlan::Filter { cond: c, child: Box::new(p.clone()) },
        None => p.clone(),
    };
    let (push_left, push_right) = match join_type {
        JoinType::Inner | JoinType::Cross | JoinType::LeftSemi => (true, true),
        JoinType::RightOuter => (true, false),
        _ => (false, true),
    };
    let nl = if push_left { wrap(extra_for(&both, left), left) } else { (**left).clone() };
    let nr = if push_right { wrap(extra_for(&both, right), right) } else { (**right).clone() };
    if nl == **left && nr == **right {
        return None;
    }
    Some(LogicalPlan::Join {
        left: Box::new(nl),
        right: Box::new(nr),
        join_type: *join_type,
        cond: Some(cond.clone()),
        hint: hint.clone(),
        null_aware: *null_aware,
    })
}

impl OptimizerRule for PushExtraPredicateThroughJoin {
    fn name(&self) -> &'static str {
        "PushExtraPredicateThroughJoin"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut push)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn disjunction_across_sides_gives_each_side_its_part_once() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y"], 2);
        let c = Expr::binary(
            BinOp::Or,
            Expr::and(eq(col(&a, "x"), Expr::lit_int(1)), eq(col(&b, "y"), Expr::lit_int(2))),
            Expr::and(eq(col(&a, "x"), Expr::lit_int(3)), eq(col(&b, "y"), Expr::lit_int(4))),
        );
        let j = join(a.clone(), b.clone(), JoinType::Inner, Some(c));
        let once = run(&PushExtraPredicateThroughJoin, &j);
        let text = once.to_string();
        assert!(text.contains(":- Filter ((x#1 = 1) OR (x#1 = 3))"), "{text}");
        assert!(text.contains("+- Filter ((y#2 = 2) OR (y#2 = 4))"), "{text}");
        assert_eq!(run(&PushExtraPredicateThroughJoin, &once), once);
    }
}
