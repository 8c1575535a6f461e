//! `ReplaceDeduplicateWithAggregate`: `dropDuplicates(keys)` becomes an Aggregate grouping by the keys
//! and taking `first(col)` of every other column (under a fresh id; references above are rewritten).
//! With no keys it groups by the literal 1, so an empty input still gives no row. Knows plans only.

use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, AggMode, Attribute, Expr, ExprId};
use crate::logical::plan::LogicalPlan;
use std::collections::BTreeMap;

pub struct ReplaceDeduplicateWithAggregate;

fn rewrite(p: &LogicalPlan, ctx: &mut OptimizerContext, map: &mut BTreeMap<ExprId, Attribute>) -> LogicalPlan {
    let kids = p.children();
    let node = if kids.is_empty() {
        p.clone()
    } else {
        let new_kids: Vec<LogicalPlan> = kids.into_iter().map(|c| rewrite(c, ctx, map)).collect();
        p.with_children(new_kids)
    };
    let node = if map.is_empty() {
        node
    } else {
        node.into_map_expressions(&mut |e| {
            e.transform_up(&mut |x| match x {
                Expr::Attr(a) => match map.get(&a.id) {
                    Some(n) => Expr::Attr(n.clone()),
                    None => Expr::Attr(a),
                },
                o => o,
            })
        })
    };
    match node {
        LogicalPlan::Deduplicate { keys, child } => {
            let mut aggs = vec![];
            for a in child.output() {
                if keys.iter().any(|k| k.id == a.id) {
                    aggs.push(a.to_expr());
                } else {
                    let id = ctx.ids.next();
                    let first = Expr::Agg { func: AggFunc::First, args: vec![a.to_expr()], distinct: false, mode: AggMode::Complete, filter: None };
                    map.insert(a.id, Attribute { id, ..a.clone() });
                    aggs.push(first.alias(&a.name, id));
                }
            }
            let group = if keys.is_empty() { vec![Expr::lit_int(1)] } else { keys.iter().map(|k| k.to_expr()).collect() };
            LogicalPlan::Aggregate { group, aggs, child }
        }
        other => other,
    }
}

impl OptimizerRule for ReplaceDeduplicateWithAggregate {
    fn name(&self) -> &'static str {
        "ReplaceDeduplicateWithAggregate"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        if !plan.any_node(&|n| matches!(n, LogicalPlan::Deduplicate { .. })) {
            return None;
        }
        Some(rewrite(plan, ctx, &mut BTreeMap::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn other_columns_take_first_and_references_follow() {
        let t = relation("t", &["a", "b"], 1);
        let d = LogicalPlan::Deduplicate { keys: vec![t.output()[0].clone()], child: Box::new(t.clone()) };
        let p = project(vec![col(&t, "b")], d);
        assert_eq!(
            run(&ReplaceDeduplicateWithAggregate, &p).to_string(),
            "Project [b#1000]\n+- Aggregate [a#1], [a#1, first(b#2) AS b#1000]\n   +- Relation [a#1,b#2] parquet\n"
        );
    }
}
