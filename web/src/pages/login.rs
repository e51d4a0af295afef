//! `/login`: staff sign-in with email and password.

use leptos::prelude::*;
use shared::ErrorCode;
use shared::auth::{Language, LoginRequest};

use crate::api;
use crate::components::{Banner, Errors, TextField};
use crate::i18n::{CommonText, StaffText, TextKey, use_i18n};
use crate::layouts::go_to;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(Default::default());
    let banner = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        // The rule the API applies, in the reader's language.
        match request.validate() {
            Ok(()) => errors.set(Default::default()),
            Err(issues) => {
                return errors.set(crate::components::localise(&issues, i18n.language()));
            }
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::login(&request).await {
                Ok(_) => go_to("/partners"),
                Err(error) => {
                    busy.set(false);
                    let key: TextKey = match error.code() {
                        ErrorCode::RateLimited => StaffText::TooManyAttempts.into(),
                        ErrorCode::Unauthenticated => StaffText::WrongCredentials.into(),
                        _ => CommonText::GenericError.into(),
                    };
                    banner.set(Some(i18n.t(key).to_owned()));
                }
            }
        });
    };
    let switch_language = move |_| {
        let next = match i18n.language() {
            Language::En => Language::ZhCn,
            Language::ZhCn => Language::En,
        };
        i18n.set(next);
        crate::prefs::remember_language(next);
    };

    view! {
        <main class="narrow login">
            <div class="login-head">
                <h1>{move || i18n.t(CommonText::AppName)}</h1>
                <button type="button" class="link" id="language-switch" on:click=switch_language>
                    {move || i18n.t(CommonText::SwitchLanguage)}
                </button>
            </div>
            <form class="card" on:submit=submit novalidate>
                <Banner message=banner/>
                <TextField label=CommonText::Email name="email" kind="email" value=email errors required=true/>
                <TextField label=StaffText::Password name="password" kind="password" value=password errors required=true/>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { StaffText::SigningIn } else { StaffText::SignIn })}
                </button>
            </form>
        </main>
    }
    .into_any()
}
