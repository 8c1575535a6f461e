//! Spark 3.5's `== Parsed Logical Plan ==` text (AstBuilder's unresolved plan, before analysis) for the
//! query shapes whose printed form was checked against real Spark 3.5 output; `None` for any other shape,
//! so the caller falls back to the SQL text. Knows the syntax tree (`syntax`) only, not the catalog or
//! the analyzer.
//!
//! Verified forms (Spark 3.5.5 `explain(true)` output): `'Project [*]`, `'Project ['a, 't.b]`,
//! `unresolvedalias('count(1), None)` for an unnamed non-column item (`count(*)` parses as `count(1)`),
//! `'Filter (('a = 1) AND ('b = x))` (string literals unquoted), `'Join Inner` for comma joins, `'Join
//! LeftOuter, ('t1.id = 't2.id)`, `'SubqueryAlias t` over `'UnresolvedRelation [db, t], [], false`,
//! `'Aggregate ['a], ['a, unresolvedalias('sum('b), None)]`, `'Sort ['a ASC NULLS FIRST], true`,
//! `'Distinct` (SELECT DISTINCT, and over `'Union false, false` for UNION), `'GlobalLimit n` / `'LocalLimit
//! n`, `'UnresolvedHint BROADCAST, ['small]` over the select's Project/Aggregate, `CTE [a, b]` (no `'`)
//! with `:  :- 'SubqueryAlias a` definitions above the query, `'sum('x) AS total#3` (Alias gets its id at
//! parse time and the analyzer keeps it, so the id printed is the analyzed plan's id for that alias). Not
//! produced (None): aliases whose analyzed id is unknown or ambiguous, CTE column lists, INTERSECT/EXCEPT,
//! several hints in one comment, HAVING, windows, USING/NATURAL joins, and any expression not listed in
//! `expr`.

use super::syntax as ast;

/// The id of a select alias by name (see `parsed_plan_text_with_ids`).
type Ids<'a> = &'a dyn Fn(&str) -> Option<u32>;

/// One node of the printed tree: its line (without the `'` prefix) and its children.
struct Node {
    line: String,
    children: Vec<Node>,
    /// TreeNode.innerChildren (UnresolvedWith's CTE definitions), printed two levels deeper.
    inner: Vec<Node>,
    /// Whether the line starts with `'` (QueryPlan.statePrefix); UnresolvedWith's own
    /// simpleString (`CTE [a, b]`) leaves it out.
    quote: bool,
}

impl Node {
    fn new(line: String, children: Vec<Node>) -> Node {
        Node { line, children, inner: vec![], quote: true }
    }
}

/// TreeNode.generateTreeString: `:- ` / `+- ` before a child, `:  ` / `   ` under it; every node of a
/// parsed plan is unresolved, so each line starts with `'`.
fn render(n: &Node, last: &mut Vec<bool>, out: &mut String) {
    if let Some((&is_last, rest)) = last.split_last() {
        for &l in rest {
            out.push_str(if l { "   " } else { ":  " });
        }
        out.push_str(if is_last { "+- " } else { ":- " });
    }
    if n.quote {
        out.push('\'');
    }
    out.push_str(&n.line);
    out.push('\n');
    for (i, c) in n.inner.iter().enumerate() {
        last.push(n.children.is_empty());
        last.push(i + 1 == n.inner.len());
        render(c, last, out);
        last.pop();
        last.pop();
    }
    for (i, c) in n.children.iter().enumerate() {
        last.push(i + 1 == n.children.len());
        render(c, last, out);
        last.pop();
    }
}

/// The `== Parsed Logical Plan ==` tree of `q` as Spark 3.5 prints it (no trailing newline), or `None`
/// when the query uses a construct whose parsed form is not verified.
pub fn parsed_plan_text(q: &ast::Query) -> Option<String> {
    parsed_plan_text_with_ids(q, &|_| None)
}

/// As `parsed_plan_text`, printing `expr AS name#id` for a select alias: Spark allocates the alias's id at
/// parse time and the analyzer keeps it, so `alias_id(name)` must give the id the analyzed plan carries
/// for that alias (`None`: unknown or ambiguous, and the whole text is `None`).
pub fn parsed_plan_text_with_ids(q: &ast::Query, alias_id: &dyn Fn(&str) -> Option<u32>) -> Option<String> {
    let node = query(q, alias_id)?;
    let mut out = String::new();
    render(&node, &mut vec![], &mut out);
    out.truncate(out.trim_end().len());
    Some(out)
}

fn query(q: &ast::Query, ids: Ids) -> Option<Node> {
    if q.offset.is_some() || !q.cluster_by.is_empty() || !q.distribute_by.is_empty() || !q.sort_by.is_empty() || !q.windows.is_empty() {
        return None;
    }
    let mut plan = set_expr(&q.body, ids)?;
    if !q.order_by.is_empty() {
        let mut keys = vec![];
        for o in &q.order_by {
            let desc = o.asc == Some(false);
            let nulls_first = o.nulls_first.unwrap_or(!desc);
            keys.push(format!(
                "{} {} {}",
                expr(&o.expr)?,
                if desc { "DESC" } else { "ASC" },
                if nulls_first { "NULLS FIRST" } else { "NULLS LAST" }
            ));
        }
        plan = Node::new(format!("Sort [{}], true", keys.join(", ")), vec![plan]);
    }
    if let Some(l) = &q.limit {
        let n = int_literal(l)?;
        plan = Node::new(format!("GlobalLimit {n}"), vec![Node::new(format!("LocalLimit {n}"), vec![plan])]);
    }
    // WITH: UnresolvedWith above ORDER BY / LIMIT, `CTE [names]` with each definition as a
    // `'SubqueryAlias name` inner child; references stay `'UnresolvedRelation [name], [], false`.
    if let Some(w) = &q.with {
        if w.recursive || w.ctes.is_empty() {
            return None;
        }
        let mut names = vec![];
        let mut defs = vec![];
        for c in &w.ctes {
            if !c.columns.is_empty() {
                return None;
            }
            let name = ident(&c.name)?;
            defs.push(Node::new(format!("SubqueryAlias {name}"), vec![query(&c.query, ids)?]));
            names.push(name);
        }
        plan = Node { line: format!("CTE [{}]", names.join(", ")), children: vec![plan], inner: defs, quote: false };
    }
    Some(plan)
}

/// A query term: a SELECT, a parenthesised query, or UNION [ALL] (`'Union false, false`, under
/// `'Distinct` without ALL; left-deep as written).
fn set_expr(e: &ast::SetExpr, ids: Ids) -> Option<Node> {
    match e {
        ast::SetExpr::Select(s) => select(s, ids),
        ast::SetExpr::Query(q) => query(q, ids),
        ast::SetExpr::SetOp { op: ast::SetOp::Union, all, by_name: false, left, right, .. } => {
            let u = Node::new("Union false, false".into(), vec![set_expr(left, ids)?, set_expr(right, ids)?]);
            Some(if *all { u } else { Node::new("Distinct".into(), vec![u]) })
        }
        _ => None,
    }
}

fn select(s: &ast::Select, ids: Ids) -> Option<Node> {
    if s.hints.len() > 1 || !s.lateral_views.is_empty() || s.having.is_some() || !s.named_windows.is_empty() || s.from.is_empty() {
        return None;
    }
    // FROM a, b, c: a left-deep chain of `'Join Inner` without condition.
    let mut from: Option<Node> = None;
    for twj in &s.from {
        let r = table_with_joins(twj, ids)?;
        from = Some(match from {
            None => r,
            Some(l) => Node::new("Join Inner".into(), vec![l, r]),
        });
    }
    let mut plan = from?;
    if let Some(w) = &s.selection {
        plan = Node::new(format!("Filter {}", expr(w)?), vec![plan]);
    }
    let mut items = vec![];
    for it in &s.projection {
        items.push(select_item(it, ids)?);
    }
    let items = items.join(", ");
    let plan = match &s.group_by {
        ast::GroupBy::None => Node::new(format!("Project [{items}]"), vec![plan]),
        ast::GroupBy::Exprs { exprs, with_rollup: false, with_cube: false } if exprs.is_empty() => Node::new(format!("Project [{items}]"), vec![plan]),
        ast::GroupBy::Exprs { exprs, with_rollup: false, with_cube: false } => {
            let mut keys = vec![];
            for e in exprs {
                keys.push(expr(e)?);
            }
            Node::new(format!("Aggregate [{}], [{items}]", keys.join(", ")), vec![plan])
        }
        _ => return None,
    };
    let plan = if s.distinct { Node::new("Distinct".into(), vec![plan]) } else { plan };
    // The select clause's hint wraps the query specification (below ORDER BY / LIMIT).
    match s.hints.first() {
        None => Some(plan),
        Some(h) => Some(Node::new(hint(&h.text)?, vec![plan])),
    }
}

/// One hint, `NAME(arg, ...)` with an upper-case name as written: `UnresolvedHint NAME, ['a, 8]`
/// (identifiers are UnresolvedAttributes, integers Literals). Several hints in one comment: None.
fn hint(text: &str) -> Option<String> {
    let t = text.trim();
    let open = t.find('(')?;
    let name = t[..open].trim();
    let body = t[open + 1..].strip_suffix(')')?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') || body.contains(['(', ')']) {
        return None;
    }
    let mut args = vec![];
    for a in body.split(',') {
        let a = a.trim();
        if !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()) {
            args.push(a.parse::<i32>().ok()?.to_string());
        } else {
            args.push(format!("'{}", bare(a)?));
        }
    }
    Some(format!("UnresolvedHint {name}, [{}]", args.join(", ")))
}

/// A select-list item: columns and `*` are named expressions; anything else is wrapped in
/// `unresolvedalias(…, None)` (AstBuilder's UnresolvedAlias, printed by Expression.toString).
fn select_item(it: &ast::SelectItem, ids: Ids) -> Option<String> {
    match it {
        ast::SelectItem::Expr { expr: e, alias: None } => match &e.kind {
            ast::ExprKind::Identifier(_) | ast::ExprKind::CompoundIdentifier(_) => expr(e),
            _ => Some(format!("unresolvedalias({}, None)", expr(e)?)),
        },
        // Alias(child, name)(): `child AS name#id`, no type suffix while the child is unresolved (a
        // literal child is resolved: only int and string literals are printed, neither has a suffix).
        ast::SelectItem::Expr { expr: e, alias: Some(alias) } => {
            let name = ident(alias)?;
            Some(format!("{} AS {name}#{}", expr(e)?, ids(&name)?))
        }
        ast::SelectItem::Wildcard(_) => Some("*".into()),
        _ => None,
    }
}

fn table_with_joins(t: &ast::TableWithJoins, ids: Ids) -> Option<Node> {
    let mut plan = table_factor(&t.relation, ids)?;
    for j in &t.joins {
        let right = table_factor(&j.relation, ids)?;
        let kind = match j.kind {
            ast::JoinKind::Inner => "Inner",
            ast::JoinKind::LeftOuter => "LeftOuter",
            ast::JoinKind::RightOuter => "RightOuter",
            ast::JoinKind::FullOuter => "FullOuter",
            _ => return None,
        };
        let ast::JoinConstraint::On(cond) = &j.constraint else { return None };
        plan = Node::new(format!("Join {kind}, {}", expr(cond)?), vec![plan, right]);
    }
    Some(plan)
}

fn table_factor(f: &ast::TableFactor, ids: Ids) -> Option<Node> {
    let (node, alias) = match f {
        ast::TableFactor::Table { name, alias, sample: None, .. } => {
            let mut parts = vec![];
            for p in name {
                parts.push(ident(p)?);
            }
            (Node::new(format!("UnresolvedRelation [{}], [], false", parts.join(", ")), vec![]), alias)
        }
        ast::TableFactor::Derived { lateral: false, subquery, alias: alias @ Some(_), .. } => (query(subquery, ids)?, alias),
        _ => return None,
    };
    Some(match alias {
        None => node,
        Some(a) => {
            if !a.columns.is_empty() {
                return None;
            }
            Node::new(format!("SubqueryAlias {}", ident(&a.name)?), vec![node])
        }
    })
}

/// An identifier that Spark prints bare (quoteIfNeeded leaves `[A-Za-z0-9_]+` that is not all digits).
fn ident(i: &ast::Ident) -> Option<String> {
    bare(&i.value)
}

fn bare(v: &str) -> Option<String> {
    let ok = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !v.chars().all(|c| c.is_ascii_digit());
    ok.then(|| v.to_string())
}

fn int_literal(e: &ast::Expr) -> Option<i32> {
    match &e.kind {
        ast::ExprKind::Value(ast::Value::Number(s)) if s.chars().all(|c| c.is_ascii_digit()) => s.parse::<i32>().ok(),
        _ => None,
    }
}

/// Expression.toString of the unresolved expression: `'a` / `'t.a` for UnresolvedAttribute,
/// `(l op r)` for binary operators, literals as their value, `'f(args)` for UnresolvedFunction.
fn expr(e: &ast::Expr) -> Option<String> {
    Some(match &e.kind {
        ast::ExprKind::Identifier(i) => format!("'{}", ident(i)?),
        ast::ExprKind::CompoundIdentifier(parts) => {
            let mut v = vec![];
            for p in parts {
                v.push(ident(p)?);
            }
            format!("'{}", v.join("."))
        }
        ast::ExprKind::Nested(inner) => expr(inner)?,
        ast::ExprKind::Value(ast::Value::Number(_)) => int_literal(e)?.to_string(),
        // Only plain text: an escape or a control character would print differently.
        ast::ExprKind::Value(ast::Value::String(s)) if !s.contains('\\') && !s.chars().any(|c| c.is_control()) => s.clone(),
        ast::ExprKind::Binary { left, op, right } => {
            let sym = match op {
                ast::BinaryOp::Eq => "=",
                ast::BinaryOp::Lt => "<",
                ast::BinaryOp::LtEq => "<=",
                ast::BinaryOp::Gt => ">",
                ast::BinaryOp::GtEq => ">=",
                ast::BinaryOp::And => "AND",
                ast::BinaryOp::Or => "OR",
                ast::BinaryOp::Plus => "+",
                ast::BinaryOp::Minus => "-",
                ast::BinaryOp::Multiply => "*",
                _ => return None,
            };
            format!("({} {sym} {})", expr(left)?, expr(right)?)
        }
        ast::ExprKind::Function(f) => function(f)?,
        _ => return None,
    })
}

fn function(f: &ast::Function) -> Option<String> {
    if f.filter.is_some() || f.ignore_nulls.is_some() || f.over.is_some() || f.distinct {
        return None;
    }
    let [part] = f.name.as_slice() else { return None };
    let name = ident(part)?;
    let mut args = vec![];
    for a in &f.args {
        match &a.kind {
            // AstBuilder: count(*) is count(1).
            ast::ExprKind::Wildcard(None) if name.eq_ignore_ascii_case("count") && f.args.len() == 1 => args.push("1".into()),
            ast::ExprKind::Wildcard(_) => return None,
            _ => args.push(expr(a)?),
        }
    }
    Some(format!("'{name}({})", args.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::parsed_plan_text;

    fn p(sql: &str) -> Option<String> {
        parsed_plan_text(&super::super::parse_query(sql).expect("test SQL parses"))
    }

    #[test]
    fn join_filter_aggregate() {
        let got = p("SELECT c.segment, count(*) FROM orders o JOIN customers c ON o.customer_id = c.customer_id WHERE o.status = 'paid' GROUP BY c.segment").unwrap();
        assert_eq!(
            got,
            "'Aggregate ['c.segment], ['c.segment, unresolvedalias('count(1), None)]
+- 'Filter ('o.status = paid)
   +- 'Join Inner, ('o.customer_id = 'c.customer_id)
      :- 'SubqueryAlias o
      :  +- 'UnresolvedRelation [orders], [], false
      +- 'SubqueryAlias c
         +- 'UnresolvedRelation [customers], [], false"
        );
    }

    #[test]
    fn sort_limit_and_comma_join() {
        let got = p("SELECT * FROM a, b WHERE a.x = b.y AND a.z >= 3 ORDER BY a.x DESC, b.y LIMIT 10").unwrap();
        assert_eq!(
            got,
            "'GlobalLimit 10
+- 'LocalLimit 10
   +- 'Sort ['a.x DESC NULLS LAST, 'b.y ASC NULLS FIRST], true
      +- 'Project [*]
         +- 'Filter (('a.x = 'b.y) AND ('a.z >= 3))
            +- 'Join Inner
               :- 'UnresolvedRelation [a], [], false
               +- 'UnresolvedRelation [b], [], false"
        );
    }

    #[test]
    fn aliases_take_the_analyzed_ids() {
        let q = super::super::parse_query("SELECT a AS x, sum(b) AS total, 'k' AS lit FROM t GROUP BY a").expect("parses");
        let ids = |n: &str| match n {
            "x" => Some(4),
            "total" => Some(5),
            "lit" => Some(6),
            _ => None,
        };
        assert_eq!(
            super::parsed_plan_text_with_ids(&q, &ids).unwrap(),
            "'Aggregate ['a], ['a AS x#4, 'sum('b) AS total#5, k AS lit#6]\n+- 'UnresolvedRelation [t], [], false"
        );
        // Without the analyzed ids there is no text.
        assert_eq!(parsed_plan_text(&q), None);
    }

    #[test]
    fn hint_wraps_the_select() {
        assert_eq!(
            p("SELECT /*+ REPARTITION(8, status) */ a FROM t ORDER BY a").unwrap(),
            "'Sort ['a ASC NULLS FIRST], true\n+- 'UnresolvedHint REPARTITION, [8, 'status]\n   +- 'Project ['a]\n      +- 'UnresolvedRelation [t], [], false"
        );
    }

    #[test]
    fn union_and_distinct() {
        assert_eq!(
            p("SELECT DISTINCT a FROM t UNION SELECT b FROM u UNION ALL SELECT c FROM v").unwrap(),
            "'Union false, false
:- 'Distinct
:  +- 'Union false, false
:     :- 'Distinct
:     :  +- 'Project ['a]
:     :     +- 'UnresolvedRelation [t], [], false
:     +- 'Project ['b]
:        +- 'UnresolvedRelation [u], [], false
+- 'Project ['c]
   +- 'UnresolvedRelation [v], [], false"
        );
    }

    #[test]
    fn cte_definitions_are_inner_children() {
        assert_eq!(
            p("WITH a AS (SELECT x FROM t), b AS (SELECT * FROM a) SELECT * FROM b LIMIT 3").unwrap(),
            "CTE [a, b]
:  :- 'SubqueryAlias a
:  :  +- 'Project ['x]
:  :     +- 'UnresolvedRelation [t], [], false
:  +- 'SubqueryAlias b
:     +- 'Project [*]
:        +- 'UnresolvedRelation [a], [], false
+- 'GlobalLimit 3
   +- 'LocalLimit 3
      +- 'Project [*]
         +- 'UnresolvedRelation [b], [], false"
        );
    }

    #[test]
    fn unverified_shapes_fall_back() {
        for sql in [
            "WITH c(x) AS (SELECT a FROM t) SELECT x FROM c",
            "SELECT a FROM t INTERSECT SELECT a FROM u",
            "SELECT /*+ BROADCAST(u), MERGE(t) */ t.a FROM t JOIN u ON t.a = u.a",
            "SELECT /*+ broadcast(u) */ t.a FROM t JOIN u ON t.a = u.a",
            "SELECT a FROM t JOIN u USING (a)",
            "SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1",
            "SELECT a FROM t WHERE a <> 1",
            "SELECT row_number() OVER (ORDER BY a) FROM t",
            "SELECT 1",
        ] {
            assert_eq!(p(sql), None, "{sql}");
        }
    }
}
