//! `EXPLAIN FORMATTED` as Spark's `ExplainUtils.processPlan` prints it: the tree with operator ids
//! (`* HashAggregate (12)`), then one block per operator in id order (`(1) Scan parquet`, `Output [3]:`,
//! `Input`, `Keys`, `Arguments`, `[codegen id : 2]`), then a `===== Subqueries =====` section.
//! Operator ids are handed out children first; subqueries are numbered after the main plan.
//! Knows printing only.

use super::explain::{tree_string_with, Printable};
use super::plan::{expr_list, expr_text, FileSourceScan, Op, SparkPlan};
use super::PhysicalPlanning;
use crate::logical::expr::{Attribute, Expr};
use std::collections::BTreeMap;

/// Identity of a printable node: its address, and whether it is the relation line of a cached scan.
type Key = (usize, bool);

fn key(p: Printable<'_>) -> Key {
    match p {
        Printable::Plan(x) => (x as *const SparkPlan as usize, false),
        Printable::Relation(x) => (x as *const SparkPlan as usize, true),
    }
}

struct Ids<'a> {
    next: u32,
    op_id: BTreeMap<Key, u32>,
    codegen: BTreeMap<Key, u32>,
    /// Operators in id order.
    order: Vec<Printable<'a>>,
}

/// The whole FORMATTED output.
pub fn formatted(planning: &PhysicalPlanning) -> String {
    let mut ids = Ids { next: 0, op_id: BTreeMap::new(), codegen: BTreeMap::new(), order: vec![] };
    let root = &planning.plan;
    assign(Printable::Plan(root), &mut ids);
    codegen_ids(root, &mut ids);
    let main_count = ids.order.len();
    // Subqueries are numbered after the main plan, before anything is printed.
    let mut subs: Vec<(u32, String, &SparkPlan)> = vec![];
    collect_subqueries(root, &ids, &mut subs);
    let mut ranges = vec![];
    for (_, _, sub) in &subs {
        let start = ids.order.len();
        if let Some(child) = sub.children.first() {
            assign(Printable::Plan(child), &mut ids);
            codegen_ids(child, &mut ids);
        }
        ranges.push((start, ids.order.len()));
    }
    let mut out = String::from("== Physical Plan ==\n");
    block(root, 0, main_count, &ids, &mut out);
    if !subs.is_empty() {
        out.push_str("\n===== Subqueries =====\n\n");
        for (i, ((host, expr, sub), (start, end))) in subs.iter().zip(ranges).enumerate() {
            out.push_str(&format!("Subquery:{} Hosting operator id = {host} Hosting Expression = {expr}\n", i + 1));
            if let Some(child) = sub.children.first() {
                block(child, start, end, &ids, &mut out);
            }
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

fn block(plan: &SparkPlan, start: usize, end: usize, ids: &Ids<'_>, out: &mut String) {
    let label = |p: Printable<'_>| node_with_id(p, ids);
    out.push_str(&tree_string_with(plan, &label, true));
    out.push('\n');
    for p in &ids.order[start..end] {
        out.push_str(&details(*p, ids));
    }
}

/// `generateOperatorIDs`: post-order, skipping codegen wrappers and subqueries; AdaptiveSparkPlan's
/// plan before the node itself; inner children (cached plans) after it.
fn assign<'a>(p: Printable<'a>, ids: &mut Ids<'a>) {
    if let Printable::Plan(plan) = p {
        if matches!(plan.op, Op::SubqueryBroadcast { .. } | Op::SubqueryAdaptiveBroadcast { .. } | Op::Subquery { .. }) {
            return;
        }
        for c in &plan.children {
            assign(Printable::Plan(c), ids);
        }
        if plan.is_wrapper() {
            return;
        }
    }
    let k = key(p);
    if let std::collections::btree_map::Entry::Vacant(e) = ids.op_id.entry(k) {
        ids.next += 1;
        e.insert(ids.next);
        ids.order.push(p);
    }
    for inner in p.inner_children() {
        assign(inner, ids);
    }
}

/// `generateWholeStageCodegenIds`: a pre-order walk with one current stage id, set by each
/// WholeStageCodegen and cleared by each InputAdapter, so operators after an adapter within the same
/// stage (the streamed side of a join built on the left) print no codegen id, as in Spark.
fn codegen_ids(plan: &SparkPlan, ids: &mut Ids<'_>) {
    let mut current: Option<u32> = None;
    codegen_walk(plan, &mut current, ids);
}

fn codegen_walk(plan: &SparkPlan, current: &mut Option<u32>, ids: &mut Ids<'_>) {
    match plan.op {
        Op::WholeStageCodegen { id } => *current = Some(id),
        Op::InputAdapter => *current = None,
        _ => {
            if let Some(s) = *current {
                ids.codegen.insert(key(Printable::Plan(plan)), s);
            }
            if let Op::InMemoryTableScan { cached, .. } = &plan.op {
                let mut inner = None;
                codegen_walk(cached, &mut inner, ids);
            }
        }
    }
    for c in &plan.children {
        codegen_walk(c, current, ids);
    }
}

fn op_id(p: Printable<'_>, ids: &Ids<'_>) -> String {
    ids.op_id.get(&key(p)).map(|i| i.to_string()).unwrap_or_else(|| "unknown".into())
}

/// `simpleStringWithNodeId`.
fn node_with_id(p: Printable<'_>, ids: &Ids<'_>) -> String {
    let id = op_id(p, ids);
    match p {
        Printable::Relation(_) => format!("InMemoryRelation ({id})"),
        Printable::Plan(plan) => match &plan.op {
            Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => {
                format!("{} {} {} ({id})", plan.node_name(), j.join_type.name(), j.build_side.name())
            }
            Op::SortMergeJoin(j) => format!("{} {} ({id})", plan.node_name(), j.join_type.name()),
            Op::BroadcastNestedLoopJoin(j) => {
                format!("{} {} {} ({id})", plan.node_name(), j.join_type.name(), j.build_side.name())
            }
            Op::CartesianProduct { .. } => format!("CartesianProduct Inner ({id})"),
            _ => format!("{} ({id})", plan.node_name()),
        },
    }
}

/// `ExplainUtils.generateFieldString`.
fn field(name: &str, values: &[String]) -> String {
    if values.is_empty() {
        format!("{name}: []")
    } else {
        format!("{name} [{}]: [{}]", values.len(), values.join(", "))
    }
}

fn attrs(a: &[Attribute]) -> Vec<String> {
    a.iter().map(|x| x.spark_string()).collect()
}

fn exprs(e: &[Expr], sq: &[SparkPlan]) -> Vec<String> {
    e.iter().map(|x| expr_text(x, sq)).collect()
}

/// `verboseStringWithOperatorId` of one operator.
fn details(p: Printable<'_>, ids: &Ids<'_>) -> String {
    let id = op_id(p, ids);
    let plan = match p {
        Printable::Relation(scan) => {
            let (out, level, cached) = match &scan.op {
                Op::InMemoryTableScan { relation_output, level, cached, .. } => (attrs(relation_output), level.describe(), cached),
                _ => return String::new(),
            };
            return format!(
                "\n({id}) InMemoryRelation\nArguments: [{}], CachedRDDBuilder(org.apache.spark.sql.execution.columnar.DefaultCachedBatchSerializer@0,{level},{},None)\n",
                out.join(", "),
                super::explain::tree_string(cached)
            );
        }
        Printable::Plan(x) => x,
    };
    let codegen = ids.codegen.get(&key(p)).map(|c| format!(" [codegen id : {c}]")).unwrap_or_default();
    let head = format!("({id}) {}{codegen}", plan.node_name());
    let sq = &plan.subqueries;
    let input = |i: usize| plan.children.get(i).map(|c| attrs(&c.output())).unwrap_or_default();
    let mut lines: Vec<String> = vec![head];
    match &plan.op {
        Op::FileSourceScan(s) => {
            lines.push(field("Output", &attrs(&s.output)));
            lines.extend(scan_metadata(s, sq));
        }
        Op::Filter { cond } => {
            lines.push(field("Input", &input(0)));
            lines.push(format!("Condition : {}", expr_text(cond, sq)));
        }
        Op::Project { exprs: e } => {
            lines.push(field("Output", &attrs(&plan.output())));
            lines.push(field("Input", &input(0)));
            let _ = e;
        }
        Op::Aggregate(a) => {
            lines.push(field("Input", &input(0)));
            lines.push(field("Keys", &exprs(&a.grouping, sq)));
            lines.push(field("Functions", &exprs(&a.aggregates, sq)));
            lines.push(field("Aggregate Attributes", &attrs(&a.aggregate_attributes)));
            lines.push(field("Results", &exprs(&a.results, sq)));
        }
        Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => {
            lines.push(field("Left keys", &exprs(&j.left_keys, sq)));
            lines.push(field("Right keys", &exprs(&j.right_keys, sq)));
            lines.push(format!("Join type: {}", j.join_type.name()));
            lines.push(format!("Join condition: {}", j.condition.as_ref().map(|c| expr_text(c, sq)).unwrap_or("None".into())));
        }
        Op::SortMergeJoin(j) => {
            lines.push(field("Left keys", &exprs(&j.left_keys, sq)));
            lines.push(field("Right keys", &exprs(&j.right_keys, sq)));
            lines.push(format!("Join type: {}", j.join_type.name()));
            lines.push(format!("Join condition: {}", j.condition.as_ref().map(|c| expr_text(c, sq)).unwrap_or("None".into())));
        }
        Op::BroadcastNestedLoopJoin(j) => {
            lines.push(format!("Join type: {}", j.join_type.name()));
            lines.push(format!("Join condition: {}", j.condition.as_ref().map(|c| expr_text(c, sq)).unwrap_or("None".into())));
        }
        Op::CartesianProduct { condition, .. } => {
            lines.push("Join type: Inner".into());
            lines.push(format!("Join condition: {}", condition.as_ref().map(|c| expr_text(c, sq)).unwrap_or("None".into())));
        }
        Op::ReusedExchange { output, reused } => {
            let reused_id = find_reused_id(reused, ids);
            lines[0] = format!("({id}) ReusedExchange [Reuses operator id: {reused_id}]");
            lines.push(field("Output", &attrs(output)));
        }
        Op::AdaptiveSparkPlan { .. } => {
            lines.push(field("Output", &attrs(&plan.output())));
            lines.push(format!("Arguments: {}", plan.arg_string()));
        }
        Op::TakeOrderedAndProject { limit, order, project } => {
            lines.push(field("Input", &input(0)));
            let outs: Vec<String> = project.iter().filter_map(|e| e.to_attribute()).map(|a| a.spark_string()).collect();
            lines.push(format!("Arguments: {limit}, {}, [{}]", super::plan::order_list(order, ", "), outs.join(", ")));
        }
        Op::Union => {
            // N-ary: no input line.
        }
        _ if plan.children.is_empty() => {
            lines.push(field("Output", &attrs(&plan.output())));
            let a = plan.arg_string();
            if !a.is_empty() {
                lines.push(format!("Arguments: {a}"));
            }
        }
        _ => {
            lines.push(field("Input", &input(0)));
            let a = plan.arg_string();
            if !a.is_empty() {
                lines.push(format!("Arguments: {a}"));
            }
        }
    }
    format!("\n{}\n", lines.join("\n"))
}

/// The scan's metadata lines: empty values, DataFilters and Format omitted; Location abbreviated.
fn scan_metadata(s: &FileSourceScan, sq: &[SparkPlan]) -> Vec<String> {
    s.metadata(sq)
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && v != "[]" && *k != "DataFilters" && *k != "Format")
        .map(|(k, v)| {
            if k == "Location" {
                let path = v.split_once(")[").map(|(_, p)| p.trim_end_matches(']').to_string()).unwrap_or(v.clone());
                format!("Location: InMemoryFileIndex [{path}]")
            } else {
                format!("{k}: {v}")
            }
        })
        .collect()
}

fn find_reused_id(reused: &SparkPlan, ids: &Ids<'_>) -> String {
    let target = match &reused.op {
        Op::ShuffleExchange { plan_id, .. } | Op::BroadcastExchange { plan_id, .. } => *plan_id,
        _ => return "unknown".into(),
    };
    for p in &ids.order {
        if let Printable::Plan(x) = p {
            match &x.op {
                Op::ShuffleExchange { plan_id, .. } | Op::BroadcastExchange { plan_id, .. } if *plan_id == target => {
                    return op_id(*p, ids);
                }
                _ => {}
            }
        }
    }
    "unknown".into()
}

/// Subqueries hosted by the main plan's operators, in operator-id order.
fn collect_subqueries<'a>(root: &'a SparkPlan, ids: &Ids<'a>, out: &mut Vec<(u32, String, &'a SparkPlan)>) {
    let mut found: Vec<(u32, String, &'a SparkPlan)> = vec![];
    visit(root, &mut |p: &'a SparkPlan| {
        for s in &p.subqueries {
            let host = ids.op_id.get(&key(Printable::Plan(p))).copied().unwrap_or(0);
            let expr = hosting_expression(p, s);
            found.push((host, expr, s));
        }
    });
    crate::sort::sort_by_key(&mut found, |(h, _, _)| *h);
    out.extend(found);
}

fn visit<'a>(p: &'a SparkPlan, f: &mut dyn FnMut(&'a SparkPlan)) {
    f(p);
    for c in &p.children {
        visit(c, f);
    }
}

fn hosting_expression(host: &SparkPlan, sub: &SparkPlan) -> String {
    match &sub.op {
        Op::SubqueryBroadcast { name, .. } | Op::SubqueryAdaptiveBroadcast { name, .. } => {
            if let Op::FileSourceScan(s) = &host.op {
                for f in &s.partition_filters {
                    if let Expr::DynamicPruning { key, id, .. } = f {
                        if *name == format!("dynamicpruning#{id}") {
                            return format!("{} IN {name}", key.spark());
                        }
                    }
                }
            }
            name.clone()
        }
        Op::Subquery { name, id, .. } => format!("Subquery {name}, [id=#{id}]"),
        _ => expr_list(&[], &[]),
    }
}
