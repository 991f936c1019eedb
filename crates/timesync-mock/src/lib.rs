//! An in-memory TimeSync server on loopback, for testing TimeSync clients.
//!
//! [TimeSync](https://github.com/osuosl/timesync) is the time-tracking REST API of the OSU Open
//! Source Lab; its reference server is timesync-node. This crate is a real HTTP server that
//! enforces the API as the reference does, so that a program tested against it works against a
//! real TimeSync: logins with bcrypt-checked passwords, tokens shaped like the reference's,
//! every endpoint under `/v0` with its query parameters, the permission rules, revisions, soft
//! deletion, and the reference's error bodies. It keeps everything in memory, listens on
//! 127.0.0.1 only, and can misbehave on request (slow answers, dropped connections, a 502 from a
//! proxy, revoked tokens) so that clients can test how they cope.
//!
//! It is not a TimeSync server for real use: no persistence, no LDAP, no TLS.
//!
//! # Start it from Rust
//!
//! 1. Add the crate as a dev-dependency.
//! 2. Call [`MockServer::start`] (or [`MockServer::builder`] for the demo data, the paging mode
//!    of the reference, short-lived tokens...). It binds an ephemeral port on 127.0.0.1, starts
//!    a thread with its own Tokio runtime and returns once the server is listening, so it works
//!    the same from a plain `#[test]` and from a `#[tokio::test]`.
//! 3. Point the client at [`MockServer::base_url`] (`http://127.0.0.1:PORT/v0`, no trailing
//!    slash) and log in as [`ADMIN_USERNAME`] / [`ADMIN_PASSWORD`], or as one of the
//!    [`demo_accounts`].
//! 4. Optionally, [`inject`](MockServer::inject) faults,
//!    [`revoke_tokens`](MockServer::revoke_tokens), switch the
//!    [paging mode](MockServer::set_paging), and count the requests the client sent with
//!    [`request_count`](MockServer::request_count).
//! 5. Drop the server: it stops, and its thread ends, within a second or so.
//!
//! ```
//! use std::io::{Read, Write};
//! use std::net::TcpStream;
//!
//! use timesync_mock::{MockServer, Seed};
//!
//! let server = MockServer::builder().seed(Seed::Demo).start()?;
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//!
//! // Any HTTP client will do; here, HTTP/1.1 by hand.
//! let body = r#"{"auth": {"type": "password", "username": "alice", "password": "alice-pass"}}"#;
//! let mut stream = TcpStream::connect(server.addr())?;
//! write!(
//!     stream,
//!     "POST /v0/login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
//!      Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
//!     server.addr(),
//!     body.len()
//! )?;
//! let mut answer = String::new();
//! stream.read_to_string(&mut answer)?;
//! assert!(answer.starts_with("HTTP/1.1 200 OK"));
//! assert!(answer.contains(r#"{"token":"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Start it from a shell
//!
//! The `timesync-mock` binary (feature `cli`, on by default) serves until Ctrl-C, so that a
//! client in any language can be tested against it:
//!
//! ```text
//! $ cargo run -p timesync-mock -- --port 8000 --seed demo
//! timesync-mock listening on http://127.0.0.1:8000/v0
//! accounts (username / password: role):
//!   admin / admin-pass: site admin (also site manager and site spectator)
//!   ...
//! ```
//!
//! Options: `--port N` (default 8000, 0 picks a free port), `--seed empty|demo` (default
//! `empty`), `--paging spec|reference` (default `spec`), `--token-lifetime SECS` (default 1800)
//! and `--awkward-tokens`. `RUST_LOG` filters its log (one line per request on stderr at
//! `debug`, the default for this crate).
//!
//! A client in another language logs in with `POST /v0/login` and a JSON body, and gets
//! `{"token": "..."}` back:
//!
//! ```sh
//! TOKEN=$(curl -s -X POST http://127.0.0.1:8000/v0/login -H 'Content-Type: application/json' \
//!   -d '{"auth":{"type":"password","username":"admin","password":"admin-pass"}}' \
//!   | sed -E 's/.*"token":"([^"]*)".*/\1/')
//! ```
//!
//! GET and DELETE requests carry the token in the query parameter `token`, percent-encoded: a
//! token may contain `+`, `/` and `=`, and a raw `+` in a query string reads as a space. curl's
//! `--get --data-urlencode` does the encoding:
//!
//! ```sh
//! curl --get --data-urlencode "token=$TOKEN" http://127.0.0.1:8000/v0/times
//! curl --get --data-urlencode "token=$TOKEN" --data-urlencode "user=alice" \
//!   --data-urlencode "limit=5" http://127.0.0.1:8000/v0/times
//! ```
//!
//! POST requests carry it in the JSON body instead, beside the object:
//! `{"auth": {"type": "token", "token": "..."}, "object": {...}}`. A `token` in the query
//! string of a POST is ignored, and so is a body sent without `Content-Type: application/json`
//! (curl's `-d` alone sends another type): the answer is `401 Authentication failure`,
//! "Missing credentials".
//!
//! ```sh
//! curl -X POST http://127.0.0.1:8000/v0/activities -H 'Content-Type: application/json' \
//!   -d '{"auth":{"type":"token","token":"'"$TOKEN"'"},"object":{"name":"Test","slug":"test"}}'
//! curl -X DELETE --get --data-urlencode "token=$TOKEN" http://127.0.0.1:8000/v0/activities/test
//! ```
//!
//! # The seeds
//!
//! [`Seed::Empty`] holds one site admin, [`ADMIN_USERNAME`] / [`ADMIN_PASSWORD`]. [`Seed::Demo`]
//! holds fixed data (uuids and dates included) that tests may rely on:
//!
//! | username | password | role |
//! | --- | --- | --- |
//! | `admin` | `admin-pass` | site admin (also site manager and site spectator) |
//! | `manager` | `manager-pass` | site manager (also site spectator) |
//! | `spectator` | `spectator-pass` | site spectator |
//! | `pat` | `pat-pass` | manager of `gwm`, member of `timesync` |
//! | `alice` | `alice-pass` | member of `gwm` and `timesync`, spectator of `pgd` |
//! | `bob` | `bob-pass` | manager of `pgd`, member of `timesync`, spectator of `gwm` |
//! | `carol` | `carol-pass` | no site or project role |
//!
//! - A deleted user `dave` (seen only with `include_deleted=true`; cannot log in).
//! - Org roles `developer` (pat, alice, bob) and `sysadmin` (bob).
//! - Projects: `gwm`/`ganeti-webmgr` "Ganeti Web Manager"; `timesync`/`ts` "TimeSync"
//!   (revision 2, renamed from "TimeSync API"; default activity `dev`); `pgd` "Protein Geometry
//!   Database"; and a deleted project "Old Wiki" without slugs.
//! - Activities: `dev`, `docs`, `review`, `meeting`, `sys`, and a deleted "Planning" without
//!   slug.
//! - 52 times over four working weeks, Monday 2024-03-04 to Friday 2024-03-29: alice 2 h of
//!   `dev` on `gwm` Monday to Thursday and 1 h of `docs` on `timesync` on Fridays; bob 1.5 h of
//!   `sys` on `pgd` every day; pat 30 min of `meeting` on `gwm` on Mondays and 1 h of `review`
//!   and `dev` on `timesync` on Tuesdays and Thursdays. Alice's time of 2024-03-05 has a second
//!   revision; bob's of 2024-03-08 is deleted. With the default `limit` of 25, listing them all
//!   takes paging.
//!
//! Every password of a seed is stored as a `$2a$10$` bcrypt hash, as clients must send them
//! when they create users. A user created with a plain-text password can never log in, as in
//! the reference.
//!
//! # Permissions
//!
//! The spec's rules: any authenticated user reads projects, activities, users and org roles.
//! Times are visible to their author, to the spectators and managers of their project, and to
//! site spectators, managers and admins. Members of a project log their own time on it (site
//! admins on any project); only the author updates a time; the author, site managers and admins
//! delete it. Site managers and admins create projects, activities, org roles and users;
//! project managers and site managers update and delete projects; only site admins delete users
//! or change `site_admin`/`site_manager`; site managers may change `site_spectator`, `active`
//! and `org-roles`; users may update their own other fields.
//!
//! # Paging
//!
//! [`Paging::Spec`] (the default): list endpoints take `skip` and `limit`, `limit` defaults to
//! 25, and `limit=0` means everything. [`Paging::IgnoreSkipLimit`] behaves like timesync-node
//! 0.1.2, which ignores both and returns everything. [`Paging::Capped`] pages as the spec
//! says but sends at most a fixed number of objects a page, as a server with a page-size
//! maximum of its own may. Test a client against each: [`Builder::paging`] or
//! [`MockServer::set_paging`].
//!
//! # Tokens
//!
//! Like the reference's: three segments of standard base64 with `=` padding, signed with
//! HMAC-SHA512 (a random key per server), payload `{"iss", "sub", "exp", "iat"}` in
//! milliseconds, 30 minutes by default ([`Builder::token_lifetime`]). A bad, expired or revoked
//! token gets `401 Authentication failure` "Bad API token"; no token gets "Missing credentials".
//! [`Builder::awkward_tokens`] makes every token contain `+`, `/` and `=`, so that a client can
//! prove it percent-encodes the token in query strings.
//!
//! # Fault injection
//!
//! [`MockServer::inject`] queues a [`Fault`] for the next `n` requests ([`FaultCount::Next`]) or
//! for every request until [`MockServer::clear_faults`] ([`FaultCount::Always`]). Faults apply
//! in the order injected, to requests in the order they arrive, before anything else (even
//! before routing): a request that fails by a fault changes nothing, and a delayed one is
//! handled once its delay is over, or never if its client gave up meanwhile (see
//! [`Fault::Delay`]). Every request is counted by [`MockServer::request_count`], faulty or
//! not. [`MockServer::revoke_tokens`] makes every token issued so far invalid at once, as a
//! restart of the reference does.
//!
//! # Differences from timesync-node 0.1.2
//!
//! Where the reference has a defect, the mock answers as the spec intends:
//!
//! - Updating an unknown activity (`POST /activities/nosuch`) answers 404 and then wedges the
//!   reference: every later request hangs until it restarts. The mock answers the same 404 and
//!   carries on.
//! - An unknown field in a user update gets `500 Server error` from the reference; the mock
//!   answers `400 Bad object` "user does not have a shoe_size field", like other objects.
//! - Update responses of the reference miss fields (a time update answers `"activities": []`,
//!   an activity update has no `deleted_at`); the mock answers the whole object, as GET shows
//!   it.
//! - A time update with `"activities": []` makes the time vanish from the reference's GET; the
//!   mock refuses it with `400 Bad object`. The reference also ignores `0` and `""` in time
//!   updates; the mock applies them (`""` empties `notes` or `issue_uri`).
//! - Creating users needs site admin *and* site manager in the reference; the mock lets site
//!   admins or site managers create users, as the spec says (only admins may grant
//!   `site_admin` or `site_manager`).
//! - The reference turns the spaces of a token back into `+`, so it accepts a token that was put
//!   in a query string without percent-encoding. The mock decodes query strings as
//!   `application/x-www-form-urlencoded` (a raw `+` is a space) and repairs nothing, as other
//!   servers and proxies do: such a token gets "Bad API token".
//! - `GET /activities/Bad--Slug` gets a 404 from the reference; the mock answers `400 The
//!   provided identifier was invalid`, as both do for projects.
//! - The reference does not check that the author of a new time is a member of the project;
//!   the mock does (site admins excepted).
//! - The reference labels the JSON of logins, creations and some updates `text/html`; the mock
//!   labels all JSON `application/json; charset=utf-8`.
//! - Create responses of the reference echo only the fields sent; the mock adds the others
//!   (`null` when unset, the default activity when `activities` was omitted), still echoing
//!   `project` as the slug sent. A user creation still answers `created_at` in epoch
//!   milliseconds, as the reference does.
//! - A body over 100 KiB (102,400 bytes, the reference's body-parser limit) gets `413` with a
//!   TimeSync error body (`"error": "Bad object"`) and the connection is closed. A client that
//!   sends a body far above the limit may find the connection closed before it reads the 413
//!   (a broken pipe or a reset), as with real servers: the server stops reading at the limit.
//! - Not a defect, but a gap: the reference closes idle keep-alive connections after 5 seconds
//!   (`Keep-Alive: timeout=5`); the mock keeps them open until the client closes them or the
//!   server stops.
//!
//! The mock also serves what the spec has and the reference lacks: org roles under
//! `/users/org-roles` (objects `{name, slug}` with uuid and revisions), the `org-roles` field of
//! users, the `role` filter of `GET /users` (repeatable, any of), and `skip`/`limit`.
//!
//! Kept as the reference does, although the spec differs: usernames are matched exactly (the
//! spec calls them case-insensitive) and may not contain `.`; the `parents` of a project carry
//! neither `slugs` nor `users`; a missing `auth.type` is "Authentication type required" and an
//! unknown one is `401 Bad query value`; unknown routes and methods get Express's HTML 404 page
//! (`Cannot PUT /v0/projects/p1`); a successful DELETE answers `200` with an empty body and no
//! content type. A username `org-roles` is refused as invalid, since its path would name the
//! org roles.
#![deny(missing_docs)]

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

mod error;
mod http;
mod routes;
mod seed;
mod server;
mod state;
mod store;
mod token;
mod validate;

pub use error::MockError;

/// The examples of the README run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

use state::Shared;

/// The username of the site admin that every seed has.
pub const ADMIN_USERNAME: &str = "admin";

/// The password of [`ADMIN_USERNAME`].
pub const ADMIN_PASSWORD: &str = "admin-pass";

/// The default lifetime of a token, as in the reference: 30 minutes.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// A running mock server. Dropping it stops the server and ends its thread.
pub struct MockServer {
    addr: SocketAddr,
    base_url: String,
    shared: Arc<Shared>,
    // Dropped last: stops the thread.
    _running: server::Running,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on an ephemeral port of 127.0.0.1 with [`Seed::Empty`] and
    /// [`Paging::Spec`].
    ///
    /// # Panics
    ///
    /// Panics if 127.0.0.1:0 cannot be bound or the server thread cannot be created (no
    /// loopback interface, no file descriptors left). Use [`MockServer::builder`] to get the
    /// error instead.
    pub fn start() -> MockServer {
        match Builder::default().start() {
            Ok(server) => server,
            Err(error) => panic!("timesync-mock: {error}"),
        }
    }

    /// A builder, to choose the seed, paging mode, token lifetime or port.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The base URL of the API, with the version and without a trailing slash, e.g.
    /// `http://127.0.0.1:41234/v0`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Makes every token issued so far invalid, as a restart of the reference server does.
    /// Logging in again works as before.
    pub fn revoke_tokens(&self) {
        self.shared.revoke_tokens();
    }

    /// Switches the paging mode of list endpoints, from the next request on.
    pub fn set_paging(&self, paging: Paging) {
        self.shared.set_paging(paging);
    }

    /// Queues a fault for the next `count` requests, after those already queued.
    pub fn inject(&self, fault: Fault, count: FaultCount) {
        self.shared.inject(fault, count);
    }

    /// Removes every queued fault, [`FaultCount::Always`] ones included. A request already
    /// delayed or hanging is not released.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// How many HTTP requests the server has received, faulty ones included. A request counts
    /// once its head has arrived, before any fault applies.
    pub fn request_count(&self) -> usize {
        self.shared.request_count()
    }
}

/// Configures and starts a [`MockServer`].
#[derive(Debug, Clone)]
pub struct Builder {
    seed: Seed,
    paging: Paging,
    token_lifetime: Duration,
    awkward_tokens: bool,
    port: u16,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            seed: Seed::Empty,
            paging: Paging::Spec,
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            awkward_tokens: false,
            port: 0,
        }
    }
}

impl Builder {
    /// The data to start with (default [`Seed::Empty`]).
    pub fn seed(mut self, seed: Seed) -> Builder {
        self.seed = seed;
        self
    }

    /// How list endpoints treat `skip` and `limit` (default [`Paging::Spec`]).
    pub fn paging(mut self, paging: Paging) -> Builder {
        self.paging = paging;
        self
    }

    /// How long a token stays valid (default [`DEFAULT_TOKEN_LIFETIME`], 30 minutes), to the
    /// millisecond.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Builder {
        self.token_lifetime = lifetime;
        self
    }

    /// Whether every token must contain `+`, `/` and `=` (default `false`), so that a client
    /// that forgets to percent-encode the token in a query string fails at once.
    pub fn awkward_tokens(mut self, awkward: bool) -> Builder {
        self.awkward_tokens = awkward;
        self
    }

    /// The port on 127.0.0.1 (default 0: an ephemeral port chosen by the system).
    pub fn port(mut self, port: u16) -> Builder {
        self.port = port;
        self
    }

    /// Starts the server and returns once it is listening.
    ///
    /// # Errors
    ///
    /// [`MockError::Bind`] if the port cannot be bound (typically: it is taken), and
    /// [`MockError::Start`] if the server thread or its runtime cannot be created.
    pub fn start(self) -> Result<MockServer, MockError> {
        let store = match self.seed {
            Seed::Empty => seed::empty(),
            Seed::Demo => seed::demo(),
        };
        let shared = Arc::new(Shared::new(
            store,
            self.token_lifetime,
            self.awkward_tokens,
            self.paging,
        ));
        let (addr, running) = server::start(self.port, shared.clone())?;
        Ok(MockServer {
            addr,
            base_url: format!("http://{addr}/v0"),
            shared,
            _running: running,
        })
    }
}

/// The data a server starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// One site admin, [`ADMIN_USERNAME`] / [`ADMIN_PASSWORD`], and nothing else.
    #[default]
    Empty,
    /// The demo data set described in the [crate docs](crate#the-seeds): the accounts of
    /// [`demo_accounts`], org roles, projects, activities and four weeks of times.
    Demo,
}

/// How list endpoints treat `skip` and `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paging {
    /// As the spec says: skip `skip` objects, return at most `limit` (default 25; `0` means
    /// all). A value that is not a non-negative integer gets `400 Bad query value`.
    #[default]
    Spec,
    /// Like timesync-node 0.1.2: ignore both parameters and return everything.
    IgnoreSkipLimit,
    /// As [`Paging::Spec`], but never more than this many objects a page (at least one),
    /// whatever `limit` asks for: a server with a page-size maximum of its own.
    Capped(usize),
}

/// A way for the server to misbehave, for testing how a client copes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long, then handle the request and answer normally.
    ///
    /// The wait comes before the request is routed, so a client that gives up during it (a
    /// timeout, a closed connection, a dropped future) cancels the request: it never takes
    /// effect. Dropping the server during the wait ends it at once, and the request is then
    /// handled and answered as usual.
    Delay(Duration),
    /// Never answer: hold the connection open without a response until the server is dropped
    /// or 60 seconds have passed, then close it. A client's read timeout is what ends the wait.
    /// The request never takes effect, whether its client gives up or not.
    Hang,
    /// Close the connection as soon as the request head has arrived, without a response.
    DropConnection,
    /// Answer `502 Bad Gateway` with nginx's HTML page (`text/html`), as a proxy does when the
    /// server behind it is down.
    BadGatewayHtml,
    /// Answer `500` with the reference's JSON body:
    /// `{"status":500,"error":"Server error","text":"Unexpected server error."}`.
    ServerError,
}

/// How many requests an injected [`Fault`] applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultCount {
    /// The next `n` requests (`Next(0)` injects nothing).
    Next(usize),
    /// Every request until [`MockServer::clear_faults`].
    Always,
}

/// An account of the demo seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    /// The username to log in with.
    pub username: &'static str,
    /// The password to log in with.
    pub password: &'static str,
    /// What the account may do, in words, e.g. `manager of gwm, member of timesync`.
    pub role: &'static str,
}

/// The accounts of [`Seed::Demo`], admin first. ([`Seed::Empty`] has only the first.)
pub fn demo_accounts() -> &'static [DemoAccount] {
    seed::DEMO_ACCOUNTS
}
