//! Default CPU cost of a stage's operators for one task, for tasks whose `compute_ns` the planner left
//! empty (and a helper the planner may call itself). It knows Spark physical operator names and per-row
//! costs on a warm JVM; it knows nothing of shuffle I/O, JVM warm-up or jitter, which `cost` adds.
//!
//! Rows an operator sees are approximated by the task's rows in (input + shuffle read + cached block
//! rows); writers (`WriteFiles`) see the output rows. Calibration (warm JVM, corpus event logs, `local[2]`):
//! - `Scan parquet` + `Exchange` map tasks: 750 k rows in 0.95 s, of which ~0.8 µs/row is the shuffle write
//!   that `cost` charges → scan ≈ 10 ns/row + 25 ns per byte of the columns read (`count(*)`, reading no
//!   column, scans 3 M rows in 0.43 s cold). Measured tables: `docs/calibration.md`.
//! - A scan + `BroadcastHashJoin` + partial `HashAggregate` over 3 M rows: 1.2 s.
//! - `SortMergeJoin` reducers: 7 000-row partitions run 56 ms (two sorts' page allocation dominates), the
//!   1.8 M-row hot partition 1.5 s → `Sort` 20 ms setup + 0.4 µs/row.
//! - `InMemoryRelation` build (cache): 1.5 M rows in ~1.4 s warm beyond the scan.

/// Per-operator cost: nanoseconds per row and a fixed setup per task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpCost {
    pub ns_per_row: u64,
    pub ns_per_input_byte: u64,
    pub setup_ns: u64,
    /// Charged on output rows (writers) instead of rows in.
    pub on_output: bool,
}

const fn op(ns_per_row: u64, setup_ms: u64) -> OpCost {
    OpCost { ns_per_row, ns_per_input_byte: 0, setup_ns: setup_ms * 1_000_000, on_output: false }
}

/// Cost when the stage lists no operators: a generic pipeline, 0.2 µs/row + 10 ns per input byte.
pub const GENERIC: OpCost = OpCost { ns_per_row: 200, ns_per_input_byte: 10, setup_ns: 0, on_output: false };

/// The operator's kind: the first word of its EXPLAIN line, without the `*(n)` codegen marker.
pub fn op_kind(name: &str) -> &str {
    let n = name.trim_start_matches(['*', '(', ')', ' ', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    n.split([' ', '(', '[']).next().unwrap_or("")
}

/// The cost of one operator, by Spark's node name (the first word(s) of its EXPLAIN line).
pub fn op_cost(name: &str) -> OpCost {
    match op_kind(name) {
        // Setup: opening the file split and reading Parquet footers (corpus: scan tasks whose split holds
        // no row group still run 30–34 ms). Per row 10 ns + 25 ns per byte of the columns read: decoding is
        // per column chunk (p_aqe_skew_join: 5.2 B/row → 140 ns/row as before; p_count_star reads no column
        // and runs 3 M rows in 432 ms cold; wide scans — p_aqe_smj_to_bhj stage 1, 58 B/row, p_window_dedup
        // 14 B/row — ran 2–4× longer than 100 ns/row + 10 ns/B gave).
        "Scan" | "FileScan" | "BatchScan" => {
            OpCost { ns_per_row: 10, ns_per_input_byte: 25, setup_ns: 25_000_000, on_output: false }
        }
        "Filter" | "Project" => op(10, 0),
        "ColumnarToRow" => op(20, 0),
        "HashAggregate" | "ObjectHashAggregate" => op(60, 1),
        "SortAggregate" => op(100, 0),
        "Sort" => op(400, 20),
        "SortMergeJoin" => op(100, 0),
        "ShuffledHashJoin" => op(150, 5),
        "BroadcastHashJoin" => op(40, 0),
        "BroadcastNestedLoopJoin" | "CartesianProduct" => op(200, 0),
        "Window" => op(300, 2),
        "WindowGroupLimit" => op(50, 0),
        "Expand" => op(80, 0),
        "Generate" => op(100, 0),
        "TakeOrderedAndProject" => op(100, 0),
        "CollectLimit" | "GlobalLimit" | "LocalLimit" => op(5, 0),
        "InMemoryTableScan" => OpCost { ns_per_row: 30, ns_per_input_byte: 1, setup_ns: 0, on_output: false },
        "InMemoryRelation" => op(700, 0),
        // Setup: one Parquet writer (output file, column writers, page buffers) per task. Corpus:
        // p_orderby_write's 200 write tasks of 1 000 rows run 56 ms (p50), p_window_dedup's 79 ms, vs
        // 10–16 ms for reducers of as many rows that write nothing.
        "WriteFiles" => OpCost { ns_per_row: 300, ns_per_input_byte: 0, setup_ns: 40_000_000, on_output: true },
        "Execute" | "DataWritingCommandExec" => {
            OpCost { ns_per_row: 300, ns_per_input_byte: 0, setup_ns: 0, on_output: true }
        }
        // Exchanges, codegen wrappers, AQE nodes, Union, Coalesce, adapters: no per-row work of their own
        // (shuffle reads and writes are charged by `cost`).
        _ => op(0, 0),
    }
}

/// Warm-JVM CPU nanoseconds of `operators` for a task with these rows and bytes.
///
/// Operators of the same kind appearing more than once (the two `Sort`s under a sort-merge join, the
/// scans under a union) work on different inputs that together make up the task's rows: each pays its
/// setup, the per-row cost is charged once.
pub fn estimate_compute_ns(operators: &[String], rows_in: u64, input_bytes: u64, rows_out: u64) -> u64 {
    StageCost::new(operators).compute_ns(rows_in, input_bytes, rows_out)
}

/// A stage's operator costs, resolved once (the simulator prepares one per stage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageCost {
    /// Each operator's cost, and whether it is the first of its kind (pays per-row costs).
    ops: Vec<(OpCost, bool)>,
}

impl StageCost {
    pub fn new(operators: &[String]) -> StageCost {
        if operators.is_empty() {
            return StageCost { ops: vec![(GENERIC, true)] };
        }
        let mut seen: Vec<&str> = Vec::with_capacity(operators.len());
        let ops = operators
            .iter()
            .map(|o| {
                let kind = op_kind(o);
                let first = !seen.contains(&kind);
                if first {
                    seen.push(kind);
                }
                (op_cost(o), first)
            })
            .collect();
        StageCost { ops }
    }

    pub fn compute_ns(&self, rows_in: u64, input_bytes: u64, rows_out: u64) -> u64 {
        self.ops
            .iter()
            .fold(0u64, |acc, &(c, first)| acc.saturating_add(charge(c, rows_in, input_bytes, rows_out, first)))
    }
}

fn charge(c: OpCost, rows_in: u64, input_bytes: u64, rows_out: u64, per_row: bool) -> u64 {
    if !per_row {
        return c.setup_ns;
    }
    let rows = if c.on_output && rows_out > 0 { rows_out } else { rows_in };
    c.setup_ns
        .saturating_add(rows.saturating_mul(c.ns_per_row))
        .saturating_add(input_bytes.saturating_mul(c.ns_per_input_byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_are_matched_like_explain_lines() {
        assert_eq!(op_cost("Scan parquet default.orders"), op_cost("Scan"));
        assert_eq!(op_cost("*(2) Sort [a#1 ASC]"), op(400, 20));
        assert_eq!(op_cost("SortMergeJoin [a], [b], Inner"), op(100, 0));
        assert_eq!(op_cost("Exchange hashpartitioning(a, 200)"), op(0, 0));
    }

    #[test]
    fn smj_reducer_is_dominated_by_sort_setup_on_small_partitions() {
        let stage = ops(&["Sort", "Sort", "SortMergeJoin", "HashAggregate"]);
        let small = estimate_compute_ns(&stage, 7_000, 0, 0);
        let hot = estimate_compute_ns(&stage, 1_800_000, 0, 0);
        assert!((40_000_000..50_000_000).contains(&small), "{small}");
        // The hot 1.8 M-row partition: ~1.1 s of operator work (corpus: 1.5 s run with the shuffle read).
        assert!((900_000_000..1_300_000_000).contains(&hot), "{hot}");
    }

    #[test]
    fn writers_are_charged_on_output_rows() {
        let w = ops(&["WriteFiles"]);
        assert_eq!(estimate_compute_ns(&w, 10, 0, 1000), 40_000_000 + 300_000);
        assert_eq!(estimate_compute_ns(&w, 10, 0, 0), 40_000_000 + 3_000);
        assert_eq!(estimate_compute_ns(&[], 1000, 100, 0), 1000 * 200 + 100 * 10);
    }
}
