//! Plan helpers the optimizer rules share: Catalyst's tree traversals with "did anything change"
//! (`transformDown`, `transformUp`, `transformExpressions`, with pattern pruning), a node's `references` / `outputSet` /
//! `inputSet`, `maxRows`, and ColumnPruning's `prunedChild`. Knows plan shapes only, no rule.

use super::expr_util::{attr_set, named_id, refs, refs_all, AttrSet};
use crate::logical::expr::{Attribute, Expr};
use crate::logical::plan::{JoinType, LogicalPlan};

/// Catalyst's `transformDown`: `f` sees a node before its children; the children of whatever it returns
/// are visited next. Returns `None` when nothing changed.
pub fn transform_down(plan: &LogicalPlan, f: &mut dyn FnMut(&LogicalPlan) -> Option<LogicalPlan>) -> Option<LogicalPlan> {
    let me = f(plan);
    let node = me.as_ref().unwrap_or(plan);
    match rewrite_children(node, &mut |c| transform_down(c, f)) {
        Some(n) => Some(n),
        None => me,
    }
}

/// Catalyst's `transformUp`: children first, then `f` on the rebuilt node. `None` when nothing changed.
pub fn transform_up(plan: &LogicalPlan, f: &mut dyn FnMut(&LogicalPlan) -> Option<LogicalPlan>) -> Option<LogicalPlan> {
    let rebuilt = rewrite_children(plan, &mut |c| transform_up(c, f));
    let node = rebuilt.as_ref().unwrap_or(plan);
    match f(node) {
        Some(n) => Some(n),
        None => rebuilt,
    }
}

/// Applies `f` to each child; rebuilds the node only if some child changed.
pub fn rewrite_children(node: &LogicalPlan, f: &mut dyn FnMut(&LogicalPlan) -> Option<LogicalPlan>) -> Option<LogicalPlan> {
    let kids = node.children();
    if kids.is_empty() {
        return None;
    }
    let mut changed = false;
    let mut new = Vec::with_capacity(kids.len());
    for c in kids {
        match f(c) {
            Some(n) => {
                changed = true;
                new.push(n);
            }
            None => new.push(c.clone()),
        }
    }
    if changed {
        Some(node.with_children(new))
    } else {
        None
    }
}

/// Rewrites one node's own expressions; `f` returns `None` to keep an expression. `None` when unchanged.
pub fn map_node_exprs(node: &LogicalPlan, f: &mut dyn FnMut(&Expr) -> Option<Expr>) -> Option<LogicalPlan> {
    let mut changed = false;
    // Shallow: most nodes do not change, and the children are copied only for those that do.
    let out = node.map_expressions_shallow(&mut |e| match f(e) {
        Some(n) if n != *e => {
            changed = true;
            n
        }
        _ => e.clone(),
    });
    if changed {
        Some(out.into_with_children(node.children().into_iter().cloned().collect()))
    } else {
        None
    }
}

/// Catalyst's `transformAllExpressions` (without descending into subquery plans): `f` on every
/// expression of every node, bottom-up over nodes.
pub fn transform_all_exprs(plan: &LogicalPlan, f: &mut dyn FnMut(&Expr) -> Option<Expr>) -> Option<LogicalPlan> {
    transform_up(plan, &mut |p| map_node_exprs(p, f))
}

/// Catalyst's `transformAllExpressionsWithPruning(_.containsPattern(…))`: `f` bottom-up over every
/// expression (of every node) that holds a sub-expression `has` matches; `None` when nothing changed.
pub fn rewrite_exprs_holding(plan: &LogicalPlan, has: &dyn Fn(&Expr) -> bool, f: &mut dyn FnMut(Expr) -> Expr) -> Option<LogicalPlan> {
    transform_all_exprs(plan, &mut |e| {
        if !e.any(has) {
            return None;
        }
        let out = e.transform_up(f);
        (out != *e).then_some(out)
    })
}

pub fn output_set(p: &LogicalPlan) -> AttrSet {
    attr_set(&p.output())
}

/// Catalyst's `inputSet`: the union of the children's outputs.
pub fn input_set(p: &LogicalPlan) -> AttrSet {
    let mut s = AttrSet::new();
    for c in p.children() {
        s.extend(output_set(c));
    }
    s
}

/// Attributes a node produces itself (Catalyst's `producedAttributes`).
pub fn produced(p: &LogicalPlan) -> AttrSet {
    use LogicalPlan::*;
    match p {
        Window { window_exprs, .. } => crate::sort::set_of(window_exprs.iter().filter_map(named_id)),
        Generate { generator_output, .. } => attr_set(generator_output),
        // Spark: `output diff child.output` (the expand output may reuse the child's ids).
        Expand { output, child, .. } => crate::sort::set_of(attr_set(output).difference(&output_set(child)).cloned()),
        EvalPython { results, .. } => attr_set(results),
        _ => AttrSet::new(),
    }
}

/// Catalyst's `references`: what a node's own expressions read, minus what it produces.
pub fn plan_refs(p: &LogicalPlan) -> AttrSet {
    let mut r = match p {
        LogicalPlan::Deduplicate { keys, .. } => attr_set(keys),
        _ => refs_all(p.expressions()),
    };
    for id in produced(p) {
        r.remove(&id);
    }
    r
}

/// ColumnPruning's `prunedChild`: a Project over `c` keeping only the referenced attributes, when `c`
/// produces more than that.
pub fn pruned_child(c: &LogicalPlan, required: &AttrSet) -> LogicalPlan {
    let out = c.output();
    if out.iter().all(|a| required.contains(&a.id)) {
        c.clone()
    } else {
        LogicalPlan::Project {
            exprs: out.iter().filter(|a| required.contains(&a.id)).map(|a| a.to_expr()).collect(),
            child: Box::new(c.clone()),
        }
    }
}

/// Two plans produce the same attributes in the same order (`sameOutput`).
pub fn same_output(a: &[Attribute], b: &[Attribute]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id)
}

/// Catalyst's `maxRows`: an upper bound on the number of rows, when one is known.
pub fn max_rows(p: &LogicalPlan) -> Option<u128> {
    use LogicalPlan::*;
    match p {
        LocalRelation { rows, .. } => Some(*rows as u128),
        Range { start, end, step, .. } => {
            if *step == 0 {
                return Some(0);
            }
            let n = ((*end as i128 - *start as i128) / *step as i128).max(0);
            Some(n as u128)
        }
        GlobalLimit { n, child } => {
            let n = (*n).max(0) as u128;
            Some(max_rows(child).map(|c| c.min(n)).unwrap_or(n))
        }
        // Catalyst's LocalLimit bounds rows per partition only.
        LocalLimit { .. } => None,
        Aggregate { group, child, .. } => {
            if group.is_empty() {
                Some(1)
            } else {
                max_rows(child)
            }
        }
        Project { child, .. }
        | Filter { child, .. }
        | Sort { child, .. }
        | Distinct { child }
        | Deduplicate { child, .. }
        | Window { child, .. }
        | WindowGroupLimit { child, .. }
        | Repartition { child, .. }
        | RepartitionByExpression { child, .. }
        | RebalancePartitions { child, .. }
        | SubqueryAlias { child, .. }
        | View { child, .. }
        | ResolvedHint { child, .. } => max_rows(child),
        Expand { projections, child, .. } => max_rows(child).map(|r| r.saturating_mul(projections.len() as u128)),
        Union { children, .. } => {
            let mut sum: u128 = 0;
            for c in children {
                sum = sum.saturating_add(max_rows(c)?);
            }
            Some(sum)
        }
        Join { left, right, join_type, .. } => match join_type {
            JoinType::Inner | JoinType::Cross | JoinType::FullOuter | JoinType::LeftOuter | JoinType::RightOuter => {
                let (l, r) = (max_rows(left)?, max_rows(right)?);
                let prod = l.saturating_mul(r);
                Some(match join_type {
                    JoinType::LeftOuter => prod.max(l),
                    JoinType::RightOuter => prod.max(r),
                    JoinType::FullOuter => prod.max(l.saturating_add(r)),
                    _ => prod,
                })
            }
            _ => max_rows(left),
        },
        Intersect { left, right, .. } => Some(max_rows(left)?.min(max_rows(right)?)),
        Except { left, .. } => max_rows(left),
        _ => None,
    }
}

/// Catalyst's `maxRowsPerPartition`.
pub fn max_rows_per_partition(p: &LogicalPlan) -> Option<u128> {
    use LogicalPlan::*;
    match p {
        LocalLimit { n, .. } => Some((*n).max(0) as u128),
        Project { child, .. } | Filter { child, .. } | Sort { global: false, child, .. } => max_rows_per_partition(child),
        _ => max_rows(p),
    }
}

/// The plan's leaves (Catalyst's `collectLeaves`).
pub fn leaves(p: &LogicalPlan) -> Vec<&LogicalPlan> {
    let kids = p.children();
    if kids.is_empty() {
        return vec![p];
    }
    kids.into_iter().flat_map(leaves).collect()
}

/// Every expression id a plan defines or reads, its subqueries included (for id collision checks).
pub fn all_ids(p: &LogicalPlan, out: &mut AttrSet) {
    p.walk(&mut |n| {
        out.extend(output_set(n));
        for e in n.expressions() {
            out.extend(refs(e));
            e.walk(&mut |x| match x {
                Expr::ScalarSubquery(s) | Expr::Exists(s) | Expr::InSubquery { sub: s, .. } => all_ids(&s.plan, out),
                _ => {}
            });
        }
        if let LogicalPlan::CteRef { plan, .. } = n {
            all_ids(plan, out);
        }
    });
}

/// An empty relation with the plan's output (`LocalRelation <empty>`).
pub fn empty_like(p: &LogicalPlan) -> LogicalPlan {
    LogicalPlan::LocalRelation { output: p.output(), rows: 0 }
}

pub fn is_empty_relation(p: &LogicalPlan) -> bool {
    matches!(p, LogicalPlan::LocalRelation { rows: 0, .. })
}

/// Rewrites the plans of the subquery expressions (scalar, IN, EXISTS) of every node with `f`
/// (Catalyst's `transformAllExpressions { case s: SubqueryExpression => s.withNewPlan(...) }`).
pub fn transform_subquery_plans(
    plan: &LogicalPlan,
    f: &mut dyn FnMut(&LogicalPlan) -> Option<LogicalPlan>,
) -> Option<LogicalPlan> {
    transform_up(plan, &mut |node| {
        if !node.expressions().iter().any(|e| e.contains_subquery()) {
            return None;
        }
        map_node_exprs(node, &mut |e| {
            let mut changed = false;
            let out = e.transform_up(&mut |x| match x {
                Expr::ScalarSubquery(mut s) => {
                    if let Some(p) = f(&s.plan) {
                        s.plan = Box::new(p);
                        changed = true;
                    }
                    Expr::ScalarSubquery(s)
                }
                Expr::Exists(mut s) => {
                    if let Some(p) = f(&s.plan) {
                        s.plan = Box::new(p);
                        changed = true;
                    }
                    Expr::Exists(s)
                }
                Expr::InSubquery { values, mut sub } => {
                    if let Some(p) = f(&sub.plan) {
                        sub.plan = Box::new(p);
                        changed = true;
                    }
                    Expr::InSubquery { values, sub }
                }
                o => o,
            });
            if changed {
                Some(out)
            } else {
                None
            }
        })
    })
}

/// Catalyst's `DeduplicateRelations` / `newInstance`: a copy of `plan` in which every attribute the
/// plan defines (relation columns, aliases, generator and expand outputs) has a fresh id; `map`
/// receives old id → new id.
pub fn reinstance(
    plan: &LogicalPlan,
    ids: &mut crate::logical::expr::IdGen,
    map: &mut std::collections::BTreeMap<crate::logical::expr::ExprId, crate::logical::expr::ExprId>,
) -> LogicalPlan {
    use LogicalPlan::*;
    let fresh_attrs = |attrs: &[Attribute], ids: &mut crate::logical::expr::IdGen, map: &mut std::collections::BTreeMap<u32, u32>| {
        attrs
            .iter()
            .map(|a| {
                let id = *map.entry(a.id).or_insert_with(|| ids.next());
                Attribute { id, ..a.clone() }
            })
            .collect::<Vec<_>>()
    };
    let rebuilt = match plan {
        _ if plan.children().is_empty() => plan.clone(),
        _ => plan.with_children(plan.children().into_iter().map(|c| reinstance(c, ids, map)).collect()),
    };
    let defined = match rebuilt {
        Relation(mut r) => {
            r.output = fresh_attrs(&r.output, ids, map);
            r.partition_cols = r.partition_cols.iter().map(|id| *map.get(id).unwrap_or(id)).collect();
            Relation(r)
        }
        LocalRelation { output, rows } => LocalRelation { output: fresh_attrs(&output, ids, map), rows },
        Range { start, end, step, splits, output } => {
            Range { start, end, step, splits, output: fresh_attrs(&output, ids, map) }
        }
        InMemoryRelation { output, cached, level, cache_id } => {
            InMemoryRelation { output: fresh_attrs(&output, ids, map), cached, level, cache_id }
        }
        Generate { generator, unrequired_child_index, outer, qualifier, generator_output, child } => {
            Generate { generator, unrequired_child_index, outer, qualifier, generator_output: fresh_attrs(&generator_output, ids, map), child }
        }
        Expand { projections, output, child } => Expand { projections, output: fresh_attrs(&output, ids, map), child },
        EvalPython { udfs, results, arrow, child } => {
            EvalPython { udfs, results: fresh_attrs(&results, ids, map), arrow, child }
        }
        MapPartitions { func, output, child } => MapPartitions { func, output: fresh_attrs(&output, ids, map), child },
        CteRef { name, plan } => CteRef { name, plan: Box::new(reinstance(&plan, ids, map)) },
        other => other,
    };
    defined.map_expressions(&mut |e| {
        e.transform_up(&mut |x| match x {
            Expr::Alias { child, name, id } => {
                let nid = *map.entry(id).or_insert_with(|| ids.next());
                Expr::Alias { child, name, id: nid }
            }
            Expr::Attr(a) => match map.get(&a.id) {
                Some(n) => Expr::Attr(Attribute { id: *n, ..a }),
                None => Expr::Attr(a),
            },
            o => o,
        })
    })
}

/// Ids a plan defines itself (not those it merely reads).
pub fn defined_ids(p: &LogicalPlan) -> AttrSet {
    let mut out = AttrSet::new();
    p.walk(&mut |n| {
        use LogicalPlan::*;
        match n {
            Relation(_) | LocalRelation { .. } | Range { .. } | InMemoryRelation { .. } => out.extend(output_set(n)),
            _ => out.extend(produced(n)),
        }
        for e in n.expressions() {
            e.walk(&mut |x| {
                if let Expr::Alias { id, .. } = x {
                    out.insert(*id);
                }
            });
        }
        if let CteRef { plan, .. } = n {
            out.extend(defined_ids(plan));
        }
    });
    out
}
