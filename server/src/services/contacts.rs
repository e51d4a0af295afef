//! Contacts of a partner. At most one is primary: marking one moves the flag.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryTrait, Set,
    TransactionSession, TransactionTrait,
};
use shared::auth::Language;
use shared::contact::{Contact, ContactPatch, NewContact};
use shared::validate::Issue;
use uuid::Uuid;

use crate::entities::contact;
use crate::error::{ApiError, ApiResult, conflict_on_unique};

use super::json_rows::{self, Field, Kind};
use super::partners;

/// The columns [`list`] reads, named as [`Contact`]'s fields: the database's JSON decodes
/// straight into the DTO (languages are stored as their API names, written only through
/// `Language::as_str`).
const CONTACT_FIELDS: &[Field] = &[
    Field("id", Kind::Uuid),
    Field("partner_id", Kind::Uuid),
    Field("full_name", Kind::Plain),
    Field("name_zh", Kind::Plain),
    Field("title", Kind::Plain),
    Field("email", Kind::Plain),
    Field("phone", Kind::Plain),
    Field("wechat", Kind::Plain),
    Field("language", Kind::Plain),
    Field("is_primary", Kind::Bool),
    Field("version", Kind::Plain),
    Field("created_at", Kind::Plain),
    Field("updated_at", Kind::Plain),
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
        language: Language::parse(&c.language).unwrap_or_default(),
        is_primary: c.is_primary,
        version: c.version,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

/// The partner's contacts: the primary first, then by name. 404 when there is no such partner.
pub async fn list(
    db: &(impl ConnectionTrait + 'static),
    partner_id: Uuid,
) -> ApiResult<Vec<Contact>> {
    let backend = db.get_database_backend();
    let inner = contact::Entity::find()
        .filter(contact::Column::PartnerId.eq(partner_id))
        .build(backend);
    json_rows::fetch_under(
        db,
        "partners",
        partner_id,
        inner,
        CONTACT_FIELDS,
        "p.is_primary DESC, p.full_name ASC, p.id ASC",
    )
    .await?
    .ok_or(ApiError::NotFound("partner"))
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Contact> {
    contact::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_dto)
        .ok_or(ApiError::NotFound("contact"))
}

async fn clear_primary(db: &impl ConnectionTrait, partner_id: Uuid, except: Uuid) -> ApiResult<()> {
    contact::Entity::update_many()
        .col_expr(contact::Column::IsPrimary, Expr::value(false))
        .col_expr(
            contact::Column::Version,
            Expr::col(contact::Column::Version).add(1),
        )
        .col_expr(contact::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(contact::Column::PartnerId.eq(partner_id))
        .filter(contact::Column::IsPrimary.eq(true))
        .filter(contact::Column::Id.ne(except))
        .exec(db)
        .await?;
    Ok(())
}

fn normalise_email(email: Option<String>) -> Option<String> {
    email.map(|e| e.to_lowercase())
}

pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait + 'static),
    partner_id: Uuid,
    input: NewContact,
) -> ApiResult<Contact> {
    partners::require_exists(db, partner_id).await?;
    let input = input.validate()?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    let is_primary = input.is_primary.unwrap_or(false);
    let txn = db.begin().await?;
    if is_primary {
        clear_primary(&txn, partner_id, id).await?;
    }
    let row = contact::ActiveModel {
        id: Set(id),
        partner_id: Set(partner_id),
        full_name: Set(input.full_name),
        name_zh: Set(input.name_zh),
        title: Set(input.title),
        email: Set(normalise_email(input.email)),
        phone: Set(input.phone),
        wechat: Set(input.wechat),
        language: Set(input.language.unwrap_or_default().as_str().to_owned()),
        is_primary: Set(is_primary),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| conflict_on_unique(e, "email", Issue::DuplicateContactEmail))?;
    txn.commit().await?;
    Ok(to_dto(row))
}

pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait + 'static),
    id: Uuid,
    patch: ContactPatch,
) -> ApiResult<Contact> {
    let current = get(db, id).await?;
    if current.version != patch.version {
        return Err(ApiError::StaleVersion);
    }
    let next = patch.apply_to(&current).validate()?;
    let is_primary = next.is_primary.unwrap_or(false);
    let txn = db.begin().await?;
    if is_primary && !current.is_primary {
        clear_primary(&txn, current.partner_id, id).await?;
    }
    let updated = contact::Entity::update_many()
        .col_expr(contact::Column::FullName, Expr::value(next.full_name))
        .col_expr(contact::Column::NameZh, Expr::value(next.name_zh))
        .col_expr(contact::Column::Title, Expr::value(next.title))
        .col_expr(
            contact::Column::Email,
            Expr::value(normalise_email(next.email)),
        )
        .col_expr(contact::Column::Phone, Expr::value(next.phone))
        .col_expr(contact::Column::Wechat, Expr::value(next.wechat))
        .col_expr(
            contact::Column::Language,
            Expr::value(next.language.unwrap_or_default().as_str().to_owned()),
        )
        .col_expr(contact::Column::IsPrimary, Expr::value(is_primary))
        .col_expr(contact::Column::Version, Expr::value(patch.version + 1))
        .col_expr(contact::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(contact::Column::Id.eq(id))
        .filter(contact::Column::Version.eq(patch.version))
        .exec(&txn)
        .await
        .map_err(|e| conflict_on_unique(e, "email", Issue::DuplicateContactEmail))?;
    if updated.rows_affected == 0 {
        return Err(ApiError::StaleVersion);
    }
    txn.commit().await?;
    get(db, id).await
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<()> {
    let result = contact::Entity::delete_by_id(id).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(ApiError::NotFound("contact"));
    }
    Ok(())
}
