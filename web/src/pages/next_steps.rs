//! `/next-steps`: open next steps that are overdue, due today, or due this week, the reader's
//! own by default (`?who=all` for everyone's).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::activity::{Activity, DueFilter, NextStepQuery};

use crate::api;
use crate::format;
use crate::i18n::{ActivityText, CommonText, TextKey, use_i18n};

#[component]
pub fn NextStepsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let everyone = Memo::new(move |_| params.with(|p| p.get("who").as_deref() == Some("all")));
    // Bumped when a step is done; resources key on it, since an unchanged source does not refetch.
    let revision = RwSignal::new(0u32);
    view! {
        <div class="page-head">
            <h1>{move || i18n.t(CommonText::NextSteps)}</h1>
            <nav class="toggle">
                <a href="/next-steps" class:active=move || !everyone.get()>{move || i18n.t(ActivityText::Mine)}</a>
                <a href="/next-steps?who=all" class:active=move || everyone.get()>{move || i18n.t(ActivityText::Everyone)}</a>
            </nav>
        </div>
        <div class="buckets">
            <Bucket title=ActivityText::Overdue due=DueFilter::Overdue everyone revision/>
            <Bucket title=ActivityText::Today due=DueFilter::Today everyone revision/>
            <Bucket title=ActivityText::ThisWeek due=DueFilter::Week everyone revision/>
        </div>
    }
    .into_any()
}

#[component]
fn Bucket(
    #[prop(into)] title: TextKey,
    due: DueFilter,
    everyone: Memo<bool>,
    revision: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = Resource::new_str(
        move || (revision.get(), everyone.get()),
        move |(_, everyone)| {
            api::next_steps(&NextStepQuery {
                mine: Some((!everyone).to_string()),
                due: Some(due.as_str().to_owned()),
                limit: Some(shared::page::MAX_LIMIT.to_string()),
            })
        },
    );
    let zone = crate::prefs::use_time_zone();
    view! {
        <section class=format!("bucket due-{}", due_name(due))>
            <Transition fallback=move || view! { <h2>{move || i18n.t(title)}</h2> }>
                {move || {
                    let zone = zone.clone();
                    Suspend::new(async move {
                        let result = items.await.into_result();
                        let count = result.as_ref().map(Vec::len).unwrap_or_default();
                        let body = match result {
                            Ok(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t(ActivityText::NothingDue)}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="steps">
                                    {list.into_iter().map(|a| view! { <Step activity=a zone=zone.clone() revision/> }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(_) => view! { <p class="error">{move || i18n.t(CommonText::GenericError)}</p> }.into_any(),
                        };
                        view! {
                            <h2>{move || i18n.t(title)}<span class="count">{count}</span></h2>
                            {body}
                        }
                    })
                }}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn Step(activity: Activity, zone: String, revision: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let id = activity.id;
    let done = move |_| {
        leptos::task::spawn_local(async move {
            let patch = shared::activity::ActivityPatch {
                next_step_done: Some(true),
                ..Default::default()
            };
            if api::update_activity(id, &patch).await.is_ok() {
                revision.update(|n| *n += 1);
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
            <button type="button" on:click=done>{move || i18n.t(ActivityText::MarkDone)}</button>
        </li>
    }
    .into_any()
}

fn due_name(due: DueFilter) -> &'static str {
    match due {
        DueFilter::Overdue => "overdue",
        DueFilter::Today => "today",
        DueFilter::Week => "week",
    }
}
