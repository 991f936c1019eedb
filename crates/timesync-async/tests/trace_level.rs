//! What reaches a subscriber that also takes `log` records, as `tracing_subscriber`'s `init`
//! sets up, with `RUST_LOG=trace`. A test binary of its own, since it installs the global
//! subscriber.

mod support;

use timesync_async::{Client, Credentials, NewTime, Slug, TimeQuery, Token, Username};
use timesync_mock::{MockServer, Seed};
use tracing_subscriber::prelude::*;

use support::captured::Captured;

#[tokio::test]
async fn at_trace_level_no_record_carries_the_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::registry()
        .with(tracing_subscriber::filter::LevelFilter::TRACE)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(move || writer.clone()),
        )
        .init();
    let server = MockServer::builder().seed(Seed::Demo).start().unwrap();

    let token = exchange(Client::new(server.base_url()).unwrap()).await;
    let log = captured.take();
    // reqwest's `log` records arrive, and hyper-util's `tracing` events.
    assert!(log.contains(" reqwest::"), "{log}");
    assert!(log.contains(" TRACE hyper_util::"), "{log}");
    assert!(log.contains("timesync request"), "{log}");
    assert_eq!(lines_with(&log, &token), Vec::<&str>::new());

    // Unless the caller's own reqwest client asks for every byte to be logged.
    let verbose = timesync_async::reqwest::Client::builder()
        .connection_verbose(true)
        .build()
        .unwrap();
    let client = Client::builder(server.base_url())
        .http_client(verbose)
        .build()
        .unwrap();
    let token = exchange(client).await;
    let log = captured.take();
    let leaks = lines_with(&log, &token);
    assert!(!leaks.is_empty(), "{log}");
    assert!(
        leaks
            .iter()
            .all(|line| line.contains(" reqwest::connect::verbose: ")),
        "{leaks:#?}"
    );
}

/// Logs in (the token comes back in a body), lists times (it goes in the query string) and
/// logs a time (it goes in the body).
async fn exchange(client: Client) -> Token {
    let alice = Username::new("alice").unwrap();
    let token = client
        .authenticate(Credentials::password(alice.clone(), "alice-pass"))
        .await
        .unwrap();
    client.list_times(&TimeQuery::new()).await.unwrap();
    let gwm = Slug::new("gwm").unwrap();
    let new = NewTime::new(
        "1h".parse().unwrap(),
        alice,
        gwm,
        "2024-04-01".parse().unwrap(),
    )
    .activity(Slug::new("dev").unwrap());
    client.create_time(&new).await.unwrap();
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
