//! Spark's SQL hints from `/*+ ... */` comments: join strategy hints (BROADCAST / BROADCASTJOIN /
//! MAPJOIN, MERGE / SHUFFLE_MERGE / MERGEJOIN, SHUFFLE_HASH, SHUFFLE_REPLICATE_NL) and partitioning
//! hints (REPARTITION, REPARTITION_BY_RANGE, COALESCE, REBALANCE). Parses the hint text only; the
//! analyzer applies them (ResolveHints).

use crate::error::{Diagnostic, Result, Span};
use crate::logical::plan::JoinStrategyHint;

#[derive(Debug, Clone, PartialEq)]
pub enum HintArg {
    Name(String),
    Int(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    pub name: String,
    pub args: Vec<HintArg>,
}

impl Hint {
    pub fn join_strategy(&self) -> Option<JoinStrategyHint> {
        Some(match self.name.as_str() {
            "BROADCAST" | "BROADCASTJOIN" | "MAPJOIN" => JoinStrategyHint::Broadcast,
            "MERGE" | "SHUFFLE_MERGE" | "MERGEJOIN" => JoinStrategyHint::ShuffleMerge,
            "SHUFFLE_HASH" => JoinStrategyHint::ShuffleHash,
            "SHUFFLE_REPLICATE_NL" => JoinStrategyHint::ShuffleReplicateNl,
            _ => return None,
        })
    }
    pub fn is_partitioning(&self) -> bool {
        matches!(self.name.as_str(), "REPARTITION" | "REPARTITION_BY_RANGE" | "COALESCE" | "REBALANCE")
    }
}

/// Parses `BROADCAST(a, b) MERGE(c), REPARTITION(8, x)`; unknown hint names are kept (Spark ignores
/// them with a warning) so the caller can report them.
pub fn parse_hints(text: &str, span: Span) -> Result<Vec<Hint>> {
    parse_hints_at(text, &|_| span)
}

/// As `parse_hints`, with `locate` turning a char index of `text` into a span, so syntax errors point
/// at the offending token as Spark's parser does (`Syntax error at or near '*/'` when a `)` is missing:
/// the comment's end is the next token Spark's grammar sees).
pub fn parse_hints_at(text: &str, locate: &dyn Fn(usize) -> Span) -> Result<Vec<Hint>> {
    let mut out = vec![];
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let err_at = |at: usize, tok: &str| Diagnostic::parse(format!("[PARSE_SYNTAX_ERROR] Syntax error at or near '{tok}'."), locate(at));
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        if start == i {
            return Err(err_at(i, &chars[i].to_string()));
        }
        let name: String = chars[start..i].iter().collect::<String>().to_ascii_uppercase();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut args = vec![];
        if i < chars.len() && chars[i] == '(' {
            i += 1;
            loop {
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(err_at(i, "*/"));
                }
                if chars[i] == ')' {
                    i += 1;
                    break;
                }
                let s = i;
                while i < chars.len() && !(chars[i] == ',' || chars[i] == ')' || chars[i].is_whitespace()) {
                    i += 1;
                }
                let tok: String = chars[s..i].iter().collect();
                let tok = tok.trim_matches('`').to_string();
                match tok.parse::<i64>() {
                    Ok(n) => args.push(HintArg::Int(n)),
                    Err(_) => args.push(HintArg::Name(tok)),
                }
            }
        }
        out.push(Hint { name, args });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_join_and_partition_hints() {
        let h = parse_hints(" BROADCAST(o), merge(p, q) REPARTITION(8, customer_id) ", Span::default()).unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(h[0].join_strategy(), Some(JoinStrategyHint::Broadcast));
        assert_eq!(h[1].args, vec![HintArg::Name("p".into()), HintArg::Name("q".into())]);
        assert_eq!(h[2].args[0], HintArg::Int(8));
        assert!(parse_hints("BROADCAST(o", Span::default()).is_err());
    }
}
