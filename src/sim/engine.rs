//! The simulation's state and main loop: a closed set of scheduler events (Spark's `DAGSchedulerEvent`
//! in spirit) popped from the deterministic queue and dispatched to the `DAGScheduler` half
//! (`dag_scheduler.rs`: jobs, stages, failures) and the `TaskScheduler` half (`task_scheduler.rs`: offers,
//! launches, task ends, speculation, executor loss). This file owns the state and the trace writing; it
//! knows nothing of costs (that is `cost`) or of summaries (that is `trace::summary`).
//!
//! Stage states:
//! ```text
//!   Idle ──submit_stage──► Waiting (parents missing) ──parents done──► Submitting ──► Running
//!     ▲                                                                                 │
//!     └──────────── FetchFailed (resubmitted after 200 ms) ◄────────────────────────────┤
//!                                                                                       ▼
//!   Aborted ◄── job failed                                    Done (all outputs / results in)
//! ```

use super::event_queue::{EventQueue, SimTime, MS};
use super::executor::Executor;
use super::map_output::MapOutputTracker;
use super::memory::MemoryModel;
use super::model::SchedulerMode;
use super::rng::SimRng;
use super::task_set_manager::TaskSetManager;
use super::validate::Plan;
use crate::trace::{Event, ExecutorAdded, JobEnd, JobResult, TaskEndReason, Trace};
use std::collections::{BTreeMap, BTreeSet};

/// What the scheduler reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SimEvent {
    SubmitJob(u32),
    SubmitStageAttempt(u32),
    TaskSetReady(u32),
    TaskEnd(u32),
    KillExecutor(u32),
    SpeculationTick,
    ResubmitFailedStages,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobState {
    Pending,
    Running,
    Succeeded,
    Failed,
    NotRun,
}

pub(crate) struct Job {
    pub state: JobState,
    pub deps_left: u32,
    pub running_tasks: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StageState {
    Idle,
    Waiting,
    Submitting,
    Running,
    Done,
    Aborted,
}

pub(crate) struct Stage {
    pub state: StageState,
    pub next_attempt: u16,
    pub ever_submitted: bool,
    pub completed_once: bool,
    pub consecutive_failures: u32,
    pub current_tsm: Option<u32>,
    pub current_attempt_failed: bool,
    /// Map stages: partitions of the running attempt still without output.
    pub pending: Vec<bool>,
    pub pending_count: u32,
    /// Result stages: partitions whose result arrived.
    pub result_done: Vec<bool>,
    pub result_remaining: u32,
    /// Per executor: when this stage's generated code is compiled there (`NOT_COMPILED` before).
    pub compile_ready: Vec<SimTime>,
    pub codegen_us: SimTime,
}

pub(crate) const NOT_COMPILED: SimTime = SimTime::MAX;

/// A task attempt's scheduling state (its trace record is `trace.tasks[id]`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    pub tsm: u32,
    pub index: u32,
    pub executor: u32,
    pub slot: u16,
    pub running: bool,
    pub end: SimTime,
    pub outcome: TaskEndReason,
    pub run_start: SimTime,
    pub fetch_done: SimTime,
    /// Position in its task set's `running` list.
    pub pos: u32,
}

/// `SimConfig` in integer units.
pub(crate) struct Cfg {
    pub jitter_pct: u32,
    pub warmup: bool,
    pub speculation: bool,
    pub spec_multiplier_permille: u64,
    pub spec_quantile_permille: u64,
    pub spec_min_us: SimTime,
    pub spec_interval_us: SimTime,
    pub max_failures: u32,
    pub max_stage_attempts: u32,
    pub failure_per_billion: u64,
    pub fetch_detect_us: SimTime,
    pub fair: bool,
}

pub(crate) struct Simulation<'a> {
    pub plan: Plan<'a>,
    pub cfg: Cfg,
    pub queue: EventQueue<SimEvent>,
    pub rng: SimRng,
    pub trace: Trace,
    pub jobs: Vec<Job>,
    pub stages: Vec<Stage>,
    pub tsms: Vec<TaskSetManager>,
    /// Task sets that may launch or still have running tasks; FIFO-sorted by (job id, stage id, attempt).
    pub active: Vec<u32>,
    pub executors: Vec<Executor>,
    pub alive_executors: u32,
    pub memory: MemoryModel,
    pub tracker: MapOutputTracker,
    pub attempts: Vec<Attempt>,
    /// Stages waiting for parents, and stages to resubmit, keyed (job id, stage id, index).
    pub waiting: BTreeSet<(u32, u32, usize)>,
    pub failed: BTreeSet<(u32, u32, usize)>,
    pub resubmit_scheduled: bool,
    /// When the next speculation check is due (`None`: no task set can speculate yet).
    pub tick_at: Option<SimTime>,
    /// Cached blocks: (rdd id, partition) → (executor, bytes).
    pub blocks: BTreeMap<(u32, u32), (u32, u64)>,
    pub attempt_limit_hit: bool,
    /// The clock passed `cost::MAX_SIM_TIME_US`: the run stopped there.
    pub time_limit_hit: bool,
    /// No task launches before this (a fresh driver: first ready task set + `COLD_FIRST_LAUNCH_US`).
    pub launch_gate: Option<SimTime>,
    /// Reused buffers (no allocation per offer round).
    pub offer_buf: Vec<u32>,
    pub order_buf: Vec<u32>,
}

impl<'a> Simulation<'a> {
    pub fn new(plan: Plan<'a>) -> Simulation<'a> {
        let sched = plan.schedule;
        let o = &sched.options;
        let c = &sched.cluster;
        let permille = |x: f64| (x * 1000.0).round() as u64;
        let cfg = Cfg {
            jitter_pct: o.jitter_pct,
            warmup: o.jvm_warmup,
            speculation: o.speculation,
            spec_multiplier_permille: permille(o.speculation_multiplier),
            spec_quantile_permille: permille(o.speculation_quantile),
            spec_min_us: o.speculation_min_runtime_ms.saturating_mul(MS),
            spec_interval_us: o.speculation_interval_ms.saturating_mul(MS),
            max_failures: o.task_max_failures,
            max_stage_attempts: o.stage_max_consecutive_attempts,
            failure_per_billion: (o.task_failure_rate * 1e9).round() as u64,
            fetch_detect_us: o.fetch_failure_detect_ms.saturating_mul(MS),
            fair: o.scheduler_mode == SchedulerMode::Fair,
        };
        let slots = c.slots_per_executor();
        let executors: Vec<Executor> = (0..c.executors)
            .map(|e| {
                let slow = c.slow_executors.iter().filter(|s| s.executor == e).map(|s| s.time_pct).max().unwrap_or(100);
                Executor::new(slots, slow)
            })
            .collect();
        let jobs = plan
            .jobs
            .iter()
            .map(|j| Job { state: JobState::Pending, deps_left: j.deps.len() as u32, running_tasks: 0 })
            .collect();
        let stages = plan
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let n = s.num_tasks as usize;
                let is_result = s.kind == super::model::StageKind::Result;
                Stage {
                    state: StageState::Idle,
                    next_attempt: 0,
                    ever_submitted: false,
                    completed_once: false,
                    consecutive_failures: 0,
                    current_tsm: None,
                    current_attempt_failed: false,
                    pending: Vec::new(),
                    pending_count: 0,
                    result_done: if is_result { vec![false; n] } else { Vec::new() },
                    result_remaining: if is_result { s.num_tasks } else { 0 },
                    compile_ready: Vec::new(),
                    codegen_us: plan.stage_spec(i).codegen_count().min(100) as u64 * super::cost::CODEGEN_COMPILE_US,
                }
            })
            .collect();
        let maps: Vec<u32> = plan.shuffles.iter().map(|s| s.num_maps).collect();
        let tracker = MapOutputTracker::new(&maps, c.executors as usize);
        let memory = MemoryModel::new(c.executor_memory_mb, o.memory_fraction, o.memory_storage_fraction, slots);
        // Room for one attempt per task of every stage that runs (retries grow the vectors).
        let expected: usize =
            plan.stages.iter().filter(|s| s.hint == super::model::StageHint::Run).map(|s| s.num_tasks as usize).sum();
        let mut trace = Trace::default();
        trace.tasks.reserve(expected);
        trace.events.reserve(2 * expected + 8 * plan.stages.len() + 2 * executors.len());
        Simulation {
            cfg,
            queue: EventQueue::new(),
            rng: SimRng::new(o.seed),
            trace,
            jobs,
            stages,
            tsms: Vec::new(),
            active: Vec::new(),
            alive_executors: c.executors,
            executors,
            memory,
            tracker,
            attempts: Vec::with_capacity(expected),
            waiting: BTreeSet::new(),
            failed: BTreeSet::new(),
            resubmit_scheduled: false,
            tick_at: None,
            blocks: BTreeMap::new(),
            attempt_limit_hit: false,
            time_limit_hit: false,
            launch_gate: None,
            offer_buf: Vec::new(),
            order_buf: Vec::new(),
            plan,
        }
    }

    /// Runs to completion.
    pub fn run(&mut self) {
        let sched = self.plan.schedule;
        for e in 0..self.executors.len() as u32 {
            self.emit(Event::ExecutorAdded(ExecutorAdded {
                time: 0,
                executor_id: e,
                cores: sched.cluster.cores_per_executor,
            }));
        }
        for j in 0..self.jobs.len() {
            if self.plan.jobs[j].deps.is_empty() {
                self.queue.push(self.plan.jobs[j].submit_delay_us, SimEvent::SubmitJob(j as u32));
            }
        }
        if let Some(k) = &sched.options.kill_executor {
            self.queue.push(k.at_ms.saturating_mul(MS), SimEvent::KillExecutor(k.executor));
        }
        let mut now = 0;
        while let Some((t, ev)) = self.queue.pop() {
            if t > super::cost::MAX_SIM_TIME_US {
                self.time_limit_hit = true;
                now = super::cost::MAX_SIM_TIME_US;
                break;
            }
            now = t;
            match ev {
                SimEvent::SubmitJob(j) => self.submit_job(j as usize, t),
                SimEvent::SubmitStageAttempt(s) => self.submit_stage_attempt(s as usize, t),
                SimEvent::TaskSetReady(ts) => self.task_set_ready(ts, t),
                SimEvent::TaskEnd(id) => {
                    let a = self.attempts[id as usize];
                    if a.running && a.end == t {
                        self.finish_attempt(id, t, a.outcome, true);
                    }
                }
                SimEvent::KillExecutor(e) => self.executor_lost(e, t),
                SimEvent::SpeculationTick => self.speculation_tick(t),
                SimEvent::ResubmitFailedStages => self.resubmit_failed_stages(t),
            }
        }
        self.finish(now);
    }

    /// Jobs that could not finish (no executors left, attempt limit) fail at the end; the rest never ran.
    fn finish(&mut self, now: SimTime) {
        for j in 0..self.jobs.len() {
            match self.jobs[j].state {
                JobState::Running => {
                    self.jobs[j].state = JobState::Failed;
                    let reason = if self.time_limit_hit {
                        format!("the simulation reached its limit of simulated time ({} µs, MAX_SIM_TIME_US)", super::cost::MAX_SIM_TIME_US)
                    } else if self.attempt_limit_hit {
                        format!(
                            "the simulation reached its limit of {} task attempts",
                            super::validate::MAX_TASK_ATTEMPTS
                        )
                    } else if self.alive_executors == 0 {
                        "no executors left to run its tasks".to_string()
                    } else {
                        "the simulation ended with tasks pending".to_string()
                    };
                    let job_id = self.plan.jobs[j].job_id;
                    self.emit(Event::JobEnd(Box::new(JobEnd {
                        time: now,
                        job_id,
                        result: JobResult::JobFailed { reason },
                    })));
                }
                JobState::Pending => self.jobs[j].state = JobState::NotRun,
                _ => {}
            }
        }
    }

    pub fn emit(&mut self, e: Event) {
        self.trace.events.push(e);
    }

    /// Any job still to run or running?
    pub fn work_remains(&self) -> bool {
        self.jobs.iter().any(|j| matches!(j.state, JobState::Pending | JobState::Running))
    }

    pub fn stage_key(&self, s: usize) -> (u32, u32, usize) {
        let st = &self.plan.stages[s];
        (self.plan.jobs[st.job].job_id, st.stage_id, s)
    }
}
