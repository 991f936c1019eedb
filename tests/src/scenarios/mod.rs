//! The scenarios, each a function generic over the client. [`crate::scenario_tests`] turns
//! every one of them into a named test per client.

mod crud;
mod encoding;
mod errors;
mod faults;
mod paging;
mod session;

pub use crud::*;
pub use encoding::*;
pub use errors::*;
pub use faults::*;
pub use paging::*;
pub use session::*;
