//! The one HTTP method type: the methods an Engine API operation can have.

use std::fmt;
use std::str::FromStr;

/// An operation's HTTP method (`Copy` and `const`-friendly, unlike `http::Method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
}

impl HttpMethod {
    /// Every method, in the order OpenAPI lists a path item's operations.
    pub const ALL: [HttpMethod; 7] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
    ];

    /// The method as sent, upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
        }
    }
}

/// A method name that is none of [`HttpMethod::ALL`] (upper case, as sent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown HTTP method {0:?}: expected one of GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH")]
pub struct UnknownMethod(pub String);

impl FromStr for HttpMethod {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HttpMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMethod(s.to_owned()))
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_upper_case_names_only() {
        for m in HttpMethod::ALL {
            assert_eq!(m.as_str().parse::<HttpMethod>(), Ok(m));
        }
        assert!("get".parse::<HttpMethod>().is_err());
        assert!("TRACE".parse::<HttpMethod>().is_err());
        assert_eq!(HttpMethod::Delete.to_string(), "DELETE");
    }
}
