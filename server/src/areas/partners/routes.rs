//! Partners over HTTP.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::partner::{NewPartner, Partner, PartnerPatch, PartnerQuery};
use shared::{ErrorBody, Page, routes as paths};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service;
use crate::areas::staff::Caller;
use crate::http::{ApiJson, ApiQuery, ApiResult, AppState, IdPath};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Partners in name order, filtered and searched, a page at a time.
#[utoipa::path(get, path = paths::PARTNERS, tag = "partners", params(PartnerQuery),
    responses((status = 200, body = Page<Partner>), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PartnerQuery>,
) -> ApiResult<Json<Page<Partner>>> {
    Ok(Json(service::list(&state.ctx, &caller.actor, query).await?))
}

#[utoipa::path(post, path = paths::PARTNERS, tag = "partners", request_body = NewPartner,
    responses((status = 201, body = Partner), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewPartner>,
) -> ApiResult<(StatusCode, Json<Partner>)> {
    let partner = service::create(&state.ctx, &caller.actor, input).await?;
    Ok((StatusCode::CREATED, Json(partner)))
}

#[utoipa::path(get, path = paths::PARTNER, tag = "partners",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Partner), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> ApiResult<Json<Partner>> {
    Ok(Json(service::get(&state.ctx, &caller.actor, id).await?))
}

/// Change a partner. Carries the `version` it was read at; a newer one answers 409.
#[utoipa::path(patch, path = paths::PARTNER, tag = "partners",
    params(("id" = uuid::Uuid, Path)), request_body = PartnerPatch,
    responses((status = 200, body = Partner), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    ApiJson(patch): ApiJson<PartnerPatch>,
) -> ApiResult<Json<Partner>> {
    Ok(Json(
        service::update(&state.ctx, &caller.actor, id, patch).await?,
    ))
}

/// Delete a partner with its contacts and logged contacts.
#[utoipa::path(delete, path = paths::PARTNER, tag = "partners",
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
