//! Filters for the list endpoints.
//!
//! Single-object look-ups that the API restricts have their own calls instead of a filter:
//! a project or an activity is looked up by slug with only `include_revisions`
//! ([`Api::get_project`](crate::Api::get_project)), because deleted objects have no slug and
//! `slug` + `include_deleted` is meaningless.

use chrono::NaiveDate;

use crate::{Error, Slug, Username, Uuid};

/// Paging for list endpoints, as the spec describes it: the server skips `skip` objects and
/// returns at most `limit` (`limit = 0` means all; the spec's default limit is 25).
///
/// timesync-node 0.1.2 ignores both and returns everything; see [`crate::paging`] for a way
/// to read every page that is correct against both kinds of server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    /// How many objects to skip.
    pub skip: Option<u32>,
    /// How many objects to return at most.
    pub limit: Option<u32>,
}

impl Page {
    /// Objects `skip..skip + limit`.
    pub fn new(skip: u32, limit: u32) -> Self {
        Page {
            skip: Some(skip),
            limit: Some(limit),
        }
    }

    fn push(self, pairs: &mut Vec<(&'static str, String)>) {
        if let Some(skip) = self.skip {
            pairs.push(("skip", skip.to_string()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
    }
}

/// Filters for `GET /times`.
///
/// Every filter narrows the result; repeated users, projects and activities are ORed. With a
/// [`uuid`](TimeQuery::uuid) the query becomes `GET /times/:uuid`, and every filter but
/// `include_deleted` and `include_revisions` is dropped, as the API defines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeQuery {
    users: Vec<Username>,
    projects: Vec<Slug>,
    activities: Vec<Slug>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    include_deleted: bool,
    include_revisions: bool,
    uuid: Option<Uuid>,
    page: Page,
}

impl TimeQuery {
    /// Every time the caller may see.
    pub fn new() -> Self {
        Self::default()
    }

    /// Times by this user (repeatable).
    pub fn user(mut self, user: Username) -> Self {
        self.users.push(user);
        self
    }

    /// Times of this project (repeatable).
    pub fn project(mut self, project: Slug) -> Self {
        self.projects.push(project);
        self
    }

    /// Times with this activity (repeatable).
    pub fn activity(mut self, activity: Slug) -> Self {
        self.activities.push(activity);
        self
    }

    /// Times worked on or after `date`.
    pub fn start(mut self, date: NaiveDate) -> Self {
        self.start = Some(date);
        self
    }

    /// Times worked on or before `date`.
    pub fn end(mut self, date: NaiveDate) -> Self {
        self.end = Some(date);
        self
    }

    /// Also return deleted times.
    pub fn include_deleted(mut self, yes: bool) -> Self {
        self.include_deleted = yes;
        self
    }

    /// Also return earlier revisions, in `parents`.
    pub fn include_revisions(mut self, yes: bool) -> Self {
        self.include_revisions = yes;
        self
    }

    /// Only the time with this uuid; every other filter but the `include_*` ones drops out.
    pub fn uuid(mut self, uuid: Uuid) -> Self {
        self.uuid = Some(uuid);
        self
    }

    /// Skip and limit.
    pub fn page(mut self, page: Page) -> Self {
        self.page = page;
        self
    }

    /// The uuid filter, if any.
    pub fn uuid_filter(&self) -> Option<Uuid> {
        self.uuid
    }

    /// The paging of this query.
    pub fn paging(&self) -> Page {
        self.page
    }

    pub(crate) fn pairs(&self) -> Result<Vec<(&'static str, String)>, Error> {
        let mut pairs = Vec::new();
        if self.uuid.is_none() {
            if let (Some(start), Some(end)) = (self.start, self.end)
                && start > end
            {
                return Err(Error::InvalidValue {
                    field: "start",
                    reason: "the start date is after the end date",
                });
            }
            for date in [self.start, self.end].into_iter().flatten() {
                crate::ids::check_date("start or end", date)?;
            }
            pairs.extend(self.users.iter().map(|u| ("user", u.to_string())));
            pairs.extend(self.projects.iter().map(|p| ("project", p.to_string())));
            pairs.extend(self.activities.iter().map(|a| ("activity", a.to_string())));
            pairs.extend(
                self.start
                    .map(|d| ("start", d.format("%Y-%m-%d").to_string())),
            );
            pairs.extend(self.end.map(|d| ("end", d.format("%Y-%m-%d").to_string())));
        }
        push_flag(&mut pairs, "include_deleted", self.include_deleted);
        push_flag(&mut pairs, "include_revisions", self.include_revisions);
        if self.uuid.is_none() {
            self.page.push(&mut pairs);
        }
        Ok(pairs)
    }
}

/// Filters for `GET /projects`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectQuery {
    user: Option<Username>,
    include_deleted: bool,
    include_revisions: bool,
    page: Page,
}

impl ProjectQuery {
    /// Every project.
    pub fn new() -> Self {
        Self::default()
    }

    /// Projects this user belongs to.
    pub fn user(mut self, user: Username) -> Self {
        self.user = Some(user);
        self
    }

    /// Also return deleted projects.
    pub fn include_deleted(mut self, yes: bool) -> Self {
        self.include_deleted = yes;
        self
    }

    /// Also return earlier revisions.
    pub fn include_revisions(mut self, yes: bool) -> Self {
        self.include_revisions = yes;
        self
    }

    /// Skip and limit.
    pub fn page(mut self, page: Page) -> Self {
        self.page = page;
        self
    }

    /// The paging of this query.
    pub fn paging(&self) -> Page {
        self.page
    }

    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        pairs.extend(self.user.iter().map(|u| ("user", u.to_string())));
        push_flag(&mut pairs, "include_deleted", self.include_deleted);
        push_flag(&mut pairs, "include_revisions", self.include_revisions);
        self.page.push(&mut pairs);
        pairs
    }
}

/// Filters for `GET /activities`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityQuery {
    include_deleted: bool,
    include_revisions: bool,
    page: Page,
}

impl ActivityQuery {
    /// Every activity.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also return deleted activities.
    pub fn include_deleted(mut self, yes: bool) -> Self {
        self.include_deleted = yes;
        self
    }

    /// Also return earlier revisions.
    pub fn include_revisions(mut self, yes: bool) -> Self {
        self.include_revisions = yes;
        self
    }

    /// Skip and limit.
    pub fn page(mut self, page: Page) -> Self {
        self.page = page;
        self
    }

    /// The paging of this query.
    pub fn paging(&self) -> Page {
        self.page
    }

    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        push_flag(&mut pairs, "include_deleted", self.include_deleted);
        push_flag(&mut pairs, "include_revisions", self.include_revisions);
        self.page.push(&mut pairs);
        pairs
    }
}

/// Filters for `GET /users`.
///
/// With a [`username`](UserQuery::username) the query becomes `GET /users/:username`, keeping
/// only `include_deleted` (deleted users keep their usernames).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    username: Option<Username>,
    include_deleted: bool,
    roles: Vec<Slug>,
    page: Page,
}

impl UserQuery {
    /// Every user.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this user.
    pub fn username(mut self, username: Username) -> Self {
        self.username = Some(username);
        self
    }

    /// Also return deleted users.
    pub fn include_deleted(mut self, yes: bool) -> Self {
        self.include_deleted = yes;
        self
    }

    /// Users with this organisation role (repeatable; any of them matches).
    pub fn role(mut self, role: Slug) -> Self {
        self.roles.push(role);
        self
    }

    /// Skip and limit.
    pub fn page(mut self, page: Page) -> Self {
        self.page = page;
        self
    }

    /// The username filter, if any.
    pub fn username_filter(&self) -> Option<&Username> {
        self.username.as_ref()
    }

    /// The paging of this query.
    pub fn paging(&self) -> Page {
        self.page
    }

    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        push_flag(&mut pairs, "include_deleted", self.include_deleted);
        if self.username.is_none() {
            pairs.extend(self.roles.iter().map(|r| ("role", r.to_string())));
            self.page.push(&mut pairs);
        }
        pairs
    }
}

fn push_flag(pairs: &mut Vec<(&'static str, String)>, name: &'static str, set: bool) {
    if set {
        pairs.push((name, "true".to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_past_year_9999_are_refused_locally() {
        let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        let early = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for query in [
            TimeQuery::new().start(far),
            TimeQuery::new().start(early).end(far),
        ] {
            assert_eq!(
                query.pairs(),
                Err(Error::InvalidValue {
                    field: "start or end",
                    reason: "dates must be in the years 0 to 9999"
                })
            );
        }
        let uuid = crate::parse_uuid("32764929-1bea-4a17-8c8a-22d7fb144941").unwrap();
        assert!(TimeQuery::new().start(far).uuid(uuid).pairs().is_ok());
    }
}
