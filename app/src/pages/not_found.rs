use crate::i18n::use_texts;
use leptos::prelude::*;

/// Shown for any path that is not a page; the server answers it with 404.
#[component]
pub fn NotFound() -> impl IntoView {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let texts = use_texts();
    view! {
        <h1>{texts.not_found}</h1>
        <p><a href="/">{texts.find_a_station}</a></p>
    }
}
