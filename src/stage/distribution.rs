//! How a shuffle's bytes spread over its reduce partitions and map tasks, as AQE sees them in
//! `MapOutputStatistics`: hash partitioning sends each hot value (catalog `top_values`) whole to the
//! partition `pmod(murmur3(value, 42), n)` (its rows weigh `(row − key) / row` bytes of an ordinary
//! row: compression all but removes the repeated key) and spreads the other rows evenly over the
//! partitions their distinct keys reach; range and round-robin partitioning are even; every map task writes its share
//! of each partition in proportion to the rows it read (scan tasks that read no row group write
//! nothing). Block sizes are rounded as `MapStatus` stores them: `CompressedMapStatus` keeps
//! `1.1^ceil(log1.1(bytes))`; above `spark.shuffle.minNumPartitionsToHighlyCompress` (2000) partitions
//! `HighlyCompressedMapStatus` keeps blocks over `spark.shuffle.accurateBlockThreshold` and reports the
//! average for the rest. Also the fallbacks `schedule` reads shuffles with: a block's framing bytes
//! (`SHUFFLE_BLOCK_BYTES`) and near-equal contiguous groups of partitions (`coalesce_groups`, for
//! `coalesce(n)` and coalesced reads without per-task sizes). Knows plans, the data model and confs;
//! nothing of time.

use super::estimate::Model;
use crate::conf::SparkConf;
use crate::logical::expr::Expr;
use crate::logical::types::DataType;
use crate::physical::partitioning::Partitioning;
use crate::physical::plan::{Op, SparkPlan};

/// `MapStatus.compressSize` then `decompressSize`: the size a block is reported with.
pub fn mapstatus_size(bytes: f64) -> u64 {
    if bytes <= 0.0 {
        0
    } else if bytes <= 1.0 {
        1
    } else {
        let n = (bytes.ln() / 1.1f64.ln()).ceil().min(255.0);
        1.1f64.powf(n) as u64
    }
}

/// The map output statistics of one shuffle: per reduce partition bytes, and the weights of the map
/// tasks (their share of the rows), from which each block's size follows.
#[derive(Debug, Clone, PartialEq)]
pub struct ShuffleSizes {
    /// Real (unrounded) compressed bytes per reduce partition.
    pub partition_bytes: Vec<f64>,
    /// Each map task's share of the rows (sums to 1; zero for tasks that read nothing).
    pub map_weights: Vec<f64>,
    /// `HighlyCompressedMapStatus` (more than 2000 partitions): small blocks reported as an average.
    pub highly_compressed: bool,
    /// `spark.shuffle.accurateBlockThreshold`.
    pub accurate_threshold: f64,
}

impl ShuffleSizes {
    /// Block size of map `m`, reduce partition `p`, as MapStatus reports it.
    pub fn block(&self, m: usize, p: usize) -> u64 {
        self.block_with(m, p, None)
    }

    /// `HighlyCompressedMapStatus.avgSize` of map task `m`: the mean of its non-empty blocks under the
    /// accurate-block threshold.
    fn small_average(&self, m: usize) -> u64 {
        let w = self.map_weights.get(m).copied().unwrap_or(0.0);
        let (sum, count) = self
            .partition_bytes
            .iter()
            .map(|b| b * w)
            .filter(|b| *b > 0.0 && *b < self.accurate_threshold)
            .fold((0.0, 0u64), |(s, c), b| (s + b, c + 1));
        if count == 0 {
            0
        } else {
            (sum / count as f64) as u64
        }
    }

    fn block_with(&self, m: usize, p: usize, average: Option<u64>) -> u64 {
        let w = self.map_weights.get(m).copied().unwrap_or(0.0);
        let real = self.partition_bytes.get(p).copied().unwrap_or(0.0) * w;
        if self.highly_compressed && real < self.accurate_threshold {
            if real <= 0.0 {
                return 0;
            }
            return average.unwrap_or_else(|| self.small_average(m));
        }
        mapstatus_size(real)
    }

    /// Sizes of reduce partition `p`'s blocks, one per map task (`getMapSizesForReduceId`).
    pub fn map_sizes(&self, p: usize) -> Vec<u64> {
        (0..self.map_weights.len()).map(|m| self.block(m, p)).collect()
    }

    /// `MapOutputStatistics.bytesByPartitionId`: the reported block sizes summed over map tasks.
    pub fn bytes_by_partition(&self) -> Vec<u64> {
        // Map tasks with equal weights report equal blocks: (a representative map task, how many).
        let mut groups: Vec<(usize, u64)> = vec![];
        for (m, w) in self.map_weights.iter().enumerate() {
            match groups.iter_mut().find(|(g, _)| self.map_weights[*g].to_bits() == w.to_bits()) {
                Some(g) => g.1 += 1,
                None => groups.push((m, 1)),
            }
        }
        let averages: Vec<Option<u64>> = groups.iter().map(|(m, _)| if self.highly_compressed { Some(self.small_average(*m)) } else { None }).collect();
        (0..self.partition_bytes.len()).map(|p| groups.iter().zip(&averages).map(|((m, n), a)| self.block_with(*m, p, *a) * n).sum()).collect()
    }

    pub fn num_partitions(&self) -> usize {
        self.partition_bytes.len()
    }
    pub fn num_maps(&self) -> usize {
        self.map_weights.len()
    }
}

/// The map output statistics of a shuffle exchange (`ex` is the `ShuffleExchange` node) with
/// `maps` map tasks.
pub fn shuffle_sizes(model: &Model, ex: &SparkPlan, maps: u32, conf: &SparkConf) -> ShuffleSizes {
    let child = &ex.children[0];
    let total = model.shuffle_bytes(child);
    let keys = hash_keys(ex).map(|(k, _)| k).unwrap_or(&[]);
    let n = exchange_partitions(ex).max(1);
    // Shares of the rows: each hot value whole in its partition, the rest spread evenly. A hot
    // value's rows repeat the key, which compression all but removes: they weigh
    // (row − key) / row of an ordinary row's bytes.
    let mut hot: Vec<(usize, f64)> = vec![];
    let mut rest_rows = 1.0;
    let mut hot_weight = 1.0;
    if let Some((attr, values)) = hot_values(model, ex) {
        let row = model.row_bytes(&child.output()).max(1.0);
        let key = model.row_bytes(std::slice::from_ref(&attr)) - 8.0;
        hot_weight = ((row - key) / row).clamp(0.1, 1.0);
        for v in values {
            hot.push((v.partition, v.fraction));
            rest_rows -= v.fraction;
        }
    }
    let rest_rows = rest_rows.max(0.0);
    let weight_total = hot.iter().map(|(_, f)| f * hot_weight).sum::<f64>() + rest_rows;
    let per_unit = if weight_total > 0.0 { total / weight_total } else { 0.0 };
    let mut bytes = vec![0.0; n];
    for (p, f) in &hot {
        bytes[*p] += f * hot_weight * per_unit;
    }
    let rest = rest_rows * per_unit;
    // Partitions the other keys reach: n·(1 − (1 − 1/n)^d) for d distinct keys.
    let d = if keys.is_empty() { f64::INFINITY } else { keys.iter().map(|k| model.distinct_of(k)).product::<f64>() };
    let reached = if d.is_finite() { ((n as f64) * (1.0 - (1.0 - 1.0 / n as f64).powf(d))).round().clamp(1.0, n as f64) as usize } else { n };
    for i in 0..reached {
        bytes[i * n / reached] += rest / reached as f64;
    }
    let maps = maps.max(1) as usize;
    let map_weights = scan_weights(model, child, maps, conf).unwrap_or_else(|| vec![1.0 / maps as f64; maps]);
    ShuffleSizes {
        partition_bytes: bytes,
        map_weights,
        highly_compressed: n > highly_compress_from(conf),
        accurate_threshold: accurate_block_threshold(conf) as f64,
    }
}

/// A hot value of a hash shuffle's key column (catalog `top_values`): its share of the rows and the
/// reduce partition that receives all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct HotValue {
    pub value: String,
    pub fraction: f64,
    pub partition: usize,
}

/// `HashPartitioning.partitionIdExpression`, `pmod(murmur3hash(key, 42), n)`, of one key value given
/// as text (`None` for types `hash_value` does not hash).
pub fn hash_partition(text: &str, dtype: &DataType, n: usize) -> Option<usize> {
    hash_value(text, dtype).map(|h| i64::from(h).rem_euclid(n.max(1) as i64) as usize)
}

/// The key expressions and partition count of a hash-partitioned shuffle exchange.
pub fn hash_keys(ex: &SparkPlan) -> Option<(&[Expr], usize)> {
    match &ex.op {
        Op::ShuffleExchange { partitioning: Partitioning::Hash { exprs, n }, .. } => Some((exprs, (*n).max(1) as usize)),
        _ => None,
    }
}

fn exchange_partitions(ex: &SparkPlan) -> usize {
    match &ex.op {
        Op::ShuffleExchange { partitioning, .. } => partitioning.num_partitions() as usize,
        _ => 1,
    }
}

/// The hot values of a hash shuffle's key, each in its reduce partition, with the key's attribute:
/// `None` unless the shuffle hashes one column the rows still carry from a catalog table's scan.
pub fn hot_values(model: &Model, ex: &SparkPlan) -> Option<(crate::logical::expr::Attribute, Vec<HotValue>)> {
    let (keys, n) = hash_keys(ex)?;
    let [key] = keys else { return None };
    let (col, attr) = key_column(model, ex.children.first()?, key)?;
    let hot = col
        .top_values
        .iter()
        .filter_map(|t| Some(HotValue { value: t.value.clone(), fraction: t.fraction, partition: hash_partition(&t.value, &attr.dtype, n)? }))
        .collect();
    Some((attr, hot))
}

/// Bytes a map task writes per non-empty reduce block beyond its rows (compression frame and stream
/// headers). Corpus: partial `count(*)` map tasks writing one row write 59 bytes; 5-row blocks ~80.
pub const SHUFFLE_BLOCK_BYTES: f64 = 50.0;

/// `n` partitions grouped into `m` contiguous ranges of near-equal partition counts (AQE coalesced reads,
/// `coalesce(m)`).
pub fn coalesce_groups(n: u32, m: u32) -> Vec<std::ops::Range<usize>> {
    let n = n as usize;
    let m = (m as usize).clamp(1, n.max(1));
    let (base, extra) = (n / m, n % m);
    let mut out = Vec::with_capacity(m);
    let mut start = 0;
    for g in 0..m {
        let len = base + usize::from(g < extra);
        out.push(start..(start + len).min(n));
        start += len;
    }
    out
}

/// `spark.shuffle.minNumPartitionsToHighlyCompress` (default 2000).
fn highly_compress_from(conf: &SparkConf) -> usize {
    conf.get("spark.shuffle.minNumPartitionsToHighlyCompress").and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(2000)
}

/// `spark.shuffle.accurateBlockThreshold` (default 100 MiB).
fn accurate_block_threshold(conf: &SparkConf) -> u64 {
    conf.get("spark.shuffle.accurateBlockThreshold").and_then(crate::conf::parse_bytes).filter(|b| *b > 0).map(|b| b as u64).unwrap_or(100 << 20)
}

/// The scan rows reach the exchange from through filters and projections only (so the catalog's hot
/// values still describe them).
fn scan_below(p: &SparkPlan) -> Option<&crate::physical::plan::FileSourceScan> {
    match &p.op {
        Op::FileSourceScan(s) => Some(s),
        Op::Filter { .. } | Op::Project { .. } | Op::ColumnarToRow | Op::InputAdapter | Op::WholeStageCodegen { .. } => scan_below(p.children.first()?),
        _ => None,
    }
}

/// The catalog column a hash key reads, in the table of the scan below.
fn key_column<'m>(model: &Model<'m>, child: &SparkPlan, key: &Expr) -> Option<(&'m crate::scenario::Column, crate::logical::expr::Attribute)> {
    let scan = scan_below(child)?;
    let table = model.scenario.table(&scan.table)?;
    match key.unalias() {
        Expr::Attr(a) if scan.output.iter().any(|o| o.id == a.id) => {
            table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(&a.name)).map(|c| (c, a.clone()))
        }
        _ => None,
    }
}

/// Each map task's share of the rows when the map stage reads a file scan directly.
fn scan_weights(model: &Model, p: &SparkPlan, maps: usize, conf: &SparkConf) -> Option<Vec<f64>> {
    match &p.op {
        Op::FileSourceScan(s) => {
            if s.files_selected != s.files_total {
                return None;
            }
            let t = model.scenario.table(&s.table)?;
            let files: Vec<&crate::scenario::DataFile> = t.files.iter().collect();
            let parts = crate::physical::scan_partitions::plan_format_file_partitions(
                &t.format.to_ascii_lowercase(),
                &files,
                conf,
                model.scenario.cluster.default_parallelism(),
            );
            let rows = parts.rows();
            if parts.len() != maps || rows == 0 {
                return None;
            }
            Some(parts.partitions.iter().map(|q| q.rows as f64 / rows as f64).collect())
        }
        Op::Filter { .. } | Op::Project { .. } | Op::ColumnarToRow | Op::InputAdapter | Op::WholeStageCodegen { .. } => {
            scan_weights(model, p.children.first()?, maps, conf)
        }
        _ => None,
    }
}

/// Spark's `Murmur3Hash(key, 42)` of a value given as text, for the types hot values come in.
pub fn hash_value(text: &str, dtype: &DataType) -> Option<i32> {
    const SEED: u32 = 42;
    match dtype {
        DataType::Int | DataType::Short | DataType::Byte => text.trim().parse::<i32>().ok().map(|v| murmur3_int(v as u32, SEED) as i32),
        // A date hashes as its day number since 1970-01-01.
        DataType::Date => epoch_day(text).map(|d| murmur3_int(d as u32, SEED) as i32),
        DataType::Long => text.trim().parse::<i64>().ok().map(|v| murmur3_long(v as u64, SEED) as i32),
        DataType::Boolean => match text.trim() {
            "true" => Some(murmur3_int(1, SEED) as i32),
            "false" => Some(murmur3_int(0, SEED) as i32),
            _ => None,
        },
        DataType::String => Some(murmur3_bytes(text.as_bytes(), SEED) as i32),
        _ => None,
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
fn epoch_day(text: &str) -> Option<i32> {
    let mut it = text.trim().splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.get(..2)?.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

fn mix_k1(k: u32) -> u32 {
    k.wrapping_mul(0xcc9e_2d51).rotate_left(15).wrapping_mul(0x1b87_3593)
}

fn mix_h1(h: u32, k: u32) -> u32 {
    (h ^ k).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64)
}

fn fmix(mut h: u32, len: u32) -> u32 {
    h ^= len;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// `Murmur3_x86_32.hashInt`.
pub fn murmur3_int(v: u32, seed: u32) -> u32 {
    fmix(mix_h1(seed, mix_k1(v)), 4)
}

/// `Murmur3_x86_32.hashLong`.
pub fn murmur3_long(v: u64, seed: u32) -> u32 {
    let h = mix_h1(seed, mix_k1(v as u32));
    fmix(mix_h1(h, mix_k1((v >> 32) as u32)), 8)
}

/// `Murmur3_x86_32.hashUnsafeBytes` (Spark's variant: trailing bytes mixed one at a time, signed).
pub fn murmur3_bytes(b: &[u8], seed: u32) -> u32 {
    let aligned = b.len() - b.len() % 4;
    let mut h = seed;
    for c in b[..aligned].chunks(4) {
        h = mix_h1(h, mix_k1(u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
    }
    for &x in &b[aligned..] {
        h = mix_h1(h, mix_k1(x as i8 as i32 as u32));
    }
    fmix(h, b.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_contiguous_and_cover_everything() {
        let g = coalesce_groups(200, 3);
        assert_eq!(g, vec![0..67, 67..134, 134..200]);
        assert_eq!(coalesce_groups(5, 9).len(), 5);
    }

    #[test]
    fn mapstatus_rounds_up_to_powers_of_1_1() {
        // The corpus's hot block: 1.1^159.
        assert_eq!(mapstatus_size(3_700_000.0), 3_814_494);
        assert_eq!(mapstatus_size(3_814_494.0), 3_814_494);
        assert_eq!(mapstatus_size(0.0), 0);
        assert_eq!(mapstatus_size(1.0), 1);
    }

    #[test]
    fn highly_compressed_status_reports_the_average_of_small_blocks() {
        let s = ShuffleSizes { partition_bytes: vec![0.0, 100.0, 300.0, 200e6], map_weights: vec![1.0], highly_compressed: true, accurate_threshold: 100e6 };
        // Small non-empty blocks: the average 200; the 200 MB block kept (rounded); empty stays empty.
        assert_eq!(s.map_sizes(1), vec![200]);
        assert_eq!(s.map_sizes(0), vec![0]);
        assert_eq!(s.bytes_by_partition()[2], 200);
        assert_eq!(s.bytes_by_partition()[3], mapstatus_size(200e6));
        let plain = ShuffleSizes { highly_compressed: false, map_weights: vec![0.5, 0.5], ..s };
        assert_eq!(plain.bytes_by_partition()[1], 2 * mapstatus_size(50.0));
    }

    #[test]
    fn dates_are_day_numbers() {
        assert_eq!(epoch_day("1970-01-01"), Some(0));
        assert_eq!(epoch_day("2024-06-07"), Some(19881));
        assert_eq!(epoch_day("1969-12-31"), Some(-1));
        assert_eq!(epoch_day("June"), None);
    }

    #[test]
    fn murmur3_matches_spark() {
        // Spark: SELECT hash(0), hash(1), hash('a') → 933211791, -559580957, -1277290089... (seed 42)
        assert_eq!(murmur3_int(0, 42) as i32, 933211791);
        assert_eq!(murmur3_int(1, 42) as i32, -559580957);
        // The corpus's skewed join puts its hot key 4242 in partition 167 of 200 (event log of
        // p_aqe_skew_join__aqe_off).
        assert_eq!(hash_partition("4242", &DataType::Int, 200), Some(167));
        // pmod, not %: a negative hash still lands in [0, n).
        assert_eq!(hash_value("1", &DataType::Int), Some(-559580957));
        assert_eq!(hash_partition("1", &DataType::Int, 200), Some((-559580957i64).rem_euclid(200) as usize));
        assert_eq!(hash_partition("x", &DataType::Double, 200), None);
    }
}
