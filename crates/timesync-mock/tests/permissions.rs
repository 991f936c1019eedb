//! The spec's permission rules, role by role, on the demo data set.

mod common;

use common::{Api, strings};
use serde_json::json;
use timesync_mock::{MockServer, Seed};

const ALICE_GWM_TIME: &str = "00070000-0000-4000-8000-000000000001";
const PAT_TS_TIME: &str = "00070000-0000-4000-8000-000000000006";

fn demo() -> Api {
    Api::new(
        MockServer::builder()
            .seed(Seed::Demo)
            .start()
            .expect("server starts"),
    )
}

fn visible_users(api: &Api, token: &str) -> Vec<String> {
    let mut users = strings(&api.get(token, "/times?limit=0").ok(), "user");
    users.sort();
    users.dedup();
    users
}

fn count(api: &Api, token: &str) -> usize {
    api.get(token, "/times?limit=0")
        .ok()
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn who_sees_which_times() {
    let api = demo();
    // Site admins, managers and spectators see everything.
    for site_role in ["admin", "manager", "spectator"] {
        let token = api.token(site_role);
        assert_eq!(count(&api, &token), 51, "{site_role}");
    }
    // carol has no role: her own times only (none).
    let carol = api.token("carol");
    assert_eq!(count(&api, &carol), 0);
    api.get(&carol, &format!("/times/{ALICE_GWM_TIME}"))
        .assert_error(
            401,
            "Authorization failure",
            &format!("carol is not authorized to view time {ALICE_GWM_TIME}"),
        );
    // alice: her own, and pgd's as its spectator (not pat's gwm times: she is only a member).
    let alice = api.token("alice");
    assert_eq!(count(&api, &alice), 20 + 19);
    assert_eq!(visible_users(&api, &alice), ["alice", "bob"]);
    api.get(&alice, &format!("/times/{PAT_TS_TIME}"))
        .assert_error(
            401,
            "Authorization failure",
            &format!("alice is not authorized to view time {PAT_TS_TIME}"),
        );
    // bob: his own, and gwm's as its spectator.
    let bob = api.token("bob");
    assert_eq!(count(&api, &bob), 19 + 16 + 4);
    // pat: his own, and gwm's as its manager.
    let pat = api.token("pat");
    assert_eq!(count(&api, &pat), 12 + 16);
    api.get(&pat, &format!("/times/{ALICE_GWM_TIME}")).ok();
    // Filters never widen what one may see.
    let filtered = api.get(&carol, "/times?user=alice&limit=0").ok();
    assert_eq!(filtered, json!([]));
}

#[test]
fn who_logs_time_where() {
    let api = demo();
    let time = |user: &str, project: &str| {
        json!({"duration": 60, "user": user, "project": project, "activities": ["dev"],
               "date_worked": "2024-04-01"})
    };
    let alice = api.token("alice");
    api.post(&alice, "/times", time("alice", "gwm")).ok();
    // bob is only a spectator of gwm.
    let bob = api.token("bob");
    api.post(&bob, "/times", time("bob", "gwm")).assert_error(
        401,
        "Authorization failure",
        "bob is not authorized to create time entries for project gwm",
    );
    let carol = api.token("carol");
    api.post(&carol, "/times", time("carol", "pgd"))
        .assert_error(
            401,
            "Authorization failure",
            "carol is not authorized to create time entries for project pgd",
        );
    // Site admins may log time anywhere; site managers only where they are members.
    let admin = api.token("admin");
    api.post(&admin, "/times", time("admin", "pgd")).ok();
    let manager = api.token("manager");
    api.post(&manager, "/times", time("manager", "pgd"))
        .assert_error(
            401,
            "Authorization failure",
            "manager is not authorized to create time entries for project pgd",
        );
    // Nobody logs time for someone else, not even an admin.
    api.post(&admin, "/times", time("alice", "gwm"))
        .assert_error(
            401,
            "Authorization failure",
            "admin is not authorized to create time entries for alice",
        );
}

#[test]
fn who_updates_and_deletes_times() {
    let api = demo();
    let path = format!("/times/{ALICE_GWM_TIME}");
    for other in ["bob", "pat", "admin", "manager"] {
        let token = api.token(other);
        api.post(&token, &path, json!({"duration": 1}))
            .assert_error(
                401,
                "Authorization failure",
                &format!("{other} is not authorized to update time {ALICE_GWM_TIME}"),
            );
    }
    let alice = api.token("alice");
    api.post(&alice, &path, json!({"user": "bob"}))
        .assert_error(
            401,
            "Authorization failure",
            "alice is not authorized to create time entries for bob",
        );
    api.post(&alice, &path, json!({"user": "alice", "duration": 1}))
        .ok();

    // Deleting: the author, site managers and admins; not project managers.
    for other in ["pat", "carol", "spectator"] {
        let token = api.token(other);
        api.delete(&token, &path).assert_error(
            401,
            "Authorization failure",
            &format!("{other} is not authorized to delete time {ALICE_GWM_TIME}"),
        );
    }
    let manager = api.token("manager");
    api.delete(&manager, &path).assert_deleted();
    let pat = api.token("pat");
    api.delete(&pat, &format!("/times/{PAT_TS_TIME}"))
        .assert_deleted();
}

#[test]
fn who_manages_projects() {
    let api = demo();
    let project = |slug: &str| json!({"name": format!("Project {slug}"), "slugs": [slug]});
    for user in ["pat", "alice", "spectator", "carol"] {
        let token = api.token(user);
        api.post(&token, "/projects", project("nope")).assert_error(
            401,
            "Authorization failure",
            &format!("{user} is not authorized to create projects"),
        );
    }
    let manager = api.token("manager");
    api.post(
        &manager,
        "/projects",
        json!({"name": "Managed", "slugs": ["managed"],
               "users": {"carol": {"member": true, "spectator": false, "manager": true}}}),
    )
    .ok();
    let admin = api.token("admin");
    api.post(&admin, "/projects", project("by-admin")).ok();

    // Project managers update their project, membership included.
    let pat = api.token("pat");
    let updated = api
        .post(
            &pat,
            "/projects/gwm",
            json!({"users": {"pat": {"member": true, "spectator": true, "manager": true},
                              "carol": {"member": true, "spectator": false, "manager": false}}}),
        )
        .ok();
    assert_eq!(updated["users"]["carol"]["member"], true);
    assert!(updated["users"].get("alice").is_none());
    let carol = api.token("carol");
    api.post(
        &carol,
        "/times",
        json!({"duration": 60, "user": "carol", "project": "gwm", "activities": ["dev"],
               "date_worked": "2024-04-01"}),
    )
    .ok();
    api.post(&pat, "/projects/pgd", json!({"name": "Mine now"}))
        .assert_error(
            401,
            "Authorization failure",
            "pat is not authorized to update project pgd",
        );
    let alice = api.token("alice");
    api.post(&alice, "/projects/ts", json!({"name": "x"}))
        .assert_error(
            401,
            "Authorization failure",
            "alice is not authorized to update project ts",
        );
    api.post(
        &manager,
        "/projects/pgd",
        json!({"uri": "https://example.org/pgd"}),
    )
    .ok();

    // Deleting: project managers and site managers.
    api.delete(&alice, "/projects/gwm").assert_error(
        401,
        "Authorization failure",
        "alice is not authorized to delete project gwm",
    );
    api.delete(&carol, "/projects/managed").assert_deleted();
    api.delete(&manager, "/projects/by-admin").assert_deleted();
}

#[test]
fn who_manages_activities_and_org_roles() {
    let api = demo();
    for user in ["pat", "spectator", "carol"] {
        let token = api.token(user);
        api.post(
            &token,
            "/activities",
            json!({"name": "Nope", "slug": "nope"}),
        )
        .assert_error(
            401,
            "Authorization failure",
            &format!("{user} is not authorized to create activities"),
        );
        api.post(&token, "/activities/dev", json!({"name": "Nope"}))
            .assert_error(
                401,
                "Authorization failure",
                &format!("{user} is not authorized to update activity dev"),
            );
        api.delete(&token, "/activities/dev").assert_error(
            401,
            "Authorization failure",
            &format!("{user} is not authorized to delete activity dev"),
        );
        api.post(
            &token,
            "/users/org-roles",
            json!({"name": "Nope", "slug": "nope"}),
        )
        .assert_error(
            401,
            "Authorization failure",
            &format!("{user} is not authorized to create org roles"),
        );
        api.post(
            &token,
            "/users/org-roles/developer",
            json!({"name": "Nope"}),
        )
        .assert_error(
            401,
            "Authorization failure",
            &format!("{user} is not authorized to update org role developer"),
        );
        api.delete(&token, "/users/org-roles/developer")
            .assert_error(
                401,
                "Authorization failure",
                &format!("{user} is not authorized to delete org role developer"),
            );
    }
    let manager = api.token("manager");
    api.post(
        &manager,
        "/activities",
        json!({"name": "Support", "slug": "support"}),
    )
    .ok();
    api.post(
        &manager,
        "/activities/support",
        json!({"name": "User Support"}),
    )
    .ok();
    api.delete(&manager, "/activities/support").assert_deleted();
    api.post(
        &manager,
        "/users/org-roles",
        json!({"name": "Lead", "slug": "lead"}),
    )
    .ok();
    api.delete(&manager, "/users/org-roles/lead")
        .assert_deleted();
}

#[test]
fn who_manages_users() {
    let api = demo();
    let user = |name: &str| json!({"username": name, "password": common::hash("pw")});
    for who in ["alice", "spectator", "pat"] {
        let token = api.token(who);
        api.post(&token, "/users", user("nope")).assert_error(
            401,
            "Authorization failure",
            &format!("{who} is not authorized to create users"),
        );
    }
    // Site managers create users (the reference wants admin and manager), but only admins
    // grant site_admin or site_manager.
    let manager = api.token("manager");
    api.post(&manager, "/users", user("by-manager")).ok();
    let mut promoted = user("promoted");
    promoted["site_manager"] = json!(true);
    api.post(&manager, "/users", promoted.clone()).assert_error(
        401,
        "Authorization failure",
        "manager is not authorized to set the site_manager field of user promoted",
    );
    let admin = api.token("admin");
    let created = api.post(&admin, "/users", promoted).ok();
    assert_eq!(created["site_manager"], true);

    // Users update themselves, but not their permissions.
    let carol = api.token("carol");
    api.post(
        &carol,
        "/users/carol",
        json!({"display_name": "Carol C.", "email": "c@example.com"}),
    )
    .ok();
    for (field, value) in [
        ("site_spectator", json!(true)),
        ("site_manager", json!(true)),
        ("site_admin", json!(true)),
        ("active", json!(false)),
        ("org-roles", json!(["developer"])),
    ] {
        api.post(&carol, "/users/carol", json!({field: value}))
            .assert_error(
                401,
                "Authorization failure",
                &format!("carol is not authorized to set the {field} field of user carol"),
            );
    }
    // Sending the current value is not a change.
    api.post(
        &carol,
        "/users/carol",
        json!({"site_admin": false, "org-roles": []}),
    )
    .ok();
    api.post(&carol, "/users/alice", json!({"display_name": "x"}))
        .assert_error(
            401,
            "Authorization failure",
            "carol is not authorized to update user alice",
        );
    // Site managers change site_spectator, active and org roles; admins everything.
    api.post(
        &manager,
        "/users/carol",
        json!({"site_spectator": true, "active": false, "org-roles": ["sysadmin"]}),
    )
    .ok();
    api.post(&manager, "/users/carol", json!({"site_admin": true}))
        .assert_error(
            401,
            "Authorization failure",
            "manager is not authorized to set the site_admin field of user carol",
        );
    let carol_now = api
        .post(&admin, "/users/carol", json!({"site_manager": true}))
        .ok();
    assert_eq!(carol_now["site_manager"], true);
    assert_eq!(carol_now["site_spectator"], true);
    assert_eq!(carol_now["org-roles"], json!(["sysadmin"]));

    // Only admins delete users.
    api.delete(&manager, "/users/alice").assert_error(
        401,
        "Authorization failure",
        "manager is not authorized to delete user alice",
    );
    api.delete(&admin, "/users/alice").assert_deleted();
}
