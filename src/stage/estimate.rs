//! A first data model: real (not Catalyst-estimated) row counts and shuffle bytes per physical node,
//! from the catalog's row counts, distinct counts and hottest values. Filters use literal selectivity
//! (equality: the value's top-value fraction, else 1/distinct; ranges: 1/3; IN: the sum; isnotnull:
//! 1 − nulls/rows); aggregates produce their keys' distinct product (partial aggregates at most that per
//! map task); equi-joins `|L|·|R| / max(d_L, d_R)`. Shuffle bytes are UnsafeRow sizes (8 + 8·fields +
//! string payload) times a compression factor calibrated on the corpus; `data_size` (uncompressed) is
//! the runtime `sizeInBytes` AQE re-plans joins with. Used for AQE decisions; knows nothing of time.

use crate::logical::expr::{Attribute, BinOp, Expr, LitValue};
use crate::logical::types::DataType;
use crate::physical::plan::{AggKind, Op, SparkPlan};
use crate::scenario::{Column, Scenario};

/// Compressed map-output bytes per UnsafeRow byte: the corpus's `shuffle_bytes_written / data_size`
/// ranges 0.23–0.46 (LZ4 on numeric/short-string rows); the middle is used.
pub const SHUFFLE_COMPRESSION: f64 = 0.36;
/// Average string payload in an UnsafeRow (rounded up to 8-byte words), from the corpus's data sizes.
pub const STRING_BYTES: f64 = 16.0;

pub struct Model<'a> {
    pub scenario: &'a Scenario,
}

impl<'a> Model<'a> {
    pub fn new(scenario: &'a Scenario) -> Model<'a> {
        Model { scenario }
    }

    /// The catalog's statistics of a column, looked up by name (the widest-distinct table wins).
    fn column(&self, name: &str) -> Option<&'a Column> {
        self.scenario
            .tables
            .iter()
            .flat_map(|t| t.columns.iter())
            .filter(|c| c.name.eq_ignore_ascii_case(name))
            .max_by_key(|c| c.distinct)
    }

    /// The catalog statistics of a column by name (see `column`).
    pub fn column_of(&self, name: &str) -> Option<&'a Column> {
        self.column(name)
    }

    /// Distinct values of an expression (attributes: the catalog's count; literals: 1).
    pub fn distinct_of(&self, e: &Expr) -> f64 {
        self.distinct(e)
    }

    /// Uncompressed UnsafeRow bytes an exchange's child writes: Spark's `dataSize` metric, the
    /// `sizeInBytes` AQE re-plans joins with (`ShuffleQueryStageExec.getRuntimeStatistics`).
    pub fn data_size(&self, exchange_child: &SparkPlan) -> f64 {
        self.rows(exchange_child) * self.row_bytes(&exchange_child.output())
    }

    fn distinct(&self, e: &Expr) -> f64 {
        match e.unalias() {
            Expr::Attr(a) => self.column(&a.name).map(|c| c.distinct.max(1) as f64).unwrap_or(1000.0),
            Expr::Cast { child, .. } => self.distinct(child),
            Expr::Lit(..) => 1.0,
            other => other.references().iter().map(|a| self.distinct(&Expr::Attr(a.clone()))).product::<f64>().max(1.0),
        }
    }

    /// Fraction of rows a predicate keeps.
    pub fn selectivity(&self, cond: &Expr) -> f64 {
        match cond {
            Expr::Binary { op: BinOp::And, left, right } => self.selectivity(left) * self.selectivity(right),
            Expr::Binary { op: BinOp::Or, left, right } => {
                let (a, b) = (self.selectivity(left), self.selectivity(right));
                (a + b - a * b).min(1.0)
            }
            Expr::Not(c) => 1.0 - self.selectivity(c),
            Expr::IsNotNull(c) => match c.unalias() {
                Expr::Attr(a) => self.column(&a.name).map(|col| self.non_null(col)).unwrap_or(1.0),
                _ => 1.0,
            },
            Expr::IsNull(c) => match c.unalias() {
                Expr::Attr(a) => self.column(&a.name).map(|col| 1.0 - self.non_null(col)).unwrap_or(0.05),
                _ => 0.05,
            },
            Expr::Binary { op, left, right } if op.is_comparison() => {
                let (attr, lit) = match (left.unalias(), right.unalias()) {
                    (Expr::Attr(a), Expr::Lit(v, _)) | (Expr::Lit(v, _), Expr::Attr(a)) => (Some(a), Some(v)),
                    _ => (None, None),
                };
                match (op, attr, lit) {
                    (BinOp::Eq | BinOp::NullSafeEq, Some(a), Some(v)) => self.eq_fraction(a, v),
                    (BinOp::NotEq, Some(a), Some(v)) => 1.0 - self.eq_fraction(a, v),
                    (BinOp::Eq, None, None) => 1.0 / self.distinct(left).max(self.distinct(right)),
                    _ => 1.0 / 3.0,
                }
            }
            Expr::In { value, list } => match value.unalias() {
                Expr::Attr(a) => list
                    .iter()
                    .map(|l| match l {
                        Expr::Lit(v, _) => self.eq_fraction(a, v),
                        _ => 0.1,
                    })
                    .sum::<f64>()
                    .min(1.0),
                _ => 0.25,
            },
            Expr::Like { .. } => 0.25,
            Expr::DynamicPruning { .. } => 1.0,
            _ => 0.5,
        }
    }

    fn non_null(&self, col: &Column) -> f64 {
        let rows = self.scenario.tables.iter().find(|t| t.columns.iter().any(|c| std::ptr::eq(c, col))).map(|t| t.rows).unwrap_or(0);
        if rows == 0 {
            1.0
        } else {
            1.0 - col.nulls as f64 / rows as f64
        }
    }

    fn eq_fraction(&self, a: &Attribute, v: &LitValue) -> f64 {
        let Some(col) = self.column(&a.name) else { return 0.1 };
        let text = match v {
            LitValue::Str(s) | LitValue::Date(s) | LitValue::Timestamp(s) | LitValue::Decimal(s) => s.clone(),
            LitValue::Int(i) => i.to_string(),
            LitValue::Bool(b) => b.to_string(),
            LitValue::Double(d) => d.to_string(),
            LitValue::Null => return 0.0,
        };
        if let Some(t) = col.top_values.iter().find(|t| t.value == text) {
            return t.fraction;
        }
        // Every distinct value is listed and this one is not: it does not occur (an exact 0, which is what
        // lets AQEPropagateEmptyRelation fire; a guess is never 0).
        if col.distinct > 0 && col.top_values.len() as u64 >= col.distinct {
            return 0.0;
        }
        // Values not among the hot ones share what the hot ones leave.
        let hot: f64 = col.top_values.iter().map(|t| t.fraction).sum();
        let rest = (col.distinct as f64 - col.top_values.len() as f64).max(1.0);
        ((1.0 - hot).max(0.0) / rest).max(1e-9)
    }

    /// Real rows a node produces (all partitions together).
    pub fn rows(&self, p: &SparkPlan) -> f64 {
        let child = |i: usize| p.children.get(i).map(|c| self.rows(c)).unwrap_or(0.0);
        match &p.op {
            Op::FileSourceScan(s) => {
                let t = self.scenario.table(&s.table);
                let total = t.map(|t| t.rows as f64).unwrap_or(0.0);
                let frac = if s.files_total > 0 { s.files_selected as f64 / s.files_total as f64 } else { 1.0 };
                total * frac
            }
            Op::LocalTableScan { rows, .. } => *rows as f64,
            Op::Range { start, end, step, .. } => {
                if *step == 0 {
                    0.0
                } else {
                    ((end - start) as f64 / *step as f64).max(0.0)
                }
            }
            Op::Filter { cond } => child(0) * self.selectivity(cond),
            Op::Aggregate(a) => {
                let input = child(0);
                if a.grouping.is_empty() {
                    return if matches!(a.kind, AggKind::Hash | AggKind::ObjectHash | AggKind::Sort) && is_partial(a) {
                        p.children.first().map(|c| crate::stage::partitions::num_partitions(c) as f64).unwrap_or(1.0)
                    } else {
                        1.0
                    };
                }
                let groups: f64 = a.grouping.iter().map(|g| self.distinct(g)).product::<f64>().min(input.max(1.0));
                if is_partial(a) {
                    let maps = p.children.first().map(|c| crate::stage::partitions::num_partitions(c) as f64).unwrap_or(1.0);
                    (groups * maps).min(input)
                } else {
                    groups
                }
            }
            Op::BroadcastHashJoin(j) | Op::ShuffledHashJoin(j) => self.join_rows(child(0), child(1), &j.left_keys, &j.right_keys, j.join_type),
            Op::SortMergeJoin(j) => self.join_rows(child(0), child(1), &j.left_keys, &j.right_keys, j.join_type),
            Op::BroadcastNestedLoopJoin(_) | Op::CartesianProduct { .. } => child(0) * child(1),
            Op::Union => p.children.iter().map(|c| self.rows(c)).sum(),
            Op::Generate { .. } => child(0) * 5.0,
            Op::Expand { projections, .. } => child(0) * projections.len() as f64,
            Op::GlobalLimit { limit } | Op::CollectLimit { limit } | Op::LocalLimit { limit } => child(0).min(*limit as f64),
            Op::TakeOrderedAndProject { limit, .. } => child(0).min(*limit as f64),
            Op::WindowGroupLimit { limit, partition_by, .. } => {
                let groups: f64 = partition_by.iter().map(|g| self.distinct(g)).product::<f64>().max(1.0);
                child(0).min(groups * *limit as f64 * crate::stage::partitions::num_partitions(p) as f64)
            }
            Op::InMemoryTableScan { cached, .. } => self.rows(cached),
            Op::ReusedExchange { reused, .. } => self.rows(reused),
            _ => child(0),
        }
    }

    fn join_rows(&self, l: f64, r: f64, lk: &[Expr], rk: &[Expr], jt: crate::logical::plan::JoinType) -> f64 {
        use crate::logical::plan::JoinType::*;
        let d = lk.iter().zip(rk).map(|(a, b)| self.distinct(a).max(self.distinct(b))).fold(1.0, f64::max);
        let inner = l * r / d.max(1.0);
        match jt {
            LeftSemi => l.min(inner),
            LeftAnti => (l - l.min(inner)).max(0.0),
            LeftOuter => inner.max(l),
            RightOuter => inner.max(r),
            FullOuter => inner.max(l).max(r),
            _ => inner,
        }
    }

    /// UnsafeRow bytes per row of a node's output.
    pub fn row_bytes(&self, attrs: &[Attribute]) -> f64 {
        8.0 + attrs
            .iter()
            .map(|a| match a.dtype {
                DataType::String | DataType::Binary => 8.0 + STRING_BYTES,
                DataType::Decimal(p, _) if p > 18 => 8.0 + 16.0,
                DataType::Array(_) | DataType::Map(..) | DataType::Struct(_) => 8.0 + 64.0,
                _ => 8.0,
            })
            .sum::<f64>()
    }

    /// Compressed map-output bytes an exchange writes (what AQE sees).
    pub fn shuffle_bytes(&self, exchange_child: &SparkPlan) -> f64 {
        self.rows(exchange_child) * self.row_bytes(&exchange_child.output()) * SHUFFLE_COMPRESSION
    }
}

fn is_partial(a: &crate::physical::plan::AggregateExec) -> bool {
    a.aggregates.iter().any(|e| matches!(e, Expr::Agg { mode: crate::logical::expr::AggMode::Partial | crate::logical::expr::AggMode::PartialMerge, .. }))
}
