use leptos::prelude::*;

/// Shown for any path that is not a page; the server answers it with 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>"Pagina niet gevonden"</h1>
        <p><a href="/">"Zoek een stembureau"</a></p>
    }
}
