//! PySpark input, back half: lowering a parsed snippet into what Spark would run. A small interpreter walks
//! the statements in order with `spark`, `sc`, `F`, `Window`, `broadcast` and `StorageLevel` in scope, binding
//! names to DataFrames (analyzed logical plans built through the SQL analyzer, so both frontends share
//! resolution and typing), Columns, window specs, RDD lineages and Python literals. Every action is a step,
//! in order: a SQL execution (collect/count/show/take/write...), an RDD job with its stages, an `explain`
//! request or printed text; `df.cache()` is shared by later actions as Spark's CacheManager does. Lambdas in
//! RDD code are opaque; Python UDFs become BatchEvalPython / ArrowEvalPython. Anything outside the subset
//! is a positioned Diagnostic naming it. Knows nothing of optimization, physical planning or simulation:
//! the `Host` (the pipeline) optimizes cached plans and turns steps into executions.

mod actions;
mod columns;
mod dataframe;
mod functions;
mod resolve;
mod rdd_ops;
mod value;

pub use columns::{java_double, pretty_expr};

use crate::error::{Diagnostic, Pos, Result, Span};
use crate::input::pyspark::ast::{self, ExprKind, ImportNames, Program, StmtKind};
use crate::input::pyspark::rdd::{RddGraph, RddStage};
use crate::logical::expr::IdGen;
use crate::logical::plan::{LogicalPlan, StorageLevel};
use crate::scenario::Table;
use columns::*;
use std::collections::BTreeMap;
use std::rc::Rc;
use value::*;

/// Session facts the lowering needs.
#[derive(Debug, Clone)]
pub struct LowerOptions {
    /// `spark.sql.session.timeZone` (printed by `show()`'s `toprettystring(col, Some(tz))`).
    pub time_zone: String,
    /// `SparkContext.defaultParallelism` (`spark.range` splits, RDD defaults).
    pub default_parallelism: u32,
    /// `spark.default.parallelism` when set explicitly (PySpark's default number of reduce partitions).
    pub explicit_default_parallelism: Option<u32>,
}

impl Default for LowerOptions {
    fn default() -> Self {
        LowerOptions { time_zone: "UTC".into(), default_parallelism: 2, explicit_default_parallelism: None }
    }
}

/// What the lowering needs from the session running it.
pub trait Host {
    /// The session's expression-id generator.
    fn ids(&mut self) -> &mut IdGen;
    /// `Dataset.persist(level)`: the `InMemoryRelation` caching `plan`, optimized with the session's confs
    /// as they are now (Spark's `CacheManager.cacheQuery`).
    fn cache(&mut self, plan: LogicalPlan, level: StorageLevel) -> LogicalPlan;
    /// `spark.conf.set(key, value)`.
    fn set_conf(&mut self, key: &str, value: &str);
    /// `spark.conf.get(key)`.
    fn conf(&self, key: &str) -> Option<String>;
    /// Called with each step as soon as the snippet produces it (the pipeline plans executions here, so a
    /// conf set between two actions affects only the later one), with the RDD lineage as it is then.
    fn step(&mut self, _step: &Step, _rdds: &RddGraph) {}
    /// How many partitions the RDD of a DataFrame plan has (`df.rdd`); `None` lets the lowering use the
    /// default parallelism.
    fn plan_partitions(&mut self, _plan: &LogicalPlan) -> Option<u32> {
        None
    }
}

/// A host for tests and tools: confs in a map, caches wrap the analyzed plan as it is.
#[derive(Debug, Default)]
pub struct SimpleHost {
    pub ids: IdGen,
    pub confs: BTreeMap<String, String>,
    next_cache: u32,
}

impl Host for SimpleHost {
    fn ids(&mut self) -> &mut IdGen {
        &mut self.ids
    }
    fn cache(&mut self, plan: LogicalPlan, level: StorageLevel) -> LogicalPlan {
        let id = self.next_cache;
        self.next_cache += 1;
        LogicalPlan::InMemoryRelation { output: plan.output(), cached: Box::new(plan), level, cache_id: id }
    }
    fn set_conf(&mut self, key: &str, value: &str) {
        self.confs.insert(key.to_string(), value.to_string());
    }
    fn conf(&self, key: &str) -> Option<String> {
        self.confs.get(key).cloned()
    }
}

/// What a SQL execution does with its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyAction {
    /// collect, toPandas, take/head/first (their plans carry the limit), foreach.
    Collect,
    /// `show(n)`: the plan is `GlobalLimit n+1` over the `toprettystring` projection.
    Show(u32),
    /// `count()`: the plan is `Aggregate [], [count(1) AS count]`.
    Count,
    /// `df.write....`: the plan is a `Write` (InsertIntoHadoopFsRelationCommand).
    Write,
    /// `df.write.format("noop")`: the plan runs fully into Spark's no-op sink.
    WriteNoop,
    /// An eager `checkpoint()`: the plan is the materialized relation.
    CacheMaterialize,
}

/// One SQL execution of the snippet.
#[derive(Debug, Clone)]
pub struct SqlExecution {
    /// The statement's source text (whitespace collapsed).
    pub description: String,
    /// The Dataset method Spark names the execution after (`collect`, `count`, `showString`, `parquet`).
    pub method: String,
    pub action: PyAction,
    /// The analyzed plan, with cached sub-plans replaced by their `InMemoryRelation`.
    pub plan: LogicalPlan,
    pub span: Span,
}

/// One RDD job (`rdd.collect()`, `saveAsTextFile`, the jobs `sortByKey` runs to sample its range bounds).
#[derive(Debug, Clone, PartialEq)]
pub struct RddJob {
    /// The RDD action (`collect`, `count`, `saveAsTextFile`, ...).
    pub action: String,
    /// Spark's call site: `collect at <stdin>:5`.
    pub site: String,
    /// The final RDD (node index in `Lowered::rdds`).
    pub root: usize,
    pub stages: Vec<RddStage>,
    pub span: Span,
    /// `toDebugString` of the final RDD when the job ran.
    pub lineage: String,
    /// Persisted RDDs (node indices) whose partitions existed before this job ran: the job reads them.
    pub cached_before: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum Step {
    Sql(SqlExecution),
    Rdd(RddJob),
    /// `df.explain(mode)`: no job; the plan to explain and Spark's mode name.
    Explain { mode: String, plan: LogicalPlan, span: Span },
    /// Text the snippet prints that Stagecraft knows (`print(rdd.toDebugString())`).
    Print { text: String, span: Span },
}

/// Everything a snippet lowered to.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub steps: Vec<Step>,
    /// Every RDD the snippet created (RDD jobs index into it).
    pub rdds: RddGraph,
}

impl Lowered {
    pub fn sql_executions(&self) -> Vec<&SqlExecution> {
        self.steps.iter().filter_map(|s| if let Step::Sql(x) = s { Some(x) } else { None }).collect()
    }
    pub fn rdd_jobs(&self) -> Vec<&RddJob> {
        self.steps.iter().filter_map(|s| if let Step::Rdd(x) = s { Some(x) } else { None }).collect()
    }
}

/// Parses and lowers a PySpark snippet against the catalog `tables` and the session's temporary or
/// cached `views`.
pub fn lower_source(src: &str, tables: &[Table], views: &BTreeMap<String, LogicalPlan>, opts: &LowerOptions, host: &mut dyn Host) -> Result<Lowered> {
    let program = crate::input::pyspark::parse_program(src)?;
    lower_program(&program, src, tables, views, opts, host)
}

/// Lowers a parsed snippet (`src` is its text, for positions inside string literals).
pub fn lower_program(program: &Program, src: &str, tables: &[Table], views: &BTreeMap<String, LogicalPlan>, opts: &LowerOptions, host: &mut dyn Host) -> Result<Lowered> {
    let mut l = Lowerer::new(src, tables, views, opts, host);
    for stmt in &program.stmts {
        l.stmt = stmt.span;
        l.statement(stmt)?;
    }
    Ok(Lowered { steps: l.steps, rdds: l.rdd.graph })
}

/// Source text lines, for positions inside string literals.
struct Source {
    lines: Vec<Vec<char>>,
}

impl Source {
    fn new(src: &str) -> Source {
        Source { lines: src.split('\n').map(|l| l.chars().collect()).collect() }
    }

    /// Where the content of the string literal at `span` starts (after any prefix and the quotes).
    fn string_origin(&self, span: Span) -> Pos {
        let line = span.start.line.max(1);
        let Some(chars) = self.lines.get(line as usize - 1) else { return span.start };
        let mut i = span.start.col.max(1) as usize - 1;
        while i < chars.len() && matches!(chars[i], 'r' | 'R' | 'b' | 'B' | 'u' | 'U' | 'f' | 'F') {
            i += 1;
        }
        if i < chars.len() && (chars[i] == '\'' || chars[i] == '"') {
            let q = chars[i];
            if i + 2 < chars.len() && chars[i + 1] == q && chars[i + 2] == q {
                i += 3;
            } else {
                i += 1;
            }
        }
        Pos { line, col: i as u32 + 1 }
    }

    /// The text a span covers, whitespace collapsed.
    fn text(&self, span: Span) -> String {
        let mut out = String::new();
        for l in span.start.line.max(1)..=span.end.line {
            let Some(chars) = self.lines.get(l as usize - 1) else { break };
            let from = if l == span.start.line { span.start.col.max(1) as usize - 1 } else { 0 };
            let to = if l == span.end.line { (span.end.col.max(1) as usize - 1).min(chars.len()) } else { chars.len() };
            if from < to {
                out.push_str(&chars[from..to].iter().collect::<String>());
            }
            out.push(' ');
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// A cached DataFrame: its plan's canonical text (ids renumbered) and its `InMemoryRelation`.
struct CacheEntry {
    key: String,
    relation: LogicalPlan,
}

/// A positional or keyword argument list with PySpark's conventions.
pub(crate) struct Args {
    pub pos: Vec<(Value, Span)>,
    pub kw: Vec<(String, Value, Span)>,
    pub span: Span,
    /// `method()` for messages.
    pub name: String,
}

impl Args {
    #[inline(never)]
    fn get(&self, i: usize, kw: &str) -> Option<(Value, Span)> {
        if let Some(v) = self.pos.get(i) {
            return Some(v.clone());
        }
        self.kw.iter().find(|(k, _, _)| k == kw).map(|(_, v, s)| (v.clone(), *s))
    }
    #[inline(never)]
    fn req(&self, i: usize, kw: &str) -> Result<(Value, Span)> {
        self.get(i, kw).ok_or_else(|| Diagnostic::analysis(format!("{}() missing required argument '{kw}'", self.name), self.span))
    }
    /// Refuses more than `max` positional arguments and keywords not in `allowed`.
    #[inline(never)]
    fn check(&self, max: usize, allowed: &[&str]) -> Result<()> {
        if self.pos.len() > max {
            let (_, s) = &self.pos[max];
            return Err(Diagnostic::analysis(format!("{}() takes at most {max} positional argument(s), {} given", self.name, self.pos.len()), *s));
        }
        for (k, _, s) in &self.kw {
            if !allowed.contains(&k.as_str()) {
                return Err(Diagnostic::analysis(format!("{}() got an unexpected keyword argument '{k}'", self.name), *s));
            }
        }
        Ok(())
    }
    /// Positional arguments from `i` on, a single list/tuple argument flattened (`select(["a", "b"])`).
    #[inline(never)]
    fn rest(&self, i: usize) -> Vec<(Value, Span)> {
        let r: Vec<(Value, Span)> = self.pos.iter().skip(i).cloned().collect();
        if r.len() == 1 {
            if let (Value::List(items) | Value::Tuple(items), s) = &r[0] {
                return items.iter().map(|v| (v.clone(), *s)).collect();
            }
        }
        r
    }
}

pub(crate) struct RddState {
    pub graph: RddGraph,
    /// Python-side RDD handles (PySpark's `RDD` / `PipelinedRDD` objects).
    pub py: Vec<rdd_ops::PyRdd>,
}

pub(crate) struct Lowerer<'h> {
    src: Source,
    tables: Vec<Table>,
    views: BTreeMap<String, LogicalPlan>,
    host: &'h mut dyn Host,
    opts: LowerOptions,
    globals: BTreeMap<String, Value>,
    locals: Vec<BTreeMap<String, Value>>,
    star_modules: Vec<String>,
    caches: Vec<CacheEntry>,
    rdd: RddState,
    steps: Vec<Step>,
    /// The statement being lowered.
    stmt: Span,
    depth: usize,
}

/// An error message: a literal or a formatted `String`. Each kind builds its `Diagnostic` in one shared
/// out-of-line function, so the hundreds of error exits in the lowering stay a call each (wasm size).
pub(crate) trait ErrMsg {
    fn diagnostic(self, span: Span) -> Diagnostic;
}

impl ErrMsg for &str {
    #[cold]
    #[inline(never)]
    fn diagnostic(self, span: Span) -> Diagnostic {
        Diagnostic::analysis(self, span)
    }
}

impl ErrMsg for String {
    #[cold]
    #[inline(never)]
    fn diagnostic(self, span: Span) -> Diagnostic {
        Diagnostic::analysis(self, span)
    }
}

fn err<T>(msg: impl ErrMsg, span: Span) -> Result<T> {
    Err(msg.diagnostic(span))
}

const MAX_CALL_DEPTH: usize = 64;
/// Largest list a snippet may build (`range(n)`, comprehensions).
const MAX_LIST: i128 = 100_000;

impl<'h> Lowerer<'h> {
    fn new(src: &str, tables: &[Table], views: &BTreeMap<String, LogicalPlan>, opts: &LowerOptions, host: &'h mut dyn Host) -> Lowerer<'h> {
        let mut globals = BTreeMap::new();
        globals.insert("spark".to_string(), Value::Spark);
        globals.insert("sc".to_string(), Value::Sc);
        globals.insert("F".to_string(), Value::Module("pyspark.sql.functions".into()));
        globals.insert("Window".to_string(), Value::WindowCls);
        globals.insert("broadcast".to_string(), Value::FFunc("broadcast".into()));
        globals.insert("StorageLevel".to_string(), Value::StorageLevelCls);
        Lowerer {
            src: Source::new(src),
            tables: tables.to_vec(),
            views: views.clone(),
            host,
            opts: opts.clone(),
            globals,
            locals: vec![],
            star_modules: vec![],
            caches: vec![],
            rdd: RddState { graph: RddGraph::default(), py: vec![] },
            steps: vec![],
            stmt: Span::default(),
            depth: 0,
        }
    }

    fn cx(&mut self) -> resolve::Ctx<'_> {
        resolve::Ctx { tables: &self.tables, views: &self.views, ids: self.host.ids() }
    }

    fn push_step(&mut self, step: Step) {
        self.host.step(&step, &self.rdd.graph);
        self.steps.push(step);
    }

    // ------------------------------------------------------------ statements

    fn statement(&mut self, s: &ast::Stmt) -> Result<()> {
        match &s.kind {
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let full = a.name.dotted();
                    match &a.alias {
                        Some(al) => {
                            let v = self.import_value(&full, a.span)?;
                            self.globals.insert(al.name.clone(), v);
                        }
                        None => {
                            let top = a.name.parts.first().map(|p| p.name.clone()).unwrap_or_default();
                            self.globals.insert(top.clone(), Value::Module(top));
                        }
                    }
                }
                Ok(())
            }
            StmtKind::FromImport { module, names } => {
                let m = module.dotted();
                match names {
                    ImportNames::Star(_) => {
                        self.star_modules.push(m);
                        Ok(())
                    }
                    ImportNames::Names(aliases) => {
                        for a in aliases {
                            let full = format!("{m}.{}", a.name.dotted());
                            let v = self.import_value(&full, a.span)?;
                            let local = a.alias.as_ref().map(|x| x.name.clone()).unwrap_or_else(|| a.name.dotted());
                            self.globals.insert(local, v);
                        }
                        Ok(())
                    }
                }
            }
            StmtKind::Assign { target, value } => {
                let v = self.eval(value)?;
                self.globals.insert(target.name.clone(), v);
                Ok(())
            }
            StmtKind::Expr(e) => {
                self.eval(e)?;
                Ok(())
            }
            StmtKind::Udf(def) => {
                let info = self.udf_from_decorator(def)?;
                self.globals.insert(def.name.name.clone(), Value::Udf(Rc::new(info)));
                Ok(())
            }
        }
    }

    /// What `import a.b.c` / `from a.b import c` binds.
    fn import_value(&mut self, full: &str, span: Span) -> Result<Value> {
        let (parent, last) = match full.rsplit_once('.') {
            Some((p, l)) => (p.to_string(), l.to_string()),
            None => (String::new(), full.to_string()),
        };
        if !parent.is_empty() {
            if let Some(v) = self.module_member(&parent, &last) {
                return Ok(v);
            }
        }
        let known = ["pyspark", "pyspark.sql", "pyspark.sql.functions", "pyspark.sql.types", "pyspark.sql.window", "pyspark.storagelevel", "functools"];
        if known.contains(&full) || !full.starts_with("pyspark") {
            return Ok(Value::Module(full.to_string()));
        }
        err(format!("cannot import `{full}`: Stagecraft knows pyspark.sql (functions, types, Window, SparkSession), pyspark.StorageLevel and functools.reduce"), span)
    }

    /// A module attribute: `F.col`, `pyspark.sql.functions`, `T.IntegerType`.
    fn module_member(&self, module: &str, name: &str) -> Option<Value> {
        Some(match module {
            "pyspark.sql.functions" => Value::FFunc(name.to_string()),
            "pyspark.sql.types" => Value::TypeCtor(name.to_string()),
            "pyspark.sql.window" if name == "Window" => Value::WindowCls,
            "pyspark.sql" => match name {
                "functions" => Value::Module("pyspark.sql.functions".into()),
                "types" => Value::Module("pyspark.sql.types".into()),
                "window" => Value::Module("pyspark.sql.window".into()),
                "Window" => Value::WindowCls,
                "SparkSession" => Value::Module("pyspark.sql.SparkSession".into()),
                "DataFrame" | "Column" | "Row" => Value::Module(format!("pyspark.sql.{name}")),
                _ => return None,
            },
            "pyspark.sql.SparkSession" if name == "builder" => Value::Builder,
            "pyspark" => match name {
                "sql" => Value::Module("pyspark.sql".into()),
                "StorageLevel" => Value::StorageLevelCls,
                "SparkContext" | "SparkConf" => Value::Module(format!("pyspark.{name}")),
                _ => return None,
            },
            "pyspark.storagelevel" if name == "StorageLevel" => Value::StorageLevelCls,
            "functools" if name == "reduce" => Value::Builtin("reduce".into()),
            _ => return None,
        })
    }

    // ------------------------------------------------------------ expressions

    fn lookup(&self, name: &str) -> Option<Value> {
        for scope in self.locals.iter().rev() {
            if let Some(v) = scope.get(name) {
                return Some(v.clone());
            }
        }
        if let Some(v) = self.globals.get(name) {
            return Some(v.clone());
        }
        for m in self.star_modules.iter().rev() {
            match m.as_str() {
                "pyspark.sql.functions" if functions::is_known(name) => return Some(Value::FFunc(name.to_string())),
                "pyspark.sql.types" if name.ends_with("Type") || name == "StructField" => return Some(Value::TypeCtor(name.to_string())),
                _ => {}
            }
        }
        match name {
            "range" | "len" | "list" | "tuple" | "str" | "int" | "float" | "bool" | "print" | "sorted" | "abs" | "min" | "max" | "zip" | "enumerate" => {
                Some(Value::Builtin(name.to_string()))
            }
            "True" => Some(Value::Bool(true)),
            "False" => Some(Value::Bool(false)),
            _ => None,
        }
    }

    pub(crate) fn eval(&mut self, e: &ast::Expr) -> Result<Value> {
        let span = e.span;
        match &e.kind {
            ExprKind::Name(n) => self.lookup(n).ok_or_else(|| Diagnostic::analysis(format!("name '{n}' is not defined"), span)),
            ExprKind::Int(i) => Ok(Value::Int(*i as i128)),
            ExprKind::Float(f) => Ok(Value::Float(*f)),
            ExprKind::Str(s) => Ok(Value::Str(s.clone())),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::None => Ok(Value::None),
            ExprKind::List(items) => Ok(Value::List(items.iter().map(|x| self.eval(x)).collect::<Result<_>>()?)),
            ExprKind::Tuple(items) => Ok(Value::Tuple(items.iter().map(|x| self.eval(x)).collect::<Result<_>>()?)),
            ExprKind::Dict(items) => {
                let mut out = vec![];
                for (k, v) in items {
                    out.push((self.eval(k)?, self.eval(v)?));
                }
                Ok(Value::Dict(out))
            }
            ExprKind::Attribute { value, attr } => {
                let v = self.eval(value)?;
                self.get_attr(v, &attr.name, attr.span)
            }
            ExprKind::Call { func, args, keywords } => {
                let callee = self.eval(func)?;
                let name_span = match &func.kind {
                    ExprKind::Attribute { attr, .. } => attr.span,
                    _ => func.span,
                };
                let mut pos = vec![];
                for a in args {
                    pos.push((self.eval(a)?, a.span));
                }
                let mut kw = vec![];
                for k in keywords {
                    kw.push((k.name.name.clone(), self.eval(&k.value)?, k.span));
                }
                // Errors of a method call point at the method's name, not at the receiver's start.
                let span = if matches!(callee, Value::Method(..)) { Span { start: name_span.start, end: span.end } } else { span };
                self.call(callee, pos, kw, span, name_span)
            }
            ExprKind::Subscript { value, index } => {
                let v = self.eval(value)?;
                self.subscript(v, index, span)
            }
            ExprKind::Slice { .. } => err("a slice is only allowed inside [...]", span),
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand)?;
                self.unary(*op, v, span)
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.eval(left)?;
                let r = self.eval(right)?;
                self.binary(*op, l, left.span, r, right.span, span)
            }
            ExprKind::BoolOp { op, left, right } => {
                let l = self.eval(left)?;
                let lt = match l.truthy() {
                    Some(t) => t,
                    None => return self.bool_of_column(&l, left.span, *op),
                };
                let short = match op {
                    ast::BoolOp::And => !lt,
                    ast::BoolOp::Or => lt,
                };
                if short {
                    return Ok(l);
                }
                let r = self.eval(right)?;
                if r.truthy().is_none() {
                    return self.bool_of_column(&r, right.span, *op);
                }
                Ok(r)
            }
            ExprKind::Compare { left, ops } => self.compare(left, ops, span),
            ExprKind::IfElse { body, test, orelse } => {
                let t = self.eval(test)?;
                match t.truthy() {
                    Some(true) => self.eval(body),
                    Some(false) => self.eval(orelse),
                    None => err(column_bool_message(), test.span),
                }
            }
            ExprKind::Lambda { params, body, body_text } => Ok(Value::Lambda(Rc::new(Lambda {
                params: params.iter().map(|p| p.name.clone()).collect(),
                body: (**body).clone(),
                text: body_text.clone(),
            }))),
            ExprKind::ListComp { elt, targets, iter, conds } => {
                let it = self.eval(iter)?;
                let items = self.iterate(it, iter.span)?;
                let mut out = vec![];
                for item in items {
                    let mut scope = BTreeMap::new();
                    bind_targets(&mut scope, targets, item, iter.span)?;
                    self.locals.push(scope);
                    let mut keep = true;
                    for c in conds {
                        let v = self.eval(c);
                        match v.map(|v| v.truthy()) {
                            Ok(Some(t)) => keep &= t,
                            Ok(None) => {
                                self.locals.pop();
                                return err(column_bool_message(), c.span);
                            }
                            Err(d) => {
                                self.locals.pop();
                                return Err(d);
                            }
                        }
                    }
                    let v = if keep { Some(self.eval(elt)) } else { None };
                    self.locals.pop();
                    if let Some(v) = v {
                        out.push(v?);
                    }
                }
                Ok(Value::List(out))
            }
        }
    }

    fn bool_of_column<T>(&self, v: &Value, span: Span, op: ast::BoolOp) -> Result<T> {
        match v {
            Value::Column(_) => err(
                format!(
                    "Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions (found `{}`)",
                    if op == ast::BoolOp::And { "and" } else { "or" }
                ),
                span,
            ),
            other => err(format!("the truth value of {} is not known before Spark runs the job", other.kind()), span),
        }
    }

    /// The items of an iterable Python value.
    fn iterate(&self, v: Value, span: Span) -> Result<Vec<Value>> {
        match v {
            Value::List(v) | Value::Tuple(v) => Ok(v),
            Value::Str(s) => Ok(s.chars().map(|c| Value::Str(c.to_string())).collect()),
            Value::Dict(d) => Ok(d.into_iter().map(|(k, _)| k).collect()),
            other => err(format!("'{}' object is not iterable here", other.kind()), span),
        }
    }

    fn unary(&mut self, op: ast::UnaryOp, v: Value, span: Span) -> Result<Value> {
        use ast::UnaryOp as U;
        match (op, v) {
            (U::Neg, Value::Int(i)) => i.checked_neg().map(Value::Int).ok_or_else(|| Diagnostic::analysis("integer overflow in a Python expression", span)),
            (U::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
            (U::Pos, v @ (Value::Int(_) | Value::Float(_))) => Ok(v),
            (U::Neg, Value::Column(c)) => Ok(Value::Column(Col::new(ColKind::Neg(Box::new(c)), span))),
            (U::Invert, Value::Column(c)) => Ok(Value::Column(Col::new(ColKind::Not(Box::new(c)), span))),
            (U::Invert, Value::Int(i)) => Ok(Value::Int(!i)),
            (U::Not, Value::Column(_)) => err(column_bool_message(), span),
            (U::Not, v) => match v.truthy() {
                Some(t) => Ok(Value::Bool(!t)),
                None => err(format!("the truth value of {} is not known before Spark runs the job", v.kind()), span),
            },
            (op, v) => err(format!("bad operand type for unary {}: '{}'", match op {
                U::Neg => "-",
                U::Pos => "+",
                U::Invert => "~",
                U::Not => "not",
            }, v.kind()), span),
        }
    }

    fn binary(&mut self, op: ast::BinOp, l: Value, ls: Span, r: Value, rs: Span, span: Span) -> Result<Value> {
        use ast::BinOp as B;
        if matches!(l, Value::Column(_)) || matches!(r, Value::Column(_)) {
            return self.column_binary(op, l, ls, r, rs, span).map(Value::Column);
        }
        let num = |v: &Value| -> Option<f64> {
            match v {
                Value::Int(i) => Some(*i as f64),
                Value::Float(f) => Some(*f),
                Value::Bool(b) => Some(*b as i32 as f64),
                _ => None,
            }
        };
        let int = |v: &Value| -> Option<i128> {
            match v {
                Value::Int(i) => Some(*i),
                Value::Bool(b) => Some(*b as i128),
                _ => None,
            }
        };
        let overflow = || Diagnostic::analysis("integer overflow in a Python expression", span);
        match (op, &l, &r) {
            (B::Add, Value::Str(a), Value::Str(b)) => return Ok(Value::Str(format!("{a}{b}"))),
            (B::Add, Value::List(a), Value::List(b)) => return Ok(Value::List(a.iter().chain(b.iter()).cloned().collect())),
            (B::Mul, Value::Str(a), Value::Int(n)) | (B::Mul, Value::Int(n), Value::Str(a)) => {
                if *n > MAX_LIST {
                    return err("string repetition is too large", span);
                }
                return Ok(Value::Str(a.repeat((*n).max(0) as usize)));
            }
            (B::Mul, Value::List(a), Value::Int(n)) => {
                if (*n).max(0) * (a.len() as i128) > MAX_LIST {
                    return err("list repetition is too large", span);
                }
                let mut out = vec![];
                for _ in 0..(*n).max(0) {
                    out.extend(a.iter().cloned());
                }
                return Ok(Value::List(out));
            }
            (B::Mod, Value::Str(_), _) => return err("%-formatting of strings is not supported; use str.format or +", span),
            _ => {}
        }
        if let (Some(a), Some(b)) = (int(&l), int(&r)) {
            return Ok(Value::Int(match op {
                B::Add => a.checked_add(b).ok_or_else(overflow)?,
                B::Sub => a.checked_sub(b).ok_or_else(overflow)?,
                B::Mul => a.checked_mul(b).ok_or_else(overflow)?,
                B::Div => {
                    if b == 0 {
                        return err("division by zero", span);
                    }
                    return Ok(Value::Float(a as f64 / b as f64));
                }
                B::FloorDiv => {
                    if b == 0 {
                        return err("integer division or modulo by zero", span);
                    }
                    let q = a.checked_div(b).ok_or_else(overflow)?;
                    if (a % b != 0) && ((a < 0) != (b < 0)) {
                        q - 1
                    } else {
                        q
                    }
                }
                B::Mod => {
                    if b == 0 {
                        return err("integer division or modulo by zero", span);
                    }
                    let m = a.checked_rem(b).ok_or_else(overflow)?;
                    if m != 0 && ((m < 0) != (b < 0)) {
                        m + b
                    } else {
                        m
                    }
                }
                B::Pow => {
                    if !(0..=200).contains(&b) {
                        return err("exponent out of range for a Python expression", span);
                    }
                    a.checked_pow(b as u32).ok_or_else(overflow)?
                }
                B::LShift => {
                    if !(0..=126).contains(&b) {
                        return err("shift out of range", span);
                    }
                    a.checked_shl(b as u32).ok_or_else(overflow)?
                }
                B::RShift => {
                    if !(0..=126).contains(&b) {
                        return err("shift out of range", span);
                    }
                    a >> b
                }
                B::BitAnd => a & b,
                B::BitOr => a | b,
                B::BitXor => a ^ b,
            }));
        }
        if let (Some(a), Some(b)) = (num(&l), num(&r)) {
            return Ok(Value::Float(match op {
                B::Add => a + b,
                B::Sub => a - b,
                B::Mul => a * b,
                B::Div => {
                    if b == 0.0 {
                        return err("float division by zero", span);
                    }
                    a / b
                }
                B::FloorDiv | B::Mod if b == 0.0 => return err("float division by zero", span),
                B::FloorDiv => (a / b).floor(),
                B::Mod => a - b * (a / b).floor(),
                B::Pow => a.powf(b),
                _ => return err(format!("unsupported operand types for {}: 'float'", op.symbol()), span),
            }));
        }
        err(format!("unsupported operand type(s) for {}: '{}' and '{}'", op.symbol(), l.kind(), r.kind()), span)
    }

    fn compare(&mut self, left: &ast::Expr, ops: &[(ast::CmpOp, ast::Expr)], span: Span) -> Result<Value> {
        let first = self.eval(left)?;
        if ops.len() == 1 {
            let (op, rhs) = &ops[0];
            let r = self.eval(rhs)?;
            return self.compare_one(*op, first, left.span, r, rhs.span, span);
        }
        let mut cur = first;
        let mut cur_span = left.span;
        for (op, rhs) in ops {
            let r = self.eval(rhs)?;
            let v = self.compare_one(*op, cur.clone(), cur_span, r.clone(), rhs.span, span)?;
            match v.truthy() {
                Some(true) => {}
                Some(false) => return Ok(Value::Bool(false)),
                None => return err(format!("{} (a chained comparison `a < b < c` ANDs its parts with Python's `and`)", column_bool_message()), span),
            }
            cur = r;
            cur_span = rhs.span;
        }
        Ok(Value::Bool(true))
    }

    fn compare_one(&mut self, op: ast::CmpOp, l: Value, ls: Span, r: Value, rs: Span, span: Span) -> Result<Value> {
        use ast::CmpOp as C;
        if matches!(l, Value::Column(_)) || matches!(r, Value::Column(_)) {
            if matches!(op, C::In | C::NotIn) {
                return err("`in` is not defined for a Column; use col.isin(...)", span);
            }
            if matches!(op, C::Is | C::IsNot) {
                return err("`is` / `is not` compares Python objects, not Column values; use col.isNull() / col.isNotNull()", span);
            }
            // Python reflects `1 < col` to `col > 1`.
            let (l, ls, r, rs, op) = if matches!(l, Value::Column(_)) { (l, ls, r, rs, op) } else { (r, rs, l, ls, flip(op)) };
            let lc = self.col_of(l, ls, false)?;
            let rc = self.col_of(r, rs, true)?;
            let c = match op {
                C::Eq => Col::bin(COp::Eq, lc, rc, span),
                C::NotEq => Col::new(ColKind::Not(Box::new(Col::bin(COp::Eq, lc, rc, span))), span),
                C::Lt => Col::bin(COp::Lt, lc, rc, span),
                C::LtE => Col::bin(COp::LtEq, lc, rc, span),
                C::Gt => Col::bin(COp::Gt, lc, rc, span),
                C::GtE => Col::bin(COp::GtEq, lc, rc, span),
                C::In | C::NotIn => return err("`in` is not defined for a Column; use col.isin(...)", span),
                C::Is | C::IsNot => return err("`is` / `is not` compares Python objects, not Column values; use col.isNull() / col.isNotNull()", span),
            };
            return Ok(Value::Column(c));
        }
        let eq = |a: &Value, b: &Value| -> Option<bool> {
            Some(match (a, b) {
                (Value::None, Value::None) => true,
                (Value::None, _) | (_, Value::None) => false,
                (Value::Str(x), Value::Str(y)) => x == y,
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x), Value::Int(y)) => x == y,
                (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => as_f64(a)? == as_f64(b)?,
                _ => return None,
            })
        };
        let res = match op {
            C::Eq | C::Is => eq(&l, &r),
            C::NotEq | C::IsNot => eq(&l, &r).map(|b| !b),
            C::Lt | C::LtE | C::Gt | C::GtE => {
                let ord = match (&l, &r) {
                    (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
                    _ => match (as_f64(&l), as_f64(&r)) {
                        (Some(a), Some(b)) => a.partial_cmp(&b),
                        _ => None,
                    },
                };
                ord.map(|o| match op {
                    C::Lt => o.is_lt(),
                    C::LtE => o.is_le(),
                    C::Gt => o.is_gt(),
                    _ => o.is_ge(),
                })
            }
            C::In | C::NotIn => {
                let found = match &r {
                    Value::List(v) | Value::Tuple(v) => v.iter().any(|x| eq(&l, x) == Some(true)),
                    Value::Str(s) => match &l {
                        Value::Str(sub) => s.contains(sub.as_str()),
                        _ => return err("'in <string>' requires string as left operand", span),
                    },
                    Value::Dict(d) => d.iter().any(|(k, _)| eq(&l, k) == Some(true)),
                    other => return err(format!("argument of type '{}' is not iterable", other.kind()), rs),
                };
                Some(if op == C::In { found } else { !found })
            }
        };
        match res {
            Some(b) => Ok(Value::Bool(b)),
            None => err(format!("cannot compare '{}' and '{}' ({}) while lowering", l.kind(), r.kind(), op.symbol()), span),
        }
    }

    fn subscript(&mut self, v: Value, index: &ast::Expr, span: Span) -> Result<Value> {
        if let ExprKind::Slice { lower, upper, step } = &index.kind {
            let items = match v {
                Value::List(items) | Value::Tuple(items) => items,
                Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string())).collect(),
                other => return err(format!("'{}' object cannot be sliced here", other.kind()), span),
            };
            if step.is_some() {
                return err("slices with a step are not supported", index.span);
            }
            let n = items.len() as i128;
            let mut bound = |e: &Option<Box<ast::Expr>>, dflt: i128| -> Result<i128> {
                match e {
                    None => Ok(dflt),
                    Some(x) => match self.eval(x)? {
                        Value::Int(i) => Ok(if i < 0 { (n + i).max(0) } else { i.min(n) }),
                        other => err(format!("slice indices must be integers, not {}", other.kind()), x.span),
                    },
                }
            };
            let lo = bound(lower, 0)?;
            let hi = bound(upper, n)?;
            let out: Vec<Value> = if lo < hi { items[lo as usize..hi as usize].to_vec() } else { vec![] };
            return Ok(Value::List(out));
        }
        let idx = self.eval(index)?;
        match v {
            Value::Df(df) => self.df_getitem(df, idx, index.span),
            Value::List(items) | Value::Tuple(items) => match idx {
                Value::Int(i) => {
                    let n = items.len() as i128;
                    let k = if i < 0 { n + i } else { i };
                    if k < 0 || k >= n {
                        return err("list index out of range", index.span);
                    }
                    Ok(items[k as usize].clone())
                }
                other => err(format!("list indices must be integers, not {}", other.kind()), index.span),
            },
            Value::Dict(d) => {
                for (k, val) in d {
                    if let (Value::Str(a), Value::Str(b)) = (&k, &idx) {
                        if a == b {
                            return Ok(val);
                        }
                    }
                    if let (Value::Int(a), Value::Int(b)) = (&k, &idx) {
                        if a == b {
                            return Ok(val);
                        }
                    }
                }
                err("KeyError: the key is not in the dict", index.span)
            }
            Value::Column(_) => err("nested field and element access (col[...], getItem, getField) is not supported by Stagecraft yet", span),
            Value::Opaque(what) => Ok(Value::Opaque(what)),
            Value::Str(s) => match idx {
                Value::Int(i) => {
                    let chars: Vec<char> = s.chars().collect();
                    let n = chars.len() as i128;
                    let k = if i < 0 { n + i } else { i };
                    if k < 0 || k >= n {
                        return err("string index out of range", index.span);
                    }
                    Ok(Value::Str(chars[k as usize].to_string()))
                }
                other => err(format!("string indices must be integers, not {}", other.kind()), index.span),
            },
            other => err(format!("'{}' object is not subscriptable", other.kind()), span),
        }
    }

    // ------------------------------------------------------------ attributes and calls

    fn get_attr(&mut self, v: Value, name: &str, span: Span) -> Result<Value> {
        let method = |v: Value| Ok(Value::Method(Box::new(v), name.to_string()));
        match v {
            Value::Spark => match name {
                "read" => Ok(Value::Reader(Reader::default())),
                "sparkContext" => Ok(Value::Sc),
                "conf" => Ok(Value::Conf),
                "catalog" => Ok(Value::Catalog),
                "version" => Ok(Value::Str("3.5.0".into())),
                "udf" | "readStream" | "streams" => err(format!("spark.{name} is not supported by Stagecraft"), span),
                _ => method(Value::Spark),
            },
            Value::Module(m) => {
                if let Some(v) = self.module_member(&m, name) {
                    return Ok(v);
                }
                if m.starts_with("pyspark") {
                    return err(format!("`{m}.{name}` is not supported by Stagecraft"), span);
                }
                Ok(Value::Module(format!("{m}.{name}")))
            }
            Value::WindowCls => match name {
                "unboundedPreceding" => Ok(Value::Int(i64::MIN as i128)),
                "unboundedFollowing" => Ok(Value::Int(i64::MAX as i128)),
                "currentRow" => Ok(Value::Int(0)),
                "partitionBy" | "orderBy" | "rowsBetween" | "rangeBetween" => method(Value::WindowCls),
                _ => err(format!("type object 'Window' has no attribute '{name}'"), span),
            },
            Value::StorageLevelCls => self.storage_level(name, span),
            Value::Df(df) => self.df_attr(df, name, span),
            Value::Sc => match name {
                "defaultParallelism" => Ok(Value::Int(self.opts.default_parallelism as i128)),
                "defaultMinPartitions" => Ok(Value::Int(self.opts.default_parallelism.min(2) as i128)),
                _ => method(Value::Sc),
            },
            Value::Opaque(w) => Ok(Value::Opaque(w)),
            Value::TypeCtor(t) => err(format!("`{t}.{name}`: call the type first ({t}())"), span),
            Value::Lambda(_) | Value::Udf(_) => err(format!("function attribute `{name}` is not supported"), span),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::None => err(format!("'{}' object has no attribute '{name}'", v.kind()), span),
            other => method(other),
        }
    }

    fn call(&mut self, callee: Value, pos: Vec<(Value, Span)>, kw: Vec<(String, Value, Span)>, span: Span, name_span: Span) -> Result<Value> {
        self.depth += 1;
        if self.depth > MAX_CALL_DEPTH {
            self.depth -= 1;
            return err("calls are nested too deeply", span);
        }
        let r = self.call_inner(callee, pos, kw, span, name_span);
        self.depth -= 1;
        r
    }

    fn call_inner(&mut self, callee: Value, pos: Vec<(Value, Span)>, kw: Vec<(String, Value, Span)>, span: Span, name_span: Span) -> Result<Value> {
        let mk = |name: String| Args { pos: pos.clone(), kw: kw.clone(), span, name };
        match callee {
            Value::Method(recv, m) => {
                let a = mk(m.clone());
                match *recv {
                    Value::Spark => self.spark_method(&m, a, name_span),
                    Value::Builder => self.builder_method(&m, a, name_span),
                    Value::Reader(r) => self.reader_method(r, &m, a, name_span),
                    Value::Conf => self.conf_method(&m, a, name_span),
                    Value::Catalog => self.catalog_method(&m, a, name_span),
                    Value::Sc => self.sc_method(&m, a, name_span),
                    Value::Df(df) => self.df_method(df, &m, a, name_span),
                    Value::Grouped(g) => self.grouped_method(*g, &m, a, name_span),
                    Value::Column(c) => self.column_method(c, &m, a, name_span),
                    Value::WindowCls => self.window_method(Rc::new(WinSpec::default()), &m, a, name_span),
                    Value::WindowSpec(w) => self.window_method(w, &m, a, name_span),
                    Value::Writer(w) => self.writer_method(*w, &m, a, name_span),
                    Value::Rdd(r) => self.rdd_method(r, &m, a, name_span),
                    Value::Str(s) => self.str_method(s, &m, a, name_span),
                    Value::Opaque(w) => Ok(Value::Opaque(w)),
                    other => err(format!("'{}' object has no attribute '{m}'", other.kind()), name_span),
                }
            }
            Value::FFunc(f) => self.f_call(&f, mk(f.clone()), name_span),
            Value::TypeCtor(t) => self.type_ctor(&t, mk(t.clone())),
            Value::Builtin(b) => self.builtin(&b, mk(b.clone())),
            Value::Lambda(l) => self.call_lambda(&l, pos, span),
            Value::Udf(u) => {
                let a = mk(u.name.clone());
                a.check(usize::MAX, &[])?;
                let mut args = vec![];
                for (v, s) in a.pos.iter().cloned() {
                    args.push(self.col_of(v, s, false)?);
                }
                Ok(Value::Column(Col::new(ColKind::Udf { udf: u, args }, span)))
            }
            Value::UdfFactory { return_type, pandas } => {
                let a = mk("udf".into());
                let (f, fs) = a.req(0, "f")?;
                self.make_udf(f, fs, return_type, pandas)
            }
            Value::Module(m) if m == "pyspark.sql.SparkSession" => err("create the session with SparkSession.builder.getOrCreate() (or use `spark`)", span),
            Value::Module(m) if m == "pyspark.sql.Row" => err("Row(...) is not supported; use tuples or dicts in createDataFrame", span),
            other => err(format!("'{}' object is not callable", other.kind()), span),
        }
    }

    fn call_lambda(&mut self, l: &Lambda, pos: Vec<(Value, Span)>, span: Span) -> Result<Value> {
        if pos.len() != l.params.len() {
            return err(format!("<lambda>() takes {} positional argument(s) but {} were given", l.params.len(), pos.len()), span);
        }
        let mut scope = BTreeMap::new();
        for (p, (v, _)) in l.params.iter().zip(pos) {
            scope.insert(p.clone(), v);
        }
        self.locals.push(scope);
        let r = self.eval(&l.body);
        self.locals.pop();
        r
    }

    fn builtin(&mut self, b: &str, a: Args) -> Result<Value> {
        let span = a.span;
        match b {
            "range" => {
                let ints: Vec<i128> = a
                    .pos
                    .iter()
                    .map(|(v, s)| match v {
                        Value::Int(i) => Ok(*i),
                        other => err(format!("'{}' object cannot be interpreted as an integer", other.kind()), *s),
                    })
                    .collect::<Result<_>>()?;
                let (start, stop, step) = match ints.as_slice() {
                    [n] => (0, *n, 1),
                    [s, e] => (*s, *e, 1),
                    [s, e, st] => (*s, *e, *st),
                    _ => return err("range expected 1 to 3 integer arguments", span),
                };
                if step == 0 {
                    return err("range() arg 3 must not be zero", span);
                }
                let too_large = || Diagnostic::analysis(format!("range() is too large for a snippet (at most {MAX_LIST} items)"), span);
                let distance = if step > 0 { stop.checked_sub(start) } else { start.checked_sub(stop) }.ok_or_else(too_large)?;
                let stride = step.checked_abs().ok_or_else(too_large)?;
                let count = if distance > 0 { (distance - 1) / stride + 1 } else { 0 };
                if count > MAX_LIST {
                    return Err(too_large());
                }
                let mut items = vec![];
                for k in 0..count {
                    let v = k.checked_mul(step).and_then(|x| x.checked_add(start)).ok_or_else(too_large)?;
                    items.push(Value::Int(v));
                }
                Ok(Value::List(items))
            }
            "len" => match a.req(0, "obj")? {
                (Value::List(v) | Value::Tuple(v), _) => Ok(Value::Int(v.len() as i128)),
                (Value::Str(s), _) => Ok(Value::Int(s.chars().count() as i128)),
                (Value::Dict(d), _) => Ok(Value::Int(d.len() as i128)),
                (other, s) => err(format!("object of type '{}' has no len() known before Spark runs", other.kind()), s),
            },
            "list" | "tuple" | "sorted" => {
                let items = match a.get(0, "iterable") {
                    Some((v, s)) => self.iterate(v, s)?,
                    None => vec![],
                };
                let items = if b == "sorted" { sort_values(items, span)? } else { items };
                Ok(if b == "tuple" { Value::Tuple(items) } else { Value::List(items) })
            }
            "str" => match a.get(0, "object") {
                None => Ok(Value::Str(String::new())),
                Some((v, s)) => v.py_str().map(Value::Str).ok_or_else(|| Diagnostic::analysis(format!("str() of a {} is not known before Spark runs", v.kind()), s)),
            },
            "int" => match a.req(0, "x")? {
                (Value::Int(i), _) => Ok(Value::Int(i)),
                (Value::Bool(b), _) => Ok(Value::Int(b as i128)),
                (Value::Float(f), _) => Ok(Value::Int(f.trunc() as i128)),
                (Value::Str(s), sp) => s.trim().parse::<i128>().map(Value::Int).map_err(|_| Diagnostic::analysis(format!("invalid literal for int(): '{s}'"), sp)),
                (other, sp) => err(format!("int() of a {} is not known before Spark runs", other.kind()), sp),
            },
            "float" => match a.req(0, "x")? {
                (Value::Int(i), _) => Ok(Value::Float(i as f64)),
                (Value::Float(f), _) => Ok(Value::Float(f)),
                (Value::Str(s), sp) => s.trim().parse::<f64>().map(Value::Float).map_err(|_| Diagnostic::analysis(format!("could not convert string to float: '{s}'"), sp)),
                (other, sp) => err(format!("float() of a {} is not known before Spark runs", other.kind()), sp),
            },
            "bool" => match a.get(0, "x") {
                None => Ok(Value::Bool(false)),
                Some((v, s)) => v.truthy().map(Value::Bool).ok_or_else(|| Diagnostic::analysis(column_bool_message(), s)),
            },
            "abs" => match a.req(0, "x")? {
                (Value::Int(i), sp) => i.checked_abs().map(Value::Int).ok_or_else(|| Diagnostic::analysis("integer overflow in abs()", sp)),
                (Value::Float(f), _) => Ok(Value::Float(f.abs())),
                (other, s) => err(format!("bad operand type for abs(): '{}' (use F.abs for a Column)", other.kind()), s),
            },
            "min" | "max" => {
                let items = if a.pos.len() == 1 { self.iterate(a.pos[0].0.clone(), a.pos[0].1)? } else { a.pos.iter().map(|(v, _)| v.clone()).collect() };
                let sorted = sort_values(items, span)?;
                let pick = if b == "min" { sorted.first() } else { sorted.last() };
                pick.cloned().ok_or_else(|| Diagnostic::analysis(format!("{b}() arg is an empty sequence"), span))
            }
            "zip" => {
                let lists: Vec<Vec<Value>> = a.pos.iter().map(|(v, s)| self.iterate(v.clone(), *s)).collect::<Result<_>>()?;
                let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
                Ok(Value::List((0..n).map(|i| Value::Tuple(lists.iter().map(|l| l[i].clone()).collect())).collect()))
            }
            "enumerate" => {
                let (v, s) = a.req(0, "iterable")?;
                let items = self.iterate(v, s)?;
                Ok(Value::List(items.into_iter().enumerate().map(|(i, v)| Value::Tuple(vec![Value::Int(i as i128), v])).collect()))
            }
            "print" => {
                let mut parts = vec![];
                for (v, s) in &a.pos {
                    match v.py_str() {
                        Some(t) => parts.push(t),
                        None => match v {
                            Value::Opaque(w) => parts.push(format!("<{w}>")),
                            other => return err(format!("print() of a {} is not supported (use show(), collect() or explain())", other.kind()), *s),
                        },
                    }
                }
                self.push_step(Step::Print { text: parts.join(" "), span });
                Ok(Value::None)
            }
            "reduce" => {
                let (f, fs) = a.req(0, "function")?;
                let (seq, ss) = a.req(1, "sequence")?;
                let items = self.iterate(seq, ss)?;
                let mut it = items.into_iter();
                let mut acc = match a.get(2, "initial") {
                    Some((v, _)) => v,
                    None => it.next().ok_or_else(|| Diagnostic::analysis("reduce() of empty sequence with no initial value", ss))?,
                };
                for x in it {
                    acc = self.call(f.clone(), vec![(acc, fs), (x, ss)], vec![], span, fs)?;
                }
                Ok(acc)
            }
            other => err(format!("builtin `{other}` is not supported"), span),
        }
    }

    fn str_method(&mut self, s: String, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let arg_str = |a: &Args, i: usize| -> Result<String> {
            match a.req(i, "arg")? {
                (Value::Str(x), _) => Ok(x),
                (other, sp) => err(format!("expected a str, got {}", other.kind()), sp),
            }
        };
        match m {
            "upper" => Ok(Value::Str(s.to_uppercase())),
            "lower" => Ok(Value::Str(s.to_lowercase())),
            "strip" => Ok(Value::Str(s.trim().to_string())),
            "replace" => Ok(Value::Str(s.replace(&arg_str(&a, 0)?, &arg_str(&a, 1)?))),
            "startswith" => Ok(Value::Bool(s.starts_with(&arg_str(&a, 0)?))),
            "endswith" => Ok(Value::Bool(s.ends_with(&arg_str(&a, 0)?))),
            "split" => {
                let parts: Vec<Value> = match a.get(0, "sep") {
                    Some((Value::Str(sep), _)) => s.split(sep.as_str()).map(|p| Value::Str(p.to_string())).collect(),
                    _ => s.split_whitespace().map(|p| Value::Str(p.to_string())).collect(),
                };
                Ok(Value::List(parts))
            }
            "join" => {
                let (v, sp) = a.req(0, "iterable")?;
                let items = self.iterate(v, sp)?;
                let mut out = vec![];
                for it in items {
                    match it {
                        Value::Str(x) => out.push(x),
                        other => return err(format!("sequence item: expected str instance, {} found", other.kind()), sp),
                    }
                }
                Ok(Value::Str(out.join(&s)))
            }
            "format" => {
                let mut out = String::new();
                let mut next = 0usize;
                let chars: Vec<char> = s.chars().collect();
                let mut i = 0;
                while i < chars.len() {
                    let c = chars[i];
                    if c == '{' && chars.get(i + 1) == Some(&'{') {
                        out.push('{');
                        i += 2;
                        continue;
                    }
                    if c == '}' && chars.get(i + 1) == Some(&'}') {
                        out.push('}');
                        i += 2;
                        continue;
                    }
                    if c == '{' {
                        let close = chars[i..].iter().position(|x| *x == '}').map(|p| p + i).ok_or_else(|| Diagnostic::analysis("single '{' encountered in format string", a.span))?;
                        let field: String = chars[i + 1..close].iter().collect();
                        let v = if field.is_empty() {
                            let v = a.pos.get(next).map(|x| x.0.clone());
                            next += 1;
                            v
                        } else if let Ok(k) = field.parse::<usize>() {
                            a.pos.get(k).map(|x| x.0.clone())
                        } else {
                            a.kw.iter().find(|(k, _, _)| *k == field).map(|x| x.1.clone())
                        };
                        let v = v.ok_or_else(|| Diagnostic::analysis(format!("format(): no argument for {{{field}}}"), a.span))?;
                        out.push_str(&v.py_str().ok_or_else(|| Diagnostic::analysis(format!("format() of a {} is not supported", v.kind()), a.span))?);
                        i = close + 1;
                        continue;
                    }
                    out.push(c);
                    i += 1;
                }
                Ok(Value::Str(out))
            }
            "decode" | "encode" => Ok(Value::Str(s)),
            other => err(format!("str.{other}() is not supported"), name_span),
        }
    }

    fn storage_level(&self, name: &str, span: Span) -> Result<Value> {
        // PySpark's levels as the JVM sees them: MEMORY_ONLY and MEMORY_AND_DISK are serialized on the
        // Python side; MEMORY_AND_DISK_DESER is the deserialized level Dataset.cache() uses.
        let level = match name {
            "MEMORY_ONLY" => StorageLevel::MemoryOnlySer,
            "MEMORY_AND_DISK" => StorageLevel::MemoryAndDiskSer,
            "MEMORY_AND_DISK_DESER" => StorageLevel::MemoryAndDisk,
            "DISK_ONLY" => StorageLevel::DiskOnly,
            "OFF_HEAP" => StorageLevel::OffHeap,
            "NONE" => return Ok(Value::Level(None, name.into())),
            n if n.ends_with("_2") || n.ends_with("_3") => {
                return err(format!("StorageLevel.{n}: replicated storage levels are not supported by Stagecraft (one executor)"), span)
            }
            n => return err(format!("type object 'StorageLevel' has no attribute '{n}'"), span),
        };
        Ok(Value::Level(Some(level), name.into()))
    }

    // ------------------------------------------------------------ conversions

    /// A Column from an argument: Columns as they are, `str` as a column name (or a string literal when
    /// `str_is_literal`), Python numbers/bools/None as literals.
    pub(crate) fn col_of(&mut self, v: Value, span: Span, str_is_literal: bool) -> Result<Col> {
        match v {
            Value::Column(c) => Ok(c),
            Value::Str(s) if str_is_literal => Ok(Col::lit(PyLit::Str(s), span)),
            Value::Str(s) => Ok(name_col(&s, span)),
            Value::Int(i) => Ok(Col::lit(PyLit::Int(i), span)),
            Value::Float(f) => Ok(Col::lit(PyLit::Float(f), span)),
            Value::Bool(b) => Ok(Col::lit(PyLit::Bool(b), span)),
            Value::None => Ok(Col::lit(PyLit::None, span)),
            Value::Df(_) => err("a DataFrame is not a Column (did you mean df[\"col\"] or F.col(\"col\")?)", span),
            Value::List(_) | Value::Tuple(_) => err("a list is not a Column here (use F.array(...) or F.lit for a literal)", span),
            other => err(format!("expected a Column or a column name, got {}", other.kind()), span),
        }
    }

    pub(crate) fn to_str(&self, v: Value, span: Span, what: &str) -> Result<String> {
        match v {
            Value::Str(s) => Ok(s),
            other => err(format!("{what} must be a str, got {}", other.kind()), span),
        }
    }

    pub(crate) fn to_int(&self, v: Value, span: Span, what: &str) -> Result<i128> {
        match v {
            Value::Int(i) => Ok(i),
            Value::Bool(b) => Ok(b as i128),
            Value::Opaque(w) => err(format!("{what} must be known before Spark runs, but it is the result of {w}"), span),
            other => err(format!("{what} must be an int, got {}", other.kind()), span),
        }
    }

    pub(crate) fn to_bool(&self, v: Value, span: Span, what: &str) -> Result<bool> {
        match v {
            Value::Bool(b) => Ok(b),
            Value::Int(i) => Ok(i != 0),
            other => err(format!("{what} must be a bool, got {}", other.kind()), span),
        }
    }

    /// A data type: `"int"`, `"decimal(10,2)"`, `IntegerType()`.
    pub(crate) fn to_dtype(&self, v: Value, span: Span) -> Result<crate::logical::types::DataType> {
        match v {
            Value::DType(t) => Ok(t),
            Value::Str(s) => parse_type_name(&s).ok_or_else(|| Diagnostic::analysis(format!("[PARSE_SYNTAX_ERROR] unknown data type \"{s}\""), span)),
            Value::TypeCtor(t) => err(format!("{t} must be called: {t}()"), span),
            other => err(format!("expected a data type (a name such as \"int\" or a DataType such as IntegerType()), got {}", other.kind()), span),
        }
    }

    // ------------------------------------------------------------ UDFs

    fn udf_from_decorator(&mut self, def: &ast::UdfDef) -> Result<UdfInfo> {
        let pandas = def.kind == ast::UdfKind::PandasUdf;
        let dv = self.eval(&def.decorator)?;
        let return_type = match dv {
            Value::FFunc(_) => crate::logical::types::DataType::String,
            Value::UdfFactory { return_type, .. } => return_type,
            other => return err(format!("unsupported decorator: {}", other.kind()), def.decorator.span),
        };
        if pandas && def.params.is_empty() {
            return err("a pandas UDF takes at least one argument", def.name.span);
        }
        Ok(UdfInfo { name: def.name.name.clone(), return_type, pandas })
    }

    /// `F.udf(f, returnType)` / `pandas_udf(f, returnType)` with the function known.
    fn make_udf(&mut self, f: Value, span: Span, return_type: crate::logical::types::DataType, pandas: bool) -> Result<Value> {
        match f {
            Value::Lambda(_) => Ok(Value::Udf(Rc::new(UdfInfo { name: "<lambda>".into(), return_type, pandas }))),
            Value::Udf(u) => Ok(Value::Udf(Rc::new(UdfInfo { name: u.name.clone(), return_type, pandas }))),
            other => err(format!("a UDF needs a Python function (a lambda or a decorated def), got {}", other.kind()), span),
        }
    }

    // ------------------------------------------------------------ caching (CacheManager)

    /// Replaces every sub-plan that gives the same result as a cached plan by its InMemoryRelation
    /// (Spark's `useCachedData`), largest first.
    pub(crate) fn use_cached(&self, plan: LogicalPlan) -> LogicalPlan {
        if self.caches.is_empty() {
            return plan;
        }
        plan.transform_down(&mut |p| {
            if matches!(p, LogicalPlan::InMemoryRelation { .. }) {
                return p;
            }
            let key = canonical(&p);
            for c in self.caches.iter().rev() {
                if c.key == key {
                    if let LogicalPlan::InMemoryRelation { cached, level, cache_id, .. } = &c.relation {
                        return LogicalPlan::InMemoryRelation { output: p.output(), cached: cached.clone(), level: *level, cache_id: *cache_id };
                    }
                }
            }
            p
        })
    }

    pub(crate) fn add_cache(&mut self, plan: &LogicalPlan, level: StorageLevel) {
        let key = canonical(plan);
        if self.caches.iter().any(|c| c.key == key) {
            // Spark: "Asked to cache already cached data."
            return;
        }
        let inner = self.use_cached(plan.clone());
        let relation = self.host.cache(inner, level);
        self.caches.push(CacheEntry { key, relation });
    }

    pub(crate) fn remove_cache(&mut self, plan: &LogicalPlan) {
        let key = canonical(plan);
        self.caches.retain(|c| c.key != key);
    }
}

/// A plan's text with expression ids renumbered by first appearance (Spark's `sameResult` on
/// canonicalized plans, for this purpose).
pub(crate) fn canonical(p: &LogicalPlan) -> String {
    crate::logical::display::renumber_ids(&p.to_string())
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Bool(b) => Some(*b as i32 as f64),
        _ => None,
    }
}

fn sort_values(mut items: Vec<Value>, span: Span) -> Result<Vec<Value>> {
    let all_num = items.iter().all(|v| as_f64(v).is_some());
    let all_str = items.iter().all(|v| matches!(v, Value::Str(_)));
    if all_num {
        crate::sort::sort_by(&mut items, |a, b| as_f64(a).partial_cmp(&as_f64(b)).unwrap_or(std::cmp::Ordering::Equal));
    } else if all_str {
        crate::sort::sort_by(&mut items, |a, b| match (a, b) {
            (Value::Str(x), Value::Str(y)) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
    } else {
        return err("only lists of numbers or of strings can be sorted while lowering", span);
    }
    Ok(items)
}

fn flip(op: ast::CmpOp) -> ast::CmpOp {
    use ast::CmpOp as C;
    match op {
        C::Lt => C::Gt,
        C::LtE => C::GtE,
        C::Gt => C::Lt,
        C::GtE => C::LtE,
        o => o,
    }
}

fn bind_targets(scope: &mut BTreeMap<String, Value>, targets: &[ast::Ident], item: Value, span: Span) -> Result<()> {
    if targets.len() == 1 {
        scope.insert(targets[0].name.clone(), item);
        return Ok(());
    }
    match item {
        Value::List(v) | Value::Tuple(v) if v.len() == targets.len() => {
            for (t, x) in targets.iter().zip(v) {
                scope.insert(t.name.clone(), x);
            }
            Ok(())
        }
        other => err(format!("cannot unpack {} into {} names", other.kind(), targets.len()), span),
    }
}

fn column_bool_message() -> String {
    "Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions".into()
}

/// Spark's type names as PySpark accepts them (`"int"`, `"integer"`, `"long"`, `"decimal(10,2)"`, DDL).
pub(crate) fn parse_type_name(s: &str) -> Option<crate::logical::types::DataType> {
    let t = s.trim().to_ascii_lowercase();
    crate::logical::types::DataType::parse(&t)
}
