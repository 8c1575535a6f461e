//! Dev helper: prints the analyzed plan of a scenario's query.
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let s = stagecraft::scenario::Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut ids = stagecraft::logical::expr::IdGen::default();
    match stagecraft::input::sql::analyze_query_text(&s.query.text, &s, &mut ids) {
        Ok(p) => print!("{p}"),
        Err(e) => println!("ERR {e}"),
    }
}
