//! HTTP plumbing shared by the endpoints: the parsed request, query strings and canned answers.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The content type of every JSON answer.
const JSON_TYPE: &str = "application/json; charset=utf-8";

/// The largest request body accepted, as the reference's JSON parser: 100 KiB (102,400 bytes).
pub(crate) const BODY_LIMIT: usize = 100 * 1024;

/// The path as the client sent it, before the trailing slash is dropped for routing.
#[derive(Debug, Clone)]
pub(crate) struct RawPath(pub(crate) String);

/// What an endpoint needs from a request, read once.
#[derive(Debug)]
pub(crate) struct Req {
    /// The decoded query string.
    pub(crate) query: Query,
    /// The last path segment, percent-decoded (the identifier on `/things/:id` routes).
    pub(crate) last_segment: String,
    body: Bytes,
    json_body: bool,
}

impl Req {
    /// Reads the body (the server loop has already bounded its size) and the query string.
    pub(crate) async fn read(request: Request) -> Req {
        let (parts, body) = request.into_parts();
        // The server loop hands over a fully buffered body under BODY_LIMIT.
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let json_body = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.to_ascii_lowercase().contains("json"));
        let last_segment = parts
            .uri
            .path()
            .rsplit('/')
            .next()
            .map(|segment| percent_decode(segment, false))
            .unwrap_or_default();
        Req {
            query: Query::parse(parts.uri.query().unwrap_or("")),
            last_segment,
            body,
            json_body,
        }
    }

    /// The body as a JSON object.
    ///
    /// Like the reference's body parser, a body that is not labelled JSON, an empty body and a
    /// JSON array all read as an empty object; a malformed body or a JSON scalar is an error.
    pub(crate) fn json(&self) -> Result<Map<String, Value>, ApiError> {
        if !self.json_body || self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Map::new());
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(Value::Array(_)) => Ok(Map::new()),
            Ok(_) | Err(_) => Err(ApiError::unparsable_body()),
        }
    }
}

/// A query string decoded as `application/x-www-form-urlencoded`.
///
/// A raw `+` decodes to a space and stays one: unlike the reference, nothing turns the spaces
/// of a token back into `+`.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Decodes a raw query string (without the `?`).
    pub(crate) fn parse(raw: &str) -> Query {
        let pairs = raw
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(name, true), percent_decode(value, true))
            })
            .collect();
        Query { pairs }
    }

    /// The first value of a parameter.
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a repeatable parameter, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// A `true`/`false` parameter; absent means false.
    pub(crate) fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.first(name) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(ApiError::bad_query_value(name, other)),
        }
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_as_space`); bad escapes stay as they are.
pub(crate) fn percent_decode(input: &str, plus_as_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_as_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// A JSON answer.
pub(crate) fn json(status: StatusCode, value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let mut response = (status, body).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
            response
        }
        // Our own output types always serialize; answer as a broken server would if not.
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Body::empty()).into_response(),
    }
}

/// A `200` JSON answer.
pub(crate) fn ok(value: &impl Serialize) -> Response {
    json(StatusCode::OK, value)
}

/// The answer to a successful DELETE: `200`, empty body, no content type.
pub(crate) fn deleted() -> Response {
    Response::new(Body::empty())
}

/// Express's page for an unknown route or method: `404`, `Cannot GET /v0/...`.
pub(crate) fn express_not_found(method: &Method, raw_path: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Error</title>\n</head>\n<body>\n<pre>Cannot {method} {}</pre>\n</body>\n</html>\n",
        escape_html(raw_path)
    );
    html(StatusCode::NOT_FOUND, page)
}

/// What nginx answers when the application behind it is down.
pub(crate) fn bad_gateway() -> Response {
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                </body>\r\n</html>\r\n";
    let mut response = html(StatusCode::BAD_GATEWAY, page.to_owned());
    response
        .headers_mut()
        .insert(header::SERVER, HeaderValue::from_static("nginx"));
    response
}

fn html(status: StatusCode, page: String) -> Response {
    let mut response = (status, page).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_decodes_form_urlencoded() {
        let query = Query::parse("token=a%2Bb%2Fc%3D&token=x+y&flag&user=al%ZZ");
        assert_eq!(query.all("token"), ["a+b/c=", "x y"]);
        assert_eq!(query.first("flag"), Some(""));
        assert_eq!(query.first("user"), Some("al%ZZ"));
        assert_eq!(query.first("missing"), None);
    }

    #[test]
    fn path_segments_keep_plus() {
        assert_eq!(percent_decode("bad_slug%21+x", false), "bad_slug!+x");
        assert_eq!(percent_decode("%", false), "%");
        assert_eq!(percent_decode("a%2", false), "a%2");
        assert_eq!(percent_decode("%41%42", false), "AB");
    }

    #[test]
    fn flags_take_true_and_false_only() {
        let query = Query::parse("a=true&b=false&c=yes");
        assert_eq!(query.flag("a").ok(), Some(true));
        assert_eq!(query.flag("b").ok(), Some(false));
        assert_eq!(query.flag("missing").ok(), Some(false));
        assert!(query.flag("c").is_err());
    }
}
