//! PySpark input, front half: a Python-subset lexer and recursive-descent parser producing a span-carrying
//! AST (`ast.rs`) of assignments, imports, UDF `def`s and expressions (method chains, lambdas, literals,
//! comprehensions). It knows nothing of Spark: lowering the AST to logical plans (through the same plan
//! builder as SQL) is a later module. Every refusal is a positioned `Diagnostic`; no input panics.
//!
//! Parser choice: hand-written recursive descent, no new dependency. rustpython-parser (80K SLoC of LALRPOP
//! tables, bigint and Unicode-name tables; last release 0.4, Aug 2024, as the work moved into ruff, whose parser
//! is not a published crate) would eat much of what the wasm budget leaves. We need
//! a small subset with Spark-specific messages; this parser costs ~21 KiB gzip of wasm (measured, opt-level z +
//! LTO, beyond std float/Unicode code the app already links) and keeps Python's precedence exactly.

pub mod ast;
mod display;
mod expr;
pub mod lexer;
mod literals;
pub mod lower;
pub mod parser;
pub mod rdd;

pub use ast::*;

use crate::error::{Diagnostic, Span};

/// Largest snippet accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 200 * 1024;
pub use parser::MAX_DEPTH;

/// Parses a PySpark snippet into its statements. Errors name the construct, with the offending line:col.
pub fn parse_program(src: &str) -> Result<Program, Diagnostic> {
    if src.len() > MAX_INPUT_BYTES {
        let msg = format!(
            "input is too large: {} bytes (the limit for a PySpark snippet is {MAX_INPUT_BYTES} bytes)",
            src.len()
        );
        return Err(Diagnostic::new(crate::error::Phase::Limit, msg, Span::point(1, 1)));
    }
    parser::parse_tokens(lexer::tokenize(src)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> (u32, u32, String) {
        let d = parse_program(src).unwrap_err();
        (d.span.start.line, d.span.start.col, d.message)
    }

    #[test]
    fn empty_and_comment_only() {
        assert!(parse_program("").unwrap().stmts.is_empty());
        assert!(parse_program("# nothing\n\n   \n").unwrap().stmts.is_empty());
    }

    #[test]
    fn size_cap() {
        let big = "x = 1\n".repeat(MAX_INPUT_BYTES / 6 + 1);
        let (l, c, m) = err(&big);
        assert_eq!((l, c), (1, 1));
        assert!(m.contains("too large"));
    }

    #[test]
    fn imports_are_recorded() {
        let p = parse_program(
            "from pyspark.sql import functions as F\nfrom pyspark.sql.window import Window\n\
             from pyspark.sql.types import *\nimport pyspark.sql.functions as G, os\n",
        )
        .unwrap();
        let im = p.imports();
        assert_eq!(im.names["F"], "pyspark.sql.functions");
        assert_eq!(im.names["G"], "pyspark.sql.functions");
        assert_eq!(im.names["Window"], "pyspark.sql.window.Window");
        assert_eq!(im.names["os"], "os");
        assert_eq!(im.star_modules, vec!["pyspark.sql.types".to_string()]);
    }

    #[test]
    fn statement_spans() {
        let p = parse_program("a = 1\n(b\n .c())\n").unwrap();
        assert_eq!(
            p.stmts[0].span,
            Span::new(crate::error::Pos { line: 1, col: 1 }, crate::error::Pos { line: 1, col: 6 })
        );
        assert_eq!(p.stmts[1].span.start.line, 2);
        assert_eq!(p.stmts[1].span.end.line, 3);
    }
}
