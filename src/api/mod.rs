//! Typed API clients. `http` is the transport every backend shares (nothing vendor-specific);
//! each backend (`plannr`) adds its calls, models, error decoding and paging. Knows HTTP and JSON,
//! nothing of the UI.
pub mod de;
pub mod error;
pub mod http;
pub mod outreach;
pub mod page;
pub mod plannr;

pub use error::ApiError;
pub use http::Secret;
pub use page::{Page, PageKey};
pub use plannr::models;
pub use plannr::{Client, ClientConfig};
