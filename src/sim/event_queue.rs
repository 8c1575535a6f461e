//! The deterministic event queue: integer time in microseconds, a `BinaryHeap` ordered by `(time, seq)`
//! so events at the same instant come out in the order they were scheduled (FIFO), as in simcore's
//! `Event::cmp`. It knows nothing of what the events mean.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Simulated time in microseconds since the simulation started. Integer, so native and wasm agree.
pub type SimTime = u64;

/// Microseconds per millisecond.
pub const MS: SimTime = 1_000;

struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so the max-heap pops the earliest time, then the lowest sequence number.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.cmp(&self.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A min-queue of events by `(time, insertion order)`. Time never goes backwards.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: SimTime,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue { heap: BinaryHeap::new(), seq: 0, now: 0 }
    }

    /// The time of the last popped event.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at `time`; a time in the past is moved to now (it never reorders history).
    pub fn push(&mut self, time: SimTime, event: E) {
        debug_assert!(time >= self.now, "event scheduled in the past");
        let time = time.max(self.now);
        self.heap.push(Entry { time, seq: self.seq, event });
        self.seq += 1;
    }

    /// The earliest event, advancing the clock to its time.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let e = self.heap.pop()?;
        self.now = e.time;
        Some((e.time, e.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_fifo_among_ties() {
        let mut q = EventQueue::new();
        q.push(5, "c");
        q.push(1, "a");
        q.push(5, "d");
        q.push(1, "b");
        q.push(3, "x");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(1, "a"), (1, "b"), (3, "x"), (5, "c"), (5, "d")]);
        assert_eq!(q.now(), 5);
    }

    #[test]
    fn pushes_during_pop_keep_order() {
        let mut q = EventQueue::new();
        q.push(10, 1);
        let (t, _) = q.pop().unwrap();
        q.push(t, 2);
        q.push(t, 3);
        q.push(t + 1, 4);
        assert_eq!(q.pop(), Some((10, 2)));
        assert_eq!(q.pop(), Some((10, 3)));
        assert_eq!(q.pop(), Some((11, 4)));
        assert!(q.is_empty());
    }
}
