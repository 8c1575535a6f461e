//! `LimitPushDown`: copies a `LocalLimit` below UNION ALL into each child, below the preserved side of
//! an outer join (both sides of a condition-less inner join, the left of a condition-less semi/anti
//! join), and turns `LIMIT 1` over a grouping-only aggregate into a projection over `LIMIT 1`. A
//! `Sort` under a limit is left alone: the physical planner makes TakeOrderedAndProject of it.
//! Knows plans only.

use super::plan_util::{max_rows, max_rows_per_partition, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::{JoinType, LogicalPlan};

pub struct LimitPushDown;

fn strip_global(p: &LogicalPlan) -> LogicalPlan {
    match p {
        LogicalPlan::GlobalLimit { child, .. } => (**child).clone(),
        o => o.clone(),
    }
}

fn maybe_push(n: i64, p: &LogicalPlan) -> LogicalPlan {
    match max_rows_per_partition(p) {
        Some(m) if n >= 0 && (n as u128) < m => LogicalPlan::LocalLimit { n, child: Box::new(strip_global(p)) },
        None => LogicalPlan::LocalLimit { n, child: Box::new(strip_global(p)) },
        _ => p.clone(),
    }
}

fn through_join(n: i64, j: &LogicalPlan) -> LogicalPlan {
    let LogicalPlan::Join { left, right, join_type, cond, hint, null_aware } = j else { return j.clone() };
    let (l, r) = match join_type {
        JoinType::RightOuter => ((**left).clone(), maybe_push(n, right)),
        JoinType::LeftOuter => (maybe_push(n, left), (**right).clone()),
        JoinType::Inner | JoinType::Cross if cond.is_none() => (maybe_push(n, left), maybe_push(n, right)),
        JoinType::LeftSemi | JoinType::LeftAnti if cond.is_none() => (maybe_push(n, left), (**right).clone()),
        _ => return j.clone(),
    };
    LogicalPlan::Join { left: Box::new(l), right: Box::new(r), join_type: *join_type, cond: cond.clone(), hint: hint.clone(), null_aware: *null_aware }
}

fn group_only(aggs: &[crate::logical::expr::Expr]) -> bool {
    aggs.iter().all(|e| !e.contains_agg())
}

fn push(p: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    let out = match p {
        LocalLimit { n, child } => match child.as_ref() {
            Union { children, by_name, allow_missing } => LocalLimit {
                n: *n,
                child: Box::new(Union { children: children.iter().map(|c| maybe_push(*n, c)).collect(), by_name: *by_name, allow_missing: *allow_missing }),
            },
            j @ Join { .. } => LocalLimit { n: *n, child: Box::new(through_join(*n, j)) },
            Project { exprs, child: j } if matches!(j.as_ref(), Join { .. }) => {
                LocalLimit { n: *n, child: Box::new(Project { exprs: exprs.clone(), child: Box::new(through_join(*n, j)) }) }
            }
            _ => return None,
        },
        GlobalLimit { n: 1, child } => match child.as_ref() {
            LocalLimit { n: 1, child: a } => match a.as_ref() {
                Aggregate { aggs, child: ac, .. } if group_only(aggs) => GlobalLimit {
                    n: 1,
                    child: Box::new(LocalLimit {
                        n: 1,
                        child: Box::new(Project { exprs: aggs.clone(), child: Box::new(LocalLimit { n: 1, child: ac.clone() }) }),
                    }),
                },
                _ => return None,
            },
            _ => return None,
        },
        Join { left, right, join_type: JoinType::LeftSemi | JoinType::LeftAnti, cond: None, .. }
            if !max_rows(right).map(|m| m <= 1).unwrap_or(false) =>
        {
            p.with_children(vec![(**left).clone(), maybe_push(1, right)])
        }
        _ => return None,
    };
    if out == *p {
        None
    } else {
        Some(out)
    }
}

impl OptimizerRule for LimitPushDown {
    fn name(&self) -> &'static str {
        "LimitPushDown"
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
    fn local_limit_into_union_children_and_left_outer_side() {
        let (a, b) = (relation("a", &["x"], 1), relation("b", &["y"], 2));
        let u = LogicalPlan::Union { children: vec![a.clone(), b.clone()], by_name: false, allow_missing: false };
        let p = LogicalPlan::LocalLimit { n: 5, child: Box::new(u) };
        let text = run(&LimitPushDown, &p).to_string();
        assert_eq!(text.matches("LocalLimit 5").count(), 3, "{text}");
        let j = join(a.clone(), b.clone(), JoinType::LeftOuter, Some(eq(col(&a, "x"), col(&b, "y"))));
        let text = run(&LimitPushDown, &LogicalPlan::LocalLimit { n: 5, child: Box::new(j) }).to_string();
        assert!(text.contains(":- LocalLimit 5"), "{text}");
        // Applying again changes nothing: the pushed limit caps the side already.
        let once = run(&LimitPushDown, &LogicalPlan::LocalLimit { n: 5, child: Box::new(LogicalPlan::Union { children: vec![a, b], by_name: false, allow_missing: false }) });
        assert_eq!(run(&LimitPushDown, &once), once);
    }
}
