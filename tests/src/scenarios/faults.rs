//! Servers that misbehave: never answering, answering with a proxy's HTML page, closing the
//! connection, or not being there at all; and what retries do about it.

use std::time::{Duration, Instant};

use timesync_core::policy::RetryPolicy;
use timesync_core::{ApiErrorKind, Error, NewActivity, NewProject, ProjectQuery, TimeQuery, Token};
use timesync_mock::{Fault, FaultCount, MockServer};

use crate::client::{
    Config, ScenarioClient, TransportKind, expect_api, expect_core, expect_transport,
};
use crate::support::{admin, logged_in, make_activity, mock, refused_base_url, slug, slugs};

/// The client timeout of the hang scenario.
const TIMEOUT: Duration = Duration::from_millis(300);

/// A retry policy with short waits, so that the suite stays fast.
fn quick_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
    }
}

fn client_with<C: ScenarioClient>(config: Config) -> C {
    let client = C::build(config.relogin(admin())).expect("client builds");
    client.authenticate(admin()).expect("the admin logs in");
    client
}

/// A server that never answers: the client gives up after its timeout with `Timeout`.
pub fn hanging_server_times_out<C: ScenarioClient>() {
    let server = mock();
    let client = client_with::<C>(Config::new(server.base_url()).timeout(TIMEOUT));

    server.inject(Fault::Hang, FaultCount::Next(1));
    let started = Instant::now();
    let failure = expect_transport(
        client.list_projects(&ProjectQuery::new()),
        TransportKind::Timeout,
    );
    let waited = started.elapsed();
    assert!(waited >= TIMEOUT - Duration::from_millis(50), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert!(!failure.display.is_empty());

    // POST too, and without a retry.
    server.inject(Fault::Hang, FaultCount::Next(1));
    let before = server.request_count();
    expect_transport(
        client.create_activity(&NewActivity::new("Dev", slug("dev"))),
        TransportKind::Timeout,
    );
    assert_eq!(server.request_count(), before + 1);

    client
        .list_projects(&ProjectQuery::new())
        .expect("the next call works");
}

/// A slow answer within the timeout is waited for.
pub fn slow_answer_within_the_timeout<C: ScenarioClient>() {
    let server = mock();
    let client = client_with::<C>(Config::new(server.base_url()).timeout(Duration::from_secs(5)));
    server.inject(
        Fault::Delay(Duration::from_millis(150)),
        FaultCount::Next(1),
    );
    let started = Instant::now();
    client
        .list_projects(&ProjectQuery::new())
        .expect("a slow answer");
    assert!(started.elapsed() >= Duration::from_millis(150));
}

/// A proxy's HTML 502 page becomes `UnexpectedResponse` with the status and a short excerpt.
pub fn bad_gateway_page_is_an_unexpected_response<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);

    server.inject(Fault::BadGatewayHtml, FaultCount::Next(1));
    let error = expect_core(client.list_projects(&ProjectQuery::new()));
    let Error::UnexpectedResponse { status, excerpt } = &error else {
        panic!("expected UnexpectedResponse, got {error:?}");
    };
    assert_eq!(*status, 502);
    assert_eq!(error.status(), Some(502));
    assert!(!excerpt.is_empty());
    assert!(excerpt.chars().count() <= 200, "{excerpt}");
    assert!(!excerpt.contains('<'), "tags are dropped: {excerpt}");
    assert!(excerpt.contains("502"), "{excerpt}");

    // The same for a POST and a DELETE.
    server.inject(Fault::BadGatewayHtml, FaultCount::Next(2));
    let post = expect_core(client.create_activity(&NewActivity::new("Dev", slug("dev"))));
    assert_eq!(post.status(), Some(502));
    let delete = expect_core(client.delete_activity(&slug("dev")));
    assert_eq!(delete.status(), Some(502));
}

/// With a retry policy, a GET that meets a 502 is repeated until it succeeds.
pub fn gets_are_retried_after_bad_gateway<C: ScenarioClient>() {
    let server = mock();
    let client = client_with::<C>(Config::new(server.base_url()).retry(quick_retries(3)));
    make_activity(&client, "dev");

    server.inject(Fault::BadGatewayHtml, FaultCount::Next(2));
    let before = server.request_count();
    let activity = client
        .get_activity(&slug("dev"), false)
        .expect("recovered after two 502s");
    assert_eq!(activity.slug, Some(slug("dev")));
    assert_eq!(server.request_count(), before + 3);

    // Paged reads are retried page by page.
    server.inject(Fault::BadGatewayHtml, FaultCount::Next(1));
    client
        .list_all_times(&TimeQuery::new())
        .expect("recovered list");

    // Retries run out: the first try and three retries, then the 502.
    server.inject(Fault::BadGatewayHtml, FaultCount::Always);
    let before = server.request_count();
    let error = expect_core(client.list_projects(&ProjectQuery::new()));
    assert_eq!(error.status(), Some(502));
    assert_eq!(server.request_count(), before + 4);
    server.clear_faults();

    // A 500 is an answer, not a transient failure.
    server.inject(Fault::ServerError, FaultCount::Next(1));
    let before = server.request_count();
    expect_api(
        client.list_projects(&ProjectQuery::new()),
        ApiErrorKind::ServerError,
    );
    assert_eq!(server.request_count(), before + 1);
}

/// POST and DELETE are never repeated: the server may have acted on them.
pub fn posts_and_deletes_are_not_retried<C: ScenarioClient>() {
    let server = mock();
    let client = client_with::<C>(Config::new(server.base_url()).retry(quick_retries(3)));
    make_activity(&client, "dev");

    server.inject(Fault::BadGatewayHtml, FaultCount::Next(1));
    let before = server.request_count();
    let error = expect_core(client.create_project(&NewProject::new("Ex", slugs(&["ex"]))));
    assert_eq!(error.status(), Some(502));
    assert_eq!(server.request_count(), before + 1, "one POST only");
    expect_api(
        client.get_project(&slug("ex"), false),
        ApiErrorKind::NotFound,
    );

    server.inject(Fault::BadGatewayHtml, FaultCount::Next(1));
    let before = server.request_count();
    let error = expect_core(client.delete_activity(&slug("dev")));
    assert_eq!(error.status(), Some(502));
    assert_eq!(server.request_count(), before + 1, "one DELETE only");
    client
        .get_activity(&slug("dev"), false)
        .expect("the activity is still there");

    // A dropped connection is not retried for POST either.
    server.inject(Fault::DropConnection, FaultCount::Next(1));
    let before = server.request_count();
    assert!(
        client
            .create_activity(&NewActivity::new("Docs", slug("docs")))
            .is_err()
    );
    assert_eq!(server.request_count(), before + 1);
}

/// A connection closed without an answer is a transport failure of kind `Connection`.
pub fn dropped_connection_is_a_transport_failure<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    server.inject(Fault::DropConnection, FaultCount::Next(1));
    expect_transport(
        client.list_projects(&ProjectQuery::new()),
        TransportKind::Connection,
    );
    client
        .list_projects(&ProjectQuery::new())
        .expect("the next call works");
}

/// Nothing listening: `ConnectionRefused`, quickly, for a login and for a call with a token,
/// with and without retries.
pub fn refused_connection<C: ScenarioClient>() {
    let base_url = refused_base_url();
    let client = C::build(Config::new(&base_url)).expect("client builds");
    let started = Instant::now();
    expect_transport(
        client.authenticate(admin()),
        TransportKind::ConnectionRefused,
    );

    let token = Token::new("eyJ0eXAiOiJKV1QifQ==.eyJleHAiOjQxMDI0NDQ4MDAwMDB9.c2lnbmF0dXJl");
    let retrying = C::build(Config::new(&base_url).token(token).retry(quick_retries(2)))
        .expect("client builds");
    expect_transport(
        retrying.list_projects(&ProjectQuery::new()),
        TransportKind::ConnectionRefused,
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A base URL that is not `http(s)://host[:port]/vN`, or a user agent that cannot be a
/// header, is refused when the client is built; a trailing slash and a custom user agent are
/// fine.
pub fn invalid_settings_are_refused<C: ScenarioClient>() {
    for bad in ["ftp://127.0.0.1/v0", "127.0.0.1:8000/v0", "http:///v0", ""] {
        let failure = match C::build(Config::new(bad)) {
            Ok(_) => panic!("{bad:?} was accepted"),
            Err(failure) => failure,
        };
        assert!(
            matches!(failure.core(), Some(Error::InvalidBaseUrl(_))),
            "{bad:?}: {failure}"
        );
    }
    let server = mock();
    let mut config = Config::new(server.base_url());
    config.user_agent = Some("line\nbreak".to_owned());
    let failure = C::build(config).err().expect("a bad user agent is refused");
    assert!(
        matches!(failure.core(), Some(Error::InvalidValue { .. })),
        "{failure}"
    );

    // Timeouts over a year (`Duration::MAX` included) are refused, not left to overflow.
    let mut config = Config::new(server.base_url());
    config.timeout = Some(Duration::MAX);
    let failure = C::build(config).err().expect("a huge timeout is refused");
    assert!(
        matches!(
            failure.core(),
            Some(Error::InvalidValue {
                field: "timeout",
                ..
            })
        ),
        "{failure}"
    );
    let mut config = Config::new(server.base_url());
    config.connect_timeout = Some(Duration::from_secs(u64::MAX / 2));
    let failure = C::build(config)
        .err()
        .expect("a huge connect timeout is refused");
    assert!(
        matches!(
            failure.core(),
            Some(Error::InvalidValue {
                field: "connect_timeout",
                ..
            })
        ),
        "{failure}"
    );

    // A trailing slash makes no difference.
    let mut config = Config::new(format!("{}/", server.base_url()));
    config.user_agent = Some("timesync-scenarios/0 (+https://example.org)".to_owned());
    config.connect_timeout = Some(Duration::from_secs(2));
    let client = C::build(config).expect("builds");
    client.authenticate(admin()).expect("login");
    client.list_projects(&ProjectQuery::new()).expect("a call");
}

/// The body of `GET /times/:uuid` as the server sends it, read over a plain socket.
fn raw_time_body(server: &MockServer, token: &Token, uuid: timesync_core::Uuid) -> Vec<u8> {
    use std::io::{Read, Write};

    let prepared = timesync_core::Api::new(server.base_url())
        .expect("base url")
        .get_time(token, uuid, false, false)
        .expect("request");
    let uri = prepared.request().uri();
    let authority = uri.authority().expect("authority").as_str();
    let mut stream = std::net::TcpStream::connect(authority).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let head = format!(
        "GET {} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n",
        uri.path_and_query().expect("path").as_str()
    );
    stream.write_all(head.as_bytes()).expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    let split = answer
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("transfer-encoding"), "{head}");
    answer.split_off(split + 4)
}

/// An answer over `max_response_size` fails with `TooLarge`, is not retried, and leaves the
/// client usable; one of exactly that size is read.
pub fn answers_over_the_size_limit_are_refused<C: ScenarioClient>() {
    let server = mock();
    let setup = client_with::<C>(Config::new(server.base_url()));
    make_activity(&setup, "dev");
    crate::support::make_project(&setup, "ex", &[]);
    let time = setup
        .create_time(
            &timesync_core::NewTime::new(
                crate::support::hours("1h"),
                crate::support::admin_name(),
                slug("ex"),
                crate::support::day("2024-05-07"),
            )
            .activity(slug("dev"))
            .notes("a note long enough to matter"),
        )
        .expect("time");
    let token = setup.token().expect("a token");
    let size = u64::try_from(raw_time_body(&server, &token, time.uuid).len()).expect("size");

    let exact = client_with::<C>(Config::new(server.base_url()).max_response_size(size));
    assert_eq!(exact.get_time(time.uuid, false, false).expect("fits"), time);

    let small = client_with::<C>(
        Config::new(server.base_url())
            .max_response_size(size - 1)
            .retry(quick_retries(3)),
    );
    let before = server.request_count();
    let failure = expect_transport(
        small.get_time(time.uuid, false, false),
        TransportKind::TooLarge,
    );
    assert_eq!(server.request_count(), before + 1, "not retried");
    assert!(
        failure
            .display
            .contains(&format!("limit of {} bytes", size - 1)),
        "{}",
        failure.display
    );
    assert!(
        failure.display.contains("max_response_size"),
        "{}",
        failure.display
    );
    // A longer list is refused too; a small answer still goes through.
    expect_transport(small.list_times(&TimeQuery::new()), TransportKind::TooLarge);
    small.delete_time(time.uuid).expect("a small answer");

    let failure = C::build(Config::new(server.base_url()).max_response_size(0))
        .err()
        .expect("a zero limit is refused");
    assert!(
        matches!(
            failure.core(),
            Some(Error::InvalidValue {
                field: "max_response_size",
                ..
            })
        ),
        "{failure}"
    );
}

/// A chunked answer, whose size shows only while it is read, is held to the limit too.
pub fn chunked_answers_over_the_size_limit_are_refused<C: ScenarioClient>() {
    // 3,000 bytes in pieces of 500.
    let base_url = crate::support::chunked_server(2, 3_000, 500);
    let client = |limit: u64| {
        C::build(
            Config::new(base_url.clone())
                .token(Token::new("opaque-token"))
                .max_response_size(limit),
        )
        .expect("client builds")
    };
    let fits = client(3_000)
        .list_activities(&timesync_core::ActivityQuery::new())
        .expect("exactly at the limit");
    assert!(fits.is_empty());
    let failure = expect_transport(
        client(2_999).list_activities(&timesync_core::ActivityQuery::new()),
        TransportKind::TooLarge,
    );
    assert!(
        failure.display.contains("limit of 2999 bytes"),
        "{}",
        failure.display
    );
}

/// No token appears in any error's `Display` or `Debug`, nor in the client's `Debug`, even
/// when the token is full of characters that get percent-encoded.
///
/// Every scenario checks the errors it meets (see [`ScenarioClient`]); this one makes sure that
/// one of each kind is met with a token that is awkward to redact.
pub fn tokens_never_show_in_errors<C: ScenarioClient>() {
    let server = MockServer::builder()
        .awkward_tokens(true)
        .start()
        .expect("the mock server starts");
    let client = C::build(
        Config::new(server.base_url())
            .no_relogin(admin())
            .timeout(TIMEOUT),
    )
    .expect("client builds");
    let token = client.authenticate(admin()).expect("login");
    let forms = crate::client::token_forms(token.expose());

    let mut texts = vec![client.debug_text(), format!("{token:?}")];
    let mut collect = |result: crate::client::Outcome<_>| {
        let failure = result.expect_err("an error");
        texts.push(failure.display);
        texts.push(failure.debug);
    };
    let missing = timesync_core::parse_uuid("00000000-0000-4000-8000-000000000000").expect("uuid");
    collect(client.get_time(missing, false, false).map(drop));
    collect(client.delete_time(missing).map(drop));
    collect(
        client
            .list_times(&TimeQuery::new().user(crate::support::username("nobody")))
            .map(drop),
    );
    server.inject(Fault::BadGatewayHtml, FaultCount::Next(1));
    collect(client.list_projects(&ProjectQuery::new()).map(drop));
    server.inject(Fault::ServerError, FaultCount::Next(1));
    collect(client.list_projects(&ProjectQuery::new()).map(drop));
    server.inject(Fault::Hang, FaultCount::Next(1));
    collect(client.list_projects(&ProjectQuery::new()).map(drop));
    server.inject(Fault::DropConnection, FaultCount::Next(1));
    collect(client.delete_activity(&slug("dev")).map(drop));
    server.revoke_tokens();
    collect(client.list_projects(&ProjectQuery::new()).map(drop));
    collect(
        client
            .create_activity(&NewActivity::new("Dev", slug("dev")))
            .map(drop),
    );
    texts.push(client.debug_text());

    for text in &texts {
        for form in &forms {
            assert!(!text.contains(form.as_str()), "a token shows in: {text}");
        }
        assert!(
            !text.contains(timesync_mock::ADMIN_PASSWORD),
            "the password shows in: {text}"
        );
    }
}
