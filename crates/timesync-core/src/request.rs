//! Building requests: one method of [`Api`] per TimeSync operation.

use std::collections::BTreeMap;
use std::fmt;

use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use http::uri::PathAndQuery;
use http::{Method, Request, Response, Uri};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::query::{ActivityQuery, ProjectQuery, TimeQuery, UserQuery};
use crate::response;
use crate::write::{
    ActivityUpdate, NewActivity, NewOrgRole, NewProject, NewTime, NewUser, OrgRoleUpdate,
    ProjectUpdate, TimeUpdate, UserUpdate,
};
use crate::{
    Activity, BaseUrl, Credentials, Error, OrgRole, Project, ProjectRoles, Slug, Time, Token, User,
    Username, Uuid,
};

/// Everything but the URI "unreserved" characters is percent-encoded, in query values and in
/// path segments alike. In particular `+`, `/` and `=` of a token are encoded, so that no
/// server or proxy can read a `+` as a space.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The default `User-Agent`: `timesync-rs/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("timesync-rs/", env!("CARGO_PKG_VERSION"));

/// A built request together with the function that interprets its response.
///
/// Send [`Prepared::request`] with any HTTP client, then hand the response to
/// [`Prepared::parse`] (or split it with [`Prepared::into_parts`]).
pub struct Prepared<T> {
    request: Request<Vec<u8>>,
    parser: Parser<T>,
}

/// Interprets the response of one kind of request.
pub struct Parser<T>(fn(Response<Vec<u8>>) -> Result<T, Error>);

impl<T> Parser<T> {
    /// Turns the response into the typed result or a typed error.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for a TimeSync error body, [`Error::UnexpectedResponse`] for a body that
    /// is not TimeSync JSON, [`Error::Decode`] for JSON of the wrong shape.
    pub fn parse(&self, response: Response<Vec<u8>>) -> Result<T, Error> {
        (self.0)(response)
    }
}

impl<T> Clone for Parser<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Parser<T> {}

impl<T> fmt::Debug for Parser<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parser")
    }
}

impl<T> Prepared<T> {
    fn new(request: Request<Vec<u8>>, parse: fn(Response<Vec<u8>>) -> Result<T, Error>) -> Self {
        Prepared {
            request,
            parser: Parser(parse),
        }
    }

    /// The request to send.
    pub fn request(&self) -> &Request<Vec<u8>> {
        &self.request
    }

    /// The request and its parser, for a transport that takes the request by value.
    pub fn into_parts(self) -> (Request<Vec<u8>>, Parser<T>) {
        (self.request, self.parser)
    }

    /// Interprets the response to this request.
    ///
    /// # Errors
    ///
    /// As [`Parser::parse`].
    pub fn parse(&self, response: Response<Vec<u8>>) -> Result<T, Error> {
        self.parser.parse(response)
    }
}

impl<T> fmt::Debug for Prepared<T> {
    /// Shows the method and the path without the query string, which may hold a token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("method", self.request.method())
            .field("path", &self.request.uri().path())
            .finish_non_exhaustive()
    }
}

/// Builds the requests of every TimeSync operation for one server.
///
/// Building does no IO and cannot block; the result is an [`http::Request`] for any HTTP
/// client. Calls that need authentication take the [`Token`]: GET and DELETE carry it as the
/// percent-encoded query parameter `token`, POST in the JSON envelope
/// `{"auth": {"type": "token", "token": ...}, "object": ...}`.
#[derive(Debug, Clone)]
pub struct Api {
    /// Keeps its scheme and authority parsed: every request shares them, so only its path
    /// and query are parsed when it is built.
    base: BaseUrl,
    user_agent: HeaderValue,
}

impl Api {
    /// An API for the server at `base_url` (for example `http://127.0.0.1:8000/v0`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBaseUrl`], see [`BaseUrl::parse`].
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Ok(Self::from_base(BaseUrl::parse(base_url)?))
    }

    /// An API for an already checked base URL.
    pub fn from_base(base: BaseUrl) -> Self {
        Api {
            base,
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
        }
    }

    /// Replaces the `User-Agent` header.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when `user_agent` is not a valid header value.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, Error> {
        self.user_agent = HeaderValue::from_str(user_agent).map_err(|_| Error::InvalidValue {
            field: "user_agent",
            reason: "not a valid header value",
        })?;
        Ok(self)
    }

    /// The base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// `POST /login`: exchanges credentials for a token. The password is sent as is.
    ///
    /// # Errors
    ///
    /// Building does not fail for valid credentials; the `Result` keeps every builder alike.
    pub fn login(&self, credentials: &Credentials) -> Result<Prepared<Token>, Error> {
        #[derive(Serialize)]
        struct Body<'a> {
            auth: Auth<'a>,
        }
        #[derive(Serialize)]
        struct Auth<'a> {
            #[serde(rename = "type")]
            kind: &'static str,
            username: &'a str,
            password: &'a str,
        }
        let body = Body {
            auth: Auth {
                kind: credentials.auth_type.as_str(),
                username: credentials.username.as_str(),
                password: credentials.password.expose(),
            },
        };
        let request = self.post(&["login"], to_json(&body))?;
        Ok(Prepared::new(request, response::token))
    }

    /// `GET /times` with filters; with a uuid filter, `GET /times/:uuid`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when the start date is after the end date.
    pub fn list_times(
        &self,
        token: &Token,
        query: &TimeQuery,
    ) -> Result<Prepared<Vec<Time>>, Error> {
        let pairs = query.pairs()?;
        let request = match query.uuid_filter() {
            Some(uuid) => self.get(
                &["times", uuid_text(&uuid, &mut Uuid::encode_buffer())],
                pairs,
                token,
            )?,
            None => self.get(&["times"], pairs, token)?,
        };
        Ok(Prepared::new(request, response::json_list::<Time>))
    }

    /// `GET /times/:uuid`, optionally with deleted times and revisions.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn get_time(
        &self,
        token: &Token,
        uuid: Uuid,
        include_deleted: bool,
        include_revisions: bool,
    ) -> Result<Prepared<Time>, Error> {
        let query = TimeQuery::new()
            .uuid(uuid)
            .include_deleted(include_deleted)
            .include_revisions(include_revisions);
        let request = self.get(
            &["times", uuid_text(&uuid, &mut Uuid::encode_buffer())],
            query.pairs()?,
            token,
        )?;
        Ok(Prepared::new(request, response::json::<Time>))
    }

    /// `POST /times`: logs a new time.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a `date_worked` past the year 9999.
    pub fn create_time(&self, token: &Token, time: &NewTime) -> Result<Prepared<Time>, Error> {
        crate::ids::check_date("date_worked", time.date_worked)?;
        let request = self.post(&["times"], envelope(token, time))?;
        Ok(Prepared::new(request, response::json::<Time>))
    }

    /// `POST /times/:uuid`: a partial update.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a `date_worked` past the year 9999.
    pub fn update_time(
        &self,
        token: &Token,
        uuid: Uuid,
        update: &TimeUpdate,
    ) -> Result<Prepared<Time>, Error> {
        if let Some(date) = update.date_worked {
            crate::ids::check_date("date_worked", date)?;
        }
        let request = self.post(
            &["times", uuid_text(&uuid, &mut Uuid::encode_buffer())],
            envelope(token, update),
        )?;
        Ok(Prepared::new(request, response::json::<Time>))
    }

    /// `DELETE /times/:uuid`: a soft delete.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn delete_time(&self, token: &Token, uuid: Uuid) -> Result<Prepared<()>, Error> {
        let request = self.delete(
            &["times", uuid_text(&uuid, &mut Uuid::encode_buffer())],
            token,
        )?;
        Ok(Prepared::new(request, response::empty))
    }

    /// `GET /projects` with filters.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn list_projects(
        &self,
        token: &Token,
        query: &ProjectQuery,
    ) -> Result<Prepared<Vec<Project>>, Error> {
        let request = self.get(&["projects"], query.pairs(), token)?;
        Ok(Prepared::new(request, response::json_list::<Project>))
    }

    /// `GET /projects/:slug`. Deleted projects have no slug, so there is no `include_deleted`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn get_project(
        &self,
        token: &Token,
        slug: &Slug,
        include_revisions: bool,
    ) -> Result<Prepared<Project>, Error> {
        let request = self.get(
            &["projects", slug.as_str()],
            revisions(include_revisions),
            token,
        )?;
        Ok(Prepared::new(request, response::json::<Project>))
    }

    /// `GET /projects/:slug`, reduced to the members: username → roles, as the Python
    /// client's `project_users` returns.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn project_users(
        &self,
        token: &Token,
        slug: &Slug,
    ) -> Result<Prepared<BTreeMap<Username, ProjectRoles>>, Error> {
        let request = self.get(&["projects", slug.as_str()], Vec::new(), token)?;
        Ok(Prepared::new(request, response::project_users))
    }

    /// `POST /projects`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn create_project(
        &self,
        token: &Token,
        project: &NewProject,
    ) -> Result<Prepared<Project>, Error> {
        let request = self.post(&["projects"], envelope(token, project))?;
        Ok(Prepared::new(request, response::json::<Project>))
    }

    /// `POST /projects/:slug`: a partial update.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn update_project(
        &self,
        token: &Token,
        slug: &Slug,
        update: &ProjectUpdate,
    ) -> Result<Prepared<Project>, Error> {
        let request = self.post(&["projects", slug.as_str()], envelope(token, update))?;
        Ok(Prepared::new(request, response::json::<Project>))
    }

    /// `DELETE /projects/:slug`. The server refuses (405) while a live time uses the project.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn delete_project(&self, token: &Token, slug: &Slug) -> Result<Prepared<()>, Error> {
        let request = self.delete(&["projects", slug.as_str()], token)?;
        Ok(Prepared::new(request, response::empty))
    }

    /// `GET /activities` with filters.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn list_activities(
        &self,
        token: &Token,
        query: &ActivityQuery,
    ) -> Result<Prepared<Vec<Activity>>, Error> {
        let request = self.get(&["activities"], query.pairs(), token)?;
        Ok(Prepared::new(request, response::json_list::<Activity>))
    }

    /// `GET /activities/:slug`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn get_activity(
        &self,
        token: &Token,
        slug: &Slug,
        include_revisions: bool,
    ) -> Result<Prepared<Activity>, Error> {
        let pairs = revisions(include_revisions);
        let request = self.get(&["activities", slug.as_str()], pairs, token)?;
        Ok(Prepared::new(request, response::json::<Activity>))
    }

    /// `POST /activities`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn create_activity(
        &self,
        token: &Token,
        activity: &NewActivity,
    ) -> Result<Prepared<Activity>, Error> {
        let request = self.post(&["activities"], envelope(token, activity))?;
        Ok(Prepared::new(request, response::json::<Activity>))
    }

    /// `POST /activities/:slug`: a partial update.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn update_activity(
        &self,
        token: &Token,
        slug: &Slug,
        update: &ActivityUpdate,
    ) -> Result<Prepared<Activity>, Error> {
        let request = self.post(&["activities", slug.as_str()], envelope(token, update))?;
        Ok(Prepared::new(request, response::json::<Activity>))
    }

    /// `DELETE /activities/:slug`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn delete_activity(&self, token: &Token, slug: &Slug) -> Result<Prepared<()>, Error> {
        let request = self.delete(&["activities", slug.as_str()], token)?;
        Ok(Prepared::new(request, response::empty))
    }

    /// `GET /users` with filters; with a username filter, `GET /users/:username`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn list_users(
        &self,
        token: &Token,
        query: &UserQuery,
    ) -> Result<Prepared<Vec<User>>, Error> {
        let request = match query.username_filter() {
            Some(name) => self.get(&["users", name.as_str()], query.pairs(), token)?,
            None => self.get(&["users"], query.pairs(), token)?,
        };
        Ok(Prepared::new(request, response::json_list::<User>))
    }

    /// `GET /users/:username`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn get_user(&self, token: &Token, username: &Username) -> Result<Prepared<User>, Error> {
        let request = self.get(&["users", username.as_str()], Vec::new(), token)?;
        Ok(Prepared::new(request, response::json::<User>))
    }

    /// `POST /users`. The password in `user` is already a bcrypt hash.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn create_user(&self, token: &Token, user: &NewUser) -> Result<Prepared<User>, Error> {
        let request = self.post(&["users"], envelope(token, user))?;
        Ok(Prepared::new(request, response::json::<User>))
    }

    /// `POST /users/:username`: a partial update.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn update_user(
        &self,
        token: &Token,
        username: &Username,
        update: &UserUpdate,
    ) -> Result<Prepared<User>, Error> {
        let request = self.post(&["users", username.as_str()], envelope(token, update))?;
        Ok(Prepared::new(request, response::json::<User>))
    }

    /// `DELETE /users/:username`: a soft delete.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn delete_user(&self, token: &Token, username: &Username) -> Result<Prepared<()>, Error> {
        let request = self.delete(&["users", username.as_str()], token)?;
        Ok(Prepared::new(request, response::empty))
    }

    /// `GET /users/org-roles`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn list_org_roles(&self, token: &Token) -> Result<Prepared<Vec<OrgRole>>, Error> {
        let request = self.get(&["users", "org-roles"], Vec::new(), token)?;
        Ok(Prepared::new(request, response::json_list::<OrgRole>))
    }

    /// `GET /users/org-roles/:slug`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn get_org_role(&self, token: &Token, slug: &Slug) -> Result<Prepared<OrgRole>, Error> {
        let request = self.get(&["users", "org-roles", slug.as_str()], Vec::new(), token)?;
        Ok(Prepared::new(request, response::json::<OrgRole>))
    }

    /// `POST /users/org-roles`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn create_org_role(
        &self,
        token: &Token,
        role: &NewOrgRole,
    ) -> Result<Prepared<OrgRole>, Error> {
        let request = self.post(&["users", "org-roles"], envelope(token, role))?;
        Ok(Prepared::new(request, response::json::<OrgRole>))
    }

    /// `POST /users/org-roles/:slug`: a partial update.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn update_org_role(
        &self,
        token: &Token,
        slug: &Slug,
        update: &OrgRoleUpdate,
    ) -> Result<Prepared<OrgRole>, Error> {
        let request = self.post(
            &["users", "org-roles", slug.as_str()],
            envelope(token, update),
        )?;
        Ok(Prepared::new(request, response::json::<OrgRole>))
    }

    /// `DELETE /users/org-roles/:slug`.
    ///
    /// # Errors
    ///
    /// Building does not fail; the `Result` keeps every builder alike.
    pub fn delete_org_role(&self, token: &Token, slug: &Slug) -> Result<Prepared<()>, Error> {
        let request = self.delete(&["users", "org-roles", slug.as_str()], token)?;
        Ok(Prepared::new(request, response::empty))
    }

    /// The path and query string of a request: the base URL's path, the percent-encoded
    /// segments, the pairs, and the token last.
    fn path_and_query(
        &self,
        segments: &[&str],
        pairs: &[(&str, String)],
        token: Option<&Token>,
    ) -> String {
        let base_path = self.base.path();
        // Room for the usual case, in which nothing but the token needs encoding.
        let length = base_path.len()
            + segments.iter().map(|s| s.len() + 1).sum::<usize>()
            + pairs
                .iter()
                .map(|(k, v)| k.len() + v.len() + 2)
                .sum::<usize>()
            + token.map_or(0, |t| t.expose_in_query().len() + 7);
        let mut uri = String::with_capacity(length);
        uri.push_str(base_path);
        for segment in segments {
            uri.push('/');
            uri.extend(utf8_percent_encode(segment, ENCODE));
        }
        let mut separator = '?';
        for (key, value) in pairs {
            uri.push(separator);
            uri.push_str(key);
            uri.push('=');
            uri.extend(utf8_percent_encode(value, ENCODE));
            separator = '&';
        }
        if let Some(token) = token {
            uri.push(separator);
            uri.push_str("token=");
            uri.push_str(token.expose_in_query());
        }
        uri
    }

    fn build(
        &self,
        method: Method,
        path_and_query: String,
        body: Option<Vec<u8>>,
    ) -> Result<Request<Vec<u8>>, Error> {
        // Every piece of the path and query was checked or percent-encoded, so this cannot
        // fail for a valid base URL; map it rather than panic all the same.
        let invalid = |_| Error::InvalidValue {
            field: "uri",
            reason: "the request uri could not be built; is a value too long?",
        };
        let (scheme, authority) = self.base.scheme_and_authority();
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(scheme);
        parts.authority = Some(authority);
        parts.path_and_query =
            Some(PathAndQuery::from_maybe_shared(path_and_query).map_err(invalid)?);
        let uri = Uri::from_parts(parts).map_err(|_| Error::InvalidValue {
            field: "uri",
            reason: "the request uri could not be built",
        })?;

        let mut headers = HeaderMap::with_capacity(3);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.user_agent.clone());
        if body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let mut request = Request::new(body.unwrap_or_default());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }

    fn get(
        &self,
        segments: &[&str],
        pairs: Vec<(&'static str, String)>,
        token: &Token,
    ) -> Result<Request<Vec<u8>>, Error> {
        self.build(
            Method::GET,
            self.path_and_query(segments, &pairs, Some(token)),
            None,
        )
    }

    fn delete(&self, segments: &[&str], token: &Token) -> Result<Request<Vec<u8>>, Error> {
        self.build(
            Method::DELETE,
            self.path_and_query(segments, &[], Some(token)),
            None,
        )
    }

    fn post(&self, segments: &[&str], body: Vec<u8>) -> Result<Request<Vec<u8>>, Error> {
        self.build(
            Method::POST,
            self.path_and_query(segments, &[], None),
            Some(body),
        )
    }
}

/// A uuid as a path segment, hyphenated lowercase as the server prints it, written into a
/// buffer on the stack.
fn uuid_text<'b>(uuid: &Uuid, buffer: &'b mut [u8; uuid::fmt::Urn::LENGTH]) -> &'b str {
    uuid.hyphenated().encode_lower(buffer)
}

/// `value` percent-encoded for a query string or a path segment.
pub(crate) fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, ENCODE).to_string()
}

fn revisions(include: bool) -> Vec<(&'static str, String)> {
    if include {
        vec![("include_revisions", "true".to_owned())]
    } else {
        Vec::new()
    }
}

fn envelope<T: Serialize>(token: &Token, object: &T) -> Vec<u8> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        auth: TokenAuth<'a>,
        object: &'a T,
    }
    #[derive(Serialize)]
    struct TokenAuth<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        token: &'a str,
    }
    to_json(&Envelope {
        auth: TokenAuth {
            kind: "token",
            token: token.expose(),
        },
        object,
    })
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // The write types hold only strings, numbers, booleans, dates and string-keyed maps,
    // which serde_json always serializes.
    serde_json::to_vec(value).expect("write types always serialize to json")
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn dates_the_server_cannot_read_are_refused_before_sending() {
        let api = Api::new("http://127.0.0.1:8000/v0").unwrap();
        let token = Token::new("t");
        let far = NaiveDate::from_ymd_opt(12_345, 1, 1).unwrap();
        let refused = Error::InvalidValue {
            field: "date_worked",
            reason: "dates must be in the years 0 to 9999",
        };
        let time = NewTime::new(
            "1h".parse().unwrap(),
            Username::new("alice").unwrap(),
            Slug::new("ex").unwrap(),
            far,
        );
        assert_eq!(api.create_time(&token, &time).unwrap_err(), refused);
        let uuid = crate::parse_uuid("32764929-1bea-4a17-8c8a-22d7fb144941").unwrap();
        let update = TimeUpdate::new().date_worked(far);
        assert_eq!(api.update_time(&token, uuid, &update).unwrap_err(), refused);
        let fine = TimeUpdate::new().date_worked(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap());
        assert!(api.update_time(&token, uuid, &fine).is_ok());
    }
}
