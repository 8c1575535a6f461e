//! Python-subset tokenizer for PySpark snippets: source text → tokens with 1-based line:col spans, with
//! NEWLINE / INDENT / DEDENT emitted as CPython's tokenizer does (implicit joining inside brackets, backslash
//! continuation, tab/space consistency), bracket matching and comment skipping. String and number literals
//! are decoded in `literals.rs`. It knows nothing of the grammar (which token may follow which) nor of PySpark.

use crate::error::{Diagnostic, Pos, Span};

/// Deepest bracket nesting the lexer accepts: the parser's expression-depth limit.
pub const MAX_BRACKET_DEPTH: usize = super::parser::MAX_DEPTH as usize;

/// One token kind. Keywords are `Name`s; the parser decides what they mean.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Name(String),
    Int(u64),
    Float(f64),
    /// `1j`: lexed so the error can name it, refused by the parser.
    Imaginary,
    /// A decoded `'...'`, `"..."`, `'''...'''`, `r'...'` or `u'...'` literal.
    Str(String),
    /// `b'...'`: refused by the parser, but lexed so opaque UDF bodies may contain it.
    Bytes,
    /// `f'...'`: refused by the parser, but lexed so opaque UDF bodies may contain it.
    FString,
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

/// A token, its span, and its char offsets `[start, end)` in the normalised source (for opaque text slices).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    pub start: usize,
    pub end: usize,
}

/// The lexer's output: the normalised source (`\r\n` and `\r` become `\n`) as chars, and the tokens.
#[derive(Debug)]
pub struct Lexed {
    pub chars: Vec<char>,
    pub tokens: Vec<Token>,
}

/// Longest first, so `**=` wins over `**` over `*`.
const OPS: [&str; 48] = [
    "**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "@=", ":=", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]",
    "{", "}", ",", ":", ".", ";", "=", "!",
];

pub(super) struct Lexer {
    pub(super) chars: Vec<char>,
    pub(super) i: usize,
    pub(super) line: u32,
    pub(super) col: u32,
    toks: Vec<Token>,
    brackets: Vec<(char, Span)>,
    /// Indentation widths with tabs to 8 and to 1 column, as CPython compares them.
    indents: Vec<(u32, u32)>,
}

/// Tokenizes `src`. Errors carry the line:col of the offending character.
pub fn tokenize(src: &str) -> Result<Lexed, Diagnostic> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src); // a BOM, as Python ignores it
    let norm = src.replace("\r\n", "\n").replace('\r', "\n");
    let mut lx = Lexer {
        chars: norm.chars().collect(),
        i: 0,
        line: 1,
        col: 1,
        toks: Vec::new(),
        brackets: Vec::new(),
        indents: vec![(0, 0)],
    };
    lx.run()?;
    Ok(Lexed { chars: lx.chars, tokens: lx.toks })
}

impl Lexer {
    pub(super) fn pos(&self) -> Pos {
        Pos { line: self.line, col: self.col }
    }
    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }
    pub(super) fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.i + n).copied()
    }
    pub(super) fn advance(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }
    pub(super) fn push(&mut self, tok: Tok, start: Pos, start_i: usize) {
        let span = Span::new(start, self.pos());
        self.toks.push(Token { tok, span, start: start_i, end: self.i });
    }
    fn push_point(&mut self, tok: Tok) {
        let p = self.pos();
        self.toks.push(Token { tok, span: Span::new(p, p), start: self.i, end: self.i });
    }

    fn run(&mut self) -> Result<(), Diagnostic> {
        let mut line_start = true;
        loop {
            if line_start && self.brackets.is_empty() {
                if !self.indentation()? {
                    continue; // blank or comment-only line, already consumed
                }
                line_start = false;
            }
            while matches!(self.peek(), Some(' ' | '\t' | '\x0c')) {
                self.advance();
            }
            let Some(c) = self.peek() else { break };
            let (start, start_i) = (self.pos(), self.i);
            match c {
                '#' => self.skip_comment(),
                '\n' => {
                    if self.brackets.is_empty() {
                        self.push_point(Tok::Newline);
                        line_start = true;
                    }
                    self.advance();
                }
                '\\' => {
                    self.advance();
                    match self.peek() {
                        Some('\n') => {
                            self.advance();
                        }
                        None => {
                            return Err(Diagnostic::parse(
                                "unexpected end of input after line continuation character '\\'",
                                Span::new(start, self.pos()),
                            ))
                        }
                        Some(_) => {
                            return Err(Diagnostic::parse(
                                "unexpected character after line continuation character '\\'",
                                Span::new(start, self.pos()),
                            ))
                        }
                    }
                }
                '\'' | '"' => self.string(start, start_i, "")?,
                c if c.is_ascii_digit() => self.number(start, start_i)?,
                '.' if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => self.number(start, start_i)?,
                c if c == '_' || c.is_alphabetic() => self.name_or_prefixed_string(start, start_i)?,
                _ => self.operator(c, start, start_i)?,
            }
        }
        if let Some((open, span)) = self.brackets.first().copied() {
            return Err(Diagnostic::parse(format!("'{open}' was never closed"), span));
        }
        if !matches!(self.toks.last().map(|t| &t.tok), None | Some(Tok::Newline)) {
            self.push_point(Tok::Newline);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push_point(Tok::Dedent);
        }
        self.push_point(Tok::Eof);
        Ok(())
    }

    /// Measures a line's indentation and emits INDENT/DEDENT. Returns false for a blank or comment-only line.
    fn indentation(&mut self) -> Result<bool, Diagnostic> {
        let (mut w8, mut w1) = (0u32, 0u32);
        while let Some(c) = self.peek() {
            match c {
                ' ' => (w8, w1) = (w8 + 1, w1 + 1),
                '\t' => (w8, w1) = ((w8 / 8 + 1) * 8, w1 + 1),
                '\x0c' => (w8, w1) = (0, 0),
                _ => break,
            }
            self.advance();
        }
        match self.peek() {
            None => return Ok(true),
            Some('#') => {
                self.skip_comment();
                if self.peek() == Some('\n') {
                    self.advance();
                }
                return Ok(false);
            }
            Some('\n') => {
                self.advance();
                return Ok(false);
            }
            _ => {}
        }
        let here = Span::point(self.line, self.col);
        let tab_err = || Diagnostic::parse("inconsistent use of tabs and spaces in indentation", here);
        let (t8, t1) = *self.indents.last().unwrap_or(&(0, 0));
        if w8 == t8 {
            if w1 != t1 {
                return Err(tab_err());
            }
        } else if w8 > t8 {
            if w1 <= t1 {
                return Err(tab_err());
            }
            self.indents.push((w8, w1));
            self.push_point(Tok::Indent);
        } else {
            while self.indents.len() > 1 && self.indents.last().is_some_and(|t| w8 < t.0) {
                self.indents.pop();
                self.push_point(Tok::Dedent);
            }
            let (t8, t1) = *self.indents.last().unwrap_or(&(0, 0));
            if w8 != t8 {
                return Err(Diagnostic::parse("unindent does not match any outer indentation level", here));
            }
            if w1 != t1 {
                return Err(tab_err());
            }
        }
        Ok(true)
    }

    fn skip_comment(&mut self) {
        while self.peek().is_some_and(|c| c != '\n') {
            self.advance();
        }
    }

    fn name_or_prefixed_string(&mut self, start: Pos, start_i: usize) -> Result<(), Diagnostic> {
        while self.peek().is_some_and(|c| c == '_' || c.is_alphanumeric()) {
            self.advance();
        }
        let word: String = self.chars[start_i..self.i].iter().collect();
        let lower = word.to_ascii_lowercase();
        let is_prefix = matches!(lower.as_str(), "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf");
        if is_prefix && matches!(self.peek(), Some('\'' | '"')) {
            return self.string(start, start_i, &lower);
        }
        self.push(Tok::Name(word), start, start_i);
        Ok(())
    }

    fn operator(&mut self, c: char, start: Pos, start_i: usize) -> Result<(), Diagnostic> {
        let Some(op) = OPS.iter().find(|op| op.chars().enumerate().all(|(k, oc)| self.peek_at(k) == Some(oc))) else {
            let msg = format!("invalid character '{}' (U+{:04X})", c.escape_debug(), c as u32);
            return Err(Diagnostic::parse(msg, Span::point(start.line, start.col)));
        };
        if *op == "!" {
            return Err(Diagnostic::parse(
                "invalid syntax: '!' (use 'not' or '~')",
                Span::point(start.line, start.col),
            ));
        }
        for _ in 0..op.chars().count() {
            self.advance();
        }
        let span = Span::new(start, self.pos());
        match *op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_BRACKET_DEPTH {
                    let msg = format!("too many nested brackets (the limit is {MAX_BRACKET_DEPTH})");
                    return Err(Diagnostic::parse(msg, span));
                }
                self.brackets.push((c, span));
            }
            ")" | "]" | "}" => match self.brackets.pop() {
                None => return Err(Diagnostic::parse(format!("unmatched '{c}'"), span)),
                Some((open, open_span)) if closer(open) != c => {
                    let msg = format!(
                        "closing bracket '{c}' does not match opening bracket '{open}' on line {}",
                        open_span.start.line
                    );
                    return Err(Diagnostic::parse(msg, span));
                }
                Some(_) => {}
            },
            _ => {}
        }
        self.push(Tok::Op(op), start, start_i);
        Ok(())
    }
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().tokens.into_iter().map(|t| t.tok).collect()
    }
    fn err(src: &str) -> (u32, u32, String) {
        let d = tokenize(src).unwrap_err();
        (d.span.start.line, d.span.start.col, d.message)
    }

    #[test]
    fn simple_line() {
        use Tok::*;
        assert_eq!(
            kinds("x = F.col('a')"),
            vec![
                Name("x".into()),
                Op("="),
                Name("F".into()),
                Op("."),
                Name("col".into()),
                Op("("),
                Str("a".into()),
                Op(")"),
                Newline,
                Eof
            ]
        );
    }

    #[test]
    fn spans_are_char_columns() {
        let t = tokenize("é = 'ü'  # c\n").unwrap().tokens;
        assert_eq!(t[0].span, Span::new(Pos { line: 1, col: 1 }, Pos { line: 1, col: 2 }));
        assert_eq!(t[2].span, Span::new(Pos { line: 1, col: 5 }, Pos { line: 1, col: 8 }));
        assert_eq!(t[3].tok, Tok::Newline);
        assert_eq!(t[3].span.start, Pos { line: 1, col: 13 });
    }

    #[test]
    fn implicit_and_backslash_continuation() {
        use Tok::*;
        let k = kinds("a = (b\n   .c)\nd = e \\\n  .f\n");
        assert_eq!(k.iter().filter(|t| **t == Newline).count(), 2);
        assert!(!k.contains(&Indent));
    }

    #[test]
    fn indent_dedent() {
        use Tok::*;
        let k = kinds("def f(x):\n    return x\n\n# c\ny = 1");
        assert_eq!(k.iter().filter(|t| **t == Indent).count(), 1);
        assert_eq!(k.iter().filter(|t| **t == Dedent).count(), 1);
        assert_eq!(k.last(), Some(&Eof));
    }

    #[test]
    fn crlf_and_bom_are_normalised() {
        assert_eq!(kinds("a\r\nb\r\n").len(), 5);
        assert_eq!(
            tokenize("\u{feff}x").unwrap().tokens[0].span,
            Span::new(Pos { line: 1, col: 1 }, Pos { line: 1, col: 2 })
        );
    }

    #[test]
    fn bracket_errors() {
        assert_eq!(err("f(a]"), (1, 4, "closing bracket ']' does not match opening bracket '(' on line 1".into()));
        assert_eq!(err("x)"), (1, 2, "unmatched ')'".into()));
        assert_eq!(err("\nf(a,\n  b"), (2, 2, "'(' was never closed".into()));
        let deep = "(".repeat(MAX_BRACKET_DEPTH + 1);
        assert_eq!(err(&deep).0, 1);
        assert_eq!(err(&deep).1, MAX_BRACKET_DEPTH as u32 + 1);
    }

    #[test]
    fn indentation_errors() {
        assert_eq!(err("def f():\n    a\n  b").2, "unindent does not match any outer indentation level");
        assert_eq!(err("def f():\n\tx\n        y").2, "inconsistent use of tabs and spaces in indentation");
    }

    #[test]
    fn bad_characters() {
        assert_eq!(err("a = $"), (1, 5, "invalid character '$' (U+0024)".into()));
        assert_eq!(err("a \\ b").0, 1);
        assert!(err("a != !b").2.contains("'!'"));
    }
}
