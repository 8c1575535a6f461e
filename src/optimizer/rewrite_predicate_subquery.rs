//! `RewritePredicateSubquery`: turns the IN / EXISTS conjuncts of a Filter into joins:
//! `x IN (q)` → LeftSemi on `x = q.col`; `x NOT IN (q)` → LeftAnti on `(x = q.col) OR isnull(x = q.col)`
//! (null-aware: a NULL in `q` rejects every row), flagged `null_aware` when it is a single column with
//! no correlation, which is what lets the physical planner use a null-aware broadcast anti join;
//! `EXISTS` / `NOT EXISTS` → LeftSemi / LeftAnti on the correlated predicates. Each join is wrapped
//! in a Project of the Filter's output, as Spark does. Scalar subqueries stay where they are (they
//! become physical subqueries). Knows plans only.

use super::expr_util::{and_all, conjuncts, is_correlated, AttrSet};
use super::plan_util::{output_set, transform_down};
use super::pullup_correlated_predicates::split_correlated;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr, SubqueryExpr};
use crate::logical::plan::{JoinHint, JoinType, LogicalPlan};

pub struct RewritePredicateSubquery;

fn is_rewritable(e: &Expr) -> bool {
    match e {
        Expr::InSubquery { .. } => true,
        Expr::Exists(s) => is_correlated(s),
        Expr::Not(inner) => matches!(inner.as_ref(), Expr::InSubquery { .. }) || matches!(inner.as_ref(), Expr::Exists(s) if is_correlated(s)),
        _ => false,
    }
}

/// `outer(x)` → `x`.
fn strip_outer(e: &Expr) -> Expr {
    e.transform_up(&mut |x| match x {
        Expr::OuterRef(a) => Expr::Attr(a),
        o => o,
    })
}

/// The subquery's plan (pulled-up predicates removed) and those predicates as join conditions; the
/// subquery side is re-aliased when its output ids collide with the outer plan's.
fn parts(sub: &SubqueryExpr, outer: &LogicalPlan, ctx: &mut OptimizerContext) -> (LogicalPlan, Vec<Expr>) {
    let (pulled, inner) = split_correlated(&sub.plan);
    let conds: Vec<Expr> = pulled.iter().map(strip_outer).collect();
    let outer_ids: AttrSet = output_set(outer);
    let out = inner.output();
    if out.iter().any(|a| outer_ids.contains(&a.id)) {
        let exprs = out
            .iter()
            .map(|a| {
                if outer_ids.contains(&a.id) {
                    Expr::Alias { child: Box::new(a.to_expr()), name: a.name.clone(), id: ctx.ids.next() }
                } else {
                    a.to_expr()
                }
            })
            .collect();
        return (LogicalPlan::Project { exprs, child: Box::new(inner.clone()) }, conds);
    }
    (inner.clone(), conds)
}

fn join(l: LogicalPlan, r: LogicalPlan, jt: JoinType, cond: Option<Expr>, null_aware: bool) -> LogicalPlan {
    LogicalPlan::Join { left: Box::new(l), right: Box::new(r), join_type: jt, cond, hint: JoinHint::default(), null_aware }
}

fn rewrite(n: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
    let LogicalPlan::Filter { cond, child } = n else { return None };
    let (with_sub, without): (Vec<Expr>, Vec<Expr>) = conjuncts(cond).into_iter().partition(is_rewritable);
    if with_sub.is_empty() {
        return None;
    }
    let mut plan = match and_all(without) {
        Some(c) => LogicalPlan::Filter { cond: c, child: child.clone() },
        None => (**child).clone(),
    };
    for pred in with_sub {
        let out: Vec<Expr> = plan.output().iter().map(|a| a.to_expr()).collect();
        let joined = match pred {
            Expr::Exists(s) => {
                let (sub, conds) = parts(&s, &plan, ctx);
                join(plan, sub, JoinType::LeftSemi, and_all(conds), false)
            }
            Expr::InSubquery { values, sub: s } => {
                let (sub, conds) = parts(&s, &plan, ctx);
                let mut all: Vec<Expr> =
                    values.iter().zip(sub.output()).map(|(v, a)| Expr::binary(BinOp::Eq, v.clone(), a.to_expr())).collect();
                all.extend(conds);
                join(plan, sub, JoinType::LeftSemi, and_all(all), false)
            }
            Expr::Not(inner) => match *inner {
                Expr::Exists(s) => {
                    let (sub, conds) = parts(&s, &plan, ctx);
                    join(plan, sub, JoinType::LeftAnti, and_all(conds), false)
                }
                Expr::InSubquery { values, sub: s } => {
                    let (sub, conds) = parts(&s, &plan, ctx);
                    let single = values.len() == 1 && conds.is_empty();
                    let mut all: Vec<Expr> = values
                        .iter()
                        .zip(sub.output())
                        .map(|(v, a)| {
                            let e = Expr::binary(BinOp::Eq, v.clone(), a.to_expr());
                            Expr::binary(BinOp::Or, e.clone(), Expr::IsNull(Box::new(e)))
                        })
                        .collect();
                    all.extend(conds);
                    join(plan, sub, JoinType::LeftAnti, and_all(all), single)
                }
                other => LogicalPlan::Filter { cond: Expr::Not(Box::new(other)), child: Box::new(plan) },
            },
            other => LogicalPlan::Filter { cond: other, child: Box::new(plan) },
        };
        plan = LogicalPlan::Project { exprs: out, child: Box::new(joined) };
    }
    Some(plan)
}

impl OptimizerRule for RewritePredicateSubquery {
    fn name(&self) -> &'static str {
        "RewritePredicateSubquery"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| rewrite(n, ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    fn sub(plan: LogicalPlan, outer_refs: Vec<crate::logical::expr::Attribute>) -> SubqueryExpr {
        SubqueryExpr { plan: Box::new(plan), outer_refs, id: 77 }
    }

    #[test]
    fn in_becomes_left_semi_and_not_in_a_null_aware_anti_join() {
        let c = relation("c", &["id"], 1);
        let o = relation("o", &["cid"], 2);
        let inn = Expr::InSubquery { values: vec![col(&c, "id")], sub: sub(o.clone(), vec![]) };
        let text = run(&RewritePredicateSubquery, &filter(inn.clone(), c.clone())).to_string();
        assert_eq!(text, "Project [id#1]\n+- Join LeftSemi, (id#1 = cid#2)\n   :- Relation [id#1] parquet\n   +- Relation [cid#2] parquet\n");
        let out = run(&RewritePredicateSubquery, &filter(Expr::Not(Box::new(inn)), c.clone()));
        assert!(out.to_string().contains("Join LeftAnti, ((id#1 = cid#2) OR isnull((id#1 = cid#2)))"), "{out}");
        assert!(out.any_node(&|n| matches!(n, LogicalPlan::Join { null_aware: true, .. })));
    }

    #[test]
    fn correlated_exists_uses_the_pulled_predicates() {
        let c = relation("c", &["id"], 1);
        let o = relation("o", &["cid"], 2);
        let pulled = filter(eq(col(&o, "cid"), Expr::OuterRef(c.output()[0].clone())), o.clone());
        let ex = Expr::Exists(sub(pulled, c.output()));
        let text = run(&RewritePredicateSubquery, &filter(Expr::Not(Box::new(ex)), c.clone())).to_string();
        assert!(text.contains("Join LeftAnti, (cid#2 = id#1)"), "{text}");
    }
}
