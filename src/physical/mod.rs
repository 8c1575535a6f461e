//! physical (being written).
pub mod scan_partitions;
