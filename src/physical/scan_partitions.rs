//! Scan partition count, as Spark 3.5's `FilePartition.maxSplitBytes` + `getFilePartitions` compute it:
//! files cut into `maxSplitBytes` splits, splits sorted by length descending, Next-Fit packing with an open
//! cost per split, the optional `spark.sql.files.maxPartitionNum` rescale; then which rows each split really
//! reads (Parquet row groups by midpoint, ORC stripes by start offset, text formats by bytes).
//! Knows files and confs only: partition pruning (static and dynamic) happens before (the caller passes the
//! kept files), column pruning and pushed filters after.

use crate::conf::{bytes_to_string, SparkConf};
use crate::scenario::DataFile;

/// At most this many splits are generated; a smaller `maxSplitBytes` is raised to respect it (and `why` says so).
pub const MAX_SPLITS: u64 = 100_000;

/// One piece of one file read by a scan task.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSplit {
    /// Index into the `files` slice given to `plan_file_partitions`.
    pub file: usize,
    pub start: u64,
    pub length: u64,
    /// Rows this split really reads (0 when no row group's midpoint falls inside it).
    pub rows: u64,
    /// Bytes of the row groups it reads (before column pruning); text formats: `length`.
    pub bytes_read: u64,
    /// Row groups (ORC: stripes) it reads.
    pub row_groups: u32,
}

/// One scan task's input.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanPartition {
    pub index: usize,
    pub splits: Vec<FileSplit>,
    /// Σ split lengths (what packing saw, without open costs).
    pub split_bytes: u64,
    pub rows: u64,
    pub bytes_read: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FilePartitions {
    pub max_split_bytes: u64,
    pub open_cost_in_bytes: u64,
    pub min_partition_num: u32,
    /// Σ (file length + openCost): the numerator of `maxSplitBytes`.
    pub total_bytes_with_open_cost: u64,
    /// Partition count before the `spark.sql.files.maxPartitionNum` rescale, when it applied.
    pub rescaled_from: Option<usize>,
    pub partitions: Vec<ScanPartition>,
    /// E.g. `maxSplitBytes = min(128.0 MiB, max(4.0 MiB, 51.9 MiB / 2)) = 26.0 MiB → 4 splits → 2 partitions`.
    pub why: String,
}

impl FilePartitions {
    pub fn len(&self) -> usize {
        self.partitions.len()
    }
    pub fn is_empty(&self) -> bool {
        self.partitions.is_empty()
    }
    pub fn rows(&self) -> u64 {
        self.partitions.iter().map(|p| p.rows).sum()
    }
    /// Partitions that read no row at all.
    pub fn empty_partitions(&self) -> usize {
        self.partitions.iter().filter(|p| p.rows == 0).count()
    }
}

/// Formats whose files Spark cuts into splits (all that Stagecraft accepts; compression is not modelled).
pub fn is_splittable(format: &str) -> bool {
    matches!(format, "parquet" | "orc" | "csv" | "json" | "delta")
}

/// Scan partitions of Parquet files (Delta is Parquet underneath).
pub fn plan_file_partitions(files: &[&DataFile], conf: &SparkConf, default_parallelism: u32) -> FilePartitions {
    plan_format_file_partitions("parquet", files, conf, default_parallelism)
}

/// Scan partitions for files of `format`.
pub fn plan_format_file_partitions(
    format: &str,
    files: &[&DataFile],
    conf: &SparkConf,
    default_parallelism: u32,
) -> FilePartitions {
    let open_cost = conf.get_bytes("spark.sql.files.openCostInBytes").max(0) as u64;
    let max_bytes = conf.get_bytes("spark.sql.files.maxPartitionBytes").max(1) as u64;
    let set = |k: &str| conf.get(k).and_then(|v| v.trim().parse::<i64>().ok()).filter(|n| *n > 0);
    let (min_num, min_src) = match (set("spark.sql.files.minPartitionNum"), set("spark.sql.leafNodeDefaultParallelism"))
    {
        (Some(n), _) => (n as u64, "spark.sql.files.minPartitionNum"),
        (None, Some(n)) => (n as u64, "spark.sql.leafNodeDefaultParallelism"),
        (None, None) => (default_parallelism.max(1) as u64, "defaultParallelism"),
    };
    let total = files.iter().fold(0u64, |a, f| a.saturating_add(f.bytes.saturating_add(open_cost)));
    let mut max_split = max_bytes.min(open_cost.max(total / min_num)).max(1);
    let mut why = format!(
        "maxSplitBytes = min(maxPartitionBytes {}, max(openCostInBytes {}, Σ(file + openCost) {} / {min_src} {min_num})) = {}",
        bytes_to_string(max_bytes as u128),
        bytes_to_string(open_cost as u128),
        bytes_to_string(total as u128),
        bytes_to_string(max_split as u128)
    );
    let pieces_at = |m: u64| files.iter().map(|f| f.bytes.div_ceil(m)).sum::<u64>();
    if pieces_at(max_split) > MAX_SPLITS {
        let biggest = files.iter().map(|f| f.bytes).max().unwrap_or(1);
        while pieces_at(max_split) > MAX_SPLITS && max_split < biggest {
            max_split = max_split.saturating_mul(2);
        }
        why += &format!(" (raised to {} to stay under {MAX_SPLITS} splits)", bytes_to_string(max_split as u128));
    }

    // PartitionedFileUtil.splitFiles, then sortBy(length) descending (stable).
    let splittable = is_splittable(format);
    let mut pieces: Vec<(usize, u64, u64)> = vec![];
    for (i, f) in files.iter().enumerate() {
        if !splittable {
            if f.bytes > 0 {
                pieces.push((i, 0, f.bytes));
            }
            continue;
        }
        let mut off = 0;
        while off < f.bytes {
            let len = max_split.min(f.bytes - off);
            pieces.push((i, off, len));
            off += max_split;
        }
    }
    crate::sort::sort_by_key(&mut pieces, |p| std::cmp::Reverse(p.2)); // stable, like Scala's sortBy
    let mut groups = pack(&pieces, max_split, open_cost);
    why += &format!(
        " → {} in {} → {}",
        plural(files.len(), "file"),
        plural(pieces.len(), "split"),
        plural(groups.len(), "partition")
    );

    let mut rescaled_from = None;
    if let Some(max_num) = set("spark.sql.files.maxPartitionNum").map(|n| n as usize) {
        if groups.len() > max_num {
            let total_pieces = pieces.iter().fold(0u64, |a, p| a.saturating_add(p.2.saturating_add(open_cost)));
            let desired = total_pieces.div_ceil(max_num as u64).max(1);
            rescaled_from = Some(groups.len());
            groups = pack(&pieces, desired, open_cost);
            why += &format!(
                "; spark.sql.files.maxPartitionNum = {max_num} → repacked at {} → {}",
                bytes_to_string(desired as u128),
                plural(groups.len(), "partition")
            );
        }
    }

    let partitions: Vec<ScanPartition> = groups
        .into_iter()
        .enumerate()
        .map(|(index, g)| {
            let splits: Vec<FileSplit> =
                g.into_iter().map(|(i, start, length)| read_split(format, files[i], i, start, length)).collect();
            ScanPartition {
                index,
                split_bytes: splits.iter().map(|s| s.length).sum(),
                rows: splits.iter().map(|s| s.rows).sum(),
                bytes_read: splits.iter().map(|s| s.bytes_read).sum(),
                splits,
            }
        })
        .collect();
    let empty = partitions.iter().filter(|p| p.rows == 0).count();
    if empty > 0 && files.iter().any(|f| f.rows > 0) {
        let (verb, their) = if empty == 1 { ("reads", "its") } else { ("read", "their") };
        why += &format!(" ({empty} {verb} no rows: no row group's midpoint falls in {their} splits)");
    }
    FilePartitions {
        max_split_bytes: max_split,
        open_cost_in_bytes: open_cost,
        min_partition_num: min_num.min(u32::MAX as u64) as u32,
        total_bytes_with_open_cost: total,
        rescaled_from,
        partitions,
        why,
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// `FilePartition.getFilePartitions`: Next-Fit over the sorted splits.
fn pack(pieces: &[(usize, u64, u64)], max_split: u64, open_cost: u64) -> Vec<Vec<(usize, u64, u64)>> {
    let (mut out, mut cur, mut size) = (vec![], vec![], 0u64);
    for p in pieces {
        if size.saturating_add(p.2) > max_split && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if cur.is_empty() {
            size = 0;
        }
        size = size.saturating_add(p.2).saturating_add(open_cost);
        cur.push(*p);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// What one split reads: Parquet row groups whose midpoint (`start + bytes / 2`) lies in
/// `[start, start + length)`; ORC stripes whose start does; otherwise rows in proportion to bytes.
fn read_split(format: &str, f: &DataFile, file: usize, start: u64, length: u64) -> FileSplit {
    let end = start + length;
    if f.row_group_layout.is_empty() || matches!(format, "csv" | "json") {
        let b = f.bytes.max(1) as u128;
        let at = |x: u64| (f.rows as u128 * x.min(f.bytes) as u128 / b) as u64;
        return FileSplit { file, start, length, rows: at(end) - at(start), bytes_read: length, row_groups: 0 };
    }
    let mut s = FileSplit { file, start, length, rows: 0, bytes_read: 0, row_groups: 0 };
    for g in &f.row_group_layout {
        let anchor = if format == "orc" { g.start } else { g.start.saturating_add(g.bytes / 2) };
        if start <= anchor && anchor < end {
            s.rows += g.rows;
            s.bytes_read += g.bytes;
            s.row_groups += 1;
        }
    }
    s
}
