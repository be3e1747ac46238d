//! A call judged by a release's own server code: the operation must be
//! *routed* and each listed query parameter *read* at the requested version.
//! Where the documents disagree, the code decides and both are shown: what the
//! code serves that the documents lack there is *served, undocumented*; what
//! the documents have that the code does not serve is missing, with the file
//! and line that show it.

use super::check::Assessment;
use super::validate::ResolvedCall;
use crate::analysis::witnesses::documented;
use crate::analysis::{OperationHistory, Support};
use crate::model::served::{Honour, ParamServed, ServedOperation, ServedRelease};
use crate::version::ApiVersion;

/// The routed operation at `v`, or `None` with the reason in `out.missing`.
pub(super) fn operation<'r>(
    op: &OperationHistory,
    release: &'r ServedRelease,
    v: ApiVersion,
    out: &mut Assessment,
) -> Option<&'r ServedOperation> {
    let Some(routed) = release.routed(&op.key(), v) else {
        let why = match release.operation(&op.key()) {
            Some(o) => format!("routed at {} only for requested API {}", o.at, o.requested),
            None => format!("no route in {}'s server code", release.tag),
        };
        out.missing.push(format!("{} ({why})", op.display()));
        return None;
    };
    if let Some((refused, at)) = routed.refused.as_ref().filter(|(r, _)| r.contains(v)) {
        out.missing.push(format!(
            "{} (routed at {}, but its handler refuses requested API {refused} at {at})",
            op.display(),
            routed.at
        ));
        return None;
    }
    if !op.lifecycle.supports(v) {
        out.served_undocumented.push(format!(
            "{} (routed at {}; {})",
            op.display(),
            routed.at,
            documented(&op.lifecycle)
        ));
    }
    if routed.experimental || op.lifecycle.experimental_at(v) {
        out.experimental.push(op.display());
    }
    Some(routed)
}

/// Each listed query parameter as the handler reads it at `v`; the parameters
/// the manifest lists as undocumented are reported, never failed.
pub(super) fn query(
    call: &ResolvedCall,
    op: &OperationHistory,
    routed: &ServedOperation,
    v: ApiVersion,
    out: &mut Assessment,
) {
    for name in &call.undocumented.query {
        let shown = format!("{} ?{name}", op.display());
        match routed.param(name, v) {
            ParamServed::Read(at, Some(h)) if !h.honoured => {
                out.ignored.push(format!("{shown} ({})", unused(&at, &h)));
            }
            ParamServed::Read(at, honour) => out.served_undocumented.push(format!(
                "{shown} (read at {at}{}; never documented)",
                level(honour.as_ref())
            )),
            ParamServed::Unresolved(_) | ParamServed::NotShown(_) => {}
            ParamServed::ElsewhereOnly(at, range) => out.ignored.push(format!(
                "{shown} (read at {at} only for requested API {range})"
            )),
            ParamServed::NotRead => out
                .ignored
                .push(format!("{shown} (not read by {})", routed.handler_text())),
        }
    }
    for name in &call.query {
        let shown = format!("{} ?{name}", op.display());
        let item = op.query.iter().find(|i| &i.name == name);
        let documented_here = item.map(|i| i.lifecycle.support_at(v)) == Some(Support::Yes);
        match routed.param(name, v) {
            ParamServed::Read(at, Some(h)) if !h.honoured => {
                out.missing.push(format!("{shown} ({})", unused(&at, &h)));
            }
            ParamServed::Read(at, honour) => {
                if !documented_here {
                    let docs =
                        item.map_or("never documented".to_string(), |i| documented(&i.lifecycle));
                    out.served_undocumented.push(format!(
                        "{shown} (read at {at}{}; {docs})",
                        level(honour.as_ref())
                    ));
                } else if item.is_some_and(|i| i.lifecycle.experimental_at(v)) {
                    out.experimental.push(shown);
                }
            }
            ParamServed::Unresolved(at) => out.unverified.push(format!(
                "{shown} (read at {at} under a version condition the reader cannot resolve)"
            )),
            ParamServed::NotShown(at) => out.unverified.push(format!(
                "{shown} (not read by name; {} reads a parameter named at run time, {at})",
                routed.handler_text()
            )),
            ParamServed::ElsewhereOnly(at, range) => out.missing.push(format!(
                "{shown} (read at {at} only for requested API {range})"
            )),
            ParamServed::NotRead => out.missing.push(format!(
                "{shown} (not read by {}: the daemon ignores it)",
                routed.handler_text()
            )),
        }
    }
}

/// `read at X into T.F, never used by its consumer Y`.
fn unused(at: &str, h: &Honour) -> String {
    format!("read at {at} {}", h.text())
}

/// `, honoured at file:line` or `, effect not shown` (the consumer of the value
/// is not in the corpus).
fn level(honour: Option<&Honour>) -> String {
    honour.map_or(", effect not shown".into(), |h| format!(" {}", h.text()))
}
