use chrono::{Duration, Utc};
use liaison_tests::{Api, spawn_app};
use serde_json::{Value, json};
use shared::activity::{ActivityKind, NewActivity, TimelineQuery};
use shared::auth::Role;

/// A partner with one contact, as the ids the JSON paths take.
async fn partner_with_contact(api: &Api, name: &str) -> (String, String) {
    let made = api.partner(name).with_contact("Zhang Min").create().await;
    (made.id().to_string(), made.contact_id(0).to_string())
}

fn summaries(page: &Value) -> Vec<String> {
    let items = page.get("items").unwrap_or(page);
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["summary"].as_str().unwrap().to_owned())
        .collect()
}

/// Today in Asia/Shanghai, where the programme's days begin and end.
fn shanghai_today() -> chrono::NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

#[tokio::test]
async fn logging_a_contact_puts_it_on_the_partner_timeline() {
    let app = spawn_app().await;
    let (api, user) = app.signed_in(Role::Manager).await;
    let made = api
        .partner("Northwind")
        .with_contact("Zhang Min")
        .create()
        .await;
    let contact = made.contact_id(0).to_string();

    let activity = api
        .log_activity(
            made.id(),
            &NewActivity {
                kind: "call".into(),
                occurred_at: "2026-11-20T09:30:00+08:00".into(),
                summary: "Intro call about the mayors' class".into(),
                contact_ids: vec![contact.clone(), contact],
                next_step: Some("Send the deck".into()),
                next_step_due: Some("2026-11-27".into()),
            },
        )
        .await
        .unwrap();

    assert_eq!(
        activity.occurred_at.to_rfc3339(),
        "2026-11-20T01:30:00+00:00",
        "stored in UTC"
    );
    assert_eq!(activity.kind, ActivityKind::Call);
    assert_eq!(activity.contacts.len(), 1, "duplicates collapse");
    assert_eq!(activity.contacts[0].full_name, "Zhang Min");
    assert_eq!(
        activity.author.as_ref().map(|a| a.name.clone()),
        Some(format!("Test {}", user.role.as_str()))
    );
    assert_eq!(activity.partner_name, "Northwind");
    assert_eq!(
        activity.next_step_due.map(|d| d.to_string()).as_deref(),
        Some("2026-11-27")
    );
    let timeline = api
        .timeline(made.id(), &TimelineQuery::default())
        .await
        .unwrap();
    assert_eq!(
        timeline.items,
        [activity],
        "the timeline shows what the write answered"
    );
    assert_eq!(timeline.next_cursor, None);
}

#[tokio::test]
async fn the_timeline_is_newest_first_a_page_at_a_time() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let (id, _) = partner_with_contact(&api, "Solaris").await;
    for day in 1..=5 {
        let reply = api
            .post(
                &format!("/partners/{id}/activities"),
                json!({"kind": "note", "occurred_at": format!("2026-10-0{day}T10:00:00Z"), "summary": format!("day {day}")}),
            )
            .await;
        assert_eq!(reply.status, 201);
    }
    let first = api
        .get(&format!("/partners/{id}/activities?limit=2"))
        .await
        .body;
    assert_eq!(summaries(&first), ["day 5", "day 4"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = api
        .get(&format!(
            "/partners/{id}/activities?limit=2&cursor={cursor}"
        ))
        .await
        .body;
    assert_eq!(summaries(&second), ["day 3", "day 2"]);
    let cursor = second["next_cursor"].as_str().unwrap();
    let last = api
        .get(&format!(
            "/partners/{id}/activities?limit=2&cursor={cursor}"
        ))
        .await
        .body;
    assert_eq!(summaries(&last), ["day 1"]);
    assert!(last.get("next_cursor").is_none());
}

#[tokio::test]
async fn every_unreadable_field_is_named_in_one_answer() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let (id, _) = partner_with_contact(&api, "Goldleaf").await;
    let path = format!("/partners/{id}/activities");
    let reply = api
        .post(
            &path,
            json!({"kind": "fax", "occurred_at": "yesterday", "contact_ids": ["nope"]}),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(
        reply.error_fields(),
        ["contact_ids", "kind", "occurred_at", "summary"],
        "{}",
        reply.body
    );
    // The README's example.
    let reply = api
        .post(&path, json!({"kind": "fax", "occurred_at": "yesterday"}))
        .await;
    assert_eq!(reply.error_fields(), ["kind", "occurred_at", "summary"]);
    // A broken rule beside a missing field: both named, in the reader's words.
    let reply = api
        .post(
            &path,
            json!({"kind": "call", "summary": " ", "next_step_due": "2026-12-01"}),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(
        reply.error_fields(),
        ["next_step_due", "occurred_at", "summary"],
        "{}",
        reply.body
    );
    assert_eq!(reply.body["error"]["fields"]["summary"], "is required");
    assert_eq!(reply.body["error"]["fields"]["occurred_at"], "is required");
    assert!(summaries(&api.get(&path).await.body).is_empty());
}

#[tokio::test]
async fn each_activity_rule_names_its_field_and_logs_nothing() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let (id, _) = partner_with_contact(&api, "Goldleaf").await;
    let (_, foreign_contact) = partner_with_contact(&api, "Someone else").await;
    let tomorrow_plus = (Utc::now() + Duration::days(3)).to_rfc3339();
    let base = || json!({"kind": "call", "occurred_at": "2026-11-01T10:00:00Z", "summary": "ok"});
    let with = |key: &str, value: Value| {
        let mut body = base();
        body[key] = value;
        body
    };
    let mut without_kind = base();
    without_kind.as_object_mut().unwrap().remove("kind");
    for (body, field) in [
        (with("kind", json!("fax")), "kind"),
        (without_kind, "kind"),
        (with("summary", json!("  ")), "summary"),
        (with("summary", json!("s".repeat(5001))), "summary"),
        (with("occurred_at", json!("yesterday")), "occurred_at"),
        (with("occurred_at", json!(tomorrow_plus)), "occurred_at"),
        (
            with("occurred_at", json!("1999-12-31T00:00:00Z")),
            "occurred_at",
        ),
        (with("next_step_due", json!("2026-12-01")), "next_step_due"),
        (with("next_step_due", json!("2026-02-30")), "next_step_due"),
        (with("contact_ids", json!([foreign_contact])), "contact_ids"),
        (with("contact_ids", json!(["nope"])), "contact_ids"),
        (with("next_step", json!("n".repeat(501))), "next_step"),
    ] {
        let reply = api
            .post(&format!("/partners/{id}/activities"), body.clone())
            .await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.body);
        assert_eq!(reply.error_fields(), [field], "{body}");
    }
    assert!(summaries(&api.get(&format!("/partners/{id}/activities")).await.body).is_empty());
    let unknown = api
        .post(
            &format!("/partners/{}/activities", uuid::Uuid::new_v4()),
            base(),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let timeline = api
        .get(&format!("/partners/{}/activities", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(timeline.status, 404, "{}", timeline.body);
    assert_eq!(timeline.error_code(), "not_found");
}

#[tokio::test]
async fn next_steps_are_bucketed_by_due_date_in_shanghai_and_leave_when_done() {
    let app = spawn_app().await;
    let (me, _) = app.signed_in(Role::Manager).await;
    let (colleague, _) = app.signed_in(Role::Manager).await;
    let (id, _) = partner_with_contact(&me, "Lotus Garden").await;
    let today = shanghai_today();
    let day = |offset: i64| (today + Duration::days(offset)).to_string();
    let log = |api: &Api, step: &str, due: Option<String>| {
        let api = api.clone();
        let body = json!({"kind": "meeting", "occurred_at": Utc::now().to_rfc3339(), "summary": step, "next_step": step, "next_step_due": due});
        let path = format!("/partners/{id}/activities");
        async move {
            let reply = api.post(&path, body).await;
            assert_eq!(reply.status, 201, "{}", reply.body);
            reply.body["id"].as_str().unwrap().to_owned()
        }
    };
    let overdue = log(&me, "overdue", Some(day(-2))).await;
    log(&me, "today", Some(day(0))).await;
    log(&me, "in five days", Some(day(5))).await;
    log(&me, "next month", Some(day(30))).await;
    log(&me, "undated", None).await;
    log(&colleague, "colleague's today", Some(day(0))).await;
    me.post(
        &format!("/partners/{id}/activities"),
        json!({"kind": "note", "occurred_at": Utc::now().to_rfc3339(), "summary": "no next step"}),
    )
    .await;

    let bucket = |query: &'static str| {
        let me = me.clone();
        async move {
            let reply = me.get(&format!("/activities?{query}")).await;
            assert_eq!(reply.status, 200, "{query}: {}", reply.body);
            summaries(&reply.body)
        }
    };
    assert_eq!(bucket("mine=true&due=overdue").await, ["overdue"]);
    assert_eq!(bucket("mine=true&due=today").await, ["today"]);
    assert_eq!(
        bucket("mine=true&due=week").await,
        ["in five days"],
        "today's step is under today only"
    );
    assert_eq!(bucket("mine=true&due=later").await, ["next month"]);
    assert_eq!(bucket("mine=true&due=none").await, ["undated"]);
    assert_eq!(
        bucket("mine=true").await,
        ["overdue", "today", "in five days", "next month", "undated"],
        "soonest first, undated last"
    );
    assert_eq!(
        bucket("due=today").await.len(),
        2,
        "without mine: everyone's"
    );

    let done = me
        .patch(
            &format!("/activities/{overdue}"),
            json!({"next_step_done": true}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body["next_step_done_at"].is_string());
    assert!(bucket("mine=true&due=overdue").await.is_empty());
    let reopened = me
        .patch(
            &format!("/activities/{overdue}"),
            json!({"next_step_done": false}),
        )
        .await;
    assert_eq!(reopened.body["next_step_done_at"], Value::Null);
    assert_eq!(bucket("mine=true&due=overdue").await, ["overdue"]);

    let bad = me.get("/activities?due=someday").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.error_fields(), ["due"]);
}

#[tokio::test]
async fn editing_an_activity_follows_the_same_rules() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let (id, _) = partner_with_contact(&api, "Riverstone").await;
    let logged = api
        .post(
            &format!("/partners/{id}/activities"),
            json!({"kind": "email", "occurred_at": "2026-11-02T00:00:00Z", "summary": "Sent deck"}),
        )
        .await
        .body;
    let path = format!("/activities/{}", logged["id"].as_str().unwrap());

    let done_without_step = api.patch(&path, json!({"next_step_done": true})).await;
    let due_without_step = api
        .patch(&path, json!({"next_step_due": "2026-12-01"}))
        .await;
    let blank = api.patch(&path, json!({"summary": " "})).await;
    let ok = api.patch(&path, json!({"summary": "Sent deck and pricing", "next_step": "Call back", "next_step_due": "2026-12-01"})).await;

    assert_eq!(done_without_step.status, 422);
    assert_eq!(due_without_step.status, 422);
    assert_eq!(due_without_step.error_fields(), ["next_step_due"]);
    assert_eq!(blank.status, 422);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["next_step"], "Call back");
    assert_eq!(
        api.get(&path).await.body["summary"],
        "Sent deck and pricing"
    );
    assert_eq!(
        api.patch(&format!("/activities/{}", uuid::Uuid::new_v4()), json!({}))
            .await
            .status,
        404
    );
}

/// UX review item 1: every open next step is on exactly one list — overdue, today, the next
/// six days, later, no date — by the reader's day (Shanghai by default); the lists' counts add
/// up to all open steps, and a step due today is not also under the next six days.
#[tokio::test]
async fn every_open_step_is_in_exactly_one_bucket() {
    use chrono::{NaiveDate, TimeZone};
    use shared::activity::{DueFilter, NextStepQuery};
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let made = api.partner("Bucketed Holdings").create().await;
    let noon = chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2031, 3, 14, 12, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    app.clock.jump_to(noon);
    let today = NaiveDate::from_ymd_opt(2031, 3, 14).unwrap();
    let offsets: [(&str, Option<i64>); 8] = [
        ("long overdue", Some(-30)),
        ("yesterday", Some(-1)),
        ("today", Some(0)),
        ("tomorrow", Some(1)),
        ("in six days", Some(6)),
        ("in a week", Some(7)),
        ("next month", Some(30)),
        ("someday", None),
    ];
    for (name, offset) in offsets {
        let mut input = liaison_tests::fixtures::call("planning");
        input.occurred_at = (noon - Duration::hours(1)).to_rfc3339();
        input.next_step = Some(name.into());
        input.next_step_due = offset.map(|days| (today + Duration::days(days)).to_string());
        api.log_activity(made.id(), &input).await.unwrap();
    }
    let bucket = |due: DueFilter| {
        let api = api.clone();
        async move {
            api.next_steps(&NextStepQuery {
                due: Some(due.as_str().to_owned()),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.next_step.unwrap_or_default())
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        bucket(DueFilter::Overdue).await,
        ["long overdue", "yesterday"]
    );
    assert_eq!(bucket(DueFilter::Today).await, ["today"]);
    assert_eq!(bucket(DueFilter::Week).await, ["tomorrow", "in six days"]);
    assert_eq!(bucket(DueFilter::Later).await, ["in a week", "next month"]);
    assert_eq!(bucket(DueFilter::Undated).await, ["someday"]);
    let mut total = 0;
    for due in DueFilter::ALL {
        total += bucket(due).await.len();
    }
    let all = api.next_steps(&NextStepQuery::default()).await.unwrap();
    assert_eq!(total, all.len());
    assert_eq!(all.len(), offsets.len());
    for (name, offset) in offsets {
        let due = offset.map(|days| today + Duration::days(days));
        let expected = DueFilter::of(due, today);
        assert!(bucket(expected).await.contains(&name.to_owned()), "{name}");
    }
}
