//! The size-over-time chart: operations, query parameters and body fields per
//! API version, as inline SVG computed at build time.

use std::fmt::Write;

use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::version::ApiVersion;

const WIDTH: usize = 720;
const HEIGHT: usize = 260;
const LEFT: usize = 48;
const BOTTOM: usize = 36;
const TOP: usize = 12;

/// Counts per version: (version, operations, query parameters, body fields or
/// `None` where the reference has no schemas).
pub fn counts(matrix: &Matrix) -> Vec<(ApiVersion, usize, usize, Option<usize>)> {
    matrix
        .api_versions
        .iter()
        .map(|&v| {
            let ops: Vec<_> = matrix
                .operations
                .iter()
                .filter(|o| o.lifecycle.supports(v))
                .collect();
            let query = ops
                .iter()
                .map(|o| o.query.iter().filter(|i| i.lifecycle.supports(v)).count())
                .sum();
            let tracked = matrix.fields_tracked_from.is_some_and(|t| v >= t);
            let fields = tracked.then(|| {
                ops.iter()
                    .map(|o| {
                        o.request_fields
                            .iter()
                            .chain(&o.response_fields)
                            .filter(|i| i.lifecycle.supports(v))
                            .count()
                    })
                    .sum()
            });
            (v, ops.len(), query, fields)
        })
        .collect()
}

/// The chart as an `<svg>` element with a title, axes, one polyline per series
/// (each with its own dash pattern, so it reads without colour) and a legend.
pub fn svg(matrix: &Matrix) -> String {
    let rows = counts(matrix);
    let n = rows.len().max(2);
    let max = rows
        .iter()
        .map(|r| r.1.max(r.2).max(r.3.unwrap_or(0)))
        .max()
        .unwrap_or(1)
        .max(1);
    let plot_w = WIDTH - LEFT - 8;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| LEFT + i * plot_w / (n - 1);
    let y = |c: usize| TOP + plot_h - c * plot_h / max;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title"><title id="chart-title">Operations, query parameters and body fields per API version</title>"#
    );
    let _ = write!(
        s,
        r#"<line class="axis" x1="{LEFT}" y1="{}" x2="{}" y2="{}"/><line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{}"/>"#,
        TOP + plot_h,
        WIDTH - 8,
        TOP + plot_h,
        TOP + plot_h
    );
    for tick in [0, max / 2, max] {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{tick}</text>"#,
            LEFT - 4,
            y(tick) + 4
        );
    }
    for (i, r) in rows.iter().enumerate() {
        if i % 6 == 0 || i + 1 == rows.len() {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                x(i),
                HEIGHT - BOTTOM + 16,
                r.0
            );
        }
    }
    let series: [(&str, Vec<Option<usize>>); 3] = [
        ("operations", rows.iter().map(|r| Some(r.1)).collect()),
        ("query parameters", rows.iter().map(|r| Some(r.2)).collect()),
        ("body fields", rows.iter().map(|r| r.3).collect()),
    ];
    for (k, (name, values)) in series.iter().enumerate() {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| format!("{},{}", x(i), y(c))))
            .collect();
        let _ = write!(
            s,
            r#"<polyline class="series s{k}" points="{}"><title>{name}</title></polyline>"#,
            points.join(" ")
        );
        let last = values.iter().rev().find_map(|c| *c).unwrap_or(0);
        let ly = TOP + 14 + k * 16;
        let _ = write!(
            s,
            r#"<line class="series s{k}" x1="{}" y1="{}" x2="{}" y2="{}"/><text x="{}" y="{}">{name} ({last} in {})</text>"#,
            LEFT + 12,
            ly - 4,
            LEFT + 40,
            ly - 4,
            LEFT + 46,
            ly,
            rows.last().map_or_else(String::new, |r| r.0.to_string())
        );
    }
    s.push_str("</svg>");
    s
}
