//! Plan trees as graphs, for the browser's plan graphs, the SVG export and the selection: read from Spark's
//! tree text (`+- ` / `:- ` indentation, three characters a level; the parsed, analyzed and optimized
//! logical plans and the physical plan are all printed this way), each node with its operator as Spark
//! names it, a short detail and, for logical plans printed with costs, its `Statistics(...)`; and the
//! layered layout (root on top, leaves in columns, a parent over the middle of its children). Knows plan
//! text only, nothing of planning or of the DOM.

/// One operator of a plan text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNode {
    pub depth: usize,
    /// The operator as Spark names it. Physical: plus its first word (`Exchange hashpartitioning`), its
    /// table (`FileScan parquet orders`) or its read kind (`AQEShuffleRead coalesced+skewed`). Logical:
    /// `'UnresolvedRelation`, `Project`, `Join Inner`, `Aggregate`.
    pub label: String,
    /// The rest of the line, shortened (logical plans; empty for physical ones).
    pub detail: String,
    /// `sizeInBytes=…, rowCount=…` when the line carries Spark's `Statistics(...)` (EXPLAIN COST).
    pub stats: Option<String>,
    /// The operator's whole line (at most 300 characters).
    pub line: String,
    pub parent: Option<usize>,
}

/// A plan as a laid-out graph: its nodes in pre-order (a parent before its children), each node's
/// column (leaves numbered 1, 2, … right to left in plan order; a parent at the mean of its children's)
/// and the number of leaf columns.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanGraph {
    pub nodes: Vec<PlanNode>,
    pub col: Vec<f64>,
    pub cols: f64,
}

impl PlanGraph {
    /// The physical plan of Spark's plan text.
    pub fn physical(text: &str) -> PlanGraph {
        PlanGraph::of(parse_tree(text, physical_label))
    }

    /// A logical plan (parsed, analyzed or optimized) of its tree text, `Statistics(...)` suffixes included.
    pub fn logical(text: &str) -> PlanGraph {
        PlanGraph::of(parse_tree(text, logical_label))
    }

    fn of(nodes: Vec<PlanNode>) -> PlanGraph {
        let (col, cols) = columns(&nodes);
        PlanGraph { nodes, col, cols }
    }

    /// The deepest level (0 for a single node or none).
    pub fn depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0)
    }

    /// Top-left corner of node `i` in cells of `w` × `h`, offset by `(left, top)`: the root on top, the
    /// first child on the left.
    pub fn xy(&self, i: usize, (w, h): (f64, f64), (left, top): (f64, f64)) -> (f64, f64) {
        ((self.cols - self.col[i]) * w + left, self.nodes[i].depth as f64 * h + top)
    }

    /// (parent, child) of every edge.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.nodes.iter().enumerate().filter_map(|(i, n)| n.parent.map(|p| (p, i)))
    }

    /// Width and height of the drawing in cells of `w` × `h` (at least one column).
    pub fn size(&self, (w, h): (f64, f64)) -> (f64, f64) {
        (self.cols.max(1.0) * w, (self.depth() + 1) as f64 * h)
    }
}

/// The label, detail and statistics of a line's body.
type Labeller = fn(&str) -> (String, String, Option<String>);

/// The operators of a plan text in pre-order (a parent before its children); `==` section headers skipped.
fn parse_tree(text: &str, label: Labeller) -> Vec<PlanNode> {
    let mut out: Vec<PlanNode> = vec![];
    let mut stack: Vec<usize> = vec![];
    for line in text.lines() {
        let Some(at) = line.find(|c: char| c.is_alphanumeric() || c == '*' || c == '=' || c == '\'') else { continue };
        let body = &line[at..];
        if body.starts_with('=') {
            continue;
        }
        let depth = at / 3;
        while stack.last().is_some_and(|&i| out[i].depth >= depth) {
            stack.pop();
        }
        let (label, detail, stats) = label(body);
        out.push(PlanNode { depth, label, detail, stats, line: body.chars().take(300).collect(), parent: stack.last().copied() });
        stack.push(out.len() - 1);
    }
    out
}

/// At most `n` characters, `…` marking a cut.
fn short(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.into(),
    }
}

fn physical_label(body: &str) -> (String, String, Option<String>) {
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
    (label, String::new(), None)
}

/// `Join Inner, (a#1 = b#2), Statistics(sizeInBytes=…)` → (`Join Inner`, `(a#1 = b#2)`, `sizeInBytes=…`).
fn logical_label(body: &str) -> (String, String, Option<String>) {
    let (body, stats) = match body.find("Statistics(") {
        Some(p) => (body[..p].trim_end().trim_end_matches(','), Some(body[p + 11..].trim_end().trim_end_matches(')').to_string())),
        None => (body, None),
    };
    // The operator is the first word (up to `[` or `(`); a join adds its type (`Join LeftOuter`).
    let end = body.find([' ', '[', '(']).unwrap_or(body.len());
    let mut label = body[..end].to_string();
    let mut rest = &body[end..];
    if label.trim_start_matches('\'') == "Join" {
        let t = rest.trim_start();
        let k = t.find([',', ' ']).unwrap_or(t.len());
        label = format!("{label} {}", &t[..k]);
        rest = &t[k..];
    }
    let rest = rest.trim_start_matches(',').trim();
    (short(&label, 31), short(rest, 34), stats)
}

/// Column of each node (leaves numbered 1, 2, … right to left in plan order; a parent at the mean of its
/// children) and the number of leaf columns.
fn columns(nodes: &[PlanNode]) -> (Vec<f64>, f64) {
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

/// Whether `text` is a plan tree rather than the SQL text EXPLAIN falls back to for a parsed plan Stagecraft
/// cannot print: its first word is no SQL keyword and every later line is indented.
pub fn is_tree(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    let word: String = first.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    !first.is_empty()
        && !first.starts_with('(')
        && !["select", "with", "from", "values", "table", "insert", "cache", "explain"].contains(&word.as_str())
        && text.lines().skip(1).all(|l| l.is_empty() || l.starts_with([' ', ':', '+']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "AdaptiveSparkPlan isFinalPlan=true\n+- == Final Plan ==\n   *(3) HashAggregate(keys=[a#1], functions=[count(1)])\n   +- AQEShuffleRead coalesced and skewed\n      +- ShuffleQueryStage 0\n         +- Exchange hashpartitioning(a#1, 200), ENSURE_REQUIREMENTS, [plan_id=1]\n            +- *(1) SortMergeJoin [a#1], [b#2], Inner\n               :- *(1) FileScan parquet [a#1] Batched: true, Location: InMemoryFileIndex(1 paths)[file:/warehouse/orders], ReadSchema: struct<a:int>\n               +- *(1) FileScan parquet [b#2] Batched: true, Location: InMemoryFileIndex(1 paths)[file:/warehouse/customers], ReadSchema: struct<b:int>\n";

    #[test]
    fn reads_the_physical_tree_and_names_nodes() {
        let g = PlanGraph::physical(PLAN);
        let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["AdaptiveSparkPlan", "HashAggregate", "AQEShuffleRead coalesced+skewed", "ShuffleQueryStage 0", "Exchange hashpartitioning", "SortMergeJoin", "FileScan parquet orders", "FileScan parquet customers"]);
        // The join's children are the two scans; the exchange's child is the join.
        assert_eq!(g.edges().filter(|e| e.0 == 5).map(|e| e.1).collect::<Vec<_>>(), [6, 7]);
        assert_eq!(g.nodes[5].parent, Some(4));
        assert_eq!(g.cols, 2.0);
        assert_eq!(g.col[5], 1.5);
        // Left child on the left, the parent between them.
        assert_eq!(g.xy(6, (10.0, 5.0), (1.0, 2.0)), (1.0, 32.0));
        assert_eq!(g.xy(5, (10.0, 5.0), (1.0, 2.0)), (6.0, 27.0));
        assert_eq!(g.size((10.0, 5.0)), (20.0, 35.0));
    }

    #[test]
    fn logical_nodes_have_spark_names_details_and_statistics() {
        let text = "Aggregate [k#1], [k#1, count(1) AS n#5L], Statistics(sizeInBytes=24.0 B, rowCount=1)\n+- Join Inner, (k#1 = k#2), Statistics(sizeInBytes=1.2 MiB)\n   :- Filter isnotnull(k#1), Statistics(sizeInBytes=8.0 KiB)\n   :  +- Relation spark_catalog.default.a[k#1] parquet, Statistics(sizeInBytes=8.0 KiB)\n   +- Relation spark_catalog.default.b[k#2] parquet, Statistics(sizeInBytes=16.0 KiB)\n";
        let g = PlanGraph::logical(text);
        let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["Aggregate", "Join Inner", "Filter", "Relation", "Relation"]);
        assert_eq!(g.nodes[1].detail, "(k#1 = k#2)");
        assert_eq!(g.nodes[0].stats.as_deref(), Some("sizeInBytes=24.0 B, rowCount=1"));
        assert_eq!(g.nodes[3].detail, "spark_catalog.default.a[k#1] parqu…");
        assert_eq!(g.edges().collect::<Vec<_>>(), [(0, 1), (1, 2), (2, 3), (1, 4)]);
        let parsed = PlanGraph::logical("'Project [*]\n+- 'UnresolvedRelation [orders], [], false\n");
        assert_eq!(parsed.nodes[1].label, "'UnresolvedRelation");
        assert_eq!(parsed.nodes[1].detail, "[orders], [], false");
        assert_eq!(parsed.nodes[1].depth, 1);
    }

    #[test]
    fn sql_text_is_not_a_tree() {
        assert!(is_tree("'Project [*]\n+- 'UnresolvedRelation [t], [], false"));
        assert!(is_tree("'WithCTE\n:- CTERelationDef"));
        assert!(!is_tree("SELECT *\nFROM t"));
        assert!(!is_tree("with x as (select 1) select * from x"));
        assert!(!is_tree(""));
        assert!(!is_tree("(select 1) union (select 2)"));
        assert!(!is_tree("SELECT(1)"));
    }
}
