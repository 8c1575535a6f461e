//! Spark's `SparkPlanner` strategies: an optimized `LogicalPlan` becomes a `SparkPlan` before
//! preparation. In Spark's order: FileSourceStrategy / InMemoryScans (scans with pruned columns and
//! pushed filters), SpecialLimits (`CollectLimit`, `TakeOrderedAndProject` under `ReturnAnswer`),
//! Aggregation, Window, WindowGroupLimit, JoinSelection, BasicOperators (project, filter, sort, limits,
//! union, expand, generate, repartitions, writes). Scalar subqueries and cached relations are planned
//! and prepared as separate queries; dynamic partition pruning subqueries are planned once the main
//! plan exists (`plan_dpp`). Knows logical → physical mapping; exchanges and codegen come later.

use super::aggregate::plan_aggregate;
use super::codegen::{collapse_codegen_stages, insert_columnar_transitions};
use super::ensure_requirements::{ensure_requirements, remove_redundant_projects, remove_redundant_sorts, ExchangeIds};
use super::join_selection::{select_join, JoinChoice, JoinInput};
use super::partitioning::{ordering_satisfies, Partitioning, ShuffleOrigin};
use super::plan::{HashJoinExec, NestedLoopJoinExec, Op, SortMergeJoinExec, SparkPlan, WindowGroupLimitMode};
use super::properties::output_ordering;
use super::reuse::reuse_exchanges;
use super::scan::{plan_scan, ScanChain};
use crate::conf::SparkConf;
use crate::logical::display::logical_line;
use crate::logical::expr::{AggFunc, AggMode, Attribute, BinOp, Expr, ExprId, IdGen, SortOrder};
use crate::logical::plan::{JoinHint, JoinType, LogicalPlan, Relation};
use crate::logical::stats::stats;
use std::collections::BTreeMap;

pub struct Planner<'a> {
    pub conf: &'a SparkConf,
    pub default_parallelism: u32,
    /// Fresh expression ids (aggregation buffers), above every id of the input plan.
    pub ids: IdGen,
    /// Next `plan_id` / subquery id.
    pub next_plan_id: u32,
    /// The whole optimized plan (DPP looks up its joins).
    pub root: &'a LogicalPlan,
    /// AQE is enabled (subqueries are planned adaptively).
    pub aqe: bool,
    cached: BTreeMap<u32, SparkPlan>,
}

impl<'a> Planner<'a> {
    pub fn new(conf: &'a SparkConf, default_parallelism: u32, root: &'a LogicalPlan) -> Planner<'a> {
        Planner {
            conf,
            default_parallelism,
            ids: IdGen::starting_at(max_expr_id(root) + 1),
            next_plan_id: 1,
            root,
            aqe: conf.aqe_enabled(),
            cached: BTreeMap::new(),
        }
    }

    pub(crate) fn plan_id(&mut self) -> u32 {
        let id = self.next_plan_id;
        self.next_plan_id += 1;
        id
    }

    /// Plans a query's root as Spark plans `ReturnAnswer(root)` (or a write command).
    pub fn plan_root(&mut self, p: &LogicalPlan) -> SparkPlan {
        let p = strip_transparent(p);
        match p {
            LogicalPlan::Write { .. } | LogicalPlan::WriteNoop { .. } => return self.plan(p),
            _ => {}
        }
        if let Some(t) = self.take_ordered(p) {
            return t;
        }
        if let Some((n, child)) = limit_of(p) {
            let c = self.plan(child);
            return SparkPlan::unary(Op::CollectLimit { limit: n }, c).with_stats(Some(stats(p)));
        }
        self.plan(p)
    }

    /// `planTakeOrdered`: `LIMIT n` over a global sort (optionally under a projection).
    fn take_ordered(&mut self, p: &LogicalPlan) -> Option<SparkPlan> {
        let (n, child) = limit_of(p)?;
        if n >= self.conf.get_i64("spark.sql.execution.topKSortFallbackThreshold") {
            return None;
        }
        let (project, order, input) = match strip_transparent(child) {
            LogicalPlan::Sort { order, global: true, child } => {
                (child.output().into_iter().map(|a| a.to_expr()).collect::<Vec<_>>(), order, child)
            }
            LogicalPlan::Project { exprs, child } => match strip_transparent(child) {
                LogicalPlan::Sort { order, global: true, child } => (exprs.clone(), order, child),
                _ => return None,
            },
            _ => return None,
        };
        let c = self.plan(input);
        let mut node = SparkPlan::unary(Op::TakeOrderedAndProject { limit: n, order: order.clone(), project: project.clone() }, c)
            .with_stats(Some(stats(p)));
        node.subqueries = self.plan_subqueries(project.iter().chain(order.iter().map(|o| &o.expr)));
        Some(node)
    }

    /// Plans any logical node (not a query root).
    pub fn plan(&mut self, p: &LogicalPlan) -> SparkPlan {
        use LogicalPlan as L;
        if let Some(s) = self.try_scan(p) {
            return s;
        }
        if let Some(t) = self.take_ordered(p) {
            return t;
        }
        let st = Some(stats(p));
        let node = match p {
            L::Relation(r) => {
                // Reached only through try_scan; kept for completeness.
                return self.scan_relation(None, vec![], r, p, None);
            }
            L::LocalRelation { output, rows } if output.is_empty() && *rows == 1 => SparkPlan::leaf(Op::OneRowRelation),
            L::LocalRelation { output, rows } => SparkPlan::leaf(Op::LocalTableScan { output: output.clone(), rows: *rows }),
            L::Range { start, end, step, splits, output } => SparkPlan::leaf(Op::Range {
                start: *start,
                end: *end,
                step: *step,
                splits: splits.unwrap_or(self.default_parallelism),
                output: output.clone(),
            }),
            L::Project { exprs, child } => {
                let mut c = self.plan(child);
                prune_generate(&mut c, exprs.iter());
                // ColumnPruning + RemoveNoopOperators: a projection of exactly what the pruned
                // Generate outputs goes (the logical Generate cannot record its unrequired columns).
                if matches!(c.op, Op::Generate { .. }) && same_attributes(exprs, &c.output()) {
                    return c.with_stats(st);
                }
                let mut n = SparkPlan::unary(Op::Project { exprs: exprs.clone() }, c);
                n.subqueries = self.plan_subqueries(exprs.iter());
                n
            }
            L::Filter { cond, child } => {
                let c = self.plan(child);
                let mut n = SparkPlan::unary(Op::Filter { cond: cond.clone() }, c);
                n.subqueries = self.plan_subqueries(std::iter::once(cond));
                n
            }
            L::Join { left, right, join_type, cond, hint, null_aware } => {
                return self.plan_join(p, left, right, *join_type, cond.as_ref(), hint, *null_aware);
            }
            L::Aggregate { group, aggs, child } => {
                let mut c = self.plan(child);
                prune_generate(&mut c, group.iter().chain(aggs.iter()));
                return plan_aggregate(group, aggs, c, st, &mut self.ids);
            }
            L::Distinct { child } => {
                let out: Vec<Expr> = child.output().into_iter().map(|a| a.to_expr()).collect();
                let c = self.plan(child);
                return plan_aggregate(&out, &out, c, st, &mut self.ids);
            }
            L::Deduplicate { keys, child } => {
                let group: Vec<Expr> = keys.iter().map(|a| a.to_expr()).collect();
                let aggs: Vec<Expr> = child
                    .output()
                    .into_iter()
                    .map(|a| {
                        if keys.iter().any(|k| k.id == a.id) {
                            a.to_expr()
                        } else {
                            Expr::Agg { func: AggFunc::First, args: vec![a.to_expr()], distinct: false, mode: AggMode::Complete, filter: None }
                                .alias(&a.name, a.id)
                        }
                    })
                    .collect();
                let c = self.plan(child);
                return plan_aggregate(&group, &aggs, c, st, &mut self.ids);
            }
            L::Sort { order, global, child } => {
                let c = self.plan(child);
                let mut n = SparkPlan::unary(Op::Sort { order: order.clone(), global: *global }, c);
                n.subqueries = self.plan_subqueries(order.iter().map(|o| &o.expr));
                n
            }
            L::GlobalLimit { n, child } => SparkPlan::unary(Op::GlobalLimit { limit: *n }, self.plan(child)),
            L::LocalLimit { n, child } => SparkPlan::unary(Op::LocalLimit { limit: *n }, self.plan(child)),
            L::Union { children, .. } => {
                let cs = children.iter().map(|c| self.plan(c)).collect();
                SparkPlan::new(Op::Union, cs)
            }
            L::Intersect { left, right, .. } | L::Except { left, right, .. } => {
                // ReplaceIntersectWithSemiJoin / ReplaceExceptWithAntiJoin, when the optimizer left them.
                let jt = if matches!(p, L::Intersect { .. }) { JoinType::LeftSemi } else { JoinType::LeftAnti };
                let conds: Vec<Expr> = left
                    .output()
                    .iter()
                    .zip(right.output().iter())
                    .map(|(l, r)| Expr::binary(BinOp::NullSafeEq, l.to_expr(), r.to_expr()))
                    .collect();
                let join = L::Join {
                    left: left.clone(),
                    right: right.clone(),
                    join_type: jt,
                    cond: crate::logical::expr::conjoin(conds),
                    hint: JoinHint::default(),
                    null_aware: false,
                };
                return self.plan(&L::Distinct { child: Box::new(join) });
            }
            L::Window { window_exprs, partition_by, order_by, child } => {
                let c = self.plan(child);
                SparkPlan::unary(
                    Op::Window { window_exprs: window_exprs.clone(), partition_by: partition_by.clone(), order_by: order_by.clone() },
                    c,
                )
            }
            L::WindowGroupLimit { partition_by, order_by, rank_fn, limit, child } => {
                let c = self.plan(child);
                let mk = |mode| Op::WindowGroupLimit {
                    partition_by: partition_by.clone(),
                    order_by: order_by.clone(),
                    rank_fn: rank_fn.clone(),
                    limit: *limit,
                    mode,
                };
                let partial = SparkPlan::unary(mk(WindowGroupLimitMode::Partial), c).with_stats(st.clone());
                SparkPlan::unary(mk(WindowGroupLimitMode::Final), partial)
            }
            L::Generate { generator, unrequired_child_index, outer, generator_output, child, .. } => {
                let c = self.plan(child);
                let required: Vec<Attribute> = child
                    .output()
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !unrequired_child_index.contains(i))
                    .map(|(_, a)| a)
                    .collect();
                SparkPlan::unary(
                    Op::Generate {
                        generator: generator.clone(),
                        required_child_output: required,
                        outer: *outer,
                        generator_output: generator_output.clone(),
                    },
                    c,
                )
            }
            L::Expand { projections, output, child } => {
                let c = self.plan(child);
                SparkPlan::unary(Op::Expand { projections: projections.clone(), output: output.clone() }, c)
            }
            L::Repartition { num, shuffle, child } => {
                let c = self.plan(child);
                if *shuffle {
                    let id = self.plan_id();
                    SparkPlan::unary(
                        Op::ShuffleExchange { partitioning: Partitioning::RoundRobin(*num), origin: ShuffleOrigin::RepartitionByNum, plan_id: id },
                        c,
                    )
                } else {
                    SparkPlan::unary(Op::Coalesce { n: *num }, c)
                }
            }
            L::RepartitionByExpression { exprs, range, num, child } => {
                let c = self.plan(child);
                let n = num.unwrap_or_else(|| super::ensure_requirements::num_shuffle_partitions(self.conf));
                let partitioning = if !range.is_empty() {
                    Partitioning::Range { orders: range.clone(), n }
                } else if exprs.is_empty() {
                    Partitioning::RoundRobin(n)
                } else {
                    Partitioning::Hash { exprs: exprs.clone(), n }
                };
                let origin = if exprs.is_empty() && range.is_empty() && num.is_none() {
                    ShuffleOrigin::RebalancePartitionsByNone
                } else if num.is_none() {
                    ShuffleOrigin::RepartitionByCol
                } else {
                    ShuffleOrigin::RepartitionByNum
                };
                let id = self.plan_id();
                SparkPlan::unary(Op::ShuffleExchange { partitioning, origin, plan_id: id }, c)
            }
            L::RebalancePartitions { exprs, child } => {
                let c = self.plan(child);
                let n = super::ensure_requirements::num_shuffle_partitions(self.conf);
                let (partitioning, origin) = if exprs.is_empty() {
                    (Partitioning::RoundRobin(n), ShuffleOrigin::RebalancePartitionsByNone)
                } else {
                    (Partitioning::Hash { exprs: exprs.clone(), n }, ShuffleOrigin::RebalancePartitionsByCol)
                };
                let id = self.plan_id();
                SparkPlan::unary(Op::ShuffleExchange { partitioning, origin, plan_id: id }, c)
            }
            L::SubqueryAlias { child, .. } | L::View { child, .. } | L::ResolvedHint { child, .. } => return self.plan(child),
            L::CteRef { plan, .. } => return self.plan(plan),
            L::InMemoryRelation { .. } => {
                // Reached only through try_scan.
                return self.try_scan(p).unwrap_or_else(|| SparkPlan::leaf(Op::LocalTableScan { output: p.output(), rows: 0 }));
            }
            L::EvalPython { udfs, results, arrow, child } => {
                let c = self.plan(child);
                SparkPlan::unary(Op::EvalPython { udfs: udfs.clone(), results: results.clone(), arrow: *arrow }, c)
            }
            L::MapPartitions { func, output, child } => {
                let c = self.plan(child);
                SparkPlan::unary(Op::MapPartitions { func: func.clone(), output: output.clone() }, c)
            }
            L::Write { spec, child } => {
                let mut c = self.plan(child);
                // Planned writes (V1Writes): dynamic partition columns must arrive sorted.
                if !spec.partition_by.is_empty() {
                    let out = c.output();
                    let req: Vec<SortOrder> = spec
                        .partition_by
                        .iter()
                        .filter_map(|name| out.iter().find(|a| a.name.eq_ignore_ascii_case(name)))
                        .map(|a| SortOrder::asc(a.to_expr()))
                        .collect();
                    if !req.is_empty() && !ordering_satisfies(&output_ordering(&c), &req) {
                        c = SparkPlan::unary(Op::Sort { order: req, global: false }, c);
                    }
                }
                let write_files = SparkPlan::unary(Op::WriteFiles, c);
                let command = logical_line(p);
                SparkPlan::unary(Op::DataWritingCommand { command, partition_by: spec.partition_by.clone() }, write_files)
            }
            L::WriteNoop { child } => {
                let c = self.plan_root(child);
                SparkPlan::unary(Op::OverwriteByExpression, c)
            }
        };
        node.with_stats(st)
    }

    /// FileSourceStrategy / InMemoryScans: `Project? Filter* Project(attributes)? (Relation | InMemoryRelation)`.
    fn try_scan(&mut self, p: &LogicalPlan) -> Option<SparkPlan> {
        let mut cur = p;
        let mut projects: Option<Vec<Expr>> = None;
        if let LogicalPlan::Project { exprs, child } = cur {
            projects = Some(exprs.clone());
            cur = child;
        }
        let mut filters_top_down: Vec<(&Expr, &LogicalPlan)> = vec![];
        while let LogicalPlan::Filter { cond, child } = cur {
            filters_top_down.push((cond, cur));
            cur = child;
        }
        if let LogicalPlan::Project { exprs, child } = cur {
            let below_is_source = matches!(**child, LogicalPlan::Relation(_) | LogicalPlan::InMemoryRelation { .. });
            if below_is_source && exprs.iter().all(|e| matches!(e, Expr::Attr(_))) {
                if projects.is_none() {
                    projects = Some(exprs.clone());
                }
                cur = child;
            }
        }
        let filter_node = filters_top_down.first().map(|(_, n)| *n);
        let mut filters: Vec<Expr> = vec![];
        for (cond, _) in filters_top_down.iter().rev() {
            filters.extend(crate::logical::expr::split_conjuncts(cond));
        }
        match cur {
            LogicalPlan::Relation(r) => Some(self.scan_relation(projects, filters, r, p, filter_node)),
            LogicalPlan::InMemoryRelation { output, cached, level, cache_id } => {
                let cached_plan = self.cached_plan(*cache_id, cached);
                let project_list: Vec<Expr> = projects.unwrap_or_else(|| output.iter().map(|a| a.to_expr()).collect());
                let mut project_refs: Vec<Attribute> = vec![];
                for e in &project_list {
                    for a in e.references() {
                        if !project_refs.iter().any(|x| x.id == a.id) {
                            project_refs.push(a);
                        }
                    }
                }
                let mut filter_refs: Vec<Attribute> = vec![];
                for f in &filters {
                    for a in f.references() {
                        if !filter_refs.iter().any(|x| x.id == a.id) {
                            filter_refs.push(a);
                        }
                    }
                }
                let all_attrs = project_list.iter().all(|e| matches!(e, Expr::Attr(_)));
                let same_set = all_attrs
                    && project_list.len() == project_refs.len()
                    && filter_refs.iter().all(|f| project_refs.iter().any(|x| x.id == f.id));
                let scan_attrs: Vec<Attribute> = if same_set {
                    project_list.iter().filter_map(|e| e.to_attribute()).collect()
                } else {
                    let mut v = project_refs.clone();
                    for f in filter_refs {
                        if !v.iter().any(|x| x.id == f.id) {
                            v.push(f);
                        }
                    }
                    v
                };
                let rel_stats = stats(cur);
                let mut node = SparkPlan::leaf(Op::InMemoryTableScan {
                    attributes: scan_attrs,
                    predicates: filters.clone(),
                    relation_output: output.clone(),
                    level: *level,
                    cache_id: *cache_id,
                    cached: Box::new(cached_plan),
                })
                .with_stats(Some(rel_stats));
                if let Some(cond) = crate::logical::expr::conjoin(filters) {
                    let fs = filter_node.map(stats);
                    node = SparkPlan::unary(Op::Filter { cond }, node).with_stats(fs);
                }
                if !same_set {
                    node = SparkPlan::unary(Op::Project { exprs: project_list }, node);
                }
                node.stats = Some(stats(p));
                Some(node)
            }
            _ => None,
        }
    }

    fn scan_relation(
        &mut self,
        projects: Option<Vec<Expr>>,
        filters: Vec<Expr>,
        r: &Relation,
        top: &LogicalPlan,
        filter_node: Option<&LogicalPlan>,
    ) -> SparkPlan {
        let rel_plan = LogicalPlan::Relation(r.clone());
        let chain = ScanChain {
            projects,
            filters,
            relation: r,
            top_stats: stats(top),
            filter_stats: filter_node.map(stats),
            relation_stats: stats(&rel_plan),
        };
        let mut plan = plan_scan(chain, self.conf, self.default_parallelism);
        // Subqueries in the projection and the filter.
        if let Op::Project { exprs } = &plan.op {
            let exprs = exprs.clone();
            plan.subqueries = self.plan_subqueries(exprs.iter());
        }
        let mut cur = &mut plan;
        loop {
            if let Op::Filter { cond } = &cur.op {
                let cond = cond.clone();
                cur.subqueries = self.plan_subqueries(std::iter::once(&cond));
                break;
            }
            match cur.children.first_mut() {
                Some(c) => cur = c,
                None => break,
            }
        }
        plan
    }

    #[allow(clippy::too_many_arguments)]
    fn plan_join(
        &mut self,
        p: &LogicalPlan,
        left: &LogicalPlan,
        right: &LogicalPlan,
        join_type: JoinType,
        cond: Option<&Expr>,
        hint: &JoinHint,
        null_aware: bool,
    ) -> SparkPlan {
        // Hints still wrapped around the sides (when EliminateResolvedHint did not run).
        let mut hint = hint.clone();
        if hint.left.is_none() {
            hint.left = side_hint(left);
        }
        if hint.right.is_none() {
            hint.right = side_hint(right);
        }
        let input = JoinInput {
            join_type,
            condition: cond,
            hint: &hint,
            null_aware,
            left_output: left.output(),
            right_output: right.output(),
            left_size: stats(left).size_in_bytes,
            right_size: stats(right).size_in_bytes,
            left_label: side_label(left),
            right_label: side_label(right),
        };
        let sel = select_join(&input, self.conf);
        let l = self.plan(left);
        let r = self.plan(right);
        let decision = sel.decision;
        let op = match sel.choice {
            JoinChoice::BroadcastHash { left_keys, right_keys, build, condition, null_aware } => {
                Op::BroadcastHashJoin(HashJoinExec { left_keys, right_keys, join_type, build_side: build, condition, null_aware, decision })
            }
            JoinChoice::ShuffledHash { left_keys, right_keys, build, condition } => Op::ShuffledHashJoin(HashJoinExec {
                left_keys,
                right_keys,
                join_type,
                build_side: build,
                condition,
                null_aware: false,
                decision,
            }),
            JoinChoice::SortMerge { left_keys, right_keys, condition } => {
                Op::SortMergeJoin(SortMergeJoinExec { left_keys, right_keys, join_type, condition, skew: false, decision })
            }
            JoinChoice::BroadcastNestedLoop { build, condition } => {
                Op::BroadcastNestedLoopJoin(NestedLoopJoinExec { build_side: build, join_type, condition, decision })
            }
            JoinChoice::Cartesian { condition } => Op::CartesianProduct { condition, decision },
        };
        SparkPlan::new(op, vec![l, r]).with_stats(Some(stats(p)))
    }

    /// Plans and prepares every scalar subquery in the expressions (`PlanSubqueries` /
    /// `PlanAdaptiveSubqueries`).
    fn plan_subqueries<'e>(&mut self, exprs: impl Iterator<Item = &'e Expr>) -> Vec<SparkPlan> {
        let mut found: Vec<(ExprId, LogicalPlan)> = vec![];
        for e in exprs {
            e.walk(&mut |x| {
                if let Expr::ScalarSubquery(s) = x {
                    if !found.iter().any(|(id, _)| *id == s.id) {
                        found.push((s.id, (*s.plan).clone()));
                    }
                }
            });
        }
        let mut out = vec![];
        for (id, lp) in found {
            let planned = self.plan_root(&lp);
            let prepared = if self.aqe {
                let p = self.prepare_adaptive_inner(planned);
                SparkPlan::unary(Op::AdaptiveSparkPlan { is_final: false }, p)
            } else {
                self.prepare_static(planned, false)
            };
            let sid = self.plan_id();
            out.push(
                SparkPlan::unary(Op::Subquery { name: format!("scalar-subquery#{id}"), expr_id: id, id: sid }, prepared)
                    .with_stats(Some(stats(&lp))),
            );
        }
        out
    }

    /// The cached query's physical plan (planned once per cache, without AQE, as Spark 3.5 does
    /// with `spark.sql.optimizer.canChangeCachedPlanOutputPartitioning=false`).
    fn cached_plan(&mut self, cache_id: u32, cached: &LogicalPlan) -> SparkPlan {
        if let Some(p) = self.cached.get(&cache_id) {
            return p.clone();
        }
        let aqe = self.aqe;
        self.aqe = false;
        let planned = self.plan_root(cached);
        let prepared = self.prepare_static(planned, true);
        self.aqe = aqe;
        self.cached.insert(cache_id, prepared.clone());
        prepared
    }

    /// Non-adaptive preparation (`QueryExecution.preparations` without AQE).
    pub fn prepare_static(&mut self, plan: SparkPlan, reuse: bool) -> SparkPlan {
        let plan = remove_redundant_projects(plan);
        let plan = ensure_requirements(plan, self.conf, &mut ExchangeIds { next: &mut self.next_plan_id });
        let plan = remove_redundant_sorts(plan);
        let plan = insert_columnar_transitions(plan);
        let plan = if self.conf.get_bool("spark.sql.codegen.wholeStage") { collapse_codegen_stages(plan) } else { plan };
        if reuse {
            reuse_exchanges(plan, self.conf)
        } else {
            plan
        }
    }

    /// AQE's `queryStagePreparationRules` (no codegen, no columnar transitions: those come per stage).
    pub fn prepare_adaptive_inner(&mut self, plan: SparkPlan) -> SparkPlan {
        let plan = remove_redundant_projects(plan);
        let plan = ensure_requirements(plan, self.conf, &mut ExchangeIds { next: &mut self.next_plan_id });
        remove_redundant_sorts(plan)
    }
}

/// `GlobalLimit n (LocalLimit n child)` (Spark's `Limit` extractor).
fn limit_of(p: &LogicalPlan) -> Option<(i64, &LogicalPlan)> {
    if let LogicalPlan::GlobalLimit { n, child } = p {
        if let LogicalPlan::LocalLimit { n: m, child: inner } = strip_transparent(child) {
            if n == m {
                return Some((*n, inner));
            }
        }
    }
    None
}

fn strip_transparent(p: &LogicalPlan) -> &LogicalPlan {
    match p {
        LogicalPlan::SubqueryAlias { child, .. } => strip_transparent(child),
        LogicalPlan::CteRef { plan, .. } => strip_transparent(plan),
        other => other,
    }
}

fn side_hint(p: &LogicalPlan) -> Option<crate::logical::plan::JoinStrategyHint> {
    match p {
        LogicalPlan::ResolvedHint { hint, .. } => Some(*hint),
        LogicalPlan::SubqueryAlias { child, .. } => side_hint(child),
        _ => None,
    }
}

/// The tables under a join side, for explanations (`orders`, `customers ⋈ countries`).
fn side_label(p: &LogicalPlan) -> String {
    let mut names: Vec<String> = vec![];
    p.walk(&mut |n| match n {
        LogicalPlan::Relation(r) => names.push(r.table.name.clone()),
        LogicalPlan::InMemoryRelation { cache_id, .. } => names.push(format!("cache#{cache_id}")),
        LogicalPlan::LocalRelation { .. } => names.push("local rows".into()),
        LogicalPlan::Range { .. } => names.push("range".into()),
        _ => {}
    });
    if names.is_empty() {
        "(no table)".into()
    } else {
        names.join(" ⋈ ")
    }
}

/// Keeps only the child columns a `Generate`'s parent uses (`GenerateExec.requiredChildOutput`).
fn prune_generate<'e>(child: &mut SparkPlan, parent_exprs: impl Iterator<Item = &'e Expr>) {
    if let Op::Generate { required_child_output, .. } = &mut child.op {
        let mut used: Vec<ExprId> = vec![];
        for e in parent_exprs {
            used.extend(e.references().into_iter().map(|a| a.id));
        }
        required_child_output.retain(|a| used.contains(&a.id));
    }
}

/// The largest expression id anywhere in the plan, so fresh ids never collide.
pub fn max_expr_id(p: &LogicalPlan) -> ExprId {
    p.max_expr_id().min(u32::MAX - 1_000_000)
}

/// Whether a projection lists exactly these attributes, in this order.
fn same_attributes(exprs: &[Expr], attrs: &[Attribute]) -> bool {
    exprs.len() == attrs.len() && exprs.iter().zip(attrs.iter()).all(|(e, a)| matches!(e, Expr::Attr(x) if x.id == a.id))
}
