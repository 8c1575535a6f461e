//! `ReorderJoin`: flattens a tree of three or more inner/cross joins (with the filters between them)
//! and rebuilds it left-deep, joining next the first input that shares a condition with what is
//! already joined, so that no cartesian product is formed when a condition exists. Joins carrying a
//! strategy hint are kept as they are. Knows plans only.

use super::expr_util::{and_all, can_evaluate_within_join, conjuncts, refs, AttrSet};
use super::plan_util::{output_set, same_output, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::{JoinHint, JoinType, LogicalPlan};

pub struct ReorderJoin;

fn inner_like(jt: JoinType) -> bool {
    matches!(jt, JoinType::Inner | JoinType::Cross)
}

fn flatten(p: &LogicalPlan, parent: JoinType) -> (Vec<(LogicalPlan, JoinType)>, Vec<Expr>) {
    match p {
        LogicalPlan::Join { left, right, join_type, cond, hint, .. } if inner_like(*join_type) && *hint == JoinHint::default() => {
            let (mut plans, mut conds) = flatten(left, *join_type);
            plans.push(((**right).clone(), *join_type));
            conds.extend(cond.iter().flat_map(conjuncts));
            (plans, conds)
        }
        LogicalPlan::Filter { cond, child } if matches!(child.as_ref(), LogicalPlan::Join { join_type, hint, .. } if inner_like(*join_type) && *hint == JoinHint::default()) => {
            let (plans, mut conds) = flatten(child, JoinType::Inner);
            conds.extend(conjuncts(cond));
            (plans, conds)
        }
        _ => (vec![(p.clone(), parent)], vec![]),
    }
}

fn can_evaluate(e: &Expr, p: &LogicalPlan) -> bool {
    refs(e).is_subset(&output_set(p))
}

fn make_join(l: LogicalPlan, r: LogicalPlan, jt: JoinType, cond: Option<Expr>) -> LogicalPlan {
    LogicalPlan::Join { left: Box::new(l), right: Box::new(r), join_type: jt, cond, hint: JoinHint::default(), null_aware: false }
}

fn ordered(mut input: Vec<(LogicalPlan, JoinType)>, conditions: Vec<Expr>) -> LogicalPlan {
    {
        if input.len() <= 2 {
            let (in_join, others): (Vec<Expr>, Vec<Expr>) = conditions.into_iter().partition(can_evaluate_within_join);
            let mut it = input.into_iter();
            let (Some((l, lt)), Some((r, rt))) = (it.next(), it.next()) else {
                return LogicalPlan::LocalRelation { output: vec![], rows: 0 };
            };
            let jt = if lt == JoinType::Inner && rt == JoinType::Inner { JoinType::Inner } else { JoinType::Cross };
            let j = make_join(l, r, jt, and_all(in_join));
            return match and_all(others) {
                Some(c) => LogicalPlan::Filter { cond: c, child: Box::new(j) },
                None => j,
            };
        }
        let (left, _) = input.remove(0);
        let pick = input
            .iter()
            .position(|(plan, _)| {
                let mut both: AttrSet = output_set(&left);
                both.extend(output_set(plan));
                conditions
                    .iter()
                    .filter(|c| refs(c).is_empty() || !can_evaluate(c, &left))
                    .filter(|c| refs(c).is_empty() || !can_evaluate(c, plan))
                    .any(|c| refs(c).is_subset(&both))
            })
            .unwrap_or(0);
        let (right, jt) = input.remove(pick);
        let mut joined_refs = output_set(&left);
        joined_refs.extend(output_set(&right));
        let (jc, others): (Vec<Expr>, Vec<Expr>) =
            conditions.into_iter().partition(|e| refs(e).is_subset(&joined_refs) && can_evaluate_within_join(e));
        let joined = make_join(left, right, jt, and_all(jc));
        input.insert(0, (joined, JoinType::Inner));
        ordered(input, others)
    }
}

fn reorder(p: &LogicalPlan) -> Option<LogicalPlan> {
    let matches = match p {
        LogicalPlan::Filter { child, .. } => {
            matches!(child.as_ref(), LogicalPlan::Join { join_type, hint, .. } if inner_like(*join_type) && *hint == JoinHint::default())
        }
        LogicalPlan::Join { hint, .. } => *hint == JoinHint::default(),
        _ => false,
    };
    if !matches {
        return None;
    }
    let (input, conds) = flatten(p, JoinType::Inner);
    if input.len() <= 2 || conds.is_empty() {
        return None;
    }
    let reordered = ordered(input, conds);
    let out = if same_output(&p.output(), &reordered.output()) {
        reordered
    } else {
        LogicalPlan::Project { exprs: p.output().iter().map(|a| a.to_expr()).collect(), child: Box::new(reordered) }
    };
    if out == *p {
        None
    } else {
        Some(out)
    }
}

impl OptimizerRule for ReorderJoin {
    fn name(&self) -> &'static str {
        "ReorderJoin"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut reorder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn avoids_a_cartesian_product_when_a_condition_links_later_inputs() {
        let (a, b, c) = (relation("a", &["x"], 1), relation("b", &["y"], 2), relation("c", &["z"], 3));
        // a CROSS b JOIN c ON a.x = c.z AND b.y = c.z
        let ab = join(a.clone(), b.clone(), JoinType::Cross, None);
        let abc = join(ab, c.clone(), JoinType::Inner, Some(Expr::and(eq(col(&a, "x"), col(&c, "z")), eq(col(&b, "y"), col(&c, "z")))));
        let out = run(&ReorderJoin, &abc).to_string();
        assert!(out.contains("Join Inner, (x#1 = z#3)"), "{out}");
        assert!(out.starts_with("Project [x#1, y#2, z#3]"), "{out}");
    }
}
