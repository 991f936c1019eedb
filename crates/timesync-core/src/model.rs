//! The objects TimeSync stores, as the server sends them back.
//!
//! Read types accept every shape the reference server really sends: `project` as one slug or
//! a list, a missing `users` map on older revisions, a `null` slug on a deleted activity,
//! `parents` with `include_revisions`, a user's `created_at` as epoch milliseconds, and extra
//! fields this crate does not know (they are ignored).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Duration, Slug, Username, Uuid};

/// One entry of logged work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Time {
    /// The same for every revision of this entry.
    pub uuid: Uuid,
    /// 1 for the original, counting up with each update.
    #[serde(default = "first_revision")]
    pub revision: u32,
    /// How long the work took.
    pub duration: Duration,
    /// Who did the work.
    pub user: Username,
    /// Every slug of the project. A create response echoes the one slug that was sent; a
    /// time of a deleted project has none.
    #[serde(deserialize_with = "one_or_many")]
    pub project: Vec<Slug>,
    /// Slugs of the activities.
    #[serde(default, deserialize_with = "many_or_null")]
    pub activities: Vec<Slug>,
    /// Free text.
    #[serde(default)]
    pub notes: Option<String>,
    /// A link to the issue the work was for.
    #[serde(default)]
    pub issue_uri: Option<String>,
    /// The day the work was done.
    pub date_worked: NaiveDate,
    /// When the entry was created.
    #[serde(default)]
    pub created_at: Option<Stamp>,
    /// When the entry was last updated; `None` until the first update.
    #[serde(default)]
    pub updated_at: Option<Stamp>,
    /// When the entry was deleted; `None` for a live entry.
    #[serde(default)]
    pub deleted_at: Option<Stamp>,
    /// Earlier revisions, newest first; only with `include_revisions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<Time>,
}

/// A project that times are logged against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Project {
    /// The same for every revision of this project.
    pub uuid: Uuid,
    /// 1 for the original, counting up with each update.
    #[serde(default = "first_revision")]
    pub revision: u32,
    /// Display name.
    pub name: String,
    /// Home page or repository.
    #[serde(default)]
    pub uri: Option<String>,
    /// Every slug of the project; empty once the project is deleted.
    #[serde(default, deserialize_with = "many_or_null")]
    pub slugs: Vec<Slug>,
    /// The activity used for times that name none.
    #[serde(default)]
    pub default_activity: Option<Slug>,
    /// Members and their roles; `None` when the server left the map out (older revisions).
    #[serde(default)]
    pub users: Option<BTreeMap<Username, ProjectRoles>>,
    /// When the project was created.
    #[serde(default)]
    pub created_at: Option<Stamp>,
    /// When the project was last updated.
    #[serde(default)]
    pub updated_at: Option<Stamp>,
    /// When the project was deleted.
    #[serde(default)]
    pub deleted_at: Option<Stamp>,
    /// Earlier revisions, newest first; only with `include_revisions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<Project>,
}

/// A kind of work, such as `docs` or `dev`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Activity {
    /// The same for every revision of this activity.
    pub uuid: Uuid,
    /// 1 for the original, counting up with each update.
    #[serde(default = "first_revision")]
    pub revision: u32,
    /// Display name.
    pub name: String,
    /// The slug; `None` once the activity is deleted.
    #[serde(default)]
    pub slug: Option<Slug>,
    /// When the activity was created.
    #[serde(default)]
    pub created_at: Option<Stamp>,
    /// When the activity was last updated.
    #[serde(default)]
    pub updated_at: Option<Stamp>,
    /// When the activity was deleted.
    #[serde(default)]
    pub deleted_at: Option<Stamp>,
    /// Earlier revisions, newest first; only with `include_revisions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<Activity>,
}

/// A TimeSync account. Users have no uuid and no revisions; the password is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// The login name.
    pub username: Username,
    /// Full name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// May do everything.
    #[serde(default)]
    pub site_admin: bool,
    /// May manage projects, activities and users.
    #[serde(default)]
    pub site_manager: bool,
    /// May read everything.
    #[serde(default)]
    pub site_spectator: bool,
    /// Whether the account is active.
    #[serde(default = "yes")]
    pub active: bool,
    /// Free text.
    #[serde(default)]
    pub meta: Option<String>,
    /// Slugs of the user's organisation roles.
    #[serde(rename = "org-roles", default, deserialize_with = "many_or_null")]
    pub org_roles: Vec<Slug>,
    /// When the user was created (epoch milliseconds in a create response).
    #[serde(default)]
    pub created_at: Option<Stamp>,
    /// When the user was last updated.
    #[serde(default)]
    pub updated_at: Option<Stamp>,
    /// When the user was deleted.
    #[serde(default)]
    pub deleted_at: Option<Stamp>,
}

/// An organisation role, such as `staff` or `student`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrgRole {
    /// Display name.
    pub name: String,
    /// The slug; `None` once the role is deleted.
    #[serde(default)]
    pub slug: Option<Slug>,
    /// The same for every revision, where the server keeps revisions of roles.
    #[serde(default)]
    pub uuid: Option<Uuid>,
    /// The revision, where the server keeps revisions of roles.
    #[serde(default)]
    pub revision: Option<u32>,
    /// When the role was created.
    #[serde(default)]
    pub created_at: Option<Stamp>,
    /// When the role was last updated.
    #[serde(default)]
    pub updated_at: Option<Stamp>,
    /// When the role was deleted.
    #[serde(default)]
    pub deleted_at: Option<Stamp>,
}

/// What a user may do in one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProjectRoles {
    /// May log time against the project.
    #[serde(default)]
    pub member: bool,
    /// May read every time of the project.
    #[serde(default)]
    pub spectator: bool,
    /// May change the project and delete its times.
    #[serde(default)]
    pub manager: bool,
}

/// One project role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProjectRole {
    /// May log time against the project.
    Member,
    /// May read every time of the project.
    Spectator,
    /// May change the project and delete its times.
    Manager,
}

impl ProjectRoles {
    /// Roles for a plain member.
    pub fn member() -> Self {
        ProjectRoles {
            member: true,
            spectator: false,
            manager: false,
        }
    }

    /// Every role.
    pub fn manager() -> Self {
        ProjectRoles {
            member: true,
            spectator: true,
            manager: true,
        }
    }

    /// The roles that are set, in the order member, spectator, manager.
    pub fn roles(self) -> Vec<ProjectRole> {
        [
            (self.member, ProjectRole::Member),
            (self.spectator, ProjectRole::Spectator),
            (self.manager, ProjectRole::Manager),
        ]
        .into_iter()
        .filter_map(|(set, role)| set.then_some(role))
        .collect()
    }
}

impl fmt::Display for ProjectRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProjectRole::Member => "member",
            ProjectRole::Spectator => "spectator",
            ProjectRole::Manager => "manager",
        })
    }
}

/// A point in time as the server reports it: usually a day, sometimes (a user's
/// `created_at` in a create response) epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stamp {
    /// A `YYYY-MM-DD` day.
    Date(NaiveDate),
    /// An instant, from epoch milliseconds or an RFC 3339 string.
    Instant(DateTime<Utc>),
}

impl Stamp {
    /// The day (in UTC for an instant).
    pub fn date(self) -> NaiveDate {
        match self {
            Stamp::Date(date) => date,
            Stamp::Instant(instant) => instant.date_naive(),
        }
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Stamp::Date(date) => date.serialize(serializer),
            Stamp::Instant(instant) => serializer.serialize_i64(instant.timestamp_millis()),
        }
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: serde buffers an untagged value and builds
        // an error message for every variant that does not match, several per time of a list.
        struct StampVisitor;

        impl Visitor<'_> for StampVisitor {
            type Value = Stamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a YYYY-MM-DD date, an RFC 3339 instant or epoch milliseconds")
            }

            fn visit_i64<E: de::Error>(self, millis: i64) -> Result<Stamp, E> {
                DateTime::from_timestamp_millis(millis)
                    .map(Stamp::Instant)
                    .ok_or_else(|| E::custom(format!("timestamp {millis} out of range")))
            }

            fn visit_u64<E: de::Error>(self, millis: u64) -> Result<Stamp, E> {
                let signed = i64::try_from(millis)
                    .map_err(|_| E::custom(format!("timestamp {millis} out of range")))?;
                self.visit_i64(signed)
            }

            fn visit_f64<E: de::Error>(self, millis: f64) -> Result<Stamp, E> {
                if millis.fract() == 0.0 && millis.abs() < 9.0e15 {
                    // Whole and well inside i64, so the cast is exact.
                    self.visit_i64(millis as i64)
                } else {
                    Err(E::custom(format!("invalid timestamp {millis}")))
                }
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Stamp, E> {
                if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(Stamp::Date(date))
                } else if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
                    Ok(Stamp::Instant(instant.with_timezone(&Utc)))
                } else {
                    Err(E::custom(format!("invalid date {text:?}")))
                }
            }
        }

        deserializer.deserialize_any(StampVisitor)
    }
}

fn first_revision() -> u32 {
    1
}

fn yes() -> bool {
    true
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Slug>, D::Error> {
    // A visitor rather than an untagged enum, for the reason given at `Stamp`.
    struct OneOrMany;

    impl<'de> Visitor<'de> for OneOrMany {
        type Value = Vec<Slug>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a slug, a list of slugs or null")
        }

        fn visit_str<E: de::Error>(self, slug: &str) -> Result<Vec<Slug>, E> {
            Slug::new(slug).map(|slug| vec![slug]).map_err(E::custom)
        }

        fn visit_string<E: de::Error>(self, slug: String) -> Result<Vec<Slug>, E> {
            Slug::new(slug).map(|slug| vec![slug]).map_err(E::custom)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Slug>, A::Error> {
            // A hint from the input is not trusted beyond a small start.
            let mut slugs = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(8));
            while let Some(slug) = seq.next_element()? {
                slugs.push(slug);
            }
            // JSON gives no hint, and a list of times keeps thousands of these short lists.
            slugs.shrink_to_fit();
            Ok(slugs)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<Slug>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<Slug>, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(OneOrMany)
}

fn many_or_null<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_time_from_a_list_has_every_project_slug() {
        let body = r#"{"duration":900,"user":"alice","notes":"","issue_uri":"https://git.example.org/x/issues/3",
            "uuid":"11111111-2222-4333-8444-555555555555","revision":1,"project":["ex","example"],
            "activities":["dev","docs"],"created_at":"2021-03-04","updated_at":null,"deleted_at":null,
            "date_worked":"2021-03-03","surprise":{"nested":true}}"#;
        let time: Time = serde_json::from_str(body).unwrap();
        assert_eq!(time.project, ["ex", "example"]);
        // A list of times keeps thousands of these: no spare room.
        assert_eq!(time.project.capacity(), 2);
        assert_eq!(time.activities, ["dev", "docs"]);
        assert_eq!(time.duration.as_secs(), 900);
        assert_eq!(time.notes.as_deref(), Some(""));
        assert_eq!(time.date_worked, date("2021-03-03"));
        assert_eq!(time.created_at, Some(Stamp::Date(date("2021-03-04"))));
        assert_eq!(time.updated_at, None);
        assert!(time.parents.is_empty());
    }

    #[test]
    fn a_created_time_echoes_one_project_slug() {
        let body = r#"{"duration":1800,"user":"bob","project":"ex","activities":["docs"],
            "date_worked":"2021-03-05","uuid":"11111111-2222-4333-8444-666666666666","revision":1,
            "created_at":"2021-03-05","updated_at":null,"deleted_at":null}"#;
        let time: Time = serde_json::from_str(body).unwrap();
        assert_eq!(time.project, ["ex"]);
        assert_eq!(time.notes, None);
    }

    #[test]
    fn revisions_nest_in_parents() {
        let body = r#"{"duration":5400,"user":"bob","uuid":"11111111-2222-4333-8444-666666666666",
            "revision":2,"project":["ex"],"activities":["dev"],"date_worked":"2021-03-05",
            "parents":[{"duration":3600,"user":"bob","uuid":"11111111-2222-4333-8444-666666666666",
            "revision":1,"project":["ex"],"activities":["dev"],"date_worked":"2021-03-05"}]}"#;
        let time: Time = serde_json::from_str(body).unwrap();
        assert_eq!(time.parents.len(), 1);
        assert_eq!(time.parents[0].revision, 1);
        assert_eq!(time.parents[0].duration.as_secs(), 3600);
    }

    #[test]
    fn projects_with_and_without_users() {
        let body = r#"{"name":"Example","uri":"https://example.org","uuid":"21111111-2222-4333-8444-555555555555",
            "default_activity":null,"revision":2,"slugs":["ex"],"users":{"alice":{"member":true,
            "spectator":false,"manager":true}},"created_at":"2020-01-01","updated_at":"2020-02-01",
            "deleted_at":null,"parents":[{"name":"Old","uuid":"21111111-2222-4333-8444-555555555555",
            "revision":1,"slugs":["ex"],"created_at":"2020-01-01"}]}"#;
        let project: Project = serde_json::from_str(body).unwrap();
        let users = project.users.as_ref().unwrap();
        let alice = users[&Username::new("alice").unwrap()];
        assert_eq!(alice.roles(), [ProjectRole::Member, ProjectRole::Manager]);
        assert_eq!(project.parents[0].users, None);
        assert_eq!(project.parents[0].name, "Old");
    }

    #[test]
    fn deleted_activities_have_no_slug() {
        let body = r#"{"name":"Code Review","slug":null,"uuid":"31111111-2222-4333-8444-555555555555",
            "revision":1,"created_at":"2020-01-01","deleted_at":"2020-05-05","updated_at":null}"#;
        let activity: Activity = serde_json::from_str(body).unwrap();
        assert_eq!(activity.slug, None);
        assert_eq!(
            activity.deleted_at.map(Stamp::date),
            Some(date("2020-05-05"))
        );
    }

    #[test]
    fn user_created_at_may_be_epoch_milliseconds() {
        let body = r#"{"username":"carol","display_name":"Carol","email":"carol@example.org",
            "site_spectator":false,"site_manager":false,"site_admin":false,"active":true,
            "meta":null,"created_at":1609459200000,"updated_at":null,"deleted_at":null}"#;
        let user: User = serde_json::from_str(body).unwrap();
        assert_eq!(user.created_at.unwrap().date(), date("2021-01-01"));
        assert!(user.org_roles.is_empty());
        let again: User = serde_json::from_str(&serde_json::to_string(&user).unwrap()).unwrap();
        assert_eq!(again, user);
    }

    #[test]
    fn wrong_shapes_fail_to_decode() {
        for body in [
            r#"{"uuid":"x","duration":1,"user":"a","project":"p","date_worked":"2020-01-01"}"#,
            r#"{"uuid":"11111111-2222-4333-8444-555555555555","duration":0,"user":"a","project":"p","date_worked":"2020-01-01"}"#,
            r#"{"uuid":"11111111-2222-4333-8444-555555555555","duration":1,"user":"a","project":"P!","date_worked":"2020-01-01"}"#,
            r#"{"uuid":"11111111-2222-4333-8444-555555555555","duration":1,"user":"a","project":"p","date_worked":"01/02/2020"}"#,
        ] {
            assert!(serde_json::from_str::<Time>(body).is_err(), "{body}");
        }
    }
}
