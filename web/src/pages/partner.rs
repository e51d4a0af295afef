//! `/partners/{id}`: the partner, its contacts, the quick "log a contact" box and the timeline.

use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::Patch;
use shared::activity::{Activity, ActivityKind, ActivityPatch, NewActivity, TimelineQuery};
use shared::auth::Language;
use shared::contact::{Contact, ContactPatch, NewContact};
use shared::partner::Partner;
use uuid::Uuid;

use crate::api::{self, Answer};
use crate::app::use_caller;
use crate::components::{
    Banner, Errors, SelectField, TextField, localise, optional, show_api_error,
};
use crate::format;
use crate::i18n::{T, kind_text, status_text, use_i18n};
use crate::pages::partner_form::PartnerForm;

fn time_zone() -> String {
    crate::prefs::use_time_zone()
}

/// Every resource of the page is made here, at the top, never inside a boundary that awaits
/// another resource: such a boundary re-runs its children when that resource resolves, and on
/// the server the second run made resources the browser never made, so hydration failed.
#[component]
pub fn PartnerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok())));
    let cursor = Memo::new(move |_| query.with(|q| q.get("before")));
    // Bumped after a change; resources key on it, since an unchanged source does not refetch.
    let revision = RwSignal::new(0u32);
    let partner = Resource::new_str(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::partner(id).await.optional(),
                None => Answer::made(None),
            }
        },
    );
    let contacts = Resource::new_str(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::contacts(id).await,
                None => Answer::made(Vec::new()),
            }
        },
    );
    let timeline = Resource::new_str(
        move || (id.get(), revision.get(), cursor.get()),
        |(id, _, cursor)| async move {
            match id {
                Some(id) => api::timeline(
                    id,
                    &TimelineQuery {
                        limit: Some(30),
                        cursor,
                    },
                )
                .await
                .optional(),
                None => Answer::made(None),
            }
        },
    );
    let found = move || async move { matches!(partner.await.result(), Ok(Some(_))) };
    let zone = time_zone();
    // The layout's caller, awaited by each boundary below (see `Caller::may_write`).
    let caller = use_caller();
    view! {
        <Transition fallback=move || view! { <p class="muted">{move || i18n.t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                let writable = caller.may_write().await;
                match partner.await.into_result() {
                    Ok(Some(p)) => view! { <PartnerView partner=p writable on_change=Callback::new(move |()| partner.refetch())/> }.into_any(),
                    _ => view! { <p class="error" id="not-found">{move || i18n.t(T::NotFound)}</p> }.into_any(),
                }
            })}
        </Transition>
        <div class="columns">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let (Some(partner_id), true) = (id.get_untracked(), found().await) else {
                        return ().into_any();
                    };
                    let writable = caller.may_write().await;
                    let list = contacts.await.into_result().unwrap_or_default();
                    view! {
                        <section class="contacts">
                            <h2>{move || i18n.t(T::Contacts)}</h2>
                            <ContactList partner_id contacts=list.clone() writable on_change=Callback::new(move |()| contacts.refetch())/>
                        </section>
                        <section class="log-column">
                            <h2>{move || i18n.t(T::Timeline)}</h2>
                            {writable.then(|| view! {
                                <LogBox partner_id contacts=list on_logged=Callback::new(move |()| revision.update(|n| *n += 1))/>
                            })}
                        </section>
                    }
                    .into_any()
                })}
            </Transition>
            <section class="timeline-column">
                <Transition fallback=|| ()>
                    {move || {
                        let zone = zone.clone();
                        Suspend::new(async move {
                            let (Some(partner_id), true) = (id.get_untracked(), found().await) else {
                                return ().into_any();
                            };
                            let writable = caller.may_write().await;
                            match timeline.await.into_result() {
                                Ok(Some(page)) => view! {
                                    <Timeline partner_id page zone writable first=cursor.get_untracked().is_none()
                                        on_change=Callback::new(move |()| revision.update(|n| *n += 1))/>
                                }
                                .into_any(),
                                Ok(None) => ().into_any(),
                                Err(_) => view! { <p class="error">{move || i18n.t(T::GenericError)}</p> }.into_any(),
                            }
                        })
                    }}
                </Transition>
            </section>
        </div>
    }
    .into_any()
}

/// The partner's header, or its edit form.
#[component]
fn PartnerView(partner: Partner, writable: bool, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let banner = RwSignal::new(None::<String>);
    let partner_id = partner.id;

    let navigate = use_navigate();
    let delete = move |_| {
        if !confirm(i18n.t(T::ConfirmDelete)) {
            return;
        }
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::delete_partner(partner_id).await {
                Ok(()) => navigate("/partners", NavigateOptions::default()),
                Err(error) => {
                    show_api_error(&error, RwSignal::new(Default::default()), banner, i18n)
                }
            }
        });
    };
    let header = partner.clone();
    let status = header.status;
    view! {
        <Banner message=banner/>
        <Show
            when=move || editing.get()
            fallback=move || {
                let p = header.clone();
                view! {
                    <section class="partner-head">
                        <div>
                            <h1 id="partner-name">{p.name.clone()}</h1>
                            {p.name_zh.clone().map(|zh| view! { <p class="zh big">{zh}</p> })}
                            <p class="meta">
                                <span class=format!("badge status-{}", status.as_str())>{move || i18n.t(status_text(status))}</span>
                                {p.sector.clone().map(|s| view! { <span>{s}</span> })}
                                {p.website.clone().map(|w| view! { <a href=w.clone() rel="noopener noreferrer" target="_blank">{w.clone()}</a> })}
                                {p.owner.clone().map(|o| view! { <span>{move || i18n.t(T::Owner)}": "{o.name.clone()}</span> })}
                            </p>
                            <p class="tags">{p.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</p>
                            {p.notes.clone().map(|n| view! { <p class="notes">{n}</p> })}
                        </div>
                        {writable.then(|| view! {
                            <div class="actions">
                                <button type="button" id="edit-partner" on:click=move |_| editing.set(true)>{move || i18n.t(T::Edit)}</button>
                                <button type="button" class="danger" id="delete-partner" on:click=delete.clone()>{move || i18n.t(T::Delete)}</button>
                            </div>
                        })}
                    </section>
                }
                .into_any()
            }
        >
            <PartnerForm
                existing=Some(partner.clone())
                on_saved=Callback::new(move |_| { editing.set(false); on_change.run(()); })
                on_cancel=Callback::new(move |()| editing.set(false))
            />
        </Show>
    }
    .into_any()
}

fn confirm(message: &str) -> bool {
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

#[component]
fn ContactList(
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
        {empty.then(|| view! { <p class="muted">{move || i18n.t(T::NoContacts)}</p> })}
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
                                        {c.is_primary.then(|| view! { <span class="badge">{move || i18n.t(T::Primary)}</span> })}
                                        {c.title.clone().map(|t| view! { <div class="muted">{t}</div> })}
                                        <div class="contact-ways">
                                            {c.email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                                            {c.phone.clone().map(|p| view! { <a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a> })}
                                            {c.wechat.clone().map(|w| view! { <span>{move || i18n.t(T::Wechat)}": "{w.clone()}</span> })}
                                        </div>
                                        {writable.then(|| view! {
                                            <div class="actions small">
                                                <button type="button" class="link" on:click=move |_| editing.set(Some(id))>{move || i18n.t(T::Edit)}</button>
                                                <button type="button" class="link danger" on:click=move |_| {
                                                    if confirm(i18n.t(T::ConfirmDelete)) {
                                                        leptos::task::spawn_local(async move {
                                                            if api::delete_contact(id).await.is_ok() { on_change.run(()); }
                                                        });
                                                    }
                                                }>{move || i18n.t(T::Delete)}</button>
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
                    <button type="button" id="add-contact" on:click=move |_| adding.set(true)>{move || i18n.t(T::AddContact)}</button>
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
            language: Language::parse(&language.get_untracked()),
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
                None => api::create_contact(partner_id, &valid).await,
                Some(current) => {
                    let patch = ContactPatch {
                        version: current.version,
                        full_name: Some(valid.full_name),
                        name_zh: Patch::from_value(valid.name_zh),
                        title: Patch::from_value(valid.title),
                        email: Patch::from_value(valid.email),
                        phone: Patch::from_value(valid.phone),
                        wechat: Patch::from_value(valid.wechat),
                        language: valid.language,
                        is_primary: valid.is_primary,
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
            Signal::derive(move || i18n.t(T::English).to_owned()),
        ),
        (
            "zh-CN".to_owned(),
            Signal::derive(move || i18n.t(T::Chinese).to_owned()),
        ),
    ];
    view! {
        <form class="card form-grid contact-form" on:submit=submit novalidate>
            <Banner message=banner/>
            <TextField label=T::FullName name="full_name" value=full_name errors required=true/>
            <TextField label=T::NameZh name="name_zh" value=name_zh errors/>
            <TextField label=T::Title name="title" value=title errors/>
            <TextField label=T::Email name="email" kind="email" value=email errors/>
            <TextField label=T::Phone name="phone" kind="tel" value=phone errors/>
            <TextField label=T::Wechat name="wechat" value=wechat errors/>
            <SelectField label=T::PreferredLanguage name="language" value=language options=languages errors/>
            <label class="check">
                <input type="checkbox" name="is_primary" prop:checked=move || primary.get()
                    on:change=move |ev| primary.set(event_target_checked(&ev))/>
                {move || i18n.t(T::Primary)}
            </label>
            <div class="actions">
                <button type="submit" class="primary">{move || i18n.t(T::Save)}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>{move || i18n.t(T::Cancel)}</button>
            </div>
        </form>
    }
    .into_any()
}

/// The quick "log a contact" box: `L` focuses it from anywhere on the page, Ctrl+Enter (or
/// ⌘+Enter) saves, and the entry is on the timeline at once.
#[component]
fn LogBox(partner_id: Uuid, contacts: Vec<Contact>, on_logged: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = time_zone();
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
                errors.set([("occurred_at".to_owned(), i18n.t(T::WhenHint).to_owned())].into());
                return;
            };
            let input = NewActivity {
                kind: ActivityKind::parse(&kind.get_untracked()).unwrap_or(ActivityKind::Note),
                occurred_at,
                summary: summary.get_untracked(),
                contact_ids: chosen.get_untracked(),
                next_step: optional(next_step.get_untracked()),
                next_step_due: due.get_untracked().parse().ok(),
            };
            let valid = match input.validate(now) {
                Ok(valid) => valid,
                Err(issues) => return errors.set(localise(&issues, i18n.language())),
            };
            errors.set(Default::default());
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = api::log_activity(partner_id, &valid).await;
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
                <strong>{move || i18n.t(T::LogContact)}</strong>
                <span class="muted hint">{move || i18n.t(T::ShortcutHint)}</span>
            </div>
            <Banner message=banner/>
            <SelectField label=T::Kind name="kind" value=kind options=kinds errors/>
            <label class="field" class:invalid=move || errors.with(|e| e.contains_key("summary"))>
                <span class="label">{move || i18n.t(T::Summary)}" *"</span>
                <textarea name="summary" id="log-summary" rows=3 node_ref=summary_box
                    prop:value=move || summary.get()
                    on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                <Show when=move || errors.with(|e| e.contains_key("summary"))>
                    <span class="field-error" data-field="summary">{move || errors.with(|e| e.get("summary").cloned().unwrap_or_default())}</span>
                </Show>
            </label>
            {(!contacts.is_empty()).then(|| view! {
                <fieldset class="who-box">
                    <legend>{move || i18n.t(T::Contacts)}</legend>
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
                <TextField label=T::When name="occurred_at" kind="datetime-local" value=when errors placeholder=T::WhenHint/>
                <TextField label=T::NextStep name="next_step" value=next_step errors/>
                <TextField label=T::Due name="next_step_due" kind="date" value=due errors/>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="log-save" disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { T::Saving } else { T::Save })}
                </button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn Timeline(
    partner_id: Uuid,
    page: shared::Page<Activity>,
    zone: String,
    /// Whether this is the newest page (no `before` cursor in the URL).
    first: bool,
    /// Whether the reader may mark next steps done.
    writable: bool,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="muted">{move || i18n.t(T::NoActivities)}</p> }.into_any();
    }
    let older = page
        .next_cursor
        .map(|c| format!("/partners/{partner_id}?before={c}"));
    let newest = (!first).then(|| format!("/partners/{partner_id}"));
    view! {
        <ol class="timeline" id="timeline">
            {page.items.into_iter().map(|a| view! { <TimelineEntry activity=a zone=zone.clone() writable on_change/> }).collect_view()}
        </ol>
        <nav class="pager">
            {newest.map(|url| view! { <a href=url>{move || i18n.t(T::Newest)}</a> })}
            {older.map(|url| view! { <a href=url>{move || i18n.t(T::Older)}</a> })}
        </nav>
    }
    .into_any()
}

#[component]
pub fn TimelineEntry(
    activity: Activity,
    zone: String,
    writable: bool,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = activity.kind;
    let id = activity.id;
    let done = activity.next_step_done_at.is_some();
    let toggle = move |_| {
        leptos::task::spawn_local(async move {
            let patch = ActivityPatch {
                next_step_done: Some(!done),
                ..Default::default()
            };
            if api::update_activity(id, &patch).await.is_ok() {
                on_change.run(());
            }
        });
    };
    let contacts: Vec<String> = activity
        .contacts
        .iter()
        .map(|c| c.full_name.clone())
        .collect();
    view! {
        <li class=format!("entry kind-{}", kind.as_str())>
            <div class="entry-head">
                <span class="badge kind">{move || i18n.t(kind_text(kind))}</span>
                <time datetime=format::machine(&activity.occurred_at)>{format::date_time(activity.occurred_at, &zone)}</time>
                {activity.author.clone().map(|a| view! { <span class="muted">{move || i18n.t(T::By)}" "{a.name.clone()}</span> })}
                {(!contacts.is_empty()).then(|| view! { <span class="muted">{move || i18n.t(T::With)}" "{contacts.join(", ")}</span> })}
            </div>
            <p class="summary">{activity.summary.clone()}</p>
            {activity.next_step.clone().map(|step| view! {
                <div class="next-step" class:done=done>
                    <span>"→ "{step}</span>
                    {activity.next_step_due.map(|d| view! { <span class="due">{move || i18n.t(T::Due)}" "{format::date(d)}</span> })}
                    {writable.then(|| view! {
                        <button type="button" class="link toggle-step" on:click=toggle>
                            {move || i18n.t(if done { T::Reopen } else { T::MarkDone })}
                        </button>
                    })}
                </div>
            })}
        </li>
    }
    .into_any()
}
