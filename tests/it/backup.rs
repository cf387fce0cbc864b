//! `chibo backup` and `chibo restore` round-trip on both databases.

use crate::both_backends;
use crate::support::{Backend, fixture, fresh_url, frozen_clock};
use chibo::app::AppState;
use chibo::store::{Db, member::StatusFilter};

async fn count(db: &Db, root: chibo::domain::ids::OrgId) -> i64 {
    let q = chibo::store::member::ListQuery {
        root: chibo::store::org::Root::subtree(root),
        on: jiff::civil::date(2026, 11, 23),
        q: "",
        status: StatusFilter::All,
        limit: 1,
        offset: 0,
    };
    chibo::store::member::list(db, &q).await.expect("list").1
}

async fn backup_and_restore_round_trip(b: Backend) {
    let (url, dir) = fresh_url(b).await;
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let app = AppState::new(db.clone()).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    assert_eq!(count(&db, fx.root).await, 6);
    let out_dir = tempfile::tempdir().expect("tempdir");
    let file = out_dir.path().join("chibo.backup");
    chibo::backup::backup(&url, &file).await.expect("backup");
    assert!(
        chibo::backup::backup(&url, &file).await.is_err(),
        "never overwrites a backup"
    );
    // Changes after the backup…
    crate::support::member(&app, fx.cell1, "Vũ Văn Mới", "Nam", "99999999").await;
    assert_eq!(count(&db, fx.root).await, 7);
    db.close().await;
    // …are gone after the restore, and the data is whole.
    chibo::backup::restore(&url, &file).await.expect("restore");
    let db = Db::connect(&url).await.expect("reconnect");
    assert_eq!(count(&db, fx.root).await, 6);
    db.close().await;
    drop(dir);
}

both_backends!(backup_and_restore_round_trip);
