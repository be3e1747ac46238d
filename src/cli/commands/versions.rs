//! `dockmatrix versions`.

use serde::Serialize;

use crate::cli::data::Data;
use crate::cli::table::Rows;
use crate::cli::{Failure, Format};
use crate::ingest::SpecFormat;

#[derive(Serialize)]
struct VersionRow {
    version: String,
    file: String,
    format: &'static str,
    docker_releases: Vec<String>,
}

/// Lists API versions with their document and the Docker releases whose newest API it is.
pub fn versions(data: &Data, format: Format) -> Result<String, Failure> {
    let releases = data.matrix()?.releases;
    let rows: Vec<VersionRow> = data
        .documents()?
        .into_iter()
        .map(|e| VersionRow {
            version: e.version.to_string(),
            file: e.file,
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
