//! `--min-api V` and the lower half of `--as-docker R`: refuse a request for an
//! API version below the minimum exactly as the daemon's own version check does
//! (HTTP 400, the same message, plain text or JSON as that release writes it).
//!
//! The forms, from moby's version middleware and error writers at each tag of
//! `../shared/moby-server/`:
//! - before 1.11 (`v1.9.1/api/server/middleware.go`, `v1.8.3/api/server/server.go:1608`):
//!   "client is too old, minimum supported API version is M, …", plain text;
//! - 1.11 (`v1.11.2/api/server/middleware/version.go:36`, `httputils/errors.go:69`):
//!   "client version V is too old. Minimum supported API version is M, …", plain text;
//! - 1.12 to 25.0 (`apiVersionSupportsJSONErrors`: JSON above 1.23), plain text below 1.24;
//! - 26.0 to 28.0 (`api/server/server.go` writes every error as JSON);
//! - from 28.1 (`api/server/server.go:68`, later `daemon/server/server.go:97`):
//!   plain text below 1.24 again, JSON otherwise.

use dockmatrix_core::model::releases::Release;
use dockmatrix_core::version::ApiVersion;

/// How a release words and writes its "too old" answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooOldForm {
    /// Before 1.11: the short message, plain text.
    Legacy,
    /// 1.11: plain text.
    Plain,
    /// 1.12 to 25.0, and from 28.1: JSON from API 1.24 on, plain text below.
    JsonFrom124,
    /// 26.0 to 28.0: always JSON.
    Json,
}

impl TooOldForm {
    /// The form of the release named `docker` (`20.10`, `29.0`, `1.9`); the
    /// current form for a name that does not read as numbers.
    pub fn of_release(docker: &str) -> Self {
        let mut parts = docker.split('.').map(|p| p.parse::<u32>().ok());
        let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) else {
            return Self::JsonFrom124;
        };
        match (major, minor) {
            (0, _) | (1, 0..=10) => Self::Legacy,
            (1, 11) => Self::Plain,
            (26 | 27, _) | (28, 0) => Self::Json,
            _ => Self::JsonFrom124,
        }
    }
}

/// The minimum API version the proxy enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinApi {
    /// Requests below this version are refused.
    pub min: ApiVersion,
    /// How the refusal is written.
    pub form: TooOldForm,
}

/// A "too old" answer: its message and whether it is plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooOld {
    /// The message (the JSON `message`, or the whole plain-text body).
    pub message: String,
    /// Plain text (`http.Error`) rather than `{"message": …}`.
    pub plain: bool,
}

impl MinApi {
    /// `--min-api V`: today's daemons' form.
    pub fn new(min: ApiVersion) -> Self {
        Self {
            min,
            form: TooOldForm::JsonFrom124,
        }
    }

    /// `--as-docker R`: R's minimum, in R's form.
    pub fn of_release(release: &Release) -> Self {
        Self {
            min: release.min_api,
            form: TooOldForm::of_release(&release.docker),
        }
    }

    /// The answer to a request for `requested`, if it is below the minimum.
    pub fn too_old(&self, requested: ApiVersion) -> Option<TooOld> {
        if requested >= self.min {
            return None;
        }
        let min = self.min;
        let message = match self.form {
            TooOldForm::Legacy => format!(
                "client is too old, minimum supported API version is {min}, please upgrade your client to a newer version"
            ),
            _ => format!(
                "client version {requested} is too old. Minimum supported API version is {min}, please upgrade your client to a newer version"
            ),
        };
        let v1_24 = ApiVersion::new(1, 24);
        let plain = match self.form {
            TooOldForm::Legacy | TooOldForm::Plain => true,
            TooOldForm::JsonFrom124 => requested < v1_24,
            TooOldForm::Json => false,
        };
        Some(TooOld { message, plain })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    #[test]
    fn forms_follow_the_release_lines() {
        assert_eq!(TooOldForm::of_release("1.9"), TooOldForm::Legacy);
        assert_eq!(TooOldForm::of_release("1.11"), TooOldForm::Plain);
        assert_eq!(TooOldForm::of_release("1.12"), TooOldForm::JsonFrom124);
        assert_eq!(TooOldForm::of_release("20.10"), TooOldForm::JsonFrom124);
        assert_eq!(TooOldForm::of_release("26.1"), TooOldForm::Json);
        assert_eq!(TooOldForm::of_release("28.0"), TooOldForm::Json);
        assert_eq!(TooOldForm::of_release("28.1"), TooOldForm::JsonFrom124);
        assert_eq!(TooOldForm::of_release("29.0"), TooOldForm::JsonFrom124);
    }

    #[test]
    fn docker_29_refuses_1_24_in_json_and_1_23_in_plain_text() {
        let min = MinApi {
            min: v(44),
            form: TooOldForm::of_release("29.0"),
        };
        assert_eq!(min.too_old(v(44)), None);
        let json = min.too_old(v(24)).expect("1.24 is below 1.44");
        assert!(!json.plain);
        assert_eq!(
            json.message,
            "client version 1.24 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version"
        );
        assert!(min.too_old(v(23)).expect("below").plain);
    }

    #[test]
    fn docker_1_9_words_it_the_old_way() {
        let min = MinApi {
            min: v(12),
            form: TooOldForm::of_release("1.9"),
        };
        let old = min.too_old(v(11)).expect("below");
        assert!(
            old.plain
                && old
                    .message
                    .starts_with("client is too old, minimum supported API version is 1.12")
        );
    }
}
