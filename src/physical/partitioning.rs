//! How rows are spread over partitions, and what operators require of their children: Spark's
//! `Partitioning` (hash / range / single / round-robin / unknown / collection / broadcast), `Distribution`
//! (unspecified / all tuples / clustered / ordered / broadcast), `satisfies`, the shuffle specs that decide
//! whether two join sides are co-partitioned, broadcast modes (`HashJoin.rewriteKeyExpr` key packing) and
//! sort-order satisfaction. Knows expressions only; nothing of plans beyond attribute lists.

use crate::logical::expr::{sort_order_text, Attribute, BinOp, Expr, LitValue, SortOrder};
use crate::logical::types::DataType;

/// Why a shuffle exchange is there (Spark's `ShuffleOrigin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShuffleOrigin {
    EnsureRequirements,
    RepartitionByCol,
    RepartitionByNum,
    RebalancePartitionsByNone,
    RebalancePartitionsByCol,
}

impl ShuffleOrigin {
    pub fn name(self) -> &'static str {
        match self {
            ShuffleOrigin::EnsureRequirements => "ENSURE_REQUIREMENTS",
            ShuffleOrigin::RepartitionByCol => "REPARTITION_BY_COL",
            ShuffleOrigin::RepartitionByNum => "REPARTITION_BY_NUM",
            ShuffleOrigin::RebalancePartitionsByNone => "REBALANCE_PARTITIONS_BY_NONE",
            ShuffleOrigin::RebalancePartitionsByCol => "REBALANCE_PARTITIONS_BY_COL",
        }
    }
}

/// What a `BroadcastExchange` builds.
#[derive(Debug, Clone, PartialEq)]
pub enum BroadcastMode {
    /// A hashed relation on the (packed, bound) build keys; `keys` are their texts (`cast(input[0, int, false] as bigint)`).
    HashedRelation { keys: Vec<String>, null_aware: bool },
    /// The rows as they are (BroadcastNestedLoopJoin).
    Identity,
}

impl BroadcastMode {
    pub fn text(&self) -> String {
        match self {
            BroadcastMode::HashedRelation { keys, null_aware } => {
                format!("HashedRelationBroadcastMode(List({}),{null_aware})", keys.join(", "))
            }
            BroadcastMode::Identity => "IdentityBroadcastMode".into(),
        }
    }

    /// The hashed-relation mode for build keys over the build side's output: keys packed as
    /// `HashJoin.rewriteKeyExpr` does, then bound to input ordinals.
    pub fn hashed(build_keys: &[Expr], build_output: &[Attribute], null_aware: bool) -> BroadcastMode {
        let packed = rewrite_key_expr(build_keys);
        let keys = packed.iter().map(|k| bind(k, build_output).spark()).collect();
        BroadcastMode::HashedRelation { keys, null_aware }
    }
}

/// `HashJoin.rewriteKeyExpr`: integral keys whose widths add up to at most 8 bytes are packed into one
/// bigint (`(shiftleft(cast(a as bigint), 32) | (cast(b as bigint) & 4294967295))`).
pub fn rewrite_key_expr(keys: &[Expr]) -> Vec<Expr> {
    if keys.is_empty()
        || keys.iter().any(|k| !k.dtype().is_integral())
        || keys.iter().map(|k| k.dtype().default_size()).sum::<u64>() > 8
    {
        return keys.to_vec();
    }
    let to_long = |e: &Expr| {
        if e.dtype() == DataType::Long {
            e.clone()
        } else {
            Expr::Cast { child: Box::new(e.clone()), to: DataType::Long }
        }
    };
    let mut acc = to_long(&keys[0]);
    for k in &keys[1..] {
        let bits = k.dtype().default_size() * 8;
        let shifted = Expr::Func {
            name: "shiftleft".into(),
            args: vec![acc, Expr::lit_int(bits as i64)],
            dtype: DataType::Long,
            deterministic: true,
        };
        let mask = Expr::Lit(LitValue::Int(((1u128 << bits) - 1) as i64), DataType::Long);
        let masked = Expr::binary(BinOp::BitAnd, Expr::Cast { child: Box::new(k.clone()), to: DataType::Long }, mask);
        acc = Expr::binary(BinOp::BitOr, shifted, masked);
    }
    vec![acc]
}

/// Replaces attributes with Spark's `BoundReference` text `input[i, type, nullable]`.
pub fn bind(e: &Expr, input: &[Attribute]) -> Expr {
    e.transform_up(&mut |x| match x {
        Expr::Attr(a) => match input.iter().position(|i| i.id == a.id) {
            Some(i) => {
                let b = &input[i];
                Expr::Lit(LitValue::Str(format!("input[{i}, {}, {}]", b.dtype.simple_string(), b.nullable)), b.dtype.clone())
            }
            None => Expr::Attr(a),
        },
        other => other,
    })
}

/// Semantic equality (ids and structure, ignoring qualifiers and nullability): compares Spark texts.
pub fn sem_eq(a: &Expr, b: &Expr) -> bool {
    a.unalias().spark() == b.unalias().spark()
}

#[derive(Debug, Clone, PartialEq)]
pub enum Partitioning {
    Hash { exprs: Vec<Expr>, n: u32 },
    Range { orders: Vec<SortOrder>, n: u32 },
    Single,
    RoundRobin(u32),
    Unknown(u32),
    Collection(Vec<Partitioning>),
    /// A broadcast exchange's output: every partition holds all rows.
    Broadcast(BroadcastMode),
}

/// A child's required distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Unspecified,
    AllTuples,
    Clustered { keys: Vec<Expr>, required_num: Option<u32> },
    Ordered(Vec<SortOrder>),
    Broadcast(BroadcastMode),
}

impl Distribution {
    pub fn clustered(keys: Vec<Expr>) -> Distribution {
        Distribution::Clustered { keys, required_num: None }
    }
    pub fn required_num(&self) -> Option<u32> {
        match self {
            Distribution::AllTuples => Some(1),
            Distribution::Clustered { required_num, .. } => *required_num,
            _ => None,
        }
    }
    /// `Distribution.createPartitioning`.
    pub fn create_partitioning(&self, n: u32) -> Partitioning {
        match self {
            Distribution::AllTuples => Partitioning::Single,
            Distribution::Clustered { keys, .. } => Partitioning::Hash { exprs: keys.clone(), n },
            Distribution::Ordered(orders) => Partitioning::Range { orders: orders.clone(), n },
            Distribution::Unspecified => Partitioning::Unknown(n),
            Distribution::Broadcast(m) => Partitioning::Broadcast(m.clone()),
        }
    }
}

impl Partitioning {
    pub fn num_partitions(&self) -> u32 {
        match self {
            Partitioning::Hash { n, .. } | Partitioning::Range { n, .. } => *n,
            Partitioning::Single => 1,
            Partitioning::RoundRobin(n) | Partitioning::Unknown(n) => *n,
            Partitioning::Collection(ps) => ps.first().map(|p| p.num_partitions()).unwrap_or(0),
            Partitioning::Broadcast(_) => 1,
        }
    }

    /// Spark's text in `Exchange` lines.
    pub fn text(&self) -> String {
        match self {
            Partitioning::Hash { exprs, n } => {
                let mut parts: Vec<String> = exprs.iter().map(|e| e.spark()).collect();
                parts.push(n.to_string());
                format!("hashpartitioning({})", parts.join(", "))
            }
            Partitioning::Range { orders, n } => {
                let mut parts: Vec<String> = orders.iter().map(|o| sort_order_text(o, true)).collect();
                parts.push(n.to_string());
                format!("rangepartitioning({})", parts.join(", "))
            }
            Partitioning::Single => "SinglePartition".into(),
            Partitioning::RoundRobin(n) => format!("RoundRobinPartitioning({n})"),
            Partitioning::Unknown(n) => format!("UnknownPartitioning({n})"),
            Partitioning::Collection(ps) => {
                format!("PartitioningCollection({})", ps.iter().map(|p| p.text()).collect::<Vec<_>>().join(", "))
            }
            Partitioning::Broadcast(m) => format!("BroadcastPartitioning({})", m.text()),
        }
    }

    /// `Partitioning.satisfies`.
    pub fn satisfies(&self, d: &Distribution) -> bool {
        if let Some(n) = d.required_num() {
            if n != self.num_partitions() {
                return false;
            }
        }
        self.satisfies0(d)
    }

    fn satisfies0(&self, d: &Distribution) -> bool {
        if matches!(d, Distribution::Unspecified) {
            return true;
        }
        match self {
            Partitioning::Single => !matches!(d, Distribution::Broadcast(_)),
            Partitioning::Hash { exprs, n } => match d {
                Distribution::AllTuples => *n == 1,
                Distribution::Clustered { keys, .. } => {
                    !exprs.is_empty() && exprs.iter().all(|x| keys.iter().any(|k| sem_eq(k, x)))
                }
                _ => false,
            },
            Partitioning::Range { orders, n } => match d {
                Distribution::AllTuples => *n == 1,
                Distribution::Ordered(required) => {
                    let m = required.len().min(orders.len());
                    required[..m].iter().zip(orders[..m].iter()).all(|(a, b)| order_eq(a, b))
                }
                Distribution::Clustered { keys, .. } => {
                    orders.iter().all(|o| keys.iter().any(|k| sem_eq(k, &o.expr)))
                }
                _ => false,
            },
            Partitioning::Collection(ps) => ps.iter().any(|p| p.satisfies0(d)),
            Partitioning::Broadcast(m) => matches!(d, Distribution::Broadcast(x) if x == m),
            Partitioning::RoundRobin(n) | Partitioning::Unknown(n) => matches!(d, Distribution::AllTuples) && *n == 1,
        }
    }

    /// Renames/projects the partitioning through an output list (`AliasAwareOutputExpression`):
    /// attributes aliased in `exprs` are renamed; partitionings over attributes not in the output are lost.
    pub fn project(&self, exprs: &[Expr]) -> Partitioning {
        let n = self.num_partitions();
        match self {
            Partitioning::Collection(ps) => {
                let kept: Vec<Partitioning> =
                    ps.iter().map(|p| p.project(exprs)).filter(|p| !matches!(p, Partitioning::Unknown(_))).collect();
                match kept.len() {
                    0 => Partitioning::Unknown(n),
                    1 => kept.into_iter().next().unwrap_or(Partitioning::Unknown(n)),
                    _ => Partitioning::Collection(kept),
                }
            }
            Partitioning::Hash { exprs: keys, n } => {
                match keys.iter().map(|k| project_expr(k, exprs)).collect::<Option<Vec<_>>>() {
                    Some(ks) => Partitioning::Hash { exprs: ks, n: *n },
                    None => Partitioning::Unknown(*n),
                }
            }
            Partitioning::Range { orders, n } => {
                match orders
                    .iter()
                    .map(|o| project_expr(&o.expr, exprs).map(|e| SortOrder { expr: e, ..o.clone() }))
                    .collect::<Option<Vec<_>>>()
                {
                    Some(os) => Partitioning::Range { orders: os, n: *n },
                    None => Partitioning::Unknown(*n),
                }
            }
            other => other.clone(),
        }
    }

    /// Renames attributes by position (`from[i]` → `to[i]`), for reused exchanges and cached scans.
    pub fn rename(&self, from: &[Attribute], to: &[Attribute]) -> Partitioning {
        let f = |e: &Expr| rename_expr(e, from, to);
        match self {
            Partitioning::Hash { exprs, n } => Partitioning::Hash { exprs: exprs.iter().map(f).collect(), n: *n },
            Partitioning::Range { orders, n } => Partitioning::Range {
                orders: orders.iter().map(|o| SortOrder { expr: f(&o.expr), ..o.clone() }).collect(),
                n: *n,
            },
            Partitioning::Collection(ps) => Partitioning::Collection(ps.iter().map(|p| p.rename(from, to)).collect()),
            other => other.clone(),
        }
    }
}

fn rename_expr(e: &Expr, from: &[Attribute], to: &[Attribute]) -> Expr {
    e.transform_up(&mut |x| match x {
        Expr::Attr(a) => match from.iter().position(|f| f.id == a.id) {
            Some(i) if i < to.len() => Expr::Attr(to[i].clone()),
            _ => Expr::Attr(a),
        },
        other => other,
    })
}

/// An expression over a child's attributes re-expressed over a projection's output, if possible.
pub fn project_expr(e: &Expr, exprs: &[Expr]) -> Option<Expr> {
    // The whole expression may be aliased.
    for out in exprs {
        if let Expr::Alias { child, name, id } = out {
            if sem_eq(child, e) {
                return Some(Expr::Attr(Attribute {
                    name: name.clone(),
                    id: *id,
                    dtype: child.dtype(),
                    nullable: child.nullable(),
                    qualifier: vec![],
                }));
            }
        }
    }
    let output: Vec<Attribute> = exprs.iter().filter_map(|x| x.to_attribute()).collect();
    let refs = e.references();
    if refs.iter().all(|r| output.iter().any(|o| o.id == r.id)) {
        Some(e.clone())
    } else {
        None
    }
}

/// Same expression, direction and null ordering.
pub fn order_eq(a: &SortOrder, b: &SortOrder) -> bool {
    a.ascending == b.ascending && a.nulls_first == b.nulls_first && sem_eq(&a.expr, &b.expr)
}

/// `SortOrder.orderingSatisfies`: the required ordering is a prefix of the provided one.
pub fn ordering_satisfies(provided: &[SortOrder], required: &[SortOrder]) -> bool {
    if required.is_empty() {
        return true;
    }
    if required.len() > provided.len() {
        return false;
    }
    required.iter().zip(provided.iter()).all(|(r, p)| order_eq(r, p))
}

/// A shuffle spec (`HashShuffleSpec`, `SinglePartitionShuffleSpec`, `RangeShuffleSpec`, collections):
/// how a child's partitioning relates to the clustering keys its parent requires.
#[derive(Debug, Clone, PartialEq)]
pub enum ShuffleSpec {
    /// For each hash expression, the positions of the clustering keys it equals.
    Hash { positions: Vec<Vec<usize>>, n: u32, all_keys_matched: bool },
    Single,
    Range { n: u32 },
    Collection(Vec<ShuffleSpec>),
    Other { n: u32 },
}

impl ShuffleSpec {
    pub fn of(p: &Partitioning, clustering: &[Expr]) -> ShuffleSpec {
        match p {
            Partitioning::Hash { exprs, n } => {
                let positions: Vec<Vec<usize>> = exprs
                    .iter()
                    .map(|e| clustering.iter().enumerate().filter(|(_, k)| sem_eq(k, e)).map(|(i, _)| i).collect())
                    .collect();
                let all_keys_matched =
                    exprs.len() == clustering.len() && exprs.iter().zip(clustering.iter()).all(|(a, b)| sem_eq(a, b));
                ShuffleSpec::Hash { positions, n: *n, all_keys_matched }
            }
            Partitioning::Single => ShuffleSpec::Single,
            Partitioning::Range { n, .. } => ShuffleSpec::Range { n: *n },
            Partitioning::Collection(ps) => ShuffleSpec::Collection(ps.iter().map(|x| ShuffleSpec::of(x, clustering)).collect()),
            other => ShuffleSpec::Other { n: other.num_partitions() },
        }
    }

    pub fn num_partitions(&self) -> u32 {
        match self {
            ShuffleSpec::Hash { n, .. } | ShuffleSpec::Range { n } | ShuffleSpec::Other { n } => *n,
            ShuffleSpec::Single => 1,
            ShuffleSpec::Collection(v) => v.first().map(|s| s.num_partitions()).unwrap_or(0),
        }
    }

    /// With `spark.sql.requireAllClusterKeysForCoPartition` (true): a hash spec can dictate the
    /// other side's partitioning only when it hashes on exactly the clustering keys.
    pub fn can_create_partitioning(&self) -> bool {
        match self {
            ShuffleSpec::Hash { all_keys_matched, .. } => *all_keys_matched,
            ShuffleSpec::Collection(v) => v.iter().any(|s| s.can_create_partitioning()),
            _ => false,
        }
    }

    pub fn is_compatible_with(&self, other: &ShuffleSpec) -> bool {
        match (self, other) {
            (ShuffleSpec::Collection(v), o) => v.iter().any(|s| s.is_compatible_with(o)),
            (s, ShuffleSpec::Collection(v)) => v.iter().any(|o| s.is_compatible_with(o)),
            (ShuffleSpec::Single, o) | (o, ShuffleSpec::Single) => o.num_partitions() == 1,
            (ShuffleSpec::Hash { positions: a, n: na, .. }, ShuffleSpec::Hash { positions: b, n: nb, .. }) => {
                na == nb && a == b
            }
            _ => false,
        }
    }

    /// The partitioning the other child must take to be compatible with this spec.
    pub fn create_partitioning(&self, clustering: &[Expr]) -> Option<Partitioning> {
        match self {
            ShuffleSpec::Hash { positions, n, .. } => {
                let exprs: Option<Vec<Expr>> =
                    positions.iter().map(|ps| ps.first().and_then(|i| clustering.get(*i).cloned())).collect();
                exprs.map(|exprs| Partitioning::Hash { exprs, n: *n })
            }
            ShuffleSpec::Collection(v) => v.iter().find(|s| s.can_create_partitioning()).and_then(|s| s.create_partitioning(clustering)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, id: u32, t: DataType, nullable: bool) -> Attribute {
        Attribute { name: name.into(), id, dtype: t, nullable, qualifier: vec![] }
    }

    #[test]
    fn packs_integral_keys_like_rewrite_key_expr() {
        let a = attr("a", 1, DataType::Int, false);
        let b = attr("b", 2, DataType::Int, true);
        let m = BroadcastMode::hashed(&[a.to_expr()], std::slice::from_ref(&a), false);
        assert_eq!(m.text(), "HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false)");
        let m2 = BroadcastMode::hashed(&[a.to_expr(), b.to_expr()], &[a.clone(), b.clone()], false);
        assert_eq!(
            m2.text(),
            "HashedRelationBroadcastMode(List((shiftleft(cast(input[0, int, false] as bigint), 32) | (cast(input[1, int, true] as bigint) & 4294967295))),false)"
        );
        let d = attr("d", 3, DataType::Date, true);
        assert_eq!(BroadcastMode::hashed(&[d.to_expr()], &[d], false).text(), "HashedRelationBroadcastMode(List(input[0, date, true]),false)");
    }

    #[test]
    fn hash_partitioning_satisfies_superset_clustering() {
        let a = attr("a", 1, DataType::Int, true).to_expr();
        let b = attr("b", 2, DataType::Int, true).to_expr();
        let p = Partitioning::Hash { exprs: vec![a.clone()], n: 200 };
        assert!(p.satisfies(&Distribution::clustered(vec![a.clone(), b.clone()])));
        assert!(!p.satisfies(&Distribution::clustered(vec![b.clone()])));
        assert!(!p.satisfies(&Distribution::AllTuples));
        assert!(Partitioning::Single.satisfies(&Distribution::AllTuples));
        assert!(!Partitioning::Unknown(0).satisfies(&Distribution::AllTuples));
    }
}
