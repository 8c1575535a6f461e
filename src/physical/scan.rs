//! Spark's `FileSourceStrategy`: a chain of `Project` / `Filter` over a file `Relation` becomes
//! `FileSourceScan` (+ `Filter` + `Project`): partition filters, data filters, the data source filters
//! pushed to the reader (`DataSourceStrategy.translateFilter`), the pruned `ReadSchema`, static partition
//! pruning and the scan's partition count (via `scan_partitions`). Knows one relation at a time; nothing
//! of joins, exchanges or the simulation.

use super::plan::{FileSourceScan, Op, SparkPlan};
use super::scan_partitions::plan_format_file_partitions;
use crate::conf::SparkConf;
use crate::logical::expr::{conjoin, Attribute, BinOp, Expr, ExprId, LitValue};
use crate::logical::plan::Relation;
use crate::logical::stats::Stats;
use crate::scenario::DataFile;

/// Spark's `spark.sql.codegen.maxFields`: wider schemas are read row by row.
pub const MAX_CODEGEN_FIELDS: usize = 100;

/// What `ScanOperation` collected above a relation.
pub struct ScanChain<'a> {
    /// The top projection, if any (`None`: all relation columns).
    pub projects: Option<Vec<Expr>>,
    /// Filter conjuncts, the lowest filter's first.
    pub filters: Vec<Expr>,
    pub relation: &'a Relation,
    /// Estimates of the chain's top node, its filter and the relation.
    pub top_stats: Stats,
    pub filter_stats: Option<Stats>,
    pub relation_stats: Stats,
}

/// Plans `Project? Filter* Relation` as Spark's FileSourceStrategy does.
pub fn plan_scan(chain: ScanChain<'_>, conf: &SparkConf, default_parallelism: u32) -> SparkPlan {
    let rel = chain.relation;
    let part_ids: Vec<ExprId> = rel.partition_cols.clone();
    let is_part = |id: ExprId| part_ids.contains(&id);
    let refs_ids = |e: &Expr| -> Vec<ExprId> { e.references().into_iter().map(|a| a.id).collect() };

    // Partition filters: conjuncts over partition columns only (DPP expressions included).
    let partition_filters: Vec<Expr> = if part_ids.is_empty() {
        vec![]
    } else {
        chain
            .filters
            .iter()
            .filter(|f| {
                let r = refs_ids(f);
                !r.is_empty() && r.iter().all(|id| is_part(*id)) && f.is_deterministic()
            })
            .cloned()
            .collect()
    };
    // Data filters: deterministic conjuncts without subqueries that touch no partition column.
    let data_filters: Vec<Expr> = chain
        .filters
        .iter()
        .filter(|f| {
            !f.contains_subquery()
                && !matches!(f, Expr::DynamicPruning { .. })
                && f.is_deterministic()
                && !refs_ids(f).iter().any(|id| is_part(*id))
        })
        .cloned()
        .collect();
    let pushed_filters: Vec<String> = data_filters.iter().filter_map(translate_filter).collect();
    // Everything but the partition filters is evaluated again after the scan.
    let after_scan: Vec<Expr> = chain.filters.iter().filter(|f| !partition_filters.contains(f)).cloned().collect();

    let projects: Vec<Expr> = chain.projects.clone().unwrap_or_else(|| rel.output.iter().map(|a| a.to_expr()).collect());
    let mut required: Vec<ExprId> = vec![];
    for e in after_scan.iter().chain(projects.iter()) {
        for id in refs_ids(e) {
            if !required.contains(&id) {
                required.push(id);
            }
        }
    }
    let read_data: Vec<Attribute> =
        rel.output.iter().filter(|a| !is_part(a.id) && required.contains(&a.id)).cloned().collect();
    let partition_attrs: Vec<Attribute> = rel.output.iter().filter(|a| is_part(a.id)).cloned().collect();
    let mut output = read_data.clone();
    output.extend(partition_attrs.iter().cloned());

    // Static partition pruning: keep the files whose partition values pass every literal filter.
    let files: Vec<&DataFile> = rel.table.files.iter().collect();
    let selected: Vec<&DataFile> = files
        .iter()
        .copied()
        .filter(|f| partition_filters.iter().all(|p| partition_filter_keeps(p, rel, f)))
        .collect();
    let parts = plan_format_file_partitions(&rel.table.format.to_ascii_lowercase(), &selected, conf, default_parallelism);
    let mut partitions_why = parts.why.clone();
    if selected.len() != files.len() {
        partitions_why = format!(
            "static partition pruning kept {} of {} files; {}",
            selected.len(),
            files.len(),
            partitions_why
        );
    }
    let format = rel.table.format.to_ascii_lowercase();
    // `supportBatch`: the vectorized reader needs whole-stage codegen and at most 100 columns.
    let vectorized = match format.as_str() {
        "parquet" | "delta" => conf.get("spark.sql.parquet.enableVectorizedReader").map(|v| v.trim() != "false").unwrap_or(true),
        "orc" => conf.get("spark.sql.orc.enableVectorizedReader").map(|v| v.trim() != "false").unwrap_or(true),
        _ => false,
    };
    let batched = vectorized && conf.get_bool("spark.sql.codegen.wholeStage") && output.len() <= MAX_CODEGEN_FIELDS;
    let dpp_ids: Vec<ExprId> = partition_filters
        .iter()
        .filter_map(|f| match f {
            Expr::DynamicPruning { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    let scan = FileSourceScan {
        table: rel.table.name.clone(),
        format: if format == "delta" { "parquet".into() } else { format.clone() },
        output: output.clone(),
        partition_filters,
        data_filters,
        pushed_filters,
        read_schema: read_data,
        batched,
        location: format!("InMemoryFileIndex(1 paths)[{}]", table_location(&rel.table.name)),
        files_selected: selected.len(),
        files_total: files.len(),
        num_partitions: parts.len(),
        partitions_why,
        dpp_ids,
    };
    let mut plan = SparkPlan::leaf(Op::FileSourceScan(scan)).with_stats(Some(chain.relation_stats.clone()));
    if let Some(cond) = conjoin(after_scan) {
        plan = SparkPlan::unary(Op::Filter { cond }, plan).with_stats(chain.filter_stats.clone().or(Some(chain.relation_stats.clone())));
    }
    let out_ids: Vec<ExprId> = plan.output().iter().map(|a| a.id).collect();
    let proj_ids: Vec<Option<ExprId>> = projects.iter().map(|e| if let Expr::Attr(a) = e { Some(a.id) } else { None }).collect();
    let same = proj_ids.len() == out_ids.len() && proj_ids.iter().zip(out_ids.iter()).all(|(p, o)| *p == Some(*o));
    if !same {
        plan = SparkPlan::unary(Op::Project { exprs: projects }, plan);
    }
    plan.stats = Some(chain.top_stats);
    plan
}

/// Where a table's files live, as the file index prints it.
pub fn table_location(table: &str) -> String {
    format!("file:/warehouse/{table}")
}

/// `DataSourceStrategy.translateFilter`: a Catalyst predicate as a data source filter, if it has one.
pub fn translate_filter(e: &Expr) -> Option<String> {
    match e {
        Expr::Binary { op: BinOp::And, left, right } => {
            Some(format!("And({},{})", translate_filter(left)?, translate_filter(right)?))
        }
        Expr::Binary { op: BinOp::Or, left, right } => {
            Some(format!("Or({},{})", translate_filter(left)?, translate_filter(right)?))
        }
        Expr::Not(inner) => Some(format!("Not({})", translate_filter(inner)?)),
        Expr::IsNotNull(inner) => Some(format!("IsNotNull({})", column(inner)?)),
        Expr::IsNull(inner) => Some(format!("IsNull({})", column(inner)?)),
        Expr::Binary { op, left, right } if op.is_comparison() => {
            if let (Some(c), Some(v)) = (column(left), literal(right)) {
                return Some(format!("{}({c},{v})", op.source_filter_name()?));
            }
            if let (Some(v), Some(c)) = (literal(left), column(right)) {
                return Some(format!("{}({c},{v})", op.flip().source_filter_name()?));
            }
            if *op == BinOp::NotEq {
                let c = column(left)?;
                let v = literal(right)?;
                return Some(format!("Not(EqualTo({c},{v}))"));
            }
            None
        }
        Expr::In { value, list } => {
            let c = column(value)?;
            let vals: Option<Vec<String>> = list.iter().map(literal).collect();
            Some(format!("In({c}, [{}])", vals?.join(",")))
        }
        Expr::Like { child, pattern, negated: false } => {
            let c = column(child)?;
            let p = match pattern.as_ref() {
                Expr::Lit(LitValue::Str(s), _) => s.clone(),
                _ => return None,
            };
            let inner_has_wildcards = |s: &str| s.contains('%') || s.contains('_') || s.contains('\\');
            if let Some(body) = p.strip_suffix('%') {
                if let Some(mid) = body.strip_prefix('%') {
                    if !inner_has_wildcards(mid) {
                        return Some(format!("StringContains({c},{mid})"));
                    }
                } else if !inner_has_wildcards(body) {
                    return Some(format!("StringStartsWith({c},{body})"));
                }
            }
            if let Some(body) = p.strip_prefix('%') {
                if !inner_has_wildcards(body) {
                    return Some(format!("StringEndsWith({c},{body})"));
                }
            }
            if !inner_has_wildcards(&p) {
                return Some(format!("EqualTo({c},{p})"));
            }
            None
        }
        Expr::Func { name, args, .. } if args.len() == 2 => {
            let which = match name.as_str() {
                "startswith" => "StringStartsWith",
                "endswith" => "StringEndsWith",
                "contains" => "StringContains",
                _ => return None,
            };
            Some(format!("{which}({},{})", column(&args[0])?, literal(&args[1])?))
        }
        _ => None,
    }
}

fn column(e: &Expr) -> Option<String> {
    match e {
        Expr::Attr(a) => Some(a.name.clone()),
        _ => None,
    }
}

/// A literal as the data source filter holds it (Scala `toString` of the converted value).
fn literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(v, _) => Some(match v {
            LitValue::Null => "null".into(),
            LitValue::Bool(b) => b.to_string(),
            LitValue::Int(i) => i.to_string(),
            LitValue::Double(d) => {
                if d.fract() == 0.0 && d.abs() < 1e15 {
                    format!("{d:.1}")
                } else {
                    d.to_string()
                }
            }
            LitValue::Decimal(s) | LitValue::Str(s) | LitValue::Date(s) => s.clone(),
            LitValue::Timestamp(s) => {
                if s.contains('.') {
                    s.clone()
                } else {
                    format!("{s}.0")
                }
            }
        }),
        Expr::Cast { child, .. } => literal(child),
        _ => None,
    }
}

/// Whether a file of a partitioned table can pass a partition filter, judged from its partition values.
/// Filters it cannot evaluate (DPP, functions) keep the file.
fn partition_filter_keeps(filter: &Expr, rel: &Relation, file: &DataFile) -> bool {
    let value_of = |e: &Expr| -> Option<Option<String>> {
        match e {
            Expr::Attr(a) if rel.partition_cols.contains(&a.id) => Some(file.partition.get(&a.name).cloned()),
            _ => None,
        }
    };
    let cmp = |a: &str, b: &str| -> std::cmp::Ordering {
        match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => a.cmp(b),
        }
    };
    match filter {
        Expr::IsNotNull(inner) => match value_of(inner) {
            Some(v) => v.map(|s| s != "__HIVE_DEFAULT_PARTITION__").unwrap_or(false),
            None => true,
        },
        Expr::Binary { op: BinOp::And, left, right } => {
            partition_filter_keeps(left, rel, file) && partition_filter_keeps(right, rel, file)
        }
        Expr::Binary { op: BinOp::Or, left, right } => {
            partition_filter_keeps(left, rel, file) || partition_filter_keeps(right, rel, file)
        }
        Expr::Binary { op, left, right } if op.is_comparison() => {
            let (col, lit, op) = match (value_of(left), literal(right)) {
                (Some(v), Some(l)) => (v, l, *op),
                _ => match (literal(left), value_of(right)) {
                    (Some(l), Some(v)) => (v, l, op.flip()),
                    _ => return true,
                },
            };
            let Some(v) = col else { return false };
            let o = cmp(&v, &lit);
            match op {
                BinOp::Eq | BinOp::NullSafeEq => o.is_eq(),
                BinOp::NotEq => !o.is_eq(),
                BinOp::Lt => o.is_lt(),
                BinOp::LtEq => o.is_le(),
                BinOp::Gt => o.is_gt(),
                BinOp::GtEq => o.is_ge(),
                _ => true,
            }
        }
        Expr::In { value, list } => match value_of(value) {
            Some(Some(v)) => list.iter().any(|l| literal(l).map(|s| cmp(&v, &s).is_eq()).unwrap_or(true)),
            Some(None) => false,
            None => true,
        },
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::types::DataType;

    fn col(name: &str, t: DataType) -> Expr {
        Expr::Attr(Attribute { name: name.into(), id: 1, dtype: t, nullable: true, qualifier: vec![] })
    }

    #[test]
    fn translates_filters_like_data_source_strategy() {
        let d = col("order_date", DataType::Date);
        let lit = Expr::Lit(LitValue::Date("2024-12-01".into()), DataType::Date);
        assert_eq!(translate_filter(&Expr::is_not_null(d.clone())).as_deref(), Some("IsNotNull(order_date)"));
        assert_eq!(
            translate_filter(&Expr::binary(BinOp::GtEq, d.clone(), lit.clone())).as_deref(),
            Some("GreaterThanOrEqual(order_date,2024-12-01)")
        );
        assert_eq!(
            translate_filter(&Expr::binary(BinOp::Gt, lit, d)).as_deref(),
            Some("LessThan(order_date,2024-12-01)")
        );
        let s = col("status", DataType::String);
        assert_eq!(translate_filter(&Expr::binary(BinOp::Eq, s.clone(), Expr::lit_str("X"))).as_deref(), Some("EqualTo(status,X)"));
        let inl = Expr::In { value: Box::new(s.clone()), list: vec![Expr::lit_str("A"), Expr::lit_str("B")] };
        assert_eq!(translate_filter(&inl).as_deref(), Some("In(status, [A,B])"));
        let cast = Expr::Cast { child: Box::new(s), to: DataType::Int };
        assert_eq!(translate_filter(&Expr::binary(BinOp::Eq, cast, Expr::lit_int(1))), None);
    }
}
