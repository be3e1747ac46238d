//! The two formats of the upstream documents, told by file name.

/// The two upstream document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFormat {
    /// Swagger 2.0 YAML (`v1.25.yaml` …).
    Swagger,
    /// Hand-written markdown reference (`v1.0.md` … `v1.24.md`).
    Markdown,
}

impl SpecFormat {
    /// The format a file name implies (`.yaml`/`.yml`/`.json` → Swagger, `.md` → markdown).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".md") {
            Some(Self::Markdown)
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json") {
            Some(Self::Swagger)
        } else {
            None
        }
    }
}
