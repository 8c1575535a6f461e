//! Spark 3.5's `JoinSelection`: which physical join a logical `Join` becomes, in Spark's exact order.
//! Equi-joins (`ExtractEquiJoinKeys`) look at hints first — BROADCAST > MERGE > SHUFFLE_HASH >
//! SHUFFLE_REPLICATE_NL — then, without an applicable hint:
//! 1. BroadcastHashJoin if a side the join type may build is ≤ the broadcast threshold (the smaller if both);
//! 2. ShuffledHashJoin if `!preferSortMergeJoin`, the side can build a local hash map
//!    (size < threshold × shuffle partitions) and is 3× smaller than the other;
//! 3. SortMergeJoin if the keys are orderable;
//! 4. CartesianProduct for inner-like joins; 5. BroadcastNestedLoopJoin otherwise.
//!
//! A single-column NOT IN (null-aware anti join) is a BroadcastHashJoin building the right side.
//! Non-equi joins: BroadcastNestedLoopJoin if a side is broadcastable, else CartesianProduct (inner-like),
//! else BroadcastNestedLoopJoin. Sizes are the optimizer's estimates (`logical::stats`), never real data.
//! Knows one join at a time; nothing of exchanges or of the plan around it.
//!
//! Used configurations
//! - `spark.sql.autoBroadcastJoinThreshold`: the broadcast size limit (`-1` disables size-based broadcast).
//! - `spark.sql.join.preferSortMergeJoin`: when true (default) ShuffledHashJoin needs a hint.
//! - `spark.sql.shuffle.partitions`: with the threshold, bounds a local hash map's size.
//! - `spark.sql.shuffledHashJoinFactor`: how much smaller the hashed side must be (3).
//! - `spark.sql.optimizeNullAwareAntiJoin`: NOT IN as a hashed anti join (true).

use super::plan::{BuildSide, JoinDecision};
use crate::conf::{bytes_to_string, SparkConf};
use crate::logical::expr::{split_conjuncts, Attribute, BinOp, Expr, ExprId, LitValue};
use crate::logical::plan::{JoinHint, JoinStrategyHint, JoinType};
use crate::logical::types::DataType;

/// What JoinSelection sees of a join.
pub struct JoinInput<'a> {
    pub join_type: JoinType,
    pub condition: Option<&'a Expr>,
    pub hint: &'a JoinHint,
    pub null_aware: bool,
    pub left_output: Vec<Attribute>,
    pub right_output: Vec<Attribute>,
    pub left_size: u128,
    pub right_size: u128,
    /// Short names of the sides for the explanation (`orders`, `customers ⋈ countries`).
    pub left_label: String,
    pub right_label: String,
}

/// The physical join chosen, with its keys.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinChoice {
    BroadcastHash { left_keys: Vec<Expr>, right_keys: Vec<Expr>, build: BuildSide, condition: Option<Expr>, null_aware: bool },
    ShuffledHash { left_keys: Vec<Expr>, right_keys: Vec<Expr>, build: BuildSide, condition: Option<Expr> },
    SortMerge { left_keys: Vec<Expr>, right_keys: Vec<Expr>, condition: Option<Expr> },
    BroadcastNestedLoop { build: BuildSide, condition: Option<Expr> },
    Cartesian { condition: Option<Expr> },
}

pub struct Selection {
    pub choice: JoinChoice,
    pub decision: JoinDecision,
}

/// Spark's `ExtractEquiJoinKeys`: equality conjuncts with one side over each child become keys
/// (`<=>` becomes `coalesce(k, default)` and `isnull(k)` pairs); the rest stays a condition.
pub fn extract_equi_join_keys(
    condition: Option<&Expr>,
    left: &[Attribute],
    right: &[Attribute],
) -> (Vec<Expr>, Vec<Expr>, Option<Expr>) {
    let lids: Vec<ExprId> = left.iter().map(|a| a.id).collect();
    let rids: Vec<ExprId> = right.iter().map(|a| a.id).collect();
    let within = |e: &Expr, ids: &[ExprId]| {
        let r = e.references();
        !r.is_empty() && r.iter().all(|a| ids.contains(&a.id)) && !e.contains_subquery()
    };
    let mut lk = vec![];
    let mut rk = vec![];
    let mut others = vec![];
    for p in condition.map(split_conjuncts).unwrap_or_default() {
        match &p {
            Expr::Binary { op: op @ (BinOp::Eq | BinOp::NullSafeEq), left: l, right: r } => {
                let (a, b) = if within(l, &lids) && within(r, &rids) {
                    ((**l).clone(), (**r).clone())
                } else if within(l, &rids) && within(r, &lids) {
                    ((**r).clone(), (**l).clone())
                } else {
                    others.push(p.clone());
                    continue;
                };
                if *op == BinOp::Eq {
                    lk.push(a);
                    rk.push(b);
                } else {
                    lk.push(coalesce_default(&a));
                    rk.push(coalesce_default(&b));
                    lk.push(Expr::IsNull(Box::new(a)));
                    rk.push(Expr::IsNull(Box::new(b)));
                }
            }
            _ => others.push(p.clone()),
        }
    }
    (lk, rk, crate::logical::expr::conjoin(others))
}

fn coalesce_default(e: &Expr) -> Expr {
    let t = e.dtype();
    let default = match &t {
        DataType::Boolean => Expr::Lit(LitValue::Bool(false), t.clone()),
        DataType::String => Expr::Lit(LitValue::Str(String::new()), t.clone()),
        DataType::Double | DataType::Float => Expr::Lit(LitValue::Double(0.0), t.clone()),
        DataType::Date => Expr::Lit(LitValue::Date("1970-01-01".into()), t.clone()),
        DataType::Timestamp => Expr::Lit(LitValue::Timestamp("1970-01-01 00:00:00".into()), t.clone()),
        DataType::Decimal(..) => Expr::Lit(LitValue::Decimal("0".into()), t.clone()),
        _ => Expr::Lit(LitValue::Int(0), t.clone()),
    };
    Expr::Func { name: "coalesce".into(), args: vec![e.clone(), default], dtype: t, deterministic: true }
}

/// `RowOrdering.isOrderable`: maps (and structures containing them) cannot be sorted.
fn orderable(t: &DataType) -> bool {
    match t {
        DataType::Map(..) => false,
        DataType::Array(e) => orderable(e),
        DataType::Struct(fs) => fs.iter().all(|(_, t)| orderable(t)),
        _ => true,
    }
}

fn inner_like(jt: JoinType) -> bool {
    matches!(jt, JoinType::Inner | JoinType::Cross)
}
fn can_build_broadcast_left(jt: JoinType) -> bool {
    inner_like(jt) || jt == JoinType::RightOuter
}
fn can_build_broadcast_right(jt: JoinType) -> bool {
    inner_like(jt) || matches!(jt, JoinType::LeftOuter | JoinType::LeftSemi | JoinType::LeftAnti)
}
fn can_build_shuffled_hash_left(jt: JoinType) -> bool {
    inner_like(jt) || matches!(jt, JoinType::RightOuter | JoinType::FullOuter)
}
fn can_build_shuffled_hash_right(jt: JoinType) -> bool {
    inner_like(jt) || matches!(jt, JoinType::LeftOuter | JoinType::FullOuter | JoinType::LeftSemi | JoinType::LeftAnti)
}

/// Which sides a join type lets a hash join build, in words.
fn legal_sides_text(jt: JoinType, broadcast: bool) -> &'static str {
    let (l, r) = if broadcast {
        (can_build_broadcast_left(jt), can_build_broadcast_right(jt))
    } else {
        (can_build_shuffled_hash_left(jt), can_build_shuffled_hash_right(jt))
    };
    match (l, r) {
        (true, true) => "may build either side",
        (true, false) => "may only build the left side",
        (false, true) => "may only build the right side",
        (false, false) => "cannot be a broadcast hash join",
    }
}

struct Ctx<'a> {
    input: &'a JoinInput<'a>,
    threshold: i64,
    prefer_smj: bool,
    shuffle_partitions: u32,
    factor: u128,
    notes: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn hint_is(&self, h: Option<JoinStrategyHint>, want: JoinStrategyHint) -> bool {
        h == Some(want)
    }
    fn hint_left(&self, want: JoinStrategyHint) -> bool {
        self.hint_is(self.input.hint.left, want)
    }
    fn hint_right(&self, want: JoinStrategyHint) -> bool {
        self.hint_is(self.input.hint.right, want)
    }
    fn hint_any(&self, want: JoinStrategyHint) -> bool {
        self.hint_left(want) || self.hint_right(want)
    }
    fn can_broadcast_by_size(&self, size: u128) -> bool {
        self.threshold >= 0 && size <= self.threshold as u128
    }
    /// `getSmallerSide`.
    fn smaller_side(&self) -> BuildSide {
        if self.input.right_size <= self.input.left_size {
            BuildSide::BuildRight
        } else {
            BuildSide::BuildLeft
        }
    }
    fn build_side(&self, left: bool, right: bool) -> Option<BuildSide> {
        match (left, right) {
            (true, true) => Some(self.smaller_side()),
            (true, false) => Some(BuildSide::BuildLeft),
            (false, true) => Some(BuildSide::BuildRight),
            _ => None,
        }
    }
    fn size_note(&self, label: &str, size: u128) -> String {
        let t = bytes_to_string(self.threshold.max(0) as u128);
        if self.threshold < 0 {
            format!("{label}: {} (size-based broadcast disabled: spark.sql.autoBroadcastJoinThreshold = -1)", bytes_to_string(size))
        } else if self.can_broadcast_by_size(size) {
            format!("{label}: {} ≤ {t} spark.sql.autoBroadcastJoinThreshold → broadcastable", bytes_to_string(size))
        } else {
            format!("{label}: {} > {t} spark.sql.autoBroadcastJoinThreshold → not broadcast", bytes_to_string(size))
        }
    }
    fn broadcast_hash(&mut self, hint_only: bool) -> Option<BuildSide> {
        let jt = self.input.join_type;
        let (l, r) = if hint_only {
            (self.hint_left(JoinStrategyHint::Broadcast), self.hint_right(JoinStrategyHint::Broadcast))
        } else {
            (self.can_broadcast_by_size(self.input.left_size), self.can_broadcast_by_size(self.input.right_size))
        };
        self.build_side(can_build_broadcast_left(jt) && l, can_build_broadcast_right(jt) && r)
    }
    fn shuffled_hash(&mut self, hint_only: bool) -> Option<BuildSide> {
        let jt = self.input.join_type;
        let (ls, rs) = (self.input.left_size, self.input.right_size);
        let local_limit = (self.threshold.max(0) as u128).saturating_mul(self.shuffle_partitions as u128);
        let (l, r) = if hint_only {
            (self.hint_left(JoinStrategyHint::ShuffleHash), self.hint_right(JoinStrategyHint::ShuffleHash))
        } else {
            (
                !self.prefer_smj && ls < local_limit && ls.saturating_mul(self.factor) <= rs,
                !self.prefer_smj && rs < local_limit && rs.saturating_mul(self.factor) <= ls,
            )
        };
        self.build_side(can_build_shuffled_hash_left(jt) && l, can_build_shuffled_hash_right(jt) && r)
    }
}

/// Picks the physical join, as `JoinSelection.apply` does.
pub fn select_join(input: &JoinInput<'_>, conf: &SparkConf) -> Selection {
    let mut cx = Ctx {
        input,
        threshold: conf.broadcast_threshold(),
        prefer_smj: conf.get_bool("spark.sql.join.preferSortMergeJoin"),
        shuffle_partitions: conf.shuffle_partitions(),
        factor: conf.get_i64("spark.sql.shuffledHashJoinFactor").max(1) as u128,
        notes: vec![],
    };
    let jt = input.join_type;
    let (lk, rk, other) = extract_equi_join_keys(input.condition, &input.left_output, &input.right_output);
    let hinted = input.hint.left.is_some() || input.hint.right.is_some();
    if hinted {
        cx.notes.push(hint_text(input.hint, &input.left_label, &input.right_label));
    }
    cx.notes.push(cx.size_note(&input.left_label, input.left_size));
    cx.notes.push(cx.size_note(&input.right_label, input.right_size));

    let choice = if !lk.is_empty() {
        let keys_orderable = lk.iter().all(|k| orderable(&k.dtype()));
        let bhj = |cx: &mut Ctx, hint_only: bool| {
            cx.broadcast_hash(hint_only).map(|b| {
                let why = if hint_only {
                    format!("BROADCAST hint → broadcast the {} side", side_word(b))
                } else {
                    format!(
                        "{} joins {} → broadcast the {} side",
                        jt.name(),
                        legal_sides_text(jt, true),
                        side_word(b)
                    )
                };
                cx.notes.push(why);
                JoinChoice::BroadcastHash { left_keys: lk.clone(), right_keys: rk.clone(), build: b, condition: other.clone(), null_aware: false }
            })
        };
        let shj = |cx: &mut Ctx, hint_only: bool| {
            cx.shuffled_hash(hint_only).map(|b| {
                let why = if hint_only {
                    format!("SHUFFLE_HASH hint → hash the {} side", side_word(b))
                } else {
                    format!(
                        "spark.sql.join.preferSortMergeJoin=false and the {} side is small enough for a local hash map and {}× smaller → shuffled hash join",
                        side_word(b),
                        cx.factor
                    )
                };
                cx.notes.push(why);
                JoinChoice::ShuffledHash { left_keys: lk.clone(), right_keys: rk.clone(), build: b, condition: other.clone() }
            })
        };
        let smj = |cx: &mut Ctx| {
            if keys_orderable {
                Some(JoinChoice::SortMerge { left_keys: lk.clone(), right_keys: rk.clone(), condition: other.clone() })
            } else {
                cx.notes.push("join keys are not orderable → no sort-merge join".into());
                None
            }
        };
        let cartesian = |cx: &mut Ctx| {
            if inner_like(jt) {
                cx.notes.push("inner-like join → cartesian product".into());
                Some(JoinChoice::Cartesian { condition: input.condition.cloned() })
            } else {
                None
            }
        };
        let without_hint = |cx: &mut Ctx| -> JoinChoice {
            if let Some(c) = bhj(cx, false) {
                return c;
            }
            if cx.threshold >= 0 && (cx.can_broadcast_by_size(input.left_size) || cx.can_broadcast_by_size(input.right_size)) {
                cx.notes.push(format!("{} joins {}", jt.name(), legal_sides_text(jt, true)));
            }
            if let Some(c) = shj(cx, false) {
                return c;
            }
            if cx.prefer_smj {
                cx.notes.push("spark.sql.join.preferSortMergeJoin=true → no shuffled hash join without a hint".into());
            }
            if let Some(c) = smj(cx) {
                cx.notes.push("equi-join with orderable keys → sort-merge join".into());
                return c;
            }
            if let Some(c) = cartesian(cx) {
                return c;
            }
            let b = cx.smaller_side();
            cx.notes.push(format!("no other strategy applies → broadcast nested loop join building the smaller ({}) side", side_word(b)));
            JoinChoice::BroadcastNestedLoop { build: b, condition: input.condition.cloned() }
        };
        if !hinted {
            without_hint(&mut cx)
        } else if let Some(c) = bhj(&mut cx, true) {
            c
        } else if cx.hint_any(JoinStrategyHint::ShuffleMerge) && keys_orderable {
            cx.notes.push("MERGE hint → sort-merge join (sizes are not looked at)".into());
            JoinChoice::SortMerge { left_keys: lk.clone(), right_keys: rk.clone(), condition: other.clone() }
        } else if let Some(c) = shj(&mut cx, true) {
            c
        } else if cx.hint_any(JoinStrategyHint::ShuffleReplicateNl) && inner_like(jt) {
            cx.notes.push("SHUFFLE_REPLICATE_NL hint → cartesian product".into());
            JoinChoice::Cartesian { condition: input.condition.cloned() }
        } else {
            if cx.hint_any(JoinStrategyHint::Broadcast) {
                cx.notes.push(format!("the BROADCAST hint names a side a {} join cannot build → ignored", jt.name()));
            }
            without_hint(&mut cx)
        }
    } else if let Some((l, r)) = null_aware_keys(input) {
        cx.notes.push("single-column NOT IN → null-aware anti join, hashed and broadcast on the right side".into());
        JoinChoice::BroadcastHash { left_keys: vec![l], right_keys: vec![r], build: BuildSide::BuildRight, condition: None, null_aware: true }
    } else {
        // No equi-join keys.
        let desired = if inner_like(jt) || jt == JoinType::FullOuter {
            cx.smaller_side()
        } else if can_build_broadcast_left(jt) {
            BuildSide::BuildLeft
        } else {
            BuildSide::BuildRight
        };
        let bnlj = |cx: &Ctx, l: bool, r: bool| -> Option<BuildSide> {
            match (l, r) {
                (true, true) => Some(desired),
                (true, false) => Some(BuildSide::BuildLeft),
                (false, true) => Some(BuildSide::BuildRight),
                _ => {
                    let _ = cx;
                    None
                }
            }
        };
        let cond = input.condition.cloned();
        cx.notes.push("no equi-join keys".into());
        let without_hint = |cx: &mut Ctx| -> JoinChoice {
            if let Some(b) = bnlj(cx, cx.can_broadcast_by_size(input.left_size), cx.can_broadcast_by_size(input.right_size)) {
                cx.notes.push(format!("a side is broadcastable → broadcast nested loop join building the {} side", side_word(b)));
                return JoinChoice::BroadcastNestedLoop { build: b, condition: cond.clone() };
            }
            if inner_like(jt) {
                cx.notes.push("no side is broadcastable and the join is inner-like → cartesian product".into());
                return JoinChoice::Cartesian { condition: cond.clone() };
            }
            cx.notes.push(format!("no side is broadcastable → broadcast nested loop join building the {} side anyway", side_word(desired)));
            JoinChoice::BroadcastNestedLoop { build: desired, condition: cond.clone() }
        };
        if !hinted {
            without_hint(&mut cx)
        } else if let Some(b) = bnlj(&cx, cx.hint_left(JoinStrategyHint::Broadcast), cx.hint_right(JoinStrategyHint::Broadcast)) {
            cx.notes.push(format!("BROADCAST hint → broadcast nested loop join building the {} side", side_word(b)));
            JoinChoice::BroadcastNestedLoop { build: b, condition: cond.clone() }
        } else if cx.hint_any(JoinStrategyHint::ShuffleReplicateNl) && inner_like(jt) {
            cx.notes.push("SHUFFLE_REPLICATE_NL hint → cartesian product".into());
            JoinChoice::Cartesian { condition: cond.clone() }
        } else {
            if cx.hint_any(JoinStrategyHint::ShuffleMerge) || cx.hint_any(JoinStrategyHint::ShuffleHash) {
                cx.notes.push("MERGE / SHUFFLE_HASH hints need equi-join keys → ignored".into());
            }
            without_hint(&mut cx)
        }
    };

    let (strategy, build_side) = match &choice {
        JoinChoice::BroadcastHash { build, .. } => ("BroadcastHashJoin", Some(*build)),
        JoinChoice::ShuffledHash { build, .. } => ("ShuffledHashJoin", Some(*build)),
        JoinChoice::SortMerge { .. } => ("SortMergeJoin", None),
        JoinChoice::BroadcastNestedLoop { build, .. } => ("BroadcastNestedLoopJoin", Some(*build)),
        JoinChoice::Cartesian { .. } => ("CartesianProduct", None),
    };
    let decision = JoinDecision {
        strategy: strategy.into(),
        join_type: jt.name().into(),
        build_side,
        why: cx.notes.join("; "),
    };
    Selection { choice, decision }
}

fn side_word(b: BuildSide) -> &'static str {
    match b {
        BuildSide::BuildLeft => "left",
        BuildSide::BuildRight => "right",
    }
}

fn hint_text(h: &JoinHint, left: &str, right: &str) -> String {
    let mut parts = vec![];
    if let Some(x) = h.left {
        parts.push(format!("{} hint on {left}", x.name().to_ascii_uppercase()));
    }
    if let Some(x) = h.right {
        parts.push(format!("{} hint on {right}", x.name().to_ascii_uppercase()));
    }
    parts.join(", ")
}

/// `ExtractSingleColumnNullAwareAntiJoin`: `LeftAnti` with `(a = b) OR isnull((a = b))` (or a join the
/// optimizer marked null-aware with a single equality).
fn null_aware_keys(input: &JoinInput<'_>) -> Option<(Expr, Expr)> {
    if input.join_type != JoinType::LeftAnti {
        return None;
    }
    let cond = input.condition?;
    let eq = match cond {
        Expr::Binary { op: BinOp::Or, left, right } => match (&**left, &**right) {
            (e @ Expr::Binary { op: BinOp::Eq, .. }, Expr::IsNull(inner)) if **inner == *e => e.clone(),
            _ => return None,
        },
        e @ Expr::Binary { op: BinOp::Eq, .. } if input.null_aware => e.clone(),
        _ => return None,
    };
    let (l, r) = match &eq {
        Expr::Binary { left, right, .. } => ((**left).clone(), (**right).clone()),
        _ => return None,
    };
    let ids = |v: &[Attribute]| v.iter().map(|a| a.id).collect::<Vec<_>>();
    let (lids, rids) = (ids(&input.left_output), ids(&input.right_output));
    let within = |e: &Expr, s: &[ExprId]| {
        let r = e.references();
        !r.is_empty() && r.iter().all(|a| s.contains(&a.id))
    };
    if within(&l, &lids) && within(&r, &rids) {
        Some((l, r))
    } else if within(&l, &rids) && within(&r, &lids) {
        Some((r, l))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
