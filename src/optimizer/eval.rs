//! A small interpreter for constant expressions, with SQL's three-valued logic: what ConstantFolding
//! folds, what EliminateOuterJoin evaluates on an all-null row, what partition pruning evaluates on a
//! file's partition values. `None` means "cannot evaluate here" (unknown function, overflow, decimals
//! arithmetic), never an error. Knows literals and types; nothing of plans.

use crate::logical::expr::{BinOp, Expr, LitValue};
use crate::logical::types::DataType;
use std::cmp::Ordering;

/// Evaluates a foldable expression to a literal (`Expr::Lit`) of the expression's type.
pub fn eval(e: &Expr) -> Option<Expr> {
    let v = eval_value(e)?;
    Some(Expr::Lit(v, e.dtype()))
}

fn num(v: &LitValue) -> Option<f64> {
    match v {
        LitValue::Int(i) => Some(*i as f64),
        LitValue::Double(d) => Some(*d),
        LitValue::Decimal(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Orders two non-null values of comparable types.
pub fn compare(a: &LitValue, b: &LitValue) -> Option<Ordering> {
    use LitValue::*;
    match (a, b) {
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Str(x), Str(y)) | (Date(x), Date(y)) | (Timestamp(x), Timestamp(y)) => Some(x.cmp(y)),
        (Date(x), Str(y)) | (Str(x), Date(y)) => Some(x.as_str().cmp(y.as_str())),
        (Timestamp(x), Str(y)) | (Str(x), Timestamp(y)) => Some(x.as_str().cmp(y.as_str())),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        _ => {
            let (x, y) = (num(a)?, num(b)?);
            x.partial_cmp(&y)
        }
    }
}

fn truth(v: &LitValue) -> Option<Option<bool>> {
    match v {
        LitValue::Bool(b) => Some(Some(*b)),
        LitValue::Null => Some(None),
        _ => None,
    }
}

fn bool_val(b: Option<bool>) -> LitValue {
    match b {
        Some(b) => LitValue::Bool(b),
        None => LitValue::Null,
    }
}

/// Evaluates to a raw value; see [`eval`].
pub fn eval_value(e: &Expr) -> Option<LitValue> {
    match e {
        Expr::Lit(v, _) => Some(v.clone()),
        Expr::Alias { child, .. } => eval_value(child),
        Expr::Binary { op: BinOp::And, left, right } => {
            let l = truth(&eval_value(left)?)?;
            if l == Some(false) {
                return Some(LitValue::Bool(false));
            }
            let r = truth(&eval_value(right)?)?;
            Some(bool_val(match (l, r) {
                (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            }))
        }
        Expr::Binary { op: BinOp::Or, left, right } => {
            let l = truth(&eval_value(left)?)?;
            if l == Some(true) {
                return Some(LitValue::Bool(true));
            }
            let r = truth(&eval_value(right)?)?;
            Some(bool_val(match (l, r) {
                (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            }))
        }
        Expr::Binary { op, left, right } => {
            let (l, r) = (eval_value(left)?, eval_value(right)?);
            if *op == BinOp::NullSafeEq {
                return Some(LitValue::Bool(match (&l, &r) {
                    (LitValue::Null, LitValue::Null) => true,
                    (LitValue::Null, _) | (_, LitValue::Null) => false,
                    _ => compare(&l, &r)? == Ordering::Equal,
                }));
            }
            if l == LitValue::Null || r == LitValue::Null {
                return Some(LitValue::Null);
            }
            if op.is_comparison() {
                let o = compare(&l, &r)?;
                return Some(LitValue::Bool(match op {
                    BinOp::Eq => o == Ordering::Equal,
                    BinOp::NotEq => o != Ordering::Equal,
                    BinOp::Lt => o == Ordering::Less,
                    BinOp::LtEq => o != Ordering::Greater,
                    BinOp::Gt => o == Ordering::Greater,
                    BinOp::GtEq => o != Ordering::Less,
                    _ => return None,
                }));
            }
            arith(*op, &l, &r, &e.dtype())
        }
        Expr::Not(c) => Some(bool_val(truth(&eval_value(c)?)?.map(|b| !b))),
        Expr::Neg(c) => match eval_value(c)? {
            LitValue::Int(i) => Some(LitValue::Int(i.checked_neg()?)),
            LitValue::Double(d) => Some(LitValue::Double(-d)),
            LitValue::Null => Some(LitValue::Null),
            _ => None,
        },
        Expr::IsNull(c) => Some(LitValue::Bool(eval_value(c)? == LitValue::Null)),
        Expr::IsNotNull(c) => Some(LitValue::Bool(eval_value(c)? != LitValue::Null)),
        Expr::In { value, list } => {
            let v = eval_value(value)?;
            if v == LitValue::Null {
                return Some(LitValue::Null);
            }
            let mut saw_null = false;
            for x in list {
                let xv = eval_value(x)?;
                if xv == LitValue::Null {
                    saw_null = true;
                } else if compare(&v, &xv)? == Ordering::Equal {
                    return Some(LitValue::Bool(true));
                }
            }
            Some(if saw_null { LitValue::Null } else { LitValue::Bool(false) })
        }
        Expr::Like { child, pattern, negated } => {
            let (s, p) = (eval_value(child)?, eval_value(pattern)?);
            match (s, p) {
                (LitValue::Null, _) | (_, LitValue::Null) => Some(LitValue::Null),
                (LitValue::Str(s), LitValue::Str(p)) => Some(LitValue::Bool(like(&s, &p) != *negated)),
                _ => None,
            }
        }
        Expr::Cast { child, to } => cast(eval_value(child)?, to),
        Expr::Case { branches, otherwise } => {
            for (c, r) in branches {
                if truth(&eval_value(c)?)? == Some(true) {
                    return eval_value(r);
                }
            }
            match otherwise {
                Some(o) => eval_value(o),
                None => Some(LitValue::Null),
            }
        }
        Expr::Func { name, args, deterministic: true, .. } => match name.as_str() {
            "coalesce" => {
                for a in args {
                    let v = eval_value(a)?;
                    if v != LitValue::Null {
                        return Some(v);
                    }
                }
                Some(LitValue::Null)
            }
            "if" if args.len() == 3 => {
                if truth(&eval_value(&args[0])?)? == Some(true) {
                    eval_value(&args[1])
                } else {
                    eval_value(&args[2])
                }
            }
            "upper" | "lower" if args.len() == 1 => match eval_value(&args[0])? {
                LitValue::Str(s) => {
                    Some(LitValue::Str(if name == "upper" { s.to_uppercase() } else { s.to_lowercase() }))
                }
                LitValue::Null => Some(LitValue::Null),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn arith(op: BinOp, l: &LitValue, r: &LitValue, out: &DataType) -> Option<LitValue> {
    use LitValue::*;
    match (l, r) {
        (Int(a), Int(b)) if out.is_integral() => {
            let v = match op {
                BinOp::Add => a.checked_add(*b)?,
                BinOp::Sub => a.checked_sub(*b)?,
                BinOp::Mul => a.checked_mul(*b)?,
                BinOp::IntDiv => {
                    if *b == 0 {
                        return Some(Null);
                    }
                    a.checked_div(*b)?
                }
                BinOp::Mod => {
                    if *b == 0 {
                        return Some(Null);
                    }
                    a.checked_rem(*b)?
                }
                BinOp::BitAnd => a & b,
                BinOp::BitOr => a | b,
                BinOp::BitXor => a ^ b,
                _ => return None,
            };
            let fits = match out {
                DataType::Byte => i8::try_from(v).is_ok(),
                DataType::Short => i16::try_from(v).is_ok(),
                DataType::Int => i32::try_from(v).is_ok(),
                _ => true,
            };
            if fits {
                Some(Int(v))
            } else {
                None
            }
        }
        _ if *out == DataType::Double || *out == DataType::Float => {
            let (a, b) = (num(l)?, num(r)?);
            let v = match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => {
                    if b == 0.0 {
                        return Some(Null);
                    }
                    a / b
                }
                _ => return None,
            };
            if v.is_finite() {
                Some(Double(v))
            } else {
                None
            }
        }
        (Str(a), Str(b)) if op == BinOp::Concat => Some(Str(format!("{a}{b}"))),
        _ => None,
    }
}

/// Casts a value as Spark does (non-ANSI: impossible string casts give null).
pub fn cast(v: LitValue, to: &DataType) -> Option<LitValue> {
    use LitValue::*;
    if v == Null {
        return Some(Null);
    }
    match to {
        DataType::Byte | DataType::Short | DataType::Int | DataType::Long => {
            let i = match &v {
                Int(i) => *i,
                Double(d) => {
                    if !d.is_finite() {
                        return None;
                    }
                    d.trunc() as i64
                }
                Bool(b) => *b as i64,
                Str(s) => match s.trim().parse::<i64>() {
                    Ok(i) => i,
                    Err(_) => return Some(Null),
                },
                _ => return None,
            };
            let fits = match to {
                DataType::Byte => i8::try_from(i).is_ok(),
                DataType::Short => i16::try_from(i).is_ok(),
                DataType::Int => i32::try_from(i).is_ok(),
                _ => true,
            };
            if fits {
                Some(Int(i))
            } else {
                None
            }
        }
        DataType::Double | DataType::Float => match &v {
            Int(i) => Some(Double(*i as f64)),
            Double(d) => Some(Double(*d)),
            Decimal(s) => s.trim().parse().ok().map(Double),
            Str(s) => Some(s.trim().parse().map(Double).unwrap_or(Null)),
            _ => None,
        },
        DataType::String => match &v {
            Int(i) => Some(Str(i.to_string())),
            Str(s) => Some(Str(s.clone())),
            Date(d) => Some(Str(d.clone())),
            Bool(b) => Some(Str(b.to_string())),
            Decimal(d) => Some(Str(d.clone())),
            _ => None,
        },
        DataType::Date => match &v {
            Date(d) => Some(Date(d.clone())),
            Str(s) => Some(parse_date(s).map(Date).unwrap_or(Null)),
            Timestamp(t) => parse_date(t).map(Date),
            _ => None,
        },
        DataType::Timestamp => match &v {
            Timestamp(t) => Some(Timestamp(t.clone())),
            Date(d) => Some(Timestamp(format!("{d} 00:00:00"))),
            _ => None,
        },
        DataType::Boolean => match &v {
            Bool(b) => Some(Bool(*b)),
            Int(i) => Some(Bool(*i != 0)),
            Str(s) => Some(match s.trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "yes" | "y" | "1" => Bool(true),
                "false" | "f" | "no" | "n" | "0" => Bool(false),
                _ => Null,
            }),
            _ => None,
        },
        DataType::Decimal(p, s) => {
            let text = match &v {
                Int(i) => i.to_string(),
                Decimal(d) => d.trim().to_string(),
                Double(d) if d.is_finite() => format!("{:.*}", *s as usize, d),
                _ => return None,
            };
            decimal_text(&text, *p, *s).map(Decimal)
        }
        _ => None,
    }
}

/// A plain decimal number rewritten with exactly `scale` fraction digits (Spark prints decimal
/// literals that way: `11.00`); `None` when it needs rounding or does not fit `precision`.
fn decimal_text(t: &str, precision: u8, scale: u8) -> Option<String> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let scale = scale as usize;
    let frac_trimmed = frac.trim_end_matches('0');
    if frac_trimmed.len() > scale {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let digits = if int == "0" { 0 } else { int.len() };
    if digits + scale > precision as usize {
        return None;
    }
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(int);
    if scale > 0 {
        out.push('.');
        out.push_str(frac_trimmed);
        out.extend(std::iter::repeat_n('0', scale - frac_trimmed.len()));
    }
    Some(out)
}

/// `YYYY-MM-DD` (optionally followed by a time) → the date text, if valid.
fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let head = s.get(..10)?;
    let b = head.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: u32 = head[..4].parse().ok()?;
    let m: u32 = head[5..7].parse().ok()?;
    let d: u32 = head[8..10].parse().ok()?;
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > days[(m - 1) as usize] {
        return None;
    }
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T')) {
        return None;
    }
    Some(head.to_string())
}

/// SQL LIKE with `%`, `_` and `\` escapes.
pub fn like(s: &str, p: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    let mut pat: Vec<(char, bool)> = vec![]; // (char, is_literal)
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                pat.push((n, true));
            }
        } else {
            pat.push((c, false));
        }
    }
    // Iterative wildcard matching with backtracking over the last `%`.
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if j < pat.len() && !pat[j].1 && pat[j].0 == '%' {
            star = Some((j, i));
            j += 1;
        } else if j < pat.len() && ((!pat[j].1 && pat[j].0 == '_') || pat[j].0 == s[i]) {
            i += 1;
            j += 1;
        } else if let Some((sj, si)) = star {
            j = sj + 1;
            i = si + 1;
            star = Some((sj, si + 1));
        } else {
            return false;
        }
    }
    while j < pat.len() && !pat[j].1 && pat[j].0 == '%' {
        j += 1;
    }
    j == pat.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(i: i64) -> Expr {
        Expr::lit_int(i)
    }

    #[test]
    fn arithmetic_and_comparisons_fold() {
        let e = Expr::binary(BinOp::Gt, Expr::binary(BinOp::Add, lit(1), lit(2)), lit(2));
        assert_eq!(eval(&e), Some(Expr::lit_bool(true)));
        let overflow = Expr::binary(BinOp::Mul, lit(i32::MAX as i64), lit(2));
        assert_eq!(eval(&overflow), None);
    }

    #[test]
    fn three_valued_logic() {
        let null = Expr::Lit(LitValue::Null, DataType::Boolean);
        assert_eq!(eval_value(&Expr::and(null.clone(), Expr::lit_bool(false))), Some(LitValue::Bool(false)));
        assert_eq!(eval_value(&Expr::and(null.clone(), Expr::lit_bool(true))), Some(LitValue::Null));
        let cmp = Expr::binary(BinOp::Eq, Expr::Lit(LitValue::Null, DataType::Int), lit(1));
        assert_eq!(eval_value(&cmp), Some(LitValue::Null));
    }

    #[test]
    fn casts_and_dates() {
        let c = Expr::Cast { child: Box::new(Expr::lit_str("2024-12-01")), to: DataType::Date };
        assert_eq!(eval_value(&c), Some(LitValue::Date("2024-12-01".into())));
        let bad = Expr::Cast { child: Box::new(Expr::lit_str("2024-13-01")), to: DataType::Date };
        assert_eq!(eval_value(&bad), Some(LitValue::Null));
        let dec = Expr::Cast { child: Box::new(Expr::lit_int(11)), to: DataType::Decimal(15, 2) };
        assert_eq!(eval_value(&dec), Some(LitValue::Decimal("11.00".into())));
        let too_wide = Expr::Cast { child: Box::new(Expr::lit_int(1000)), to: DataType::Decimal(3, 1) };
        assert_eq!(eval_value(&too_wide), None);
    }

    #[test]
    fn like_patterns() {
        assert!(like("abcdef", "abc%"));
        assert!(like("abcdef", "%def"));
        assert!(like("abcdef", "%cd%"));
        assert!(like("abc", "a_c"));
        assert!(!like("abc", "a_d"));
        assert!(like("a%c", "a\\%c"));
        assert!(!like("abc", "a\\%c"));
    }
}
