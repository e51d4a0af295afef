//! Staff users, as others see them.

use axum::Json;
use axum::extract::State;
use shared::auth::UserRef;

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::services::users;
use crate::state::AppState;

/// All staff users (for owner pickers and filters).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = Vec<UserRef>), (status = 401, body = shared::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> ApiResult<Json<Vec<UserRef>>> {
    Ok(Json(users::list(&state.db).await?))
}
