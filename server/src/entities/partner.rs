use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub name_zh: Option<String>,
    pub sort_key: String,
    pub search_text: String,
    pub sector: Option<String>,
    pub website: Option<String>,
    pub status: String,
    pub owner_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The partner as the API shows it, as JSON (see `services::partner_listing`).
    #[sea_orm(column_type = "Text", nullable)]
    pub listing: Option<String>,
    /// The `version` that `listing` was made from; any other value means it is stale.
    pub listing_version: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
