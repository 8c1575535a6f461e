//! DataFrame actions and writes as Spark runs them, each one SQL execution over the DataFrame's plan with
//! cached sub-plans substituted: collect/toPandas/foreach (the plan), count (`Aggregate [count(1) AS count]`),
//! show(n) (`GlobalLimit n+1` over a `toprettystring(col, Some(tz))` projection), take/head/first
//! (`GlobalLimit n`), isEmpty, and `df.write` with mode/format/partitionBy/options into an
//! InsertIntoHadoopFsRelationCommand (`Write`) or the noop sink. Knows nothing of physical planning.

use super::value::*;
use super::{err, Args, Lowerer, PyAction};
use crate::error::{Result, Span};
use crate::logical::expr::*;
use crate::logical::plan::*;
use crate::logical::types::DataType;

fn limit(n: i64, child: LogicalPlan) -> LogicalPlan {
    LogicalPlan::GlobalLimit { n, child: Box::new(LogicalPlan::LocalLimit { n, child: Box::new(child) }) }
}

impl<'h> Lowerer<'h> {
    pub(crate) fn df_action(&mut self, df: Df, m: &str, a: Args) -> Result<Value> {
        let plan = self.use_cached(df.plan);
        match m {
            "collect" | "toPandas" | "toLocalIterator" => {
                a.check(1, &["prefetchPartitions"])?;
                self.sql_step(PyAction::Collect, m, plan);
                Ok(Value::Opaque(format!("the rows of {m}()")))
            }
            "foreach" | "foreachPartition" => {
                a.check(1, &["f"])?;
                a.req(0, "f")?;
                self.sql_step(PyAction::Collect, m, plan);
                Ok(Value::None)
            }
            "count" => {
                a.check(0, &[])?;
                let id = self.host.ids().next();
                let count = Expr::Agg { func: AggFunc::Count, args: vec![Expr::lit_int(1)], distinct: false, mode: AggMode::Complete, filter: None }.alias("count", id);
                self.sql_step(PyAction::Count, "count", LogicalPlan::Aggregate { group: vec![], aggs: vec![count], child: Box::new(plan) });
                Ok(Value::Opaque("the result of count()".into()))
            }
            "show" => {
                a.check(3, &["n", "truncate", "vertical"])?;
                let n = match a.get(0, "n") {
                    Some((v, s)) => self.to_int(v, s, "show's n")?,
                    None => 20,
                };
                if !(0..=i32::MAX as i128 - 1).contains(&n) {
                    return err("show(n) needs a non-negative n", a.span);
                }
                if let Some((v, s)) = a.get(1, "truncate") {
                    if !matches!(v, Value::Bool(_) | Value::Int(_)) {
                        return err("truncate must be a bool or an int", s);
                    }
                }
                let tz = self.opts.time_zone.clone();
                let exprs: Vec<Expr> = plan
                    .output()
                    .into_iter()
                    .map(|c| {
                        let name = format!("toprettystring({})", c.name);
                        let f = Expr::Func {
                            name: "toprettystring".into(),
                            args: vec![Expr::Attr(c), Expr::Lit(LitValue::Str(format!("Some({tz})")), DataType::String)],
                            dtype: DataType::String,
                            deterministic: true,
                        };
                        (f, name)
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .map(|(f, name)| {
                        let id = self.host.ids().next();
                        f.alias(&name, id)
                    })
                    .collect();
                let n = n as i64;
                let projected = LogicalPlan::Project { exprs, child: Box::new(plan) };
                self.sql_step(PyAction::Show(n as u32), "showString", limit(n + 1, projected));
                Ok(Value::None)
            }
            "take" | "head" | "first" => {
                let n = match m {
                    "first" => {
                        a.check(0, &[])?;
                        1
                    }
                    "take" => {
                        a.check(1, &["num"])?;
                        let (v, s) = a.req(0, "num")?;
                        self.to_int(v, s, "take's num")?
                    }
                    _ => {
                        a.check(1, &["n"])?;
                        match a.get(0, "n") {
                            None | Some((Value::None, _)) => 1,
                            Some((v, s)) => self.to_int(v, s, "head's n")?,
                        }
                    }
                };
                if !(0..=i32::MAX as i128).contains(&n) {
                    return err(format!("{m}() needs a non-negative number of rows"), a.span);
                }
                self.sql_step(PyAction::Collect, if m == "first" { "head" } else { m }, limit(n as i64, plan));
                Ok(Value::Opaque(format!("the rows of {m}()")))
            }
            "isEmpty" => {
                a.check(0, &[])?;
                let empty = LogicalPlan::Project { exprs: vec![], child: Box::new(plan) };
                self.sql_step(PyAction::Collect, "isEmpty", limit(1, empty));
                Ok(Value::Opaque("the result of isEmpty()".into()))
            }
            other => err(format!("df.{other}() is not supported"), a.span),
        }
    }

    pub(crate) fn writer_method(&mut self, mut w: Writer, m: &str, a: Args, name_span: Span) -> Result<Value> {
        match m {
            "mode" => {
                a.check(1, &["saveMode"])?;
                let (v, s) = a.req(0, "saveMode")?;
                let mode = self.to_str(v, s, "the save mode")?;
                w.mode = Some(save_mode(&mode, s)?);
                Ok(Value::Writer(Box::new(w)))
            }
            "format" => {
                a.check(1, &["source"])?;
                let (v, s) = a.req(0, "source")?;
                w.format = Some(self.to_str(v, s, "the format")?.to_ascii_lowercase());
                Ok(Value::Writer(Box::new(w)))
            }
            "option" | "options" => Ok(Value::Writer(Box::new(w))),
            "partitionBy" => {
                a.check(usize::MAX, &[])?;
                for (v, s) in a.rest(0) {
                    let n = self.to_str(v, s, "a partition column")?;
                    w.partition_by.push((n, s));
                }
                Ok(Value::Writer(Box::new(w)))
            }
            "bucketBy" | "sortBy" => {
                w.bucket_by = Some(name_span);
                err(format!("df.write.{m}(): bucketed writes are not supported by Stagecraft yet (the write plan has no bucket spec)"), name_span)
            }
            "parquet" | "csv" | "json" | "orc" | "save" | "saveAsTable" | "insertInto" | "text" => {
                a.check(usize::MAX, &["path", "mode", "partitionBy", "compression", "header", "sep", "format", "name", "overwrite", "tableName"])?;
                if m == "text" {
                    return err("df.write.text is not supported by Stagecraft (parquet, csv, json, orc, noop)", name_span);
                }
                if let Some((_, v, s)) = a.kw.iter().find(|(k, _, _)| k == "mode") {
                    if !matches!(v, Value::None) {
                        let mode = self.to_str(v.clone(), *s, "the save mode")?;
                        w.mode = Some(save_mode(&mode, *s)?);
                    }
                }
                if let Some((_, v, s)) = a.kw.iter().find(|(k, _, _)| k == "partitionBy") {
                    match v {
                        Value::Str(n) => w.partition_by.push((n.clone(), *s)),
                        Value::List(items) => {
                            for it in items {
                                let n = self.to_str(it.clone(), *s, "a partition column")?;
                                w.partition_by.push((n, *s));
                            }
                        }
                        Value::None => {}
                        other => return err(format!("partitionBy must be a str or a list, got {}", other.kind()), *s),
                    }
                }
                if m == "insertInto" {
                    if let Some((Value::Bool(true), _)) = a.get(1, "overwrite") {
                        w.mode = Some("Overwrite".into());
                    }
                }
                if let Some((v, s)) = a.kw.iter().find(|(k, _, _)| k == "format").map(|(_, v, s)| (v.clone(), *s)) {
                    w.format = Some(self.to_str(v, s, "the format")?.to_ascii_lowercase());
                }
                let format = match m {
                    "save" | "saveAsTable" | "insertInto" => w.format.clone().unwrap_or_else(|| "parquet".into()),
                    other => other.to_string(),
                };
                let (target, ts) = match a.get(0, if m == "saveAsTable" || m == "insertInto" { "name" } else { "path" }) {
                    Some((v, s)) => (Some(self.to_str(v, s, "the target")?), s),
                    None => (None, a.span),
                };
                self.write(w, m, &format, target, ts)?;
                Ok(Value::None)
            }
            other => err(format!("'DataFrameWriter' object has no attribute '{other}'"), name_span),
        }
    }

    fn write(&mut self, w: Writer, method: &str, format: &str, target: Option<String>, span: Span) -> Result<()> {
        let plan = self.use_cached(w.df.plan);
        let out = plan.output();
        for (p, s) in &w.partition_by {
            if !out.iter().any(|a| a.name.eq_ignore_ascii_case(p)) {
                return err(format!("[COLUMN_NOT_FOUND] The column `{p}` does not exist (partitionBy)."), *s);
            }
        }
        if format == "noop" {
            self.sql_step(PyAction::WriteNoop, method, plan);
            return Ok(());
        }
        let shown = match format {
            "parquet" => "parquet",
            "csv" => "CSV",
            "json" => "JSON",
            "orc" => "ORC",
            other => return err(format!("writing the `{other}` format is not supported by Stagecraft (parquet, csv, json, orc, noop)"), span),
        };
        let (path, table) = match method {
            "saveAsTable" | "insertInto" => {
                let name = target.ok_or_else(|| crate::error::Diagnostic::analysis(format!("{method}() needs a table name"), span))?;
                (format!("file:/spark-warehouse/{}", name.rsplit('.').next().unwrap_or(&name)), Some(name))
            }
            _ => (target.ok_or_else(|| crate::error::Diagnostic::analysis(format!("{method}() needs a path"), span))?, None),
        };
        let spec = WriteSpec {
            path,
            format: shown.to_string(),
            mode: w.mode.unwrap_or_else(|| "ErrorIfExists".into()),
            partition_by: w.partition_by.into_iter().map(|(n, _)| n).collect(),
            table,
        };
        self.sql_step(PyAction::Write, method, LogicalPlan::Write { spec, child: Box::new(plan) });
        Ok(())
    }
}

/// Spark's `SaveMode` names.
fn save_mode(s: &str, span: Span) -> Result<String> {
    Ok(match s.to_ascii_lowercase().as_str() {
        "overwrite" => "Overwrite",
        "append" => "Append",
        "ignore" => "Ignore",
        "error" | "errorifexists" | "default" => "ErrorIfExists",
        other => return err(format!("[INVALID_SAVE_MODE] The specified save mode \"{other}\" is invalid. Valid save modes include \"append\", \"overwrite\", \"ignore\", \"error\", \"errorifexists\", and \"default\"."), span),
    }
    .to_string())
}
