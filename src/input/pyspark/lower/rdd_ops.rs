//! PySpark's RDD API lowered to the JVM lineage it creates (`rdd.rs`): Python functions pipeline into one
//! `PythonRDD` (PySpark's PipelinedRDD) until a cache, checkpoint or JVM operation materializes it; the
//! `*ByKey` family is PySpark's combineByKey/partitionBy (PythonRDD → PairwiseRDD → ShuffledRDD →
//! MapPartitionsRDD → PythonRDD); joins and cogroup are a union plus groupByKey; actions are RDD jobs
//! cut into stages (and `sortByKey` runs its count and sample jobs eagerly, as PySpark does). Bridges:
//! `df.rdd` (a SQLExecutionRDD leaf holding the plan) and `rdd.toDF(schema)`. Lambdas stay opaque text.

use super::value::*;
use super::{err, Args, Lowerer, RddJob, Step};
use crate::error::{Result, Span};
use crate::input::pyspark::rdd::{Dep, RddStorage};
use crate::logical::expr::Attribute;
use crate::logical::plan::LogicalPlan;
use crate::logical::types::DataType;

/// Where a Python-side RDD's rows come from (for `toDF`).
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    Parallelize(Vec<Value>),
    Df(LogicalPlan),
    Other,
}

/// A PySpark `RDD` / `PipelinedRDD` object.
#[derive(Debug, Clone)]
pub(crate) struct PyRdd {
    /// The JVM RDD this one reads (its own node when `ops` is empty).
    pub base: usize,
    /// Python functions pipelined on `base`, not yet a JVM `PythonRDD`.
    pub ops: Vec<String>,
    /// The `PythonRDD` once materialized.
    pub jvm: Option<usize>,
    /// Call site of the first pipelined operation (`reduceByKey at <stdin>:3`).
    pub site: String,
    pub cached: bool,
    pub checkpointed: bool,
    pub origin: Origin,
}

const NATIVE: &str = "NativeMethodAccessorImpl.java:0";

fn describe_fn(v: &Value) -> String {
    match v {
        Value::Lambda(l) => format!("lambda {}: {}", l.params.join(", "), l.text),
        Value::Builtin(b) => b.clone(),
        Value::Udf(u) => u.name.clone(),
        Value::Module(m) => m.clone(),
        other => other.kind(),
    }
}

fn storage_of(name: &str, span: Span) -> Result<RddStorage> {
    let s = |disk, memory, off_heap, deserialized| RddStorage { disk, memory, off_heap, deserialized, replication: 1 };
    Ok(match name {
        "MEMORY_ONLY" => s(false, true, false, false),
        "MEMORY_AND_DISK" => s(true, true, false, false),
        "MEMORY_AND_DISK_DESER" => s(true, true, false, true),
        "DISK_ONLY" => s(true, false, false, false),
        "OFF_HEAP" => s(true, true, true, false),
        other => return err(format!("StorageLevel.{other} is not supported for an RDD"), span),
    })
}

impl<'h> Lowerer<'h> {
    fn site(&self, op: &str, span: Span) -> String {
        format!("{op} at <stdin>:{}", span.start.line)
    }

    fn new_py(&mut self, base: usize, origin: Origin) -> Value {
        self.rdd.py.push(PyRdd { base, ops: vec![], jvm: None, site: String::new(), cached: false, checkpointed: false, origin });
        Value::Rdd(self.rdd.py.len() - 1)
    }

    /// The JVM RDD of a Python-side RDD, materializing its pipelined functions as a `PythonRDD`.
    fn jvm_of(&mut self, r: usize, site: Option<String>) -> usize {
        let p = self.rdd.py[r].clone();
        if p.ops.is_empty() {
            return p.base;
        }
        if let Some(j) = p.jvm {
            return j;
        }
        let parts = self.rdd.graph.node(p.base).partitions;
        let site = site.unwrap_or_else(|| "RDD at PythonRDD.scala:53".into());
        let j = self.rdd.graph.add("PythonRDD", None, site, parts, vec![(p.base, Dep::Narrow)]);
        self.rdd.graph.node_mut(j).python_ops = p.ops.clone();
        self.rdd.py[r].jvm = Some(j);
        j
    }

    /// Pipelines a Python function onto `r` (PySpark's PipelinedRDD composition).
    fn pipe(&mut self, r: usize, op: String, site: String) -> usize {
        let p = self.rdd.py[r].clone();
        let pipelinable = !p.ops.is_empty() && !p.cached && !p.checkpointed;
        let origin = match &p.origin {
            Origin::Other => Origin::Other,
            o => o.clone(),
        };
        let new = if pipelinable {
            let mut ops = p.ops.clone();
            ops.push(op);
            PyRdd { base: p.base, ops, jvm: None, site: p.site.clone(), cached: false, checkpointed: false, origin }
        } else {
            let base = self.jvm_of(r, None);
            PyRdd { base, ops: vec![op], jvm: None, site, cached: false, checkpointed: false, origin }
        };
        self.rdd.py.push(new);
        self.rdd.py.len() - 1
    }

    fn partitions(&mut self, r: usize) -> u32 {
        let j = self.rdd.py[r].base;
        self.rdd.graph.node(j).partitions
    }

    /// PySpark's `_defaultReducePartitions`: `spark.default.parallelism` when set, else the parent's.
    fn default_reduce(&mut self, r: usize) -> u32 {
        match self.opts.explicit_default_parallelism {
            Some(n) => n,
            None => self.partitions(r),
        }
    }

    /// `partitionBy(n)`: PythonRDD (keyed) → PairwiseRDD → ShuffledRDD → MapPartitionsRDD → new RDD.
    fn partition_by(&mut self, r: usize, n: u32, op: &str, span: Span) -> usize {
        let site = self.site(op, span);
        let keyed = self.pipe(r, "add_shuffle_key".into(), site.clone());
        let py = self.jvm_of(keyed, Some(site.clone()));
        let parts = self.rdd.graph.node(py).partitions;
        let pair = self.rdd.graph.add("PairwiseRDD", None, site, parts, vec![(py, Dep::Narrow)]);
        let shuffled = self.rdd.graph.add("ShuffledRDD", None, format!("partitionBy at {NATIVE}"), n, vec![(pair, Dep::Shuffle)]);
        let values = self.rdd.graph.add("MapPartitionsRDD", None, "mapPartitions at PythonRDD.scala:160".into(), n, vec![(shuffled, Dep::Narrow)]);
        self.rdd.py.push(PyRdd { base: values, ops: vec![], jvm: None, site: String::new(), cached: false, checkpointed: false, origin: Origin::Other });
        self.rdd.py.len() - 1
    }

    /// `combineByKey`: combine locally, shuffle, merge combiners.
    fn combine_by_key(&mut self, r: usize, n: Option<u32>, op: &str, what: String, span: Span) -> usize {
        let n = n.unwrap_or_else(|| self.default_reduce(r));
        let site = self.site(op, span);
        let local = self.pipe(r, format!("combineLocally({what})"), site);
        let shuffled = self.partition_by(local, n, op, span);
        let site = self.site(op, span);
        self.pipe(shuffled, format!("mergeCombiners({what})"), site)
    }

    fn union_py(&mut self, a: usize, b: usize, span: Span) -> usize {
        let ja = self.jvm_of(a, None);
        let jb = self.jvm_of(b, None);
        let parts = self.rdd.graph.node(ja).partitions + self.rdd.graph.node(jb).partitions;
        let u = self.rdd.graph.add("UnionRDD", None, format!("union at {NATIVE}"), parts, vec![(ja, Dep::Narrow), (jb, Dep::Narrow)]);
        let _ = span;
        self.rdd.py.push(PyRdd { base: u, ops: vec![], jvm: None, site: String::new(), cached: false, checkpointed: false, origin: Origin::Other });
        self.rdd.py.len() - 1
    }

    fn coalesce_py(&mut self, r: usize, n: u32, shuffle: bool) -> usize {
        let site = format!("coalesce at {NATIVE}");
        let out = if shuffle {
            let reser = self.pipe(r, "reserialize".into(), site.clone());
            let j = self.jvm_of(reser, None);
            let parts = self.rdd.graph.node(j).partitions;
            let dist = self.rdd.graph.add("MapPartitionsRDD", None, site.clone(), parts, vec![(j, Dep::Narrow)]);
            let sh = self.rdd.graph.add("ShuffledRDD", None, site.clone(), n, vec![(dist, Dep::Shuffle)]);
            let co = self.rdd.graph.add("CoalescedRDD", None, site.clone(), n, vec![(sh, Dep::Narrow)]);
            self.rdd.graph.add("MapPartitionsRDD", None, site, n, vec![(co, Dep::Narrow)])
        } else {
            let j = self.jvm_of(r, None);
            let parts = self.rdd.graph.node(j).partitions.min(n);
            self.rdd.graph.add("CoalescedRDD", None, site, parts, vec![(j, Dep::Narrow)])
        };
        self.rdd.py.push(PyRdd { base: out, ops: vec![], jvm: None, site: String::new(), cached: false, checkpointed: false, origin: Origin::Other });
        self.rdd.py.len() - 1
    }

    /// Runs a job on `r` (after pipelining `ops`), then any pending checkpoints.
    fn run_job(&mut self, r: usize, ops: &[&str], action: &str, tasks: Option<u32>, span: Span) -> Result<()> {
        let site = self.site(action, span);
        let mut cur = r;
        for op in ops {
            cur = self.pipe(cur, op.to_string(), site.clone());
        }
        let root = self.jvm_of(cur, None);
        self.job_on(root, action, site, tasks, span);
        Ok(())
    }

    fn job_on(&mut self, root: usize, action: &str, site: String, tasks: Option<u32>, span: Span) {
        let job = self.rdd_job(root, action, site.clone(), tasks);
        self.push_step(Step::Rdd(job));
        // RDD.doCheckpoint: a checkpointed RDD the job computed is written by one more job, then its
        // lineage is cut.
        let marked: Vec<usize> = self.rdd.py.iter().filter(|p| p.checkpointed).filter_map(|p| if p.ops.is_empty() { Some(p.base) } else { p.jvm }).collect();
        for node in marked {
            if self.reaches(root, node) && !self.rdd.graph.node(node).parents.iter().any(|(p, _)| self.rdd.graph.node(*p).class == "ReliableCheckpointRDD") {
                let job = self.rdd_job(node, "checkpoint", site.clone(), None);
                self.push_step(Step::Rdd(job));
                self.rdd.graph.checkpoint_done(node, site.clone());
            }
        }
        let _ = span;
    }

    /// Cuts a job on `root` into stages (recording its effects on the graph), with its lineage and the
    /// caches it finds already computed.
    fn rdd_job(&mut self, root: usize, action: &str, site: String, tasks: Option<u32>) -> RddJob {
        let g = &self.rdd.graph;
        let cached_before: Vec<usize> = (0..g.nodes.len()).filter(|&i| g.node(i).storage.is_some() && g.is_materialized(i)).collect();
        let lineage = g.to_debug_string(root);
        let stages = self.rdd.graph.job_stages(root, tasks);
        RddJob { action: action.to_string(), site, root, stages, span: self.stmt, lineage, cached_before }
    }

    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut stack = vec![from];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(self.rdd.graph.node(n).parents.iter().map(|(p, _)| *p));
            }
        }
        false
    }

    fn opt_parts(&self, a: &Args, i: usize, kw: &str) -> Result<Option<u32>> {
        match a.get(i, kw) {
            None | Some((Value::None, _)) => Ok(None),
            Some((v, s)) => {
                let n = self.to_int(v, s, kw)?;
                if !(1..=1_000_000).contains(&n) {
                    return err(format!("{kw} must be positive"), s);
                }
                Ok(Some(n as u32))
            }
        }
    }

    // ------------------------------------------------------------ SparkContext

    pub(crate) fn sc_method(&mut self, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let span = a.span;
        match m {
            "parallelize" => {
                a.check(2, &["c", "numSlices"])?;
                let (v, s) = a.req(0, "c")?;
                let data = match v {
                    Value::List(x) | Value::Tuple(x) => x,
                    Value::Str(t) => t.chars().map(|c| Value::Str(c.to_string())).collect(),
                    other => return err(format!("parallelize() takes a list, got {}", other.kind()), s),
                };
                let n = self.opt_parts(&a, 1, "numSlices")?.unwrap_or(self.opts.default_parallelism);
                let node = self.rdd.graph.add("ParallelCollectionRDD", None, "readRDDFromFile at PythonRDD.scala:289".into(), n, vec![]);
                let bytes = data.iter().fold(0u64, |acc, v| acc.saturating_add(pickled_bytes(v, 0)));
                self.rdd.graph.node_mut(node).literal = Some((data.len() as u64, bytes));
                Ok(self.new_py(node, Origin::Parallelize(data)))
            }
            "range" => {
                a.check(4, &["start", "end", "step", "numSlices"])?;
                let n = self.opt_parts(&a, 3, "numSlices")?.unwrap_or(self.opts.default_parallelism);
                let node = self.rdd.graph.add("ParallelCollectionRDD", None, "readRDDFromFile at PythonRDD.scala:289".into(), n, vec![]);
                // sc.range(end) / (start, end[, step]): the count of a Python range, 5 pickled bytes each.
                let ints: Vec<i128> = a.pos.iter().take(3).filter_map(|(v, _)| if let Value::Int(i) = v { Some(*i) } else { None }).collect();
                let (start, end, step) = match ints.as_slice() {
                    [e] => (0, *e, 1),
                    [s, e] => (*s, *e, 1),
                    [s, e, st] => (*s, *e, *st),
                    _ => (0, 0, 1),
                };
                let count = if step > 0 && end > start { end.saturating_sub(start).saturating_add(step - 1) / step } else if step < 0 && start > end { start.saturating_sub(end).saturating_sub(step + 1) / step.saturating_neg() } else { 0 };
                let count = count.clamp(0, u64::MAX as i128 / 8) as u64;
                self.rdd.graph.node_mut(node).literal = Some((count, count.saturating_mul(5)));
                let v = self.new_py(node, Origin::Other);
                let Value::Rdd(r) = v else { return err("internal", span) };
                let site = self.site("range", name_span);
                Ok(Value::Rdd(self.pipe(r, "range".into(), site)))
            }
            "textFile" | "wholeTextFiles" => {
                a.check(3, &["name", "path", "minPartitions", "use_unicode"])?;
                let (v, s) = match a.get(0, if m == "textFile" { "name" } else { "path" }) {
                    Some(x) => x,
                    None => return err(format!("{m}() needs a path"), span),
                };
                let path = self.to_str(v, s, "the path")?;
                let min = self.opt_parts(&a, 1, "minPartitions")?.unwrap_or(self.opts.default_parallelism.min(2));
                let parts = self.text_partitions(&path, min);
                let site = format!("{m} at {NATIVE}");
                let (leaf, name) = if m == "textFile" { ("HadoopRDD", Some(path.clone())) } else { ("WholeTextFileRDD", Some(path.clone())) };
                let h = self.rdd.graph.add(leaf, name.clone(), site.clone(), parts, vec![]);
                let mp = self.rdd.graph.add("MapPartitionsRDD", name, site, parts, vec![(h, Dep::Narrow)]);
                Ok(self.new_py(mp, Origin::Other))
            }
            "emptyRDD" => {
                let node = self.rdd.graph.add("EmptyRDD", None, format!("emptyRDD at {NATIVE}"), 0, vec![]);
                Ok(self.new_py(node, Origin::Other))
            }
            "union" => {
                a.check(1, &["rdds"])?;
                let (v, s) = a.req(0, "rdds")?;
                let items = match v {
                    Value::List(x) | Value::Tuple(x) => x,
                    other => return err(format!("sc.union() takes a list of RDDs, got {}", other.kind()), s),
                };
                let mut cur: Option<usize> = None;
                for it in items {
                    let Value::Rdd(r) = it else { return err("sc.union() takes RDDs", s) };
                    cur = Some(match cur {
                        None => r,
                        Some(c) => self.union_py(c, r, span),
                    });
                }
                cur.map(Value::Rdd).ok_or_else(|| crate::error::Diagnostic::analysis("sc.union() of an empty list", s))
            }
            "setLogLevel" | "setCheckpointDir" | "setJobGroup" | "setJobDescription" | "setLocalProperty" | "stop" | "addFile" | "addPyFile" => Ok(Value::None),
            "broadcast" => Ok(Value::Opaque("a broadcast variable".into())),
            "accumulator" => Ok(Value::Opaque("an accumulator".into())),
            "getConf" => Ok(Value::Opaque("the SparkConf".into())),
            other => err(format!("SparkContext.{other}() is not supported by Stagecraft"), name_span),
        }
    }

    /// Hadoop's FileInputFormat splits for a path Stagecraft knows (a catalog table), else `min`.
    fn text_partitions(&self, path: &str, min: u32) -> u32 {
        let trimmed = path.trim_end_matches('/');
        let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let stem = last.split('.').next().unwrap_or(last);
        let Some(t) = self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(stem)) else { return min.max(1) };
        let total: u64 = t.files.iter().map(|f| f.bytes).sum();
        if t.files.is_empty() || total == 0 {
            return min.max(1);
        }
        let goal = total / min.max(1) as u64;
        let block: u64 = 32 * 1024 * 1024;
        let split = goal.min(block).max(1);
        let mut n = 0u64;
        for f in &t.files {
            let mut rem = f.bytes;
            while rem as f64 / split as f64 > 1.1 {
                n += 1;
                rem -= split;
            }
            if rem > 0 {
                n += 1;
            }
        }
        n.clamp(1, 1_000_000) as u32
    }

    // ------------------------------------------------------------ RDD methods

    pub(crate) fn rdd_method(&mut self, r: usize, m: &str, a: Args, name_span: Span) -> Result<Value> {
        let span = a.span;
        let site = self.site(m, name_span);
        let f_of = |a: &Args| -> Result<String> { Ok(describe_fn(&a.req(0, "f")?.0)) };
        match m {
            "map" | "flatMap" | "filter" | "mapPartitions" | "mapPartitionsWithIndex" | "mapValues" | "flatMapValues" | "keyBy" | "foreachPartitionLocal" => {
                a.check(2, &["f", "preservesPartitioning"])?;
                let f = f_of(&a)?;
                Ok(Value::Rdd(self.pipe(r, format!("{m}({f})"), site)))
            }
            "keys" | "values" | "glom" => {
                a.check(0, &[])?;
                Ok(Value::Rdd(self.pipe(r, format!("{m}()"), site)))
            }
            "sample" => {
                a.check(3, &["withReplacement", "fraction", "seed"])?;
                Ok(Value::Rdd(self.pipe(r, "sample".into(), site)))
            }
            "reduceByKey" | "foldByKey" | "aggregateByKey" | "combineByKey" | "groupByKey" => {
                a.check(5, &["func", "numPartitions", "partitionFunc", "zeroValue", "seqFunc", "combFunc", "createCombiner", "mergeValue", "mergeCombiners"])?;
                let idx = match m {
                    "reduceByKey" => 1,
                    "groupByKey" => 0,
                    "foldByKey" => 2,
                    _ => 3,
                };
                let n = self.opt_parts(&a, idx, "numPartitions")?;
                // groupByKey keeps every value (its combiners are lists); the others merge values per key.
                let what = if m == "groupByKey" { "groupByKey".to_string() } else { a.pos.first().map(|(v, _)| describe_fn(v)).unwrap_or_default() };
                Ok(Value::Rdd(self.combine_by_key(r, n, m, what, name_span)))
            }
            "partitionBy" => {
                a.check(2, &["numPartitions", "partitionFunc"])?;
                let n = self.opt_parts(&a, 0, "numPartitions")?.unwrap_or_else(|| self.default_reduce(r));
                Ok(Value::Rdd(self.partition_by(r, n, m, name_span)))
            }
            "distinct" => {
                a.check(1, &["numPartitions"])?;
                let n = self.opt_parts(&a, 0, "numPartitions")?;
                let keyed = self.pipe(r, "map(lambda x: (x, None))".into(), site.clone());
                let reduced = self.combine_by_key(keyed, n, m, "lambda x, _: x".into(), name_span);
                Ok(Value::Rdd(self.pipe(reduced, "map(lambda x: x[0])".into(), site)))
            }
            "join" | "leftOuterJoin" | "rightOuterJoin" | "fullOuterJoin" | "cogroup" | "groupWith" | "subtractByKey" | "subtract" | "intersection" => {
                a.check(2, &["other", "numPartitions"])?;
                let (ov, os) = a.req(0, "other")?;
                let Value::Rdd(o) = ov else { return err(format!("{m}() takes another RDD, got {}", ov.kind()), os) };
                let n = self.opt_parts(&a, 1, "numPartitions")?;
                let vs = self.pipe(r, "mapValues(lambda v: (1, v))".into(), site.clone());
                let ws = self.pipe(o, "mapValues(lambda v: (2, v))".into(), site.clone());
                let u = self.union_py(vs, ws, name_span);
                let grouped = self.combine_by_key(u, n, m, "groupByKey".into(), name_span);
                Ok(Value::Rdd(self.pipe(grouped, format!("flatMapValues({m})"), site)))
            }
            "sortByKey" | "sortBy" => {
                a.check(3, &["ascending", "numPartitions", "keyfunc"])?;
                let (ni, src) = if m == "sortBy" {
                    let f = f_of(&a)?;
                    (2, self.pipe(r, format!("keyBy({f})"), site.clone()))
                } else {
                    (1, r)
                };
                let n = self.opt_parts(&a, ni, "numPartitions")?.unwrap_or_else(|| self.default_reduce(src));
                let sorted = if n == 1 {
                    let one = if self.partitions(src) > 1 { self.coalesce_py(src, 1, false) } else { src };
                    self.pipe(one, "sortPartition".into(), site.clone())
                } else {
                    // PySpark samples the key range eagerly: a count job, then a sample-collect job.
                    self.run_job(src, &["count", "sum", "fold"], m, None, name_span)?;
                    self.run_job(src, &["sample", "map(lambda kv: kv[0])"], m, None, name_span)?;
                    let parted = self.partition_by(src, n, m, name_span);
                    self.pipe(parted, "sortPartition".into(), site.clone())
                };
                Ok(Value::Rdd(if m == "sortBy" { self.pipe(sorted, "values()".into(), site) } else { sorted }))
            }
            "union" => {
                a.check(1, &["other"])?;
                let (ov, os) = a.req(0, "other")?;
                let Value::Rdd(o) = ov else { return err(format!("union() takes another RDD, got {}", ov.kind()), os) };
                Ok(Value::Rdd(self.union_py(r, o, name_span)))
            }
            "repartition" | "coalesce" => {
                a.check(2, &["numPartitions", "shuffle"])?;
                let n = self.opt_parts(&a, 0, "numPartitions")?.ok_or_else(|| crate::error::Diagnostic::analysis(format!("{m}() needs numPartitions"), span))?;
                let shuffle = m == "repartition" || matches!(a.get(1, "shuffle"), Some((Value::Bool(true), _)));
                Ok(Value::Rdd(self.coalesce_py(r, n, shuffle)))
            }
            "cache" | "persist" => {
                a.check(1, &["storageLevel"])?;
                let level = match a.get(0, "storageLevel") {
                    None => RddStorage::PY_MEMORY_ONLY,
                    Some((Value::Level(_, name), s)) => storage_of(&name, s)?,
                    Some((other, s)) => return err(format!("persist() takes a StorageLevel, got {}", other.kind()), s),
                };
                let j = self.jvm_of(r, None);
                self.rdd.graph.persist(j, level);
                self.rdd.py[r].cached = true;
                Ok(Value::Rdd(r))
            }
            "unpersist" => {
                let j = self.jvm_of(r, None);
                self.rdd.graph.unpersist(j);
                self.rdd.py[r].cached = false;
                Ok(Value::Rdd(r))
            }
            "checkpoint" | "localCheckpoint" => {
                a.check(0, &[])?;
                self.jvm_of(r, None);
                self.rdd.py[r].checkpointed = true;
                Ok(Value::None)
            }
            "getNumPartitions" => {
                let j = self.jvm_of(r, None);
                Ok(Value::Int(self.rdd.graph.node(j).partitions as i128))
            }
            "id" => {
                let j = self.jvm_of(r, None);
                Ok(Value::Int(self.rdd.graph.node(j).id as i128))
            }
            "setName" => {
                let (v, s) = a.req(0, "name")?;
                let n = self.to_str(v, s, "the RDD name")?;
                let j = self.jvm_of(r, None);
                self.rdd.graph.node_mut(j).name = Some(n);
                Ok(Value::Rdd(r))
            }
            "toDebugString" => {
                let j = self.jvm_of(r, None);
                Ok(Value::Str(self.rdd.graph.to_debug_string(j)))
            }
            "toDF" => {
                a.check(2, &["schema", "sampleRatio"])?;
                let schema = a.get(0, "schema");
                self.rdd_to_df(r, schema, span)
            }
            "collect" | "collectAsMap" | "toLocalIterator" => {
                a.check(1, &["prefetchPartitions"])?;
                self.run_job(r, &[], m, None, name_span)?;
                Ok(Value::Opaque(format!("the result of {m}()")))
            }
            "count" | "sum" | "mean" | "stats" | "max" | "min" | "reduce" | "fold" | "aggregate" | "countByKey" | "countByValue" | "top" | "takeOrdered" | "foreach" | "treeReduce" => {
                let ops: &[&str] = match m {
                    "count" | "foreach" => &["count", "sum", "fold"],
                    _ => &["mapPartitions", "reduce"],
                };
                self.run_job(r, ops, m, None, name_span)?;
                Ok(if m == "foreach" { Value::None } else { Value::Opaque(format!("the result of {m}()")) })
            }
            "take" | "first" | "isEmpty" => {
                self.run_job(r, &[], m, Some(1), name_span)?;
                Ok(Value::Opaque(format!("the result of {m}()")))
            }
            "saveAsTextFile" => {
                a.check(2, &["path", "compressionCodecClass"])?;
                a.req(0, "path")?;
                let keyed = self.pipe(r, "mapPartitions(toString)".into(), site.clone());
                let py = self.jvm_of(keyed, None);
                let parts = self.rdd.graph.node(py).partitions;
                let s1 = format!("saveAsTextFile at {NATIVE}");
                let m1 = self.rdd.graph.add("MapPartitionsRDD", None, s1.clone(), parts, vec![(py, Dep::Narrow)]);
                let m2 = self.rdd.graph.add("MapPartitionsRDD", None, s1, parts, vec![(m1, Dep::Narrow)]);
                self.job_on(m2, m, "runJob at SparkHadoopWriter.scala:83".into(), None, name_span);
                Ok(Value::None)
            }
            "zipWithIndex" | "zipWithUniqueId" | "cartesian" | "zip" | "pipe" | "randomSplit" | "takeSample" | "saveAsPickleFile" | "saveAsSequenceFile" | "sampleByKey" | "lookup" | "barrier" | "withResources" | "toDF_pandas" => {
                err(format!("rdd.{m}() is not supported by Stagecraft yet"), name_span)
            }
            other => err(format!("'RDD' object has no attribute '{other}'"), name_span),
        }
    }

    // ------------------------------------------------------------ bridges

    /// `df.rdd`: the DataFrame's plan as a `SQLExecutionRDD` (converted to Python rows).
    pub(crate) fn df_to_rdd(&mut self, df: Df, _span: Span) -> Result<Value> {
        let plan = self.use_cached(df.plan);
        let parts = self.host.plan_partitions(&plan).unwrap_or(self.opts.default_parallelism).max(1);
        let site = format!("javaToPython at {NATIVE}");
        let leaf = self.rdd.graph.add("SQLExecutionRDD", None, site.clone(), parts, vec![]);
        self.rdd.graph.node_mut(leaf).plan = Some(plan.clone());
        let m1 = self.rdd.graph.add("MapPartitionsRDD", None, site.clone(), parts, vec![(leaf, Dep::Narrow)]);
        let m2 = self.rdd.graph.add("MapPartitionsRDD", None, site, parts, vec![(m1, Dep::Narrow)]);
        Ok(self.new_py(m2, Origin::Df(plan)))
    }

    /// `rdd.toDF(schema)` / `spark.createDataFrame(rdd, schema)`.
    pub(crate) fn rdd_to_df(&mut self, r: usize, schema: Option<(Value, Span)>, span: Span) -> Result<Value> {
        let p = self.rdd.py[r].clone();
        let no_ops = p.ops.is_empty();
        let typed: Option<Vec<(String, DataType)>> = match &schema {
            Some((Value::Str(s), _)) => {
                let fields = super::dataframe::parse_ddl(s);
                match fields {
                    Some(f) => Some(f),
                    None => return err(format!("[PARSE_SYNTAX_ERROR] cannot parse the schema \"{s}\""), schema.as_ref().map(|x| x.1).unwrap_or(span)),
                }
            }
            Some((Value::DType(DataType::Struct(f)), _)) => Some(f.clone()),
            _ => None,
        };
        let child_of_data = |me: &mut Self, data: &[Value]| -> Result<LogicalPlan> {
            match me.create_data_frame(Value::List(data.to_vec()), span, None, span)? {
                Value::Df(d) => Ok(d.plan),
                _ => err("internal: createDataFrame", span),
            }
        };
        let (child, fields) = match (&p.origin, no_ops) {
            (Origin::Parallelize(data), true) => {
                return self.create_data_frame(Value::List(data.clone()), span, schema, span);
            }
            (Origin::Df(plan), _) => {
                let fields = match typed {
                    Some(f) => f,
                    None if no_ops => plan.output().into_iter().map(|a| (a.name, a.dtype)).collect(),
                    None => return err(untyped_message(), span),
                };
                (plan.clone(), fields)
            }
            (Origin::Parallelize(data), false) => {
                let Some(fields) = typed else { return err(untyped_message(), span) };
                (child_of_data(self, data)?, fields)
            }
            (Origin::Other, _) => return err(untyped_message(), span),
        };
        let ids = self.host.ids();
        let output: Vec<Attribute> = fields.into_iter().map(|(n, t)| Attribute { name: n, id: ids.next(), dtype: t, nullable: true, qualifier: vec![] }).collect();
        let func = if p.ops.is_empty() { "PythonRDD".to_string() } else { format!("PythonRDD[{}]", p.ops.join(" | ")) };
        Ok(Value::Df(Df { plan: LogicalPlan::MapPartitions { func, output, child: Box::new(child) } }))
    }
}

/// About how many bytes `v` takes pickled (what `parallelize` ships to the JVM): a small int 5, a string
/// its length plus 5, a float 9, a container 2 plus its items. An estimate for the cost model, not pickle.
fn pickled_bytes(v: &Value, depth: usize) -> u64 {
    match v {
        Value::None | Value::Bool(_) => 1,
        Value::Int(i) => if i.unsigned_abs() < 1 << 31 { 5 } else { 9 },
        Value::Float(_) => 9,
        Value::Str(s) => s.len() as u64 + 5,
        Value::List(x) | Value::Tuple(x) if depth < 32 => x.iter().fold(2u64, |acc, v| acc.saturating_add(pickled_bytes(v, depth + 1))),
        Value::Dict(x) if depth < 32 => x.iter().fold(2u64, |acc, (k, v)| acc.saturating_add(pickled_bytes(k, depth + 1)).saturating_add(pickled_bytes(v, depth + 1))),
        _ => 16,
    }
}

fn untyped_message() -> String {
    "toDF()/createDataFrame() on an RDD of Python functions needs a schema with types (\"word string, n bigint\"): Spark would run a job to infer it; RDDs from sc.textFile or a shuffle cannot become DataFrames in Stagecraft".into()
}
