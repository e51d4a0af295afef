use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Uuid,
    pub author_id: Option<Uuid>,
    pub kind: String,
    pub occurred_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub next_step: Option<String>,
    pub next_step_due: Option<Date>,
    pub next_step_done_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
