//! The debug event under a target filter, as `RUST_LOG=timesync_blocking=debug` sets up: the
//! client copies the path for the event only when a subscriber wants the event, and this
//! checks that a filter by target counts as wanting it. A test binary of its own, for the
//! reason given in `tracing.rs`.

mod support;

use timesync_blocking::{Client, Credentials, Username, Uuid};
use timesync_mock::{MockServer, Seed};

use support::captured::Captured;

#[test]
fn a_target_filter_gets_the_path() {
    use tracing_subscriber::util::SubscriberInitExt as _;

    let captured = Captured::default();
    let writer = captured.clone();
    let _guard = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "warn,timesync_blocking=debug",
        ))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .set_default();

    let server = MockServer::builder().seed(Seed::Demo).start().unwrap();
    let client = Client::new(server.base_url()).unwrap();
    client
        .authenticate(Credentials::password(
            Username::new("alice").unwrap(),
            "alice-pass",
        ))
        .unwrap();
    let nobody = Uuid::from_u128(7);
    client.get_time(nobody, false, false).unwrap_err();

    let log = captured.text();
    let events: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("timesync request"))
        .collect();
    assert_eq!(events.len(), 2, "{log}");
    assert!(events[0].contains("path=\"/v0/login\""), "{log}");
    assert!(
        events[1].contains(&format!("path=\"/v0/times/{nobody}\""))
            && events[1].contains("status=404"),
        "{log}"
    );
    assert!(!log.contains("token="), "{log}");
}
