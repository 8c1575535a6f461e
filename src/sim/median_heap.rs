//! A running median (Spark's `MedianHeap`, used by `TaskSetManager` for speculation): two heaps, O(log n)
//! insert, O(1) median. Integer values; the median of an even count is the floor of the two middles'
//! mean. Knows nothing of tasks.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Default, Clone)]
pub struct MedianHeap {
    /// The smaller half (max on top).
    low: BinaryHeap<u64>,
    /// The larger half (min on top).
    high: BinaryHeap<Reverse<u64>>,
}

impl MedianHeap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.low.len() + self.high.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn insert(&mut self, v: u64) {
        match self.low.peek() {
            Some(&top) if v > top => self.high.push(Reverse(v)),
            _ => self.low.push(v),
        }
        // Rebalance so that low has as many as high, or one more.
        if self.low.len() > self.high.len() + 1 {
            if let Some(x) = self.low.pop() {
                self.high.push(Reverse(x));
            }
        } else if self.high.len() > self.low.len() {
            if let Some(Reverse(x)) = self.high.pop() {
                self.low.push(x);
            }
        }
    }

    pub fn median(&self) -> Option<u64> {
        let lo = *self.low.peek()?;
        if self.low.len() > self.high.len() {
            Some(lo)
        } else {
            let hi = self.high.peek().map(|r| r.0).unwrap_or(lo);
            Some(lo / 2 + hi / 2 + (lo % 2 + hi % 2) / 2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_sorting() {
        let mut h = MedianHeap::new();
        assert_eq!(h.median(), None);
        let values = [5u64, 1, 9, 3, 3, 8, 100, 0, 7];
        let mut seen = Vec::new();
        for v in values {
            h.insert(v);
            seen.push(v);
            let mut s = seen.clone();
            s.sort();
            let n = s.len();
            let want = if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2 };
            assert_eq!(h.median(), Some(want), "{s:?}");
        }
        assert_eq!(h.len(), values.len());
    }
}
