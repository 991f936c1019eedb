//! The async client with 32 requests in flight beside bare reqwest, measured two ways that are
//! steadier than the `e2e` bench's criterion groups, which run one variant for seconds, then
//! the next, and move by about 5% from run to run on a shared two-core machine.
//!
//! - **Wall time, interleaved**: `--rounds N` runs every chosen variant once per round, in
//!   turn (the order rotates each round), N rounds, and prints each variant's median and the
//!   median of the per-round ratios `ours / bare`. Load that comes and goes hits both sides of
//!   a ratio alike.
//! - **Instructions**: without `--rounds`, each variant runs once inside its own function,
//!   for `valgrind --tool=callgrind`, which counts instructions per thread and repeats to the
//!   instruction for the same binary and inputs. The client's thread is the first one.
//!
//! ```sh
//! cargo bench -p timesync-benches --bench in_flight -- --rounds 200
//! cargo bench -p timesync-benches --bench in_flight --no-run   # prints the binary's path
//! valgrind --tool=callgrind --separate-threads=yes --collect-atstart=no \
//!     --toggle-collect='in_flight::measure_*' <binary>
//! callgrind_annotate --inclusive=yes callgrind.out.<pid>-01 | grep measure_
//! ```
//!
//! The other arguments pick the variants (all by default): `ours` (the async client's
//! `get_time`), `bare_parse` (one prebuilt URL), `bare_parse_url_per_request` (the URL built per
//! request), `bare_same_request` (as the last, with the client's `Accept` and `User-Agent`
//! set on the reqwest client, so that the same headers go out), `bare_bytes` (one prebuilt URL,
//! no parsing). A measured run is 1,000 `GET /times/:uuid` with 32 in flight, as in the `e2e`
//! bench, after 100 to open the connections. All variants share one mock server, one token and
//! one current-thread runtime.

// A bench binary reports on the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt as _};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, USER_AGENT};
use timesync_core::{Api, Credentials, DEFAULT_USER_AGENT, Time, TimeQuery, Username, Uuid};
use timesync_mock::{ADMIN_PASSWORD, ADMIN_USERNAME, MockServer, Seed};
use tokio::runtime::Runtime;

const REQUESTS: usize = 1_000;
const WARM_UP: usize = 100;
const IN_FLIGHT: usize = 32;

/// The token in a query string, encoded as the core encodes it.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Variant {
    Ours,
    BareParse,
    BareParseUrlPerRequest,
    BareSameRequest,
    BareBytes,
}

impl Variant {
    const ALL: [Variant; 5] = [
        Variant::Ours,
        Variant::BareParse,
        Variant::BareParseUrlPerRequest,
        Variant::BareSameRequest,
        Variant::BareBytes,
    ];

    fn name(self) -> &'static str {
        match self {
            Variant::Ours => "ours",
            Variant::BareParse => "bare_parse",
            Variant::BareParseUrlPerRequest => "bare_parse_url_per_request",
            Variant::BareSameRequest => "bare_same_request",
            Variant::BareBytes => "bare_bytes",
        }
    }

    fn from_arg(arg: &str) -> Option<Variant> {
        Variant::ALL
            .into_iter()
            .find(|variant| variant.name() == arg)
    }
}

struct Setup {
    client: timesync_async::Client,
    bare: reqwest::Client,
    /// Sends the client's `Accept` and `User-Agent` headers with every request.
    bare_identified: reqwest::Client,
    base: String,
    uuid: Uuid,
    encoded_token: String,
    url: String,
}

async fn run(setup: &Setup, variant: Variant, requests: usize) {
    let Setup {
        client,
        bare,
        bare_identified,
        base,
        uuid,
        encoded_token,
        url,
    } = setup;
    let uuid = *uuid;
    let requests = stream::iter(0..requests);
    match variant {
        Variant::Ours => {
            requests
                .map(|_| client.get_time(uuid, false, false))
                .buffer_unordered(IN_FLIGHT)
                .for_each(|time| {
                    black_box(time.unwrap());
                    async {}
                })
                .await
        }
        Variant::BareParse => {
            requests
                .map(|_| async { parse(&reqwest_bytes(bare, url).await) })
                .buffer_unordered(IN_FLIGHT)
                .for_each(|time| {
                    black_box(time);
                    async {}
                })
                .await
        }
        Variant::BareParseUrlPerRequest | Variant::BareSameRequest => {
            let bare = if variant == Variant::BareSameRequest {
                bare_identified
            } else {
                bare
            };
            requests
                .map(|_| async {
                    let url = format!("{base}/times/{uuid}?token={encoded_token}");
                    parse(&reqwest_bytes(bare, &url).await)
                })
                .buffer_unordered(IN_FLIGHT)
                .for_each(|time| {
                    black_box(time);
                    async {}
                })
                .await
        }
        Variant::BareBytes => {
            requests
                .map(|_| reqwest_bytes(bare, url))
                .buffer_unordered(IN_FLIGHT)
                .for_each(|body| {
                    black_box(body);
                    async {}
                })
                .await
        }
    }
}

/// The measured parts, one function per variant so that callgrind's `--toggle-collect` can
/// name them and its report gives each its own inclusive count.
#[inline(never)]
fn measure_ours(rt: &Runtime, setup: &Setup) -> Duration {
    timed(rt, setup, Variant::Ours)
}

#[inline(never)]
fn measure_bare_parse(rt: &Runtime, setup: &Setup) -> Duration {
    timed(rt, setup, Variant::BareParse)
}

#[inline(never)]
fn measure_bare_parse_url_per_request(rt: &Runtime, setup: &Setup) -> Duration {
    timed(rt, setup, Variant::BareParseUrlPerRequest)
}

#[inline(never)]
fn measure_bare_same_request(rt: &Runtime, setup: &Setup) -> Duration {
    timed(rt, setup, Variant::BareSameRequest)
}

#[inline(never)]
fn measure_bare_bytes(rt: &Runtime, setup: &Setup) -> Duration {
    timed(rt, setup, Variant::BareBytes)
}

fn timed(rt: &Runtime, setup: &Setup, variant: Variant) -> Duration {
    let started = Instant::now();
    rt.block_on(run(setup, variant, REQUESTS));
    started.elapsed()
}

/// A reqwest client set up as the async client's default transport is.
fn bare_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
}

async fn reqwest_bytes(client: &reqwest::Client, url: &str) -> Vec<u8> {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

fn parse(body: &[u8]) -> Time {
    serde_json::from_slice(body).unwrap()
}

fn main() {
    // `cargo bench` passes `--bench`; `--rounds N` asks for interleaved wall times; the other
    // arguments are variants, all by default.
    let mut args = std::env::args().skip(1);
    let mut variants = Vec::new();
    let mut rounds = None;
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds = args
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|&n| n > 0);
            if rounds.is_none() {
                usage();
            }
        } else if arg.starts_with("--") {
            continue;
        } else if let Some(variant) = Variant::from_arg(&arg) {
            variants.push(variant);
        } else {
            usage();
        }
    }
    if variants.is_empty() {
        variants = Variant::ALL.to_vec();
    }

    let server = MockServer::builder()
        .seed(Seed::Demo)
        .awkward_tokens(true)
        .token_lifetime(Duration::from_secs(4 * 3600))
        .start()
        .expect("the mock server starts on 127.0.0.1");
    let login = timesync_blocking::Client::new(server.base_url()).unwrap();
    let admin = Credentials::password(Username::new(ADMIN_USERNAME).unwrap(), ADMIN_PASSWORD);
    // One token for every variant: how many characters it has to encode changes the counts.
    let token = login.authenticate(admin).unwrap();
    let uuid = login.list_times(&TimeQuery::new()).unwrap()[0].uuid;
    let encoded_token = utf8_percent_encode(token.expose(), QUERY_VALUE).to_string();
    let base = server.base_url().to_owned();
    let url = format!("{base}/times/{uuid}?token={encoded_token}");
    // The same request line as the core builds, and the headers `bare_same_request` copies.
    let ours = Api::new(&base)
        .unwrap()
        .get_time(&token, uuid, false, false)
        .unwrap();
    assert_eq!(ours.request().uri().to_string(), url);
    assert_eq!(
        ours.request().headers(),
        &HeaderMap::from_iter([
            (ACCEPT, HeaderValue::from_static("application/json")),
            (USER_AGENT, HeaderValue::from_static(DEFAULT_USER_AGENT)),
        ])
    );

    let setup = Setup {
        client: timesync_async::Client::builder(&base)
            .token(token)
            .build()
            .unwrap(),
        bare: bare_builder().build().unwrap(),
        bare_identified: bare_builder()
            .user_agent(DEFAULT_USER_AGENT)
            .default_headers(HeaderMap::from_iter([(
                ACCEPT,
                HeaderValue::from_static("application/json"),
            )]))
            .build()
            .unwrap(),
        base,
        uuid,
        encoded_token,
        url,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for &variant in &variants {
        // Open the connections and fill the pools before measuring.
        rt.block_on(run(&setup, variant, WARM_UP));
    }
    match rounds {
        None => {
            for variant in variants {
                let elapsed = match variant {
                    Variant::Ours => measure_ours(&rt, &setup),
                    Variant::BareParse => measure_bare_parse(&rt, &setup),
                    Variant::BareParseUrlPerRequest => {
                        measure_bare_parse_url_per_request(&rt, &setup)
                    }
                    Variant::BareSameRequest => measure_bare_same_request(&rt, &setup),
                    Variant::BareBytes => measure_bare_bytes(&rt, &setup),
                };
                eprintln!("{variant:?}: {REQUESTS} requests, {IN_FLIGHT} in flight, {elapsed:?}");
            }
        }
        Some(rounds) => interleaved(&rt, &setup, &variants, rounds),
    }
}

/// Runs `rounds` rounds of every variant, rotating the order, and prints the medians.
fn interleaved(rt: &Runtime, setup: &Setup, variants: &[Variant], rounds: usize) {
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); variants.len()];
    for round in 0..rounds {
        for turn in 0..variants.len() {
            let index = (round + turn) % variants.len();
            times[index].push(timed(rt, setup, variants[index]).as_secs_f64() * 1e3);
        }
    }
    println!(
        "{rounds} rounds of {REQUESTS} requests with {IN_FLIGHT} in flight, variants interleaved"
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10}",
        "variant", "median ms", "p10 ms", "p90 ms"
    );
    for (variant, samples) in variants.iter().zip(&times) {
        println!(
            "{:<28} {:>10.2} {:>10.2} {:>10.2}",
            variant.name(),
            quantile(samples, 0.5),
            quantile(samples, 0.1),
            quantile(samples, 0.9)
        );
    }
    let Some(ours) = variants.iter().position(|&v| v == Variant::Ours) else {
        return;
    };
    for (index, variant) in variants.iter().enumerate() {
        if index == ours {
            continue;
        }
        let ratios: Vec<f64> = times[ours]
            .iter()
            .zip(&times[index])
            .map(|(ours, bare)| ours / bare)
            .collect();
        println!(
            "ours / {:<26} median of per-round ratios {:.3} (p10 {:.3}, p90 {:.3}); ratio of medians {:.3}",
            variant.name(),
            quantile(&ratios, 0.5),
            quantile(&ratios, 0.1),
            quantile(&ratios, 0.9),
            quantile(&times[ours], 0.5) / quantile(&times[index], 0.5)
        );
    }
}

/// The `q` quantile of `samples` (nearest rank); `samples` is not empty.
fn quantile(samples: &[f64], q: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[rank]
}

fn usage() -> ! {
    eprintln!(
        "usage: in_flight [--rounds N] [ours|bare_parse|bare_parse_url_per_request|bare_same_request|bare_bytes]..."
    );
    std::process::exit(2);
}
