//! The `timesync-mock` binary prints its base URL and accounts, then serves.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::send;
use serde_json::json;

/// Stops the binary even when an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_serves_the_demo_seed() {
    let child = Command::new(env!("CARGO_BIN_EXE_timesync-mock"))
        .args(["--port", "0", "--seed", "demo", "--paging", "reference"])
        .args(["--token-lifetime", "60", "--awkward-tokens"])
        .env("RUST_LOG", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut child = Running(child);
    let stdout = child.0.stdout.take().expect("stdout is piped");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.starts_with("press Ctrl-C"))
        .collect();

    let url = lines
        .first()
        .and_then(|line| line.strip_prefix("timesync-mock listening on "))
        .unwrap_or_else(|| panic!("no base URL in {lines:?}"))
        .to_owned();
    let addr = url
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix("/v0"))
        .and_then(|addr| addr.parse().ok())
        .unwrap_or_else(|| panic!("bad base URL {url}"));
    for account in timesync_mock::demo_accounts() {
        let line = format!(
            "  {} / {}: {}",
            account.username, account.password, account.role
        );
        assert!(lines.contains(&line), "{line:?} not in {lines:?}");
    }

    let body = json!({"auth": {"type": "password", "username": "bob", "password": "bob-pass"}});
    let answer = send(addr, "POST", "/v0/login", Some(&body.to_string()));
    let token = answer.ok()["token"].as_str().unwrap_or_default().to_owned();
    assert!(token.contains('+') && token.contains('/'), "{token}");
    let times = send(
        addr,
        "GET",
        &format!("/v0/times?limit=1&token={}", common::encode(&token)),
        None,
    )
    .ok();
    assert_eq!(
        times.as_array().map(Vec::len),
        Some(39),
        "paging is ignored"
    );
}

#[test]
fn a_bad_argument_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_timesync-mock"))
        .args(["--seed", "full"])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--seed"));
}
