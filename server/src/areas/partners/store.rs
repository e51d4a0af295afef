//! The partners area's queries. A page of the list is one query: each partner with its owner's
//! name (a join) and its tags (a JSON array, see [`crate::store::dialect`]).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait, Select, Set,
};
use shared::auth::UserRef;
use shared::partner::{Partner, PartnerStatus, ValidPartner};
use shared::validate::Issue;
use uuid::Uuid;

use super::entities::{partner, partner_tag};
use crate::core::{Error, Tx};
use crate::search::{Entry, SearchIndex, Subject, text};
use crate::store::Stored;
use crate::store::dialect::{self, json_array};
use crate::store::limit;
use crate::store::unique::{Unique, on_unique};
use crate::store::versioned::{self, Versioned};

const UNIQUE: &[Unique] = &[Unique {
    constraint: "uq_partners_sort_key",
    columns: "partners.sort_key",
    field: "name",
    issue: Issue::DuplicatePartnerName,
}];

/// The list's order, and what makes two names the same one.
pub fn sort_key(name: &str) -> String {
    name.to_lowercase()
}

/// What a search looks in: both names.
pub fn search_text(name: &str, name_zh: Option<&str>) -> String {
    match name_zh {
        Some(zh) => text::normalise(&format!("{name} {zh}")),
        None => text::normalise(name),
    }
}

/// What the search index keeps of a partner.
fn entry(id: Uuid, name: &str, body: String) -> Entry {
    Entry {
        id,
        sort_key: sort_key(name),
        body,
    }
}

/// The list's filters, checked.
#[derive(Debug, Default)]
pub struct Filter {
    pub status: Option<PartnerStatus>,
    pub owner_id: Option<Uuid>,
    /// Lower-cased.
    pub tag: Option<String>,
    /// Normalised search text, not empty.
    pub text: Option<String>,
    /// The sort key of the last partner of the previous page.
    pub after: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct PartnerRow {
    id: Uuid,
    name: String,
    name_zh: Option<String>,
    sector: Option<String>,
    website: Option<String>,
    status: Stored<PartnerStatus>,
    owner_id: Option<Uuid>,
    owner_name: Option<String>,
    /// A JSON array of the tags, in order.
    tags: String,
    notes: Option<String>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl PartnerRow {
    fn into_dto(self) -> Result<Partner, Error> {
        let tags: Vec<String> = serde_json::from_str(&self.tags)
            .map_err(|e| anyhow::anyhow!("reading the tags of partner {}: {e}", self.id))?;
        Ok(Partner {
            id: self.id,
            owner: self.owner_id.map(|id| UserRef {
                id,
                name: self.owner_name.unwrap_or_default(),
            }),
            tags,
            name: self.name,
            name_zh: self.name_zh,
            sector: self.sector,
            website: self.website,
            status: self.status.0,
            notes: self.notes,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Partners with what their DTO shows beside them.
fn with_owner_and_tags(
    select: Select<partner::Entity>,
    db: &impl ConnectionTrait,
) -> Select<partner::Entity> {
    use crate::areas::staff::entities::user;
    let tags = json_array(
        db.get_database_backend(),
        "t.tag",
        "FROM partner_tags t WHERE t.partner_id = \"partners\".\"id\"",
        "t.tag",
    );
    // Only what the DTO shows: the sort key and search text are a partner's two longest
    // columns, and each value read is copied out of SQLite once more.
    select
        .select_only()
        .columns([
            partner::Column::Id,
            partner::Column::Name,
            partner::Column::NameZh,
            partner::Column::Sector,
            partner::Column::Website,
            partner::Column::Status,
            partner::Column::OwnerId,
            partner::Column::Notes,
            partner::Column::Version,
            partner::Column::CreatedAt,
            partner::Column::UpdatedAt,
        ])
        .join(JoinType::LeftJoin, partner::Relation::Owner.def())
        .column_as(user::Column::Name, "owner_name")
        .column_as(Expr::cust(tags), "tags")
}

/// The partners `select` finds, the first `limit` of them when given.
async fn fetch(
    db: &impl ConnectionTrait,
    select: Select<partner::Entity>,
    limit: Option<u64>,
) -> Result<Vec<Partner>, Error> {
    let select = with_owner_and_tags(select, db);
    let rows: Vec<PartnerRow> = limit::rows(db, &select, limit).await?;
    rows.into_iter().map(PartnerRow::into_dto).collect()
}

/// Up to `take` partners passing `filter`, in name order.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    take: u64,
) -> Result<Vec<Partner>, Error> {
    let mut select = partner::Entity::find();
    if let Some(status) = filter.status {
        select = select.filter(partner::Column::Status.eq(Stored(status)));
    }
    if let Some(owner_id) = filter.owner_id {
        select = select.filter(partner::Column::OwnerId.eq(owner_id));
    }
    if let Some(tag) = &filter.tag {
        let tagged = partner_tag::Entity::find()
            .select_only()
            .column(partner_tag::Column::PartnerId)
            .filter(partner_tag::Column::Tag.eq(tag.clone()))
            .into_query();
        select = select.filter(partner::Column::Id.in_subquery(tagged));
    }
    if let Some(after) = &filter.after {
        select = select.filter(partner::Column::SortKey.gt(after.clone()));
    }
    // `sort_key` is unique, so it alone is a total order.
    let Some(needle) = &filter.text else {
        return fetch(
            db,
            select.order_by_asc(partner::Column::SortKey),
            Some(take),
        )
        .await;
    };
    // Every path checks the row's own text: the index only narrows (an entry can be stale
    // until the repair job passes).
    let contains = dialect::contains(
        db.get_database_backend(),
        "\"partners\".\"search_text\"",
        needle,
    );
    let select = select.filter(contains);
    let index = SearchIndex::of(db);
    let filtered = filter.status.is_some() || filter.owner_id.is_some() || filter.tag.is_some();
    // The index keeps the list's order and nothing else filters: the page is its first matches.
    if !filtered
        && let Some(matches) = index.in_order_condition(
            "\"partners\".\"id\"",
            Subject::Partner,
            needle,
            filter.after.as_deref(),
            take,
        )
    {
        let select = select.filter(matches);
        return fetch(
            db,
            select.order_by_asc(partner::Column::SortKey),
            Some(take),
        )
        .await;
    }
    // Otherwise read the index's matches in order a chunk at a time, keep those that pass the
    // filters, until the page is full or the matches run out. Without filters every match is
    // on the page (but for a stale index entry): one chunk of the page's size.
    let chunk = if filtered {
        (take * 2).clamp(64, 400)
    } else {
        take
    };
    let mut after = filter.after.clone();
    let mut page: Vec<Partner> = Vec::new();
    loop {
        let matches = index
            .in_order(db, Subject::Partner, needle, after.as_deref(), chunk)
            .await?;
        if matches.ids.is_empty() {
            return Ok(page);
        }
        let count = matches.ids.len() as u64;
        after = Some(matches.last);
        let room = take - page.len() as u64;
        let found = fetch(
            db,
            select
                .clone()
                .filter(partner::Column::Id.is_in(matches.ids))
                .order_by_asc(partner::Column::SortKey),
            Some(room),
        )
        .await?;
        page.extend(found);
        if page.len() as u64 >= take || count < chunk {
            return Ok(page);
        }
    }
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Partner>, Error> {
    Ok(fetch(db, partner::Entity::find_by_id(id), None)
        .await?
        .pop())
}

pub async fn exists(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    Ok(partner::Entity::find_by_id(id)
        .select_only()
        .column(partner::Column::Id)
        .into_tuple::<Uuid>()
        .one(db)
        .await?
        .is_some())
}

async fn replace_tags(tx: &Tx, partner_id: Uuid, tags: &[String]) -> Result<(), Error> {
    partner_tag::Entity::delete_many()
        .filter(partner_tag::Column::PartnerId.eq(partner_id))
        .exec(&**tx)
        .await?;
    if tags.is_empty() {
        return Ok(());
    }
    let now = tx.now();
    partner_tag::Entity::insert_many(tags.iter().map(|tag| partner_tag::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        tag: Set(tag.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }))
    .exec(&**tx)
    .await?;
    Ok(())
}

/// Inserts a validated partner, with its tags and its search entry.
pub async fn insert(tx: &Tx, id: Uuid, input: &ValidPartner) -> Result<(), Error> {
    let now = tx.now();
    let body = search_text(&input.name, input.name_zh.as_deref());
    partner::ActiveModel {
        id: Set(id),
        sort_key: Set(sort_key(&input.name)),
        search_text: Set(body.clone()),
        name: Set(input.name.clone()),
        name_zh: Set(input.name_zh.clone()),
        sector: Set(input.sector.clone()),
        website: Set(input.website.clone()),
        status: Set(Stored(input.status)),
        owner_id: Set(input.owner_id),
        notes: Set(input.notes.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**tx)
    .await
    .map_err(|e| on_unique(e, UNIQUE))?;
    replace_tags(tx, id, &input.tags).await?;
    SearchIndex::of(&**tx)
        .put(&**tx, Subject::Partner, &entry(id, &input.name, body))
        .await
}

/// Writes the partner's new state if it is still at `version`; its tags too when `tags_changed`.
pub async fn update(
    tx: &Tx,
    id: Uuid,
    version: i32,
    next: &ValidPartner,
    tags_changed: bool,
) -> Result<(), Error> {
    let body = search_text(&next.name, next.name_zh.as_deref());
    let update = partner::Entity::update_many()
        .col_expr(partner::Column::SortKey, Expr::value(sort_key(&next.name)))
        .col_expr(partner::Column::SearchText, Expr::value(body.clone()))
        .col_expr(partner::Column::Name, Expr::value(next.name.clone()))
        .col_expr(partner::Column::NameZh, Expr::value(next.name_zh.clone()))
        .col_expr(partner::Column::Sector, Expr::value(next.sector.clone()))
        .col_expr(partner::Column::Website, Expr::value(next.website.clone()))
        .col_expr(partner::Column::Status, Expr::value(Stored(next.status)))
        .col_expr(partner::Column::OwnerId, Expr::value(next.owner_id))
        .col_expr(partner::Column::Notes, Expr::value(next.notes.clone()))
        .col_expr(partner::Column::UpdatedAt, Expr::value(tx.now()));
    versioned::update(
        &**tx,
        update,
        Versioned {
            id: partner::Column::Id,
            version: partner::Column::Version,
        },
        (id, version),
        UNIQUE,
    )
    .await?;
    if tags_changed {
        replace_tags(tx, id, &next.tags).await?;
    }
    SearchIndex::of(&**tx)
        .put(&**tx, Subject::Partner, &entry(id, &next.name, body))
        .await
}

/// Deletes the partner (its contacts, tags and logged contacts go with it); false when there
/// was none.
pub async fn delete(tx: &Tx, id: Uuid) -> Result<bool, Error> {
    let result = partner::Entity::delete_by_id(id).exec(&**tx).await?;
    if result.rows_affected == 0 {
        return Ok(false);
    }
    SearchIndex::of(&**tx)
        .remove(&**tx, Subject::Partner, id)
        .await?;
    Ok(true)
}

/// Partners whose search entry is missing or differs from their text or sort key (written by
/// an import, a restore, an older version), in id order after `after`, at most `limit`: the
/// repair job's work list, read a batch at a time without reading a batch twice.
pub async fn unindexed(
    db: &impl ConnectionTrait,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Entry>, Error> {
    let stale = Expr::cust(
        "NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.subject = 'partner' \
         AND d.subject_id = \"partners\".\"id\" AND d.body = \"partners\".\"search_text\" \
         AND d.sort_key = \"partners\".\"sort_key\")",
    );
    let mut select = partner::Entity::find()
        .select_only()
        .column(partner::Column::Id)
        .column(partner::Column::SortKey)
        .column(partner::Column::SearchText)
        .filter(stale);
    if let Some(after) = after {
        select = select.filter(partner::Column::Id.gt(after));
    }
    let rows: Vec<(Uuid, String, String)> = select
        .order_by_asc(partner::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, sort_key, body)| Entry { id, sort_key, body })
        .collect())
}

/// Indexes a batch found by [`unindexed`]; [`reorder_index`] once all are in.
pub async fn reindex(db: &impl ConnectionTrait, batch: &[Entry]) -> Result<(), Error> {
    SearchIndex::of(db)
        .put_many(db, Subject::Partner, batch)
        .await
}

/// Puts every partner's search entry in its place in the list's order.
pub async fn reorder_index(db: &impl ConnectionTrait) -> Result<(), Error> {
    SearchIndex::of(db).reorder(db, Subject::Partner).await
}

/// How many partners there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, Error> {
    use sea_orm::PaginatorTrait;
    Ok(partner::Entity::find().count(db).await?)
}
