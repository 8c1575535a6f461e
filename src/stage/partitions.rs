//! How many partitions (tasks) each physical node produces: scans from their file bin-packing,
//! exchanges from their partitioning (or the AQE read that replaced their count), unions summing their
//! children, coalesce capping, joins following their streamed side. Knows plans only.

use crate::physical::plan::{BuildSide, Op, SparkPlan};
use std::collections::BTreeMap;

/// Partitions of `p` when no AQE read has changed any shuffle.
pub fn num_partitions(p: &SparkPlan) -> u32 {
    num_partitions_with(p, &BTreeMap::new())
}

/// Partitions of `p`; `reads` maps a shuffle's `plan_id` to the partition count of the AQE read over it.
pub fn num_partitions_with(p: &SparkPlan, reads: &BTreeMap<u32, u32>) -> u32 {
    let child = |i: usize| p.children.get(i).map(|c| num_partitions_with(c, reads)).unwrap_or(1);
    match &p.op {
        Op::FileSourceScan(s) => s.num_partitions.max(1) as u32,
        Op::LocalTableScan { rows, .. } => (*rows as u32).clamp(1, 2),
        Op::OneRowRelation => 1,
        Op::Range { splits, .. } => (*splits).max(1),
        Op::ShuffleExchange { partitioning, plan_id, .. } => {
            reads.get(plan_id).copied().unwrap_or_else(|| partitioning.num_partitions().max(1))
        }
        Op::ReusedExchange { reused, .. } => num_partitions_with(reused, reads),
        Op::BroadcastExchange { .. } => 1,
        Op::AqeShuffleRead { partitions, .. } => *partitions,
        Op::Union => p.children.iter().map(|c| num_partitions_with(c, reads)).fold(0u32, u32::saturating_add).max(1),
        Op::Coalesce { n } => (*n).min(child(0)).max(1),
        Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => match (&p.op, j.build_side) {
            (Op::BroadcastHashJoin(_), BuildSide::BuildLeft) => child(1),
            _ => child(0),
        },
        Op::BroadcastNestedLoopJoin(j) => match j.build_side {
            BuildSide::BuildLeft => child(1),
            BuildSide::BuildRight => child(0),
        },
        Op::CartesianProduct { .. } => child(0).saturating_mul(child(1)).max(1),
        Op::TakeOrderedAndProject { .. } | Op::CollectLimit { .. } => 1,
        Op::InMemoryTableScan { cached, .. } => num_partitions_with(cached, reads),
        _ => child(0),
    }
}
