//! Logins, tokens and the two ways of sending them.

mod common;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Api, hash, send};
use serde_json::{Value, json};
use timesync_mock::{ADMIN_PASSWORD, ADMIN_USERNAME, MockServer, Seed};

fn demo() -> Api {
    Api::new(
        MockServer::builder()
            .seed(Seed::Demo)
            .start()
            .expect("server starts"),
    )
}

#[test]
fn empty_seed_has_one_admin_who_can_log_in() {
    let api = Api::new(MockServer::start());
    let token = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let users = api.get(&token, "/users").ok();
    assert_eq!(common::strings(&users, "username"), [ADMIN_USERNAME]);
    assert_eq!(users[0]["site_admin"], true);
    assert_eq!(api.get(&token, "/projects").ok(), json!([]));
    assert_eq!(api.get(&token, "/times").ok(), json!([]));
}

#[test]
fn every_demo_account_logs_in() {
    let api = demo();
    for account in timesync_mock::demo_accounts() {
        let token = api.login(account.username, account.password);
        let me = api
            .get(&token, &format!("/users/{}", account.username))
            .ok();
        assert_eq!(me["username"], account.username);
    }
}

#[test]
fn token_has_the_reference_shape() {
    let api = Api::new(
        MockServer::builder()
            .token_lifetime(Duration::from_secs(90))
            .start()
            .expect("server starts"),
    );
    let answer = api.try_login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let body = answer.ok();
    assert_eq!(body.as_object().map(|o| o.len()), Some(1));
    let token = body["token"].as_str().expect("token is a string");
    let segments: Vec<&str> = token.split('.').collect();
    assert_eq!(segments.len(), 3);
    for segment in &segments {
        assert_eq!(segment.len() % 4, 0, "padded standard base64: {segment}");
        assert!(STANDARD.decode(segment).is_ok(), "{segment}");
    }
    let header: Value = serde_json::from_slice(&STANDARD.decode(segments[0]).unwrap_or_default())
        .expect("header is JSON");
    assert_eq!(header, json!({"typ": "JWT", "alg": "HMAC-SHA512"}));
    let payload: Value = serde_json::from_slice(&STANDARD.decode(segments[1]).unwrap_or_default())
        .expect("payload is JSON");
    assert_eq!(payload["sub"], ADMIN_USERNAME);
    let (exp, iat) = (payload["exp"].as_u64(), payload["iat"].as_u64());
    assert_eq!(exp.zip(iat).map(|(exp, iat)| exp - iat), Some(90_000));
    assert!(iat > Some(1_600_000_000_000), "milliseconds: {payload}");
    assert!(segments[2].ends_with("=="));
    assert_eq!(STANDARD.decode(segments[2]).map(|s| s.len()).ok(), Some(64));
}

#[test]
fn login_errors_match_the_reference() {
    let api = demo();
    api.try_login("alice", "wrong").assert_error(
        401,
        "Authentication failure",
        "Incorrect username or password",
    );
    api.try_login("nosuchuser", "x").assert_error(
        401,
        "Authentication failure",
        "Incorrect username or password",
    );
    api.post_raw("/login", r#"{"foo": 1}"#).assert_error(
        401,
        "Authentication failure",
        "Missing credentials",
    );
    api.post_raw(
        "/login",
        r#"{"auth": {"username": "alice", "password": "alice-pass"}}"#,
    )
    .assert_error(
        401,
        "Authentication failure",
        "Authentication type required",
    );
    api.post_raw(
        "/login",
        r#"{"auth": {"type": "ldap", "username": "alice", "password": "alice-pass"}}"#,
    )
    .assert_error(
        401,
        "Bad query value",
        "ldap is not a valid authentication type",
    );
    api.post_raw(
        "/login",
        r#"{"auth": {"type": "password", "username": "alice"}}"#,
    )
    .assert_error(401, "Authentication failure", "Missing credentials");
    api.post_raw("/login", r#"{"auth": {"type": "password","#)
        .assert_error(
            400,
            "Bad object",
            "The request body could not be parsed as valid JSON",
        );
    // A deleted user cannot log in.
    api.try_login("dave", "dave-pass").assert_error(
        401,
        "Authentication failure",
        "Incorrect username or password",
    );
}

#[test]
fn a_body_without_json_content_type_has_no_credentials() {
    let api = demo();
    let body = r#"{"auth": {"type": "password", "username": "alice", "password": "alice-pass"}}"#;
    let request = format!(
        "POST /v0/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = common::parse(&common::exchange_raw(api.addr(), request.as_bytes()).expect("io"));
    answer.assert_error(401, "Authentication failure", "Missing credentials");
}

#[test]
fn query_tokens_missing_bad_tampered() {
    let api = demo();
    let token = api.token("alice");
    send(api.addr(), "GET", "/v0/times", None).assert_error(
        401,
        "Authentication failure",
        "Missing credentials",
    );
    send(api.addr(), "GET", "/v0/times?token=", None).assert_error(
        401,
        "Authentication failure",
        "Missing credentials",
    );
    api.get("garbage", "/times")
        .assert_error(401, "Authentication failure", "Bad API token");
    let mut tampered = token.clone();
    tampered.replace_range(tampered.len() - 8.., "AAAAAA==");
    api.get(&tampered, "/times")
        .assert_error(401, "Authentication failure", "Bad API token");
    // A token of another server of the same kind is not ours.
    let other = demo().token("alice");
    api.get(&other, "/times")
        .assert_error(401, "Authentication failure", "Bad API token");
    send(
        api.addr(),
        "DELETE",
        "/v0/times/00070000-0000-4000-8000-000000000001",
        None,
    )
    .assert_error(401, "Authentication failure", "Missing credentials");
}

#[test]
fn raw_plus_in_a_token_is_a_space_and_fails() {
    let api = Api::new(
        MockServer::builder()
            .seed(Seed::Demo)
            .awkward_tokens(true)
            .start()
            .expect("server starts"),
    );
    for account in ["alice", "bob", "admin"] {
        let token = api.token(account);
        assert!(
            token.contains('+') && token.contains('/') && token.contains('='),
            "{token}"
        );
        // Percent-encoded: accepted.
        api.get(&token, "/projects").ok();
        // Raw: `+` decodes to a space, and the mock does not repair it.
        send(
            api.addr(),
            "GET",
            &format!("/v0/projects?token={token}"),
            None,
        )
        .assert_error(401, "Authentication failure", "Bad API token");
    }
}

#[test]
fn expired_tokens_are_bad() {
    let api = Api::new(
        MockServer::builder()
            .token_lifetime(Duration::from_millis(300))
            .start()
            .expect("server starts"),
    );
    let token = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    api.get(&token, "/users").ok();
    std::thread::sleep(Duration::from_millis(400));
    api.get(&token, "/users")
        .assert_error(401, "Authentication failure", "Bad API token");
    let fresh = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    api.get(&fresh, "/users").ok();
}

#[test]
fn revoke_tokens_invalidates_every_token_at_once() {
    let api = demo();
    let alice = api.token("alice");
    let bob = api.token("bob");
    api.get(&alice, "/times").ok();
    api.server.revoke_tokens();
    api.get(&alice, "/times")
        .assert_error(401, "Authentication failure", "Bad API token");
    api.post(&bob, "/times", json!({})).assert_error(
        401,
        "Authentication failure",
        "Bad API token",
    );
    let alice = api.token("alice");
    api.get(&alice, "/times").ok();
}

#[test]
fn post_auth_errors_match_the_reference() {
    let api = demo();
    let object = json!({"duration": 60});
    api.post_raw(
        "/times",
        &json!({"auth": {"type": "password", "username": "alice", "password": "alice-pass"}, "object": object})
            .to_string(),
    )
    .assert_error(401, "Bad query value", "password is not a valid authentication type");
    api.post_raw("/times", &json!({"object": object}).to_string())
        .assert_error(401, "Authentication failure", "Missing credentials");
    api.post_raw(
        "/times",
        &json!({"auth": {"type": "token"}, "object": object}).to_string(),
    )
    .assert_error(401, "Authentication failure", "Missing credentials");
    api.post("garbage", "/times", object).assert_error(
        401,
        "Authentication failure",
        "Bad API token",
    );
}

#[test]
fn passwords_are_checked_against_client_side_bcrypt_hashes() {
    let api = Api::new(MockServer::start());
    let admin = api.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    let created = api
        .post(
            &admin,
            "/users",
            json!({"username": "hashed", "password": hash("s3cret")}),
        )
        .ok();
    assert_eq!(created["username"], "hashed");
    assert!(created.get("password").is_none());
    api.login("hashed", "s3cret");
    api.try_login("hashed", "wrong").assert_error(
        401,
        "Authentication failure",
        "Incorrect username or password",
    );

    // Stored verbatim: a plain-text password can never log in.
    api.post(
        &admin,
        "/users",
        json!({"username": "plain", "password": "plainpass"}),
    )
    .ok();
    api.try_login("plain", "plainpass").assert_error(
        401,
        "Authentication failure",
        "Incorrect username or password",
    );

    // A password update takes effect at the next login.
    api.post(&admin, "/users/hashed", json!({"password": hash("n3w")}))
        .ok();
    api.login("hashed", "n3w");
}

#[test]
fn deleting_a_user_ends_their_tokens() {
    let api = demo();
    let admin = api.token("admin");
    let carol = api.token("carol");
    api.get(&carol, "/projects").ok();
    api.delete(&admin, "/users/carol").assert_deleted();
    api.get(&carol, "/projects")
        .assert_error(401, "Authentication failure", "Bad API token");
}
