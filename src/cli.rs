//! The native `stagecraft` CLI: `explain` and `simulate` over a scenario JSON (or a catalog file plus a
//! SQL file), `--set key=value` overrides, `--seed`, `--trace FILE`. It only parses arguments, reads
//! files and calls `stagecraft::pipeline`; errors go to stderr with a non-zero exit.

use stagecraft::pipeline::{self, ExplainMode};
use stagecraft::scenario::Scenario;

const USAGE: &str = "usage:
  stagecraft explain [--mode simple|extended|formatted|cost] [--set k=v]... SCENARIO.json
  stagecraft explain [options] CATALOG.sql QUERY.sql
  stagecraft simulate [--format json|text] [--seed N] [--trace FILE] [--set k=v]... SCENARIO.json
  stagecraft simulate [options] CATALOG.sql QUERY.sql

  --set key=value   overrides a Spark conf (spark.*) or a cluster setting
                    (cluster.executors, cluster.cores_per_executor, cluster.executor_memory_mb,
                    cluster.default_parallelism)
  A catalog file holds CREATE TABLE ... TBLPROPERTIES (...) statements and SET key=value; the query file
  holds the query (setup statements such as CACHE TABLE may precede it). The built-in catalogs can be
  named instead of a file: builtin:retail, builtin:tpch.";

struct Args {
    command: String,
    mode: ExplainMode,
    format: String,
    seed: Option<u64>,
    trace: Option<String>,
    sets: Vec<(String, String)>,
    files: Vec<String>,
}

fn parse_args(args: Vec<String>) -> Result<Args, String> {
    let mut it = args.into_iter();
    let command = it.next().ok_or_else(|| USAGE.to_string())?;
    if command == "--help" || command == "-h" || command == "help" {
        return Err(USAGE.to_string());
    }
    if command != "explain" && command != "simulate" {
        return Err(format!("unknown command `{command}`\n{USAGE}"));
    }
    let mut a = Args { command, mode: ExplainMode::Simple, format: "json".into(), seed: None, trace: None, sets: vec![], files: vec![] };
    while let Some(x) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match x.as_str() {
            "--mode" => {
                let v = value("--mode")?;
                a.mode = ExplainMode::parse(&v).ok_or_else(|| format!("unknown explain mode `{v}` (simple, extended, formatted, cost)"))?;
            }
            "--format" => {
                a.format = value("--format")?;
                if a.format != "json" && a.format != "text" {
                    return Err(format!("unknown format `{}` (json, text)", a.format));
                }
            }
            "--seed" => {
                let v = value("--seed")?;
                a.seed = Some(v.parse().map_err(|_| format!("--seed needs a number, got `{v}`"))?);
            }
            "--trace" => a.trace = Some(value("--trace")?),
            "--set" => {
                let v = value("--set")?;
                let (k, val) = v.split_once('=').ok_or_else(|| format!("--set needs key=value, got `{v}`"))?;
                a.sets.push((k.trim().to_string(), val.trim().to_string()));
            }
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`\n{USAGE}")),
            _ => a.files.push(x),
        }
    }
    if a.files.is_empty() || a.files.len() > 2 {
        return Err(USAGE.to_string());
    }
    Ok(a)
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn load_scenario(a: &Args) -> Result<Scenario, String> {
    let mut s = if a.files.len() == 1 {
        Scenario::from_json(&read(&a.files[0])?).map_err(|e| format!("{}: {e}", a.files[0]))?
    } else {
        let catalog = if let Some(name) = a.files[0].strip_prefix("builtin:") {
            stagecraft::input::catalogs::by_name(name)
                .map(|tables| tables.iter().map(stagecraft::input::ddl::table_to_ddl).collect::<Vec<_>>().join(";\n"))
                .ok_or_else(|| format!("unknown built-in catalog `{name}`"))?
        } else {
            read(&a.files[0])?
        };
        let query = read(&a.files[1])?;
        pipeline::scenario_from_sql(&catalog, &query).map_err(|d| format!("{}: {d}", if d.source == "catalog" { &a.files[0] } else { &a.files[1] }))?
    };
    for (k, v) in &a.sets {
        pipeline::apply_setting(&mut s, k, v)?;
    }
    if let Some(seed) = a.seed {
        s.sim.seed = seed;
    }
    Ok(s)
}

pub fn run(args: Vec<String>) -> i32 {
    let a = match parse_args(args) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return 2;
        }
    };
    let scenario = match load_scenario(&a) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("stagecraft: {msg}");
            return 1;
        }
    };
    let mut trace_error = None;
    let result = if a.command == "explain" {
        pipeline::explain(&scenario, a.mode)
    } else {
        pipeline::simulate(&scenario).map(|run| {
            if let Some(path) = &a.trace {
                if let Err(e) = std::fs::write(path, run.trace_json()) {
                    trace_error = Some(format!("cannot write {path}: {e}"));
                }
            }
            if a.format == "json" {
                serde_json::to_string_pretty(&run.report).unwrap_or_default()
            } else {
                run.text_summary()
            }
        })
    };
    if let Some(msg) = trace_error {
        eprintln!("stagecraft: {msg}");
        return 1;
    }
    match result {
        Ok(text) => {
            println!("{text}");
            0
        }
        Err(d) => {
            let src = if d.source.is_empty() { a.files.last().cloned().unwrap_or_default() } else { d.source.clone() };
            eprintln!("stagecraft: {src}:{}:{}: {}", d.span.start.line, d.span.start.col, d.message);
            1
        }
    }
}
