//! `OptimizeIn`: an `IN` list of literals loses duplicate values, and a one-value list becomes `=`.
//! (Spark's `InSet` for lists over `spark.sql.optimizer.inSetConversionThreshold` is not modelled: the
//! list stays an `IN`.) Knows expressions only.

use super::expr_util::ExprSet;
use super::plan_util::rewrite_exprs_holding;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr};
use crate::logical::plan::LogicalPlan;

pub struct OptimizeIn;

fn optimize(e: Expr) -> Expr {
    match e {
        Expr::In { value, list } if !list.is_empty() && list.iter().all(|x| matches!(x, Expr::Lit(..))) => {
            let distinct = ExprSet::from_exprs(list.clone()).to_vec();
            if distinct.len() == 1 {
                Expr::binary(BinOp::Eq, *value, distinct.into_iter().next().unwrap_or(Expr::lit_bool(true)))
            } else if distinct.len() < list.len() {
                Expr::In { value, list: distinct }
            } else {
                Expr::In { value, list }
            }
        }
        other => other,
    }
}

impl OptimizerRule for OptimizeIn {
    fn name(&self) -> &'static str {
        "OptimizeIn"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        rewrite_exprs_holding(plan, &|x| matches!(x, Expr::In { .. }), &mut optimize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn duplicates_go_and_single_values_become_equality() {
        let t = relation("t", &["a"], 1);
        let p = filter(Expr::In { value: Box::new(col(&t, "a")), list: vec![Expr::lit_int(1), Expr::lit_int(1)] }, t.clone());
        assert_eq!(run(&OptimizeIn, &p).to_string().lines().next(), Some("Filter (a#1 = 1)"));
        let p2 = filter(Expr::In { value: Box::new(col(&t, "a")), list: vec![Expr::lit_int(1), Expr::lit_int(2), Expr::lit_int(1)] }, t);
        assert_eq!(run(&OptimizeIn, &p2).to_string().lines().next(), Some("Filter a#1 IN (1,2)"));
    }
}
