//! The one error type of the protocol layer.

use crate::response::ApiError;

/// Everything that can go wrong while building a request or interpreting a response.
///
/// Messages are lowercase, without a trailing period, and never contain a token, a password or
/// a whole response body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The base URL is not `http(s)://host[:port][/prefix]/vN`.
    #[error("invalid base url: {0}")]
    InvalidBaseUrl(String),
    /// A slug that the server would refuse.
    #[error("invalid slug {value:?}: {reason}")]
    InvalidSlug {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A username that the server would refuse.
    #[error("invalid username {value:?}: {reason}")]
    InvalidUsername {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A uuid that is not in the 8-4-4-4-12 hexadecimal form.
    #[error("invalid uuid {0:?}: expected the 8-4-4-4-12 hexadecimal form")]
    InvalidUuid(String),
    /// A duration that is not a positive number of seconds the server can store.
    #[error("invalid duration {value:?}: {reason}")]
    InvalidDuration {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A date that is not `YYYY-MM-DD`.
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    InvalidDate(String),
    /// A value that the API refuses, such as an empty list of slugs.
    #[error("invalid value for {field}: {reason}")]
    InvalidValue {
        /// The field that was being set.
        field: &'static str,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A password that cannot be hashed with bcrypt. The password itself is never shown.
    #[error("invalid password: {0}")]
    InvalidPassword(&'static str),
    /// A token whose payload cannot be read. The token itself is never shown.
    #[error("invalid token: {0}")]
    InvalidToken(&'static str),
    /// The call needs a token and none is available.
    #[error("not authenticated: log in or set a token first")]
    NotAuthenticated,
    /// The server answered with a TimeSync error body.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The server answered with something that is not TimeSync JSON (an HTML error page, a
    /// proxy's 502, an empty body where JSON was expected).
    #[error("unexpected response: status {status}: {excerpt}")]
    UnexpectedResponse {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, shortened and with anything token-like removed.
        excerpt: String,
    },
    /// The server answered JSON of the wrong shape.
    #[error("cannot decode response (status {status}) at {path}: {message}")]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The path of the offending field, such as `[3].duration`.
        path: String,
        /// What serde reported, without the body.
        message: String,
    },
}

impl Error {
    /// The TimeSync error body, when the server sent one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status of the response that caused this error, if one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::UnexpectedResponse { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }
}
