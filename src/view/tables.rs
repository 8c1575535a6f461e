//! Compact Spark-UI-style tables (Jobs, Stages with task-metric quantiles, Storage (`super::storage`),
//! Environment, Executors, SQL), the
//! per-shuffle partition-size histograms (Skew, each with its shuffles' hot keys from `stage::hot_keys`) and
//! the A/B comparison of two runs. Reads the report, the SimResult, the hot keys and the scenario; knows
//! nothing of planning.

use yew::prelude::*;

use crate::trace::histogram::partition_histogram;
use crate::trace::summary::{task_metric_quantiles, JobStatus, StageStatus};

use super::state::Out;
use super::{fmt_bytes, fmt_ms};

pub(super) fn row(cells: Vec<String>) -> Html {
    html! { <tr>{ for cells.into_iter().map(|c| html! { <td>{ c }</td> }) }</tr> }
}

pub(super) fn head(cells: &[&str]) -> Html {
    html! { <thead><tr>{ for cells.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead> }
}

fn dur(a: Option<u64>, b: Option<u64>) -> String {
    a.zip(b).map(|(s, e)| fmt_ms(e.saturating_sub(s) / 1000)).unwrap_or_else(|| "–".into())
}

fn status_name(s: StageStatus) -> &'static str {
    match s {
        StageStatus::Completed => "completed",
        StageStatus::Skipped => "skipped",
        StageStatus::Failed => "failed",
    }
}

/// In the Spark UI's order.
pub const UI_TABS: [&str; 6] = ["Jobs", "Stages", "Storage", "Environment", "Executors", "SQL"];

/// The tab a share link's `ui` knob names: a tab name, or (links made before the Storage tab) an index
/// into the old order Jobs, Stages, Executors, SQL, Environment.
pub fn ui_tab_of(knob: &str) -> usize {
    const OLD: [usize; 5] = [0, 1, 4, 5, 3];
    match knob.parse::<usize>() {
        Ok(i) => OLD.get(i).copied().unwrap_or(0),
        Err(_) => UI_TABS.iter().position(|t| *t == knob).unwrap_or(0),
    }
}

/// The Spark-UI tables; `tab` picks one, `pick` is told which the user clicked.
pub fn spark_ui(out: &Out, tab: usize, pick: Callback<usize>) -> Html {
    let sim = &out.sim;
    let body = match tab {
        0 => html! { <table>{ head(&["Job", "Kind", "Status", "Stages (run/skipped)", "Tasks", "Duration"]) }<tbody>
            { for sim.jobs.iter().map(|j| {
                let skipped = j.stages.iter().filter(|s| s.status == StageStatus::Skipped).count();
                row(vec![j.job_id.to_string(), j.kind.label().into(),
                    match j.status { JobStatus::Succeeded => "succeeded", JobStatus::Failed => "failed", JobStatus::Unfinished => "unfinished", JobStatus::NotRun => "not run" }.into(),
                    format!("{}/{}", j.stages.len() - skipped, skipped), j.num_tasks_run.to_string(), dur(j.submission_time, j.completion_time)])
            }) }</tbody></table> },
        1 => html! { <>
            <table>{ head(&["Stage", "Status", "Tasks", "Duration", "Input", "Shuffle read", "Shuffle write", "Spill (disk)"]) }<tbody>
            { for sim.stages.iter().map(|s| row(vec![s.stage_id.to_string(), status_name(s.status).into(),
                format!("{}/{}", s.tasks_succeeded, s.num_tasks), dur(s.submission_time, s.completion_time),
                fmt_bytes(s.totals.input_bytes), fmt_bytes(s.totals.shuffle_read_bytes), fmt_bytes(s.totals.shuffle_write_bytes), fmt_bytes(s.totals.disk_bytes_spilled)])) }
            </tbody></table>
            { for sim.stages.iter().filter(|s| s.tasks_succeeded > 0).map(|s| html! {
                <details><summary>{ format!("Summary metrics for stage {} ({} tasks)", s.stage_id, s.tasks_succeeded) }</summary>
                <table class="q">{ head(&["Metric", "Min", "25th", "Median", "75th", "Max"]) }<tbody>
                { for task_metric_quantiles(&sim.trace, s.stage_id, None).into_iter().filter(|m| m.quantiles.max > 0).map(|m| {
                    let bytes = m.metric.contains("Size") || m.metric.contains("Memory") || m.metric.contains("Spill") || m.metric.contains("Remote");
                    let f = |v: u64| if bytes { fmt_bytes(v) } else if m.metric.contains("Records") { v.to_string() } else { fmt_ms(v) };
                    let q = m.quantiles;
                    row(vec![m.metric.clone(), f(q.min), f(q.p25), f(q.p50), f(q.p75), f(q.max)])
                }) }
                </tbody></table></details>
            }) }
        </> },
        2 => super::storage::storage_tab(&out.storage),
        4 => html! { <table>{ head(&["Executor", "Cores", "Tasks (ok/failed/killed)", "Task time", "GC", "Input", "Shuffle read", "Shuffle write", "Removed"]) }<tbody>
            { for sim.executors.iter().map(|e| row(vec![e.executor_id.to_string(), e.cores.to_string(),
                format!("{}/{}/{}", e.tasks_succeeded, e.tasks_failed, e.tasks_killed), fmt_ms(e.task_time_ms), fmt_ms(e.gc_time_ms),
                fmt_bytes(e.input_bytes), fmt_bytes(e.shuffle_read_bytes), fmt_bytes(e.shuffle_write_bytes),
                e.removed_time.map(|t| fmt_ms(t / 1000)).unwrap_or_else(|| "–".into())])) }
            </tbody></table> },
        5 => html! { <table>{ head(&["Execution", "Query", "Jobs", "Duration"]) }<tbody>
            { row(vec![format!("{} execution(s)", out.report.sql_executions), out.scenario.query.text.chars().take(90).collect(),
                sim.jobs.iter().map(|j| j.job_id.to_string()).collect::<Vec<_>>().join(", "), fmt_ms(sim.total_time / 1000)]) }
            </tbody></table> },
        _ => {
            let s = &out.scenario;
            html! { <table>{ head(&["Name", "Value"]) }<tbody>
                { row(vec!["Spark version".into(), s.spark_version.clone()]) }
                { row(vec!["executors × cores".into(), format!("{} × {}", s.cluster.executors, s.cluster.cores_per_executor)]) }
                { row(vec!["spark.executor.memory".into(), format!("{}m", s.cluster.executor_memory_mb)]) }
                { for s.confs.iter().map(|(k, v)| row(vec![k.clone(), v.clone()])) }
            </tbody></table> }
        }
    };
    html! {
        <div class="spark-ui">
            { super::tabs::tablist("ui", "Spark UI", "subtabs", &UI_TABS, tab.min(UI_TABS.len() - 1), pick) }
            <div class="table-wrap" role="tabpanel" id={super::tabs::panel_id("ui")} aria-labelledby={super::tabs::tab_id("ui", UI_TABS[tab.min(UI_TABS.len() - 1)])}>{ body }</div>
        </div>
    }
}

/// Partition-size histograms of every stage that read a shuffle.
pub fn skew(o: &Out) -> Html {
    let sim = &o.sim;
    let readers: Vec<u32> = sim.stages.iter().filter(|s| s.totals.shuffle_read_bytes > 0).map(|s| s.stage_id).collect();
    if readers.is_empty() {
        return html! { <p class="note">{ "No stage read a shuffle in this run." }</p> };
    }
    html! { <div class="skew">
        { for readers.into_iter().map(|id| {
            let sizes = sim.trace.shuffle_read_sizes(id);
            let h = partition_histogram(&sizes);
            let keys: Vec<_> = o.skew_keys.iter().filter(|k| k.readers.contains(&id)).collect();
            // The read tasks that hold a hot key, by the bytes they read.
            let hot: Vec<u64> = keys.iter().flat_map(|k| &k.hot).flat_map(|v| &v.tasks).filter_map(|t| sizes.get(*t).copied()).collect();
            let most = h.buckets.iter().map(|b| b.count).max().unwrap_or(1).max(1);
            let ratio = h.max_over_median_permille as f64 / 1000.0;
            html! { <figure class={classes!("hist", (ratio >= 5.0).then_some("skewed"))}>
                <figcaption>{ format!("Stage {id}: {} partitions, median {}, max {} ({ratio:.1}× median)", h.count, fmt_bytes(h.median), fmt_bytes(h.max)) }</figcaption>
                <div class="bars">
                { for h.buckets.iter().map(|b| {
                    let is_hot = hot.iter().any(|x| (b.lower..b.upper).contains(x));
                    html! {
                    <div class={classes!("bar", is_hot.then_some("hot"))} title={format!("{} partitions of {}–{}{}", b.count, fmt_bytes(b.lower), fmt_bytes(b.upper), if is_hot { "; holds the hot key" } else { "" })}>
                        <span style={format!("height:{}%", 4 + b.count * 96 / most)}>{ b.count }</span>
                        <small>{ fmt_bytes(b.lower) }</small>
                    </div>
                } }) }
                </div>
                { for keys.into_iter().map(hot_keys) }
            </figure> }
        }) }
    </div> }
}

/// The sentences under a histogram for one shuffle the stage reads: its hot values and where they went.
fn hot_keys(k: &crate::stage::hot_keys::ShuffleKeys) -> Html {
    let key = k.keys.join(", ");
    if k.hot.is_empty() {
        let why = if k.from_table { "catalog statistics have none" } else { "not a table column here" };
        return html! { <p class="hot-key">{ format!("Shuffle {} by {key}: no hot value known for the key ({why})", k.shuffle_id) }</p> };
    }
    k.hot.iter().map(|v| {
        let times = if k.median > 0 { format!(" ({:.1}× median)", v.bytes as f64 / k.median as f64) } else { String::new() };
        let aqe = match v.tasks.as_slice() {
            _ if v.pieces > 1 => format!("; AQE split it into {} (OptimizeSkewedJoin)", v.pieces),
            [t] if *t != v.partition => format!("; AQE read it in coalesced partition {t}"),
            [] => "; AQE read it locally, per map task".into(),
            _ => String::new(),
        };
        html! { <p class="hot-key">{ format!("Hot key: {key} = {} ({:.1} % of rows) → reduce partition {} of {}, {}{times}{aqe}", v.value, v.fraction * 100.0, v.partition, k.partitions, fmt_bytes(v.bytes)) }</p> }
    }).collect()
}

fn figures(o: &Out) -> [String; 6] {
    let s = &o.sim;
    let run = s.stages.iter().filter(|x| x.status != StageStatus::Skipped).count();
    [
        fmt_ms(s.total_time / 1000),
        s.jobs.len().to_string(),
        format!("{run} run, {} skipped", s.jobs.iter().flat_map(|j| &j.stages).filter(|x| x.status == StageStatus::Skipped).count()),
        s.trace.tasks.len().to_string(),
        o.report.joins_final.iter().map(|j| j.strategy.as_str()).collect::<Vec<_>>().join(", "),
        format!("{} × {} cores", o.scenario.cluster.executors, o.scenario.cluster.cores_per_executor),
    ]
}

/// A (pinned) against B (current): the figures side by side, changed rows marked, and the confs that differ.
pub fn ab_compare(a: &Out, b: &Out) -> Html {
    let (fa, fb) = (figures(a), figures(b));
    let names = ["simulated time", "jobs", "stages", "tasks", "join strategies", "cluster"];
    let (ca, cb) = (&a.scenario.confs, &b.scenario.confs);
    let mut diff: Vec<String> = ca.iter().filter(|(k, v)| cb.get(*k) != Some(v)).map(|(k, v)| format!("{k}: {v} → {}", cb.get(k).map_or("(unset)", |s| s))).collect();
    diff.extend(cb.iter().filter(|(k, _)| !ca.contains_key(*k)).map(|(k, v)| format!("{k}: (unset) → {v}")));
    if a.scenario.query.text != b.scenario.query.text {
        diff.push("query text changed".into());
    }
    html! {
        <div class="ab" id="ab">
            <table>{ head(&["", "A (pinned)", "B (now)"]) }<tbody>
            { for names.iter().enumerate().map(|(i, n)| html! {
                <tr class={classes!((fa[i] != fb[i]).then_some("changed"))}><th scope="row">{ *n }</th><td>{ fa[i].clone() }</td><td>{ fb[i].clone() }</td></tr>
            }) }
            </tbody></table>
            if !diff.is_empty() { <p class="note">{ "Changed: " }{ diff.join("; ") }</p> }
        </div>
    }
}
