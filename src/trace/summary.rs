//! Summaries of a trace, like the Spark UI's pages: jobs with their stages (completed / skipped), per-stage
//! totals and task-time quantiles, the stage page's full min/25th/median/75th/max table on demand,
//! per-executor totals, and shuffle bytes per edge. Pure functions of a [`Trace`]: they work on a trace the
//! simulator just produced or one loaded from JSON. Nothing here knows how the trace was produced.

use super::{Event, JobResult, TaskRecord, Trace};
use crate::sim::event_queue::SimTime;
use crate::sim::model::{JobKind, StageKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// min / 25th / median / 75th / max, picked as Spark's `AppStatusStore.taskSummary` does: the value at
/// index `min(floor(q × n), n − 1)` of the sorted values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantiles {
    pub min: u64,
    pub p25: u64,
    pub p50: u64,
    pub p75: u64,
    pub max: u64,
}

/// Quantiles of `values` (reordered in place, by selection: O(n)); `None` when empty.
pub fn quantiles(values: &mut [u64]) -> Option<Quantiles> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let idx = |quarters: usize| (quarters * n / 4).min(n - 1);
    let (i25, i50, i75) = (idx(1), idx(2), idx(3));
    let (low, &mut p50, high) = values.select_nth_unstable(i50);
    let min = low.iter().copied().min().unwrap_or(p50);
    let max = high.iter().copied().max().unwrap_or(p50);
    let p25 = if i25 < i50 { *low.select_nth_unstable(i25).1 } else { p50 };
    let p75 = if i75 > i50 { *high.select_nth_unstable(i75 - i50 - 1).1 } else { p50 };
    Some(Quantiles { min, p25, p50, p75, max })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Succeeded,
    Failed,
    /// Started but never ended (no executors left).
    Unfinished,
    /// Never submitted (a job it waited for failed).
    NotRun,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    Completed,
    Skipped,
    /// Submitted but never completed successfully.
    Failed,
}

/// A stage as one job lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobStage {
    pub stage_id: u32,
    pub num_tasks: u32,
    pub parent_ids: Vec<u32>,
    pub status: StageStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSummary {
    pub job_id: u32,
    pub kind: JobKind,
    pub sql_execution_id: Option<u32>,
    pub description: String,
    pub status: JobStatus,
    pub failure_reason: Option<String>,
    pub submission_time: Option<SimTime>,
    pub completion_time: Option<SimTime>,
    pub stages: Vec<JobStage>,
    /// Task attempts launched for this job's stages.
    pub num_tasks_run: u64,
}

/// Sums over a stage's successful task attempts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageTotals {
    pub input_bytes: u64,
    pub input_records: u64,
    pub output_bytes: u64,
    pub output_records: u64,
    pub shuffle_read_bytes: u64,
    pub shuffle_read_records: u64,
    pub shuffle_write_bytes: u64,
    pub shuffle_write_records: u64,
    pub memory_bytes_spilled: u64,
    pub disk_bytes_spilled: u64,
    /// Sum of task durations, ms.
    pub task_time_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSummary {
    pub stage_id: u32,
    /// The first job that listed it.
    pub job_id: u32,
    pub name: String,
    pub kind: StageKind,
    pub status: StageStatus,
    pub num_tasks: u32,
    pub attempts: u16,
    pub submission_time: Option<SimTime>,
    pub completion_time: Option<SimTime>,
    pub tasks_succeeded: u64,
    pub tasks_failed: u64,
    pub tasks_killed: u64,
    pub tasks_speculative: u64,
    pub totals: StageTotals,
    /// Over successful attempts, ms.
    pub task_duration_ms: Option<Quantiles>,
    pub executor_run_ms: Option<Quantiles>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutorSummary {
    pub executor_id: u32,
    pub cores: u32,
    pub added_time: SimTime,
    pub removed_time: Option<SimTime>,
    pub tasks_succeeded: u64,
    pub tasks_failed: u64,
    pub tasks_killed: u64,
    /// Sum of task durations (all attempts), ms.
    pub task_time_ms: u64,
    pub gc_time_ms: u64,
    pub input_bytes: u64,
    pub shuffle_read_bytes: u64,
    pub shuffle_write_bytes: u64,
    pub disk_bytes_spilled: u64,
}

/// What one stage read from one shuffle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShuffleReader {
    pub stage_id: u32,
    pub bytes_read: u64,
    pub records_read: u64,
}

/// One shuffle: bytes its map outputs hold (each map partition counted once, however often it ran) and
/// what each reading stage read (first successful attempt per partition). A stage reading several
/// shuffles has its reads split among them in proportion to their written bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShuffleEdge {
    pub shuffle_id: u32,
    pub map_stage_ids: Vec<u32>,
    pub num_map_outputs: u32,
    pub bytes_written: u64,
    pub records_written: u64,
    pub readers: Vec<ShuffleReader>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub jobs: Vec<JobSummary>,
    pub stages: Vec<StageSummary>,
    pub executors: Vec<ExecutorSummary>,
    pub shuffles: Vec<ShuffleEdge>,
    pub total_time: SimTime,
}

#[derive(Default)]
struct StageAcc {
    summary: Option<StageSummary>,
    shuffle_written: Option<u32>,
    shuffles_read: Vec<u32>,
    durations: Vec<u64>,
    runs: Vec<u64>,
    /// Partitions whose first success was counted for the shuffle accounting.
    seen: Vec<bool>,
    read_bytes: u64,
    read_records: u64,
}

#[derive(Default)]
struct ShuffleAcc {
    map_stage_ids: Vec<u32>,
    written: Vec<bool>,
    bytes: u64,
    records: u64,
}

/// Summarise a trace.
pub fn summarize(trace: &Trace) -> Summary {
    let mut jobs: Vec<JobSummary> = Vec::new();
    let mut job_index: BTreeMap<u32, usize> = BTreeMap::new();
    let mut stages: BTreeMap<u32, StageAcc> = BTreeMap::new();
    let mut shuffles: BTreeMap<u32, ShuffleAcc> = BTreeMap::new();
    let mut executors: BTreeMap<u32, ExecutorSummary> = BTreeMap::new();
    // (job, stage) pairs that the job submitted, and whether they succeeded.
    let mut ran_in_job: BTreeMap<(u32, u32), bool> = BTreeMap::new();

    for e in &trace.events {
        match e {
            Event::ExecutorAdded(a) => {
                executors.insert(
                    a.executor_id,
                    ExecutorSummary {
                        executor_id: a.executor_id,
                        cores: a.cores,
                        added_time: a.time,
                        ..Default::default()
                    },
                );
            }
            Event::ExecutorRemoved(r) => {
                if let Some(x) = executors.get_mut(&r.executor_id) {
                    x.removed_time = Some(r.time);
                }
            }
            Event::JobStart(j) => {
                job_index.insert(j.job_id, jobs.len());
                jobs.push(JobSummary {
                    job_id: j.job_id,
                    kind: j.kind,
                    sql_execution_id: j.sql_execution_id,
                    description: j.description.clone(),
                    status: JobStatus::Unfinished,
                    failure_reason: None,
                    submission_time: Some(j.time),
                    completion_time: None,
                    stages: j
                        .stages
                        .iter()
                        .map(|s| JobStage {
                            stage_id: s.stage_id,
                            num_tasks: s.num_tasks,
                            parent_ids: s.parent_ids.clone(),
                            status: StageStatus::Skipped,
                        })
                        .collect(),
                    num_tasks_run: 0,
                });
                for s in &j.stages {
                    let acc = stages.entry(s.stage_id).or_default();
                    if acc.summary.is_none() {
                        acc.summary = Some(StageSummary {
                            stage_id: s.stage_id,
                            job_id: j.job_id,
                            name: s.name.clone(),
                            kind: s.kind,
                            status: StageStatus::Skipped,
                            num_tasks: s.num_tasks,
                            attempts: 0,
                            submission_time: None,
                            completion_time: None,
                            tasks_succeeded: 0,
                            tasks_failed: 0,
                            tasks_killed: 0,
                            tasks_speculative: 0,
                            totals: StageTotals::default(),
                            task_duration_ms: None,
                            executor_run_ms: None,
                        });
                        acc.shuffle_written = s.shuffle_id_written;
                        acc.shuffles_read = s.shuffle_ids_read.clone();
                        acc.seen = vec![false; s.num_tasks as usize];
                    }
                    if let Some(sh) = s.shuffle_id_written {
                        let sa = shuffles.entry(sh).or_default();
                        if sa.written.len() < s.num_tasks as usize {
                            sa.written.resize(s.num_tasks as usize, false);
                        }
                    }
                }
            }
            Event::StageSubmitted(s) => {
                ran_in_job.entry((s.job_id, s.stage_id)).or_insert(false);
                if let Some(sum) = stages.get_mut(&s.stage_id).and_then(|a| a.summary.as_mut()) {
                    sum.attempts = sum.attempts.saturating_add(1);
                    sum.submission_time.get_or_insert(s.time);
                    if sum.status == StageStatus::Skipped {
                        sum.status = StageStatus::Failed;
                    }
                }
            }
            Event::StageCompleted(s) => {
                if let Some(sum) = stages.get_mut(&s.stage_id).and_then(|a| a.summary.as_mut()) {
                    sum.completion_time = Some(s.time);
                    if s.failure_reason.is_none() {
                        sum.status = StageStatus::Completed;
                        ran_in_job.insert((s.job_id, s.stage_id), true);
                    }
                }
            }
            Event::JobEnd(j) => {
                if let Some(&i) = job_index.get(&j.job_id) {
                    jobs[i].completion_time = Some(j.time);
                    match &j.result {
                        JobResult::JobSucceeded => jobs[i].status = JobStatus::Succeeded,
                        JobResult::JobFailed { reason } => {
                            jobs[i].status = JobStatus::Failed;
                            jobs[i].failure_reason = Some(reason.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }

    for job in &mut jobs {
        for s in &mut job.stages {
            s.status = match ran_in_job.get(&(job.job_id, s.stage_id)) {
                Some(true) => StageStatus::Completed,
                Some(false) => StageStatus::Failed,
                None => StageStatus::Skipped,
            };
        }
    }

    // Tasks: one pass over dense tables; tasks of a stage come in runs, so the last lookup is cached.
    let stage_ids: Vec<u32> = stages.keys().copied().collect();
    let mut accs: Vec<StageAcc> = stages.into_values().collect();
    let shuffle_ids: Vec<u32> = shuffles.keys().copied().collect();
    let mut sh_accs: Vec<ShuffleAcc> = shuffles.into_values().collect();
    let acc_job: Vec<Option<usize>> =
        accs.iter().map(|a| a.summary.as_ref().and_then(|s| job_index.get(&s.job_id).copied())).collect();
    let acc_shuffle: Vec<Option<usize>> =
        accs.iter().map(|a| a.shuffle_written.and_then(|sh| shuffle_ids.binary_search(&sh).ok())).collect();
    let exec_ids: Vec<u32> = executors.keys().copied().collect();
    let mut execs: Vec<ExecutorSummary> = executors.into_values().collect();
    let mut last: Option<(u32, usize)> = None;
    for t in &trace.tasks {
        if let Ok(x) = exec_ids.binary_search(&t.executor_id) {
            add_executor(&mut execs[x], t);
        }
        let i = match last {
            Some((sid, i)) if sid == t.stage_id => i,
            _ => match stage_ids.binary_search(&t.stage_id) {
                Ok(i) => {
                    last = Some((t.stage_id, i));
                    i
                }
                Err(_) => continue,
            },
        };
        if let Some(j) = acc_job[i] {
            jobs[j].num_tasks_run += 1;
        }
        let acc = &mut accs[i];
        let Some(sum) = acc.summary.as_mut() else { continue };
        if t.speculative {
            sum.tasks_speculative += 1;
        }
        let m = &t.metrics;
        if t.reason.is_success() {
            sum.tasks_succeeded += 1;
            let tot = &mut sum.totals;
            tot.input_bytes = tot.input_bytes.saturating_add(m.input_bytes);
            tot.input_records = tot.input_records.saturating_add(m.input_records);
            tot.output_bytes = tot.output_bytes.saturating_add(m.output_bytes);
            tot.output_records = tot.output_records.saturating_add(m.output_records);
            tot.shuffle_read_bytes = tot.shuffle_read_bytes.saturating_add(m.shuffle_read.total_bytes_read());
            tot.shuffle_read_records = tot.shuffle_read_records.saturating_add(m.shuffle_read.records_read);
            tot.shuffle_write_bytes = tot.shuffle_write_bytes.saturating_add(m.shuffle_write.bytes_written);
            tot.shuffle_write_records = tot.shuffle_write_records.saturating_add(m.shuffle_write.records_written);
            tot.memory_bytes_spilled = tot.memory_bytes_spilled.saturating_add(m.memory_bytes_spilled);
            tot.disk_bytes_spilled = tot.disk_bytes_spilled.saturating_add(m.disk_bytes_spilled);
            tot.task_time_ms = tot.task_time_ms.saturating_add(t.duration_ms());
            acc.durations.push(t.duration_ms());
            acc.runs.push(m.executor_run_time as u64);
            let p = t.partition as usize;
            if p < acc.seen.len() && !acc.seen[p] {
                acc.seen[p] = true;
                acc.read_bytes = acc.read_bytes.saturating_add(m.shuffle_read.total_bytes_read());
                acc.read_records = acc.read_records.saturating_add(m.shuffle_read.records_read);
            }
            if let Some(x) = acc_shuffle[i] {
                let sa = &mut sh_accs[x];
                if sa.map_stage_ids.last() != Some(&t.stage_id) && !sa.map_stage_ids.contains(&t.stage_id) {
                    sa.map_stage_ids.push(t.stage_id);
                }
                if sa.written.len() <= p {
                    sa.written.resize(p + 1, false);
                }
                if !sa.written[p] {
                    sa.written[p] = true;
                    sa.bytes = sa.bytes.saturating_add(m.shuffle_write.bytes_written);
                    sa.records = sa.records.saturating_add(m.shuffle_write.records_written);
                }
            }
        } else if t.reason.is_killed() {
            sum.tasks_killed += 1;
        } else {
            sum.tasks_failed += 1;
        }
    }

    // Readers of each shuffle, splitting multi-shuffle reads by written bytes.
    let mut readers: BTreeMap<u32, Vec<ShuffleReader>> = BTreeMap::new();
    for (k_acc, acc) in accs.iter().enumerate() {
        let stage_id = stage_ids[k_acc];
        let reads: &[u32] = &acc.shuffles_read;
        if reads.is_empty() || acc.summary.as_ref().map(|s| s.status) == Some(StageStatus::Skipped) {
            continue;
        }
        let weights: Vec<u64> =
            reads.iter().map(|s| shuffle_ids.binary_search(s).ok().map(|x| sh_accs[x].bytes).unwrap_or(0)).collect();
        let wsum: u128 = weights.iter().map(|&w| w as u128).sum();
        let (mut left_b, mut left_r) = (acc.read_bytes, acc.read_records);
        for (k, sh) in reads.iter().enumerate() {
            let share = |total: u64| (total as u128 * weights[k] as u128).checked_div(wsum).unwrap_or(0) as u64;
            let (b, r) =
                if k + 1 == reads.len() { (left_b, left_r) } else { (share(acc.read_bytes), share(acc.read_records)) };
            left_b -= b;
            left_r -= r;
            readers.entry(*sh).or_default().push(ShuffleReader { stage_id, bytes_read: b, records_read: r });
        }
    }

    let stages_out: Vec<StageSummary> = accs
        .into_iter()
        .filter_map(|mut acc| {
            let mut s = acc.summary.take()?;
            s.task_duration_ms = quantiles(&mut acc.durations);
            s.executor_run_ms = quantiles(&mut acc.runs);
            Some(s)
        })
        .collect();
    let shuffles_out = shuffle_ids
        .into_iter()
        .zip(sh_accs)
        .map(|(id, a)| ShuffleEdge {
            shuffle_id: id,
            map_stage_ids: a.map_stage_ids,
            num_map_outputs: a.written.len() as u32,
            bytes_written: a.bytes,
            records_written: a.records,
            readers: readers.remove(&id).unwrap_or_default(),
        })
        .collect();
    Summary { jobs, stages: stages_out, executors: execs, shuffles: shuffles_out, total_time: trace.end_time() }
}

fn add_executor(x: &mut ExecutorSummary, t: &TaskRecord) {
    let m = &t.metrics;
    x.task_time_ms = x.task_time_ms.saturating_add(t.duration_ms());
    x.gc_time_ms = x.gc_time_ms.saturating_add(m.jvm_gc_time as u64);
    if t.reason.is_success() {
        x.tasks_succeeded += 1;
        x.input_bytes = x.input_bytes.saturating_add(m.input_bytes);
        x.shuffle_read_bytes = x.shuffle_read_bytes.saturating_add(m.shuffle_read.total_bytes_read());
        x.shuffle_write_bytes = x.shuffle_write_bytes.saturating_add(m.shuffle_write.bytes_written);
        x.disk_bytes_spilled = x.disk_bytes_spilled.saturating_add(m.disk_bytes_spilled);
    } else if t.reason.is_killed() {
        x.tasks_killed += 1;
    } else {
        x.tasks_failed += 1;
    }
}

/// One row of the Spark UI's "Summary Metrics for N Completed Tasks" table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricQuantiles {
    pub metric: String,
    pub quantiles: Quantiles,
}

type Getter = fn(&TaskRecord) -> u64;

/// The rows of the stage page's summary table, in the Spark UI's order (times in ms, sizes in bytes).
const METRICS: &[(&str, Getter)] = &[
    ("Duration", |t| t.duration_ms()),
    ("Scheduler Delay", |t| t.metrics.scheduler_delay as u64),
    ("Task Deserialization Time", |t| t.metrics.executor_deserialize_time as u64),
    ("Executor Run Time", |t| t.metrics.executor_run_time as u64),
    ("GC Time", |t| t.metrics.jvm_gc_time as u64),
    ("Result Serialization Time", |t| t.metrics.result_serialization_time as u64),
    ("Getting Result Time", |t| t.metrics.getting_result_time as u64),
    ("Peak Execution Memory", |t| t.metrics.peak_execution_memory),
    ("Input Size", |t| t.metrics.input_bytes),
    ("Input Records", |t| t.metrics.input_records),
    ("Output Size", |t| t.metrics.output_bytes),
    ("Output Records", |t| t.metrics.output_records),
    ("Shuffle Read Size", |t| t.metrics.shuffle_read.total_bytes_read()),
    ("Shuffle Read Records", |t| t.metrics.shuffle_read.records_read),
    ("Shuffle Remote Reads", |t| t.metrics.shuffle_read.remote_bytes_read),
    ("Shuffle Read Fetch Wait Time", |t| t.metrics.shuffle_read.fetch_wait_time as u64),
    ("Shuffle Write Size", |t| t.metrics.shuffle_write.bytes_written),
    ("Shuffle Write Records", |t| t.metrics.shuffle_write.records_written),
    ("Shuffle Write Time", |t| t.metrics.shuffle_write.write_time / 1_000_000),
    ("Spill (memory)", |t| t.metrics.memory_bytes_spilled),
    ("Spill (disk)", |t| t.metrics.disk_bytes_spilled),
];

/// The full min/25th/median/75th/max table over a stage's successful tasks (of one attempt, or all).
pub fn task_metric_quantiles(trace: &Trace, stage_id: u32, stage_attempt: Option<u16>) -> Vec<MetricQuantiles> {
    let tasks: Vec<&TaskRecord> = trace
        .tasks
        .iter()
        .filter(|t| {
            t.stage_id == stage_id && t.reason.is_success() && stage_attempt.is_none_or(|a| a == t.stage_attempt)
        })
        .collect();
    let mut values = Vec::with_capacity(tasks.len());
    METRICS
        .iter()
        .filter_map(|(name, get)| {
            values.clear();
            values.extend(tasks.iter().map(|t| get(t)));
            quantiles(&mut values).map(|q| MetricQuantiles { metric: name.to_string(), quantiles: q })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_indices_follow_spark() {
        let mut v: Vec<u64> = (1..=10).rev().collect();
        let q = quantiles(&mut v).unwrap();
        // n = 10: indices 0, 2, 5, 7, 9.
        assert_eq!(q, Quantiles { min: 1, p25: 3, p50: 6, p75: 8, max: 10 });
        assert_eq!(quantiles(&mut [7]).unwrap(), Quantiles { min: 7, p25: 7, p50: 7, p75: 7, max: 7 });
        assert!(quantiles(&mut []).is_none());
        // Selection agrees with sorting on every length.
        for n in 1..40u64 {
            let mut v: Vec<u64> = (0..n).map(|i| (i * 7919) % 23).collect();
            let mut sorted = v.clone();
            crate::sort::sort(&mut sorted);
            let k = n as usize;
            let at = |q: usize| sorted[(q * k / 4).min(k - 1)];
            let want = Quantiles { min: sorted[0], p25: at(1), p50: at(2), p75: at(3), max: sorted[k - 1] };
            assert_eq!(quantiles(&mut v).unwrap(), want, "n = {n}");
        }
    }
}
