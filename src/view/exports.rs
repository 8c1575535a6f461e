//! Export buttons (wasm32 only): downloads made in the page (Blob, object URL, `<a download>`; nothing is
//! sent anywhere) of the Chrome trace JSON, the stage DAG as SVG, PNG and Excalidraw (laid out by
//! `crate::stage_graph`, as the Stages tab draws it), the plan graph the Plans tab shows (parsed, analyzed,
//! optimized or physical) as SVG and PNG, the timeline as SVG and as a PNG of its canvas, and EXPLAIN as Markdown copied to the
//! clipboard. The files come from `crate::export`; a PNG of an SVG is the SVG drawn on a canvas at 2x.

use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, CanvasRenderingContext2d, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};
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

/// The `width="…"` / `height="…"` of an SVG document's root element.
fn svg_size(svg: &str) -> (f64, f64) {
    let num = |key: &str| svg.split(key).nth(1).and_then(|r| r.split('"').next()).and_then(|v| v.parse::<f64>().ok()).unwrap_or(800.0);
    (num(" width=\""), num(" height=\""))
}

/// Saves `svg` as a PNG: drawn through an `<img>` on a canvas at twice its size (sharp on projectors).
fn download_png_of_svg(name: &'static str, svg: &str) {
    let (w, h) = svg_size(svg);
    let opts = BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&svg.into()), &opts) else { return };
    let (Ok(url), Ok(img)) = (Url::create_object_url_with_blob(&blob), HtmlImageElement::new()) else { return };
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url2);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(canvas) = doc.create_element("canvas").ok().and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) else { return };
        canvas.set_width((w * 2.0) as u32);
        canvas.set_height((h * 2.0) as u32);
        if let Some(cx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok()) {
            let _ = cx.scale(2.0, 2.0);
            let _ = cx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
            if let Ok(data) = canvas.to_data_url() {
                save(&data, name);
            }
        }
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}

/// The export buttons; each acts on the last good run. `note` shows a message (the Markdown copy's outcome).
pub fn buttons(state: &UseReducerHandle<State>, note: Callback<String>) -> Html {
    let file = |id: &'static str, label: &'static str, k: u8| {
        let st = state.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let Some(o) = &st.out else { return };
            let stages = crate::stage_graph::StageGraph::from_sim(&o.sim);
            let plan = || {
                let (g, name) = super::plans::shown_graph(o, st.plan_tab);
                export::plan_svg::plan_graph_svg(&g, &name, &st.title)
            };
            match k {
                0 => download("stagecraft-trace.json", "application/json", &export::chrome_trace::chrome_trace_json(&o.sim.trace)),
                1 => download("stagecraft-stages.svg", "image/svg+xml", &export::svg::stage_dag_svg(&stages)),
                2 => download("stagecraft-stages.excalidraw", "application/json", &export::excalidraw::stage_dag_excalidraw(&stages)),
                4 => download_png_of_svg("stagecraft-stages.png", &export::svg::stage_dag_svg(&stages)),
                5 => download("stagecraft-plan.svg", "image/svg+xml", &plan()),
                6 => download_png_of_svg("stagecraft-plan.png", &plan()),
                7 => download("stagecraft-timeline.svg", "image/svg+xml", &export::timeline_svg::timeline_svg(&o.sim.trace, &st.title)),
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
            { file("x-dag-png", "DAG PNG", 4) }
            { file("x-excalidraw", "Excalidraw", 2) }
            { file("x-plan-svg", "Plan SVG", 5) }
            { file("x-plan-png", "Plan PNG", 6) }
            { file("x-tl-svg", "Timeline SVG", 7) }
            { file("x-png", "Timeline PNG", 3) }
            <button type="button" id="x-md" class="export" disabled={state.plan.is_none()} onclick={md}>{ "Copy EXPLAIN (Markdown)" }</button>
        </>
    }
}
