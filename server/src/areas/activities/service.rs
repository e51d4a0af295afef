//! Logged contacts: the partner's timeline, logging a contact, editing it (or marking its next
//! step done), and the open next steps.

use chrono::{DateTime, Utc};
use shared::Page;
use shared::activity::{Activity, ActivityPatch, NewActivity, NextStepQuery, TimelineQuery};
use shared::policy::Action;
use shared::validate::{Check, Issue};
use uuid::Uuid;

use super::store;
use crate::areas::{contacts, partners};
use crate::core::clock::today_in;
use crate::core::{Actor, Context, Entity, Error, Event, cursor};

/// The partner's timeline, newest first.
pub async fn timeline(
    ctx: &Context,
    actor: &Actor,
    partner_id: Uuid,
    query: TimelineQuery,
) -> Result<Page<Activity>, Error> {
    actor.require(Action::ReadCrm)?;
    let mut check = Check::new();
    let limit = shared::page::limit(&mut check, query.limit.as_deref());
    let before = query
        .cursor
        .as_deref()
        .and_then(|given| cursor::decode_into::<(DateTime<Utc>, Uuid)>(&mut check, given));
    check.finish()?;
    let mut items = store::timeline(&*ctx.db, partner_id, before, limit + 1).await?;
    // Rows prove the partner exists; an empty page must tell the two apart.
    if items.is_empty() {
        partners::service::require_exists(ctx, partner_id).await?;
    }
    let next_cursor = cursor::trim_page(&mut items, limit, |last| (last.occurred_at, last.id));
    Ok(Page { items, next_cursor })
}

pub async fn get(ctx: &Context, actor: &Actor, id: Uuid) -> Result<Activity, Error> {
    actor.require(Action::ReadCrm)?;
    store::get(&*ctx.db, id)
        .await?
        .ok_or(Error::NotFound(Entity::Activity))
}

/// Logs a contact with the partner; the staff user who logs it is its author and owns its
/// next step.
#[tracing::instrument(skip(ctx, actor, input))]
pub async fn log(
    ctx: &Context,
    actor: &Actor,
    partner_id: Uuid,
    input: NewActivity,
) -> Result<Activity, Error> {
    actor.require(Action::EditCrm)?;
    partners::service::require_exists(ctx, partner_id).await?;
    let now = ctx.now();
    let input = input.validate(now)?;
    if !input.contact_ids.is_empty() {
        let known =
            contacts::store::count_of_partner(&*ctx.db, partner_id, &input.contact_ids).await?;
        if known != input.contact_ids.len() as u64 {
            return Err(Error::issue("contact_ids", Issue::NotThisPartnersContact));
        }
    }
    let id = Uuid::now_v7();
    let tx = ctx.db.begin(actor, now).await?;
    store::insert(&tx, id, partner_id, actor.user_id(), &input).await?;
    tx.emit(Event::ActivityLogged {
        activity_id: id,
        partner_id,
    })
    .await?;
    let activity = store::get(&*tx, id)
        .await?
        .ok_or(Error::NotFound(Entity::Activity))?;
    tx.commit().await?;
    Ok(activity)
}

/// Edits an activity, or marks its next step done or open again.
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    patch: ActivityPatch,
) -> Result<Activity, Error> {
    actor.require(Action::EditCrm)?;
    let current = get(ctx, actor, id).await?;
    let now = ctx.now();
    let edit = patch.apply_to(&current, now)?;
    let tx = ctx.db.begin(actor, now).await?;
    store::update(&tx, id, &edit).await?;
    tx.emit(Event::ActivityChanged {
        activity_id: id,
        partner_id: current.partner_id,
    })
    .await?;
    let activity = store::get(&*tx, id)
        .await?
        .ok_or(Error::NotFound(Entity::Activity))?;
    tx.commit().await?;
    Ok(activity)
}

/// Open next steps (not done), soonest due first, undated last. "Overdue", "today" and "this
/// week" are days where the actor is.
pub async fn next_steps(
    ctx: &Context,
    actor: &Actor,
    query: NextStepQuery,
) -> Result<Vec<Activity>, Error> {
    actor.require(Action::ReadCrm)?;
    let query = query.validate()?;
    let author = if query.mine { actor.user_id() } else { None };
    let today = today_in(actor.time_zone(), ctx.now());
    // Dated steps in a range, undated ones, or (no filter) both.
    let (dated, with_undated) = match query.due.map(|due| due.range(today)) {
        Some(Some(range)) => (Some(range), false),
        Some(None) => (None, true),
        None => (Some((None, None)), true),
    };
    store::next_steps(&*ctx.db, author, dated, with_undated, query.limit).await
}
