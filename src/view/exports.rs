//! Export buttons (wasm32 only): downloads made in the page (Blob, object URL, `<a download>`; nothing is
//! sent anywhere) of the Chrome trace JSON, the stage DAG as SVG and as Excalidraw, the timeline canvas as
//! PNG, and EXPLAIN as Markdown copied to the clipboard. The files come from `crate::export`.

use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};
use yew::prelude::*;

use super::state::State;
use crate::export;

/// Saves `href` as `name` through a temporary `<a download>`.
fn save(href: &str, name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(a) = doc.create_element("a").ok().and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok()) {
        a.set_href(href);
        a.set_download(name);
        a.click();
    }
}

/// Downloads `text` as a file.
fn download(name: &str, mime: &str, text: &str) {
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &opts) else { return };
    if let Ok(url) = Url::create_object_url_with_blob(&blob) {
        save(&url, name);
        let _ = Url::revoke_object_url(&url);
    }
}

/// The export buttons; each acts on the last good run. `note` shows a message (the Markdown copy's outcome).
pub fn buttons(state: &UseReducerHandle<State>, note: Callback<String>) -> Html {
    let file = |id: &'static str, label: &'static str, k: u8| {
        let st = state.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let Some(o) = &st.out else { return };
            let jobs = &o.report.jobs;
            match k {
                0 => download("stagecraft-trace.json", "application/json", &export::chrome_trace::chrome_trace_json(&o.sim.trace)),
                1 => download("stagecraft-stages.svg", "image/svg+xml", &export::svg::stage_dag_svg(jobs)),
                2 => download("stagecraft-stages.excalidraw", "application/json", &export::excalidraw::stage_dag_excalidraw(jobs)),
                _ => {
                    let c = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("timeline"));
                    if let Some(url) = c.and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()).and_then(|c| c.to_data_url().ok()) {
                        save(&url, "stagecraft-timeline.png");
                    }
                }
            }
        });
        html! { <button type="button" {id} class="export" disabled={state.out.is_none() || (k == 3 && state.tab != super::Tab::Timeline)} {onclick}>{ label }</button> }
    };
    let st = state.clone();
    let md = Callback::from(move |_: MouseEvent| {
        if let Some(plan) = &st.plan {
            let text = export::markdown::explain_markdown(&st.title, super::mode_name(st.mode), plan);
            let note = note.clone();
            super::share_ui::copy(&text, Callback::from(move |ok| note.emit(if ok { "EXPLAIN copied as Markdown." } else { "The clipboard refused the copy." }.into())));
        }
    });
    html! {
        <>
            { file("x-trace", "Trace JSON", 0) }
            { file("x-svg", "DAG SVG", 1) }
            { file("x-excalidraw", "Excalidraw", 2) }
            { file("x-png", "Timeline PNG", 3) }
            <button type="button" id="x-md" class="export" disabled={state.plan.is_none()} onclick={md}>{ "Copy EXPLAIN (Markdown)" }</button>
        </>
    }
}
