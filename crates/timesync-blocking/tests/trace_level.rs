//! What reaches a subscriber that also takes `log` records, as `tracing_subscriber`'s `init`
//! sets up, with `RUST_LOG=trace` and with the filters the crate docs advise. A test binary of
//! its own, since it installs the global subscriber.

mod support;

use timesync_blocking::{Client, Credentials, NewTime, Slug, TimeQuery, Token, Username};
use timesync_mock::{MockServer, Seed};
use tracing_subscriber::prelude::*;
use tracing_subscriber::{EnvFilter, reload};

use support::captured::Captured;

#[test]
fn at_trace_level_only_ureqs_own_records_carry_the_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let (filter, handle) = reload::Layer::new(EnvFilter::new("trace"));
    tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(move || writer.clone()),
        )
        .init();
    let server = MockServer::builder().seed(Seed::Demo).start().unwrap();

    let token = exchange(&server);
    let log = captured.take();
    let leaks = lines_with(&log, &token);
    assert!(
        leaks.iter().any(|line| line.contains(" ureq::run: GET ")),
        "ureq no longer logs the token: update the crate docs and the FIXME\n{log}"
    );
    let others: Vec<_> = leaks
        .iter()
        .filter(|line| !line.contains(" ureq::") && !line.contains(" ureq_proto::"))
        .collect();
    assert!(others.is_empty(), "{others:#?}");

    for directives in [
        "debug",
        "debug,ureq=info,ureq_proto=info",
        "trace,ureq=debug,ureq_proto=debug",
    ] {
        handle.reload(EnvFilter::new(directives)).unwrap();
        let token = exchange(&server);
        let log = captured.take();
        assert!(log.contains("timesync request"), "{directives}\n{log}");
        assert_eq!(lines_with(&log, &token), Vec::<&str>::new(), "{directives}");
    }
}

/// Logs in (the token comes back in a body), lists times (it goes in the query string) and
/// logs a time (it goes in the body), with a client of its own.
fn exchange(server: &MockServer) -> Token {
    let alice = Username::new("alice").unwrap();
    let client = Client::new(server.base_url()).unwrap();
    let token = client
        .authenticate(Credentials::password(alice.clone(), "alice-pass"))
        .unwrap();
    client.list_times(&TimeQuery::new()).unwrap();
    let gwm = Slug::new("gwm").unwrap();
    let new = NewTime::new(
        "1h".parse().unwrap(),
        alice,
        gwm,
        "2024-04-01".parse().unwrap(),
    )
    .activity(Slug::new("dev").unwrap());
    client.create_time(&new).unwrap();
    token
}

/// The lines that show `token=` or a part of the token's signature long enough to count:
/// hex dumps show 16 bytes a line.
fn lines_with<'a>(log: &'a str, token: &Token) -> Vec<&'a str> {
    let signature = token.expose().rsplit('.').next().unwrap().as_bytes();
    let parts: Vec<&str> = signature
        .windows(12)
        .map(|part| std::str::from_utf8(part).unwrap())
        .collect();
    log.lines()
        .filter(|line| line.contains("token=") || parts.iter().any(|part| line.contains(part)))
        .collect()
}
