//! The debug event of each request, in a test binary of its own: `tracing` caches per call
//! site whether anyone listens, and tests running in parallel on other threads would race
//! with the subscriber this test installs for its thread.

mod support;

use timesync_async::{Client, Credentials, Slug, TimeQuery, Username};
use timesync_mock::{MockServer, Seed};

use support::captured::Captured;

fn alice() -> Credentials {
    Credentials::password(Username::new("alice").unwrap(), "alice-pass")
}

/// A `Duration` as its `Debug` shows it, such as `719.616µs` or `1.2s`.
fn is_duration(text: &str) -> bool {
    let number = ["ns", "µs", "ms", "s"]
        .iter()
        .find_map(|unit| text.strip_suffix(unit));
    number.is_some_and(|number| {
        number.parse::<f64>().is_ok() && number.chars().all(|c| c.is_ascii_digit() || c == '.')
    })
}

#[tokio::test]
async fn one_debug_event_per_request_without_the_query() {
    use tracing_subscriber::util::SubscriberInitExt as _;

    let captured = Captured::default();
    let writer = captured.clone();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .set_default();

    let server = MockServer::builder().seed(Seed::Demo).start().unwrap();
    let client = Client::new(server.base_url()).unwrap();
    let token = client.authenticate(alice()).await.unwrap();
    client
        .list_times(&TimeQuery::new().user(Username::new("alice").unwrap()))
        .await
        .unwrap();
    client
        .get_project(&Slug::new("nosuch").unwrap(), false)
        .await
        .unwrap_err();

    let log = captured.text();
    let events: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("timesync request"))
        .collect();
    assert_eq!(events.len(), 3, "{log}");
    assert!(
        events[0].contains("method=POST") && events[0].contains("/v0/login"),
        "{log}"
    );
    assert!(events[0].contains("status=200"), "{log}");
    for event in &events {
        let elapsed = event.split_once(" elapsed=").map(|(_, rest)| rest);
        let elapsed = elapsed.and_then(|rest| rest.split(' ').next());
        assert!(elapsed.is_some_and(is_duration), "{event}");
    }
    assert!(
        events[1].contains("method=GET") && events[1].contains("/v0/times"),
        "{log}"
    );
    assert!(events[2].contains("/v0/projects/nosuch") && events[2].contains("status=404"));
    assert!(!log.contains('?'), "{log}");
    assert!(!log.contains("token="), "{log}");
    assert!(!log.contains(token.expose()), "{log}");
    assert!(!log.contains("alice-pass"), "{log}");
}
