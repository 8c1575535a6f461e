//! Constraint propagation as Catalyst does it (`QueryPlanConstraints`, `ConstraintHelper`): the set of
//! predicates known to hold on a node's output rows — its filters, join conditions, alias equalities,
//! `isnotnull` facts inferred from null-intolerant predicates, and equalities substituted into other
//! constraints. InferFiltersFromConstraints, PruneFilters and EliminateOuterJoin read it. Insertion
//! order is kept (Scala's small sets keep it too), which fixes the order of inferred filters.
//! Knows plans and expressions; rewrites nothing.

use super::expr_util::{conjuncts, has_correlated_subquery, null_intolerant, refs, semantic_key, ExprSet};
use super::plan_util::output_set;
use crate::logical::expr::{Attribute, BinOp, Expr};
use crate::logical::plan::{JoinType, LogicalPlan};

/// Catalyst's `constraints`: valid constraints plus inferred ones, restricted to the node's output.
pub fn constraints(p: &LogicalPlan) -> ExprSet {
    let valid = valid_constraints(p);
    let mut all = valid.clone();
    all.extend(infer_additional(&valid).to_vec());
    all.extend(is_not_null_constraints(&valid, &p.output()).to_vec());
    let out = output_set(p);
    all.retain(|c| {
        let r = refs(c);
        !r.is_empty() && r.is_subset(&out) && c.is_deterministic()
    });
    all
}

/// Catalyst's per-operator `validConstraints`.
pub fn valid_constraints(p: &LogicalPlan) -> ExprSet {
    use LogicalPlan::*;
    match p {
        Filter { cond, child } => {
            let mut s = constraints(child);
            s.extend(conjuncts(cond).into_iter().filter(|c| !has_correlated_subquery(c)));
            s
        }
        Project { exprs, child } => alias_constraints(constraints(child), exprs),
        Aggregate { aggs, child, .. } => {
            let non_agg: Vec<Expr> = aggs.iter().filter(|e| !e.contains_agg()).cloned().collect();
            alias_constraints(constraints(child), &non_agg)
        }
        Join { left, right, join_type, cond, .. } => match (join_type, cond) {
            (JoinType::Inner | JoinType::Cross, Some(c)) => {
                let mut s = constraints(left).union(&constraints(right));
                s.extend(conjuncts(c));
                s
            }
            (JoinType::LeftSemi, Some(c)) => {
                let mut s = constraints(left);
                s.extend(conjuncts(c));
                s
            }
            (JoinType::Inner | JoinType::Cross, None) => constraints(left).union(&constraints(right)),
            (JoinType::LeftSemi | JoinType::LeftAnti | JoinType::LeftOuter, _) => constraints(left),
            (JoinType::RightOuter, _) => constraints(right),
            _ => ExprSet::new(),
        },
        Union { children, .. } => {
            let Some(first) = children.first() else { return ExprSet::new() };
            let head = first.output();
            let mut acc: Option<ExprSet> = None;
            for c in children {
                let rewritten = rewrite_to(&constraints(c), &c.output(), &head);
                acc = Some(match acc {
                    None => rewritten,
                    Some(a) => merge_union(&a, &rewritten),
                });
            }
            acc.unwrap_or_default()
        }
        Intersect { left, right, .. } => {
            let r = rewrite_to(&constraints(right), &right.output(), &left.output());
            constraints(left).union(&r)
        }
        Except { left, .. } => constraints(left),
        // Leaves know nothing; other binary nodes neither.
        Relation(_) | LocalRelation { .. } | Range { .. } | CteRef { .. } | InMemoryRelation { .. } => ExprSet::new(),
        // Unary nodes pass their child's constraints on (filtered to their output by `constraints`).
        _ => match p.children().as_slice() {
            [c] => constraints(c),
            _ => ExprSet::new(),
        },
    }
}

/// `UnaryNode.getAllValidConstraints`: the child's constraints, restated for each alias.
fn alias_constraints(child: ExprSet, list: &[Expr]) -> ExprSet {
    let mut all = child;
    for e in list {
        if let Expr::Alias { child: aliased, name, id } = e {
            let attr = Expr::Attr(Attribute {
                name: name.clone(),
                id: *id,
                dtype: aliased.dtype(),
                nullable: aliased.nullable(),
                qualifier: vec![],
            });
            if let Expr::Lit(..) = aliased.as_ref() {
                all.insert(Expr::binary(BinOp::NullSafeEq, attr, (**aliased).clone()));
            } else if aliased.is_deterministic() {
                let key = semantic_key(aliased);
                let restated: Vec<Expr> = all.iter().map(|c| replace_semantic(c, &key, &attr)).collect();
                all.extend(restated);
                all.insert(Expr::binary(BinOp::NullSafeEq, (**aliased).clone(), attr));
            }
        }
    }
    all
}

fn replace_semantic(e: &Expr, key: &str, to: &Expr) -> Expr {
    if semantic_key(e) == key {
        return to.clone();
    }
    e.map_children(&mut |c| replace_semantic(c, key, to))
}

/// Rewrites constraints stated on `from` attributes to the positionally matching `to` attributes.
fn rewrite_to(s: &ExprSet, from: &[Attribute], to: &[Attribute]) -> ExprSet {
    ExprSet::from_exprs(s.iter().map(|c| {
        c.transform_up(&mut |x| match x {
            Expr::Attr(a) => match from.iter().position(|f| f.id == a.id) {
                Some(i) => to.get(i).map(|t| t.to_expr()).unwrap_or(Expr::Attr(a)),
                None => Expr::Attr(a),
            },
            o => o,
        })
    }))
}

/// Union's `merge`: common constraints, plus `(A1 AND ..) OR (B1 AND ..)` for single-attribute ones.
fn merge_union(a: &ExprSet, b: &ExprSet) -> ExprSet {
    let common = a.intersect(b);
    let single = |s: &ExprSet| -> Vec<(u32, Vec<Expr>)> {
        let mut groups: Vec<(u32, Vec<Expr>)> = vec![];
        for c in s.minus(&common).iter() {
            let r = refs(c);
            if r.len() == 1 {
                let id = *r.iter().next().unwrap_or(&0);
                match groups.iter_mut().find(|(g, _)| *g == id) {
                    Some((_, v)) => v.push(c.clone()),
                    None => groups.push((id, vec![c.clone()])),
                }
            }
        }
        groups
    };
    let (ga, gb) = (single(a), single(b));
    let mut out = common;
    let mut ids: Vec<u32> = ga.iter().map(|(g, _)| *g).filter(|g| gb.iter().any(|(h, _)| h == g)).collect();
    crate::sort::sort(&mut ids);
    for id in ids {
        let la = ga.iter().find(|(g, _)| *g == id).map(|(_, v)| v.clone()).unwrap_or_default();
        let lb = gb.iter().find(|(g, _)| *g == id).map(|(_, v)| v.clone()).unwrap_or_default();
        if let (Some(x), Some(y)) = (super::expr_util::and_all(la), super::expr_util::and_all(lb)) {
            out.insert(Expr::binary(BinOp::Or, x, y));
        }
    }
    out
}

/// `inferAdditionalConstraints`: for `a = b` between attributes (or a cast of one), restate the other
/// constraints with `a` and `b` swapped.
pub fn infer_additional(constraints: &ExprSet) -> ExprSet {
    let preds: Vec<Expr> = constraints.iter().filter(|c| !matches!(c, Expr::IsNotNull(_))).cloned().collect();
    let mut inferred = ExprSet::new();
    for (i, eq) in preds.iter().enumerate() {
        let Expr::Binary { op: BinOp::Eq | BinOp::NullSafeEq, left, right } = eq else { continue };
        let others = || preds.iter().enumerate().filter(move |(j, _)| *j != i).map(|(_, c)| c);
        match (left.as_ref(), right.as_ref()) {
            (Expr::Attr(_), Expr::Attr(_)) => {
                inferred.extend(others().map(|c| replace_semantic(c, &semantic_key(left), right)));
                inferred.extend(others().map(|c| replace_semantic(c, &semantic_key(right), left)));
            }
            (Expr::Cast { child, .. }, Expr::Attr(_)) if matches!(child.as_ref(), Expr::Attr(_)) => {
                inferred.extend(others().map(|c| replace_semantic(c, &semantic_key(right), left)));
            }
            (Expr::Attr(_), Expr::Cast { child, .. }) if matches!(child.as_ref(), Expr::Attr(_)) => {
                inferred.extend(others().map(|c| replace_semantic(c, &semantic_key(left), right)));
            }
            _ => {}
        }
    }
    inferred.minus(constraints)
}

/// `constructIsNotNullConstraints`: `isnotnull(x)` for every attribute a null-intolerant constraint
/// reads, and for every non-nullable output attribute.
pub fn is_not_null_constraints(constraints: &ExprSet, output: &[Attribute]) -> ExprSet {
    let mut s = ExprSet::new();
    for c in constraints.iter() {
        let target = match c {
            Expr::IsNotNull(inner) => inner.as_ref(),
            other => other,
        };
        for a in scan_null_intolerant(target) {
            s.insert(Expr::is_not_null(a));
        }
    }
    for a in output.iter().filter(|a| !a.nullable) {
        s.insert(Expr::is_not_null(a.to_expr()));
    }
    s.minus(constraints)
}

fn scan_null_intolerant(e: &Expr) -> Vec<Expr> {
    match e {
        Expr::Attr(_) => vec![e.clone()],
        e if null_intolerant(e) => e.children().into_iter().flat_map(scan_null_intolerant).collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::types::DataType;

    fn attr(id: u32, name: &str) -> Attribute {
        Attribute { name: name.into(), id, dtype: DataType::Int, nullable: true, qualifier: vec![] }
    }

    #[test]
    fn filter_constraints_add_isnotnull_in_order() {
        let (a, b) = (attr(1, "a"), attr(2, "b"));
        let rel = LogicalPlan::LocalRelation { output: vec![a.clone(), b.clone()], rows: 1 };
        let cond = Expr::and(
            Expr::binary(BinOp::GtEq, a.to_expr(), Expr::lit_int(1)),
            Expr::binary(BinOp::Eq, b.to_expr(), Expr::lit_int(2)),
        );
        let f = LogicalPlan::Filter { cond, child: Box::new(rel) };
        let c: Vec<String> = constraints(&f).iter().map(|e| e.spark()).collect();
        assert_eq!(c, vec!["(a#1 >= 1)", "(b#2 = 2)", "isnotnull(a#1)", "isnotnull(b#2)"]);
    }

    #[test]
    fn equalities_propagate_other_constraints() {
        let (a, b) = (attr(1, "a"), attr(2, "b"));
        let s = ExprSet::from_exprs(vec![
            Expr::binary(BinOp::Eq, a.to_expr(), b.to_expr()),
            Expr::binary(BinOp::Gt, a.to_expr(), Expr::lit_int(5)),
        ]);
        let inferred: Vec<String> = infer_additional(&s).iter().map(|e| e.spark()).collect();
        assert_eq!(inferred, vec!["(b#2 > 5)"]);
    }
}
