//! `PushPredicateThroughNonJoin`: moves a Filter below a deterministic Project (substituting aliases),
//! below an Aggregate when a conjunct reads only grouping columns, below a Window when it reads only
//! partition columns, into every child of a Union, and below the row-preserving unary operators Spark
//! lists (Sort, Repartition*, Distinct, Generate, Expand, Python evaluation). Knows plans only.

use super::expr_util::{
    agg_alias_map, alias_map, and_all, conjuncts, refs, replace_alias, subquery_plans, AttrSet,
};
use super::plan_util::{output_set, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct PushPredicateThroughNonJoin;

fn with_filter(cond: Expr, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Filter { cond, child: Box::new(child) }
}

/// No subquery in `cond` reads attributes `plan` produces (Catalyst's `canPushThroughCondition`).
fn can_push_through_condition(plan: &LogicalPlan, cond: &Expr) -> bool {
    let out = output_set(plan);
    subquery_plans(cond).iter().all(|sp| output_set(sp).is_disjoint(&out))
}

/// Splits `cond` into what may move below (deterministic, reads only `below`) and what stays.
fn split_pushable(cond: &Expr, pushable: &dyn Fn(&Expr) -> bool) -> (Vec<Expr>, Vec<Expr>) {
    let (cands, nondet): (Vec<Expr>, Vec<Expr>) = conjuncts(cond).into_iter().partition(|c| c.is_deterministic());
    let (down, mut rest): (Vec<Expr>, Vec<Expr>) = cands.into_iter().partition(|c| pushable(c));
    rest.extend(nondet);
    (down, rest)
}

fn rebuild(down: Vec<Expr>, rest: Vec<Expr>, make: impl FnOnce(Expr) -> LogicalPlan) -> Option<LogicalPlan> {
    let d = and_all(down)?;
    let new_child = make(d);
    Some(match and_all(rest) {
        Some(r) => with_filter(r, new_child),
        None => new_child,
    })
}

/// Operators a filter may pass as Spark's `canPushThrough` lists them.
fn can_push_through(p: &LogicalPlan) -> bool {
    use LogicalPlan::*;
    matches!(
        p,
        Distinct { .. }
            | Generate { .. }
            | RepartitionByExpression { .. }
            | Repartition { .. }
            | RebalancePartitions { .. }
            | Sort { .. }
            | EvalPython { .. }
            | Expand { .. }
    )
}

/// Catalyst's `PushPredicateThroughNonJoin.applyLocally` (one node).
pub fn push_non_join(n: &LogicalPlan) -> Option<LogicalPlan> {
    let LogicalPlan::Filter { cond, child } = n else { return None };
    match child.as_ref() {
        LogicalPlan::Project { exprs, child: grand } => {
            if !exprs.iter().all(|e| e.is_deterministic()) || !can_push_through_condition(grand, cond) {
                return None;
            }
            let m = alias_map(exprs);
            Some(LogicalPlan::Project { exprs: exprs.clone(), child: Box::new(with_filter(replace_alias(cond, &m), (**grand).clone())) })
        }
        LogicalPlan::Aggregate { group, aggs, child: grand } => {
            if group.is_empty() || !aggs.iter().all(|e| e.is_deterministic()) {
                return None;
            }
            let m = agg_alias_map(aggs);
            let below = output_set(grand);
            let (down, rest) =
                split_pushable(cond, &|c| !refs(c).is_empty() && refs(&replace_alias(c, &m)).is_subset(&below));
            let down: Vec<Expr> = down.iter().map(|c| replace_alias(c, &m)).collect();
            rebuild(down, rest, |d| LogicalPlan::Aggregate {
                group: group.clone(),
                aggs: aggs.clone(),
                child: Box::new(with_filter(d, (**grand).clone())),
            })
        }
        LogicalPlan::Window { window_exprs, partition_by, order_by, child: grand } => {
            if !partition_by.iter().all(|e| matches!(e, Expr::Attr(_))) {
                return None;
            }
            let parts: AttrSet = crate::sort::set_of(partition_by.iter().flat_map(refs));
            let (down, rest) = split_pushable(cond, &|c| refs(c).is_subset(&parts));
            rebuild(down, rest, |d| LogicalPlan::Window {
                window_exprs: window_exprs.clone(),
                partition_by: partition_by.clone(),
                order_by: order_by.clone(),
                child: Box::new(with_filter(d, (**grand).clone())),
            })
        }
        LogicalPlan::Union { children, by_name, allow_missing } => {
            let (down, rest): (Vec<Expr>, Vec<Expr>) = conjuncts(cond).into_iter().partition(|c| c.is_deterministic());
            let out = child.output();
            rebuild(down, rest, |d| LogicalPlan::Union {
                children: children
                    .iter()
                    .map(|g| {
                        let gout = g.output();
                        let c = d.transform_up(&mut |x| match x {
                            Expr::Attr(a) => match out.iter().position(|o| o.id == a.id) {
                                Some(i) => gout.get(i).map(|t| t.to_expr()).unwrap_or(Expr::Attr(a)),
                                None => Expr::Attr(a),
                            },
                            o => o,
                        });
                        with_filter(c, g.clone())
                    })
                    .collect(),
                by_name: *by_name,
                allow_missing: *allow_missing,
            })
        }
        u if can_push_through(u) && u.expressions().iter().all(|e| e.is_deterministic()) => {
            let [grand] = u.children()[..] else { return None };
            let below = output_set(grand);
            let (down, rest) = split_pushable(cond, &|c| refs(c).is_subset(&below));
            rebuild(down, rest, |d| u.with_children(vec![with_filter(d, grand.clone())]))
        }
        _ => None,
    }
}

impl OptimizerRule for PushPredicateThroughNonJoin {
    fn name(&self) -> &'static str {
        "PushPredicateThroughNonJoin"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut push_non_join)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{AggFunc, AggMode};
    use crate::optimizer::test_util::*;

    #[test]
    fn through_project_with_alias_substitution() {
        let t = relation("t", &["a", "b"], 1);
        let p = project(vec![col(&t, "a").alias("x", 10)], t.clone());
        let x = p.output()[0].to_expr();
        let f = filter(gt(x, Expr::lit_int(3)), p);
        assert_eq!(
            run(&PushPredicateThroughNonJoin, &f).to_string(),
            "Project [a#1 AS x#10]\n+- Filter (a#1 > 3)\n   +- Relation [a#1,b#2] parquet\n"
        );
    }

    #[test]
    fn aggregate_keeps_conditions_on_aggregates_above() {
        let t = relation("t", &["a", "b"], 1);
        let sum = Expr::Agg { func: AggFunc::Sum, args: vec![col(&t, "b")], distinct: false, mode: AggMode::Complete, filter: None };
        let agg = LogicalPlan::Aggregate { group: vec![col(&t, "a")], aggs: vec![col(&t, "a"), sum.alias("s", 10)], child: Box::new(t.clone()) };
        let s = agg.output()[1].to_expr();
        let f = filter(Expr::and(Expr::is_not_null(s), Expr::is_not_null(col(&t, "a"))), agg);
        assert_eq!(
            run(&PushPredicateThroughNonJoin, &f).to_string(),
            "Filter isnotnull(s#10L)\n+- Aggregate [a#1], [a#1, sum(b#2) AS s#10L]\n   +- Filter isnotnull(a#1)\n      +- Relation [a#1,b#2] parquet\n"
        );
    }
}
