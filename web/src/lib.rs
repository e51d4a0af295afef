//! Liaison's UI, written once and compiled twice: with `ssr` into the server, which renders
//! pages; with `hydrate` to wasm, which makes them interactive in the browser. Pages read and
//! write only through `/api/v1` ([`api`]): fetch in the browser, an in-process call during SSR.

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod layouts;
pub mod pages;
pub mod prefs;

pub use app::App;
#[cfg(feature = "ssr")]
pub use app::shell;

/// The browser's entry point, called by the hydration script Leptos puts in the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // A mark only client code sets: browser tests wait for it to know the page is live.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
