//! The text of physical operators as Spark prints them: each node's `argString` and `simpleString`
//! (one line of `executedPlan.toString`), scan metadata (`Batched`, `DataFilters`, `PushedFilters`,
//! `ReadSchema`, abbreviated to 100 characters), attribute and expression lists, DPP and scalar
//! subquery names. Knows printing only.

use super::plan::{AggKind, FileSourceScan, Op, SparkPlan};
use crate::logical::expr::{sort_order_text, Attribute, Expr, SortOrder};

/// `[a#1, b#2]`.
pub fn attr_list(attrs: &[Attribute]) -> String {
    format!("[{}]", attrs.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", "))
}

/// `[a#1,b#2]` (FileScan and TakeOrderedAndProject print without spaces).
pub fn attr_list_tight(attrs: &[Attribute]) -> String {
    format!("[{}]", attrs.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(","))
}

/// An expression in physical-plan notation: as the logical text, plus DPP subquery names
/// (`dynamicpruning#132`) and scalar subqueries (`Subquery scalar-subquery#5, [id=#40]`).
pub fn expr_text(e: &Expr, subqueries: &[SparkPlan]) -> String {
    let mut s = e.spark();
    // Dynamic pruning expressions print their subquery's name.
    let mut dpp = vec![];
    e.walk(&mut |x| {
        if let Expr::DynamicPruning { id, key, .. } = x {
            dpp.push((*id, key.spark()));
        }
    });
    for (id, key) in dpp {
        s = s.replacen(&format!("dynamicpruning#{id} [{key}]"), &format!("dynamicpruningexpression({key} IN dynamicpruning#{id})"), 1);
    }
    for sq in subqueries {
        if let Op::Subquery { name, expr_id, id } = &sq.op {
            s = s.replace(&format!("scalar-subquery#{expr_id} []"), &format!("Subquery {name}, [id=#{id}]"));
        }
    }
    s
}

pub fn expr_list(es: &[Expr], subqueries: &[SparkPlan]) -> String {
    format!("[{}]", es.iter().map(|e| expr_text(e, subqueries)).collect::<Vec<_>>().join(", "))
}

pub fn order_list(os: &[SortOrder], sep: &str) -> String {
    format!("[{}]", os.iter().map(|o| sort_order_text(o, true)).collect::<Vec<_>>().join(sep))
}

/// Spark's `StringUtils.abbreviate(s, 100)` for scan metadata values.
pub fn abbreviate(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= max {
        s.to_string()
    } else {
        let mut out: String = chars[..max.saturating_sub(3)].iter().collect();
        out.push_str("...");
        out
    }
}

/// `struct<a:int,b:string>`.
pub fn struct_text(attrs: &[Attribute]) -> String {
    format!(
        "struct<{}>",
        attrs.iter().map(|a| format!("{}:{}", a.name, a.dtype.simple_string())).collect::<Vec<_>>().join(",")
    )
}

impl FileSourceScan {
    /// Spark's scan metadata, keys sorted as `FileSourceScanExec.simpleString` prints them.
    pub fn metadata(&self, subqueries: &[SparkPlan]) -> Vec<(&'static str, String)> {
        let exprs = |v: &[Expr]| expr_list(v, subqueries);
        vec![
            ("Batched", self.batched.to_string()),
            ("DataFilters", exprs(&self.data_filters)),
            ("Format", format_name(&self.format)),
            ("Location", self.location.clone()),
            ("PartitionFilters", exprs(&self.partition_filters)),
            ("PushedFilters", format!("[{}]", self.pushed_filters.join(", "))),
            ("ReadSchema", struct_text(&self.read_schema)),
        ]
    }
}

/// `Parquet`, `ORC`, `CSV`, `JSON` as Spark's file formats print themselves.
pub fn format_name(format: &str) -> String {
    match format.to_ascii_lowercase().as_str() {
        "parquet" | "delta" => "Parquet".into(),
        "orc" => "ORC".into(),
        "csv" => "CSV".into(),
        "json" => "JSON".into(),
        "text" => "Text".into(),
        "avro" => "Avro".into(),
        other => other.to_string(),
    }
}

impl SparkPlan {
    /// Spark's `argString` of the node (what follows the node name in `simpleString`).
    pub fn arg_string(&self) -> String {
        let sq = &self.subqueries;
        let opt = |c: &Option<Expr>| c.as_ref().map(|e| format!(", {}", expr_text(e, sq))).unwrap_or_default();
        match &self.op {
            Op::FileSourceScan(s) => {
                let meta = s
                    .metadata(sq)
                    .into_iter()
                    .map(|(k, v)| format!("{k}: {}", abbreviate(&v, 100)))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("{} {}", attr_list_tight(&s.output), meta)
            }
            Op::LocalTableScan { output, rows } => {
                if *rows == 0 {
                    format!("<empty>, {}", attr_list(output))
                } else {
                    attr_list(output)
                }
            }
            Op::Range { start, end, step, splits, .. } => format!("({start}, {end}, step={step}, splits={splits})"),
            Op::Filter { cond } => expr_text(cond, sq),
            Op::Project { exprs } => {
                if exprs.is_empty() {
                    String::new()
                } else {
                    expr_list(exprs, sq)
                }
            }
            Op::Aggregate(a) => {
                let key = if a.kind == AggKind::Sort { "key" } else { "keys" };
                let out: Vec<Attribute> = a.results.iter().filter_map(|e| e.to_attribute()).collect();
                format!(
                    "({key}={}, functions={}, output={})",
                    expr_list(&a.grouping, sq),
                    expr_list(&a.aggregates, sq),
                    attr_list(&out)
                )
            }
            Op::ShuffleExchange { partitioning, origin, plan_id } => {
                format!("{}, {}, [plan_id={plan_id}]", partitioning.text(), origin.name())
            }
            Op::BroadcastExchange { mode, plan_id } => format!("{}, [plan_id={plan_id}]", mode.text()),
            Op::BroadcastHashJoin(j) => format!(
                "{}, {}, {}, {}{}, {}",
                expr_list(&j.left_keys, sq),
                expr_list(&j.right_keys, sq),
                j.join_type.name(),
                j.build_side.name(),
                opt(&j.condition),
                j.null_aware
            ),
            Op::ShuffledHashJoin(j) => format!(
                "{}, {}, {}, {}{}",
                expr_list(&j.left_keys, sq),
                expr_list(&j.right_keys, sq),
                j.join_type.name(),
                j.build_side.name(),
                opt(&j.condition)
            ),
            Op::SortMergeJoin(j) => format!(
                "{}, {}, {}{}",
                expr_list(&j.left_keys, sq),
                expr_list(&j.right_keys, sq),
                j.join_type.name(),
                opt(&j.condition)
            ),
            Op::BroadcastNestedLoopJoin(j) => format!("{}, {}{}", j.build_side.name(), j.join_type.name(), opt(&j.condition)),
            Op::CartesianProduct { condition, .. } => {
                condition.as_ref().map(|c| expr_text(c, sq)).unwrap_or_default()
            }
            Op::Sort { order, global } => format!("{}, {}, 0", order_list(order, ", "), global),
            Op::TakeOrderedAndProject { limit, order, project } => {
                let out: Vec<String> = project.iter().map(|e| expr_text(&named_to_attr_expr(e), sq)).collect();
                format!("(limit={limit}, orderBy={}, output=[{}])", order_list(order, ","), out.join(","))
            }
            Op::CollectLimit { limit } | Op::LocalLimit { limit } => limit.to_string(),
            Op::GlobalLimit { limit } => format!("{limit}, 0"),
            Op::Union | Op::WriteFiles | Op::InputAdapter | Op::ColumnarToRow => String::new(),
            Op::OneRowRelation => "[]".into(),
            Op::Expand { projections, output } => format!(
                "[{}], {}",
                projections.iter().map(|p| expr_list(p, sq)).collect::<Vec<_>>().join(", "),
                attr_list(output)
            ),
            Op::Generate { generator, required_child_output, outer, generator_output } => {
                let mut parts = vec![expr_text(generator, sq)];
                if !required_child_output.is_empty() {
                    parts.push(attr_list(required_child_output));
                }
                parts.push(outer.to_string());
                parts.push(attr_list(generator_output));
                parts.join(", ")
            }
            // Empty partition / order lists are left out, as TreeNode.argString does.
            Op::Window { window_exprs, partition_by, order_by } => {
                let mut parts = vec![expr_list(window_exprs, sq)];
                if !partition_by.is_empty() {
                    parts.push(expr_list(partition_by, sq));
                }
                if !order_by.is_empty() {
                    parts.push(order_list(order_by, ", "));
                }
                parts.join(", ")
            }
            Op::WindowGroupLimit { partition_by, order_by, rank_fn, limit, mode } => format!(
                "{}, {}, {}(), {}, {:?}",
                expr_list(partition_by, sq),
                order_list(order_by, ", "),
                rank_fn,
                limit,
                mode
            ),
            Op::Coalesce { n } => n.to_string(),
            Op::InMemoryTableScan { attributes, predicates, .. } => {
                let mut parts = vec![];
                if !attributes.is_empty() {
                    parts.push(attr_list(attributes));
                }
                if !predicates.is_empty() {
                    parts.push(expr_list(predicates, sq));
                }
                parts.join(", ")
            }
            Op::ReusedExchange { output, reused } => format!("{}, {}", attr_list(output), reused.simple_string()),
            Op::SubqueryBroadcast { name, index, build_keys, id } => {
                format!("{name}, {index}, {}, [id=#{id}]", expr_list(build_keys, sq))
            }
            Op::SubqueryAdaptiveBroadcast { name, index, only_in_broadcast, build_plan, build_keys } => {
                format!("{name}, {index}, {only_in_broadcast}, {build_plan}, {}", expr_list(build_keys, sq))
            }
            Op::Subquery { name, id, .. } => format!("{name}, [id=#{id}]"),
            Op::EvalPython { udfs, results, arrow } => {
                let base = format!("{}, {}", expr_list(udfs, sq), attr_list(results));
                if *arrow {
                    format!("{base}, 200")
                } else {
                    base
                }
            }
            Op::MapPartitions { func, output } => format!("{func}, {}", attr_list(output)),
            Op::DataWritingCommand { command, .. } => command.clone(),
            Op::OverwriteByExpression => {
                "org.apache.spark.sql.execution.datasources.noop.NoopTable$, [AlwaysTrue()]".into()
            }
            Op::WholeStageCodegen { .. } => String::new(),
            Op::AdaptiveSparkPlan { is_final } => format!("isFinalPlan={is_final}"),
            Op::ShuffleQueryStage { id } | Op::BroadcastQueryStage { id } => id.to_string(),
            Op::AqeShuffleRead { desc, .. } => desc.clone(),
        }
    }

    /// Spark's `simpleString`: the node's line in `executedPlan.toString`.
    pub fn simple_string(&self) -> String {
        let args = self.arg_string();
        let name = self.node_name();
        match &self.op {
            // These print their arguments right after the name, without a space.
            Op::Aggregate(_) | Op::TakeOrderedAndProject { .. } => format!("{name}{args}"),
            Op::FileSourceScan(s) => format!("FileScan {} {args}", s.format),
            Op::DataWritingCommand { .. } => format!("Execute {args}"),
            Op::OneRowRelation => format!("{name}{args}"),
            _ if args.is_empty() => name,
            _ => format!("{name} {args}"),
        }
    }
}

/// A grouping or projection expression as it shows in an output list (`a#1`, or the alias's attribute).
pub fn named_to_attr_expr(e: &Expr) -> Expr {
    match e.to_attribute() {
        Some(a) => Expr::Attr(a),
        None => e.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviates_like_commons_lang() {
        assert_eq!(abbreviate("abcdef", 10), "abcdef");
        let long = "x".repeat(120);
        let a = abbreviate(&long, 100);
        assert_eq!(a.chars().count(), 100);
        assert!(a.ends_with("..."));
    }
}
