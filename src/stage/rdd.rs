//! RDD jobs as the pipeline plans them (issue 5): each PySpark RDD action's job with its stages in the
//! RDD lineage's own numbering, each stage's Spark name, RDD classes and estimated task work, and where
//! the job falls among the snippet's SQL executions. Plain data: `rdd_cost` fills it
//! from the lowering's lineage, `rdd_merge` numbers it together with the SQL jobs, as one
//! SparkContext's job and stage counters do, into the simulator's schedule and the report.

use crate::sim::TaskWork;

/// One RDD job: `collect at <stdin>:5`, a checkpoint's write, `sortByKey`'s sampling jobs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RddJobPlan {
    /// How many SQL executions of the run came before this job (its place in program order).
    pub after_executions: usize,
    /// The RDD action (`collect`, `count`, `saveAsTextFile`, `checkpoint`, ...).
    pub action: String,
    /// Spark's call site, the job's description in the Spark UI: `collect at <stdin>:5`.
    pub site: String,
    /// `RDD.toDebugString` of the job's final RDD when the job ran.
    pub lineage: String,
    /// Map stages first (ancestors before descendants), the result stage last.
    pub stages: Vec<RddStagePlan>,
    /// The SQL executions (`df.rdd`) whose physical plans run under this job: (execution index, the local
    /// id of the RDD stage their final stage is pipelined into).
    pub sql: Vec<(usize, u32)>,
}

/// One stage of an RDD job, ids in the lineage's own numbering (`rdd::RddStage::stage_id`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RddStagePlan {
    pub local_id: u32,
    pub parents: Vec<u32>,
    pub num_tasks: u32,
    /// The shuffle's map output exists (an earlier job wrote it) or a cache makes it unnecessary.
    pub skipped: bool,
    /// For a shuffle map stage: the shuffle it writes (the `ShuffledRDD`'s node index).
    pub writes: Option<usize>,
    /// The stage's name as the Spark UI shows it: a map stage its last RDD's creation site
    /// (`reduceByKey at <stdin>:3`), the result stage the job's call site.
    pub name: String,
    /// The RDDs the stage pipelines, from its sources to its last RDD, as `Class[id]`.
    pub rdds: Vec<String>,
    /// The operations that created them (`textFile`, `reduceByKey`, ...), once each, in that order.
    pub scopes: Vec<String>,
    /// Per-task work: one entry, the same for every task (the cost model spreads data evenly).
    pub work: Vec<TaskWork>,
}
