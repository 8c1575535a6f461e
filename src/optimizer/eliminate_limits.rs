//! `EliminateLimits`: drops a limit its child can never reach (`LIMIT 10` over a global aggregate) and
//! merges stacked limits into the smaller one (Spark 3.5 folded the old `CombineLimits` into this rule).
//! Knows plans only.

use super::plan_util::{max_rows, transform_down};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct EliminateLimits;

fn can_eliminate(n: i64, child: &LogicalPlan) -> bool {
    n >= 0 && max_rows(child).map(|m| m <= n as u128).unwrap_or(false)
}

fn eliminate(p: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    match p {
        GlobalLimit { n, child } => match child.as_ref() {
            LocalLimit { n: ln, child: grand } if ln == n && can_eliminate(*n, grand) => Some((**grand).clone()),
            c if can_eliminate(*n, c) => Some(c.clone()),
            GlobalLimit { n: inner, child: grand } => Some(GlobalLimit { n: (*n).min(*inner), child: grand.clone() }),
            LocalLimit { n: ln, child: grand } if ln == n => match grand.as_ref() {
                GlobalLimit { n: n2, child: g2 } => match g2.as_ref() {
                    LocalLimit { n: ln2, child: g3 } if ln2 == n2 => {
                        let m = (*n).min(*n2);
                        Some(GlobalLimit { n: m, child: Box::new(LocalLimit { n: m, child: g3.clone() }) })
                    }
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        },
        LocalLimit { n, child } => match child.as_ref() {
            LocalLimit { n: inner, child: grand } => Some(LocalLimit { n: (*n).min(*inner), child: grand.clone() }),
            _ => None,
        },
        _ => None,
    }
}

impl OptimizerRule for EliminateLimits {
    fn name(&self) -> &'static str {
        "EliminateLimits"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut eliminate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{AggFunc, AggMode, Expr};
    use crate::optimizer::test_util::*;

    fn limit(n: i64, p: LogicalPlan) -> LogicalPlan {
        LogicalPlan::GlobalLimit { n, child: Box::new(LogicalPlan::LocalLimit { n, child: Box::new(p) }) }
    }

    #[test]
    fn limit_over_one_row_and_stacked_limits() {
        let t = relation("t", &["a"], 1);
        let count = Expr::Agg { func: AggFunc::Count, args: vec![], distinct: false, mode: AggMode::Complete, filter: None };
        let agg = LogicalPlan::Aggregate { group: vec![], aggs: vec![count.alias("n", 5)], child: Box::new(t.clone()) };
        assert_eq!(run(&EliminateLimits, &limit(10, agg.clone())), agg);
        assert_eq!(run(&EliminateLimits, &limit(5, limit(3, t.clone()))), limit(3, t));
    }
}
