//! A tolerant reader for the markdown pages' JSON examples.
//!
//! Upstream examples often miss a comma between members, leave a trailing comma,
//! or carry comments and `...` ellipses. No maintained crate reads all of these
//! (`json5` and `jsonc-parser` accept comments and trailing commas, not missing
//! commas or ellipses), so this is a small repair pass over tokens: it writes
//! strict JSON back, lists each repair with its line, and lets `serde_json` read
//! the result. Text it cannot repair stays unread, and the caller says so.

use serde_json::Value;

/// One repair made to an example, at a line of the text (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repair {
    /// Line of the text where the repair was made.
    pub line: usize,
    /// What was wrong.
    pub kind: RepairKind,
}

/// What a repair fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RepairKind {
    /// A comma was missing between two members or elements.
    MissingComma,
    /// A comma stood before a closing bracket.
    TrailingComma,
    /// A `//` or `/* */` comment was dropped.
    Comment,
    /// An `...` (or `…`) ellipsis was dropped (a value written as one became `null`).
    Ellipsis,
    /// A quote stood where the key's closing quote belongs (`"password:"xxxx"`),
    /// or a stray quote followed a string (`"2377""`).
    MisplacedQuote,
}

impl RepairKind {
    /// What the repair did, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::MissingComma => "missing comma added",
            Self::TrailingComma => "trailing comma dropped",
            Self::Comment => "comment dropped",
            Self::Ellipsis => "`...` ellipsis dropped",
            Self::MisplacedQuote => "misplaced quote moved or dropped",
        }
    }
}

/// How an example body reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reading {
    /// Strict JSON.
    Json(Value),
    /// Several JSON values one after the other (a stream such as pull progress),
    /// with the repairs it needed: kept as text.
    Stream(Vec<Repair>),
    /// JSON once repaired.
    Repaired(Value, Vec<Repair>),
    /// Not JSON, even repaired: why.
    Unreadable(String),
}

/// Reads an example body that looks like JSON (starts with `{` or `[`).
pub(crate) fn read(text: &str) -> Reading {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Reading::Json(v);
    }
    if is_stream(text) {
        return Reading::Stream(Vec::new());
    }
    let (repaired, repairs) = match repair(text) {
        Ok(done) => done,
        Err(why) => return Reading::Unreadable(why),
    };
    match serde_json::from_str::<Value>(&repaired) {
        Ok(v) if !repairs.is_empty() => Reading::Repaired(v, repairs),
        Ok(v) => Reading::Json(v),
        Err(_) if is_stream(&repaired) => Reading::Stream(repairs),
        Err(e) => Reading::Unreadable(e.to_string()),
    }
}

/// Whether the text is two or more strict JSON values in a row.
fn is_stream(text: &str) -> bool {
    let mut count = 0;
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        if value.is_err() {
            return false;
        }
        count += 1;
    }
    count > 1
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open(char),
    Close(char),
    Colon,
    Comma,
    /// A string literal, quotes and escapes kept as written.
    Str(String),
    /// A number or literal (`true`, `null`), or any other bare word.
    Word(String),
    Comment,
    Ellipsis,
    /// A misplaced quote, already set right.
    Quote,
}

impl Tok {
    fn ends_value(&self) -> bool {
        matches!(self, Tok::Close(_) | Tok::Str(_) | Tok::Word(_))
    }

    fn starts_value(&self) -> bool {
        matches!(self, Tok::Open(_) | Tok::Str(_) | Tok::Word(_))
    }
}

/// Splits the text into tokens with their line.
fn tokens(text: &str) -> Result<Vec<(usize, Tok)>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 0;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start_line = line;
        let at = |k: usize| chars.get(i + k).copied();
        let tok = match c {
            '\n' => {
                line += 1;
                i += 1;
                continue;
            }
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '{' | '[' => Tok::Open(c),
            '}' | ']' => Tok::Close(c),
            ':' => Tok::Colon,
            ',' => Tok::Comma,
            '…' => Tok::Ellipsis,
            '.' if at(1) == Some('.') && at(2) == Some('.') => {
                while chars.get(i + 1) == Some(&'.') {
                    i += 1;
                }
                Tok::Ellipsis
            }
            '/' if at(1) == Some('/') => {
                while chars.get(i + 1).is_some_and(|&n| n != '\n') {
                    i += 1;
                }
                Tok::Comment
            }
            '/' if at(1) == Some('*') => {
                i += 2;
                while !(chars.get(i) == Some(&'*') && chars.get(i + 1) == Some(&'/')) {
                    match chars.get(i) {
                        None => return Err("unterminated comment".into()),
                        Some('\n') => line += 1,
                        Some(_) => {}
                    }
                    i += 1;
                }
                i += 1;
                Tok::Comment
            }
            '"' if i > 0 && chars.get(i - 1) == Some(&'"') && !closes_on_line(&chars, i + 1) => {
                Tok::Quote
            }
            '"' => {
                let mut s = String::from('"');
                i += 1;
                loop {
                    match chars.get(i) {
                        None | Some('\n') => {
                            return Err(format!("unterminated string on line {}", start_line + 1))
                        }
                        Some('"')
                            if s.trim_end().ends_with(':')
                                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) =>
                        {
                            // `"password:"xxxx"`: the quote belongs before the colon.
                            let key = s.trim_end().trim_end_matches(':').trim_end();
                            out.push((start_line, Tok::Str(format!("{key}\""))));
                            out.push((start_line, Tok::Quote));
                            out.push((start_line, Tok::Colon));
                            s = String::from('"');
                        }
                        Some('\\') => {
                            s.push('\\');
                            i += 1;
                            if let Some(&e) = chars.get(i) {
                                s.push(e);
                            }
                        }
                        Some('"') => break,
                        Some(&o) => s.push(o),
                    }
                    i += 1;
                }
                s.push('"');
                Tok::Str(s)
            }
            _ => {
                let mut w = String::new();
                while let Some(&n) = chars.get(i) {
                    if n.is_whitespace() || "{}[]:,\"".contains(n) {
                        break;
                    }
                    w.push(n);
                    i += 1;
                }
                out.push((start_line, Tok::Word(w)));
                continue;
            }
        };
        out.push((start_line, tok));
        i += 1;
    }
    Ok(out)
}

/// Whether a quote closes a string before the end of the line from `from` on.
fn closes_on_line(chars: &[char], from: usize) -> bool {
    chars
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c != '\n')
        .any(|&c| c == '"')
}

/// Writes the tokens back as strict JSON, repairing what it can.
fn repair(text: &str) -> Result<(String, Vec<Repair>), String> {
    let toks = tokens(text)?;
    let mut repairs = Vec::new();
    let mut kept: Vec<Tok> = Vec::new();
    let mut depth = 0usize;
    for (idx, (line, tok)) in toks.iter().enumerate() {
        let line = *line;
        let note = |repairs: &mut Vec<Repair>, kind| repairs.push(Repair { line, kind });
        match tok {
            Tok::Comment => note(&mut repairs, RepairKind::Comment),
            Tok::Quote => note(&mut repairs, RepairKind::MisplacedQuote),
            Tok::Ellipsis => {
                note(&mut repairs, RepairKind::Ellipsis);
                if kept.last() == Some(&Tok::Colon) {
                    kept.push(Tok::Word("null".into()));
                }
            }
            Tok::Comma => {
                let next = toks[idx + 1..]
                    .iter()
                    .map(|(_, t)| t)
                    .find(|t| !matches!(t, Tok::Comment | Tok::Ellipsis | Tok::Quote));
                let after_ellipsis = toks[idx + 1..]
                    .iter()
                    .take_while(|(_, t)| matches!(t, Tok::Comment | Tok::Ellipsis))
                    .any(|(_, t)| *t == Tok::Ellipsis);
                let dangling = matches!(kept.last(), None | Some(Tok::Open(_) | Tok::Comma));
                match next {
                    Some(Tok::Close(_)) | None if !after_ellipsis && !dangling => {
                        note(&mut repairs, RepairKind::TrailingComma);
                    }
                    Some(Tok::Close(_)) | None => {}
                    _ if dangling => {}
                    _ => kept.push(Tok::Comma),
                }
            }
            _ => {
                if depth > 0 && tok.starts_value() && kept.last().is_some_and(Tok::ends_value) {
                    note(&mut repairs, RepairKind::MissingComma);
                    kept.push(Tok::Comma);
                }
                match tok {
                    Tok::Open(_) => depth += 1,
                    Tok::Close(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                kept.push(tok.clone());
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for t in &kept {
        match t {
            Tok::Open(c) | Tok::Close(c) => out.push(*c),
            Tok::Colon => out.push(':'),
            Tok::Comma => out.push(','),
            Tok::Str(s) | Tok::Word(s) => out.push_str(s),
            Tok::Comment | Tok::Ellipsis | Tok::Quote => {}
        }
        out.push(' ');
    }
    Ok((out, repairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(r: &Reading) -> Vec<(usize, RepairKind)> {
        match r {
            Reading::Repaired(_, reps) => reps.iter().map(|r| (r.line, r.kind)).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn strict_json_and_streams_need_no_repair() {
        assert_eq!(read("{\"a\": [1, 2]}"), Reading::Json(json!({"a": [1, 2]})));
        assert_eq!(read("{\"a\": 1}\n{\"a\": 2}"), Reading::Stream(Vec::new()));
        assert_eq!(
            read("{\"a\": 1}\n{\"a\": 2}\n..."),
            Reading::Stream(vec![Repair {
                line: 2,
                kind: RepairKind::Ellipsis
            }])
        );
    }

    #[test]
    fn missing_and_trailing_commas_comments_and_ellipses_are_repaired() {
        let r = read("{\n  \"Id\":\"e90e\"\n  \"Warnings\":[],\n}");
        assert_eq!(
            kinds(&r),
            [
                (2, RepairKind::MissingComma),
                (2, RepairKind::TrailingComma)
            ]
        );
        assert!(
            matches!(&r, Reading::Repaired(v, _) if *v == json!({"Id": "e90e", "Warnings": []}))
        );

        let r = read("[\n  {\"a\": 1}, // first\n  ...\n]");
        assert_eq!(
            kinds(&r),
            [(1, RepairKind::Comment), (2, RepairKind::Ellipsis)]
        );
        assert!(matches!(&r, Reading::Repaired(v, _) if *v == json!([{"a": 1}])));

        let r = read("{\"a\": ..., \"b\": 2 /* two */}");
        assert!(
            matches!(&r, Reading::Repaired(v, _) if *v == json!({"a": null, "b": 2})),
            "{r:?}"
        );
    }

    #[test]
    fn misplaced_quotes_are_set_right() {
        let r = read("{\n \"username\":\"h\",\n \"password:\"xxxx\",\n \"Addr\": \"a:1\"\"\n}");
        assert_eq!(
            kinds(&r),
            [
                (2, RepairKind::MisplacedQuote),
                (3, RepairKind::MisplacedQuote)
            ]
        );
        assert!(
            matches!(&r, Reading::Repaired(v, _) if *v == json!({"username": "h", "password": "xxxx", "Addr": "a:1"})),
            "{r:?}"
        );
    }

    #[test]
    fn what_cannot_be_repaired_says_why() {
        assert!(matches!(read("{\"a\": \"open"), Reading::Unreadable(_)));
        assert!(matches!(read("{\"a\": <CIDR>}"), Reading::Unreadable(_)));
    }
}
