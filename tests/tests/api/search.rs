//! Partner search at a size where the index decides the plan: a rare term (few candidates) and
//! a common one (the name-order walk) must both give exactly what a plain substring filter over
//! every partner gives, in name order, page after page; and the index must follow every write.

use liaison::search::{self, Subject};
use liaison_tests::{Api, TestApp, spawn_app, spawn_app_on};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use shared::auth::Role;

/// More than `search::FEW` and than the short walk PostgreSQL takes before it asks the index
/// (500 names): every path a search can take is taken by one of the terms.
const PARTNERS: u64 = 1_500;
const _: () = assert!(PARTNERS > liaison::search::FEW && PARTNERS > search::postgres::SHORT_WALK);

/// Every partner as (name, lower-cased "name name_zh"), in name order, read page by page.
async fn everyone(api: &Api) -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut url = format!("{}?limit=200", api.url("/partners"));
    loop {
        let page = api.send(api.http.get(&url)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for p in page.body["items"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap().to_owned();
            let zh = p["name_zh"].as_str().unwrap_or_default();
            all.push((name.clone(), format!("{} {}", name.to_lowercase(), zh)));
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => url = format!("{}?limit=200&cursor={cursor}", api.url("/partners")),
            None => return all,
        }
    }
}

/// All names the API finds for `q`, following cursors with pages of `limit`.
async fn search_all(api: &Api, q: &str, limit: u32) -> Vec<String> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = api
            .http
            .get(api.url("/partners"))
            .query(&[("q", q), ("limit", &limit.to_string())]);
        if let Some(c) = &cursor {
            request = request.query(&[("cursor", c)]);
        }
        let page = api.send(request).await;
        assert_eq!(page.status, 200, "{q}: {}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= limit as usize);
        found.extend(items.iter().map(|p| p["name"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return found,
        }
    }
}

/// Waits (up to five seconds) until a search for `q` finds `name`.
pub async fn eventually_found(api: &Api, q: &str, name: &str) {
    for _ in 0..100 {
        if search_all(api, q, 50)
            .await
            .iter()
            .any(|found| found == name)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{q} never found {name}");
}

async fn seeded() -> (TestApp, Api) {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    liaison::dev::seed::run(&app.ctx(), PARTNERS, 0)
        .await
        .unwrap();
    (app, api)
}

#[tokio::test]
async fn rare_and_common_terms_find_exactly_what_a_full_scan_finds() {
    let (_app, api) = seeded().await;
    let all = everyone(&api).await;
    assert_eq!(all.len(), PARTNERS as usize);

    // Common (every partner, a tenth, a seventh), rare (one serial, a few serials), Chinese of
    // one, two and more characters, and a term that matches nothing.
    for q in [
        "partner",
        "lotus",
        "energy",
        "0000123",
        "partner 00001",
        "合作",
        "莲",
        "莲天",
        "伙伴12",
        "tokyo",
        "河天",
    ] {
        let expected: Vec<String> = all
            .iter()
            .filter(|(_, text)| text.contains(q))
            .map(|(name, _)| name.clone())
            .collect();
        assert_eq!(search_all(&api, q, 50).await, expected, "q={q}");
    }
    let every_partner = search_all(&api, "PARTNER", 100).await;
    assert_eq!(every_partner.len(), PARTNERS as usize, "case-insensitive");
}

#[tokio::test]
async fn search_combines_with_filters() {
    let (_app, api) = seeded().await;
    // Every active partner, page by page, and the active ones found for "sun" (on pages of 7,
    // so the search's pages are cut inside its runs of matches too).
    let pages = |query: Vec<(&'static str, String)>| {
        let api = api.clone();
        async move {
            let mut names = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let mut query = query.clone();
                if let Some(c) = &cursor {
                    query.push(("cursor", c.clone()));
                }
                let reply = api
                    .send(api.http.get(api.url("/partners")).query(&query))
                    .await;
                assert_eq!(reply.status, 200, "{}", reply.body);
                names.extend(
                    reply.body["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p["name"].as_str().unwrap().to_owned()),
                );
                match reply.body["next_cursor"].as_str() {
                    Some(c) => cursor = Some(c.to_owned()),
                    None => return names,
                }
            }
        }
    };
    let active = pages(vec![("status", "active".into()), ("limit", "200".into())]).await;
    let found = pages(vec![
        ("status", "active".into()),
        ("q", "sun".into()),
        ("limit", "7".into()),
    ])
    .await;
    assert!(!found.is_empty());
    let expected: Vec<&String> = active
        .iter()
        .filter(|n| n.to_lowercase().contains("sun"))
        .collect();
    assert_eq!(found.iter().collect::<Vec<_>>(), expected);
}

/// How many entries of an FTS table match a query (SQLite only).
async fn hits_in(app: &TestApp, table: &str, fts: &str) -> i64 {
    app.db
        .query_one_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            format!("SELECT count(*) AS n FROM {table} WHERE {table} MATCH ?"),
            [fts.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

async fn index_hits(app: &TestApp, fts: &str) -> i64 {
    hits_in(app, "search_trigrams", fts).await
}

#[tokio::test]
async fn the_index_follows_renames_and_deletes() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let created = api
        .create_partner(json!({"name": "Qingdao Lumen", "name_zh": "青岛光明"}))
        .await;
    let id = created["id"].as_str().unwrap();
    let find = |q: &'static str| {
        let api = &api;
        async move { search_all(api, q, 50).await }
    };
    assert_eq!(find("lumen").await, ["Qingdao Lumen"]);
    assert_eq!(find("青岛").await, ["Qingdao Lumen"]);

    let renamed = api
        .patch(
            &format!("/partners/{id}"),
            json!({"version": 1, "name": "Xiamen Solaris", "name_zh": "厦门阳光"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert!(find("lumen").await.is_empty(), "the old name is gone");
    assert!(find("青岛").await.is_empty());
    assert_eq!(find("solaris").await, ["Xiamen Solaris"]);
    assert_eq!(find("厦门").await, ["Xiamen Solaris"]);
    if !app.is_postgres() {
        assert_eq!(
            index_hits(&app, "\"lum\" AND \"ume\" AND \"men\"").await,
            0,
            "stale entry"
        );
        assert_eq!(index_hits(&app, "\"sol\" AND \"ris\"").await, 1);
        assert_eq!(hits_in(&app, "search_grams", "\"青岛\"").await, 0);
        assert_eq!(hits_in(&app, "search_grams", "\"厦门\"").await, 1);
    }

    assert_eq!(api.delete(&format!("/partners/{id}")).await.status, 204);
    assert!(find("solaris").await.is_empty());
    if !app.is_postgres() {
        // Deleting the document fires the trigger that removes its FTS rows.
        assert_eq!(index_hits(&app, "\"sol\" AND \"ris\"").await, 0);
        assert_eq!(hits_in(&app, "search_grams", "\"厦门\"").await, 0);
    }
}

#[tokio::test]
async fn partners_written_behind_the_servers_back_are_indexed_at_start_up() {
    let app = spawn_app().await;
    let (api, user) = app.signed_in(Role::Manager).await;
    api.create_partner(json!({"name": "Kept Partner"})).await;
    // As an import or a restore would: straight into the table, no index entry.
    let now = chrono::Utc::now();
    let backend = app.db.get_database_backend();
    let marks = match backend {
        DbBackend::Postgres => "$1, $2, $3, $4, $5, $6, $7",
        _ => "?, ?, ?, ?, ?, ?, ?",
    };
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO partners (id, name, name_zh, sort_key, search_text, status, \
                 created_at, version, updated_at) VALUES ({marks}, 1, {})",
                match backend {
                    DbBackend::Postgres => "$8",
                    _ => "?",
                }
            ),
            [
                uuid::Uuid::now_v7().into(),
                "Imported Wuxi Ltd".into(),
                "无锡".into(),
                "imported wuxi ltd".into(),
                "imported wuxi ltd 无锡".into(),
                "active".into(),
                now.into(),
                now.into(),
            ],
        ))
        .await
        .unwrap();

    let app = spawn_app_on(app.stop().await).await;
    let api = app.client();
    assert_eq!(api.login(&user.email, &user.password).await.status, 200);
    // The repair runs as a job beside the server: give it a moment.
    eventually_found(&api, "wuxi", "Imported Wuxi Ltd").await;
    assert_eq!(search_all(&api, "wuxi", 50).await, ["Imported Wuxi Ltd"]);
    assert_eq!(search_all(&api, "无锡", 50).await, ["Imported Wuxi Ltd"]);
    assert_eq!(search_all(&api, "kept", 50).await, ["Kept Partner"]);
}

#[tokio::test]
async fn odd_queries_are_answered_not_refused() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    api.create_partner(json!({"name": "Say \"Hi\" Media"}))
        .await;
    api.create_partner(json!({"name": "AND OR NOT Co"})).await;
    // Has every trigram of "lotus" but not the word: the index narrows, the check decides.
    api.create_partner(json!({"name": "Lot Otu Tus Trading"}))
        .await;
    assert!(search_all(&api, "lotus", 50).await.is_empty());
    // FTS5 syntax in the text is only text.
    assert_eq!(search_all(&api, "\"hi\"", 50).await, ["Say \"Hi\" Media"]);
    assert_eq!(search_all(&api, "\"", 50).await, ["Say \"Hi\" Media"]);
    assert_eq!(search_all(&api, "or not", 50).await, ["AND OR NOT Co"]);
    assert_eq!(search_all(&api, "*", 50).await, Vec::<String>::new());
    assert_eq!(search_all(&api, "a:b", 50).await, Vec::<String>::new());
    assert!(
        search_all(&api, &"x".repeat(search::MAX_QUERY_CHARS), 50)
            .await
            .is_empty()
    );
    // Longer than any name: refused before any index work, naming the parameter.
    let long = api
        .send(
            api.http
                .get(api.url("/partners"))
                .query(&[("q", "x".repeat(search::MAX_QUERY_CHARS + 1))]),
        )
        .await;
    assert_eq!(long.status, 422, "{}", long.body);
    assert_eq!(long.error_fields(), ["q"]);
    // A NUL (which PostgreSQL refuses in text) or another control character is named too.
    for q in ["ab\0c", "lo\ttus"] {
        let reply = api
            .send(api.http.get(api.url("/partners")).query(&[("q", q)]))
            .await;
        assert_eq!(reply.status, 422, "{q:?}: {}", reply.body);
        assert_eq!(reply.error_fields(), ["q"]);
    }
}

/// At 100,000 partners PostgreSQL answered a rare term by walking the whole name index (87
/// ms); the candidates query must take the trigram index instead. Seeded to that size: at
/// 20,000 a sequential scan is still the cheaper plan, and the planner rightly takes it.
#[tokio::test]
async fn postgres_finds_a_rare_term_through_the_trigram_index() {
    let app = spawn_app().await;
    if !app.is_postgres() {
        return;
    }
    liaison::dev::seed::run(&app.ctx(), 100_000, 0)
        .await
        .unwrap();
    app.db
        .execute_unprepared("ANALYZE search_documents")
        .await
        .unwrap();
    let statement =
        search::postgres::candidates_statement(Subject::Partner, "0012345", "", search::FEW)
            .unwrap();
    let plan: Vec<String> = app
        .db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("EXPLAIN {}", statement.sql),
            statement.values.map(|v| v.0).unwrap_or_default(),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect();
    let plan = plan.join("\n");
    assert!(plan.contains("idx_search_documents_trgm"), "{plan}");
    let (api, _) = app.signed_in(Role::Viewer).await;
    let found = search_all(&api, "0012345", 50).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("Property Partner 0012345"), "{found:?}");
}

#[tokio::test]
async fn names_added_at_one_spot_list_in_order() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    api.create_partner(json!({"name": "Kappa Zed"})).await;
    api.create_partner(json!({"name": "Kappa"})).await;
    // Each new name sorts right after the one before and before "Kappa Zed".
    let mut expected = vec!["Kappa".to_owned()];
    for n in 1..=45 {
        let name = format!("Kappa {}", "a".repeat(n));
        api.create_partner(json!({"name": name})).await;
        expected.push(name);
    }
    expected.push("Kappa Zed".to_owned());
    assert_eq!(search_all(&api, "kappa", 7).await, expected);
    assert_eq!(search_all(&api, "pa", 10).await, expected);
    assert_eq!(search_all(&api, "kappa aaaaaaaaaa", 5).await.len(), 36);
}
