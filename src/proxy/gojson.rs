//! A request body read the way dockerd reads it: Go's `encoding/json`.
//!
//! serde_json and Go disagree on what a body says, and a filter that reads a
//! body differently from the daemon can be walked around. This reader keeps what
//! Go keeps and refuses what Go would not decode identically:
//!
//! - object members stay in order, **duplicates included** (Go assigns each in
//!   turn, merging nested objects), so the caller can refuse them;
//! - invalid UTF-8 and lone `\u` surrogates become U+FFFD, as Go's decoder does;
//! - numbers keep their text (`1e999` is a number to Go's scanner, and non-zero);
//! - only JSON's own whitespace (space, tab, CR, LF) separates tokens, control
//!   characters in strings are errors, and so is anything after the first value
//!   (Go's `Decoder` ignores it or, from Docker 25, refuses it: never forwarded);
//! - nesting deeper than [`MAX_DEPTH`] is refused (Go's limit is 10,000; no real
//!   client nests a body this deep, and the walk stays bounded).
//!
//! [`GoValue::to_json`] writes a value back as standard JSON (for `--as-api`).

use std::fmt::Write as _;

/// Deepest nesting read.
pub const MAX_DEPTH: usize = 256;

/// A JSON value as Go's decoder sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum GoValue {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, decoded (invalid UTF-8 and lone surrogates as U+FFFD).
    String(String),
    /// An array.
    Array(Vec<GoValue>),
    /// An object: members in order, duplicates kept.
    Object(Vec<(String, GoValue)>),
}

/// Why a body is not one JSON value Go would read as this reader does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not JSON as dockerd reads it: {what} at byte {offset}")]
pub struct GoJsonError {
    /// What is wrong.
    pub what: &'static str,
    /// Where, from the start of the body.
    pub offset: usize,
}

/// Reads one JSON value filling `body` (surrounding whitespace allowed).
pub fn read(body: &[u8]) -> Result<GoValue, GoJsonError> {
    let mut reader = Reader { text: body, at: 0 };
    reader.skip_space();
    let value = reader.value(0)?;
    reader.skip_space();
    if reader.at < body.len() {
        return Err(reader.fail("content after the JSON value"));
    }
    Ok(value)
}

/// Whether a body is only JSON whitespace (what Go's decoder reads as no value).
pub fn is_blank(body: &[u8]) -> bool {
    body.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

impl GoValue {
    /// Whether this is its type's zero value, which dockerd decodes exactly as an
    /// absent field: `null`, `false`, `0`, `""`, `[]`, `{}`.
    pub fn is_zero(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Bool(b) => !b,
            Self::Number(n) => n.parse::<f64>().is_ok_and(|f| f == 0.0),
            Self::String(s) => s.is_empty(),
            Self::Array(a) => a.is_empty(),
            Self::Object(o) => o.is_empty(),
        }
    }

    /// Standard JSON text of this value.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Number(n) => out.push_str(n),
            Self::String(s) => write_string(s, out),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn fail(&self, what: &'static str) -> GoJsonError {
        GoJsonError {
            what,
            offset: self.at,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<GoValue, GoJsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.fail("nesting too deep"));
        }
        match self.peek() {
            None => Err(self.fail("unexpected end")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(GoValue::String),
            Some(b't') => self.literal(b"true", GoValue::Bool(true)),
            Some(b'f') => self.literal(b"false", GoValue::Bool(false)),
            Some(b'n') => self.literal(b"null", GoValue::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.fail("unexpected character")),
        }
    }

    fn literal(&mut self, word: &[u8], value: GoValue) -> Result<GoValue, GoJsonError> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.fail("invalid literal"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<GoValue, GoJsonError> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(GoValue::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a member name"));
            }
            let key = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.fail("expected ':'"));
            }
            self.at += 1;
            self.skip_space();
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(GoValue::Object(members));
                }
                _ => return Err(self.fail("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<GoValue, GoJsonError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(GoValue::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(GoValue::Array(items));
                }
                _ => return Err(self.fail("expected ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<GoValue, GoJsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.fail("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
        }
        let text = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        Ok(GoValue::Number(text))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    /// A string at the opening quote, decoded as Go's `unquote` does.
    fn string(&mut self) -> Result<String, GoJsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(self.fail("unterminated string"));
            };
            match b {
                b'"' => {
                    self.at += 1;
                    return Ok(out);
                }
                b'\\' => self.escape(&mut out)?,
                0..=0x1f => return Err(self.fail("control character in string")),
                0x20..=0x7f => {
                    out.push(b as char);
                    self.at += 1;
                }
                _ => self.utf8(&mut out),
            }
        }
    }

    /// One UTF-8 sequence, or U+FFFD for one invalid byte (Go's `DecodeRune`).
    fn utf8(&mut self, out: &mut String) {
        let rest = &self.text[self.at..];
        let len = match rest[0] {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => 0,
        };
        match rest.get(..len).map(std::str::from_utf8) {
            Some(Ok(s)) if len > 0 => {
                out.push_str(s);
                self.at += len;
            }
            _ => {
                out.push(char::REPLACEMENT_CHARACTER);
                self.at += 1;
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), GoJsonError> {
        self.at += 1;
        let Some(b) = self.peek() else {
            return Err(self.fail("unterminated escape"));
        };
        self.at += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(self.fail("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    /// `\uXXXX` after the `u`: a surrogate pair joins; a lone surrogate is U+FFFD.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), GoJsonError> {
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first) && self.text[self.at..].starts_with(b"\\u") {
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xdc00..0xe000).contains(&second) {
                let joined = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                out.push(char::from_u32(joined).unwrap_or(char::REPLACEMENT_CHARACTER));
                return Ok(());
            }
            self.at = save;
        }
        out.push(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, GoJsonError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.fail("short \\u escape"))?;
        let mut value = 0;
        for d in digits {
            let v = (*d as char)
                .to_digit(16)
                .ok_or_else(|| self.fail("invalid \\u escape"))?;
            value = value * 16 + v;
        }
        self.at += 4;
        Ok(value)
    }
}

/// The key Go's `encoding/json` matches a member name by when no field has
/// the exact name: ASCII letters in upper case, and the four non-ASCII letters
/// that some Go release folds onto an ASCII one (`K` Kelvin sign, `ſ` long s,
/// `İ` and `ı`), so a name matches if it would match under any Go release.
/// Other characters are kept: they never match an ASCII field name.
pub fn fold_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\u{212a}' => 'K',
            '\u{17f}' => 'S',
            '\u{130}' | '\u{131}' => 'I',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_order_are_kept() {
        let Ok(GoValue::Object(m)) = read(br#"{"a":1,"A":2,"a":{"b":[true,null]}}"#) else {
            panic!("not an object");
        };
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "A", "a"]);
    }

    #[test]
    fn strings_decode_as_go_does() {
        let m = match read(b"{\"H\\u006fst\":\"\\ud800x\",\"b\\ud83d\\ude00\":1}").unwrap() {
            GoValue::Object(m) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(m[0].0, "Host");
        assert_eq!(m[0].1, GoValue::String("\u{fffd}x".into()));
        assert_eq!(m[1].0, "b\u{1f600}");
        let raw = read(b"\"a\xffb\xc3\"").unwrap();
        assert_eq!(raw, GoValue::String("a\u{fffd}b\u{fffd}".into()));
    }

    #[test]
    fn numbers_keep_their_text_and_zero_is_judged_by_value() {
        assert_eq!(read(b"1e999").unwrap(), GoValue::Number("1e999".into()));
        assert!(!read(b"1e999").unwrap().is_zero());
        assert!(read(b"-0.0e5").unwrap().is_zero());
        for bad in ["01", "1.", ".5", "+1", "1e", "-", "0x10", "NaN", "Infinity"] {
            assert!(read(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn what_go_refuses_or_ignores_is_an_error() {
        for bad in [
            "{\"a\":1} {\"b\":2}",
            "{\"a\":1,}",
            "[1,]",
            "{'a':1}",
            "{\"a\":1 /* c */}",
            "\u{feff}{}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":\"\\x\"}",
            "{\"a\" 1}",
            "tru",
            "",
            "\u{a0}{}",
        ] {
            assert!(read(bad.as_bytes()).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(read(deep.as_bytes()).unwrap_err().what, "nesting too deep");
        assert!(read(b" \t\r\n{}\n").is_ok());
    }

    #[test]
    fn written_back_reads_the_same() {
        let v =
            read("{\"a\\n\":[1e5,\"x\\u0001\\\"\",{\"b\":null}],\"a\":false}".as_bytes()).unwrap();
        assert_eq!(read(v.to_json().as_bytes()).unwrap(), v);
    }

    #[test]
    fn folding_matches_go() {
        assert_eq!(fold_name("Hoſtconfig"), fold_name("HostConfig"));
        assert_eq!(fold_name("\u{212a}ernelMemory"), fold_name("KernelMemory"));
        assert_eq!(fold_name("prıvıleged"), fold_name("Privileged"));
        assert_eq!(fold_name("İmage"), fold_name("Image"));
        assert_ne!(fold_name("Ｐrivileged"), fold_name("Privileged"));
    }
}
