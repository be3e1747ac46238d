//! Handler-level version gates: a handler that refuses requests at some
//! requested versions before doing anything (`postContainersCopy` answers 404
//! from API 1.24 on, though the route stays registered until 25.0).

use crate::facts::{Operation, Refusal};
use crate::gates;
use crate::index::Index;

/// The refusal at the top of the operation's handler, if there is one.
pub fn of_handler(idx: &Index<'_>, op: &Operation) -> Option<Refusal> {
    let (Some(name), Some(at)) = (&op.handler, &op.handler_at) else {
        return None;
    };
    let dir = at.file.rsplit_once('/').map_or("", |(d, _)| d);
    idx.in_dir(dir, name).iter().find_map(|func| {
        let body = func.node.child_by_field_name("body")?;
        let (window, stmt) = gates::refusal(func.file, body)?;
        Some(Refusal {
            window,
            at: func.file.at(stmt),
        })
    })
}
