//! The browser entry point, which the island loader calls before it
//! hydrates the page's islands. Everything else lives in the `app` crate.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::start_in_browser();
}
