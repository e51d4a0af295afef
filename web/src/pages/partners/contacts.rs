//! The partner's contacts: the list, and the form that adds or edits one.

use leptos::prelude::*;
use shared::Patch;
use shared::auth::Language;
use shared::contact::{Contact, ContactPatch, NewContact};
use uuid::Uuid;

use crate::api;
use crate::components::{
    Banner, Errors, SelectField, TextField, localise, optional, show_api_error,
};
use crate::i18n::{CommonText, ContactText, PartnerText, use_i18n};

use crate::components::confirm;

#[component]
pub(super) fn ContactList(
    partner_id: Uuid,
    contacts: Vec<Contact>,
    writable: bool,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let adding = RwSignal::new(false);
    let editing = RwSignal::new(None::<Uuid>);
    let empty = contacts.is_empty();
    view! {
        {empty.then(|| view! { <p class="muted">{move || i18n.t(ContactText::NoContacts)}</p> })}
        <ul class="contact-list" id="contact-list">
            {contacts.into_iter().map(|c| {
                let id = c.id;
                let shown = c.clone();
                view! {
                    <li class="contact">
                        <Show
                            when=move || editing.get() == Some(id)
                            fallback=move || {
                                let c = shown.clone();
                                view! {
                                    <div class="contact-card">
                                        <strong>{c.full_name.clone()}</strong>
                                        {c.name_zh.clone().map(|zh| view! { <span class="zh">" "{zh}</span> })}
                                        {c.is_primary.then(|| view! { <span class="badge">{move || i18n.t(ContactText::Primary)}</span> })}
                                        {c.title.clone().map(|t| view! { <div class="muted">{t}</div> })}
                                        <div class="contact-ways">
                                            {c.email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                                            {c.phone.clone().map(|p| view! { <a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a> })}
                                            {c.wechat.clone().map(|w| view! { <span>{move || i18n.t(ContactText::Wechat)}": "{w.clone()}</span> })}
                                        </div>
                                        {writable.then(|| view! {
                                            <div class="actions small">
                                                <button type="button" class="link" on:click=move |_| editing.set(Some(id))>{move || i18n.t(CommonText::Edit)}</button>
                                                <button type="button" class="link danger" on:click=move |_| {
                                                    if confirm(i18n.t(CommonText::ConfirmDelete)) {
                                                        leptos::task::spawn_local(async move {
                                                            if api::delete_contact(id).await.is_ok() { on_change.run(()); }
                                                        });
                                                    }
                                                }>{move || i18n.t(CommonText::Delete)}</button>
                                            </div>
                                        })}
                                    </div>
                                }
                                .into_any()
                            }
                        >
                            <ContactForm partner_id existing=Some(c.clone())
                                on_saved=Callback::new(move |()| { editing.set(None); on_change.run(()); })
                                on_cancel=Callback::new(move |()| editing.set(None))/>
                        </Show>
                    </li>
                }
                .into_any()
            }).collect_view()}
        </ul>
        {writable.then(|| view! {
            <Show
                when=move || adding.get()
                fallback=move || view! {
                    <button type="button" id="add-contact" on:click=move |_| adding.set(true)>{move || i18n.t(ContactText::AddContact)}</button>
                }
            >
                <ContactForm partner_id existing=None
                    on_saved=Callback::new(move |()| { adding.set(false); on_change.run(()); })
                    on_cancel=Callback::new(move |()| adding.set(false))/>
            </Show>
        })}
    }
    .into_any()
}

#[component]
fn ContactForm(
    partner_id: Uuid,
    existing: Option<Contact>,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let base = existing.clone();
    let text = |f: fn(&Contact) -> Option<String>| {
        RwSignal::new(base.as_ref().and_then(f).unwrap_or_default())
    };
    let full_name = text(|c| Some(c.full_name.clone()));
    let name_zh = text(|c| c.name_zh.clone());
    let title = text(|c| c.title.clone());
    let email = text(|c| c.email.clone());
    let phone = text(|c| c.phone.clone());
    let wechat = text(|c| c.wechat.clone());
    let language = RwSignal::new(
        base.as_ref()
            .map_or(Language::En, |c| c.language)
            .as_str()
            .to_owned(),
    );
    let primary = RwSignal::new(base.as_ref().is_some_and(|c| c.is_primary));
    let errors: Errors = RwSignal::new(Default::default());
    let banner = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewContact {
            full_name: full_name.get_untracked(),
            name_zh: optional(name_zh.get_untracked()),
            title: optional(title.get_untracked()),
            email: optional(email.get_untracked()),
            phone: optional(phone.get_untracked()),
            wechat: optional(wechat.get_untracked()),
            language: Some(language.get_untracked()),
            is_primary: Some(primary.get_untracked()),
        };
        let valid = match input.validate() {
            Ok(valid) => valid,
            Err(issues) => return errors.set(localise(&issues, i18n.language())),
        };
        errors.set(Default::default());
        let existing = existing.clone();
        leptos::task::spawn_local(async move {
            let saved = match existing {
                None => api::create_contact(partner_id, &NewContact::from(&valid)).await,
                Some(current) => {
                    let patch = ContactPatch {
                        version: current.version,
                        full_name: Some(valid.full_name),
                        name_zh: Patch::from_value(valid.name_zh),
                        title: Patch::from_value(valid.title),
                        email: Patch::from_value(valid.email),
                        phone: Patch::from_value(valid.phone),
                        wechat: Patch::from_value(valid.wechat),
                        language: Some(valid.language.as_str().to_owned()),
                        is_primary: Some(valid.is_primary),
                    };
                    api::update_contact(current.id, &patch).await
                }
            };
            match saved {
                Ok(_) => on_saved.run(()),
                Err(error) => show_api_error(&error, errors, banner, i18n),
            }
        });
    };
    let languages = vec![
        (
            "en".to_owned(),
            Signal::derive(move || i18n.t(CommonText::English).to_owned()),
        ),
        (
            "zh-CN".to_owned(),
            Signal::derive(move || i18n.t(CommonText::Chinese).to_owned()),
        ),
    ];
    view! {
        <form class="card form-grid contact-form" on:submit=submit novalidate>
            <Banner message=banner/>
            <TextField label=ContactText::FullName name="full_name" value=full_name errors required=true/>
            <TextField label=PartnerText::NameZh name="name_zh" value=name_zh errors/>
            <TextField label=ContactText::Title name="title" value=title errors/>
            <TextField label=CommonText::Email name="email" kind="email" value=email errors/>
            <TextField label=ContactText::Phone name="phone" kind="tel" value=phone errors/>
            <TextField label=ContactText::Wechat name="wechat" value=wechat errors/>
            <SelectField label=ContactText::PreferredLanguage name="language" value=language options=languages errors/>
            <label class="check">
                <input type="checkbox" name="is_primary" prop:checked=move || primary.get()
                    on:change=move |ev| primary.set(event_target_checked(&ev))/>
                {move || i18n.t(ContactText::Primary)}
            </label>
            <div class="actions">
                <button type="submit" class="primary">{move || i18n.t(CommonText::Save)}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>{move || i18n.t(CommonText::Cancel)}</button>
            </div>
        </form>
    }
    .into_any()
}
