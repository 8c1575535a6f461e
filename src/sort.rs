//! Stable sorting through one shared instantiation. The standard library's stable sort costs ~3 KB of
//! wasm per element type and comparator; Stagecraft sorts a permutation of indices instead (one
//! instantiation for the whole crate) and then moves the elements into place. The result is exactly that
//! of `slice::sort_by` (ties keep their order), and native and browser builds run the same code. `map_of`
//! and `set_of` build `BTreeMap`s and `BTreeSet`s by insertion, for the same reason (`collect()` sorts first).
use std::cmp::Ordering;

/// `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut idx: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut idx, &mut |a, b| cmp(&v[a], &v[b]));
    permute(&mut idx, &mut |a, b| v.swap(a, b));
}

/// `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// `v.sort()`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a.cmp(b))
}

/// `it.collect::<BTreeMap<_, _>>()` without the standard library's collect, which sorts first (a stable
/// sort per key type): the pairs are inserted one at a time; for equal keys the last value wins, as there.
pub fn map_of<K: Ord, V>(it: impl IntoIterator<Item = (K, V)>) -> std::collections::BTreeMap<K, V> {
    let mut m = std::collections::BTreeMap::new();
    m.extend(it);
    m
}

/// `it.collect::<BTreeSet<_>>()`, one insert at a time (see `map_of`).
pub fn set_of<T: Ord>(it: impl IntoIterator<Item = T>) -> std::collections::BTreeSet<T> {
    let mut s = std::collections::BTreeSet::new();
    s.extend(it);
    s
}

#[inline(never)]
fn sort_indices(idx: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    idx.sort_by(|a, b| cmp(*a, *b));
}

/// Rearranges a slice so position `k` holds what was at `idx[k]`, through `swap`, one cycle at a time.
#[inline(never)]
fn permute(idx: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for i in 0..idx.len() {
        if idx[i] == usize::MAX {
            continue;
        }
        let mut cur = i;
        loop {
            let src = idx[cur];
            idx[cur] = usize::MAX;
            if src == i {
                break;
            }
            swap(cur, src);
            cur = src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_matches_a_stable_sort() {
        let mut seed = 7u64;
        for n in 0..60 {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (((seed >> 33) % 5) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|x| x.0);
            let mut idx: Vec<usize> = (0..n).collect();
            sort_indices(&mut idx, &mut |a, b| v[a].0.cmp(&v[b].0));
            let mut got = v.clone();
            permute(&mut idx, &mut |a, b| got.swap(a, b));
            assert_eq!(got, want);
        }
    }
}
