//! `/next-steps`: every open next step exactly once, in one of five buckets (overdue, today, the
//! next six days, later, no date) by the reader's own time zone; the reader's own by default
//! (`?who=all` for everyone's).

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
        <p class="muted small">{move || i18n.t(ActivityText::MineMeans)}</p>
        <div class="buckets">
            <Bucket title=bucket_title(DueFilter::Overdue) due=DueFilter::Overdue everyone revision/>
            <Bucket title=bucket_title(DueFilter::Today) due=DueFilter::Today everyone revision/>
            <Bucket title=bucket_title(DueFilter::Week) due=DueFilter::Week everyone revision/>
            <Bucket title=bucket_title(DueFilter::Later) due=DueFilter::Later everyone revision/>
            <Bucket title=bucket_title(DueFilter::Undated) due=DueFilter::Undated everyone revision/>
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
    let caller = crate::layouts::staff::use_caller();
    view! {
        <section class=format!("bucket due-{}", due_name(due))>
            <Transition fallback=move || view! { <h2>{move || i18n.t(title)}</h2> }>
                {move || {
                    let zone = zone.clone();
                    Suspend::new(async move {
                        // Viewers get no "Done" button: the API would refuse them.
                        let writable = caller.may_write().await;
                        let result = items.await.into_result();
                        let count = result.as_ref().map(Vec::len).unwrap_or_default();
                        let body = match result {
                            Ok(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t(ActivityText::NothingDue)}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="steps">
                                    {list.into_iter().map(|a| view! { <Step activity=a zone=zone.clone() revision writable/> }).collect_view()}
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
fn Step(
    activity: Activity,
    zone: String,
    revision: RwSignal<u32>,
    writable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = activity.id;
    let activity_for_dates = activity.clone();
    let zone_for_dates = zone.clone();
    // A refusal is said on the card, never swallowed.
    let refusal = RwSignal::new(None::<String>);
    let done = move |_| {
        leptos::task::spawn_local(async move {
            let patch = shared::activity::ActivityPatch {
                next_step_done: Some(true),
                ..Default::default()
            };
            match api::update_activity(id, &patch).await {
                Ok(_) => revision.update(|n| *n += 1),
                Err(error) => {
                    let fields = RwSignal::new(Default::default());
                    crate::components::show_api_error(&error, fields, refusal, i18n);
                    if refusal.with(Option::is_none) {
                        refusal.set(fields.with(
                            |f: &std::collections::BTreeMap<String, String>| {
                                f.values().next().cloned()
                            },
                        ));
                    }
                }
            }
        });
    };
    view! {
        <li class="step">
            <div>
                <a href=format!("/partners/{}", activity.partner_id)><strong>{activity.partner_name.clone()}</strong></a>
                <p>{activity.next_step.clone().unwrap_or_default()}</p>
                <p class="muted small">{move || step_dates(&activity_for_dates, &zone_for_dates, i18n.language())}</p>
            </div>
            {writable.then(|| view! {
                <button type="button" class="mark-done" on:click=done>{move || i18n.t(ActivityText::MarkDone)}</button>
            })}
            <crate::components::Banner message=refusal/>
        </li>
    }
    .into_any()
}

fn due_name(due: DueFilter) -> &'static str {
    due.as_str()
}

fn bucket_title(due: DueFilter) -> ActivityText {
    match due {
        DueFilter::Overdue => ActivityText::Overdue,
        DueFilter::Today => ActivityText::Today,
        DueFilter::Week => ActivityText::ThisWeek,
        DueFilter::Later => ActivityText::Later,
        DueFilter::Undated => ActivityText::NoDate,
    }
}

/// "due 2026-11-26, 7 days overdue · logged 2026-11-25 09:30 by Li Wei": what a card's dates are.
fn step_dates(activity: &Activity, zone: &str, language: shared::auth::Language) -> String {
    let zh = language == shared::auth::Language::ZhCn;
    let say = |key: ActivityText| TextKey::from(key).text(language);
    let mut parts = Vec::new();
    if let Some(due) = activity.next_step_due {
        let today = format::today(zone);
        let late = (today - due).num_days();
        let lateness = match (late, zh) {
            (1.., false) => format!(", {late} day{} overdue", if late == 1 { "" } else { "s" }),
            (1.., true) => format!("，已逾期 {late} 天"),
            _ => String::new(),
        };
        parts.push(format!(
            "{} {}{lateness}",
            say(ActivityText::DueOn),
            format::date(due)
        ));
    }
    let mut logged = format!(
        "{} {}",
        say(ActivityText::Logged),
        format::date_time(activity.occurred_at, zone)
    );
    if let Some(author) = &activity.author {
        logged.push_str(&format!(" · {} {}", say(ActivityText::By), author.name));
    }
    parts.push(logged);
    parts.join(" · ")
}
