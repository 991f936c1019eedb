//! A tour of the client: log in, create a project and an activity, log three weeks of work,
//! correct one entry and delete another, then list with filters and print hours per project
//! and ISO week.
//!
//! ```sh
//! cargo run -p timesync-blocking --example quickstart
//! ```
//!
//! By default it starts the embedded mock server (`timesync-mock`) on 127.0.0.1 and logs in as
//! its site admin. With `TIMESYNC_URL` (such as `https://timesync.example.org/v0`),
//! `TIMESYNC_USER` and `TIMESYNC_PASSWORD` set, it runs against that server instead, as that
//! user, who must be allowed to create projects and activities (a site manager or admin). Its
//! slugs and names then end in a number taken from the clock, so that runs do not collide, and it deletes
//! what it created before it exits.

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use timesync_blocking::{
    Client, Credentials, Duration, NaiveDate, NewActivity, NewProject, NewTime, ProjectRoles, Slug,
    TimeQuery, TimeUpdate, Username, Uuid,
};
use timesync_mock::MockServer;

/// Errors end the program with a message, not a backtrace.
type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// Hours logged per ISO week (`2024-W19`) and project slug.
pub(crate) type Summary = BTreeMap<(String, String), u32>;

fn main() -> ExitCode {
    let mut out = io::stdout().lock();
    let result = match Target::from_vars(|name| std::env::var(name).ok()) {
        Ok(Some(target)) => run(&target, &mut out),
        Ok(None) => run_on_mock(&mut out),
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            // Nothing more can be done if stderr is closed.
            let _ = writeln!(io::stderr(), "quickstart: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The server to run against, and how to tell this run's objects from others'.
#[derive(Debug)]
pub(crate) struct Target {
    base_url: String,
    username: String,
    password: String,
    /// Appended to every slug; empty against the mock, which starts empty.
    suffix: String,
}

impl Target {
    /// The server named by `TIMESYNC_URL`, `TIMESYNC_USER` and `TIMESYNC_PASSWORD`, `None`
    /// when none of them is set.
    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Option<Target>> {
        let values = ["TIMESYNC_URL", "TIMESYNC_USER", "TIMESYNC_PASSWORD"]
            .map(|name| var(name).filter(|value| !value.is_empty()));
        match values {
            [None, None, None] => Ok(None),
            [Some(base_url), Some(username), Some(password)] => {
                let millis = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|elapsed| elapsed.as_millis())
                    .unwrap_or_default();
                Ok(Some(Target {
                    base_url,
                    username,
                    password,
                    suffix: format!("-{millis}"),
                }))
            }
            _ => Err(
                "set all of TIMESYNC_URL, TIMESYNC_USER and TIMESYNC_PASSWORD, or none \
                      of them to use the embedded mock server"
                    .into(),
            ),
        }
    }
}

/// Starts the embedded mock server and runs the tour against it as its site admin.
pub(crate) fn run_on_mock(out: &mut dyn Write) -> Result<Summary> {
    let server = MockServer::builder().start()?;
    writeln!(
        out,
        "Started the embedded TimeSync mock server at {}",
        server.base_url()
    )?;
    let target = Target {
        base_url: server.base_url().to_owned(),
        username: timesync_mock::ADMIN_USERNAME.to_owned(),
        password: timesync_mock::ADMIN_PASSWORD.to_owned(),
        suffix: String::new(),
    };
    run(&target, out)
}

/// The whole tour; returns the summary it printed.
pub(crate) fn run(target: &Target, out: &mut dyn Write) -> Result<Summary> {
    // 1. A client that logs in again by itself if its token expires during the run.
    let me = Username::new(target.username.as_str())?;
    let credentials = Credentials::password(me.clone(), target.password.as_str());
    let client = Client::builder(&target.base_url)
        .credentials(credentials.clone())
        .auto_relogin(true)
        .build()?;
    client
        .authenticate(credentials)
        .map_err(|error| format!("logging in to {} as {me}: {error}", target.base_url))?;
    writeln!(out, "Logged in to {} as {me}", target.base_url)?;

    // 2. An activity, and a project that we manage and may log time on.
    let dev = Slug::new(format!("dev{}", target.suffix))?;
    let project = Slug::new(format!("quickstart{}", target.suffix))?;
    // Names must be unique too.
    client
        .create_activity(&NewActivity::new(
            format!("Development{}", target.suffix),
            dev.clone(),
        ))
        .map_err(|error| format!("creating activity {dev}: {error}"))?;
    let new_project = NewProject::new(
        format!("Quickstart{}", target.suffix),
        timesync_blocking::SlugList::one(project.clone()),
    )
    .uri("https://example.org/quickstart")
    .default_activity(dev.clone())
    .user(me.clone(), ProjectRoles::manager());
    if let Err(error) = client.create_project(&new_project) {
        let _ = client.delete_activity(&dev);
        return Err(format!("creating project {project}: {error}").into());
    }
    writeln!(out, "Created activity {dev} and project {project}")?;

    let result = log_and_summarize(&client, out, &me, &project, &dev);

    // 3. Clean up, whatever happened: deleted times keep no project or activity in use.
    let cleanup = clean_up(&client, &project, &dev);
    let summary = result?;
    let deleted = cleanup?;
    writeln!(
        out,
        "Cleaned up: deleted {deleted} times, project {project} and activity {dev}"
    )?;
    Ok(summary)
}

/// Logs three weeks of work, corrects and deletes an entry, lists and summarizes.
fn log_and_summarize(
    client: &Client,
    out: &mut dyn Write,
    me: &Username,
    project: &Slug,
    dev: &Slug,
) -> Result<Summary> {
    // Monday to Friday of three ISO weeks, 2024-W19 to 2024-W21, with fixed hours per weekday.
    let per_weekday = ["2h", "1h30m", "3h", "45m", "1h15m"];
    let mut logged: Vec<(NaiveDate, Uuid)> = Vec::new();
    for week in 0..3 {
        for (weekday, length) in per_weekday.iter().enumerate() {
            let date: NaiveDate = format!("2024-05-{:02}", 6 + 7 * week + weekday).parse()?;
            let time = NewTime::new(length.parse()?, me.clone(), project.clone(), date)
                .activity(dev.clone())
                .notes(format!("quickstart: {length} on {date}"));
            let created = client
                .create_time(&time)
                .map_err(|error| format!("logging time on {date}: {error}"))?;
            logged.push((date, created.uuid));
        }
    }
    let (first, last) = (logged[0].0, logged[logged.len() - 1].0);
    writeln!(out, "Logged {} times from {first} to {last}", logged.len())?;

    // Wednesday of the second week took longer than logged; Friday of the third never happened.
    let (wednesday, uuid) = logged[7];
    let longer: Duration = "4h".parse()?;
    let updated = client.update_time(
        uuid,
        &TimeUpdate::new().duration(longer).notes("took longer"),
    )?;
    writeln!(
        out,
        "Updated the time of {wednesday} to {} (revision {})",
        updated.duration, updated.revision
    )?;
    let (friday, uuid) = logged[14];
    client.delete_time(uuid)?;
    writeln!(out, "Deleted the time of {friday}")?;

    // Filters: one user, one project, a date range; `list_all_times` reads every page.
    let query = TimeQuery::new()
        .user(me.clone())
        .project(project.clone())
        .start(first)
        .end(last);
    let times = client.list_all_times(&query)?;
    let second_week = client.list_all_times(
        &query
            .clone()
            .start("2024-05-13".parse()?)
            .end("2024-05-19".parse()?),
    )?;
    writeln!(
        out,
        "Listed {} times of {me} on {project}, {} of them in 2024-W20",
        times.len(),
        second_week.len()
    )?;

    let mut summary = Summary::new();
    for time in &times {
        let week = time.date_worked.format("%G-W%V").to_string();
        // A time lists every slug of its project; the first one names it well enough.
        let project = time
            .project
            .first()
            .map_or_else(|| "(deleted)".to_owned(), Slug::to_string);
        *summary.entry((week, project)).or_default() += time.duration.as_secs();
    }
    print_summary(out, &summary)?;
    Ok(summary)
}

/// Prints one line per week and project, and the total.
fn print_summary(out: &mut dyn Write, summary: &Summary) -> Result<()> {
    let width = summary
        .keys()
        .map(|(_, project)| project.len())
        .chain(["project".len()])
        .max()
        .unwrap_or_default();
    writeln!(out)?;
    writeln!(out, "{:<8}  {:<width$}  {:>7}", "week", "project", "hours")?;
    let mut total = 0;
    for ((week, project), seconds) in summary {
        writeln!(out, "{week:<8}  {project:<width$}  {:>7}", hours(*seconds))?;
        total += seconds;
    }
    writeln!(out, "{:<8}  {:<width$}  {:>7}", "total", "", hours(total))?;
    writeln!(out)?;
    Ok(())
}

/// `12h30m`, as TimeSync durations print.
fn hours(seconds: u32) -> String {
    Duration::from_secs(seconds.into()).map_or_else(|_| "0h".to_owned(), |d| d.to_string())
}

/// Deletes this run's times, then its project and activity; returns how many times it deleted.
fn clean_up(client: &Client, project: &Slug, dev: &Slug) -> Result<usize> {
    let times = client.list_all_times(&TimeQuery::new().project(project.clone()))?;
    for time in &times {
        client.delete_time(time.uuid)?;
    }
    client.delete_project(project)?;
    client.delete_activity(dev)?;
    Ok(times.len())
}
