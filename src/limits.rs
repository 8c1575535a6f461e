//! Named limits on what one scenario may ask for, in one place, and the checks the pipeline runs against
//! them. Every refusal is a `Diagnostic` of phase `Limit` with the line:col it applies to and a message
//! naming the limit. The frontends' own limits (text size, parser nesting) live next to their parsers and
//! are re-exported here; this module knows plan shapes and counts, nothing of how plans are made.

use crate::error::{Diagnostic, Phase, Result, Span};
use crate::logical::plan::LogicalPlan;
use crate::physical::plan::{Op, SparkPlan};

pub use crate::input::ddl::{MAX_DDL_BYTES, MAX_TABLES};
pub use crate::input::pyspark::{MAX_DEPTH as MAX_PYSPARK_DEPTH, MAX_INPUT_BYTES as MAX_PYSPARK_BYTES};
pub use crate::input::sql::{MAX_JOINS, MAX_RELATIONS, MAX_SQL_CHARS, MAX_SQL_DEPTH};
pub use crate::sim::cost::{MAX_PHASE_US, MAX_SIM_TIME_US};
pub use crate::sim::validate::MAX_TASKS;

/// Deepest analyzed logical plan (operators on the longest root-to-leaf path). The optimizer and the
/// physical planner recurse over plans; this keeps them far from the stack's end.
pub const MAX_PLAN_DEPTH: usize = 1_000;
/// Most operators in one analyzed logical plan (views and CTEs count once per reference, as Spark inlines
/// them), so that references to references cannot multiply a plan beyond memory.
pub const MAX_PLAN_NODES: usize = 20_000;
/// Most partitions of one shuffle, scan or coalesce (`spark.sql.shuffle.partitions`, `REPARTITION(n)`,
/// `df.repartition(n)`): one stage runs at most this many tasks.
pub const MAX_PARTITIONS: u32 = 1_000_000;

fn limit(msg: String, span: Span) -> Diagnostic {
    Diagnostic::new(Phase::Limit, msg, span)
}

/// Operators in `plan`, the plans of the CTE references inside it included (a `CteRef` holds its copy
/// of the CTE's plan outside `children()`; not counting it let CTEs that reference CTEs twice double the
/// plan at every level unrefused). With an explicit stack: plans may be deep.
pub fn plan_nodes(plan: &LogicalPlan) -> usize {
    let mut n = 0;
    let mut stack = vec![plan];
    while let Some(p) = stack.pop() {
        n += 1;
        if let LogicalPlan::CteRef { plan, .. } = p {
            stack.push(plan);
        }
        stack.extend(p.children());
    }
    n
}

/// Checks an analyzed plan's size and depth; `span` is where its text starts.
pub fn check_logical(plan: &LogicalPlan, span: Span) -> Result<()> {
    let mut nodes = 0usize;
    let mut stack = vec![(plan, 1usize)];
    while let Some((p, depth)) = stack.pop() {
        nodes += 1;
        if nodes > MAX_PLAN_NODES {
            return Err(limit(format!("the query's plan has more than {MAX_PLAN_NODES} operators (MAX_PLAN_NODES); views and CTEs are copied into it at every reference"), span));
        }
        if depth > MAX_PLAN_DEPTH {
            return Err(limit(format!("the query's plan is nested more than {MAX_PLAN_DEPTH} operators deep (MAX_PLAN_DEPTH)"), span));
        }
        stack.extend(p.children().into_iter().map(|c| (c, depth + 1)));
    }
    Ok(())
}

/// Checks a physical plan's partition counts against [`MAX_PARTITIONS`]; `span` is where its text starts.
pub fn check_physical(plan: &SparkPlan, span: Span) -> Result<()> {
    let mut stack = vec![plan];
    while let Some(p) = stack.pop() {
        let (what, n) = match &p.op {
            Op::ShuffleExchange { partitioning, .. } => ("an exchange", partitioning.num_partitions() as u64),
            Op::FileSourceScan(f) => ("a scan", f.num_partitions as u64),
            Op::Coalesce { n } => ("a coalesce", *n as u64),
            Op::Range { splits, .. } => ("a range", *splits as u64),
            // CartesianRDD has a partition per pair of its parents' partitions and UnionRDD the sum of its
            // parents': a product of two allowed counts can be far beyond the limit (saturating at u32::MAX).
            Op::CartesianProduct { .. } => ("a cartesian product", crate::stage::partitions::num_partitions(p) as u64),
            Op::Union => ("a union", crate::stage::partitions::num_partitions(p) as u64),
            _ => ("", 0),
        };
        if n > MAX_PARTITIONS as u64 {
            let lower = match p.op {
                Op::CartesianProduct { .. } | Op::Union => "its inputs' partitions (spark.sql.files.maxPartitionBytes, spark.sql.shuffle.partitions)",
                _ => "spark.sql.shuffle.partitions or the repartition count",
            };
            return Err(limit(format!("{what} with {n} partitions: a stage may have at most {MAX_PARTITIONS} tasks (MAX_PARTITIONS); lower {lower}"), span));
        }
        stack.extend(p.children.iter().chain(&p.subqueries));
    }
    Ok(())
}

/// Checks the tasks of a run (every stage of every job, skipped ones excluded) against [`MAX_TASKS`].
pub fn check_tasks(jobs: &[crate::report::JobReport], span: Span) -> Result<()> {
    let total: u64 = jobs.iter().flat_map(|j| &j.stages).filter(|s| s.status != "skipped").map(|s| s.num_tasks as u64).sum();
    if total > MAX_TASKS {
        return Err(limit(format!("the run has {total} tasks; the simulator accepts at most {MAX_TASKS} (MAX_TASKS): lower spark.sql.shuffle.partitions or split the query"), span));
    }
    Ok(())
}
