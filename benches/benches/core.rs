//! The protocol core alone: building each kind of request, and parsing a 10,000-entry
//! `GET /times` answer.

use std::hint::black_box;
use std::time::Duration as StdDuration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use timesync_core::http::Response;
use timesync_core::{
    Api, Credentials, Duration, NewProject, NewTime, NewUser, Page, PasswordHash, ProjectQuery,
    ProjectRoles, Slug, SlugList, Time, TimeQuery, TimeUpdate, Token, UserQuery, Username,
    parse_uuid, response,
};

/// A token of the shape the mock server signs, with `+`, `/` and `=` to percent-encode.
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcxNTAwMDAwMH0=.\
                     q+8Hk/3vX0c9yZ+a1Wn/Kd2bUeY=";

fn build(c: &mut Criterion) {
    let api = Api::new("http://127.0.0.1:8000/v0").unwrap();
    let token = Token::new(TOKEN);
    let alice = Username::new("alice").unwrap();
    let gwm = Slug::new("ganeti-webmgr").unwrap();
    let dev = Slug::new("dev").unwrap();
    let uuid = parse_uuid("2f8d1c4b-422d-47b1-b991-ce8afe1df211").unwrap();
    let day = |text: &str| text.parse().unwrap();
    // bcrypt at cost 10 takes tens of milliseconds; hash once, outside the measurement.
    let hash = PasswordHash::bcrypt_with_salt(&"s3cret pass".into(), [7; 16]).unwrap();

    let time_query = TimeQuery::new()
        .user(alice.clone())
        .user(Username::new("bob").unwrap())
        .project(gwm.clone())
        .activity(dev.clone())
        .start(day("2024-05-06"))
        .end(day("2024-05-12"))
        .include_revisions(true)
        .page(Page::new(25, 25));
    let new_time = NewTime::new(
        Duration::from_hours_minutes(1, 30).unwrap(),
        alice.clone(),
        gwm.clone(),
        day("2024-05-07"),
    )
    .activity(dev.clone())
    .notes("Überarbeitung der Doku — fixed the \"login\" loop")
    .issue_uri("https://github.com/osuosl/ganeti_webmgr/issues/42");
    let time_update = TimeUpdate::new()
        .duration(Duration::from_secs(2700).unwrap())
        .activities(SlugList::parse(["dev", "review"]).unwrap())
        .notes("shorter than I thought");
    let new_project = NewProject::new(
        "Ganeti Web Manager",
        SlugList::parse(["gwm", "ganeti-webmgr"]).unwrap(),
    )
    .uri("https://github.com/osuosl/ganeti_webmgr")
    .default_activity(dev.clone())
    .user(alice.clone(), ProjectRoles::manager())
    .user(Username::new("bob").unwrap(), ProjectRoles::member());
    let new_user = NewUser::new(Username::new("carol_w").unwrap(), hash)
        .display_name("Carol Wü")
        .email("carol@example.org");
    let credentials = Credentials::password(alice.clone(), "correct horse battery staple");

    let mut group = c.benchmark_group("build");
    group.bench_function("login", |b| {
        b.iter(|| api.login(black_box(&credentials)).unwrap())
    });
    group.bench_function("list_times_filtered", |b| {
        b.iter(|| api.list_times(&token, black_box(&time_query)).unwrap())
    });
    group.bench_function("get_time", |b| {
        b.iter(|| api.get_time(&token, black_box(uuid), false, false).unwrap())
    });
    group.bench_function("create_time", |b| {
        b.iter(|| api.create_time(&token, black_box(&new_time)).unwrap())
    });
    group.bench_function("update_time", |b| {
        b.iter(|| {
            api.update_time(&token, uuid, black_box(&time_update))
                .unwrap()
        })
    });
    group.bench_function("delete_time", |b| {
        b.iter(|| api.delete_time(&token, black_box(uuid)).unwrap())
    });
    group.bench_function("list_projects", |b| {
        let query = ProjectQuery::new()
            .user(alice.clone())
            .include_deleted(true);
        b.iter(|| api.list_projects(&token, black_box(&query)).unwrap())
    });
    group.bench_function("get_project", |b| {
        b.iter(|| api.get_project(&token, black_box(&gwm), true).unwrap())
    });
    group.bench_function("create_project", |b| {
        b.iter(|| api.create_project(&token, black_box(&new_project)).unwrap())
    });
    group.bench_function("list_users_by_role", |b| {
        let query = UserQuery::new().role(Slug::new("staff").unwrap());
        b.iter(|| api.list_users(&token, black_box(&query)).unwrap())
    });
    group.bench_function("create_user", |b| {
        b.iter(|| api.create_user(&token, black_box(&new_user)).unwrap())
    });
    group.bench_function("delete_activity", |b| {
        b.iter(|| api.delete_activity(&token, black_box(&dev)).unwrap())
    });
    group.finish();
}

fn parse(c: &mut Criterion) {
    let body = timesync_benches::times_body(10_000);
    let answer = || Response::builder().status(200).body(body.clone()).unwrap();
    // The generated body must parse, or the benchmark measures the error path.
    assert_eq!(response::json_list::<Time>(answer()).unwrap().len(), 10_000);

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(20);
    // The response is built outside the measurement: a transport hands it over by value.
    group.bench_function("json_list_10000_times", |b| {
        b.iter_batched(answer, response::json_list::<Time>, BatchSize::LargeInput)
    });
    // The same bytes with plain serde_json, into the same types and into an untyped tree:
    // what the core's status check, shape sniffing and error paths cost on top.
    group.bench_function("serde_json_vec_time_10000_times", |b| {
        b.iter(|| serde_json::from_slice::<Vec<Time>>(black_box(&body)).unwrap())
    });
    group.bench_function("serde_json_value_10000_times", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
    });
    group.finish();

    // One time, as `GET /times/:uuid` answers: the per-request share of the end-to-end runs.
    let one = timesync_benches::time_body();
    let answer = || Response::builder().status(200).body(one.clone()).unwrap();
    let mut group = c.benchmark_group("parse_one");
    group.bench_function("json_time", |b| {
        b.iter_batched(answer, response::json::<Time>, BatchSize::SmallInput)
    });
    group.bench_function("serde_json_time", |b| {
        b.iter(|| serde_json::from_slice::<Time>(black_box(&one)).unwrap())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the whole suite should finish in a few minutes on two cores.
    config = Criterion::default()
        .warm_up_time(StdDuration::from_secs(1))
        .measurement_time(StdDuration::from_secs(2));
    targets = build, parse
}
criterion_main!(benches);
