//! Partners.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use shared::Page;
use shared::partner::{NewPartner, Partner, PartnerPatch, PartnerQuery};

use super::extract::{ApiJson, ApiQuery, IdPath};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::services::partners;
use crate::state::AppState;

/// Partners in name order, filtered and searched, a page at a time.
#[utoipa::path(get, path = "/api/v1/partners", tag = "partners", params(PartnerQuery),
    responses((status = 200, body = Page<Partner>), (status = 422, body = shared::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<PartnerQuery>,
) -> ApiResult<Response> {
    // The page comes in its wire form: the stored listings, sent as they are.
    let page = partners::list(&state.db, &state.search_counts, &user, query).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        page.into_json(),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/partners", tag = "partners", request_body = NewPartner,
    responses((status = 201, body = Partner), (status = 403, body = shared::ErrorBody),
              (status = 409, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<NewPartner>,
) -> ApiResult<(StatusCode, Json<Partner>)> {
    user.require_writer()?;
    Ok((
        StatusCode::CREATED,
        Json(partners::create(&state.db, &user, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/partners/{id}", tag = "partners",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Partner), (status = 404, body = shared::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _user: CurrentUser,
    IdPath(id): IdPath,
) -> ApiResult<Json<Partner>> {
    Ok(Json(partners::get(&state.db, id).await?))
}

/// Change a partner. Carries the `version` it was read at; a newer one answers 409.
#[utoipa::path(patch, path = "/api/v1/partners/{id}", tag = "partners",
    params(("id" = uuid::Uuid, Path)), request_body = PartnerPatch,
    responses((status = 200, body = Partner), (status = 404, body = shared::ErrorBody),
              (status = 409, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(patch): ApiJson<PartnerPatch>,
) -> ApiResult<Json<Partner>> {
    user.require_writer()?;
    Ok(Json(partners::update(&state.db, id, patch).await?))
}

/// Delete a partner with its contacts and logged contacts.
#[utoipa::path(delete, path = "/api/v1/partners/{id}", tag = "partners",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 403, body = shared::ErrorBody),
              (status = 404, body = shared::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    user.require_writer()?;
    partners::delete(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
