//! Test harness shared by the dockmatrix crates: [`daemon::Daemon`] starts a private
//! `dockerd` (its own socket, data root and exec root; stopped on drop), and
//! [`daemon::busybox_rootfs_tar`] / [`daemon::import_busybox`] give it an image built
//! from the static busybox binary; [`fake::FakeDaemon`] is a scriptable unix-socket
//! server for the hostile cases a real daemon never produces, and
//! [`servers::PolicyServer`] a TCP server with awkward connection policies.

#![warn(missing_docs)]

pub mod certs;
pub mod daemon;
pub mod fake;
pub mod servers;
pub mod skip;
pub mod sshd;
pub mod wire;

pub use certs::TestCerts;
pub use daemon::{
    busybox_full_rootfs_tar, busybox_rootfs_tar, import_busybox, Daemon, BUSYBOX_IMAGE,
    DOCKERD_FLAGS,
};
pub use fake::{Action, FakeDaemon, SeenRequest};
pub use servers::{Policy, PolicyServer};
pub use skip::{require_or_skip, REQUIRE_BROWSER, REQUIRE_DAEMON};
pub use sshd::SshServer;
