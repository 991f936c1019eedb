//! The clients end to end against the mock server on 127.0.0.1, each beside the same requests
//! made with its bare transport.
//!
//! Every measured iteration is 1,000 `GET /times/:uuid` of one time over kept-alive
//! connections. The bare variants are configured like the clients' own transports (same
//! timeouts, no redirects):
//!
//! - `bare_parse`: send one prebuilt URL, read the body, check the status,
//!   `serde_json::from_slice::<Time>`. It does the same useful work as the client, but never
//!   builds a request from arguments.
//! - `bare_parse_url_per_request`: as `bare_parse`, building the URL for every request as a
//!   caller that reads different objects must (the token encoded once beforehand).
//! - `bare_same_request`: as `bare_parse_url_per_request`, with the client's `Accept` and
//!   `User-Agent` headers set on the bare transport, so that the same request goes out. The
//!   other bare variants send fewer header bytes (and the server parses fewer). `ours /
//!   bare_same_request` is what our layer costs: building the request from arguments through
//!   the core, token handling, the `Transport` indirection, error mapping, the debug event and
//!   `Prepared`. This is the fair comparison.
//! - `bare_bytes`: send and read the body only; `ours / bare_bytes` also counts the JSON
//!   decoding that any real caller needs.
//!
//! No tracing subscriber is installed, so the clients' debug events are as cheap as they are in
//! an application that does not log them.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use futures_util::stream::{self, StreamExt as _};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use timesync_core::{Api, Credentials, DEFAULT_USER_AGENT, Time, TimeQuery, Token, Username, Uuid};
use timesync_mock::{ADMIN_PASSWORD, ADMIN_USERNAME, MockServer, Seed};
use tokio::runtime::Runtime;

/// Requests per measured iteration.
const REQUESTS: usize = 1_000;
/// Requests in flight at once in the concurrent variants.
const IN_FLIGHT: usize = 32;
/// The clients' default timeouts, given to the bare transports too.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TIMEOUT: Duration = Duration::from_secs(30);

/// The token in a query string: everything but the URI unreserved characters is encoded, as
/// the core does.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A running mock server with a time to read and a token to read it with.
struct Fixture {
    server: MockServer,
    token: Token,
    uuid: Uuid,
    /// `GET /times/:uuid?token=...`, built by hand for the bare transports.
    url: String,
    /// The token percent-encoded once, for the bare variants that build the URL per request.
    encoded_token: String,
}

/// The URL of one time, built per request as a bare caller must (it names the object and
/// carries the token), with the token encoded once beforehand as a careful caller would.
fn time_url(base: &str, uuid: Uuid, encoded_token: &str) -> String {
    format!("{base}/times/{uuid}?token={encoded_token}")
}

impl Fixture {
    fn start() -> Fixture {
        let server = MockServer::builder()
            .seed(Seed::Demo)
            // Tokens contain `+`, `/` and `=`, so that percent-encoding is part of the work.
            .awkward_tokens(true)
            .token_lifetime(Duration::from_secs(4 * 3600))
            .start()
            .expect("the mock server starts on 127.0.0.1");

        // Log in once; every client and bare transport reuses the token.
        let client = timesync_blocking::Client::new(server.base_url()).unwrap();
        let admin = Credentials::password(Username::new(ADMIN_USERNAME).unwrap(), ADMIN_PASSWORD);
        let token = client.authenticate(admin).unwrap();
        let uuid = client.list_times(&TimeQuery::new()).unwrap()[0].uuid;

        let encoded_token = utf8_percent_encode(token.expose(), QUERY_VALUE).to_string();
        let url = time_url(server.base_url(), uuid, &encoded_token);
        // Both sides must send the very same request line.
        let ours = Api::new(server.base_url())
            .unwrap()
            .get_time(&token, uuid, false, false)
            .unwrap();
        assert_eq!(ours.request().uri().to_string(), url);
        // And the headers that the `bare_same_request` variants send too.
        let headers = ours.request().headers();
        assert_eq!(headers.len(), 2);
        assert_eq!(headers["accept"], "application/json");
        assert_eq!(headers["user-agent"], DEFAULT_USER_AGENT);

        Fixture {
            server,
            token,
            uuid,
            url,
            encoded_token,
        }
    }

    fn blocking_client(&self) -> timesync_blocking::Client {
        timesync_blocking::Client::builder(self.server.base_url())
            .token(self.token.clone())
            .build()
            .unwrap()
    }

    fn async_client(&self) -> timesync_async::Client {
        timesync_async::Client::builder(self.server.base_url())
            .token(self.token.clone())
            .build()
            .unwrap()
    }
}

/// A ureq agent set up as the blocking client's default transport is.
fn bare_agent() -> ureq::Agent {
    bare_agent_config().build().new_agent()
}

/// The same, sending the client's `Accept` and `User-Agent` headers.
fn bare_agent_identified() -> ureq::Agent {
    bare_agent_config()
        .user_agent(DEFAULT_USER_AGENT)
        .accept("application/json")
        .build()
        .new_agent()
}

fn bare_agent_config() -> ureq::config::ConfigBuilder<ureq::typestate::AgentScope> {
    ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(TIMEOUT))
        .max_redirects(0)
        .http_status_as_error(false)
}

/// A reqwest client set up as the async client's default transport is.
fn bare_reqwest() -> reqwest::Client {
    bare_reqwest_builder().build().unwrap()
}

/// The same, sending the client's `Accept` and `User-Agent` headers.
fn bare_reqwest_identified() -> reqwest::Client {
    bare_reqwest_builder()
        .user_agent(DEFAULT_USER_AGENT)
        .default_headers(reqwest::header::HeaderMap::from_iter([(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        )]))
        .build()
        .unwrap()
}

fn bare_reqwest_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
}

fn ureq_bytes(agent: &ureq::Agent, url: &str) -> Vec<u8> {
    let mut response = agent.get(url).call().unwrap();
    assert_eq!(response.status(), 200);
    response.body_mut().read_to_vec().unwrap()
}

async fn reqwest_bytes(client: &reqwest::Client, url: &str) -> Vec<u8> {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

fn parse(body: &[u8]) -> Time {
    serde_json::from_slice(body).unwrap()
}

fn runtime() -> Runtime {
    // One thread, like the mock server's: the comparison is between two clients on the same
    // runtime, not between runtimes.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn blocking_sequential(c: &mut Criterion, fixture: &Fixture) {
    let client = fixture.blocking_client();
    let agent = bare_agent();
    let (uuid, url) = (fixture.uuid, fixture.url.as_str());
    assert_eq!(
        client.get_time(uuid, false, false).unwrap(),
        parse(&ureq_bytes(&agent, url))
    );

    let mut group = c.benchmark_group("blocking_1000_sequential");
    configure(&mut group);
    group.bench_function("ours", |b| {
        b.iter(|| {
            for _ in 0..REQUESTS {
                black_box(client.get_time(uuid, false, false).unwrap());
            }
        })
    });
    group.bench_function("bare_parse", |b| {
        b.iter(|| {
            for _ in 0..REQUESTS {
                black_box(parse(&ureq_bytes(&agent, url)));
            }
        })
    });
    let (base, encoded) = (fixture.server.base_url(), fixture.encoded_token.as_str());
    group.bench_function("bare_parse_url_per_request", |b| {
        b.iter(|| {
            for _ in 0..REQUESTS {
                let url = time_url(base, uuid, encoded);
                black_box(parse(&ureq_bytes(&agent, &url)));
            }
        })
    });
    let identified = bare_agent_identified();
    group.bench_function("bare_same_request", |b| {
        b.iter(|| {
            for _ in 0..REQUESTS {
                let url = time_url(base, uuid, encoded);
                black_box(parse(&ureq_bytes(&identified, &url)));
            }
        })
    });
    group.bench_function("bare_bytes", |b| {
        b.iter(|| {
            for _ in 0..REQUESTS {
                black_box(ureq_bytes(&agent, url));
            }
        })
    });
    // ureq 3 resolves the host of every request, pooled connection or not, and with any
    // timeout set it does so on a new thread. Without timeouts it resolves inline: this shows
    // what that thread costs, in the bare transport and in the client alike.
    let untimed = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .new_agent();
    group.bench_function("bare_bytes_untimed", |b| {
        b.iter(|| {
            for _ in 0..REQUESTS {
                black_box(ureq_bytes(&untimed, url));
            }
        })
    });
    group.finish();
}

fn async_sequential(c: &mut Criterion, fixture: &Fixture) {
    let rt = runtime();
    let client = fixture.async_client();
    let bare = bare_reqwest();
    let (uuid, url) = (fixture.uuid, fixture.url.as_str());
    rt.block_on(async {
        let ours = client.get_time(uuid, false, false).await.unwrap();
        assert_eq!(ours, parse(&reqwest_bytes(&bare, url).await));
    });

    let mut group = c.benchmark_group("async_1000_sequential");
    configure(&mut group);
    group.bench_function("ours", |b| {
        b.iter(|| {
            rt.block_on(async {
                for _ in 0..REQUESTS {
                    black_box(client.get_time(uuid, false, false).await.unwrap());
                }
            })
        })
    });
    group.bench_function("bare_parse", |b| {
        b.iter(|| {
            rt.block_on(async {
                for _ in 0..REQUESTS {
                    black_box(parse(&reqwest_bytes(&bare, url).await));
                }
            })
        })
    });
    let (base, encoded) = (fixture.server.base_url(), fixture.encoded_token.as_str());
    group.bench_function("bare_parse_url_per_request", |b| {
        b.iter(|| {
            rt.block_on(async {
                for _ in 0..REQUESTS {
                    let url = time_url(base, uuid, encoded);
                    black_box(parse(&reqwest_bytes(&bare, &url).await));
                }
            })
        })
    });
    let identified = bare_reqwest_identified();
    group.bench_function("bare_same_request", |b| {
        b.iter(|| {
            rt.block_on(async {
                for _ in 0..REQUESTS {
                    let url = time_url(base, uuid, encoded);
                    black_box(parse(&reqwest_bytes(&identified, &url).await));
                }
            })
        })
    });
    group.bench_function("bare_bytes", |b| {
        b.iter(|| {
            rt.block_on(async {
                for _ in 0..REQUESTS {
                    black_box(reqwest_bytes(&bare, url).await);
                }
            })
        })
    });
    group.finish();
}

fn async_in_flight(c: &mut Criterion, fixture: &Fixture) {
    let rt = runtime();
    let client = fixture.async_client();
    let bare = bare_reqwest();
    let (uuid, url) = (fixture.uuid, fixture.url.as_str());

    let mut group = c.benchmark_group("async_1000_32_in_flight");
    configure(&mut group);
    group.bench_function("ours", |b| {
        b.iter(|| {
            rt.block_on(
                stream::iter(0..REQUESTS)
                    .map(|_| client.get_time(uuid, false, false))
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|time| {
                        black_box(time.unwrap());
                        async {}
                    }),
            )
        })
    });
    group.bench_function("bare_parse", |b| {
        b.iter(|| {
            rt.block_on(
                stream::iter(0..REQUESTS)
                    .map(|_| async { parse(&reqwest_bytes(&bare, url).await) })
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|time| {
                        black_box(time);
                        async {}
                    }),
            )
        })
    });
    let (base, encoded) = (fixture.server.base_url(), fixture.encoded_token.as_str());
    group.bench_function("bare_parse_url_per_request", |b| {
        b.iter(|| {
            rt.block_on(
                stream::iter(0..REQUESTS)
                    .map(|_| async {
                        let url = time_url(base, uuid, encoded);
                        parse(&reqwest_bytes(&bare, &url).await)
                    })
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|time| {
                        black_box(time);
                        async {}
                    }),
            )
        })
    });
    let identified = bare_reqwest_identified();
    group.bench_function("bare_same_request", |b| {
        b.iter(|| {
            rt.block_on(
                stream::iter(0..REQUESTS)
                    .map(|_| async {
                        let url = time_url(base, uuid, encoded);
                        parse(&reqwest_bytes(&identified, &url).await)
                    })
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|time| {
                        black_box(time);
                        async {}
                    }),
            )
        })
    });
    group.bench_function("bare_bytes", |b| {
        b.iter(|| {
            rt.block_on(
                stream::iter(0..REQUESTS)
                    .map(|_| reqwest_bytes(&bare, url))
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|body| {
                        black_box(body);
                        async {}
                    }),
            )
        })
    });
    group.finish();
}

/// Ten samples of equal size, about three seconds each variant: 1,000 requests take tens of
/// milliseconds, and the whole suite should finish in a few minutes on two cores.
fn configure(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
}

fn e2e(c: &mut Criterion) {
    let fixture = Fixture::start();
    blocking_sequential(c, &fixture);
    async_sequential(c, &fixture);
    async_in_flight(c, &fixture);
}

criterion_group!(benches, e2e);
criterion_main!(benches);
