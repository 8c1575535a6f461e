//! Plan statistics exactly as Spark 3.5 computes them without CBO (`SizeInBytesOnlyStatsPlanVisitor`):
//! relations report their file bytes; unary nodes scale by output/input row width (`8 + Σ defaultSize`);
//! filters do not shrink; joins multiply; semi/anti joins keep the left; unions add; a global aggregate
//! is one row; a limit is `n` rows. Each estimate carries the arithmetic that produced it.

use super::expr::Attribute;
use super::plan::{JoinType, LogicalPlan};
use crate::conf::bytes_to_string;

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub size_in_bytes: u128,
    /// Only known for limits, global aggregates and ranges without CBO.
    pub row_count: Option<u128>,
    /// How the number was computed, in words and arithmetic.
    pub why: String,
}

/// `EstimationUtils.getSizePerRow`: 8 bytes of row overhead plus each column's default size.
pub fn row_size(attrs: &[Attribute]) -> u128 {
    8 + attrs.iter().map(|a| a.dtype.default_size() as u128).sum::<u128>()
}

fn output_size(attrs: &[Attribute], rows: u128) -> u128 {
    if rows > 0 {
        rows.saturating_mul(row_size(attrs))
    } else {
        1
    }
}

/// Spark's `Statistics(sizeInBytes=..., rowCount=...)` text for EXPLAIN COST.
pub fn stats_text(s: &Stats) -> String {
    match s.row_count {
        Some(r) => format!("Statistics(sizeInBytes={}, rowCount={})", bytes_to_string(s.size_in_bytes), r),
        None => format!("Statistics(sizeInBytes={})", bytes_to_string(s.size_in_bytes)),
    }
}

/// Computes the statistics of a plan node (recursively).
pub fn stats(p: &LogicalPlan) -> Stats {
    use LogicalPlan::*;
    match p {
        Relation(r) => Stats {
            size_in_bytes: r.table.size_in_bytes.max(1) as u128,
            row_count: None,
            why: format!(
                "{}: {} of files (spark.sql.statistics.totalSize{})",
                r.table.name,
                bytes_to_string(r.table.size_in_bytes as u128),
                if r.table.row_count_known_to_spark { "; numRows is known but unused without CBO" } else { "; no row count" }
            ),
        },
        LocalRelation { output, rows } => {
            let size = row_size(output) * (*rows as u128);
            Stats { size_in_bytes: size, row_count: Some(*rows as u128), why: format!("{rows} local rows × {} B", row_size(output)) }
        }
        Range { start, end, step, .. } => {
            let n = if *step == 0 { 0 } else { ((end - start) as i128 / *step as i128).max(0) as u128 };
            Stats { size_in_bytes: 8 * n, row_count: Some(n), why: format!("{n} rows × 8 B (bigint)") }
        }
        InMemoryRelation { cached, .. } => {
            let s = stats(cached);
            Stats { why: format!("cached plan's estimate (not yet materialised): {}", bytes_to_string(s.size_in_bytes)), ..s }
        }
        Project { child, .. } | Filter { child, .. } | Window { child, .. } => unary(p, child),
        Aggregate { group, child, .. } => {
            if group.is_empty() {
                let out = p.output();
                Stats {
                    size_in_bytes: output_size(&out, 1),
                    row_count: Some(1),
                    why: format!("global aggregate: 1 row × {} B", row_size(&out)),
                }
            } else {
                unary(p, child)
            }
        }
        Expand { projections, child, .. } => {
            let u = unary(p, child);
            let n = projections.len() as u128;
            Stats {
                size_in_bytes: u.size_in_bytes.saturating_mul(n),
                row_count: None,
                why: format!("{} × {n} projections", u.why),
            }
        }
        GlobalLimit { n, child } => {
            let cs = stats(child);
            let rows = cs.row_count.map(|r| r.min(*n as u128)).unwrap_or(*n as u128);
            let out = p.output();
            Stats {
                size_in_bytes: output_size(&out, rows),
                row_count: Some(rows),
                why: format!("limit: {rows} rows × {} B", row_size(&out)),
            }
        }
        LocalLimit { n, child } => {
            if *n == 0 {
                Stats { size_in_bytes: 1, row_count: Some(0), why: "limit 0".into() }
            } else {
                stats(child)
            }
        }
        Join { left, right, join_type, .. } => match join_type {
            JoinType::LeftSemi | JoinType::LeftAnti => {
                let l = stats(left);
                Stats { why: format!("{} join keeps the left side's estimate", join_type.name()), ..l }
            }
            _ => {
                let (l, r) = (stats(left), stats(right));
                let size = nonzero(l.size_in_bytes).saturating_mul(nonzero(r.size_in_bytes));
                Stats {
                    size_in_bytes: size,
                    row_count: None,
                    why: format!(
                        "join multiplies its sides: {} × {} = {}",
                        bytes_to_string(l.size_in_bytes),
                        bytes_to_string(r.size_in_bytes),
                        bytes_to_string(size)
                    ),
                }
            }
        },
        Union { children, .. } => {
            let sizes: Vec<u128> = children.iter().map(|c| stats(c).size_in_bytes).collect();
            let total = sizes.iter().fold(0u128, |a, b| a.saturating_add(*b));
            Stats {
                size_in_bytes: total,
                row_count: None,
                why: format!(
                    "union adds its children: {} = {}",
                    sizes.iter().map(|s| bytes_to_string(*s)).collect::<Vec<_>>().join(" + "),
                    bytes_to_string(total)
                ),
            }
        }
        Intersect { left, right, .. } => {
            let (l, r) = (stats(left), stats(right));
            let s = l.size_in_bytes.min(r.size_in_bytes);
            Stats { size_in_bytes: s, row_count: None, why: "intersect: the smaller side".into() }
        }
        Except { left, .. } => stats(left),
        SubqueryAlias { child, .. } | View { child, .. } | CteRef { plan: child, .. } => stats(child),
        _ => {
            // Spark's `default`: the product of the children's sizes (one child: its size).
            let kids: Vec<Stats> = p.children().into_iter().map(stats).collect();
            let size = kids.iter().map(|k| k.size_in_bytes).filter(|s| *s > 0).fold(1u128, |a, b| a.saturating_mul(b));
            let rows = if kids.iter().all(|k| k.row_count.is_some()) && !kids.is_empty() {
                Some(kids.iter().filter_map(|k| k.row_count).filter(|r| *r > 0).product())
            } else {
                None
            };
            Stats { size_in_bytes: size, row_count: rows, why: format!("{} keeps its child's estimate", p.node_name()) }
        }
    }
}

fn nonzero(x: u128) -> u128 {
    if x == 0 {
        1
    } else {
        x
    }
}

fn unary(p: &LogicalPlan, child: &LogicalPlan) -> Stats {
    let cs = stats(child);
    let in_w = row_size(&child.output());
    let out_w = row_size(&p.output());
    let mut size = cs.size_in_bytes.saturating_mul(out_w) / in_w;
    if size == 0 {
        size = 1;
    }
    let why = if in_w == out_w {
        format!("{} keeps its child's estimate ({})", p.node_name(), bytes_to_string(size))
    } else {
        format!(
            "{} scales by row width: {} × {out_w} B / {in_w} B = {}",
            p.node_name(),
            bytes_to_string(cs.size_in_bytes),
            bytes_to_string(size)
        )
    };
    Stats { size_in_bytes: size, row_count: None, why }
}
