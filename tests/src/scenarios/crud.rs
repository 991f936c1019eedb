//! Every create, read, update and delete call, for every kind of object.

use std::collections::BTreeSet;

use timesync_core::{
    ActivityQuery, ActivityUpdate, ApiErrorKind, NewActivity, NewOrgRole, NewProject, NewTime,
    NewUser, OrgRoleUpdate, Password, PasswordHash, ProjectQuery, ProjectRoles, ProjectUpdate,
    TimeQuery, TimeUpdate, UserQuery, UserUpdate,
};

use crate::client::{Config, ScenarioClient, expect_api, expect_core};
use crate::support::{
    admin_name, day, hours, logged_in, logged_in_as, make_activity, make_project, make_user, mock,
    slug, slugs, user_credentials, user_password_hash, username,
};

/// Create, read, update (with revisions) and delete a time.
pub fn times_crud<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_activity(&client, "dev");
    make_activity(&client, "docs");
    make_project(&client, "ex", &[]);

    let new = NewTime::new(hours("1h30m"), admin_name(), slug("ex"), day("2024-05-07"))
        .activity(slug("dev"))
        .notes("first")
        .issue_uri("https://example.com/issues/1");
    let created = client.create_time(&new).expect("time created");
    assert_eq!(created.revision, 1);
    assert_eq!(created.duration.as_secs(), 5400);
    assert_eq!(created.user, admin_name());
    assert_eq!(created.project, vec![slug("ex")]);
    assert_eq!(created.activities, vec![slug("dev")]);
    assert_eq!(created.date_worked, day("2024-05-07"));
    assert_eq!(created.notes.as_deref(), Some("first"));
    assert_eq!(
        created.issue_uri.as_deref(),
        Some("https://example.com/issues/1")
    );
    let uuid = created.uuid;

    let read = client.get_time(uuid, false, false).expect("time read");
    assert_eq!(read.uuid, uuid);
    assert_eq!(read.duration, created.duration);
    assert_eq!(read.project, vec![slug("ex")]);
    assert!(read.created_at.is_some());
    assert!(read.updated_at.is_none());
    assert!(read.deleted_at.is_none());
    assert!(read.parents.is_empty());

    let update = TimeUpdate::new()
        .duration(hours("2h"))
        .notes("second")
        .activities(slugs(&["dev", "docs"]));
    let updated = client.update_time(uuid, &update).expect("time updated");
    assert_eq!(updated.uuid, uuid);
    assert_eq!(updated.revision, 2);
    assert_eq!(updated.duration.as_secs(), 7200);
    assert_eq!(updated.notes.as_deref(), Some("second"));
    assert_eq!(updated.activities, vec![slug("dev"), slug("docs")]);
    // Untouched fields keep their values.
    assert_eq!(
        updated.issue_uri.as_deref(),
        Some("https://example.com/issues/1")
    );

    let with_parents = client.get_time(uuid, false, true).expect("revisions");
    assert_eq!(with_parents.revision, 2);
    assert!(with_parents.updated_at.is_some());
    assert_eq!(with_parents.parents.len(), 1);
    let parent = &with_parents.parents[0];
    assert_eq!((parent.revision, parent.duration.as_secs()), (1, 5400));
    assert_eq!(parent.notes.as_deref(), Some("first"));

    let listed = client.list_times(&TimeQuery::new()).expect("times listed");
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].uuid, listed[0].revision), (uuid, 2));
    let listed = client
        .list_times(&TimeQuery::new().include_revisions(true))
        .expect("times listed with revisions");
    assert_eq!(listed[0].parents.len(), 1);

    client.delete_time(uuid).expect("time deleted");
    expect_api(client.get_time(uuid, false, false), ApiErrorKind::NotFound);
    let deleted = client
        .get_time(uuid, true, false)
        .expect("deleted time read");
    assert!(deleted.deleted_at.is_some());
    assert!(
        client
            .list_times(&TimeQuery::new())
            .expect("listed")
            .is_empty()
    );
    let all = client
        .list_times(&TimeQuery::new().include_deleted(true))
        .expect("listed with deleted");
    assert_eq!(all.len(), 1);
    assert!(all[0].deleted_at.is_some());
    expect_api(client.delete_time(uuid), ApiErrorKind::NotFound);
}

/// The filters of `GET /times`, alone and together, and the one refused locally.
pub fn list_times_with_filters<C: ScenarioClient>() {
    let server = mock();
    let admin = logged_in::<C>(&server);
    make_activity(&admin, "dev");
    make_activity(&admin, "docs");
    make_user(&admin, "bob");
    make_project(&admin, "ex", &["bob"]);
    make_project(&admin, "other", &[]);
    let bob = logged_in_as::<C>(&server, user_credentials("bob"));

    let log = |client: &C, who: &str, project: &str, activity: &str, date: &str| {
        let time = NewTime::new(hours("1h"), username(who), slug(project), day(date))
            .activity(slug(activity));
        client.create_time(&time).expect("time created").uuid
    };
    let a1 = log(&admin, "admin", "ex", "dev", "2024-05-06");
    let a2 = log(&admin, "admin", "other", "docs", "2024-05-08");
    let a3 = log(&admin, "admin", "ex", "docs", "2024-05-13");
    let b1 = log(&bob, "bob", "ex", "dev", "2024-05-07");
    let b2 = log(&bob, "bob", "ex", "docs", "2024-05-14");

    let found = |query: TimeQuery| -> BTreeSet<_> {
        admin
            .list_times(&query)
            .expect("times listed")
            .into_iter()
            .map(|time| time.uuid)
            .collect()
    };
    let set = |uuids: &[timesync_core::Uuid]| uuids.iter().copied().collect::<BTreeSet<_>>();

    assert_eq!(found(TimeQuery::new()), set(&[a1, a2, a3, b1, b2]));
    assert_eq!(
        found(TimeQuery::new().user(username("bob"))),
        set(&[b1, b2])
    );
    assert_eq!(
        found(TimeQuery::new().user(username("bob")).user(admin_name())),
        set(&[a1, a2, a3, b1, b2])
    );
    assert_eq!(found(TimeQuery::new().project(slug("other"))), set(&[a2]));
    assert_eq!(
        found(TimeQuery::new().project(slug("other")).project(slug("ex"))),
        set(&[a1, a2, a3, b1, b2])
    );
    assert_eq!(
        found(TimeQuery::new().activity(slug("docs"))),
        set(&[a2, a3, b2])
    );
    assert_eq!(
        found(
            TimeQuery::new()
                .start(day("2024-05-07"))
                .end(day("2024-05-13"))
        ),
        set(&[a2, a3, b1])
    );
    assert_eq!(
        found(TimeQuery::new().start(day("2024-05-13"))),
        set(&[a3, b2])
    );
    assert_eq!(found(TimeQuery::new().end(day("2024-05-06"))), set(&[a1]));
    assert_eq!(
        found(
            TimeQuery::new()
                .user(username("bob"))
                .activity(slug("docs"))
                .project(slug("ex"))
        ),
        set(&[b2])
    );
    // A uuid drops every other filter.
    assert_eq!(
        found(TimeQuery::new().uuid(a2).project(slug("ex"))),
        set(&[a2])
    );
    // Bob sees only his own times.
    let own: BTreeSet<_> = bob
        .list_times(&TimeQuery::new())
        .expect("bob lists")
        .into_iter()
        .map(|time| time.uuid)
        .collect();
    assert_eq!(own, set(&[b1, b2]));

    let before = server.request_count();
    let backwards = TimeQuery::new()
        .start(day("2024-05-14"))
        .end(day("2024-05-13"));
    expect_core(admin.list_times(&backwards));
    assert_eq!(server.request_count(), before, "refused before sending");
}

/// Create, read, rename, re-slug, list members of, and delete a project.
pub fn projects_crud<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_activity(&client, "dev");
    make_user(&client, "bob");

    let new = NewProject::new("Example", slugs(&["ex", "example"]))
        .uri("https://example.com/ex")
        .default_activity(slug("dev"))
        .user(admin_name(), ProjectRoles::manager());
    let created = client.create_project(&new).expect("project created");
    assert_eq!(created.revision, 1);
    assert_eq!(created.name, "Example");
    assert_eq!(created.slugs, vec![slug("ex"), slug("example")]);
    assert_eq!(created.uri.as_deref(), Some("https://example.com/ex"));
    assert_eq!(created.default_activity, Some(slug("dev")));

    let by_first = client.get_project(&slug("ex"), false).expect("by slug");
    let by_second = client
        .get_project(&slug("example"), false)
        .expect("by other slug");
    assert_eq!(by_first.uuid, created.uuid);
    assert_eq!(by_second.uuid, created.uuid);
    let listed = client
        .list_projects(&ProjectQuery::new())
        .expect("projects listed");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].uuid, created.uuid);

    let users = client.project_users(&slug("ex")).expect("members");
    assert_eq!(users.len(), 1);
    assert_eq!(users[&admin_name()], ProjectRoles::manager());

    let mut members = users.clone();
    members.insert(username("bob"), ProjectRoles::member());
    let update = ProjectUpdate::new()
        .name("Renamed")
        .slugs(slugs(&["renamed"]))
        .users(members);
    let updated = client
        .update_project(&slug("ex"), &update)
        .expect("project updated");
    assert_eq!(updated.revision, 2);
    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.slugs, vec![slug("renamed")]);
    assert_eq!(updated.default_activity, Some(slug("dev")));

    expect_api(
        client.get_project(&slug("ex"), false),
        ApiErrorKind::NotFound,
    );
    let users = client.project_users(&slug("renamed")).expect("members");
    assert_eq!(users[&username("bob")], ProjectRoles::member());
    let bobs: Vec<_> = client
        .list_projects(&ProjectQuery::new().user(username("bob")))
        .expect("bob's projects")
        .into_iter()
        .map(|project| project.uuid)
        .collect();
    assert_eq!(bobs, vec![created.uuid]);

    let with_parents = client
        .get_project(&slug("renamed"), true)
        .expect("revisions");
    assert_eq!(with_parents.parents.len(), 1);
    assert_eq!(with_parents.parents[0].name, "Example");
    assert_eq!(with_parents.parents[0].revision, 1);
    let listed = client
        .list_projects(&ProjectQuery::new().include_revisions(true))
        .expect("listed with revisions");
    assert_eq!(listed[0].parents.len(), 1);

    let cleared = client
        .update_project(&slug("renamed"), &ProjectUpdate::new().uri(""))
        .expect("uri cleared");
    assert!(cleared.uri.as_deref().unwrap_or("").is_empty());
    assert_eq!(cleared.default_activity, Some(slug("dev")));

    client
        .delete_project(&slug("renamed"))
        .expect("project deleted");
    expect_api(
        client.get_project(&slug("renamed"), false),
        ApiErrorKind::NotFound,
    );
    assert!(
        client
            .list_projects(&ProjectQuery::new())
            .expect("listed")
            .is_empty()
    );
    let all = client
        .list_projects(&ProjectQuery::new().include_deleted(true))
        .expect("listed with deleted");
    assert_eq!(all.len(), 1);
    assert!(all[0].deleted_at.is_some());
    assert!(all[0].slugs.is_empty(), "deleting frees the slugs");
    // So the slug can be used again.
    client
        .create_project(&NewProject::new("Again", slugs(&["renamed"])))
        .expect("slug reused");
}

/// `ProjectUpdate::default_activity(None)` takes the default activity away.
pub fn project_default_activity_can_be_cleared<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_activity(&client, "dev");
    let new = NewProject::new("Example", slugs(&["ex"])).default_activity(slug("dev"));
    client.create_project(&new).expect("project created");

    let cleared = client
        .update_project(&slug("ex"), &ProjectUpdate::new().default_activity(None))
        .expect("default activity cleared");
    assert_eq!(cleared.default_activity, None);
    assert_eq!(
        client
            .get_project(&slug("ex"), false)
            .expect("read")
            .default_activity,
        None
    );
}

/// Create, read, rename, re-slug and delete an activity.
pub fn activities_crud<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);

    let created = client
        .create_activity(&NewActivity::new("Development", slug("dev")))
        .expect("activity created");
    assert_eq!(created.revision, 1);
    assert_eq!(created.name, "Development");
    assert_eq!(created.slug, Some(slug("dev")));

    let read = client.get_activity(&slug("dev"), false).expect("read");
    assert_eq!(read.uuid, created.uuid);
    let listed = client
        .list_activities(&ActivityQuery::new())
        .expect("activities listed");
    assert_eq!(listed.len(), 1);

    let updated = client
        .update_activity(
            &slug("dev"),
            &ActivityUpdate::new().name("Coding").slug(slug("code")),
        )
        .expect("activity updated");
    assert_eq!(updated.revision, 2);
    assert_eq!(updated.name, "Coding");
    assert_eq!(updated.slug, Some(slug("code")));
    expect_api(
        client.get_activity(&slug("dev"), false),
        ApiErrorKind::NotFound,
    );
    let with_parents = client.get_activity(&slug("code"), true).expect("revisions");
    assert_eq!(with_parents.parents.len(), 1);
    assert_eq!(with_parents.parents[0].name, "Development");
    let listed = client
        .list_activities(&ActivityQuery::new().include_revisions(true))
        .expect("listed with revisions");
    assert_eq!(listed[0].parents.len(), 1);

    client
        .delete_activity(&slug("code"))
        .expect("activity deleted");
    expect_api(
        client.get_activity(&slug("code"), false),
        ApiErrorKind::NotFound,
    );
    assert!(
        client
            .list_activities(&ActivityQuery::new())
            .expect("listed")
            .is_empty()
    );
    let all = client
        .list_activities(&ActivityQuery::new().include_deleted(true))
        .expect("listed with deleted");
    assert_eq!(all.len(), 1);
    assert!(all[0].deleted_at.is_some());
    assert_eq!(all[0].slug, None, "a deleted activity has no slug");
    client
        .create_activity(&NewActivity::new("Code again", slug("code")))
        .expect("slug reused");
}

/// Create a user with a bcrypt hash and log in as them; update, change the password, delete.
pub fn users_crud<C: ScenarioClient>() {
    let server = mock();
    let admin = logged_in::<C>(&server);

    let new = NewUser::new(username("bob"), user_password_hash())
        .display_name("Bob")
        .email("bob@example.com");
    let created = admin.create_user(&new).expect("user created");
    assert_eq!(created.username, username("bob"));
    assert_eq!(created.display_name.as_deref(), Some("Bob"));
    assert!(created.active);
    assert!(!created.site_admin && !created.site_manager && !created.site_spectator);
    assert!(created.created_at.is_some());

    let bob = C::build(Config::new(server.base_url())).expect("client builds");
    bob.authenticate(user_credentials("bob"))
        .expect("the new user logs in");

    let read = admin.get_user(&username("bob")).expect("user read");
    assert_eq!(read.email.as_deref(), Some("bob@example.com"));
    let names: BTreeSet<_> = admin
        .list_users(&UserQuery::new())
        .expect("users listed")
        .into_iter()
        .map(|user| user.username)
        .collect();
    assert_eq!(names, BTreeSet::from([admin_name(), username("bob")]));

    // Users may change their own details.
    let own = bob
        .update_user(&username("bob"), &UserUpdate::new().display_name("Robert"))
        .expect("own update");
    assert_eq!(own.display_name.as_deref(), Some("Robert"));

    let new_password = "a new and longer secret";
    let hash = PasswordHash::bcrypt(&Password::new(new_password)).expect("hash");
    admin
        .update_user(
            &username("bob"),
            &UserUpdate::new().password(hash).email("robert@example.com"),
        )
        .expect("password changed");
    let fresh = C::build(Config::new(server.base_url())).expect("client builds");
    expect_api(
        fresh.authenticate(user_credentials("bob")),
        ApiErrorKind::AuthenticationFailure,
    );
    fresh
        .authenticate(timesync_core::Credentials::password(
            username("bob"),
            new_password,
        ))
        .expect("login with the new password");
    let read = admin.get_user(&username("bob")).expect("user read");
    assert_eq!(read.display_name.as_deref(), Some("Robert"));
    assert_eq!(read.email.as_deref(), Some("robert@example.com"));

    admin.delete_user(&username("bob")).expect("user deleted");
    let names: Vec<_> = admin
        .list_users(&UserQuery::new())
        .expect("users listed")
        .into_iter()
        .map(|user| user.username)
        .collect();
    assert_eq!(names, vec![admin_name()]);
    let all = admin
        .list_users(&UserQuery::new().include_deleted(true))
        .expect("listed with deleted");
    let deleted = all
        .iter()
        .find(|user| user.username == username("bob"))
        .expect("bob is listed with include_deleted");
    assert!(deleted.deleted_at.is_some());
    let gone = C::build(Config::new(server.base_url())).expect("client builds");
    expect_api(
        gone.authenticate(timesync_core::Credentials::password(
            username("bob"),
            new_password,
        )),
        ApiErrorKind::AuthenticationFailure,
    );
}

/// Create, read, rename and delete an organisation role, and filter users by it.
pub fn org_roles_crud<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);

    let created = client
        .create_org_role(&NewOrgRole::new("Staff", slug("staff")))
        .expect("role created");
    assert_eq!(created.name, "Staff");
    assert_eq!(created.slug, Some(slug("staff")));
    client
        .create_org_role(&NewOrgRole::new("Students", slug("student")))
        .expect("role created");

    let read = client.get_org_role(&slug("staff")).expect("role read");
    assert_eq!(read.name, "Staff");
    let listed = client.list_org_roles().expect("roles listed");
    assert_eq!(listed.len(), 2);

    let updated = client
        .update_org_role(&slug("staff"), &OrgRoleUpdate::new().name("Paid staff"))
        .expect("role updated");
    assert_eq!(updated.name, "Paid staff");
    assert_eq!(
        client.get_org_role(&slug("staff")).expect("role read").name,
        "Paid staff"
    );

    let mut user = NewUser::new(username("sam"), user_password_hash());
    user.org_roles.push(slug("staff"));
    let created_user = client.create_user(&user).expect("user with a role");
    assert_eq!(created_user.org_roles, vec![slug("staff")]);
    make_user(&client, "sue");
    let staff: Vec<_> = client
        .list_users(&UserQuery::new().role(slug("staff")))
        .expect("users by role")
        .into_iter()
        .map(|user| user.username)
        .collect();
    assert_eq!(staff, vec![username("sam")]);

    client
        .delete_org_role(&slug("student"))
        .expect("role deleted");
    expect_api(
        client.get_org_role(&slug("student")),
        ApiErrorKind::NotFound,
    );
    assert_eq!(client.list_org_roles().expect("roles listed").len(), 1);
}
