//! Spark's `ReuseExchangeAndSubquery` and plan canonicalization: bottom-up, left to right, an exchange
//! whose canonical form (expression ids renumbered by first appearance, plan ids and codegen stages
//! ignored) equals an earlier one becomes `ReusedExchange` pointing at it; subquery plans are visited
//! when their hosting operator is, so a DPP subquery keeps the broadcast and the join reuses it.
//! Knows plan shapes; nothing of why operators were chosen.

use super::plan::{Op, SparkPlan};
use crate::conf::SparkConf;

/// A text that is equal for plans computing the same result (Spark's `sameResult` / `canonicalized`).
pub fn canonical(plan: &SparkPlan) -> String {
    let mut text = String::new();
    write_canonical(plan, 0, &mut text);
    renumber_ids(&text)
}

fn write_canonical(p: &SparkPlan, depth: usize, out: &mut String) {
    if p.is_wrapper() || matches!(p.op, Op::ColumnarToRow) {
        for c in &p.children {
            write_canonical(c, depth, out);
        }
        return;
    }
    let line = match &p.op {
        Op::ShuffleExchange { partitioning, origin, .. } => format!("Exchange {}, {}", partitioning.text(), origin.name()),
        Op::BroadcastExchange { mode, .. } => format!("BroadcastExchange {}", mode.text()),
        Op::ReusedExchange { reused, .. } => format!("Reused {}", canonical(reused)),
        _ => p.simple_string(),
    };
    out.push_str(&"  ".repeat(depth));
    out.push_str(&strip_plan_ids(&line));
    out.push('\n');
    for s in &p.subqueries {
        write_canonical(s, depth + 2, out);
    }
    for c in &p.children {
        write_canonical(c, depth + 1, out);
    }
}

fn strip_plan_ids(s: &str) -> String {
    let mut out = s.to_string();
    for marker in ["[plan_id=", "[id=#"] {
        while let Some(start) = out.find(marker) {
            let end = out[start..].find(']').map(|e| start + e + 1).unwrap_or(out.len());
            out.replace_range(start..end, "[]");
        }
    }
    out
}

/// Replaces every `#<digits>` by `#<n>` with `n` numbering ids in order of first appearance.
fn renumber_ids(text: &str) -> String {
    let mut seen: Vec<String> = vec![];
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if c == '#' {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                let id: String = chars[start..i].iter().collect();
                let n = match seen.iter().position(|s| *s == id) {
                    Some(n) => n,
                    None => {
                        seen.push(id);
                        seen.len() - 1
                    }
                };
                out.push_str(&n.to_string());
            }
        }
    }
    out
}

/// Replaces repeated exchanges by `ReusedExchange` (when `spark.sql.exchange.reuse` is on).
pub fn reuse_exchanges(plan: SparkPlan, conf: &SparkConf) -> SparkPlan {
    if !conf.get_bool("spark.sql.exchange.reuse") {
        return plan;
    }
    let mut seen: Vec<(String, SparkPlan)> = vec![];
    reuse(plan, &mut seen)
}

fn reuse(plan: SparkPlan, seen: &mut Vec<(String, SparkPlan)>) -> SparkPlan {
    plan.transform_up(&mut |mut node| {
        if matches!(node.op, Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. }) {
            let key = canonical(&node);
            if let Some((_, original)) = seen.iter().find(|(k, _)| *k == key) {
                let output = node.output();
                return SparkPlan {
                    op: Op::ReusedExchange { output, reused: Box::new(original.clone()) },
                    children: vec![],
                    subqueries: vec![],
                    stats: node.stats,
                };
            }
            seen.push((key, node.clone()));
            return node;
        }
        if !node.subqueries.is_empty() {
            let subs = std::mem::take(&mut node.subqueries);
            node.subqueries = subs.into_iter().map(|s| reuse(s, seen)).collect();
        }
        node
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumbers_ids_by_first_appearance() {
        assert_eq!(renumber_ids("a#37, b#42, a#37"), "a#0, b#1, a#0");
        assert_eq!(renumber_ids("a#149, b#154, a#149"), "a#0, b#1, a#0");
        assert_eq!(strip_plan_ids("Exchange x, [plan_id=5]"), "Exchange x, []");
    }
}
