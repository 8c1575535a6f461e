//! Re-instancing a plan with fresh expression ids (Catalyst's `DeduplicateRelations` / `newInstance`):
//! each reference to a CTE or view gets its own attribute ids, so a self-join's sides stay distinct.
//! Knows plan structure only.

use crate::logical::expr::{Attribute, Expr, ExprId, IdGen};
use crate::logical::plan::LogicalPlan;
use std::collections::BTreeMap;

/// Returns a copy of `plan` in which every attribute the plan defines has a new id.
pub fn reinstance(plan: &LogicalPlan, ids: &mut IdGen) -> LogicalPlan {
    let mut map: BTreeMap<ExprId, ExprId> = BTreeMap::new();
    reinstance_with(plan, ids, &mut map)
}

pub fn reinstance_with(plan: &LogicalPlan, ids: &mut IdGen, map: &mut BTreeMap<ExprId, ExprId>) -> LogicalPlan {
    plan.transform_up(&mut |p| {
        use LogicalPlan::*;
        let mut fresh = |a: &Attribute, map: &mut BTreeMap<ExprId, ExprId>| -> Attribute {
            let id = *map.entry(a.id).or_insert_with(|| ids.next());
            Attribute { id, ..a.clone() }
        };
        // Definitions first.
        let p = match p {
            Relation(mut r) => {
                r.output = r.output.iter().map(|a| fresh(a, map)).collect();
                r.partition_cols = r.partition_cols.iter().map(|id| *map.get(id).unwrap_or(id)).collect();
                Relation(r)
            }
            LocalRelation { output, rows } => LocalRelation { output: output.iter().map(|a| fresh(a, map)).collect(), rows },
            Range { start, end, step, splits, output } => {
                Range { start, end, step, splits, output: output.iter().map(|a| fresh(a, map)).collect() }
            }
            Generate { generator, unrequired_child_index, outer, qualifier, generator_output, child } => Generate {
                generator,
                unrequired_child_index,
                qualifier,
                outer,
                generator_output: generator_output.iter().map(|a| fresh(a, map)).collect(),
                child,
            },
            Expand { projections, output, child } => {
                Expand { projections, output: output.iter().map(|a| fresh(a, map)).collect(), child }
            }
            InMemoryRelation { output, cached, level, cache_id } => {
                InMemoryRelation { output: output.iter().map(|a| fresh(a, map)).collect(), cached, level, cache_id }
            }
            EvalPython { udfs, results, arrow, child } => {
                EvalPython { udfs, results: results.iter().map(|a| fresh(a, map)).collect(), arrow, child }
            }
            MapPartitions { func, output, child } => {
                MapPartitions { func, output: output.iter().map(|a| fresh(a, map)).collect(), child }
            }
            other => other,
        };
        // Then aliases (definitions) and references inside expressions.
        p.into_map_expressions(&mut |e| rewrite_expr(e, ids, map))
    })
}

fn rewrite_expr(e: &Expr, ids: &mut IdGen, map: &mut BTreeMap<ExprId, ExprId>) -> Expr {
    e.transform_up(&mut |x| match x {
        Expr::Alias { child, name, id } => {
            let nid = *map.entry(id).or_insert_with(|| ids.next());
            Expr::Alias { child, name, id: nid }
        }
        Expr::Attr(a) => match map.get(&a.id) {
            Some(n) => Expr::Attr(Attribute { id: *n, ..a }),
            None => Expr::Attr(a),
        },
        other => other,
    })
}
