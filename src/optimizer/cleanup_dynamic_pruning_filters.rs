//! `CleanupDynamicPruningFilters`: a dynamic pruning filter that did not end up directly over its
//! relation (only Projects and Filters between them), or whose key already has an equality in the
//! same filter, can prune nothing: it becomes `true` (BooleanSimplification and PruneFilters then
//! remove it). Knows plans only.

use super::expr_util::conjuncts;
use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr};
use crate::logical::plan::LogicalPlan;

pub struct CleanupDynamicPruningFilters;

fn over_relation(p: &LogicalPlan) -> bool {
    match p {
        LogicalPlan::Relation(_) => true,
        LogicalPlan::Project { child, .. } | LogicalPlan::Filter { child, .. } => over_relation(child),
        _ => false,
    }
}

fn has_dpp(e: &Expr) -> bool {
    e.any(&|x| matches!(x, Expr::DynamicPruning { .. }))
}

fn replace_dpp(cond: &Expr, keep: &dyn Fn(&Expr) -> bool) -> Expr {
    cond.transform_up(&mut |x| match x {
        Expr::DynamicPruning { ref key, .. } if !keep(key) => Expr::lit_bool(true),
        o => o,
    })
}

/// Within a scan's Project/Filter chain: drop pruning on keys that already have an equality.
fn clean_chain(p: &LogicalPlan) -> LogicalPlan {
    match p {
        LogicalPlan::Filter { cond, child } => {
            let eq_keys: Vec<Expr> = conjuncts(cond)
                .into_iter()
                .filter_map(|c| match c {
                    Expr::Binary { op: BinOp::Eq, left, right } => match (*left, *right) {
                        (a @ Expr::Attr(_), _) => Some(a),
                        (_, b @ Expr::Attr(_)) => Some(b),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            let c = if has_dpp(cond) { replace_dpp(cond, &|k| !eq_keys.contains(k)) } else { cond.clone() };
            LogicalPlan::Filter { cond: c, child: Box::new(clean_chain(child)) }
        }
        LogicalPlan::Project { exprs, child } => LogicalPlan::Project { exprs: exprs.clone(), child: Box::new(clean_chain(child)) },
        o => o.clone(),
    }
}

impl OptimizerRule for CleanupDynamicPruningFilters {
    fn name(&self) -> &'static str {
        "CleanupDynamicPruningFilters"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        if !plan.any_node(&|n| matches!(n, LogicalPlan::Filter { cond, .. } if has_dpp(cond))) {
            return None;
        }
        let enabled = ctx.conf.get_bool("spark.sql.optimizer.dynamicPartitionPruning.enabled");
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Project { .. } | LogicalPlan::Filter { .. } if enabled && over_relation(n) => {
                let c = clean_chain(n);
                if c == *n {
                    None
                } else {
                    Some(c)
                }
            }
            LogicalPlan::Filter { cond, child } if has_dpp(cond) => {
                Some(LogicalPlan::Filter { cond: replace_dpp(cond, &|_| false), child: child.clone() })
            }
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    fn dpp(key: Expr) -> Expr {
        Expr::DynamicPruning { key: Box::new(key), build_key_index: 0, build_plan: Box::new(relation("d", &["k"], 9)), id: 50 }
    }

    #[test]
    fn pruning_not_over_a_scan_becomes_true() {
        let t = relation("t", &["p"], 1);
        let agg = LogicalPlan::Aggregate { group: vec![col(&t, "p")], aggs: vec![col(&t, "p")], child: Box::new(t.clone()) };
        let f = filter(dpp(col(&t, "p")), agg);
        assert_eq!(run(&CleanupDynamicPruningFilters, &f).to_string().lines().next(), Some("Filter true"));
        let kept = filter(dpp(col(&t, "p")), t.clone());
        assert_eq!(run(&CleanupDynamicPruningFilters, &kept), kept);
        let redundant = filter(Expr::and(eq(col(&t, "p"), Expr::lit_int(3)), dpp(col(&t, "p"))), t);
        assert_eq!(run(&CleanupDynamicPruningFilters, &redundant).to_string().lines().next(), Some("Filter ((p#1 = 3) AND true)"));
    }
}
