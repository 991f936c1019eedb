//! Durations of work, as TimeSync stores them: a positive whole number of seconds.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// The largest duration the reference server can store (a signed 32-bit integer column).
pub const MAX_SECONDS: u32 = i32::MAX as u32;

/// A positive duration of at most [`MAX_SECONDS`] seconds.
///
/// Parse it from integer seconds (`"5400"`) or from hours and minutes (`"1h30m"`, `"2h"`,
/// `"45m"`, `"90m"`, `"25h"`, `"1h05m"`, optionally ending in seconds: `"1h00m30s"`). On the
/// wire it is always integer seconds. [`Display`](fmt::Display) prints the hour-and-minute
/// form, which parses back to the same value.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(u32);

impl Duration {
    /// A duration of `seconds`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDuration`] for zero or more than [`MAX_SECONDS`].
    pub fn from_secs(seconds: u64) -> Result<Self, Error> {
        match seconds {
            0 => Err(invalid(seconds.to_string(), "a duration must be positive")),
            s if s > u64::from(MAX_SECONDS) => Err(invalid(s.to_string(), TOO_LONG)),
            s => Ok(Duration(s as u32)),
        }
    }

    /// A duration of `hours` and `minutes`.
    ///
    /// # Errors
    ///
    /// As [`Duration::from_secs`].
    pub fn from_hours_minutes(hours: u32, minutes: u32) -> Result<Self, Error> {
        Self::from_secs(u64::from(hours) * 3600 + u64::from(minutes) * 60)
    }

    /// The duration in seconds.
    pub fn as_secs(self) -> u32 {
        self.0
    }

    /// The duration as a [`std::time::Duration`].
    pub fn to_std(self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.0))
    }
}

const TOO_LONG: &str = "more than the server's limit of 2147483647 seconds";

fn invalid(value: String, reason: &'static str) -> Error {
    Error::InvalidDuration { value, reason }
}

impl FromStr for Duration {
    type Err = Error;

    fn from_str(input: &str) -> Result<Self, Error> {
        let text = input.trim();
        let fail = |reason| invalid(input.to_owned(), reason);
        if text.is_empty() {
            return Err(fail("a duration cannot be empty"));
        }
        if text.starts_with('-') {
            return Err(fail("a duration cannot be negative"));
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return match text.parse::<u64>() {
                Ok(seconds) => Self::from_secs(seconds).map_err(|_| {
                    fail(if seconds == 0 {
                        "a duration must be positive"
                    } else {
                        TOO_LONG
                    })
                }),
                Err(_) => Err(fail(TOO_LONG)),
            };
        }

        // Components in the order h, m, s; each at most once, each a run of digits.
        let mut total: u64 = 0;
        let mut rest = text;
        let mut last_unit = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(fail("expected seconds or a form like 3h30m, 2h or 45m"));
            }
            let (number, tail) = rest.split_at(digits);
            let mut chars = tail.chars();
            let (rank, factor) = match chars.next() {
                Some('h') => (1, 3600),
                Some('m') => (2, 60),
                Some('s') => (3, 1),
                _ => return Err(fail("expected seconds or a form like 3h30m, 2h or 45m")),
            };
            if rank <= last_unit {
                return Err(fail("units must come once each, in the order h, m, s"));
            }
            // Anything past u32 is past the limit; keep the arithmetic in u64.
            let value: u64 = number.parse().map_err(|_| fail(TOO_LONG))?;
            // `90m` alone is fine, but after a larger unit `1h60m` is most likely a typo.
            if last_unit > 0 && value >= 60 {
                return Err(fail(
                    "minutes and seconds after a larger unit must be below 60",
                ));
            }
            last_unit = rank;
            total = value
                .checked_mul(factor)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| fail(TOO_LONG))?;
            rest = chars.as_str();
        }
        match total {
            0 => Err(fail("a duration must be positive")),
            t if t > u64::from(MAX_SECONDS) => Err(fail(TOO_LONG)),
            t => Ok(Duration(t as u32)),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 % 3600 / 60, self.0 % 60);
        match (h, m, s) {
            (0, 0, s) => write!(f, "{s}s"),
            (0, m, 0) => write!(f, "{m}m"),
            (0, m, s) => write!(f, "{m}m{s:02}s"),
            (h, 0, 0) => write!(f, "{h}h"),
            (h, m, 0) => write!(f, "{h}h{m:02}m"),
            (h, m, s) => write!(f, "{h}h{m:02}m{s:02}s"),
        }
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Duration({}s)", self.0)
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = Error;

    /// Whole seconds only: a fractional part is an error rather than silently dropped.
    fn try_from(value: std::time::Duration) -> Result<Self, Error> {
        if value.subsec_nanos() != 0 {
            return Err(invalid(
                format!("{value:?}"),
                "a duration must be whole seconds",
            ));
        }
        Self::from_secs(value.as_secs())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let seconds = i64::deserialize(deserializer)?;
        let seconds = u64::try_from(seconds)
            .map_err(|_| serde::de::Error::custom(format!("negative duration {seconds}")))?;
        Duration::from_secs(seconds).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        let cases = [
            ("3600", 3600),
            ("3h30m", 12_600),
            ("2h", 7200),
            ("45m", 2700),
            ("90m", 5400),
            ("90s", 90),
            ("1h59m59s", 7199),
            ("25h", 90_000),
            ("1h05m", 3900),
            ("1h5m", 3900),
            ("30s", 30),
            ("1h00m30s", 3630),
            (" 2h ", 7200),
            ("2147483647", 2_147_483_647),
        ];
        for (input, seconds) in cases {
            assert_eq!(
                input.parse::<Duration>().unwrap().as_secs(),
                seconds,
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_junk_zero_negative_and_overflow() {
        let cases = [
            ("", "a duration cannot be empty"),
            ("   ", "a duration cannot be empty"),
            ("abc", "expected seconds or a form like 3h30m, 2h or 45m"),
            ("1.5h", "expected seconds or a form like 3h30m, 2h or 45m"),
            ("h", "expected seconds or a form like 3h30m, 2h or 45m"),
            ("1h 30m", "expected seconds or a form like 3h30m, 2h or 45m"),
            ("1d", "expected seconds or a form like 3h30m, 2h or 45m"),
            ("30m1h", "units must come once each, in the order h, m, s"),
            ("1h1h", "units must come once each, in the order h, m, s"),
            (
                "1h60m",
                "minutes and seconds after a larger unit must be below 60",
            ),
            (
                "2m75s",
                "minutes and seconds after a larger unit must be below 60",
            ),
            ("0", "a duration must be positive"),
            ("0h0m", "a duration must be positive"),
            ("-5", "a duration cannot be negative"),
            ("-1h", "a duration cannot be negative"),
            ("2147483648", TOO_LONG),
            ("596524h", TOO_LONG),
            ("99999999999999999999999", TOO_LONG),
            ("99999999999999999999h", TOO_LONG),
        ];
        for (input, reason) in cases {
            match input.parse::<Duration>() {
                Err(Error::InvalidDuration { value, reason: got }) => {
                    assert_eq!(value, input);
                    assert_eq!(got, reason, "{input:?}");
                }
                other => panic!("{input:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn formats_in_hours_and_minutes() {
        let cases = [
            (45, "45s"),
            (60, "1m"),
            (2700, "45m"),
            (3600, "1h"),
            (3900, "1h05m"),
            (12_600, "3h30m"),
            (90_000, "25h"),
            (3630, "1h00m30s"),
            (61, "1m01s"),
        ];
        for (seconds, text) in cases {
            assert_eq!(Duration::from_secs(seconds).unwrap().to_string(), text);
        }
    }

    #[test]
    fn the_wire_carries_integer_seconds() {
        let d: Duration = "1h30m".parse().unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "5400");
        assert_eq!(serde_json::from_str::<Duration>("5400").unwrap(), d);
        assert!(serde_json::from_str::<Duration>("0").is_err());
        assert!(serde_json::from_str::<Duration>("-5").is_err());
        assert!(serde_json::from_str::<Duration>("\"1h\"").is_err());
        assert!(serde_json::from_str::<Duration>("2147483648").is_err());
    }

    #[test]
    fn std_durations_must_be_whole_seconds() {
        let ok = std::time::Duration::from_secs(90);
        assert_eq!(Duration::try_from(ok).unwrap().as_secs(), 90);
        assert!(Duration::try_from(std::time::Duration::from_millis(1500)).is_err());
        assert!(Duration::try_from(std::time::Duration::ZERO).is_err());
    }

    proptest! {
        #[test]
        fn display_parses_back(seconds in 1..=MAX_SECONDS) {
            let d = Duration::from_secs(u64::from(seconds)).unwrap();
            prop_assert_eq!(d.to_string().parse::<Duration>().unwrap(), d);
            prop_assert_eq!(seconds.to_string().parse::<Duration>().unwrap(), d);
        }

        #[test]
        fn minutes_alone_may_pass_an_hour(m in 1u32..100_000) {
            prop_assert_eq!(format!("{m}m").parse::<Duration>().unwrap().as_secs(), m * 60);
        }

        #[test]
        fn parsing_never_panics(input in "\\PC{0,24}") {
            let _ = input.parse::<Duration>();
        }

        #[test]
        fn hours_and_minutes_add_up(h in 0u32..1000, m in 0u32..60) {
            prop_assume!(h > 0 || m > 0);
            let d: Duration = format!("{h}h{m}m").parse().unwrap();
            prop_assert_eq!(d.as_secs(), h * 3600 + m * 60);
        }
    }
}
