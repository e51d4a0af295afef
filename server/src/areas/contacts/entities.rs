//! The contacts area's table.

pub mod contact {
    use sea_orm::entity::prelude::*;
    use shared::auth::Language;

    use crate::store::Stored;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contacts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub partner_id: Uuid,
        pub full_name: String,
        pub name_zh: Option<String>,
        pub title: Option<String>,
        /// Lower-cased; unique within the partner.
        pub email: Option<String>,
        pub phone: Option<String>,
        pub wechat: Option<String>,
        pub language: Stored<Language>,
        pub is_primary: bool,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::areas::partners::entities::partner::Entity",
            from = "Column::PartnerId",
            to = "crate::areas::partners::entities::partner::Column::Id",
            on_delete = "Cascade"
        )]
        Partner,
    }

    impl Related<crate::areas::partners::entities::partner::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Partner.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}
