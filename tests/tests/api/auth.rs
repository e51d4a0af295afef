use std::net::{IpAddr, Ipv4Addr};

use liaison::areas::staff::{sessions, users};
use liaison::core::Clock;
use liaison_tests::{Api, spawn_app, spawn_app_on};
use serde_json::json;
use shared::auth::Role;

#[tokio::test]
async fn signing_in_sets_an_http_only_session_cookie_and_me_answers() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let api = app.client();

    let reply = api.login(&user.email.to_uppercase(), &user.password).await;

    assert_eq!(reply.status, 200, "{}", reply.body);
    let cookie = reply
        .set_cookie("liaison_session")
        .expect("a session cookie");
    let cookie = cookie.as_str();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http must not mark the cookie Secure"
    );
    let me = api.get("/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["email"], user.email);
    assert_eq!(me.body["role"], "manager");
    assert_eq!(me.body["locale"], "en");
    assert_eq!(me.body["time_zone"], "Asia/Shanghai");
    let language = reply
        .set_cookie("liaison_lang")
        .expect("the language cookie for the UI");
    assert!(language.starts_with("liaison_lang=en;") && !language.contains("HttpOnly"));
    assert!(
        reply
            .set_cookie("liaison_tz")
            .unwrap()
            .starts_with("liaison_tz=Asia%2FShanghai;")
    );
}

#[tokio::test]
async fn the_cookie_is_secure_behind_https() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Viewer).await;
    let api = app.client();
    let reply = api
        .send(
            api.http
                .post(api.url("/auth/login"))
                .header("x-forwarded-proto", "https")
                .json(&json!({"email": user.email, "password": user.password})),
        )
        .await;
    assert_eq!(reply.status, 200);
    let cookie = reply.set_cookie("liaison_session").unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

/// W9: with an https public address the session cookie carries the `__Host-` prefix (Secure,
/// Path=/, no Domain), so a sibling subdomain cannot plant one; a plain `liaison_session`
/// cookie no longer counts; and pages (whose API calls run in process) find the session too.
#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed() {
    let db = liaison_tests::TestDb::migrated().await.unwrap();
    let app = liaison_tests::spawn_app_tuned(db, |settings| {
        settings.public_url = Some("https://crm.example.org".into());
    })
    .await;
    let user = app.add_user(Role::Manager).await;
    let reply = app.client().login(&user.email, &user.password).await;
    assert_eq!(reply.status, 200);
    let cookie = reply.set_cookie("__Host-liaison_session").unwrap();
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
    assert!(reply.set_cookie("liaison_session").is_none());
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str, cookie: String| {
        let request = http
            .get(app.url(path))
            .header("accept", "text/html")
            .header("cookie", cookie);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        get("/api/v1/me", format!("__Host-liaison_session={token}")).await,
        200
    );
    assert_eq!(
        get("/partners", format!("__Host-liaison_session={token}")).await,
        200,
        "a page render finds the session"
    );
    assert_eq!(
        get("/api/v1/me", format!("liaison_session={token}")).await,
        401,
        "a plain cookie, which anyone on a sibling domain could set, does not count"
    );
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_a_401_with_the_json_error_body() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let api = app.client();

    let wrong = api.login(&user.email, "not the password").await;
    let unknown = api.login("nobody@example.com", &user.password).await;

    for reply in [&wrong, &unknown] {
        assert_eq!(reply.status, 401);
        assert_eq!(reply.error_code(), "unauthenticated");
        assert!(
            reply.headers.get("set-cookie").is_none(),
            "a failed sign-in sets no cookie"
        );
    }
    assert_eq!(
        wrong.body, unknown.body,
        "the answer must not reveal which emails exist"
    );
}

#[tokio::test]
async fn sign_in_without_email_or_with_a_bad_body_is_refused_clearly() {
    let app = spawn_app().await;
    let api = app.client();
    let missing = api
        .post("/auth/login", json!({"email": "", "password": "x"}))
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.error_fields(), vec!["email"]);
    let no_password_field = api
        .post("/auth/login", json!({"email": "a@example.com"}))
        .await;
    assert_eq!(no_password_field.status, 422);
    assert_eq!(no_password_field.error_fields(), vec!["password"]);
    let not_json = api
        .send(
            api.http
                .post(api.url("/auth/login"))
                .header("content-type", "application/json")
                .body("{oops"),
        )
        .await;
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.error_code(), "bad_request");
    let wrong_type = api
        .send(api.http.post(api.url("/auth/login")).body("email=a"))
        .await;
    assert_eq!(wrong_type.status, 400);
}

#[tokio::test]
async fn every_data_route_needs_a_session() {
    let app = spawn_app().await;
    let api = app.client();
    let id = uuid::Uuid::new_v4();
    for path in [
        "/me".to_owned(),
        "/users".to_owned(),
        "/partners".to_owned(),
        format!("/partners/{id}"),
        format!("/partners/{id}/contacts"),
        format!("/partners/{id}/activities"),
        "/activities".to_owned(),
        format!("/contacts/{id}"),
        format!("/activities/{id}"),
    ] {
        let reply = api.get(&path).await;
        assert_eq!(reply.status, 401, "GET {path}");
        assert_eq!(reply.error_code(), "unauthenticated");
    }
    assert_eq!(
        api.post("/partners", json!({"name": "x"})).await.status,
        401
    );
    assert_eq!(api.delete(&format!("/partners/{id}")).await.status, 401);
}

#[tokio::test]
async fn signing_out_kills_the_session_on_the_server() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    // No cookie jar: the cookie is carried by hand, as a stolen copy would be.
    let api = Api {
        base: app.address.clone(),
        http: reqwest::Client::new(),
    };
    let cookie = session_cookie(&api, &user).await;
    let me = |api: &Api| {
        api.http
            .get(api.url("/me"))
            .header("cookie", cookie.clone())
    };
    assert_eq!(api.send(me(&api)).await.status, 200);

    let out = log_out(&api, &cookie).await;

    assert_eq!(out.status, 204);
    assert!(
        out.set_cookie("liaison_session")
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        api.send(me(&api)).await.status,
        401,
        "the old cookie must be dead, not just cleared"
    );
}

/// Each instance remembers a caller for two seconds (`RecentCallers`): a sign-out made on one
/// instance is refused there at once and on every other instance within those two seconds.
#[tokio::test]
async fn a_sign_out_reaches_another_instance_within_two_seconds() {
    let app = spawn_app().await;
    let other = app.another_instance().await;
    let user = app.add_user(Role::Manager).await;
    let http = reqwest::Client::new();
    let api = Api {
        base: app.address.clone(),
        http: http.clone(),
    };
    let cookie = session_cookie(&api, &user).await;
    let me = |url: String| {
        let request = http.get(url).header("cookie", cookie.clone());
        async move { request.send().await.unwrap().status().as_u16() }
    };
    // Both instances know the session, and now remember it.
    assert_eq!(me(app.url("/api/v1/me")).await, 200);
    assert_eq!(me(other.url("/api/v1/me")).await, 200);

    let out = log_out(&api, &cookie).await;
    assert_eq!(out.status, 204);
    assert_eq!(
        me(app.url("/api/v1/me")).await,
        401,
        "at once where it signed out"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        me(other.url("/api/v1/me")).await,
        401,
        "elsewhere within 2 s"
    );
}

#[tokio::test]
async fn a_session_survives_a_server_restart() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .build()
        .unwrap();
    let login = http
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": user.email, "password": user.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);

    let db = app.stop().await;
    let restarted = spawn_app_on(db).await;
    let me = http.get(restarted.url("/api/v1/me")).send().await.unwrap();

    assert_eq!(
        me.status(),
        200,
        "the session must live in the database, not in memory"
    );
}

#[tokio::test]
async fn a_new_session_id_is_issued_at_every_sign_in() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let api = app.client();
    let first = api.login(&user.email, &user.password).await;
    let second = api.login(&user.email, &user.password).await;
    assert_ne!(session_of(&first), session_of(&second));
}

#[tokio::test]
async fn cross_site_writes_with_the_cookie_are_refused() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let partners = api.url("/partners");

    let from_evil_origin = api
        .send(
            api.http
                .post(&partners)
                .header("origin", "https://evil.example")
                .json(&json!({"name": "A"})),
        )
        .await;
    let fetch_cross_site = api
        .send(
            api.http
                .post(&partners)
                .header("sec-fetch-site", "cross-site")
                .json(&json!({"name": "B"})),
        )
        .await;
    let same_origin = api
        .send(
            api.http
                .post(&partners)
                .header("sec-fetch-site", "same-origin")
                .json(&json!({"name": "C"})),
        )
        .await;
    let own_origin = api
        .send(
            api.http
                .post(&partners)
                .header("origin", app.address.clone())
                .json(&json!({"name": "D"})),
        )
        .await;
    let script = api.post("/partners", json!({"name": "E"})).await;

    assert_eq!(from_evil_origin.status, 403);
    assert_eq!(from_evil_origin.error_code(), "forbidden");
    assert_eq!(fetch_cross_site.status, 403);
    assert_eq!(same_origin.status, 201);
    assert_eq!(own_origin.status, 201);
    assert_eq!(
        script.status, 201,
        "no Origin and no Sec-Fetch-Site: not a browser's cross-site request"
    );
    let names: Vec<String> = api.get("/partners").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["C", "D", "E"], "refused writes changed nothing");
}

/// W2: an `Authorization` header of another scheme (a browser sends Basic or Negotiate by itself
/// behind an SSO proxy) is no bearer token: the cookie decides who asks, so the cross-site
/// check still applies. A cross-site DELETE with `Authorization: Basic …` deleted a partner.
#[tokio::test]
async fn another_authorization_scheme_does_not_skip_the_cross_site_check() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let victim = api.partner("CSRF Victim").create().await;
    for scheme in ["Basic dXNlcjpwYXNz", "Negotiate YIIB", "Bearer"] {
        let reply = api
            .send(
                api.http
                    .delete(api.path_url(&shared::routes::partner(victim.id())))
                    .header("sec-fetch-site", "cross-site")
                    .header("origin", "http://evil.example")
                    .header("authorization", scheme),
            )
            .await;
        assert_eq!(reply.status, 403, "{scheme}: {}", reply.body);
        let logout = api
            .send(
                api.http
                    .post(api.path_url(shared::routes::LOGOUT))
                    .header("sec-fetch-site", "cross-site")
                    .header("authorization", scheme),
            )
            .await;
        assert_eq!(logout.status, 403, "{scheme}: {}", logout.body);
    }
    assert!(api.get_partner(victim.id()).await.is_ok(), "still there");
    assert!(api.me().await.is_ok(), "still signed in");
}
#[tokio::test]
async fn cross_site_sign_in_is_refused_too() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let api = app.client();
    let reply = api
        .send(
            api.http
                .post(api.url("/auth/login"))
                .header("sec-fetch-site", "cross-site")
                .json(&json!({"email": user.email, "password": user.password})),
        )
        .await;
    assert_eq!(reply.status, 403);
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_account_and_address_without_locking_out_the_real_user() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let attacker = app.client();
    for _ in 0..sessions::MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS {
        assert_eq!(attacker.login(&user.email, "guess").await.status, 401);
    }

    let limited = attacker.login(&user.email, "guess").await;
    let even_right = attacker.login(&user.email, &user.password).await;
    let real_user = Api::new(&app.address, Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))));
    let from_elsewhere = real_user.login(&user.email, &user.password).await;

    assert_eq!(limited.status, 429);
    assert_eq!(limited.error_code(), "rate_limited");
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    assert_eq!(
        even_right.status, 429,
        "the limit holds for this address even with the right password"
    );
    assert_eq!(
        from_elsewhere.status, 200,
        "the real user elsewhere is not locked out"
    );
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let api = app.client();
    for _ in 0..sessions::MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1 {
        api.login(&user.email, "typo").await;
    }
    assert_eq!(api.login(&user.email, &user.password).await.status, 200);
    for _ in 0..sessions::MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1 {
        assert_eq!(api.login(&user.email, "typo").await.status, 401);
    }
}

#[tokio::test]
async fn api_tokens_authenticate_scripts_and_are_stored_hashed() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let model = users::find_by_email(&app.ctx(), &user.email)
        .await
        .unwrap()
        .unwrap();
    let token =
        sessions::create_api_token(&app.db, model.id, "import script", None, chrono::Utc::now())
            .await
            .unwrap();
    let api = app.client();

    let with_token = api
        .send(api.http.get(api.url("/me")).bearer_auth(&token))
        .await;
    let bad_token = api
        .send(api.http.get(api.url("/me")).bearer_auth("lia_nonsense"))
        .await;
    let write = api
        .send(
            api.http
                .post(api.url("/partners"))
                .bearer_auth(&token)
                .header("origin", "https://elsewhere.example")
                .json(&json!({"name": "Via token"})),
        )
        .await;

    assert_eq!(with_token.status, 200);
    assert_eq!(with_token.body["email"], user.email);
    assert_eq!(bad_token.status, 401);
    assert_eq!(
        write.status, 201,
        "a bearer token is not an ambient credential, so no cross-site check"
    );
    use sea_orm::ConnectionTrait;
    let stored: Vec<String> = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT token_hash FROM api_tokens",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "token_hash").unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token, "only a hash is stored");
}

#[tokio::test]
async fn viewers_read_but_cannot_write() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in(Role::Manager).await;
    let (viewer, _) = app.signed_in(Role::Viewer).await;
    let partner = manager.create_partner(json!({"name": "Readable"})).await;
    let id = partner["id"].as_str().unwrap();

    assert_eq!(viewer.get("/partners").await.status, 200);
    assert_eq!(viewer.get(&format!("/partners/{id}")).await.status, 200);
    for reply in [
        viewer.post("/partners", json!({"name": "Nope"})).await,
        viewer
            .patch(
                &format!("/partners/{id}"),
                json!({"version": 1, "name": "Nope"}),
            )
            .await,
        viewer.delete(&format!("/partners/{id}")).await,
        viewer
            .post(
                &format!("/partners/{id}/contacts"),
                json!({"full_name": "Nope"}),
            )
            .await,
        viewer
            .post(
                &format!("/partners/{id}/activities"),
                json!({"kind": "note", "occurred_at": "2026-11-01T00:00:00Z", "summary": "x"}),
            )
            .await,
    ] {
        assert_eq!(reply.status, 403, "{}", reply.body);
        assert_eq!(reply.error_code(), "forbidden");
    }
    assert_eq!(
        manager.get(&format!("/partners/{id}")).await.body["name"],
        "Readable"
    );
}

#[tokio::test]
async fn users_change_their_language_and_time_zone() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Viewer).await;
    let changed = api
        .patch(
            "/me",
            json!({"locale": "zh-CN", "time_zone": "Europe/London"}),
        )
        .await;
    assert_eq!(changed.status, 200);
    assert!(
        changed
            .set_cookie("liaison_lang")
            .unwrap()
            .starts_with("liaison_lang=zh-CN;")
    );
    assert!(
        changed
            .set_cookie("liaison_tz")
            .unwrap()
            .starts_with("liaison_tz=Europe%2FLondon;")
    );
    assert_eq!(api.get("/me").await.body["locale"], "zh-CN");
    let bad_zone = api.patch("/me", json!({"time_zone": "Mars/Olympus"})).await;
    let bad_locale = api.patch("/me", json!({"locale": "fr"})).await;
    assert_eq!(bad_zone.status, 422);
    assert_eq!(bad_zone.error_fields(), vec!["time_zone"]);
    assert_eq!(bad_locale.status, 422);
    assert_eq!(bad_locale.error_fields(), vec!["locale"]);
    assert_eq!(api.get("/me").await.body["time_zone"], "Europe/London");
}

/// Signs in without a cookie jar and returns the session cookie (`liaison_session=…`), to be
/// carried by hand as a stolen copy would be.
async fn session_cookie(api: &Api, user: &liaison_tests::TestUser) -> String {
    session_of(&api.login(&user.email, &user.password).await)
}

/// The `liaison_session=…` pair a reply sets.
fn session_of(reply: &liaison_tests::Reply) -> String {
    reply
        .set_cookie("liaison_session")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn log_out(api: &Api, cookie: &str) -> liaison_tests::Reply {
    api.send(
        api.http
            .post(api.url("/auth/logout"))
            .header("cookie", cookie),
    )
    .await
}

/// B1: the limit holds under concurrency. A burst of 40 wrong guesses for one account from one
/// address, spread over two instances on one database, gets at most the limit's number of
/// password checks (401); the rest are refused before any check (429). Before, all 40 were
/// checked and the right password inside the burst signed in.
#[tokio::test]
async fn a_burst_of_concurrent_guesses_gets_no_more_checks_than_the_limit() {
    let app = spawn_app().await;
    let other = app.another_instance().await;
    let user = app.add_user(Role::Manager).await;
    let from = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 23, 1)));
    let here = Api::new(&app.address, from);
    let there = Api::new(&other.address, from);
    let guesses = (0..40).map(|n| {
        let client = if n % 2 == 0 {
            here.clone()
        } else {
            there.clone()
        };
        let email = user.email.clone();
        async move { client.login(&email, &format!("guess-{n}")).await.status }
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == 401).count() as u64;
    let refused = statuses.iter().filter(|s| **s == 429).count() as u64;
    assert!(
        checked <= sessions::MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        "{checked} checked: {statuses:?}"
    );
    assert_eq!(checked + refused, 40, "{statuses:?}");
    // Only checked guesses count as failures (a refused one is not recorded), so the right
    // password is refused now exactly when the burst used the whole allowance. (Under
    // PostgreSQL's READ COMMITTED every guess of a burst may see the others' attempts and be
    // refused: none checked is within the limit too.)
    let right = here.login(&user.email, &user.password).await.status;
    let expected = if checked == sessions::MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS {
        429
    } else {
        200
    };
    assert_eq!(right, expected, "{checked} checked");
}

/// W5: a token may expire, its last use is recorded, `token list` shows it (never the secret),
/// `token revoke` ends it, and signing out with it revokes it at once.
#[tokio::test]
async fn api_tokens_expire_are_listed_and_revoked() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let model = users::find_by_email(&app.ctx(), &user.email)
        .await
        .unwrap()
        .unwrap();
    let now = app.clock.now();
    let expiring = sessions::create_api_token(
        &app.db,
        model.id,
        "a week",
        Some(now + chrono::Duration::days(7)),
        now,
    )
    .await
    .unwrap();
    let lasting = sessions::create_api_token(&app.db, model.id, "until revoked", None, now)
        .await
        .unwrap();
    let signing_out = sessions::create_api_token(&app.db, model.id, "signs out", None, now)
        .await
        .unwrap();
    let api = app.client();
    let me = |token: String| {
        let api = api.clone();
        async move {
            api.send(api.http.get(api.url("/me")).bearer_auth(token))
                .await
                .status
        }
    };
    assert_eq!(me(expiring.clone()).await, 200);

    let listed = sessions::list_api_tokens(&app.db, Some(model.id))
        .await
        .unwrap();
    let names: Vec<&str> = listed.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a week", "until revoked", "signs out"]);
    assert!(listed[0].last_used_at.is_some(), "its use is recorded");
    assert!(listed[1].last_used_at.is_none());
    assert_eq!(
        listed[0].expires_at.map(|at| at.timestamp()),
        Some((now + chrono::Duration::days(7)).timestamp())
    );
    assert_eq!(listed[0].email, user.email);

    // Eight days on, the weekly token is refused; the other still works.
    app.clock.advance(chrono::Duration::days(8));
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(me(expiring).await, 401);
    assert_eq!(me(lasting.clone()).await, 200);

    assert!(
        sessions::revoke_api_token(&app.db, listed[1].id)
            .await
            .unwrap()
    );
    assert!(
        !sessions::revoke_api_token(&app.db, listed[1].id)
            .await
            .unwrap()
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        me(lasting).await,
        401,
        "revoked: refused once the two seconds pass"
    );

    assert_eq!(me(signing_out.clone()).await, 200);
    let logout = api
        .send(
            api.http
                .post(api.path_url(shared::routes::LOGOUT))
                .bearer_auth(&signing_out),
        )
        .await;
    assert_eq!(logout.status, 204);
    assert_eq!(
        me(signing_out).await,
        401,
        "signing out with a token revokes it at once"
    );
    let left = sessions::list_api_tokens(&app.db, Some(model.id))
        .await
        .unwrap();
    assert_eq!(
        left.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["a week"]
    );
}

/// W8: a session slides for 30 days after its last use but ends 90 days after sign-in however
/// often it is used; expired sessions are deleted by the hourly job, not only when presented.
#[tokio::test]
async fn sessions_end_at_their_maximum_age_and_expired_ones_are_deleted() {
    use chrono::Duration;
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let api = app.client();
    let cookie = session_cookie(&api, &user).await;
    let token = cookie.split_once('=').unwrap().1.to_owned();
    let ctx = app.ctx();
    for day in [25, 50, 75] {
        app.clock.advance(Duration::days(25));
        let signed_in = sessions::for_session(&ctx, &token).await.unwrap();
        assert!(
            signed_in.is_some(),
            "used every 25 days: still valid on day {day}"
        );
    }
    app.clock.advance(Duration::days(16));
    assert!(
        sessions::for_session(&ctx, &token).await.unwrap().is_none(),
        "day 91: past the maximum age"
    );

    let _idle = session_cookie(&api, &user).await;
    app.clock.advance(Duration::days(31));
    let sessions_left = |app: &liaison_tests::TestApp| {
        use sea_orm::{ConnectionTrait, Statement};
        let db = app.db.clone();
        async move {
            db.query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT count(*) AS n FROM sessions",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    assert_eq!(
        sessions_left(&app).await,
        1,
        "the idle session is still a row"
    );
    assert!(sessions::delete_expired(&ctx).await.unwrap() >= 1);
    assert_eq!(
        sessions_left(&app).await,
        0,
        "deleted without being presented"
    );
}

/// W1: across addresses an account's failures slow the guessing addresses down instead of
/// locking the account: past ten failures, an address that already failed for the account
/// waits 1, 2, 4 … up to 60 seconds between tries, while each address's first try is checked.
/// So guesses from twelve addresses keep being refused, and the real user, signing in from
/// their own address in the middle of it, gets in.
#[tokio::test]
async fn guessing_addresses_slow_down_while_the_real_user_still_signs_in() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let attackers: Vec<Api> = (0..12u8)
        .map(|n| {
            Api::new(
                &app.address,
                Some(IpAddr::V4(Ipv4Addr::new(127, 0, 40, n + 1))),
            )
        })
        .collect();
    let mut first_round = Vec::new();
    for attacker in &attackers {
        first_round.push(attacker.login(&user.email, "guess-1").await.status);
    }
    assert!(
        first_round.iter().all(|s| *s == 401),
        "one try each is checked: {first_round:?}"
    );
    let mut second_round = Vec::new();
    for attacker in &attackers {
        second_round.push(attacker.login(&user.email, "guess-2").await);
    }
    assert!(
        second_round.iter().all(|r| r.status == 429),
        "then they wait"
    );
    let retry: i64 = second_round[11].headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");

    let real_user = Api::new(&app.address, Some(IpAddr::V4(Ipv4Addr::new(127, 0, 41, 1))));
    assert_eq!(
        real_user.login(&user.email, &user.password).await.status,
        200,
        "the guesses elsewhere do not hold the real user back"
    );
    // The wait grows with the failures, never past a minute.
    app.clock
        .advance(sessions::MAX_ACCOUNT_BACK_OFF + chrono::Duration::seconds(1));
    assert_eq!(attackers[0].login(&user.email, "guess-3").await.status, 401);
    assert_eq!(attackers[0].login(&user.email, "guess-4").await.status, 429);
}

async fn guesses_through_a_proxy(app: &liaison_tests::TestApp, client: &str, n: usize) -> Vec<u16> {
    let proxy = app.client();
    let user = app.add_user(Role::Viewer).await;
    let mut statuses = Vec::new();
    for _ in 0..n {
        let reply = proxy
            .send(
                proxy
                    .http
                    .post(proxy.url("/auth/login"))
                    .header("x-forwarded-for", client)
                    .json(&json!({"email": user.email, "password": "wrong-guess"})),
            )
            .await;
        statuses.push(reply.status);
    }
    let other_client = proxy
        .send(
            proxy
                .http
                .post(proxy.url("/auth/login"))
                .header("x-forwarded-for", "203.0.113.200")
                .json(&json!({"email": user.email, "password": user.password})),
        )
        .await;
    statuses.push(other_client.status);
    statuses
}

/// W1: `X-Forwarded-For` names the client only when the connection comes from a trusted proxy;
/// then one client's failures do not limit another behind the same proxy. Without the setting
/// the header is ignored.
#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    let db = liaison_tests::TestDb::migrated().await.unwrap();
    let behind_proxy = liaison_tests::spawn_app_tuned(db, |settings| {
        settings.trusted_proxies = "127.0.0.1".into();
    })
    .await;
    let limit = sessions::MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS as usize;
    let statuses = guesses_through_a_proxy(&behind_proxy, "203.0.113.9", limit + 1).await;
    assert_eq!(
        statuses[limit], 429,
        "the guessing client is limited: {statuses:?}"
    );
    assert_eq!(
        statuses[limit + 1],
        200,
        "another client behind the proxy is not: {statuses:?}"
    );

    let untrusted = spawn_app().await;
    let statuses = guesses_through_a_proxy(&untrusted, "203.0.113.9", limit + 1).await;
    assert_eq!(
        statuses[limit + 1],
        429,
        "without the setting the header is ignored: one address: {statuses:?}"
    );
}

/// W7: `liaison user passwd` refuses weak passwords, sets a good one and signs the user out
/// everywhere; `liaison user disable` refuses their sign-in, sessions and API tokens until
/// `liaison user enable`.
#[tokio::test]
async fn a_new_password_ends_sessions_and_a_disabled_user_is_refused_everywhere() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    let operator = liaison::core::Actor::System("command line");
    let ctx = app.ctx();
    let api = app.client();
    let cookie = session_cookie(&api, &user).await;
    let token = cookie.split_once('=').unwrap().1.to_owned();

    for weak in ["          ", "password123", "short"] {
        let refused = users::set_password(&ctx, &operator, &user.email, weak.into()).await;
        assert!(refused.is_err(), "{weak:?}");
    }
    assert!(
        sessions::for_session(&ctx, &token).await.unwrap().is_some(),
        "refusals change nothing"
    );
    users::set_password(&ctx, &operator, &user.email, "harbour lantern 7".into())
        .await
        .unwrap();
    assert!(
        sessions::for_session(&ctx, &token).await.unwrap().is_none(),
        "signed out"
    );
    assert_eq!(api.login(&user.email, &user.password).await.status, 401);
    assert_eq!(
        api.login(&user.email, "harbour lantern 7").await.status,
        200
    );

    let model = users::find_by_email(&ctx, &user.email)
        .await
        .unwrap()
        .unwrap();
    let api_token = sessions::create_api_token(&app.db, model.id, "script", None, app.clock.now())
        .await
        .unwrap();
    let cookie = session_cookie_with(&api, &user.email, "harbour lantern 7").await;
    let token = cookie.split_once('=').unwrap().1.to_owned();
    users::set_disabled(&ctx, &operator, &user.email, true)
        .await
        .unwrap();
    assert!(sessions::for_session(&ctx, &token).await.unwrap().is_none());
    assert!(
        sessions::for_api_token(&ctx, &api_token)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        api.login(&user.email, "harbour lantern 7").await.status,
        401
    );

    users::set_disabled(&ctx, &operator, &user.email, false)
        .await
        .unwrap();
    assert!(
        sessions::for_api_token(&ctx, &api_token)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        api.login(&user.email, "harbour lantern 7").await.status,
        200
    );
    assert!(
        users::set_disabled(&ctx, &operator, "nobody@example.com", true)
            .await
            .is_err()
    );
}

async fn session_cookie_with(api: &Api, email: &str, password: &str) -> String {
    session_of(&api.login(email, password).await)
}
