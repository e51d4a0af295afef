//! Logged contacts and next steps over HTTP.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::activity::{Activity, ActivityPatch, NewActivity, NextStepQuery, TimelineQuery};
use shared::{ErrorBody, Page, routes as paths};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service;
use crate::areas::staff::Caller;
use crate::http::{ApiJson, ApiQuery, ApiResult, AppState, IdPath};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(timeline, log))
        .routes(routes!(next_steps))
        .routes(routes!(get, update))
}

/// The partner's timeline of logged contacts, newest first.
#[utoipa::path(get, path = paths::PARTNER_ACTIVITIES, tag = "activities",
    params(("id" = uuid::Uuid, Path, description = "partner id"), TimelineQuery),
    responses((status = 200, body = Page<Activity>), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(partner_id): IdPath,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> ApiResult<Json<Page<Activity>>> {
    Ok(Json(
        service::timeline(&state.ctx, &caller.actor, partner_id, query).await?,
    ))
}

/// Log a contact (call, meeting, email, WeChat, note) with the partner.
#[utoipa::path(post, path = paths::PARTNER_ACTIVITIES, tag = "activities",
    params(("id" = uuid::Uuid, Path, description = "partner id")), request_body = NewActivity,
    responses((status = 201, body = Activity), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn log(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(partner_id): IdPath,
    ApiJson(input): ApiJson<NewActivity>,
) -> ApiResult<(StatusCode, Json<Activity>)> {
    let activity = service::log(&state.ctx, &caller.actor, partner_id, input).await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

/// Open next steps: `mine=true` for the caller's, `due` for overdue, today or this week
/// (in the caller's time zone).
#[utoipa::path(get, path = paths::ACTIVITIES, tag = "activities", params(NextStepQuery),
    responses((status = 200, body = Vec<Activity>), (status = 422, body = ErrorBody)))]
pub async fn next_steps(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<NextStepQuery>,
) -> ApiResult<Json<Vec<Activity>>> {
    Ok(Json(
        service::next_steps(&state.ctx, &caller.actor, query).await?,
    ))
}

#[utoipa::path(get, path = paths::ACTIVITY, tag = "activities",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Activity), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> ApiResult<Json<Activity>> {
    Ok(Json(service::get(&state.ctx, &caller.actor, id).await?))
}

/// Mark a next step done (`{"next_step_done": true}`), reopen it, or edit the activity.
#[utoipa::path(patch, path = paths::ACTIVITY, tag = "activities",
    params(("id" = uuid::Uuid, Path)), request_body = ActivityPatch,
    responses((status = 200, body = Activity), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    ApiJson(patch): ApiJson<ActivityPatch>,
) -> ApiResult<Json<Activity>> {
    Ok(Json(
        service::update(&state.ctx, &caller.actor, id, patch).await?,
    ))
}
