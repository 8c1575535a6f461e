//! The physical plan as a tree: read from Spark's plan text (`+- ` / `:- ` indentation, three characters a
//! level), laid out root on top with leaves in columns and each parent over the middle of its children, and
//! drawn as a standalone SVG document (joins badged and numbered, exchanges dashed, query stages white).
//! Knows plan text only — what EXPLAIN prints — so it draws initial and final adaptive plans alike.

use super::svg::xml_escape;

/// One operator of a plan text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNode {
    pub depth: usize,
    /// A short name: the operator, plus its first word (`Exchange hashpartitioning`), its table
    /// (`FileScan parquet orders`) or its read kind (`AQEShuffleRead coalesced+skewed`).
    pub label: String,
    /// The operator's whole line (at most 300 characters).
    pub line: String,
    pub parent: Option<usize>,
}

/// The operators of a plan text in pre-order (a parent before its children).
pub fn parse_plan(text: &str) -> Vec<PlanNode> {
    let mut out: Vec<PlanNode> = vec![];
    let mut stack: Vec<usize> = vec![];
    for line in text.lines() {
        let Some(at) = line.find(|c: char| c.is_alphanumeric() || c == '*' || c == '=') else { continue };
        let body = &line[at..];
        if body.starts_with('=') {
            continue;
        }
        let depth = at / 3;
        while stack.last().is_some_and(|&i| out[i].depth >= depth) {
            stack.pop();
        }
        out.push(PlanNode { depth, label: label(body), line: body.chars().take(300).collect(), parent: stack.last().copied() });
        stack.push(out.len() - 1);
    }
    out
}

fn label(body: &str) -> String {
    // `*(3) HashAggregate(...)`: the whole-stage-codegen marker is not the operator.
    let body = match body.strip_prefix("*(").and_then(|r| r.split_once(") ")) {
        Some((id, rest)) if id.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => body,
    };
    let mut words = body.split(' ');
    let first = words.next().unwrap_or("");
    let mut label: String = first.split(['(', '[']).next().unwrap_or("").into();
    if let Some(w) = words.next().filter(|w| !first.contains('(') && !w.contains(['=', '[']) && label != "Project" && label != "Filter") {
        label.push(' ');
        label.push_str(w.split(['(', ',']).next().unwrap_or(""));
    }
    // `AQEShuffleRead coalesced and skewed`: the read's whole description is the point of the node.
    if label.starts_with("AQEShuffleRead") && body.contains("skewed") {
        label = if body.contains("coalesced") { "AQEShuffleRead coalesced+skewed".into() } else { "AQEShuffleRead skewed".into() };
    }
    if let Some(p) = body.find("[file:/") {
        let path = body[p + 1..].split(']').next().unwrap_or("");
        label.push(' ');
        label.push_str(path.rsplit('/').next().unwrap_or(""));
    }
    if let Some((i, _)) = label.char_indices().nth(31) {
        label.truncate(i);
    }
    label
}

/// Column of each node (leaves numbered 1, 2, … right to left in plan order; a parent at the mean of its
/// children) and the number of leaf columns.
pub fn columns(nodes: &[PlanNode]) -> (Vec<f64>, f64) {
    let n = nodes.len();
    let mut x = vec![0f64; n];
    let mut sum = vec![(0f64, 0usize); n];
    let mut next = 0f64;
    for i in (0..n).rev() {
        x[i] = match sum[i] {
            (_, 0) => {
                next += 1.0;
                next
            }
            (s, k) => s / k as f64,
        };
        if let Some(p) = nodes[i].parent {
            sum[p].0 += x[i];
            sum[p].1 += 1;
        }
    }
    (x, next)
}

/// The plan of `text` as an SVG document titled `title`.
pub fn plan_svg(text: &str, title: &str) -> String {
    let nodes = parse_plan(text);
    let (x, cols) = columns(&nodes);
    let (w, h) = (210.0, 52.0);
    let depth = nodes.iter().map(|n| n.depth).max().unwrap_or(0) as f64;
    let (width, height) = (cols.max(1.0) * w + 20.0, (depth + 1.0) * h + 50.0);
    let pos = |i: usize| ((cols - x[i]) * w + 10.0, nodes[i].depth as f64 * h + 40.0);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>Stagecraft: physical plan</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        xml_escape(title)
    );
    for (i, n) in nodes.iter().enumerate() {
        if let Some(p) = n.parent {
            let ((cx, cy), (px, py)) = (pos(i), pos(p));
            out += &format!("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{cy}\" stroke=\"#868e96\"/>\n", px + 98.0, py + 30.0, cx + 98.0);
        }
    }
    let mut joins = 0;
    for (i, n) in nodes.iter().enumerate() {
        let (cx, cy) = pos(i);
        let (fill, stroke, dash) = if n.label.contains("Join") || n.label.starts_with("CartesianProduct") {
            ("#fff4e6", "#e8590c", "")
        } else if n.label.starts_with("Exchange") || n.label.starts_with("BroadcastExchange") {
            ("#e7f5ff", "#1c7ed6", " stroke-dasharray=\"4 3\"")
        } else if n.label.contains("QueryStage") {
            ("#ffffff", "#495057", "")
        } else {
            ("#e7f5ff", "#495057", "")
        };
        out += &format!(
            "<g class=\"node\"><title>{}</title><rect x=\"{cx}\" y=\"{cy}\" width=\"196\" height=\"30\" rx=\"5\" fill=\"{fill}\" stroke=\"{stroke}\"{dash}/><text x=\"{}\" y=\"{}\"{}>{}</text>",
            xml_escape(&n.line),
            cx + 8.0,
            cy + 19.0,
            // Long labels are squeezed into the box rather than spilling out of it.
            if n.label.chars().count() > 26 { " textLength=\"176\" lengthAdjust=\"spacingAndGlyphs\"" } else { "" },
            xml_escape(&n.label)
        );
        if fill == "#fff4e6" {
            joins += 1;
            out += &format!("<text x=\"{}\" y=\"{}\" font-weight=\"bold\" fill=\"#e8590c\">{joins}</text>", cx + 184.0, cy + 12.0);
        }
        out += "</g>\n";
    }
    out + "</svg>\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "AdaptiveSparkPlan isFinalPlan=true\n+- == Final Plan ==\n   *(3) HashAggregate(keys=[a#1], functions=[count(1)])\n   +- AQEShuffleRead coalesced and skewed\n      +- ShuffleQueryStage 0\n         +- Exchange hashpartitioning(a#1, 200), ENSURE_REQUIREMENTS, [plan_id=1]\n            +- *(1) SortMergeJoin [a#1], [b#2], Inner\n               :- *(1) FileScan parquet [a#1] Batched: true, Location: InMemoryFileIndex(1 paths)[file:/warehouse/orders], ReadSchema: struct<a:int>\n               +- *(1) FileScan parquet [b#2] Batched: true, Location: InMemoryFileIndex(1 paths)[file:/warehouse/customers], ReadSchema: struct<b:int>\n";

    #[test]
    fn reads_the_tree_and_names_nodes() {
        let n = parse_plan(PLAN);
        let labels: Vec<&str> = n.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["AdaptiveSparkPlan", "HashAggregate", "AQEShuffleRead coalesced+skewed", "ShuffleQueryStage 0", "Exchange hashpartitioning", "SortMergeJoin", "FileScan parquet orders", "FileScan parquet customers"]);
        // The join's children are the two scans; the exchange's child is the join.
        assert_eq!(n[6].parent, Some(5));
        assert_eq!(n[7].parent, Some(5));
        assert_eq!(n[5].parent, Some(4));
        let (x, cols) = columns(&n);
        assert_eq!(cols, 2.0);
        assert_eq!(x[5], 1.5);
    }

    #[test]
    fn svg_is_well_formed_and_escaped() {
        let svg = plan_svg(PLAN, "a <b> & c");
        assert!(svg.contains("a &lt;b&gt; &amp; c"));
        assert_eq!(svg.matches("<g class=\"node\">").count(), 8);
        assert_eq!(svg.matches("<line ").count(), 7);
        assert!(svg.ends_with("</svg>\n"));
    }
}
