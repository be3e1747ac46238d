//! Rendering rows as a terminal table or a GitHub-flavoured markdown table: the
//! one table renderer of the command line, the reports and the site.

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table, Width};

/// Columns a terminal table fits by default (`--wide` lifts the limit).
pub const TEXT_WIDTH: usize = 100;

/// The first column is never narrower than this (longer first cells overflow).
const MIN_FIRST_COLUMN: usize = 12;

/// Stands for a first cell printed on its own line: zero columns wide, so the
/// rest of the row keeps its place.
const OVERFLOW_MARK: &str = "\u{2060}";

/// Marks the first line of a row where the last column hangs below the rows.
const ROW_MARK: &str = "\u{2061}";

/// A table: header and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Column titles.
    pub header: Vec<String>,
    /// Cells, one `Vec` per row.
    pub rows: Vec<Vec<String>>,
}

impl Rows {
    /// A table with the given column titles.
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Plain-text table for terminals, fitting [`TEXT_WIDTH`] columns.
    pub fn text(&self) -> String {
        self.text_width(Some(TEXT_WIDTH))
    }

    /// Plain-text table fitting `width` columns, or unwrapped with `None`.
    /// Cells wrap at spaces, never inside a word: a path is never split.
    /// Columns whose title starts with `TIMELINE` never wrap. A first cell too
    /// long for the room the other columns leave is printed whole on a line of
    /// its own above its row; when the longest words of all columns cannot
    /// stand side by side, the widest column hangs under each row instead.
    /// Output depends only on the rows and the width.
    pub fn text_width(&self, width: Option<usize>) -> String {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        let Some(width) = width else {
            table.set_content_arrangement(ContentArrangement::Disabled);
            table.set_header(self.header.clone());
            for row in &self.rows {
                table.add_row(row.clone());
            }
            return self.finish(table.lines().collect());
        };
        let widths = self.column_widths(width);
        if widths.iter().sum::<usize>() > width {
            if let Some(k) = self.column_to_hang(&widths) {
                return self.hanging(k, width);
            }
        }
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(width).unwrap_or(u16::MAX));
        let first = widths.first().copied().unwrap_or(0);
        let overflows = |row: &[String]| row.first().is_some_and(|c| width_of(c) + 2 > first);
        table.set_header(self.header.clone());
        for row in &self.rows {
            let mut row = row.clone();
            if overflows(&row) {
                if let Some(cell) = row.first_mut() {
                    *cell = OVERFLOW_MARK.to_string();
                }
            }
            table.add_row(row);
        }
        for (i, w) in widths.iter().enumerate() {
            if let Some(column) = table.column_mut(i) {
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(
                    u16::try_from(*w).unwrap_or(u16::MAX),
                )));
            }
        }
        let mut long_cells = self
            .rows
            .iter()
            .filter(|r| overflows(r))
            .filter_map(|r| r.first());
        let mut lines = Vec::new();
        for line in table.lines() {
            match line.find(OVERFLOW_MARK) {
                Some(at) => {
                    if let Some(cell) = long_cells.next() {
                        for part in cell.lines() {
                            lines.push(format!(" {part}"));
                        }
                    }
                    let mut rest = line.clone();
                    rest.replace_range(at..at + OVERFLOW_MARK.len(), "");
                    lines.push(rest);
                }
                None => lines.push(line),
            }
        }
        self.finish(lines)
    }

    /// The widest column other than the first and the timelines: the one to
    /// print under its rows when the columns cannot stand side by side.
    fn column_to_hang(&self, widths: &[usize]) -> Option<usize> {
        (1..self.header.len())
            .filter(|&i| !self.header[i].starts_with("TIMELINE"))
            .max_by_key(|&i| (widths.get(i).copied().unwrap_or(0), std::cmp::Reverse(i)))
    }

    /// The table without column `n`, each row followed by its cell of `n`
    /// wrapped under an indent: for tables whose longest words cannot stand
    /// side by side within `width`.
    fn hanging(&self, n: usize, width: usize) -> String {
        let mut front = Rows::new(&[]);
        front.header = self.header.clone();
        front.header.remove(n);
        for row in &self.rows {
            let mut cells = row.clone();
            if n < cells.len() {
                cells.remove(n);
            }
            if let Some(first) = cells.first_mut() {
                first.insert_str(0, ROW_MARK);
            }
            front.push(cells);
        }
        let hang = |cell: &str| -> Vec<String> {
            let indent = "    ";
            let options = textwrap::Options::new(width)
                .initial_indent(indent)
                .subsequent_indent(indent)
                .break_words(false)
                .word_separator(textwrap::WordSeparator::AsciiSpace);
            if cell.trim().is_empty() {
                return Vec::new();
            }
            textwrap::wrap(cell, options)
                .iter()
                .map(|l| l.trim_end().to_string())
                .collect()
        };
        let title = self.header.get(n).cloned().unwrap_or_default();
        let mut lines = Vec::new();
        let mut cells = self
            .rows
            .iter()
            .map(|r| r.get(n).map_or("", String::as_str));
        let mut pending: Option<&str> = None;
        let mut header_done = false;
        for line in front.text_width(Some(width)).lines() {
            if let Some(at) = line.find(ROW_MARK) {
                if !header_done {
                    lines.extend(hang(&title));
                    header_done = true;
                }
                if let Some(cell) = pending.take() {
                    lines.extend(hang(cell));
                }
                pending = cells.next();
                let mut plain = line.to_string();
                plain.replace_range(at..at + ROW_MARK.len(), "");
                lines.push(plain);
            } else {
                lines.push(line.to_string());
            }
        }
        if let Some(cell) = pending {
            lines.extend(hang(cell));
        }
        self.finish(lines)
    }

    /// Each column's width within `width`, one space of padding each side
    /// included. Every column gets at least its longest word (a timeline its
    /// whole cells); the first column, where long names sit, no more than the
    /// others leave, nor more than two fifths of the width when they need more
    /// (longer first cells overflow); the rest of the width goes to the other
    /// columns, the least needy first, up to their whole cells.
    fn column_widths(&self, width: usize) -> Vec<usize> {
        let cells = |i: usize| {
            self.rows
                .iter()
                .filter_map(move |r| r.get(i))
                .chain(std::iter::once(&self.header[i]))
        };
        let whole: Vec<usize> = (0..self.header.len())
            .map(|i| cells(i).map(|c| width_of(c)).max().unwrap_or(0) + 2)
            .collect();
        let least: Vec<usize> = (0..self.header.len())
            .map(|i| {
                if self.header[i].starts_with("TIMELINE") {
                    whole[i]
                } else {
                    cells(i).map(|c| longest_word(c)).max().unwrap_or(0) + 2
                }
            })
            .collect();
        let mut widths = least.clone();
        let Some(first) = widths.first_mut() else {
            return widths;
        };
        let others_least: usize = least.iter().skip(1).sum();
        let others_whole: usize = whole.iter().skip(1).sum();
        let room = width.saturating_sub(others_least);
        let share = width.saturating_sub(others_whole).max(width * 2 / 5);
        *first = whole[0].min(room.min(share).max(MIN_FIRST_COLUMN + 2));
        // Water-fill the others from their least towards their whole width.
        let mut budget = width.saturating_sub(*first + others_least);
        let mut needy: Vec<usize> = (1..widths.len()).filter(|&i| whole[i] > least[i]).collect();
        needy.sort_by_key(|&i| whole[i] - least[i]);
        let mut left = needy.len();
        for i in needy {
            let give = (whole[i] - least[i]).min(budget / left.max(1));
            widths[i] += give;
            budget -= give;
            left -= 1;
        }
        widths
    }

    /// The rendered lines, trimmed, with `(none)` under an empty table.
    fn finish(&self, lines: Vec<String>) -> String {
        let mut out: String = lines
            .iter()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        if self.rows.is_empty() {
            out.push_str("(none)\n");
        }
        out
    }

    /// GitHub-flavoured markdown table (pipes escaped).
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| {
            let escaped: Vec<String> = cells
                .iter()
                .map(|c| c.replace('|', "\\|").replace('\n', " "))
                .collect();
            format!("| {} |\n", escaped.join(" | "))
        };
        let mut out = line(&self.header);
        out.push_str(&format!("|{}\n", "---|".repeat(self.header.len())));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// Display columns of a cell's widest line.
fn width_of(cell: &str) -> usize {
    cell.lines()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0)
}

/// Display columns of a cell's longest word (split at white space).
fn longest_word(cell: &str) -> usize {
    cell.split_whitespace()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0)
}

/// Wraps every line of `text` longer than `width` display columns at spaces
/// (a word longer than the line, such as a long path, stays whole), continuing under the line's own indentation plus two
/// spaces. Lines that fit, tables among them, are left as they are.
pub fn fit_lines(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent: String = body.chars().take_while(|c| *c == ' ').collect();
        // Continue under the indent plus two, or further left where the longest
        // word would not fit there whole.
        let room = width.saturating_sub(longest_word(body));
        let next = " ".repeat((indent.len() + 2).min(room));
        let options = textwrap::Options::new(width)
            .initial_indent(&indent)
            .subsequent_indent(&next)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        for piece in textwrap::wrap(body.trim_start_matches(' '), options) {
            out.push_str(piece.trim_end());
            out.push('\n');
        }
        if !line.ends_with('\n') {
            out.pop();
        }
    }
    out
}

/// `-` for a missing value.
pub fn or_dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_under_their_indent_and_tables_fit() {
        let text = format!("  {}\nshort\n", "word ".repeat(40));
        let fitted = fit_lines(&text, 30);
        assert!(fitted.lines().all(|l| l.chars().count() <= 30), "{fitted}");
        assert!(fitted
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("    word")));
        assert!(fitted.ends_with("short\n"));
        let mut rows = Rows::new(&["NAME", "NOTES"]);
        rows.push(vec!["a".repeat(10), "note ".repeat(40)]);
        assert!(rows.text().lines().all(|l| l.chars().count() <= TEXT_WIDTH));
        assert!(rows
            .text_width(None)
            .lines()
            .any(|l| l.chars().count() > TEXT_WIDTH));
    }

    #[test]
    fn paths_are_never_split() {
        let path = "Containerd.Namespaces.Containers";
        let mut rows = Rows::new(&["NAME", "SINCE", "NOTES"]);
        rows.push(vec![path.into(), "1.46".into(), "from schema ".repeat(12)]);
        let text = rows.text_width(Some(60));
        assert!(text.lines().any(|l| l.contains(path)), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
        // Too long for the room the others leave: whole, on its own line, with
        // its row's cells in their columns below.
        let long = "TaskTemplate.ContainerSpec.Privileges.CredentialSpec.Config";
        let mut rows = Rows::new(&["NAME", "SINCE", "NOTES"]);
        rows.push(vec!["Short".into(), "1.0".into(), "a".into()]);
        rows.push(vec![long.into(), "1.40".into(), "from schema".into()]);
        let text = rows.text_width(Some(40));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2].trim(), long, "{text}");
        let since = lines[0].find("SINCE").unwrap();
        assert_eq!(lines[3].find("1.40"), Some(since), "{text}");
        assert!(!text.contains(OVERFLOW_MARK));
        let long = format!("see {}", "a/".repeat(40));
        let fitted = fit_lines(&long, 30);
        assert!(fitted.contains(&"a/".repeat(40)), "{fitted}");
    }

    #[test]
    fn markdown_escapes_pipes() {
        let mut t = Rows::new(&["a", "b"]);
        t.push(vec!["x|y".into(), "z".into()]);
        assert_eq!(t.markdown(), "| a | b |\n|---|---|\n| x\\|y | z |\n");
        assert!(t.text().contains("x|y"));
    }
}
