//! Which stage runs which physical operator, for the cross-highlighting of the Plans, Stages and Timeline
//! tabs: the plan graph's nodes (read from Spark's plan text) matched to the schedule's stages. Pure (no
//! DOM), so that it is tested natively; the view only reads the result.

pub use crate::plan_graph::PlanNode;

/// Nodes of a physical plan text, parents before their children (the text's order).
pub fn parse_plan(text: &str) -> Vec<PlanNode> {
    crate::plan_graph::PlanGraph::physical(text).nodes
}

/// A stage that ran, as the matcher sees it: its id, whether it writes a shuffle, its operators' names.
pub struct StageOps<'a> {
    pub id: u32,
    pub map: bool,
    pub ops: &'a [String],
}

/// The operator's name in a node's label, past a whole-stage-codegen marker (`*(2) `) if any.
fn op_name(label: &str) -> &str {
    label.split(' ').find(|w| !w.starts_with('*') && !w.is_empty()).unwrap_or("")
}

/// The stage that runs each node of `nodes` (`None` when no stage fits). `stages`: the stages that ran
/// (skipped ones left out, so that a selection has tasks on the timeline), in id order.
///
/// The plan is cut where stages are cut: an `Exchange` starts a new stage below it. The `Exchange` node
/// itself goes with the map stage that writes it, not with the stage that reads it: both run part of it,
/// but its shuffle write (the node's metrics, its partitioning) is the writer's work, and a reader's own
/// operators (`AQEShuffleRead`, `ShuffleQueryStage`, the join above) already select the reader. A
/// `BroadcastExchange` is the result stage of its broadcast job. The root's piece is the last result stage;
/// every other piece, children before parents (Spark's stage creation order), takes the unused stage of the
/// right kind that shares most operator names with it (the lowest id on a tie).
pub fn node_stages(nodes: &[PlanNode], stages: &[StageOps]) -> Vec<Option<u32>> {
    let n = nodes.len();
    let is_map = |i: usize| nodes[i].label.starts_with("Exchange");
    let head = |i: usize| is_map(i) || nodes[i].label.starts_with("BroadcastExchange") || nodes[i].parent.is_none();
    // The head of each node's piece (nodes come parents first).
    let mut seg = vec![0usize; n];
    for i in 0..n {
        seg[i] = match nodes[i].parent {
            Some(p) if !head(i) => seg[p],
            _ => i,
        };
    }
    let mut used = vec![false; stages.len()];
    let mut stage_of_head = vec![None; n];
    let root_stage = stages.iter().rposition(|s| !s.map);
    if let Some(r) = root_stage {
        used[r] = true;
    }
    // Heads children first, left before right (post-order; no sort, to keep the wasm small).
    fn post(nodes: &[PlanNode], i: usize, out: &mut Vec<usize>) {
        for c in i + 1..nodes.len() {
            if nodes[c].parent == Some(i) {
                post(nodes, c, out);
            }
        }
        out.push(i);
    }
    let mut order = vec![];
    for r in (0..n).filter(|&i| nodes[i].parent.is_none()) {
        post(nodes, r, &mut order);
    }
    for h in order.into_iter().filter(|&i| seg[i] == i) {
        if nodes[h].parent.is_none() {
            stage_of_head[h] = root_stage.map(|r| stages[r].id);
            continue;
        }
        let names: Vec<&str> = (0..n).filter(|&i| seg[i] == h).map(|i| op_name(&nodes[i].label)).collect();
        let score = |s: &StageOps| names.iter().filter(|w| !w.is_empty() && s.ops.iter().any(|o| o.starts_with(*w) || w.ends_with(o.split(' ').next().unwrap_or(o)))).count();
        let best = (0..stages.len())
            .filter(|&k| !used[k] && stages[k].map == is_map(h))
            .max_by_key(|&k| (score(&stages[k]), std::cmp::Reverse(k)));
        if let Some(k) = best {
            used[k] = true;
            stage_of_head[h] = Some(stages[k].id);
        }
    }
    (0..n).map(|i| stage_of_head[seg[i]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "AdaptiveSparkPlan isFinalPlan=true
+- == Final Plan ==
   SortMergeJoin [k#1], [k#2], Inner
   :- Sort [k#1 ASC NULLS FIRST], false, 0
   :  +- AQEShuffleRead coalesced
   :     +- ShuffleQueryStage 0
   :        +- Exchange hashpartitioning(k#1, 200), ENSURE_REQUIREMENTS, [plan_id=10]
   :           +- Filter isnotnull(k#1)
   :              +- ColumnarToRow
   :                 +- FileScan parquet a[k#1] Batched: true
   +- Sort [k#2 ASC NULLS FIRST], false, 0
      +- AQEShuffleRead coalesced
         +- ShuffleQueryStage 1
            +- Exchange hashpartitioning(k#2, 200), ENSURE_REQUIREMENTS, [plan_id=11]
               +- Project [k#2]
                  +- FileScan parquet b[k#2] Batched: true
";

    fn ops(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn find(nodes: &[PlanNode], prefix: &str, nth: usize) -> usize {
        nodes.iter().enumerate().filter(|(_, n)| n.line.trim_start_matches(|c: char| c == '*' || c == '(' || c == ')' || c.is_ascii_digit() || c == ' ').starts_with(prefix)).nth(nth).unwrap().0
    }

    #[test]
    fn operators_map_to_the_stages_that_run_them() {
        let nodes = parse_plan(PLAN);
        let a = ops(&["Scan parquet", "ColumnarToRow", "Filter", "Exchange"]);
        let b = ops(&["Scan parquet", "Project", "Exchange"]);
        let r = ops(&["AQEShuffleRead", "Sort", "SortMergeJoin"]);
        let stages = [
            StageOps { id: 0, map: true, ops: &a },
            StageOps { id: 1, map: true, ops: &b },
            StageOps { id: 4, map: false, ops: &r },
        ];
        let got = node_stages(&nodes, &stages);
        let at = |p: &str, k: usize| got[find(&nodes, p, k)];
        assert_eq!(at("AdaptiveSparkPlan", 0), Some(4));
        assert_eq!(at("SortMergeJoin", 0), Some(4));
        // The readers' side of a shuffle: the result stage.
        assert_eq!(at("AQEShuffleRead", 0), Some(4));
        assert_eq!(at("ShuffleQueryStage", 1), Some(4));
        // An Exchange belongs to the map stage that writes it.
        assert_eq!(at("Exchange", 0), Some(0));
        assert_eq!(at("Filter", 0), Some(0));
        assert_eq!(at("FileScan parquet a", 0), Some(0));
        assert_eq!(at("Exchange", 1), Some(1));
        assert_eq!(at("Project", 0), Some(1));
        assert_eq!(at("FileScan parquet b", 0), Some(1));
    }

    #[test]
    fn operator_names_decide_between_map_stages() {
        let nodes = parse_plan(PLAN);
        // The stage that projects comes first in id order: names, not order, pick it for the right side.
        let b = ops(&["Scan parquet", "Project", "Exchange"]);
        let a = ops(&["Scan parquet", "ColumnarToRow", "Filter", "Exchange"]);
        let r = ops(&["SortMergeJoin"]);
        let stages = [
            StageOps { id: 2, map: true, ops: &b },
            StageOps { id: 3, map: true, ops: &a },
            StageOps { id: 5, map: false, ops: &r },
        ];
        let got = node_stages(&nodes, &stages);
        assert_eq!(got[find(&nodes, "Filter", 0)], Some(3));
        assert_eq!(got[find(&nodes, "Project", 0)], Some(2));
    }

    #[test]
    fn no_stages_no_selection() {
        let nodes = parse_plan(PLAN);
        assert!(node_stages(&nodes, &[]).iter().all(Option::is_none));
        assert!(node_stages(&[], &[]).is_empty());
    }
}

#[cfg(test)]
mod examples_tests {
    use super::*;

    /// Every node of every gallery example's final plan runs in some stage, and the plan's root in the
    /// last result stage.
    #[test]
    fn every_example_plan_node_has_a_stage() {
        for i in 0..crate::examples::EXAMPLES.len() {
            let run = crate::pipeline::simulate(&crate::examples::scenario(i)).unwrap();
            let nodes = parse_plan(&run.report.final_plan);
            let got = node_stages(&nodes, &stage_ops(&run.schedule));
            assert!(got.iter().all(Option::is_some), "example {i}: {got:?}");
            let last = stage_ops(&run.schedule).iter().rev().find(|s| !s.map).map(|s| s.id);
            assert_eq!(got.first().copied().flatten(), last, "example {i}");
            if i == 0 {
                // The skewed join: orders (left, read first) and customers are scanned by the first two
                // stages, in that order.
                let scan = |t: &str| nodes.iter().position(|n| n.label.ends_with(t)).and_then(|k| got[k]);
                assert!(scan("orders") < scan("customers"), "{got:?}");
                assert_eq!(scan("orders"), stage_ops(&run.schedule).first().map(|s| s.id));
            }
        }
    }
}

/// The stages of `schedule` that ran (not skipped), in id order.
pub fn stage_ops(schedule: &crate::sim::Schedule) -> Vec<StageOps<'_>> {
    // Indexed by id (ids are small and dense): id order without a sort.
    let mut by_id: Vec<Option<StageOps>> = vec![];
    for s in schedule.jobs.iter().flat_map(|j| &j.stages).filter(|s| s.status_hint != crate::sim::StageHint::Skipped) {
        let k = s.stage_id as usize;
        if by_id.len() <= k {
            by_id.resize_with(k + 1, || None);
        }
        by_id[k].get_or_insert(StageOps { id: s.stage_id, map: s.shuffle_id_written.is_some(), ops: &s.operators });
    }
    by_id.into_iter().flatten().collect()
}
