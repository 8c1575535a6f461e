//! String and number literals for the PySpark lexer: quote kinds ('', "", ''', """), prefixes (r, u, b, f and
//! their combinations), escape decoding, and Python's integer/float/imaginary literal forms.
//! It knows nothing of tokens other than literals; f-strings and bytes are only scanned, never decoded.

use super::lexer::{Lexer, Tok};
use crate::error::{Diagnostic, Pos, Span};

impl Lexer {
    /// Scans a string literal whose (lowercase) prefix has been consumed; the cursor is on the opening quote.
    pub(super) fn string(&mut self, start: Pos, start_i: usize, prefix: &str) -> Result<(), Diagnostic> {
        let raw = prefix.contains('r');
        let opaque = prefix.contains('b') || prefix.contains('f');
        let q = self.advance().unwrap_or('"');
        let triple = self.peek() == Some(q) && self.peek_at(1) == Some(q);
        if triple {
            self.advance();
            self.advance();
        }
        let unterminated = || {
            let what = if triple { "unterminated triple-quoted string literal" } else { "unterminated string literal" };
            Diagnostic::parse(what, Span::point(start.line, start.col))
        };
        let mut value = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(unterminated()) };
            if c == '\n' && !triple {
                return Err(unterminated());
            }
            if c == q && (!triple || (self.peek_at(1) == Some(q) && self.peek_at(2) == Some(q))) {
                for _ in 0..if triple { 3 } else { 1 } {
                    self.advance();
                }
                break;
            }
            if c != '\\' {
                value.push(c);
                self.advance();
                continue;
            }
            let esc_pos = self.pos();
            self.advance();
            let Some(e) = self.peek() else { return Err(unterminated()) };
            if raw || opaque {
                value.push('\\');
                value.push(e);
                self.advance();
                continue;
            }
            self.escape(e, esc_pos, &mut value)?;
        }
        let tok = if prefix.contains('b') {
            Tok::Bytes
        } else if prefix.contains('f') {
            Tok::FString
        } else {
            Tok::Str(value)
        };
        self.push(tok, start, start_i);
        Ok(())
    }

    /// Decodes one escape; the cursor is on the character after the backslash.
    fn escape(&mut self, e: char, esc_pos: Pos, out: &mut String) -> Result<(), Diagnostic> {
        self.advance();
        let simple = match e {
            '\n' => Some(None),
            '\\' => Some(Some('\\')),
            '\'' => Some(Some('\'')),
            '"' => Some(Some('"')),
            'a' => Some(Some('\x07')),
            'b' => Some(Some('\x08')),
            'f' => Some(Some('\x0c')),
            'n' => Some(Some('\n')),
            'r' => Some(Some('\r')),
            't' => Some(Some('\t')),
            'v' => Some(Some('\x0b')),
            _ => None,
        };
        if let Some(c) = simple {
            out.extend(c);
            return Ok(());
        }
        let here = |lx: &Lexer| Span::new(esc_pos, lx.pos());
        match e {
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            self.advance();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                Ok(())
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v: u32 = 0;
                for _ in 0..n {
                    let Some(d) = self.peek().and_then(|d| d.to_digit(16)) else {
                        let msg = format!("truncated \\{e} escape in string literal: expected {n} hex digits");
                        return Err(Diagnostic::parse(msg, here(self)));
                    };
                    v = v * 16 + d;
                    self.advance();
                }
                match char::from_u32(v) {
                    Some(c) => {
                        out.push(c);
                        Ok(())
                    }
                    None => Err(Diagnostic::parse(format!("invalid \\{e} escape in string literal"), here(self))),
                }
            }
            'N' => {
                Err(Diagnostic::parse("named unicode escape \\N{...} in string literal is not supported", here(self)))
            }
            _ => {
                let shown: String = e.escape_debug().collect();
                let msg = format!(
                    "invalid escape sequence '\\{shown}' in string literal (write '\\\\{shown}' or use a raw string r'...')"
                );
                Err(Diagnostic::parse(msg, here(self)))
            }
        }
    }

    /// Scans an int, float or imaginary literal; the cursor is on its first digit (or the leading '.').
    pub(super) fn number(&mut self, start: Pos, start_i: usize) -> Result<(), Diagnostic> {
        let bad = |lx: &Lexer, what: &str| Diagnostic::parse(what.to_string(), Span::new(start, lx.pos()));
        let radix = match (self.peek(), self.peek_at(1).map(|c| c.to_ascii_lowercase())) {
            (Some('0'), Some('x')) => 16,
            (Some('0'), Some('o')) => 8,
            (Some('0'), Some('b')) => 2,
            _ => 10,
        };
        if radix != 10 {
            self.advance();
            self.advance();
            let digits = self.digits(radix);
            if digits.is_empty() || self.ident_follows() {
                self.eat_ident_tail();
                return Err(bad(self, "invalid number literal"));
            }
            return self.push_int(&digits, radix, start, start_i);
        }
        let int_part = self.digits(10);
        let mut is_float = false;
        if self.peek() == Some('.') {
            is_float = true;
            self.advance();
            self.digits(10);
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some('+' | '-')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                is_float = true;
                for _ in 0..=sign {
                    self.advance();
                }
                self.digits(10);
            }
        }
        if matches!(self.peek(), Some('j' | 'J')) {
            self.advance();
            self.push(Tok::Imaginary, start, start_i);
            return Ok(());
        }
        if self.ident_follows() {
            self.eat_ident_tail();
            return Err(bad(self, "invalid decimal literal"));
        }
        let text: String = self.chars[start_i..self.i].iter().filter(|c| **c != '_').collect();
        if is_float {
            let v: f64 = text.parse().map_err(|_| bad(self, "invalid float literal"))?;
            self.push(Tok::Float(v), start, start_i);
            return Ok(());
        }
        if int_part.len() > 1 && int_part.starts_with('0') && int_part.chars().any(|c| c != '0') {
            return Err(bad(self, "leading zeros in decimal integer literals are not permitted (use 0o for octal)"));
        }
        self.push_int(&int_part, 10, start, start_i)
    }

    fn push_int(&mut self, digits: &str, radix: u32, start: Pos, start_i: usize) -> Result<(), Diagnostic> {
        match u64::from_str_radix(digits, radix) {
            Ok(v) => {
                self.push(Tok::Int(v), start, start_i);
                Ok(())
            }
            Err(_) => Err(Diagnostic::parse(
                "integer literal is too large (the limit is 2**64 - 1)",
                Span::new(start, self.pos()),
            )),
        }
    }

    /// Consumes digits of `radix` with single underscores between them; returns them without underscores.
    fn digits(&mut self, radix: u32) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c.is_digit(radix) {
                out.push(c);
            } else if !(c == '_' && self.peek_at(1).is_some_and(|d| d.is_digit(radix))) {
                break;
            }
            self.advance();
        }
        out
    }

    fn ident_follows(&self) -> bool {
        self.peek().is_some_and(|c| c == '_' || c.is_alphanumeric())
    }

    fn eat_ident_tail(&mut self) {
        while self.ident_follows() {
            self.advance();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::{tokenize, Tok};

    fn one(src: &str) -> Tok {
        tokenize(src).unwrap().tokens.remove(0).tok
    }
    fn err(src: &str) -> (u32, u32, String) {
        let d = tokenize(src).unwrap_err();
        (d.span.start.line, d.span.start.col, d.message)
    }

    #[test]
    fn string_kinds() {
        assert_eq!(one("'a\"b'"), Tok::Str("a\"b".into()));
        assert_eq!(one("\"a'b\""), Tok::Str("a'b".into()));
        assert_eq!(one("'''x\ny'''"), Tok::Str("x\ny".into()));
        assert_eq!(one("\"\"\"a\"b\"\"\""), Tok::Str("a\"b".into()));
        assert_eq!(one(r"r'\d+'"), Tok::Str(r"\d+".into()));
        assert_eq!(one(r"R'\''"), Tok::Str(r"\'".into()));
        assert_eq!(one("u'x'"), Tok::Str("x".into()));
        assert_eq!(one("b'x'"), Tok::Bytes);
        assert_eq!(one("f'{x}'"), Tok::FString);
        assert_eq!(one("rb'\\q'"), Tok::Bytes);
    }

    #[test]
    fn escapes() {
        assert_eq!(one(r"'\t\n\\\'\x41\u00e9\U0001F600\101\0'"), Tok::Str("\t\n\\'Aé😀A\0".into()));
        assert_eq!(one("'a\\\nb'"), Tok::Str("ab".into()));
        assert_eq!(err(r"'\q'").0, 1);
        assert_eq!(err(r"x = '\q'").1, 6);
        assert!(err(r"'\q'").2.contains("invalid escape sequence '\\q'"));
        assert!(err(r"'\x4'").2.contains("truncated \\x escape"));
        assert!(err(r"'\N{DASH}'").2.contains("\\N{...}"));
        assert!(err(r"'\UFFFFFFFF'").2.contains("invalid \\U escape"));
    }

    #[test]
    fn unterminated() {
        assert_eq!(err("x = 'abc"), (1, 5, "unterminated string literal".into()));
        assert_eq!(err("x = 'abc\n'"), (1, 5, "unterminated string literal".into()));
        assert_eq!(err("\n  y = \"\"\"abc\n"), (2, 7, "unterminated triple-quoted string literal".into()));
        assert_eq!(err("'\\"), (1, 1, "unterminated string literal".into()));
    }

    #[test]
    fn numbers() {
        assert_eq!(one("42"), Tok::Int(42));
        assert_eq!(one("1_000"), Tok::Int(1000));
        assert_eq!(one("0xff"), Tok::Int(255));
        assert_eq!(one("0o17"), Tok::Int(15));
        assert_eq!(one("0b101"), Tok::Int(5));
        assert_eq!(one("0"), Tok::Int(0));
        assert_eq!(one("00"), Tok::Int(0));
        assert_eq!(one("1.5"), Tok::Float(1.5));
        assert_eq!(one(".5"), Tok::Float(0.5));
        assert_eq!(one("1."), Tok::Float(1.0));
        assert_eq!(one("1e3"), Tok::Float(1000.0));
        assert_eq!(one("2.5E-1"), Tok::Float(0.25));
        assert_eq!(one("3j"), Tok::Imaginary);
        assert_eq!(one("18446744073709551615"), Tok::Int(u64::MAX));
    }

    #[test]
    fn bad_numbers() {
        assert_eq!(err("x = 12abc"), (1, 5, "invalid decimal literal".into()));
        assert!(err("0x").2.contains("invalid number literal"));
        assert!(err("012").2.contains("leading zeros"));
        assert!(err("18446744073709551616").2.contains("too large"));
        assert!(err("1__0").2.contains("invalid decimal literal"));
        assert!(err("10_").2.contains("invalid decimal literal"));
    }
}
