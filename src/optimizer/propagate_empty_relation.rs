//! `PropagateEmptyRelation`: an empty `LocalRelation` (from `WHERE false`, `LIMIT 0`, ...) empties the
//! operators above it, per Spark's rules: unions drop empty children; joins become empty or collapse to
//! the surviving side padded with nulls, by join type; row-preserving unary nodes and grouped
//! aggregates over an empty child are empty, but a global aggregate still returns one row.
//! Knows plans only.

use super::plan_util::{empty_like, is_empty_relation, transform_up};
use super::expr_util::is_false;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Attribute, Expr, LitValue};
use crate::logical::plan::{JoinType, LogicalPlan};

pub struct PropagateEmptyRelation;

/// `nullValueProjectList`: `cast(null as type) AS name#id` for each attribute (also used by the physical
/// `AQEPropagateEmptyRelation`, `stage::empty_relation`).
pub(crate) fn nulls(attrs: &[Attribute]) -> Vec<Expr> {
    attrs
        .iter()
        .map(|a| Expr::Alias {
            child: Box::new(Expr::Cast { child: Box::new(Expr::Lit(LitValue::Null, crate::logical::DataType::Null)), to: a.dtype.clone() }),
            name: a.name.clone(),
            id: a.id,
        })
        .collect()
}

fn non_empty_local(p: &LogicalPlan) -> bool {
    matches!(p, LogicalPlan::LocalRelation { rows, .. } if *rows > 0)
}

fn rewrite(n: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    match n {
        Union { children, by_name, allow_missing } if children.iter().any(is_empty_relation) => {
            let kept: Vec<LogicalPlan> = children.iter().filter(|c| !is_empty_relation(c)).cloned().collect();
            if kept.is_empty() {
                return Some(empty_like(n));
            }
            let new_plan = if kept.len() > 1 {
                Union { children: kept, by_name: *by_name, allow_missing: *allow_missing }
            } else {
                kept.into_iter().next()?
            };
            let (new_out, old_out) = (new_plan.output(), n.output());
            if new_out.iter().zip(&old_out).all(|(a, b)| a.id == b.id) {
                Some(new_plan)
            } else {
                let exprs = new_out
                    .iter()
                    .zip(&old_out)
                    .map(|(a, b)| {
                        if a.id == b.id {
                            a.to_expr()
                        } else {
                            Expr::Alias { child: Box::new(a.to_expr()), name: b.name.clone(), id: b.id }
                        }
                    })
                    .collect();
                Some(Project { exprs, child: Box::new(new_plan) })
            }
        }
        Join { left, right, join_type, cond, .. } => {
            let (le, re) = (is_empty_relation(left), is_empty_relation(right));
            let false_cond = cond.as_ref().map(is_false).unwrap_or(false);
            let left_padded = || Project {
                exprs: left.output().iter().map(|a| a.to_expr()).chain(nulls(&right.output())).collect(),
                child: left.clone(),
            };
            let right_padded = || Project {
                exprs: nulls(&left.output()).into_iter().chain(right.output().iter().map(|a| a.to_expr())).collect(),
                child: right.clone(),
            };
            use JoinType::*;
            if le || re || false_cond {
                match join_type {
                    Inner | Cross => Some(empty_like(n)),
                    LeftOuter | LeftSemi | LeftAnti if le => Some(empty_like(n)),
                    LeftSemi => Some(empty_like(n)),
                    LeftAnti => Some((**left).clone()),
                    FullOuter if le && re => Some(empty_like(n)),
                    LeftOuter | FullOuter if re => Some(left_padded()),
                    RightOuter if re => Some(empty_like(n)),
                    RightOuter | FullOuter if le => Some(right_padded()),
                    LeftOuter if false_cond => Some(left_padded()),
                    RightOuter if false_cond => Some(right_padded()),
                    _ => None,
                }
            } else if *join_type == LeftSemi && cond.is_none() && non_empty_local(right) {
                Some((**left).clone())
            } else if *join_type == LeftAnti && cond.is_none() && non_empty_local(right) {
                Some(empty_like(n))
            } else {
                None
            }
        }
        _ => {
            let kids = n.children();
            if kids.len() != 1 || !is_empty_relation(kids[0]) {
                return None;
            }
            match n {
                Project { .. } | Filter { .. } | Sort { .. } | GlobalLimit { .. } | LocalLimit { .. } => Some(empty_like(n)),
                Repartition { .. } | RepartitionByExpression { .. } | RebalancePartitions { .. } => Some(empty_like(n)),
                Aggregate { group, .. } if !group.is_empty() => Some(empty_like(n)),
                Generate { generator: Expr::Func { name, .. }, .. } if name == "explode" => Some(empty_like(n)),
                Expand { .. } | Window { .. } | WindowGroupLimit { .. } | Distinct { .. } | Deduplicate { .. } => {
                    Some(empty_like(n))
                }
                _ => None,
            }
        }
    }
}

impl OptimizerRule for PropagateEmptyRelation {
    fn name(&self) -> &'static str {
        "PropagateEmptyRelation"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        if !plan.any_node(&|p| is_empty_relation(p) || matches!(p, LogicalPlan::Join { cond: Some(c), .. } if is_false(c))) {
            return None;
        }
        transform_up(plan, &mut rewrite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn empty_side_empties_inner_join_and_aggregate_but_not_global_one() {
        let t = relation("t", &["a"], 1);
        let e = LogicalPlan::LocalRelation { output: vec![attr("b", 2, crate::logical::DataType::Int)], rows: 0 };
        let j = join(t.clone(), e.clone(), JoinType::Inner, Some(eq(col(&t, "a"), e.output()[0].to_expr())));
        let grouped = LogicalPlan::Aggregate { group: vec![col(&t, "a")], aggs: vec![col(&t, "a")], child: Box::new(j.clone()) };
        assert!(is_empty_relation(&run(&PropagateEmptyRelation, &grouped)));
        let global = LogicalPlan::Aggregate { group: vec![], aggs: vec![Expr::lit_int(1).alias("one", 9)], child: Box::new(j) };
        let out = run(&PropagateEmptyRelation, &global);
        assert!(matches!(&out, LogicalPlan::Aggregate { child, .. } if is_empty_relation(child)), "{out}");
    }

    #[test]
    fn left_outer_join_with_empty_right_pads_nulls() {
        let t = relation("t", &["a"], 1);
        let e = LogicalPlan::LocalRelation { output: vec![attr("b", 2, crate::logical::DataType::Int)], rows: 0 };
        let j = join(t.clone(), e, JoinType::LeftOuter, None);
        assert_eq!(run(&PropagateEmptyRelation, &j).to_string().lines().next(), Some("Project [a#1, cast(null as int) AS b#2]"));
    }

    #[test]
    fn union_drops_empty_children() {
        let t = relation("t", &["a"], 1);
        let e = LogicalPlan::LocalRelation { output: vec![attr("b", 2, crate::logical::DataType::Int)], rows: 0 };
        let u = LogicalPlan::Union { children: vec![e, t.clone()], by_name: false, allow_missing: false };
        assert_eq!(run(&PropagateEmptyRelation, &u).to_string().lines().next(), Some("Project [a#1 AS b#2]"));
    }
}
