//! `DOCKER_HOST`: the one parser lives in `dockmatrix-host`, shared with the
//! proxy; a bad value becomes this crate's [`Error::InvalidDockerHost`].

pub use dockmatrix_host::{DockerHost, HostError, DEFAULT_DOCKER_HOST};

use crate::error::Error;

impl From<HostError> for Error {
    fn from(e: HostError) -> Self {
        Error::InvalidDockerHost {
            value: e.value,
            reason: e.reason.to_owned(),
        }
    }
}
