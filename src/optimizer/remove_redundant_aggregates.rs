//! `RemoveRedundantAggregates`: an Aggregate over another Aggregate is redundant when the upper one
//! only groups (or uses duplicate-insensitive functions: min, max, first, last, collect_set) and reads
//! only the lower one's grouping outputs: the lower aggregate is removed. Knows plans only.

use super::collapse_project::build_cleaned;
use super::expr_util::{alias_map, named_id, replace_alias, AttrSet};
use super::plan_util::{plan_refs, transform_up};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::{AggFunc, Expr};
use crate::logical::plan::LogicalPlan;

pub struct RemoveRedundantAggregates;

fn duplicate_insensitive(e: &Expr) -> bool {
    !e.any(&|x| match x {
        Expr::Agg { func, .. } => !matches!(func, AggFunc::Min | AggFunc::Max | AggFunc::First | AggFunc::Last | AggFunc::CollectSet | AggFunc::AnyValue),
        _ => false,
    })
}

impl OptimizerRule for RemoveRedundantAggregates {
    fn name(&self) -> &'static str {
        "RemoveRedundantAggregates"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut |n| {
            let LogicalPlan::Aggregate { group, aggs, child } = n else { return None };
            let LogicalPlan::Aggregate { aggs: lower_aggs, child: lower_child, .. } = child.as_ref() else { return None };
            let non_agg: AttrSet = crate::sort::set_of(lower_aggs.iter().filter(|e| e.is_deterministic() && !e.contains_agg()).filter_map(named_id));
            if !aggs.iter().all(duplicate_insensitive) || !plan_refs(n).is_subset(&non_agg) {
                return None;
            }
            let upper_refs = plan_refs(n);
            let used: Vec<Expr> = lower_aggs.iter().filter(|e| named_id(e).map(|id| upper_refs.contains(&id)).unwrap_or(false)).cloned().collect();
            let m = alias_map(&used);
            Some(LogicalPlan::Aggregate {
                group: group.iter().map(|g| replace_alias(g, &m)).collect(),
                aggs: build_cleaned(aggs, &used),
                child: lower_child.clone(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn distinct_over_group_by_collapses() {
        let t = relation("t", &["a", "b"], 1);
        let lower = LogicalPlan::Aggregate { group: vec![col(&t, "a")], aggs: vec![col(&t, "a")], child: Box::new(t.clone()) };
        let upper = LogicalPlan::Aggregate { group: vec![col(&t, "a")], aggs: vec![col(&t, "a")], child: Box::new(lower) };
        assert_eq!(run(&RemoveRedundantAggregates, &upper), LogicalPlan::Aggregate { group: vec![col(&t, "a")], aggs: vec![col(&t, "a")], child: Box::new(t) });
    }
}
