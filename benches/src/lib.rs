//! What the benchmark targets of timesync-rs share: a generated `GET /times` body and an
//! allocator that records the peak of the heap.
//!
//! Run the benchmarks with `cargo bench -p timesync-benches`; `benches/README.md` has the
//! numbers and what they mean.

pub mod peak;

use serde_json::{Value, json};

/// Users, projects, activities and notes the generated times cycle through. Some notes are
/// not ASCII, as real notes are, so that the parser's UTF-8 and escape paths are exercised.
const USERS: [&str; 5] = ["alice", "bob", "carol_w", "d-nguyen", "erin~ops"];
const PROJECTS: [&[&str]; 4] = [
    &["gwm", "ganeti-webmgr"],
    &["pgd"],
    &["timesync", "ts", "time-sync"],
    &["osl-infra"],
];
const ACTIVITIES: [&[&str]; 4] = [&["dev"], &["docs", "review"], &["sys"], &[]];
const NOTES: [Option<&str>; 6] = [
    Some("Fixed the login redirect loop"),
    Some("Überarbeitung der Doku für die Ganeti-Seite — naïve café, 日本語のメモ"),
    Some(""),
    None,
    Some("Reviewed \"paging\" PR; left comments on the\nretry policy"),
    Some("Ремонт сервера, заменил диск 🙂"),
];

/// A `GET /times` answer of `count` times, shaped as the reference server sends them: every
/// `project` a list of slugs, `updated_at` and `deleted_at` mostly `null`, and a few
/// revisions above 1.
///
/// The content is a function of the index only, so every run parses the same bytes.
pub fn times_body(count: usize) -> Vec<u8> {
    let times: Vec<Value> = (0..count).map(time).collect();
    // A vector of JSON values always serializes.
    serde_json::to_vec(&times).expect("json values serialize")
}

/// A `GET /times/:uuid` answer: one time of the same shape, with notes that need escapes.
pub fn time_body() -> Vec<u8> {
    // A JSON value always serializes.
    serde_json::to_vec(&time(4)).expect("json values serialize")
}

fn time(i: usize) -> Value {
    let revision = 1 + u32::from(i.is_multiple_of(7)) + u32::from(i.is_multiple_of(49));
    let day = 1 + i % 28;
    let month = 1 + (i / 28) % 12;
    let updated_at = if revision > 1 {
        json!(format!("2024-{month:02}-{:02}", (day % 28) + 1))
    } else {
        Value::Null
    };
    let issue_uri = if i.is_multiple_of(3) {
        Value::Null
    } else {
        json!(format!(
            "https://github.com/osuosl/timesync-node/issues/{}",
            100 + i % 400
        ))
    };
    json!({
        "uuid": format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", i as u32 ^ 0x5a5a_5a5a, i % 0xffff, i % 0xfff, (i * 7) % 0xfff, (i as u64).wrapping_mul(0x9e37_79b9_7f4a) & 0xffff_ffff_ffff),
        "revision": revision,
        "duration": 900 + (i % 32) * 450,
        "user": USERS[i % USERS.len()],
        "project": PROJECTS[i % PROJECTS.len()],
        "activities": ACTIVITIES[i % ACTIVITIES.len()],
        "notes": NOTES[i % NOTES.len()],
        "issue_uri": issue_uri,
        "date_worked": format!("2024-{month:02}-{day:02}"),
        "created_at": format!("2024-{month:02}-{day:02}"),
        "updated_at": updated_at,
        "deleted_at": null,
    })
}
