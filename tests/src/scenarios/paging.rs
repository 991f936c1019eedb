//! Reading whole lists from a server that pages (the spec) and one that ignores `skip` and
//! `limit` (timesync-node 0.1.2).

use std::collections::BTreeSet;

use timesync_core::{
    ActivityQuery, NewProject, NewTime, Page, ProjectQuery, TimeQuery, UserQuery, Uuid,
};
use timesync_mock::{MockServer, Paging};

use crate::client::{Config, ScenarioClient};
use crate::support::{
    admin, admin_name, day, hours, make_activity, make_project, make_user, slug, slugs,
};

const TIMES: usize = 57;
const PAGE: u32 = 10;

/// What [`fill`] created.
struct Filled {
    times: BTreeSet<Uuid>,
    projects: usize,
    activities: usize,
    users: usize,
}

/// 57 times, 10 projects, 15 activities and 12 users: more than a page of each, and exactly
/// one page of projects.
fn fill<C: ScenarioClient>(client: &C) -> Filled {
    make_activity(client, "dev");
    make_project(client, "ex", &[]);
    let first = day("2024-01-01");
    let times = (0..TIMES)
        .map(|i| {
            let date = first + chrono_days(i);
            let time = NewTime::new(hours("1h"), admin_name(), slug("ex"), date)
                .activity(slug("dev"))
                .notes(format!("time {i}"));
            client.create_time(&time).expect("time created").uuid
        })
        .collect();
    for i in 1..10 {
        let name = format!("p{i}");
        client
            .create_project(&NewProject::new(name.clone(), slugs(&[&name])))
            .expect("project created");
    }
    for i in 1..15 {
        make_activity(client, &format!("a{i}"));
    }
    for i in 1..12 {
        make_user(client, &format!("user{i}"));
    }
    Filled {
        times,
        projects: 10,
        activities: 15,
        users: 12,
    }
}

fn chrono_days(days: usize) -> chrono::Days {
    chrono::Days::new(days as u64)
}

fn uuids(times: &[timesync_core::Time]) -> BTreeSet<Uuid> {
    times.iter().map(|time| time.uuid).collect()
}

fn paging_client<C: ScenarioClient>(server: &MockServer, page_size: Option<u32>) -> C {
    let mut config = Config::new(server.base_url()).relogin(admin());
    config.page_size = page_size;
    let client = C::build(config).expect("client builds");
    client.authenticate(admin()).expect("the admin logs in");
    client
}

/// Counts the requests one call makes.
fn requests<T>(server: &MockServer, call: impl FnOnce() -> T) -> (T, usize) {
    let before = server.request_count();
    let value = call();
    (value, server.request_count() - before)
}

/// A server that pages as the spec says: every object once, one request per page.
pub fn paging_with_a_server_that_pages<C: ScenarioClient>() {
    let server = MockServer::builder()
        .paging(Paging::Spec)
        .start()
        .expect("the mock server starts");
    let client = paging_client::<C>(&server, Some(PAGE));
    let filled = fill(&client);

    let (all, sent) = requests(&server, || {
        client
            .list_all_times(&TimeQuery::new())
            .expect("every time")
    });
    assert_eq!(all.len(), TIMES, "no time twice");
    assert_eq!(uuids(&all), filled.times);
    assert_eq!(
        sent, 7,
        "five full pages, one of seven, and an empty one: a short page may come from a cap"
    );

    // Filters apply to every page.
    let (february, _) = requests(&server, || {
        client
            .list_all_times(
                &TimeQuery::new()
                    .start(day("2024-02-01"))
                    .end(day("2024-02-15")),
            )
            .expect("a fortnight")
    });
    assert_eq!(february.len(), 15);

    // One call is one page, as the server chose it: the spec's default limit is 25.
    assert_eq!(
        client
            .list_times(&TimeQuery::new())
            .expect("one page")
            .len(),
        25
    );
    let last = client
        .list_times(&TimeQuery::new().page(Page::new(50, 10)))
        .expect("the last page");
    assert_eq!(last.len(), 7);

    let (projects, sent) = requests(&server, || {
        client
            .list_all_projects(&ProjectQuery::new())
            .expect("every project")
    });
    assert_eq!(projects.len(), filled.projects);
    assert_eq!(sent, 2, "one full page, then an empty one");

    let activities = client
        .list_all_activities(&ActivityQuery::new())
        .expect("every activity");
    assert_eq!(activities.len(), filled.activities);
    let users = client
        .list_all_users(&UserQuery::new())
        .expect("every user");
    assert_eq!(users.len(), filled.users);

    // The default page size is larger than the server's default limit.
    let default = paging_client::<C>(&server, None);
    let all = default
        .list_all_times(&TimeQuery::new())
        .expect("every time");
    assert_eq!(uuids(&all), filled.times);
}

/// A server that ignores `skip` and `limit`, as timesync-node 0.1.2 does: every object once,
/// without asking for pages that would repeat the first.
pub fn paging_with_a_server_that_ignores_skip_and_limit<C: ScenarioClient>() {
    let server = MockServer::builder()
        .paging(Paging::IgnoreSkipLimit)
        .start()
        .expect("the mock server starts");
    let client = paging_client::<C>(&server, Some(PAGE));
    let filled = fill(&client);

    let (all, sent) = requests(&server, || {
        client
            .list_all_times(&TimeQuery::new())
            .expect("every time")
    });
    assert_eq!(all.len(), TIMES, "no time twice");
    assert_eq!(uuids(&all), filled.times);
    assert_eq!(sent, 1, "more than a page came back: everything");

    let one_call = client
        .list_times(&TimeQuery::new().page(Page::new(0, PAGE)))
        .expect("one call");
    assert_eq!(one_call.len(), TIMES, "the server ignores the limit");

    // Exactly one page's worth: the second request brings nothing new, and the walk stops.
    let (projects, sent) = requests(&server, || {
        client
            .list_all_projects(&ProjectQuery::new())
            .expect("every project")
    });
    assert_eq!(projects.len(), filled.projects);
    assert!(sent <= 2, "{sent} requests");

    let (activities, sent) = requests(&server, || {
        client
            .list_all_activities(&ActivityQuery::new())
            .expect("every activity")
    });
    assert_eq!(activities.len(), filled.activities);
    assert_eq!(sent, 1, "more than a page came back: everything");
    let users = client
        .list_all_users(&UserQuery::new())
        .expect("every user");
    assert_eq!(users.len(), filled.users);

    // The same server, switched to paging, gives the same objects in more requests.
    server.set_paging(Paging::Spec);
    let (paged, sent) = requests(&server, || {
        client
            .list_all_times(&TimeQuery::new())
            .expect("every time")
    });
    assert_eq!(uuids(&paged), filled.times);
    assert_eq!(sent, 7);
}

/// A server that pages but sends fewer objects a page than asked for (a maximum of its own):
/// every object once all the same, with no short page taken for the last.
pub fn paging_with_a_server_that_caps_the_page_size<C: ScenarioClient>() {
    let server = MockServer::builder()
        .paging(Paging::Capped(4))
        .start()
        .expect("the mock server starts");
    let client = paging_client::<C>(&server, Some(PAGE));
    let filled = fill(&client);

    let (all, sent) = requests(&server, || {
        client
            .list_all_times(&TimeQuery::new())
            .expect("every time")
    });
    assert_eq!(all.len(), TIMES, "no time twice");
    assert_eq!(uuids(&all), filled.times);
    assert_eq!(
        sent,
        TIMES.div_ceil(4) + 1,
        "pages of four, then an empty one"
    );

    let projects = client
        .list_all_projects(&ProjectQuery::new())
        .expect("every project");
    assert_eq!(projects.len(), filled.projects);
    let users = client
        .list_all_users(&UserQuery::new())
        .expect("every user");
    assert_eq!(users.len(), filled.users);
}
