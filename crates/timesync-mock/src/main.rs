//! `timesync-mock`: serves an in-memory TimeSync API on 127.0.0.1 until Ctrl-C, for testing
//! clients in any language. See the crate docs of `timesync_mock` for what it serves.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use timesync_mock::{ADMIN_PASSWORD, ADMIN_USERNAME, MockServer, Paging, Seed, demo_accounts};
use tracing_subscriber::EnvFilter;

/// An in-memory TimeSync server on 127.0.0.1, for testing TimeSync clients.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Data to start with: one admin, or the documented demo data set.
    #[arg(long, value_enum, default_value_t = SeedArg::Empty)]
    seed: SeedArg,
    /// How list endpoints treat skip and limit: as the spec says, or ignored like
    /// timesync-node 0.1.2.
    #[arg(long, value_enum, default_value_t = PagingArg::Spec)]
    paging: PagingArg,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = timesync_mock::DEFAULT_TOKEN_LIFETIME.as_secs())]
    token_lifetime: u64,
    /// Issue only tokens that contain '+', '/' and '=' (they must be percent-encoded).
    #[arg(long)]
    awkward_tokens: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SeedArg {
    Empty,
    Demo,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PagingArg {
    Spec,
    Reference,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("timesync_mock=debug"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .init();

    let seed = match args.seed {
        SeedArg::Empty => Seed::Empty,
        SeedArg::Demo => Seed::Demo,
    };
    let paging = match args.paging {
        PagingArg::Spec => Paging::Spec,
        PagingArg::Reference => Paging::IgnoreSkipLimit,
    };
    let server = MockServer::builder()
        .port(args.port)
        .seed(seed)
        .paging(paging)
        .token_lifetime(Duration::from_secs(args.token_lifetime))
        .awkward_tokens(args.awkward_tokens)
        .start();
    let server = match server {
        Ok(server) => server,
        Err(error) => {
            let _ = writeln!(io::stderr(), "timesync-mock: {error}");
            return ExitCode::FAILURE;
        }
    };

    if announce(&server, seed).is_err() {
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = writeln!(
                io::stderr(),
                "timesync-mock: cannot wait for Ctrl-C: {error}"
            );
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = runtime.block_on(tokio::signal::ctrl_c()) {
        let _ = writeln!(
            io::stderr(),
            "timesync-mock: cannot wait for Ctrl-C: {error}"
        );
        return ExitCode::FAILURE;
    }
    drop(server);
    ExitCode::SUCCESS
}

/// Prints the base URL and the accounts on stdout.
fn announce(server: &MockServer, seed: Seed) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "timesync-mock listening on {}", server.base_url())?;
    writeln!(out, "accounts (username / password: role):")?;
    match seed {
        Seed::Demo => {
            for account in demo_accounts() {
                writeln!(
                    out,
                    "  {} / {}: {}",
                    account.username, account.password, account.role
                )?;
            }
        }
        Seed::Empty => writeln!(out, "  {ADMIN_USERNAME} / {ADMIN_PASSWORD}: site admin")?,
    }
    writeln!(out, "press Ctrl-C to stop")?;
    out.flush()
}
