//! Browser tests of the view (wasm32 only), run by wasm-bindgen-test-runner in Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_renders_the_example() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    stagecraft::view::mount(root.clone());
    // Yew renders on a later tick.
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Stagecraft"), "{text}");
    assert!(document.get_element_by_id("query").is_some());
}

#[wasm_bindgen_test]
fn sizes_and_times_read_like_the_spark_ui() {
    use stagecraft::view::{fmt_bytes, fmt_ms};
    assert_eq!(fmt_bytes(512), "512 B");
    assert_eq!(fmt_bytes(3 * 1024 * 1024 / 2), "1.5 MiB");
    assert_eq!(fmt_ms(340), "340 ms");
    assert_eq!(fmt_ms(1250), "1.2 s");
}

#[wasm_bindgen_test]
async fn app_shows_tabs_timeline_and_reacts_to_tab_clicks() {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    stagecraft::view::mount(root.clone());
    yew::platform::time::sleep(std::time::Duration::from_millis(100)).await;
    // The default tab is the timeline, drawn on a canvas.
    let canvas = root.query_selector("canvas").unwrap().expect("timeline canvas");
    assert!(canvas.get_attribute("tabindex").is_some());
    let tabs = root.query_selector_all("[role=tablist] [role=tab]").unwrap();
    assert!(tabs.length() >= 6, "{} tabs", tabs.length());
    // Stages: one SVG DAG per job.
    let stages: web_sys::HtmlElement = root.query_selector("#tab-stages").unwrap().unwrap().dyn_into().unwrap();
    stages.click();
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(root.query_selector_all(".dag svg").unwrap().length() >= 2);
    // Plans: the EXPLAIN text and the plan graph with the join's reasons.
    let plans: web_sys::HtmlElement = root.query_selector("#tab-plans").unwrap().unwrap().dyn_into().unwrap();
    plans.click();
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(root.query_selector("svg.plan").unwrap().is_some());
    let why = root.query_selector(".joins").unwrap().unwrap().text_content().unwrap_or_default();
    assert!(why.contains("SortMergeJoin"), "{why}");
}
