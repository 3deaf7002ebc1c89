//! In-place navigation between the voter pages, in the browser.
//!
//! The pages are server-rendered and only their islands (the location
//! button, the map) hydrate, so there is no client-side router. Instead,
//! a link or a GET form that leads to another of these pages is followed by
//! fetching that page's HTML, the very page a browser without JavaScript
//! would load, and putting its body in place of the current one: the URL
//! stays shareable, the answer is the server's, and the browser bundle
//! carries none of the pages' code. Anything that cannot be shown this way
//! (an error status, a failed fetch) is loaded as an ordinary page instead.

use crate::is_voter_page;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, DomParser, Element, Event, EventTarget, FormData, HtmlAnchorElement, HtmlElement,
    HtmlFormElement, MouseEvent, SubmitEvent, SupportedType, Url, UrlSearchParams,
};

thread_local! {
    /// The number of the latest navigation: the answer to an earlier one,
    /// arriving late, is dropped.
    static LATEST: Cell<u32> = const { Cell::new(0) };
    /// The URL of the page shown, without its fragment: a jump within the
    /// page (the skip link) changes the history too, and must not reload.
    static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Whether a navigation adds an entry to the browser's history (a link,
/// a search) or shows the entry the voter went back or forward to.
#[derive(Clone, Copy)]
enum Step {
    Forward,
    InHistory,
}

/// Takes over the page's links and GET forms that lead to other voter
/// pages, and the back and forward buttons.
pub fn start() {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    if let Ok(url) = window.location().href() {
        remember(&url);
    }
    listen(&document, "click", |event: MouseEvent| {
        if let Some(url) = clicked(&event) {
            event.prevent_default();
            go(url);
        }
    });
    listen(&document, "submit", |event: SubmitEvent| {
        if let Some(url) = submitted(&event) {
            event.prevent_default();
            go(url);
        }
    });
    listen(&window, "popstate", |_: Event| {
        let Some(url) = web_sys::window().and_then(|window| window.location().href().ok()) else { return };
        if SHOWN.with(|shown| *shown.borrow() != without_fragment(&url)) {
            follow(url, Step::InHistory);
        }
    });
}

/// Shows the voter page at `url` in place, as a new history entry.
pub fn go(url: String) {
    follow(url, Step::Forward);
}

fn remember(url: &str) {
    SHOWN.with(|shown| *shown.borrow_mut() = without_fragment(url).to_owned());
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

fn listen<E: JsCast + 'static>(target: &EventTarget, name: &str, handle: impl Fn(E) + 'static) {
    let listener = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        if let Ok(event) = event.dyn_into::<E>() {
            handle(event);
        }
    });
    let _ = target.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
    // Listens as long as the page lives.
    listener.forget();
}

/// Where a plain click on a link leads, when it is a voter page that can
/// be shown in place. Links that open elsewhere (a new tab, a download,
/// `rel="external"`: the language switch), pages without the bundle, a
/// click that asks the browser for a new tab, and jumps within the page
/// are left to the browser.
fn clicked(event: &MouseEvent) -> Option<String> {
    let modified = event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key();
    if event.default_prevented() || event.button() != 0 || modified {
        return None;
    }
    let anchor: HtmlAnchorElement =
        event.target()?.dyn_into::<Element>().ok()?.closest("a[href]").ok()??.dyn_into().ok()?;
    let elsewhere = !anchor.target().is_empty()
        || anchor.has_attribute("download")
        || anchor.rel().split_whitespace().any(|rel| rel == "external")
        || anchor.get_attribute("href")?.starts_with('#');
    if elsewhere {
        return None;
    }
    voter_page(&Url::new(&anchor.href()).ok()?)
}

/// Where a GET form leads on submit, when it is a voter page: the search.
fn submitted(event: &SubmitEvent) -> Option<String> {
    if event.default_prevented() {
        return None;
    }
    let form: HtmlFormElement = event.target()?.dyn_into().ok()?;
    if !form.method().eq_ignore_ascii_case("get") || !form.target().is_empty() {
        return None;
    }
    let url = Url::new(&form.action()).ok()?;
    let fields = FormData::new_with_form(&form).ok()?;
    let fields = UrlSearchParams::new_with_str_sequence_sequence(fields.as_ref()).ok()?;
    url.set_search(&String::from(fields.to_string()));
    voter_page(&url)
}

/// `url` as text, if it is a page of this site that is shown in place.
fn voter_page(url: &Url) -> Option<String> {
    let here = web_sys::window()?.location().origin().ok()?;
    (url.origin() == here && is_voter_page(&url.pathname())).then(|| url.href())
}

fn follow(url: String, step: Step) {
    let navigation = LATEST.with(|latest| {
        latest.set(latest.get().wrapping_add(1));
        latest.get()
    });
    spawn_local(async move {
        let page = fetch(&url).await;
        if LATEST.with(Cell::get) != navigation {
            return;
        }
        let shown = page.and_then(|(html, answered_at)| show(&html, &answered_at, step));
        if shown.is_none() {
            load(&url);
        }
    });
}

/// The HTML of the page at `url` and where it finally came from (after
/// redirects), if the server answered with a voter page.
async fn fetch(url: &str) -> Option<(String, String)> {
    let window = web_sys::window()?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    let answered_at = response.url();
    if !response.ok() || voter_page(&Url::new(&answered_at).ok()?).is_none() {
        return None;
    }
    let html = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
    Some((html, answered_at))
}

/// Puts the page `html` from `url` in place of the current one: its title
/// and body, then hydrates its islands and moves the focus to its answer,
/// where a screen reader then reads on. Its head is not parsed: the inline
/// styles there carry another response's nonce, which the page's policy
/// would report as violations. (The language stays: changing it is a page
/// load of its own.)
fn show(html: &str, url: &str, step: Step) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let parser = DomParser::new().ok()?;
    let title =
        parser.parse_from_string(between(html, "<title>", "</title>")?, SupportedType::TextHtml).ok()?;
    let page = parser.parse_from_string(&html[html.find("<body")?..], SupportedType::TextHtml).ok()?;
    let (body, new_body) = (document.body()?, page.body()?);
    if let Step::Forward = step {
        window.history().ok()?.push_state_with_url(&JsValue::NULL, "", Some(url)).ok()?;
    }
    remember(url);
    document.set_title(&title.title());
    // The children move, not the body: whatever observes the body (an
    // embed's height report) keeps observing. Scripts in parsed HTML
    // never run.
    body.set_text_content(None);
    while let Some(node) = new_body.first_child() {
        body.append_child(&node).ok()?;
    }
    hydrate_islands(&body);
    if let Step::Forward = step {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
    focus_answer(&document);
    Some(())
}

/// The part of `html` from `start` to `end`, both included.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)?;
    let to = from + html[from..].find(end)? + end.len();
    Some(&html[from..to])
}

/// Hydrates the islands of newly shown HTML through the function the
/// island loader (Leptos' `island_script.js`) leaves on `window`.
fn hydrate_islands(body: &HtmlElement) {
    let Ok(hydrate) = js_sys::Reflect::get(&js_sys::global(), &"__hydrateIsland".into()) else { return };
    let Ok(hydrate) = hydrate.dyn_into::<js_sys::Function>() else { return };
    let Ok(islands) = body.query_selector_all("leptos-island") else { return };
    for island in (0..islands.length()).filter_map(|index| islands.item(index)) {
        let Some(component) =
            island.dyn_ref::<Element>().and_then(|island| island.get_attribute("data-component"))
        else {
            continue;
        };
        let _ = hydrate.call2(&JsValue::NULL, &island, &component.into());
    }
}

/// Focuses the results of a search, or else the page's heading.
fn focus_answer(document: &Document) {
    let answer =
        document.get_element_by_id("results-heading").or_else(|| document.query_selector("h1").ok()?);
    if let Some(answer) = answer.and_then(|answer| answer.dyn_into::<HtmlElement>().ok()) {
        let _ = answer.set_attribute("tabindex", "-1");
        let _ = answer.focus();
    }
}

fn load(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
}
