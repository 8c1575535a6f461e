//! The built-in function registry the analyzer resolves calls against: Spark's names (with aliases),
//! arity, result types, determinism, and whether a function is an aggregate, a window function or a
//! generator. Knows signatures only; evaluation is never needed.

use crate::logical::expr::{AggFunc, Expr};
use crate::logical::types::DataType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FnKind {
    Scalar,
    Aggregate(AggFunc),
    /// Ranking / offset window functions (`row_number`, `lag`).
    Window,
    /// Table-generating (`explode`, `posexplode`, `inline`, `stack`).
    Generator,
}

pub struct FnInfo {
    pub name: &'static str,
    pub kind: FnKind,
    pub min_args: usize,
    pub max_args: usize,
    pub deterministic: bool,
}

const SCALARS: &[(&str, usize, usize)] = &[
    ("upper", 1, 1), ("lower", 1, 1), ("ucase", 1, 1), ("lcase", 1, 1), ("length", 1, 1), ("char_length", 1, 1),
    ("substr", 2, 3), ("substring", 2, 3), ("concat", 0, 64), ("concat_ws", 1, 64), ("coalesce", 1, 64),
    ("split", 2, 3), ("trim", 1, 2), ("ltrim", 1, 2), ("rtrim", 1, 2), ("round", 1, 2), ("bround", 1, 2),
    ("abs", 1, 1), ("year", 1, 1), ("month", 1, 1), ("day", 1, 1), ("dayofmonth", 1, 1), ("dayofweek", 1, 1),
    ("dayofyear", 1, 1), ("weekofyear", 1, 1), ("quarter", 1, 1), ("hour", 1, 1), ("minute", 1, 1), ("second", 1, 1),
    ("date_add", 2, 2), ("date_sub", 2, 2), ("datediff", 2, 2), ("to_date", 1, 2), ("to_timestamp", 1, 2),
    ("date_format", 2, 2), ("date_trunc", 2, 2), ("trunc", 2, 2), ("add_months", 2, 2), ("months_between", 2, 3),
    ("last_day", 1, 1), ("current_date", 0, 0), ("current_timestamp", 0, 0), ("now", 0, 0),
    ("unix_timestamp", 0, 2), ("from_unixtime", 1, 2), ("if", 3, 3), ("iff", 3, 3), ("nvl", 2, 2), ("ifnull", 2, 2),
    ("nullif", 2, 2), ("nvl2", 3, 3), ("greatest", 2, 64), ("least", 2, 64), ("floor", 1, 2), ("ceil", 1, 2),
    ("ceiling", 1, 2), ("sqrt", 1, 1), ("pow", 2, 2), ("power", 2, 2), ("exp", 1, 1), ("ln", 1, 1), ("log", 1, 2),
    ("log10", 1, 1), ("log2", 1, 1), ("sign", 1, 1), ("signum", 1, 1), ("pmod", 2, 2), ("mod", 2, 2),
    ("size", 1, 1), ("cardinality", 1, 1), ("array", 0, 64), ("struct", 0, 64), ("named_struct", 0, 64),
    ("map", 0, 64), ("element_at", 2, 2), ("array_contains", 2, 2), ("sort_array", 1, 2), ("array_distinct", 1, 1),
    ("flatten", 1, 1), ("sequence", 2, 3), ("regexp_replace", 3, 4), ("regexp_extract", 2, 3), ("rlike", 2, 2),
    ("lpad", 2, 3), ("rpad", 2, 3), ("instr", 2, 2), ("locate", 2, 3), ("replace", 2, 3), ("reverse", 1, 1),
    ("initcap", 1, 1), ("repeat", 2, 2), ("format_string", 1, 64), ("format_number", 2, 2), ("hash", 1, 64),
    ("xxhash64", 1, 64), ("md5", 1, 1), ("sha1", 1, 1), ("sha2", 2, 2), ("crc32", 1, 1), ("base64", 1, 1),
    ("to_json", 1, 2), ("from_json", 2, 3), ("get_json_object", 2, 2), ("isnan", 1, 1), ("isnull", 1, 1),
    ("isnotnull", 1, 1), ("left", 2, 2), ("right", 2, 2), ("ascii", 1, 1), ("string", 1, 1), ("int", 1, 1),
    ("bigint", 1, 1), ("double", 1, 1), ("date", 1, 1), ("timestamp", 1, 1), ("boolean", 1, 1),
    ("spark_partition_id", 0, 0), ("input_file_name", 0, 0), ("uuid", 0, 0), ("typeof", 1, 1),
    ("toprettystring", 1, 2), ("make_date", 3, 3), ("array_join", 2, 3), ("slice", 3, 3), ("explode_outer", 1, 1),
];

const NONDETERMINISTIC: &[&str] =
    &["rand", "random", "randn", "uuid", "monotonically_increasing_id", "spark_partition_id", "input_file_name", "shuffle"];

const WINDOW_FNS: &[(&str, usize, usize)] = &[
    ("row_number", 0, 0), ("rank", 0, 0), ("dense_rank", 0, 0), ("percent_rank", 0, 0), ("cume_dist", 0, 0),
    ("ntile", 1, 1), ("lag", 1, 3), ("lead", 1, 3), ("nth_value", 2, 3),
];

const GENERATORS: &[(&str, usize, usize)] =
    &[("explode", 1, 1), ("explode_outer", 1, 1), ("posexplode", 1, 1), ("posexplode_outer", 1, 1), ("inline", 1, 1), ("inline_outer", 1, 1), ("stack", 2, 64)];

/// Looks a function up by (case-insensitive) name.
pub fn lookup(name: &str) -> Option<FnInfo> {
    let lower = name.to_ascii_lowercase();
    let n = lower.as_str();
    if let Some(agg) = AggFunc::from_name(n) {
        let (min, max) = if agg == AggFunc::Count { (0, 64) } else { (1, 2) };
        return Some(FnInfo { name: agg.name(), kind: FnKind::Aggregate(agg), min_args: min, max_args: max, deterministic: true });
    }
    if let Some((nm, lo, hi)) = GENERATORS.iter().find(|(f, ..)| *f == n) {
        return Some(FnInfo { name: nm, kind: FnKind::Generator, min_args: *lo, max_args: *hi, deterministic: true });
    }
    if let Some((nm, lo, hi)) = WINDOW_FNS.iter().find(|(f, ..)| *f == n) {
        return Some(FnInfo { name: nm, kind: FnKind::Window, min_args: *lo, max_args: *hi, deterministic: true });
    }
    if let Some(nm) = NONDETERMINISTIC.iter().find(|f| **f == n) {
        return Some(FnInfo { name: nm, kind: FnKind::Scalar, min_args: 0, max_args: 1, deterministic: false });
    }
    SCALARS
        .iter()
        .find(|(f, ..)| *f == n)
        .map(|(nm, lo, hi)| FnInfo { name: canonical(nm), kind: FnKind::Scalar, min_args: *lo, max_args: *hi, deterministic: true })
}

/// Spark's pretty name for aliases (`ucase` prints as `upper`, `substr` as `substring`, ...).
fn canonical(name: &'static str) -> &'static str {
    match name {
        "ucase" => "upper",
        "lcase" => "lower",
        "char_length" => "length",
        "substr" => "substring",
        "day" => "dayofmonth",
        "ceiling" => "ceil",
        "power" => "pow",
        "signum" => "sign",
        "cardinality" => "size",
        "iff" => "if",
        "now" => "current_timestamp",
        "random" => "rand",
        n => n,
    }
}

/// The result type of a scalar function given its (already resolved) arguments.
pub fn scalar_type(name: &str, args: &[Expr]) -> DataType {
    let arg = |i: usize| args.get(i).map(|a| a.dtype()).unwrap_or(DataType::Null);
    match name {
        "upper" | "lower" | "substring" | "concat" | "concat_ws" | "trim" | "ltrim" | "rtrim" | "date_format"
        | "regexp_replace" | "regexp_extract" | "lpad" | "rpad" | "replace" | "reverse" | "initcap" | "repeat"
        | "format_string" | "format_number" | "md5" | "sha1" | "sha2" | "base64" | "to_json" | "get_json_object"
        | "left" | "right" | "string" | "from_unixtime" | "uuid" | "typeof" | "toprettystring" | "array_join"
        | "input_file_name" => DataType::String,
        "length" | "year" | "month" | "dayofmonth" | "dayofweek" | "dayofyear" | "weekofyear" | "quarter" | "hour"
        | "minute" | "second" | "datediff" | "size" | "instr" | "locate" | "ascii" | "int" | "hash" | "spark_partition_id" => {
            DataType::Int
        }
        "unix_timestamp" | "xxhash64" | "crc32" | "bigint" | "monotonically_increasing_id" => DataType::Long,
        "date_add" | "date_sub" | "to_date" | "add_months" | "last_day" | "current_date" | "date" | "make_date" | "trunc" => DataType::Date,
        "to_timestamp" | "current_timestamp" | "date_trunc" | "timestamp" => DataType::Timestamp,
        "sqrt" | "exp" | "ln" | "log" | "log10" | "log2" | "pow" | "rand" | "randn" | "months_between" | "double" | "sign" => {
            DataType::Double
        }
        "floor" | "ceil" => match arg(0) {
            DataType::Decimal(p, s) => DataType::Decimal((p.saturating_sub(s) + 1).min(38), 0),
            _ => DataType::Long,
        },
        "isnan" | "isnull" | "isnotnull" | "array_contains" | "rlike" | "boolean" => DataType::Boolean,
        "split" => DataType::Array(Box::new(DataType::String)),
        "sequence" => DataType::Array(Box::new(arg(0))),
        "array" => DataType::Array(Box::new(args.iter().map(|a| a.dtype()).reduce(|a, b| DataType::common_type(&a, &b).unwrap_or(a)).unwrap_or(DataType::Null))),
        "sort_array" | "array_distinct" | "slice" => arg(0),
        "flatten" => match arg(0) {
            DataType::Array(inner) => *inner,
            t => t,
        },
        "element_at" => match arg(0) {
            DataType::Array(inner) => *inner,
            DataType::Map(_, v) => *v,
            t => t,
        },
        "struct" => DataType::Struct(args.iter().enumerate().map(|(i, a)| (format!("col{}", i + 1), a.dtype())).collect()),
        "named_struct" => DataType::Struct(
            args.chunks(2)
                .map(|c| (c[0].sql().trim_matches('\'').to_string(), c.get(1).map(|v| v.dtype()).unwrap_or(DataType::Null)))
                .collect(),
        ),
        "map" => DataType::Map(Box::new(arg(0)), Box::new(arg(1))),
        "from_json" => DataType::Struct(vec![]),
        "if" => DataType::common_type(&arg(1), &arg(2)).unwrap_or(arg(1)),
        "nvl2" => arg(1),
        "coalesce" | "nvl" | "ifnull" | "greatest" | "least" => args
            .iter()
            .map(|a| a.dtype())
            .reduce(|a, b| DataType::common_type(&a, &b).unwrap_or(a))
            .unwrap_or(DataType::Null),
        "nullif" | "abs" | "round" | "bround" | "pmod" | "mod" => arg(0),
        _ => DataType::String,
    }
}

/// The result type of a window function.
pub fn window_type(name: &str, args: &[Expr]) -> DataType {
    match name {
        "row_number" | "rank" | "dense_rank" | "ntile" => DataType::Int,
        "percent_rank" | "cume_dist" => DataType::Double,
        _ => args.first().map(|a| a.dtype()).unwrap_or(DataType::Null),
    }
}
