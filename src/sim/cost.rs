//! The cost model: how long each phase of a task takes (the Spark UI's breakdown — scheduler delay,
//! executor deserialize, shuffle fetch wait, compute, shuffle write, spill, result serialization, getting
//! result) and the driver's latencies between jobs and stages. It knows per-task work, executor warmth and
//! the jitter factor it is handed; it knows nothing of queues, slots or which task runs where.
//!
//! Every constant says where it came from: "corpus" means the Spark 3.5.9 `local[2]` event logs and
//! `expected.jsonl` in `shared/fidelity/` (one fresh JVM per run, so every run shows the cold start).
//! All arithmetic is integer (µs, ns, per-mille), so native and wasm builds agree to the microsecond.

use super::event_queue::{SimTime, MS};
use super::memory::{self, Spill};
use super::model::TaskWork;

// ---- Driver latencies (DAGScheduler event loop) ------------------------------------------------------

/// JobStart → StageSubmitted of its first stages. Corpus: 5–65 ms, typically ~20.
pub const JOB_TO_STAGE_US: SimTime = 15 * MS;
/// StageSubmitted → first task launch (task binary broadcast, TaskSetManager, offers). Corpus: 19–31 ms
/// with a warm JVM.
pub const STAGE_TO_LAUNCH_US: SimTime = 20 * MS;
/// Extra delay before the very first task set of a fresh driver launches. Corpus: 66–302 ms (median ~150)
/// from each run's first StageSubmitted to its first task.
pub const COLD_FIRST_LAUNCH_US: SimTime = 130 * MS;
/// A map stage's last task ends → its waiting child stage is submitted. Corpus: 18–60 ms.
pub const STAGE_HANDOFF_US: SimTime = 30 * MS;
/// Default driver time from a job's dependencies ending to its submission (AQE re-optimisation, building
/// a broadcast relation). Corpus: 90–550 ms between AQE query-stage jobs, most 100–140 ms.
pub const DEPENDENT_JOB_DELAY_US: SimTime = 120 * MS;
/// `DAGScheduler.RESUBMIT_TIMEOUT`: failed stages are resubmitted 200 ms after a FetchFailed.
pub const RESUBMIT_TIMEOUT_US: SimTime = 200 * MS;

// ---- Per-task overheads -----------------------------------------------------------------------------

/// Scheduler delay (launch → executor starts the task, plus result → driver), warm JVM: a base plus a
/// share per whole-stage-codegen cluster (bigger plans, bigger tasks and results). Corpus per-stage
/// medians: 5–7 ms for one-cluster reducers, 14 ms for the three-cluster sort-merge-join reducers.
pub const SCHED_DELAY_US: SimTime = 3 * MS;
pub const SCHED_DELAY_PER_CLUSTER_US: SimTime = 3_500;
/// Extra scheduler delay of an executor's first tasks. Corpus: 87–108 ms on every run's first stage.
pub const COLD_SCHED_DELAY_US: SimTime = 80 * MS;
/// Share of the scheduler delay spent before the task starts on the executor (the rest is the result's trip).
pub const SCHED_PRE_PERMILLE: u64 = 600;
/// Executor deserialize time, warm: a base plus a share per codegen cluster (the task binary grows with
/// the plan). Corpus: 200-task stage medians 1–3 ms with one cluster, 8 ms with three.
pub const DESERIALIZE_US: SimTime = 500;
pub const DESERIALIZE_PER_CLUSTER_US: SimTime = 2 * MS;
/// Extra deserialize of the first task of a stage on an executor (fetches the task binary broadcast).
/// Corpus: 10–36 ms for the first tasks of 200-task stages; 10–79 ms (median ~35) for the single task of
/// AQE result stages (event logs, `docs/calibration.md`).
pub const FIRST_OF_STAGE_DESERIALIZE_US: SimTime = 20 * MS;
/// Extra deserialize of an executor's first tasks (cold JVM). Corpus: 65–200 ms, typically ~100.
pub const COLD_DESERIALIZE_US: SimTime = 90 * MS;
/// Fixed extra run time of an executor's first tasks: class loading, first Parquet reader, Janino start.
/// Corpus: first-stage tasks reading only 50–10 000 rows still run 450–900 ms.
pub const COLD_RUN_US: SimTime = 550 * MS;
/// Fresh-JVM compute multiplier `1 + extra × W / (W + busy)` (per mille), with `busy` the executor's run
/// time so far. Corpus p_aqe_skew_join: identical 750 k-row scan tasks ran 2.35 s in the first wave
/// (busy = 0: ×2 plus `COLD_RUN_US`) and 0.95 s in the second (busy ≈ 4.5 s: ×1.1).
pub const COLD_COMPUTE_EXTRA_PERMILLE: u64 = 1000;
pub const WARMUP_BUSY_US: SimTime = 500 * MS;
/// Janino compile of one WholeStageCodegen cluster, paid once per (executor, stage); tasks starting
/// meanwhile wait for it. Corpus (event logs, first two tasks vs the median of 200-task stages): 78–200 ms
/// longer for one-cluster stages, 700–970 ms for the three-cluster sort-merge-join reducers (which also
/// load the sort and join classes); single-task AQE result stages run 54–122 ms for a few rows.
pub const CODEGEN_COMPILE_US: SimTime = 50 * MS;
/// Fixed run time of any task (iterators, metrics). Corpus: near-empty reducers run 3–9 ms (p50).
pub const TASK_BASE_RUN_US: SimTime = 3 * MS;
/// Warm-up of the per-task fixed overheads (scheduler delay, deserialization) with the number of tasks
/// the executor has launched: `1 + extra × 2^(−launched / H)` (per mille; ×5.5 on the first task, ×2.1
/// after 100 tasks, ×1.07 after 300). The launch/status-update
/// path and the task runner are JIT-compiled only after some hundreds of tasks. Corpus
/// (`docs/calibration.md`): near-empty 200-task reducers of a run's first reduce stage spend 17–28 ms
/// outside `executorRunTime` (p50 duration 16–44 ms), the same job's second 200-task stage 6–8 ms
/// (p50 duration 10–11 ms, p_smj_then_groupby / p_aqe_skew_join stage 3).
pub const OVERHEAD_WARMUP_EXTRA_PERMILLE: u64 = 4_500;
pub const OVERHEAD_WARMUP_HALF_TASKS: u64 = 50;
/// Fixed extra run time of an executor's first tasks when the scan reads no column (`count(*)`: rows
/// come from the Parquet footers' counts; no column reader, decoder or vectorized batch classes load).
/// Corpus p_count_star: 3 M-row column-less cold scan tasks run 432 ms in all, vs 450–900 ms for cold
/// scans of 50–10 000 rows that read columns.
pub const COLD_RUN_NO_COLUMNS_US: SimTime = 100 * MS;

// ---- Shuffle ----------------------------------------------------------------------------------------

/// Shuffle write CPU (UnsafeRow serialisation, partitioning, buffering) per record and per byte.
/// Corpus: map tasks spend ~0.8 µs per written row beyond the scan (750 k rows / 7 MB: 0.95 s warm).
pub const SHUFFLE_WRITE_NS_PER_RECORD: u64 = 800;
pub const SHUFFLE_WRITE_NS_PER_BYTE: u64 = 10;
/// The "shuffle write time" metric (disk writes and flushes), part of the above.
/// Corpus: 86 ms for 7 MB / 750 k records; 210–250 ms for 40 MB / 3 M records.
pub const SHUFFLE_WRITE_TIME_NS_PER_RECORD: u64 = 40;
pub const SHUFFLE_WRITE_TIME_NS_PER_BYTE: u64 = 5;
/// Shuffle write with `BypassMergeSortShuffleWriter` (SQL exchanges have no map-side combine, so Spark
/// uses it whenever the shuffle has ≤ `spark.shuffle.sort.bypassMergeThreshold` = 200 partitions): one
/// file, compression and serialization stream per non-empty reduce partition, concatenated at commit.
/// Non-empty blocks of a map task ≈ min(records written, 200) (the corpus's shuffles have ≤ 200
/// partitions; a `repartition(16)` map task is over-charged by ≤ 184 blocks, ~0.17 s on a seconds-long
/// scan task). Corpus p_cte_reused aqe_off stage 1: 200 tasks reading 2 000 rows and writing 1 000 rows
/// to ~200 partitions run 216 ms (p50 run time) vs 54–56 ms for reducers of 7–45 k rows writing 5 rows
/// (p_smj_then_groupby / p_aqe_skew_join stage 2): (216 − 40) / 200 ≈ 0.9 ms per block.
pub const BYPASS_MERGE_THRESHOLD: u64 = 200;
pub const SHUFFLE_WRITE_PER_BLOCK_US: SimTime = 900;
/// Shuffle read per block fetched (local or remote: the iterator's request, stream and decompressor
/// set-up). Corpus p_cte_reused aqe_off stage 2: 200 reducers of 3 000 rows fetching 202 blocks each run
/// 38 ms (p50), p_smj_then_groupby's of 45 000 rows fetching 4 blocks 54 ms: ~0.1 ms per block.
pub const SHUFFLE_READ_PER_BLOCK_US: SimTime = 100;
/// Shuffle read: deserialising records and decompressing bytes. Corpus: the 1.8 M-record / 14.5 MB hot
/// reducer of p_aqe_skew_join (1.5 s with its sort-merge join).
pub const SHUFFLE_READ_NS_PER_RECORD: u64 = 150;
pub const SHUFFLE_READ_NS_PER_BYTE: u64 = 5;
/// Remote block fetch: 10 ns/byte (100 MB/s per task) and 2 ms per executor contacted. Not calibrated:
/// the corpus is `local[2]`, where every block is local and fetch wait is 0.
pub const REMOTE_FETCH_NS_PER_BYTE: u64 = 10;
pub const REMOTE_FETCH_LATENCY_US: SimTime = 2 * MS;

// ---- Results, GC, cache -----------------------------------------------------------------------------

/// Result size of a task returning only metrics. Corpus: 2 078–9 159 B.
pub const BASE_RESULT_BYTES: u64 = 2_300;
/// `spark.task.maxDirectResultSize` (1 MiB): larger results go through the block manager and the driver
/// fetches them (Getting Result Time).
pub const MAX_DIRECT_RESULT_BYTES: u64 = 1 << 20;
/// Result serialisation 2 ns/byte (500 MB/s); fetching an indirect result 5 ns/byte (200 MB/s).
pub const RESULT_SER_NS_PER_BYTE: u64 = 2;
pub const GETTING_RESULT_NS_PER_BYTE: u64 = 5;
/// JVM GC time as a share of run time, for tasks running over 50 ms (GC time is inside run time).
/// Corpus: 2–5 % on large scan tasks, 0 on short ones.
pub const GC_PERMILLE: u64 = 35;
pub const GC_MIN_RUN_US: SimTime = 50 * MS;
/// Reading a cached block from local memory, per byte.
pub const CACHE_READ_NS_PER_BYTE: u64 = 1;
/// No phase of a task lasts longer than this (10^12 µs, 11.6 days): absurd inputs stay absurd but finite,
/// and time sums cannot overflow.
pub const MAX_PHASE_US: SimTime = 1_000_000_000_000;
/// Longest simulated run: 10^13 µs (about 116 days). Jobs still running then fail, saying so.
pub const MAX_SIM_TIME_US: SimTime = 10_000_000_000_000;

// ---- The model --------------------------------------------------------------------------------------

/// The shuffle blocks a reducer fetches, split by where their map outputs live.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShuffleFetch {
    pub local_blocks: u32,
    pub remote_blocks: u32,
    pub local_bytes: u64,
    pub remote_bytes: u64,
    /// Distinct remote executors contacted.
    pub remote_executors: u32,
}

/// How a task's cached block was found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheRead {
    #[default]
    NoCache,
    Local,
    Remote,
    /// Missing: materialise (or recompute from lineage) and store.
    Miss,
}

/// The executor-side circumstances of one launch.
#[derive(Debug, Clone, Copy)]
pub struct LaunchContext {
    /// One of the executor's first tasks, started before any task finished there (fresh JVM).
    pub cold_executor: bool,
    /// The first task of this stage on this executor.
    pub first_of_stage: bool,
    /// Run time the executor has accumulated (JIT warm-up).
    pub executor_busy_us: SimTime,
    pub jvm_warmup: bool,
    /// 100 = normal speed; 300 = three times slower.
    pub slow_pct: u32,
    /// Multiplicative jitter of this attempt, per mille (from the RNG).
    pub jitter_permille: u64,
    /// Jitter of the small fixed overheads, per mille.
    pub overhead_jitter_permille: u64,
    /// Execution memory this task may hold.
    pub memory_share: u64,
    /// Whole-stage-codegen clusters of the stage (plan size).
    pub codegen_clusters: u32,
    /// Tasks launched on the executor before this one (warm-up of the fixed overheads).
    pub executor_tasks_launched: u64,
}

/// Every phase of one task attempt, in microseconds, plus the metrics the phases imply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskTiming {
    pub sched_pre_us: SimTime,
    pub deserialize_us: SimTime,
    /// Codegen compile, or waiting for another task's compile.
    pub compile_us: SimTime,
    pub fetch_wait_us: SimTime,
    pub compute_us: SimTime,
    pub shuffle_write_us: SimTime,
    pub spill_us: SimTime,
    pub result_ser_us: SimTime,
    pub getting_result_us: SimTime,
    pub sched_post_us: SimTime,
    pub gc_us: SimTime,
    pub shuffle_write_time_ns: u64,
    pub result_size: u64,
    pub spill: Spill,
    pub input_bytes: u64,
    pub input_records: u64,
}

impl TaskTiming {
    /// Executor run time (Spark's `executorRunTime`): everything between deserialisation and result
    /// serialisation.
    pub fn run_us(&self) -> SimTime {
        self.compile_us + self.fetch_wait_us + self.compute_us + self.shuffle_write_us + self.spill_us
    }
    /// Launch → the executor starts running the task body.
    pub fn run_start_offset_us(&self) -> SimTime {
        self.sched_pre_us + self.deserialize_us
    }
    /// Launch → the shuffle fetch is complete (a dead map executor after this no longer matters).
    pub fn fetch_done_offset_us(&self) -> SimTime {
        self.run_start_offset_us() + self.compile_us + self.fetch_wait_us
    }
    /// Launch → the driver has the result (Spark's task duration).
    pub fn duration_us(&self) -> SimTime {
        self.run_start_offset_us() + self.run_us() + self.result_ser_us + self.getting_result_us + self.sched_post_us
    }
}

fn scale(us: u64, permille: u64) -> u64 {
    match us.checked_mul(permille) {
        Some(x) => x / 1000,
        None => (us as u128 * permille as u128 / 1000).min(u64::MAX as u128) as u64,
    }
}

fn ns_to_us(ns: u64) -> u64 {
    ns / 1000
}

/// Scheduler delay and deserialisation of a launch.
pub fn launch_overheads(ctx: &LaunchContext) -> (SimTime, SimTime, SimTime) {
    let slow = ctx.slow_pct as u64 * 10;
    let clusters = ctx.codegen_clusters.min(20) as u64;
    let warm = if ctx.jvm_warmup {
        // extra × 2^(−launched / H), linearly interpolated between halvings.
        let (k, r) = (ctx.executor_tasks_launched / OVERHEAD_WARMUP_HALF_TASKS, ctx.executor_tasks_launched % OVERHEAD_WARMUP_HALF_TASKS);
        let v = if k >= 63 { 0 } else { OVERHEAD_WARMUP_EXTRA_PERMILLE >> k };
        1000 + v - v * r / (2 * OVERHEAD_WARMUP_HALF_TASKS)
    } else {
        1000
    };
    let mut sched = scale(SCHED_DELAY_US + clusters * SCHED_DELAY_PER_CLUSTER_US, warm);
    let mut deser = scale(DESERIALIZE_US + clusters * DESERIALIZE_PER_CLUSTER_US, warm);
    if ctx.cold_executor && ctx.jvm_warmup {
        sched += COLD_SCHED_DELAY_US;
        deser += COLD_DESERIALIZE_US;
    }
    if ctx.first_of_stage {
        deser += FIRST_OF_STAGE_DESERIALIZE_US;
    }
    let sched = scale(scale(sched, ctx.overhead_jitter_permille), slow);
    let deser = scale(scale(deser, ctx.overhead_jitter_permille), slow);
    let pre = sched * SCHED_PRE_PERMILLE / 1000;
    (pre, deser, sched - pre)
}

/// The run phases of a task doing `work` (`compute_ns` already resolved), given where its shuffle
/// blocks and cached block are. `compile_us` is decided by the caller (it depends on other tasks).
pub fn run_phases(
    work: &TaskWork,
    compute_ns: u64,
    fetch: ShuffleFetch,
    cache: CacheRead,
    ctx: &LaunchContext,
    result_stage: bool,
) -> TaskTiming {
    let slow = ctx.slow_pct as u64 * 10;
    let mut t =
        TaskTiming { input_bytes: work.input_bytes, input_records: work.input_records, ..TaskTiming::default() };

    // CPU work: operators, shuffle read deserialisation, cache access.
    let mut cpu_ns = compute_ns
        .saturating_add(work.shuffle_read_records.saturating_mul(SHUFFLE_READ_NS_PER_RECORD))
        .saturating_add(work.shuffle_read_bytes.saturating_mul(SHUFFLE_READ_NS_PER_BYTE));
    // A reducer fetches only the blocks holding its partition: at most one per record read.
    let blocks_read = (fetch.local_blocks as u64 + fetch.remote_blocks as u64).min(work.shuffle_read_records);
    cpu_ns = cpu_ns.saturating_add(blocks_read.saturating_mul(SHUFFLE_READ_PER_BLOCK_US * 1000));
    let mut fetch_ns = fetch.remote_bytes.saturating_mul(REMOTE_FETCH_NS_PER_BYTE);
    let mut fetch_fixed_us =
        if fetch.remote_blocks > 0 { fetch.remote_executors as u64 * REMOTE_FETCH_LATENCY_US } else { 0 };
    if let Some(c) = &work.cache {
        match cache {
            CacheRead::NoCache => {}
            CacheRead::Local => cpu_ns = cpu_ns.saturating_add(c.block_bytes.saturating_mul(CACHE_READ_NS_PER_BYTE)),
            CacheRead::Remote => {
                fetch_ns = fetch_ns.saturating_add(c.block_bytes.saturating_mul(REMOTE_FETCH_NS_PER_BYTE));
                fetch_fixed_us += REMOTE_FETCH_LATENCY_US;
            }
            CacheRead::Miss => {
                cpu_ns = cpu_ns.saturating_add(c.miss_compute_ns);
                t.input_bytes = t.input_bytes.saturating_add(c.miss_input_bytes);
                t.input_records = t.input_records.saturating_add(c.miss_input_records);
            }
        }
    }
    let warm = if ctx.jvm_warmup {
        1000 + COLD_COMPUTE_EXTRA_PERMILLE * WARMUP_BUSY_US / (WARMUP_BUSY_US + ctx.executor_busy_us)
    } else {
        1000
    };
    let mut compute = ns_to_us(cpu_ns) + TASK_BASE_RUN_US;
    compute = scale(scale(scale(compute, warm), ctx.jitter_permille), slow);
    if ctx.cold_executor && ctx.jvm_warmup {
        let cold = if work.input_records > 0 && work.input_bytes == 0 { COLD_RUN_NO_COLUMNS_US } else { COLD_RUN_US };
        compute += scale(scale(cold, ctx.overhead_jitter_permille), slow);
    }
    t.compute_us = compute;
    t.fetch_wait_us = scale(ns_to_us(fetch_ns) + fetch_fixed_us, slow);

    // Shuffle write: serialisation CPU (warm-up and jitter like compute) and the disk part reported as
    // write time.
    // (The per-block file and stream set-up is I/O and allocation, not JIT-bound: no warm-up factor.)
    let write_ns = work
        .shuffle_write_records
        .saturating_mul(SHUFFLE_WRITE_NS_PER_RECORD)
        .saturating_add(work.shuffle_write_bytes.saturating_mul(SHUFFLE_WRITE_NS_PER_BYTE));
    let blocks_written = work.shuffle_write_records.min(BYPASS_MERGE_THRESHOLD);
    t.shuffle_write_us = scale(
        scale(ns_to_us(write_ns), warm).saturating_add(blocks_written * SHUFFLE_WRITE_PER_BLOCK_US),
        ctx.jitter_permille,
    );
    t.shuffle_write_us = scale(t.shuffle_write_us, slow);
    let write_time_ns = work
        .shuffle_write_records
        .saturating_mul(SHUFFLE_WRITE_TIME_NS_PER_RECORD)
        .saturating_add(work.shuffle_write_bytes.saturating_mul(SHUFFLE_WRITE_TIME_NS_PER_BYTE));
    t.shuffle_write_time_ns =
        scale(scale(write_time_ns, ctx.jitter_permille), slow).min(t.shuffle_write_us.saturating_mul(1000));

    // Spill.
    t.spill = memory::spill(work.memory_bytes_needed, ctx.memory_share);
    t.spill_us = scale(ns_to_us(t.spill.extra_ns), slow);

    // Result.
    t.result_size = BASE_RESULT_BYTES + if result_stage { work.result_bytes } else { 0 };
    t.result_ser_us = scale(ns_to_us(t.result_size.saturating_mul(RESULT_SER_NS_PER_BYTE)), slow);
    if t.result_size > MAX_DIRECT_RESULT_BYTES {
        t.getting_result_us = ns_to_us(t.result_size.saturating_mul(GETTING_RESULT_NS_PER_BYTE));
    }

    for phase in [
        &mut t.fetch_wait_us,
        &mut t.compute_us,
        &mut t.shuffle_write_us,
        &mut t.spill_us,
        &mut t.result_ser_us,
        &mut t.getting_result_us,
    ] {
        *phase = (*phase).min(MAX_PHASE_US);
    }
    let run = t.run_us();
    if run >= GC_MIN_RUN_US {
        t.gc_us = scale(run * GC_PERMILLE / 1000, ctx.overhead_jitter_permille);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> LaunchContext {
        LaunchContext {
            cold_executor: false,
            first_of_stage: false,
            executor_busy_us: 100_000 * MS,
            jvm_warmup: true,
            slow_pct: 100,
            jitter_permille: 1000,
            overhead_jitter_permille: 1000,
            memory_share: u64::MAX,
            codegen_clusters: 1,
            executor_tasks_launched: 10_000,
        }
    }

    #[test]
    fn small_reducer_takes_tens_of_ms() {
        // Corpus: 200-task reduce stages of tiny partitions run 15–25 ms per task.
        let w = TaskWork { shuffle_read_bytes: 168, shuffle_read_records: 2, ..TaskWork::default() };
        let c = ctx();
        let (pre, deser, post) = launch_overheads(&c);
        let t = run_phases(&w, 1_000_000, ShuffleFetch::default(), CacheRead::NoCache, &c, true);
        let total = pre + deser + post + t.run_us() + t.result_ser_us;
        assert!((10 * MS..25 * MS).contains(&total), "{total}");
    }

    #[test]
    fn cold_first_scan_task_is_seconds_and_warm_is_faster() {
        // Corpus p_aqe_skew_join stage 0: 750 k rows, 3.9 MB in, 7 MB shuffle written:
        // first wave 2.35 s, second wave 0.97 s.
        let w = TaskWork {
            input_bytes: 3_884_657,
            input_records: 750_000,
            shuffle_write_bytes: 6_983_526,
            shuffle_write_records: 750_000,
            ..TaskWork::default()
        };
        let compute = crate::sim::ops_cost::estimate_compute_ns(&["Scan parquet".into()], 750_000, 3_884_657, 0);
        let mut cold = ctx();
        cold.cold_executor = true;
        cold.first_of_stage = true;
        cold.executor_busy_us = 0;
        let (a, b, c) = launch_overheads(&cold);
        let t = run_phases(&w, compute, ShuffleFetch::default(), CacheRead::NoCache, &cold, false);
        let first = a + b + c + t.run_us() + 2 * CODEGEN_COMPILE_US;
        let mut warm = ctx();
        warm.executor_busy_us = 4_300 * MS;
        let t2 = run_phases(&w, compute, ShuffleFetch::default(), CacheRead::NoCache, &warm, false);
        let second = t2.run_us() + SCHED_DELAY_US + DESERIALIZE_US;
        assert!((1_600 * MS..3_000 * MS).contains(&first), "first {first}");
        assert!((700 * MS..1_300 * MS).contains(&second), "second {second}");
        // Write time metric: corpus 76–109 ms for these tasks.
        assert!((50_000_000..120_000_000).contains(&t2.shuffle_write_time_ns), "{}", t2.shuffle_write_time_ns);
    }

    #[test]
    fn remote_fetch_adds_wait_and_spill_adds_time() {
        let w = TaskWork { shuffle_read_bytes: 100_000_000, memory_bytes_needed: 1 << 30, ..TaskWork::default() };
        let mut c = ctx();
        c.memory_share = 256 << 20;
        let fetch = ShuffleFetch {
            remote_blocks: 10,
            remote_bytes: 100_000_000,
            remote_executors: 3,
            ..ShuffleFetch::default()
        };
        let t = run_phases(&w, 0, fetch, CacheRead::NoCache, &c, false);
        assert_eq!(t.fetch_wait_us, 1_000 * MS + 3 * REMOTE_FETCH_LATENCY_US);
        assert!(t.spill.disk_bytes_spilled > 0 && t.spill_us > 0);
        assert_eq!(t.spill.peak_execution_memory, 256 << 20);
    }

    #[test]
    fn slow_executor_and_jitter_scale_time() {
        let w = TaskWork { input_records: 1_000_000, ..TaskWork::default() };
        let base = run_phases(&w, 200_000_000, ShuffleFetch::default(), CacheRead::NoCache, &ctx(), false);
        let mut s = ctx();
        s.slow_pct = 300;
        let slow = run_phases(&w, 200_000_000, ShuffleFetch::default(), CacheRead::NoCache, &s, false);
        assert_eq!(slow.compute_us, base.compute_us * 3);
        let mut j = ctx();
        j.jitter_permille = 1300;
        let jit = run_phases(&w, 200_000_000, ShuffleFetch::default(), CacheRead::NoCache, &j, false);
        assert_eq!(jit.compute_us, base.compute_us * 13 / 10);
    }

    #[test]
    fn big_results_are_fetched_indirectly() {
        let w = TaskWork { result_bytes: 10 << 20, ..TaskWork::default() };
        let t = run_phases(&w, 0, ShuffleFetch::default(), CacheRead::NoCache, &ctx(), true);
        assert!(t.getting_result_us > 0);
        let t = run_phases(&w, 0, ShuffleFetch::default(), CacheRead::NoCache, &ctx(), false);
        assert_eq!(t.getting_result_us, 0);
    }
}
