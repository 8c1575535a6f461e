//! Join selection over every join type × side sizes × hints, against Spark 3.5's rules.

use super::*;
use crate::logical::types::DataType;

const MB: u128 = 1024 * 1024;

fn attr(name: &str, id: u32, t: DataType) -> Attribute {
    Attribute { name: name.into(), id, dtype: t, nullable: true, qualifier: vec![] }
}

struct Case {
    jt: JoinType,
    left: u128,
    right: u128,
    hint: JoinHint,
    equi: bool,
}

fn run(c: &Case, conf: &SparkConf) -> JoinDecision {
    let l = attr("l", 1, DataType::Int);
    let r = attr("r", 2, DataType::Int);
    let cond = if c.equi {
        Expr::binary(BinOp::Eq, l.to_expr(), r.to_expr())
    } else {
        Expr::binary(BinOp::Lt, l.to_expr(), r.to_expr())
    };
    let input = JoinInput {
        join_type: c.jt,
        condition: Some(&cond),
        hint: &c.hint,
        null_aware: false,
        left_output: vec![l],
        right_output: vec![r],
        left_size: c.left,
        right_size: c.right,
        left_label: "left".into(),
        right_label: "right".into(),
    };
    select_join(&input, conf).decision
}

fn short(d: &JoinDecision) -> String {
    match d.build_side {
        Some(b) => format!("{} {}", d.strategy, b.name()),
        None => d.strategy.clone(),
    }
}

fn hint(left: Option<JoinStrategyHint>, right: Option<JoinStrategyHint>) -> JoinHint {
    JoinHint { left, right }
}

const TYPES: [JoinType; 7] = [
    JoinType::Inner,
    JoinType::Cross,
    JoinType::LeftOuter,
    JoinType::RightOuter,
    JoinType::FullOuter,
    JoinType::LeftSemi,
    JoinType::LeftAnti,
];

#[test]
fn equi_joins_without_hints() {
    let conf = SparkConf::default();
    // (left size, right size) → expected per join type, in TYPES order.
    let table: [(u128, u128, [&str; 7]); 4] = [
        (
            100 * MB,
            2 * MB,
            [
                "BroadcastHashJoin BuildRight",
                "BroadcastHashJoin BuildRight",
                "BroadcastHashJoin BuildRight",
                "SortMergeJoin",
                "SortMergeJoin",
                "BroadcastHashJoin BuildRight",
                "BroadcastHashJoin BuildRight",
            ],
        ),
        (
            2 * MB,
            100 * MB,
            [
                "BroadcastHashJoin BuildLeft",
                "BroadcastHashJoin BuildLeft",
                "SortMergeJoin",
                "BroadcastHashJoin BuildLeft",
                "SortMergeJoin",
                "SortMergeJoin",
                "SortMergeJoin",
            ],
        ),
        (
            3 * MB,
            2 * MB,
            [
                "BroadcastHashJoin BuildRight",
                "BroadcastHashJoin BuildRight",
                "BroadcastHashJoin BuildRight",
                "BroadcastHashJoin BuildLeft",
                "SortMergeJoin",
                "BroadcastHashJoin BuildRight",
                "BroadcastHashJoin BuildRight",
            ],
        ),
        (100 * MB, 200 * MB, ["SortMergeJoin"; 7]),
    ];
    for (l, r, want) in table {
        for (jt, w) in TYPES.iter().zip(want.iter()) {
            let d = run(&Case { jt: *jt, left: l, right: r, hint: JoinHint::default(), equi: true }, &conf);
            assert_eq!(short(&d), *w, "{jt:?} left={l} right={r}: {}", d.why);
            assert_eq!(d.join_type, jt.name());
        }
    }
}

#[test]
fn equal_sizes_build_right() {
    let conf = SparkConf::default();
    let d = run(&Case { jt: JoinType::Inner, left: MB, right: MB, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&d), "BroadcastHashJoin BuildRight");
}

#[test]
fn threshold_is_inclusive_and_minus_one_disables() {
    let mut conf = SparkConf::default();
    let t = 10 * MB;
    let at = run(&Case { jt: JoinType::Inner, left: 100 * MB, right: t, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&at), "BroadcastHashJoin BuildRight");
    let over = run(&Case { jt: JoinType::Inner, left: 100 * MB, right: t + 1, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&over), "SortMergeJoin");
    conf.set("spark.sql.autoBroadcastJoinThreshold", "-1");
    let off = run(&Case { jt: JoinType::Inner, left: 100 * MB, right: 1, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&off), "SortMergeJoin");
    assert!(off.why.contains("-1"), "{}", off.why);
}

#[test]
fn hints_beat_sizes_in_spark_order() {
    use JoinStrategyHint::*;
    let conf = SparkConf::default();
    let big = 500 * MB;
    let small = MB;
    let cases: Vec<(JoinType, u128, u128, JoinHint, &str)> = vec![
        // BROADCAST on a big left side of an inner join.
        (JoinType::Inner, big, small, hint(Some(Broadcast), None), "BroadcastHashJoin BuildLeft"),
        // BROADCAST on both sides: the smaller.
        (JoinType::Inner, big, small, hint(Some(Broadcast), Some(Broadcast)), "BroadcastHashJoin BuildRight"),
        // BROADCAST on the left of a left outer join cannot apply: falls back to sizes.
        (JoinType::LeftOuter, small, big, hint(Some(Broadcast), None), "SortMergeJoin"),
        (JoinType::RightOuter, small, big, hint(Some(Broadcast), None), "BroadcastHashJoin BuildLeft"),
        (JoinType::FullOuter, small, small, hint(Some(Broadcast), None), "SortMergeJoin"),
        // MERGE beats a broadcastable side.
        (JoinType::Inner, big, small, hint(None, Some(ShuffleMerge)), "SortMergeJoin"),
        // BROADCAST beats MERGE.
        (JoinType::Inner, big, small, hint(Some(ShuffleMerge), Some(Broadcast)), "BroadcastHashJoin BuildRight"),
        // SHUFFLE_HASH builds the hinted side.
        (JoinType::Inner, big, small, hint(None, Some(ShuffleHash)), "ShuffledHashJoin BuildRight"),
        (JoinType::Inner, small, big, hint(None, Some(ShuffleHash)), "ShuffledHashJoin BuildRight"),
        (JoinType::FullOuter, big, big, hint(Some(ShuffleHash), None), "ShuffledHashJoin BuildLeft"),
        (JoinType::LeftOuter, big, big, hint(Some(ShuffleHash), None), "SortMergeJoin"),
        // MERGE beats SHUFFLE_HASH.
        (JoinType::Inner, big, big, hint(Some(ShuffleHash), Some(ShuffleMerge)), "SortMergeJoin"),
        // SHUFFLE_REPLICATE_NL: cartesian for inner joins only.
        (JoinType::Inner, big, big, hint(Some(ShuffleReplicateNl), None), "CartesianProduct"),
        (JoinType::LeftOuter, big, big, hint(Some(ShuffleReplicateNl), None), "SortMergeJoin"),
        (JoinType::Inner, big, small, hint(Some(ShuffleReplicateNl), None), "CartesianProduct"),
    ];
    for (jt, l, r, h, want) in cases {
        let d = run(&Case { jt, left: l, right: r, hint: h.clone(), equi: true }, &conf);
        assert_eq!(short(&d), want, "{jt:?} {h:?} left={l} right={r}: {}", d.why);
    }
}

#[test]
fn shuffled_hash_join_without_hint_needs_prefer_smj_off() {
    let mut conf = SparkConf::default();
    let (l, r) = (2000 * MB, 50 * MB);
    let d = run(&Case { jt: JoinType::Inner, left: l, right: r, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&d), "SortMergeJoin");
    conf.set("spark.sql.join.preferSortMergeJoin", "false");
    let d = run(&Case { jt: JoinType::Inner, left: l, right: r, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&d), "ShuffledHashJoin BuildRight", "{}", d.why);
    // Not 3× smaller: sort-merge.
    let d = run(&Case { jt: JoinType::Inner, left: 100 * MB, right: 50 * MB, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&d), "SortMergeJoin");
    // Too big for a local hash map (≥ 10 MiB × 200).
    let d = run(&Case { jt: JoinType::Inner, left: 100_000 * MB, right: 2000 * MB, hint: JoinHint::default(), equi: true }, &conf);
    assert_eq!(short(&d), "SortMergeJoin");
}

#[test]
fn non_equi_joins() {
    use JoinStrategyHint::*;
    let conf = SparkConf::default();
    let big = 500 * MB;
    let small = MB;
    let cases: Vec<(JoinType, u128, u128, JoinHint, &str)> = vec![
        (JoinType::Inner, big, small, JoinHint::default(), "BroadcastNestedLoopJoin BuildRight"),
        (JoinType::Cross, small, big, JoinHint::default(), "BroadcastNestedLoopJoin BuildLeft"),
        (JoinType::Inner, big, big, JoinHint::default(), "CartesianProduct"),
        (JoinType::LeftOuter, big, big, JoinHint::default(), "BroadcastNestedLoopJoin BuildRight"),
        (JoinType::RightOuter, big, big, JoinHint::default(), "BroadcastNestedLoopJoin BuildLeft"),
        (JoinType::FullOuter, big, small, JoinHint::default(), "BroadcastNestedLoopJoin BuildRight"),
        (JoinType::LeftSemi, small, small, JoinHint::default(), "BroadcastNestedLoopJoin BuildRight"),
        (JoinType::LeftAnti, big, big, JoinHint::default(), "BroadcastNestedLoopJoin BuildRight"),
        (JoinType::Inner, big, big, hint(Some(Broadcast), None), "BroadcastNestedLoopJoin BuildLeft"),
        (JoinType::Inner, small, small, hint(Some(ShuffleReplicateNl), None), "CartesianProduct"),
        (JoinType::Inner, small, big, hint(Some(ShuffleMerge), None), "BroadcastNestedLoopJoin BuildLeft"),
    ];
    for (jt, l, r, h, want) in cases {
        let d = run(&Case { jt, left: l, right: r, hint: h.clone(), equi: false }, &conf);
        assert_eq!(short(&d), want, "{jt:?} {h:?} left={l} right={r}: {}", d.why);
    }
}

#[test]
fn why_names_the_threshold() {
    let conf = SparkConf::default();
    let d = run(&Case { jt: JoinType::Inner, left: 11_269_314, right: 200 * MB, hint: JoinHint::default(), equi: true }, &conf);
    assert!(d.why.contains("left: 10.7 MiB > 10.0 MiB spark.sql.autoBroadcastJoinThreshold → not broadcast"), "{}", d.why);
}

#[test]
fn null_aware_anti_join_is_a_broadcast_hash_join() {
    let conf = SparkConf::default();
    let l = attr("l", 1, DataType::Int);
    let r = attr("r", 2, DataType::Int);
    let eq = Expr::binary(BinOp::Eq, l.to_expr(), r.to_expr());
    let cond = Expr::binary(BinOp::Or, eq.clone(), Expr::IsNull(Box::new(eq)));
    let h = JoinHint::default();
    let input = JoinInput {
        join_type: JoinType::LeftAnti,
        condition: Some(&cond),
        hint: &h,
        null_aware: true,
        left_output: vec![l],
        right_output: vec![r],
        left_size: 100 * MB,
        right_size: MB,
        left_label: "left".into(),
        right_label: "right".into(),
    };
    let s = select_join(&input, &conf);
    assert!(matches!(s.choice, JoinChoice::BroadcastHash { null_aware: true, build: BuildSide::BuildRight, .. }));
}

#[test]
fn null_safe_equality_gives_coalesce_and_isnull_keys() {
    let l = attr("l", 1, DataType::Int);
    let r = attr("r", 2, DataType::Int);
    let cond = Expr::binary(BinOp::NullSafeEq, l.to_expr(), r.to_expr());
    let (lk, rk, other) = extract_equi_join_keys(Some(&cond), &[l], &[r]);
    assert_eq!(lk.iter().map(|e| e.spark()).collect::<Vec<_>>(), vec!["coalesce(l#1, 0)", "isnull(l#1)"]);
    assert_eq!(rk.len(), 2);
    assert!(other.is_none());
}
