//! The optimizer's rule trace as a person steps through it: each rule that changed the plan, with a line
//! diff of the plan text before and after it (the first rule's "before" is the analyzed plan). Knows plan
//! text and `RuleStep`s only; the app shows the result as a stepper on the Plans tab.

use super::RuleStep;

/// How a line of a diff changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

/// One applied rule and what it did to the plan text.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDiff {
    pub batch: &'static str,
    pub rule: &'static str,
    pub lines: Vec<(Change, String)>,
}

/// Plans longer than this many lines are shown whole (added) rather than diffed (the diff is quadratic).
const MAX_DIFF_LINES: usize = 2_000;

/// The diff of every step against the plan before it.
pub fn rule_diffs(analyzed: &str, steps: &[RuleStep]) -> Vec<RuleDiff> {
    let mut before = analyzed;
    steps
        .iter()
        .map(|s| {
            let d = RuleDiff { batch: s.batch, rule: s.rule, lines: line_diff(before, &s.plan_after) };
            before = &s.plan_after;
            d
        })
        .collect()
}

/// A line diff (longest common subsequence): every line of `a` and `b` once, in order, removed lines
/// before the added lines that replace them.
pub fn line_diff(a: &str, b: &str) -> Vec<(Change, String)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    if a.len() > MAX_DIFF_LINES || b.len() > MAX_DIFF_LINES {
        return b.iter().map(|l| (Change::Added, l.to_string())).collect();
    }
    // lcs[i][j]: the LCS length of a[i..] and b[j..], in one flat table.
    let w = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * w + j] = if a[i] == b[j] { lcs[(i + 1) * w + j + 1] + 1 } else { lcs[(i + 1) * w + j].max(lcs[i * w + j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len().max(b.len())));
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Change::Same, a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            out.push((Change::Removed, a[i].to_string()));
            i += 1;
        } else {
            out.push((Change::Added, b[j].to_string()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_keeps_common_lines_and_marks_the_rest() {
        let d = line_diff("Project [a]\n+- Filter (a > 1)\n   +- Relation t", "Project [a]\n+- Filter (a > 1)\n   +- Filter isnotnull(a)\n      +- Relation t");
        let kinds: Vec<Change> = d.iter().map(|l| l.0).collect();
        assert_eq!(kinds, [Change::Same, Change::Same, Change::Removed, Change::Added, Change::Added]);
        assert_eq!(d[2].1, "   +- Relation t");
        assert!(line_diff("x\ny", "x\ny").iter().all(|l| l.0 == Change::Same));
        assert_eq!(line_diff("", "a").len(), 1);
    }

    #[test]
    fn each_step_is_diffed_against_the_one_before() {
        let steps = [
            RuleStep { batch: "b", rule: "R1", plan_after: "A\nB2".into() },
            RuleStep { batch: "b", rule: "R2", plan_after: "A\nB2\nC".into() },
        ];
        let d = rule_diffs("A\nB", &steps);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].lines, vec![(Change::Same, "A".into()), (Change::Removed, "B".into()), (Change::Added, "B2".into())]);
        assert_eq!(d[1].lines.iter().filter(|l| l.0 == Change::Added).count(), 1);
        assert_eq!(d[1].rule, "R2");
    }
}
