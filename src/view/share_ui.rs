//! Share links in the page (wasm32 only): opening one restores the state it holds (scenario, seed, knobs, tab,
//! selected stage, playback position); a damaged or newer link shows why and leaves the default example. The
//! "Share" button writes the current state into the address (history.replaceState) and copies the link
//! (navigator.clipboard; the link also stays in a selectable box), "Embed" the matching `<iframe>` code.
//! The link format is `crate::share`'s; this knows the page.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::embed;
use super::state::{Action, State, Tab};
use crate::pipeline::ExplainMode;
use crate::share::{self, ShareState};

thread_local! {
    /// Why the link the page was opened with could not be read.
    static LOAD_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Tab names in links; older builds ignore a name they do not know (and open the timeline).
const TAB_NAMES: [(Tab, &str); 7] = [
    (Tab::Plans, "plans"),
    (Tab::Stages, "stages"),
    (Tab::Timeline, "timeline"),
    (Tab::SparkUi, "sparkui"),
    (Tab::Skew, "skew"),
    (Tab::Examples, "examples"),
    (Tab::Interview, "interview"),
];

/// The state a link holds, or the default example with the reason kept for [`load_error`].
pub fn load(link: &str) -> State {
    let frag = link.rsplit_once('#').map_or(link, |(_, f)| f);
    embed::set_start(None);
    LOAD_ERROR.set(None);
    let Some(payload) = embed::split(frag).0 else { return State::initial() };
    match share::decode(payload) {
        Ok(s) => {
            let mode = s.knobs.get("mode").and_then(|m| ExplainMode::parse(m)).unwrap_or(ExplainMode::Extended);
            let mut st = State::from_scenario(s.scenario, mode);
            if let Some(t) = TAB_NAMES.iter().find(|t| t.1 == s.tab) {
                st.tab = t.0;
            }
            st.ui_tab = s.knobs.get("ui").map_or(0, |u| super::tables::ui_tab_of(u));
            st.plan_tab = s.knobs.get("plan").and_then(|u| u.parse().ok()).unwrap_or(3).min(3);
            if let Some(p) = s.knobs.get("prompts") {
                st.prompts = p.as_str().into();
            }
            st.sel = s.node.map(|n| (n, None));
            // Sub-millisecond part in the `us` knob: a position at a task boundary round-trips exactly.
            let us: f64 = s.knobs.get("us").and_then(|u| u.parse().ok()).unwrap_or(0.0);
            embed::set_start(Some(s.position_ms as f64 * 1000.0 + us));
            st
        }
        Err(e) => {
            LOAD_ERROR.set(Some(format!("Could not open the shared link: {e}. Showing the built-in example instead.")));
            State::initial()
        }
    }
}

/// The app's first state: the address's share link if it has one (then the embed panel, if embedded).
pub fn initial_state() -> State {
    let mut st = load(&embed::fragment());
    if let Some(t) = embed::params().embed {
        st.tab = t;
    }
    st
}

pub fn load_error() -> Option<String> {
    LOAD_ERROR.with_borrow(|e| e.clone())
}

/// The current state as a link to this page.
pub fn link(state: &State) -> Result<String, String> {
    let scenario = state.scenario().map_err(|p| format!("Fix the input first: {}", p.describe()))?;
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let mut knobs = BTreeMap::new();
    knobs.insert("mode".into(), super::mode_name(state.mode).into());
    if state.ui_tab != 0 {
        knobs.insert("ui".into(), super::tables::UI_TABS[state.ui_tab.min(super::tables::UI_TABS.len() - 1)].into());
    }
    if state.plan_tab != 3 {
        knobs.insert("plan".into(), state.plan_tab.to_string());
    }
    if &*state.prompts != crate::interview::ALL {
        knobs.insert("prompts".into(), state.prompts.to_string());
    }
    let pos = embed::position() as u64;
    if !pos.is_multiple_of(1000) {
        knobs.insert("us".into(), (pos % 1000).to_string());
    }
    let tab = TAB_NAMES.iter().find(|t| t.0 == state.tab).map_or("", |t| t.1).into();
    let st = ShareState { scenario, tab, node: state.sel.map(|s| s.0), position_ms: pos / 1000, knobs };
    Ok(share::link(&href, &st))
}

/// Copies `text`; `done` gets whether it worked.
pub fn copy(text: &str, done: Callback<bool>) {
    let Some(w) = web_sys::window() else { return done.emit(false) };
    let p = w.navigator().clipboard().write_text(text);
    let ok = { let d = done.clone(); Closure::once(move |_: JsValue| d.emit(true)) };
    let bad = Closure::once(move |_: JsValue| done.emit(false));
    let _ = p.then2(&ok, &bad);
    ok.forget();
    bad.forget();
}

/// The stage id of the selectable node (`data-stage`: plan and stage graphs) at an event's target.
fn stage_at(e: &Event) -> Option<u32> {
    let g = e.target_dyn_into::<Element>()?.closest("[data-stage]").ok()??;
    g.get_attribute("data-stage")?.parse().ok()
}

/// Clicks in the results panel: a plan node or a stage box selects its stage (again: unselects it).
pub fn on_panel_click(state: &UseReducerHandle<State>) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |e: MouseEvent| {
        if let Some(id) = stage_at(&e) {
            state.dispatch(Action::Select((state.sel.map(|s| s.0) != Some(id)).then_some((id, None))));
        }
    })
}

/// Enter or Space on a focused plan node or stage box: as a click.
pub fn on_panel_key(state: &UseReducerHandle<State>) -> Callback<KeyboardEvent> {
    let state = state.clone();
    Callback::from(move |e: KeyboardEvent| {
        if matches!(e.key().as_str(), "Enter" | " ") {
            if let Some(id) = stage_at(&e) {
                e.prevent_default();
                state.dispatch(Action::Select((state.sel.map(|s| s.0) != Some(id)).then_some((id, None))));
            }
        }
    })
}

#[derive(Properties, PartialEq)]
pub struct BarProps {
    pub state: UseReducerHandle<State>,
}

/// The Share / Embed buttons, the exports, the link box and the load error.
#[component(ShareBar)]
pub fn share_bar(p: &BarProps) -> Html {
    // (link or embed code, message)
    let shown = use_state(|| None::<(String, String)>);
    let force = use_force_update();
    let error = load_error();
    let make = |embed_code: bool| {
        let (state, shown) = (p.state.clone(), shown.clone());
        Callback::from(move |_: MouseEvent| {
            let text = match link(&state) {
                Ok(url) => {
                    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
                    }
                    if embed_code {
                        let panel = match state.tab { Tab::Stages => "dag", Tab::Plans => "plan", _ => "timeline" };
                        format!("<iframe src=\"{}&amp;embed={panel}\" width=\"800\" height=\"450\" style=\"border:0\" title=\"Stagecraft\" loading=\"lazy\"></iframe>", url)
                    } else {
                        url
                    }
                }
                Err(m) => return shown.set(Some((String::new(), m))),
            };
            let (s, t) = (shown.clone(), text.clone());
            copy(&text, Callback::from(move |ok| s.set(Some((t.clone(), if ok { "Copied to the clipboard." } else { "Copy it from the box:" }.into())))));
            shown.set(Some((text, String::new())));
        })
    };
    let close = { let s = shown.clone(); Callback::from(move |_: MouseEvent| s.set(None)) };
    let dismiss = Callback::from(move |_: MouseEvent| {
        LOAD_ERROR.set(None);
        force.force_update();
    });
    let select = Callback::from(|e: FocusEvent| {
        let i: HtmlInputElement = e.target_unchecked_into();
        i.select();
    });
    html! {
        <>
            <div class="sharebar">
                <button type="button" id="share" onclick={make(false)}>{ "Share" }</button>
                <button type="button" id="embed-code" onclick={make(true)}>{ "Embed" }</button>
                { super::exports::buttons(&p.state, { let s = shown.clone(); Callback::from(move |m| s.set(Some((String::new(), m)))) }) }
            </div>
            if let Some((text, msg)) = &*shown {
                <div class="share-dialog" role="dialog" aria-label="Share">
                    <span id="share-msg">{ msg.clone() }</span>
                    if !text.is_empty() { <input id="share-link" readonly=true value={text.clone()} onfocus={select} /> }
                    <button type="button" onclick={close}>{ "Close" }</button>
                </div>
            }
            if let Some(e) = error {
                <p class="share-error" id="share-error" role="alert">{ e }<button type="button" onclick={dismiss}>{ "×" }</button></p>
            }
        </>
    }
}
