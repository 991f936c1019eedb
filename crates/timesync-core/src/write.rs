//! What a client sends to create or update objects.
//!
//! Create types require every field the server requires. Update types are partial: a field
//! left `None` is not sent and keeps its value on the server, while `Some("")` (or an empty
//! map) sets it empty. Malformed objects the API refuses cannot be expressed: a project always
//! has at least one slug, a time update cannot empty the activities, a duration is always
//! positive, and a user's password is always a bcrypt hash. What depends on the server's data
//! (a time without activities on a project without a default activity, a taken slug) is left
//! to the server, which answers with a typed error.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Duration, Error, PasswordHash, ProjectRoles, Slug, Username};

/// A list of slugs with at least one element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SlugList(Vec<Slug>);

impl SlugList {
    /// A list of one slug.
    pub fn one(slug: Slug) -> Self {
        SlugList(vec![slug])
    }

    /// Checks that `slugs` is not empty.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for an empty list.
    pub fn new(slugs: impl IntoIterator<Item = Slug>) -> Result<Self, Error> {
        let slugs: Vec<Slug> = slugs.into_iter().collect();
        if slugs.is_empty() {
            return Err(Error::InvalidValue {
                field: "slugs",
                reason: "at least one is required",
            });
        }
        Ok(SlugList(slugs))
    }

    /// Parses and checks each string.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSlug`] for a bad slug, [`Error::InvalidValue`] for an empty list.
    pub fn parse<I, S>(slugs: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let slugs = slugs
            .into_iter()
            .map(Slug::new)
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(slugs)
    }

    /// The slugs.
    pub fn as_slice(&self) -> &[Slug] {
        &self.0
    }
}

/// A new time entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewTime {
    /// How long the work took.
    pub duration: Duration,
    /// Who did the work.
    pub user: Username,
    /// Any one slug of the project.
    pub project: Slug,
    /// The activities; may be empty only when the project has a default activity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Slug>,
    /// The day the work was done.
    pub date_worked: NaiveDate,
    /// A link to the issue the work was for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_uri: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl NewTime {
    /// A time entry without activities, notes or issue.
    pub fn new(duration: Duration, user: Username, project: Slug, date_worked: NaiveDate) -> Self {
        NewTime {
            duration,
            user,
            project,
            activities: Vec::new(),
            date_worked,
            issue_uri: None,
            notes: None,
        }
    }

    /// Adds an activity.
    pub fn activity(mut self, activity: Slug) -> Self {
        self.activities.push(activity);
        self
    }

    /// Sets the notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Sets the issue link.
    pub fn issue_uri(mut self, uri: impl Into<String>) -> Self {
        self.issue_uri = Some(uri.into());
        self
    }
}

/// A partial update of a time entry: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TimeUpdate {
    /// A new duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
    /// A new author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Username>,
    /// A new project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<Slug>,
    /// New activities, replacing the old ones; never empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activities: Option<SlugList>,
    /// A new day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_worked: Option<NaiveDate>,
    /// A new issue link; `Some("")` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_uri: Option<String>,
    /// New notes; `Some("")` clears them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl TimeUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the duration.
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// Sets the project.
    pub fn project(mut self, project: Slug) -> Self {
        self.project = Some(project);
        self
    }

    /// Replaces the activities.
    pub fn activities(mut self, activities: SlugList) -> Self {
        self.activities = Some(activities);
        self
    }

    /// Sets the day.
    pub fn date_worked(mut self, date: NaiveDate) -> Self {
        self.date_worked = Some(date);
        self
    }

    /// Sets the notes; an empty string clears them.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Sets the issue link; an empty string clears it.
    pub fn issue_uri(mut self, uri: impl Into<String>) -> Self {
        self.issue_uri = Some(uri.into());
        self
    }
}

/// A new project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewProject {
    /// Display name.
    pub name: String,
    /// Its slugs; at least one.
    pub slugs: SlugList,
    /// Home page or repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// The activity used for times that name none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_activity: Option<Slug>,
    /// Members and their roles.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub users: BTreeMap<Username, ProjectRoles>,
}

impl NewProject {
    /// A project with a name and slugs.
    pub fn new(name: impl Into<String>, slugs: SlugList) -> Self {
        NewProject {
            name: name.into(),
            slugs,
            uri: None,
            default_activity: None,
            users: BTreeMap::new(),
        }
    }

    /// Sets the link.
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }

    /// Sets the default activity.
    pub fn default_activity(mut self, activity: Slug) -> Self {
        self.default_activity = Some(activity);
        self
    }

    /// Adds a member with the given roles.
    pub fn user(mut self, user: Username, roles: ProjectRoles) -> Self {
        self.users.insert(user, roles);
        self
    }
}

/// A partial update of a project: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ProjectUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new link; `Some("")` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Replaces every slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slugs: Option<SlugList>,
    /// `Some(Some(slug))` sets the default activity, `Some(None)` removes it (sent as `""`,
    /// the API's way to empty a field).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "slug_or_empty"
    )]
    pub default_activity: Option<Option<Slug>>,
    /// Replaces the whole membership; `Some(empty map)` removes every member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<BTreeMap<Username, ProjectRoles>>,
}

impl ProjectUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the link; an empty string clears it.
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }

    /// Replaces the slugs.
    pub fn slugs(mut self, slugs: SlugList) -> Self {
        self.slugs = Some(slugs);
        self
    }

    /// Sets or removes the default activity.
    pub fn default_activity(mut self, activity: Option<Slug>) -> Self {
        self.default_activity = Some(activity);
        self
    }

    /// Replaces the membership.
    pub fn users(mut self, users: BTreeMap<Username, ProjectRoles>) -> Self {
        self.users = Some(users);
        self
    }
}

fn slug_or_empty<S: serde::Serializer>(
    value: &Option<Option<Slug>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(Some(slug)) => serializer.serialize_str(slug.as_str()),
        Some(None) | None => serializer.serialize_str(""),
    }
}

/// A new activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewActivity {
    /// Display name; the server wants it unique.
    pub name: String,
    /// The slug.
    pub slug: Slug,
}

impl NewActivity {
    /// An activity with a name and a slug.
    pub fn new(name: impl Into<String>, slug: Slug) -> Self {
        NewActivity {
            name: name.into(),
            slug,
        }
    }
}

/// A partial update of an activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActivityUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<Slug>,
}

impl ActivityUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the slug.
    pub fn slug(mut self, slug: Slug) -> Self {
        self.slug = Some(slug);
        self
    }
}

/// A new user. The password is a bcrypt hash: see [`PasswordHash::bcrypt`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewUser {
    /// The login name.
    pub username: Username,
    /// The bcrypt hash of the password.
    pub password: PasswordHash,
    /// Full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// May do everything.
    pub site_admin: bool,
    /// May manage projects, activities and users.
    pub site_manager: bool,
    /// May read everything.
    pub site_spectator: bool,
    /// Whether the account is active.
    pub active: bool,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<String>,
    /// Organisation roles.
    #[serde(rename = "org-roles", skip_serializing_if = "Vec::is_empty")]
    pub org_roles: Vec<Slug>,
}

impl NewUser {
    /// An active user without site roles.
    pub fn new(username: Username, password: PasswordHash) -> Self {
        NewUser {
            username,
            password,
            display_name: None,
            email: None,
            site_admin: false,
            site_manager: false,
            site_spectator: false,
            active: true,
            meta: None,
            org_roles: Vec::new(),
        }
    }

    /// Sets the display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Makes the user a site admin (only a site admin may).
    pub fn site_admin(mut self, yes: bool) -> Self {
        self.site_admin = yes;
        self
    }

    /// Makes the user a site manager (only a site admin may).
    pub fn site_manager(mut self, yes: bool) -> Self {
        self.site_manager = yes;
        self
    }

    /// Makes the user a site spectator, who may read everything.
    pub fn site_spectator(mut self, yes: bool) -> Self {
        self.site_spectator = yes;
        self
    }

    /// Whether the account is active; new users are.
    pub fn active(mut self, yes: bool) -> Self {
        self.active = yes;
        self
    }

    /// Sets the free-form `meta` text.
    pub fn meta(mut self, meta: impl Into<String>) -> Self {
        self.meta = Some(meta.into());
        self
    }

    /// Adds an organisation role.
    pub fn org_role(mut self, role: Slug) -> Self {
        self.org_roles.push(role);
        self
    }
}

/// A partial update of a user. Only site admins may change `site_admin` and `site_manager`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UserUpdate {
    /// A new password hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<PasswordHash>,
    /// A new display name; `Some("")` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A new email address; `Some("")` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Grants or removes the admin role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_admin: Option<bool>,
    /// Grants or removes the manager role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_manager: Option<bool>,
    /// Grants or removes the spectator role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_spectator: Option<bool>,
    /// Activates or deactivates the account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// New free text; `Some("")` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<String>,
    /// Replaces the organisation roles.
    #[serde(rename = "org-roles", skip_serializing_if = "Option::is_none")]
    pub org_roles: Option<Vec<Slug>>,
}

impl UserUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the password hash.
    pub fn password(mut self, hash: PasswordHash) -> Self {
        self.password = Some(hash);
        self
    }

    /// Sets the display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Grants or takes away site admin (only a site admin may).
    pub fn site_admin(mut self, yes: bool) -> Self {
        self.site_admin = Some(yes);
        self
    }

    /// Grants or takes away site manager (only a site admin may).
    pub fn site_manager(mut self, yes: bool) -> Self {
        self.site_manager = Some(yes);
        self
    }

    /// Grants or takes away site spectator.
    pub fn site_spectator(mut self, yes: bool) -> Self {
        self.site_spectator = Some(yes);
        self
    }

    /// Activates or deactivates the account.
    pub fn active(mut self, yes: bool) -> Self {
        self.active = Some(yes);
        self
    }

    /// Sets the free-form `meta` text.
    pub fn meta(mut self, meta: impl Into<String>) -> Self {
        self.meta = Some(meta.into());
        self
    }

    /// Replaces the user's organisation roles with these (an empty list removes them all).
    pub fn org_roles(mut self, roles: Vec<Slug>) -> Self {
        self.org_roles = Some(roles);
        self
    }
}

/// A new organisation role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewOrgRole {
    /// Display name.
    pub name: String,
    /// The slug.
    pub slug: Slug,
}

impl NewOrgRole {
    /// A role with a name and a slug.
    pub fn new(name: impl Into<String>, slug: Slug) -> Self {
        NewOrgRole {
            name: name.into(),
            slug,
        }
    }
}

/// A partial update of an organisation role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OrgRoleUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<Slug>,
}

impl OrgRoleUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::new(s).unwrap()
    }

    #[test]
    fn new_time_sends_what_is_set() {
        let time = NewTime::new(
            "1h30m".parse().unwrap(),
            Username::new("alice").unwrap(),
            slug("ex"),
            NaiveDate::from_ymd_opt(2021, 3, 4).unwrap(),
        );
        assert_eq!(
            serde_json::to_value(&time).unwrap(),
            json!({"duration": 5400, "user": "alice", "project": "ex", "date_worked": "2021-03-04"})
        );
        let time = time.activity(slug("dev")).notes("ünïcode ✓").issue_uri("");
        assert_eq!(
            serde_json::to_value(&time).unwrap(),
            json!({"duration": 5400, "user": "alice", "project": "ex", "activities": ["dev"],
                   "date_worked": "2021-03-04", "notes": "ünïcode ✓", "issue_uri": ""})
        );
    }

    #[test]
    fn updates_tell_unchanged_from_empty() {
        assert_eq!(serde_json::to_value(TimeUpdate::new()).unwrap(), json!({}));
        assert_eq!(
            serde_json::to_value(TimeUpdate::new().notes("").issue_uri("")).unwrap(),
            json!({"notes": "", "issue_uri": ""})
        );
        let update = ProjectUpdate::new()
            .default_activity(None)
            .users(BTreeMap::new());
        assert_eq!(
            serde_json::to_value(update).unwrap(),
            json!({"default_activity": "", "users": {}})
        );
        let update = ProjectUpdate::new()
            .default_activity(Some(slug("dev")))
            .uri("");
        assert_eq!(
            serde_json::to_value(update).unwrap(),
            json!({"default_activity": "dev", "uri": ""})
        );
    }

    #[test]
    fn empty_slug_lists_cannot_be_built() {
        assert_eq!(
            SlugList::new(Vec::new()),
            Err(Error::InvalidValue {
                field: "slugs",
                reason: "at least one is required"
            })
        );
        assert!(matches!(
            SlugList::parse(["ok", "Not OK"]),
            Err(Error::InvalidSlug { .. })
        ));
        let list = SlugList::parse(["a", "b"]).unwrap();
        assert_eq!(serde_json::to_value(&list).unwrap(), json!(["a", "b"]));
    }

    #[test]
    fn new_users_carry_a_hash_and_roles() {
        let hash = PasswordHash::bcrypt_with_salt(&"pw".into(), [3; 16]).unwrap();
        let user = NewUser::new(Username::new("dave").unwrap(), hash.clone()).display_name("Dave");
        let value = serde_json::to_value(&user).unwrap();
        assert_eq!(value["password"], json!(hash.as_str()));
        assert_eq!(value["active"], json!(true));
        assert_eq!(value["display_name"], json!("Dave"));
        assert!(value.get("org-roles").is_none());
        let update = UserUpdate::new()
            .org_roles(vec![slug("staff")])
            .site_spectator(true);
        assert_eq!(
            serde_json::to_value(update).unwrap(),
            json!({"org-roles": ["staff"], "site_spectator": true})
        );
        let update = UserUpdate::new()
            .site_admin(false)
            .site_manager(true)
            .active(false)
            .meta("m")
            .org_roles(Vec::new());
        assert_eq!(
            serde_json::to_value(update).unwrap(),
            json!({"site_admin": false, "site_manager": true, "active": false, "meta": "m", "org-roles": []})
        );
    }

    #[test]
    fn new_users_take_every_setting() {
        let hash = PasswordHash::bcrypt_with_salt(&"pw".into(), [3; 16]).unwrap();
        let user = NewUser::new(Username::new("erin").unwrap(), hash)
            .site_admin(true)
            .site_manager(true)
            .site_spectator(true)
            .active(false)
            .meta("m")
            .org_role(slug("staff"))
            .org_role(slug("student"));
        let value = serde_json::to_value(&user).unwrap();
        for (field, expected) in [
            ("site_admin", json!(true)),
            ("site_manager", json!(true)),
            ("site_spectator", json!(true)),
            ("active", json!(false)),
            ("meta", json!("m")),
            ("org-roles", json!(["staff", "student"])),
        ] {
            assert_eq!(value[field], expected, "{field}");
        }
    }
}
