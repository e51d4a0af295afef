//! The activities area's queries. A page is one query: each activity with its author's and
//! partner's names (joins) and the contacts it names (a JSON array, see
//! [`crate::store::dialect`]).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select, Set,
};
use shared::activity::{Activity, ActivityEdit, ActivityKind, ContactRef, ValidActivity};
use shared::auth::UserRef;
use uuid::Uuid;

use super::entities::{activity, activity_contact};
use crate::core::{Error, Tx};
use crate::store::Stored;
use crate::store::dialect::{json_array, json_object, uuid_text};
use crate::store::limit;

#[derive(Debug, FromQueryResult)]
struct ActivityRow {
    id: Uuid,
    partner_id: Uuid,
    partner_name: Option<String>,
    author_id: Option<Uuid>,
    author_name: Option<String>,
    kind: Stored<ActivityKind>,
    occurred_at: DateTime<Utc>,
    summary: String,
    /// A JSON array of `{id, full_name}`, in name order.
    contacts: String,
    next_step: Option<String>,
    next_step_due: Option<NaiveDate>,
    next_step_done_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ActivityRow {
    fn into_dto(self) -> Result<Activity, Error> {
        let contacts: Vec<ContactRef> = serde_json::from_str(&self.contacts)
            .map_err(|e| anyhow::anyhow!("reading the contacts of activity {}: {e}", self.id))?;
        Ok(Activity {
            id: self.id,
            partner_id: self.partner_id,
            partner_name: self.partner_name.unwrap_or_default(),
            kind: self.kind.0,
            occurred_at: self.occurred_at,
            summary: self.summary,
            contacts,
            author: self.author_id.map(|id| UserRef {
                id,
                name: self.author_name.unwrap_or_default(),
            }),
            next_step: self.next_step,
            next_step_due: self.next_step_due,
            next_step_done_at: self.next_step_done_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The activities `select` finds, the first `limit` of them when given.
async fn fetch(
    db: &impl ConnectionTrait,
    select: Select<activity::Entity>,
    limit: Option<u64>,
) -> Result<Vec<Activity>, Error> {
    use crate::areas::partners::entities::partner;
    use crate::areas::staff::entities::user;
    let backend = db.get_database_backend();
    let contact = json_object(
        backend,
        &[
            ("id", &uuid_text(backend, "c.id")),
            ("full_name", "c.full_name"),
        ],
    );
    let contacts = json_array(
        backend,
        &contact,
        "FROM activity_contacts ac JOIN contacts c ON c.id = ac.contact_id \
         WHERE ac.activity_id = \"activities\".\"id\"",
        "c.full_name",
    );
    let select = select
        .join(JoinType::LeftJoin, activity::Relation::Author.def())
        .join(JoinType::InnerJoin, activity::Relation::Partner.def())
        .column_as(user::Column::Name, "author_name")
        .column_as(partner::Column::Name, "partner_name")
        .column_as(Expr::cust(contacts), "contacts");
    let rows: Vec<ActivityRow> = limit::rows(db, &select, limit).await?;
    rows.into_iter().map(ActivityRow::into_dto).collect()
}

/// The partner's activities, newest first, from before the `(occurred_at, id)` of a cursor.
pub async fn timeline(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
    before: Option<(DateTime<Utc>, Uuid)>,
    take: u64,
) -> Result<Vec<Activity>, Error> {
    let mut select = activity::Entity::find().filter(activity::Column::PartnerId.eq(partner_id));
    if let Some((at, id)) = before {
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
        .order_by_desc(activity::Column::Id);
    fetch(db, select, Some(take)).await
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Activity>, Error> {
    Ok(fetch(db, activity::Entity::find_by_id(id), None)
        .await?
        .pop())
}

pub async fn insert(
    tx: &Tx,
    id: Uuid,
    partner_id: Uuid,
    author_id: Option<Uuid>,
    input: &ValidActivity,
) -> Result<(), Error> {
    let now = tx.now();
    activity::ActiveModel {
        id: Set(id),
        partner_id: Set(partner_id),
        author_id: Set(author_id),
        kind: Set(Stored(input.kind)),
        occurred_at: Set(input.occurred_at),
        summary: Set(input.summary.clone()),
        next_step: Set(input.next_step.clone()),
        next_step_due: Set(input.next_step_due),
        next_step_done_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**tx)
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
        .exec(&**tx)
        .await?;
    }
    Ok(())
}

pub async fn update(tx: &Tx, id: Uuid, edit: &ActivityEdit) -> Result<(), Error> {
    activity::Entity::update_many()
        .col_expr(activity::Column::Summary, Expr::value(edit.summary.clone()))
        .col_expr(
            activity::Column::NextStep,
            Expr::value(edit.next_step.clone()),
        )
        .col_expr(
            activity::Column::NextStepDue,
            Expr::value(edit.next_step_due),
        )
        .col_expr(
            activity::Column::NextStepDoneAt,
            Expr::value(edit.next_step_done_at),
        )
        .col_expr(activity::Column::UpdatedAt, Expr::value(tx.now()))
        .filter(activity::Column::Id.eq(id))
        .exec(&**tx)
        .await?;
    Ok(())
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

/// Open steps due within the inclusive `range`, soonest first. Read in the order of a partial
/// index of open steps (migration `m20261129_000004`), under a limit: a manager with tens of
/// thousands of open steps costs the same as one with ten.
pub fn dated_steps(
    author: Option<Uuid>,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
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
}

/// Open steps without a due date, oldest first.
pub fn undated_steps(author: Option<Uuid>) -> Select<activity::Entity> {
    open_steps(author)
        .filter(activity::Column::NextStepDue.is_null())
        .order_by_asc(activity::Column::OccurredAt)
        .order_by_asc(activity::Column::Id)
}

/// Open steps: dated ones within `dated` (when given) first, then (when `with_undated`)
/// undated ones.
pub async fn next_steps(
    db: &impl ConnectionTrait,
    author: Option<Uuid>,
    dated: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    with_undated: bool,
    limit: u64,
) -> Result<Vec<Activity>, Error> {
    let mut items = match dated {
        Some(range) => fetch(db, dated_steps(author, range), Some(limit)).await?,
        None => Vec::new(),
    };
    let room = limit.saturating_sub(items.len() as u64);
    if with_undated && room > 0 {
        items.extend(fetch(db, undated_steps(author), Some(room)).await?);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, Statement};
    use shared::activity::DueFilter;

    use super::*;

    /// The steps of `/next-steps` come off a partial index in the list's order: a sort there
    /// would read every open step of a busy manager to show the first 200.
    #[tokio::test]
    async fn open_steps_are_read_in_index_order_without_a_sort() {
        let db = crate::store::open("sqlite::memory:", 1).await.unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut selects = Vec::new();
        for author in [Some(Uuid::now_v7()), None] {
            for due in DueFilter::ALL {
                if let Some(range) = due.range(today) {
                    selects.push(dated_steps(author, range));
                }
            }
            selects.push(dated_steps(author, (None, None)));
            selects.push(undated_steps(author));
        }
        for select in selects {
            let statement = limit::with_limit(&select, DbBackend::Sqlite, 200);
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
