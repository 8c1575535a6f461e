//! The scheduler simulation: a deterministic discrete-event model of Spark 3.5's `DAGScheduler`,
//! `TaskSchedulerImpl` and `TaskSetManager` running an execution [`Schedule`] (jobs → stages → per-task
//! work, built by the planner side) on a cluster, producing a SparkListener-style [`Trace`] and Spark-UI
//! summaries. It knows Spark's scheduling rules (FIFO/FAIR, slots, waves, locality order, speculation,
//! retries, FetchFailed and stage resubmission, executor loss, cached blocks, spill) and a calibrated cost
//! model; it knows nothing of SQL, plans or AQE rules — AQE decisions arrive as job dependencies and
//! `AdaptiveUpdate`s inside the schedule.
//!
//! Determinism: integer time (µs), one seeded RNG, an event queue ordered by (time, sequence), no
//! clocks, no hash-map iteration. The same schedule gives the same trace bytes, natively and in wasm.
//!
//! Files: `model` (input) + `builder` (constructors), `validate` (checks, limits), `engine` (state, loop), `dag_scheduler`,
//! `task_scheduler`, `task_set_manager`, `executor`, `map_output`, `cost` + `ops_cost` + `memory` (the
//! cost model), `event_queue`, `rng`, `median_heap`.

mod builder;
pub mod cost;
mod dag_scheduler;
mod engine;
pub mod event_queue;
pub mod executor;
pub mod map_output;
pub mod median_heap;
pub mod memory;
pub mod model;
pub mod ops_cost;
pub mod rng;
mod task_scheduler;
pub mod task_set_manager;
pub mod timeline_frame;
pub mod timeline_model;
pub mod timeline_nav;
pub mod validate;

pub use event_queue::SimTime;
pub use model::{
    AdaptiveUpdate, CacheUse, ClusterSpec, JobKind, JobSpec, KillExecutor, Schedule, SchedulerMode, SimConfig,
    SlowExecutor, StageHint, StageKind, StageSpec, TaskWork,
};
pub use validate::{MAX_TASKS, MAX_TASK_ATTEMPTS};

use crate::error::Diagnostic;
use crate::trace::summary::{
    self, ExecutorSummary, JobStage, JobStatus, JobSummary, ShuffleEdge, StageStatus, StageSummary,
};
use crate::trace::Trace;
use serde::{Deserialize, Serialize};

/// Everything a simulation produces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimResult {
    pub trace: Trace,
    /// Every job of the schedule, by job id (jobs that never ran are `not_run`).
    pub jobs: Vec<JobSummary>,
    /// Every stage listed by a job that started, by stage id.
    pub stages: Vec<StageSummary>,
    pub executors: Vec<ExecutorSummary>,
    pub shuffles: Vec<ShuffleEdge>,
    /// When the last event happened, µs.
    pub total_time: SimTime,
    /// The cached blocks at the end of the run, by (RDD id, partition) (the Storage tab's input).
    #[serde(default)]
    pub cached_blocks: Vec<crate::trace::storage::CachedBlock>,
}

impl SimResult {
    pub fn job(&self, job_id: u32) -> Option<&JobSummary> {
        self.jobs.iter().find(|j| j.job_id == job_id)
    }
    pub fn stage(&self, stage_id: u32) -> Option<&StageSummary> {
        self.stages.iter().find(|s| s.stage_id == stage_id)
    }
}

/// Simulates `schedule`. Refuses invalid schedules and ones over [`MAX_TASKS`] tasks with a
/// diagnostic; never panics.
pub fn simulate(schedule: &Schedule) -> Result<SimResult, Diagnostic> {
    let plan = validate::prepare(schedule)?;
    let mut sim = engine::Simulation::new(plan);
    sim.run();
    let not_run: Vec<usize> = (0..sim.jobs.len()).filter(|&j| sim.jobs[j].state == engine::JobState::NotRun).collect();
    let mut extra = Vec::new();
    for j in not_run {
        let pj = &sim.plan.jobs[j];
        let spec = &schedule.jobs[pj.spec];
        extra.push(JobSummary {
            job_id: pj.job_id,
            kind: spec.kind,
            sql_execution_id: spec.sql_execution_id,
            description: spec.description.clone(),
            status: JobStatus::NotRun,
            failure_reason: None,
            submission_time: None,
            completion_time: None,
            stages: spec
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
    }
    let cached_blocks = sim
        .blocks
        .iter()
        .filter(|(_, &(e, _))| sim.executors.get(e as usize).is_some_and(|x| x.alive))
        .map(|(&(rdd_id, partition), &(executor_id, bytes))| crate::trace::storage::CachedBlock { rdd_id, partition, executor_id, bytes })
        .collect();
    let trace = std::mem::take(&mut sim.trace);
    let s = summary::summarize(&trace);
    let mut jobs = s.jobs;
    jobs.extend(extra);
    crate::sort::sort_by_key(&mut jobs, |j| j.job_id);
    Ok(SimResult {
        trace,
        jobs,
        stages: s.stages,
        executors: s.executors,
        shuffles: s.shuffles,
        total_time: s.total_time,
        cached_blocks,
    })
}
