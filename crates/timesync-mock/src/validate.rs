//! Identifier rules and the field checks of posted objects, with the reference's error texts.

use serde_json::{Map, Number, Value};

use crate::error::ApiError;

/// Lowercase letters and digits, words joined by single hyphens, at least one letter.
pub(crate) fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && text.bytes().any(|b| b.is_ascii_lowercase())
}

/// The 8-4-4-4-12 hex form, either case.
pub(crate) fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Letters, digits, `-`, `_` and `~` (the reference refuses the `.` that the spec allows).
pub(crate) fn is_username(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~'))
}

/// An `http` or `https` URI with a host and no spaces.
pub(crate) fn is_web_uri(text: &str) -> bool {
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// A `YYYY-MM-DD` date, written back in canonical form.
pub(crate) fn parse_date(text: &str) -> Option<String> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return None;
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|date| date.format("%Y-%m-%d").to_string())
}

/// The JavaScript name of a JSON value's type, as the reference writes it in errors.
pub(crate) fn js_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A posted object of some kind (`time`, `project`, ...), to read field by field.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    kind: &'static str,
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// Takes the object, refusing any field not in `allowed`.
    pub(crate) fn new(
        kind: &'static str,
        map: &'a Map<String, Value>,
        allowed: &[&str],
    ) -> Result<Fields<'a>, ApiError> {
        if let Some(unknown) = map.keys().find(|key| !allowed.contains(&key.as_str())) {
            return Err(ApiError::unknown_field(kind, unknown));
        }
        Ok(Fields { kind, map })
    }

    fn typed<T>(
        &self,
        name: &str,
        expected: &str,
        pick: impl Fn(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, ApiError> {
        match self.map.get(name) {
            None => Ok(None),
            Some(value) => pick(value)
                .map(Some)
                .ok_or_else(|| ApiError::invalid_field(self.kind, name, expected, js_type(value))),
        }
    }

    fn required<T>(&self, name: &str, value: Option<T>) -> Result<T, ApiError> {
        value.ok_or_else(|| ApiError::missing_field(self.kind, name))
    }

    /// An optional string field.
    pub(crate) fn string(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        self.typed(name, "string", Value::as_str)
    }

    /// A required string field.
    pub(crate) fn req_string(&self, name: &str) -> Result<&'a str, ApiError> {
        self.required(name, self.string(name)?)
    }

    /// An optional number field.
    pub(crate) fn number(&self, name: &str) -> Result<Option<&'a Number>, ApiError> {
        self.typed(name, "number", |value| match value {
            Value::Number(number) => Some(number),
            _ => None,
        })
    }

    /// A required number field.
    pub(crate) fn req_number(&self, name: &str) -> Result<&'a Number, ApiError> {
        self.required(name, self.number(name)?)
    }

    /// An optional boolean field.
    pub(crate) fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        self.typed(name, "boolean", Value::as_bool)
    }

    /// An optional array field.
    pub(crate) fn array(&self, name: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
        self.typed(name, "array", Value::as_array)
    }

    /// A required array field.
    pub(crate) fn req_array(&self, name: &str) -> Result<&'a Vec<Value>, ApiError> {
        self.required(name, self.array(name)?)
    }

    /// An optional object field.
    pub(crate) fn object(&self, name: &str) -> Result<Option<&'a Map<String, Value>>, ApiError> {
        self.typed(name, "object", Value::as_object)
    }

    /// An optional array of slugs (`expected` names it in errors, e.g. `slugs`).
    pub(crate) fn slug_list(&self, name: &str) -> Result<Option<Vec<String>>, ApiError> {
        let Some(values) = self.array(name)? else {
            return Ok(None);
        };
        let mut slugs = Vec::with_capacity(values.len());
        for value in values {
            let Some(slug) = value.as_str() else {
                return Err(ApiError::invalid_field(
                    self.kind,
                    name,
                    "slugs",
                    &format!("array containing at least 1 {}", js_type(value)),
                ));
            };
            if !is_slug(slug) {
                return Err(ApiError::invalid_field(
                    self.kind,
                    name,
                    "slugs",
                    "non-slug strings",
                ));
            }
            if !slugs.iter().any(|seen| seen == slug) {
                slugs.push(slug.to_owned());
            }
        }
        Ok(Some(slugs))
    }

    /// An optional `uri`-like string: empty, or an http(s) URI.
    pub(crate) fn uri(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        let uri = self.string(name)?;
        match uri {
            Some(text) if !text.is_empty() && !is_web_uri(text) => Err(ApiError::invalid_field(
                self.kind,
                name,
                "URI",
                &format!("invalid URI {text}"),
            )),
            _ => Ok(uri),
        }
    }

    /// A single slug in a string field.
    pub(crate) fn slug(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        let slug = self.string(name)?;
        match slug {
            Some(text) if !is_slug(text) => Err(ApiError::invalid_field(
                self.kind,
                name,
                "slug",
                &format!("invalid slug {text}"),
            )),
            _ => Ok(slug),
        }
    }
}

/// A duration: a non-negative whole number of seconds.
pub(crate) fn duration(kind: &str, number: &Number) -> Result<u64, ApiError> {
    if let Some(seconds) = number.as_u64() {
        return Ok(seconds);
    }
    let value = number.as_f64().unwrap_or(f64::NAN);
    if value < 0.0 {
        Err(ApiError::invalid_field(
            kind,
            "duration",
            "positive integer",
            "negative integer",
        ))
    } else if value.fract() == 0.0 && value <= 9.0e15 {
        // A whole number sent as a float, like 3600.0: JavaScript makes no difference.
        Ok(value as u64)
    } else {
        Err(ApiError::invalid_field(
            kind,
            "duration",
            "positive integer",
            "non-integer number",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for good in ["gwm", "my-project", "2cool", "a", "a1b2-c3", "x-1"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "", "GWM", "a--b", "-ab", "ab-", "my_proj", "1", "12-34", "a b", "é",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("32764929-1bea-4a17-8c8a-22d7fb144941"));
        assert!(is_uuid("32764929-1BEA-4A17-8C8A-22D7FB144941"));
        assert!(!is_uuid("not-a-uuid"));
        assert!(!is_uuid("32764929-1bea-4a17-8c8a-22d7fb14494"));
        assert!(!is_uuid("32764929-1bea-4a17-8c8a-22d7fb14494g"));
    }

    #[test]
    fn usernames() {
        for good in ["admin", "Site_Manager", "a-b~c", "user1"] {
            assert!(is_username(good), "{good}");
        }
        for bad in ["", "bad user!", "a.b", "é", "a/b"] {
            assert!(!is_username(bad), "{bad}");
        }
    }

    #[test]
    fn uris_and_dates() {
        assert!(is_web_uri("https://example.com/ref/issues/1"));
        assert!(is_web_uri("http://localhost:8000"));
        assert!(!is_web_uri("ftp://example.com"));
        assert!(!is_web_uri("https://"));
        assert!(!is_web_uri("https://exa mple.com"));
        assert_eq!(parse_date("2016-05-04").as_deref(), Some("2016-05-04"));
        assert_eq!(parse_date("2016-02-30"), None);
        assert_eq!(parse_date("2016-5-4"), None);
        assert_eq!(parse_date("notadate"), None);
    }

    #[test]
    fn durations() {
        let number = |text: &str| serde_json::from_str::<Number>(text).ok();
        let check = |text: &str| number(text).map(|n| duration("time", &n).ok());
        assert_eq!(check("3600"), Some(Some(3600)));
        assert_eq!(check("3600.0"), Some(Some(3600)));
        assert_eq!(check("0"), Some(Some(0)));
        assert_eq!(check("-5"), Some(None));
        assert_eq!(check("1.5"), Some(None));
    }
}
