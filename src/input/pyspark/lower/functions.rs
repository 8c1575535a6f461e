//! `pyspark.sql.functions` (`F.col`, `F.lit`, `F.when`, `F.expr`, aggregates, window functions,
//! `F.broadcast`, `F.udf`, ...), Column methods (`alias`, `cast`, `isin`, `between`, `like`, `asc`/`desc`,
//! `over`, `when`/`otherwise`), `Window` specs and `pyspark.sql.types` constructors — each building the
//! Column tree PySpark would, with the argument conventions of each function (which `str` arguments are
//! column names and which are literals, and the defaults PySpark passes explicitly). Knows no plans.

use super::columns::*;
use super::value::*;
use super::{err, Args, Lowerer};
use crate::error::{Diagnostic, Result, Span};
use crate::logical::plan::{JoinStrategyHint, LogicalPlan};
use crate::logical::types::DataType;
use std::rc::Rc;

/// How a function's positional arguments convert: `c` a column (a `str` is a column name), `l` a literal
/// (a `str` is a string), uppercase = the rest are like that.
fn arg_kinds(name: &str) -> Option<&'static str> {
    Some(match name {
        "concat_ws" => "lC",
        "split" | "regexp_replace" | "regexp_extract" | "substring" | "lpad" | "rpad" | "array_join" | "lag" | "lead" | "nth_value" => "cll",
        "date_format" | "to_date" | "to_timestamp" | "date_add" | "date_sub" | "add_months" | "trunc" | "from_unixtime" | "unix_timestamp"
        | "round" | "bround" | "instr" | "format_number" | "element_at" | "array_contains" | "sort_array" | "sha2" | "months_between"
        | "approx_count_distinct" | "first" | "last" => "cl",
        "date_trunc" => "lc",
        "locate" => "lcl",
        "format_string" => "lC",
        "ntile" | "rand" | "randn" => "l",
        _ => return None,
    })
}

/// `pyspark.sql.functions` names Stagecraft accepts (beyond the SQL registry's functions).
pub(crate) fn is_known(name: &str) -> bool {
    matches!(
        name,
        "col" | "column" | "lit" | "expr" | "when" | "broadcast" | "udf" | "pandas_udf" | "asc" | "desc" | "asc_nulls_first" | "asc_nulls_last"
            | "desc_nulls_first" | "desc_nulls_last" | "countDistinct" | "count_distinct" | "sumDistinct" | "sum_distinct" | "create_map"
            | "isnotnull" | "PandasUDFType"
    ) || crate::input::sql::functions::lookup(name).is_some()
}

impl<'h> Lowerer<'h> {
    fn col_arg(&mut self, a: &Args, i: usize, kw: &str, literal: bool) -> Result<Col> {
        let (v, s) = a.req(i, kw)?;
        self.col_of(v, s, literal)
    }

    /// A `pyspark.sql.functions` call.
    pub(crate) fn f_call(&mut self, name: &str, a: Args, name_span: Span) -> Result<Value> {
        let span = a.span;
        let col = |c: Col| Ok(Value::Column(c));
        match name {
            "col" | "column" => {
                a.check(1, &["col"])?;
                let (v, s) = a.req(0, "col")?;
                let n = self.to_str(v, s, "the column name")?;
                col(name_col(&n, span))
            }
            "lit" => {
                a.check(1, &["col"])?;
                let (v, s) = a.req(0, "col")?;
                match v {
                    Value::Column(c) => col(c),
                    Value::List(items) | Value::Tuple(items) => {
                        let mut args = vec![];
                        for it in items {
                            args.push(self.col_of(it, s, true)?);
                        }
                        col(Col::func("array", args, span))
                    }
                    other => {
                        let c = self.col_of(other, s, true)?;
                        col(Col { span, ..c })
                    }
                }
            }
            "expr" => {
                a.check(1, &["str"])?;
                let (v, s) = a.req(0, "str")?;
                let text = self.to_str(v, s, "F.expr's argument")?;
                let origin = self.src.string_origin(s);
                let ast = crate::input::sql::standalone::parse_expr(&text).map_err(|d| Diagnostic { span: d.span.offset_by(origin), ..d })?;
                col(sql_to_col(&ast, origin))
            }
            "when" => {
                a.check(2, &["condition", "value"])?;
                let cond = self.col_arg(&a, 0, "condition", false)?;
                let v = self.col_arg(&a, 1, "value", true)?;
                col(Col::new(ColKind::Case { branches: vec![(cond, v)], otherwise: None }, span))
            }
            "broadcast" => {
                a.check(1, &["df"])?;
                match a.req(0, "df")? {
                    (Value::Df(df), _) => Ok(Value::Df(Df { plan: LogicalPlan::ResolvedHint { hint: JoinStrategyHint::Broadcast, child: Box::new(df.plan) } })),
                    (other, s) => err(format!("broadcast() takes a DataFrame, got {}", other.kind()), s),
                }
            }
            "udf" | "pandas_udf" => {
                a.check(3, &["f", "returnType", "functionType"])?;
                let pandas = name == "pandas_udf";
                let (f, ret) = match (a.get(0, "f"), a.get(1, "returnType")) {
                    (Some((Value::Lambda(l), s)), r) => (Some((Value::Lambda(l), s)), r),
                    (Some((Value::Udf(u), s)), r) => (Some((Value::Udf(u), s)), r),
                    (Some(t @ (Value::Str(_) | Value::DType(_), _)), None) => (None, Some(t)),
                    (None, r) => (None, r),
                    (Some((other, s)), _) => return err(format!("{name}() needs a function or a return type, got {}", other.kind()), s),
                };
                if let Some((ft, fs)) = a.get(2, "functionType") {
                    match ft {
                        Value::Int(200) | Value::None => {}
                        Value::Opaque(w) if w == "PandasUDFType.SCALAR" => {}
                        _ => return err("only scalar pandas UDFs (PandasUDFType.SCALAR) are supported; grouped-map and grouped-aggregate pandas UDFs are not", fs),
                    }
                }
                let return_type = match ret {
                    Some((v, s)) => self.to_dtype(v, s)?,
                    None if pandas => return err("pandas_udf() needs a return type", span),
                    None => DataType::String,
                };
                match f {
                    Some((fv, fs)) => self.make_udf(fv, fs, return_type, pandas),
                    None => Ok(Value::UdfFactory { return_type, pandas }),
                }
            }
            "asc" | "desc" | "asc_nulls_first" | "asc_nulls_last" | "desc_nulls_first" | "desc_nulls_last" => {
                a.check(1, &["col"])?;
                let c = self.col_arg(&a, 0, "col", false)?;
                col(sort_col(c, name, span))
            }
            "countDistinct" | "count_distinct" | "sumDistinct" | "sum_distinct" => {
                a.check(usize::MAX, &[])?;
                let mut args = vec![];
                for (v, s) in a.rest(0) {
                    args.push(self.col_of(v, s, false)?);
                }
                if args.is_empty() {
                    return err(format!("{name}() needs at least one column"), span);
                }
                let base = if name.starts_with("count") { "count" } else { "sum" };
                col(Col::new(ColKind::Func { name: base.into(), args, distinct: true }, span))
            }
            "isnull" | "isnotnull" => {
                a.check(1, &["col"])?;
                let c = self.col_arg(&a, 0, "col", false)?;
                col(Col::new(ColKind::IsNull(Box::new(c), name == "isnotnull"), span))
            }
            "count" => {
                a.check(1, &["col"])?;
                let c = self.col_arg(&a, 0, "col", false)?;
                col(Col::func("count", vec![c], span))
            }
            _ => {
                let registry = crate::input::sql::functions::lookup(name);
                if registry.is_none() && name != "create_map" {
                    return err(
                        format!("F.{name} is not supported by Stagecraft (it is not in Spark SQL's built-in function registry Stagecraft models)"),
                        name_span,
                    );
                }
                a.check(usize::MAX, &["ignorenulls", "ignoreNulls", "seed", "offset", "default", "limit", "scale", "pos", "len", "format", "rsd", "asc", "numBits", "n", "days", "months", "replacement", "pattern", "idx"])?;
                let sql_name = if name == "create_map" { "map" } else { name };
                let kinds = arg_kinds(name).unwrap_or("C");
                let varargs = matches!(kinds.chars().last(), Some('C' | 'L'));
                let raw: Vec<(Value, Span)> = if varargs && kinds.len() == 1 { a.rest(0) } else { a.pos.clone() };
                let mut args = vec![];
                for (i, (v, s)) in raw.into_iter().enumerate() {
                    let k = kinds.chars().nth(i).or_else(|| kinds.chars().last()).unwrap_or('c');
                    args.push(self.col_of(v, s, k.eq_ignore_ascii_case(&'l') && k != 'C' && k != 'c')?);
                }
                // Keyword forms and the defaults PySpark passes explicitly (they show in column names).
                let kw_lit = |me: &mut Self, key: &str| -> Result<Option<Col>> {
                    match a.kw.iter().find(|(k, _, _)| k == key) {
                        Some((_, v, s)) => Ok(Some(me.col_of(v.clone(), *s, true)?)),
                        None => Ok(None),
                    }
                };
                let lit_i = |v: i128| Col::lit(PyLit::Int(v), span);
                match name {
                    "round" | "bround" if args.len() == 1 => args.push(kw_lit(self, "scale")?.unwrap_or(lit_i(0))),
                    "split" if args.len() == 2 => args.push(kw_lit(self, "limit")?.unwrap_or(lit_i(-1))),
                    "locate" if args.len() == 2 => args.push(kw_lit(self, "pos")?.unwrap_or(lit_i(1))),
                    "sort_array" if args.len() == 1 => args.push(kw_lit(self, "asc")?.unwrap_or(Col::lit(PyLit::Bool(true), span))),
                    "lag" | "lead" => {
                        if args.len() == 1 {
                            args.push(kw_lit(self, "offset")?.unwrap_or(lit_i(1)));
                        }
                        if args.len() == 2 {
                            args.push(kw_lit(self, "default")?.unwrap_or(Col::lit(PyLit::None, span)));
                        }
                    }
                    "rand" | "randn" if args.is_empty() => {
                        if let Some(s) = kw_lit(self, "seed")? {
                            args.push(s);
                        }
                    }
                    "first" | "last" => {
                        // ignorenulls is not an argument of the expression Spark prints.
                        args.truncate(1);
                    }
                    "approx_count_distinct" => args.truncate(1),
                    _ => {}
                }
                col(Col::func(sql_name, args, span))
            }
        }
    }

    /// A Column method.
    pub(crate) fn column_method(&mut self, c: Col, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let span = a.span;
        let out = |k: ColKind| Ok(Value::Column(Col::new(k, span)));
        match m {
            "alias" | "name" => {
                a.check(usize::MAX, &["metadata"])?;
                let mut names = vec![];
                for (v, s) in a.pos.iter().cloned() {
                    names.push(self.to_str(v, s, "an alias")?);
                }
                if names.is_empty() {
                    return err("alias() needs a name", span);
                }
                out(ColKind::Alias(Box::new(c), names))
            }
            "cast" | "astype" => {
                a.check(1, &["dataType"])?;
                let (v, s) = a.req(0, "dataType")?;
                let t = self.to_dtype(v, s)?;
                out(ColKind::Cast(Box::new(c), t))
            }
            "isNull" | "isNotNull" => {
                a.check(0, &[])?;
                out(ColKind::IsNull(Box::new(c), m == "isNotNull"))
            }
            "isin" => {
                a.check(usize::MAX, &[])?;
                let mut vals = vec![];
                for (v, s) in a.rest(0) {
                    vals.push(self.col_of(v, s, true)?);
                }
                out(ColKind::In(Box::new(c), vals))
            }
            "between" => {
                a.check(2, &["lowerBound", "upperBound"])?;
                let lo = self.col_arg(&a, 0, "lowerBound", true)?;
                let hi = self.col_arg(&a, 1, "upperBound", true)?;
                let l = Col::bin(COp::GtEq, c.clone(), lo, span);
                let h = Col::bin(COp::LtEq, c, hi, span);
                out(ColKind::Bin(COp::And, Box::new(l), Box::new(h)))
            }
            "like" | "rlike" | "ilike" => {
                a.check(1, &["other"])?;
                let p = self.col_arg(&a, 0, "other", true)?;
                let k = match m {
                    "like" => LikeKind::Like,
                    "rlike" => LikeKind::RLike,
                    _ => LikeKind::ILike,
                };
                out(ColKind::Like(Box::new(c), Box::new(p), k))
            }
            "startswith" | "endswith" | "contains" => {
                a.check(1, &["other"])?;
                let p = self.col_arg(&a, 0, "other", true)?;
                out(ColKind::Native { name: m.to_string(), args: vec![c, p], dtype: DataType::Boolean })
            }
            "substr" => {
                a.check(2, &["startPos", "length"])?;
                let pos = self.col_arg(&a, 0, "startPos", true)?;
                let len = self.col_arg(&a, 1, "length", true)?;
                out(ColKind::Func { name: "substring".into(), args: vec![c, pos, len], distinct: false })
            }
            "asc" | "desc" | "asc_nulls_first" | "asc_nulls_last" | "desc_nulls_first" | "desc_nulls_last" => {
                a.check(0, &[])?;
                Ok(Value::Column(sort_col(c, m, span)))
            }
            "over" => {
                a.check(1, &["window"])?;
                let w = match a.get(0, "window") {
                    None | Some((Value::None, _)) => Rc::new(WinSpec::default()),
                    Some((Value::WindowSpec(w), _)) => w,
                    Some((Value::WindowCls, _)) => Rc::new(WinSpec::default()),
                    Some((other, s)) => return err(format!("over() takes a WindowSpec, got {}", other.kind()), s),
                };
                out(ColKind::Over(Box::new(c), w))
            }
            "when" => {
                a.check(2, &["condition", "value"])?;
                let cond = self.col_arg(&a, 0, "condition", false)?;
                let v = self.col_arg(&a, 1, "value", true)?;
                match c.kind {
                    ColKind::Case { mut branches, otherwise: None } => {
                        branches.push((cond, v));
                        out(ColKind::Case { branches, otherwise: None })
                    }
                    _ => err("when() can only be applied on a Column previously generated by when()", name_span),
                }
            }
            "otherwise" => {
                a.check(1, &["value"])?;
                let v = self.col_arg(&a, 0, "value", true)?;
                match c.kind {
                    ColKind::Case { branches, otherwise: None } => out(ColKind::Case { branches, otherwise: Some(Box::new(v)) }),
                    ColKind::Case { .. } => err("otherwise() can only be applied once on a Column previously generated by when()", name_span),
                    _ => err("otherwise() can only be applied on a Column previously generated by when()", name_span),
                }
            }
            "eqNullSafe" => {
                a.check(1, &["other"])?;
                let o = self.col_arg(&a, 0, "other", true)?;
                out(ColKind::Bin(COp::EqNullSafe, Box::new(c), Box::new(o)))
            }
            "bitwiseAND" | "bitwiseOR" | "bitwiseXOR" => {
                a.check(1, &["other"])?;
                let o = self.col_arg(&a, 0, "other", true)?;
                let op = match m {
                    "bitwiseAND" => COp::BitAnd,
                    "bitwiseOR" => COp::BitOr,
                    _ => COp::BitXor,
                };
                out(ColKind::Bin(op, Box::new(c), Box::new(o)))
            }
            "getItem" | "getField" | "withField" | "dropFields" => err(format!("Column.{m}() (nested data access) is not supported by Stagecraft yet"), name_span),
            other => err(format!("'Column' object has no attribute '{other}'"), name_span),
        }
    }

    /// A binary Python operator with a Column on either side (PySpark's dunder methods).
    pub(crate) fn column_binary(&mut self, op: crate::input::pyspark::ast::BinOp, l: Value, ls: Span, r: Value, rs: Span, span: Span) -> Result<Col> {
        use crate::input::pyspark::ast::BinOp as B;
        let left_is_col = matches!(l, Value::Column(_));
        let cop = match op {
            B::Add => COp::Add,
            B::Sub => COp::Sub,
            B::Mul => COp::Mul,
            B::Div => COp::Div,
            B::Mod => COp::Mod,
            B::BitAnd => COp::And,
            B::BitOr => COp::Or,
            B::Pow => {
                let lc = self.col_of(l, ls, true)?;
                let rc = self.col_of(r, rs, true)?;
                return Ok(Col::func("pow", vec![lc, rc], span));
            }
            other => return err(format!("unsupported operand type(s) for {}: Column (PySpark's Column has no `{}`)", other.symbol(), other.symbol()), span),
        };
        // `1 + col` is Column.__radd__: Spark builds `col + 1` for the commutative ones
        // (plus, multiply, and, or) and `1 - col` for the others.
        let commutative = matches!(cop, COp::Add | COp::Mul | COp::And | COp::Or);
        if !left_is_col && commutative {
            let rc = self.col_of(r, rs, false)?;
            let lc = self.col_of(l, ls, true)?;
            return Ok(Col::bin(cop, rc, lc, span));
        }
        let lc = self.col_of(l, ls, !left_is_col)?;
        let rc = self.col_of(r, rs, left_is_col)?;
        Ok(Col::bin(cop, lc, rc, span))
    }

    /// `Window.partitionBy(...)`, `.orderBy(...)`, `.rowsBetween(a, b)`, `.rangeBetween(a, b)`.
    pub(crate) fn window_method(&mut self, w: Rc<WinSpec>, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let mut spec = (*w).clone();
        match m {
            "partitionBy" | "orderBy" => {
                a.check(usize::MAX, &[])?;
                let mut cols = vec![];
                for (v, s) in a.rest(0) {
                    cols.push(self.col_of(v, s, false)?);
                }
                if m == "partitionBy" {
                    spec.partition = cols;
                } else {
                    spec.order = cols;
                }
            }
            "rowsBetween" | "rangeBetween" => {
                a.check(2, &["start", "end"])?;
                let (sv, ss) = a.req(0, "start")?;
                let (ev, es) = a.req(1, "end")?;
                let start = self.to_int(sv, ss, "the frame start")?;
                let end = self.to_int(ev, es, "the frame end")?;
                // PySpark's thresholds: anything at or beyond ±sys.maxsize is unbounded.
                let max = i64::MAX as i128;
                let start = if start <= -max { i64::MIN } else if start > max { i64::MAX } else { start as i64 };
                let end = if end >= max { i64::MAX } else if end < -max { i64::MIN } else { end as i64 };
                spec.frame = Some(PyFrame { rows: m == "rowsBetween", start, end });
            }
            other => return err(format!("'WindowSpec' object has no attribute '{other}'"), name_span),
        }
        Ok(Value::WindowSpec(Rc::new(spec)))
    }

    /// `pyspark.sql.types` constructors.
    pub(crate) fn type_ctor(&mut self, t: &str, a: Args) -> Result<Value> {
        let simple = |dt: DataType| -> Result<Value> {
            a.check(0, &[])?;
            Ok(Value::DType(dt))
        };
        match t {
            "IntegerType" => simple(DataType::Int),
            "LongType" => simple(DataType::Long),
            "ShortType" => simple(DataType::Short),
            "ByteType" => simple(DataType::Byte),
            "StringType" => simple(DataType::String),
            "DoubleType" => simple(DataType::Double),
            "FloatType" => simple(DataType::Float),
            "BooleanType" => simple(DataType::Boolean),
            "DateType" => simple(DataType::Date),
            "TimestampType" | "TimestampNTZType" => simple(DataType::Timestamp),
            "BinaryType" => simple(DataType::Binary),
            "NullType" => simple(DataType::Null),
            "DecimalType" => {
                a.check(2, &["precision", "scale"])?;
                let p = match a.get(0, "precision") {
                    Some((v, s)) => self.to_int(v, s, "precision")?,
                    None => 10,
                };
                let s = match a.get(1, "scale") {
                    Some((v, sp)) => self.to_int(v, sp, "scale")?,
                    None => 0,
                };
                if !(1..=38).contains(&p) || s < 0 || s > p {
                    return err(format!("DecimalType({p}, {s}) is not a valid decimal type"), a.span);
                }
                Ok(Value::DType(DataType::Decimal(p as u8, s as u8)))
            }
            "ArrayType" => {
                a.check(2, &["elementType", "containsNull"])?;
                let (v, s) = a.req(0, "elementType")?;
                Ok(Value::DType(DataType::Array(Box::new(self.to_dtype(v, s)?))))
            }
            "MapType" => {
                a.check(3, &["keyType", "valueType", "valueContainsNull"])?;
                let (k, ks) = a.req(0, "keyType")?;
                let (v, vs) = a.req(1, "valueType")?;
                Ok(Value::DType(DataType::Map(Box::new(self.to_dtype(k, ks)?), Box::new(self.to_dtype(v, vs)?))))
            }
            "StructField" => {
                a.check(4, &["name", "dataType", "nullable", "metadata"])?;
                let (n, ns) = a.req(0, "name")?;
                let (d, ds) = a.req(1, "dataType")?;
                let nullable = match a.get(2, "nullable") {
                    Some((v, s)) => self.to_bool(v, s, "nullable")?,
                    None => true,
                };
                let _ = nullable;
                Ok(Value::Field(self.to_str(n, ns, "a field name")?, self.to_dtype(d, ds)?))
            }
            "StructType" => {
                a.check(1, &["fields"])?;
                let fields = match a.get(0, "fields") {
                    None => vec![],
                    Some((Value::List(items) | Value::Tuple(items), s)) => {
                        let mut out = vec![];
                        for it in items {
                            match it {
                                Value::Field(n, t) => out.push((n, t)),
                                other => return err(format!("StructType takes a list of StructField, found {}", other.kind()), s),
                            }
                        }
                        out
                    }
                    Some((other, s)) => return err(format!("StructType takes a list of StructField, got {}", other.kind()), s),
                };
                Ok(Value::DType(DataType::Struct(fields)))
            }
            other => err(format!("pyspark.sql.types.{other} is not supported by Stagecraft"), a.span),
        }
    }
}

/// `asc()` / `desc_nulls_last()` ... as a sort-order Column.
pub(crate) fn sort_col(c: Col, how: &str, span: Span) -> Col {
    let (asc, nulls_first) = match how {
        "asc" => (true, true),
        "asc_nulls_first" => (true, true),
        "asc_nulls_last" => (true, false),
        "desc" => (false, false),
        "desc_nulls_first" => (false, true),
        _ => (false, false),
    };
    let inner = match c.kind {
        ColKind::Sort { child, .. } => *child,
        _ => c,
    };
    Col::new(ColKind::Sort { child: Box::new(inner), asc, nulls_first }, span)
}
