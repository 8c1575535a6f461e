//! `LimitPushDownThroughWindow`: a small `LocalLimit` over a Window of rank-like functions with no
//! PARTITION BY (directly, or through a Project) moves below the Window as a limit over a global sort
//! by the window's ORDER BY: only the first k rows in that order can rank in the first k.
//! Knows plans and confs only.

use super::plan_util::{max_rows, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Expr, FrameBound};
use crate::logical::plan::LogicalPlan;

pub struct LimitPushDownThroughWindow;

fn supported(exprs: &[Expr]) -> bool {
    exprs.iter().all(|e| match e {
        Expr::Alias { child, .. } => match child.as_ref() {
            Expr::Window { func, spec } => {
                matches!(func.as_ref(), Expr::WindowFunc { name, .. } if matches!(name.as_str(), "rank" | "dense_rank" | "ntile" | "row_number"))
                    && spec.partition_by.is_empty()
                    && spec.frame.rows
                    && spec.frame.lower == FrameBound::UnboundedPreceding
                    && spec.frame.upper == FrameBound::CurrentRow
            }
            _ => false,
        },
        _ => false,
    })
}

fn push_window(n: i64, w: &LogicalPlan, topk: i64) -> Option<LogicalPlan> {
    let LogicalPlan::Window { window_exprs, partition_by, order_by, child } = w else { return None };
    if !partition_by.is_empty() || !supported(window_exprs) || n >= topk || n < 0 {
        return None;
    }
    if max_rows(child).map(|m| m <= n as u128).unwrap_or(false) {
        return None;
    }
    let sorted = LogicalPlan::Sort { order: order_by.clone(), global: true, child: child.clone() };
    let limited = LogicalPlan::GlobalLimit { n, child: Box::new(LogicalPlan::LocalLimit { n, child: Box::new(sorted) }) };
    Some(LogicalPlan::Window { window_exprs: window_exprs.clone(), partition_by: partition_by.clone(), order_by: order_by.clone(), child: Box::new(limited) })
}

impl OptimizerRule for LimitPushDownThroughWindow {
    fn name(&self) -> &'static str {
        "LimitPushDownThroughWindow"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        let topk = ctx.conf.get_i64("spark.sql.execution.topKSortFallbackThreshold");
        transform_down(plan, &mut |p| {
            let LogicalPlan::LocalLimit { n, child } = p else { return None };
            match child.as_ref() {
                w @ LogicalPlan::Window { .. } => {
                    push_window(*n, w, topk).map(|nw| LogicalPlan::LocalLimit { n: *n, child: Box::new(nw) })
                }
                LogicalPlan::Project { exprs, child: w } => push_window(*n, w, topk).map(|nw| LogicalPlan::LocalLimit {
                    n: *n,
                    child: Box::new(LogicalPlan::Project { exprs: exprs.clone(), child: Box::new(nw) }),
                }),
                _ => None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{SortOrder, WindowFrame, WindowSpec};
    use crate::logical::types::DataType;
    use crate::optimizer::test_util::*;

    #[test]
    fn limit_moves_below_an_unpartitioned_row_number() {
        let t = relation("t", &["a"], 1);
        let order = vec![SortOrder::asc(col(&t, "a"))];
        let w = Expr::Window {
            func: Box::new(Expr::WindowFunc { name: "row_number".into(), args: vec![], dtype: DataType::Int }),
            spec: WindowSpec {
                partition_by: vec![],
                order_by: order.clone(),
                frame: WindowFrame { rows: true, lower: FrameBound::UnboundedPreceding, upper: FrameBound::CurrentRow },
            },
        };
        let win = LogicalPlan::Window { window_exprs: vec![w.alias("rn", 9)], partition_by: vec![], order_by: order, child: Box::new(t) };
        let p = LogicalPlan::LocalLimit { n: 5, child: Box::new(win) };
        let text = run(&LimitPushDownThroughWindow, &p).to_string();
        assert!(text.contains("+- GlobalLimit 5\n      +- LocalLimit 5\n         +- Sort [a#1 ASC NULLS FIRST], true"), "{text}");
        let again = run(&LimitPushDownThroughWindow, &run(&LimitPushDownThroughWindow, &p));
        assert_eq!(again.to_string(), text);
    }
}
