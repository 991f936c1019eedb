//! Tokens and passwords never show up in `Debug` or `Display` output: not of requests, not of
//! the API, not of credentials, not of any error.

mod common;

use timesync_core::response::{empty, json, json_list, token as login_response};
use timesync_core::{
    ActivityQuery, ActivityUpdate, Api, Credentials, Error, NewActivity, NewOrgRole, NewProject,
    NewTime, NewUser, OrgRoleUpdate, Password, PasswordHash, Project, ProjectQuery, ProjectUpdate,
    SlugList, Time, TimeQuery, TimeUpdate, Token, UserQuery, UserUpdate, parse_uuid,
};

use common::{PASSWORD, TOKEN, TOKEN_ENCODED, date, json_response, response, slug, token, user};

/// Fails when `text` holds any ten consecutive characters of `secret`.
fn assert_hidden(secret: &str, text: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.windows(10) {
        let piece: String = window.iter().collect();
        assert!(!text.contains(&piece), "{piece:?} of a secret in {text:?}");
    }
}

fn assert_no_secret(text: &str) {
    assert_hidden(TOKEN, text);
    assert_hidden(TOKEN_ENCODED, text);
    assert_hidden(PASSWORD, text);
}

/// The `Debug` output of the prepared request of every operation, with the path it must show.
fn every_prepared(api: &Api) -> Vec<(String, &'static str)> {
    let t = token();
    let uuid = parse_uuid("5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13").unwrap();
    let hash = PasswordHash::bcrypt_with_salt(&Password::new(PASSWORD), [4; 16]).unwrap();
    let new_time = NewTime::new(
        "1h".parse().unwrap(),
        user("alice"),
        slug("ex"),
        date("2024-05-04"),
    )
    .notes(PASSWORD);
    let new_project = NewProject::new("Example", SlugList::parse(["ex"]).unwrap());
    let ex = slug("ex");
    let alice = user("alice");
    vec![
        (
            format!(
                "{:?}",
                api.login(&Credentials::password(alice.clone(), PASSWORD))
                    .unwrap()
            ),
            "/v0/login",
        ),
        (
            format!(
                "{:?}",
                api.login(&Credentials::ldap(alice.clone(), PASSWORD))
                    .unwrap()
            ),
            "/v0/login",
        ),
        (
            format!(
                "{:?}",
                api.list_times(&t, &TimeQuery::new().user(alice.clone()))
                    .unwrap()
            ),
            "/v0/times",
        ),
        (
            format!("{:?}", api.get_time(&t, uuid, true, true).unwrap()),
            "/v0/times/5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13",
        ),
        (
            format!("{:?}", api.create_time(&t, &new_time).unwrap()),
            "/v0/times",
        ),
        (
            format!(
                "{:?}",
                api.update_time(&t, uuid, &TimeUpdate::new().notes(PASSWORD))
                    .unwrap()
            ),
            "/v0/times/5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13",
        ),
        (
            format!("{:?}", api.delete_time(&t, uuid).unwrap()),
            "/v0/times/5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13",
        ),
        (
            format!("{:?}", api.list_projects(&t, &ProjectQuery::new()).unwrap()),
            "/v0/projects",
        ),
        (
            format!("{:?}", api.get_project(&t, &ex, true).unwrap()),
            "/v0/projects/ex",
        ),
        (
            format!("{:?}", api.project_users(&t, &ex).unwrap()),
            "/v0/projects/ex",
        ),
        (
            format!("{:?}", api.create_project(&t, &new_project).unwrap()),
            "/v0/projects",
        ),
        (
            format!(
                "{:?}",
                api.update_project(&t, &ex, &ProjectUpdate::new().name("x"))
                    .unwrap()
            ),
            "/v0/projects/ex",
        ),
        (
            format!("{:?}", api.delete_project(&t, &ex).unwrap()),
            "/v0/projects/ex",
        ),
        (
            format!(
                "{:?}",
                api.list_activities(&t, &ActivityQuery::new()).unwrap()
            ),
            "/v0/activities",
        ),
        (
            format!("{:?}", api.get_activity(&t, &ex, false).unwrap()),
            "/v0/activities/ex",
        ),
        (
            format!(
                "{:?}",
                api.create_activity(&t, &NewActivity::new("Ex", ex.clone()))
                    .unwrap()
            ),
            "/v0/activities",
        ),
        (
            format!(
                "{:?}",
                api.update_activity(&t, &ex, &ActivityUpdate::new().name("x"))
                    .unwrap()
            ),
            "/v0/activities/ex",
        ),
        (
            format!("{:?}", api.delete_activity(&t, &ex).unwrap()),
            "/v0/activities/ex",
        ),
        (
            format!("{:?}", api.list_users(&t, &UserQuery::new()).unwrap()),
            "/v0/users",
        ),
        (
            format!("{:?}", api.get_user(&t, &alice).unwrap()),
            "/v0/users/alice",
        ),
        (
            format!(
                "{:?}",
                api.create_user(&t, &NewUser::new(alice.clone(), hash.clone()))
                    .unwrap()
            ),
            "/v0/users",
        ),
        (
            format!(
                "{:?}",
                api.update_user(&t, &alice, &UserUpdate::new().password(hash.clone()))
                    .unwrap()
            ),
            "/v0/users/alice",
        ),
        (
            format!("{:?}", api.delete_user(&t, &alice).unwrap()),
            "/v0/users/alice",
        ),
        (
            format!("{:?}", api.list_org_roles(&t).unwrap()),
            "/v0/users/org-roles",
        ),
        (
            format!("{:?}", api.get_org_role(&t, &ex).unwrap()),
            "/v0/users/org-roles/ex",
        ),
        (
            format!(
                "{:?}",
                api.create_org_role(&t, &NewOrgRole::new("Ex", ex.clone()))
                    .unwrap()
            ),
            "/v0/users/org-roles",
        ),
        (
            format!(
                "{:?}",
                api.update_org_role(&t, &ex, &OrgRoleUpdate::new().name("x"))
                    .unwrap()
            ),
            "/v0/users/org-roles/ex",
        ),
        (
            format!("{:?}", api.delete_org_role(&t, &ex).unwrap()),
            "/v0/users/org-roles/ex",
        ),
    ]
}

#[test]
fn prepared_requests_show_the_method_and_path_only() {
    let api = Api::new("http://127.0.0.1:8000/v0").unwrap();
    let all = every_prepared(&api);
    assert_eq!(all.len(), 28);
    for (shown, path) in all {
        assert!(shown.starts_with("Prepared"), "{shown}");
        assert!(shown.contains(&format!("{path:?}")), "{shown}");
        assert!(!shown.contains('?'), "{shown}");
        assert_no_secret(&shown);
    }
}

#[test]
fn the_api_and_credentials_hide_their_secrets() {
    let api = Api::new("http://127.0.0.1:8000/v0")
        .unwrap()
        .with_user_agent("my-timesheet/2.1")
        .unwrap();
    let hash = PasswordHash::bcrypt_with_salt(&Password::new(PASSWORD), [4; 16]).unwrap();
    let new_user = NewUser::new(user("alice"), hash.clone());
    let shown = [
        format!("{api:?}"),
        format!("{:?}", Credentials::password(user("alice"), PASSWORD)),
        format!("{:?}", Credentials::ldap(user("alice"), PASSWORD)),
        format!("{:?}", token()),
        token().to_string(),
        format!("{:?}", Password::new(PASSWORD)),
        format!("{hash:?}"),
        format!("{new_user:?}"),
        format!("{:?}", UserUpdate::new().password(hash.clone())),
    ];
    for text in &shown {
        assert_no_secret(text);
        assert_hidden(hash.as_str(), text);
    }
    // What is not secret is still shown.
    assert!(shown[0].contains("127.0.0.1:8000/v0"), "{}", shown[0]);
    assert!(shown[1].contains("\"alice\""), "{}", shown[1]);
    assert!(shown[2].contains("Ldap"), "{}", shown[2]);
}

/// Every kind of error the crate produces, made with a secret close at hand.
fn every_error() -> Vec<Error> {
    let html = "text/html; charset=utf-8";
    let mut errors = vec![
        Api::new(&format!("http://alice:{PASSWORD}@example.org/v0")).unwrap_err(),
        Api::new(&format!("http://example.org/v0?token={TOKEN_ENCODED}")).unwrap_err(),
        Api::new(&format!("ftp://example.org/{TOKEN}")).unwrap_err(),
        Api::new("http://127.0.0.1:8000/v0")
            .unwrap()
            .with_user_agent(&format!("{TOKEN}\n"))
            .unwrap_err(),
        Api::new("http://127.0.0.1:8000/v0")
            .unwrap()
            .list_times(
                &token(),
                &TimeQuery::new()
                    .start(date("2024-02-02"))
                    .end(date("2024-02-01")),
            )
            .unwrap_err(),
        "Bad--Slug".parse::<timesync_core::Slug>().unwrap_err(),
        "bad user!".parse::<timesync_core::Username>().unwrap_err(),
        parse_uuid("not-a-uuid").unwrap_err(),
        "0".parse::<timesync_core::Duration>().unwrap_err(),
        SlugList::new([]).unwrap_err(),
        PasswordHash::bcrypt(&Password::new(PASSWORD.repeat(3))).unwrap_err(),
        PasswordHash::bcrypt(&Password::new(format!("{PASSWORD}\0"))).unwrap_err(),
        Token::new(format!("a.{TOKEN}")).expires_at().unwrap_err(),
        Token::new(format!("{TOKEN}.{TOKEN}"))
            .expires_at()
            .unwrap_err(),
        Token::new(PASSWORD).expires_at().unwrap_err(),
        Error::NotAuthenticated,
        Error::InvalidDate("05/04/2024".to_owned()),
    ];
    let answers = [
        json_response(
            401,
            &format!(
                r#"{{"status":401,"error":"Authentication failure","text":"Bad API token {TOKEN}"}}"#
            ),
        ),
        json_response(
            401,
            r#"{"status":401,"error":"Authentication failure","text":"Incorrect username or password"}"#,
        ),
        json_response(
            409,
            &format!(r#"{{"error":"Slugs already exist","values":["{TOKEN}","{TOKEN_ENCODED}"]}}"#),
        ),
        response(
            404,
            html,
            &format!("<pre>Cannot GET /v0/nowhere?token={TOKEN_ENCODED}</pre>"),
        ),
        response(
            502,
            html,
            &format!("<h1>502</h1> upstream refused {{\"token\":\"{TOKEN}\"}}"),
        ),
        response(
            200,
            html,
            &format!(r#"{{"token":"{TOKEN}"}} <!-- cached -->"#),
        ),
        response(200, html, ""),
    ];
    for answer in answers {
        // A delete takes any success.
        if answer.status().is_success() {
            assert_eq!(empty(answer.clone()), Ok(()));
        } else {
            errors.push(empty(answer.clone()).unwrap_err());
        }
        errors.push(login_response(answer).unwrap_err());
    }
    let decoding = [
        format!(r#"{{"token":["{TOKEN}"]}}"#),
        format!(r#"{{"token":{{"{TOKEN}":1}}}}"#),
        format!(r#"{{"jwt":"{TOKEN}"}}"#),
    ];
    for body in &decoding {
        errors.push(login_response(response(200, html, body)).unwrap_err());
    }
    let time = format!(
        r#"[{{"uuid":"5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13","duration":"{TOKEN}","user":"alice",
        "project":"ex","date_worked":"2024-05-04"}}]"#
    );
    errors.push(json_list::<Time>(response(200, html, &time)).unwrap_err());
    let project = format!(r#"{{"uuid":"{TOKEN}","name":"x"}}"#);
    errors.push(json::<Project>(response(200, html, &project)).unwrap_err());
    errors
}

#[test]
fn errors_never_show_a_secret() {
    let errors = every_error();
    // Every variant of the error type is among them.
    let mut variants: Vec<&str> = errors.iter().map(variant).collect();
    variants.sort_unstable();
    variants.dedup();
    assert_eq!(
        variants,
        [
            "Api",
            "Decode",
            "InvalidBaseUrl",
            "InvalidDate",
            "InvalidDuration",
            "InvalidPassword",
            "InvalidSlug",
            "InvalidToken",
            "InvalidUsername",
            "InvalidUuid",
            "InvalidValue",
            "NotAuthenticated",
            "UnexpectedResponse",
        ]
    );
    for error in &errors {
        let shown = error.to_string();
        assert_no_secret(&shown);
        assert_no_secret(&format!("{error:?}"));
        assert!(
            shown.starts_with(|c: char| c.is_ascii_lowercase()),
            "not lowercase: {shown}"
        );
        assert!(!shown.ends_with('.'), "trailing period: {shown}");
    }
}

fn variant(error: &Error) -> &'static str {
    match error {
        Error::InvalidBaseUrl(_) => "InvalidBaseUrl",
        Error::InvalidSlug { .. } => "InvalidSlug",
        Error::InvalidUsername { .. } => "InvalidUsername",
        Error::InvalidUuid(_) => "InvalidUuid",
        Error::InvalidDuration { .. } => "InvalidDuration",
        Error::InvalidDate(_) => "InvalidDate",
        Error::InvalidValue { .. } => "InvalidValue",
        Error::InvalidPassword(_) => "InvalidPassword",
        Error::InvalidToken(_) => "InvalidToken",
        Error::NotAuthenticated => "NotAuthenticated",
        Error::Api(_) => "Api",
        Error::UnexpectedResponse { .. } => "UnexpectedResponse",
        Error::Decode { .. } => "Decode",
        _ => "unknown",
    }
}
