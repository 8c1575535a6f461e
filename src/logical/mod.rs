//! Logical plans: types, expressions, plan nodes, their Spark-style text, and size statistics.
//! The analyzer (SQL → logical) lives in `input`; the optimizer rewrites these plans.

pub mod display;
pub mod expr;
pub mod plan;
pub mod stats;
pub mod types;

pub use expr::{Attribute, Expr, ExprId};
pub use plan::LogicalPlan;
pub use types::DataType;
