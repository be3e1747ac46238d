//! `dockmatrix proxy --config FILE`: several listeners in one process, each
//! with its own manifest and mode, from a TOML file.
//!
//! ```toml
//! upstream = "unix:///var/run/docker.sock"   # default for every listener
//!
//! [[listener]]
//! listen = "unix:///run/ci.sock"
//! allow = "ci.yaml"
//! strict = true
//!
//! [[listener]]
//! listen = "tcp://127.0.0.1:2376"
//! record = "traefik.yaml"
//! as_docker = "29.0"
//! ```
//!
//! Relative file names are relative to the configuration file. Unknown keys are
//! errors, with the file and line.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyConfig {
    /// The daemon of listeners that name none.
    pub upstream: Option<String>,
    /// The listeners, at least one.
    #[serde(default, rename = "listener")]
    pub listeners: Vec<ListenerConfig>,
}

/// One `[[listener]]`: the flags of `dockmatrix proxy`, as keys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerConfig {
    /// `--listen`.
    pub listen: String,
    /// `--upstream`.
    pub upstream: Option<String>,
    /// `--record`.
    pub record: Option<PathBuf>,
    /// `--allow`.
    pub allow: Option<PathBuf>,
    /// `--strict`.
    #[serde(default)]
    pub strict: bool,
    /// `--as-api`.
    pub as_api: Option<String>,
    /// `--min-api`.
    pub min_api: Option<String>,
    /// `--as-docker`.
    pub as_docker: Option<String>,
}

/// Why a configuration file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// It cannot be read.
    #[error("{file}: {source}")]
    Read {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// It is not TOML of this shape (the message has the line and column).
    #[error("{file}: {source}")]
    Parse {
        /// The file.
        file: PathBuf,
        /// The parser's error.
        source: toml::de::Error,
    },
    /// A listener's keys do not go together.
    #[error("{file}: listener {index} ({listen}): {message}")]
    Listener {
        /// The file.
        file: PathBuf,
        /// 1-based position among the listeners.
        index: usize,
        /// Its address.
        listen: String,
        /// What is wrong.
        message: String,
    },
    /// No `[[listener]]`.
    #[error("{0}: no [[listener]]")]
    Empty(PathBuf),
}

impl ProxyConfig {
    /// Reads `file`; relative paths in it become relative to its folder.
    pub fn load(file: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
            file: file.to_path_buf(),
            source,
        })?;
        let mut config = Self::parse(&text).map_err(|source| ConfigError::Parse {
            file: file.to_path_buf(),
            source,
        })?;
        if config.listeners.is_empty() {
            return Err(ConfigError::Empty(file.to_path_buf()));
        }
        let base = file.parent().unwrap_or(Path::new("."));
        for (i, l) in config.listeners.iter_mut().enumerate() {
            let problem = l.problem();
            if let Some(message) = problem {
                return Err(ConfigError::Listener {
                    file: file.to_path_buf(),
                    index: i + 1,
                    listen: l.listen.clone(),
                    message: message.to_string(),
                });
            }
            for path in [&mut l.record, &mut l.allow].into_iter().flatten() {
                if path.is_relative() {
                    *path = base.join(&*path);
                }
            }
        }
        Ok(config)
    }

    /// Parses the text of a configuration.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

impl ListenerConfig {
    /// What the command line would refuse about these keys together.
    pub fn problem(&self) -> Option<&'static str> {
        if self.strict && self.allow.is_none() {
            return Some("strict needs allow");
        }
        if self.as_docker.is_some() && (self.as_api.is_some() || self.min_api.is_some()) {
            return Some("as_docker excludes as_api and min_api");
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_and_their_keys_are_read() {
        let config = ProxyConfig::parse(
            "upstream = \"unix:///d.sock\"\n[[listener]]\nlisten = \"unix:///a.sock\"\nallow = \"a.yaml\"\nstrict = true\n\n[[listener]]\nlisten = \"tcp://127.0.0.1:1\"\nas_docker = \"29.0\"\n",
        )
        .expect("valid");
        assert_eq!(config.upstream.as_deref(), Some("unix:///d.sock"));
        assert_eq!(config.listeners.len(), 2);
        assert!(config.listeners[0].strict);
        assert_eq!(config.listeners[1].as_docker.as_deref(), Some("29.0"));
        assert_eq!(config.listeners[1].problem(), None);
    }

    #[test]
    fn unknown_keys_name_their_line() {
        let e = ProxyConfig::parse("[[listener]]\nlisten = \"unix:///a\"\nalow = \"x\"\n")
            .expect_err("unknown key");
        assert!(e.to_string().contains("line 3"), "{e}");
        assert!(e.to_string().contains("alow"), "{e}");
    }

    #[test]
    fn keys_that_do_not_go_together_are_refused() {
        let strict = ProxyConfig::parse("[[listener]]\nlisten = \"unix:///a\"\nstrict = true\n")
            .expect("parses");
        assert_eq!(strict.listeners[0].problem(), Some("strict needs allow"));
    }
}
