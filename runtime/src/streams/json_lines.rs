//! Decoder for Docker's JSON message streams (events, image pull/create/push progress,
//! build output): a sequence of JSON values separated by newlines or simply concatenated.

use std::marker::PhantomData;

use bytes::{Buf, BytesMut};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::limits::{Limit, DEFAULT_MAX_JSON_LINE};

/// Incremental JSON stream decoder. Values are counted from 0 for error context.
///
/// Each byte is scanned once: a small state machine (nesting depth, inside a string,
/// after a backslash) finds where the current top-level value ends, and only that
/// complete slice is handed to serde_json. Alongside it an incremental syntax check
/// ([`Syntax`]) keeps, across pushes, whether the value read so far can still become
/// valid JSON, so a malformed value is cut at the end of its line without re-reading
/// it. Decoding is therefore linear in the input however the daemon splits it into
/// chunks or lines ([`scanned_bytes`](Self::scanned_bytes) counts the scanner's
/// reads). A value growing past the limit is an [`Error::LimitExceeded`] instead of an
/// unbounded buffer.
#[derive(Debug)]
pub struct JsonLinesDecoder<T> {
    buf: BytesMut,
    scan: Scan,
    index: usize,
    max_value: usize,
    context: &'static str,
    /// After a malformed value whose line had not fully arrived: the rest of that
    /// line is still to be skipped, whatever chunks it comes in.
    skipping_line: bool,
    /// Bytes examined by the scanner so far (see [`Self::scanned_bytes`]).
    scanned: u64,
    _item: PhantomData<fn() -> T>,
}

/// Where the scanner stands in the value at the front of the buffer.
#[derive(Debug, Default, Clone)]
struct Scan {
    /// Bytes of the buffer already scanned.
    pos: usize,
    /// Kind of the current value, once its first byte was seen.
    kind: Option<Kind>,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Syntax of the container value read so far.
    syntax: Syntax,
}

/// Incremental JSON syntax check of a container value (`{…}` / `[…]`), one byte at a
/// time: whether the bytes fed so far are a prefix of some valid JSON text. Once
/// invalid it stays invalid and stops looking. It errs towards "still valid" where
/// serde_json is stricter (UTF-8, surrogate escapes, nesting depth): the full value is
/// decoded by serde_json anyway; this only decides where a malformed one may be cut.
#[derive(Debug, Default, Clone)]
struct Syntax {
    invalid: bool,
    /// Open containers, innermost last: `true` for an object.
    stack: Vec<bool>,
    state: Expect,
}

/// What the syntax check expects next.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The first byte of the container.
    #[default]
    Start,
    /// A value (after `:` or `,` in an array).
    Value,
    /// A value or `]` (after `[`).
    ValueOrClose,
    /// A key or `}` (after `{`).
    KeyOrClose,
    /// A key (after `,` in an object).
    Key,
    /// `:` after a key.
    Colon,
    /// `,` or the closing bracket, after a value.
    CommaOrClose,
    /// Inside a string; `key` tells what follows it.
    Str { key: bool, escape: Escape },
    /// Inside `true`, `false` or `null`: the bytes still expected.
    Literal(&'static [u8]),
    /// Inside a number.
    Number(Num),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Ordinary string content.
    None,
    /// After a backslash.
    Backslash,
    /// Inside `\uXXXX`: hex digits still expected.
    Hex(u8),
}

/// Number states (JSON grammar): where a delimiter may end it is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    /// After `-`: a digit must follow.
    Minus,
    /// A lone `0` (may end).
    Zero,
    /// Integer digits (may end).
    Int,
    /// After `.`: a digit must follow.
    Dot,
    /// Fraction digits (may end).
    Frac,
    /// After `e`/`E`: a sign or digit must follow.
    Exp,
    /// After the exponent sign: a digit must follow.
    ExpSign,
    /// Exponent digits (may end).
    ExpDigits,
}

impl Syntax {
    /// Feeds one byte (the scanner feeds every byte of a container value, in order).
    fn feed(&mut self, b: u8) {
        if self.invalid {
            return;
        }
        if let Expect::Number(n) = self.state {
            match (n, b) {
                (Num::Minus, b'0') => self.state = Expect::Number(Num::Zero),
                (Num::Minus, b'1'..=b'9') => self.state = Expect::Number(Num::Int),
                (Num::Int, b'0'..=b'9') => {}
                (Num::Zero | Num::Int, b'.') => self.state = Expect::Number(Num::Dot),
                (Num::Dot | Num::Frac, b'0'..=b'9') => self.state = Expect::Number(Num::Frac),
                (Num::Zero | Num::Int | Num::Frac, b'e' | b'E') => {
                    self.state = Expect::Number(Num::Exp)
                }
                (Num::Exp, b'+' | b'-') => self.state = Expect::Number(Num::ExpSign),
                (Num::Exp | Num::ExpSign | Num::ExpDigits, b'0'..=b'9') => {
                    self.state = Expect::Number(Num::ExpDigits)
                }
                (Num::Zero | Num::Int | Num::Frac | Num::ExpDigits, _) => {
                    // The number ended; the byte is read after it.
                    self.state = Expect::CommaOrClose;
                    self.feed(b);
                }
                _ => self.invalid = true,
            }
            return;
        }
        match self.state {
            Expect::Str { key, escape } => self.string_byte(key, escape, b),
            Expect::Literal(rest) => match rest.split_first() {
                Some((want, more)) if *want == b => {
                    self.state = if more.is_empty() {
                        Expect::CommaOrClose
                    } else {
                        Expect::Literal(more)
                    }
                }
                _ => self.invalid = true,
            },
            _ if matches!(b, b' ' | b'\t' | b'\n' | b'\r') => {
                self.invalid = self.state == Expect::Start;
            }
            Expect::Start => self.open(b),
            Expect::Value => self.value(b),
            Expect::ValueOrClose if b == b']' => self.close(b),
            Expect::ValueOrClose => self.value(b),
            Expect::KeyOrClose if b == b'}' => self.close(b),
            Expect::KeyOrClose | Expect::Key if b == b'"' => {
                self.state = Expect::Str {
                    key: true,
                    escape: Escape::None,
                }
            }
            Expect::Colon if b == b':' => self.state = Expect::Value,
            Expect::CommaOrClose if b == b',' => {
                self.state = match self.stack.last() {
                    Some(true) => Expect::Key,
                    _ => Expect::Value,
                }
            }
            Expect::CommaOrClose if b == b'}' || b == b']' => self.close(b),
            _ => self.invalid = true,
        }
    }

    fn open(&mut self, b: u8) {
        match b {
            b'{' => {
                self.stack.push(true);
                self.state = Expect::KeyOrClose;
            }
            b'[' => {
                self.stack.push(false);
                self.state = Expect::ValueOrClose;
            }
            _ => self.invalid = true,
        }
    }

    fn value(&mut self, b: u8) {
        self.state = match b {
            b'{' | b'[' => return self.open(b),
            b'"' => Expect::Str {
                key: false,
                escape: Escape::None,
            },
            b't' => Expect::Literal(b"rue"),
            b'f' => Expect::Literal(b"alse"),
            b'n' => Expect::Literal(b"ull"),
            b'-' => Expect::Number(Num::Minus),
            b'0' => Expect::Number(Num::Zero),
            b'1'..=b'9' => Expect::Number(Num::Int),
            _ => {
                self.invalid = true;
                return;
            }
        };
    }

    fn close(&mut self, b: u8) {
        match self.stack.pop() {
            Some(object) if object == (b == b'}') => self.state = Expect::CommaOrClose,
            _ => self.invalid = true,
        }
    }

    fn string_byte(&mut self, key: bool, escape: Escape, b: u8) {
        let escape = match (escape, b) {
            (Escape::None, b'"') => {
                self.state = if key {
                    Expect::Colon
                } else {
                    Expect::CommaOrClose
                };
                return;
            }
            (Escape::None, b'\\') => Escape::Backslash,
            (Escape::None, 0..=0x1f) => {
                self.invalid = true;
                return;
            }
            (Escape::None, _) => Escape::None,
            (Escape::Backslash, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                Escape::None
            }
            (Escape::Backslash, b'u') => Escape::Hex(4),
            (Escape::Hex(left), b) if b.is_ascii_hexdigit() => match left {
                1 => Escape::None,
                _ => Escape::Hex(left - 1),
            },
            _ => {
                self.invalid = true;
                return;
            }
        };
        self.state = Expect::Str { key, escape };
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `{…}` or `[…]`.
    Container,
    /// `"…"`.
    String,
    /// Number, literal or garbage: ends at whitespace or the start of another value.
    Scalar,
}

impl<T: DeserializeOwned> JsonLinesDecoder<T> {
    /// New decoder with the default value limit; `context` (e.g. the operation name) is
    /// used in errors.
    pub fn new(context: &'static str) -> Self {
        Self::with_max_value(context, DEFAULT_MAX_JSON_LINE)
    }

    /// New decoder rejecting any single value longer than `max_value` bytes.
    pub fn with_max_value(context: &'static str, max_value: usize) -> Self {
        Self {
            buf: BytesMut::new(),
            scan: Scan::default(),
            index: 0,
            max_value,
            context,
            skipping_line: false,
            scanned: 0,
            _item: PhantomData,
        }
    }

    /// Bytes the scanner has examined so far (across every value): about once each
    /// input byte, twice for a malformed value's bytes; never a re-read per push or
    /// per line. For tests and benchmarks.
    pub fn scanned_bytes(&self) -> u64 {
        self.scanned
    }

    /// Appends received bytes.
    pub fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Next complete value; `Ok(None)` if more bytes are needed. A malformed value is
    /// reported once and skipped up to the next newline; a value over the limit is
    /// reported and the rest of the buffer dropped (the stream cannot be resynchronised).
    pub fn next_item(&mut self) -> Result<Option<T>, Error> {
        self.decode(false)
    }

    /// Decodes what remains at end of input (a final value without trailing newline);
    /// errors if non-whitespace bytes are left that do not form a value.
    pub fn finish(&mut self) -> Result<Option<T>, Error> {
        self.decode(true)
    }

    fn decode(&mut self, at_end: bool) -> Result<Option<T>, Error> {
        if self.skipping_line {
            match self.buf.iter().position(|b| *b == b'\n') {
                Some(p) => {
                    self.scanned += p as u64 + 1;
                    self.buf.advance(p + 1);
                    self.skipping_line = false;
                }
                None => {
                    self.scanned += self.buf.len() as u64;
                    self.buf.clear();
                    return Ok(None);
                }
            }
        }
        if self.scan.kind.is_none() {
            let start = self.buf.iter().position(|b| !b.is_ascii_whitespace());
            let Some(start) = start else {
                self.scanned += self.buf.len() as u64;
                self.buf.clear();
                return Ok(None);
            };
            self.scanned += start as u64;
            self.buf.advance(start);
            self.scan = Scan::default();
        }
        let end = match self.scan_value() {
            Some(end) => end,
            None if at_end => self.buf.len(),
            None => {
                if self.buf.len() > self.max_value {
                    let seen = self.buf.len();
                    self.buf.clear();
                    self.scan = Scan::default();
                    return Err(self.too_long(seen));
                }
                return Ok(None);
            }
        };
        if end > self.max_value {
            self.buf.advance(end);
            self.scan = Scan::default();
            return Err(self.too_long(end));
        }
        let index = self.index;
        self.index += 1;
        let result = serde_json::from_slice::<T>(&self.buf[..end]);
        self.scan = Scan::default();
        match result {
            Ok(value) => {
                self.buf.advance(end);
                Ok(Some(value))
            }
            Err(source) => {
                match self.buf.iter().position(|b| *b == b'\n') {
                    Some(p) => {
                        self.scanned += p as u64 + 1;
                        self.buf.advance(p + 1)
                    }
                    None => {
                        self.scanned += self.buf.len() as u64;
                        self.buf.clear();
                        self.skipping_line = !at_end;
                    }
                }
                Err(Error::Decode {
                    context: format!("JSON stream item #{index} of {}", self.context),
                    source,
                })
            }
        }
    }

    /// Continues scanning the value at the front of the buffer; returns its length once
    /// it is complete.
    fn scan_value(&mut self) -> Option<usize> {
        let start = self.scan.pos;
        let end = self.scan_from_pos();
        self.scanned += (self.scan.pos - start) as u64 + u64::from(end.is_some());
        end
    }

    fn scan_from_pos(&mut self) -> Option<usize> {
        let s = &mut self.scan;
        let bytes = &self.buf[..];
        while let Some(&b) = bytes.get(s.pos) {
            if s.kind == Some(Kind::Container) {
                // The syntax check reads each byte once, as it is scanned.
                s.syntax.feed(b);
                if b == b'\n' && !s.in_string && s.syntax.invalid {
                    // Docker's streams are one value per line: at a newline inside an
                    // open value that can no longer become valid JSON, the (malformed)
                    // value ends here so the decoder resynchronises on the next line.
                    return Some(s.pos);
                }
            }
            let kind = match s.kind {
                Some(k) => k,
                None => {
                    let k = match b {
                        b'{' | b'[' => Kind::Container,
                        b'"' => Kind::String,
                        _ => Kind::Scalar,
                    };
                    s.kind = Some(k);
                    s.pos += 1;
                    if k == Kind::Container {
                        s.syntax.feed(b);
                    }
                    match k {
                        Kind::Container => s.depth = 1,
                        Kind::String => s.in_string = true,
                        Kind::Scalar => {}
                    }
                    continue;
                }
            };
            if s.in_string {
                if s.escaped {
                    s.escaped = false;
                } else if b == b'\\' {
                    s.escaped = true;
                } else if b == b'"' {
                    s.in_string = false;
                    if kind == Kind::String {
                        s.pos += 1;
                        return Some(s.pos);
                    }
                }
                s.pos += 1;
                continue;
            }
            match (kind, b) {
                (Kind::Scalar, b'{' | b'[' | b'"') => return Some(s.pos),
                (Kind::Scalar, b) if b.is_ascii_whitespace() => return Some(s.pos),
                (Kind::Container, b'"') => s.in_string = true,
                (Kind::Container, b'{' | b'[') => s.depth += 1,
                (Kind::Container, b'}' | b']') => {
                    s.depth -= 1;
                    if s.depth == 0 {
                        s.pos += 1;
                        return Some(s.pos);
                    }
                }
                _ => {}
            }
            s.pos += 1;
        }
        None
    }

    fn too_long(&self, seen: usize) -> Error {
        Error::LimitExceeded {
            limit: Limit::JsonLine,
            max: self.max_value,
            context: format!(
                "JSON stream item #{} of {} ({seen} bytes read so far)",
                self.index, self.context
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn decode_all(chunks: &[&[u8]]) -> Result<Vec<Value>, Error> {
        let mut d = JsonLinesDecoder::<Value>::new("test");
        let mut out = Vec::new();
        for c in chunks {
            d.push(c);
            while let Some(v) = d.next_item()? {
                out.push(v);
            }
        }
        while let Some(v) = d.finish()? {
            out.push(v);
        }
        Ok(out)
    }

    #[test]
    fn every_split_position_gives_same_values() {
        let input = b"{\"status\":\"Pulling\",\"id\":\"a\\n{b}\"}\r\n\n{\"progressDetail\":{\"current\":12}}[1,2]\"s\" 42\n{\"e\":\"\xc3\xa9\"}";
        let expected = vec![
            json!({"status":"Pulling","id":"a\n{b}"}),
            json!({"progressDetail":{"current":12}}),
            json!([1, 2]),
            json!("s"),
            json!(42),
            json!({"e":"é"}),
        ];
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let got = decode_all(&[&input[..i], &input[i..j], &input[j..]]).unwrap();
                assert_eq!(got, expected, "split at {i},{j}");
            }
        }
    }

    /// A pretty-printed value over many lines (an event as `jq .` would print it).
    fn pretty_value(lines: usize) -> String {
        let mut v = String::from("{\n  \"items\": [\n");
        for i in 0..lines {
            v.push_str(&format!("    {{\"n\": {i}, \"s\": \"a\\\"}}]\\n{{[\"}},\n"));
        }
        v.push_str("    -1.5e3\n  ],\n  \"end\": [true, false, null, \"\\u00e9\"]\n}\n");
        v
    }

    #[test]
    fn each_byte_is_scanned_a_bounded_number_of_times() {
        // The decoder used to re-parse the whole value at every newline inside it:
        // quadratic in a value spread over many lines. Each byte is read once now,
        // however the input is chunked; the count is exact, not a timing.
        let value = pretty_value(20_000);
        let input = format!("{value}{value}[1,\n2]\n");
        for chunk in [1, 7, 64, 4096, input.len()] {
            let mut d = JsonLinesDecoder::<Value>::new("EventsStream");
            let mut got = Vec::new();
            for part in input.as_bytes().chunks(chunk) {
                d.push(part);
                while let Some(v) = d.next_item().unwrap() {
                    got.push(v);
                }
            }
            assert_eq!(got.len(), 3, "chunk {chunk}");
            assert_eq!(got[0]["items"].as_array().map(Vec::len), Some(20_001));
            assert_eq!(got[0], got[1]);
            let scanned = d.scanned_bytes();
            assert!(
                scanned <= 2 * input.len() as u64,
                "chunk {chunk}: {scanned} bytes scanned for {} of input",
                input.len()
            );
            assert!(
                scanned >= input.len() as u64 - 1,
                "chunk {chunk}: {scanned}"
            );
        }
    }

    #[test]
    fn the_syntax_check_agrees_with_serde_json_on_every_prefix() {
        // At every newline outside a string (where the scanner asks it), invalid
        // exactly where serde_json reports an error other than end of input for the
        // bytes so far: a valid value is never cut, a malformed one is recognised as
        // soon as serde_json would. (Inside a string nobody asks, and serde_json calls
        // a cut `\u` escape end of input whatever follows.)
        let texts: &[&[u8]] = &[
            br#"{"a": [1, -2.5e+3, 0, 0.25, 1E9, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"], "b": {}}"#,
            br#"[ [ ] , { } , [ { "k" : [ ] } ] ]"#,
            b"{\n  \"status\": \"Pulling\",\n  \"progressDetail\": {\"current\": 12}\n}",
            b"{bad}",
            br#"{"a" 1}"#,
            br#"{"a":1,}"#,
            b"[1,]",
            b"[1 2]",
            b"[01]",
            b"[-]",
            b"[1.]",
            b"[1e]",
            b"[1e+]",
            b"[tru]",
            b"[truex]",
            b"[nul l]",
            br#"{"a":1]"#,
            b"[1}",
            b"{1:2}",
            br#"{"a"::1}"#,
            br#"["\x"]"#,
            br#"["\u12G4"]"#,
            b"[\"a\tb\"]",
            b"[,1]",
            b"{,}",
            br#"["a""b"]"#,
            br#"{"a":}"#,
        ];
        for text in texts {
            let (mut in_string, mut escaped) = (false, false);
            for end in 1..=text.len() {
                match text[end - 1] {
                    _ if escaped => escaped = false,
                    b'\\' if in_string => escaped = true,
                    b'"' => in_string = !in_string,
                    _ => {}
                }
                if in_string {
                    continue;
                }
                let prefix = [&text[..end], b"\n"].concat();
                let mut syntax = Syntax::default();
                prefix.iter().for_each(|b| syntax.feed(*b));
                let serde = serde_json::from_slice::<serde::de::IgnoredAny>(&prefix);
                let serde_invalid = serde.as_ref().is_err_and(|e| !e.is_eof());
                assert_eq!(
                    syntax.invalid,
                    serde_invalid,
                    "{:?}: serde says {serde:?}",
                    String::from_utf8_lossy(&prefix)
                );
            }
        }
    }

    #[test]
    fn trailing_number_waits_for_more_digits() {
        assert_eq!(decode_all(&[b"12", b"3\n"]).unwrap(), vec![json!(123)]);
        assert_eq!(decode_all(&[b"12"]).unwrap(), vec![json!(12)]);
    }

    #[test]
    fn malformed_value_is_reported_then_skipped() {
        let mut d = JsonLinesDecoder::<Value>::new("EventsStream");
        d.push(b"{\"a\":1}\n{bad}\n{\"b\":2}\n");
        assert_eq!(d.next_item().unwrap(), Some(json!({"a":1})));
        match d.next_item() {
            Err(Error::Decode { context, .. }) => {
                assert_eq!(context, "JSON stream item #1 of EventsStream")
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(d.next_item().unwrap(), Some(json!({"b":2})));
        assert_eq!(d.next_item().unwrap(), None);
    }

    #[test]
    fn value_over_the_limit_is_a_typed_error_without_buffering_it() {
        let mut d = JsonLinesDecoder::<Value>::with_max_value("EventsStream", 64);
        d.push(b"{\"a\":1}\n{\"big\":\"");
        assert_eq!(d.next_item().unwrap(), Some(json!({"a":1})));
        assert_eq!(d.next_item().unwrap(), None);
        d.push(&[b'x'; 100]);
        match d.next_item() {
            Err(Error::LimitExceeded {
                limit: Limit::JsonLine,
                max: 64,
                context,
            }) => assert!(
                context.starts_with("JSON stream item #1 of EventsStream"),
                "{context}"
            ),
            other => panic!("unexpected {other:?}"),
        }
        assert!(d.buf.is_empty());
    }

    #[test]
    fn one_big_value_in_small_chunks_is_decoded_once() {
        // 8 MiB in 4 KiB chunks: a decoder re-parsing its buffer per chunk would do
        // ~2000 parses of up to 8 MiB here (the bench `json_lines` measures the rate).
        let big = "y".repeat(8 << 20);
        let line = format!("{{\"status\":\"{big}\"}}\n");
        let mut d = JsonLinesDecoder::<Value>::with_max_value("ImageCreate", 16 << 20);
        let mut got = Vec::new();
        for chunk in line.as_bytes().chunks(4096) {
            d.push(chunk);
            while let Some(v) = d.next_item().unwrap() {
                got.push(v);
            }
        }
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["status"].as_str().map(str::len), Some(8 << 20));
    }

    #[test]
    fn brackets_and_quotes_inside_strings_do_not_end_values() {
        assert_eq!(
            decode_all(&[br#"{"a":"}]\"{[","b":[{"c":"\\"}]}"#, b"true false"]).unwrap(),
            vec![
                json!({"a":"}]\"{[","b":[{"c":"\\"}]}),
                json!(true),
                json!(false)
            ]
        );
    }

    #[test]
    fn unclosed_malformed_value_resynchronises_on_the_next_line() {
        let mut d = JsonLinesDecoder::<Value>::new("EventsStream");
        d.push(b"{bad\n{\"b\":2}\n");
        assert!(matches!(d.next_item(), Err(Error::Decode { .. })));
        assert_eq!(d.next_item().unwrap(), Some(json!({"b":2})));
    }

    #[test]
    fn truncated_value_at_end_is_an_error() {
        assert!(matches!(
            decode_all(&[b"{\"a\":"]),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn a_malformed_line_is_skipped_whole_however_it_is_chunked() {
        let input = b"`{\"a\":1}\n{\"b\":2}\n";
        let decode = |chunk: usize| {
            let mut d: JsonLinesDecoder<serde_json::Value> = JsonLinesDecoder::new("test");
            let mut values = Vec::new();
            let mut errors = 0;
            for part in input.chunks(chunk) {
                d.push(part);
                loop {
                    match d.next_item() {
                        Ok(Some(v)) => values.push(v),
                        Ok(None) => break,
                        Err(_) => errors += 1,
                    }
                }
            }
            (values, errors)
        };
        for chunk in [1, 2, 3, 5, 64] {
            let (values, errors) = decode(chunk);
            assert_eq!(values, [serde_json::json!({"b": 2})], "chunk {chunk}");
            assert!(errors >= 1, "chunk {chunk}");
        }
    }
}
