//! Test fixtures for the optimizer's unit tests: small relations with fixed expression ids, a context
//! with default confs, and one-rule runners. Test-only; knows nothing of any particular rule.

use super::{OptimizerContext, OptimizerRule};
use crate::conf::SparkConf;
use crate::logical::expr::{Attribute, BinOp, Expr, IdGen};
use crate::logical::plan::{JoinHint, JoinType, LogicalPlan, Relation};
use crate::logical::types::DataType;
use crate::scenario::Table;

pub fn attr(name: &str, id: u32, dtype: DataType) -> Attribute {
    Attribute { name: name.into(), id, dtype, nullable: true, qualifier: vec![] }
}

/// A parquet relation `name` whose columns get ids `first_id..`; all ints unless named `*_date`
/// (date) or `*name`/`status` (string).
pub fn relation(name: &str, cols: &[&str], first_id: u32) -> LogicalPlan {
    let output: Vec<Attribute> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let t = if c.ends_with("date") {
                DataType::Date
            } else if c.ends_with("name") || *c == "status" {
                DataType::String
            } else {
                DataType::Int
            };
            attr(c, first_id + i as u32, t)
        })
        .collect();
    let table = Table {
        name: name.into(),
        format: "parquet".into(),
        rows: 1000,
        size_in_bytes: 1_000_000,
        row_count_known_to_spark: false,
        partition_columns: vec![],
        files: vec![],
        columns: vec![],
    };
    LogicalPlan::Relation(Relation { table: std::rc::Rc::new(table), output, partition_cols: vec![] })
}

pub fn col(p: &LogicalPlan, name: &str) -> Expr {
    p.output().into_iter().find(|a| a.name == name).map(|a| a.to_expr()).unwrap_or_else(|| Expr::lit_int(0))
}

pub fn eq(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::Eq, a, b)
}

pub fn gt(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::Gt, a, b)
}

pub fn filter(cond: Expr, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Filter { cond, child: Box::new(child) }
}

pub fn project(exprs: Vec<Expr>, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Project { exprs, child: Box::new(child) }
}

pub fn join(l: LogicalPlan, r: LogicalPlan, jt: JoinType, cond: Option<Expr>) -> LogicalPlan {
    LogicalPlan::Join { left: Box::new(l), right: Box::new(r), join_type: jt, cond, hint: JoinHint::default(), null_aware: false }
}

/// Runs one rule once with default confs; returns the plan unchanged when the rule did nothing.
pub fn run(rule: &dyn OptimizerRule, plan: &LogicalPlan) -> LogicalPlan {
    let conf = SparkConf::default();
    let mut ids = IdGen::starting_at(1000);
    let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
    rule.apply(plan, &mut ctx).unwrap_or_else(|| plan.clone())
}

/// Runs rules to a fixpoint (at most 20 passes), like a Catalyst test batch.
#[allow(dead_code)] // for rule tests that need a fixpoint
pub fn run_fixed(rules: &[&dyn OptimizerRule], plan: &LogicalPlan) -> LogicalPlan {
    let conf = SparkConf::default();
    let mut ids = IdGen::starting_at(1000);
    let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
    let mut cur = plan.clone();
    for _ in 0..20 {
        let mut changed = false;
        for r in rules {
            if let Some(n) = r.apply(&cur, &mut ctx) {
                if n != cur {
                    cur = n;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    cur
}

/// The plan's text (empty lists print as Spark prints them: `Project`, `Aggregate [aggs]`).
pub fn show(p: &LogicalPlan) -> String {
    p.to_string()
}
