//! The contacts area's queries.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use shared::contact::{Contact, ValidContact};
use shared::validate::Issue;
use uuid::Uuid;

use super::entities::contact;
use crate::core::{Error, Tx};
use crate::store::Stored;
use crate::store::unique::{Unique, on_unique};
use crate::store::versioned::{self, Versioned};

// The email's first: SQLite names a constraint by its columns, and the primary's are a prefix.
const UNIQUE: &[Unique] = &[
    Unique {
        constraint: "uq_contacts_partner_email",
        columns: "contacts.partner_id, contacts.email",
        field: "email",
        issue: Issue::DuplicateContactEmail,
    },
    Unique {
        constraint: "uq_contacts_one_primary",
        columns: "contacts.partner_id",
        field: "is_primary",
        issue: Issue::PrimaryContactTaken,
    },
];

fn to_dto(c: contact::Model) -> Contact {
    Contact {
        id: c.id,
        partner_id: c.partner_id,
        full_name: c.full_name,
        name_zh: c.name_zh,
        title: c.title,
        email: c.email,
        phone: c.phone,
        wechat: c.wechat,
        language: c.language.0,
        is_primary: c.is_primary,
        version: c.version,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

/// Addresses are compared in lower case, as sign-in compares them.
fn normalise_email(email: Option<&str>) -> Option<String> {
    email.map(|e| e.trim().to_lowercase())
}

/// The partner's contacts: the primary first, then by name.
pub async fn of_partner(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
) -> Result<Vec<Contact>, Error> {
    Ok(contact::Entity::find()
        .filter(contact::Column::PartnerId.eq(partner_id))
        .order_by_desc(contact::Column::IsPrimary)
        .order_by_asc(contact::Column::FullName)
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Contact>, Error> {
    Ok(contact::Entity::find_by_id(id).one(db).await?.map(to_dto))
}

/// How many of `ids` are contacts of the partner.
pub async fn count_of_partner(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
    ids: &[Uuid],
) -> Result<u64, Error> {
    Ok(contact::Entity::find()
        .filter(contact::Column::PartnerId.eq(partner_id))
        .filter(contact::Column::Id.is_in(ids.to_vec()))
        .count(db)
        .await?)
}

/// Takes the primary flag from the partner's other contacts. The partner's row is locked first
/// (PostgreSQL; SQLite has one writer at a time anyway), so two requests making different
/// contacts primary take turns: the second clears the first's. The unique index
/// `uq_contacts_one_primary` holds the rule should anything else race.
async fn clear_primary(tx: &Tx, partner_id: Uuid, except: Uuid) -> Result<(), Error> {
    use crate::areas::partners::entities::partner;
    partner::Entity::find_by_id(partner_id)
        .select_only()
        .column(partner::Column::Id)
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .one(&**tx)
        .await?;
    contact::Entity::update_many()
        .col_expr(contact::Column::IsPrimary, Expr::value(false))
        .col_expr(
            contact::Column::Version,
            Expr::col(contact::Column::Version).add(1),
        )
        .col_expr(contact::Column::UpdatedAt, Expr::value(tx.now()))
        .filter(contact::Column::PartnerId.eq(partner_id))
        .filter(contact::Column::IsPrimary.eq(true))
        .filter(contact::Column::Id.ne(except))
        .exec(&**tx)
        .await?;
    Ok(())
}

pub async fn insert(
    tx: &Tx,
    id: Uuid,
    partner_id: Uuid,
    input: &ValidContact,
) -> Result<Contact, Error> {
    let now = tx.now();
    let is_primary = input.is_primary;
    if is_primary {
        clear_primary(tx, partner_id, id).await?;
    }
    let row = contact::ActiveModel {
        id: Set(id),
        partner_id: Set(partner_id),
        full_name: Set(input.full_name.clone()),
        name_zh: Set(input.name_zh.clone()),
        title: Set(input.title.clone()),
        email: Set(normalise_email(input.email.as_deref())),
        phone: Set(input.phone.clone()),
        wechat: Set(input.wechat.clone()),
        language: Set(Stored(input.language)),
        is_primary: Set(is_primary),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**tx)
    .await
    .map_err(|e| on_unique(e, UNIQUE))?;
    Ok(to_dto(row))
}

/// Writes the contact's new state if it is still at `current.version`.
pub async fn update(
    tx: &Tx,
    current: &Contact,
    version: i32,
    next: &ValidContact,
) -> Result<(), Error> {
    let is_primary = next.is_primary;
    if is_primary && !current.is_primary {
        clear_primary(tx, current.partner_id, current.id).await?;
    }
    let update = contact::Entity::update_many()
        .col_expr(
            contact::Column::FullName,
            Expr::value(next.full_name.clone()),
        )
        .col_expr(contact::Column::NameZh, Expr::value(next.name_zh.clone()))
        .col_expr(contact::Column::Title, Expr::value(next.title.clone()))
        .col_expr(
            contact::Column::Email,
            Expr::value(normalise_email(next.email.as_deref())),
        )
        .col_expr(contact::Column::Phone, Expr::value(next.phone.clone()))
        .col_expr(contact::Column::Wechat, Expr::value(next.wechat.clone()))
        .col_expr(
            contact::Column::Language,
            Expr::value(Stored(next.language)),
        )
        .col_expr(contact::Column::IsPrimary, Expr::value(is_primary))
        .col_expr(contact::Column::UpdatedAt, Expr::value(tx.now()));
    versioned::update(
        &**tx,
        update,
        Versioned {
            id: contact::Column::Id,
            version: contact::Column::Version,
        },
        (current.id, version),
        UNIQUE,
    )
    .await
}

/// Deletes the contact; its partner's id, or `None` when there was no such contact.
pub async fn delete(tx: &Tx, id: Uuid) -> Result<Option<Uuid>, Error> {
    let Some(found) = contact::Entity::find_by_id(id).one(&**tx).await? else {
        return Ok(None);
    };
    contact::Entity::delete_by_id(id).exec(&**tx).await?;
    Ok(Some(found.partner_id))
}
