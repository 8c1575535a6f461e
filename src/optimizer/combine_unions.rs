//! `CombineUnions`: flattens adjacent `Union`s with the same by-name/allow-missing flags into one, also
//! through a deterministic Project sitting on a child union (the projection is pushed into that union's
//! children first) and through `Distinct(Union)` under a `Distinct(Union)`. Knows plans only.

use super::plan_util::transform_down;
use super::push_projection_through_union::push_projection_through_union;
use super::{OptimizerContext, OptimizerRule};
use crate::logical::plan::LogicalPlan;

pub struct CombineUnions;

impl OptimizerRule for CombineUnions {
    fn name(&self) -> &'static str {
        "CombineUnions"
    }

    fn apply(&self, plan: &LogicalPlan, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        transform_down(plan, &mut |n| match n {
            LogicalPlan::Union { .. } => flatten(n, false, ctx),
            LogicalPlan::Distinct { child } if matches!(child.as_ref(), LogicalPlan::Union { .. }) => {
                flatten(child, true, ctx).map(|u| LogicalPlan::Distinct { child: Box::new(u) })
            }
            _ => None,
        })
    }
}

fn flatten(union: &LogicalPlan, flatten_distinct: bool, ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
    let LogicalPlan::Union { children, by_name, allow_missing } = union else { return None };
    let same = |b: &bool, m: &bool| b == by_name && m == allow_missing;
    let mut stack: Vec<LogicalPlan> = children.iter().rev().cloned().collect();
    let mut flat = vec![];
    while let Some(p) = stack.pop() {
        match p {
            LogicalPlan::Distinct { child } if flatten_distinct => match *child {
                LogicalPlan::Union { children, by_name: b, allow_missing: m } if same(&b, &m) => {
                    stack.extend(children.into_iter().rev())
                }
                other => flat.push(LogicalPlan::Distinct { child: Box::new(other) }),
            },
            LogicalPlan::Union { children, by_name: b, allow_missing: m } if same(&b, &m) => {
                stack.extend(children.into_iter().rev())
            }
            LogicalPlan::Project { exprs, child }
                if exprs.iter().all(|e| e.is_deterministic())
                    && matches!(child.as_ref(), LogicalPlan::Union { children, by_name: b, allow_missing: m }
                        if !children.is_empty() && same(b, m)) =>
            {
                let pushed = push_projection_through_union(&exprs, &child, ctx);
                stack.extend(pushed.into_iter().rev());
            }
            other => flat.push(other),
        }
    }
    if flat.len() == children.len() && flat.iter().zip(children).all(|(a, b)| a == b) {
        return None;
    }
    Some(LogicalPlan::Union { children: flat, by_name: *by_name, allow_missing: *allow_missing })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::test_util::*;

    #[test]
    fn nested_unions_flatten_in_order() {
        let (a, b, c) = (relation("a", &["x"], 1), relation("b", &["y"], 2), relation("c", &["z"], 3));
        let inner = LogicalPlan::Union { children: vec![b.clone(), c.clone()], by_name: false, allow_missing: false };
        let p = LogicalPlan::Union { children: vec![a.clone(), inner], by_name: false, allow_missing: false };
        let out = run(&CombineUnions, &p);
        assert_eq!(out, LogicalPlan::Union { children: vec![a, b, c], by_name: false, allow_missing: false });
    }
}
