//! Interview (presenter) mode's content: predict-then-reveal prompts about one run (how many jobs, stages and
//! tasks; which join strategy and why; what AQE changes; where the straggler is), each answered from the run's
//! report and simulation with the numbers behind it, plus the presenter's own questions with a note as their
//! answer. Prompts are plain text, one a line, so a gallery example, the page's editor and a share link hold
//! them alike. Knows the report, the simulation summaries and the confs; nothing of the UI or of planning.

use std::collections::BTreeMap;

use crate::conf::{fmt_bytes, fmt_ms};
use crate::report::Report;
use crate::sim::SimResult;
use crate::trace::summary::StageStatus;
use crate::trace::Event;

/// The prompt kinds answered from the run, as written in the prompts text.
pub const KINDS: [&str; 6] = ["jobs", "stages", "tasks", "join", "aqe", "straggler"];

/// Every kind, one a line: the prompts of a query that is not a gallery example.
pub const ALL: &str = "jobs\nstages\ntasks\njoin\naqe\nstraggler";

/// A task this many times its stage's median duration (or more) is a straggler.
const STRAGGLER_RATIO: f64 = 1.5;

/// One prompt: the question asked before the reveal, the answer (a line per finding) and the numbers behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub question: String,
    pub answer: String,
    pub why: Vec<String>,
}

/// The prompts of `text`, one per non-empty line: a line that is a kind's name (`jobs`, `join`, ... in
/// [`KINDS`], any case) is that question answered from the run; any other line is the presenter's question,
/// with the text after ` | ` (if any) as its answer.
pub fn prompts(text: &str, report: &Report, sim: &SimResult, confs: &BTreeMap<String, String>) -> Vec<Prompt> {
    lines(text)
        .map(|l| match l.to_ascii_lowercase().as_str() {
            "jobs" => jobs(report, sim),
            "stages" => stages(sim),
            "tasks" => tasks(sim, confs),
            "join" => join(report, confs),
            "aqe" => aqe(report, sim, confs),
            "straggler" => straggler(sim),
            _ => {
                let (q, note) = l.split_once('|').unwrap_or((l, ""));
                Prompt { question: q.trim().into(), answer: note.trim().into(), why: vec![] }
            }
        })
        .collect()
}

/// How many prompts `text` holds (without running anything).
pub fn count(text: &str) -> usize {
    lines(text).count()
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// `1 job`, `3 jobs`.
fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn conf<'a>(confs: &'a BTreeMap<String, String>, key: &str, default: &'a str) -> &'a str {
    confs.get(key).map_or(default, |v| v.as_str())
}

fn aqe_on(confs: &BTreeMap<String, String>) -> bool {
    conf(confs, "spark.sql.adaptive.enabled", "true").eq_ignore_ascii_case("true")
}

fn jobs(report: &Report, sim: &SimResult) -> Prompt {
    let mut why = vec![];
    use crate::sim::JobKind as K;
    for (k, what) in [
        (K::Result, "the action's own job"),
        (K::MapStageOnly, "AQE runs each shuffle map stage as a job of its own, then re-plans"),
        (K::Broadcast, "collects the small side of a broadcast join"),
        (K::Sampling, "samples the sort keys for the range partitioner"),
        (K::ScalarSubquery, "computes a scalar subquery first"),
        (K::CacheBuild, "materialises a cached relation"),
        (K::LimitScaleUp, "a limit asks for more partitions"),
    ] {
        let ids: Vec<String> = sim.jobs.iter().filter(|j| j.kind == k).map(|j| j.job_id.to_string()).collect();
        if !ids.is_empty() {
            why.push(format!("{} ({}): {what}", plural(ids.len(), k.label()), ids.join(", ")));
        }
    }
    if report.sql_executions > 1 {
        why.push(format!("{} SQL executions: every action and CACHE TABLE is one", report.sql_executions));
    }
    Prompt { question: "How many jobs does Spark run?".into(), answer: plural(report.jobs.len(), "job"), why }
}

fn stages(sim: &SimResult) -> Prompt {
    let run = sim.stages.iter().filter(|s| s.status != StageStatus::Skipped).count();
    let skipped = sim.jobs.iter().flat_map(|j| &j.stages).filter(|s| s.status == StageStatus::Skipped).count();
    let mut why = vec![format!("{}: each exchange cuts the plan into one more stage", plural(sim.shuffles.len(), "shuffle"))];
    if skipped > 0 {
        why.push("a later job lists the stages whose shuffle output already exists again, as skipped".into());
    }
    for j in &sim.jobs {
        let ids = |skip: bool| -> Vec<String> { j.stages.iter().filter(|s| (s.status == StageStatus::Skipped) == skip).map(|s| s.stage_id.to_string()).collect() };
        let (r, s) = (ids(false), ids(true));
        let mut line = format!("job {}: runs {}", j.job_id, if r.is_empty() { "none".into() } else { r.join(", ") });
        if !s.is_empty() {
            line += &format!("; skips {}", s.join(", "));
        }
        why.push(line);
    }
    Prompt { question: "How many stages run, and how many are skipped?".into(), answer: format!("{run} run, {skipped} skipped"), why }
}

fn tasks(sim: &SimResult, confs: &BTreeMap<String, String>) -> Prompt {
    let run: Vec<_> = sim.stages.iter().filter(|s| s.status != StageStatus::Skipped).collect();
    let total: u64 = run.iter().map(|s| s.num_tasks as u64).sum();
    let attempts = sim.trace.tasks.len() as u64;
    let mut answer = plural(total as usize, "task");
    if attempts > total {
        answer += &format!(" ({attempts} attempts with retries and speculative copies)");
    }
    let why = run
        .iter()
        .map(|s| {
            let t = &s.totals;
            let from = if t.input_bytes > 0 {
                format!("one per file split of {} (maxPartitionBytes = {})", fmt_bytes(t.input_bytes), conf(confs, "spark.sql.files.maxPartitionBytes", "128m"))
            } else if t.shuffle_read_bytes > 0 {
                format!("one per shuffle partition read ({}: shuffle.partitions = {}{})", fmt_bytes(t.shuffle_read_bytes), conf(confs, "spark.sql.shuffle.partitions", "200"), if aqe_on(confs) { ", then AQE" } else { "" })
            } else {
                "one per partition of its input".into()
            };
            format!("stage {}: {}, {from}", s.stage_id, plural(s.num_tasks as usize, "task"))
        })
        .collect();
    Prompt { question: "How many tasks run in all?".into(), answer, why }
}

fn join(report: &Report, confs: &BTreeMap<String, String>) -> Prompt {
    let question = "Which join strategy does Spark pick, and why?".to_string();
    if report.joins_initial.is_empty() {
        return Prompt { question, answer: "No join in this query".into(), why: vec![] };
    }
    let mut answer = vec![];
    let mut why = vec![];
    for (i, a) in report.joins_initial.iter().enumerate() {
        let mut s = a.strategy.clone();
        if let Some(b) = &a.build_side {
            s += &format!(" (build {})", b.trim_start_matches("Build").to_ascii_lowercase());
        }
        if let Some(f) = report.joins_final.get(i) {
            if f.strategy != a.strategy {
                s += &format!(", then {} at run time (AQE)", f.strategy);
            }
            if f.skew_join {
                s += ", with a skew-join split";
            }
        }
        answer.push(s);
        why.extend(a.why.split("; ").map(str::to_string));
    }
    if !why.iter().any(|w| w.contains("autoBroadcastJoinThreshold")) {
        why.push(format!("spark.sql.autoBroadcastJoinThreshold = {}", conf(confs, "spark.sql.autoBroadcastJoinThreshold", "10m (default)")));
    }
    Prompt { question, answer: answer.join("\n"), why }
}

/// The value of a `key = value` line of an AQE decision's arithmetic.
fn num(why: &[String], key: &str) -> Option<u64> {
    why.iter().find_map(|w| w.strip_prefix(key)?.strip_prefix(" = ")?.parse().ok())
}

fn aqe(report: &Report, sim: &SimResult, confs: &BTreeMap<String, String>) -> Prompt {
    let question = "What does AQE change at run time?".to_string();
    if !aqe_on(confs) {
        return Prompt { question, answer: "Nothing: AQE is off (spark.sql.adaptive.enabled = false)".into(), why: vec![] };
    }
    let mut answer = vec![];
    let mut why = vec![];
    for e in &sim.trace.events {
        let Event::AdaptiveExecutionUpdate(u) = e else { continue };
        if u.description.starts_with("AdaptiveSparkPlan") {
            continue;
        }
        if let (Some(p), Some(k)) = (num(&u.why, "partition"), num(&u.why, "splits")) {
            let size = num(&u.why, "size").map(|b| format!(" ({})", fmt_bytes(b))).unwrap_or_default();
            answer.push(format!("Split skewed partition {p}{size} into {k} pieces"));
        } else if let Some(n) = num(&u.why, "partitions_after") {
            answer.push(match num(&u.why, "partitions_before") {
                Some(b) => format!("Coalesce {b} → {}", plural(n as usize, "partition")),
                None => format!("Coalesce to {}", plural(n as usize, "read partition")),
            });
        }
        why.push(u.description.clone());
    }
    for (a, b) in report.joins_initial.iter().zip(&report.joins_final) {
        if a.strategy != b.strategy {
            answer.push(format!("{} → {}", a.strategy, b.strategy));
        }
    }
    if report.aqe_shuffle_reads.iter().any(|r| r.desc == "local") {
        answer.push("Local shuffle reads".into());
    }
    let answer = if answer.is_empty() { "Nothing: AQE re-plans but keeps the plan".into() } else { answer.join("\n") };
    Prompt { question, answer, why }
}

fn straggler(sim: &SimResult) -> Prompt {
    let question = "Where is the straggler, and how much longer than its stage's median task does it run?".to_string();
    // The successful task with the largest duration / stage median, among stages of two or more tasks.
    let mut best: Option<(f64, &crate::trace::metrics::TaskRecord, &crate::trace::summary::StageSummary)> = None;
    for t in sim.trace.tasks.iter().filter(|t| t.reason.is_success()) {
        let Some(st) = sim.stage(t.stage_id).filter(|s| s.num_tasks > 1) else { continue };
        let Some(q) = st.task_duration_ms else { continue };
        let r = t.duration_ms() as f64 / q.p50.max(1) as f64;
        if best.is_none_or(|b| r > b.0) {
            best = Some((r, t, st));
        }
    }
    let Some((r, t, st)) = best else {
        return Prompt { question, answer: "None: no stage ran two or more tasks".into(), why: vec![] };
    };
    let q = st.task_duration_ms.unwrap_or_default();
    let mut why = vec![format!("stage {}: {} tasks, min / median / max {} / {} / {}", st.stage_id, st.num_tasks, fmt_ms(q.min), fmt_ms(q.p50), fmt_ms(q.max))];
    let m = &t.metrics;
    let read = m.shuffle_read.total_bytes_read();
    if read > 0 {
        let mut sizes = sim.trace.shuffle_read_sizes(st.stage_id);
        if let Some(s) = crate::trace::summary::quantiles(&mut sizes) {
            why.push(format!("it read {} of shuffle; the stage's median partition is {}", fmt_bytes(read), fmt_bytes(s.p50)));
        }
    } else if m.input_bytes > 0 {
        why.push(format!("it read {} of input", fmt_bytes(m.input_bytes)));
    }
    if st.tasks_speculative > 0 {
        why.push(format!("speculative copies in this stage: {}", st.tasks_speculative));
    }
    let answer = if r < STRAGGLER_RATIO {
        format!("None: every task ran under {STRAGGLER_RATIO}× its stage's median (the closest: stage {}, task {}, {r:.1}×)", st.stage_id, t.partition)
    } else {
        format!("Stage {}, task {} on executor {}: {}, {r:.1}× the median ({})", st.stage_id, t.partition, t.executor_id, fmt_ms(t.duration_ms()), fmt_ms(q.p50))
    };
    Prompt { question, answer, why }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_kinds_or_questions_with_notes() {
        let text = "  jobs \n\nWhy 200? | the default of spark.sql.shuffle.partitions\nOpen question";
        assert_eq!(count(text), 3);
        let p = prompts(text, &Report::default(), &crate::sim::SimResult { trace: Default::default(), jobs: vec![], stages: vec![], executors: vec![], shuffles: vec![], total_time: 0, cached_blocks: vec![] }, &BTreeMap::new());
        assert_eq!(p[0].answer, "0 jobs");
        assert_eq!((p[1].question.as_str(), p[1].answer.as_str()), ("Why 200?", "the default of spark.sql.shuffle.partitions"));
        assert_eq!((p[2].question.as_str(), p[2].answer.as_str()), ("Open question", ""));
    }
}
