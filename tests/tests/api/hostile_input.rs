//! Input nobody types but a probe sends: a NUL or another control character in any text
//! field, query parameter or cursor is refused with 422 naming the field, on both databases
//! alike (PostgreSQL refuses NUL in text and answered 500), and changes nothing.

use base64::Engine;
use liaison_tests::{Api, spawn_app};
use shared::activity::TimelineQuery;
use shared::auth::Role;
use shared::contact::NewContact;
use shared::partner::{NewPartner, PartnerPatch, PartnerQuery};
use shared::{Patch, routes};

const NUL: &str = "a\u{0}b";
const ESCAPE: &str = "bold \u{1b}[1m";

async fn partner_names(api: &Api) -> Vec<String> {
    let page = api
        .partners(&PartnerQuery {
            limit: Some("200".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    page.items.into_iter().map(|p| p.name).collect()
}

#[tokio::test]
async fn control_characters_in_text_fields_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let kept = api
        .partner("Kept Partner")
        .with_contact("Li Wei")
        .create()
        .await;
    let before = partner_names(&api).await;

    for bad in [NUL, ESCAPE] {
        let cases: Vec<(&str, NewPartner)> = vec![
            (
                "name",
                NewPartner {
                    name: bad.into(),
                    ..Default::default()
                },
            ),
            (
                "name_zh",
                NewPartner {
                    name: "Ok".into(),
                    name_zh: Some(bad.into()),
                    ..Default::default()
                },
            ),
            (
                "notes",
                NewPartner {
                    name: "Ok".into(),
                    notes: Some(bad.into()),
                    ..Default::default()
                },
            ),
            (
                "tags",
                NewPartner {
                    name: "Ok".into(),
                    tags: Some(vec![bad.into()]),
                    ..Default::default()
                },
            ),
        ];
        for (field, input) in cases {
            let reply = api.add_partner(&input).await.unwrap_err();
            assert_eq!(reply.status, 422, "{field}: {}", reply.body);
            assert_eq!(reply.error_fields(), [field], "{}", reply.body);
        }
        let patch = PartnerPatch {
            version: kept.partner.version,
            sector: Patch::Set(bad.into()),
            ..Default::default()
        };
        let reply = api.change_partner(kept.id(), &patch).await.unwrap_err();
        assert_eq!(
            (reply.status, reply.error_fields()),
            (422, vec!["sector".to_owned()])
        );

        let contact = NewContact {
            full_name: "Wang Fang".into(),
            email: Some(format!("wang{bad}@example.com")),
            ..Default::default()
        };
        let reply = api.add_contact(kept.id(), &contact).await.unwrap_err();
        assert_eq!(
            (reply.status, reply.error_fields()),
            (422, vec!["email".to_owned()])
        );

        let mut call = liaison_tests::fixtures::call(bad);
        call.contact_ids = vec![kept.contact_id(0).to_string()];
        let reply = api.log_activity(kept.id(), &call).await.unwrap_err();
        assert_eq!(
            (reply.status, reply.error_fields()),
            (422, vec!["summary".to_owned()])
        );
    }
    // A multi-line note is text, not a control character.
    let lines = NewPartner {
        name: "Two Lines".into(),
        notes: Some("first line\r\n\tsecond line".into()),
        ..Default::default()
    };
    let made = api.add_partner(&lines).await.unwrap();
    assert_eq!(made.notes.as_deref(), Some("first line\r\n\tsecond line"));
    api.delete_partner(made.id).await.unwrap();

    assert_eq!(partner_names(&api).await, before);
    let contacts = api.contacts(kept.id()).await.unwrap();
    assert_eq!(contacts.len(), 1);
    let timeline = api
        .timeline(kept.id(), &TimelineQuery::default())
        .await
        .unwrap();
    assert!(timeline.items.is_empty());
}

#[tokio::test]
async fn control_characters_in_queries_and_cursors_are_refused() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Viewer).await;
    for (name, value) in [("q", "ab\u{0}cd"), ("q", "a\u{0}"), ("tag", "x\u{0}y")] {
        let reply = api
            .send(
                api.http
                    .get(api.path_url(routes::PARTNERS))
                    .query(&[(name, value)]),
            )
            .await;
        assert_eq!(reply.status, 422, "{name}={value:?}: {}", reply.body);
        assert_eq!(reply.error_fields(), [name]);
    }
    // A forged cursor whose key holds a NUL.
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"["a\u0000b","0195f0a0-0000-7000-8000-000000000000"]"#);
    let reply = api
        .send(
            api.http
                .get(api.path_url(routes::PARTNERS))
                .query(&[("cursor", &forged)]),
        )
        .await;
    assert_eq!(
        (reply.status, reply.error_fields()),
        (422, vec!["cursor".to_owned()])
    );
}

#[tokio::test]
async fn a_nul_in_the_sign_in_email_is_refused_without_signing_in() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Viewer).await;
    let reply = app
        .client()
        .login(&format!("{}\u{0}", user.email), &user.password)
        .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(reply.error_fields(), ["email"]);
    assert!(reply.set_cookie(shared::cookies::SESSION).is_none());
}

/// W10: the transport's refusals are the API's JSON error body too.
#[tokio::test]
async fn an_oversized_body_or_address_gets_the_json_error_body() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    // Past the 1 MiB limit, yet small enough that the client finishes sending before the
    // server answers and closes.
    let huge = format!(r#"{{"name":"{}"}}"#, "x".repeat(1_100_000));
    let reply = api
        .send(
            api.http
                .post(api.path_url(routes::PARTNERS))
                .header("content-type", "application/json")
                .body(huge),
        )
        .await;
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(reply.error_code(), "too_large");

    let long = "a".repeat(9 * 1024);
    let reply = api
        .send(
            api.http
                .get(api.path_url(routes::PARTNERS))
                .query(&[("q", &long)]),
        )
        .await;
    assert_eq!(reply.status, 414, "{}", reply.body);
    assert_eq!(reply.error_code(), "too_large");
    // Said in the reader's language (a client without the language cookie of a signed-in
    // user), before anything asks who is calling.
    let anonymous = app.client();
    let zh = anonymous
        .send(
            anonymous
                .http
                .get(anonymous.path_url(routes::PARTNERS))
                .query(&[("q", &long)])
                .header("accept-language", "zh-CN"),
        )
        .await;
    assert!(
        zh.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("请求地址过长"),
        "{}",
        zh.body
    );
    assert!(partner_names(&api).await.is_empty(), "nothing was written");
}
