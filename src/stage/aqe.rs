//! The arithmetic of Spark 3.5's AQE query-stage rules over map output statistics (sizes as
//! `MapStatus` reports them): `ShufflePartitionsUtil.coalescePartitions` (target size, contiguous
//! packing, `minPartitionSize` merging, sections between skewed partitions, for any number of shuffles
//! read together), `splitSizeListByTargetSize` (with its small-partition factor), `createSkewPartitionSpecs`,
//! `OptimizeSkewedJoin` (median, threshold, target, splits at map-output boundaries, the other side
//! replicated), `OptimizeShuffleWithLocalRead`'s partition count and `DynamicJoinSelection`'s
//! empty-partition test. Every result carries an `AqeDecision` with its numbers. Knows sizes and confs;
//! nothing of plans (`stage` applies these) or time.

use crate::conf::{bytes_to_string, SparkConf};

/// `ShufflePartitionsUtil.SMALL_PARTITION_FACTOR`.
pub const SMALL_PARTITION_FACTOR: f64 = 0.2;
/// `ShufflePartitionsUtil.MERGED_PARTITION_FACTOR`.
pub const MERGED_PARTITION_FACTOR: f64 = 1.2;

/// One AQE decision with the numbers behind it, for the simulation and the UI.
#[derive(Debug, Clone, PartialEq)]
pub struct AqeDecision {
    /// Spark's rule name (`CoalesceShufflePartitions`, `OptimizeSkewedJoin`, `DynamicJoinSelection`, ...).
    pub rule: String,
    /// What was decided and why, in words with the arithmetic.
    pub description: String,
    /// The numbers, named (bytes unless the name says otherwise).
    pub numbers: Vec<(String, f64)>,
}

/// One partition a shuffle read task reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spec {
    /// Reduce partitions `[start, end)` from every map task (`CoalescedPartitionSpec`).
    Coalesced { start: usize, end: usize },
    /// Reduce partition `reducer` from map tasks `[start_map, end_map)` (`PartialReducerPartitionSpec`).
    Partial { reducer: usize, start_map: usize, end_map: usize },
}

/// `AQEShuffleReadExec`'s description of a list of specs ("coalesced", "skewed", "coalesced and
/// skewed"; `None` when the read changes nothing).
pub fn read_description(specs: &[Spec], num_partitions: usize) -> Option<String> {
    let coalesced = specs.iter().any(|s| matches!(s, Spec::Coalesced { start, end } if end - start > 1))
        || (specs.len() < num_partitions && !specs.iter().any(|s| matches!(s, Spec::Partial { .. })));
    let skewed = specs.iter().any(|s| matches!(s, Spec::Partial { .. }));
    match (coalesced, skewed) {
        (true, true) => Some("coalesced and skewed".into()),
        (true, false) => Some("coalesced".into()),
        (false, true) => Some("skewed".into()),
        (false, false) => None,
    }
}

/// Coalescing confs: advisory size, minimum partition size, minimum partition count.
#[derive(Debug, Clone, Copy)]
pub struct CoalesceConf {
    pub advisory: u64,
    pub min_partition_size: u64,
    pub min_partitions: u64,
}

impl CoalesceConf {
    pub fn from(conf: &SparkConf, default_parallelism: u32) -> CoalesceConf {
        let min_partitions = if conf.get_bool("spark.sql.adaptive.coalescePartitions.parallelismFirst") {
            conf.get("spark.sql.adaptive.coalescePartitions.minPartitionNum").and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(default_parallelism as u64)
        } else {
            1
        };
        CoalesceConf {
            advisory: conf.get_bytes("spark.sql.adaptive.advisoryPartitionSizeInBytes").max(1) as u64,
            min_partition_size: conf.get_bytes("spark.sql.adaptive.coalescePartitions.minPartitionSize").max(1) as u64,
            min_partitions: min_partitions.max(1),
        }
    }

    /// `max(minPartitionSize, min(advisory, max(ceil(total / minNumPartitions), 16)))`.
    pub fn target(&self, total: u64) -> u64 {
        let max_target = total.div_ceil(self.min_partitions).max(16);
        max_target.min(self.advisory).max(self.min_partition_size)
    }
}

/// `ShufflePartitionsUtil.coalescePartitions(start, end, ...)`: packs reduce partitions
/// `[start, end)` of shuffles read together (sizes summed per index) into contiguous groups of at
/// most `target` bytes; a group under `min_size` is packed with its smaller neighbour; empty groups
/// are skipped.
pub fn coalesce_range(shuffles: &[&[u64]], start: usize, end: usize, target: u64, min_size: u64, allow_empty: bool) -> Vec<(usize, usize)> {
    let size_at = |i: usize| shuffles.iter().map(|s| s.get(i).copied().unwrap_or(0)).sum::<u64>();
    let mut specs: Vec<(usize, usize)> = vec![];
    let mut coalesced = 0u64;
    let mut latest_split = start;
    let mut latest_size = 0u64;
    let mut i = start;
    while i < end {
        let current = size_at(i);
        if i > latest_split && coalesced + current > target {
            if coalesced < min_size {
                if latest_size > 0 && latest_size < current {
                    if let Some(last) = specs.last_mut() {
                        last.1 = i;
                    }
                    latest_split = i;
                    latest_size += coalesced;
                    coalesced = current;
                } else {
                    coalesced += current;
                }
            } else {
                if coalesced > 0 {
                    specs.push((latest_split, i));
                }
                latest_split = i;
                latest_size = coalesced;
                coalesced = current;
            }
        } else {
            coalesced += current;
        }
        i += 1;
    }
    if coalesced < min_size && latest_size > 0 {
        if let Some(last) = specs.last_mut() {
            last.1 = end;
        }
    } else if coalesced > 0 || (!allow_empty && specs.is_empty()) {
        specs.push((latest_split, end));
    }
    specs
}

/// `ShufflePartitionsUtil.splitSizeListByTargetSize` with `SMALL_PARTITION_FACTOR` (what
/// `OptimizeSkewedJoin` passes).
pub fn split_size_list(sizes: &[u64], target: u64) -> Vec<usize> {
    split_size_list_with(sizes, target, SMALL_PARTITION_FACTOR)
}

/// `ShufflePartitionsUtil.splitSizeListByTargetSize(sizes, targetSize, smallPartitionFactor)`: start
/// indices of pieces of about `target` bytes; a piece is merged into the previous one when both together
/// stay under 1.2 × target or either is under `small_factor` × target.
pub fn split_size_list_with(sizes: &[u64], target: u64, small_factor: f64) -> Vec<usize> {
    let t = target as f64;
    let mut starts = vec![0usize];
    let mut current = 0u64;
    let mut last: i128 = -1;
    let try_merge = |starts: &mut Vec<usize>, current: u64, last: &mut i128| {
        let merge = *last > -1
            && (((current as i128 + *last) as f64) < t * MERGED_PARTITION_FACTOR
                || (current as f64) < t * small_factor
                || (*last as f64) < t * small_factor);
        if merge {
            starts.pop();
            *last += current as i128;
        } else {
            *last = current as i128;
        }
    };
    for (i, &s) in sizes.iter().enumerate() {
        if i > 0 && current + s > target {
            try_merge(&mut starts, current, &mut last);
            starts.push(i);
            current = s;
        } else {
            current += s;
        }
    }
    try_merge(&mut starts, current, &mut last);
    starts
}

/// `ShufflePartitionsUtil.createSkewPartitionSpecs`: reduce partition `reducer` read in map ranges of
/// about `target` bytes (`map_sizes`: its block in each map task); `None` when it cannot be split (one
/// piece).
pub fn create_skew_partition_specs(reducer: usize, map_sizes: &[u64], target: u64, small_factor: f64) -> Option<Vec<Spec>> {
    let starts = split_size_list_with(map_sizes, target, small_factor);
    if starts.len() <= 1 {
        return None;
    }
    Some(
        starts
            .iter()
            .enumerate()
            .map(|(k, &s)| Spec::Partial { reducer, start_map: s, end_map: starts.get(k + 1).copied().unwrap_or(map_sizes.len()) })
            .collect(),
    )
}

/// `Utils.median` of partition sizes (the mean of the middle two for an even count, at least 1).
pub fn median(sizes: &[u64]) -> u64 {
    let mut s = sizes.to_vec();
    crate::sort::sort(&mut s);
    let n = s.len();
    if n == 0 {
        return 1;
    }
    let m = if n.is_multiple_of(2) { (s[n / 2] + s[n / 2 - 1]) / 2 } else { s[n / 2] };
    m.max(1)
}

/// Coalesces shuffles read together (no skew): the specs, or `None` when nothing would change.
pub fn coalesce(shuffles: &[&[u64]], cc: &CoalesceConf) -> (Option<Vec<(usize, usize)>>, AqeDecision) {
    let n = shuffles.iter().map(|s| s.len()).max().unwrap_or(0);
    let total: u64 = shuffles.iter().flat_map(|s| s.iter()).sum();
    let target = cc.target(total);
    let same = shuffles.iter().all(|s| s.len() == n);
    let specs = if same && n > 0 { coalesce_range(shuffles, 0, n, target, cc.min_partition_size, false) } else { vec![] };
    let applied = same && !specs.is_empty() && specs.len() < n;
    let description = if applied {
        format!(
            "{} reduce partitions totalling {} (as MapStatus reports them) → target max({}, min({}, {} / {})) = {} → {} coalesced partitions",
            n,
            bytes_to_string(total as u128),
            bytes_to_string(cc.min_partition_size as u128),
            bytes_to_string(cc.advisory as u128),
            bytes_to_string(total as u128),
            cc.min_partitions,
            bytes_to_string(target as u128),
            specs.len()
        )
    } else {
        format!("{n} reduce partitions totalling {}: target {} leaves them as they are", bytes_to_string(total as u128), bytes_to_string(target as u128))
    };
    let decision = AqeDecision {
        rule: "CoalesceShufflePartitions".into(),
        description,
        numbers: vec![
            ("total_bytes".into(), total as f64),
            ("target_bytes".into(), target as f64),
            ("partitions_before".into(), n as f64),
            ("partitions_after".into(), if applied { specs.len() as f64 } else { n as f64 }),
        ],
    };
    (if applied { Some(specs) } else { None }, decision)
}

/// One join side for `OptimizeSkewedJoin`.
pub struct SkewSide<'a> {
    /// `bytesByPartitionId`.
    pub sizes: &'a [u64],
    /// Block sizes of a reduce partition, one per map task.
    pub map_sizes: &'a dyn Fn(usize) -> Vec<u64>,
    /// Whether the join type lets this side be split.
    pub can_split: bool,
}

/// What `OptimizeSkewedJoin` followed by `CoalesceShufflePartitions` makes of a join's two reads.
#[derive(Debug, Clone, PartialEq)]
pub struct SkewJoin {
    pub left: Vec<Spec>,
    pub right: Vec<Spec>,
    pub skewed_left: usize,
    pub skewed_right: usize,
    pub decisions: Vec<AqeDecision>,
}

/// `OptimizeSkewedJoin.tryOptimizeJoinChildren` then `coalescePartitionsWithSkew`. `None` when no
/// partition is skewed (or none could be split).
pub fn optimize_skew_join(left: &SkewSide, right: &SkewSide, conf: &SparkConf, cc: &CoalesceConf) -> Option<SkewJoin> {
    let n = left.sizes.len();
    if n == 0 || right.sizes.len() != n {
        return None;
    }
    let factor = conf.get_f64("spark.sql.adaptive.skewJoin.skewedPartitionFactor");
    let threshold_conf = conf.get_bytes("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes").max(0) as u64;
    let advisory = cc.advisory;
    let side_params = |s: &SkewSide| {
        let med = median(s.sizes);
        let threshold = threshold_conf.max((med as f64 * factor) as u64);
        let non_skew: Vec<u64> = s.sizes.iter().copied().filter(|x| *x <= threshold).collect();
        let target = if non_skew.is_empty() { advisory } else { advisory.max(non_skew.iter().sum::<u64>() / non_skew.len() as u64) };
        (med, threshold, target)
    };
    let (lmed, lthr, ltarget) = side_params(left);
    let (rmed, rthr, rtarget) = side_params(right);
    let mut lspecs: Vec<Spec> = vec![];
    let mut rspecs: Vec<Spec> = vec![];
    let (mut nl, mut nr) = (0usize, 0usize);
    let mut decisions = vec![];
    let split = |side: &SkewSide, i: usize, target: u64| create_skew_partition_specs(i, &(side.map_sizes)(i), target, SMALL_PARTITION_FACTOR);
    for i in 0..n {
        let whole = vec![Spec::Coalesced { start: i, end: i + 1 }];
        let lp = if left.can_split && left.sizes[i] > lthr { split(left, i, ltarget) } else { None };
        let rp = if right.can_split && right.sizes[i] > rthr { split(right, i, rtarget) } else { None };
        for (side, p, thr, target, name) in [(left, &lp, lthr, ltarget, "left"), (right, &rp, rthr, rtarget, "right")] {
            if let Some(pieces) = p {
                decisions.push(AqeDecision {
                    rule: "OptimizeSkewedJoin".into(),
                    description: format!(
                        "{name} partition {i}: {} > threshold {} → split at map-output boundaries into {} pieces of ~{} (target)",
                        bytes_to_string(side.sizes[i] as u128),
                        bytes_to_string(thr as u128),
                        pieces.len(),
                        bytes_to_string(target as u128)
                    ),
                    numbers: vec![
                        ("partition".into(), i as f64),
                        ("size".into(), side.sizes[i] as f64),
                        ("threshold".into(), thr as f64),
                        ("target".into(), target as f64),
                        ("splits".into(), pieces.len() as f64),
                    ],
                });
            }
        }
        if lp.is_some() {
            nl += 1;
        }
        if rp.is_some() {
            nr += 1;
        }
        let lparts = lp.unwrap_or_else(|| whole.clone());
        let rparts = rp.unwrap_or_else(|| whole.clone());
        for l in &lparts {
            for r in &rparts {
                lspecs.push(*l);
                rspecs.push(*r);
            }
        }
    }
    if nl + nr == 0 {
        return None;
    }
    decisions.insert(
        0,
        AqeDecision {
            rule: "OptimizeSkewedJoin".into(),
            description: format!(
                "skewed if size > max({}, {factor} × median): left median {} → threshold {}, target max(advisory {}, non-skewed mean) = {}; right median {} → threshold {}, target {}; {nl} left and {nr} right partitions split",
                bytes_to_string(threshold_conf as u128),
                bytes_to_string(lmed as u128),
                bytes_to_string(lthr as u128),
                bytes_to_string(advisory as u128),
                bytes_to_string(ltarget as u128),
                bytes_to_string(rmed as u128),
                bytes_to_string(rthr as u128),
                bytes_to_string(rtarget as u128)
            ),
            numbers: vec![
                ("left_median".into(), lmed as f64),
                ("left_threshold".into(), lthr as f64),
                ("left_target".into(), ltarget as f64),
                ("right_median".into(), rmed as f64),
                ("right_threshold".into(), rthr as f64),
                ("right_target".into(), rtarget as f64),
                ("skewed_left".into(), nl as f64),
                ("skewed_right".into(), nr as f64),
            ],
        },
    );
    let (left_specs, right_specs) = if conf.get_bool("spark.sql.adaptive.coalescePartitions.enabled") {
        let (l, r, d) = coalesce_with_skew(left.sizes, right.sizes, &lspecs, &rspecs, cc);
        decisions.push(d);
        (l, r)
    } else {
        (lspecs, rspecs)
    };
    Some(SkewJoin { left: left_specs, right: right_specs, skewed_left: nl, skewed_right: nr, decisions })
}

fn reducer(s: &Spec) -> usize {
    match s {
        Spec::Coalesced { start, .. } => *start,
        Spec::Partial { reducer, .. } => *reducer,
    }
}

/// `coalescePartitionsWithSkew` for a join's two reads.
fn coalesce_with_skew(ls: &[u64], rs: &[u64], left: &[Spec], right: &[Spec], cc: &CoalesceConf) -> (Vec<Spec>, Vec<Spec>, AqeDecision) {
    let (mut out, d) = coalesce_with_skew_n(&[ls, rs], &[left, right], cc);
    let r = out.pop().unwrap_or_default();
    let l = out.pop().unwrap_or_default();
    (l, r, d)
}

/// `ShufflePartitionsUtil.coalescePartitionsWithSkew`: shuffles read together, each with its partition
/// specs (same reducer indices in the same order; a repeated index is a skew section). The sections
/// between skew sections are coalesced, the skew sections copied. Returns the specs unchanged when
/// nothing was coalesced.
pub fn coalesce_with_skew_n(shuffles: &[&[u64]], specs: &[&[Spec]], cc: &CoalesceConf) -> (Vec<Vec<Spec>>, AqeDecision) {
    let total: u64 = shuffles.iter().flat_map(|s| s.iter()).sum();
    let target = cc.target(total);
    let idx: Vec<usize> = specs.first().map(|s| s.iter().map(reducer).collect()).unwrap_or_default();
    let mut out: Vec<Vec<Spec>> = vec![vec![]; specs.len()];
    let push_coalesced = |a: usize, b: usize, out: &mut Vec<Vec<Spec>>| {
        for (s, e) in coalesce_range(shuffles, a, b, target, cc.min_partition_size, true) {
            for o in out.iter_mut() {
                o.push(Spec::Coalesced { start: s, end: e });
            }
        }
    };
    let n = idx.len();
    let mut i = 1;
    let mut start = 0;
    while i < n {
        if idx[i - 1] == idx[i] {
            let repeat = idx[i];
            if i - 1 > start {
                push_coalesced(idx[start], repeat, &mut out);
            }
            let mut j = i + 1;
            while j < n && idx[j] == repeat {
                j += 1;
            }
            for (o, s) in out.iter_mut().zip(specs) {
                o.extend_from_slice(&s[i - 1..j]);
            }
            start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    if n > start {
        push_coalesced(idx[start], idx[n - 1] + 1, &mut out);
    }
    let after = out.first().map(|o| o.len()).unwrap_or(0);
    let applied = after < n;
    let d = AqeDecision {
        rule: "CoalesceShufflePartitions".into(),
        description: format!(
            "around the skew splits: {} partition specs, the runs between split partitions packed to target {} → {} read partitions in all",
            n,
            bytes_to_string(target as u128),
            if applied { after } else { n }
        ),
        numbers: vec![("total_bytes".into(), total as f64), ("target_bytes".into(), target as f64), ("partitions_after".into(), if applied { after } else { n } as f64)],
    };
    if applied {
        (out, d)
    } else {
        (specs.iter().map(|s| s.to_vec()).collect(), d)
    }
}

/// `OptimizeShuffleWithLocalRead.getPartitionSpecs`: how many partitions a local read has, given the
/// map tasks, the reduce partitions and the coalesced read's partition count (the advisory parallelism).
pub fn local_read_partitions(mappers: u32, reducers: u32, advisory: Option<u32>) -> u32 {
    let mappers = mappers.max(1);
    let expected = advisory.unwrap_or(reducers).max(1);
    if expected >= mappers {
        mappers * (expected / mappers).clamp(1, reducers.max(1))
    } else {
        expected
    }
}

/// `OptimizeShuffleWithLocalRead.equallyDivide`: start indices of `buckets` near-equal runs of `n`.
pub fn equally_divide(n: usize, buckets: usize) -> Vec<usize> {
    let buckets = buckets.max(1);
    let per = n / buckets;
    let rem = n % buckets;
    let split = (per + 1) * rem;
    (0..rem).map(|i| i * (per + 1)).chain((rem..buckets).map(|i| split + (i - rem) * per)).collect()
}

/// Bytes each local-read task reads: a map task's output cut into reducer ranges, or runs of whole
/// map tasks (`block(m, p)` gives a block's size).
pub fn local_read_bytes(mappers: usize, reducers: usize, partitions: usize, block: &dyn Fn(usize, usize) -> u64) -> Vec<u64> {
    let mappers = mappers.max(1);
    if partitions >= mappers {
        let starts = equally_divide(reducers, (partitions / mappers).max(1));
        (0..mappers)
            .flat_map(|m| {
                let starts = &starts;
                (0..starts.len()).map(move |k| {
                    let end = starts.get(k + 1).copied().unwrap_or(reducers);
                    (starts[k]..end).map(|p| block(m, p)).sum::<u64>()
                })
            })
            .collect()
    } else {
        let starts = equally_divide(mappers, partitions);
        (0..starts.len())
            .map(|k| {
                let end = starts.get(k + 1).copied().unwrap_or(mappers);
                (starts[k]..end).map(|m| (0..reducers).map(|p| block(m, p)).sum::<u64>()).sum()
            })
            .collect()
    }
}

/// Bytes each task of a skew-join read reads.
pub fn spec_bytes(specs: &[Spec], sizes: &[u64], map_sizes: &dyn Fn(usize) -> Vec<u64>) -> Vec<u64> {
    // A skewed reducer's pieces come one after another: its map sizes are fetched once, as prefix sums, so
    // each piece costs O(1) (a read split into thousands of pieces over thousands of maps was quadratic).
    let mut prefix: (Option<usize>, Vec<u64>) = (None, vec![]);
    specs
        .iter()
        .map(|s| match *s {
            Spec::Coalesced { start, end } => sizes[start.min(sizes.len())..end.min(sizes.len())].iter().sum(),
            Spec::Partial { reducer, start_map, end_map } => {
                if prefix.0 != Some(reducer) {
                    let mut sums = vec![0u64];
                    for b in map_sizes(reducer) {
                        sums.push(sums[sums.len() - 1].saturating_add(b));
                    }
                    prefix = (Some(reducer), sums);
                }
                let last = prefix.1.len() - 1;
                prefix.1[end_map.min(last)].saturating_sub(prefix.1[start_map.min(last)])
            }
        })
        .collect()
}

/// `DynamicJoinSelection.shouldDemoteBroadcastHashJoin`: too few non-empty partitions.
pub fn many_empty_partitions(sizes: &[u64], ratio: f64) -> bool {
    let non_zero = sizes.iter().filter(|s| **s > 0).count();
    !sizes.is_empty() && non_zero > 0 && (non_zero as f64 / sizes.len() as f64) < ratio
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_merges_small_pieces() {
        // Spark's own example (ShufflePartitionsUtilSuite): target 100.
        assert_eq!(split_size_list(&[100, 20, 100, 10, 30], 100), vec![0, 1, 2, 3]);
        assert_eq!(split_size_list(&[10, 10, 100, 10, 5], 100), vec![0, 2]);
        // Four 3.8 MB map blocks of a hot partition and two empty scan tasks, target 1 MiB → 4 pieces.
        let hot = [0, 3_814_494, 3_814_494, 0, 3_814_494, 3_814_494];
        assert_eq!(split_size_list(&hot, 1 << 20).len(), 4);
    }

    #[test]
    fn split_size_list_matches_shuffle_partitions_util_suite() {
        // ShufflePartitionsUtilSuite "splitSizeListByTargetSize", target 100.
        let f = SMALL_PARTITION_FACTOR;
        assert_eq!(split_size_list_with(&[15, 90, 15, 15, 15, 90, 15], 100, f), vec![0, 2, 5]);
        assert_eq!(split_size_list_with(&[30, 15, 90, 10, 90, 15, 30], 100, f), vec![0, 2, 4, 5]);
        assert_eq!(split_size_list_with(&[15, 1000, 15, 1000], 100, f), vec![0, 3]);
        assert_eq!(split_size_list_with(&[35, 75, 90, 20, 35, 25, 35], 100, f), vec![0, 2, 3]);
        // smallPartitionFactor 0.5 (spark.sql.adaptive.rebalancePartitionsSmallPartitionFactor).
        assert_eq!(split_size_list_with(&[50, 50, 40, 5], 100, 0.5), vec![0]);
        assert_eq!(split_size_list_with(&[40, 5, 50, 45], 100, 0.5), vec![0]);
        assert_eq!(split_size_list_with(&[50, 50, 10, 40, 5], 100, 0.5), vec![0, 2]);
        assert_eq!(split_size_list_with(&[10, 40, 5, 50, 50], 100, 0.5), vec![0, 3]);
    }

    #[test]
    fn skew_partition_specs_cover_the_map_ranges() {
        // SPARK-36228's shape: two map outputs of 10 and 20 bytes, target 2 → one spec per mapper.
        let specs = create_skew_partition_specs(0, &[10, 20], 2, SMALL_PARTITION_FACTOR).expect("split");
        assert_eq!(specs, vec![Spec::Partial { reducer: 0, start_map: 0, end_map: 1 }, Spec::Partial { reducer: 0, start_map: 1, end_map: 2 }]);
        assert_eq!(create_skew_partition_specs(0, &[30], 2, SMALL_PARTITION_FACTOR), None);
    }

    #[test]
    fn coalescing_with_skew_matches_spark_35923() {
        // ShufflePartitionsUtilSuite SPARK-35923: empty partitions between skew sections are dropped,
        // a partition empty on one side only is kept.
        let b1 = [0u64, 200, 0, 10, 0, 0, 400, 0, 0];
        let b2 = [0u64, 30, 10, 300, 0, 0, 5, 0, 0];
        let c = |s: usize| Spec::Coalesced { start: s, end: s + 1 };
        let p = |r: usize, m: usize| Spec::Partial { reducer: r, start_map: m, end_map: m + 1 };
        let mut s1 = vec![c(0), p(1, 0), p(1, 1), c(2), c(3), c(3), c(3), c(4), c(5)];
        s1.extend((0..4).map(|m| p(6, m)));
        s1.extend([c(7), c(8)]);
        let mut s2 = vec![c(0), c(1), c(1), c(2), p(3, 0), p(3, 1), p(3, 2), c(4), c(5)];
        s2.extend([c(6); 4]);
        s2.extend([c(7), c(8)]);
        let cc = CoalesceConf { advisory: 100, min_partition_size: 0, min_partitions: 1 };
        let (out, _) = coalesce_with_skew_n(&[&b1, &b2], &[&s1, &s2], &cc);
        let mut e1 = vec![p(1, 0), p(1, 1), c(2), c(3), c(3), c(3)];
        e1.extend((0..4).map(|m| p(6, m)));
        let mut e2 = vec![c(1), c(1), c(2), p(3, 0), p(3, 1), p(3, 2)];
        e2.extend([c(6); 4]);
        assert_eq!(out, vec![e1, e2]);
    }

    #[test]
    fn coalescing_packs_and_merges_below_min_size() {
        let cc = CoalesceConf { advisory: 64 << 20, min_partition_size: 1 << 20, min_partitions: 2 };
        // 200 × 140 KB = 28 MB: target 14 MB → two partitions.
        let s = vec![140_000u64; 200];
        let (specs, _) = coalesce(&[&s], &cc);
        assert_eq!(specs.unwrap().len(), 2);
        // < 1 MiB in all: one partition.
        let s = vec![4_000u64; 200];
        assert_eq!(coalesce(&[&s], &cc).0.unwrap().len(), 1);
        // target 1 MiB, partitions of 85 KB: a group reaching 1.02 MB (< minPartitionSize) takes one more.
        let s = vec![85_000u64; 26];
        assert_eq!(coalesce_range(&[&s], 0, 26, 1 << 20, 1 << 20, false), vec![(0, 13), (13, 26)]);
        // [64 MiB, 0.5 MiB, 64 MiB] with target 64 MiB: the small middle one joins a neighbour.
        let s = vec![64 << 20, 512 << 10, 64 << 20];
        assert_eq!(coalesce_range(&[&s], 0, 3, 64 << 20, 1 << 20, false).len(), 2);
    }

    #[test]
    fn local_read_follows_mappers() {
        // p_aqe_smj_to_bhj: probe 2 map tasks, coalesced to 2 → 2; build side coalesced to 1 → 1.
        assert_eq!(local_read_partitions(2, 200, Some(2)), 2);
        assert_eq!(local_read_partitions(2, 200, Some(1)), 1);
        assert_eq!(local_read_partitions(4, 200, Some(9)), 8);
        assert_eq!(local_read_partitions(2, 200, None), 200);
    }

    #[test]
    fn skew_join_splits_the_hot_partition() {
        let settings: std::collections::BTreeMap<String, String> = [
            ("spark.sql.adaptive.advisoryPartitionSizeInBytes".to_string(), "1m".to_string()),
            ("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes".to_string(), "2m".to_string()),
        ]
        .into_iter()
        .collect();
        let conf = SparkConf::new(&settings);
        let cc = CoalesceConf::from(&conf, 2);
        let mut left = vec![70_000u64; 200];
        left[170] = 4 * 3_814_494;
        let right = vec![8_500u64; 200];
        let lmaps = |i: usize| if i == 170 { vec![3_814_494, 3_814_494, 0, 3_814_494, 0, 3_814_494] } else { vec![left[i] / 6; 6] };
        let rmaps = |i: usize| vec![right[i] / 2; 2];
        let l = SkewSide { sizes: &left, map_sizes: &lmaps, can_split: true };
        let r = SkewSide { sizes: &right, map_sizes: &rmaps, can_split: true };
        let sj = optimize_skew_join(&l, &r, &conf, &cc).expect("skewed");
        assert_eq!(sj.skewed_left, 1);
        assert_eq!(sj.skewed_right, 0);
        assert_eq!(sj.left.iter().filter(|s| matches!(s, Spec::Partial { .. })).count(), 4);
        assert_eq!(sj.left.len(), sj.right.len());
        assert_eq!(read_description(&sj.left, 200).as_deref(), Some("coalesced and skewed"));
        assert_eq!(read_description(&sj.right, 200).as_deref(), Some("coalesced"));
        // median 70 KB → threshold max(2 MiB, 350 KB) = 2 MiB
        assert_eq!(sj.decisions[0].numbers[1].1, (2u64 << 20) as f64);
    }

    #[test]
    fn local_reads_divide_like_spark() {
        assert_eq!(equally_divide(10, 3), vec![0, 4, 7]);
        assert_eq!(equally_divide(200, 1), vec![0]);
        // 2 map tasks, 4 reducers, each block 10 bytes: 2 local partitions read one map task each.
        let block = |_m: usize, _p: usize| 10u64;
        assert_eq!(local_read_bytes(2, 4, 2, &block), vec![40, 40]);
        assert_eq!(local_read_bytes(2, 4, 1, &block), vec![80]);
        assert_eq!(local_read_bytes(2, 4, 4, &block), vec![20, 20, 20, 20]);
    }

    #[test]
    fn demotes_when_few_partitions_have_data() {
        let mut s = vec![0u64; 200];
        for x in s.iter_mut().take(30) {
            *x = 10;
        }
        assert!(many_empty_partitions(&s, 0.2));
        assert!(!many_empty_partitions(&[1, 1, 0], 0.2));
    }
}
