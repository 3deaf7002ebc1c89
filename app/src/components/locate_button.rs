use crate::i18n::use_texts;
use crate::search::PositionLink;
use leptos::prelude::*;

/// "Use my location": asks the browser for its position and opens the
/// results for it at a shareable URL, on the page the button is on and
/// with the current search's election, needs and an embed's settings.
#[cfg(feature = "ssr")]
#[component]
pub fn LocateButton(
    /// The current search, whose election and needs the results keep.
    params: Memo<crate::search::SearchParams>,
) -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let carried = crate::embed::use_embed().map(|embed| embed.carried()).unwrap_or_default();
    let link = params.with_untracked(|params| params.position_link(&path, &carried));
    view! { <Locate link/> }
}

/// The button itself, the one part of the search form that acts in the
/// browser (an island). Geolocation needs JavaScript, so the button stays
/// invisible until the island is hydrated instead of doing nothing. Its
/// place is kept, so the results do not jump when it appears; without
/// JavaScript it takes no place at all (the `<noscript>` style in the
/// shell).
#[island]
fn Locate(link: PositionLink) -> impl IntoView {
    let texts = use_texts();
    let hydrated = RwSignal::new(false);
    let status = RwSignal::new(None::<&'static str>);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));

    #[cfg(feature = "hydrate")]
    let on_click = move |_| browser::locate(link.clone(), status, texts);
    #[cfg(not(feature = "hydrate"))]
    let on_click = {
        let _ = link;
        |_| {}
    };

    view! {
        <div class="locate" class:pending=move || !hydrated.get()>
            <button type="button" on:click=on_click>{texts.use_my_location}</button>
            <p class="status" role="status">{move || status.get()}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::i18n::Texts;
    use crate::model::Coordinates;
    use crate::search::PositionLink;
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast};

    pub fn locate(link: PositionLink, status: RwSignal<Option<&'static str>>, texts: &'static Texts) {
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            status.set(Some(texts.no_geolocation));
            return;
        };
        status.set(Some(texts.locating));
        let on_position = Closure::once_into_js(move |position: web_sys::Position| {
            let coords = position.coords();
            match Coordinates::new(coords.latitude(), coords.longitude()) {
                Ok(point) => {
                    status.set(None);
                    crate::navigation::go(link.at(point));
                }
                Err(_) => status.set(Some(texts.impossible_position)),
            }
        });
        let on_error = Closure::once_into_js(move |error: web_sys::PositionError| {
            status.set(Some(if error.code() == web_sys::PositionError::PERMISSION_DENIED {
                texts.location_denied
            } else {
                texts.location_failed
            }));
        });
        let requested = geolocation.get_current_position_with_error_callback(
            on_position.unchecked_ref(),
            Some(on_error.unchecked_ref()),
        );
        if requested.is_err() {
            status.set(Some(texts.no_geolocation));
        }
    }
}
