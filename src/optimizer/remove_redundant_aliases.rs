//! `RemoveRedundantAliases`: drops an alias that only renames an attribute to its own name
//! (`a#1 AS a#7` → `a#1`) in a Project, Aggregate or Window, and rewrites every reference above to the
//! surviving attribute. Aliases that keep a self-join's two sides apart (their attribute is produced on
//! the other side) are kept. Knows plans only.

use super::expr_util::AttrSet;
use super::plan_util::output_set;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{Attribute, Expr, ExprId};
use crate::logical::plan::LogicalPlan;
use std::collections::BTreeMap;

pub struct RemoveRedundantAliases;

fn has_alias(p: &LogicalPlan) -> bool {
    p.any_node(&|n| n.expressions().iter().any(|e| e.any(&|x| matches!(x, Expr::Alias { .. }))))
}

/// Old output attribute → new one, for the positions whose id changed.
fn mapping(old: &LogicalPlan, new: &LogicalPlan, into: &mut BTreeMap<ExprId, Attribute>) {
    for (a, b) in old.output().iter().zip(new.output()) {
        if a.id != b.id {
            into.entry(a.id).or_insert(b);
        }
    }
}

fn rewrite_refs(e: &Expr, m: &BTreeMap<ExprId, Attribute>) -> Expr {
    if m.is_empty() {
        return e.clone();
    }
    e.transform_up(&mut |x| match x {
        Expr::Attr(a) => match m.get(&a.id) {
            Some(n) => Expr::Attr(Attribute { name: a.name.clone(), ..n.clone() }),
            None => Expr::Attr(a),
        },
        o => o,
    })
}

fn remove_alias(e: &Expr, excluded: &AttrSet) -> Expr {
    match e {
        Expr::Alias { child, name, id } => match child.as_ref() {
            Expr::Attr(a) if a.name == *name && !excluded.contains(&a.id) && !excluded.contains(id) => Expr::Attr(a.clone()),
            _ => e.clone(),
        },
        _ => e.clone(),
    }
}

fn remove(p: &LogicalPlan, excluded: &AttrSet) -> LogicalPlan {
    if !has_alias(p) {
        return p.clone();
    }
    match p {
        LogicalPlan::Join { left, right, join_type, cond, hint, null_aware } => {
            let mut ex_l = excluded.clone();
            ex_l.extend(output_set(right));
            let nl = remove(left, &ex_l);
            let mut ex_r = excluded.clone();
            ex_r.extend(output_set(&nl));
            let nr = remove(right, &ex_r);
            let mut m = BTreeMap::new();
            mapping(left, &nl, &mut m);
            mapping(right, &nr, &mut m);
            LogicalPlan::Join {
                left: Box::new(nl),
                right: Box::new(nr),
                join_type: *join_type,
                cond: cond.as_ref().map(|c| rewrite_refs(c, &m)),
                hint: hint.clone(),
                null_aware: *null_aware,
            }
        }
        _ => {
            let kids = p.children();
            let mut m = BTreeMap::new();
            let node = if kids.is_empty() {
                p.clone()
            } else {
                let new_kids: Vec<LogicalPlan> = kids
                    .iter()
                    .map(|c| {
                        let nc = remove(c, excluded);
                        mapping(c, &nc, &mut m);
                        nc
                    })
                    .collect();
                p.with_children(new_kids)
            };
            let cleans = matches!(p, LogicalPlan::Project { .. } | LogicalPlan::Aggregate { .. } | LogicalPlan::Window { .. });
            node.into_map_expressions(&mut |e| {
                let r = rewrite_refs(e, &m);
                if cleans {
                    remove_alias(&r, excluded)
                } else {
                    r
                }
            })
        }
    }
}

impl OptimizerRule for RemoveRedundantAliases {
    fn name(&self) -> &'static str {
        "RemoveRedundantAliases"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        if !has_alias(plan) {
            return None;
        }
        let out = remove(plan, &AttrSet::new());
        if out == *plan {
            None
        } else {
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn same_name_alias_is_dropped_and_references_follow() {
        let t = relation("t", &["a", "b"], 1);
        let lower = project(vec![col(&t, "a").alias("a", 10), col(&t, "b").alias("renamed", 11)], t.clone());
        let a10 = lower.output()[0].to_expr();
        let upper = filter(gt(a10, Expr::lit_int(1)), lower);
        assert_eq!(
            run(&RemoveRedundantAliases, &upper).to_string(),
            "Filter (a#1 > 1)\n+- Project [a#1, b#2 AS renamed#11]\n   +- Relation [a#1,b#2] parquet\n"
        );
    }
}
