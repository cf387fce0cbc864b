//! Backup and restore of the whole database: SQLite through `VACUUM INTO`
//! (a consistent copy taken while the server runs), PostgreSQL through
//! pg_dump / pg_restore in their custom format.

use crate::store::{Db, redact};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The file an `sqlite://` URL names.
fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .context("not an sqlite URL")?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        bail!("an in-memory database cannot be backed up");
    }
    Ok(PathBuf::from(path))
}

/// pg_dump / pg_restore from PATH, or the newest server's bin directory.
fn pg_tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.into_iter()
        .rev()
        .map(|d| d.join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

fn run(mut cmd: Command, what: &str) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("cannot run {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Writes a backup of the database at `url` to `out` (which must not exist).
pub async fn backup(url: &str, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!("{} already exists", out.display());
    }
    if url.starts_with("sqlite:") {
        let db = Db::connect(url)
            .await
            .with_context(|| format!("cannot open {}", redact(url)))?;
        let target = out.to_str().context("backup path is not valid UTF-8")?;
        if let Db::Sqlite(p) = &db {
            sqlx::query("VACUUM INTO $1")
                .bind(target)
                .execute(p)
                .await
                .context("VACUUM INTO failed")?;
        }
        db.close().await;
        Ok(())
    } else {
        let mut cmd = Command::new(pg_tool("pg_dump"));
        cmd.arg("--format=custom")
            .arg("--no-owner")
            .arg("--file")
            .arg(out)
            .arg(url);
        run(cmd, "pg_dump")
    }
}

/// Replaces the database at `url` with the backup `from`. Stop the server first.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    if !from.exists() {
        bail!("{} does not exist", from.display());
    }
    if url.starts_with("sqlite:") {
        // Check the backup opens as a chibo database before touching anything.
        use sqlx::Connection;
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(from)
            .read_only(true);
        let mut probe = sqlx::SqliteConnection::connect_with(&opts)
            .await
            .context("the backup is not an SQLite database")?;
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&mut probe)
            .await
            .context("the backup is not a chibo database")?;
        probe.close().await?;
        let target = sqlite_path(url)?;
        let tmp = target.with_extension("restoring");
        std::fs::copy(from, &tmp).context("cannot copy the backup")?;
        // The old write-ahead log must not be replayed onto the restored file.
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        std::fs::rename(&tmp, &target).context("cannot replace the database file")?;
        Ok(())
    } else {
        let mut cmd = Command::new(pg_tool("pg_restore"));
        cmd.arg("--clean")
            .arg("--if-exists")
            .arg("--no-owner")
            .arg("--single-transaction")
            .arg("--dbname")
            .arg(url)
            .arg(from);
        run(cmd, "pg_restore")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite://chibo.db?mode=rwc").unwrap(),
            PathBuf::from("chibo.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db").unwrap(),
            PathBuf::from("/tmp/x.db")
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
    }
}
