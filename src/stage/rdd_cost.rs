//! The cost model of RDD jobs: how many records and bytes each RDD of a PySpark lineage holds, and from
//! that each stage's per-task work (input, shuffle write and read, cached blocks, results, CPU). Opaque
//! Python functions are estimated by kind, not run; every number below is an assumption stated here:
//!
//! - sources: `sc.textFile` / `wholeTextFiles` of a path whose file name is a catalog table read that
//!   table's file bytes (records: its rows, else one per `TEXT_LINE_BYTES`), any other path
//!   `DEFAULT_TEXT_BYTES`; `sc.parallelize` its literal data (records and pickled bytes); `df.rdd` the
//!   rows and bytes the caller's data model gives the plan (`known`); a checkpoint what was written.
//! - Python functions: `flatMap` fans each record out `FLATMAP_FANOUT`× (same bytes: a line split into
//!   words), `filter` keeps half, `sample` a tenth, actions' partial aggregation (`count`, `reduce`,
//!   ...) one record per partition; other functions keep records and bytes.
//! - `*ByKey` map-side combine: reduceByKey, foldByKey, aggregateByKey, combineByKey and distinct merge
//!   values per key, and with no key statistics a key is assumed to repeat `COMBINE_REPEATS`× within a
//!   map partition, so the map side writes 1/`COMBINE_REPEATS` of its records and bytes; groupByKey's
//!   combiners are lists holding every value, so it writes all the bytes (fewer records only). Hence a
//!   groupByKey shuffles about `COMBINE_REPEATS`× the bytes of the equivalent reduceByKey. The reduce
//!   side merges the keys of all map partitions (each key assumed in every map output).
//! - shuffle bytes are the pickled bytes compressed by `estimate::SHUFFLE_COMPRESSION`; data spreads
//!   evenly over partitions (no key skew is modelled).
//! - CPU: `PY_NS_PER_RECORD` per Python function per record, `PY_NS_PER_BYTE` to pickle across the
//!   JVM↔Python boundary (in and out of every `PythonRDD`), `PY_TASK_SETUP_NS` per Python stage task,
//!   `JVM_NS_PER_RECORD` per JVM RDD per record, `TEXT_NS_PER_BYTE` to read text.
//!
//! Knows the lineage and the catalog; knows nothing of Python syntax, SQL plans or time.

use super::estimate::SHUFFLE_COMPRESSION;
use super::rdd::{RddJobPlan, RddStagePlan};
use crate::input::pyspark::lower::RddJob;
use crate::input::pyspark::rdd::{Dep, RddGraph, RddStage};
use crate::scenario::Table;
use crate::sim::{CacheUse, TaskWork};
use std::collections::{BTreeMap, BTreeSet};

pub const DEFAULT_TEXT_BYTES: f64 = 64.0 * 1024.0 * 1024.0;
pub const TEXT_LINE_BYTES: f64 = 100.0;
pub const FLATMAP_FANOUT: f64 = 8.0;
pub const COMBINE_REPEATS: f64 = 10.0;
pub const PY_NS_PER_RECORD: f64 = 1_500.0;
pub const PY_NS_PER_BYTE: f64 = 15.0;
pub const PY_TASK_SETUP_NS: f64 = 2_000_000.0;
pub const JVM_NS_PER_RECORD: f64 = 50.0;
pub const TEXT_NS_PER_BYTE: f64 = 5.0;
/// Largest per-task quantity the model hands the simulator (records, bytes, ns): chains of fan-outs
/// grow geometrically, and the simulator's arithmetic must not overflow.
pub const MAX_PER_TASK: f64 = 1e15;

/// An RDD's size over all its partitions.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Est {
    pub records: f64,
    pub bytes: f64,
}

impl Est {
    fn scale(self, records: f64, bytes: f64) -> Est {
        Est { records: self.records * records, bytes: self.bytes * bytes }
    }
    fn plus(self, o: Est) -> Est {
        Est { records: self.records + o.records, bytes: self.bytes + o.bytes }
    }
}

/// Sizes of RDDs in one lineage, memoized; `known` sizes (`df.rdd` plans, checkpoints) come first.
pub struct Sizer<'a> {
    g: &'a RddGraph,
    tables: &'a [Table],
    known: &'a BTreeMap<usize, Est>,
    memo: BTreeMap<usize, Est>,
}

impl<'a> Sizer<'a> {
    pub fn new(g: &'a RddGraph, tables: &'a [Table], known: &'a BTreeMap<usize, Est>) -> Sizer<'a> {
        Sizer { g, tables, known, memo: BTreeMap::new() }
    }

    /// The records and bytes node `i` produces over all its partitions.
    pub fn size(&mut self, i: usize) -> Est {
        self.size_at(i, 0)
    }

    fn size_at(&mut self, i: usize, depth: usize) -> Est {
        if let Some(e) = self.known.get(&i).or_else(|| self.memo.get(&i)) {
            return *e;
        }
        if i >= self.g.nodes.len() || depth > 500 {
            return Est::default();
        }
        let n = self.g.node(i);
        let parents: Vec<usize> = n.parents.iter().map(|(p, _)| *p).collect();
        let mut from_parents = Est::default();
        for p in &parents {
            from_parents = from_parents.plus(self.size_at(*p, depth + 1));
        }
        let e = match n.class.as_str() {
            "HadoopRDD" | "WholeTextFileRDD" => {
                let (bytes, rows, files) = self.text_source(n.name.as_deref().unwrap_or(""));
                let records = if n.class == "WholeTextFileRDD" { files } else { rows.unwrap_or(bytes / TEXT_LINE_BYTES) };
                Est { records: records.max(1.0), bytes }
            }
            "ParallelCollectionRDD" => n.literal.map(|(r, b)| Est { records: r as f64, bytes: b as f64 }).unwrap_or_default(),
            "ReliableCheckpointRDD" => {
                // What the checkpointed RDD (the one whose lineage now starts here) held.
                let of = self.g.nodes.iter().position(|m| m.parents.iter().any(|(p, _)| *p == i));
                of.and_then(|k| self.known.get(&k).copied()).unwrap_or_default()
            }
            "PythonRDD" => {
                let mut e = from_parents;
                let maps = self.map_partitions_below(i);
                for op in &n.python_ops {
                    e = apply_op(e, op, maps, n.partitions);
                }
                e
            }
            _ => from_parents,
        };
        self.memo.insert(i, e);
        e
    }

    /// (bytes, rows when the catalog knows them, files) of a text path: a catalog table named like the
    /// path's file name, else `DEFAULT_TEXT_BYTES`.
    fn text_source(&self, path: &str) -> (f64, Option<f64>, f64) {
        let trimmed = path.trim_end_matches('/');
        let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let stem = last.split('.').next().unwrap_or(last);
        match self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(stem)) {
            Some(t) => {
                let files: u64 = t.files.iter().map(|f| f.bytes).sum();
                let bytes = if files > 0 { files } else { t.size_in_bytes };
                let bytes = if bytes > 0 { bytes as f64 } else { DEFAULT_TEXT_BYTES };
                (bytes, (t.rows > 0).then_some(t.rows as f64), (t.files.len() as f64).max(1.0))
            }
            None => (DEFAULT_TEXT_BYTES, None, 1.0),
        }
    }

    /// The map partitions of the nearest shuffle below node `i` through narrow dependencies (1 if none).
    fn map_partitions_below(&self, i: usize) -> u32 {
        let mut cur = i;
        for _ in 0..64 {
            let n = self.g.node(cur);
            if let Some((p, _)) = n.parents.iter().find(|(_, d)| *d == Dep::Shuffle) {
                return self.g.node(*p).partitions.max(1);
            }
            match n.parents.first() {
                Some((p, Dep::Narrow)) => cur = *p,
                _ => break,
            }
        }
        1
    }
}

/// The effect of one pipelined Python function on the records and bytes it sees (module doc).
fn apply_op(e: Est, op: &str, maps: u32, partitions: u32) -> Est {
    let name = op.split('(').next().unwrap_or(op);
    let arg = op.get(name.len() + 1..op.len().saturating_sub(1)).unwrap_or("");
    let per_partition = |e: Est| Est { records: (partitions as f64).min(e.records), bytes: 9.0 * (partitions as f64).min(e.records) };
    match name {
        "flatMap" | "flatMapValues" => e.scale(FLATMAP_FANOUT, 1.0),
        "filter" => e.scale(0.5, 0.5),
        "sample" => e.scale(0.1, 0.1),
        "count" | "sum" | "fold" | "reduce" => per_partition(e),
        "combineLocally" if arg == "groupByKey" => e.scale(1.0 / COMBINE_REPEATS, 1.0),
        "combineLocally" => e.scale(1.0 / COMBINE_REPEATS, 1.0 / COMBINE_REPEATS),
        "mergeCombiners" if arg == "groupByKey" => e.scale(1.0 / maps as f64, 1.0),
        "mergeCombiners" => e.scale(1.0 / maps as f64, 1.0 / maps as f64),
        _ => e,
    }
}

/// The stage's RDDs through narrow dependencies from its last RDD, sources first; stops at caches the
/// job finds computed (returned separately) and at shuffle boundaries (the `ShuffledRDD`s it reads).
struct StageRdds {
    nodes: Vec<usize>,
    cached: Vec<usize>,
    shuffles_read: Vec<usize>,
}

fn stage_rdds(g: &RddGraph, last: usize, cached_before: &BTreeSet<usize>) -> StageRdds {
    let mut out = StageRdds { nodes: vec![], cached: vec![], shuffles_read: vec![] };
    let mut seen = BTreeSet::new();
    let mut stack = vec![last];
    while let Some(i) = stack.pop() {
        if i >= g.nodes.len() || !seen.insert(i) || seen.len() > 100_000 {
            continue;
        }
        if cached_before.contains(&i) {
            out.cached.push(i);
            continue;
        }
        out.nodes.push(i);
        for (p, d) in &g.node(i).parents {
            match d {
                Dep::Narrow => stack.push(*p),
                Dep::Shuffle => out.shuffles_read.push(i),
            }
        }
    }
    crate::sort::sort(&mut out.nodes);
    out
}

/// The SQL plans (`SQLExecutionRDD` nodes) the stage computes: they run under the job.
pub fn sql_leaves(g: &RddGraph, st: &RddStage, cached_before: &[usize]) -> Vec<usize> {
    let cached: BTreeSet<usize> = crate::sort::set_of(cached_before.iter().copied());
    stage_rdds(g, st.rdd, &cached).nodes.into_iter().filter(|&i| g.node(i).plan.is_some()).collect()
}

/// The CPU nanoseconds (all partitions) node `i` costs given its input size.
fn node_cpu(sizer: &mut Sizer, g: &RddGraph, i: usize) -> f64 {
    let n = g.node(i);
    let input: Est = n.parents.iter().fold(Est::default(), |acc, (p, _)| acc.plus(sizer.size(*p)));
    match n.class.as_str() {
        "PythonRDD" => {
            let out = sizer.size(i);
            let mut records = input.records;
            let mut ns = PY_NS_PER_BYTE * (input.bytes + out.bytes);
            let maps = sizer.map_partitions_below(i);
            let mut e = input;
            for op in &n.python_ops {
                ns += PY_NS_PER_RECORD * records;
                e = apply_op(e, op, maps, n.partitions);
                records = e.records;
            }
            ns
        }
        "HadoopRDD" | "WholeTextFileRDD" => {
            let own = sizer.size(i);
            own.bytes * TEXT_NS_PER_BYTE + own.records * JVM_NS_PER_RECORD
        }
        _ => sizer.size(i).records * JVM_NS_PER_RECORD,
    }
}

/// The planned job: stages named as Spark names them, with their RDDs and per-task work.
/// `after_executions` and `sql` are the caller's to fill.
pub fn plan_job(g: &RddGraph, job: &RddJob, tables: &[Table], known: &BTreeMap<usize, Est>) -> RddJobPlan {
    if g.nodes.is_empty() {
        return RddJobPlan { action: job.action.clone(), site: job.site.clone(), lineage: job.lineage.clone(), ..RddJobPlan::default() };
    }
    let mut sizer = Sizer::new(g, tables, known);
    let cached: BTreeSet<usize> = crate::sort::set_of(job.cached_before.iter().copied());
    let stages = job.stages.iter().map(|st| plan_stage(&mut sizer, g, job, st, &cached)).collect();
    RddJobPlan { after_executions: 0, action: job.action.clone(), site: job.site.clone(), lineage: job.lineage.clone(), stages, sql: vec![] }
}

fn plan_stage(sizer: &mut Sizer, g: &RddGraph, job: &RddJob, st: &RddStage, cached: &BTreeSet<usize>) -> RddStagePlan {
    let last = st.rdd.min(g.nodes.len().saturating_sub(1));
    let rdds = stage_rdds(g, last, cached);
    let parts = g.node(last).partitions.max(1) as f64;
    let per = |x: f64| (x / parts).clamp(0.0, MAX_PER_TASK).round() as u64;
    let mut work = TaskWork::default();
    let mut cpu = 0.0;
    let mut python = false;
    for &i in &rdds.nodes {
        let n = g.node(i);
        python |= n.class == "PythonRDD";
        cpu += node_cpu(sizer, g, i);
        match n.class.as_str() {
            "HadoopRDD" | "WholeTextFileRDD" | "ReliableCheckpointRDD" => {
                let e = sizer.size(i);
                work.input_bytes = work.input_bytes.saturating_add(per(e.bytes));
                work.input_records = work.input_records.saturating_add(per(e.records));
            }
            "ParallelCollectionRDD" => work.input_records = work.input_records.saturating_add(per(sizer.size(i).records)),
            _ => {}
        }
    }
    for &sh in &rdds.shuffles_read {
        let e = sizer.size(sh);
        work.shuffle_read_bytes = work.shuffle_read_bytes.saturating_add(per(e.bytes * SHUFFLE_COMPRESSION));
        work.shuffle_read_records = work.shuffle_read_records.saturating_add(per(e.records));
    }
    // A cache the job finds computed is read; the work below it is what a lost block costs again.
    if let Some(&c) = rdds.cached.first() {
        let e = sizer.size(c);
        let below = stage_rdds(g, c, &BTreeSet::new());
        let miss: f64 = below.nodes.iter().map(|&i| node_cpu(sizer, g, i)).sum();
        let miss_input: Est = below.nodes.iter().filter(|&&i| matches!(g.node(i).class.as_str(), "HadoopRDD" | "WholeTextFileRDD")).fold(Est::default(), |a, &i| a.plus(sizer.size(i)));
        work.cache = Some(CacheUse {
            rdd_id: g.node(c).id,
            block_bytes: per(e.bytes),
            miss_compute_ns: per(miss),
            miss_input_bytes: per(miss_input.bytes),
            miss_input_records: per(miss_input.records),
        });
    } else if let Some(&c) = rdds.nodes.iter().find(|&&i| g.node(i).storage.is_some()) {
        // This job computes a persisted RDD: its tasks store the blocks.
        work.cache = Some(CacheUse { rdd_id: g.node(c).id, block_bytes: per(sizer.size(c).bytes), ..CacheUse::default() });
    }
    let out = sizer.size(last);
    let name = match st.shuffle_of {
        Some(_) => {
            work.shuffle_write_bytes = per(out.bytes * SHUFFLE_COMPRESSION);
            work.shuffle_write_records = per(out.records);
            g.node(last).site.clone()
        }
        None => {
            match job.action.as_str() {
                "collect" | "collectAsMap" | "toLocalIterator" | "take" | "first" | "top" | "takeOrdered" => work.result_bytes = per(out.bytes),
                "saveAsTextFile" => {
                    work.output_bytes = per(out.bytes);
                    work.output_records = per(out.records);
                }
                _ => {}
            }
            job.site.clone()
        }
    };
    if python {
        cpu += PY_TASK_SETUP_NS * parts;
    }
    work.compute_ns = Some(per(cpu));
    let mut classes: Vec<String> = rdds.nodes.iter().map(|&i| format!("{}[{}]", g.node(i).class, g.node(i).id)).collect();
    classes.extend(rdds.cached.iter().map(|&i| format!("{}[{}] (cached)", g.node(i).class, g.node(i).id)));
    let mut scopes: Vec<String> = vec![];
    for &i in rdds.nodes.iter().chain(&rdds.cached) {
        let op = g.node(i).site.split(" at ").next().unwrap_or("").to_string();
        if !op.is_empty() && !scopes.contains(&op) {
            scopes.push(op);
        }
    }
    RddStagePlan {
        scopes,
        local_id: st.stage_id,
        parents: st.parent_ids.clone(),
        num_tasks: st.num_tasks,
        skipped: st.skipped,
        writes: st.shuffle_of,
        name,
        rdds: classes,
        work: vec![work],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// textFile → flatMap/map → combine → shuffle → merge, as the lowering builds word count.
    fn word_count(what: &str) -> (RddGraph, usize, usize) {
        let mut g = RddGraph::default();
        let site = "textFile at NativeMethodAccessorImpl.java:0".to_string();
        let h = g.add("HadoopRDD", Some("/data/words.txt".into()), site.clone(), 2, vec![]);
        let m = g.add("MapPartitionsRDD", Some("/data/words.txt".into()), site, 2, vec![(h, Dep::Narrow)]);
        let py = g.add("PythonRDD", None, "reduceByKey at <stdin>:3".into(), 2, vec![(m, Dep::Narrow)]);
        g.node_mut(py).python_ops = vec!["flatMap(f)".into(), "map(g)".into(), format!("combineLocally({what})"), "add_shuffle_key".into()];
        let pw = g.add("PairwiseRDD", None, "reduceByKey at <stdin>:3".into(), 2, vec![(py, Dep::Narrow)]);
        let sh = g.add("ShuffledRDD", None, "partitionBy at NativeMethodAccessorImpl.java:0".into(), 2, vec![(pw, Dep::Shuffle)]);
        let mp = g.add("MapPartitionsRDD", None, "mapPartitions at PythonRDD.scala:160".into(), 2, vec![(sh, Dep::Narrow)]);
        let top = g.add("PythonRDD", None, "RDD at PythonRDD.scala:53".into(), 2, vec![(mp, Dep::Narrow)]);
        g.node_mut(top).python_ops = vec![format!("mergeCombiners({what})")];
        (g, pw, top)
    }

    #[test]
    fn sizes_follow_the_stated_assumptions() {
        let known = BTreeMap::new();
        let (g, pw, top) = word_count("lambda a, b: a + b");
        let mut s = Sizer::new(&g, &[], &known);
        let lines = DEFAULT_TEXT_BYTES / TEXT_LINE_BYTES;
        let map_out = s.size(pw);
        assert!((map_out.records - lines * FLATMAP_FANOUT / COMBINE_REPEATS).abs() < 1.0);
        assert!((map_out.bytes - DEFAULT_TEXT_BYTES / COMBINE_REPEATS).abs() < 1.0);
        // The reduce side merges the two map outputs' keys.
        assert!((s.size(top).records - map_out.records / 2.0).abs() < 1.0);
        let (g, pw, _) = word_count("groupByKey");
        let grouped = Sizer::new(&g, &[], &known).size(pw);
        assert_eq!(grouped.records, map_out.records);
        assert!((grouped.bytes - DEFAULT_TEXT_BYTES).abs() < 1.0);
    }

    #[test]
    fn literal_data_and_per_partition_actions() {
        let mut g = RddGraph::default();
        let p = g.add("ParallelCollectionRDD", None, "readRDDFromFile at PythonRDD.scala:289".into(), 4, vec![]);
        g.node_mut(p).literal = Some((1000, 5000));
        let c = g.add("PythonRDD", None, "count at <stdin>:2".into(), 4, vec![(p, Dep::Narrow)]);
        g.node_mut(c).python_ops = vec!["filter(f)".into(), "count".into()];
        let known = BTreeMap::new();
        let mut s = Sizer::new(&g, &[], &known);
        assert_eq!(s.size(p), Est { records: 1000.0, bytes: 5000.0 });
        assert_eq!(s.size(c), Est { records: 4.0, bytes: 36.0 });
    }
}
