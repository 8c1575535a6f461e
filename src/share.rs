//! Share links: the whole app state (scenario, seed, tab, selected node, playback position, what-if knobs) in
//! a URL fragment. Knows the link format and its limits; knows nothing of the UI that shows the state nor of
//! planning. No serde: the payload is text the project already reads.
//!
//! A link's fragment is `#1.<base64url>`: the format version, then the UTF-8 payload compressed as one LZ4
//! block with its length prepended (lz4_flex), in base64url without padding. The version sits outside the compressed bytes, so a link made by a
//! newer Stagecraft is recognised (and refused clearly) without inflating anything. The payload:
//!
//! ```text
//! stagecraft-share v1
//! key=value lines: id, title, spark, tab, node, position_ms, knob.<k>, cluster.<field>, seed,
//!   sim.kill_executor (executor@ms), sim.task_failure_rate, lang, action, conf.<k> (confs SET cannot hold),
//!   tables (order: `retail.<t>` a built-in table, `retail.<t>~` the same as the catalog editor re-reads it,
//!   `#i` the script's i-th CREATE TABLE), layout.<i> (exact Parquet row groups of script table i)
//! --- script <bytes>      SET k=v; … CREATE TABLE … TBLPROPERTIES (…); … (input::ddl, read by parse_script)
//! --- setup <bytes>       one section per setup statement, in order
//! --- query <bytes>
//! ```
//!
//! Only values that differ from the defaults are written. Values escape `\`, newline and carriage return
//! (and `=` in keys) with a backslash. Decoding is bounded: at most [`MAX_ENCODED_LEN`] characters, at most
//! [`MAX_INFLATED_LEN`] bytes decompressed and at most [`MAX_RATIO`] times the compressed size; every refusal
//! is a [`ShareError`], never a panic.

use crate::input::{catalogs, ddl};
use crate::scenario::{Cluster, KillExecutor, Query, RowGroup, Scenario, SimOptions, Table, SCENARIO_VERSION};
use std::collections::BTreeMap;
use std::fmt;

/// The share format this build writes (and the newest it reads).
pub const SHARE_VERSION: u32 = 1;
/// Longest fragment accepted (characters after `#`).
pub const MAX_ENCODED_LEN: usize = 64 * 1024;
/// Largest decompressed payload accepted.
pub const MAX_INFLATED_LEN: usize = 1 << 20;
/// Largest decompressed/compressed ratio accepted (real payloads compress 2–5x; LZ4 reaches ~255x on one repeated byte).
pub const MAX_RATIO: usize = 64;
const HEADER: &str = "stagecraft-share v1";

/// Everything a link restores.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareState {
    /// Cluster, confs, catalog, query and simulation options; the simulation seed is `scenario.sim.seed`
    /// (one source of truth: see [`ShareState::seed`]).
    pub scenario: Scenario,
    /// The view's open tab (free text the view defines, e.g. `plan`, `stages`, `timeline`).
    pub tab: String,
    /// The selected plan/stage node, if any.
    pub node: Option<u32>,
    /// Playback position of the timeline, in simulated ms.
    pub position_ms: u64,
    /// What-if knobs the view offers (name → value), kept as text.
    pub knobs: BTreeMap<String, String>,
}

impl ShareState {
    /// A state showing `scenario` with nothing selected.
    pub fn new(scenario: Scenario) -> ShareState {
        ShareState { scenario, tab: String::new(), node: None, position_ms: 0, knobs: BTreeMap::new() }
    }
    /// The simulation seed.
    pub fn seed(&self) -> u64 {
        self.scenario.sim.seed
    }
}

/// Why a link could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Longer than [`MAX_ENCODED_LEN`].
    TooLong { len: usize },
    /// Not of the form `<version>.<data>`.
    NotALink,
    /// Made by a newer Stagecraft.
    NewerVersion(u32),
    /// Not base64url.
    BadEncoding,
    /// The compressed data is damaged or cut short.
    Corrupt,
    /// Inflates past the size or ratio limits.
    TooLarge,
    /// Decompressed, but the payload is not a valid state.
    Invalid(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::TooLong { len } => {
                write!(f, "this link is too long ({len} characters; at most {MAX_ENCODED_LEN})")
            }
            ShareError::NotALink => f.write_str("this is not a Stagecraft share link"),
            ShareError::NewerVersion(v) => write!(
                f,
                "this link was made by a newer Stagecraft (v{v}); this one reads v{SHARE_VERSION} links"
            ),
            ShareError::BadEncoding => f.write_str("this link is damaged (characters that base64url does not use)"),
            ShareError::Corrupt => f.write_str("this link is damaged or cut short"),
            ShareError::TooLarge => {
                write!(f, "this link expands to more than Stagecraft accepts ({} KiB)", MAX_INFLATED_LEN >> 10)
            }
            ShareError::Invalid(m) => write!(f, "this link is damaged: {m}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The fragment for `state`, without `#`: `1.<base64url of lz4(payload)>`.
pub fn encode(state: &ShareState) -> String {
    let payload = payload(state, true);
    let packed = lz4_flex::block::compress_prepend_size(payload.as_bytes());
    format!("{SHARE_VERSION}.{}", b64_encode(&packed))
}

/// The page address with `state` as its fragment (any fragment `page_url` had is replaced).
pub fn link(page_url: &str, state: &ShareState) -> String {
    let base = page_url.split_once('#').map_or(page_url, |(b, _)| b);
    format!("{base}#{}", encode(state))
}

/// Reads a link: a full URL, a `#fragment` or the bare fragment [`encode`] made.
pub fn decode(link: &str) -> Result<ShareState, ShareError> {
    let frag = link.rsplit_once('#').map_or(link, |(_, f)| f).trim();
    if frag.len() > MAX_ENCODED_LEN {
        return Err(ShareError::TooLong { len: frag.len() });
    }
    let (version, data) = frag.split_once('.').ok_or(ShareError::NotALink)?;
    if version.is_empty() || version.len() > 9 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NotALink);
    }
    match version.parse::<u32>() {
        Ok(SHARE_VERSION) => {}
        Ok(v) if v > SHARE_VERSION => return Err(ShareError::NewerVersion(v)),
        _ => return Err(ShareError::NotALink),
    }
    let packed = b64_decode(data).ok_or(ShareError::BadEncoding)?;
    let limit = MAX_INFLATED_LEN.min(packed.len().saturating_mul(MAX_RATIO).max(4096));
    // The block starts with the payload's length (u32 LE): refuse before allocating anything.
    let claimed = match packed.get(..4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
        _ => return Err(ShareError::Corrupt),
    };
    if claimed > limit {
        return Err(ShareError::TooLarge);
    }
    let raw = lz4_flex::block::decompress_size_prepended(&packed).map_err(|_| ShareError::Corrupt)?;
    let text = String::from_utf8(raw).map_err(|_| ShareError::Invalid("the payload is not UTF-8".into()))?;
    parse_payload(&text)
}

// ---------------------------------------------------------------- payload text

/// The uncompressed payload. `builtins`: refer to built-in catalog tables by name instead of writing them.
pub(crate) fn payload(state: &ShareState, builtins: bool) -> String {
    let s = &state.scenario;
    let mut head = String::from(HEADER);
    let mut kv = |k: &str, v: &str| {
        head.push('\n');
        head.push_str(&escape(k, true));
        head.push('=');
        head.push_str(&escape(v, false));
    };
    if !s.id.is_empty() {
        kv("id", &s.id);
    }
    if !s.title.is_empty() {
        kv("title", &s.title);
    }
    if s.spark_version != "3.5" {
        kv("spark", &s.spark_version);
    }
    if !state.tab.is_empty() {
        kv("tab", &state.tab);
    }
    if let Some(n) = state.node {
        kv("node", &n.to_string());
    }
    if state.position_ms != 0 {
        kv("position_ms", &state.position_ms.to_string());
    }
    for (k, v) in &state.knobs {
        kv(&format!("knob.{k}"), v);
    }
    let (c, d) = (&s.cluster, Cluster::default());
    if c.master != d.master {
        kv("cluster.master", &c.master);
    }
    if c.executors != d.executors {
        kv("cluster.executors", &c.executors.to_string());
    }
    if c.cores_per_executor != d.cores_per_executor {
        kv("cluster.cores_per_executor", &c.cores_per_executor.to_string());
    }
    if c.executor_memory_mb != d.executor_memory_mb {
        kv("cluster.executor_memory_mb", &c.executor_memory_mb.to_string());
    }
    if c.default_parallelism != d.default_parallelism {
        kv("cluster.default_parallelism", &c.default_parallelism.map(|p| p.to_string()).unwrap_or_default());
    }
    if s.sim.seed != 0 {
        kv("seed", &s.sim.seed.to_string());
    }
    if let Some(k) = &s.sim.kill_executor {
        kv("sim.kill_executor", &format!("{}@{}", k.executor, k.at_ms));
    }
    if s.sim.task_failure_rate != 0.0 {
        kv("sim.task_failure_rate", &s.sim.task_failure_rate.to_string());
    }
    if s.query.lang != "sql" {
        kv("lang", &s.query.lang);
    }
    if let Some(a) = &s.query.action {
        kv("action", a);
    }

    // The script: confs as SET statements (those SET can hold exactly), then the inline tables.
    let mut script = String::new();
    for (k, v) in &s.confs {
        match set_statement(k, v) {
            Some(st) => script += &st,
            None => kv(&format!("conf.{k}"), v),
        }
    }
    let retail = if builtins { catalogs::retail() } else { vec![] };
    let mut order = vec![];
    let mut inline = 0usize;
    for t in &s.tables {
        if let Some(b) = retail.iter().find(|b| b.name == t.name) {
            if t == b {
                order.push(format!("retail.{}", t.name));
                continue;
            }
            if *t == reread(b) {
                order.push(format!("retail.{}~", t.name));
                continue;
            }
        }
        let text = ddl::table_to_ddl(t);
        if let Some(back) = ddl::parse_script(&text).ok().and_then(|s| s.tables.into_iter().next()) {
            if layouts(&back) != layouts(t) {
                kv(&format!("layout.{inline}"), &layout_text(t));
            }
        }
        script += &text;
        script += ";\n";
        order.push(format!("#{inline}"));
        inline += 1;
    }
    if order.iter().enumerate().any(|(i, o)| *o != format!("#{i}")) {
        kv("tables", &order.join(","));
    }
    let mut out = head;
    out.push('\n');
    let mut section = |name: &str, body: &str| {
        out += &format!("--- {name} {}\n{body}\n", body.len());
    };
    if !script.is_empty() {
        section("script", &script);
    }
    for st in &s.query.setup_sql {
        section("setup", st);
    }
    section("query", &s.query.text);
    out
}

/// `SET k=v;` when parse_script reads exactly `(k, v)` back from it.
fn set_statement(k: &str, v: &str) -> Option<String> {
    let plain = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-:/+".contains(&b));
    let key = if plain(k) { k.to_string() } else { format!("`{k}`") };
    let val = if plain(v) { v.to_string() } else { format!("'{v}'") };
    let st = format!("SET {key}={val};\n");
    let back = ddl::parse_script(&st).ok()?;
    (back.statements.is_empty() && back.tables.is_empty() && back.confs.len() == 1 && back.confs[0].0 == k && back.confs[0].1 == v)
        .then_some(st)
}

/// A built-in table as the catalog editor re-reads it (row-group byte ranges regenerated).
fn reread(t: &Table) -> Table {
    ddl::parse_script(&ddl::table_to_ddl(t)).ok().and_then(|s| s.tables.into_iter().next()).unwrap_or_else(|| t.clone())
}

fn layouts(t: &Table) -> Vec<(u32, &[RowGroup])> {
    t.files.iter().map(|f| (f.row_groups, f.row_group_layout.as_slice())).collect()
}

/// `row_groups:rows/start/bytes,…;…` per file.
fn layout_text(t: &Table) -> String {
    let files: Vec<String> = t
        .files
        .iter()
        .map(|f| {
            let g: Vec<String> = f.row_group_layout.iter().map(|r| format!("{}/{}/{}", r.rows, r.start, r.bytes)).collect();
            format!("{}:{}", f.row_groups, g.join(","))
        })
        .collect();
    files.join(";")
}

fn apply_layout(t: &mut Table, text: &str) -> Result<(), ShareError> {
    let bad = || ShareError::Invalid(format!("the row-group layout of table `{}` is malformed", t.name));
    let files: Vec<&str> = text.split(';').collect();
    if files.len() != t.files.len() {
        return Err(bad());
    }
    for (f, spec) in t.files.iter_mut().zip(files) {
        let (n, groups) = spec.split_once(':').ok_or_else(bad)?;
        f.row_groups = n.parse().map_err(|_| bad())?;
        f.row_group_layout = if groups.is_empty() {
            vec![]
        } else {
            groups
                .split(',')
                .map(|g| {
                    let mut it = g.split('/').map(|x| x.parse::<u64>());
                    match (it.next(), it.next(), it.next(), it.next()) {
                        (Some(Ok(rows)), Some(Ok(start)), Some(Ok(bytes)), None) => Ok(RowGroup { rows, start, bytes }),
                        _ => Err(bad()),
                    }
                })
                .collect::<Result<_, _>>()?
        };
    }
    Ok(())
}

fn escape(s: &str, key: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '=' if key => out.push_str("\\="),
            c => out.push(c),
        }
    }
    out
}

/// Splits an escaped `key=value` line at its first unescaped `=` and unescapes both sides.
fn split_kv(line: &str) -> Option<(String, String)> {
    let (mut k, mut v) = (String::new(), String::new());
    let mut in_key = true;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let out = if in_key { &mut k } else { &mut v };
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                c @ ('\\' | '=') => out.push(c),
                _ => return None,
            },
            '=' if in_key => in_key = false,
            c => out.push(c),
        }
    }
    (!in_key).then_some((k, v))
}

/// Reads an uncompressed payload (what [`payload`] writes) — the step of [`decode`] after base64 and LZ4;
/// public so the `share` fuzz target reaches the text parser with arbitrary text.
pub fn decode_payload(text: &str) -> Result<ShareState, ShareError> {
    if text.len() > MAX_INFLATED_LEN {
        return Err(ShareError::TooLarge);
    }
    parse_payload(text)
}

fn parse_payload(text: &str) -> Result<ShareState, ShareError> {
    let bad = |m: &str| ShareError::Invalid(m.to_string());
    let mut rest = text.strip_prefix(HEADER).ok_or_else(|| bad("it does not start with its format header"))?;
    rest = rest.strip_prefix('\n').unwrap_or(rest);
    let mut head: BTreeMap<String, String> = BTreeMap::new();
    let mut knobs = BTreeMap::new();
    let mut conf_lines = BTreeMap::new();
    while !rest.is_empty() && !rest.starts_with("--- ") {
        let (line, next) = rest.split_once('\n').unwrap_or((rest, ""));
        rest = next;
        let (k, v) = split_kv(line).ok_or_else(|| bad("a settings line is malformed"))?;
        if let Some(name) = k.strip_prefix("knob.") {
            knobs.insert(name.to_string(), v);
        } else if let Some(name) = k.strip_prefix("conf.") {
            conf_lines.insert(name.to_string(), v);
        } else {
            head.insert(k, v);
        }
    }
    let mut script = String::new();
    let mut setup = vec![];
    let mut query = None;
    while let Some(r) = rest.strip_prefix("--- ") {
        let (line, body) = r.split_once('\n').ok_or_else(|| bad("a section is cut short"))?;
        let (name, len) = line.split_once(' ').ok_or_else(|| bad("a section header is malformed"))?;
        let len: usize = len.parse().map_err(|_| bad("a section length is malformed"))?;
        let text = body.get(..len).ok_or_else(|| bad("a section is cut short"))?;
        rest = body[len..].strip_prefix('\n').ok_or_else(|| bad("a section does not end where its length says"))?;
        match name {
            "script" => script = text.to_string(),
            "setup" => setup.push(text.to_string()),
            "query" => query = Some(text.to_string()),
            _ => {} // a section a later v1 may add
        }
    }
    if !rest.is_empty() {
        return Err(bad("text follows the last section"));
    }
    let query = query.ok_or_else(|| bad("it holds no query"))?;

    let num = |k: &str| -> Result<Option<u64>, ShareError> {
        head.get(k).map(|v| v.parse::<u64>().map_err(|_| ShareError::Invalid(format!("`{k}` is not a number")))).transpose()
    };
    let small = |k: &str| -> Result<Option<u32>, ShareError> {
        num(k)?.map(|v| u32::try_from(v).map_err(|_| ShareError::Invalid(format!("`{k}` is too large")))).transpose()
    };
    let mut cluster = Cluster::default();
    if let Some(m) = head.get("cluster.master") {
        cluster.master = m.clone();
    }
    cluster.executors = small("cluster.executors")?.unwrap_or(cluster.executors);
    cluster.cores_per_executor = small("cluster.cores_per_executor")?.unwrap_or(cluster.cores_per_executor);
    cluster.executor_memory_mb = num("cluster.executor_memory_mb")?.unwrap_or(cluster.executor_memory_mb);
    if let Some(p) = head.get("cluster.default_parallelism") {
        cluster.default_parallelism =
            if p.is_empty() { None } else { Some(p.parse().map_err(|_| bad("`cluster.default_parallelism` is not a number"))?) };
    }
    let mut sim = SimOptions { seed: num("seed")?.unwrap_or(0), ..Default::default() };
    if let Some(k) = head.get("sim.kill_executor") {
        let parsed = k.split_once('@').and_then(|(e, t)| Some(KillExecutor { executor: e.parse().ok()?, at_ms: t.parse().ok()? }));
        sim.kill_executor = Some(parsed.ok_or_else(|| bad("`sim.kill_executor` is malformed"))?);
    }
    if let Some(r) = head.get("sim.task_failure_rate") {
        sim.task_failure_rate = r.parse::<f64>().ok().filter(|r| (0.0..=1.0).contains(r)).ok_or_else(|| bad("`sim.task_failure_rate` is not in 0..1"))?;
    }

    let parsed = ddl::parse_script(&script).map_err(|d| {
        ShareError::Invalid(format!("its catalog script, line {}:{}: {}", d.span.start.line, d.span.start.col, d.message))
    })?;
    if !parsed.statements.is_empty() {
        return Err(bad("its catalog script holds a query"));
    }
    let mut confs = conf_lines;
    for (k, v, _) in parsed.confs {
        confs.entry(k).or_insert(v);
    }
    let mut inline = parsed.tables;
    for (i, t) in inline.iter_mut().enumerate() {
        if let Some(l) = head.get(&format!("layout.{i}")) {
            apply_layout(t, l)?;
        }
    }
    let tables = match head.get("tables") {
        None => inline,
        Some(order) if order.is_empty() => vec![],
        Some(order) => {
            let retail = catalogs::retail();
            order
                .split(',')
                .map(|item| {
                    if let Some(i) = item.strip_prefix('#') {
                        return i.parse::<usize>().ok().and_then(|i| inline.get(i).cloned()).ok_or_else(|| bad("its table list is malformed"));
                    }
                    let (name, reread_it) = item.strip_suffix('~').map_or((item, false), |n| (n, true));
                    // Only the retail catalog is linked into the browser build; `tpch.…` would need its DDL text.
                    let t = name
                        .strip_prefix("retail.")
                        .and_then(|n| retail.iter().find(|t| t.name == n))
                        .ok_or_else(|| ShareError::Invalid(format!("it names an unknown built-in table `{name}`")))?;
                    Ok(if reread_it { reread(t) } else { t.clone() })
                })
                .collect::<Result<_, _>>()?
        }
    };
    let scenario = Scenario {
        scenario_version: SCENARIO_VERSION,
        id: head.get("id").cloned().unwrap_or_default(),
        title: head.get("title").cloned().unwrap_or_default(),
        spark_version: head.get("spark").cloned().unwrap_or_else(|| "3.5".into()),
        cluster,
        confs,
        tables,
        query: Query {
            lang: head.get("lang").cloned().unwrap_or_else(|| "sql".into()),
            setup_sql: setup,
            text: query,
            action: head.get("action").cloned(),
        },
        sim,
    };
    Ok(ShareState {
        scenario,
        tab: head.get("tab").cloned().unwrap_or_default(),
        node: small("node")?,
        position_ms: num("position_ms")?.unwrap_or(0),
        knobs,
    })
}

// ---------------------------------------------------------------- base64url (RFC 4648 §5, no padding)

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'-' => 62,
                b'_' => 63,
                _ => return None,
            };
            n |= (v as u32) << (18 - 6 * i);
        }
        let len = chunk.len() - 1;
        // Canonical: the bits past the last whole byte are zero.
        if n & ((1u32 << (24 - 8 * len)) - 1) != 0 {
            return None;
        }
        out.extend((0..len).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..70usize {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let e = b64_encode(&data);
            assert!(e.bytes().all(|b| B64.contains(&b)));
            assert_eq!(b64_decode(&e).as_deref(), Some(&data[..]), "{len}");
        }
        assert_eq!(b64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(b64_encode(b"\xfb\xff"), "-_8");
        assert_eq!(b64_decode("Zm9vYg"), Some(b"foob".to_vec()));
        assert_eq!(b64_decode("Zm9vYh"), None, "non-canonical trailing bits");
        assert_eq!(b64_decode("Zm9vY"), None);
        assert_eq!(b64_decode("Zm9v+g"), None);
    }

    #[test]
    fn escaped_lines_split_at_the_first_plain_equals() {
        let line = format!("{}={}", escape("a=b\\c", true), escape("x=y\nz\\", false));
        assert_eq!(split_kv(&line), Some(("a=b\\c".to_string(), "x=y\nz\\".to_string())));
        assert_eq!(split_kv("no equals"), None);
        assert_eq!(split_kv("bad\\q=1"), None);
    }

    #[test]
    fn the_inline_path_keeps_built_in_tables_exactly() {
        // Without built-in references every table travels as DDL plus its exact row-group layout.
        let state = ShareState::new(catalogs::default_example());
        let text = payload(&state, false);
        assert!(text.contains("--- script ") && text.contains("layout.0="), "{text}");
        assert_eq!(parse_payload(&text).unwrap(), state);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn random_payloads_never_panic(body in "(([a-z._]{0,12}=[^\\n]{0,20}|--- (script|setup|query) [0-9]{1,3})\\n){0,8}[^\\n]{0,40}") {
            let _ = parse_payload(&format!("{HEADER}\n{body}"));
        }
    }
}
