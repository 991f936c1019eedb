//! The error of a client that drives this crate: the protocol's error, or a failure to
//! exchange bytes at all. The transports (`timesync-blocking`, `timesync-async`, or an
//! embedder's own) share these types, so switching between them changes no error handling.

use std::fmt;

use crate::{ApiError, Error};

/// Everything a client call can fail with; the client crates re-export it as `Error`.
///
/// [`ClientError::Core`] covers what the protocol layer decides: a value refused before sending,
/// a call made before logging in, an error answered by the server (see
/// [`Error::api`]), an answer that is not TimeSync JSON.
/// [`ClientError::Transport`] means no usable answer arrived. Neither ever shows the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The protocol layer's error, unchanged.
    #[error(transparent)]
    Core(#[from] Error),
    /// The request could not be sent or its answer could not be read.
    #[error(transparent)]
    Transport(#[from] TransportError),
}

impl ClientError {
    /// Removes `secret` from the error's texts, in any form a broken server or transport may
    /// echo it in: see [`Error::redact_secret`](crate::Error::redact_secret) and
    /// [`TransportError::redact_secret`].
    pub fn redact_secret(&mut self, secret: &str) {
        match self {
            ClientError::Core(core) => core.redact_secret(secret),
            ClientError::Transport(transport) => transport.redact_secret(secret),
        }
    }

    /// The TimeSync error body, when the server answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ClientError::Core(core) => core.api(),
            ClientError::Transport(_) => None,
        }
    }

    /// The HTTP status of the answer that caused this error, if one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Core(core) => core.status(),
            ClientError::Transport(_) => None,
        }
    }

    /// The transport failure, if that is what this is.
    pub fn transport(&self) -> Option<&TransportError> {
        match self {
            ClientError::Transport(transport) => Some(transport),
            ClientError::Core(_) => None,
        }
    }
}

/// What kind of failure kept a request from getting an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Nothing listens at the server's address.
    ConnectionRefused,
    /// The server's host name could not be resolved.
    Dns,
    /// The TLS handshake failed, for example on an untrusted certificate.
    Tls,
    /// The connection or the whole exchange took longer than its timeout.
    Timeout,
    /// The connection was reset or closed early, or failed with another IO error.
    Connection,
    /// The answer's body is larger than the client allows
    /// ([`DEFAULT_MAX_RESPONSE_SIZE`](crate::policy::DEFAULT_MAX_RESPONSE_SIZE) unless set
    /// otherwise); it was not read to the end.
    TooLarge,
    /// Anything else, such as an answer that is not HTTP.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::ConnectionRefused => "connection refused",
            TransportErrorKind::Dns => "dns lookup failed",
            TransportErrorKind::Tls => "tls failure",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Connection => "connection failed",
            TransportErrorKind::TooLarge => "response too large",
            TransportErrorKind::Other => "request failed",
        })
    }
}

/// A request that got no usable answer, such as `transport error: connection refused: ...`.
///
/// The message never holds a URL, a query string or a token: the HTTP stack's own error is
/// described, not quoted, and anything URL-like left in the description is removed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("transport error: {kind}{}", if .message.is_empty() { String::new() } else { format!(": {}", .message) })]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    connect: bool,
}

impl TransportError {
    /// A failure of `kind`, described by `message`. URLs and `token=` values in the message
    /// are removed.
    ///
    /// Refused connections and failed DNS look-ups count as connect failures (see
    /// [`TransportError::is_connect`]); use [`TransportError::connect`] for other kinds that
    /// happened while connecting.
    pub fn new(kind: TransportErrorKind, message: impl AsRef<str>) -> Self {
        TransportError {
            kind,
            message: sanitize(message.as_ref()),
            connect: matches!(
                kind,
                TransportErrorKind::ConnectionRefused | TransportErrorKind::Dns
            ),
        }
    }

    /// A failure while connecting (a connect timeout, say): nothing reached the server, so a
    /// GET may be retried.
    pub fn connect(kind: TransportErrorKind, message: impl AsRef<str>) -> Self {
        TransportError {
            connect: true,
            ..TransportError::new(kind, message)
        }
    }

    /// A body over `limit` bytes ([`TransportErrorKind::TooLarge`]), for transports that
    /// enforce the client's limit.
    pub fn too_large(limit: u64) -> Self {
        TransportError::new(
            TransportErrorKind::TooLarge,
            format!(
                "the body is over the limit of {limit} bytes (see the client builder's \
                 max_response_size)"
            ),
        )
    }

    /// Removes `secret` from the message, in any form it may be echoed in (as is,
    /// percent-encoded, JSON- or HTML-escaped, or as the byte values of a body printed with
    /// `{:?}`). URLs and `token=` values are gone already;
    /// this catches what only the caller can recognise, such as the body of a request that
    /// a transport of an embedder's quotes. The clients call it with the token of every call
    /// and the password of a login.
    pub fn redact_secret(&mut self, secret: &str) {
        if !secret.is_empty() {
            let forms = crate::error::secret_forms(secret);
            crate::error::scrub_secret(&mut self.message, secret, &forms);
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the request surely never reached the server: the connection could not be
    /// made. Only these failures are retried (and only for GET, and only when the client
    /// has a [`RetryPolicy`](crate::policy::RetryPolicy)).
    pub fn is_connect(&self) -> bool {
        self.connect
    }
}

/// Removes URLs (which carry the token in their query) and `token=` values.
fn sanitize(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, word) in message.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_ascii_lowercase();
        if let Some(at) = ["http://", "https://"]
            .iter()
            .filter_map(|scheme| lower.find(scheme))
            .min()
        {
            out.push_str(&word[..at]);
            out.push_str("<url>");
        } else if let Some(at) = lower.find("token=") {
            out.push_str(&word[..at]);
            out.push_str("token=<redacted>");
        } else {
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_lose_urls_and_tokens() {
        let error = TransportError::new(
            TransportErrorKind::Connection,
            "error sending request for url (http://h/v0/times?token=abc%3D%3D) and ?token=xyz",
        );
        let text = format!("{error} {error:?}");
        assert!(!text.contains("abc"), "{text}");
        assert!(!text.contains("xyz"), "{text}");
        assert!(!text.contains("http://"), "{text}");
        assert_eq!(
            error.to_string(),
            "transport error: connection failed: error sending request for url (<url> and \
             ?token=<redacted>"
        );
    }

    #[test]
    fn a_known_secret_is_removed_in_every_form() {
        let body = r#"{"auth":{"type":"token","token":"abc+def/ghi=jk"}} abc%2Bdef%2Fghi%3Djk"#;
        let mut error = TransportError::new(
            TransportErrorKind::Connection,
            format!("the proxy refused the body {body}"),
        );
        error.redact_secret("abc+def/ghi=jk");
        assert_eq!(
            error.message(),
            r#"the proxy refused the body {"auth":{"type":"token","token":"<redacted>"}} <redacted>"#
        );
        let body = br#"{"password":"pw-secret"}"#.to_vec();
        let mut client = ClientError::Transport(TransportError::new(
            TransportErrorKind::Other,
            format!(r#"cannot send {{"password":"pw-secret"}} body: {body:?}"#),
        ));
        client.redact_secret("pw-secret");
        client.redact_secret("");
        let text = format!("{client} {client:?}");
        assert!(!text.contains("pw-secret"), "{text}");
        assert!(!text.contains("112, 119, 45"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert_eq!(
            client.transport().map(TransportError::kind),
            Some(TransportErrorKind::Other)
        );
    }

    #[test]
    fn only_connect_failures_count_as_connect_failures() {
        let kinds = [
            (TransportErrorKind::ConnectionRefused, true),
            (TransportErrorKind::Dns, true),
            (TransportErrorKind::Timeout, false),
            (TransportErrorKind::Connection, false),
            (TransportErrorKind::Tls, false),
        ];
        for (kind, expected) in kinds {
            assert_eq!(TransportError::new(kind, "x").is_connect(), expected);
        }
        assert!(TransportError::connect(TransportErrorKind::Timeout, "x").is_connect());
        assert_eq!(
            TransportError::new(TransportErrorKind::Timeout, "").to_string(),
            "transport error: timed out"
        );
    }
}
