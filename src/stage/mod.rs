//! Jobs and stages as Spark's DAGScheduler forms them from physical plans. Stages are cut at shuffle
//! exchanges (a `ShuffleMapStage` per shuffle, a `ResultStage` per job); broadcasts, range-partitioner
//! sampling and CollectLimit's first take are jobs of their own. With AQE every shuffle and broadcast
//! query stage is a job (`submitMapStage`), submitted leaves first, and later jobs re-list already
//! materialised ancestors under new stage ids as skipped; reduce stages read coalesced partitions
//! (`CoalesceShufflePartitions` over per-partition sizes from `distribution`). After each round of
//! materialised stages the plan is re-planned as AQE does (`adaptive` module): identical exchanges are
//! reused, a stage that wrote no row empties the operators above it (`empty_relation`), a sort-merge
//! join whose materialised side is small becomes a broadcast hash join read through local shuffle
//! reads, skewed join partitions are split, oversized partitions of a `REBALANCE` shuffle are read in
//! map ranges (`rebalance`), and a range exchange first runs its sampling job. Every AQE decision is kept with its numbers (`RunShape::decisions`) and the job it
//! precedes (`RunShape::decision_jobs`); `schedule` builds task work and AQE updates from these alone.
//! Knows plans, confs and the data model; knows nothing of time (that is `sim`).

pub mod adaptive;
pub mod aqe;
pub mod distribution;
pub mod empty_relation;
pub mod estimate;
pub mod hot_keys;
pub mod partitions;
pub mod rdd;
pub mod rdd_cost;
pub mod rdd_merge;
pub mod rebalance;
pub mod schedule;

use crate::conf::SparkConf;
use crate::physical::partitioning::{Partitioning, ShuffleOrigin};
use crate::physical::plan::{JoinDecision, Op, SparkPlan};
use crate::pipeline::Execution;
use crate::report::{JobReport, StageReport};
use crate::scenario::Scenario;
use estimate::Model;
use partitions::num_partitions_with;
use std::collections::{BTreeMap, BTreeSet};

/// `RunShape::decision_jobs` entry of a decision taken after the execution's last job (its re-plan
/// left nothing to run, e.g. `AQEPropagateEmptyRelation` emptied the whole plan).
pub const AFTER_LAST_JOB: u32 = u32::MAX;

/// A shuffle's identity within a run: (execution index, the exchange's `plan_id`).
type ShuffleKey = (usize, u32);

struct Run<'a> {
    model: Model<'a>,
    conf: &'a SparkConf,
    default_parallelism: u32,
    jobs: Vec<JobReport>,
    next_stage: u32,
    /// Cached relations already materialised (by cache id).
    caches: BTreeSet<u32>,
    exec: usize,
    /// Shuffles whose map output exists.
    done: BTreeSet<ShuffleKey>,
    /// Broadcasts already built (by `plan_id`).
    broadcasts: BTreeSet<ShuffleKey>,
    /// AQE reads: the partition count a consumer reads of each shuffle.
    reads: BTreeMap<u32, u32>,
    /// Where each stage came from (for `schedule`).
    origins: BTreeMap<u32, schedule::StageOrigin>,
    /// The AQE reads of each execution, once it finished.
    reads_by_exec: Vec<BTreeMap<u32, u32>>,
    /// AQE decisions of the current execution, and of each finished one.
    decisions: Vec<aqe::AqeDecision>,
    decisions_by_exec: Vec<Vec<aqe::AqeDecision>>,
    /// For each decision of the current execution, and of each finished one: the job it precedes.
    decision_jobs: Vec<u32>,
    decision_jobs_by_exec: Vec<Vec<u32>>,
    /// Joins AQE re-planned in the current execution, and in each finished one.
    join_changes: Vec<JoinChange>,
    join_changes_by_exec: Vec<Vec<JoinChange>>,
    /// The adaptive plan body after the run, per execution (`None`: not adaptive).
    plans_by_exec: Vec<Option<SparkPlan>>,
    /// The next `plan_id` for exchanges AQE adds.
    next_plan_id: u32,
    /// Map output sizes of each shuffle that ran, and bytes per AQE read partition (current execution).
    shuffle_bytes: BTreeMap<u32, Vec<u64>>,
    read_bytes: BTreeMap<u32, Vec<u64>>,
    shuffle_bytes_by_exec: Vec<BTreeMap<u32, Vec<u64>>>,
    read_bytes_by_exec: Vec<BTreeMap<u32, Vec<u64>>>,
    /// The partition specs of each coalesced or skew-split AQE read (current execution, each finished one).
    read_specs: Vec<(u32, Vec<aqe::Spec>)>,
    read_specs_by_exec: Vec<Vec<(u32, Vec<aqe::Spec>)>>,
}

/// A join AQE re-planned at runtime: the initial decision and what it became.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinChange {
    pub before: JoinDecision,
    pub after: JoinDecision,
    /// OptimizeSkewedJoin split some of its partitions.
    pub skew: bool,
    /// AQEPropagateEmptyRelation replaced the join (`before` is the join as it then was).
    pub removed: bool,
}

/// What running the executions looks like to the DAGScheduler.
#[derive(Debug, Clone, Default)]
pub struct RunShape {
    pub jobs: Vec<JobReport>,
    /// For each execution, the partition count AQE reads of each coalesced shuffle (by `plan_id`).
    pub reads: Vec<BTreeMap<u32, u32>>,
    /// Each stage's plan and execution, by stage id (what `schedule` turns into task work).
    pub origins: BTreeMap<u32, schedule::StageOrigin>,
    /// For each execution, the AQE decisions in the order they were taken, each with its numbers.
    pub decisions: Vec<Vec<aqe::AqeDecision>>,
    /// For each execution, parallel to `decisions`: the id of the job submitted after each decision's
    /// re-plan (where `schedule` announces it), or `AFTER_LAST_JOB`.
    pub decision_jobs: Vec<Vec<u32>>,
    /// For each execution, the joins AQE re-planned (SMJ → BHJ, skew splits).
    pub join_changes: Vec<Vec<JoinChange>>,
    /// For each execution, the adaptive plan's body after the run (`None` when AQE did not wrap it):
    /// re-planned joins, local and skewed reads as `AqeShuffleRead` nodes; coalesced reads are in
    /// `reads`. `adaptive_plan` puts it back under the `AdaptiveSparkPlan` root.
    pub plans: Vec<Option<SparkPlan>>,
    /// For each execution, `MapOutputStatistics.bytesByPartitionId` of every shuffle that ran (by
    /// `plan_id`; compressed bytes as MapStatus reports them): where the hot keys' partitions are.
    pub shuffle_bytes: Vec<BTreeMap<u32, Vec<u64>>>,
    /// For each execution, the bytes each task of an AQE read reads (by the shuffle's `plan_id`), when
    /// AQE changed the read (coalesced, skew splits, local reads).
    pub read_bytes: Vec<BTreeMap<u32, Vec<u64>>>,
    /// For each execution, the specs each task of a coalesced or skew-split AQE read reads (with the
    /// shuffle's `plan_id`): which read task holds a reduce partition.
    pub read_specs: Vec<Vec<(u32, Vec<aqe::Spec>)>>,
}

impl RunShape {
    /// The plan of execution `i` after AQE re-planned it (still to be passed to `final_plan` with
    /// `reads[i]`); `initial` when AQE did not change it.
    pub fn adaptive_plan(&self, i: usize, initial: &SparkPlan) -> SparkPlan {
        match self.plans.get(i).and_then(|p| p.as_ref()) {
            Some(body) => replace_adaptive_body(initial, body),
            None => initial.clone(),
        }
    }
}

fn replace_adaptive_body(p: &SparkPlan, body: &SparkPlan) -> SparkPlan {
    if matches!(p.op, Op::AdaptiveSparkPlan { .. }) {
        let mut out = p.clone();
        out.children = vec![body.clone()];
        return out;
    }
    let mut out = p.clone();
    out.children = p.children.iter().map(|c| replace_adaptive_body(c, body)).collect();
    out
}

/// Every job the executions cause, in submission order.
pub fn jobs_for(executions: &[Execution], scenario: &Scenario, conf: &SparkConf) -> Vec<JobReport> {
    run_shape(executions, scenario, conf).jobs
}

/// Jobs, stages and AQE reads of the executions.
pub fn run_shape(executions: &[Execution], scenario: &Scenario, conf: &SparkConf) -> RunShape {
    let mut run = Run {
        model: Model::new(scenario),
        conf,
        default_parallelism: scenario.cluster.default_parallelism(),
        jobs: vec![],
        next_stage: 0,
        caches: BTreeSet::new(),
        exec: 0,
        done: BTreeSet::new(),
        broadcasts: BTreeSet::new(),
        reads: BTreeMap::new(),
        reads_by_exec: vec![],
        origins: BTreeMap::new(),
        decisions: vec![],
        decisions_by_exec: vec![],
        decision_jobs: vec![],
        decision_jobs_by_exec: vec![],
        join_changes: vec![],
        join_changes_by_exec: vec![],
        plans_by_exec: vec![],
        next_plan_id: 0,
        shuffle_bytes: BTreeMap::new(),
        read_bytes: BTreeMap::new(),
        shuffle_bytes_by_exec: vec![],
        read_bytes_by_exec: vec![],
        read_specs: vec![],
        read_specs_by_exec: vec![],
    };
    for (i, e) in executions.iter().enumerate() {
        run.exec = i;
        run.reads.clear();
        let root = &e.physical.plan;
        run.next_plan_id = max_plan_id(root) + 1;
        let plan = match &root.op {
            Op::AdaptiveSparkPlan { .. } => Some(run.adaptive(&root.children[0], true)),
            Op::OverwriteByExpression if root.children.first().map(|c| matches!(c.op, Op::AdaptiveSparkPlan { .. })).unwrap_or(false) => {
                Some(run.adaptive(&root.children[0].children[0], false))
            }
            _ => {
                run.static_execution(root);
                None
            }
        };
        let reads = std::mem::take(&mut run.reads);
        run.reads_by_exec.push(reads);
        run.plans_by_exec.push(plan);
        run.tag_decisions();
        let d = std::mem::take(&mut run.decisions);
        let dj = std::mem::take(&mut run.decision_jobs);
        run.decision_jobs_by_exec.push(dj);
        run.decisions_by_exec.push(d);
        let c = std::mem::take(&mut run.join_changes);
        run.join_changes_by_exec.push(c);
        let b = std::mem::take(&mut run.shuffle_bytes);
        run.shuffle_bytes_by_exec.push(b);
        let b = std::mem::take(&mut run.read_bytes);
        run.read_bytes_by_exec.push(b);
        let r = std::mem::take(&mut run.read_specs);
        run.read_specs_by_exec.push(r);
    }
    RunShape {
        jobs: run.jobs,
        reads: run.reads_by_exec,
        origins: run.origins,
        decisions: run.decisions_by_exec,
        decision_jobs: run.decision_jobs_by_exec,
        join_changes: run.join_changes_by_exec,
        plans: run.plans_by_exec,
        shuffle_bytes: run.shuffle_bytes_by_exec,
        read_bytes: run.read_bytes_by_exec,
        read_specs: run.read_specs_by_exec,
    }
}

fn max_plan_id(p: &SparkPlan) -> u32 {
    let own = match &p.op {
        Op::ShuffleExchange { plan_id, .. } | Op::BroadcastExchange { plan_id, .. } => *plan_id,
        Op::ReusedExchange { reused, .. } => max_plan_id(reused),
        Op::InMemoryTableScan { cached, .. } => max_plan_id(cached),
        _ => 0,
    };
    p.children.iter().chain(p.subqueries.iter()).map(max_plan_id).fold(own, u32::max)
}

/// The plan after an adaptive run (`AdaptiveSparkPlan isFinalPlan=true`): exchanges become query
/// stages, coalesced shuffles are read through `AQEShuffleRead coalesced`. Returns the plan and the
/// reads (description, partitions). A plan AQE did not wrap is returned unchanged.
pub fn final_plan(plan: &SparkPlan, reads: &BTreeMap<u32, u32>) -> (SparkPlan, Vec<(String, u32)>) {
    if !matches!(plan.op, Op::AdaptiveSparkPlan { .. }) && !plan.any(&|p| matches!(p.op, Op::AdaptiveSparkPlan { .. })) {
        return (plan.clone(), vec![]);
    }
    let mut out = vec![];
    let mut stage_id = 0u32;
    let p = finalize(plan, reads, &mut out, &mut stage_id, false);
    (p, out)
}

/// `read_done`: the parent is an `AQEShuffleRead` AQE already placed (local, skewed), so no
/// coalesced read is added here.
fn finalize(p: &SparkPlan, reads: &BTreeMap<u32, u32>, out: &mut Vec<(String, u32)>, next: &mut u32, read_done: bool) -> SparkPlan {
    let is_read = matches!(p.op, Op::AqeShuffleRead { .. });
    let children: Vec<SparkPlan> = p.children.iter().map(|c| finalize(c, reads, out, next, is_read)).collect();
    let mut node = SparkPlan { op: p.op.clone(), children, subqueries: p.subqueries.clone(), stats: p.stats.clone() };
    let shuffle = match &p.op {
        Op::ShuffleExchange { plan_id, partitioning, .. } => Some((*plan_id, partitioning.num_partitions())),
        Op::ReusedExchange { reused, .. } => match &reused.op {
            Op::ShuffleExchange { plan_id, partitioning, .. } => Some((*plan_id, partitioning.num_partitions())),
            _ => None,
        },
        _ => None,
    };
    if let Op::AqeShuffleRead { desc, partitions } = &p.op {
        out.push((desc.clone(), *partitions));
    }
    match &p.op {
        Op::AdaptiveSparkPlan { .. } => node.op = Op::AdaptiveSparkPlan { is_final: true },
        Op::ShuffleExchange { .. } | Op::ReusedExchange { .. } if shuffle.is_some() => {
            let (plan_id, num) = shuffle.unwrap_or_default();
            let id = *next;
            *next += 1;
            let stats = node.stats.clone();
            let stage = SparkPlan { op: Op::ShuffleQueryStage { id }, children: vec![node], subqueries: vec![], stats: stats.clone() };
            if let Some(n) = reads.get(&plan_id).filter(|_| !read_done) {
                if *n < num {
                    out.push(("coalesced".to_string(), *n));
                    return SparkPlan { op: Op::AqeShuffleRead { desc: "coalesced".into(), partitions: *n }, children: vec![stage], subqueries: vec![], stats };
                }
            }
            return stage;
        }
        Op::BroadcastExchange { .. } => {
            let id = *next;
            *next += 1;
            let stats = node.stats.clone();
            return SparkPlan { op: Op::BroadcastQueryStage { id }, children: vec![node], subqueries: vec![], stats };
        }
        _ => {}
    }
    node
}

fn shuffle_plan_id(p: &SparkPlan) -> Option<u32> {
    match &p.op {
        Op::ShuffleExchange { plan_id, .. } => Some(*plan_id),
        Op::ReusedExchange { reused, .. } => shuffle_plan_id(reused),
        _ => None,
    }
}

impl<'a> Run<'a> {
    fn key(&self, plan_id: u32) -> ShuffleKey {
        (self.exec, plan_id)
    }

    /// The shuffle exchanges a stage rooted at `p` reads directly (narrow path; not across broadcasts
    /// or into subqueries; into a cached plan only while it is not materialised).
    fn shuffles_below<'p>(&self, p: &'p SparkPlan, out: &mut Vec<&'p SparkPlan>) {
        match &p.op {
            Op::ShuffleExchange { .. } => out.push(p),
            Op::ReusedExchange { reused, .. } if matches!(reused.op, Op::ShuffleExchange { .. }) => out.push(reused),
            Op::ReusedExchange { .. } | Op::BroadcastExchange { .. } => {}
            Op::InMemoryTableScan { cached, cache_id, .. } => {
                if !self.caches.contains(cache_id) {
                    self.shuffles_below(cached, out)
                }
            }
            _ => {
                for c in &p.children {
                    self.shuffles_below(c, out);
                }
            }
        }
    }

    /// Builds the stage list of one job whose result stage is rooted at `root` with `tasks` tasks.
    fn job(&mut self, kind: &str, root: &SparkPlan, tasks: u32) {
        let mut stages = vec![];
        let mut ids: BTreeMap<u32, u32> = BTreeMap::new();
        let mut parents = vec![];
        let mut below = vec![];
        self.shuffles_below(root, &mut below);
        for ex in below {
            parents.push(self.map_stage(ex, &mut stages, &mut ids));
        }
        crate::sort::sort(&mut parents);
        parents.dedup();
        let id = self.next_stage;
        self.next_stage += 1;
        stages.push(StageReport { stage_id: id, num_tasks: tasks.max(1), parent_ids: parents, status: "completed".into() });
        self.origins.insert(id, schedule::StageOrigin { exec: self.exec, plan: root.clone(), writes: None, reads: self.reads.clone() });
        self.mark_caches(root);
        self.push_job(kind, stages);
    }

    /// A map-stage-only job (AQE query stage) for `ex`.
    fn map_job(&mut self, ex: &SparkPlan) {
        let mut stages = vec![];
        let mut ids = BTreeMap::new();
        self.map_stage(ex, &mut stages, &mut ids);
        self.mark_caches(ex);
        self.push_job("shuffle_map_stage_only (AQE query stage)", stages);
    }

    fn push_job(&mut self, kind: &str, stages: Vec<StageReport>) {
        let job_id = self.jobs.len() as u32;
        self.jobs.push(JobReport { job_id, kind: kind.into(), stages });
    }

    fn map_stage(&mut self, ex: &SparkPlan, stages: &mut Vec<StageReport>, ids: &mut BTreeMap<u32, u32>) -> u32 {
        let pid = shuffle_plan_id(ex).unwrap_or(u32::MAX);
        if let Some(id) = ids.get(&pid) {
            return *id;
        }
        let child = &ex.children[0];
        let mut below = vec![];
        self.shuffles_below(child, &mut below);
        let mut parents: Vec<u32> = below.into_iter().map(|b| self.map_stage(b, stages, ids)).collect();
        crate::sort::sort(&mut parents);
        parents.dedup();
        let id = self.next_stage;
        self.next_stage += 1;
        let key = self.key(pid);
        let status = if self.done.contains(&key) { "skipped" } else { "completed" };
        if status == "completed" && !self.shuffle_bytes.contains_key(&pid) {
            let sizes = self.sizes(ex).bytes_by_partition();
            self.shuffle_bytes.insert(pid, sizes);
        }
        let tasks = num_partitions_with(child, &self.reads);
        stages.push(StageReport { stage_id: id, num_tasks: tasks.max(1), parent_ids: parents, status: status.into() });
        self.origins.insert(id, schedule::StageOrigin { exec: self.exec, plan: ex.clone(), writes: Some(pid), reads: self.reads.clone() });
        self.done.insert(key);
        ids.insert(pid, id);
        id
    }

    /// Cached relations computed by a job are materialised afterwards.
    fn mark_caches(&mut self, p: &SparkPlan) {
        let mut ids = vec![];
        collect_caches(p, &mut ids);
        self.caches.extend(ids);
    }

    /// Broadcast exchanges of a plan (and its subqueries) not yet built, children first.
    fn pending_broadcasts<'p>(&self, p: &'p SparkPlan, out: &mut Vec<&'p SparkPlan>) {
        for s in &p.subqueries {
            self.pending_broadcasts(s, out);
        }
        for c in &p.children {
            self.pending_broadcasts(c, out);
        }
        if let Op::BroadcastExchange { plan_id, .. } = &p.op {
            if !self.broadcasts.contains(&(self.exec, *plan_id)) && !out.iter().any(|o| std::ptr::eq(*o, p)) {
                out.push(p);
            }
        }
    }

    /// AQE off: broadcast jobs, sampling jobs for global sorts, then the action's job(s).
    fn static_execution(&mut self, root: &SparkPlan) {
        let mut bs = vec![];
        self.pending_broadcasts(root, &mut bs);
        for b in bs {
            if let Op::BroadcastExchange { plan_id, .. } = &b.op {
                self.broadcasts.insert((self.exec, *plan_id));
            }
            let child = &b.children[0];
            let tasks = num_partitions_with(child, &self.reads);
            self.job("broadcast_build", child, tasks);
        }
        // Scalar subqueries run their own jobs.
        let mut subs = vec![];
        collect_scalar_subqueries(root, &mut subs);
        for s in subs {
            self.static_execution(s);
        }
        // RangePartitioner samples the input of each global sort's exchange first.
        let mut ranges = vec![];
        collect_range_exchanges(root, &mut ranges);
        for r in ranges {
            let child = &r.children[0];
            let tasks = num_partitions_with(child, &self.reads);
            self.job("range_partitioner_sampling", child, tasks);
        }
        let (result_root, tasks) = self.result_stage_root(root);
        self.job("result", result_root, tasks);
    }

    /// Where the action's result stage is rooted and how many tasks it runs.
    fn result_stage_root<'p>(&self, root: &'p SparkPlan) -> (&'p SparkPlan, u32) {
        match &root.op {
            // executeTake: the first job scans spark.sql.limit.initialNumPartitions partitions.
            Op::CollectLimit { .. } => {
                let child = &root.children[0];
                let n = self.conf.get_i64("spark.sql.limit.initialNumPartitions").max(1) as u32;
                (child, n.min(num_partitions_with(child, &self.reads)))
            }
            // TakeOrderedAndProject collects the top rows of every child partition.
            Op::TakeOrderedAndProject { .. } => (&root.children[0], num_partitions_with(&root.children[0], &self.reads)),
            Op::DataWritingCommand { .. } | Op::OverwriteByExpression => match root.children.first() {
                Some(c) => self.result_stage_root(c),
                None => (root, 1),
            },
            Op::AdaptiveSparkPlan { .. } | Op::WriteFiles => match root.children.first() {
                Some(c) => {
                    let (r, _) = self.result_stage_root(c);
                    (root, num_partitions_with(r, &self.reads))
                }
                None => (root, 1),
            },
            _ => (root, num_partitions_with(root, &self.reads)),
        }
    }

    /// AQE on: query stages run as their own jobs, leaves first; after each round the plan is
    /// re-optimized (join selection on runtime sizes, skew splits, coalescing, local reads); the
    /// result job re-lists every materialised ancestor as skipped. Returns the re-planned body.
    fn adaptive(&mut self, body: &SparkPlan, local_collect: bool) -> SparkPlan {
        // A cached relation's first use is its own job (TableCacheQueryStage).
        let mut caches = vec![];
        collect_unmaterialised_caches(body, &self.caches, &mut caches);
        for c in caches {
            if let Op::InMemoryTableScan { cached, .. } = &c.op {
                let tasks = num_partitions_with(cached, &self.reads);
                self.job("result", cached, tasks);
            }
        }
        // AQE's stage cache: an exchange identical to an earlier one is a reused stage.
        let mut plan = adaptive::reuse_shuffles(body.clone(), self.conf);
        loop {
            let mut ready = vec![];
            self.ready_stages(&plan, &mut ready);
            if ready.is_empty() {
                break;
            }
            // Broadcast stages are submitted first.
            crate::sort::sort_by_key(&mut ready, |p| !matches!(p.op, Op::BroadcastExchange { .. }));
            for ex in &ready {
                match &ex.op {
                    Op::BroadcastExchange { plan_id, .. } => {
                        self.broadcasts.insert((self.exec, *plan_id));
                        let child = &ex.children[0];
                        let tasks = num_partitions_with(child, &self.reads);
                        self.job("broadcast_build", child, tasks);
                    }
                    Op::ShuffleExchange { partitioning: Partitioning::Range { .. }, .. } => {
                        // The RangePartitioner samples the input when the shuffle dependency is made.
                        let child = &ex.children[0];
                        let tasks = num_partitions_with(child, &self.reads);
                        self.job("range_partitioner_sampling", child, tasks);
                        self.map_job(ex);
                    }
                    _ => self.map_job(ex),
                }
            }
            plan = self.propagate_empty_relations(plan);
            plan = self.replan_joins(plan);
            plan = self.optimize_skew_joins(plan);
            plan = self.optimize_skew_in_rebalance(plan);
            self.coalesce(&plan);
            plan = self.local_reads(plan);
            self.tag_decisions();
        }
        if local_collect && empty_relation::is_empty(&plan) {
            // `LocalTableScanExec.executeCollect` returns its (no) rows on the driver: no job. The
            // decisions of the last re-plan come after the execution's last job.
            let next = self.jobs.len() as u32;
            self.decision_jobs.resize(self.decisions.len(), next);
            for j in self.decision_jobs.iter_mut().filter(|j| **j == next) {
                *j = AFTER_LAST_JOB;
            }
            return plan;
        }
        let (result_root, tasks) = self.result_stage_root(&plan);
        self.job("result", result_root, tasks);
        plan
    }

    /// Decisions not yet placed precede the next job submitted.
    fn tag_decisions(&mut self) {
        let next = self.jobs.len() as u32;
        self.decision_jobs.resize(self.decisions.len(), next);
    }

    /// Exchanges not yet materialised whose inputs are all materialised.
    fn ready_stages<'p>(&self, p: &'p SparkPlan, out: &mut Vec<&'p SparkPlan>) {
        match &p.op {
            Op::ShuffleExchange { plan_id, .. } if !self.done.contains(&self.key(*plan_id)) => {
                if !self.has_pending_exchange(&p.children[0]) {
                    out.push(p);
                } else {
                    self.ready_stages(&p.children[0], out);
                }
            }
            Op::BroadcastExchange { plan_id, .. } if !self.broadcasts.contains(&(self.exec, *plan_id)) => {
                if !self.has_pending_exchange(&p.children[0]) {
                    out.push(p);
                } else {
                    self.ready_stages(&p.children[0], out);
                }
            }
            Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. } | Op::ReusedExchange { .. } => {}
            Op::InMemoryTableScan { .. } => {}
            _ => {
                for c in &p.children {
                    self.ready_stages(c, out);
                }
            }
        }
    }

    fn has_pending_exchange(&self, p: &SparkPlan) -> bool {
        match &p.op {
            Op::ShuffleExchange { plan_id, .. } => !self.done.contains(&self.key(*plan_id)) || self.has_pending_exchange(&p.children[0]),
            Op::BroadcastExchange { plan_id, .. } => !self.broadcasts.contains(&(self.exec, *plan_id)),
            Op::ReusedExchange { reused, .. } => match &reused.op {
                Op::ShuffleExchange { plan_id, .. } => !self.done.contains(&self.key(*plan_id)),
                Op::BroadcastExchange { plan_id, .. } => !self.broadcasts.contains(&(self.exec, *plan_id)),
                _ => false,
            },
            Op::InMemoryTableScan { .. } => false,
            _ => p.children.iter().any(|c| self.has_pending_exchange(c)),
        }
    }

    /// CoalesceShufflePartitions for every stage whose shuffle inputs are all materialised.
    fn coalesce(&mut self, p: &SparkPlan) {
        // Stage roots: the plan root and every exchange's child.
        let mut roots: Vec<&SparkPlan> = vec![p];
        collect_stage_roots(p, &mut roots);
        for r in roots {
            let mut inputs = vec![];
            self.shuffles_below(r, &mut inputs);
            if inputs.is_empty() {
                continue;
            }
            let keys: Vec<u32> = inputs.iter().filter_map(|e| shuffle_plan_id(e)).collect();
            if keys.iter().any(|k| !self.done.contains(&self.key(*k)) || self.reads.contains_key(k)) {
                continue;
            }
            let coalescable = inputs.iter().all(|e| match &e.op {
                Op::ShuffleExchange { origin, partitioning, .. } => {
                    !matches!(origin, ShuffleOrigin::RepartitionByNum) && !matches!(partitioning, Partitioning::Single)
                }
                _ => false,
            });
            if !coalescable || !self.conf.get_bool("spark.sql.adaptive.coalescePartitions.enabled") {
                continue;
            }
            let sizes: Vec<Vec<u64>> = inputs.iter().map(|e| self.sizes(e).bytes_by_partition()).collect();
            let refs: Vec<&[u64]> = sizes.iter().map(|v| v.as_slice()).collect();
            let n = inputs.iter().map(|e| partitions::num_partitions(e)).max().unwrap_or(1);
            let (specs, decision) = aqe::coalesce(&refs, &aqe::CoalesceConf::from(self.conf, self.default_parallelism));
            let count = specs.as_ref().map(|s| s.len() as u32).unwrap_or(n);
            self.decisions.push(decision);
            for (k, sz) in keys.into_iter().zip(&sizes) {
                self.reads.insert(k, count);
                if let Some(specs) = &specs {
                    self.read_bytes.insert(k, specs.iter().map(|(a, b)| sz[*a..(*b).min(sz.len())].iter().sum()).collect());
                    self.read_specs.push((k, specs.iter().map(|&(start, end)| aqe::Spec::Coalesced { start, end }).collect()));
                }
            }
        }
    }
}

fn collect_caches(p: &SparkPlan, out: &mut Vec<u32>) {
    if let Op::InMemoryTableScan { cache_id, .. } = &p.op {
        out.push(*cache_id);
    }
    for c in &p.children {
        if !matches!(c.op, Op::BroadcastExchange { .. }) {
            collect_caches(c, out);
        }
    }
}

fn collect_unmaterialised_caches<'p>(p: &'p SparkPlan, done: &BTreeSet<u32>, out: &mut Vec<&'p SparkPlan>) {
    if let Op::InMemoryTableScan { cache_id, .. } = &p.op {
        if !done.contains(cache_id) && !out.iter().any(|o| matches!(&o.op, Op::InMemoryTableScan { cache_id: c, .. } if c == cache_id)) {
            out.push(p);
        }
    }
    for c in &p.children {
        collect_unmaterialised_caches(c, done, out);
    }
}

fn collect_scalar_subqueries<'p>(p: &'p SparkPlan, out: &mut Vec<&'p SparkPlan>) {
    for s in &p.subqueries {
        if matches!(s.op, Op::Subquery { .. }) {
            if let Some(c) = s.children.first() {
                out.push(c);
            }
        }
    }
    for c in &p.children {
        collect_scalar_subqueries(c, out);
    }
}

fn collect_range_exchanges<'p>(p: &'p SparkPlan, out: &mut Vec<&'p SparkPlan>) {
    for c in &p.children {
        collect_range_exchanges(c, out);
    }
    if let Op::ShuffleExchange { partitioning: Partitioning::Range { .. }, .. } = &p.op {
        out.push(p);
    }
}

fn collect_stage_roots<'p>(p: &'p SparkPlan, out: &mut Vec<&'p SparkPlan>) {
    for c in &p.children {
        if matches!(p.op, Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. }) {
            out.push(c);
        }
        collect_stage_roots(c, out);
    }
}
