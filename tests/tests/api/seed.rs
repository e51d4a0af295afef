//! `liaison seed`: the rows it promises, and a schema it leaves as it found it (on SQLite it
//! drops and rebuilds secondary indexes inside its transaction).

use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ConnectionTrait, Statement};

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    app.db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn indexes(app: &TestApp) -> Vec<String> {
    let sql = if app.is_postgres() {
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
    } else {
        "SELECT coalesce(sql, name) FROM sqlite_master WHERE type = 'index' ORDER BY 1"
    };
    strings(app, sql).await
}

async fn count(app: &TestApp, table: &str) -> String {
    strings(app, &format!("SELECT CAST(count(*) AS TEXT) FROM {table}"))
        .await
        .remove(0)
}

#[tokio::test]
async fn seeding_adds_the_rows_and_keeps_every_index() {
    let app = spawn_app().await;
    app.add_user(shared::auth::Role::Admin).await;
    let before = indexes(&app).await;
    assert!(
        before
            .iter()
            .any(|sql| sql.contains("idx_activities_timeline"))
    );

    liaison::dev::seed::run(&app.ctx(), 1_500, 4_000)
        .await
        .unwrap();
    liaison::dev::seed::run(&app.ctx(), 500, 1_000)
        .await
        .unwrap();
    if let Some(file) = app.sqlite_file() {
        // The seed's write-ahead log is copied into the database and emptied.
        let wal = std::fs::metadata(format!("{}-wal", file.display())).unwrap();
        assert_eq!(wal.len(), 0, "the WAL is checkpointed after seeding");
    }

    assert_eq!(indexes(&app).await, before);
    assert_eq!(count(&app, "partners").await, "2000");
    assert_eq!(count(&app, "activities").await, "5000");
    assert_eq!(count(&app, "search_documents").await, "2000");
    // Names stay unique across runs: the second run numbers on from the first.
    assert_eq!(
        strings(
            &app,
            "SELECT CAST(count(DISTINCT sort_key) AS TEXT) FROM partners"
        )
        .await
        .remove(0),
        "2000"
    );
}
