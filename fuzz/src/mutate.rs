//! Mutations of a seed input: byte edits, line edits and splices of lines from
//! other seeds, as proptest values (so failing cases shrink to fewer, smaller edits).

use proptest::prelude::*;

/// Tokens the parsers treat specially, inserted whole.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"\n",
    b"    ",
    b"\t",
    b"-   **",
    b"**",
    b"`",
    b"#### ",
    b"### ",
    b"`GET /x/(id)`",
    b"$ref: ",
    b"#/definitions/",
    b"type: ",
    b"- ",
    b"99999999999999999999",
    b"-1",
    b"1.99",
    b"\xff",
    b"\0",
    b"/../",
    b"%2F",
    b"//",
    b"?",
    b"{{",
    b"}}",
    b"```",
    b"<!--",
    b"-->",
    b"&",
    b"*",
    b"!!",
    b"\r",
];

/// One edit of the input.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Replace the byte at a position.
    SetByte(usize, u8),
    /// Remove up to `len` bytes at a position.
    Delete(usize, usize),
    /// Insert a special token at a position.
    InsertToken(usize, usize),
    /// Duplicate a line.
    DuplicateLine(usize),
    /// Remove a line.
    DeleteLine(usize),
    /// Swap two lines.
    SwapLines(usize, usize),
    /// Insert line `line` of seed `seed` before line `at`.
    Splice {
        /// Seed to take the line from.
        seed: usize,
        /// Line of that seed.
        line: usize,
        /// Where to insert it.
        at: usize,
    },
}

/// The strategy for one mutation (indexes are taken modulo the input's size).
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::SetByte(p, b)),
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(p, t)| Mutation::InsertToken(p, t)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(seed, line, at)| Mutation::Splice { seed, line, at }),
    ]
}

/// A case: which seed, and the edits applied to it in order.
pub fn case(seeds: usize) -> impl Strategy<Value = (usize, Vec<Mutation>)> {
    (
        0..seeds.max(1),
        proptest::collection::vec(mutation(), 0..12),
    )
}

fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|b| *b == b'\n').collect()
}

/// Applies a case to the seeds.
pub fn apply(seeds: &[Vec<u8>], (seed, edits): &(usize, Vec<Mutation>)) -> Vec<u8> {
    let mut out = seeds.get(*seed).cloned().unwrap_or_default();
    for edit in edits {
        let len = out.len().max(1);
        match *edit {
            Mutation::SetByte(p, b) => {
                if let Some(slot) = out.get_mut(p % len) {
                    *slot = b;
                }
            }
            Mutation::Delete(p, n) => {
                let start = (p % len).min(out.len());
                let end = (start + n).min(out.len());
                out.drain(start..end);
            }
            Mutation::InsertToken(p, t) => {
                let at = (p % len).min(out.len());
                let token = TOKENS.get(t).copied().unwrap_or_default();
                out.splice(at..at, token.iter().copied());
            }
            Mutation::DuplicateLine(i) | Mutation::DeleteLine(i) => {
                let mut ls: Vec<Vec<u8>> = lines(&out).into_iter().map(<[u8]>::to_vec).collect();
                if ls.is_empty() {
                    continue;
                }
                let i = i % ls.len();
                if matches!(edit, Mutation::DuplicateLine(_)) {
                    let copy = ls[i].clone();
                    ls.insert(i, copy);
                } else {
                    ls.remove(i);
                }
                out = ls.concat();
            }
            Mutation::SwapLines(a, b) => {
                let mut ls: Vec<Vec<u8>> = lines(&out).into_iter().map(<[u8]>::to_vec).collect();
                if ls.is_empty() {
                    continue;
                }
                let n = ls.len();
                ls.swap(a % n, b % n);
                out = ls.concat();
            }
            Mutation::Splice { seed, line, at } => {
                let Some(source) = seeds.get(seed % seeds.len().max(1)) else {
                    continue;
                };
                let source_lines = lines(source);
                let Some(taken) = source_lines.get(line % source_lines.len().max(1)) else {
                    continue;
                };
                let mut ls: Vec<Vec<u8>> = lines(&out).into_iter().map(<[u8]>::to_vec).collect();
                let at = at % (ls.len() + 1);
                ls.insert(at, taken.to_vec());
                out = ls.concat();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_stay_in_bounds_and_apply_in_order() {
        let seeds = vec![b"a\nb\nc\n".to_vec(), b"x\n".to_vec()];
        let out = apply(
            &seeds,
            &(
                0,
                vec![
                    Mutation::DeleteLine(1),
                    Mutation::Splice {
                        seed: 1,
                        line: 0,
                        at: 0,
                    },
                    Mutation::SetByte(usize::MAX, b'Z'),
                    Mutation::Delete(usize::MAX, 1000),
                ],
            ),
        );
        // "a\nc\n" → "x\na\nc\n" → byte 3 (MAX % 6) set → cut from byte 3.
        assert_eq!(out, b"x\na");
        assert_eq!(
            apply(&[], &(3, vec![Mutation::DeleteLine(0)])),
            Vec::<u8>::new()
        );
    }
}
