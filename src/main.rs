//! Entry points: the `stagecraft` CLI natively, the Yew app on wasm32. Both only call `stagecraft::pipeline`
//! (and, on wasm32, `stagecraft::view`).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run(std::env::args().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {
    stagecraft::view::run();
}
