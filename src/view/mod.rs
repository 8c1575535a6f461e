//! The Yew app (wasm32 only): editors for the query (SQL or PySpark, a switch between them), catalog and confs
//! and what-if knobs on the left,
//! re-planned as the user types (debounced); on the right an A/B comparison and tabs for plans (text and
//! graph), the stage DAG, the task timeline, Spark-UI tables, skew histograms and the examples gallery;
//! positioned errors; a theme toggle; interview (presenter) mode; and a panic banner instead of a blank page.
//! It only calls `crate::pipeline` (and `crate::interview` for prompts); it knows nothing of how plans are made.

mod editor;
mod embed;
mod exports;
mod graph;
mod interview;
mod plans;
mod rules;
mod share_ui;
mod state;
mod storage;
mod tables;
mod tabs;
mod timeline;

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::pipeline::ExplainMode;
use editor::{Editor, Mark};
pub use state::{Action, Lang, Out, Pane, Problem, State, Tab};

pub use crate::conf::{fmt_bytes, fmt_ms};

/// The hue of a stage's colour (timeline, DAG, legend).
pub use crate::export::timeline_svg::stage_hue;

const TABS: [(Tab, &str); 6] = [
    (Tab::Plans, "Plans"),
    (Tab::Stages, "Stages"),
    (Tab::Timeline, "Timeline"),
    (Tab::SparkUi, "Spark UI"),
    (Tab::Skew, "Skew"),
    (Tab::Examples, "Examples"),
];

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
    let state = use_reducer(share_ui::initial_state);
    // A/B's shared playhead (the current run's controls drive both timelines).
    let ab_clock = timeline::Clock(use_mut_ref(|| 0f64));
    let pending = use_mut_ref(|| None::<Timeout>);
    let theme = use_state(|| 0usize);
    embed::use_messages(&state);
    interview::use_keys(&state);

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
    let act = |a: Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(a.clone()))
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let next = (*theme + 1) % 3;
            if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = match next {
                    0 => root.remove_attribute("data-theme"),
                    1 => root.set_attribute("data-theme", "dark"),
                    _ => root.set_attribute("data-theme", "light"),
                };
            }
            theme.set(next);
        })
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

    // The query in SQL or PySpark: a tablist over the one query editor, which names its language.
    let query_pane = {
        let lang_at = Lang::ALL.iter().position(|l| *l == state.lang).unwrap_or(0);
        let label = match state.lang {
            Lang::Sql => "Query (Spark SQL)",
            Lang::PySpark => "Query (PySpark DataFrame or RDD snippet; spark, sc and F are predefined)",
        };
        let st = state.clone();
        let pick = Callback::from(move |i: usize| st.dispatch(Action::SetLang(Lang::ALL[i.min(1)])));
        html! {
            <div class="query-pane">
                { tabs::tablist("lang", "Query language", "lang-tabs", &Lang::ALL.map(Lang::name), lang_at, pick) }
                <div role="tabpanel" id={tabs::panel_id("lang")} aria-labelledby={tabs::tab_id("lang", state.lang.name())}>
                    { editor(Pane::Query, "query", label, 8) }
                </div>
            </div>
        }
    };

    let status = if state.stale {
        html! { <span class="status busy">{ "planning…" }</span> }
    } else if state.problem.is_some() {
        html! { <span class="status bad">{ "input has an error: showing the last good results" }</span> }
    } else {
        html! { <span class="status ok">{ "up to date" }</span> }
    };
    let mode = mode_name(state.mode);
    let plan: Rc<str> = state
        .plan
        .clone()
        .unwrap_or_else(|| "No plan yet: see the message under the editor.".into());

    // What-if knobs: conf knobs rewrite their line in the confs editor; cluster knobs are fields.
    let conf_check = |key: &'static str, label: &'static str, default: bool| {
        let on = state.conf(key).map_or(default, |v| v == "true");
        let st = state.clone();
        let onchange = Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            st.dispatch(Action::SetConf(key, Some(i.checked().to_string())));
        });
        html! { <label class="knob"><input type="checkbox" checked={on} {onchange} />{ label }</label> }
    };
    let conf_text = |key: &'static str, label: &'static str, default: &str, id: &'static str| {
        let v = state.conf(key).unwrap_or_else(|| default.into());
        let st = state.clone();
        let onchange = Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            let v = i.value();
            st.dispatch(Action::SetConf(key, (!v.trim().is_empty()).then(|| v.trim().to_string())));
        });
        html! { <label class="knob">{ label }<input id={id} type="text" size="6" value={v} {onchange} /></label> }
    };
    let cluster = |i: usize, label: &'static str, id: &'static str| {
        let st = state.clone();
        let onchange = Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = el.value().trim().parse() {
                st.dispatch(Action::SetCluster(i, v));
            }
        });
        html! { <label class="knob">{ label }<input id={id} type="number" min="1" value={state.cluster[i].to_string()} {onchange} /></label> }
    };

    let out = state.out.clone();
    let sel = state.sel.map(|s| s.0);
    let panel = match (&out, state.tab) {
        (_, Tab::Examples) => html! {
            <ol class="gallery">
                { for crate::examples::EXAMPLES.iter().enumerate().map(|(i, e)| html! {
                    <li>
                        <button type="button" class="ex-title" onclick={act(Action::Example(i))}>{ e.title }</button>
                        <p>{ e.text }</p>
                        <pre>{ if state.lang == Lang::PySpark { e.pyspark.unwrap_or(e.sql) } else { e.sql } }</pre>
                    </li>
                }) }
            </ol>
        },
        // An RDD-only snippet has no query plan: its lineages below are what Spark shows for it.
        (Some(o), Tab::Plans) if o.report.final_plan.is_empty() && !o.report.rdd_jobs.is_empty() => plans::rdd_lineage(o),
        (_, Tab::Plans) => html! {
            <>
                <div class="plans-head">
                    <h2>{ format!("EXPLAIN {}", mode.to_uppercase()) }</h2>
                    <label class="mode">{ "format " }
                        <select onchange={on_mode}>
                            { for MODES.iter().map(|m| html! {
                                <option value={mode_name(*m)} selected={*m == state.mode}>{ mode_name(*m) }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <pre id="explain" class={classes!("explain", state.problem.is_some().then_some("outdated"))}>{ plan.to_string() }</pre>
                if let Some(o) = &out {
                    { plans::rdd_lineage(o) }
                    if !o.report.final_plan.is_empty() {
                        <h2>{ format!("Optimizer rules ({} changed the plan)", o.rules.len()) }</h2>
                        <rules::RuleStepper rules={o.rules.clone()} />
                        <h2>{ "Plans as graphs" }</h2>
                        { plans::view(o, &state, sel) }
                    }
                }
            </>
        },
        (None, _) => html! { <p class="note">{ "No run yet: see the message under the editor." }</p> },
        (Some(o), Tab::Stages) => graph::stage_dag(&o.sim, sel),
        (Some(o), Tab::Timeline) => {
            let st = state.clone();
            let on_select = Callback::from(move |s| st.dispatch(Action::Select(s)));
            match &state.pinned {
                // A/B: the pinned run above the current one, on one time scale (the longer run's) and one clock:
                // B's controls play both; a task picked in A is described under A, B's selection stays.
                Some(a) => {
                    let scale = a.sim.total_time.max(o.sim.total_time);
                    let label = |run: &str, x: &Out| AttrValue::from(format!("{run} · {} in all", fmt_ms(x.sim.total_time / 1000)));
                    html! { <div class="ab-timelines">
                        <timeline::Timeline out={a.clone()} generation={state.generation} scale={scale} label={label("A (pinned)", a)} suffix="-a" clock={ab_clock.clone()} follower=true />
                        <timeline::Timeline out={o.clone()} generation={state.generation} sel={state.sel} {on_select} scale={scale} label={label("B (now)", o)} clock={ab_clock.clone()} paired={a.clone()} />
                    </div> }
                }
                None => html! { <timeline::Timeline out={o.clone()} generation={state.generation} sel={state.sel} {on_select} /> },
            }
        }
        (Some(o), Tab::SparkUi) => {
            let st = state.clone();
            tables::spark_ui(o, state.ui_tab, Callback::from(move |i| st.dispatch(Action::SetUiTab(i))))
        }
        (Some(o), Tab::Skew) => tables::skew(o),
        (_, Tab::Interview) => Html::default(),
    };
    let tab_at = TABS.iter().position(|t| t.0 == state.tab).unwrap_or(0);
    if embed::params().embed.is_some() {
        return embed::frame(panel, share_ui::load_error());
    }
    let theme_button = html! {
        <button type="button" id="theme" class="theme" onclick={on_theme}>{ ["Theme: auto", "Theme: dark", "Theme: light"][*theme] }</button>
    };
    if state.tab == Tab::Interview {
        return interview::view(&state, theme_button);
    }

    html! {
        <>
            <header class="topbar">
                <h1>{ "Stagecraft" }</h1>
                <p class="tagline">{ "Spark 3.5 execution, visualised: plans, stages and tasks, computed in your browser." }</p>
                <share_ui::ShareBar state={state.clone()} />
                <button type="button" id="interview-open" title="Interview mode: predict, then reveal (key i)" onclick={act(Action::SetTab(Tab::Interview))}>{ "Interview" }</button>
                { theme_button }
            </header>
            <main class="workspace">
                <section class="inputs" aria-label="Scenario">
                    <div class="example">
                        <span class="example-title" id="example-title">{ state.title.to_string() }</span>
                        <button type="button" onclick={act(Action::Reset)}>{ "Reset example" }</button>
                    </div>
                    <fieldset class="knobs">
                        <legend>{ "What if" }</legend>
                        { conf_check("spark.sql.adaptive.enabled", "AQE", true) }
                        { conf_check("spark.speculation", "speculation", false) }
                        { conf_text("spark.sql.shuffle.partitions", "shuffle partitions", "200", "k-parts") }
                        { conf_text("spark.sql.autoBroadcastJoinThreshold", "broadcast threshold", "10m", "k-bcast") }
                        { cluster(0, "executors", "k-execs") }
                        { cluster(1, "cores", "k-cores") }
                        { cluster(2, "memory MB", "k-mem") }
                    </fieldset>
                    { query_pane }
                    { editor(Pane::Confs, "confs", "Spark confs (key=value, one a line)", 6) }
                    { editor(Pane::Catalog, "catalog", "Catalog (CREATE TABLE … TBLPROPERTIES with statistics)", 10) }
                </section>
                <section class="results" aria-label="Results">
                    <div class="abbar">
                        { status }
                        if state.pinned.is_some() {
                            <button type="button" id="unpin" onclick={act(Action::Unpin)}>{ "Unpin A" }</button>
                        } else {
                            <button type="button" id="pin" disabled={out.is_none()} onclick={act(Action::Pin)}>{ "Pin this run as A" }</button>
                        }
                    </div>
                    if let (Some(a), Some(b)) = (&state.pinned, &out) {
                        { tables::ab_compare(a, b) }
                    }
                    { tabs::tablist("tab", "Views", "tabs", &TABS.map(|t| t.1), tab_at, {
                        let st = state.clone();
                        Callback::from(move |i: usize| st.dispatch(Action::SetTab(TABS[i].0)))
                    }) }
                    <div class="panel" role="tabpanel" id={tabs::panel_id("tab")} aria-labelledby={tabs::tab_id("tab", TABS[tab_at].1)} onclick={share_ui::on_panel_click(&state)} onkeydown={share_ui::on_panel_key(&state)}>{ panel }</div>
                </section>
            </main>
        </>
    }
}
