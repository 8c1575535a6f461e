//! Exports: pure functions from core types to text files a person can open elsewhere — a Chrome Trace Event
//! JSON of a simulated trace (Perfetto, chrome://tracing), an Excalidraw drawing and an SVG of the job/stage
//! DAG (placed from `crate::stage_graph`, the layout the browser draws too), SVGs of a plan graph and of the executor timeline, and EXPLAIN output as Markdown. Knows those file formats and pixel sizes; knows
//! nothing of the UI (the view offers the downloads) and uses no serde: the JSON is written by hand with
//! [`json_str`], so none of this pulls a JSON library into the browser build.

pub mod chrome_trace;
pub mod excalidraw;
pub mod markdown;
pub mod plan_svg;
pub mod svg;
pub mod timeline_svg;

use crate::stage_graph::StageGraph;

/// `s` as a JSON string literal (quotes included), escaped per RFC 8259.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One stage box of the DAG drawing. Jobs are drawn side by side, left to right; inside a job, stages sit
/// where [`crate::stage_graph`] lays them out (columns by depth, rows by one barycentre pass).
#[derive(Debug, Clone, PartialEq)]
pub struct StageBox {
    pub job_id: u32,
    pub stage_id: u32,
    pub num_tasks: u32,
    pub skipped: bool,
    pub x: i64,
    pub y: i64,
}

/// A shuffle edge: parent stage box → child stage box (indices into [`DagLayout::boxes`]) and the bytes
/// the child read from the parent's shuffle (0: unknown, not labelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub bytes: u64,
}

/// A job's title and where it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct JobLabel {
    pub job_id: u32,
    pub text: String,
    pub x: i64,
    pub y: i64,
}

/// The placed DAG: boxes, edges and job titles, and the drawing's size.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DagLayout {
    pub boxes: Vec<StageBox>,
    pub edges: Vec<Edge>,
    pub jobs: Vec<JobLabel>,
    pub width: i64,
    pub height: i64,
}

pub const BOX_W: i64 = 180;
pub const BOX_H: i64 = 60;
const GAP_X: i64 = 60;
const GAP_Y: i64 = 30;
const MARGIN: i64 = 20;
const TITLE_H: i64 = 30;

impl StageBox {
    /// `Stage 3` / `Stage 3 (skipped)`, then the task count.
    pub fn label(&self) -> String {
        let skipped = if self.skipped { " (skipped)" } else { "" };
        let s = if self.num_tasks == 1 { "" } else { "s" };
        format!("Stage {}{skipped}\n{} task{s}", self.stage_id, self.num_tasks)
    }
}

/// Places every job's stages in pixels: the jobs side by side, each job's stages where the stage graph put them.
pub fn layout(g: &StageGraph) -> DagLayout {
    let mut out = DagLayout::default();
    let mut x0 = MARGIN;
    for job in &g.jobs {
        let base = out.boxes.len();
        for (i, s) in job.nodes.iter().enumerate() {
            let (x, y) = job.xy(i, ((BOX_W + GAP_X) as f64, (BOX_H + GAP_Y) as f64), (x0 as f64, (MARGIN + TITLE_H) as f64));
            out.boxes.push(StageBox { job_id: job.job_id, stage_id: s.stage_id, num_tasks: s.num_tasks, skipped: s.skipped, x: x as i64, y: y as i64 });
        }
        out.edges.extend(job.edges.iter().map(|e| Edge { from: base + e.from, to: base + e.to, bytes: e.bytes }));
        out.jobs.push(JobLabel { job_id: job.job_id, text: format!("Job {} ({})", job.job_id, job.kind), x: x0, y: MARGIN });
        let tallest = if job.nodes.is_empty() { 0 } else { job.slots() as i64 };
        out.height = out.height.max(MARGIN + TITLE_H + tallest * (BOX_H + GAP_Y) + MARGIN);
        x0 += job.layers() as i64 * (BOX_W + GAP_X) + GAP_X;
    }
    out.width = x0.max(MARGIN * 2 + BOX_W);
    out.height = out.height.max(MARGIN * 2 + TITLE_H);
    out
}
