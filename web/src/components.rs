//! Form pieces shared by the pages: labelled fields with their error beside them, the error
//! banner, and turning API errors into words.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shared::ErrorCode;
use shared::auth::Language;
use shared::validate::Issues;

use crate::api::ApiError;
use crate::i18n::{CommonText, I18n, TextKey, issue_text, use_i18n};

/// Field name → message, in the reader's language where the browser found the problem.
pub type Errors = RwSignal<BTreeMap<String, String>>;

pub fn localise(issues: &Issues, language: Language) -> BTreeMap<String, String> {
    issues
        .0
        .iter()
        .map(|(field, issue)| (field.clone(), issue_text(*issue, language)))
        .collect()
}

/// Puts an API error where it belongs: field messages beside their fields (the API says them
/// in the reader's language, duplicates included), anything else in the banner.
pub fn show_api_error(
    error: &ApiError,
    fields: Errors,
    banner: RwSignal<Option<String>>,
    i18n: I18n,
) {
    if !error.body.error.fields.is_empty() {
        fields.set(error.body.error.fields.clone());
        banner.set(None);
        return;
    }
    let key = match error.code() {
        ErrorCode::StaleVersion => CommonText::StaleVersion,
        ErrorCode::Conflict => CommonText::Duplicate,
        ErrorCode::Forbidden => CommonText::Forbidden,
        ErrorCode::NotFound => CommonText::NotFound,
        _ => CommonText::GenericError,
    };
    banner.set(Some(i18n.t(key).to_owned()));
}

#[component]
pub fn Banner(message: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.with(Option::is_some)>
            <p class="banner error" role="alert">{move || message.get().unwrap_or_default()}</p>
        </Show>
    }
    .into_any()
}

#[component]
fn FieldError(name: &'static str, errors: Errors) -> impl IntoView {
    view! {
        <Show when=move || errors.with(|e| e.contains_key(name))>
            <span class="field-error" data-field=name>
                {move || errors.with(|e| e.get(name).cloned().unwrap_or_default())}
            </span>
        </Show>
    }
    .into_any()
}

#[component]
pub fn TextField(
    #[prop(into)] label: TextKey,
    name: &'static str,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] placeholder: Option<TextKey>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field" class:invalid=move || errors.with(|e| e.contains_key(name))>
            <span class="label">{move || i18n.t(label)}{required.then_some(" *")}</span>
            <input
                type=kind
                name=name
                required=required
                placeholder=move || placeholder.map(|p| i18n.t(p))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <FieldError name errors/>
        </label>
    }
    .into_any()
}

#[component]
pub fn TextArea(
    #[prop(into)] label: TextKey,
    name: &'static str,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field" class:invalid=move || errors.with(|e| e.contains_key(name))>
            <span class="label">{move || i18n.t(label)}</span>
            <textarea
                name=name
                rows=rows
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <FieldError name errors/>
        </label>
    }
    .into_any()
}

/// A `<select>` over fixed options: (value, label).
#[component]
pub fn SelectField(
    #[prop(into)] label: TextKey,
    name: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, Signal<String>)>,
    errors: Errors,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field" class:invalid=move || errors.with(|e| e.contains_key(name))>
            <span class="label">{move || i18n.t(label)}</span>
            <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let selected = {
                            let option = option.clone();
                            move || value.get() == option
                        };
                        view! { <option value=option selected=selected>{move || text.get()}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldError name errors/>
        </label>
    }
    .into_any()
}

/// An optional text value from a form field: blank means absent.
pub fn optional(value: String) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// The browser's own yes/no question (always no while rendering on the server).
pub fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(message).ok())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        false
    }
}
