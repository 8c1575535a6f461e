//! Checks a [`Schedule`] and indexes it for the simulator: global stage indices, parent links, shuffle
//! indices, each job's final stage and dependents. Refuses (with a message, never a panic) schedules that
//! are inconsistent or beyond the documented limits. It knows the schedule's structure; it knows nothing
//! of time or of how the stages will run.

use super::cost;
use super::event_queue::{SimTime, MS};
use super::model::{JobKind, Schedule, StageHint, StageKind, StageSpec};
use super::ops_cost::StageCost;
use crate::error::{Diagnostic, Phase, Span};
use std::collections::{BTreeMap, BTreeSet};

/// Most tasks (sum of `num_tasks` over every stage of every job) one schedule may hold: 5 M. A 5 M-task
/// trace is ~1.5 GB in memory; the UI is meant for far less.
pub const MAX_TASKS: u64 = 5_000_000;
/// Most task attempts one simulation may launch (retries and speculative copies included).
pub const MAX_TASK_ATTEMPTS: u64 = 3 * MAX_TASKS;
pub const MAX_EXECUTORS: u32 = 10_000;
pub const MAX_SLOTS_PER_EXECUTOR: u32 = 1_024;
/// Longest time any option may name (kill time, delays, intervals): 10^10 ms, about 115 days.
pub const MAX_OPTION_MS: u64 = 10_000_000_000;
/// Synthesised shuffle ids (for map stages without `shuffle_id_written`) start here.
pub const SYNTHETIC_SHUFFLE_BASE: u32 = 1_000_000_000;

pub(crate) struct PJob {
    pub spec: usize,
    pub job_id: u32,
    pub stages: Vec<usize>,
    pub final_stage: usize,
    pub deps: Vec<usize>,
    pub dependents: Vec<usize>,
    pub submit_delay_us: SimTime,
}

pub(crate) struct PStage {
    pub job: usize,
    /// Index of the stage in its job's spec.
    pub pos: usize,
    pub stage_id: u32,
    pub kind: StageKind,
    pub hint: StageHint,
    pub parents: Vec<usize>,
    pub shuffle_written: Option<usize>,
    pub shuffles_read: Vec<usize>,
    pub num_tasks: u32,
    /// The stage's operators' default cost (for tasks without `compute_ns`).
    pub op_cost: StageCost,
}

pub(crate) struct PShuffle {
    pub shuffle_id: u32,
    pub num_maps: u32,
}

/// A validated, indexed schedule.
pub(crate) struct Plan<'a> {
    pub schedule: &'a Schedule,
    pub jobs: Vec<PJob>,
    pub stages: Vec<PStage>,
    pub shuffles: Vec<PShuffle>,
}

impl<'a> Plan<'a> {
    pub fn stage_spec(&self, s: usize) -> &'a StageSpec {
        let st = &self.stages[s];
        &self.schedule.jobs[self.jobs[st.job].spec].stages[st.pos]
    }
}

fn err(msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Phase::Simulation, msg, Span::default())
}

fn limit(msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Phase::Limit, msg, Span::default())
}

/// Validates and indexes `schedule`.
pub(crate) fn prepare(schedule: &Schedule) -> Result<Plan<'_>, Diagnostic> {
    check_cluster_and_options(schedule)?;
    let total: u64 = schedule.jobs.iter().flat_map(|j| &j.stages).map(|s| s.num_tasks as u64).sum();
    if total > MAX_TASKS {
        return Err(limit(format!("the schedule has {total} tasks; the simulator accepts at most {MAX_TASKS}")));
    }

    // Jobs in job-id order.
    let mut order: Vec<usize> = (0..schedule.jobs.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| schedule.jobs[i].job_id);
    let mut job_of_id: BTreeMap<u32, usize> = BTreeMap::new();
    for (k, &i) in order.iter().enumerate() {
        if job_of_id.insert(schedule.jobs[i].job_id, k).is_some() {
            return Err(err(format!("job id {} appears twice", schedule.jobs[i].job_id)));
        }
    }

    let mut jobs = Vec::with_capacity(order.len());
    let mut stages: Vec<PStage> = Vec::new();
    let mut shuffle_index: BTreeMap<u32, usize> = BTreeMap::new();
    let mut shuffles: Vec<PShuffle> = Vec::new();
    let mut next_synthetic = SYNTHETIC_SHUFFLE_BASE;

    for (k, &spec_i) in order.iter().enumerate() {
        let spec = &schedule.jobs[spec_i];
        let jid = spec.job_id;
        if spec.stages.is_empty() {
            return Err(err(format!("job {jid} has no stages")));
        }
        let mut deps = Vec::new();
        for d in &spec.after_jobs {
            match job_of_id.get(d) {
                Some(&x) if x != k => deps.push(x),
                Some(_) => return Err(err(format!("job {jid} waits for itself"))),
                None => return Err(err(format!("job {jid} waits for unknown job {d}"))),
            }
        }
        crate::sort::sort(&mut deps);
        deps.dedup();

        // Stages of this job.
        let base = stages.len();
        let mut local: BTreeMap<u32, usize> = BTreeMap::new();
        for (pos, s) in spec.stages.iter().enumerate() {
            if local.insert(s.stage_id, base + pos).is_some() {
                return Err(err(format!("stage {} appears twice in job {jid}", s.stage_id)));
            }
            check_tasks(jid, s)?;
        }
        for (pos, s) in spec.stages.iter().enumerate() {
            let mut parents = Vec::new();
            for p in &s.parent_ids {
                match local.get(p) {
                    Some(&x) if x != base + pos => parents.push(x),
                    Some(_) => return Err(err(format!("stage {} of job {jid} is its own parent", s.stage_id))),
                    None => {
                        return Err(err(format!(
                            "stage {} of job {jid} names parent {p}, which is not a stage of that job",
                            s.stage_id
                        )))
                    }
                }
            }
            crate::sort::sort_by_key(&mut parents, |&x| spec.stages[x - base].stage_id);
            parents.dedup();
            for &p in &parents {
                if spec.stages[p - base].kind != StageKind::ShuffleMap {
                    return Err(err(format!(
                        "stage {} of job {jid} depends on result stage {}",
                        s.stage_id,
                        spec.stages[p - base].stage_id
                    )));
                }
            }
            let shuffle_written = match (s.kind, s.shuffle_id_written) {
                (StageKind::Result, Some(_)) => {
                    return Err(err(format!("result stage {} of job {jid} cannot write a shuffle", s.stage_id)))
                }
                (StageKind::Result, None) => None,
                (StageKind::ShuffleMap, id) => {
                    let id = id.unwrap_or_else(|| {
                        next_synthetic += 1;
                        next_synthetic - 1
                    });
                    let ix = *shuffle_index.entry(id).or_insert_with(|| {
                        shuffles.push(PShuffle { shuffle_id: id, num_maps: s.num_tasks });
                        shuffles.len() - 1
                    });
                    if shuffles[ix].num_maps != s.num_tasks {
                        return Err(err(format!(
                            "shuffle {id} is written by stages with {} and {} tasks",
                            shuffles[ix].num_maps, s.num_tasks
                        )));
                    }
                    Some(ix)
                }
            };
            stages.push(PStage {
                job: k,
                pos,
                stage_id: s.stage_id,
                kind: s.kind,
                hint: if s.kind == StageKind::Result { StageHint::Run } else { s.status_hint },
                parents,
                shuffle_written,
                shuffles_read: Vec::new(),
                num_tasks: s.num_tasks,
                op_cost: StageCost::new(&s.operators),
            });
        }
        // Shuffles read: explicit, or the parents' (resolved once every parent has its shuffle index).
        for pos in 0..spec.stages.len() {
            let s = &spec.stages[pos];
            let parents = stages[base + pos].parents.clone();
            let written: Vec<(u32, usize)> = parents
                .iter()
                .filter_map(|&p| stages[p].shuffle_written.map(|ix| (shuffles[ix].shuffle_id, ix)))
                .collect();
            let reads = if s.shuffle_ids_read.is_empty() {
                written.iter().map(|&(_, ix)| ix).collect()
            } else {
                let mut v = Vec::new();
                for id in &s.shuffle_ids_read {
                    match written.iter().find(|(w, _)| w == id) {
                        Some(&(_, ix)) => v.push(ix),
                        None => {
                            return Err(err(format!(
                                "stage {} of job {jid} reads shuffle {id}, which none of its parents writes",
                                s.stage_id
                            )))
                        }
                    }
                }
                crate::sort::sort(&mut v);
                v.dedup();
                v
            };
            stages[base + pos].shuffles_read = reads;
        }
        check_acyclic(jid, base, &stages[base..])?;

        // The final stage: nobody's parent.
        let is_parent: BTreeSet<usize> = crate::sort::set_of(stages[base..].iter().flat_map(|s| s.parents.iter().copied()));
        let finals: Vec<usize> = (base..stages.len()).filter(|i| !is_parent.contains(i)).collect();
        if finals.len() != 1 {
            return Err(err(format!(
                "job {jid} must have exactly one final stage (one that is no other stage's parent); it has {}",
                finals.len()
            )));
        }
        let final_stage = finals[0];
        let want = if spec.kind == JobKind::MapStageOnly { StageKind::ShuffleMap } else { StageKind::Result };
        if stages[final_stage].kind != want {
            return Err(err(format!(
                "job {jid} ({:?}) must end with a {:?} stage; stage {} is {:?}",
                spec.kind, want, stages[final_stage].stage_id, stages[final_stage].kind
            )));
        }
        let delay = match spec.submit_delay_ms {
            Some(ms) => ms.saturating_mul(MS),
            None if deps.is_empty() => 0,
            None => cost::DEPENDENT_JOB_DELAY_US,
        };
        jobs.push(PJob {
            spec: spec_i,
            job_id: jid,
            stages: (base..stages.len()).collect(),
            final_stage,
            deps,
            dependents: Vec::new(),
            submit_delay_us: delay,
        });
    }
    for k in 0..jobs.len() {
        for d in jobs[k].deps.clone() {
            jobs[d].dependents.push(k);
        }
    }
    check_jobs_acyclic(&jobs)?;
    Ok(Plan { schedule, jobs, stages, shuffles })
}

fn check_cluster_and_options(s: &Schedule) -> Result<(), Diagnostic> {
    let c = &s.cluster;
    if c.executors == 0 {
        return Err(err("the cluster has no executors"));
    }
    if c.executors > MAX_EXECUTORS {
        return Err(limit(format!("{} executors; the simulator accepts at most {MAX_EXECUTORS}", c.executors)));
    }
    if c.task_cpus == 0 || c.cores_per_executor < c.task_cpus {
        return Err(err(format!(
            "spark.task.cpus = {} leaves no task slot on executors of {} cores",
            c.task_cpus, c.cores_per_executor
        )));
    }
    if c.slots_per_executor() > MAX_SLOTS_PER_EXECUTOR {
        return Err(limit(format!(
            "{} task slots per executor; the simulator accepts at most {MAX_SLOTS_PER_EXECUTOR}",
            c.slots_per_executor()
        )));
    }
    for se in &c.slow_executors {
        if se.executor >= c.executors || se.time_pct == 0 || se.time_pct > 100_000 {
            return Err(err(format!("slow executor {} / {} % is out of range", se.executor, se.time_pct)));
        }
    }
    let o = &s.options;
    if !(0.0..=1.0).contains(&o.task_failure_rate) {
        return Err(err("task_failure_rate must be between 0 and 1"));
    }
    if !(o.speculation_quantile > 0.0 && o.speculation_quantile <= 1.0) {
        return Err(err("spark.speculation.quantile must be in (0, 1]"));
    }
    if !(o.speculation_multiplier > 0.0 && o.speculation_multiplier <= 1_000.0) {
        return Err(err("spark.speculation.multiplier must be in (0, 1000]"));
    }
    if o.speculation_interval_ms == 0 {
        return Err(err("spark.speculation.interval must be positive"));
    }
    if !(1..=1_000).contains(&o.task_max_failures) || !(1..=1_000).contains(&o.stage_max_consecutive_attempts) {
        return Err(err("spark.task.maxFailures and spark.stage.maxConsecutiveAttempts must be between 1 and 1000"));
    }
    if o.jitter_pct > 95 {
        return Err(err("jitter_pct must be at most 95"));
    }
    if !(0.0..=1.0).contains(&o.memory_fraction) || !(0.0..=1.0).contains(&o.memory_storage_fraction) {
        return Err(err("spark.memory.fraction and spark.memory.storageFraction must be between 0 and 1"));
    }
    if let Some(k) = &o.kill_executor {
        if k.executor >= c.executors {
            return Err(err(format!("cannot kill executor {}: the cluster has {}", k.executor, c.executors)));
        }
    }
    let times = [
        o.speculation_min_runtime_ms,
        o.speculation_interval_ms,
        o.fetch_failure_detect_ms,
        o.kill_executor.as_ref().map_or(0, |k| k.at_ms),
    ];
    let delays = s.jobs.iter().filter_map(|j| j.submit_delay_ms);
    if times.into_iter().chain(delays).any(|ms| ms > MAX_OPTION_MS) {
        return Err(limit(format!("a time option exceeds {MAX_OPTION_MS} ms")));
    }
    Ok(())
}

fn check_tasks(jid: u32, s: &StageSpec) -> Result<(), Diagnostic> {
    let n = s.tasks.len();
    if n > 1 && n != s.num_tasks as usize {
        return Err(err(format!(
            "stage {} of job {jid} lists {n} tasks but has num_tasks = {} (give all, one for every partition, or none)",
            s.stage_id, s.num_tasks
        )));
    }
    if n > 1 {
        if let Some((i, t)) = s.tasks.iter().enumerate().find(|(i, t)| t.partition as usize != *i) {
            return Err(err(format!(
                "stage {} of job {jid}: task entry {i} is for partition {} (list tasks in partition order)",
                s.stage_id, t.partition
            )));
        }
    }
    Ok(())
}

fn check_acyclic(jid: u32, base: usize, stages: &[PStage]) -> Result<(), Diagnostic> {
    // Kahn's algorithm over the job's stages.
    let n = stages.len();
    let mut indeg = vec![0usize; n];
    let mut children = vec![Vec::new(); n];
    for (i, s) in stages.iter().enumerate() {
        for &p in &s.parents {
            indeg[i] += 1;
            children[p - base].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut seen = 0;
    while let Some(i) = ready.pop() {
        seen += 1;
        for &c in &children[i] {
            indeg[c] -= 1;
            if indeg[c] == 0 {
                ready.push(c);
            }
        }
    }
    if seen != n {
        return Err(err(format!("the stages of job {jid} form a cycle")));
    }
    Ok(())
}

fn check_jobs_acyclic(jobs: &[PJob]) -> Result<(), Diagnostic> {
    let mut indeg: Vec<usize> = jobs.iter().map(|j| j.deps.len()).collect();
    let mut ready: Vec<usize> = (0..jobs.len()).filter(|&i| indeg[i] == 0).collect();
    let mut seen = 0;
    while let Some(i) = ready.pop() {
        seen += 1;
        for &d in &jobs[i].dependents {
            indeg[d] -= 1;
            if indeg[d] == 0 {
                ready.push(d);
            }
        }
    }
    if seen != jobs.len() {
        return Err(err("the jobs' after_jobs form a cycle"));
    }
    Ok(())
}
