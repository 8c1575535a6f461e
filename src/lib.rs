//! Stagecraft: a Spark 3.5 execution visualiser.
//!
//! ```text
//!  scenario (cluster, confs, catalog, query)
//!     │  input::sql / input::pyspark / input::ddl
//!     ▼
//!  logical::LogicalPlan  (analyzed: resolved attributes, types)
//!     │  optimizer (Catalyst-style batches, one file per rule, per-rule trace)
//!     ▼
//!  optimized LogicalPlan (+ logical::stats: sizeInBytes as Spark computes it without CBO)
//!     │  physical (strategies, JoinSelection, EnsureRequirements, codegen, reuse)
//!     ▼
//!  physical::SparkPlan ── EXPLAIN (simple / extended / formatted / cost)
//!     │  stage (DAG cut at exchanges, jobs) ──► sim (deterministic scheduler, AQE) ──► trace
//!     ▼
//!  report (the fidelity JSON) · view (Yew, wasm32 only)
//! ```
//! `pipeline` is the only module that calls every phase in order.

pub mod conf;
pub mod error;
pub mod examples;
pub mod export;
pub mod input;
pub mod interview;
pub mod limits;
pub mod logical;
pub mod optimizer;
pub mod physical;
pub mod pipeline;
pub mod plan_graph;
pub mod stage_graph;
pub mod report;
pub mod scenario;
pub mod select;
pub mod share;
pub mod sim;
pub mod sort;
pub mod stage;
pub mod trace;

#[cfg(target_arch = "wasm32")]
pub mod view;
