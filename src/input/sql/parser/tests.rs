//! Unit tests of the SQL lexer-parser pair: precedence, tree shapes, spans, positioned errors, limits, and
//! every query of the repository corpora. Knows nothing of analysis.

use super::*;
use crate::error::Pos;
use crate::input::sql::syntax;
use crate::logical::types::DataType;

fn q(s: &str) -> Query {
    parse_query(s).unwrap_or_else(|e| panic!("{s:?}: {} at {:?}", e.message, e.span))
}
fn e(s: &str) -> Expr {
    parse_expr(s).unwrap_or_else(|e| panic!("{s:?}: {} at {:?}", e.message, e.span))
}
fn sel(s: &str) -> Select {
    match q(s).body {
        SetExpr::Select(s) => *s,
        b => panic!("not a select: {b:?}"),
    }
}
fn err(s: &str) -> (u32, u32, String) {
    let d = parse_query(s).expect_err(s);
    (d.span.start.line, d.span.start.col, d.message)
}
fn sp(l1: u32, c1: u32, l2: u32, c2: u32) -> Span {
    Span::new(Pos { line: l1, col: c1 }, Pos { line: l2, col: c2 })
}
/// A compact rendering of an expression's shape for precedence tests.
fn shape(x: &Expr) -> String {
    use ExprKind::*;
    match &x.kind {
        Identifier(i) => i.value.clone(),
        CompoundIdentifier(v) => v.iter().map(|i| i.value.as_str()).collect::<Vec<_>>().join("."),
        Value(syntax::Value::Number(n)) => n.clone(),
        Value(v) => format!("{v:?}"),
        Nested(e) => shape(e),
        Unary { op, expr } => format!("{op:?}({})", shape(expr)),
        Binary { left, op, right } => format!("({} {op:?} {})", shape(left), shape(right)),
        IsNull(e) => format!("isnull({})", shape(e)),
        Between { expr, negated, low, high } => format!("between{negated}({},{},{})", shape(expr), shape(low), shape(high)),
        InList { expr, list, negated } => format!("in{negated}({};{})", shape(expr), list.iter().map(shape).collect::<Vec<_>>().join(",")),
        Like { expr, pattern, .. } => format!("like({},{})", shape(expr), shape(pattern)),
        Function(f) => format!("{}({})", f.name[0].value, f.args.iter().map(shape).collect::<Vec<_>>().join(",")),
        Subscript { expr, index } => format!("{}[{}]", shape(expr), shape(index)),
        FieldAccess { expr, field } => format!("{}.{}", shape(expr), field.value),
        Wildcard(_) => "*".into(),
        Lambda { params, body } => format!("\\{}->{}", params.len(), shape(body)),
        other => format!("{other:?}").chars().take(12).collect(),
    }
}

#[test]
fn precedence() {
    let cases = [
        ("a OR b AND c", "(a Or (b And c))"),
        ("NOT a AND b", "(Not(a) And b)"),
        ("NOT a = b", "Not((a Eq b))"),
        ("!a OR b", "(Not(a) Or b)"),
        ("a = b OR c < d", "((a Eq b) Or (c Lt d))"),
        ("a + b * c - d", "((a Plus (b Multiply c)) Minus d)"),
        ("a | b ^ c & d", "(a BitOr (b BitXor (c BitAnd d)))"),
        ("a || b + c", "((a Concat b) Plus c)"),
        ("a DIV b % c", "((a IntDivide b) Modulo c)"),
        ("-a * b", "(Minus(a) Multiply b)"),
        ("-1 - -2", "(-1 Minus -2)"),
        ("~a & b", "(BitNot(a) BitAnd b)"),
        ("a + 1 BETWEEN 1 AND 2 AND c", "(betweenfalse((a Plus 1),1,2) And c)"),
        ("a NOT IN (1, 2)", "intrue(a;1,2)"),
        ("a = b IS NULL", "isnull((a Eq b))"),
        ("x LIKE 'a%' OR y", "(like(x,String(\"a%\")) Or y)"),
        ("f(a)[0].b", "f(a)[0].b"),
        ("a.b.c + 1", "(a.b.c Plus 1)"),
        ("transform(xs, x -> x + 1)", "transform(xs,\\1->(x Plus 1))"),
        ("zip_with(a, b, (x, y) -> x * y)", "zip_with(a,b,\\2->(x Multiply y))"),
        ("count(*)", "count(*)"),
    ];
    for (sql, want) in cases {
        assert_eq!(shape(&e(sql)), want, "{sql}");
    }
}

#[test]
fn literals_and_special_forms() {
    assert_eq!(e("'a' 'b' \"c\"").kind, ExprKind::Value(Value::String("abc".into())));
    assert_eq!(e("1.5BD").kind, ExprKind::Value(Value::Number("1.5BD".into())));
    assert!(matches!(e("DATE '2024-01-02'").kind, ExprKind::TypedString { data_type: DataType::Date, .. }));
    assert!(matches!(e("X'0A'").kind, ExprKind::TypedString { data_type: DataType::Binary, .. }));
    let ExprKind::Binary { left, .. } = e("INTERVAL '1' DAY + 1").kind else { panic!() };
    assert_eq!(left.kind, ExprKind::Interval("INTERVAL '1' DAY".into()));
    let ExprKind::Cast { data_type, try_cast: false, .. } = e("CAST(a AS map<string, array<struct<x:int, y decimal(10,2)>>>)").kind else { panic!() };
    assert_eq!(data_type, DataType::parse("map<string,array<struct<x:int,y:decimal(10,2)>>>").unwrap());
    assert!(matches!(e("TRY_CAST(a AS varchar(3))").kind, ExprKind::Cast { data_type: DataType::String, try_cast: true, .. }));
    assert!(matches!(e("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END").kind, ExprKind::Case { operand: None, ref branches, else_result: Some(_) } if branches.len() == 2));
    assert!(matches!(e("CASE x WHEN 1 THEN 'a' END").kind, ExprKind::Case { operand: Some(_), .. }));
    assert!(matches!(e("substring(s FROM 2 FOR 3)").kind, ExprKind::Substring { from: Some(_), len: Some(_), .. }));
    assert!(matches!(e("substring(s, 2, 3)").kind, ExprKind::Function(_)));
    assert!(matches!(e("trim(BOTH 'x' FROM y)").kind, ExprKind::Trim { side: Some(_), chars: Some(_), .. }));
    assert!(matches!(e("trim(y)").kind, ExprKind::Function(_)));
    assert!(matches!(e("extract(YEAR FROM d)").kind, ExprKind::Extract { ref field, .. } if field == "year"));
    assert!(matches!(e("position('a' IN s)").kind, ExprKind::Position { .. }));
    assert!(matches!(e("EXISTS (SELECT 1)").kind, ExprKind::Exists { negated: false, .. }));
    let x = e("NOT EXISTS (SELECT 1)");
    assert!(matches!(x.kind, ExprKind::Exists { negated: true, .. }) && x.span == sp(1, 1, 1, 22));
    assert!(matches!(e("a !> 1").kind, ExprKind::Binary { op: BinaryOp::LtEq, .. }));
    assert_eq!(parse_data_type("Array<Decimal(5)>").unwrap(), DataType::Array(Box::new(DataType::Decimal(5, 0))));
    assert!(matches!(e("exists(xs, x -> x > 1)").kind, ExprKind::Function(_)));
    assert!(matches!(e("a IN (SELECT b FROM t)").kind, ExprKind::InSubquery { .. }));
    assert!(matches!(e("(SELECT max(b) FROM t)").kind, ExprKind::Subquery(_)));
    assert!(matches!(e("(a, b)").kind, ExprKind::Tuple(ref v) if v.len() == 2));
    assert!(matches!(e("a IS NOT DISTINCT FROM b").kind, ExprKind::IsNotDistinctFrom(..)));
    assert!(matches!(e("a NOT ILIKE 'x' ESCAPE '!'").kind, ExprKind::Like { negated: true, ilike: true, escape: Some('!'), .. }));
    assert!(matches!(e("a RLIKE 'x'").kind, ExprKind::RLike { negated: false, .. }));
    assert!(matches!(e("a IS NOT TRUE").kind, ExprKind::IsNotTrue(_)));
    assert!(matches!(e("t.*").kind, ExprKind::Wildcard(Some(_))));
    let ExprKind::Function(f) = e("count(DISTINCT a, b) FILTER (WHERE c > 0)").kind else { panic!() };
    assert!(f.distinct && f.filter.is_some() && f.args.len() == 2);
    let ExprKind::Function(f) = e("first(a IGNORE NULLS) OVER w").kind else { panic!() };
    assert_eq!((f.ignore_nulls, f.over), (Some(true), Some(WindowRef::Named(Ident { value: "w".into(), quoted: false, span: sp(1, 28, 1, 29) }))));
    let ExprKind::Function(f) = e("sum(x) OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)").kind else { panic!() };
    let Some(WindowRef::Spec(w)) = f.over else { panic!() };
    assert_eq!((w.partition_by.len(), w.order_by[0].asc, w.order_by[0].nulls_first), (2, Some(false), Some(false)));
    let fr = w.frame.unwrap();
    assert_eq!((fr.units, fr.start), (FrameUnits::Rows, FrameBound::Preceding(None)));
    assert!(matches!(fr.end, Some(FrameBound::Following(Some(_)))));
    let ExprKind::Function(f) = e("lag(x) OVER (DISTRIBUTE BY a SORT BY b RANGE CURRENT ROW)").kind else { panic!() };
    let Some(WindowRef::Spec(w)) = f.over else { panic!() };
    assert_eq!((w.partition_by.len(), w.order_by.len(), w.frame.map(|f| f.start)), (1, 1, Some(FrameBound::CurrentRow)));
    assert!(matches!(e("db.f(1)").kind, ExprKind::Function(ref f) if f.name.len() == 2));
}

#[test]
fn spans() {
    let x = e("a +\n  `b c`.d");
    assert_eq!(x.span, sp(1, 1, 2, 10));
    let ExprKind::Binary { right, .. } = x.kind else { panic!() };
    let ExprKind::CompoundIdentifier(parts) = right.kind else { panic!() };
    assert_eq!((parts[0].value.as_str(), parts[0].quoted, parts[0].span), ("b c", true, sp(2, 3, 2, 8)));
    let s = sel("SELECT 'é', f(x) AS y\nFROM t");
    assert_eq!(s.projection[1].span(), sp(1, 13, 1, 22));
    assert_eq!(s.select_span, sp(1, 1, 1, 7));
    assert_eq!(s.from[0].relation.span(), sp(2, 6, 2, 7));
    assert_eq!(s.span, sp(1, 1, 2, 7));
    assert_eq!(e("(a)").span, sp(1, 1, 1, 4));
    assert_eq!(e("-1").span, sp(1, 1, 1, 3));
    let s = sel("SELECT /*+ BROADCAST(t) */ * FROM t");
    assert_eq!(s.hints, vec![HintComment { text: " BROADCAST(t) ".into(), span: sp(1, 11, 1, 25) }]);
}

#[test]
fn queries() {
    let s = sel("SELECT DISTINCT a, b AS c, d e, t.*, *, posexplode(x) AS (p, v) FROM t WHERE a > 1 GROUP BY a HAVING count(*) > 1");
    assert!(s.distinct);
    assert!(matches!(&s.projection[1], SelectItem::Expr { alias: Some(a), .. } if a.value == "c"));
    assert!(matches!(&s.projection[2], SelectItem::Expr { alias: Some(a), .. } if a.value == "e"));
    assert!(matches!(&s.projection[3], SelectItem::QualifiedWildcard(n, _) if n[0].value == "t"));
    assert!(matches!(&s.projection[4], SelectItem::Wildcard(_)));
    assert!(matches!(&s.projection[5], SelectItem::ExprWithAliases { aliases, .. } if aliases.len() == 2));
    assert!(s.selection.is_some() && s.having.is_some());
    assert!(matches!(s.group_by, GroupBy::Exprs { ref exprs, .. } if exprs.len() == 1));

    let s = sel("SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (x, y) LEFT SEMI JOIN d ON 1 = 1 \
                 ANTI JOIN e ON true CROSS JOIN f NATURAL JOIN g FULL JOIN h ON 1 = 1, i, (j JOIN k) AS jk");
    let kinds: Vec<_> = s.from[0].joins.iter().map(|j| j.kind).collect();
    use JoinKind::*;
    assert_eq!(kinds, vec![Inner, LeftOuter, LeftSemi, LeftAnti, Cross, Inner, FullOuter]);
    assert!(matches!(s.from[0].joins[1].constraint, JoinConstraint::Using(ref v) if v.len() == 2));
    assert_eq!(s.from[0].joins[5].constraint, JoinConstraint::Natural);
    assert_eq!(s.from[0].joins[1].span, sp(1, 37, 1, 52));
    assert_eq!(s.from.len(), 3);
    assert!(matches!(&s.from[2].relation, TableFactor::NestedJoin { alias: Some(_), .. }));

    let s = sel("SELECT * FROM (SELECT 1) AS s (a), LATERAL (SELECT a) l, range(10) r, db.t TABLESAMPLE (10 PERCENT) x, \
                 VALUES (1, 2), (3, 4) AS v(a, b) LATERAL VIEW OUTER explode(xs) ex AS e1 LATERAL VIEW posexplode(ys) p AS i, y");
    assert!(matches!(&s.from[0].relation, TableFactor::Derived { lateral: false, alias: Some(a), .. } if a.columns.len() == 1));
    assert!(matches!(&s.from[1].relation, TableFactor::Derived { lateral: true, .. }));
    assert!(matches!(&s.from[2].relation, TableFactor::Function { args, .. } if args.len() == 1));
    assert!(matches!(&s.from[3].relation, TableFactor::Table { name, sample: Some(_), alias: Some(_), .. } if name.len() == 2));
    assert!(matches!(&s.from[4].relation, TableFactor::Values(v) if v.rows.len() == 2 && v.rows[0].len() == 2 && v.alias.is_some()));
    assert_eq!(s.lateral_views.len(), 2);
    assert!(s.lateral_views[0].outer && s.lateral_views[0].columns.len() == 1);
    assert_eq!(s.lateral_views[1].columns.len(), 2);

    let s = sel("SELECT * FROM t PIVOT (sum(x) AS s, avg(x) FOR k IN (1 AS one, 2)) p");
    assert!(matches!(&s.from[0].relation, TableFactor::Pivot { aggregates, values, alias: Some(_), .. } if aggregates.len() == 2 && values.len() == 2));

    let query = q("WITH RECURSIVE a (x, y) AS (SELECT 1, 2), b AS (SELECT * FROM a) SELECT * FROM b ORDER BY x DESC LIMIT 5 OFFSET 2;;");
    let w = query.with.unwrap();
    assert!(w.recursive && w.ctes.len() == 2 && w.ctes[0].columns.len() == 2);
    assert!(query.limit.is_some() && query.offset.is_some() && query.order_by.len() == 1);
    assert!(!q("WITH recursive AS (SELECT 1) SELECT 1").with.unwrap().recursive);
    assert!(q("SELECT 1 LIMIT ALL").limit.is_none());
    let query = q("SELECT a FROM t CLUSTER BY a");
    assert_eq!(query.cluster_by.len(), 1);
    let query = q("SELECT a FROM t DISTRIBUTE BY a SORT BY b");
    assert_eq!((query.distribute_by.len(), query.sort_by.len()), (1, 1));
    let s = sel("SELECT rank() OVER w FROM t WINDOW w AS (PARTITION BY a), w2 AS w");
    assert_eq!(s.named_windows.len(), 2);
    assert_eq!(s.named_windows[1].spec.base.as_ref().map(|b| b.value.as_str()), Some("w"));
    let s = sel("SELECT a FROM t ORDER BY a WINDOW w AS (ORDER BY a)");
    assert_eq!(s.named_windows.len(), 1);
    assert!(matches!(q("TABLE db.t").body, SetExpr::Table { ref name, .. } if name.len() == 2));
    assert!(matches!(q("VALUES 1, 2").body, SetExpr::Values(ref v) if v.rows.len() == 2));
    assert!(matches!(q("FROM t SELECT a WHERE a > 1").body, SetExpr::Select(ref s) if s.from.len() == 1 && s.selection.is_some()));
    assert!(matches!(q("(SELECT 1) ORDER BY 1").body, SetExpr::Query(_)));
}

#[test]
fn set_operations() {
    fn ops(b: &SetExpr) -> String {
        match b {
            SetExpr::SetOp { op, all, left, right, .. } => format!("({} {op:?}{} {})", ops(left), if *all { "All" } else { "" }, ops(right)),
            SetExpr::Query(q) => format!("[{}]", ops(&q.body)),
            _ => "s".into(),
        }
    }
    let query = q("SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4 MINUS (SELECT 5 UNION SELECT 6) ORDER BY 1");
    assert_eq!(ops(&query.body), "(((s UnionAll (s Intersect s)) Except s) Except [(s Union s)])");
    assert_eq!(query.order_by.len(), 1);
    assert_eq!(query.body.span(), sp(1, 1, 1, 95));
}

#[test]
fn group_by_forms() {
    assert!(matches!(sel("SELECT a FROM t GROUP BY ALL").group_by, GroupBy::All(s) if s == sp(1, 26, 1, 29)));
    assert!(matches!(sel("SELECT a FROM t GROUP BY ALL HAVING a > 1").group_by, GroupBy::All(_)));
    assert!(matches!(sel("SELECT a FROM t GROUP BY all + 1").group_by, GroupBy::Exprs { .. }));
    assert!(matches!(sel("SELECT a FROM t GROUP BY a, b WITH ROLLUP").group_by, GroupBy::Exprs { with_rollup: true, .. }));
    assert!(matches!(sel("SELECT a FROM t GROUP BY a WITH CUBE").group_by, GroupBy::Exprs { with_cube: true, .. }));
    let GroupBy::Exprs { exprs, .. } = sel("SELECT a FROM t GROUP BY ROLLUP(a, (b, c)), CUBE(d), GROUPING SETS ((a, b), (a), (), ROLLUP(a))").group_by else { panic!() };
    assert!(matches!(&exprs[0].kind, ExprKind::Rollup(s) if s.len() == 2 && s[1].len() == 2));
    assert!(matches!(&exprs[1].kind, ExprKind::Cube(s) if s.len() == 1));
    assert!(matches!(&exprs[2].kind, ExprKind::GroupingSets(s) if s.len() == 4 && s[2].is_empty()));
}

#[test]
fn aliases_and_keywords() {
    let s = sel("SELECT a year, b `from`, c AS from FROM t x WHERE x.year > 1");
    let names: Vec<_> = s.projection.iter().map(|p| match p {
        SelectItem::Expr { alias: Some(a), .. } => a.value.clone(),
        _ => String::new(),
    }).collect();
    assert_eq!(names, vec!["year", "from", "from"]);
    let s = sel("SELECT * FROM t LEFT JOIN u ON t.a = u.a");
    assert!(matches!(&s.from[0].relation, TableFactor::Table { alias: None, .. }));
    assert_eq!(s.from[0].joins.len(), 1);
    let s = sel("SELECT date, timestamp, interval, left(s, 2), current_date FROM t");
    assert_eq!(s.projection.len(), 5);
}

#[test]
fn api_entry_points() {
    assert!(matches!(parse_select_item("a + 1 AS b").unwrap(), SelectItem::Expr { alias: Some(_), .. }));
    assert!(matches!(parse_select_item("t.*").unwrap(), SelectItem::QualifiedWildcard(..)));
    assert!(parse_expr("").unwrap_err().message.contains("[PARSE_EMPTY_STATEMENT]"));
    assert!(parse_select_item("  ").unwrap_err().message.contains("[PARSE_EMPTY_STATEMENT]"));
    let d = parse_expr("a + ").unwrap_err();
    assert_eq!((d.span.start.col, d.message.as_str()), (5, "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input."));
    let d = parse_expr("status = = 'x'").unwrap_err();
    assert_eq!((d.span.start.col, d.message.as_str()), (10, "[PARSE_SYNTAX_ERROR] Syntax error at or near '='."));
    assert!(tokenize("a.b").unwrap().len() == 3);
}

#[test]
fn errors() {
    assert_eq!(err(""), (1, 1, "the query is empty".into()));
    assert_eq!(err(" -- nothing"), (1, 1, "the query is empty".into()));
    let (l, c, m) = err("INSERT INTO t VALUES (1)");
    assert_eq!((l, c), (1, 1));
    assert!(m.starts_with("`INSERT` is not a query: only SELECT / WITH / VALUES queries are planned here"));
    assert_eq!(err("SELECT * FROM orders WHERE"), (1, 27, "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.".into()));
    assert_eq!(err("SELECT * FROM orders ORDER BY").1, 30);
    assert_eq!(err("SELECT a FROM t\n WHERE a >> 1").0, 2);
    assert_eq!(err("SELECT a FROM t WHERE )").1, 23);
    assert_eq!(err("SELECT 1; SELECT 2").1, 11);
    assert_eq!(err("SELECT FROM t").1, 8);
    assert_eq!(err("SELECT 'abc FROM t"), (1, 8, "[PARSE_SYNTAX_ERROR] Unterminated string literal.".into()));
    let (l, c, m) = err("SELECT CAST(a AS nonsense) FROM t");
    assert_eq!((l, c), (1, 18));
    assert!(m.starts_with("[UNSUPPORTED_DATATYPE]"));
    assert!(err("SELECT a LIKE ANY ('x') FROM t").2.contains("LIKE ANY"));
    assert_eq!(err("SELECT * FROM (SELECT 1) TABLESAMPLE (1 ROWS)").1, 26);
    assert!(err("SELECT CAST(a AS decimal(40, 2))").2.contains("DECIMAL_PRECISION"));
    // Hint text is handed on untouched; the hint parser reports its own errors.
    assert_eq!(sel("SELECT /*+ BROADCAST(o */ * FROM orders o").hints[0].text, " BROADCAST(o ");
}

#[test]
fn limits_never_overflow() {
    let deep = format!("SELECT {}1{}", "(".repeat(200), ")".repeat(200));
    let d = parse_query(&deep).unwrap_err();
    assert_eq!(d.phase, Phase::Limit);
    for s in [format!("SELECT {}1", "- ".repeat(500)), format!("SELECT {}1", "NOT ".repeat(500)), format!("SELECT * FROM {}t", "(".repeat(300)),
              format!("SELECT CAST(a AS {}int{})", "array<".repeat(100), ">".repeat(100)), format!("SELECT {}1", "(SELECT ".repeat(100))] {
        assert_eq!(parse_query(&s).unwrap_err().phase, Phase::Limit, "{s}");
    }
    assert!(parse_query(&format!("SELECT {}1{}", "(".repeat(20), ")".repeat(20))).is_ok());
    // Deep input stays within a small stack.
    let ok = std::thread::Builder::new().stack_size(1 << 20).spawn(|| {
        let s = format!("SELECT {}x{}", "(SELECT (".repeat(100), "))".repeat(100));
        parse_query(&s).unwrap_err().phase == Phase::Limit
    });
    assert!(ok.unwrap().join().unwrap());
    let big = format!("SELECT 1 {}", " ".repeat(MAX_SQL_CHARS));
    assert_eq!(parse_query(&big).unwrap_err().phase, Phase::Limit);
    // Truncations of a rich query never panic.
    let text = "WITH a AS (SELECT x, CAST(y AS array<int>) FROM t WHERE z IN (1, 2) AND w LIKE 'a%') \
                SELECT /*+ BROADCAST(a) */ sum(x) OVER (PARTITION BY y ORDER BY x ROWS 1 PRECEDING), CASE WHEN x THEN 1 END \
                FROM a LEFT JOIN b USING (x) GROUP BY ROLLUP(x) HAVING x > 1 UNION SELECT 1 ORDER BY 1 LIMIT 1";
    for (i, _) in text.char_indices() {
        let _ = parse_query(&text[..i]);
        let _ = parse_expr(&text[i..]);
    }
}

/// Every query of the repository's corpora parses: golden tests, the app's examples and the shared
/// fidelity scenarios (when present on this machine).
#[test]
fn corpus_parses() {
    let mut texts: Vec<(String, String)> = vec![];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in std::fs::read_dir(root.join("tests/golden")).into_iter().flatten().flatten() {
        if let Ok(t) = std::fs::read_to_string(dir.path().join("query.sql")) {
            texts.push((dir.path().display().to_string(), t));
        }
    }
    for ex in crate::examples::EXAMPLES {
        texts.push((ex.title.to_string(), ex.sql.to_string()));
    }
    for f in std::fs::read_dir("/work/shared/fidelity/scenarios").into_iter().flatten().flatten() {
        let Ok(v) = std::fs::read_to_string(f.path()).map(|t| serde_json::from_str::<serde_json::Value>(&t)) else { continue };
        let Ok(v) = v else { continue };
        if v["query"]["lang"] == "sql" {
            texts.push((f.path().display().to_string(), v["query"]["text"].as_str().unwrap_or("").to_string()));
        }
    }
    assert!(texts.len() > 50, "corpus not found");
    let mut failures = vec![];
    for (name, text) in &texts {
        let Ok(script) = crate::input::ddl::parse_script(text) else { continue };
        for st in script.statements {
            if let crate::input::ddl::ScriptStatement::Query { text, .. } = st {
                if let Err(d) = parse_query(&text) {
                    failures.push(format!("{name}: {} at {:?}\n{text}", d.message, d.span.start));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
