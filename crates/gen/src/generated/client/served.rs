//! The second witness as `static` data for the client: the release lines whose
//! server code was read, and per operation and query parameter what each
//! line's code serves at every requested API version, grouped by release.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::ranges_tokens;
use super::plan::{OpPlan, QueryParam};
use dockmatrix_core::model::served::{CodeVerdict, ServedIndex, ServedRelease};
use dockmatrix_core::version::{ApiVersion, VersionRange};

/// Most release lines a `u64` mask can name.
pub const MAX_RELEASES: usize = 64;

/// The served facts the client is generated with.
pub struct ServedFacts<'a> {
    /// Release lines with a known newest API version, in table order.
    releases: Vec<&'a ServedRelease>,
    /// Every API version of the matrix, oldest first.
    versions: &'a [ApiVersion],
}

/// Versions served and versions the code leaves to the documents, per release.
type Runs = (Vec<VersionRange>, Vec<VersionRange>);

impl<'a> ServedFacts<'a> {
    /// Facts of `index` over `versions`; more than [`MAX_RELEASES`] lines is an error.
    pub fn new(index: &'a ServedIndex, versions: &'a [ApiVersion]) -> Result<Self, String> {
        let releases: Vec<&ServedRelease> = index
            .releases
            .iter()
            .filter(|r| r.max_api.is_some() && line_of(&r.tag).is_some())
            .collect();
        if releases.len() > MAX_RELEASES {
            return Err(format!(
                "{} release lines have served facts; the client's masks hold {MAX_RELEASES}",
                releases.len()
            ));
        }
        Ok(Self { releases, versions })
    }

    /// `pub static RELEASES: &[ReleaseLine]`.
    pub fn releases_static(&self) -> TokenStream {
        let lines = self.releases.iter().filter_map(|r| {
            let (max, _) = r.max_api.as_ref()?;
            let (docker, tag, line) = (&r.docker, &r.tag, line_of(&r.tag)?);
            let (major, minor) = (
                proc_macro2::Literal::u16_unsuffixed(max.major),
                proc_macro2::Literal::u16_unsuffixed(max.minor),
            );
            Some(quote!(ReleaseLine::new(#docker, #tag, #line, ApiVersion::new(#major, #minor))))
        });
        quote! {
            /// The release lines whose server code the gates know, in the order of
            /// the masks of [`Served`]: a daemon is one of them when its `/version`
            /// gives the line's `major.minor` and newest API version.
            pub static RELEASES: &[ReleaseLine] = &[#(#lines),*];
        }
    }

    /// The served table of an operation (`&[Served::new(…), …]`), or `None`
    /// without facts. A release without an entry does not route it.
    pub fn operation(&self, op: &OpPlan) -> Option<TokenStream> {
        self.table(|r, v| match r.serves(&op.key, v) {
            Some(_) => CodeVerdict::Serves,
            None => CodeVerdict::Lacks,
        })
    }

    /// The served table of a query parameter: the name sent at each version
    /// (a rename shim sends the legacy name below its version). A release
    /// without an entry does not read it.
    pub fn query(&self, op: &OpPlan, q: &QueryParam) -> Option<TokenStream> {
        self.table(|r, v| {
            let name = match &q.rename {
                Some((legacy, below)) if v < *below => legacy.as_str(),
                _ => q.wire.as_str(),
            };
            r.param_verdict(&op.key, name, v)
        })
    }

    /// The served table of a request-body field documented at `documented`:
    /// only where some release's code serves it at a version the documents
    /// lack (body facts widen, never narrow; a release without an entry leaves
    /// the documents to decide).
    pub fn body_field(
        &self,
        op: &OpPlan,
        field: &str,
        documented: &[VersionRange],
    ) -> Option<TokenStream> {
        let in_docs = |v: ApiVersion| documented.iter().any(|r| r.contains(v));
        let widens = self.releases.iter().any(|r| {
            let own = r.max_api.as_ref().is_some_and(|(max, _)| in_docs(*max));
            own && self
                .versions
                .iter()
                .any(|v| !in_docs(*v) && r.serves_body_field(&op.key, field, own, *v))
        });
        if !widens {
            return None;
        }
        self.table(|r, v| {
            let own = r.max_api.as_ref().is_some_and(|(max, _)| in_docs(*max));
            if r.serves_body_field(&op.key, field, own, v) {
                CodeVerdict::Serves
            } else {
                CodeVerdict::Lacks
            }
        })
    }

    fn table(
        &self,
        verdict: impl Fn(&ServedRelease, ApiVersion) -> CodeVerdict,
    ) -> Option<TokenStream> {
        let first = self.versions.first().copied()?;
        if self.releases.is_empty() {
            return None;
        }
        let mut groups: Vec<(u64, Runs)> = Vec::new();
        for (i, release) in self.releases.iter().enumerate() {
            let runs = self.runs(|v| verdict(release, v));
            if runs.0.is_empty() && runs.1.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(_, r)| *r == runs) {
                Some((mask, _)) => *mask |= 1 << i,
                None => groups.push((1 << i, runs)),
            }
        }
        let entries = groups.iter().map(|(mask, (yes, unsure))| {
            let mask = syn::LitInt::new(&format!("{mask:#x}"), proc_macro2::Span::call_site());
            let yes = ranges_tokens(yes, first);
            let unsure = ranges_tokens(unsure, first);
            quote!(Served::new(#mask, #yes, #unsure))
        });
        Some(quote!(&[#(#entries),*]))
    }

    /// The versions where `verdict` serves, and where it is silent, as ranges.
    fn runs(&self, verdict: impl Fn(ApiVersion) -> CodeVerdict) -> Runs {
        let (mut yes, mut unsure) = (Vec::new(), Vec::new());
        let mut start: Option<(usize, CodeVerdict)> = None;
        let verdicts: Vec<CodeVerdict> = self.versions.iter().map(|v| verdict(*v)).collect();
        for i in 0..=verdicts.len() {
            let here = verdicts.get(i).copied();
            if let Some((from, kind)) = start {
                if here == Some(kind) {
                    continue;
                }
                let since = (from > 0).then(|| self.versions[from]);
                let until = self.versions.get(i).copied();
                let range = VersionRange::new(since, until);
                match kind {
                    CodeVerdict::Serves => yes.push(range),
                    CodeVerdict::Silent => unsure.push(range),
                    CodeVerdict::Lacks => {}
                }
            }
            start = here.map(|k| (i, k));
        }
        (yes, unsure)
    }
}

/// `20.10` of `v20.10.27`, `17.03` of `v17.03.2-ce`, `29.0` of `docker-v29.0.4`;
/// `None` for a tag that is not `major.minor…`.
fn line_of(tag: &str) -> Option<String> {
    let line = dockmatrix_served::line_of(tag);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (major, minor) = line.split_once('.')?;
    (digits(major) && digits(minor)).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_tags() {
        assert_eq!(line_of("v20.10.27").as_deref(), Some("20.10"));
        assert_eq!(line_of("v17.03.2-ce").as_deref(), Some("17.03"));
        assert_eq!(line_of("docker-v29.0.4").as_deref(), Some("29.0"));
        assert_eq!(line_of("master"), None);
    }

    #[test]
    fn runs_become_ranges() {
        let versions: Vec<ApiVersion> = (0..=5).map(|m| ApiVersion::new(1, m)).collect();
        let index = ServedIndex::default();
        let facts = ServedFacts::new(&index, &versions).expect("facts");
        let kinds = [
            CodeVerdict::Lacks,
            CodeVerdict::Serves,
            CodeVerdict::Serves,
            CodeVerdict::Silent,
            CodeVerdict::Serves,
            CodeVerdict::Serves,
        ];
        let (yes, unsure) = facts.runs(|v| kinds[v.minor as usize]);
        let v = |m| Some(ApiVersion::new(1, m));
        assert_eq!(
            yes,
            [VersionRange::new(v(1), v(3)), VersionRange::new(v(4), None)]
        );
        assert_eq!(unsure, [VersionRange::new(v(3), v(4))]);
        let (all, _) = facts.runs(|_| CodeVerdict::Serves);
        assert_eq!(all, [VersionRange::ALL]);
    }
}
