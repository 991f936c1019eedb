//! Bytes that must survive the trip: tokens full of `+`, `/` and `=`, and text that is not
//! ASCII.

use timesync_core::{
    ActivityQuery, ActivityUpdate, ApiErrorKind, NewActivity, NewProject, NewTime, NewUser,
    ProjectRoles, TimeQuery, TimeUpdate, UserUpdate,
};
use timesync_mock::MockServer;

use crate::client::{ScenarioClient, expect_api};
use crate::support::{
    admin_name, day, hours, logged_in, make_activity, mock, slug, slugs, user_password_hash,
    username,
};

/// The notes of the issue, with every character class a naive encoder gets wrong.
pub const AWKWARD_NOTES: &str = "naïve café — 日本語 ✓ \"quotes\" \\ / + & =";

/// A token with `+`, `/` and `=` works in the query string of GET and DELETE and in the body
/// of POST.
pub fn awkward_token_works_everywhere<C: ScenarioClient>() {
    let server = MockServer::builder()
        .awkward_tokens(true)
        .start()
        .expect("the mock server starts");
    let client = logged_in::<C>(&server);
    let token = client.token().expect("a token");
    let raw = token.expose();
    assert!(
        raw.contains('+') && raw.contains('/') && raw.contains('='),
        "the mock was asked for an awkward token"
    );

    let before = server.request_count();
    client
        .create_activity(&NewActivity::new("Development", slug("dev")))
        .expect("POST");
    client.get_activity(&slug("dev"), false).expect("GET");
    client
        .list_activities(&ActivityQuery::new().include_revisions(true))
        .expect("GET with a query");
    client
        .list_times(
            &TimeQuery::new()
                .user(admin_name())
                .start(day("2024-05-06"))
                .end(day("2024-05-12")),
        )
        .expect("GET with several parameters");
    client
        .update_activity(&slug("dev"), &ActivityUpdate::new().name("Dev"))
        .expect("POST update");
    client.delete_activity(&slug("dev")).expect("DELETE");
    assert_eq!(
        server.request_count(),
        before + 6,
        "no request was rejected and retried after a new login"
    );
    assert_eq!(
        client.token().as_ref(),
        Some(&token),
        "still the first token"
    );
}

/// Notes, names and display names come back exactly as they were sent.
pub fn non_ascii_text_round_trips<C: ScenarioClient>() {
    let server = mock();
    let client = logged_in::<C>(&server);
    make_activity(&client, "dev");
    let project = NewProject::new("Café ☕ «projet»", slugs(&["cafe"]))
        .user(admin_name(), ProjectRoles::manager());
    let created = client.create_project(&project).expect("project created");
    assert_eq!(created.name, "Café ☕ «projet»");
    assert_eq!(
        client.get_project(&slug("cafe"), false).expect("read").name,
        "Café ☕ «projet»"
    );

    let time = NewTime::new(hours("45m"), admin_name(), slug("cafe"), day("2024-05-06"))
        .activity(slug("dev"))
        .notes(AWKWARD_NOTES);
    let created = client.create_time(&time).expect("time created");
    assert_eq!(created.notes.as_deref(), Some(AWKWARD_NOTES));
    let read = client.get_time(created.uuid, false, false).expect("read");
    assert_eq!(read.notes.as_deref(), Some(AWKWARD_NOTES));
    let listed = client
        .list_times(&TimeQuery::new().project(slug("cafe")))
        .expect("listed");
    assert_eq!(listed[0].notes.as_deref(), Some(AWKWARD_NOTES));

    let second = "emoji 🦀, tab\there, line\nbreak, nul-free \u{7f} and \u{200b}zero width";
    let updated = client
        .update_time(created.uuid, &TimeUpdate::new().notes(second))
        .expect("updated");
    assert_eq!(updated.notes.as_deref(), Some(second));
    let read = client.get_time(created.uuid, false, true).expect("read");
    assert_eq!(read.notes.as_deref(), Some(second));
    assert_eq!(read.parents[0].notes.as_deref(), Some(AWKWARD_NOTES));

    let user = NewUser::new(username("zoe"), user_password_hash()).display_name("Zoë Łukasz 张伟");
    let created = client.create_user(&user).expect("user created");
    assert_eq!(created.display_name.as_deref(), Some("Zoë Łukasz 张伟"));
    let updated = client
        .update_user(
            &username("zoe"),
            &UserUpdate::new().display_name("Ζωή & \"Zoë\""),
        )
        .expect("updated");
    assert_eq!(updated.display_name.as_deref(), Some("Ζωή & \"Zoë\""));

    // A name the server would refuse must not be mangled into one it accepts.
    expect_api(client.get_user(&username("zo~e")), ApiErrorKind::NotFound);
}
