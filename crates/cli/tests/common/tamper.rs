//! Writing into a sandbox's SQLite database behind inforce's back, as someone with the file would.

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use super::Sandbox;

/// Runs `sql` on the sandbox's database with its triggers dropped and foreign keys off.
pub fn tamper(sandbox: &Sandbox, sql: &[&str]) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let pool = pool(sandbox).await;
        for statement in sql {
            sqlx::query(statement).execute(&pool).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
        pool.close().await;
    });
}

/// A connection to the sandbox's database with its append-only triggers dropped and foreign keys off.
pub async fn pool(sandbox: &Sandbox) -> SqlitePool {
    let options = SqliteConnectOptions::new().filename(sandbox.db()).foreign_keys(false);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("open");
    let triggers: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .fetch_all(&pool)
        .await
        .expect("triggers");
    for trigger in triggers {
        sqlx::query(&format!("DROP TRIGGER {trigger}")).execute(&pool).await.expect("drop trigger");
    }
    pool
}
