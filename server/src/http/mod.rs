//! HTTP surface: the public JSON API under `/api/v1` and its error type,
//! and the health probes. Pages are served by Leptos (see `startup`).

pub mod api;
mod error;
pub mod health;

pub use error::ApiError;
