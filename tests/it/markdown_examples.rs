//! Every JSON example of every markdown page is read, or listed as an upstream
//! defect with its page and line: nothing is dropped silently (issue 17, point 4).
//!
//! The code blocks are found here by a reader of its own (fenced blocks, and
//! indented blocks after a blank line), not by the ingest code.

use crate::common;

use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::pipeline::load_models;

/// A code block: its lines with their 1-based page line numbers.
type Block = Vec<(usize, String)>;

fn indent(line: &str) -> usize {
    let expanded = line.replace('\t', "    ");
    expanded.len() - expanded.trim_start().len()
}

/// A `**Example request**:` / `**Example response**:` label line.
fn is_label(line: &str) -> bool {
    let t = line.trim().to_ascii_lowercase();
    t.contains("example request") || t.contains("example response")
}

/// The code blocks (fenced, or indented after a blank line) that directly follow
/// an example label.
fn example_blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let numbered = |from: usize, to: usize| -> Block {
        (from..to).map(|k| (k + 1, lines[k].to_string())).collect()
    };
    let mut blocks = Vec::new();
    let mut labelled = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim_start().starts_with("```") {
            let start = i + 1;
            i = start;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                i += 1;
            }
            if labelled {
                blocks.push(numbered(start, i));
            }
            labelled = false;
            i += 1;
            continue;
        }
        let after_blank = i == 0 || lines[i - 1].trim().is_empty();
        if after_blank && !line.trim().is_empty() && indent(line) >= 4 {
            let start = i;
            // A less indented line right after a code line still belongs to the
            // block (v1.24's swarm example closes its object at indent 2).
            let continues = |k: usize| {
                let l = lines[k];
                l.trim().is_empty()
                    || indent(l) >= 4
                    || (indent(l) > 0 && !lines[k - 1].trim().is_empty())
            };
            while i < lines.len() && continues(i) && !lines[i].trim_start().starts_with("```") {
                i += 1;
            }
            if labelled {
                blocks.push(numbered(start, i));
            }
            labelled = false;
            continue;
        }
        if !line.trim().is_empty() {
            labelled = is_label(line);
        }
        i += 1;
    }
    blocks
}

/// Lines that are not part of a body: template tags and Sphinx field leftovers.
fn is_markup(line: &str) -> bool {
    let t = line.trim();
    let rst = [
        ":statuscode ",
        ":query ",
        ":param ",
        ":reqheader ",
        ":jsonparam ",
    ];
    matches!(t, "{% raw %}" | "{% endraw %}")
        || t.starts_with(".. sourcecode::")
        || rst.iter().any(|r| t.starts_with(r))
}

/// The body of a block that shows JSON: after an HTTP start line and headers,
/// when it starts with `{` or `[` (not a `{{ STREAM }}` placeholder).
fn json_body(block: &Block) -> Option<Block> {
    let lines: Vec<&(usize, String)> = block.iter().filter(|(_, l)| !is_markup(l)).collect();
    let mut k = lines.iter().position(|(_, l)| !l.trim().is_empty())?;
    let first = lines[k].1.trim();
    let request = first
        .split_whitespace()
        .nth(1)
        .is_some_and(|t| t.starts_with('/'));
    if first.starts_with("HTTP/") || request {
        k += 1;
        while k < lines.len()
            && lines[k].1.contains(':')
            && !lines[k].1.trim().starts_with(['{', '['])
        {
            k += 1;
        }
    }
    let mut body: Block = lines[k..]
        .iter()
        .map(|(n, l)| (*n, l.clone()))
        .skip_while(|(_, l)| l.trim().is_empty())
        .collect();
    while body.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        body.pop();
    }
    let start = body.first()?.1.trim();
    (start.starts_with(['{', '[']) && !start.starts_with("{{")).then_some(body)
}

/// Strict JSON: one value, or several in a row (a stream).
fn reads_as_json(body: &Block) -> bool {
    let text: Vec<&str> = body.iter().map(|(_, l)| l.as_str()).collect();
    let text = text.join("\n");
    let mut values =
        serde_json::Deserializer::from_str(text.trim()).into_iter::<serde_json::Value>();
    values.next().is_some_and(|v| v.is_ok()) && values.all(|v| v.is_ok())
}

#[test]
fn every_json_example_is_read_or_listed_as_a_defect() {
    let dir = common::corpus_dir();
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(dir.clone()),
        no_verify: false,
    })
    .expect("corpus");
    let warnings = load_models(&corpus).expect("models").warnings;
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus readable")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("v1.") && n.ends_with(".md"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 25);
    let (mut seen, mut listed, mut silent) = (0, 0, Vec::new());
    for page in &pages {
        let text = std::fs::read_to_string(dir.join(page)).expect("page readable");
        for body in example_blocks(&text).iter().filter_map(json_body) {
            seen += 1;
            if reads_as_json(&body) {
                continue;
            }
            let (from, to) = (body[0].0, body[body.len() - 1].0);
            let defect = warnings.iter().any(|w| {
                w.file == *page
                    && w.message.starts_with("example body")
                    && w.location
                        .strip_prefix("line ")
                        .and_then(|n| n.parse::<usize>().ok())
                        .is_some_and(|n| (from..=to).contains(&n))
            });
            if defect {
                listed += 1;
            } else {
                silent.push(format!("{page}:{from}-{to}"));
            }
        }
    }
    eprintln!("{seen} JSON examples, {listed} not strict JSON and listed as defects");
    assert!(seen >= 685, "only {seen} JSON examples found");
    assert!(
        silent.is_empty(),
        "{} JSON examples neither read nor listed:\n{}",
        silent.len(),
        silent.join("\n")
    );
}
