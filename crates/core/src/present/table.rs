//! Rendering rows as a terminal table or a GitHub-flavoured markdown table: the
//! one table renderer of the command line, the reports and the site.

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table, Width};

/// Columns a terminal table fits by default (`--wide` lifts the limit).
pub const TEXT_WIDTH: usize = 100;

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

    /// Plain-text table fitting `width` columns (cells wrap at spaces, long words
    /// are split; columns whose title starts with `TIMELINE` never wrap), or
    /// unwrapped with `None`. Output depends only on the rows and the width.
    pub fn text_width(&self, width: Option<usize>) -> String {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        match width {
            Some(w) => {
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(u16::try_from(w).unwrap_or(u16::MAX));
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        table.set_header(self.header.clone());
        for row in &self.rows {
            table.add_row(row.clone());
        }
        if width.is_some() {
            for (i, title) in self.header.iter().enumerate() {
                if title.starts_with("TIMELINE") {
                    let keep = self
                        .rows
                        .iter()
                        .filter_map(|r| r.get(i))
                        .map(|c| c.chars().count())
                        .max()
                        .unwrap_or(0)
                        .max(title.chars().count());
                    // The column width includes one space of padding each side.
                    if let Some(column) = table.column_mut(i) {
                        column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(
                            u16::try_from(keep + 2).unwrap_or(u16::MAX),
                        )));
                    }
                }
            }
        }
        let mut out: String = table
            .lines()
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

/// Wraps every line of `text` longer than `width` display columns at spaces
/// (long words split), continuing under the line's own indentation plus two
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
        let next = format!("{indent}  ");
        let options = textwrap::Options::new(width)
            .initial_indent(&indent)
            .subsequent_indent(&next)
            .break_words(true)
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
    fn markdown_escapes_pipes() {
        let mut t = Rows::new(&["a", "b"]);
        t.push(vec!["x|y".into(), "z".into()]);
        assert_eq!(t.markdown(), "| a | b |\n|---|---|\n| x\\|y | z |\n");
        assert!(t.text().contains("x|y"));
    }
}
