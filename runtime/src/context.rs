//! Docker CLI contexts: which endpoint `DOCKER_CONTEXT` or the `currentContext` of
//! `config.json` selects, read from the CLI's context store under `$DOCKER_CONFIG`
//! (default `~/.docker`):
//!
//! - `contexts/meta/<sha256(name)>/meta.json`: `{"Name", "Endpoints": {"docker": {"Host", "SkipTLSVerify"}}}`
//! - `contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem`: TLS material, if any.
//!
//! Resolution follows the CLI: `DOCKER_HOST` wins (it means the `default` context), then
//! `DOCKER_CONTEXT`, then `currentContext`; `default` means "no context".

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::Error;

/// The endpoint a context selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEndpoint {
    /// Context name.
    pub name: String,
    /// `Host` of the `docker` endpoint (`unix://…`, `tcp://…`, `ssh://…`).
    pub host: String,
    /// Directory holding `ca.pem`, `cert.pem`, `key.pem` when the context has TLS files.
    pub tls_dir: Option<PathBuf>,
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(rename = "currentContext", default)]
    current_context: String,
}

#[derive(Deserialize)]
struct Meta {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Endpoints", default)]
    endpoints: std::collections::BTreeMap<String, Endpoint>,
}

#[derive(Deserialize)]
struct Endpoint {
    #[serde(rename = "Host", default)]
    host: String,
    #[serde(rename = "SkipTLSVerify", default)]
    skip_tls_verify: bool,
}

/// The Docker CLI's configuration directory: `$DOCKER_CONFIG`, else `$HOME/.docker`.
pub fn config_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("DOCKER_CONFIG")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".docker")))
}

/// The context the environment selects, or `None` for the default one (`DOCKER_HOST`
/// set, no context named, or the name `default`).
pub fn current_endpoint(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ContextEndpoint>, Error> {
    if env("DOCKER_HOST").is_some() {
        return Ok(None);
    }
    let Some(dir) = config_dir(env) else {
        return Ok(None);
    };
    let name = match env("DOCKER_CONTEXT") {
        Some(name) => name,
        None => {
            let path = dir.join("config.json");
            match std::fs::read(&path) {
                Ok(bytes) => {
                    serde_json::from_slice::<ConfigFile>(&bytes)
                        .map_err(|e| Error::Context {
                            path,
                            reason: format!("not a Docker CLI config file: {e}"),
                        })?
                        .current_context
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                Err(e) => {
                    return Err(Error::Context {
                        path,
                        reason: e.to_string(),
                    })
                }
            }
        }
    };
    if name.is_empty() || name == "default" {
        return Ok(None);
    }
    load(&dir, &name).map(Some)
}

/// The directory name of context `name` in the store: hex SHA-256 of the name.
pub fn store_id(name: &str) -> String {
    hex(&Sha256::digest(name.as_bytes()))
}

/// Reads context `name` from the store under `config_dir`.
pub fn load(config_dir: &Path, name: &str) -> Result<ContextEndpoint, Error> {
    let id = store_id(name);
    let path = config_dir
        .join("contexts")
        .join("meta")
        .join(&id)
        .join("meta.json");
    let bad = |reason: String| Error::Context {
        path: path.clone(),
        reason,
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        bad(if e.kind() == std::io::ErrorKind::NotFound {
            format!("context {name:?} does not exist")
        } else {
            e.to_string()
        })
    })?;
    let meta: Meta =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("not a context: {e}")))?;
    if meta.name != name {
        return Err(bad(format!("names context {:?}, not {name:?}", meta.name)));
    }
    let endpoint = meta
        .endpoints
        .get("docker")
        .filter(|e| !e.host.is_empty())
        .ok_or_else(|| bad(format!("context {name:?} has no docker endpoint host")))?;
    if endpoint.skip_tls_verify {
        return Err(bad(
            "SkipTLSVerify is not supported: this client always verifies the daemon".to_owned(),
        ));
    }
    let tls = config_dir
        .join("contexts")
        .join("tls")
        .join(&id)
        .join("docker");
    Ok(ContextEndpoint {
        name: name.to_owned(),
        host: endpoint.host.clone(),
        tls_dir: tls.join("ca.pem").exists().then_some(tls),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_context(dir: &Path, name: &str, host: &str) {
        let id = hex(&Sha256::digest(name.as_bytes()));
        let meta = dir.join("contexts/meta").join(id);
        std::fs::create_dir_all(&meta).unwrap();
        let json = serde_json::json!({"Name": name, "Metadata": {},
            "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}});
        std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
    }

    #[test]
    fn resolution_follows_the_cli() {
        let tmp = std::env::temp_dir().join(format!("dmxctx-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        write_context(&tmp, "remote", "tcp://10.0.0.1:2376");
        write_context(&tmp, "other", "unix:///other.sock");
        std::fs::write(tmp.join("config.json"), r#"{"currentContext":"remote"}"#).unwrap();
        let cfg = tmp.display().to_string();
        let env = |pairs: Vec<(&'static str, String)>| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
        };
        // currentContext of config.json
        let got = current_endpoint(&env(vec![("DOCKER_CONFIG", cfg.clone())])).unwrap();
        assert_eq!(got.map(|c| c.host), Some("tcp://10.0.0.1:2376".to_owned()));
        // DOCKER_CONTEXT beats it; DOCKER_HOST beats both; "default" is no context.
        let got = current_endpoint(&env(vec![
            ("DOCKER_CONFIG", cfg.clone()),
            ("DOCKER_CONTEXT", "other".into()),
        ]))
        .unwrap();
        assert_eq!(got.map(|c| c.host), Some("unix:///other.sock".to_owned()));
        let got = current_endpoint(&env(vec![
            ("DOCKER_CONFIG", cfg.clone()),
            ("DOCKER_CONTEXT", "other".into()),
            ("DOCKER_HOST", "unix:///x.sock".into()),
        ]))
        .unwrap();
        assert_eq!(got, None);
        let got = current_endpoint(&env(vec![
            ("DOCKER_CONFIG", cfg.clone()),
            ("DOCKER_CONTEXT", "default".into()),
        ]))
        .unwrap();
        assert_eq!(got, None);
        // A missing context is an error naming the file it looked for.
        let err = current_endpoint(&env(vec![
            ("DOCKER_CONFIG", cfg.clone()),
            ("DOCKER_CONTEXT", "nope".into()),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("\"nope\" does not exist"), "{err}");
        std::fs::write(tmp.join("config.json"), "{oops").unwrap();
        let err = current_endpoint(&env(vec![("DOCKER_CONFIG", cfg)])).unwrap_err();
        assert!(matches!(err, Error::Context { ref path, .. } if path.ends_with("config.json")));
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
