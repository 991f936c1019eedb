//! Property tests of what goes on the wire: tokens, identifiers and dates come back byte for
//! byte when the built URI or body is decoded.

mod common;

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use serde_json::Value;
use timesync_core::http::Request;
use timesync_core::{
    Api, Credentials, NaiveDate, Slug, TimeQuery, Token, UserQuery, Username, parse_uuid,
};

const BASE: &str = "http://127.0.0.1:8000/v0";

fn api() -> Api {
    Api::new(BASE).unwrap()
}

fn decode(text: &str) -> String {
    percent_decode_str(text)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("{text:?} is not percent-encoded utf-8: {e}"))
        .into_owned()
}

/// The query of `request` as decoded pairs, after checking that it holds nothing but
/// unreserved characters, percent escapes and the `=` and `&` separators.
fn query_pairs(request: &Request<Vec<u8>>) -> Vec<(String, String)> {
    let query = request.uri().query().unwrap_or_default();
    for byte in query.bytes() {
        assert!(
            byte.is_ascii_alphanumeric() || b"-._~%=&".contains(&byte),
            "raw {:?} in {query}",
            byte as char
        );
    }
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("{pair:?} has no '='"));
            (decode(key), decode(value))
        })
        .collect()
}

/// The decoded path segments after the base URL.
fn path_segments(request: &Request<Vec<u8>>) -> Vec<String> {
    let path = request.uri().path();
    let rest = path
        .strip_prefix("/v0/")
        .unwrap_or_else(|| panic!("{path}"));
    rest.split('/').map(decode).collect()
}

/// Tokens as the reference server makes them: three segments of standard base64 with padding.
fn server_token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/]{0,60}={0,2}\\.[A-Za-z0-9+/]{0,120}={0,2}\\.[A-Za-z0-9+/]{0,90}={0,2}"
}

/// Anything at all, for servers with other ideas about tokens.
fn any_token() -> impl Strategy<Value = String> {
    prop_oneof![server_token(), "(?s).{1,80}", "[&=?#%+ /;,]{1,20}"]
}

fn username() -> impl Strategy<Value = Username> {
    "[A-Za-z0-9_~-]{1,40}".prop_map(|name| Username::new(name).unwrap())
}

fn slug() -> impl Strategy<Value = Slug> {
    "[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,3}".prop_map(|name| Slug::new(name).unwrap())
}

#[test]
fn the_fixture_token_is_shaped_like_the_servers() {
    let expiry = common::token().expires_at().unwrap();
    let millis = expiry
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    assert_eq!(millis, 1_900_000_000_000);
    for c in ['+', '/', '='] {
        assert!(common::TOKEN.contains(c), "{c}");
    }
    assert!(common::TOKEN.ends_with("=="));
}

proptest! {
    #[test]
    fn a_token_comes_back_from_the_query(token in any_token()) {
        let token = Token::new(token);
        let uuid = parse_uuid("5b7f04c2-9a1e-4d3b-8f60-2c4e1a9d7b13").unwrap();
        let requests = [
            api().list_times(&token, &TimeQuery::new()).unwrap().into_parts().0,
            api().get_time(&token, uuid, true, true).unwrap().into_parts().0,
            api().delete_time(&token, uuid).unwrap().into_parts().0,
        ];
        for request in requests {
            let pairs = query_pairs(&request);
            let (key, value) = pairs.last().unwrap();
            prop_assert_eq!(key, "token");
            prop_assert_eq!(value, token.expose());
            prop_assert_eq!(pairs.iter().filter(|(k, _)| k == "token").count(), 1);
        }
    }

    #[test]
    fn a_token_comes_back_from_the_envelope(token in any_token()) {
        let token = Token::new(token);
        let prepared = api().delete_org_role(&token, &Slug::new("staff").unwrap()).unwrap();
        let pairs = query_pairs(prepared.request());
        prop_assert_eq!(pairs.last().unwrap().1.as_str(), token.expose());

        let update = timesync_core::OrgRoleUpdate::new().name("x");
        let prepared = api()
            .update_org_role(&token, &Slug::new("staff").unwrap(), &update)
            .unwrap();
        prop_assert_eq!(prepared.request().uri().query(), None);
        let body: Value = serde_json::from_slice(prepared.request().body()).unwrap();
        prop_assert_eq!(body["auth"]["token"].as_str(), Some(token.expose()));
    }

    #[test]
    fn login_credentials_come_back_from_the_body(name in username(), password in "(?s).{0,80}") {
        let prepared = api()
            .login(&Credentials::ldap(name.clone(), password.as_str()))
            .unwrap();
        let body: Value = serde_json::from_slice(prepared.request().body()).unwrap();
        prop_assert_eq!(body["auth"]["username"].as_str(), Some(name.as_str()));
        prop_assert_eq!(body["auth"]["password"].as_str(), Some(password.as_str()));
        prop_assert_eq!(prepared.request().uri().query(), None);
    }

    #[test]
    fn usernames_come_back_from_paths_and_queries(name in username(), token in server_token()) {
        let token = Token::new(token);
        let request = api().get_user(&token, &name).unwrap().into_parts().0;
        prop_assert_eq!(path_segments(&request), vec!["users".to_owned(), name.to_string()]);

        let query = UserQuery::new().username(name.clone()).include_deleted(true);
        let request = api().list_users(&token, &query).unwrap().into_parts().0;
        prop_assert_eq!(path_segments(&request), vec!["users".to_owned(), name.to_string()]);
        let pairs = query_pairs(&request);
        prop_assert_eq!(&pairs[0], &("include_deleted".to_owned(), "true".to_owned()));

        let query = TimeQuery::new().user(name.clone()).user(name.clone());
        let request = api().list_times(&token, &query).unwrap().into_parts().0;
        let pairs = query_pairs(&request);
        prop_assert_eq!(&pairs[0], &("user".to_owned(), name.to_string()));
        prop_assert_eq!(&pairs[1], &("user".to_owned(), name.to_string()));
        prop_assert_eq!(pairs[2].1.as_str(), token.expose());
    }

    #[test]
    fn slugs_come_back_from_paths_and_queries(project in slug(), activity in slug()) {
        let token = Token::new("t");
        let request = api().get_project(&token, &project, true).unwrap().into_parts().0;
        prop_assert_eq!(path_segments(&request), vec!["projects".to_owned(), project.to_string()]);

        let request = api().delete_org_role(&token, &activity).unwrap().into_parts().0;
        prop_assert_eq!(
            path_segments(&request),
            vec!["users".to_owned(), "org-roles".to_owned(), activity.to_string()]
        );

        let query = TimeQuery::new().project(project.clone()).activity(activity.clone());
        let request = api().list_times(&token, &query).unwrap().into_parts().0;
        let pairs = query_pairs(&request);
        prop_assert_eq!(&pairs[0], &("project".to_owned(), project.to_string()));
        prop_assert_eq!(&pairs[1], &("activity".to_owned(), activity.to_string()));
    }

    #[test]
    fn dates_are_sent_as_yyyy_mm_dd(year in 1i32..=9998, day in 1u32..=365, span in 0usize..400) {
        let start = NaiveDate::from_yo_opt(year, day).unwrap();
        let end = start.iter_days().nth(span).unwrap();
        let query = TimeQuery::new().start(start).end(end);
        let request = api().list_times(&Token::new("t"), &query).unwrap().into_parts().0;
        let pairs = query_pairs(&request);
        for (i, (name, date)) in [("start", start), ("end", end)].into_iter().enumerate() {
            let (key, value) = &pairs[i];
            prop_assert_eq!(key, name);
            prop_assert_eq!(value.len(), 10, "{}", value);
            prop_assert_eq!(value.parse::<NaiveDate>().unwrap(), date);
        }
    }
}
