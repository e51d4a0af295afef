use liaison_tests::{Api, spawn_app};
use serde_json::{Value, json};
use shared::Patch;
use shared::auth::Role;
use shared::partner::{NewPartner, PartnerPatch, PartnerStatus};

fn names(reply: &Value) -> Vec<String> {
    reply["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn search(api: &Api, query: &str) -> Vec<String> {
    let url = format!("{}?{}", api.url("/partners"), query);
    let reply = api.send(api.http.get(url)).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    names(&reply.body)
}

#[tokio::test]
async fn a_manager_creates_reads_updates_and_deletes_a_partner() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;

    let partner = api
        .add_partner(&NewPartner {
            name: "  Brightway Lighting ".into(),
            name_zh: Some("明途照明".into()),
            sector: Some("Lighting".into()),
            website: Some("https://brightway.example.com".into()),
            status: Some("active".into()),
            tags: Some(vec!["LED".into(), "smart city".into(), "led".into()]),
            notes: Some("Met at the expo.".into()),
            owner_id: None,
        })
        .await
        .unwrap();
    assert_eq!(partner.name, "Brightway Lighting");
    assert_eq!(partner.tags, ["led", "smart city"]);
    assert_eq!(partner.status, PartnerStatus::Active);
    assert_eq!(partner.version, 1);
    let me = api.me().await.unwrap();
    assert_eq!(
        partner.owner.as_ref().map(|o| o.id),
        Some(me.id),
        "the creator owns a partner by default"
    );
    assert_eq!(
        api.get_partner(partner.id).await.unwrap(),
        partner,
        "a read shows the write"
    );

    let updated = api
        .change_partner(
            partner.id,
            &PartnerPatch {
                version: 1,
                status: Some("lapsed".into()),
                name_zh: Patch::Clear,
                tags: Some(vec!["lighting".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.status, PartnerStatus::Lapsed);
    assert_eq!(updated.name_zh, None, "null clears a field");
    assert_eq!(
        updated.sector.as_deref(),
        Some("Lighting"),
        "absent fields stay"
    );
    assert_eq!(updated.tags, ["lighting"]);
    assert_eq!(updated.version, 2);

    api.delete_partner(partner.id).await.unwrap();
    assert_eq!(api.get_partner(partner.id).await.unwrap_err().status, 404);
    assert_eq!(
        api.delete_partner(partner.id).await.unwrap_err().status,
        404
    );
}

#[tokio::test]
async fn each_partner_field_rule_names_its_field_and_changes_nothing() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let long = "x".repeat(201);
    let cases = [
        (json!({"name": ""}), "name"),
        (json!({"name": "   "}), "name"),
        (json!({}), "name"),
        (json!({"name": long}), "name"),
        (json!({"name": "A", "name_zh": "长".repeat(201)}), "name_zh"),
        (
            json!({"name": "A", "website": "brightway.example.com"}),
            "website",
        ),
        (
            json!({"name": "A", "website": "javascript:alert(1)"}),
            "website",
        ),
        (json!({"name": "A", "status": "sleeping"}), "status"),
        (
            json!({"name": "A", "tags": (0..21).map(|i| format!("t{i}")).collect::<Vec<_>>()}),
            "tags",
        ),
        (json!({"name": "A", "tags": ["x".repeat(41)]}), "tags"),
        (json!({"name": "A", "notes": "n".repeat(10_001)}), "notes"),
        (
            json!({"name": "A", "owner_id": uuid::Uuid::new_v4()}),
            "owner_id",
        ),
        (json!({"name": "A", "owner_id": "not-a-uuid"}), "owner_id"),
        (json!({"name": 42}), "name"),
    ];
    for (body, field) in cases {
        let reply = api.post("/partners", body.clone()).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.body);
        assert_eq!(reply.error_code(), "validation");
        assert!(
            reply.error_fields().contains(&field.to_owned()),
            "{body} should name {field}: {}",
            reply.body
        );
        assert!(
            reply.body["error"]["fields"][field]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    assert!(
        names(&api.get("/partners").await.body).is_empty(),
        "nothing was created"
    );
}

#[tokio::test]
async fn a_duplicate_name_is_a_409_whatever_its_case() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    api.create_partner(json!({"name": "Goldleaf Bank"})).await;
    let other = api.create_partner(json!({"name": "Other"})).await;

    let duplicate = api
        .post("/partners", json!({"name": "goldleaf bank"}))
        .await;
    let renamed = api
        .patch(
            &format!("/partners/{}", other["id"].as_str().unwrap()),
            json!({"version": 1, "name": "GOLDLEAF BANK"}),
        )
        .await;

    assert_eq!(duplicate.status, 409);
    assert_eq!(duplicate.error_code(), "conflict");
    assert_eq!(duplicate.error_fields(), ["name"]);
    assert_eq!(
        duplicate.body["error"]["fields"]["name"],
        "is already the name of another partner"
    );
    assert_eq!(renamed.status, 409);
    assert_eq!(renamed.error_fields(), ["name"]);
}

/// POSTs `body` as a browser reading `language` first would.
async fn post_in(api: &Api, path: &str, body: Value, language: &str) -> liaison_tests::Reply {
    api.send(
        api.http
            .post(api.url(path))
            .header("accept-language", language)
            .json(&body),
    )
    .await
}

/// Messages for people come in the reader's language: the UI's cookie (set from the user's
/// choice), else the browser's first language. Codes and field names stay the same.
#[tokio::test]
async fn refusals_are_said_in_the_readers_language() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    api.create_partner(json!({"name": "Goldleaf Bank"})).await;

    // Signed in in English: the user's choice wins over the browser's Chinese.
    let english = post_in(&api, "/partners", json!({"name": ""}), "zh-CN").await;
    assert_eq!(english.body["error"]["fields"]["name"], "is required");

    // Nobody signed in yet: the browser's first language.
    let anonymous = app.client();
    let sign_in = post_in(
        &anonymous,
        "/auth/login",
        json!({"email": "", "password": "x"}),
        "zh-CN,en;q=0.5",
    )
    .await;
    assert_eq!(
        (sign_in.status, sign_in.error_fields()),
        (422, vec!["email".to_owned()])
    );
    assert_eq!(sign_in.body["error"]["fields"]["email"], "必填");

    // Switched to Chinese: duplicates and field rules in Chinese, whatever the browser says.
    assert_eq!(
        api.patch("/me", json!({"locale": "zh-CN"})).await.status,
        200
    );
    let duplicate = post_in(&api, "/partners", json!({"name": "GOLDLEAF BANK"}), "en").await;
    assert_eq!(
        (duplicate.status, duplicate.error_code()),
        (409, "conflict")
    );
    assert_eq!(duplicate.error_fields(), ["name"]);
    assert_eq!(
        duplicate.body["error"]["fields"]["name"],
        "已有同名的合作伙伴"
    );
    let invalid = post_in(
        &api,
        "/partners",
        json!({"name": "A", "website": "ftp://x"}),
        "en",
    )
    .await;
    assert_eq!(
        (invalid.status, invalid.error_fields()),
        (422, vec!["website".to_owned()])
    );
    assert_eq!(
        invalid.body["error"]["fields"]["website"],
        "网址须以 http:// 或 https:// 开头"
    );
    // Named beside an unreadable field, a broken rule is still said in Chinese.
    let both = post_in(
        &api,
        "/partners",
        json!({"name": "A", "website": "ftp://x", "status": "gone"}),
        "en",
    )
    .await;
    assert_eq!(both.error_fields(), ["status", "website"], "{}", both.body);
    assert_eq!(
        both.body["error"]["fields"]["website"],
        "网址须以 http:// 或 https:// 开头"
    );
}

#[tokio::test]
async fn a_stale_version_is_a_409_and_changes_nothing() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let id = api.partner("Jadegate").create().await.id();
    let sector = |version: i32, sector: &str| PartnerPatch {
        version,
        sector: Patch::Set(sector.into()),
        ..Default::default()
    };
    api.change_partner(id, &sector(1, "Property"))
        .await
        .unwrap();

    let stale = api
        .change_partner(id, &sector(1, "Finance"))
        .await
        .unwrap_err();

    assert_eq!(stale.status, 409);
    assert_eq!(stale.error_code(), "stale_version");
    let now = api.get_partner(id).await.unwrap();
    assert_eq!(now.sector.as_deref(), Some("Property"));
    assert_eq!(now.version, 2);
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_404() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    for path in [
        format!("/partners/{}", uuid::Uuid::new_v4()),
        "/partners/not-an-id".to_owned(),
    ] {
        let reply = api.get(&path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.error_code(), "not_found");
        assert_eq!(
            api.patch(&path, json!({"version": 1, "name": "x"}))
                .await
                .status,
            404
        );
    }
    let reply = api
        .patch(
            &format!("/partners/{}", uuid::Uuid::new_v4()),
            json!({"name": "no version"}),
        )
        .await;
    assert_eq!(
        reply.status, 422,
        "a PATCH without its version is refused: {}",
        reply.body
    );
}

#[tokio::test]
async fn search_matches_english_and_chinese_anywhere_in_the_name() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    for (name, zh) in [
        ("Harbourline Engineering", "上海港线工程"),
        ("Shanghai Construction Partners", "上海建工伙伴"),
        ("Northwind Renewables", "北风新能源"),
    ] {
        api.create_partner(json!({"name": name, "name_zh": zh}))
            .await;
    }

    assert_eq!(
        search(&api, "q=%E4%B8%8A%E6%B5%B7").await,
        ["Harbourline Engineering", "Shanghai Construction Partners"],
        "上海"
    );
    assert_eq!(
        search(&api, "q=%E6%96%B0%E8%83%BD").await,
        ["Northwind Renewables"],
        "新能 in the middle"
    );
    assert_eq!(
        search(&api, "q=LINE").await,
        ["Harbourline Engineering"],
        "case-insensitive, mid-word"
    );
    assert_eq!(
        search(&api, "q=++wind++").await,
        ["Northwind Renewables"],
        "trimmed"
    );
    assert!(search(&api, "q=tokyo").await.is_empty());
}

#[tokio::test]
async fn sql_wildcards_in_the_query_are_literal() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    for name in [
        "100% Green",
        "100 Green",
        "A_B Holdings",
        "AxB Holdings",
        "Back\\slash Ltd",
    ] {
        api.create_partner(json!({"name": name})).await;
    }
    assert_eq!(search(&api, "q=%25").await, ["100% Green"]);
    assert_eq!(search(&api, "q=_").await, ["A_B Holdings"]);
    assert_eq!(search(&api, "q=%5C").await, ["Back\\slash Ltd"]);
    assert_eq!(
        search(&api, "q=%27%3B+drop+table+partners%3B--").await,
        Vec::<String>::new()
    );
    assert_eq!(names(&api.get("/partners").await.body).len(), 5);
}

#[tokio::test]
async fn filters_by_status_owner_and_tag() {
    let app = spawn_app().await;
    let (alice, _) = app.signed_in(Role::Manager).await;
    let (bob, _) = app.signed_in(Role::Manager).await;
    alice
        .create_partner(json!({"name": "Alpha", "status": "active", "tags": ["green finance"]}))
        .await;
    alice
        .create_partner(json!({"name": "Beta", "status": "prospect", "tags": ["water"]}))
        .await;
    bob.create_partner(json!({"name": "Gamma", "status": "active", "tags": ["Green Finance"]}))
        .await;

    assert_eq!(search(&alice, "status=active").await, ["Alpha", "Gamma"]);
    assert_eq!(search(&alice, "owner=me").await, ["Alpha", "Beta"]);
    assert_eq!(search(&bob, "owner=me").await, ["Gamma"]);
    assert_eq!(
        search(&alice, "tag=green+finance").await,
        ["Alpha", "Gamma"]
    );
    assert_eq!(
        search(&alice, "tag=GREEN+FINANCE&status=active&owner=me").await,
        ["Alpha"]
    );
    let bob_id = bob.get("/me").await.body["id"].as_str().unwrap().to_owned();
    assert_eq!(search(&alice, &format!("owner={bob_id}")).await, ["Gamma"]);

    let bad_status = alice
        .send(
            alice
                .http
                .get(format!("{}?status=asleep", alice.url("/partners"))),
        )
        .await;
    let bad_owner = alice
        .send(
            alice
                .http
                .get(format!("{}?owner=someone", alice.url("/partners"))),
        )
        .await;
    assert_eq!(bad_status.status, 422);
    assert_eq!(bad_status.error_fields(), ["status"]);
    assert_eq!(bad_owner.status, 422);
    assert_eq!(bad_owner.error_fields(), ["owner"]);
}

#[tokio::test]
async fn cursor_pagination_walks_every_partner_once_in_a_stable_order() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let mut expected = Vec::new();
    for name in [
        "delta", "Alpha", "charlie", "Bravo", "echo", "Foxtrot", "golf",
    ] {
        api.create_partner(json!({"name": name})).await;
        expected.push(name.to_owned());
    }
    expected.sort_by_key(|n| n.to_lowercase());

    let mut seen = Vec::new();
    let mut url = format!("{}?limit=3", api.url("/partners"));
    let mut pages = 0;
    loop {
        let reply = api.send(api.http.get(&url)).await;
        assert_eq!(reply.status, 200);
        seen.extend(names(&reply.body));
        pages += 1;
        match reply.body["next_cursor"].as_str() {
            Some(cursor) => url = format!("{}?limit=3&cursor={cursor}", api.url("/partners")),
            None => break,
        }
        // A partner added mid-walk, before the cursor, must not shift later pages.
        if pages == 1 {
            api.create_partner(json!({"name": "aardvark"})).await;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn bad_paging_parameters_are_422() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Viewer).await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("cursor=garbage", "cursor"),
    ] {
        let reply = api
            .send(api.http.get(format!("{}?{query}", api.url("/partners"))))
            .await;
        assert_eq!(reply.status, 422, "{query}: {}", reply.body);
        assert_eq!(reply.error_fields(), [field], "{query}");
    }
    // Every parameter that cannot be read is named in one answer.
    let reply = api
        .send(api.http.get(format!(
            "{}?limit=ten&status=asleep&q=lotus",
            api.url("/partners")
        )))
        .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(reply.error_fields(), ["limit", "status"]);
}

#[tokio::test]
async fn users_are_listed_for_owner_pickers() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    app.add_user(Role::Viewer).await;
    let reply = api.get("/users").await;
    assert_eq!(reply.status, 200);
    let users = reply.body.as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert!(
        users
            .iter()
            .all(|u| u.get("password_hash").is_none() && u["name"].is_string())
    );
}

/// Every item of the list, searched or not, equals a read of that partner: the list's one
/// query (owner and tags beside each row) must show what a read shows.
async fn assert_list_matches_reads(api: &Api, query: &str, expected: usize) {
    let url = format!("{}?{}", api.url("/partners"), query);
    let reply = api.send(api.http.get(url)).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    let items = reply.body["items"].as_array().unwrap();
    assert_eq!(items.len(), expected, "{query}: {}", reply.body);
    for item in items {
        let read = api
            .get(&format!("/partners/{}", item["id"].as_str().unwrap()))
            .await;
        assert_eq!(item, &read.body, "{query}");
    }
}

#[tokio::test]
async fn the_list_shows_each_partner_as_a_read_of_it_does() {
    let app = spawn_app().await;
    let (alice, _) = app.signed_in(Role::Manager).await;
    let (bob, _) = app.signed_in(Role::Manager).await;
    let bob_id = bob.get("/me").await.body["id"].as_str().unwrap().to_owned();
    let full = alice
        .create_partner(json!({
            "name": "Quayside \"Q\" Lighting", "name_zh": "码头照明", "sector": "Lighting",
            "website": "https://quayside.example.com", "status": "active",
            "tags": ["zeta", "Alpha"], "owner_id": bob_id,
            "notes": "Line one\nline two </script> \\ 🚢",
        }))
        .await;
    alice.create_partner(json!({"name": "Quayside Bare"})).await;
    assert_list_matches_reads(&alice, "", 2).await;
    assert_list_matches_reads(&alice, "q=quayside", 2).await;
    assert_list_matches_reads(&alice, "q=%E7%A0%81%E5%A4%B4", 1).await;

    // A change of every kind the list shows: name, tags, owner, status.
    let id = full["id"].as_str().unwrap();
    let changed = alice
        .patch(
            &format!("/partners/{id}"),
            json!({"version": full["version"], "name": "Quayside Renamed", "tags": ["beta"],
                   "owner_id": null, "status": "lapsed"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_list_matches_reads(&alice, "", 2).await;
    assert_list_matches_reads(&alice, "q=renamed", 1).await;
    assert_list_matches_reads(&alice, "limit=1", 1).await;
    assert_eq!(
        search(&alice, "q=quayside+%22q%22").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_partner_changed_behind_the_servers_back_is_listed_and_found_as_it_now_is() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    let (api, user) = app.signed_in(Role::Manager).await;
    let partner = api.create_partner(json!({"name": "Old Name Ltd"})).await;
    api.create_partner(json!({"name": "Other Ltd"})).await;
    // As an older binary, an import or a hand edit would: the row changes, its search entry
    // does not.
    let backend = app.db.get_database_backend();
    let id = uuid::Uuid::parse_str(partner["id"].as_str().unwrap()).unwrap();
    let set = "SET name = 'New Name Ltd', sort_key = 'new name ltd', \
               search_text = 'new name ltd', version = version + 1";
    let sql = match backend {
        sea_orm::DbBackend::Postgres => format!("UPDATE partners {set} WHERE id = $1"),
        _ => format!("UPDATE partners {set} WHERE id = ?"),
    };
    app.db
        .execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .unwrap();
    // Pages are built from the rows: the list shows the change at once.
    let listed = api.get("/partners").await.body;
    assert_eq!(names(&listed), ["New Name Ltd", "Other Ltd"]);
    assert_eq!(listed["items"][0]["version"], 2);
    // The index still holds the old text, but only narrows: the row's own text decides.
    assert!(search(&api, "q=old+name").await.is_empty());

    // At start-up, the repair job indexes the changed text.
    let app = liaison_tests::spawn_app_on(app.stop().await).await;
    let api = app.client();
    assert_eq!(api.login(&user.email, &user.password).await.status, 200);
    let mut found = Vec::new();
    for _ in 0..100 {
        found = search(&api, "q=new+name").await;
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(found, ["New Name Ltd"]);
    assert!(search(&api, "q=old+name").await.is_empty());
    assert_list_matches_reads(&api, "", 2).await;
}
