//! TLS to a `tcp://` daemon, as `DOCKER_TLS_VERIFY` + `DOCKER_CERT_PATH` configure the
//! Docker CLI: `ca.pem` verifies the daemon, `cert.pem` + `key.pem` identify the client.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::Error;

/// A TLS client configuration built from PEM files.
#[derive(Clone)]
pub struct TlsConfig {
    pub(crate) config: Arc<rustls::ClientConfig>,
    dir: PathBuf,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConfig").field("dir", &self.dir).finish()
    }
}

impl TlsConfig {
    /// Reads `ca.pem`, `cert.pem` and `key.pem` from `dir` (the layout of
    /// `DOCKER_CERT_PATH`). The daemon must present a certificate signed by `ca.pem`
    /// for the host name or IP address dialled; the client authenticates with its pair.
    pub fn from_dir(dir: &Path) -> Result<Self, Error> {
        let bad = |file: &str, reason: String| Error::Tls {
            path: dir.join(file),
            reason,
        };
        let read_certs = |file: &str| -> Result<Vec<CertificateDer<'static>>, Error> {
            let path = dir.join(file);
            let certs: Vec<_> = CertificateDer::pem_file_iter(&path)
                .map_err(|e| bad(file, e.to_string()))?
                .collect::<Result<_, _>>()
                .map_err(|e| bad(file, e.to_string()))?;
            if certs.is_empty() {
                return Err(bad(file, "no PEM certificate in the file".to_owned()));
            }
            Ok(certs)
        };
        let mut roots = rustls::RootCertStore::empty();
        for ca in read_certs("ca.pem")? {
            roots
                .add(ca)
                .map_err(|e| bad("ca.pem", format!("unusable CA certificate: {e}")))?;
        }
        let chain = read_certs("cert.pem")?;
        let key = PrivateKeyDer::from_pem_file(dir.join("key.pem"))
            .map_err(|e| bad("key.pem", e.to_string()))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| bad("ca.pem", e.to_string()))?
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, key)
            .map_err(|e| bad("key.pem", format!("does not match cert.pem: {e}")))?;
        Ok(Self {
            config: Arc::new(config),
            dir: dir.to_path_buf(),
        })
    }

    /// The directory the files came from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
