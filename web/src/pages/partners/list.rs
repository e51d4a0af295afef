//! `/partners`: the list, searched as you type and filtered; the query lives in the URL so a
//! search can be bookmarked and shared. `/partners/new`: the form for a new partner.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::partner::{Partner, PartnerQuery, PartnerStatus};

use super::form::PartnerForm;
use crate::api;
use crate::i18n::{CommonText, PartnerText, status_text, use_i18n};
use crate::layouts::staff::use_caller;

fn query_from_url(params: &leptos_router::params::ParamsMap) -> PartnerQuery {
    let text = |key: &str| params.get(key).filter(|v| !v.is_empty());
    PartnerQuery {
        q: text("q"),
        status: text("status").filter(|s| PartnerStatus::parse(s).is_some()),
        owner: text("owner"),
        tag: text("tag"),
        limit: None,
        cursor: text("cursor"),
    }
}

fn url_of(query: &PartnerQuery) -> String {
    let q = serde_urlencoded::to_string(query).unwrap_or_default();
    if q.is_empty() {
        "/partners".to_owned()
    } else {
        format!("/partners?{q}")
    }
}

#[component]
pub fn PartnersPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_url));
    let page = Resource::new_str(move || query.get(), |q| api::partners(&q));
    let navigate = use_navigate();

    // Any change of filter starts again at the first page.
    let set_filter = move |change: &dyn Fn(&mut PartnerQuery)| {
        let mut next = query.get_untracked();
        change(&mut next);
        next.cursor = None;
        navigate(
            &url_of(&next),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_search = {
        let set_filter = set_filter.clone();
        move |ev| {
            let value = event_target_value(&ev);
            set_filter(&|q: &mut PartnerQuery| {
                q.q = Some(value.clone()).filter(|v| !v.trim().is_empty())
            });
        }
    };
    let on_status = {
        let set_filter = set_filter.clone();
        move |ev| {
            let value = event_target_value(&ev);
            set_filter(&|q: &mut PartnerQuery| {
                q.status = PartnerStatus::parse(&value).map(|s| s.as_str().to_owned())
            });
        }
    };
    let on_owner = {
        let set_filter = set_filter.clone();
        move |ev| {
            let value = event_target_value(&ev);
            set_filter(&|q: &mut PartnerQuery| {
                q.owner = Some(value.clone()).filter(|v| !v.is_empty())
            });
        }
    };
    let on_tag = move |ev| {
        let value = event_target_value(&ev);
        set_filter(&|q: &mut PartnerQuery| {
            q.tag = Some(value.clone()).filter(|v| !v.trim().is_empty())
        });
    };

    let caller = use_caller();
    view! {
        <div class="page-head">
            <h1>{move || i18n.t(CommonText::Partners)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    caller.may_write().await.then(|| view! {
                        <a class="button primary" href="/partners/new" id="new-partner">{move || i18n.t(PartnerText::NewPartner)}</a>
                    })
                })}
            </Transition>
        </div>
        <div class="filters">
            <input
                type="search"
                id="partner-search"
                autocomplete="off"
                placeholder=move || i18n.t(PartnerText::SearchPlaceholder)
                prop:value=move || query.with(|q| q.q.clone().unwrap_or_default())
                on:input=on_search
            />
            <select id="status-filter" on:change=on_status>
                <option value="" selected=move || query.with(|q| q.status.is_none())>{move || i18n.t(PartnerText::AllStatuses)}</option>
                {PartnerStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || query.with(|q| q.status.as_deref() == Some(s.as_str()))>{move || i18n.t(status_text(s))}</option>
                }).collect_view()}
            </select>
            <select id="owner-filter" on:change=on_owner>
                <option value="" selected=move || query.with(|q| q.owner.is_none())>{move || i18n.t(PartnerText::AnyOwner)}</option>
                <option value="me" selected=move || query.with(|q| q.owner.as_deref() == Some("me"))>{move || i18n.t(PartnerText::MyPartners)}</option>
            </select>
            <input
                type="search"
                id="tag-filter"
                placeholder=move || i18n.t(PartnerText::Tag)
                prop:value=move || query.with(|q| q.tag.clone().unwrap_or_default())
                on:change=on_tag
            />
        </div>
        <Transition fallback=move || view! { <p class="muted">{move || i18n.t(CommonText::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await.into_result() {
                    Ok(page) => view! { <PartnerList partners=page.items next=page.next_cursor query=query/> }.into_any(),
                    Err(_) => view! { <p class="error">{move || i18n.t(CommonText::GenericError)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn PartnerList(
    partners: Vec<Partner>,
    next: Option<String>,
    query: Memo<PartnerQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    if partners.is_empty() {
        return view! { <p class="muted empty">{move || i18n.t(PartnerText::NoPartners)}</p> }
            .into_any();
    }
    let on_first_page = query.with_untracked(|q| q.cursor.is_none());
    let first_url = query.with_untracked(|q| {
        url_of(&PartnerQuery {
            cursor: None,
            ..q.clone()
        })
    });
    let next_url = next.map(|cursor| {
        query.with_untracked(|q| {
            url_of(&PartnerQuery {
                cursor: Some(cursor),
                ..q.clone()
            })
        })
    });
    view! {
        <ul class="partner-list" id="partner-list">
            {partners.into_iter().map(|p| {
                let status = p.status;
                let (name, name_zh) = (p.name.clone(), p.name_zh.clone());
                let names = move || crate::format::names_in_order(&name, name_zh.as_deref(), i18n.language());
                let names_again = names.clone();
                view! {
                    <li class="partner-row">
                        <a class="partner-name" href=format!("/partners/{}", p.id)>
                            <strong>{move || names().0}</strong>
                            <span class="zh">{move || names_again().1.unwrap_or_default()}</span>
                        </a>
                        <span class=format!("badge status-{}", status.as_str())>{move || i18n.t(status_text(status))}</span>
                        <span class="muted sector">{p.sector.clone().unwrap_or_default()}</span>
                        <span class="muted owner">{p.owner.as_ref().map(|o| o.name.clone()).unwrap_or_default()}</span>
                        <span class="tags">{p.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <nav class="pager">
            {(!on_first_page).then(|| view! { <a href=first_url.clone()>{move || i18n.t(CommonText::FirstPage)}</a> })}
            {next_url.map(|url| view! { <a href=url id="next-page">{move || i18n.t(CommonText::NextPage)}</a> })}
        </nav>
    }
    .into_any()
}

#[component]
pub fn NewPartnerPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_saved = Callback::new(move |partner: Partner| {
        navigate(
            &format!("/partners/{}", partner.id),
            NavigateOptions::default(),
        );
    });
    let back = use_navigate();
    let on_cancel = Callback::new(move |()| back("/partners", NavigateOptions::default()));
    view! {
        <h1>{move || i18n.t(PartnerText::NewPartner)}</h1>
        <PartnerForm existing=None on_saved on_cancel/>
    }
    .into_any()
}
