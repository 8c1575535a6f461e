//! Catalyst logical plans after analysis: every attribute resolved to an id and a type. Variants are
//! Spark's own nodes (`Relation`, `Project`, `Filter`, `Join`, `Aggregate`, `Window`, ...), each with its
//! `output`. Generic traversal lives here; printing in `display`, sizes in `stats`.

use super::expr::{Attribute, Expr, ExprId, SortOrder};
use crate::error::Span;
use crate::scenario::Table;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinType {
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftSemi,
    LeftAnti,
    Cross,
}

impl JoinType {
    /// Spark's `JoinType.toString` (`Inner`, `LeftOuter`, `LeftSemi`, ...).
    pub fn name(self) -> &'static str {
        match self {
            JoinType::Inner => "Inner",
            JoinType::LeftOuter => "LeftOuter",
            JoinType::RightOuter => "RightOuter",
            JoinType::FullOuter => "FullOuter",
            JoinType::LeftSemi => "LeftSemi",
            JoinType::LeftAnti => "LeftAnti",
            JoinType::Cross => "Cross",
        }
    }
    pub fn keeps_right_columns(self) -> bool {
        !matches!(self, JoinType::LeftSemi | JoinType::LeftAnti)
    }
}

/// Join strategy hints (`BROADCAST`, `MERGE`, `SHUFFLE_HASH`, `SHUFFLE_REPLICATE_NL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinStrategyHint {
    Broadcast,
    ShuffleMerge,
    ShuffleHash,
    ShuffleReplicateNl,
}

impl JoinStrategyHint {
    pub fn name(self) -> &'static str {
        match self {
            JoinStrategyHint::Broadcast => "broadcast",
            JoinStrategyHint::ShuffleMerge => "merge",
            JoinStrategyHint::ShuffleHash => "shuffle_hash",
            JoinStrategyHint::ShuffleReplicateNl => "shuffle_replicate_nl",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct JoinHint {
    pub left: Option<JoinStrategyHint>,
    pub right: Option<JoinStrategyHint>,
}

/// A cached relation's storage level (`MEMORY_AND_DISK` for `Dataset.cache()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageLevel {
    MemoryOnly,
    MemoryAndDisk,
    MemoryOnlySer,
    MemoryAndDiskSer,
    DiskOnly,
    OffHeap,
}

impl StorageLevel {
    pub fn parse(name: &str) -> Option<StorageLevel> {
        Some(match name.to_ascii_uppercase().as_str() {
            "MEMORY_ONLY" => StorageLevel::MemoryOnly,
            "MEMORY_AND_DISK" => StorageLevel::MemoryAndDisk,
            "MEMORY_ONLY_SER" => StorageLevel::MemoryOnlySer,
            "MEMORY_AND_DISK_SER" => StorageLevel::MemoryAndDiskSer,
            "DISK_ONLY" => StorageLevel::DiskOnly,
            "OFF_HEAP" => StorageLevel::OffHeap,
            _ => return None,
        })
    }
    /// Spark's `StorageLevel.description` (the Storage tab's Storage Level column).
    pub fn description(self) -> &'static str {
        match self {
            StorageLevel::MemoryOnly => "Memory Deserialized 1x Replicated",
            StorageLevel::MemoryAndDisk => "Disk Memory Deserialized 1x Replicated",
            StorageLevel::MemoryOnlySer => "Memory Serialized 1x Replicated",
            StorageLevel::MemoryAndDiskSer => "Disk Memory Serialized 1x Replicated",
            StorageLevel::DiskOnly => "Disk Serialized 1x Replicated",
            StorageLevel::OffHeap => "Disk Memory (off heap) Serialized 1x Replicated",
        }
    }
    pub fn use_memory(self) -> bool {
        self != StorageLevel::DiskOnly
    }
    pub fn use_disk(self) -> bool {
        !matches!(self, StorageLevel::MemoryOnly | StorageLevel::MemoryOnlySer)
    }
    /// Spark's `StorageLevel.toString`.
    pub fn describe(self) -> &'static str {
        match self {
            StorageLevel::MemoryOnly => "StorageLevel(memory, deserialized, 1 replicas)",
            StorageLevel::MemoryAndDisk => "StorageLevel(disk, memory, deserialized, 1 replicas)",
            StorageLevel::MemoryOnlySer => "StorageLevel(memory, 1 replicas)",
            StorageLevel::MemoryAndDiskSer => "StorageLevel(disk, memory, 1 replicas)",
            StorageLevel::DiskOnly => "StorageLevel(disk, 1 replicas)",
            StorageLevel::OffHeap => "StorageLevel(disk, memory, offheap, 1 replicas)",
        }
    }
}

/// A file-based table scan (`LogicalRelation` over a `HadoopFsRelation`).
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// Shared: plans are cloned at every optimizer pass, the catalog table (its file list) is not.
    pub table: Rc<Table>,
    pub output: Vec<Attribute>,
    /// Partition-column attributes (a subset of `output`).
    pub partition_cols: Vec<ExprId>,
}

impl Relation {
    /// The scan of catalog table `table`: an attribute per column in column order (ids from `next_id`, types
    /// parsed from the catalog, `string` when unparsable; nullable, unqualified) and its partition columns
    /// (matched by name, ignoring case).
    pub fn of_table(table: Table, mut next_id: impl FnMut() -> ExprId) -> Relation {
        let output: Vec<Attribute> = table
            .columns
            .iter()
            .map(|c| Attribute { name: c.name.clone(), id: next_id(), dtype: super::types::DataType::parse(&c.data_type).unwrap_or(super::types::DataType::String), nullable: true, qualifier: vec![] })
            .collect();
        let partition_cols = output.iter().filter(|a| table.partition_columns.iter().any(|p| p.eq_ignore_ascii_case(&a.name))).map(|a| a.id).collect();
        Relation { table: Rc::new(table), output, partition_cols }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WriteSpec {
    pub path: String,
    pub format: String,
    pub mode: String,
    pub partition_by: Vec<String>,
    /// `saveAsTable` target, if any.
    pub table: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LogicalPlan {
    Relation(Relation),
    /// Inline rows (`VALUES`, `createDataFrame`) or an empty relation produced by the optimizer.
    LocalRelation { output: Vec<Attribute>, rows: usize },
    Range { start: i64, end: i64, step: i64, splits: Option<u32>, output: Vec<Attribute> },
    Project { exprs: Vec<Expr>, child: Box<LogicalPlan> },
    Filter { cond: Expr, child: Box<LogicalPlan> },
    Join { left: Box<LogicalPlan>, right: Box<LogicalPlan>, join_type: JoinType, cond: Option<Expr>, hint: JoinHint, null_aware: bool },
    Aggregate { group: Vec<Expr>, aggs: Vec<Expr>, child: Box<LogicalPlan> },
    Sort { order: Vec<SortOrder>, global: bool, child: Box<LogicalPlan> },
    GlobalLimit { n: i64, child: Box<LogicalPlan> },
    LocalLimit { n: i64, child: Box<LogicalPlan> },
    /// `Union` (by position; `unionByName` is resolved into projections at analysis).
    Union { children: Vec<LogicalPlan>, by_name: bool, allow_missing: bool },
    Intersect { left: Box<LogicalPlan>, right: Box<LogicalPlan>, all: bool },
    Except { left: Box<LogicalPlan>, right: Box<LogicalPlan>, all: bool },
    Distinct { child: Box<LogicalPlan> },
    /// `dropDuplicates(cols)`.
    Deduplicate { keys: Vec<Attribute>, child: Box<LogicalPlan> },
    Window { window_exprs: Vec<Expr>, partition_by: Vec<Expr>, order_by: Vec<SortOrder>, child: Box<LogicalPlan> },
    WindowGroupLimit { partition_by: Vec<Expr>, order_by: Vec<SortOrder>, rank_fn: String, limit: i64, child: Box<LogicalPlan> },
    /// `unrequired_child_index`: positions of child columns the node does not pass on (ColumnPruning
    /// sets them; Spark prints them as `[0]` and `GenerateExec` keeps only the other child columns).
    /// `qualifier`: the LATERAL VIEW's table alias (`LATERAL VIEW explode(x) t AS y` prints `t`).
    Generate { generator: Expr, unrequired_child_index: Vec<usize>, outer: bool, qualifier: Option<String>, generator_output: Vec<Attribute>, child: Box<LogicalPlan> },
    Expand { projections: Vec<Vec<Expr>>, output: Vec<Attribute>, child: Box<LogicalPlan> },
    /// `repartition(n)` (shuffle) or `coalesce(n)` (no shuffle).
    Repartition { num: u32, shuffle: bool, child: Box<LogicalPlan> },
    /// `repartition(n?, cols)`, `REPARTITION` / `REPARTITION_BY_RANGE` hints; `range` uses sort orders.
    RepartitionByExpression { exprs: Vec<Expr>, range: Vec<SortOrder>, num: Option<u32>, child: Box<LogicalPlan> },
    RebalancePartitions { exprs: Vec<Expr>, child: Box<LogicalPlan> },
    SubqueryAlias { alias: String, child: Box<LogicalPlan> },
    /// A temporary view's definition in the analyzed plan (`View (`orders`, [cols])`): catalog tables
    /// are modelled as Spark's temp views over Parquet DataFrames. `EliminateView` removes it.
    View { name: String, child: Box<LogicalPlan> },
    /// A join strategy hint attached to a relation (`/*+ BROADCAST(t) */`, `df.hint(...)`, `broadcast(df)`);
    /// `EliminateResolvedHint` moves it into the nearest join's `JoinHint`.
    ResolvedHint { hint: JoinStrategyHint, child: Box<LogicalPlan> },
    /// A reference to a CTE (`WITH x AS (...)`), inlined by the optimizer's `InlineCTE`.
    CteRef { name: String, plan: Box<LogicalPlan> },
    /// `Dataset.cache()` / `CACHE TABLE`: the cached plan, materialised by its first use.
    InMemoryRelation { output: Vec<Attribute>, cached: Box<LogicalPlan>, level: StorageLevel, cache_id: u32 },
    /// Python UDF evaluation (`BatchEvalPython` / `ArrowEvalPython`) feeding its results as new attributes.
    EvalPython { udfs: Vec<Expr>, results: Vec<Attribute>, arrow: bool, child: Box<LogicalPlan> },
    /// An RDD-level opaque step (`df.rdd.map(...)`, lambdas): blocks every optimisation.
    MapPartitions { func: String, output: Vec<Attribute>, child: Box<LogicalPlan> },
    /// `InsertIntoHadoopFsRelationCommand` (DataFrameWriter / INSERT OVERWRITE DIRECTORY).
    Write { spec: WriteSpec, child: Box<LogicalPlan> },
    /// Spark's no-op sink (`write.format("noop")`).
    WriteNoop { child: Box<LogicalPlan> },
}

/// Where the node came from in the source text (for highlighting and errors); not part of equality.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin(pub Span);

impl LogicalPlan {
    pub fn children(&self) -> Vec<&LogicalPlan> {
        use LogicalPlan::*;
        match self {
            Relation(_) | LocalRelation { .. } | Range { .. } => vec![],
            CteRef { .. } => vec![],
            Project { child, .. }
            | Filter { child, .. }
            | Aggregate { child, .. }
            | Sort { child, .. }
            | GlobalLimit { child, .. }
            | LocalLimit { child, .. }
            | Distinct { child }
            | Deduplicate { child, .. }
            | Window { child, .. }
            | WindowGroupLimit { child, .. }
            | Generate { child, .. }
            | Expand { child, .. }
            | Repartition { child, .. }
            | RepartitionByExpression { child, .. }
            | RebalancePartitions { child, .. }
            | SubqueryAlias { child, .. }
            | View { child, .. }
            | ResolvedHint { child, .. }
            | EvalPython { child, .. }
            | MapPartitions { child, .. }
            | Write { child, .. }
            | WriteNoop { child } => vec![child],
            InMemoryRelation { .. } => vec![],
            Join { left, right, .. } | Intersect { left, right, .. } | Except { left, right, .. } => vec![left, right],
            Union { children, .. } => children.iter().collect(),
        }
    }

    /// This node with its children left out (placeholders): what rebuilding a node needs, without
    /// copying the subtree below it (a whole-subtree clone per node made rewrites quadratic).
    fn shallow(&self) -> LogicalPlan {
        use LogicalPlan::*;
        fn ph() -> Box<LogicalPlan> {
            Box::new(LocalRelation { output: vec![], rows: 0 })
        }
        match self {
            Relation(_) | LocalRelation { .. } | Range { .. } | CteRef { .. } | InMemoryRelation { .. } => self.clone(),
            Project { exprs, .. } => Project { exprs: exprs.clone(), child: ph() },
            Filter { cond, .. } => Filter { cond: cond.clone(), child: ph() },
            Join { join_type, cond, hint, null_aware, .. } => {
                Join { left: ph(), right: ph(), join_type: *join_type, cond: cond.clone(), hint: hint.clone(), null_aware: *null_aware }
            }
            Aggregate { group, aggs, .. } => Aggregate { group: group.clone(), aggs: aggs.clone(), child: ph() },
            Sort { order, global, .. } => Sort { order: order.clone(), global: *global, child: ph() },
            GlobalLimit { n, .. } => GlobalLimit { n: *n, child: ph() },
            LocalLimit { n, .. } => LocalLimit { n: *n, child: ph() },
            Union { children, by_name, allow_missing } => {
                Union { children: children.iter().map(|_| *ph()).collect(), by_name: *by_name, allow_missing: *allow_missing }
            }
            Intersect { all, .. } => Intersect { left: ph(), right: ph(), all: *all },
            Except { all, .. } => Except { left: ph(), right: ph(), all: *all },
            Distinct { .. } => Distinct { child: ph() },
            Deduplicate { keys, .. } => Deduplicate { keys: keys.clone(), child: ph() },
            Window { window_exprs, partition_by, order_by, .. } => Window {
                window_exprs: window_exprs.clone(),
                partition_by: partition_by.clone(),
                order_by: order_by.clone(),
                child: ph(),
            },
            WindowGroupLimit { partition_by, order_by, rank_fn, limit, .. } => WindowGroupLimit {
                partition_by: partition_by.clone(),
                order_by: order_by.clone(),
                rank_fn: rank_fn.clone(),
                limit: *limit,
                child: ph(),
            },
            Generate { generator, unrequired_child_index, outer, qualifier, generator_output, .. } => Generate {
                generator: generator.clone(),
                unrequired_child_index: unrequired_child_index.clone(),
                outer: *outer,
                qualifier: qualifier.clone(),
                generator_output: generator_output.clone(),
                child: ph(),
            },
            Expand { projections, output, .. } => Expand { projections: projections.clone(), output: output.clone(), child: ph() },
            Repartition { num, shuffle, .. } => Repartition { num: *num, shuffle: *shuffle, child: ph() },
            RepartitionByExpression { exprs, range, num, .. } => {
                RepartitionByExpression { exprs: exprs.clone(), range: range.clone(), num: *num, child: ph() }
            }
            RebalancePartitions { exprs, .. } => RebalancePartitions { exprs: exprs.clone(), child: ph() },
            SubqueryAlias { alias, .. } => SubqueryAlias { alias: alias.clone(), child: ph() },
            View { name, .. } => View { name: name.clone(), child: ph() },
            ResolvedHint { hint, .. } => ResolvedHint { hint: *hint, child: ph() },
            EvalPython { udfs, results, arrow, .. } => EvalPython { udfs: udfs.clone(), results: results.clone(), arrow: *arrow, child: ph() },
            MapPartitions { func, output, .. } => MapPartitions { func: func.clone(), output: output.clone(), child: ph() },
            Write { spec, .. } => Write { spec: spec.clone(), child: ph() },
            WriteNoop { .. } => WriteNoop { child: ph() },
        }
    }

    /// Rebuilds this node over new children (same count and order as `children()`).
    pub fn with_children(&self, new: Vec<LogicalPlan>) -> LogicalPlan {
        self.shallow().into_with_children(new)
    }

    /// Replaces this node's children in place (same count and order as `children()`).
    pub fn into_with_children(mut self, mut new: Vec<LogicalPlan>) -> LogicalPlan {
        use LogicalPlan::*;
        new.reverse();
        let mut take = || Box::new(new.pop().unwrap_or(LocalRelation { output: vec![], rows: 0 }));
        match &mut self {
            Relation(_) | LocalRelation { .. } | Range { .. } | CteRef { .. } | InMemoryRelation { .. } => {}
            Project { child, .. }
            | Filter { child, .. }
            | Aggregate { child, .. }
            | Sort { child, .. }
            | GlobalLimit { child, .. }
            | LocalLimit { child, .. }
            | Distinct { child }
            | Deduplicate { child, .. }
            | Window { child, .. }
            | WindowGroupLimit { child, .. }
            | Generate { child, .. }
            | Expand { child, .. }
            | Repartition { child, .. }
            | RepartitionByExpression { child, .. }
            | RebalancePartitions { child, .. }
            | SubqueryAlias { child, .. }
            | View { child, .. }
            | ResolvedHint { child, .. }
            | EvalPython { child, .. }
            | MapPartitions { child, .. }
            | Write { child, .. }
            | WriteNoop { child } => *child = take(),
            Join { left, right, .. } | Intersect { left, right, .. } | Except { left, right, .. } => {
                *left = take();
                *right = take();
            }
            Union { children, .. } => {
                let n = children.len();
                *children = (0..n).map(|_| *take()).collect();
            }
        }
        self
    }

    pub fn map_children(&self, f: &mut dyn FnMut(&LogicalPlan) -> LogicalPlan) -> LogicalPlan {
        let kids: Vec<LogicalPlan> = self.children().into_iter().map(&mut *f).collect();
        if kids.is_empty() {
            self.clone()
        } else {
            self.with_children(kids)
        }
    }

    /// Bottom-up rewrite.
    pub fn transform_up(&self, f: &mut dyn FnMut(LogicalPlan) -> LogicalPlan) -> LogicalPlan {
        let rebuilt = self.map_children(&mut |c| c.transform_up(f));
        f(rebuilt)
    }

    /// Top-down rewrite: `f` sees the node before its children.
    pub fn transform_down(&self, f: &mut dyn FnMut(LogicalPlan) -> LogicalPlan) -> LogicalPlan {
        let me = f(self.clone());
        me.map_children(&mut |c| c.transform_down(f))
    }

    /// Pre-order visit.
    pub fn walk(&self, f: &mut dyn FnMut(&LogicalPlan)) {
        f(self);
        for c in self.children() {
            c.walk(f);
        }
    }

    /// The node's own expressions (not its children's).
    pub fn expressions(&self) -> Vec<&Expr> {
        use LogicalPlan::*;
        match self {
            Project { exprs, .. } => exprs.iter().collect(),
            Filter { cond, .. } => vec![cond],
            Join { cond, .. } => cond.iter().collect(),
            Aggregate { group, aggs, .. } => group.iter().chain(aggs.iter()).collect(),
            Sort { order, .. } => order.iter().map(|o| &o.expr).collect(),
            Window { window_exprs, partition_by, order_by, .. } => window_exprs
                .iter()
                .chain(partition_by.iter())
                .chain(order_by.iter().map(|o| &o.expr))
                .collect(),
            WindowGroupLimit { partition_by, order_by, .. } => {
                partition_by.iter().chain(order_by.iter().map(|o| &o.expr)).collect()
            }
            Generate { generator, .. } => vec![generator],
            Expand { projections, .. } => projections.iter().flatten().collect(),
            RepartitionByExpression { exprs, range, .. } => exprs.iter().chain(range.iter().map(|o| &o.expr)).collect(),
            RebalancePartitions { exprs, .. } => exprs.iter().collect(),
            EvalPython { udfs, .. } => udfs.iter().collect(),
            _ => vec![],
        }
    }

    /// Rewrites the node's own expressions with `f` (children untouched).
    pub fn map_expressions(&self, f: &mut dyn FnMut(&Expr) -> Expr) -> LogicalPlan {
        let node = self.shallow().into_map_expressions(f);
        node.into_with_children(self.children().into_iter().cloned().collect())
    }

    /// [`Self::map_expressions`] on this node's own expressions only: its children come back as
    /// placeholders. For callers that may discard the result (`plan_util::map_node_exprs`).
    pub fn map_expressions_shallow(&self, f: &mut dyn FnMut(&Expr) -> Expr) -> LogicalPlan {
        self.shallow().into_map_expressions(f)
    }

    /// [`Self::map_expressions`] on an owned node: nothing below it is copied.
    pub fn into_map_expressions(self, f: &mut dyn FnMut(&Expr) -> Expr) -> LogicalPlan {
        use LogicalPlan::*;
        let mut node = self;
        let so = |o: &SortOrder, f: &mut dyn FnMut(&Expr) -> Expr| SortOrder {
            expr: f(&o.expr),
            ascending: o.ascending,
            nulls_first: o.nulls_first,
        };
        match &mut node {
            Project { exprs, .. } => *exprs = exprs.iter().map(&mut *f).collect(),
            Filter { cond, .. } => *cond = f(cond),
            Join { cond, .. } => *cond = cond.as_ref().map(&mut *f),
            Aggregate { group, aggs, .. } => {
                *group = group.iter().map(&mut *f).collect();
                *aggs = aggs.iter().map(&mut *f).collect();
            }
            Sort { order, .. } => *order = order.iter().map(|o| so(o, f)).collect(),
            Window { window_exprs, partition_by, order_by, .. } => {
                *window_exprs = window_exprs.iter().map(&mut *f).collect();
                *partition_by = partition_by.iter().map(&mut *f).collect();
                *order_by = order_by.iter().map(|o| so(o, f)).collect();
            }
            WindowGroupLimit { partition_by, order_by, .. } => {
                *partition_by = partition_by.iter().map(&mut *f).collect();
                *order_by = order_by.iter().map(|o| so(o, f)).collect();
            }
            Generate { generator, .. } => *generator = f(generator),
            Expand { projections, .. } => {
                *projections = projections.iter().map(|p| p.iter().map(&mut *f).collect()).collect()
            }
            RepartitionByExpression { exprs, range, .. } => {
                *exprs = exprs.iter().map(&mut *f).collect();
                *range = range.iter().map(|o| so(o, f)).collect();
            }
            RebalancePartitions { exprs, .. } => *exprs = exprs.iter().map(&mut *f).collect(),
            EvalPython { udfs, .. } => *udfs = udfs.iter().map(&mut *f).collect(),
            _ => {}
        }
        node
    }

    /// The attributes this node produces, in order.
    pub fn output(&self) -> Vec<Attribute> {
        use LogicalPlan::*;
        match self {
            Relation(r) => r.output.clone(),
            LocalRelation { output, .. } | Range { output, .. } | Expand { output, .. } => output.clone(),
            InMemoryRelation { output, .. } => output.clone(),
            MapPartitions { output, .. } => output.clone(),
            Project { exprs, .. } => exprs.iter().filter_map(|e| e.to_attribute()).collect(),
            Aggregate { aggs, .. } => aggs.iter().filter_map(|e| e.to_attribute()).collect(),
            Filter { child, .. }
            | Sort { child, .. }
            | GlobalLimit { child, .. }
            | LocalLimit { child, .. }
            | Distinct { child }
            | Deduplicate { child, .. }
            | WindowGroupLimit { child, .. }
            | Repartition { child, .. }
            | RepartitionByExpression { child, .. }
            | RebalancePartitions { child, .. }
            | ResolvedHint { child, .. }
            | View { child, .. }
            | WriteNoop { child } => child.output(),
            Write { .. } => vec![],
            SubqueryAlias { alias, child } => child
                .output()
                .into_iter()
                .map(|mut a| {
                    a.qualifier = vec![alias.clone()];
                    a
                })
                .collect(),
            CteRef { plan, .. } => plan.output(),
            Join { left, right, join_type, .. } => {
                let mut l = left.output();
                match join_type {
                    JoinType::LeftSemi | JoinType::LeftAnti => l,
                    JoinType::LeftOuter => {
                        l.extend(right.output().into_iter().map(nullable));
                        l
                    }
                    JoinType::RightOuter => {
                        let mut out: Vec<Attribute> = l.into_iter().map(nullable).collect();
                        out.extend(right.output());
                        out
                    }
                    JoinType::FullOuter => {
                        let mut out: Vec<Attribute> = l.into_iter().map(nullable).collect();
                        out.extend(right.output().into_iter().map(nullable));
                        out
                    }
                    _ => {
                        l.extend(right.output());
                        l
                    }
                }
            }
            Union { children, .. } => {
                // Each child's output once: asking again per column made nested unions exponential.
                let mut outs = children.iter().map(|c| c.output());
                let mut first = outs.next().unwrap_or_default();
                // Nullability is the OR over children.
                for o in outs {
                    for (i, a) in first.iter_mut().enumerate() {
                        a.nullable |= o.get(i).map(|x| x.nullable).unwrap_or(true);
                    }
                }
                first
            }
            Intersect { left, .. } | Except { left, .. } => left.output(),
            Window { window_exprs, child, .. } => {
                let mut o = child.output();
                o.extend(window_exprs.iter().filter_map(|e| e.to_attribute()));
                o
            }
            Generate { generator_output, child, unrequired_child_index, .. } => {
                let mut o: Vec<Attribute> = child
                    .output()
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !unrequired_child_index.contains(i))
                    .map(|(_, a)| a)
                    .collect();
                o.extend(generator_output.iter().cloned());
                o
            }
            EvalPython { results, child, .. } => {
                let mut o = child.output();
                o.extend(results.iter().cloned());
                o
            }
        }
    }

    /// Spark's node name as printed in plan trees.
    pub fn node_name(&self) -> &'static str {
        use LogicalPlan::*;
        match self {
            Relation(_) => "Relation",
            LocalRelation { .. } => "LocalRelation",
            Range { .. } => "Range",
            Project { .. } => "Project",
            Filter { .. } => "Filter",
            Join { .. } => "Join",
            Aggregate { .. } => "Aggregate",
            Sort { .. } => "Sort",
            GlobalLimit { .. } => "GlobalLimit",
            LocalLimit { .. } => "LocalLimit",
            Union { .. } => "Union",
            Intersect { .. } => "Intersect",
            Except { .. } => "Except",
            Distinct { .. } => "Distinct",
            Deduplicate { .. } => "Deduplicate",
            Window { .. } => "Window",
            WindowGroupLimit { .. } => "WindowGroupLimit",
            Generate { .. } => "Generate",
            Expand { .. } => "Expand",
            Repartition { .. } => "Repartition",
            RepartitionByExpression { .. } => "RepartitionByExpression",
            RebalancePartitions { .. } => "RebalancePartitions",
            SubqueryAlias { .. } => "SubqueryAlias",
            View { .. } => "View",
            ResolvedHint { .. } => "ResolvedHint",
            CteRef { .. } => "CTERelationRef",
            InMemoryRelation { .. } => "InMemoryRelation",
            EvalPython { arrow: true, .. } => "ArrowEvalPython",
            EvalPython { .. } => "BatchEvalPython",
            MapPartitions { .. } => "MapPartitionsInPandas",
            Write { .. } => "InsertIntoHadoopFsRelationCommand",
            WriteNoop { .. } => "WriteToDataSourceV2",
        }
    }

    pub fn any_node(&self, pred: &dyn Fn(&LogicalPlan) -> bool) -> bool {
        let mut found = false;
        self.walk(&mut |p| {
            if !found && pred(p) {
                found = true
            }
        });
        found
    }
}

impl LogicalPlan {
    /// The largest expression id anywhere in the plan (outputs, aliases, subquery plans, DPP build plans,
    /// cached plans), so freshly generated ids never collide with it.
    pub fn max_expr_id(&self) -> ExprId {
        let mut max = 0;
        self.walk(&mut |p| {
            for a in p.output() {
                max = max.max(a.id);
            }
            if let LogicalPlan::InMemoryRelation { cached, .. } | LogicalPlan::CteRef { plan: cached, .. } = p {
                max = max.max(cached.max_expr_id());
            }
            for e in p.expressions() {
                max = max.max(expr_max_id(e));
            }
        });
        max
    }
}

fn expr_max_id(e: &Expr) -> ExprId {
    let mut max = 0;
    e.walk(&mut |x| match x {
        Expr::Attr(a) | Expr::OuterRef(a) => max = max.max(a.id),
        Expr::Alias { id, .. } => max = max.max(*id),
        Expr::ScalarSubquery(s) | Expr::Exists(s) | Expr::InSubquery { sub: s, .. } => {
            max = max.max(s.id).max(s.plan.max_expr_id());
        }
        Expr::DynamicPruning { id, build_plan, .. } => max = max.max(*id).max(build_plan.max_expr_id()),
        _ => {}
    });
    max
}

fn nullable(mut a: Attribute) -> Attribute {
    a.nullable = true;
    a
}
