//! What a Docker release's own server code serves, emitted as `static` data by
//! codegen, and the gate a request is checked against: the API version in use
//! plus, when the daemon's release is known, that release's code.
//!
//! The documents are one witness and the code another; where both exist the
//! code decides what a daemon serves at a requested version. A release whose
//! code is not in the table (or a daemon that did not say) leaves the
//! documents to decide.

use crate::version::{ApiVersion, VersionRange, VersionSet};

/// One release line whose server code the tables describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseLine {
    /// Release name as the release table writes it (`20.10`).
    pub docker: &'static str,
    /// The tag whose code was read (`v20.10.27`).
    pub tag: &'static str,
    /// `major.minor` of that tag (`20.10`), compared with the daemon's `Version`.
    pub line: &'static str,
    /// The newest API version that code serves, compared with the daemon's `ApiVersion`.
    pub max_api: ApiVersion,
}

impl ReleaseLine {
    /// Builds a release line; usable in `static` data.
    pub const fn new(
        docker: &'static str,
        tag: &'static str,
        line: &'static str,
        max_api: ApiVersion,
    ) -> Self {
        Self {
            docker,
            tag,
            line,
            max_api,
        }
    }
}

/// What the code of some release lines serves of one operation or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    /// Bit `i` set: release line `i` of the table.
    pub releases: u64,
    /// Requested versions the code serves (routed and not refused; read and
    /// not ignored).
    pub yes: &'static [VersionRange],
    /// Requested versions where the code does not tell (a version condition the
    /// reader could not resolve, a parameter read by a name known only at run
    /// time): the documents decide there.
    pub unsure: &'static [VersionRange],
}

impl Served {
    /// Builds an entry; usable in `static` data.
    pub const fn new(
        releases: u64,
        yes: &'static [VersionRange],
        unsure: &'static [VersionRange],
    ) -> Self {
        Self {
            releases,
            yes,
            unsure,
        }
    }
}

/// The code's verdict on one item at one requested version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSays {
    /// Served.
    Yes,
    /// Not served (not routed, refused, not read, or read and ignored): the
    /// versions at which this release's code does serve it.
    No(VersionSet),
    /// The code does not tell, or there are no facts: the documents decide.
    Documents,
}

/// What a request is gated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gate {
    /// The API version requests are sent with.
    pub version: ApiVersion,
    /// The daemon's release line and its index in the table, when known.
    pub release: Option<(usize, &'static ReleaseLine)>,
}

impl Gate {
    /// A gate on the documents alone.
    pub const fn documents(version: ApiVersion) -> Self {
        Self {
            version,
            release: None,
        }
    }

    /// What the release's code says of an item with facts `served` (`None`:
    /// the item has none, as request body fields, whose Go types the server
    /// corpus lacks).
    pub fn code_says(&self, served: Option<&'static [Served]>) -> CodeSays {
        let (Some((index, _)), Some(served)) = (self.release, served) else {
            return CodeSays::Documents;
        };
        let bit = 1u64.checked_shl(index as u32).unwrap_or(0);
        let Some(entry) = served.iter().find(|s| s.releases & bit != 0) else {
            return CodeSays::No(VersionSet(&[]));
        };
        if VersionSet(entry.yes).contains(self.version) {
            CodeSays::Yes
        } else if VersionSet(entry.unsure).contains(self.version) {
            CodeSays::Documents
        } else {
            CodeSays::No(VersionSet(entry.yes))
        }
    }
}

/// The release line a daemon runs, from its `/version` answer: the line whose
/// tag has the same `major.minor` as `version` (`20.10.24+dfsg1` → `20.10`) and
/// whose code serves `api_version` as its newest. Anything else is unknown.
pub fn identify(
    releases: &'static [ReleaseLine],
    version: &str,
    api_version: ApiVersion,
) -> Option<(usize, &'static ReleaseLine)> {
    let line = major_minor(version)?;
    releases
        .iter()
        .enumerate()
        .find(|(_, r)| r.line == line && r.max_api == api_version)
}

/// `20.10` of `20.10.24+dfsg1`, `17.03` of `17.03.2-ce`, `29.0` of `29.0.4`.
fn major_minor(version: &str) -> Option<&str> {
    let version = version.trim().trim_start_matches('v');
    let mut dots = version.match_indices('.').map(|(i, _)| i);
    let first = dots.next()?;
    let end = version[first + 1..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(version.len(), |i| first + 1 + i);
    let (major, minor) = (&version[..first], &version[first + 1..end]);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(major) && digits(minor)).then_some(&version[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    static RELEASES: [ReleaseLine; 2] = [
        ReleaseLine::new("20.10", "v20.10.27", "20.10", v(41)),
        ReleaseLine::new("17.03.1", "v17.03.2-ce", "17.03", v(27)),
    ];

    #[test]
    fn identifies_by_line_and_newest_version() {
        let got = |text, api| identify(&RELEASES, text, api).map(|(i, _)| i);
        assert_eq!(got("20.10.24+dfsg1", v(41)), Some(0));
        assert_eq!(got("20.10.5", v(41)), Some(0));
        assert_eq!(got("17.03.2-ce", v(27)), Some(1));
        // Same line, another newest version: a build we have no code for.
        assert_eq!(got("20.10.24", v(40)), None);
        assert_eq!(got("20.1", v(41)), None);
        assert_eq!(got("dev", v(41)), None);
        assert_eq!(got("", v(41)), None);
        assert_eq!(got("20.", v(41)), None);
    }

    static YES: [VersionRange; 1] = [VersionRange::new(Some(v(25)), None)];
    static UNSURE: [VersionRange; 1] = [VersionRange::new(Some(v(12)), Some(v(25)))];
    static FACTS: [Served; 1] = [Served::new(0b01, &YES, &UNSURE)];

    #[test]
    fn the_code_decides_where_it_tells() {
        let gate = |minor, index: Option<usize>| Gate {
            version: v(minor),
            release: index.map(|i| (i, &RELEASES[i])),
        };
        assert_eq!(gate(30, Some(0)).code_says(Some(&FACTS)), CodeSays::Yes);
        assert_eq!(
            gate(20, Some(0)).code_says(Some(&FACTS)),
            CodeSays::Documents
        );
        assert_eq!(
            gate(11, Some(0)).code_says(Some(&FACTS)),
            CodeSays::No(VersionSet(&YES))
        );
        // Release 1's code has no entry: not served there at all.
        assert_eq!(
            gate(30, Some(1)).code_says(Some(&FACTS)),
            CodeSays::No(VersionSet(&[]))
        );
        assert_eq!(gate(11, None).code_says(Some(&FACTS)), CodeSays::Documents);
        assert_eq!(gate(11, Some(0)).code_says(None), CodeSays::Documents);
    }
}
