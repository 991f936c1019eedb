//! The kinds of exchanges recorded with the reference server (timesync-node 0.1.2), replayed
//! against the mock from our own fixture (`fixtures/exchanges.json`, made-up values on the demo
//! seed): each must get the reference's status, content type, error name and text, and body
//! shape, except where the fixture notes a reference defect that the mock does not copy.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{Answer, Api, encode, send};
use serde::Deserialize;
use serde_json::Value;
use timesync_mock::{MockServer, Seed};

#[derive(Debug, Deserialize)]
struct Fixture {
    exchanges: Vec<Exchange>,
}

#[derive(Debug, Deserialize)]
struct Exchange {
    title: String,
    method: String,
    path: String,
    #[serde(rename = "as")]
    account: Option<String>,
    body: Option<Value>,
    status: u16,
    content_type: String,
    error: Option<String>,
    text: Option<String>,
    values: Option<Vec<String>>,
    shape: Option<String>,
    capture: Option<Capture>,
    headers: Option<BTreeMap<String, String>>,
    /// What the reference does instead, when it differs; documentation only.
    #[allow(dead_code)]
    reference: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct Capture {
    name: String,
    field: String,
}

#[test]
fn the_mock_answers_like_the_reference() {
    let fixture: Fixture =
        serde_json::from_str(include_str!("fixtures/exchanges.json")).expect("the fixture parses");
    assert!(fixture.exchanges.len() > 90);
    let api = Api::new(
        MockServer::builder()
            .seed(Seed::Demo)
            .awkward_tokens(true)
            .start()
            .expect("server starts"),
    );
    let mut tokens: HashMap<String, String> = HashMap::new();
    let mut captured: Vec<(String, String)> = Vec::new();

    for exchange in &fixture.exchanges {
        let token = exchange.account.as_ref().map(|account| {
            tokens
                .entry(account.clone())
                .or_insert_with(|| api.token(account))
                .clone()
        });
        let answer = replay(&api, exchange, token.as_deref(), &captured);
        check(exchange, &answer);
        if let Some(capture) = &exchange.capture {
            let value = answer.json()[&capture.field]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no {} to capture", exchange.title, capture.field))
                .to_owned();
            captured.push((capture.name.clone(), value));
        }
    }
}

fn replay(
    api: &Api,
    exchange: &Exchange,
    token: Option<&str>,
    captured: &[(String, String)],
) -> Answer {
    // In a query string a token is percent-encoded, except `{raw_token}`; in a body it is not.
    let substitute = |text: &str, in_query: bool| {
        let quote = |text: &str| {
            if in_query {
                encode(text)
            } else {
                text.to_owned()
            }
        };
        let mut text = text.to_owned();
        if let Some(token) = token {
            let mut tampered = token.to_owned();
            tampered.replace_range(tampered.len() - 8.., "AAAAAA==");
            text = text
                .replace("{raw_token}", token)
                .replace("{tampered_token}", &quote(&tampered))
                .replace("{token}", &quote(token));
        }
        for (name, value) in captured {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    };
    let path = substitute(&exchange.path, true);
    let body = exchange.body.as_ref().map(|body| match body {
        Value::String(raw) => raw.clone(),
        other => substitute(&other.to_string(), false),
    });
    send(api.addr(), &exchange.method, &path, body.as_deref())
}

fn check(exchange: &Exchange, answer: &Answer) {
    let title = &exchange.title;
    assert_eq!(answer.status, exchange.status, "{title}: {}", answer.body);
    let content_type = answer.header("content-type");
    match exchange.content_type.as_str() {
        "json" => assert_eq!(
            content_type,
            Some("application/json; charset=utf-8"),
            "{title}"
        ),
        "html" => assert_eq!(content_type, Some("text/html; charset=utf-8"), "{title}"),
        "none" => assert_eq!(content_type, None, "{title}"),
        other => panic!("{title}: unknown content type {other}"),
    }
    for (name, value) in exchange.headers.iter().flatten() {
        assert_eq!(
            answer.header(name),
            Some(value.as_str()),
            "{title}: header {name}"
        );
    }
    if exchange.content_type == "html" {
        if let Some(text) = &exchange.text {
            assert!(
                answer.body.contains(&format!("<pre>{text}</pre>")),
                "{title}: {}",
                answer.body
            );
        }
        return;
    }
    if let Some(error) = &exchange.error {
        let body = answer.json();
        shape(title, "error", &body);
        assert_eq!(body["status"], exchange.status, "{title}");
        assert_eq!(body["error"], error.as_str(), "{title}");
        if let Some(text) = &exchange.text {
            assert_eq!(body["text"], text.as_str(), "{title}");
        }
        match &exchange.values {
            Some(values) => assert_eq!(body["values"], serde_json::json!(values), "{title}"),
            None => assert!(body.get("values").is_none(), "{title}: {body}"),
        }
    }
    match exchange.shape.as_deref() {
        None => {}
        Some("empty") => assert_eq!(answer.body, "", "{title}"),
        Some(expected) => shape(title, expected, &answer.json()),
    }
}

/// The keys an object of each kind must have, and the JSON types of their values.
fn keys_of(kind: &str) -> Vec<(&'static str, &'static str)> {
    match kind {
        "error" => vec![
            ("status", "number"),
            ("error", "string"),
            ("text", "string"),
            ("values", "array?"),
        ],
        "token" => vec![("token", "string")],
        "time" | "time-created" => vec![
            ("duration", "number"),
            ("user", "string"),
            ("project", if kind == "time" { "array" } else { "string" }),
            ("activities", "array"),
            ("notes", "string|null"),
            ("issue_uri", "string|null"),
            ("date_worked", "string"),
            ("uuid", "string"),
            ("revision", "number"),
            ("created_at", "string"),
            ("updated_at", "string|null"),
            ("deleted_at", "string|null"),
        ],
        "project" => vec![
            ("name", "string"),
            ("uri", "string|null"),
            ("uuid", "string"),
            ("default_activity", "string|null"),
            ("revision", "number"),
            ("slugs", "array"),
            ("created_at", "string"),
            ("updated_at", "string|null"),
            ("deleted_at", "string|null"),
            ("users", "object"),
        ],
        "project-parent" => vec![
            ("name", "string"),
            ("uri", "string|null"),
            ("uuid", "string"),
            ("default_activity", "string|null"),
            ("revision", "number"),
            ("created_at", "string"),
            ("updated_at", "string|null"),
            ("deleted_at", "string|null"),
        ],
        "activity" => vec![
            ("name", "string"),
            ("slug", "string|null"),
            ("uuid", "string"),
            ("revision", "number"),
            ("created_at", "string"),
            ("updated_at", "string|null"),
            ("deleted_at", "string|null"),
        ],
        "user" | "user-created" => vec![
            ("username", "string"),
            ("display_name", "string|null"),
            ("email", "string|null"),
            ("site_spectator", "boolean"),
            ("site_manager", "boolean"),
            ("site_admin", "boolean"),
            ("active", "boolean"),
            ("meta", "string|null"),
            // Not in the reference's answers: org roles are the spec's, served by the mock.
            ("org-roles", "array"),
            (
                "created_at",
                if kind == "user" { "string" } else { "number" },
            ),
            ("updated_at", "string|null"),
            ("deleted_at", "string|null"),
        ],
        other => panic!("unknown shape {other}"),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn shape(title: &str, expected: &str, body: &Value) {
    if let Some(kind) = expected.strip_suffix("[]") {
        let items = body
            .as_array()
            .unwrap_or_else(|| panic!("{title}: not an array: {body}"));
        assert!(!items.is_empty(), "{title}: empty list");
        for item in items {
            shape(title, kind, item);
        }
        return;
    }
    let (kind, parents) = match expected.strip_suffix("+parents") {
        Some(kind) => (kind, true),
        None => (expected, false),
    };
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("{title}: not an object: {body}"));
    let spec = keys_of(kind);
    for (key, types) in &spec {
        match object.get(*key) {
            None => assert!(types.ends_with('?'), "{title}: no {key} in {body}"),
            Some(value) => {
                let allowed: Vec<&str> = types.trim_end_matches('?').split('|').collect();
                assert!(
                    allowed.contains(&type_name(value)),
                    "{title}: {key} is {} in {body}",
                    type_name(value)
                );
            }
        }
    }
    for key in object.keys() {
        let known = spec.iter().any(|(name, _)| name == key) || (parents && key == "parents");
        assert!(known, "{title}: unexpected {key} in {body}");
    }
    if kind == "token" {
        let token = body["token"].as_str().unwrap_or_default();
        assert_eq!(token.split('.').count(), 3, "{title}: {token}");
    }
    if parents {
        let parents = body["parents"]
            .as_array()
            .unwrap_or_else(|| panic!("{title}: no parents in {body}"));
        assert!(!parents.is_empty(), "{title}: no parents");
        let parent_kind = if kind == "project" {
            "project-parent"
        } else {
            kind
        };
        for parent in parents {
            shape(title, parent_kind, parent);
            assert_eq!(parent["uuid"], body["uuid"], "{title}");
        }
    }
}
