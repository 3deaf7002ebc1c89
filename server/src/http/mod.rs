//! HTTP surface: the public JSON API under `/api/v1` and its error type.
//! Pages are served by Leptos (see `startup`).

pub mod api;
mod error;

pub use error::ApiError;
