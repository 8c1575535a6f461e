//! The optimizer rule stepper on the Plans tab: the rules that changed the plan, in the order Catalyst
//! applied them (batch and rule name), one at a time with the plan's line diff (removed lines struck
//! through, added lines marked); Previous / Next buttons, the list as a select, and ← / → on the stepper.
//! Knows `optimizer::rule_diff` results; nothing of how they were made.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::optimizer::rule_diff::{Change, RuleDiff};

#[derive(Properties, PartialEq)]
pub struct RulesProps {
    pub rules: Rc<[RuleDiff]>,
}

#[function_component(RuleStepper)]
pub fn rule_stepper(p: &RulesProps) -> Html {
    let at = use_state(|| 0usize);
    let n = p.rules.len();
    if n == 0 {
        return html! { <p class="note">{ "No optimizer rule changed this plan." }</p> };
    }
    let i = (*at).min(n - 1);
    let go = |to: usize| {
        let at = at.clone();
        Callback::from(move |_: MouseEvent| at.set(to))
    };
    let on_pick = {
        let at = at.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                at.set(s.selected_index().max(0) as usize);
            }
        })
    };
    let on_key = {
        let at = at.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowLeft" => at.set(i.saturating_sub(1)),
            "ArrowRight" => at.set((i + 1).min(n - 1)),
            _ => {}
        })
    };
    let r = &p.rules[i];
    html! {
        <section class="rules" tabindex="0" onkeydown={on_key} aria-label="optimizer rules">
            <div class="rules-head">
                <button type="button" id="rule-prev" disabled={i == 0} onclick={go(i.saturating_sub(1))}>{ "← Previous" }</button>
                <select id="rule-pick" onchange={on_pick} aria-label="rule">
                    { for p.rules.iter().enumerate().map(|(k, r)| html! {
                        <option selected={k == i}>{ format!("{}. {}", k + 1, r.rule) }</option>
                    }) }
                </select>
                <button type="button" id="rule-next" disabled={i + 1 == n} onclick={go((i + 1).min(n - 1))}>{ "Next →" }</button>
                <span class="note">{ format!("rule {} of {n} · batch “{}”", i + 1, r.batch) }</span>
            </div>
            <pre class="explain diff" id="rule-diff">
                { for r.lines.iter().map(|(c, l)| {
                    let (cls, mark) = match c {
                        Change::Same => ("", "  "),
                        Change::Removed => ("del", "- "),
                        Change::Added => ("add", "+ "),
                    };
                    html! { <span class={cls}>{ mark }{ l }{ "\n" }</span> }
                }) }
            </pre>
        </section>
    }
}
