//! `inforce`: the register and publication system for versioned codes, on the command line. This crate is glue:
//! it reads arguments (`cli`, `args`), resolves the global flags once (`env`), runs one command (`commands`, one
//! module per group over the core, store and presentation crates) and maps every failure to an exit status
//! (`failure`).

#![forbid(unsafe_code)]

mod args;
mod cli;
mod commands;
mod db;
mod env;
mod failure;
mod fetch;
mod kept;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::failure::exit;

/// mimalloc rather than the system allocator: glibc keeps what the threads of concurrent streamed answers freed
/// in per-thread arenas, which held `serve` at its memory goal's edge (`bench/load.sh`, section 8).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server spreads requests over every core; one-shot commands need one thread.
    let mut builder = match cli.command {
        Command::Serve(_) => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("inforce: cannot start: {e}");
            return ExitCode::from(exit::ENVIRONMENT);
        }
    };
    let outcome = runtime.block_on(commands::run(cli));
    // Work still running on blocking threads (an abandoned comparison, a store call during an outage) does not
    // hold the exit: `serve` has already given its requests their shutdown deadline.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("inforce: {}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}
