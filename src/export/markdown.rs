//! EXPLAIN output as Markdown: a heading naming the mode (and the scenario, when it has a title) and the plan
//! text in a fenced code block whose fence is longer than any backtick run inside it. Knows Markdown only.

/// `## EXPLAIN EXTENDED — title` followed by the plan in a ```text fence.
pub fn explain_markdown(title: &str, mode: &str, explain: &str) -> String {
    let longest = explain.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let heading = if title.is_empty() {
        format!("## EXPLAIN {}", mode.to_uppercase())
    } else {
        format!("## EXPLAIN {} — {title}", mode.to_uppercase())
    };
    let body = explain.trim_end_matches('\n');
    format!("{heading}\n\n{fence}text\n{body}\n{fence}\n")
}
