//! Domain events: what changed, recorded in the `events` table by the transaction that made
//! the change (see [`super::Tx::emit`]), so an event exists exactly when its change does.
//!
//! Nothing reads them yet. The outbox (follow-up emails), the audit log and webhooks will, each
//! keeping its own position in this one ordered log (ids are UUIDv7).

use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    PartnerCreated { partner_id: Uuid },
    PartnerChanged { partner_id: Uuid },
    PartnerDeleted { partner_id: Uuid },
    ContactCreated { contact_id: Uuid, partner_id: Uuid },
    ContactChanged { contact_id: Uuid, partner_id: Uuid },
    ContactDeleted { contact_id: Uuid, partner_id: Uuid },
    ActivityLogged { activity_id: Uuid, partner_id: Uuid },
    ActivityChanged { activity_id: Uuid, partner_id: Uuid },
}

impl Event {
    /// The stored name, `area.what`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::PartnerCreated { .. } => "partner.created",
            Event::PartnerChanged { .. } => "partner.changed",
            Event::PartnerDeleted { .. } => "partner.deleted",
            Event::ContactCreated { .. } => "contact.created",
            Event::ContactChanged { .. } => "contact.changed",
            Event::ContactDeleted { .. } => "contact.deleted",
            Event::ActivityLogged { .. } => "activity.logged",
            Event::ActivityChanged { .. } => "activity.changed",
        }
    }

    /// The record the event is about.
    pub fn subject_id(&self) -> Uuid {
        match self {
            Event::PartnerCreated { partner_id }
            | Event::PartnerChanged { partner_id }
            | Event::PartnerDeleted { partner_id } => *partner_id,
            Event::ContactCreated { contact_id, .. }
            | Event::ContactChanged { contact_id, .. }
            | Event::ContactDeleted { contact_id, .. } => *contact_id,
            Event::ActivityLogged { activity_id, .. }
            | Event::ActivityChanged { activity_id, .. } => *activity_id,
        }
    }

    /// The partner whose timeline the event belongs to.
    pub fn partner_id(&self) -> Uuid {
        match self {
            Event::PartnerCreated { partner_id }
            | Event::PartnerChanged { partner_id }
            | Event::PartnerDeleted { partner_id }
            | Event::ContactCreated { partner_id, .. }
            | Event::ContactChanged { partner_id, .. }
            | Event::ContactDeleted { partner_id, .. }
            | Event::ActivityLogged { partner_id, .. }
            | Event::ActivityChanged { partner_id, .. } => *partner_id,
        }
    }
}

/// The `events` table.
pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        pub subject_id: Uuid,
        pub partner_id: Option<Uuid>,
        pub actor_kind: String,
        pub actor_id: Option<Uuid>,
        #[sea_orm(column_type = "Text")]
        pub payload: String,
        pub occurred_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
