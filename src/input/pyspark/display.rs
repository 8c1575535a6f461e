//! Debug printing of the PySpark AST as canonical, fully parenthesised Python (`((a == 1) & (b == 2))`), one
//! statement per line. Printing then re-parsing gives the same text (a property the tests rely on). It knows
//! nothing of spans or of what the code means; lambda bodies print from the AST, not from `body_text`.

use super::ast::*;
use std::fmt::{self, Display, Formatter, Write};

fn join<T: Display>(f: &mut Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{it}")?;
    }
    Ok(())
}

impl Display for Program {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for s in &self.stmts {
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Display for DottedName {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        join(f, &self.parts, ".")
    }
}

impl Display for ImportAlias {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        match &self.alias {
            Some(a) => write!(f, " as {a}"),
            None => Ok(()),
        }
    }
}

impl Display for Param {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        match &self.annotation {
            Some(a) => write!(f, ": {a}"),
            None => Ok(()),
        }
    }
}

impl Display for Stmt {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StmtKind::Expr(e) => write!(f, "{e}"),
            StmtKind::Assign { target, value } => write!(f, "{target} = {value}"),
            StmtKind::Import(names) => {
                f.write_str("import ")?;
                join(f, names, ", ")
            }
            StmtKind::FromImport { module, names: ImportNames::Star(_) } => write!(f, "from {module} import *"),
            StmtKind::FromImport { module, names: ImportNames::Names(names) } => {
                write!(f, "from {module} import ")?;
                join(f, names, ", ")
            }
            StmtKind::Udf(u) => {
                write!(f, "@{}\ndef {}(", u.decorator, u.name)?;
                join(f, &u.params, ", ")?;
                f.write_str(")")?;
                if let Some(r) = &u.returns {
                    write!(f, " -> {r}")?;
                }
                if u.body_span.start.line == u.name.span.start.line {
                    return write!(f, ": {}", u.body);
                }
                let indent = " ".repeat(u.body_span.start.col.saturating_sub(1).max(1) as usize);
                write!(f, ":\n{indent}{}", u.body)
            }
        }
    }
}

/// Writes `s` as a double-quoted Python string literal.
fn write_str_literal(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 || c as u32 == 0x7f => write!(f, "\\x{:02x}", c as u32)?,
            c if c.is_control() => write!(f, "\\U{:08x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Name(n) => f.write_str(n),
            ExprKind::Int(v) => write!(f, "{v}"),
            ExprKind::Float(v) if v.is_finite() => write!(f, "{v:?}"),
            ExprKind::Float(_) => f.write_str("1e999"),
            ExprKind::Str(s) => write_str_literal(f, s),
            ExprKind::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
            ExprKind::None => f.write_str("None"),
            ExprKind::List(items) => {
                f.write_str("[")?;
                join(f, items, ", ")?;
                f.write_str("]")
            }
            ExprKind::Tuple(items) => {
                f.write_str("(")?;
                join(f, items, ", ")?;
                f.write_str(if items.len() == 1 { ",)" } else { ")" })
            }
            ExprKind::Dict(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    write!(f, "{}{k}: {v}", if i > 0 { ", " } else { "" })?;
                }
                f.write_str("}")
            }
            ExprKind::Attribute { value, attr } => match value.kind {
                ExprKind::Int(_) | ExprKind::Float(_) => write!(f, "({value}).{attr}"),
                _ => write!(f, "{value}.{attr}"),
            },
            ExprKind::Call { func, args, keywords } => {
                write!(f, "{func}(")?;
                join(f, args, ", ")?;
                for (i, k) in keywords.iter().enumerate() {
                    let sep = if i > 0 || !args.is_empty() { ", " } else { "" };
                    write!(f, "{sep}{}={}", k.name, k.value)?;
                }
                f.write_str(")")
            }
            ExprKind::Subscript { value, index } => match &index.kind {
                ExprKind::Tuple(items) if !items.is_empty() => {
                    write!(f, "{value}[")?;
                    join(f, items, ", ")?;
                    f.write_str(if items.len() == 1 { ",]" } else { "]" })
                }
                _ => write!(f, "{value}[{index}]"),
            },
            ExprKind::Slice { lower, upper, step } => {
                if let Some(l) = lower {
                    write!(f, "{l}")?;
                }
                f.write_str(":")?;
                if let Some(u) = upper {
                    write!(f, "{u}")?;
                }
                if let Some(s) = step {
                    write!(f, ":{s}")?;
                }
                Ok(())
            }
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Neg => write!(f, "(-{operand})"),
                UnaryOp::Pos => write!(f, "(+{operand})"),
                UnaryOp::Invert => write!(f, "(~{operand})"),
                UnaryOp::Not => write!(f, "(not {operand})"),
            },
            ExprKind::Binary { op, left, right } => write!(f, "({left} {} {right})", op.symbol()),
            ExprKind::BoolOp { op, left, right } => {
                write!(f, "({left} {} {right})", if *op == BoolOp::And { "and" } else { "or" })
            }
            ExprKind::Compare { left, ops } => {
                write!(f, "({left}")?;
                for (op, e) in ops {
                    write!(f, " {} {e}", op.symbol())?;
                }
                f.write_str(")")
            }
            ExprKind::IfElse { body, test, orelse } => write!(f, "({body} if {test} else {orelse})"),
            ExprKind::Lambda { params, body, .. } => {
                f.write_str("(lambda")?;
                for (i, p) in params.iter().enumerate() {
                    write!(f, "{}{p}", if i > 0 { ", " } else { " " })?;
                }
                write!(f, ": {body})")
            }
            ExprKind::ListComp { elt, targets, iter, conds } => {
                write!(f, "[{elt} for ")?;
                join(f, targets, ", ")?;
                write!(f, " in {iter}")?;
                for c in conds {
                    write!(f, " if {c}")?;
                }
                f.write_str("]")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_program;

    fn show(src: &str) -> String {
        parse_program(src).unwrap().to_string()
    }

    #[test]
    fn prints_canonical_python() {
        assert_eq!(show("x = -2 ** -1"), "x = (-(2 ** (-1)))\n");
        assert_eq!(show("f(a, b=1,)"), "f(a, b=1)\n");
        assert_eq!(show("d['a', 1:2]"), "d[\"a\", 1:2]\n");
        assert_eq!(show("t = (1,)"), "t = (1,)\n");
        assert_eq!(show("s = 'a\"\\n'"), "s = \"a\\\"\\n\"\n");
        assert_eq!(show("import a.b as c, d"), "import a.b as c, d\n");
        assert_eq!(show("from m import (x as y, z,)"), "from m import x as y, z\n");
        assert_eq!(show("g = lambda: 1.5e300 * 10"), "g = (lambda: (1.5e300 * 10))\n");
    }

    #[test]
    fn udf_round_trips() {
        let src = "@udf('int')\ndef f(x: int) -> int:\n    y = x + 1\n    return y\n";
        let once = show(src);
        assert_eq!(once, "@udf(\"int\")\ndef f(x: int) -> int:\n    y = x + 1\n    return y\n");
        assert_eq!(show(&once), once);
        let inline = show("@F.udf\ndef g(a): return a * 2\n");
        assert_eq!(inline, "@F.udf\ndef g(a): return a * 2\n");
    }
}
