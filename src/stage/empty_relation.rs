//! `AQEPropagateEmptyRelation` (Spark 3.5, first batch of the `AQEOptimizer`): after query stages
//! materialise, a stage whose runtime row count is 0 (`getRuntimeStatistics.rowCount`, here the data
//! model's rows for the stage's output when they are exactly 0 — a value absent from a fully listed column,
//! `IS NULL` on a column without nulls, an empty range; a small fractional estimate is an uncertain
//! count, not an empty stage, so it never fires on a guess) is an empty relation, and the operators
//! above it are rewritten by `PropagateEmptyRelationBase`'s rules: inner joins with an empty side, left
//! outer/semi/anti joins with an empty left, semi joins with an empty right become empty; left (right)
//! outer and full outer joins with the other side empty become the surviving side projected with
//! `cast(null as …)` columns; a left anti join with an empty right is its left side; row-preserving
//! unary operators (Project, Filter, Sort, limits, repartitions, grouped aggregates, Window, Expand,
//! `explode`) over an empty child are empty; unions drop empty children. An empty subtree is planned
//! as `LocalTableScan <empty>, [output]` (`LocalTableScanExec`), so the stages it contained never run;
//! a user repartition at the root stays (`isRootRepartition`). Applied to the physical plan the way
//! AQE's re-planning would produce it (Sort and not-yet-run shuffles that only fed a removed join go).
//! Knows plans, confs and the data model's row counts; nothing of time.

use super::aqe::AqeDecision;
use super::Run;
use crate::logical::expr::Expr;
use crate::optimizer::propagate_empty_relation::nulls;
use crate::logical::plan::JoinType;
use crate::physical::partitioning::ShuffleOrigin;
use crate::physical::plan::{Op, SparkPlan};

/// The excluded-rules conf entry naming this rule.
const RULE_CLASS: &str = "org.apache.spark.sql.execution.adaptive.AQEPropagateEmptyRelation";

/// `LocalTableScan <empty>` with `p`'s output.
pub fn empty(p: &SparkPlan) -> SparkPlan {
    SparkPlan { op: Op::LocalTableScan { output: p.output(), rows: 0 }, children: vec![], subqueries: vec![], stats: p.stats.clone() }
}

pub fn is_empty(p: &SparkPlan) -> bool {
    matches!(p.op, Op::LocalTableScan { rows: 0, .. })
}

/// What a physical operator over one empty child becomes (`PropagateEmptyRelationBase`'s unary cases;
/// exchanges, codegen wrappers and reads have no logical node of their own).
fn unary_is_emptied(p: &SparkPlan) -> bool {
    match &p.op {
        Op::Project { .. } | Op::Filter { .. } | Op::Sort { .. } => true,
        Op::GlobalLimit { .. } | Op::LocalLimit { .. } | Op::CollectLimit { .. } | Op::TakeOrderedAndProject { .. } => true,
        Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. } | Op::Coalesce { .. } | Op::AqeShuffleRead { .. } => true,
        Op::WholeStageCodegen { .. } | Op::InputAdapter | Op::ColumnarToRow => true,
        // One row per group of a non-empty input; a global aggregate still returns its one row.
        Op::Aggregate(a) => !a.grouping.is_empty(),
        Op::Window { .. } | Op::WindowGroupLimit { .. } | Op::Expand { .. } => true,
        Op::Generate { generator: Expr::Func { name, .. }, .. } => name.eq_ignore_ascii_case("explode"),
        _ => false,
    }
}

/// A `REPARTITION` the user asked for (`userSpecifiedRepartition`): kept at the root of the plan
/// (`isRootRepartition`), so the result keeps its partitioning.
fn user_repartition(p: &SparkPlan) -> bool {
    matches!(&p.op, Op::ShuffleExchange { origin: ShuffleOrigin::RepartitionByCol | ShuffleOrigin::RepartitionByNum, .. })
}

/// The join's type, whether it has any condition (equi-join keys count as one), and whether it
/// is a sort-merge join (whose children carry the sorts it required).
fn join_info(p: &SparkPlan) -> Option<(JoinType, bool, bool)> {
    match &p.op {
        Op::SortMergeJoin(j) => Some((j.join_type, !j.left_keys.is_empty() || j.condition.is_some(), true)),
        Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => Some((j.join_type, !j.left_keys.is_empty() || j.condition.is_some(), false)),
        Op::BroadcastNestedLoopJoin(j) => Some((j.join_type, j.condition.is_some(), false)),
        Op::CartesianProduct { condition, .. } => Some((JoinType::Inner, condition.is_some(), false)),
        _ => None,
    }
}

fn join_decision(p: &SparkPlan) -> Option<crate::physical::plan::JoinDecision> {
    match &p.op {
        Op::SortMergeJoin(j) => Some(j.decision.clone()),
        Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => Some(j.decision.clone()),
        Op::BroadcastNestedLoopJoin(j) => Some(j.decision.clone()),
        Op::CartesianProduct { decision, .. } => Some(decision.clone()),
        _ => None,
    }
}

/// How a join's surviving side is rewritten.
enum JoinOutcome {
    Keep,
    Empty,
    Left,
    LeftPadded,
    RightPadded,
}

/// `PropagateEmptyRelationBase.commonApplyFunc`'s join cases.
fn join_outcome(jt: JoinType, has_cond: bool, le: bool, re: bool, right_non_empty: bool) -> JoinOutcome {
    use JoinType::*;
    if le || re {
        match jt {
            Inner | Cross => JoinOutcome::Empty,
            LeftOuter | LeftSemi | LeftAnti if le => JoinOutcome::Empty,
            LeftSemi => JoinOutcome::Empty,
            LeftAnti => JoinOutcome::Left,
            FullOuter if le && re => JoinOutcome::Empty,
            LeftOuter | FullOuter if re => JoinOutcome::LeftPadded,
            RightOuter if re => JoinOutcome::Empty,
            RightOuter | FullOuter if le => JoinOutcome::RightPadded,
            _ => JoinOutcome::Keep,
        }
    } else if !has_cond && right_non_empty && jt == LeftSemi {
        JoinOutcome::Left
    } else if !has_cond && right_non_empty && jt == LeftAnti {
        JoinOutcome::Empty
    } else {
        JoinOutcome::Keep
    }
}

impl Run<'_> {
    /// Rows a materialised stage wrote (`None`: `p` is not a materialised query stage).
    fn stage_rows(&self, p: &SparkPlan) -> Option<f64> {
        let ex = match &p.op {
            Op::ReusedExchange { reused, .. } => reused.as_ref(),
            _ => p,
        };
        let done = match &ex.op {
            Op::ShuffleExchange { plan_id, .. } => self.done.contains(&self.key(*plan_id)),
            Op::BroadcastExchange { plan_id, .. } => self.broadcasts.contains(&(self.exec, *plan_id)),
            _ => false,
        };
        if !done {
            return None;
        }
        // Exact: only a model-certain zero is empty (see the module doc).
        Some(self.model.rows(ex.children.first()?).max(0.0))
    }

    /// `nonEmpty`: the child is (through sorts, reads and codegen wrappers) a materialised stage that
    /// wrote rows.
    fn known_non_empty(&self, p: &SparkPlan) -> bool {
        if let Some(rows) = self.stage_rows(p) {
            return rows > 0.0;
        }
        match &p.op {
            Op::Sort { global: false, .. } | Op::InputAdapter | Op::WholeStageCodegen { .. } | Op::AqeShuffleRead { .. } => {
                p.children.first().map(|c| self.known_non_empty(c)).unwrap_or(false)
            }
            Op::LocalTableScan { rows, .. } => *rows > 0,
            _ => false,
        }
    }

    /// The rule over the part of the plan not yet materialised. Records one decision per emptied stage.
    pub(super) fn propagate_empty_relations(&mut self, plan: SparkPlan) -> SparkPlan {
        let excluded = self.conf.get("spark.sql.adaptive.optimizer.excludedRules").unwrap_or_default();
        if excluded.split(',').any(|r| r.trim() == RULE_CLASS) {
            return plan;
        }
        let mut notes = vec![];
        let out = self.empty_walk(plan, true, false, &mut notes);
        if !notes.is_empty() && is_empty(&out) {
            notes.push((None, "the whole plan is LocalTableScan <empty>: no stage is left to run".into()));
        }
        let stages: Vec<u32> = notes.iter().filter_map(|n| n.0).collect();
        if !notes.is_empty() {
            self.decisions.push(AqeDecision {
                rule: "AQEPropagateEmptyRelation".into(),
                description: notes.iter().map(|n| n.1.as_str()).collect::<Vec<_>>().join("; "),
                numbers: std::iter::once(("empty_stages".to_string(), stages.len() as f64))
                    .chain(stages.iter().map(|id| ("empty_exchange_plan_id".to_string(), *id as f64)))
                    .collect(),
            });
        }
        out
    }

    fn empty_walk(&mut self, p: SparkPlan, root: bool, in_codegen: bool, notes: &mut Vec<(Option<u32>, String)>) -> SparkPlan {
        if let Some(rows) = self.stage_rows(&p) {
            if rows == 0.0 && !(root && user_repartition(&p)) {
                let id = super::shuffle_plan_id(&p).or(match &p.op {
                    Op::BroadcastExchange { plan_id, .. } => Some(*plan_id),
                    _ => None,
                });
                let rows_text = format!("the query stage of exchange {} wrote 0 rows (runtime rowCount = 0): an empty relation", id.map(|i| i.to_string()).unwrap_or_default());
                notes.push((id, rows_text));
                return empty(&p);
            }
            return p;
        }
        if let Op::ReusedExchange { reused, .. } = &p.op {
            // Not materialised yet: empty when the exchange it repeats is (the same logical plan).
            let (mut ignored, changes) = (vec![], self.join_changes.len());
            let original = self.empty_walk(reused.as_ref().clone(), false, false, &mut ignored);
            self.join_changes.truncate(changes);
            return if is_empty(&original) { empty(&p) } else { p };
        }
        if matches!(p.op, Op::InMemoryTableScan { .. }) {
            return p;
        }
        let child_codegen = match &p.op {
            Op::WholeStageCodegen { .. } => true,
            Op::InputAdapter => false,
            _ => in_codegen,
        };
        let SparkPlan { op, children, subqueries, stats } = p;
        let children: Vec<SparkPlan> = children.into_iter().map(|c| self.empty_walk(c, false, child_codegen, notes)).collect();
        let node = SparkPlan { op, children, subqueries, stats };
        if node.children.is_empty() {
            return node;
        }
        if let Some((jt, has_cond, smj)) = join_info(&node) {
            return self.empty_join(node, jt, has_cond, smj, in_codegen, notes);
        }
        if matches!(node.op, Op::Union) && node.children.iter().any(is_empty) {
            return union_without_empty(node);
        }
        if node.children.len() == 1 && is_empty(&node.children[0]) && unary_is_emptied(&node) && !(root && user_repartition(&node)) {
            return empty(&node);
        }
        node
    }

    fn empty_join(&mut self, node: SparkPlan, jt: JoinType, has_cond: bool, smj: bool, in_codegen: bool, notes: &mut Vec<(Option<u32>, String)>) -> SparkPlan {
        if node.children.len() != 2 {
            return node;
        }
        let (le, re) = (is_empty(&node.children[0]), is_empty(&node.children[1]));
        let right_non_empty = self.known_non_empty(&node.children[1]);
        let outcome = join_outcome(jt, has_cond, le, re, right_non_empty);
        if matches!(outcome, JoinOutcome::Keep) {
            return node;
        }
        let name = node.node_name();
        if let Some(d) = join_decision(&node) {
            self.join_changes.push(super::JoinChange { before: d.clone(), after: d, skew: false, removed: true });
        }
        let (what, out) = match outcome {
            JoinOutcome::Keep => unreachable!("returned above"),
            JoinOutcome::Empty => (format!("{name} {jt:?} → LocalTableScan <empty>"), empty(&node)),
            JoinOutcome::Left | JoinOutcome::LeftPadded | JoinOutcome::RightPadded => {
                let (lo, ro) = (node.children[0].output(), node.children[1].output());
                let mut it = node.children.into_iter();
                let (l, r) = match (it.next(), it.next()) {
                    (Some(l), Some(r)) => (l, r),
                    _ => unreachable!("two children checked above"),
                };
                match outcome {
                    JoinOutcome::Left => (format!("{name} {jt:?} → its left side"), self.survivor(l, smj, in_codegen)),
                    JoinOutcome::LeftPadded => {
                        let exprs = lo.iter().map(|a| a.to_expr()).chain(nulls(&ro)).collect();
                        let child = self.survivor(l, smj, in_codegen);
                        (format!("{name} {jt:?} → Project of the left side with null right columns"), project(exprs, child))
                    }
                    _ => {
                        let exprs = nulls(&lo).into_iter().chain(ro.iter().map(|a| a.to_expr())).collect();
                        let child = self.survivor(r, smj, in_codegen);
                        (format!("{name} {jt:?} → Project of the right side with null left columns"), project(exprs, child))
                    }
                }
            }
        };
        notes.push((None, what));
        out
    }

    /// A join side kept without its join: the sort a sort-merge join required goes, and a shuffle
    /// not yet run that only fed the join (EnsureRequirements') is not planned again.
    fn survivor(&self, side: SparkPlan, smj: bool, in_codegen: bool) -> SparkPlan {
        let mut p = side;
        loop {
            let strip = match &p.op {
                Op::InputAdapter | Op::WholeStageCodegen { .. } => true,
                Op::Sort { global: false, .. } => smj,
                Op::ShuffleExchange { origin: ShuffleOrigin::EnsureRequirements, .. } => self.stage_rows(&p).is_none(),
                _ => false,
            };
            if !strip || p.children.len() != 1 {
                break;
            }
            p = p.children.into_iter().next().unwrap_or_else(|| SparkPlan::leaf(Op::OneRowRelation));
        }
        // Inside the join's codegen stage, what is not part of it is read through an InputAdapter.
        if in_codegen && !crate::physical::codegen::supports_codegen(&p) {
            return SparkPlan::unary(Op::InputAdapter, p);
        }
        p
    }
}

fn project(exprs: Vec<Expr>, child: SparkPlan) -> SparkPlan {
    let stats = child.stats.clone();
    SparkPlan { op: Op::Project { exprs }, children: vec![child], subqueries: vec![], stats }
}

/// A union without its empty children; the survivors' attributes renamed to the union's where they differ.
fn union_without_empty(node: SparkPlan) -> SparkPlan {
    let old_out = node.output();
    let SparkPlan { op, children, subqueries, stats } = node;
    let kept: Vec<SparkPlan> = children.into_iter().filter(|c| !is_empty(c)).collect();
    if kept.is_empty() {
        return SparkPlan { op: Op::LocalTableScan { output: old_out, rows: 0 }, children: vec![], subqueries: vec![], stats };
    }
    let new_plan = if kept.len() > 1 { SparkPlan { op, children: kept, subqueries, stats } } else { kept.into_iter().next().unwrap_or_else(|| SparkPlan::leaf(Op::OneRowRelation)) };
    let new_out = new_plan.output();
    if new_out.iter().zip(&old_out).all(|(a, b)| a.id == b.id) {
        return new_plan;
    }
    let exprs = new_out
        .iter()
        .zip(&old_out)
        .map(|(a, b)| if a.id == b.id { a.to_expr() } else { Expr::Alias { child: Box::new(a.to_expr()), name: b.name.clone(), id: b.id } })
        .collect();
    project(exprs, new_plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_rules_follow_spark() {
        use JoinType::*;
        assert!(matches!(join_outcome(Inner, true, false, true, false), JoinOutcome::Empty));
        assert!(matches!(join_outcome(Inner, true, true, false, false), JoinOutcome::Empty));
        assert!(matches!(join_outcome(LeftOuter, true, false, true, false), JoinOutcome::LeftPadded));
        assert!(matches!(join_outcome(LeftOuter, true, true, false, false), JoinOutcome::Empty));
        assert!(matches!(join_outcome(RightOuter, true, true, false, false), JoinOutcome::RightPadded));
        assert!(matches!(join_outcome(RightOuter, true, false, true, false), JoinOutcome::Empty));
        assert!(matches!(join_outcome(FullOuter, true, true, true, false), JoinOutcome::Empty));
        assert!(matches!(join_outcome(FullOuter, true, false, true, false), JoinOutcome::LeftPadded));
        assert!(matches!(join_outcome(LeftSemi, true, false, true, false), JoinOutcome::Empty));
        assert!(matches!(join_outcome(LeftAnti, true, false, true, false), JoinOutcome::Left));
        // No empty side: only condition-less semi/anti joins with a non-empty right change.
        assert!(matches!(join_outcome(LeftSemi, false, false, false, true), JoinOutcome::Left));
        assert!(matches!(join_outcome(LeftAnti, false, false, false, true), JoinOutcome::Empty));
        assert!(matches!(join_outcome(LeftAnti, true, false, false, true), JoinOutcome::Keep));
        assert!(matches!(join_outcome(Inner, true, false, false, true), JoinOutcome::Keep));
    }
}
