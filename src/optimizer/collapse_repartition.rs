//! `CollapseRepartition`: of two adjacent repartitions only the outer one matters (except that a
//! `coalesce` over a bigger shuffle keeps the shuffle); a repartition by expression drops a global sort
//! or repartition below it; `REBALANCE` likewise. Knows plans only.

use super::plan_util::transform_up;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct CollapseRepartition;

fn collapse(p: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    match p {
        Repartition { num, shuffle, child } => match child.as_ref() {
            Repartition { num: cn, shuffle: cs, child: grand } => {
                if !*shuffle && *cs {
                    if num >= cn {
                        Some((**child).clone())
                    } else {
                        None
                    }
                } else {
                    Some(Repartition { num: *num, shuffle: *shuffle, child: grand.clone() })
                }
            }
            RepartitionByExpression { num: cn, child: grand, .. } => {
                if !*shuffle {
                    if cn.map(|c| *num >= c).unwrap_or(false) {
                        Some((**child).clone())
                    } else {
                        None
                    }
                } else {
                    Some(Repartition { num: *num, shuffle: *shuffle, child: grand.clone() })
                }
            }
            _ => None,
        },
        RepartitionByExpression { .. } | RebalancePartitions { .. } => {
            let c = *p.children().first()?;
            match c {
                Sort { global: true, child: grand, .. } | Repartition { child: grand, .. } | RepartitionByExpression { child: grand, .. } => {
                    Some(p.with_children(vec![(**grand).clone()]))
                }
                Sort { global: false, child: grand, .. } | RebalancePartitions { child: grand, .. }
                    if matches!(p, RebalancePartitions { .. }) =>
                {
                    Some(p.with_children(vec![(**grand).clone()]))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

impl OptimizerRule for CollapseRepartition {
    fn name(&self) -> &'static str {
        "CollapseRepartition"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_up(plan, &mut collapse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn outer_repartition_wins_but_coalesce_keeps_a_smaller_shuffle() {
        let t = relation("t", &["a"], 1);
        let inner = LogicalPlan::Repartition { num: 8, shuffle: true, child: Box::new(t.clone()) };
        let outer = LogicalPlan::Repartition { num: 4, shuffle: true, child: Box::new(inner.clone()) };
        assert_eq!(run(&CollapseRepartition, &outer), LogicalPlan::Repartition { num: 4, shuffle: true, child: Box::new(t) });
        let coalesce = LogicalPlan::Repartition { num: 2, shuffle: false, child: Box::new(inner.clone()) };
        assert_eq!(run(&CollapseRepartition, &coalesce), coalesce);
        let wide = LogicalPlan::Repartition { num: 16, shuffle: false, child: Box::new(inner.clone()) };
        assert_eq!(run(&CollapseRepartition, &wide), inner);
    }
}
