//! What every handler can reach.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::current_user::RecentCallers;
use crate::config::Settings;
use crate::services::partner_search::TokenCounts;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Search token counts remembered for this database (see [`TokenCounts`]).
    pub search_counts: Arc<TokenCounts>,
    /// Callers signed in moments ago (see [`RecentCallers`]).
    pub recent_callers: Arc<RecentCallers>,
}
