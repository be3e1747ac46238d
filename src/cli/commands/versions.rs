//! `dockmatrix versions`.

use serde::Serialize;

use crate::cli::table::Rows;
use crate::cli::{Failure, Format};
use crate::corpus::Corpus;
use crate::ingest::SpecFormat;
use crate::model::releases::builtin_releases;

#[derive(Serialize)]
struct VersionRow {
    version: String,
    file: String,
    format: &'static str,
    docker_releases: Vec<String>,
}

/// Lists API versions with their document and the Docker releases whose newest API it is.
pub fn versions(corpus: &Corpus, format: Format) -> Result<String, Failure> {
    let releases = builtin_releases()?;
    let rows: Vec<VersionRow> = corpus
        .entries
        .iter()
        .map(|e| VersionRow {
            version: e.version.to_string(),
            file: e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: match e.format {
                SpecFormat::Swagger => "swagger",
                SpecFormat::Markdown => "markdown",
            },
            docker_releases: releases
                .iter()
                .filter(|r| r.max_api == e.version)
                .map(|r| r.docker.clone())
                .collect(),
        })
        .collect();
    if format == Format::Json {
        return super::json(&rows);
    }
    let mut table = Rows::new(&["API", "DOCUMENT", "FORMAT", "DOCKER RELEASES (newest API)"]);
    for r in &rows {
        table.push(vec![
            r.version.clone(),
            r.file.clone(),
            r.format.to_string(),
            r.docker_releases.join(", "),
        ]);
    }
    Ok(if format == Format::Md {
        table.markdown()
    } else {
        table.text()
    })
}
