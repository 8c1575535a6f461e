//! `OptimizeSkewInRebalancePartitions` (Spark 3.5, an `AQEShuffleReadRule` for shuffles whose origin
//! is `REBALANCE_PARTITIONS_BY_NONE` / `REBALANCE_PARTITIONS_BY_COL`, i.e. `/*+ REBALANCE */` hints):
//! when a consumer stage is created over a materialised rebalance shuffle and some reduce partition is
//! larger than `spark.sql.adaptive.advisoryPartitionSizeInBytes`, each such partition is read in
//! map-output ranges (`ShufflePartitionsUtil.createSkewPartitionSpecs` with
//! `spark.sql.adaptive.rebalancePartitionsSmallPartitionFactor`), the others whole; nothing changes
//! when no partition could be split. `CoalesceShufflePartitions` then packs the runs between split
//! partitions (`coalescePartitionsWithSkew`), so the read prints as `AQEShuffleRead skewed` or
//! `coalesced and skewed`. As in `AdaptiveSparkPlanExec.optimizeQueryStage`, the read is dropped when an
//! operator above it in the same stage needs the shuffle's partitioning (`ValidateRequirements`).
//! Knows plans, confs and the map statistics from `distribution`; nothing of time.

use super::aqe::{self, AqeDecision, Spec};
use super::adaptive::requires_distribution;
use super::{collect_stage_roots, shuffle_plan_id, Run};
use crate::conf::bytes_to_string;
use crate::physical::partitioning::ShuffleOrigin;
use crate::physical::plan::{Op, SparkPlan};
use std::collections::BTreeMap;

/// What the rule did to one shuffle's read.
#[derive(Debug, Clone, PartialEq)]
pub struct RebalanceSplit {
    /// The read's partition specs (`CoalescedPartitionSpec(i, i + 1)` or `PartialReducerPartitionSpec`).
    pub specs: Vec<Spec>,
    /// Partitions split, with their piece counts.
    pub split: Vec<(usize, usize)>,
    pub decision: AqeDecision,
}

/// `OptimizeSkewInRebalancePartitions.tryOptimizeSkewedPartitions` over one shuffle's
/// `bytesByPartitionId` (`map_sizes(i)`: partition `i`'s block in each map task). `None` when every
/// partition is within `advisory`, or when none could be split (the rule returns the stage as it was).
pub fn optimize_skewed_partitions(sizes: &[u64], map_sizes: &dyn Fn(usize) -> Vec<u64>, advisory: u64, small_factor: f64) -> Option<RebalanceSplit> {
    if sizes.iter().all(|b| *b <= advisory) {
        return None;
    }
    let mut specs = Vec::with_capacity(sizes.len());
    let mut split = vec![];
    for (i, &bytes) in sizes.iter().enumerate() {
        let pieces = if bytes > advisory { aqe::create_skew_partition_specs(i, &map_sizes(i), advisory, small_factor) } else { None };
        match pieces {
            Some(p) => {
                split.push((i, p.len()));
                specs.extend(p);
            }
            None => specs.push(Spec::Coalesced { start: i, end: i + 1 }),
        }
    }
    if specs.len() == sizes.len() {
        return None;
    }
    let over = sizes.iter().filter(|b| **b > advisory).count();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let decision = AqeDecision {
        rule: "OptimizeSkewInRebalancePartitions".into(),
        description: format!(
            "{over} of {} rebalance partitions > advisory {} (largest {}); {} split at map-output boundaries (small-piece factor {small_factor}) into {} pieces → {} read partitions",
            sizes.len(),
            bytes_to_string(advisory as u128),
            bytes_to_string(largest as u128),
            split.len(),
            split.iter().map(|(_, n)| n).sum::<usize>(),
            specs.len()
        ),
        numbers: vec![
            ("advisory".into(), advisory as f64),
            ("small_partition_factor".into(), small_factor),
            ("largest".into(), largest as f64),
            ("partitions_over".into(), over as f64),
            ("partitions_split".into(), split.len() as f64),
            ("partitions_after".into(), specs.len() as f64),
        ],
    };
    Some(RebalanceSplit { specs, split, decision })
}

fn is_rebalance(ex: &SparkPlan) -> bool {
    let ex = match &ex.op {
        Op::ReusedExchange { reused, .. } => reused.as_ref(),
        _ => ex,
    };
    matches!(&ex.op, Op::ShuffleExchange { origin: ShuffleOrigin::RebalancePartitionsByNone | ShuffleOrigin::RebalancePartitionsByCol, .. })
}

/// Whether an operator on the way from `p` down to the exchange `target` (not crossing other
/// exchanges) needs its child's partitioning.
fn needs_partitioning(p: &SparkPlan, target: u32, above: bool) -> bool {
    if shuffle_plan_id(p) == Some(target) {
        return above;
    }
    if matches!(p.op, Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. } | Op::ReusedExchange { .. }) {
        return false;
    }
    let above = above || requires_distribution(p);
    p.children.iter().any(|c| needs_partitioning(c, target, above))
}

impl Run<'_> {
    /// The rule over every stage about to be created whose inputs are all materialised and not yet
    /// read through an AQE read; `CoalesceShufflePartitions` follows for those reads. Returns the plan
    /// with `AQEShuffleRead` nodes over the split shuffles.
    pub(super) fn optimize_skew_in_rebalance(&mut self, plan: SparkPlan) -> SparkPlan {
        if !self.conf.get_bool("spark.sql.adaptive.optimizeSkewsInRebalancePartitions.enabled") {
            return plan;
        }
        let advisory = self.conf.get_bytes("spark.sql.adaptive.advisoryPartitionSizeInBytes").max(1) as u64;
        let small_factor = self.conf.get_f64("spark.sql.adaptive.rebalancePartitionsSmallPartitionFactor");
        let mut roots: Vec<&SparkPlan> = vec![&plan];
        collect_stage_roots(&plan, &mut roots);
        let mut placed: BTreeMap<u32, (String, u32)> = BTreeMap::new();
        for r in roots {
            let mut inputs = vec![];
            self.shuffles_below(r, &mut inputs);
            let keys: Vec<u32> = inputs.iter().filter_map(|e| shuffle_plan_id(e)).collect();
            if !inputs.iter().any(|e| is_rebalance(e)) || keys.iter().any(|k| !self.done.contains(&self.key(*k)) || self.reads.contains_key(k)) {
                continue;
            }
            let mut splits: Vec<Option<RebalanceSplit>> = vec![];
            let mut all_sizes = vec![];
            let mut map_stats = vec![];
            for e in &inputs {
                let sizes = self.sizes(e);
                let bytes = sizes.bytes_by_partition();
                let map_sizes = |i: usize| sizes.map_sizes(i);
                let s = if is_rebalance(e) { optimize_skewed_partitions(&bytes, &map_sizes, advisory, small_factor) } else { None };
                splits.push(s);
                all_sizes.push(bytes);
                map_stats.push(sizes);
            }
            if splits.iter().all(|s| s.is_none()) {
                continue;
            }
            // `optimizeQueryStage` keeps the stage's plan without this rule's reads when the result
            // fails `ValidateRequirements` (an operator above a split read needs its partitioning).
            if splits.iter().zip(&keys).any(|(s, k)| s.is_some() && needs_partitioning(r, *k, false)) {
                for s in splits.iter().flatten() {
                    self.decisions.push(AqeDecision {
                        rule: "OptimizeSkewInRebalancePartitions".into(),
                        description: format!("{} — not applied: an operator above the read needs the shuffle's partitioning (ValidateRequirements)", s.decision.description),
                        numbers: s.decision.numbers.clone(),
                    });
                }
                continue;
            }
            // CoalesceShufflePartitions: with skew specs it coalesces only when every shuffle read
            // together has specs (`coalescePartitionsWithSkew`), else it leaves the reads alone.
            let mut final_specs: Vec<Option<Vec<Spec>>> = splits.iter().map(|s| s.as_ref().map(|s| s.specs.clone())).collect();
            for s in splits.iter().flatten() {
                self.decisions.push(s.decision.clone());
            }
            if self.conf.get_bool("spark.sql.adaptive.coalescePartitions.enabled") && final_specs.iter().all(|s| s.is_some()) {
                let cc = aqe::CoalesceConf::from(self.conf, self.default_parallelism);
                let spec_refs: Vec<&[Spec]> = final_specs.iter().flatten().map(|v| v.as_slice()).collect();
                let size_refs: Vec<&[u64]> = all_sizes.iter().map(|v| v.as_slice()).collect();
                let (coalesced, d) = aqe::coalesce_with_skew_n(&size_refs, &spec_refs, &cc);
                self.decisions.push(d);
                final_specs = coalesced.into_iter().map(Some).collect();
            }
            for (((k, specs), bytes), stats) in keys.iter().zip(&final_specs).zip(&all_sizes).zip(&map_stats) {
                let n = bytes.len();
                match specs {
                    Some(specs) => {
                        let map_sizes = |i: usize| stats.map_sizes(i);
                        self.read_bytes.insert(*k, aqe::spec_bytes(specs, bytes, &map_sizes));
                        self.reads.insert(*k, specs.len() as u32);
                        if let Some(desc) = aqe::read_description(specs, n) {
                            placed.insert(*k, (desc, specs.len() as u32));
                        }
                    }
                    // Read as it is (no coalescing either).
                    None => {
                        self.reads.insert(*k, n as u32);
                    }
                }
            }
        }
        if placed.is_empty() {
            return plan;
        }
        place_reads(plan, &placed)
    }
}

/// Puts an `AQEShuffleRead` over each exchange in `placed` (by `plan_id`).
fn place_reads(p: SparkPlan, placed: &BTreeMap<u32, (String, u32)>) -> SparkPlan {
    if let Some((desc, partitions)) = shuffle_plan_id(&p).and_then(|id| placed.get(&id)) {
        let stats = p.stats.clone();
        return SparkPlan { op: Op::AqeShuffleRead { desc: desc.clone(), partitions: *partitions }, children: vec![p], subqueries: vec![], stats };
    }
    if matches!(p.op, Op::AqeShuffleRead { .. }) {
        return p;
    }
    let SparkPlan { op, children, subqueries, stats } = p;
    let children = children.into_iter().map(|c| place_reads(c, placed)).collect();
    SparkPlan { op, children, subqueries, stats }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_over_the_advisory_size_changes_nothing() {
        let sizes = vec![10u64, 20, 30];
        assert!(optimize_skewed_partitions(&sizes, &|i| vec![sizes[i] / 2; 2], 30, 0.2).is_none());
    }

    #[test]
    fn a_large_partition_is_read_in_map_ranges() {
        // OptimizeSkewInRebalancePartitionsSuite's shape: 3 maps, partition 1 skewed.
        let sizes = vec![10u64, 300, 10];
        let maps = |i: usize| if i == 1 { vec![100, 100, 100] } else { vec![3, 3, 4] };
        let s = optimize_skewed_partitions(&sizes, &maps, 100, 0.2).expect("split");
        assert_eq!(
            s.specs,
            vec![
                Spec::Coalesced { start: 0, end: 1 },
                Spec::Partial { reducer: 1, start_map: 0, end_map: 1 },
                Spec::Partial { reducer: 1, start_map: 1, end_map: 2 },
                Spec::Partial { reducer: 1, start_map: 2, end_map: 3 },
                Spec::Coalesced { start: 2, end: 3 },
            ]
        );
        assert_eq!(s.split, vec![(1, 3)]);
        assert_eq!(aqe::read_description(&s.specs, 3).as_deref(), Some("skewed"));
    }

    #[test]
    fn a_partition_from_one_map_task_cannot_be_split() {
        // Over the advisory size but all in one block: createSkewPartitionSpecs gives None, the read
        // would equal the shuffle's partitions, so the rule does nothing.
        let sizes = vec![10u64, 300];
        assert!(optimize_skewed_partitions(&sizes, &|i| if i == 1 { vec![300, 0] } else { vec![5, 5] }, 100, 0.2).is_none());
    }

    #[test]
    fn small_partition_factor_decides_the_merging() {
        // Pieces [100, 30]: 30 < 0.2·100 is false, but 130 < 1.2·100 is false too → 2 pieces; with
        // factor 0.5, 30 < 50 merges them back into one.
        assert_eq!(aqe::split_size_list_with(&[100, 30], 100, 0.2), vec![0, 1]);
        assert_eq!(aqe::split_size_list_with(&[100, 30], 100, 0.5), vec![0]);
        // ShufflePartitionsUtilSuite "splitSizeListByTargetSize": target 100.
        assert_eq!(aqe::split_size_list_with(&[30, 30, 30, 30, 30], 100, 0.2), vec![0, 3]);
        assert_eq!(aqe::split_size_list_with(&[10, 10, 10, 10, 10], 100, 0.2), vec![0]);
    }

    #[test]
    fn coalescing_around_the_split_gives_coalesced_and_skewed() {
        let sizes = vec![10u64, 10, 300, 10, 10];
        let maps = |i: usize| if i == 2 { vec![100, 100, 100] } else { vec![3, 3, 4] };
        let s = optimize_skewed_partitions(&sizes, &maps, 100, 0.2).expect("split");
        let cc = aqe::CoalesceConf { advisory: 100, min_partition_size: 1, min_partitions: 1 };
        let (out, _) = aqe::coalesce_with_skew_n(&[&sizes], &[&s.specs], &cc);
        assert_eq!(
            out[0],
            vec![
                Spec::Coalesced { start: 0, end: 2 },
                Spec::Partial { reducer: 2, start_map: 0, end_map: 1 },
                Spec::Partial { reducer: 2, start_map: 1, end_map: 2 },
                Spec::Partial { reducer: 2, start_map: 2, end_map: 3 },
                Spec::Coalesced { start: 3, end: 5 },
            ]
        );
        assert_eq!(aqe::read_description(&out[0], 5).as_deref(), Some("coalesced and skewed"));
    }
}
