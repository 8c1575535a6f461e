//! Physical planning as Spark 3.5 does it: strategies (`planner`, `scan`, `aggregate`,
//! `join_selection`) turn the optimized logical plan into a `SparkPlan`; dynamic partition pruning
//! subqueries are planned against it; then either AQE wraps it (`AdaptiveSparkPlan isFinalPlan=false`,
//! only when the plan has an exchange, a distribution requirement or a subquery) over
//! `EnsureRequirements`, or the static preparations run: `EnsureRequirements`, columnar transitions,
//! `CollapseCodegenStages`, `ReuseExchangeAndSubquery`. `explain` prints it in Spark's EXPLAIN formats.
//! Knows plans and confs; nothing of stages, tasks or simulated time.

pub mod aggregate;
pub mod codegen;
pub mod dpp;
pub mod ensure_requirements;
pub mod explain;
pub mod formatted;
pub mod join_selection;
pub mod partitioning;
pub mod plan;
pub mod planner;
pub mod properties;
pub mod reuse;
pub mod scan;
pub mod scan_partitions;
pub mod text;

pub use plan::{BuildSide, JoinDecision, Op, SparkPlan};

use crate::conf::SparkConf;
use crate::error::Diagnostic;
use crate::logical::plan::LogicalPlan;
use crate::scenario::Scenario;
use partitioning::Distribution;
use planner::Planner;

/// The physical plan of one query and the decisions behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhysicalPlanning {
    /// Spark's `executedPlan` before the action runs: rooted at `AdaptiveSparkPlan isFinalPlan=false`
    /// when AQE applies, else prepared with codegen stages and reused exchanges.
    pub plan: SparkPlan,
    /// Every join of the plan (subqueries included), in plan order.
    pub joins: Vec<JoinDecision>,
    /// Whether a dynamic partition pruning filter survives (it reuses a broadcast hash join's build side).
    pub dynamic_partition_pruning: bool,
    /// Whether AQE wrapped the plan.
    pub adaptive: bool,
}

/// Plans an optimized logical plan (the query's root; a write command or a collected result).
/// An unresolved `*` (a bug upstream) is refused with its position rather than planned.
pub fn plan(optimized: &LogicalPlan, conf: &SparkConf, scenario: &Scenario) -> Result<PhysicalPlanning, Diagnostic> {
    if let Some(span) = unresolved_star(optimized) {
        return Err(Diagnostic::planning("an unresolved `*` reached physical planning", span));
    }
    let dp = scenario.cluster.default_parallelism();
    let mut planner = Planner::new(conf, dp, optimized);
    let spark_plan = planner.plan_root(optimized);
    let (spark_plan, dpp) = planner.plan_dpp(spark_plan);
    // V2 writes (the noop sink) keep AQE below the write node; V1 writes are wrapped whole.
    let (executed, adaptive) = if matches!(spark_plan.op, Op::OverwriteByExpression) {
        let SparkPlan { op, children, subqueries, stats } = spark_plan;
        let mut adaptive = false;
        let children = children
            .into_iter()
            .map(|c| {
                let (p, a) = prepare(&mut planner, c, conf);
                adaptive |= a;
                p
            })
            .collect();
        (SparkPlan { op, children, subqueries, stats }, adaptive)
    } else {
        prepare(&mut planner, spark_plan, conf)
    };
    let joins = collect_joins(&executed);
    Ok(PhysicalPlanning { plan: executed, joins, dynamic_partition_pruning: dpp, adaptive })
}

fn unresolved_star(p: &LogicalPlan) -> Option<crate::error::Span> {
    let mut found = None;
    p.walk(&mut |n| {
        for e in n.expressions() {
            e.walk(&mut |x| {
                if let crate::logical::expr::Expr::Star { span, .. } = x {
                    found.get_or_insert(*span);
                }
            });
        }
    });
    found
}

/// AQE's initial plan when it applies, else the static preparations.
fn prepare(planner: &mut Planner<'_>, spark_plan: SparkPlan, conf: &SparkConf) -> (SparkPlan, bool) {
    if conf.aqe_enabled() && should_apply_aqe(&spark_plan) {
        let inner = planner.prepare_adaptive_inner(spark_plan);
        let stats = inner.stats.clone();
        (SparkPlan::unary(Op::AdaptiveSparkPlan { is_final: false }, inner).with_stats(stats), true)
    } else {
        (planner.prepare_static(spark_plan, true), false)
    }
}

/// `InsertAdaptiveSparkPlan.shouldApplyAQE`: the plan has an exchange, an operator requiring a
/// distribution of its children, or a subquery.
pub fn should_apply_aqe(plan: &SparkPlan) -> bool {
    plan.any(&|p| {
        matches!(p.op, Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. })
            || !p.subqueries.is_empty()
            || matches!(&p.op, Op::FileSourceScan(s) if !s.dpp_ids.is_empty())
            || properties::required_child_distribution(p).iter().any(|d| *d != Distribution::Unspecified)
    })
}

/// Join decisions of the plan, pre-order, including subqueries (not cached plans: they ran before).
pub fn collect_joins(plan: &SparkPlan) -> Vec<JoinDecision> {
    let mut out = vec![];
    plan.walk_with_subqueries(&mut |p| {
        if let Some(d) = p.join_decision() {
            out.push(d.clone());
        }
    });
    out
}

#[cfg(test)]
mod tests;
