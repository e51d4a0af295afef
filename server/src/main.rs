//! `liaison`: see `liaison --help`. All logic lives in the library so tests can reach it.

fn main() -> std::process::ExitCode {
    liaison::app::cli::main()
}
