use crate::i18n::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/over`: where the stations come from, under which licence, and what
/// happens to what a voter types. Voters and journalists ask this before
/// they trust a map of polling stations. The prose lives with each
/// language, links and all.
#[component]
pub fn AboutPage() -> impl IntoView {
    let texts = use_texts();
    view! {
        <Title text=texts.page_title(texts.about_title)/>
        <h1>{texts.about_title}</h1>
        {(texts.about)()}
        {(texts.report.about)()}
    }
}
