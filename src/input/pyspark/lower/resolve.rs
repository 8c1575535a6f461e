//! Resolving PySpark Columns against a DataFrame's output, through the SQL analyzer: a Column tree is
//! rendered as SQL text (pieces the analyzer cannot see — bound `df["x"]` attributes, UDF calls, casts,
//! `F.expr` subtrees — become placeholder attributes substituted back afterwards) and resolved by
//! `Analyzer::resolve_in`, so both frontends share name resolution, function typing and implicit casts.
//! Errors point at the smallest failing Column. Also names Columns as Spark does. Knows no plan shapes.

use super::columns::*;
use crate::error::{Diagnostic, Result};
use crate::input::sql::exprs::{self, Clause, Scope};
use crate::input::sql::{standalone, Analyzer};
use crate::logical::expr::{Attribute, Expr, ExprId, IdGen, SortOrder};
use crate::logical::plan::LogicalPlan;
use crate::scenario::Table;
use std::collections::BTreeMap;

/// What resolution draws on: the catalog, temporary views and the session's expression ids.
pub struct Ctx<'a> {
    pub tables: &'a [Table],
    pub views: &'a BTreeMap<String, LogicalPlan>,
    pub ids: &'a mut IdGen,
}

/// Placeholder attributes for pre-resolved pieces take ids from the top of the id space.
const TEMP_TOP: ExprId = u32::MAX;

#[derive(Default)]
struct Render {
    text: String,
    temps: Vec<Expr>,
    fake: Vec<Attribute>,
}

impl Render {
    fn temp(&mut self, e: Expr) -> String {
        let k = self.temps.len();
        let name = format!("__sc_t{k}");
        self.fake.push(Attribute { name: name.clone(), id: TEMP_TOP - k as u32, dtype: e.dtype(), nullable: e.nullable(), qualifier: vec![] });
        self.temps.push(e);
        format!("`{name}`")
    }
}

fn quote_ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Where a Column may appear (for the analyzer's clause checks and messages).
pub fn clause_of(what: &str) -> Clause {
    match what {
        "filter" => Clause::Where,
        "groupBy" => Clause::GroupBy,
        "join" => Clause::JoinOn,
        "order" => Clause::OrderBy,
        "select" => Clause::Select,
        _ => Clause::Other,
    }
}

impl<'a> Ctx<'a> {
    pub fn analyzer(&mut self) -> Analyzer<'_> {
        Analyzer::new(self.tables, self.views, self.ids)
    }

    /// Resolves one Column against `scope`.
    pub fn resolve(&mut self, c: &Col, scope: &Scope, clause: Clause) -> Result<Expr> {
        let mut r = Render::default();
        self.render(c, scope, clause, &mut r)?;
        let ast = standalone::parse_expr(&r.text).map_err(|d| Diagnostic::analysis(format!("cannot resolve this column: {}", d.message), c.span))?;
        let mut full = scope.clone();
        full.attrs.extend(r.fake.iter().cloned());
        let res = self.analyzer().resolve_in(&ast, &full, clause);
        match res {
            Ok(e) => Ok(substitute(e, &r.temps)),
            Err(d) => Err(self.locate(c, scope, clause, d)),
        }
    }

    /// The error of the smallest sub-Column that fails on its own, else `d` at `c`.
    fn locate(&mut self, c: &Col, scope: &Scope, clause: Clause, d: Diagnostic) -> Diagnostic {
        let kids: Vec<Col> = match &c.kind {
            // A window function alone always fails ("requires an OVER clause"): look at the spec only.
            ColKind::Over(_, w) => w.partition.iter().chain(w.order.iter()).cloned().collect(),
            ColKind::Func { args, .. } => args.iter().filter(|a| !matches!(a.kind, ColKind::Star(_))).cloned().collect(),
            _ => c.children().into_iter().cloned().collect(),
        };
        for k in kids {
            let k = match k.kind {
                ColKind::Sort { child, .. } => *child,
                _ => k,
            };
            if let Err(inner) = self.resolve(&k, scope, clause) {
                return inner;
            }
        }
        Diagnostic::analysis(d.message, c.span)
    }

    fn render(&mut self, c: &Col, scope: &Scope, clause: Clause, r: &mut Render) -> Result<()> {
        match &c.kind {
            ColKind::Name(parts) => {
                let t = parts.iter().map(|p| quote_ident(p)).collect::<Vec<_>>().join(".");
                r.text.push_str(&t);
            }
            ColKind::Star(None) => r.text.push('*'),
            ColKind::Star(Some(q)) => {
                r.text.push_str(&quote_ident(q));
                r.text.push_str(".*");
            }
            ColKind::Bound(a) => {
                let Some(found) = scope.attrs.iter().find(|x| x.id == a.id) else {
                    let have = scope.attrs.iter().map(|x| format!("\"{}\"", x.name)).collect::<Vec<_>>().join(", ");
                    return Err(Diagnostic::analysis(
                        format!("[MISSING_ATTRIBUTES.RESOLVED_ATTRIBUTE_MISSING_FROM_INPUT] Resolved attribute(s) \"{}\" missing from {have} in this operator: the column belongs to another DataFrame (use F.col(\"{}\") or alias the DataFrames)", a.name, a.name),
                        c.span,
                    ));
                };
                let t = r.temp(Expr::Attr(found.clone()));
                r.text.push_str(&t);
            }
            ColKind::Lit(v) => {
                let t = match v {
                    PyLit::None => "NULL".to_string(),
                    PyLit::Bool(b) => b.to_string(),
                    PyLit::Int(i) => {
                        if *i < i64::MIN as i128 || *i > i64::MAX as i128 {
                            return Err(Diagnostic::analysis(format!("the integer {i} does not fit in a Spark bigint"), c.span));
                        }
                        if *i < 0 {
                            format!("({i})")
                        } else {
                            i.to_string()
                        }
                    }
                    PyLit::Float(f) => {
                        if !f.is_finite() {
                            return Err(Diagnostic::analysis("NaN and infinite float literals are not supported by Stagecraft", c.span));
                        }
                        if *f < 0.0 {
                            format!("({f:e})")
                        } else {
                            format!("{f:e}")
                        }
                    }
                    PyLit::Str(s) => sql_string(s),
                    PyLit::SqlNum(s) => s.clone(),
                };
                r.text.push_str(&t);
            }
            ColKind::Not(x) => {
                r.text.push_str("(NOT ");
                self.render(x, scope, clause, r)?;
                r.text.push(')');
            }
            ColKind::Neg(x) => {
                r.text.push_str("(- ");
                self.render(x, scope, clause, r)?;
                r.text.push(')');
            }
            ColKind::Bin(op, a, b) => {
                r.text.push('(');
                self.render(a, scope, clause, r)?;
                r.text.push(' ');
                r.text.push_str(op.sql());
                r.text.push(' ');
                self.render(b, scope, clause, r)?;
                r.text.push(')');
            }
            ColKind::Func { name, args, distinct } => {
                r.text.push_str(&quote_ident(name));
                r.text.push('(');
                if *distinct {
                    r.text.push_str("DISTINCT ");
                }
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        r.text.push_str(", ");
                    }
                    self.render(a, scope, clause, r)?;
                }
                r.text.push(')');
            }
            ColKind::Native { name, args, dtype } => {
                let mut xs = vec![];
                for a in args {
                    xs.push(self.resolve(a, scope, clause)?);
                }
                let t = r.temp(Expr::Func { name: name.clone(), args: xs, dtype: dtype.clone(), deterministic: true });
                r.text.push_str(&t);
            }
            ColKind::Cast(x, t) => {
                let inner = self.resolve(x, scope, clause)?;
                let s = r.temp(exprs::cast(inner, t.clone()));
                r.text.push_str(&s);
            }
            ColKind::IsNull(x, negated) => {
                r.text.push('(');
                self.render(x, scope, clause, r)?;
                r.text.push_str(if *negated { " IS NOT NULL)" } else { " IS NULL)" });
            }
            ColKind::In(x, list) => {
                if list.is_empty() {
                    return Err(Diagnostic::analysis("isin() needs at least one value", c.span));
                }
                r.text.push('(');
                self.render(x, scope, clause, r)?;
                r.text.push_str(" IN (");
                for (i, a) in list.iter().enumerate() {
                    if i > 0 {
                        r.text.push_str(", ");
                    }
                    self.render(a, scope, clause, r)?;
                }
                r.text.push_str("))");
            }
            ColKind::Like(x, p, kind) => {
                r.text.push('(');
                self.render(x, scope, clause, r)?;
                r.text.push_str(match kind {
                    LikeKind::Like => " LIKE ",
                    LikeKind::RLike => " RLIKE ",
                    LikeKind::ILike => " ILIKE ",
                });
                self.render(p, scope, clause, r)?;
                r.text.push(')');
            }
            ColKind::Case { branches, otherwise } => {
                r.text.push_str("CASE");
                for (cond, v) in branches {
                    r.text.push_str(" WHEN ");
                    self.render(cond, scope, clause, r)?;
                    r.text.push_str(" THEN ");
                    self.render(v, scope, clause, r)?;
                }
                if let Some(o) = otherwise {
                    r.text.push_str(" ELSE ");
                    self.render(o, scope, clause, r)?;
                }
                r.text.push_str(" END");
            }
            ColKind::Alias(x, _) => self.render(x, scope, clause, r)?,
            ColKind::Sort { .. } => {
                return Err(Diagnostic::analysis(
                    "a sort order (asc()/desc()) is only allowed in orderBy/sort, sortWithinPartitions and Window.orderBy",
                    c.span,
                ))
            }
            ColKind::Over(f, w) => {
                self.render(f, scope, clause, r)?;
                r.text.push_str(" OVER (");
                if !w.partition.is_empty() {
                    r.text.push_str("PARTITION BY ");
                    for (i, p) in w.partition.iter().enumerate() {
                        if i > 0 {
                            r.text.push_str(", ");
                        }
                        self.render(p, scope, Clause::Other, r)?;
                    }
                    r.text.push(' ');
                }
                if !w.order.is_empty() {
                    r.text.push_str("ORDER BY ");
                    for (i, o) in w.order.iter().enumerate() {
                        if i > 0 {
                            r.text.push_str(", ");
                        }
                        match &o.kind {
                            ColKind::Sort { child, asc, nulls_first } => {
                                self.render(child, scope, Clause::Other, r)?;
                                r.text.push_str(if *asc { " ASC" } else { " DESC" });
                                r.text.push_str(if *nulls_first { " NULLS FIRST" } else { " NULLS LAST" });
                            }
                            _ => self.render(o, scope, Clause::Other, r)?,
                        }
                    }
                    r.text.push(' ');
                }
                if let Some(fr) = &w.frame {
                    let b = |v: i64| match v {
                        i64::MIN => "UNBOUNDED PRECEDING".to_string(),
                        i64::MAX => "UNBOUNDED FOLLOWING".to_string(),
                        0 => "CURRENT ROW".to_string(),
                        n if n < 0 => format!("{} PRECEDING", -(n as i128)),
                        n => format!("{n} FOLLOWING"),
                    };
                    r.text.push_str(&format!("{} BETWEEN {} AND {}", if fr.rows { "ROWS" } else { "RANGE" }, b(fr.start), b(fr.end)));
                }
                r.text.push(')');
            }
            ColKind::Udf { udf, args } => {
                let mut xs = vec![];
                for a in args {
                    let x = self.resolve(a, scope, clause)?;
                    if x.contains_agg() || x.contains_window() {
                        return Err(Diagnostic::analysis(
                            format!("[INVALID_UDF_IMPLEMENTATION] a Python UDF argument cannot contain an aggregate or window function ({})", x.sql()),
                            a.span,
                        ));
                    }
                    xs.push(x);
                }
                let t = r.temp(Expr::Udf { name: udf.name.clone(), args: xs, dtype: udf.return_type.clone(), python: true, pandas: udf.pandas });
                r.text.push_str(&t);
            }
            ColKind::Sql { ast, origin } => {
                let origin = *origin;
                let e = self.analyzer().resolve_in(ast.as_ref(), scope, clause).map_err(|d| Diagnostic { span: d.span.offset_by(origin), ..d })?;
                let t = r.temp(e);
                r.text.push_str(&t);
            }
        }
        Ok(())
    }

    /// Spark's column name for an unaliased Column (`toPrettySQL` of the resolved expression).
    pub fn pretty(&mut self, c: &Col, scope: &Scope) -> String {
        let list = |me: &mut Self, xs: &[Col]| xs.iter().map(|x| me.pretty(x, scope)).collect::<Vec<_>>().join(", ");
        match &c.kind {
            ColKind::Name(parts) => match scope.find(parts) {
                Ok(Some(a)) => a.name,
                _ => parts.last().cloned().unwrap_or_default(),
            },
            ColKind::Star(None) => "*".into(),
            ColKind::Star(Some(q)) => format!("{q}.*"),
            ColKind::Bound(a) => a.name.clone(),
            ColKind::Lit(v) => pretty_lit(v),
            ColKind::Not(x) => format!("(NOT {})", self.pretty(x, scope)),
            ColKind::Neg(x) => format!("(- {})", self.pretty(x, scope)),
            ColKind::Bin(op, a, b) => format!("({} {} {})", self.pretty(a, scope), op.sql(), self.pretty(b, scope)),
            ColKind::Func { name, args, distinct } => {
                let canon = canonical_fn(name);
                let canon = match canon.as_str() {
                    "ceil" => "CEIL".to_string(),
                    "floor" => "FLOOR".to_string(),
                    _ => canon,
                };
                if canon == "count" && (args.is_empty() || args.iter().any(|a| matches!(a.kind, ColKind::Star(None)))) {
                    return "count(1)".into();
                }
                let mut inner = list(self, args);
                if canon == "split" && args.len() == 2 {
                    inner.push_str(", -1");
                }
                if canon == "substring" && args.len() == 2 {
                    inner.push_str(", 2147483647");
                }
                format!("{canon}({}{inner})", if *distinct { "DISTINCT " } else { "" })
            }
            ColKind::Native { name, args, .. } => format!("{name}({})", list(self, args)),
            ColKind::Cast(x, t) => format!("CAST({} AS {})", self.pretty(x, scope), type_sql(t)),
            ColKind::IsNull(x, false) => format!("({} IS NULL)", self.pretty(x, scope)),
            ColKind::IsNull(x, true) => format!("({} IS NOT NULL)", self.pretty(x, scope)),
            ColKind::In(x, l) => format!("({} IN ({}))", self.pretty(x, scope), list(self, l)),
            ColKind::Like(x, p, LikeKind::Like) => format!("{} LIKE {}", self.pretty(x, scope), self.pretty(p, scope)),
            ColKind::Like(x, p, LikeKind::RLike) => format!("RLIKE({}, {})", self.pretty(x, scope), self.pretty(p, scope)),
            ColKind::Like(x, p, LikeKind::ILike) => format!("ilike({}, {})", self.pretty(x, scope), self.pretty(p, scope)),
            ColKind::Case { branches, otherwise } => {
                let mut s = "CASE".to_string();
                for (cond, v) in branches {
                    s.push_str(&format!(" WHEN {} THEN {}", self.pretty(cond, scope), self.pretty(v, scope)));
                }
                if let Some(o) = otherwise {
                    s.push_str(&format!(" ELSE {}", self.pretty(o, scope)));
                }
                s.push_str(" END");
                s
            }
            ColKind::Alias(x, names) => format!("{} AS {}", self.pretty(x, scope), names.first().cloned().unwrap_or_default()),
            ColKind::Sort { child, .. } => self.pretty(child, scope),
            ColKind::Over(..) => match self.resolve(c, scope, Clause::Select) {
                Ok(e) => pretty_expr(&e, true),
                Err(_) => "window".into(),
            },
            ColKind::Udf { udf, args } => format!("{}({})", udf.name, list(self, args)),
            ColKind::Sql { .. } => match self.resolve(c, scope, Clause::Select) {
                Ok(e) => pretty_expr(&e, false),
                Err(_) => "expr".into(),
            },
        }
    }

    /// A sort order from an `orderBy` argument: `asc()`/`desc()` Columns keep their direction, others are
    /// ascending (`ascending=False` flips them).
    pub fn sort_order(&mut self, c: &Col, scope: &Scope, default_asc: bool) -> Result<SortOrder> {
        match &c.kind {
            ColKind::Sort { child, asc, nulls_first } => {
                let e = self.resolve(child, scope, Clause::OrderBy)?;
                Ok(SortOrder { expr: e, ascending: *asc, nulls_first: *nulls_first })
            }
            _ => {
                let e = self.resolve(c, scope, Clause::OrderBy)?;
                Ok(SortOrder { expr: e, ascending: default_asc, nulls_first: default_asc })
            }
        }
    }
}

/// Replaces placeholder attributes by the pre-resolved expressions they stand for.
fn substitute(e: Expr, temps: &[Expr]) -> Expr {
    if temps.is_empty() {
        return e;
    }
    let low = TEMP_TOP - (temps.len() as u32 - 1);
    e.transform_up(&mut |x| match &x {
        Expr::Attr(a) if a.id >= low && a.name.starts_with("__sc_t") => temps[(TEMP_TOP - a.id) as usize].clone(),
        _ => x,
    })
}

