//! A tiny HTTP/1.1 client over `std::net::TcpStream`, so that the tests control every byte
//! (raw `+` in query strings, malformed requests, connections that close) and need no client
//! crate. Every request uses its own connection (`Connection: close`).

#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::{Value, json};
use timesync_mock::MockServer;

/// How long a test waits for an answer before calling the server hung.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// A header by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON; panics with the body if it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {:?}", self.body))
    }

    /// Asserts a TimeSync error answer and returns its body.
    #[track_caller]
    pub fn assert_error(&self, status: u16, error: &str, text: &str) -> Value {
        assert_eq!(self.status, status, "status of {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        let body = self.json();
        assert_eq!(body["status"], status, "{body}");
        assert_eq!(body["error"], error, "{body}");
        assert_eq!(body["text"], text, "{body}");
        body
    }

    /// Asserts a 200 JSON answer and returns its body.
    #[track_caller]
    pub fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        self.json()
    }

    /// Asserts the answer to a successful DELETE: 200, empty, no content type.
    #[track_caller]
    pub fn assert_deleted(&self) {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(self.body, "");
        assert_eq!(self.header("content-type"), None);
    }
}

/// Sends raw bytes and reads until the server closes the connection.
pub fn exchange_raw(addr: SocketAddr, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.write_all(request)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(answer)
}

/// Parses a complete HTTP/1.1 response.
pub fn parse(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete response head: {text:?}"));
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

/// Sends one request; `body` is sent as JSON.
pub fn send(addr: SocketAddr, method: &str, target: &str, body: Option<&str>) -> Answer {
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        request.push_str("\r\n");
    }
    let raw = exchange_raw(addr, request.as_bytes())
        .unwrap_or_else(|error| panic!("{method} {target}: {error}"));
    parse(&raw)
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A server and helpers that speak the API as a client would.
pub struct Api {
    pub server: MockServer,
}

impl Api {
    pub fn new(server: MockServer) -> Api {
        Api { server }
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// `POST /login`; the raw answer.
    pub fn try_login(&self, username: &str, password: &str) -> Answer {
        let body =
            json!({"auth": {"type": "password", "username": username, "password": password}});
        send(self.addr(), "POST", "/v0/login", Some(&body.to_string()))
    }

    /// Logs in and returns the token.
    #[track_caller]
    pub fn login(&self, username: &str, password: &str) -> String {
        let answer = self.try_login(username, password);
        let body = answer.json();
        assert_eq!(answer.status, 200, "login {username}: {body}");
        body["token"].as_str().unwrap_or_default().to_owned()
    }

    /// Logs in a demo account by username.
    #[track_caller]
    pub fn token(&self, username: &str) -> String {
        let account = timesync_mock::demo_accounts()
            .iter()
            .find(|account| account.username == username)
            .unwrap_or_else(|| panic!("no demo account {username}"));
        self.login(account.username, account.password)
    }

    /// `GET /v0{path}` with the token percent-encoded.
    pub fn get(&self, token: &str, path: &str) -> Answer {
        send(self.addr(), "GET", &with_token(path, token), None)
    }

    /// `DELETE /v0{path}` with the token percent-encoded.
    pub fn delete(&self, token: &str, path: &str) -> Answer {
        send(self.addr(), "DELETE", &with_token(path, token), None)
    }

    /// `POST /v0{path}` with `{"auth": {"type": "token", ...}, "object": object}`.
    pub fn post(&self, token: &str, path: &str, object: Value) -> Answer {
        let body = json!({"auth": {"type": "token", "token": token}, "object": object});
        send(
            self.addr(),
            "POST",
            &format!("/v0{path}"),
            Some(&body.to_string()),
        )
    }

    /// `POST /v0{path}` with any body.
    pub fn post_raw(&self, path: &str, body: &str) -> Answer {
        send(self.addr(), "POST", &format!("/v0{path}"), Some(body))
    }
}

fn with_token(path: &str, token: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("/v0{path}{separator}token={}", encode(token))
}

/// The values of `key` in a JSON array of objects.
pub fn column(list: &Value, key: &str) -> Vec<Value> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|item| item[key].clone())
        .collect()
}

/// The string values of `key` in a JSON array of objects.
pub fn strings(list: &Value, key: &str) -> Vec<String> {
    column(list, key)
        .into_iter()
        .map(|value| value.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A `$2a$10$` bcrypt hash, as a client sends in user objects.
pub fn hash(password: &str) -> String {
    bcrypt::hash_with_result(password, 10)
        .map(|parts| parts.format_for_version(bcrypt::Version::TwoA))
        .unwrap_or_default()
}
