//! Spark confs: the session's settings with Spark 3.5's defaults, typed getters, and Spark's parsing of
//! byte sizes (`10m`, `64MB`, `-1`) and durations, and how sizes and durations are printed for people.
//! Knows names and defaults only, not what they do.

use std::collections::BTreeMap;

/// Spark 3.5 defaults of the confs Stagecraft models.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("spark.sql.adaptive.enabled", "true"),
    ("spark.sql.shuffle.partitions", "200"),
    ("spark.sql.autoBroadcastJoinThreshold", "10485760b"),
    ("spark.sql.broadcastTimeout", "300"),
    ("spark.sql.join.preferSortMergeJoin", "true"),
    ("spark.sql.shuffledHashJoinFactor", "3"),
    ("spark.sql.adaptive.coalescePartitions.enabled", "true"),
    ("spark.sql.adaptive.coalescePartitions.parallelismFirst", "true"),
    ("spark.sql.adaptive.coalescePartitions.minPartitionSize", "1MB"),
    ("spark.sql.adaptive.advisoryPartitionSizeInBytes", "64MB"),
    ("spark.sql.adaptive.skewJoin.enabled", "true"),
    ("spark.sql.adaptive.skewJoin.skewedPartitionFactor", "5.0"),
    ("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "256MB"),
    ("spark.sql.adaptive.forceOptimizeSkewedJoin", "false"),
    ("spark.sql.adaptive.localShuffleReader.enabled", "true"),
    ("spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold", "0b"),
    ("spark.sql.adaptive.nonEmptyPartitionRatioForBroadcastJoin", "0.2"),
    ("spark.sql.adaptive.optimizeSkewsInRebalancePartitions.enabled", "true"),
    ("spark.sql.adaptive.rebalancePartitionsSmallPartitionFactor", "0.2"),
    ("spark.sql.files.maxPartitionBytes", "128MB"),
    ("spark.sql.files.openCostInBytes", "4MB"),
    ("spark.sql.optimizer.dynamicPartitionPruning.enabled", "true"),
    ("spark.sql.optimizer.dynamicPartitionPruning.reuseBroadcastOnly", "true"),
    ("spark.sql.optimizer.runtime.bloomFilter.enabled", "true"),
    ("spark.sql.cbo.enabled", "false"),
    ("spark.sql.exchange.reuse", "true"),
    ("spark.sql.subquery.reuse", "true"),
    ("spark.sql.codegen.wholeStage", "true"),
    ("spark.sql.limit.initialNumPartitions", "1"),
    ("spark.sql.limit.scaleUpFactor", "4"),
    ("spark.sql.optimizer.windowGroupLimitThreshold", "1000"),
    ("spark.sql.execution.topKSortFallbackThreshold", "2147483632"),
    ("spark.sql.defaultSizeInBytes", "9223372036854775807"),
    ("spark.sql.session.timeZone", "UTC"),
    ("spark.sql.inMemoryColumnarStorage.compressed", "true"),
    ("spark.task.cpus", "1"),
    ("spark.task.maxFailures", "4"),
    ("spark.stage.maxConsecutiveAttempts", "4"),
    ("spark.locality.wait", "3s"),
    ("spark.speculation", "false"),
    ("spark.speculation.interval", "100ms"),
    ("spark.speculation.multiplier", "1.5"),
    ("spark.speculation.quantile", "0.75"),
    ("spark.speculation.minTaskRuntime", "100ms"),
    ("spark.memory.fraction", "0.6"),
    ("spark.memory.storageFraction", "0.5"),
    ("spark.shuffle.sort.bypassMergeThreshold", "200"),
    ("spark.scheduler.mode", "FIFO"),
];

/// The session's confs: explicit settings over Spark 3.5's defaults. Keys are case-sensitive, as in Spark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparkConf {
    set: BTreeMap<String, String>,
}

impl SparkConf {
    pub fn new(settings: &BTreeMap<String, String>) -> SparkConf {
        SparkConf { set: settings.clone() }
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.set.insert(key.to_string(), value.to_string());
    }

    /// The explicitly set confs (what differs from the defaults), in key order.
    pub fn explicit(&self) -> &BTreeMap<String, String> {
        &self.set
    }

    /// The raw value: explicit, else Spark's default, else `None`.
    pub fn get(&self, key: &str) -> Option<&str> {
        if let Some(v) = self.set.get(key) {
            return Some(v.as_str());
        }
        // spark.sql.adaptive.autoBroadcastJoinThreshold falls back to the static threshold.
        if key == "spark.sql.adaptive.autoBroadcastJoinThreshold" {
            return self.get("spark.sql.autoBroadcastJoinThreshold");
        }
        if key == "spark.sql.adaptive.coalescePartitions.initialPartitionNum" {
            return self.get("spark.sql.shuffle.partitions");
        }
        DEFAULTS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    pub fn get_bool(&self, key: &str) -> bool {
        self.get(key).map(|v| v.trim().eq_ignore_ascii_case("true")).unwrap_or(false)
    }

    pub fn get_i64(&self, key: &str) -> i64 {
        self.get(key).and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0)
    }

    pub fn get_f64(&self, key: &str) -> f64 {
        self.get(key).and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(0.0)
    }

    /// A byte size as Spark's `bytesConf` reads it (plain numbers are bytes; `-1` stays -1).
    pub fn get_bytes(&self, key: &str) -> i64 {
        self.get(key).and_then(parse_bytes).unwrap_or(0)
    }

    /// A duration in ms as Spark's `timeConf` reads it (plain numbers are ms for Spark's ms confs,
    /// seconds for `spark.sql.broadcastTimeout`).
    pub fn get_ms(&self, key: &str) -> u64 {
        let plain_unit_ms = if key == "spark.sql.broadcastTimeout" { 1000 } else { 1 };
        self.get(key).and_then(|v| parse_duration_ms(v, plain_unit_ms)).unwrap_or(0)
    }

    pub fn aqe_enabled(&self) -> bool {
        self.get_bool("spark.sql.adaptive.enabled")
    }
    pub fn shuffle_partitions(&self) -> u32 {
        self.get_i64("spark.sql.shuffle.partitions").clamp(1, i32::MAX as i64) as u32
    }
    pub fn broadcast_threshold(&self) -> i64 {
        self.get_bytes("spark.sql.autoBroadcastJoinThreshold")
    }
    pub fn adaptive_broadcast_threshold(&self) -> i64 {
        self.get_bytes("spark.sql.adaptive.autoBroadcastJoinThreshold")
    }
}

/// Parses a byte size the way Spark's `JavaUtils.byteStringAsBytes` does: a number with an optional unit
/// `b, k/kb, m/mb, g/gb, t/tb, p/pb` (binary multiples, case-insensitive). `-1` is kept.
pub fn parse_bytes(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_lowercase();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))?;
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim() {
        "b" => 1.0,
        "k" | "kb" | "kib" => 1024.0,
        "m" | "mb" | "mib" => 1024.0 * 1024.0,
        "g" | "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tb" | "tib" => 1024f64.powi(4),
        "p" | "pb" | "pib" => 1024f64.powi(5),
        _ => return None,
    };
    Some((n * mult) as i64)
}

/// Parses `100ms`, `3s`, `2min`, `1h`; a plain number is `plain_unit_ms` each.
pub fn parse_duration_ms(text: &str, plain_unit_ms: u64) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    if let Ok(n) = t.parse::<u64>() {
        return Some(n * plain_unit_ms);
    }
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match unit.trim() {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" | "min" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    Some((n * mult) as u64)
}

/// Spark's `Utils.bytesToString`: `10.7 MiB`, `23.9 TiB`, `916.0 B`.
pub fn bytes_to_string(size: u128) -> String {
    const UNITS: [(&str, u32); 6] = [("EiB", 60), ("PiB", 50), ("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        let base = 1u128 << shift;
        if size >= 2 * base {
            return format!("{:.1} {}", size as f64 / base as f64, unit);
        }
    }
    format!("{:.1} B", size as f64)
}

/// For people (the page, interview answers): `1.2 s`, `340 ms`, `2.5 min`.
pub fn fmt_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 120_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{:.1} min", ms as f64 / 60_000.0)
    }
}

/// For people, Spark-UI style: `512 B`, `3.4 KiB`, `1.2 MiB`, `2.0 GiB`.
pub fn fmt_bytes(b: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u < 4 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", units[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes_parse_like_spark() {
        assert_eq!(parse_bytes("8m"), Some(8 * 1024 * 1024));
        assert_eq!(parse_bytes("64MB"), Some(64 * 1024 * 1024));
        assert_eq!(parse_bytes("-1"), Some(-1));
        assert_eq!(parse_bytes("10485760b"), Some(10485760));
        assert_eq!(parse_bytes("nonsense"), None);
    }

    #[test]
    fn defaults_and_fallbacks() {
        let c = SparkConf::default();
        assert!(c.aqe_enabled());
        assert_eq!(c.shuffle_partitions(), 200);
        assert_eq!(c.broadcast_threshold(), 10 * 1024 * 1024);
        let mut c2 = c.clone();
        c2.set("spark.sql.autoBroadcastJoinThreshold", "-1");
        assert_eq!(c2.adaptive_broadcast_threshold(), -1);
        assert_eq!(c.get_ms("spark.locality.wait"), 3000);
    }

    #[test]
    fn bytes_to_string_matches_spark() {
        assert_eq!(bytes_to_string(11269314), "10.7 MiB");
        assert_eq!(bytes_to_string(916), "916.0 B");
    }
}
