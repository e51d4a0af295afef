//! The unit of work. Services read through [`Db`] and write through a [`Tx`]: a database
//! transaction that knows who acts and when, and records the domain events of the change in
//! the same transaction. A transaction dropped without [`Tx::commit`] rolls back, events and
//! all.

use std::ops::Deref;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, Set, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::{Actor, Error, Event};

/// The database, for reads and for starting a [`Tx`].
#[derive(Clone, Debug)]
pub struct Db(DatabaseConnection);

impl Db {
    pub fn new(connection: DatabaseConnection) -> Self {
        Self(connection)
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.0
    }

    /// A transaction made by `actor` at `now`. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a unit of work reads before it writes, and a deferred transaction
    /// that must turn from reader into writer while another connection writes fails with
    /// "database is locked" at once, without waiting out the busy timeout (10 concurrent
    /// "make primary" requests: several 500s). PostgreSQL ignores the mode.
    pub async fn begin(&self, actor: &Actor, now: DateTime<Utc>) -> Result<Tx, Error> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(Tx {
            txn: self.0.begin_with_options(options).await?,
            actor: actor.recorded_as(),
            now,
        })
    }
}

impl Deref for Db {
    type Target = DatabaseConnection;

    fn deref(&self) -> &DatabaseConnection {
        &self.0
    }
}

pub struct Tx {
    txn: DatabaseTransaction,
    actor: (&'static str, Option<Uuid>),
    now: DateTime<Utc>,
}

impl Tx {
    /// When the change happens: every row it writes carries this time.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Records `event` as part of this change.
    pub async fn emit(&self, event: Event) -> Result<(), Error> {
        let payload = serde_json::to_string(&event).context("encoding a domain event")?;
        super::events::entity::ActiveModel {
            id: Set(Uuid::now_v7()),
            kind: Set(event.kind().to_owned()),
            subject_id: Set(event.subject_id()),
            partner_id: Set(Some(event.partner_id())),
            actor_kind: Set(self.actor.0.to_owned()),
            actor_id: Set(self.actor.1),
            payload: Set(payload),
            occurred_at: Set(self.now),
            created_at: Set(self.now),
            updated_at: Set(self.now),
        }
        .insert(&self.txn)
        .await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), Error> {
        self.txn.commit().await?;
        Ok(())
    }
}

impl Deref for Tx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, PaginatorTrait};
    use uuid::Uuid;

    use super::*;
    use crate::core::events::entity as event;

    async fn db() -> Db {
        Db::new(crate::store::open("sqlite::memory:", 1).await.unwrap())
    }

    #[tokio::test]
    async fn an_event_exists_only_if_its_transaction_commits() {
        let db = db().await;
        let actor = Actor::System("test");
        let partner_id = Uuid::now_v7();

        let dropped = db.begin(&actor, chrono::Utc::now()).await.unwrap();
        dropped
            .emit(Event::PartnerCreated { partner_id })
            .await
            .unwrap();
        drop(dropped);
        assert_eq!(event::Entity::find().count(&*db).await.unwrap(), 0);

        let committed = db.begin(&actor, chrono::Utc::now()).await.unwrap();
        committed
            .emit(Event::PartnerChanged { partner_id })
            .await
            .unwrap();
        committed.commit().await.unwrap();
        let stored = event::Entity::find().all(&*db).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].kind, "partner.changed");
        assert_eq!(stored[0].actor_kind, "system");
        assert_eq!(stored[0].partner_id, Some(partner_id));
        assert!(stored[0].payload.contains(&partner_id.to_string()));
    }
}
