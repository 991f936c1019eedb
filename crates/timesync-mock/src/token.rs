//! API tokens shaped like the reference's: three standard-base64 segments with padding.
//!
//! `base64(header) "." base64(payload) "." base64(HMAC-SHA512(key, base64(header) "." base64(payload)))`,
//! with the header `{"typ":"JWT","alg":"HMAC-SHA512"}` and the payload
//! `{"iss","sub","exp","iat"}`, times in milliseconds since the epoch.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;

type HmacSha512 = Hmac<Sha512>;

/// The issuer written into every token.
const ISSUER: &str = "timesync-mock";

/// How many `iat` values to try when a token must contain `+`, `/` and `=`.
const AWKWARD_TRIES: u64 = 10_000;

#[derive(Serialize)]
struct Header {
    typ: &'static str,
    alg: &'static str,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    iss: String,
    sub: String,
    exp: u64,
    iat: u64,
}

/// The signing key of one server; a new key revokes every token signed with the old one.
pub(crate) struct TokenKey {
    key: [u8; 64],
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

impl TokenKey {
    /// A fresh random key.
    pub(crate) fn random() -> TokenKey {
        let mut key = [0; 64];
        for chunk in key.chunks_mut(16) {
            chunk.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        }
        TokenKey { key }
    }

    /// Signs a token for `username`, issued at `now_ms` and valid for `lifetime_ms`.
    ///
    /// With `awkward`, the issue time is moved forward a millisecond at a time (a bounded number
    /// of times) until the token contains `+`, `/` and `=`.
    pub(crate) fn issue(
        &self,
        username: &str,
        now_ms: u64,
        lifetime_ms: u64,
        awkward: bool,
    ) -> String {
        let mut token = self.sign(username, now_ms, lifetime_ms);
        if awkward {
            for bump in 1..=AWKWARD_TRIES {
                if is_awkward(&token) {
                    break;
                }
                token = self.sign(username, now_ms + bump, lifetime_ms);
            }
        }
        token
    }

    /// The user a token names, if the signature is ours and the token has not expired.
    pub(crate) fn verify(&self, token: &str, now_ms: u64) -> Option<String> {
        let mut segments = token.split('.');
        let (header, payload, signature) = (segments.next()?, segments.next()?, segments.next()?);
        if segments.next().is_some() {
            return None;
        }
        let signature = STANDARD.decode(signature).ok()?;
        let mut mac = self.mac();
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature).ok()?;

        let payload: Payload = serde_json::from_slice(&STANDARD.decode(payload).ok()?).ok()?;
        (payload.exp > now_ms).then_some(payload.sub)
    }

    fn sign(&self, username: &str, iat: u64, lifetime_ms: u64) -> String {
        let header = Header {
            typ: "JWT",
            alg: "HMAC-SHA512",
        };
        let payload = Payload {
            iss: ISSUER.to_owned(),
            sub: username.to_owned(),
            exp: iat.saturating_add(lifetime_ms),
            iat,
        };
        // Both structs hold only strings and integers, which always serialize.
        let header = STANDARD.encode(serde_json::to_vec(&header).unwrap_or_default());
        let payload = STANDARD.encode(serde_json::to_vec(&payload).unwrap_or_default());
        let mut mac = self.mac();
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        let signature = STANDARD.encode(mac.finalize().into_bytes());
        format!("{header}.{payload}.{signature}")
    }

    fn mac(&self) -> HmacSha512 {
        // HMAC takes keys of any length.
        HmacSha512::new_from_slice(&self.key).expect("hmac accepts any key length")
    }
}

/// Whether a token holds every character that must be percent-encoded in a query string.
pub(crate) fn is_awkward(token: &str) -> bool {
    token.contains('+') && token.contains('/') && token.contains('=')
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_796_315_198_309;

    #[test]
    fn tokens_have_the_reference_shape() {
        let key = TokenKey::random();
        let token = key.issue("admin", NOW, 1_800_000, false);
        let segments: Vec<&str> = token.split('.').collect();
        assert_eq!(segments.len(), 3);
        assert_eq!(segments[0], "eyJ0eXAiOiJKV1QiLCJhbGciOiJITUFDLVNIQTUxMiJ9");
        assert!(segments[2].ends_with("=="));
        assert_eq!(STANDARD.decode(segments[2]).map(|s| s.len()).ok(), Some(64));
        let payload: serde_json::Value =
            serde_json::from_slice(&STANDARD.decode(segments[1]).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(payload["sub"], "admin");
        assert_eq!(payload["iat"], NOW);
        assert_eq!(payload["exp"], NOW + 1_800_000);
    }

    #[test]
    fn verify_checks_signature_expiry_and_key() {
        let key = TokenKey::random();
        let token = key.issue("alice", NOW, 1000, false);
        assert_eq!(key.verify(&token, NOW + 999).as_deref(), Some("alice"));
        assert_eq!(key.verify(&token, NOW + 1000), None);
        assert_eq!(TokenKey::random().verify(&token, NOW), None);
        assert_eq!(
            key.verify(&token.replace('+', " "), NOW)
                .filter(|_| token.contains('+')),
            None
        );
        assert_eq!(key.verify("garbage", NOW), None);
        assert_eq!(key.verify("a.b.c.d", NOW), None);
    }

    #[test]
    fn awkward_tokens_need_percent_encoding() {
        let key = TokenKey::random();
        for user in ["admin", "alice", "bob", "a"] {
            let token = key.issue(user, NOW, 1_800_000, true);
            assert!(is_awkward(&token), "{token}");
            assert!(key.verify(&token, NOW + 1).is_some());
        }
    }
}
