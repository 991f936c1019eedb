//! The TimeSync protocol, without IO.
//!
//! TimeSync is the time-tracking REST API of the OSU Open Source Lab. This crate knows
//! everything about speaking it, turning each operation into an [`http::Request`] and each
//! answer into a typed result or a typed [`Error`], and nothing about sending bytes. It never
//! opens a socket, sleeps, spawns, reads the clock or the environment, and depends on no HTTP
//! client or async runtime. `timesync-blocking` (ureq) and `timesync-async` (reqwest) are
//! thin transports over it; any other HTTP stack can drive it the same way.
//!
//! # How to drive it
//!
//! 1. Make an [`Api`] for the server's base URL, which names the API version
//!    (`http://127.0.0.1:8000/v0`).
//! 2. Build a request with one of its methods. Logging in gives a [`Token`]; every other call
//!    takes it. The result is a [`Prepared`]: an `http::Request<Vec<u8>>` plus the parser for
//!    its answer.
//! 3. Send the request with any HTTP client, with redirects off, and collect the answer into
//!    an `http::Response<Vec<u8>>`.
//! 4. Hand the response to [`Prepared::parse`], which gives the typed result or an [`Error`].
//! 5. On an error, ask [`policy`] what to do: [`policy::should_log_in_again`] after an
//!    authentication failure, [`policy::RetryPolicy::retry_after`] after a failed GET. Check
//!    [`Token::expires_within`] with the current time before sending, to log in again early.
//!
//! ```
//! use timesync_core::{Api, Credentials, Error, TimeQuery, Username};
//!
//! # fn main() -> Result<(), Error> {
//! let api = Api::new("http://127.0.0.1:8000/v0/")?;
//!
//! // 1. Log in. A fake transport stands in for the HTTP client here.
//! let user = Username::new("alice")?;
//! let login = api.login(&Credentials::password(user.clone(), "correct horse"))?;
//! assert_eq!(login.request().uri(), "http://127.0.0.1:8000/v0/login");
//! let token = login.parse(fake_send(login.request(), 200, r#"{"token":"aGVhZA==.eyJleHAiOjF9.c2ln"}"#))?;
//!
//! // 2. List this week's times of one user.
//! let query = TimeQuery::new()
//!     .user(user)
//!     .start("2024-05-06".parse().unwrap())
//!     .end("2024-05-12".parse().unwrap());
//! let list = api.list_times(&token, &query)?;
//! assert_eq!(
//!     list.request().uri(),
//!     "http://127.0.0.1:8000/v0/times?user=alice&start=2024-05-06&end=2024-05-12\
//!      &token=aGVhZA%3D%3D.eyJleHAiOjF9.c2ln"
//! );
//! let body = r#"[{"uuid":"2f8d1c4b-422d-47b1-b991-ce8afe1df211","revision":1,"duration":5400,
//!     "user":"alice","project":["ex"],"activities":["dev"],"date_worked":"2024-05-07"}]"#;
//! let times = list.parse(fake_send(list.request(), 200, body))?;
//! assert_eq!(times[0].duration.to_string(), "1h30m");
//!
//! // 3. Errors are typed.
//! let missing = api.get_time(&token, times[0].uuid, false, false)?;
//! let answer = fake_send(missing.request(), 404,
//!     r#"{"status":404,"error":"Object not found","text":"Nonexistent time"}"#);
//! let error = missing.parse(answer).unwrap_err();
//! assert_eq!(error.api().unwrap().kind, timesync_core::ApiErrorKind::NotFound);
//! # Ok(())
//! # }
//!
//! /// Stands in for ureq, reqwest or any other HTTP client.
//! fn fake_send(_request: &http::Request<Vec<u8>>, status: u16, body: &str) -> http::Response<Vec<u8>> {
//!     http::Response::builder().status(status).body(body.as_bytes().to_vec()).unwrap()
//! }
//! ```
//!
//! # What is in scope
//!
//! - Every endpoint of the TimeSync API: login (password and LDAP), times, projects,
//!   activities, users, organisation roles, and `project_users`.
//! - Checked identifiers ([`Slug`], [`Username`], [`parse_uuid`]), [`Duration`]s, typed
//!   queries, and write types that cannot express what the API refuses.
//! - The reference server's real behaviour: JSON labelled `text/html`, empty delete answers,
//!   `project` as one slug or a list, epoch milliseconds in a user's `created_at`, error bodies
//!   without `text`, HTML error pages.
//! - Secrets: [`Token`], [`Password`] and [`PasswordHash`] never appear in `Debug` output or
//!   in error messages; user passwords are sent as bcrypt `$2a$` hashes.
//!
//! Out of scope: sending requests, timeouts, TLS, sleeping between retries, and reading the
//! clock. Those belong to the transport.

#![deny(missing_docs)]

mod base_url;
mod client_error;
mod duration;
mod error;
mod ids;
mod model;
pub mod paging;
pub mod policy;
mod query;
mod request;
pub mod response;
mod secret;
pub mod session;
mod write;

pub use base_url::BaseUrl;
pub use client_error::{ClientError, TransportError, TransportErrorKind};
pub use duration::{Duration, MAX_SECONDS};
pub use error::Error;
pub use ids::{Slug, Username, Uuid, parse_date, parse_uuid};
pub use model::{Activity, OrgRole, Project, ProjectRole, ProjectRoles, Stamp, Time, User};
pub use query::{ActivityQuery, Page, ProjectQuery, TimeQuery, UserQuery};
pub use request::{Api, DEFAULT_USER_AGENT, Parser, Prepared};
pub use response::{ApiError, ApiErrorKind};
pub use secret::{AuthType, BCRYPT_COST, Credentials, Password, PasswordHash, Token};
pub use write::{
    ActivityUpdate, NewActivity, NewOrgRole, NewProject, NewTime, NewUser, OrgRoleUpdate,
    ProjectUpdate, SlugList, TimeUpdate, UserUpdate,
};

/// Re-exported so that users need no direct dependency to build dates and requests.
pub use chrono::NaiveDate;
pub use http;
