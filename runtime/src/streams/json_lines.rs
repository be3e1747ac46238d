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
/// complete slice is handed to serde_json. Decoding is therefore linear in the input
/// however the daemon splits it into chunks. A value growing past the limit is an
/// [`Error::LimitExceeded`] instead of an unbounded buffer.
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
    _item: PhantomData<fn() -> T>,
}

/// Where the scanner stands in the value at the front of the buffer.
#[derive(Debug, Default, Clone, Copy)]
struct Scan {
    /// Bytes of the buffer already scanned.
    pos: usize,
    /// Kind of the current value, once its first byte was seen.
    kind: Option<Kind>,
    depth: usize,
    in_string: bool,
    escaped: bool,
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
            _item: PhantomData,
        }
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
                    self.buf.advance(p + 1);
                    self.skipping_line = false;
                }
                None => {
                    self.buf.clear();
                    return Ok(None);
                }
            }
        }
        if self.scan.kind.is_none() {
            let start = self.buf.iter().position(|b| !b.is_ascii_whitespace());
            let Some(start) = start else {
                self.buf.clear();
                return Ok(None);
            };
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
                    Some(p) => self.buf.advance(p + 1),
                    None => {
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
        let s = &mut self.scan;
        let bytes = &self.buf[..];
        while let Some(&b) = bytes.get(s.pos) {
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
                // Docker's streams are one value per line: at a newline inside an open
                // value, a prefix that is already invalid JSON ends the (malformed) value
                // here so the decoder resynchronises on the next line.
                (Kind::Container, b'\n')
                    if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes[..s.pos])
                        .is_err_and(|e| !e.is_eof()) =>
                {
                    return Some(s.pos)
                }
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
