use chibo::cli::{Cli, LogFormat};
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// jemalloc instead of glibc's malloc (issue 14, docs/benchmarks.md "Where
/// the memory goes"): glibc keeps an arena per thread and, once a large block
/// was freed, raises its mmap threshold, so later large blocks (argon2's
/// 19 MiB work areas, a dashboard's rows) stay resident in those arenas after
/// they are freed: the idle server held 87 MiB instead of 32. jemalloc gives
/// blocks over 8 MiB back at once and other freed pages after a few seconds.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Err(e) = chibo::config::apply(&mut cli, &matches) {
        eprintln!("Lỗi: {e:#}");
        return ExitCode::FAILURE;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("chibo=info,tower_http=info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
    // lettre's TLS needs a process-wide crypto provider, chosen once.
    chibo::mail::install_crypto();
    match chibo::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
