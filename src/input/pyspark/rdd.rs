//! RDD lineage as PySpark builds it on the JVM: nodes named like Spark's classes (`ParallelCollectionRDD`,
//! `HadoopRDD`, `PythonRDD` for pipelined Python functions, `PairwiseRDD`, `ShuffledRDD`, `UnionRDD`,
//! `CoalescedRDD`, `MapPartitionsRDD`, `ReliableCheckpointRDD`, `SQLExecutionRDD` for `df.rdd`) with narrow or
//! shuffle dependencies; `to_debug_string` prints `RDD.toDebugString` exactly in Spark's layout, and
//! `job_stages` cuts a job into stages at shuffle dependencies as the DAGScheduler does (new stage ids per
//! job, skipping map stages whose output exists, stopping at materialized caches). Knows nothing of Python syntax or of SQL plans
//! beyond holding the plan behind `df.rdd`.

use crate::logical::plan::LogicalPlan;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dep {
    /// One-to-one or range (union) dependency: same stage.
    Narrow,
    /// A `ShuffleDependency`: the parent is the last RDD of a shuffle map stage.
    Shuffle,
}

/// An RDD's storage level as `StorageLevel.description` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RddStorage {
    pub disk: bool,
    pub memory: bool,
    pub off_heap: bool,
    pub deserialized: bool,
    pub replication: u8,
}

impl RddStorage {
    /// PySpark's `RDD.cache()` level: MEMORY_ONLY, serialized on the Python side.
    pub const PY_MEMORY_ONLY: RddStorage = RddStorage { disk: false, memory: true, off_heap: false, deserialized: false, replication: 1 };

    /// `StorageLevel.description`: `Memory Serialized 1x Replicated`, `Disk Memory Deserialized 1x Replicated`.
    pub fn description(&self) -> String {
        let mut s = String::new();
        if self.disk {
            s.push_str("Disk ");
        }
        if self.memory {
            s.push_str(if self.off_heap { "Memory (off heap) " } else { "Memory " });
        }
        s.push_str(if self.deserialized { "Deserialized " } else { "Serialized " });
        s.push_str(&format!("{}x Replicated", self.replication));
        s
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RddNode {
    /// Spark's RDD id (`[3]` in the debug string).
    pub id: u32,
    /// The class name: `PythonRDD`, `ShuffledRDD`, ...
    pub class: String,
    /// `RDD.name` (`sc.textFile` names its RDDs after the path), printed before the class.
    pub name: Option<String>,
    /// The creation site: `textFile at NativeMethodAccessorImpl.java:0`, `reduceByKey at <stdin>:3`.
    pub site: String,
    pub partitions: u32,
    pub parents: Vec<(usize, Dep)>,
    pub storage: Option<RddStorage>,
    /// Python functions pipelined into a `PythonRDD` (`map(lambda w: (w, 1))`), for display.
    pub python_ops: Vec<String>,
    /// The DataFrame plan behind a `SQLExecutionRDD` (`df.rdd`).
    pub plan: Option<LogicalPlan>,
    /// What a `ParallelCollectionRDD` holds when the snippet spelled it out: (records, pickled bytes).
    pub literal: Option<(u64, u64)>,
}

/// One stage of an RDD job.
#[derive(Debug, Clone, PartialEq)]
pub struct RddStage {
    pub stage_id: u32,
    /// `None` for the result stage; else the `ShuffledRDD` node whose map side this stage computes.
    pub shuffle_of: Option<usize>,
    /// The stage's last RDD (node index).
    pub rdd: usize,
    pub num_tasks: u32,
    pub parent_ids: Vec<u32>,
    /// True when the stage's shuffle output already exists (an earlier job ran it) or a cache makes it
    /// unnecessary: Spark lists it as skipped.
    pub skipped: bool,
}

/// All RDDs a snippet created, plus the scheduler state that outlives a job (shuffle map stages and
/// their outputs, materialized caches).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RddGraph {
    pub nodes: Vec<RddNode>,
    next_id: u32,
    /// Shuffled node → the id of the shuffle map stage computing its input (within the current job).
    shuffle_stages: BTreeMap<usize, u32>,
    /// Shuffles whose map output exists.
    shuffles_done: BTreeSet<usize>,
    /// Persisted nodes whose partitions a job has computed.
    materialized: BTreeSet<usize>,
    next_stage: u32,
}

impl RddGraph {
    /// Adds a node; ids are handed out in creation order, as the SparkContext does.
    pub fn add(&mut self, class: &str, name: Option<String>, site: String, partitions: u32, parents: Vec<(usize, Dep)>) -> usize {
        let id = self.next_id;
        self.next_id += 1;
        self.nodes.push(RddNode { id, class: class.to_string(), name, site, partitions, parents, storage: None, python_ops: vec![], plan: None, literal: None });
        self.nodes.len() - 1
    }

    pub fn node(&self, i: usize) -> &RddNode {
        &self.nodes[i]
    }

    pub fn node_mut(&mut self, i: usize) -> &mut RddNode {
        &mut self.nodes[i]
    }

    /// `RDD.toString`: `[name ]Class[id] at site`.
    fn label(&self, i: usize) -> String {
        let n = &self.nodes[i];
        match &n.name {
            Some(name) => format!("{name} {}[{}] at {}", n.class, n.id, n.site),
            None => format!("{}[{}] at {}", n.class, n.id, n.site),
        }
    }

    /// `RDD.toDebugString` of node `root`. Every line shows the *root's* storage level, as Spark's does.
    pub fn to_debug_string(&self, root: usize) -> String {
        let persistence = self.nodes[root].storage.map(|s| s.description()).unwrap_or_default();
        let mut out: Vec<String> = vec![];
        let first = &self.nodes[root];
        let part = format!("({})", first.partitions);
        let left = (part.len() - 1) / 2;
        let next_prefix = format!("{}|{}", " ".repeat(left), " ".repeat(part.len() - left));
        out.push(format!("{part} {} [{persistence}]", self.label(root)));
        self.debug_children(root, &next_prefix, &persistence, &mut out, 0);
        out.join("\n")
    }

    fn debug_children(&self, i: usize, prefix: &str, persistence: &str, out: &mut Vec<String>, depth: usize) {
        if depth > 10_000 {
            return;
        }
        let deps = &self.nodes[i].parents;
        let n = deps.len();
        for (k, (p, dep)) in deps.iter().enumerate() {
            let last = k + 1 == n;
            self.debug_string(*p, prefix, *dep == Dep::Shuffle, last, persistence, out, depth + 1);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn debug_string(&self, i: usize, prefix: &str, shuffle: bool, last: bool, persistence: &str, out: &mut Vec<String>, depth: usize) {
        if shuffle {
            let part = format!("({})", self.nodes[i].partitions);
            let left = (part.len() - 1) / 2;
            let this_prefix = strip_bar_suffix(prefix);
            let next_prefix = format!("{this_prefix}{}{}|{}", if last { "  " } else { "| " }, " ".repeat(left), " ".repeat(part.len() - left));
            out.push(format!("{this_prefix}+-{part} {} [{persistence}]", self.label(i)));
            self.debug_children(i, &next_prefix, persistence, out, depth);
        } else {
            out.push(format!("{prefix}{} [{persistence}]", self.label(i)));
            self.debug_children(i, prefix, persistence, out, depth);
        }
    }

    /// Marks node `i` persisted.
    pub fn persist(&mut self, i: usize, level: RddStorage) {
        self.nodes[i].storage = Some(level);
    }

    pub fn unpersist(&mut self, i: usize) {
        self.nodes[i].storage = None;
        self.materialized.remove(&i);
    }

    /// Replaces a checkpointed node's lineage by a `ReliableCheckpointRDD` (after the job that wrote it).
    pub fn checkpoint_done(&mut self, i: usize, site: String) {
        let parts = self.nodes[i].partitions;
        let cp = self.add("ReliableCheckpointRDD", None, site, parts, vec![]);
        self.nodes[i].parents = vec![(cp, Dep::Narrow)];
    }

    /// The stages of a job whose final RDD is `root` reading `tasks` of its partitions (all of them
    /// when `None`): map stages first (ancestors before descendants, as the DAGScheduler creates them),
    /// the result stage last. Records the job's effects: shuffle outputs and caches now exist.
    pub fn job_stages(&mut self, root: usize, tasks: Option<u32>) -> Vec<RddStage> {
        // A snippet's jobs run one after the other, and when a job ends the DAGScheduler drops its stages
        // from `shuffleIdToMapStage` (`cleanupStateForJobAndIndependentStages`): the next job creates its
        // map stages anew, under new ids, skipped when their shuffle output exists.
        self.shuffle_stages.clear();
        let mut stages: Vec<RddStage> = vec![];
        let mut by_shuffle: BTreeMap<usize, usize> = BTreeMap::new();
        let parents = self.stage_parents(root, &mut stages, &mut by_shuffle, 0);
        let result_id = self.next_stage;
        self.next_stage += 1;
        let all = self.nodes[root].partitions;
        stages.push(RddStage {
            stage_id: result_id,
            shuffle_of: None,
            rdd: root,
            num_tasks: tasks.map(|t| t.min(all)).unwrap_or(all),
            parent_ids: parents,
            skipped: false,
        });
        // Which stages run: walk from the result stage through missing parents only.
        let mut runs: BTreeSet<u32> = BTreeSet::new();
        self.mark_running(root, &stages, &by_shuffle, &mut runs, 0);
        runs.insert(result_id);
        for s in stages.iter_mut() {
            s.skipped = !runs.contains(&s.stage_id);
        }
        for s in &stages {
            if !s.skipped {
                if let Some(sh) = s.shuffle_of {
                    self.shuffles_done.insert(sh);
                }
                self.mark_materialized(s.rdd, 0);
            }
        }
        stages
    }

    /// Shuffle dependencies reachable from `i` through narrow dependencies.
    fn shuffle_deps(&self, i: usize, out: &mut Vec<usize>, seen: &mut BTreeSet<usize>, depth: usize) {
        if depth > 10_000 || !seen.insert(i) {
            return;
        }
        for (p, dep) in &self.nodes[i].parents {
            match dep {
                Dep::Shuffle => {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
                Dep::Narrow => self.shuffle_deps(*p, out, seen, depth + 1),
            }
        }
    }

    /// Creates (or reuses) the shuffle map stages feeding the stage that ends at `i`; returns their ids.
    fn stage_parents(&mut self, i: usize, stages: &mut Vec<RddStage>, by_shuffle: &mut BTreeMap<usize, usize>, depth: usize) -> Vec<u32> {
        let mut shuffled = vec![];
        self.shuffle_deps(i, &mut shuffled, &mut BTreeSet::new(), 0);
        let mut ids = vec![];
        for sh in shuffled {
            if let Some(k) = by_shuffle.get(&sh) {
                ids.push(stages[*k].stage_id);
                continue;
            }
            let Some((map_rdd, _)) = self.nodes[sh].parents.iter().find(|(_, d)| *d == Dep::Shuffle).copied() else { continue };
            let parents = if depth > 200 { vec![] } else { self.stage_parents(map_rdd, stages, by_shuffle, depth + 1) };
            let id = match self.shuffle_stages.get(&sh) {
                Some(id) => *id,
                None => {
                    let id = self.next_stage;
                    self.next_stage += 1;
                    self.shuffle_stages.insert(sh, id);
                    id
                }
            };
            by_shuffle.insert(sh, stages.len());
            stages.push(RddStage { stage_id: id, shuffle_of: Some(sh), rdd: map_rdd, num_tasks: self.nodes[map_rdd].partitions, parent_ids: parents, skipped: false });
            ids.push(id);
        }
        ids
    }

    /// Marks the map stages a job must run: missing shuffle outputs reachable without crossing a
    /// materialized cache.
    fn mark_running(&self, i: usize, stages: &[RddStage], by_shuffle: &BTreeMap<usize, usize>, runs: &mut BTreeSet<u32>, depth: usize) {
        if depth > 10_000 {
            return;
        }
        if self.nodes[i].storage.is_some() && self.materialized.contains(&i) {
            return;
        }
        for (p, dep) in &self.nodes[i].parents {
            match dep {
                Dep::Narrow => self.mark_running(*p, stages, by_shuffle, runs, depth + 1),
                Dep::Shuffle => {
                    if self.shuffles_done.contains(&i) {
                        continue;
                    }
                    if let Some(k) = by_shuffle.get(&i) {
                        if runs.insert(stages[*k].stage_id) {
                            self.mark_running(*p, stages, by_shuffle, runs, depth + 1);
                        }
                    }
                }
            }
        }
    }

    fn mark_materialized(&mut self, i: usize, depth: usize) {
        if depth > 10_000 {
            return;
        }
        if self.nodes[i].storage.is_some() {
            if self.materialized.contains(&i) {
                return;
            }
            self.materialized.insert(i);
        }
        let narrow: Vec<usize> = self.nodes[i].parents.iter().filter(|(_, d)| *d == Dep::Narrow).map(|(p, _)| *p).collect();
        for p in narrow {
            self.mark_materialized(p, depth + 1);
        }
    }

    /// Whether node `i` is persisted and already computed by a job.
    pub fn is_materialized(&self, i: usize) -> bool {
        self.materialized.contains(&i)
    }
}

/// Scala's `prefix.replaceAll("\\|\\s+$", "")`: drops a trailing `|` followed by spaces.
fn strip_bar_suffix(prefix: &str) -> String {
    let trimmed = prefix.trim_end_matches(' ');
    if trimmed.len() < prefix.len() {
        if let Some(stripped) = trimmed.strip_suffix('|') {
            return stripped.to_string();
        }
    }
    prefix.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lineage of PySpark's word count: textFile → flatMap/map → reduceByKey → collect.
    fn word_count() -> (RddGraph, usize) {
        let mut g = RddGraph::default();
        let h = g.add("HadoopRDD", Some("/data/words.txt".into()), "textFile at NativeMethodAccessorImpl.java:0".into(), 2, vec![]);
        let m = g.add("MapPartitionsRDD", Some("/data/words.txt".into()), "textFile at NativeMethodAccessorImpl.java:0".into(), 2, vec![(h, Dep::Narrow)]);
        let py = g.add("PythonRDD", None, "reduceByKey at <stdin>:3".into(), 2, vec![(m, Dep::Narrow)]);
        let pw = g.add("PairwiseRDD", None, "reduceByKey at <stdin>:3".into(), 2, vec![(py, Dep::Narrow)]);
        let sh = g.add("ShuffledRDD", None, "partitionBy at NativeMethodAccessorImpl.java:0".into(), 2, vec![(pw, Dep::Shuffle)]);
        let mp = g.add("MapPartitionsRDD", None, "mapPartitions at PythonRDD.scala:160".into(), 2, vec![(sh, Dep::Narrow)]);
        let top = g.add("PythonRDD", None, "RDD at PythonRDD.scala:53".into(), 2, vec![(mp, Dep::Narrow)]);
        (g, top)
    }

    #[test]
    fn debug_string_layout() {
        let (g, top) = word_count();
        let want = "(2) PythonRDD[6] at RDD at PythonRDD.scala:53 []\n\
                    \x20|  MapPartitionsRDD[5] at mapPartitions at PythonRDD.scala:160 []\n\
                    \x20|  ShuffledRDD[4] at partitionBy at NativeMethodAccessorImpl.java:0 []\n\
                    \x20+-(2) PairwiseRDD[3] at reduceByKey at <stdin>:3 []\n\
                    \x20   |  PythonRDD[2] at reduceByKey at <stdin>:3 []\n\
                    \x20   |  /data/words.txt MapPartitionsRDD[1] at textFile at NativeMethodAccessorImpl.java:0 []\n\
                    \x20   |  /data/words.txt HadoopRDD[0] at textFile at NativeMethodAccessorImpl.java:0 []";
        assert_eq!(g.to_debug_string(top), want);
    }

    #[test]
    fn word_count_is_two_stages_and_reruns_skip_the_map_stage() {
        let (mut g, top) = word_count();
        let s = g.job_stages(top, None);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].stage_id, s[0].num_tasks, s[0].skipped), (0, 2, false));
        assert_eq!((s[1].stage_id, s[1].parent_ids.clone(), s[1].skipped), (1, vec![0], false));
        let again = g.job_stages(top, None);
        assert_eq!(again.len(), 2);
        assert!(again[0].skipped && again[0].stage_id == 2);
        assert_eq!((again[1].stage_id, again[1].parent_ids.clone()), (3, vec![2]));
    }

    #[test]
    fn storage_descriptions() {
        assert_eq!(RddStorage::PY_MEMORY_ONLY.description(), "Memory Serialized 1x Replicated");
        let md = RddStorage { disk: true, memory: true, off_heap: false, deserialized: true, replication: 1 };
        assert_eq!(md.description(), "Disk Memory Deserialized 1x Replicated");
    }
}
