//! Unit tests of physical planning over hand-built optimized plans on the retail catalog: strategies,
//! exchanges, codegen, AQE wrapping, DPP fallback, writes and EXPLAIN modes.

use super::explain::{self, Mode};
use super::*;
use crate::input::catalogs::retail;
use crate::logical::expr::{AggFunc, AggMode, Attribute, BinOp, Expr, LitValue, SortOrder, SubqueryExpr};
use crate::logical::plan::{JoinHint, JoinType, Relation, WriteSpec};
use crate::logical::types::DataType;
use crate::scenario::{Cluster, Query};
use std::collections::BTreeMap;

struct Rel {
    attrs: Vec<Attribute>,
    plan: LogicalPlan,
}

impl Rel {
    fn a(&self, name: &str) -> Expr {
        self.attrs.iter().find(|a| a.name == name).map(|a| a.to_expr()).unwrap_or_else(|| Expr::lit_int(0))
    }
}

fn rel(table: &str, first: u32) -> Rel {
    let t = retail().into_iter().find(|t| t.name == table).expect("retail table");
    let mut next = first;
    let r = Relation::of_table(t, || (next, next += 1).0);
    Rel { attrs: r.output.clone(), plan: LogicalPlan::Relation(r) }
}

fn project(exprs: Vec<Expr>, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Project { exprs, child: Box::new(child) }
}
fn filter(cond: Expr, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Filter { cond, child: Box::new(child) }
}
fn join(l: LogicalPlan, r: LogicalPlan, jt: JoinType, cond: Option<Expr>) -> LogicalPlan {
    LogicalPlan::Join { left: Box::new(l), right: Box::new(r), join_type: jt, cond, hint: JoinHint::default(), null_aware: false }
}
fn agg(group: Vec<Expr>, aggs: Vec<Expr>, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Aggregate { group, aggs, child: Box::new(child) }
}
fn limit(n: i64, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::GlobalLimit { n, child: Box::new(LogicalPlan::LocalLimit { n, child: Box::new(child) }) }
}
fn eq(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::Eq, a, b)
}
fn aggf(f: AggFunc, arg: Expr, distinct: bool) -> Expr {
    Expr::Agg { func: f, args: vec![arg], distinct, mode: AggMode::Complete, filter: None }
}

fn scenario(aqe: bool, confs: &[(&str, &str)]) -> Scenario {
    let mut c: BTreeMap<String, String> = confs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    c.insert("spark.sql.adaptive.enabled".into(), aqe.to_string());
    Scenario {
        scenario_version: 1,
        id: String::new(),
        title: String::new(),
        spark_version: "3.5".into(),
        cluster: Cluster::default(),
        confs: c,
        tables: retail(),
        query: Query { lang: "sql".into(), setup_sql: vec![], text: String::new(), action: None },
        sim: Default::default(),
    }
}

fn planned(p: &LogicalPlan, aqe: bool, confs: &[(&str, &str)]) -> PhysicalPlanning {
    let sc = scenario(aqe, confs);
    let conf = SparkConf::new(&sc.confs);
    plan(p, &conf, &sc).expect("plans")
}

fn text(p: &LogicalPlan) -> String {
    explain::tree_string(&planned(p, false, &[]).plan)
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

fn orders_customers() -> (Rel, Rel) {
    (rel("orders", 20), rel("customers", 0))
}

#[test]
fn full_outer_join_shuffles_both_sides() {
    let (o, c) = orders_customers();
    let j = join(o.plan.clone(), c.plan.clone(), JoinType::FullOuter, Some(eq(o.a("customer_id"), c.a("customer_id"))));
    let t = text(&j);
    assert!(t.contains("SortMergeJoin [customer_id#21], [customer_id#0], FullOuter"), "{t}");
    assert_eq!(count(&t, "Exchange hashpartitioning"), 2, "{t}");
}

#[test]
fn outer_joins_broadcast_only_their_legal_side() {
    let (o, _) = orders_customers();
    let k = rel("countries", 80);
    let cond = Some(eq(o.a("store_id"), k.a("country_id")));
    let lo = text(&join(o.plan.clone(), k.plan.clone(), JoinType::LeftOuter, cond.clone()));
    assert!(lo.contains("LeftOuter, BuildRight"), "{lo}");
    let ro = text(&join(k.plan.clone(), o.plan.clone(), JoinType::RightOuter, Some(eq(k.a("country_id"), o.a("store_id")))));
    assert!(ro.contains("RightOuter, BuildLeft"), "{ro}");
    let ro_big = text(&join(o.plan.clone(), k.plan.clone(), JoinType::RightOuter, cond));
    assert!(ro_big.contains("SortMergeJoin"), "{ro_big}");
}

#[test]
fn aggregate_over_join_key_superset_adds_no_exchange() {
    let (o, c) = orders_customers();
    let j = join(o.plan.clone(), c.plan.clone(), JoinType::Inner, Some(eq(o.a("customer_id"), c.a("customer_id"))));
    let same = agg(vec![c.a("customer_id"), c.a("segment")], vec![c.a("customer_id"), c.a("segment"), aggf(AggFunc::Sum, o.a("total_amount"), false).alias("s", 500)], j.clone());
    let t = text(&same);
    assert_eq!(count(&t, "Exchange hashpartitioning"), 2, "{t}");
    let other = agg(vec![c.a("segment")], vec![c.a("segment")], j);
    let t2 = text(&other);
    assert_eq!(count(&t2, "Exchange hashpartitioning"), 3, "{t2}");
}

#[test]
fn one_distinct_aggregate_takes_four_phases() {
    let o = rel("orders", 20);
    let p = agg(
        vec![o.a("status")],
        vec![o.a("status"), aggf(AggFunc::Count, o.a("customer_id"), true).alias("n", 500), aggf(AggFunc::Sum, o.a("total_amount"), false).alias("s", 501)],
        project(vec![o.a("status"), o.a("customer_id"), o.a("total_amount")], o.plan.clone()),
    );
    let t = text(&p);
    assert_eq!(count(&t, "HashAggregate("), 4, "{t}");
    assert!(t.contains("Exchange hashpartitioning(status#24, customer_id#21, 200)"), "{t}");
    assert!(t.contains("Exchange hashpartitioning(status#24, 200)"), "{t}");
    assert!(t.contains("functions=[merge_sum(total_amount#26), partial_count(distinct customer_id#21)]"), "{t}");
    assert!(t.contains("functions=[sum(total_amount#26), count(distinct customer_id#21)]"), "{t}");
}

#[test]
fn buffer_types_choose_the_aggregate_operator() {
    let c = rel("customers", 0);
    let max_name = agg(vec![c.a("segment")], vec![c.a("segment"), aggf(AggFunc::Max, c.a("name"), false).alias("m", 500)], c.plan.clone());
    let t = text(&max_name);
    assert_eq!(count(&t, "SortAggregate(key=[segment#6]"), 2, "{t}");
    assert!(t.contains("Sort [segment#6 ASC NULLS FIRST], false, 0"), "{t}");
    let list = agg(vec![c.a("segment")], vec![c.a("segment"), aggf(AggFunc::CollectList, c.a("name"), false).alias("l", 500)], c.plan.clone());
    let t = text(&list);
    assert_eq!(count(&t, "ObjectHashAggregate(keys=[segment#6]"), 2, "{t}");
    assert!(!t.contains("*(1) ObjectHashAggregate"), "object aggregates are not codegen'd: {t}");
}

#[test]
fn global_sort_range_partitions() {
    let c = rel("customers", 0);
    let p = LogicalPlan::Sort { order: vec![SortOrder::asc(c.a("signup_date"))], global: true, child: Box::new(c.plan.clone()) };
    let t = text(&p);
    assert!(t.contains("Exchange rangepartitioning(signup_date#7 ASC NULLS FIRST, 200), ENSURE_REQUIREMENTS"), "{t}");
    assert!(t.starts_with("*(2) Sort [signup_date#7 ASC NULLS FIRST], true, 0"), "{t}");
}

#[test]
fn limits_at_the_root_and_below() {
    let c = rel("customers", 0);
    let root = text(&limit(7, c.plan.clone()));
    assert!(root.starts_with("CollectLimit 7"), "{root}");
    let inner = agg(vec![], vec![aggf(AggFunc::Count, c.a("customer_id"), false).alias("n", 500)], limit(7, c.plan.clone()));
    let t = text(&inner);
    assert!(t.contains("GlobalLimit 7, 0"), "{t}");
    assert!(t.contains("LocalLimit 7"), "{t}");
    assert!(t.contains("Exchange SinglePartition"), "{t}");
}

#[test]
fn repartitions_keep_their_origin() {
    let o = rel("orders", 20);
    let rr = text(&LogicalPlan::Repartition { num: 16, shuffle: true, child: Box::new(o.plan.clone()) });
    assert!(rr.contains("Exchange RoundRobinPartitioning(16), REPARTITION_BY_NUM"), "{rr}");
    let by_col = text(&LogicalPlan::RepartitionByExpression { exprs: vec![o.a("customer_id")], range: vec![], num: None, child: Box::new(o.plan.clone()) });
    assert!(by_col.contains("Exchange hashpartitioning(customer_id#21, 200), REPARTITION_BY_COL"), "{by_col}");
    let by_num = text(&LogicalPlan::RepartitionByExpression { exprs: vec![o.a("customer_id")], range: vec![], num: Some(16), child: Box::new(o.plan.clone()) });
    assert!(by_num.contains("hashpartitioning(customer_id#21, 16), REPARTITION_BY_NUM"), "{by_num}");
    let rebalance = text(&LogicalPlan::RebalancePartitions { exprs: vec![], child: Box::new(o.plan.clone()) });
    assert!(rebalance.contains("RoundRobinPartitioning(200), REBALANCE_PARTITIONS_BY_NONE"), "{rebalance}");
    let coalesce = text(&LogicalPlan::Repartition { num: 1, shuffle: false, child: Box::new(o.plan.clone()) });
    assert!(coalesce.starts_with("Coalesce 1"), "{coalesce}");
}

#[test]
fn non_equi_join_of_big_sides_is_cartesian() {
    let o = rel("orders", 20);
    let l = rel("lineitem", 52);
    let cond = Expr::binary(BinOp::Lt, o.a("order_id"), l.a("order_id"));
    let t = text(&join(o.plan.clone(), l.plan.clone(), JoinType::Inner, Some(cond)));
    assert!(t.starts_with("CartesianProduct (order_id#20L < order_id#52L)"), "{t}");
}

#[test]
fn not_in_is_a_null_aware_broadcast_anti_join() {
    let (o, c) = orders_customers();
    let e = eq(c.a("customer_id"), o.a("customer_id"));
    let cond = Expr::binary(BinOp::Or, e.clone(), Expr::IsNull(Box::new(e)));
    let mut j = join(c.plan.clone(), o.plan.clone(), JoinType::LeftAnti, Some(cond));
    if let LogicalPlan::Join { null_aware, .. } = &mut j {
        *null_aware = true;
    }
    let t = text(&j);
    assert!(t.contains("BroadcastHashJoin [customer_id#0], [customer_id#21], LeftAnti, BuildRight, true"), "{t}");
}

#[test]
fn partitioned_write_sorts_locally_and_noop_write_plans() {
    let e = rel("events", 112);
    let w = LogicalPlan::Write {
        spec: WriteSpec { path: "/tmp/out".into(), format: "parquet".into(), mode: "overwrite".into(), partition_by: vec!["event_date".into()], table: None },
        child: Box::new(e.plan.clone()),
    };
    let t = text(&w);
    assert!(t.starts_with("Execute InsertIntoHadoopFsRelationCommand"), "{t}");
    assert!(t.contains("+- WriteFiles"), "{t}");
    assert!(t.contains("Sort [event_date#119 ASC NULLS FIRST], false, 0"), "{t}");
    let noop = LogicalPlan::WriteNoop { child: Box::new(agg(vec![e.a("page")], vec![e.a("page")], e.plan.clone())) };
    let p = planned(&noop, true, &[]);
    let t = explain::tree_string(&p.plan);
    assert!(t.starts_with("OverwriteByExpression"), "{t}");
    assert!(t.contains("+- AdaptiveSparkPlan isFinalPlan=false"), "{t}");
}

#[test]
fn scalar_subqueries_are_printed_inline_and_as_inner_children() {
    let o = rel("orders", 20);
    let o2 = rel("orders", 40);
    let sub = agg(vec![], vec![aggf(AggFunc::Avg, o2.a("total_amount"), false).alias("avg", 600)], o2.plan.clone());
    let sq = Expr::ScalarSubquery(SubqueryExpr { plan: Box::new(sub), outer_refs: vec![], id: 700 });
    let p = filter(Expr::binary(BinOp::Gt, o.a("total_amount"), sq), o.plan.clone());
    let t = text(&p);
    assert!(t.contains("(total_amount#26 > Subquery scalar-subquery#700, [id=#"), "{t}");
    assert!(t.contains(":  +- Subquery scalar-subquery#700, [id=#"), "{t}");
    let aqe = explain::tree_string(&planned(&p, true, &[]).plan);
    assert!(aqe.starts_with("AdaptiveSparkPlan isFinalPlan=false"), "a subquery makes AQE apply: {aqe}");
}

#[test]
fn aqe_wraps_only_plans_with_exchanges() {
    let o = rel("orders", 20);
    let simple = filter(eq(o.a("status"), Expr::lit_str("X")), o.plan.clone());
    assert!(!planned(&simple, true, &[]).adaptive);
    let top = limit(5, LogicalPlan::Sort { order: vec![SortOrder::asc(o.a("order_id"))], global: true, child: Box::new(o.plan.clone()) });
    assert!(!planned(&top, true, &[]).adaptive, "TakeOrderedAndProject needs no exchange");
    let grouped = agg(vec![o.a("status")], vec![o.a("status")], o.plan.clone());
    let p = planned(&grouped, true, &[]);
    assert!(p.adaptive);
    let t = explain::tree_string(&p.plan);
    assert!(!t.contains("*("), "no codegen before AQE stages: {t}");
    assert!(!t.contains("ColumnarToRow"), "{t}");
}

#[test]
fn dpp_without_broadcast_falls_back_to_true() {
    let e = rel("events", 112);
    let cal = rel("calendar", 100);
    let right = filter(Expr::binary(BinOp::GtEq, cal.a("day_of_week"), Expr::lit_int(6)), cal.plan.clone());
    let dpp = Expr::DynamicPruning { key: Box::new(e.a("event_date")), build_key_index: 0, build_plan: Box::new(right.clone()), id: 900 };
    let left = filter(dpp, e.plan.clone());
    let j = join(left, right, JoinType::Inner, Some(eq(e.a("event_date"), cal.a("cal_date"))));
    let off = [("spark.sql.autoBroadcastJoinThreshold", "-1")];
    let p = planned(&j, false, &off);
    let t = explain::tree_string(&p.plan);
    assert!(t.contains("SortMergeJoin"), "{t}");
    assert!(t.contains("PartitionFilters: [dynamicpruningexpression(true)]"), "{t}");
    assert!(!p.dynamic_partition_pruning);
    // Broadcastable build side: the subquery reuses the join's broadcast.
    let p = planned(&j, false, &[]);
    assert!(p.dynamic_partition_pruning);
    let t = explain::tree_string(&p.plan);
    assert!(t.contains("SubqueryBroadcast dynamicpruning#900, 0, [cal_date#100]"), "{t}");
    assert!(t.contains("ReusedExchange"), "{t}");
    // AQE keeps the adaptive subquery in the initial plan either way.
    let p = planned(&j, true, &off);
    assert!(explain::tree_string(&p.plan).contains("SubqueryAdaptiveBroadcast dynamicpruning#900, 0, true"));
    assert!(!p.dynamic_partition_pruning);
}

#[test]
fn static_partition_pruning_keeps_matching_files() {
    let e = rel("events", 112);
    let d = Expr::Lit(LitValue::Date("2024-06-01".into()), DataType::Date);
    let p = filter(eq(e.a("event_date"), d), e.plan.clone());
    let planned = planned(&p, false, &[]);
    let mut scans = vec![];
    planned.plan.walk(&mut |n| {
        if let Op::FileSourceScan(s) = &n.op {
            scans.push((s.files_selected, s.files_total, s.num_partitions));
        }
    });
    assert_eq!(scans.len(), 1);
    let (sel, total, parts) = scans[0];
    assert!(sel < total, "{sel} of {total}");
    assert!(parts >= 1);
}

#[test]
fn multi_int_keys_pack_into_one_long() {
    let o = rel("orders", 20);
    let s = rel("stores", 88);
    let cond = Expr::binary(BinOp::And, eq(o.a("store_id"), s.a("store_id")), eq(o.a("priority"), s.a("sqft")));
    let t = text(&join(o.plan.clone(), s.plan.clone(), JoinType::Inner, Some(cond)));
    assert!(
        t.contains("HashedRelationBroadcastMode(List((shiftleft(cast(input[0, int, true] as bigint), 32) | (cast(input[5, int, true] as bigint) & 4294967295))),false)"),
        "{t}"
    );
}

#[test]
fn confs_switch_off_broadcast_and_codegen() {
    let (o, c) = orders_customers();
    let k = rel("countries", 80);
    let j = join(o.plan.clone(), k.plan.clone(), JoinType::Inner, Some(eq(o.a("store_id"), k.a("country_id"))));
    let p = planned(&j, false, &[("spark.sql.autoBroadcastJoinThreshold", "-1"), ("spark.sql.codegen.wholeStage", "false")]);
    let t = explain::tree_string(&p.plan);
    assert!(t.contains("SortMergeJoin"), "{t}");
    assert!(!t.contains("*("), "{t}");
    assert!(t.contains("Batched: false"), "{t}");
    let _ = c;
}

#[test]
fn explain_modes_have_spark_headers() {
    let o = rel("orders", 20);
    let p = agg(vec![o.a("status")], vec![o.a("status")], o.plan.clone());
    let pl = planned(&p, false, &[]);
    let simple = explain::explain(Mode::Simple, &p, "", "", &pl);
    assert!(simple.starts_with("== Physical Plan ==\n*(2) HashAggregate"), "{simple}");
    let ext = explain::explain(Mode::Extended, &p, "'Aggregate", "status: string\nAggregate", &pl);
    for h in ["== Parsed Logical Plan ==", "== Analyzed Logical Plan ==", "== Optimized Logical Plan ==", "== Physical Plan =="] {
        assert!(ext.contains(h), "{ext}");
    }
    let cost = explain::explain(Mode::Cost, &p, "", "", &pl);
    assert!(cost.contains("Statistics(sizeInBytes="), "{cost}");
    let formatted = explain::explain(Mode::Formatted, &p, "", "", &pl);
    assert!(formatted.contains("(1) Scan parquet \nOutput [8]: [order_id#20L,"), "{formatted}");
    assert!(formatted.contains("(3) HashAggregate [codegen id : 1]\nInput [8]:"), "{formatted}");
}

#[test]
fn odd_plans_never_panic_and_plan_deterministically() {
    let o = rel("orders", 20);
    let c = rel("customers", 0);
    let out = |r: &Rel, n: &str| project(vec![r.a(n)], r.plan.clone());
    let generator_out = Attribute { name: "x".into(), id: 800, dtype: DataType::Int, nullable: true, qualifier: vec![] };
    let plans = vec![
        LogicalPlan::Intersect { left: Box::new(out(&o, "customer_id")), right: Box::new(out(&c, "customer_id")), all: false },
        LogicalPlan::Except { left: Box::new(out(&o, "customer_id")), right: Box::new(out(&c, "customer_id")), all: true },
        LogicalPlan::Distinct { child: Box::new(out(&o, "status")) },
        LogicalPlan::Deduplicate { keys: vec![], child: Box::new(o.plan.clone()) },
        LogicalPlan::Union { children: vec![], by_name: false, allow_missing: false },
        LogicalPlan::LocalRelation { output: vec![], rows: 0 },
        LogicalPlan::Range { start: 0, end: 10, step: 1, splits: None, output: vec![generator_out.clone()] },
        LogicalPlan::SubqueryAlias { alias: "t".into(), child: Box::new(o.plan.clone()) },
        LogicalPlan::Expand { projections: vec![vec![o.a("status")], vec![Expr::Lit(LitValue::Null, DataType::String)]], output: vec![generator_out.clone()], child: Box::new(o.plan.clone()) },
        LogicalPlan::Window { window_exprs: vec![], partition_by: vec![], order_by: vec![], child: Box::new(o.plan.clone()) },
        LogicalPlan::MapPartitions { func: "f".into(), output: vec![generator_out], child: Box::new(o.plan.clone()) },
        join(o.plan.clone(), c.plan.clone(), JoinType::Cross, None),
        join(o.plan.clone(), c.plan.clone(), JoinType::LeftSemi, Some(Expr::lit_bool(true))),
        agg(vec![], vec![], o.plan.clone()),
    ];
    for p in &plans {
        for aqe in [false, true] {
            let a = planned(p, aqe, &[]);
            let b = planned(p, aqe, &[]);
            assert_eq!(a, b, "deterministic");
            let _ = explain::simple(&a);
            let _ = explain::explain(Mode::Formatted, p, "", "", &a);
            let _ = explain::explain(Mode::Cost, p, "", "", &a);
        }
    }
}

#[test]
fn window_without_partition_needs_a_single_partition() {
    let o = rel("orders", 20);
    let rn = Expr::Window {
        func: Box::new(Expr::WindowFunc { name: "row_number".into(), args: vec![], dtype: DataType::Int }),
        spec: crate::logical::expr::WindowSpec {
            partition_by: vec![],
            order_by: vec![SortOrder::asc(o.a("order_id"))],
            frame: crate::logical::expr::WindowFrame {
                rows: true,
                lower: crate::logical::expr::FrameBound::UnboundedPreceding,
                upper: crate::logical::expr::FrameBound::CurrentRow,
            },
        },
    }
    .alias("rn", 500);
    let w = LogicalPlan::Window { window_exprs: vec![rn], partition_by: vec![], order_by: vec![SortOrder::asc(o.a("order_id"))], child: Box::new(o.plan.clone()) };
    let t = text(&w);
    assert!(t.contains("Exchange SinglePartition, ENSURE_REQUIREMENTS"), "{t}");
    assert!(t.contains("Sort [order_id#20L ASC NULLS FIRST], false, 0"), "{t}");
}
