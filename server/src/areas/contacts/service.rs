//! Contacts of a partner: list, add, change (against a version) and remove.

use shared::contact::{Contact, ContactPatch, NewContact};
use shared::policy::Action;
use uuid::Uuid;

use super::store;
use crate::areas::partners;
use crate::core::{Actor, Context, Entity, Error, Event};

/// The partner's contacts, the primary first. 404 when there is no such partner.
pub async fn list(ctx: &Context, actor: &Actor, partner_id: Uuid) -> Result<Vec<Contact>, Error> {
    actor.require(Action::ReadCrm)?;
    let contacts = store::of_partner(&*ctx.db, partner_id).await?;
    // Rows prove the partner exists; an empty list must tell "none yet" from "no partner".
    if contacts.is_empty() {
        partners::service::require_exists(ctx, partner_id).await?;
    }
    Ok(contacts)
}

pub async fn get(ctx: &Context, actor: &Actor, id: Uuid) -> Result<Contact, Error> {
    actor.require(Action::ReadCrm)?;
    store::get(&*ctx.db, id)
        .await?
        .ok_or(Error::NotFound(Entity::Contact))
}

pub async fn create(
    ctx: &Context,
    actor: &Actor,
    partner_id: Uuid,
    input: NewContact,
) -> Result<Contact, Error> {
    actor.require(Action::EditCrm)?;
    partners::service::require_exists(ctx, partner_id).await?;
    let input = input.validate()?;
    let id = Uuid::now_v7();
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    let contact = store::insert(&tx, id, partner_id, &input).await?;
    tx.emit(Event::ContactCreated {
        contact_id: id,
        partner_id,
    })
    .await?;
    tx.commit().await?;
    Ok(contact)
}

/// Applies a change made against `patch.version` ([`Error::Stale`] when someone was first).
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    patch: ContactPatch,
) -> Result<Contact, Error> {
    actor.require(Action::EditCrm)?;
    let current = get(ctx, actor, id).await?;
    if current.version != patch.version {
        return Err(Error::Stale);
    }
    let next = patch.apply_to(&current).validate()?;
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    store::update(&tx, &current, patch.version, &next).await?;
    tx.emit(Event::ContactChanged {
        contact_id: id,
        partner_id: current.partner_id,
    })
    .await?;
    let contact = store::get(&*tx, id)
        .await?
        .ok_or(Error::NotFound(Entity::Contact))?;
    tx.commit().await?;
    Ok(contact)
}

pub async fn delete(ctx: &Context, actor: &Actor, id: Uuid) -> Result<(), Error> {
    actor.require(Action::EditCrm)?;
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    let Some(partner_id) = store::delete(&tx, id).await? else {
        return Err(Error::NotFound(Entity::Contact));
    };
    tx.emit(Event::ContactDeleted {
        contact_id: id,
        partner_id,
    })
    .await?;
    tx.commit().await
}
