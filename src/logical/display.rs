//! Plan trees as Spark prints them (`treeString`): one node per line, children under `:- ` / `+- `.
//! The generic printer serves logical and physical plans; `logical_line` is each logical node's
//! `simpleString`. Knows nothing of statistics beyond appending a given suffix.

use super::expr::{sort_order_text, Expr};
use super::plan::LogicalPlan;

/// Prints a tree the way Spark's `TreeNode.generateTreeString` does.
pub fn tree_string<T>(
    root: &T,
    label: &dyn Fn(&T) -> String,
    children: &dyn Fn(&T) -> Vec<&T>,
) -> String {
    tree_string_with_inner(root, label, children, &|_| vec![])
}

/// As `tree_string`, with each node's `innerChildren` (the plans of its subquery expressions) printed
/// right under it, two levels deeper, the way `generateTreeString` does (`:  +- ` under a node that
/// has children, `   +- ` under a leaf).
pub fn tree_string_with_inner<T>(
    root: &T,
    label: &dyn Fn(&T) -> String,
    children: &dyn Fn(&T) -> Vec<&T>,
    inner: &dyn Fn(&T) -> Vec<&T>,
) -> String {
    let mut out = String::new();
    let mut last: Vec<bool> = vec![];
    write_node(root, label, children, inner, &mut last, &mut out);
    out
}

fn write_node<T>(
    node: &T,
    label: &dyn Fn(&T) -> String,
    children: &dyn Fn(&T) -> Vec<&T>,
    inner: &dyn Fn(&T) -> Vec<&T>,
    last: &mut Vec<bool>,
    out: &mut String,
) {
    if let Some((tail, init)) = last.split_last() {
        for l in init {
            out.push_str(if *l { "   " } else { ":  " });
        }
        out.push_str(if *tail { "+- " } else { ":- " });
    }
    let text = label(node);
    // Multi-line labels (inner plans) keep the current indentation.
    let indent: String = if last.is_empty() {
        String::new()
    } else {
        last.iter().map(|l| if *l { "   " } else { ":  " }).collect()
    };
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push_str(&indent);
        }
        out.push_str(line);
        out.push('\n');
    }
    let kids = children(node);
    let inner_kids = inner(node);
    let m = inner_kids.len();
    for (i, c) in inner_kids.into_iter().enumerate() {
        last.push(kids.is_empty());
        last.push(i + 1 == m);
        write_node(c, label, children, inner, last, out);
        last.pop();
        last.pop();
    }
    let n = kids.len();
    for (i, c) in kids.into_iter().enumerate() {
        last.push(i + 1 == n);
        write_node(c, label, children, inner, last, out);
        last.pop();
    }
}

pub fn list(exprs: &[Expr]) -> String {
    exprs.iter().map(|e| e.spark()).collect::<Vec<_>>().join(", ")
}

/// `TreeNode.argString`'s rule for list arguments: an empty list is left out (with its comma), a
/// non-empty one prints as `[a, b]` — `Project []` prints `Project`, `Aggregate [], [x]` prints
/// `Aggregate [x]`, a window without PARTITION BY prints `Window [w], [o]`.
fn node(name: &str, args: &[String]) -> String {
    let args: Vec<&String> = args.iter().filter(|a| !a.is_empty()).collect();
    if args.is_empty() {
        return name.to_string();
    }
    format!("{name} {}", args.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", "))
}

/// `[a, b]`, or nothing for an empty list (see `node`).
fn bracket(items: Vec<String>) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!("[{}]", items.join(", "))
    }
}

/// One logical node's `simpleString` (Spark's `verboseStringWithSuffix` without statistics).
pub fn logical_line(p: &LogicalPlan) -> String {
    use LogicalPlan::*;
    match p {
        Relation(r) => format!(
            "Relation [{}] {}",
            r.output.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(","),
            r.table.format
        ),
        LocalRelation { output, rows } => {
            let cols = output.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", ");
            if *rows == 0 {
                format!("LocalRelation <empty>, [{cols}]")
            } else {
                format!("LocalRelation [{cols}]")
            }
        }
        Range { start, end, step, splits, .. } => format!(
            "Range ({start}, {end}, step={step}, splits={})",
            splits.map(|s| format!("Some({s})")).unwrap_or_else(|| "None".into())
        ),
        Project { exprs, .. } => node("Project", &[bracket(exprs.iter().map(|e| e.spark()).collect())]),
        Filter { cond, .. } => format!("Filter {}", cond.spark()),
        Join { join_type, cond, hint, .. } => {
            let mut s = format!("Join {}", join_type.name());
            if let Some(c) = cond {
                s.push_str(&format!(", {}", c.spark()));
            }
            if let Some(h) = hint.left {
                s.push_str(&format!(", leftHint=(strategy={})", h.name()));
            }
            if let Some(h) = hint.right {
                s.push_str(&format!(", rightHint=(strategy={})", h.name()));
            }
            s
        }
        Aggregate { group, aggs, .. } => node(
            "Aggregate",
            &[bracket(group.iter().map(|e| e.spark()).collect()), bracket(aggs.iter().map(|e| e.spark()).collect())],
        ),
        Sort { order, global, .. } => format!(
            "Sort [{}], {}",
            order.iter().map(|o| sort_order_text(o, true)).collect::<Vec<_>>().join(", "),
            global
        ),
        GlobalLimit { n, .. } => format!("GlobalLimit {n}"),
        LocalLimit { n, .. } => format!("LocalLimit {n}"),
        Union { by_name, allow_missing, .. } => format!("Union {by_name}, {allow_missing}"),
        Intersect { all, .. } => format!("Intersect {all}"),
        Except { all, .. } => format!("Except {all}"),
        Distinct { .. } => "Distinct".into(),
        Deduplicate { keys, .. } => format!(
            "Deduplicate [{}]",
            keys.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", ")
        ),
        Window { window_exprs, partition_by, order_by, .. } => node(
            "Window",
            &[
                bracket(window_exprs.iter().map(|e| e.spark()).collect()),
                bracket(partition_by.iter().map(|e| e.spark()).collect()),
                bracket(order_by.iter().map(|o| sort_order_text(o, true)).collect()),
            ],
        ),
        WindowGroupLimit { partition_by, order_by, rank_fn, limit, .. } => node(
            "WindowGroupLimit",
            &[
                bracket(partition_by.iter().map(|e| e.spark()).collect()),
                bracket(order_by.iter().map(|o| sort_order_text(o, true)).collect()),
                format!("{rank_fn}()"),
                limit.to_string(),
            ],
        ),
        Generate { generator, unrequired_child_index, outer, qualifier, generator_output, .. } => node(
            "Generate",
            &[
                generator.spark(),
                bracket(unrequired_child_index.iter().map(|i| i.to_string()).collect()),
                outer.to_string(),
                qualifier.clone().unwrap_or_default(),
                bracket(generator_output.iter().map(|a| a.spark_string()).collect()),
            ],
        ),
        Expand { projections, output, .. } => format!(
            "Expand [{}], [{}]",
            projections.iter().map(|p| format!("[{}]", list(p))).collect::<Vec<_>>().join(", "),
            output.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", ")
        ),
        Repartition { num, shuffle, .. } => format!("Repartition {num}, {shuffle}"),
        RepartitionByExpression { exprs, range, num, .. } => {
            let keys = if range.is_empty() {
                list(exprs)
            } else {
                range.iter().map(|o| sort_order_text(o, true)).collect::<Vec<_>>().join(", ")
            };
            match num {
                Some(n) => format!("RepartitionByExpression [{keys}], {n}"),
                None => format!("RepartitionByExpression [{keys}]"),
            }
        }
        RebalancePartitions { exprs, .. } => format!("RebalancePartitions [{}]", list(exprs)),
        SubqueryAlias { alias, .. } => format!("SubqueryAlias {alias}"),
        View { name, child } => format!(
            "View (`{name}`, [{}])",
            child.output().iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(",")
        ),
        ResolvedHint { hint, .. } => format!("ResolvedHint (strategy={})", hint.name()),
        CteRef { name, plan } => format!(
            "CTERelationRef {name}, [{}]",
            plan.output().iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", ")
        ),
        InMemoryRelation { output, level, .. } => format!(
            "InMemoryRelation [{}], {}",
            output.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", "),
            level.describe()
        ),
        EvalPython { udfs, results, arrow, .. } => format!(
            "{} [{}], [{}]",
            if *arrow { "ArrowEvalPython" } else { "BatchEvalPython" },
            list(udfs),
            results.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", ")
        ),
        MapPartitions { func, output, .. } => format!(
            "MapPartitionsInPandas {func}, [{}]",
            output.iter().map(|a| a.spark_string()).collect::<Vec<_>>().join(", ")
        ),
        Write { spec, child } => format!(
            "InsertIntoHadoopFsRelationCommand {}, false, {}{}, [path={}], {}, [{}]",
            spec.path,
            if spec.partition_by.is_empty() { String::new() } else { format!("[{}], ", spec.partition_by.join(", ")) },
            capitalize(&spec.format),
            spec.path,
            capitalize(&spec.mode),
            child.output().iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")
        ),
        WriteNoop { .. } => "WriteToDataSourceV2 NoopWrite".into(),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The whole logical plan as Spark's `treeString`, optionally with `, Statistics(...)` per node.
pub fn logical_tree(p: &LogicalPlan, suffix: &dyn Fn(&LogicalPlan) -> String) -> String {
    tree_string_with_inner(
        p,
        &|n: &LogicalPlan| {
            let mut s = logical_line(n);
            s.push_str(&suffix(n));
            s
        },
        &|n: &LogicalPlan| n.children(),
        &|n: &LogicalPlan| n.expressions().into_iter().flat_map(super::expr::subquery_plans).collect(),
    )
}

impl std::fmt::Display for LogicalPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&logical_tree(self, &|_| String::new()))
    }
}

/// Plan text with expression ids renumbered by first appearance (`#21` → `#0`), so two plans compare
/// modulo the ids their sessions happened to hand out (Spark's `sameResult` on canonicalized plans).
pub fn renumber_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut map: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '#' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 {
                let id: String = chars[i + 1..j].iter().collect();
                let n = map.len();
                let k = *map.entry(id).or_insert(n);
                out.push('#');
                out.push_str(&k.to_string());
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
