//! `ColumnPruning`: removes columns nobody reads. Top-down: a Project narrows the Project, Aggregate,
//! Expand, Window or Union below it; Aggregates, Expands and Generates read only what they need from
//! their child; the right side of a semi/anti join keeps only its join keys; any other operator under a
//! Project gets Projects inserted over its children. Relations are never rewritten: the Project over a
//! Relation is what the physical scan turns into its ReadSchema. A Project that this rule would put
//! between a Filter and its child is removed again (`removeProjectBeforeFilter`), as in Spark.
//! Knows plans only.

use super::expr_util::{named_id, subquery_plans, AttrSet};
use super::plan_util::{input_set, output_set, plan_refs, produced, pruned_child, transform_down, transform_up};
use super::{OptimizerContext, OptimizerRule};
use crate::logical::expr::Expr;
use crate::logical::plan::{JoinType, LogicalPlan};

pub struct ColumnPruning;

fn keeps(e: &Expr, refs: &AttrSet) -> bool {
    named_id(e).map(|id| refs.contains(&id)).unwrap_or(false)
}

fn prune_node(n: &LogicalPlan) -> Option<LogicalPlan> {
    use LogicalPlan::*;
    match n {
        Project { exprs, child } => {
            let p_refs = plan_refs(n);
            let rebuild = |c: LogicalPlan| Some(Project { exprs: exprs.clone(), child: Box::new(c) });
            match child.as_ref() {
                Project { exprs: e2, child: c2 } if !output_set(child).is_subset(&p_refs) => {
                    rebuild(Project { exprs: e2.iter().filter(|e| keeps(e, &p_refs)).cloned().collect(), child: c2.clone() })
                }
                Aggregate { group, aggs, child: c2 } if !output_set(child).is_subset(&p_refs) => rebuild(Aggregate {
                    group: group.clone(),
                    aggs: aggs.iter().filter(|e| keeps(e, &p_refs)).cloned().collect(),
                    child: c2.clone(),
                }),
                Expand { projections, output, child: c2 } if !output_set(child).is_subset(&p_refs) => {
                    let keep: Vec<bool> = output.iter().map(|a| p_refs.contains(&a.id)).collect();
                    rebuild(Expand {
                        projections: projections
                            .iter()
                            .map(|row| row.iter().zip(&keep).filter(|(_, k)| **k).map(|(e, _)| e.clone()).collect())
                            .collect(),
                        output: output.iter().zip(&keep).filter(|(_, k)| **k).map(|(a, _)| a.clone()).collect(),
                        child: c2.clone(),
                    })
                }
                // Spark: the child keeps what the Project or the generator reads; the generator's own
                // inputs that the Project does not read become `unrequiredChildIndex`.
                Generate { generator, unrequired_child_index, outer, qualifier, generator_output, child: c2 } if p_refs != output_set(child) => {
                    let gen_refs = super::expr_util::refs(generator);
                    let mut required: AttrSet = crate::sort::set_of(p_refs.difference(&produced(child)).cloned());
                    required.extend(gen_refs.iter().cloned());
                    let nc = pruned_child(c2, &required);
                    let unrequired: Vec<usize> = nc
                        .output()
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| gen_refs.contains(&a.id) && !p_refs.contains(&a.id))
                        .map(|(i, _)| i)
                        .collect();
                    if nc == **c2 && unrequired == *unrequired_child_index {
                        return None;
                    }
                    rebuild(Generate {
                        generator: generator.clone(),
                        unrequired_child_index: unrequired,
                        outer: *outer,
                        qualifier: qualifier.clone(),
                        generator_output: generator_output.clone(),
                        child: Box::new(nc),
                    })
                }
                Intersect { .. } | Except { .. } | Distinct { .. } => None,
                Union { children, by_name, allow_missing } => {
                    if output_set(child).is_subset(&p_refs) {
                        return None;
                    }
                    let first = children.first()?;
                    let first_out = first.output();
                    let keep: Vec<bool> = first_out.iter().map(|a| p_refs.contains(&a.id)).collect();
                    let new_children = children
                        .iter()
                        .map(|c| Project {
                            exprs: c.output().iter().zip(&keep).filter(|(_, k)| **k).map(|(a, _)| a.to_expr()).collect(),
                            child: Box::new(c.clone()),
                        })
                        .collect();
                    rebuild(Union { children: new_children, by_name: *by_name, allow_missing: *allow_missing })
                }
                Window { window_exprs, partition_by, order_by, child: c2 } => {
                    let w_out: AttrSet = crate::sort::set_of(window_exprs.iter().filter_map(named_id));
                    if w_out.is_subset(&p_refs) {
                        return generic(n, exprs, child, &p_refs);
                    }
                    let kept: Vec<Expr> = window_exprs.iter().filter(|e| keeps(e, &p_refs)).cloned().collect();
                    if kept.is_empty() {
                        rebuild((**c2).clone())
                    } else {
                        rebuild(Window {
                            window_exprs: kept,
                            partition_by: partition_by.clone(),
                            order_by: order_by.clone(),
                            child: c2.clone(),
                        })
                    }
                }
                c if c.children().is_empty() => None,
                Project { .. } => None,
                _ => generic(n, exprs, child, &p_refs),
            }
        }
        Aggregate { group, aggs, child } if !output_set(child).is_subset(&plan_refs(n)) => {
            Some(Aggregate { group: group.clone(), aggs: aggs.clone(), child: Box::new(pruned_child(child, &plan_refs(n))) })
        }
        Expand { projections, output, child } if !output_set(child).is_subset(&plan_refs(n)) => Some(Expand {
            projections: projections.clone(),
            output: output.clone(),
            child: Box::new(pruned_child(child, &plan_refs(n))),
        }),
        Join { left, right, join_type: JoinType::LeftSemi | JoinType::LeftAnti, .. } => {
            let refs = plan_refs(n);
            let nr = pruned_child(right, &refs);
            if nr == **right {
                return None;
            }
            Some(n.with_children(vec![(**left).clone(), nr]))
        }
        _ => None,
    }
}

/// A Project over an operator that passes its children's columns through: narrow the children.
fn generic(n: &LogicalPlan, exprs: &[Expr], child: &LogicalPlan, p_refs: &AttrSet) -> Option<LogicalPlan> {
    if matches!(child, LogicalPlan::InMemoryRelation { .. } | LogicalPlan::CteRef { .. }) {
        return None;
    }
    let mut required = plan_refs(child);
    required.extend(p_refs.iter().cloned());
    if input_set(child).is_subset(&required) {
        return None;
    }
    let kids: Vec<LogicalPlan> = child.children().into_iter().map(|c| pruned_child(c, &required)).collect();
    let _ = n;
    Some(LogicalPlan::Project { exprs: exprs.to_vec(), child: Box::new(child.with_children(kids)) })
}

/// `removeProjectBeforeFilter`: `Project(Filter(Project(attrs, x)))` loses the inner Project when it
/// only narrows `x`.
fn remove_project_before_filter(plan: &LogicalPlan) -> Option<LogicalPlan> {
    transform_up(plan, &mut |n| {
        let LogicalPlan::Project { exprs, child } = n else { return None };
        let LogicalPlan::Filter { cond, child: p2 } = child.as_ref() else { return None };
        let LogicalPlan::Project { exprs: e2, child: grand } = p2.as_ref() else { return None };
        let attr_only = e2.iter().all(|e| matches!(e, Expr::Attr(_)));
        let conflicting = subquery_plans(cond).iter().any(|sp| !output_set(sp).is_disjoint(&output_set(grand)));
        if attr_only && output_set(p2).is_subset(&output_set(grand)) && !conflicting {
            Some(LogicalPlan::Project {
                exprs: exprs.clone(),
                child: Box::new(LogicalPlan::Filter { cond: cond.clone(), child: grand.clone() }),
            })
        } else {
            None
        }
    })
}

impl OptimizerRule for ColumnPruning {
    fn name(&self) -> &'static str {
        "ColumnPruning"
    }

    fn apply(&self, plan: &LogicalPlan, _ctx: &mut OptimizerContext) -> Option<LogicalPlan> {
        let pruned = transform_down(plan, &mut prune_node);
        let base = pruned.as_ref().unwrap_or(plan);
        remove_project_before_filter(base).or(pruned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logical::expr::{AggFunc, AggMode};
    use crate::optimizer::test_util::*;

    fn count() -> Expr {
        Expr::Agg { func: AggFunc::Count, args: vec![Expr::lit_int(1)], distinct: false, mode: AggMode::Complete, filter: None }
    }

    #[test]
    fn count_star_reads_no_column() {
        let t = relation("t", &["a", "b"], 1);
        let p = LogicalPlan::Aggregate { group: vec![], aggs: vec![count().alias("n", 9)], child: Box::new(t) };
        assert_eq!(
            show(&run(&ColumnPruning, &p)),
            "Aggregate [count(1) AS n#9L]\n+- Project\n   +- Relation [a#1,b#2] parquet\n"
        );
    }

    #[test]
    fn join_children_narrow_and_no_project_sits_between_filter_and_relation() {
        let a = relation("a", &["x", "v", "u"], 1);
        let b = relation("b", &["y", "w"], 4);
        let j = join(
            filter(gt(col(&a, "u"), Expr::lit_int(0)), a.clone()),
            b.clone(),
            JoinType::Inner,
            Some(eq(col(&a, "x"), col(&b, "y"))),
        );
        let p = project(vec![col(&a, "v")], j);
        assert_eq!(
            run(&ColumnPruning, &p).to_string(),
            "Project [v#2]\n+- Join Inner, (x#1 = y#4)\n   :- Project [x#1, v#2]\n   :  +- Filter (u#3 > 0)\n   :     +- Relation [x#1,v#2,u#3] parquet\n   +- Project [y#4]\n      +- Relation [y#4,w#5] parquet\n"
        );
    }

    #[test]
    fn semi_join_right_side_keeps_keys_only() {
        let a = relation("a", &["x"], 1);
        let b = relation("b", &["y", "w"], 2);
        let j = join(a.clone(), b.clone(), JoinType::LeftSemi, Some(eq(col(&a, "x"), col(&b, "y"))));
        assert!(run(&ColumnPruning, &j).to_string().contains("+- Project [y#2]"));
    }
}
