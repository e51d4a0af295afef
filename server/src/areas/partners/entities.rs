//! The partners area's tables.

pub mod partner {
    use sea_orm::entity::prelude::*;
    use shared::partner::PartnerStatus;

    use crate::store::Stored;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "partners")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub name_zh: Option<String>,
        /// The name lower-cased: the list's order, unique so names differ in more than case.
        pub sort_key: String,
        /// Both names lower-cased: what a search looks for when it walks the list in order.
        pub search_text: String,
        pub sector: Option<String>,
        pub website: Option<String>,
        pub status: Stored<PartnerStatus>,
        pub owner_id: Option<Uuid>,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::areas::staff::entities::user::Entity",
            from = "Column::OwnerId",
            to = "crate::areas::staff::entities::user::Column::Id",
            on_delete = "SetNull"
        )]
        Owner,
        #[sea_orm(has_many = "super::partner_tag::Entity")]
        Tags,
    }

    impl Related<crate::areas::staff::entities::user::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Owner.def()
        }
    }

    impl Related<super::partner_tag::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Tags.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod partner_tag {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "partner_tags")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub partner_id: Uuid,
        pub tag: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::partner::Entity",
            from = "Column::PartnerId",
            to = "super::partner::Column::Id",
            on_delete = "Cascade"
        )]
        Partner,
    }

    impl Related<super::partner::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Partner.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}
