//! Spark's `Aggregation` strategy and `AggUtils`: a logical `Aggregate` becomes a partial and a final
//! aggregate (`partial_sum` → Exchange → `sum`), or Spark's four phases for one distinct group
//! (`count(distinct v)`), with aggregation buffers named as Spark names them (`sum`, `count`, `isEmpty`)
//! and the operator chosen from the buffer types: HashAggregate when every buffer field is mutable,
//! ObjectHashAggregate for typed-imperative aggregates (`collect_list`), SortAggregate otherwise.
//! Knows aggregate expressions; nothing of exchanges (EnsureRequirements adds them from the required
//! distributions recorded here).

use super::partitioning::sem_eq;
use super::plan::{AggKind, AggregateExec, Op, SparkPlan};
use crate::logical::expr::{AggFunc, AggMode, Attribute, Expr, IdGen};
use crate::logical::stats::Stats;
use crate::logical::types::DataType;

/// One aggregate expression of the query with its attributes.
struct AggInfo {
    /// The aggregate as written (mode Complete).
    expr: Expr,
    /// `sum(x#1)#131`: the final result attribute.
    result: Attribute,
}

/// Plans a logical `Aggregate` over an already planned child.
pub fn plan_aggregate(
    group: &[Expr],
    aggs: &[Expr],
    child: SparkPlan,
    stats: Option<Stats>,
    ids: &mut IdGen,
) -> SparkPlan {
    // PhysicalAggregation: named grouping expressions.
    let grouping: Vec<Expr> = group
        .iter()
        .map(|g| match g {
            Expr::Attr(_) | Expr::Alias { .. } => g.clone(),
            other => other.clone().alias(&other.spark(), ids.next()),
        })
        .collect();
    let grouping_attrs: Vec<Attribute> = grouping.iter().filter_map(|g| g.to_attribute()).collect();

    // Distinct aggregate expressions, in order of appearance.
    let mut infos: Vec<AggInfo> = vec![];
    for e in aggs {
        e.walk(&mut |x| {
            if let Expr::Agg { .. } = x {
                if !infos.iter().any(|i| sem_eq(&i.expr, x)) {
                    let complete = with_mode(x, AggMode::Complete);
                    let result = Attribute {
                        name: complete.spark(),
                        id: 0,
                        dtype: complete.dtype(),
                        nullable: complete.nullable(),
                        qualifier: vec![],
                    };
                    infos.push(AggInfo { expr: complete, result });
                }
            }
        });
    }
    for i in infos.iter_mut() {
        i.result.id = ids.next();
    }

    // Result expressions over grouping attributes and aggregate result attributes.
    let results: Vec<Expr> = aggs.iter().map(|e| rewrite_result(e, &grouping, &infos)).collect();

    let distinct: Vec<&AggInfo> = infos.iter().filter(|i| is_distinct(&i.expr)).collect();
    let plain: Vec<&AggInfo> = infos.iter().filter(|i| !is_distinct(&i.expr)).collect();
    if distinct.is_empty() {
        plan_without_distinct(&grouping, &grouping_attrs, &plain, results, child, stats, ids)
    } else {
        plan_with_one_distinct(&grouping, &grouping_attrs, &distinct, &plain, results, child, stats, ids)
    }
}

fn is_distinct(e: &Expr) -> bool {
    matches!(e, Expr::Agg { distinct: true, .. })
}

fn with_mode(e: &Expr, m: AggMode) -> Expr {
    match e {
        Expr::Agg { func, args, distinct, filter, .. } => {
            Expr::Agg { func: *func, args: args.clone(), distinct: *distinct, mode: m, filter: filter.clone() }
        }
        other => other.clone(),
    }
}

fn rewrite_result(e: &Expr, grouping: &[Expr], infos: &[AggInfo]) -> Expr {
    if let Expr::Agg { .. } = e {
        if let Some(i) = infos.iter().find(|i| sem_eq(&i.expr, e)) {
            return Expr::Attr(i.result.clone());
        }
    }
    if !matches!(e, Expr::Attr(_) | Expr::Alias { .. }) {
        for g in grouping {
            if let Expr::Alias { child, .. } = g {
                if sem_eq(child, e) {
                    if let Some(a) = g.to_attribute() {
                        return Expr::Attr(a);
                    }
                }
            }
        }
    }
    e.map_children(&mut |c| rewrite_result(c, grouping, infos))
}

/// Spark's aggregation buffer of a function (`aggBufferAttributes`): names and types.
pub fn buffer_fields(func: AggFunc, input: Option<&DataType>) -> Vec<(&'static str, DataType)> {
    match func {
        AggFunc::Count => vec![("count", DataType::Long)],
        AggFunc::Sum => match input {
            Some(DataType::Decimal(p, s)) => {
                vec![("sum", DataType::Decimal((p + 10).min(38), *s)), ("isEmpty", DataType::Boolean)]
            }
            Some(t) if t.is_integral() => vec![("sum", DataType::Long)],
            _ => vec![("sum", DataType::Double)],
        },
        AggFunc::Avg => match input {
            Some(DataType::Decimal(p, s)) => {
                vec![("sum", DataType::Decimal((p + 10).min(38), *s)), ("count", DataType::Long)]
            }
            _ => vec![("sum", DataType::Double), ("count", DataType::Long)],
        },
        AggFunc::Min => vec![("min", input.cloned().unwrap_or(DataType::Null))],
        AggFunc::Max => vec![("max", input.cloned().unwrap_or(DataType::Null))],
        AggFunc::First | AggFunc::AnyValue => {
            vec![("first", input.cloned().unwrap_or(DataType::Null)), ("valueSet", DataType::Boolean)]
        }
        AggFunc::Last => vec![("last", input.cloned().unwrap_or(DataType::Null)), ("valueSet", DataType::Boolean)],
        AggFunc::StddevSamp | AggFunc::VarSamp => {
            vec![("n", DataType::Double), ("avg", DataType::Double), ("m2", DataType::Double)]
        }
        AggFunc::CollectList | AggFunc::CollectSet => vec![("buf", DataType::Binary)],
        // HyperLogLogPlusPlus with the default relativeSD 0.05: 52 words.
        AggFunc::CountDistinctApprox => HLL_WORDS.iter().map(|n| (*n, DataType::Long)).collect(),
    }
}

const HLL_WORDS: [&str; 52] = [
    "MS[0]", "MS[1]", "MS[2]", "MS[3]", "MS[4]", "MS[5]", "MS[6]", "MS[7]", "MS[8]", "MS[9]", "MS[10]", "MS[11]",
    "MS[12]", "MS[13]", "MS[14]", "MS[15]", "MS[16]", "MS[17]", "MS[18]", "MS[19]", "MS[20]", "MS[21]", "MS[22]",
    "MS[23]", "MS[24]", "MS[25]", "MS[26]", "MS[27]", "MS[28]", "MS[29]", "MS[30]", "MS[31]", "MS[32]", "MS[33]",
    "MS[34]", "MS[35]", "MS[36]", "MS[37]", "MS[38]", "MS[39]", "MS[40]", "MS[41]", "MS[42]", "MS[43]", "MS[44]",
    "MS[45]", "MS[46]", "MS[47]", "MS[48]", "MS[49]", "MS[50]", "MS[51]",
];

/// Aggregates implemented imperatively (no whole-stage codegen for their HashAggregate).
pub fn is_imperative(func: AggFunc) -> bool {
    matches!(func, AggFunc::CountDistinctApprox | AggFunc::CollectList | AggFunc::CollectSet)
}

/// `TypedImperativeAggregate`s (object buffers).
fn is_typed_imperative(func: AggFunc) -> bool {
    matches!(func, AggFunc::CollectList | AggFunc::CollectSet)
}

/// `UnsafeRow.isMutable`: fixed-width types a hash map buffer can update in place.
fn is_mutable(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Null
            | DataType::Boolean
            | DataType::Byte
            | DataType::Short
            | DataType::Int
            | DataType::Long
            | DataType::Float
            | DataType::Double
            | DataType::Date
            | DataType::Timestamp
            | DataType::Decimal(..)
    )
}

fn func_of(e: &Expr) -> Option<(AggFunc, Option<DataType>)> {
    match e {
        Expr::Agg { func, args, .. } => Some((*func, args.first().map(|a| a.dtype()))),
        _ => None,
    }
}

/// `AggUtils.createAggregate`'s choice of operator.
fn choose_kind(aggs: &[Expr]) -> AggKind {
    let funcs: Vec<(AggFunc, Option<DataType>)> = aggs.iter().filter_map(func_of).collect();
    let hash_ok = funcs.iter().all(|(f, t)| buffer_fields(*f, t.as_ref()).iter().all(|(_, bt)| is_mutable(bt)));
    if hash_ok {
        AggKind::Hash
    } else if funcs.iter().any(|(f, _)| is_typed_imperative(*f)) {
        AggKind::ObjectHash
    } else {
        AggKind::Sort
    }
}

/// Fresh buffer attributes for the given aggregate expressions.
fn buffers(aggs: &[Expr], ids: &mut IdGen) -> Vec<Attribute> {
    let mut out = vec![];
    for a in aggs {
        if let Some((f, t)) = func_of(a) {
            for (name, dtype) in buffer_fields(f, t.as_ref()) {
                out.push(Attribute { name: name.into(), id: ids.next(), dtype, nullable: true, qualifier: vec![] });
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn create(
    kind: AggKind,
    required: Option<Vec<Expr>>,
    grouping: Vec<Expr>,
    aggregates: Vec<Expr>,
    aggregate_attributes: Vec<Attribute>,
    results: Vec<Expr>,
    child: SparkPlan,
    stats: Option<Stats>,
) -> SparkPlan {
    let exec = AggregateExec { kind, grouping, aggregates, aggregate_attributes, results, required_distribution: required };
    SparkPlan::new(Op::Aggregate(exec), vec![child]).with_stats(stats)
}

fn attrs_as_exprs(a: &[Attribute]) -> Vec<Expr> {
    a.iter().map(|x| x.to_expr()).collect()
}

fn plan_without_distinct(
    grouping: &[Expr],
    grouping_attrs: &[Attribute],
    infos: &[&AggInfo],
    results: Vec<Expr>,
    child: SparkPlan,
    stats: Option<Stats>,
    ids: &mut IdGen,
) -> SparkPlan {
    let exprs: Vec<Expr> = infos.iter().map(|i| i.expr.clone()).collect();
    let kind = choose_kind(&exprs);
    let partial_exprs: Vec<Expr> = exprs.iter().map(|e| with_mode(e, AggMode::Partial)).collect();
    let partial_buffers = buffers(&partial_exprs, ids);
    let input_buffers = buffers(&partial_exprs, ids);
    let mut partial_results = attrs_as_exprs(grouping_attrs);
    partial_results.extend(attrs_as_exprs(&input_buffers));
    let partial = create(kind, None, grouping.to_vec(), partial_exprs, partial_buffers, partial_results, child, stats.clone());

    let final_exprs: Vec<Expr> = exprs.iter().map(|e| with_mode(e, AggMode::Final)).collect();
    let final_attrs: Vec<Attribute> = infos.iter().map(|i| i.result.clone()).collect();
    create(kind, Some(attrs_as_exprs(grouping_attrs)), attrs_as_exprs(grouping_attrs), final_exprs, final_attrs, results, partial, stats)
}

#[allow(clippy::too_many_arguments)]
fn plan_with_one_distinct(
    grouping: &[Expr],
    grouping_attrs: &[Attribute],
    distinct: &[&AggInfo],
    plain: &[&AggInfo],
    results: Vec<Expr>,
    child: SparkPlan,
    stats: Option<Stats>,
    ids: &mut IdGen,
) -> SparkPlan {
    // The distinct columns (all distinct aggregates share them; Spark rewrites other shapes with Expand).
    let mut distinct_exprs: Vec<Expr> = vec![];
    if let Some(Expr::Agg { args, .. }) = distinct.first().map(|d| &d.expr) {
        for a in args {
            if !a.is_foldable() && !distinct_exprs.iter().any(|d| sem_eq(d, a)) {
                distinct_exprs.push(a.clone());
            }
        }
    }
    let named_distinct: Vec<Expr> = distinct_exprs
        .iter()
        .map(|e| match e {
            Expr::Attr(_) => e.clone(),
            other => other.clone().alias(&other.spark(), ids.next()),
        })
        .collect();
    let distinct_attrs: Vec<Attribute> = named_distinct.iter().filter_map(|e| e.to_attribute()).collect();
    let mut keys_and_distinct = attrs_as_exprs(grouping_attrs);
    keys_and_distinct.extend(attrs_as_exprs(&distinct_attrs));

    let plain_exprs: Vec<Expr> = plain.iter().map(|i| i.expr.clone()).collect();
    let all_exprs: Vec<Expr> = distinct.iter().chain(plain.iter()).map(|i| i.expr.clone()).collect();
    let kind = choose_kind(&all_exprs);
    let result_attr = |e: &Expr, m: AggMode, ids: &mut IdGen| Attribute {
        name: with_mode(e, m).spark(),
        id: ids.next(),
        dtype: e.dtype(),
        nullable: e.nullable(),
        qualifier: vec![],
    };

    // 1. Partial aggregation grouped by the keys and the distinct columns.
    let p1_exprs: Vec<Expr> = plain_exprs.iter().map(|e| with_mode(e, AggMode::Partial)).collect();
    let p1_attrs: Vec<Attribute> = p1_exprs.iter().map(|e| result_attr(e, AggMode::Partial, ids)).collect();
    let p1_buffers = buffers(&p1_exprs, ids);
    let mut p1_grouping = grouping.to_vec();
    p1_grouping.extend(named_distinct.iter().cloned());
    let mut p1_results = keys_and_distinct.clone();
    p1_results.extend(attrs_as_exprs(&p1_buffers));
    let p1 = create(kind, None, p1_grouping, p1_exprs, p1_attrs, p1_results, child, stats.clone());

    // 2. Partial merge, clustered by the keys and the distinct columns.
    let p2_exprs: Vec<Expr> = plain_exprs.iter().map(|e| with_mode(e, AggMode::PartialMerge)).collect();
    let p2_attrs: Vec<Attribute> = p2_exprs.iter().map(|e| result_attr(e, AggMode::PartialMerge, ids)).collect();
    let p2_buffers = buffers(&p2_exprs, ids);
    let mut p2_results = keys_and_distinct.clone();
    p2_results.extend(attrs_as_exprs(&p2_buffers));
    let p2 = create(kind, Some(keys_and_distinct.clone()), keys_and_distinct.clone(), p2_exprs, p2_attrs, p2_results, p1, stats.clone());

    // 3. Partial aggregation of the distinct functions (arguments now the distinct attributes).
    let rewrite_distinct = |e: &Expr, m: AggMode| -> Expr {
        match e {
            Expr::Agg { func, args, filter, .. } => Expr::Agg {
                func: *func,
                args: args
                    .iter()
                    .map(|a| match distinct_exprs.iter().position(|d| sem_eq(d, a)) {
                        Some(i) => Expr::Attr(distinct_attrs[i].clone()),
                        None => a.clone(),
                    })
                    .collect(),
                distinct: true,
                mode: m,
                filter: filter.clone(),
            },
            other => other.clone(),
        }
    };
    let mut p3_exprs: Vec<Expr> = plain_exprs.iter().map(|e| with_mode(e, AggMode::PartialMerge)).collect();
    let mut p3_attrs: Vec<Attribute> = p3_exprs.iter().map(|e| result_attr(e, AggMode::PartialMerge, ids)).collect();
    let p3_distinct: Vec<Expr> = distinct.iter().map(|d| rewrite_distinct(&d.expr, AggMode::Partial)).collect();
    p3_exprs.extend(p3_distinct.iter().cloned());
    p3_attrs.extend(distinct.iter().map(|d| d.result.clone()));
    let p3_buffers = buffers(&p3_exprs, ids);
    let mut p3_results = attrs_as_exprs(grouping_attrs);
    p3_results.extend(attrs_as_exprs(&p3_buffers));
    let p3 = create(kind, None, attrs_as_exprs(grouping_attrs), p3_exprs, p3_attrs, p3_results, p2, stats.clone());

    // 4. Final aggregation, clustered by the keys.
    let mut p4_exprs: Vec<Expr> = plain_exprs.iter().map(|e| with_mode(e, AggMode::Final)).collect();
    let mut p4_attrs: Vec<Attribute> = plain.iter().map(|i| i.result.clone()).collect();
    p4_exprs.extend(distinct.iter().map(|d| rewrite_distinct(&d.expr, AggMode::Final)));
    p4_attrs.extend(distinct.iter().map(|d| d.result.clone()));
    create(kind, Some(attrs_as_exprs(grouping_attrs)), attrs_as_exprs(grouping_attrs), p4_exprs, p4_attrs, results, p3, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, id: u32, t: DataType) -> Attribute {
        Attribute { name: name.into(), id, dtype: t, nullable: true, qualifier: vec![] }
    }

    #[test]
    fn operator_follows_buffer_types() {
        let s = attr("s", 1, DataType::String).to_expr();
        let d = attr("d", 2, DataType::Double).to_expr();
        let agg = |f: AggFunc, a: &Expr| Expr::Agg { func: f, args: vec![a.clone()], distinct: false, mode: AggMode::Complete, filter: None };
        assert_eq!(choose_kind(&[agg(AggFunc::Sum, &d)]), AggKind::Hash);
        assert_eq!(choose_kind(&[agg(AggFunc::Max, &s)]), AggKind::Sort);
        assert_eq!(choose_kind(&[agg(AggFunc::CollectList, &s), agg(AggFunc::Max, &s)]), AggKind::ObjectHash);
    }
}
