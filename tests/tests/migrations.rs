//! Every migration goes up on an empty database, down to zero, and up again, on whichever
//! database the run uses (SQLite by default, PostgreSQL with `LIAISON_TEST_DATABASE`).

use liaison::store as db;
use liaison_tests::TestDb;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn tables(db: &DatabaseConnection, is_postgres: bool) -> Vec<String> {
    let sql = if is_postgres {
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect()
}

#[tokio::test]
async fn migrations_go_up_down_to_zero_and_up_again() {
    let test_db = TestDb::new().await.unwrap();
    let pg = test_db.is_postgres();
    let conn = db::connect(&test_db.url, 1).await.unwrap();
    assert!(tables(&conn, pg).await.is_empty(), "starts empty");

    Migrator::up(&conn, None).await.unwrap();
    let all = tables(&conn, pg).await;
    for table in [
        "users",
        "sessions",
        "api_tokens",
        "login_attempts",
        "partners",
        "partner_tags",
        "contacts",
        "activities",
        "activity_contacts",
    ] {
        assert!(
            all.contains(&table.to_owned()),
            "{table} missing after up: {all:?}"
        );
    }
    assert!(
        Migrator::get_pending_migrations(&conn)
            .await
            .unwrap()
            .is_empty()
    );

    Migrator::down(&conn, None).await.unwrap();
    assert_eq!(
        tables(&conn, pg).await,
        ["seaql_migrations"],
        "down leaves only the bookkeeping table"
    );

    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(tables(&conn, pg).await, all);
    conn.close().await.unwrap();
}

#[tokio::test]
async fn opening_a_fresh_sqlite_folder_creates_it_and_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}",
        dir.path().join("nested/data/liaison.db").display()
    );
    let conn = db::open(&url, 1).await.unwrap();
    assert!(tables(&conn, false).await.contains(&"partners".to_owned()));
    assert!(dir.path().join("nested/data/liaison.db").exists());
}
