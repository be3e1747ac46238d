//! The matrix as compact bytes (`generated/data/matrix.bin`), embedded in the
//! `dockmatrix` binary so the query commands answer without the corpus.
//!
//! Every string is stored once and referred to by index; every version is an
//! index into the matrix's version list. The layout is a plain struct tree
//! encoded with postcard; [`FORMAT`] changes whenever the layout does.
//! [`decode`] checks every index, so a damaged snapshot is an error, never a
//! panic or a wrong answer.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::lifecycle::Lifecycle;
use super::matrix::{ItemHistory, Matrix, OperationHistory, Provenance};
use crate::model::releases::Release;
use crate::model::spec::Evidence;
use crate::version::ApiVersion;
use crate::version::VersionRange;

/// Layout version of the encoding.
pub const FORMAT: u32 = 2;

/// Why a snapshot could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// postcard could not encode or decode the bytes.
    #[error("matrix snapshot: {0}")]
    Postcard(#[from] postcard::Error),
    /// The bytes were written by another layout version.
    #[error("matrix snapshot: layout {found}, this program reads layout {FORMAT}; regenerate it with `cargo xtask codegen`")]
    Format {
        /// The layout found.
        found: u32,
    },
    /// A string or version index points outside its table.
    #[error("matrix snapshot: {what} index {index} is out of range")]
    Index {
        /// Which table.
        what: &'static str,
        /// The index.
        index: usize,
    },
    /// A lifecycle names a version the matrix does not list.
    #[error("matrix snapshot: version {0} is not one of the matrix's API versions")]
    UnlistedVersion(ApiVersion),
    /// More versions or strings than the layout can index.
    #[error("matrix snapshot: too many {0}")]
    TooMany(&'static str),
}

type Ix = u32;
type V = u8;
type Range = (Option<V>, Option<V>);
/// A version outside the list (a release's API range may reach past the corpus).
type Pair = (u16, u16);

#[derive(Serialize, Deserialize)]
struct Snapshot {
    format: u32,
    strings: Vec<String>,
    versions: Vec<Pair>,
    fields_tracked_from: Option<V>,
    releases: Vec<(Ix, Pair, Pair)>,
    provenance: [Ix; 3],
    operations: Vec<Op>,
}

#[derive(Serialize, Deserialize)]
struct Op {
    method: Ix,
    path: Ix,
    title: Option<Ix>,
    operation_id: Option<Ix>,
    tags: Vec<Ix>,
    life: Life,
    query: Vec<Item>,
    request_fields: Vec<Item>,
    response_fields: Vec<Item>,
}

#[derive(Serialize, Deserialize)]
struct Item {
    name: Ix,
    life: Life,
    evidence: Option<u8>,
}

#[derive(Serialize, Deserialize)]
struct Life {
    present: Vec<Range>,
    since: Option<V>,
    removed_in: Option<V>,
    deprecated_in: Option<V>,
    /// Bit 0: `since_exact`; bit 1: `removed_exact`.
    exact: u8,
    undocumented: Vec<Range>,
    experimental: Vec<Range>,
    unknown: Vec<Range>,
}

/// Encodes a matrix.
pub fn encode(matrix: &Matrix) -> Result<Vec<u8>, SnapshotError> {
    let mut enc = Encoder {
        strings: Vec::new(),
        index: HashMap::new(),
        versions: HashMap::new(),
    };
    for (i, v) in matrix.api_versions.iter().enumerate() {
        let i = V::try_from(i).map_err(|_| SnapshotError::TooMany("API versions"))?;
        enc.versions.insert(*v, i);
    }
    let p = &matrix.provenance;
    let provenance = [
        enc.string(&p.repository)?,
        enc.string(&p.commit)?,
        enc.string(&p.sha256sums)?,
    ];
    let releases = matrix
        .releases
        .iter()
        .map(|r| Ok((enc.string(&r.docker)?, pair(r.max_api), pair(r.min_api))))
        .collect::<Result<_, SnapshotError>>()?;
    let operations = matrix
        .operations
        .iter()
        .map(|o| enc.operation(o))
        .collect::<Result<_, _>>()?;
    let snapshot = Snapshot {
        format: FORMAT,
        versions: matrix.api_versions.iter().map(|v| pair(*v)).collect(),
        fields_tracked_from: matrix
            .fields_tracked_from
            .map(|v| enc.version(v))
            .transpose()?,
        releases,
        provenance,
        operations,
        strings: enc.strings,
    };
    Ok(postcard::to_allocvec(&snapshot)?)
}

/// Decodes a matrix written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<Matrix, SnapshotError> {
    let (format, _) = postcard::take_from_bytes::<u32>(bytes)?;
    if format != FORMAT {
        return Err(SnapshotError::Format { found: format });
    }
    let s: Snapshot = postcard::from_bytes(bytes)?;
    let versions: Vec<ApiVersion> = s
        .versions
        .iter()
        .map(|&(major, minor)| ApiVersion::new(major, minor))
        .collect();
    let dec = Decoder {
        strings: &s.strings,
        versions: &versions,
    };
    let [repository, commit, sha256sums] = s.provenance;
    Ok(Matrix {
        fields_tracked_from: s.fields_tracked_from.map(|v| dec.version(v)).transpose()?,
        releases: s
            .releases
            .iter()
            .map(|&(docker, max, min)| {
                Ok(Release {
                    docker: dec.string(docker)?,
                    max_api: ApiVersion::new(max.0, max.1),
                    min_api: ApiVersion::new(min.0, min.1),
                })
            })
            .collect::<Result<_, SnapshotError>>()?,
        provenance: Provenance {
            repository: dec.string(repository)?,
            commit: dec.string(commit)?,
            sha256sums: dec.string(sha256sums)?,
        },
        operations: s
            .operations
            .iter()
            .map(|o| dec.operation(o))
            .collect::<Result<_, _>>()?,
        api_versions: versions.clone(),
    })
}

fn pair(v: ApiVersion) -> Pair {
    (v.major, v.minor)
}

fn evidence_code(e: Evidence) -> u8 {
    match e {
        Evidence::Schema => 0,
        Evidence::ParameterList => 1,
        Evidence::Example => 2,
        Evidence::Description => 3,
    }
}

struct Encoder {
    strings: Vec<String>,
    index: HashMap<String, Ix>,
    versions: HashMap<ApiVersion, V>,
}

impl Encoder {
    fn string(&mut self, s: &str) -> Result<Ix, SnapshotError> {
        if let Some(&i) = self.index.get(s) {
            return Ok(i);
        }
        let i = Ix::try_from(self.strings.len()).map_err(|_| SnapshotError::TooMany("strings"))?;
        self.strings.push(s.to_string());
        self.index.insert(s.to_string(), i);
        Ok(i)
    }

    fn version(&self, v: ApiVersion) -> Result<V, SnapshotError> {
        self.versions
            .get(&v)
            .copied()
            .ok_or(SnapshotError::UnlistedVersion(v))
    }

    fn ranges(&self, ranges: &[VersionRange]) -> Result<Vec<Range>, SnapshotError> {
        let opt = |v: Option<ApiVersion>| v.map(|v| self.version(v)).transpose();
        ranges
            .iter()
            .map(|r| Ok((opt(r.since)?, opt(r.until)?)))
            .collect()
    }

    fn life(&self, l: &Lifecycle) -> Result<Life, SnapshotError> {
        let opt = |v: Option<ApiVersion>| v.map(|v| self.version(v)).transpose();
        Ok(Life {
            present: self.ranges(&l.present)?,
            since: opt(l.since)?,
            removed_in: opt(l.removed_in)?,
            deprecated_in: opt(l.deprecated_in)?,
            exact: u8::from(l.since_exact) | (u8::from(l.removed_exact) << 1),
            undocumented: self.ranges(&l.undocumented)?,
            experimental: self.ranges(&l.experimental)?,
            unknown: self.ranges(&l.unknown)?,
        })
    }

    fn items(&mut self, items: &[ItemHistory]) -> Result<Vec<Item>, SnapshotError> {
        items
            .iter()
            .map(|i| {
                Ok(Item {
                    name: self.string(&i.name)?,
                    life: self.life(&i.lifecycle)?,
                    evidence: i.evidence.map(evidence_code),
                })
            })
            .collect()
    }

    fn operation(&mut self, o: &OperationHistory) -> Result<Op, SnapshotError> {
        Ok(Op {
            method: self.string(&o.method)?,
            path: self.string(&o.path)?,
            title: o.title.as_deref().map(|t| self.string(t)).transpose()?,
            operation_id: o
                .operation_id
                .as_deref()
                .map(|t| self.string(t))
                .transpose()?,
            tags: o
                .tags
                .iter()
                .map(|t| self.string(t))
                .collect::<Result<_, _>>()?,
            life: self.life(&o.lifecycle)?,
            query: self.items(&o.query)?,
            request_fields: self.items(&o.request_fields)?,
            response_fields: self.items(&o.response_fields)?,
        })
    }
}

struct Decoder<'a> {
    strings: &'a [String],
    versions: &'a [ApiVersion],
}

impl Decoder<'_> {
    fn string(&self, i: Ix) -> Result<String, SnapshotError> {
        let index = i as usize;
        self.strings
            .get(index)
            .cloned()
            .ok_or(SnapshotError::Index {
                what: "string",
                index,
            })
    }

    fn version(&self, v: V) -> Result<ApiVersion, SnapshotError> {
        let index = usize::from(v);
        self.versions
            .get(index)
            .copied()
            .ok_or(SnapshotError::Index {
                what: "version",
                index,
            })
    }

    fn opt(&self, v: Option<V>) -> Result<Option<ApiVersion>, SnapshotError> {
        v.map(|v| self.version(v)).transpose()
    }

    fn ranges(&self, ranges: &[Range]) -> Result<Vec<VersionRange>, SnapshotError> {
        ranges
            .iter()
            .map(|&(since, until)| Ok(VersionRange::new(self.opt(since)?, self.opt(until)?)))
            .collect()
    }

    fn life(&self, l: &Life) -> Result<Lifecycle, SnapshotError> {
        Ok(Lifecycle {
            present: self.ranges(&l.present)?,
            since: self.opt(l.since)?,
            since_exact: l.exact & 1 != 0,
            removed_in: self.opt(l.removed_in)?,
            removed_exact: l.exact & 2 != 0,
            deprecated_in: self.opt(l.deprecated_in)?,
            undocumented: self.ranges(&l.undocumented)?,
            experimental: self.ranges(&l.experimental)?,
            unknown: self.ranges(&l.unknown)?,
        })
    }

    fn items(&self, items: &[Item]) -> Result<Vec<ItemHistory>, SnapshotError> {
        items
            .iter()
            .map(|i| {
                Ok(ItemHistory {
                    name: self.string(i.name)?,
                    lifecycle: self.life(&i.life)?,
                    evidence: match i.evidence {
                        None => None,
                        Some(0) => Some(Evidence::Schema),
                        Some(1) => Some(Evidence::ParameterList),
                        Some(2) => Some(Evidence::Example),
                        Some(3) => Some(Evidence::Description),
                        Some(n) => {
                            return Err(SnapshotError::Index {
                                what: "evidence",
                                index: usize::from(n),
                            })
                        }
                    },
                })
            })
            .collect()
    }

    fn operation(&self, o: &Op) -> Result<OperationHistory, SnapshotError> {
        Ok(OperationHistory {
            method: self.string(o.method)?,
            path: self.string(o.path)?,
            title: o.title.map(|t| self.string(t)).transpose()?,
            operation_id: o.operation_id.map(|t| self.string(t)).transpose()?,
            tags: o
                .tags
                .iter()
                .map(|&t| self.string(t))
                .collect::<Result<_, _>>()?,
            lifecycle: self.life(&o.life)?,
            query: self.items(&o.query)?,
            request_fields: self.items(&o.request_fields)?,
            response_fields: self.items(&o.response_fields)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Matrix {
        let v = |s: &str| s.parse::<ApiVersion>().unwrap();
        let mut life = Lifecycle::from_states(
            [
                (v("1.0"), crate::analysis::State::Unknown),
                (v("1.1"), crate::analysis::State::PRESENT),
                (v("1.2"), crate::analysis::State::Absent),
                (v("1.3"), crate::analysis::State::PRESENT),
            ],
            &[],
        );
        life.deprecated_in = Some(v("1.3"));
        Matrix {
            api_versions: vec![v("1.0"), v("1.1"), v("1.2"), v("1.3")],
            fields_tracked_from: Some(v("1.2")),
            releases: vec![Release {
                docker: "1.0".into(),
                max_api: v("1.3"),
                min_api: v("1.0"),
            }],
            provenance: Provenance {
                repository: "moby/moby".into(),
                commit: "abc".into(),
                sha256sums: "def".into(),
            },
            operations: vec![OperationHistory {
                method: "GET".into(),
                path: "/x/{id}".into(),
                title: Some("X".into()),
                operation_id: None,
                tags: vec!["X".into(), "Y".into()],
                lifecycle: life.clone(),
                query: vec![ItemHistory {
                    name: "all".into(),
                    lifecycle: life.clone(),
                    evidence: None,
                }],
                request_fields: vec![],
                response_fields: vec![ItemHistory {
                    name: "Id".into(),
                    lifecycle: life,
                    evidence: Some(Evidence::Example),
                }],
            }],
        }
    }

    #[test]
    fn round_trips() {
        let m = small();
        assert_eq!(decode(&encode(&m).unwrap()).unwrap(), m);
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics() {
        let bytes = encode(&small()).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "prefix of {cut} bytes");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] = b[i].wrapping_add(0x55);
            let _ = decode(&b);
        }
        let mut other = bytes.clone();
        other[0] = 9;
        assert!(matches!(
            decode(&other),
            Err(SnapshotError::Format { found: 9 })
        ));
    }

    #[test]
    fn a_version_outside_the_list_is_refused() {
        let mut m = small();
        m.operations[0].lifecycle.removed_in = Some("2.0".parse().unwrap());
        assert!(matches!(encode(&m), Err(SnapshotError::UnlistedVersion(_))));
    }
}
