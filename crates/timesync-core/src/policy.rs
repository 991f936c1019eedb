//! Decisions the transports act on: whether to retry, how long to wait, whether to log in
//! again. Pure functions: the transports sleep and re-send.

use std::time::Duration as StdDuration;

use http::Method;

use crate::Error;

/// The largest answer body the clients read by default: 256 MiB. A list of 10,000 times is
/// about 3.3 MB; the limit keeps a broken or hostile server from making a client allocate
/// without bound.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 256 * 1024 * 1024;

/// How long before its expiry a token is treated as expired, so that it does not expire
/// between the check and the server's.
pub const EXPIRY_LEEWAY: StdDuration = StdDuration::from_secs(30);

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attempt {
    /// The connection could not be made (refused, DNS, TLS handshake, connect timeout);
    /// nothing reached the server.
    ConnectFailed,
    /// The server (or a proxy) answered with this status.
    Status(u16),
    /// Anything else: a timeout or a broken connection after the request may have been sent.
    OtherFailure,
}

/// Opt-in retries of GET requests, with exponential backoff: after a failure to connect
/// (nothing reached the server) and after an answer of 502, 503 or 504. Not after a timeout
/// or a dropped connection once the request was sent. POST and DELETE are never retried: the
/// server may have acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The wait before the first retry; each later one doubles it.
    pub initial_backoff: StdDuration,
    /// The longest wait.
    pub max_backoff: StdDuration,
}

impl RetryPolicy {
    /// No retries.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        initial_backoff: StdDuration::ZERO,
        max_backoff: StdDuration::ZERO,
    };

    /// Up to `max_retries` retries, waiting 200 ms, 400 ms, ... and at most 5 s.
    pub fn new(max_retries: u32) -> Self {
        RetryPolicy {
            max_retries,
            initial_backoff: StdDuration::from_millis(200),
            max_backoff: StdDuration::from_secs(5),
        }
    }

    /// How long to wait before retrying, or `None` to give up. `retries_done` counts the
    /// retries already made for this call.
    pub fn retry_after(
        &self,
        method: &Method,
        retries_done: u32,
        attempt: Attempt,
    ) -> Option<StdDuration> {
        if *method != Method::GET || retries_done >= self.max_retries {
            return None;
        }
        let retryable = matches!(attempt, Attempt::ConnectFailed | Attempt::Status(502..=504));
        if !retryable {
            return None;
        }
        let factor = 2u32.checked_pow(retries_done).unwrap_or(u32::MAX);
        let wait = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff);
        Some(wait.min(self.max_backoff))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::NONE
    }
}

/// Whether an error calls for a new login and one more try of the same call: only an
/// authentication failure (bad, expired or revoked token), never an authorization failure.
pub fn should_log_in_again(error: &Error) -> bool {
    error
        .api()
        .is_some_and(|api| api.is_authentication_failure())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{ApiError, ApiErrorKind};

    #[test]
    fn only_gets_are_retried_and_only_on_transient_failures() {
        let policy = RetryPolicy::new(3);
        let ms = StdDuration::from_millis;
        assert_eq!(
            policy.retry_after(&Method::GET, 0, Attempt::ConnectFailed),
            Some(ms(200))
        );
        assert_eq!(
            policy.retry_after(&Method::GET, 1, Attempt::Status(502)),
            Some(ms(400))
        );
        assert_eq!(
            policy.retry_after(&Method::GET, 2, Attempt::Status(504)),
            Some(ms(800))
        );
        assert_eq!(
            policy.retry_after(&Method::GET, 3, Attempt::Status(503)),
            None
        );
        for status in [200, 400, 401, 404, 500, 501, 505] {
            assert_eq!(
                policy.retry_after(&Method::GET, 0, Attempt::Status(status)),
                None
            );
        }
        assert_eq!(
            policy.retry_after(&Method::GET, 0, Attempt::OtherFailure),
            None
        );
        for method in [Method::POST, Method::DELETE, Method::PUT] {
            assert_eq!(policy.retry_after(&method, 0, Attempt::ConnectFailed), None);
            assert_eq!(policy.retry_after(&method, 0, Attempt::Status(503)), None);
        }
        assert_eq!(
            RetryPolicy::NONE.retry_after(&Method::GET, 0, Attempt::Status(503)),
            None
        );
    }

    #[test]
    fn backoff_is_capped() {
        let policy = RetryPolicy {
            max_retries: 100,
            ..RetryPolicy::new(0)
        };
        assert_eq!(
            policy.retry_after(&Method::GET, 40, Attempt::ConnectFailed),
            Some(StdDuration::from_secs(5))
        );
    }

    #[test]
    fn log_in_again_on_authentication_failure_only() {
        let api = |kind| {
            Error::Api(ApiError {
                status: 401,
                kind,
                error: String::new(),
                text: None,
                values: Vec::new(),
            })
        };
        assert!(should_log_in_again(&api(
            ApiErrorKind::AuthenticationFailure
        )));
        assert!(!should_log_in_again(&api(
            ApiErrorKind::AuthorizationFailure
        )));
        assert!(!should_log_in_again(&api(ApiErrorKind::BadQueryValue)));
        assert!(!should_log_in_again(&Error::NotAuthenticated));
    }
}
