//! Typed Plannr API client: models, errors, paging. Knows HTTP and JSON, nothing of the UI.
pub mod client;
pub mod de;
pub mod error;
pub mod models;
pub mod outreach;
pub mod page;

pub use client::{Client, ClientConfig, Secret};
pub use error::ApiError;
pub use page::Page;
