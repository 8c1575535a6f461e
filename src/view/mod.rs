//! The Yew app (wasm32 only): editors for the query, catalog and confs, re-planned as the user types
//! (debounced), the EXPLAIN text, positioned errors, and a panic banner instead of a blank page.
//! It only calls `crate::pipeline`; it knows nothing of how plans are made.

mod editor;
mod state;

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::{Element, HtmlSelectElement};
use yew::prelude::*;

use crate::pipeline::ExplainMode;
use editor::{Editor, Mark};
pub use state::{Action, Pane, Problem, State};

/// Quiet time after the last keystroke before re-planning.
const DEBOUNCE_MS: u32 = 150;
const PANIC_BANNER_ID: &str = "panic-banner";

/// Starts the app: installs the panic banner and renders into the page body (in a `<div id="app">`, so that
/// the static `#panic-banner` of index.html stays outside what Yew manages).
pub fn run() {
    install_panic_hook();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(loading) = document.get_element_by_id("loading") {
        loading.remove();
    }
    let root = document.get_element_by_id("app").or_else(|| {
        let body = document.body()?;
        let div = document.create_element("div").ok()?;
        div.set_id("app");
        body.append_child(&div).ok()?;
        Some(div)
    });
    match root {
        Some(root) => mount(root),
        None => gloo::console::error!("Stagecraft: the page has no <body> to render into"),
    }
    // `?panic` forces a panic after the first render: the browser tests check the banner with it.
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if search
        .trim_start_matches('?')
        .split('&')
        .any(|kv| kv == "panic" || kv.starts_with("panic="))
    {
        Timeout::new(0, || panic!("forced by ?panic in the address")).forget();
    }
}

/// Renders the app into `root` (also used by the wasm-bindgen browser tests).
pub fn mount(root: Element) {
    yew::Renderer::<App>::with_root(root).render();
}

/// On a panic: log it and show a banner; the page keeps what it last showed. (Through Yew, which would
/// otherwise replace any hook with its own when it renders.)
fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        gloo::console::error!(format!("Stagecraft panicked: {message}"));
        show_panic_banner(&message);
    }));
}

fn show_panic_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let banner = match document.get_element_by_id(PANIC_BANNER_ID) {
        Some(b) => b,
        None => {
            let Ok(b) = document.create_element("div") else {
                return;
            };
            b.set_id(PANIC_BANNER_ID);
            let _ = b.set_attribute("role", "alert");
            if let Some(body) = document.body() {
                let _ = body.prepend_with_node_1(&b);
            }
            b
        }
    };
    banner.set_text_content(Some(&format!(
        "Stagecraft hit an internal error and stopped updating. Reload the page to start again. ({message})"
    )));
    let _ = banner.remove_attribute("hidden");
}

fn mode_name(mode: ExplainMode) -> &'static str {
    match mode {
        ExplainMode::Simple => "simple",
        ExplainMode::Extended => "extended",
        ExplainMode::Formatted => "formatted",
        ExplainMode::Cost => "cost",
    }
}

const MODES: [ExplainMode; 4] = [
    ExplainMode::Simple,
    ExplainMode::Extended,
    ExplainMode::Formatted,
    ExplainMode::Cost,
];

#[component(App)]
fn app() -> Html {
    let state = use_reducer(State::initial);
    let pending = use_mut_ref(|| None::<Timeout>);

    let on_edit = |pane: Pane| {
        let state = state.clone();
        let pending = pending.clone();
        Callback::from(move |text: String| {
            state.dispatch(Action::Edit(pane, text));
            let state = state.clone();
            // Replacing the handle drops (cancels) the previous timer: only the last edit re-plans.
            *pending.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                state.dispatch(Action::Replan)
            }));
        })
    };
    let on_mode = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(mode) = ExplainMode::parse(&select.value()) {
                state.dispatch(Action::SetMode(mode));
            }
        })
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Reset))
    };

    let problem_for = |pane: Pane| state.problem.as_ref().filter(|p| p.pane == pane);
    let mark_for = |pane: Pane| {
        problem_for(pane).filter(|p| p.line > 0).map(|p| Mark {
            line: p.line,
            col: p.col,
            end_col: if p.end_line == p.line {
                p.end_col
            } else {
                u32::MAX
            },
        })
    };
    let editor = |pane: Pane, id: &'static str, label: &'static str, rows: u32| {
        html! {
            <Editor id={id} label={label} rows={rows} value={state.text(pane)}
                on_input={on_edit(pane)} mark={mark_for(pane)}
                error={problem_for(pane).map(Problem::describe)} />
        }
    };

    let status = if state.stale {
        html! { <span class="status busy">{ "planning…" }</span> }
    } else if state.problem.is_some() {
        html! { <span class="status bad">{ "input has an error" }</span> }
    } else {
        html! { <span class="status ok">{ "up to date" }</span> }
    };
    let mode = mode_name(state.mode);
    let plan: Rc<str> = state
        .plan
        .clone()
        .unwrap_or_else(|| "No plan yet: see the message under the editor.".into());

    html! {
        <>
            <header class="topbar">
                <h1>{ "Stagecraft" }</h1>
                <p class="tagline">{ "Spark 3.5 execution, visualised: plans, stages and tasks, computed in your browser." }</p>
            </header>
            <main class="workspace">
                <section class="inputs" aria-label="Scenario">
                    <div class="example">
                        <span class="example-title">{ state.title.to_string() }</span>
                        <button type="button" onclick={on_reset}>{ "Reset example" }</button>
                    </div>
                    { editor(Pane::Query, "query", "Query (Spark SQL)", 8) }
                    { editor(Pane::Confs, "confs", "Spark confs (key=value, one a line)", 6) }
                    { editor(Pane::Catalog, "catalog", "Catalog (tables with statistics, JSON)", 12) }
                </section>
                <section class="plans" aria-label="Plans">
                    <div class="plans-head">
                        <h2>{ format!("EXPLAIN {}", mode.to_uppercase()) }</h2>
                        <label class="mode">{ "format " }
                            <select onchange={on_mode}>
                                { for MODES.iter().map(|m| html! {
                                    <option value={mode_name(*m)} selected={*m == state.mode}>{ mode_name(*m) }</option>
                                }) }
                            </select>
                        </label>
                        { status }
                    </div>
                    <pre id="explain" class={classes!("explain", state.problem.is_some().then_some("outdated"))}>{ plan.to_string() }</pre>
                </section>
            </main>
        </>
    }
}
