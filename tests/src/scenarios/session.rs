//! Logging in, tokens, and logging in again.

use std::time::{Duration, Instant, SystemTime};

use timesync_core::{ApiErrorKind, Error, NewActivity, ProjectQuery, TimeQuery, Token};
use timesync_mock::MockServer;

use crate::client::{Config, ScenarioClient, expect_api, expect_core};
use crate::support::{admin, admin_name, day, demo, demo_credentials, logged_in, mock, slug};
use crate::{Credentials, parse_uuid};

/// A login gives a token that expires in about 30 minutes, and calls work with it.
pub fn login_succeeds<C: ScenarioClient>() {
    let server = mock();
    let client = C::build(Config::new(server.base_url())).expect("client builds");
    assert!(client.token().is_none());
    assert!(client.token_expiry().is_none());

    let token = client.authenticate(admin()).expect("the admin logs in");
    assert_eq!(client.token().as_ref(), Some(&token));
    let expiry = client.token_expiry().expect("the token has an expiry");
    let left = expiry
        .duration_since(SystemTime::now())
        .expect("expiry in the future");
    assert!(
        left > Duration::from_secs(29 * 60) && left <= Duration::from_secs(30 * 60),
        "{left:?}"
    );
    client
        .list_projects(&ProjectQuery::new())
        .expect("a call with the token");
}

/// A wrong password and an unknown user are authentication failures and leave no token.
pub fn login_with_wrong_password_fails<C: ScenarioClient>() {
    let server = mock();
    let client = C::build(Config::new(server.base_url())).expect("client builds");

    let wrong = Credentials::password(admin_name(), "not the admin password");
    let error = expect_api(
        client.authenticate(wrong),
        ApiErrorKind::AuthenticationFailure,
    );
    assert_eq!(error.status, 401);
    assert!(client.token().is_none());

    let nobody = Credentials::password(crate::support::username("nobody"), "whatever it is");
    expect_api(
        client.authenticate(nobody),
        ApiErrorKind::AuthenticationFailure,
    );
    assert!(client.token().is_none());

    // The mock has no LDAP: like the reference, it calls the auth type a bad query value.
    let ldap = Credentials::ldap(admin_name(), timesync_mock::ADMIN_PASSWORD);
    let error = expect_api(client.authenticate(ldap), ApiErrorKind::BadQueryValue);
    assert_eq!(error.status, 401);
    assert!(client.token().is_none());
}

/// Without a token, calls fail before anything is sent.
pub fn calls_before_login_fail_locally<C: ScenarioClient>() {
    let server = mock();
    let client = C::build(Config::new(server.base_url())).expect("client builds");
    let uuid = parse_uuid("6f0b3a5e-2c1d-4e7f-9a8b-1c2d3e4f5a6b").expect("a uuid");

    let errors = [
        expect_core(client.list_times(&TimeQuery::new())),
        expect_core(client.list_all_times(&TimeQuery::new())),
        expect_core(client.get_time(uuid, false, false)),
        expect_core(client.delete_time(uuid)),
        expect_core(client.get_project(&slug("ex"), false)),
        expect_core(client.create_activity(&NewActivity::new("Dev", slug("dev")))),
        expect_core(client.list_users(&timesync_core::UserQuery::new())),
        expect_core(client.list_org_roles()),
    ];
    for error in errors {
        assert_eq!(error, Error::NotAuthenticated);
    }
    // An empty token is no token.
    client.set_token(Token::new(""));
    assert_eq!(
        expect_core(client.list_times(&TimeQuery::new())),
        Error::NotAuthenticated
    );
    assert_eq!(server.request_count(), 0, "nothing may reach the server");
}

/// A token handed to the builder or to `set_token` is used as is, without a login.
pub fn token_from_builder_and_set_token<C: ScenarioClient>() {
    let server = mock();
    let first = logged_in::<C>(&server);
    let token = first.token().expect("a token");

    let before = server.request_count();
    let second =
        C::build(Config::new(server.base_url()).token(token.clone())).expect("client builds");
    assert_eq!(second.token().as_ref(), Some(&token));
    assert!(second.token_expiry().is_some());
    second
        .list_projects(&ProjectQuery::new())
        .expect("a call with the given token");
    assert_eq!(server.request_count(), before + 1, "no login");

    let third = C::build(Config::new(server.base_url())).expect("client builds");
    third.set_token(token.clone());
    assert_eq!(third.token().as_ref(), Some(&token));
    third
        .list_projects(&ProjectQuery::new())
        .expect("a call with the set token");

    third.set_token(Token::new("bm90.YSB0b2tlbg==.c2lnbmF0dXJl"));
    expect_api(
        third.list_projects(&ProjectQuery::new()),
        ApiErrorKind::AuthenticationFailure,
    );
}

/// After the server forgets every token, a client with credentials logs in again and repeats
/// the call, for GET, POST and DELETE alike.
pub fn relogin_after_tokens_are_revoked<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);

    let first = client.token().expect("a token");
    server.revoke_tokens();
    let before = server.request_count();
    client
        .list_projects(&ProjectQuery::new())
        .expect("GET after revocation");
    assert_eq!(
        server.request_count(),
        before + 3,
        "the rejected GET, the login, the GET again"
    );
    let second = client.token().expect("a token");
    assert_ne!(first, second, "a new token");

    server.revoke_tokens();
    let before = server.request_count();
    client
        .create_activity(&NewActivity::new("Development", slug("dev")))
        .expect("POST after revocation");
    assert_eq!(server.request_count(), before + 3);
    assert_ne!(client.token().expect("a token"), second);
    // Created exactly once.
    client
        .get_activity(&slug("dev"), true)
        .map(|activity| assert!(activity.parents.is_empty()))
        .expect("the activity exists");

    server.revoke_tokens();
    client
        .delete_activity(&slug("dev"))
        .expect("DELETE after revocation");
}

/// Without `auto_relogin`, or without credentials, a revoked token is an authentication
/// failure for the caller.
pub fn revoked_token_fails_without_relogin<C: ScenarioClient>() {
    let server = mock();
    let client =
        C::build(Config::new(server.base_url()).no_relogin(admin())).expect("client builds");
    client.authenticate(admin()).expect("the admin logs in");
    server.revoke_tokens();
    let before = server.request_count();
    expect_api(
        client.list_projects(&ProjectQuery::new()),
        ApiErrorKind::AuthenticationFailure,
    );
    assert_eq!(server.request_count(), before + 1, "no login attempt");

    let token = client.authenticate(admin()).expect("a manual login works");
    let bare = C::build(Config::new(server.base_url()).token(token)).expect("client builds");
    server.revoke_tokens();
    expect_api(
        bare.create_activity(&NewActivity::new("Docs", slug("docs"))),
        ApiErrorKind::AuthenticationFailure,
    );
}

/// A token about to expire is replaced before the call, so no request is rejected.
pub fn expiring_token_is_renewed_before_sending<C: ScenarioClient>() {
    // Shorter than the 30 s of leeway the clients keep: every token counts as expiring.
    let server = MockServer::builder()
        .token_lifetime(Duration::from_secs(10))
        .start()
        .expect("the mock server starts");
    let client = logged_in::<C>(&server);
    let first = client.token().expect("a token");

    let before = server.request_count();
    client
        .list_projects(&ProjectQuery::new())
        .expect("a call with an expiring token");
    assert_eq!(
        server.request_count(),
        before + 2,
        "a login, then the call, and no rejected request"
    );
    assert_ne!(client.token().expect("a token"), first);
}

/// A token that has really expired is renewed too, even when the server would reject it.
pub fn expired_token_is_renewed<C: ScenarioClient>() {
    let server = MockServer::builder()
        .token_lifetime(Duration::from_millis(300))
        .start()
        .expect("the mock server starts");
    let client = logged_in::<C>(&server);
    std::thread::sleep(Duration::from_millis(400));
    client
        .list_projects(&ProjectQuery::new())
        .expect("a call after expiry");

    let bare = C::build(Config::new(server.base_url())).expect("client builds");
    bare.authenticate(admin()).expect("login");
    std::thread::sleep(Duration::from_millis(400));
    expect_api(
        bare.list_projects(&ProjectQuery::new()),
        ApiErrorKind::AuthenticationFailure,
    );
}

/// An authorization failure is not an authentication failure: no login, no second try.
pub fn authorization_failure_does_not_log_in_again<C: ScenarioClient>() {
    let server = demo();
    let carol = crate::support::logged_in_as::<C>(&server, demo_credentials("carol"));
    let before = server.request_count();
    let started = Instant::now();
    expect_api(
        carol.create_activity(&NewActivity::new("Cooking", slug("cooking"))),
        ApiErrorKind::AuthorizationFailure,
    );
    assert_eq!(server.request_count(), before + 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    // Times of others are hidden from her rather than refused.
    let times = carol
        .list_times(&TimeQuery::new().start(day("2024-03-04")))
        .expect("carol lists times");
    assert!(times.is_empty(), "carol sees no one's times");
}

/// Calls from several threads that all meet a revoked token share one new login.
pub fn concurrent_calls_log_in_again_once<C: ScenarioClient + Sync>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    server.revoke_tokens();

    const THREADS: usize = 4;
    let before = server.request_count();
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                client
                    .list_projects(&ProjectQuery::new())
                    .expect("a call after revocation")
            });
        }
    });
    // Each call is sent at most twice (once rejected), plus a single login.
    let sent = server.request_count() - before;
    assert!(
        sent <= 2 * THREADS + 1,
        "{sent} requests: more than one login"
    );
    assert!(
        sent > THREADS,
        "at least one call was rejected and a login made"
    );
}
