//! Expression helpers the optimizer rules share, named after Catalyst's (`PredicateHelper`,
//! `AliasHelper`, `ExpressionSet`, `NullIntolerant`): attribute sets by expression id, alias maps and
//! alias substitution, semantic (canonical) equality, conjunct splitting. Knows expressions only; nothing
//! here looks at a plan beyond the subquery plans an expression holds.

use crate::logical::expr::{split_conjuncts, Attribute, BinOp, Expr, ExprId, SubqueryExpr};
use std::collections::{BTreeMap, BTreeSet};

/// Catalyst's `AttributeSet`: attributes identified by expression id.
pub type AttrSet = BTreeSet<ExprId>;

/// The attributes an expression reads (Catalyst's `references`): its `Attr`s plus the outer attributes
/// a correlated subquery refers to. `OuterRef`s inside a subquery plan are not references of the
/// subquery's own plan.
pub fn refs(e: &Expr) -> AttrSet {
    let mut out = AttrSet::new();
    collect_refs(e, &mut out);
    out
}

fn collect_refs(e: &Expr, out: &mut AttrSet) {
    match e {
        Expr::Attr(a) => {
            out.insert(a.id);
        }
        Expr::ScalarSubquery(s) | Expr::Exists(s) => out.extend(s.outer_refs.iter().map(|a| a.id)),
        Expr::InSubquery { values, sub } => {
            for v in values {
                collect_refs(v, out);
            }
            out.extend(sub.outer_refs.iter().map(|a| a.id));
        }
        _ => {
            for c in e.children() {
                collect_refs(c, out);
            }
        }
    }
}

/// The references of several expressions.
pub fn refs_all<'a>(es: impl IntoIterator<Item = &'a Expr>) -> AttrSet {
    let mut out = AttrSet::new();
    for e in es {
        collect_refs(e, &mut out);
    }
    out
}

pub fn attr_set(attrs: &[Attribute]) -> AttrSet {
    crate::sort::set_of(attrs.iter().map(|a| a.id))
}

pub fn subset(a: &AttrSet, b: &AttrSet) -> bool {
    a.is_subset(b)
}

/// The output attribute id of a named expression (`Attr` or `Alias`).
pub fn named_id(e: &Expr) -> Option<ExprId> {
    match e {
        Expr::Attr(a) => Some(a.id),
        Expr::Alias { id, .. } => Some(*id),
        _ => None,
    }
}

/// Catalyst's `getAliasMap(project)`: alias id → aliased expression (the alias's child).
pub fn alias_map(list: &[Expr]) -> BTreeMap<ExprId, Expr> {
    crate::sort::map_of(
        list.iter()
        .filter_map(|e| match e {
            Expr::Alias { child, id, .. } => Some((*id, (**child).clone())),
            _ => None,
        })
    )
}

/// Catalyst's `getAliasMap(aggregate)`: only aliases that contain no aggregate function.
pub fn agg_alias_map(list: &[Expr]) -> BTreeMap<ExprId, Expr> {
    crate::sort::map_of(
        list.iter()
        .filter_map(|e| match e {
            Expr::Alias { child, id, .. } if !child.contains_agg() => Some((*id, (**child).clone())),
            _ => None,
        })
    )
}

/// Catalyst's `replaceAlias`: every attribute that an alias defines is replaced by the aliased expression.
pub fn replace_alias(e: &Expr, map: &BTreeMap<ExprId, Expr>) -> Expr {
    if map.is_empty() {
        return e.clone();
    }
    e.transform_up(&mut |x| match x {
        Expr::Attr(a) => match map.get(&a.id) {
            Some(r) => r.clone(),
            None => Expr::Attr(a),
        },
        o => o,
    })
}

/// Catalyst's `replaceAliasButKeepName`: like `replace_alias`, but a top-level attribute that names an
/// alias becomes that alias (keeping the attribute's name), so the result is still a named expression.
pub fn replace_alias_keep_name(e: &Expr, map: &BTreeMap<ExprId, Expr>) -> Expr {
    match e {
        Expr::Attr(a) => match map.get(&a.id) {
            Some(r) => Expr::Alias { child: Box::new(r.clone()), name: a.name.clone(), id: a.id },
            None => e.clone(),
        },
        Expr::Alias { child, name, id } => {
            Expr::Alias { child: Box::new(replace_alias(child, map)), name: name.clone(), id: *id }
        }
        other => replace_alias(other, map),
    }
}

/// Replaces attributes by id with other expressions.
pub fn replace_attrs(e: &Expr, map: &BTreeMap<ExprId, Expr>) -> Expr {
    replace_alias(e, map)
}

/// Catalyst's `splitConjunctivePredicates`.
pub fn conjuncts(e: &Expr) -> Vec<Expr> {
    split_conjuncts(e)
}

/// Splits a disjunction (`a OR b OR c`).
pub fn disjuncts(e: &Expr) -> Vec<Expr> {
    match e {
        Expr::Binary { op: BinOp::Or, left, right } => {
            let mut v = disjuncts(left);
            v.extend(disjuncts(right));
            v
        }
        e => vec![e.clone()],
    }
}

/// `reduceLeft(And)`.
pub fn and_all(parts: Vec<Expr>) -> Option<Expr> {
    crate::logical::expr::conjoin(parts)
}

/// `reduceLeft(Or)`.
pub fn or_all(parts: Vec<Expr>) -> Option<Expr> {
    let mut it = parts.into_iter();
    let first = it.next()?;
    Some(it.fold(first, |a, b| Expr::binary(BinOp::Or, a, b)))
}

/// The canonical form Catalyst compares expressions by (`semanticEquals`): attributes by id only,
/// operands of commutative operators ordered, `b > a` written as `a < b`.
pub fn canonical(e: &Expr) -> Expr {
    e.transform_up(&mut |x| match x {
        Expr::Attr(a) => Expr::Attr(Attribute { name: String::new(), id: a.id, dtype: a.dtype, nullable: false, qualifier: vec![] }),
        Expr::OuterRef(a) => {
            Expr::OuterRef(Attribute { name: String::new(), id: a.id, dtype: a.dtype, nullable: false, qualifier: vec![] })
        }
        Expr::Alias { child, id, .. } => Expr::Alias { child, name: String::new(), id },
        Expr::Binary { op, left, right } => {
            let commutative = matches!(
                op,
                BinOp::Add | BinOp::Mul | BinOp::Eq | BinOp::NullSafeEq | BinOp::And | BinOp::Or | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
            );
            let ordered = order_key(&left) <= order_key(&right);
            if commutative && !ordered {
                Expr::Binary { op, left: right, right: left }
            } else if matches!(op, BinOp::Gt | BinOp::GtEq | BinOp::Lt | BinOp::LtEq) && !ordered {
                Expr::Binary { op: op.flip(), left: right, right: left }
            } else {
                Expr::Binary { op, left, right }
            }
        }
        o => o,
    })
}

fn order_key(e: &Expr) -> String {
    key_text(e)
}

/// A structural text of an expression: Spark's printing with ids, plus literal types (which that
/// printing leaves out). Not `Debug`: derived `Debug` of every plan type would weigh on the wasm build.
fn key_text(e: &Expr) -> String {
    let mut s = e.spark();
    e.walk(&mut |x| {
        if let Expr::Lit(_, t) = x {
            s.push('|');
            s.push_str(&t.to_string());
        }
    });
    s
}

/// A key that is equal for semantically equal expressions.
pub fn semantic_key(e: &Expr) -> String {
    key_text(&canonical(e))
}

pub fn semantic_eq(a: &Expr, b: &Expr) -> bool {
    a == b || semantic_key(a) == semantic_key(b)
}

/// Catalyst's `ExpressionSet`: semantically distinct expressions, in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExprSet {
    items: Vec<Expr>,
    keys: BTreeSet<String>,
}

impl ExprSet {
    pub fn new() -> ExprSet {
        ExprSet::default()
    }
    pub fn from_exprs(es: impl IntoIterator<Item = Expr>) -> ExprSet {
        let mut s = ExprSet::new();
        for e in es {
            s.insert(e);
        }
        s
    }
    /// Adds `e` unless a semantically equal expression is present; true when added.
    pub fn insert(&mut self, e: Expr) -> bool {
        let k = semantic_key(&e);
        if self.keys.insert(k) {
            self.items.push(e);
            true
        } else {
            false
        }
    }
    pub fn contains(&self, e: &Expr) -> bool {
        self.keys.contains(&semantic_key(e))
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Expr>) {
        for e in other {
            self.insert(e);
        }
    }
    pub fn union(&self, other: &ExprSet) -> ExprSet {
        let mut s = self.clone();
        s.extend(other.items.iter().cloned());
        s
    }
    /// `self -- other`, keeping the order of `self`.
    pub fn minus(&self, other: &ExprSet) -> ExprSet {
        ExprSet::from_exprs(self.items.iter().filter(|e| !other.contains(e)).cloned())
    }
    pub fn intersect(&self, other: &ExprSet) -> ExprSet {
        ExprSet::from_exprs(self.items.iter().filter(|e| other.contains(e)).cloned())
    }
    pub fn retain(&mut self, f: impl Fn(&Expr) -> bool) {
        let kept: Vec<Expr> = self.items.drain(..).filter(|e| f(e)).collect();
        *self = ExprSet::from_exprs(kept);
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Expr> {
        self.items.iter()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn to_vec(&self) -> Vec<Expr> {
        self.items.clone()
    }
}

/// Catalyst's `NullIntolerant`: the expression is null whenever any input is null.
pub fn null_intolerant(e: &Expr) -> bool {
    match e {
        Expr::Binary { op, .. } => !matches!(op, BinOp::And | BinOp::Or | BinOp::NullSafeEq | BinOp::Concat),
        Expr::Not(_) | Expr::Neg(_) | Expr::Cast { .. } | Expr::Like { .. } => true,
        Expr::Func { name, .. } => matches!(
            name.as_str(),
            "upper" | "lower" | "length" | "char_length" | "abs" | "substring" | "substr" | "year" | "month"
                | "dayofmonth" | "day" | "dayofweek" | "dayofyear" | "hour" | "minute" | "second" | "quarter"
                | "weekofyear" | "date_add" | "date_sub" | "datediff" | "trim" | "ltrim" | "rtrim" | "StartsWith"
                | "EndsWith" | "Contains" | "sqrt" | "exp" | "log" | "ln" | "floor" | "ceil" | "pmod" | "split"
                | "md5" | "sha1" | "sha2" | "hash" | "instr" | "to_date" | "UnscaledValue" | "MakeDecimal"
        ),
        _ => false,
    }
}

/// True for a correlated subquery expression anywhere inside `e`.
pub fn has_correlated_subquery(e: &Expr) -> bool {
    e.any(&|x| match x {
        Expr::ScalarSubquery(s) | Expr::Exists(s) | Expr::InSubquery { sub: s, .. } => is_correlated(s),
        _ => false,
    })
}

pub fn is_correlated(s: &SubqueryExpr) -> bool {
    !s.outer_refs.is_empty() || plan_has_outer_ref(&s.plan)
}

/// True when a plan's expressions refer to an outer query (`OuterRef`).
pub fn plan_has_outer_ref(p: &crate::logical::LogicalPlan) -> bool {
    p.any_node(&|n| n.expressions().iter().any(|e| e.any(&|x| matches!(x, Expr::OuterRef(_)))))
}

/// True for a subquery expression anywhere inside `e`.
pub fn has_subquery(e: &Expr) -> bool {
    e.contains_subquery() || e.any(&|x| matches!(x, Expr::DynamicPruning { .. }))
}

/// Subquery plans of the expression (Catalyst's `SubqueryExpression.plan`), outermost first.
pub fn subquery_plans(e: &Expr) -> Vec<&crate::logical::LogicalPlan> {
    let mut out = vec![];
    fn go<'a>(e: &'a Expr, out: &mut Vec<&'a crate::logical::LogicalPlan>) {
        match e {
            Expr::ScalarSubquery(s) | Expr::Exists(s) => out.push(&s.plan),
            Expr::InSubquery { values, sub } => {
                out.push(&sub.plan);
                for v in values {
                    go(v, out);
                }
            }
            Expr::DynamicPruning { key, build_plan, .. } => {
                out.push(build_plan);
                go(key, out);
            }
            _ => {
                for c in e.children() {
                    go(c, out);
                }
            }
        }
    }
    go(e, &mut out);
    out
}

/// Top-down expression rewrite with Catalyst's `transformDown` semantics: `f` sees a node first; the
/// children of whatever it returns are then visited. `None` from `f` keeps the node.
pub fn transform_expr_down(e: &Expr, f: &mut dyn FnMut(&Expr) -> Option<Expr>) -> Expr {
    let me = f(e).unwrap_or_else(|| e.clone());
    me.map_children(&mut |c| transform_expr_down(c, f))
}

/// `true` / `false` literal tests.
pub fn is_true(e: &Expr) -> bool {
    matches!(e, Expr::Lit(crate::logical::expr::LitValue::Bool(true), _))
}
pub fn is_false(e: &Expr) -> bool {
    matches!(e, Expr::Lit(crate::logical::expr::LitValue::Bool(false), _))
}
pub fn is_null_lit(e: &Expr) -> bool {
    matches!(e, Expr::Lit(crate::logical::expr::LitValue::Null, _))
}

/// Catalyst's `canEvaluateWithinJoin`: may this predicate be part of a join condition?
pub fn can_evaluate_within_join(e: &Expr) -> bool {
    match e {
        e if !e.is_deterministic() => false,
        Expr::InSubquery { .. } | Expr::Exists(_) => false,
        Expr::ScalarSubquery(s) => !is_correlated(s),
        Expr::Attr(_) => true,
        Expr::Udf { python: true, .. } => true,
        Expr::Agg { .. } | Expr::Window { .. } | Expr::WindowFunc { .. } | Expr::Star { .. } => false,
        Expr::DynamicPruning { .. } => false,
        e => e.children().iter().all(|c| can_evaluate_within_join(c)),
    }
}

/// Catalyst's `PredicateHelper.isLikelySelective`.
pub fn is_likely_selective(e: &Expr) -> bool {
    match e {
        Expr::Not(c) => is_likely_selective(c),
        Expr::Binary { op: BinOp::And, left, right } => is_likely_selective(left) || is_likely_selective(right),
        Expr::Binary { op: BinOp::Or, left, right } => is_likely_selective(left) && is_likely_selective(right),
        Expr::Binary { op, .. } if op.is_comparison() => true,
        Expr::Like { .. } | Expr::In { .. } | Expr::InSubquery { .. } => true,
        Expr::Func { name, .. } => matches!(name.as_str(), "StartsWith" | "EndsWith" | "Contains" | "rlike"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::types::DataType;

    fn a(id: ExprId) -> Expr {
        Expr::Attr(Attribute { name: format!("c{id}"), id, dtype: DataType::Int, nullable: true, qualifier: vec![] })
    }

    #[test]
    fn semantic_equality_ignores_operand_order_and_names() {
        let x = Expr::binary(BinOp::Eq, a(1), a(2));
        let y = Expr::binary(BinOp::Eq, a(2), a(1));
        assert!(semantic_eq(&x, &y));
        let g = Expr::binary(BinOp::Gt, a(1), Expr::lit_int(5));
        let l = Expr::binary(BinOp::Lt, Expr::lit_int(5), a(1));
        assert!(semantic_eq(&g, &l));
        let mut s = ExprSet::new();
        assert!(s.insert(x));
        assert!(!s.insert(y));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn references_include_subquery_outer_attributes() {
        let sub = SubqueryExpr {
            plan: Box::new(crate::logical::LogicalPlan::LocalRelation { output: vec![], rows: 0 }),
            outer_refs: vec![Attribute { name: "o".into(), id: 9, dtype: DataType::Int, nullable: true, qualifier: vec![] }],
            id: 100,
        };
        let e = Expr::and(Expr::Exists(sub), Expr::binary(BinOp::Gt, a(1), Expr::lit_int(0)));
        assert_eq!(refs(&e).into_iter().collect::<Vec<_>>(), vec![1, 9]);
    }

    #[test]
    fn alias_replacement_keeps_names() {
        let list = vec![Expr::binary(BinOp::Add, a(1), Expr::lit_int(1)).alias("x", 7)];
        let m = alias_map(&list);
        let up = Expr::Attr(Attribute { name: "y".into(), id: 7, dtype: DataType::Int, nullable: true, qualifier: vec![] });
        assert_eq!(replace_alias_keep_name(&up, &m).spark(), "(c1#1 + 1) AS y#7");
    }
}
