//! The task timeline on a <canvas>: one lane per executor core, tasks coloured by stage, stragglers outlined,
//! AQE re-plans and executor losses as vertical markers, a playhead with play/pause/step/scrub/speed. Space
//! plays or pauses, arrows step from event to event (when the canvas has focus; buttons and the slider keep
//! their own keys). Knows the trace shape; nothing of planning.

use std::rc::Rc;

use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::sim::timeline_model::{for_each_bar, hit, stops, Geometry, Outline, LEFT, TOP};
use crate::sim::SimResult;

use super::state::Out;
use crate::trace::Event;

use super::{fmt_ms, stage_hue};

const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];


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

fn draw(canvas: &HtmlCanvasElement, sim: &SimResult, t: f64, sel: Option<(u32, Option<u32>)>) {
    let Some(ctx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok()) else { return };
    let g = Geometry::new(sim, canvas.client_width().max(300) as f64);
    let (w, h, lane_h) = (g.width, g.height, g.lane_h);
    if canvas.width() != w as u32 || canvas.height() != h as u32 {
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
    }
    let total = sim.total_time.max(1) as f64;
    let sx = |us: f64| g.x(us);
    ctx.clear_rect(0.0, 0.0, w, h);
    ctx.set_font("13px system-ui, sans-serif");
    ctx.set_fill_style_str("#8a94a3");
    for k in 0..=4 {
        let us = total * k as f64 / 4.0;
        let _ = ctx.fill_text(&fmt_ms((us / 1000.0) as u64), sx(us) - if k == 4 { 40.0 } else { 0.0 }, 14.0);
    }
    for (i, o) in g.lanes.iter().enumerate() {
        let _ = ctx.fill_text(&format!("E{}", o.0), 4.0, TOP + o.1 as f64 * lane_h + lane_h.min(16.0));
        if i > 0 {
            ctx.fill_rect(LEFT, TOP + o.1 as f64 * lane_h - 1.0, w - LEFT, 1.0);
        }
    }
    // The bars come from the render model (`sim::timeline_model`). The fill colour is set only when it
    // changes: a string built and sent to the canvas per task held a 100,000-task run to ~19 redraws a second.
    let mut fill = (u32::MAX, 0);
    for_each_bar(sim, &g, t, sel, |b| {
        if fill != (b.stage, b.light) {
            fill = (b.stage, b.light);
            ctx.set_fill_style_str(&format!("hsl({},65%,{}%)", stage_hue(b.stage), b.light));
        }
        ctx.fill_rect(b.x, b.y, b.w, lane_h - 2.0);
        if b.outline != Outline::None {
            ctx.set_stroke_style_str(if b.outline == Outline::Speculative { "#2563eb" } else { "#dc2626" });
            ctx.set_line_width(2.0);
            ctx.stroke_rect(b.x + 1.0, b.y + 1.0, b.w - 2.0, lane_h - 4.0);
        }
        if b.selected {
            ctx.set_stroke_style_str("#111827");
            ctx.set_line_width(3.0);
            ctx.stroke_rect(b.x, b.y, b.w, lane_h - 2.0);
        }
    });
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
            if let Some(i) = hit(&out.sim, &Geometry::new(&out.sim, c.client_width().max(300) as f64), e.offset_x() as f64, e.offset_y() as f64, *t.borrow()) {
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
        crate::sort::sort(&mut v);
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
