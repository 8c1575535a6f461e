//! Spark's EXPLAIN output as data and text: `treeString` of a physical plan (`*(n)` codegen prefixes,
//! `:- ` / `+- ` branches, subqueries and cached plans as inner children), and the `simple`,
//! `extended` and `cost` modes (`formatted` lives in `formatted`). The parsed / analyzed / optimized
//! texts of `extended` come from the caller. Knows printing only.

use super::plan::{attr_list, Op, SparkPlan};
use super::PhysicalPlanning;
use crate::logical::display::logical_tree;
use crate::logical::plan::LogicalPlan;
use crate::logical::stats::{stats, stats_text};

/// Spark's EXPLAIN modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Simple,
    Extended,
    Formatted,
    Cost,
}

/// A node as the tree printers see it: a plan node, or the `InMemoryRelation` line between an
/// `InMemoryTableScan` and its cached plan.
#[derive(Clone, Copy)]
pub enum Printable<'a> {
    Plan(&'a SparkPlan),
    Relation(&'a SparkPlan),
}

impl<'a> Printable<'a> {
    /// Spark's `innerChildren`: subquery plans; a cached scan's relation; a relation's cached plan.
    pub fn inner_children(self) -> Vec<Printable<'a>> {
        match self {
            Printable::Plan(p) => {
                let mut v: Vec<Printable<'a>> = p.subqueries.iter().map(Printable::Plan).collect();
                if let Op::InMemoryTableScan { .. } = p.op {
                    v.push(Printable::Relation(p));
                }
                v
            }
            Printable::Relation(p) => match &p.op {
                Op::InMemoryTableScan { cached, .. } => vec![Printable::Plan(cached)],
                _ => vec![],
            },
        }
    }

    pub fn children(self) -> Vec<Printable<'a>> {
        match self {
            Printable::Plan(p) => p.children.iter().map(Printable::Plan).collect(),
            Printable::Relation(_) => vec![],
        }
    }

    pub fn simple_string(self) -> String {
        match self {
            Printable::Plan(p) => p.simple_string(),
            Printable::Relation(p) => relation_line(p),
        }
    }
}

/// `InMemoryRelation [a#1, b#2], StorageLevel(disk, memory, deserialized, 1 replicas)`.
pub fn relation_line(scan: &SparkPlan) -> String {
    match &scan.op {
        Op::InMemoryTableScan { relation_output, level, .. } => {
            format!("InMemoryRelation {}, {}", attr_list(relation_output), level.describe())
        }
        _ => String::new(),
    }
}

/// How a tree line is labelled: Spark's `simpleString`, or `simpleStringWithNodeId` for FORMATTED.
pub type Labeller<'l> = &'l dyn Fn(Printable<'_>) -> String;

/// Spark's `treeString` of a physical plan.
pub fn tree_string(plan: &SparkPlan) -> String {
    let mut out = String::new();
    generate(Printable::Plan(plan), &mut vec![], &mut out, "", &|p| p.simple_string(), "*", false);
    out
}

/// The tree with a custom labeller (`formatted` prints operator ids and `* ` codegen marks).
pub fn tree_string_with(plan: &SparkPlan, label: Labeller<'_>, formatted: bool) -> String {
    let mut out = String::new();
    generate(Printable::Plan(plan), &mut vec![], &mut out, "", label, "*", formatted);
    out
}

/// `TreeNode.generateTreeString`, with WholeStageCodegen / InputAdapter printing their child.
fn generate(
    node: Printable<'_>,
    last: &mut Vec<bool>,
    out: &mut String,
    prefix: &str,
    label: Labeller<'_>,
    star: &str,
    formatted: bool,
) {
    if let Printable::Plan(p) = node {
        match &p.op {
            Op::WholeStageCodegen { id } => {
                let pre = if formatted { format!("{star} ") } else { format!("{star}({id}) ") };
                if let Some(c) = p.children.first() {
                    generate(Printable::Plan(c), last, out, &pre, label, star, formatted);
                }
                return;
            }
            Op::InputAdapter => {
                if let Some(c) = p.children.first() {
                    generate(Printable::Plan(c), last, out, "", label, star, formatted);
                }
                return;
            }
            _ => {}
        }
    }
    if let Some((tail, init)) = last.split_last() {
        for l in init {
            out.push_str(if *l { "   " } else { ":  " });
        }
        out.push_str(if *tail { "+- " } else { ":- " });
    }
    out.push_str(prefix);
    out.push_str(&label(node));
    out.push('\n');

    let children = node.children();
    // FORMATTED prints subqueries in their own section (cached plans stay inline).
    let mut inner = node.inner_children();
    if formatted {
        if let Printable::Plan(p) = node {
            inner.retain(|i| !matches!(i, Printable::Plan(x) if p.subqueries.iter().any(|s| std::ptr::eq(s, *x))));
        }
    }
    if let Some((last_inner, init)) = inner.split_last() {
        last.push(children.is_empty());
        last.push(false);
        for i in init {
            generate(*i, last, out, "", label, star, formatted);
        }
        last.pop();
        last.pop();
        last.push(children.is_empty());
        last.push(true);
        generate(*last_inner, last, out, "", label, star, formatted);
        last.pop();
        last.pop();
    }
    if let Some((last_child, init)) = children.split_last() {
        last.push(false);
        for c in init {
            generate(*c, last, out, prefix, label, star, formatted);
        }
        last.pop();
        last.push(true);
        generate(*last_child, last, out, prefix, label, star, formatted);
        last.pop();
    }
}

/// `EXPLAIN` (simple): `== Physical Plan ==` and the tree.
pub fn simple(planning: &PhysicalPlanning) -> String {
    format!("== Physical Plan ==\n{}", tree_string(&planning.plan))
}

/// `EXPLAIN EXTENDED`: the caller's parsed / analyzed (with its schema line) / optimized texts, then
/// the physical plan.
pub fn extended(parsed: &str, analyzed: &str, optimized: &str, planning: &PhysicalPlanning) -> String {
    let section = |s: &str| if s.ends_with('\n') { s.to_string() } else { format!("{s}\n") };
    format!(
        "== Parsed Logical Plan ==\n{}\n== Analyzed Logical Plan ==\n{}\n== Optimized Logical Plan ==\n{}\n== Physical Plan ==\n{}",
        section(parsed),
        section(analyzed),
        section(optimized),
        tree_string(&planning.plan)
    )
}

/// The `== Analyzed Logical Plan ==` section's text: the output schema line (`name: type, ...`, as
/// `QueryExecution` writes it when the plan has output), then the plan tree.
pub fn analyzed_text(analyzed: &LogicalPlan) -> String {
    let out = analyzed.output();
    if out.is_empty() {
        return analyzed.to_string();
    }
    let schema = out.iter().map(|a| format!("{}: {}", a.name, a.dtype.simple_string())).collect::<Vec<_>>().join(", ");
    format!("{schema}\n{analyzed}")
}

/// `EXPLAIN COST`: the optimized plan with each node's `Statistics(sizeInBytes=...)`, then the
/// physical plan.
pub fn cost(optimized: &LogicalPlan, planning: &PhysicalPlanning) -> String {
    let logical = with_stats(optimized);
    format!("== Optimized Logical Plan ==\n{logical}\n== Physical Plan ==\n{}", tree_string(&planning.plan))
}

/// A logical plan's tree with each node's `, Statistics(sizeInBytes=..., rowCount=...)`, as EXPLAIN COST
/// prints the optimized plan.
pub fn with_stats(plan: &LogicalPlan) -> String {
    logical_tree(plan, &|n: &LogicalPlan| format!(", {}", stats_text(&stats(n))))
}

/// Any mode; `parsed` / `analyzed` are only used by `Extended`.
pub fn explain(mode: Mode, optimized: &LogicalPlan, parsed: &str, analyzed: &str, planning: &PhysicalPlanning) -> String {
    match mode {
        Mode::Simple => simple(planning),
        Mode::Extended => extended(parsed, analyzed, &optimized.to_string(), planning),
        Mode::Formatted => super::formatted::formatted(planning),
        Mode::Cost => cost(optimized, planning),
    }
}
