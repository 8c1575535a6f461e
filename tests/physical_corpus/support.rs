//! Builders for hand-made optimized logical plans over the retail catalog, and the comparison of a
#![allow(dead_code)]
//! planned case with Spark's texts (normalised like the corpus) and plan shapes (score.py's `shape()`).

use crate::expected::CASES;
use stagecraft::conf::SparkConf;
use stagecraft::input::catalogs::retail;
use stagecraft::logical::expr::{AggFunc, AggMode, Attribute, BinOp, Expr, LitValue, SortOrder};
use stagecraft::logical::plan::{JoinHint, JoinType, LogicalPlan, Relation};
use stagecraft::logical::types::DataType;
use stagecraft::physical::{self, explain, BuildSide, PhysicalPlanning};
use stagecraft::scenario::{Cluster, Query, Scenario};
use std::collections::BTreeMap;

/// A relation with Spark's expression ids (`first`, `first + 1`, ... in column order).
pub struct Rel {
    pub attrs: Vec<Attribute>,
    pub plan: LogicalPlan,
}

impl Rel {
    pub fn attr(&self, name: &str) -> Attribute {
        self.attrs.iter().find(|a| a.name == name).cloned().unwrap_or_else(|| panic!("no column {name}"))
    }
    pub fn a(&self, name: &str) -> Expr {
        self.attr(name).to_expr()
    }
}

pub fn rel(table: &str, first: u32) -> Rel {
    let t = retail().into_iter().find(|t| t.name == table).unwrap_or_else(|| panic!("no table {table}"));
    let mut next = first;
    let r = Relation::of_table(t, || (next, next += 1).0);
    Rel { attrs: r.output.clone(), plan: LogicalPlan::Relation(r) }
}

pub fn attr(name: &str, id: u32, t: DataType) -> Attribute {
    Attribute { name: name.into(), id, dtype: t, nullable: true, qualifier: vec![] }
}
pub fn attr_of(e: &Expr) -> Attribute {
    e.to_attribute().expect("a named expression")
}
pub fn and(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::And, a, b)
}
pub fn eq(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::Eq, a, b)
}
pub fn ge(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::GtEq, a, b)
}
pub fn le(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::LtEq, a, b)
}
pub fn gt(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::Gt, a, b)
}
pub fn add(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::Add, a, b)
}
pub fn mul(a: Expr, b: Expr) -> Expr {
    Expr::binary(BinOp::Mul, a, b)
}
pub fn nn(a: Expr) -> Expr {
    Expr::is_not_null(a)
}
pub fn date(d: &str) -> Expr {
    Expr::Lit(LitValue::Date(d.into()), DataType::Date)
}
pub fn s(v: &str) -> Expr {
    Expr::lit_str(v)
}
pub fn int(v: i64) -> Expr {
    Expr::lit_int(v)
}
pub fn cast(e: Expr, t: DataType) -> Expr {
    Expr::Cast { child: Box::new(e), to: t }
}
pub fn func(name: &str, args: Vec<Expr>, t: DataType) -> Expr {
    Expr::Func { name: name.into(), args, dtype: t, deterministic: true }
}
pub fn count_star() -> Expr {
    Expr::Agg { func: AggFunc::Count, args: vec![], distinct: false, mode: AggMode::Complete, filter: None }
}
pub fn aggf(f: AggFunc, arg: Expr) -> Expr {
    Expr::Agg { func: f, args: vec![arg], distinct: false, mode: AggMode::Complete, filter: None }
}
pub fn alias(e: Expr, name: &str, id: u32) -> Expr {
    e.alias(name, id)
}
pub fn asc(a: Attribute) -> SortOrder {
    SortOrder::asc(a.to_expr())
}
pub fn desc(a: Attribute) -> SortOrder {
    SortOrder { expr: a.to_expr(), ascending: false, nulls_first: false }
}

pub fn project(exprs: Vec<Expr>, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Project { exprs, child: Box::new(child) }
}
pub fn filter(cond: Expr, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Filter { cond, child: Box::new(child) }
}
pub fn join(l: LogicalPlan, r: LogicalPlan, jt: JoinType, cond: Option<Expr>, hint: JoinHint) -> LogicalPlan {
    LogicalPlan::Join { left: Box::new(l), right: Box::new(r), join_type: jt, cond, hint, null_aware: false }
}
pub fn agg(group: Vec<Expr>, aggs: Vec<Expr>, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Aggregate { group, aggs, child: Box::new(child) }
}
pub fn sort(order: Vec<SortOrder>, global: bool, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::Sort { order, global, child: Box::new(child) }
}
pub fn limit(n: i64, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::GlobalLimit { n, child: Box::new(LogicalPlan::LocalLimit { n, child: Box::new(child) }) }
}

pub fn scenario(confs: &[(&str, &str)], aqe: bool) -> Scenario {
    let mut c: BTreeMap<String, String> = confs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    c.insert("spark.sql.adaptive.enabled".into(), aqe.to_string());
    c.insert("spark.sql.session.timeZone".into(), "UTC".into());
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

/// Normalises expression ids, plan ids and file paths as the corpus texts were.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.trim_end().lines() {
        let mut l = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let rest: String = chars[i..].iter().take(8).collect();
            if chars[i] == '#' {
                l.push('#');
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            } else if chars[i] == '@' {
                l.push('@');
                i += 1;
                while i < chars.len() && chars[i].is_ascii_hexdigit() {
                    i += 1;
                }
            } else if rest.starts_with("plan_id=") {
                l.push_str("plan_id=");
                i += 8;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            } else if rest.starts_with("file:/") {
                l.push_str("file:/P");
                while i < chars.len() && !matches!(chars[i], ']' | ',' | ' ') {
                    i += 1;
                }
            } else {
                l.push(chars[i]);
                i += 1;
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out.trim_end().to_string()
}

const TRANSPARENT: [&str; 7] =
    ["WholeStageCodegen", "InputAdapter", "ColumnarToRow", "AdaptiveSparkPlan", "ShuffleQueryStage", "BroadcastQueryStage", "TableCacheQueryStage"];
const SUBQUERY_ROOTS: [&str; 4] = ["SubqueryAdaptiveBroadcast", "SubqueryBroadcast", "Subquery", "ReusedSubquery"];
const LEAVES: [&str; 2] = ["ReusedExchange", "InMemoryTableScan"];

fn node_name(body: &str) -> Option<String> {
    let mut t = body.trim();
    if t.starts_with("*(") {
        if let Some(i) = t.find(") ") {
            t = &t[i + 2..];
        }
    }
    let word: String = t.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if word.is_empty() {
        return None;
    }
    let rest = t[word.len()..].trim_start_matches(['(', ' ']);
    let name = match word.as_str() {
        "FileScan" | "BatchScan" => "Scan".to_string(),
        w => w.to_string(),
    };
    Some(match name.as_str() {
        "Exchange" => {
            let arg: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            format!("Exchange:{}", if arg.is_empty() { "?" } else { &arg })
        }
        "AQEShuffleRead" => format!("AQEShuffleRead:{}", rest.trim().replace(' ', "_")),
        _ => name,
    })
}

/// score.py's `shape()` over Spark's tree-string format.
pub fn shape(tree: &str) -> String {
    let mut parsed: Vec<(usize, String)> = vec![];
    for l in tree.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("==")) {
        let mut depth = 0;
        let mut rest = l;
        loop {
            if rest.starts_with("   ") || rest.starts_with(":  ") || rest.starts_with("|  ") {
                depth += 1;
                rest = &rest[3..];
            } else {
                break;
            }
        }
        if rest.starts_with("+- ") || rest.starts_with(":- ") {
            depth += 1;
            rest = &rest[3..];
        }
        parsed.push((depth, rest.to_string()));
    }
    let mut result: Vec<String> = vec![];
    let mut stack: Vec<(usize, i64, bool)> = vec![];
    for (depth, body) in parsed {
        while stack.last().map(|s| s.0 >= depth).unwrap_or(false) {
            stack.pop();
        }
        if let Some(top) = stack.last() {
            if top.2 {
                let k = top.1;
                stack.push((depth, k, true));
                continue;
            }
        }
        let name = node_name(&body);
        let parent_kept = stack.last().map(|s| s.1).unwrap_or(-1);
        match &name {
            None => {
                stack.push((depth, parent_kept, false));
                continue;
            }
            Some(n) if TRANSPARENT.contains(&n.as_str()) => {
                stack.push((depth, parent_kept, false));
                continue;
            }
            Some(n) if SUBQUERY_ROOTS.contains(&n.as_str()) => {
                stack.push((depth, parent_kept, true));
                continue;
            }
            _ => {}
        }
        let n = name.unwrap_or_default();
        let kept = parent_kept + 1;
        result.push(format!("{kept} {n}"));
        stack.push((depth, kept, LEAVES.contains(&n.as_str())));
    }
    result.join("\n")
}

fn expected(id: &str) -> (&'static str, &'static str, &'static str) {
    CASES.iter().find(|(c, _, _, _)| *c == id).map(|(_, p, s, f)| (*p, *s, *f)).unwrap_or_else(|| panic!("no case {id}"))
}

/// Plans the case with AQE off and on; compares the text of `text_plan` with Spark's executed plan and
/// the shape of `shape_plan` (default: the same plan) with Spark's initial plan; checks the joins.
pub fn check(
    case: &str,
    text_plan: &LogicalPlan,
    shape_plan: Option<&LogicalPlan>,
    confs: &[(&str, &str)],
    joins: &[(&str, &str, Option<BuildSide>)],
) -> Vec<PhysicalPlanning> {
    let mut out = vec![];
    for (variant, aqe) in [("aqe_off", false), ("aqe_on", true)] {
        let id = format!("{case}__{variant}");
        let (want_text, want_shape, want_formatted) = expected(&id);
        let want_formatted = normalise(want_formatted);
        let sc = scenario(confs, aqe);
        let conf = SparkConf::new(&sc.confs);
        let planned = physical::plan(text_plan, &conf, &sc).expect("plans");
        let got_text = normalise(&explain::tree_string(&planned.plan));
        assert_eq!(got_text, want_text, "\n{id}: executed plan text differs.\n--- got ---\n{got_text}\n--- want ---\n{want_text}\n");
        let mut got_formatted = normalise(&physical::formatted::formatted(&planned));
        // Some corpus records kept only the tree of EXPLAIN FORMATTED.
        if !want_formatted.contains("\n(1) ") {
            got_formatted = got_formatted.split("\n\n\n(1) ").next().unwrap_or_default().to_string();
        }
        assert_eq!(
            got_formatted, want_formatted,
            "\n{id}: EXPLAIN FORMATTED differs.\n--- got ---\n{got_formatted}\n--- want ---\n{want_formatted}\n"
        );
        let shaped = match shape_plan {
            Some(p) => physical::plan(p, &conf, &sc).expect("plans"),
            None => planned.clone(),
        };
        let got_shape = shape(&explain::tree_string(&shaped.plan));
        assert_eq!(got_shape, want_shape, "\n{id}: plan shape differs.\n--- got ---\n{got_shape}\n--- want ---\n{want_shape}\n");
        let mut got_joins: Vec<(String, String, Option<BuildSide>)> =
            shaped.joins.iter().map(|j| (j.strategy.clone(), j.join_type.clone(), j.build_side)).collect();
        let mut want_joins: Vec<(String, String, Option<BuildSide>)> =
            joins.iter().map(|(s, t, b)| (s.to_string(), t.to_string(), *b)).collect();
        got_joins.sort_by_key(|j| format!("{j:?}"));
        want_joins.sort_by_key(|j| format!("{j:?}"));
        assert_eq!(got_joins, want_joins, "{id}: joins");
        for j in &shaped.joins {
            assert!(!j.why.is_empty(), "{id}: a join without a why");
        }
        out.push(shaped);
    }
    out
}
