//! The values a PySpark snippet's names can hold while it is lowered: Python literals and containers,
//! the Spark entry points (`spark`, `spark.read`, `sc`, `F`, `Window`, `StorageLevel`), DataFrames (as
//! analyzed plans), grouped data, writers, Columns, window specs, RDD handles, UDFs, bound methods and
//! lambdas — plus Python truthiness and kind names for messages. Knows no Spark semantics of its own.

use super::columns::{Col, UdfInfo, WinSpec};
use crate::error::Span;
use crate::input::pyspark::ast;
use crate::logical::plan::{LogicalPlan, StorageLevel};
use crate::logical::types::DataType;
use std::rc::Rc;

/// A DataFrame: its analyzed logical plan.
#[derive(Debug, Clone)]
pub struct Df {
    pub plan: LogicalPlan,
}

/// `df.groupBy(...)` (optionally `.pivot(...)`), waiting for its aggregation.
#[derive(Debug, Clone)]
pub struct Grouped {
    pub df: Df,
    pub keys: Vec<Col>,
    /// `pivot(col, values)`: the pivot column and its values (Python literals).
    pub pivot: Option<(Col, Vec<(super::columns::PyLit, Span)>)>,
}

/// `df.write` with its settings so far.
#[derive(Debug, Clone)]
pub struct Writer {
    pub df: Df,
    pub mode: Option<String>,
    pub format: Option<String>,
    pub partition_by: Vec<(String, Span)>,
    pub bucket_by: Option<Span>,
}

/// `spark.read` with its settings so far.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    pub format: Option<String>,
}

/// A Python lambda: parameters and body, evaluated on call (DataFrame code) or kept opaque (RDD code).
#[derive(Debug, Clone)]
pub struct Lambda {
    pub params: Vec<String>,
    pub body: ast::Expr,
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// The SparkSession.
    Spark,
    /// `SparkSession.builder...` (anything until `getOrCreate()`).
    Builder,
    Reader(Reader),
    /// `spark.conf`.
    Conf,
    /// `spark.catalog`.
    Catalog,
    /// The SparkContext.
    Sc,
    /// An imported module by its dotted name (`pyspark.sql.functions`).
    Module(String),
    /// A `pyspark.sql.functions` function.
    FFunc(String),
    /// A `pyspark.sql.types` constructor (`IntegerType`, `StructField`, ...).
    TypeCtor(String),
    /// `StructField(name, type)` (nullability is not modelled).
    Field(String, DataType),
    DType(DataType),
    /// The `Window` class.
    WindowCls,
    WindowSpec(Rc<WinSpec>),
    /// The `StorageLevel` class.
    StorageLevelCls,
    /// A storage level: the JVM level a DataFrame gets, and the Python name for messages.
    Level(Option<StorageLevel>, String),
    Df(Df),
    Grouped(Box<Grouped>),
    Column(Col),
    Writer(Box<Writer>),
    /// `df.write` format-specific options are accepted and ignored; `df.na` and friends are refused.
    Rdd(usize),
    Udf(Rc<UdfInfo>),
    /// `F.udf(returnType=...)` / `@pandas_udf("double")` waiting for the function.
    UdfFactory { return_type: DataType, pandas: bool },
    Lambda(Rc<Lambda>),
    /// `obj.method`, waiting for its call.
    Method(Box<Value>, String),
    /// A Python builtin (`range`, `len`, `print`, `reduce`).
    Builtin(String),
    /// What an action returned (rows, counts): unknown until Spark runs.
    Opaque(String),
}

impl Value {
    /// The Python/PySpark type name, for messages.
    pub fn kind(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::List(_) => "list".into(),
            Value::Tuple(_) => "tuple".into(),
            Value::Dict(_) => "dict".into(),
            Value::Spark => "SparkSession".into(),
            Value::Builder => "SparkSession.Builder".into(),
            Value::Reader(_) => "DataFrameReader".into(),
            Value::Conf => "RuntimeConfig".into(),
            Value::Catalog => "Catalog".into(),
            Value::Sc => "SparkContext".into(),
            Value::Module(m) => format!("module '{m}'"),
            Value::FFunc(f) => format!("function {f}"),
            Value::TypeCtor(t) => format!("type {t}"),
            Value::Field(..) => "StructField".into(),
            Value::DType(t) => format!("DataType {t}"),
            Value::WindowCls => "Window".into(),
            Value::WindowSpec(_) => "WindowSpec".into(),
            Value::StorageLevelCls => "StorageLevel".into(),
            Value::Level(_, n) => format!("StorageLevel.{n}"),
            Value::Df(_) => "DataFrame".into(),
            Value::Grouped(_) => "GroupedData".into(),
            Value::Column(_) => "Column".into(),
            Value::Writer(_) => "DataFrameWriter".into(),
            Value::Rdd(_) => "RDD".into(),
            Value::Udf(_) => "UserDefinedFunction".into(),
            Value::UdfFactory { .. } => "udf decorator".into(),
            Value::Lambda(_) => "function".into(),
            Value::Method(_, m) => format!("method {m}"),
            Value::Builtin(b) => format!("builtin {b}"),
            Value::Opaque(what) => what.clone(),
        }
    }

    /// Python truthiness of a plain Python value; `None` when it has none we know (Columns, results).
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(v) | Value::Tuple(v) => !v.is_empty(),
            Value::Dict(v) => !v.is_empty(),
            Value::Column(_) | Value::Opaque(_) => return None,
            _ => true,
        })
    }

    /// Python's `str(x)` for plain values.
    pub fn py_str(&self) -> Option<String> {
        Some(match self {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 1e16 {
                    format!("{f:.1}")
                } else {
                    format!("{f}")
                }
            }
            Value::Str(s) => s.clone(),
            Value::List(v) => format!("[{}]", v.iter().map(|x| x.py_repr()).collect::<Option<Vec<_>>>()?.join(", ")),
            Value::Tuple(v) => format!("({})", v.iter().map(|x| x.py_repr()).collect::<Option<Vec<_>>>()?.join(", ")),
            _ => return None,
        })
    }

    fn py_repr(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(format!("'{s}'")),
            other => other.py_str(),
        }
    }
}
