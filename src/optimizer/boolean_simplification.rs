//! `BooleanSimplification`: simplifies boolean logic bottom-up: `true AND x` → `x`, `false OR x` → `x`,
//! `x AND x` → `x`, repeated conjuncts or disjuncts removed (rebuilt balanced, as Spark does), `NOT`
//! pushed into comparisons (`NOT (a > b)` → `a <= b`), `AND`/`OR` (De Morgan), `IS [NOT] NULL` and
//! double negation. Knows expressions only.

use super::expr_util::{conjuncts, disjuncts, is_false, is_true, semantic_eq, ExprSet};
use super::plan_util::transform_all_exprs;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr};
use crate::logical::plan::LogicalPlan;

pub struct BooleanSimplification;

/// Spark's `buildBalancedPredicate`.
fn balanced(mut items: Vec<Expr>, op: BinOp) -> Option<Expr> {
    if items.is_empty() {
        return None;
    }
    while items.len() > 1 {
        let mut next = Vec::with_capacity(items.len() / 2 + 1);
        let mut it = items.into_iter();
        while let Some(a) = it.next() {
            match it.next() {
                Some(b) => next.push(Expr::binary(op, a, b)),
                None => next.push(a),
            }
        }
        items = next;
    }
    items.pop()
}

fn simplify_node(e: Expr) -> Expr {
    match e {
        Expr::Binary { op: BinOp::And, left, right } => {
            if is_true(&left) {
                return *right;
            }
            if is_true(&right) {
                return *left;
            }
            if is_false(&left) || is_false(&right) {
                return Expr::lit_bool(false);
            }
            if semantic_eq(&left, &right) {
                return *left;
            }
            let (ld, rd) = (disjuncts(&left), disjuncts(&right));
            let common: Vec<Expr> = ld.iter().filter(|a| rd.iter().any(|b| semantic_eq(a, b))).cloned().collect();
            if common.is_empty() {
                let all: Vec<Expr> = conjuncts(&left).into_iter().chain(conjuncts(&right)).collect();
                let distinct = ExprSet::from_exprs(all.clone());
                if distinct.len() < all.len() {
                    return balanced(distinct.to_vec(), BinOp::And).unwrap_or(Expr::lit_bool(true));
                }
                Expr::Binary { op: BinOp::And, left, right }
            } else {
                // (a OR b) AND (a OR c) => a OR (b AND c)
                let ldiff: Vec<Expr> = ld.iter().filter(|x| !common.iter().any(|c| semantic_eq(x, c))).cloned().collect();
                let rdiff: Vec<Expr> = rd.iter().filter(|x| !common.iter().any(|c| semantic_eq(x, c))).cloned().collect();
                let mut common = common;
                if !ldiff.is_empty() && !rdiff.is_empty() {
                    let l = balanced(ldiff, BinOp::Or).unwrap_or(Expr::lit_bool(false));
                    let r = balanced(rdiff, BinOp::Or).unwrap_or(Expr::lit_bool(false));
                    common.push(Expr::and(l, r));
                }
                balanced(common, BinOp::Or).unwrap_or(Expr::lit_bool(false))
            }
        }
        Expr::Binary { op: BinOp::Or, left, right } => {
            if is_false(&left) {
                return *right;
            }
            if is_false(&right) {
                return *left;
            }
            if is_true(&left) || is_true(&right) {
                return Expr::lit_bool(true);
            }
            if semantic_eq(&left, &right) {
                return *left;
            }
            let (lc, rc) = (conjuncts(&left), conjuncts(&right));
            let common: Vec<Expr> = lc.iter().filter(|a| rc.iter().any(|b| semantic_eq(a, b))).cloned().collect();
            if common.is_empty() {
                let all: Vec<Expr> = disjuncts(&left).into_iter().chain(disjuncts(&right)).collect();
                let distinct = ExprSet::from_exprs(all.clone());
                if distinct.len() < all.len() {
                    return balanced(distinct.to_vec(), BinOp::Or).unwrap_or(Expr::lit_bool(false));
                }
                Expr::Binary { op: BinOp::Or, left, right }
            } else {
                // (a AND b) OR (a AND c) => a AND (b OR c)
                let ldiff: Vec<Expr> = lc.iter().filter(|x| !common.iter().any(|c| semantic_eq(x, c))).cloned().collect();
                let rdiff: Vec<Expr> = rc.iter().filter(|x| !common.iter().any(|c| semantic_eq(x, c))).cloned().collect();
                let mut common = common;
                if !ldiff.is_empty() && !rdiff.is_empty() {
                    let l = balanced(ldiff, BinOp::And).unwrap_or(Expr::lit_bool(true));
                    let r = balanced(rdiff, BinOp::And).unwrap_or(Expr::lit_bool(true));
                    common.push(Expr::binary(BinOp::Or, l, r));
                }
                balanced(common, BinOp::And).unwrap_or(Expr::lit_bool(true))
            }
        }
        Expr::Not(c) => match *c {
            x if is_true(&x) => Expr::lit_bool(false),
            x if is_false(&x) => Expr::lit_bool(true),
            Expr::Binary { op: BinOp::Gt, left, right } => Expr::Binary { op: BinOp::LtEq, left, right },
            Expr::Binary { op: BinOp::GtEq, left, right } => Expr::Binary { op: BinOp::Lt, left, right },
            Expr::Binary { op: BinOp::Lt, left, right } => Expr::Binary { op: BinOp::GtEq, left, right },
            Expr::Binary { op: BinOp::LtEq, left, right } => Expr::Binary { op: BinOp::Gt, left, right },
            Expr::Binary { op: BinOp::Or, left, right } => Expr::and(Expr::Not(left), Expr::Not(right)),
            Expr::Binary { op: BinOp::And, left, right } => Expr::binary(BinOp::Or, Expr::Not(left), Expr::Not(right)),
            Expr::Not(inner) => *inner,
            Expr::IsNull(inner) => Expr::IsNotNull(inner),
            Expr::IsNotNull(inner) => Expr::IsNull(inner),
            other => Expr::Not(Box::new(other)),
        },
        other => other,
    }
}

/// Simplifies one expression bottom-up.
pub fn simplify(e: &Expr) -> Option<Expr> {
    if !e.any(&|x| matches!(x, Expr::Binary { op: BinOp::And | BinOp::Or, .. } | Expr::Not(_))) {
        return None;
    }
    let out = e.transform_up(&mut simplify_node);
    if out != *e {
        Some(out)
    } else {
        None
    }
}

impl OptimizerRule for BooleanSimplification {
    fn name(&self) -> &'static str {
        "BooleanSimplification"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_all_exprs(plan, &mut simplify)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn literals_and_negations() {
        let t = relation("t", &["a", "b"], 1);
        let a_gt = gt(col(&t, "a"), Expr::lit_int(1));
        assert_eq!(simplify(&Expr::and(Expr::lit_bool(true), a_gt.clone())), Some(a_gt.clone()));
        assert_eq!(simplify(&Expr::Not(Box::new(a_gt.clone()))).map(|e| e.spark()), Some("(a#1 <= 1)".into()));
        let dup = Expr::and(Expr::and(a_gt.clone(), Expr::is_not_null(col(&t, "b"))), a_gt.clone());
        assert_eq!(simplify(&dup).map(|e| e.spark()), Some("((a#1 > 1) AND isnotnull(b#2))".into()));
        let factor = Expr::binary(
            BinOp::Or,
            Expr::and(a_gt.clone(), Expr::is_not_null(col(&t, "b"))),
            Expr::and(a_gt.clone(), Expr::IsNull(Box::new(col(&t, "b")))),
        );
        assert_eq!(simplify(&factor).map(|e| e.spark()), Some("((a#1 > 1) AND (isnotnull(b#2) OR isnull(b#2)))".into()));
    }
}
