//! Text and markdown renderings of [`CheckReport`] and [`Comparison`].

use crate::analysis::usage::check::{CallReport, CheckReport, ReleaseReport, Risk};
use crate::analysis::usage::compare::Comparison;
use crate::present::table::{or_dash, Rows};

/// Markdown or plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text for terminals: tables fit this many columns (`None`: unwrapped).
    Text(Option<usize>),
    /// GitHub-flavoured markdown; headings start at this level (`##` = 2).
    Markdown(usize),
}

impl Style {
    fn heading(self, extra: usize, title: &str) -> String {
        match self {
            Self::Text(_) => format!("{title}\n"),
            Self::Markdown(level) => format!("{} {title}\n", "#".repeat(level + extra)),
        }
    }

    fn table(self, rows: &Rows) -> String {
        match self {
            Self::Text(width) => rows.text_width(width),
            Self::Markdown(_) => rows.markdown(),
        }
    }

    fn code(self, s: &str) -> String {
        match self {
            Self::Text(_) => s.to_string(),
            Self::Markdown(_) => format!("`{s}`"),
        }
    }

    fn bullet(self) -> &'static str {
        match self {
            Self::Text(_) => "  ",
            Self::Markdown(_) => "- ",
        }
    }
}

/// Renders a check report.
pub fn check_report(r: &CheckReport, style: Style) -> String {
    let mut out = style.heading(
        0,
        &format!("{} {} — API usage check", r.consumer, r.consumer_version),
    );
    out.push('\n');
    let b = style.bullet();
    out.push_str(&format!(
        "{b}client: {}, {} requests\n{b}target: {}\n{b}witness: {}\n{b}result: {}\n",
        style.code(&r.client_library),
        r.request_version,
        r.target.explanation,
        r.target.witness,
        verdict_text(r, style),
    ));
    out.push_str(&call_notes(r, style));
    out.push('\n');
    out.push_str(&style.heading(1, "Calls"));
    out.push('\n');
    out.push_str(&style.table(&calls_table(r, style)));
    out.push('\n');
    out.push_str(&style.heading(1, "Floors"));
    out.push('\n');
    out.push_str(&floors_text(r, style));
    out.push_str(&style.heading(1, "Docker releases"));
    out.push('\n');
    out.push_str(&format!("{}\n\n", releases_intro(r)));
    for run in release_runs(&r.releases) {
        out.push_str(&format!("{b}{run}\n"));
    }
    out.push('\n');
    out.push_str(&style.heading(1, &format!("Changes after API {}", r.risks_after)));
    out.push('\n');
    out.push_str(&risks_text(r, style));
    out
}

/// The one-line verdict: compatible, or which calls are not served and why.
fn verdict_text(r: &CheckReport, style: Style) -> String {
    let unsupported: Vec<String> = r
        .calls
        .iter()
        .filter(|c| !c.supported)
        .map(|c| style.code(&format!("{} {}", c.method, c.path)))
        .collect();
    let verdict = if let Some(why) = &r.below_declared_minimum {
        format!("**incompatible**: {why}")
    } else if r.compatible {
        format!(
            "**compatible**: all {} calls are served at API {}",
            r.calls.len(),
            or_dash(r.target.api)
        )
    } else {
        format!(
            "**incompatible**: {} of {} calls are not served: {}",
            unsupported.len(),
            r.calls.len(),
            unsupported.join(", ")
        )
    };
    if matches!(style, Style::Text(_)) {
        verdict.replace("**", "")
    } else {
        verdict
    }
}

/// Bullets for what is not a failure but worth knowing: unverified items,
/// parameters sent only with their zero value, experimental ones.
fn call_notes(r: &CheckReport, style: Style) -> String {
    let b = style.bullet();
    let listed = |pick: fn(&CallReport) -> &Vec<String>| -> Vec<String> {
        r.calls
            .iter()
            .flat_map(|c| pick(c).iter().map(|x| style.code(x)))
            .collect()
    };
    let mut out = String::new();
    let unverified = listed(|c| &c.unverified);
    if !unverified.is_empty() {
        out.push_str(&format!(
            "{b}unverified: {} (no witness can tell whether the target has them: documented first on a later page or by example only, or read by the code under a condition the reader cannot resolve; `--strict` fails on these)\n",
            unverified.join(", ")
        ));
    }
    let zero_only = listed(|c| &c.zero_only);
    if !zero_only.is_empty() {
        out.push_str(&format!(
            "{b}sent with their zero value only, which a daemon lacking them reads as absent (not counted): {}\n",
            zero_only.join(", ")
        ));
    }
    let served = listed(|c| &c.served_undocumented);
    if !served.is_empty() {
        out.push_str(&format!(
            "{b}served, undocumented: {} (the release's code serves them at this API version though the documents do not have them there; the code decides)\n",
            served.join(", ")
        ));
    }
    let ignored = listed(|c| &c.ignored);
    if !ignored.is_empty() {
        out.push_str(&format!(
            "{b}ignored by the daemon: {} (listed as undocumented; the release's code does not read them at this API version, so they have no effect; not counted)\n",
            ignored.join(", ")
        ));
    }
    let returned = listed(|c| &c.returned_undocumented);
    if !returned.is_empty() {
        out.push_str(&format!(
            "{b}returned, undocumented: {} (response fields the documents have before and after this API version but not at it; a warning, not counted)\n",
            returned.join(", ")
        ));
    }
    let experimental = listed(|c| &c.experimental);
    if !experimental.is_empty() {
        out.push_str(&format!(
            "{b}experimental: {} (needs a daemon started with experimental features at the target)\n",
            experimental.join(", ")
        ));
    }
    out
}

/// One row per call: whether the target serves it and its lifecycle.
fn calls_table(r: &CheckReport, style: Style) -> Rows {
    let mut rows = Rows::new(&[
        "CALL",
        "SUPPORTED",
        "SINCE",
        "REMOVED IN",
        "DEPRECATED IN",
        "FLOOR",
        "MISSING AT TARGET",
    ]);
    for c in &r.calls {
        let supported = match (
            c.supported,
            c.unverified.is_empty(),
            c.experimental.is_empty(),
        ) {
            (false, _, _) => "NO",
            (true, false, _) => "unverified",
            (true, true, false) => "experimental",
            (true, true, true) => "yes",
        };
        rows.push(vec![
            style.code(&format!("{} {}", c.method, c.path)),
            supported.into(),
            or_dash(c.since),
            or_dash(c.removed_in),
            or_dash(c.deprecated_in),
            or_dash(c.floor),
            c.missing.join(", "),
        ]);
    }
    rows
}

/// The endpoint floor and the declared floor, with where each comes from.
fn floors_text(r: &CheckReport, style: Style) -> String {
    let b = style.bullet();
    let docker = r
        .declared_docker
        .as_deref()
        .map(|d| format!(" (Docker {d})"))
        .unwrap_or_default();
    format!(
        "{b}endpoint floor: API {} (lowest version serving every call, parameter and field listed)\n\
         {b}declared floor: API {}{docker}{}\n\n{}\n\n",
        or_dash(r.endpoint_floor),
        r.declared_floor,
        r.declared_source
            .as_deref()
            .map(|s| format!(", source: {s}"))
            .unwrap_or_default(),
        r.floor_explanation
    )
}

fn releases_intro(r: &CheckReport) -> String {
    if r.request_version == "unversioned" {
        "Requests are unversioned, so every daemon answers them at its own newest (max) API version; \
         a daemon's minimum API never refuses them. A release serves the consumer when its max API has every call."
            .to_string()
    } else if r.request_version == "negotiated" {
        "The client negotiates: it asks each daemon and sends that daemon's newest (max) API version. \
         A release serves the consumer when its max API has every call."
            .to_string()
    } else {
        format!(
            "Requests are pinned to API {v}: a release serves them only if its min API ≤ {v} ≤ its max API \
             (a release whose minimum API is above {v} refuses them), and then answers at {v}.",
            v = r.request_version
        )
    }
}

/// Consecutive releases with the same verdict, as `first … last (max API a–b): verdict`.
fn release_runs(releases: &[ReleaseReport]) -> Vec<String> {
    let mut runs: Vec<Vec<&ReleaseReport>> = Vec::new();
    for rel in releases {
        match runs.last_mut() {
            Some(run)
                if run.last().is_some_and(|l| {
                    l.serves == rel.serves && l.request_api.is_some() == rel.request_api.is_some()
                }) =>
            {
                run.push(rel)
            }
            _ => runs.push(vec![rel]),
        }
    }
    runs.iter()
        .filter_map(|run| {
            let (first, last) = (run.first()?, run.last()?);
            let names = if run.len() == 1 {
                format!("Docker {}", first.docker)
            } else {
                format!(
                    "Docker {} … {} ({} releases)",
                    first.docker,
                    last.docker,
                    run.len()
                )
            };
            let apis = format!("max API {}–{}", first.max_api, last.max_api);
            Some(if last.serves {
                format!("{names}, {apis}: serve it")
            } else {
                format!(
                    "{names}, {apis}: cannot serve it (e.g. Docker {}: {})",
                    last.docker, last.reason
                )
            })
        })
        .collect()
}

fn risks_text(r: &CheckReport, style: Style) -> String {
    let mut out = String::new();
    if r.risks.is_empty() {
        out.push_str("No parameter, field or operation of the calls changed.\n");
        return out;
    }
    let tracked = r
        .fields_tracked_from
        .map(|t| format!(" Body fields before API {t} come from the markdown pages' parameter lists and examples; a field first documented where an older page cannot tell is not listed as added."))
        .unwrap_or_default();
    out.push_str(&format!(
        "{} changes to the called operations after API {} (what a newer daemon may answer differently).{tracked}\n\n",
        r.risks.len(),
        r.risks_after
    ));
    let mut rows = Rows::new(&["VERSION", "CALL", "CHANGE", "KIND", "NAMES", "USED"]);
    for group in group_risks(&r.risks) {
        rows.push(risk_row(&group, style));
    }
    out.push_str(&style.table(&rows));
    out
}

/// Risks sharing version, call, change and kind, with their names together.
fn group_risks(risks: &[Risk]) -> Vec<Vec<&Risk>> {
    let mut groups: Vec<Vec<&Risk>> = Vec::new();
    for risk in risks {
        match groups.last_mut() {
            Some(g)
                if g.first().is_some_and(|f| {
                    (f.version, &f.method, &f.path, f.change, f.kind)
                        == (
                            risk.version,
                            &risk.method,
                            &risk.path,
                            risk.change,
                            risk.kind,
                        )
                }) =>
            {
                g.push(risk);
            }
            _ => groups.push(vec![risk]),
        }
    }
    groups
}

fn risk_row(group: &[&Risk], style: Style) -> Vec<String> {
    let Some(first) = group.first() else {
        return Vec::new();
    };
    let all: Vec<String> = group
        .iter()
        .filter(|r| !r.name.is_empty())
        .map(|r| r.name.clone())
        .collect();
    let (shown, hidden) = collapse_nested(&all);
    let mut names: Vec<String> = shown.iter().map(|n| style.code(n)).collect();
    if hidden > 0 {
        names.push(format!("(+{hidden} nested)"));
    }
    let used: Vec<String> = group
        .iter()
        .filter(|r| r.used && !r.name.is_empty())
        .map(|r| style.code(&r.name))
        .collect();
    vec![
        first.version.to_string(),
        style.code(&format!("{} {}", first.method, first.path)),
        first.change.to_string(),
        first.kind.to_string(),
        names.join(", "),
        used.join(", "),
    ]
}

/// Drops the names nested under another name of the list (`A.b` under `A`,
/// `A[].b` under `A`): a new object lists all its fields. Returns the kept names
/// and how many were dropped.
pub fn collapse_nested(names: &[String]) -> (Vec<&str>, usize) {
    let nested = |name: &str| {
        names.iter().any(|o| {
            name.strip_prefix(o.as_str())
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    };
    let kept: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !nested(n))
        .collect();
    let dropped = names.len() - kept.len();
    (kept, dropped)
}

/// Renders a comparison.
pub fn comparison(c: &Comparison, style: Style) -> String {
    let mut out = style.heading(0, &format!("{} → {}: calls", c.from, c.to));
    out.push('\n');
    for (title, calls) in [("added", &c.added), ("removed", &c.removed)] {
        if calls.is_empty() {
            out.push_str(&format!("{title}: none\n\n"));
            continue;
        }
        out.push_str(&format!("{title} ({}):\n", calls.len()));
        if !matches!(style, Style::Text(_)) {
            out.push('\n');
        }
        for call in calls.iter() {
            out.push_str(&format!(
                "{}{}\n",
                style.bullet(),
                style.code(&format!("{} {}", call.method, call.path))
            ));
        }
        out.push('\n');
    }
    if !c.changed.is_empty() {
        out.push_str(&format!("changed ({}):\n", c.changed.len()));
        if !matches!(style, Style::Text(_)) {
            out.push('\n');
        }
        for change in &c.changed {
            let shown = |items: &[String]| {
                items
                    .iter()
                    .map(|i| style.code(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut parts = Vec::new();
            if !change.added.is_empty() {
                parts.push(format!("adds {}", shown(&change.added)));
            }
            if !change.removed.is_empty() {
                parts.push(format!("drops {}", shown(&change.removed)));
            }
            out.push_str(&format!(
                "{}{}: {}\n",
                style.bullet(),
                style.code(&format!("{} {}", change.call.method, change.call.path)),
                parts.join("; ")
            ));
        }
        out.push('\n');
    }
    out
}

/// GitHub Actions workflow commands for a check: an `::error` annotation at the
/// manifest line of each call the target cannot serve, a `::warning` for each
/// call with unverified or experimental items, then a `::notice` with the verdict.
/// Properties and messages are escaped as the runner expects.
pub fn github_annotations(r: &CheckReport, manifest: &str) -> String {
    let file = escape_property(manifest);
    let at = |line: Option<usize>| match line {
        Some(l) => format!("file={file},line={l}"),
        None => format!("file={file}"),
    };
    let target = match (&r.target.docker, r.target.api) {
        (Some(d), Some(v)) => format!("Docker {d} (API {v})"),
        (Some(d), None) => format!("Docker {d}"),
        (None, Some(v)) => format!("API {v}"),
        (None, None) => "the target".to_string(),
    };
    let mut out = String::new();
    for c in &r.calls {
        let call = format!("{} {}", c.method, c.path);
        let findings = [
            (
                !c.supported,
                "error",
                "not served",
                format!("{call}: missing {}", c.missing.join(", ")),
            ),
            (
                !c.unverified.is_empty(),
                "warning",
                "unverified",
                format!(
                    "{call}: no witness can tell whether {} exist here",
                    c.unverified.join(", ")
                ),
            ),
            (
                !c.served_undocumented.is_empty(),
                "warning",
                "served, undocumented",
                format!(
                    "{call}: the release's code serves {} though the documents do not have them at this API version",
                    c.served_undocumented.join(", ")
                ),
            ),
            (
                !c.returned_undocumented.is_empty(),
                "warning",
                "returned, undocumented",
                format!(
                    "{call}: reads {}, which the documents omit at this API version (they have it before and after)",
                    c.returned_undocumented.join(", ")
                ),
            ),
            (
                !c.experimental.is_empty(),
                "warning",
                "experimental",
                format!(
                    "{call}: needs a daemon with experimental features ({})",
                    c.experimental.join(", ")
                ),
            ),
        ];
        for (_, level, what, message) in findings.iter().filter(|f| f.0) {
            out.push_str(&format!(
                "::{level} {},title={}::{}\n",
                at(c.line),
                escape_property(&format!("dockmatrix: {what} at {target}")),
                escape_data(message)
            ));
        }
    }
    if let Some(reason) = &r.below_declared_minimum {
        out.push_str(&format!(
            "::error {},title={}::{}\n",
            at(r.declared_line),
            escape_property(&format!(
                "dockmatrix: below the declared minimum at {target}"
            )),
            escape_data(reason)
        ));
    }
    let verdict = if r.compatible {
        "compatible"
    } else {
        "incompatible"
    };
    let mut summary = format!(
        "{} {} at {}: {verdict}",
        r.consumer, r.consumer_version, target
    );
    if let Some(reason) = &r.below_declared_minimum {
        summary.push_str(&format!(" ({reason})"));
    }
    out.push_str(&format!(
        "::notice file={file}::{}\n",
        escape_data(&summary)
    ));
    out
}

/// Escapes a workflow command's message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
