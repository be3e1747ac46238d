//! Line scanner: splits a reference page into front matter, title and heading
//! sections, and marks the lines inside fenced code blocks and HTML comments.

/// One line of the page (after errata), with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceLine {
    /// 1-based line number in the page file.
    pub no: usize,
    /// The text, without the line break.
    pub text: String,
    /// Inside a fenced code block (or is its ``` delimiter).
    pub fenced: bool,
    /// Is a ``` fence delimiter.
    pub fence_marker: bool,
    /// Inside an HTML comment (including its delimiter lines).
    pub commented: bool,
}

impl SourceLine {
    /// A plain line (classification is filled in by [`scan`]).
    pub fn new(no: usize, text: &str) -> Self {
        Self {
            no,
            text: text.to_string(),
            fenced: false,
            fence_marker: false,
            commented: false,
        }
    }

    /// Plain lines numbered from 1 (test input).
    #[cfg(test)]
    pub fn numbered(text: &str) -> Vec<Self> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Self::new(i + 1, t))
            .collect()
    }

    /// Number of leading spaces (a tab counts as four).
    pub fn indent(&self) -> usize {
        indent_of(&self.text)
    }

    /// Blank or white space only.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// An HTML comment delimiter line (`<!-- …` or `-->`), which carries no content.
    pub fn is_comment_delimiter(&self) -> bool {
        let t = self.text.trim();
        t.starts_with("<!--") || t.ends_with("-->")
    }
}

/// Leading white space width (a tab counts as four).
pub(crate) fn indent_of(text: &str) -> usize {
    let mut n = 0;
    for c in text.chars() {
        match c {
            ' ' => n += 1,
            '\t' => n += 4,
            _ => break,
        }
    }
    n
}

/// A heading and the lines up to the next heading of any level.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Line of the heading.
    pub line: usize,
    /// Number of `#`.
    pub level: usize,
    /// Heading text.
    pub title: String,
    /// The heading itself sits inside an HTML comment.
    pub commented: bool,
    /// Lines after the heading, up to the next heading.
    pub body: Vec<SourceLine>,
}

/// A scanned page.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// `title` from the front matter (`+++` TOML in `<!--[metadata]>` or `---` YAML).
    pub front_title: Option<(usize, String)>,
    /// Lines before the first heading (front matter excluded).
    pub preamble: Vec<SourceLine>,
    /// Every heading section, in page order.
    pub sections: Vec<Section>,
}

/// Splits the page text into lines numbered from 1.
pub(crate) fn split_lines(text: &str) -> Vec<SourceLine> {
    text.lines()
        .enumerate()
        .map(|(i, t)| SourceLine::new(i + 1, t.strip_suffix('\r').unwrap_or(t)))
        .collect()
}

/// Marks fenced and commented lines, strips the front matter and cuts the page at
/// its headings.
pub(crate) fn scan(mut lines: Vec<SourceLine>) -> Page {
    let (front_title, body_start) = front_matter(&lines);
    mark(&mut lines);
    let mut preamble = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for line in lines.into_iter().skip(body_start) {
        if let Some((level, title)) = heading(&line) {
            sections.push(Section {
                line: line.no,
                level,
                title,
                commented: line.commented,
                body: Vec::new(),
            });
        } else if let Some(current) = sections.last_mut() {
            current.body.push(line);
        } else {
            preamble.push(line);
        }
    }
    Page {
        front_title,
        preamble,
        sections,
    }
}

/// The front matter's title and the index of the first line after it.
fn front_matter(lines: &[SourceLine]) -> (Option<(usize, String)>, usize) {
    let Some(first) = lines.iter().position(|l| !l.is_blank()) else {
        return (None, 0);
    };
    let opening = lines.get(first).map(|l| l.text.trim()).unwrap_or_default();
    let closing: fn(&str) -> bool = if opening == "---" {
        |t| t == "---"
    } else if opening.starts_with("<!--[metadata]>") {
        |t| t.starts_with("<![end-metadata]-->")
    } else {
        return (None, 0);
    };
    let mut title = None;
    for (i, line) in lines.iter().enumerate().skip(first + 1) {
        let t = line.text.trim();
        if closing(t) {
            return (title, i + 1);
        }
        if title.is_none() {
            title = front_matter_title(t).map(|v| (line.no, v));
        }
    }
    // Unterminated front matter: treat the whole page as body.
    (None, 0)
}

/// `title = "…"` (TOML) or `title: "…"` (YAML).
fn front_matter_title(line: &str) -> Option<String> {
    let rest = line.strip_prefix("title")?.trim_start();
    let value = rest
        .strip_prefix('=')
        .or_else(|| rest.strip_prefix(':'))?
        .trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    Some(unquoted.to_string())
}

/// Sets `fenced`, `fence_marker` and `commented`.
fn mark(lines: &mut [SourceLine]) {
    let mut in_fence = false;
    let mut in_comment = false;
    for line in lines.iter_mut() {
        let t = line.text.trim();
        line.commented = in_comment;
        if line.indent() < 4 && t.starts_with("```") {
            line.fence_marker = true;
            line.fenced = true;
            in_fence = !in_fence;
            continue;
        }
        line.fenced = in_fence;
        if in_fence {
            continue;
        }
        if !in_comment && t.starts_with("<!--") {
            in_comment = true;
        }
        line.commented = in_comment;
        if in_comment && t.ends_with("-->") {
            in_comment = false;
        }
    }
}

/// `## Title` outside code: level and text.
fn heading(line: &SourceLine) -> Option<(usize, String)> {
    if line.fenced || line.indent() > 0 {
        return None;
    }
    let t = line.text.trim_end();
    let level = t.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = t.get(level..)?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim();
    (!title.is_empty()).then(|| (level, title.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_toml_front_matter_and_headings() {
        let page = scan(split_lines(
            "<!--[metadata]>\n+++\ntitle = \"Remote API v1.3\"\n+++\n<![end-metadata]-->\n\n# Docker Remote API v1.3\n\n## 2.1 Containers\n\n### List\n\n`GET /x`\n",
        ));
        assert_eq!(page.front_title, Some((3, "Remote API v1.3".into())));
        let titles: Vec<_> = page
            .sections
            .iter()
            .map(|s| (s.level, s.title.as_str()))
            .collect();
        assert_eq!(
            titles,
            [
                (1, "Docker Remote API v1.3"),
                (2, "2.1 Containers"),
                (3, "List")
            ]
        );
        assert_eq!(page.sections[2].line, 11);
        assert!(page.sections[2].body.iter().any(|l| l.text == "`GET /x`"));
    }

    #[test]
    fn scans_yaml_front_matter() {
        let page = scan(split_lines(
            "---\ntitle: \"Engine API v1.24\"\n---\n\n## 1. Intro\n",
        ));
        assert_eq!(page.front_title, Some((2, "Engine API v1.24".into())));
        assert_eq!(page.sections.len(), 1);
    }

    #[test]
    fn fences_and_comments_are_marked_and_hide_headings() {
        let page = scan(split_lines(
            "# T\n```\n# not a heading\nPOST /x HTTP/1.1\n```\n<!-- TODO\n#### Hidden\n`POST /y`\n-->\nafter\n",
        ));
        assert_eq!(page.sections.len(), 2);
        let t = &page.sections[0];
        assert!(t.body.iter().filter(|l| l.fenced).count() == 4);
        let hidden = &page.sections[1];
        assert_eq!(hidden.title, "Hidden");
        assert!(hidden.commented);
        let after = hidden.body.iter().find(|l| l.text == "after").unwrap();
        assert!(!after.commented);
        assert!(
            hidden
                .body
                .iter()
                .find(|l| l.text == "-->")
                .unwrap()
                .commented
        );
    }
}
