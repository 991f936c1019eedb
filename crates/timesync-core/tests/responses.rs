//! Interpreting canned responses: typed results, TimeSync error bodies, HTML pages, bodies of
//! the wrong shape, and whatever else a server or a proxy may send.

mod common;

use proptest::prelude::*;
use timesync_core::http::Response;
use timesync_core::response::{empty, json, json_list, token};
use timesync_core::{
    Activity, Api, ApiErrorKind, Error, Project, ProjectRoles, Stamp, Time, TimeQuery, User,
    UserQuery, parse_uuid,
};

use common::{TOKEN, TOKEN_ENCODED, date, json_response, response, slug, user};

const TIME_A: &str = r#"{"duration":900,"user":"alice","notes":"","issue_uri":"https://git.example.org/ex/issues/3",
    "uuid":"0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","revision":1,"project":["ex","example"],
    "activities":["dev","docs"],"created_at":"2024-03-04","updated_at":null,"deleted_at":null,
    "date_worked":"2024-03-03"}"#;

const TIME_B: &str = r#"{"duration":5400,"user":"bob","notes":null,"issue_uri":null,
    "uuid":"1c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","revision":2,"project":["ex"],
    "activities":["dev"],"created_at":"2024-03-05","updated_at":"2024-03-06","deleted_at":null,
    "date_worked":"2024-03-05"}"#;

const PROJECT: &str = r#"{"name":"Example","uri":"https://example.org/ex","uuid":"2c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5",
    "default_activity":null,"revision":1,"slugs":["ex","example"],"updated_at":null,"deleted_at":null,
    "created_at":"2023-01-01","users":{"alice":{"member":true,"spectator":true,"manager":true},
    "bob":{"member":true,"spectator":false,"manager":false}}}"#;

/// The page Express sends for a route it does not know.
const EXPRESS_404: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
    <title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /v0/</pre>\n</body>\n</html>\n";

/// What a reverse proxy sends when the server is down.
const PROXY_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
    <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n\
    </body>\r\n</html>\r\n";

/// A parser with its result dropped, so that parsers of different types share a table.
type Parse = fn(Response<Vec<u8>>) -> Result<(), Error>;

// Success.

#[test]
fn json_labelled_anything_parses() {
    let body = format!("[{TIME_A},{TIME_B}]");
    for content_type in [
        "text/html; charset=utf-8",
        "application/json; charset=utf-8",
        "text/plain",
        "",
    ] {
        for status in [200, 201, 203] {
            let times = json_list::<Time>(response(status, content_type, &body)).unwrap();
            assert_eq!(times.len(), 2, "{content_type}");
            assert_eq!(times[0].duration.as_secs(), 900);
            assert_eq!(times[0].project, ["ex", "example"]);
            assert_eq!(times[0].activities, ["dev", "docs"]);
            assert_eq!(times[1].user, user("bob"));
            assert_eq!(times[1].notes, None);
            assert_eq!(times[1].updated_at, Some(Stamp::Date(date("2024-03-06"))));
        }
    }
}

#[test]
fn prepared_requests_parse_their_own_answers() {
    let api = Api::new("http://127.0.0.1:8000/v0").unwrap();
    let t = common::token();
    let html = "text/html; charset=utf-8";

    let login = api
        .login(&timesync_core::Credentials::password(user("alice"), "pw"))
        .unwrap();
    let body = format!(r#"{{"token":"{TOKEN}"}}"#);
    assert_eq!(
        login.parse(response(200, html, &body)).unwrap().expose(),
        TOKEN
    );

    // A create response echoes the one project slug that was sent.
    let created = r#"{"duration":3600,"user":"alice","project":"ex","activities":["dev"],
        "date_worked":"2024-05-04","uuid":"3c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","revision":1,
        "created_at":"2024-05-04","updated_at":null,"deleted_at":null}"#;
    let new_time = timesync_core::NewTime::new(
        "1h".parse().unwrap(),
        user("alice"),
        slug("ex"),
        date("2024-05-04"),
    );
    let time = api
        .create_time(&t, &new_time)
        .unwrap()
        .parse(response(200, html, created))
        .unwrap();
    assert_eq!(time.project, ["ex"]);
    assert_eq!(time.revision, 1);

    // A created user has `created_at` in epoch milliseconds.
    let created_user = r#"{"username":"carol","display_name":"Carol","email":"carol@example.org",
        "site_spectator":false,"site_manager":false,"site_admin":false,"active":true,"meta":null,
        "created_at":1714780800000,"updated_at":null,"deleted_at":null}"#;
    let carol = api
        .get_user(&t, &user("carol"))
        .unwrap()
        .parse(response(200, html, created_user))
        .unwrap();
    assert_eq!(carol.created_at.map(Stamp::date), Some(date("2024-05-04")));

    let members = api
        .project_users(&t, &slug("ex"))
        .unwrap()
        .parse(json_response(200, PROJECT))
        .unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[&user("alice")], ProjectRoles::manager());
    assert_eq!(members[&user("bob")], ProjectRoles::member());

    let without_users =
        r#"{"name":"Bare","uuid":"4c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","slugs":["bare"]}"#;
    let members = api
        .project_users(&t, &slug("bare"))
        .unwrap()
        .parse(json_response(200, without_users))
        .unwrap();
    assert!(members.is_empty());
}

#[test]
fn a_list_endpoint_takes_a_single_object_as_a_list_of_one() {
    let api = Api::new("http://127.0.0.1:8000/v0").unwrap();
    let t = common::token();
    let uuid = parse_uuid("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5").unwrap();

    let times = api
        .list_times(&t, &TimeQuery::new().uuid(uuid))
        .unwrap()
        .parse(json_response(200, &format!("\n  {TIME_A}")))
        .unwrap();
    assert_eq!(times.len(), 1);
    assert_eq!(times[0].uuid, uuid);

    let one_user = r#"{"username":"a~b","active":false}"#;
    let users = api
        .list_users(&t, &UserQuery::new().username(user("a~b")))
        .unwrap()
        .parse(json_response(200, one_user))
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].username, user("a~b"));
    assert!(!users[0].active);

    assert_eq!(json_list::<Activity>(json_response(200, "[]")).unwrap(), []);
}

#[test]
fn deletes_accept_any_success() {
    let cases = [
        response(200, "", ""),
        response(204, "", ""),
        response(200, "text/html; charset=utf-8", ""),
        response(200, "text/plain", "OK"),
        response(202, "application/json", "{}"),
    ];
    for answer in cases {
        let status = answer.status();
        assert_eq!(empty(answer), Ok(()), "{status}");
    }
}

// TimeSync error bodies.

#[test]
fn every_error_kind_from_its_name() {
    use ApiErrorKind::*;
    /// Status, body, and the expected kind, text and values.
    type Case = (
        u16,
        &'static str,
        ApiErrorKind,
        Option<&'static str>,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (
            404,
            r#"{"status":404,"error":"Object not found","text":"Nonexistent time"}"#,
            NotFound,
            Some("Nonexistent time"),
            &[],
        ),
        (
            400,
            r#"{"status":400,"error":"Bad object","text":"The time is missing a date_worked"}"#,
            BadObject,
            Some("The time is missing a date_worked"),
            &[],
        ),
        (
            400,
            r#"{"status":400,"error":"The provided identifier was invalid","text":"Expected slug but received bad_slug!","values":["bad_slug!"]}"#,
            InvalidIdentifier,
            Some("Expected slug but received bad_slug!"),
            &["bad_slug!"],
        ),
        (
            400,
            r#"{"status":400,"error":"Invalid identifier","text":"Expected UUID but received x"}"#,
            InvalidIdentifier,
            Some("Expected UUID but received x"),
            &[],
        ),
        (
            401,
            r#"{"status":401,"error":"Invalid username","text":"Expected username but received bad user!"}"#,
            InvalidUsername,
            Some("Expected username but received bad user!"),
            &[],
        ),
        (
            401,
            r#"{"status":401,"error":"Authentication failure","text":"Bad API token"}"#,
            AuthenticationFailure,
            Some("Bad API token"),
            &[],
        ),
        (
            401,
            r#"{"status":401,"error":"Authorization failure","text":"bob is not authorized to delete project ex"}"#,
            AuthorizationFailure,
            Some("bob is not authorized to delete project ex"),
            &[],
        ),
        (
            409,
            r#"{"status":409,"error":"The slug provided already exists","text":"slug ex already exists","values":["ex"]}"#,
            SlugExists,
            Some("slug ex already exists"),
            &["ex"],
        ),
        (
            409,
            r#"{"status":409,"error":"Slugs already exist","text":"slugs ex, example already exist","values":["ex","example"]}"#,
            SlugExists,
            Some("slugs ex, example already exist"),
            &["ex", "example"],
        ),
        (
            409,
            r#"{"status":409,"error":"Slug already exists","values":["dev"]}"#,
            SlugExists,
            None,
            &["dev"],
        ),
        (
            409,
            r#"{"status":409,"error":"Username already exists","text":"username alice already exists","values":["alice"]}"#,
            UsernameExists,
            Some("username alice already exists"),
            &["alice"],
        ),
        (
            409,
            r#"{"status":409,"error":"Invalid foreign key","text":"The time does not contain a valid project reference."}"#,
            InvalidForeignKey,
            Some("The time does not contain a valid project reference."),
            &[],
        ),
        (
            400,
            r#"{"status":400,"error":"Bad query value","text":"Parameter start contained invalid value notadate"}"#,
            BadQueryValue,
            Some("Parameter start contained invalid value notadate"),
            &[],
        ),
        // The server's answer to an unknown auth type: a query error with status 401.
        (
            401,
            r#"{"status":401,"error":"Bad query value","text":"ldap is not a valid authentication type"}"#,
            BadQueryValue,
            Some("ldap is not a valid authentication type"),
            &[],
        ),
        (
            405,
            r#"{"status":405,"error":"Method not allowed","text":"The method specified is not allowed for the project identified"}"#,
            MethodNotAllowed,
            Some("The method specified is not allowed for the project identified"),
            &[],
        ),
        (
            405,
            r#"{"status":405,"error":"Request Failure","text":"project ex still has times"}"#,
            MethodNotAllowed,
            Some("project ex still has times"),
            &[],
        ),
        (
            500,
            r#"{"status":500,"error":"Server error","text":"Unexpected server error."}"#,
            ServerError,
            Some("Unexpected server error."),
            &[],
        ),
        (
            418,
            r#"{"status":418,"error":"Teapot overflow","text":"short and stout"}"#,
            Other,
            Some("short and stout"),
            &[],
        ),
        // Without `text`.
        (
            404,
            r#"{"status":404,"error":"Object not found"}"#,
            NotFound,
            None,
            &[],
        ),
        (
            401,
            r#"{"error":"Authentication failure","text":null,"values":null}"#,
            AuthenticationFailure,
            None,
            &[],
        ),
        // Without `error`: the status decides.
        (
            404,
            r#"{"status":404,"text":"Nonexistent project"}"#,
            NotFound,
            Some("Nonexistent project"),
            &[],
        ),
        (
            405,
            r#"{"text":"not now"}"#,
            MethodNotAllowed,
            Some("not now"),
            &[],
        ),
        (
            500,
            r#"{"error":"","text":"boom"}"#,
            ServerError,
            Some("boom"),
            &[],
        ),
        (409, r#"{"text":"conflict"}"#, Other, Some("conflict"), &[]),
        // Odd shapes of `values` and `text`.
        (
            409,
            r#"{"error":"Slugs already exist","text":"taken","values":"ex"}"#,
            SlugExists,
            Some("taken"),
            &["ex"],
        ),
        (
            400,
            r#"{"error":"Bad object","text":42,"values":[1,true,"x"]}"#,
            BadObject,
            Some("42"),
            &["1", "true", "x"],
        ),
    ];
    for &(status, body, kind, text, values) in cases {
        let parsers: [(&str, Parse); 4] = [
            ("json", |r| json::<Time>(r).map(drop)),
            ("json_list", |r| json_list::<Project>(r).map(drop)),
            ("empty", empty),
            ("token", |r| token(r).map(drop)),
        ];
        for (name, parse) in parsers {
            let error = parse(json_response(status, body)).unwrap_err();
            let api = error
                .api()
                .unwrap_or_else(|| panic!("{name} {body}: {error:?}"));
            assert_eq!(api.status, status, "{name} {body}");
            assert_eq!(api.kind, kind, "{name} {body}");
            assert_eq!(api.text.as_deref(), text, "{name} {body}");
            assert_eq!(api.values, values, "{name} {body}");
            assert_eq!(
                api.is_authentication_failure(),
                kind == AuthenticationFailure
            );
            assert_eq!(error.status(), Some(status));

            let shown = error.to_string();
            assert!(shown.starts_with(&kind.to_string()), "{shown}");
            assert!(shown.contains(&format!("(status {status})")), "{shown}");
            if let Some(text) = text {
                assert!(shown.ends_with(&format!(": {text}")), "{shown}");
            }
        }
    }
}

#[test]
fn error_names_keep_the_servers_wording() {
    let error = empty(json_response(
        400,
        r#"{"status":400,"error":"The provided identifier was invalid","text":"Expected UUID but received x"}"#,
    ))
    .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.error, "The provided identifier was invalid");
    assert_eq!(
        error.to_string(),
        "invalid identifier (status 400): Expected UUID but received x"
    );
    let error = empty(json_response(404, r#"{"error":"Object not found"}"#)).unwrap_err();
    assert_eq!(error.to_string(), "object not found (status 404)");
}

// Bodies that are not TimeSync JSON.

fn unexpected(error: &Error) -> (u16, &str) {
    match error {
        Error::UnexpectedResponse { status, excerpt } => (*status, excerpt.as_str()),
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[test]
fn html_pages_become_unexpected_responses_with_an_excerpt() {
    let html = "text/html; charset=utf-8";
    let cases = [
        (404, EXPRESS_404, "Error Cannot GET /v0/"),
        (
            404,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n\
             </head>\n<body>\n<pre>Cannot PUT /v0/projects/p1</pre>\n</body>\n</html>\n",
            "Error Cannot PUT /v0/projects/p1",
        ),
        (
            502,
            PROXY_502,
            "502 Bad Gateway 502 Bad Gateway nginx/1.25.3",
        ),
        (
            504,
            "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>",
            "504 Gateway Time-out The server didn't respond in time.",
        ),
        (503, "Service Unavailable", "Service Unavailable"),
        (500, "", "empty body"),
        (401, " \r\n ", "empty body"),
        (404, "<html><body></body></html>", "body without text"),
        // JSON, but not a TimeSync error body.
        (
            500,
            r#"{"message":"internal"}"#,
            r#"{"message":"internal"}"#,
        ),
        (502, "[]", "[]"),
    ];
    for (status, body, excerpt) in cases {
        let parsers: [Parse; 4] = [
            |r| json::<Time>(r).map(drop),
            |r| json_list::<Project>(r).map(drop),
            empty,
            |r| token(r).map(drop),
        ];
        for parse in parsers {
            let error = parse(response(status, html, body)).unwrap_err();
            assert_eq!(unexpected(&error), (status, excerpt), "{body}");
            assert_eq!(error.status(), Some(status));
            assert_eq!(
                error.to_string(),
                format!("unexpected response: status {status}: {excerpt}")
            );
        }
    }
}

#[test]
fn a_success_that_is_not_json_is_unexpected() {
    let cases = [
        ("", "empty body"),
        ("OK", "OK"),
        (
            "<html><body>Welcome to nginx!</body></html>",
            "Welcome to nginx!",
        ),
        (
            "Service temporarily unavailable",
            "Service temporarily unavailable",
        ),
        ("404 page not found", "404 page not found"),
        ("true north", "true north"),
        ("null pointer exception", "null pointer exception"),
        ("[1, 2", "[1, 2"),
        (r#"{"duration": 5400,"#, r#"{"duration": 5400,"#),
        ("[] and then some", "[] and then some"),
    ];
    for (body, excerpt) in cases {
        let answer = || response(200, "text/plain", body);
        for error in [
            json::<Time>(answer()).unwrap_err(),
            json_list::<Project>(answer()).unwrap_err(),
            token(answer()).unwrap_err(),
        ] {
            assert_eq!(unexpected(&error), (200, excerpt), "{body:?}");
        }
    }
}

#[test]
fn a_long_page_gives_a_short_excerpt() {
    let body = format!(
        "<html><body><p>{}</p></body></html>",
        "An unusually verbose proxy explains itself at length. ".repeat(300)
    );
    let error = json::<Time>(response(502, "text/html", &body)).unwrap_err();
    let (status, excerpt) = unexpected(&error);
    assert_eq!(status, 502);
    assert!(
        excerpt.starts_with("An unusually verbose proxy"),
        "{excerpt}"
    );
    assert!(excerpt.ends_with("..."), "{excerpt}");
    assert!(excerpt.chars().count() <= 163, "{}", excerpt.len());
    assert!(error.to_string().len() < 220);
}

/// Every piece of `secret` long enough to matter.
fn assert_no_piece_of(secret: &str, text: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.windows(10) {
        let piece: String = window.iter().collect();
        assert!(
            !text.contains(&piece),
            "{piece:?} of the secret in {text:?}"
        );
    }
}

#[test]
fn excerpts_never_contain_a_token() {
    let pages = [
        format!(
            "<!DOCTYPE html><html><head><title>Error</title></head><body>\n\
             <pre>Cannot GET /v0/nowhere?token=abc</pre>\n<p>Bad API token {TOKEN}</p>\n\
             <a href=\"/v0/times?token={TOKEN_ENCODED}\">again</a> or /v0/times?token={TOKEN_ENCODED}\n\
             </body></html>"
        ),
        format!("Cannot GET /v0/times?user=alice&token={TOKEN}&limit=5"),
        format!("Cannot GET /v0/times?token=abc&user=alice {TOKEN_ENCODED}"),
        format!(r#"{{"auth":{{"type":"token","token":"{TOKEN}"}},"object":{{}}}} was refused"#),
        format!("proxy error: upstream said {TOKEN}, {TOKEN_ENCODED}."),
    ];
    // The excerpt is read from the first 4 KiB of a body; a cut through a token must not
    // leave a piece of it behind. The filler puts `kept` bytes of the token before the cut.
    let pages = pages.into_iter().chain([12, 25, 39, 60].map(|kept| {
        let head = "<head><meta name=\"filler\" content=\"";
        let tail = "\"></head><p>Bad API token ";
        let filler = "x".repeat(4096 - head.len() - tail.len() - kept);
        format!("{head}{filler}{tail}{TOKEN}</p>")
    }));
    for page in pages {
        for status in [200, 400, 401, 404, 502] {
            let error = json::<Time>(response(status, "text/html", &page)).unwrap_err();
            let (_, excerpt) = unexpected(&error);
            for text in [excerpt.to_owned(), error.to_string(), format!("{error:?}")] {
                assert_no_piece_of(TOKEN, &text);
                assert_no_piece_of(TOKEN_ENCODED, &text);
                assert!(!text.contains("abc"), "{text}");
            }
        }
    }
}

#[test]
fn error_texts_never_contain_a_token() {
    let bodies = [
        format!(
            r#"{{"status":401,"error":"Authentication failure","text":"Bad API token {TOKEN}"}}"#
        ),
        format!(
            r#"{{"status":400,"error":"Bad query value","text":"Parameter token contained invalid value {TOKEN_ENCODED}","values":["{TOKEN}"]}}"#
        ),
        format!(
            r#"{{"status":401,"error":"Authentication failure","text":"token={TOKEN_ENCODED}&x=1","values":"{TOKEN}"}}"#
        ),
        // In the error name too; the kind is still read from it.
        format!(r#"{{"status":401,"error":"Authentication failure {TOKEN}"}}"#),
    ];
    for body in &bodies {
        let error = empty(json_response(401, body)).unwrap_err();
        assert!(error.api().is_some(), "{error:?}");
        if body.contains("Authentication failure") {
            assert_eq!(
                error.api().map(|api| api.kind),
                Some(timesync_core::ApiErrorKind::AuthenticationFailure),
                "{body}"
            );
        }
        for text in [error.to_string(), format!("{error:?}")] {
            assert_no_piece_of(TOKEN, &text);
            assert_no_piece_of(TOKEN_ENCODED, &text);
        }
    }
}

#[test]
fn a_decode_path_never_contains_a_token() {
    // A token as a map key: the username of a project member.
    let body = format!(r#"{{"users":{{"{TOKEN}":{{"member":true}}}}}}"#);
    let error = timesync_core::response::project_users(json_response(200, &body)).unwrap_err();
    // The key runs into its parent's name (a token holds dots), so the path goes as a whole.
    assert_eq!(decode_error(&error).1, "<redacted>");
    for text in [error.to_string(), format!("{error:?}")] {
        assert_no_piece_of(TOKEN, &text);
    }
}

#[test]
fn an_empty_token_is_no_login() {
    let error = token(json_response(200, r#"{"token":""}"#)).unwrap_err();
    assert_eq!(decode_error(&error), (200, "token", "the token is empty"));
}

// JSON of the wrong shape.

fn decode_error(error: &Error) -> (u16, &str, &str) {
    match error {
        Error::Decode {
            status,
            path,
            message,
        } => (*status, path.as_str(), message.as_str()),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn wrong_shapes_name_the_field() {
    let bad_duration = TIME_B.replace("5400", r#""1h30m""#);
    let zero_duration = TIME_B.replace("5400", "0");
    let bad_project = TIME_A.replace(r#"["ex","example"]"#, r#"["ex","Not A Slug"]"#);
    let number_project = TIME_A.replace(r#"["ex","example"]"#, "42");
    let bad_stamp = TIME_A.replace(r#""created_at":"2024-03-04""#, r#""created_at":true"#);
    let bad_day = TIME_A.replace(
        r#""created_at":"2024-03-04""#,
        r#""created_at":"2024-02-30""#,
    );
    let huge_millis = TIME_A.replace(
        r#""created_at":"2024-03-04""#,
        r#""created_at":18446744073709551615"#,
    );
    let bad_member = PROJECT.replace(r#""manager":false"#, r#""manager":"no""#);
    let bad_slug = PROJECT.replace(r#""slugs":["ex","example"]"#, r#""slugs":["ex","Ex"]"#);

    let list_of_times: Parse = |r| json_list::<Time>(r).map(drop);
    let one_time: Parse = |r| json::<Time>(r).map(drop);
    let list_of_projects: Parse = |r| json_list::<Project>(r).map(drop);
    let one_project: Parse = |r| json::<Project>(r).map(drop);
    let one_user: Parse = |r| json::<User>(r).map(drop);
    let login: Parse = |r| token(r).map(drop);

    let cases: Vec<(Parse, String, &str, &str)> = vec![
        (
            list_of_times,
            format!("[{TIME_A},{bad_duration}]"),
            "[1].duration",
            "invalid type",
        ),
        (
            list_of_times,
            format!("[{TIME_A},{TIME_A},{zero_duration}]"),
            "[2].duration",
            "positive",
        ),
        (one_time, bad_duration.clone(), "duration", "invalid type"),
        (
            list_of_times,
            bad_duration.clone(),
            "duration",
            "invalid type",
        ),
        (one_time, bad_project.clone(), "project[1]", "lowercase"),
        (
            list_of_times,
            format!("[{bad_project}]"),
            "[0].project[1]",
            "lowercase",
        ),
        (
            one_time,
            number_project,
            "project",
            "a slug, a list of slugs or null",
        ),
        (
            one_time,
            bad_stamp,
            "created_at",
            "expected a YYYY-MM-DD date",
        ),
        (
            one_time,
            bad_day,
            "created_at",
            "invalid date \"2024-02-30\"",
        ),
        (one_time, huge_millis, "created_at", "out of range"),
        (
            list_of_times,
            r#"[{"uuid":"0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"}]"#.to_owned(),
            "[0]",
            "missing field",
        ),
        (
            one_time,
            TIME_A.replace("0c1d2e3f-4a5b", "not-a-uuid"),
            "uuid",
            "",
        ),
        (
            one_time,
            TIME_A.replace("2024-03-03", "03/03/2024"),
            "date_worked",
            "",
        ),
        (
            list_of_projects,
            format!("[{PROJECT},{bad_member}]"),
            "[1].users.bob.manager",
            "invalid type",
        ),
        (one_project, bad_slug, "slugs[1]", "invalid slug"),
        (
            one_user,
            r#"{"username":"alice","site_admin":"yes"}"#.to_owned(),
            "site_admin",
            "invalid type",
        ),
        (
            one_user,
            r#"{"username":"bad user!"}"#.to_owned(),
            "username",
            "invalid username",
        ),
        (
            list_of_times,
            r#""just a string""#.to_owned(),
            ".",
            "invalid type",
        ),
        (list_of_projects, "42".to_owned(), ".", "invalid type"),
        (one_time, "[]".to_owned(), ".", "invalid"),
        (login, "{}".to_owned(), ".", "missing field `token`"),
        (login, r#"{"token":42}"#.to_owned(), "token", "invalid type"),
        (
            login,
            r#"{"token":null}"#.to_owned(),
            "token",
            "invalid type",
        ),
        (
            login,
            r#"{"jwt":"abc"}"#.to_owned(),
            ".",
            "missing field `token`",
        ),
    ];
    for (parse, body, path, message) in cases {
        for status in [200, 201] {
            let error = parse(response(status, "text/html", &body)).unwrap_err();
            let (got_status, got_path, got_message) = decode_error(&error);
            assert_eq!((got_status, got_path), (status, path), "{body}");
            assert!(got_message.contains(message), "{got_message:?} for {body}");
            assert_eq!(error.status(), Some(status));
            let shown = error.to_string();
            assert!(
                shown.starts_with(&format!(
                    "cannot decode response (status {status}) at {path}: "
                )),
                "{shown}"
            );
        }
    }
}

// Nothing panics.

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "[\\[\\]{}\":,0-9a-z .\\-]{0,200}".prop_map(String::into_bytes),
        "\\PC{0,200}".prop_map(String::into_bytes),
        Just(TIME_A.as_bytes().to_vec()),
        Just(format!("[{TIME_A},{TIME_B}]").into_bytes()),
        Just(PROJECT.as_bytes().to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn interpreting_never_panics(status in 100u16..=599, body in any_body(), cut in 0usize..400) {
        // Truncated copies of valid bodies reach the deeper parts of each parser.
        let cut = cut.min(body.len());
        for body in [body.clone(), body[..cut].to_vec()] {
            let answer = || Response::builder().status(status).body(body.clone()).unwrap();
            let results = [
                json::<Time>(answer()).map(drop),
                json_list::<Project>(answer()).map(drop),
                empty(answer()),
                token(answer()).map(drop),
            ];
            let success = (200..300).contains(&status);
            for result in results {
                match result {
                    Ok(()) => prop_assert!(success, "{status} accepted"),
                    Err(error) => {
                        prop_assert_eq!(error.status(), Some(status));
                        let shown = error.to_string();
                        prop_assert!(shown.starts_with(|c: char| c.is_lowercase()), "{shown}");
                        prop_assert!(shown.len() < 1000, "{shown}");
                    }
                }
            }
            if success {
                prop_assert_eq!(empty(answer()), Ok(()));
            }
        }
    }
}
