//! The blocking client's own layer, with no network: a transport that answers every request
//! from memory. What a call costs here (token, build, send path, debug event, parse) is what
//! the client adds to each request of the end-to-end runs, beside a plain `serde_json` parse of
//! the same answer.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use timesync_blocking::{Client, Transport, TransportError};
use timesync_core::http::{Request, Response};
use timesync_core::{Time, Token, parse_uuid};

/// Answers every request with the same time.
#[derive(Debug)]
struct Canned(Vec<u8>);

impl Transport for Canned {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        black_box(request);
        // Building a 200 with a body cannot fail.
        Ok(Response::builder()
            .status(200)
            .body(self.0.clone())
            .unwrap())
    }
}

fn layer(c: &mut Criterion) {
    let body = timesync_benches::time_body();
    let uuid = parse_uuid("2f8d1c4b-422d-47b1-b991-ce8afe1df211").unwrap();
    let client = Client::builder("http://127.0.0.1:8000/v0")
        .token(Token::new(
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcxNTAwMDAwMH0=.q+8Hk/3vX0c9yZ+a1Wn/Kd2bUeY=",
        ))
        .transport(Arc::new(Canned(body.clone())))
        .build()
        .unwrap();

    let mut group = c.benchmark_group("layer");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("blocking_get_time_canned", |b| {
        b.iter(|| client.get_time(black_box(uuid), false, false).unwrap())
    });
    // What the bare runs do besides IO: copy the answer out of the transport and parse it.
    group.bench_function("copy_and_serde_json_time", |b| {
        b.iter(|| serde_json::from_slice::<Time>(&black_box(&body).clone()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, layer);
criterion_main!(benches);
