//! Bad requests never crash the server, and get the reference's answers.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};

use common::{Api, exchange_raw, parse, send};
use serde_json::json;
use timesync_mock::{ADMIN_PASSWORD, ADMIN_USERNAME, MockServer};

fn api() -> Api {
    Api::new(MockServer::start())
}

/// The server still answers normally.
#[track_caller]
fn still_alive(api: &Api) {
    api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
}

#[test]
fn unknown_routes_and_methods_get_the_express_page() {
    let api = api();
    let token = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let cases = [
        ("GET", "/v0/", "Cannot GET /v0/"),
        ("GET", "/", "Cannot GET /"),
        ("GET", "/v1/times", "Cannot GET /v1/times"),
        ("GET", "/v0/login", "Cannot GET /v0/login"),
        ("PUT", "/v0/projects/p1", "Cannot PUT /v0/projects/p1"),
        ("PATCH", "/v0/times", "Cannot PATCH /v0/times"),
        ("DELETE", "/v0/projects", "Cannot DELETE /v0/projects"),
        ("GET", "/v0/times/a/b", "Cannot GET /v0/times/a/b"),
        ("GET", "/v0/%3Cscript%3E", "Cannot GET /v0/%3Cscript%3E"),
    ];
    for (method, path, text) in cases {
        let answer = send(
            api.addr(),
            method,
            &format!("{path}?token={}", common::encode(&token)),
            None,
        );
        assert_eq!(answer.status, 404, "{method} {path}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(answer.header("allow"), None);
        assert_eq!(
            answer.body,
            format!(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <title>Error</title>\n</head>\n<body>\n<pre>{text}</pre>\n</body>\n</html>\n"
            )
        );
    }
    still_alive(&api);
}

#[test]
fn malformed_and_odd_bodies() {
    let api = api();
    let token = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let unparsable = "The request body could not be parsed as valid JSON";
    for body in [
        "{",
        "{\"auth\": }",
        "nul",
        "\"just a string\"",
        "42",
        "{\"a\": 1} trailing",
        &"[".repeat(10_000),
    ] {
        api.post_raw("/projects", body)
            .assert_error(400, "Bad object", unparsable);
    }
    // An array or an empty body has no credentials.
    for body in ["[]", "", "   "] {
        api.post_raw("/projects", body).assert_error(
            401,
            "Authentication failure",
            "Missing credentials",
        );
    }
    // `object` that is not an object.
    for object in [json!(null), json!("x"), json!([1]), json!(5)] {
        api.post(&token, "/projects", object).assert_error(
            400,
            "Bad object",
            "The request body is missing an object",
        );
    }
    // `auth` of the wrong shapes.
    for auth in [json!("token"), json!(null), json!([1])] {
        api.post_raw("/times", &json!({"auth": auth, "object": {}}).to_string())
            .assert_error(401, "Authentication failure", "Missing credentials");
    }
    api.post_raw(
        "/times",
        &json!({"auth": {"type": 5}, "object": {}}).to_string(),
    )
    .assert_error(
        401,
        "Bad query value",
        "5 is not a valid authentication type",
    );
    api.post_raw(
        "/times",
        &json!({"auth": {"type": "token", "token": 5}}).to_string(),
    )
    .assert_error(401, "Authentication failure", "Missing credentials");
    // Invalid UTF-8 inside JSON.
    let mut raw = b"POST /v0/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n".to_vec();
    raw.extend_from_slice(b"\"\xff\"\n");
    parse(&exchange_raw(api.addr(), &raw).expect("io")).assert_error(400, "Bad object", unparsable);
    still_alive(&api);
}

#[test]
fn wrong_types_everywhere() {
    let api = api();
    let token = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let cases = [
        (
            "/projects",
            json!({"name": 5, "slugs": ["x"]}),
            "Field name of project should be string but was sent as number",
        ),
        (
            "/projects",
            json!({"name": "x", "slugs": "x"}),
            "Field slugs of project should be array but was sent as string",
        ),
        (
            "/projects",
            json!({"name": "x", "slugs": [1]}),
            "Field slugs of project should be slugs but was sent as array containing at least 1 number",
        ),
        (
            "/projects",
            json!({"name": "x", "slugs": ["x"], "users": []}),
            "Field users of project should be object but was sent as array",
        ),
        (
            "/projects",
            json!({"name": "x", "slugs": ["x"], "users": {"admin": true}}),
            "Field users of project should be object of usernames to member/spectator/manager booleans but was sent as boolean",
        ),
        (
            "/projects",
            json!({"name": "x", "slugs": ["x"], "users": {"admin": {"member": "yes"}}}),
            "Field users of project should be object of usernames to member/spectator/manager booleans but was sent as string for member",
        ),
        (
            "/projects",
            json!({"name": "x", "slugs": ["x"], "users": {"admin": {"owner": true}}}),
            "Field users of project should be object of usernames to member/spectator/manager booleans but was sent as unknown role owner",
        ),
        (
            "/activities",
            json!({"name": ["x"], "slug": "x"}),
            "Field name of activity should be string but was sent as array",
        ),
        (
            "/users",
            json!({"username": "x", "password": {"a": 1}}),
            "Field password of user should be string but was sent as object",
        ),
        (
            "/users",
            json!({"username": "x", "password": "x", "org-roles": [true]}),
            "Field org-roles of user should be array of slugs but was sent as array containing at least 1 boolean",
        ),
        (
            "/times",
            json!({"duration": 1.5, "user": "admin", "project": "x", "activities": [], "date_worked": "2024-01-01"}),
            "Field duration of time should be positive integer but was sent as non-integer number",
        ),
        (
            "/times",
            json!({"duration": true}),
            "Field duration of time should be number but was sent as boolean",
        ),
    ];
    for (path, object, text) in cases {
        api.post(&token, path, object)
            .assert_error(400, "Bad object", text);
    }
    still_alive(&api);
}

#[test]
fn huge_bodies_are_refused() {
    let api = api();
    let token = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let notes = "x".repeat(200 * 1024);
    let answer = api.post(
        &token,
        "/times",
        json!({"duration": 1, "user": "admin", "project": "x", "date_worked": "2024-01-01", "notes": notes}),
    );
    answer.assert_error(
        413,
        "Bad object",
        "The request body is larger than 102400 bytes",
    );
    // Just under the limit is fine.
    let name = "y".repeat(100 * 1024 - 1000);
    let body = json!({"auth": {"type": "token", "token": token}, "object": {"name": name, "slugs": ["big"]}});
    assert!(body.to_string().len() < 100 * 1024);
    api.post_raw("/projects", &body.to_string()).ok();
    // A body that announces more than it sends, then closes.
    let partial = b"POST /v0/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"auth\"";
    if let Ok(mut stream) = TcpStream::connect(api.addr()) {
        let _ = stream.write_all(partial);
        let _ = stream.shutdown(Shutdown::Write);
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    }
    still_alive(&api);
}

#[test]
fn garbage_on_the_wire() {
    let api = api();
    for raw in [
        &b"HELLO\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"\x00\x01\x02\x03\r\n\r\n",
        b"GET /v0/users HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET /v0/users HTTP/1.1\r\nBad Header Line\r\n\r\n",
        b"GET /v0/<script> HTTP/1.1\r\nHost: x\r\n\r\n",
        b"",
    ] {
        // Whatever the answer (400 or a closed connection), the server survives.
        let mut stream = TcpStream::connect(api.addr()).expect("connects");
        stream
            .set_read_timeout(Some(common::READ_TIMEOUT))
            .expect("timeout");
        let _ = stream.write_all(raw);
        let _ = stream.shutdown(Shutdown::Write);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
    let bad_path = send(api.addr(), "GET", "/v0/users/%FF%FE", None);
    assert_eq!(bad_path.status, 401, "{}", bad_path.body);
    let token = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let answer = api.get(&token, "/users/%FF");
    let body = answer.assert_error(
        400,
        "The provided identifier was invalid",
        "Expected username but received \u{fffd}",
    );
    assert_eq!(body["values"], json!(["\u{fffd}"]));
    still_alive(&api);
}
