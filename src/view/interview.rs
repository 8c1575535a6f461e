//! Interview (presenter) mode (wasm32 only): the whole window in large type for a projector: the query and the
//! settings that decide its plan, then one prompt at a time with its answer hidden until the presenter reveals
//! it (Space, →, PageDown or Enter; ← or PageUp goes back; Esc leaves; `i` opens the mode from the page), and
//! the prompts' editor. Prompts and answers come from `crate::interview`; this knows the keys and the layout.

use wasm_bindgen::prelude::*;
use web_sys::{HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use super::state::{Action, State, Tab};

/// The page's keys: `i` opens interview mode; in it Space / → / PageDown / Enter reveal the next step, ← / PageUp
/// go one back and Esc leaves; outside it Esc clears the selection. Keys typed into a field stay the field's, Space and Enter on a focused button press
/// it; embedded pages have no interview mode.
#[hook]
pub fn use_keys(state: &UseReducerHandle<State>) {
    let state = state.clone();
    use_effect_with((), move |_| {
        let doc = web_sys::window().and_then(|w| w.document()).filter(|_| super::embed::params().embed.is_none());
        let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
                return;
            }
            let key = e.key();
            // Fields keep their keys; a focused button keeps Space and Enter (they press it).
            let tag = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|t| t.tag_name()).unwrap_or_default();
            if matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT" | "SUMMARY") || (tag == "BUTTON" && matches!(key.as_str(), " " | "Enter")) {
                return;
            }
            let open = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("interview")).is_some();
            let action = match (open, key.as_str()) {
                (true, " " | "ArrowRight" | "PageDown" | "Enter") => Action::Reveal(true),
                (true, "ArrowLeft" | "PageUp") => Action::Reveal(false),
                (true, "Escape") => Action::Leave,
                (false, "i") => Action::SetTab(Tab::Interview),
                // Outside interview mode Esc clears the plan / stage / task selection.
                (false, "Escape") => Action::Select(None),
                _ => return,
            };
            e.prevent_default();
            state.dispatch(action);
        });
        if let Some(d) = &doc {
            let _ = d.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = doc {
                let _ = d.remove_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
            }
        }
    });
}

/// The presenter view of the current run; `theme` is the page's theme button.
pub fn view(state: &UseReducerHandle<State>, theme: Html) -> Html {
    let act = |a: Action| {
        let s = state.clone();
        Callback::from(move |_: MouseEvent| s.dispatch(a.clone()))
    };
    let on_prompts = {
        let s = state.clone();
        Callback::from(move |e: InputEvent| {
            let t: HtmlTextAreaElement = e.target_unchecked_into();
            s.dispatch(Action::SetPrompts(t.value()))
        })
    };
    let on_link = {
        let s = state.clone();
        Callback::from(move |_: MouseEvent| {
            // The address keeps the link (as Share does); the clipboard gets it when the page may write there.
            if let Ok(url) = super::share_ui::link(&s) {
                if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
                }
                super::share_ui::copy(&url, Callback::noop());
            }
        })
    };
    let out = state.out.as_ref();
    let prompts = out.map(|o| crate::interview::prompts(&state.prompts, &o.report, &o.sim, &o.scenario.confs)).unwrap_or_default();
    let n = prompts.len();
    let last = (2 * n).saturating_sub(1);
    let step = state.step.min(last);
    let (i, revealed) = (step / 2, step % 2 == 1);
    let setup = out.map(|o| {
        let (s, c) = (&o.scenario, &o.scenario.confs);
        let get = |k: &str, d: &'static str| c.get(k).map_or(d, |v| v.as_str()).to_string();
        format!(
            "{} executors × {} cores · AQE {} · autoBroadcastJoinThreshold {} · shuffle.partitions {}",
            s.cluster.executors,
            s.cluster.cores_per_executor,
            if get("spark.sql.adaptive.enabled", "true") == "true" { "on" } else { "off" },
            get("spark.sql.autoBroadcastJoinThreshold", "10m"),
            get("spark.sql.shuffle.partitions", "200")
        )
    });
    let body = match prompts.get(i) {
        Some(p) => html! {
            <section class="iv-prompt" aria-live="polite">
                <ol class="iv-dots" aria-hidden="true">
                    { for (0..n).map(|k| html! { <li class={classes!((k < i || (k == i && revealed)).then_some("done"), (k == i).then_some("on"))} /> }) }
                </ol>
                <p class="iv-kicker">{ format!("Prompt {} of {n}", i + 1) }</p>
                <h2 id="iv-question">{ p.question.clone() }</h2>
                if revealed {
                    <div id="iv-answer" class="iv-answer">
                        <p class="iv-headline">{ if p.answer.is_empty() { "No note: discuss." } else { p.answer.as_str() } }</p>
                        if !p.why.is_empty() {
                            <ul class="iv-why">{ for p.why.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                        }
                    </div>
                } else {
                    <p id="iv-hidden" class="iv-hidden">{ "Predict, then press Space or → to reveal the answer." }</p>
                }
            </section>
        },
        None if out.is_none() => html! { <p class="iv-hidden">{ "No run yet: fix the input first." }</p> },
        None => html! { <p class="iv-hidden">{ "No prompts: write some under Prompts below." }</p> },
    };
    html! {
        <div id="interview" class="interview">
            <header class="iv-bar">
                <h1>{ "Stagecraft" }</h1>
                <span class="iv-title">{ state.title.to_string() }</span>
                <button type="button" id="iv-back" disabled={step == 0} onclick={act(Action::Reveal(false))}>{ "← Back" }</button>
                <button type="button" id="iv-next" disabled={step >= last} onclick={act(Action::Reveal(true))}>{ if revealed { "Next →" } else { "Reveal →" } }</button>
                <button type="button" id="iv-share" title="Copy a link that opens this interview" onclick={on_link}>{ "Copy link" }</button>
                { theme }
                <button type="button" id="iv-leave" onclick={act(Action::Leave)}>{ "Leave (Esc)" }</button>
            </header>
            <section class="iv-scenario" aria-label="Query">
                <pre class="iv-query">{ state.query.to_string() }</pre>
                if let Some(s) = setup { <p class="iv-setup">{ s }</p> }
            </section>
            { body }
            <details class="iv-edit">
                <summary>{ "Prompts" }</summary>
                <p class="note">{ "One a line: jobs, stages, tasks, join, aqe or straggler (answered from the run), or your own question; text after | is its answer." }</p>
                <textarea id="iv-prompts" rows="6" spellcheck="false" value={state.prompts.to_string()} oninput={on_prompts} />
            </details>
        </div>
    }
}
