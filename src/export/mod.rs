//! Exports: pure functions from core types to text files a person can open elsewhere — a Chrome Trace Event
//! JSON of a simulated trace (Perfetto, chrome://tracing), an Excalidraw drawing and an SVG of the job/stage
//! DAG, SVGs of the physical plan and of the executor timeline, and EXPLAIN output as Markdown. Knows those file formats and a simple layered DAG layout; knows
//! nothing of the UI (the view offers the downloads) and uses no serde: the JSON is written by hand with
//! [`json_str`], so none of this pulls a JSON library into the browser build.

pub mod chrome_trace;
pub mod excalidraw;
pub mod markdown;
pub mod plan_svg;
pub mod svg;
pub mod timeline_svg;

use crate::report::JobReport;

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

/// One stage box of the DAG drawing. Jobs are drawn side by side, left to right; inside a job, stages are in
/// columns by depth (a stage's column is one more than its deepest parent's) and stacked in each column.
#[derive(Debug, Clone, PartialEq)]
pub struct StageBox {
    pub job_id: u32,
    pub stage_id: u32,
    pub num_tasks: u32,
    pub skipped: bool,
    pub x: i64,
    pub y: i64,
}

/// A shuffle edge: parent stage box → child stage box (indices into [`DagLayout::boxes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
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
        format!("Stage {}{skipped}\n{} tasks", self.stage_id, self.num_tasks)
    }
}

/// Places every job's stages.
pub fn layout(jobs: &[JobReport]) -> DagLayout {
    let mut out = DagLayout::default();
    let mut x0 = MARGIN;
    for job in jobs {
        // Depth = longest parent chain inside this job (parents outside it are ignored); bounded by the count.
        let n = job.stages.len();
        let mut depth = vec![0usize; n];
        for _ in 0..n {
            for (i, s) in job.stages.iter().enumerate() {
                for p in &s.parent_ids {
                    if let Some(j) = job.stages.iter().position(|t| t.stage_id == *p) {
                        depth[i] = depth[i].max((depth[j] + 1).min(n));
                    }
                }
            }
        }
        let columns = depth.iter().max().map_or(0, |d| d + 1);
        let mut rows = vec![0i64; columns];
        // Column by column, each in the job's stage order (no sort: keeps the wasm small).
        let mut order = Vec::with_capacity(n);
        for d in 0..columns {
            order.extend((0..n).filter(|&i| depth[i] == d));
        }
        let mut index = vec![0usize; n];
        for i in order {
            let s = &job.stages[i];
            let d = depth[i];
            index[i] = out.boxes.len();
            out.boxes.push(StageBox {
                job_id: job.job_id,
                stage_id: s.stage_id,
                num_tasks: s.num_tasks,
                skipped: s.status == "skipped",
                x: x0 + d as i64 * (BOX_W + GAP_X),
                y: MARGIN + TITLE_H + rows[d] * (BOX_H + GAP_Y),
            });
            rows[d] += 1;
        }
        for (i, s) in job.stages.iter().enumerate() {
            for p in &s.parent_ids {
                if let Some(j) = job.stages.iter().position(|t| t.stage_id == *p) {
                    out.edges.push(Edge { from: index[j], to: index[i] });
                }
            }
        }
        out.jobs.push(JobLabel { job_id: job.job_id, text: format!("Job {} ({})", job.job_id, job.kind), x: x0, y: MARGIN });
        let tallest = rows.iter().copied().max().unwrap_or(0);
        out.height = out.height.max(MARGIN + TITLE_H + tallest * (BOX_H + GAP_Y) + MARGIN);
        let w = (columns.max(1) as i64) * (BOX_W + GAP_X);
        x0 += w + GAP_X;
    }
    out.width = x0.max(MARGIN * 2 + BOX_W);
    out.height = out.height.max(MARGIN * 2 + TITLE_H);
    out
}
