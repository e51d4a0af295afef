//! Staff users: adding them (command line, demo), listing them, and their own preferences.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use shared::auth::{Me, MePatch, Role, UserRef};
use shared::policy::Action;
use shared::validate::{Check, Issue};
use uuid::Uuid;

use super::caller::me_of;
use super::entities::user;
use super::sessions::{normalise_email, staff_user};
use crate::core::actor::StaffUser;
use crate::core::{Actor, Context, Error};
use crate::store::Stored;
use crate::store::unique::{Unique, on_unique};

pub use shared::auth::MIN_PASSWORD_CHARS;

const UNIQUE: &[Unique] = &[Unique {
    constraint: "users_email_key",
    columns: "users.email",
    field: "email",
    issue: Issue::DuplicateUserEmail,
}];

pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
}

/// Adds a staff user. Only the operator (the command line, the demo) adds users for now.
pub async fn create(ctx: &Context, actor: &Actor, input: NewUser) -> Result<StaffUser, Error> {
    actor.require(Action::ManageStaff)?;
    let mut check = Check::new();
    let email = normalise_email(&input.email);
    if !shared::validate::is_email(&email) {
        check.fail("email", Issue::InvalidEmail);
    }
    let name = check.required("name", &input.name, 200);
    shared::auth::check_new_password(&mut check, "password", &input.password);
    check.finish()?;
    let now = ctx.now();
    let hash = ctx.passwords.hash(input.password).await?;
    let model = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        name: Set(name),
        role: Set(Stored(input.role)),
        password_hash: Set(hash),
        locale: Set(Stored(shared::auth::Language::En)),
        time_zone: Set(shared::DEFAULT_TIME_ZONE.into()),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*ctx.db)
    .await
    .map_err(|e| on_unique(e, UNIQUE))?;
    Ok(staff_user(model))
}

/// The user with this email, or a 404 naming no one else.
async fn model_by_email(ctx: &Context, email: &str) -> Result<user::Model, Error> {
    user::Entity::find()
        .filter(user::Column::Email.eq(normalise_email(email)))
        .one(&*ctx.db)
        .await?
        .ok_or(Error::NotFound(crate::core::Entity::User))
}

/// Sets a user's password (the operator's command line) and ends their sessions: whoever knew
/// the old one is signed out.
pub async fn set_password(
    ctx: &Context,
    actor: &Actor,
    email: &str,
    password: String,
) -> Result<(), Error> {
    actor.require(Action::ManageStaff)?;
    let mut check = Check::new();
    shared::auth::check_new_password(&mut check, "password", &password);
    check.finish()?;
    let model = model_by_email(ctx, email).await?;
    let hash = ctx.passwords.hash(password).await?;
    let id = model.id;
    // One unit of work: the new password and the sessions' end together, or neither.
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    let mut active: user::ActiveModel = model.into();
    active.password_hash = Set(hash);
    active.updated_at = Set(tx.now());
    active.update(&*tx).await?;
    super::sessions::close_sessions_of(&*tx, id).await?;
    tx.commit().await
}

/// Disables a user (they cannot sign in; their sessions end and their API tokens are refused)
/// or enables them again. What they wrote stays theirs.
pub async fn set_disabled(
    ctx: &Context,
    actor: &Actor,
    email: &str,
    disabled: bool,
) -> Result<StaffUser, Error> {
    actor.require(Action::ManageStaff)?;
    let model = model_by_email(ctx, email).await?;
    let id = model.id;
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    let now = tx.now();
    let mut active: user::ActiveModel = model.into();
    active.disabled_at = Set(disabled.then_some(now));
    active.updated_at = Set(now);
    let model = active.update(&*tx).await?;
    if disabled {
        super::sessions::close_sessions_of(&*tx, id).await?;
    }
    tx.commit().await?;
    Ok(staff_user(model))
}

pub async fn find_by_email(ctx: &Context, email: &str) -> Result<Option<StaffUser>, Error> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(normalise_email(email)))
        .one(&*ctx.db)
        .await?
        .map(staff_user))
}

/// Every staff user, by name: for owner pickers and filters.
pub async fn list(ctx: &Context, actor: &Actor) -> Result<Vec<UserRef>, Error> {
    actor.require(Action::ListStaff)?;
    let users = user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(&*ctx.db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| UserRef {
            id: u.id,
            name: u.name,
        })
        .collect())
}

/// Changes the acting user's own language or time zone.
pub async fn update_me(ctx: &Context, actor: &Actor, patch: MePatch) -> Result<Me, Error> {
    actor.require(Action::EditOwnPreferences)?;
    let id = actor.user_id().ok_or(Error::Unauthenticated)?;
    let patch = patch.validate()?;
    let model = user::Entity::find_by_id(id)
        .one(&*ctx.db)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let mut active: user::ActiveModel = model.into();
    if let Some(locale) = patch.locale {
        active.locale = Set(Stored(locale));
    }
    if let Some(zone) = patch.time_zone {
        active.time_zone = Set(zone);
    }
    active.updated_at = Set(ctx.now());
    let model = active.update(&*ctx.db).await?;
    Ok(me_of(&staff_user(model)))
}
