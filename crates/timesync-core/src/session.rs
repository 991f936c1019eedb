//! What both clients keep besides their transport: the settings their builders collect, and
//! the session (token and credentials) with every decision about logging in.
//!
//! Nothing here locks, sleeps or sends. A client holds a [`Session`] behind its own lock, asks
//! it what to do ([`Session::plan`], [`Session::login_step`]), logs in with its own transport
//! when told to, and reports back ([`Session::logged_in`]). The blocking and the async client
//! differ only in how they wait, so the rules live here once.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::paging::DEFAULT_PAGE_SIZE;
use crate::policy::{self, DEFAULT_MAX_RESPONSE_SIZE, RetryPolicy};
use crate::{Api, BaseUrl, Credentials, Error, Token};

/// The connect timeout of the clients' own transports.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The total timeout of one request (connect, send, answer and body) of the clients' own
/// transports.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest timeout a client accepts: one year. Longer ones would overflow the clock
/// arithmetic of some HTTP stacks (ureq panics on `Duration::MAX`).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 3600);

/// The settings of a client builder, checked in one place by [`ClientSettings::check`].
///
/// Both clients' `ClientBuilder`s fill one of these; their docs describe each setting.
/// `Debug` never shows the token or the password, and shows the base URL only once it passes
/// [`BaseUrl::parse`] (`"<invalid>"` otherwise): a URL that fails the check may carry a user
/// name and password, or a token in its query.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientSettings {
    /// The server's base URL, not checked yet.
    pub base_url: String,
    /// A token to start with.
    pub token: Option<Token>,
    /// Credentials for the first login and, with `auto_relogin`, for later ones.
    pub credentials: Option<Credentials>,
    /// Whether to log in again when the token expires or is refused.
    pub auto_relogin: bool,
    /// The connect timeout of the client's own transport.
    pub connect_timeout: Duration,
    /// The total timeout of one request with the client's own transport.
    pub timeout: Duration,
    /// A `User-Agent` other than [`DEFAULT_USER_AGENT`](crate::DEFAULT_USER_AGENT).
    pub user_agent: Option<String>,
    /// Retries of GET requests.
    pub retry: RetryPolicy,
    /// The page size of the `list_all_*` calls.
    pub page_size: u32,
    /// The largest answer body the client's transport reads, in bytes.
    pub max_response_size: u64,
}

impl ClientSettings {
    /// The defaults, for the server at `base_url`.
    pub fn new(base_url: &str) -> Self {
        ClientSettings {
            base_url: base_url.to_owned(),
            token: None,
            credentials: None,
            auto_relogin: false,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: None,
            retry: RetryPolicy::NONE,
            page_size: DEFAULT_PAGE_SIZE,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// Checks every setting and makes the [`Api`] (with the user agent) and the [`Session`]
    /// to start with.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBaseUrl`] for a base URL that is not `http(s)://host[:port][/prefix]/vN`,
    /// and [`Error::InvalidValue`] for a zero `connect_timeout`, `timeout`, `page_size` or
    /// `max_response_size` (each would make every call fail, or mean something else), a
    /// timeout or retry backoff over [`MAX_TIMEOUT`], or a user agent that is not a valid
    /// header value.
    pub fn check(&self) -> Result<(Api, Session), Error> {
        let mut api = Api::new(&self.base_url)?;
        refuse_zero("connect_timeout", self.connect_timeout.is_zero())?;
        refuse_zero("timeout", self.timeout.is_zero())?;
        refuse_zero("page_size", self.page_size == 0)?;
        refuse_zero("max_response_size", self.max_response_size == 0)?;
        refuse_over_a_year("connect_timeout", self.connect_timeout)?;
        refuse_over_a_year("timeout", self.timeout)?;
        // A wait of `Duration::MAX` would never end (and overflows some timers).
        refuse_over_a_year("retry.initial_backoff", self.retry.initial_backoff)?;
        refuse_over_a_year("retry.max_backoff", self.retry.max_backoff)?;
        if let Some(user_agent) = &self.user_agent {
            api = api.with_user_agent(user_agent)?;
        }
        let session = Session {
            token: self.token.clone(),
            credentials: self.credentials.clone(),
            auto_relogin: self.auto_relogin,
        };
        Ok((api, session))
    }

    /// Adds the settings to a builder's `Debug` output, one field each.
    pub fn debug_fields(&self, debug: &mut fmt::DebugStruct<'_, '_>) {
        let base_url = BaseUrl::parse(&self.base_url);
        debug
            .field(
                "base_url",
                &base_url.as_ref().map_or("<invalid>", BaseUrl::as_str),
            )
            .field("token", &self.token)
            .field("credentials", &self.credentials)
            .field("auto_relogin", &self.auto_relogin)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("page_size", &self.page_size)
            .field("max_response_size", &self.max_response_size);
    }
}

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ClientSettings");
        self.debug_fields(&mut debug);
        debug.finish()
    }
}

fn refuse_zero(field: &'static str, is_zero: bool) -> Result<(), Error> {
    refuse_if(is_zero, field, "must be more than zero")
}

fn refuse_over_a_year(field: &'static str, duration: Duration) -> Result<(), Error> {
    refuse_if(
        duration > MAX_TIMEOUT,
        field,
        "must be at most a year (timesync_core::session::MAX_TIMEOUT)",
    )
}

fn refuse_if(bad: bool, field: &'static str, reason: &'static str) -> Result<(), Error> {
    if bad {
        return Err(Error::InvalidValue { field, reason });
    }
    Ok(())
}

/// A client's token and credentials. The credentials are kept only as long as they may be
/// needed: until the first login, or for good with automatic re-login.
///
/// `Debug` shows whether there is a token, never the token or the password.
#[derive(Clone)]
pub struct Session {
    token: Option<Token>,
    credentials: Option<Credentials>,
    auto_relogin: bool,
}

/// What a call does for its token, from [`Session::plan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenPlan {
    /// Send this token.
    Send(Token),
    /// Log in first, under the client's login lock ([`Session::login_step`]): there is no
    /// token yet (`stale` is `None`: the first login, which is no re-login), or `stale` is
    /// about to expire.
    LogIn {
        /// The token to replace, if any.
        stale: Option<Token>,
    },
}

/// What to do once the client holds its login lock, from [`Session::login_step`].
#[derive(Debug, Clone)]
pub enum LoginStep {
    /// Another call has just logged in: use its token, and count no login for this call.
    Take(Token),
    /// Log in with these credentials, then report the token to [`Session::logged_in`].
    LogIn(Credentials),
}

impl Session {
    /// The current token, if there is one.
    pub fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    /// Replaces the token, as `Client::set_token` does.
    pub fn set_token(&mut self, token: Token) {
        self.token = Some(token);
    }

    /// The token to send, if any: an empty one is none, since the server would only refuse
    /// it.
    fn usable_token(&self) -> Option<&Token> {
        self.token
            .as_ref()
            .filter(|token| !token.expose().is_empty())
    }

    /// Whether the client logs in again by itself.
    pub fn auto_relogin(&self) -> bool {
        self.auto_relogin
    }

    /// The token a call should send at `now`, or that it must log in first.
    ///
    /// With re-login on and credentials at hand, a token that expires within
    /// [`policy::EXPIRY_LEEWAY`] of `now` is replaced before sending; a token whose expiry
    /// cannot be read is sent as is (the server decides).
    ///
    /// # Errors
    ///
    /// [`Error::NotAuthenticated`] when there is neither a token (an empty one counts as
    /// none) nor credentials.
    pub fn plan(&self, now: SystemTime) -> Result<TokenPlan, Error> {
        let has_credentials = self.credentials.is_some();
        match self.usable_token() {
            Some(token)
                if has_credentials
                    && self.auto_relogin
                    && token
                        .expires_within(now, policy::EXPIRY_LEEWAY)
                        .unwrap_or(false) =>
            {
                Ok(TokenPlan::LogIn {
                    stale: Some(token.clone()),
                })
            }
            Some(token) => Ok(TokenPlan::Send(token.clone())),
            None if has_credentials => Ok(TokenPlan::LogIn { stale: None }),
            None => Err(Error::NotAuthenticated),
        }
    }

    /// Whether a call that got `error` should log in again (once) and repeat: re-login is on,
    /// there are credentials, and the server refused the token (never an authorization
    /// failure).
    pub fn may_log_in_again(&self, error: &Error) -> bool {
        self.auto_relogin && self.credentials.is_some() && policy::should_log_in_again(error)
    }

    /// Under the login lock: take the token another call has fetched since this one saw
    /// `stale`, or log in.
    ///
    /// # Errors
    ///
    /// [`Error::NotAuthenticated`] when a login is needed and there are no credentials.
    pub fn login_step(&self, stale: Option<&Token>) -> Result<LoginStep, Error> {
        if let Some(current) = self.usable_token()
            && Some(current) != stale
        {
            return Ok(LoginStep::Take(current.clone()));
        }
        self.credentials
            .clone()
            .map(LoginStep::LogIn)
            .ok_or(Error::NotAuthenticated)
    }

    /// Keeps the token of a login the session asked for; the credentials stay only with
    /// re-login on.
    pub fn logged_in(&mut self, token: Token) {
        self.token = Some(token);
        if !self.auto_relogin {
            self.credentials = None;
        }
    }

    /// Keeps the token of an explicit login (`Client::authenticate`), and its credentials
    /// with re-login on.
    pub fn authenticated(&mut self, token: Token, credentials: Credentials) {
        self.token = Some(token);
        self.credentials = self.auto_relogin.then_some(credentials);
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("authenticated", &self.token.is_some())
            .field("credentials", &self.credentials.is_some())
            .field("auto_relogin", &self.auto_relogin)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;
    use crate::{ApiError, ApiErrorKind, Username};

    const BASE: &str = "http://timesync.test/v0";

    fn credentials() -> Credentials {
        Credentials::password(Username::new("alice").unwrap(), "alice-pass")
    }

    /// A token whose payload says it expires at `exp` (seconds since the epoch).
    fn token_expiring_at(exp: u64) -> Token {
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp}}}"#));
        Token::new(format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln"))
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn session(token: Option<Token>, credentials: bool, auto_relogin: bool) -> Session {
        let mut settings = ClientSettings::new(BASE);
        settings.token = token;
        settings.credentials = credentials.then(self::credentials);
        settings.auto_relogin = auto_relogin;
        settings.check().unwrap().1
    }

    /// A login with alice's credentials.
    fn is_log_in(step: &Result<LoginStep, Error>) -> bool {
        matches!(step, Ok(LoginStep::LogIn(c)) if c.username.as_str() == "alice")
    }

    fn api_error(kind: ApiErrorKind) -> Error {
        Error::Api(ApiError {
            status: 401,
            kind,
            error: String::new(),
            text: None,
            values: Vec::new(),
        })
    }

    #[test]
    fn settings_refuse_zeros_and_bad_values() {
        type Zero = fn(&mut ClientSettings);
        let zeroed: [(&str, Zero); 4] = [
            ("connect_timeout", |s| s.connect_timeout = Duration::ZERO),
            ("timeout", |s| s.timeout = Duration::ZERO),
            ("page_size", |s| s.page_size = 0),
            ("max_response_size", |s| s.max_response_size = 0),
        ];
        for (name, zero) in zeroed {
            let mut settings = ClientSettings::new(BASE);
            zero(&mut settings);
            match settings.check() {
                Err(Error::InvalidValue { field, .. }) => assert_eq!(field, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        for (name, huge) in [
            ("timeout", Duration::MAX),
            ("connect_timeout", MAX_TIMEOUT + Duration::from_nanos(1)),
        ] {
            let mut settings = ClientSettings::new(BASE);
            if name == "timeout" {
                settings.timeout = huge;
            } else {
                settings.connect_timeout = huge;
            }
            match settings.check() {
                Err(Error::InvalidValue { field, .. }) => assert_eq!(field, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        let mut settings = ClientSettings::new(BASE);
        settings.timeout = MAX_TIMEOUT;
        settings.connect_timeout = MAX_TIMEOUT;
        assert!(settings.check().is_ok());
        let mut settings = ClientSettings::new(BASE);
        settings.retry = RetryPolicy {
            max_retries: 1,
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
        };
        assert!(matches!(
            settings.check(),
            Err(Error::InvalidValue {
                field: "retry.initial_backoff",
                ..
            })
        ));
        settings.retry.initial_backoff = Duration::from_secs(1);
        assert!(matches!(
            settings.check(),
            Err(Error::InvalidValue {
                field: "retry.max_backoff",
                ..
            })
        ));
        let mut settings = ClientSettings::new(BASE);
        settings.user_agent = Some("line\nbreak".to_owned());
        assert!(matches!(
            settings.check(),
            Err(Error::InvalidValue {
                field: "user_agent",
                ..
            })
        ));
        assert!(matches!(
            ClientSettings::new("ftp://x/v0").check(),
            Err(Error::InvalidBaseUrl(_))
        ));
    }

    #[test]
    fn settings_debug_hides_secrets_and_invalid_urls() {
        let mut settings = ClientSettings::new("http://user:hunter2@example.org/v0");
        settings.token = Some(Token::new("secret-token-value"));
        settings.credentials = Some(credentials());
        let debug = format!("{settings:?}");
        assert!(debug.contains(r#"base_url: "<invalid>""#), "{debug}");
        for secret in ["hunter2", "secret-token-value", "alice-pass"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        let debug = format!("{:?}", ClientSettings::new(BASE));
        assert!(
            debug.starts_with(r#"ClientSettings { base_url: "http://timesync.test/v0", "#),
            "{debug}"
        );
    }

    #[test]
    fn a_call_sends_the_token_it_has() {
        let token = token_expiring_at(10_000);
        for (credentials, auto_relogin) in [(false, false), (true, false), (true, true)] {
            let plan = session(Some(token.clone()), credentials, auto_relogin).plan(at(1_000));
            assert_eq!(plan.unwrap(), TokenPlan::Send(token.clone()));
        }
        // An unreadable expiry is the server's to judge.
        let opaque = Token::new("not-a-jwt");
        assert_eq!(
            session(Some(opaque.clone()), true, true)
                .plan(at(1_000))
                .unwrap(),
            TokenPlan::Send(opaque)
        );
    }

    #[test]
    fn an_expiring_token_is_replaced_only_with_relogin_and_credentials() {
        let token = token_expiring_at(1_020);
        // Within the leeway of 30 s.
        assert_eq!(
            session(Some(token.clone()), true, true)
                .plan(at(1_000))
                .unwrap(),
            TokenPlan::LogIn {
                stale: Some(token.clone())
            }
        );
        assert_eq!(
            session(Some(token.clone()), true, true)
                .plan(at(900))
                .unwrap(),
            TokenPlan::Send(token.clone())
        );
        for (credentials, auto_relogin) in [(false, true), (true, false)] {
            assert_eq!(
                session(Some(token.clone()), credentials, auto_relogin)
                    .plan(at(1_000))
                    .unwrap(),
                TokenPlan::Send(token.clone())
            );
        }
    }

    #[test]
    fn without_a_token_credentials_log_in_first_or_nothing_is_sent() {
        assert_eq!(
            session(None, true, false).plan(at(0)).unwrap(),
            TokenPlan::LogIn { stale: None }
        );
        assert!(matches!(
            session(None, false, true).plan(at(0)),
            Err(Error::NotAuthenticated)
        ));
        // An empty token is none.
        assert!(matches!(
            session(Some(Token::new("")), false, true).plan(at(0)),
            Err(Error::NotAuthenticated)
        ));
        let empty = session(Some(Token::new("")), true, true);
        assert_eq!(empty.plan(at(0)).unwrap(), TokenPlan::LogIn { stale: None });
        assert!(is_log_in(&empty.login_step(None)));
    }

    #[test]
    fn login_steps_take_a_newer_token_or_log_in() {
        let old = token_expiring_at(1);
        let new = token_expiring_at(2);
        let mut session = session(Some(old.clone()), true, true);
        assert!(is_log_in(&session.login_step(Some(&old))));
        session.logged_in(new.clone());
        // A call that still holds the old token takes the new one.
        assert!(matches!(session.login_step(Some(&old)), Ok(LoginStep::Take(t)) if t == new));
        // A first login finds the token another call fetched.
        assert!(matches!(session.login_step(None), Ok(LoginStep::Take(t)) if t == new));
        assert!(matches!(
            self::session(None, false, true).login_step(None),
            Err(Error::NotAuthenticated)
        ));
    }

    #[test]
    fn credentials_stay_only_with_relogin() {
        let token = token_expiring_at(5);
        let mut once = session(None, true, false);
        once.logged_in(token.clone());
        assert!(matches!(
            once.login_step(Some(&token)),
            Err(Error::NotAuthenticated)
        ));
        let mut kept = session(None, true, true);
        kept.logged_in(token.clone());
        assert!(is_log_in(&kept.login_step(Some(&token))));

        let mut explicit = session(None, false, false);
        explicit.authenticated(token.clone(), credentials());
        assert_eq!(explicit.token(), Some(&token));
        assert!(!explicit.may_log_in_again(&api_error(ApiErrorKind::AuthenticationFailure)));
        let mut explicit = session(None, false, true);
        explicit.authenticated(token, credentials());
        assert!(explicit.may_log_in_again(&api_error(ApiErrorKind::AuthenticationFailure)));
        assert!(!explicit.may_log_in_again(&api_error(ApiErrorKind::AuthorizationFailure)));
    }

    #[test]
    fn session_debug_shows_no_secret() {
        let session = session(Some(Token::new("secret-token-value")), true, true);
        let debug = format!("{session:?}");
        assert_eq!(
            debug,
            "Session { authenticated: true, credentials: true, auto_relogin: true }"
        );
    }
}
