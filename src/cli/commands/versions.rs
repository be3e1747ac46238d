//! `dockmatrix versions`.

use serde::Serialize;

use crate::cli::data::Data;
use crate::cli::{Failure, Format};
use dockmatrix_core::ingest::SpecFormat;
use dockmatrix_core::present::table::Rows;

#[derive(Serialize)]
struct VersionRow {
    version: String,
    file: String,
    format: &'static str,
    docker_releases: Vec<String>,
    /// The same releases with the oldest API version each still accepts.
    releases: Vec<ReleaseRow>,
}

#[derive(Serialize)]
struct ReleaseRow {
    docker: String,
    min_api: String,
}

/// Lists API versions with their document and the Docker releases whose newest API it is.
pub fn versions(data: &Data, format: Format, width: Option<usize>) -> Result<String, Failure> {
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
            releases: releases
                .iter()
                .filter(|r| r.max_api == e.version)
                .map(|r| ReleaseRow {
                    docker: r.docker.clone(),
                    min_api: r.min_api.to_string(),
                })
                .collect(),
        })
        .collect();
    if format == Format::Json {
        return super::json(&rows);
    }
    let mut table = Rows::new(&[
        "API",
        "DOCUMENT",
        "FORMAT",
        "DOCKER RELEASES (newest API) AND THE MINIMUM API EACH ACCEPTS",
    ]);
    for r in &rows {
        let releases: Vec<String> = r
            .releases
            .iter()
            .map(|x| format!("{} (min {})", x.docker, x.min_api))
            .collect();
        table.push(vec![
            r.version.clone(),
            r.file.clone(),
            r.format.to_string(),
            releases.join(", "),
        ]);
    }
    Ok(if format == Format::Md {
        table.markdown()
    } else {
        table.text_width(width)
    })
}
