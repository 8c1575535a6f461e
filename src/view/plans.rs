//! The Plans tab's four plans (parsed, analyzed, optimized, physical) behind a tab strip, each as a graph
//! or, with its toggle, as the text EXPLAIN prints; and a PySpark snippet's RDD lineages (`toDebugString` of
//! each RDD job). Knows the run's plan texts (`Out`), nothing of planning.

use yew::prelude::*;

use super::graph;
use super::state::{Action, Out, State};
use super::tabs;
use crate::plan_graph::{is_tree, PlanGraph};

const PLANS: [&str; 4] = ["Parsed", "Analyzed", "Optimized", "Physical"];

/// The plan graph tab `tab` shows, with its name (`optimized`, …), for the Plan SVG / PNG exports; the
/// physical plan when the parsed plan is SQL text (no graph).
pub fn shown_graph(o: &Out, tab: usize) -> (PlanGraph, String) {
    let l = &o.logical;
    match tab.min(3) {
        0 if !is_tree(&l.parsed) => (PlanGraph::physical(&o.report.final_plan), "physical".into()),
        i @ 0..=2 => (PlanGraph::logical([&l.parsed, &l.analyzed, &l.optimized][i]), PLANS[i].to_lowercase()),
        _ => (PlanGraph::physical(&o.report.final_plan), "physical".into()),
    }
}

/// The plan strip and the selected plan; `sel` is the selected stage (the physical graph marks it).
pub fn view(o: &Out, state: &UseReducerHandle<State>, sel: Option<u32>) -> Html {
    let i = state.plan_tab.min(3);
    let as_text = state.plan_text[i];
    let l = &o.logical;
    let text: &str = [&l.parsed, &l.analyzed, &l.optimized, &o.report.final_plan][i];
    let name = PLANS[i].to_lowercase();
    // Stagecraft prints some queries' parsed plans as their SQL text: no tree to draw.
    let drawable = i != 0 || is_tree(text);
    let body = if as_text || !drawable {
        html! { <pre class="explain plan-text" id="plan-text">{ text }</pre> }
    } else if i == 3 {
        graph::plan_graph(&o.report, &o.node_stage, sel)
    } else {
        graph::logical_graph(&PlanGraph::logical(text), &name)
    };
    let (st, st2) = (state.clone(), state.clone());
    html! {
        <>
            { tabs::tablist("plan", "Plans", "subtabs", &PLANS, i, Callback::from(move |t| st.dispatch(Action::SetPlanTab(t)))) }
            <div role="tabpanel" id={tabs::panel_id("plan")} aria-labelledby={tabs::tab_id("plan", PLANS[i])} class="plan-panel">
                <p class="plan-bar">
                    <button type="button" id="plan-as-text" aria-pressed={as_text.to_string()} disabled={!drawable}
                        onclick={Callback::from(move |_: MouseEvent| st2.dispatch(Action::TogglePlanText(i)))}>{ "Text" }</button>
                    { match (drawable, i) {
                        (false, _) => " Stagecraft prints this query's parsed plan as its SQL text.",
                        (_, 1 | 2) => " Each operator with its estimated Statistics(sizeInBytes, rowCount), as EXPLAIN COST prints them.",
                        _ => "",
                    } }
                </p>
                { body }
            </div>
        </>
    }
}

/// Each RDD job's lineage as `rdd.toDebugString()` prints it (indentation steps at shuffle boundaries: one
/// step per stage); nothing when the snippet runs no RDD job.
pub fn rdd_lineage(o: &Out) -> Html {
    let jobs = &o.report.rdd_jobs;
    if jobs.is_empty() {
        return html! {};
    }
    html! {
        <section id="rdd-lineage">
            <h2>{ "RDD lineage (toDebugString)" }</h2>
            <p class="note">{ "Each indentation step is a shuffle boundary (a ShuffledRDD's parents run in an earlier stage); (n) is the RDD's number of partitions." }</p>
            { for jobs.iter().map(|j| html! {
                <>
                    <h3>{ format!("Job {}: {}", j.job_id, j.site) }</h3>
                    <pre class="explain">{ j.lineage.clone() }</pre>
                </>
            }) }
        </section>
    }
}
