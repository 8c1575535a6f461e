//! Share links in the page (wasm32 only): opening one restores the state it holds (scenario, seed, knobs, tab,
//! selected stage, playback position); a damaged or newer link shows why and leaves the default example. The
//! "Share" button writes the current state into the address (history.replaceState) and copies the link
//! (navigator.clipboard; the link also stays in a selectable box), "Embed" the matching `<iframe>` code.
//! The link format is `crate::share`'s; this knows the page.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::embed;
use super::state::{State, Tab};
use crate::pipeline::ExplainMode;
use crate::share::{self, ShareState};

thread_local! {
    /// Why the link the page was opened with could not be read.
    static LOAD_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The selected stage of the Stages tab.
    static NODE: Cell<Option<u32>> = const { Cell::new(None) };
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
    NODE.set(None);
    LOAD_ERROR.set(None);
    let Some(payload) = embed::split(frag).0 else { return State::initial() };
    match share::decode(payload) {
        Ok(s) => {
            let mode = s.knobs.get("mode").and_then(|m| ExplainMode::parse(m)).unwrap_or(ExplainMode::Extended);
            let mut st = State::from_scenario(s.scenario, mode);
            if let Some(t) = TAB_NAMES.iter().find(|t| t.1 == s.tab) {
                st.tab = t.0;
            }
            st.ui_tab = s.knobs.get("ui").and_then(|u| u.parse().ok()).unwrap_or(0);
            if let Some(p) = s.knobs.get("prompts") {
                st.prompts = p.as_str().into();
            }
            NODE.set(s.node);
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
        knobs.insert("ui".into(), state.ui_tab.to_string());
    }
    if &*state.prompts != crate::interview::ALL {
        knobs.insert("prompts".into(), state.prompts.to_string());
    }
    let pos = embed::position() as u64;
    if !pos.is_multiple_of(1000) {
        knobs.insert("us".into(), (pos % 1000).to_string());
    }
    let tab = TAB_NAMES.iter().find(|t| t.0 == state.tab).map_or("", |t| t.1).into();
    let st = ShareState { scenario, tab, node: NODE.get(), position_ms: pos / 1000, knobs };
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

/// Marks the selected stage in the Stages tab (`g.node.sel`).
fn mark_node() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(nodes) = doc.query_selector_all(".dags g.node") else { return };
    let want = NODE.get().map(|n| format!("Stage {n}"));
    for i in 0..nodes.length() {
        if let Some(g) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            let on = want.is_some() && g.first_element_child().and_then(|r| r.next_element_sibling()).and_then(|t| t.text_content()) == want;
            let _ = g.class_list().toggle_with_force("sel", on);
        }
    }
}

/// A click in the results panel: selects (or unselects) the stage box under it.
pub fn on_panel_click(e: MouseEvent) {
    let Some(g) = e.target_dyn_into::<Element>().and_then(|t| t.closest(".dags g.node").ok().flatten()) else { return };
    let id = g.query_selector("text").ok().flatten().and_then(|t| t.text_content()).and_then(|t| t.strip_prefix("Stage ").and_then(|n| n.parse().ok()));
    NODE.set(if NODE.get() == id { None } else { id });
    mark_node();
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
    use_effect(mark_node);
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
