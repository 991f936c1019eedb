//! Small helpers the scenarios share: servers, credentials, identifiers, dates.

use std::net::TcpListener;
use std::sync::OnceLock;

use timesync_core::{
    Credentials, Duration, NaiveDate, NewActivity, NewProject, NewUser, Password, PasswordHash,
    ProjectRoles, Slug, SlugList, Username,
};
use timesync_mock::{MockServer, Seed};

use crate::client::{Config, ScenarioClient};

/// A mock server with only the site admin.
pub fn mock() -> MockServer {
    MockServer::start()
}

/// A mock server with the demo data set.
///
/// # Panics
///
/// When the server cannot start.
pub fn demo() -> MockServer {
    MockServer::builder()
        .seed(Seed::Demo)
        .start()
        .expect("the mock server starts on 127.0.0.1")
}

/// Credentials of an account of the demo data set.
///
/// # Panics
///
/// When there is no such account.
pub fn demo_credentials(name: &str) -> Credentials {
    let account = timesync_mock::demo_accounts()
        .iter()
        .find(|account| account.username == name)
        .expect("a demo account");
    Credentials::password(username(account.username), account.password)
}

/// A client for `server`, logged in with `credentials`, able to log in again.
///
/// # Panics
///
/// When the client cannot be built or the login fails.
pub fn logged_in_as<C: ScenarioClient>(server: &MockServer, credentials: Credentials) -> C {
    let client = C::build(Config::new(server.base_url()).relogin(credentials.clone()))
        .expect("client builds");
    client.authenticate(credentials).expect("the user logs in");
    client
}

/// The mock's site admin.
pub fn admin() -> Credentials {
    Credentials::password(admin_name(), timesync_mock::ADMIN_PASSWORD)
}

/// The mock's site admin's username.
pub fn admin_name() -> Username {
    username(timesync_mock::ADMIN_USERNAME)
}

/// A client for `server`, logged in as the site admin, able to log in again.
///
/// # Panics
///
/// When the client cannot be built or the login fails.
pub fn logged_in<C: ScenarioClient>(server: &MockServer) -> C {
    logged_in_as(server, admin())
}

/// A checked slug.
///
/// # Panics
///
/// When `text` is not a valid slug.
#[track_caller]
pub fn slug(text: &str) -> Slug {
    Slug::new(text).expect("a valid slug")
}

/// A checked list of slugs.
///
/// # Panics
///
/// When a slug is invalid or the list is empty.
#[track_caller]
pub fn slugs(texts: &[&str]) -> SlugList {
    SlugList::parse(texts.iter().copied()).expect("valid slugs")
}

/// A checked username.
///
/// # Panics
///
/// When `text` is not a valid username.
#[track_caller]
pub fn username(text: &str) -> Username {
    Username::new(text).expect("a valid username")
}

/// A `YYYY-MM-DD` date.
///
/// # Panics
///
/// When `text` is not a date.
#[track_caller]
pub fn day(text: &str) -> NaiveDate {
    text.parse().expect("a YYYY-MM-DD date")
}

/// A duration such as `1h30m`.
///
/// # Panics
///
/// When `text` is not a duration.
#[track_caller]
pub fn hours(text: &str) -> Duration {
    text.parse().expect("a duration")
}

/// The password of every user the scenarios create; long enough to be checked for leaks.
pub const USER_PASSWORD: &str = "correct horse battery staple";

/// The bcrypt hash of [`USER_PASSWORD`], computed once: hashing at cost 10 is slow.
pub fn user_password_hash() -> PasswordHash {
    static HASH: OnceLock<PasswordHash> = OnceLock::new();
    HASH.get_or_init(|| {
        PasswordHash::bcrypt(&Password::new(USER_PASSWORD)).expect("the password hashes")
    })
    .clone()
}

/// Credentials of a user the scenarios created.
pub fn user_credentials(name: &str) -> Credentials {
    Credentials::password(username(name), USER_PASSWORD)
}

/// Creates the activity `slug`, named after it.
///
/// # Panics
///
/// When the server refuses.
#[track_caller]
pub fn make_activity<C: ScenarioClient>(client: &C, slug_text: &str) {
    client
        .create_activity(&NewActivity::new(slug_text.to_uppercase(), slug(slug_text)))
        .expect("activity created");
}

/// Creates the project `slug` with the site admin as its manager and `members` as members.
///
/// # Panics
///
/// When the server refuses.
#[track_caller]
pub fn make_project<C: ScenarioClient>(client: &C, slug_text: &str, members: &[&str]) {
    let mut project = NewProject::new(format!("Project {slug_text}"), slugs(&[slug_text]))
        .user(admin_name(), ProjectRoles::manager());
    for member in members {
        project = project.user(username(member), ProjectRoles::member());
    }
    client.create_project(&project).expect("project created");
}

/// A base URL on which nothing listens: the port of a listener that was just closed.
///
/// # Panics
///
/// When no port can be bound.
pub fn refused_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/v0")
}

/// Creates the user `name` with [`USER_PASSWORD`] and no site role.
///
/// # Panics
///
/// When the server refuses.
#[track_caller]
pub fn make_user<C: ScenarioClient>(client: &C, name: &str) {
    client
        .create_user(&NewUser::new(username(name), user_password_hash()))
        .expect("user created");
}

/// Answers `requests` requests, one per connection, with `200` and a JSON empty list padded
/// with spaces to `size` bytes, sent chunked (no `Content-Length`) in pieces of `piece`
/// bytes, so that a client learns the size only by reading. Returns the base URL.
///
/// # Panics
///
/// When `size` is under 2, `piece` is 0, or no port can be bound.
pub fn chunked_server(requests: usize, size: usize, piece: usize) -> String {
    use std::io::{Read, Write};

    assert!(size >= 2 && piece > 0);
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { return };
            if stream
                .set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .is_err()
            {
                return;
            }
            let mut head = Vec::new();
            let mut byte = [0; 1];
            while !head.ends_with(b"\r\n\r\n") && matches!(stream.read(&mut byte), Ok(1)) {
                head.push(byte[0]);
            }
            let mut body = vec![b' '; size];
            body[0] = b'[';
            body[size - 1] = b']';
            let mut answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                .to_vec();
            for chunk in body.chunks(piece) {
                answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                answer.extend_from_slice(chunk);
                answer.extend_from_slice(b"\r\n");
            }
            answer.extend_from_slice(b"0\r\n\r\n");
            // The client may hang up once it has read enough.
            let _ = stream.write_all(&answer);
        }
    });
    format!("http://{addr}/v0")
}
