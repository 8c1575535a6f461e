//! `RemoveNoopOperators`: drops a Project whose output is exactly its child's (same ids, same order;
//! names are restored into a child Project/Aggregate when they differ) and a Window with no window
//! expressions. Knows plans only.

use super::plan_util::{same_output, transform_up};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct RemoveNoopOperators;

/// Renames the named expressions of `list` to `names` (Catalyst's `restoreOriginalOutputNames`).
fn restore_names(list: &[Expr], names: &[String]) -> Vec<Expr> {
    list.iter()
        .zip(names)
        .map(|(e, n)| match e {
            Expr::Attr(a) if a.name != *n => Expr::Alias { child: Box::new(e.clone()), name: n.clone(), id: a.id },
            Expr::Alias { child, id, .. } => Expr::Alias { child: child.clone(), name: n.clone(), id: *id },
            o => o.clone(),
        })
        .collect()
}

impl OptimizerRule for RemoveNoopOperators {
    fn name(&self) -> &'static str {
        "RemoveNoopOperators"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut |n| match n {
            LogicalPlan::Project { exprs, child } => {
                let (out, cout) = (n.output(), child.output());
                if out.len() != exprs.len() || !same_output(&out, &cout) {
                    return None;
                }
                let names: Vec<String> = out.iter().map(|a| a.name.clone()).collect();
                let new_child = match child.as_ref() {
                    LogicalPlan::Project { exprs: ce, child: cc } => {
                        LogicalPlan::Project { exprs: restore_names(ce, &names), child: cc.clone() }
                    }
                    LogicalPlan::Aggregate { group, aggs, child: cc } => {
                        LogicalPlan::Aggregate { group: group.clone(), aggs: restore_names(aggs, &names), child: cc.clone() }
                    }
                    c => c.clone(),
                };
                if new_child.output().iter().zip(&names).all(|(a, n)| a.name == *n) {
                    Some(new_child)
                } else {
                    None
                }
            }
            LogicalPlan::Window { window_exprs, child, .. } if window_exprs.is_empty() => Some((**child).clone()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn identity_project_is_removed_but_a_renaming_one_stays() {
        let t = relation("t", &["a", "b"], 1);
        let p = project(vec![col(&t, "a"), col(&t, "b")], t.clone());
        assert_eq!(run(&RemoveNoopOperators, &p), t);
        let reordered = project(vec![col(&t, "b"), col(&t, "a")], t.clone());
        assert_eq!(run(&RemoveNoopOperators, &reordered), reordered);
        let empty_over_empty = project(vec![], project(vec![], t.clone()));
        assert_eq!(run(&RemoveNoopOperators, &empty_over_empty), project(vec![], t));
    }
}
