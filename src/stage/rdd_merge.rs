//! Numbers RDD jobs and SQL executions' jobs as one SparkContext does: job ids and stage ids continue
//! across both in program order, each stage numbered when its job creates it (a later job re-lists a
//! map stage whose output exists under a new id, skipped), and builds the merged simulator jobs and
//! report jobs. A `df.rdd` job runs its plan's stages:
//! the SQL execution's action job is folded into the RDD job (its map stages become the RDD job's
//! ancestors, its final stage is pipelined into the RDD stage reading the `SQLExecutionRDD`), while
//! AQE's query-stage jobs stay jobs of their own before it (Spark runs them when `df.rdd` is first
//! evaluated; here, right before the first RDD job reading it, which differs only when a DataFrame
//! action comes in between). Knows ids and schedules, not costs or plans.

use super::rdd::RddJobPlan;
use super::RunShape;
use crate::report::{JobReport, StageReport};
use crate::sim::{JobKind, JobSpec, StageHint, StageKind, StageSpec, TaskWork};
use std::collections::{BTreeMap, BTreeSet};

/// The merged jobs, in submission order, for the schedule and for the report.
pub struct Merged {
    pub specs: Vec<JobSpec>,
    pub reports: Vec<JobReport>,
    /// (job id, RDD job index) of every RDD job.
    pub rdd_job_ids: Vec<(u32, usize)>,
}

enum Item {
    Exec(usize),
    Rdd(usize),
}

/// Stage ids in creation order, shared by the SQL executions and the RDD jobs.
#[derive(Default)]
struct Ids {
    next: u32,
    sql: BTreeMap<u32, u32>,
    rdd: BTreeMap<u32, u32>,
}

impl Ids {
    fn fresh(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }
    fn sql(&mut self, s: u32) -> u32 {
        match self.sql.get(&s) {
            Some(g) => *g,
            None => {
                let g = self.fresh();
                self.sql.insert(s, g);
                g
            }
        }
    }
    fn rdd(&mut self, t: u32) -> u32 {
        match self.rdd.get(&t) {
            Some(g) => *g,
            None => {
                let g = self.fresh();
                self.rdd.insert(t, g);
                g
            }
        }
    }
}

/// Merges `sql` (the SQL executions' jobs, as `schedule::build` made them from `shape`) with `rdd`.
pub fn merge(n_exec: usize, shape: &RunShape, sql: Vec<JobSpec>, rdd: &[RddJobPlan]) -> Merged {
    let kinds: BTreeMap<u32, String> = crate::sort::map_of(shape.jobs.iter().map(|j| (j.job_id, j.kind.clone())));
    // Executions folded into RDD jobs (by the first job computing their plan): their action job is held.
    let mut first_fuser: BTreeMap<usize, usize> = BTreeMap::new();
    for (k, j) in rdd.iter().enumerate() {
        for (e, _) in &j.sql {
            first_fuser.entry(*e).or_insert(k);
        }
    }
    let mut by_exec: BTreeMap<usize, Vec<JobSpec>> = BTreeMap::new();
    for j in sql {
        by_exec.entry(j.sql_execution_id.unwrap_or(0) as usize).or_default().push(j);
    }
    let mut held: BTreeMap<usize, JobSpec> = BTreeMap::new();
    for (e, jobs) in by_exec.iter_mut() {
        if first_fuser.contains_key(e) {
            if let Some(last) = jobs.pop() {
                held.insert(*e, last);
            }
        }
    }
    // The final stages of held jobs are pipelined into RDD stages: they get no id of their own.
    let dropped: BTreeSet<u32> = crate::sort::set_of(held.values().filter_map(|j| j.stages.last()).map(|s| s.stage_id));

    let mut items = vec![];
    for p in 0..=n_exec {
        items.extend(rdd.iter().enumerate().filter(|(_, j)| j.after_executions == p).map(|(k, _)| Item::Rdd(k)));
        if p < n_exec {
            items.push(Item::Exec(p));
        }
    }
    // RDD shuffles get ids after the SQL ones, in creation order.
    let sql_shuffles = by_exec.values().flatten().chain(held.values()).flat_map(|j| &j.stages).filter_map(|s| s.shuffle_id_written).max().map(|m| m + 1).unwrap_or(0);
    let mut rdd_shuffles: BTreeMap<usize, u32> = BTreeMap::new();

    let mut out = Merged { specs: vec![], reports: vec![], rdd_job_ids: vec![] };
    let mut ids = Ids::default();
    let mut new_job: BTreeMap<u32, u32> = BTreeMap::new();
    let mut prev: Option<u32> = None;
    let mut next_job = 0u32;
    for item in items {
        match item {
            Item::Exec(e) => {
                // The execution's stages, in the order its run created them.
                for (s, _) in shape.origins.iter().filter(|(s, o)| o.exec == e && !dropped.contains(s)) {
                    ids.sql(*s);
                }
                for j in by_exec.remove(&e).unwrap_or_default() {
                    let id = next_job;
                    next_job += 1;
                    new_job.insert(j.job_id, id);
                    let kind = kinds.get(&j.job_id).cloned().unwrap_or_else(|| "result".into());
                    let spec = renumber_sql(j, id, &new_job, prev, &mut |s| ids.sql(s));
                    out.reports.push(report_of(&spec, kind));
                    out.specs.push(spec);
                }
                if let Some(last) = out.specs.last() {
                    prev = Some(last.job_id);
                }
            }
            Item::Rdd(k) => {
                let id = next_job;
                next_job += 1;
                let j = &rdd[k];
                let mut after: BTreeSet<u32> = prev.into_iter().collect();
                let mut stages = vec![];
                let mut folded: Vec<(u32, StageSpec)> = vec![];
                for &(e, local) in &j.sql {
                    if let Some(r) = held.get(&e) {
                        let first = first_fuser.get(&e) == Some(&k);
                        let mut r = r.clone();
                        let fin = r.stages.pop();
                        if first {
                            new_job.insert(r.job_id, id);
                            after.extend(r.after_jobs.iter().filter_map(|a| new_job.get(a).copied()));
                            for s in r.stages {
                                stages.push(renumber_stage(s, &mut |x| ids.sql(x)));
                            }
                            // The final stage gets no id of its own: only its parents are numbered.
                            folded.extend(fin.map(|mut f| {
                                f.parent_ids = f.parent_ids.iter().map(|&p| ids.sql(p)).collect();
                                (local, f)
                            }));
                        } else {
                            // A later job over the same `df.rdd`: the plan's map stages are created anew and
                            // skipped (their shuffle output exists); its final stage reads them again.
                            let mut fresh: BTreeMap<u32, u32> = BTreeMap::new();
                            let mut old: Vec<u32> = r.stages.iter().map(|s| s.stage_id).collect();
                            crate::sort::sort(&mut old);
                            for o in old {
                                fresh.insert(o, ids.fresh());
                            }
                            let mut relist = |x: u32| fresh.get(&x).copied().unwrap_or(x);
                            for mut s in r.stages {
                                s.status_hint = StageHint::Skipped;
                                stages.push(renumber_stage(s, &mut relist));
                            }
                            folded.extend(fin.map(|mut f| {
                                f.parent_ids = f.parent_ids.iter().map(|&p| relist(p)).collect();
                                (local, f)
                            }));
                        }
                    }
                }
                let mut locals: Vec<u32> = j.stages.iter().map(|s| s.local_id).collect();
                crate::sort::sort(&mut locals);
                for t in locals {
                    ids.rdd(t);
                }
                for s in &j.stages {
                    let shuffle = s.writes.map(|w| {
                        let n = rdd_shuffles.len() as u32;
                        *rdd_shuffles.entry(w).or_insert(sql_shuffles + n)
                    });
                    let mut spec = StageSpec {
                        stage_id: ids.rdd(s.local_id),
                        kind: if s.writes.is_some() { StageKind::ShuffleMap } else { StageKind::Result },
                        name: s.name.clone(),
                        num_tasks: s.num_tasks,
                        parent_ids: s.parents.iter().map(|&p| ids.rdd(p)).collect(),
                        status_hint: if s.skipped { StageHint::Skipped } else { StageHint::Run },
                        rdd_scopes: s.scopes.clone(),
                        operators: s.rdds.clone(),
                        codegen_clusters: Some(0),
                        shuffle_id_written: shuffle,
                        shuffle_ids_read: vec![],
                        tasks: s.work.clone(),
                    };
                    // Plans read side by side (a union of two `df.rdd`s) cover consecutive partitions.
                    let mut offset = 0;
                    for (_, f) in folded.iter().filter(|(l, _)| *l == s.local_id) {
                        fold_stage(&mut spec, f, offset);
                        offset = offset.saturating_add(f.num_tasks);
                    }
                    stages.push(spec);
                }
                after.remove(&id);
                let spec = JobSpec {
                    job_id: id,
                    kind: JobKind::Result,
                    sql_execution_id: None,
                    description: j.site.clone(),
                    after_jobs: after.into_iter().collect(),
                    submit_delay_ms: None,
                    aqe_before: vec![],
                    aqe_after: vec![],
                    stages,
                };
                out.reports.push(report_of(&spec, "result".into()));
                out.specs.push(spec);
                out.rdd_job_ids.push((id, k));
                prev = Some(id);
            }
        }
    }
    out
}

fn renumber_stage(mut s: StageSpec, map: &mut dyn FnMut(u32) -> u32) -> StageSpec {
    s.stage_id = map(s.stage_id);
    s.parent_ids = s.parent_ids.iter().map(|&p| map(p)).collect();
    s
}

fn renumber_sql(mut j: JobSpec, id: u32, new_job: &BTreeMap<u32, u32>, prev: Option<u32>, map: &mut dyn FnMut(u32) -> u32) -> JobSpec {
    let mut after: BTreeSet<u32> = j.after_jobs.iter().filter_map(|a| new_job.get(a).copied()).collect();
    after.extend(prev);
    after.remove(&id);
    j.job_id = id;
    j.after_jobs = after.into_iter().collect();
    j.stages = j.stages.into_iter().map(|s| renumber_stage(s, &mut *map)).collect();
    j
}

/// Pipelines the SQL plan's final stage `f` into the RDD stage `spec` that reads its `SQLExecutionRDD`:
/// its parents, operators and per-task work (on the stage's partitions from `offset`) join the RDD stage's.
fn fold_stage(spec: &mut StageSpec, f: &StageSpec, offset: u32) {
    spec.parent_ids.extend(f.parent_ids.iter().copied());
    let mut ops = f.operators.clone();
    ops.extend(spec.operators.iter().filter(|o| !f.operators.contains(o)).cloned());
    let cost = crate::sim::ops_cost::StageCost::new(&f.operators);
    let tasks: Vec<TaskWork> = (0..spec.num_tasks.max(1))
        .map(|p| {
            let a = spec.work(p).clone();
            let none = TaskWork::default();
            let b = match p.checked_sub(offset) {
                Some(q) if q < f.num_tasks => f.work(q),
                _ => &none,
            };
            let b_ns = b.compute_ns.unwrap_or_else(|| cost.compute_ns(b.input_records.saturating_add(b.shuffle_read_records), b.input_bytes, b.output_records));
            TaskWork {
                partition: p,
                input_bytes: a.input_bytes.saturating_add(b.input_bytes),
                input_records: a.input_records.saturating_add(b.input_records),
                shuffle_read_bytes: a.shuffle_read_bytes.saturating_add(b.shuffle_read_bytes),
                shuffle_read_records: a.shuffle_read_records.saturating_add(b.shuffle_read_records),
                compute_ns: Some(a.compute_ns.unwrap_or(0).saturating_add(b_ns)),
                memory_bytes_needed: a.memory_bytes_needed.max(b.memory_bytes_needed),
                cache: a.cache.or_else(|| b.cache.clone()),
                ..a
            }
        })
        .collect();
    spec.operators = ops;
    let mut scopes = f.rdd_scopes.clone();
    scopes.extend(spec.rdd_scopes.iter().cloned());
    spec.rdd_scopes = scopes;
    spec.codegen_clusters = f.codegen_clusters;
    spec.tasks = tasks;
}

fn report_of(spec: &JobSpec, kind: String) -> JobReport {
    JobReport {
        job_id: spec.job_id,
        kind,
        stages: spec
            .stages
            .iter()
            .map(|s| StageReport {
                stage_id: s.stage_id,
                num_tasks: s.num_tasks,
                parent_ids: s.parent_ids.clone(),
                status: if s.status_hint == StageHint::Skipped { "skipped".into() } else { "completed".into() },
            })
            .collect(),
    }
}
