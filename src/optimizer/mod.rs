//! The logical optimizer: Catalyst's rule batches (Spark 3.5 `Optimizer.defaultBatches` plus
//! `SparkOptimizer`'s), one rule per file, run by one driver that owns fixpoint iteration and records
//! the plan after every rule that changed it (the UI's rule stepper and EXPLAIN's "after rule" view).
//!
//! Rules rewrite whole plans (Catalyst rules choose their own traversal: `transformDown` for pushdown,
//! `transformUp` for collapsing), returning `None` when they change nothing; the driver re-checks
//! equality so a rule that rebuilds an identical tree leaves no step. Every rule's `name()` is Spark's
//! short class name (`PushDownPredicates`), so traces read like Spark's `PlanChangeLogger`.
//!
//! Knows logical plans, confs and statistics (for DPP's benefit test); knows nothing of physical
//! planning, of the SQL text, or of the UI.

use crate::conf::SparkConf;
use crate::logical::expr::IdGen;
use crate::logical::plan::LogicalPlan;

pub mod constraints;
pub mod eval;
pub mod expr_util;
pub mod plan_util;
pub mod rule_diff;

mod boolean_simplification;
mod cleanup_dynamic_pruning_filters;
mod collapse_project;
mod collapse_repartition;
mod column_pruning;
mod combine_filters;
mod combine_unions;
mod constant_folding;
mod eliminate_limits;
mod eliminate_outer_join;
mod eliminate_resolved_hint;
mod eliminate_sorts;
mod eliminate_subquery_aliases;
mod eliminate_view;
mod infer_filters_from_constraints;
mod infer_filters_from_generate;
mod infer_window_group_limit;
mod inline_cte;
mod like_simplification;
mod limit_push_down;
mod limit_push_down_through_window;
mod null_propagation;
mod optimize_in;
mod optimize_limit_zero;
mod optimize_subqueries;
mod partition_pruning;
pub(crate) mod propagate_empty_relation;
mod prune_file_source_partitions;
mod prune_filters;
mod pull_out_grouping_expressions;
mod pullup_correlated_predicates;
mod push_down_predicates;
mod push_extra_predicate_through_join;
mod push_predicate_through_join;
mod push_predicate_through_non_join;
mod push_projection_through_union;
mod remove_literal_from_group_expressions;
mod remove_noop_operators;
mod remove_redundant_aggregates;
mod remove_redundant_aliases;
mod remove_repetition_from_group_expressions;
mod reorder_join;
mod replace_deduplicate_with_aggregate;
mod replace_distinct_with_aggregate;
mod replace_except_with_anti_join;
mod replace_intersect_with_semi_join;
mod rewrite_correlated_scalar_subquery;
mod rewrite_distinct_aggregates;
mod rewrite_except_all;
mod rewrite_intersect_all;
mod rewrite_non_correlated_exists;
mod rewrite_predicate_subquery;
mod simplify_casts;

#[cfg(test)]
mod test_util;

pub use boolean_simplification::BooleanSimplification;
pub use cleanup_dynamic_pruning_filters::CleanupDynamicPruningFilters;
pub use collapse_project::CollapseProject;
pub use collapse_repartition::CollapseRepartition;
pub use column_pruning::ColumnPruning;
pub use combine_filters::CombineFilters;
pub use combine_unions::CombineUnions;
pub use constant_folding::ConstantFolding;
pub use eliminate_limits::EliminateLimits;
pub use eliminate_outer_join::EliminateOuterJoin;
pub use eliminate_resolved_hint::EliminateResolvedHint;
pub use eliminate_sorts::EliminateSorts;
pub use eliminate_subquery_aliases::EliminateSubqueryAliases;
pub use eliminate_view::EliminateView;
pub use infer_filters_from_constraints::InferFiltersFromConstraints;
pub use infer_filters_from_generate::InferFiltersFromGenerate;
pub use infer_window_group_limit::InferWindowGroupLimit;
pub use inline_cte::InlineCTE;
pub use like_simplification::LikeSimplification;
pub use limit_push_down::LimitPushDown;
pub use limit_push_down_through_window::LimitPushDownThroughWindow;
pub use null_propagation::NullPropagation;
pub use optimize_in::OptimizeIn;
pub use optimize_limit_zero::OptimizeLimitZero;
pub use optimize_subqueries::OptimizeSubqueries;
pub use partition_pruning::{only_in_broadcast, pruning_has_benefit, PartitionPruning};
pub use propagate_empty_relation::PropagateEmptyRelation;
pub use prune_file_source_partitions::PruneFileSourcePartitions;
pub use prune_filters::PruneFilters;
pub use pull_out_grouping_expressions::PullOutGroupingExpressions;
pub use pullup_correlated_predicates::PullupCorrelatedPredicates;
pub use push_down_predicates::PushDownPredicates;
pub use push_extra_predicate_through_join::PushExtraPredicateThroughJoin;
pub use push_predicate_through_join::PushPredicateThroughJoin;
pub use push_predicate_through_non_join::PushPredicateThroughNonJoin;
pub use push_projection_through_union::PushProjectionThroughUnion;
pub use remove_literal_from_group_expressions::RemoveLiteralFromGroupExpressions;
pub use remove_noop_operators::RemoveNoopOperators;
pub use remove_redundant_aggregates::RemoveRedundantAggregates;
pub use remove_redundant_aliases::RemoveRedundantAliases;
pub use remove_repetition_from_group_expressions::RemoveRepetitionFromGroupExpressions;
pub use reorder_join::ReorderJoin;
pub use replace_deduplicate_with_aggregate::ReplaceDeduplicateWithAggregate;
pub use replace_distinct_with_aggregate::ReplaceDistinctWithAggregate;
pub use replace_except_with_anti_join::ReplaceExceptWithAntiJoin;
pub use replace_intersect_with_semi_join::ReplaceIntersectWithSemiJoin;
pub use rewrite_correlated_scalar_subquery::RewriteCorrelatedScalarSubquery;
pub use rewrite_distinct_aggregates::RewriteDistinctAggregates;
pub use rewrite_except_all::RewriteExceptAll;
pub use rewrite_intersect_all::RewriteIntersectAll;
pub use rewrite_non_correlated_exists::RewriteNonCorrelatedExists;
pub use rewrite_predicate_subquery::RewritePredicateSubquery;
pub use simplify_casts::SimplifyCasts;

/// One optimizer rule. `apply` returns `None` when the plan is unchanged.
pub trait OptimizerRule: Sync {
    /// Spark's short class name of the rule (`PushDownPredicates`).
    fn name(&self) -> &'static str;
    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan>;
}

/// What rules may read and draw on: the session's confs and the expression-id generator (new aliases,
/// re-instanced CTE references and DPP subqueries need fresh ids).
pub struct OptimizerContext<'a> {
    pub conf: &'a SparkConf,
    pub ids: &'a mut IdGen,
}

/// Catalyst's batch strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Once,
    /// Run the rules in order until a whole pass changes nothing, at most this many passes.
    FixedPoint(usize),
}

pub struct Batch {
    pub name: &'static str,
    pub strategy: Strategy,
    pub rules: Vec<&'static dyn OptimizerRule>,
}

/// The plan after one rule that changed it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleStep {
    pub batch: &'static str,
    pub rule: &'static str,
    /// The whole plan after the rule, as `Display` prints it.
    pub plan_after: String,
}

/// `spark.sql.optimizer.maxIterations`.
pub const MAX_ITERATIONS: usize = 100;

/// Catalyst's operator-optimization rule set, run before and after "Infer Filters" (Spark 3.5's order;
/// rules Stagecraft does not model are left out, the order of the rest kept).
fn operator_optimization_rules() -> Vec<&'static dyn OptimizerRule> {
    vec![
        // Operator push down.
        &PushProjectionThroughUnion,
        &ReorderJoin,
        &EliminateOuterJoin,
        &PushDownPredicates,
        &LimitPushDown,
        &LimitPushDownThroughWindow,
        &ColumnPruning,
        // Operator combine.
        &CollapseRepartition,
        &CollapseProject,
        &CombineFilters,
        &EliminateLimits,
        &CombineUnions,
        // Constant folding and strength reduction.
        &NullPropagation,
        &OptimizeIn,
        &ConstantFolding,
        &LikeSimplification,
        &BooleanSimplification,
        &PruneFilters,
        &SimplifyCasts,
        &RewriteCorrelatedScalarSubquery,
        &RemoveRedundantAliases,
        &RemoveRedundantAggregates,
        &RemoveNoopOperators,
    ]
}

/// The batches, in the order Spark 3.5 runs them. Each line says why the batch sits where it does.
pub fn batches() -> Vec<Batch> {
    use Strategy::*;
    let fixed = FixedPoint(MAX_ITERATIONS);
    let b = |name: &'static str, strategy: Strategy, rules: Vec<&'static dyn OptimizerRule>| Batch { name, strategy, rules };
    vec![
        // Spark inlines CTEs right after "Finish Analysis"; our CteRef carries its plan outside the tree,
        // so it is inlined first: every later rule (hint and alias elimination included) then sees it.
        b("Inline CTE", Once, vec![&InlineCTE]),
        // Analysis leftovers: hints move into joins before aliases vanish (both look through unary nodes);
        // non-correlated EXISTS becomes a scalar subquery before subqueries are optimized; computed
        // grouping keys get their own column.
        b(
            "Finish Analysis",
            Once,
            vec![&EliminateResolvedHint, &EliminateSubqueryAliases, &EliminateView, &RewriteNonCorrelatedExists, &PullOutGroupingExpressions],
        ),
        // Flatten unions early so the heavy batches see one Union node.
        b("Union", Once, vec![&RemoveNoopOperators, &CombineUnions]),
        // LIMIT 0 becomes an empty relation before anything is pushed around it.
        b("OptimizeLimitZero", Once, vec![&OptimizeLimitZero]),
        // Empty relations propagate early so that dead branches skip the heavy rules.
        b("LocalRelation early", fixed, vec![&PropagateEmptyRelation]),
        // Correlated predicates leave subquery plans before those plans are optimized on their own.
        b("Pullup Correlated Expressions", Once, vec![&PullupCorrelatedPredicates]),
        // Runs the whole optimizer on every subquery plan (Spark's FixedPoint(1)).
        b("Subquery", FixedPoint(1), vec![&OptimizeSubqueries]),
        // Set operators and DISTINCT become joins and aggregates that the operator rules understand.
        b(
            "Replace Operators",
            fixed,
            vec![
                &RewriteExceptAll,
                &RewriteIntersectAll,
                &ReplaceIntersectWithSemiJoin,
                &ReplaceExceptWithAntiJoin,
                &ReplaceDistinctWithAggregate,
                &ReplaceDeduplicateWithAggregate,
            ],
        ),
        b("Aggregate", fixed, vec![&RemoveLiteralFromGroupExpressions, &RemoveRepetitionFromGroupExpressions]),
        // Pushdown, pruning, folding to a fixpoint; filters must sit low before constraints are read.
        b("Operator Optimization before Inferring Filters", fixed, operator_optimization_rules()),
        // Once: isnotnull(...) from join keys and null-intolerant predicates.
        b("Infer Filters", Once, vec![&InferFiltersFromGenerate, &InferFiltersFromConstraints]),
        // Push the inferred filters down and merge them with the existing ones.
        b("Operator Optimization after Inferring Filters", fixed, operator_optimization_rules()),
        // Parts of cross-side disjunctions (TPC-H Q7, Q19) become filters on each side.
        b("Push extra predicate through join", fixed, vec![&PushExtraPredicateThroughJoin, &PushDownPredicates]),
        // PruneFileSourcePartitions: static partition pruning shrinks relation statistics; every later
        // statistics-based decision (DPP's benefit, the physical join choice) sees pruned sizes.
        b("Early Filter and Projection Push-Down", Once, vec![&PruneFileSourcePartitions]),
        b("Eliminate Sorts", Once, vec![&EliminateSorts]),
        // After operator optimization, so the Expand sees pruned children.
        b("Distinct Aggregate Rewrite", Once, vec![&RewriteDistinctAggregates]),
        b("LocalRelation", fixed, vec![&PropagateEmptyRelation]),
        // IN / EXISTS become semi/anti joins only now: inferred filters never cross into the subquery's
        // side, exactly as in Spark (no isnotnull on the semi join's keys).
        b(
            "RewriteSubquery",
            Once,
            vec![
                &RewritePredicateSubquery,
                &PushPredicateThroughJoin,
                &LimitPushDown,
                &ColumnPruning,
                &CollapseProject,
                &RemoveRedundantAliases,
                &RemoveNoopOperators,
            ],
        ),
        // SparkOptimizer: dynamic partition pruning on the final join shapes.
        b("PartitionPruning", Once, vec![&PartitionPruning]),
        b("Pushdown Filters from PartitionPruning", fixed, vec![&PushDownPredicates]),
        b(
            "Cleanup filters that cannot be pushed down",
            Once,
            vec![&CleanupDynamicPruningFilters, &BooleanSimplification, &PruneFilters],
        ),
        // Last: the top-N-per-group pattern, on a plan whose filters are final.
        b("Infer window group limit", Once, vec![&InferWindowGroupLimit, &LimitPushDown, &LimitPushDownThroughWindow, &EliminateLimits, &ConstantFolding]),
    ]
}

/// Runs every batch on `plan`; returns the optimized plan and the plan after each rule that changed it.
pub fn optimize(plan: &LogicalPlan, ctx: &mut OptimizerContext) -> (LogicalPlan, Vec<RuleStep>) {
    run_batches(&batches(), plan, ctx, true)
}

/// Optimizes without recording steps (subquery plans).
pub fn optimize_quietly(plan: &LogicalPlan, ctx: &mut OptimizerContext) -> LogicalPlan {
    run_batches(&batches(), plan, ctx, false).0
}

/// Structural inequality, except that a NaN literal equals itself (else a plan holding one would never
/// reach its fixpoint): plans that differ only there print the same.
fn changed_plan(a: &LogicalPlan, b: &LogicalPlan) -> bool {
    a != b && (!has_nan(a) || a.to_string() != b.to_string())
}

fn has_nan(p: &LogicalPlan) -> bool {
    p.any_node(&|n| {
        n.expressions().iter().any(|e| e.any(&|x| matches!(x, crate::logical::expr::Expr::Lit(crate::logical::expr::LitValue::Double(d), _) if d.is_nan())))
    })
}

/// Runs the given batches (tests use a subset); `record` keeps the per-rule plans.
pub fn run_batches(
    batches: &[Batch],
    plan: &LogicalPlan,
    ctx: &mut OptimizerContext,
    record: bool,
) -> (LogicalPlan, Vec<RuleStep>) {
    let mut current = plan.clone();
    let mut steps = vec![];
    for batch in batches {
        let passes = match batch.strategy {
            Strategy::Once => 1,
            Strategy::FixedPoint(n) => n.max(1),
        };
        for _ in 0..passes {
            let mut changed = false;
            for rule in &batch.rules {
                if let Some(next) = rule.apply(&current, ctx) {
                    if changed_plan(&current, &next) {
                        current = next;
                        changed = true;
                        if record {
                            steps.push(RuleStep { batch: batch.name, rule: rule.name(), plan_after: current.to_string() });
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }
    (current, steps)
}

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;
    use crate::logical::expr::Expr;
    use crate::logical::plan::JoinType;

    #[test]
    fn trace_records_each_changing_rule_and_ends_at_the_result() {
        let a = relation("a", &["x", "v"], 1);
        let b = relation("b", &["y", "w"], 3);
        let j = join(a.clone(), b.clone(), JoinType::Inner, Some(eq(col(&a, "x"), col(&b, "y"))));
        let plan = project(vec![col(&a, "v")], filter(gt(col(&b, "w"), Expr::lit_int(1)), j));
        let conf = SparkConf::default();
        let mut ids = IdGen::starting_at(100);
        let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
        let (out, steps) = optimize(&plan, &mut ctx);
        assert!(!steps.is_empty());
        assert_eq!(steps.last().map(|s| s.plan_after.clone()), Some(out.to_string()));
        let rules: Vec<&str> = steps.iter().map(|s| s.rule).collect();
        assert!(rules.contains(&"PushDownPredicates") && rules.contains(&"ColumnPruning"), "{rules:?}");
        assert!(rules.contains(&"InferFiltersFromConstraints"), "{rules:?}");
        assert!(steps.iter().all(|s| batches().iter().any(|b| b.name == s.batch && b.rules.iter().any(|r| r.name() == s.rule))));
        // Optimizing the result again changes nothing (every batch reached its fixpoint).
        let mut ids2 = IdGen::starting_at(500);
        let mut ctx2 = OptimizerContext { conf: &conf, ids: &mut ids2 };
        let (again, _) = optimize(&out, &mut ctx2);
        assert_eq!(again, out);
    }

    #[test]
    fn rule_names_are_unique_per_batch_and_batches_are_named() {
        for b in batches() {
            assert!(!b.name.is_empty() && !b.rules.is_empty());
            let mut names: Vec<&str> = b.rules.iter().map(|r| r.name()).collect();
            crate::sort::sort(&mut names);
            let n = names.len();
            names.dedup();
            assert_eq!(n, names.len(), "duplicate rule in batch {}", b.name);
        }
    }

    #[test]
    fn a_nan_literal_does_not_defeat_the_fixpoint() {
        use crate::logical::expr::{BinOp, LitValue};
        use crate::logical::types::DataType;
        let t = relation("t", &["a"], 1);
        let nan = Expr::Lit(LitValue::Double(f64::NAN), DataType::Double);
        let plan = filter(Expr::binary(BinOp::Gt, Expr::Cast { child: Box::new(col(&t, "a")), to: DataType::Double }, nan), t);
        let conf = SparkConf::default();
        let mut ids = IdGen::starting_at(100);
        let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
        let (_, steps) = optimize(&plan, &mut ctx);
        assert!(steps.len() < 10, "{} steps", steps.len());
    }

    #[test]
    fn plans_without_anything_to_do_stay_put() {
        let t = relation("t", &["a"], 1);
        let conf = SparkConf::default();
        let mut ids = IdGen::starting_at(100);
        let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
        let (out, steps) = optimize(&t, &mut ctx);
        assert_eq!(out, t);
        assert!(steps.is_empty());
    }
}
