//! The README's quickstart example, run against the mock server as `cargo run` would.

// The example is a binary; its logic is included here so that a test can call it directly.
#[allow(dead_code)]
#[path = "../../crates/timesync-blocking/examples/quickstart.rs"]
mod quickstart;

#[test]
fn quickstart_prints_a_weekly_summary() {
    let mut out = Vec::new();
    let summary = quickstart::run_on_mock(&mut out).expect("the quickstart runs");
    let text = String::from_utf8(out).expect("utf-8 output");

    let hours: Vec<(&str, &str, u32)> = summary
        .iter()
        .map(|((week, project), seconds)| (week.as_str(), project.as_str(), *seconds))
        .collect();
    // 8h30m a week; W20's Wednesday became 4h instead of 3h, W21's Friday was deleted.
    assert_eq!(
        hours,
        vec![
            ("2024-W19", "quickstart", 30_600),
            ("2024-W20", "quickstart", 34_200),
            ("2024-W21", "quickstart", 26_100),
        ]
    );
    for line in [
        "Logged 15 times from 2024-05-06 to 2024-05-24",
        "Updated the time of 2024-05-15 to 4h (revision 2)",
        "Deleted the time of 2024-05-24",
        "Listed 14 times of admin on quickstart, 5 of them in 2024-W20",
        "2024-W19  quickstart    8h30m",
        "2024-W20  quickstart    9h30m",
        "2024-W21  quickstart    7h15m",
        "total                  25h15m",
        "Cleaned up: deleted 14 times, project quickstart and activity dev",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in:\n{text}"
        );
    }
}

#[test]
fn quickstart_needs_all_three_variables_or_none() {
    let none = quickstart::Target::from_vars(|_| None).expect("no variables");
    assert!(none.is_none());

    let all = quickstart::Target::from_vars(|name| Some(format!("value of {name}")))
        .expect("all variables");
    assert!(all.is_some());

    let partial = quickstart::Target::from_vars(|name| {
        (name == "TIMESYNC_URL").then(|| "http://127.0.0.1:8000/v0".to_owned())
    });
    let message = partial.expect_err("one variable only").to_string();
    assert!(message.contains("TIMESYNC_PASSWORD"), "{message}");
}
