//! Keyboard navigation of the timeline's tasks: a cursor on one task attempt, moved by the arrow keys —
//! previous / next attempt in the same lane (by start time), nearest attempt in the lane above / below at the
//! cursor's time — over the attempts started by the playhead (the ones drawn). Pure; the view maps keys to
//! [`Move`]s and draws the cursor.

use super::timeline_model::Geometry;
use super::SimResult;

/// An arrow key's move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Prev,
    Next,
    Up,
    Down,
}

/// Each lane's attempts by start time, and each attempt's lane; built once per run.
pub struct Nav {
    lanes: Vec<Vec<u32>>,
    lane_of: Vec<u32>,
}

impl Nav {
    pub fn new(sim: &SimResult) -> Nav {
        let g = Geometry::new(sim, 1000.0);
        let mut lanes = vec![vec![]; g.n_lanes as usize];
        let lane_of: Vec<u32> = sim.trace.tasks.iter().map(|r| g.lane(r.executor_id, r.slot).min(g.n_lanes - 1)).collect();
        for (i, &l) in lane_of.iter().enumerate() {
            lanes[l as usize].push(i as u32);
        }
        for l in &mut lanes {
            super::timeline_frame::sort_by(l, &|i| sim.trace.tasks[i as usize].launch_time);
        }
        Nav { lanes, lane_of }
    }

    /// Where the cursor starts: `from` (e.g. the selected task) if started by `t`, else the attempt nearest to
    /// `t` (running at `t`, or the last one before it) in the topmost lane that has one started by `t`.
    pub fn start(&self, sim: &SimResult, t: f64, from: Option<usize>) -> Option<usize> {
        if let Some(i) = from.filter(|&i| sim.trace.tasks.get(i).is_some_and(|r| r.launch_time as f64 <= t)) {
            return Some(i);
        }
        (0..self.lanes.len()).find_map(|l| self.near(sim, l, t, t))
    }

    /// The cursor after a move from `cur` at playhead `t`; `None` when there is nowhere to go.
    pub fn step(&self, sim: &SimResult, cur: usize, m: Move, t: f64) -> Option<usize> {
        let tasks = &sim.trace.tasks;
        let r = tasks.get(cur)?;
        let lane = *self.lane_of.get(cur)? as usize;
        let l = &self.lanes[lane];
        let pos = l.iter().position(|&i| i as usize == cur)?;
        match m {
            Move::Prev => pos.checked_sub(1).map(|p| l[p] as usize),
            Move::Next => l.get(pos + 1).map(|&i| i as usize).filter(|&i| tasks[i].launch_time as f64 <= t),
            Move::Up | Move::Down => {
                let at = (r.launch_time as f64 + (r.finish_time as f64).min(t)) / 2.0;
                let lanes: Vec<usize> = if m == Move::Up { (0..lane).rev().collect() } else { (lane + 1..self.lanes.len()).collect() };
                lanes.into_iter().find_map(|k| self.near(sim, k, at, t))
            }
        }
    }

    /// The attempt of lane `k` started by `t` nearest to time `at` (running at `at` if one is).
    fn near(&self, sim: &SimResult, k: usize, at: f64, t: f64) -> Option<usize> {
        let tasks = &sim.trace.tasks;
        let l = &self.lanes[k];
        let shown = l.partition_point(|&i| tasks[i as usize].launch_time as f64 <= t);
        let after = l[..shown].partition_point(|&i| tasks[i as usize].launch_time as f64 <= at);
        let before = after.checked_sub(1).map(|p| (l[p] as usize, (at - (tasks[l[p] as usize].finish_time as f64).min(t)).max(0.0)));
        let next = (after < shown).then(|| (l[after] as usize, tasks[l[after] as usize].launch_time as f64 - at));
        match (before, next) {
            (Some(b), Some(n)) => Some(if n.1 < b.1 { n.0 } else { b.0 }),
            (b, n) => b.or(n).map(|x| x.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, ClusterSpec, JobKind, JobSpec, Schedule, StageSpec, TaskWork};

    fn run() -> SimResult {
        let tasks = (0..12).map(|p| TaskWork::cpu_ms(100 + (p as u64 * 53) % 200)).collect();
        let jobs = vec![JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, 12).tasks(tasks)])];
        simulate(&Schedule::new(ClusterSpec::new(2, 2), jobs)).unwrap()
    }

    #[test]
    fn left_and_right_walk_a_lane_in_start_order() {
        let sim = run();
        let nav = Nav::new(&sim);
        let end = sim.total_time as f64;
        let g = Geometry::new(&sim, 1000.0);
        let lane = |i: usize| g.lane(sim.trace.tasks[i].executor_id, sim.trace.tasks[i].slot);
        let t0 = sim.trace.tasks.iter().map(|r| r.launch_time).min().unwrap() as f64;
        assert_eq!(nav.start(&sim, t0 - 1.0, None), None);
        let first = nav.start(&sim, t0, None).unwrap();
        assert_eq!(lane(first), 0);
        let mut walk = vec![first];
        while let Some(n) = nav.step(&sim, *walk.last().unwrap(), Move::Next, end) {
            walk.push(n);
        }
        assert!(walk.len() > 1);
        assert!(walk.iter().all(|&i| lane(i) == 0));
        assert!(walk.windows(2).all(|w| sim.trace.tasks[w[0]].launch_time <= sim.trace.tasks[w[1]].launch_time));
        assert_eq!(walk.len(), sim.trace.tasks.iter().enumerate().filter(|(i, _)| lane(*i) == 0).count());
        let back = nav.step(&sim, walk[1], Move::Prev, end);
        assert_eq!(back, Some(walk[0]));
        assert_eq!(nav.step(&sim, walk[0], Move::Prev, end), None);
        // Not past the playhead: the next attempt has not started yet.
        let t = sim.trace.tasks[walk[1]].launch_time as f64 - 1.0;
        assert_eq!(nav.step(&sim, walk[0], Move::Next, t), None);
    }

    #[test]
    fn up_and_down_take_the_attempt_running_at_the_same_time() {
        let sim = run();
        let nav = Nav::new(&sim);
        let g = Geometry::new(&sim, 1000.0);
        let end = sim.total_time as f64;
        let lane = |i: usize| g.lane(sim.trace.tasks[i].executor_id, sim.trace.tasks[i].slot);
        let t0 = sim.trace.tasks.iter().map(|r| r.launch_time).min().unwrap() as f64;
        let a = nav.start(&sim, end, nav.start(&sim, t0, None)).unwrap();
        let down = nav.step(&sim, a, Move::Down, end).unwrap();
        assert_eq!(lane(down), lane(a) + 1);
        let r = &sim.trace.tasks[a];
        let mid = (r.launch_time + r.finish_time) / 2;
        let d = &sim.trace.tasks[down];
        // All lanes are busy from the start to the end of this stage: the one below runs at the same time.
        assert!(d.launch_time <= mid && mid <= d.finish_time, "{mid} not in {}..{}", d.launch_time, d.finish_time);
        assert_eq!(nav.step(&sim, a, Move::Up, end), None);
        let mut bottom = a;
        while let Some(n) = nav.step(&sim, bottom, Move::Down, end) {
            bottom = n;
        }
        assert_eq!(lane(bottom), g.n_lanes - 1);
        assert!(nav.step(&sim, bottom, Move::Up, end).is_some());
        // A selected task the playhead has reached is where the cursor starts.
        assert_eq!(nav.start(&sim, end, Some(bottom)), Some(bottom));
        assert_eq!(nav.start(&sim, -1.0, Some(bottom)), None);
    }
}
