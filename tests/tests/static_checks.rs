//! Checks that need no server: what the compiler proves about the clients, and what the typed
//! identifiers refuse before a request exists.

use std::time::Duration;

use timesync_core::{NewTime, ProjectQuery, TimeQuery, UserQuery};
use timesync_scenarios::support::{admin, admin_name, day, hours, slug};

fn assert_send_sync<T: Send + Sync>() {}

fn assert_send_and_sync<T: Send + Sync>(_: &T) {}

#[test]
fn clients_and_their_errors_are_send_and_sync() {
    assert_send_sync::<timesync_blocking::Client>();
    assert_send_sync::<timesync_blocking::Error>();
    assert_send_sync::<timesync_async::Client>();
    assert_send_sync::<timesync_async::Error>();
}

/// The futures of the async client are Send and Sync, so they can be spawned on a
/// multi-threaded runtime and held across awaits in other Sync futures. They are built
/// and dropped here, never polled.
#[test]
fn async_futures_are_send_and_sync() {
    let client = timesync_async::Client::builder("http://127.0.0.1:9/v0")
        .timeout(Duration::from_secs(1))
        .build()
        .expect("client builds");
    let query = TimeQuery::new();
    let time = NewTime::new(hours("1h"), admin_name(), slug("ex"), day("2024-05-06"));
    let project = slug("ex");

    let login = client.authenticate(admin());
    assert_send_and_sync(&login);
    let list = client.list_times(&query);
    assert_send_and_sync(&list);
    let all = client.list_all_times(&query);
    assert_send_and_sync(&all);
    let create = client.create_time(&time);
    assert_send_and_sync(&create);
    let get = client.get_project(&project, true);
    assert_send_and_sync(&get);
    let projects = ProjectQuery::new();
    let projects = client.list_all_projects(&projects);
    assert_send_and_sync(&projects);
    let users = UserQuery::new();
    let users = client.list_all_users(&users);
    assert_send_and_sync(&users);
    let delete = client.delete_project(&project);
    assert_send_and_sync(&delete);
}

#[test]
fn malformed_identifiers_are_refused_locally() {
    timesync_scenarios::scenarios::malformed_identifiers_are_refused_locally();
}
