//! The hot keys of the shuffles a run reads, for the Skew tab: each hash shuffle's key column(s) and,
//! for every hot value of a one-column key (catalog `top_values`), its share of the rows, the reduce
//! partition Spark's `HashPartitioning` sends it to (`distribution::hot_values`, the same function the
//! map statistics use), that partition's bytes beside the median (`MapOutputStatistics`, before AQE),
//! and the AQE read tasks that hold it (a coalesced read's group, or the pieces `OptimizeSkewedJoin`
//! split it into). Knows plans, the data model, AQE's read specs and the schedule's shuffle ids;
//! knows nothing of time, of hot values of multi-column keys, or of shuffles not hash-partitioned.

use super::aqe::Spec;
use super::distribution;
use super::estimate::Model;
use super::RunShape;
use crate::logical::expr::Expr;
use crate::physical::plan::Op;
use crate::scenario::Scenario;
use crate::sim::Schedule;

/// A hot value of a shuffle's key and where it went.
#[derive(Debug, Clone, PartialEq)]
pub struct HotKey {
    pub value: String,
    /// Share of the rows (catalog `top_values`).
    pub fraction: f64,
    /// Its reduce partition, `pmod(murmur3(value, 42), partitions)`.
    pub partition: usize,
    /// That partition's bytes (`bytesByPartitionId`, before AQE).
    pub bytes: u64,
    /// The reading stage's tasks that read it (AQE read specs; the partition itself when AQE left the
    /// read alone; empty for a local read, where every map task's output is read apart).
    pub tasks: Vec<usize>,
    /// Pieces `OptimizeSkewedJoin` split the partition into (1: not split).
    pub pieces: usize,
}

/// One hash shuffle's key and its hot values.
#[derive(Debug, Clone, PartialEq)]
pub struct ShuffleKeys {
    /// The simulator's shuffle id.
    pub shuffle_id: u32,
    /// The stages that read it (`add_readers`).
    pub readers: Vec<u32>,
    /// The hash key expressions, as Spark prints them without ids.
    pub keys: Vec<String>,
    pub partitions: usize,
    /// The median reduce partition's bytes (before AQE).
    pub median: u64,
    /// The key is one column the rows carry from a table's scan (so catalog `top_values` apply).
    pub from_table: bool,
    /// Empty when the catalog knows no hot value of the key, or `from_table` is false.
    pub hot: Vec<HotKey>,
}

/// The hash shuffles the run writes, readers not yet known. `schedule` must be the one `schedule::build`
/// made from `shape` (stage ids still the shape's: before RDD jobs are merged in).
pub fn of_run(shape: &RunShape, schedule: &Schedule, scenario: &Scenario) -> Vec<ShuffleKeys> {
    let model = Model::new(scenario);
    let mut out: Vec<ShuffleKeys> = vec![];
    for s in schedule.jobs.iter().flat_map(|j| &j.stages) {
        let (Some(sid), Some(o)) = (s.shuffle_id_written, shape.origins.get(&s.stage_id)) else { continue };
        let (false, Some(pid)) = (out.iter().any(|k| k.shuffle_id == sid), o.writes) else { continue };
        let ex = match &o.plan.op {
            Op::ReusedExchange { reused, .. } => reused.as_ref(),
            _ => &o.plan,
        };
        let Some((keys, partitions)) = distribution::hash_keys(ex) else { continue };
        let sizes = shape.shuffle_bytes.get(o.exec).and_then(|m| m.get(&pid)).map_or(&[][..], Vec::as_slice);
        let specs = shape.read_specs.get(o.exec).and_then(|m| m.iter().rev().find(|(id, _)| *id == pid)).map(|(_, s)| s);
        let local = shape.read_bytes.get(o.exec).is_some_and(|m| m.contains_key(&pid));
        let values = distribution::hot_values(&model, ex).map(|(_, v)| v);
        let from_table = values.is_some();
        let hot = values
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                let (tasks, pieces) = match specs {
                    Some(specs) => holders(specs, v.partition),
                    None if local => (vec![], 1),
                    None => (vec![v.partition], 1),
                };
                HotKey { bytes: sizes.get(v.partition).copied().unwrap_or(0), tasks, pieces, value: v.value, fraction: v.fraction, partition: v.partition }
            })
            .collect();
        let keys = keys.iter().map(|k| if let Expr::Attr(a) = k.unalias() { a.name.clone() } else { k.sql() }).collect();
        let median = crate::trace::histogram::partition_histogram(sizes).median;
        out.push(ShuffleKeys { shuffle_id: sid, readers: vec![], keys, partitions, median, from_table, hot });
    }
    out
}

/// The read tasks whose specs read reduce partition `p`, and how many map-range pieces it is split into.
pub fn holders(specs: &[Spec], p: usize) -> (Vec<usize>, usize) {
    let reads = |s: &Spec| match *s {
        Spec::Coalesced { start, end } => (start..end).contains(&p),
        Spec::Partial { reducer, .. } => reducer == p,
    };
    let tasks = specs.iter().enumerate().filter(|(_, s)| reads(s)).map(|(i, _)| i).collect();
    // A split side's pieces (map ranges from map 0 on) repeat once per piece of the other side: the
    // pieces over the repeats (linear: a read may hold many thousands of pieces).
    let (mut pieces, mut repeats) = (0, 0);
    for s in specs {
        if let Spec::Partial { reducer, start_map, .. } = *s {
            pieces += usize::from(reducer == p);
            repeats += usize::from(reducer == p && start_map == 0);
        }
    }
    (tasks, (pieces / repeats.max(1)).max(1))
}

/// Records the stages of `schedule` (merged or not) that read each shuffle.
pub fn add_readers(schedule: &Schedule, keys: &mut [ShuffleKeys]) {
    for job in &schedule.jobs {
        for s in &job.stages {
            for p in &s.parent_ids {
                let Some(id) = job.stages.iter().find(|x| x.stage_id == *p).and_then(|x| x.shuffle_id_written) else { continue };
                if s.shuffle_ids_read.is_empty() || s.shuffle_ids_read.contains(&id) {
                    keys.iter_mut().filter(|k| k.shuffle_id == id).for_each(|k| k.readers.push(s.stage_id));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_follow_coalesced_groups_and_skew_pieces() {
        let coalesced = [Spec::Coalesced { start: 0, end: 3 }, Spec::Coalesced { start: 3, end: 5 }];
        assert_eq!(holders(&coalesced, 4), (vec![1], 1));
        // A left side split in two, joined with the right side's partition whole (read twice).
        let left = [
            Spec::Coalesced { start: 0, end: 1 },
            Spec::Partial { reducer: 1, start_map: 0, end_map: 2 },
            Spec::Partial { reducer: 1, start_map: 2, end_map: 4 },
        ];
        let right = [Spec::Coalesced { start: 0, end: 1 }, Spec::Coalesced { start: 1, end: 2 }, Spec::Coalesced { start: 1, end: 2 }];
        assert_eq!(holders(&left, 1), (vec![1, 2], 2));
        assert_eq!(holders(&right, 1), (vec![1, 2], 1));
        assert_eq!(holders(&left, 9), (vec![], 1));
        // Both sides split in two: each piece is read twice, once with each piece of the other side.
        let part = |a, b| Spec::Partial { reducer: 1, start_map: a, end_map: b };
        let (l, r) = ([part(0, 2), part(0, 2), part(2, 4), part(2, 4)], [part(0, 3), part(3, 5), part(0, 3), part(3, 5)]);
        assert_eq!(holders(&l, 1), (vec![0, 1, 2, 3], 2));
        assert_eq!(holders(&r, 1), (vec![0, 1, 2, 3], 2));
    }
}
