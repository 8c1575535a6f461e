//! The timeline's incremental paint plan, so that playing a 100,000-task run does not repaint every task each
//! frame: attempts ordered by finish time (the canvas keeps those finished by the playhead in an offscreen
//! cache and adds only the ones finished since the last frame), the attempts running at the playhead (painted
//! live each frame), and the AQE / executor-loss markers, computed once per run. Finished bars of one batch
//! are merged per lane where they fall on the same pixel column. Pure geometry over a `SimResult`; the view
//! (`view::timeline`) owns the canvases.

use super::timeline_model::{bar, medians, Bar, Geometry, Outline};
use super::SimResult;
use crate::trace::Event;

/// A marker on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Replan,
    ExecutorLost,
}

/// One run's orders, built once (memoized by the view); every per-frame query is a binary search plus the
/// work of what it returns.
pub struct Frames {
    /// Task indices by finish time (ties by index).
    by_finish: Vec<u32>,
    /// Task indices by launch time (ties by index).
    by_launch: Vec<u32>,
    /// The longest attempt (µs): an attempt running at `t` launched at or after `t - longest`.
    longest: u64,
    medians: Vec<u64>,
    /// AQE re-plans and executor losses by time.
    pub markers: Vec<(u64, Marker)>,
}

/// Sorts task indices by `key`, ties by index. One function for every order here (not one sort per closure:
/// each monomorphized sort costs the wasm download a few KB), and each key computed once (calling it inside
/// the sort's comparisons made a 100,000-task cache rebuild take 42 ms).
pub(crate) fn sort_by(v: &mut [u32], key: &dyn Fn(u32) -> u64) {
    let mut keyed: Vec<(u64, u32)> = v.iter().map(|&i| (key(i), i)).collect();
    keyed.sort_unstable();
    for (slot, (_, i)) in v.iter_mut().zip(keyed) {
        *slot = i;
    }
}

impl Frames {
    pub fn new(sim: &SimResult) -> Frames {
        let tasks = &sim.trace.tasks;
        let mut by_finish: Vec<u32> = (0..tasks.len() as u32).collect();
        sort_by(&mut by_finish, &|i| tasks[i as usize].finish_time);
        let mut by_launch: Vec<u32> = (0..tasks.len() as u32).collect();
        sort_by(&mut by_launch, &|i| tasks[i as usize].launch_time);
        let longest = tasks.iter().map(|r| r.finish_time.saturating_sub(r.launch_time)).max().unwrap_or(0);
        let markers = sim
            .trace
            .events
            .iter()
            .filter_map(|e| match e {
                Event::AdaptiveExecutionUpdate(u) => Some((u.time, Marker::Replan)),
                Event::ExecutorRemoved(r) => Some((r.time, Marker::ExecutorLost)),
                _ => None,
            })
            .collect();
        Frames { by_finish, by_launch, longest, medians: medians(sim), markers }
    }

    /// The bar of attempt `i` (started by `t`) at playhead `t`, not dimmed.
    pub fn bar(&self, sim: &SimResult, g: &Geometry, i: usize, t: f64) -> Bar {
        bar(sim, g, &self.medians, i, t, None)
    }

    /// How many attempts have finished by playhead `t` (the first that many of the finish order).
    pub fn done_by(&self, sim: &SimResult, t: f64) -> usize {
        self.by_finish.partition_point(|&i| sim.trace.tasks[i as usize].finish_time as f64 <= t)
    }

    /// How many attempts have started by playhead `t`.
    pub fn started_by(&self, sim: &SimResult, t: f64) -> usize {
        self.by_launch.partition_point(|&i| sim.trace.tasks[i as usize].launch_time as f64 <= t)
    }

    /// The bars of the attempts `from..to` of the finish order, as finished, sorted by lane then x, with
    /// neighbours in a lane that share a fill, have no outline and reach into the same pixel column merged
    /// into one bar (which keeps the first attempt's index). `sel_stage` dims the other stages.
    pub fn done_bars(&self, sim: &SimResult, g: &Geometry, from: usize, to: usize, sel_stage: Option<u32>, mut draw: impl FnMut(&Bar)) {
        let to = to.min(self.by_finish.len());
        if from >= to {
            return;
        }
        let sel = sel_stage.map(|s| (s, None));
        let tasks = &sim.trace.tasks;
        // By lane (a counting sort, stable), so by lane then start: one core runs one attempt at a time, so a
        // lane's attempts finish in the order they start. (A comparison sort here took ~38 ms for 100,000.)
        let lane = |i: u32| {
            let r = &tasks[i as usize];
            (g.lane(r.executor_id, r.slot) as usize).min(g.n_lanes as usize - 1)
        };
        let batch = &self.by_finish[from..to];
        let mut at = vec![0usize; g.n_lanes as usize + 1];
        for &i in batch {
            at[lane(i) + 1] += 1;
        }
        for k in 1..at.len() {
            at[k] += at[k - 1];
        }
        let mut order = vec![0u32; batch.len()];
        for &i in batch {
            let l = lane(i);
            order[at[l]] = i;
            at[l] += 1;
        }
        let plain = |b: &Bar| b.outline == Outline::None;
        let mut cur: Option<Bar> = None;
        for b in order.into_iter().map(|i| bar(sim, g, &self.medians, i as usize, f64::INFINITY, sel)) {
            if let Some(c) = cur.as_mut() {
                let end = c.x + c.w;
                if c.y == b.y && (c.stage, c.light) == (b.stage, b.light) && plain(c) && plain(&b) && c.x <= b.x && b.x < end.floor() + 1.0 {
                    c.w = end.max(b.x + b.w) - c.x;
                    continue;
                }
                draw(c);
            }
            cur = Some(b);
        }
        if let Some(c) = cur {
            draw(&c);
        }
    }

    /// The bars of the attempts running at playhead `t` (started, not finished), cut at `t`.
    pub fn running_bars(&self, sim: &SimResult, g: &Geometry, t: f64, sel_stage: Option<u32>, mut draw: impl FnMut(&Bar)) {
        let tasks = &sim.trace.tasks;
        let lo = t - self.longest as f64;
        let first = self.by_launch.partition_point(|&i| (tasks[i as usize].launch_time as f64) < lo);
        let sel = sel_stage.map(|s| (s, None));
        for &i in &self.by_launch[first..] {
            let r = &tasks[i as usize];
            if r.launch_time as f64 > t {
                break;
            }
            if r.finish_time as f64 > t {
                draw(&bar(sim, g, &self.medians, i as usize, t, sel));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::timeline_model::for_each_bar;
    use crate::sim::{simulate, ClusterSpec, JobKind, JobSpec, Schedule, StageSpec, TaskWork};

    fn run(n: u32) -> SimResult {
        let tasks = (0..n).map(|p| TaskWork::cpu_ms(20 + (p as u64 * 37) % 90 + 3000 * (p == 4) as u64)).collect();
        let jobs = vec![JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, n).tasks(tasks)])];
        simulate(&Schedule::new(ClusterSpec::new(2, 2), jobs)).unwrap()
    }

    /// Painted spans per (lane, fill, outline), touching spans joined: what a canvas shows.
    fn cover(bars: &[Bar]) -> Vec<((i64, u32, u8, u8), i64, i64)> {
        let mut v: Vec<_> = bars.iter().map(|b| ((b.y as i64, b.stage, b.light, b.outline as u8), (b.x * 1e3).round() as i64, ((b.x + b.w) * 1e3).round() as i64)).collect();
        v.sort();
        let mut out: Vec<((i64, u32, u8, u8), i64, i64)> = vec![];
        for (k, a, b) in v {
            match out.last_mut() {
                Some(l) if l.0 == k && a <= l.2 + 1 => l.2 = l.2.max(b),
                _ => out.push((k, a, b)),
            }
        }
        out
    }

    /// Finished (from the cache, in two batches) plus running: what the full pass paints.
    #[test]
    fn cache_plus_running_paints_what_the_full_pass_paints() {
        let sim = run(40);
        let f = Frames::new(&sim);
        let g = Geometry::new(&sim, 200_000.0);
        for k in 1..=8 {
            let t = sim.total_time as f64 * k as f64 / 8.0;
            let mut full = vec![];
            for_each_bar(&sim, &g, t, Some((0, None)), |b| full.push(*b));
            let (mid, n) = (f.done_by(&sim, t / 2.0), f.done_by(&sim, t));
            let mut inc = vec![];
            f.done_bars(&sim, &g, 0, mid, Some(0), |b| inc.push(*b));
            f.done_bars(&sim, &g, mid, n, Some(0), |b| inc.push(*b));
            f.running_bars(&sim, &g, t, Some(0), |b| inc.push(*b));
            assert_eq!(cover(&inc), cover(&full), "at {t}");
            assert_eq!(f.started_by(&sim, t), full.len());
        }
    }

    #[test]
    fn tiny_tasks_in_one_pixel_column_merge_per_lane() {
        let sim = run(400);
        let f = Frames::new(&sim);
        let g = Geometry::new(&sim, 300.0);
        let n = sim.trace.tasks.len();
        let mut bars = vec![];
        f.done_bars(&sim, &g, 0, n, None, |b| bars.push(*b));
        assert!(bars.len() < n / 4, "{} bars for {n} tasks", bars.len());
        // Every lane still spans from its first start to its last finish, and outlined bars stay apart.
        let mut all = vec![];
        for_each_bar(&sim, &g, f64::INFINITY, None, |b| all.push(*b));
        for lane_y in all.iter().map(|b| b.y as i64).collect::<std::collections::BTreeSet<_>>() {
            let ext = |v: &[Bar]| {
                let l: Vec<_> = v.iter().filter(|b| b.y as i64 == lane_y).collect();
                (l.iter().map(|b| b.x).fold(f64::MAX, f64::min), l.iter().map(|b| b.x + b.w).fold(0.0, f64::max))
            };
            assert_eq!(ext(&bars), ext(&all));
        }
        assert_eq!(bars.iter().filter(|b| b.outline == Outline::Straggler).count(), 1);
        assert!(f.markers.is_empty());
    }
}
