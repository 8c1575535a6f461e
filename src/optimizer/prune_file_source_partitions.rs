//! `PruneFileSourcePartitions` (static partition pruning): a Filter over a partitioned relation whose
//! conjuncts on partition columns only can be evaluated on each file's partition values keeps only
//! the files that can match, and the relation's statistics become those files' total bytes and rows,
//! as Spark's pruned `CatalogFileIndex` reports them. Files whose partition values cannot be evaluated
//! are kept. Knows plans, the scenario's file list and the constant evaluator.

use super::eval::{cast, eval_value};
use super::expr_util::{conjuncts, has_subquery, refs};
use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Expr, LitValue};
use crate::logical::plan::{LogicalPlan, Relation};
use crate::scenario::DataFile;

pub struct PruneFileSourcePartitions;

fn file_matches(filters: &[Expr], r: &Relation, f: &DataFile) -> bool {
    filters.iter().all(|c| {
        let bound = c.transform_up(&mut |x| match x {
            Expr::Attr(a) if r.partition_cols.contains(&a.id) => {
                let raw = f.partition.iter().find(|(k, _)| k.eq_ignore_ascii_case(&a.name)).map(|(_, v)| v.clone());
                let v = match raw.as_deref() {
                    None => return Expr::Attr(a),
                    Some("__HIVE_DEFAULT_PARTITION__") => LitValue::Null,
                    Some(s) => cast(LitValue::Str(s.to_string()), &a.dtype).unwrap_or(LitValue::Str(s.to_string())),
                };
                Expr::Lit(v, a.dtype)
            }
            o => o,
        });
        !matches!(eval_value(&bound), Some(LitValue::Bool(false)) | Some(LitValue::Null))
    })
}

fn prune(n: &LogicalPlan) -> Option<LogicalPlan> {
    let LogicalPlan::Filter { cond, child } = n else { return None };
    let LogicalPlan::Relation(r) = child.as_ref() else { return None };
    if r.partition_cols.is_empty() || r.table.files.is_empty() || r.table.files.iter().all(|f| f.partition.is_empty()) {
        return None;
    }
    let filters: Vec<Expr> = conjuncts(cond)
        .into_iter()
        .filter(|c| {
            let rs = refs(c);
            c.is_deterministic() && !has_subquery(c) && !rs.is_empty() && rs.iter().all(|id| r.partition_cols.contains(id))
        })
        .collect();
    if filters.is_empty() {
        return None;
    }
    let kept: Vec<DataFile> = r.table.files.iter().filter(|f| file_matches(&filters, r, f)).cloned().collect();
    let bytes: u64 = kept.iter().map(|f| f.bytes).sum();
    let rows: u64 = kept.iter().map(|f| f.rows).sum();
    if kept.len() == r.table.files.len() && bytes == r.table.size_in_bytes {
        return None;
    }
    let t = &r.table;
    let table = crate::scenario::Table {
        name: t.name.clone(),
        format: t.format.clone(),
        rows,
        size_in_bytes: bytes,
        row_count_known_to_spark: t.row_count_known_to_spark,
        partition_columns: t.partition_columns.clone(),
        files: kept,
        columns: t.columns.clone(),
    };
    let nr = crate::logical::plan::Relation { table: std::rc::Rc::new(table), output: r.output.clone(), partition_cols: r.partition_cols.clone() };
    Some(LogicalPlan::Filter { cond: cond.clone(), child: Box::new(LogicalPlan::Relation(nr)) })
}

impl OptimizerRule for PruneFileSourcePartitions {
    fn name(&self) -> &'static str {
        "PruneFileSourcePartitions"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut prune)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::BinOp;
    use crate::logical::types::DataType;
    use crate::optimizer::test_util::*;
    use std::collections::BTreeMap;

    #[test]
    fn literal_predicate_on_the_partition_column_keeps_matching_files() {
        let LogicalPlan::Relation(mut r) = relation("events", &["kind", "event_date"], 1) else { panic!() };
        r.partition_cols = vec![2];
        std::rc::Rc::make_mut(&mut r.table).files = ["2024-06-01", "2024-06-02", "2024-06-03"]
            .iter()
            .map(|d| DataFile {
                bytes: 100,
                rows: 10,
                row_groups: 1,
                row_group_layout: vec![],
                partition: BTreeMap::from([("event_date".to_string(), d.to_string())]),
            })
            .collect();
        std::rc::Rc::make_mut(&mut r.table).size_in_bytes = 300;
        let rel = LogicalPlan::Relation(r);
        let cond = Expr::and(
            Expr::is_not_null(col(&rel, "event_date")),
            Expr::binary(BinOp::GtEq, col(&rel, "event_date"), Expr::Lit(LitValue::Date("2024-06-02".into()), DataType::Date)),
        );
        let out = run(&PruneFileSourcePartitions, &filter(cond, rel));
        let LogicalPlan::Filter { child, .. } = &out else { panic!() };
        let LogicalPlan::Relation(pr) = child.as_ref() else { panic!() };
        assert_eq!((pr.table.files.len(), pr.table.size_in_bytes, pr.table.rows), (2, 200, 20));
        assert_eq!(run(&PruneFileSourcePartitions, &out), out);
    }
}
