//! The timeline's render model: what the canvas draws at playhead `t` — a lane per executor core, one bar
//! per task attempt started by `t` (cut at `t` while running), with its stage, lightness (dimmed when
//! another stage is selected, light when failed) and outline (straggler, speculative copy, failure) — and
//! the stops the step buttons and arrow keys jump between. Pure geometry over a `SimResult`: the view
//! only paints what this yields, so the per-frame work is benchmarked natively (`benches/sim_million.rs`).

use super::SimResult;

/// The canvas's left margin (executor labels) and top margin (time axis), in CSS pixels.
pub const LEFT: f64 = 48.0;
pub const TOP: f64 = 22.0;

/// How a bar is outlined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outline {
    None,
    /// Done, successful, over a second and more than 1.5x its stage's median.
    Straggler,
    Speculative,
    Failed,
}

/// One task attempt as drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Index in `trace.tasks`.
    pub task: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub stage: u32,
    /// HSL lightness: 55 normal or running, 80 failed, 90 dimmed by a selection.
    pub light: u8,
    pub outline: Outline,
    pub selected: bool,
}

/// Lanes and scales of one canvas size.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// (executor id, its first lane), executors in id order, their cores one after the other.
    pub lanes: Vec<(u32, u32)>,
    pub n_lanes: u32,
    pub lane_h: f64,
    pub width: f64,
    pub height: f64,
    total: f64,
    /// First lane by executor id.
    first_lane: Vec<u32>,
}

impl Geometry {
    pub fn new(sim: &SimResult, width: f64) -> Geometry {
        Geometry::with_total(sim, width, sim.total_time)
    }

    /// The same with the time axis running to `total` µs (A/B: both runs on the longer one's scale).
    pub fn with_total(sim: &SimResult, width: f64, total: u64) -> Geometry {
        let mut lanes = vec![];
        let mut n = 0;
        for e in &sim.executors {
            lanes.push((e.executor_id, n));
            n += e.cores.max(1);
        }
        let n_lanes = n.max(1);
        let lane_h = (440.0 / n_lanes as f64).clamp(4.0, 40.0);
        let mut first_lane = vec![0u32; lanes.iter().map(|o| o.0 as usize + 1).max().unwrap_or(1)];
        for o in &lanes {
            first_lane[o.0 as usize] = o.1;
        }
        Geometry { lanes, n_lanes, lane_h, width, height: TOP + lane_h * n_lanes as f64 + 4.0, total: total.max(1) as f64, first_lane }
    }

    /// The x of a time (µs).
    pub fn x(&self, us: f64) -> f64 {
        LEFT + us / self.total * (self.width - LEFT - 8.0)
    }

    /// The lane of an executor's slot.
    pub fn lane(&self, executor: u32, slot: u16) -> u32 {
        self.first_lane.get(executor as usize).copied().unwrap_or(0) + slot as u32
    }
}

/// Each stage's median task duration (ms), by stage id: the straggler test's reference.
pub fn medians(sim: &SimResult) -> Vec<u64> {
    let mut medians = vec![0u64; sim.stages.iter().map(|s| s.stage_id as usize + 1).max().unwrap_or(1)];
    for st in &sim.stages {
        medians[st.stage_id as usize] = st.task_duration_ms.map_or(0, |q| q.p50);
    }
    medians
}

/// The bar of task attempt `i` (started by `t`) at playhead `t`; `medians` from [`medians`].
pub fn bar(sim: &SimResult, g: &Geometry, medians: &[u64], i: usize, t: f64, sel: Option<(u32, Option<u32>)>) -> Bar {
    let r = &sim.trace.tasks[i];
    let start = r.launch_time as f64;
    let end = (r.finish_time as f64).min(t);
    let x = g.x(start);
    let done = r.finish_time as f64 <= t;
    let dim = sel.is_some_and(|s| s.0 != r.stage_id);
    let median = medians.get(r.stage_id as usize).copied().unwrap_or(0);
    let outline = if r.speculative {
        Outline::Speculative
    } else if r.reason.is_failure() {
        Outline::Failed
    } else if done && r.reason.is_success() && r.duration_ms() > 1000 && r.duration_ms() * 2 > median * 3 {
        Outline::Straggler
    } else {
        Outline::None
    };
    Bar {
        task: i,
        x,
        y: TOP + g.lane(r.executor_id, r.slot) as f64 * g.lane_h + 1.0,
        w: (g.x(end) - x).max(1.0),
        stage: r.stage_id,
        light: if dim { 90 } else if r.reason.is_success() || !done { 55 } else { 80 },
        outline,
        selected: sel.and_then(|s| s.1) == Some(i as u32),
    }
}

/// Calls `draw` for every task attempt started by playhead `t`, in trace order. `sel`: the selected stage
/// and, if one was clicked, task index. (The canvas paints incrementally through `timeline_frame`; this
/// full pass is the reference its tests compare against.)
pub fn for_each_bar(sim: &SimResult, g: &Geometry, t: f64, sel: Option<(u32, Option<u32>)>, mut draw: impl FnMut(&Bar)) {
    let medians = medians(sim);
    for (i, r) in sim.trace.tasks.iter().enumerate() {
        if r.launch_time as f64 > t {
            continue;
        }
        draw(&bar(sim, g, &medians, i, t, sel));
    }
}

/// The task drawn at canvas point (x, y) at playhead `t`, with 2 px of slack either side in time so that
/// short tasks can be hit: its index in the trace.
pub fn hit(sim: &SimResult, g: &Geometry, x: f64, y: f64, t: f64) -> Option<usize> {
    if y < TOP || x < LEFT - 2.0 {
        return None;
    }
    let lane = ((y - TOP) / g.lane_h) as u32;
    let scale = g.total / (g.width - LEFT - 8.0);
    let (us, slack) = ((x - LEFT) * scale, 2.0 * scale);
    sim.trace.tasks.iter().position(|r| {
        let start = r.launch_time as f64;
        g.lane(r.executor_id, r.slot) == lane && start <= t && start - slack <= us && us <= (r.finish_time as f64).min(t) + slack
    })
}

/// Sorted task start and end times, with 0 and the end: the stops of the step buttons and arrow keys.
pub fn stops(sim: &SimResult) -> Vec<u64> {
    let mut v: Vec<u64> = sim.trace.tasks.iter().flat_map(|r| [r.launch_time, r.finish_time]).collect();
    v.push(0);
    v.push(sim.total_time);
    crate::sort::sort(&mut v);
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, ClusterSpec, JobKind, JobSpec, Schedule, StageSpec, TaskWork};

    fn run() -> SimResult {
        let tasks = (0..9).map(|p| TaskWork::cpu_ms(100 + 400 * (p == 4) as u64 * 10)).collect();
        let jobs = vec![JobSpec::new(0, JobKind::Result, vec![StageSpec::result(0, 9).tasks(tasks)])];
        simulate(&Schedule::new(ClusterSpec::new(2, 2), jobs)).unwrap()
    }

    #[test]
    fn bars_sit_in_their_lanes_and_grow_with_the_playhead() {
        let sim = run();
        let g = Geometry::new(&sim, 800.0);
        assert_eq!(g.n_lanes, 4);
        let mut all = vec![];
        for_each_bar(&sim, &g, sim.total_time as f64, None, |b| all.push(*b));
        assert_eq!(all.len(), sim.trace.tasks.len());
        for b in &all {
            let r = &sim.trace.tasks[b.task];
            assert_eq!(b.y, TOP + g.lane(r.executor_id, r.slot) as f64 * g.lane_h + 1.0);
            assert!(b.x >= LEFT && b.x + b.w <= 800.0 - 8.0 + 1.0);
        }
        // The 4 s task is a straggler against a 100 ms median.
        assert_eq!(all.iter().filter(|b| b.outline == Outline::Straggler).count(), 1);
        // Just before the last launch: fewer bars, and none past the playhead.
        let half = sim.trace.tasks.iter().map(|r| r.launch_time).max().unwrap() as f64 - 1.0;
        let mut n = 0;
        for_each_bar(&sim, &g, half, Some((0, Some(0))), |b| {
            n += 1;
            assert!(b.x + b.w <= g.x(half) + 1.0);
            assert_eq!(b.selected, b.task == 0);
        });
        assert!(n < all.len());
    }

    #[test]
    fn a_click_on_a_bar_hits_its_task() {
        let sim = run();
        let g = Geometry::new(&sim, 800.0);
        let mut bars = vec![];
        for_each_bar(&sim, &g, sim.total_time as f64, None, |b| bars.push(*b));
        for b in &bars {
            assert_eq!(hit(&sim, &g, b.x + b.w / 2.0, b.y + 2.0, sim.total_time as f64), Some(b.task));
        }
        assert_eq!(hit(&sim, &g, 10.0, 10.0, sim.total_time as f64), None);
        let s = stops(&sim);
        assert_eq!(s.first(), Some(&0));
        assert_eq!(s.last(), Some(&sim.total_time));
        assert!(s.windows(2).all(|w| w[0] < w[1]));
    }
}
