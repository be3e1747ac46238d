//! JSON-lines decoding of one 16 MiB value spread over a million lines, against the same
//! value on one line (criterion-free: prints both times and their ratio).
//!
//! `cargo bench -p dockmatrix-runtime --bench json_lines`. The decoder used to re-read
//! the value at every newline inside it (quadratic: a 234 KiB pretty-printed event over
//! 80k lines took 27 s); now each byte is scanned once and the ratio stays near 1.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dockmatrix_runtime::streams::JsonLinesDecoder;
use serde::de::IgnoredAny;

/// Size of the value (about).
const SIZE: usize = 16 << 20;
/// Lines of the multi-line shape.
const LINES: usize = 1 << 20;
/// Chunks the bytes arrive in (as a daemon's body would).
const CHUNK: usize = 16 << 10;
const ROUNDS: usize = 3;

/// `[` + one 16-byte element per line (`"000000000042",` and `sep`) + `]`.
fn value(sep: u8) -> Vec<u8> {
    let mut v = Vec::with_capacity(SIZE + 16);
    v.extend_from_slice(b"[");
    v.push(sep);
    for i in 0..LINES - 1 {
        v.extend_from_slice(format!("\"{i:012}\",").as_bytes());
        v.push(sep);
    }
    v.extend_from_slice(b"\"last\"");
    v.push(sep);
    v.extend_from_slice(b"]\n");
    v
}

/// Best of `ROUNDS` decodes; also checks the value came out whole.
fn time(input: &[u8]) -> (Duration, u64) {
    let mut best = Duration::MAX;
    let mut scanned = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let mut d = JsonLinesDecoder::<IgnoredAny>::with_max_value("bench", SIZE + (1 << 20));
        let mut values = 0;
        for chunk in input.chunks(CHUNK) {
            d.push(chunk);
            while let Some(v) = d.next_item().expect("valid input") {
                black_box(v);
                values += 1;
            }
        }
        while let Some(v) = d.finish().expect("valid input") {
            black_box(v);
            values += 1;
        }
        best = best.min(started.elapsed());
        assert_eq!(values, 1);
        scanned = d.scanned_bytes();
    }
    (best, scanned)
}

fn main() {
    let many = value(b'\n');
    let one = value(b' ');
    assert_eq!(many.len(), one.len());
    let lines = many.iter().filter(|b| **b == b'\n').count();
    let (t_many, s_many) = time(&many);
    let (t_one, s_one) = time(&one);
    let mib = many.len() as f64 / f64::from(1 << 20);
    println!("json_lines: one value of {mib:.1} MiB, in {CHUNK}-byte chunks, best of {ROUNDS}");
    println!(
        "  over {lines} lines: {:>8.1} ms ({:.0} MiB/s, {s_many} bytes scanned)",
        t_many.as_secs_f64() * 1e3,
        mib / t_many.as_secs_f64()
    );
    println!(
        "  on one line:       {:>8.1} ms ({:.0} MiB/s, {s_one} bytes scanned)",
        t_one.as_secs_f64() * 1e3,
        mib / t_one.as_secs_f64()
    );
    println!(
        "  ratio many lines / one line: {:.2}",
        t_many.as_secs_f64() / t_one.as_secs_f64()
    );
}
