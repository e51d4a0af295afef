//! Contacts over HTTP.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::contact::{Contact, ContactPatch, NewContact};
use shared::{ErrorBody, routes as paths};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service;
use crate::areas::staff::Caller;
use crate::http::{ApiJson, ApiResult, AppState, IdPath};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

#[utoipa::path(get, path = paths::PARTNER_CONTACTS, tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "partner id")),
    responses((status = 200, body = Vec<Contact>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(partner_id): IdPath,
) -> ApiResult<Json<Vec<Contact>>> {
    Ok(Json(
        service::list(&state.ctx, &caller.actor, partner_id).await?,
    ))
}

#[utoipa::path(post, path = paths::PARTNER_CONTACTS, tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "partner id")), request_body = NewContact,
    responses((status = 201, body = Contact), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(partner_id): IdPath,
    ApiJson(input): ApiJson<NewContact>,
) -> ApiResult<(StatusCode, Json<Contact>)> {
    let contact = service::create(&state.ctx, &caller.actor, partner_id, input).await?;
    Ok((StatusCode::CREATED, Json(contact)))
}

#[utoipa::path(get, path = paths::CONTACT, tag = "contacts",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Contact), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> ApiResult<Json<Contact>> {
    Ok(Json(service::get(&state.ctx, &caller.actor, id).await?))
}

#[utoipa::path(patch, path = paths::CONTACT, tag = "contacts",
    params(("id" = uuid::Uuid, Path)), request_body = ContactPatch,
    responses((status = 200, body = Contact), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    ApiJson(patch): ApiJson<ContactPatch>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(
        service::update(&state.ctx, &caller.actor, id, patch).await?,
    ))
}

#[utoipa::path(delete, path = paths::CONTACT, tag = "contacts",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    service::delete(&state.ctx, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
