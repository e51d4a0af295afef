use std::time::Duration;

use liaison_tests::{Api, spawn_app};
use serde_json::json;
use shared::auth::Role;

#[tokio::test]
async fn healthz_reports_the_database_without_auth() {
    let app = spawn_app().await;
    let reply = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(reply.status(), 200);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn healthz_says_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.server_db.clone().close().await.unwrap();
    let reply = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(reply.status(), 503);
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    let spec: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = spec["paths"].as_object().unwrap();
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/partners",
        "/api/v1/partners/{id}",
        "/api/v1/partners/{id}/contacts",
        "/api/v1/contacts/{id}",
        "/api/v1/partners/{id}/activities",
        "/api/v1/activities",
        "/api/v1/activities/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    // Every path is one the router serves, written once in `shared::routes`.
    let known = [
        shared::routes::LOGIN,
        shared::routes::LOGOUT,
        shared::routes::ME,
        shared::routes::USERS,
        shared::routes::PARTNERS,
        shared::routes::PARTNER,
        shared::routes::PARTNER_CONTACTS,
        shared::routes::PARTNER_ACTIVITIES,
        shared::routes::CONTACT,
        shared::routes::ACTIVITIES,
        shared::routes::ACTIVITY,
    ];
    for path in paths.keys() {
        assert!(
            known.contains(&path.as_str()),
            "{path} is not in shared::routes"
        );
    }
}

/// Generated clients and validators resolve every `$ref`; one dangling reference (it once was
/// `DueFilter`) breaks them all.
#[tokio::test]
async fn every_reference_in_the_openapi_document_resolves() {
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    if key == "$ref" {
                        found.push(inner.as_str().unwrap_or_default().to_owned());
                    }
                    refs(inner, found);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| refs(i, found)),
            _ => {}
        }
    }
    let app = spawn_app().await;
    let spec: serde_json::Value = reqwest::get(app.url(shared::routes::OPENAPI))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(found.len() > 10, "the document refers to its schemas");
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for reference in found {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{reference} points outside the components"));
        assert!(schemas.contains_key(name), "{reference} is dangling");
    }
    // The constraints a client needs are in the document, not only in the server.
    let new_partner = &schemas["NewPartner"];
    assert_eq!(new_partner["required"], serde_json::json!(["name"]));
    let statuses = &schemas["PartnerStatus"]["enum"];
    assert_eq!(
        statuses,
        &serde_json::json!(["prospect", "active", "lapsed"])
    );
}

#[tokio::test]
async fn the_api_docs_page_is_served_from_the_binary() {
    let app = spawn_app().await;
    let page = reqwest::get(app.url("/api/v1/docs/")).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(!html.contains("cdn."), "no asset may come from a CDN");
    let script = reqwest::get(app.url("/api/v1/docs/swagger-ui-bundle.js"))
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Viewer).await;
    let reply = api.get("/no-such-thing").await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "not_found");
}

#[tokio::test]
async fn pages_need_sign_in_and_unknown_pages_are_404() {
    let app = spawn_app().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(app.url("/partners"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 302);
    assert_eq!(page.headers()["location"], "/login");
    // B5: a client that does not say it wants HTML (a crawler, curl) is redirected too.
    for accept in [None, Some("*/*"), Some("application/json")] {
        let mut request = http.get(app.url("/partners/new"));
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        let page = request.send().await.unwrap();
        assert_eq!(page.status(), 302, "{accept:?}");
        assert_eq!(page.headers()["location"], "/login");
        assert!(!page.headers().contains_key("serverfnredirect"));
    }
    let login = http.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let missing = http
        .get(app.url("/definitely/not/here"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

/// The API calls that render one page share one lookup of the caller; pages rendered at the
/// same time for different people must still each see only their own caller.
#[tokio::test]
async fn each_page_is_rendered_for_its_own_caller() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in(Role::Manager).await;
    let (viewer, _) = app.signed_in(Role::Viewer).await;
    let page = |api: &Api| {
        api.http
            .get(api.url("/partners").replace("/api/v1", ""))
            .header("accept", "text/html")
    };
    for _ in 0..10 {
        let (a, b) = tokio::join!(manager.send(page(&manager)), viewer.send(page(&viewer)));
        assert_eq!((a.status, b.status), (200, 200));
        let (a, b) = (a.body.as_str().unwrap(), b.body.as_str().unwrap());
        assert!(
            a.contains("Test manager") && !a.contains("Test viewer"),
            "{a}"
        );
        assert!(
            b.contains("Test viewer") && !b.contains("Test manager"),
            "{b}"
        );
    }
}

/// Starting an app finds its page routes by rendering the UI once with resource loading switched
/// off, through a flag Leptos keeps for the whole process. A second app starting in the same
/// process (as in these tests, or a program that embeds two) must not leave the pages another
/// app renders meanwhile waiting forever for their data.
#[tokio::test]
async fn pages_load_their_data_while_another_app_starts_in_the_same_process() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in(Role::Manager).await;
    let starting_done = std::sync::atomic::AtomicBool::new(false);
    let starting = async {
        for _ in 0..12 {
            drop(app.another_instance().await);
        }
        starting_done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let render = || async {
        let mut pages = 0;
        while !starting_done.load(std::sync::atomic::Ordering::SeqCst) {
            let request = manager
                .http
                .get(manager.url("/partners").replace("/api/v1", ""))
                .header("accept", "text/html");
            let reply = tokio::time::timeout(Duration::from_secs(20), manager.send(request))
                .await
                .expect("a page rendered while another app started never finished");
            assert_eq!(reply.status, 200);
            assert!(reply.body.as_str().unwrap().contains("Test manager"));
            pages += 1;
        }
        pages
    };
    let ((), a, b, c) = tokio::join!(starting, render(), render(), render());
    assert!(a + b + c >= 3, "the pages were not rendered meanwhile");
}

/// A viewer reads everything and is offered no control that writes; a manager gets them all.
/// The page's language is the reader's.
#[tokio::test]
async fn viewers_get_no_write_controls_and_the_page_speaks_the_readers_language() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in(Role::Manager).await;
    let (viewer, _) = app.signed_in(Role::Viewer).await;
    let partner = manager
        .create_partner(json!({"name": "Read Only Lighting", "name_zh": "只读照明"}))
        .await;
    let id = partner["id"].as_str().unwrap();
    manager
        .post(
            &format!("/partners/{id}/contacts"),
            json!({"full_name": "Wang Fang", "language": "zh-CN"}),
        )
        .await;
    manager
        .post(
            &format!("/partners/{id}/activities"),
            json!({"kind": "call", "occurred_at": "2026-11-02T10:00:00+08:00",
                   "summary": "Discussed the dinner", "next_step": "Send menu"}),
        )
        .await;
    let writes = [
        "id=\"edit-partner\"",
        "id=\"delete-partner\"",
        "id=\"add-contact\"",
        "id=\"log-box\"",
        "toggle-step",
    ];
    let page = html(&manager, &format!("/partners/{id}")).await;
    assert!(page.contains("Discussed the dinner"));
    for control in writes {
        assert!(page.contains(control), "a manager sees {control}");
    }
    assert!(
        html(&manager, "/partners")
            .await
            .contains("id=\"new-partner\"")
    );

    let page = html(&viewer, &format!("/partners/{id}")).await;
    assert!(page.contains("Discussed the dinner") && page.contains("Wang Fang"));
    for control in writes {
        assert!(!page.contains(control), "a viewer does not see {control}");
    }
    assert!(
        !html(&viewer, "/partners")
            .await
            .contains("id=\"new-partner\"")
    );
    assert!(page.contains("<html lang=\"en\""), "{}", &page[..200]);
    // Everyone's next steps: the undated step is listed (under "No date"), and only the
    // manager is offered "Done" (UX review item 3).
    let steps = html(&manager, "/next-steps?who=all").await;
    assert!(steps.contains("Send menu") && steps.contains("mark-done"));
    let steps = html(&viewer, "/next-steps?who=all").await;
    assert!(steps.contains("Send menu"), "a viewer reads the step");
    assert!(
        !steps.contains("mark-done"),
        "a viewer is offered no Done button"
    );

    let zh = viewer.patch("/me", json!({"locale": "zh-CN"})).await;
    assert_eq!(zh.status, 200, "{}", zh.body);
    let page = html(&viewer, "/partners").await;
    assert!(page.contains("<html lang=\"zh-CN\""), "{}", &page[..200]);
    // In 中文 the Chinese name leads, in the list and on the partner's page; in English the
    // English one (UX review item 7).
    let leads = |page: &str, first: &str, second: &str| {
        let at = |text: &str| {
            page.find(text)
                .unwrap_or_else(|| panic!("{text} is on the page"))
        };
        at(first) < at(second)
    };
    assert!(leads(&page, "只读照明", "Read Only Lighting"));
    let detail = html(&viewer, &format!("/partners/{id}")).await;
    assert!(
        detail.contains("<h1 id=\"partner-name\">只读照明"),
        "the heading"
    );
    let english = html(&manager, "/partners").await;
    assert!(leads(&english, "Read Only Lighting", "只读照明"));
}

/// A page as `api`'s user gets it, headers and all.
async fn page(api: &Api, path: &str) -> liaison_tests::Reply {
    let request = api
        .http
        .get(api.url(path).replace("/api/v1", ""))
        .header("accept", "text/html");
    api.send(request).await
}

/// A page's HTML as `api`'s user gets it.
async fn html(api: &Api, path: &str) -> String {
    let reply = page(api, path).await;
    assert_eq!(reply.status, 200);
    reply.body.as_str().unwrap().to_owned()
}

/// The bundled SQLite is built without the shared page-cache LRU (`.cargo/config.toml`): with
/// it, every page any connection touched went through one process-wide mutex.
#[tokio::test]
async fn sqlite_keeps_each_connections_page_cache_to_itself() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    if app.is_postgres() {
        return;
    }
    let options: Vec<String> = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "PRAGMA compile_options",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect();
    assert!(options.iter().any(|o| o == "ENABLE_FTS5"), "{options:?}");
    assert!(
        !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
        "{options:?}"
    );
}

/// Pages and JSON answers are gzipped for a client that asks, as browsers do, and plain for
/// one that does not (curl, scripts). The browser bundle, stored gzipped, is not gzipped twice.
#[tokio::test]
async fn pages_and_json_are_gzipped_when_the_client_asks() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in(Role::Manager).await;
    let partner = manager
        .create_partner(json!({"name": "Compressed Lighting", "notes": "长江 ".repeat(200)}))
        .await;
    let id = partner["id"].as_str().unwrap();
    let get = |path: &str, gzip: bool| {
        let url = if path.starts_with("/api/") || path.starts_with("/pkg/") {
            app.url(path)
        } else {
            manager.url(path).replace("/api/v1", "")
        };
        let request = manager.http.get(url).header("accept", "text/html");
        let request = if gzip {
            request.header("accept-encoding", "gzip")
        } else {
            request
        };
        async move {
            let reply = request.send().await.unwrap();
            assert_eq!(reply.status(), 200);
            let encoding = reply
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned());
            (encoding, reply.bytes().await.unwrap().to_vec())
        }
    };

    for path in [format!("/partners/{id}"), format!("/api/v1/partners/{id}")] {
        let (encoding, zipped) = get(&path, true).await;
        assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
        let text = String::from_utf8(gunzip(&zipped)).unwrap();
        assert!(
            text.contains("Compressed Lighting") && text.contains("长江"),
            "{path}"
        );
        assert!(
            zipped.len() * 2 < text.len(),
            "{path}: {} of {}",
            zipped.len(),
            text.len()
        );

        let (encoding, plain) = get(&path, false).await;
        assert_eq!(encoding, None, "{path}");
        assert!(
            String::from_utf8(plain)
                .unwrap()
                .contains("Compressed Lighting")
        );
    }

    if liaison::ssr::has_browser_bundle() {
        let (encoding, wasm) = get("/pkg/web_bg.wasm", true).await;
        assert_eq!(encoding.as_deref(), Some("gzip"));
        assert!(gunzip(&wasm).starts_with(b"\0asm"), "gzipped exactly once");
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzip stream");
    out
}

/// W4: every answer carries the security headers; a page's policy names the nonce its own
/// hydration scripts carry (no `unsafe-inline` for scripts), API answers and pages are not
/// stored, and the API docs page gets a policy that lets its own files run.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in(Role::Manager).await;
    let page = page(&manager, "/partners").await;
    assert_eq!(page.status, 200);
    let policy = page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = page.body.as_str().unwrap();
    let nonce = html
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the hydration scripts carry a nonce");
    assert!(policy.contains(&format!("'nonce-{nonce}'")), "{policy}");
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!scripts.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers["cache-control"], "no-store");

    // Another page, another nonce.
    let again = self::page(&manager, "/partners").await;
    assert_ne!(
        again.headers["content-security-policy"],
        page.headers["content-security-policy"]
    );

    let api = manager.get("/me").await;
    assert_eq!(api.headers["cache-control"], "no-store");
    let refused = app.client().get("/me").await;
    assert_eq!(refused.status, 401);
    let docs = reqwest::get(app.url("/api/v1/docs/")).await.unwrap();
    let docs_policy = docs.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(docs_policy.contains("script-src 'self'"), "{docs_policy}");
    let style = reqwest::get(app.url("/assets/style.css")).await.unwrap();
    assert_ne!(
        style.headers()["cache-control"],
        "no-store",
        "assets may be cached"
    );
    for reply in [&page.headers, &api.headers, &refused.headers] {
        assert_eq!(reply["x-frame-options"], "DENY");
        assert_eq!(reply["x-content-type-options"], "nosniff");
        assert_eq!(reply["referrer-policy"], "same-origin");
    }
    assert_eq!(style.headers()["x-content-type-options"], "nosniff");
}
