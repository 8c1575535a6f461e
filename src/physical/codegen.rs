//! Spark's `ApplyColumnarRulesAndInsertTransitions` (a `ColumnarToRow` above each vectorized scan) and
//! `CollapseCodegenStages`: maximal chains of codegen-capable operators become one
//! `WholeStageCodegen (id)` with `InputAdapter` at their boundaries; ids are handed out children first,
//! left to right (Scala evaluates the stage's body before its id), starting at 1 for each separately
//! prepared plan (main query, each subquery, each cached plan). Knows operator capabilities; nothing of
//! exchanges' placement.

use super::aggregate::is_imperative;
use super::plan::{AggKind, BuildSide, Op, SparkPlan};
use super::scan::MAX_CODEGEN_FIELDS;
use crate::logical::expr::Expr;
use crate::logical::plan::JoinType;

/// Puts `ColumnarToRow` above every columnar (vectorized) file scan.
pub fn insert_columnar_transitions(plan: SparkPlan) -> SparkPlan {
    plan.transform_up(&mut |node| match &node.op {
        Op::FileSourceScan(s) if s.batched => SparkPlan::unary(Op::ColumnarToRow, node),
        _ => node,
    })
}

/// Whether the operator can take part in whole-stage codegen (`CodegenSupport.supportCodegen`).
pub fn supports_codegen(p: &SparkPlan) -> bool {
    let ok = match &p.op {
        Op::Project { exprs } => !exprs.iter().any(has_non_codegen),
        Op::Filter { cond } => !has_non_codegen(cond),
        Op::ColumnarToRow => true,
        Op::FileSourceScan(s) => !s.batched,
        Op::Aggregate(a) => {
            let imperative = a.aggregates.iter().any(|e| matches!(e, Expr::Agg { func, .. } if is_imperative(*func)));
            match a.kind {
                AggKind::Hash => !imperative,
                AggKind::Sort => a.grouping.is_empty() && !imperative,
                AggKind::ObjectHash => false,
            }
        }
        Op::Sort { .. } | Op::SortMergeJoin(_) | Op::BroadcastHashJoin(_) | Op::ShuffledHashJoin(_) => true,
        Op::BroadcastNestedLoopJoin(j) => matches!(
            (j.join_type, j.build_side),
            (JoinType::Inner | JoinType::Cross, _)
                | (JoinType::LeftOuter, BuildSide::BuildRight)
                | (JoinType::RightOuter, BuildSide::BuildLeft)
                | (JoinType::LeftSemi | JoinType::LeftAnti, BuildSide::BuildRight)
        ),
        Op::LocalLimit { .. } | Op::GlobalLimit { .. } | Op::Expand { .. } | Op::Generate { .. } => true,
        Op::Range { .. } | Op::LocalTableScan { .. } | Op::OneRowRelation => true,
        _ => false,
    };
    ok && p.output().len() <= MAX_CODEGEN_FIELDS && p.children.iter().all(|c| c.output().len() <= MAX_CODEGEN_FIELDS)
}

/// Expressions that fall back to interpreted evaluation (Python UDFs; subqueries are fine).
fn has_non_codegen(e: &Expr) -> bool {
    e.any(&|x| matches!(x, Expr::Udf { .. }))
}

/// `CollapseCodegenStages` with a fresh stage counter.
pub fn collapse_codegen_stages(plan: SparkPlan) -> SparkPlan {
    let mut counter = 0u32;
    insert_whole_stage_codegen(plan, &mut counter)
}

fn insert_whole_stage_codegen(plan: SparkPlan, counter: &mut u32) -> SparkPlan {
    if matches!(plan.op, Op::LocalTableScan { .. }) {
        // Never the root of a stage (fast driver-local collect paths).
        return plan;
    }
    if supports_codegen(&plan) {
        let stats = plan.stats.clone();
        let inner = insert_input_adapter(plan, counter);
        *counter += 1;
        return SparkPlan { op: Op::WholeStageCodegen { id: *counter }, children: vec![inner], subqueries: vec![], stats };
    }
    let SparkPlan { op, children, subqueries, stats } = plan;
    let children = children.into_iter().map(|c| insert_whole_stage_codegen(c, counter)).collect();
    SparkPlan { op, children, subqueries, stats }
}

fn input_adapter(child: SparkPlan) -> SparkPlan {
    SparkPlan::unary(Op::InputAdapter, child)
}

fn insert_input_adapter(plan: SparkPlan, counter: &mut u32) -> SparkPlan {
    if !supports_codegen(&plan) {
        return input_adapter(insert_whole_stage_codegen(plan, counter));
    }
    let separate = matches!(plan.op, Op::SortMergeJoin(_) | Op::ShuffledHashJoin(_));
    let SparkPlan { op, children, subqueries, stats } = plan;
    let children = children
        .into_iter()
        .map(|c| if separate { input_adapter(insert_whole_stage_codegen(c, counter)) } else { insert_input_adapter(c, counter) })
        .collect();
    SparkPlan { op, children, subqueries, stats }
}
