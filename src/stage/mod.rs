//! stage (being written).
