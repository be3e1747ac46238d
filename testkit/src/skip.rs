//! The one rule for a test whose outside help (a daemon, sshd, docker-py, a
//! browser) is missing: skip with the reason on stderr, unless CI asked for it
//! with `<REQUIRE_ENV>=1`, which turns the skip into a failure.

/// The variable that makes a missing daemon, sshd or docker-py fail a test.
pub const REQUIRE_DAEMON: &str = "DOCKMATRIX_REQUIRE_DAEMON";
/// The variable that makes a missing chromium/chromedriver fail a test.
pub const REQUIRE_BROWSER: &str = "DOCKMATRIX_REQUIRE_BROWSER";

/// Skips `test` because of `why` (prints `SKIPPED test: why`), or panics when
/// `require_env` is set to `1`. Callers return right after it.
pub fn require_or_skip(require_env: &str, test: &str, why: &str) {
    if std::env::var(require_env).is_ok_and(|v| v == "1") {
        panic!("{test}: {why} (and {require_env}=1)");
    }
    eprintln!("SKIPPED {test}: {why}");
}
