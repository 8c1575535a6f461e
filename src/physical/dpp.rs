//! Dynamic partition pruning, physically (`PlanDynamicPruningFilters` / `PlanAdaptiveDynamicPruningFilters`):
//! each `dynamicpruningexpression` the optimizer put on a partitioned scan gets its subquery. With AQE off
//! the subquery is `SubqueryBroadcast` over a `BroadcastExchange` of the build plan — kept only when a
//! broadcast hash join builds that same plan (`reuseBroadcastOnly`), so that exchange reuse later turns
//! the join's own broadcast into a `ReusedExchange`; otherwise the filter becomes
//! `dynamicpruningexpression(true)`. With AQE on it is `SubqueryAdaptiveBroadcast` over an adaptive plan.
//! Knows the main plan and the optimizer's DPP expressions; nothing of runtime file pruning.

use super::join_selection::extract_equi_join_keys;
use super::partitioning::BroadcastMode;
use super::plan::{BuildSide, Op, SparkPlan};
use super::planner::Planner;
use super::reuse::canonical;
use crate::logical::display::logical_line;
use crate::logical::expr::{Expr, ExprId};
use crate::logical::plan::LogicalPlan;
use crate::logical::stats::stats;

impl Planner<'_> {
    /// Dynamic partition pruning (`PlanDynamicPruningFilters` / `PlanAdaptiveDynamicPruningFilters`):
    /// each `dynamicpruningexpression` on a scan gets its subquery; with AQE off a DPP filter whose
    /// build side is not a broadcast hash join's build side becomes `dynamicpruningexpression(true)`.
    /// Returns the plan and whether any pruning survives.
    pub fn plan_dpp(&mut self, plan: SparkPlan) -> (SparkPlan, bool) {
        let mut any = false;
        // Build plans of broadcast hash joins, canonicalized, as the joins stand before preparation.
        let mut bhj_builds: Vec<String> = vec![];
        plan.walk(&mut |n| {
            if let Op::BroadcastHashJoin(j) = &n.op {
                let idx = if j.build_side == BuildSide::BuildLeft { 0 } else { 1 };
                if let Some(b) = n.children.get(idx) {
                    bhj_builds.push(canonical(b));
                }
            }
        });
        let plan = plan.transform_up(&mut |mut node| {
            let dpp: Vec<Expr> = match &node.op {
                Op::FileSourceScan(s) if !s.dpp_ids.is_empty() => {
                    s.partition_filters.iter().filter(|f| matches!(f, Expr::DynamicPruning { .. })).cloned().collect()
                }
                _ => return node,
            };
            for f in dpp {
                let Expr::DynamicPruning { build_key_index, build_plan, id, .. } = &f else { continue };
                let build_keys = dpp_build_keys(self.root, build_plan);
                let physical = self.plan(build_plan);
                let reusable = !build_keys.is_empty() && bhj_builds.contains(&canonical(&physical));
                let name = format!("dynamicpruning#{id}");
                let index = (*build_key_index).min(build_keys.len().saturating_sub(1));
                if self.aqe {
                    any |= reusable;
                    let inner = self.prepare_adaptive_inner(physical);
                    let adaptive = SparkPlan::unary(Op::AdaptiveSparkPlan { is_final: false }, inner);
                    let sub = SparkPlan::unary(
                        Op::SubqueryAdaptiveBroadcast {
                            name,
                            index,
                            only_in_broadcast: true,
                            build_plan: logical_line(build_plan),
                            build_keys,
                        },
                        adaptive,
                    )
                    .with_stats(Some(stats(build_plan)));
                    node.subqueries.push(sub);
                } else if reusable {
                    any = true;
                    let prepared = self.prepare_static(physical, false);
                    let mode = BroadcastMode::hashed(&build_keys, &prepared.output(), false);
                    let pid = self.plan_id();
                    let exchange = SparkPlan::unary(Op::BroadcastExchange { mode, plan_id: pid }, prepared);
                    let sid = self.plan_id();
                    node.subqueries.push(SparkPlan::unary(Op::SubqueryBroadcast { name, index, build_keys, id: sid }, exchange));
                } else if let Op::FileSourceScan(s) = &mut node.op {
                    // Not worth a subquery of its own: the filter is a no-op.
                    for pf in s.partition_filters.iter_mut() {
                        if matches!(pf, Expr::DynamicPruning { id: x, .. } if x == id) {
                            *pf = Expr::Func {
                                name: "dynamicpruningexpression".into(),
                                args: vec![Expr::lit_bool(true)],
                                dtype: crate::logical::types::DataType::Boolean,
                                deterministic: true,
                            };
                        }
                    }
                    s.dpp_ids.retain(|x| x != id);
                }
            }
            node
        });
        (plan, any)
    }
}

/// The join keys on the build side of the join whose side is `build_plan` (DPP's `buildKeys`); when no
/// join side equals it any more (later rules rewrote the side), the join whose side outputs the build
/// plan's columns.
fn dpp_build_keys(root: &LogicalPlan, build_plan: &LogicalPlan) -> Vec<Expr> {
    let out: Vec<ExprId> = build_plan.output().iter().map(|a| a.id).collect();
    let covers = |p: &LogicalPlan| {
        let ids: Vec<ExprId> = p.output().iter().map(|a| a.id).collect();
        !out.is_empty() && out.iter().all(|i| ids.contains(i))
    };
    let mut exact: Option<Vec<Expr>> = None;
    let mut loose: Option<Vec<Expr>> = None;
    root.walk(&mut |p: &LogicalPlan| {
        if let LogicalPlan::Join { left, right, cond, .. } = p {
            let (lk, rk, _) = extract_equi_join_keys(cond.as_ref(), &left.output(), &right.output());
            if exact.is_none() {
                if **right == *build_plan {
                    exact = Some(rk.clone());
                } else if **left == *build_plan {
                    exact = Some(lk.clone());
                }
            }
            if loose.is_none() {
                if covers(right) {
                    loose = Some(rk);
                } else if covers(left) {
                    loose = Some(lk);
                }
            }
        }
    });
    let keys = exact.or(loose).unwrap_or_default();
    // Only keys over the build plan's own columns can be broadcast back.
    keys.into_iter().filter(|k| k.references().iter().all(|a| out.contains(&a.id))).collect()
}
