//! `MapOutputTracker`: where each map output of each shuffle lives, which are missing, and what a reducer
//! on a given executor fetches locally or remotely. It knows shuffles, map partitions and executors; it
//! knows nothing of stages, jobs or time.
//!
//! Block counts are per map output (a reducer fetches one block from each non-empty map output); bytes are
//! split between local and remote in proportion to the blocks. Outputs registered "virtually" (a stage the
//! planner marked skipped whose shuffle this simulation never wrote) live nowhere in particular, count as
//! local and are never lost.

use super::cost::ShuffleFetch;

/// Location of a map output.
const MISSING: u32 = u32::MAX;
const VIRTUAL: u32 = u32::MAX - 1;

/// Spark's `SHUFFLE_PREF_MAP_THRESHOLD` / `SHUFFLE_PREF_REDUCE_THRESHOLD`: reducers get preferred
/// locations only for shuffles with fewer maps and reducers than this.
pub const PREF_MAP_THRESHOLD: u32 = 1000;
pub const PREF_REDUCE_THRESHOLD: u32 = 1000;
/// `REDUCER_PREF_LOCS_FRACTION`: an executor holding ≥ 20 % of a shuffle's output is preferred.
pub const PREF_FRACTION_PERMILLE: u64 = 200;

#[derive(Debug, Clone)]
struct ShuffleStatus {
    known: bool,
    location: Vec<u32>,
    nonempty: Vec<bool>,
    missing: u32,
    /// Non-empty outputs per executor, and their total (virtual ones included).
    nonempty_on: Vec<u32>,
    nonempty_total: u32,
    nonempty_virtual: u32,
    /// Executors holding at least one non-empty output.
    executors_with_output: u32,
    /// Stages currently running that write this shuffle.
    active_writers: u32,
    /// The executor whose loss last removed outputs (for FetchFailed reasons).
    lost_from: u32,
}

pub struct MapOutputTracker {
    shuffles: Vec<ShuffleStatus>,
    executors: usize,
}

impl MapOutputTracker {
    /// `maps[i]`: number of map partitions of internal shuffle `i`.
    pub fn new(maps: &[u32], executors: usize) -> MapOutputTracker {
        let shuffles = maps
            .iter()
            .map(|&n| ShuffleStatus {
                known: false,
                location: vec![MISSING; n as usize],
                nonempty: vec![false; n as usize],
                missing: n,
                nonempty_on: vec![0; executors],
                nonempty_total: 0,
                nonempty_virtual: 0,
                executors_with_output: 0,
                active_writers: 0,
                lost_from: 0,
            })
            .collect();
        MapOutputTracker { shuffles, executors }
    }

    /// True once any stage started writing the shuffle (or it was registered virtually).
    pub fn is_known(&self, sh: usize) -> bool {
        self.shuffles[sh].known
    }

    pub fn missing(&self, sh: usize) -> u32 {
        self.shuffles[sh].missing
    }

    pub fn is_complete(&self, sh: usize) -> bool {
        self.shuffles[sh].known && self.shuffles[sh].missing == 0
    }

    pub fn has_output(&self, sh: usize, map: u32) -> bool {
        self.shuffles[sh].location.get(map as usize).is_some_and(|&l| l != MISSING)
    }

    pub fn lost_from(&self, sh: usize) -> u32 {
        self.shuffles[sh].lost_from
    }

    pub fn writer_started(&mut self, sh: usize) {
        let s = &mut self.shuffles[sh];
        s.known = true;
        s.active_writers += 1;
    }

    pub fn writer_stopped(&mut self, sh: usize) {
        let s = &mut self.shuffles[sh];
        s.active_writers = s.active_writers.saturating_sub(1);
    }

    pub fn has_active_writer(&self, sh: usize) -> bool {
        self.shuffles[sh].active_writers > 0
    }

    /// Marks every output present without a location (a skipped stage's shuffle written before the trace).
    pub fn register_virtual(&mut self, sh: usize) {
        let s = &mut self.shuffles[sh];
        s.known = true;
        for m in 0..s.location.len() {
            if s.location[m] == MISSING {
                s.location[m] = VIRTUAL;
                s.nonempty[m] = true;
                s.nonempty_total += 1;
                s.nonempty_virtual += 1;
            }
        }
        s.missing = 0;
    }

    /// A map task succeeded on `executor`.
    pub fn register(&mut self, sh: usize, map: u32, executor: u32, nonempty: bool) {
        self.unregister(sh, map);
        let s = &mut self.shuffles[sh];
        let m = map as usize;
        if m >= s.location.len() {
            return;
        }
        s.known = true;
        s.location[m] = executor;
        s.missing -= 1;
        s.nonempty[m] = nonempty;
        if nonempty {
            s.nonempty_total += 1;
            let on = &mut s.nonempty_on[executor as usize];
            *on += 1;
            if *on == 1 {
                s.executors_with_output += 1;
            }
        }
    }

    fn unregister(&mut self, sh: usize, map: u32) {
        let s = &mut self.shuffles[sh];
        let m = map as usize;
        let Some(&loc) = s.location.get(m) else { return };
        if loc == MISSING {
            return;
        }
        s.location[m] = MISSING;
        s.missing += 1;
        if s.nonempty[m] {
            s.nonempty_total -= 1;
            if loc == VIRTUAL {
                s.nonempty_virtual -= 1;
            } else {
                let on = &mut s.nonempty_on[loc as usize];
                *on -= 1;
                if *on == 0 {
                    s.executors_with_output -= 1;
                }
            }
        }
    }

    /// Forgets every output on `executor`; returns the shuffles that lost some, with the lost map ids.
    pub fn remove_executor(&mut self, executor: u32) -> Vec<(usize, Vec<u32>)> {
        let mut lost = Vec::new();
        for sh in 0..self.shuffles.len() {
            let maps: Vec<u32> = (0..self.shuffles[sh].location.len() as u32)
                .filter(|&m| self.shuffles[sh].location[m as usize] == executor)
                .collect();
            if maps.is_empty() {
                continue;
            }
            for &m in &maps {
                self.unregister(sh, m);
            }
            self.shuffles[sh].lost_from = executor;
            lost.push((sh, maps));
        }
        lost
    }

    /// What a reducer on `executor` reading `bytes` from `shuffles` fetches.
    pub fn fetch(&self, shuffles: &[usize], bytes: u64, executor: u32) -> ShuffleFetch {
        if bytes == 0 || shuffles.is_empty() {
            return ShuffleFetch::default();
        }
        let (mut local, mut total, mut remote_execs) = (0u64, 0u64, 0u32);
        for &sh in shuffles {
            let s = &self.shuffles[sh];
            let here = s.nonempty_on.get(executor as usize).copied().unwrap_or(0);
            local += (here + s.nonempty_virtual) as u64;
            total += s.nonempty_total as u64;
            remote_execs = remote_execs.max(s.executors_with_output - (here > 0) as u32);
        }
        if total == 0 {
            // Outputs exist but none is marked non-empty: one local block.
            return ShuffleFetch { local_blocks: 1, local_bytes: bytes, ..ShuffleFetch::default() };
        }
        let local_bytes = (bytes as u128 * local as u128 / total as u128) as u64;
        ShuffleFetch {
            local_blocks: local as u32,
            remote_blocks: (total - local) as u32,
            local_bytes,
            remote_bytes: bytes - local_bytes,
            remote_executors: remote_execs,
        }
    }

    /// Executors preferred by the non-empty reducers of a stage reading `shuffles` with `reducers` tasks
    /// (`ShuffledRowRDD.getPreferredLocations`): those holding ≥ 20 % of the non-empty map outputs.
    /// Empty when the shuffle is too large for locality preferences or nobody holds enough.
    pub fn preferred_executors(&self, shuffles: &[usize], reducers: u32) -> Vec<bool> {
        let mut pref = vec![false; self.executors];
        let mut any = false;
        for &sh in shuffles {
            let s = &self.shuffles[sh];
            if s.location.len() as u32 >= PREF_MAP_THRESHOLD
                || reducers >= PREF_REDUCE_THRESHOLD
                || s.nonempty_total == 0
            {
                continue;
            }
            for (e, &n) in s.nonempty_on.iter().enumerate() {
                if n > 0 && n as u64 * 1000 >= s.nonempty_total as u64 * PREF_FRACTION_PERMILLE {
                    pref[e] = true;
                    any = true;
                }
            }
        }
        if any {
            pref
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_lose_and_fetch() {
        let mut t = MapOutputTracker::new(&[4], 3);
        assert!(!t.is_known(0));
        t.writer_started(0);
        for m in 0..4 {
            t.register(0, m, m % 2, true);
        }
        assert!(t.is_complete(0));
        let f = t.fetch(&[0], 1000, 0);
        assert_eq!(
            (f.local_blocks, f.remote_blocks, f.local_bytes, f.remote_bytes, f.remote_executors),
            (2, 2, 500, 500, 1)
        );
        let lost = t.remove_executor(1);
        assert_eq!(lost, vec![(0, vec![1, 3])]);
        assert_eq!(t.missing(0), 2);
        assert_eq!(t.lost_from(0), 1);
        assert!(!t.has_output(0, 1) && t.has_output(0, 2));
        let f = t.fetch(&[0], 1000, 0);
        assert_eq!((f.local_blocks, f.remote_blocks), (2, 0));
    }

    #[test]
    fn preferences_need_twenty_percent() {
        let mut t = MapOutputTracker::new(&[10], 6);
        for m in 0..10 {
            t.register(0, m, if m < 5 { 0 } else { 1 + (m % 5) }, true);
        }
        // Executor 0 holds 5/10, executors 1–5 hold 1/10 each.
        assert_eq!(t.preferred_executors(&[0], 200), vec![true, false, false, false, false, false]);
        assert!(t.preferred_executors(&[0], 1000).is_empty());
    }

    #[test]
    fn virtual_outputs_are_local_and_never_lost() {
        let mut t = MapOutputTracker::new(&[3], 2);
        t.register_virtual(0);
        assert!(t.is_complete(0));
        assert!(t.remove_executor(0).is_empty());
        let f = t.fetch(&[0], 300, 1);
        assert_eq!((f.local_blocks, f.remote_blocks, f.local_bytes), (3, 0, 300));
    }

    #[test]
    fn empty_outputs_are_not_blocks() {
        let mut t = MapOutputTracker::new(&[2], 1);
        t.register(0, 0, 0, true);
        t.register(0, 1, 0, false);
        assert_eq!(t.fetch(&[0], 10, 0).local_blocks, 1);
        assert_eq!(t.fetch(&[0], 0, 0), ShuffleFetch::default());
    }
}
