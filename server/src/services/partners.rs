//! Partners: list with search and filters, create, read, update with optimistic locking, delete.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Set, Statement, TransactionSession,
    TransactionTrait, Value,
};
use shared::auth::UserRef;
use shared::partner::{NewPartner, Partner, PartnerPatch, PartnerQuery, PartnerStatus};
use shared::validate::Issue;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::{partner, partner_tag, user};
use crate::error::{ApiError, ApiResult, conflict_on_unique};

use super::cursor;
use super::json_rows::{self, Field, Kind};
use super::partner_listing::{self, ListedPage};
use super::partner_search::{self, TokenCounts};

/// The stored forms of a name: its sort key, and the text substring search looks in.
pub(crate) fn sort_key(name: &str) -> String {
    name.to_lowercase()
}

fn current_search_text(partner: &Partner) -> String {
    search_text(&partner.name, partner.name_zh.as_deref())
}

pub(crate) fn search_text(name: &str, name_zh: Option<&str>) -> String {
    match name_zh {
        Some(zh) => format!("{} {}", name.to_lowercase(), zh.to_lowercase()),
        None => name.to_lowercase(),
    }
}

/// A page of the list, in its wire form: from the stored listings when every row's is current
/// (see [`partner_listing`]), else built from the rows.
#[tracing::instrument(skip(db, counts, viewer))]
pub async fn list(
    db: &(impl ConnectionTrait + 'static),
    counts: &TokenCounts,
    viewer: &CurrentUser,
    query: PartnerQuery,
) -> ApiResult<ListedPage> {
    let limit = cursor::limit(query.limit)?;
    let filters = Filters::parse(viewer, &query)?;
    let needle = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let backend = db.get_database_backend();
    let plan = match &needle {
        None => Plan::Select(Box::new(filters.select())),
        Some(needle) if backend == DbBackend::Sqlite => Plan::SqliteSearch {
            expression: partner_search::match_expression(db, counts, needle).await?,
            needle,
        },
        Some(needle) => {
            // PostgreSQL: the pg_trgm index (when installed) serves this LIKE.
            let pattern = format!("%{}%", cursor::escape_like(needle));
            Plan::Select(Box::new(
                filters.select().filter(
                    Expr::col((partner::Entity, partner::Column::SearchText))
                        .like(LikeExpr::new(pattern).escape('\\')),
                ),
            ))
        }
    };
    let (inner, order) = plan.statement(backend, &filters, Columns::Listing, limit + 1);
    if let Some(page) = partner_listing::fetch_page(db, inner, order, limit).await? {
        return Ok(page);
    }
    // A listing is missing or stale (see `partner_listing`): build the page from the rows.
    let (inner, order) = plan.statement(backend, &filters, Columns::Full, limit + 1);
    let mut rows: Vec<PartnerRow> = json_rows::fetch(db, inner, PARTNER_FIELDS, order).await?;
    let next_cursor = cursor::trim_page(&mut rows, limit, |last| (last.sort_key.clone(), last.id));
    let items: Vec<Partner> = rows.into_iter().map(to_dto).collect();
    ListedPage::from_items(&items, next_cursor)
}

/// Which columns a list query reads of each partner.
#[derive(Clone, Copy)]
enum Columns {
    /// The stored listing (see [`partner_listing`]).
    Listing,
    /// The row, with the owner's name and the tags beside it.
    Full,
}

/// How a list page is found.
enum Plan<'a> {
    /// A select over the partners table in name order (no search text, or PostgreSQL).
    Select(Box<Select<partner::Entity>>),
    /// SQLite search through the FTS tables, or a walk in name order when `expression` is
    /// `None` (see [`sqlite_search`]).
    SqliteSearch {
        expression: Option<(&'static str, String)>,
        needle: &'a str,
    },
}

impl Plan<'_> {
    /// The inner query of a page of `take` rows, and its order over the row `p`.
    fn statement(
        &self,
        backend: DbBackend,
        filters: &Filters,
        columns: Columns,
        take: u64,
    ) -> (Statement, &'static str) {
        match self {
            Plan::Select(select) => {
                let mut select = (**select).clone().limit(take);
                match columns {
                    Columns::Listing => {
                        select = select.select_only().columns([
                            partner::Column::Listing,
                            partner::Column::ListingVersion,
                            partner::Column::Version,
                            partner::Column::SortKey,
                        ]);
                    }
                    Columns::Full => select = with_extra_columns(select, backend),
                }
                (select.build(backend), "p.sort_key")
            }
            Plan::SqliteSearch { expression, needle } => {
                sqlite_search(expression.clone(), filters, needle, columns, take)
            }
        }
    }
}

/// The list's filters other than the search text, checked.
struct Filters {
    status: Option<&'static str>,
    owner_id: Option<Uuid>,
    tag: Option<String>,
    /// The sort key of the last partner of the previous page.
    after: Option<String>,
}

impl Filters {
    fn parse(viewer: &CurrentUser, query: &PartnerQuery) -> ApiResult<Self> {
        let owner_id = match query.owner.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("me") => Some(viewer.id),
            Some(owner) => Some(
                owner
                    .parse::<Uuid>()
                    .map_err(|_| ApiError::field("owner", "must be a user id or `me`"))?,
            ),
        };
        let after = match query.cursor.as_deref() {
            // `sort_key` is unique, so it alone places a row; the id in the cursor is kept for
            // cursors given out before, and as a tie-breaker should that ever change.
            Some(cursor) => Some(cursor::decode::<(String, Uuid)>(cursor)?.0),
            None => None,
        };
        Ok(Self {
            status: query.status.map(|s| s.as_str()),
            owner_id,
            tag: query
                .tag
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase),
            after,
        })
    }

    /// The partners passing the filters, in the list's one order. `sort_key` is unique, so it
    /// is a total order on its own.
    fn select(&self) -> Select<partner::Entity> {
        let mut select = partner::Entity::find();
        if let Some(status) = self.status {
            select = select.filter(partner::Column::Status.eq(status));
        }
        if let Some(owner_id) = self.owner_id {
            select = select.filter(partner::Column::OwnerId.eq(owner_id));
        }
        if let Some(tag) = &self.tag {
            let tagged = partner_tag::Entity::find()
                .select_only()
                .column(partner_tag::Column::PartnerId)
                .filter(partner_tag::Column::Tag.eq(tag.clone()))
                .into_query();
            select = select.filter(partner::Column::Id.in_subquery(tagged));
        }
        if let Some(after) = &self.after {
            select = select.filter(partner::Column::SortKey.gt(after.clone()));
        }
        select.order_by_asc(partner::Column::SortKey)
    }

    /// The same filters as SQL conditions on the partners table aliased `p`, for hand-written
    /// SQLite queries.
    fn sql_conditions(&self) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut values = Vec::new();
        if let Some(status) = self.status {
            sql.push_str(" AND p.status = ?");
            values.push(status.into());
        }
        if let Some(owner_id) = self.owner_id {
            sql.push_str(" AND p.owner_id = ?");
            values.push(owner_id.into());
        }
        if let Some(tag) = &self.tag {
            sql.push_str(" AND p.id IN (SELECT partner_id FROM partner_tags WHERE tag = ?)");
            values.push(tag.clone().into());
        }
        if let Some(after) = &self.after {
            sql.push_str(" AND p.sort_key > ?");
            values.push(after.clone().into());
        }
        (sql, values)
    }
}

/// SQLite search: matches come from the FTS index in rank order, which is name order (see
/// [`partner_search`]), so the first `take` that pass the check and the filters are the page.
fn sqlite_search(
    expression: Option<(&'static str, String)>,
    filters: &Filters,
    needle: &str,
    columns: Columns,
    take: u64,
) -> (Statement, &'static str) {
    let (conditions, values) = filters.sql_conditions();
    let columns = match columns {
        Columns::Listing => format!("{}, p.sort_key", partner_listing::COLUMNS),
        Columns::Full => {
            let [(owner, _), (tags, _)] = extras(DbBackend::Sqlite, "p");
            format!("p.*, {owner} AS owner_name, {tags} AS tags")
        }
    };
    // The exact check; `instr` compares bytes, so `%`, `_` and `\` need no escaping.
    let check = "instr(p.search_text, ?) > 0";
    match expression {
        Some((table, expression)) => {
            // Start at the cursor's rank: the nearest indexed partner at or before it.
            let start = if filters.after.is_some() {
                "AND f.rowid >= coalesce((SELECT r2.rowid FROM partners p2 \
                 JOIN partner_search_rows r2 ON r2.partner_id = p2.id \
                 WHERE p2.sort_key <= ? ORDER BY p2.sort_key DESC LIMIT 1), 0)"
            } else {
                ""
            };
            let mut all: Vec<Value> = vec![expression.into()];
            all.extend(filters.after.clone().map(Value::from));
            all.push(needle.into());
            all.extend(values);
            all.push((take as i64).into());
            // CROSS JOIN keeps this join order: the FTS table drives, in row-id order, so the
            // query stops after `take` rows.
            let statement = Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!(
                    "SELECT {columns}, f.rowid AS page_order \
                     FROM {table} AS f \
                     CROSS JOIN partner_search_rows AS r ON r.rowid = f.rowid \
                     CROSS JOIN partners AS p ON p.id = r.partner_id \
                     WHERE f.{table} MATCH ? {start} AND {check}{conditions} \
                     ORDER BY f.rowid LIMIT ?"
                ),
                all,
            );
            (statement, "p.page_order")
        }
        None => {
            // Short text with punctuation, which no index holds: walk names in order through
            // the covering index (`sort_key`, `search_text`), reading table rows only for
            // partners that match.
            let mut all: Vec<Value> = vec![needle.into()];
            all.extend(values);
            all.push((take as i64).into());
            let statement = Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!(
                    "SELECT {columns} \
                     FROM partners AS p INDEXED BY idx_partners_sort_search \
                     WHERE {check}{conditions} ORDER BY p.sort_key LIMIT ?"
                ),
                all,
            );
            (statement, "p.sort_key")
        }
    }
}

/// A partner row with what its DTO shows beside it: the owner's name and the tags, read in the
/// same query (see [`extras`]) and decoded from the page's JSON (see [`json_rows`]).
#[derive(serde::Deserialize)]
struct PartnerRow {
    id: Uuid,
    name: String,
    name_zh: Option<String>,
    sort_key: String,
    sector: Option<String>,
    website: Option<String>,
    status: String,
    owner_id: Option<Uuid>,
    owner_name: Option<String>,
    tags: Vec<String>,
    notes: Option<String>,
    version: i32,
    #[serde(with = "shared::timestamp")]
    created_at: DateTime<Utc>,
    #[serde(with = "shared::timestamp")]
    updated_at: DateTime<Utc>,
}

const PARTNER_FIELDS: &[Field] = &[
    Field("id", Kind::Uuid),
    Field("name", Kind::Plain),
    Field("name_zh", Kind::Plain),
    Field("sort_key", Kind::Plain),
    Field("sector", Kind::Plain),
    Field("website", Kind::Plain),
    Field("status", Kind::Plain),
    Field("owner_id", Kind::Uuid),
    Field("owner_name", Kind::Plain),
    Field("tags", Kind::Json),
    Field("notes", Kind::Plain),
    Field("version", Kind::Plain),
    Field("created_at", Kind::Plain),
    Field("updated_at", Kind::Plain),
];

/// SQL for the owner's name and the tags (a JSON array, in order) of the partner row `table`,
/// as correlated subqueries: one query per page instead of three.
fn extras(backend: DbBackend, table: &str) -> [(String, &'static str); 2] {
    let owner = format!("(SELECT u.name FROM users u WHERE u.id = {table}.owner_id)");
    let tags = match backend {
        DbBackend::Postgres => format!(
            "(SELECT coalesce(json_agg(t.tag ORDER BY t.tag), '[]'::json)::text \
             FROM partner_tags t WHERE t.partner_id = {table}.id)"
        ),
        _ => format!(
            "(SELECT json_group_array(tag) FROM \
             (SELECT t.tag FROM partner_tags t WHERE t.partner_id = {table}.id ORDER BY t.tag))"
        ),
    };
    [(owner, "owner_name"), (tags, "tags")]
}

/// A partner select with the owner's name and the tags beside each row.
fn with_extra_columns(
    mut select: Select<partner::Entity>,
    backend: DbBackend,
) -> Select<partner::Entity> {
    for (sql, alias) in extras(backend, "\"partners\"") {
        select = select.column_as(Expr::cust(sql), alias);
    }
    select
}

/// Runs a partner select with the owner's name and the tags beside each row, in name order.
async fn with_extras(
    db: &(impl ConnectionTrait + 'static),
    select: Select<partner::Entity>,
) -> ApiResult<Vec<PartnerRow>> {
    let backend = db.get_database_backend();
    let select = with_extra_columns(select, backend);
    json_rows::fetch(db, select.build(backend), PARTNER_FIELDS, "p.sort_key").await
}

fn to_dto(p: PartnerRow) -> Partner {
    Partner {
        id: p.id,
        owner: p.owner_id.map(|id| UserRef {
            id,
            name: p.owner_name.unwrap_or_default(),
        }),
        tags: p.tags,
        name: p.name,
        name_zh: p.name_zh,
        sector: p.sector,
        website: p.website,
        status: PartnerStatus::parse(&p.status).unwrap_or_default(),
        notes: p.notes,
        version: p.version,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// 404 unless the partner exists: for routes nested under a partner.
pub async fn require_exists(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<()> {
    partner::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|_| ())
        .ok_or(ApiError::NotFound("partner"))
}

pub async fn get(db: &(impl ConnectionTrait + 'static), id: Uuid) -> ApiResult<Partner> {
    let row = with_extras(db, partner::Entity::find_by_id(id))
        .await?
        .pop()
        .ok_or(ApiError::NotFound("partner"))?;
    Ok(to_dto(row))
}

async fn check_owner(db: &impl ConnectionTrait, owner_id: Option<Uuid>) -> ApiResult<()> {
    if let Some(id) = owner_id
        && user::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Err(ApiError::issue("owner_id", Issue::UnknownUser));
    }
    Ok(())
}

async fn replace_tags(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
    tags: &[String],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    partner_tag::Entity::delete_many()
        .filter(partner_tag::Column::PartnerId.eq(partner_id))
        .exec(db)
        .await?;
    if tags.is_empty() {
        return Ok(());
    }
    partner_tag::Entity::insert_many(tags.iter().map(|tag| partner_tag::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        tag: Set(tag.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Creates a partner. Without an owner, the creator owns it.
#[tracing::instrument(skip(db, actor, input), fields(actor = %actor.id))]
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait + 'static),
    actor: &CurrentUser,
    input: NewPartner,
) -> ApiResult<Partner> {
    let input = input.validate()?;
    let owner_id = input.owner_id.or(Some(actor.id));
    check_owner(db, owner_id).await?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    let text = search_text(&input.name, input.name_zh.as_deref());
    let key = sort_key(&input.name);
    let txn = db.begin().await?;
    partner::ActiveModel {
        id: Set(id),
        sort_key: Set(key.clone()),
        search_text: Set(text.clone()),
        name: Set(input.name),
        name_zh: Set(input.name_zh),
        sector: Set(input.sector),
        website: Set(input.website),
        status: Set(input.status.unwrap_or_default().as_str().to_owned()),
        owner_id: Set(owner_id),
        notes: Set(input.notes),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        listing: Set(None),
        listing_version: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(|e| conflict_on_unique(e, "name", Issue::DuplicatePartnerName))?;
    partner_search::index(&txn, id, &key, &text).await?;
    replace_tags(&txn, id, input.tags.as_deref().unwrap_or_default(), now).await?;
    let partner = get(&txn, id).await?;
    partner_listing::store(&txn, &partner).await?;
    txn.commit().await?;
    Ok(partner)
}

/// Applies a change made against `patch.version`; a newer version in the database means
/// someone else changed the partner first, and the change is refused with 409.
#[tracing::instrument(skip(db, patch))]
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait + 'static),
    id: Uuid,
    patch: PartnerPatch,
) -> ApiResult<Partner> {
    let current = get(db, id).await?;
    if current.version != patch.version {
        return Err(ApiError::StaleVersion);
    }
    let next = patch.apply_to(&current).validate()?;
    check_owner(db, next.owner_id).await?;
    let now = Utc::now();
    let text = search_text(&next.name, next.name_zh.as_deref());
    let txn = db.begin().await?;
    // The version in the WHERE makes the check and the write one step, even against a
    // concurrent writer on another instance.
    let updated = partner::Entity::update_many()
        .col_expr(partner::Column::SortKey, Expr::value(sort_key(&next.name)))
        .col_expr(partner::Column::SearchText, Expr::value(text.clone()))
        .col_expr(partner::Column::Name, Expr::value(next.name.clone()))
        .col_expr(partner::Column::NameZh, Expr::value(next.name_zh.clone()))
        .col_expr(partner::Column::Sector, Expr::value(next.sector.clone()))
        .col_expr(partner::Column::Website, Expr::value(next.website.clone()))
        .col_expr(
            partner::Column::Status,
            Expr::value(next.status.unwrap_or_default().as_str().to_owned()),
        )
        .col_expr(partner::Column::OwnerId, Expr::value(next.owner_id))
        .col_expr(partner::Column::Notes, Expr::value(next.notes.clone()))
        .col_expr(partner::Column::Version, Expr::value(patch.version + 1))
        .col_expr(partner::Column::UpdatedAt, Expr::value(now))
        .filter(partner::Column::Id.eq(id))
        .filter(partner::Column::Version.eq(patch.version))
        .exec(&txn)
        .await
        .map_err(|e| conflict_on_unique(e, "name", Issue::DuplicatePartnerName))?;
    if updated.rows_affected == 0 {
        return Err(ApiError::StaleVersion);
    }
    if text != current_search_text(&current) {
        partner_search::index(&txn, id, &sort_key(&next.name), &text).await?;
    }
    if patch.tags.is_some() {
        replace_tags(&txn, id, next.tags.as_deref().unwrap_or_default(), now).await?;
    }
    let partner = get(&txn, id).await?;
    partner_listing::store(&txn, &partner).await?;
    txn.commit().await?;
    Ok(partner)
}

/// Deletes a partner with its contacts, tags and logged contacts.
pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<()> {
    let result = partner::Entity::delete_by_id(id).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(ApiError::NotFound("partner"));
    }
    Ok(())
}
