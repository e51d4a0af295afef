//! The staff area's queries that other areas need.

use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use uuid::Uuid;

use super::entities::user;
use crate::core::Error;

pub async fn user_exists(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    Ok(user::Entity::find_by_id(id)
        .select_only()
        .column(user::Column::Id)
        .into_tuple::<Uuid>()
        .one(db)
        .await?
        .is_some())
}
