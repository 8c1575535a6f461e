//! The bridge from planning to the simulator: turns the executions' jobs and stages (`RunShape`, with
//! each stage's plan in `StageOrigin`) into a `sim::Schedule`:
//! - jobs with their kind and dependencies: AQE query stages after the jobs writing their inputs, a job
//!   after the broadcasts it reads and the cache jobs whose blocks it reads, an action's job after
//!   everything its execution ran before, executions in order;
//! - stages with Spark's ids, `skipped` hints, shuffle ids (one per shuffle exchange in registration
//!   order, shared by skipped re-listings), pipelined operator names and RDD scopes (AQE stages prepared
//!   for codegen as Spark does per query stage);
//! - per-task work: scan splits from the file bin-packing (bytes scaled to the columns read), map output
//!   split over map tasks by their rows, reduce partitions sized by the stage module's map statistics
//!   (`RunShape::shuffle_bytes`, from `distribution`: hot values whole in their hash partition) plus a
//!   block framing per non-empty block, AQE reads as the stage module computed them
//!   (`RunShape::read_bytes`: coalesced groups packed by size, skew-join pieces each reading their
//!   share of the hot partition and the other side's partition whole, local reads per map task),
//!   cached blocks (`CacheUse`);
//! - AQE decisions (`RunShape::decisions`: rule, words, numbers) as `AdaptiveUpdate`s before the job
//!   submitted after their re-plan, and the final adaptive plan after the action's job;
//! - the cluster and simulation options from the scenario (`cluster`, `sim`) and scheduler confs.
//!
//! Knows plans, the data model (`estimate`) and the catalog's statistics; knows nothing of time or of how
//! the simulator schedules (that is `sim`). Approximations: static partition pruning keeps the first
//! `files_selected` files, DPP and Parquet row-group skipping do not shrink scans, block framing of AQE
//! read tasks is spread by their bytes, a reduce task's records follow its bytes, per-task CPU is left
//! to `sim::ops_cost`.

use super::distribution::{coalesce_groups, SHUFFLE_BLOCK_BYTES};
use super::estimate::{Model, SHUFFLE_COMPRESSION};
use super::partitions::num_partitions_with;
use super::RunShape;
use crate::conf::SparkConf;
use crate::error::{Diagnostic, Phase, Result, Span};
use crate::logical::types::DataType;
use crate::physical::codegen::{collapse_codegen_stages, insert_columnar_transitions};
use crate::physical::plan::{BuildSide, Op, SparkPlan};
use crate::physical::scan_partitions::plan_format_file_partitions;
use crate::pipeline::{Action, Execution};
use crate::scenario::Scenario;
use crate::sim::{
    AdaptiveUpdate, CacheUse, ClusterSpec, JobKind, JobSpec, Schedule, SchedulerMode, SimConfig, SlowExecutor,
    StageHint, StageKind, StageSpec, TaskWork, MAX_TASKS,
};
use std::collections::{BTreeMap, BTreeSet};

/// Where a stage of the run shape came from: its execution, the plan it computes (for a map stage the
/// `Exchange` it writes, for a result stage the job's root) and the AQE reads in force when it was formed.
#[derive(Debug, Clone, PartialEq)]
pub struct StageOrigin {
    pub exec: usize,
    pub plan: SparkPlan,
    /// The `plan_id` of the shuffle exchange a map stage writes.
    pub writes: Option<u32>,
    /// AQE reads (shuffle `plan_id` → partitions read) when the stage was formed.
    pub reads: BTreeMap<u32, u32>,
}

/// A shuffle's reduce partitions as `schedule` reads them (`Builder::shuffle_partitions`).
#[derive(Default)]
struct ShufflePartitions {
    /// Bytes per reduce partition, block framing included.
    bytes: Vec<f64>,
    rows: f64,
    /// The stage module's bytes (without framing) in all.
    data_total: f64,
}

fn limit(msg: String) -> Diagnostic {
    Diagnostic::new(Phase::Limit, msg, Span::default())
}

/// Builds the simulator's schedule for the executions of a scenario.
pub fn build(executions: &[Execution], shape: &RunShape, scenario: &Scenario, conf: &SparkConf) -> Result<Schedule> {
    let total: u64 = shape.jobs.iter().flat_map(|j| &j.stages).map(|s| s.num_tasks as u64).sum();
    if total > MAX_TASKS {
        return Err(limit(format!("the run has {total} tasks; the simulator accepts at most {MAX_TASKS}")));
    }
    for o in shape.origins.values() {
        let mut too_big = None;
        o.plan.walk(&mut |p| {
            if let Op::ShuffleExchange { partitioning, .. } = &p.op {
                if partitioning.num_partitions() as u64 > MAX_TASKS {
                    too_big = Some(partitioning.num_partitions());
                }
            }
        });
        if let Some(n) = too_big {
            return Err(limit(format!("a shuffle has {n} partitions; the simulator accepts at most {MAX_TASKS} tasks")));
        }
    }
    let b = Builder { model: Model::new(scenario), scenario, conf, default_parallelism: scenario.cluster.default_parallelism(), shape };
    let origin = |stage_id: u32| shape.origins.get(&stage_id);

    // Shuffle ids in registration (stage creation) order; re-listings of the same exchange share them.
    // (Keyed by task count too: a re-listing with another map count would be a different shuffle to the
    // simulator, which then takes it as already materialised instead of refusing the schedule.)
    let tasks_of: BTreeMap<u32, u32> = crate::sort::map_of(shape.jobs.iter().flat_map(|j| &j.stages).map(|s| (s.stage_id, s.num_tasks)));
    let mut shuffle_ids: BTreeMap<(usize, u32, u32), u32> = BTreeMap::new();
    for (sid, o) in &shape.origins {
        if let Some(pid) = o.writes {
            let n = shuffle_ids.len() as u32;
            shuffle_ids.entry((o.exec, pid, tasks_of.get(sid).copied().unwrap_or(0))).or_insert(n);
        }
    }

    // The execution of each job, and the jobs of each execution.
    let exec_of: Vec<usize> = shape
        .jobs
        .iter()
        .map(|j| j.stages.last().and_then(|s| origin(s.stage_id)).map(|o| o.exec).unwrap_or(0))
        .collect();
    let mut jobs_of_exec: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, e) in exec_of.iter().enumerate() {
        jobs_of_exec.entry(*e).or_default().push(i);
    }

    let mut writer: BTreeMap<(usize, u32), u32> = BTreeMap::new();
    let mut cache_builder: BTreeMap<u32, u32> = BTreeMap::new();
    let mut out = Vec::with_capacity(shape.jobs.len());
    for (i, job) in shape.jobs.iter().enumerate() {
        let exec = exec_of[i];
        let execution = executions.get(exec);
        let siblings = &jobs_of_exec[&exec];
        let is_last = siblings.last() == Some(&i);
        let final_id = job.stages.last().map(|s| s.stage_id);
        // The cache a job over a cached plan itself materialises (AQE: the relation's first use).
        let builds_cache = execution.zip(final_id.and_then(origin)).and_then(|(e, fo)| cache_computed_by(&e.physical.plan, &fo.plan));
        let kind = job_kind(&job.kind, is_last, builds_cache.is_some());
        let builds_cache = builds_cache.filter(|_| kind == JobKind::CacheBuild);
        let mut after: BTreeSet<u32> = BTreeSet::new();
        // Actions in order: the previous execution's last job (which waited for all of its siblings).
        if let Some((_, prev)) = jobs_of_exec.range(..exec).next_back() {
            if let Some(&p) = prev.last() {
                after.insert(shape.jobs[p].job_id);
            }
        }
        // The action's job waits for everything its execution ran before it (broadcasts, subqueries,
        // sampling, AQE query stages).
        if is_last {
            for &s in siblings.iter().filter(|&&s| s < i) {
                after.insert(shape.jobs[s].job_id);
            }
        }
        let action = execution.map(|e| action_name(&e.action)).unwrap_or("collect");
        let src = execution.map(|e| e.source.as_str()).unwrap_or("query");
        let mut stages = Vec::with_capacity(job.stages.len());
        let mut caches_touched = vec![];
        // The AQE decisions taken in the re-plan before this job, as the stage module took them.
        let aqe_before = aqe_updates(shape, exec, job.job_id);
        for st in &job.stages {
            let Some(o) = origin(st.stage_id) else {
                return Err(Diagnostic::new(Phase::Simulation, format!("stage {} has no plan", st.stage_id), Span::default()));
            };
            let skipped = st.status == "skipped";
            let is_map = o.writes.is_some();
            let stage_kind = if is_map { StageKind::ShuffleMap } else { StageKind::Result };
            let shuffle_id = o.writes.and_then(|pid| shuffle_ids.get(&(o.exec, pid, st.num_tasks)).copied());
            if let Some(pid) = o.writes {
                if skipped {
                    if let Some(w) = writer.get(&(o.exec, pid)) {
                        if *w != job.job_id {
                            after.insert(*w);
                        }
                    }
                } else {
                    writer.entry((o.exec, pid)).or_insert(job.job_id);
                }
            }
            let root = pipeline_root(o);
            let mut view = PipelineView::default();
            b.view(root, &cache_builder, &mut view);
            let (operators, scopes) = b.names(root, &view, &cache_builder);
            if !skipped {
                // A job waits for the broadcasts its stages read (earlier broadcast jobs of its execution
                // over the same plan) and the caches other jobs built.
                for bx in &view.broadcasts {
                    let built_by = shape.jobs.iter().enumerate().take(i).filter(|(k, other)| {
                        exec_of[*k] == exec
                            && other.kind == "broadcast_build"
                            && other.stages.last().and_then(|s| origin(s.stage_id)).map(|fo| &fo.plan) == bx.children.first()
                    });
                    after.extend(built_by.map(|(_, other)| other.job_id));
                }
                for c in &view.caches_read {
                    if let Some(&k) = cache_builder.get(c) {
                        if k != job.job_id {
                            after.insert(k);
                        }
                    }
                }
                caches_touched.extend(view.caches_built.iter().copied());
            }
            let mut spec = StageSpec {
                stage_id: st.stage_id,
                kind: if Some(st.stage_id) == final_id && kind != JobKind::MapStageOnly { StageKind::Result } else { stage_kind },
                name: format!("{action} at {src}:1"),
                num_tasks: st.num_tasks,
                parent_ids: st.parent_ids.clone(),
                status_hint: if skipped { StageHint::Skipped } else { StageHint::Run },
                rdd_scopes: scopes,
                operators,
                codegen_clusters: None,
                shuffle_id_written: if is_map { shuffle_id } else { None },
                shuffle_ids_read: vec![],
                tasks: vec![],
            };
            if is_map {
                spec.kind = StageKind::ShuffleMap;
                // The writing side of the exchange ends every map stage.
                spec.operators.push("Exchange".into());
                push_unique(&mut spec.rdd_scopes, "Exchange");
            }
            if !skipped || is_map {
                spec.tasks = b.task_work(o, root, &view, &cache_builder, st.num_tasks, execution.map(|e| &e.action), Some(st.stage_id) == final_id);
                if let (Some(id), true) = (builds_cache, Some(st.stage_id) == final_id) {
                    let block = b.model.rows(root) * b.model.row_bytes(&root.output()) / st.num_tasks.max(1) as f64;
                    for t in &mut spec.tasks {
                        t.cache = Some(CacheUse { rdd_id: id, block_bytes: block.max(0.0) as u64, ..CacheUse::default() });
                    }
                    caches_touched.push(id);
                }
            }
            stages.push(spec);
        }
        for c in caches_touched {
            cache_builder.entry(c).or_insert(job.job_id);
        }
        after.remove(&job.job_id);
        // The adaptive plan is final once the action's job has run.
        let aqe_after = match execution {
            Some(e) if is_last && is_adaptive(&e.physical.plan) => {
                let reads = shape.reads.get(exec).cloned().unwrap_or_default();
                let (_, final_reads) = super::final_plan(&shape.adaptive_plan(exec, &e.physical.plan), &reads);
                let mut why: Vec<String> = final_reads.iter().map(|(d, n)| format!("AQEShuffleRead {d}: {n} partitions")).collect();
                if why.is_empty() {
                    why.push("no shuffle read was changed".into());
                }
                let mut updates = aqe_updates(shape, exec, super::AFTER_LAST_JOB);
                updates.push(AdaptiveUpdate { execution_id: exec as u32, description: "AdaptiveSparkPlan isFinalPlan=true".into(), why });
                updates
            }
            _ => vec![],
        };
        out.push(JobSpec {
            job_id: job.job_id,
            kind,
            sql_execution_id: Some(exec as u32),
            description: execution.map(|e| e.description.clone()).unwrap_or_default(),
            after_jobs: after.into_iter().collect(),
            submit_delay_ms: None,
            aqe_before,
            aqe_after,
            stages,
        });
    }
    Ok(Schedule { jobs: out, cluster: cluster_spec(scenario, conf), options: sim_config(scenario, conf) })
}

/// The AQE decisions of execution `exec` taken right before job `job_id` was submitted, as updates
/// (`rule: description`, then the numbers by name).
fn aqe_updates(shape: &RunShape, exec: usize, job_id: u32) -> Vec<AdaptiveUpdate> {
    let (Some(ds), Some(at)) = (shape.decisions.get(exec), shape.decision_jobs.get(exec)) else { return vec![] };
    ds.iter()
        .zip(at)
        .filter(|(_, j)| **j == job_id)
        .map(|(d, _)| AdaptiveUpdate {
            execution_id: exec as u32,
            description: format!("{}: {}", d.rule, d.description),
            why: d.numbers.iter().map(|(k, v)| format!("{k} = {v}")).collect(),
        })
        .collect()
}

/// The cache whose plan `cached_plan` is (an `InMemoryTableScan` of `plan` over exactly that plan).
fn cache_computed_by(plan: &SparkPlan, cached_plan: &SparkPlan) -> Option<u32> {
    let mut found = None;
    walk_all(plan, &mut |p| {
        if let Op::InMemoryTableScan { cached, cache_id, .. } = &p.op {
            if found.is_none() && cached.as_ref() == cached_plan {
                found = Some(*cache_id);
            }
        }
    });
    found
}

fn is_adaptive(p: &SparkPlan) -> bool {
    p.any(&|n| matches!(n.op, Op::AdaptiveSparkPlan { .. }))
}

/// The simulator's job kind for a run-shape job kind (`is_last`: the execution's action job;
/// `over_cached_plan`: the job computes a cached relation's plan itself).
fn job_kind(kind: &str, is_last: bool, over_cached_plan: bool) -> JobKind {
    match kind {
        "shuffle_map_stage_only (AQE query stage)" => JobKind::MapStageOnly,
        "broadcast_build" => JobKind::Broadcast,
        "range_partitioner_sampling" => JobKind::Sampling,
        "scalar_subquery" => JobKind::ScalarSubquery,
        // Under AQE a cached relation's first use is a job of its own before the query's stages;
        // otherwise a result job before the action's is a scalar subquery's.
        "result" if !is_last && over_cached_plan => JobKind::CacheBuild,
        "result" if !is_last => JobKind::ScalarSubquery,
        _ => JobKind::Result,
    }
}

fn action_name(a: &Action) -> &'static str {
    match a {
        Action::Collect => "collect",
        Action::Show(_) => "showString",
        Action::Count | Action::CacheMaterialize => "count",
        Action::WriteNoop => "save",
    }
}

/// The executors from the scenario's cluster (`spark.task.cpus` from the confs, slow executors from `sim`).
pub fn cluster_spec(scenario: &Scenario, conf: &SparkConf) -> ClusterSpec {
    let c = &scenario.cluster;
    ClusterSpec {
        executors: c.executors,
        cores_per_executor: c.cores_per_executor,
        task_cpus: conf.get("spark.task.cpus").and_then(|v| v.trim().parse().ok()).unwrap_or(1),
        executor_memory_mb: c.executor_memory_mb,
        slow_executors: scenario
            .sim
            .slow_executors
            .iter()
            .map(|s| SlowExecutor { executor: s.executor, time_pct: s.time_pct })
            .collect(),
    }
}

/// Simulation options from the scenario's `sim` section and the Spark confs that steer the scheduler.
pub fn sim_config(scenario: &Scenario, conf: &SparkConf) -> SimConfig {
    let s = &scenario.sim;
    let d = SimConfig::default();
    let f = |k: &str, dflt: f64| conf.get(k).and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(dflt);
    SimConfig {
        seed: s.seed,
        jitter_pct: s.jitter_pct.unwrap_or(d.jitter_pct),
        speculation: s.speculation || conf.get_bool("spark.speculation"),
        speculation_multiplier: f("spark.speculation.multiplier", d.speculation_multiplier),
        speculation_quantile: f("spark.speculation.quantile", d.speculation_quantile),
        task_max_failures: conf.get("spark.task.maxFailures").and_then(|v| v.trim().parse().ok()).unwrap_or(d.task_max_failures),
        task_failure_rate: s.task_failure_rate,
        kill_executor: s.kill_executor.as_ref().map(|k| crate::sim::KillExecutor { executor: k.executor, at_ms: k.at_ms }),
        scheduler_mode: if conf.get("spark.scheduler.mode").map(|m| m.trim().eq_ignore_ascii_case("FAIR")).unwrap_or(false) {
            SchedulerMode::Fair
        } else {
            SchedulerMode::Fifo
        },
        memory_fraction: f("spark.memory.fraction", d.memory_fraction),
        memory_storage_fraction: f("spark.memory.storageFraction", d.memory_storage_fraction),
        ..d
    }
}

/// The node whose partitions a stage's tasks compute: below a map stage's exchange, else the root.
fn pipeline_root(o: &StageOrigin) -> &SparkPlan {
    match (&o.plan.op, o.writes) {
        (Op::ShuffleExchange { .. }, Some(_)) => o.plan.children.first().unwrap_or(&o.plan),
        _ => &o.plan,
    }
}

/// What one stage's pipeline holds (not crossing shuffle or broadcast exchanges).
#[derive(Default)]
struct PipelineView<'p> {
    operators: Vec<String>,
    scopes: Vec<String>,
    broadcasts: Vec<&'p SparkPlan>,
    /// Materialised caches the stage reads.
    caches_read: Vec<u32>,
    /// Caches the stage computes (first use).
    caches_built: Vec<u32>,
    /// Shuffle exchanges the stage reads (`plan_id`, the exchange).
    shuffles: Vec<(u32, &'p SparkPlan)>,
}

/// One task's data before it becomes a `TaskWork` (f64 so shares add up without rounding drift).
#[derive(Debug, Clone, Default, PartialEq)]
struct Part {
    input_bytes: f64,
    input_records: f64,
    read_bytes: f64,
    read_records: f64,
    /// Rows read from a cached block.
    cache_records: f64,
    cache: Option<CacheUse>,
}

impl Part {
    fn rows(&self) -> f64 {
        self.input_records + self.read_records + self.cache_records
    }
    fn add(&mut self, o: &Part) {
        self.input_bytes += o.input_bytes;
        self.input_records += o.input_records;
        self.read_bytes += o.read_bytes;
        self.read_records += o.read_records;
        self.cache_records += o.cache_records;
        if self.cache.is_none() {
            self.cache = o.cache.clone();
        }
    }
}

struct Builder<'a> {
    model: Model<'a>,
    shape: &'a RunShape,
    scenario: &'a Scenario,
    conf: &'a SparkConf,
    default_parallelism: u32,
}

impl<'a> Builder<'a> {
    /// Post-order walk of a stage's pipeline: operators (Spark names), RDD scopes, boundaries.
    fn view<'p>(&self, p: &'p SparkPlan, caches: &BTreeMap<u32, u32>, v: &mut PipelineView<'p>) {
        match &p.op {
            Op::ShuffleExchange { plan_id, .. } => {
                v.shuffles.push((*plan_id, p));
                push_unique(&mut v.scopes, "Exchange");
                push_unique(&mut v.operators, "Exchange");
                return;
            }
            Op::ReusedExchange { reused, .. } => {
                match &reused.op {
                    Op::ShuffleExchange { .. } => self.view(reused, caches, v),
                    _ => v.broadcasts.push(reused),
                }
                return;
            }
            Op::BroadcastExchange { .. } => {
                v.broadcasts.push(p);
                return;
            }
            Op::InMemoryTableScan { cached, cache_id, .. } => {
                if caches.contains_key(cache_id) {
                    v.caches_read.push(*cache_id);
                    v.operators.push("InMemoryTableScan".into());
                    push_unique(&mut v.scopes, "InMemoryTableScan");
                } else {
                    v.caches_built.push(*cache_id);
                    self.view(cached, caches, v);
                    v.operators.push("InMemoryRelation".into());
                    v.operators.push("InMemoryTableScan".into());
                    push_unique(&mut v.scopes, "InMemoryTableScan");
                }
                return;
            }
            _ => {}
        }
        for s in &p.subqueries {
            collect_broadcasts(s, &mut v.broadcasts);
        }
        for c in &p.children {
            self.view(c, caches, v);
        }
        match &p.op {
            Op::WholeStageCodegen { id } => v.scopes.push(format!("WholeStageCodegen ({id})")),
            Op::InputAdapter | Op::AdaptiveSparkPlan { .. } => {}
            Op::FileSourceScan(_) => {
                let name = p.node_name();
                push_unique(&mut v.scopes, &name);
                v.operators.push(name.trim_end().to_string());
            }
            // The operator's class name: `SortMergeJoin(skew=true)` costs as a SortMergeJoin.
            _ => {
                let name = p.node_name();
                v.operators.push(name.split('(').next().unwrap_or(&name).trim_end().to_string())
            }
        }
    }

    /// The stage's operator names and RDD scopes. AQE plans get their columnar transitions and codegen per
    /// query stage, so a pipeline without codegen clusters is prepared as Spark would before naming it.
    fn names(&self, root: &SparkPlan, view: &PipelineView<'_>, caches: &BTreeMap<u32, u32>) -> (Vec<String>, Vec<String>) {
        if self.conf.get_bool("spark.sql.codegen.wholeStage") && !root.any(&|p| matches!(p.op, Op::WholeStageCodegen { .. })) {
            let prepared = collapse_codegen_stages(insert_columnar_transitions(root.clone()));
            let mut v = PipelineView::default();
            self.view(&prepared, caches, &mut v);
            (v.operators, v.scopes)
        } else {
            (view.operators.clone(), view.scopes.clone())
        }
    }

    /// Per-task work of a stage with `num_tasks` tasks computing `root`.
    #[allow(clippy::too_many_arguments)]
    fn task_work(
        &self,
        o: &StageOrigin,
        root: &SparkPlan,
        view: &PipelineView<'_>,
        caches: &BTreeMap<u32, u32>,
        num_tasks: u32,
        action: Option<&Action>,
        is_final: bool,
    ) -> Vec<TaskWork> {
        let mut parts = self.parts(root, o.exec, &o.reads, caches);
        parts.resize(num_tasks.max(1) as usize, Part::default());
        let rows_total: f64 = parts.iter().map(Part::rows).sum();
        let n = parts.len() as f64;
        let share = |p: &Part| if rows_total > 0.0 { p.rows() / rows_total } else { 1.0 / n };
        // Map output: the exchange's bytes and rows, split by the rows each task processes.
        let (write_bytes, write_rows) = match (&o.plan.op, o.writes) {
            (Op::ShuffleExchange { .. }, Some(_)) => {
                let sp = self.shuffle_partitions(&o.plan, o.exec, &o.reads);
                (sp.bytes.iter().sum(), sp.rows)
            }
            _ => (0.0, 0.0),
        };
        // Result rows sent to the driver (collect/show), or written (writes).
        let written = find(root, &|p| matches!(p.op, Op::WriteFiles)).and_then(|w| w.children.first());
        let (result_bytes, output_rows, output_bytes) = if let (Some(w), true) = (written, o.writes.is_none()) {
            // File writes: the rows of the write's input, Parquet-compressed like shuffle blocks.
            let rows = self.model.rows(w);
            (0.0, rows, rows * self.model.row_bytes(&w.output()) * SHUFFLE_COMPRESSION)
        } else if is_final && o.writes.is_none() {
            let rows = self.model.rows(root);
            let width = self.model.row_bytes(&root.output());
            match action {
                Some(Action::Collect) | Some(Action::Show(_)) => (rows * width, 0.0, 0.0),
                Some(Action::WriteNoop) | Some(Action::Count) | Some(Action::CacheMaterialize) | None => (0.0, 0.0, 0.0),
            }
        } else {
            (0.0, 0.0, 0.0)
        };
        let sorts = view.operators.iter().any(|o| {
            matches!(crate::sim::ops_cost::op_kind(o), "Sort" | "ShuffledHashJoin" | "HashAggregate" | "ObjectHashAggregate" | "Window")
        });
        let round = |x: f64| if x.is_finite() && x > 0.0 { x.round().min(u64::MAX as f64 / 4.0) as u64 } else { 0 };
        let tasks: Vec<TaskWork> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let s = share(p);
                TaskWork {
                    partition: i as u32,
                    input_bytes: round(p.input_bytes),
                    input_records: round(p.input_records),
                    shuffle_read_bytes: round(p.read_bytes),
                    shuffle_read_records: round(p.read_records),
                    shuffle_write_bytes: round(write_bytes * s),
                    shuffle_write_records: round(write_rows * s),
                    output_bytes: round(output_bytes * s),
                    output_records: round(output_rows * s),
                    result_bytes: round(result_bytes * s),
                    compute_ns: None,
                    memory_bytes_needed: if sorts { round(p.read_bytes / SHUFFLE_COMPRESSION) } else { 0 },
                    cache: p.cache.clone(),
                }
            })
            .collect();
        // Uniform stages keep one entry (the simulator uses it for every partition).
        let first = tasks.first().map(|t| TaskWork { partition: 0, ..t.clone() });
        if tasks.len() > 1 && tasks.iter().all(|t| Some(&TaskWork { partition: 0, ..t.clone() }) == first.as_ref()) {
            return first.into_iter().collect();
        }
        tasks
    }

    /// The data of each partition `p` produces, following the partitions its tasks compute (scans' file
    /// splits, shuffle reads, unions concatenating, joins following their streamed side).
    fn parts(&self, p: &SparkPlan, exec: usize, reads: &BTreeMap<u32, u32>, caches: &BTreeMap<u32, u32>) -> Vec<Part> {
        let child = |i: usize| p.children.get(i).map(|c| self.parts(c, exec, reads, caches)).unwrap_or_else(|| vec![Part::default()]);
        match &p.op {
            Op::FileSourceScan(_) => self.scan_parts(p),
            Op::LocalTableScan { .. } | Op::Range { .. } | Op::OneRowRelation => {
                let n = num_partitions_with(p, reads).max(1) as usize;
                let rows = self.model.rows(p) / n as f64;
                vec![Part { input_records: rows, ..Part::default() }; n]
            }
            Op::ShuffleExchange { plan_id, .. } => {
                let ShufflePartitions { bytes, rows, data_total } = self.shuffle_partitions(p, exec, reads);
                let total: f64 = bytes.iter().sum();
                let part = |b: f64| Part { read_bytes: b, read_records: if total > 0.0 { rows * b / total } else { 0.0 }, ..Part::default() };
                let n = bytes.len();
                // An AQE read (coalesced by size, skew-join pieces, local reads per map task) reads what
                // the stage module computed for each of its tasks (the blocks' framing spread by bytes).
                let aqe = self.shape.read_bytes.get(exec).and_then(|m| m.get(plan_id));
                let framing = if data_total > 0.0 { total / data_total } else { 1.0 };
                match reads.get(plan_id) {
                    Some(&m) if aqe.is_some_and(|rb| rb.len() == m as usize) => aqe.into_iter().flatten().map(|b| part(*b as f64 * framing)).collect(),
                    Some(&m) if (m as usize) < n => coalesce_groups(n as u32, m).into_iter().map(|r| part(bytes[r].iter().sum())).collect(),
                    _ => bytes.iter().map(|b| part(*b)).collect(),
                }
            }
            Op::ReusedExchange { reused, .. } => self.parts(reused, exec, reads, caches),
            Op::BroadcastExchange { .. } => vec![Part::default()],
            Op::InMemoryTableScan { cached, cache_id, .. } => {
                let materialised = caches.contains_key(cache_id);
                let mut parts = self.parts(cached, exec, reads, caches);
                let n_parts = parts.len().max(1) as f64;
                let rows = self.model.rows(cached);
                let block = rows * self.model.row_bytes(&cached.output()) / parts.len().max(1) as f64;
                for part in &mut parts {
                    let mut c = CacheUse { rdd_id: *cache_id, block_bytes: block.max(0.0) as u64, ..CacheUse::default() };
                    if materialised {
                        // Reading the block; a lost block is recomputed from the cached plan's input.
                        c.miss_input_bytes = part.input_bytes as u64;
                        c.miss_input_records = part.input_records as u64;
                        // Recomputing a lost block: the scan and the `InMemoryRelation` build (ops_cost:
                        // ~0.1 + 0.7 µs per row).
                        c.miss_compute_ns = (part.input_records.max(0.0) as u64).saturating_mul(800);
                        *part = Part { cache: Some(c), cache_records: rows / n_parts, ..Part::default() };
                    } else {
                        part.cache = Some(c);
                    }
                }
                parts
            }
            Op::Union => {
                let mut v = vec![];
                for c in &p.children {
                    v.extend(self.parts(c, exec, reads, caches));
                }
                v
            }
            Op::Coalesce { n } => {
                let c = child(0);
                let m = (*n).clamp(1, c.len().max(1) as u32);
                coalesce_groups(c.len() as u32, m).into_iter().map(|r| sum_parts(&c[r])).collect()
            }
            Op::BroadcastHashJoin(j) => child(if j.build_side == BuildSide::BuildLeft { 1 } else { 0 }),
            Op::BroadcastNestedLoopJoin(j) => child(if j.build_side == BuildSide::BuildLeft { 1 } else { 0 }),
            Op::SortMergeJoin(_) | Op::ShuffledHashJoin(_) => {
                let (mut l, r) = (child(0), child(1));
                if l.len() < r.len() {
                    l.resize(r.len(), Part::default());
                }
                for (a, b) in l.iter_mut().zip(r.iter()) {
                    a.add(b);
                }
                l
            }
            Op::TakeOrderedAndProject { .. } | Op::CollectLimit { .. } => child(0),
            _ if p.children.is_empty() => vec![Part::default()],
            _ => child(0),
        }
    }

    /// A shuffle's reduce partitions: their bytes (`MapOutputStatistics.bytesByPartitionId` as the
    /// stage module computed it, `RunShape::shuffle_bytes`, plus `SHUFFLE_BLOCK_BYTES` per non-empty
    /// block, which the model's sizes leave out; evenly spread model bytes for a shuffle that never ran)
    /// and rows. Map and reduce sides both use it, so what is written is what is read.
    fn shuffle_partitions(&self, exchange: &SparkPlan, exec: usize, reads: &BTreeMap<u32, u32>) -> ShufflePartitions {
        let Some(child) = exchange.children.first() else { return ShufflePartitions::default() };
        let Op::ShuffleExchange { plan_id, partitioning, .. } = &exchange.op else { return ShufflePartitions::default() };
        let n = partitioning.num_partitions().max(1) as usize;
        let rows = self.model.rows(child);
        let data: Vec<f64> = match self.shape.shuffle_bytes.get(exec).and_then(|m| m.get(plan_id)) {
            Some(b) => b.iter().map(|x| *x as f64).collect(),
            None => vec![self.model.shuffle_bytes(child) / n as f64; n],
        };
        let data_total: f64 = data.iter().sum();
        let maps = num_partitions_with(child, reads).max(1) as f64;
        let bytes: Vec<f64> = data
            .iter()
            .map(|b| {
                let rows_here = if data_total > 0.0 { rows * b / data_total } else { 0.0 };
                b + SHUFFLE_BLOCK_BYTES * rows_here.round().min(maps)
            })
            .collect();
        ShufflePartitions { bytes, rows, data_total }
    }

    /// A file scan's tasks: the bin-packed splits' rows and bytes (bytes scaled to the columns read).
    fn scan_parts(&self, p: &SparkPlan) -> Vec<Part> {
        let Op::FileSourceScan(s) = &p.op else { return vec![] };
        let Some(t) = self.scenario.table(&s.table) else { return vec![Part::default(); s.num_partitions.max(1)] };
        let files: Vec<&crate::scenario::DataFile> = t.files.iter().take(s.files_selected).collect();
        let fp = plan_format_file_partitions(&s.format, &files, self.conf, self.default_parallelism);
        let col_fraction = column_fraction(t, &s.read_schema);
        let known_rows: u64 = fp.rows();
        let total_rows = self.model.rows(p);
        let total_bytes: u64 = fp.partitions.iter().map(|q| q.bytes_read).sum();
        let mut parts: Vec<Part> = fp
            .partitions
            .iter()
            .map(|q| {
                let rows = if known_rows > 0 {
                    q.rows as f64
                } else if total_bytes > 0 {
                    total_rows * q.bytes_read as f64 / total_bytes as f64
                } else {
                    0.0
                };
                Part { input_bytes: q.bytes_read as f64 * col_fraction, input_records: rows, ..Part::default() }
            })
            .collect();
        parts.resize(s.num_partitions.max(1), Part::default());
        parts
    }

}

/// The first node of `p`'s pipeline (not crossing exchanges) matching `pred`.
fn find<'p>(p: &'p SparkPlan, pred: &dyn Fn(&SparkPlan) -> bool) -> Option<&'p SparkPlan> {
    if pred(p) {
        return Some(p);
    }
    if matches!(p.op, Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. } | Op::ReusedExchange { .. }) {
        return None;
    }
    p.children.iter().find_map(|c| find(c, pred))
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

fn collect_broadcasts<'p>(p: &'p SparkPlan, out: &mut Vec<&'p SparkPlan>) {
    match &p.op {
        Op::BroadcastExchange { .. } => out.push(p),
        Op::ReusedExchange { reused, .. } if matches!(reused.op, Op::BroadcastExchange { .. }) => out.push(reused),
        Op::ShuffleExchange { .. } => {}
        _ => {
            for s in &p.subqueries {
                collect_broadcasts(s, out);
            }
            for c in &p.children {
                collect_broadcasts(c, out);
            }
        }
    }
}

fn sum_parts(parts: &[Part]) -> Part {
    let mut acc = Part::default();
    for p in parts {
        acc.add(p);
    }
    acc
}

/// Share of the read columns in the table's row width (Parquet reads only their column chunks).
fn column_fraction(t: &crate::scenario::Table, read: &[crate::logical::expr::Attribute]) -> f64 {
    let width = |ty: &str| DataType::parse(ty).map(|d| d.default_size()).unwrap_or(8) as f64;
    let all: f64 = t.columns.iter().map(|c| width(&c.data_type)).sum();
    if all <= 0.0 {
        return 1.0;
    }
    let got: f64 = read.iter().map(|a| a.dtype.default_size() as f64).sum();
    (got / all).clamp(0.0, 1.0)
}

/// Pre-order walk entering reused exchanges and cached plans.
fn walk_all(p: &SparkPlan, f: &mut dyn FnMut(&SparkPlan)) {
    f(p);
    match &p.op {
        Op::ReusedExchange { reused, .. } => walk_all(reused, f),
        Op::InMemoryTableScan { cached, .. } => walk_all(cached, f),
        _ => {}
    }
    for c in &p.children {
        walk_all(c, f);
    }
}

