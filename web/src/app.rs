//! The document shell, the routes, and the signed-in layout that every staff page sits in.

use leptos::prelude::*;
use leptos::server::codee::string::FromToStringCodec;
use leptos_meta::{Html, Title, provide_meta_context};
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};
use shared::auth::{Language, Me, MePatch};

use crate::api::{self, Answer};
use crate::i18n::{I18n, T, use_i18n};
use crate::pages::{
    login::LoginPage, next_steps::NextStepsPage, partner::PartnerPage, partners::NewPartnerPage,
    partners::PartnersPage,
};
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
            <p>{move || i18n.t(T::NotFound)}</p>
            <p><a href="/partners">{move || i18n.t(T::Partners)}</a></p>
        </main>
    }
    .into_any()
}

/// Who is signed in: asked once per page, by the staff layout, and shared with the page inside
/// it through context, so a page costs one `/api/v1/me` call, not two.
#[derive(Clone, Copy)]
pub struct Caller(Resource<Answer<Me>, FromToStringCodec>);

impl Caller {
    /// Whether the caller may change CRM data (viewers may not; the API refuses their writes
    /// anyway), to await inside a page's `Suspend`, so the server and the browser render the
    /// same controls. Several boundaries may await it: the lost wake-up that once left such
    /// renders hanging (leptos-rs/leptos#4851) is fixed in the Leptos we use, and the server
    /// runs all of a page's tasks on one thread (`server/src/ssr/guards/page_tasks.rs`), where that race
    /// cannot happen at all.
    pub async fn may_write(self) -> bool {
        matches!(self.0.await.result(), Ok(me) if me.can(shared::policy::Action::EditCrm))
    }
}

/// The [`Caller`] of the staff layout around the page.
pub fn use_caller() -> Caller {
    expect_context::<Caller>()
}

/// Staff pages. The top bar asks `/api/v1/me` (blocking, so an anonymous visitor gets a real
/// 302 to `/login` before any HTML is sent). The page itself sits outside that boundary: a
/// boundary re-runs its children when its resource resolves, and pages built twice on the
/// server made resources the browser never made, which broke hydration.
#[component]
fn StaffLayout() -> impl IntoView {
    let me = Resource::new_str_blocking(|| (), |_| api::me());
    provide_context(Caller(me));
    let i18n = use_i18n();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await.into_result() {
                    Ok(me) => view! { <TopBar me/> }.into_any(),
                    Err(error) if error.is_unauthenticated() => {
                        view! { <Redirect path="/login"/> }.into_any()
                    }
                    Err(_) => {
                        view! { <p class="banner error">{move || i18n.t(T::GenericError)}</p> }
                            .into_any()
                    }
                }
            })}
        </Transition>
        <main class="page"><Outlet/></main>
    }
    .into_any()
}

#[component]
fn TopBar(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let switch_language = move |_| {
        let next = match i18n.language() {
            Language::En => Language::ZhCn,
            Language::ZhCn => Language::En,
        };
        i18n.set(next);
        prefs::remember_language(next);
        // Kept per user: signing in on any device opens in this language.
        leptos::task::spawn_local(async move {
            let _ = api::update_me(&MePatch {
                locale: Some(next),
                time_zone: None,
            })
            .await;
        });
    };
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = api::logout().await;
            go_to("/login");
        });
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/partners">{move || i18n.t(T::AppName)}</a>
            <nav>
                <A href="/partners">{move || i18n.t(T::Partners)}</A>
                <A href="/next-steps">{move || i18n.t(T::NextSteps)}</A>
                <a href=format!("{}/", shared::routes::DOCS) rel="external">{move || i18n.t(T::ApiDocs)}</a>
            </nav>
            <div class="who">
                <button type="button" class="link" id="language-switch" on:click=switch_language>
                    {move || i18n.t(T::SwitchLanguage)}
                </button>
                <span class="name">{me.name.clone()}</span>
                <button type="button" class="link" id="sign-out" on:click=sign_out>
                    {move || i18n.t(T::SignOut)}
                </button>
            </div>
        </header>
    }
    .into_any()
}

/// A full page load: used after signing in or out, so every resource starts fresh.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
