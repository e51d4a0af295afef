//! Partners: the list with search and filters, and create, read, change (against a version)
//! and delete. Rules and permissions live here; queries in [`super::store`].

use shared::Page;
use shared::partner::{NewPartner, Partner, PartnerPatch, PartnerQuery, PartnerStatus};
use shared::policy::Action;
use shared::validate::{Check, Issue, has_control_character};
use uuid::Uuid;

use super::store::{self, Filter};
use crate::areas::staff;
use crate::core::{Actor, Context, Entity, Error, Event, cursor};
use crate::search;

/// Partners in name order, a page at a time.
#[tracing::instrument(skip(ctx, actor))]
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    query: PartnerQuery,
) -> Result<Page<Partner>, Error> {
    actor.require(Action::ReadCrm)?;
    let mut check = Check::new();
    let limit = shared::page::limit(&mut check, query.limit.as_deref());
    let status = check.optional_choice(
        "status",
        query.status.as_deref(),
        PartnerStatus::parse,
        PartnerStatus::NAMES,
    );
    let owner_id = match query.owner.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("me") => actor.user_id(),
        Some(owner) => match owner.parse::<Uuid>() {
            Ok(id) => Some(id),
            Err(_) => {
                check.fail("owner", Issue::InvalidOwner);
                None
            }
        },
    };
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(search::text::normalise);
    if text
        .as_deref()
        .is_some_and(|q| q.chars().any(char::is_control))
    {
        // No name holds one, and PostgreSQL refuses a NUL in text.
        check.fail("q", Issue::ControlCharacter);
    } else if text
        .as_deref()
        .is_some_and(|q| q.chars().count() > search::MAX_QUERY_CHARS)
    {
        check.fail(
            "q",
            Issue::TooLong {
                max: search::MAX_QUERY_CHARS,
            },
        );
    }
    // `sort_key` is unique, so it alone places a row; the id in the cursor is kept for cursors
    // given out before, and as a tie-breaker should that ever change.
    let after = query
        .cursor
        .as_deref()
        .and_then(|given| cursor::decode_into::<(String, Uuid)>(&mut check, given))
        .map(|(key, _)| key);
    let tag = query
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase);
    if tag.as_deref().is_some_and(has_control_character) {
        check.fail("tag", Issue::ControlCharacter);
    }
    check.finish()?;
    let filter = Filter {
        status,
        owner_id,
        tag,
        text,
        after,
    };
    let mut items = store::list(&*ctx.db, &filter, limit + 1).await?;
    let next_cursor = cursor::trim_page(&mut items, limit, |last| {
        (store::sort_key(&last.name), last.id)
    });
    Ok(Page { items, next_cursor })
}

pub async fn get(ctx: &Context, actor: &Actor, id: Uuid) -> Result<Partner, Error> {
    actor.require(Action::ReadCrm)?;
    store::get(&*ctx.db, id)
        .await?
        .ok_or(Error::NotFound(Entity::Partner))
}

/// 404 unless the partner exists: for records nested under a partner.
pub async fn require_exists(ctx: &Context, id: Uuid) -> Result<(), Error> {
    if store::exists(&*ctx.db, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound(Entity::Partner))
    }
}

async fn check_owner(ctx: &Context, owner_id: Option<Uuid>) -> Result<(), Error> {
    if let Some(id) = owner_id
        && !staff::store::user_exists(&*ctx.db, id).await?
    {
        return Err(Error::issue("owner_id", Issue::UnknownUser));
    }
    Ok(())
}

/// Creates a partner. Without an owner, the staff user who creates it owns it.
#[tracing::instrument(skip(ctx, actor, input))]
pub async fn create(ctx: &Context, actor: &Actor, input: NewPartner) -> Result<Partner, Error> {
    actor.require(Action::EditCrm)?;
    let mut input = input.validate()?;
    input.owner_id = input.owner_id.or(actor.user_id());
    check_owner(ctx, input.owner_id).await?;
    let id = Uuid::now_v7();
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    store::insert(&tx, id, &input).await?;
    tx.emit(Event::PartnerCreated { partner_id: id }).await?;
    let partner = store::get(&*tx, id)
        .await?
        .ok_or(Error::NotFound(Entity::Partner))?;
    tx.commit().await?;
    Ok(partner)
}

/// Applies a change made against `patch.version`; a newer version in the database means
/// someone else changed the partner first ([`Error::Stale`]).
#[tracing::instrument(skip(ctx, actor, patch))]
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    patch: PartnerPatch,
) -> Result<Partner, Error> {
    actor.require(Action::EditCrm)?;
    let current = get(ctx, actor, id).await?;
    if current.version != patch.version {
        return Err(Error::Stale);
    }
    let next = patch.apply_to(&current).validate()?;
    check_owner(ctx, next.owner_id).await?;
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    // Unchanged tags are not written again.
    store::update(&tx, id, patch.version, &next, patch.tags.is_some()).await?;
    tx.emit(Event::PartnerChanged { partner_id: id }).await?;
    let partner = store::get(&*tx, id)
        .await?
        .ok_or(Error::NotFound(Entity::Partner))?;
    tx.commit().await?;
    Ok(partner)
}

/// Deletes a partner with its contacts, tags and logged contacts.
#[tracing::instrument(skip(ctx, actor))]
pub async fn delete(ctx: &Context, actor: &Actor, id: Uuid) -> Result<(), Error> {
    actor.require(Action::EditCrm)?;
    let tx = ctx.db.begin(actor, ctx.now()).await?;
    if !store::delete(&tx, id).await? {
        return Err(Error::NotFound(Entity::Partner));
    }
    tx.emit(Event::PartnerDeleted { partner_id: id }).await?;
    tx.commit().await
}

/// Indexes, for search, every partner whose entry is missing or stale, in batches; returns how
/// many it indexed. Run at start-up by the job runner and by `liaison reindex`.
pub async fn reindex(ctx: &Context, mut progress: impl FnMut(u64)) -> Result<u64, Error> {
    const BATCH: u64 = 500;
    let mut done = 0;
    let mut after = None;
    // One transaction: readers see the old index until the new one is whole and in order.
    let tx = ctx.db.begin(&Actor::System("reindex"), ctx.now()).await?;
    loop {
        let batch = store::unindexed(&*tx, after, BATCH).await?;
        let Some(last) = batch.last() else {
            break;
        };
        after = Some(last.id);
        store::reindex(&*tx, &batch).await?;
        done += batch.len() as u64;
        progress(done);
    }
    if done > 0 {
        store::reorder_index(&*tx).await?;
    }
    tx.commit().await?;
    Ok(done)
}
