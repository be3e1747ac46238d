//! reports stage.
