//! Plain-text views of the few sqlparser AST pieces the analyzer needs as text (identifiers, data
//! types, literal values, operators) without calling sqlparser's `Display` implementations: one
//! `to_string()` on an AST node links the printer of the whole AST (about 200 KB of wasm). Knows the
//! AST shapes only; no resolution.

use crate::logical::types::DataType;
use sqlparser::ast;

/// The identifier text of one part of a (possibly qualified) name, unquoted.
pub fn part(p: &ast::ObjectNamePart) -> String {
    match p {
        ast::ObjectNamePart::Identifier(id) => id.value.clone(),
        ast::ObjectNamePart::Function(f) => f.name.value.clone(),
    }
}

/// The parts of an object name, unquoted.
pub fn parts(n: &ast::ObjectName) -> Vec<String> {
    n.0.iter().map(part).collect()
}

/// Spark's data type for a parsed SQL type, or `None` when Spark has no such type.
pub fn data_type(t: &ast::DataType) -> Option<DataType> {
    use ast::DataType as T;
    Some(match t {
        T::Boolean | T::Bool => DataType::Boolean,
        T::TinyInt(_) => DataType::Byte,
        T::SmallInt(_) | T::Int2(_) => DataType::Short,
        T::Int(_) | T::Integer(_) | T::Int4(_) => DataType::Int,
        T::BigInt(_) | T::Int8(_) => DataType::Long,
        T::Float(_) | T::Real | T::Float4 => DataType::Float,
        T::Double(_) | T::DoublePrecision | T::Float8 => DataType::Double,
        T::String(_) | T::Text | T::Varchar(_) | T::Char(_) | T::Character(_) | T::CharacterVarying(_) | T::CharVarying(_) => DataType::String,
        T::Binary(_) | T::Varbinary(_) => DataType::Binary,
        T::Date => DataType::Date,
        T::Timestamp(..) | T::TimestampNtz(_) => DataType::Timestamp,
        T::Decimal(info) | T::Numeric(info) | T::Dec(info) => match info {
            ast::ExactNumberInfo::None => DataType::Decimal(10, 0),
            ast::ExactNumberInfo::Precision(p) => DataType::Decimal((*p).clamp(1, 38) as u8, 0),
            // A scale above the precision is clamped to it (Spark refuses it; the type stays well-formed here).
            ast::ExactNumberInfo::PrecisionAndScale(p, s) => {
                let p = (*p).clamp(1, 38) as u8;
                DataType::Decimal(p, (*s).clamp(0, p as i64) as u8)
            }
        },
        T::Array(elem) => match elem {
            ast::ArrayElemTypeDef::AngleBracket(e) | ast::ArrayElemTypeDef::Parenthesis(e) => DataType::Array(Box::new(data_type(e)?)),
            ast::ArrayElemTypeDef::SquareBracket(e, _) | ast::ArrayElemTypeDef::Qualified(e, _) => DataType::Array(Box::new(data_type(e)?)),
            ast::ArrayElemTypeDef::None => return None,
        },
        T::Map(k, v, _) => DataType::Map(Box::new(data_type(k)?), Box::new(data_type(v)?)),
        T::Struct(fields, _) => DataType::Struct(
            fields
                .iter()
                .enumerate()
                .map(|(i, f)| Some((f.field_name.as_ref().map(|n| n.value.clone()).unwrap_or_else(|| format!("col{}", i + 1)), data_type(&f.field_type)?)))
                .collect::<Option<Vec<_>>>()?,
        ),
        T::Custom(name, mods) if mods.is_empty() => DataType::parse(&parts(name).join("."))?,
        _ => return None,
    })
}

/// A short name of a SQL type for messages (the Spark name when Spark has the type).
pub fn data_type_name(t: &ast::DataType) -> String {
    match data_type(t) {
        Some(d) => d.to_string().to_uppercase(),
        None => "this type".into(),
    }
}

/// The text of a literal value as written (strings unquoted).
pub fn value(v: &ast::Value) -> String {
    match v {
        ast::Value::Number(n, _) => n.clone(),
        ast::Value::SingleQuotedString(s)
        | ast::Value::DoubleQuotedString(s)
        | ast::Value::TripleSingleQuotedString(s)
        | ast::Value::TripleDoubleQuotedString(s)
        | ast::Value::EscapedStringLiteral(s)
        | ast::Value::SingleQuotedRawStringLiteral(s)
        | ast::Value::DoubleQuotedRawStringLiteral(s)
        | ast::Value::NationalStringLiteral(s)
        | ast::Value::HexStringLiteral(s) => s.clone(),
        ast::Value::Boolean(b) => b.to_string(),
        ast::Value::Null => "NULL".into(),
        ast::Value::Placeholder(p) => p.clone(),
        _ => "literal".into(),
    }
}

/// The lower-case name of an EXTRACT field.
pub fn datetime_field(f: &ast::DateTimeField) -> String {
    use ast::DateTimeField as F;
    match f {
        F::Year | F::Years => "year",
        F::Month | F::Months => "month",
        F::Week(_) | F::Weeks => "week",
        F::Day | F::Days => "day",
        F::DayOfWeek | F::Dow => "dayofweek",
        F::DayOfYear | F::Doy => "dayofyear",
        F::Hour | F::Hours => "hour",
        F::Minute | F::Minutes => "minute",
        F::Second | F::Seconds => "second",
        F::Quarter => "quarter",
        F::Custom(id) => return id.value.to_ascii_lowercase(),
        _ => "field",
    }
    .to_string()
}
