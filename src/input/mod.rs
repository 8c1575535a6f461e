//! Input frontends: SQL (hand-written Spark SQL parser + analyzer), catalog DDL, built-in catalogs, PySpark snippets.
//! Each turns text into scenario data or resolved logical plans, with positioned errors.

pub mod catalogs;
pub mod ddl;
pub mod pyspark;
pub mod sql;
