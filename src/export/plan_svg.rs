//! A plan graph (parsed, analyzed, optimized or physical; read and laid out by `crate::plan_graph`: root on
//! top, leaves in columns, each parent over the middle of its children) as a standalone SVG document titled
//! with the run and the plan's name (joins badged and numbered, exchanges dashed, query stages white; each
//! node's whole line as its tooltip). Knows plan graphs only — what EXPLAIN prints — so it draws initial
//! and final adaptive plans alike.

use super::svg::xml_escape;
use crate::plan_graph::PlanGraph;

/// The physical plan of `text` as an SVG document titled `title`.
pub fn plan_svg(text: &str, title: &str) -> String {
    plan_graph_svg(&PlanGraph::physical(text), "physical", title)
}

/// The plan graph `g` (`name`: `parsed`, `analyzed`, `optimized`, `physical`) as an SVG document headed
/// `title · <name> plan`.
pub fn plan_graph_svg(g: &PlanGraph, name: &str, title: &str) -> String {
    let nodes = &g.nodes;
    let cell = (210.0, 52.0);
    let (width, height) = g.size(cell);
    let (width, height) = (width + 20.0, height + 50.0);
    let pos = |i: usize| g.xy(i, cell, (10.0, 40.0));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>Stagecraft: {name} plan</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{} · {name} plan</text>\n",
        xml_escape(title)
    );
    for (p, i) in g.edges() {
        let ((cx, cy), (px, py)) = (pos(i), pos(p));
        out += &format!("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{cy}\" stroke=\"#868e96\"/>\n", px + 98.0, py + 30.0, cx + 98.0);
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
    fn svg_is_well_formed_and_escaped() {
        let svg = plan_svg(PLAN, "a <b> & c");
        assert!(svg.contains("a &lt;b&gt; &amp; c"));
        assert_eq!(svg.matches("<g class=\"node\">").count(), 8);
        assert_eq!(svg.matches("<line ").count(), 7);
        assert!(svg.ends_with("</svg>\n"));
        assert!(svg.contains("<title>Stagecraft: physical plan</title>"));
    }

    #[test]
    fn a_logical_plan_is_drawn_with_its_name() {
        let text = "Aggregate [a#1], [a#1, count(1) AS n#3L], Statistics(sizeInBytes=1.0 KiB, rowCount=10)\n+- Join Inner, (a#1 = b#2)\n   :- Relation default.orders[a#1] parquet\n   +- Relation default.customers[b#2] parquet\n";
        let svg = plan_graph_svg(&PlanGraph::logical(text), "optimized", "q");
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(doc.descendants().filter(|n| n.attribute("class") == Some("node")).count(), 4);
        assert!(svg.contains("<title>Stagecraft: optimized plan</title>"));
        assert!(doc.descendants().any(|n| n.text() == Some("q · optimized plan")));
    }
}
