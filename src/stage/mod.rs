//! Jobs and stages as Spark's DAGScheduler forms them from physical plans. Stages are cut at shuffle
//! exchanges (a `ShuffleMapStage` per shuffle, a `ResultStage` per job); broadcasts, range-partitioner
//! sampling and CollectLimit's first take are jobs of their own. With AQE every shuffle and broadcast
//! query stage is a job (`submitMapStage`), submitted leaves first, and later jobs re-list already
//! materialised ancestors under new stage ids as skipped; reduce stages read coalesced partitions
//! (`CoalesceShufflePartitions` with sizes from `estimate`). Knows plans, confs and the data model;
//! knows nothing of time (that is `sim`).

pub mod estimate;
pub mod partitions;
pub mod schedule;

use crate::conf::SparkConf;
use crate::physical::partitioning::{Partitioning, ShuffleOrigin};
use crate::physical::plan::{Op, SparkPlan};
use crate::pipeline::Execution;
use crate::report::{JobReport, StageReport};
use crate::scenario::Scenario;
use estimate::Model;
use partitions::num_partitions_with;
use std::collections::{BTreeMap, BTreeSet};

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
}

/// What running the executions looks like to the DAGScheduler.
#[derive(Debug, Clone, Default)]
pub struct RunShape {
    pub jobs: Vec<JobReport>,
    /// For each execution, the partition count AQE reads of each coalesced shuffle (by `plan_id`).
    pub reads: Vec<BTreeMap<u32, u32>>,
    /// Each stage's plan and execution, by stage id (what `schedule` turns into task work).
    pub origins: BTreeMap<u32, schedule::StageOrigin>,
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
    };
    for (i, e) in executions.iter().enumerate() {
        run.exec = i;
        run.reads.clear();
        let root = &e.physical.plan;
        match &root.op {
            Op::AdaptiveSparkPlan { .. } => run.adaptive(&root.children[0]),
            Op::OverwriteByExpression if root.children.first().map(|c| matches!(c.op, Op::AdaptiveSparkPlan { .. })).unwrap_or(false) => {
                run.adaptive(&root.children[0].children[0])
            }
            _ => run.static_execution(root),
        }
        let reads = std::mem::take(&mut run.reads);
        run.reads_by_exec.push(reads);
    }
    RunShape { jobs: run.jobs, reads: run.reads_by_exec, origins: run.origins }
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
    let p = finalize(plan, reads, &mut out, &mut stage_id);
    (p, out)
}

fn finalize(p: &SparkPlan, reads: &BTreeMap<u32, u32>, out: &mut Vec<(String, u32)>, next: &mut u32) -> SparkPlan {
    let children: Vec<SparkPlan> = p.children.iter().map(|c| finalize(c, reads, out, next)).collect();
    let mut node = SparkPlan { op: p.op.clone(), children, subqueries: p.subqueries.clone(), stats: p.stats.clone() };
    match &p.op {
        Op::AdaptiveSparkPlan { .. } => node.op = Op::AdaptiveSparkPlan { is_final: true },
        Op::ShuffleExchange { plan_id, partitioning, .. } => {
            let id = *next;
            *next += 1;
            let stats = node.stats.clone();
            let stage = SparkPlan { op: Op::ShuffleQueryStage { id }, children: vec![node], subqueries: vec![], stats: stats.clone() };
            if let Some(n) = reads.get(plan_id) {
                if *n < partitioning.num_partitions() {
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
        parents.sort_unstable();
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
        parents.sort_unstable();
        parents.dedup();
        let id = self.next_stage;
        self.next_stage += 1;
        let key = self.key(pid);
        let status = if self.done.contains(&key) { "skipped" } else { "completed" };
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

    /// AQE on: query stages run as their own jobs, leaves first; reduce stages read coalesced
    /// partitions; the result job re-lists every materialised ancestor as skipped.
    fn adaptive(&mut self, root: &SparkPlan) {
        // A cached relation's first use is its own job (TableCacheQueryStage).
        let mut caches = vec![];
        collect_unmaterialised_caches(root, &self.caches, &mut caches);
        for c in caches {
            if let Op::InMemoryTableScan { cached, .. } = &c.op {
                let tasks = num_partitions_with(cached, &self.reads);
                self.job("result", cached, tasks);
            }
        }
        loop {
            let mut ready = vec![];
            self.ready_stages(root, &mut ready);
            if ready.is_empty() {
                break;
            }
            // Broadcast stages are submitted first.
            ready.sort_by_key(|p| !matches!(p.op, Op::BroadcastExchange { .. }));
            for ex in &ready {
                match &ex.op {
                    Op::BroadcastExchange { plan_id, .. } => {
                        self.broadcasts.insert((self.exec, *plan_id));
                        let child = &ex.children[0];
                        let tasks = num_partitions_with(child, &self.reads);
                        self.job("broadcast_build", child, tasks);
                    }
                    _ => self.map_job(ex),
                }
            }
            self.coalesce(root);
        }
        let (result_root, tasks) = self.result_stage_root(root);
        self.job("result", result_root, tasks);
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
            Op::ReusedExchange { .. } | Op::InMemoryTableScan { .. } => false,
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
            let total: f64 = inputs.iter().map(|e| self.model.shuffle_bytes(&e.children[0])).sum();
            let n = inputs.iter().map(|e| partitions::num_partitions(e)).max().unwrap_or(1);
            let count = coalesced_count(total, n, self.conf, self.default_parallelism);
            for k in keys {
                self.reads.insert(k, count);
            }
        }
    }
}

/// How many partitions `CoalesceShufflePartitions` leaves of `n` equal partitions totalling `total`
/// bytes: target = max(minPartitionSize, min(advisory, ceil(total / minNumPartitions))), contiguous
/// greedy packing, a last partition under 20 % of the target merged into its neighbour.
pub fn coalesced_count(total: f64, n: u32, conf: &SparkConf, default_parallelism: u32) -> u32 {
    let advisory = conf.get_bytes("spark.sql.adaptive.advisoryPartitionSizeInBytes").max(1) as f64;
    let min_size = conf.get_bytes("spark.sql.adaptive.coalescePartitions.minPartitionSize").max(1) as f64;
    let min_parts = if conf.get_bool("spark.sql.adaptive.coalescePartitions.parallelismFirst") {
        conf.get("spark.sql.adaptive.coalescePartitions.minPartitionNum").and_then(|v| v.parse::<f64>().ok()).unwrap_or(default_parallelism as f64)
    } else {
        1.0
    };
    let target = min_size.max(advisory.min((total / min_parts.max(1.0)).ceil()));
    let n = n.max(1);
    let each = total / n as f64;
    if each <= 0.0 {
        return 1;
    }
    let per = ((target / each).floor() as u32).clamp(1, n);
    let mut groups = n.div_ceil(per);
    let last = n - (groups - 1) * per;
    if groups > 1 && (last as f64) * each < 0.2 * target {
        groups -= 1;
    }
    groups.max(1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalescing_follows_spark_formula() {
        let conf = SparkConf::default();
        // < 1 MiB in total: one partition.
        assert_eq!(coalesced_count(800_000.0, 200, &conf, 2), 1);
        // 28 MB over 2 cores: target 14 MB, two partitions.
        assert_eq!(coalesced_count(28_000_000.0, 200, &conf, 2), 2);
        // 1 GiB: the advisory 64 MiB caps the target; 12 partitions of 5.4 MB fit one, so 17 groups.
        assert_eq!(coalesced_count(1_073_741_824.0, 200, &conf, 2), 17);
    }
}
