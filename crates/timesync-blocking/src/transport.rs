//! Sending one request: the [`Transport`] trait and its ureq implementation.

use std::fmt;
use std::io;
use std::time::Duration;

use http::{Request, Response};
use timesync_core::policy::DEFAULT_MAX_RESPONSE_SIZE;

use crate::error::{TransportError, TransportErrorKind};

pub use timesync_core::session::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// Sends one request and collects the whole answer: the only IO the client does.
///
/// Implement it to put the client on another HTTP stack; it works as a trait object, so the
/// stack can be chosen at run time ([`ClientBuilder::transport`](crate::ClientBuilder::transport)).
/// An implementation must not follow redirects, must return every status (4xx and 5xx
/// included) as a response, and must keep the URL out of its errors, since the token travels
/// in the query string. Retries, re-login and parsing happen above it.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the answer with its whole body.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] when no answer arrived: see [`TransportErrorKind`].
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;
}

/// The default [`Transport`]: a [`ureq::Agent`], which keeps connections alive between calls.
#[derive(Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    max_response_size: u64,
}

impl UreqTransport {
    /// Uses `agent` as it is configured, with one exception: 4xx and 5xx answers are always
    /// returned as responses (the client reads TimeSync's error bodies), even if the agent
    /// has `http_status_as_error(true)`. Redirects, timeouts, TLS and proxies are the
    /// agent's; the client's own agent follows no redirects.
    ///
    /// Answers are read up to [`DEFAULT_MAX_RESPONSE_SIZE`] bytes; see
    /// [`UreqTransport::with_max_response_size`].
    pub fn new(agent: ureq::Agent) -> Self {
        UreqTransport {
            agent,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// Reads answers of up to `bytes` bytes; a larger body fails with
    /// [`TransportErrorKind::TooLarge`] before it is read to the end.
    #[must_use]
    pub fn with_max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The largest answer body this transport reads, in bytes.
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    /// An agent with these timeouts, no redirects, statuses as responses, and the TLS
    /// library chosen by the crate's features. `connect_timeout` bounds the look-up of the
    /// server's name and, separately, the connection to it.
    pub fn with_timeouts(connect_timeout: Duration, timeout: Duration) -> Self {
        // Without a look-up timeout, a resolver that hangs would use up the whole `timeout`
        // and count as a failure after sending, which is not retried.
        // FIXME: ureq's own trace-level log records carry the full URL, token included; we
        // cannot turn them off from here. The crate docs tell users how to filter them.
        let config = ureq::Agent::config_builder()
            .timeout_resolve(Some(connect_timeout))
            .timeout_connect(Some(connect_timeout))
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .http_status_as_error(false);
        #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
        let config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .provider(ureq::tls::TlsProvider::NativeTls)
                .build(),
        );
        UreqTransport::new(config.build().new_agent())
    }

    /// The agent that sends the requests.
    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }
}

impl Default for UreqTransport {
    /// [`DEFAULT_CONNECT_TIMEOUT`] and [`DEFAULT_TIMEOUT`].
    fn default() -> Self {
        UreqTransport::with_timeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
    }
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport")
            .field("max_response_size", &self.max_response_size)
            .finish_non_exhaustive()
    }
}

impl UreqTransport {
    /// Runs `request` on the agent, with 4xx and 5xx answers as responses whatever the agent
    /// says.
    fn run<B: ureq::AsSendBody>(
        &self,
        mut request: Request<B>,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        if self.agent.config().http_status_as_error() {
            request = self
                .agent
                .configure_request(request)
                .http_status_as_error(false)
                .build();
        }
        self.agent.run(request)
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let (parts, body) = request.into_parts();
        // An empty body is no body: ureq would otherwise send `content-length: 0` on a GET.
        let result = if body.is_empty() {
            self.run(Request::from_parts(parts, ()))
        } else {
            self.run(Request::from_parts(parts, body))
        };
        let response = result.map_err(from_ureq)?;

        let (parts, mut body) = response.into_parts();
        // ureq's own default limit, 10 MB, is too small for a long list of times.
        let limit = self.max_response_size;
        let bytes = body
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|error| match error {
                ureq::Error::BodyExceedsLimit(_) => TransportError::too_large(limit),
                other => from_ureq(other),
            })?;
        Ok(Response::from_parts(parts, bytes))
    }
}

/// Describes a ureq error by its variant: ureq's own messages may name the URL.
fn from_ureq(error: ureq::Error) -> TransportError {
    use TransportErrorKind as Kind;
    match error {
        ureq::Error::Io(io) => from_io(&io),
        ureq::Error::Timeout(which) => {
            let message = format!("the {which} timeout passed");
            match which {
                ureq::Timeout::Resolve | ureq::Timeout::Connect => {
                    TransportError::connect(Kind::Timeout, message)
                }
                _ => TransportError::new(Kind::Timeout, message),
            }
        }
        ureq::Error::HostNotFound => TransportError::new(Kind::Dns, "host not found"),
        ureq::Error::ConnectionFailed => {
            TransportError::connect(Kind::Connection, "could not connect")
        }
        // TLS fails during the handshake, before the request is sent, as in reqwest.
        ureq::Error::Tls(reason) => TransportError::connect(Kind::Tls, reason),
        ureq::Error::TlsRequired => TransportError::connect(Kind::Tls, "https without tls"),
        #[cfg(feature = "rustls")]
        ureq::Error::Rustls(error) => TransportError::connect(Kind::Tls, error.to_string()),
        #[cfg(feature = "native-tls")]
        ureq::Error::NativeTls(error) => TransportError::connect(Kind::Tls, error.to_string()),
        ureq::Error::Protocol(error) => {
            TransportError::new(Kind::Other, format!("bad http answer: {error}"))
        }
        ureq::Error::LargeResponseHeader(size, limit) => TransportError::new(
            Kind::Other,
            format!("answer headers too large: {size} > {limit} bytes"),
        ),
        ureq::Error::StatusCode(status) => TransportError::new(
            Kind::Other,
            format!("the agent turned status {status} into an error"),
        ),
        ureq::Error::BadUri(_) => TransportError::new(Kind::Other, "bad uri"),
        ureq::Error::Http(_) => TransportError::new(Kind::Other, "invalid request"),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            TransportError::new(Kind::Other, "redirect refused")
        }
        ureq::Error::RequireHttpsOnly(_) => {
            TransportError::new(Kind::Other, "the agent only allows https")
        }
        ureq::Error::InvalidProxyUrl | ureq::Error::ConnectProxyFailed(_) => {
            TransportError::connect(Kind::Connection, "proxy failure")
        }
        other => TransportError::new(Kind::Other, variant_name(&other)),
    }
}

fn from_io(error: &io::Error) -> TransportError {
    use TransportErrorKind as Kind;
    let kind = match error.kind() {
        _ if is_lookup_failure(error) => Kind::Dns,
        _ if wraps_tls_error(error) => Kind::Tls,
        io::ErrorKind::ConnectionRefused => Kind::ConnectionRefused,
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Kind::Timeout,
        _ => Kind::Connection,
    };
    match kind {
        Kind::Tls => TransportError::connect(kind, error.to_string()),
        _ => TransportError::new(kind, error.to_string()),
    }
}

/// Whether `error` is the standard library's failed name lookup, which ureq's resolver passes
/// on unchanged: on Unix an error without an OS code whose message starts as below (its kind
/// cannot be named on stable Rust), on Windows one of the WinSock lookup codes.
fn is_lookup_failure(error: &io::Error) -> bool {
    if cfg!(windows) {
        // WSAHOST_NOT_FOUND, WSATRY_AGAIN, WSANO_RECOVERY, WSANO_DATA.
        return matches!(error.raw_os_error(), Some(11001..=11004));
    }
    error.raw_os_error().is_none()
        && error
            .to_string()
            .starts_with("failed to lookup address information")
}

/// rustls reports handshake failures as IO errors that wrap its own error.
fn wraps_tls_error(error: &io::Error) -> bool {
    let mut inner = error.get_ref();
    while let Some(error) = inner {
        #[cfg(feature = "rustls")]
        if error.is::<rustls::Error>() {
            return true;
        }
        inner = error
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref);
    }
    false
}

/// The variant name from `Debug`, without its fields.
fn variant_name(error: &ureq::Error) -> String {
    let debug = format!("{error:?}");
    let name = debug.split(['(', ' ', '{']).next().unwrap_or_default();
    format!("ureq error {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connect_timeout_bounds_the_name_look_up_too() {
        let transport =
            UreqTransport::with_timeouts(Duration::from_secs(2), Duration::from_secs(9));
        let timeouts = transport.agent().config().timeouts();
        assert_eq!(timeouts.resolve, Some(Duration::from_secs(2)));
        assert_eq!(timeouts.connect, Some(Duration::from_secs(2)));
        assert_eq!(timeouts.global, Some(Duration::from_secs(9)));

        let error = from_ureq(ureq::Error::Timeout(ureq::Timeout::Resolve));
        assert_eq!(error.kind(), TransportErrorKind::Timeout);
        assert!(error.is_connect());
    }
}
