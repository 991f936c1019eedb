//! The client's decisions, against a scripted transport: when it logs in, what it retries,
//! how it pages, and what it never shows.

mod support;

use std::sync::{Arc, Mutex};
use timesync_blocking::core::Error as CoreError;

use timesync_blocking::http::{Request, Response};
use timesync_blocking::{
    ActivityQuery, ApiErrorKind, Client, Credentials, Duration, Error, NewTime, Slug, TimeQuery,
    Token, Transport, TransportError, TransportErrorKind, Username, parse_uuid,
};

use support::*;

fn alice() -> Credentials {
    Credentials::password(Username::new("alice").unwrap(), "alice-pass")
}

fn new_time() -> NewTime {
    NewTime::new(
        Duration::from_secs(3600).unwrap(),
        Username::new("alice").unwrap(),
        Slug::new("gwm").unwrap(),
        "2024-03-04".parse().unwrap(),
    )
}

fn is_not_authenticated(error: &Error) -> bool {
    matches!(error, Error::Core(CoreError::NotAuthenticated))
}

#[test]
fn calls_before_logging_in_fail_locally_and_send_nothing() {
    let script = Script::new([]);
    let client = script.builder().auto_relogin(true).build().unwrap();

    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert!(is_not_authenticated(&error), "{error:?}");
    assert_eq!(
        error.to_string(),
        "not authenticated: log in or set a token first"
    );
    assert!(is_not_authenticated(
        &client.create_time(&new_time()).unwrap_err()
    ));
    assert!(is_not_authenticated(
        &client
            .list_all_activities(&ActivityQuery::new())
            .unwrap_err()
    ));
    assert!(is_not_authenticated(&client.token_expiry().unwrap_err()));
    assert!(client.token().is_none());
    assert!(script.sent().is_empty());
}

#[test]
fn authenticate_stores_the_token() {
    let token = fresh_token();
    let script = Script::new([login(&token), ok("[]")]);
    let client = script.builder().build().unwrap();

    assert_eq!(client.authenticate(alice()).unwrap(), token);
    assert_eq!(client.token(), Some(token.clone()));
    assert!(client.token_expiry().unwrap() > std::time::SystemTime::now());
    client.list_projects(&Default::default()).unwrap();

    let requests = script.requests();
    assert_eq!(requests[0].method(), "POST");
    assert_eq!(requests[0].uri().path(), "/v0/login");
    let body = String::from_utf8(requests[0].body().clone()).unwrap();
    assert!(body.contains(r#""type":"password""#), "{body}");
    assert_eq!(
        script.sent()[1],
        format!("GET /v0/projects?token={}", in_query(&token))
    );
}

#[test]
fn wrong_credentials_are_an_authentication_failure() {
    let script = Script::new([authentication_failure()]);
    let client = script.builder().auto_relogin(true).build().unwrap();
    let error = client.authenticate(alice()).unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
    assert_eq!(script.sent().len(), 1);
    assert!(client.token().is_none());
}

#[test]
fn builder_credentials_log_in_on_the_first_call_only() {
    let token = fresh_token();
    let script = Script::new([login(&token), ok("[]"), ok("[]")]);
    let client = script.builder().credentials(alice()).build().unwrap();

    client.list_times(&TimeQuery::new()).unwrap();
    client.list_times(&TimeQuery::new()).unwrap();
    let sent = script.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0], "POST /v0/login");
    assert!(sent[1].starts_with("GET /v0/times?token="));
    assert_eq!(client.token(), Some(token));
}

#[test]
fn without_auto_relogin_an_expired_token_is_sent_and_refused() {
    let script = Script::new([authentication_failure()]);
    let client = script
        .builder()
        .token(token_expiring_in(-60))
        .credentials(alice())
        .build()
        .unwrap();
    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
    assert_eq!(script.sent().len(), 1);
}

#[test]
fn an_expired_token_is_renewed_before_sending() {
    let expired = token_expiring_in(-60);
    // Inside the leeway counts as expired too.
    let expiring = token_expiring_in(10);
    let renewed = fresh_token();
    for stale in [expired, expiring] {
        let script = Script::new([login(&renewed), ok("[]")]);
        let client = script
            .builder()
            .token(stale)
            .credentials(alice())
            .auto_relogin(true)
            .build()
            .unwrap();
        client.list_times(&TimeQuery::new()).unwrap();
        let sent = script.sent();
        assert_eq!(sent[0], "POST /v0/login");
        assert_eq!(
            sent[1],
            format!("GET /v0/times?token={}", in_query(&renewed))
        );
        assert_eq!(sent.len(), 2);
    }
}

#[test]
fn an_authentication_failure_logs_in_again_once() {
    let old = fresh_token();
    let renewed = fresh_token();
    let script = Script::new([authentication_failure(), login(&renewed), ok("[]")]);
    let client = script
        .builder()
        .token(old.clone())
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();

    client.list_times(&TimeQuery::new()).unwrap();
    let sent = script.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0], format!("GET /v0/times?token={}", in_query(&old)));
    assert_eq!(sent[1], "POST /v0/login");
    assert_eq!(
        sent[2],
        format!("GET /v0/times?token={}", in_query(&renewed))
    );
    assert_eq!(client.token(), Some(renewed));
}

#[test]
fn a_post_is_sent_again_after_logging_in_again() {
    let old = fresh_token();
    let renewed = fresh_token();
    let script = Script::new([
        login(&old),
        authentication_failure(),
        login(&renewed),
        ok(&time(1)),
    ]);
    let client = script.builder().auto_relogin(true).build().unwrap();
    client.authenticate(alice()).unwrap();
    client.create_time(&new_time()).unwrap();

    let requests = script.requests();
    assert_eq!(requests.len(), 4);
    let first = String::from_utf8(requests[1].body().clone()).unwrap();
    let again = String::from_utf8(requests[3].body().clone()).unwrap();
    assert!(first.contains(old.expose()));
    assert!(again.contains(renewed.expose()));
}

#[test]
fn a_second_authentication_failure_is_returned() {
    let script = Script::new([
        login(&fresh_token()),
        authentication_failure(),
        login(&fresh_token()),
        authentication_failure(),
    ]);
    let client = script.builder().auto_relogin(true).build().unwrap();
    client.authenticate(alice()).unwrap();

    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
    assert_eq!(script.sent().len(), 4);
    assert_eq!(script.remaining(), 0);
}

#[test]
fn a_first_login_leaves_the_call_its_one_re_login() {
    // Logging in because there was no token yet is not logging in again: a refusal right
    // after it still gets a re-login.
    let renewed = fresh_token();
    let script = Script::new([
        login(&fresh_token()),
        authentication_failure(),
        login(&renewed),
        ok("[]"),
    ]);
    let client = script
        .builder()
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    client.list_times(&TimeQuery::new()).unwrap();
    let sent = script.sent();
    assert_eq!(sent.len(), 4);
    assert_eq!(sent[2], "POST /v0/login");
    assert_eq!(
        sent[3],
        format!("GET /v0/times?token={}", in_query(&renewed))
    );

    // One only: a second refusal is returned.
    let script = Script::new([
        login(&fresh_token()),
        authentication_failure(),
        login(&fresh_token()),
        authentication_failure(),
    ]);
    let client = script
        .builder()
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
    assert_eq!(script.sent().len(), 4);
}

#[test]
fn a_call_that_renewed_an_expired_token_does_not_log_in_twice() {
    let script = Script::new([login(&fresh_token()), authentication_failure()]);
    let client = script
        .builder()
        .token(token_expiring_in(-60))
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
    assert_eq!(script.sent().len(), 2);
}

/// Answers from a script, and while answering the first request puts another token in the
/// client, as a call that logs in at that moment does.
#[derive(Debug)]
struct Interleaved {
    script: Arc<Script>,
    pending: Mutex<Option<(Client, Token)>>,
}

impl Transport for Interleaved {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        // Taken, so that the client and this transport do not keep each other alive.
        if let Some((client, token)) = self.pending.lock().unwrap().take() {
            client.set_token(token);
        }
        self.script.send(request)
    }
}

#[test]
fn taking_another_calls_token_leaves_the_call_its_one_re_login() {
    let (old, others, renewed) = (fresh_token(), fresh_token(), fresh_token());
    let script = Script::new([
        authentication_failure(),
        authentication_failure(),
        login(&renewed),
        ok("[]"),
    ]);
    let transport = Arc::new(Interleaved {
        script: script.clone(),
        pending: Mutex::new(None),
    });
    let client = Client::builder(BASE_URL)
        .transport(transport.clone())
        .token(old.clone())
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    *transport.pending.lock().unwrap() = Some((client.clone(), others.clone()));

    client.list_times(&TimeQuery::new()).unwrap();
    let sent = script.sent();
    assert_eq!(
        sent,
        [
            format!("GET /v0/times?token={}", in_query(&old)),
            format!("GET /v0/times?token={}", in_query(&others)),
            "POST /v0/login".to_owned(),
            format!("GET /v0/times?token={}", in_query(&renewed)),
        ]
    );
}

#[test]
fn an_authorization_failure_never_logs_in_again() {
    let script = Script::new([login(&fresh_token()), authorization_failure()]);
    let client = script.builder().auto_relogin(true).build().unwrap();
    client.authenticate(alice()).unwrap();

    let error = client.delete_time(parse_uuid("00000000-0000-4000-8000-000000000001").unwrap());
    assert_eq!(
        error.unwrap_err().api().unwrap().kind,
        ApiErrorKind::AuthorizationFailure
    );
    assert_eq!(script.sent().len(), 2);
}

#[test]
fn without_auto_relogin_an_authentication_failure_is_returned() {
    let script = Script::new([login(&fresh_token()), authentication_failure()]);
    let client = script.builder().build().unwrap();
    client.authenticate(alice()).unwrap();
    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
    assert_eq!(script.sent().len(), 2);
}

#[test]
fn a_set_token_without_credentials_is_not_renewed() {
    let script = Script::new([authentication_failure()]);
    let client = script.builder().auto_relogin(true).build().unwrap();
    client.set_token(token_expiring_in(-60));
    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
    assert_eq!(script.sent().len(), 1);
}

#[test]
fn gets_are_retried_on_connect_failures_and_gateway_errors() {
    let script = Script::new([
        failure(TransportErrorKind::ConnectionRefused),
        bad_gateway(),
        answer(503, ""),
        answer(504, ""),
        ok("[]"),
    ]);
    let client = script
        .builder()
        .token(fresh_token())
        .retry(fast_retries(4))
        .build()
        .unwrap();
    assert!(client.list_times(&TimeQuery::new()).unwrap().is_empty());
    assert_eq!(script.sent().len(), 5);
}

#[test]
fn retries_stop_at_the_cap() {
    let script = Script::new([bad_gateway(), bad_gateway(), bad_gateway()]);
    let client = script
        .builder()
        .token(fresh_token())
        .retry(fast_retries(2))
        .build()
        .unwrap();
    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert!(
        matches!(error, Error::Core(CoreError::UnexpectedResponse { .. })),
        "{error:?}"
    );
    assert_eq!(script.sent().len(), 3);

    let script = Script::new([
        failure(TransportErrorKind::Dns),
        failure(TransportErrorKind::Dns),
    ]);
    let client = script
        .builder()
        .token(fresh_token())
        .retry(fast_retries(1))
        .build()
        .unwrap();
    let error = client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(error.transport().unwrap().kind(), TransportErrorKind::Dns);
    assert_eq!(script.sent().len(), 2);
}

#[test]
fn other_failures_are_not_retried() {
    let cases = [
        answer(500, r#"{"status":500,"error":"Server error"}"#),
        answer(404, r#"{"status":404,"error":"Object not found"}"#),
        failure(TransportErrorKind::Timeout),
        failure(TransportErrorKind::Connection),
        failure(TransportErrorKind::Tls),
    ];
    for case in cases {
        let script = Script::new([case]);
        let client = script
            .builder()
            .token(fresh_token())
            .retry(fast_retries(3))
            .build()
            .unwrap();
        client.list_times(&TimeQuery::new()).unwrap_err();
        assert_eq!(script.sent().len(), 1);
    }
}

#[test]
fn posts_and_deletes_are_never_retried() {
    let uuid = parse_uuid("00000000-0000-4000-8000-000000000001").unwrap();
    for first in [
        failure(TransportErrorKind::ConnectionRefused),
        bad_gateway(),
    ] {
        let script = Script::new([first]);
        let client = script
            .builder()
            .token(fresh_token())
            .retry(fast_retries(3))
            .build()
            .unwrap();
        client.create_time(&new_time()).unwrap_err();
        assert_eq!(script.sent().len(), 1);
    }
    for first in [
        failure(TransportErrorKind::ConnectionRefused),
        answer(503, ""),
    ] {
        let script = Script::new([first]);
        let client = script
            .builder()
            .token(fresh_token())
            .retry(fast_retries(3))
            .build()
            .unwrap();
        client.delete_time(uuid).unwrap_err();
        assert_eq!(script.sent().len(), 1);
    }
    // Logging in is a POST too.
    let script = Script::new([failure(TransportErrorKind::ConnectionRefused)]);
    let client = script.builder().retry(fast_retries(3)).build().unwrap();
    let error = client.authenticate(alice()).unwrap_err();
    assert_eq!(
        error.transport().unwrap().kind(),
        TransportErrorKind::ConnectionRefused
    );
    assert_eq!(script.sent().len(), 1);
}

#[test]
fn without_a_policy_nothing_is_retried() {
    let script = Script::new([bad_gateway()]);
    let client = script.builder().token(fresh_token()).build().unwrap();
    client.list_times(&TimeQuery::new()).unwrap_err();
    assert_eq!(script.sent().len(), 1);
}

#[test]
fn every_page_is_read_from_a_paging_server() {
    // The short page is not taken as the last (a server may cap the page size): an empty
    // page ends the walk.
    let script = Script::new([
        ok(&times(0, 2)),
        ok(&times(2, 2)),
        ok(&times(4, 1)),
        ok("[]"),
    ]);
    let client = script
        .builder()
        .token(fresh_token())
        .page_size(2)
        .build()
        .unwrap();
    let all = client
        .list_all_times(&TimeQuery::new().user(Username::new("alice").unwrap()))
        .unwrap();
    assert_eq!(all.len(), 5);
    let sent = script.sent();
    assert!(
        sent[0].starts_with("GET /v0/times?user=alice&skip=0&limit=2&token="),
        "{}",
        sent[0]
    );
    assert!(sent[1].contains("skip=2&limit=2"), "{}", sent[1]);
    assert!(sent[2].contains("skip=4&limit=2"), "{}", sent[2]);
    assert!(sent[3].contains("skip=5&limit=2"), "{}", sent[3]);
    assert_eq!(sent.len(), 4);
}

#[test]
fn a_server_ignoring_paging_is_read_once_without_duplicates() {
    let script = Script::new([ok(&times(0, 5))]);
    let client = script
        .builder()
        .token(fresh_token())
        .page_size(2)
        .build()
        .unwrap();
    assert_eq!(client.list_all_times(&TimeQuery::new()).unwrap().len(), 5);
    assert_eq!(script.sent().len(), 1);

    // Exactly one page's worth: the same page comes back, and brings nothing new.
    let script = Script::new([ok(&times(0, 2)), ok(&times(0, 2))]);
    let client = script
        .builder()
        .token(fresh_token())
        .page_size(2)
        .build()
        .unwrap();
    assert_eq!(client.list_all_times(&TimeQuery::new()).unwrap().len(), 2);
    assert_eq!(script.sent().len(), 2);
}

#[test]
fn the_token_is_not_in_debug_output() {
    let token = fresh_token();
    let script = Script::new([]);
    let client = script
        .builder()
        .token(token.clone())
        .credentials(alice())
        .build()
        .unwrap();
    let debug = format!(
        "{client:?} {:?}",
        Client::builder(BASE_URL).token(token.clone())
    );
    assert!(!debug.contains(token.expose()), "{debug}");
    assert!(!debug.contains(&in_query(&token)), "{debug}");
    assert!(!debug.contains("alice-pass"), "{debug}");
    assert!(debug.contains("authenticated: true"), "{debug}");
}

#[test]
fn a_password_or_token_in_an_error_body_is_not_shown() {
    let echo = |secret: &str| {
        answer(
            401,
            &format!(
                r#"{{"status":401,"error":"Authentication failure",
                "text":"nobody has the password or token {secret}","values":["{secret}"]}}"#
            ),
        )
    };
    let script = Script::new([echo("hunter2SECRET"), echo("shortTOKsecret99")]);
    let client = script.builder().build().unwrap();

    let login = client
        .authenticate(Credentials::password(
            Username::new("alice").unwrap(),
            "hunter2SECRET",
        ))
        .unwrap_err();
    client.set_token(Token::new("shortTOKsecret99"));
    let call = client.list_times(&TimeQuery::new()).unwrap_err();
    for error in [login, call] {
        let text = format!("{error} {error:?}");
        assert!(!text.contains("hunter2SECRET"), "{text}");
        assert!(!text.contains("shortTOKsecret99"), "{text}");
        let api = error.api().unwrap();
        assert_eq!(api.kind, ApiErrorKind::AuthenticationFailure);
        assert_eq!(
            api.text.as_deref(),
            Some("nobody has the password or token <redacted>")
        );
        assert_eq!(api.values, ["<redacted>"]);
    }
}

#[test]
fn the_builders_debug_shows_only_a_checked_base_url() {
    let unchecked = [
        "https://alice:hunter2@timesync.test/v0",
        "http://timesync.test/v0?token=hunter2",
        "http://timesync.test/hunter2",
    ];
    for url in unchecked {
        let debug = format!("{:?}", Client::builder(url));
        assert!(debug.contains(r#"base_url: "<invalid>""#), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }
    let debug = format!("{:?}", Client::builder("http://timesync.test/v0/"));
    assert!(
        debug.starts_with(r#"ClientBuilder { base_url: "http://timesync.test/v0", "#),
        "{debug}"
    );
}

#[test]
fn the_base_url_is_the_checked_one() {
    let client = Client::new(" http://timesync.test:8000/api/v1/ ").unwrap();
    assert_eq!(client.base_url(), "http://timesync.test:8000/api/v1");
    let scripted = Script::new([]).builder().build().unwrap();
    assert_eq!(scripted.base_url(), BASE_URL);
}

#[test]
fn bad_settings_are_refused_when_building() {
    let error = Client::new("ftp://example.org/v0").unwrap_err();
    assert!(
        matches!(error, Error::Core(CoreError::InvalidBaseUrl(_))),
        "{error:?}"
    );
    let error = Client::builder("http://example.org/v0")
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, Error::Core(CoreError::InvalidValue { .. })),
        "{error:?}"
    );
}

#[test]
fn zero_timeouts_and_page_sizes_are_refused_when_building() {
    let zero = std::time::Duration::ZERO;
    let cases = [
        (
            "connect_timeout",
            Client::builder(BASE_URL).connect_timeout(zero),
        ),
        ("timeout", Client::builder(BASE_URL).timeout(zero)),
        // Even when the transport that would use it is the caller's.
        ("timeout", Script::new([]).builder().timeout(zero)),
        ("page_size", Client::builder(BASE_URL).page_size(0)),
    ];
    for (field, builder) in cases {
        let error = builder.build().unwrap_err();
        assert!(
            matches!(error, Error::Core(CoreError::InvalidValue { field: f, .. }) if f == field),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("invalid value for {field}: must be more than zero")
        );
    }

    let tiny = std::time::Duration::from_nanos(1);
    Client::builder(BASE_URL)
        .connect_timeout(tiny)
        .timeout(tiny)
        .page_size(1)
        .build()
        .unwrap();
}

#[test]
fn the_user_agent_is_sent() {
    let script = Script::new([ok("[]"), ok("[]")]);
    let client = script
        .builder()
        .token(fresh_token())
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    client.list_times(&TimeQuery::new()).unwrap();
    let default = script.builder().token(fresh_token()).build().unwrap();
    default.list_times(&TimeQuery::new()).unwrap();
    let requests = script.requests();
    assert_eq!(requests[0].headers()["user-agent"], "my-app/1.0");
    assert_eq!(
        requests[1].headers()["user-agent"],
        timesync_blocking::DEFAULT_USER_AGENT
    );
}

/// Fails every request with an error that quotes what was sent, as a careless transport of
/// an embedder's may.
#[derive(Debug)]
struct Quoting;

impl Transport for Quoting {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        Err(TransportError::new(
            TransportErrorKind::Connection,
            format!(
                "could not send {} {}",
                request.uri().path_and_query().map_or("", |pq| pq.as_str()),
                String::from_utf8_lossy(request.body())
            ),
        ))
    }
}

#[test]
fn a_transport_error_never_quotes_the_token_or_password() {
    let token = Token::new("abc+def/ghi=jk-secret");
    let client = Client::builder(BASE_URL)
        .transport(Arc::new(Quoting))
        .token(token.clone())
        .build()
        .unwrap();
    let login = client
        .authenticate(Credentials::password(
            Username::new("alice").unwrap(),
            "pw-secret",
        ))
        .unwrap_err();
    let post = client.create_time(&new_time()).unwrap_err();
    let get = client.list_activities(&ActivityQuery::new()).unwrap_err();
    for error in [login, post, get] {
        let text = format!("{error} {error:?}");
        assert_eq!(
            error.transport().map(TransportError::kind),
            Some(TransportErrorKind::Connection),
            "{text}"
        );
        assert!(text.contains("could not send /v0/"), "{text}");
        assert!(!text.contains("pw-secret"), "{text}");
        for form in [
            "abc+def/ghi=jk-secret",
            "abc%2Bdef%2Fghi%3Djk-secret",
            "ghi=jk",
            "jk-secret",
        ] {
            assert!(!text.contains(form), "{form} in {text}");
        }
    }
}
