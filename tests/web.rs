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
