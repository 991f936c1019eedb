//! Every kind of TimeSync error that the typed API can provoke, each read into its typed form.
//!
//! Two kinds cannot be provoked through the clients, by construction: `InvalidIdentifier` (a
//! malformed slug, uuid or username in a path) and the `Invalid username` of a new user with
//! bad characters, because `Slug`, `parse_uuid` and `Username` refuse those values before a
//! request exists. [`malformed_identifiers_are_refused_locally`] shows the refusals; the one
//! server-side `Invalid username` left, the reserved name `org-roles`, is provoked.

use timesync_core::{
    ActivityUpdate, ApiErrorKind, Error, NewActivity, NewOrgRole, NewProject, NewTime, NewUser,
    ProjectQuery, ProjectRoles, ProjectUpdate, Slug, TimeQuery, UserQuery, UserUpdate, Username,
    parse_uuid,
};
use timesync_mock::{Fault, FaultCount};

use crate::client::{ScenarioClient, expect_api};
use crate::support::{
    admin_name, day, demo, demo_credentials, hours, logged_in, logged_in_as, make_activity,
    make_project, make_user, mock, slug, slugs, user_password_hash, username,
};

const MISSING_UUID: &str = "00000000-0000-4000-8000-000000000000";

/// `Object not found` (404) from every kind of look-up, update and delete.
pub fn not_found<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    let uuid = parse_uuid(MISSING_UUID).expect("a uuid");
    let nope = slug("nope");

    let errors = [
        expect_api(client.get_time(uuid, true, true), ApiErrorKind::NotFound),
        expect_api(
            client.update_time(uuid, &timesync_core::TimeUpdate::new().notes("x")),
            ApiErrorKind::NotFound,
        ),
        expect_api(client.delete_time(uuid), ApiErrorKind::NotFound),
        expect_api(client.get_project(&nope, false), ApiErrorKind::NotFound),
        expect_api(client.project_users(&nope), ApiErrorKind::NotFound),
        expect_api(
            client.update_project(&nope, &ProjectUpdate::new().name("x")),
            ApiErrorKind::NotFound,
        ),
        expect_api(client.delete_project(&nope), ApiErrorKind::NotFound),
        expect_api(client.get_activity(&nope, true), ApiErrorKind::NotFound),
        expect_api(
            client.update_activity(&nope, &ActivityUpdate::new().name("x")),
            ApiErrorKind::NotFound,
        ),
        expect_api(client.delete_activity(&nope), ApiErrorKind::NotFound),
        expect_api(client.get_user(&username("nobody")), ApiErrorKind::NotFound),
        expect_api(
            client.update_user(&username("nobody"), &UserUpdate::new().display_name("x")),
            ApiErrorKind::NotFound,
        ),
        expect_api(
            client.delete_user(&username("nobody")),
            ApiErrorKind::NotFound,
        ),
        expect_api(client.get_org_role(&nope), ApiErrorKind::NotFound),
        expect_api(
            client.update_org_role(&nope, &timesync_core::OrgRoleUpdate::new().name("x")),
            ApiErrorKind::NotFound,
        ),
        expect_api(client.delete_org_role(&nope), ApiErrorKind::NotFound),
    ];
    for error in errors {
        assert_eq!(error.status, 404);
        assert!(error.text.is_some());
    }
}

/// `Bad object` (400): a time without activities on a project without a default, a project
/// uri that is not a web address.
pub fn bad_object<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_project(&client, "ex", &[]);

    let time = NewTime::new(hours("1h"), admin_name(), slug("ex"), day("2024-05-06"));
    let error = expect_api(client.create_time(&time), ApiErrorKind::BadObject);
    assert_eq!(error.status, 400);
    assert!(
        error.text.as_deref().unwrap_or("").contains("activities"),
        "{error}"
    );

    let project = NewProject::new("Bad", slugs(&["bad"])).uri("not a web address");
    let error = expect_api(client.create_project(&project), ApiErrorKind::BadObject);
    assert!(
        error.text.as_deref().unwrap_or("").contains("uri"),
        "{error}"
    );
    expect_api(
        client.get_project(&slug("bad"), false),
        ApiErrorKind::NotFound,
    );
}

/// `Authorization failure` (401) for a user without site or project roles, on every kind of
/// write.
pub fn authorization_failure<C: ScenarioClient>() {
    let server = demo();
    let carol = logged_in_as::<C>(&server, demo_credentials("carol"));

    let writes = [
        expect_api(
            carol.create_project(&NewProject::new("Mine", slugs(&["mine"]))),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.update_project(&slug("gwm"), &ProjectUpdate::new().name("Taken")),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.delete_project(&slug("pgd")),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.create_activity(&NewActivity::new("Naps", slug("naps"))),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.delete_activity(&slug("docs")),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.create_user(&NewUser::new(username("eve"), user_password_hash())),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.update_user(&username("alice"), &UserUpdate::new().display_name("x")),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.delete_user(&username("alice")),
            ApiErrorKind::AuthorizationFailure,
        ),
        expect_api(
            carol.create_org_role(&NewOrgRole::new("Boss", slug("boss"))),
            ApiErrorKind::AuthorizationFailure,
        ),
        // Carol is no member of gwm.
        expect_api(
            carol.create_time(
                &NewTime::new(
                    hours("1h"),
                    username("carol"),
                    slug("gwm"),
                    day("2024-03-04"),
                )
                .activity(slug("dev")),
            ),
            ApiErrorKind::AuthorizationFailure,
        ),
    ];
    for error in writes {
        assert_eq!(error.status, 401);
    }
    // Reading is allowed.
    carol
        .list_projects(&ProjectQuery::new())
        .expect("carol reads projects");
    carol
        .get_user(&username("alice"))
        .expect("carol reads users");

    // A site manager may not make an admin.
    let manager = logged_in_as::<C>(&server, demo_credentials("manager"));
    let mut boss = NewUser::new(username("boss"), user_password_hash());
    boss.site_admin = true;
    expect_api(
        manager.create_user(&boss),
        ApiErrorKind::AuthorizationFailure,
    );
}

/// `Slug already exists` (409) lists the slugs that are taken, for projects, activities and
/// org roles.
pub fn slug_exists_lists_the_taken_slugs<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    client
        .create_project(&NewProject::new("One", slugs(&["one", "uno"])))
        .expect("project created");

    let error = expect_api(
        client.create_project(&NewProject::new("Two", slugs(&["two", "uno"]))),
        ApiErrorKind::SlugExists,
    );
    assert_eq!(error.status, 409);
    assert_eq!(error.values, vec!["uno".to_owned()]);

    let error = expect_api(
        client.create_project(&NewProject::new("Three", slugs(&["one", "three", "uno"]))),
        ApiErrorKind::SlugExists,
    );
    let mut values = error.values.clone();
    values.sort();
    assert_eq!(values, vec!["one".to_owned(), "uno".to_owned()]);

    client
        .create_project(&NewProject::new("Two", slugs(&["two"])))
        .expect("project created");
    let error = expect_api(
        client.update_project(&slug("two"), &ProjectUpdate::new().slugs(slugs(&["one"]))),
        ApiErrorKind::SlugExists,
    );
    assert_eq!(error.values, vec!["one".to_owned()]);

    make_activity(&client, "dev");
    let error = expect_api(
        client.create_activity(&NewActivity::new("Again", slug("dev"))),
        ApiErrorKind::SlugExists,
    );
    assert_eq!(error.values, vec!["dev".to_owned()]);

    client
        .create_org_role(&NewOrgRole::new("Staff", slug("staff")))
        .expect("role created");
    let error = expect_api(
        client.create_org_role(&NewOrgRole::new("Staff again", slug("staff"))),
        ApiErrorKind::SlugExists,
    );
    assert_eq!(error.values, vec!["staff".to_owned()]);
}

/// `Username already exists` (409), also for the name of a deleted user. The reserved name
/// `org-roles`, which the server answers with `Invalid username` (401), is refused locally.
pub fn username_exists<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_user(&client, "bob");

    let again = NewUser::new(username("bob"), user_password_hash());
    let error = expect_api(client.create_user(&again), ApiErrorKind::UsernameExists);
    assert_eq!(error.status, 409);
    assert_eq!(error.values, vec!["bob".to_owned()]);

    client.delete_user(&username("bob")).expect("user deleted");
    expect_api(client.create_user(&again), ApiErrorKind::UsernameExists);

    // Its path is that of the org roles, so no user can have that name.
    assert!(timesync_core::Username::new("org-roles").is_err());
}

/// `Invalid foreign key` (409): a time on a project or with an activity that does not exist,
/// a project with an unknown default activity or member, a user with an unknown role.
pub fn invalid_foreign_key<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_activity(&client, "dev");
    make_project(&client, "ex", &[]);

    let time = |project: &str, activity: &str| {
        NewTime::new(hours("1h"), admin_name(), slug(project), day("2024-05-06"))
            .activity(slug(activity))
    };
    let errors = [
        expect_api(
            client.create_time(&time("ex", "nosuch")),
            ApiErrorKind::InvalidForeignKey,
        ),
        expect_api(
            client.create_time(&time("nosuch", "dev")),
            ApiErrorKind::InvalidForeignKey,
        ),
        expect_api(
            client.create_project(
                &NewProject::new("P", slugs(&["p"])).default_activity(slug("nosuch")),
            ),
            ApiErrorKind::InvalidForeignKey,
        ),
        expect_api(
            client.create_project(
                &NewProject::new("Q", slugs(&["q"]))
                    .user(username("nobody"), ProjectRoles::member()),
            ),
            ApiErrorKind::InvalidForeignKey,
        ),
        {
            let mut user = NewUser::new(username("sam"), user_password_hash());
            user.org_roles.push(slug("nosuch"));
            expect_api(client.create_user(&user), ApiErrorKind::InvalidForeignKey)
        },
    ];
    for error in errors {
        assert_eq!(error.status, 409);
    }
}

/// `Method not allowed` (405): deleting a project or an activity that a live time uses.
pub fn method_not_allowed_for_objects_in_use<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_activity(&client, "dev");
    make_project(&client, "ex", &[]);
    let time = NewTime::new(hours("1h"), admin_name(), slug("ex"), day("2024-05-06"))
        .activity(slug("dev"));
    let uuid = client.create_time(&time).expect("time created").uuid;

    let error = expect_api(
        client.delete_project(&slug("ex")),
        ApiErrorKind::MethodNotAllowed,
    );
    assert_eq!(error.status, 405);
    expect_api(
        client.delete_activity(&slug("dev")),
        ApiErrorKind::MethodNotAllowed,
    );

    // Once the time is gone, both may go.
    client.delete_time(uuid).expect("time deleted");
    client.delete_project(&slug("ex")).expect("project deleted");
    client
        .delete_activity(&slug("dev"))
        .expect("activity deleted");
}

/// `Bad query value` (400): filtering by a user, project or activity that does not exist.
pub fn bad_query_value<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_project(&client, "ex", &[]);

    let errors = [
        expect_api(
            client.list_times(&TimeQuery::new().user(username("nobody"))),
            ApiErrorKind::BadQueryValue,
        ),
        expect_api(
            client.list_times(&TimeQuery::new().project(slug("nosuch"))),
            ApiErrorKind::BadQueryValue,
        ),
        expect_api(
            client.list_times(&TimeQuery::new().activity(slug("nosuch"))),
            ApiErrorKind::BadQueryValue,
        ),
        expect_api(
            client.list_projects(&ProjectQuery::new().user(username("nobody"))),
            ApiErrorKind::BadQueryValue,
        ),
        expect_api(
            client.list_users(&UserQuery::new().role(slug("nosuch"))),
            ApiErrorKind::BadQueryValue,
        ),
    ];
    for error in errors {
        assert_eq!(error.status, 400);
    }
}

/// `Server error` (500) with the reference's body, and the server carries on afterwards.
pub fn server_error<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    server.inject(Fault::ServerError, FaultCount::Next(1));
    let error = expect_api(
        client.list_projects(&ProjectQuery::new()),
        ApiErrorKind::ServerError,
    );
    assert_eq!(error.status, 500);
    client
        .list_projects(&ProjectQuery::new())
        .expect("the next call works");
}

/// Malformed slugs, uuids, usernames and dates never become requests: the types refuse them.
pub fn malformed_identifiers_are_refused_locally() {
    for bad in ["GWM", "a--b", "-ab", "my_proj", "1", "", "has space", "a/b"] {
        assert!(
            matches!(Slug::new(bad), Err(Error::InvalidSlug { .. })),
            "{bad:?}"
        );
    }
    for bad in ["", "has space", "dotted.name", "a/b", "ü"] {
        assert!(
            matches!(Username::new(bad), Err(Error::InvalidUsername { .. })),
            "{bad:?}"
        );
    }
    for bad in [
        "",
        "nope",
        "00000000-0000-4000-8000-00000000000",
        "../times",
    ] {
        assert!(
            matches!(parse_uuid(bad), Err(Error::InvalidUuid(_))),
            "{bad:?}"
        );
    }
    assert!(matches!(
        timesync_core::SlugList::new(Vec::new()),
        Err(Error::InvalidValue { .. })
    ));
    assert!(timesync_core::Duration::from_secs(0).is_err());
    assert!("0h".parse::<timesync_core::Duration>().is_err());
}
