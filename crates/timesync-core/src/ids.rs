//! Identifiers: slugs, usernames and uuids, checked with the reference server's rules.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use uuid::Uuid;

use crate::Error;

/// A project, activity or org-role slug: lowercase ASCII letters and digits, words joined by
/// single hyphens, with at least one letter (`gwm`, `my-project`, `2cool`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

impl Slug {
    /// Checks `value` and wraps it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSlug`] when `value` is empty, has characters other than `a-z`, `0-9`
    /// and `-`, has a leading, trailing or doubled hyphen, or has no letter.
    pub fn new(value: impl Into<String>) -> Result<Self, Error> {
        let value = value.into();
        match slug_problem(&value) {
            None => Ok(Slug(value)),
            Some(reason) => Err(Error::InvalidSlug { value, reason }),
        }
    }

    /// The slug as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn slug_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return Some("a slug cannot be empty");
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("only lowercase letters, digits and hyphens are allowed");
    }
    if value.starts_with('-') || value.ends_with('-') || value.contains("--") {
        return Some("words must be joined by single hyphens");
    }
    if !value.bytes().any(|b| b.is_ascii_lowercase()) {
        return Some("a slug needs at least one letter");
    }
    None
}

/// A TimeSync username: ASCII letters, digits, `-`, `_` and `~`.
///
/// The reference server matches usernames exactly, so no case folding happens here.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Username(String);

impl Username {
    /// Checks `value` and wraps it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUsername`] when `value` is empty or has other characters than ASCII
    /// letters, digits, `-`, `_` and `~`.
    pub fn new(value: impl Into<String>) -> Result<Self, Error> {
        let value = value.into();
        let reason = if value.is_empty() {
            Some("a username cannot be empty")
        } else if !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~'))
        {
            Some("only letters, digits, '-', '_' and '~' are allowed")
        } else if value == "org-roles" {
            Some("reserved: /users/org-roles names the organisation roles")
        } else {
            None
        };
        match reason {
            None => Ok(Username(value)),
            Some(reason) => Err(Error::InvalidUsername { value, reason }),
        }
    }

    /// The username as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses a uuid in the 8-4-4-4-12 hexadecimal form that TimeSync uses, and only that form.
///
/// [`Uuid::parse_str`] also takes the braced, URN and unhyphenated forms, which the server
/// refuses; this function refuses them locally.
///
/// # Errors
///
/// [`Error::InvalidUuid`] for anything else.
pub fn parse_uuid(value: &str) -> Result<Uuid, Error> {
    let shaped = value.len() == 36
        && value.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if !shaped {
        return Err(Error::InvalidUuid(value.to_owned()));
    }
    Uuid::parse_str(value).map_err(|_| Error::InvalidUuid(value.to_owned()))
}

/// Parses a `YYYY-MM-DD` date, as TimeSync writes dates, for years 0 to 9999.
///
/// # Errors
///
/// [`Error::InvalidDate`] for anything else.
pub fn parse_date(value: &str) -> Result<chrono::NaiveDate, Error> {
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(Error::InvalidDate(value.to_owned()));
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| Error::InvalidDate(value.to_owned()))
}

/// Refuses dates that TimeSync cannot write as `YYYY-MM-DD` (years before 0 or after 9999).
pub(crate) fn check_date(field: &'static str, date: chrono::NaiveDate) -> Result<(), Error> {
    use chrono::Datelike as _;
    if (0..=9999).contains(&date.year()) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            field,
            reason: "dates must be in the years 0 to 9999",
        })
    }
}

macro_rules! string_identifier {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self, Error> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::new(raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

string_identifier!(Slug);
string_identifier!(Username);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_reference_rules() {
        let good = ["gwm", "my-project", "2cool", "a", "a1-b2-c3", "p1"];
        let bad = [
            "", "GWM", "a--b", "-ab", "ab-", "my_proj", "1", "12-34", "bad slug", "é", "a.b",
        ];
        for s in good {
            assert_eq!(Slug::new(s).unwrap().as_str(), s, "{s}");
        }
        for s in bad {
            assert!(
                matches!(Slug::new(s), Err(Error::InvalidSlug { .. })),
                "{s:?} accepted"
            );
        }
    }

    #[test]
    fn usernames_follow_the_reference_rules() {
        let good = ["root", "Proj_Manager", "a-b~c", "user1", "X"];
        let bad = ["", "bad user!", "a.b", "ü", "a/b", "a b", "org-roles"];
        for s in good {
            assert_eq!(Username::new(s).unwrap().as_str(), s, "{s}");
        }
        for s in bad {
            assert!(
                matches!(Username::new(s), Err(Error::InvalidUsername { .. })),
                "{s:?}"
            );
        }
    }

    #[test]
    fn uuids_must_be_hyphenated() {
        let ok = "32764929-1bea-4a17-8c8a-22d7fb144941";
        assert_eq!(parse_uuid(ok).unwrap().to_string(), ok);
        assert_eq!(
            parse_uuid("32764929-1BEA-4A17-8C8A-22D7FB144941")
                .unwrap()
                .to_string(),
            ok
        );
        for bad in [
            "",
            "not-a-uuid",
            "327649291bea4a178c8a22d7fb144941",
            "{32764929-1bea-4a17-8c8a-22d7fb144941}",
            "urn:uuid:32764929-1bea-4a17-8c8a-22d7fb144941",
            "32764929-1bea-4a17-8c8a-22d7fb14494g",
            "32764929-1bea-4a17-8c8a_22d7fb144941",
        ] {
            assert_eq!(
                parse_uuid(bad),
                Err(Error::InvalidUuid(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn dates_are_yyyy_mm_dd() {
        assert_eq!(parse_date("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(parse_date("0001-01-01").unwrap().to_string(), "0001-01-01");
        for bad in [
            "",
            "2023-02-29",
            "2024-2-1",
            "05/04/2024",
            "+10000-01-01",
            "2024-13-01",
            "2024-01-01T00:00",
        ] {
            assert_eq!(
                parse_date(bad),
                Err(Error::InvalidDate(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn identifiers_validate_when_deserialized() {
        let slugs: Vec<Slug> = serde_json::from_str(r#"["p1","project1"]"#).unwrap();
        assert_eq!(slugs, ["p1", "project1"]);
        assert!(serde_json::from_str::<Slug>(r#""Bad--Slug""#).is_err());
        assert!(serde_json::from_str::<Username>(r#""bad user""#).is_err());
        assert_eq!(
            serde_json::to_string(&Slug::new("dev").unwrap()).unwrap(),
            r#""dev""#
        );
    }
}
