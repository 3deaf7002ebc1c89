//! The Kieskaart server: import station files, keep every version in the
//! store, index what is published in memory, and serve the API and pages.
//!
//! `main.rs` only parses the command line; everything it runs is here so
//! that tests drive the same code.

pub mod accounts;
pub mod calendar;
pub mod catalog;
pub mod changes;
pub mod commands;
pub mod coverage;
mod demo;
pub mod geocode;
pub mod geography;
pub mod http;
pub mod index;
pub mod ingest;
pub mod opendata;
pub mod portal;
pub mod secrets;
pub mod site;
pub mod startup;
pub mod store;
pub mod submissions;
pub mod synthetic;
pub mod tokens;
