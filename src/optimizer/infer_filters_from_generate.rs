//! `InferFiltersFromGenerate`: under an inner (non-outer) `explode`/`inline` of a column, rows whose
//! array is null or empty produce nothing, so `(size(c) > 0) AND isnotnull(c)` is added below the
//! Generate. Only when the generator reads a plain column, as Spark restricts it. Knows plans only.

use super::constraints::constraints;
use super::expr_util::{and_all, ExprSet};
use super::plan_util::transform_up;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{BinOp, Expr};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct InferFiltersFromGenerate;

impl OptimizerRule for InferFiltersFromGenerate {
    fn name(&self) -> &'static str {
        "InferFiltersFromGenerate"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut |n| {
            let LogicalPlan::Generate { generator, unrequired_child_index, outer: false, qualifier, generator_output, child } = n else { return None };
            let Expr::Func { name, args, .. } = generator else { return None };
            if !matches!(name.as_str(), "explode" | "posexplode" | "inline") || args.len() != 1 {
                return None;
            }
            let input = &args[0];
            if !matches!(input, Expr::Attr(_)) {
                return None;
            }
            let size = Expr::Func { name: "size".into(), args: vec![input.clone()], dtype: DataType::Int, deterministic: true };
            let inferred = ExprSet::from_exprs(vec![Expr::binary(BinOp::Gt, size, Expr::lit_int(0)), Expr::is_not_null(input.clone())])
                .minus(&constraints(child));
            let cond = and_all(inferred.to_vec())?;
            Some(LogicalPlan::Generate {
                generator: generator.clone(),
                unrequired_child_index: unrequired_child_index.clone(),
                outer: false,
                qualifier: qualifier.clone(),
                generator_output: generator_output.clone(),
                child: Box::new(LogicalPlan::Filter { cond, child: child.clone() }),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn explode_of_a_column_filters_empty_arrays() {
        let t = relation("t", &["tags"], 1);
        let g = LogicalPlan::Generate {
            generator: Expr::Func { name: "explode".into(), args: vec![col(&t, "tags")], dtype: DataType::Int, deterministic: true },
            unrequired_child_index: vec![],
            outer: false,
            qualifier: None,
            generator_output: vec![attr("tag", 5, DataType::Int)],
            child: Box::new(t),
        };
        let text = run(&InferFiltersFromGenerate, &g).to_string();
        assert!(text.contains("Filter ((size(tags#1) > 0) AND isnotnull(tags#1))"), "{text}");
        // Idempotent: the child's constraints now hold both.
        let again = run(&InferFiltersFromGenerate, &run(&InferFiltersFromGenerate, &g));
        assert_eq!(again.to_string(), text);
    }
}
