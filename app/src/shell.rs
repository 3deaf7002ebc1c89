//! The HTML document around every page, rendered on the server only, and
//! what it decides for the whole response: the language, the
//! Content-Security-Policy, an embed's colours, and whether the page is
//! hydrated at all.

use crate::components::{MapTiles, ATTRIBUTION_META, TILES_META};
use crate::embed::{is_embed_path, Embed, Theme};
use crate::i18n::Language;
use crate::App;
use leptos::prelude::*;
use leptos_meta::MetaTags;

/// The HTML document around the app, rendered on the server only. It
/// settles the page's language, which the browser then reads back from
/// `<html lang>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let embed = embed_settings();
    let hydrated = !server_only();
    let language = server_language(embed.is_some());
    provide_context(language);
    // The page reads the host's settings from here (`use_embed`).
    if let Some(embed) = &embed {
        provide_context(embed.clone());
    }
    content_security_policy(embed.is_some());
    // A host's colours; the accent is six checked hex digits, so nothing
    // else can reach the style sheet.
    let theme = embed.as_ref().map(|embed| match embed.theme {
        Theme::Light => "light",
        Theme::Dark => "dark",
    });
    let accent = embed.and_then(|embed| embed.accent).map(|accent| {
        view! { <style nonce=use_nonce()>{format!("html[data-theme]:root {{ --accent: {} }}", accent.css())}</style> }
    });
    let tiles = use_context::<MapTiles>().map(|tiles| {
        view! {
            <meta name=TILES_META content=tiles.url/>
            <meta name=ATTRIBUTION_META content=tiles.attribution/>
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang=language.code() data-theme=theme>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content=language.texts().meta_description/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {tiles}
                // The location button needs JavaScript; without it, it
                // should not even keep its place.
                <noscript>
                    <style nonce=use_nonce()>".locate { display: none }"</style>
                </noscript>
                {accent}
                {hydrated.then(|| view! { <HydrationScripts options islands=true/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// What the host of an embed asked for, when the request is for one.
fn embed_settings() -> Option<Embed> {
    let parts = use_context::<http::request::Parts>()?;
    is_embed_path(parts.uri.path()).then(|| Embed::from_query_string(parts.uri.query().unwrap_or_default()))
}

/// Whether the page is one the browser bundle does not carry.
fn server_only() -> bool {
    use_context::<http::request::Parts>()
        .is_some_and(|parts| crate::pages::SERVER_ONLY.contains(&parts.uri.path()))
}

/// The language of the request being answered. A choice in the URL is
/// remembered in a cookie, and since the same page may now differ by
/// cookie and browser language, caches are told so. An embed sets no
/// cookie: it lives in someone else's page.
fn server_language(embedded: bool) -> Language {
    use http::header::{HeaderValue, SET_COOKIE, VARY};
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Language::default();
    };
    let language = Language::of_request(&parts);
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if embedded {
            response.append_header(VARY, HeaderValue::from_static("accept-language"));
            return language;
        }
        response.append_header(VARY, HeaderValue::from_static("accept-language, cookie"));
        if parts.uri.query().and_then(Language::chosen_in).is_some() {
            // A year, so a voter who chose English once is not asked again
            // at the next election.
            let cookie = format!(
                "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                crate::i18n::LANGUAGE_PARAM,
                language.code()
            );
            if let Ok(cookie) = HeaderValue::from_str(&cookie) {
                response.append_header(SET_COOKIE, cookie);
            }
        }
    }
    language
}

/// Only our own scripts and styles run: the hydration script carries the
/// per-response nonce Leptos generates, WebAssembly may compile, and the
/// only other origin the page may load from is the map tile server.
/// Leaflet positions its layers through the style object, which a policy
/// does not restrict, so no inline style needs allowing. Our pages may be
/// framed only by our own (the embed builder's preview); embeds by anyone.
fn content_security_policy(embedded: bool) {
    use http::header::{HeaderValue, CONTENT_SECURITY_POLICY};
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let nonce = use_nonce().map(|nonce| format!(" 'nonce-{nonce}'")).unwrap_or_default();
    let tiles = use_context::<MapTiles>().and_then(|tiles| tiles.origin()).map(|origin| format!(" {origin}"));
    let policy = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'{nonce}; \
         img-src 'self' data:{tiles}; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {ancestors}",
        tiles = tiles.unwrap_or_default(),
        ancestors = if embedded { "*" } else { "'self'" },
    );
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, policy);
    }
}
