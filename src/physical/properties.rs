//! What each physical operator promises and requires: `outputPartitioning`, `outputOrdering`,
//! `requiredChildDistribution` and `requiredChildOrdering`, as Spark's `*Exec` classes define them.
//! Knows single nodes (and their children's properties); inserting exchanges is `ensure_requirements`.

use super::partitioning::{project_expr, BroadcastMode, Distribution, Partitioning};
use super::plan::{AggKind, BuildSide, Op, SparkPlan, WindowGroupLimitMode};
use crate::logical::expr::{Expr, SortOrder};
use crate::logical::plan::JoinType;

/// `SparkPlan.outputPartitioning`.
pub fn output_partitioning(p: &SparkPlan) -> Partitioning {
    let child = |i: usize| p.children.get(i).map(output_partitioning).unwrap_or(Partitioning::Unknown(0));
    match &p.op {
        Op::FileSourceScan(_) | Op::LocalTableScan { .. } | Op::MapPartitions { .. } => Partitioning::Unknown(0),
        Op::OneRowRelation => Partitioning::Unknown(0),
        Op::Range { splits, .. } => {
            if *splits == 1 {
                Partitioning::Single
            } else {
                Partitioning::Unknown(*splits)
            }
        }
        Op::ShuffleExchange { partitioning, .. } => partitioning.clone(),
        Op::BroadcastExchange { mode, .. } => Partitioning::Broadcast(mode.clone()),
        Op::Project { exprs } => child(0).project(exprs),
        Op::Aggregate(a) => child(0).project(&a.results),
        Op::BroadcastHashJoin(j) => {
            let (streamed, stream_keys, build_keys) = match j.build_side {
                BuildSide::BuildRight => (child(0), &j.left_keys, &j.right_keys),
                BuildSide::BuildLeft => (child(1), &j.right_keys, &j.left_keys),
            };
            if matches!(j.join_type, JoinType::Inner | JoinType::Cross) {
                expand_partitioning(streamed, stream_keys, build_keys)
            } else {
                streamed
            }
        }
        Op::ShuffledHashJoin(j) => join_partitioning(j.join_type, child(0), child(1)),
        Op::SortMergeJoin(j) => join_partitioning(j.join_type, child(0), child(1)),
        Op::BroadcastNestedLoopJoin(j) => match j.build_side {
            BuildSide::BuildRight => child(0),
            BuildSide::BuildLeft => child(1),
        },
        Op::CartesianProduct { .. } => {
            Partitioning::Unknown(child(0).num_partitions().saturating_mul(child(1).num_partitions()))
        }
        Op::Union => Partitioning::Unknown(p.children.iter().map(|c| output_partitioning(c).num_partitions()).sum()),
        Op::Expand { .. } => Partitioning::Unknown(0),
        Op::TakeOrderedAndProject { .. } | Op::CollectLimit { .. } => Partitioning::Single,
        Op::Coalesce { n } => {
            if *n == 1 {
                Partitioning::Single
            } else {
                Partitioning::Unknown(*n)
            }
        }
        Op::InMemoryTableScan { cached, relation_output, attributes, .. } => {
            let cp = output_partitioning(cached).rename(&cached.output(), relation_output);
            let exprs: Vec<Expr> = attributes.iter().map(|a| a.to_expr()).collect();
            cp.project(&exprs)
        }
        Op::ReusedExchange { output, reused } => output_partitioning(reused).rename(&reused.output(), output),
        Op::Generate { required_child_output, generator_output, .. } => {
            let mut exprs: Vec<Expr> = required_child_output.iter().map(|a| a.to_expr()).collect();
            exprs.extend(generator_output.iter().map(|a| a.to_expr()));
            child(0).project(&exprs)
        }
        _ => child(0),
    }
}

fn join_partitioning(jt: JoinType, l: Partitioning, r: Partitioning) -> Partitioning {
    match jt {
        JoinType::Inner | JoinType::Cross => Partitioning::Collection(vec![l, r]),
        JoinType::LeftOuter | JoinType::LeftSemi | JoinType::LeftAnti => l,
        JoinType::RightOuter => r,
        JoinType::FullOuter => Partitioning::Unknown(l.num_partitions()),
    }
}

/// `BroadcastHashJoinExec.expandOutputPartitioning`: a streamed side hashed on the stream keys is also
/// hashed on the corresponding build keys.
fn expand_partitioning(streamed: Partitioning, stream_keys: &[Expr], build_keys: &[Expr]) -> Partitioning {
    match &streamed {
        Partitioning::Hash { exprs, n } => {
            let mapped: Option<Vec<Expr>> = exprs
                .iter()
                .map(|e| {
                    stream_keys
                        .iter()
                        .position(|k| super::partitioning::sem_eq(k, e))
                        .and_then(|i| build_keys.get(i).cloned())
                })
                .collect();
            match mapped {
                Some(m) => Partitioning::Collection(vec![streamed.clone(), Partitioning::Hash { exprs: m, n: *n }]),
                None => streamed,
            }
        }
        Partitioning::Collection(ps) => Partitioning::Collection(
            ps.iter().map(|x| expand_partitioning(x.clone(), stream_keys, build_keys)).collect(),
        ),
        _ => streamed,
    }
}

/// `SparkPlan.outputOrdering`.
pub fn output_ordering(p: &SparkPlan) -> Vec<SortOrder> {
    let child = |i: usize| p.children.get(i).map(output_ordering).unwrap_or_default();
    match &p.op {
        Op::Sort { order, .. } => order.clone(),
        Op::TakeOrderedAndProject { order, .. } => order.clone(),
        Op::Project { exprs } => project_ordering(child(0), exprs),
        Op::Filter { .. }
        | Op::Window { .. }
        | Op::WindowGroupLimit { .. }
        | Op::LocalLimit { .. }
        | Op::GlobalLimit { .. }
        | Op::CollectLimit { .. }
        | Op::WholeStageCodegen { .. }
        | Op::InputAdapter
        | Op::ColumnarToRow
        | Op::AdaptiveSparkPlan { .. }
        | Op::WriteFiles => child(0),
        Op::Aggregate(a) if a.kind == AggKind::Sort => {
            a.grouping.iter().filter_map(|g| g.to_attribute()).map(|x| SortOrder::asc(x.to_expr())).collect()
        }
        Op::SortMergeJoin(j) => match j.join_type {
            JoinType::Inner | JoinType::Cross | JoinType::LeftOuter | JoinType::LeftSemi | JoinType::LeftAnti => {
                key_ordering(&j.left_keys, child(0))
            }
            JoinType::RightOuter => key_ordering(&j.right_keys, child(1)),
            JoinType::FullOuter => vec![],
        },
        Op::BroadcastHashJoin(j) => match j.build_side {
            BuildSide::BuildRight => child(0),
            BuildSide::BuildLeft => child(1),
        },
        Op::InMemoryTableScan { .. } => vec![],
        _ => vec![],
    }
}

/// `SortMergeJoinExec.getKeyOrdering`: ascending keys, keeping the child's direction when it already sorts them.
fn key_ordering(keys: &[Expr], child: Vec<SortOrder>) -> Vec<SortOrder> {
    let required: Vec<SortOrder> = keys.iter().map(|k| SortOrder::asc(k.clone())).collect();
    if super::partitioning::ordering_satisfies(&child, &required) {
        child.into_iter().take(keys.len()).collect()
    } else {
        required
    }
}

fn project_ordering(child: Vec<SortOrder>, exprs: &[Expr]) -> Vec<SortOrder> {
    let mut out = vec![];
    for o in child {
        match project_expr(&o.expr, exprs) {
            Some(e) => out.push(SortOrder { expr: e, ..o }),
            None => break,
        }
    }
    out
}

/// `SparkPlan.requiredChildDistribution`, one per child.
pub fn required_child_distribution(p: &SparkPlan) -> Vec<Distribution> {
    let n = p.children.len();
    let unspecified = || vec![Distribution::Unspecified; n];
    match &p.op {
        Op::Aggregate(a) => match &a.required_distribution {
            Some(keys) if keys.is_empty() => vec![Distribution::AllTuples],
            Some(keys) => vec![Distribution::clustered(keys.clone())],
            None => unspecified(),
        },
        Op::SortMergeJoin(j) => {
            vec![Distribution::clustered(j.left_keys.clone()), Distribution::clustered(j.right_keys.clone())]
        }
        Op::ShuffledHashJoin(j) => {
            vec![Distribution::clustered(j.left_keys.clone()), Distribution::clustered(j.right_keys.clone())]
        }
        Op::BroadcastHashJoin(j) => {
            let (build_idx, keys) = match j.build_side {
                BuildSide::BuildLeft => (0, &j.left_keys),
                BuildSide::BuildRight => (1, &j.right_keys),
            };
            let build_out = p.children.get(build_idx).map(|c| c.output()).unwrap_or_default();
            let mode = BroadcastMode::hashed(keys, &build_out, j.null_aware);
            let mut v = unspecified();
            if build_idx < v.len() {
                v[build_idx] = Distribution::Broadcast(mode);
            }
            v
        }
        Op::BroadcastNestedLoopJoin(j) => {
            let mut v = unspecified();
            let i = if j.build_side == BuildSide::BuildLeft { 0 } else { 1 };
            if i < v.len() {
                v[i] = Distribution::Broadcast(BroadcastMode::Identity);
            }
            v
        }
        Op::Window { partition_by, .. }
        | Op::WindowGroupLimit { partition_by, mode: WindowGroupLimitMode::Final, .. } => {
            if partition_by.is_empty() {
                vec![Distribution::AllTuples]
            } else {
                vec![Distribution::clustered(partition_by.clone())]
            }
        }
        Op::Sort { order, global: true } => vec![Distribution::Ordered(order.clone())],
        Op::GlobalLimit { .. } => vec![Distribution::AllTuples],
        _ => unspecified(),
    }
}

/// `SparkPlan.requiredChildOrdering`, one per child.
pub fn required_child_ordering(p: &SparkPlan) -> Vec<Vec<SortOrder>> {
    let n = p.children.len();
    let asc = |keys: &[Expr]| keys.iter().map(|k| SortOrder::asc(k.clone())).collect::<Vec<_>>();
    match &p.op {
        Op::SortMergeJoin(j) => vec![asc(&j.left_keys), asc(&j.right_keys)],
        Op::Window { partition_by, order_by, .. } | Op::WindowGroupLimit { partition_by, order_by, .. } => {
            let mut o = asc(partition_by);
            o.extend(order_by.iter().cloned());
            vec![o; n]
        }
        Op::Aggregate(a) if a.kind == AggKind::Sort => {
            let keys: Vec<Expr> = a.grouping.iter().map(|g| g.unalias().clone()).collect();
            vec![asc(&keys); n]
        }
        _ => vec![vec![]; n],
    }
}
