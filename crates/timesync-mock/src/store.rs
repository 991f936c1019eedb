//! The in-memory data: users, org roles, projects, activities and times, with their revisions.
//!
//! Projects, activities, times and org roles keep every revision; users have none. Objects
//! refer to each other by uuid (users by username), so that renaming a slug shows everywhere.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::Value;

/// Everything the server knows.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) users: Vec<User>,
    pub(crate) roles: Vec<Record<Named>>,
    pub(crate) projects: Vec<Record<Project>>,
    pub(crate) activities: Vec<Record<Named>>,
    pub(crate) times: Vec<Record<Time>>,
}

/// A user. The password is whatever the client sent (normally a `$2a$` bcrypt hash).
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) display_name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) site_spectator: bool,
    pub(crate) site_manager: bool,
    pub(crate) site_admin: bool,
    pub(crate) active: bool,
    pub(crate) meta: Option<String>,
    /// Uuids of org roles.
    pub(crate) org_roles: Vec<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: Option<String>,
    pub(crate) deleted_at: Option<String>,
}

impl User {
    /// A site admin or site manager: manages users, projects, activities and roles.
    pub(crate) fn manages_site(&self) -> bool {
        self.site_admin || self.site_manager
    }

    /// May see every time entry.
    pub(crate) fn sees_everything(&self) -> bool {
        self.site_admin || self.site_manager || self.site_spectator
    }
}

/// An object with a uuid and a history of revisions, the last one current.
#[derive(Debug, Clone)]
pub(crate) struct Record<T> {
    pub(crate) uuid: String,
    pub(crate) created_at: String,
    pub(crate) deleted_at: Option<String>,
    pub(crate) revisions: Vec<Revision<T>>,
}

/// One revision of an object.
#[derive(Debug, Clone)]
pub(crate) struct Revision<T> {
    pub(crate) revision: u32,
    pub(crate) updated_at: Option<String>,
    pub(crate) data: T,
}

impl<T: Clone> Record<T> {
    /// A new object at revision 1.
    pub(crate) fn new(uuid: String, created_at: String, data: T) -> Record<T> {
        Record {
            uuid,
            created_at,
            deleted_at: None,
            revisions: vec![Revision {
                revision: 1,
                updated_at: None,
                data,
            }],
        }
    }

    /// The current revision.
    pub(crate) fn current(&self) -> &Revision<T> {
        // A record is created with one revision and never loses any.
        self.revisions.last().expect("a record has a revision")
    }

    /// The data of the current revision.
    pub(crate) fn data(&self) -> &T {
        &self.current().data
    }

    /// The data of the current revision, to change in place (soft deletion only).
    pub(crate) fn data_mut(&mut self) -> &mut T {
        &mut self
            .revisions
            .last_mut()
            .expect("a record has a revision")
            .data
    }

    /// Adds a revision with `data`, updated `today`.
    pub(crate) fn update(&mut self, data: T, today: String) {
        let revision = self.current().revision + 1;
        self.revisions.push(Revision {
            revision,
            updated_at: Some(today),
            data,
        });
    }

    /// Not soft-deleted.
    pub(crate) fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }

    /// Older revisions, newest first.
    pub(crate) fn parents(&self) -> impl Iterator<Item = &Revision<T>> {
        self.revisions.iter().rev().skip(1)
    }
}

/// An activity or an org role: a name and one slug.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub(crate) name: String,
    /// `None` once deleted: the slug is free again.
    pub(crate) slug: Option<String>,
}

/// What a user may do on a project.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct ProjectRoles {
    pub(crate) member: bool,
    pub(crate) spectator: bool,
    pub(crate) manager: bool,
}

/// A project.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    pub(crate) name: String,
    pub(crate) uri: Option<String>,
    /// Empty once deleted: the slugs are free again.
    pub(crate) slugs: Vec<String>,
    /// Uuid of an activity.
    pub(crate) default_activity: Option<String>,
    pub(crate) users: BTreeMap<String, ProjectRoles>,
}

/// A time entry.
#[derive(Debug, Clone)]
pub(crate) struct Time {
    pub(crate) duration: u64,
    pub(crate) user: String,
    /// Uuid of the project.
    pub(crate) project: String,
    /// Uuids of the activities.
    pub(crate) activities: Vec<String>,
    pub(crate) notes: Option<String>,
    pub(crate) issue_uri: Option<String>,
    pub(crate) date_worked: String,
}

/// A time as GET shows it.
#[derive(Debug, Serialize)]
pub(crate) struct TimeOut {
    pub(crate) duration: u64,
    pub(crate) user: String,
    /// The project's slugs on GET; the slug sent, on create.
    pub(crate) project: Value,
    pub(crate) activities: Vec<String>,
    pub(crate) notes: Option<String>,
    pub(crate) issue_uri: Option<String>,
    pub(crate) date_worked: String,
    pub(crate) uuid: String,
    pub(crate) revision: u32,
    pub(crate) created_at: String,
    pub(crate) updated_at: Option<String>,
    pub(crate) deleted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) parents: Option<Vec<TimeOut>>,
}

/// A project as GET shows it (parents carry neither slugs nor users, as in the reference).
#[derive(Debug, Serialize)]
pub(crate) struct ProjectOut {
    pub(crate) name: String,
    pub(crate) uri: Option<String>,
    pub(crate) uuid: String,
    pub(crate) default_activity: Option<String>,
    pub(crate) revision: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) slugs: Option<Vec<String>>,
    pub(crate) created_at: String,
    pub(crate) updated_at: Option<String>,
    pub(crate) deleted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) users: Option<BTreeMap<String, ProjectRoles>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) parents: Option<Vec<ProjectOut>>,
}

/// An activity or an org role as GET shows it.
#[derive(Debug, Serialize)]
pub(crate) struct SlugObjectOut {
    pub(crate) name: String,
    pub(crate) slug: Option<String>,
    pub(crate) uuid: String,
    pub(crate) revision: u32,
    pub(crate) created_at: String,
    pub(crate) updated_at: Option<String>,
    pub(crate) deleted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) parents: Option<Vec<SlugObjectOut>>,
}

/// A user as GET shows it (never the password).
#[derive(Debug, Serialize)]
pub(crate) struct UserOut {
    pub(crate) username: String,
    pub(crate) display_name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) site_spectator: bool,
    pub(crate) site_manager: bool,
    pub(crate) site_admin: bool,
    pub(crate) active: bool,
    pub(crate) meta: Option<String>,
    #[serde(rename = "org-roles")]
    pub(crate) org_roles: Vec<String>,
    /// A date on GET; epoch milliseconds in the create response, as in the reference.
    pub(crate) created_at: Value,
    pub(crate) updated_at: Option<String>,
    pub(crate) deleted_at: Option<String>,
}

impl Store {
    /// A user by exact username, deleted or not.
    pub(crate) fn user(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|user| user.username == username)
    }

    /// A user who is not deleted.
    pub(crate) fn live_user(&self, username: &str) -> Option<&User> {
        self.user(username).filter(|user| user.deleted_at.is_none())
    }

    /// The index of the live project holding `slug`.
    pub(crate) fn project_index(&self, slug: &str) -> Option<usize> {
        self.projects
            .iter()
            .position(|project| project.is_live() && project.data().slugs.iter().any(|s| s == slug))
    }

    /// The index of the live activity with `slug`.
    pub(crate) fn activity_index(&self, slug: &str) -> Option<usize> {
        slug_index(&self.activities, slug)
    }

    /// The index of the live org role with `slug`.
    pub(crate) fn role_index(&self, slug: &str) -> Option<usize> {
        slug_index(&self.roles, slug)
    }

    /// The index of a time by uuid (any case).
    pub(crate) fn time_index(&self, uuid: &str) -> Option<usize> {
        let uuid = uuid.to_ascii_lowercase();
        self.times.iter().position(|time| time.uuid == uuid)
    }

    fn project_by_uuid(&self, uuid: &str) -> Option<&Record<Project>> {
        self.projects.iter().find(|project| project.uuid == uuid)
    }

    fn activity_slug(&self, uuid: &str) -> Option<String> {
        self.activities
            .iter()
            .find(|activity| activity.uuid == uuid)
            .and_then(|activity| activity.data().slug.clone())
    }

    /// The sorted slugs of a project (none once deleted).
    pub(crate) fn project_slugs(&self, uuid: &str) -> Vec<String> {
        let mut slugs = self
            .project_by_uuid(uuid)
            .map(|project| project.data().slugs.clone())
            .unwrap_or_default();
        slugs.sort();
        slugs
    }

    /// The sorted slugs of activities given by uuid (deleted activities have none).
    pub(crate) fn activity_slugs(&self, uuids: &[String]) -> Vec<String> {
        let mut slugs: Vec<String> = uuids
            .iter()
            .filter_map(|uuid| self.activity_slug(uuid))
            .collect();
        slugs.sort();
        slugs
    }

    /// The roles of `username` on a project, if any.
    pub(crate) fn project_roles(&self, project_uuid: &str, username: &str) -> ProjectRoles {
        self.project_by_uuid(project_uuid)
            .and_then(|project| project.data().users.get(username).copied())
            .unwrap_or_default()
    }

    /// Whether `viewer` may see a time entry: their own, as project spectator or manager, or
    /// as site spectator, manager or admin.
    pub(crate) fn may_see_time(&self, viewer: &User, time: &Time) -> bool {
        if viewer.sees_everything() || time.user == viewer.username {
            return true;
        }
        let roles = self.project_roles(&time.project, &viewer.username);
        roles.spectator || roles.manager
    }

    /// A time as GET shows it.
    pub(crate) fn time_out(&self, record: &Record<Time>, with_parents: bool) -> TimeOut {
        let parents = with_parents.then(|| {
            record
                .parents()
                .map(|revision| self.time_revision_out(record, revision, None))
                .collect()
        });
        TimeOut {
            parents,
            ..self.time_revision_out(record, record.current(), record.deleted_at.clone())
        }
    }

    fn time_revision_out(
        &self,
        record: &Record<Time>,
        revision: &Revision<Time>,
        deleted_at: Option<String>,
    ) -> TimeOut {
        let time = &revision.data;
        TimeOut {
            duration: time.duration,
            user: time.user.clone(),
            project: Value::from(self.project_slugs(&time.project)),
            activities: self.activity_slugs(&time.activities),
            notes: time.notes.clone(),
            issue_uri: time.issue_uri.clone(),
            date_worked: time.date_worked.clone(),
            uuid: record.uuid.clone(),
            revision: revision.revision,
            created_at: record.created_at.clone(),
            updated_at: revision.updated_at.clone(),
            deleted_at,
            parents: None,
        }
    }

    /// A project as GET shows it.
    pub(crate) fn project_out(&self, record: &Record<Project>, with_parents: bool) -> ProjectOut {
        let project = record.data();
        let mut slugs = project.slugs.clone();
        slugs.sort();
        let parents = with_parents.then(|| {
            record
                .parents()
                .map(|revision| self.project_revision_out(record, revision, None))
                .collect()
        });
        ProjectOut {
            slugs: Some(slugs),
            users: Some(project.users.clone()),
            parents,
            ..self.project_revision_out(record, record.current(), record.deleted_at.clone())
        }
    }

    fn project_revision_out(
        &self,
        record: &Record<Project>,
        revision: &Revision<Project>,
        deleted_at: Option<String>,
    ) -> ProjectOut {
        let project = &revision.data;
        ProjectOut {
            name: project.name.clone(),
            uri: project.uri.clone(),
            uuid: record.uuid.clone(),
            default_activity: project
                .default_activity
                .as_deref()
                .and_then(|uuid| self.activity_slug(uuid)),
            revision: revision.revision,
            slugs: None,
            created_at: record.created_at.clone(),
            updated_at: revision.updated_at.clone(),
            deleted_at,
            users: None,
            parents: None,
        }
    }

    /// A user as GET shows it.
    pub(crate) fn user_out(&self, user: &User) -> UserOut {
        let org_roles = user
            .org_roles
            .iter()
            .filter_map(|uuid| self.roles.iter().find(|role| &role.uuid == uuid))
            .filter_map(|role| role.data().slug.clone())
            .collect();
        UserOut {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            site_spectator: user.site_spectator,
            site_manager: user.site_manager,
            site_admin: user.site_admin,
            active: user.active,
            meta: user.meta.clone(),
            org_roles,
            created_at: Value::from(user.created_at.clone()),
            updated_at: user.updated_at.clone(),
            deleted_at: user.deleted_at.clone(),
        }
    }
}

/// The index of the live object with `slug` among activities or org roles.
pub(crate) fn slug_index(records: &[Record<Named>], slug: &str) -> Option<usize> {
    records
        .iter()
        .position(|record| record.is_live() && record.data().slug.as_deref() == Some(slug))
}

/// An activity or org role as GET shows it.
pub(crate) fn slug_object_out(record: &Record<Named>, with_parents: bool) -> SlugObjectOut {
    let revision_out = |revision: &Revision<Named>, deleted_at: Option<String>| SlugObjectOut {
        name: revision.data.name.clone(),
        slug: revision.data.slug.clone(),
        uuid: record.uuid.clone(),
        revision: revision.revision,
        created_at: record.created_at.clone(),
        updated_at: revision.updated_at.clone(),
        deleted_at,
        parents: None,
    };
    let parents = with_parents.then(|| {
        record
            .parents()
            .map(|revision| revision_out(revision, None))
            .collect()
    });
    SlugObjectOut {
        parents,
        ..revision_out(record.current(), record.deleted_at.clone())
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    let millis = i64::try_from(now_ms()).unwrap_or(i64::MAX);
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|now| now.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "1970-01-01".to_owned())
}

/// A fresh random uuid.
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
