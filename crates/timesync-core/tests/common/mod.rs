//! Fixtures shared by the integration tests: made-up values shaped like the reference
//! server's, and canned responses.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use timesync_core::http::Response;
use timesync_core::{NaiveDate, Slug, Token, Username};

/// A made-up token in the server's shape: three dot-separated segments of standard base64
/// with `+`, `/` and `=` padding; the payload's `exp` is 1900000000000 milliseconds.
pub(crate) const TOKEN: &str = "eyJhbGciOiJIUzUxMiIsImtpZCI6InRlc3RzPyJ9.eyJpc3MiOiJ0aW1lc3luYy10ZXN0cyIsInN1YiI6ImFsaWNlfnRlc3QiLCJleHAiOjE5MDAwMDAwMDAwMDAsImlhdCI6MTg5OTk5ODIwMDAwMH0=.1/E4pPMkrapDePjyRbnNPcc/KSfZFU11E+nKX7Ml3iqYLfAdvG8VaFRKjk5WBswNaMAhzX0Rn3FgEMfFEOQjdg==";

/// [`TOKEN`] as it must appear in a query string.
pub(crate) const TOKEN_ENCODED: &str = "eyJhbGciOiJIUzUxMiIsImtpZCI6InRlc3RzPyJ9.eyJpc3MiOiJ0aW1lc3luYy10ZXN0cyIsInN1YiI6ImFsaWNlfnRlc3QiLCJleHAiOjE5MDAwMDAwMDAwMDAsImlhdCI6MTg5OTk5ODIwMDAwMH0%3D.1%2FE4pPMkrapDePjyRbnNPcc%2FKSfZFU11E%2BnKX7Ml3iqYLfAdvG8VaFRKjk5WBswNaMAhzX0Rn3FgEMfFEOQjdg%3D%3D";

/// A password that must never show up anywhere but in a login body.
pub(crate) const PASSWORD: &str = "correct horse battery staple";

pub(crate) fn token() -> Token {
    Token::new(TOKEN)
}

pub(crate) fn user(name: &str) -> Username {
    Username::new(name).unwrap()
}

pub(crate) fn slug(name: &str) -> Slug {
    Slug::new(name).unwrap()
}

pub(crate) fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A canned response; `content_type` is left out when empty.
pub(crate) fn response(status: u16, content_type: &str, body: &str) -> Response<Vec<u8>> {
    let mut builder = Response::builder().status(status);
    if !content_type.is_empty() {
        builder = builder.header("content-type", content_type);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

/// A canned response with JSON labelled as the reference server labels errors.
pub(crate) fn json_response(status: u16, body: &str) -> Response<Vec<u8>> {
    response(status, "application/json; charset=utf-8", body)
}
