//! Spark's unified memory model (`UnifiedMemoryManager`) reduced to what decides spilling: how much
//! execution memory one task may hold, and what a task that needs more pays. It knows executor heap sizes,
//! cached bytes and slot counts; it knows nothing of scheduling or time beyond a spill's I/O cost.
//!
//! Execution memory of an executor = (heap − 300 MB reserved) × `spark.memory.fraction`, minus the cached
//! bytes storage holds inside its protected share (`spark.memory.storageFraction`; execution may evict
//! storage above that). `ExecutionMemoryPool` gives each of N active tasks between 1/(2N) and 1/N of it;
//! we use 1/N with N = the executor's slots (a busy executor, the case that spills).

/// `RESERVED_SYSTEM_MEMORY_BYTES` in `UnifiedMemoryManager`.
pub const RESERVED_SYSTEM_MEMORY_BYTES: u64 = 300 * 1024 * 1024;
/// Spilled bytes on disk per byte of in-memory (deserialized) data spilled: serialized and compressed.
/// An assumption (Spark UI typically shows disk spill at 1/3–1/5 of memory spill); the corpus never spills.
pub const SPILL_DISK_PERMILLE: u64 = 300;
/// Writing spill files: 5 ns per disk byte (200 MB/s).
pub const SPILL_WRITE_NS_PER_BYTE: u64 = 5;
/// Reading spills back for the merge: 3 ns per disk byte (~330 MB/s).
pub const SPILL_READ_NS_PER_BYTE: u64 = 3;
/// Serialising the spilled records: 2 ns per in-memory byte.
pub const SPILL_SER_NS_PER_BYTE: u64 = 2;

/// Memory settings of one executor.
#[derive(Debug, Clone, Copy)]
pub struct MemoryModel {
    /// (heap − reserved) × memory.fraction.
    pub unified_bytes: u64,
    /// unified × storageFraction: storage below this cannot be evicted by execution.
    pub protected_storage_bytes: u64,
    pub slots: u64,
}

impl MemoryModel {
    pub fn new(executor_memory_mb: u64, memory_fraction: f64, storage_fraction: f64, slots: u32) -> MemoryModel {
        let heap = executor_memory_mb.saturating_mul(1024 * 1024);
        let usable = heap.saturating_sub(RESERVED_SYSTEM_MEMORY_BYTES);
        // Fractions are config values in [0, 1]; converted once to per-million integers.
        let frac = (memory_fraction.clamp(0.0, 1.0) * 1_000_000.0).round() as u64;
        let sfrac = (storage_fraction.clamp(0.0, 1.0) * 1_000_000.0).round() as u64;
        let unified = (usable as u128 * frac as u128 / 1_000_000) as u64;
        let protected = (unified as u128 * sfrac as u128 / 1_000_000) as u64;
        MemoryModel { unified_bytes: unified, protected_storage_bytes: protected, slots: slots.max(1) as u64 }
    }

    /// Execution memory one task may use while `storage_used` bytes are cached on the executor.
    pub fn per_task_share(&self, storage_used: u64) -> u64 {
        let held = storage_used.min(self.protected_storage_bytes);
        (self.unified_bytes - held) / self.slots
    }
}

/// What a task that needed `needed` bytes of execution memory did with `share` available.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spill {
    pub memory_bytes_spilled: u64,
    pub disk_bytes_spilled: u64,
    pub peak_execution_memory: u64,
    /// Extra run time: serialise, write and read back the spills.
    pub extra_ns: u64,
}

/// A sorter/aggregator that fills its share spills the whole buffer and starts again:
/// `ceil(needed / share) − 1` spills of `share` bytes each.
pub fn spill(needed: u64, share: u64) -> Spill {
    // A zero share (a heap under the 300 MB reserve) would fail in Spark; we let the task keep its data.
    if needed <= share || share == 0 {
        return Spill { peak_execution_memory: needed, ..Spill::default() };
    }
    let spills = needed.div_ceil(share) - 1;
    let memory = spills.saturating_mul(share);
    let disk = (memory as u128 * SPILL_DISK_PERMILLE as u128 / 1000) as u64;
    let extra = memory
        .saturating_mul(SPILL_SER_NS_PER_BYTE)
        .saturating_add(disk.saturating_mul(SPILL_WRITE_NS_PER_BYTE + SPILL_READ_NS_PER_BYTE));
    Spill { memory_bytes_spilled: memory, disk_bytes_spilled: disk, peak_execution_memory: share, extra_ns: extra }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    #[test]
    fn corpus_executor_share() {
        // local[2] with 4 GiB: (4096 − 300) MB × 0.6 = 2277.6 MB, 1138.8 MB per task.
        let m = MemoryModel::new(4096, 0.6, 0.5, 2);
        assert_eq!(m.unified_bytes, (3796 * MB) * 6 / 10);
        assert_eq!(m.per_task_share(0), m.unified_bytes / 2);
        // Cached data inside the protected half reduces the share; above it, it is evicted.
        assert!(m.per_task_share(500 * MB) < m.per_task_share(0));
        assert_eq!(m.per_task_share(10_000 * MB), (m.unified_bytes - m.protected_storage_bytes) / 2);
    }

    #[test]
    fn no_spill_below_share() {
        let s = spill(100 * MB, 200 * MB);
        assert_eq!(s.memory_bytes_spilled, 0);
        assert_eq!(s.peak_execution_memory, 100 * MB);
        assert_eq!(s.extra_ns, 0);
    }

    #[test]
    fn spills_whole_buffers() {
        let s = spill(250 * MB, 100 * MB);
        assert_eq!(s.memory_bytes_spilled, 200 * MB);
        assert_eq!(s.disk_bytes_spilled, 60 * MB);
        assert_eq!(s.peak_execution_memory, 100 * MB);
        assert!(s.extra_ns > 0);
    }

    #[test]
    fn tiny_heap_does_not_underflow() {
        let m = MemoryModel::new(100, 0.6, 0.5, 4);
        assert_eq!(m.unified_bytes, 0);
        assert_eq!(m.per_task_share(10), 0);
        assert_eq!(spill(10, 0), Spill { peak_execution_memory: 10, ..Spill::default() });
    }
}
