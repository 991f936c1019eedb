//! Peak heap use while parsing a 10,000-entry `GET /times` answer, which criterion cannot
//! measure. Prints one line; `cargo bench -p timesync-benches` runs it with the others.

#![allow(clippy::print_stderr)]

use std::hint::black_box;

use timesync_benches::peak::PeakAlloc;
use timesync_core::http::Response;
use timesync_core::{Time, response};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc::new();

const COUNT: usize = 10_000;

fn main() {
    let base = ALLOC.current();
    let body = timesync_benches::times_body(COUNT);
    let body_len = body.len();
    let answer = Response::builder().status(200).body(body).unwrap();

    // The answer is in memory, as a transport hands it over; the parse consumes it.
    let before = ALLOC.current();
    ALLOC.reset();
    let times = response::json_list::<Time>(answer).unwrap();
    let peak = ALLOC.peak() - base;
    let above_answer = ALLOC.peak() - before;
    let kept = ALLOC.current() - base;
    assert_eq!(black_box(&times).len(), COUNT);

    eprintln!(
        "peak bytes during parse of {COUNT} times: {peak} (body {body_len} bytes; \
         {above_answer} bytes on top of the answer at the peak; the Vec<Time> keeps {kept} \
         bytes, {} per time inline)",
        size_of::<Time>()
    );
}
