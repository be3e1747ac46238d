//! Throw-away TLS material for a `--tlsverify` daemon: a CA, a server certificate for
//! `127.0.0.1` / `localhost`, and a client certificate, written as the Docker CLI expects
//! them in `DOCKER_CERT_PATH` (`ca.pem`, `cert.pem`, `key.pem`).

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};

/// Certificates generated into a temporary directory (removed on drop).
pub struct TestCerts {
    dir: tempfile::TempDir,
}

impl TestCerts {
    /// Generates a CA and server/client pairs signed by it.
    pub fn generate() -> Result<TestCerts, String> {
        let err = |e: rcgen::Error| format!("rcgen: {e}");
        let dir = tempfile::Builder::new()
            .prefix("dmxtls")
            .tempdir()
            .map_err(|e| format!("tempdir: {e}"))?;
        let ca_key = KeyPair::generate().map_err(err)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "dockmatrix test CA");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).map_err(err)?;

        let leaf = |name: &str, usage: ExtendedKeyUsagePurpose| {
            let key = KeyPair::generate().map_err(err)?;
            let mut p = CertificateParams::new(vec!["localhost".to_owned()]).map_err(err)?;
            p.subject_alt_names
                .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
            p.distinguished_name.push(DnType::CommonName, name);
            p.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            p.extended_key_usages = vec![usage];
            let cert = p.signed_by(&key, &ca_cert, &ca_key).map_err(err)?;
            Ok::<_, String>((cert.pem(), key.serialize_pem()))
        };
        let (server_cert, server_key) = leaf("dockerd", ExtendedKeyUsagePurpose::ServerAuth)?;
        let (client_cert, client_key) = leaf("client", ExtendedKeyUsagePurpose::ClientAuth)?;
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).map_err(|e| format!("write {name}: {e}"))
        };
        write("ca.pem", &ca_cert.pem())?;
        write("server-cert.pem", &server_cert)?;
        write("server-key.pem", &server_key)?;
        write("cert.pem", &client_cert)?;
        write("key.pem", &client_key)?;
        Ok(TestCerts { dir })
    }

    /// The directory: a valid `DOCKER_CERT_PATH` (plus the server's files).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `dockerd` arguments serving TLS with client verification.
    pub fn dockerd_args(&self) -> Vec<String> {
        let p = |n: &str| -> String { self.dir.path().join(n).display().to_string() };
        vec![
            "--tlsverify".into(),
            format!("--tlscacert={}", p("ca.pem")),
            format!("--tlscert={}", p("server-cert.pem")),
            format!("--tlskey={}", p("server-key.pem")),
        ]
    }

    /// Path of one file in the directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}
