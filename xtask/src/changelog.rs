//! `CHANGELOG.md` in the "Keep a Changelog" layout: a `## [Unreleased]` section collects the
//! changes, and a release turns it into `## [X.Y.Z] - YYYY-MM-DD` under a fresh, empty one.

use anyhow::{bail, ensure};

use crate::version::Version;

pub(crate) const FILE: &str = "CHANGELOG.md";
const UNRELEASED: &str = "## [Unreleased]";

/// The body of the `## [Unreleased]` section, between its heading and the next `## ` heading.
///
/// # Errors
///
/// When the changelog has no such section.
pub(crate) fn unreleased(text: &str) -> anyhow::Result<&str> {
    let section = find_unreleased(text)?;
    Ok(&text[section.body_start..section.body_end])
}

/// Whether a section body records any change: a line that is neither blank nor a heading.
pub(crate) fn has_entries(body: &str) -> bool {
    body.lines().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#')
    })
}

/// The changelog with its Unreleased entries moved under `## [version] - date`, with a new empty
/// `## [Unreleased]` section above. Subsections left without entries are dropped.
///
/// # Errors
///
/// When the Unreleased section is missing or empty, or `version` already has a section.
pub(crate) fn release(text: &str, version: Version, date: &str) -> anyhow::Result<String> {
    let section = find_unreleased(text)?;
    let body = &text[section.body_start..section.body_end];
    ensure!(
        has_entries(body),
        "the `{UNRELEASED}` section of {FILE} is empty: describe the changes of this release first"
    );
    let heading = format!("## [{version}]");
    ensure!(
        !text.lines().any(|line| line.starts_with(&heading)),
        "{FILE} already has a `{heading}` section"
    );

    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..section.heading_start]);
    out.push_str(UNRELEASED);
    out.push_str("\n\n");
    out.push_str(&format!("{heading} - {date}\n"));
    out.push_str(&drop_empty_subsections(body));
    out.push_str(&text[section.body_end..]);
    Ok(out)
}

struct Section {
    heading_start: usize,
    body_start: usize,
    body_end: usize,
}

fn find_unreleased(text: &str) -> anyhow::Result<Section> {
    let mut heading = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        match heading {
            None if line.trim_end().eq_ignore_ascii_case(UNRELEASED) => heading = Some(start),
            Some(heading_start) if line.starts_with("## ") => {
                let body_start = heading_start + line_len(text, heading_start);
                return Ok(Section {
                    heading_start,
                    body_start,
                    body_end: start,
                });
            }
            _ => {}
        }
    }
    let Some(heading_start) = heading else {
        bail!("{FILE} has no `{UNRELEASED}` section");
    };
    let body_start = heading_start + line_len(text, heading_start);
    Ok(Section {
        heading_start,
        body_start,
        body_end: text.len(),
    })
}

fn line_len(text: &str, start: usize) -> usize {
    text[start..]
        .split_inclusive('\n')
        .next()
        .map_or(0, str::len)
}

/// Removes `### ` subsections that hold no entry, keeping everything else as it was.
fn drop_empty_subsections(body: &str) -> String {
    let mut chunks: Vec<String> = vec![String::new()];
    for line in body.split_inclusive('\n') {
        if line.starts_with("### ") {
            chunks.push(String::new());
        }
        // `chunks` starts non-empty and only grows.
        chunks.last_mut().unwrap().push_str(line);
    }
    let (lead, subsections) = chunks.split_first().unwrap();
    let mut out = lead.clone();
    for chunk in subsections {
        let entries = chunk
            .split_once('\n')
            .is_some_and(|(_, rest)| has_entries(rest));
        if entries {
            out.push_str(chunk);
        }
    }
    if !out.ends_with("\n\n") && !out.is_empty() && out.len() < body.len() {
        // A dropped last subsection took the blank line before the next heading with it.
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGELOG: &str = "\
# Changelog

Intro text.

## [Unreleased]

### Added
- A thing.

### Fixed

## [0.1.0] - 2025-01-01

### Added
- The first thing.
";

    #[test]
    fn finds_the_unreleased_body() {
        assert_eq!(
            unreleased(CHANGELOG).unwrap(),
            "\n### Added\n- A thing.\n\n### Fixed\n\n"
        );
        assert!(has_entries(unreleased(CHANGELOG).unwrap()));

        let last = "# Changelog\n\n## [Unreleased]\n\n### Added\n";
        assert_eq!(unreleased(last).unwrap(), "\n### Added\n");
        assert!(!has_entries(unreleased(last).unwrap()));
    }

    #[test]
    fn moves_unreleased_under_the_version() {
        let version = "0.2.0".parse().unwrap();
        let released = release(CHANGELOG, version, "2025-02-03").unwrap();
        assert_eq!(
            released,
            "\
# Changelog

Intro text.

## [Unreleased]

## [0.2.0] - 2025-02-03

### Added
- A thing.

## [0.1.0] - 2025-01-01

### Added
- The first thing.
"
        );

        // The result is ready for the next round: an empty Unreleased section.
        assert!(!has_entries(unreleased(&released).unwrap()));
    }

    #[test]
    fn release_at_the_end_of_the_file() {
        let text = "# Changelog\n\n## [Unreleased]\n### Changed\n- Everything.";
        let released = release(text, "1.0.0".parse().unwrap(), "2025-02-03").unwrap();
        assert_eq!(
            released,
            "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2025-02-03\n### Changed\n- Everything."
        );
    }

    #[test]
    fn refusals() {
        let version = "0.2.0".parse().unwrap();
        let missing = "# Changelog\n\n## [0.1.0] - 2025-01-01\n- Old.\n";
        assert_eq!(
            release(missing, version, "2025-02-03")
                .unwrap_err()
                .to_string(),
            "CHANGELOG.md has no `## [Unreleased]` section"
        );

        let empty = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n## [0.1.0] - 2025-01-01\n";
        assert_eq!(
            release(empty, version, "2025-02-03")
                .unwrap_err()
                .to_string(),
            "the `## [Unreleased]` section of CHANGELOG.md is empty: \
             describe the changes of this release first"
        );

        let twice = "## [Unreleased]\n- New.\n\n## [0.2.0] - 2025-01-01\n- Old.\n";
        assert_eq!(
            release(twice, version, "2025-02-03")
                .unwrap_err()
                .to_string(),
            "CHANGELOG.md already has a `## [0.2.0]` section"
        );
    }
}
