//! The second witness in the model: what each Docker release line's own server
//! code serves, per operation and query parameter, at which *requested* API
//! versions, each fact with the file and line that shows it.
//!
//! `dockmatrix-served` reads the server code and builds a [`ServedIndex`];
//! `cargo xtask codegen` writes it as `generated/data/served.bin` and the
//! binary embeds it, so verdicts follow the code without the code at hand.
//! Evidence levels: an operation is *routed* (and may be *refused* by a
//! version gate at the top of its handler), a parameter is *read*.
//! Whether a read value is honoured is not part of the index.

use crate::model::OpKey;
use crate::version::{ApiVersion, VersionRange};

/// Served facts of every release line the server corpus covers, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServedIndex {
    /// One entry per release tag read.
    pub releases: Vec<ServedRelease>,
}

/// What one release's code serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedRelease {
    /// The release-table name it stands for (`20.10`, `1.13.1`).
    pub docker: String,
    /// The tag read (`v20.10.27`).
    pub tag: String,
    /// The newest API version the code serves, and where it is declared.
    pub max_api: Option<(ApiVersion, String)>,
    /// The default minimum API version (Linux), and where it is declared.
    pub min_api: Option<(ApiVersion, String)>,
    /// Where the version middleware refuses requests above `max_api`; `None`:
    /// the release accepts any higher version and answers as its own.
    pub max_enforced: Option<String>,
    /// Routed operations (evidence `route`), sorted by key.
    pub operations: Vec<ServedOperation>,
}

/// One routed operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedOperation {
    /// Method and canonical path.
    pub key: OpKey,
    /// Path as the project writes it (`/containers/{name}/json`).
    pub path: String,
    /// Where the route is registered (`file:line`).
    pub at: String,
    /// The handler and where it is declared, if resolved (`getImagesJSON`, `file:line`).
    pub handler: Option<(String, String)>,
    /// Requested API versions the route answers (a route-level minimum, from 29.0).
    pub requested: VersionRange,
    /// Registered as experimental.
    pub experimental: bool,
    /// Requested versions the handler refuses before anything else (a
    /// handler-level version gate), and where (`file:line`).
    pub refused: Option<(VersionRange, String)>,
    /// Query parameters the handler reads (evidence `read`).
    pub params: Vec<ServedParam>,
    /// Reads whose parameter name the reader could not bind (`file:line`).
    pub unresolved_reads: Vec<String>,
    /// Struct fields the handler selects only under a version condition, and
    /// where (`AutoRemove`, `container_routes.go:479`): a request-body field of
    /// that name is treated by requested version.
    pub gated_fields: Vec<(String, String)>,
}

/// One read of a query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedParam {
    /// Parameter name.
    pub name: String,
    /// Where it is read (`file:line`).
    pub at: String,
    /// Requested API versions at which the read is reached.
    pub requested: VersionRange,
    /// A version condition applies that the reader could not turn into a range.
    pub unresolved: bool,
    /// What the code that consumes the value does with it, where the corpus has it.
    pub honoured: Option<Honour>,
}

/// Evidence level *honoured*: whether the daemon uses a read value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Honour {
    /// Whether the consumer uses it.
    pub honoured: bool,
    /// The options field it goes into (`ContainerListOptions.Since`).
    pub field: String,
    /// The use, or the consumer's declaration when it is never used (`file:line`).
    pub at: String,
}

/// What the code says about one query parameter at one requested version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamServed {
    /// Read there, at this `file:line`, with what the consumer does with it
    /// where the corpus shows it.
    Read(String, Option<Honour>),
    /// Read there only under a version condition the reader could not resolve.
    Unresolved(String),
    /// Read, but only at other requested versions: where, and the range.
    ElsewhereOnly(String, VersionRange),
    /// Not read, and the handler has reads whose names the reader could not bind.
    NotShown(String),
    /// Not read by the handler or any helper it calls.
    NotRead,
}

/// What a release's code says of an operation or parameter at one requested version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeVerdict {
    /// Routed and not refused; read and not ignored.
    Serves,
    /// The code does not tell (a version condition the reader could not
    /// resolve, a parameter read by a name known only at run time).
    Silent,
    /// Not routed or refused there; not read there, or read and never used.
    Lacks,
}

impl ParamServed {
    /// The verdict this read gives: the rule of `check --docker`.
    pub fn verdict(&self) -> CodeVerdict {
        match self {
            ParamServed::Read(_, Some(h)) if !h.honoured => CodeVerdict::Lacks,
            ParamServed::Read(..) => CodeVerdict::Serves,
            ParamServed::Unresolved(_) | ParamServed::NotShown(_) => CodeVerdict::Silent,
            ParamServed::ElsewhereOnly(..) | ParamServed::NotRead => CodeVerdict::Lacks,
        }
    }
}

impl Honour {
    /// `into T.F, honoured at file:line` or `into T.F, never used by its consumer file:line`.
    pub fn text(&self) -> String {
        if self.honoured {
            format!("into {}, honoured at {}", self.field, self.at)
        } else {
            format!(
                "into {}, never used by its consumer {}",
                self.field, self.at
            )
        }
    }
}

impl ServedIndex {
    /// The served facts for a release-table name, if its code is in the corpus.
    pub fn release(&self, docker: &str) -> Option<&ServedRelease> {
        self.releases.iter().find(|r| r.docker == docker)
    }
}

impl ServedRelease {
    /// The operation routed for `key` at requested version `v`.
    pub fn routed(&self, key: &OpKey, v: ApiVersion) -> Option<&ServedOperation> {
        self.operations
            .iter()
            .find(|o| &o.key == key && o.requested.contains(v))
    }

    /// The operation for `key` when it is routed at `v` and its handler does
    /// not refuse `v`.
    pub fn serves(&self, key: &OpKey, v: ApiVersion) -> Option<&ServedOperation> {
        self.routed(key, v)
            .filter(|o| !o.refused.as_ref().is_some_and(|(r, _)| r.contains(v)))
    }

    /// What the code says of query parameter `name` of `key` at `v`.
    pub fn param_verdict(&self, key: &OpKey, name: &str, v: ApiVersion) -> CodeVerdict {
        self.serves(key, v)
            .map_or(CodeVerdict::Lacks, |o| o.param(name, v).verdict())
    }

    /// Whether the code serves request-body field `path` (dotted, `[]` for
    /// array items, `*` for map values) of `key` at `v`: the operation is served
    /// there, the release's own Go types decode the field (`in_own_types`: the
    /// documents of the release's newest version have it; Go decodes a known
    /// field whatever version is requested), and the handler touches no field
    /// of the path under a version condition. `false` means the code does not
    /// tell: body facts only ever widen what the documents say.
    pub fn serves_body_field(
        &self,
        key: &OpKey,
        path: &str,
        in_own_types: bool,
        v: ApiVersion,
    ) -> bool {
        let Some(op) = self.serves(key, v) else {
            return false;
        };
        in_own_types
            && !path
                .split(['.', '['])
                .map(|s| s.trim_matches(|c| c == ']' || c == '*'))
                .any(|segment| op.gated_fields.iter().any(|(name, _)| name == segment))
    }

    /// The operation routed for `key` at any requested version.
    pub fn operation(&self, key: &OpKey) -> Option<&ServedOperation> {
        self.operations.iter().find(|o| &o.key == key)
    }
}

impl ServedOperation {
    /// Whether and where the handler reads `name` at requested version `v`.
    pub fn param(&self, name: &str, v: ApiVersion) -> ParamServed {
        let reads: Vec<&ServedParam> = self.params.iter().filter(|p| p.name == name).collect();
        if let Some(p) = reads
            .iter()
            .find(|p| p.requested.contains(v) && !p.unresolved)
        {
            return ParamServed::Read(p.at.clone(), p.honoured.clone());
        }
        if let Some(p) = reads.iter().find(|p| p.requested.contains(v)) {
            return ParamServed::Unresolved(p.at.clone());
        }
        if let Some(p) = reads.first() {
            return ParamServed::ElsewhereOnly(p.at.clone(), p.requested);
        }
        match self.unresolved_reads.first() {
            Some(at) => ParamServed::NotShown(at.clone()),
            None => ParamServed::NotRead,
        }
    }

    /// `getImagesJSON (file:line)`, or the route's location when the handler is unknown.
    pub fn handler_text(&self) -> String {
        match &self.handler {
            Some((name, at)) => format!("{name} ({at})"),
            None => format!("the handler of {}", self.at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    fn op() -> ServedOperation {
        let param = |name: &str, requested, unresolved| ServedParam {
            name: name.into(),
            at: format!("{name}.go:1"),
            requested,
            unresolved,
            honoured: None,
        };
        ServedOperation {
            key: OpKey::new("GET", "/images/json"),
            path: "/images/json".into(),
            at: "image.go:9".into(),
            handler: Some(("getImagesJSON".into(), "image_routes.go:2".into())),
            requested: VersionRange::ALL,
            experimental: false,
            refused: None,
            params: vec![
                param("all", VersionRange::ALL, false),
                param("filter", VersionRange::below(v(41)), false),
                param("odd", VersionRange::starting(v(30)), true),
            ],
            unresolved_reads: Vec::new(),
            gated_fields: Vec::new(),
        }
    }

    #[test]
    fn reads_follow_their_windows() {
        let op = op();
        assert_eq!(
            op.param("all", v(12)),
            ParamServed::Read("all.go:1".into(), None)
        );
        assert_eq!(
            op.param("filter", v(40)),
            ParamServed::Read("filter.go:1".into(), None)
        );
        assert_eq!(
            op.param("filter", v(41)),
            ParamServed::ElsewhereOnly("filter.go:1".into(), VersionRange::below(v(41)))
        );
        assert_eq!(
            op.param("odd", v(31)),
            ParamServed::Unresolved("odd.go:1".into())
        );
        assert_eq!(op.param("digests", v(41)), ParamServed::NotRead);
        let mut vague = op.clone();
        vague.unresolved_reads.push("x.go:3".into());
        assert_eq!(
            vague.param("digests", v(41)),
            ParamServed::NotShown("x.go:3".into())
        );
    }
}
