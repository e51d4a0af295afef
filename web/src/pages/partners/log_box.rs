//! The quick "log a contact" box of a partner's page.

use leptos::html;
use leptos::prelude::*;
use shared::activity::{ActivityKind, NewActivity};
use shared::contact::Contact;
use uuid::Uuid;

use crate::api;
use crate::components::{
    Banner, Errors, SelectField, TextField, localise, optional, show_api_error,
};
use crate::format;
use crate::i18n::{ActivityText, CommonText, ContactText, kind_text, use_i18n};

/// The quick "log a contact" box: `L` focuses it from anywhere on the page, Ctrl+Enter (or
/// ⌘+Enter) saves, and the entry is on the timeline at once.
#[component]
pub(super) fn LogBox(
    partner_id: Uuid,
    contacts: Vec<Contact>,
    on_logged: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let zone = crate::prefs::use_time_zone();
    let kind = RwSignal::new(ActivityKind::Call.as_str().to_owned());
    let summary = RwSignal::new(String::new());
    let when = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let errors: Errors = RwSignal::new(Default::default());
    let banner = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let summary_box = NodeRef::<html::Textarea>::new();

    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let typing = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if !typing
                && !ev.ctrl_key()
                && !ev.meta_key()
                && !ev.alt_key()
                && ev.key().eq_ignore_ascii_case("l")
            {
                ev.prevent_default();
                if let Some(el) = summary_box.get() {
                    let _ = el.focus();
                }
            }
        });
        on_cleanup(move || handle.remove());
    }

    let save = {
        let zone = zone.clone();
        move || {
            if busy.get_untracked() {
                return;
            }
            let now = format::now();
            let when_text = when.get_untracked();
            let occurred_at = if when_text.trim().is_empty() {
                Some(now)
            } else {
                format::parse_local(&when_text, &zone)
            };
            let Some(occurred_at) = occurred_at else {
                errors.set(
                    [(
                        "occurred_at".to_owned(),
                        i18n.t(ActivityText::WhenHint).to_owned(),
                    )]
                    .into(),
                );
                return;
            };
            let input = NewActivity {
                kind: kind.get_untracked(),
                occurred_at: occurred_at.to_rfc3339(),
                summary: summary.get_untracked(),
                contact_ids: chosen
                    .get_untracked()
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                next_step: optional(next_step.get_untracked()),
                next_step_due: optional(due.get_untracked()),
            };
            let valid = match input.validate(now) {
                Ok(valid) => valid,
                Err(issues) => return errors.set(localise(&issues, i18n.language())),
            };
            errors.set(Default::default());
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = api::log_activity(partner_id, &NewActivity::from(&valid)).await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        summary.set(String::new());
                        next_step.set(String::new());
                        due.set(String::new());
                        when.set(String::new());
                        chosen.set(Vec::new());
                        banner.set(None);
                        on_logged.run(());
                    }
                    Err(error) => show_api_error(&error, errors, banner, i18n),
                }
            });
        }
    };
    let on_submit = {
        let save = save.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save();
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            save();
        }
    };
    let kinds: Vec<(String, Signal<String>)> = ActivityKind::ALL
        .iter()
        .map(|k| {
            let key = kind_text(*k);
            (
                k.as_str().to_owned(),
                Signal::derive(move || i18n.t(key).to_owned()),
            )
        })
        .collect();

    view! {
        <form class="card log-box" id="log-box" on:submit=on_submit on:keydown=on_keydown novalidate>
            <div class="log-head">
                <strong>{move || i18n.t(ActivityText::LogContact)}</strong>
                <span class="muted hint">{move || i18n.t(ActivityText::ShortcutHint)}</span>
            </div>
            <Banner message=banner/>
            <SelectField label=ActivityText::Kind name="kind" value=kind options=kinds errors/>
            <label class="field" class:invalid=move || errors.with(|e| e.contains_key("summary"))>
                <span class="label">{move || i18n.t(ActivityText::Summary)}" *"</span>
                <textarea name="summary" id="log-summary" rows=3 node_ref=summary_box
                    prop:value=move || summary.get()
                    on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                <Show when=move || errors.with(|e| e.contains_key("summary"))>
                    <span class="field-error" data-field="summary">{move || errors.with(|e| e.get("summary").cloned().unwrap_or_default())}</span>
                </Show>
            </label>
            {(!contacts.is_empty()).then(|| view! {
                <fieldset class="who-box">
                    <legend>{move || i18n.t(ContactText::Contacts)}</legend>
                    {contacts.iter().map(|c| {
                        let id = c.id;
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=move || chosen.with(|ids| ids.contains(&id))
                                    on:change=move |ev| chosen.update(|ids| {
                                        if event_target_checked(&ev) { ids.push(id) } else { ids.retain(|x| *x != id) }
                                    })/>
                                {c.full_name.clone()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            <div class="row">
                <TextField label=ActivityText::When name="occurred_at" kind="datetime-local" value=when errors placeholder=ActivityText::WhenHint/>
                <TextField label=ActivityText::NextStep name="next_step" value=next_step errors/>
                <TextField label=ActivityText::Due name="next_step_due" kind="date" value=due errors/>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="log-save" disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { CommonText::Saving } else { CommonText::Save })}
                </button>
            </div>
        </form>
    }
    .into_any()
}
