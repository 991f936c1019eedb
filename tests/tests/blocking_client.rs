//! Every scenario against `timesync_blocking::Client`.

timesync_scenarios::scenario_tests!(timesync_scenarios::Blocking);
