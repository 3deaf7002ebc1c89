use crate::i18n::use_texts;
use leptos::prelude::*;

/// Shown when a page's data cannot be fetched: the server function failed
/// or the connection dropped. Says so plainly instead of showing nothing.
#[component]
pub fn Unavailable() -> impl IntoView {
    view! { <p role="alert">{use_texts().unavailable}</p> }
}
