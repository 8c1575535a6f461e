//! `RewriteExceptAll`: `A EXCEPT ALL B` becomes: tag A's rows `+1` and B's `-1`, UNION ALL, sum the
//! tags per distinct row, keep rows with a positive sum and replicate each that many times
//! (`replicaterows`). Knows plans only.

use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, AggMode, BinOp, Expr, LitValue};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct RewriteExceptAll;

pub fn long(v: i64) -> Expr {
    Expr::Lit(LitValue::Int(v), DataType::Long)
}

impl OptimizerRule for RewriteExceptAll {
    fn name(&self) -> &'static str {
        "RewriteExceptAll"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| {
            let LogicalPlan::Except { left, right, all: true } = n else { return None };
            let (lo, ro) = (left.output(), right.output());
            let vl = long(1).alias("vcol", ctx.ids.next());
            let vr = long(-1).alias("vcol", ctx.ids.next());
            let ml = LogicalPlan::Project { exprs: std::iter::once(vl).chain(lo.iter().map(|a| a.to_expr())).collect(), child: left.clone() };
            let mr = LogicalPlan::Project { exprs: std::iter::once(vr).chain(ro.iter().map(|a| a.to_expr())).collect(), child: right.clone() };
            let union = LogicalPlan::Union { children: vec![ml, mr], by_name: false, allow_missing: false };
            let vcol = union.output().first()?.to_expr();
            let sum_id = ctx.ids.next();
            let sum = Expr::Agg { func: AggFunc::Sum, args: vec![vcol], distinct: false, mode: AggMode::Complete, filter: None }.alias("sum", sum_id);
            let sum_attr = sum.to_attribute()?;
            let agg = LogicalPlan::Aggregate {
                group: lo.iter().map(|a| a.to_expr()).collect(),
                aggs: lo.iter().map(|a| a.to_expr()).chain(std::iter::once(sum)).collect(),
                child: Box::new(union),
            };
            let filtered = LogicalPlan::Filter { cond: Expr::binary(BinOp::Gt, sum_attr.to_expr(), long(0)), child: Box::new(agg) };
            let gen = LogicalPlan::Generate {
                generator: Expr::Func {
                    name: "replicaterows".into(),
                    args: std::iter::once(sum_attr.to_expr()).chain(lo.iter().map(|a| a.to_expr())).collect(),
                    dtype: DataType::Null,
                    deterministic: true,
                },
                unrequired_child_index: vec![],
                outer: false,
                qualifier: None,
                generator_output: lo.clone(),
                child: Box::new(filtered),
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
    fn except_all_replicates_surplus_rows() {
        let (a, b) = (relation("a", &["x"], 1), relation("b", &["y"], 2));
        let text = run(&RewriteExceptAll, &LogicalPlan::Except { left: Box::new(a), right: Box::new(b), all: true }).to_string();
        assert!(text.contains("Generate replicaterows(sum#1002L, x#1)"), "{text}");
        assert!(text.contains("Filter (sum#1002L > 0)"), "{text}");
        assert!(text.contains("Project [1 AS vcol#1000L, x#1]") && text.contains("Project [-1 AS vcol#1001L, y#2]"), "{text}");
    }
}
