//! `RewriteIntersectAll`: `A INTERSECT ALL B` becomes: tag A's rows `(true, null)` and B's
//! `(null, true)`, UNION ALL, count both tags per distinct row, keep rows present on both sides and
//! replicate each `min(count_a, count_b)` times. Knows plans only.

use super::plan_util::transform_down;
use super::rewrite_except_all::long;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, AggMode, BinOp, Expr, LitValue};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct RewriteIntersectAll;

impl OptimizerRule for RewriteIntersectAll {
    fn name(&self) -> &'static str {
        "RewriteIntersectAll"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| {
            let LogicalPlan::Intersect { left, right, all: true } = n else { return None };
            let (lo, ro) = (left.output(), right.output());
            let t = Expr::lit_bool(true);
            let null = Expr::Lit(LitValue::Null, DataType::Boolean);
            let l = LogicalPlan::Project {
                exprs: vec![t.clone().alias("vcol1", ctx.ids.next()), null.clone().alias("vcol2", ctx.ids.next())]
                    .into_iter()
                    .chain(lo.iter().map(|a| a.to_expr()))
                    .collect(),
                child: left.clone(),
            };
            let r = LogicalPlan::Project {
                exprs: vec![null.alias("vcol1", ctx.ids.next()), t.alias("vcol2", ctx.ids.next())]
                    .into_iter()
                    .chain(ro.iter().map(|a| a.to_expr()))
                    .collect(),
                child: right.clone(),
            };
            let union = LogicalPlan::Union { children: vec![l, r], by_name: false, allow_missing: false };
            let uo = union.output();
            let count = |e: Expr| Expr::Agg { func: AggFunc::Count, args: vec![e], distinct: false, mode: AggMode::Complete, filter: None };
            let c1 = count(uo.first()?.to_expr()).alias("vcol1_count", ctx.ids.next());
            let c2 = count(uo.get(1)?.to_expr()).alias("vcol2_count", ctx.ids.next());
            let (a1, a2) = (c1.to_attribute()?.to_expr(), c2.to_attribute()?.to_expr());
            let agg = LogicalPlan::Aggregate {
                group: lo.iter().map(|a| a.to_expr()).collect(),
                aggs: vec![c1, c2].into_iter().chain(lo.iter().map(|a| a.to_expr())).collect(),
                child: Box::new(union),
            };
            let filtered = LogicalPlan::Filter {
                cond: Expr::and(Expr::binary(BinOp::GtEq, a1.clone(), long(1)), Expr::binary(BinOp::GtEq, a2.clone(), long(1))),
                child: Box::new(agg),
            };
            let min = Expr::Func {
                name: "if".into(),
                args: vec![Expr::binary(BinOp::Gt, a1.clone(), a2.clone()), a2, a1],
                dtype: DataType::Long,
                deterministic: true,
            }
            .alias("min_count", ctx.ids.next());
            let min_attr = min.to_attribute()?;
            let projected = LogicalPlan::Project {
                exprs: lo.iter().map(|a| a.to_expr()).chain(std::iter::once(min)).collect(),
                child: Box::new(filtered),
            };
            let gen = LogicalPlan::Generate {
                generator: Expr::Func {
                    name: "replicaterows".into(),
                    args: std::iter::once(min_attr.to_expr()).chain(lo.iter().map(|a| a.to_expr())).collect(),
                    dtype: DataType::Null,
                    deterministic: true,
                },
                unrequired_child_index: vec![],
                outer: false,
                qualifier: None,
                generator_output: lo.clone(),
                child: Box::new(projected),
            };
            Some(LogicalPlan::Project { exprs: lo.iter().map(|a| a.to_expr()).collect(), child: Box::new(gen) })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn intersect_all_counts_both_sides() {
        let (a, b) = (relation("a", &["x"], 1), relation("b", &["y"], 2));
        let text = run(&RewriteIntersectAll, &LogicalPlan::Intersect { left: Box::new(a), right: Box::new(b), all: true }).to_string();
        assert!(text.contains("Filter ((vcol1_count#1004L >= 1) AND (vcol2_count#1005L >= 1))"), "{text}");
        assert!(text.contains("replicaterows(min_count#1006L, x#1)"), "{text}");
    }
}
