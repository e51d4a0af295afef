//! The document shell and the routes; each staff page sits in `layouts::staff`.

use leptos::prelude::*;
use leptos_meta::{Html, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::i18n::{CommonText, I18n, use_i18n};
use crate::layouts::staff::StaffLayout;
use crate::pages::login::LoginPage;
use crate::pages::next_steps::NextStepsPage;
use crate::pages::partners::{NewPartnerPage, PartnerPage, PartnersPage};
use crate::prefs;

/// The HTML document around the app; the server renders it for every page.
#[cfg(feature = "ssr")]
pub fn shell(options: leptos::config::LeptosOptions) -> impl IntoView {
    use leptos::hydration::HydrationScripts;
    use leptos_meta::MetaTags;
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/assets/style.css"/>
                <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
    .into_any()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n(RwSignal::new(prefs::language()));
    provide_context(i18n);
    provide_context(prefs::TimeZone(prefs::time_zone()));
    view! {
        <Html {..} lang=move || i18n.language().as_str()/>
        <Title text="Liaison"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=StaffLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=|| view! { <Redirect path="/partners"/> }/>
                    <Route path=path!("/partners/new") view=NewPartnerPage/>
                    <Route path=path!("/partners/:id") view=PartnerPage/>
                    <Route path=path!("/partners") view=PartnersPage/>
                    <Route path=path!("/next-steps") view=NextStepsPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
    .into_any()
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="narrow">
            <h1>"404"</h1>
            <p>{move || i18n.t(CommonText::NotFound)}</p>
            <p><a href="/partners">{move || i18n.t(CommonText::Partners)}</a></p>
        </main>
    }
    .into_any()
}
