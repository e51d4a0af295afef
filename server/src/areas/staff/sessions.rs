//! Sign-in, sessions and API tokens. Sessions are rows (only a hash of the token is stored), so
//! they survive restarts and are shared by every instance on the same database.

use chrono::{DateTime, Duration};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};
use uuid::Uuid;

use super::entities::{api_token, login_attempt, session, user};
use crate::core::actor::StaffUser;
use crate::core::{Context, Error, secret};

type ApiResult<T> = Result<T, Error>;

/// How a staff user proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The session with this token hash.
    Session { token_hash: String },
    /// The API token with this id and hash.
    ApiToken { id: Uuid, token_hash: String },
}

/// A staff user who proved who they are, and how.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: StaffUser,
    pub credential: Credential,
}

/// A session lasts this long after it was last used...
pub const SESSION_TTL: Duration = Duration::days(30);
/// ...and never longer than this after it was opened: then its user signs in again.
pub const SESSION_MAX_AGE: Duration = Duration::days(90);
/// A session's expiry is pushed back at most this often, so that reads don't all write.
const TOUCH_EVERY: Duration = Duration::hours(1);

/// Failed sign-ins are counted over this window.
pub const ATTEMPT_WINDOW: Duration = Duration::minutes(15);
/// Failures allowed for one account from one address. Keyed on both, so an attacker
/// elsewhere cannot lock the real user out of their own account.
pub const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: u64 = 5;
/// Failures allowed from one address over all accounts (password spraying).
pub const MAX_FAILURES_PER_ADDRESS: u64 = 50;
/// Failures of one account, from all addresses together, before its sign-ins slow down.
pub const ACCOUNT_FREE_FAILURES: u64 = 10;
/// The longest an account's back-off makes anyone wait between two of its sign-ins.
pub const MAX_ACCOUNT_BACK_OFF: Duration = Duration::seconds(60);

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A user row as services see the user.
pub fn staff_user(model: user::Model) -> StaffUser {
    StaffUser {
        id: model.id,
        role: model.role.0,
        locale: model.locale.0,
        email: model.email,
        name: model.name,
        time_zone: model.time_zone,
    }
}

/// Checks the password and opens a session. Returns the user and the session token for the
/// cookie.
#[tracing::instrument(name = "sign in", skip(ctx, password_attempt))]
pub async fn login(
    ctx: &Context,
    email: &str,
    password_attempt: &str,
    address: &str,
) -> ApiResult<(SignedIn, String)> {
    shared::auth::LoginRequest {
        email: email.to_owned(),
        password: password_attempt.to_owned(),
    }
    .validate()?;
    let db = &*ctx.db;
    let email = normalise_email(email);
    let now = ctx.now();
    // The attempt is counted before the password is checked, and the count includes it: of
    // concurrent guesses, the n-th to be written sees at least n, so no more than the limit
    // are ever checked, on any number of instances (a check-then-record raced: 40 concurrent
    // guesses were all checked). An attempt refused here is not counted.
    let attempt = record_attempt(db, &email, address, now).await?;
    if let Err(refused) = refuse_if_rate_limited(db, &email, address, now, attempt).await {
        login_attempt::Entity::delete_by_id(attempt)
            .exec(db)
            .await?;
        return Err(refused);
    }

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let matches = match &found {
        Some(user) => {
            ctx.passwords
                .verify(password_attempt.to_owned(), user.password_hash.clone())
                .await?
        }
        None => {
            // Spend the same effort for an unknown email, so timing does not reveal which
            // emails have accounts.
            ctx.passwords.hash(password_attempt.to_owned()).await?;
            false
        }
    };
    // A disabled user's right password is refused like a wrong one (after the same work).
    let Some(user) = found.filter(|user| matches && user.disabled_at.is_none()) else {
        // The attempt stays, as a failure.
        forget_old_attempts(db, now).await?;
        return Err(Error::BadCredentials);
    };

    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Email.eq(&email))
        .filter(login_attempt::Column::Ip.eq(address))
        .exec(db)
        .await?;
    let token = open_session(db, user.id, now).await?;
    let hash = secret::digest(&token);
    Ok((
        SignedIn {
            user: staff_user(user),
            credential: Credential::Session { token_hash: hash },
        },
        token,
    ))
}

async fn refuse_if_rate_limited(
    db: &impl ConnectionTrait,
    email: &str,
    address: &str,
    now: DateTime<chrono::Utc>,
    attempt: Uuid,
) -> ApiResult<()> {
    let since = now - ATTEMPT_WINDOW;
    account_back_off(db, email, address, now, attempt).await?;
    let recent = || {
        login_attempt::Entity::find()
            .filter(login_attempt::Column::Ip.eq(address))
            .filter(login_attempt::Column::CreatedAt.gt(since))
    };
    let for_account = recent().filter(login_attempt::Column::Email.eq(email));
    // The attempt being made is among them: the limit is passed when it is the one too many.
    let limited_account =
        for_account.clone().count(db).await? > MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS;
    let limited_address = !limited_account && recent().count(db).await? > MAX_FAILURES_PER_ADDRESS;
    if !(limited_account || limited_address) {
        return Ok(());
    }
    // Free again when the oldest counted failure leaves the window.
    let oldest = if limited_account {
        for_account
    } else {
        recent()
    }
    .order_by_asc(login_attempt::Column::CreatedAt)
    .one(db)
    .await?
    .map_or(now, |attempt| attempt.created_at);
    let retry_after_secs = ((oldest + ATTEMPT_WINDOW) - now).num_seconds().max(1) as u64;
    Err(Error::RateLimited { retry_after_secs })
}

/// Across all addresses, an account's failures beyond [`ACCOUNT_FREE_FAILURES`] in the window
/// slow down the addresses that keep guessing, instead of locking the account: from an address
/// that already failed for this account in the window, each further attempt must come at least
/// 2^(n - free) seconds after the account's previous one, up to [`MAX_ACCOUNT_BACK_OFF`]. An
/// address's first try is always checked (the per-address limits still apply), so the real user
/// signing in from their own address is never held back by guesses from elsewhere; an
/// attacker gets one guess per address, then about one a minute.
async fn account_back_off(
    db: &impl ConnectionTrait,
    email: &str,
    address: &str,
    now: DateTime<chrono::Utc>,
    attempt: Uuid,
) -> ApiResult<()> {
    let others = || {
        login_attempt::Entity::find()
            .filter(login_attempt::Column::Email.eq(email))
            .filter(login_attempt::Column::CreatedAt.gt(now - ATTEMPT_WINDOW))
            .filter(login_attempt::Column::Id.ne(attempt))
    };
    let failures = others().count(db).await?;
    if failures < ACCOUNT_FREE_FAILURES {
        return Ok(());
    }
    let tried_here = others()
        .filter(login_attempt::Column::Ip.eq(address))
        .count(db)
        .await?;
    if tried_here == 0 {
        return Ok(());
    }
    let exponent = (failures - ACCOUNT_FREE_FAILURES).min(16) as u32;
    let wait = Duration::seconds(1i64 << exponent).min(MAX_ACCOUNT_BACK_OFF);
    let latest = others()
        .order_by_desc(login_attempt::Column::CreatedAt)
        .one(db)
        .await?
        .map_or(now - wait, |previous| previous.created_at);
    let free_at = latest + wait;
    if free_at <= now {
        return Ok(());
    }
    let retry_after_secs = (free_at - now).num_seconds().max(1) as u64;
    Err(Error::RateLimited { retry_after_secs })
}

/// Writes a sign-in attempt (a failure until the password proves right) and returns its id.
async fn record_attempt(
    db: &impl ConnectionTrait,
    email: &str,
    address: &str,
    now: DateTime<chrono::Utc>,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    login_attempt::ActiveModel {
        id: Set(id),
        email: Set(email.to_owned()),
        ip: Set(address.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Old failures no longer count; dropped so the table stays small.
async fn forget_old_attempts(
    db: &impl ConnectionTrait,
    now: DateTime<chrono::Utc>,
) -> ApiResult<()> {
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::CreatedAt.lt(now - ATTEMPT_WINDOW))
        .exec(db)
        .await?;
    Ok(())
}

/// A new session with a fresh random id, whatever the browser had before.
pub async fn open_session(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<chrono::Utc>,
) -> ApiResult<String> {
    let token = secret::generate("");
    session::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(secret::digest(&token)),
        user_id: Set(user_id),
        expires_at: Set(now + SESSION_TTL),
        last_seen_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn for_session(ctx: &Context, token: &str) -> ApiResult<Option<SignedIn>> {
    let db = &*ctx.db;
    let hash = secret::digest(token);
    // One query for both rows: every authenticated request pays for this lookup.
    let Some((session, Some(user))) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(&hash))
        .join(JoinType::InnerJoin, session::Relation::User.def())
        .select_also(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = ctx.now();
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    if session.expires_at <= now || now - session.created_at >= SESSION_MAX_AGE {
        session::Entity::delete_by_id(session.id).exec(db).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        let last_day = session.created_at + SESSION_MAX_AGE;
        let mut active: session::ActiveModel = session.into();
        active.last_seen_at = Set(now);
        active.expires_at = Set((now + SESSION_TTL).min(last_day));
        active.updated_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some(SignedIn {
        user: staff_user(user),
        credential: Credential::Session { token_hash: hash },
    }))
}

/// Deletes sessions past their expiry or their maximum age, and sign-in attempts past their
/// window; returns how many rows went. Run by a job every hour.
pub async fn delete_expired(ctx: &Context) -> ApiResult<u64> {
    let db = &*ctx.db;
    let now = ctx.now();
    let sessions = session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::ExpiresAt.lte(now))
                .add(session::Column::CreatedAt.lte(now - SESSION_MAX_AGE)),
        )
        .exec(db)
        .await?;
    let attempts = login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::CreatedAt.lt(now - ATTEMPT_WINDOW))
        .exec(db)
        .await?;
    Ok(sessions.rows_affected + attempts.rows_affected)
}

/// Ends every session of a user (a new password, a disabled account).
pub async fn close_sessions_of(db: &impl ConnectionTrait, user_id: Uuid) -> ApiResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn close_session(db: &impl ConnectionTrait, token_hash: &str) -> ApiResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// Creates an API token for a user and returns it; only its hash is kept. It lasts until
/// `expires_at` when given, else until revoked.
pub async fn create_api_token(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    name: &str,
    expires_at: Option<DateTime<chrono::Utc>>,
    now: DateTime<chrono::Utc>,
) -> ApiResult<String> {
    let token = secret::generate("lia_");
    api_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        name: Set(name.to_owned()),
        token_hash: Set(secret::digest(&token)),
        last_used_at: Set(None),
        expires_at: Set(expires_at),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// An API token as `liaison token list` shows it (never the token itself).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenInfo {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub created_at: DateTime<chrono::Utc>,
    /// To the hour: the server notes a use at most hourly.
    pub last_used_at: Option<DateTime<chrono::Utc>>,
    pub expires_at: Option<DateTime<chrono::Utc>>,
}

/// Every API token, or one user's, oldest first.
pub async fn list_api_tokens(
    db: &impl ConnectionTrait,
    user_id: Option<Uuid>,
) -> ApiResult<Vec<TokenInfo>> {
    let mut select = api_token::Entity::find().find_also_related(user::Entity);
    if let Some(user_id) = user_id {
        select = select.filter(api_token::Column::UserId.eq(user_id));
    }
    Ok(select
        .order_by_asc(api_token::Column::CreatedAt)
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|(token, user)| TokenInfo {
            id: token.id,
            email: user.map(|u| u.email).unwrap_or_default(),
            name: token.name,
            created_at: token.created_at,
            last_used_at: token.last_used_at,
            expires_at: token.expires_at,
        })
        .collect())
}

/// Revokes the token with this id; false when there is none. Servers that saw it moments ago
/// stop taking it within two seconds (`RecentCallers`); the one that revoked it, at once.
pub async fn revoke_api_token(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<bool> {
    let deleted = api_token::Entity::delete_by_id(id).exec(db).await?;
    Ok(deleted.rows_affected > 0)
}

pub async fn for_api_token(ctx: &Context, token: &str) -> ApiResult<Option<SignedIn>> {
    let db = &*ctx.db;
    let hash = secret::digest(token);
    let Some(found) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(&hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = ctx.now();
    if found.expires_at.is_some_and(|at| at <= now) {
        return Ok(None);
    }
    let Some(user) = user::Entity::find_by_id(found.user_id)
        .one(db)
        .await?
        .filter(|user| user.disabled_at.is_none())
    else {
        return Ok(None);
    };
    let id = found.id;
    if found.last_used_at.is_none_or(|at| now - at > TOUCH_EVERY) {
        let mut active: api_token::ActiveModel = found.into();
        active.last_used_at = Set(Some(now));
        active.updated_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some(SignedIn {
        user: staff_user(user),
        credential: Credential::ApiToken {
            id,
            token_hash: hash,
        },
    }))
}
