//! Embed mode and remote playback (wasm32 only). Reads the page fragment's parameters (`&embed=timeline|dag|plan`,
//! `&autoplay`, `&loop`, `&theme=dark|light`, also after `?`), renders one panel with minimal chrome, and runs
//! the postMessage API a host page uses: in `stagecraft:load` {scenarioLink}, `stagecraft:play`,
//! `stagecraft:pause`, `stagecraft:seek` {ms}, `stagecraft:tab` {tab}; out to `window.parent`
//! `stagecraft:ready`, `stagecraft:step` {ms}, `stagecraft:finished`. It also holds the timeline's playback
//! position for share links (the timeline reports it here and takes its start position from here).
//! Knows the fragment and message formats; nothing of planning.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{Action, State, Tab};

/// What the fragment asks for.
#[derive(Clone, Copy, PartialEq)]
pub struct Params {
    /// `Some` in embed mode: the panel to show.
    pub embed: Option<Tab>,
    pub autoplay: bool,
    pub looping: bool,
}

/// A command for the timeline.
#[derive(Clone, Copy)]
pub enum Cmd {
    Play,
    Pause,
    /// Position in simulated µs.
    Seek(f64),
}

/// What the mounted timeline does with a command.
type Handler = Rc<dyn Fn(Cmd)>;

thread_local! {
    static PARAMS: Cell<Option<Params>> = const { Cell::new(None) };
    /// The position the next mounted timeline starts at (µs), once.
    static START: Cell<Option<f64>> = const { Cell::new(None) };
    /// The timeline's current position (µs).
    static POS: Cell<f64> = const { Cell::new(0.0) };
    static HANDLER: RefCell<Option<Handler>> = RefCell::new(None);
    /// The embedded panel (follows `stagecraft:tab`).
    static PANEL: Cell<Tab> = const { Cell::new(Tab::Timeline) };
}

/// The page fragment without `#`.
pub fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default().trim_start_matches('#').to_string()
}

/// Splits a fragment into the share payload (if any) and its parameters.
pub fn split(frag: &str) -> (Option<&str>, impl Iterator<Item = &str>) {
    let mut parts = frag.split(['&', '?']);
    let first = parts.next().unwrap_or("");
    let payload = (first.contains('.') && !first.contains('=')).then_some(first);
    (payload, frag.split(['&', '?']).skip(payload.is_some() as usize).filter(|p| !p.is_empty()))
}

/// `timeline` / `dag` / `plan` (and the tab names) → the tab.
pub fn panel_tab(name: &str) -> Option<Tab> {
    Some(match name {
        "" | "timeline" => Tab::Timeline,
        "dag" | "stages" => Tab::Stages,
        "plan" | "plans" => Tab::Plans,
        _ => return None,
    })
}

/// The fragment's parameters (read once); sets the theme it names.
pub fn params() -> Params {
    if let Some(p) = PARAMS.get() {
        return p;
    }
    let frag = fragment();
    let mut p = Params { embed: None, autoplay: false, looping: false };
    for kv in split(&frag).1 {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "embed" => p.embed = Some(panel_tab(v).unwrap_or(Tab::Timeline)),
            "autoplay" => p.autoplay = true,
            "loop" => p.looping = true,
            "theme" if v == "dark" || v == "light" => {
                if let Some(r) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                    let _ = r.set_attribute("data-theme", v);
                }
            }
            _ => {}
        }
    }
    if let Some(t) = p.embed {
        PANEL.set(t);
    }
    PARAMS.set(Some(p));
    p
}

/// Where a timeline that (re)starts begins, and whether it plays: a share link's position (paused, unless
/// `autoplay`), else 0 (playing, except in embed mode without `autoplay`).
pub fn start() -> (f64, bool) {
    let p = params();
    match START.take() {
        Some(at) => (at, p.autoplay),
        None => (0.0, p.embed.is_none() || p.autoplay),
    }
}

/// `Some(µs)`: the next timeline starts there, paused; `None`: from 0.
pub fn set_start(us: Option<f64>) {
    START.set(us);
    POS.set(us.unwrap_or(0.0));
}

/// The timeline's position in simulated µs.
pub fn position() -> f64 {
    POS.get()
}

fn post(kind: &str, ms: Option<f64>) {
    let Some(w) = web_sys::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    let o = Object::new();
    let _ = Reflect::set(&o, &"type".into(), &format!("stagecraft:{kind}").into());
    if let Some(ms) = ms {
        let _ = Reflect::set(&o, &"ms".into(), &ms.into());
    }
    let _ = parent.post_message(&o, "*");
}

/// The timeline's link to the outside: reports its position (and `step` / `finished` in embed mode), loops,
/// takes play/pause/seek commands, and redraws when the window is resized. Only the `primary` timeline (not
/// A/B's pinned run) reports and takes commands; every timeline redraws on resize.
#[hook]
pub fn use_remote(t: &Rc<RefCell<f64>>, playing: &UseStateHandle<bool>, redraw: &UseForceUpdateHandle, total: f64, primary: bool) {
    let last = use_mut_ref(|| -1f64);
    {
        let (t, playing, redraw) = (t.clone(), playing.clone(), redraw.clone());
        use_effect(move || {
            if !primary {
                return;
            }
            let now = *t.borrow();
            POS.set(now);
            let mut last = last.borrow_mut();
            if params().embed.is_some() && now != *last {
                post("step", Some((now / 1000.0).round()));
                if now >= total {
                    post("finished", None);
                    if params().looping {
                        *t.borrow_mut() = 0.0;
                        playing.set(true);
                        redraw.force_update();
                    }
                }
            }
            *last = now;
        });
    }
    let (t, playing, redraw) = (t.clone(), playing.clone(), redraw.clone());
    use_effect_with(total.to_bits(), move |_| {
        let r = redraw.clone();
        let h: Handler = Rc::new(move |c| {
            match c {
                Cmd::Play => {
                    if *t.borrow() >= total {
                        *t.borrow_mut() = 0.0;
                    }
                    playing.set(true)
                }
                Cmd::Pause => playing.set(false),
                Cmd::Seek(us) => {
                    playing.set(false);
                    *t.borrow_mut() = us.clamp(0.0, total);
                }
            }
            r.force_update();
        });
        if primary {
            HANDLER.set(Some(h));
        }
        let resize = Closure::<dyn Fn()>::new(move || redraw.force_update());
        let w = web_sys::window();
        if let Some(w) = &w {
            let _ = w.add_event_listener_with_callback("resize", resize.as_ref().unchecked_ref());
        }
        move || {
            if primary {
                HANDLER.set(None);
            }
            if let Some(w) = w {
                let _ = w.remove_event_listener_with_callback("resize", resize.as_ref().unchecked_ref());
            }
        }
    });
}

fn field(data: &JsValue, key: &str) -> JsValue {
    Reflect::get(data, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Handles one message; anything that is not a well-formed Stagecraft message is ignored.
fn on_message(state: &UseReducerHandle<State>, data: JsValue) {
    if !data.is_object() {
        return;
    }
    let Some(kind) = field(&data, "type").as_string() else { return };
    let cmd = |c: Cmd| {
        if let Some(h) = HANDLER.with_borrow(|h| h.clone()) {
            h(c)
        }
    };
    match kind.as_str() {
        "stagecraft:play" => cmd(Cmd::Play),
        "stagecraft:pause" => cmd(Cmd::Pause),
        "stagecraft:seek" => {
            if let Some(ms) = field(&data, "ms").as_f64().filter(|m| m.is_finite() && *m >= 0.0) {
                cmd(Cmd::Seek(ms * 1000.0))
            }
        }
        "stagecraft:tab" => {
            if let Some(t) = field(&data, "tab").as_string().and_then(|t| panel_tab(&t)) {
                PANEL.set(t);
                state.dispatch(Action::SetTab(t));
            }
        }
        "stagecraft:load" => {
            if let Some(link) = field(&data, "scenarioLink").as_string() {
                let mut s = super::share_ui::load(&link);
                s.tab = PANEL.get();
                state.dispatch(Action::Load(Rc::new(s)));
            }
        }
        _ => {}
    }
}

/// Opens a share link pasted into the address of an open page (a new fragment does not reload it); in embed
/// mode, listens for the host's messages and posts `stagecraft:ready`.
#[hook]
pub fn use_messages(state: &UseReducerHandle<State>) {
    let state = state.clone();
    use_effect_with((), move |_| {
        let st = state.clone();
        let hash = Closure::<dyn Fn()>::new(move || {
            let mut s = super::share_ui::load(&fragment());
            if params().embed.is_some() {
                s.tab = PANEL.get();
            }
            st.dispatch(Action::Load(Rc::new(s)));
        });
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("hashchange", hash.as_ref().unchecked_ref());
        }
        let listener = params().embed.map(|_| {
            let l = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| on_message(&state, e.data()));
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback("message", l.as_ref().unchecked_ref());
            }
            post("ready", None);
            l
        });
        move || {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback("hashchange", hash.as_ref().unchecked_ref());
                if let Some(l) = listener {
                    let _ = w.remove_event_listener_with_callback("message", l.as_ref().unchecked_ref());
                }
            }
        }
    });
}

/// The embedded page: one panel, a load error if any, and a link to the full app.
pub fn frame(panel: Html, error: Option<String>) -> Html {
    let frag = fragment();
    let full = split(&frag).0.map_or(String::from("./"), |p| format!("./#{p}"));
    html! {
        <div class="embed">
            if let Some(e) = error { <p class="share-error" role="alert">{ e }</p> }
            <div class="panel">{ panel }</div>
            <a class="embed-link" href={full} target="_blank" rel="noopener">{ "Open in Stagecraft ↗" }</a>
        </div>
    }
}
