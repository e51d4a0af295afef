//! Logged contacts: the partner timeline, logging a contact, and open next steps.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set,
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

use super::json_rows::{self, Field, Kind};
use super::{cursor, partners};

/// An activity row with what its DTO shows beside it, read in the same query: the author's and
/// the partner's names and the named contacts, decoded from the page's JSON (see
/// [`json_rows`]).
#[derive(serde::Deserialize)]
struct ActivityRow {
    id: Uuid,
    partner_id: Uuid,
    partner_name: Option<String>,
    author_id: Option<Uuid>,
    author_name: Option<String>,
    kind: String,
    #[serde(with = "shared::timestamp")]
    occurred_at: DateTime<Utc>,
    summary: String,
    contacts: Vec<ContactRef>,
    next_step: Option<String>,
    next_step_due: Option<NaiveDate>,
    #[serde(default, with = "shared::timestamp::option")]
    next_step_done_at: Option<DateTime<Utc>>,
    #[serde(with = "shared::timestamp")]
    created_at: DateTime<Utc>,
    #[serde(with = "shared::timestamp")]
    updated_at: DateTime<Utc>,
}

const ACTIVITY_FIELDS: &[Field] = &[
    Field("id", Kind::Uuid),
    Field("partner_id", Kind::Uuid),
    Field("partner_name", Kind::Plain),
    Field("author_id", Kind::Uuid),
    Field("author_name", Kind::Plain),
    Field("kind", Kind::Plain),
    Field("occurred_at", Kind::Plain),
    Field("summary", Kind::Plain),
    Field("contacts", Kind::Json),
    Field("next_step", Kind::Plain),
    Field("next_step_due", Kind::Plain),
    Field("next_step_done_at", Kind::Plain),
    Field("created_at", Kind::Plain),
    Field("updated_at", Kind::Plain),
];

/// The named contacts of the activity row `"activities"`, as a JSON array in name order.
fn named_contacts(backend: DbBackend) -> String {
    let from = "FROM activity_contacts ac JOIN contacts c ON c.id = ac.contact_id \
                WHERE ac.activity_id = \"activities\".\"id\"";
    match backend {
        DbBackend::Postgres => format!(
            "(SELECT coalesce(json_agg(json_build_object('id', c.id, 'full_name', c.full_name) \
             ORDER BY c.full_name), '[]'::json)::text {from})"
        ),
        _ => format!(
            "(SELECT json_group_array(json_object('id', lower(hex(c.id)), 'full_name', \
             c.full_name) ORDER BY c.full_name) {from})"
        ),
    }
}

/// Runs an activity select and maps the rows to DTOs, in `order` (over the row `p`): the
/// names and the named contacts come in the same query, as correlated subqueries.
async fn load(
    db: &(impl ConnectionTrait + 'static),
    select: Select<activity::Entity>,
    order: &str,
) -> ApiResult<Vec<Activity>> {
    let backend = db.get_database_backend();
    let select = select
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
        .column_as(Expr::cust(named_contacts(backend)), "contacts");
    let rows: Vec<ActivityRow> =
        json_rows::fetch(db, select.build(backend), ACTIVITY_FIELDS, order).await?;
    Ok(rows
        .into_iter()
        .map(|a| Activity {
            id: a.id,
            partner_id: a.partner_id,
            partner_name: a.partner_name.unwrap_or_default(),
            kind: ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Note),
            occurred_at: a.occurred_at,
            summary: a.summary,
            contacts: a.contacts,
            author: a.author_id.map(|id| UserRef {
                id,
                name: a.author_name.unwrap_or_default(),
            }),
            next_step: a.next_step,
            next_step_due: a.next_step_due,
            next_step_done_at: a.next_step_done_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
        })
        .collect())
}

/// The partner's timeline, newest first.
pub async fn timeline(
    db: &(impl ConnectionTrait + 'static),
    partner_id: Uuid,
    query: TimelineQuery,
) -> ApiResult<Page<Activity>> {
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
    let mut items = load(db, select, "p.occurred_at DESC, p.id DESC").await?;
    // As for contacts: rows prove the partner exists; an empty page must tell the two apart.
    if items.is_empty() {
        partners::require_exists(db, partner_id).await?;
    }
    let next_cursor = cursor::trim_page(&mut items, limit, |last| (last.occurred_at, last.id));
    Ok(Page { items, next_cursor })
}

pub async fn get(db: &(impl ConnectionTrait + 'static), id: Uuid) -> ApiResult<Activity> {
    load(db, activity::Entity::find_by_id(id), "p.id")
        .await?
        .pop()
        .ok_or(ApiError::NotFound("activity"))
}

/// Logs a contact with the partner; the caller is its author and owns its next step.
#[tracing::instrument(skip(db, author, input), fields(author = %author.id))]
pub async fn log(
    db: &(impl ConnectionTrait + TransactionTrait + 'static),
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
            return Err(ApiError::issue(
                "contact_ids",
                Issue::NotThisPartnersContact,
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
    db: &(impl ConnectionTrait + 'static),
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
///
/// Each part is read in the order of a partial index of open steps (migration
/// `m20261129_000004`), so a manager with tens of thousands of open steps costs the same as one
/// with ten: no sort of all of them to show the first `limit`.
pub async fn next_steps(
    db: &(impl ConnectionTrait + 'static),
    viewer: &CurrentUser,
    query: NextStepQuery,
) -> ApiResult<Vec<Activity>> {
    let limit = cursor::limit(query.limit)?;
    let author = query.mine.unwrap_or(false).then_some(viewer.id);
    let range = match query.due {
        Some(due) => due.range(today_in(&viewer.time_zone, Utc::now())),
        None => (None, None),
    };
    let dated = dated_steps(author, range, limit);
    let mut items = load(db, dated, "p.next_step_due, p.occurred_at, p.id").await?;
    // Undated steps come after every dated one, and only when no due range was asked for.
    let room = limit.saturating_sub(items.len() as u64);
    if query.due.is_none() && room > 0 {
        items.extend(load(db, undated_steps(author, room), "p.occurred_at, p.id").await?);
    }
    Ok(items)
}

/// Open next steps, of one author or of everyone.
fn open_steps(author: Option<Uuid>) -> Select<activity::Entity> {
    let select = activity::Entity::find()
        .filter(activity::Column::NextStep.is_not_null())
        .filter(activity::Column::NextStepDoneAt.is_null());
    match author {
        Some(author) => select.filter(activity::Column::AuthorId.eq(author)),
        None => select,
    }
}

/// The first `limit` open steps due within the inclusive `range`, soonest first.
fn dated_steps(
    author: Option<Uuid>,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    limit: u64,
) -> Select<activity::Entity> {
    let mut select = open_steps(author).filter(activity::Column::NextStepDue.is_not_null());
    if let Some(from) = from {
        select = select.filter(activity::Column::NextStepDue.gte(from));
    }
    if let Some(to) = to {
        select = select.filter(activity::Column::NextStepDue.lte(to));
    }
    select
        .order_by_asc(activity::Column::NextStepDue)
        .order_by_asc(activity::Column::OccurredAt)
        .order_by_asc(activity::Column::Id)
        .limit(limit)
}

/// The first `limit` open steps without a due date, oldest first.
fn undated_steps(author: Option<Uuid>, limit: u64) -> Select<activity::Entity> {
    open_steps(author)
        .filter(activity::Column::NextStepDue.is_null())
        .order_by_asc(activity::Column::OccurredAt)
        .order_by_asc(activity::Column::Id)
        .limit(limit)
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait, Statement};
    use shared::activity::DueFilter;

    use super::*;

    /// The steps of `/next-steps` come off a partial index in the list's order: a sort there
    /// would read every open step of a busy manager to show the first 200.
    #[tokio::test]
    async fn open_steps_are_read_in_index_order_without_a_sort() {
        let db = crate::db::open("sqlite::memory:", 1).await.unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut selects = Vec::new();
        for author in [Some(Uuid::now_v7()), None] {
            for due in [DueFilter::Overdue, DueFilter::Today, DueFilter::Week] {
                selects.push(dated_steps(author, due.range(today), 200));
            }
            selects.push(dated_steps(author, (None, None), 200));
            selects.push(undated_steps(author, 200));
        }
        for select in selects {
            let statement = select.build(DbBackend::Sqlite);
            let plan: Vec<String> = db
                .query_all_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    format!("EXPLAIN QUERY PLAN {}", statement.sql),
                    statement.values.map(|v| v.0).unwrap_or_default(),
                ))
                .await
                .unwrap()
                .iter()
                .map(|row| row.try_get::<String>("", "detail").unwrap())
                .collect();
            let plan = plan.join("; ");
            assert!(
                plan.contains("idx_activities_open_steps") && !plan.contains("TEMP B-TREE"),
                "{}\n{plan}",
                statement.sql
            );
        }
    }
}
