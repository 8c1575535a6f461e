//! `ConstantFolding`: replaces every foldable expression (literals combined by operators, casts of
//! literals, `IN` over literals, ...) by the literal it evaluates to. Aliases keep their names: only
//! what is under them folds. Expressions the interpreter cannot evaluate stay as they are.
//! Knows expressions only.

use super::eval::eval;
use super::expr_util::transform_expr_down;
use super::plan_util::transform_all_exprs;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::LogicalPlan;

pub struct ConstantFolding;

/// Folds one expression tree (top-down: the largest foldable subtree folds first).
pub fn fold(e: &Expr) -> Option<Expr> {
    let mut changed = false;
    let out = transform_expr_down(e, &mut |x| match x {
        Expr::Lit(..) | Expr::Alias { .. } => None,
        x if x.is_foldable() => {
            let v = eval(x)?;
            changed = true;
            Some(v)
        }
        _ => None,
    });
    if changed {
        Some(out)
    } else {
        None
    }
}

impl OptimizerRule for ConstantFolding {
    fn name(&self) -> &'static str {
        "ConstantFolding"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_all_exprs(plan, &mut fold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::BinOp;
    use crate::logical::types::DataType;
    use crate::optimizer::test_util::*;

    #[test]
    fn folds_arithmetic_and_literal_casts_but_keeps_aliases() {
        let t = relation("t", &["a", "order_date"], 1);
        let p = project(
            vec![Expr::binary(BinOp::Add, Expr::lit_int(1), Expr::lit_int(2)).alias("three", 9)],
            filter(
                Expr::binary(
                    BinOp::GtEq,
                    col(&t, "order_date"),
                    Expr::Cast { child: Box::new(Expr::lit_str("2024-12-01")), to: DataType::Date },
                ),
                t,
            ),
        );
        let text = run(&ConstantFolding, &p).to_string();
        assert!(text.starts_with("Project [3 AS three#9]\n+- Filter (order_date#2 >= 2024-12-01)"), "{text}");
    }
}
