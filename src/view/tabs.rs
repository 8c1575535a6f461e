//! The one tab strip of the app (the main tabs, the plan tabs, the Spark-UI tabs), after the WAI-ARIA
//! tablist pattern: `role=tablist` / `tab`, `aria-selected`, `aria-controls`, a roving tabindex (only the
//! selected tab is in the Tab order), and ←/→ (wrapping), Home and End move to a tab and activate it.
//! Knows the DOM of its own strip; what a tab shows is the caller's.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The id of tab `name` in the strip `prefix` (`tab-plans`, `plan-optimized`): lower case, no spaces.
pub fn tab_id(prefix: &str, name: &str) -> String {
    format!("{prefix}-{}", name.to_lowercase().replace(' ', ""))
}

/// The id of the strip's panel (`tab-panel`); the panel is labelled by the selected tab.
pub fn panel_id(prefix: &str) -> String {
    format!("{prefix}-panel")
}

/// The index a key moves to from `at` among `n` tabs, if it is one of the strip's keys.
fn target(key: &str, at: usize, n: usize) -> Option<usize> {
    match key {
        "ArrowRight" => Some((at + 1) % n),
        "ArrowLeft" => Some((at + n - 1) % n),
        "Home" => Some(0),
        "End" => Some(n - 1),
        _ => None,
    }
}

/// A tab strip labelled `label`: a button per name, `selected` marked; `pick` is told the index the user
/// clicked or moved to (the moved-to tab also takes the focus).
pub fn tablist(prefix: &'static str, label: &'static str, class: &'static str, names: &[&'static str], selected: usize, pick: Callback<usize>) -> Html {
    let n = names.len();
    let onkeydown = {
        let pick = pick.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(to) = target(&e.key(), selected, n) else { return };
            e.prevent_default();
            // Stop here: the panel around a nested strip has keys of its own.
            e.stop_propagation();
            pick.emit(to);
            // The key's target is the focused tab (Yew delegates events, so `current_target` is its root).
            let strip = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| t.parent_element());
            let tab = strip.and_then(|s| s.query_selector_all(":scope > [role=tab]").ok()).and_then(|l| l.get(to as u32));
            if let Some(tab) = tab.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = tab.focus();
            }
        })
    };
    html! {
        <div {class} role="tablist" aria-label={label} {onkeydown}>
            { for names.iter().enumerate().map(|(i, name)| {
                let pick = pick.clone();
                let on = i == selected;
                html! { <button type="button" role="tab" id={tab_id(prefix, name)} aria-selected={on.to_string()}
                    aria-controls={panel_id(prefix)} tabindex={if on { "0" } else { "-1" }}
                    onclick={Callback::from(move |_: MouseEvent| pick.emit(i))}>{ *name }</button> }
            }) }
        </div>
    }
}
