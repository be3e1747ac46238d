//! Recognising a request as a matrix operation: method plus decoded path
//! segments against every documented route template.
//!
//! A template segment `{…}` matches one path segment. When no template matches
//! segment for segment, one placeholder may take several segments (image and
//! plugin names contain `/`, and dockerd routes them as `{name:.*}`). Among
//! matches, literal segments win over placeholders, earlier segments first.

use dockmatrix_core::analysis::{Matrix, OperationHistory};
use dockmatrix_core::path::{segments, Segment};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Literal(String),
    Param,
}

#[derive(Debug, Clone)]
struct Route {
    method: String,
    segments: Vec<Seg>,
    index: usize,
}

/// Every route of the matrix, ready to match requests.
#[derive(Debug, Clone)]
pub struct Router {
    routes: Vec<Route>,
}

impl Router {
    /// Builds the router from the matrix (every operation of every version).
    pub fn new(matrix: &Matrix) -> Self {
        let routes = matrix
            .operations
            .iter()
            .enumerate()
            .map(|(index, op)| Route {
                method: op.method.clone(),
                segments: template_segments(&op.path),
                index,
            })
            .collect();
        Self { routes }
    }

    /// The index into `matrix.operations` of the operation `method segments` is,
    /// if any version documents it. `HEAD` also matches a documented `GET`.
    pub fn find(&self, method: &str, segments: &[String]) -> Option<usize> {
        self.find_exact(method, segments).or_else(|| {
            (method == "HEAD")
                .then(|| self.find_exact("GET", segments))
                .flatten()
        })
    }

    fn find_exact(&self, method: &str, segments: &[String]) -> Option<usize> {
        let candidates = self.routes.iter().filter(|r| r.method == method);
        let single = candidates
            .clone()
            .filter(|r| r.segments.len() == segments.len())
            .filter(|r| {
                r.segments.iter().zip(segments).all(|(t, s)| match t {
                    Seg::Literal(l) => l == s,
                    Seg::Param => true,
                })
            })
            .max_by_key(|r| literal_mask(&r.segments));
        if let Some(r) = single {
            return Some(r.index);
        }
        candidates
            .filter(|r| r.segments.len() < segments.len())
            .filter(|r| matches_with_wide_param(&r.segments, segments))
            .max_by_key(|r| literal_mask(&r.segments))
            .map(|r| r.index)
    }

    /// The operation at `index`.
    pub fn operation<'m>(&self, matrix: &'m Matrix, index: usize) -> Option<&'m OperationHistory> {
        matrix.operations.get(index)
    }
}

fn template_segments(path: &str) -> Vec<Seg> {
    segments(path)
        .into_iter()
        .map(|s| match s {
            Segment::Placeholder(_) => Seg::Param,
            Segment::Literal(text) => Seg::Literal(text.to_string()),
        })
        .collect()
}

/// Literal positions as a bit string, earlier segments more significant.
fn literal_mask(segments: &[Seg]) -> Vec<bool> {
    segments
        .iter()
        .map(|s| matches!(s, Seg::Literal(_)))
        .collect()
}

/// Whether one placeholder taking several segments makes the template match.
fn matches_with_wide_param(template: &[Seg], segments: &[String]) -> bool {
    let extra = segments.len() - template.len();
    template.iter().enumerate().any(|(wide, seg)| {
        if *seg != Seg::Param {
            return false;
        }
        template.iter().enumerate().all(|(i, t)| {
            let matches_literal = |s: &String| match t {
                Seg::Literal(l) => l == s,
                Seg::Param => true,
            };
            match i.cmp(&wide) {
                std::cmp::Ordering::Less => segments.get(i).is_some_and(matches_literal),
                std::cmp::Ordering::Equal => true,
                std::cmp::Ordering::Greater => segments.get(i + extra).is_some_and(matches_literal),
            }
        })
    })
}
