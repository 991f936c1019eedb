//! The two seeds: [`Seed::Empty`](crate::Seed::Empty) (one site admin) and
//! [`Seed::Demo`](crate::Seed::Demo) (users, org roles, projects, activities and four weeks of
//! times). Everything is fixed, uuids and dates included, so tests can rely on it.

use std::collections::BTreeMap;

use crate::store::{Named, Project, ProjectRoles, Record, Store, Time, User};
use crate::{ADMIN_PASSWORD, ADMIN_USERNAME, DemoAccount};

/// The accounts of the demo seed, with their passwords.
pub(crate) const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: ADMIN_USERNAME,
        password: ADMIN_PASSWORD,
        role: "site admin (also site manager and site spectator)",
    },
    DemoAccount {
        username: "manager",
        password: "manager-pass",
        role: "site manager (also site spectator)",
    },
    DemoAccount {
        username: "spectator",
        password: "spectator-pass",
        role: "site spectator",
    },
    DemoAccount {
        username: "pat",
        password: "pat-pass",
        role: "manager of gwm, member of timesync",
    },
    DemoAccount {
        username: "alice",
        password: "alice-pass",
        role: "member of gwm and timesync, spectator of pgd",
    },
    DemoAccount {
        username: "bob",
        password: "bob-pass",
        role: "manager of pgd, member of timesync, spectator of gwm",
    },
    DemoAccount {
        username: "carol",
        password: "carol-pass",
        role: "no site or project role",
    },
];

/// `$2a$10$` bcrypt hashes of the passwords above, computed once (hashing at start-up would
/// cost a noticeable time per server in tests).
const PASSWORD_HASHES: &[(&str, &str)] = &[
    (
        ADMIN_USERNAME,
        "$2a$10$FeBgw/f8UZaM.7MJHPzYNu4EEu4NTVt83kv50PMso15noeQFwVE0S",
    ),
    (
        "manager",
        "$2a$10$mqsbR4i2mZXWtyn/9/yIEOwkO2kOaaiNTjWppnlroQGON1figAygu",
    ),
    (
        "spectator",
        "$2a$10$J4o2LDC23m5G7OdPVHIEzOfav16aU1U0MOr8UeyDoTV8LJpAut6ri",
    ),
    (
        "pat",
        "$2a$10$E8sLEkqWUIQ4hWgNuwQfquVo4ql6OQTkrzSFZVnMXSnSHsD82xU9a",
    ),
    (
        "alice",
        "$2a$10$.qyDiLstEPzBaylqXSGmeuxFoFr.q4Qem47tmcA3U1jBMYXudUXh2",
    ),
    (
        "bob",
        "$2a$10$zKiujkcuVZi7CP/Yx0Zdcuu.m5xI7dbg0Vo4mJxjt73K8UNtyJkSq",
    ),
    (
        "carol",
        "$2a$10$Gjp0ctUlKXb.haKfHx7KHegzRe.X9MkoQsuvLVFRE0Xm5IYnzjTxO",
    ),
];

/// The day the seed objects were created.
const SEEDED_ON: &str = "2024-01-08";

/// The first day of the demo times (a Monday); they span four working weeks.
const FIRST_WORKDAY: (i32, u32, u32) = (2024, 3, 4);

/// One site admin and nothing else.
pub(crate) fn empty() -> Store {
    Store {
        users: vec![admin()],
        ..Store::default()
    }
}

/// The documented demo data set.
pub(crate) fn demo() -> Store {
    let roles = vec![
        named(role_uuid(1), "Developer", "developer"),
        named(role_uuid(2), "Systems Administrator", "sysadmin"),
    ];

    let mut users = vec![admin()];
    users.extend([
        user("manager", "Site Manager", |u| {
            u.site_manager = true;
            u.site_spectator = true;
        }),
        user("spectator", "Site Spectator", |u| u.site_spectator = true),
        user("pat", "Pat Lead", |u| u.org_roles = vec![role_uuid(1)]),
        user("alice", "Alice Developer", |u| {
            u.org_roles = vec![role_uuid(1)]
        }),
        user("bob", "Bob Sysadmin", |u| {
            u.org_roles = vec![role_uuid(2), role_uuid(1)];
        }),
        user("carol", "Carol Newcomer", |_| {}),
        user("dave", "Dave Departed", |u| {
            // No known password: a deleted account that shows only with include_deleted.
            u.password = "!".to_owned();
            u.active = false;
            u.deleted_at = Some("2024-02-01".to_owned());
        }),
    ]);
    let mut activities = vec![
        named(activity_uuid(1), "Development", "dev"),
        named(activity_uuid(2), "Documentation", "docs"),
        named(activity_uuid(3), "Code Review", "review"),
        named(activity_uuid(4), "Meetings", "meeting"),
        named(activity_uuid(5), "Systems", "sys"),
    ];
    let mut planning = named(activity_uuid(6), "Planning", "planning");
    planning.deleted_at = Some("2024-02-15".to_owned());
    planning.revisions[0].data.slug = None;
    activities.push(planning);

    let on = |member, spectator, manager| ProjectRoles {
        member,
        spectator,
        manager,
    };
    let gwm = project(
        1,
        "Ganeti Web Manager",
        &["gwm", "ganeti-webmgr"],
        "https://code.osuosl.org/projects/ganeti-webmgr",
        None,
        &[
            ("pat", on(true, true, true)),
            ("alice", on(true, false, false)),
            ("bob", on(false, true, false)),
        ],
    );
    let mut timesync = project(
        2,
        "TimeSync API",
        &["timesync", "ts"],
        "https://github.com/osuosl/timesync",
        Some(activity_uuid(1)),
        &[
            ("pat", on(true, false, false)),
            ("alice", on(true, false, false)),
            ("bob", on(true, false, false)),
        ],
    );
    // A second revision, so that include_revisions has something to show.
    let mut renamed = timesync.data().clone();
    renamed.name = "TimeSync".to_owned();
    timesync.update(renamed, "2024-02-01".to_owned());
    let pgd = project(
        3,
        "Protein Geometry Database",
        &["pgd"],
        "https://code.osuosl.org/projects/pgd",
        None,
        &[
            ("bob", on(true, true, true)),
            ("alice", on(false, true, false)),
        ],
    );
    let mut wiki = project(4, "Old Wiki", &[], "https://wiki.example.org", None, &[]);
    wiki.deleted_at = Some("2024-02-20".to_owned());
    Store {
        users,
        roles,
        projects: vec![gwm, timesync, pgd, wiki],
        activities,
        times: demo_times(),
    }
}

/// Whose time, on which project and activities, for how long, on a day of the week
/// (0 = Monday) of every demo week.
struct Routine {
    user: &'static str,
    project: u32,
    activities: &'static [u32],
    duration: u64,
    weekdays: &'static [u32],
    notes: &'static str,
}

const ROUTINES: &[Routine] = &[
    Routine {
        user: "alice",
        project: 1,
        activities: &[1],
        duration: 7200,
        weekdays: &[0, 1, 2, 3],
        notes: "Worked on the VM list view",
    },
    Routine {
        user: "alice",
        project: 2,
        activities: &[2],
        duration: 3600,
        weekdays: &[4],
        notes: "Wrote API documentation",
    },
    Routine {
        user: "bob",
        project: 3,
        activities: &[5],
        duration: 5400,
        weekdays: &[0, 1, 2, 3, 4],
        notes: "Database server upkeep",
    },
    Routine {
        user: "pat",
        project: 1,
        activities: &[4],
        duration: 1800,
        weekdays: &[0],
        notes: "Weekly planning meeting",
    },
    Routine {
        user: "pat",
        project: 2,
        activities: &[3, 1],
        duration: 3600,
        weekdays: &[1, 3],
        notes: "Reviewed pull requests",
    },
];

/// 52 times over the four working weeks from Monday 2024-03-04 to Friday 2024-03-29; alice's
/// time of 2024-03-05 has a second revision and bob's of 2024-03-08 is deleted.
fn demo_times() -> Vec<Record<Time>> {
    let Some(first) =
        chrono::NaiveDate::from_ymd_opt(FIRST_WORKDAY.0, FIRST_WORKDAY.1, FIRST_WORKDAY.2)
    else {
        return Vec::new();
    };
    let mut times = Vec::new();
    for week in 0..4u32 {
        for weekday in 0..5u32 {
            let date = first + chrono::Days::new(u64::from(week * 7 + weekday));
            let date = date.format("%Y-%m-%d").to_string();
            for routine in ROUTINES.iter().filter(|r| r.weekdays.contains(&weekday)) {
                let number = u32::try_from(times.len()).unwrap_or(u32::MAX) + 1;
                let issue_uri = (routine.project == 1).then(|| {
                    format!(
                        "https://github.com/osuosl/ganeti_webmgr/issues/{}",
                        100 + number
                    )
                });
                let time = Time {
                    duration: routine.duration,
                    user: routine.user.to_owned(),
                    project: project_uuid(routine.project),
                    activities: routine
                        .activities
                        .iter()
                        .map(|&n| activity_uuid(n))
                        .collect(),
                    notes: Some(routine.notes.to_owned()),
                    issue_uri,
                    date_worked: date.clone(),
                };
                let mut record = Record::new(time_uuid(number), date.clone(), time);
                if routine.user == "alice" && date == "2024-03-05" {
                    let mut longer = record.data().clone();
                    longer.duration = 9000;
                    longer.notes =
                        Some("Worked on the VM list view, then fixed its tests".to_owned());
                    record.update(longer, "2024-03-06".to_owned());
                }
                if routine.user == "bob" && date == "2024-03-08" {
                    record.deleted_at = Some("2024-03-11".to_owned());
                }
                times.push(record);
            }
        }
    }
    times
}

fn admin() -> User {
    let mut admin = user(ADMIN_USERNAME, "Site Administrator", |u| {
        u.site_admin = true;
        u.site_manager = true;
        u.site_spectator = true;
    });
    admin.meta = Some("The administrator every seed starts with.".to_owned());
    admin
}

fn user(username: &str, display_name: &str, adjust: impl FnOnce(&mut User)) -> User {
    let password = PASSWORD_HASHES
        .iter()
        .find(|(name, _)| *name == username)
        .map(|(_, hash)| (*hash).to_owned())
        .unwrap_or_else(|| "!".to_owned());
    let mut user = User {
        username: username.to_owned(),
        password,
        display_name: Some(display_name.to_owned()),
        email: Some(format!("{username}@example.com")),
        site_spectator: false,
        site_manager: false,
        site_admin: false,
        active: true,
        meta: None,
        org_roles: Vec::new(),
        created_at: SEEDED_ON.to_owned(),
        updated_at: None,
        deleted_at: None,
    };
    adjust(&mut user);
    user
}

fn named(uuid: String, name: &str, slug: &str) -> Record<Named> {
    let object = Named {
        name: name.to_owned(),
        slug: Some(slug.to_owned()),
    };
    Record::new(uuid, SEEDED_ON.to_owned(), object)
}

fn project(
    number: u32,
    name: &str,
    slugs: &[&str],
    uri: &str,
    default_activity: Option<String>,
    users: &[(&str, ProjectRoles)],
) -> Record<Project> {
    let project = Project {
        name: name.to_owned(),
        uri: Some(uri.to_owned()),
        slugs: slugs.iter().map(|&slug| slug.to_owned()).collect(),
        default_activity,
        users: users
            .iter()
            .map(|&(name, roles)| (name.to_owned(), roles))
            .collect::<BTreeMap<_, _>>(),
    };
    Record::new(project_uuid(number), SEEDED_ON.to_owned(), project)
}

/// Seed uuids read as what they are: `<kind>-0000-4000-8000-<number>`.
fn seed_uuid(kind: u32, number: u32) -> String {
    format!("{kind:08x}-0000-4000-8000-{number:012x}")
}

fn project_uuid(number: u32) -> String {
    seed_uuid(0x9_0000, number)
}

fn activity_uuid(number: u32) -> String {
    seed_uuid(0xa_0000, number)
}

fn time_uuid(number: u32) -> String {
    seed_uuid(0x7_0000, number)
}

fn role_uuid(number: u32) -> String {
    seed_uuid(0xe_0000, number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_password_matches_its_hash() {
        assert_eq!(DEMO_ACCOUNTS.len(), PASSWORD_HASHES.len());
        for account in DEMO_ACCOUNTS {
            let (_, hash) = PASSWORD_HASHES
                .iter()
                .find(|(name, _)| *name == account.username)
                .unwrap_or_else(|| panic!("no hash for {}", account.username));
            assert!(hash.starts_with("$2a$10$"));
            assert!(
                bcrypt::verify(account.password, hash).unwrap_or(false),
                "hash of {} does not match",
                account.username
            );
        }
    }

    #[test]
    fn demo_times_are_as_documented() {
        let store = demo();
        assert_eq!(store.times.len(), 52);
        assert_eq!(store.times.iter().filter(|t| !t.is_live()).count(), 1);
        assert_eq!(
            store
                .times
                .iter()
                .filter(|t| t.revisions.len() == 2)
                .count(),
            1
        );
        let dates: Vec<&str> = store
            .times
            .iter()
            .map(|t| t.data().date_worked.as_str())
            .collect();
        assert_eq!(dates.first(), Some(&"2024-03-04"));
        assert_eq!(dates.last(), Some(&"2024-03-29"));
    }
}
