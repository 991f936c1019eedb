//! Interpreting responses: typed results, TimeSync error bodies, and everything else a server
//! or a proxy may send.

use std::collections::BTreeMap;
use std::fmt;

use http::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{Error, Project, ProjectRoles, Token, Username};

/// What went wrong, as the `error` name of a TimeSync error body says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// `Object not found`: a valid identifier that names nothing.
    NotFound,
    /// `Bad object`: a missing or unknown field, a wrong type, malformed JSON.
    BadObject,
    /// `Invalid identifier` (the server says "The provided identifier was invalid").
    InvalidIdentifier,
    /// `Invalid username`: bad characters in a new username.
    InvalidUsername,
    /// `Authentication failure`: bad credentials, a bad, expired or missing token.
    AuthenticationFailure,
    /// `Authorization failure`: authenticated, but not allowed.
    AuthorizationFailure,
    /// `Slug already exists` / `Slugs already exist`; `values` lists them.
    SlugExists,
    /// `Username already exists`.
    UsernameExists,
    /// `Invalid foreign key`: a referenced object does not exist.
    InvalidForeignKey,
    /// `Bad query value`; the server also uses it for an unknown auth type.
    BadQueryValue,
    /// `Method not allowed` / `Request Failure`, such as deleting a project still in use.
    MethodNotAllowed,
    /// `Server error`.
    ServerError,
    /// A name this crate does not know.
    Other,
}

impl ApiErrorKind {
    /// Classifies an `error` name, tolerating the server's different wordings.
    pub fn from_name(name: &str, status: u16) -> Self {
        let name = name.to_ascii_lowercase();
        let has = |s: &str| name.contains(s);
        if has("not found") {
            ApiErrorKind::NotFound
        } else if has("bad object") {
            ApiErrorKind::BadObject
        } else if has("identifier") {
            ApiErrorKind::InvalidIdentifier
        } else if has("invalid username") {
            ApiErrorKind::InvalidUsername
        } else if has("authentication") {
            ApiErrorKind::AuthenticationFailure
        } else if has("authorization") {
            ApiErrorKind::AuthorizationFailure
        } else if has("slug") && has("exist") {
            ApiErrorKind::SlugExists
        } else if has("username") && has("exist") {
            ApiErrorKind::UsernameExists
        } else if has("foreign key") {
            ApiErrorKind::InvalidForeignKey
        } else if has("bad query") {
            ApiErrorKind::BadQueryValue
        } else if has("method not allowed") || has("request failure") {
            ApiErrorKind::MethodNotAllowed
        } else if has("server error") {
            ApiErrorKind::ServerError
        } else if name.trim().is_empty() {
            Self::from_status(status)
        } else {
            ApiErrorKind::Other
        }
    }

    fn from_status(status: u16) -> Self {
        match status {
            404 => ApiErrorKind::NotFound,
            405 => ApiErrorKind::MethodNotAllowed,
            500 => ApiErrorKind::ServerError,
            _ => ApiErrorKind::Other,
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiErrorKind::NotFound => "object not found",
            ApiErrorKind::BadObject => "bad object",
            ApiErrorKind::InvalidIdentifier => "invalid identifier",
            ApiErrorKind::InvalidUsername => "invalid username",
            ApiErrorKind::AuthenticationFailure => "authentication failure",
            ApiErrorKind::AuthorizationFailure => "authorization failure",
            ApiErrorKind::SlugExists => "slug already exists",
            ApiErrorKind::UsernameExists => "username already exists",
            ApiErrorKind::InvalidForeignKey => "invalid foreign key",
            ApiErrorKind::BadQueryValue => "bad query value",
            ApiErrorKind::MethodNotAllowed => "method not allowed",
            ApiErrorKind::ServerError => "server error",
            ApiErrorKind::Other => "api error",
        })
    }
}

/// A TimeSync error body: `{"status": N, "error": NAME, "text": DETAIL, "values": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (status {status}){}", .text.as_deref().map(|t| format!(": {t}")).unwrap_or_default())]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: u16,
    /// The classified `error` name.
    pub kind: ApiErrorKind,
    /// The `error` name as the server wrote it (empty when it sent none).
    pub error: String,
    /// The detail, when the server sent one.
    pub text: Option<String>,
    /// Offending values, such as the slugs that already exist.
    pub values: Vec<String>,
}

impl ApiError {
    /// Whether logging in again may help: the token was bad, expired or missing.
    pub fn is_authentication_failure(&self) -> bool {
        self.kind == ApiErrorKind::AuthenticationFailure
    }
}

/// The most of a body that goes into an error message.
const EXCERPT_CHARS: usize = 160;

/// Parses a 2xx JSON body into `T`, whatever content type the server claims (the reference
/// server labels JSON `text/html`), or turns any other answer into an error.
///
/// # Errors
///
/// [`Error::Api`], [`Error::UnexpectedResponse`] or [`Error::Decode`].
pub fn json<T: DeserializeOwned>(response: Response<Vec<u8>>) -> Result<T, Error> {
    let status = success(&response)?;
    decode(status, response.body())
}

/// As [`json`], for a list endpoint; a single object (as `GET /times/:uuid` gives) becomes a
/// list of one.
///
/// # Errors
///
/// As [`json`].
pub fn json_list<T: DeserializeOwned>(response: Response<Vec<u8>>) -> Result<Vec<T>, Error> {
    let status = success(&response)?;
    let body = response.body();
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => decode::<T>(status, body).map(|one| vec![one]),
        _ => decode(status, body),
    }
}

/// Accepts any success, such as the empty 200 (or a 204) of a delete.
///
/// # Errors
///
/// [`Error::Api`] or [`Error::UnexpectedResponse`] for a non-2xx answer.
pub fn empty(response: Response<Vec<u8>>) -> Result<(), Error> {
    success(&response).map(|_| ())
}

/// Reads the token of a login response.
///
/// # Errors
///
/// As [`json`]; [`Error::Decode`] when the body has no `token` string.
pub fn token(response: Response<Vec<u8>>) -> Result<Token, Error> {
    // A map, so that serde's sequence form of a struct (`["..."]`) is not taken for a login.
    let status = response.status().as_u16();
    let mut login = json::<BTreeMap<String, serde_json::Value>>(response)?;
    match login.remove("token") {
        // An empty token would be sent as none, and refused.
        Some(serde_json::Value::String(token)) if token.is_empty() => Err(Error::Decode {
            status,
            path: "token".to_owned(),
            message: "the token is empty".to_owned(),
        }),
        Some(serde_json::Value::String(token)) => Ok(Token::new(token)),
        Some(_) => Err(Error::Decode {
            status,
            path: "token".to_owned(),
            message: "invalid type: expected the token as a string".to_owned(),
        }),
        None => Err(Error::Decode {
            status,
            path: ".".to_owned(),
            message: "missing field `token`".to_owned(),
        }),
    }
}

/// Reads the members of a project, as `project_users` returns them.
///
/// # Errors
///
/// As [`json`].
pub fn project_users(
    response: Response<Vec<u8>>,
) -> Result<BTreeMap<Username, ProjectRoles>, Error> {
    json::<Project>(response).map(|project| project.users.unwrap_or_default())
}

/// Returns the status of a 2xx response; turns anything else into an error.
fn success(response: &Response<Vec<u8>>) -> Result<u16, Error> {
    let status = response.status().as_u16();
    if response.status().is_success() {
        Ok(status)
    } else {
        Err(error_from_body(status, response.body()))
    }
}

fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    // The common case first: plain serde_json, which also refuses trailing bytes. Only a
    // failure pays for finding out what the body was and where the shape went wrong.
    if let Ok(value) = serde_json::from_slice::<T>(body) {
        return Ok(value);
    }
    let looks_like_json = matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
    );
    // A body can start like JSON and still be none (`404 page not found`, or a JSON value
    // followed by text): that is an unexpected response, not JSON of the wrong shape.
    if !looks_like_json || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        return Err(Error::UnexpectedResponse {
            status,
            excerpt: excerpt(body),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => Err(Error::Decode {
            status,
            path: ".".to_owned(),
            message: "the body decodes only when read field by field".to_owned(),
        }),
        // A map key (a username in `users`, say) is part of the path: a token the server
        // put there goes the way of one in the message.
        Err(error) => Err(Error::Decode {
            status,
            path: redact(&error.path().to_string()),
            message: redact(&error.into_inner().to_string()),
        }),
    }
}

fn error_from_body(status: u16, body: &[u8]) -> Error {
    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        error: Option<String>,
        #[serde(default)]
        text: Option<serde_json::Value>,
        #[serde(default)]
        values: Option<serde_json::Value>,
    }
    let Ok(parsed) = serde_json::from_slice::<Body>(body) else {
        return Error::UnexpectedResponse {
            status,
            excerpt: excerpt(body),
        };
    };
    if parsed.error.is_none() && parsed.text.is_none() {
        return Error::UnexpectedResponse {
            status,
            excerpt: excerpt(body),
        };
    }
    let error = parsed.error.unwrap_or_default();
    let kind = ApiErrorKind::from_name(&error, status);
    let error = redact(&error);
    let text = parsed.text.map(|text| match text {
        serde_json::Value::String(text) => redact(&text),
        other => redact(&other.to_string()),
    });
    let values = match parsed.values {
        Some(serde_json::Value::Array(values)) => values.into_iter().map(value_text).collect(),
        Some(serde_json::Value::Null) | None => Vec::new(),
        Some(other) => vec![value_text(other)],
    };
    Error::Api(ApiError {
        status,
        kind,
        error,
        text,
        values,
    })
}

fn value_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => redact(&text),
        other => redact(&other.to_string()),
    }
}

/// Text as an excerpt shows it: tags dropped, control characters and runs of whitespace
/// made one space.
pub(crate) fn plain_text(text: &str) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => plain.push(' '),
            c => plain.push(c),
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short, single-line, token-free start of a body: HTML tags are dropped, whitespace is
/// collapsed, and anything that looks like a token is replaced.
fn excerpt(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "empty body".to_owned();
    }
    let mut head = &body[..body.len().min(4096)];
    // A cut through a token would leave a piece too short for `redact` to recognise: when the
    // body goes on, drop the run of token characters the cut ends in.
    if head.len() < body.len() {
        let kept = head
            .iter()
            .rposition(|&b| !is_token_char(char::from(b)))
            .map_or(0, |i| i + 1);
        head = &head[..kept];
    }
    let text = String::from_utf8_lossy(head);
    let redacted = redact(&plain_text(&text));
    if redacted.chars().count() > EXCERPT_CHARS {
        let cut: String = redacted.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}...")
    } else if redacted.is_empty() {
        "body without text".to_owned()
    } else {
        redacted
    }
}

/// Characters of base64, URL-safe base64 and percent-encoding: what a token is made of.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '.' | '-' | '_' | '%')
}

/// Replaces anything token-like: the value of a `token=` parameter, and any long run of
/// base64, URL-safe base64 or percent-encoded characters.
pub(crate) fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    // 40 characters: longer than a uuid, shorter than any signed token.
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 40 {
            out.push_str("<redacted>");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            run.push(c);
            continue;
        }
        flush(&mut run, &mut out);
        out.push(c);
    }
    flush(&mut run, &mut out);
    // Short values are still secrets when they follow a `token` or `password` key.
    ["token", "password"].iter().fold(out, |text, key| {
        redact_json_value(&redact_query_value(&text, key), key)
    })
}

/// Replaces the value of `key=...` (up to `&`, a quote or white space).
fn redact_query_value(text: &str, key: &str) -> String {
    let marker = format!("{key}=");
    let lower = text.to_ascii_lowercase();
    let mut result = String::with_capacity(text.len());
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(&marker) {
        let value_start = from + found + marker.len();
        let value_end = text[value_start..]
            .find(|c: char| c == '&' || c.is_whitespace() || c == '"')
            .map_or(text.len(), |end| value_start + end);
        result.push_str(&text[done..value_start]);
        let value = &text[value_start..value_end];
        result.push_str(if value.is_empty() || value == "<redacted>" {
            value
        } else {
            "<redacted>"
        });
        done = value_end;
        from = value_end;
    }
    result.push_str(&text[done..]);
    result
}

/// Replaces the string value of a JSON member `"key": "..."`, even one cut off at the end.
fn redact_json_value(text: &str, key: &str) -> String {
    let marker = format!("\"{key}\"");
    let lower = text.to_ascii_lowercase();
    let mut result = String::with_capacity(text.len());
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(&marker) {
        let after_key = from + found + marker.len();
        from = after_key;
        let rest = &text[after_key..];
        let trimmed = rest.trim_start();
        let Some(after_colon) = trimmed.strip_prefix(':') else {
            continue;
        };
        let value = after_colon.trim_start();
        let Some(inner) = value.strip_prefix('"') else {
            continue;
        };
        let value_start = text.len() - inner.len();
        let mut escaped = false;
        let mut value_end = text.len();
        for (i, c) in inner.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    value_end = value_start + i;
                    break;
                }
                _ => {}
            }
        }
        result.push_str(&text[done..value_start]);
        result.push_str("<redacted>");
        done = value_end;
        from = value_end;
    }
    result.push_str(&text[done..]);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_after_their_keys_are_redacted() {
        let cases = [
            (
                r#"login ok {"auth":{"password":"hunter2","username":"u"}}"#,
                r#"login ok {"auth":{"password":"<redacted>","username":"u"}}"#,
            ),
            (
                r#"{"Password" : "a \"quoted\" pw"}"#,
                r#"{"Password" : "<redacted>"}"#,
            ),
            (r#"{"password":"cut off here"#, r#"{"password":"<redacted>"#),
            (
                r#"{"token":"abc","password":"","x":1}"#,
                r#"{"token":"<redacted>","password":"<redacted>","x":1}"#,
            ),
            (
                "GET /v0/times?token=abc&user=x password=pw1 end",
                "GET /v0/times?token=<redacted>&user=x password=<redacted> end",
            ),
            (
                "no secrets: password is required",
                "no secrets: password is required",
            ),
            (r#"{"password": 12}"#, r#"{"password": 12}"#),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "{input}");
        }
    }

    #[test]
    fn a_login_answer_must_be_an_object_with_a_token_string() {
        let answer = |body: &str| {
            token(
                Response::builder()
                    .status(200)
                    .body(body.as_bytes().to_vec())
                    .unwrap(),
            )
        };
        assert_eq!(
            answer(r#"{"token":"abc","extra":1}"#).unwrap().expose(),
            "abc"
        );
        for (body, path) in [
            (r#"["abc"]"#, "."),
            (r#"{"token":5}"#, "token"),
            ("{}", "."),
        ] {
            match answer(body) {
                Err(Error::Decode { path: got, .. }) => assert_eq!(got, path, "{body}"),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_login_page_echoing_the_password_does_not_leak_it() {
        let body = br#"<html><body>login ok {"auth":{"type":"password","username":"alice","password":"PASSWORD-hunter2"}}</body></html>"#;
        let response = Response::builder().status(200).body(body.to_vec()).unwrap();
        let error = token(response).unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
