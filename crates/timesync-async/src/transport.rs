//! Sending one request: the [`Transport`] trait and its reqwest implementation.

use std::error::Error as _;
use std::fmt;
use std::io;
use std::time::Duration;

use async_trait::async_trait;
use http::{Request, Response};
use timesync_core::policy::DEFAULT_MAX_RESPONSE_SIZE;

use crate::error::{TransportError, TransportErrorKind};

pub use timesync_core::session::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// The most room reserved for a body before it arrives, whatever its `Content-Length` says.
const PREALLOCATE_AT_MOST: u64 = 4 * 1024 * 1024;

/// Sends one request and collects the whole answer: the only IO the client does.
///
/// Implement it (with [`async_trait`](macro@async_trait)) to put the client on another HTTP
/// stack; it works as a trait object, so the stack can be chosen at run time
/// ([`ClientBuilder::transport`](crate::ClientBuilder::transport)). An implementation must not
/// follow redirects, must return every status (4xx and 5xx included) as a response, and must
/// keep the URL out of its errors, since the token travels in the query string. Retries,
/// re-login and parsing happen above it.
///
/// An implementation may run on any executor; the client needs Tokio only to wait before a
/// retry (see [Runtime](crate#runtime)).
#[async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the answer with its whole body.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] when no answer arrived: see [`TransportErrorKind`].
    async fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;
}

/// The default [`Transport`]: a [`reqwest::Client`], which keeps connections alive between
/// calls.
///
/// It needs a Tokio 1 runtime with IO and time enabled. Outside any Tokio runtime,
/// [`send`](Transport::send) fails with a [`TransportErrorKind::Other`] error, "no tokio
/// runtime".
///
/// # Panics
///
/// [`send`](Transport::send) panics inside a Tokio runtime built without IO (`enable_io`), or
/// without time (`enable_time`) when the reqwest client has timeouts, as the one of
/// [`ReqwestTransport::with_timeouts`] does: Tokio's panic, which the transport cannot foresee.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_size: u64,
}

impl ReqwestTransport {
    /// Uses `client` as it is configured: its redirects, timeouts, TLS and proxy settings are
    /// the caller's (the client's own follows no redirects). reqwest hands every status back
    /// as a response, as the client needs.
    ///
    /// Answers are read up to [`DEFAULT_MAX_RESPONSE_SIZE`] bytes; see
    /// [`ReqwestTransport::with_max_response_size`].
    pub fn new(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// Reads answers of up to `bytes` bytes; a larger body fails with
    /// [`TransportErrorKind::TooLarge`] before it is read to the end (at once when its
    /// `Content-Length` says so).
    #[must_use]
    pub fn with_max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The largest answer body this transport reads, in bytes.
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    /// A reqwest client with these timeouts, no redirects, no proxy from the environment,
    /// HTTP/1.1, and the TLS library chosen by the crate's features.
    ///
    /// # Errors
    ///
    /// A [`TransportErrorKind::Tls`] error when the TLS library cannot be set up (for
    /// instance, no root certificates).
    pub fn with_timeouts(
        connect_timeout: Duration,
        timeout: Duration,
    ) -> Result<Self, TransportError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true);
        #[cfg(feature = "rustls")]
        let builder = builder.tls_backend_rustls();
        #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
        let builder = builder.tls_backend_native();
        let client = builder.build().map_err(|error| {
            TransportError::new(
                TransportErrorKind::Tls,
                format!(
                    "cannot set up the http client: {}",
                    describe(&error.without_url())
                ),
            )
        })?;
        Ok(ReqwestTransport::new(client))
    }

    /// The reqwest client that sends the requests.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("max_response_size", &self.max_response_size)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(no_runtime(
                "reqwest needs a Tokio 1 runtime with IO and time enabled",
            ));
        }
        let request = to_reqwest(request)?;
        let mut response = self.client.execute(request).await.map_err(from_reqwest)?;

        let status = response.status();
        let version = response.version();
        let headers = std::mem::take(response.headers_mut());
        let limit = self.max_response_size;
        let announced = response.content_length();
        if announced.is_some_and(|length| length > limit) {
            return Err(TransportError::too_large(limit));
        }
        // Room for the announced body, up to a few MiB: a server may announce more than it
        // sends, and a larger body grows the buffer as it arrives.
        let mut body = Vec::with_capacity(announced.map_or(0, |length| {
            usize::try_from(length.min(PREALLOCATE_AT_MOST)).unwrap_or(0)
        }));
        while let Some(chunk) = response.chunk().await.map_err(from_reqwest)? {
            let total = body.len().saturating_add(chunk.len());
            if u64::try_from(total).unwrap_or(u64::MAX) > limit {
                return Err(TransportError::too_large(limit));
            }
            body.extend_from_slice(&chunk);
        }
        let mut answer = Response::new(body);
        *answer.status_mut() = status;
        *answer.version_mut() = version;
        *answer.headers_mut() = headers;
        Ok(answer)
    }
}

/// The error of a call made outside a Tokio runtime, where reqwest and Tokio's timer would
/// panic; `why` says what needs the runtime.
pub(crate) fn no_runtime(why: &str) -> TransportError {
    TransportError::new(
        TransportErrorKind::Other,
        format!("no tokio runtime: {why}"),
    )
}

/// The same request for reqwest. Unlike reqwest's own conversion, an empty body (every GET
/// and DELETE) stays absent, so no `content-length: 0` goes out with it.
fn to_reqwest(request: Request<Vec<u8>>) -> Result<reqwest::Request, TransportError> {
    let (parts, body) = request.into_parts();
    let url = reqwest::Url::parse(&uri_text(&parts.uri)).map_err(|error| {
        // The url crate's message names the part that is wrong, never the url itself.
        TransportError::new(
            TransportErrorKind::Other,
            format!("invalid request url: {error}"),
        )
    })?;
    let mut converted = reqwest::Request::new(parts.method, url);
    *converted.headers_mut() = parts.headers;
    *converted.version_mut() = parts.version;
    if !body.is_empty() {
        *converted.body_mut() = Some(body.into());
    }
    Ok(converted)
}

/// The URI as text, for reqwest's `Url`: what `to_string` gives, joined without the
/// formatting machinery and in one allocation.
fn uri_text(uri: &http::Uri) -> String {
    let scheme = uri.scheme_str();
    let authority = uri.authority().map(http::uri::Authority::as_str);
    let (path, query) = (uri.path(), uri.query());
    let mut text = String::with_capacity(
        scheme.map_or(0, |s| s.len() + 3)
            + authority.map_or(0, str::len)
            + path.len()
            + query.map_or(0, |q| q.len() + 1),
    );
    if let Some(scheme) = scheme {
        text.push_str(scheme);
        text.push_str("://");
    }
    text.push_str(authority.unwrap_or_default());
    text.push_str(path);
    if let Some(query) = query {
        text.push('?');
        text.push_str(query);
    }
    text
}

/// Classifies a reqwest error and describes it without its URL.
fn from_reqwest(error: reqwest::Error) -> TransportError {
    use TransportErrorKind as Kind;
    let error = error.without_url();
    let io_kind = io_error_kind(&error);
    let kind = if error.is_timeout() || io_kind == Some(io::ErrorKind::TimedOut) {
        Kind::Timeout
    } else if error.is_dns() {
        Kind::Dns
    } else if io_kind == Some(io::ErrorKind::ConnectionRefused) {
        Kind::ConnectionRefused
    } else if looks_like_tls(&error) {
        Kind::Tls
    } else if error.is_connect() || error.is_request() || error.is_body() || io_kind.is_some() {
        Kind::Connection
    } else {
        Kind::Other
    };
    let message = describe(&error);
    if error.is_connect() {
        TransportError::connect(kind, message)
    } else {
        TransportError::new(kind, message)
    }
}

/// The kind of the first IO error among the causes.
fn io_error_kind(error: &reqwest::Error) -> Option<io::ErrorKind> {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        source = cause.source();
    }
    None
}

/// Whether an error of the TLS library is among the causes. rustls and native-tls errors
/// arrive either as a cause of their own or inside IO errors, which may be nested (and an IO
/// error's `source` skips the error it wraps).
fn looks_like_tls(error: &reqwest::Error) -> bool {
    let mut source = error.source();
    while let Some(cause) = source {
        let mut unwrapped = Some(cause);
        while let Some(error) = unwrapped {
            if is_tls_error(error) {
                return true;
            }
            unwrapped = error
                .downcast_ref::<io::Error>()
                .and_then(io::Error::get_ref)
                .map(|inner| inner as &(dyn std::error::Error + 'static));
        }
        source = cause.source();
    }
    false
}

fn is_tls_error(error: &(dyn std::error::Error + 'static)) -> bool {
    #[cfg(feature = "rustls")]
    if error.is::<rustls::Error>() {
        return true;
    }
    #[cfg(feature = "native-tls")]
    if error.is::<native_tls::Error>() {
        return true;
    }
    let _ = error;
    false
}

/// The error and its causes, `a: b: c`, without repeats. The error must have lost its URL.
fn describe(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_text_is_what_display_prints() {
        for uri in [
            "http://127.0.0.1:8000/v0/times/2f8d1c4b-422d-47b1-b991-ce8afe1df211?token=a%2Bb%2F%3D",
            "https://time.example.org/timesync/v1/projects?include_deleted=true&token=t",
            "http://[::1]:9/v0/login",
            "http://host",
            "http://host/?",
            "/relative/path?q=1",
        ] {
            let uri: http::Uri = uri.parse().unwrap();
            assert_eq!(uri_text(&uri), uri.to_string());
        }
    }

    #[test]
    fn conversion_keeps_the_url_headers_and_body() {
        let request = Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:8000/v0/times?x=%C3%A9")
            .header("user-agent", "timesync-rs test")
            .body(b"{}".to_vec())
            .unwrap();
        let converted = to_reqwest(request).unwrap();
        assert_eq!(converted.method(), reqwest::Method::POST);
        assert_eq!(
            converted.url().as_str(),
            "http://127.0.0.1:8000/v0/times?x=%C3%A9"
        );
        assert_eq!(converted.headers()["user-agent"], "timesync-rs test");
        assert_eq!(
            converted.body().and_then(reqwest::Body::as_bytes),
            Some(&b"{}"[..])
        );

        let get = Request::get("http://127.0.0.1:8000/v0/times")
            .body(Vec::new())
            .unwrap();
        assert!(to_reqwest(get).unwrap().body().is_none());
    }
}
