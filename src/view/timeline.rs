//! The task timeline on a <canvas>: one lane per executor core, tasks coloured by stage, stragglers outlined,
//! AQE re-plans and executor losses as vertical markers, a playhead with play/pause/step/scrub/speed. Space
//! plays or pauses, arrows step from event to event (when the canvas has focus; buttons and the slider keep
//! their own keys). Knows the trace shape; nothing of planning.

use std::rc::Rc;

use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::sim::SimResult;

use super::state::Out;
use crate::trace::Event;

use super::{fmt_ms, stage_hue};

const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

const LEFT: f64 = 48.0;
const TOP: f64 = 22.0;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// Compared by identity (see `Out`), never element by element.
    pub out: Rc<Out>,
    /// A new value restarts the animation from 0.
    pub generation: u32,
    /// The selected stage (its tasks stand out, the others are dimmed) and task (outlined, described).
    #[prop_or_default]
    pub sel: Option<(u32, Option<u32>)>,
    /// A click on a task: its stage and index in the trace.
    #[prop_or_default]
    pub on_select: Callback<Option<(u32, Option<u32>)>>,
}

/// Lane of each (executor, slot): executors in id order, their cores one after the other.
fn lanes(sim: &SimResult) -> (Vec<(u32, u32)>, u32) {
    let mut offs = vec![];
    let mut n = 0;
    for e in &sim.executors {
        offs.push((e.executor_id, n));
        n += e.cores.max(1);
    }
    (offs, n.max(1))
}

fn lane_h(n: u32) -> f64 {
    (440.0 / n as f64).clamp(4.0, 40.0)
}

/// The task drawn at (x, y) of a canvas `w` wide at playhead `t` (2 px of slack either side in time, so
/// that short tasks can be hit): its index in the trace.
fn hit(sim: &SimResult, w: f64, x: f64, y: f64, t: f64) -> Option<usize> {
    let (offs, n) = lanes(sim);
    if y < TOP || x < LEFT - 2.0 {
        return None;
    }
    let lane = ((y - TOP) / lane_h(n)) as u32;
    let scale = sim.total_time.max(1) as f64 / (w - LEFT - 8.0);
    let (us, slack) = ((x - LEFT) * scale, 2.0 * scale);
    sim.trace.tasks.iter().position(|r| {
        let first = offs.iter().find(|o| o.0 == r.executor_id).map_or(0, |o| o.1);
        let start = r.launch_time as f64;
        first + r.slot as u32 == lane && start <= t && start - slack <= us && us <= (r.finish_time as f64).min(t) + slack
    })
}

fn draw(canvas: &HtmlCanvasElement, sim: &SimResult, t: f64, sel: Option<(u32, Option<u32>)>) {
    let Some(ctx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok()) else { return };
    let (offs, n) = lanes(sim);
    let lane_h = lane_h(n);
    let w = canvas.client_width().max(300) as f64;
    let h = TOP + lane_h * n as f64 + 4.0;
    if canvas.width() != w as u32 || canvas.height() != h as u32 {
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
    }
    let total = sim.total_time.max(1) as f64;
    let sx = |us: f64| LEFT + us / total * (w - LEFT - 8.0);
    // Per-executor first lane and per-stage median duration, indexed by id (one lookup per task per frame).
    let mut first_lane = vec![0u32; offs.iter().map(|o| o.0 as usize + 1).max().unwrap_or(1)];
    for o in &offs {
        first_lane[o.0 as usize] = o.1;
    }
    let lane_of = |e: u32, slot: u16| first_lane.get(e as usize).copied().unwrap_or(0) + slot as u32;
    let mut medians = vec![0u64; sim.stages.iter().map(|s| s.stage_id as usize + 1).max().unwrap_or(1)];
    for st in &sim.stages {
        medians[st.stage_id as usize] = st.task_duration_ms.map_or(0, |q| q.p50);
    }
    ctx.clear_rect(0.0, 0.0, w, h);
    ctx.set_font("13px system-ui, sans-serif");
    ctx.set_fill_style_str("#8a94a3");
    for k in 0..=4 {
        let us = total * k as f64 / 4.0;
        let _ = ctx.fill_text(&fmt_ms((us / 1000.0) as u64), sx(us) - if k == 4 { 40.0 } else { 0.0 }, 14.0);
    }
    for (i, o) in offs.iter().enumerate() {
        let _ = ctx.fill_text(&format!("E{}", o.0), 4.0, TOP + o.1 as f64 * lane_h + lane_h.min(16.0));
        if i > 0 {
            ctx.fill_rect(LEFT, TOP + o.1 as f64 * lane_h - 1.0, w - LEFT, 1.0);
        }
    }
    let median = |stage: u32| medians.get(stage as usize).copied().unwrap_or(0);
    // The fill colour is set only when it changes: a string built and sent to the canvas per task held a
    // 100,000-task run to ~19 redraws a second.
    let mut fill = (u32::MAX, 0);
    for (i, r) in sim.trace.tasks.iter().enumerate() {
        let start = r.launch_time as f64;
        if start > t {
            continue;
        }
        let end = (r.finish_time as f64).min(t);
        let y = TOP + lane_of(r.executor_id, r.slot) as f64 * lane_h + 1.0;
        let x0 = sx(start);
        let bw = (sx(end) - x0).max(1.0);
        let done = r.finish_time as f64 <= t;
        // A selected stage dims the others' tasks.
        let dim = sel.is_some_and(|s| s.0 != r.stage_id);
        let light = if dim { 90 } else if r.reason.is_success() || !done { 55 } else { 80 };
        if fill != (r.stage_id, light) {
            fill = (r.stage_id, light);
            ctx.set_fill_style_str(&format!("hsl({},65%,{}%)", stage_hue(r.stage_id), light));
        }
        ctx.fill_rect(x0, y, bw, lane_h - 2.0);
        let straggler = done && r.reason.is_success() && r.duration_ms() > 1000 && r.duration_ms() * 2 > median(r.stage_id) * 3;
        if straggler || r.speculative || r.reason.is_failure() {
            ctx.set_stroke_style_str(if r.speculative { "#2563eb" } else { "#dc2626" });
            ctx.set_line_width(2.0);
            ctx.stroke_rect(x0 + 1.0, y + 1.0, bw - 2.0, lane_h - 4.0);
        }
        if sel.and_then(|s| s.1) == Some(i as u32) {
            ctx.set_stroke_style_str("#111827");
            ctx.set_line_width(3.0);
            ctx.stroke_rect(x0, y, bw, lane_h - 2.0);
        }
    }
    // AQE re-plans and executor losses (a label only where it does not overlap the previous one).
    let mut last_label = -1e9;
    for e in &sim.trace.events {
        let (time, label, color) = match e {
            Event::AdaptiveExecutionUpdate(u) => (u.time, "AQE re-plan", "#d97706"),
            Event::ExecutorRemoved(r) => (r.time, "executor lost", "#dc2626"),
            _ => continue,
        };
        if (time as f64) > t {
            continue;
        }
        let x = sx(time as f64);
        ctx.set_fill_style_str(color);
        ctx.fill_rect(x, TOP, 2.0, h - TOP);
        let lx = if x > w - 100.0 { x - 86.0 } else { x + 4.0 };
        if lx > last_label + 90.0 {
            let _ = ctx.fill_text(label, lx, TOP + 12.0);
            last_label = lx;
        }
    }
    ctx.set_fill_style_str("#e11d48");
    ctx.fill_rect(sx(t) - 1.0, 0.0, 2.0, h);
}

/// Sorted task start and end times: the stops of the step buttons and arrow keys.
fn stops(sim: &SimResult) -> Vec<u64> {
    let mut v: Vec<u64> = sim.trace.tasks.iter().flat_map(|r| [r.launch_time, r.finish_time]).collect();
    v.push(0);
    v.push(sim.total_time);
    v.sort_unstable();
    v.dedup();
    v
}

#[component(Timeline)]
pub fn timeline(p: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    let t = use_mut_ref(|| 0f64);
    let playing = use_state(|| true);
    let speed = use_state(|| 2usize);
    let redraw = use_force_update();
    let sim = &p.out.sim;
    let total = sim.total_time.max(1) as f64;
    let stops = use_memo(p.out.clone(), |o| stops(&o.sim));
    super::embed::use_remote(&t, &playing, &redraw, total);

    {
        let (t, playing) = (t.clone(), playing.clone());
        use_effect_with(p.generation, move |_| {
            let (at, play) = super::embed::start();
            *t.borrow_mut() = at;
            playing.set(play);
        });
    }
    {
        let (t, redraw, playing_h) = (t.clone(), redraw.clone(), playing.clone());
        let sp = SPEEDS[*speed];
        use_effect_with((*playing, *speed, p.generation, p.out.clone()), move |(on, _, _, _)| {
            let iv = on.then(|| {
                // Time-based, so a slow frame does not slow the run down: 1× plays the whole run in 10 s.
                let now = || web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
                let mut last = now();
                Interval::new(33, move || {
                    let mut v = t.borrow_mut();
                    let at = now();
                    *v += total * (at - last) / 10_000.0 * sp;
                    last = at;
                    if *v >= total {
                        *v = total;
                        playing_h.set(false);
                    }
                    drop(v);
                    redraw.force_update();
                })
            });
            move || drop(iv)
        });
    }
    {
        let (canvas, out, t, sel) = (canvas.clone(), p.out.clone(), t.clone(), p.sel);
        use_effect(move || {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                draw(&c, &out.sim, *t.borrow(), sel);
            }
        });
    }

    let step = {
        let (t, stops, redraw, playing) = (t.clone(), stops.clone(), redraw.clone(), playing.clone());
        move |fwd: bool| {
            playing.set(false);
            let now = *t.borrow() as u64;
            let next = if fwd { stops.iter().find(|&&s| s > now).copied() } else { stops.iter().rev().find(|&&s| s < now).copied() };
            *t.borrow_mut() = next.unwrap_or(if fwd { total as u64 } else { 0 }) as f64;
            redraw.force_update();
        }
    };
    let toggle = {
        let (playing, t) = (playing.clone(), t.clone());
        move || {
            if !*playing && *t.borrow() >= total {
                *t.borrow_mut() = 0.0;
            }
            playing.set(!*playing);
        }
    };
    let onkeydown = {
        let (step, toggle) = (step.clone(), toggle.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            " " => {
                e.prevent_default();
                toggle();
            }
            "ArrowRight" | "ArrowLeft" => {
                e.prevent_default();
                step(e.key() == "ArrowRight");
            }
            _ => {}
        })
    };
    let onclick = {
        let (t, out, on_select) = (t.clone(), p.out.clone(), p.on_select.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(c) = e.target_dyn_into::<HtmlCanvasElement>() else { return };
            if let Some(i) = hit(&out.sim, c.client_width().max(300) as f64, e.offset_x() as f64, e.offset_y() as f64, *t.borrow()) {
                on_select.emit(Some((out.sim.trace.tasks[i].stage_id, Some(i as u32))));
            }
        })
    };
    let onscrub = {
        let (t, redraw, playing) = (t.clone(), redraw.clone(), playing.clone());
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            playing.set(false);
            *t.borrow_mut() = i.value().parse::<f64>().unwrap_or(0.0) / 1000.0 * total;
            redraw.force_update();
        })
    };
    let onspeed = {
        let speed = speed.clone();
        Callback::from(move |e: web_sys::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            speed.set(s.value().parse().unwrap_or(2));
        })
    };
    let now = *t.borrow();
    let started = sim.trace.tasks.iter().filter(|r| (r.launch_time as f64) <= now).count();
    let b = |f: bool| { let s = step.clone(); Callback::from(move |_: MouseEvent| s(f)) };
    let play = { let tg = toggle.clone(); Callback::from(move |_: MouseEvent| tg()) };
    // Once per run, not per frame (sorting 100,000 ids each redraw).
    let stage_ids = use_memo(p.out.clone(), |o| {
        let mut v: Vec<u32> = o.sim.trace.tasks.iter().map(|r| r.stage_id).collect();
        v.sort_unstable();
        v.dedup();
        v
    });
    html! {
        <div class="timeline">
            <div class="controls" role="toolbar" aria-label="playback">
                <button type="button" id="play" onclick={play} aria-label={if *playing { "pause" } else { "play" }}>{ if *playing { "❚❚ Pause" } else { "▶ Play" } }</button>
                <button type="button" onclick={b(false)} aria-label="step back">{ "◀" }</button>
                <button type="button" onclick={b(true)} aria-label="step forward">{ "▶" }</button>
                <input type="range" id="scrub" aria-label="time" min="0" max="1000" value={((now / total) * 1000.0).round().to_string()} oninput={onscrub} />
                <select aria-label="speed" onchange={onspeed}>
                    { for SPEEDS.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={i == *speed}>{ format!("{s}×") }</option> }) }
                </select>
                <span class="clock" id="clock">{ format!("{} / {} · {}/{} tasks", fmt_ms((now / 1000.0) as u64), fmt_ms(sim.total_time / 1000), started, sim.trace.tasks.len()) }</span>
            </div>
            <canvas ref={canvas} id="timeline" tabindex="0" {onkeydown} {onclick} aria-label="task timeline: space plays or pauses, arrows step, a click on a task selects it" />
            { for p.sel.and_then(|s| s.1).and_then(|i| sim.trace.tasks.get(i as usize)).map(|r| html! {
                <p class="task-info" id="task-info">{ format!("task {} · stage {} · executor {} · {} (Esc clears)", r.task_id, r.stage_id, r.executor_id, fmt_ms(r.duration_ms())) }</p>
            }) }
            <p class="legend">
                { for stage_ids.iter().map(|s| html! { <span class="sw" style={format!("--c:{}", stage_hue(*s))}>{ format!("stage {s}") }</span> }) }
                <span class="sw straggler">{ "straggler / failed" }</span><span class="sw spec">{ "speculative" }</span>
            </p>
        </div>
    }
}
