//! A blocking client for TimeSync, the time-tracking REST API of the OSU Open Source Lab.
//!
//! Every call blocks the calling thread until the answer is in. The protocol (building
//! requests, reading answers, the retry and re-login rules, paging) lives in
//! [`timesync-core`](timesync_core); this crate sends the bytes with [ureq], sleeps between
//! retries and reads the clock. `timesync-async` has the same [`Client`] with `async fn`s over
//! reqwest: switching is an import change. Everything an application needs from the core is
//! re-exported here, so it depends on this crate alone.
//!
//! # How to use it
//!
//! 1. Make a [`Client`] for the server's base URL, which names the API version
//!    (`https://timesync.example.org/v0`): [`Client::new`], or [`Client::builder`] to set a
//!    token or credentials, timeouts, a user agent, retries of GETs, automatic re-login, the
//!    page size of the `list_all_*` calls, or another transport.
//! 2. Log in with [`Client::authenticate`], set a kept token with [`Client::set_token`], or
//!    give the builder credentials so that the first call logs in. A call without any of them
//!    fails with [`core::Error::NotAuthenticated`] and sends nothing.
//! 3. Call the operations: `list_*`, `list_all_*`, `get_*`, `create_*`, `update_*`,
//!    `delete_*` for times, projects, activities, users and org roles, and
//!    [`Client::project_users`]. A `list_*` call returns one page (without a [`Page`] in the
//!    query, the server's default: the first 25 in the API spec); `list_all_*` returns every
//!    match. Identifiers, durations and dates are checked types ([`Slug`], [`Username`],
//!    [`Duration`], [`NaiveDate`]), so a value the server would refuse is refused before
//!    sending.
//! 4. Match on errors: [`Error::api`] gives the server's [`ApiError`] with its
//!    [`ApiErrorKind`]; [`Error::Transport`] means no answer arrived, and its
//!    [`TransportErrorKind`] says why (refused, DNS, TLS, timeout, ...).
//!
//! ```
//! use timesync_blocking::{
//!     ApiErrorKind, Client, Credentials, Duration, NewTime, Slug, TimeQuery, TimeUpdate,
//!     Username,
//! };
//! use timesync_mock::{MockServer, Seed};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // An in-memory TimeSync on 127.0.0.1 stands in for the real server.
//! let server = MockServer::builder().seed(Seed::Demo).start()?;
//!
//! // 1. and 2. A client that logs in again by itself when its token runs out.
//! let alice = Username::new("alice")?;
//! let client = Client::builder(server.base_url())
//!     .credentials(Credentials::password(alice.clone(), "alice-pass"))
//!     .auto_relogin(true)
//!     .build()?;
//!
//! // 3. Log two hours on a project, then correct the notes.
//! let gwm = Slug::new("gwm")?;
//! let new = NewTime::new("2h".parse::<Duration>()?, alice.clone(), gwm.clone(), "2024-04-01".parse()?)
//!     .activity(Slug::new("dev")?)
//!     .notes("reviewed the merge request");
//! let time = client.create_time(&new)?;
//! let time = client.update_time(time.uuid, &TimeUpdate::new().notes("merged it"))?;
//! assert_eq!(time.notes.as_deref(), Some("merged it"));
//!
//! // Every time of alice on gwm, however many pages the server needs for them.
//! let query = TimeQuery::new().user(alice).project(gwm);
//! let times = client.list_all_times(&query)?;
//! assert!(times.iter().any(|t| t.uuid == time.uuid));
//!
//! // 4. Errors are typed: alice is no site manager.
//! let error = client.delete_project(&Slug::new("pgd")?).unwrap_err();
//! assert_eq!(error.api().map(|api| api.kind), Some(ApiErrorKind::AuthorizationFailure));
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//!
//! - **Timeouts**: 10 s to connect and 30 s for a whole request by default
//!   ([`ClientBuilder::connect_timeout`], [`ClientBuilder::timeout`]).
//! - **Answer size**: bodies over 256 MiB are not read to the end; the call fails with
//!   [`TransportErrorKind::TooLarge`] ([`ClientBuilder::max_response_size`]).
//! - **Redirects** are not followed, and every status is handed to the core, which reads
//!   TimeSync's error bodies.
//! - **Retries** are off by default. With a [`RetryPolicy`] ([`ClientBuilder::retry`]), a GET
//!   is sent again, with a growing wait up to a cap, after a failure to connect (refused, DNS
//!   look-up, TLS handshake, connect timeout) or a 502, 503 or 504 answer. Not after a
//!   timeout once the request was sent, nor after a dropped connection, and POST and DELETE
//!   never: the server may have acted.
//! - **Re-login** is off by default. With [`ClientBuilder::auto_relogin`] and credentials, the
//!   client logs in again before sending when the token expires within
//!   [`policy::EXPIRY_LEEWAY`](core::policy::EXPIRY_LEEWAY), and after an
//!   `Authentication failure` answer, at most once per call; never after an
//!   `Authorization failure`.
//! - **Secrets**: the token appears in no error, no `Debug` output and no event this crate
//!   logs (but see [Logging](#logging) for the HTTP stack's own records). When a broken
//!   server echoes the password of a login or the token of a call in its answer, the error
//!   shows `<redacted>` in its place ([`core::Error::redact_secret`]).
//! - **TLS**: rustls by default (feature `rustls`); feature `native-tls` uses the platform's
//!   library instead when `rustls` is off.
//!
//! # Logging
//!
//! The client emits one `tracing` event at `debug` level per request sent, target
//! `timesync_blocking::client`: `method`, `path` without the query string, `status` (or
//! `error`, the kind of failure) and `elapsed`, a [`std::time::Duration`] in its `Debug` form
//! such as `1.52ms`. No event of this crate carries the token, a password or a body.
//!
//! ureq's own `log` records can, at `trace` level, and a `tracing` subscriber that takes `log`
//! records (as `tracing_subscriber`'s `init` sets up) shows them. Once `trace` is on for
//! `ureq`, its `debug` record of each request (target `ureq::run`) shows the whole URL,
//! `?token=...` included, and `ureq_proto` hex-dumps every request head (the same URL) and
//! every answer's body (the token a login returns). ureq has no setting that turns this off,
//! so keep both crates below `trace` wherever logs are kept: `RUST_LOG=debug` is safe, and so
//! are `RUST_LOG=debug,ureq=info,ureq_proto=info` (quieter) and
//! `RUST_LOG=trace,ureq=debug,ureq_proto=debug` (everything else at `trace`).
//!
//! # Another HTTP stack
//!
//! The [`Transport`] trait is the only IO the client does. Implement it, wrap the value in an
//! `Arc`, and hand it to [`ClientBuilder::transport`]; the choice can be made at run time.
//! An existing [`ureq::Agent`] can be passed to [`ClientBuilder::agent`] instead.
//!
//! ```
//! use std::sync::Arc;
//!
//! use timesync_blocking::http::{Request, Response};
//! use timesync_blocking::{Client, Token, Transport, TransportError, TransportErrorKind};
//!
//! /// Answers every request from a fixed list; a real one would talk to the network.
//! #[derive(Debug)]
//! struct Canned;
//!
//! impl Transport for Canned {
//!     fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
//!         match request.uri().path() {
//!             "/v0/activities" => Ok(Response::new(br#"[]"#.to_vec())),
//!             _ => Err(TransportError::new(TransportErrorKind::ConnectionRefused, "offline")),
//!         }
//!     }
//! }
//!
//! # fn main() -> Result<(), timesync_blocking::Error> {
//! let client = Client::builder("http://timesync.invalid/v0")
//!     .transport(Arc::new(Canned))
//!     .token(Token::new("a.b.c"))
//!     .build()?;
//! assert!(client.list_activities(&Default::default())?.is_empty());
//! # Ok(())
//! # }
//! ```
//!
//! Out of scope: caching, rate limiting, and any logic that would make one crate behave
//! differently from `timesync-async`.

#![deny(missing_docs)]

mod client;
mod error;
mod transport;

pub use client::{Client, ClientBuilder};
pub use error::{Error, TransportError, TransportErrorKind};
pub use transport::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Transport, UreqTransport};

pub use timesync_core::policy::RetryPolicy;
pub use timesync_core::{
    self as core, Activity, ActivityQuery, ActivityUpdate, ApiError, ApiErrorKind, AuthType,
    BCRYPT_COST, BaseUrl, Credentials, DEFAULT_USER_AGENT, Duration, MAX_SECONDS, NaiveDate,
    NewActivity, NewOrgRole, NewProject, NewTime, NewUser, OrgRole, OrgRoleUpdate, Page, Password,
    PasswordHash, Project, ProjectQuery, ProjectRole, ProjectRoles, ProjectUpdate, Slug, SlugList,
    Stamp, Time, TimeQuery, TimeUpdate, Token, User, UserQuery, UserUpdate, Username, Uuid, http,
    parse_date, parse_uuid,
};
pub use ureq;

// The client is shared between threads; these fail to compile if that ever stops being true.
const _: () = {
    const fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Client>();
    send_and_sync::<ClientBuilder>();
    send_and_sync::<Error>();
    send_and_sync::<UreqTransport>();
};
