//! Registry credentials as the Docker CLI finds them, sent as `X-Registry-Auth` on
//! image pull (`ImageCreate` with `fromImage`), push and service create/update:
//! `credHelpers[registry]`, else `credsStore` (a `docker-credential-<name>` program on
//! `PATH`, asked with `get`), else `auths[registry]` of `config.json`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Key of Docker Hub in `config.json` and in credential helpers.
pub const DOCKER_HUB: &str = "https://index.docker.io/v1/";

/// Credentials for one registry (the JSON the daemon decodes from `X-Registry-Auth`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegistryAuth {
    /// User name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub username: String,
    /// Password or token.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub password: String,
    /// Registry address as written in the configuration.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub serveraddress: String,
    /// OAuth identity token (helpers answer it with user name `<token>`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub identitytoken: String,
}

impl RegistryAuth {
    /// The `X-Registry-Auth` value: URL-safe base64 of the JSON, as the CLI sends it.
    pub fn header_value(&self) -> Result<String, Error> {
        let json = serde_json::to_vec(self).map_err(|source| Error::Encode {
            context: "registry credentials".to_owned(),
            source,
        })?;
        Ok(base64::engine::general_purpose::URL_SAFE.encode(json))
    }
}

#[derive(Deserialize, Default)]
struct ConfigFile {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(rename = "credsStore", default)]
    creds_store: String,
    #[serde(rename = "credHelpers", default)]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    identitytoken: String,
}

#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// The registry part of an image reference (`docker.io` references give [`DOCKER_HUB`]).
pub fn registry_of(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            if first == "docker.io" || first == "index.docker.io" {
                DOCKER_HUB.to_owned()
            } else {
                first.to_owned()
            }
        }
        _ => DOCKER_HUB.to_owned(),
    }
}

/// Where to look: the CLI config directory and the `PATH` used to find helpers.
#[derive(Debug, Clone, Default)]
pub struct CredentialSource {
    /// `$DOCKER_CONFIG` or `~/.docker`.
    pub config_dir: Option<PathBuf>,
    /// `PATH` value (helpers are searched there).
    pub path: Option<String>,
}

impl CredentialSource {
    /// Credentials for `registry`, `None` when the configuration has none (or no file).
    pub fn lookup(&self, registry: &str) -> Result<Option<RegistryAuth>, Error> {
        let Some(dir) = &self.config_dir else {
            return Ok(None);
        };
        let file = dir.join("config.json");
        let config: ConfigFile = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Credentials {
                registry: registry.to_owned(),
                reason: format!("{}: {e}", file.display()),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::Credentials {
                    registry: registry.to_owned(),
                    reason: format!("{}: {e}", file.display()),
                })
            }
        };
        let helper = config
            .cred_helpers
            .get(registry)
            .cloned()
            .or_else(|| (!config.creds_store.is_empty()).then(|| config.creds_store.clone()));
        if let Some(helper) = helper {
            return self.ask_helper(&helper, registry);
        }
        let Some(entry) = config.auths.get(registry) else {
            return Ok(None);
        };
        let (mut username, mut password) = (entry.username.clone(), entry.password.clone());
        if !entry.auth.is_empty() {
            let bad = |reason: &str| Error::Credentials {
                registry: registry.to_owned(),
                reason: format!("{}: auths.{registry}.auth {reason}", file.display()),
            };
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(entry.auth.trim())
                .map_err(|_| bad("is not base64"))?;
            let text = String::from_utf8(decoded).map_err(|_| bad("is not UTF-8"))?;
            let (u, p) = text
                .split_once(':')
                .ok_or_else(|| bad("is not user:password"))?;
            (username, password) = (u.to_owned(), p.to_owned());
        }
        Ok(Some(RegistryAuth {
            username,
            password,
            serveraddress: registry.to_owned(),
            identitytoken: entry.identitytoken.clone(),
        }))
    }

    fn ask_helper(&self, helper: &str, registry: &str) -> Result<Option<RegistryAuth>, Error> {
        let fail = |reason: String| Error::Credentials {
            registry: registry.to_owned(),
            reason,
        };
        let program = format!("docker-credential-{helper}");
        let exe = self
            .find_on_path(&program)
            .ok_or_else(|| fail(format!("credential helper {program} is not on PATH")))?;
        let mut child = Command::new(&exe)
            .arg("get")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| fail(format!("running {}: {e}", exe.display())))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(registry.as_bytes())
                .map_err(|e| fail(format!("writing to {program}: {e}")))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| fail(format!("running {program}: {e}")))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            // The helper protocol's "not found" answer means: no credentials.
            if stdout.contains("credentials not found") {
                return Ok(None);
            }
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Err(fail(format!(
                "{program} get exited with {}: {}",
                out.status,
                stdout.trim().to_owned() + stderr.trim()
            )));
        }
        let answer: HelperAnswer = serde_json::from_slice(&out.stdout)
            .map_err(|e| fail(format!("{program} get answered no JSON credentials: {e}")))?;
        Ok(Some(if answer.username == "<token>" {
            RegistryAuth {
                identitytoken: answer.secret,
                serveraddress: registry.to_owned(),
                ..RegistryAuth::default()
            }
        } else {
            RegistryAuth {
                username: answer.username,
                password: answer.secret,
                serveraddress: registry.to_owned(),
                ..RegistryAuth::default()
            }
        }))
    }

    fn find_on_path(&self, program: &str) -> Option<PathBuf> {
        let path = self.path.as_deref()?;
        std::env::split_paths(path)
            .map(|d| d.join(program))
            .find(|p| is_executable(p))
    }
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_of_references() {
        assert_eq!(registry_of("busybox"), DOCKER_HUB);
        assert_eq!(registry_of("library/busybox:1"), DOCKER_HUB);
        assert_eq!(registry_of("docker.io/library/busybox"), DOCKER_HUB);
        assert_eq!(
            registry_of("registry.example.com/app:1"),
            "registry.example.com"
        );
        assert_eq!(registry_of("localhost:5000/app"), "localhost:5000");
        assert_eq!(registry_of("localhost/app"), "localhost");
    }

    #[test]
    fn header_is_url_safe_base64_json() {
        let a = RegistryAuth {
            username: "u".into(),
            password: "p?>".into(),
            serveraddress: "r".into(),
            ..Default::default()
        };
        let v = a.header_value().unwrap();
        let json = base64::engine::general_purpose::URL_SAFE
            .decode(&v)
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&json).unwrap(),
            serde_json::json!({"username":"u","password":"p?>","serveraddress":"r"})
        );
    }
}
