//! Spark SQL data types: names as Spark prints them (`int`, `bigint`, `decimal(15,2)`), `defaultSize`
//! (the row-width figure size estimation uses), numeric widening for type coercion. Knows no values.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataType {
    Null,
    Boolean,
    Byte,
    Short,
    Int,
    Long,
    Float,
    Double,
    Decimal(u8, u8),
    String,
    Binary,
    Date,
    Timestamp,
    Array(Box<DataType>),
    Map(Box<DataType>, Box<DataType>),
    Struct(Vec<(String, DataType)>),
}

impl DataType {
    /// Spark's `DataType.defaultSize`: the per-value width that size estimation multiplies by.
    pub fn default_size(&self) -> u64 {
        match self {
            DataType::Null | DataType::Boolean | DataType::Byte => 1,
            DataType::Short => 2,
            DataType::Int | DataType::Float | DataType::Date => 4,
            DataType::Long | DataType::Double | DataType::Timestamp => 8,
            DataType::Decimal(p, _) => {
                if *p <= 18 {
                    8
                } else {
                    16
                }
            }
            DataType::String | DataType::Binary => 20,
            DataType::Array(e) => e.default_size(),
            DataType::Map(k, v) => k.default_size() + v.default_size(),
            DataType::Struct(fields) => fields.iter().map(|(_, t)| t.default_size()).sum(),
        }
    }

    /// Parses a Spark SQL type name (`int`, `integer`, `long`, `varchar(10)`, `array<string>`, ...).
    pub fn parse(name: &str) -> Option<DataType> {
        let n = name.trim().to_ascii_lowercase();
        let n = n.as_str();
        Some(match n {
            "boolean" | "bool" => DataType::Boolean,
            "tinyint" | "byte" => DataType::Byte,
            "smallint" | "short" => DataType::Short,
            "int" | "integer" => DataType::Int,
            "bigint" | "long" => DataType::Long,
            "float" | "real" => DataType::Float,
            "double" | "double precision" => DataType::Double,
            "string" | "text" => DataType::String,
            "binary" => DataType::Binary,
            "date" => DataType::Date,
            "timestamp" | "timestamp_ltz" | "timestamp_ntz" => DataType::Timestamp,
            "decimal" | "dec" | "numeric" => DataType::Decimal(10, 0),
            "void" | "null" => DataType::Null,
            _ => {
                if let Some(inner) = strip_wrapped(n, "array<", ">") {
                    return Some(DataType::Array(Box::new(DataType::parse(inner)?)));
                }
                if let Some(inner) = strip_wrapped(n, "map<", ">") {
                    let (k, v) = split_top_comma(inner)?;
                    return Some(DataType::Map(Box::new(DataType::parse(k)?), Box::new(DataType::parse(v)?)));
                }
                if let Some(inner) = strip_wrapped(n, "struct<", ">") {
                    let mut fields = vec![];
                    let mut rest = inner;
                    loop {
                        let (field, tail) = match split_top_comma(rest) {
                            Some((f, t)) => (f, Some(t)),
                            None => (rest, None),
                        };
                        let (fname, ftype) = field.split_once(':')?;
                        fields.push((fname.trim().to_string(), DataType::parse(ftype)?));
                        match tail {
                            Some(t) => rest = t,
                            None => break,
                        }
                    }
                    return Some(DataType::Struct(fields));
                }
                for prefix in ["varchar(", "char("] {
                    if n.starts_with(prefix) && n.ends_with(')') {
                        return Some(DataType::String);
                    }
                }
                for prefix in ["decimal(", "dec(", "numeric("] {
                    if let Some(inner) = strip_wrapped(n, prefix, ")") {
                        let (p, s) = match inner.split_once(',') {
                            Some((p, s)) => (p.trim().parse().ok()?, s.trim().parse().ok()?),
                            None => (inner.trim().parse().ok()?, 0),
                        };
                        if p == 0 || p > 38 || s > p {
                            return None;
                        }
                        return Some(DataType::Decimal(p, s));
                    }
                }
                return None;
            }
        })
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            DataType::Byte
                | DataType::Short
                | DataType::Int
                | DataType::Long
                | DataType::Float
                | DataType::Double
                | DataType::Decimal(..)
        )
    }

    pub fn is_integral(&self) -> bool {
        matches!(self, DataType::Byte | DataType::Short | DataType::Int | DataType::Long)
    }

    /// Rank in Spark's numeric precedence (byte < short < int < long < float < double); decimals between.
    fn numeric_rank(&self) -> u8 {
        match self {
            DataType::Byte => 1,
            DataType::Short => 2,
            DataType::Int => 3,
            DataType::Long => 4,
            DataType::Decimal(..) => 5,
            DataType::Float => 6,
            DataType::Double => 7,
            _ => 0,
        }
    }

    /// The common type two operands are widened to (Spark's `findTightestCommonType` plus the
    /// numeric/string/date promotions of `ImplicitTypeCasts` that binary operators need).
    pub fn common_type(a: &DataType, b: &DataType) -> Option<DataType> {
        if a == b {
            return Some(a.clone());
        }
        match (a, b) {
            (DataType::Null, t) | (t, DataType::Null) => Some(t.clone()),
            (DataType::Decimal(p1, s1), DataType::Decimal(p2, s2)) => {
                let s = (*s1).max(*s2);
                let range = p1.saturating_sub(*s1).max(p2.saturating_sub(*s2));
                Some(DataType::Decimal((range + s).min(38), s))
            }
            (DataType::Decimal(p, s), t) | (t, DataType::Decimal(p, s)) if t.is_integral() => {
                let digits = match t {
                    DataType::Byte => 3,
                    DataType::Short => 5,
                    DataType::Int => 10,
                    _ => 20,
                };
                let range = p.saturating_sub(*s).max(digits);
                Some(DataType::Decimal((range + s).min(38), *s))
            }
            (x, y) if x.is_numeric() && y.is_numeric() => {
                Some(if x.numeric_rank() >= y.numeric_rank() { x.clone() } else { y.clone() })
            }
            (DataType::String, t) | (t, DataType::String) if t.is_numeric() => Some(t.clone()),
            (DataType::String, DataType::Date) | (DataType::Date, DataType::String) => Some(DataType::Date),
            (DataType::String, DataType::Timestamp) | (DataType::Timestamp, DataType::String) => {
                Some(DataType::Timestamp)
            }
            (DataType::Date, DataType::Timestamp) | (DataType::Timestamp, DataType::Date) => {
                Some(DataType::Timestamp)
            }
            (DataType::String, DataType::Boolean) | (DataType::Boolean, DataType::String) => {
                Some(DataType::Boolean)
            }
            _ => None,
        }
    }

    /// Spark's `simpleString`, used in plans and `ReadSchema`.
    pub fn simple_string(&self) -> String {
        self.to_string()
    }
}

fn strip_wrapped<'a>(s: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    s.strip_prefix(prefix)?.strip_suffix(suffix)
}

/// Splits `a, b<c, d>` at its first top-level comma.
fn split_top_comma(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::Null => write!(f, "void"),
            DataType::Boolean => write!(f, "boolean"),
            DataType::Byte => write!(f, "tinyint"),
            DataType::Short => write!(f, "smallint"),
            DataType::Int => write!(f, "int"),
            DataType::Long => write!(f, "bigint"),
            DataType::Float => write!(f, "float"),
            DataType::Double => write!(f, "double"),
            DataType::Decimal(p, s) => write!(f, "decimal({p},{s})"),
            DataType::String => write!(f, "string"),
            DataType::Binary => write!(f, "binary"),
            DataType::Date => write!(f, "date"),
            DataType::Timestamp => write!(f, "timestamp"),
            DataType::Array(e) => write!(f, "array<{e}>"),
            DataType::Map(k, v) => write!(f, "map<{k},{v}>"),
            DataType::Struct(fields) => {
                write!(f, "struct<")?;
                for (i, (n, t)) in fields.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{n}:{t}")?;
                }
                write!(f, ">")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spark_type_names() {
        assert_eq!(DataType::parse("INT"), Some(DataType::Int));
        assert_eq!(DataType::parse("long"), Some(DataType::Long));
        assert_eq!(DataType::parse("decimal(15,2)"), Some(DataType::Decimal(15, 2)));
        assert_eq!(DataType::parse("array<string>"), Some(DataType::Array(Box::new(DataType::String))));
        assert_eq!(
            DataType::parse("struct<a:int,b:map<string,bigint>>").map(|t| t.to_string()),
            Some("struct<a:int,b:map<string,bigint>>".into())
        );
        assert_eq!(DataType::parse("varchar(10)"), Some(DataType::String));
        assert_eq!(DataType::parse("nonsense"), None);
    }

    #[test]
    fn default_sizes_match_spark() {
        assert_eq!(DataType::Int.default_size(), 4);
        assert_eq!(DataType::String.default_size(), 20);
        assert_eq!(DataType::Decimal(15, 2).default_size(), 8);
        assert_eq!(DataType::Decimal(38, 2).default_size(), 16);
    }

    #[test]
    fn numeric_widening() {
        assert_eq!(DataType::common_type(&DataType::Int, &DataType::Double), Some(DataType::Double));
        assert_eq!(DataType::common_type(&DataType::Int, &DataType::Long), Some(DataType::Long));
        assert_eq!(DataType::common_type(&DataType::Date, &DataType::String), Some(DataType::Date));
    }
}
