//! The native `stagecraft` CLI (being written).
pub fn run(_args: Vec<String>) -> i32 {
    0
}
