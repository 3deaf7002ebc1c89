//! The yardstick of `bench/worst.sh`: axum on the same runtime as
//! Kieskaart, answering every GET with a fixed JSON body of a given size
//! and no work. What Kieskaart's nearest endpoint reaches of its requests
//! per second is what the search, the answer's assembly and the
//! middleware cost. Not part of the product.
//!
//! Usage: `bare_axum ADDR BYTES`

use axum::http::header::CONTENT_TYPE;
use axum::Router;
use std::net::SocketAddr;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bare_axum ADDR BYTES";
    let addr: SocketAddr = args.next().and_then(|a| a.parse().ok()).ok_or(usage)?;
    let bytes: usize = args.next().and_then(|b| b.parse().ok()).ok_or(usage)?;
    // A JSON string of `bytes` in all: quotes around filler.
    let body = format!("\"{}\"", "x".repeat(bytes.saturating_sub(2)));
    let router = Router::new()
        .fallback(move || std::future::ready(([(CONTENT_TYPE, "application/json")], body.clone())));
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| e.to_string())?;
        axum::serve(listener, router).await.map_err(|e| e.to_string())
    })
}
