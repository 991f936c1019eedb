//! The client: one method per TimeSync operation, over one private call path.
//!
//! The settings, their checks and every decision about the token (when to log in, when to log
//! in again, whose token to take) are the core's (`timesync_core::session`), shared with
//! timesync-async. What repeats there is what differs only by `.await`: the builder's setters
//! with their docs, and the call path below (token, build, send with retries, parse, one
//! re-login). The scenario suite runs the same scenarios against both.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use http::{Method, Request, Response};
use timesync_core::paging::{Keyed, Pager};
use timesync_core::policy::{Attempt, RetryPolicy};
use timesync_core::session::{ClientSettings, LoginStep, Session, TokenPlan};
use timesync_core::{
    Activity, ActivityQuery, ActivityUpdate, Api, Credentials, NewActivity, NewOrgRole, NewProject,
    NewTime, NewUser, OrgRole, OrgRoleUpdate, Page, Prepared, Project, ProjectQuery, ProjectRoles,
    ProjectUpdate, Slug, Time, TimeQuery, TimeUpdate, Token, User, UserQuery, UserUpdate, Username,
    Uuid,
};

use crate::error::{Error, TransportError};
use crate::transport::{Transport, UreqTransport};

/// A blocking TimeSync client.
///
/// Cloning is cheap and clones share the token, the transport and its connections, so one
/// client can serve many threads. `Debug` shows the settings, never the token.
///
/// # Errors
///
/// Every call fails with [`Error::Core`] holding
/// [`core::Error::NotAuthenticated`](timesync_core::Error::NotAuthenticated) when there is
/// neither a token nor credentials (nothing is sent then); with [`Error::Core`] holding
/// [`core::Error::Api`](timesync_core::Error::Api) when the server refuses (match on
/// [`Error::api`] and [`ApiErrorKind`](timesync_core::ApiErrorKind)), or another core error when
/// the answer is not what TimeSync sends; and with [`Error::Transport`] when no answer arrived.
/// The method docs name only the errors particular to them.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: Api,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    page_size: u32,
    session: Mutex<Session>,
    /// Held while logging in, so that calls that find the token expired at the same time
    /// log in once.
    login: Mutex<()>,
}

/// Settings for a [`Client`], from [`Client::builder`].
///
/// `Debug` shows the settings, never the token or the password, and the base URL only once it
/// passes [`BaseUrl::parse`](timesync_core::BaseUrl::parse) (`"<invalid>"` otherwise): a URL that fails the check may carry a
/// user name and password, or a token in its query.
pub struct ClientBuilder {
    settings: ClientSettings,
    transport: TransportChoice,
}

enum TransportChoice {
    Default,
    Agent(ureq::Agent),
    Custom(Arc<dyn Transport>),
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ClientBuilder");
        self.settings.debug_fields(&mut debug);
        debug.field("transport", &self.transport).finish()
    }
}

impl fmt::Debug for TransportChoice {
    /// Names the choice only: a caller's HTTP client may hold default headers with secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportChoice::Default => f.write_str("Default"),
            TransportChoice::Agent(_) => f.write_str("Agent(..)"),
            TransportChoice::Custom(transport) => f.debug_tuple("Custom").field(transport).finish(),
        }
    }
}

impl ClientBuilder {
    /// Starts the client with this token, such as one kept from an earlier login.
    ///
    /// With [`ClientBuilder::credentials`] as well, the token is sent first and the credentials
    /// serve only to log in again ([`ClientBuilder::auto_relogin`]). Give both for the same
    /// user: after a re-login the client acts as the user the credentials name, whoever the
    /// token belonged to.
    pub fn token(mut self, token: Token) -> Self {
        self.settings.token = Some(token);
        self
    }

    /// Logs in with these credentials on the first call that needs a token, if no token was
    /// given. With [`auto_relogin`](ClientBuilder::auto_relogin) they are also used to log in
    /// again later, and from then on the client is the user they name (see
    /// [`ClientBuilder::token`]).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.settings.credentials = Some(credentials);
        self
    }

    /// Logs in again, at most once per call, when the token is about to expire
    /// ([`policy::EXPIRY_LEEWAY`](timesync_core::policy::EXPIRY_LEEWAY) before its `exp`, checked before sending) or the server
    /// answers `Authentication failure`; never on `Authorization failure`. Needs credentials,
    /// from [`ClientBuilder::credentials`] or [`Client::authenticate`]. Off by default.
    ///
    /// The first login from the builder's credentials is no re-login, and neither is taking a
    /// token that another call has just fetched: a call that did either may still log in again
    /// once. A token whose expiry cannot be read is sent as is, and a server whose tokens live
    /// less than the leeway gets a login before every call. Concurrent calls that find the
    /// token expired log in once between them.
    pub fn auto_relogin(mut self, on: bool) -> Self {
        self.settings.auto_relogin = on;
        self
    }

    /// The longest wait to look up the server's name, and again to connect to it (TCP and
    /// TLS); [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT) by default. Ignored with [`ClientBuilder::agent`] or
    /// [`ClientBuilder::transport`]; zero, or more than a year
    /// ([`MAX_TIMEOUT`](timesync_core::session::MAX_TIMEOUT)), is refused by
    /// [`ClientBuilder::build`] all the same.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// The longest a whole request may take, from connecting to the end of the answer;
    /// [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT) by default. Ignored with [`ClientBuilder::agent`] or
    /// [`ClientBuilder::transport`]; zero, or more than a year
    /// ([`MAX_TIMEOUT`](timesync_core::session::MAX_TIMEOUT)), is refused by
    /// [`ClientBuilder::build`] all the same.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// The `User-Agent` header; [`DEFAULT_USER_AGENT`](timesync_core::DEFAULT_USER_AGENT) by
    /// default. It is sent with every transport.
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        self.settings.user_agent = Some(user_agent.to_owned());
        self
    }

    /// Retries GETs, and only GETs, after a failure to connect (refused, DNS look-up, TLS
    /// handshake, connect timeout) and after a 502, 503 or 504 answer, waiting as the policy
    /// says. Not after a timeout once the request was sent, nor after a dropped connection:
    /// the server may have acted on the request. POST and DELETE are never retried.
    /// [`RetryPolicy::NONE`] by default; a backoff over a year is refused by
    /// [`ClientBuilder::build`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// How many objects each request of the `list_all_*` calls asks for;
    /// [`paging::DEFAULT_PAGE_SIZE`](timesync_core::paging::DEFAULT_PAGE_SIZE) by default. Zero
    /// is refused by [`ClientBuilder::build`].
    pub fn page_size(mut self, size: u32) -> Self {
        self.settings.page_size = size;
        self
    }

    /// The largest answer body the client reads, in bytes;
    /// [`DEFAULT_MAX_RESPONSE_SIZE`](timesync_core::policy::DEFAULT_MAX_RESPONSE_SIZE)
    /// (256 MiB) by default. A larger answer fails with
    /// [`TransportErrorKind::TooLarge`](crate::TransportErrorKind::TooLarge) before it is read
    /// to the end. Applies to the client's own transport and to [`ClientBuilder::agent`]; a transport given with
    /// [`ClientBuilder::transport`] keeps its own limit. Zero is refused by
    /// [`ClientBuilder::build`].
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.settings.max_response_size = bytes;
        self
    }

    /// Sends requests through `transport` instead of a ureq agent of the client's own.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = TransportChoice::Custom(transport);
        self
    }

    /// Sends requests through this agent, as configured (see [`UreqTransport::new`]): its
    /// timeouts, redirects, TLS and proxy settings are the caller's.
    pub fn agent(mut self, agent: ureq::Agent) -> Self {
        self.transport = TransportChoice::Agent(agent);
        self
    }

    /// Checks the settings and makes the client. Sends nothing.
    ///
    /// # Errors
    ///
    /// [`core::Error::InvalidBaseUrl`](timesync_core::Error::InvalidBaseUrl) for a base URL
    /// that is not `http(s)://host[:port][/prefix]/vN`, and
    /// [`core::Error::InvalidValue`](timesync_core::Error::InvalidValue) for a zero
    /// `connect_timeout`, `timeout`, `page_size` or `max_response_size`, a timeout or retry
    /// backoff over a year, or a user agent that is not a valid header value.
    pub fn build(self) -> Result<Client, Error> {
        let (api, session) = self.settings.check()?;
        let settings = &self.settings;
        let transport: Arc<dyn Transport> = match self.transport {
            TransportChoice::Default => Arc::new(
                UreqTransport::with_timeouts(settings.connect_timeout, settings.timeout)
                    .with_max_response_size(settings.max_response_size),
            ),
            TransportChoice::Agent(agent) => Arc::new(
                UreqTransport::new(agent).with_max_response_size(settings.max_response_size),
            ),
            TransportChoice::Custom(transport) => transport,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                transport,
                retry: settings.retry,
                page_size: settings.page_size,
                session: Mutex::new(session),
                login: Mutex::new(()),
            }),
        })
    }
}

impl Client {
    /// A client for the server at `base_url` (such as `http://127.0.0.1:8000/v0`) with the
    /// default settings. Log in with [`Client::authenticate`] before other calls.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`].
    pub fn new(base_url: &str) -> Result<Client, Error> {
        Client::builder(base_url).build()
    }

    /// Settings for a client of the server at `base_url`, checked by
    /// [`ClientBuilder::build`].
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            settings: ClientSettings::new(base_url),
            transport: TransportChoice::Default,
        }
    }

    /// `POST /login`: logs in and keeps the token for the calls that follow. With automatic
    /// re-login on, the credentials are kept too; otherwise they are dropped.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::AuthenticationFailure`](timesync_core::ApiErrorKind::AuthenticationFailure)
    /// for wrong credentials. Never retried, like every POST.
    pub fn authenticate(&self, credentials: Credentials) -> Result<Token, Error> {
        let token = self.log_in(&credentials)?;
        self.session().authenticated(token.clone(), credentials);
        Ok(token)
    }

    /// Replaces the token, for instance with one kept from an earlier run.
    pub fn set_token(&self, token: Token) {
        self.session().set_token(token);
    }

    /// The base URL of the server, as [`BaseUrl::parse`](timesync_core::BaseUrl::parse) checked it: without a trailing slash,
    /// such as `http://127.0.0.1:8000/v0`.
    pub fn base_url(&self) -> &str {
        self.inner.api.base_url().as_str()
    }

    /// The current token, if there is one.
    pub fn token(&self) -> Option<Token> {
        self.session().token().cloned()
    }

    /// When the current token expires, as its payload says.
    ///
    /// # Errors
    ///
    /// [`core::Error::NotAuthenticated`](timesync_core::Error::NotAuthenticated) without a
    /// token, [`core::Error::InvalidToken`](timesync_core::Error::InvalidToken) when its
    /// payload cannot be read.
    pub fn token_expiry(&self) -> Result<SystemTime, Error> {
        let token = self.token().ok_or(timesync_core::Error::NotAuthenticated)?;
        Ok(token.expires_at()?)
    }

    /// `GET /times`: the times that match `query`, one page of them: the query's
    /// [`Page`](timesync_core::Page), or without one the server's default (the first 25 in the
    /// API spec; timesync-node returns every match). [`Client::list_all_times`] reads every page.
    ///
    /// # Errors
    ///
    /// [`core::Error::InvalidValue`](timesync_core::Error::InvalidValue) when the start date is
    /// after the end date; the server answers `Bad query value` for an unknown user or slug.
    pub fn list_times(&self, query: &TimeQuery) -> Result<Vec<Time>, Error> {
        self.call(|api, token| api.list_times(token, query))
    }

    /// Every time that matches `query`, read page by page with the client's page size; the
    /// query's own paging is replaced. Correct whether the server pages, ignores paging, or
    /// sends fewer objects a page than asked for: each time is returned once. The walk ends
    /// with a request that brings nothing new (see [`timesync_core::paging`]).
    ///
    /// # Errors
    ///
    /// As [`Client::list_times`], for any of the pages.
    pub fn list_all_times(&self, query: &TimeQuery) -> Result<Vec<Time>, Error> {
        self.list_all(|api, token, page| api.list_times(token, &query.clone().page(page)))
    }

    /// `GET /times/:uuid`, optionally a deleted time and with its earlier revisions.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) when no time has
    /// this uuid.
    pub fn get_time(
        &self,
        uuid: Uuid,
        include_deleted: bool,
        include_revisions: bool,
    ) -> Result<Time, Error> {
        self.call(|api, token| api.get_time(token, uuid, include_deleted, include_revisions))
    }

    /// `POST /times`: logs a new time. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::InvalidForeignKey`](timesync_core::ApiErrorKind::InvalidForeignKey)
    /// for an unknown project or activity, `Authorization failure` when the user is not a
    /// member of the project.
    pub fn create_time(&self, time: &NewTime) -> Result<Time, Error> {
        self.call(|api, token| api.create_time(token, time))
    }

    /// `POST /times/:uuid`: changes the fields that `update` sets. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) when no time has
    /// this uuid, `Authorization failure` for someone else's time.
    pub fn update_time(&self, uuid: Uuid, update: &TimeUpdate) -> Result<Time, Error> {
        self.call(|api, token| api.update_time(token, uuid, update))
    }

    /// `DELETE /times/:uuid`: a soft delete. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) when no time has
    /// this uuid.
    pub fn delete_time(&self, uuid: Uuid) -> Result<(), Error> {
        self.call(|api, token| api.delete_time(token, uuid))
    }

    /// `GET /projects`: the projects that match `query`, one page of them: the query's
    /// [`Page`](timesync_core::Page), or without one the server's default (the first 25 in the
    /// API spec; timesync-node returns every match). [`Client::list_all_projects`] reads every
    /// page.
    ///
    /// # Errors
    ///
    /// The errors every call has (see [`Client`]).
    pub fn list_projects(&self, query: &ProjectQuery) -> Result<Vec<Project>, Error> {
        self.call(|api, token| api.list_projects(token, query))
    }

    /// Every project that matches `query`, page by page, each once (see
    /// [`Client::list_all_times`]).
    ///
    /// # Errors
    ///
    /// As [`Client::list_projects`], for any of the pages.
    pub fn list_all_projects(&self, query: &ProjectQuery) -> Result<Vec<Project>, Error> {
        self.list_all(|api, token, page| api.list_projects(token, &query.clone().page(page)))
    }

    /// `GET /projects/:slug`, optionally with its earlier revisions.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) when no live project
    /// has this slug.
    pub fn get_project(&self, slug: &Slug, include_revisions: bool) -> Result<Project, Error> {
        self.call(|api, token| api.get_project(token, slug, include_revisions))
    }

    /// The members of a project and their roles.
    ///
    /// # Errors
    ///
    /// As [`Client::get_project`].
    pub fn project_users(&self, slug: &Slug) -> Result<BTreeMap<Username, ProjectRoles>, Error> {
        self.call(|api, token| api.project_users(token, slug))
    }

    /// `POST /projects`. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::SlugExists`](timesync_core::ApiErrorKind::SlugExists) when a slug is
    /// taken, `Authorization failure` for users who are not site managers.
    pub fn create_project(&self, project: &NewProject) -> Result<Project, Error> {
        self.call(|api, token| api.create_project(token, project))
    }

    /// `POST /projects/:slug`: changes the fields that `update` sets. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown slug,
    /// [`ApiErrorKind::SlugExists`](timesync_core::ApiErrorKind::SlugExists) when a new slug
    /// is taken.
    pub fn update_project(&self, slug: &Slug, update: &ProjectUpdate) -> Result<Project, Error> {
        self.call(|api, token| api.update_project(token, slug, update))
    }

    /// `DELETE /projects/:slug`: a soft delete that frees the slugs. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::MethodNotAllowed`](timesync_core::ApiErrorKind::MethodNotAllowed)
    /// while a live time uses the project.
    pub fn delete_project(&self, slug: &Slug) -> Result<(), Error> {
        self.call(|api, token| api.delete_project(token, slug))
    }

    /// `GET /activities`: the activities that match `query`, one page of them: the query's
    /// [`Page`](timesync_core::Page), or without one the server's default (the first 25 in the
    /// API spec; timesync-node returns every match). [`Client::list_all_activities`] reads every
    /// page.
    ///
    /// # Errors
    ///
    /// The errors every call has (see [`Client`]).
    pub fn list_activities(&self, query: &ActivityQuery) -> Result<Vec<Activity>, Error> {
        self.call(|api, token| api.list_activities(token, query))
    }

    /// Every activity that matches `query`, page by page, each once (see
    /// [`Client::list_all_times`]).
    ///
    /// # Errors
    ///
    /// As [`Client::list_activities`], for any of the pages.
    pub fn list_all_activities(&self, query: &ActivityQuery) -> Result<Vec<Activity>, Error> {
        self.list_all(|api, token, page| api.list_activities(token, &query.clone().page(page)))
    }

    /// `GET /activities/:slug`, optionally with its earlier revisions.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) when no live
    /// activity has this slug.
    pub fn get_activity(&self, slug: &Slug, include_revisions: bool) -> Result<Activity, Error> {
        self.call(|api, token| api.get_activity(token, slug, include_revisions))
    }

    /// `POST /activities`. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::SlugExists`](timesync_core::ApiErrorKind::SlugExists) when the slug is
    /// taken.
    pub fn create_activity(&self, activity: &NewActivity) -> Result<Activity, Error> {
        self.call(|api, token| api.create_activity(token, activity))
    }

    /// `POST /activities/:slug`: changes the fields that `update` sets. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown slug.
    pub fn update_activity(&self, slug: &Slug, update: &ActivityUpdate) -> Result<Activity, Error> {
        self.call(|api, token| api.update_activity(token, slug, update))
    }

    /// `DELETE /activities/:slug`: a soft delete that frees the slug. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::MethodNotAllowed`](timesync_core::ApiErrorKind::MethodNotAllowed)
    /// while a live time uses the activity.
    pub fn delete_activity(&self, slug: &Slug) -> Result<(), Error> {
        self.call(|api, token| api.delete_activity(token, slug))
    }

    /// `GET /users`: the users that match `query`, one page of them: the query's
    /// [`Page`](timesync_core::Page), or without one the server's default (the first 25 in the
    /// API spec; timesync-node returns every match). [`Client::list_all_users`] reads every page.
    ///
    /// # Errors
    ///
    /// The errors every call has (see [`Client`]).
    pub fn list_users(&self, query: &UserQuery) -> Result<Vec<User>, Error> {
        self.call(|api, token| api.list_users(token, query))
    }

    /// Every user that matches `query`, page by page, each once (see
    /// [`Client::list_all_times`]).
    ///
    /// # Errors
    ///
    /// As [`Client::list_users`], for any of the pages.
    pub fn list_all_users(&self, query: &UserQuery) -> Result<Vec<User>, Error> {
        self.list_all(|api, token, page| api.list_users(token, &query.clone().page(page)))
    }

    /// `GET /users/:username`.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown user.
    pub fn get_user(&self, username: &Username) -> Result<User, Error> {
        self.call(|api, token| api.get_user(token, username))
    }

    /// `POST /users`. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::UsernameExists`](timesync_core::ApiErrorKind::UsernameExists) when the
    /// username is taken, `Authorization failure` for users who are not site admins.
    pub fn create_user(&self, user: &NewUser) -> Result<User, Error> {
        self.call(|api, token| api.create_user(token, user))
    }

    /// `POST /users/:username`: changes the fields that `update` sets. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown user,
    /// `Authorization failure` when changing someone else without the rights to.
    pub fn update_user(&self, username: &Username, update: &UserUpdate) -> Result<User, Error> {
        self.call(|api, token| api.update_user(token, username, update))
    }

    /// `DELETE /users/:username`: a soft delete. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown user,
    /// `Authorization failure` for users who are not site admins.
    pub fn delete_user(&self, username: &Username) -> Result<(), Error> {
        self.call(|api, token| api.delete_user(token, username))
    }

    /// `GET /users/org-roles`: every organisation role.
    ///
    /// # Errors
    ///
    /// The errors every call has (see [`Client`]); servers without org roles (timesync-node
    /// 0.1.2) answer with an HTML 404, which is
    /// [`core::Error::UnexpectedResponse`](timesync_core::Error::UnexpectedResponse).
    pub fn list_org_roles(&self) -> Result<Vec<OrgRole>, Error> {
        self.call(|api, token| api.list_org_roles(token))
    }

    /// `GET /users/org-roles/:slug`.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown slug.
    pub fn get_org_role(&self, slug: &Slug) -> Result<OrgRole, Error> {
        self.call(|api, token| api.get_org_role(token, slug))
    }

    /// `POST /users/org-roles`. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::SlugExists`](timesync_core::ApiErrorKind::SlugExists) when the slug is
    /// taken.
    pub fn create_org_role(&self, role: &NewOrgRole) -> Result<OrgRole, Error> {
        self.call(|api, token| api.create_org_role(token, role))
    }

    /// `POST /users/org-roles/:slug`: changes the fields that `update` sets. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown slug.
    pub fn update_org_role(&self, slug: &Slug, update: &OrgRoleUpdate) -> Result<OrgRole, Error> {
        self.call(|api, token| api.update_org_role(token, slug, update))
    }

    /// `DELETE /users/org-roles/:slug`. Never retried.
    ///
    /// # Errors
    ///
    /// [`ApiErrorKind::NotFound`](timesync_core::ApiErrorKind::NotFound) for an unknown slug.
    pub fn delete_org_role(&self, slug: &Slug) -> Result<(), Error> {
        self.call(|api, token| api.delete_org_role(token, slug))
    }

    /// The call path of every operation but login: get a token, build, send (with retries),
    /// parse, and log in again once if the server says the token is no good.
    ///
    /// Only a login that this call made to replace its own expired or refused token uses up
    /// the one re-login: neither the client's first login nor taking a token that another call
    /// just fetched does. Taking another call's token repeats only as often as other calls log
    /// in, so the loop cannot spin. Every core error leaves without the token this call sent.
    fn call<T>(
        &self,
        build: impl Fn(&Api, &Token) -> Result<Prepared<T>, timesync_core::Error>,
    ) -> Result<T, Error> {
        let (mut token, mut logged_in_again) = self.token_for_call()?;
        loop {
            let result = self.exchange(build(&self.inner.api, &token));
            // Whatever failed (building, the transport, the answer) leaves without the token:
            // an embedder's transport may quote the request, a broken server may echo it.
            match result {
                Err(Error::Core(error))
                    if !logged_in_again && self.session().may_log_in_again(&error) =>
                {
                    let (renewed, logged_in) = self.log_in_again(Some(&token))?;
                    token = renewed;
                    logged_in_again = logged_in;
                }
                result => return result.map_err(|error| redacted(error, token.expose())),
            }
        }
    }

    /// The token to send, and whether this call logged in again to replace an expired one.
    /// Logs in when there is no token yet but credentials (that first login is no re-login),
    /// or when re-login is on and the token is about to expire ([`Session::plan`]).
    fn token_for_call(&self) -> Result<(Token, bool), Error> {
        let plan = self.session().plan(SystemTime::now())?;
        match plan {
            TokenPlan::Send(token) => Ok((token, false)),
            TokenPlan::LogIn { stale: None } => Ok((self.log_in_again(None)?.0, false)),
            TokenPlan::LogIn { stale: Some(stale) } => self.log_in_again(Some(&stale)),
        }
    }

    /// Replaces `stale` with a new token, unless another call already did. Also says whether
    /// this call logged in (`false` when it took the other call's token).
    fn log_in_again(&self, stale: Option<&Token>) -> Result<(Token, bool), Error> {
        let _one_at_a_time = self
            .inner
            .login
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let step = self.session().login_step(stale)?;
        match step {
            LoginStep::Take(token) => Ok((token, false)),
            LoginStep::LogIn(credentials) => {
                let token = self.log_in(&credentials)?;
                self.session().logged_in(token.clone());
                Ok((token, true))
            }
        }
    }

    /// Builds, sends (with retries) and parses one request. Errors keep whatever secret they
    /// carry: the caller knows which one to remove.
    fn exchange<T>(&self, prepared: Result<Prepared<T>, timesync_core::Error>) -> Result<T, Error> {
        let (request, parser) = prepared?.into_parts();
        let response = self.send(request)?;
        Ok(parser.parse(response)?)
    }

    /// `POST /login`, with the password removed from any error the answer makes.
    fn log_in(&self, credentials: &Credentials) -> Result<Token, Error> {
        self.exchange(self.inner.api.login(credentials))
            .map_err(|error| redacted(error, credentials.password.expose()))
    }

    /// Sends `request`, retrying a GET as the retry policy says.
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, Error> {
        let retry = &self.inner.retry;
        if request.method() == Method::GET {
            let mut retries_done = 0;
            // The last allowed attempt is made below, without a copy of the request.
            while retries_done < retry.max_retries {
                let result = self.attempt(request.clone());
                let outcome = match &result {
                    Ok(response) => Attempt::Status(response.status().as_u16()),
                    Err(error) if error.is_connect() => Attempt::ConnectFailed,
                    Err(_) => Attempt::OtherFailure,
                };
                let Some(wait) = retry.retry_after(request.method(), retries_done, outcome) else {
                    return Ok(result?);
                };
                std::thread::sleep(wait);
                retries_done += 1;
            }
        }
        Ok(self.attempt(request)?)
    }

    /// One exchange with the transport, and its debug event.
    fn attempt(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let method = request.method().clone();
        // Only the path goes into the event, because GET and DELETE carry the token in the
        // query string; it is copied only when the event will be recorded.
        let path = tracing::enabled!(tracing::Level::DEBUG)
            .then(|| request.uri().path().to_owned())
            .unwrap_or_default();
        let started = Instant::now();
        let result = self.inner.transport.send(request);
        let elapsed = started.elapsed();
        match &result {
            Ok(response) => tracing::debug!(
                %method,
                path = path.as_str(),
                status = response.status().as_u16(),
                ?elapsed,
                "timesync request"
            ),
            Err(error) => tracing::debug!(
                %method,
                path = path.as_str(),
                error = %error.kind(),
                ?elapsed,
                "timesync request failed"
            ),
        }
        result
    }

    /// Reads every page, as the core's pager directs; `build` makes the request of one page.
    fn list_all<T: Keyed>(
        &self,
        build: impl Fn(&Api, &Token, Page) -> Result<Prepared<Vec<T>>, timesync_core::Error>,
    ) -> Result<Vec<T>, Error> {
        let mut pager = Pager::new(self.inner.page_size);
        let mut all = Vec::new();
        while let Some(page) = pager.next_page() {
            let objects = self.call(|api, token| build(api, token, page))?;
            all.extend(pager.accept_keyed(objects));
        }
        Ok(all)
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        // The session holds two independent values; a panic elsewhere cannot leave it torn.
        self.inner
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let session = self.session();
        f.debug_struct("Client")
            .field("base_url", &self.inner.api.base_url().as_str())
            .field("transport", &self.inner.transport)
            .field("authenticated", &session.token().is_some())
            .field("auto_relogin", &session.auto_relogin())
            .field("retry", &self.inner.retry)
            .field("page_size", &self.inner.page_size)
            .finish()
    }
}

/// `error` without `secret` in any form a broken server or transport may echo it in: the
/// core already removes what looks like a token, but not a short password or token that looks
/// like prose, nor a request that an embedder's transport quotes.
fn redacted(error: impl Into<Error>, secret: &str) -> Error {
    let mut error = error.into();
    error.redact_secret(secret);
    error
}
