//! Rust identifiers from operation ids, parameter and field names: case
//! conversion, keyword escaping and deterministic de-duplication.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span};

/// Words of a name: splits on non-alphanumerics and lower→upper / acronym boundaries
/// (`HostConfig` → `Host Config`, `fromSrc` → `from Src`, `IPAMConfig` → `IPAM Config`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `snake_case` form (may start with a digit; see [`ident`]).
pub fn snake(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `UpperCamelCase` form.
pub fn pascal(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut cs = lower.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `SCREAMING_SNAKE_CASE` form.
pub fn upper(name: &str) -> String {
    snake(name).to_ascii_uppercase()
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// A valid identifier for `text`: empty → `_unnamed`, leading digit → `_` prefix,
/// keywords → raw identifiers (`r#type`), `self`/`crate`/… → `_` suffix.
pub fn ident(text: &str) -> Ident {
    let mut s = if text.is_empty() {
        "unnamed".to_string()
    } else {
        text.to_string()
    };
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if ["self", "Self", "crate", "super", "_"].contains(&s.as_str()) {
        s.push('_');
        return Ident::new(&s, Span::call_site());
    }
    if KEYWORDS.contains(&s.as_str()) {
        return Ident::new_raw(&s, Span::call_site());
    }
    Ident::new(&s, Span::call_site())
}

/// Hands out unique names: a taken name gets `_2`, `_3`, … (or `2`, `3` for
/// CamelCase), in the order names are requested (callers iterate sorted input).
#[derive(Debug, Default, Clone)]
pub struct Dedupe {
    taken: BTreeSet<String>,
}

impl Dedupe {
    /// A fresh set with `reserved` names already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// `base`, or the first free suffixed variant.
    pub fn claim(&mut self, base: &str) -> String {
        let sep = if base.contains('_') || base.chars().all(|c| !c.is_ascii_uppercase()) {
            "_"
        } else {
            ""
        };
        let mut candidate = base.to_string();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{sep}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("HostConfig"), "host_config");
        assert_eq!(snake("fromSrc"), "from_src");
        assert_eq!(snake("keep-storage"), "keep_storage");
        assert_eq!(snake("IPAMConfig"), "ipam_config");
        assert_eq!(snake("ID"), "id");
        assert_eq!(pascal("ContainerList"), "ContainerList");
        assert_eq!(pascal("IPAMConfig"), "IpamConfig");
        assert_eq!(upper("ImageList"), "IMAGE_LIST");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("3d").to_string(), "_3d");
    }

    #[test]
    fn dedupe_is_deterministic() {
        let mut d = Dedupe::default();
        assert_eq!(d.claim("id"), "id");
        assert_eq!(d.claim("id"), "id_2");
        let mut d = Dedupe::default();
        assert_eq!(d.claim("Config"), "Config");
        assert_eq!(d.claim("Config"), "Config2");
    }
}
