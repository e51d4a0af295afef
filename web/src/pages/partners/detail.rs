//! `/partners/{id}`: the partner, its contacts, the quick "log a contact" box and the timeline.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::activity::TimelineQuery;
use shared::partner::Partner;
use uuid::Uuid;

use super::form::PartnerForm;
use crate::api::{self, Answer};
use crate::components::{Banner, show_api_error};
use crate::i18n::{ActivityText, CommonText, ContactText, PartnerText, status_text, use_i18n};
use crate::layouts::staff::use_caller;

use super::contacts::ContactList;
use super::log_box::LogBox;
use super::timeline::Timeline;

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
                        limit: Some("30".to_owned()),
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
    let zone = crate::prefs::use_time_zone();
    // The layout's caller, awaited by each boundary below (see `Caller::may_write`).
    let caller = use_caller();
    view! {
        <Transition fallback=move || view! { <p class="muted">{move || i18n.t(CommonText::Loading)}</p> }>
            {move || Suspend::new(async move {
                let writable = caller.may_write().await;
                match partner.await.into_result() {
                    Ok(Some(p)) => view! { <PartnerView partner=p writable on_change=Callback::new(move |()| partner.refetch())/> }.into_any(),
                    _ => view! { <p class="error" id="not-found">{move || i18n.t(CommonText::NotFound)}</p> }.into_any(),
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
                            <h2>{move || i18n.t(ContactText::Contacts)}</h2>
                            <ContactList partner_id contacts=list.clone() writable on_change=Callback::new(move |()| contacts.refetch())/>
                        </section>
                        <section class="log-column">
                            <h2>{move || i18n.t(ActivityText::Timeline)}</h2>
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
                                Err(_) => view! { <p class="error">{move || i18n.t(CommonText::GenericError)}</p> }.into_any(),
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
        if !crate::components::confirm(i18n.t(CommonText::ConfirmDelete)) {
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
                            <h1 id="partner-name">{
                                let (name, name_zh) = (p.name.clone(), p.name_zh.clone());
                                move || crate::format::names_in_order(&name, name_zh.as_deref(), i18n.language()).0
                            }</h1>
                            <p class="zh big">{
                                let (name, name_zh) = (p.name.clone(), p.name_zh.clone());
                                move || crate::format::names_in_order(&name, name_zh.as_deref(), i18n.language()).1.unwrap_or_default()
                            }</p>
                            <p class="meta">
                                <span class=format!("badge status-{}", status.as_str())>{move || i18n.t(status_text(status))}</span>
                                {p.sector.clone().map(|s| view! { <span>{s}</span> })}
                                {p.website.clone().map(|w| view! { <a href=w.clone() rel="noopener noreferrer" target="_blank">{w.clone()}</a> })}
                                {p.owner.clone().map(|o| view! { <span>{move || i18n.t(PartnerText::Owner)}": "{o.name.clone()}</span> })}
                            </p>
                            <p class="tags">{p.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</p>
                            {p.notes.clone().map(|n| view! { <p class="notes">{n}</p> })}
                        </div>
                        {writable.then(|| view! {
                            <div class="actions">
                                <button type="button" id="edit-partner" on:click=move |_| editing.set(true)>{move || i18n.t(CommonText::Edit)}</button>
                                <button type="button" class="danger" id="delete-partner" on:click=delete.clone()>{move || i18n.t(CommonText::Delete)}</button>
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
