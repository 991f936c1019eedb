//! Versions as far as a release needs them: `X.Y.Z` and the bumps that produce the next one.

use std::{fmt, str::FromStr};

use anyhow::{bail, ensure};

/// A release version `major.minor.patch`. Pre-release and build suffixes are not supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub(crate) patch: u64,
}

impl FromStr for Version {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Version> {
        let parts: Vec<&str> = s.split('.').collect();
        let numbers: Option<Vec<u64>> = parts.iter().map(|part| number(part)).collect();
        match numbers.as_deref() {
            Some(&[major, minor, patch]) => Ok(Version {
                major,
                minor,
                patch,
            }),
            _ => bail!("invalid version `{s}`: expected X.Y.Z, three numbers without suffix"),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// How to get from the current version to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bump {
    Major,
    Minor,
    Patch,
    To(Version),
}

impl FromStr for Bump {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Bump> {
        match s {
            "major" => Ok(Bump::Major),
            "minor" => Ok(Bump::Minor),
            "patch" => Ok(Bump::Patch),
            _ if s.starts_with(|c: char| c.is_ascii_digit()) => Ok(Bump::To(s.parse()?)),
            _ => bail!("unknown bump `{s}`: expected major, minor, patch or a version X.Y.Z"),
        }
    }
}

impl Bump {
    /// The version after `current`; it must be greater than `current`.
    pub(crate) fn apply(self, current: Version) -> anyhow::Result<Version> {
        let Version {
            major,
            minor,
            patch,
        } = current;
        let next = match self {
            Bump::Major => Version {
                major: major + 1,
                minor: 0,
                patch: 0,
            },
            Bump::Minor => Version {
                major,
                minor: minor + 1,
                patch: 0,
            },
            Bump::Patch => Version {
                major,
                minor,
                patch: patch + 1,
            },
            Bump::To(version) => version,
        };
        ensure!(
            next > current,
            "version {next} is not greater than the current version {current}"
        );
        Ok(next)
    }
}

/// A semver numeric identifier: digits, no leading zero.
fn number(s: &str) -> Option<u64> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints() {
        for s in ["0.1.0", "1.2.3", "10.20.30"] {
            assert_eq!(v(s).to_string(), s);
        }
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "1.2.x",
            "01.2.3",
            "1.2.3-rc.1",
            "1.2.3+b",
            " 1.2.3",
        ] {
            let err = bad.parse::<Version>().unwrap_err().to_string();
            assert!(err.starts_with("invalid version"), "{bad}: {err}");
        }
    }

    #[test]
    fn bumps() {
        let current = v("0.1.3");
        for (bump, next) in [
            ("major", "1.0.0"),
            ("minor", "0.2.0"),
            ("patch", "0.1.4"),
            ("0.1.4", "0.1.4"),
            ("2.0.0", "2.0.0"),
        ] {
            let bump: Bump = bump.parse().unwrap();
            assert_eq!(bump.apply(current).unwrap(), v(next));
        }
    }

    #[test]
    fn refuses_bad_bumps() {
        let err = "huge".parse::<Bump>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown bump `huge`: expected major, minor, patch or a version X.Y.Z"
        );
        assert!(
            "1.x"
                .parse::<Bump>()
                .unwrap_err()
                .to_string()
                .starts_with("invalid version")
        );

        let current = v("0.2.0");
        for lower in ["0.1.9", "0.2.0"] {
            let err = Bump::To(v(lower)).apply(current).unwrap_err().to_string();
            assert_eq!(
                err,
                format!("version {lower} is not greater than the current version 0.2.0")
            );
        }
    }
}
