//! The server's base URL, which names the API version.

use std::fmt;

use crate::Error;

/// A checked base URL: `http(s)://host[:port][/prefix]/vN`, stored without a trailing slash.
#[derive(Clone)]
pub struct BaseUrl {
    url: String,
    /// The scheme and authority as the http crate parsed them, for building request URIs
    /// without parsing them again.
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
}

impl PartialEq for BaseUrl {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl Eq for BaseUrl {}

impl std::hash::Hash for BaseUrl {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.url.hash(state);
    }
}

impl BaseUrl {
    /// Checks `url`. A trailing slash makes no difference.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBaseUrl`] for another scheme, a missing host, credentials in the URL,
    /// a query or fragment, or a path whose last segment is not a version such as `v0`.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let fail = |reason: &str| Error::InvalidBaseUrl(reason.to_owned());
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| fail("expected http:// or https:// followed by a host"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            // Only a plain word is echoed: anything else may hold a user name or password.
            let plain = !scheme.is_empty()
                && scheme.len() <= 16
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            return Err(fail(&if plain {
                format!("scheme {scheme:?} is not http or https")
            } else {
                "the scheme is not http or https".to_owned()
            }));
        }
        // URL parsers (reqwest's among them) read `\` as `/`, the http crate does not: the two
        // clients would send the requests to different paths.
        if rest.contains('\\') {
            return Err(fail("a base url cannot contain a backslash"));
        }
        if rest.contains(['?', '#']) {
            return Err(fail("a base url cannot have a query or a fragment"));
        }
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        if authority.contains('@') {
            return Err(fail(
                "credentials in the url are not supported; log in instead",
            ));
        }
        let host = match authority.rfind(']') {
            Some(end) => &authority[..=end],
            None => authority.split(':').next().unwrap_or_default(),
        };
        if host.is_empty() || host == "[]" {
            return Err(fail("the host is missing"));
        }
        // The clients read a percent sign in a host differently (an IPv6 zone, an escape).
        if host.contains('%') {
            return Err(fail(
                "a host with % (an IPv6 zone, an escape) is not supported",
            ));
        }
        check_port(authority).map_err(&fail)?;
        let path = path.trim_end_matches('/');
        let version = path.rsplit('/').next().unwrap_or("");
        let is_version = version.len() > 1
            && version.starts_with('v')
            && version[1..].bytes().all(|b| b.is_ascii_digit());
        if !is_version {
            return Err(fail("the path must end in an api version such as /v0"));
        }
        if path.split('/').any(str::is_empty) {
            return Err(fail("the path has an empty segment"));
        }
        // Raw non-ASCII and broken escapes reach the server differently from each client.
        if !path.is_ascii() {
            return Err(fail(
                "the path has characters outside ASCII; percent-encode them",
            ));
        }
        if path.split('%').skip(1).any(|after| {
            !after
                .as_bytes()
                .get(..2)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
        }) {
            return Err(fail(
                "the path has a % that does not start an escape like %2F",
            ));
        }
        // Percent-encoded dots count: URL parsers (reqwest's among them) resolve `%2e%2e` as
        // `..`, and the requests would go to another path than the one checked here.
        if path.split('/').any(|segment| {
            let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
            decoded == "." || decoded == ".."
        }) {
            return Err(fail("the path cannot have . or .. segments"));
        }
        let root = format!("{scheme}://{authority}/{path}");
        // Let the http crate judge the host, port and path characters.
        let invalid = || fail("the host, port or path is not valid in a url");
        let parts = http::Uri::try_from(root.as_str())
            .map_err(|_| invalid())?
            .into_parts();
        let (Some(scheme), Some(authority)) = (parts.scheme, parts.authority) else {
            return Err(invalid());
        };
        Ok(BaseUrl {
            url: root,
            scheme,
            authority,
        })
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The path, such as `/v0` or `/timesync/v1`.
    pub fn path(&self) -> &str {
        // The URL is `scheme://authority/path`; the authority has no slash and the path is
        // never empty, since it ends in the version.
        let root = self.scheme.as_str().len() + "://".len() + self.authority.as_str().len();
        &self.url[root..]
    }

    /// The scheme and authority, as the http crate parsed them.
    pub(crate) fn scheme_and_authority(&self) -> (http::uri::Scheme, http::uri::Authority) {
        (self.scheme.clone(), self.authority.clone())
    }

    /// The API version segment, such as `v0`.
    pub fn version(&self) -> &str {
        self.url.rsplit('/').next().unwrap_or_default()
    }
}

/// Checks the port of `host[:port]` (an IPv6 host is bracketed): digits, 1 to 65535.
/// The http crate keeps any port text as it is, and clients then disagree on what it means.
fn check_port(authority: &str) -> Result<(), &'static str> {
    if authority.starts_with('[') != authority.contains(']') {
        return Err("the host is not valid");
    }
    let after_host = match authority.rfind(']') {
        Some(end) => &authority[end + 1..],
        None => authority.find(':').map_or("", |colon| &authority[colon..]),
    };
    let Some(port) = after_host.strip_prefix(':') else {
        return if after_host.is_empty() {
            Ok(())
        } else {
            Err("the host is not valid")
        };
    };
    // Port 0 cannot be connected to.
    match port.parse::<u16>() {
        Ok(1..) if port.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err("the port must be a number from 1 to 65535"),
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.url)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_versioned_urls_with_or_without_a_trailing_slash() {
        let cases = [
            ("http://127.0.0.1:8000/v0", "http://127.0.0.1:8000/v0"),
            ("http://127.0.0.1:8000/v0/", "http://127.0.0.1:8000/v0"),
            (
                "https://timesync.example.org/v1",
                "https://timesync.example.org/v1",
            ),
            (
                "https://example.org/api/timesync/v12//",
                "https://example.org/api/timesync/v12",
            ),
            ("HTTPS://example.org/v0", "https://example.org/v0"),
            ("http://[::1]:8000/v0", "http://[::1]:8000/v0"),
            ("http://[::1]/v0", "http://[::1]/v0"),
            ("http://127.0.0.1:65535/v0", "http://127.0.0.1:65535/v0"),
            ("http://h/t%C3%BC/v0", "http://h/t%C3%BC/v0"),
        ];
        for (input, expected) in cases {
            assert_eq!(BaseUrl::parse(input).unwrap().as_str(), expected, "{input}");
        }
        assert_eq!(BaseUrl::parse("http://h/v3/").unwrap().version(), "v3");
    }

    #[test]
    fn splits_into_scheme_authority_and_path() {
        let cases = [
            ("http://127.0.0.1:8000/v0", "http", "127.0.0.1:8000", "/v0"),
            (
                "HTTPS://Example.ORG/api/v12/",
                "https",
                "Example.ORG",
                "/api/v12",
            ),
            ("http://[::1]/v0", "http", "[::1]", "/v0"),
        ];
        for (input, scheme, authority, path) in cases {
            let base = BaseUrl::parse(input).unwrap();
            let (parsed_scheme, parsed_authority) = base.scheme_and_authority();
            assert_eq!(parsed_scheme.as_str(), scheme, "{input}");
            assert_eq!(parsed_authority.as_str(), authority, "{input}");
            assert_eq!(base.path(), path, "{input}");
            assert_eq!(
                format!("{scheme}://{authority}{path}"),
                base.as_str(),
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_other_schemes_and_missing_versions() {
        let cases = [
            (
                "ftp://example.org/v0",
                "scheme \"ftp\" is not http or https",
            ),
            (
                "example.org/v0",
                "expected http:// or https:// followed by a host",
            ),
            (
                "http://example.org",
                "the path must end in an api version such as /v0",
            ),
            (
                "http://example.org/",
                "the path must end in an api version such as /v0",
            ),
            (
                "http://example.org/api",
                "the path must end in an api version such as /v0",
            ),
            (
                "http://example.org/v",
                "the path must end in an api version such as /v0",
            ),
            (
                "http://example.org/vx1",
                "the path must end in an api version such as /v0",
            ),
            ("http:///v0", "the host is missing"),
            ("http://:80/v0", "the host is missing"),
            ("http://[]:80/v0", "the host is missing"),
            (
                "http://user:pw@example.org/v0",
                "credentials in the url are not supported; log in instead",
            ),
            (
                "http://example.org/v0?x=1",
                "a base url cannot have a query or a fragment",
            ),
            ("http://example.org//v0", "the path has an empty segment"),
            (
                "http://exa mple.org/v0",
                "the host, port or path is not valid in a url",
            ),
            ("http://h:0/v0", "the port must be a number from 1 to 65535"),
            (
                "http://h:65536/v0",
                "the port must be a number from 1 to 65535",
            ),
            (
                "http://h:+80/v0",
                "the port must be a number from 1 to 65535",
            ),
            ("http://[::1/v0", "the host is not valid"),
            ("http://::1]/v0", "the host is not valid"),
            (
                "http://h/%2e%2e/v0",
                "the path cannot have . or .. segments",
            ),
            (
                "http://h/api/%2E/v0",
                "the path cannot have . or .. segments",
            ),
            ("http://h/.%2e/v0", "the path cannot have . or .. segments"),
            ("http://h/../v0", "the path cannot have . or .. segments"),
            (
                "http://h/ü/v0",
                "the path has characters outside ASCII; percent-encode them",
            ),
            (
                "http://h/a%zz/v0",
                "the path has a % that does not start an escape like %2F",
            ),
            (
                "http://h/a%2/v0",
                "the path has a % that does not start an escape like %2F",
            ),
            (
                "http://h/api/x/..\\/v0",
                "a base url cannot contain a backslash",
            ),
            ("http://h/a\\../v0", "a base url cannot contain a backslash"),
            ("http://h\\x/v0", "a base url cannot contain a backslash"),
            (
                "http://[fe80::1%25eth0]:8000/v0",
                "a host with % (an IPv6 zone, an escape) is not supported",
            ),
        ];
        for (input, reason) in cases {
            assert_eq!(
                BaseUrl::parse(input),
                Err(Error::InvalidBaseUrl(reason.to_owned())),
                "{input}"
            );
        }
    }
}
