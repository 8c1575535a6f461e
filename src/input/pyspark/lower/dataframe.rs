//! DataFrame sources and transformations as Spark's Dataset API builds their analyzed plans:
//! `spark.table`/`read`/`sql`/`range`/`createDataFrame`, select (generators, global aggregates and
//! ExtractWindowExpressions' Project/Window/Project shape), filter, withColumn(s), renames, drop, joins
//! (USING-style projection, every `how`, self-join deduplication), set operations with type widening,
//! dedup, sorts (with missing-reference resolution), limits, repartitioning, hints, aliases, groupBy/agg/
//! pivot, caching and temp views; Python UDFs are extracted into BatchEvalPython / ArrowEvalPython.
//! Knows no optimization: plans are what the analyzer would hand the optimizer.

use super::columns::*;
use super::functions::sort_col;
use super::resolve::clause_of;
use super::value::*;
use super::{err, parse_type_name, Args, Lowerer, Step};
use crate::error::{Diagnostic, Result, Span};
use crate::input::sql::exprs::{self, Clause, Scope};
use crate::input::sql::functions::{self as registry, FnKind};
use crate::input::sql::standalone;
use crate::logical::expr::*;
use crate::logical::plan::*;
use crate::logical::types::DataType;

fn is_generator(e: &Expr) -> bool {
    matches!(e, Expr::Func { name, .. } if registry::lookup(name).map(|f| f.kind == FnKind::Generator).unwrap_or(false))
}

fn contains_generator(e: &Expr) -> bool {
    e.any(&is_generator)
}

fn contains_udf(e: &Expr) -> bool {
    e.any(&|x| matches!(x, Expr::Udf { .. }))
}

/// Spark's `JoinType(typ)` names.
fn join_type(how: &str, span: Span) -> Result<JoinType> {
    Ok(match how.to_ascii_lowercase().replace('_', "").as_str() {
        "inner" => JoinType::Inner,
        "cross" => JoinType::Cross,
        "outer" | "full" | "fullouter" => JoinType::FullOuter,
        "left" | "leftouter" => JoinType::LeftOuter,
        "right" | "rightouter" => JoinType::RightOuter,
        "semi" | "leftsemi" => JoinType::LeftSemi,
        "anti" | "leftanti" => JoinType::LeftAnti,
        _ => {
            return err(
                format!("[UNSUPPORTED_JOIN_TYPE] Unsupported join type '{how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'."),
                span,
            )
        }
    })
}

/// The catalog table a file path names: its last segment (extension dropped), or the table of that name.
fn table_for_path<'t>(tables: &'t [crate::scenario::Table], path: &str) -> Option<&'t crate::scenario::Table> {
    let trimmed = path.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
    let stem = match last.rsplit_once('.') {
        Some((s, ext)) if ["parquet", "csv", "json", "orc", "txt", "snappy"].contains(&ext.to_ascii_lowercase().as_str()) => s,
        _ => last,
    };
    tables.iter().find(|t| t.name.eq_ignore_ascii_case(stem)).or_else(|| tables.iter().find(|t| t.name.eq_ignore_ascii_case(last)))
}

/// Splits a DDL schema (`"a int, b decimal(10,2)"` or `"a: int"`) into fields.
pub(crate) fn parse_ddl(s: &str) -> Option<Vec<(String, DataType)>> {
    let mut out = vec![];
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut parts = vec![];
    for c in s.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            return None;
        }
        let (name, ty) = match p.split_once(':') {
            Some((n, t)) if !n.contains(' ') => (n.trim(), t.trim()),
            _ => {
                let (n, t) = p.split_once(char::is_whitespace)?;
                (n.trim(), t.trim())
            }
        };
        let ty = ty.trim_end_matches("NOT NULL").trim_end_matches("not null").trim();
        out.push((name.trim_matches('`').to_string(), parse_type_name(ty)?));
    }
    Some(out)
}

impl<'h> Lowerer<'h> {
    fn df_of(&self, v: Value, span: Span, what: &str) -> Result<Df> {
        match v {
            Value::Df(d) => Ok(d),
            other => err(format!("{what} must be a DataFrame, got {}", other.kind()), span),
        }
    }

    fn fresh_relation(&mut self, t: &crate::scenario::Table, format: Option<&str>) -> LogicalPlan {
        let mut table = t.clone();
        if let Some(f) = format {
            table.format = f.to_string();
        }
        let ids = self.host.ids();
        LogicalPlan::Relation(Relation::of_table(table, || ids.next()))
    }

    // ------------------------------------------------------------ sources

    fn table_df(&mut self, name: &str, span: Span) -> Result<Value> {
        let parts: Vec<String> = name.split('.').map(|p| p.trim_matches('`').to_string()).collect();
        let plan = self.cx().analyzer().table_plan(&parts, span)?;
        Ok(Value::Df(Df { plan }))
    }

    fn path_df(&mut self, path: &str, format: &str, span: Span) -> Result<Value> {
        let fmt = format.to_ascii_lowercase();
        if !["parquet", "csv", "json", "orc"].contains(&fmt.as_str()) {
            return err(format!("the `{format}` data source is not supported by Stagecraft (parquet, csv, json, orc)"), span);
        }
        let Some(t) = table_for_path(&self.tables, path).cloned() else {
            let known = self.tables.iter().map(|t| format!("`{}`", t.name)).collect::<Vec<_>>().join(", ");
            return err(
                format!("[PATH_NOT_FOUND] Path does not exist: {path}. Stagecraft reads a path as the catalog table named like its last segment; known tables: {}", if known.is_empty() { "none".into() } else { known }),
                span,
            );
        };
        let f = if t.format.eq_ignore_ascii_case(&fmt) { None } else { Some(fmt.as_str()) };
        Ok(Value::Df(Df { plan: self.fresh_relation(&t, f) }))
    }

    pub(crate) fn spark_method(&mut self, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let span = a.span;
        match m {
            "table" => {
                a.check(1, &["tableName"])?;
                let (v, s) = a.req(0, "tableName")?;
                let n = self.to_str(v, s, "the table name")?;
                self.table_df(&n, s)
            }
            "sql" => {
                a.check(1, &["sqlQuery", "args"])?;
                let (v, s) = a.req(0, "sqlQuery")?;
                let text = self.to_str(v, s, "the SQL text")?;
                self.spark_sql(&text, s)
            }
            "range" => {
                a.check(4, &["start", "end", "step", "numPartitions"])?;
                let (sv, ss) = a.req(0, "start")?;
                let first = self.to_int(sv, ss, "range's start")?;
                let (start, end) = match a.get(1, "end") {
                    Some((Value::None, _)) | None => (0, first),
                    Some((v, s)) => (first, self.to_int(v, s, "range's end")?),
                };
                let step = match a.get(2, "step") {
                    Some((v, s)) => self.to_int(v, s, "range's step")?,
                    None => 1,
                };
                if step == 0 {
                    return err("range() step must not be 0", span);
                }
                let splits = match a.get(3, "numPartitions") {
                    Some((Value::None, _)) | None => self.opts.default_parallelism,
                    Some((v, s)) => {
                        let n = self.to_int(v, s, "numPartitions")?;
                        if !(1..=1_000_000).contains(&n) {
                            return err("numPartitions must be between 1 and 1000000", s);
                        }
                        n as u32
                    }
                };
                let fit = |x: i128, s: Span| -> Result<i64> { i64::try_from(x).map_err(|_| Diagnostic::analysis("range bound out of the bigint range", s)) };
                let output = vec![Attribute { name: "id".into(), id: self.host.ids().next(), dtype: DataType::Long, nullable: false, qualifier: vec![] }];
                Ok(Value::Df(Df { plan: LogicalPlan::Range { start: fit(start, ss)?, end: fit(end, ss)?, step: fit(step, ss)?, splits: Some(splits), output } }))
            }
            "createDataFrame" => {
                a.check(4, &["data", "schema", "samplingRatio", "verifySchema"])?;
                let (data, ds) = a.req(0, "data")?;
                let schema = a.get(1, "schema");
                self.create_data_frame(data, ds, schema, span)
            }
            "stop" | "catalog" => Ok(Value::None),
            "newSession" => Ok(Value::Spark),
            other => err(format!("SparkSession.{other}() is not supported by Stagecraft"), name_span),
        }
    }

    fn spark_sql(&mut self, text: &str, s: Span) -> Result<Value> {
        let origin = self.src.string_origin(s);
        let shift = |d: Diagnostic| Diagnostic { span: d.span.offset_by(origin), ..d };
        let trimmed = text.trim().trim_end_matches(';').trim();
        if trimmed.len() > 4 && trimmed[..4].eq_ignore_ascii_case("set ") {
            if let Some((k, v)) = trimmed[4..].split_once('=') {
                self.host.set_conf(k.trim(), v.trim());
                return Ok(Value::Opaque("the result of SET".into()));
            }
        }
        let q = crate::input::sql::parse_query(text).map_err(shift)?;
        let plan = self.cx().analyzer().analyze_query(&q).map_err(shift)?;
        Ok(Value::Df(Df { plan }))
    }

    pub(crate) fn create_data_frame(&mut self, data: Value, ds: Span, schema: Option<(Value, Span)>, span: Span) -> Result<Value> {
        if let Value::Rdd(r) = data {
            return self.rdd_to_df(r, schema, span);
        }
        let rows = match data {
            Value::List(v) | Value::Tuple(v) => v,
            other => return err(format!("createDataFrame() takes a list of rows (tuples, lists or dicts) or an RDD, got {}", other.kind()), ds),
        };
        // The schema: names only, a DDL string, a single type, or a StructType.
        let mut names: Option<Vec<String>> = None;
        let mut types: Option<Vec<DataType>> = None;
        let mut single_value = false;
        match schema {
            None | Some((Value::None, _)) => {}
            Some((Value::List(items) | Value::Tuple(items), s)) => {
                let mut n = vec![];
                for it in items {
                    match it {
                        Value::Str(x) => n.push(x),
                        other => return err(format!("a schema list holds column names, found {}", other.kind()), s),
                    }
                }
                names = Some(n);
            }
            Some((Value::Str(text), s)) => {
                if let Some(t) = parse_type_name(&text) {
                    single_value = true;
                    names = Some(vec!["value".into()]);
                    types = Some(vec![t]);
                } else {
                    let fields = parse_ddl(&text).ok_or_else(|| Diagnostic::analysis(format!("[PARSE_SYNTAX_ERROR] cannot parse the schema \"{text}\""), s))?;
                    names = Some(fields.iter().map(|f| f.0.clone()).collect());
                    types = Some(fields.into_iter().map(|f| f.1).collect());
                }
            }
            Some((Value::DType(DataType::Struct(fields)), _)) => {
                names = Some(fields.iter().map(|f| f.0.clone()).collect());
                types = Some(fields.into_iter().map(|f| f.1).collect());
            }
            Some((Value::DType(t), _)) => {
                single_value = true;
                names = Some(vec!["value".into()]);
                types = Some(vec![t]);
            }
            Some((other, s)) => return err(format!("unsupported schema: {}", other.kind()), s),
        }
        // Rows as value lists (dict rows: keys sorted, as PySpark infers them).
        let mut table: Vec<Vec<Value>> = vec![];
        let mut dict_names: Option<Vec<String>> = None;
        for r in &rows {
            match r {
                Value::Tuple(v) | Value::List(v) if !single_value => table.push(v.clone()),
                Value::Dict(d) if !single_value => {
                    let mut kv: Vec<(String, Value)> = vec![];
                    for (k, v) in d {
                        match k {
                            Value::Str(s) => kv.push((s.clone(), v.clone())),
                            _ => return err("dict rows need str keys", ds),
                        }
                    }
                    crate::sort::sort_by(&mut kv, |x, y| x.0.cmp(&y.0));
                    if dict_names.is_none() {
                        dict_names = Some(kv.iter().map(|x| x.0.clone()).collect());
                    }
                    table.push(kv.into_iter().map(|x| x.1).collect());
                }
                v if single_value => table.push(vec![v.clone()]),
                other => return err(format!("createDataFrame rows must be tuples, lists or dicts, found {} (give a single type as schema for a list of values)", other.kind()), ds),
            }
        }
        let width = table.first().map(|r| r.len()).unwrap_or_else(|| names.as_ref().map(|n| n.len()).unwrap_or(0));
        if table.iter().any(|r| r.len() != width) {
            return err("[LENGTH_SHOULD_BE_THE_SAME] all rows must have the same number of fields", ds);
        }
        let names = names.or(dict_names).unwrap_or_else(|| (1..=width).map(|i| format!("_{i}")).collect());
        if names.len() != width && !table.is_empty() {
            return err(format!("[LENGTH_MISMATCH] the schema has {} columns but the rows have {width}", names.len()), span);
        }
        let types = match types {
            Some(t) => t,
            None => {
                let mut out = vec![];
                for (ci, n) in names.iter().enumerate() {
                    let mut t: Option<DataType> = None;
                    for r in &table {
                        let vt = match infer_type(&r[ci]) {
                            Ok(Some(x)) => x,
                            Ok(None) => continue,
                            Err(k) => return err(format!("[CANNOT_INFER_TYPE_FOR_FIELD] cannot infer a Spark type for field `{n}` from a Python {k}"), ds),
                        };
                        t = match t {
                            None => Some(vt),
                            Some(prev) if prev == vt => Some(prev),
                            Some(prev) => return err(format!("[CANNOT_MERGE_TYPE] Can not merge type {prev} and {vt} in field `{n}`"), ds),
                        };
                    }
                    match t {
                        Some(t) => out.push(t),
                        None => return err(format!("[CANNOT_DETERMINE_TYPE] Some of types cannot be determined after inferring (field `{n}` is always None)"), ds),
                    }
                }
                out
            }
        };
        let ids = self.host.ids();
        let output = names.into_iter().zip(types).map(|(n, t)| Attribute { name: n, id: ids.next(), dtype: t, nullable: true, qualifier: vec![] }).collect();
        Ok(Value::Df(Df { plan: LogicalPlan::LocalRelation { output, rows: table.len() } }))
    }

    pub(crate) fn builder_method(&mut self, m: &str, _a: Args, name_span: Span) -> Result<Value> {
        match m {
            "appName" | "master" | "config" | "enableHiveSupport" => Ok(Value::Builder),
            "getOrCreate" => Ok(Value::Spark),
            other => err(format!("SparkSession.builder.{other}() is not supported"), name_span),
        }
    }

    pub(crate) fn reader_method(&mut self, r: Reader, m: &str, a: Args, name_span: Span) -> Result<Value> {
        match m {
            "format" => {
                let (v, s) = a.req(0, "source")?;
                let f = self.to_str(v, s, "the format")?;
                Ok(Value::Reader(Reader { format: Some(f) }))
            }
            "option" | "options" | "schema" => Ok(Value::Reader(r)),
            "table" => {
                let (v, s) = a.req(0, "tableName")?;
                let n = self.to_str(v, s, "the table name")?;
                self.table_df(&n, s)
            }
            "parquet" | "csv" | "json" | "orc" | "load" => {
                if a.pos.len() > 1 && m != "load" {
                    return err(format!("{m}() of several paths at once is not supported by Stagecraft; read one path (a table) per DataFrame and union them"), a.pos[1].1);
                }
                let (v, s) = match a.get(0, "path") {
                    Some(x) => x,
                    None => return err(format!("{m}() needs a path"), a.span),
                };
                let path = match v {
                    Value::Str(p) => p,
                    Value::List(items) if items.len() == 1 => self.to_str(items[0].clone(), s, "the path")?,
                    other => return err(format!("the path must be one str, got {}", other.kind()), s),
                };
                let format = match m {
                    "load" => match a.get(1, "format") {
                        Some((fv, fs)) => self.to_str(fv, fs, "the format")?,
                        None => r.format.clone().unwrap_or_else(|| "parquet".into()),
                    },
                    other => other.to_string(),
                };
                self.path_df(&path, &format, s)
            }
            "text" | "textFile" => err("spark.read.text is not supported by Stagecraft; use sc.textFile for RDD lineage lessons", name_span),
            other => err(format!("DataFrameReader.{other}() is not supported by Stagecraft"), name_span),
        }
    }

    pub(crate) fn conf_method(&mut self, m: &str, a: Args, name_span: Span) -> Result<Value> {
        match m {
            "set" => {
                a.check(2, &["key", "value"])?;
                let (k, ks) = a.req(0, "key")?;
                let (v, vs) = a.req(1, "value")?;
                let key = self.to_str(k, ks, "the conf key")?;
                let value = match v {
                    Value::Bool(b) => b.to_string(),
                    other => other.py_str().ok_or_else(|| Diagnostic::analysis("a conf value must be a str, number or bool", vs))?,
                };
                self.host.set_conf(&key, &value);
                Ok(Value::None)
            }
            "get" => {
                let (k, ks) = a.req(0, "key")?;
                let key = self.to_str(k, ks, "the conf key")?;
                Ok(match self.host.conf(&key) {
                    Some(v) => Value::Str(v),
                    None => a.get(1, "defaultValue").map(|x| x.0).unwrap_or(Value::None),
                })
            }
            "unset" | "isModifiable" => Ok(Value::None),
            other => err(format!("spark.conf.{other}() is not supported"), name_span),
        }
    }

    pub(crate) fn catalog_method(&mut self, m: &str, a: Args, name_span: Span) -> Result<Value> {
        match m {
            "cacheTable" => {
                let (v, s) = a.req(0, "tableName")?;
                let n = self.to_str(v, s, "the table name")?;
                let Value::Df(df) = self.table_df(&n, s)? else { return err("not a table", s) };
                let level = match a.get(1, "storageLevel") {
                    Some((Value::Level(Some(l), _), _)) => l,
                    _ => StorageLevel::MemoryAndDisk,
                };
                self.add_cache(&df.plan, level);
                Ok(Value::None)
            }
            "uncacheTable" => {
                let (v, s) = a.req(0, "tableName")?;
                let n = self.to_str(v, s, "the table name")?;
                if let Value::Df(df) = self.table_df(&n, s)? {
                    self.remove_cache(&df.plan);
                }
                Ok(Value::None)
            }
            "clearCache" => {
                self.caches.clear();
                Ok(Value::None)
            }
            "dropTempView" | "dropGlobalTempView" => {
                let (v, s) = a.req(0, "viewName")?;
                let n = self.to_str(v, s, "the view name")?;
                Ok(Value::Bool(self.views.remove(&n.to_ascii_lowercase()).is_some()))
            }
            "tableExists" => {
                let (v, s) = a.req(0, "tableName")?;
                let n = self.to_str(v, s, "the table name")?;
                let key = n.rsplit('.').next().unwrap_or(&n).to_ascii_lowercase();
                Ok(Value::Bool(self.views.contains_key(&key) || self.tables.iter().any(|t| t.name.eq_ignore_ascii_case(&key))))
            }
            "listTables" | "listDatabases" | "listColumns" | "currentDatabase" => Ok(Value::Opaque(format!("spark.catalog.{m}()"))),
            other => err(format!("spark.catalog.{other}() is not supported"), name_span),
        }
    }

    // ------------------------------------------------------------ DataFrame attributes

    pub(crate) fn df_attr(&mut self, df: Df, name: &str, span: Span) -> Result<Value> {
        let out = df.plan.output();
        match name {
            "write" => Ok(Value::Writer(Box::new(Writer { df, mode: None, format: None, partition_by: vec![], bucket_by: None }))),
            "rdd" => self.df_to_rdd(df, span),
            "columns" => Ok(Value::List(out.iter().map(|a| Value::Str(a.name.clone())).collect())),
            "dtypes" => Ok(Value::List(out.iter().map(|a| Value::Tuple(vec![Value::Str(a.name.clone()), Value::Str(a.dtype.simple_string())])).collect())),
            "schema" => Ok(Value::DType(DataType::Struct(out.iter().map(|a| (a.name.clone(), a.dtype.clone())).collect()))),
            "isStreaming" => Ok(Value::Bool(false)),
            "sparkSession" => Ok(Value::Spark),
            "storageLevel" => Ok(Value::Opaque("df.storageLevel".into())),
            "na" | "stat" | "writeStream" | "writeTo" => err(format!("df.{name} is not supported by Stagecraft yet"), span),
            _ if DF_METHODS.contains(&name) => Ok(Value::Method(Box::new(Value::Df(df)), name.to_string())),
            _ => match out.iter().find(|a| a.name.eq_ignore_ascii_case(name)) {
                Some(a) => Ok(Value::Column(Col::new(ColKind::Bound(a.clone()), span))),
                None => err(format!("'DataFrame' object has no attribute '{name}'"), span),
            },
        }
    }

    pub(crate) fn df_getitem(&mut self, df: Df, idx: Value, span: Span) -> Result<Value> {
        match idx {
            Value::Str(name) => {
                let c = name_col(&name, span);
                let scope = Scope::new(df.plan.output());
                let e = self.cx().resolve(&c, &scope, Clause::Select)?;
                match e {
                    Expr::Attr(a) => Ok(Value::Column(Col::new(ColKind::Bound(a), span))),
                    _ => err(format!("df[\"{name}\"] must name a column"), span),
                }
            }
            Value::Int(i) => {
                let out = df.plan.output();
                match usize::try_from(i).ok().and_then(|k| out.get(k)) {
                    Some(a) => Ok(Value::Column(Col::new(ColKind::Bound(a.clone()), span))),
                    None => err(format!("column index {i} out of range (the DataFrame has {} columns)", out.len()), span),
                }
            }
            Value::List(items) => {
                let mut cols = vec![];
                for it in items {
                    cols.push(self.col_of(it, span, false)?);
                }
                let plan = self.project(df.plan, cols, span)?;
                Ok(Value::Df(Df { plan }))
            }
            Value::Column(c) => {
                let plan = self.filter(df.plan, c, span)?;
                Ok(Value::Df(Df { plan }))
            }
            other => err(format!("a DataFrame cannot be indexed by a {}", other.kind()), span),
        }
    }

    // ------------------------------------------------------------ DataFrame methods

    pub(crate) fn df_method(&mut self, df: Df, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let span = a.span;
        let ok = |plan: LogicalPlan| Ok(Value::Df(Df { plan }));
        match m {
            "select" => {
                a.check(usize::MAX, &[])?;
                let mut cols = vec![];
                for (v, s) in a.rest(0) {
                    cols.push(self.col_of(v, s, false)?);
                }
                ok(self.project(df.plan, cols, span)?)
            }
            "selectExpr" => {
                a.check(usize::MAX, &[])?;
                let mut cols = vec![];
                for (v, s) in a.rest(0) {
                    let text = self.to_str(v, s, "a selectExpr argument")?;
                    cols.push(self.select_item_col(&text, s)?);
                }
                ok(self.project(df.plan, cols, span)?)
            }
            "filter" | "where" => {
                a.check(1, &["condition"])?;
                let (v, s) = a.req(0, "condition")?;
                let c = match v {
                    Value::Str(text) => self.sql_col(&text, s)?,
                    other => self.col_of(other, s, false)?,
                };
                ok(self.filter(df.plan, c, span)?)
            }
            "withColumn" => {
                a.check(2, &["colName", "col"])?;
                let (nv, ns) = a.req(0, "colName")?;
                let name = self.to_str(nv, ns, "the column name")?;
                let (cv, cs) = a.req(1, "col")?;
                let c = match cv {
                    Value::Column(c) => c,
                    other => return err(format!("[NOT_COLUMN] Argument `col` should be a Column, got {}", other.kind()), cs),
                };
                ok(self.with_columns(df.plan, vec![(name, c)], span)?)
            }
            "withColumns" => {
                a.check(1, &["colsMap"])?;
                let (v, s) = a.req(0, "colsMap")?;
                let Value::Dict(items) = v else { return err("withColumns() takes a dict of name → Column", s) };
                let mut cols = vec![];
                for (k, c) in items {
                    let n = self.to_str(k, s, "a column name")?;
                    let Value::Column(c) = c else { return err("[NOT_COLUMN] withColumns() values must be Columns", s) };
                    cols.push((n, c));
                }
                ok(self.with_columns(df.plan, cols, span)?)
            }
            "withColumnRenamed" | "withColumnsRenamed" => {
                let pairs: Vec<(String, String)> = if m == "withColumnRenamed" {
                    a.check(2, &["existing", "new"])?;
                    let (ev, es) = a.req(0, "existing")?;
                    let (nv, ns) = a.req(1, "new")?;
                    vec![(self.to_str(ev, es, "the existing name")?, self.to_str(nv, ns, "the new name")?)]
                } else {
                    a.check(1, &["colsMap"])?;
                    let (v, s) = a.req(0, "colsMap")?;
                    let Value::Dict(items) = v else { return err("withColumnsRenamed() takes a dict of old → new names", s) };
                    let mut out = vec![];
                    for (k, n) in items {
                        out.push((self.to_str(k, s, "a column name")?, self.to_str(n, s, "a column name")?));
                    }
                    out
                };
                ok(self.rename(df.plan, &pairs))
            }
            "drop" => {
                a.check(usize::MAX, &[])?;
                ok(self.drop_cols(df.plan, a.rest(0))?)
            }
            "toDF" => {
                a.check(usize::MAX, &[])?;
                let out = df.plan.output();
                let mut names = vec![];
                for (v, s) in a.rest(0) {
                    names.push(self.to_str(v, s, "a column name")?);
                }
                if names.len() != out.len() {
                    return err(format!("[LENGTH_MISMATCH] toDF() got {} names for {} columns", names.len(), out.len()), span);
                }
                let exprs = out.iter().zip(names).map(|(a, n)| if a.name == n { Expr::Attr(a.clone()) } else { Expr::Attr(a.clone()).alias(&n, 0) }).collect();
                ok(LogicalPlan::Project { exprs: self.fresh_alias_ids(exprs), child: Box::new(df.plan) })
            }
            "groupBy" | "groupby" => {
                a.check(usize::MAX, &[])?;
                let mut keys = vec![];
                for (v, s) in a.rest(0) {
                    keys.push(self.col_of(v, s, false)?);
                }
                Ok(Value::Grouped(Box::new(Grouped { df, keys, pivot: None })))
            }
            "agg" => {
                let g = Grouped { df, keys: vec![], pivot: None };
                self.grouped_method(g, "agg", a, name_span)
            }
            "rollup" | "cube" | "groupingSets" => err(format!("df.{m}() (grouping sets, planned with Expand) is not supported by Stagecraft yet"), name_span),
            "join" => {
                a.check(3, &["other", "on", "how"])?;
                let (ov, os) = a.req(0, "other")?;
                let other = self.df_of(ov, os, "join's other side")?;
                let on = a.get(1, "on").filter(|(v, _)| !matches!(v, Value::None));
                let how = match a.get(2, "how") {
                    Some((Value::None, _)) | None => None,
                    Some((v, s)) => Some((self.to_str(v, s, "how")?, s)),
                };
                ok(self.join(df.plan, other.plan, on, how, span)?)
            }
            "crossJoin" => {
                a.check(1, &["other"])?;
                let (ov, os) = a.req(0, "other")?;
                let other = self.df_of(ov, os, "crossJoin's other side")?;
                let right = self.dedup_right(&df.plan, other.plan);
                ok(LogicalPlan::Join { left: Box::new(df.plan), right: Box::new(right), join_type: JoinType::Cross, cond: None, hint: JoinHint::default(), null_aware: false })
            }
            "union" | "unionAll" => {
                a.check(1, &["other"])?;
                let (ov, os) = a.req(0, "other")?;
                let other = self.df_of(ov, os, "union's other side")?;
                let mut children = vec![];
                for p in [df.plan, other.plan] {
                    match p {
                        LogicalPlan::Union { children: c, by_name: false, allow_missing: false } => children.extend(c),
                        p => children.push(p),
                    }
                }
                ok(self.widen_union(children, span)?)
            }
            "unionByName" => {
                a.check(2, &["other", "allowMissingColumns"])?;
                let (ov, os) = a.req(0, "other")?;
                let other = self.df_of(ov, os, "unionByName's other side")?;
                let allow = match a.get(1, "allowMissingColumns") {
                    Some((v, s)) => self.to_bool(v, s, "allowMissingColumns")?,
                    None => false,
                };
                ok(self.union_by_name(df.plan, other.plan, allow, span)?)
            }
            "intersect" | "intersectAll" | "subtract" | "exceptAll" => {
                a.check(1, &["other"])?;
                let (ov, os) = a.req(0, "other")?;
                let other = self.df_of(ov, os, "the other side")?;
                let widened = self.widen_union(vec![df.plan, other.plan], span)?;
                let LogicalPlan::Union { mut children, .. } = widened else { return err("internal: set operation", span) };
                let r = children.pop().unwrap_or(LogicalPlan::LocalRelation { output: vec![], rows: 0 });
                let l = children.pop().unwrap_or(LogicalPlan::LocalRelation { output: vec![], rows: 0 });
                let all = m.ends_with("All");
                ok(if m.starts_with("intersect") {
                    LogicalPlan::Intersect { left: Box::new(l), right: Box::new(r), all }
                } else {
                    LogicalPlan::Except { left: Box::new(l), right: Box::new(r), all }
                })
            }
            "distinct" => {
                a.check(0, &[])?;
                let keys = df.plan.output();
                ok(LogicalPlan::Deduplicate { keys, child: Box::new(df.plan) })
            }
            "dropDuplicates" | "drop_duplicates" => {
                a.check(1, &["subset"])?;
                let out = df.plan.output();
                let keys = match a.get(0, "subset") {
                    None | Some((Value::None, _)) => out,
                    Some((v, s)) => {
                        let names: Vec<Value> = match v {
                            Value::List(x) | Value::Tuple(x) => x,
                            Value::Str(_) => return err("[NOT_LIST_OR_TUPLE] Argument `subset` should be a list or tuple, got str", s),
                            other => return err(format!("dropDuplicates() takes a list of column names, got {}", other.kind()), s),
                        };
                        let mut keys: Vec<Attribute> = vec![];
                        let mut seen: Vec<String> = vec![];
                        for n in names {
                            let n = self.to_str(n, s, "a column name")?;
                            if seen.contains(&n) {
                                continue;
                            }
                            seen.push(n.clone());
                            let hits: Vec<&Attribute> = out.iter().filter(|a| a.name.eq_ignore_ascii_case(&n)).collect();
                            if hits.is_empty() {
                                return err(
                                    format!("[UNRESOLVED_COLUMN_AMONG_FIELD_NAMES] Cannot resolve column name \"{n}\" among ({}).", out.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")),
                                    s,
                                );
                            }
                            keys.extend(hits.into_iter().cloned());
                        }
                        keys
                    }
                };
                ok(LogicalPlan::Deduplicate { keys, child: Box::new(df.plan) })
            }
            "orderBy" | "sort" | "sortWithinPartitions" => {
                a.check(usize::MAX, &["ascending"])?;
                let cols = a.rest(0);
                if cols.is_empty() {
                    return err(format!("{m}() needs at least one column"), span);
                }
                let asc: Vec<bool> = match a.kw.iter().find(|(k, _, _)| k == "ascending") {
                    None => vec![true; cols.len()],
                    Some((_, Value::List(v), s)) => {
                        if v.len() != cols.len() {
                            return err("`ascending` must have one entry per column", *s);
                        }
                        v.iter().map(|x| self.to_bool(x.clone(), *s, "ascending")).collect::<Result<_>>()?
                    }
                    Some((_, v, s)) => vec![self.to_bool(v.clone(), *s, "ascending")?; cols.len()],
                };
                let mut sort_cols = vec![];
                for ((v, s), up) in cols.into_iter().zip(asc) {
                    let c = self.col_of(v, s, false)?;
                    let c = if up || matches!(c.kind, ColKind::Sort { .. }) { c } else { sort_col(c, "desc", s) };
                    sort_cols.push(c);
                }
                ok(self.sort(df.plan, sort_cols, m != "sortWithinPartitions", span)?)
            }
            "limit" => {
                a.check(1, &["num"])?;
                let (v, s) = a.req(0, "num")?;
                let n = self.to_int(v, s, "limit's num")?;
                if n < 0 || n > i32::MAX as i128 {
                    return err(format!("[INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE] The limit must be a non-negative int, got {n}"), s);
                }
                let n = n as i64;
                ok(LogicalPlan::GlobalLimit { n, child: Box::new(LogicalPlan::LocalLimit { n, child: Box::new(df.plan) }) })
            }
            "repartition" | "repartitionByRange" => {
                a.check(usize::MAX, &["numPartitions"])?;
                let mut num: Option<u32> = None;
                let mut rest = a.pos.clone();
                let num_val = if matches!(rest.first(), Some((Value::Int(_), _))) { Some(rest.remove(0)) } else { a.kw.iter().find(|(k, _, _)| k == "numPartitions").map(|(_, v, s)| (v.clone(), *s)) };
                if let Some((v, s)) = num_val {
                    let n = self.to_int(v, s, "numPartitions")?;
                    if !(1..=1_000_000).contains(&n) {
                        return err(format!("[INVALID_PARTITION_NUMBER] numPartitions must be positive, got {n}"), s);
                    }
                    num = Some(n as u32);
                }
                let flat: Vec<(Value, Span)> = if rest.len() == 1 {
                    match &rest[0] {
                        (Value::List(items), s) => items.iter().map(|v| (v.clone(), *s)).collect(),
                        _ => rest,
                    }
                } else {
                    rest
                };
                let mut cols = vec![];
                for (v, s) in flat {
                    cols.push(self.col_of(v, s, false)?);
                }
                let child = Box::new(df.plan);
                let scope = Scope::new(child.output());
                if m == "repartitionByRange" {
                    if cols.is_empty() {
                        return err("repartitionByRange() needs at least one column", span);
                    }
                    let mut range = vec![];
                    for c in &cols {
                        range.push(self.cx().sort_order(c, &scope, true)?);
                    }
                    return ok(LogicalPlan::RepartitionByExpression { exprs: vec![], range, num, child });
                }
                if cols.is_empty() {
                    let Some(n) = num else { return err("repartition() needs a number of partitions or columns", span) };
                    return ok(LogicalPlan::Repartition { num: n, shuffle: true, child });
                }
                let mut exprs = vec![];
                for c in &cols {
                    if matches!(c.kind, ColKind::Sort { .. }) {
                        return err("[UNSUPPORTED_FEATURE] repartition() by a sort order (asc/desc): use repartitionByRange", c.span);
                    }
                    exprs.push(self.cx().resolve(c, &scope, Clause::Other)?);
                }
                ok(LogicalPlan::RepartitionByExpression { exprs, range: vec![], num, child })
            }
            "coalesce" => {
                a.check(1, &["numPartitions"])?;
                let (v, s) = a.req(0, "numPartitions")?;
                let n = self.to_int(v, s, "numPartitions")?;
                if !(1..=1_000_000).contains(&n) {
                    return err(format!("[INVALID_PARTITION_NUMBER] numPartitions must be positive, got {n}"), s);
                }
                ok(LogicalPlan::Repartition { num: n as u32, shuffle: false, child: Box::new(df.plan) })
            }
            "hint" => {
                a.check(usize::MAX, &[])?;
                let (nv, ns) = a.req(0, "name")?;
                let name = self.to_str(nv, ns, "the hint name")?;
                let params = a.rest(1);
                ok(self.hint(df.plan, &name, params, span)?)
            }
            "alias" => {
                a.check(1, &["alias"])?;
                let (v, s) = a.req(0, "alias")?;
                let n = self.to_str(v, s, "the alias")?;
                ok(LogicalPlan::SubqueryAlias { alias: n, child: Box::new(df.plan) })
            }
            "cache" => {
                a.check(0, &[])?;
                self.add_cache(&df.plan, StorageLevel::MemoryAndDisk);
                Ok(Value::Df(df))
            }
            "persist" => {
                a.check(1, &["storageLevel"])?;
                let level = match a.get(0, "storageLevel") {
                    None => StorageLevel::MemoryAndDisk,
                    Some((Value::Level(Some(l), _), _)) => l,
                    Some((Value::Level(None, _), s)) => return err("persist(StorageLevel.NONE) does not cache anything; call unpersist()", s),
                    Some((other, s)) => return err(format!("persist() takes a StorageLevel, got {}", other.kind()), s),
                };
                self.add_cache(&df.plan, level);
                Ok(Value::Df(df))
            }
            "unpersist" => {
                a.check(1, &["blocking"])?;
                self.remove_cache(&df.plan);
                Ok(Value::Df(df))
            }
            "checkpoint" | "localCheckpoint" => {
                a.check(1, &["eager"])?;
                let eager = match a.get(0, "eager") {
                    Some((v, s)) => self.to_bool(v, s, "eager")?,
                    None => true,
                };
                let level = if m == "checkpoint" { StorageLevel::DiskOnly } else { StorageLevel::MemoryAndDisk };
                let inner = self.use_cached(df.plan);
                let rel = self.host.cache(inner, level);
                if eager {
                    self.sql_step(super::PyAction::CacheMaterialize, m, rel.clone());
                }
                ok(rel)
            }
            "createOrReplaceTempView" | "createTempView" | "registerTempTable" | "createGlobalTempView" | "createOrReplaceGlobalTempView" => {
                a.check(1, &["name"])?;
                let (v, s) = a.req(0, "name")?;
                let n = self.to_str(v, s, "the view name")?;
                let key = n.to_ascii_lowercase();
                if (m == "createTempView" || m == "createGlobalTempView") && self.views.contains_key(&key) {
                    return err(format!("[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `{n}` because it already exists."), s);
                }
                self.views.insert(key, df.plan);
                Ok(Value::None)
            }
            "explain" => {
                a.check(2, &["extended", "mode"])?;
                let mode = match (a.get(0, "extended"), a.kw.iter().find(|(k, _, _)| k == "mode")) {
                    (_, Some((_, Value::Str(s), _))) => s.clone(),
                    (Some((Value::Str(s), _)), None) => s,
                    (Some((Value::Bool(true), _)), None) => "extended".into(),
                    (Some((Value::Bool(false), _)), None) | (None, None) | (Some((Value::None, _)), None) => "simple".into(),
                    (Some((other, s)), _) => return err(format!("explain() takes a bool or a mode name, got {}", other.kind()), s),
                    (None, Some((_, _, s))) => return err("explain(mode=...) takes a str", *s),
                };
                let mode = mode.to_ascii_lowercase();
                if !["simple", "extended", "codegen", "cost", "formatted"].contains(&mode.as_str()) {
                    return err(format!("Unknown explain mode: {mode}. Accepted explain modes are 'simple', 'extended', 'codegen', 'cost', 'formatted'."), span);
                }
                let plan = self.use_cached(df.plan);
                self.push_step(Step::Explain { mode, plan, span: self.stmt });
                Ok(Value::None)
            }
            "printSchema" => Ok(Value::None),
            "transform" => {
                let (f, fs) = a.req(0, "func")?;
                let mut pos = vec![(Value::Df(df), span)];
                pos.extend(a.pos.iter().skip(1).cloned());
                let r = self.call(f, pos, vec![], span, fs)?;
                match r {
                    Value::Df(_) => Ok(r),
                    other => err(format!("transform()'s function must return a DataFrame, got {}", other.kind()), fs),
                }
            }
            "collect" | "count" | "show" | "take" | "head" | "first" | "toPandas" | "foreach" | "foreachPartition" | "toLocalIterator" | "isEmpty" => self.df_action(df, m, a),
            "sample" | "sampleBy" | "randomSplit" | "fillna" | "dropna" | "replace" | "describe" | "summary" | "crosstab" | "freqItems" | "unpivot" | "melt"
            | "observe" | "withWatermark" | "mapInPandas" | "mapInArrow" | "tail" | "toJSON" | "cov" | "corr" | "approxQuantile" | "dropDuplicatesWithinWatermark"
            | "inputFiles" | "semanticHash" | "sameSemantics" | "withMetadata" | "to" | "offset" | "colRegex" | "pandas_api" | "to_pandas_on_spark" => {
                err(format!("df.{m}() is not supported by Stagecraft yet"), name_span)
            }
            other => err(format!("'DataFrame' object has no attribute '{other}'"), name_span),
        }
    }

    /// Gives fresh ids to aliases built with id 0.
    fn fresh_alias_ids(&mut self, exprs: Vec<Expr>) -> Vec<Expr> {
        let ids = self.host.ids();
        exprs
            .into_iter()
            .map(|e| match e {
                Expr::Alias { child, name, id: 0 } => Expr::Alias { child, name, id: ids.next() },
                o => o,
            })
            .collect()
    }

    /// A SQL expression string as a Column (`filter("a > 1")`), positioned inside the string literal.
    pub(crate) fn sql_col(&mut self, text: &str, s: Span) -> Result<Col> {
        let origin = self.src.string_origin(s);
        let ast = standalone::parse_expr(text).map_err(|d| Diagnostic { span: d.span.offset_by(origin), ..d })?;
        Ok(sql_to_col(&ast, origin))
    }

    fn select_item_col(&mut self, text: &str, s: Span) -> Result<Col> {
        use crate::input::sql::syntax::SelectItem as SI;
        let origin = self.src.string_origin(s);
        let shift = |d: Diagnostic| Diagnostic { span: d.span.offset_by(origin), ..d };
        let item = standalone::parse_select_item(text).map_err(shift)?;
        Ok(match item {
            SI::Expr { expr, alias: None } => sql_to_col(&expr, origin),
            SI::Expr { expr, alias: Some(alias) } => {
                let c = sql_to_col(&expr, origin);
                let span = c.span;
                Col::new(ColKind::Alias(Box::new(c), vec![alias.value]), span)
            }
            SI::ExprWithAliases { expr, aliases } => {
                let c = sql_to_col(&expr, origin);
                let span = c.span;
                Col::new(ColKind::Alias(Box::new(c), aliases.into_iter().map(|a| a.value).collect()), span)
            }
            SI::Wildcard(_) => Col::new(ColKind::Star(None), s),
            SI::QualifiedWildcard(name, _) => {
                let q = name.iter().map(|p| p.value.as_str()).collect::<Vec<_>>().join(".");
                Col::new(ColKind::Star(Some(q)), s)
            }
        })
    }

    // ------------------------------------------------------------ plan builders

    /// `select(cols)`: star expansion, generators (Generate under the Project), global aggregates
    /// (Aggregate without grouping), window expressions (ExtractWindowExpressions), Python UDFs.
    pub(crate) fn project(&mut self, child: LogicalPlan, cols: Vec<Col>, span: Span) -> Result<LogicalPlan> {
        let scope = Scope::new(child.output());
        let mut items: Vec<Expr> = vec![];
        let mut generator: Option<(Expr, Vec<String>, usize, Span)> = None;
        for c in &cols {
            match &c.kind {
                ColKind::Star(None) => {
                    if scope.attrs.is_empty() {
                        return err("[INVALID_USAGE_OF_STAR_OR_REGEX] `*` over a DataFrame without columns", c.span);
                    }
                    items.extend(scope.attrs.iter().cloned().map(Expr::Attr));
                    continue;
                }
                ColKind::Star(Some(q)) => {
                    let hits: Vec<Attribute> = scope.attrs.iter().filter(|a| a.qualifier.iter().any(|x| x.eq_ignore_ascii_case(q))).cloned().collect();
                    if hits.is_empty() {
                        return err(format!("[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `{q}`.* given input columns {}.", scope.attrs.iter().map(|a| format!("`{}`", a.name)).collect::<Vec<_>>().join(", ")), c.span);
                    }
                    items.extend(hits.into_iter().map(Expr::Attr));
                    continue;
                }
                _ => {}
            }
            let e = self.cx().resolve(c, &scope, Clause::Select)?;
            if is_generator(&e) {
                if let Some((_, _, _, first)) = &generator {
                    let _ = first;
                    return err("[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] Only one generator allowed per select clause", c.span);
                }
                let names = match c.alias_names() {
                    Some(n) => n.to_vec(),
                    None => default_generator_names(&e),
                };
                generator = Some((e, names, items.len(), c.span));
                continue;
            }
            if contains_generator(&e) {
                return err("[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] a generator (explode, posexplode, ...) must be a whole select item, not inside an expression", c.span);
            }
            let named = self.name_expr(c, e, &scope);
            items.push(named);
        }
        let mut base = child;
        if let Some((g, names, at, gspan)) = generator {
            let (node, attrs) = self.generate(base, g, &names, gspan)?;
            base = node;
            for (k, a) in attrs.into_iter().enumerate() {
                items.insert(at + k, Expr::Attr(a));
            }
        }
        self.finish_projection(base, items, span)
    }

    /// Names a resolved select item: its alias, the bare attribute, or Spark's pretty name.
    pub(crate) fn name_expr(&mut self, c: &Col, e: Expr, scope: &Scope) -> Expr {
        match (&c.kind, &e) {
            (ColKind::Alias(..), _) => {
                let name = c.alias_names().and_then(|n| n.first().cloned()).unwrap_or_default();
                let id = self.host.ids().next();
                e.alias(&name, id)
            }
            (_, Expr::Attr(_)) if matches!(c.kind, ColKind::Name(_) | ColKind::Bound(_)) => e,
            (ColKind::Sql { .. }, Expr::Attr(_)) => e,
            _ => {
                let name = self.cx().pretty(c, scope);
                let id = self.host.ids().next();
                e.alias(&name, id)
            }
        }
    }

    /// The Project for resolved, named items, with Spark's rewrites for aggregates, windows and UDFs.
    fn finish_projection(&mut self, child: LogicalPlan, items: Vec<Expr>, span: Span) -> Result<LogicalPlan> {
        let has_agg = items.iter().any(agg_outside_window);
        let has_window = items.iter().any(|e| e.contains_window());
        if has_agg && has_window {
            return err("a select mixing aggregate and window functions is not supported by Stagecraft yet; aggregate first (groupBy().agg()), then add the window column", span);
        }
        if has_agg {
            for e in &items {
                check_global_agg(e, span)?;
            }
            return Ok(LogicalPlan::Aggregate { group: vec![], aggs: items, child: Box::new(child) });
        }
        if has_window {
            return Ok(self.add_windows(child, items));
        }
        if items.iter().any(contains_udf) {
            return Ok(self.extract_udfs(LogicalPlan::Project { exprs: items, child: Box::new(child) }));
        }
        Ok(LogicalPlan::Project { exprs: items, child: Box::new(child) })
    }

    /// Spark's ExtractWindowExpressions for a Project: Project(regular ++ extracted) → one Window per
    /// (partition, order) spec → Project(window output ++ window items) → Project(final names).
    fn add_windows(&mut self, child: LogicalPlan, items: Vec<Expr>) -> LogicalPlan {
        let (with_win, regular): (Vec<Expr>, Vec<Expr>) = items.iter().cloned().partition(|e| e.contains_window());
        let mut buffer: Vec<Expr> = vec![];
        let mut new_with_win = vec![];
        for e in &with_win {
            new_with_win.push(self.extract_window_inputs(e, &regular, &mut buffer, false));
        }
        let mut regular_all = regular.clone();
        regular_all.extend(buffer);
        let with_project = LogicalPlan::Project { exprs: regular_all, child: Box::new(child) };
        // addWindow: pull each window expression out (a top-level alias keeps its name).
        let mut extracted: Vec<Expr> = vec![];
        let mut projected = vec![];
        for e in new_with_win {
            let replaced = match &e {
                Expr::Alias { child, .. } if matches!(child.as_ref(), Expr::Window { .. }) => {
                    let a = e.to_attribute().map(Expr::Attr).unwrap_or_else(|| e.clone());
                    extracted.push(e.clone());
                    a
                }
                _ => {
                    let ids = self.host.ids();
                    e.transform_up(&mut |x| {
                        if matches!(x, Expr::Window { .. }) {
                            let alias = x.clone().alias(&format!("_we{}", extracted.len()), ids.next());
                            let attr = alias.to_attribute();
                            extracted.push(alias);
                            return attr.map(Expr::Attr).unwrap_or(x);
                        }
                        x
                    })
                }
            };
            projected.push(replaced);
        }
        let mut groups: Vec<(Vec<Expr>, Vec<SortOrder>, Vec<Expr>)> = vec![];
        for e in extracted {
            let mut spec = None;
            e.walk(&mut |x| {
                if let Expr::Window { spec: s, .. } = x {
                    if spec.is_none() {
                        spec = Some(s.clone());
                    }
                }
            });
            let Some(s) = spec else { continue };
            match groups.iter_mut().find(|(p, o, _)| *p == s.partition_by && *o == s.order_by) {
                Some(g) => g.2.push(e),
                None => groups.push((s.partition_by.clone(), s.order_by.clone(), vec![e])),
            }
        }
        let mut plan = with_project;
        for (p, o, exprs) in groups {
            plan = LogicalPlan::Window { window_exprs: exprs, partition_by: p, order_by: o, child: Box::new(plan) };
        }
        let mut mid: Vec<Expr> = plan.output().into_iter().map(Expr::Attr).collect();
        mid.extend(projected);
        let plan = LogicalPlan::Project { exprs: mid, child: Box::new(plan) };
        let finals = items.iter().filter_map(|e| e.to_attribute()).map(Expr::Attr).collect();
        LogicalPlan::Project { exprs: finals, child: Box::new(plan) }
    }

    /// ExtractWindowExpressions' `extract`: inputs of window functions, partition and order expressions
    /// that are not plain columns become `_wN` aliases evaluated below the Window.
    fn extract_window_inputs(&mut self, e: &Expr, regular: &[Expr], buffer: &mut Vec<Expr>, inside: bool) -> Expr {
        let extract = |me: &mut Self, x: &Expr, buffer: &mut Vec<Expr>| -> Expr {
            match x {
                Expr::Attr(a) => {
                    let known = regular.iter().chain(buffer.iter()).any(|r| r.to_attribute().map(|b| b.id == a.id).unwrap_or(false));
                    if !known {
                        buffer.push(x.clone());
                    }
                    x.clone()
                }
                x if x.is_foldable() => x.clone(),
                x => {
                    let alias = x.clone().alias(&format!("_w{}", buffer.len()), me.host.ids().next());
                    let attr = alias.to_attribute().map(Expr::Attr).unwrap_or_else(|| x.clone());
                    buffer.push(alias);
                    attr
                }
            }
        };
        match e {
            Expr::Window { func, spec } => {
                let func = match func.as_ref() {
                    Expr::WindowFunc { name, args, dtype } => Expr::WindowFunc { name: name.clone(), args: args.iter().map(|a| extract(self, a, buffer)).collect(), dtype: dtype.clone() },
                    Expr::Agg { func: f, args, distinct, mode, filter } => Expr::Agg { func: *f, args: args.iter().map(|a| extract(self, a, buffer)).collect(), distinct: *distinct, mode: *mode, filter: filter.clone() },
                    other => other.clone(),
                };
                let partition_by = spec.partition_by.iter().map(|p| extract(self, p, buffer)).collect();
                let order_by = spec.order_by.iter().map(|o| SortOrder { expr: extract(self, &o.expr, buffer), ..o.clone() }).collect();
                Expr::Window { func: Box::new(func), spec: WindowSpec { partition_by, order_by, frame: spec.frame.clone() } }
            }
            Expr::Attr(_) if inside => extract(self, e, buffer),
            Expr::Agg { .. } => extract(self, e, buffer),
            Expr::Alias { child, name, id } => Expr::Alias { child: Box::new(self.extract_window_inputs(child, regular, buffer, true)), name: name.clone(), id: *id },
            other => {
                let kids: Vec<Expr> = other.children().into_iter().cloned().collect();
                let mut new_kids = vec![];
                for k in kids {
                    new_kids.push(self.extract_window_inputs(&k, regular, buffer, true));
                }
                let mut it = new_kids.into_iter();
                other.map_children(&mut |c| it.next().unwrap_or_else(|| c.clone()))
            }
        }
    }

    /// Spark's ExtractPythonUDFs on one Project or Filter: evaluable UDFs move into a BatchEvalPython
    /// (row UDFs) or ArrowEvalPython (pandas UDFs) below it, their results as `pythonUDF<i>` attributes.
    fn extract_udfs(&mut self, plan: LogicalPlan) -> LogicalPlan {
        let original_output = plan.output();
        let mut current = plan;
        for _ in 0..16 {
            let exprs: Vec<Expr> = current.expressions().into_iter().cloned().collect();
            // UDFs whose arguments hold no other UDF, of one kind (Arrow first if any, as Spark picks).
            let mut udfs: Vec<Expr> = vec![];
            for e in &exprs {
                e.walk(&mut |x| {
                    if let Expr::Udf { args, .. } = x {
                        if !args.iter().any(contains_udf) && !udfs.contains(x) {
                            udfs.push(x.clone());
                        }
                    }
                });
            }
            if udfs.is_empty() {
                break;
            }
            let arrow = matches!(udfs.first(), Some(Expr::Udf { pandas: true, .. }));
            udfs.retain(|u| matches!(u, Expr::Udf { pandas, .. } if *pandas == arrow));
            let ids = self.host.ids();
            let results: Vec<Attribute> = udfs
                .iter()
                .enumerate()
                .map(|(i, u)| Attribute { name: format!("pythonUDF{i}"), id: ids.next(), dtype: u.dtype(), nullable: true, qualifier: vec![] })
                .collect();
            let child = current.children().first().map(|c| (*c).clone()).unwrap_or(LogicalPlan::LocalRelation { output: vec![], rows: 1 });
            let eval = LogicalPlan::EvalPython { udfs: udfs.clone(), results: results.clone(), arrow, child: Box::new(child) };
            let rewritten = current.with_children(vec![eval]).map_expressions(&mut |e| {
                e.transform_up(&mut |x| match udfs.iter().position(|u| *u == x) {
                    Some(i) => Expr::Attr(results[i].clone()),
                    None => x,
                })
            });
            current = rewritten;
        }
        if current.output() != original_output {
            LogicalPlan::Project { exprs: original_output.into_iter().map(Expr::Attr).collect(), child: Box::new(current) }
        } else {
            current
        }
    }

    fn generate(&mut self, child: LogicalPlan, g: Expr, names: &[String], span: Span) -> Result<(LogicalPlan, Vec<Attribute>)> {
        let Expr::Func { name, args, dtype, .. } = &g else { return err("not a generator", span) };
        let outer = name.ends_with("_outer");
        let base = name.trim_end_matches("_outer");
        let mut cols: Vec<DataType> = vec![];
        match base {
            "explode" => match args.first().map(|a| a.dtype()) {
                Some(DataType::Map(k, v)) => {
                    cols.push(*k);
                    cols.push(*v);
                }
                _ => cols.push(dtype.clone()),
            },
            "posexplode" => {
                cols.push(DataType::Int);
                match args.first().map(|a| a.dtype()) {
                    Some(DataType::Map(k, v)) => {
                        cols.push(*k);
                        cols.push(*v);
                    }
                    _ => cols.push(dtype.clone()),
                }
            }
            "inline" => match dtype {
                DataType::Struct(f) => cols.extend(f.iter().map(|x| x.1.clone())),
                _ => return err("inline() needs an array of structs", span),
            },
            _ => return err(format!("the generator {name}() is not supported in select by Stagecraft yet"), span),
        }
        if names.len() != cols.len() {
            return err(
                format!("[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected {} aliases, but got {}.", cols.len(), names.len()),
                span,
            );
        }
        let ids = self.host.ids();
        let attrs: Vec<Attribute> = cols.into_iter().zip(names).map(|(t, n)| Attribute { name: n.clone(), id: ids.next(), dtype: t, nullable: true, qualifier: vec![] }).collect();
        Ok((LogicalPlan::Generate { generator: g.clone(), unrequired_child_index: vec![], outer, qualifier: None, generator_output: attrs.clone(), child: Box::new(child) }, attrs))
    }

    /// `filter(cond)`, resolving columns the child's projection dropped (ResolveMissingReferences).
    pub(crate) fn filter(&mut self, child: LogicalPlan, c: Col, span: Span) -> Result<LogicalPlan> {
        let scope = Scope::new(child.output());
        let (cond, child, missing) = match self.cx().resolve(&c, &scope, clause_of("filter")) {
            Ok(e) => (e, child, false),
            Err(first) => match self.widen_for_missing(&child, &c, Clause::Where)? {
                Some((e, wide)) => (e, wide, true),
                None => return Err(first),
            },
        };
        if !matches!(cond.dtype(), DataType::Boolean | DataType::Null) {
            return err(
                format!("[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve \"{}\" due to data type mismatch: Filter expression \"{}\" of type \"{}\" is not a boolean.", cond.sql(), cond.sql(), cond.dtype().to_string().to_uppercase()),
                c.span,
            );
        }
        if cond.contains_agg() {
            return err("[INVALID_WHERE_CONDITION] aggregate functions are not allowed in filter(); aggregate with groupBy().agg() first", c.span);
        }
        let _ = span;
        let visible = if missing { Some(scope.attrs.clone()) } else { None };
        let node = LogicalPlan::Filter { cond, child: Box::new(child) };
        let node = if contains_udf(node.expressions()[0]) { self.extract_udfs(node) } else { node };
        Ok(match visible {
            Some(attrs) => LogicalPlan::Project { exprs: attrs.into_iter().map(Expr::Attr).collect(), child: Box::new(node) },
            None => node,
        })
    }

    /// When `child` is a Project, resolves `c` against the Project's input too and returns the
    /// expression with a widened Project carrying the missing columns.
    fn widen_for_missing(&mut self, child: &LogicalPlan, c: &Col, clause: Clause) -> Result<Option<(Expr, LogicalPlan)>> {
        let LogicalPlan::Project { exprs, child: inner } = child else { return Ok(None) };
        let visible = child.output();
        let mut attrs = visible.clone();
        for a in inner.output() {
            if !attrs.iter().any(|v| v.id == a.id || v.name.eq_ignore_ascii_case(&a.name)) {
                attrs.push(a);
            }
        }
        let scope = Scope::new(attrs);
        let e = match self.cx().resolve(c, &scope, clause) {
            Ok(e) => e,
            Err(_) => return Ok(None),
        };
        let missing: Vec<Attribute> = e.references().into_iter().filter(|r| !visible.iter().any(|v| v.id == r.id)).collect();
        let mut wide = exprs.clone();
        wide.extend(missing.into_iter().map(Expr::Attr));
        Ok(Some((e, LogicalPlan::Project { exprs: wide, child: inner.clone() })))
    }

    /// `orderBy` / `sort` (global) and `sortWithinPartitions`.
    fn sort(&mut self, child: LogicalPlan, cols: Vec<Col>, global: bool, span: Span) -> Result<LogicalPlan> {
        let scope = Scope::new(child.output());
        let mut orders = vec![];
        let mut all_ok = true;
        for c in &cols {
            match self.cx().sort_order(c, &scope, true) {
                Ok(o) => orders.push(o),
                Err(_) => {
                    all_ok = false;
                    break;
                }
            }
        }
        if all_ok {
            return Ok(LogicalPlan::Sort { order: orders, global, child: Box::new(child) });
        }
        // ResolveMissingReferences: sort by columns the projection below dropped.
        if let LogicalPlan::Project { exprs, child: inner } = &child {
            let visible = child.output();
            let mut attrs = visible.clone();
            for a in inner.output() {
                if !attrs.iter().any(|v| v.id == a.id || v.name.eq_ignore_ascii_case(&a.name)) {
                    attrs.push(a);
                }
            }
            let wide_scope = Scope::new(attrs);
            let mut orders = vec![];
            let mut ok = true;
            for c in &cols {
                match self.cx().sort_order(c, &wide_scope, true) {
                    Ok(o) => orders.push(o),
                    Err(_) => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                let mut missing: Vec<Attribute> = vec![];
                for o in &orders {
                    for r in o.expr.references() {
                        if !visible.iter().any(|v| v.id == r.id) && !missing.iter().any(|m| m.id == r.id) {
                            missing.push(r);
                        }
                    }
                }
                let mut wide = exprs.clone();
                wide.extend(missing.into_iter().map(Expr::Attr));
                let sort = LogicalPlan::Sort { order: orders, global, child: Box::new(LogicalPlan::Project { exprs: wide, child: inner.clone() }) };
                return Ok(LogicalPlan::Project { exprs: visible.into_iter().map(Expr::Attr).collect(), child: Box::new(sort) });
            }
        }
        // Report the first failing column with its position.
        for c in &cols {
            self.cx().sort_order(c, &scope, true)?;
        }
        err("cannot resolve the sort columns", span)
    }

    /// `withColumn(s)`: every existing column (replaced in place when the name matches), then the new ones.
    fn with_columns(&mut self, child: LogicalPlan, cols: Vec<(String, Col)>, span: Span) -> Result<LogicalPlan> {
        let out = child.output();
        let mut items: Vec<Col> = vec![];
        for a in &out {
            match cols.iter().find(|(n, _)| n.eq_ignore_ascii_case(&a.name)) {
                Some((n, c)) => items.push(aliased(c.clone(), n)),
                None => items.push(Col::new(ColKind::Bound(a.clone()), span)),
            }
        }
        for (n, c) in &cols {
            if !out.iter().any(|a| a.name.eq_ignore_ascii_case(n)) {
                items.push(aliased(c.clone(), n));
            }
        }
        self.project(child, items, span)
    }

    fn rename(&mut self, child: LogicalPlan, pairs: &[(String, String)]) -> LogicalPlan {
        let out = child.output();
        if !out.iter().any(|a| pairs.iter().any(|(o, _)| a.name.eq_ignore_ascii_case(o))) {
            return child;
        }
        let mut exprs = vec![];
        for a in &out {
            let mut e = Expr::Attr(a.clone());
            let mut name = a.name.clone();
            for (o, n) in pairs {
                if name.eq_ignore_ascii_case(o) {
                    name = n.clone();
                }
            }
            if name != a.name {
                e = e.alias(&name, self.host.ids().next());
            }
            exprs.push(e);
        }
        LogicalPlan::Project { exprs, child: Box::new(child) }
    }

    fn drop_cols(&mut self, child: LogicalPlan, cols: Vec<(Value, Span)>) -> Result<LogicalPlan> {
        let out = child.output();
        let mut dropped: Vec<u32> = vec![];
        for (v, s) in cols {
            match v {
                Value::Str(n) => dropped.extend(out.iter().filter(|a| a.name.eq_ignore_ascii_case(&n)).map(|a| a.id)),
                Value::Column(c) => match &c.kind {
                    ColKind::Bound(a) => dropped.push(a.id),
                    ColKind::Name(parts) => {
                        let scope = Scope::new(out.clone());
                        if let Ok(Some(a)) = scope.find(parts) {
                            dropped.push(a.id);
                        }
                    }
                    _ => {}
                },
                other => return err(format!("drop() takes column names or Columns, got {}", other.kind()), s),
            }
        }
        let remaining: Vec<Expr> = out.iter().filter(|a| !dropped.contains(&a.id)).cloned().map(Expr::Attr).collect();
        if remaining.len() == out.len() {
            return Ok(child);
        }
        Ok(LogicalPlan::Project { exprs: remaining, child: Box::new(child) })
    }

    /// Re-instances the right side of a join whose output clashes with the left's (DeduplicateRelations).
    fn dedup_right(&mut self, left: &LogicalPlan, right: LogicalPlan) -> LogicalPlan {
        let l = left.output();
        if right.output().iter().any(|r| l.iter().any(|a| a.id == r.id)) {
            crate::input::sql::reinstance(&right, self.host.ids())
        } else {
            right
        }
    }

    fn join(&mut self, left: LogicalPlan, right: LogicalPlan, on: Option<(Value, Span)>, how: Option<(String, Span)>, span: Span) -> Result<LogicalPlan> {
        let jt = match &how {
            Some((h, s)) => join_type(h, *s)?,
            None => JoinType::Inner,
        };
        let right_before = right.output();
        let right = self.dedup_right(&left, right);
        let right_after = right.output();
        let join = |l: LogicalPlan, r: LogicalPlan, jt: JoinType, cond: Option<Expr>| LogicalPlan::Join { left: Box::new(l), right: Box::new(r), join_type: jt, cond, hint: JoinHint::default(), null_aware: false };
        let Some((on_v, on_s)) = on else {
            if how.is_none() {
                return Ok(join(left, right, JoinType::Inner, None));
            }
            return self.using_join(left, right, jt, &[], span);
        };
        let items: Vec<Value> = match on_v {
            Value::List(v) | Value::Tuple(v) => v,
            v => vec![v],
        };
        if items.is_empty() {
            return self.using_join(left, right, jt, &[], span);
        }
        if items.iter().all(|v| matches!(v, Value::Str(_))) {
            let names: Vec<(String, Span)> = items.into_iter().map(|v| (if let Value::Str(s) = v { s } else { String::new() }, on_s)).collect();
            return self.using_join(left, right, jt, &names, span);
        }
        let mut cols = vec![];
        for v in items {
            match v {
                Value::Column(c) => cols.push(c),
                other => return err(format!("join's `on` must be column names or Columns, not a mix with {}", other.kind()), on_s),
            }
        }
        // Bound columns of a re-instanced right side follow it to its new attributes.
        let remap: Vec<(u32, Attribute)> = right_before.iter().zip(right_after.iter()).filter(|(b, a)| b.id != a.id).map(|(b, a)| (b.id, a.clone())).collect();
        let left_ids: Vec<u32> = left.output().iter().map(|a| a.id).collect();
        let mut cond_col: Option<Col> = None;
        for c in cols {
            let c = remap_bound(c, &remap, &left_ids);
            cond_col = Some(match cond_col {
                None => c,
                Some(prev) => {
                    let s = prev.span.union(c.span);
                    Col::bin(COp::And, prev, c, s)
                }
            });
        }
        let cond_col = cond_col.ok_or_else(|| Diagnostic::analysis("empty join condition", on_s))?;
        let mut attrs = left.output();
        attrs.extend(right.output());
        let scope = Scope::new(attrs);
        let cond = self.cx().resolve(&cond_col, &scope, Clause::JoinOn)?;
        if cond.dtype() != DataType::Boolean {
            return err(format!("[DATATYPE_MISMATCH] the join condition `{}` must be a boolean expression", cond.sql()), cond_col.span);
        }
        Ok(join(left, right, jt, Some(cond)))
    }

    /// A join on column names (Spark's `UsingJoin`): equality on the keys and the projection
    /// keys ++ left rest ++ right rest (coalesced keys for a full outer join).
    fn using_join(&mut self, left: LogicalPlan, right: LogicalPlan, jt: JoinType, names: &[(String, Span)], _span: Span) -> Result<LogicalPlan> {
        let l = left.output();
        let r = right.output();
        let mut keys: Vec<(Attribute, Attribute)> = vec![];
        let mut conds = vec![];
        for (n, s) in names {
            let cols = |side: &[Attribute]| side.iter().map(|a| format!("`{}`", a.name)).collect::<Vec<_>>().join(", ");
            let la = l.iter().find(|a| a.name.eq_ignore_ascii_case(n)).ok_or_else(|| {
                Diagnostic::analysis(format!("[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `{n}` cannot be resolved on the left side of the join. The left-side columns: [{}].", cols(&l)), *s)
            })?;
            let ra = r.iter().find(|a| a.name.eq_ignore_ascii_case(n)).ok_or_else(|| {
                Diagnostic::analysis(format!("[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `{n}` cannot be resolved on the right side of the join. The right-side columns: [{}].", cols(&r)), *s)
            })?;
            conds.push(exprs::binary(BinOp::Eq, Expr::Attr(la.clone()), Expr::Attr(ra.clone()), *s)?);
            keys.push((la.clone(), ra.clone()));
        }
        let mut out: Vec<Expr> = vec![];
        for (la, ra) in &keys {
            out.push(match jt {
                JoinType::RightOuter => Expr::Attr(ra.clone()),
                JoinType::FullOuter => {
                    let t = la.dtype.clone();
                    Expr::Func { name: "coalesce".into(), args: vec![Expr::Attr(la.clone()), Expr::Attr(ra.clone())], dtype: t, deterministic: true }.alias(&la.name, self.host.ids().next())
                }
                _ => Expr::Attr(la.clone()),
            });
        }
        out.extend(l.iter().filter(|a| !keys.iter().any(|(k, _)| k.id == a.id)).cloned().map(Expr::Attr));
        if jt.keeps_right_columns() {
            out.extend(r.iter().filter(|a| !keys.iter().any(|(_, k)| k.id == a.id)).cloned().map(Expr::Attr));
        }
        let join = LogicalPlan::Join { left: Box::new(left), right: Box::new(right), join_type: jt, cond: conjoin(conds), hint: JoinHint::default(), null_aware: false };
        Ok(LogicalPlan::Project { exprs: out, child: Box::new(join) })
    }

    /// A positional Union of `children` with WidenSetOperationTypes' casts.
    fn widen_union(&mut self, children: Vec<LogicalPlan>, span: Span) -> Result<LogicalPlan> {
        let outs: Vec<Vec<Attribute>> = children.iter().map(|c| c.output()).collect();
        let n = outs.first().map(|o| o.len()).unwrap_or(0);
        for (i, o) in outs.iter().enumerate().skip(1) {
            if o.len() != n {
                return err(
                    format!("[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has {n} columns and the {} input has {} columns.", ordinal(i + 1), o.len()),
                    span,
                );
            }
        }
        let mut types: Vec<DataType> = outs.first().map(|o| o.iter().map(|a| a.dtype.clone()).collect()).unwrap_or_default();
        for o in outs.iter().skip(1) {
            for (k, a) in o.iter().enumerate() {
                types[k] = DataType::common_type(&types[k], &a.dtype).ok_or_else(|| {
                    Diagnostic::analysis(
                        format!("[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on inputs with compatible column types. The {} column of the second table is \"{}\" type which is not compatible with \"{}\".", ordinal(k + 1), a.dtype.to_string().to_uppercase(), types[k].to_string().to_uppercase()),
                        span,
                    )
                })?;
            }
        }
        let mut fixed = vec![];
        for (c, o) in children.into_iter().zip(outs) {
            if o.iter().zip(&types).all(|(a, t)| a.dtype == *t) {
                fixed.push(c);
                continue;
            }
            let mut exprs = vec![];
            for (a, t) in o.iter().zip(&types) {
                exprs.push(if a.dtype == *t { Expr::Attr(a.clone()) } else { exprs::cast(Expr::Attr(a.clone()), t.clone()).alias(&a.name, self.host.ids().next()) });
            }
            fixed.push(LogicalPlan::Project { exprs, child: Box::new(c) });
        }
        Ok(LogicalPlan::Union { children: fixed, by_name: false, allow_missing: false })
    }

    /// `unionByName` (ResolveUnion): the right side projected to the left's names, with nulls for
    /// missing columns on either side when `allowMissingColumns`.
    fn union_by_name(&mut self, left: LogicalPlan, right: LogicalPlan, allow: bool, span: Span) -> Result<LogicalPlan> {
        let l = left.output();
        let r = right.output();
        let mut right_list: Vec<Expr> = vec![];
        for a in &l {
            match r.iter().find(|b| b.name.eq_ignore_ascii_case(&a.name)) {
                Some(b) => right_list.push(Expr::Attr(b.clone())),
                None if allow => right_list.push(Expr::Lit(LitValue::Null, a.dtype.clone()).alias(&a.name, self.host.ids().next())),
                None => {
                    return err(
                        format!("[UNRESOLVED_COLUMN_AMONG_FIELD_NAMES] Cannot resolve column name \"{}\" among ({}).", a.name, r.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(", ")),
                        span,
                    )
                }
            }
        }
        let used: Vec<u32> = right_list.iter().filter_map(|e| if let Expr::Attr(a) = e { Some(a.id) } else { None }).collect();
        let not_found: Vec<Attribute> = r.iter().filter(|b| !used.contains(&b.id)).cloned().collect();
        if !allow && !not_found.is_empty() {
            return err(
                format!("[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has {} columns and the second input has {} columns.", l.len(), r.len()),
                span,
            );
        }
        right_list.extend(not_found.into_iter().map(Expr::Attr));
        let right_child = LogicalPlan::Project { exprs: right_list, child: Box::new(right) };
        let left_child = if allow {
            let rc = right_child.output();
            let mut left_list = vec![];
            for b in &rc {
                match l.iter().find(|a| a.name.eq_ignore_ascii_case(&b.name)) {
                    Some(a) => left_list.push(Expr::Attr(a.clone())),
                    None => left_list.push(Expr::Lit(LitValue::Null, b.dtype.clone()).alias(&b.name, self.host.ids().next())),
                }
            }
            let same = left_list.len() == l.len() && left_list.iter().zip(&l).all(|(e, a)| matches!(e, Expr::Attr(x) if x.id == a.id));
            if same {
                left
            } else {
                LogicalPlan::Project { exprs: left_list, child: Box::new(left) }
            }
        } else {
            left
        };
        self.widen_union(vec![left_child, right_child], span)
    }

    /// `df.hint(name, *params)` (ResolveHints on an UnresolvedHint over the DataFrame).
    fn hint(&mut self, plan: LogicalPlan, name: &str, params: Vec<(Value, Span)>, span: Span) -> Result<LogicalPlan> {
        let upper = name.to_ascii_uppercase();
        let h = crate::input::sql::hints::Hint { name: upper.clone(), args: vec![] };
        if let Some(strategy) = h.join_strategy() {
            if params.is_empty() {
                return Ok(LogicalPlan::ResolvedHint { hint: strategy, child: Box::new(plan) });
            }
            let mut out = plan;
            for (v, s) in params {
                let rel = self.to_str(v, s, "a join hint parameter (a relation name)")?;
                out = wrap_relation(out, &rel, strategy);
            }
            return Ok(out);
        }
        if !h.is_partitioning() {
            // Spark logs "Unrecognized hint" and drops it.
            return Ok(plan);
        }
        let scope = Scope::new(plan.output());
        let mut num: Option<u32> = None;
        let mut cols = vec![];
        for (i, (v, s)) in params.into_iter().enumerate() {
            match v {
                Value::Int(n) if i == 0 => {
                    if !(1..=1_000_000).contains(&n) {
                        return err(format!("{upper} hint needs a positive partition number"), s);
                    }
                    num = Some(n as u32);
                }
                other => {
                    let c = self.col_of(other, s, false)?;
                    cols.push(self.cx().resolve(&c, &scope, Clause::Other)?);
                }
            }
        }
        let child = Box::new(plan);
        Ok(match upper.as_str() {
            "COALESCE" => LogicalPlan::Repartition { num: num.ok_or_else(|| Diagnostic::analysis("COALESCE hint needs a partition number", span))?, shuffle: false, child },
            "REPARTITION" if cols.is_empty() => LogicalPlan::Repartition { num: num.ok_or_else(|| Diagnostic::analysis("REPARTITION hint needs a number or columns", span))?, shuffle: true, child },
            "REPARTITION" => LogicalPlan::RepartitionByExpression { exprs: cols, range: vec![], num, child },
            "REPARTITION_BY_RANGE" => {
                if cols.is_empty() {
                    return err("REPARTITION_BY_RANGE hint needs columns", span);
                }
                LogicalPlan::RepartitionByExpression { exprs: vec![], range: cols.into_iter().map(SortOrder::asc).collect(), num, child }
            }
            _ => LogicalPlan::RebalancePartitions { exprs: cols, child },
        })
    }

    // ------------------------------------------------------------ grouped data

    pub(crate) fn grouped_method(&mut self, g: Grouped, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let span = a.span;
        match m {
            "agg" => {
                a.check(usize::MAX, &[])?;
                let mut aggs: Vec<Col> = vec![];
                let rest = a.pos.clone();
                if let [(Value::Dict(items), s)] = rest.as_slice() {
                    for (k, v) in items {
                        let col = self.to_str(k.clone(), *s, "a column name")?;
                        let f = self.to_str(v.clone(), *s, "an aggregate name")?;
                        aggs.push(dict_agg(&col, &f, *s)?);
                    }
                } else {
                    for (v, s) in rest {
                        match v {
                            Value::Column(c) => aggs.push(c),
                            other => return err(format!("[NOT_COLUMN] agg() takes aggregate Columns (or one dict), got {}", other.kind()), s),
                        }
                    }
                }
                if aggs.is_empty() {
                    return err("agg() needs at least one aggregate", span);
                }
                Ok(Value::Df(Df { plan: self.aggregate(g, aggs, span)? }))
            }
            "count" => {
                a.check(0, &[])?;
                let c = Col::new(ColKind::Alias(Box::new(Col::func("count", vec![Col::lit(PyLit::Int(1), span)], span)), vec!["count".into()]), span);
                Ok(Value::Df(Df { plan: self.aggregate(g, vec![c], span)? }))
            }
            "sum" | "avg" | "mean" | "max" | "min" => {
                a.check(usize::MAX, &[])?;
                let out = g.df.plan.output();
                let names: Vec<(String, Span)> = if a.pos.is_empty() {
                    out.iter().filter(|x| x.dtype.is_numeric()).map(|x| (x.name.clone(), span)).collect()
                } else {
                    let mut v = vec![];
                    for (x, s) in a.rest(0) {
                        v.push((self.to_str(x, s, "a column name")?, s));
                    }
                    v
                };
                let mut aggs = vec![];
                for (n, s) in names {
                    let Some(attr) = out.iter().find(|x| x.name.eq_ignore_ascii_case(&n)) else {
                        return err(format!("[UNRESOLVED_COLUMN_AMONG_FIELD_NAMES] Cannot resolve column name \"{n}\" among ({}).", out.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(", ")), s);
                    };
                    if !attr.dtype.is_numeric() {
                        return err(format!("\"{n}\" is not a numeric column. Aggregation function can only be applied on a numeric column."), s);
                    }
                    aggs.push(Col::func(if m == "mean" { "avg" } else { m }, vec![Col::new(ColKind::Bound(attr.clone()), s)], s));
                }
                Ok(Value::Df(Df { plan: self.aggregate(g, aggs, span)? }))
            }
            "pivot" => {
                a.check(2, &["pivot_col", "values"])?;
                if g.pivot.is_some() {
                    return err("pivot() can only be applied once", name_span);
                }
                let (pv, ps) = a.req(0, "pivot_col")?;
                let pc = self.col_of(pv, ps, false)?;
                let values = match a.get(1, "values") {
                    Some((Value::List(items) | Value::Tuple(items), s)) => {
                        let mut v = vec![];
                        for it in items {
                            v.push((
                                match it {
                                    Value::Str(x) => PyLit::Str(x),
                                    Value::Int(i) => PyLit::Int(i),
                                    Value::Float(f) => PyLit::Float(f),
                                    Value::Bool(b) => PyLit::Bool(b),
                                    Value::None => PyLit::None,
                                    other => return err(format!("pivot values must be literals, found {}", other.kind()), s),
                                },
                                s,
                            ));
                        }
                        v
                    }
                    None | Some((Value::None, _)) => {
                        return err("pivot() without a values list makes Spark run an extra job to collect the distinct values; give them explicitly: pivot(col, [v1, v2, ...])", name_span)
                    }
                    Some((other, s)) => return err(format!("pivot values must be a list, got {}", other.kind()), s),
                };
                Ok(Value::Grouped(Box::new(Grouped { pivot: Some((pc, values)), ..g })))
            }
            "apply" | "applyInPandas" | "applyInArrow" | "cogroup" => err(format!("GroupedData.{m}() (grouped Python functions) is not supported by Stagecraft yet"), name_span),
            other => err(format!("'GroupedData' object has no attribute '{other}'"), name_span),
        }
    }

    /// `groupBy(keys).agg(aggs)`: `Aggregate(keys, keys ++ aggs)`, names as RelationalGroupedDataset
    /// gives them; with a pivot, ResolvePivot's per-value `if` aggregates.
    fn aggregate(&mut self, g: Grouped, aggs: Vec<Col>, span: Span) -> Result<LogicalPlan> {
        let child = g.df.plan;
        let scope = Scope::new(child.output());
        let mut group = vec![];
        let mut group_named = vec![];
        for k in &g.keys {
            if matches!(k.kind, ColKind::Star(_)) {
                return err("groupBy(\"*\") is not supported", k.span);
            }
            let e = self.cx().resolve(k, &scope, Clause::GroupBy)?;
            if e.contains_agg() {
                return err("[GROUP_BY_AGGREGATE] aggregate functions are not allowed in groupBy()", k.span);
            }
            let named = self.name_expr(k, e.clone(), &scope);
            group.push(e.unalias().clone());
            group_named.push(named);
        }
        let mut agg_named = vec![];
        for c in &aggs {
            let e = self.cx().resolve(c, &scope, Clause::Select)?;
            if e.contains_window() {
                return err("window functions inside agg() are not supported by Stagecraft yet", c.span);
            }
            if contains_udf(&e) {
                return err("a Python UDF inside agg() is not supported by Stagecraft yet (grouped-aggregate UDFs)", c.span);
            }
            let named = self.name_expr(c, e, &scope);
            check_grouped(named.unalias(), &group, c.span)?;
            agg_named.push((named, c.clone()));
        }
        if let Some((pc, values)) = g.pivot {
            let pivot_col = self.cx().resolve(&pc, &scope, Clause::Other)?;
            let mut out = group_named.clone();
            let single = agg_named.len() == 1;
            for (v, vs) in &values {
                let lit = self.cx().resolve(&Col::lit(v.clone(), *vs), &scope, Clause::Other)?;
                let lit = exprs::coerce_to(lit, &pivot_col.dtype());
                let vname = match v {
                    PyLit::None => "null".to_string(),
                    other => pretty_lit(other),
                };
                for (e, c) in &agg_named {
                    let aname = match &c.kind {
                        ColKind::Alias(_, n) => n.first().cloned().unwrap_or_default(),
                        _ => e.unalias().auto_name(),
                    };
                    let cond = Expr::binary(BinOp::NullSafeEq, pivot_col.clone(), lit.clone());
                    let rewritten = e.unalias().transform_up(&mut |x| match x {
                        Expr::Agg { func, args, distinct, mode, filter } => {
                            let args = args
                                .into_iter()
                                .map(|arg| {
                                    let t = arg.dtype();
                                    Expr::Func { name: "if".into(), args: vec![cond.clone(), arg, Expr::Lit(LitValue::Null, t.clone())], dtype: t, deterministic: true }
                                })
                                .collect();
                            Expr::Agg { func, args, distinct, mode, filter }
                        }
                        o => o,
                    });
                    let name = if single { vname.clone() } else { format!("{vname}_{aname}") };
                    out.push(rewritten.alias(&name, self.host.ids().next()));
                }
            }
            return Ok(LogicalPlan::Aggregate { group, aggs: out, child: Box::new(child) });
        }
        let mut out = group_named;
        out.extend(agg_named.into_iter().map(|(e, _)| e));
        let _ = span;
        Ok(LogicalPlan::Aggregate { group, aggs: out, child: Box::new(child) })
    }

    pub(crate) fn sql_step(&mut self, action: super::PyAction, method: &str, plan: LogicalPlan) {
        let description = self.src.text(self.stmt).chars().take(200).collect();
        self.push_step(Step::Sql(super::SqlExecution { description, method: method.to_string(), action, plan, span: self.stmt }));
    }
}

/// The DataFrame methods `df.<name>` resolves to before column names.
const DF_METHODS: &[&str] = &[
    "select", "selectExpr", "filter", "where", "withColumn", "withColumns", "withColumnRenamed", "withColumnsRenamed", "drop", "toDF", "groupBy", "groupby", "agg",
    "rollup", "cube", "groupingSets", "join", "crossJoin", "union", "unionAll", "unionByName", "intersect", "intersectAll", "subtract", "exceptAll", "distinct",
    "dropDuplicates", "drop_duplicates", "orderBy", "sort", "sortWithinPartitions", "limit", "repartition", "repartitionByRange", "coalesce", "hint", "alias", "cache",
    "persist", "unpersist", "checkpoint", "localCheckpoint", "createOrReplaceTempView", "createTempView", "registerTempTable", "createGlobalTempView",
    "createOrReplaceGlobalTempView", "explain", "printSchema", "transform", "collect", "count", "show", "take", "head", "first", "toPandas", "foreach",
    "foreachPartition", "toLocalIterator", "isEmpty", "sample", "sampleBy", "randomSplit", "fillna", "dropna", "replace", "describe", "summary", "crosstab",
    "freqItems", "unpivot", "melt", "observe", "withWatermark", "mapInPandas", "mapInArrow", "tail", "toJSON", "cov", "corr", "approxQuantile",
    "dropDuplicatesWithinWatermark", "inputFiles", "semanticHash", "sameSemantics", "withMetadata", "to", "offset", "colRegex", "pandas_api", "to_pandas_on_spark",
];

fn aliased(c: Col, name: &str) -> Col {
    let span = c.span;
    let inner = match c.kind {
        ColKind::Alias(x, _) => *x,
        k => Col { kind: k, span },
    };
    Col::new(ColKind::Alias(Box::new(inner), vec![name.to_string()]), span)
}

fn remap_bound(c: Col, remap: &[(u32, Attribute)], left_ids: &[u32]) -> Col {
    let span = c.span;
    let kind = match c.kind {
        ColKind::Bound(a) if !left_ids.contains(&a.id) => match remap.iter().find(|(old, _)| *old == a.id) {
            Some((_, new)) => ColKind::Bound(new.clone()),
            None => ColKind::Bound(a),
        },
        ColKind::Bin(op, l, r) => ColKind::Bin(op, Box::new(remap_bound(*l, remap, left_ids)), Box::new(remap_bound(*r, remap, left_ids))),
        ColKind::Not(x) => ColKind::Not(Box::new(remap_bound(*x, remap, left_ids))),
        ColKind::IsNull(x, n) => ColKind::IsNull(Box::new(remap_bound(*x, remap, left_ids)), n),
        k => k,
    };
    Col { kind, span }
}

fn default_generator_names(g: &Expr) -> Vec<String> {
    match g {
        Expr::Func { name, args, dtype, .. } => {
            let map = matches!(args.first().map(|a| a.dtype()), Some(DataType::Map(..)));
            match name.trim_end_matches("_outer") {
                "posexplode" if map => vec!["pos".into(), "key".into(), "value".into()],
                "posexplode" => vec!["pos".into(), "col".into()],
                "explode" if map => vec!["key".into(), "value".into()],
                "inline" => match dtype {
                    DataType::Struct(f) => f.iter().map(|(n, _)| n.clone()).collect(),
                    _ => vec!["col".into()],
                },
                _ => vec!["col".into()],
            }
        }
        _ => vec!["col".into()],
    }
}

/// `agg({"x": "sum"})`: the aggregate a name stands for.
fn dict_agg(col: &str, f: &str, s: Span) -> Result<Col> {
    let arg = if col == "*" { Col::lit(PyLit::Int(1), s) } else { name_col(col, s) };
    let name = match f.to_ascii_lowercase().as_str() {
        "avg" | "average" | "mean" => "avg".to_string(),
        "stddev" | "std" => "stddev".to_string(),
        "var" | "variance" => "variance".to_string(),
        "count" | "size" => "count".to_string(),
        other => {
            if registry::lookup(other).map(|i| matches!(i.kind, FnKind::Aggregate(_))).unwrap_or(false) {
                other.to_string()
            } else {
                return err(format!("'{f}' is not an aggregate function name"), s);
            }
        }
    };
    Ok(Col::func(&name, vec![arg], s))
}

/// An aggregate that is not the function of a window expression.
fn agg_outside_window(e: &Expr) -> bool {
    match e {
        Expr::Agg { .. } => true,
        Expr::Window { spec, .. } => spec.partition_by.iter().chain(spec.order_by.iter().map(|o| &o.expr)).any(agg_outside_window),
        other => other.children().into_iter().any(agg_outside_window),
    }
}

/// Every column outside an aggregate must be grouped (`[MISSING_AGGREGATION]`).
fn check_grouped(e: &Expr, groups: &[Expr], span: Span) -> Result<()> {
    if groups.iter().any(|g| g == e) {
        return Ok(());
    }
    match e {
        Expr::Agg { .. } | Expr::Lit(..) => Ok(()),
        Expr::Attr(a) => {
            if groups.iter().any(|g| matches!(g, Expr::Attr(b) if b.id == a.id)) {
                Ok(())
            } else {
                err(
                    format!("[MISSING_AGGREGATION] The non-aggregating expression \"{}\" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({})\".", a.name, a.name),
                    span,
                )
            }
        }
        other => {
            for c in other.children() {
                check_grouped(c, groups, span)?;
            }
            Ok(())
        }
    }
}

/// A select with aggregates and no groupBy: no bare column outside an aggregate.
fn check_global_agg(e: &Expr, span: Span) -> Result<()> {
    match e {
        Expr::Agg { .. } | Expr::Lit(..) => Ok(()),
        Expr::Attr(a) => err(
            format!("[MISSING_GROUP_BY] The query does not include a GROUP BY clause, but `{}` is neither aggregated nor grouped. Add groupBy() or aggregate the column.", a.name),
            span,
        ),
        other => {
            for c in other.children() {
                check_global_agg(c, span)?;
            }
            Ok(())
        }
    }
}

fn infer_type(v: &Value) -> std::result::Result<Option<DataType>, String> {
    Ok(Some(match v {
        Value::None => return Ok(None),
        Value::Bool(_) => DataType::Boolean,
        Value::Int(_) => DataType::Long,
        Value::Float(_) => DataType::Double,
        Value::Str(_) => DataType::String,
        Value::List(items) => {
            let mut t = None;
            for it in items {
                if let Some(x) = infer_type(it)? {
                    t = Some(x);
                    break;
                }
            }
            DataType::Array(Box::new(t.unwrap_or(DataType::Null)))
        }
        Value::Dict(items) => {
            let (k, v) = match items.first() {
                Some((k, v)) => (infer_type(k)?.unwrap_or(DataType::Null), infer_type(v)?.unwrap_or(DataType::Null)),
                None => (DataType::Null, DataType::Null),
            };
            DataType::Map(Box::new(k), Box::new(v))
        }
        other => return Err(other.kind()),
    }))
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}

/// Wraps the relation(s) aliased `name` under `plan` in a ResolvedHint.
fn wrap_relation(plan: LogicalPlan, name: &str, hint: JoinStrategyHint) -> LogicalPlan {
    match plan {
        LogicalPlan::SubqueryAlias { alias, child } if alias.eq_ignore_ascii_case(name) => {
            LogicalPlan::ResolvedHint { hint, child: Box::new(LogicalPlan::SubqueryAlias { alias, child }) }
        }
        LogicalPlan::SubqueryAlias { .. } | LogicalPlan::ResolvedHint { .. } => plan,
        other => other.map_children(&mut |c| wrap_relation(c.clone(), name, hint)),
    }
}
