//! `/next-steps`: open next steps that are overdue, due today, or due this week, the reader's
//! own by default (`?who=all` for everyone's).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::activity::{Activity, DueFilter, NextStepQuery};

use crate::api;
use crate::app::use_me;
use crate::format;
use crate::i18n::{T, use_i18n};

#[component]
pub fn NextStepsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let everyone = Memo::new(move |_| params.with(|p| p.get("who").as_deref() == Some("all")));
    let changed = Trigger::new();
    view! {
        <div class="page-head">
            <h1>{move || i18n.t(T::NextSteps)}</h1>
            <nav class="toggle">
                <a href="/next-steps" class:active=move || !everyone.get()>{move || i18n.t(T::Mine)}</a>
                <a href="/next-steps?who=all" class:active=move || everyone.get()>{move || i18n.t(T::Everyone)}</a>
            </nav>
        </div>
        <div class="buckets">
            <Bucket title=T::Overdue due=DueFilter::Overdue everyone changed/>
            <Bucket title=T::Today due=DueFilter::Today everyone changed/>
            <Bucket title=T::ThisWeek due=DueFilter::Week everyone changed/>
        </div>
    }
}

#[component]
fn Bucket(title: T, due: DueFilter, everyone: Memo<bool>, changed: Trigger) -> impl IntoView {
    let i18n = use_i18n();
    let items = Resource::new(
        move || {
            changed.track();
            everyone.get()
        },
        move |everyone| {
            api::next_steps(&NextStepQuery {
                mine: Some(!everyone),
                due: Some(due),
                limit: Some(200),
            })
        },
    );
    let zone = use_me()
        .map(|me| me.time_zone)
        .unwrap_or_else(|| shared::DEFAULT_TIME_ZONE.to_owned());
    view! {
        <section class=format!("bucket due-{}", serde_json::to_value(due).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())>
            <h2>{move || i18n.t(title)}
                <span class="count">{move || items.get().and_then(Result::ok).map(|v| v.len().to_string()).unwrap_or_default()}</span>
            </h2>
            <Transition fallback=|| ()>
                {move || {
                    let zone = zone.clone();
                    items.get().map(move |result| match result {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t(T::NothingDue)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="steps">
                                {list.into_iter().map(|a| view! { <Step activity=a zone=zone.clone() changed/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p class="error">{move || i18n.t(T::GenericError)}</p> }.into_any(),
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn Step(activity: Activity, zone: String, changed: Trigger) -> impl IntoView {
    let i18n = use_i18n();
    let id = activity.id;
    let done = move |_| {
        leptos::task::spawn_local(async move {
            let patch = shared::activity::ActivityPatch {
                next_step_done: Some(true),
                ..Default::default()
            };
            if api::update_activity(id, &patch).await.is_ok() {
                changed.notify();
            }
        });
    };
    view! {
        <li class="step">
            <div>
                <a href=format!("/partners/{}", activity.partner_id)><strong>{activity.partner_name.clone()}</strong></a>
                <p>{activity.next_step.clone().unwrap_or_default()}</p>
                <p class="muted small">
                    {activity.next_step_due.map(format::date)}
                    " · "
                    {format::date_time(activity.occurred_at, &zone)}
                    {activity.author.clone().map(|a| format!(" · {}", a.name))}
                </p>
            </div>
            <button type="button" on:click=done>{move || i18n.t(T::MarkDone)}</button>
        </li>
    }
}
