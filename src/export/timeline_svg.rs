//! The executor timeline of a simulated run as a standalone SVG document: one lane per executor core
//! (`executor E · slot S`), one bar per task attempt from launch to finish, coloured by stage (the app's
//! hues), failed and killed attempts outlined in red, a time axis in seconds and a stage legend. Knows the
//! trace's task records; nothing of the app. Very large runs draw their first [`MAX_TASK_BARS`] attempts
//! and say so in the drawing (an SVG of 100,000 rectangles is unusable in an editor).

use super::svg::xml_escape;
use crate::trace::Trace;

/// Task bars drawn at most.
pub const MAX_TASK_BARS: usize = 20_000;
const WIDTH: u64 = 1200;
const LEFT: u64 = 150;
const LANE_H: u64 = 16;
const TOP: u64 = 40;

/// The stage colour the app uses (hue from the stage id).
pub fn stage_hue(stage: u32) -> u32 {
    (stage.wrapping_mul(67).wrapping_add(200)) % 360
}

/// The timeline of `trace` as an SVG document.
pub fn timeline_svg(trace: &Trace, title: &str) -> String {
    // Lanes: (executor, slot) in order.
    let mut lanes: Vec<(u32, u16)> = trace.tasks.iter().map(|t| (t.executor_id, t.slot)).collect();
    crate::sort::sort(&mut lanes);
    lanes.dedup();
    let end = trace.tasks.iter().map(|t| t.finish_time).max().unwrap_or(0).max(1);
    let plot_w = WIDTH - LEFT - 20;
    let x_of = |t: u64| LEFT + t.min(end) * plot_w / end;
    let mut stages: Vec<u32> = trace.tasks.iter().map(|t| t.stage_id).collect();
    crate::sort::sort(&mut stages);
    stages.dedup();
    let legend_rows = stages.len().div_ceil(8) as u64;
    let height = TOP + lanes.len() as u64 * LANE_H + 40 + legend_rows * 18 + 10;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n<title>Stagecraft: executor timeline</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        xml_escape(title)
    );
    for (i, (e, s)) in lanes.iter().enumerate() {
        let y = TOP + i as u64 * LANE_H;
        if i % 2 == 0 {
            out += &format!("<rect x=\"{LEFT}\" y=\"{y}\" width=\"{plot_w}\" height=\"{LANE_H}\" fill=\"#f1f3f5\"/>");
        }
        out += &format!("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#495057\">executor {e} · slot {s}</text>\n", LEFT - 6, y + LANE_H - 4);
    }
    let axis_y = TOP + lanes.len() as u64 * LANE_H;
    // About ten ticks at a round number of seconds.
    let secs = end as f64 / 1e6;
    let step = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0].into_iter().find(|s| secs / s <= 10.0).unwrap_or(7200.0);
    let mut t = 0.0;
    while t <= secs + 1e-9 {
        let x = x_of((t * 1e6) as u64);
        out += &format!("<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{}\" stroke=\"#dee2e6\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"#495057\">{}s</text>\n", axis_y + 4, axis_y + 16, trim_secs(t));
        t += step;
    }
    let mut drawn = 0usize;
    for task in &trace.tasks {
        if drawn == MAX_TASK_BARS {
            break;
        }
        let Some(lane) = lanes.iter().position(|l| *l == (task.executor_id, task.slot)) else { continue };
        let (x0, x1) = (x_of(task.launch_time), x_of(task.finish_time));
        let stroke = if task.reason.is_success() { String::new() } else { " stroke=\"#e03131\" stroke-width=\"1.5\"".to_string() };
        out += &format!(
            "<rect class=\"task\" data-task=\"{}\" data-stage=\"{}\" x=\"{x0}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"hsl({}, 65%, 55%)\"{stroke}><title>task {} · stage {} · partition {} · {} ms</title></rect>\n",
            task.task_id,
            task.stage_id,
            TOP + lane as u64 * LANE_H + 2,
            (x1 - x0).max(1),
            LANE_H - 4,
            stage_hue(task.stage_id),
            task.task_id,
            task.stage_id,
            task.partition,
            task.duration_ms()
        );
        drawn += 1;
    }
    let ly = axis_y + 36;
    for (i, s) in stages.iter().enumerate() {
        let (x, y) = (LEFT + (i as u64 % 8) * 120, ly + (i as u64 / 8) * 18);
        out += &format!("<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"hsl({}, 65%, 55%)\"/><text x=\"{}\" y=\"{}\">stage {s}</text>\n", y - 10, stage_hue(*s), x + 16, y);
    }
    if drawn < trace.tasks.len() {
        out += &format!("<text x=\"10\" y=\"{}\" fill=\"#e03131\">first {drawn} of {} task attempts drawn</text>\n", height - 6, trace.tasks.len());
    }
    out + "</svg>\n"
}

/// `1.5` → `1.5`, `2.0` → `2`.
fn trim_secs(t: f64) -> String {
    let s = format!("{t:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}
