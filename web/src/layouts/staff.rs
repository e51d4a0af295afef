//! The staff layout: the top bar, and who is signed in for the pages inside it.

use leptos::prelude::*;
use leptos::server::codee::string::FromToStringCodec;
use leptos_router::components::{A, Outlet, Redirect};
use shared::auth::{Language, Me, MePatch};
use shared::policy::Action;

use super::go_to;
use crate::api::{self, Answer};
use crate::i18n::{CommonText, use_i18n};
use crate::prefs;

/// Who is signed in: asked once per page, by the staff layout, and shared with the page inside
/// it through context, so a page costs one `/api/v1/me` call, not two.
#[derive(Clone, Copy)]
pub struct Caller(Resource<Answer<Me>, FromToStringCodec>);

impl Caller {
    /// Whether the caller may do `action` (`shared::policy`, the rule the API enforces), to
    /// await inside a page's `Suspend`, so the server and the browser render the
    /// same controls. Several boundaries may await it: the lost wake-up that once left such
    /// renders hanging (leptos-rs/leptos#4851) is fixed in the Leptos we use, and the server
    /// runs all of a page's tasks on one thread (`server/src/ssr/guards/page_tasks.rs`), where that race
    /// cannot happen at all.
    pub async fn can(self, action: Action) -> bool {
        matches!(self.0.await.result(), Ok(me) if me.can(action))
    }

    /// Whether the caller may change CRM data ([`Action::EditCrm`]).
    pub async fn may_write(self) -> bool {
        self.can(Action::EditCrm).await
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
pub fn StaffLayout() -> impl IntoView {
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
                        view! { <p class="banner error">{move || i18n.t(CommonText::GenericError)}</p> }
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
                locale: Some(next.as_str().to_owned()),
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
            <a class="brand" href="/partners">{move || i18n.t(CommonText::AppName)}</a>
            <nav>
                <A href="/partners">{move || i18n.t(CommonText::Partners)}</A>
                <A href="/next-steps">{move || i18n.t(CommonText::NextSteps)}</A>
                <a href=format!("{}/", shared::routes::DOCS) rel="external">{move || i18n.t(CommonText::ApiDocs)}</a>
            </nav>
            <div class="who">
                <button type="button" class="link" id="language-switch" on:click=switch_language>
                    {move || i18n.t(CommonText::SwitchLanguage)}
                </button>
                <span class="name">{me.name.clone()}</span>
                <button type="button" class="link" id="sign-out" on:click=sign_out>
                    {move || i18n.t(CommonText::SignOut)}
                </button>
            </div>
        </header>
    }
    .into_any()
}
