//! The reqwest transport over real sockets on 127.0.0.1: refused connections, timeouts, and the
//! mock server with its faults and paging modes.

mod support;

use std::collections::HashSet;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use timesync_async::{
    ActivityQuery, ApiErrorKind, Client, Credentials, NewActivity, NewTime, Slug, TimeQuery, Token,
    TransportErrorKind, UserQuery, Username,
};
use timesync_mock::{ADMIN_PASSWORD, ADMIN_USERNAME, Fault, FaultCount, MockServer, Paging, Seed};

use support::{fast_retries, in_query, token_expiring_in};

fn admin() -> Credentials {
    Credentials::password(Username::new(ADMIN_USERNAME).unwrap(), ADMIN_PASSWORD)
}

fn alice() -> Credentials {
    Credentials::password(Username::new("alice").unwrap(), "alice-pass")
}

fn demo(paging: Paging) -> MockServer {
    MockServer::builder()
        .seed(Seed::Demo)
        .paging(paging)
        .start()
        .unwrap()
}

/// A port on which nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_refused_connection_is_told_apart_and_shows_no_token() {
    let token = token_expiring_in(600);
    let client = Client::builder(&format!("http://127.0.0.1:{}/v0", closed_port()))
        .token(token.clone())
        .build()
        .unwrap();

    let error = client.list_times(&TimeQuery::new()).await.unwrap_err();
    let transport = error.transport().expect("a transport error");
    assert_eq!(transport.kind(), TransportErrorKind::ConnectionRefused);
    assert!(transport.is_connect());
    let text = format!("{error} {error:?}");
    assert!(
        text.starts_with("transport error: connection refused"),
        "{text}"
    );
    assert!(!text.contains(token.expose()), "{text}");
    assert!(!text.contains(&in_query(&token)), "{text}");
    assert!(!text.contains("token="), "{text}");
    assert!(!text.contains("/v0/times"), "{text}");
}

#[tokio::test]
async fn a_host_that_does_not_resolve_is_a_dns_failure_while_connecting() {
    // `.invalid` names never resolve, and the look-up fails without asking the network.
    let connect_timeout = Duration::from_secs(3);
    let client = Client::builder("http://no-such-host.invalid/v0")
        .token(token_expiring_in(600))
        .connect_timeout(connect_timeout)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.list_times(&TimeQuery::new()).await.unwrap_err();
    let transport = error.transport().expect("a transport error");
    assert!(transport.is_connect(), "{error}");
    if started.elapsed() < connect_timeout {
        assert_eq!(transport.kind(), TransportErrorKind::Dns, "{error}");
    } else {
        // A resolver that hangs even on `.invalid` runs into the connect timeout instead.
        assert_eq!(transport.kind(), TransportErrorKind::Timeout, "{error}");
    }
    assert!(!error.to_string().contains("token"), "{error}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // The kernel completes the handshake for a listener that never accepts, and nothing is
    // ever written back.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = Client::builder(&format!("http://{}/v0", listener.local_addr().unwrap()))
        .token(token_expiring_in(600))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.list_times(&TimeQuery::new()).await.unwrap_err();
    assert_eq!(
        error.transport().unwrap().kind(),
        TransportErrorKind::Timeout,
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!error.to_string().contains("token"), "{error}");
}

#[tokio::test]
async fn a_hanging_mock_times_out_and_is_not_retried() {
    let server = MockServer::start();
    // Logging in checks a bcrypt hash, which may take longer than the short timeout below.
    let token = Client::new(server.base_url())
        .unwrap()
        .authenticate(admin())
        .await
        .unwrap();
    let client = Client::builder(server.base_url())
        .token(token)
        .timeout(Duration::from_millis(300))
        .retry(fast_retries(3))
        .build()
        .unwrap();

    server.inject(Fault::Hang, FaultCount::Next(1));
    let error = client.list_times(&TimeQuery::new()).await.unwrap_err();
    assert_eq!(
        error.transport().unwrap().kind(),
        TransportErrorKind::Timeout
    );
    // A timeout is no connect failure: the server may have acted, so no retry.
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn https_against_a_plain_http_server_is_a_tls_failure() {
    let server = MockServer::start();
    let base = server.base_url().replacen("http://", "https://", 1);
    let client = Client::builder(&base)
        .token(token_expiring_in(600))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let error = client.list_times(&TimeQuery::new()).await.unwrap_err();
    let transport = error.transport().expect("a transport error");
    assert_eq!(transport.kind(), TransportErrorKind::Tls, "{error}");
    // The handshake failed, so no request reached the server: a GET may be retried.
    assert!(transport.is_connect(), "{error}");
}

#[tokio::test]
async fn a_list_call_without_a_page_gets_the_servers_default() {
    for (paging, expected) in [(Paging::Spec, 25), (Paging::IgnoreSkipLimit, 51)] {
        let server = demo(paging);
        let client = Client::builder(server.base_url())
            .credentials(admin())
            .build()
            .unwrap();
        let times = client.list_times(&TimeQuery::new()).await.unwrap();
        assert_eq!(times.len(), expected, "{paging:?}");
        let all = client.list_all_times(&TimeQuery::new()).await.unwrap();
        assert_eq!(all.len(), 51);
    }
}

#[tokio::test]
async fn every_page_against_both_paging_modes() {
    for paging in [Paging::Spec, Paging::IgnoreSkipLimit] {
        let server = demo(paging);
        for page_size in [1, 7, 25, 100] {
            let client = Client::builder(server.base_url())
                .credentials(admin())
                .page_size(page_size)
                .build()
                .unwrap();
            let all = client.list_all_times(&TimeQuery::new()).await.unwrap();
            let uuids: HashSet<_> = all.iter().map(|t| t.uuid).collect();
            assert_eq!(
                uuids.len(),
                all.len(),
                "duplicates with {paging:?}, {page_size}"
            );
            assert_eq!(all.len(), 51, "{paging:?}, page size {page_size}");

            let deleted = client
                .list_all_times(&TimeQuery::new().include_deleted(true))
                .await
                .unwrap();
            assert_eq!(deleted.len(), 52);

            let users = client.list_all_users(&UserQuery::new()).await.unwrap();
            assert_eq!(users.len(), 7, "{paging:?}, page size {page_size}");
        }
    }
}

#[tokio::test]
async fn revoked_tokens_are_renewed_once() {
    let server = demo(Paging::Spec);
    let client = Client::builder(server.base_url())
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    client.list_projects(&Default::default()).await.unwrap();
    assert_eq!(server.request_count(), 2);

    server.revoke_tokens();
    let before = client.token().unwrap();
    client.list_projects(&Default::default()).await.unwrap();
    assert_eq!(server.request_count(), 5, "refused GET, login, GET again");
    assert_ne!(client.token().unwrap(), before);

    // Without re-login the refusal comes back.
    let plain = Client::builder(server.base_url()).build().unwrap();
    plain.authenticate(alice()).await.unwrap();
    server.revoke_tokens();
    let error = plain.list_projects(&Default::default()).await.unwrap_err();
    assert_eq!(
        error.api().unwrap().kind,
        ApiErrorKind::AuthenticationFailure
    );
}

#[tokio::test]
async fn the_first_login_leaves_a_call_its_one_re_login() {
    let server = Arc::new(demo(Paging::Spec));
    let client = Client::builder(server.base_url())
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    // The call's first login and its GET each wait 300 ms at the server; the tokens are
    // revoked once the login is answered, while the GET waits.
    server.inject(
        Fault::Delay(Duration::from_millis(300)),
        FaultCount::Next(2),
    );
    let revoker = std::thread::spawn({
        let server = server.clone();
        move || {
            let deadline = Instant::now() + Duration::from_secs(10);
            while server.request_count() < 2 {
                assert!(Instant::now() < deadline, "the GET never arrived");
                std::thread::sleep(Duration::from_millis(1));
            }
            server.revoke_tokens();
        }
    });
    client.list_projects(&Default::default()).await.unwrap();
    revoker.join().unwrap();
    assert_eq!(server.request_count(), 4, "login, refused GET, login, GET");
}

#[tokio::test]
async fn short_lived_tokens_are_renewed_before_sending() {
    // Tokens that live less than the leeway are renewed before every call.
    let server = MockServer::builder()
        .seed(Seed::Demo)
        .token_lifetime(Duration::from_secs(5))
        .start()
        .unwrap();
    let client = Client::builder(server.base_url())
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    client.list_activities(&Default::default()).await.unwrap();
    client.list_activities(&Default::default()).await.unwrap();
    assert_eq!(server.request_count(), 4, "login and GET, twice");
}

#[tokio::test]
async fn gateway_errors_are_retried_for_gets_only() {
    let server = demo(Paging::Spec);
    let client = Client::builder(server.base_url())
        .retry(fast_retries(3))
        .build()
        .unwrap();
    client.authenticate(alice()).await.unwrap();

    server.inject(Fault::BadGatewayHtml, FaultCount::Next(2));
    assert_eq!(
        client
            .list_projects(&Default::default())
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(server.request_count(), 4);

    server.inject(Fault::BadGatewayHtml, FaultCount::Next(1));
    let new = NewTime::new(
        "1h".parse().unwrap(),
        Username::new("alice").unwrap(),
        Slug::new("gwm").unwrap(),
        "2024-04-01".parse().unwrap(),
    )
    .activity(Slug::new("dev").unwrap());
    let error = client.create_time(&new).await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert_eq!(server.request_count(), 5);

    server.inject(Fault::DropConnection, FaultCount::Next(1));
    let error = client.create_time(&new).await.unwrap_err();
    assert!(error.transport().is_some(), "{error:?}");
    assert_eq!(server.request_count(), 6);

    // Nothing was created by the failed attempts; this one goes through.
    client.create_time(&new).await.unwrap();
}

#[tokio::test]
async fn tokens_with_plus_slash_and_equals_travel_intact() {
    let server = MockServer::builder()
        .seed(Seed::Demo)
        .awkward_tokens(true)
        .start()
        .unwrap();
    let client = Client::new(server.base_url()).unwrap();
    let token: Token = client.authenticate(alice()).await.unwrap();
    assert!(token.expose().contains(['+', '/', '=']));
    client.list_times(&TimeQuery::new()).await.unwrap();
    client
        .get_user(&Username::new("alice").unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_callers_http_client_is_used() {
    let server = demo(Paging::Spec);
    let client = Client::builder(server.base_url())
        .http_client(timesync_async::reqwest::Client::new())
        .build()
        .unwrap();
    client.authenticate(alice()).await.unwrap();
    let error = client
        .get_project(&Slug::new("nosuch").unwrap(), false)
        .await
        .unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::NotFound);
    assert_eq!(
        client
            .list_projects(&Default::default())
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_run_concurrently_from_spawned_tasks() {
    let server = demo(Paging::Spec);
    let client = Client::builder(server.base_url())
        .credentials(alice())
        .auto_relogin(true)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_activities(&Default::default()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().len(), 5);
    }
    // One login, however many calls found no token at once.
    assert_eq!(server.request_count(), 9);
}

/// Answers `requests` requests, one per connection, with `400 text/html` and what it was
/// sent (the body, or the request line when there is none) with `"` as `&quot;`, as a broken
/// server's error page may.
fn echoing_server(requests: usize) -> std::net::SocketAddr {
    use std::io::{BufRead, BufReader, Read, Write};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let stream = stream.unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let echoed = if body.is_empty() {
                request_line.trim_end().to_owned()
            } else {
                String::from_utf8(body).unwrap()
            };
            let page = format!("<pre>{}</pre>", echoed.replace('"', "&quot;"));
            let answer = format!(
                "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            reader.get_mut().write_all(answer.as_bytes()).unwrap();
        }
    });
    addr
}

#[tokio::test]
async fn a_password_or_token_that_the_server_echoes_is_not_shown() {
    let client = Client::new(&format!("http://{}/v0", echoing_server(3))).unwrap();

    let login = client
        .authenticate(Credentials::password(
            Username::new("alice").unwrap(),
            "hunter2SECRET",
        ))
        .await
        .unwrap_err();
    client.set_token(Token::new("shortTOKsecret99"));
    let post = client
        .create_activity(&NewActivity::new("Tests", Slug::new("tests").unwrap()))
        .await
        .unwrap_err();
    let get = client
        .list_activities(&ActivityQuery::new())
        .await
        .unwrap_err();
    for error in [login, post, get] {
        let text = format!("{error} {error:?}");
        assert_eq!(error.status(), Some(400), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert!(!text.contains("hunter2SECRET"), "{text}");
        assert!(!text.contains("shortTOKsecret99"), "{text}");
    }
}

/// Answers one request with a redirect to a port where nothing listens.
fn redirecting_server() -> std::net::SocketAddr {
    use std::io::{Read, Write};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let target = closed_port();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        let answer = format!(
            "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{target}/v0/times\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(answer.as_bytes()).unwrap();
    });
    addr
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let client = Client::builder(&format!("http://{}/v0", redirecting_server()))
        .token(token_expiring_in(600))
        .build()
        .unwrap();
    let error = client.list_times(&TimeQuery::new()).await.unwrap_err();
    assert_eq!(error.status(), Some(302), "{error:?}");
}
