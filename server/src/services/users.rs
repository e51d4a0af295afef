//! Staff users: creating them (CLI, demo), listing them, and their own preferences.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use shared::auth::{Me, MePatch, Role, UserRef};
use shared::validate::{Check, Issue};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::password;
use crate::entities::user;
use crate::error::{ApiError, ApiResult, conflict_on_unique};

use super::sessions::normalise_email;

pub const MIN_PASSWORD_CHARS: usize = 10;

pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
}

pub async fn create(db: &impl ConnectionTrait, input: NewUser) -> ApiResult<user::Model> {
    let mut check = Check::new();
    let email = normalise_email(&input.email);
    if !shared::validate::is_email(&email) {
        check.fail("email", Issue::InvalidEmail);
    }
    let name = check.required("name", &input.name, 200);
    if input.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::field(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    check.finish()?;
    let now = Utc::now();
    let hash = password::hash(input.password).await?;
    user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        name: Set(name),
        role: Set(input.role.as_str().to_owned()),
        password_hash: Set(hash),
        locale: Set("en".into()),
        time_zone: Set(shared::DEFAULT_TIME_ZONE.into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| conflict_on_unique(e, "email", Issue::DuplicateUserEmail))
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> ApiResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(normalise_email(email)))
        .one(db)
        .await?)
}

pub async fn list(db: &impl ConnectionTrait) -> ApiResult<Vec<UserRef>> {
    let users = user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| UserRef {
            id: u.id,
            name: u.name,
        })
        .collect())
}

pub async fn update_me(
    db: &impl ConnectionTrait,
    me: &CurrentUser,
    patch: MePatch,
) -> ApiResult<Me> {
    patch.validate()?;
    let model = user::Entity::find_by_id(me.id)
        .one(db)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let mut active: user::ActiveModel = model.into();
    if let Some(locale) = patch.locale {
        active.locale = Set(locale.as_str().to_owned());
    }
    if let Some(zone) = patch.time_zone {
        active.time_zone = Set(zone);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(db).await?;
    Ok(super::sessions::current_user(model, me.credential.clone()).me())
}
