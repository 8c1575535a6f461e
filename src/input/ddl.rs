//! Catalog DDL in SQL text: splits a `;`-separated Spark SQL script into `CREATE TABLE` definitions
//! (→ `scenario::Table`, with generated files and Parquet row groups), `SET key=value` confs, `CACHE`/`UNCACHE
//! TABLE` statements and queries (returned untouched, with their spans, for the planner); and renders a
//! `Table` back as editable DDL (`table_to_ddl`). Knows Spark's DDL syntax, type names, its statistics
//! properties (`spark.sql.statistics.totalSize` / `numRows`) and Stagecraft's own `stagecraft.*` properties;
//! knows nothing of query semantics, planning or how scans split files.
//!
//! Stagecraft properties (full reference with defaults: `docs/catalog-ddl.md`):
//! `stagecraft.rows` (real rows, not told to the optimizer), `stagecraft.files` (N equal files),
//! `stagecraft.file_sizes` / `stagecraft.file_rows` (per-file lists), `stagecraft.row_group_rows` (max rows per
//! row group) or `stagecraft.row_groups_per_file` (N or a list), `stagecraft.partitions.<col>` (`a..b` date or
//! integer range, or a comma list), `stagecraft.file_partitions` (`c=v/c2=v2,...` per file),
//! `stagecraft.column.<col>.distinct` / `.nulls` / `.top` (`value:fraction,...`).
//! Defaults: 1 file per 128 MiB (at least 1, at least 1 per partition), one Parquet row group per 128 MiB,
//! rows = size / (Spark's row width / 5), 1,000,000 rows when neither size nor rows is given.

use crate::conf::parse_bytes;
use crate::error::{Diagnostic, Phase, Pos, Result, Span};
use crate::scenario::{Column, DataFile, RowGroup, Table, TopValue};
use crate::input::sql::lexer::{self, Tok as Token};
use std::collections::BTreeMap;

/// Data source formats a catalog table may use.
pub const FORMATS: &[&str] = &["parquet", "orc", "csv", "json", "delta"];
/// Default target size of one data file (Spark writes one file per task; 128 MiB is the usual target).
pub const DEFAULT_FILE_BYTES: u64 = 128 << 20;
/// Parquet's default `parquet.block.size`: one row group per 128 MiB.
pub const PARQUET_ROW_GROUP_BYTES: u64 = 128 << 20;
/// ORC's default `orc.stripe.size`.
pub const ORC_STRIPE_BYTES: u64 = 64 << 20;
/// Rows assumed when a table gives neither a size nor a row count.
pub const DEFAULT_ROWS: u64 = 1_000_000;
/// On-disk bytes per row = Spark's in-memory row width (8 + Σ defaultSize) / this.
pub const COMPRESSION_FACTOR: u64 = 5;
/// Upper bound on generated files / partition values per table.
pub const MAX_FILES: u64 = 100_000;
/// Upper bound on generated row groups per table.
pub const MAX_ROW_GROUPS: u64 = 1_000_000;
/// Deepest nesting of `array<...>` / `map<...>` / `struct<...>` accepted.
pub const MAX_TYPE_DEPTH: u32 = 64;
/// Largest catalog DDL script accepted, in bytes (the TPC-H catalog is ~9 KB).
pub const MAX_DDL_BYTES: usize = 1 << 20;
/// Most tables one catalog may define.
pub const MAX_TABLES: usize = 1_000;

/// A parsed script: catalog tables, confs and the statements left for the planner, in source order.
/// Confs apply to the whole script; their spans let a caller order them against statements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Script {
    pub tables: Vec<Table>,
    /// `(key, value, span of "key=value")`.
    pub confs: Vec<(String, String, Span)>,
    pub statements: Vec<ScriptStatement>,
}

/// A statement for the planner. `text` starts exactly at `span.start` (use `Span::offset_by`).
#[derive(Debug, Clone, PartialEq)]
pub enum ScriptStatement {
    Query { text: String, span: Span },
    CacheTable { name: String, lazy: bool, options: Vec<(String, String)>, query: Option<(String, Span)>, span: Span },
    UncacheTable { name: String, if_exists: bool, span: Span },
}

/// Parses a script; the first error stops it.
pub fn parse_script(text: &str) -> Result<Script> {
    if text.len() > MAX_DDL_BYTES {
        let msg = format!("the catalog script is {} bytes; the limit is {MAX_DDL_BYTES} bytes (MAX_DDL_BYTES)", text.len());
        return Err(Diagnostic::new(crate::error::Phase::Limit, msg, Span::point(1, 1)));
    }
    let src = Source::new(text);
    let toks = tokenize(text)?;
    let mut script = Script::default();
    let mut start = 0;
    for i in 0..=toks.len() {
        if i < toks.len() && toks[i].tok != Token::Sym(";") {
            continue;
        }
        if i > start {
            let end = match toks.get(i) {
                Some(t) => t.span,
                None => Span::point(toks[i - 1].span.end.line, toks[i - 1].span.end.col),
            };
            statement(&src, &toks[start..i], end, &mut script)?;
        }
        start = i + 1;
    }
    Ok(script)
}

// ---------------------------------------------------------------- source text and tokens

struct Source<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Source<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { text, line_starts }
    }
    /// Byte offset of a 1-based line:col (columns in chars).
    fn byte(&self, p: Pos) -> usize {
        let Some(&ls) = self.line_starts.get((p.line.max(1) - 1) as usize) else { return self.text.len() };
        let line = &self.text[ls..];
        ls + line.char_indices().nth((p.col.max(1) - 1) as usize).map(|(i, _)| i).unwrap_or(line.len())
    }
    fn pos(&self, byte: usize) -> Pos {
        let li = self.line_starts.partition_point(|&s| s <= byte).max(1) - 1;
        let ls = self.line_starts[li];
        let col = self.text.get(ls..byte).map(|s| s.chars().count()).unwrap_or(0);
        Pos { line: li as u32 + 1, col: col as u32 + 1 }
    }
    fn slice(&self, span: Span) -> &'a str {
        let (a, b) = (self.byte(span.start), self.byte(span.end));
        self.text.get(a..b.max(a)).unwrap_or("")
    }
}

#[derive(Debug, Clone)]
struct Tok {
    tok: Token,
    span: Span,
}

/// The SQL lexer's tokens, except that string literals keep their backslashes (property values use
/// backslash escapes of their own, `'US,FR\,BE'`, undone by `split_list` / `unescape`) and a doubled
/// quote inside one is that quote (`'it''s'`, as `table_to_ddl` writes it).
fn tokenize(text: &str) -> Result<Vec<Tok>> {
    let mut out: Vec<Tok> = vec![];
    let mut last_end = usize::MAX;
    for t in lexer::tokenize(text)? {
        if let Token::Str(_) = t.tok {
            let s = text.get(t.start..t.end).unwrap_or("").trim_start_matches(['r', 'R']);
            let q = s.chars().next().unwrap_or('\'');
            let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
            if let Some(Tok { tok: Token::Str(prev), span }) = out.last_mut().filter(|_| last_end == t.start) {
                prev.push(q);
                prev.push_str(inner);
                *span = span.union(t.span);
            } else {
                out.push(Tok { tok: Token::Str(inner.to_string()), span: t.span });
            }
        } else {
            out.push(Tok { tok: t.tok, span: t.span });
        }
        last_end = t.end;
    }
    Ok(out)
}

/// A token as written, for messages.
fn show(t: &Token) -> String {
    match t {
        Token::Word(w) | Token::Number(w) => w.clone(),
        Token::Quoted(w) => format!("`{w}`"),
        Token::Str(s) => format!("'{s}'"),
        Token::Hint(h) => format!("/*+{h}*/"),
        Token::Sym(s) => s.to_string(),
    }
}

fn parse_err(msg: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::new(Phase::Parse, msg, span)
}
fn cat_err(msg: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::new(Phase::Catalog, msg, span)
}

/// A cursor over one statement's tokens.
struct P<'t> {
    toks: &'t [Tok],
    i: usize,
    end: Span,
    /// Nesting depth of the data type being parsed.
    depth: u32,
}

impl<'t> P<'t> {
    fn peek(&self) -> Option<&'t Tok> {
        self.toks.get(self.i)
    }
    fn at_end(&self) -> bool {
        self.i >= self.toks.len()
    }
    fn here(&self) -> Span {
        self.peek().map(|t| t.span).unwrap_or(self.end)
    }
    fn found(&self) -> String {
        match self.peek() {
            Some(t) => format!("'{}'", show(&t.tok)),
            None => "the end of the statement".into(),
        }
    }
    fn fail<T>(&self, expected: &str) -> Result<T> {
        Err(parse_err(format!("expected {expected}, found {}", self.found()), self.here()))
    }
    fn is_word(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok { tok: Token::Word(w), .. }) if w.eq_ignore_ascii_case(kw))
    }
    fn eat_word(&mut self, kw: &str) -> bool {
        let hit = self.is_word(kw);
        self.i += hit as usize;
        hit
    }
    fn expect_word(&mut self, kw: &str) -> Result<Span> {
        let span = self.here();
        if self.eat_word(kw) {
            Ok(span)
        } else {
            self.fail(kw)
        }
    }
    fn eat(&mut self, t: &Token) -> bool {
        let hit = self.peek().map(|x| &x.tok == t).unwrap_or(false);
        self.i += hit as usize;
        hit
    }
    fn expect(&mut self, t: &Token) -> Result<Span> {
        let span = self.here();
        if self.eat(t) {
            Ok(span)
        } else {
            self.fail(&format!("'{}'", show(t)))
        }
    }
    fn ident(&mut self, what: &str) -> Result<(String, Span)> {
        match self.peek() {
            Some(Tok { tok: Token::Word(w) | Token::Quoted(w), span }) => {
                self.i += 1;
                Ok((w.clone(), *span))
            }
            _ => self.fail(what),
        }
    }
    /// `a.b.c`, with Spark's default catalog/database prefixes dropped.
    fn table_name(&mut self) -> Result<(String, Span)> {
        let (mut parts, span) = {
            let (n, s) = self.ident("a table name")?;
            (vec![n], s)
        };
        let mut span = span;
        while self.eat(&Token::Sym(".")) {
            let (n, s) = self.ident("a name after '.'")?;
            parts.push(n);
            span = span.union(s);
        }
        while parts.len() > 1 && ["spark_catalog", "default"].iter().any(|p| parts[0].eq_ignore_ascii_case(p)) {
            parts.remove(0);
        }
        Ok((parts.join("."), span))
    }
    fn string(&mut self, what: &str) -> Result<(String, Span)> {
        match self.peek() {
            Some(Tok { tok: Token::Str(s), span }) => {
                self.i += 1;
                Ok((s.clone(), *span))
            }
            _ => self.fail(what),
        }
    }
    fn number(&mut self, what: &str) -> Result<(u64, Span)> {
        match self.peek() {
            Some(Tok { tok: Token::Number(n), span }) if n.parse::<u64>().is_ok() => {
                self.i += 1;
                Ok((n.parse().unwrap_or(0), *span))
            }
            _ => self.fail(what),
        }
    }
    fn close_angle(&mut self) -> Result<()> {
        self.expect(&Token::Sym(">")).map(|_| ())
    }
    fn expect_end(&self) -> Result<()> {
        if self.at_end() {
            Ok(())
        } else {
            Err(parse_err(format!("unexpected {} after the end of the statement", self.found()), self.here()))
        }
    }
}

// ---------------------------------------------------------------- statements

fn statement(src: &Source, toks: &[Tok], end: Span, script: &mut Script) -> Result<()> {
    let mut p = P { toks, i: 0, end, depth: 0 };
    let whole = toks[0].span.union(toks[toks.len() - 1].span);
    if p.is_word("CREATE") && is_create_table(toks) {
        let raw = create_table(&mut p)?;
        let replace = raw.or_replace;
        let if_not_exists = raw.if_not_exists;
        let (name_span, table) = (raw.name_span, build_table(raw)?);
        match script.tables.iter().position(|t| t.name.eq_ignore_ascii_case(&table.name)) {
            Some(i) if replace => script.tables[i] = table,
            Some(_) if if_not_exists => {}
            Some(_) => return Err(cat_err(format!("table '{}' is already defined", table.name), name_span)),
            None if script.tables.len() >= MAX_TABLES => {
                let msg = format!("table '{}' is one too many: a catalog holds at most {MAX_TABLES} tables (MAX_TABLES)", table.name);
                return Err(Diagnostic::new(crate::error::Phase::Limit, msg, name_span));
            }
            None => script.tables.push(table),
        }
    } else if p.is_word("SET") {
        script.confs.push(set_statement(src, &mut p)?);
    } else if p.eat_word("CACHE") {
        let lazy = p.eat_word("LAZY");
        p.expect_word("TABLE")?;
        let (name, _) = p.table_name()?;
        let options =
            if p.eat_word("OPTIONS") { props(&mut p)?.into_iter().map(|x| (x.key, x.value)).collect() } else { vec![] };
        let query = if p.at_end() {
            None
        } else {
            p.eat_word("AS");
            if p.at_end() {
                return p.fail("a query after AS");
            }
            let span = toks[p.i].span.union(toks[toks.len() - 1].span);
            Some((src.slice(span).to_string(), span))
        };
        script.statements.push(ScriptStatement::CacheTable { name, lazy, options, query, span: whole });
    } else if p.eat_word("UNCACHE") {
        p.expect_word("TABLE")?;
        let if_exists = p.eat_word("IF");
        if if_exists {
            p.expect_word("EXISTS")?;
        }
        let (name, _) = p.table_name()?;
        p.expect_end()?;
        script.statements.push(ScriptStatement::UncacheTable { name, if_exists, span: whole });
    } else {
        script.statements.push(ScriptStatement::Query { text: src.slice(whole).to_string(), span: whole });
    }
    Ok(())
}

fn is_create_table(toks: &[Tok]) -> bool {
    let words: Vec<String> = toks
        .iter()
        .take(5)
        .map(|t| match &t.tok {
            Token::Word(w) => w.to_ascii_uppercase(),
            _ => String::new(),
        })
        .collect();
    let mut i = 1;
    if words.get(1).map(String::as_str) == Some("OR") {
        i = 3;
    }
    if matches!(words.get(i).map(String::as_str), Some("EXTERNAL" | "TEMPORARY" | "TEMP")) {
        i += 1;
    }
    words.get(i).map(String::as_str) == Some("TABLE")
}

/// `SET key=value`, `SET key = 'value'`, `SET TIME ZONE 'zone'`. Key and value are raw text around the first `=`.
fn set_statement(src: &Source, p: &mut P) -> Result<(String, String, Span)> {
    let set_span = p.expect_word("SET")?;
    if p.is_word("TIME")
        && p.toks.get(p.i + 1).map(|t| matches!(&t.tok, Token::Word(w) if w.eq_ignore_ascii_case("ZONE")))
            == Some(true)
    {
        p.i += 2;
        let (zone, span) = p.string("a quoted time zone")?;
        p.expect_end()?;
        return Ok(("spark.sql.session.timeZone".into(), zone, set_span.union(span)));
    }
    if p.at_end() {
        return p.fail("key=value after SET");
    }
    let (a, b) = (src.byte(p.toks[p.i].span.start), src.byte(p.toks[p.toks.len() - 1].span.end));
    let raw = &src.text[a..b];
    let Some(eq) = raw.find('=') else {
        return Err(parse_err("SET needs key=value (showing a conf is not supported)", p.here()));
    };
    let key = unquote(raw[..eq].trim());
    if key.is_empty() {
        return Err(parse_err("SET needs a key before '='", Span::point(src.pos(a + eq).line, src.pos(a + eq).col)));
    }
    let value_raw = raw[eq + 1..].trim();
    let value = unquote(value_raw);
    let end = if value_raw.is_empty() { src.pos(a + eq + 1) } else { src.pos(b) };
    Ok((key, value, Span::new(src.pos(a), end)))
}

fn unquote(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b[b.len() - 1] && matches!(b[0], b'\'' | b'"' | b'`') {
        s[1..s.len() - 1].to_string()
    } else {
        s.to_string()
    }
}

struct RawColumn {
    name: String,
    span: Span,
    ty: String,
    not_null: bool,
}

struct Prop {
    key: String,
    key_span: Span,
    value: String,
    span: Span,
}

struct RawTable {
    name: String,
    name_span: Span,
    or_replace: bool,
    if_not_exists: bool,
    columns: Vec<RawColumn>,
    format: Option<(String, Span)>,
    partition_by: Vec<(String, Span)>,
    props: Vec<Prop>,
}

fn create_table(p: &mut P) -> Result<RawTable> {
    p.expect_word("CREATE")?;
    let or_replace = p.eat_word("OR");
    if or_replace {
        p.expect_word("REPLACE")?;
    }
    let _ = p.eat_word("EXTERNAL") || p.eat_word("TEMPORARY") || p.eat_word("TEMP");
    p.expect_word("TABLE")?;
    let if_not_exists = p.eat_word("IF");
    if if_not_exists {
        p.expect_word("NOT")?;
        p.expect_word("EXISTS")?;
    }
    let (name, name_span) = p.table_name()?;
    if !p.eat(&Token::Sym("(")) {
        return p.fail("'(' and the column list (a catalog table declares its columns)");
    }
    let mut t = RawTable {
        name,
        name_span,
        or_replace,
        if_not_exists,
        columns: vec![],
        format: None,
        partition_by: vec![],
        props: vec![],
    };
    loop {
        let col = column_def(p)?;
        add_column(&mut t.columns, col)?;
        if !p.eat(&Token::Sym(",")) {
            p.expect(&Token::Sym(")"))?;
            break;
        }
    }
    let mut seen: Vec<&str> = vec![];
    while !p.at_end() {
        let span = p.here();
        let clause = match p.peek().map(|t| &t.tok) {
            Some(Token::Word(w)) => w.to_ascii_uppercase(),
            _ => String::new(),
        };
        let key: &str = match clause.as_str() {
            "USING" | "STORED" => "USING",
            "PARTITIONED" => "PARTITIONED BY",
            "TBLPROPERTIES" => "TBLPROPERTIES",
            "OPTIONS" => "OPTIONS",
            "LOCATION" => "LOCATION",
            "COMMENT" => "COMMENT",
            "CLUSTERED" => return Err(parse_err("bucketed tables (CLUSTERED BY) are not supported", span)),
            "AS" => return Err(parse_err("CREATE TABLE ... AS SELECT is a write, not a catalog table", span)),
            _ => return p.fail("USING, PARTITIONED BY, TBLPROPERTIES, OPTIONS, LOCATION or COMMENT"),
        };
        if seen.contains(&key) {
            return Err(parse_err(format!("duplicate {key} clause"), span));
        }
        seen.push(key);
        p.i += 1;
        match clause.as_str() {
            "USING" | "STORED" => {
                if clause == "STORED" {
                    p.expect_word("AS")?;
                }
                let (f, s) = p.ident("a data source format")?;
                let f = f.to_ascii_lowercase();
                if !FORMATS.contains(&f.as_str()) {
                    return Err(cat_err(
                        format!("unknown data source format '{f}' (Stagecraft accepts {})", FORMATS.join(", ")),
                        s,
                    ));
                }
                t.format = Some((f, s));
            }
            "PARTITIONED" => {
                p.expect_word("BY")?;
                p.expect(&Token::Sym("("))?;
                loop {
                    let (name, s) = p.ident("a partition column")?;
                    if !matches!(p.peek().map(|t| &t.tok), Some(Token::Sym(",") | Token::Sym(")"))) {
                        // Hive style: `PARTITIONED BY (c TYPE)` declares the column.
                        let ty = data_type(p)?;
                        add_column(&mut t.columns, RawColumn { name: name.clone(), span: s, ty, not_null: false })?;
                    }
                    if t.partition_by.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                        return Err(cat_err(format!("partition column '{name}' is listed twice"), s));
                    }
                    t.partition_by.push((name, s));
                    if !p.eat(&Token::Sym(",")) {
                        p.expect(&Token::Sym(")"))?;
                        break;
                    }
                }
            }
            "TBLPROPERTIES" => t.props = props(p)?,
            "OPTIONS" => {
                props(p)?;
            }
            _ => {
                p.string("a quoted string")?;
            }
        }
    }
    Ok(t)
}

fn add_column(cols: &mut Vec<RawColumn>, col: RawColumn) -> Result<()> {
    if cols.iter().any(|c| c.name.eq_ignore_ascii_case(&col.name)) {
        return Err(cat_err(format!("duplicate column '{}'", col.name), col.span));
    }
    cols.push(col);
    Ok(())
}

fn column_def(p: &mut P) -> Result<RawColumn> {
    let (name, span) = p.ident("a column name")?;
    let ty = data_type(p)?;
    let mut not_null = false;
    loop {
        if p.eat_word("NOT") {
            p.expect_word("NULL")?;
            not_null = true;
        } else if p.eat_word("COMMENT") {
            p.string("a quoted comment")?;
        } else if p.is_word("DEFAULT") || p.is_word("GENERATED") {
            return Err(parse_err("column defaults and generated columns are not supported", p.here()));
        } else {
            break;
        }
    }
    Ok(RawColumn { name, span, ty, not_null })
}

/// A Spark data type, returned as Spark's lowercase catalog string (`int`, `decimal(15,2)`, `array<string>`).
fn data_type(p: &mut P) -> Result<String> {
    if p.depth >= MAX_TYPE_DEPTH {
        return Err(parse_err(format!("data type nested deeper than {MAX_TYPE_DEPTH} levels"), p.here()));
    }
    p.depth += 1;
    let t = data_type_inner(p);
    p.depth -= 1;
    t
}

fn data_type_inner(p: &mut P) -> Result<String> {
    let (word, span) = match p.peek() {
        Some(Tok { tok: Token::Word(w), span }) => (w.to_ascii_lowercase(), *span),
        _ => return p.fail("a data type"),
    };
    p.i += 1;
    let simple = match word.as_str() {
        "int" | "integer" => "int",
        "bigint" | "long" => "bigint",
        "smallint" | "short" => "smallint",
        "tinyint" | "byte" => "tinyint",
        "double" => "double",
        "float" | "real" => "float",
        "string" => "string",
        "boolean" => "boolean",
        "date" => "date",
        "timestamp" | "timestamp_ltz" => "timestamp",
        "timestamp_ntz" => "timestamp_ntz",
        "binary" => "binary",
        _ => "",
    };
    if !simple.is_empty() {
        return Ok(simple.into());
    }
    match word.as_str() {
        "decimal" | "dec" | "numeric" => {
            if !p.eat(&Token::Sym("(")) {
                return Ok("decimal(10,0)".into());
            }
            let (prec, ps) = p.number("a precision")?;
            let scale = if p.eat(&Token::Sym(",")) { Some(p.number("a scale")?) } else { None };
            p.expect(&Token::Sym(")"))?;
            if !(1..=38).contains(&prec) {
                return Err(parse_err(format!("decimal precision {prec} is outside 1..38"), ps));
            }
            let (scale, ss) = scale.unwrap_or((0, ps));
            if scale > prec {
                return Err(parse_err(format!("decimal scale {scale} exceeds precision {prec}"), ss));
            }
            Ok(format!("decimal({prec},{scale})"))
        }
        "varchar" | "char" | "character" => {
            p.expect(&Token::Sym("("))?;
            let (n, ns) = p.number("a length")?;
            p.expect(&Token::Sym(")"))?;
            if n == 0 {
                return Err(parse_err("a char/varchar length must be positive", ns));
            }
            Ok(format!("{}({n})", if word == "varchar" { "varchar" } else { "char" }))
        }
        "array" => {
            p.expect(&Token::Sym("<"))?;
            let e = data_type(p)?;
            p.close_angle()?;
            Ok(format!("array<{e}>"))
        }
        "map" => {
            p.expect(&Token::Sym("<"))?;
            let k = data_type(p)?;
            p.expect(&Token::Sym(","))?;
            let v = data_type(p)?;
            p.close_angle()?;
            Ok(format!("map<{k},{v}>"))
        }
        "struct" => {
            if p.eat(&Token::Sym("<>")) {
                return Ok("struct<>".into());
            }
            p.expect(&Token::Sym("<"))?;
            let mut fields = vec![];
            loop {
                let (name, _) = p.ident("a struct field name")?;
                p.eat(&Token::Sym(":"));
                let ty = data_type(p)?;
                if p.eat_word("NOT") {
                    p.expect_word("NULL")?;
                }
                if p.eat_word("COMMENT") {
                    p.string("a quoted comment")?;
                }
                fields.push(format!("{name}:{ty}"));
                if !p.eat(&Token::Sym(",")) {
                    break;
                }
            }
            p.close_angle()?;
            Ok(format!("struct<{}>", fields.join(",")))
        }
        _ => Err(parse_err(format!("unknown data type '{word}'"), span)),
    }
}

/// `( key [=] value, ... )`: keys quoted or dotted identifiers, values strings, numbers or booleans.
fn props(p: &mut P) -> Result<Vec<Prop>> {
    p.expect(&Token::Sym("("))?;
    let mut out: Vec<Prop> = vec![];
    if p.eat(&Token::Sym(")")) {
        return Ok(out);
    }
    loop {
        let (key, key_span) = match p.peek().map(|t| &t.tok) {
            Some(Token::Str(_)) => p.string("a property key")?,
            Some(Token::Word(_) | Token::Quoted(_)) => {
                let (mut k, mut s) = p.ident("a property key")?;
                while p.eat(&Token::Sym(".")) {
                    let (n, s2) = p.ident("a key part after '.'")?;
                    k = format!("{k}.{n}");
                    s = s.union(s2);
                }
                (k, s)
            }
            _ => return p.fail("a property key"),
        };
        p.eat(&Token::Sym("="));
        let span = p.here();
        let minus = p.eat(&Token::Sym("-"));
        let value = match p.peek().map(|t| &t.tok) {
            Some(Token::Str(s)) if !minus => s.clone(),
            Some(Token::Number(n)) => format!("{}{n}", if minus { "-" } else { "" }),
            Some(Token::Word(w)) if !minus && ["true", "false"].contains(&w.to_ascii_lowercase().as_str()) => {
                w.to_ascii_lowercase()
            }
            _ => return p.fail("a property value (a quoted string, number or boolean)"),
        };
        p.i += 1;
        if out.iter().any(|x| x.key == key) {
            return Err(parse_err(format!("duplicate property key '{key}'"), key_span));
        }
        out.push(Prop { key, key_span, value, span });
        if !p.eat(&Token::Sym(",")) {
            p.expect(&Token::Sym(")"))?;
            return Ok(out);
        }
    }
}

// ---------------------------------------------------------------- table building

#[derive(Default)]
struct ColSpec {
    distinct: Option<u64>,
    nulls: Option<(u64, Span)>,
    top: Vec<TopValue>,
}

#[derive(Default)]
struct Spec {
    total_size: Option<u64>,
    num_rows: Option<(u64, Span)>,
    rows: Option<(u64, Span)>,
    files: Option<(u64, Span)>,
    file_sizes: Option<(Vec<u64>, Span)>,
    file_rows: Option<(Vec<u64>, Span)>,
    rg_per_file: Option<(Vec<u64>, Span)>,
    rg_rows: Option<(u64, Span)>,
    file_partitions: Option<(Vec<BTreeMap<String, String>>, Span)>,
    partitions: BTreeMap<usize, (Vec<String>, Span)>,
    cols: BTreeMap<usize, ColSpec>,
}

fn count(p: &Prop) -> Result<u64> {
    let v = p.value.trim();
    match v.parse::<u64>() {
        Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(cat_err(format!("'{}' must be a whole number, got '{}'", p.key, p.value), p.span)),
    }
}

fn counts(p: &Prop) -> Result<Vec<u64>> {
    split_list(&p.value, ',')
        .iter()
        .map(|x| {
            let x = unescape(x);
            x.parse::<u64>().ok().filter(|_| x.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| {
                cat_err(format!("'{}' must be a comma list of whole numbers; '{x}' is not one", p.key), p.span)
            })
        })
        .collect()
}

fn sizes(p: &Prop) -> Result<Vec<u64>> {
    split_list(&p.value, ',')
        .iter()
        .map(|x| {
            let x = unescape(x);
            parse_bytes(&x).filter(|n| *n >= 0).map(|n| n as u64).ok_or_else(|| {
                cat_err(format!("'{}' must be a comma list of byte sizes; '{x}' is not one", p.key), p.span)
            })
        })
        .collect()
}

fn build_table(raw: RawTable) -> Result<Table> {
    let RawTable { name, name_span, columns: mut cols, format, partition_by, props, .. } = raw;
    // Spark places partition columns last, in PARTITIONED BY order.
    let mut pidx = vec![];
    for (pname, pspan) in &partition_by {
        match cols.iter().position(|c| c.name.eq_ignore_ascii_case(pname)) {
            Some(i) => pidx.push(i),
            None => {
                return Err(cat_err(
                    format!("partition column '{pname}' is not in the column list of '{name}'"),
                    *pspan,
                ))
            }
        }
    }
    let mut ordered: Vec<RawColumn> = vec![];
    let mut taken: Vec<Option<RawColumn>> = cols.drain(..).map(Some).collect();
    for (i, c) in taken.iter_mut().enumerate() {
        if !pidx.contains(&i) {
            ordered.extend(c.take());
        }
    }
    for i in &pidx {
        ordered.extend(taken[*i].take());
    }
    let cols = ordered;
    let nparts = partition_by.len();
    let first_part = cols.len() - nparts;
    let find = |n: &str| cols.iter().position(|c| c.name.eq_ignore_ascii_case(n));

    let mut s = Spec::default();
    for p in &props {
        let k = p.key.as_str();
        let col_of = |rest: &str| -> Result<(usize, String)> {
            let (c, stat) = rest.rsplit_once('.').unwrap_or((rest, ""));
            let i = find(c).ok_or_else(|| cat_err(format!("'{k}': table '{name}' has no column '{c}'"), p.key_span))?;
            Ok((i, stat.to_string()))
        };
        match k {
            "spark.sql.statistics.totalSize" => s.total_size = Some(count(p)?),
            "spark.sql.statistics.numRows" => s.num_rows = Some((count(p)?, p.span)),
            "stagecraft.rows" => s.rows = Some((count(p)?, p.span)),
            "stagecraft.files" => s.files = Some((count(p)?, p.span)),
            "stagecraft.file_sizes" => s.file_sizes = Some((sizes(p)?, p.span)),
            "stagecraft.file_rows" => s.file_rows = Some((counts(p)?, p.span)),
            "stagecraft.row_groups_per_file" => s.rg_per_file = Some((counts(p)?, p.span)),
            "stagecraft.row_group_rows" => s.rg_rows = Some((count(p)?, p.span)),
            "stagecraft.file_partitions" => {
                let parts = file_partitions(p, &cols[first_part..])?;
                s.file_partitions = Some((parts, p.span));
            }
            _ if k.starts_with("stagecraft.partitions.") => {
                let c = &k["stagecraft.partitions.".len()..];
                let i = find(c)
                    .filter(|i| *i >= first_part)
                    .ok_or_else(|| cat_err(format!("'{k}': '{name}' is not partitioned by '{c}'"), p.key_span))?;
                s.partitions.insert(i, (partition_values(p, &cols[i].ty)?, p.span));
            }
            _ if k.starts_with("stagecraft.column.") => {
                let (i, stat) = col_of(&k["stagecraft.column.".len()..])?;
                let cs = s.cols.entry(i).or_default();
                match stat.as_str() {
                    "distinct" => cs.distinct = Some(count(p)?),
                    "nulls" => cs.nulls = Some((count(p)?, p.span)),
                    "top" => cs.top = top_values(p)?,
                    _ => {
                        return Err(cat_err(
                            format!("unknown column statistic in '{k}' (use distinct, nulls or top)"),
                            p.key_span,
                        ))
                    }
                }
            }
            _ if k.starts_with("spark.sql.statistics.colStats.") => {
                let (i, stat) = col_of(&k["spark.sql.statistics.colStats.".len()..])?;
                let cs = s.cols.entry(i).or_default();
                match stat.as_str() {
                    "distinctCount" if cs.distinct.is_none() => cs.distinct = Some(count(p)?),
                    "nullCount" if cs.nulls.is_none() => cs.nulls = Some((count(p)?, p.span)),
                    _ => {}
                }
            }
            _ if k.starts_with("stagecraft.") => {
                return Err(cat_err(
                    format!("unknown Stagecraft property '{k}' (see docs/catalog-ddl.md)"),
                    p.key_span,
                ));
            }
            _ => {}
        }
    }
    let format = format.map(|f| f.0).unwrap_or_else(|| "parquet".into());
    let has_groups = format != "csv" && format != "json";
    if let Some(sp) = s.rg_rows.map(|x| x.1).or(s.rg_per_file.as_ref().map(|x| x.1)) {
        if !has_groups {
            return Err(cat_err(format!("{format} files have no row groups"), sp));
        }
    }
    if let Some((v, sp)) = &s.rg_per_file {
        if v.is_empty() || v.contains(&0) {
            return Err(cat_err("'stagecraft.row_groups_per_file' needs counts of at least 1", *sp));
        }
    }

    // Rows and size.
    let width = bytes_per_row(cols.iter().map(|c| c.ty.as_str()));
    if let (Some((n, _)), Some((r, rs))) = (s.num_rows, s.rows) {
        if n != r {
            return Err(cat_err(
                format!("'stagecraft.rows' = {r} contradicts 'spark.sql.statistics.numRows' = {n}"),
                rs,
            ));
        }
    }
    let mut rows = s.num_rows.or(s.rows).map(|x| x.0);
    if let Some((fr, sp)) = &s.file_rows {
        let sum = checked_sum(fr).ok_or_else(|| cat_err("file rows overflow", *sp))?;
        match rows {
            Some(r) if r != sum => {
                return Err(cat_err(format!("file rows sum to {sum}, but the table has {r} rows"), *sp))
            }
            _ => rows = Some(sum),
        }
    }
    let sizes_sum = match &s.file_sizes {
        Some((v, sp)) => Some(checked_sum(v).ok_or_else(|| cat_err("file sizes overflow", *sp))?),
        None => None,
    };
    if let (Some(ts), Some(sum), Some((_, sp))) = (s.total_size, sizes_sum, &s.file_sizes) {
        if ts != sum {
            return Err(cat_err(format!("file sizes sum to {sum}, but 'spark.sql.statistics.totalSize' is {ts}"), *sp));
        }
    }
    let size = s.total_size.or(sizes_sum).unwrap_or_else(|| rows.unwrap_or(DEFAULT_ROWS).saturating_mul(width));
    let rows = rows.unwrap_or(if s.total_size.or(sizes_sum).is_some() { size.div_ceil(width) } else { DEFAULT_ROWS });

    // Partition values.
    let pcols: Vec<String> = cols[first_part..].iter().map(|c| c.name.clone()).collect();
    let combos: Vec<BTreeMap<String, String>> = if nparts == 0 || s.file_partitions.is_some() {
        vec![]
    } else {
        let mut combos = vec![BTreeMap::new()];
        for (j, (pname, pspan)) in partition_by.iter().enumerate() {
            let Some((vals, _)) = s.partitions.get(&(first_part + j)) else {
                return Err(cat_err(
                    format!("partitioned table '{name}' needs 'stagecraft.partitions.{pname}' (or 'stagecraft.file_partitions')"),
                    *pspan,
                ));
            };
            if combos.len() as u64 * vals.len() as u64 > MAX_FILES {
                return Err(cat_err(format!("more than {MAX_FILES} partitions"), *pspan));
            }
            let pc = &pcols[j];
            combos = combos
                .iter()
                .flat_map(|m| {
                    vals.iter().map(move |v| {
                        let mut m = m.clone();
                        m.insert(pc.clone(), v.clone());
                        m
                    })
                })
                .collect();
        }
        combos
    };
    if nparts == 0 {
        if let Some((_, sp)) = &s.file_partitions {
            return Err(cat_err(format!("'{name}' is not partitioned"), *sp));
        }
    }

    // File count: every list given must agree.
    let mut nfiles: Option<(u64, &str, Span)> = None;
    let claims = [
        s.file_sizes.as_ref().map(|(v, sp)| (v.len() as u64, "stagecraft.file_sizes", *sp)),
        s.files.map(|(n, sp)| (n, "stagecraft.files", sp)),
        s.file_rows.as_ref().map(|(v, sp)| (v.len() as u64, "stagecraft.file_rows", *sp)),
        s.rg_per_file
            .as_ref()
            .filter(|(v, _)| v.len() > 1)
            .map(|(v, sp)| (v.len() as u64, "stagecraft.row_groups_per_file", *sp)),
        s.file_partitions.as_ref().map(|(v, sp)| (v.len() as u64, "stagecraft.file_partitions", *sp)),
    ];
    for (n, key, sp) in claims.into_iter().flatten() {
        match nfiles {
            Some((m, k0, _)) if m != n => {
                return Err(cat_err(format!("'{key}' gives {n} files but '{k0}' gives {m}"), sp));
            }
            _ => nfiles = Some((n, key, sp)),
        }
    }
    let nparts_vals = combos.len().max(1) as u64;
    let f = match nfiles {
        Some((0, key, sp)) => return Err(cat_err(format!("'{key}': a table needs at least 1 file"), sp)),
        Some((n, key, sp)) if n > MAX_FILES => {
            return Err(cat_err(format!("'{key}': more than {MAX_FILES} files"), sp))
        }
        Some((n, key, sp)) if n < combos.len() as u64 => {
            return Err(cat_err(format!("'{key}': {n} files cannot hold {} partitions", combos.len()), sp))
        }
        Some((n, ..)) => n,
        None => match default_file_count(size, nparts_vals) {
            n if n > MAX_FILES => {
                let msg = format!("{size} bytes would need {n} files of 128 MiB (at most {MAX_FILES}): set 'stagecraft.files'");
                return Err(cat_err(msg, name_span));
            }
            n => n,
        },
    } as usize;

    let fsizes = s.file_sizes.as_ref().map(|x| x.0.clone()).unwrap_or_else(|| split_even(size, f));
    let frows = s.file_rows.as_ref().map(|x| x.0.clone()).unwrap_or_else(|| apportion(rows, &fsizes));
    let ncols = cols.len() as u64;
    let mut files = Vec::with_capacity(f);
    let mut total_groups = 0u64;
    for i in 0..f {
        let (groups, n, sp) = match (&s.rg_per_file, s.rg_rows) {
            (Some((v, sp)), _) => {
                let n = if v.len() == 1 { v[0] } else { v[i] };
                (Groups::Count(n), n.min(frows[i]), *sp)
            }
            (None, Some((0, sp))) => {
                return Err(cat_err("'stagecraft.row_group_rows' must be at least 1", sp))
            }
            (None, Some((k, sp))) => (Groups::MaxRows(k), frows[i].div_ceil(k), sp),
            (None, None) => (Groups::Default, default_groups(&format, fsizes[i], frows[i]), name_span),
        };
        total_groups += if has_groups { n } else { 0 };
        if total_groups > MAX_ROW_GROUPS {
            return Err(cat_err(format!("more than {MAX_ROW_GROUPS} row groups in '{name}'"), sp));
        }
        let row_group_layout = if has_groups { layout(&format, fsizes[i], frows[i], ncols, groups) } else { vec![] };
        let partition = match (&s.file_partitions, combos.is_empty()) {
            (Some((v, _)), _) => v[i].clone(),
            (None, false) => combos[spread(i, combos.len(), f)].clone(),
            (None, true) => BTreeMap::new(),
        };
        files.push(DataFile {
            bytes: fsizes[i],
            rows: frows[i],
            row_groups: row_group_layout.len() as u32,
            row_group_layout,
            partition,
        });
    }

    // Columns.
    let explicit_rows = s.num_rows.or(s.rows).is_some() || s.file_rows.is_some();
    let mut columns = vec![];
    for (i, c) in cols.iter().enumerate() {
        let cs = s.cols.remove(&i).unwrap_or_default();
        let mut distinct = cs.distinct.unwrap_or(0);
        if distinct == 0 && i >= first_part {
            let mut vals: Vec<&String> = files.iter().filter_map(|f| f.partition.get(&c.name)).collect();
            crate::sort::sort(&mut vals);
            vals.dedup();
            distinct = vals.len() as u64;
        }
        let nulls = match cs.nulls {
            Some((n, sp)) if c.not_null && n > 0 => {
                return Err(cat_err(format!("column '{}' is NOT NULL but has {n} nulls", c.name), sp))
            }
            Some((n, sp)) if explicit_rows && n > rows => {
                return Err(cat_err(format!("{n} nulls exceed the table's {rows} rows"), sp))
            }
            Some((n, _)) => n,
            None => 0,
        };
        columns.push(Column { name: c.name.clone(), data_type: c.ty.clone(), distinct, nulls, top_values: cs.top });
    }
    Ok(Table {
        name,
        format,
        rows,
        size_in_bytes: size,
        row_count_known_to_spark: s.num_rows.is_some(),
        partition_columns: pcols,
        files,
        columns,
    })
}

fn top_values(p: &Prop) -> Result<Vec<TopValue>> {
    let mut out = vec![];
    let mut sum = 0.0;
    for item in split_list(&p.value, ',') {
        let bad = || cat_err(format!("'{}' must be a list of value:fraction; '{item}' is not one", p.key), p.span);
        let (v, f) = item.rsplit_once(':').ok_or_else(bad)?;
        let fraction: f64 = f.trim().parse().map_err(|_| bad())?;
        if !(fraction > 0.0 && fraction <= 1.0) {
            return Err(cat_err(format!("'{}': fraction {f} is not in (0, 1]", p.key), p.span));
        }
        sum += fraction;
        out.push(TopValue { value: unescape(v), fraction });
    }
    if sum > 1.0 + 1e-6 {
        return Err(cat_err(format!("'{}': fractions sum to {sum}, more than 1", p.key), p.span));
    }
    Ok(out)
}

fn is_int_type(ty: &str) -> bool {
    matches!(ty, "int" | "bigint" | "smallint" | "tinyint")
}

/// `a..b` (inclusive; date or integer columns) or a comma list.
fn partition_values(p: &Prop, ty: &str) -> Result<Vec<String>> {
    let v = p.value.trim();
    if ty == "date" || is_int_type(ty) {
        if let Some((a, b)) = v.split_once("..") {
            let bad = |x: &str| cat_err(format!("'{}': '{x}' is not a valid {ty}", p.key), p.span);
            let parse = |x: &str| if ty == "date" { parse_date(x.trim()) } else { x.trim().parse::<i64>().ok() };
            let (lo, hi) = (parse(a).ok_or_else(|| bad(a))?, parse(b).ok_or_else(|| bad(b))?);
            if hi < lo {
                return Err(cat_err(
                    format!("'{}': range end {} is before its start {}", p.key, b.trim(), a.trim()),
                    p.span,
                ));
            }
            if (hi as i128 - lo as i128) >= MAX_FILES as i128 {
                return Err(cat_err(format!("'{}': more than {MAX_FILES} values", p.key), p.span));
            }
            return Ok((lo..=hi).map(|x| if ty == "date" { format_date(x) } else { x.to_string() }).collect());
        }
    }
    let vals: Vec<String> = split_list(v, ',').iter().map(|x| unescape(x)).collect();
    for x in &vals {
        if (ty == "date" && parse_date(x).is_none()) || (is_int_type(ty) && x.parse::<i64>().is_err()) {
            return Err(cat_err(format!("'{}': '{x}' is not a valid {ty}", p.key), p.span));
        }
    }
    let mut seen = vals.clone();
    crate::sort::sort(&mut seen);
    seen.dedup();
    if vals.is_empty() || vals.iter().any(|x| x.is_empty()) || seen.len() != vals.len() {
        return Err(cat_err(format!("'{}' needs distinct, non-empty values", p.key), p.span));
    }
    Ok(vals)
}

/// `c=v/c2=v2,...`: each file's partition values.
fn file_partitions(p: &Prop, pcols: &[RawColumn]) -> Result<Vec<BTreeMap<String, String>>> {
    let mut out = vec![];
    for item in split_list(&p.value, ',') {
        let mut m = BTreeMap::new();
        for kv in split_list(&item, '/') {
            let bad = || cat_err(format!("'{}': '{kv}' is not column=value", p.key), p.span);
            let (k, v) = kv.split_once('=').ok_or_else(bad)?;
            let c = pcols.iter().find(|c| c.name.eq_ignore_ascii_case(k.trim())).ok_or_else(bad)?;
            m.insert(c.name.clone(), unescape(v));
        }
        if m.len() != pcols.len() {
            return Err(cat_err(format!("'{}': '{item}' must give every partition column once", p.key), p.span));
        }
        out.push(m);
    }
    Ok(out)
}

// ---------------------------------------------------------------- layout generation

#[derive(Clone, Copy)]
enum Groups {
    Default,
    Count(u64),
    MaxRows(u64),
}

/// Spark's `defaultSize` of a catalog type string.
fn default_size(ty: &str) -> u64 {
    let inner = |p: &str| ty.strip_prefix(p).and_then(|s| s.strip_suffix('>'));
    if let Some(e) = inner("array<") {
        return default_size(e);
    }
    if let Some(kv) = inner("map<") {
        return split_top(kv).iter().map(|t| default_size(t)).sum();
    }
    if let Some(fs) = inner("struct<") {
        return split_top(fs).iter().map(|f| default_size(f.split_once(':').map(|x| x.1).unwrap_or("string"))).sum();
    }
    if let Some(ps) = ty.strip_prefix("decimal(") {
        return if ps.split(',').next().and_then(|x| x.parse::<u32>().ok()).unwrap_or(10) <= 18 { 8 } else { 16 };
    }
    match ty {
        "tinyint" | "boolean" => 1,
        "smallint" => 2,
        "int" | "date" | "float" => 4,
        "bigint" | "double" | "timestamp" | "timestamp_ntz" => 8,
        "binary" => 100,
        _ => 20,
    }
}

fn split_top(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, vec![]);
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Estimated on-disk bytes per row: Spark's row width (8 + Σ defaultSize) / `COMPRESSION_FACTOR`, at least 1.
pub fn bytes_per_row<'a>(types: impl Iterator<Item = &'a str>) -> u64 {
    ((8 + types.map(default_size).sum::<u64>()) / COMPRESSION_FACTOR).max(1)
}

/// Default file count: one file per 128 MiB of each partition, at least one per partition.
pub fn default_file_count(size: u64, partitions: u64) -> u64 {
    let p = partitions.max(1);
    p * (size / p).div_ceil(DEFAULT_FILE_BYTES).max(1)
}

fn checked_sum(v: &[u64]) -> Option<u64> {
    v.iter().try_fold(0u64, |a, b| a.checked_add(*b))
}

/// Which of `parts` contiguous blocks item `i` of `n` falls in (u64 math: no overflow on 32-bit targets).
fn spread(i: usize, parts: usize, n: usize) -> usize {
    (i as u64 * parts as u64 / n.max(1) as u64) as usize
}

/// `total` in `n` near-equal parts, the first ones 1 larger.
fn split_even(total: u64, n: usize) -> Vec<u64> {
    let n64 = n.max(1) as u64;
    (0..n as u64).map(|i| total / n64 + (i < total % n64) as u64).collect()
}

/// `total` split in proportion to `weights` (cumulative rounding down: sums exactly to `total`).
fn apportion(total: u64, weights: &[u64]) -> Vec<u64> {
    let w: u128 = weights.iter().map(|x| *x as u128).sum();
    if w == 0 {
        return split_even(total, weights.len());
    }
    let (mut acc, mut prev, mut out) = (0u128, 0u128, vec![]);
    for x in weights {
        acc += *x as u128;
        let cut = total as u128 * acc / w;
        out.push((cut - prev) as u64);
        prev = cut;
    }
    out
}

fn default_groups(format: &str, bytes: u64, rows: u64) -> u64 {
    let unit = if format == "orc" { ORC_STRIPE_BYTES } else { PARQUET_ROW_GROUP_BYTES };
    if rows == 0 {
        0
    } else {
        bytes.div_ceil(unit).max(1)
    }
}

/// Row groups (ORC: stripes) of one file: after a 4-byte magic (ORC: 3), consecutive groups sized by their
/// rows, then a footer of `1024 + 100 x columns x groups` bytes (at most half the file).
fn layout(format: &str, bytes: u64, rows: u64, ncols: u64, groups: Groups) -> Vec<RowGroup> {
    let grows: Vec<u64> = match groups {
        Groups::MaxRows(k) => {
            let g = rows.div_ceil(k);
            (0..g).map(|i| if i + 1 < g { k } else { rows - k * (g - 1) }).collect()
        }
        Groups::Count(n) => split_even(rows, n.min(rows) as usize),
        Groups::Default => split_even(rows, default_groups(format, bytes, rows) as usize),
    };
    let header = if format == "orc" { 3 } else { 4 };
    let g = grows.len() as u64;
    let footer = (1024 + 100 * ncols * g).min(bytes.saturating_sub(header) / 2);
    let body = bytes.saturating_sub(header + footer);
    let mut start = header;
    apportion(body, &grows)
        .into_iter()
        .zip(&grows)
        .map(|(b, r)| {
            let rg = RowGroup { rows: *r, start, bytes: b };
            start += b;
            rg
        })
        .collect()
}

// ---------------------------------------------------------------- small text helpers

/// Splits at unescaped `sep`, keeping escapes (`\,`) in the items; items are trimmed; empty input → no items.
fn split_list(s: &str, sep: char) -> Vec<String> {
    if s.trim().is_empty() {
        return vec![];
    }
    let (mut out, mut cur, mut esc) = (vec![], String::new(), false);
    for c in s.chars() {
        if esc {
            cur.push(c);
            esc = false;
        } else if c == '\\' {
            cur.push(c);
            esc = true;
        } else if c == sep {
            out.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    out.push(cur.trim().to_string());
    out
}

fn unescape(s: &str) -> String {
    let (mut out, mut esc) = (String::new(), false);
    for c in s.chars() {
        if c == '\\' && !esc {
            esc = true;
        } else {
            out.push(c);
            esc = false;
        }
    }
    out
}

fn escape(s: &str, specials: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c == '\\' || specials.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > dim[m as usize - 1] {
        return None;
    }
    // Days from civil (H. Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146097 + doe - 719468)
}

fn format_date(days: i64) -> String {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    format!("{y:04}-{m:02}-{d:02}")
}

// ---------------------------------------------------------------- rendering

fn quote_ident(s: &str) -> String {
    let plain = s.chars().next().map(|c| c.is_ascii_alphabetic() || c == '_').unwrap_or(false)
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        s.to_string()
    } else {
        format!("`{}`", s.replace('`', "``"))
    }
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")
}

/// The whole catalog as a DDL script.
pub fn catalog_to_ddl(tables: &[Table]) -> String {
    tables.iter().map(|t| format!("{};\n", table_to_ddl(t))).collect::<Vec<_>>().join("\n")
}

/// A table as editable DDL (no trailing `;`). Parsing it back gives the same table except row-group byte
/// ranges, which are regenerated (row counts per group are kept when they follow one `row_group_rows`).
pub fn table_to_ddl(t: &Table) -> String {
    let mut out = format!("CREATE TABLE {} (\n", quote_ident(&t.name));
    let cols: Vec<String> = t.columns.iter().map(|c| format!("  {} {}", quote_ident(&c.name), c.data_type)).collect();
    out += &cols.join(",\n");
    out += &format!("\n) USING {}\n", t.format);
    if !t.partition_columns.is_empty() {
        let p: Vec<String> = t.partition_columns.iter().map(|c| quote_ident(c)).collect();
        out += &format!("PARTITIONED BY ({})\n", p.join(", "));
    }
    let mut props: Vec<(String, String)> = vec![("spark.sql.statistics.totalSize".into(), t.size_in_bytes.to_string())];
    let rows_key = if t.row_count_known_to_spark { "spark.sql.statistics.numRows" } else { "stagecraft.rows" };
    props.push((rows_key.into(), t.rows.to_string()));
    file_props(t, &mut props);
    for c in &t.columns {
        let k = |s: &str| format!("stagecraft.column.{}.{s}", c.name);
        if c.distinct > 0 {
            props.push((k("distinct"), c.distinct.to_string()));
        }
        if c.nulls > 0 {
            props.push((k("nulls"), c.nulls.to_string()));
        }
        if !c.top_values.is_empty() {
            let v: Vec<String> =
                c.top_values.iter().map(|x| format!("{}:{}", escape(&x.value, ","), x.fraction)).collect();
            props.push((k("top"), v.join(",")));
        }
    }
    let p: Vec<String> =
        props.iter().map(|(k, v)| format!("  '{}' = '{}'", k.replace('\'', "''"), v.replace('\'', "''"))).collect();
    out + &format!("TBLPROPERTIES (\n{}\n)", p.join(",\n"))
}

fn file_props(t: &Table, props: &mut Vec<(String, String)>) {
    let f = t.files.len();
    if f == 0 {
        return;
    }
    let sizes: Vec<u64> = t.files.iter().map(|x| x.bytes).collect();
    let sizes_ok = sizes.iter().sum::<u64>() == t.size_in_bytes;
    let nvals = {
        let mut v: Vec<&BTreeMap<String, String>> = t.files.iter().map(|x| &x.partition).collect();
        crate::sort::sort(&mut v);
        v.dedup();
        if t.partition_columns.is_empty() {
            1
        } else {
            v.len() as u64
        }
    };
    if sizes_ok && sizes != split_even(t.size_in_bytes, f) {
        props.push(("stagecraft.file_sizes".into(), join(&sizes)));
    } else if f as u64 != default_file_count(t.size_in_bytes, nvals) {
        props.push(("stagecraft.files".into(), f.to_string()));
    }
    let sizes = if sizes_ok { sizes } else { split_even(t.size_in_bytes, f) };
    let rows: Vec<u64> = t.files.iter().map(|x| x.rows).collect();
    if rows.iter().sum::<u64>() == t.rows && rows != apportion(t.rows, &sizes) {
        props.push(("stagecraft.file_rows".into(), join(&rows)));
    }
    if t.format != "csv" && t.format != "json" {
        group_props(t, props);
    }
    if !t.partition_columns.is_empty() {
        partition_props(t, props);
    }
}

fn group_props(t: &Table, props: &mut Vec<(String, String)>) {
    let counts: Vec<u64> = t.files.iter().map(|f| f.row_group_layout.len().max(f.row_groups as usize) as u64).collect();
    let default = t.files.iter().all(|f| {
        let g = default_groups(&t.format, f.bytes, f.rows);
        let rows: Vec<u64> = f.row_group_layout.iter().map(|r| r.rows).collect();
        rows.len() as u64 == g && rows == split_even(f.rows, g as usize)
    });
    if default {
        return;
    }
    let k = t.files.iter().flat_map(|f| f.row_group_layout.iter().map(|r| r.rows)).max().unwrap_or(0);
    let chunked = k > 0
        && t.files.iter().all(|f| {
            let g = f.rows.div_ceil(k);
            let l = &f.row_group_layout;
            l.len() as u64 == g
                && l.iter()
                    .enumerate()
                    .all(|(i, r)| if i + 1 < l.len() { r.rows == k } else { r.rows == f.rows - k * (g - 1) })
        });
    if chunked {
        props.push(("stagecraft.row_group_rows".into(), k.to_string()));
    } else if counts.iter().all(|c| *c == counts[0]) {
        props.push(("stagecraft.row_groups_per_file".into(), counts[0].to_string()));
    } else {
        props.push(("stagecraft.row_groups_per_file".into(), join(&counts)));
    }
}

fn partition_props(t: &Table, props: &mut Vec<(String, String)>) {
    let f = t.files.len();
    let mut per_col: Vec<Vec<String>> = vec![];
    for c in &t.partition_columns {
        let mut vals: Vec<String> = vec![];
        for file in &t.files {
            if let Some(v) = file.partition.get(c) {
                if !vals.contains(v) {
                    vals.push(v.clone());
                }
            }
        }
        per_col.push(vals);
    }
    let product = per_col.iter().try_fold(1usize, |a, v| a.checked_mul(v.len()));
    let mut combos = vec![BTreeMap::new()];
    for (c, vals) in t.partition_columns.iter().zip(&per_col) {
        if product.is_none_or(|p| p > f) {
            break;
        }
        combos = combos
            .iter()
            .flat_map(|m| {
                vals.iter().map(move |v| {
                    let mut m: BTreeMap<String, String> = m.clone();
                    m.insert(c.clone(), v.clone());
                    m
                })
            })
            .collect();
    }
    let regular = product.is_some_and(|p| p <= f)
        && t.files.iter().enumerate().all(|(i, file)| file.partition == combos[spread(i, combos.len(), f)]);
    if regular {
        for (c, vals) in t.partition_columns.iter().zip(&per_col) {
            let ty = t.columns.iter().find(|x| &x.name == c).map(|x| x.data_type.as_str()).unwrap_or("string");
            let key = |v: &String| {
                if ty == "date" {
                    parse_date(v)
                } else if is_int_type(ty) {
                    v.parse::<i64>().ok()
                } else {
                    None
                }
            };
            let nums: Vec<Option<i64>> = vals.iter().map(key).collect();
            let consecutive =
                vals.len() >= 2 && nums.windows(2).all(|w| matches!(w, [Some(a), Some(b)] if *b == a + 1));
            let text = if consecutive {
                format!("{}..{}", vals[0], vals[vals.len() - 1])
            } else {
                vals.iter().map(|v| escape(v, ",")).collect::<Vec<_>>().join(",")
            };
            props.push((format!("stagecraft.partitions.{c}"), text));
        }
    } else {
        let items: Vec<String> = t
            .files
            .iter()
            .map(|file| {
                let kv: Vec<String> = t
                    .partition_columns
                    .iter()
                    .map(|c| format!("{c}={}", escape(file.partition.get(c).map(String::as_str).unwrap_or(""), ",/")))
                    .collect();
                kv.join("/")
            })
            .collect();
        props.push(("stagecraft.file_partitions".into(), items.join(",")));
    }
}
