//! The consumer's declared minimum API version: a string constant whose name
//! says so (`minimumDockerAPIVersion`, `DockerAPIMinVersion`, …: it contains
//! `min`, `api` and `version`) and whose value is an API version.

use dockmatrix_core::ApiVersion;

use super::symbols::Symbols;

/// The declared minimum: version, and `file:line NAME = "X.Y"`.
pub fn declared(symbols: &Symbols) -> Option<(ApiVersion, String)> {
    let mut found: Vec<(String, ApiVersion, String)> = Vec::new();
    for consts in symbols.consts.values() {
        for (name, (value, at)) in consts {
            let lower = name.to_ascii_lowercase();
            if !(lower.contains("min") && lower.contains("api") && lower.contains("version")) {
                continue;
            }
            if let Ok(v) = value.parse::<ApiVersion>() {
                found.push((at.to_string(), v, format!("{at} {name} = \"{value}\"")));
            }
        }
    }
    found.sort();
    found.into_iter().next().map(|(_, v, source)| (v, source))
}
