//! Query analysis: WITH, set operations, SELECT (FROM/joins, LATERAL VIEW, WHERE, GROUP BY, HAVING,
//! windows, DISTINCT), ORDER BY, LIMIT, hints and PIVOT — into resolved logical plans shaped like
//! Spark's analyzed plans. Expressions are delegated to `exprs`.

use super::exprs::{self, span_of, Clause, ExprCtx, Scope};
use super::hints::{parse_hints_at, Hint, HintArg};
use super::syntax as ast;
use super::Analyzer;
use crate::error::{Diagnostic, Pos, Result, Span};
use crate::logical::expr::*;
use crate::logical::plan::*;
use crate::logical::types::DataType;

impl<'a> Analyzer<'a> {
    pub(super) fn query(&mut self, q: &ast::Query, outer: &[Scope]) -> Result<LogicalPlan> {
        let pushed = self.ctes.len();
        if let Some(with) = &q.with {
            if with.recursive {
                // Spark 3.5's grammar has no WITH RECURSIVE: its parser reads `RECURSIVE` as the first
                // CTE's name and stops at the token after it (the real name), where it wants `AS` or `(`.
                let at = with.ctes.first().map(|c| (c.name.value.clone(), c.name.span));
                let (tok, span) = at.unwrap_or_else(|| ("<EOF>".into(), with.span));
                return Err(Diagnostic::parse(format!("[PARSE_SYNTAX_ERROR] Syntax error at or near '{tok}'."), span));
            }
            for cte in &with.ctes {
                let plan = self.query(&cte.query, outer)?;
                let plan = rename_columns(plan, &cte.columns.iter().map(|c| c.value.clone()).collect::<Vec<_>>(), self.ids, cte.name.span)?;
                self.ctes.push((cte.name.value.clone(), plan));
            }
        }
        let result = self.query_body(q, outer);
        self.ctes.truncate(pushed);
        result
    }

    fn query_body(&mut self, q: &ast::Query, outer: &[Scope]) -> Result<LogicalPlan> {
        let order: &[ast::OrderByExpr] = &q.order_by;
        // Window definitions are per query (an enclosing query's are not visible); a `WINDOW` clause
        // the parser left on the query (after a set operation) is visible to the SELECTs of its body.
        let saved_windows = std::mem::take(&mut self.named_windows);
        for nw in &q.windows {
            self.named_windows.push((nw.name.value.clone(), nw.spec.clone()));
        }
        // AstBuilder.withQueryResultClauses: ORDER BY alone, or SORT BY and/or DISTRIBUTE BY, or CLUSTER BY.
        let clauses = [!q.order_by.is_empty(), !q.sort_by.is_empty(), !q.distribute_by.is_empty(), !q.cluster_by.is_empty()];
        let allowed = matches!(clauses, [_, false, false, false] | [false, _, _, false] | [false, false, false, true]);
        if !allowed {
            self.named_windows = saved_windows;
            return Err(Diagnostic::parse("[UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES] The feature is not supported: Combination of ORDER BY/SORT BY/DISTRIBUTE BY/CLUSTER BY.", q.organization));
        }
        // SORT BY alone sorts like ORDER BY (missing references included) but within each partition.
        let sort_alone = q.distribute_by.is_empty() && !q.sort_by.is_empty();
        let body = self.query_body_plan(q, if sort_alone { &q.sort_by } else { order }, outer).map(|p| if sort_alone { sort_within_partitions(p) } else { p });
        self.named_windows = saved_windows;
        let mut plan = body?;
        let by = if q.cluster_by.is_empty() { &q.distribute_by } else { &q.cluster_by };
        if !by.is_empty() {
            // RepartitionByExpression without a number (spark.sql.shuffle.partitions, coalescable by AQE),
            // then SORT BY (or CLUSTER BY's keys ascending) as a partition-local Sort over it.
            let scope = Scope::new(plan.output());
            let cx = ExprCtx { scope: &scope, outer, clause: Clause::Other, aliases: &[] };
            let mut exprs = vec![];
            for e in by {
                exprs.push(self.expr(e, &cx)?);
            }
            let mut orders = vec![];
            if !q.cluster_by.is_empty() {
                orders = exprs.iter().cloned().map(SortOrder::asc).collect();
            } else {
                let cx = ExprCtx { clause: Clause::OrderBy, ..cx };
                for o in &q.sort_by {
                    orders.push(self.sort_order(o, &cx)?);
                }
            }
            plan = LogicalPlan::RepartitionByExpression { exprs, range: vec![], num: None, child: Box::new(plan) };
            if !orders.is_empty() {
                plan = LogicalPlan::Sort { order: orders, global: false, child: Box::new(plan) };
            }
        }
        if let Some(o) = &q.offset {
            return Err(Diagnostic::analysis("OFFSET is not supported by Stagecraft yet", span_of(o)));
        }
        if let Some(l) = &q.limit {
            let n = int_literal(l)?;
            plan = LogicalPlan::GlobalLimit { n, child: Box::new(LogicalPlan::LocalLimit { n, child: Box::new(plan) }) };
        }
        Ok(plan)
    }

    fn query_body_plan(&mut self, q: &ast::Query, order: &[ast::OrderByExpr], outer: &[Scope]) -> Result<LogicalPlan> {
        Ok(match &q.body {
            ast::SetExpr::Select(s) => self.select(s, outer, order)?,
            other => {
                let p = self.set_expr(other, outer)?;
                if order.is_empty() {
                    p
                } else {
                    let scope = Scope::new(p.output());
                    let cx = ExprCtx { scope: &scope, outer, clause: Clause::OrderBy, aliases: &[] };
                    let mut orders = vec![];
                    for o in order {
                        orders.push(self.sort_order(o, &cx)?);
                    }
                    LogicalPlan::Sort { order: orders, global: true, child: Box::new(p) }
                }
            }
        })
    }

    fn set_expr(&mut self, e: &ast::SetExpr, outer: &[Scope]) -> Result<LogicalPlan> {
        match e {
            ast::SetExpr::Select(s) => self.select(s, outer, &[]),
            ast::SetExpr::Query(q) => self.query(q, outer),
            ast::SetExpr::SetOp { op, all, by_name, left, right, span } => {
                let (all, by_name, span) = (*all, *by_name, *span);
                let l = self.set_expr(left, outer)?;
                let r = self.set_expr(right, outer)?;
                let r = if by_name { align_by_name(&l, r, false, span)? } else { r };
                let (l, r) = widen_union(l, r, self.ids, span)?;
                Ok(match op {
                    ast::SetOp::Union => {
                        let u = LogicalPlan::Union { children: vec![l, r], by_name: false, allow_missing: false };
                        if all {
                            u
                        } else {
                            LogicalPlan::Distinct { child: Box::new(u) }
                        }
                    }
                    ast::SetOp::Intersect => LogicalPlan::Intersect { left: Box::new(l), right: Box::new(r), all },
                    ast::SetOp::Except => LogicalPlan::Except { left: Box::new(l), right: Box::new(r), all },
                })
            }
            ast::SetExpr::Values(v) => self.values(v, v.span),
            ast::SetExpr::Table { name, span } => {
                let parts: Vec<String> = name.iter().map(|p| p.value.clone()).collect();
                self.relation(&parts, None, *span)
            }
        }
    }

    fn values(&mut self, v: &ast::Values, span: Span) -> Result<LogicalPlan> {
        let first = v.rows.first().ok_or_else(|| Diagnostic::analysis("VALUES needs at least one row", span))?;
        let empty = Scope::default();
        let cx = ExprCtx { scope: &empty, outer: &[], clause: Clause::Other, aliases: &[] };
        let mut types: Vec<DataType> = vec![];
        for (ri, row) in v.rows.iter().enumerate() {
            if row.len() != first.len() {
                return Err(Diagnostic::analysis("[INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH] Inline table expected the same number of columns in every row", row.first().map(span_of).unwrap_or_default()));
            }
            for (ci, x) in row.iter().enumerate() {
                let e = self.expr(x, &cx)?;
                if !e.is_foldable() {
                    return Err(Diagnostic::analysis("[INVALID_INLINE_TABLE.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE] inline table values must be constants", span_of(x)));
                }
                let t = e.dtype();
                if ri == 0 {
                    types.push(t);
                } else {
                    types[ci] = DataType::common_type(&types[ci], &t).unwrap_or(types[ci].clone());
                }
            }
        }
        let output = types
            .into_iter()
            .enumerate()
            .map(|(i, t)| Attribute { name: format!("col{}", i + 1), id: self.ids.next(), dtype: t, nullable: true, qualifier: vec![] })
            .collect();
        Ok(LogicalPlan::LocalRelation { output, rows: v.rows.len() })
    }

    /// Resolves a table name: CTEs (innermost first), then temporary/cached views, then the catalog.
    pub(super) fn relation(&mut self, name: &[String], alias: Option<&str>, span: Span) -> Result<LogicalPlan> {
        self.relations += 1;
        if self.relations > super::MAX_RELATIONS {
            let msg = format!("this is relation number {} of the query; a query may read at most {} (MAX_RELATIONS)", self.relations, super::MAX_RELATIONS);
            return Err(Diagnostic::new(crate::error::Phase::Limit, msg, span));
        }
        let short = name.last().cloned().unwrap_or_default();
        let plan = if name.len() == 1 {
            let cte = self.ctes.iter().rev().find(|(n, _)| n.eq_ignore_ascii_case(&short)).map(|(n, p)| (n.clone(), super::reinstance(p, self.ids)));
            match cte {
                Some((n, fresh)) => {
                    self.count_copied(&fresh, span)?;
                    Some(LogicalPlan::CteRef { name: n, plan: Box::new(fresh) })
                }
                None => None,
            }
        } else {
            None
        };
        let plan = match plan {
            Some(p) => p,
            None => {
                if let Some(p) = self.views.get(&short.to_ascii_lowercase()) {
                    let fresh = super::reinstance(p, self.ids);
                    self.count_copied(&fresh, span)?;
                    fresh
                } else if let Some(t) = self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(&short)) {
                    let ids = &mut *self.ids;
                    // Spark's temp view over the Parquet DataFrame: SubqueryAlias <name> / View / Relation.
                    let rel = LogicalPlan::Relation(Relation::of_table(t.clone(), || ids.next()));
                    let view = LogicalPlan::View { name: t.name.clone(), child: Box::new(rel) };
                    let named = LogicalPlan::SubqueryAlias { alias: t.name.clone(), child: Box::new(view) };
                    match alias {
                        Some(a) => return Ok(LogicalPlan::SubqueryAlias { alias: a.to_string(), child: Box::new(named) }),
                        None => return Ok(named),
                    }
                } else {
                    let mut known: Vec<String> = self.tables.iter().map(|t| format!("`{}`", t.name)).collect();
                    known.extend(self.ctes.iter().map(|(n, _)| format!("`{n}`")));
                    return Err(Diagnostic::analysis(
                        format!(
                            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `{}` cannot be found. Known tables: {}.",
                            name.join("."),
                            if known.is_empty() { "none (the catalog is empty)".to_string() } else { known.join(", ") }
                        ),
                        span,
                    ));
                }
            }
        };
        Ok(LogicalPlan::SubqueryAlias { alias: alias.unwrap_or(&short).to_string(), child: Box::new(plan) })
    }

    /// Counts operators copied in from a view or CTE against `MAX_PLAN_NODES`: each reference copies the
    /// whole plan, so references to references could otherwise multiply a plan beyond memory.
    fn count_copied(&mut self, fresh: &LogicalPlan, span: Span) -> Result<()> {
        self.copied_nodes += crate::limits::plan_nodes(fresh);
        if self.copied_nodes > crate::limits::MAX_PLAN_NODES {
            let msg = format!(
                "views and CTEs referenced so far copy {} operators into the plan; the limit is {} (MAX_PLAN_NODES)",
                self.copied_nodes,
                crate::limits::MAX_PLAN_NODES
            );
            return Err(Diagnostic::new(crate::error::Phase::Limit, msg, span));
        }
        Ok(())
    }

    /// Counts one join against `MAX_JOINS`.
    fn count_join(&mut self, span: Span) -> Result<()> {
        self.joins += 1;
        if self.joins > super::MAX_JOINS {
            let msg = format!("this is join number {} of the query; a query may have at most {} (MAX_JOINS)", self.joins, super::MAX_JOINS);
            return Err(Diagnostic::new(crate::error::Phase::Limit, msg, span));
        }
        Ok(())
    }

    fn from(&mut self, from: &[ast::TableWithJoins], outer: &[Scope]) -> Result<LogicalPlan> {
        let mut plan: Option<LogicalPlan> = None;
        for twj in from {
            let mut p = self.table_factor(&twj.relation, outer)?;
            for j in &twj.joins {
                self.count_join(j.relation.span())?;
                let right = self.table_factor(&j.relation, outer)?;
                p = self.join(p, right, j.kind, &j.constraint, outer, j.relation.span())?;
            }
            if plan.is_some() {
                self.count_join(twj.relation.span())?;
            }
            plan = Some(match plan {
                None => p,
                Some(l) => LogicalPlan::Join {
                    left: Box::new(l),
                    right: Box::new(p),
                    join_type: JoinType::Inner,
                    cond: None,
                    hint: JoinHint::default(),
                    null_aware: false,
                },
            });
        }
        Ok(plan.unwrap_or(LogicalPlan::LocalRelation { output: vec![], rows: 1 }))
    }

    fn table_factor(&mut self, t: &ast::TableFactor, outer: &[Scope]) -> Result<LogicalPlan> {
        let span = t.span();
        match t {
            ast::TableFactor::Table { name, alias, sample, .. } => {
                if sample.is_some() {
                    return Err(Diagnostic::analysis("TABLESAMPLE is not supported by Stagecraft yet", span));
                }
                let parts: Vec<String> = name.iter().map(|p| p.value.clone()).collect();
                let plan = self.relation(&parts, alias.as_ref().map(|a| a.name.value.as_str()), ast::name_span(name))?;
                match alias {
                    Some(a) if !a.columns.is_empty() => rename_columns(plan, &a.columns.iter().map(|c| c.value.clone()).collect::<Vec<_>>(), self.ids, a.name.span),
                    _ => Ok(plan),
                }
            }
            ast::TableFactor::Function { name, args, alias, .. } => {
                let parts: Vec<String> = name.iter().map(|p| p.value.clone()).collect();
                self.table_function(&parts, args, alias.as_ref(), span)
            }
            ast::TableFactor::Derived { subquery, alias, lateral, .. } => {
                if *lateral {
                    return Err(Diagnostic::analysis("LATERAL subqueries are not supported by Stagecraft yet", span));
                }
                let p = self.query(subquery, outer)?;
                self.derived_alias(p, alias.as_ref())
            }
            ast::TableFactor::Values(v) => {
                let p = self.values(v, v.span)?;
                self.derived_alias(p, v.alias.as_ref())
            }
            ast::TableFactor::NestedJoin { inner, alias, .. } => {
                let p = self.from(std::slice::from_ref(inner.as_ref()), outer)?;
                Ok(match alias {
                    Some(a) => LogicalPlan::SubqueryAlias { alias: a.name.value.clone(), child: Box::new(p) },
                    None => p,
                })
            }
            ast::TableFactor::Pivot { table, aggregates, columns, values, alias, .. } => {
                let input = self.table_factor(table, outer)?;
                self.pivot(input, aggregates, columns, values, alias.as_ref(), span)
            }
        }
    }

    /// A subquery (or VALUES) in FROM under its alias (`__auto_generated_subquery_name` without one, as
    /// Spark names it), with `AS t(a, b)` column renames.
    fn derived_alias(&mut self, p: LogicalPlan, alias: Option<&ast::TableAlias>) -> Result<LogicalPlan> {
        let name = alias.map(|a| a.name.value.clone()).unwrap_or_else(|| "__auto_generated_subquery_name".into());
        let p = match alias {
            Some(a) if !a.columns.is_empty() => rename_columns(p, &a.columns.iter().map(|c| c.value.clone()).collect::<Vec<_>>(), self.ids, a.name.span)?,
            _ => p,
        };
        Ok(LogicalPlan::SubqueryAlias { alias: name, child: Box::new(p) })
    }

    fn table_function(&mut self, name: &[String], args: &[ast::Expr], alias: Option<&ast::TableAlias>, span: Span) -> Result<LogicalPlan> {
        let fname = name.last().cloned().unwrap_or_default().to_ascii_lowercase();
        if fname != "range" {
            return Err(Diagnostic::analysis(format!("[UNRESOLVABLE_TABLE_VALUED_FUNCTION] Could not resolve `{fname}` to a table-valued function."), span));
        }
        let mut nums = vec![];
        for a in args {
            nums.push(int_literal(a)?);
        }
        let (start, end, step, splits) = match nums.as_slice() {
            [e] => (0, *e, 1, None),
            [s, e] => (*s, *e, 1, None),
            [s, e, st] => (*s, *e, *st, None),
            [s, e, st, n] => (*s, *e, *st, Some(*n as u32)),
            _ => return Err(Diagnostic::analysis("range() takes 1 to 4 arguments", span)),
        };
        if step == 0 {
            return Err(Diagnostic::analysis("range() step must not be 0", span));
        }
        let output = vec![Attribute { name: "id".into(), id: self.ids.next(), dtype: DataType::Long, nullable: false, qualifier: vec![] }];
        let p = LogicalPlan::Range { start, end, step, splits, output };
        Ok(match alias {
            Some(a) => LogicalPlan::SubqueryAlias { alias: a.name.value.clone(), child: Box::new(p) },
            None => p,
        })
    }

    fn join(&mut self, left: LogicalPlan, right: LogicalPlan, kind: ast::JoinKind, constraint: &ast::JoinConstraint, outer: &[Scope], span: Span) -> Result<LogicalPlan> {
        use ast::JoinKind as J;
        let jt = match kind {
            J::Inner => JoinType::Inner,
            J::LeftOuter => JoinType::LeftOuter,
            J::RightOuter => JoinType::RightOuter,
            J::FullOuter => JoinType::FullOuter,
            J::Cross => JoinType::Cross,
            J::LeftSemi => JoinType::LeftSemi,
            J::LeftAnti => JoinType::LeftAnti,
        };
        let mut scope_attrs = left.output();
        scope_attrs.extend(right.output());
        let scope = Scope::new(scope_attrs);
        match constraint {
            ast::JoinConstraint::On(e) => {
                let cx = ExprCtx { scope: &scope, outer, clause: Clause::JoinOn, aliases: &[] };
                let cond = self.expr(e, &cx)?;
                if cond.dtype() != DataType::Boolean {
                    return Err(Diagnostic::analysis("[DATATYPE_MISMATCH] the join condition must be a boolean expression", span_of(e)));
                }
                let jt = if jt == JoinType::Cross { JoinType::Inner } else { jt };
                Ok(LogicalPlan::Join { left: Box::new(left), right: Box::new(right), join_type: jt, cond: Some(cond), hint: JoinHint::default(), null_aware: false })
            }
            ast::JoinConstraint::Using(cols) => {
                let names: Vec<String> = cols.iter().map(|c| c.value.clone()).collect();
                let spans: Vec<Span> = cols.iter().map(|c| c.span).collect();
                using_join(left, right, jt, &names, &spans)
            }
            ast::JoinConstraint::Natural => {
                let l = left.output();
                let r = right.output();
                let names: Vec<String> = l.iter().filter(|a| r.iter().any(|b| b.name.eq_ignore_ascii_case(&a.name))).map(|a| a.name.clone()).collect();
                let spans = vec![span; names.len()];
                using_join(left, right, jt, &names, &spans)
            }
            ast::JoinConstraint::None => Ok(LogicalPlan::Join {
                left: Box::new(left),
                right: Box::new(right),
                join_type: if jt == JoinType::Inner { JoinType::Inner } else { jt },
                cond: None,
                hint: JoinHint::default(),
                null_aware: false,
            }),
        }
    }

    /// One SELECT block (with the ORDER BY of its query, which may refer to its FROM columns).
    fn select(&mut self, s: &ast::Select, outer: &[Scope], order: &[ast::OrderByExpr]) -> Result<LogicalPlan> {
        let span = s.span;
        // The SELECT's own `WINDOW` definitions, after any given to the query it is the body of.
        let saved_windows = self.named_windows.clone();
        for nw in &s.named_windows {
            self.named_windows.push((nw.name.value.clone(), nw.spec.clone()));
        }
        let r = self.select_inner(s, outer, order, span);
        self.named_windows = saved_windows;
        r
    }

    fn select_inner(&mut self, s: &ast::Select, outer: &[Scope], order: &[ast::OrderByExpr], span: Span) -> Result<LogicalPlan> {
        let mut base = self.from(&s.from, outer)?;
        for lv in &s.lateral_views {
            base = self.lateral_view(base, lv, outer)?;
        }
        if let Some(w) = &s.selection {
            let scope = Scope::new(base.output());
            let cx = ExprCtx { scope: &scope, outer, clause: Clause::Where, aliases: &[] };
            let cond = self.expr(w, &cx)?;
            if !matches!(cond.dtype(), DataType::Boolean | DataType::Null) {
                return Err(Diagnostic::analysis(
                    format!("[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve \"{}\": filter expression is of type \"{}\", not boolean.", cond.sql(), cond.dtype().to_string().to_uppercase()),
                    span_of(w),
                ));
            }
            base = LogicalPlan::Filter { cond, child: Box::new(base) };
        }
        let scope = Scope::new(base.output());
        // SELECT list, with `*` expanded and generators split out.
        let mut items: Vec<(Expr, Option<String>, Span)> = vec![];
        let mut generator: Option<(Expr, Vec<String>, Span)> = None;
        for item in &s.projection {
            let cx = ExprCtx { scope: &scope, outer, clause: Clause::Select, aliases: &[] };
            match item {
                ast::SelectItem::Wildcard(_) => {
                    if scope.attrs.is_empty() {
                        return Err(Diagnostic::analysis("[INVALID_USAGE_OF_STAR_OR_REGEX] `*` needs a FROM clause", item.span()));
                    }
                    for a in &scope.attrs {
                        items.push((Expr::Attr(a.clone()), None, item.span()));
                    }
                }
                ast::SelectItem::QualifiedWildcard(n, _) => {
                    let q = n.last().map(|p| p.value.clone()).unwrap_or_default();
                    let hits: Vec<&Attribute> = scope.attrs.iter().filter(|a| a.qualifier.iter().any(|x| x.eq_ignore_ascii_case(&q))).collect();
                    if hits.is_empty() {
                        return Err(Diagnostic::analysis(format!("[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `{q}`.* given input columns"), item.span()));
                    }
                    for a in hits {
                        items.push((Expr::Attr(a.clone()), None, item.span()));
                    }
                }
                ast::SelectItem::Expr { expr: e, alias } => {
                    let alias = alias.as_ref().map(|a| a.value.clone());
                    let x = self.expr(e, &cx)?;
                    if is_generator(&x) {
                        if generator.is_some() {
                            return Err(Diagnostic::analysis("[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] only one generator allowed per SELECT clause", span_of(e)));
                        }
                        let names = match &alias {
                            Some(a) => vec![a.clone()],
                            None => default_generator_names(&x),
                        };
                        generator = Some((x, names, span_of(e)));
                        items.push((Expr::lit_int(0), Some("\u{0}generator".into()), span_of(e)));
                    } else {
                        items.push((x, alias, span_of(e)));
                    }
                }
                ast::SelectItem::ExprWithAliases { expr, aliases } => {
                    let x = self.expr(expr, &cx)?;
                    if !is_generator(&x) {
                        return Err(Diagnostic::analysis("multiple aliases need a generator such as posexplode", span_of(expr)));
                    }
                    generator = Some((x, aliases.iter().map(|a| a.value.clone()).collect(), span_of(expr)));
                    items.push((Expr::lit_int(0), Some("\u{0}generator".into()), span_of(expr)));
                }
            }
        }
        // A generator in the SELECT list becomes a Generate node below the projection.
        let mut gen_attrs: Vec<Attribute> = vec![];
        if let Some((g, names, gspan)) = generator {
            let grouped = match &s.group_by {
                ast::GroupBy::None => false,
                ast::GroupBy::Exprs { exprs, .. } => !exprs.is_empty(),
                ast::GroupBy::All(_) => true,
            };
            if items.iter().any(|(e, _, _)| e.contains_group_agg()) || grouped {
                return Err(Diagnostic::analysis("[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] a generator cannot be combined with aggregation in one SELECT; use a subquery", gspan));
            }
            let (node, attrs) = self.generate(base, g, &names, false, gspan)?;
            base = node;
            gen_attrs = attrs;
            let mut expanded = vec![];
            for it in items {
                if it.1.as_deref() == Some("\u{0}generator") {
                    for a in &gen_attrs {
                        expanded.push((Expr::Attr(a.clone()), None, it.2));
                    }
                } else {
                    expanded.push(it);
                }
            }
            items = expanded;
        }
        let scope = Scope::new(base.output());
        let named: Vec<Expr> = items
            .iter()
            .map(|(e, alias, _)| match (e, alias) {
                (Expr::Attr(a), None) => Expr::Attr(a.clone()),
                (e, Some(n)) => e.clone().alias(n, 0),
                (e, None) => e.clone().alias(&e.auto_name(), 0),
            })
            .collect();
        let mut named: Vec<Expr> = named
            .into_iter()
            .map(|e| match e {
                Expr::Alias { child, name, .. } => Expr::Alias { child, name, id: self.ids.next() },
                other => other,
            })
            .collect();
        let aliases: Vec<(String, Expr)> = named
            .iter()
            .filter_map(|e| match e {
                Expr::Alias { child, name, .. } => Some((name.clone(), (**child).clone())),
                _ => None,
            })
            .collect();

        let group_exprs: Vec<ast::Expr> = match &s.group_by {
            ast::GroupBy::None => vec![],
            // `GROUP BY a, b WITH ROLLUP` is `GROUP BY ROLLUP(a, b)` (AstBuilder), likewise WITH CUBE.
            ast::GroupBy::Exprs { exprs, with_rollup: true, .. } if !exprs.is_empty() => {
                let at = exprs.iter().fold(Span::default(), |s, e| s.union(e.span));
                vec![ast::Expr::new(ast::ExprKind::Rollup(exprs.iter().map(|e| vec![e.clone()]).collect()), at)]
            }
            ast::GroupBy::Exprs { exprs, with_cube: true, .. } if !exprs.is_empty() => {
                let at = exprs.iter().fold(Span::default(), |s, e| s.union(e.span));
                vec![ast::Expr::new(ast::ExprKind::Cube(exprs.iter().map(|e| vec![e.clone()]).collect()), at)]
            }
            ast::GroupBy::Exprs { exprs, .. } => exprs.clone(),
            // GROUP BY ALL (Spark 3.4+, ResolveGroupByAll): every SELECT item without an aggregate, as
            // if listed by position.
            ast::GroupBy::All(_) => items
                .iter()
                .enumerate()
                .filter(|(_, (e, _, _))| !e.contains_group_agg())
                .map(|(i, _)| ast::Expr::new(ast::ExprKind::Value(ast::Value::Number((i + 1).to_string())), Span::default()))
                .collect(),
        };
        let is_agg = !group_exprs.is_empty() || named.iter().any(|e| e.contains_group_agg()) || s.having.is_some();
        let mut plan;
        let mut hidden = 0usize;
        if is_agg {
            let mut groups = vec![];
            // GROUP BY ROLLUP / CUBE / GROUPING SETS: Spark's ResolveGroupingAnalytics puts an Expand
            // (one projection per grouping set, absent keys as null, the set's bitmask as
            // spark_grouping_id) under the Aggregate, which groups by the Expand's new key columns.
            let analytics = match group_exprs.as_slice() {
                [g] if matches!(g.kind, ast::ExprKind::Rollup(_) | ast::ExprKind::Cube(_) | ast::ExprKind::GroupingSets(_)) => Some(g.clone()),
                _ => None,
            };
            if let Some(g) = analytics {
                let cx = ExprCtx { scope: &scope, outer, clause: Clause::GroupBy, aliases: &aliases };
                let (lists, kind) = match &g.kind {
                    ast::ExprKind::Rollup(l) => (l.clone(), 0),
                    ast::ExprKind::Cube(l) => (l.clone(), 1),
                    ast::ExprKind::GroupingSets(l) => (l.clone(), 2),
                    _ => (vec![], 2),
                };
                // The distinct key expressions, and each element of `lists` as indexes into them.
                let mut keys: Vec<Expr> = vec![];
                let mut elems: Vec<Vec<usize>> = vec![];
                for l in &lists {
                    let mut idx = vec![];
                    for e in l {
                        let x = self.expr(e, &cx)?;
                        let i = match keys.iter().position(|k| *k == x) {
                            Some(i) => i,
                            None => {
                                keys.push(x);
                                keys.len() - 1
                            }
                        };
                        idx.push(i);
                    }
                    elems.push(idx);
                }
                let sets: Vec<Vec<usize>> = match kind {
                    // rollupExprs: the prefixes, longest first.
                    0 => (0..=elems.len()).rev().map(|k| elems[..k].concat()).collect(),
                    // cubeExprs: x :: xs => cube(xs).map(x ++ _) ++ cube(xs).
                    1 => {
                        let mut acc: Vec<Vec<usize>> = vec![vec![]];
                        for e in elems.iter().rev() {
                            let with: Vec<Vec<usize>> = acc.iter().map(|s| [e.clone(), s.clone()].concat()).collect();
                            acc = with.into_iter().chain(acc).collect();
                        }
                        acc
                    }
                    _ => elems.clone(),
                };
                let n = keys.len();
                let key_aliases: Vec<Expr> = keys.iter().map(|k| k.clone().alias(&k.auto_name(), self.ids.next())).collect();
                let alias_attrs: Vec<Attribute> = key_aliases.iter().filter_map(|a| a.to_attribute()).collect();
                let gid = Attribute { name: "spark_grouping_id".into(), id: self.ids.next(), dtype: DataType::Long, nullable: false, qualifier: vec![] };
                let new_keys: Vec<Attribute> = alias_attrs.iter().map(|a| Attribute { id: self.ids.next(), nullable: true, qualifier: vec![], ..a.clone() }).collect();
                let child_out = base.output();
                let projections: Vec<Vec<Expr>> = sets
                    .iter()
                    .map(|set| {
                        let mut row: Vec<Expr> = child_out.iter().cloned().map(Expr::Attr).collect();
                        let mut mask: i64 = 0;
                        for (i, a) in alias_attrs.iter().enumerate() {
                            if set.contains(&i) {
                                row.push(Expr::Attr(a.clone()));
                            } else {
                                row.push(Expr::Lit(LitValue::Null, a.dtype.clone()));
                                mask |= 1 << (n - 1 - i);
                            }
                        }
                        row.push(Expr::Lit(LitValue::Int(mask), DataType::Long));
                        row
                    })
                    .collect();
                let mut output = child_out.clone();
                output.extend(new_keys.iter().cloned());
                output.push(gid.clone());
                let project = LogicalPlan::Project {
                    exprs: child_out.iter().cloned().map(Expr::Attr).chain(key_aliases.iter().cloned()).collect(),
                    child: Box::new(base),
                };
                base = LogicalPlan::Expand { projections, output, child: Box::new(project) };
                // Keys in the SELECT list (outside aggregate functions) now read the Expand's columns.
                let replace = |e: &Expr| replace_keys(e, &keys, &new_keys);
                named = named.iter().map(replace).collect();
                for it in items.iter_mut() {
                    it.0 = replace_keys(&it.0, &keys, &new_keys);
                }
                groups = new_keys.iter().cloned().map(Expr::Attr).chain(std::iter::once(Expr::Attr(gid))).collect();
            }
            for g in group_exprs.iter().filter(|g| !matches!(g.kind, ast::ExprKind::Rollup(_) | ast::ExprKind::Cube(_) | ast::ExprKind::GroupingSets(_))) {
                if let ast::ExprKind::Value(ast::Value::Number(n)) = &g.kind {
                    let idx: usize = n.parse().unwrap_or(0);
                    let item = items.get(idx.wrapping_sub(1)).ok_or_else(|| {
                        Diagnostic::analysis(format!("[GROUP_BY_POS_OUT_OF_RANGE] GROUP BY position {n} is not in select list (valid range is [1, {}]).", items.len()), span_of(g))
                    })?;
                    if item.0.contains_group_agg() {
                        return Err(Diagnostic::analysis(format!("[GROUP_BY_POS_AGGREGATE] GROUP BY {n} refers to an expression that contains an aggregate function."), span_of(g)));
                    }
                    groups.push(item.0.clone());
                    continue;
                }
                let cx = ExprCtx { scope: &scope, outer, clause: Clause::GroupBy, aliases: &aliases };
                groups.push(self.expr(g, &cx)?);
            }
            // Every non-aggregated column must be grouped.
            for (e, (_, _, ispan)) in named.iter().zip(items.iter()) {
                check_grouped(e.unalias(), &groups, *ispan)?;
            }
            let has_window = named.iter().any(|e| e.contains_window());
            let mut aggs: Vec<Expr>;
            let mut substituted: Vec<Expr> = vec![];
            if has_window {
                // Aggregate first (group keys + each aggregate), windows on top of it.
                aggs = vec![];
                for g in &groups {
                    let e = match g {
                        Expr::Attr(_) => g.clone(),
                        other => other.clone().alias(&other.auto_name(), self.ids.next()),
                    };
                    aggs.push(e);
                }
                for e in &named {
                    collect_group_aggs(e, &mut aggs);
                }
                aggs = aggs
                    .into_iter()
                    .map(|e| match e {
                        Expr::Alias { child, name, id: 0 } => Expr::Alias { child, name, id: self.ids.next() },
                        o => o,
                    })
                    .collect();
                substituted = named.iter().map(|e| substitute(e, &aggs)).collect();
            } else {
                aggs = named.clone();
            }
            let mut having_cond = None;
            if let Some(h) = &s.having {
                let cx = ExprCtx { scope: &scope, outer, clause: Clause::Having, aliases: &aliases };
                let c = self.expr(h, &cx)?;
                check_grouped(&c, &groups, span_of(h))?;
                let before = aggs.len();
                let c = self.lift_into_aggregate(&c, &mut aggs);
                hidden += aggs.len() - before;
                having_cond = Some(c);
            }
            plan = LogicalPlan::Aggregate { group: groups.clone(), aggs: aggs.clone(), child: Box::new(base) };
            if let Some(c) = having_cond {
                plan = LogicalPlan::Filter { cond: c, child: Box::new(plan) };
            }
            if has_window {
                plan = self.windows(plan, &substituted)?;
            } else if hidden > 0 {
                named = aggs[..aggs.len() - hidden].iter().filter_map(|e| e.to_attribute()).map(Expr::Attr).collect();
                plan = LogicalPlan::Project { exprs: named.clone(), child: Box::new(plan) };
            }
            // ORDER BY over an aggregate may use aggregates/keys not selected.
            if !order.is_empty() {
                let out_scope = Scope::new(plan.output());
                let mut orders = vec![];
                let mut extra_aggs = vec![];
                for o in order {
                    let cx_out = ExprCtx { scope: &out_scope, outer, clause: Clause::OrderBy, aliases: &[] };
                    match self.sort_order(o, &cx_out) {
                        Ok(so) => orders.push(so),
                        Err(_) => {
                            let cx = ExprCtx { scope: &scope, outer, clause: Clause::OrderBy, aliases: &aliases };
                            let so = self.sort_order(o, &cx)?;
                            check_grouped(&so.expr, &groups, span_of(&o.expr))?;
                            extra_aggs.push(so);
                        }
                    }
                }
                if !extra_aggs.is_empty() {
                    let LogicalPlan::Aggregate { group, mut aggs, child } = strip_to_aggregate(plan.clone()) else {
                        return Err(Diagnostic::analysis("ORDER BY on this aggregate is not supported", span));
                    };
                    let visible: Vec<Expr> = plan.output().into_iter().map(Expr::Attr).collect();
                    let mut fixed = vec![];
                    for so in extra_aggs {
                        let e = self.lift_into_aggregate(&so.expr, &mut aggs);
                        fixed.push(SortOrder { expr: e, ..so });
                    }
                    let agg = LogicalPlan::Aggregate { group, aggs, child };
                    let mut all = orders.clone();
                    all.extend(fixed);
                    plan = LogicalPlan::Project {
                        exprs: visible,
                        child: Box::new(LogicalPlan::Sort { order: all, global: true, child: Box::new(agg) }),
                    };
                } else {
                    plan = LogicalPlan::Sort { order: orders, global: true, child: Box::new(plan) };
                }
            }
            if s.distinct {
                plan = LogicalPlan::Distinct { child: Box::new(plan) };
            }
        } else {
            let has_window = named.iter().any(|e| e.contains_window());
            plan = if has_window { self.windows(base.clone(), &named)? } else { LogicalPlan::Project { exprs: named.clone(), child: Box::new(base.clone()) } };
            if s.distinct {
                plan = LogicalPlan::Distinct { child: Box::new(plan) };
            }
            if !order.is_empty() {
                plan = self.order_over_project(plan, &named, &base, order, outer, &aliases, s.distinct)?;
            }
        }
        self.apply_hints(plan, s)
    }

    /// ORDER BY over a projection: select aliases first, then the FROM columns (added and dropped).
    #[allow(clippy::too_many_arguments)]
    fn order_over_project(&mut self, plan: LogicalPlan, named: &[Expr], base: &LogicalPlan, order: &[ast::OrderByExpr], outer: &[Scope], aliases: &[(String, Expr)], distinct: bool) -> Result<LogicalPlan> {
        let out_scope = Scope::new(plan.output());
        let in_scope = Scope::new(base.output());
        let mut orders = vec![];
        let mut missing: Vec<Attribute> = vec![];
        for o in order {
            let cx = ExprCtx { scope: &out_scope, outer, clause: Clause::OrderBy, aliases: &[] };
            match self.sort_order(o, &cx) {
                Ok(so) => orders.push(so),
                Err(first_err) => {
                    if distinct {
                        return Err(first_err);
                    }
                    let cx = ExprCtx { scope: &in_scope, outer, clause: Clause::OrderBy, aliases };
                    let so = self.sort_order(o, &cx)?;
                    // Selected expressions are referenced through their aliases.
                    let so = SortOrder { expr: substitute(&so.expr, named), ..so };
                    for r in so.expr.references() {
                        if !out_scope.attrs.iter().any(|a| a.id == r.id) && !missing.iter().any(|m| m.id == r.id) {
                            missing.push(r);
                        }
                    }
                    orders.push(so);
                }
            }
        }
        if missing.is_empty() {
            return Ok(LogicalPlan::Sort { order: orders, global: true, child: Box::new(plan) });
        }
        let LogicalPlan::Project { exprs, child } = plan else {
            return Ok(LogicalPlan::Sort { order: orders, global: true, child: Box::new(plan) });
        };
        let visible: Vec<Expr> = exprs.iter().filter_map(|e| e.to_attribute()).map(Expr::Attr).collect();
        let mut wide = exprs.clone();
        wide.extend(missing.into_iter().map(Expr::Attr));
        Ok(LogicalPlan::Project {
            exprs: visible,
            child: Box::new(LogicalPlan::Sort { order: orders, global: true, child: Box::new(LogicalPlan::Project { exprs: wide, child }) }),
        })
    }

    /// Replaces aggregates (and grouping expressions) in `e` by attributes of the aggregate's output,
    /// adding hidden outputs for those not selected (Spark's ResolveAggregateFunctions).
    fn lift_into_aggregate(&mut self, e: &Expr, aggs: &mut Vec<Expr>) -> Expr {
        let ids = &mut *self.ids;
        e.transform_up(&mut |x| {
            if let Expr::Agg { .. } = &x {
                if let Some(a) = aggs.iter().find(|a| a.unalias() == &x) {
                    if let Some(attr) = a.to_attribute() {
                        return Expr::Attr(attr);
                    }
                }
                let alias = x.clone().alias(&x.auto_name(), ids.next());
                let attr = alias.to_attribute();
                aggs.push(alias);
                if let Some(a) = attr {
                    return Expr::Attr(a);
                }
            }
            if let Expr::Attr(a) = &x {
                if !aggs.iter().any(|g| g.to_attribute().map(|o| o.id == a.id).unwrap_or(false)) {
                    aggs.push(x.clone());
                }
            }
            x
        })
    }

    /// Extracts window expressions into `Window` nodes (one per distinct partition/order spec) and
    /// projects the SELECT list on top (Spark's ExtractWindowExpressions).
    fn windows(&mut self, child: LogicalPlan, named: &[Expr]) -> Result<LogicalPlan> {
        let mut specs: Vec<(Vec<Expr>, Vec<SortOrder>, Vec<Expr>)> = vec![];
        let mut rewritten = vec![];
        for e in named {
            let mut top_name = None;
            if let Expr::Alias { child, name, id } = e {
                if matches!(child.as_ref(), Expr::Window { .. }) {
                    top_name = Some((name.clone(), *id));
                }
            }
            let ids = &mut *self.ids;
            let new = e.transform_up(&mut |x| {
                if let Expr::Window { spec, .. } = &x {
                    let (name, id) = match &top_name {
                        Some((n, i)) => (n.clone(), *i),
                        None => (x.auto_name(), ids.next()),
                    };
                    let alias = x.clone().alias(&name, id);
                    let attr = alias.to_attribute();
                    match specs.iter_mut().find(|(p, o, _)| *p == spec.partition_by && *o == spec.order_by) {
                        Some(s) => s.2.push(alias),
                        None => specs.push((spec.partition_by.clone(), spec.order_by.clone(), vec![alias])),
                    }
                    return attr.map(Expr::Attr).unwrap_or(x);
                }
                x
            });
            // A top-level window alias now is just its attribute.
            let new = match (&top_name, new) {
                (Some(_), Expr::Alias { child, .. }) if matches!(child.as_ref(), Expr::Attr(_)) => *child,
                (_, n) => n,
            };
            rewritten.push(new);
        }
        let mut plan = LogicalPlan::Project { exprs: child.output().into_iter().map(Expr::Attr).collect(), child: Box::new(child) };
        for (p, o, exprs) in specs {
            plan = LogicalPlan::Window { window_exprs: exprs, partition_by: p, order_by: o, child: Box::new(plan) };
        }
        Ok(LogicalPlan::Project { exprs: rewritten, child: Box::new(plan) })
    }

    fn lateral_view(&mut self, base: LogicalPlan, lv: &ast::LateralView, outer: &[Scope]) -> Result<LogicalPlan> {
        let scope = Scope::new(base.output());
        let cx = ExprCtx { scope: &scope, outer, clause: Clause::Other, aliases: &[] };
        let g = self.expr(&lv.func, &cx)?;
        let span = span_of(&lv.func);
        if !is_generator(&g) {
            return Err(Diagnostic::analysis("LATERAL VIEW needs a generator such as explode()", span));
        }
        let names: Vec<String> = if lv.columns.is_empty() { default_generator_names(&g) } else { lv.columns.iter().map(|i| i.value.clone()).collect() };
        let (node, _) = self.generate(base, g, &names, lv.outer, span)?;
        // The view's name is the Generate's qualifier (Spark prints it after `outer`).
        let qualifier = lv.table.as_ref().map(|t| t.value.clone()).filter(|q| !q.is_empty());
        Ok(match node {
            LogicalPlan::Generate { generator, unrequired_child_index, outer, generator_output, child, .. } => {
                LogicalPlan::Generate { generator, unrequired_child_index, outer, qualifier, generator_output, child }
            }
            other => other,
        })
    }

    fn generate(&mut self, child: LogicalPlan, g: Expr, names: &[String], outer: bool, span: Span) -> Result<(LogicalPlan, Vec<Attribute>)> {
        let Expr::Func { name, args, dtype, .. } = &g else { return Err(Diagnostic::analysis("not a generator", span)) };
        let outer = outer || name.ends_with("_outer");
        let mut cols: Vec<(String, DataType)> = vec![];
        let base_name = name.trim_end_matches("_outer");
        match base_name {
            "explode" => match args.first().map(|a| a.dtype()) {
                Some(DataType::Map(k, v)) => {
                    cols.push(("key".into(), *k));
                    cols.push(("value".into(), *v));
                }
                _ => cols.push(("col".into(), dtype.clone())),
            },
            "posexplode" => {
                cols.push(("pos".into(), DataType::Int));
                cols.push(("col".into(), dtype.clone()));
            }
            "inline" => match dtype {
                DataType::Struct(fields) => cols.extend(fields.iter().cloned()),
                _ => return Err(Diagnostic::analysis("inline() needs an array of structs", span)),
            },
            _ => cols.push(("col0".into(), dtype.clone())),
        }
        if names.len() != cols.len() && !(names.len() == 1 && cols.len() == 1) {
            return Err(Diagnostic::analysis(
                format!("[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected {} aliases, but got {}.", cols.len(), names.len()),
                span,
            ));
        }
        let attrs: Vec<Attribute> = cols
            .iter()
            .zip(names.iter())
            .map(|((_, t), n)| Attribute { name: n.clone(), id: self.ids.next(), dtype: t.clone(), nullable: true, qualifier: vec![] })
            .collect();
        let gen = Expr::Func { name: name.clone(), args: args.clone(), dtype: dtype.clone(), deterministic: true };
        Ok((LogicalPlan::Generate { generator: gen, unrequired_child_index: vec![], outer, qualifier: None, generator_output: attrs.clone(), child: Box::new(child) }, attrs))
    }

    fn pivot(&mut self, input: LogicalPlan, aggs: &[(ast::Expr, Option<ast::Ident>)], value_column: &[ast::Expr], source: &[(ast::Expr, Option<ast::Ident>)], alias: Option<&ast::TableAlias>, span: Span) -> Result<LogicalPlan> {
        let scope = Scope::new(input.output());
        let cx = ExprCtx { scope: &scope, outer: &[], clause: Clause::Select, aliases: &[] };
        let pivot_col = match value_column {
            [c] => self.expr(c, &cx)?,
            _ => return Err(Diagnostic::analysis("PIVOT on several columns is not supported by Stagecraft yet", span)),
        };
        let mut values: Vec<(Expr, String)> = vec![];
        for (x, alias) in source {
            let e = self.expr(x, &cx)?;
            let name = alias.as_ref().map(|a| a.value.clone()).unwrap_or_else(|| e.auto_name().trim_matches('\'').to_string());
            values.push((exprs::coerce_to(e, &pivot_col.dtype()), name));
        }
        let mut agg_exprs = vec![];
        for (x, alias) in aggs {
            let e = self.expr(x, &cx)?;
            if !e.contains_agg() {
                return Err(Diagnostic::analysis("[PIVOT] each PIVOT expression must be an aggregate", span_of(x)));
            }
            agg_exprs.push((e, alias.as_ref().map(|a| a.value.clone())));
        }
        // Implicit grouping: every input column not used by the pivot column or the aggregates.
        let mut used: Vec<ExprId> = pivot_col.references().iter().map(|a| a.id).collect();
        for (e, _) in &agg_exprs {
            used.extend(e.references().iter().map(|a| a.id));
        }
        let groups: Vec<Expr> = input.output().into_iter().filter(|a| !used.contains(&a.id)).map(Expr::Attr).collect();
        let mut out: Vec<Expr> = groups.clone();
        // Spark's ResolvePivot without PivotFirst: agg(if((pivot <=> v), expr, null)) per value.
        for (v, vname) in &values {
            for (e, aname) in &agg_exprs {
                let cond = Expr::binary(BinOp::NullSafeEq, pivot_col.clone(), v.clone());
                let rewritten = e.transform_up(&mut |x| match x {
                    Expr::Agg { func, args, distinct, mode, filter } => {
                        let args = args
                            .into_iter()
                            .map(|arg| {
                                let t = arg.dtype();
                                Expr::Func { name: "if".into(), args: vec![cond.clone(), arg, Expr::Lit(LitValue::Null, t.clone())], dtype: t, deterministic: true }
                            })
                            .collect();
                        Expr::Agg { func, args, distinct, mode, filter }
                    }
                    o => o,
                });
                let name = match (agg_exprs.len(), aname) {
                    (1, _) => vname.clone(),
                    (_, Some(a)) => format!("{vname}_{a}"),
                    (_, None) => format!("{vname}_{}", e.auto_name()),
                };
                out.push(rewritten.alias(&name, self.ids.next()));
            }
        }
        let agg = LogicalPlan::Aggregate { group: groups, aggs: out, child: Box::new(input) };
        Ok(match alias {
            Some(a) => LogicalPlan::SubqueryAlias { alias: a.name.value.clone(), child: Box::new(agg) },
            None => agg,
        })
    }

    /// Builds a subquery's plan with the current scope as its outer scope.
    pub(super) fn subquery(&mut self, q: &ast::Query, cx: &ExprCtx) -> Result<SubqueryExpr> {
        let mut outer: Vec<Scope> = cx.outer.to_vec();
        outer.push(cx.scope.clone());
        let plan = self.query(q, &outer)?;
        let mut outer_refs: Vec<Attribute> = vec![];
        plan.walk(&mut |p| {
            for e in p.expressions() {
                e.walk(&mut |x| {
                    if let Expr::OuterRef(a) = x {
                        if !outer_refs.iter().any(|o| o.id == a.id) {
                            outer_refs.push(a.clone());
                        }
                    }
                })
            }
        });
        Ok(SubqueryExpr { plan: Box::new(plan), outer_refs, id: self.ids.next() })
    }

    /// Applies the SELECT's `/*+ ... */` hints (Spark's ResolveJoinStrategyHints / ResolveCoalesceHints).
    fn apply_hints(&mut self, mut plan: LogicalPlan, s: &ast::Select) -> Result<LogicalPlan> {
        let span = s.select_span;
        for h in &s.hints {
            // Positions inside the hint text, counted from where the text starts (after `/*+`).
            let pos = |i: usize| (!h.span.is_unknown()).then(|| advance(h.span.start, &h.text, i));
            let at = |i: usize| pos(i).map_or(span, |(line, col)| Span::point(line, col));
            let locate = |needle: &str| -> Span {
                match find_word(&h.text, needle).and_then(pos) {
                    Some((line, col)) => Span::new(Pos { line, col }, Pos { line, col: col + needle.chars().count() as u32 }),
                    None => span,
                }
            };
            for hint in parse_hints_at(&h.text, &at)? {
                plan = self.apply_hint(plan, &hint, span, &locate)?;
            }
        }
        Ok(plan)
    }

    fn apply_hint(&mut self, plan: LogicalPlan, hint: &Hint, span: Span, locate: &dyn Fn(&str) -> Span) -> Result<LogicalPlan> {
        if let Some(strategy) = hint.join_strategy() {
            let mut out = plan;
            for arg in &hint.args {
                let HintArg::Name(name) = arg else {
                    return Err(Diagnostic::analysis(format!("{} hint expects relation names", hint.name), span));
                };
                out = wrap_relation(out, name, strategy);
            }
            return Ok(out);
        }
        if !hint.is_partitioning() {
            // Spark logs and ignores unknown hints; so do we.
            return Ok(plan);
        }
        let scope = Scope::new(plan.output());
        let mut num: Option<u32> = None;
        let mut cols = vec![];
        for (i, a) in hint.args.iter().enumerate() {
            match a {
                HintArg::Int(n) if i == 0 => {
                    if *n <= 0 {
                        return Err(Diagnostic::analysis(format!("{} hint needs a positive partition number", hint.name), span));
                    }
                    num = Some(*n as u32)
                }
                HintArg::Int(_) => return Err(Diagnostic::analysis(format!("{} hint: only the first argument may be a number", hint.name), span)),
                // Spark parses hint parameters as expressions and resolves them against the hinted
                // plan: an unknown column is the usual UNRESOLVED_COLUMN error, at the argument.
                HintArg::Name(n) => {
                    let parts: Vec<ast::Ident> = n.split('.').map(|p| ast::Ident { value: p.to_string(), quoted: false, span: Span::default() }).collect();
                    let kind = if parts.len() == 1 { ast::ExprKind::Identifier(parts[0].clone()) } else { ast::ExprKind::CompoundIdentifier(parts) };
                    let e = ast::Expr::new(kind, Span::default());
                    let cx = ExprCtx { scope: &scope, outer: &[], clause: Clause::Other, aliases: &[] };
                    match self.expr(&e, &cx) {
                        Ok(x) => cols.push(x),
                        Err(d) => return Err(Diagnostic { span: locate(n), ..d }),
                    }
                }
            }
        }
        let child = Box::new(plan);
        Ok(match hint.name.as_str() {
            "COALESCE" => LogicalPlan::Repartition { num: num.ok_or_else(|| Diagnostic::analysis("COALESCE hint needs a partition number", span))?, shuffle: false, child },
            "REPARTITION" if cols.is_empty() => LogicalPlan::Repartition { num: num.ok_or_else(|| Diagnostic::analysis("REPARTITION hint needs a number or columns", span))?, shuffle: true, child },
            "REPARTITION" => LogicalPlan::RepartitionByExpression { exprs: cols, range: vec![], num, child },
            "REPARTITION_BY_RANGE" => {
                if cols.is_empty() {
                    return Err(Diagnostic::analysis("REPARTITION_BY_RANGE hint needs columns", span));
                }
                LogicalPlan::RepartitionByExpression { exprs: vec![], range: cols.into_iter().map(SortOrder::asc).collect(), num, child }
            }
            _ => LogicalPlan::RebalancePartitions { exprs: cols, child },
        })
    }
}

/// `SORT BY` built through the ORDER BY path: its Sort (under the Project that drops the sort-only
/// columns, if any) becomes partition-local.
fn sort_within_partitions(plan: LogicalPlan) -> LogicalPlan {
    match plan {
        LogicalPlan::Sort { order, child, .. } => LogicalPlan::Sort { order, global: false, child },
        LogicalPlan::Project { exprs, child } => LogicalPlan::Project { exprs, child: Box::new(sort_within_partitions(*child)) },
        other => other,
    }
}

/// The 1-based (line, col) reached from `start` after the first `n` chars of `text`.
fn advance(start: Pos, text: &str, n: usize) -> (u32, u32) {
    let (mut line, mut col) = (start.line, start.col);
    for c in text.chars().take(n) {
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// The char offset of `word` in `text` as a whole word (case-insensitive), if present.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let w: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    (0..t.len().checked_sub(w.len())? + 1).find(|&i| {
        t[i..i + w.len()] == w[..] && (i == 0 || !ident(t[i - 1])) && t.get(i + w.len()).is_none_or(|c| !ident(*c))
    })
}

/// Wraps the relation(s) named `name` under `plan` in a ResolvedHint.
fn wrap_relation(plan: LogicalPlan, name: &str, hint: JoinStrategyHint) -> LogicalPlan {
    match plan {
        LogicalPlan::SubqueryAlias { alias, child } if alias.eq_ignore_ascii_case(name) => {
            LogicalPlan::ResolvedHint { hint, child: Box::new(LogicalPlan::SubqueryAlias { alias, child }) }
        }
        LogicalPlan::SubqueryAlias { .. } | LogicalPlan::ResolvedHint { .. } => plan,
        other => other.map_children(&mut |c| wrap_relation(c.clone(), name, hint)),
    }
}

fn is_generator(e: &Expr) -> bool {
    matches!(e, Expr::Func { name, .. } if super::functions::lookup(name).map(|f| f.kind == super::functions::FnKind::Generator).unwrap_or(false))
}

fn default_generator_names(g: &Expr) -> Vec<String> {
    match g {
        Expr::Func { name, args, .. } => match name.trim_end_matches("_outer") {
            "posexplode" => vec!["pos".into(), "col".into()],
            "explode" if matches!(args.first().map(|a| a.dtype()), Some(DataType::Map(..))) => vec!["key".into(), "value".into()],
            "inline" => match g.dtype() {
                DataType::Struct(f) => f.iter().map(|(n, _)| n.clone()).collect(),
                _ => vec!["col".into()],
            },
            _ => vec!["col".into()],
        },
        _ => vec!["col".into()],
    }
}

/// Replaces subexpressions equal to a named expression's child by that name's attribute.
fn substitute(e: &Expr, named: &[Expr]) -> Expr {
    e.transform_up(&mut |x| {
        if matches!(x, Expr::Attr(_) | Expr::Lit(..)) {
            return x;
        }
        for n in named {
            if let Expr::Alias { child, .. } = n {
                if child.as_ref() == &x {
                    if let Some(a) = n.to_attribute() {
                        return Expr::Attr(a);
                    }
                }
            }
        }
        x
    })
}

/// `e` with each grouping key (outside aggregate functions) replaced by the Expand's column for it.
fn replace_keys(e: &Expr, keys: &[Expr], new_keys: &[Attribute]) -> Expr {
    if let Some(i) = keys.iter().position(|k| k == e) {
        return Expr::Attr(new_keys[i].clone());
    }
    match e {
        Expr::Agg { .. } => e.clone(),
        Expr::Alias { child, name, id } => Expr::Alias { child: Box::new(replace_keys(child, keys, new_keys)), name: name.clone(), id: *id },
        other => other.map_children(&mut |c| replace_keys(c, keys, new_keys)),
    }
}

/// The grouping aggregates of `e` (not those used as window functions), each once, aliased with id 0.
fn collect_group_aggs(e: &Expr, aggs: &mut Vec<Expr>) {
    match e {
        Expr::Agg { .. } => {
            if !aggs.iter().any(|a| a.unalias() == e) {
                aggs.push(e.clone().alias(&e.auto_name(), 0));
            }
        }
        Expr::Window { func, spec } => {
            match func.as_ref() {
                Expr::Agg { args, filter, .. } => {
                    for a in args.iter().chain(filter.iter().map(|f| f.as_ref())) {
                        collect_group_aggs(a, aggs);
                    }
                }
                other => collect_group_aggs(other, aggs),
            }
            for p in &spec.partition_by {
                collect_group_aggs(p, aggs);
            }
            for o in &spec.order_by {
                collect_group_aggs(&o.expr, aggs);
            }
        }
        other => {
            for c in other.children() {
                collect_group_aggs(c, aggs);
            }
        }
    }
}

fn check_grouped(e: &Expr, groups: &[Expr], span: Span) -> Result<()> {
    if groups.iter().any(|g| g == e) {
        return Ok(());
    }
    match e {
        Expr::Agg { .. } | Expr::Lit(..) | Expr::OuterRef(_) | Expr::ScalarSubquery(_) => Ok(()),
        Expr::Window { func, spec } => {
            check_grouped(func, groups, span)?;
            for p in &spec.partition_by {
                check_grouped(p, groups, span)?;
            }
            for o in &spec.order_by {
                check_grouped(&o.expr, groups, span)?;
            }
            Ok(())
        }
        Expr::Attr(a) => {
            if groups.iter().any(|g| matches!(g, Expr::Attr(b) if b.id == a.id)) {
                Ok(())
            } else {
                Err(Diagnostic::analysis(
                    format!("[MISSING_AGGREGATION] The non-aggregating expression `{}` is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use `any_value({})`.", a.name, a.name),
                    span,
                ))
            }
        }
        other => {
            for c in other.children() {
                check_grouped(c, groups, span)?;
            }
            Ok(())
        }
    }
}

fn strip_to_aggregate(p: LogicalPlan) -> LogicalPlan {
    match p {
        LogicalPlan::Project { child, .. } => strip_to_aggregate(*child),
        other => other,
    }
}

pub fn int_literal(e: &ast::Expr) -> Result<i64> {
    match &e.kind {
        ast::ExprKind::Value(ast::Value::Number(n)) => n.parse::<i64>().map_err(|_| Diagnostic::analysis(format!("expected an integer, found {n}"), span_of(e))),
        ast::ExprKind::Value(other) => Err(Diagnostic::analysis(format!("expected an integer, found {}", exprs::value_text(other)), span_of(e))),
        _ => Err(Diagnostic::analysis("[INVALID_LIMIT_LIKE_EXPRESSION] The limit like expression must be an integer literal", span_of(e))),
    }
}

/// `JOIN ... USING (cols)`: equality on the columns and Spark's output order (keys, left rest, right rest).
fn using_join(left: LogicalPlan, right: LogicalPlan, jt: JoinType, names: &[String], spans: &[Span]) -> Result<LogicalPlan> {
    let l = left.output();
    let r = right.output();
    let mut conds = vec![];
    let mut keys = vec![];
    for (n, s) in names.iter().zip(spans) {
        let la = l.iter().find(|a| a.name.eq_ignore_ascii_case(n)).ok_or_else(|| Diagnostic::analysis(format!("[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `{n}` cannot be resolved on the left side of the join."), *s))?;
        let ra = r.iter().find(|a| a.name.eq_ignore_ascii_case(n)).ok_or_else(|| Diagnostic::analysis(format!("[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `{n}` cannot be resolved on the right side of the join."), *s))?;
        conds.push(exprs::binary(BinOp::Eq, Expr::Attr(la.clone()), Expr::Attr(ra.clone()), *s)?);
        keys.push((la.clone(), ra.clone()));
    }
    let mut out: Vec<Expr> = keys
        .iter()
        .map(|(la, ra)| match jt {
            JoinType::RightOuter => Expr::Attr(ra.clone()),
            JoinType::FullOuter => Expr::Func { name: "coalesce".into(), args: vec![Expr::Attr(la.clone()), Expr::Attr(ra.clone())], dtype: la.dtype.clone(), deterministic: true }.alias(&la.name, la.id),
            _ => Expr::Attr(la.clone()),
        })
        .collect();
    out.extend(l.iter().filter(|a| !keys.iter().any(|(k, _)| k.id == a.id)).cloned().map(Expr::Attr));
    if jt.keeps_right_columns() {
        out.extend(r.iter().filter(|a| !keys.iter().any(|(_, k)| k.id == a.id)).cloned().map(Expr::Attr));
    }
    let join = LogicalPlan::Join { left: Box::new(left), right: Box::new(right), join_type: if jt == JoinType::Cross { JoinType::Inner } else { jt }, cond: conjoin(conds), hint: JoinHint::default(), null_aware: false };
    Ok(LogicalPlan::Project { exprs: out, child: Box::new(join) })
}

/// `AS t(a, b)` column renames.
fn rename_columns(plan: LogicalPlan, names: &[String], ids: &mut IdGen, span: Span) -> Result<LogicalPlan> {
    if names.is_empty() {
        return Ok(plan);
    }
    let out = plan.output();
    if out.len() != names.len() {
        return Err(Diagnostic::analysis(
            format!("[ASSIGNMENT_ARITY_MISMATCH] {} column names were given for {} columns", names.len(), out.len()),
            span,
        ));
    }
    let exprs = out.iter().zip(names).map(|(a, n)| Expr::Attr(a.clone()).alias(n, ids.next())).collect();
    Ok(LogicalPlan::Project { exprs, child: Box::new(plan) })
}

/// unionByName: reorders the right side's columns to the left's names.
pub fn align_by_name(left: &LogicalPlan, right: LogicalPlan, allow_missing: bool, span: Span) -> Result<LogicalPlan> {
    let l = left.output();
    let r = right.output();
    let mut exprs = vec![];
    for a in &l {
        match r.iter().find(|b| b.name.eq_ignore_ascii_case(&a.name)) {
            Some(b) => exprs.push(Expr::Attr(b.clone())),
            None if allow_missing => exprs.push(Expr::Lit(LitValue::Null, a.dtype.clone()).alias(&a.name, 0)),
            None => {
                return Err(Diagnostic::analysis(
                    format!("[UNION_BY_NAME_MISSING_COLUMN] Cannot resolve column name `{}` among ({}).", a.name, r.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(", ")),
                    span,
                ))
            }
        }
    }
    Ok(LogicalPlan::Project { exprs, child: Box::new(right) })
}

/// Checks column counts and widens types across a set operation (Spark's WidenSetOperationTypes).
fn widen_union(l: LogicalPlan, r: LogicalPlan, ids: &mut IdGen, span: Span) -> Result<(LogicalPlan, LogicalPlan)> {
    let (lo, ro) = (l.output(), r.output());
    if lo.len() != ro.len() {
        return Err(Diagnostic::analysis(
            format!("[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has {} columns and the second input has {} columns.", lo.len(), ro.len()),
            span,
        ));
    }
    let mut types = vec![];
    for (a, b) in lo.iter().zip(ro.iter()) {
        let t = DataType::common_type(&a.dtype, &b.dtype).ok_or_else(|| {
            Diagnostic::analysis(
                format!("[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on inputs with compatible column types. The column `{}` has type {} and {}.", a.name, a.dtype, b.dtype),
                span,
            )
        })?;
        types.push(t);
    }
    let fix = |p: LogicalPlan, out: &[Attribute], ids: &mut IdGen| {
        if out.iter().zip(&types).all(|(a, t)| a.dtype == *t) {
            return p;
        }
        let exprs = out
            .iter()
            .zip(&types)
            .map(|(a, t)| if a.dtype == *t { Expr::Attr(a.clone()) } else { exprs::cast(Expr::Attr(a.clone()), t.clone()).alias(&a.name, ids.next()) })
            .collect();
        LogicalPlan::Project { exprs, child: Box::new(p) }
    };
    let l2 = fix(l, &lo, ids);
    let r2 = fix(r, &ro, ids);
    Ok((l2, r2))
}
