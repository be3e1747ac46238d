//! Decoder for Docker's JSON message streams (events, image pull/create/push progress,
//! build output): a sequence of JSON values separated by newlines or simply concatenated.

use std::marker::PhantomData;

use bytes::{Buf, BytesMut};
use serde::de::DeserializeOwned;

use crate::error::Error;

/// Incremental JSON stream decoder. Values are counted from 0 for error context.
#[derive(Debug)]
pub struct JsonLinesDecoder<T> {
    buf: BytesMut,
    index: usize,
    context: &'static str,
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonLinesDecoder<T> {
    /// New decoder; `context` (e.g. the operation name) is used in decode errors.
    pub fn new(context: &'static str) -> Self {
        Self {
            buf: BytesMut::new(),
            index: 0,
            context,
            _item: PhantomData,
        }
    }

    /// Appends received bytes.
    pub fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Next complete value; `Ok(None)` if more bytes are needed. A malformed value is
    /// reported once and skipped up to the next newline.
    pub fn next_item(&mut self) -> Result<Option<T>, Error> {
        self.decode(false)
    }

    /// Decodes what remains at end of input (a final value without trailing newline);
    /// errors if non-whitespace bytes are left that do not form a value.
    pub fn finish(&mut self) -> Result<Option<T>, Error> {
        self.decode(true)
    }

    fn decode(&mut self, at_end: bool) -> Result<Option<T>, Error> {
        let start = self.buf.iter().position(|b| !b.is_ascii_whitespace());
        let Some(start) = start else {
            self.buf.clear();
            return Ok(None);
        };
        self.buf.advance(start);
        let mut it = serde_json::Deserializer::from_slice(&self.buf).into_iter::<T>();
        match it.next() {
            None => Ok(None),
            Some(Ok(value)) => {
                let end = it.byte_offset();
                // A bare number/literal ending exactly at the buffer end may continue in the next chunk.
                let self_delimited =
                    matches!(self.buf.get(end.wrapping_sub(1)), Some(b'}' | b']' | b'"'));
                if end == self.buf.len() && !self_delimited && !at_end {
                    return Ok(None);
                }
                self.buf.advance(end);
                self.index += 1;
                Ok(Some(value))
            }
            Some(Err(e)) if e.is_eof() && !at_end => Ok(None),
            Some(Err(source)) => {
                let index = self.index;
                self.index += 1;
                let skip = self
                    .buf
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(self.buf.len(), |p| p + 1);
                self.buf.advance(skip);
                Err(Error::Decode {
                    context: format!("JSON stream item #{index} of {}", self.context),
                    source,
                })
            }
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
    fn truncated_value_at_end_is_an_error() {
        assert!(matches!(
            decode_all(&[b"{\"a\":"]),
            Err(Error::Decode { .. })
        ));
    }
}
