//! Spark's `EnsureRequirements` (plus the small preparation rules around it: `RemoveRedundantProjects`,
//! `RemoveRedundantSorts`). Bottom-up, each operator's children get a `ShuffleExchange` when their
//! partitioning does not satisfy the required distribution (hashpartitioning for clustered,
//! SinglePartition for all tuples, rangepartitioning for ordered, a `BroadcastExchange` for broadcast),
//! join sides are made co-partitioned (the best side's hash spec dictates the others'), then a local
//! `Sort` is added where the required ordering is not already provided. An existing partitioning that
//! satisfies the requirement is reused (an aggregate over the join key adds no exchange).
//! Knows partitioning and ordering properties; nothing of why operators were chosen.

use super::partitioning::{ordering_satisfies, Distribution, Partitioning, ShuffleOrigin, ShuffleSpec};
use super::plan::{Op, SparkPlan};
use super::properties::{output_ordering, output_partitioning, required_child_distribution, required_child_ordering};
use crate::conf::SparkConf;
use crate::logical::expr::Expr;

/// Allocates `plan_id`s for the exchanges it creates.
pub struct ExchangeIds<'a> {
    pub next: &'a mut u32,
}

impl ExchangeIds<'_> {
    pub fn take(&mut self) -> u32 {
        let id = *self.next;
        *self.next += 1;
        id
    }
}

/// `spark.sql.shuffle.partitions`, or AQE's `coalescePartitions.initialPartitionNum` when AQE coalesces.
pub fn num_shuffle_partitions(conf: &SparkConf) -> u32 {
    if conf.aqe_enabled() && conf.get_bool("spark.sql.adaptive.coalescePartitions.enabled") {
        let n = conf.get_i64("spark.sql.adaptive.coalescePartitions.initialPartitionNum");
        if n > 0 {
            return n.min(i32::MAX as i64) as u32;
        }
    }
    conf.shuffle_partitions()
}

/// Applies EnsureRequirements to the whole (main) plan.
pub fn ensure_requirements(plan: SparkPlan, conf: &SparkConf, ids: &mut ExchangeIds<'_>) -> SparkPlan {
    let n = num_shuffle_partitions(conf);
    plan.transform_up(&mut |node| {
        // A repartition by the columns the child is already hashed on is dropped.
        if let Op::ShuffleExchange { partitioning: upper @ Partitioning::Hash { .. }, origin, .. } = &node.op {
            if matches!(origin, ShuffleOrigin::RepartitionByCol | ShuffleOrigin::RepartitionByNum) {
                if let Some(child) = node.children.first() {
                    if has_equal_hash(&output_partitioning(child), upper) {
                        return node.children.into_iter().next().unwrap_or_else(|| SparkPlan::leaf(Op::Union));
                    }
                }
            }
        }
        ensure_node(node, n, conf, ids)
    })
}

fn has_equal_hash(p: &Partitioning, upper: &Partitioning) -> bool {
    match (p, upper) {
        (Partitioning::Hash { exprs: a, n: na }, Partitioning::Hash { exprs: b, n: nb }) => {
            na == nb && a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| super::partitioning::sem_eq(x, y))
        }
        (Partitioning::Collection(ps), u) => ps.iter().any(|x| has_equal_hash(x, u)),
        _ => false,
    }
}

fn ensure_node(mut node: SparkPlan, n: u32, conf: &SparkConf, ids: &mut ExchangeIds<'_>) -> SparkPlan {
    if node.children.is_empty() {
        return node;
    }
    let mut dists = required_child_distribution(&node);
    let mut orders = required_child_ordering(&node);
    let children = std::mem::take(&mut node.children);
    dists.resize(children.len(), Distribution::Unspecified);
    orders.resize(children.len(), vec![]);

    // 1. Exchanges where a child does not satisfy its distribution.
    let mut children: Vec<SparkPlan> = children
        .into_iter()
        .zip(dists.iter())
        .map(|(child, dist)| {
            if output_partitioning(&child).satisfies(dist) {
                return child;
            }
            match dist {
                Distribution::Broadcast(mode) => {
                    SparkPlan::unary(Op::BroadcastExchange { mode: mode.clone(), plan_id: ids.take() }, child)
                }
                d => {
                    let num = d.required_num().unwrap_or(n);
                    shuffle(d.create_partitioning(num), child, ids)
                }
            }
        })
        .collect();

    // 2. Co-partitioning of children with clustered requirements (join sides).
    let clustered: Vec<usize> =
        dists.iter().enumerate().filter(|(_, d)| matches!(d, Distribution::Clustered { .. })).map(|(i, _)| i).collect();
    let prefer_single = clustered.iter().all(|i| output_partitioning(&children[*i]) == Partitioning::Single);
    if clustered.len() > 1 && !prefer_single {
        let keys_of = |i: usize| match &dists[i] {
            Distribution::Clustered { keys, .. } => keys.clone(),
            _ => vec![],
        };
        let specs: Vec<(usize, ShuffleSpec)> =
            clustered.iter().map(|i| (*i, ShuffleSpec::of(&output_partitioning(&children[*i]), &keys_of(*i)))).collect();
        let is_shuffle = |i: usize| matches!(children[i].op, Op::ShuffleExchange { .. });
        let consider_min = specs.iter().all(|(i, s)| !s.can_create_partitioning() || is_shuffle(*i));
        let default_n = conf.shuffle_partitions();
        let candidates: Vec<&(usize, ShuffleSpec)> = specs
            .iter()
            .filter(|(_, s)| s.can_create_partitioning())
            .filter(|(i, _)| !consider_min || output_partitioning(&children[*i]).num_partitions() >= default_n)
            .collect();
        let without_shuffle: Vec<&(usize, ShuffleSpec)> = candidates.iter().copied().filter(|(i, _)| !is_shuffle(*i)).collect();
        let pool = if without_shuffle.is_empty() { candidates } else { without_shuffle };
        // maxBy keeps the first maximum.
        let mut best: Option<&ShuffleSpec> = None;
        for (_, s) in pool {
            if best.map(|b| s.num_partitions() > b.num_partitions()).unwrap_or(true) {
                best = Some(s);
            }
        }
        let best = best.cloned();
        for (i, spec) in &specs {
            if let Some(b) = &best {
                if b.is_compatible_with(spec) {
                    continue;
                }
            }
            let keys = keys_of(*i);
            let new_part = best
                .as_ref()
                .and_then(|b| b.create_partitioning(&keys))
                .unwrap_or_else(|| dists[*i].create_partitioning(dists[*i].required_num().unwrap_or(n)));
            let child = std::mem::replace(&mut children[*i], SparkPlan::leaf(Op::Union));
            children[*i] = match child.op {
                Op::ShuffleExchange { origin, plan_id, .. } => SparkPlan {
                    op: Op::ShuffleExchange { partitioning: new_part, origin, plan_id },
                    ..child
                },
                _ => shuffle(new_part, child, ids),
            };
        }
    }

    // 3. Local sorts where the required ordering is missing.
    let children: Vec<SparkPlan> = children
        .into_iter()
        .zip(orders.iter())
        .map(|(child, req)| {
            if ordering_satisfies(&output_ordering(&child), req) {
                child
            } else {
                SparkPlan::unary(Op::Sort { order: req.clone(), global: false }, child)
            }
        })
        .collect();
    node.children = children;
    node
}

fn shuffle(partitioning: Partitioning, child: SparkPlan, ids: &mut ExchangeIds<'_>) -> SparkPlan {
    SparkPlan::unary(
        Op::ShuffleExchange { partitioning, origin: ShuffleOrigin::EnsureRequirements, plan_id: ids.take() },
        child,
    )
}

/// `RemoveRedundantProjects`: a projection that only forwards its child's columns goes.
pub fn remove_redundant_projects(plan: SparkPlan) -> SparkPlan {
    remove_projects(plan, true)
}

fn remove_projects(plan: SparkPlan, require_ordered: bool) -> SparkPlan {
    let SparkPlan { op, children, subqueries, stats } = plan;
    match op {
        Op::Project { exprs } => {
            let child = children.into_iter().next();
            match child {
                Some(c) if is_redundant(&exprs, &c, require_ordered) && can_pass_through(&c) => {
                    remove_projects(c, require_ordered)
                }
                Some(c) => SparkPlan { op: Op::Project { exprs }, children: vec![remove_projects(c, false)], subqueries, stats },
                None => SparkPlan { op: Op::Project { exprs }, children: vec![], subqueries, stats },
            }
        }
        op => {
            let keep = match &op {
                Op::Aggregate(a) => a.required_distribution.is_some(),
                Op::Generate { .. } | Op::Window { .. } => false,
                Op::BroadcastHashJoin(_)
                | Op::ShuffledHashJoin(_)
                | Op::SortMergeJoin(_)
                | Op::BroadcastNestedLoopJoin(_)
                | Op::CartesianProduct { .. } => require_ordered,
                _ => true,
            };
            let children = children.into_iter().map(|c| remove_projects(c, keep)).collect();
            SparkPlan { op, children, subqueries, stats }
        }
    }
}

fn is_redundant(exprs: &[Expr], child: &SparkPlan, require_ordered: bool) -> bool {
    if !exprs.iter().all(|e| matches!(e, Expr::Attr(_))) {
        return false;
    }
    let out: Vec<_> = exprs.iter().filter_map(|e| e.to_attribute()).collect();
    let child_out = child.output();
    if out.len() != child_out.len() {
        return false;
    }
    let (mut a, mut b) = (out.clone(), child_out.clone());
    if !require_ordered {
        crate::sort::sort_by_key(&mut a, |x| x.id);
        crate::sort::sort_by_key(&mut b, |x| x.id);
    }
    a.iter().zip(b.iter()).all(|(p, c)| p.id == c.id && (p.nullable || !c.nullable))
}

fn can_pass_through(p: &SparkPlan) -> bool {
    matches!(
        p.op,
        Op::Filter { .. }
            | Op::BroadcastHashJoin(_)
            | Op::ShuffledHashJoin(_)
            | Op::SortMergeJoin(_)
            | Op::BroadcastNestedLoopJoin(_)
            | Op::CartesianProduct { .. }
            | Op::Window { .. }
            | Op::Expand { .. }
    )
}

/// `RemoveRedundantSorts`: a local sort whose child already provides the ordering goes.
pub fn remove_redundant_sorts(plan: SparkPlan) -> SparkPlan {
    plan.transform_up(&mut |node| {
        if let Op::Sort { order, global: false } = &node.op {
            if let Some(c) = node.children.first() {
                if ordering_satisfies(&output_ordering(c), order) {
                    return node.children.into_iter().next().unwrap_or_else(|| SparkPlan::leaf(Op::Union));
                }
            }
        }
        node
    })
}
