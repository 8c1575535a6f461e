//! `EliminateSorts`: removes sorts that cannot affect the result: sorts by constants, a sort under
//! another sort (through deterministic Projects and Filters; repartitions only for a global sort
//! above), sorts under a join's inputs, and sorts under an aggregate whose functions ignore order
//! (min, max, count, and sum/avg of non-floating values). A global sort under a local one keeps its
//! range partitioning as a `RepartitionByExpression`. Knows plans only.

use super::plan_util::transform_down;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, Expr};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct EliminateSorts;

fn remove_sorts(p: &LogicalPlan, can_remove_global: bool) -> LogicalPlan {
    use LogicalPlan::*;
    if !p.any_node(&|n| matches!(n, Sort { .. })) {
        return p.clone();
    }
    match p {
        Sort { global, child, .. } if can_remove_global || !global => remove_sorts(child, can_remove_global),
        Sort { order, global: true, child } => {
            RepartitionByExpression { exprs: vec![], range: order.clone(), num: None, child: Box::new(remove_sorts(child, true)) }
        }
        Project { exprs, .. } if exprs.iter().all(|e| e.is_deterministic()) => {
            p.with_children(p.children().into_iter().map(|c| remove_sorts(c, can_remove_global)).collect())
        }
        Filter { cond, .. } if cond.is_deterministic() => {
            p.with_children(p.children().into_iter().map(|c| remove_sorts(c, can_remove_global)).collect())
        }
        RepartitionByExpression { .. } | RebalancePartitions { .. } | Repartition { .. }
            if p.expressions().iter().all(|e| e.is_deterministic()) =>
        {
            p.with_children(p.children().into_iter().map(|c| remove_sorts(c, true)).collect())
        }
        _ => p.clone(),
    }
}

fn order_irrelevant(e: &Expr) -> bool {
    match e {
        Expr::Attr(_) => true,
        Expr::Agg { func, args, .. } => match func {
            AggFunc::Min | AggFunc::Max | AggFunc::Count => true,
            AggFunc::Sum | AggFunc::Avg | AggFunc::StddevSamp | AggFunc::VarSamp => {
                !args.first().map(|a| matches!(a.dtype(), DataType::Float | DataType::Double)).unwrap_or(false)
            }
            _ => false,
        },
        Expr::Udf { .. } => false,
        e => e.children().iter().all(|c| order_irrelevant(c)),
    }
}

fn eliminate(p: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    let out = match p {
        Sort { order, global, child } if order.is_empty() || order.iter().any(|o| o.expr.is_foldable()) => {
            let kept: Vec<_> = order.iter().filter(|o| !o.expr.is_foldable()).cloned().collect();
            if kept.is_empty() {
                eliminate(child).unwrap_or_else(|| (**child).clone())
            } else {
                Sort { order: kept, global: *global, child: child.clone() }
            }
        }
        Sort { order, global, child } => Sort { order: order.clone(), global: *global, child: Box::new(remove_sorts(child, *global)) },
        Join { left, right, cond, .. } if cond.as_ref().map(|c| c.is_deterministic()).unwrap_or(true) => {
            p.with_children(vec![remove_sorts(left, true), remove_sorts(right, true)])
        }
        Aggregate { group, aggs, child } if aggs.iter().all(order_irrelevant) => {
            Aggregate { group: group.clone(), aggs: aggs.clone(), child: Box::new(remove_sorts(child, true)) }
        }
        _ => return None,
    };
    if out == *p {
        None
    } else {
        Some(out)
    }
}

impl OptimizerRule for EliminateSorts {
    fn name(&self) -> &'static str {
        "EliminateSorts"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut eliminate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{AggMode, SortOrder};
    use crate::optimizer::test_util::*;

    #[test]
    fn sort_under_an_order_insensitive_aggregate_goes() {
        let t = relation("t", &["a"], 1);
        let sorted = LogicalPlan::Sort { order: vec![SortOrder::asc(col(&t, "a"))], global: true, child: Box::new(t.clone()) };
        let count = Expr::Agg { func: AggFunc::Count, args: vec![Expr::lit_int(1)], distinct: false, mode: AggMode::Complete, filter: None };
        let agg = LogicalPlan::Aggregate { group: vec![], aggs: vec![count.alias("n", 5)], child: Box::new(sorted.clone()) };
        assert_eq!(run(&EliminateSorts, &agg), LogicalPlan::Aggregate { group: vec![], aggs: agg.expressions().into_iter().cloned().collect(), child: Box::new(t.clone()) });
        let outer = LogicalPlan::Sort { order: vec![SortOrder::asc(col(&t, "a"))], global: true, child: Box::new(sorted) };
        assert_eq!(run(&EliminateSorts, &outer), LogicalPlan::Sort { order: vec![SortOrder::asc(col(&t, "a"))], global: true, child: Box::new(t) });
    }
}
