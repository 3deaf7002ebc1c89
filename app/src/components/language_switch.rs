use crate::i18n::{use_language, Language, LANGUAGE_PARAM};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Links to this same page in the other languages. They are ordinary
/// links (`rel="external"`, so in-place navigation lets the browser load them): the
/// server renders the page anew in the chosen language and remembers the
/// choice, with or without JavaScript.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let current = use_language();
    let location = use_location();
    let links = Language::ALL
        .into_iter()
        .filter(move |language| *language != current)
        .map(move |language| {
            let href = move || same_page_in(&location.pathname.get(), &location.search.get(), language);
            view! {
                <li>
                    <a href=href rel="external" lang=language.code() hreflang=language.code()>
                        {language.texts().name}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="languages" aria-label=current.texts().language_switch>
            <ul>{links}</ul>
        </nav>
    }
}

/// The URL of the page at `path` with query `search` (with or without its
/// `?`), with the language set to `language` and everything else kept.
fn same_page_in(path: &str, search: &str, language: Language) -> String {
    let mut query: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(LANGUAGE_PARAM))
        .collect();
    let choice = format!("{LANGUAGE_PARAM}={}", language.code());
    query.push(&choice);
    format!("{path}?{}", query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_keeps_the_search_and_replaces_the_language() {
        assert_eq!(same_page_in("/", "", Language::En), "/?taal=en");
        assert_eq!(
            same_page_in("/", "?q=3421CT&taal=en&needs=host", Language::Nl),
            "/?q=3421CT&needs=host&taal=nl"
        );
        assert_eq!(same_page_in("/over", "taal=nl", Language::En), "/over?taal=en");
    }
}
