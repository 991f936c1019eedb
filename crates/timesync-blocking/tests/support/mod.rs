//! A scripted transport and canned answers, for testing the client's decisions exactly.

#![allow(dead_code, unreachable_pub)]

pub mod captured;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use timesync_blocking::http::{Request, Response};
use timesync_blocking::{
    Client, ClientBuilder, Token, Transport, TransportError, TransportErrorKind,
};

pub const BASE_URL: &str = "http://timesync.test/v0";

pub type Answer = Result<Response<Vec<u8>>, TransportError>;

/// Answers requests from a list, in order, and records what was sent.
#[derive(Debug, Default)]
pub struct Script {
    answers: Mutex<VecDeque<Answer>>,
    sent: Mutex<Vec<Request<Vec<u8>>>>,
}

impl Script {
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Arc<Script> {
        Arc::new(Script {
            answers: Mutex::new(answers.into_iter().collect()),
            sent: Mutex::new(Vec::new()),
        })
    }

    /// `METHOD path?query` of every request sent, in order.
    pub fn sent(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}", r.method(), r.uri().path_and_query().unwrap()))
            .collect()
    }

    pub fn requests(&self) -> Vec<Request<Vec<u8>>> {
        self.sent.lock().unwrap().clone()
    }

    pub fn remaining(&self) -> usize {
        self.answers.lock().unwrap().len()
    }

    pub fn builder(self: &Arc<Self>) -> ClientBuilder {
        Client::builder(BASE_URL).transport(self.clone())
    }
}

impl Transport for Script {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let line = format!("{} {}", request.method(), request.uri().path());
        self.sent.lock().unwrap().push(request);
        self.answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| panic!("the script has no answer for {line}"))
    }
}

pub fn answer(status: u16, body: &str) -> Answer {
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap())
}

pub fn ok(body: &str) -> Answer {
    answer(200, body)
}

pub fn login(token: &Token) -> Answer {
    ok(&format!(r#"{{"token":"{}"}}"#, token.expose()))
}

pub fn authentication_failure() -> Answer {
    answer(
        401,
        r#"{"status":401,"error":"Authentication failure","text":"Bad API token"}"#,
    )
}

pub fn authorization_failure() -> Answer {
    answer(
        401,
        r#"{"status":401,"error":"Authorization failure","text":"alice is not authorized"}"#,
    )
}

pub fn bad_gateway() -> Answer {
    Ok(Response::builder()
        .status(502)
        .header("content-type", "text/html")
        .body(b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec())
        .unwrap())
}

pub fn failure(kind: TransportErrorKind) -> Answer {
    Err(TransportError::new(kind, "scripted"))
}

/// A token shaped like the server's, expiring `seconds` from now (negative: in the past).
/// Each call gives a different token.
pub fn token_expiring_in(seconds: i64) -> Token {
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let exp = now.as_millis() as i64 + seconds * 1000;
    let header = STANDARD.encode(r#"{"typ":"JWT","alg":"HMAC-SHA512"}"#);
    let payload = STANDARD.encode(format!(
        r#"{{"iss":"test","sub":"alice","exp":{exp},"n":{serial}}}"#
    ));
    Token::new(format!("{header}.{payload}.c2lnbmF0dXJlKy8r+/=="))
}

pub fn fresh_token() -> Token {
    token_expiring_in(30 * 60)
}

/// The token as it appears percent-encoded in a query string.
pub fn in_query(token: &Token) -> String {
    token
        .expose()
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

/// A time with the uuid `00000000-0000-4000-8000-<n>`.
pub fn time(n: u32) -> String {
    format!(
        r#"{{"uuid":"00000000-0000-4000-8000-{n:012}","revision":1,"duration":3600,
        "user":"alice","project":["gwm"],"activities":["dev"],"date_worked":"2024-03-04"}}"#
    )
}

/// A list of times with the uuids `first..first + count`.
pub fn times(first: u32, count: u32) -> String {
    let objects: Vec<String> = (first..first + count).map(time).collect();
    format!("[{}]", objects.join(","))
}

pub fn fast_retries(max_retries: u32) -> timesync_blocking::RetryPolicy {
    timesync_blocking::RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(4),
    }
}
