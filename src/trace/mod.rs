//! trace (being written).
