//! `InlineCTE`: replaces each reference to a CTE (`CteRef`) by the CTE's plan. A CTE referenced more
//! than once must not put the same expression ids on both sides of a self-join, so a reference whose
//! plan defines ids another inlined reference already defined is re-instanced with fresh ids
//! (Catalyst's `DeduplicateRelations`), under a Project that keeps the ids its parents read
//! (`fresh AS name#old`), as Spark's InlineCTE does. Knows plans and ids only.
//!
//! Spark keeps a non-deterministic CTE referenced twice as a shared relation; Stagecraft inlines every
//! CTE (the plans show no `WithCTE`).

use super::expr_util::AttrSet;
use super::plan_util::{defined_ids, reinstance, transform_down, transform_subquery_plans};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;
use std::collections::BTreeMap;

pub struct InlineCTE;

impl OptimizerRule for InlineCTE {
    fn name(&self) -> &'static str {
        "InlineCTE"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        let mut seen = AttrSet::new();
        inline(plan, ctx, &mut seen)
    }
}

fn has_cte(p: &LogicalPlan) -> bool {
    p.any_node(&|n| matches!(n, LogicalPlan::CteRef { .. }))
        || p.any_node(&|n| {
            n.expressions().iter().any(|e| super::expr_util::subquery_plans(e).iter().any(|sp| has_cte(sp)))
        })
}

fn inline(plan: &LogicalPlan, ctx: &mut OptimizerContext, seen: &mut AttrSet) -> Option<LogicalPlan> {
    if !has_cte(plan) {
        return None;
    }
    let main = transform_down(plan, &mut |n| match n {
        LogicalPlan::CteRef { plan: body, .. } => {
            // The body may itself reference CTEs.
            let body = inline(body, ctx, seen).unwrap_or_else(|| (**body).clone());
            let defined = defined_ids(&body);
            if defined.iter().any(|id| seen.contains(id)) {
                let mut map = BTreeMap::new();
                let fresh = reinstance(&body, ctx.ids, &mut map);
                seen.extend(defined_ids(&fresh));
                let exprs = body
                    .output()
                    .iter()
                    .zip(fresh.output())
                    .map(|(old, new)| Expr::Alias { child: Box::new(new.to_expr()), name: old.name.clone(), id: old.id })
                    .collect();
                Some(LogicalPlan::Project { exprs, child: Box::new(fresh) })
            } else {
                seen.extend(defined);
                Some(body)
            }
        }
        _ => None,
    });
    let base = main.as_ref().unwrap_or(plan);
    match transform_subquery_plans(base, &mut |sp| inline(sp, ctx, seen)) {
        Some(p) => Some(p),
        None => main,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::plan::JoinType;
    use crate::optimizer::plan_util::output_set;
    use crate::optimizer::test_util::*;

    #[test]
    fn inlines_a_single_reference() {
        let t = relation("t", &["a", "b"], 1);
        let cte = LogicalPlan::CteRef { name: "c".into(), plan: Box::new(t.clone()) };
        let p = project(vec![col(&t, "a")], cte);
        assert_eq!(run(&InlineCTE, &p), project(vec![col(&t, "a")], t));
    }

    #[test]
    fn second_reference_gets_fresh_ids_under_a_renaming_project() {
        let t = relation("t", &["a", "b"], 1);
        let r1 = LogicalPlan::CteRef { name: "c".into(), plan: Box::new(t.clone()) };
        let r2 = LogicalPlan::CteRef { name: "c".into(), plan: Box::new(t.clone()) };
        let p = join(r1, r2, JoinType::Cross, None);
        let out = run(&InlineCTE, &p);
        let LogicalPlan::Join { left, right, .. } = &out else { panic!("{out}") };
        assert_eq!(**left, t);
        let LogicalPlan::Project { child, .. } = right.as_ref() else { panic!("{out}") };
        assert!(output_set(child).is_disjoint(&output_set(left)));
        assert_eq!(out.to_string().lines().nth(2).unwrap_or(""), "+- Project [a#1000 AS a#1, b#1001 AS b#2]");
    }
}
