//! Tokens, passwords and password hashes: values that never show up in `Debug`, `Display`,
//! error messages or logs.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::{Error, Username};

const REDACTED: &str = "<redacted>";

/// A TimeSync session token, as returned by a login.
///
/// `Debug` and `Display` print `<redacted>`; [`Token::expose`] gives the raw string to a
/// transport that has to send it.
#[derive(Clone)]
pub struct Token(Arc<TokenForms>);

/// A token in the two forms it is sent in; shared, so that cloning a token for every call
/// copies nothing.
struct TokenForms {
    raw: SecretString,
    /// Percent-encoded for a query string, made once rather than on every request.
    in_query: SecretString,
}

impl Token {
    /// Wraps a token string, such as one kept from an earlier login.
    pub fn new(token: impl Into<String>) -> Self {
        let raw: String = token.into();
        let in_query = crate::request::percent_encode(&raw);
        Token(Arc::new(TokenForms {
            raw: SecretString::from(raw),
            in_query: SecretString::from(in_query),
        }))
    }

    /// The raw token, for sending it. Keep it out of logs.
    pub fn expose(&self) -> &str {
        self.0.raw.expose_secret()
    }

    /// The token percent-encoded for a query string.
    pub(crate) fn expose_in_query(&self) -> &str {
        self.0.in_query.expose_secret()
    }

    /// When the token expires, read from the `exp` claim of its payload.
    ///
    /// TimeSync puts milliseconds since the epoch there; values small enough to be seconds
    /// (before the year 5138 when read as seconds) are taken as seconds. The payload may be
    /// standard or URL-safe base64, with or without padding.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidToken`] when the token does not have three dot-separated segments,
    /// the payload is not base64-encoded JSON, or `exp` is missing or not a number.
    pub fn expires_at(&self) -> Result<SystemTime, Error> {
        let mut segments = self.expose().split('.');
        let (Some(_), Some(payload), Some(_), None) = (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) else {
            return Err(Error::InvalidToken("expected three dot-separated segments"));
        };
        let bytes =
            decode_base64(payload).ok_or(Error::InvalidToken("the payload is not base64"))?;
        let claims: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| Error::InvalidToken("the payload is not json"))?;
        let exp = claims
            .get("exp")
            .and_then(serde_json::Value::as_f64)
            .filter(|exp| exp.is_finite() && *exp >= 0.0)
            .ok_or(Error::InvalidToken("the payload has no numeric exp claim"))?;
        // 1e11 seconds is in the year 5138, and 1e11 milliseconds in 1973: the two readings
        // cannot be confused for any token issued by a running server.
        let millis = if exp >= 1e11 { exp } else { exp * 1000.0 };
        UNIX_EPOCH
            .checked_add(StdDuration::from_millis(millis as u64))
            .ok_or(Error::InvalidToken("the exp claim is out of range"))
    }

    /// Whether the token has expired at `now`, or will within `leeway`.
    ///
    /// # Errors
    ///
    /// As [`Token::expires_at`].
    pub fn expires_within(&self, now: SystemTime, leeway: StdDuration) -> Result<bool, Error> {
        let expiry = self.expires_at()?;
        Ok(now.checked_add(leeway).is_none_or(|limit| limit >= expiry))
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let config = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let standard = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
    let url_safe = GeneralPurpose::new(&base64::alphabet::URL_SAFE, config);
    standard
        .decode(text)
        .or_else(|_| url_safe.decode(text))
        .ok()
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({REDACTED})")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for Token {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Token {}

/// A plain-text password, for logging in or for hashing into a [`PasswordHash`].
#[derive(Clone)]
pub struct Password(SecretString);

impl Password {
    /// Wraps a password.
    pub fn new(password: impl Into<String>) -> Self {
        Password(SecretString::from(password.into()))
    }

    /// The raw password, for sending it in a login request.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Password({REDACTED})")
    }
}

impl From<&str> for Password {
    fn from(value: &str) -> Self {
        Password::new(value)
    }
}

impl From<String> for Password {
    fn from(value: String) -> Self {
        Password::new(value)
    }
}

/// The bcrypt cost TimeSync servers expect.
pub const BCRYPT_COST: u32 = 10;

/// A bcrypt hash (`$2a$`, cost 10) of a password, as user objects must carry it.
///
/// The server stores what it receives, so a user created with a plain password could never
/// log in; this type makes that mistake impossible.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Hashes `password` with a random salt.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPassword`] when the password is empty, longer than 72 bytes in UTF-8
    /// (bcrypt would silently ignore the rest), or contains a NUL byte.
    pub fn bcrypt(password: &Password) -> Result<Self, Error> {
        let bytes = check_password(password)?;
        let parts = bcrypt::hash_with_result(bytes, BCRYPT_COST)
            .map_err(|_| Error::InvalidPassword("bcrypt refused the password"))?;
        Ok(PasswordHash(
            parts.format_for_version(bcrypt::Version::TwoA),
        ))
    }

    /// Hashes `password` with the given salt, for reproducible hashes in tests.
    ///
    /// # Errors
    ///
    /// As [`PasswordHash::bcrypt`].
    pub fn bcrypt_with_salt(password: &Password, salt: [u8; 16]) -> Result<Self, Error> {
        let bytes = check_password(password)?;
        let parts = bcrypt::hash_with_salt(bytes, BCRYPT_COST, salt)
            .map_err(|_| Error::InvalidPassword("bcrypt refused the password"))?;
        Ok(PasswordHash(
            parts.format_for_version(bcrypt::Version::TwoA),
        ))
    }

    /// Whether `password` matches this hash.
    pub fn verify(&self, password: &Password) -> bool {
        bcrypt::verify(password.expose().as_bytes(), &self.0).unwrap_or(false)
    }

    /// The hash in its `$2a$10$...` text form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_password(password: &Password) -> Result<&[u8], Error> {
    let bytes = password.expose().as_bytes();
    if bytes.is_empty() {
        return Err(Error::InvalidPassword("a password cannot be empty"));
    }
    if bytes.len() > 72 {
        return Err(Error::InvalidPassword("bcrypt takes at most 72 bytes"));
    }
    if bytes.contains(&0) {
        return Err(Error::InvalidPassword(
            "a password cannot contain a nul byte",
        ));
    }
    Ok(bytes)
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PasswordHash({REDACTED})")
    }
}

impl Serialize for PasswordHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// How a login proves who the user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthType {
    /// A password checked by the TimeSync server.
    #[default]
    Password,
    /// A password checked against the server's LDAP directory.
    Ldap,
}

impl AuthType {
    /// The wire name: `password` or `ldap`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::Password => "password",
            AuthType::Ldap => "ldap",
        }
    }
}

/// A username and password to log in with.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Who logs in.
    pub username: Username,
    /// The plain-text password; the login request carries it as is.
    pub password: Password,
    /// Password or LDAP.
    pub auth_type: AuthType,
}

impl Credentials {
    /// Password credentials.
    pub fn password(username: Username, password: impl Into<Password>) -> Self {
        Credentials {
            username,
            password: password.into(),
            auth_type: AuthType::Password,
        }
    }

    /// LDAP credentials.
    pub fn ldap(username: Username, password: impl Into<Password>) -> Self {
        Credentials {
            username,
            password: password.into(),
            auth_type: AuthType::Ldap,
        }
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use proptest::prelude::*;

    use super::*;

    fn token_with_payload(engine: &GeneralPurpose, payload: &str) -> Token {
        let header = STANDARD.encode(r#"{"typ":"JWT","alg":"HMAC-SHA512"}"#);
        let body = engine.encode(payload);
        Token::new(format!(
            "{header}.{body}.c2lnbmF0dXJl+/0123456789abcdefghijklmnopqrstu=="
        ))
    }

    #[test]
    fn secrets_never_print() {
        let token = Token::new("eyJhbGciOi.secret-payload.signature+/==");
        let password = Password::new("hunter2");
        let hash = PasswordHash::bcrypt_with_salt(&password, [7; 16]).unwrap();
        let credentials = Credentials::password(Username::new("root").unwrap(), "hunter2");
        for text in [
            format!("{token:?}"),
            format!("{token}"),
            format!("{password:?}"),
            format!("{hash:?}"),
            format!("{credentials:?}"),
        ] {
            assert!(!text.contains("secret"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
            assert!(!text.contains("$2a$"), "{text}");
            assert!(text.contains(REDACTED), "{text}");
        }
    }

    #[test]
    fn expiry_is_read_in_every_base64_flavour() {
        // 1796316998309 ms is 2026-12-03T17:36:38.309Z.
        let payload = r#"{"iss":"ts","sub":"root","exp":1796316998309,"iat":1796315198309}"#;
        let expected = UNIX_EPOCH + StdDuration::from_millis(1_796_316_998_309);
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            assert_eq!(
                token_with_payload(engine, payload).expires_at().unwrap(),
                expected
            );
        }
    }

    #[test]
    fn expiry_in_seconds_is_accepted() {
        let token = token_with_payload(&URL_SAFE_NO_PAD, r#"{"exp":1796316998}"#);
        let expected = UNIX_EPOCH + StdDuration::from_secs(1_796_316_998);
        assert_eq!(token.expires_at().unwrap(), expected);
    }

    #[test]
    fn expiry_uses_the_given_now_and_leeway() {
        let token = token_with_payload(&STANDARD, r#"{"exp":1796316998309}"#);
        let exp = UNIX_EPOCH + StdDuration::from_millis(1_796_316_998_309);
        let minute = StdDuration::from_secs(60);
        assert!(!token.expires_within(exp - 2 * minute, minute).unwrap());
        assert!(token.expires_within(exp - minute / 2, minute).unwrap());
        assert!(token.expires_within(exp, StdDuration::ZERO).unwrap());
        assert!(
            token
                .expires_within(exp + minute, StdDuration::ZERO)
                .unwrap()
        );
    }

    #[test]
    fn malformed_tokens_give_clear_errors() {
        let cases = [
            (
                Token::new("garbage"),
                "expected three dot-separated segments",
            ),
            (
                Token::new("a.b.c.d"),
                "expected three dot-separated segments",
            ),
            (Token::new("a.!!!.c"), "the payload is not base64"),
            (
                token_with_payload(&STANDARD, "not json"),
                "the payload is not json",
            ),
            (
                token_with_payload(&STANDARD, r#"{"sub":"x"}"#),
                "the payload has no numeric exp claim",
            ),
            (
                token_with_payload(&STANDARD, r#"{"exp":"soon"}"#),
                "the payload has no numeric exp claim",
            ),
            (
                token_with_payload(&STANDARD, r#"{"exp":-1}"#),
                "the payload has no numeric exp claim",
            ),
        ];
        for (token, reason) in cases {
            assert_eq!(token.expires_at(), Err(Error::InvalidToken(reason)));
        }
    }

    #[test]
    fn passwords_hash_as_2a_cost_10_and_verify() {
        let password = Password::new("refpass");
        let hash = PasswordHash::bcrypt_with_salt(&password, [1; 16]).unwrap();
        assert!(hash.as_str().starts_with("$2a$10$"), "{}", hash.as_str());
        assert_eq!(hash.as_str().len(), 60);
        assert!(hash.verify(&password));
        assert!(!hash.verify(&Password::new("refpasS")));
        let random = PasswordHash::bcrypt(&Password::new("ünïcødé")).unwrap();
        assert!(random.verify(&Password::new("ünïcødé")));
        assert_eq!(
            serde_json::to_string(&hash).unwrap(),
            format!("\"{}\"", hash.as_str())
        );
    }

    #[test]
    fn unhashable_passwords_are_refused() {
        let cases = [
            (String::new(), "a password cannot be empty"),
            ("x".repeat(73), "bcrypt takes at most 72 bytes"),
            ("é".repeat(37), "bcrypt takes at most 72 bytes"),
            (
                "pass\0word".to_owned(),
                "a password cannot contain a nul byte",
            ),
        ];
        for (password, reason) in cases {
            let result = PasswordHash::bcrypt_with_salt(&Password::new(password), [0; 16]);
            assert_eq!(result.unwrap_err(), Error::InvalidPassword(reason));
        }
        assert!(PasswordHash::bcrypt_with_salt(&Password::new("x".repeat(72)), [0; 16]).is_ok());
    }

    proptest! {
        #[test]
        fn expiry_reading_never_panics(token in "\\PC{0,80}") {
            let _ = Token::new(token).expires_at();
        }
    }
}
