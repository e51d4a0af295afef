//! The partner's timeline of logged contacts, newest first.

use leptos::prelude::*;
use shared::activity::{Activity, ActivityPatch};
use uuid::Uuid;

use crate::api;
use crate::format;
use crate::i18n::{ActivityText, kind_text, use_i18n};

#[component]
pub(super) fn Timeline(
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
        return view! { <p class="muted">{move || i18n.t(ActivityText::NoActivities)}</p> }
            .into_any();
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
            {newest.map(|url| view! { <a href=url>{move || i18n.t(ActivityText::Newest)}</a> })}
            {older.map(|url| view! { <a href=url>{move || i18n.t(ActivityText::Older)}</a> })}
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
                {activity.author.clone().map(|a| view! { <span class="muted">{move || i18n.t(ActivityText::By)}" "{a.name.clone()}</span> })}
                {(!contacts.is_empty()).then(|| view! { <span class="muted">{move || i18n.t(ActivityText::With)}" "{contacts.join(", ")}</span> })}
            </div>
            <p class="summary">{activity.summary.clone()}</p>
            {activity.next_step.clone().map(|step| view! {
                <div class="next-step" class:done=done>
                    <span>"→ "{step}</span>
                    {activity.next_step_due.map(|d| view! { <span class="due">{move || i18n.t(ActivityText::Due)}" "{format::date(d)}</span> })}
                    {writable.then(|| view! {
                        <button type="button" class="link toggle-step" on:click=toggle>
                            {move || i18n.t(if done { ActivityText::Reopen } else { ActivityText::MarkDone })}
                        </button>
                    })}
                </div>
            })}
        </li>
    }
    .into_any()
}
