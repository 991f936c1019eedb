//! Every endpoint over real HTTP: reads, filters, creations, partial updates with revisions,
//! soft deletion, and their error answers.

mod common;

use common::{Api, send, strings};
use serde_json::{Value, json};
use timesync_mock::{MockServer, Seed};

const ALICE_TIME: &str = "00070000-0000-4000-8000-000000000001";
const ALICE_REVISED_TIME: &str = "00070000-0000-4000-8000-000000000004";
const BOB_DELETED_TIME: &str = "00070000-0000-4000-8000-00000000000d";
const UNKNOWN_UUID: &str = "00000000-0000-4000-8000-000000000000";

fn demo() -> Api {
    Api::new(
        MockServer::builder()
            .seed(Seed::Demo)
            .start()
            .expect("server starts"),
    )
}

fn keys(object: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {object}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

const TIME_KEYS: &[&str] = &[
    "activities",
    "created_at",
    "date_worked",
    "deleted_at",
    "duration",
    "issue_uri",
    "notes",
    "project",
    "revision",
    "updated_at",
    "user",
    "uuid",
];

#[test]
fn times_list_get_and_filters() {
    let api = demo();
    let admin = api.token("admin");

    let all = api.get(&admin, "/times?limit=0").ok();
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(51),
        "the deleted one is hidden"
    );
    assert_eq!(keys(&all[0]), TIME_KEYS);
    assert_eq!(all[0]["project"], json!(["ganeti-webmgr", "gwm"]));
    assert_eq!(all[0]["activities"], json!(["dev"]));
    assert_eq!(all[0]["date_worked"], "2024-03-04");

    let with_deleted = api.get(&admin, "/times?limit=0&include_deleted=true").ok();
    assert_eq!(with_deleted.as_array().map(Vec::len), Some(52));

    let bob = api.get(&admin, "/times?user=bob&limit=0").ok();
    assert_eq!(bob.as_array().map(Vec::len), Some(19));
    assert!(strings(&bob, "user").iter().all(|u| u == "bob"));
    let two_users = api.get(&admin, "/times?user=bob&user=pat&limit=0").ok();
    assert_eq!(two_users.as_array().map(Vec::len), Some(19 + 12));

    // Any slug of a project selects it; repeated parameters widen, different ones narrow.
    let gwm = api.get(&admin, "/times?project=ganeti-webmgr&limit=0").ok();
    assert_eq!(gwm.as_array().map(Vec::len), Some(16 + 4));
    let gwm_meetings = api
        .get(&admin, "/times?project=gwm&activity=meeting&limit=0")
        .ok();
    assert_eq!(strings(&gwm_meetings, "user"), ["pat", "pat", "pat", "pat"]);
    let review_or_docs = api
        .get(&admin, "/times?activity=review&activity=docs&limit=0")
        .ok();
    assert_eq!(review_or_docs.as_array().map(Vec::len), Some(8 + 4));

    let week = api
        .get(&admin, "/times?start=2024-03-11&end=2024-03-15&limit=0")
        .ok();
    assert_eq!(week.as_array().map(Vec::len), Some(13));
    assert!(
        strings(&week, "date_worked")
            .iter()
            .all(|d| d.as_str() >= "2024-03-11" && d.as_str() <= "2024-03-15")
    );
    let friday = api.get(&admin, "/times?start=2024-03-29&limit=0").ok();
    assert_eq!(strings(&friday, "user"), ["alice", "bob"]);

    let one = api.get(&admin, &format!("/times/{ALICE_TIME}")).ok();
    assert_eq!(one, all[0]);
    // Upper-case uuids name the same time.
    let upper = api
        .get(&admin, &format!("/times/{}", ALICE_TIME.to_uppercase()))
        .ok();
    assert_eq!(upper["uuid"], ALICE_TIME);
    // A uuid query drops every filter but include_deleted and include_revisions.
    let filtered = api
        .get(
            &admin,
            &format!("/times/{ALICE_TIME}?user=bob&start=nonsense"),
        )
        .ok();
    assert_eq!(filtered["uuid"], ALICE_TIME);
}

#[test]
fn times_bad_query_values() {
    let api = demo();
    let admin = api.token("admin");
    let cases = [
        ("user=nosuchuser", "user", "nosuchuser"),
        ("project=nosuchproject", "project", "nosuchproject"),
        ("project=Bad_Slug", "project", "Bad_Slug"),
        ("activity=planning", "activity", "planning"),
        ("start=notadate", "start", "notadate"),
        ("end=2024-02-30", "end", "2024-02-30"),
        ("include_deleted=yes", "include_deleted", "yes"),
        ("include_revisions=1", "include_revisions", "1"),
    ];
    for (query, parameter, value) in cases {
        api.get(&admin, &format!("/times?{query}")).assert_error(
            400,
            "Bad query value",
            &format!("Parameter {parameter} contained invalid value {value}"),
        );
    }
    // Unknown parameters are ignored.
    api.get(&admin, "/times?color=red").ok();
}

#[test]
fn times_identifier_errors() {
    let api = demo();
    let admin = api.token("admin");
    let body = api.get(&admin, "/times/not-a-uuid").assert_error(
        400,
        "The provided identifier was invalid",
        "Expected UUID but received not-a-uuid",
    );
    assert_eq!(body["values"], json!(["not-a-uuid"]));
    api.get(&admin, &format!("/times/{UNKNOWN_UUID}"))
        .assert_error(404, "Object not found", "Nonexistent time");
    api.get(&admin, &format!("/times/{BOB_DELETED_TIME}"))
        .assert_error(404, "Object not found", "Nonexistent time");
    let deleted = api
        .get(
            &admin,
            &format!("/times/{BOB_DELETED_TIME}?include_deleted=true"),
        )
        .ok();
    assert_eq!(deleted["deleted_at"], "2024-03-11");
    api.delete(&admin, &format!("/times/{UNKNOWN_UUID}"))
        .assert_error(404, "Object not found", "Nonexistent uuid");
    api.post(
        &admin,
        &format!("/times/{UNKNOWN_UUID}"),
        json!({"duration": 10}),
    )
    .assert_error(404, "Object not found", "Nonexistent time");
}

#[test]
fn times_revisions() {
    let api = demo();
    let admin = api.token("admin");
    let plain = api
        .get(&admin, &format!("/times/{ALICE_REVISED_TIME}"))
        .ok();
    assert_eq!(plain["revision"], 2);
    assert_eq!(plain["duration"], 9000);
    assert!(plain.get("parents").is_none());
    let revised = api
        .get(
            &admin,
            &format!("/times/{ALICE_REVISED_TIME}?include_revisions=true"),
        )
        .ok();
    let parents = revised["parents"].as_array().expect("parents");
    assert_eq!(parents.len(), 1);
    assert_eq!(parents[0]["revision"], 1);
    assert_eq!(parents[0]["duration"], 7200);
    assert_eq!(parents[0]["updated_at"], Value::Null);
    assert_eq!(parents[0]["uuid"], ALICE_REVISED_TIME);
    assert_eq!(keys(&parents[0]), TIME_KEYS);
    let list = api
        .get(
            &admin,
            "/times?include_revisions=true&user=alice&start=2024-03-05&end=2024-03-05",
        )
        .ok();
    assert_eq!(list[0]["parents"].as_array().map(Vec::len), Some(1));
}

#[test]
fn times_create() {
    let api = demo();
    let alice = api.token("alice");
    let object = json!({
        "duration": 3600,
        "user": "alice",
        "project": "ts",
        "activities": ["docs", "dev"],
        "notes": "wrote the mock",
        "issue_uri": "https://github.com/osuosl/timesync/issues/1",
        "date_worked": "2024-04-01"
    });
    let created = api.post(&alice, "/times", object).ok();
    assert_eq!(keys(&created), TIME_KEYS);
    assert_eq!(
        created["project"], "ts",
        "the create response echoes the slug sent"
    );
    assert_eq!(created["activities"], json!(["docs", "dev"]));
    assert_eq!(created["revision"], 1);
    assert_eq!(created["updated_at"], Value::Null);
    let uuid = created["uuid"].as_str().expect("uuid").to_owned();

    let fetched = api.get(&alice, &format!("/times/{uuid}")).ok();
    assert_eq!(fetched["project"], json!(["timesync", "ts"]));
    assert_eq!(fetched["activities"], json!(["dev", "docs"]));
    assert_eq!(fetched["notes"], "wrote the mock");
    assert_eq!(fetched["created_at"], created["created_at"]);

    // Without activities, the project's default activity.
    let defaulted = api
        .post(
            &alice,
            "/times",
            json!({"duration": 60, "user": "alice", "project": "timesync", "date_worked": "2024-04-02"}),
        )
        .ok();
    assert_eq!(defaulted["activities"], json!(["dev"]));
    assert_eq!(defaulted["notes"], Value::Null);
    api.post(
        &alice,
        "/times",
        json!({"duration": 60, "user": "alice", "project": "gwm", "date_worked": "2024-04-02"}),
    )
    .assert_error(400, "Bad object", "The time is missing a activities");
}

#[test]
fn times_create_errors() {
    let api = demo();
    let alice = api.token("alice");
    let valid = json!({
        "duration": 60, "user": "alice", "project": "gwm", "activities": ["dev"],
        "date_worked": "2024-04-01"
    });
    let with = |key: &str, value: Value| {
        let mut object = valid.clone();
        object[key] = value;
        object
    };
    let without = |key: &str| {
        let mut object = valid.clone();
        object.as_object_mut().map(|o| o.remove(key));
        object
    };
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            without("date_worked"),
            400,
            "Bad object",
            "The time is missing a date_worked",
        ),
        (
            without("duration"),
            400,
            "Bad object",
            "The time is missing a duration",
        ),
        (
            without("project"),
            400,
            "Bad object",
            "The time is missing a project",
        ),
        (
            without("user"),
            400,
            "Bad object",
            "The time is missing a user",
        ),
        (
            with("duration", json!("1h")),
            400,
            "Bad object",
            "Field duration of time should be number but was sent as string",
        ),
        (
            with("duration", json!(-5)),
            400,
            "Bad object",
            "Field duration of time should be positive integer but was sent as negative integer",
        ),
        (
            with("notes", Value::Null),
            400,
            "Bad object",
            "Field notes of time should be string but was sent as null",
        ),
        (
            with("activities", json!("dev")),
            400,
            "Bad object",
            "Field activities of time should be array but was sent as string",
        ),
        (
            with("activities", json!(["Dev"])),
            400,
            "Bad object",
            "Field activities of time should be slugs but was sent as non-slug strings",
        ),
        (
            with("project", json!("Bad Slug")),
            400,
            "Bad object",
            "Field project of time should be slug but was sent as invalid slug Bad Slug",
        ),
        (
            with("issue_uri", json!("not a uri")),
            400,
            "Bad object",
            "Field issue_uri of time should be URI but was sent as invalid URI not a uri",
        ),
        (
            with("date_worked", json!("04/01/2024")),
            400,
            "Bad object",
            "Field date_worked of time should be ISO-8601 date but was sent as 04/01/2024",
        ),
        (
            with("color", json!("red")),
            400,
            "Bad object",
            "time does not have a color field",
        ),
        (
            with("project", json!("nosuchproj")),
            409,
            "Invalid foreign key",
            "The time does not contain a valid project reference.",
        ),
        (
            with("activities", json!(["nosuchact"])),
            409,
            "Invalid foreign key",
            "The time does not contain a valid activities reference.",
        ),
        (
            with("user", json!("bob")),
            401,
            "Authorization failure",
            "alice is not authorized to create time entries for bob",
        ),
    ];
    for (object, status, error, text) in cases {
        api.post(&alice, "/times", object)
            .assert_error(status, error, text);
    }
    api.post_raw(
        "/times",
        &json!({"auth": {"type": "token", "token": alice}}).to_string(),
    )
    .assert_error(400, "Bad object", "The request body is missing an object");
}

#[test]
fn times_update_is_partial_and_revised() {
    let api = demo();
    let alice = api.token("alice");
    let path = format!("/times/{ALICE_TIME}");
    let before = api.get(&alice, &path).ok();

    let updated = api
        .post(&alice, &path, json!({"duration": 5400, "notes": "updated"}))
        .ok();
    assert_eq!(
        keys(&updated),
        TIME_KEYS,
        "the whole object, unlike the reference"
    );
    assert_eq!(updated["duration"], 5400);
    assert_eq!(updated["notes"], "updated");
    assert_eq!(updated["revision"], 2);
    assert!(updated["updated_at"].is_string());
    for kept in [
        "project",
        "activities",
        "issue_uri",
        "date_worked",
        "user",
        "created_at",
    ] {
        assert_eq!(updated[kept], before[kept], "{kept}");
    }

    let moved = api
        .post(
            &alice,
            &path,
            json!({"project": "ts", "activities": ["docs", "review"], "notes": "", "date_worked": "2024-03-03"}),
        )
        .ok();
    assert_eq!(moved["project"], json!(["timesync", "ts"]));
    assert_eq!(moved["activities"], json!(["docs", "review"]));
    assert_eq!(moved["notes"], "", "an empty string empties the field");
    assert_eq!(moved["date_worked"], "2024-03-03");
    assert_eq!(moved["duration"], 5400);
    assert_eq!(moved["revision"], 3);

    let history = api
        .get(&alice, &format!("{path}?include_revisions=true"))
        .ok();
    assert_eq!(column_u64(&history["parents"], "revision"), [2, 1]);
    assert_eq!(history["parents"][1]["duration"], 7200);
    assert_eq!(
        history["parents"][0]["project"],
        json!(["ganeti-webmgr", "gwm"])
    );

    // Errors.
    api.post(&alice, &path, json!({"activities": []})).assert_error(
        400,
        "Bad object",
        "Field activities of time should be non-empty array of slugs but was sent as empty array",
    );
    api.post(&alice, &path, json!({"duration": -5}))
        .assert_error(
            400,
            "Bad object",
            "Field duration of time should be positive integer but was sent as negative integer",
        );
    api.post(&alice, &path, json!({"duration": "1h"}))
        .assert_error(
            400,
            "Bad object",
            "Field duration of time should be number but was sent as string",
        );
    api.post(&alice, &path, json!({"shoe_size": 10}))
        .assert_error(400, "Bad object", "time does not have a shoe_size field");
    api.post(&alice, &path, json!({"project": "pgd"}))
        .assert_error(
            401,
            "Authorization failure",
            "alice is not authorized to create time entries for project pgd",
        );
    api.post(&alice, &path, json!({"activities": ["nosuchact"]}))
        .assert_error(
            409,
            "Invalid foreign key",
            "The time does not contain a valid activities reference.",
        );
    api.post(&alice, "/times/not-a-uuid", json!({}))
        .assert_error(
            400,
            "The provided identifier was invalid",
            "Expected UUID but received not-a-uuid",
        );
    let unchanged = api.get(&alice, &path).ok();
    assert_eq!(unchanged["revision"], 3, "failed updates add no revision");
}

fn column_u64(list: &Value, key: &str) -> Vec<u64> {
    common::column(list, key)
        .iter()
        .map(|v| v.as_u64().unwrap_or_default())
        .collect()
}

#[test]
fn times_delete_is_soft() {
    let api = demo();
    let alice = api.token("alice");
    let path = format!("/times/{ALICE_TIME}");
    api.delete(&alice, &path).assert_deleted();
    api.get(&alice, &path)
        .assert_error(404, "Object not found", "Nonexistent time");
    let kept = api
        .get(&alice, &format!("{path}?include_deleted=true"))
        .ok();
    assert!(kept["deleted_at"].is_string());
    api.delete(&alice, &path)
        .assert_error(404, "Object not found", "Nonexistent uuid");
    api.post(&alice, &path, json!({"duration": 1}))
        .assert_error(404, "Object not found", "Nonexistent time");
}

#[test]
fn projects_read() {
    let api = demo();
    let carol = api.token("carol");
    let projects = api.get(&carol, "/projects").ok();
    assert_eq!(
        strings(&projects, "name"),
        [
            "Ganeti Web Manager",
            "TimeSync",
            "Protein Geometry Database"
        ]
    );
    assert_eq!(
        keys(&projects[0]),
        [
            "created_at",
            "default_activity",
            "deleted_at",
            "name",
            "revision",
            "slugs",
            "updated_at",
            "uri",
            "users",
            "uuid"
        ]
    );
    assert_eq!(projects[0]["slugs"], json!(["ganeti-webmgr", "gwm"]));
    assert_eq!(
        projects[0]["users"]["pat"],
        json!({"member": true, "spectator": true, "manager": true})
    );
    assert_eq!(projects[1]["default_activity"], "dev");

    let all = api.get(&carol, "/projects?include_deleted=true").ok();
    assert_eq!(all.as_array().map(Vec::len), Some(4));
    assert_eq!(all[3]["slugs"], json!([]));
    assert!(all[3]["deleted_at"].is_string());

    let bobs = api.get(&carol, "/projects?user=bob").ok();
    assert_eq!(strings(&bobs, "name").len(), 3);
    let pats = api.get(&carol, "/projects?user=pat").ok();
    assert_eq!(strings(&pats, "name"), ["Ganeti Web Manager", "TimeSync"]);
    api.get(&carol, "/projects?user=nobody").assert_error(
        400,
        "Bad query value",
        "Parameter user contained invalid value nobody",
    );

    let by_other_slug = api.get(&carol, "/projects/ts").ok();
    assert_eq!(by_other_slug, projects[1]);
    let with_revisions = api.get(&carol, "/projects/ts?include_revisions=true").ok();
    let parent = &with_revisions["parents"][0];
    assert_eq!(parent["name"], "TimeSync API");
    assert_eq!(parent["revision"], 1);
    assert!(parent.get("users").is_none() && parent.get("slugs").is_none());

    let body = api.get(&carol, "/projects/bad_slug%21").assert_error(
        400,
        "The provided identifier was invalid",
        "Expected slug but received bad_slug!",
    );
    assert_eq!(body["values"], json!(["bad_slug!"]));
    api.get(&carol, "/projects/nosuchproject").assert_error(
        404,
        "Object not found",
        "Nonexistent project",
    );
}

#[test]
fn projects_create_update_delete() {
    let api = demo();
    let admin = api.token("admin");
    let created = api
        .post(
            &admin,
            "/projects",
            json!({
                "name": "Mock Project", "uri": "https://example.com/mock", "slugs": ["mock", "mp"],
                "default_activity": "docs",
                "users": {"alice": {"member": true, "spectator": false, "manager": true}}
            }),
        )
        .ok();
    assert_eq!(created["slugs"], json!(["mock", "mp"]));
    assert_eq!(created["default_activity"], "docs");
    assert_eq!(created["revision"], 1);
    assert_eq!(created["users"]["alice"]["manager"], true);

    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            json!({"name": "Dup", "slugs": ["gwm"]}),
            409,
            "The slug provided already exists",
            "slug gwm already exists",
        ),
        (
            json!({"name": "Dups", "slugs": ["pgd", "new", "ts"]}),
            409,
            "The slug provided already exists",
            "slugs pgd, ts already exist",
        ),
        (
            json!({"name": "No Slugs"}),
            400,
            "Bad object",
            "The project is missing a slugs",
        ),
        (
            json!({"slugs": ["noname"]}),
            400,
            "Bad object",
            "The project is missing a name",
        ),
        (
            json!({"name": "X", "slugs": ["xx"], "color": "red"}),
            400,
            "Bad object",
            "project does not have a color field",
        ),
        (
            json!({"name": "X", "slugs": ["Bad Slug"]}),
            400,
            "Bad object",
            "Field slugs of project should be slugs but was sent as non-slug strings",
        ),
        (
            json!({"name": "X", "slugs": []}),
            400,
            "Bad object",
            "Field slugs of project should be non-empty array of slugs but was sent as empty array",
        ),
        (
            json!({"name": "X", "slugs": ["xx"], "uri": "nope"}),
            400,
            "Bad object",
            "Field uri of project should be URI but was sent as invalid URI nope",
        ),
        (
            json!({"name": "X", "slugs": ["xx"], "default_activity": "planning"}),
            409,
            "Invalid foreign key",
            "The project does not contain a valid default_activity reference.",
        ),
        (
            json!({"name": "X", "slugs": ["xx"], "users": {"nobody": {"member": true}}}),
            409,
            "Invalid foreign key",
            "The project does not contain a valid users reference.",
        ),
    ];
    for (object, status, error, text) in cases {
        api.post(&admin, "/projects", object)
            .assert_error(status, error, text);
    }
    let dup = api
        .post(&admin, "/projects", json!({"name": "Dup", "slugs": ["mp"]}))
        .assert_error(
            409,
            "The slug provided already exists",
            "slug mp already exists",
        );
    assert_eq!(dup["values"], json!(["mp"]));

    // Partial update: slugs replace slugs, other fields stay.
    let updated = api
        .post(
            &admin,
            "/projects/mock",
            json!({"name": "Renamed", "slugs": ["mock", "mp", "mock2"]}),
        )
        .ok();
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["slugs"], json!(["mock", "mock2", "mp"]));
    assert_eq!(updated["uri"], "https://example.com/mock");
    assert_eq!(updated["default_activity"], "docs");
    assert_eq!(updated["revision"], 2);
    assert!(updated["users"]["alice"].is_object());
    let fewer = api
        .post(
            &admin,
            "/projects/mock2",
            json!({"slugs": ["mock3"], "users": {}}),
        )
        .ok();
    assert_eq!(fewer["slugs"], json!(["mock3"]));
    assert_eq!(fewer["users"], json!({}));
    api.get(&admin, "/projects/mock")
        .assert_error(404, "Object not found", "Nonexistent project");
    // A freed slug can be taken again.
    api.post(
        &admin,
        "/projects",
        json!({"name": "Other", "slugs": ["mock"]}),
    )
    .ok();
    api.post(&admin, "/projects/mock3", json!({"slugs": ["pgd"]}))
        .assert_error(
            409,
            "The slug provided already exists",
            "slug pgd already exists",
        );
    api.post(&admin, "/projects/nosuchproject", json!({"name": "x"}))
        .assert_error(404, "Object not found", "Nonexistent project");
    api.post(&admin, "/projects/mock3", json!({"default_activity": ""}))
        .ok();
    assert_eq!(
        api.get(&admin, "/projects/mock3").ok()["default_activity"],
        Value::Null
    );

    // Deleting frees the slugs; refused while live times use the project.
    api.delete(&admin, "/projects/gwm").assert_error(
        405,
        "Method not allowed",
        "The method specified is not allowed for the project identified",
    );
    let refused = api.delete(&admin, "/projects/gwm");
    assert_eq!(refused.header("allow"), Some("GET, POST"));
    api.delete(&admin, "/projects/mock3").assert_deleted();
    api.get(&admin, "/projects/mock3")
        .assert_error(404, "Object not found", "Nonexistent project");
    let all = api.get(&admin, "/projects?include_deleted=true").ok();
    let gone = all
        .as_array()
        .and_then(|all| all.iter().find(|p| p["name"] == "Renamed"))
        .expect("deleted project listed");
    assert_eq!(gone["slugs"], json!([]));
    api.delete(&admin, "/projects/nosuchproject").assert_error(
        404,
        "Object not found",
        "Nonexistent slug",
    );
    api.post(
        &admin,
        "/projects",
        json!({"name": "Again", "slugs": ["mock3"]}),
    )
    .ok();
}

#[test]
fn activities() {
    let api = demo();
    let admin = api.token("admin");
    let list = api.get(&admin, "/activities").ok();
    assert_eq!(
        strings(&list, "slug"),
        ["dev", "docs", "review", "meeting", "sys"]
    );
    assert_eq!(
        keys(&list[0]),
        [
            "created_at",
            "deleted_at",
            "name",
            "revision",
            "slug",
            "updated_at",
            "uuid"
        ]
    );
    let all = api.get(&admin, "/activities?include_deleted=true").ok();
    assert_eq!(all[5]["name"], "Planning");
    assert_eq!(all[5]["slug"], Value::Null);

    let created = api
        .post(
            &admin,
            "/activities",
            json!({"name": "Testing", "slug": "testing"}),
        )
        .ok();
    assert_eq!(keys(&created), keys(&list[0]));
    assert_eq!(created["revision"], 1);
    api.get(&admin, "/activities/testing").ok();

    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            json!({"name": "Planning", "slug": "plan"}),
            400,
            "Bad object",
            "Field name of activity should be unique name but was sent as name which already exists",
        ),
        (
            json!({"name": "Dev Two", "slug": "dev"}),
            409,
            "The slug provided already exists",
            "slug dev already exists",
        ),
        (
            json!({"name": "No slug"}),
            400,
            "Bad object",
            "The activity is missing a slug",
        ),
        (
            json!({"slug": "noname"}),
            400,
            "Bad object",
            "The activity is missing a name",
        ),
        (
            json!({"name": "Bad", "slug": "Bad Slug"}),
            400,
            "Bad object",
            "Field slug of activity should be slug but was sent as invalid slug Bad Slug",
        ),
        (
            json!({"name": "Bad", "slug": 5}),
            400,
            "Bad object",
            "Field slug of activity should be string but was sent as number",
        ),
        (
            json!({"name": "X", "slug": "x", "slugs": ["x"]}),
            400,
            "Bad object",
            "activity does not have a slugs field",
        ),
    ];
    for (object, status, error, text) in cases {
        api.post(&admin, "/activities", object)
            .assert_error(status, error, text);
    }

    let updated = api
        .post(
            &admin,
            "/activities/testing",
            json!({"name": "Testing (updated)"}),
        )
        .ok();
    assert_eq!(
        keys(&updated),
        keys(&list[0]),
        "deleted_at included, unlike the reference"
    );
    assert_eq!(updated["revision"], 2);
    assert_eq!(updated["slug"], "testing");
    let reslugged = api
        .post(&admin, "/activities/testing", json!({"slug": "qa"}))
        .ok();
    assert_eq!(reslugged["slug"], "qa");
    let history = api
        .get(&admin, "/activities/qa?include_revisions=true")
        .ok();
    assert_eq!(history["parents"][0]["name"], "Testing (updated)");
    assert_eq!(history["parents"][1]["slug"], "testing");
    // The reference wedges after this one; the mock answers and carries on.
    api.post(
        &admin,
        "/activities/nosuchactivity",
        json!({"name": "Whatever"}),
    )
    .assert_error(404, "Object not found", "Nonexistent activity");
    api.get(&admin, "/projects").ok();

    api.get(&admin, "/activities/Bad--Slug").assert_error(
        400,
        "The provided identifier was invalid",
        "Expected slug but received Bad--Slug",
    );
    api.get(&admin, "/activities/nosuchactivity").assert_error(
        404,
        "Object not found",
        "Nonexistent activity",
    );

    api.delete(&admin, "/activities/qa").assert_deleted();
    api.get(&admin, "/activities/qa")
        .assert_error(404, "Object not found", "Nonexistent activity");
    api.post(
        &admin,
        "/activities",
        json!({"name": "Quality", "slug": "qa"}),
    )
    .ok();
    let refused = api.delete(&admin, "/activities/dev");
    refused.assert_error(
        405,
        "Method not allowed",
        "The method specified is not allowed for the activity identified",
    );
    assert_eq!(refused.header("allow"), Some("GET, POST"));
    api.delete(&admin, "/activities/nosuchactivity")
        .assert_error(404, "Object not found", "Nonexistent slug");
}

const USER_KEYS: &[&str] = &[
    "active",
    "created_at",
    "deleted_at",
    "display_name",
    "email",
    "meta",
    "org-roles",
    "site_admin",
    "site_manager",
    "site_spectator",
    "updated_at",
    "username",
];

#[test]
fn users() {
    let api = demo();
    let admin = api.token("admin");
    let list = api.get(&admin, "/users").ok();
    assert_eq!(
        strings(&list, "username"),
        [
            "admin",
            "manager",
            "spectator",
            "pat",
            "alice",
            "bob",
            "carol"
        ]
    );
    assert_eq!(keys(&list[0]), USER_KEYS);
    let all = api.get(&admin, "/users?include_deleted=true").ok();
    assert_eq!(all.as_array().map(Vec::len), Some(8));
    api.get(&admin, "/users/dave")
        .assert_error(404, "Object not found", "Nonexistent user");
    let dave = api.get(&admin, "/users/dave?include_deleted=true").ok();
    assert!(dave["deleted_at"].is_string());
    let bob = api.get(&admin, "/users/bob").ok();
    assert_eq!(bob["org-roles"], json!(["sysadmin", "developer"]));
    api.get(&admin, "/users/bad%20user%21").assert_error(
        400,
        "The provided identifier was invalid",
        "Expected username but received bad user!",
    );
    api.get(&admin, "/users/nosuchuser")
        .assert_error(404, "Object not found", "Nonexistent user");

    let sysadmins = api.get(&admin, "/users?role=sysadmin").ok();
    assert_eq!(strings(&sysadmins, "username"), ["bob"]);
    let either = api.get(&admin, "/users?role=sysadmin&role=developer").ok();
    assert_eq!(strings(&either, "username"), ["pat", "alice", "bob"]);
    api.get(&admin, "/users?role=nosuchrole").assert_error(
        400,
        "Bad query value",
        "Parameter role contained invalid value nosuchrole",
    );

    let created = api
        .post(
            &admin,
            "/users",
            json!({
                "username": "erin", "password": common::hash("erin-pass"),
                "display_name": "Erin", "email": "erin@example.com", "site_spectator": true,
                "active": true, "meta": "made by a test", "org-roles": ["sysadmin"]
            }),
        )
        .ok();
    assert_eq!(keys(&created), USER_KEYS);
    assert!(
        created["created_at"].is_u64(),
        "epoch milliseconds, as in the reference"
    );
    assert_eq!(created["org-roles"], json!(["sysadmin"]));
    assert_eq!(created["site_spectator"], true);
    let fetched = api.get(&admin, "/users/erin").ok();
    assert!(fetched["created_at"].is_string());

    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            json!({"username": "alice", "password": "x"}),
            409,
            "Username already exists",
            "username alice already exists",
        ),
        (
            json!({"username": "dave", "password": "x"}),
            409,
            "Username already exists",
            "username dave already exists",
        ),
        (
            json!({"username": "nopass"}),
            400,
            "Bad object",
            "The user is missing a password",
        ),
        (
            json!({"password": "x"}),
            400,
            "Bad object",
            "The user is missing a username",
        ),
        (
            json!({"username": "bad user", "password": "x"}),
            401,
            "Invalid username",
            "bad user is not a valid username",
        ),
        (
            json!({"username": "a.b", "password": "x"}),
            401,
            "Invalid username",
            "a.b is not a valid username",
        ),
        (
            json!({"username": "x", "password": "x", "shoe_size": 10}),
            400,
            "Bad object",
            "user does not have a shoe_size field",
        ),
        (
            json!({"username": "x", "password": "x", "active": "yes"}),
            400,
            "Bad object",
            "Field active of user should be boolean but was sent as string",
        ),
        (
            json!({"username": "x", "password": "x", "org-roles": ["nosuchrole"]}),
            409,
            "Invalid foreign key",
            "The user does not contain a valid org-roles reference.",
        ),
    ];
    for (object, status, error, text) in cases {
        api.post(&admin, "/users", object)
            .assert_error(status, error, text);
    }

    let updated = api
        .post(
            &admin,
            "/users/erin",
            json!({"display_name": "Erin Updated", "site_spectator": false}),
        )
        .ok();
    assert_eq!(keys(&updated), USER_KEYS);
    assert_eq!(updated["display_name"], "Erin Updated");
    assert_eq!(updated["site_spectator"], false);
    assert_eq!(updated["email"], "erin@example.com");
    assert_eq!(updated["meta"], "made by a test");
    assert!(updated["updated_at"].is_string());
    // An unknown field is a bad object (the reference answers 500).
    api.post(&admin, "/users/erin", json!({"shoe_size": 10}))
        .assert_error(400, "Bad object", "user does not have a shoe_size field");
    api.post(&admin, "/users/nosuchuser", json!({"display_name": "x"}))
        .assert_error(404, "Object not found", "Nonexistent user");

    api.delete(&admin, "/users/erin").assert_deleted();
    api.get(&admin, "/users/erin")
        .assert_error(404, "Object not found", "Nonexistent user");
    api.delete(&admin, "/users/erin")
        .assert_error(404, "Object not found", "Nonexistent user");
    api.delete(&admin, "/users/nosuchuser").assert_error(
        404,
        "Object not found",
        "Nonexistent user",
    );
}

#[test]
fn org_roles() {
    let api = demo();
    let admin = api.token("admin");
    let carol = api.token("carol");
    let roles = api.get(&carol, "/users/org-roles").ok();
    assert_eq!(strings(&roles, "slug"), ["developer", "sysadmin"]);
    assert_eq!(
        keys(&roles[0]),
        [
            "created_at",
            "deleted_at",
            "name",
            "revision",
            "slug",
            "updated_at",
            "uuid"
        ]
    );
    assert_eq!(api.get(&carol, "/users/org-roles/developer").ok(), roles[0]);
    api.get(&carol, "/users/org-roles/nosuchrole").assert_error(
        404,
        "Object not found",
        "Nonexistent org role",
    );
    api.get(&carol, "/users/org-roles/Bad_Role").assert_error(
        400,
        "The provided identifier was invalid",
        "Expected slug but received Bad_Role",
    );

    let created = api
        .post(
            &admin,
            "/users/org-roles",
            json!({"name": "Intern", "slug": "intern"}),
        )
        .ok();
    assert_eq!(created["slug"], "intern");
    api.post(
        &admin,
        "/users/org-roles",
        json!({"name": "Dup", "slug": "intern"}),
    )
    .assert_error(
        409,
        "The slug provided already exists",
        "slug intern already exists",
    );
    api.post(&admin, "/users/org-roles", json!({"name": "No slug"}))
        .assert_error(400, "Bad object", "The org role is missing a slug");
    api.post(
        &admin,
        "/users/org-roles",
        json!({"name": "X", "slug": "x", "color": 1}),
    )
    .assert_error(400, "Bad object", "org role does not have a color field");
    let updated = api
        .post(
            &admin,
            "/users/org-roles/intern",
            json!({"name": "Summer Intern"}),
        )
        .ok();
    assert_eq!(updated["revision"], 2);
    let history = api
        .get(&admin, "/users/org-roles/intern?include_revisions=true")
        .ok();
    assert_eq!(history["parents"][0]["name"], "Intern");

    api.post(&admin, "/users/carol", json!({"org-roles": ["intern"]}))
        .ok();
    let interns = api.get(&admin, "/users?role=intern").ok();
    assert_eq!(strings(&interns, "username"), ["carol"]);
    api.delete(&admin, "/users/org-roles/intern").assert_error(
        405,
        "Method not allowed",
        "The method specified is not allowed for the org role identified",
    );
    api.post(&admin, "/users/carol", json!({"org-roles": []}))
        .ok();
    api.delete(&admin, "/users/org-roles/intern")
        .assert_deleted();
    api.get(&admin, "/users/org-roles/intern").assert_error(
        404,
        "Object not found",
        "Nonexistent org role",
    );
    let all = api
        .get(&admin, "/users/org-roles?include_deleted=true")
        .ok();
    assert_eq!(all[2]["slug"], Value::Null);
    api.delete(&admin, "/users/org-roles/nosuchrole")
        .assert_error(404, "Object not found", "Nonexistent slug");
}

#[test]
fn trailing_slashes_make_no_difference() {
    let api = demo();
    let admin = api.token("admin");
    let without = api.get(&admin, "/projects").ok();
    let with = api.get(&admin, "/projects/").ok();
    assert_eq!(with, without);
    let answer = send(
        api.addr(),
        "POST",
        "/v0/login/",
        Some(
            &json!({"auth": {"type": "password", "username": "carol", "password": "carol-pass"}})
                .to_string(),
        ),
    );
    answer.ok();
}
