use liaison_tests::{Api, spawn_app};
use serde_json::{Value, json};
use shared::Patch;
use shared::auth::{Language, Role};
use shared::contact::{ContactPatch, NewContact};

/// A new partner's id, as the JSON paths take it.
async fn partner(api: &Api, name: &str) -> String {
    api.partner(name).create().await.id().to_string()
}

fn full_names(reply: &Value) -> Vec<String> {
    reply
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["full_name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn contacts_are_added_listed_edited_and_removed() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let id = api.partner("Anchorstone Insurance").create().await.id();
    assert!(
        api.contacts(id).await.unwrap().is_empty(),
        "a partner without contacts is an empty list, not a 404"
    );

    let created = api
        .add_contact(
            id,
            &NewContact {
                full_name: "Wang Fang".into(),
                name_zh: Some("王芳".into()),
                title: Some("Head of Sustainability".into()),
                email: Some("Wang.Fang@Anchorstone.example.com".into()),
                phone: Some("+86 21 5555 0100".into()),
                wechat: Some("wangfang_as".into()),
                language: Some("zh-CN".into()),
                is_primary: Some(true),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        created.email.as_deref(),
        Some("wang.fang@anchorstone.example.com")
    );
    assert_eq!(created.language, Language::ZhCn);
    let listed = api.contacts(id).await.unwrap();
    assert_eq!(
        listed,
        std::slice::from_ref(&created),
        "the list shows what the write answered"
    );

    let edited = api
        .change_contact(
            created.id,
            &ContactPatch {
                version: 1,
                title: Patch::Clear,
                language: Some("en".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.title, None);
    assert_eq!(
        edited.name_zh.as_deref(),
        Some("王芳"),
        "absent fields stay"
    );
    assert_eq!(edited.language, Language::En);
    assert_eq!(edited.version, 2);
    let stale = ContactPatch {
        version: 1,
        title: Patch::Set("CEO".into()),
        ..Default::default()
    };
    let refused = api.change_contact(created.id, &stale).await.unwrap_err();
    assert_eq!(refused.status, 409);
    assert_eq!(refused.error_code(), "stale_version");

    assert_eq!(
        api.delete(&format!("/contacts/{}", created.id))
            .await
            .status,
        204
    );
    assert_eq!(
        api.get(&format!("/contacts/{}", created.id)).await.status,
        404
    );
    assert!(api.contacts(id).await.unwrap().is_empty());
}

#[tokio::test]
async fn each_contact_field_rule_names_its_field() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let id = partner(&api, "Clearloop").await;
    for (body, field) in [
        (json!({"full_name": ""}), "full_name"),
        (json!({}), "full_name"),
        (json!({"full_name": "A", "email": "not-an-email"}), "email"),
        (json!({"full_name": "A", "phone": "call me maybe"}), "phone"),
        (json!({"full_name": "A", "phone": "12"}), "phone"),
        (json!({"full_name": "A", "wechat": "has space"}), "wechat"),
        (json!({"full_name": "A", "language": "fr"}), "language"),
        (json!({"full_name": "A", "title": "t".repeat(201)}), "title"),
        (json!({"full_name": "A", "is_primary": "yes"}), "is_primary"),
    ] {
        let reply = api
            .post(&format!("/partners/{id}/contacts"), body.clone())
            .await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.body);
        assert_eq!(reply.error_fields(), [field], "{body}");
    }
    assert!(full_names(&api.get(&format!("/partners/{id}/contacts")).await.body).is_empty());
}

#[tokio::test]
async fn only_one_contact_is_primary() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let id = partner(&api, "Metrolink").await;
    let path = format!("/partners/{id}/contacts");
    let first = api
        .post(&path, json!({"full_name": "First", "is_primary": true}))
        .await
        .body;
    let second = api
        .post(&path, json!({"full_name": "Second", "is_primary": true}))
        .await
        .body;

    let listed = api.get(&path).await.body;
    let primaries: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["is_primary"] == true)
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(primaries, ["Second"]);
    assert_eq!(
        full_names(&listed),
        ["Second", "First"],
        "the primary contact comes first"
    );

    let back = api
        .patch(
            &format!("/contacts/{}", first["id"].as_str().unwrap()),
            json!({"version": 2, "is_primary": true}),
        )
        .await;
    assert_eq!(
        back.status, 200,
        "moving the flag bumped First's version to 2: {}",
        back.body
    );
    let second_now = api
        .get(&format!("/contacts/{}", second["id"].as_str().unwrap()))
        .await
        .body;
    assert_eq!(second_now["is_primary"], false);
}

#[tokio::test]
async fn the_same_email_twice_at_one_partner_is_a_409() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let one = partner(&api, "One").await;
    let two = partner(&api, "Two").await;
    let body = json!({"full_name": "Li Wei", "email": "li.wei@example.com"});
    assert_eq!(
        api.post(&format!("/partners/{one}/contacts"), body.clone())
            .await
            .status,
        201
    );

    let again = api
        .post(
            &format!("/partners/{one}/contacts"),
            json!({"full_name": "L. Wei", "email": "LI.WEI@example.com"}),
        )
        .await;
    let elsewhere = api.post(&format!("/partners/{two}/contacts"), body).await;

    assert_eq!(again.status, 409);
    assert_eq!(
        elsewhere.status, 201,
        "another partner may have the same person"
    );
}

#[tokio::test]
async fn contacts_of_an_unknown_partner_are_404() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let missing = uuid::Uuid::new_v4();
    assert_eq!(
        api.get(&format!("/partners/{missing}/contacts"))
            .await
            .status,
        404
    );
    assert_eq!(
        api.post(
            &format!("/partners/{missing}/contacts"),
            json!({"full_name": "X"})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        api.patch(&format!("/contacts/{missing}"), json!({"version": 1}))
            .await
            .status,
        404
    );
    assert_eq!(
        api.delete(&format!("/contacts/{missing}")).await.status,
        404
    );
}

#[tokio::test]
async fn deleting_a_partner_removes_its_contacts() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let id = partner(&api, "Short-lived").await;
    let contact = api
        .post(
            &format!("/partners/{id}/contacts"),
            json!({"full_name": "Gone Soon"}),
        )
        .await
        .body;
    assert_eq!(api.delete(&format!("/partners/{id}")).await.status, 204);
    assert_eq!(
        api.get(&format!("/contacts/{}", contact["id"].as_str().unwrap()))
            .await
            .status,
        404
    );
}

/// B3: "one primary contact" is the database's rule, not only the code's. On PostgreSQL, 10
/// concurrent "make primary" requests over two instances left 3 primaries, and 10 concurrent
/// creates with `is_primary` left 9. Now every request succeeds and exactly one is primary.
#[tokio::test]
async fn concurrent_primary_changes_leave_exactly_one_primary() {
    let app = spawn_app().await;
    let other = app.another_instance().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let there = Api {
        base: other.address.clone(),
        http: api.http.clone(),
    };
    let mut builder = api.partner("Primary Race Holdings");
    for n in 0..10 {
        builder = builder.with_contact(&format!("Contact {n:02}"));
    }
    let made = builder.create().await;
    let primaries = |api: Api, partner| async move {
        api.contacts(partner)
            .await
            .unwrap()
            .iter()
            .filter(|c| c.is_primary)
            .count()
    };

    let patches = made.contacts.iter().enumerate().map(|(n, contact)| {
        let client = if n % 2 == 0 {
            api.clone()
        } else {
            there.clone()
        };
        let patch = ContactPatch {
            version: contact.version,
            is_primary: Some(true),
            ..Default::default()
        };
        async move { client.change_contact(contact.id, &patch).await }
    });
    for result in futures::future::join_all(patches).await {
        let contact = result.unwrap_or_else(|reply| panic!("{} {}", reply.status, reply.body));
        assert!(contact.is_primary);
    }
    assert_eq!(primaries(api.clone(), made.id()).await, 1);

    let other_partner = api.partner("Primary Race Two").create().await;
    let creates = (0..10).map(|n| {
        let client = if n % 2 == 0 {
            api.clone()
        } else {
            there.clone()
        };
        let input = NewContact {
            full_name: format!("New {n:02}"),
            is_primary: Some(true),
            ..Default::default()
        };
        let partner = other_partner.id();
        async move { client.add_contact(partner, &input).await }
    });
    for result in futures::future::join_all(creates).await {
        result.unwrap_or_else(|reply| panic!("{} {}", reply.status, reply.body));
    }
    assert_eq!(primaries(api.clone(), other_partner.id()).await, 1);
}
