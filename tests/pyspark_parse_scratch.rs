//! scratch (deleted before hand-off)
use stagecraft::input::pyspark::*;
#[test]
fn dump() {
    use std::mem::size_of;
    eprintln!("Expr {} ExprKind {} Res {} Diag {} Ident {} Keyword {} Stmt {}", size_of::<Expr>(), size_of::<ExprKind>(), size_of::<Result<Expr, stagecraft::error::Diagnostic>>(), size_of::<stagecraft::error::Diagnostic>(), size_of::<Ident>(), size_of::<Keyword>(), size_of::<Stmt>());
}
