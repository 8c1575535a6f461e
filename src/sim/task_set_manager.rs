//! `TaskSetManager`: the tasks of one stage attempt — which are pending, running, done, failed how often,
//! and which deserve a speculative copy. It hands out the next task for an executor's free slot the way
//! Spark's `dequeueTask` does: retried tasks first, then tasks preferring this executor (NODE_LOCAL:
//! reducers near their map outputs), then tasks without preference (reported PROCESS_LOCAL), then tasks
//! preferring elsewhere (ANY), each in partition order; speculative copies last, never on an executor
//! already running the task. Delay scheduling (`spark.locality.wait`) is not modelled: a free slot never
//! idles while a task is pending. It knows nothing of time costs or other stages.

use super::median_heap::MedianHeap;
use crate::trace::Locality;
use std::collections::{BTreeSet, VecDeque};

/// Which stage attempt a task set belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskSetId {
    /// Index of the stage in the simulator's tables.
    pub stage: usize,
    /// Index of the job in the simulator's tables.
    pub job: usize,
    pub job_id: u32,
    pub stage_id: u32,
    pub attempt: u16,
}

pub struct TaskSetManager {
    pub stage: usize,
    pub job: usize,
    pub job_id: u32,
    pub stage_id: u32,
    pub attempt: u16,
    /// Partition of each task index, ascending.
    pub partitions: Vec<u32>,
    is_pref: Vec<bool>,
    pref_execs: Vec<bool>,
    pref_queue: VecDeque<u32>,
    nopref_queue: VecDeque<u32>,
    retry: Vec<u32>,
    pub successful: Vec<bool>,
    pub num_successful: u32,
    pub copies_running: Vec<u8>,
    pub failures: Vec<u32>,
    attempt_numbers: Vec<u16>,
    /// Executor of the most recently launched copy of each task.
    last_executor: Vec<u32>,
    speculatable: BTreeSet<u32>,
    /// Attempt ids of running copies.
    pub running: Vec<u32>,
    /// Durations of successful attempts (µs), for the speculation median.
    pub durations: MedianHeap,
    /// No more launches (all done, FetchFailed, or its job ended).
    pub zombie: bool,
}

impl TaskSetManager {
    /// Tasks for `partitions` (ascending); `is_pref[i]`: task `i` prefers the executors in `pref_execs`.
    pub fn new(id: TaskSetId, partitions: Vec<u32>, is_pref: Vec<bool>, pref_execs: Vec<bool>) -> TaskSetManager {
        let TaskSetId { stage, job, job_id, stage_id, attempt } = id;
        let n = partitions.len();
        let (mut pref_queue, mut nopref_queue) = (VecDeque::new(), VecDeque::new());
        for i in 0..n as u32 {
            if is_pref[i as usize] {
                pref_queue.push_back(i);
            } else {
                nopref_queue.push_back(i);
            }
        }
        TaskSetManager {
            stage,
            job,
            job_id,
            stage_id,
            attempt,
            partitions,
            is_pref,
            pref_execs,
            pref_queue,
            nopref_queue,
            retry: Vec::new(),
            successful: vec![false; n],
            num_successful: 0,
            copies_running: vec![0; n],
            failures: vec![0; n],
            attempt_numbers: vec![0; n],
            last_executor: vec![u32::MAX; n],
            speculatable: BTreeSet::new(),
            running: Vec::new(),
            durations: MedianHeap::new(),
            zombie: false,
        }
    }

    pub fn num_tasks(&self) -> u32 {
        self.partitions.len() as u32
    }

    pub fn index_of(&self, partition: u32) -> Option<u32> {
        self.partitions.binary_search(&partition).ok().map(|i| i as u32)
    }

    fn launchable(&self, i: u32) -> bool {
        !self.successful[i as usize] && self.copies_running[i as usize] == 0
    }

    fn locality(&self, i: u32, executor: u32) -> Locality {
        if !self.is_pref[i as usize] {
            Locality::ProcessLocal
        } else if self.pref_execs.get(executor as usize).copied().unwrap_or(false) {
            Locality::NodeLocal
        } else {
            Locality::Any
        }
    }

    fn pop(queue: &mut VecDeque<u32>, ok: impl Fn(u32) -> bool) -> Option<u32> {
        while let Some(i) = queue.pop_front() {
            if ok(i) {
                return Some(i);
            }
        }
        None
    }

    /// The next task for a free slot on `executor`: `(index, locality, speculative)`.
    pub fn dequeue(&mut self, executor: u32) -> Option<(u32, Locality, bool)> {
        if self.zombie {
            return None;
        }
        while let Some(i) = self.retry.pop() {
            if self.launchable(i) {
                return Some((i, self.locality(i, executor), false));
            }
        }
        let here = self.pref_execs.get(executor as usize).copied().unwrap_or(false);
        let (successful, copies) = (&self.successful, &self.copies_running);
        let ok = |i: u32| !successful[i as usize] && copies[i as usize] == 0;
        let found = if here {
            Self::pop(&mut self.pref_queue, ok).or_else(|| Self::pop(&mut self.nopref_queue, ok))
        } else {
            Self::pop(&mut self.nopref_queue, ok).or_else(|| Self::pop(&mut self.pref_queue, ok))
        };
        if let Some(i) = found {
            return Some((i, self.locality(i, executor), false));
        }
        let pick = self.speculatable.iter().copied().find(|&i| {
            !self.successful[i as usize]
                && self.copies_running[i as usize] == 1
                && self.last_executor[i as usize] != executor
        })?;
        self.speculatable.remove(&pick);
        Some((pick, self.locality(pick, executor), true))
    }

    /// Records a launch of task `i` on `executor`; returns its attempt number.
    pub fn launched(&mut self, i: u32, executor: u32, attempt_id: u32) -> (u16, u32) {
        let a = self.attempt_numbers[i as usize];
        self.attempt_numbers[i as usize] = a.saturating_add(1);
        self.copies_running[i as usize] = self.copies_running[i as usize].saturating_add(1);
        self.last_executor[i as usize] = executor;
        self.running.push(attempt_id);
        (a, self.running.len() as u32 - 1)
    }

    /// Removes the running attempt at `pos`; returns the attempt id moved into `pos`, if any.
    pub fn ended(&mut self, i: u32, pos: u32) -> Option<u32> {
        self.copies_running[i as usize] = self.copies_running[i as usize].saturating_sub(1);
        let pos = pos as usize;
        if pos >= self.running.len() {
            return None;
        }
        self.running.swap_remove(pos);
        self.running.get(pos).copied()
    }

    /// Task `i` must run again (failure, or its output was lost).
    pub fn requeue(&mut self, i: u32) {
        if self.launchable(i) {
            self.retry.push(i);
        }
    }

    /// Task `i`'s successful output was lost with its executor.
    pub fn unsucceed(&mut self, i: u32) {
        if self.successful[i as usize] {
            self.successful[i as usize] = false;
            self.num_successful -= 1;
        }
        self.requeue(i);
    }

    pub fn succeeded(&mut self, i: u32, duration_us: u64, track_duration: bool) {
        if !self.successful[i as usize] {
            self.successful[i as usize] = true;
            self.num_successful += 1;
            if track_duration {
                self.durations.insert(duration_us);
            }
        }
        self.speculatable.remove(&i);
        if self.num_successful == self.num_tasks() {
            self.zombie = true;
        }
    }

    pub fn is_done(&self) -> bool {
        self.zombie && self.running.is_empty()
    }

    /// Spark's `checkSpeculatableTasks` threshold: `None` until enough tasks succeeded.
    pub fn speculation_threshold(&self, quantile_permille: u64, multiplier_permille: u64, min_us: u64) -> Option<u64> {
        let n = self.num_tasks() as u64;
        if self.zombie || n <= 1 {
            return None;
        }
        let min_finished = (quantile_permille * n / 1000).max(1);
        if (self.num_successful as u64) < min_finished {
            return None;
        }
        let median = self.durations.median()?;
        Some((median as u128 * multiplier_permille as u128 / 1000).max(min_us as u128) as u64)
    }

    /// Could task `i` still be marked for a speculative copy (one copy running, not done, not marked)?
    pub fn speculation_candidate(&self, i: u32) -> bool {
        !self.successful[i as usize] && self.copies_running[i as usize] == 1 && !self.speculatable.contains(&i)
    }

    /// Marks task `i` for a speculative copy; false if it already is, or cannot be.
    pub fn mark_speculatable(&mut self, i: u32) -> bool {
        if self.successful[i as usize] || self.copies_running[i as usize] != 1 {
            return false;
        }
        self.speculatable.insert(i)
    }

    pub fn has_speculatable(&self) -> bool {
        !self.speculatable.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tsm(n: u32, prefs: &[u32]) -> TaskSetManager {
        let is_pref = (0..n).map(|p| prefs.contains(&p)).collect();
        let pref_execs = if prefs.is_empty() { Vec::new() } else { vec![true, false] };
        let id = TaskSetId { stage: 0, job: 0, job_id: 0, stage_id: 0, attempt: 0 };
        TaskSetManager::new(id, (0..n).collect(), is_pref, pref_execs)
    }

    #[test]
    fn preferred_reducers_first_on_their_executor() {
        // Corpus p_bhj_dimension: the 20 non-empty reducers launch NODE_LOCAL before the 180 empty ones.
        let mut t = tsm(6, &[2, 4]);
        let order: Vec<(u32, Locality)> = (0..6)
            .map(|k| {
                let (i, l, s) = t.dequeue(0).unwrap();
                assert!(!s);
                t.launched(i, 0, k);
                (i, l)
            })
            .collect();
        assert_eq!(
            order,
            vec![
                (2, Locality::NodeLocal),
                (4, Locality::NodeLocal),
                (0, Locality::ProcessLocal),
                (1, Locality::ProcessLocal),
                (3, Locality::ProcessLocal),
                (5, Locality::ProcessLocal)
            ]
        );
        assert!(t.dequeue(0).is_none());
    }

    #[test]
    fn other_executors_take_unpreferred_tasks_first() {
        let mut t = tsm(3, &[0]);
        assert_eq!(t.dequeue(1), Some((1, Locality::ProcessLocal, false)));
        t.launched(1, 1, 0);
        assert_eq!(t.dequeue(1), Some((2, Locality::ProcessLocal, false)));
        t.launched(2, 1, 1);
        assert_eq!(t.dequeue(1), Some((0, Locality::Any, false)));
    }

    #[test]
    fn retries_come_first_and_speculation_avoids_the_same_executor() {
        let mut t = tsm(3, &[]);
        let (i0, _, _) = t.dequeue(0).unwrap();
        let (_, pos0) = t.launched(i0, 0, 0);
        let (i1, _, _) = t.dequeue(0).unwrap();
        t.launched(i1, 0, 1);
        // Task 0 fails and is retried before task 2.
        t.ended(i0, pos0);
        t.failures[i0 as usize] += 1;
        t.requeue(i0);
        assert_eq!(t.dequeue(1).map(|x| x.0), Some(0));
        t.launched(0, 1, 2);
        assert_eq!(t.dequeue(1).map(|x| x.0), Some(2));
        t.launched(2, 1, 3);
        assert!(t.mark_speculatable(1));
        assert!(!t.mark_speculatable(1));
        assert_eq!(t.dequeue(0), None, "task 1 already runs on executor 0");
        assert_eq!(t.dequeue(1), Some((1, Locality::ProcessLocal, true)));
    }

    #[test]
    fn speculation_threshold_needs_quantile() {
        let mut t = tsm(4, &[]);
        for i in 0..4 {
            t.launched(i, 0, i);
        }
        t.succeeded(0, 100_000, true);
        t.succeeded(1, 200_000, true);
        assert_eq!(t.speculation_threshold(750, 1500, 100_000), None);
        t.succeeded(2, 300_000, true);
        // median 200 ms × 1.5 = 300 ms.
        assert_eq!(t.speculation_threshold(750, 1500, 100_000), Some(300_000));
        t.succeeded(3, 1, true);
        assert!(t.zombie);
    }
}
