//! The scenario suite of timesync-rs: one set of scenarios, written once, run against both
//! clients and `timesync-mock` over real HTTP on 127.0.0.1.
//!
//! How it fits together:
//!
//! 1. [`ScenarioClient`] is the client API made synchronous. [`Blocking`] forwards to
//!    `timesync_blocking::Client`; [`Async`] runs `timesync_async::Client` on a current-thread
//!    Tokio runtime of its own. Both turn errors into one [`Failure`] view (a core error or a
//!    transport kind), and check on the way that no token they have seen shows in it.
//! 2. Each scenario in [`scenarios`] is a function generic over the client that starts its own
//!    mock server, so scenarios run in parallel and share nothing.
//! 3. [`scenario_tests!`] expands to one `#[test]` per scenario for a given client:
//!    `tests/blocking.rs` and `tests/async.rs` are one line each, and a scenario added to the
//!    list runs against both clients.
//!
//! Two error kinds are never seen here, by construction: a malformed identifier in a path
//! (`InvalidIdentifier`) and bad characters in a new username (`InvalidUsername`), since the
//! typed identifiers refuse those values before a request exists.

// A failure keeps the original error's texts next to its kind; in a test harness the size of
// an error path does not matter.
#![allow(clippy::result_large_err)]

mod client;
pub mod scenarios;

// The Rust examples of the README and of the guides compile (and run, where they can) as
// doctests, so the docs cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct Readme;

#[cfg(doctest)]
#[doc = include_str!("../../docs/migrating-from-pymesync.md")]
struct MigratingFromPymesync;
pub mod support;

pub use client::{
    Async, Blocking, Config, Failure, FailureKind, Outcome, ScenarioClient, TransportKind,
    expect_api, expect_core, expect_transport, token_forms,
};
pub use timesync_core::{Credentials, parse_uuid};

/// Declares one `#[test]` per scenario, for the client type given.
///
/// ```text
/// timesync_scenarios::scenario_tests!(timesync_scenarios::Blocking);
/// ```
#[macro_export]
macro_rules! scenario_tests {
    ($client:ty) => {
        $crate::scenario_tests!(@each $client;
            // Sessions.
            login_succeeds,
            login_with_wrong_password_fails,
            calls_before_login_fail_locally,
            token_from_builder_and_set_token,
            relogin_after_tokens_are_revoked,
            revoked_token_fails_without_relogin,
            expiring_token_is_renewed_before_sending,
            expired_token_is_renewed,
            authorization_failure_does_not_log_in_again,
            concurrent_calls_log_in_again_once,
            // Every call.
            times_crud,
            list_times_with_filters,
            projects_crud,
            project_default_activity_can_be_cleared,
            activities_crud,
            users_crud,
            org_roles_crud,
            // Every error kind.
            not_found,
            bad_object,
            authorization_failure,
            slug_exists_lists_the_taken_slugs,
            username_exists,
            invalid_foreign_key,
            method_not_allowed_for_objects_in_use,
            bad_query_value,
            server_error,
            // Paging.
            paging_with_a_server_that_pages,
            paging_with_a_server_that_ignores_skip_and_limit,
            paging_with_a_server_that_caps_the_page_size,
            // Encoding.
            awkward_token_works_everywhere,
            non_ascii_text_round_trips,
            // Faults.
            hanging_server_times_out,
            slow_answer_within_the_timeout,
            bad_gateway_page_is_an_unexpected_response,
            gets_are_retried_after_bad_gateway,
            posts_and_deletes_are_not_retried,
            dropped_connection_is_a_transport_failure,
            refused_connection,
            invalid_settings_are_refused,
            answers_over_the_size_limit_are_refused,
            chunked_answers_over_the_size_limit_are_refused,
            tokens_never_show_in_errors,
        );
    };
    (@each $client:ty; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::scenarios::$name::<$client>();
            }
        )*
    };
}
