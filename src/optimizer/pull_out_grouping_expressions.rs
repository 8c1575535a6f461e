//! `PullOutGroupingExpressions`: a grouping expression that is not a plain column
//! (`GROUP BY year(order_date)`) is computed once in a Project below the Aggregate as
//! `_groupingexpression`, and the Aggregate groups by (and outputs) that column instead.
//! Knows plans only.

use super::expr_util::semantic_key;
use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Attribute, Expr};
use crate::logical::plan::LogicalPlan;

pub struct PullOutGroupingExpressions;

fn replace(e: &Expr, pulled: &[(String, Attribute)]) -> Expr {
    if matches!(e, Expr::Agg { .. }) || e.is_foldable() {
        return e.clone();
    }
    if !matches!(e, Expr::Alias { .. }) {
        let k = semantic_key(e);
        if let Some((_, a)) = pulled.iter().find(|(pk, _)| *pk == k) {
            return a.to_expr();
        }
    }
    e.map_children(&mut |c| replace(c, pulled))
}

impl OptimizerRule for PullOutGroupingExpressions {
    fn name(&self) -> &'static str {
        "PullOutGroupingExpressions"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| {
            let LogicalPlan::Aggregate { group, aggs, child } = n else { return None };
            if !group.iter().any(|g| !g.is_foldable() && !g.children().is_empty()) {
                return None;
            }
            let mut pulled: Vec<(String, Attribute)> = vec![];
            let mut aliases: Vec<Expr> = vec![];
            let new_group: Vec<Expr> = group
                .iter()
                .map(|g| {
                    if g.is_foldable() || g.children().is_empty() {
                        return g.clone();
                    }
                    let k = semantic_key(g);
                    if let Some((_, a)) = pulled.iter().find(|(pk, _)| *pk == k) {
                        return a.to_expr();
                    }
                    let alias = g.clone().alias("_groupingexpression", ctx.ids.next());
                    let attr = alias.to_attribute().unwrap_or_else(|| Attribute {
                        name: "_groupingexpression".into(),
                        id: 0,
                        dtype: g.dtype(),
                        nullable: true,
                        qualifier: vec![],
                    });
                    pulled.push((k, attr.clone()));
                    aliases.push(alias);
                    attr.to_expr()
                })
                .collect();
            let new_aggs: Vec<Expr> = aggs.iter().map(|e| replace(e, &pulled)).collect();
            let mut exprs: Vec<Expr> = child.output().iter().map(|a| a.to_expr()).collect();
            exprs.extend(aliases);
            Some(LogicalPlan::Aggregate {
                group: new_group,
                aggs: new_aggs,
                child: Box::new(LogicalPlan::Project { exprs, child: child.clone() }),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{AggFunc, AggMode, BinOp};
    use crate::optimizer::test_util::*;

    #[test]
    fn computed_grouping_key_moves_below() {
        let t = relation("t", &["a", "b"], 1);
        let key = Expr::binary(BinOp::Add, col(&t, "a"), Expr::lit_int(1));
        let count = Expr::Agg { func: AggFunc::Count, args: vec![Expr::lit_int(1)], distinct: false, mode: AggMode::Complete, filter: None };
        let agg = LogicalPlan::Aggregate {
            group: vec![key.clone()],
            aggs: vec![key.alias("k", 10), count.alias("n", 11)],
            child: Box::new(t),
        };
        assert_eq!(
            run(&PullOutGroupingExpressions, &agg).to_string(),
            "Aggregate [_groupingexpression#1000], [_groupingexpression#1000 AS k#10, count(1) AS n#11L]\n+- Project [a#1, b#2, (a#1 + 1) AS _groupingexpression#1000]\n   +- Relation [a#1,b#2] parquet\n"
        );
    }
}
