//! Logged contacts and next steps.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::Page;
use shared::activity::{Activity, ActivityPatch, NewActivity, NextStepQuery, TimelineQuery};

use super::extract::{ApiJson, ApiQuery, IdPath};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::services::activities;
use crate::state::AppState;

/// The partner's timeline of logged contacts, newest first.
#[utoipa::path(get, path = "/api/v1/partners/{id}/activities", tag = "activities",
    params(("id" = uuid::Uuid, Path, description = "partner id"), TimelineQuery),
    responses((status = 200, body = Page<Activity>), (status = 404, body = shared::ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    _user: CurrentUser,
    IdPath(partner_id): IdPath,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> ApiResult<Json<Page<Activity>>> {
    Ok(Json(
        activities::timeline(&state.db, partner_id, query).await?,
    ))
}

/// Log a contact (call, meeting, email, WeChat, note) with the partner.
#[utoipa::path(post, path = "/api/v1/partners/{id}/activities", tag = "activities",
    params(("id" = uuid::Uuid, Path, description = "partner id")), request_body = NewActivity,
    responses((status = 201, body = Activity), (status = 404, body = shared::ErrorBody),
              (status = 422, body = shared::ErrorBody)))]
pub async fn log(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(partner_id): IdPath,
    ApiJson(input): ApiJson<NewActivity>,
) -> ApiResult<(StatusCode, Json<Activity>)> {
    user.require_writer()?;
    Ok((
        StatusCode::CREATED,
        Json(activities::log(&state.db, &user, partner_id, input).await?),
    ))
}

/// Open next steps: `mine=true` for the caller's, `due` for overdue, today or this week
/// (in the caller's time zone).
#[utoipa::path(get, path = "/api/v1/activities", tag = "activities", params(NextStepQuery),
    responses((status = 200, body = Vec<Activity>), (status = 422, body = shared::ErrorBody)))]
pub async fn next_steps(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<NextStepQuery>,
) -> ApiResult<Json<Vec<Activity>>> {
    Ok(Json(activities::next_steps(&state.db, &user, query).await?))
}

#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Activity), (status = 404, body = shared::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _user: CurrentUser,
    IdPath(id): IdPath,
) -> ApiResult<Json<Activity>> {
    Ok(Json(activities::get(&state.db, id).await?))
}

/// Mark a next step done (`{"next_step_done": true}`), reopen it, or edit the activity.
#[utoipa::path(patch, path = "/api/v1/activities/{id}", tag = "activities",
    params(("id" = uuid::Uuid, Path)), request_body = ActivityPatch,
    responses((status = 200, body = Activity), (status = 404, body = shared::ErrorBody),
              (status = 422, body = shared::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(patch): ApiJson<ActivityPatch>,
) -> ApiResult<Json<Activity>> {
    user.require_writer()?;
    Ok(Json(activities::update(&state.db, id, patch).await?))
}
