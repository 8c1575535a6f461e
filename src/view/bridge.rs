//! A stand-in until `pipeline::Run` carries the simulation (branch h-sim): turns the report's jobs and stages
//! into a `sim::Schedule` with modest per-task work (more for shuffle reducers of a join, one hot reducer when
//! the query joins on a skewed key), and simulates it. Knows the report and sim model shapes only.

use crate::report::Report;
use crate::scenario::Scenario;
use crate::sim::{self, ClusterSpec, JobKind, JobSpec, Schedule, SimConfig, SimResult, StageSpec, TaskWork};

pub fn simulate(report: &Report, s: &Scenario) -> Option<SimResult> {
    let conf = |k: &str| s.confs.get(k).map(String::as_str);
    let skewed = report.joins_final.iter().any(|j| j.strategy.contains("SortMerge") || j.strategy.contains("ShuffledHash"))
        && s.query.text.contains("customer_id");
    let mut jobs = vec![];
    let mut prev: Option<u32> = None;
    for j in &report.jobs {
        let kind = match j.kind.as_str() {
            k if k.starts_with("shuffle_map") => JobKind::MapStageOnly,
            "broadcast" => JobKind::Broadcast,
            _ => JobKind::Result,
        };
        let n = j.stages.len();
        let stages = j
            .stages
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let reads = !st.parent_ids.is_empty();
                let mb = 1 << 20;
                let work: Vec<TaskWork> = (0..st.num_tasks)
                    .map(|p| {
                        let h = (st.stage_id * 7919 + p * 104_729) % 97;
                        let hot = skewed && reads && p == 0;
                        let mut w = TaskWork::cpu_ms(if hot { 2400 } else { 120 + h as u64 * 3 });
                        if reads {
                            w = w.shuffle_read(if hot { 24 * mb } else { mb + h as u64 * 9000 }, 1000);
                        } else {
                            w = w.input(8 * mb, 100_000);
                        }
                        if i + 1 < n || kind == JobKind::MapStageOnly {
                            w = w.shuffle_write(mb / 2 + h as u64 * 5000, 1000);
                        }
                        w
                    })
                    .collect();
                let spec = if i + 1 == n && kind != JobKind::MapStageOnly {
                    StageSpec::result(st.stage_id, st.num_tasks)
                } else {
                    StageSpec::map(st.stage_id, st.num_tasks, st.stage_id)
                };
                let spec = spec.parents(&st.parent_ids).tasks(work);
                if st.status == "skipped" {
                    spec.skipped()
                } else {
                    spec
                }
            })
            .collect();
        let mut spec = JobSpec::new(j.job_id, kind, stages);
        if let Some(p) = prev {
            spec = spec.after(&[p]);
        }
        prev = Some(j.job_id);
        jobs.push(spec);
    }
    let mut cluster = ClusterSpec::new(s.cluster.executors, s.cluster.cores_per_executor);
    cluster.executor_memory_mb = s.cluster.executor_memory_mb;
    let mut options = SimConfig { seed: s.sim.seed, jitter_pct: 10, ..SimConfig::default() };
    options.speculation = conf("spark.speculation") == Some("true");
    if let Some((e, t)) = conf("stagecraft.kill_executor").and_then(|v| v.split_once('@')) {
        options.kill_executor = Some(sim::KillExecutor { executor: e.parse().ok()?, at_ms: t.parse().ok()? });
    }
    sim::simulate(&Schedule::new(cluster, jobs).with_options(options)).ok()
}
