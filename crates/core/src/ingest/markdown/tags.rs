//! The Swagger tag of an operation, derived from its path the way the v1.25 Swagger
//! document assigns them (`/containers/{id}/exec` is `Exec`, `/build` is `Image` …).

/// The tag for a normalized path, or `None` when the first path segment is unknown
/// (which the caller reports: a new resource family needs a deliberate decision).
pub(crate) fn tag_for(path: &str) -> Option<&'static str> {
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or_default();
    let rest: Vec<&str> = segments.collect();
    Some(match first {
        "containers" if rest.last() == Some(&"exec") => "Exec",
        "containers" => "Container",
        "images" | "build" | "commit" => "Image",
        "auth" | "info" | "version" | "_ping" | "events" | "system" => "System",
        "exec" => "Exec",
        "volumes" => "Volume",
        "networks" => "Network",
        "plugins" => "Plugin",
        "nodes" => "Node",
        "swarm" => "Swarm",
        "services" => "Service",
        "tasks" => "Task",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_v1_25_swagger_document() {
        for (path, tag) in [
            ("/containers/json", "Container"),
            ("/containers/{id}/exec", "Exec"),
            ("/containers/{id}/attach/ws", "Container"),
            ("/exec/{id}/start", "Exec"),
            ("/build", "Image"),
            ("/commit", "Image"),
            ("/images/{name}/insert", "Image"),
            ("/_ping", "System"),
            ("/auth", "System"),
            ("/events", "System"),
            ("/volumes/{name}", "Volume"),
            ("/networks/{id}/connect", "Network"),
            ("/plugins/{name}/push", "Plugin"),
            ("/nodes/{id}/update", "Node"),
            ("/swarm/init", "Swarm"),
            ("/services/create", "Service"),
            ("/tasks/{id}", "Task"),
        ] {
            assert_eq!(tag_for(path), Some(tag), "{path}");
        }
        assert_eq!(tag_for("/unknown"), None);
    }
}
