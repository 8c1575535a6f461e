//! optimizer (being written).
