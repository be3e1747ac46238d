//! Runtime of the generated Docker Engine client.
