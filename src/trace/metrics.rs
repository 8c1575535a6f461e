//! Per-task-attempt records: Spark's `TaskInfo` (who, where, when, how it ended) and `TaskMetrics`
//! (the numbers the Spark UI shows), with Spark's units — milliseconds for times, nanoseconds for shuffle
//! write time, bytes and records. This module knows the shape of the numbers, not how they were produced.

use crate::sim::event_queue::SimTime;
use serde::{Deserialize, Serialize};

/// `TaskLocality`, as Spark reports it for a launched task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Locality {
    /// A task without preferred locations (Spark reports them as PROCESS_LOCAL), or a cached block here.
    #[default]
    ProcessLocal,
    /// A reducer on an executor holding a large share of its map outputs.
    NodeLocal,
    /// A task with preferred locations elsewhere.
    Any,
}

/// Why a task attempt was killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KillReason {
    /// A speculative (or original) copy of the same partition finished first.
    AnotherAttemptSucceeded,
    /// Its job ended or failed.
    StageCancelled,
}

/// `TaskEndReason`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskEndReason {
    #[default]
    Success,
    /// The task threw (injected failure); counts toward `spark.task.maxFailures`.
    ExceptionFailure,
    /// Its executor died; does not count toward `maxFailures`.
    ExecutorLostFailure {
        executor_id: u32,
    },
    /// A map output it needed is gone; the parent stage is resubmitted.
    FetchFailed {
        shuffle_id: u32,
        executor_id: u32,
    },
    TaskKilled {
        reason: KillReason,
    },
}

impl TaskEndReason {
    pub fn is_success(&self) -> bool {
        matches!(self, TaskEndReason::Success)
    }
    pub fn is_killed(&self) -> bool {
        matches!(self, TaskEndReason::TaskKilled { .. })
    }
    pub fn is_failure(&self) -> bool {
        !self.is_success() && !self.is_killed()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShuffleReadMetrics {
    pub remote_blocks_fetched: u32,
    pub local_blocks_fetched: u32,
    pub remote_bytes_read: u64,
    pub local_bytes_read: u64,
    pub records_read: u64,
    /// ms
    pub fetch_wait_time: u32,
}

impl ShuffleReadMetrics {
    pub fn total_bytes_read(&self) -> u64 {
        self.remote_bytes_read.saturating_add(self.local_bytes_read)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShuffleWriteMetrics {
    pub bytes_written: u64,
    pub records_written: u64,
    /// Nanoseconds, as Spark reports it.
    pub write_time: u64,
}

/// `TaskMetrics` (times in ms) plus the Spark UI's derived scheduler delay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMetrics {
    pub executor_deserialize_time: u32,
    pub executor_run_time: u32,
    pub result_size: u64,
    pub jvm_gc_time: u32,
    pub result_serialization_time: u32,
    pub getting_result_time: u32,
    /// duration − deserialize − run − result serialization − getting result (Spark UI).
    pub scheduler_delay: u32,
    pub memory_bytes_spilled: u64,
    pub disk_bytes_spilled: u64,
    pub peak_execution_memory: u64,
    pub input_bytes: u64,
    pub input_records: u64,
    pub output_bytes: u64,
    pub output_records: u64,
    pub shuffle_read: ShuffleReadMetrics,
    pub shuffle_write: ShuffleWriteMetrics,
}

/// One task attempt: Spark's `TaskInfo` with its end reason and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRecord {
    pub task_id: u32,
    pub stage_id: u32,
    pub stage_attempt: u16,
    /// Spark's partition id (the task index of the stage).
    pub partition: u32,
    /// Attempt number of this partition within the stage attempt (speculative copies included).
    pub attempt: u16,
    pub executor_id: u32,
    pub slot: u16,
    pub speculative: bool,
    pub locality: Locality,
    /// µs
    pub launch_time: SimTime,
    /// µs
    pub finish_time: SimTime,
    pub reason: TaskEndReason,
    pub metrics: TaskMetrics,
}

impl TaskRecord {
    /// Duration in ms, as the Spark UI shows it.
    pub fn duration_ms(&self) -> u64 {
        self.finish_time.saturating_sub(self.launch_time) / 1000
    }
}
