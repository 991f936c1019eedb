//! Golden tests of built requests: method, full URI, headers and JSON body of every [`Api`]
//! operation, and the query strings of every filter.

mod common;

use serde_json::{Value, json};
use timesync_core::http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use timesync_core::http::{Method, Request};
use timesync_core::{
    ActivityQuery, ActivityUpdate, Api, Credentials, DEFAULT_USER_AGENT, Error, NewActivity,
    NewOrgRole, NewProject, NewTime, NewUser, OrgRoleUpdate, Page, Password, PasswordHash,
    ProjectQuery, ProjectRoles, ProjectUpdate, SlugList, TimeQuery, TimeUpdate, UserQuery,
    UserUpdate, parse_uuid,
};

use common::{PASSWORD, TOKEN, TOKEN_ENCODED, date, slug, token, user};

const UUID: &str = "5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13";

/// One operation: the request it built and what it must look like.
struct Golden {
    name: &'static str,
    request: Request<Vec<u8>>,
    method: Method,
    /// Everything after the base URL: path and query.
    uri: String,
    /// The JSON body of a POST; `None` for an empty body.
    body: Option<Value>,
}

fn salt_hash() -> PasswordHash {
    PasswordHash::bcrypt_with_salt(&Password::new("new user's password"), [9; 16]).unwrap()
}

/// Every operation of [`Api`], built with made-up values, with its expected request.
fn every_operation(api: &Api) -> Vec<Golden> {
    let t = token();
    let uuid = parse_uuid(UUID).unwrap();
    let q = TOKEN_ENCODED;
    let envelope =
        |object: Value| json!({"auth": {"type": "token", "token": TOKEN}, "object": object});
    let hash = salt_hash();

    let new_time = NewTime::new(
        "1h30m".parse().unwrap(),
        user("alice"),
        slug("ex"),
        date("2024-05-07"),
    )
    .activity(slug("dev"))
    .activity(slug("docs"))
    .notes("pair-programmed ✓ \"quoted\"")
    .issue_uri("https://git.example.org/ex/issues/7");
    let mut time_update = TimeUpdate::new()
        .duration("2h".parse().unwrap())
        .activities(SlugList::parse(["dev"]).unwrap())
        .notes("");
    time_update.user = Some(user("bob"));
    let new_project = NewProject::new("Example", SlugList::parse(["ex", "example"]).unwrap())
        .uri("https://example.org/ex")
        .default_activity(slug("dev"))
        .user(user("alice"), ProjectRoles::manager())
        .user(user("bob"), ProjectRoles::member());
    let project_update = ProjectUpdate::new()
        .name("Example, renamed")
        .default_activity(None);
    let new_user = NewUser::new(user("new~user"), hash.clone())
        .display_name("New User")
        .email("new@example.org");
    let mut user_update = UserUpdate::new().display_name("");
    user_update.site_spectator = Some(true);
    user_update.org_roles = Some(vec![slug("staff")]);
    let mut org_role_update = OrgRoleUpdate::new().name("Staff members");
    org_role_update.slug = Some(slug("employees"));

    vec![
        Golden {
            name: "login with a password",
            request: api
                .login(&Credentials::password(user("alice"), PASSWORD))
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/login".to_owned(),
            body: Some(
                json!({"auth": {"type": "password", "username": "alice", "password": PASSWORD}}),
            ),
        },
        Golden {
            name: "login with ldap",
            request: api
                .login(&Credentials::ldap(user("a-b_c~d"), "p@ss:wörd \"q\""))
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/login".to_owned(),
            body: Some(
                json!({"auth": {"type": "ldap", "username": "a-b_c~d", "password": "p@ss:wörd \"q\""}}),
            ),
        },
        Golden {
            name: "list times",
            request: api
                .list_times(
                    &t,
                    &TimeQuery::new().user(user("alice")).project(slug("ex")),
                )
                .unwrap()
                .into_parts()
                .0,
            method: Method::GET,
            uri: format!("/times?user=alice&project=ex&token={q}"),
            body: None,
        },
        Golden {
            name: "get time",
            request: api.get_time(&t, uuid, false, false).unwrap().into_parts().0,
            method: Method::GET,
            uri: format!("/times/{UUID}?token={q}"),
            body: None,
        },
        Golden {
            name: "create time",
            request: api.create_time(&t, &new_time).unwrap().into_parts().0,
            method: Method::POST,
            uri: "/times".to_owned(),
            body: Some(envelope(json!({
                "duration": 5400,
                "user": "alice",
                "project": "ex",
                "activities": ["dev", "docs"],
                "date_worked": "2024-05-07",
                "notes": "pair-programmed ✓ \"quoted\"",
                "issue_uri": "https://git.example.org/ex/issues/7",
            }))),
        },
        Golden {
            name: "update time",
            request: api
                .update_time(&t, uuid, &time_update)
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: format!("/times/{UUID}"),
            body: Some(envelope(
                json!({"duration": 7200, "user": "bob", "activities": ["dev"], "notes": ""}),
            )),
        },
        Golden {
            name: "delete time",
            request: api.delete_time(&t, uuid).unwrap().into_parts().0,
            method: Method::DELETE,
            uri: format!("/times/{UUID}?token={q}"),
            body: None,
        },
        Golden {
            name: "list projects",
            request: api
                .list_projects(&t, &ProjectQuery::new())
                .unwrap()
                .into_parts()
                .0,
            method: Method::GET,
            uri: format!("/projects?token={q}"),
            body: None,
        },
        Golden {
            name: "get project",
            request: api
                .get_project(&t, &slug("my-project"), true)
                .unwrap()
                .into_parts()
                .0,
            method: Method::GET,
            uri: format!("/projects/my-project?include_revisions=true&token={q}"),
            body: None,
        },
        Golden {
            name: "project users",
            request: api.project_users(&t, &slug("ex")).unwrap().into_parts().0,
            method: Method::GET,
            uri: format!("/projects/ex?token={q}"),
            body: None,
        },
        Golden {
            name: "create project",
            request: api.create_project(&t, &new_project).unwrap().into_parts().0,
            method: Method::POST,
            uri: "/projects".to_owned(),
            body: Some(envelope(json!({
                "name": "Example",
                "slugs": ["ex", "example"],
                "uri": "https://example.org/ex",
                "default_activity": "dev",
                "users": {
                    "alice": {"member": true, "spectator": true, "manager": true},
                    "bob": {"member": true, "spectator": false, "manager": false},
                },
            }))),
        },
        Golden {
            name: "update project",
            request: api
                .update_project(&t, &slug("ex"), &project_update)
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/projects/ex".to_owned(),
            body: Some(envelope(
                json!({"name": "Example, renamed", "default_activity": ""}),
            )),
        },
        Golden {
            name: "delete project",
            request: api.delete_project(&t, &slug("ex")).unwrap().into_parts().0,
            method: Method::DELETE,
            uri: format!("/projects/ex?token={q}"),
            body: None,
        },
        Golden {
            name: "list activities",
            request: api
                .list_activities(&t, &ActivityQuery::new())
                .unwrap()
                .into_parts()
                .0,
            method: Method::GET,
            uri: format!("/activities?token={q}"),
            body: None,
        },
        Golden {
            name: "get activity",
            request: api
                .get_activity(&t, &slug("dev"), false)
                .unwrap()
                .into_parts()
                .0,
            method: Method::GET,
            uri: format!("/activities/dev?token={q}"),
            body: None,
        },
        Golden {
            name: "create activity",
            request: api
                .create_activity(&t, &NewActivity::new("Code review", slug("review")))
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/activities".to_owned(),
            body: Some(envelope(json!({"name": "Code review", "slug": "review"}))),
        },
        Golden {
            name: "update activity",
            request: api
                .update_activity(
                    &t,
                    &slug("review"),
                    &ActivityUpdate::new().name("Reviews").slug(slug("reviews")),
                )
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/activities/review".to_owned(),
            body: Some(envelope(json!({"name": "Reviews", "slug": "reviews"}))),
        },
        Golden {
            name: "delete activity",
            request: api
                .delete_activity(&t, &slug("review"))
                .unwrap()
                .into_parts()
                .0,
            method: Method::DELETE,
            uri: format!("/activities/review?token={q}"),
            body: None,
        },
        Golden {
            name: "list users",
            request: api
                .list_users(&t, &UserQuery::new())
                .unwrap()
                .into_parts()
                .0,
            method: Method::GET,
            uri: format!("/users?token={q}"),
            body: None,
        },
        Golden {
            name: "get user",
            request: api.get_user(&t, &user("new~user")).unwrap().into_parts().0,
            method: Method::GET,
            uri: format!("/users/new~user?token={q}"),
            body: None,
        },
        Golden {
            name: "create user",
            request: api.create_user(&t, &new_user).unwrap().into_parts().0,
            method: Method::POST,
            uri: "/users".to_owned(),
            body: Some(envelope(json!({
                "username": "new~user",
                "password": hash.as_str(),
                "display_name": "New User",
                "email": "new@example.org",
                "site_admin": false,
                "site_manager": false,
                "site_spectator": false,
                "active": true,
            }))),
        },
        Golden {
            name: "update user",
            request: api
                .update_user(&t, &user("new~user"), &user_update)
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/users/new~user".to_owned(),
            body: Some(envelope(
                json!({"display_name": "", "site_spectator": true, "org-roles": ["staff"]}),
            )),
        },
        Golden {
            name: "delete user",
            request: api
                .delete_user(&t, &user("new~user"))
                .unwrap()
                .into_parts()
                .0,
            method: Method::DELETE,
            uri: format!("/users/new~user?token={q}"),
            body: None,
        },
        Golden {
            name: "list org roles",
            request: api.list_org_roles(&t).unwrap().into_parts().0,
            method: Method::GET,
            uri: format!("/users/org-roles?token={q}"),
            body: None,
        },
        Golden {
            name: "get org role",
            request: api.get_org_role(&t, &slug("staff")).unwrap().into_parts().0,
            method: Method::GET,
            uri: format!("/users/org-roles/staff?token={q}"),
            body: None,
        },
        Golden {
            name: "create org role",
            request: api
                .create_org_role(&t, &NewOrgRole::new("Staff", slug("staff")))
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/users/org-roles".to_owned(),
            body: Some(envelope(json!({"name": "Staff", "slug": "staff"}))),
        },
        Golden {
            name: "update org role",
            request: api
                .update_org_role(&t, &slug("staff"), &org_role_update)
                .unwrap()
                .into_parts()
                .0,
            method: Method::POST,
            uri: "/users/org-roles/staff".to_owned(),
            body: Some(envelope(
                json!({"name": "Staff members", "slug": "employees"}),
            )),
        },
        Golden {
            name: "delete org role",
            request: api
                .delete_org_role(&t, &slug("staff"))
                .unwrap()
                .into_parts()
                .0,
            method: Method::DELETE,
            uri: format!("/users/org-roles/staff?token={q}"),
            body: None,
        },
    ]
}

/// Checks one built request against its golden values.
fn check(golden: &Golden, root: &str, user_agent: &str) {
    let Golden {
        name,
        request,
        method,
        uri,
        body,
    } = golden;
    assert_eq!(request.method(), method, "{name}");
    assert_eq!(request.uri().to_string(), format!("{root}{uri}"), "{name}");

    let headers = request.headers();
    assert_eq!(headers[ACCEPT], "application/json", "{name}");
    assert_eq!(headers[USER_AGENT], user_agent, "{name}");
    let expected_headers = if *method == Method::POST {
        assert_eq!(headers[CONTENT_TYPE], "application/json", "{name}");
        3
    } else {
        assert!(!headers.contains_key(CONTENT_TYPE), "{name}");
        2
    };
    assert_eq!(headers.len(), expected_headers, "{name}: {headers:?}");

    match body {
        Some(expected) => {
            let sent: Value = serde_json::from_slice(request.body())
                .unwrap_or_else(|e| panic!("{name}: the body is not json: {e}"));
            assert_eq!(&sent, expected, "{name}");
        }
        None => assert!(request.body().is_empty(), "{name}"),
    }
}

#[test]
fn every_operation_builds_its_golden_request() {
    let bases = [
        ("http://127.0.0.1:8000/v0", "http://127.0.0.1:8000/v0"),
        ("http://127.0.0.1:8000/v0/", "http://127.0.0.1:8000/v0"),
        ("https://h/api/v1/", "https://h/api/v1"),
        (
            "https://timesync.example.org:8443/tools/v12",
            "https://timesync.example.org:8443/tools/v12",
        ),
    ];
    let user_agent = format!("timesync-rs/{}", env!("CARGO_PKG_VERSION"));
    for (base, root) in bases {
        let api = Api::new(base).unwrap();
        let operations = every_operation(&api);
        // 27 operations, the login twice.
        assert_eq!(operations.len(), 28);
        for golden in &operations {
            check(golden, root, &user_agent);
        }
    }
}

#[test]
fn a_prefixed_base_url_gives_these_exact_uris() {
    let api = Api::new("https://h/api/v1/").unwrap();
    let t = token();
    let uuid = parse_uuid(UUID).unwrap();
    let cases = [
        (
            api.get_time(&t, uuid, true, false).unwrap().into_parts().0,
            "https://h/api/v1/times/5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13?include_deleted=true&token=eyJhbGciOiJIUzUxMiIsImtpZCI6InRlc3RzPyJ9.eyJpc3MiOiJ0aW1lc3luYy10ZXN0cyIsInN1YiI6ImFsaWNlfnRlc3QiLCJleHAiOjE5MDAwMDAwMDAwMDAsImlhdCI6MTg5OTk5ODIwMDAwMH0%3D.1%2FE4pPMkrapDePjyRbnNPcc%2FKSfZFU11E%2BnKX7Ml3iqYLfAdvG8VaFRKjk5WBswNaMAhzX0Rn3FgEMfFEOQjdg%3D%3D",
        ),
        (
            api.login(&Credentials::password(user("alice"), PASSWORD))
                .unwrap()
                .into_parts()
                .0,
            "https://h/api/v1/login",
        ),
        (
            api.delete_user(&t, &user("a~b")).unwrap().into_parts().0,
            "https://h/api/v1/users/a~b?token=eyJhbGciOiJIUzUxMiIsImtpZCI6InRlc3RzPyJ9.eyJpc3MiOiJ0aW1lc3luYy10ZXN0cyIsInN1YiI6ImFsaWNlfnRlc3QiLCJleHAiOjE5MDAwMDAwMDAwMDAsImlhdCI6MTg5OTk5ODIwMDAwMH0%3D.1%2FE4pPMkrapDePjyRbnNPcc%2FKSfZFU11E%2BnKX7Ml3iqYLfAdvG8VaFRKjk5WBswNaMAhzX0Rn3FgEMfFEOQjdg%3D%3D",
        ),
    ];
    for (request, uri) in cases {
        assert_eq!(request.uri(), uri);
    }
}

#[test]
fn the_default_user_agent_names_the_crate_version() {
    assert_eq!(
        DEFAULT_USER_AGENT,
        format!("timesync-rs/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_custom_user_agent_is_sent_on_every_request() {
    let agent = "my-timesheet/2.1 (+https://example.org/bot)";
    let api = Api::new("http://127.0.0.1:8000/v0")
        .unwrap()
        .with_user_agent(agent)
        .unwrap();
    for golden in &every_operation(&api) {
        check(golden, "http://127.0.0.1:8000/v0", agent);
    }
}

#[test]
fn a_user_agent_that_is_no_header_value_is_refused() {
    // Non-ASCII bytes are allowed (obs-text); control characters are not.
    for agent in ["two\nlines", "carriage\rreturn", "nul\0byte", "del\x7f"] {
        let result = Api::new("http://127.0.0.1:8000/v0")
            .unwrap()
            .with_user_agent(agent);
        assert!(
            matches!(
                result,
                Err(Error::InvalidValue {
                    field: "user_agent",
                    ..
                })
            ),
            "{agent:?}"
        );
    }
}

#[test]
fn posts_carry_the_token_in_the_body_only() {
    let api = Api::new("http://127.0.0.1:8000/v0").unwrap();
    for golden in every_operation(&api) {
        let query = golden.request.uri().query().unwrap_or_default().to_owned();
        if golden.method == Method::POST {
            assert_eq!(query, "", "{}", golden.name);
        } else {
            assert!(
                query.ends_with(&format!("token={TOKEN_ENCODED}")),
                "{}: {query}",
                golden.name
            );
            assert_eq!(query.matches("token=").count(), 1, "{}", golden.name);
            assert!(!query.contains('+'), "{}: {query}", golden.name);
        }
    }
}

// Query strings.

/// The path and query after the base URL, with the token checked and cut off.
fn path_and_query(request: &Request<Vec<u8>>) -> String {
    let uri = request.uri().to_string();
    let rest = uri
        .strip_prefix("http://127.0.0.1:8000/v0")
        .unwrap_or_else(|| panic!("{uri}"));
    let (head, tail) = rest
        .rsplit_once("token=")
        .unwrap_or_else(|| panic!("no token in {uri}"));
    assert_eq!(tail, TOKEN_ENCODED, "{uri}");
    head.trim_end_matches(['?', '&']).to_owned()
}

fn api() -> Api {
    Api::new("http://127.0.0.1:8000/v0").unwrap()
}

#[test]
fn time_queries() {
    let uuid = parse_uuid(UUID).unwrap();
    let everything = || {
        TimeQuery::new()
            .user(user("alice"))
            .user(user("bob~2"))
            .project(slug("ex"))
            .project(slug("p1"))
            .activity(slug("dev"))
            .activity(slug("docs"))
            .start(date("2024-05-06"))
            .end(date("2024-05-12"))
            .include_deleted(true)
            .include_revisions(true)
            .page(Page::new(50, 25))
    };
    let cases = [
        (TimeQuery::new(), "/times".to_owned()),
        (
            TimeQuery::new().user(user("alice")).user(user("bob~2")),
            "/times?user=alice&user=bob~2".to_owned(),
        ),
        (
            TimeQuery::new().project(slug("ex")).project(slug("p1")),
            "/times?project=ex&project=p1".to_owned(),
        ),
        (
            TimeQuery::new()
                .activity(slug("dev"))
                .activity(slug("docs"))
                .activity(slug("sys")),
            "/times?activity=dev&activity=docs&activity=sys".to_owned(),
        ),
        (
            TimeQuery::new()
                .start(date("2024-01-05"))
                .end(date("2024-11-30")),
            "/times?start=2024-01-05&end=2024-11-30".to_owned(),
        ),
        (
            TimeQuery::new()
                .start(date("2024-02-29"))
                .end(date("2024-02-29")),
            "/times?start=2024-02-29&end=2024-02-29".to_owned(),
        ),
        (
            TimeQuery::new().start(date("0999-03-07")),
            "/times?start=0999-03-07".to_owned(),
        ),
        (
            TimeQuery::new().end(date("2015-04-22")),
            "/times?end=2015-04-22".to_owned(),
        ),
        (
            TimeQuery::new()
                .include_deleted(true)
                .include_revisions(true),
            "/times?include_deleted=true&include_revisions=true".to_owned(),
        ),
        (
            TimeQuery::new()
                .include_deleted(false)
                .include_revisions(false),
            "/times".to_owned(),
        ),
        (
            TimeQuery::new().include_revisions(true),
            "/times?include_revisions=true".to_owned(),
        ),
        (
            TimeQuery::new().page(Page::new(50, 25)),
            "/times?skip=50&limit=25".to_owned(),
        ),
        (
            TimeQuery::new().page(Page {
                skip: None,
                limit: Some(0),
            }),
            "/times?limit=0".to_owned(),
        ),
        (
            TimeQuery::new().page(Page {
                skip: Some(7),
                limit: None,
            }),
            "/times?skip=7".to_owned(),
        ),
        (
            everything(),
            "/times?user=alice&user=bob~2&project=ex&project=p1&activity=dev&activity=docs\
             &start=2024-05-06&end=2024-05-12&include_deleted=true&include_revisions=true\
             &skip=50&limit=25"
                .to_owned(),
        ),
        // A uuid keeps the include flags and drops every other filter and the paging.
        (
            everything().uuid(uuid),
            format!("/times/{UUID}?include_deleted=true&include_revisions=true"),
        ),
        (
            everything()
                .include_deleted(false)
                .include_revisions(false)
                .uuid(uuid),
            format!("/times/{UUID}"),
        ),
        (
            TimeQuery::new().uuid(uuid).include_revisions(true),
            format!("/times/{UUID}?include_revisions=true"),
        ),
        // The dropped dates are not checked either.
        (
            TimeQuery::new()
                .start(date("2024-05-12"))
                .end(date("2024-05-06"))
                .uuid(uuid),
            format!("/times/{UUID}"),
        ),
    ];
    for (query, expected) in cases {
        let prepared = api().list_times(&token(), &query).unwrap();
        assert_eq!(path_and_query(prepared.request()), expected, "{query:?}");
    }
}

#[test]
fn a_start_after_the_end_is_refused_before_sending() {
    let query = TimeQuery::new()
        .start(date("2024-05-13"))
        .end(date("2024-05-12"));
    match api().list_times(&token(), &query) {
        Err(Error::InvalidValue { field, reason }) => {
            assert_eq!(field, "start");
            assert_eq!(reason, "the start date is after the end date");
        }
        Err(other) => panic!("wrong error {other:?}"),
        Ok(prepared) => panic!("built {}", prepared.request().uri()),
    }
}

#[test]
fn get_time_flags() {
    let uuid = parse_uuid(UUID).unwrap();
    let cases = [
        (false, false, format!("/times/{UUID}")),
        (true, false, format!("/times/{UUID}?include_deleted=true")),
        (false, true, format!("/times/{UUID}?include_revisions=true")),
        (
            true,
            true,
            format!("/times/{UUID}?include_deleted=true&include_revisions=true"),
        ),
    ];
    for (deleted, revisions, expected) in cases {
        let prepared = api().get_time(&token(), uuid, deleted, revisions).unwrap();
        assert_eq!(path_and_query(prepared.request()), expected);
    }
}

#[test]
fn project_queries() {
    let cases = [
        (ProjectQuery::new(), "/projects"),
        (
            ProjectQuery::new().user(user("Proj_Manager")),
            "/projects?user=Proj_Manager",
        ),
        (
            ProjectQuery::new().include_deleted(true),
            "/projects?include_deleted=true",
        ),
        (
            ProjectQuery::new().include_revisions(true),
            "/projects?include_revisions=true",
        ),
        (
            ProjectQuery::new()
                .include_deleted(false)
                .include_revisions(false),
            "/projects",
        ),
        (
            ProjectQuery::new()
                .user(user("alice"))
                .include_deleted(true)
                .include_revisions(true)
                .page(Page::new(0, 100)),
            "/projects?user=alice&include_deleted=true&include_revisions=true&skip=0&limit=100",
        ),
    ];
    for (query, expected) in cases {
        let prepared = api().list_projects(&token(), &query).unwrap();
        assert_eq!(path_and_query(prepared.request()), expected, "{query:?}");
    }
    for (revisions, expected) in [
        (false, "/projects/p1"),
        (true, "/projects/p1?include_revisions=true"),
    ] {
        let prepared = api().get_project(&token(), &slug("p1"), revisions).unwrap();
        assert_eq!(path_and_query(prepared.request()), expected);
    }
}

#[test]
fn activity_queries() {
    let cases = [
        (ActivityQuery::new(), "/activities"),
        (
            ActivityQuery::new().include_deleted(true),
            "/activities?include_deleted=true",
        ),
        (
            ActivityQuery::new().include_revisions(true),
            "/activities?include_revisions=true",
        ),
        (
            ActivityQuery::new()
                .include_deleted(true)
                .include_revisions(true)
                .page(Page::new(25, 25)),
            "/activities?include_deleted=true&include_revisions=true&skip=25&limit=25",
        ),
    ];
    for (query, expected) in cases {
        let prepared = api().list_activities(&token(), &query).unwrap();
        assert_eq!(path_and_query(prepared.request()), expected, "{query:?}");
    }
    for (revisions, expected) in [
        (false, "/activities/dev"),
        (true, "/activities/dev?include_revisions=true"),
    ] {
        let prepared = api()
            .get_activity(&token(), &slug("dev"), revisions)
            .unwrap();
        assert_eq!(path_and_query(prepared.request()), expected);
    }
}

#[test]
fn user_queries() {
    let cases = [
        (UserQuery::new(), "/users"),
        (
            UserQuery::new().include_deleted(true),
            "/users?include_deleted=true",
        ),
        (UserQuery::new().role(slug("staff")), "/users?role=staff"),
        (
            UserQuery::new().role(slug("staff")).role(slug("student")),
            "/users?role=staff&role=student",
        ),
        (
            UserQuery::new()
                .include_deleted(true)
                .role(slug("staff"))
                .page(Page::new(10, 5)),
            "/users?include_deleted=true&role=staff&skip=10&limit=5",
        ),
        // A username keeps include_deleted and drops the roles and the paging.
        (UserQuery::new().username(user("a~b")), "/users/a~b"),
        (
            UserQuery::new()
                .username(user("Site_Spectator"))
                .include_deleted(true)
                .role(slug("staff"))
                .page(Page::new(10, 5)),
            "/users/Site_Spectator?include_deleted=true",
        ),
    ];
    for (query, expected) in cases {
        let prepared = api().list_users(&token(), &query).unwrap();
        assert_eq!(path_and_query(prepared.request()), expected, "{query:?}");
    }
}
