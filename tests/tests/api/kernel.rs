//! The domain kernel seen from outside: every write records its event in the same
//! transaction, a refused write records none, services read the time from the app's clock, and
//! a stored value that is not one the code knows is an error, never a default.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use liaison_tests::fixtures::call;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use shared::activity::{ActivityPatch, DueFilter, NextStepQuery};
use shared::auth::Role;
use shared::contact::{ContactPatch, NewContact};
use shared::partner::{NewPartner, PartnerPatch};
use shared::{Patch, policy};

/// The events in the order they happened: (kind, actor kind, subject id).
async fn events(app: &TestApp) -> Vec<(String, String, uuid::Uuid)> {
    app.db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT kind, actor_kind, subject_id FROM events ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get("", "kind").unwrap(),
                row.try_get("", "actor_kind").unwrap(),
                row.try_get("", "subject_id").unwrap(),
            )
        })
        .collect()
}

fn kinds(events: &[(String, String, uuid::Uuid)]) -> Vec<&str> {
    events.iter().map(|(kind, _, _)| kind.as_str()).collect()
}

#[tokio::test]
async fn every_write_records_its_event_and_a_refused_write_records_none() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let made = api
        .partner("Evented Ltd")
        .with_contact("Li Wei")
        .create()
        .await;
    let id = made.id();
    // Refused: a duplicate name (409), a stale version (409), a bad field (422).
    let duplicate = NewPartner {
        name: "EVENTED LTD".into(),
        ..Default::default()
    };
    assert_eq!(api.add_partner(&duplicate).await.unwrap_err().status, 409);
    let stale = PartnerPatch {
        version: 99,
        sector: Patch::Set("Energy".into()),
        ..Default::default()
    };
    assert_eq!(
        api.change_partner(id, &stale).await.unwrap_err().status,
        409
    );
    let blank = NewContact::default();
    assert_eq!(api.add_contact(id, &blank).await.unwrap_err().status, 422);
    assert_eq!(
        kinds(&events(&app).await),
        ["partner.created", "contact.created"]
    );

    let changed = PartnerPatch {
        version: 1,
        sector: Patch::Set("Energy".into()),
        ..Default::default()
    };
    api.change_partner(id, &changed).await.unwrap();
    let contact = made.contacts[0].clone();
    let renamed = ContactPatch {
        version: contact.version,
        title: Patch::Set("CFO".into()),
        ..Default::default()
    };
    api.change_contact(contact.id, &renamed).await.unwrap();
    let logged = api.log_call(id, "Intro call").await;
    let edited = ActivityPatch {
        summary: Some("Intro call, with slides".into()),
        ..Default::default()
    };
    api.change_activity(logged.id, &edited).await.unwrap();
    api.delete_partner(id).await.unwrap();

    let all = events(&app).await;
    assert_eq!(
        kinds(&all),
        [
            "partner.created",
            "contact.created",
            "partner.changed",
            "contact.changed",
            "activity.logged",
            "activity.changed",
            "partner.deleted",
        ]
    );
    assert!(all.iter().all(|(_, actor, _)| actor == "staff"));
    assert_eq!(all[4].2, logged.id, "an event names its subject");
    assert_eq!(all[6].2, id);
}

/// "Today" is the app's clock's day where the reader is (Shanghai by default): a step due on
/// a day is due "today" on that day and "overdue" the day after.
#[tokio::test]
async fn due_dates_follow_the_apps_clock() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Manager).await;
    let made = api.partner("Clockwork Co").create().await;
    let due = NaiveDate::from_ymd_opt(2031, 3, 14).unwrap();
    // 09:00 in Shanghai on the due day, then the next morning.
    let morning = chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2031, 3, 14, 9, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    app.clock.jump_to(morning - Duration::days(2));
    let mut input = call("Set the dinner date");
    input.occurred_at = liaison::core::Clock::now(&*app.clock).to_rfc3339();
    input.next_step = Some("Confirm the dinner".into());
    input.next_step_due = Some(due.to_string());
    api.log_activity(made.id(), &input).await.unwrap();

    let steps = |due: DueFilter| NextStepQuery {
        due: Some(due.as_str().to_owned()),
        ..Default::default()
    };
    let summaries = |list: Vec<shared::activity::Activity>| {
        list.into_iter()
            .map(|a| a.next_step.unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert!(
        api.next_steps(&steps(DueFilter::Today))
            .await
            .unwrap()
            .is_empty()
    );
    let this_week = api.next_steps(&steps(DueFilter::Week)).await.unwrap();
    assert_eq!(summaries(this_week), ["Confirm the dinner"]);

    app.clock.jump_to(morning);
    let today = api.next_steps(&steps(DueFilter::Today)).await.unwrap();
    assert_eq!(summaries(today), ["Confirm the dinner"]);
    assert!(
        api.next_steps(&steps(DueFilter::Overdue))
            .await
            .unwrap()
            .is_empty()
    );

    app.clock.jump_to(morning + Duration::days(1));
    let overdue = api.next_steps(&steps(DueFilter::Overdue)).await.unwrap();
    assert_eq!(summaries(overdue), ["Confirm the dinner"]);
}

/// A status the code does not know (written by hand, or by a newer version) is not shown as
/// "prospect": the read fails, logged, with the API's JSON error.
#[tokio::test]
async fn an_unknown_stored_value_is_an_error_not_a_default() {
    let app = spawn_app().await;
    let (api, _) = app.signed_in(Role::Viewer).await;
    let (manager, _) = app.signed_in(Role::Manager).await;
    let made = manager.partner("Strange State Ltd").create().await;
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "UPDATE partners SET status = 'asleep' WHERE id = $1",
        _ => "UPDATE partners SET status = 'asleep' WHERE id = ?",
    };
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [made.id().into()],
        ))
        .await
        .unwrap();
    let reply = api.get_partner(made.id()).await.unwrap_err();
    assert_eq!(reply.status, 500);
    assert_eq!(reply.error_code(), "internal");
    assert!(
        !reply.body.to_string().contains("asleep"),
        "a 500 shows no detail: {}",
        reply.body
    );
}

/// The UI decides which controls to show with the same policy the API enforces.
#[tokio::test]
async fn what_the_policy_allows_is_what_the_api_allows() {
    let app = spawn_app().await;
    for role in [Role::Admin, Role::Manager, Role::Viewer] {
        let (api, _) = app.signed_in(role).await;
        let me = api.me().await.unwrap();
        let may = me.can(policy::Action::EditCrm);
        let created = api
            .add_partner(&NewPartner {
                name: format!("Policy {}", role.as_str()),
                ..Default::default()
            })
            .await;
        assert_eq!(created.is_ok(), may, "{role:?}");
        if !may {
            assert_eq!(created.unwrap_err().status, 403);
        }
    }
}
