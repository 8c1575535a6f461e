//! A simulated trace as Chrome Trace Event JSON (the JSON-object form, loadable in Perfetto and
//! chrome://tracing): process 0 is the driver, with instant events for job and stage starts and ends, AQE
//! re-plans and executor changes; process `n + 1` is executor `n`, with one thread per task slot and an "X"
//! (complete) event per task attempt carrying stage, attempt, partition, end reason and the main metrics.
//! Timestamps are the trace's simulated microseconds. Knows the trace and the Trace Event format only.

use super::json_str;
use crate::trace::{Event, JobResult, KillReason, Locality, TaskEndReason, Trace};
use std::fmt::Write;

fn reason(r: &TaskEndReason) -> String {
    match r {
        TaskEndReason::Success => "Success".into(),
        TaskEndReason::ExceptionFailure => "ExceptionFailure".into(),
        TaskEndReason::ExecutorLostFailure { executor_id } => format!("ExecutorLostFailure (executor {executor_id})"),
        TaskEndReason::FetchFailed { shuffle_id, executor_id } => {
            format!("FetchFailed (shuffle {shuffle_id}, executor {executor_id})")
        }
        TaskEndReason::TaskKilled { reason: KillReason::AnotherAttemptSucceeded } => "TaskKilled (another attempt succeeded)".into(),
        TaskEndReason::TaskKilled { reason: KillReason::StageCancelled } => "TaskKilled (stage cancelled)".into(),
    }
}

fn locality(l: Locality) -> &'static str {
    match l {
        Locality::ProcessLocal => "PROCESS_LOCAL",
        Locality::NodeLocal => "NODE_LOCAL",
        Locality::Any => "ANY",
    }
}

/// A driver-side instant event (global scope).
fn instant(out: &mut Vec<String>, name: &str, cat: &str, ts: u64, args: &str) {
    out.push(format!(
        "{{\"name\":{},\"cat\":\"{cat}\",\"ph\":\"i\",\"s\":\"g\",\"ts\":{ts},\"pid\":0,\"tid\":0,\"args\":{{{args}}}}}",
        json_str(name)
    ));
}

fn meta(out: &mut Vec<String>, what: &str, pid: u32, tid: u32, name: &str) {
    out.push(format!("{{\"name\":\"{what}\",\"ph\":\"M\",\"pid\":{pid},\"tid\":{tid},\"args\":{{\"name\":{}}}}}", json_str(name)));
}

/// The trace as a Chrome Trace Event JSON document.
pub fn chrome_trace_json(trace: &Trace) -> String {
    // Executors and their slots: from ExecutorAdded (cores) and from the slots tasks used.
    // (executor id, slots), in executor order; a Vec rather than a map keeps the wasm small.
    let mut slots: Vec<(u32, u32)> = vec![];
    let mut see = |exec: u32, n: u32| match slots.iter().position(|(e, _)| *e >= exec) {
        Some(i) if slots[i].0 == exec => slots[i].1 = slots[i].1.max(n),
        Some(i) => slots.insert(i, (exec, n)),
        None => slots.push((exec, n)),
    };
    for e in &trace.events {
        if let Event::ExecutorAdded(a) = e {
            see(a.executor_id, a.cores);
        }
    }
    for t in &trace.tasks {
        see(t.executor_id, t.slot as u32 + 1);
    }
    let mut out: Vec<String> = vec![];
    meta(&mut out, "process_name", 0, 0, "driver");
    meta(&mut out, "thread_name", 0, 0, "DAGScheduler");
    for &(exec, n) in &slots {
        meta(&mut out, "process_name", exec + 1, 0, &format!("executor {exec}"));
        out.push(format!("{{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":{},\"tid\":0,\"args\":{{\"sort_index\":{}}}}}", exec + 1, exec + 1));
        for s in 0..n {
            meta(&mut out, "thread_name", exec + 1, s, &format!("slot {s}"));
        }
    }
    for e in &trace.events {
        match e {
            Event::JobStart(j) => {
                instant(&mut out, &format!("Job {} start", j.job_id), "job", j.time, &format!("\"job\":{},\"description\":{},\"stages\":{}", j.job_id, json_str(&j.description), j.stages.len()))
            }
            Event::JobEnd(j) => {
                let result = match &j.result {
                    JobResult::JobSucceeded => "JobSucceeded".to_string(),
                    JobResult::JobFailed { reason } => format!("JobFailed: {reason}"),
                };
                instant(&mut out, &format!("Job {} end", j.job_id), "job", j.time, &format!("\"job\":{},\"result\":{}", j.job_id, json_str(&result)))
            }
            Event::StageSubmitted(s) => instant(
                &mut out,
                &format!("Stage {}.{} submitted", s.stage_id, s.stage_attempt),
                "stage",
                s.time,
                &format!("\"stage\":{},\"stage_attempt\":{},\"job\":{},\"tasks\":{}", s.stage_id, s.stage_attempt, s.job_id, s.num_tasks),
            ),
            Event::StageCompleted(s) => instant(
                &mut out,
                &format!("Stage {}.{} completed", s.stage_id, s.stage_attempt),
                "stage",
                s.time,
                &format!(
                    "\"stage\":{},\"stage_attempt\":{},\"job\":{},\"failure\":{}",
                    s.stage_id,
                    s.stage_attempt,
                    s.job_id,
                    s.failure_reason.as_deref().map_or("null".to_string(), json_str)
                ),
            ),
            Event::AdaptiveExecutionUpdate(a) => {
                let why: Vec<String> = a.why.iter().map(|w| json_str(w)).collect();
                instant(&mut out, &format!("AQE: {}", a.description), "aqe", a.time, &format!("\"execution\":{},\"why\":[{}]", a.execution_id, why.join(",")))
            }
            Event::ExecutorAdded(a) => {
                instant(&mut out, &format!("Executor {} added", a.executor_id), "executor", a.time, &format!("\"executor\":{},\"cores\":{}", a.executor_id, a.cores))
            }
            Event::ExecutorRemoved(r) => instant(
                &mut out,
                &format!("Executor {} removed", r.executor_id),
                "executor",
                r.time,
                &format!("\"executor\":{},\"reason\":{}", r.executor_id, json_str(&r.reason)),
            ),
            Event::TaskStart(_) | Event::TaskEnd(_) | Event::SpeculativeTaskSubmitted(_) => {}
        }
    }
    for t in &trace.tasks {
        let m = &t.metrics;
        let mut args = String::new();
        let _ = write!(
            args,
            "\"task\":{},\"stage\":{},\"stage_attempt\":{},\"partition\":{},\"attempt\":{},\"speculative\":{},\"locality\":\"{}\",\"reason\":{},\"input_bytes\":{},\"shuffle_read_bytes\":{},\"shuffle_write_bytes\":{},\"spilled_bytes\":{}",
            t.task_id,
            t.stage_id,
            t.stage_attempt,
            t.partition,
            t.attempt,
            t.speculative,
            locality(t.locality),
            json_str(&reason(&t.reason)),
            m.input_bytes,
            m.shuffle_read.total_bytes_read(),
            m.shuffle_write.bytes_written,
            m.memory_bytes_spilled.saturating_add(m.disk_bytes_spilled)
        );
        out.push(format!(
            "{{\"name\":\"Stage {}.{} task {} (attempt {})\",\"cat\":\"task\",\"ph\":\"X\",\"ts\":{},\"dur\":{},\"pid\":{},\"tid\":{},\"args\":{{{args}}}}}",
            t.stage_id,
            t.stage_attempt,
            t.partition,
            t.attempt,
            t.launch_time,
            t.finish_time.saturating_sub(t.launch_time),
            t.executor_id + 1,
            t.slot
        ));
    }
    format!("{{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n{}\n]}}\n", out.join(",\n"))
}
