//! The errors of this crate: why a server did not start, and the TimeSync error bodies it sends.

use std::io;
use std::net::SocketAddr;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Why a mock server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The listening socket could not be bound, for example because the port is taken.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The address that was asked for.
        addr: SocketAddr,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The server thread or its runtime could not be created.
    #[error("cannot start the server thread: {0}")]
    Start(#[source] io::Error),
}

/// A TimeSync error answer: `{"status", "error", "text", "values"}` with its HTTP status.
///
/// The names and text patterns are those of timesync-node 0.1.2.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApiError {
    status: u16,
    error: &'static str,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<Vec<String>>,
    /// The `Allow` header of a 405 answer.
    #[serde(skip)]
    allow: Option<&'static str>,
}

impl ApiError {
    fn new(status: u16, error: &'static str, text: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error,
            text: text.into(),
            values: None,
            allow: None,
        }
    }

    fn with_values(mut self, values: Vec<String>) -> ApiError {
        self.values = Some(values);
        self
    }

    /// 404: a valid identifier that names no (live) object, e.g. `Nonexistent project`.
    pub(crate) fn not_found(what: &str) -> ApiError {
        ApiError::new(404, "Object not found", format!("Nonexistent {what}"))
    }

    /// 500, as the reference answers outside debug mode.
    pub(crate) fn server_error() -> ApiError {
        ApiError::new(500, "Server error", "Unexpected server error.")
    }

    /// 409: a referenced object does not exist.
    pub(crate) fn invalid_foreign_key(kind: &str, key: &str) -> ApiError {
        ApiError::new(
            409,
            "Invalid foreign key",
            format!("The {kind} does not contain a valid {key} reference."),
        )
    }

    /// 400 with any text.
    pub(crate) fn bad_object(text: impl Into<String>) -> ApiError {
        ApiError::new(400, "Bad object", text)
    }

    /// 400: a field the object type does not have.
    pub(crate) fn unknown_field(kind: &str, field: &str) -> ApiError {
        ApiError::bad_object(format!("{kind} does not have a {field} field"))
    }

    /// 400: a required field is absent.
    pub(crate) fn missing_field(kind: &str, field: &str) -> ApiError {
        ApiError::bad_object(format!("The {kind} is missing a {field}"))
    }

    /// 400: a field of the wrong type or with a bad value.
    pub(crate) fn invalid_field(kind: &str, field: &str, expected: &str, actual: &str) -> ApiError {
        ApiError::bad_object(format!(
            "Field {field} of {kind} should be {expected} but was sent as {actual}"
        ))
    }

    /// 400: the body is not JSON.
    pub(crate) fn unparsable_body() -> ApiError {
        ApiError::bad_object("The request body could not be parsed as valid JSON")
    }

    /// 400: a malformed slug, uuid or username in the path.
    pub(crate) fn invalid_identifier(expected: &str, received: &str) -> ApiError {
        ApiError::new(
            400,
            "The provided identifier was invalid",
            format!("Expected {expected} but received {received}"),
        )
        .with_values(vec![received.to_owned()])
    }

    /// 401: characters a username may not contain.
    pub(crate) fn invalid_username(username: &str) -> ApiError {
        ApiError::new(
            401,
            "Invalid username",
            format!("{username} is not a valid username"),
        )
    }

    /// 401: bad credentials, or a missing, bad, expired or revoked token.
    pub(crate) fn authentication(text: &str) -> ApiError {
        ApiError::new(401, "Authentication failure", text)
    }

    /// 401: an `auth.type` other than the one the endpoint takes.
    pub(crate) fn bad_auth_type(kind: &str) -> ApiError {
        ApiError::new(
            401,
            "Bad query value",
            format!("{kind} is not a valid authentication type"),
        )
    }

    /// 401: authenticated but not allowed.
    pub(crate) fn authorization(user: &str, action: &str) -> ApiError {
        ApiError::new(
            401,
            "Authorization failure",
            format!("{user} is not authorized to {action}"),
        )
    }

    /// 409: slugs that another object holds.
    pub(crate) fn slugs_exist(slugs: Vec<String>) -> ApiError {
        let text = if let [slug] = slugs.as_slice() {
            format!("slug {slug} already exists")
        } else {
            format!("slugs {} already exist", slugs.join(", "))
        };
        ApiError::new(409, "The slug provided already exists", text).with_values(slugs)
    }

    /// 409: the username is taken (deleted users keep theirs).
    pub(crate) fn username_exists(username: &str) -> ApiError {
        ApiError::new(
            409,
            "Username already exists",
            format!("username {username} already exists"),
        )
        .with_values(vec![username.to_owned()])
    }

    /// 405: deleting an object that live objects still use.
    pub(crate) fn method_not_allowed(kind: &str) -> ApiError {
        let mut error = ApiError::new(
            405,
            "Method not allowed",
            format!("The method specified is not allowed for the {kind} identified"),
        );
        error.allow = Some("GET, POST");
        error
    }

    /// 400: a bad value of a query parameter.
    pub(crate) fn bad_query_value(parameter: &str, value: &str) -> ApiError {
        ApiError::new(
            400,
            "Bad query value",
            format!("Parameter {parameter} contained invalid value {value}"),
        )
    }

    /// 413: a body over the size limit (the reference's body parser has the same limit).
    pub(crate) fn body_too_large(limit: usize) -> ApiError {
        ApiError::new(
            413,
            "Bad object",
            format!("The request body is larger than {limit} bytes"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = crate::http::json(status, &self);
        if let Some(allow) = self.allow {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}
