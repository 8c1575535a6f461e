//! The task timeline on a <canvas>: one lane per executor core, tasks coloured by stage, stragglers outlined,
//! AQE re-plans and executor losses as vertical markers, a playhead with play/pause/step/scrub/speed. Space
//! plays or pauses, arrows step from event to event (when the canvas has focus; buttons and the slider keep
//! their own keys). A/B stacks two on one clock: the current run's (B) controls drive both (its `clock` is
//! shared, its step stops are both runs'), the pinned run's (A, a `follower`) has no controls of its own,
//! redraws when the shared clock moves and keeps its own task selection (a click or Enter there describes
//! A's task under A's canvas and leaves B's selection, and the other tabs', alone). Knows the trace shape;
//! nothing of planning.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::sim::timeline_frame::{Frames, Marker};
use crate::sim::timeline_model::{hit, stops, Bar, Geometry, Outline, LEFT, TOP};
use crate::sim::timeline_nav::{Move, Nav};

use super::state::Out;

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
    /// A click on a task, or Enter on the keyboard cursor: its stage and index in the trace.
    #[prop_or_default]
    pub on_select: Callback<Option<(u32, Option<u32>)>>,
    /// A/B: the time axis runs to this many µs (the longer run's), so both timelines share one scale.
    #[prop_or_default]
    pub scale: Option<u64>,
    /// A/B: the heading above the controls (run and total duration), and the element ids' suffix ("-a"):
    /// only the timeline without a suffix talks to an embedding page.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    #[prop_or_default]
    pub suffix: AttrValue,
    /// A/B: the playhead both timelines share (µs); without it the timeline keeps its own.
    #[prop_or_default]
    pub clock: Option<Clock>,
    /// A/B's pinned run: no playback controls (the shared clock moves it), its own task selection.
    #[prop_or_default]
    pub follower: bool,
    /// A/B, on the driving timeline: the other run, whose events are step stops too.
    #[prop_or_default]
    pub paired: Option<Rc<Out>>,
}

/// A playhead shared by A/B's two timelines, compared by identity.
#[derive(Clone)]
pub struct Clock(pub Rc<RefCell<f64>>);

impl PartialEq for Clock {
    fn eq(&self, other: &Clock) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The offscreen canvas with the background and the attempts finished by the last frame's playhead.
struct Cache {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    /// What its pixels depend on: the run, canvas size, time scale, dimmed stages, theme.
    key: (usize, u32, u32, u64, Option<u32>, Option<String>),
    /// How many attempts of the finish order it holds.
    done: usize,
}

fn ctx2d(c: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    c.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// Paints bars; the fill colour is set only when it changes (a string built and sent to the canvas per task
/// held a 100,000-task run to ~19 redraws a second).
struct Painter<'a> {
    ctx: &'a CanvasRenderingContext2d,
    lane_h: f64,
    fill: (u32, u8),
}

impl Painter<'_> {
    fn bar(&mut self, b: &Bar) {
        let ctx = self.ctx;
        if self.fill != (b.stage, b.light) {
            self.fill = (b.stage, b.light);
            ctx.set_fill_style_str(&format!("hsl({},65%,{}%)", stage_hue(b.stage), b.light));
        }
        ctx.fill_rect(b.x, b.y, b.w, self.lane_h - 2.0);
        if b.outline != Outline::None {
            ctx.set_stroke_style_str(if b.outline == Outline::Speculative { "#2563eb" } else { "#dc2626" });
            ctx.set_line_width(2.0);
            ctx.stroke_rect(b.x + 1.0, b.y + 1.0, b.w - 2.0, self.lane_h - 4.0);
        }
    }
}

/// The time axis, executor labels and lane separators.
fn background(ctx: &CanvasRenderingContext2d, g: &Geometry, scale: f64) {
    ctx.clear_rect(0.0, 0.0, g.width, g.height);
    ctx.set_font("13px system-ui, sans-serif");
    ctx.set_fill_style_str("#8a94a3");
    for k in 0..=4 {
        let us = scale * k as f64 / 4.0;
        let _ = ctx.fill_text(&fmt_ms((us / 1000.0) as u64), g.x(us) - if k == 4 { 40.0 } else { 0.0 }, 14.0);
    }
    for (i, o) in g.lanes.iter().enumerate() {
        let _ = ctx.fill_text(&format!("E{}", o.0), 4.0, TOP + o.1 as f64 * g.lane_h + g.lane_h.min(16.0));
        if i > 0 {
            ctx.fill_rect(LEFT, TOP + o.1 as f64 * g.lane_h - 1.0, g.width - LEFT, 1.0);
        }
    }
}

/// One frame at playhead `t`: brings the cache up to `t` (only the attempts finished since the last frame;
/// all of them again after a scrub back or a change of size, scale, selection, theme or run), blits it, then
/// paints the running attempts, the markers, the selected task's and the cursor's outlines and the playhead.
#[allow(clippy::too_many_arguments)]
fn draw(canvas: &HtmlCanvasElement, cache: &mut Option<Cache>, out: &Rc<Out>, f: &Frames, scale: u64, t: f64, sel: Option<(u32, Option<u32>)>, cursor: Option<usize>) {
    let sim = &out.sim;
    let Some(ctx) = ctx2d(canvas) else { return };
    let g = Geometry::with_total(sim, canvas.client_width().max(300) as f64, scale);
    let (w, h, lane_h) = (g.width as u32, g.height as u32, g.lane_h);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let theme = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()).and_then(|e| e.get_attribute("data-theme"));
    let key = (Rc::as_ptr(out) as usize, w, h, scale, sel.map(|s| s.0), theme);
    let n = f.done_by(sim, t);
    if cache.as_ref().is_none_or(|c| c.key != key || n < c.done) {
        let made = cache.take().map(|c| (c.canvas, c.ctx)).or_else(|| {
            let c = web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into::<HtmlCanvasElement>().ok()?;
            let x = ctx2d(&c)?;
            Some((c, x))
        });
        let Some((c, x)) = made else { return };
        if c.width() != w || c.height() != h {
            c.set_width(w);
            c.set_height(h);
        }
        background(&x, &g, scale as f64);
        *cache = Some(Cache { canvas: c, ctx: x, key, done: 0 });
    }
    let Some(c) = cache.as_mut() else { return };
    if n > c.done {
        let mut p = Painter { ctx: &c.ctx, lane_h, fill: (u32::MAX, 0) };
        f.done_bars(sim, &g, c.done, n, sel.map(|s| s.0), |b| p.bar(b));
        c.done = n;
    }
    ctx.clear_rect(0.0, 0.0, g.width, g.height);
    let _ = ctx.draw_image_with_html_canvas_element(&c.canvas, 0.0, 0.0);
    let mut p = Painter { ctx: &ctx, lane_h, fill: (u32::MAX, 0) };
    f.running_bars(sim, &g, t, sel.map(|s| s.0), |b| p.bar(b));
    // AQE re-plans and executor losses (a label only where it does not overlap the previous one).
    ctx.set_font("13px system-ui, sans-serif");
    let mut last_label = -1e9;
    for &(time, m) in f.markers.iter().take_while(|m| m.0 as f64 <= t) {
        let (label, color) = if m == Marker::Replan { ("AQE re-plan", "#d97706") } else { ("executor lost", "#dc2626") };
        let x = g.x(time as f64);
        ctx.set_fill_style_str(color);
        ctx.fill_rect(x, TOP, 2.0, g.height - TOP);
        let lx = if x > g.width - 100.0 { x - 86.0 } else { x + 4.0 };
        if lx > last_label + 90.0 {
            let _ = ctx.fill_text(label, lx, TOP + 12.0);
            last_label = lx;
        }
    }
    let shown = |i: usize| sim.trace.tasks.get(i).filter(|r| r.launch_time as f64 <= t).map(|_| f.bar(sim, &g, i, t));
    if let Some(b) = sel.and_then(|s| s.1).and_then(|i| shown(i as usize)) {
        ctx.set_stroke_style_str("#111827");
        ctx.set_line_width(3.0);
        ctx.stroke_rect(b.x, b.y, b.w, lane_h - 2.0);
    }
    if let Some(b) = cursor.and_then(shown) {
        ctx.set_stroke_style_str("#0891b2");
        ctx.set_line_width(2.0);
        ctx.stroke_rect(b.x - 2.0, b.y - 2.0, b.w + 4.0, lane_h + 2.0);
    }
    ctx.set_fill_style_str("#e11d48");
    ctx.fill_rect(g.x(t) - 1.0, 0.0, 2.0, g.height);
}

#[component(Timeline)]
pub fn timeline(p: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    let own_t = use_mut_ref(|| 0f64);
    let t = p.clock.as_ref().map_or(own_t, |c| c.0.clone());
    let follower = p.follower;
    // A follower's own selection (A/B's pinned run); otherwise the app's.
    let local_sel = use_state(|| None::<(u32, Option<u32>)>);
    let (sel, on_select) = if follower {
        let ls = local_sel.clone();
        (*local_sel, Callback::from(move |s| ls.set(s)))
    } else {
        (p.sel, p.on_select.clone())
    };
    let cache = use_mut_ref(|| None::<Cache>);
    let cursor = use_state(|| None::<usize>);
    let playing = use_state(|| true);
    let speed = use_state(|| 2usize);
    let redraw = use_force_update();
    let sim = &p.out.sim;
    let total = sim.total_time.max(1) as f64;
    let scale = p.scale.unwrap_or(sim.total_time).max(sim.total_time);
    // Where playback ends: this run's end, or with a shared clock the longer run's.
    let end = if p.clock.is_some() { scale as f64 } else { total };
    let stops = use_memo((p.out.clone(), p.paired.clone()), |(o, other)| {
        let mut v = stops(&o.sim);
        if let Some(x) = other {
            v.extend(stops(&x.sim));
            crate::sort::sort(&mut v);
            v.dedup();
        }
        v
    });
    let frames = use_memo(p.out.clone(), |o| Frames::new(&o.sim));
    let nav = use_memo(p.out.clone(), |o| Nav::new(&o.sim));
    let primary = p.suffix.is_empty() && !follower;
    super::embed::use_remote(&t, &playing, &redraw, total, primary);
    let id = |base: &str| format!("{base}{}", p.suffix);

    {
        let (t, playing, cursor) = (t.clone(), playing.clone(), cursor.clone());
        use_effect_with(p.generation, move |_| {
            let (at, play) = super::embed::start();
            *t.borrow_mut() = at;
            playing.set(play && !follower);
            cursor.set(None);
        });
    }
    {
        // A follower redraws when the shared clock has moved (checked once a display frame).
        let (t, redraw) = (t.clone(), redraw.clone());
        use_effect_with(follower, move |f| {
            let iv = f.then(|| {
                let mut last = f64::NAN;
                Interval::new(16, move || {
                    let v = *t.borrow();
                    if v != last {
                        last = v;
                        redraw.force_update();
                    }
                })
            });
            move || drop(iv)
        });
    }
    {
        let (t, redraw, playing_h) = (t.clone(), redraw.clone(), playing.clone());
        let sp = SPEEDS[*speed];
        use_effect_with((*playing && !follower, *speed, p.generation, p.out.clone(), scale), move |(on, _, _, _, _)| {
            let iv = on.then(|| {
                // Time-based, so a slow frame does not slow the run down: 1× plays the whole run (in A/B, the
                // longer one) in 10 s. A redraw about every display frame (60 a second): painting is incremental.
                let now = || web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
                let mut last = now();
                Interval::new(16, move || {
                    let mut v = t.borrow_mut();
                    let at = now();
                    *v += scale as f64 * (at - last) / 10_000.0 * sp;
                    last = at;
                    if *v >= end {
                        *v = end;
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
        let (canvas, out, t, frames, cache, cur) = (canvas.clone(), p.out.clone(), t.clone(), frames.clone(), cache.clone(), *cursor);
        use_effect(move || {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                draw(&c, &mut cache.borrow_mut(), &out, &frames, scale, *t.borrow(), sel, cur);
            }
        });
    }

    let step = {
        let (t, stops, redraw, playing) = (t.clone(), stops.clone(), redraw.clone(), playing.clone());
        move |fwd: bool| {
            playing.set(false);
            let now = *t.borrow() as u64;
            let next = if fwd { stops.iter().find(|&&s| s > now).copied() } else { stops.iter().rev().find(|&&s| s < now).copied() };
            *t.borrow_mut() = next.unwrap_or(if fwd { end as u64 } else { 0 }) as f64;
            redraw.force_update();
        }
    };
    let toggle = {
        let (playing, t) = (playing.clone(), t.clone());
        move || {
            if !*playing && *t.borrow() >= end {
                *t.borrow_mut() = 0.0;
            }
            playing.set(!*playing);
        }
    };
    // Space plays or pauses, Shift+←/→ step between events; the arrows move the task cursor (starting on the
    // selected task, or the one at the playhead in the top lane), Enter selects its task, Esc clears.
    let onkeydown = {
        let (step, toggle, cursor, nav, out, t, on_select) = (step.clone(), toggle.clone(), cursor.clone(), nav.clone(), p.out.clone(), t.clone(), on_select.clone());
        Callback::from(move |e: KeyboardEvent| {
            let m = match e.key().as_str() {
                " " => {
                    e.prevent_default();
                    return toggle();
                }
                "ArrowRight" | "ArrowLeft" if e.shift_key() => {
                    e.prevent_default();
                    return step(e.key() == "ArrowRight");
                }
                "ArrowLeft" => Move::Prev,
                "ArrowRight" => Move::Next,
                "ArrowUp" => Move::Up,
                "ArrowDown" => Move::Down,
                "Enter" => {
                    if let Some(i) = *cursor {
                        e.prevent_default();
                        on_select.emit(Some((out.sim.trace.tasks[i].stage_id, Some(i as u32))));
                    }
                    return;
                }
                "Escape" => {
                    if follower {
                        // A's own selection only: the page's Esc (clear the app's selection) skips a handled key.
                        e.prevent_default();
                        on_select.emit(None);
                    }
                    return cursor.set(None);
                }
                _ => return,
            };
            e.prevent_default();
            let now = *t.borrow();
            let next = match *cursor {
                Some(c) if out.sim.trace.tasks.get(c).is_some_and(|r| r.launch_time as f64 <= now) => nav.step(&out.sim, c, m, now).or(Some(c)),
                _ => nav.start(&out.sim, now, sel.and_then(|s| s.1).map(|i| i as usize)),
            };
            cursor.set(next);
        })
    };
    let onclick = {
        let (t, out, on_select) = (t.clone(), p.out.clone(), on_select.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(c) = e.target_dyn_into::<HtmlCanvasElement>() else { return };
            let g = Geometry::with_total(&out.sim, c.client_width().max(300) as f64, scale);
            if let Some(i) = hit(&out.sim, &g, e.offset_x() as f64, e.offset_y() as f64, *t.borrow()) {
                on_select.emit(Some((out.sim.trace.tasks[i].stage_id, Some(i as u32))));
            }
        })
    };
    let onscrub = {
        let (t, redraw, playing) = (t.clone(), redraw.clone(), playing.clone());
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            playing.set(false);
            *t.borrow_mut() = i.value().parse::<f64>().unwrap_or(0.0) / 1000.0 * end;
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
    let started = frames.started_by(sim, now);
    let b = |f: bool| { let s = step.clone(); Callback::from(move |_: MouseEvent| s(f)) };
    let play = { let tg = toggle.clone(); Callback::from(move |_: MouseEvent| tg()) };
    // Once per run, not per frame (sorting 100,000 ids each redraw).
    let stage_ids = use_memo(p.out.clone(), |o| {
        let mut v: Vec<u32> = o.sim.trace.tasks.iter().map(|r| r.stage_id).collect();
        crate::sort::sort(&mut v);
        v.dedup();
        v
    });
    let describe = |r: &crate::trace::TaskRecord| format!("task {} · stage {} · executor {} · {}", r.task_id, r.stage_id, r.executor_id, fmt_ms(r.duration_ms()));
    html! {
        <div class="timeline">
            if let Some(l) = &p.label {
                <h3 class="tl-label" id={id("tl-label")}>{ l.clone() }</h3>
            }
            if follower {
                <p class="controls"><span class="clock" id={id("clock")}>{ format!("{} / {} · {}/{} tasks", fmt_ms((now.min(total) / 1000.0) as u64), fmt_ms(sim.total_time / 1000), started, sim.trace.tasks.len()) }</span></p>
            } else {
            <div class="controls" role="toolbar" aria-label={if p.clock.is_some() { "playback of both runs" } else { "playback" }}>
                <button type="button" id={id("play")} onclick={play} aria-label={if *playing { "pause" } else { "play" }}>{ if *playing { "❚❚ Pause" } else { "▶ Play" } }</button>
                <button type="button" onclick={b(false)} aria-label="step back">{ "◀" }</button>
                <button type="button" onclick={b(true)} aria-label="step forward">{ "▶" }</button>
                <input type="range" id={id("scrub")} aria-label="time" min="0" max="1000" value={((now / end) * 1000.0).round().to_string()} oninput={onscrub} />
                <select aria-label="speed" onchange={onspeed}>
                    { for SPEEDS.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={i == *speed}>{ format!("{s}×") }</option> }) }
                </select>
                <span class="clock" id={id("clock")}>{ format!("{} / {} · {}/{} tasks", fmt_ms((now / 1000.0) as u64), fmt_ms(sim.total_time / 1000), started, sim.trace.tasks.len()) }</span>
            </div>
            }
            <canvas ref={canvas} id={id("timeline")} class="tl-canvas" tabindex="0" {onkeydown} {onclick}
                aria-label="task timeline: space plays or pauses, shift+arrows step, arrows move a task cursor, Enter selects its task, a click on a task selects it" />
            <div class="tl-info">
            { for cursor.and_then(|i| sim.trace.tasks.get(i)).filter(|r| r.launch_time as f64 <= now).map(|r| html! {
                <p class="task-info cursor" id={id("task-cursor")} aria-live="polite">{ format!("cursor: {} (Enter selects)", describe(r)) }</p>
            }) }
            { for sel.and_then(|s| s.1).and_then(|i| sim.trace.tasks.get(i as usize)).map(|r| html! {
                <p class="task-info" id={id("task-info")}>{ format!("{} (Esc clears)", describe(r)) }</p>
            }) }
            </div>
            <p class="legend">
                { for stage_ids.iter().map(|s| html! { <span class="sw" style={format!("--c:{}", stage_hue(*s))}>{ format!("stage {s}") }</span> }) }
                <span class="sw straggler">{ "straggler / failed" }</span><span class="sw spec">{ "speculative" }</span>
            </p>
        </div>
    }
}
