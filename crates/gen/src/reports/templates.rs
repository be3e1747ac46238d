//! Loading `templates/*.hbs` into a strict handlebars registry with the helpers
//! the reports use. Files named `_*.hbs` are partials (`{{> provenance}}` for
//! `_provenance.md.hbs`); `NAME.md.hbs` renders report `NAME`. The site's
//! `templates/site/*.html.hbs` load the same way, HTML-escaped.

use std::path::Path;

use handlebars::{handlebars_helper, no_escape, Handlebars};
use serde::Serialize;

use crate::output::OutputError;

/// The report templates, ready to render.
pub struct Templates {
    registry: Handlebars<'static>,
    extension: &'static str,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

handlebars_helper!(cell: |s: str| s.replace('|', "\\|").replace('\n', " "));
handlebars_helper!(code: |s: str| if s.is_empty() {
    String::new()
} else {
    format!("`{}`", s.replace('|', "\\|"))
});
handlebars_helper!(anchor: |s: str| s
    .to_lowercase()
    .chars()
    .filter_map(|c| match c {
        'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
        ' ' => Some('-'),
        _ => None,
    })
    .collect::<String>());

impl Templates {
    /// Reads every `*.md.hbs` file of `dir` (markdown: nothing escaped).
    pub fn load(dir: &Path) -> Result<Self, OutputError> {
        Self::load_with(dir, "md")
    }

    /// Reads every `*.html.hbs` file of `dir` (HTML: values escaped).
    pub fn load_html(dir: &Path) -> Result<Self, OutputError> {
        Self::load_with(dir, "html")
    }

    fn load_with(dir: &Path, extension: &'static str) -> Result<Self, OutputError> {
        let read = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Read { path, source }
        };
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        if extension == "md" {
            registry.register_escape_fn(no_escape);
        }
        registry.register_helper("cell", Box::new(cell));
        registry.register_helper("code", Box::new(code));
        registry.register_helper("anchor", Box::new(anchor));
        let entries = std::fs::read_dir(dir).map_err(read(dir))?;
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(&format!(".{extension}.hbs")))
            })
            .collect();
        paths.sort();
        for path in paths {
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = file
                .trim_end_matches(".hbs")
                .trim_end_matches(extension)
                .trim_end_matches('.');
            let text = std::fs::read_to_string(&path).map_err(read(&path))?;
            let result = match name.strip_prefix('_') {
                Some(partial) => registry.register_partial(partial, text),
                None => registry.register_template_string(name, text),
            };
            result.map_err(|source| OutputError::Template {
                path: path.clone(),
                source: Box::new(source),
            })?;
        }
        Ok(Self {
            registry,
            extension,
        })
    }

    /// Renders template `NAME.md.hbs` (or `NAME.html.hbs`).
    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, OutputError> {
        let file = format!("{name}.{}.hbs", self.extension);
        if !self.registry.has_template(name) {
            return Err(OutputError::MissingTemplate(file));
        }
        self.registry
            .render(name, data)
            .map_err(|source| OutputError::Render {
                name: file,
                source: Box::new(source),
            })
    }
}
