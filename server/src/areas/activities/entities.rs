//! The activities area's tables: logged contacts, and the contacts each one names.

pub mod activity {
    use sea_orm::entity::prelude::*;
    use shared::activity::ActivityKind;

    use crate::store::Stored;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub partner_id: Uuid,
        pub author_id: Option<Uuid>,
        pub kind: Stored<ActivityKind>,
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
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::areas::partners::entities::partner::Entity",
            from = "Column::PartnerId",
            to = "crate::areas::partners::entities::partner::Column::Id",
            on_delete = "Cascade"
        )]
        Partner,
        #[sea_orm(
            belongs_to = "crate::areas::staff::entities::user::Entity",
            from = "Column::AuthorId",
            to = "crate::areas::staff::entities::user::Column::Id",
            on_delete = "SetNull"
        )]
        Author,
        #[sea_orm(has_many = "super::activity_contact::Entity")]
        NamedContacts,
    }

    impl Related<crate::areas::partners::entities::partner::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Partner.def()
        }
    }

    impl Related<crate::areas::staff::entities::user::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Author.def()
        }
    }

    impl Related<super::activity_contact::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::NamedContacts.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity_contact {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_contacts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub activity_id: Uuid,
        pub contact_id: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::activity::Entity",
            from = "Column::ActivityId",
            to = "super::activity::Column::Id",
            on_delete = "Cascade"
        )]
        Activity,
        #[sea_orm(
            belongs_to = "crate::areas::contacts::entities::contact::Entity",
            from = "Column::ContactId",
            to = "crate::areas::contacts::entities::contact::Column::Id",
            on_delete = "Cascade"
        )]
        Contact,
    }

    impl Related<super::activity::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Activity.def()
        }
    }

    impl Related<crate::areas::contacts::entities::contact::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Contact.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}
