//! The map of stations: Leaflet, loaded from our own origin only once a
//! page with a map has hydrated. It is an enhancement: everything on it is
//! also in the list beside it, which is the way to use the page with a
//! keyboard or a screen reader, and the page works unchanged when Leaflet
//! or the tiles cannot be loaded.

use crate::i18n::use_texts;
use crate::model::Coordinates;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where the background map comes from, set by the operator (`serve
/// --tiles`). Without it stations are drawn on a plain background.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapTiles {
    /// A Leaflet tile URL template (`…/{z}/{x}/{y}.png`).
    pub url: String,
    /// The credit the tile provider requires, as HTML.
    pub attribution: String,
}

impl MapTiles {
    /// Where tiles come from, as a Content-Security-Policy source:
    /// `https://service.pdok.nl`, or `https://*.tile.example.org` for a
    /// template with `{s}` subdomains. `None` for a template without one.
    pub fn origin(&self) -> Option<String> {
        let (scheme, rest) = self.url.split_once("://")?;
        let host = rest.split('/').next().filter(|host| !host.is_empty())?;
        Some(format!("{scheme}://{}", host.replace("{s}", "*")))
    }
}

/// The `<meta>` names through which the server hands the tile settings to
/// the browser: the head is rendered once and never hydrated.
pub const TILES_META: &str = "kieskaart:tiles";
pub const ATTRIBUTION_META: &str = "kieskaart:tiles-attribution";

/// One station on the map, with the page it links to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub name: String,
    pub href: String,
    pub location: Coordinates,
}

impl MapPoint {
    /// A station at `location`, linking to its page `href`.
    pub fn new(name: &str, href: String, location: Coordinates) -> MapPoint {
        MapPoint { name: name.to_owned(), href, location }
    }
}

/// The map of `points`, unless the page is an embed whose host turned
/// maps off.
#[cfg(feature = "ssr")]
#[component]
pub fn StationMap(
    points: Vec<MapPoint>,
    /// The searched position, marked apart from the stations.
    #[prop(optional)]
    origin: Option<Coordinates>,
) -> impl IntoView {
    let embed = crate::embed::use_embed();
    if embed.as_ref().is_some_and(|embed| !embed.map) {
        return None;
    }
    // In an embed, popups open station pages in a new tab, as its links do.
    let outward = embed.is_some();
    Some(view! { <MapArea points origin outward/> })
}

/// An area that the browser fills with the map (an island). Hidden in the
/// HTML, so that no empty box shows without JavaScript; the hydrated island
/// shows it, loads Leaflet once it scrolls into view (on a phone it follows
/// the list, and a voter who never looks at it never downloads it), and
/// hides it again if Leaflet cannot be loaded.
#[island]
fn MapArea(points: Vec<MapPoint>, origin: Option<Coordinates>, outward: bool) -> impl IntoView {
    let texts = use_texts();
    let container = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    browser::draw_when_mounted(container, points, origin, texts, outward);
    #[cfg(not(feature = "hydrate"))]
    let _ = (points, origin, outward);
    view! { <div class="map" node_ref=container role="region" aria-label=texts.map_label hidden></div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{MapPoint, ATTRIBUTION_META, TILES_META};
    use crate::i18n::Texts;
    use crate::model::Coordinates;
    use js_sys::{Array, Object, Reflect};
    use leptos::prelude::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use web_sys::{HtmlElement, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

    /// The few parts of Leaflet's API the map uses. `L` is looked up when a
    /// function is called, after the script has loaded.
    #[wasm_bindgen]
    extern "C" {
        type Map;
        type Layer;

        #[wasm_bindgen(js_namespace = L, js_name = map)]
        fn new_map(element: &HtmlElement, options: &Object) -> Map;
        #[wasm_bindgen(method, js_name = fitBounds)]
        fn fit_bounds(this: &Map, bounds: &Array, options: &Object);

        #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
        fn tile_layer(url: &str, options: &Object) -> Layer;
        #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
        fn circle_marker(location: &Array, options: &Object) -> Layer;
        #[wasm_bindgen(method, js_name = addTo)]
        fn add_to(this: &Layer, map: &Map) -> Layer;
        #[wasm_bindgen(method, js_name = bindPopup)]
        fn bind_popup(this: &Layer, content: &HtmlElement) -> Layer;
        /// Content as an element, never a string: Leaflet sets a string
        /// tooltip with `innerHTML`, and a station's name is text.
        #[wasm_bindgen(method, js_name = bindTooltip)]
        fn bind_tooltip(this: &Layer, content: &HtmlElement) -> Layer;
    }

    const SCRIPT: &str = "/vendor/leaflet/leaflet.js";
    const STYLESHEET: &str = "/vendor/leaflet/leaflet.css";

    pub fn draw_when_mounted(
        container: NodeRef<leptos::html::Div>,
        points: Vec<MapPoint>,
        origin: Option<Coordinates>,
        texts: &'static Texts,
        outward: bool,
    ) {
        Effect::new(move |_| {
            let Some(element) = container.get() else { return };
            let points = points.clone();
            element.set_hidden(false);
            let target: HtmlElement = element.clone().into();
            when_in_view(&target, move || {
                let failed = element.clone();
                with_leaflet(
                    move || draw(&element, &points, origin, texts, outward),
                    move || failed.set_hidden(true),
                );
            });
        });
    }

    fn draw(
        element: &HtmlElement,
        points: &[MapPoint],
        origin: Option<Coordinates>,
        texts: &Texts,
        outward: bool,
    ) {
        // The list is the keyboard's way through the stations; the map
        // does not trap focus or scroll the page.
        let mut options = vec![("scrollWheelZoom", false.into()), ("keyboard", false.into())];
        if prefers_reduced_motion() {
            options.extend([("zoomAnimation", false.into()), ("fadeAnimation", false.into())]);
        }
        let map = new_map(element, &object(&options));
        if let Some(tiles) = meta(TILES_META) {
            let attribution = meta(ATTRIBUTION_META).unwrap_or_default();
            tile_layer(&tiles, &object(&[("attribution", attribution.into()), ("maxZoom", 19.into())]))
                .add_to(&map);
        }
        let bounds = Array::new();
        for point in points {
            let location = lat_lon(point.location);
            let marker = circle_marker(
                &location,
                &object(&[("radius", 9.into()), ("color", "#0b4f9c".into()), ("weight", 3.into())]),
            );
            if let Some(link) = link(&point.name, &point.href, outward) {
                marker.bind_popup(&link);
            }
            if let Some(name) = text("span", &point.name) {
                marker.bind_tooltip(&name);
            }
            marker.add_to(&map);
            bounds.push(&location);
        }
        if let Some(origin) = origin {
            let location = lat_lon(origin);
            let marker = circle_marker(
                &location,
                &object(&[("radius", 6.into()), ("color", "#b3261e".into()), ("fillOpacity", 1.into())]),
            );
            if let Some(label) = text("span", texts.your_search) {
                marker.bind_tooltip(&label);
            }
            marker.add_to(&map);
            bounds.push(&location);
        }
        map.fit_bounds(
            &bounds,
            &object(&[("padding", Array::of2(&24.into(), &24.into()).into()), ("maxZoom", 16.into())]),
        );
    }

    /// Runs `then` once `element` comes near the screen, or at once where
    /// the browser cannot tell.
    fn when_in_view(element: &HtmlElement, then: impl FnOnce() + 'static) {
        let then = Rc::new(RefCell::new(Some(then)));
        let run = {
            let then = then.clone();
            move || {
                if let Some(then) = then.borrow_mut().take() {
                    then();
                }
            }
        };
        let on_change = Closure::<dyn FnMut(Array, IntersectionObserver)>::new({
            let run = run.clone();
            move |entries: Array, observer: IntersectionObserver| {
                if entries
                    .iter()
                    .any(|entry| entry.unchecked_into::<IntersectionObserverEntry>().is_intersecting())
                {
                    observer.disconnect();
                    run();
                }
            }
        });
        let options = IntersectionObserverInit::new();
        options.set_root_margin("200px");
        match IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &options) {
            Ok(observer) => {
                observer.observe(element);
                // Lives as long as the page: the observer calls it.
                on_change.forget();
            }
            Err(_) => run(),
        }
    }

    /// Runs `then` once Leaflet is there, loading its script and style the
    /// first time, or `failed` if the script cannot be loaded.
    fn with_leaflet(then: impl FnOnce() + 'static, failed: impl FnOnce() + 'static) {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
        if Reflect::has(&js_sys::global(), &"L".into()).unwrap_or(false) {
            then();
            return;
        }
        // Another map on the way may have asked for it already.
        let selector = format!("script[src=\"{SCRIPT}\"]");
        let script = match document.query_selector(&selector).ok().flatten() {
            Some(script) => script,
            None => {
                let (Ok(script), Ok(style)) =
                    (document.create_element("script"), document.create_element("link"))
                else {
                    return;
                };
                let _ = style.set_attribute("rel", "stylesheet");
                let _ = style.set_attribute("href", STYLESHEET);
                let _ = script.set_attribute("src", SCRIPT);
                if let Some(head) = document.head() {
                    let _ = head.append_child(&style);
                    let _ = head.append_child(&script);
                }
                script
            }
        };
        let loaded = Closure::once_into_js(then);
        let _ = script.add_event_listener_with_callback("load", loaded.unchecked_ref());
        let not_loaded = Closure::once_into_js(failed);
        let _ = script.add_event_listener_with_callback("error", not_loaded.unchecked_ref());
    }

    fn prefers_reduced_motion() -> bool {
        web_sys::window()
            .and_then(|window| window.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
            .is_some_and(|query| query.matches())
    }

    fn meta(name: &str) -> Option<String> {
        let document = web_sys::window()?.document()?;
        let element = document.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
        element.get_attribute("content").filter(|content| !content.is_empty())
    }

    /// An element `tag` holding `content` as text: Leaflet reads a string
    /// as HTML, and station names come from files anyone may upload.
    fn text(tag: &str, content: &str) -> Option<HtmlElement> {
        let element =
            web_sys::window()?.document()?.create_element(tag).ok()?.dyn_into::<HtmlElement>().ok()?;
        element.set_text_content(Some(content));
        Some(element)
    }

    /// The station's name as a link, built as a DOM node so that no name
    /// is ever read as HTML.
    fn link(name: &str, href: &str, outward: bool) -> Option<HtmlElement> {
        let anchor = text("a", name)?;
        let _ = anchor.set_attribute("href", href);
        if outward {
            let _ = anchor.set_attribute("target", "_blank");
            let _ = anchor.set_attribute("rel", "noopener");
        }
        Some(anchor)
    }

    fn lat_lon(point: Coordinates) -> Array {
        Array::of2(&point.lat().into(), &point.lon().into())
    }

    fn object(entries: &[(&str, JsValue)]) -> Object {
        let object = Object::new();
        for (key, value) in entries {
            let _ = Reflect::set(&object, &(*key).into(), value);
        }
        object
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tile_origin_is_a_policy_source() {
        let tiles = |url: &str| MapTiles { url: url.into(), attribution: String::new() };
        let pdok = tiles(
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        );
        assert_eq!(pdok.origin().as_deref(), Some("https://service.pdok.nl"));
        let osm = tiles("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png");
        assert_eq!(osm.origin().as_deref(), Some("https://*.tile.openstreetmap.org"));
        assert_eq!(
            tiles("http://127.0.0.1:3918/{z}/{x}/{y}.png").origin().as_deref(),
            Some("http://127.0.0.1:3918")
        );
        assert_eq!(tiles("tiles/{z}/{x}/{y}.png").origin(), None);
    }
}
