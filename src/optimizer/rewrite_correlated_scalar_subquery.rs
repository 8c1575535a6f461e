//! `RewriteCorrelatedScalarSubquery`: a correlated scalar subquery in a Filter or Project becomes a
//! LEFT OUTER join with the (pulled-up) subquery plan on its correlated predicates, and the subquery
//! expression becomes a reference to the subquery's output column. Only subqueries whose value is
//! null on zero rows are rewritten (`avg`, `sum`, `max`, ...); a `count`-like subquery needs Spark's
//! COUNT-bug handling and stays a subquery here. Knows plans only.

use super::expr_util::and_all;
use super::plan_util::transform_up;
use super::pullup_correlated_predicates::split_correlated;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, Expr, SubqueryExpr};
use crate::logical::plan::{JoinHint, JoinType, LogicalPlan};

pub struct RewriteCorrelatedScalarSubquery;

/// The subquery's value is null when it sees no rows (no `count` in its value expression).
fn null_on_empty(inner: &LogicalPlan) -> bool {
    let value = match inner {
        LogicalPlan::Aggregate { aggs, .. } | LogicalPlan::Project { exprs: aggs, .. } => aggs.first(),
        _ => None,
    };
    match value {
        Some(v) => !v.any(&|x| matches!(x, Expr::Agg { func: AggFunc::Count | AggFunc::CountDistinctApprox, .. })),
        None => false,
    }
}

fn rewritable(s: &SubqueryExpr) -> bool {
    let (pulled, inner) = split_correlated(&s.plan);
    !pulled.is_empty() && null_on_empty(inner) && !inner.output().is_empty()
}

/// Replaces rewritable correlated scalar subqueries in `e` by their output column; collects them.
fn extract(e: &Expr, found: &mut Vec<SubqueryExpr>) -> Expr {
    e.transform_up(&mut |x| match x {
        Expr::ScalarSubquery(s) if rewritable(&s) => {
            let (_, inner) = split_correlated(&s.plan);
            let out = inner.output().first().map(|a| a.to_expr()).unwrap_or(Expr::lit_int(0));
            found.push(s);
            out
        }
        o => o,
    })
}

fn left_joins(child: &LogicalPlan, subs: Vec<SubqueryExpr>) -> LogicalPlan {
    subs.into_iter().fold(child.clone(), |cur, s| {
        let (pulled, inner) = split_correlated(&s.plan);
        let conds: Vec<Expr> = pulled
            .iter()
            .map(|c| {
                c.transform_up(&mut |x| match x {
                    Expr::OuterRef(a) => Expr::Attr(a),
                    o => o,
                })
            })
            .collect();
        let mut exprs: Vec<Expr> = cur.output().iter().map(|a| a.to_expr()).collect();
        if let Some(v) = inner.output().first() {
            exprs.push(v.to_expr());
        }
        let join = LogicalPlan::Join {
            left: Box::new(cur),
            right: Box::new(inner.clone()),
            join_type: JoinType::LeftOuter,
            cond: and_all(conds),
            hint: JoinHint::default(),
            null_aware: false,
        };
        LogicalPlan::Project { exprs, child: Box::new(join) }
    })
}

impl OptimizerRule for RewriteCorrelatedScalarSubquery {
    fn name(&self) -> &'static str {
        "RewriteCorrelatedScalarSubquery"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut |n| match n {
            LogicalPlan::Filter { cond, child } => {
                let mut subs = vec![];
                let new_cond = extract(cond, &mut subs);
                if subs.is_empty() {
                    return None;
                }
                let filtered = LogicalPlan::Filter { cond: new_cond, child: Box::new(left_joins(child, subs)) };
                Some(LogicalPlan::Project { exprs: child.output().iter().map(|a| a.to_expr()).collect(), child: Box::new(filtered) })
            }
            LogicalPlan::Project { exprs, child } => {
                let mut subs = vec![];
                let new_exprs: Vec<Expr> = exprs.iter().map(|e| extract(e, &mut subs)).collect();
                if subs.is_empty() {
                    return None;
                }
                Some(LogicalPlan::Project { exprs: new_exprs, child: Box::new(left_joins(child, subs)) })
            }
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{AggMode, BinOp};
    use crate::optimizer::test_util::*;

    #[test]
    fn correlated_average_becomes_a_left_outer_join() {
        let o = relation("o", &["cid", "amt"], 1);
        let i = relation("i", &["icid", "iamt"], 3);
        let avg = Expr::Agg { func: AggFunc::Avg, args: vec![col(&i, "iamt")], distinct: false, mode: AggMode::Complete, filter: None };
        let inner = LogicalPlan::Aggregate {
            group: vec![col(&i, "icid")],
            aggs: vec![avg.alias("a", 10), col(&i, "icid")],
            child: Box::new(i.clone()),
        };
        let pulled = filter(eq(col(&i, "icid"), Expr::OuterRef(o.output()[0].clone())), inner);
        let sq = Expr::ScalarSubquery(SubqueryExpr { plan: Box::new(pulled), outer_refs: vec![o.output()[0].clone()], id: 20 });
        let p = filter(Expr::binary(BinOp::Gt, col(&o, "amt"), sq), o.clone());
        let text = run(&RewriteCorrelatedScalarSubquery, &p).to_string();
        assert!(text.starts_with("Project [cid#1, amt#2]\n+- Filter (amt#2 > a#10)\n   +- Project [cid#1, amt#2, a#10]\n      +- Join LeftOuter, (icid#3 = cid#1)"), "{text}");
    }
}
