//! Contacts of a partner.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::contact::{Contact, ContactPatch, NewContact};

use super::extract::{ApiJson, IdPath};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::services::contacts;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/partners/{id}/contacts", tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "partner id")),
    responses((status = 200, body = Vec<Contact>), (status = 404, body = shared::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
    IdPath(partner_id): IdPath,
) -> ApiResult<Json<Vec<Contact>>> {
    Ok(Json(contacts::list(&state.db, partner_id).await?))
}

#[utoipa::path(post, path = "/api/v1/partners/{id}/contacts", tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "partner id")), request_body = NewContact,
    responses((status = 201, body = Contact), (status = 404, body = shared::ErrorBody),
              (status = 409, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(partner_id): IdPath,
    ApiJson(input): ApiJson<NewContact>,
) -> ApiResult<(StatusCode, Json<Contact>)> {
    user.require_writer()?;
    Ok((
        StatusCode::CREATED,
        Json(contacts::create(&state.db, partner_id, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Contact), (status = 404, body = shared::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _user: CurrentUser,
    IdPath(id): IdPath,
) -> ApiResult<Json<Contact>> {
    Ok(Json(contacts::get(&state.db, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = uuid::Uuid, Path)), request_body = ContactPatch,
    responses((status = 200, body = Contact), (status = 404, body = shared::ErrorBody),
              (status = 409, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(patch): ApiJson<ContactPatch>,
) -> ApiResult<Json<Contact>> {
    user.require_writer()?;
    Ok(Json(contacts::update(&state.db, id, patch).await?))
}

#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = shared::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    user.require_writer()?;
    contacts::delete(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
