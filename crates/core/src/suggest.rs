//! "Did you mean …" suggestions for unknown names and versions.

use crate::version::ApiVersion;

/// Up to `n` candidates closest to `input` by edit distance (normalized
/// Levenshtein), best first, ties in candidate order.
pub fn nearest_names<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let needle = input.to_ascii_lowercase();
    let mut scored: Vec<(f64, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let score = strsim::normalized_levenshtein(&needle, &c.to_ascii_lowercase());
            (score, i, c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, _, c)| c.to_string())
        .collect()
}

/// Up to `n` known versions numerically closest to `input`, sorted ascending.
pub fn nearest_versions(input: ApiVersion, known: &[ApiVersion], n: usize) -> Vec<ApiVersion> {
    let key = |v: &ApiVersion| i64::from(v.major) * 1000 + i64::from(v.minor);
    let mut by_distance: Vec<ApiVersion> = known.to_vec();
    by_distance.sort_by_key(|v| ((key(v) - key(&input)).abs(), key(v)));
    by_distance.truncate(n);
    by_distance.sort();
    by_distance
}

/// Up to `n` release names closest to `input` by version distance (`29.9.0` →
/// `29.7, 29.6, 29.5`; major, then minor, then patch), best first; by edit
/// distance when `input` has no leading number.
pub fn nearest_releases<'a>(
    input: &str,
    releases: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let numbers = |s: &str| -> Vec<i64> {
        s.trim()
            .trim_start_matches(['v', 'V'])
            .split(|c: char| !c.is_ascii_digit())
            .take(3)
            .map_while(|p| p.parse().ok())
            .collect()
    };
    let releases: Vec<&str> = releases.into_iter().collect();
    let wanted = numbers(input);
    if wanted.is_empty() {
        return nearest_names(input, releases, n);
    }
    let distance = |name: &str| {
        let got = numbers(name);
        let part = |v: &[i64], i: usize| v.get(i).copied().unwrap_or(0);
        (0..3)
            .map(|i| (part(&wanted, i) - part(&got, i)).abs())
            .fold(0i64, |acc, d| {
                acc.saturating_mul(1000).saturating_add(d.min(999))
            })
    };
    let mut scored: Vec<(i64, usize, &str)> = releases
        .iter()
        .enumerate()
        .map(|(i, r)| (distance(r), i, *r))
        .collect();
    scored.sort_by_key(|&(d, i, _)| (d, std::cmp::Reverse(i)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, _, r)| r.to_string())
        .collect()
}

/// A version that is not among the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown API version {version}{hint}", hint = hint(.nearest))]
pub struct UnknownVersion {
    /// What was asked for.
    pub version: String,
    /// Nearest known versions.
    pub nearest: Vec<String>,
}

/// Parses a user-supplied version (`1.24`, `v1.24`) and checks it is known;
/// otherwise suggests the nearest known ones (the newest for unparsable text).
pub fn known_version(text: &str, known: &[ApiVersion]) -> Result<ApiVersion, UnknownVersion> {
    let unknown = |nearest: Vec<ApiVersion>| UnknownVersion {
        version: text.to_string(),
        nearest: nearest.iter().map(ToString::to_string).collect(),
    };
    match text.parse::<ApiVersion>() {
        Ok(v) if known.contains(&v) => Ok(v),
        Ok(v) => Err(unknown(nearest_versions(v, known, 3))),
        Err(_) => Err(unknown(match leading_version(text) {
            Some(v) => nearest_versions(v, known, 3),
            None => known.last().copied().into_iter().collect(),
        })),
    }
}

/// The `major.minor` a mistyped version starts with (`1.24.1`, `v1.24-rc`),
/// so that suggestions go by version distance, not string distance.
fn leading_version(text: &str) -> Option<ApiVersion> {
    let text = text.trim().trim_start_matches(['v', 'V']);
    let mut parts = text.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some(ApiVersion::new(major, minor))
}

/// Formats suggestions as ` (nearest: a, b, c)`, or nothing when there are none.
pub fn hint(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" (nearest: {})", items.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_releases_go_by_version_not_spelling() {
        let releases = [
            "0.6.2", "20.10", "23.0", "26.0", "29.0", "29.5", "29.6", "29.7",
        ];
        assert_eq!(
            nearest_releases("29.9.0", releases, 3),
            ["29.7", "29.6", "29.5"]
        );
        assert_eq!(nearest_releases("v29.6.1", releases, 2), ["29.6", "29.7"]);
        assert_eq!(nearest_releases("26.1", releases, 1), ["26.0"]);
        // No number: by spelling.
        assert_eq!(nearest_releases("twenty", releases, 1).len(), 1);
    }

    #[test]
    fn nearest_version_is_numeric() {
        let known: Vec<ApiVersion> = ["1.0", "1.9", "1.10", "1.24", "1.25"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let got = nearest_versions("1.11".parse().unwrap(), &known, 2);
        assert_eq!(
            got.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
            ["1.9", "1.10"]
        );
    }

    #[test]
    fn a_mistyped_version_is_answered_by_version_distance() {
        let known: Vec<ApiVersion> = (0..=55).map(|m| ApiVersion::new(1, m)).collect();
        let err = known_version("1.24.1", &known).unwrap_err();
        assert_eq!(err.nearest, ["1.23", "1.24", "1.25"]);
        let err = known_version("v1.41-rc1", &known).unwrap_err();
        assert_eq!(err.nearest, ["1.40", "1.41", "1.42"]);
        let err = known_version("latest", &known).unwrap_err();
        assert_eq!(err.nearest, ["1.55"]);
    }

    #[test]
    fn nearest_name_finds_typos() {
        let got = nearest_names(
            "GET /containers/jsn",
            ["GET /info", "GET /containers/json"],
            1,
        );
        assert_eq!(got, ["GET /containers/json"]);
    }
}
