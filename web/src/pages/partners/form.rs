//! The partner form, for a new partner and for editing one. Validates in the browser with the
//! same rules as the server, then saves through the API.

use leptos::prelude::*;
use shared::Patch;
use shared::auth::UserRef;
use shared::partner::{NewPartner, Partner, PartnerPatch, PartnerStatus};

use crate::api;
use crate::components::{
    Banner, Errors, SelectField, TextArea, TextField, localise, optional, show_api_error,
};
use crate::i18n::{CommonText, PartnerText, status_text, use_i18n};

#[component]
pub fn PartnerForm(
    /// The partner being edited; `None` for a new one.
    existing: Option<Partner>,
    on_saved: Callback<Partner>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let base = existing.clone();
    let name = RwSignal::new(base.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let name_zh = RwSignal::new(
        base.as_ref()
            .and_then(|p| p.name_zh.clone())
            .unwrap_or_default(),
    );
    let sector = RwSignal::new(
        base.as_ref()
            .and_then(|p| p.sector.clone())
            .unwrap_or_default(),
    );
    let website = RwSignal::new(
        base.as_ref()
            .and_then(|p| p.website.clone())
            .unwrap_or_default(),
    );
    let status = RwSignal::new(
        base.as_ref()
            .map_or(PartnerStatus::Prospect, |p| p.status)
            .as_str()
            .to_owned(),
    );
    let tags = RwSignal::new(base.as_ref().map(|p| p.tags.join(", ")).unwrap_or_default());
    let notes = RwSignal::new(
        base.as_ref()
            .and_then(|p| p.notes.clone())
            .unwrap_or_default(),
    );
    let owner = RwSignal::new(
        base.as_ref()
            .and_then(|p| p.owner.as_ref())
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
    );
    let errors: Errors = RwSignal::new(Default::default());
    let banner = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let users = Resource::new_str(|| (), |_| api::users());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = NewPartner {
            name: name.get_untracked(),
            name_zh: optional(name_zh.get_untracked()),
            sector: optional(sector.get_untracked()),
            website: optional(website.get_untracked()),
            status: Some(status.get_untracked()),
            tags: Some(
                tags.get_untracked()
                    .split([',', '，'])
                    .map(str::to_owned)
                    .collect(),
            ),
            notes: optional(notes.get_untracked()),
            owner_id: owner.get_untracked().parse().ok(),
        };
        let valid = match input.validate() {
            Ok(valid) => valid,
            Err(issues) => {
                errors.set(localise(&issues, i18n.language()));
                return;
            }
        };
        errors.set(Default::default());
        busy.set(true);
        let existing = existing.clone();
        leptos::task::spawn_local(async move {
            let saved = match existing {
                None => api::create_partner(&NewPartner::from(&valid)).await,
                Some(current) => {
                    let patch = PartnerPatch {
                        version: current.version,
                        name: Some(valid.name),
                        name_zh: Patch::from_value(valid.name_zh),
                        sector: Patch::from_value(valid.sector),
                        website: Patch::from_value(valid.website),
                        status: Some(valid.status.as_str().to_owned()),
                        tags: Some(valid.tags),
                        notes: Patch::from_value(valid.notes),
                        owner_id: Patch::from_value(valid.owner_id),
                    };
                    api::update_partner(current.id, &patch).await
                }
            };
            busy.set(false);
            match saved {
                Ok(partner) => on_saved.run(partner),
                Err(error) => show_api_error(&error, errors, banner, i18n),
            }
        });
    };

    let status_options: Vec<(String, Signal<String>)> = PartnerStatus::ALL
        .iter()
        .map(|s| {
            let key = status_text(*s);
            (
                s.as_str().to_owned(),
                Signal::derive(move || i18n.t(key).to_owned()),
            )
        })
        .collect();

    view! {
        <form class="card form-grid" id="partner-form" on:submit=submit novalidate>
            <Banner message=banner/>
            <TextField label=PartnerText::Name name="name" value=name errors required=true/>
            <TextField label=PartnerText::NameZh name="name_zh" value=name_zh errors/>
            <TextField label=PartnerText::Sector name="sector" value=sector errors/>
            <TextField label=PartnerText::Website name="website" kind="url" value=website errors/>
            <SelectField label=PartnerText::Status name="status" value=status options=status_options errors/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let users: Vec<UserRef> = users.await.into_result().unwrap_or_default();
                    let mut options: Vec<(String, Signal<String>)> = vec![(String::new(), Signal::derive(|| "—".to_owned()))];
                    options.extend(users.into_iter().map(|u| (u.id.to_string(), Signal::derive(move || u.name.clone()))));
                    view! { <SelectField label=PartnerText::Owner name="owner_id" value=owner options errors/> }
                })}
            </Transition>
            <TextField label=PartnerText::Tags name="tags" value=tags errors/>
            <TextArea label=PartnerText::Notes name="notes" value=notes errors/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { CommonText::Saving } else { CommonText::Save })}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" on:click=move |_| cancel.run(())>{move || i18n.t(CommonText::Cancel)}</button>
                })}
            </div>
        </form>
    }
    .into_any()
}
