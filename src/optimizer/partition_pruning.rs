//! `PartitionPruning` (dynamic partition pruning, SparkOptimizer): for an equi-join on a partition
//! column of a partitioned file relation, when the other side carries a selective predicate (a
//! comparison, IN, LIKE, ... in some Filter), inserts `Filter(dynamicpruning#id [key])` over the
//! partitioned side: at run time the other side's join keys prune the partitions read. The side must
//! be prunable for the join type (left for inner/semi/right outer, right for inner/left outer).
//!
//! As in Spark 3.5, the logical filter is inserted whenever exchange reuse is on
//! (`spark.sql.exchange.reuse`, default) or the pruning is estimated worth running a second time
//! (`fallbackFilterRatio` × partitioned size > the other side's scan size). Whether it survives is a
//! physical decision: with `spark.sql.optimizer.dynamicPartitionPruning.reuseBroadcastOnly` (default
//! true) only a broadcast hash join whose build side can be reused keeps it; see
//! [`only_in_broadcast`]. Knows plans, confs and statistics.

use super::expr_util::{agg_alias_map, alias_map, conjuncts, is_likely_selective, refs, replace_alias};
use super::plan_util::{leaves, output_set, transform_up};
use super::{OptimizerContext, OptimizerRule};
use crate::conf::SparkConf;
use crate::logical::expr::{BinOp, Expr};
use crate::logical::plan::{JoinType, LogicalPlan};
use crate::logical::stats::stats;

pub struct PartitionPruning;

/// Catalyst's `findExpressionAndTrackLineageDown`: the leaf an expression's columns come from, with the
/// expression restated in that leaf's columns.
pub fn lineage<'a>(e: &Expr, plan: &'a LogicalPlan) -> Option<(Expr, &'a LogicalPlan)> {
    let r = refs(e);
    if r.is_empty() {
        return None;
    }
    match plan {
        LogicalPlan::Project { exprs, child } => lineage(&replace_alias(e, &alias_map(exprs)), child),
        LogicalPlan::Aggregate { aggs, child, .. } => lineage(&replace_alias(e, &agg_alias_map(aggs)), child),
        p if p.children().is_empty() => {
            if r.is_subset(&output_set(p)) {
                Some((e.clone(), p))
            } else {
                None
            }
        }
        p => p.children().into_iter().filter(|c| r.is_subset(&output_set(c))).find_map(|c| lineage(e, c)),
    }
}

/// The partitioned relation `e` can prune, if `e` reads only its partition columns.
fn filterable_scan<'a>(e: &Expr, plan: &'a LogicalPlan) -> Option<&'a LogicalPlan> {
    let (res, leaf) = lineage(e, plan)?;
    match leaf {
        LogicalPlan::Relation(r) if !r.partition_cols.is_empty() => {
            if refs(&res).iter().all(|id| r.partition_cols.contains(id)) {
                Some(leaf)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn has_selective_predicate(p: &LogicalPlan) -> bool {
    p.any_node(&|n| matches!(n, LogicalPlan::Filter { cond, .. } if is_likely_selective(cond)))
}

fn fallback_ratio(conf: &SparkConf) -> f64 {
    conf.get("spark.sql.optimizer.dynamicPartitionPruning.fallbackFilterRatio").and_then(|v| v.trim().parse().ok()).unwrap_or(0.5)
}

/// Spark's `pruningHasBenefit` without column statistics: the fallback filter ratio times the
/// partitioned relation's size must exceed the bytes the other side scans.
pub fn pruning_has_benefit(conf: &SparkConf, part_scan: &LogicalPlan, other: &LogicalPlan) -> bool {
    let overhead: f64 = leaves(other).iter().map(|l| stats(l).size_in_bytes as f64).sum();
    fallback_ratio(conf) * stats(part_scan).size_in_bytes as f64 > overhead
}

/// `onlyInBroadcast` of Spark's `DynamicPruningSubquery`: the pruning subquery may run only by reusing
/// a broadcast (else the physical planner replaces it by `true`).
pub fn only_in_broadcast(conf: &SparkConf, part_scan: &LogicalPlan, other: &LogicalPlan) -> bool {
    conf.get_bool("spark.sql.optimizer.dynamicPartitionPruning.reuseBroadcastOnly") || !pruning_has_benefit(conf, part_scan, other)
}

fn has_dpp_filter(p: &LogicalPlan) -> bool {
    matches!(p, LogicalPlan::Filter { cond: Expr::DynamicPruning { .. }, .. })
}

/// Equi-join keys (left side, right side), in condition order.
pub fn equi_keys(cond: &Expr, left: &LogicalPlan, right: &LogicalPlan) -> Vec<(Expr, Expr)> {
    let (lo, ro) = (output_set(left), output_set(right));
    conjuncts(cond)
        .into_iter()
        .filter_map(|c| match c {
            Expr::Binary { op: BinOp::Eq | BinOp::NullSafeEq, left: a, right: b } => {
                let (ra, rb) = (refs(&a), refs(&b));
                if ra.is_empty() || rb.is_empty() {
                    None
                } else if ra.is_subset(&lo) && rb.is_subset(&ro) {
                    Some((*a, *b))
                } else if rb.is_subset(&lo) && ra.is_subset(&ro) {
                    Some((*b, *a))
                } else {
                    None
                }
            }
            _ => None,
        })
        .collect()
}

fn prune(n: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
    let LogicalPlan::Join { left, right, join_type, cond: Some(cond), hint, null_aware } = n else { return None };
    if has_dpp_filter(left) || has_dpp_filter(right) {
        return None;
    }
    let keys = equi_keys(cond, left, right);
    let (lo, ro) = (output_set(left), output_set(right));
    let can_prune_left = matches!(join_type, JoinType::Inner | JoinType::LeftSemi | JoinType::RightOuter);
    let can_prune_right = matches!(join_type, JoinType::Inner | JoinType::LeftOuter);
    let reuse = ctx.conf.get_bool("spark.sql.exchange.reuse");
    let mut new_left = (**left).clone();
    let mut new_right = (**right).clone();
    let mut changed = false;
    for c in conjuncts(cond) {
        let Expr::Binary { op: BinOp::Eq, left: a, right: b } = &c else { continue };
        let (ra, rb) = (refs(a), refs(b));
        if ra.is_empty() || rb.is_empty() {
            continue;
        }
        let (l, r) = if ra.is_subset(&lo) && rb.is_subset(&ro) {
            ((**a).clone(), (**b).clone())
        } else if rb.is_subset(&lo) && ra.is_subset(&ro) {
            ((**b).clone(), (**a).clone())
        } else {
            continue;
        };
        let insert = |key: Expr, pruning: &LogicalPlan, filtering: &LogicalPlan, index: usize, scan: &LogicalPlan, ctx: &mut OptimizerContext| {
            if reuse || pruning_has_benefit(ctx.conf, scan, filtering) {
                Some(LogicalPlan::Filter {
                    cond: Expr::DynamicPruning {
                        key: Box::new(key),
                        build_key_index: index,
                        build_plan: Box::new(filtering.clone()),
                        id: ctx.ids.next(),
                    },
                    child: Box::new(pruning.clone()),
                })
            } else {
                None
            }
        };
        if let Some(scan) = filterable_scan(&l, left).filter(|_| can_prune_left && has_selective_predicate(right)) {
            let index = keys.iter().position(|(_, k)| *k == r).unwrap_or(0);
            if let Some(p) = insert(l.clone(), &new_left, right, index, scan, ctx) {
                new_left = p;
                changed = true;
            }
        } else if let Some(scan) = filterable_scan(&r, right).filter(|_| can_prune_right && has_selective_predicate(left)) {
            let index = keys.iter().position(|(k, _)| *k == l).unwrap_or(0);
            if let Some(p) = insert(r.clone(), &new_right, left, index, scan, ctx) {
                new_right = p;
                changed = true;
            }
        }
    }
    if !changed {
        return None;
    }
    Some(LogicalPlan::Join {
        left: Box::new(new_left),
        right: Box::new(new_right),
        join_type: *join_type,
        cond: Some(cond.clone()),
        hint: hint.clone(),
        null_aware: *null_aware,
    })
}

impl OptimizerRule for PartitionPruning {
    fn name(&self) -> &'static str {
        "PartitionPruning"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        if !ctx.conf.get_bool("spark.sql.optimizer.dynamicPartitionPruning.enabled") {
            return None;
        }
        transform_up(plan, &mut |n| prune(n, ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    pub fn partitioned(p: LogicalPlan, col_name: &str) -> LogicalPlan {
        let LogicalPlan::Relation(mut r) = p else { return p };
        r.partition_cols = r.output.iter().filter(|a| a.name == col_name).map(|a| a.id).collect();
        std::rc::Rc::make_mut(&mut r.table).partition_columns = vec![col_name.to_string()];
        LogicalPlan::Relation(r)
    }

    #[test]
    fn partitioned_fact_joined_to_filtered_dimension_gets_a_pruning_filter() {
        let events = partitioned(relation("events", &["kind", "event_date"], 1), "event_date");
        let cal = relation("calendar", &["cal_date", "dow"], 3);
        let dim = project(vec![col(&cal, "cal_date")], filter(gt(col(&cal, "dow"), Expr::lit_int(5)), cal.clone()));
        let j = join(events.clone(), dim.clone(), JoinType::Inner, Some(eq(col(&events, "event_date"), col(&cal, "cal_date"))));
        let out = run(&PartitionPruning, &j);
        let text = out.to_string();
        assert!(text.contains(":- Filter dynamicpruning"), "{text}");
        // No selective predicate on the other side: nothing happens.
        let j2 = join(events.clone(), cal.clone(), JoinType::Inner, Some(eq(col(&events, "event_date"), col(&cal, "cal_date"))));
        assert_eq!(run(&PartitionPruning, &j2), j2);
        // A left outer join cannot prune its preserved left side.
        let j3 = join(events.clone(), dim, JoinType::LeftOuter, Some(eq(col(&events, "event_date"), col(&cal, "cal_date"))));
        assert_eq!(run(&PartitionPruning, &j3), j3);
    }
}
