//! Rendering rows as a terminal table or a GitHub-flavoured markdown table.

use comfy_table::{presets, ContentArrangement, Table};

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

    /// Plain-text table for terminals (no wrapping, so output is stable).
    pub fn text(&self) -> String {
        let mut table = Table::new();
        table
            .load_preset(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.header.clone());
        for row in &self.rows {
            table.add_row(row.clone());
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

/// `-` for a missing value.
pub fn or_dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_pipes() {
        let mut t = Rows::new(&["a", "b"]);
        t.push(vec!["x|y".into(), "z".into()]);
        assert_eq!(t.markdown(), "| a | b |\n|---|---|\n| x\\|y | z |\n");
        assert!(t.text().contains("x|y"));
    }
}
