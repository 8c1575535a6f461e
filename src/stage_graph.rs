//! The jobs → stages DAG as one laid-out model, for the browser's stage graphs and the SVG / PNG / Excalidraw
//! exports: per job its stages (task count, skipped or failed), its shuffle edges parent → child with the
//! bytes the child read from the parent's shuffle, and each stage's place (longest-path layer left to right,
//! slot by one barycentre pass top to bottom). Knows the simulation's and the report's job shapes, nothing of
//! the DOM or of file formats.

use crate::report::JobReport;
use crate::sim::{SimResult, SimTime};
use crate::trace::summary::StageStatus;

/// One stage box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageNode {
    pub stage_id: u32,
    pub num_tasks: u32,
    pub skipped: bool,
    pub failed: bool,
    /// Column: one more than the deepest parent's inside the job.
    pub layer: usize,
    /// Row inside the column.
    pub slot: usize,
}

/// A shuffle edge: `from` (parent) → `to` (child), indices into [`JobGraph::nodes`]; `bytes` the child read
/// from the parent's shuffle (0 when unknown, as in a report without a simulation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageEdge {
    pub from: usize,
    pub to: usize,
    pub bytes: u64,
}

/// One job's stages, in the job's stage order, laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobGraph {
    pub job_id: u32,
    /// `result`, `broadcast`, … as Spark's job kinds are named here.
    pub kind: String,
    /// Submission → completion, µs (simulated jobs only).
    pub duration: Option<SimTime>,
    pub nodes: Vec<StageNode>,
    pub edges: Vec<StageEdge>,
}

/// Every job's graph, in job order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StageGraph {
    pub jobs: Vec<JobGraph>,
}

impl JobGraph {
    /// `stages` = (stage id, tasks, skipped, failed, parent ids); `bytes(parent, child)` = shuffle bytes read.
    fn new(job_id: u32, kind: String, duration: Option<SimTime>, stages: Vec<(u32, u32, bool, bool, &[u32])>, bytes: impl Fn(u32, u32) -> u64) -> JobGraph {
        let idx = |id: u32| stages.iter().position(|s| s.0 == id);
        let pairs: Vec<(usize, usize)> =
            stages.iter().enumerate().flat_map(|(i, s)| s.4.iter().filter_map(move |&p| idx(p).map(|a| (a, i)))).collect();
        let at = layered(stages.len(), &pairs);
        let edges = pairs.iter().map(|&(a, b)| StageEdge { from: a, to: b, bytes: bytes(stages[a].0, stages[b].0) }).collect();
        let nodes = stages
            .iter()
            .zip(at)
            .map(|(s, (layer, slot))| StageNode { stage_id: s.0, num_tasks: s.1, skipped: s.2, failed: s.3, layer, slot })
            .collect();
        JobGraph { job_id, kind, duration, nodes, edges }
    }

    /// Number of columns (at least 1).
    pub fn layers(&self) -> usize {
        self.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(1)
    }

    /// Number of rows of the tallest column (at least 1).
    pub fn slots(&self) -> usize {
        self.nodes.iter().map(|n| n.slot + 1).max().unwrap_or(1)
    }

    /// Top-left corner of node `i` in cells of `w` × `h` (box plus gap), offset by `(left, top)`.
    pub fn xy(&self, i: usize, (w, h): (f64, f64), (left, top): (f64, f64)) -> (f64, f64) {
        (self.nodes[i].layer as f64 * w + left, self.nodes[i].slot as f64 * h + top)
    }
}

impl StageGraph {
    /// The jobs that ran, with the shuffle bytes each stage read from each parent's shuffle.
    pub fn from_sim(sim: &SimResult) -> StageGraph {
        let bytes = |map: u32, reader: u32| {
            sim.shuffles.iter().filter(|s| s.map_stage_ids.contains(&map)).flat_map(|s| &s.readers).filter(|r| r.stage_id == reader).map(|r| r.bytes_read).sum()
        };
        let jobs = sim
            .jobs
            .iter()
            .map(|j| {
                let stages = j
                    .stages
                    .iter()
                    .map(|s| (s.stage_id, s.num_tasks, s.status == StageStatus::Skipped, s.status == StageStatus::Failed, s.parent_ids.as_slice()))
                    .collect();
                let duration = j.completion_time.zip(j.submission_time).map(|(c, s)| c - s);
                JobGraph::new(j.job_id, j.kind.label().to_string(), duration, stages, bytes)
            })
            .collect();
        StageGraph { jobs }
    }

    /// The jobs the planner formed (the report's `jobs`): no bytes, no durations.
    pub fn from_report(jobs: &[JobReport]) -> StageGraph {
        let jobs = jobs
            .iter()
            .map(|j| {
                let stages = j.stages.iter().map(|s| (s.stage_id, s.num_tasks, s.status == "skipped", s.status == "failed", s.parent_ids.as_slice())).collect();
                JobGraph::new(j.job_id, j.kind.clone(), None, stages, |_, _| 0)
            })
            .collect();
        StageGraph { jobs }
    }
}

/// Longest-path layers and one barycentre pass: (layer, slot) per node; `edges` go parent → child. Layers are
/// bounded by the node count, so a cycle in malformed input cannot loop forever.
pub fn layered(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut layer = vec![0usize; n];
    for _ in 0..n {
        for &(a, b) in edges {
            layer[b] = layer[b].max((layer[a] + 1).min(n));
        }
    }
    let mut pos = vec![0f64; n];
    let mut slot = vec![0usize; n];
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);
    for l in 0..layers {
        let bary = |i: usize, pos: &[f64]| {
            let ps: Vec<f64> = edges.iter().filter(|e| e.1 == i).map(|e| pos[e.0]).collect();
            if ps.is_empty() { i as f64 } else { ps.iter().sum::<f64>() / ps.len() as f64 }
        };
        let mut keyed: Vec<(f64, usize)> = (0..n).filter(|&i| layer[i] == l).map(|i| (bary(i, &pos), i)).collect();
        crate::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0));
        for (k, &(_, i)) in keyed.iter().enumerate() {
            pos[i] = k as f64;
            slot[i] = k;
        }
    }
    (0..n).map(|i| (layer[i], slot[i])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::StageReport;

    fn jobs() -> Vec<JobReport> {
        let st = |id, n, parents: &[u32], status: &str| StageReport { stage_id: id, num_tasks: n, parent_ids: parents.to_vec(), status: status.into() };
        vec![
            JobReport { job_id: 0, kind: "result".into(), stages: vec![st(3, 4, &[1, 2], "completed"), st(1, 12, &[], "skipped"), st(2, 8, &[0], "completed"), st(0, 2, &[], "completed")] },
            JobReport { job_id: 1, kind: "broadcast".into(), stages: vec![] },
        ]
    }

    #[test]
    fn layers_follow_the_longest_parent_chain_and_slots_fill_each_column() {
        let g = StageGraph::from_report(&jobs());
        let j = &g.jobs[0];
        let place: Vec<(u32, usize, usize)> = j.nodes.iter().map(|n| (n.stage_id, n.layer, n.slot)).collect();
        // 0 → 2 → 3 and 1 → 3: stage 3 in column 2, stage 2 in column 1, stages 0 and 1 in column 0.
        assert_eq!(place, vec![(3, 2, 0), (1, 0, 0), (2, 1, 0), (0, 0, 1)]);
        assert_eq!((j.layers(), j.slots()), (3, 2));
        assert_eq!(j.xy(3, (100.0, 50.0), (5.0, 7.0)), (5.0, 57.0));
        assert!(j.nodes[1].skipped && !j.nodes[0].skipped);
        let edges: Vec<(usize, usize)> = j.edges.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(edges, vec![(1, 0), (2, 0), (3, 2)]);
        assert!(j.edges.iter().all(|e| e.bytes == 0));
        assert_eq!((g.jobs[1].layers(), g.jobs[1].slots()), (1, 1));
    }

    #[test]
    fn barycentre_keeps_children_beside_their_parents() {
        // Two chains 0 → 2 and 1 → 3, children listed in the other order: 3 goes in row 1, beside 1.
        let at = layered(4, &[(1, 2), (0, 3)]);
        assert_eq!(at, vec![(0, 0), (0, 1), (1, 1), (1, 0)]);
        // A cycle (malformed) still terminates.
        assert_eq!(layered(2, &[(0, 1), (1, 0)]).len(), 2);
    }

    #[test]
    fn simulated_jobs_carry_shuffle_bytes_and_skips() {
        // Without AQE a job holds its map stages too, so its graph has shuffle edges.
        let mut s = crate::input::catalogs::default_example();
        crate::pipeline::apply_setting(&mut s, "spark.sql.adaptive.enabled", "false").unwrap();
        let run = crate::pipeline::simulate(&s).unwrap();
        let g = StageGraph::from_sim(&run.sim);
        assert_eq!(g.jobs.len(), run.sim.jobs.len());
        let edges: Vec<&StageEdge> = g.jobs.iter().flat_map(|j| &j.edges).collect();
        assert!(!edges.is_empty());
        assert!(edges.iter().any(|e| e.bytes > 0), "shuffle edges are labelled with bytes");
        for j in &g.jobs {
            for e in &j.edges {
                assert!(j.nodes[e.from].layer < j.nodes[e.to].layer);
            }
        }
    }
}
