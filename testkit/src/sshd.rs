//! A private `sshd` on 127.0.0.1 for `ssh://` client tests: generated host and client
//! keys, root login by key only, and `DOCKER_HOST` set for the session (through
//! `authorized_keys` `environment=`) so `docker system dial-stdio` reaches the test's
//! own daemon. Stopped on drop. Needs root, `/usr/sbin/sshd` (Debian's
//! `openssh-server`), `ssh` and `ssh-keygen`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running sshd and an `ssh_config` that reaches it.
pub struct SshServer {
    child: Option<Child>,
    dir: tempfile::TempDir,
    /// The port sshd listens on (127.0.0.1).
    pub port: u16,
}

impl SshServer {
    /// Starts sshd whose sessions use `docker_host` as `DOCKER_HOST`; `None` (reason
    /// printed) when it cannot, unless `DOCKMATRIX_REQUIRE_DAEMON=1` (then it panics).
    pub fn start_or_skip(test: &str, docker_host: &str) -> Option<SshServer> {
        match Self::start(docker_host) {
            Ok(s) => Some(s),
            Err(why) => {
                crate::require_or_skip(
                    crate::REQUIRE_DAEMON,
                    test,
                    &format!("cannot start sshd: {why}"),
                );
                None
            }
        }
    }

    fn start(docker_host: &str) -> Result<SshServer, String> {
        let sshd = Path::new("/usr/sbin/sshd");
        if !sshd.exists() {
            return Err("/usr/sbin/sshd is not installed (openssh-server)".into());
        }
        let dir = tempfile::Builder::new()
            .prefix("dmxssh")
            .tempdir()
            .map_err(|e| format!("tempdir: {e}"))?;
        let p = |n: &str| dir.path().join(n);
        for key in ["host_key", "client_key"] {
            let st = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                .arg(p(key))
                .status()
                .map_err(|e| format!("ssh-keygen: {e}"))?;
            if !st.success() {
                return Err(format!("ssh-keygen {key}: {st}"));
            }
        }
        let public =
            std::fs::read_to_string(p("client_key.pub")).map_err(|e| format!("client key: {e}"))?;
        std::fs::write(
            p("authorized_keys"),
            format!("environment=\"DOCKER_HOST={docker_host}\" {public}"),
        )
        .map_err(|e| format!("authorized_keys: {e}"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("free port: {e}"))?
            .port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\n\
             PermitRootLogin prohibit-password\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPermitUserEnvironment yes\nStrictModes no\n\
             UsePAM no\nPidFile {}\n",
            p("host_key").display(),
            p("authorized_keys").display(),
            p("sshd.pid").display()
        );
        std::fs::write(p("sshd_config"), config).map_err(|e| format!("sshd_config: {e}"))?;
        std::fs::write(
            p("ssh_config"),
            format!(
                "Host *\n  IdentityFile {}\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  \
                 UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  BatchMode yes\n",
                p("client_key").display()
            ),
        )
        .map_err(|e| format!("ssh_config: {e}"))?;
        // Privilege separation directory sshd insists on.
        let _ = std::fs::create_dir_all("/run/sshd");
        let log = std::fs::File::create(p("sshd.log")).map_err(|e| format!("log: {e}"))?;
        let child = Command::new(sshd)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(p("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("spawn sshd: {e}"))?;
        let mut server = SshServer {
            child: Some(child),
            dir,
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(Ok(Some(st))) = server.child.as_mut().map(Child::try_wait) {
                let log =
                    std::fs::read_to_string(server.dir.path().join("sshd.log")).unwrap_or_default();
                return Err(format!("sshd exited with {st}: {log}"));
            }
            if Instant::now() > deadline {
                return Err("sshd did not listen within 10 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }

    /// `ssh -F` configuration reaching this server with the generated client key.
    pub fn ssh_config(&self) -> PathBuf {
        self.dir.path().join("ssh_config")
    }

    /// `ssh://root@127.0.0.1:PORT`.
    pub fn docker_host(&self) -> String {
        format!("ssh://root@127.0.0.1:{}", self.port)
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
