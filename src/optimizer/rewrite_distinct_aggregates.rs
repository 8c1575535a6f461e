//! `RewriteDistinctAggregates`: an Aggregate with more than one group of DISTINCT aggregates
//! (`count(DISTINCT a), count(DISTINCT b)`) cannot be planned as one partial/final pair; it becomes an
//! `Expand` that emits each input row once per distinct group (tagged by `gid`, other groups' columns
//! nulled, plus one row for the regular aggregates with gid 0), a first Aggregate that de-duplicates
//! per (grouping keys, distinct columns, gid) and computes the regular aggregates, and a second one that
//! evaluates each distinct aggregate on its own gid's rows (`count(if ((gid = 1)) a else null)`) and
//! picks the regular results (`first(...) FILTER (WHERE gid = 0)`). A single distinct group is left to
//! the physical planner. DISTINCT aggregates with a FILTER clause are not rewritten here.
//! Knows plans only.

use super::expr_util::{semantic_eq, semantic_key};
use super::plan_util::transform_up;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, AggMode, Attribute, BinOp, Expr, LitValue};
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

pub struct RewriteDistinctAggregates;

fn collect_aggs(aggs: &[Expr]) -> Vec<Expr> {
    let mut out: Vec<Expr> = vec![];
    for e in aggs {
        e.walk(&mut |x| {
            if matches!(x, Expr::Agg { .. }) && !out.iter().any(|o| o == x) {
                out.push(x.clone());
            }
        });
    }
    out
}

fn nullify(e: &Expr) -> Expr {
    Expr::Lit(LitValue::Null, e.dtype())
}

fn fresh(name: String, dtype: DataType, nullable: bool, ctx: &mut OptimizerContext) -> Attribute {
    Attribute { name, id: ctx.ids.next(), dtype, nullable, qualifier: vec![] }
}

fn agg_args(e: &Expr) -> &[Expr] {
    match e {
        Expr::Agg { args, .. } => args,
        _ => &[],
    }
}

fn rewrite(a: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
    let LogicalPlan::Aggregate { group, aggs, child } = a else { return None };
    let all_aggs = collect_aggs(aggs);
    let distinct: Vec<&Expr> = all_aggs.iter().filter(|e| matches!(e, Expr::Agg { distinct: true, .. })).collect();
    if distinct.len() < 2 || distinct.iter().any(|e| matches!(e, Expr::Agg { filter: Some(_), .. })) {
        return None;
    }
    // Distinct groups by their (unfoldable) children, in order of first appearance.
    let mut groups: Vec<(Vec<Expr>, Vec<Expr>)> = vec![];
    for e in &distinct {
        let args = agg_args(e);
        let mut key: Vec<Expr> = args.iter().filter(|c| !c.is_foldable()).cloned().collect();
        if key.is_empty() {
            key = args.iter().take(1).cloned().collect();
        }
        let k: Vec<String> = key.iter().map(semantic_key).collect();
        match groups.iter_mut().find(|(g, _)| g.iter().map(semantic_key).collect::<Vec<_>>() == k) {
            Some((_, members)) => members.push((*e).clone()),
            None => groups.push((key, vec![(*e).clone()])),
        }
    }
    if groups.len() < 2 {
        return None;
    }
    let gid = fresh("gid".into(), DataType::Int, false, ctx);
    let group_by: Vec<(Expr, Attribute)> = group
        .iter()
        .map(|g| match g.to_attribute() {
            Some(at) => (g.clone(), at),
            None => (g.clone(), fresh(g.sql(), g.dtype(), g.nullable(), ctx)),
        })
        .collect();
    let group_attrs: Vec<Attribute> = group_by.iter().map(|(_, a)| a.clone()).collect();
    let mut d_children: Vec<Expr> = vec![];
    for (key, _) in &groups {
        for k in key {
            if !d_children.iter().any(|x| semantic_eq(x, k)) {
                d_children.push(k.clone());
            }
        }
    }
    let d_attrs: Vec<Attribute> = d_children.iter().map(|e| fresh(e.sql(), e.dtype(), true, ctx)).collect();
    let d_attr_of = |e: &Expr| d_children.iter().position(|x| semantic_eq(x, e)).and_then(|i| d_attrs.get(i)).cloned();
    // Regular (non-distinct) aggregates with some unfoldable input.
    let regular: Vec<&Expr> = all_aggs
        .iter()
        .filter(|e| matches!(e, Expr::Agg { distinct: false, .. }) && agg_args(e).iter().any(|c| !c.is_foldable()))
        .collect();
    let mut r_children: Vec<Expr> = vec![];
    for e in &regular {
        for c in agg_args(e).iter().filter(|c| !c.is_foldable()) {
            if !r_children.iter().any(|x| semantic_eq(x, c)) {
                r_children.push(c.clone());
            }
        }
    }
    let r_pairs: Vec<(Expr, Attribute)> = r_children
        .iter()
        .map(|c| match c {
            Expr::Attr(at) => (c.clone(), at.clone()),
            other => (other.clone(), fresh(other.sql(), other.dtype(), other.nullable(), ctx)),
        })
        .collect();
    let patch = |e: &Expr, f: &dyn Fn(&Expr) -> Option<Expr>| -> Expr {
        match e {
            Expr::Agg { func, args, mode, .. } => Expr::Agg {
                func: *func,
                args: args.iter().map(|c| f(c).unwrap_or_else(|| c.clone())).collect(),
                distinct: false,
                mode: *mode,
                filter: None,
            },
            o => o.clone(),
        }
    };
    // Distinct groups: projections and the final aggregate operators.
    let mut transformations: Vec<(Expr, Expr)> = vec![];
    let mut d_projections: Vec<Vec<Expr>> = vec![];
    for (i, (key, members)) in groups.iter().enumerate() {
        let id = Expr::lit_int(i as i64 + 1);
        let mut proj: Vec<Expr> = d_children.iter().map(|e| if key.iter().any(|k| semantic_eq(k, e)) { e.clone() } else { nullify(e) }).collect();
        proj.push(id.clone());
        d_projections.push(proj);
        for m in members {
            let within = |x: &Expr| -> Option<Expr> {
                let at = d_attr_of(x)?;
                Some(Expr::Func {
                    name: "if".into(),
                    args: vec![Expr::binary(BinOp::Eq, gid.to_expr(), id.clone()), at.to_expr(), Expr::Lit(LitValue::Null, at.dtype.clone())],
                    dtype: at.dtype.clone(),
                    deterministic: true,
                })
            };
            let naf = if agg_args(m).iter().all(|c| c.is_foldable()) {
                match m {
                    Expr::Agg { func, args, mode, .. } => {
                        let mut new_args = args.clone();
                        if let Some(first) = new_args.first_mut() {
                            *first = Expr::Func {
                                name: "if".into(),
                                args: vec![Expr::binary(BinOp::Eq, gid.to_expr(), id.clone()), first.clone(), nullify(first)],
                                dtype: first.dtype(),
                                deterministic: true,
                            };
                        }
                        Expr::Agg { func: *func, args: new_args, distinct: false, mode: *mode, filter: None }
                    }
                    o => o.clone(),
                }
            } else {
                patch(m, &within)
            };
            transformations.push((m.clone(), naf));
        }
    }
    // Regular aggregates: computed in the first aggregate, picked in the second.
    let mut first_agg_ops: Vec<Expr> = vec![];
    for e in &regular {
        let lookup = |c: &Expr| r_pairs.iter().find(|(x, _)| semantic_eq(x, c)).map(|(_, at)| at.to_expr());
        let op = patch(e, &lookup).alias(&e.sql(), ctx.ids.next());
        let op_attr = op.to_attribute()?;
        let result = Expr::Agg {
            func: AggFunc::First,
            args: vec![op_attr.to_expr()],
            distinct: false,
            mode: AggMode::Complete,
            filter: Some(Box::new(Expr::binary(BinOp::Eq, gid.to_expr(), Expr::lit_int(0)))),
        };
        let with_default = match e {
            Expr::Agg { func: AggFunc::Count, .. } => Expr::Func {
                name: "coalesce".into(),
                args: vec![result, Expr::Lit(LitValue::Int(0), DataType::Long)],
                dtype: DataType::Long,
                deterministic: true,
            },
            _ => result,
        };
        first_agg_ops.push(op);
        transformations.push(((*e).clone(), with_default));
    }
    let mut projections: Vec<Vec<Expr>> = vec![];
    if !regular.is_empty() {
        let mut row: Vec<Expr> = group.clone();
        row.extend(d_children.iter().map(nullify));
        row.push(Expr::lit_int(0));
        row.extend(r_children.iter().cloned());
        projections.push(row);
    }
    for proj in d_projections {
        let mut row: Vec<Expr> = group.clone();
        row.extend(proj);
        row.extend(r_children.iter().map(nullify));
        projections.push(row);
    }
    let mut expand_out: Vec<Attribute> = group_attrs.clone();
    expand_out.extend(d_attrs.iter().cloned());
    expand_out.push(gid.clone());
    expand_out.extend(r_pairs.iter().map(|(_, at)| at.clone()));
    let expand = LogicalPlan::Expand { projections, output: expand_out, child: child.clone() };
    let mut first_group: Vec<Expr> = group_attrs.iter().map(|at| at.to_expr()).collect();
    first_group.extend(d_attrs.iter().map(|at| at.to_expr()));
    first_group.push(gid.to_expr());
    let mut first_aggs = first_group.clone();
    first_aggs.extend(first_agg_ops);
    let first = LogicalPlan::Aggregate { group: first_group, aggs: first_aggs, child: Box::new(expand) };
    let patched: Vec<Expr> = aggs
        .iter()
        .map(|e| {
            super::expr_util::transform_expr_down(e, &mut |x| {
                if matches!(x, Expr::Alias { .. }) {
                    return None;
                }
                if let Some((_, at)) = group_by.iter().find(|(g, _)| semantic_eq(g, x)) {
                    return Some(at.to_expr());
                }
                transformations.iter().find(|(k, _)| k == x).map(|(_, v)| v.clone())
            })
        })
        .collect();
    Some(LogicalPlan::Aggregate { group: group_attrs.iter().map(|at| at.to_expr()).collect(), aggs: patched, child: Box::new(first) })
}

impl OptimizerRule for RewriteDistinctAggregates {
    fn name(&self) -> &'static str {
        "RewriteDistinctAggregates"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut |n| rewrite(n, ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    fn agg(func: AggFunc, arg: Expr, distinct: bool) -> Expr {
        Expr::Agg { func, args: vec![arg], distinct, mode: AggMode::Complete, filter: None }
    }

    #[test]
    fn two_distinct_groups_expand() {
        let t = relation("t", &["k", "a", "b", "c"], 1);
        let p = LogicalPlan::Aggregate {
            group: vec![col(&t, "k")],
            aggs: vec![
                col(&t, "k"),
                agg(AggFunc::Count, col(&t, "a"), true).alias("da", 10),
                agg(AggFunc::Count, col(&t, "b"), true).alias("db", 11),
                agg(AggFunc::Sum, col(&t, "c"), false).alias("sc", 12),
            ],
            child: Box::new(t.clone()),
        };
        let out = run(&RewriteDistinctAggregates, &p);
        let text = out.to_string();
        assert!(text.contains("Expand [[k#1, null, null, 0, c#4], [k#1, a#2, null, 1, null], [k#1, null, b#3, 2, null]]"), "{text}");
        assert!(text.contains("count(if((gid#1000 = 1), a#1001, null)) AS da#10L"), "{text}");
        assert_eq!(out.output().iter().map(|a| a.id).collect::<Vec<_>>(), vec![1, 10, 11, 12]);
        // One distinct group is left alone.
        let single = LogicalPlan::Aggregate {
            group: vec![],
            aggs: vec![agg(AggFunc::Count, col(&t, "a"), true).alias("da", 10), agg(AggFunc::Sum, col(&t, "a"), true).alias("s", 11)],
            child: Box::new(t),
        };
        assert_eq!(run(&RewriteDistinctAggregates, &single), single);
    }
}
