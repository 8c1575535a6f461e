//! The simulation report: the JSON object `stagecraft simulate --format json` prints, in the shape
//! `../shared/fidelity/README.md` defines (plans, joins, jobs with stages, AQE shuffle reads, DPP), plus
//! the lineage of a PySpark snippet's RDD jobs.
//! Knows the format only; the pipeline fills it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The physical plan as Spark prints it under `== Physical Plan ==` (before the run).
    pub initial_plan: String,
    /// The plan after the run (AQE: `isFinalPlan=true` with query stages); AQE off: the initial plan.
    pub final_plan: String,
    pub joins_initial: Vec<JoinReport>,
    pub joins_final: Vec<JoinReport>,
    /// Every job the run caused, setup statements and earlier actions included.
    pub jobs: Vec<JobReport>,
    pub aqe_shuffle_reads: Vec<ShuffleReadReport>,
    pub dynamic_partition_pruning: bool,
    /// How many SQL executions the run had (actions, cache materialisations).
    #[serde(default)]
    pub sql_executions: usize,
    /// The RDD jobs of a PySpark snippet (their stages are in `jobs`): call site and lineage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rdd_jobs: Vec<RddJobReport>,
}

/// One RDD job: its id in `jobs`, Spark's call site (`collect at <stdin>:5`) and `RDD.toDebugString`
/// of its final RDD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RddJobReport {
    pub job_id: u32,
    pub site: String,
    pub lineage: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinReport {
    pub strategy: String,
    pub join_type: String,
    pub build_side: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skew_join: bool,
    /// Why this strategy was chosen (sizes against thresholds, hints).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobReport {
    pub job_id: u32,
    /// `result`, `shuffle_map_stage_only (AQE query stage)`, `broadcast`, `sampling`, ...
    pub kind: String,
    pub stages: Vec<StageReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageReport {
    pub stage_id: u32,
    pub num_tasks: u32,
    pub parent_ids: Vec<u32>,
    /// `completed` or `skipped`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShuffleReadReport {
    /// `coalesced`, `skewed`, `coalesced and skewed`, `local`.
    pub desc: String,
    pub partitions: u32,
}
