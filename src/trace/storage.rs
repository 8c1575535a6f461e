//! The Spark UI's Storage tab as data: one [`RddStorageInfo`] per persisted RDD with at least one cached
//! partition (Spark's `AppStatusStore.rddList(cachedOnly = true)`), with its data distribution over the
//! executors and its blocks (the RDD page). Built from the cached relations the plans declare (their id,
//! RDD name and storage level, given by the caller), the schedule (how many partitions each cached RDD
//! has: the tasks of a stage that stores or reads it) and the simulation's end state (which executor holds
//! each block, and its bytes).
//!
//! Memory or disk: the simulator records where a block was computed, not whether it fits. Here a block goes
//! to memory when the storage level uses memory and the executor's storage memory still has room for it —
//! the unified pool, (heap − 300 MB) × `spark.memory.fraction`, all of it, since execution holds nothing
//! once the run is over — blocks placed in (RDD id, partition) order; a block that does not fit goes to
//! disk when the level uses disk (`MEMORY_AND_DISK`: `MemoryStore` drops it to the `DiskStore`) and is not
//! cached at all otherwise (`MEMORY_ONLY`: the partition is recomputed when read), so the RDD's Fraction
//! Cached falls below 100 %. `DISK_ONLY` blocks all go to disk. A cached Dataset's blocks are already
//! serialized column batches, so a block takes the same bytes on disk as in memory. Blocks on a lost
//! executor are gone. This module knows nothing of plans, the scheduler or the DOM.

use crate::logical::plan::StorageLevel;
use crate::sim::model::JobSpec;
use serde::{Deserialize, Serialize};

/// One cached block at the end of a run: `rdd_<rdd_id>_<partition>` on an executor, `bytes` big.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedBlock {
    pub rdd_id: u32,
    pub partition: u32,
    pub executor_id: u32,
    pub bytes: u64,
}

/// A cached relation as the plans declare it: its RDD's id, name and storage level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheDecl {
    pub rdd_id: u32,
    /// `In-memory table <name>` for `CACHE TABLE name`, else the cached plan's text (Spark's `cachedName`).
    pub name: String,
    pub level: StorageLevel,
}

/// One executor's share of an RDD (Spark's `RDDDataDistribution`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RddDataDistribution {
    pub executor_id: u32,
    pub memory_used: u64,
    /// The executor's storage memory left after every cached block it holds.
    pub memory_remaining: u64,
    pub disk_used: u64,
}

/// One block of an RDD (Spark's `RDDPartitionInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RddPartitionInfo {
    /// `rdd_<id>_<partition>`.
    pub block_name: String,
    /// Where the block is: the memory or the disk part of the RDD's level (`StorageLevel.description`).
    pub storage_level: &'static str,
    pub memory_used: u64,
    pub disk_used: u64,
    pub executors: Vec<u32>,
}

/// One row of the Storage tab, with its RDD page (Spark's `RDDStorageInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RddStorageInfo {
    pub id: u32,
    pub name: String,
    /// `StorageLevel.description`, e.g. `Disk Memory Deserialized 1x Replicated`.
    pub storage_level: &'static str,
    pub num_partitions: u32,
    pub num_cached_partitions: u32,
    pub memory_used: u64,
    pub disk_used: u64,
    pub data_distribution: Vec<RddDataDistribution>,
    pub partitions: Vec<RddPartitionInfo>,
}

impl RddStorageInfo {
    /// Spark's "Fraction Cached" cell: `%.0f%%` of cached over all partitions.
    pub fn fraction_cached(&self) -> String {
        let n = self.num_partitions.max(self.num_cached_partitions).max(1) as u64;
        format!("{}%", (self.num_cached_partitions as u64 * 200 + n) / (2 * n))
    }
}

/// A block's level once placed: the level's memory form, or its disk form.
fn placed_level(level: StorageLevel, in_memory: bool) -> &'static str {
    match (level, in_memory) {
        (StorageLevel::MemoryOnly | StorageLevel::MemoryAndDisk, true) => StorageLevel::MemoryOnly.description(),
        (StorageLevel::MemoryOnlySer | StorageLevel::MemoryAndDiskSer, true) => StorageLevel::MemoryOnlySer.description(),
        (StorageLevel::OffHeap, true) => "Memory (off heap) Serialized 1x Replicated",
        _ => StorageLevel::DiskOnly.description(),
    }
}

/// The Storage tab of a run: `caches` in the order to list them, `jobs` the schedule's, `blocks` the simulation's end state,
/// `storage_memory` each executor's storage memory in bytes.
pub fn storage_info(caches: &[CacheDecl], jobs: &[JobSpec], blocks: &[CachedBlock], storage_memory: u64) -> Vec<RddStorageInfo> {
    // Each executor's storage memory left, (executor id, bytes): a handful of executors, searched.
    let mut free: Vec<(u32, u64)> = vec![];
    // (memory, disk) bytes of each block, in `blocks` order; `None`: dropped (did not fit, memory only).
    let mut placed: Vec<Option<(u64, u64)>> = Vec::with_capacity(blocks.len());
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| (blocks[i].rdd_id, blocks[i].partition));
    placed.resize(blocks.len(), None);
    for i in order {
        let b = blocks[i];
        let Some(level) = caches.iter().find(|c| c.rdd_id == b.rdd_id).map(|c| c.level) else { continue };
        let k = match free.iter().position(|f| f.0 == b.executor_id) {
            Some(k) => k,
            None => {
                free.push((b.executor_id, storage_memory));
                free.len() - 1
            }
        };
        let room = &mut free[k].1;
        placed[i] = if level.use_memory() && b.bytes <= *room {
            *room -= b.bytes;
            Some((b.bytes, 0))
        } else if level.use_disk() {
            Some((0, b.bytes))
        } else {
            None
        };
    }
    let mut out = vec![];
    for c in caches {
        let mut info = RddStorageInfo {
            id: c.rdd_id,
            name: c.name.clone(),
            storage_level: c.level.description(),
            num_partitions: partitions_of(jobs, c.rdd_id),
            num_cached_partitions: 0,
            memory_used: 0,
            disk_used: 0,
            data_distribution: vec![],
            partitions: vec![],
        };
        let mut mine: Vec<usize> = (0..blocks.len()).filter(|&i| blocks[i].rdd_id == c.rdd_id && placed[i].is_some()).collect();
        crate::sort::sort_by_key(&mut mine, |&i| blocks[i].partition);
        for i in mine {
            let (b, (mem, disk)) = (blocks[i], placed[i].unwrap_or_default());
            info.num_cached_partitions += 1;
            info.memory_used = info.memory_used.saturating_add(mem);
            info.disk_used = info.disk_used.saturating_add(disk);
            info.partitions.push(RddPartitionInfo {
                block_name: format!("rdd_{}_{}", b.rdd_id, b.partition),
                storage_level: placed_level(c.level, mem > 0 || disk == 0),
                memory_used: mem,
                disk_used: disk,
                executors: vec![b.executor_id],
            });
            match info.data_distribution.iter_mut().find(|d| d.executor_id == b.executor_id) {
                Some(d) => {
                    d.memory_used = d.memory_used.saturating_add(mem);
                    d.disk_used = d.disk_used.saturating_add(disk);
                }
                None => info.data_distribution.push(RddDataDistribution {
                    executor_id: b.executor_id,
                    memory_used: mem,
                    memory_remaining: free.iter().find(|f| f.0 == b.executor_id).map_or(storage_memory, |f| f.1),
                    disk_used: disk,
                }),
            }
        }
        if info.num_cached_partitions > 0 {
            crate::sort::sort_by_key(&mut info.data_distribution, |d| d.executor_id);
            info.num_partitions = info.num_partitions.max(info.num_cached_partitions);
            out.push(info);
        }
    }
    out
}

/// Partitions of cached RDD `rdd_id`: the tasks of the widest stage whose tasks store or read its blocks.
fn partitions_of(jobs: &[JobSpec], rdd_id: u32) -> u32 {
    let touches = |s: &crate::sim::model::StageSpec| s.tasks.iter().any(|t| t.cache.as_ref().is_some_and(|c| c.rdd_id == rdd_id));
    jobs.iter().flat_map(|j| &j.stages).filter(|s| touches(s)).map(|s| s.num_tasks).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(rdd_id: u32, partition: u32, executor_id: u32, bytes: u64) -> CachedBlock {
        CachedBlock { rdd_id, partition, executor_id, bytes }
    }

    fn decl(level: StorageLevel) -> Vec<CacheDecl> {
        vec![CacheDecl { rdd_id: 0, name: "In-memory table hot".into(), level }]
    }

    #[test]
    fn memory_and_disk_spills_what_does_not_fit() {
        let blocks = [block(0, 1, 0, 60), block(0, 0, 0, 60), block(0, 2, 1, 10)];
        let s = storage_info(&decl(StorageLevel::MemoryAndDisk), &[], &blocks, 100);
        assert_eq!(s.len(), 1);
        let r = &s[0];
        assert_eq!(r.storage_level, "Disk Memory Deserialized 1x Replicated");
        assert_eq!((r.num_cached_partitions, r.num_partitions, r.fraction_cached()), (3, 3, "100%".to_string()));
        assert_eq!((r.memory_used, r.disk_used), (70, 60));
        // Partition 0 came first on executor 0, so partition 1 went to disk.
        assert_eq!(r.partitions[1].block_name, "rdd_0_1");
        assert_eq!(r.partitions[1].storage_level, "Disk Serialized 1x Replicated");
        assert_eq!(r.partitions[0].storage_level, "Memory Deserialized 1x Replicated");
        assert_eq!(r.data_distribution, vec![
            RddDataDistribution { executor_id: 0, memory_used: 60, memory_remaining: 40, disk_used: 60 },
            RddDataDistribution { executor_id: 1, memory_used: 10, memory_remaining: 90, disk_used: 0 },
        ]);
    }

    #[test]
    fn memory_only_drops_what_does_not_fit() {
        let blocks = [block(0, 0, 0, 60), block(0, 1, 0, 60)];
        let s = storage_info(&decl(StorageLevel::MemoryOnly), &[], &blocks, 100);
        assert_eq!((s[0].num_cached_partitions, s[0].num_partitions), (1, 1));
        assert_eq!((s[0].memory_used, s[0].disk_used), (60, 0));
        let s = storage_info(&decl(StorageLevel::MemoryOnly), &[], &blocks, 10);
        assert!(s.is_empty(), "nothing cached: not listed");
    }

    #[test]
    fn disk_only_and_nothing_cached() {
        let blocks = [block(0, 0, 2, 5)];
        let s = storage_info(&decl(StorageLevel::DiskOnly), &[], &blocks, 100);
        assert_eq!((s[0].memory_used, s[0].disk_used, s[0].storage_level), (0, 5, "Disk Serialized 1x Replicated"));
        assert!(storage_info(&decl(StorageLevel::MemoryAndDisk), &[], &[], 100).is_empty());
        assert!(storage_info(&[], &[], &blocks, 100).is_empty());
    }

    #[test]
    fn fraction_cached_rounds_like_spark() {
        let mut r = storage_info(&decl(StorageLevel::MemoryOnly), &[], &[block(0, 0, 0, 1)], 10).remove(0);
        r.num_partitions = 3;
        assert_eq!(r.fraction_cached(), "33%");
        r.num_cached_partitions = 2;
        assert_eq!(r.fraction_cached(), "67%");
    }
}
