//! `PullupCorrelatedPredicates`: takes the predicates of a subquery that refer to the outer query
//! (`outer(x)`) out of the subquery's filters, so that the subquery's own plan can be optimized alone
//! and RewritePredicateSubquery can make them the join condition. Projects and aggregates above the
//! pulled filters gain the inner attributes those predicates read (Spark's `missingReferences`).
//!
//! Stagecraft's encoding of Spark's `joinCond`: the pulled predicates (still holding their `outer(x)`
//! references) sit in one `Filter` at the very top of the subquery plan; see [`split_correlated`].
//! Knows plans and expressions only.

use super::expr_util::{and_all, conjuncts, refs, AttrSet};
use super::plan_util::{output_set, transform_subquery_plans};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct PullupCorrelatedPredicates;

fn has_outer(e: &Expr) -> bool {
    e.any(&|x| matches!(x, Expr::OuterRef(_)))
}

/// Splits a subquery plan into its pulled-up correlated predicates (the conjuncts of a top `Filter` that
/// all refer to the outer query) and the plan below them.
pub fn split_correlated(p: &LogicalPlan) -> (Vec<Expr>, &LogicalPlan) {
    if let LogicalPlan::Filter { cond, child } = p {
        let cs = conjuncts(cond);
        if !cs.is_empty() && cs.iter().all(has_outer) && !child_has_outer_filter(child) {
            return (cs, child);
        }
    }
    (vec![], p)
}

fn child_has_outer_filter(p: &LogicalPlan) -> bool {
    p.any_node(&|n| matches!(n, LogicalPlan::Filter { cond, .. } if has_outer(cond)))
}

/// Pulls the correlated conjuncts out of `p`; returns the new plan and the pulled predicates.
fn pull(p: &LogicalPlan) -> (LogicalPlan, Vec<Expr>) {
    let kids = p.children();
    let mut pulled = vec![];
    let node = if kids.is_empty() {
        p.clone()
    } else {
        let mut new_kids = vec![];
        for c in kids {
            let (nc, preds) = pull(c);
            new_kids.push(nc);
            pulled.extend(preds);
        }
        p.with_children(new_kids)
    };
    let needed: AttrSet = crate::sort::set_of(pulled.iter().flat_map(refs));
    let missing = |n: &LogicalPlan| -> Vec<Expr> {
        let out = output_set(n);
        let mut v: Vec<Expr> = vec![];
        for c in n.children() {
            for a in c.output() {
                if needed.contains(&a.id) && !out.contains(&a.id) && !v.iter().any(|e| matches!(e, Expr::Attr(x) if x.id == a.id)) {
                    v.push(a.to_expr());
                }
            }
        }
        v
    };
    let node = match node {
        LogicalPlan::Filter { cond, child } => {
            let (corr, local): (Vec<Expr>, Vec<Expr>) = conjuncts(&cond).into_iter().partition(has_outer);
            if corr.is_empty() {
                LogicalPlan::Filter { cond, child }
            } else {
                pulled.extend(corr);
                match and_all(local) {
                    Some(c) => LogicalPlan::Filter { cond: c, child },
                    None => *child,
                }
            }
        }
        n @ LogicalPlan::Project { .. } => {
            let add = missing(&n);
            match n {
                LogicalPlan::Project { mut exprs, child } if !add.is_empty() => {
                    exprs.extend(add);
                    LogicalPlan::Project { exprs, child }
                }
                other => other,
            }
        }
        n @ LogicalPlan::Aggregate { .. } => {
            let add = missing(&n);
            match n {
                LogicalPlan::Aggregate { mut group, mut aggs, child } if !add.is_empty() => {
                    group.extend(add.clone());
                    aggs.extend(add);
                    LogicalPlan::Aggregate { group, aggs, child }
                }
                other => other,
            }
        }
        other => other,
    };
    (node, pulled)
}

fn pullup(sub: &LogicalPlan) -> Option<LogicalPlan> {
    let (already, _) = split_correlated(sub);
    if !already.is_empty() || !child_has_outer_filter(sub) {
        return None;
    }
    let (plan, preds) = pull(sub);
    let cond = and_all(preds)?;
    Some(LogicalPlan::Filter { cond, child: Box::new(plan) })
}

impl OptimizerRule for PullupCorrelatedPredicates {
    fn name(&self) -> &'static str {
        "PullupCorrelatedPredicates"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_subquery_plans(plan, &mut pullup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::SubqueryExpr;
    use crate::optimizer::test_util::*;

    #[test]
    fn correlated_predicate_moves_to_the_top_and_the_project_keeps_its_column() {
        let c = relation("c", &["id"], 1);
        let o = relation("o", &["cid", "amt"], 2);
        let cid_outer = Expr::OuterRef(c.output()[0].clone());
        let inner = project(
            vec![col(&o, "amt")],
            filter(Expr::and(eq(col(&o, "cid"), cid_outer), gt(col(&o, "amt"), Expr::lit_int(5))), o.clone()),
        );
        let p = filter(Expr::Exists(SubqueryExpr { plan: Box::new(inner), outer_refs: c.output(), id: 50 }), c.clone());
        let out = run(&PullupCorrelatedPredicates, &p);
        let LogicalPlan::Filter { cond: Expr::Exists(s), .. } = &out else { panic!("{out}") };
        assert_eq!(
            s.plan.to_string(),
            "Filter (cid#2 = outer(id#1))\n+- Project [amt#3, cid#2]\n   +- Filter (amt#3 > 5)\n      +- Relation [cid#2,amt#3] parquet\n"
        );
        let (pulled, below) = split_correlated(&s.plan);
        assert_eq!(pulled.len(), 1);
        assert!(matches!(below, LogicalPlan::Project { .. }));
    }
}
