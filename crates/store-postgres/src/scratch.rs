//! Scratch databases for tests: each test gets its own database on the test server and drops it afterwards.
//!
//! The server is `INFORCE_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`). When it
//! cannot be reached the test is skipped with a printed reason, unless `INFORCE_REQUIRE_POSTGRES=1` (set by CI),
//! which turns the skip into a failure.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, PgConnection};

/// The default test server.
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists until this value is dropped (or [`ScratchDatabase::drop_now`] is awaited).
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    /// The URL of the scratch database.
    pub url: String,
}

/// The test server's URL: `INFORCE_TEST_POSTGRES_URL`, else [`DEFAULT_ADMIN_URL`].
pub fn admin_url() -> String {
    std::env::var("INFORCE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.into())
}

/// Whether the test server answers: its URL, and why not if it does not. Only reports (never skips or panics).
pub async fn probe() -> (String, Result<(), String>) {
    let admin_url = admin_url();
    let answer = match PgConnection::connect(&admin_url).await {
        Ok(connection) => connection.close().await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    (admin_url, answer)
}

impl ScratchDatabase {
    /// Creates a fresh empty database; `None` (after printing why) when PostgreSQL is absent and not required.
    pub async fn create(label: &str) -> Option<Self> {
        let admin_url = admin_url();
        let mut admin = match PgConnection::connect(&admin_url).await {
            Ok(connection) => connection,
            Err(e) => {
                let reason = format!("PostgreSQL at {admin_url} is not reachable: {e}");
                if std::env::var("INFORCE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                    panic!("{reason} (INFORCE_REQUIRE_POSTGRES=1)");
                }
                println!("skipped {label}: {reason}; set INFORCE_TEST_POSTGRES_URL to run it");
                return None;
            }
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "inforce_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            label.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>().to_lowercase()
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create scratch database {name}: {e}"));
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        Some(Self { admin_url, name, url })
    }

    /// Drops the database now (closing other sessions on it).
    pub async fn drop_now(&self) {
        if let Ok(mut admin) = PgConnection::connect(&self.admin_url).await {
            let _ =
                sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin).await;
        }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        // Tests may end without awaiting drop_now (a panic, a synchronous test); clean up on a thread of our own.
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            runtime.block_on(async {
                if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
                }
            });
        })
        .join();
    }
}
