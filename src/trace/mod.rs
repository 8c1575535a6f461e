//! The trace: the contract between the simulator and whoever replays it (the view, the CLI's `--trace`).
//! A closed, serde-tagged enum of events named after Spark's `SparkListener*` events, in the order they
//! happened, plus one [`TaskRecord`] per task attempt (Spark's `TaskInfo` + `TaskMetrics`, indexed by task
//! id). `TaskEnd` names its task id and end reason; its metrics are `tasks[task_id].metrics` — this keeps a
//! 1 M-task trace at a few hundred bytes per task instead of repeating metrics in events.
//!
//! This module knows Spark's listener vocabulary and how to summarise a trace like the Spark UI does; it
//! knows nothing of how the trace was produced (no scheduler, no cost model). Serialisation is plain serde
//! over `Vec`s, so the same trace always gives the same bytes.

pub mod histogram;
pub mod metrics;
pub mod storage;
pub mod summary;

pub use metrics::{
    KillReason, Locality, ShuffleReadMetrics, ShuffleWriteMetrics, TaskEndReason, TaskMetrics, TaskRecord,
};

use crate::sim::event_queue::SimTime;
use crate::sim::model::{JobKind, StageKind};
use serde::{Deserialize, Serialize};

/// One listener event. `time` is simulated microseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    ExecutorAdded(ExecutorAdded),
    ExecutorRemoved(Box<ExecutorRemoved>),
    /// An AQE re-plan (`SparkListenerSQLAdaptiveExecutionUpdate`), with the planner's reasons.
    AdaptiveExecutionUpdate(Box<AdaptiveExecutionUpdate>),
    JobStart(Box<JobStart>),
    StageSubmitted(Box<StageSubmitted>),
    TaskStart(TaskStart),
    SpeculativeTaskSubmitted(SpeculativeTaskSubmitted),
    TaskEnd(TaskEnd),
    StageCompleted(Box<StageCompleted>),
    JobEnd(Box<JobEnd>),
}

impl Event {
    pub fn time(&self) -> SimTime {
        match self {
            Event::ExecutorAdded(e) => e.time,
            Event::ExecutorRemoved(e) => e.time,
            Event::AdaptiveExecutionUpdate(e) => e.time,
            Event::JobStart(e) => e.time,
            Event::StageSubmitted(e) => e.time,
            Event::TaskStart(e) => e.time,
            Event::SpeculativeTaskSubmitted(e) => e.time,
            Event::TaskEnd(e) => e.time,
            Event::StageCompleted(e) => e.time,
            Event::JobEnd(e) => e.time,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutorAdded {
    pub time: SimTime,
    pub executor_id: u32,
    pub cores: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutorRemoved {
    pub time: SimTime,
    pub executor_id: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdaptiveExecutionUpdate {
    pub time: SimTime,
    pub execution_id: u32,
    pub description: String,
    pub why: Vec<String>,
}

/// A stage as `JobStart` lists it (Spark's `StageInfo`), run or skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInfo {
    pub stage_id: u32,
    pub name: String,
    pub kind: StageKind,
    pub num_tasks: u32,
    pub parent_ids: Vec<u32>,
    pub rdd_scopes: Vec<String>,
    pub shuffle_id_written: Option<u32>,
    pub shuffle_ids_read: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobStart {
    pub time: SimTime,
    pub job_id: u32,
    pub kind: JobKind,
    pub sql_execution_id: Option<u32>,
    pub description: String,
    pub stages: Vec<StageInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSubmitted {
    pub time: SimTime,
    pub stage_id: u32,
    pub stage_attempt: u16,
    pub job_id: u32,
    /// Tasks in this attempt (a resubmitted attempt runs only the missing partitions).
    pub num_tasks: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCompleted {
    pub time: SimTime,
    pub stage_id: u32,
    pub stage_attempt: u16,
    pub job_id: u32,
    /// `None` when the attempt succeeded.
    pub failure_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskStart {
    pub time: SimTime,
    pub task_id: u32,
    pub stage_id: u32,
    pub stage_attempt: u16,
    pub partition: u32,
    pub attempt: u16,
    pub executor_id: u32,
    /// Which of the executor's task slots (0-based): the lane in a timeline.
    pub slot: u16,
    pub speculative: bool,
    pub locality: Locality,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeculativeTaskSubmitted {
    pub time: SimTime,
    pub stage_id: u32,
    pub stage_attempt: u16,
    pub partition: u32,
}

/// A task attempt ended; its metrics are `Trace::tasks[task_id]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEnd {
    pub time: SimTime,
    pub task_id: u32,
    pub stage_id: u32,
    pub stage_attempt: u16,
    pub partition: u32,
    pub executor_id: u32,
    pub slot: u16,
    pub reason: TaskEndReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobResult {
    JobSucceeded,
    JobFailed { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobEnd {
    pub time: SimTime,
    pub job_id: u32,
    pub result: JobResult,
}

/// Events in order, and every task attempt's record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub events: Vec<Event>,
    /// `tasks[i].task_id == i`.
    pub tasks: Vec<TaskRecord>,
}

impl Trace {
    /// The metrics of a `TaskEnd` event (`None` for other events).
    pub fn task_end_metrics(&self, e: &Event) -> Option<&TaskMetrics> {
        match e {
            Event::TaskEnd(t) => self.tasks.get(t.task_id as usize).map(|r| &r.metrics),
            _ => None,
        }
    }

    /// Time of the last event.
    pub fn end_time(&self) -> SimTime {
        self.events.last().map(Event::time).unwrap_or(0)
    }

    /// Shuffle bytes read by each partition of a stage (first successful attempt per partition), in
    /// partition order: the input of a partition-size histogram.
    pub fn shuffle_read_sizes(&self, stage_id: u32) -> Vec<u64> {
        let mut by_partition: Vec<Option<u64>> = Vec::new();
        for t in self.tasks.iter().filter(|t| t.stage_id == stage_id && t.reason == TaskEndReason::Success) {
            let p = t.partition as usize;
            if by_partition.len() <= p {
                by_partition.resize(p + 1, None);
            }
            if by_partition[p].is_none() {
                by_partition[p] = Some(t.metrics.shuffle_read.total_bytes_read());
            }
        }
        by_partition.into_iter().flatten().collect()
    }

    /// The trace as JSON (deterministic: same trace, same bytes).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
