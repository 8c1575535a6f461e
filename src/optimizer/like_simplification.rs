//! `LikeSimplification`: `LIKE` patterns with a single wildcard become cheaper string predicates:
//! `'abc%'` → `StartsWith`, `'%abc'` → `EndsWith`, `'%abc%'` → `Contains`, `'a%c'` → length and both
//! ends, no wildcard → `=`. Patterns with `_` or an escape are left alone, as in Spark.
//! Knows expressions only.

use super::plan_util::rewrite_exprs_holding;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr, LitValue};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct LikeSimplification;

fn func(name: &str, input: &Expr, s: &str) -> Expr {
    Expr::Func { name: name.into(), args: vec![input.clone(), Expr::lit_str(s)], dtype: DataType::Boolean, deterministic: true }
}

fn simplify_like(input: &Expr, pattern: &str) -> Option<Expr> {
    if pattern.contains('\\') || pattern.contains('_') {
        return None;
    }
    let parts: Vec<&str> = pattern.split('%').collect();
    match parts.as_slice() {
        [s] => Some(Expr::binary(BinOp::Eq, input.clone(), Expr::lit_str(s))),
        [p, ""] if !p.is_empty() => Some(func("StartsWith", input, p)),
        ["", s] if !s.is_empty() => Some(func("EndsWith", input, s)),
        ["", m, ""] if !m.is_empty() => Some(func("Contains", input, m)),
        [p, s] if !p.is_empty() && !s.is_empty() => {
            let len = Expr::Func { name: "length".into(), args: vec![input.clone()], dtype: DataType::Int, deterministic: true };
            Some(Expr::and(
                Expr::binary(BinOp::GtEq, len, Expr::lit_int((p.chars().count() + s.chars().count()) as i64)),
                Expr::and(func("StartsWith", input, p), func("EndsWith", input, s)),
            ))
        }
        _ => None,
    }
}

impl OptimizerRule for LikeSimplification {
    fn name(&self) -> &'static str {
        "LikeSimplification"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        rewrite_exprs_holding(plan, &|x| matches!(x, Expr::Like { .. }), &mut |x| match x {
            Expr::Like { child, pattern, negated } => match pattern.as_ref() {
                Expr::Lit(LitValue::Str(p), _) => match simplify_like(&child, p) {
                    Some(s) if negated => Expr::Not(Box::new(s)),
                    Some(s) => s,
                    None => Expr::Like { child, pattern, negated },
                },
                _ => Expr::Like { child, pattern, negated },
            },
            o => o,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    fn like(p: &str) -> String {
        let t = relation("t", &["name"], 1);
        let f = filter(Expr::Like { child: Box::new(col(&t, "name")), pattern: Box::new(Expr::lit_str(p)), negated: false }, t);
        run(&LikeSimplification, &f).to_string().lines().next().unwrap_or("").to_string()
    }

    #[test]
    fn patterns() {
        assert_eq!(like("abc%"), "Filter StartsWith(name#1, abc)");
        assert_eq!(like("%abc"), "Filter EndsWith(name#1, abc)");
        assert_eq!(like("%abc%"), "Filter Contains(name#1, abc)");
        assert_eq!(like("abc"), "Filter (name#1 = abc)");
        assert_eq!(like("a_c%"), "Filter name#1 LIKE a_c%");
    }
}
