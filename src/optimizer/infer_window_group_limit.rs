//! `InferWindowGroupLimit`: for the top-k-per-group pattern — a Filter `rn = k`, `rn <= k`, `rn < k+1`
//! over a Window whose expressions are all `row_number()` / `rank()` / `dense_rank()` over
//! `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW` with an ORDER BY — inserts a `WindowGroupLimit`
//! below the Window so each partition keeps only its first k rows before the window is computed
//! (k ≤ `spark.sql.optimizer.windowGroupLimitThreshold`, 1000). With `row_number()` and no PARTITION
//! BY it becomes a plain limit instead (a top-k sort beats a group limit); `k ≤ 0` empties the plan.
//! Knows plans and confs only.

use super::expr_util::conjuncts;
use super::plan_util::{empty_like, max_rows, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr, ExprId, FrameBound, LitValue};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct InferWindowGroupLimit;

fn int_lit(e: &Expr) -> Option<i64> {
    match e {
        Expr::Lit(LitValue::Int(i), DataType::Int) => Some(*i),
        _ => None,
    }
}

fn is_attr(e: &Expr, id: ExprId) -> bool {
    matches!(e, Expr::Attr(a) if a.id == id)
}

/// The smallest limit the conjuncts put on attribute `id`.
fn extract_limit(cond: &Expr, id: ExprId) -> Option<i64> {
    conjuncts(cond)
        .iter()
        .filter_map(|c| {
            let Expr::Binary { op, left, right } = c else { return None };
            match op {
                BinOp::Eq if is_attr(left, id) => int_lit(right),
                BinOp::Eq if is_attr(right, id) => int_lit(left),
                BinOp::Lt if is_attr(left, id) => int_lit(right).map(|l| l - 1),
                BinOp::Gt if is_attr(right, id) => int_lit(left).map(|l| l - 1),
                BinOp::LtEq if is_attr(left, id) => int_lit(right),
                BinOp::GtEq if is_attr(right, id) => int_lit(left),
                _ => None,
            }
        })
        .min()
}

/// A rank-like function over an expanding row frame: (alias id, function name).
fn rank_like(e: &Expr) -> Option<(ExprId, String)> {
    let Expr::Alias { child, id, .. } = e else { return None };
    let Expr::Window { func, spec } = child.as_ref() else { return None };
    let Expr::WindowFunc { name, .. } = func.as_ref() else { return None };
    let expanding = spec.frame.rows && spec.frame.lower == FrameBound::UnboundedPreceding && spec.frame.upper == FrameBound::CurrentRow;
    if expanding && matches!(name.as_str(), "row_number" | "rank" | "dense_rank") {
        Some((*id, name.clone()))
    } else {
        None
    }
}

fn infer(n: &LogicalPlan, threshold: i64, topk_fallback: i64) -> Option<LogicalPlan> {
    let LogicalPlan::Filter { cond, child } = n else { return None };
    let LogicalPlan::Window { window_exprs, partition_by, order_by, child: wchild } = child.as_ref() else { return None };
    if matches!(wchild.as_ref(), LogicalPlan::WindowGroupLimit { .. }) || order_by.is_empty() || window_exprs.is_empty() {
        return None;
    }
    let funcs: Vec<(ExprId, String)> = window_exprs.iter().map(rank_like).collect::<Option<Vec<_>>>()?;
    let (limit, func) = funcs
        .iter()
        .filter_map(|(id, f)| extract_limit(cond, *id).map(|l| (l, f.clone())))
        .min_by_key(|(l, _)| *l)?;
    if limit > threshold {
        return None;
    }
    if max_rows(wchild).map(|m| m <= limit.max(0) as u128).unwrap_or(false) {
        return None;
    }
    if limit <= 0 {
        return Some(empty_like(n));
    }
    let new_child = if func == "row_number" && partition_by.is_empty() && limit < topk_fallback {
        LogicalPlan::GlobalLimit { n: limit, child: Box::new(LogicalPlan::LocalLimit { n: limit, child: child.clone() }) }
    } else {
        LogicalPlan::Window {
            window_exprs: window_exprs.clone(),
            partition_by: partition_by.clone(),
            order_by: order_by.clone(),
            child: Box::new(LogicalPlan::WindowGroupLimit {
                partition_by: partition_by.clone(),
                order_by: order_by.clone(),
                rank_fn: func,
                limit,
                child: wchild.clone(),
            }),
        }
    };
    Some(LogicalPlan::Filter { cond: cond.clone(), child: Box::new(new_child) })
}

impl OptimizerRule for InferWindowGroupLimit {
    fn name(&self) -> &'static str {
        "InferWindowGroupLimit"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        let threshold = ctx.conf.get_i64("spark.sql.optimizer.windowGroupLimitThreshold");
        if threshold == -1 {
            return None;
        }
        let topk = ctx.conf.get_i64("spark.sql.execution.topKSortFallbackThreshold");
        transform_down(plan, &mut |n| infer(n, threshold, topk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{SortOrder, WindowFrame, WindowSpec};
    use crate::optimizer::test_util::*;

    fn ranked(t: &LogicalPlan, func: &str, partitioned: bool) -> LogicalPlan {
        let part = if partitioned { vec![col(t, "cid")] } else { vec![] };
        let order = vec![SortOrder { expr: col(t, "order_date"), ascending: false, nulls_first: false }];
        let w = Expr::Window {
            func: Box::new(Expr::WindowFunc { name: func.into(), args: vec![], dtype: DataType::Int }),
            spec: WindowSpec {
                partition_by: part.clone(),
                order_by: order.clone(),
                frame: WindowFrame { rows: true, lower: FrameBound::UnboundedPreceding, upper: FrameBound::CurrentRow },
            },
        };
        LogicalPlan::Window { window_exprs: vec![w.alias("rn", 20)], partition_by: part, order_by: order, child: Box::new(t.clone()) }
    }

    fn rn() -> Expr {
        Expr::Attr(attr("rn", 20, DataType::Int))
    }

    #[test]
    fn row_number_equals_one_inserts_a_group_limit() {
        let t = relation("o", &["cid", "order_date"], 1);
        let f = filter(eq(rn(), Expr::lit_int(1)), ranked(&t, "row_number", true));
        let text = run(&InferWindowGroupLimit, &f).to_string();
        assert!(text.contains("+- WindowGroupLimit [cid#1], [order_date#2 DESC NULLS LAST], row_number(), 1"), "{text}");
        let f2 = filter(Expr::binary(BinOp::Lt, rn(), Expr::lit_int(4)), ranked(&t, "rank", true));
        assert!(run(&InferWindowGroupLimit, &f2).to_string().contains("rank(), 3"));
        let f3 = filter(Expr::binary(BinOp::LtEq, rn(), Expr::lit_int(5000)), ranked(&t, "rank", true));
        assert_eq!(run(&InferWindowGroupLimit, &f3), f3);
    }

    #[test]
    fn unpartitioned_row_number_becomes_a_limit() {
        let t = relation("o", &["cid", "order_date"], 1);
        let f = filter(Expr::binary(BinOp::LtEq, rn(), Expr::lit_int(3)), ranked(&t, "row_number", false));
        let text = run(&InferWindowGroupLimit, &f).to_string();
        assert!(text.contains("+- GlobalLimit 3\n   +- LocalLimit 3\n      +- Window"), "{text}");
    }
}
