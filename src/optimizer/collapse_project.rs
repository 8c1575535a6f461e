//! `CollapseProject`: merges a Project into the Project or Aggregate below it, substituting aliases
//! (`replaceAliasButKeepName`), when every inlined expression is deterministic and either read once or
//! cheap (an attribute, a literal, an alias of those); also merges a renaming Project through a limit or
//! a `Repartition`. Knows plans only.

use super::expr_util::{alias_map, named_id, replace_alias_keep_name, semantic_eq};
use super::plan_util::transform_up;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Expr, ExprId};
use crate::logical::plan::LogicalPlan;
use std::collections::BTreeMap;

pub struct CollapseProject;

fn is_cheap(e: &Expr) -> bool {
    match e {
        Expr::Attr(_) | Expr::OuterRef(_) => true,
        Expr::Udf { python: true, .. } => true,
        e if e.is_foldable() => true,
        Expr::Alias { child, .. } => is_cheap(child),
        _ => false,
    }
}

/// Catalyst's `canCollapseExpressions`.
pub fn can_collapse(consumers: &[Expr], producers: &BTreeMap<ExprId, Expr>) -> bool {
    let mut counts: BTreeMap<ExprId, usize> = BTreeMap::new();
    for c in consumers {
        c.walk(&mut |x| {
            if let Expr::Attr(a) = x {
                *counts.entry(a.id).or_default() += 1;
            }
        });
    }
    counts.iter().all(|(id, n)| match producers.get(id) {
        Some(p) => p.is_deterministic() && (*n == 1 || is_cheap(p)),
        None => true,
    })
}

/// Catalyst's `buildCleanedProjectList`.
pub fn build_cleaned(upper: &[Expr], lower: &[Expr]) -> Vec<Expr> {
    let m = alias_map(lower);
    upper.iter().map(|e| replace_alias_keep_name(e, &m)).collect()
}

fn is_renaming(l1: &[Expr], l2: &[Expr]) -> bool {
    l1.len() == l2.len()
        && l1.iter().zip(l2).all(|(a, b)| {
            semantic_eq(a, b)
                || match (a, b) {
                    (Expr::Alias { child, .. }, b) => match child.as_ref() {
                        Expr::Attr(x) => Some(x.id) == named_id(b) && b.to_attribute().map(|y| y.name == x.name).unwrap_or(false),
                        _ => false,
                    },
                    _ => false,
                }
        })
}

fn collapse(n: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    let Project { exprs: l1, child } = n else { return None };
    match child.as_ref() {
        Project { exprs: l2, child: c2 } if can_collapse(l1, &alias_map(l2)) => {
            Some(Project { exprs: build_cleaned(l1, l2), child: c2.clone() })
        }
        Aggregate { group, aggs, child: c2 }
            if can_collapse(l1, &alias_map(aggs))
                && !l1.iter().any(|e| e.any(&|x| matches!(x, Expr::ScalarSubquery(s) if !s.outer_refs.is_empty()))) =>
        {
            Some(Aggregate { group: group.clone(), aggs: build_cleaned(l1, aggs), child: c2.clone() })
        }
        GlobalLimit { n: gn, child: g } => match g.as_ref() {
            LocalLimit { n: ln, child: l } => match l.as_ref() {
                Project { exprs: l2, child: c2 } if is_renaming(l1, l2) => Some(GlobalLimit {
                    n: *gn,
                    child: Box::new(LocalLimit {
                        n: *ln,
                        child: Box::new(Project { exprs: build_cleaned(l1, l2), child: c2.clone() }),
                    }),
                }),
                _ => None,
            },
            _ => None,
        },
        LocalLimit { n: ln, child: l } => match l.as_ref() {
            Project { exprs: l2, child: c2 } if is_renaming(l1, l2) => Some(LocalLimit {
                n: *ln,
                child: Box::new(Project { exprs: build_cleaned(l1, l2), child: c2.clone() }),
            }),
            _ => None,
        },
        Repartition { num, shuffle, child: r } => match r.as_ref() {
            Project { exprs: l2, child: c2 } if is_renaming(l1, l2) => Some(Repartition {
                num: *num,
                shuffle: *shuffle,
                child: Box::new(Project { exprs: build_cleaned(l1, l2), child: c2.clone() }),
            }),
            _ => None,
        },
        _ => None,
    }
}

impl OptimizerRule for CollapseProject {
    fn name(&self) -> &'static str {
        "CollapseProject"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut collapse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::BinOp;
    use crate::optimizer::test_util::*;

    #[test]
    fn adjacent_projects_merge_with_aliases_inlined() {
        let t = relation("t", &["a", "b"], 1);
        let lower = project(vec![Expr::binary(BinOp::Add, col(&t, "a"), Expr::lit_int(1)).alias("x", 10), col(&t, "b")], t.clone());
        let x = lower.output()[0].to_expr();
        let upper = project(vec![x.clone(), Expr::binary(BinOp::Mul, col(&t, "b"), Expr::lit_int(2)).alias("y", 11)], lower);
        assert_eq!(
            run(&CollapseProject, &upper).to_string().lines().next(),
            Some("Project [(a#1 + 1) AS x#10, (b#2 * 2) AS y#11]")
        );
    }

    #[test]
    fn expensive_expression_read_twice_is_not_inlined() {
        let t = relation("t", &["a"], 1);
        let lower = project(vec![Expr::binary(BinOp::Add, col(&t, "a"), Expr::lit_int(1)).alias("x", 10)], t);
        let x = lower.output()[0].to_expr();
        let upper = project(vec![Expr::binary(BinOp::Mul, x.clone(), x).alias("y", 11)], lower);
        assert_eq!(run(&CollapseProject, &upper), upper);
    }
}
