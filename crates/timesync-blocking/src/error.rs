//! The client's error types, shared with the other transport through the core.

pub use timesync_core::{ClientError as Error, TransportError, TransportErrorKind};
