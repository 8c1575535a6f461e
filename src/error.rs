//! Diagnostics: every parse, analysis or planning error is a message with the line:col of the offending
//! token. Positions are 1-based lines and 1-based columns in characters, as editors show them.
//! This module knows nothing of which phase produced an error beyond its `phase` tag.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A 1-based source position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A half-open source range `[start, end)`; `end == start` for a point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const fn point(line: u32, col: u32) -> Span {
        let p = Pos { line, col };
        Span { start: p, end: p }
    }
    pub fn new(start: Pos, end: Pos) -> Span {
        Span { start, end }
    }
    /// True when the span carries no position (line 0).
    pub fn is_unknown(&self) -> bool {
        self.start.line == 0
    }
    /// The smallest span covering both (unknown spans are ignored).
    pub fn union(self, other: Span) -> Span {
        if self.is_unknown() {
            return other;
        }
        if other.is_unknown() {
            return self;
        }
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
    /// Shifts a span found in a sub-text that starts at `origin` (1-based) of a bigger text.
    pub fn offset_by(self, origin: Pos) -> Span {
        if self.is_unknown() {
            return Span::point(origin.line, origin.col);
        }
        let shift = |p: Pos| {
            if p.line == 1 {
                Pos { line: origin.line, col: origin.col + p.col - 1 }
            } else {
                Pos { line: origin.line + p.line - 1, col: p.col }
            }
        };
        Span { start: shift(self.start), end: shift(self.end) }
    }
}

/// Which stage of the pipeline refused the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Parse,
    Catalog,
    Analysis,
    Planning,
    Simulation,
    Limit,
}

/// One positioned error message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub phase: Phase,
    pub message: String,
    pub span: Span,
    /// Which editor text the span refers to (`query`, `catalog`, `setup[0]`, ...).
    #[serde(default)]
    pub source: String,
}

impl Diagnostic {
    pub fn new(phase: Phase, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic { phase, message: message.into(), span, source: String::new() }
    }
    pub fn parse(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Phase::Parse, message, span)
    }
    pub fn analysis(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Phase::Analysis, message, span)
    }
    pub fn planning(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Phase::Planning, message, span)
    }
    pub fn with_source(mut self, source: impl Into<String>) -> Diagnostic {
        self.source = source.into();
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.source.is_empty() {
            write!(f, "{}:", self.source)?;
        }
        write!(f, "{}:{}: {}", self.span.start.line, self.span.start.col, self.message)
    }
}

impl std::error::Error for Diagnostic {}

pub type Result<T> = std::result::Result<T, Diagnostic>;
