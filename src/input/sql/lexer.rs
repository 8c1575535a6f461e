//! Spark SQL lexer (SqlBaseLexer.g4, default non-ANSI mode): words (keywords are words; case-insensitive
//! matching happens in the parser), backtick identifiers, numbers with Spark's suffixes, strings with
//! Spark's backslash escapes, `--` and nested `/* */` comments, `/*+ ... */` hint comments as tokens, and
//! operators. Every token carries its span (1-based line, 1-based char column, end exclusive) and its
//! byte range in the text. Used by the query parser (`parser`) and the catalog DDL parser (`input::ddl`).

use crate::error::{Diagnostic, Pos, Result, Span};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An unquoted identifier or keyword, as written.
    Word(String),
    /// A backtick-quoted identifier, unquoted (doubled backticks collapsed).
    Quoted(String),
    /// A number as written, with any suffix (`1`, `1.5`, `1e3`, `2L`, `1.5BD`).
    Number(String),
    /// A string literal, unescaped (`'...'` or `"..."`).
    Str(String),
    /// The text between `/*+` and `*/`.
    Hint(String),
    /// An operator or punctuation: `= == <> != <=> < <= > >= + - * / % || & | ^ ~ ! -> :: : . , ( ) [ ] ;`.
    Sym(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// For `Hint`, the span of the hint text (just after `/*+`); otherwise the token's own span.
    pub span: Span,
    /// Byte range of the whole token in the text.
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// True for an unquoted word equal (ignoring ASCII case) to `kw`.
    pub fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
}

const SYMS: [&str; 35] = [
    "<=>", "==", "<>", "!=", "<=", ">=", "!>", "!<", "||", "->", "::", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "~",
    "!", ":", ".", ",", "(", ")", "[", "]", ";", "{", "}", "?",
];

struct Cursor<'a> {
    text: &'a str,
    i: usize,
    line: u32,
    col: u32,
}

impl Cursor<'_> {
    fn peek(&self, k: usize) -> Option<char> {
        self.text.get(self.i..)?.chars().nth(k)
    }
    fn pos(&self) -> Pos {
        Pos { line: self.line, col: self.col }
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.i += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }
    fn starts(&self, s: &str) -> bool {
        self.text.get(self.i..).is_some_and(|t| t.starts_with(s))
    }
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits SQL text into tokens (comments and whitespace dropped).
pub fn tokenize(text: &str) -> Result<Vec<Token>> {
    let mut c = Cursor { text, i: 0, line: 1, col: 1 };
    let mut out = vec![];
    while let Some(ch) = c.peek(0) {
        let (start, p) = (c.i, c.pos());
        let here = Span::new(p, p);
        if ch.is_whitespace() {
            c.bump();
            continue;
        }
        if c.starts("--") {
            while c.peek(0).is_some_and(|x| x != '\n') {
                c.bump();
            }
            continue;
        }
        if c.starts("/*+") {
            c.bump();
            c.bump();
            c.bump();
            let (ts, tp) = (c.i, c.pos());
            while !c.starts("*/") {
                if c.bump().is_none() {
                    return Err(Diagnostic::parse("Unclosed hint comment", here));
                }
            }
            let hint = Tok::Hint(text[ts..c.i].to_string());
            let tspan = Span::new(tp, c.pos());
            c.bump();
            c.bump();
            out.push(Token { tok: hint, span: tspan, start, end: c.i });
            continue;
        }
        if c.starts("/*") {
            let mut depth = 0u32;
            loop {
                if c.starts("/*") {
                    depth += 1;
                    c.bump();
                } else if c.starts("*/") {
                    depth -= 1;
                    c.bump();
                    if depth == 0 {
                        c.bump();
                        break;
                    }
                } else if c.peek(0).is_none() {
                    return Err(Diagnostic::parse("[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment.", here));
                }
                c.bump();
            }
            continue;
        }
        let tok = if ch == '\'' || ch == '"' {
            Tok::Str(string(&mut c, ch, here)?)
        } else if matches!(ch, 'r' | 'R') && matches!(c.peek(1), Some('\'' | '"')) {
            // A raw string `r'...'`: no escapes.
            let q = c.peek(1).unwrap_or('\'');
            c.bump();
            c.bump();
            let from = c.i;
            while c.peek(0) != Some(q) {
                if c.bump().is_none() {
                    return Err(Diagnostic::parse("[PARSE_SYNTAX_ERROR] Unterminated string literal.", here));
                }
            }
            c.bump();
            Tok::Str(text[from..c.i - 1].to_string())
        } else if ch == '`' {
            c.bump();
            let mut s = String::new();
            loop {
                match c.bump() {
                    None => return Err(Diagnostic::parse("Unterminated quoted identifier", here)),
                    Some('`') if c.peek(0) == Some('`') => {
                        c.bump();
                        s.push('`');
                    }
                    Some('`') => break,
                    Some(x) => s.push(x),
                }
            }
            Tok::Quoted(s)
        } else if ch.is_ascii_digit() || (ch == '.' && c.peek(1).is_some_and(|d| d.is_ascii_digit()) && !after_name(&out)) {
            number(&mut c)
        } else if ident_char(ch) {
            while c.peek(0).is_some_and(ident_char) {
                c.bump();
            }
            Tok::Word(text[start..c.i].to_string())
        } else if let Some(s) = SYMS.iter().find(|s| c.starts(s)) {
            for _ in 0..s.len() {
                c.bump();
            }
            Tok::Sym(s)
        } else {
            return Err(Diagnostic::parse(format!("[PARSE_SYNTAX_ERROR] Syntax error at or near '{ch}'."), here));
        };
        out.push(Token { tok, span: Span::new(p, c.pos()), start, end: c.i });
    }
    Ok(out)
}

/// `t.5` is not a number after a name: the `.` is a field access (rare, but keeps `a.1e` sane).
fn after_name(out: &[Token]) -> bool {
    matches!(out.last().map(|t| &t.tok), Some(Tok::Word(_) | Tok::Quoted(_) | Tok::Sym(")" | "]")))
}

/// A number (Spark's INTEGER_VALUE, DECIMAL_VALUE, EXPONENT_VALUE and suffixed literals). Digits
/// followed by letters that are no suffix form an identifier, as in Spark (`1a`, `123_x`).
fn number(c: &mut Cursor) -> Tok {
    let start = c.i;
    let digits = |c: &mut Cursor| {
        while c.peek(0).is_some_and(|d| d.is_ascii_digit()) {
            c.bump();
        }
    };
    digits(c);
    let mut plain = true;
    if c.peek(0) == Some('.') {
        plain = false;
        c.bump();
        digits(c);
    }
    if matches!(c.peek(0), Some('e' | 'E')) {
        let sign = matches!(c.peek(1), Some('+' | '-')) as usize;
        if c.peek(1 + sign).is_some_and(|d| d.is_ascii_digit()) {
            plain = false;
            c.bump();
            if sign == 1 {
                c.bump();
            }
            digits(c);
        }
    }
    let rest = &c.text[c.i..];
    let word_len = rest.find(|x: char| !ident_char(x)).unwrap_or(rest.len());
    let word = &rest[..word_len];
    let suffix = match word.to_ascii_uppercase().as_str() {
        "L" | "S" | "Y" if plain => 1,
        "D" | "F" => 1,
        "BD" => 2,
        _ => 0,
    };
    if suffix == word_len {
        for _ in 0..suffix {
            c.bump();
        }
    } else if plain {
        // `1a`, `2019_x`: an identifier.
        while c.peek(0).is_some_and(ident_char) {
            c.bump();
        }
        return Tok::Word(c.text[start..c.i].to_string());
    }
    Tok::Number(c.text[start..c.i].to_string())
}

/// A quoted string with Spark's escapes (`\n`, `\t`, `\0`, `\Z`, `\uXXXX`, octal `\101`; `\%` and `\_`
/// keep their backslash; any other `\x` is `x`). `'it''s'` is two adjacent literals (`its`), as in Spark 3.5.
fn string(c: &mut Cursor, q: char, here: Span) -> Result<String> {
    c.bump();
    let mut s = String::new();
    let unterminated = || Diagnostic::parse("[PARSE_SYNTAX_ERROR] Unterminated string literal.", here);
    loop {
        match c.bump().ok_or_else(unterminated)? {
            x if x == q => return Ok(s),
            '\\' => {
                let e = c.bump().ok_or_else(unterminated)?;
                match e {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    'b' => s.push('\u{8}'),
                    '0'..='3' if (0..2).all(|k| c.peek(k).is_some_and(|d| ('0'..='7').contains(&d))) => {
                        let v = (0..2).filter_map(|_| c.bump()).fold(e as u32 - 48, |v, d| v * 8 + (d as u32 - 48));
                        s.push(char::from_u32(v).unwrap_or('\0'));
                    }
                    '0' => s.push('\0'),
                    'Z' => s.push('\u{1A}'),
                    '%' | '_' => {
                        s.push('\\');
                        s.push(e);
                    }
                    'u' if (0..4).all(|k| c.peek(k).is_some_and(|d| d.is_ascii_hexdigit())) => {
                        let hex: String = (0..4).filter_map(|_| c.bump()).collect();
                        let v = u32::from_str_radix(&hex, 16).unwrap_or(0);
                        s.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
                    }
                    other => s.push(other),
                }
            }
            x => s.push(x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn lexes() {
        use Tok::*;
        assert_eq!(
            toks("SELECT a.`b``c`, 1L, 2.5BD, .5, 1e3, 1a -- x\n /* a /* b */ c */ 'it\\'s' \"q\\n\" <=> != :: ->"),
            vec![
                Word("SELECT".into()),
                Word("a".into()),
                Sym("."),
                Quoted("b`c".into()),
                Sym(","),
                Number("1L".into()),
                Sym(","),
                Number("2.5BD".into()),
                Sym(","),
                Number(".5".into()),
                Sym(","),
                Number("1e3".into()),
                Sym(","),
                Word("1a".into()),
                Str("it's".into()),
                Str("q\n".into()),
                Sym("<=>"),
                Sym("!="),
                Sym("::"),
                Sym("->"),
            ]
        );
        assert_eq!(toks("'a\\%' '\\u0041\\101' 'it''s' r'\\d'"), vec![Str("a\\%".into()), Str("AA".into()), Str("it".into()), Str("s".into()), Str("\\d".into())]);
    }

    #[test]
    fn spans_and_hints() {
        let t = tokenize("SELECT\n  /*+ BROADCAST(o) */ 'é', x").unwrap();
        assert_eq!(t[1].tok, Tok::Hint(" BROADCAST(o) ".into()));
        assert_eq!(t[1].span.start, Pos { line: 2, col: 6 });
        assert_eq!(t[3].tok, Tok::Sym(","));
        assert_eq!(t[3].span, Span::new(Pos { line: 2, col: 26 }, Pos { line: 2, col: 27 }));
        let e = tokenize("SELECT 'abc").unwrap_err();
        assert!(e.message.contains("Unterminated string literal"));
        assert_eq!(e.span.start, Pos { line: 1, col: 8 });
        let e = tokenize("SELECT a # b").unwrap_err();
        assert_eq!(e.span.start, Pos { line: 1, col: 10 });
    }
}
