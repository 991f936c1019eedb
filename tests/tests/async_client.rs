//! Every scenario against `timesync_async::Client`, driven by `block_on`.

timesync_scenarios::scenario_tests!(timesync_scenarios::Async);
