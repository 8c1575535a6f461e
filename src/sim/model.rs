//! The simulator's input: an execution schedule (jobs → stages → per-task work) plus the cluster and the
//! simulation options, as plain serde structs. The planner side builds a [`Schedule`]; the simulator only
//! reads it. This module knows what Spark would run and how much data each task touches; it knows nothing of
//! plans, SQL, AQE rules or how the numbers were estimated, and nothing of time (see `cost`).
//!
//! Conventions: ids are Spark's (job ids, stage ids, shuffle ids as Spark assigns them); sizes are bytes;
//! durations in the input are milliseconds (`*_ms`) or nanoseconds of CPU work (`*_ns`).

use serde::{Deserialize, Serialize};

/// Everything one simulation needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// Jobs in any order; submission order comes from `after_jobs` and job ids (lower first).
    pub jobs: Vec<JobSpec>,
    pub cluster: ClusterSpec,
    #[serde(default)]
    pub options: SimConfig,
}

/// Why Spark ran a job (display and summaries only; the scheduler treats all kinds alike, except that a
/// `MapStageOnly` job ends with a shuffle map stage instead of a result stage).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// An action's job (`collect`, `count`, a write...).
    #[default]
    Result,
    /// AQE query stage: `SparkContext.submitMapStage` (`ShuffleExchangeExec.mapOutputStatisticsFuture`).
    #[serde(alias = "shuffle_map_stage_only (AQE query stage)")]
    MapStageOnly,
    /// The collect job that builds a broadcast relation.
    #[serde(alias = "broadcast_build")]
    Broadcast,
    /// RangePartitioner's sampling job before a global sort.
    #[serde(alias = "range_partitioner_sampling")]
    Sampling,
    /// A scalar subquery's job.
    ScalarSubquery,
    /// A cached relation's materialisation (AQE on: its own job).
    CacheBuild,
    /// CollectLimit / take scale-up jobs (`spark.sql.limit.scaleUpFactor`).
    LimitScaleUp,
}

impl JobKind {
    /// The short name the page shows (`result`, `AQE query stage`, `broadcast`, ...).
    pub fn label(self) -> &'static str {
        match self {
            JobKind::Result => "result",
            JobKind::MapStageOnly => "AQE query stage",
            JobKind::Broadcast => "broadcast",
            JobKind::Sampling => "sampling",
            JobKind::ScalarSubquery => "subquery",
            JobKind::CacheBuild => "cache",
            JobKind::LimitScaleUp => "limit",
        }
    }
}

/// An AQE re-planning decision the planner wants to appear in the trace, with its arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptiveUpdate {
    pub execution_id: u32,
    /// One line, e.g. `CoalesceShufflePartitions: 200 → 2 partitions`.
    pub description: String,
    /// The arithmetic behind it, e.g. `target = max(1 MiB, min(64 MiB, ceil(3.8 MB / 2)))`.
    #[serde(default)]
    pub why: Vec<String>,
}

/// One Spark job: the stages `DAGScheduler` lists in `SparkListenerJobStart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSpec {
    pub job_id: u32,
    #[serde(default)]
    pub kind: JobKind,
    #[serde(default)]
    pub sql_execution_id: Option<u32>,
    #[serde(default)]
    pub description: String,
    /// Jobs that must end before this one is submitted (AQE: parents after their children; a main job after
    /// its broadcast jobs; a second action after the first). Jobs whose dependencies are met run concurrently.
    #[serde(default)]
    pub after_jobs: Vec<u32>,
    /// Driver time between the last `after_jobs` ending (time 0 for a job without any) and the submission:
    /// AQE re-optimisation, broadcast relation build, Python overhead. Default: 0 without dependencies,
    /// `cost::DEPENDENT_JOB_DELAY_US` with.
    #[serde(default)]
    pub submit_delay_ms: Option<u64>,
    /// AQE updates posted just before this job's `JobStart` (the re-plan that created its stages).
    #[serde(default)]
    pub aqe_before: Vec<AdaptiveUpdate>,
    /// AQE updates posted right after this job's `JobEnd` (e.g. the final plan after the last stage).
    #[serde(default)]
    pub aqe_after: Vec<AdaptiveUpdate>,
    /// Every stage of the job, run or skipped. Exactly one of them (the final stage) is nobody's parent.
    pub stages: Vec<StageSpec>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// Writes a shuffle (`ShuffleMapStage`).
    #[default]
    #[serde(alias = "map")]
    ShuffleMap,
    /// Computes the job's result (`ResultStage`).
    Result,
}

/// What the planner knows about a stage's state when its job starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageHint {
    /// Run it (all partitions).
    #[default]
    #[serde(alias = "completed")]
    Run,
    /// Its shuffle output already exists (materialised by an earlier job): Spark lists it as skipped.
    /// The simulator still runs the missing partitions if that output was lost (executor loss). The job
    /// must list the job that writes that shuffle in `after_jobs` (directly or transitively); a shuffle
    /// no job of the schedule writes is taken as materialised before the trace began.
    Skipped,
}

/// One stage of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSpec {
    pub stage_id: u32,
    #[serde(default)]
    pub kind: StageKind,
    /// Spark's stage name (call site), e.g. `collect at <stdin>:1`.
    #[serde(default)]
    pub name: String,
    pub num_tasks: u32,
    /// Stages of the same job this one reads from (shuffle dependencies).
    #[serde(default)]
    pub parent_ids: Vec<u32>,
    #[serde(default)]
    pub status_hint: StageHint,
    /// Spark's RDD scopes (`WholeStageCodegen (2)`, `Exchange`...): display, and codegen cluster count.
    #[serde(default)]
    pub rdd_scopes: Vec<String>,
    /// Physical operators pipelined in the stage (`Scan parquet`, `Filter`, `HashAggregate`, `Sort`,
    /// `SortMergeJoin`...): used by `ops_cost` when a task has no `compute_ns`.
    #[serde(default)]
    pub operators: Vec<String>,
    /// Whole-stage-codegen clusters compiled by the first task on each executor; default: the number of
    /// `WholeStageCodegen` entries in `rdd_scopes`.
    #[serde(default)]
    pub codegen_clusters: Option<u32>,
    /// The shuffle this (map) stage writes. Stages of different jobs with the same id share map outputs.
    #[serde(default)]
    pub shuffle_id_written: Option<u32>,
    /// Shuffles read; default: the shuffles written by `parent_ids`.
    #[serde(default)]
    pub shuffle_ids_read: Vec<u32>,
    /// Per-task work: `num_tasks` entries in partition order, or one entry used for every partition
    /// (uniform stages), or none (no data).
    #[serde(default)]
    pub tasks: Vec<TaskWork>,
}

/// The data one task touches and the CPU work it does, as the planner estimates it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskWork {
    /// Must equal the entry's index when the stage lists every task.
    #[serde(default)]
    pub partition: u32,
    #[serde(default)]
    pub input_bytes: u64,
    #[serde(default)]
    pub input_records: u64,
    /// Total over every shuffle the stage reads.
    #[serde(default)]
    pub shuffle_read_bytes: u64,
    #[serde(default)]
    pub shuffle_read_records: u64,
    #[serde(default)]
    pub shuffle_write_bytes: u64,
    #[serde(default)]
    pub shuffle_write_records: u64,
    /// Rows/bytes a write (`WriteFiles`) produces.
    #[serde(default)]
    pub output_bytes: u64,
    #[serde(default)]
    pub output_records: u64,
    /// Bytes of the task result sent to the driver beyond the ~2 KB of metrics (collected rows).
    #[serde(default)]
    pub result_bytes: u64,
    /// Warm-JVM CPU nanoseconds of the stage's operators for this partition, excluding shuffle
    /// (de)serialisation and I/O, which the simulator adds. `None`: estimated from `operators`.
    #[serde(default)]
    pub compute_ns: Option<u64>,
    /// Execution memory the task's sorts/aggregations/joins would hold at peak; above its share it spills.
    #[serde(default)]
    pub memory_bytes_needed: u64,
    /// A cached block this task reads (or materialises).
    #[serde(default)]
    pub cache: Option<CacheUse>,
}

/// A cached RDD block `(rdd_id, partition)` (`RDD.getOrCompute`): present on a live executor → read it
/// (fetched remotely when elsewhere); missing → do the extra `miss_*` work (materialisation or recomputation
/// from lineage) and store it on this executor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheUse {
    pub rdd_id: u32,
    #[serde(default)]
    pub block_bytes: u64,
    #[serde(default)]
    pub miss_compute_ns: u64,
    #[serde(default)]
    pub miss_input_bytes: u64,
    #[serde(default)]
    pub miss_input_records: u64,
}

/// The executors. One executor per host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSpec {
    pub executors: u32,
    pub cores_per_executor: u32,
    /// `spark.task.cpus`.
    #[serde(default = "one")]
    pub task_cpus: u32,
    #[serde(default = "default_memory_mb")]
    pub executor_memory_mb: u64,
    /// Executors that run everything slower (noisy neighbour, bad disk): what speculation is for.
    #[serde(default)]
    pub slow_executors: Vec<SlowExecutor>,
}

fn one() -> u32 {
    1
}
fn default_memory_mb() -> u64 {
    4096
}

impl Default for ClusterSpec {
    /// The corpus cluster: `local[2]`, one executor (the driver) with 2 cores and 4 GiB.
    fn default() -> Self {
        ClusterSpec {
            executors: 1,
            cores_per_executor: 2,
            task_cpus: 1,
            executor_memory_mb: 4096,
            slow_executors: Vec::new(),
        }
    }
}

impl ClusterSpec {
    /// Task slots per executor: cores / `spark.task.cpus`.
    pub fn slots_per_executor(&self) -> u32 {
        self.cores_per_executor / self.task_cpus.max(1)
    }
    pub fn total_slots(&self) -> u64 {
        self.executors as u64 * self.slots_per_executor() as u64
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlowExecutor {
    pub executor: u32,
    /// Every task phase on it takes this many percent of the normal time (e.g. 300 = 3× slower).
    pub time_pct: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SchedulerMode {
    /// `spark.scheduler.mode=FIFO` (default): by job id, then stage id.
    #[default]
    Fifo,
    /// `FAIR`, with each job in its own pool of weight 1 and minShare 0: the job running fewest tasks first.
    Fair,
}

/// Kill one executor at a simulated time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KillExecutor {
    pub executor: u32,
    pub at_ms: u64,
}

/// Simulation options. Defaults are Spark 3.5's; every failure mode is off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    pub seed: u64,
    /// Task time variation, ± percent (real Spark: about ±30 % between runs). 0 = exact.
    pub jitter_pct: u32,
    /// Model the fresh-JVM slowness of each executor's first tasks (class loading, JIT).
    pub jvm_warmup: bool,
    /// `spark.speculation`.
    pub speculation: bool,
    /// `spark.speculation.multiplier` (3.5: 1.5; 4.0 changed it to 3).
    pub speculation_multiplier: f64,
    /// `spark.speculation.quantile` (3.5: 0.75; 4.0: 0.9).
    pub speculation_quantile: f64,
    /// `spark.speculation.minTaskRuntime`.
    pub speculation_min_runtime_ms: u64,
    /// `spark.speculation.interval`.
    pub speculation_interval_ms: u64,
    /// `spark.task.maxFailures`.
    pub task_max_failures: u32,
    /// `spark.stage.maxConsecutiveAttempts`.
    pub stage_max_consecutive_attempts: u32,
    /// Probability (0..1) that a task attempt throws and is retried.
    pub task_failure_rate: f64,
    pub kill_executor: Option<KillExecutor>,
    /// `spark.scheduler.mode`.
    pub scheduler_mode: SchedulerMode,
    /// `spark.memory.fraction`.
    pub memory_fraction: f64,
    /// `spark.memory.storageFraction`.
    pub memory_storage_fraction: f64,
    /// How long a reducer fetching from a dead executor takes to give up with FetchFailed:
    /// `spark.shuffle.io.maxRetries` (3) × `spark.shuffle.io.retryWait` (5 s).
    pub fetch_failure_detect_ms: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 0,
            jitter_pct: 30,
            jvm_warmup: true,
            speculation: false,
            speculation_multiplier: 1.5,
            speculation_quantile: 0.75,
            speculation_min_runtime_ms: 100,
            speculation_interval_ms: 100,
            task_max_failures: 4,
            stage_max_consecutive_attempts: 4,
            task_failure_rate: 0.0,
            kill_executor: None,
            scheduler_mode: SchedulerMode::Fifo,
            memory_fraction: 0.6,
            memory_storage_fraction: 0.5,
            fetch_failure_detect_ms: 15_000,
        }
    }
}

impl StageSpec {
    /// The work of partition `p`, resolving the uniform and empty forms.
    pub fn work(&self, p: u32) -> &TaskWork {
        static NONE: TaskWork = TaskWork {
            partition: 0,
            input_bytes: 0,
            input_records: 0,
            shuffle_read_bytes: 0,
            shuffle_read_records: 0,
            shuffle_write_bytes: 0,
            shuffle_write_records: 0,
            output_bytes: 0,
            output_records: 0,
            result_bytes: 0,
            compute_ns: None,
            memory_bytes_needed: 0,
            cache: None,
        };
        match self.tasks.len() {
            0 => &NONE,
            1 => &self.tasks[0],
            _ => self.tasks.get(p as usize).unwrap_or(&NONE),
        }
    }

    /// Whole-stage-codegen clusters the stage compiles.
    pub fn codegen_count(&self) -> u32 {
        self.codegen_clusters
            .unwrap_or_else(|| self.rdd_scopes.iter().filter(|s| s.starts_with("WholeStageCodegen")).count() as u32)
    }
}
