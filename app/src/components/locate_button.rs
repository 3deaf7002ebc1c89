use crate::search::SearchParams;
use leptos::prelude::*;

/// "Use my location": asks the browser for its position and opens the
/// results for it at a shareable URL. Geolocation needs JavaScript, so the
/// button stays hidden until the page is hydrated instead of doing nothing.
#[component]
pub fn LocateButton(
    /// The current search, whose election and needs the results keep.
    params: Memo<SearchParams>,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let status = RwSignal::new(None::<&'static str>);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));

    #[cfg(feature = "hydrate")]
    let on_click = {
        let navigate = leptos_router::hooks::use_navigate();
        move |_| browser::locate(params.get_untracked(), navigate.clone(), status)
    };
    #[cfg(not(feature = "hydrate"))]
    let on_click = {
        let _ = params;
        |_| {}
    };

    view! {
        <div class="locate" hidden=move || !hydrated.get()>
            <button type="button" on:click=on_click>"Gebruik mijn locatie"</button>
            <p class="status" role="status">{move || status.get()}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::model::Coordinates;
    use crate::search::SearchParams;
    use leptos::prelude::*;
    use leptos_router::NavigateOptions;
    use wasm_bindgen::{closure::Closure, JsCast};

    pub fn locate(
        params: SearchParams,
        navigate: impl Fn(&str, NavigateOptions) + 'static,
        status: RwSignal<Option<&'static str>>,
    ) {
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            status.set(Some("Uw browser kan geen locatie doorgeven. Zoek op postcode of plaats."));
            return;
        };
        status.set(Some("Uw locatie wordt opgevraagd…"));
        let on_position = Closure::once_into_js(move |position: web_sys::Position| {
            let coords = position.coords();
            match Coordinates::new(coords.latitude(), coords.longitude()) {
                Ok(point) => {
                    status.set(None);
                    navigate(&params.position_url(point), Default::default());
                }
                Err(_) => status.set(Some("Uw browser gaf een onmogelijke locatie door.")),
            }
        });
        let on_error = Closure::once_into_js(move |error: web_sys::PositionError| {
            status.set(Some(if error.code() == web_sys::PositionError::PERMISSION_DENIED {
                "U heeft geen toestemming gegeven voor uw locatie. Zoek op postcode of plaats."
            } else {
                "Uw locatie kon niet worden bepaald. Zoek op postcode of plaats."
            }));
        });
        let requested = geolocation.get_current_position_with_error_callback(
            on_position.unchecked_ref(),
            Some(on_error.unchecked_ref()),
        );
        if requested.is_err() {
            status.set(Some("Uw browser kan geen locatie doorgeven. Zoek op postcode of plaats."));
        }
    }
}
