//! SVG graphs: the plans (trees laid out by `crate::plan_graph`: the physical plan with join nodes badged with
//! their strategy and why; the logical plans with each operator's detail and estimated statistics) and the jobs → stages DAG (laid out by `crate::stage_graph`; skipped stages
//! greyed; shuffle edges labelled with bytes). Knows the report and SimResult shapes, nothing of planning.

use yew::prelude::*;

use crate::plan_graph::PlanGraph;
use crate::report::Report;
use crate::sim::SimResult;
use crate::stage_graph::StageGraph;

use super::fmt_bytes;

/// The physical plan as a tree; join nodes are numbered and explained below the graph. A node is marked
/// with the stage that runs it (`node_stage`, by node): clicking it selects that stage; the selected
/// stage's nodes are highlighted.
pub fn plan_graph(r: &Report, node_stage: &[Option<u32>], sel: Option<u32>) -> Html {
    let g = PlanGraph::physical(&r.final_plan);
    let cell = (210.0, 52.0);
    let xy = |i: usize| g.xy(i, cell, (10.0, 8.0));
    let mut join_no = 0;
    let edges = g.edges().map(|(p, i)| edge(xy(p), xy(i), 98.0, 30.0));
    let mut svg_nodes = vec![];
    for (i, n) in g.nodes.iter().enumerate() {
        let (cx, cy) = xy(i);
        let label = &n.label;
        let is_join = label.contains("Join");
        let badge = is_join.then(|| {
            join_no += 1;
            html! { <text class="badge" x={(cx + 186.0).to_string()} y={(cy + 12.0).to_string()}>{ join_no }</text> }
        });
        let stage = node_stage.get(i).copied().flatten();
        let on = sel.is_some() && stage == sel;
        let cls = classes!("node", is_join.then_some("join"), label.starts_with("Exchange").then_some("xchg"), label.contains("QueryStage").then_some("qs"), on.then_some("sel"));
        svg_nodes.push(html! {
            <g class={cls} data-stage={stage.map(|s| s.to_string())} tabindex={stage.map(|_| "0")}>
                <title>{ n.line.clone() }</title>
                <rect x={cx.to_string()} y={cy.to_string()} width="196" height="30" rx="5" />
                <text x={(cx + 8.0).to_string()} y={(cy + 19.0).to_string()}>{ label.clone() }</text>
                { for badge }
            </g>
        });
    }
    let (width, height) = g.size(cell);
    let (width, height) = (width + 20.0, height + 10.0);
    html! {
        <div class="graph-wrap">
            <svg class={classes!("graph", "plan", sel.is_some().then_some("has-sel"))} role="img" aria-label="physical plan graph" width={width.to_string()} height={height.to_string()} viewBox={format!("0 0 {width} {height}")}>
                <g class="edges">{ for edges }</g>
                { for svg_nodes }
            </svg>
            <ol class="joins">
                { for r.joins_final.iter().map(|j| html! {
                    <li><b>{ format!("{} ({})", j.strategy, j.join_type) }</b>
                        { j.build_side.as_ref().map(|b| format!(", build {b}")).unwrap_or_default() }
                        { if j.skew_join { ", skew join" } else { "" } }
                        <div class="why">{ j.why.clone() }</div></li>
                }) }
            </ol>
        </div>
    }
}

/// A parent → child line, from the middle of the parent's box bottom (`cx` across, `bh` high) to the
/// middle of the child's top.
fn edge((px, py): (f64, f64), (cx, cy): (f64, f64), mid: f64, bh: f64) -> Html {
    html! { <line x1={(px + mid).to_string()} y1={(py + bh).to_string()} x2={(cx + mid).to_string()} y2={cy.to_string()} /> }
}

/// A logical plan (parsed, analyzed or optimized) as a tree in the physical plan's layout: each node its
/// operator as Spark names it, a detail line and, when the text has them, the estimated statistics.
pub fn logical_graph(g: &PlanGraph, name: &str) -> Html {
    let lines = if g.nodes.iter().any(|n| n.stats.is_some()) { 3.0 } else { 2.0 };
    let bh = 8.0 + 15.0 * lines;
    let cell = (250.0, bh + 22.0);
    let xy = |i: usize| g.xy(i, cell, (10.0, 8.0));
    let (width, height) = g.size(cell);
    let (width, height) = (width + 20.0, height - 8.0);
    html! {
        <div class="graph-wrap">
            <svg class="graph lplan" role="img" aria-label={format!("{name} plan graph")} width={width.to_string()} height={height.to_string()} viewBox={format!("0 0 {width} {height}")}>
                <g class="edges">{ for g.edges().map(|(p, i)| edge(xy(p), xy(i), 118.0, bh)) }</g>
                { for g.nodes.iter().enumerate().map(|(i, n)| {
                    let (x, y) = xy(i);
                    let (tx, ty) = ((x + 8.0).to_string(), |k: f64| (y + 4.0 + 15.0 * k).to_string());
                    let squeeze = (n.label.chars().count() > 27).then_some("220");
                    html! {
                        <g class={classes!("node", n.label.contains("Join").then_some("join"))} data-op={n.label.clone()}>
                            <title>{ n.line.clone() }</title>
                            <rect x={x.to_string()} y={y.to_string()} width="236" height={bh.to_string()} rx="5" />
                            <text class="op" x={tx.clone()} y={ty(1.0)} textLength={squeeze} lengthAdjust={squeeze.map(|_| "spacingAndGlyphs")}>{ n.label.clone() }</text>
                            <text class="sub" x={tx.clone()} y={ty(2.0)}>{ n.detail.clone() }</text>
                            if let Some(st) = &n.stats { <text class="sub est" x={tx} y={ty(3.0)}>{ st.clone() }</text> }
                        </g>
                    }
                }) }
            </svg>
        </div>
    }
}

/// One small DAG per job, stages left to right (laid out by `crate::stage_graph`, as the SVG export); the
/// selected stage is marked (`sel`).
pub fn stage_dag(sim: &SimResult, sel: Option<u32>) -> Html {
    let g = StageGraph::from_sim(sim);
    html! {
        <div class="dags">
        { for g.jobs.iter().map(|job| {
            let st = &job.nodes;
            // 70 px between boxes: room for a byte label like `1023.9 MiB` centred over its edge.
            let xy = |i: usize| job.xy(i, (190.0, 62.0), (6.0, 6.0));
            let width = (job.layers() - 1) as f64 * 190.0 + 140.0;
            let height = (job.slots() - 1) as f64 * 62.0 + 52.0;
            let dur = job.duration.map(|d| super::fmt_ms(d / 1000)).unwrap_or_default();
            html! {
                <figure class="dag">
                    <figcaption>{ format!("Job {} · {} · {}", job.job_id, job.kind, dur) }</figcaption>
                    <svg class="graph" role="img" aria-label={format!("job {} stages", job.job_id)} width={width.to_string()} height={height.to_string()}>
                        <defs><marker id="ah" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" /></marker></defs>
                        { for job.edges.iter().map(|e| {
                            let ((ax, ay), (bx, by)) = (xy(e.from), xy(e.to));
                            html! { <g class="shuffle">
                                <path d={format!("M{} {}C{} {} {} {} {} {}", ax + 120.0, ay + 20.0, ax + 145.0, ay + 20.0, bx - 25.0, by + 20.0, bx, by + 20.0)} marker-end="url(#ah)" />
                                if e.bytes > 0 { <text x={(ax + 155.0).to_string()} y={(ay + 14.0).to_string()} text-anchor="middle">{ fmt_bytes(e.bytes) }</text> }
                            </g> }
                        }) }
                        { for st.iter().enumerate().map(|(i, s)| {
                            let (x, y) = xy(i);
                            html! { <g class={classes!("node", s.skipped.then_some("skipped"), s.failed.then_some("failed"), (sel == Some(s.stage_id)).then_some("sel"))}
                                data-stage={s.stage_id.to_string()} tabindex="0">
                                <rect x={x.to_string()} y={y.to_string()} width="120" height="40" rx="5" style={format!("--c:{}", super::stage_hue(s.stage_id))} />
                                <text x={(x + 8.0).to_string()} y={(y + 17.0).to_string()}>{ format!("Stage {}", s.stage_id) }</text>
                                <text class="sub" x={(x + 8.0).to_string()} y={(y + 33.0).to_string()}>{ if s.skipped { "skipped".to_string() } else { format!("{} task{}", s.num_tasks, if s.num_tasks == 1 { "" } else { "s" }) } }</text>
                            </g> }
                        }) }
                    </svg>
                </figure>
            }
        }) }
        </div>
    }
}
