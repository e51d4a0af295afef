//! Logged contacts: the partner timeline, logging a contact, and open next steps.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, NullOrdering, Order};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use shared::Page;
use shared::activity::{
    Activity, ActivityKind, ActivityPatch, ContactRef, NewActivity, NextStepQuery, TimelineQuery,
};
use shared::auth::UserRef;
use shared::validate::Issue;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::{activity, activity_contact, contact, user};
use crate::error::{ApiError, ApiResult};

use super::{cursor, partners};

/// Maps rows to DTOs, loading contacts, authors and partner names in one query each.
async fn to_dtos(
    db: &impl ConnectionTrait,
    rows: Vec<activity::Model>,
) -> ApiResult<Vec<Activity>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
    let links = activity_contact::Entity::find()
        .filter(activity_contact::Column::ActivityId.is_in(ids))
        .all(db)
        .await?;
    let contact_ids: Vec<Uuid> = links.iter().map(|l| l.contact_id).collect();
    let names: HashMap<Uuid, String> = if contact_ids.is_empty() {
        HashMap::new()
    } else {
        contact::Entity::find()
            .filter(contact::Column::Id.is_in(contact_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.full_name))
            .collect()
    };
    let mut contacts: HashMap<Uuid, Vec<ContactRef>> = HashMap::new();
    for link in links {
        if let Some(name) = names.get(&link.contact_id) {
            contacts
                .entry(link.activity_id)
                .or_default()
                .push(ContactRef {
                    id: link.contact_id,
                    full_name: name.clone(),
                });
        }
    }
    let author_ids: Vec<Uuid> = rows.iter().filter_map(|a| a.author_id).collect();
    let authors: HashMap<Uuid, String> = if author_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(author_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    let partner_names = partners::names(db, rows.iter().map(|a| a.partner_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let mut named = contacts.remove(&a.id).unwrap_or_default();
            named.sort_by(|x, y| x.full_name.cmp(&y.full_name));
            Activity {
                id: a.id,
                partner_id: a.partner_id,
                partner_name: partner_names
                    .get(&a.partner_id)
                    .cloned()
                    .unwrap_or_default(),
                kind: ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Note),
                occurred_at: a.occurred_at,
                summary: a.summary,
                contacts: named,
                author: a.author_id.map(|id| UserRef {
                    id,
                    name: authors.get(&id).cloned().unwrap_or_default(),
                }),
                next_step: a.next_step,
                next_step_due: a.next_step_due,
                next_step_done_at: a.next_step_done_at,
                created_at: a.created_at,
                updated_at: a.updated_at,
            }
        })
        .collect())
}

/// The partner's timeline, newest first.
pub async fn timeline(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
    query: TimelineQuery,
) -> ApiResult<Page<Activity>> {
    partners::require_exists(db, partner_id).await?;
    let limit = cursor::limit(query.limit)?;
    let mut select = activity::Entity::find().filter(activity::Column::PartnerId.eq(partner_id));
    if let Some(before) = query.cursor.as_deref() {
        let (at, id): (DateTime<Utc>, Uuid) = cursor::decode(before)?;
        select = select.filter(
            Condition::any()
                .add(activity::Column::OccurredAt.lt(at))
                .add(
                    Condition::all()
                        .add(activity::Column::OccurredAt.eq(at))
                        .add(activity::Column::Id.lt(id)),
                ),
        );
    }
    let mut rows = select
        .order_by_desc(activity::Column::OccurredAt)
        .order_by_desc(activity::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next_cursor = cursor::trim_page(&mut rows, limit, |last| (last.occurred_at, last.id));
    Ok(Page {
        items: to_dtos(db, rows).await?,
        next_cursor,
    })
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Activity> {
    let row = activity::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("activity"))?;
    Ok(to_dtos(db, vec![row]).await?.remove(0))
}

/// Logs a contact with the partner; the caller is its author and owns its next step.
#[tracing::instrument(skip(db, author, input), fields(author = %author.id))]
pub async fn log(
    db: &(impl ConnectionTrait + TransactionTrait),
    author: &CurrentUser,
    partner_id: Uuid,
    input: NewActivity,
) -> ApiResult<Activity> {
    partners::require_exists(db, partner_id).await?;
    let now = Utc::now();
    let input = input.validate(now)?;
    if !input.contact_ids.is_empty() {
        let known = contact::Entity::find()
            .filter(contact::Column::PartnerId.eq(partner_id))
            .filter(contact::Column::Id.is_in(input.contact_ids.clone()))
            .count(db)
            .await?;
        if known != input.contact_ids.len() as u64 {
            return Err(ApiError::field(
                "contact_ids",
                Issue::NotThisPartnersContact.message_en(),
            ));
        }
    }
    let id = Uuid::now_v7();
    let txn = db.begin().await?;
    activity::ActiveModel {
        id: Set(id),
        partner_id: Set(partner_id),
        author_id: Set(Some(author.id)),
        kind: Set(input.kind.as_str().to_owned()),
        occurred_at: Set(input.occurred_at),
        summary: Set(input.summary),
        next_step: Set(input.next_step),
        next_step_due: Set(input.next_step_due),
        next_step_done_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    if !input.contact_ids.is_empty() {
        activity_contact::Entity::insert_many(input.contact_ids.iter().map(|contact_id| {
            activity_contact::ActiveModel {
                id: Set(Uuid::now_v7()),
                activity_id: Set(id),
                contact_id: Set(*contact_id),
                created_at: Set(now),
                updated_at: Set(now),
            }
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    get(db, id).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    patch: ActivityPatch,
) -> ApiResult<Activity> {
    let current = get(db, id).await?;
    let now = Utc::now();
    let edit = patch.apply_to(&current, now)?;
    activity::Entity::update_many()
        .col_expr(activity::Column::Summary, Expr::value(edit.summary))
        .col_expr(activity::Column::NextStep, Expr::value(edit.next_step))
        .col_expr(
            activity::Column::NextStepDue,
            Expr::value(edit.next_step_due),
        )
        .col_expr(
            activity::Column::NextStepDoneAt,
            Expr::value(edit.next_step_done_at),
        )
        .col_expr(activity::Column::UpdatedAt, Expr::value(now))
        .filter(activity::Column::Id.eq(id))
        .exec(db)
        .await?;
    get(db, id).await
}

/// Today's date where the viewer is: "overdue" and "today" depend on it.
pub fn today_in(time_zone: &str, now: DateTime<Utc>) -> NaiveDate {
    let zone: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
    now.with_timezone(&zone).date_naive()
}

/// Open next steps (not done), soonest due first, undated last.
pub async fn next_steps(
    db: &impl ConnectionTrait,
    viewer: &CurrentUser,
    query: NextStepQuery,
) -> ApiResult<Vec<Activity>> {
    let limit = cursor::limit(query.limit)?;
    let mut select = activity::Entity::find()
        .filter(activity::Column::NextStep.is_not_null())
        .filter(activity::Column::NextStepDoneAt.is_null());
    if query.mine.unwrap_or(false) {
        select = select.filter(activity::Column::AuthorId.eq(viewer.id));
    }
    if let Some(due) = query.due {
        let (from, to) = due.range(today_in(&viewer.time_zone, Utc::now()));
        select = select.filter(activity::Column::NextStepDue.is_not_null());
        if let Some(from) = from {
            select = select.filter(activity::Column::NextStepDue.gte(from));
        }
        if let Some(to) = to {
            select = select.filter(activity::Column::NextStepDue.lte(to));
        }
    }
    let rows = select
        .order_by_with_nulls(
            activity::Column::NextStepDue,
            Order::Asc,
            NullOrdering::Last,
        )
        .order_by_asc(activity::Column::OccurredAt)
        .order_by_asc(activity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    to_dtos(db, rows).await
}
