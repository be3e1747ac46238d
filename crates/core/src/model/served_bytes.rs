//! The served facts as compact bytes (`generated/data/served.bin`), embedded in
//! the `dockmatrix` binary next to the matrix.
//!
//! Strings (paths, names, files) are stored once and referred to by index; a
//! location is a file index and a line. The layout is encoded with postcard;
//! [`FORMAT`] changes whenever it does. [`decode`] checks every index, so
//! damaged bytes are an error, never a panic or a wrong answer.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::served::{Honour, ServedIndex, ServedOperation, ServedParam, ServedRelease};
use crate::model::OpKey;
use crate::version::{ApiVersion, VersionRange};

/// Layout version of the encoding.
pub const FORMAT: u32 = 3;

/// Why served bytes could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ServedBytesError {
    /// postcard could not encode or decode the bytes.
    #[error("served facts: {0}")]
    Postcard(#[from] postcard::Error),
    /// The bytes were written by another layout version.
    #[error("served facts: layout {found}, this program reads layout {FORMAT}; regenerate them with `cargo xtask codegen`")]
    Format {
        /// The layout found.
        found: u32,
    },
    /// A string index points outside the table.
    #[error("served facts: string index {0} is out of range")]
    Index(u32),
    /// A location is not `file:line`.
    #[error("served facts: location {0:?} is not file:line")]
    Location(String),
}

type Ix = u32;
type Pair = (u16, u16);
type Range = (Option<Pair>, Option<Pair>);
type At = (Ix, u32);

#[derive(Serialize, Deserialize)]
struct Wire {
    format: u32,
    strings: Vec<String>,
    releases: Vec<WireRelease>,
}

#[derive(Serialize, Deserialize)]
struct WireRelease {
    docker: Ix,
    tag: Ix,
    max_api: Option<(Pair, At)>,
    min_api: Option<(Pair, At)>,
    max_enforced: Option<At>,
    operations: Vec<WireOperation>,
}

#[derive(Serialize, Deserialize)]
struct WireParam {
    name: Ix,
    at: At,
    requested: Range,
    unresolved: bool,
    honoured: Option<(bool, Ix, At)>,
}

#[derive(Serialize, Deserialize)]
struct WireOperation {
    method: Ix,
    path: Ix,
    at: At,
    handler: Option<(Ix, At)>,
    requested: Range,
    experimental: bool,
    refused: Option<(Range, At)>,
    params: Vec<WireParam>,
    unresolved_reads: Vec<At>,
    gated_fields: Vec<(Ix, At)>,
}

/// Encodes the index.
pub fn encode(index: &ServedIndex) -> Result<Vec<u8>, ServedBytesError> {
    let mut strings = Strings::default();
    let releases = index
        .releases
        .iter()
        .map(|r| {
            Ok(WireRelease {
                docker: strings.ix(&r.docker),
                tag: strings.ix(&r.tag),
                max_api: r
                    .max_api
                    .as_ref()
                    .map(|(v, at)| Ok::<_, ServedBytesError>((pair(*v), strings.at(at)?)))
                    .transpose()?,
                min_api: r
                    .min_api
                    .as_ref()
                    .map(|(v, at)| Ok::<_, ServedBytesError>((pair(*v), strings.at(at)?)))
                    .transpose()?,
                max_enforced: r
                    .max_enforced
                    .as_ref()
                    .map(|at| strings.at(at))
                    .transpose()?,
                operations: r
                    .operations
                    .iter()
                    .map(|o| wire_operation(o, &mut strings))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<_, ServedBytesError>>()?;
    let wire = Wire {
        format: FORMAT,
        strings: strings.list,
        releases,
    };
    Ok(postcard::to_allocvec(&wire)?)
}

fn wire_operation(
    o: &ServedOperation,
    strings: &mut Strings,
) -> Result<WireOperation, ServedBytesError> {
    Ok(WireOperation {
        method: strings.ix(&o.key.method),
        path: strings.ix(&o.path),
        at: strings.at(&o.at)?,
        handler: o
            .handler
            .as_ref()
            .map(|(name, at)| Ok::<_, ServedBytesError>((strings.ix(name), strings.at(at)?)))
            .transpose()?,
        requested: range(o.requested),
        experimental: o.experimental,
        refused: o
            .refused
            .as_ref()
            .map(|(r, at)| Ok::<_, ServedBytesError>((range(*r), strings.at(at)?)))
            .transpose()?,
        params: o
            .params
            .iter()
            .map(|p| {
                Ok(WireParam {
                    name: strings.ix(&p.name),
                    at: strings.at(&p.at)?,
                    requested: range(p.requested),
                    unresolved: p.unresolved,
                    honoured: p
                        .honoured
                        .as_ref()
                        .map(|h| {
                            Ok::<_, ServedBytesError>((
                                h.honoured,
                                strings.ix(&h.field),
                                strings.at(&h.at)?,
                            ))
                        })
                        .transpose()?,
                })
            })
            .collect::<Result<_, ServedBytesError>>()?,
        unresolved_reads: o
            .unresolved_reads
            .iter()
            .map(|at| strings.at(at))
            .collect::<Result<_, _>>()?,
        gated_fields: o
            .gated_fields
            .iter()
            .map(|(name, at)| Ok::<_, ServedBytesError>((strings.ix(name), strings.at(at)?)))
            .collect::<Result<_, _>>()?,
    })
}

/// Decodes bytes written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<ServedIndex, ServedBytesError> {
    // The layout version first, so bytes of another layout say so.
    let (format, _) = postcard::take_from_bytes::<u32>(bytes)?;
    if format != FORMAT {
        return Err(ServedBytesError::Format { found: format });
    }
    let wire: Wire = postcard::from_bytes(bytes)?;
    let s = |ix: Ix| -> Result<String, ServedBytesError> {
        wire.strings
            .get(ix as usize)
            .cloned()
            .ok_or(ServedBytesError::Index(ix))
    };
    let at = |(file, line): At| -> Result<String, ServedBytesError> {
        Ok(format!("{}:{line}", s(file)?))
    };
    let mut releases = Vec::with_capacity(wire.releases.len());
    for r in &wire.releases {
        let mut operations = Vec::with_capacity(r.operations.len());
        for o in &r.operations {
            let path = s(o.path)?;
            operations.push(ServedOperation {
                key: OpKey::new(&s(o.method)?, &path),
                path,
                at: at(o.at)?,
                handler: o
                    .handler
                    .map(|(name, where_)| Ok::<_, ServedBytesError>((s(name)?, at(where_)?)))
                    .transpose()?,
                requested: unrange(o.requested),
                experimental: o.experimental,
                refused: o
                    .refused
                    .map(|(r, a)| Ok::<_, ServedBytesError>((unrange(r), at(a)?)))
                    .transpose()?,
                params: o
                    .params
                    .iter()
                    .map(|p| {
                        Ok(ServedParam {
                            name: s(p.name)?,
                            at: at(p.at)?,
                            requested: unrange(p.requested),
                            unresolved: p.unresolved,
                            honoured: p
                                .honoured
                                .map(|(honoured, field, a)| {
                                    Ok::<_, ServedBytesError>(Honour {
                                        honoured,
                                        field: s(field)?,
                                        at: at(a)?,
                                    })
                                })
                                .transpose()?,
                        })
                    })
                    .collect::<Result<_, ServedBytesError>>()?,
                unresolved_reads: o
                    .unresolved_reads
                    .iter()
                    .map(|&a| at(a))
                    .collect::<Result<_, _>>()?,
                gated_fields: o
                    .gated_fields
                    .iter()
                    .map(|&(name, a)| Ok::<_, ServedBytesError>((s(name)?, at(a)?)))
                    .collect::<Result<_, _>>()?,
            });
        }
        releases.push(ServedRelease {
            docker: s(r.docker)?,
            tag: s(r.tag)?,
            max_api: r
                .max_api
                .map(|(v, a)| Ok::<_, ServedBytesError>((unpair(v), at(a)?)))
                .transpose()?,
            min_api: r
                .min_api
                .map(|(v, a)| Ok::<_, ServedBytesError>((unpair(v), at(a)?)))
                .transpose()?,
            max_enforced: r.max_enforced.map(at).transpose()?,
            operations,
        });
    }
    Ok(ServedIndex { releases })
}

#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: HashMap<String, Ix>,
}

impl Strings {
    fn ix(&mut self, s: &str) -> Ix {
        if let Some(&ix) = self.index.get(s) {
            return ix;
        }
        let ix = Ix::try_from(self.list.len()).unwrap_or(Ix::MAX);
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), ix);
        ix
    }

    /// `file:line` as a file index and a line.
    fn at(&mut self, text: &str) -> Result<At, ServedBytesError> {
        let (file, line) = text
            .rsplit_once(':')
            .and_then(|(f, l)| Some((f, l.parse().ok()?)))
            .ok_or_else(|| ServedBytesError::Location(text.to_string()))?;
        Ok((self.ix(file), line))
    }
}

fn pair(v: ApiVersion) -> Pair {
    (v.major, v.minor)
}

fn unpair((major, minor): Pair) -> ApiVersion {
    ApiVersion::new(major, minor)
}

fn range(r: VersionRange) -> Range {
    (r.since.map(pair), r.until.map(pair))
}

fn unrange((since, until): Range) -> VersionRange {
    VersionRange::new(since.map(unpair), until.map(unpair))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> ServedIndex {
        ServedIndex {
            releases: vec![ServedRelease {
                docker: "20.10".into(),
                tag: "v20.10.27".into(),
                max_api: Some((ApiVersion::new(1, 41), "api/common.go:6".into())),
                min_api: None,
                max_enforced: Some("api/server/middleware/version.go:58".into()),
                operations: vec![ServedOperation {
                    key: OpKey::new("GET", "/images/json"),
                    path: "/images/json".into(),
                    at: "image.go:9".into(),
                    handler: Some(("getImagesJSON".into(), "image_routes.go:2".into())),
                    requested: VersionRange::ALL,
                    experimental: false,
                    refused: Some((
                        VersionRange::starting(ApiVersion::new(1, 24)),
                        "copy.go:31".into(),
                    )),
                    params: vec![ServedParam {
                        name: "filter".into(),
                        at: "image_routes.go:236".into(),
                        requested: VersionRange::below(ApiVersion::new(1, 41)),
                        unresolved: false,
                        honoured: Some(Honour {
                            honoured: false,
                            field: "ListOptions.Filter".into(),
                            at: "list.go:7".into(),
                        }),
                    }],
                    unresolved_reads: vec!["image_routes.go:240".into()],
                    gated_fields: vec![("AutoRemove".into(), "container_routes.go:479".into())],
                }],
            }],
        }
    }

    #[test]
    fn round_trips_and_refuses_damage() {
        let bytes = encode(&index()).unwrap();
        assert_eq!(decode(&bytes).unwrap(), index());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[0] = 9;
        assert!(matches!(
            decode(&other),
            Err(ServedBytesError::Format { found: 9 })
        ));
    }
}
