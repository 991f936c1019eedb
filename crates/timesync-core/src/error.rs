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
    /// Replaces every occurrence of `secret` in the texts this error carries (an excerpt, an
    /// error body's name, text and values, a decode path and message) with `<redacted>`: raw,
    /// and in the forms a server or transport may echo it in (percent-encoded, JSON-escaped,
    /// HTML-escaped, or as the list of byte values that `{:?}` prints for a body).
    ///
    /// The messages are already free of anything token-like; this catches what only the
    /// caller can recognise, such as a short password that a broken server echoes in prose.
    /// The clients call it with the password of a login and the token of every other call.
    pub fn redact_secret(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let forms = secret_forms(secret);
        let scrub = |text: &mut String| scrub_secret(text, secret, &forms);
        match self {
            Error::Api(api) => {
                scrub(&mut api.error);
                if let Some(text) = &mut api.text {
                    scrub(text);
                }
                api.values.iter_mut().for_each(scrub);
            }
            Error::UnexpectedResponse { excerpt, .. } => scrub(excerpt),
            Error::Decode { path, message, .. } => {
                scrub(path);
                scrub(message);
            }
            _ => {}
        }
    }

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

/// `secret` as it may appear in an echo: raw, percent-encoded, escaped in JSON, escaped in
/// HTML (or both). Longest first, so that no form is cut by a shorter one.
/// Replaces every form of a secret in `text` (see [`secret_forms`]) with `<redacted>`, and
/// the bytes of each form written as a list of numbers, however the list is spaced (`{:?}`
/// and `{:#?}` of a request body).
pub(crate) fn scrub_secret(text: &mut String, secret: &str, forms: &[String]) {
    for form in forms {
        if text.contains(form.as_str()) {
            *text = text.replace(form.as_str(), "<redacted>");
        }
    }
    scrub_byte_list(text, secret.as_bytes());
    // A request body holds the secret JSON-escaped, or percent-encoded.
    for form in forms {
        scrub_byte_list(text, form.as_bytes());
    }
    // An excerpt may have been cut inside the secret: the start of it, right before the
    // closing "...", is redacted too (from three characters on).
    if let Some(kept) = text.strip_suffix("...") {
        let cut = forms.iter().find_map(|form| {
            form.char_indices()
                .skip(3)
                .map(|(end, _)| &form[..end])
                .filter(|prefix| kept.ends_with(prefix))
                .last()
        });
        if let Some(prefix) = cut {
            *text = format!("{}<redacted>...", &kept[..kept.len() - prefix.len()]);
        }
    }
}

/// Replaces each run of decimal numbers, separated by commas and whitespace, that spells
/// `secret` byte by byte.
fn scrub_byte_list(text: &mut String, secret: &[u8]) {
    if secret.is_empty() {
        return;
    }
    // The numbers of the text, with where each starts and ends.
    let bytes = text.as_bytes();
    let mut numbers: Vec<(usize, usize, u64)> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii_digit() && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric()) {
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_digit() {
                at += 1;
            }
            let value = text[start..at].parse().unwrap_or(u64::MAX);
            numbers.push((start, at, value));
        } else {
            at += 1;
        }
    }
    let separated = |from: usize, to: usize| {
        let between = &text[from..to];
        between.contains(',') && between.chars().all(|c| c == ',' || c.is_whitespace())
    };
    let mut spans = Vec::new();
    let mut first = 0;
    while first + secret.len() <= numbers.len() {
        let run = &numbers[first..first + secret.len()];
        let matches = run
            .iter()
            .zip(secret)
            .all(|(&(_, _, value), &byte)| value == u64::from(byte))
            && run.windows(2).all(|pair| separated(pair[0].1, pair[1].0));
        if matches {
            spans.push((run[0].0, run[secret.len() - 1].1));
            first += secret.len();
        } else {
            first += 1;
        }
    }
    for (start, end) in spans.into_iter().rev() {
        text.replace_range(start..end, "<redacted>");
    }
}

/// The forms a secret may be echoed in: as is, percent-encoded, JSON-escaped (also with
/// non-ASCII as `\u` escapes and `/` as `\/`), HTML-escaped, as Rust's `{:?}` prints it
/// (also of its JSON form, as when a request body is printed), and as an excerpt of a page
/// shows it (tags dropped, whitespace collapsed).
pub(crate) fn secret_forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"').to_owned();
    let html = |text: &str| {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let debug = |text: &str| {
        let printed = format!("{text:?}");
        printed[1..printed.len() - 1].to_owned()
    };
    let ascii_json: String = json
        .chars()
        .flat_map(|c| {
            if c.is_ascii() {
                vec![c.to_string()]
            } else {
                let mut units = [0; 2];
                c.encode_utf16(&mut units)
                    .iter()
                    .map(|unit| format!("\\u{unit:04x}"))
                    .collect()
            }
        })
        .collect();
    let mut forms = vec![
        secret.to_owned(),
        crate::request::percent_encode(secret),
        html(secret),
        html(&json),
        debug(secret),
        debug(&json),
        json.replace('/', "\\/"),
        // PHP escapes both.
        ascii_json.replace('/', "\\/"),
        ascii_json,
        crate::response::plain_text(secret),
        json,
    ];
    forms.retain(|form| !form.is_empty());
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms.dedup();
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_redacted_as_printed_by_debug_pages_and_other_json_writers() {
        let password = "pa\"ss\\wörd/\tx";
        let body = serde_json::json!({"auth": {"password": password}}).to_string();
        let echoes = [
            // `{:?}` of the body as a string, and of the password itself.
            format!("cannot send body {body:?}"),
            format!("password {password:?}"),
            // `{:?}` and `{:#?}` of the body's bytes, at any indentation.
            format!("body: {:?}", body.as_bytes()),
            format!("Request {{ body: {:#?} }}", body.as_bytes()),
            // An HTML page, as an excerpt shows it: tags gone, whitespace collapsed.
            crate::response::plain_text(&format!("<p>wrong password {password}</p>")),
            // JSON with non-ASCII as \u escapes (Python), and with \/ (PHP).
            r#"{"message":"wrong pa\"ss\\w\u00f6rd\/\tx"}"#.to_owned(),
        ];
        for echo in echoes {
            let mut error = Error::UnexpectedResponse {
                status: 400,
                excerpt: echo.clone(),
            };
            error.redact_secret(password);
            let text = error.to_string();
            assert!(text.contains("<redacted>"), "{echo} -> {text}");
            // 182 is the last byte of ö, which only the password has.
            for piece in ["wörd", "w\\u00f6rd", "182"] {
                assert!(!text.contains(piece), "{piece} in {echo} -> {text}");
            }
        }
        // Numbers that only look like part of the byte list stay.
        let mut error = Error::UnexpectedResponse {
            status: 400,
            excerpt: "codes 112, 97 and 1112, 97, 115".to_owned(),
        };
        error.redact_secret("pas");
        assert_eq!(
            error.to_string().matches("<redacted>").count(),
            0,
            "{error}"
        );
    }

    #[test]
    fn a_known_secret_is_redacted_in_every_echoed_form() {
        let password = r#"hun"ter 2&+"#;
        let echoes = [
            r#"you sent password hun"ter 2&+ which is wrong"#.to_owned(),
            r"{&quot;password&quot;:&quot;hun\&quot;ter 2&amp;+&quot;}".to_owned(),
            "password=hun%22ter%202%26%2B".to_owned(),
            r#"'password': 'hun"ter 2&+'"#.to_owned(),
            "hun&quot;ter 2&amp;+".to_owned(),
        ];
        for echo in echoes {
            let mut error = Error::UnexpectedResponse {
                status: 400,
                excerpt: echo.clone(),
            };
            error.redact_secret(password);
            let text = error.to_string();
            assert!(
                !text.contains("ter 2") && !text.contains("ter%202"),
                "{echo} -> {text}"
            );
            assert!(text.contains("<redacted>"), "{text}");
        }
        let mut api = Error::Api(ApiError {
            status: 401,
            kind: crate::ApiErrorKind::AuthenticationFailure,
            error: "Authentication failure".to_owned(),
            text: Some("bad password s3cret".to_owned()),
            values: vec!["s3cret".to_owned()],
        });
        api.redact_secret("s3cret");
        assert!(!format!("{api} {api:?}").contains("s3cret"));
        let mut cut = Error::UnexpectedResponse {
            status: 502,
            excerpt: "login failed for hunter2SEC...".to_owned(),
        };
        cut.redact_secret("hunter2SECRET");
        assert_eq!(
            cut.to_string(),
            "unexpected response: status 502: login failed for <redacted>..."
        );
        let mut innocent = Error::UnexpectedResponse {
            status: 502,
            excerpt: "the hu...".to_owned(),
        };
        innocent.redact_secret("hunter2SECRET");
        assert_eq!(
            innocent.to_string(),
            "unexpected response: status 502: the hu..."
        );
        let mut untouched = Error::NotAuthenticated;
        untouched.redact_secret("");
        assert_eq!(untouched, Error::NotAuthenticated);
    }
}
