//! The plan graphs of a real join query (the built-in skewed-join example): the parsed, analyzed and
//! optimized logical plans read from the pipeline's texts by `plan_graph`, with Spark's operator names,
//! their edges and, for the analyzed and optimized plans, EXPLAIN COST's statistics.

use stagecraft::pipeline::{analyze, LogicalTexts};
use stagecraft::plan_graph::{is_tree, PlanGraph};

fn texts() -> LogicalTexts {
    let a = analyze(&stagecraft::examples::scenario(0)).unwrap();
    LogicalTexts::of(a.main().unwrap())
}

fn labels(g: &PlanGraph) -> Vec<&str> {
    g.nodes.iter().map(|n| n.label.as_str()).collect()
}

#[test]
fn optimized_join_plan_nodes_and_edges() {
    let g = PlanGraph::logical(&texts().optimized);
    assert_eq!(labels(&g), ["Aggregate", "Project", "Join Inner", "Project", "Filter", "Relation", "Project", "Filter", "Relation"]);
    assert_eq!(g.edges().collect::<Vec<_>>(), [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (2, 6), (6, 7), (7, 8)]);
    assert_eq!(g.nodes[2].detail, "(customer_id#1 = customer_id#8)");
    assert_eq!(g.nodes[4].detail, "isnotnull(customer_id#1)");
    // Every node with EXPLAIN COST's estimate; the scan of orders as the catalog sizes it.
    assert!(g.nodes.iter().all(|n| n.stats.as_deref().is_some_and(|s| s.starts_with("sizeInBytes="))), "{:?}", g.nodes);
    assert_eq!(g.nodes[5].stats.as_deref(), Some("sizeInBytes=35.9 MiB"));
    // Layout: the two sides of the join in two columns, the join over their middle, orders on the left.
    assert_eq!(g.cols, 2.0);
    assert_eq!(g.col[2], 1.5);
    assert!(g.xy(5, (1.0, 1.0), (0.0, 0.0)).0 < g.xy(8, (1.0, 1.0), (0.0, 0.0)).0);
}

#[test]
fn parsed_and_analyzed_plans_name_spark_operators() {
    let t = texts();
    assert!(is_tree(&t.parsed));
    let parsed = PlanGraph::logical(&t.parsed);
    assert_eq!(labels(&parsed), ["'Aggregate", "'Join Inner", "'SubqueryAlias", "'UnresolvedRelation", "'SubqueryAlias", "'UnresolvedRelation"]);
    assert_eq!(parsed.edges().collect::<Vec<_>>(), [(0, 1), (1, 2), (2, 3), (1, 4), (4, 5)]);
    assert!(parsed.nodes.iter().all(|n| n.stats.is_none()));
    assert_eq!(parsed.nodes[3].detail, "[orders], [], false");

    let analyzed = PlanGraph::logical(&t.analyzed);
    assert_eq!(labels(&analyzed), ["Aggregate", "Join Inner", "SubqueryAlias", "SubqueryAlias", "View", "Relation", "SubqueryAlias", "SubqueryAlias", "View", "Relation"]);
    assert_eq!(analyzed.nodes[2].detail, "o");
    assert!(analyzed.nodes.iter().all(|n| n.stats.is_some()));
}

/// Every gallery example's logical plans draw: a node per printed line, each named, one root, and the
/// analyzed and optimized plans' nodes all with statistics. (5 of the 25 examples' parsed plans are printed
/// as their SQL text, which the page shows as text.)
#[test]
fn every_example_draws() {
    for i in 0..stagecraft::examples::EXAMPLES.len() {
        let a = analyze(&stagecraft::examples::scenario(i)).unwrap();
        let t = LogicalTexts::of(a.main().unwrap());
        for (name, text) in [("parsed", &t.parsed), ("analyzed", &t.analyzed), ("optimized", &t.optimized)] {
            if name == "parsed" && !is_tree(text) {
                continue;
            }
            let g = PlanGraph::logical(text);
            let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(g.nodes.len(), lines, "example {i} {name}:\n{text}");
            assert!(g.nodes.iter().all(|n| !n.label.trim_start_matches('\'').is_empty()), "example {i} {name}: {:?}", labels(&g));
            assert_eq!(g.nodes.iter().filter(|n| n.parent.is_none()).count(), 1, "example {i} {name}:\n{text}");
            assert_eq!(g.nodes.iter().all(|n| n.stats.is_some()), name != "parsed", "example {i} {name}");
        }
    }
}
