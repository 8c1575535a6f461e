//! `PushProjectionThroughUnion`: a deterministic Project over a `Union` (UNION ALL) is copied into
//! every child, attributes renamed to each child's own, aliases given fresh ids outside the first
//! child. Knows plans only.

use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct PushProjectionThroughUnion;

/// The projected children (Catalyst's `pushProjectionThroughUnion`).
pub fn push_projection_through_union(list: &[Expr], union: &LogicalPlan, ctx: &mut OptimizerContext) -> Vec<LogicalPlan> {
    let LogicalPlan::Union { children, .. } = union else { return vec![] };
    let Some(first) = children.first() else { return vec![] };
    let first_out = first.output();
    let mut out = vec![LogicalPlan::Project { exprs: list.to_vec(), child: Box::new(first.clone()) }];
    for c in children.iter().skip(1) {
        let c_out = c.output();
        let exprs = list
            .iter()
            .map(|e| {
                let renamed = e.transform_up(&mut |x| match x {
                    Expr::Attr(a) => match first_out.iter().position(|f| f.id == a.id) {
                        Some(i) => c_out.get(i).map(|t| t.to_expr()).unwrap_or(Expr::Attr(a)),
                        None => Expr::Attr(a),
                    },
                    o => o,
                });
                match renamed {
                    Expr::Alias { child, name, .. } => Expr::Alias { child, name, id: ctx.ids.next() },
                    o => o,
                }
            })
            .collect();
        out.push(LogicalPlan::Project { exprs, child: Box::new(c.clone()) });
    }
    out
}

impl OptimizerRule for PushProjectionThroughUnion {
    fn name(&self) -> &'static str {
        "PushProjectionThroughUnion"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Project { exprs, child } if exprs.iter().all(|e| e.is_deterministic()) => match child.as_ref() {
                LogicalPlan::Union { children, by_name, allow_missing } if !children.is_empty() => Some(LogicalPlan::Union {
                    children: push_projection_through_union(exprs, child, ctx),
                    by_name: *by_name,
                    allow_missing: *allow_missing,
                }),
                _ => None,
            },
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn project_moves_into_each_child() {
        let a = relation("a", &["x", "y"], 1);
        let b = relation("b", &["p", "q"], 3);
        let u = LogicalPlan::Union { children: vec![a.clone(), b.clone()], by_name: false, allow_missing: false };
        let p = project(vec![col(&a, "y")], u);
        let out = run(&PushProjectionThroughUnion, &p).to_string();
        assert!(out.starts_with("Union false, false\n:- Project [y#2]\n"), "{out}");
        assert!(out.contains("+- Project [q#4]"), "{out}");
    }
}
