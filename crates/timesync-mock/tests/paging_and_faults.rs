//! Paging in both modes, every fault, request counting, and the server's life cycle.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Api, send, strings};
use serde_json::json;
use timesync_mock::{ADMIN_PASSWORD, ADMIN_USERNAME, Fault, FaultCount, MockServer, Paging, Seed};

fn demo(paging: Paging) -> Api {
    Api::new(
        MockServer::builder()
            .seed(Seed::Demo)
            .paging(paging)
            .start()
            .expect("server starts"),
    )
}

fn len(value: &serde_json::Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

#[test]
fn spec_paging() {
    let api = demo(Paging::Spec);
    let admin = api.token("admin");
    let all = api.get(&admin, "/times?limit=0").ok();
    assert_eq!(len(&all), 51);
    let first = api.get(&admin, "/times").ok();
    assert_eq!(len(&first), 25, "default limit");
    let second = api.get(&admin, "/times?skip=25").ok();
    let third = api.get(&admin, "/times?skip=50").ok();
    assert_eq!((len(&second), len(&third)), (25, 1));
    let pages: Vec<_> = [&first, &second, &third]
        .iter()
        .flat_map(|page| strings(page, "uuid"))
        .collect();
    assert_eq!(pages, strings(&all, "uuid"));
    let window = api.get(&admin, "/times?skip=5&limit=10").ok();
    assert_eq!(strings(&window, "uuid"), strings(&all, "uuid")[5..15]);
    assert_eq!(len(&api.get(&admin, "/times?skip=1000").ok()), 0);
    // Paging applies after filtering.
    let bob = api.get(&admin, "/times?user=bob&skip=18").ok();
    assert_eq!(strings(&bob, "user"), ["bob"]);

    for (query, parameter, value) in [
        ("skip=-1", "skip", "-1"),
        ("limit=abc", "limit", "abc"),
        ("limit=", "limit", ""),
        ("limit=2.5", "limit", "2.5"),
    ] {
        api.get(&admin, &format!("/times?{query}")).assert_error(
            400,
            "Bad query value",
            &format!("Parameter {parameter} contained invalid value {value}"),
        );
    }
    // Every list endpoint pages.
    assert_eq!(len(&api.get(&admin, "/projects?limit=1").ok()), 1);
    let activities = api.get(&admin, "/activities?skip=1&limit=2").ok();
    assert_eq!(strings(&activities, "slug"), ["docs", "review"]);
    assert_eq!(len(&api.get(&admin, "/users?limit=3").ok()), 3);
    assert_eq!(len(&api.get(&admin, "/users/org-roles?skip=1").ok()), 1);
}

#[test]
fn reference_paging_ignores_skip_and_limit() {
    let api = demo(Paging::IgnoreSkipLimit);
    let admin = api.token("admin");
    assert_eq!(len(&api.get(&admin, "/times").ok()), 51);
    assert_eq!(len(&api.get(&admin, "/times?skip=10&limit=5").ok()), 51);
    assert_eq!(len(&api.get(&admin, "/times?limit=abc&skip=-1").ok()), 51);
    assert_eq!(len(&api.get(&admin, "/activities?limit=1").ok()), 5);

    api.server.set_paging(Paging::Spec);
    assert_eq!(len(&api.get(&admin, "/times").ok()), 25);
    api.server.set_paging(Paging::IgnoreSkipLimit);
    assert_eq!(len(&api.get(&admin, "/times").ok()), 51);
}

#[test]
fn capped_paging_sends_at_most_the_cap() {
    let api = demo(Paging::Capped(10));
    let admin = api.token("admin");
    let all = api.get(&admin, "/times?limit=0").ok();
    assert_eq!(len(&all), 10, "limit=0 is capped too");
    assert_eq!(len(&api.get(&admin, "/times").ok()), 10);
    assert_eq!(len(&api.get(&admin, "/times?limit=5").ok()), 5);
    let last = api.get(&admin, "/times?skip=50&limit=25").ok();
    assert_eq!(len(&last), 1);
    api.get(&admin, "/times?limit=abc").assert_error(
        400,
        "Bad query value",
        "Parameter limit contained invalid value abc",
    );
    api.server.set_paging(Paging::Capped(0));
    assert_eq!(
        len(&api.get(&admin, "/times").ok()),
        1,
        "a cap of 0 is taken as 1"
    );
}

#[test]
fn delay_then_answer() {
    let api = Api::new(MockServer::start());
    api.server.inject(
        Fault::Delay(Duration::from_millis(300)),
        FaultCount::Next(1),
    );
    let started = Instant::now();
    api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[test]
fn hang_holds_the_connection_until_the_client_gives_up() {
    let api = Api::new(MockServer::start());
    api.server.inject(Fault::Hang, FaultCount::Next(1));
    let mut stream = TcpStream::connect(api.addr()).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("timeout");
    stream
        .write_all(b"GET /v0/users HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("writes");
    let mut buffer = [0; 64];
    let error = stream.read(&mut buffer).expect_err("no answer");
    assert!(
        matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{error}"
    );
    // The next request is answered normally.
    send(api.addr(), "GET", "/v0/users", None).assert_error(
        401,
        "Authentication failure",
        "Missing credentials",
    );

    // Dropping the server ends the hang at once: the connection closes without an answer.
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let started = Instant::now();
    drop(api);
    let mut rest = Vec::new();
    if let Err(error) = stream.read_to_end(&mut rest) {
        // Closed, not timed out.
        assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    }
    assert!(rest.is_empty(), "{:?}", String::from_utf8_lossy(&rest));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn drop_connection_sends_nothing() {
    let api = Api::new(MockServer::start());
    api.server
        .inject(Fault::DropConnection, FaultCount::Next(2));
    for _ in 0..2 {
        let answer = common::exchange_raw(
            api.addr(),
            b"GET /v0/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        match answer {
            Ok(bytes) => assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes)),
            Err(error) => assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}"),
        }
    }
    api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    assert_eq!(api.server.request_count(), 3);
}

#[test]
fn bad_gateway_is_an_nginx_page() {
    let api = Api::new(MockServer::start());
    api.server
        .inject(Fault::BadGatewayHtml, FaultCount::Next(1));
    let answer = api.try_login(ADMIN_USERNAME, ADMIN_PASSWORD);
    assert_eq!(answer.status, 502);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(answer.header("server"), Some("nginx"));
    assert!(
        answer.body.contains("<title>502 Bad Gateway</title>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("<center>nginx</center>"));
}

#[test]
fn server_error_is_the_reference_body_and_changes_nothing() {
    let api = Api::new(MockServer::start());
    let admin = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    api.server.inject(Fault::ServerError, FaultCount::Next(1));
    let answer = api.post(
        &admin,
        "/projects",
        json!({"name": "Lost", "slugs": ["lost"]}),
    );
    let body = answer.assert_error(500, "Server error", "Unexpected server error.");
    assert_eq!(
        body,
        json!({"status": 500, "error": "Server error", "text": "Unexpected server error."})
    );
    assert_eq!(api.get(&admin, "/projects").ok(), json!([]));
}

#[test]
fn faults_queue_in_order_and_always_lasts_until_cleared() {
    let api = Api::new(MockServer::start());
    let server = &api.server;
    server.inject(Fault::ServerError, FaultCount::Next(0));
    server.inject(Fault::Delay(Duration::from_millis(1)), FaultCount::Next(1));
    server.inject(Fault::BadGatewayHtml, FaultCount::Next(2));
    server.inject(Fault::ServerError, FaultCount::Always);
    let statuses: Vec<u16> = (0..6)
        .map(|_| send(api.addr(), "GET", "/v0/users", None).status)
        .collect();
    assert_eq!(statuses, [401, 502, 502, 500, 500, 500]);
    server.clear_faults();
    assert_eq!(send(api.addr(), "GET", "/v0/users", None).status, 401);
    assert_eq!(server.request_count(), 7);
}

#[test]
fn request_count_counts_every_request() {
    let api = Api::new(MockServer::start());
    assert_eq!(api.server.request_count(), 0);
    send(api.addr(), "GET", "/v0/nowhere", None);
    send(api.addr(), "GET", "/v0/users", None);
    // Two requests on one keep-alive connection count twice.
    let mut stream = TcpStream::connect(api.addr()).expect("connects");
    stream
        .set_read_timeout(Some(common::READ_TIMEOUT))
        .expect("timeout");
    stream
        .write_all(
            b"GET /v0/users HTTP/1.1\r\nHost: x\r\n\r\nGET /v0/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .expect("writes");
    let mut answers = String::new();
    stream.read_to_string(&mut answers).expect("reads");
    assert_eq!(answers.matches("HTTP/1.1 401").count(), 2);
    assert_eq!(api.server.request_count(), 4);
}

#[test]
fn dropping_the_server_stops_it_promptly() {
    let server = MockServer::start();
    let addr = server.addr();
    assert!(server.base_url().ends_with("/v0"));
    assert_eq!(server.base_url(), format!("http://{addr}/v0"));
    assert!(addr.ip().is_loopback());
    // An idle keep-alive connection does not hold the shutdown up.
    let idle = TcpStream::connect(addr).expect("connects");
    let started = Instant::now();
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(idle);
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}

#[test]
fn a_fixed_port_that_is_taken_is_an_error() {
    let first = MockServer::start();
    let error = MockServer::builder()
        .port(first.addr().port())
        .start()
        .expect_err("port taken");
    assert!(matches!(error, timesync_mock::MockError::Bind { .. }));
    assert!(
        error.to_string().starts_with("cannot bind 127.0.0.1:"),
        "{error}"
    );
}

#[test]
fn a_server_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<MockServer>();
    static SHARED: std::sync::OnceLock<MockServer> = std::sync::OnceLock::new();
    let server = SHARED.get_or_init(MockServer::start);
    let addr = server.addr();
    let handles: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(move || send(addr, "GET", "/v0/users", None).status))
        .collect();
    for handle in handles {
        assert_eq!(handle.join().ok(), Some(401));
    }
    assert!(server.request_count() >= 4);
}

#[tokio::test]
async fn works_inside_an_async_test() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = MockServer::builder()
        .seed(Seed::Demo)
        .start()
        .expect("server starts");
    let body = json!({"auth": {"type": "password", "username": "bob", "password": "bob-pass"}})
        .to_string();
    let mut stream = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connects");
    let request = format!(
        "POST /v0/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("reads");
    let answer = common::parse(&answer);
    assert!(answer.ok()["token"].is_string());
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_inside_a_multi_thread_runtime() {
    let server = MockServer::start();
    let addr = server.addr();
    let answer = tokio::task::spawn_blocking(move || send(addr, "GET", "/v0/users", None))
        .await
        .expect("joins");
    answer.assert_error(401, "Authentication failure", "Missing credentials");
}
