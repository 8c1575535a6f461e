//! `EliminateResolvedHint`: moves each join strategy hint (`ResolvedHint`) into the `JoinHint` of the
//! nearest join above it, on the side it sits on, looking through unary nodes (and the left side of
//! INTERSECT / EXCEPT) but never through another join; hints with no join above are dropped. When two
//! hints meet on one side, the outer one wins (Catalyst's `HintInfo.merge`). Knows plans only.

use super::plan_util::transform_up;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::{JoinHint, JoinStrategyHint, LogicalPlan};

pub struct EliminateResolvedHint;

impl OptimizerRule for EliminateResolvedHint {
    fn name(&self) -> &'static str {
        "EliminateResolvedHint"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        if !plan.any_node(&|n| matches!(n, LogicalPlan::ResolvedHint { .. })) {
            return None;
        }
        let pulled = transform_up(plan, &mut |n| match n {
            LogicalPlan::Join { left, right, join_type, cond, hint, null_aware } if *hint == JoinHint::default() => {
                let (nl, lh) = extract(left);
                let (nr, rh) = extract(right);
                if lh.is_none() && rh.is_none() {
                    return None;
                }
                Some(LogicalPlan::Join {
                    left: Box::new(nl),
                    right: Box::new(nr),
                    join_type: *join_type,
                    cond: cond.clone(),
                    hint: JoinHint { left: lh, right: rh },
                    null_aware: *null_aware,
                })
            }
            _ => None,
        });
        let base = pulled.as_ref().unwrap_or(plan);
        let dropped = transform_up(base, &mut |n| match n {
            LogicalPlan::ResolvedHint { child, .. } => Some((**child).clone()),
            _ => None,
        });
        dropped.or(pulled)
    }
}

/// Strips the hints under `p` (through unary nodes); returns the plan and the outermost hint.
fn extract(p: &LogicalPlan) -> (LogicalPlan, Option<JoinStrategyHint>) {
    match p {
        LogicalPlan::ResolvedHint { hint, child } => {
            let (c, inner) = extract(child);
            (c, Some(*hint).or(inner))
        }
        LogicalPlan::Intersect { left, right, all } => {
            let (l, h) = extract(left);
            (LogicalPlan::Intersect { left: Box::new(l), right: right.clone(), all: *all }, h)
        }
        LogicalPlan::Except { left, right, all } => {
            let (l, h) = extract(left);
            (LogicalPlan::Except { left: Box::new(l), right: right.clone(), all: *all }, h)
        }
        _ => match p.children().as_slice() {
            [c] if !matches!(p, LogicalPlan::InMemoryRelation { .. } | LogicalPlan::CteRef { .. }) => {
                let (nc, h) = extract(c);
                (p.with_children(vec![nc]), h)
            }
            _ => (p.clone(), None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::plan::JoinType;
    use crate::optimizer::test_util::*;

    #[test]
    fn hint_moves_to_its_join_side_through_unary_nodes() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y"], 2);
        let hinted = LogicalPlan::SubqueryAlias {
            alias: "b".into(),
            child: Box::new(LogicalPlan::ResolvedHint { hint: JoinStrategyHint::Broadcast, child: Box::new(b.clone()) }),
        };
        let p = join(a.clone(), hinted, JoinType::Inner, Some(eq(col(&a, "x"), col(&b, "y"))));
        let out = run(&EliminateResolvedHint, &p);
        let text = out.to_string();
        assert!(text.starts_with("Join Inner, (x#1 = y#2), rightHint=(strategy=broadcast)"), "{text}");
        assert!(!text.contains("ResolvedHint"));
        assert!(text.contains("SubqueryAlias b"));
    }

    #[test]
    fn hint_without_a_join_is_dropped_and_joins_stop_the_search() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y"], 2);
        let inner = join(
            LogicalPlan::ResolvedHint { hint: JoinStrategyHint::ShuffleMerge, child: Box::new(a.clone()) },
            b.clone(),
            JoinType::Cross,
            None,
        );
        let c = relation("c", &["z"], 3);
        let p = join(inner, c, JoinType::Cross, None);
        let text = run(&EliminateResolvedHint, &p).to_string();
        assert!(text.starts_with("Join Cross\n"), "{text}");
        assert!(text.contains(":- Join Cross, leftHint=(strategy=merge)"), "{text}");
        let alone = LogicalPlan::ResolvedHint { hint: JoinStrategyHint::Broadcast, child: Box::new(a.clone()) };
        assert_eq!(run(&EliminateResolvedHint, &alone), a);
    }
}
