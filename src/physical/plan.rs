//! Physical plans: `SparkPlan`, a node holding one of Spark's physical operators (`Op`, an enum of
//! structs named after Spark's `*Exec` classes), its children, the subquery plans its expressions
//! evaluate (Spark's `innerChildren`) and the logical estimate it was planned from. Each operator knows
//! its output, its `simpleString` (one line of `executedPlan.toString`) and its arguments.
//! Knows nothing of how a plan is chosen (`planner`), of exchanges' placement (`ensure_requirements`)
//! or of scheduling.

use super::partitioning::{BroadcastMode, Partitioning, ShuffleOrigin};
pub use super::text::{abbreviate, attr_list, attr_list_tight, expr_list, expr_text, format_name, named_to_attr_expr, order_list, struct_text};
use crate::logical::expr::{Attribute, Expr, ExprId, SortOrder};
use crate::logical::plan::{JoinType, StorageLevel};
use crate::logical::stats::Stats;

/// Which side of a hash or nested-loop join is built (broadcast or hashed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildSide {
    BuildLeft,
    BuildRight,
}

impl BuildSide {
    pub fn name(self) -> &'static str {
        match self {
            BuildSide::BuildLeft => "BuildLeft",
            BuildSide::BuildRight => "BuildRight",
        }
    }
}

/// The join strategy JoinSelection picked, with the reasoning in words.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinDecision {
    /// Spark's operator name: `BroadcastHashJoin`, `SortMergeJoin`, `ShuffledHashJoin`,
    /// `BroadcastNestedLoopJoin`, `CartesianProduct`.
    pub strategy: String,
    /// Spark's join type name (`Inner`, `LeftOuter`, `LeftSemi`, ...).
    pub join_type: String,
    pub build_side: Option<BuildSide>,
    /// Why this strategy, e.g. "products: 95.5 KiB ≤ 10.0 MiB spark.sql.autoBroadcastJoinThreshold → broadcast".
    pub why: String,
}

/// `FileSourceScanExec`: a file table read with pruned columns and pushed filters.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSourceScan {
    pub table: String,
    /// Lower-case format name (`parquet`, `orc`, `csv`, `json`).
    pub format: String,
    /// Data columns read, then the table's partition columns (Spark always outputs them).
    pub output: Vec<Attribute>,
    /// Filters on partition columns only (pruning files), incl. `dynamicpruningexpression(...)`.
    pub partition_filters: Vec<Expr>,
    /// Filters on data columns (also kept in the `Filter` above the scan).
    pub data_filters: Vec<Expr>,
    /// The data source filters pushed to the reader (`IsNotNull(a)`, `EqualTo(a,1)`).
    pub pushed_filters: Vec<String>,
    /// Data columns read (`ReadSchema: struct<...>`).
    pub read_schema: Vec<Attribute>,
    /// `Batched: true` (vectorized reader: the scan is columnar and needs `ColumnarToRow`).
    pub batched: bool,
    /// `InMemoryFileIndex(1 paths)[file:/...]`.
    pub location: String,
    /// Files kept after static partition pruning / total files.
    pub files_selected: usize,
    pub files_total: usize,
    /// Scan tasks (bin-packed file splits) and how that number came about.
    pub num_partitions: usize,
    pub partitions_why: String,
    /// Expression ids of the DPP subqueries this scan waits for (their plans are the node's subqueries).
    pub dpp_ids: Vec<ExprId>,
}

/// `HashAggregateExec` / `ObjectHashAggregateExec` / `SortAggregateExec`.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateExec {
    pub kind: AggKind,
    /// Grouping expressions (attributes, or aliases of expressions).
    pub grouping: Vec<Expr>,
    /// `Expr::Agg` with their mode (`partial_sum`, `merge_sum`, `sum`).
    pub aggregates: Vec<Expr>,
    /// One result attribute per aggregate (`sum#160` for partial buffers, `sum(x#1)#131` for final).
    pub aggregate_attributes: Vec<Attribute>,
    /// The output expressions (`status#24, count#137L`, or `sum(x#1)#131 AS revenue#128`).
    pub results: Vec<Expr>,
    /// `Some(keys)` for final/merge phases (ClusteredDistribution(keys), or AllTuples when empty).
    pub required_distribution: Option<Vec<Expr>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    Hash,
    ObjectHash,
    Sort,
}

impl AggKind {
    pub fn name(self) -> &'static str {
        match self {
            AggKind::Hash => "HashAggregate",
            AggKind::ObjectHash => "ObjectHashAggregate",
            AggKind::Sort => "SortAggregate",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HashJoinExec {
    pub left_keys: Vec<Expr>,
    pub right_keys: Vec<Expr>,
    pub join_type: JoinType,
    pub build_side: BuildSide,
    pub condition: Option<Expr>,
    /// Only for BroadcastHashJoin (NOT IN rewritten to a null-aware anti join).
    pub null_aware: bool,
    pub decision: JoinDecision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortMergeJoinExec {
    pub left_keys: Vec<Expr>,
    pub right_keys: Vec<Expr>,
    pub join_type: JoinType,
    pub condition: Option<Expr>,
    /// Set by AQE's OptimizeSkewedJoin (`SortMergeJoin(skew=true)`).
    pub skew: bool,
    pub decision: JoinDecision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NestedLoopJoinExec {
    pub build_side: BuildSide,
    pub join_type: JoinType,
    pub condition: Option<Expr>,
    pub decision: JoinDecision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowGroupLimitMode {
    Partial,
    Final,
}

/// Spark's physical operators. Children live in `SparkPlan::children`, in Spark's order.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    FileSourceScan(FileSourceScan),
    LocalTableScan { output: Vec<Attribute>, rows: usize },
    /// `SELECT` without `FROM` (`RDDScanExec` over Spark's one-row RDD).
    OneRowRelation,
    Range { start: i64, end: i64, step: i64, splits: u32, output: Vec<Attribute> },
    Filter { cond: Expr },
    Project { exprs: Vec<Expr> },
    Aggregate(AggregateExec),
    ShuffleExchange { partitioning: Partitioning, origin: ShuffleOrigin, plan_id: u32 },
    BroadcastExchange { mode: BroadcastMode, plan_id: u32 },
    BroadcastHashJoin(HashJoinExec),
    ShuffledHashJoin(HashJoinExec),
    SortMergeJoin(SortMergeJoinExec),
    BroadcastNestedLoopJoin(NestedLoopJoinExec),
    CartesianProduct { condition: Option<Expr>, decision: JoinDecision },
    Sort { order: Vec<SortOrder>, global: bool },
    TakeOrderedAndProject { limit: i64, order: Vec<SortOrder>, project: Vec<Expr> },
    CollectLimit { limit: i64 },
    GlobalLimit { limit: i64 },
    LocalLimit { limit: i64 },
    Union,
    Expand { projections: Vec<Vec<Expr>>, output: Vec<Attribute> },
    Generate { generator: Expr, required_child_output: Vec<Attribute>, outer: bool, generator_output: Vec<Attribute> },
    Window { window_exprs: Vec<Expr>, partition_by: Vec<Expr>, order_by: Vec<SortOrder> },
    WindowGroupLimit { partition_by: Vec<Expr>, order_by: Vec<SortOrder>, rank_fn: String, limit: i64, mode: WindowGroupLimitMode },
    Coalesce { n: u32 },
    /// Reads a cached relation; `cached` is the cached query's own (separately prepared) physical plan.
    InMemoryTableScan {
        attributes: Vec<Attribute>,
        predicates: Vec<Expr>,
        relation_output: Vec<Attribute>,
        level: StorageLevel,
        cache_id: u32,
        cached: Box<SparkPlan>,
    },
    /// An exchange identical to an earlier one; `reused` is that exchange (with its subtree).
    ReusedExchange { output: Vec<Attribute>, reused: Box<SparkPlan> },
    /// DPP's subquery broadcasting the build side's join keys (AQE off); child: the BroadcastExchange.
    SubqueryBroadcast { name: String, index: usize, build_keys: Vec<Expr>, id: u32 },
    /// DPP's subquery under AQE; child: `AdaptiveSparkPlan` over the build plan.
    SubqueryAdaptiveBroadcast { name: String, index: usize, only_in_broadcast: bool, build_plan: String, build_keys: Vec<Expr> },
    /// A scalar subquery (`Subquery scalar-subquery#N, [id=#M]`); child: its plan.
    Subquery { name: String, expr_id: ExprId, id: u32 },
    EvalPython { udfs: Vec<Expr>, results: Vec<Attribute>, arrow: bool },
    /// An opaque RDD-level step (`MapPartitions`, lambdas).
    MapPartitions { func: String, output: Vec<Attribute> },
    /// `Execute InsertIntoHadoopFsRelationCommand ...` (its text is the command's).
    DataWritingCommand { command: String, partition_by: Vec<String> },
    WriteFiles,
    /// `df.write.format("noop").mode("overwrite").save()`.
    OverwriteByExpression,
    WholeStageCodegen { id: u32 },
    InputAdapter,
    ColumnarToRow,
    AdaptiveSparkPlan { is_final: bool },
    ShuffleQueryStage { id: u32 },
    BroadcastQueryStage { id: u32 },
    AqeShuffleRead { desc: String, partitions: u32 },
}

/// One physical plan node.
#[derive(Debug, Clone, PartialEq)]
pub struct SparkPlan {
    pub op: Op,
    pub children: Vec<SparkPlan>,
    /// Subquery plans evaluated by this node's expressions (DPP, scalar subqueries), printed as
    /// Spark's inner children.
    pub subqueries: Vec<SparkPlan>,
    /// The optimizer's estimate of the logical node this came from (`None` for nodes Spark adds
    /// without a logical counterpart, which copy their child's).
    pub stats: Option<Stats>,
}

impl SparkPlan {
    pub fn new(op: Op, children: Vec<SparkPlan>) -> SparkPlan {
        SparkPlan { op, children, subqueries: vec![], stats: None }
    }
    pub fn leaf(op: Op) -> SparkPlan {
        SparkPlan::new(op, vec![])
    }
    pub fn unary(op: Op, child: SparkPlan) -> SparkPlan {
        let stats = child.stats.clone();
        SparkPlan { op, children: vec![child], subqueries: vec![], stats }
    }
    pub fn with_stats(mut self, stats: Option<Stats>) -> SparkPlan {
        self.stats = stats;
        self
    }

    pub fn child(&self) -> Option<&SparkPlan> {
        self.children.first()
    }

    /// Spark's `nodeName`.
    pub fn node_name(&self) -> String {
        match &self.op {
            Op::FileSourceScan(s) => format!("Scan {} ", s.format),
            Op::LocalTableScan { .. } => "LocalTableScan".into(),
            Op::OneRowRelation => "Scan OneRowRelation".into(),
            Op::Range { .. } => "Range".into(),
            Op::Filter { .. } => "Filter".into(),
            Op::Project { .. } => "Project".into(),
            Op::Aggregate(a) => a.kind.name().into(),
            Op::ShuffleExchange { .. } => "Exchange".into(),
            Op::BroadcastExchange { .. } => "BroadcastExchange".into(),
            Op::BroadcastHashJoin(_) => "BroadcastHashJoin".into(),
            Op::ShuffledHashJoin(_) => "ShuffledHashJoin".into(),
            Op::SortMergeJoin(j) => {
                if j.skew {
                    "SortMergeJoin(skew=true)".into()
                } else {
                    "SortMergeJoin".into()
                }
            }
            Op::BroadcastNestedLoopJoin(_) => "BroadcastNestedLoopJoin".into(),
            Op::CartesianProduct { .. } => "CartesianProduct".into(),
            Op::Sort { .. } => "Sort".into(),
            Op::TakeOrderedAndProject { .. } => "TakeOrderedAndProject".into(),
            Op::CollectLimit { .. } => "CollectLimit".into(),
            Op::GlobalLimit { .. } => "GlobalLimit".into(),
            Op::LocalLimit { .. } => "LocalLimit".into(),
            Op::Union => "Union".into(),
            Op::Expand { .. } => "Expand".into(),
            Op::Generate { .. } => "Generate".into(),
            Op::Window { .. } => "Window".into(),
            Op::WindowGroupLimit { .. } => "WindowGroupLimit".into(),
            Op::Coalesce { .. } => "Coalesce".into(),
            Op::InMemoryTableScan { .. } => "InMemoryTableScan".into(),
            Op::ReusedExchange { .. } => "ReusedExchange".into(),
            Op::SubqueryBroadcast { .. } => "SubqueryBroadcast".into(),
            Op::SubqueryAdaptiveBroadcast { .. } => "SubqueryAdaptiveBroadcast".into(),
            Op::Subquery { .. } => "Subquery".into(),
            Op::EvalPython { arrow: true, .. } => "ArrowEvalPython".into(),
            Op::EvalPython { .. } => "BatchEvalPython".into(),
            Op::MapPartitions { .. } => "MapPartitions".into(),
            Op::DataWritingCommand { .. } => "Execute InsertIntoHadoopFsRelationCommand".into(),
            Op::WriteFiles => "WriteFiles".into(),
            Op::OverwriteByExpression => "OverwriteByExpression".into(),
            Op::WholeStageCodegen { id } => format!("WholeStageCodegen ({id})"),
            Op::InputAdapter => "InputAdapter".into(),
            Op::ColumnarToRow => "ColumnarToRow".into(),
            Op::AdaptiveSparkPlan { .. } => "AdaptiveSparkPlan".into(),
            Op::ShuffleQueryStage { .. } => "ShuffleQueryStage".into(),
            Op::BroadcastQueryStage { .. } => "BroadcastQueryStage".into(),
            Op::AqeShuffleRead { .. } => "AQEShuffleRead".into(),
        }
    }

    /// The attributes this node produces, in order (with Spark's nullability rules).
    pub fn output(&self) -> Vec<Attribute> {
        let child_out = || self.children.first().map(|c| c.output()).unwrap_or_default();
        match &self.op {
            Op::FileSourceScan(s) => s.output.clone(),
            Op::LocalTableScan { output, .. } | Op::Range { output, .. } | Op::Expand { output, .. } => output.clone(),
            Op::MapPartitions { output, .. } => output.clone(),
            Op::Filter { cond } => {
                let not_null = not_null_ids(cond);
                child_out()
                    .into_iter()
                    .map(|mut a| {
                        if not_null.contains(&a.id) {
                            a.nullable = false;
                        }
                        a
                    })
                    .collect()
            }
            Op::Project { exprs } => exprs.iter().filter_map(|e| e.to_attribute()).collect(),
            Op::TakeOrderedAndProject { project, .. } => project.iter().filter_map(|e| e.to_attribute()).collect(),
            Op::Aggregate(a) => a.results.iter().filter_map(|e| e.to_attribute()).collect(),
            Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => join_output(self, j.join_type),
            Op::SortMergeJoin(j) => join_output(self, j.join_type),
            Op::BroadcastNestedLoopJoin(j) => join_output(self, j.join_type),
            Op::CartesianProduct { .. } => join_output(self, JoinType::Inner),
            Op::Union => {
                // Each child's output once (per column it made nested unions exponential).
                let mut first = child_out();
                for o in self.children.iter().skip(1).map(|c| c.output()) {
                    for (i, a) in first.iter_mut().enumerate() {
                        a.nullable |= o.get(i).map(|x| x.nullable).unwrap_or(true);
                    }
                }
                first
            }
            Op::Generate { required_child_output, generator_output, .. } => {
                let mut o = required_child_output.clone();
                o.extend(generator_output.iter().cloned());
                o
            }
            Op::Window { window_exprs, .. } => {
                let mut o = child_out();
                o.extend(window_exprs.iter().filter_map(|e| e.to_attribute()));
                o
            }
            Op::InMemoryTableScan { attributes, .. } => attributes.clone(),
            Op::ReusedExchange { output, .. } => output.clone(),
            Op::EvalPython { results, .. } => {
                let mut o = child_out();
                o.extend(results.iter().cloned());
                o
            }
            Op::DataWritingCommand { .. } | Op::OverwriteByExpression | Op::OneRowRelation => vec![],
            _ => child_out(),
        }
    }

    /// Pre-order visit of this plan (not entering subqueries or cached plans).
    pub fn walk(&self, f: &mut dyn FnMut(&SparkPlan)) {
        f(self);
        for c in &self.children {
            c.walk(f);
        }
    }

    /// Pre-order visit including subquery plans (after the node, before its children).
    pub fn walk_with_subqueries(&self, f: &mut dyn FnMut(&SparkPlan)) {
        f(self);
        for s in &self.subqueries {
            s.walk_with_subqueries(f);
        }
        for c in &self.children {
            c.walk_with_subqueries(f);
        }
    }

    pub fn any(&self, pred: &dyn Fn(&SparkPlan) -> bool) -> bool {
        let mut found = false;
        self.walk(&mut |p| {
            if !found && pred(p) {
                found = true
            }
        });
        found
    }

    /// Bottom-up rewrite of the main tree (children first, left to right).
    pub fn transform_up(self, f: &mut dyn FnMut(SparkPlan) -> SparkPlan) -> SparkPlan {
        let SparkPlan { op, children, subqueries, stats } = self;
        let children = children.into_iter().map(|c| c.transform_up(f)).collect();
        f(SparkPlan { op, children, subqueries, stats })
    }

    /// WholeStageCodegen and InputAdapter: wrappers Spark does not count as operators of their own.
    pub fn is_wrapper(&self) -> bool {
        matches!(self.op, Op::WholeStageCodegen { .. } | Op::InputAdapter)
    }

    /// The join decision, for join nodes.
    pub fn join_decision(&self) -> Option<&JoinDecision> {
        match &self.op {
            Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => Some(&j.decision),
            Op::SortMergeJoin(j) => Some(&j.decision),
            Op::BroadcastNestedLoopJoin(j) => Some(&j.decision),
            Op::CartesianProduct { decision, .. } => Some(decision),
            _ => None,
        }
    }
}

fn join_output(node: &SparkPlan, jt: JoinType) -> Vec<Attribute> {
    let l = node.children.first().map(|c| c.output()).unwrap_or_default();
    let r = node.children.get(1).map(|c| c.output()).unwrap_or_default();
    let nullable = |v: Vec<Attribute>| -> Vec<Attribute> {
        v.into_iter()
            .map(|mut a| {
                a.nullable = true;
                a
            })
            .collect()
    };
    match jt {
        JoinType::LeftSemi | JoinType::LeftAnti => l,
        JoinType::LeftOuter => {
            let mut o = l;
            o.extend(nullable(r));
            o
        }
        JoinType::RightOuter => {
            let mut o = nullable(l);
            o.extend(r);
            o
        }
        JoinType::FullOuter => {
            let mut o = nullable(l);
            o.extend(nullable(r));
            o
        }
        _ => {
            let mut o = l;
            o.extend(r);
            o
        }
    }
}

/// Attributes a filter proves non-null (`isnotnull(a)` conjuncts over null-intolerant expressions),
/// as Spark's `FilterExec.notNullAttributes`.
pub fn not_null_ids(cond: &Expr) -> Vec<ExprId> {
    let mut out = vec![];
    for c in crate::logical::expr::split_conjuncts(cond) {
        if let Expr::IsNotNull(inner) = &c {
            if null_intolerant(inner) {
                for a in inner.references() {
                    out.push(a.id);
                }
            }
        }
    }
    out
}

fn null_intolerant(e: &Expr) -> bool {
    match e {
        Expr::Attr(_) => true,
        Expr::Cast { child, .. } | Expr::Neg(child) => null_intolerant(child),
        Expr::Binary { op, left, right } if op.is_arithmetic() || op.is_comparison() => {
            null_intolerant(left) && null_intolerant(right) || matches!(**left, Expr::Lit(..)) && null_intolerant(right)
                || matches!(**right, Expr::Lit(..)) && null_intolerant(left)
        }
        _ => false,
    }
}
