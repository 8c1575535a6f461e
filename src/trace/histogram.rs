//! Partition-size histograms: power-of-two buckets over per-partition sizes (shuffle bytes read per
//! reducer, input bytes per scan task), with the skew figures a UI shows beside them (max ÷ median).
//! It knows numbers only, not where they came from.

use serde::{Deserialize, Serialize};

/// Sizes in `[lower, upper)`; the first bucket is `[0, 1)` (empty partitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistogramBucket {
    pub lower: u64,
    pub upper: u64,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionHistogram {
    /// Only non-empty buckets, ascending.
    pub buckets: Vec<HistogramBucket>,
    pub count: u64,
    pub min: u64,
    /// Lower median (index `n / 2` of the sorted sizes, as Spark's `Utils.median` for odd n).
    pub median: u64,
    pub max: u64,
    pub total: u64,
    /// max ÷ median × 1000 (0 when the median is 0): 10 000 means the largest is 10× the median.
    pub max_over_median_permille: u64,
}

/// Power-of-two bucket index: 0 for 0, else 1 + floor(log2(v)).
fn bucket_of(v: u64) -> u32 {
    64 - v.leading_zeros()
}

/// Histogram of `sizes`.
pub fn partition_histogram(sizes: &[u64]) -> PartitionHistogram {
    if sizes.is_empty() {
        return PartitionHistogram::default();
    }
    let mut counts = [0u64; 65];
    for &s in sizes {
        counts[bucket_of(s) as usize] += 1;
    }
    let buckets = counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(b, &c)| {
            let (lower, upper) = match b {
                0 => (0, 1),
                64 => (1 << 63, u64::MAX),
                _ => (1u64 << (b - 1), 1u64 << b),
            };
            HistogramBucket { lower, upper, count: c }
        })
        .collect();
    let mut sorted = sizes.to_vec();
    crate::sort::sort(&mut sorted);
    let median = sorted[sorted.len() / 2];
    let max = *sorted.last().unwrap_or(&0);
    PartitionHistogram {
        buckets,
        count: sizes.len() as u64,
        min: sorted[0],
        median,
        max,
        total: sizes.iter().fold(0u64, |a, &b| a.saturating_add(b)),
        max_over_median_permille: if median == 0 { 0 } else { (max as u128 * 1000 / median as u128) as u64 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skewed_partitions() {
        // 199 reducers of ~76 KB and one hot one of 14.5 MB (corpus p_aqe_skew_join, AQE off).
        let mut sizes = vec![76_000u64; 199];
        sizes.push(14_475_330);
        let h = partition_histogram(&sizes);
        assert_eq!(h.count, 200);
        assert_eq!(h.buckets.len(), 2);
        assert_eq!(h.buckets[0], HistogramBucket { lower: 65_536, upper: 131_072, count: 199 });
        assert_eq!(h.buckets[1].count, 1);
        assert!(h.max_over_median_permille > 10_000 * 19);
    }

    #[test]
    fn empty_partitions_have_their_own_bucket() {
        let h = partition_histogram(&[0, 0, 5, u64::MAX]);
        assert_eq!(h.buckets[0], HistogramBucket { lower: 0, upper: 1, count: 2 });
        assert_eq!(h.buckets[1], HistogramBucket { lower: 4, upper: 8, count: 1 });
        assert_eq!(h.buckets[2].upper, u64::MAX);
        assert_eq!(h.total, u64::MAX);
        assert_eq!(partition_histogram(&[]), PartitionHistogram::default());
    }
}
