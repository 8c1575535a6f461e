//! The simulation report (being written).
