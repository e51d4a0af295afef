//! Logged contacts: the partner timeline, logging a contact, and open next steps.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, NullOrdering, Order};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, Select, Set,
    TransactionSession, TransactionTrait,
};
use shared::Page;
use shared::activity::{
    Activity, ActivityKind, ActivityPatch, ContactRef, NewActivity, NextStepQuery, TimelineQuery,
};
use shared::auth::UserRef;
use shared::validate::Issue;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::{activity, activity_contact, contact};
use crate::error::{ApiError, ApiResult};

use super::{cursor, partners};

/// An activity row with the names its DTO shows, read in the same query.
struct ActivityRow {
    activity: activity::Model,
    author_name: Option<String>,
    partner_name: Option<String>,
}

impl FromQueryResult for ActivityRow {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            activity: activity::Model::from_query_result(row, pre)?,
            author_name: row.try_get(pre, "author_name")?,
            partner_name: row.try_get(pre, "partner_name")?,
        })
    }
}

/// Runs an activity select and maps the rows to DTOs: author and partner names come in the same
/// query (correlated subqueries), the named contacts in one more.
async fn load(
    db: &impl ConnectionTrait,
    select: Select<activity::Entity>,
) -> ApiResult<Vec<Activity>> {
    let rows = select
        .column_as(
            Expr::cust("(SELECT u.name FROM users u WHERE u.id = \"activities\".\"author_id\")"),
            "author_name",
        )
        .column_as(
            Expr::cust(
                "(SELECT p.name FROM partners p WHERE p.id = \"activities\".\"partner_id\")",
            ),
            "partner_name",
        )
        .into_model::<ActivityRow>()
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.activity.id).collect();
    let link_contact = activity_contact::Entity::belongs_to(contact::Entity)
        .from(activity_contact::Column::ContactId)
        .to(contact::Column::Id)
        .into();
    let mut contacts: HashMap<Uuid, Vec<ContactRef>> = HashMap::new();
    for (link, named) in activity_contact::Entity::find()
        .filter(activity_contact::Column::ActivityId.is_in(ids))
        .join(JoinType::InnerJoin, link_contact)
        .select_also(contact::Entity)
        .all(db)
        .await?
    {
        if let Some(named) = named {
            contacts
                .entry(link.activity_id)
                .or_default()
                .push(ContactRef {
                    id: named.id,
                    full_name: named.full_name,
                });
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let a = row.activity;
            let mut named = contacts.remove(&a.id).unwrap_or_default();
            named.sort_by(|x, y| x.full_name.cmp(&y.full_name));
            Activity {
                id: a.id,
                partner_id: a.partner_id,
                partner_name: row.partner_name.unwrap_or_default(),
                kind: ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Note),
                occurred_at: a.occurred_at,
                summary: a.summary,
                contacts: named,
                author: a.author_id.map(|id| UserRef {
                    id,
                    name: row.author_name.clone().unwrap_or_default(),
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
    let select = select
        .order_by_desc(activity::Column::OccurredAt)
        .order_by_desc(activity::Column::Id)
        .limit(limit + 1);
    let mut items = load(db, select).await?;
    let next_cursor = cursor::trim_page(&mut items, limit, |last| (last.occurred_at, last.id));
    Ok(Page { items, next_cursor })
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Activity> {
    load(db, activity::Entity::find_by_id(id))
        .await?
        .pop()
        .ok_or(ApiError::NotFound("activity"))
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
    let select = select
        .order_by_with_nulls(
            activity::Column::NextStepDue,
            Order::Asc,
            NullOrdering::Last,
        )
        .order_by_asc(activity::Column::OccurredAt)
        .order_by_asc(activity::Column::Id)
        .limit(limit);
    load(db, select).await
}
