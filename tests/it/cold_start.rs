//! The national statistics filled ahead (issue 14, `service::warm`): after a
//! fill on bulk-loaded data the root's rows are valid for today, reads are
//! served from them, a write still makes the next read fresh, and a day
//! change is filled for the new day (both databases).

use crate::both_backends;
use crate::support::{Backend, fixture, fresh_db, frozen_clock, member};
use chibo::app::{AppState, Clock};
use chibo::domain::ids::OrgId;
use chibo::service::{self, Caller, warm};
use chibo::store::Db;

async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .expect(sql);
}

async fn count(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await,
    }
    .expect(sql)
}

/// The root's rollup rows valid now (current epoch) and stamped for `day`:
/// its member row and its year of meetings when both are ready.
async fn ready_rows(app: &AppState, root: OrgId, day: &str) -> i64 {
    count(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM stats_rollup r LEFT JOIN stats_epoch e ON e.org_id = r.org_id \
             WHERE r.org_id = {} AND r.epoch = COALESCE(e.epoch, 0) \
             AND (r.stamp = '{day}' OR r.stamp LIKE '%|{day}')",
            root.0
        ),
    )
    .await
}

/// Nodes below the root whose signal counts for the year are valid now.
async fn ready_signal_rows(app: &AppState, year: i16) -> i64 {
    count(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM signal_count s LEFT JOIN stats_epoch e ON e.org_id = s.org_id \
             WHERE s.span = '{year}-01-01/{year}-12-31' AND s.epoch = COALESCE(e.epoch, 0)"
        ),
    )
    .await
}

async fn members_at(app: &AppState, org: OrgId) -> i64 {
    let today = app.clock.today();
    service::org::stats(app, &Caller::system("test"), org, today)
        .await
        .expect("stats")
        .members
}

async fn the_fill_keeps_the_national_statistics_ready(backend: Backend) {
    let (db, _dir) = fresh_db(backend).await;
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    // As after a bulk load (generate, restore of an old backup): no rollup.
    exec(&app.db, "DELETE FROM stats_rollup").await;
    exec(&app.db, "DELETE FROM signal_count").await;
    assert_eq!(ready_rows(&app, fx.root, "2026-11-23").await, 0);

    let filled = warm::fill(&app).await.expect("fill");
    assert_eq!(filled.roots, 1, "the fixture has one root");
    assert_eq!(filled.day.to_string(), "2026-11-23");
    assert_eq!(ready_rows(&app, fx.root, "2026-11-23").await, 2);
    // Every cell keeps its own rows too (both measures), so a commune's
    // first recount after a write counts only the cell written. On a tree
    // this small the root's pass already stored them; the fill stores those
    // missing, as after a bulk pass on a large tree.
    for cell in [fx.cell1, fx.cell2] {
        assert_eq!(
            ready_rows(&app, cell, "2026-11-23").await,
            2,
            "cell {}",
            cell.0
        );
    }
    const LEAVES: &str = "FROM org o WHERE NOT EXISTS \
        (SELECT 1 FROM org_version v WHERE v.parent_id = o.id)";
    let cells = count(&app.db, &format!("SELECT COUNT(*) {LEAVES}")).await;
    assert!(cells > 1);
    exec(
        &app.db,
        &format!("DELETE FROM stats_rollup WHERE org_id IN (SELECT o.id {LEAVES})"),
    )
    .await;
    let refilled = warm::fill(&app).await.expect("fill of the cells");
    assert_eq!(refilled.cells as i64, 2 * cells, "{refilled:?}");
    assert_eq!(ready_rows(&app, fx.cell2, "2026-11-23").await, 2);
    let below = count(&app.db, "SELECT COUNT(*) FROM org").await - 1;
    assert!(filled.signals_recounted as i64 >= below, "{filled:?}");
    assert_eq!(ready_signal_rows(&app, 2026).await, below);

    // A second fill finds everything valid and recounts nothing.
    let again = warm::fill(&app).await.expect("second fill");
    assert_eq!(again.signals_recounted, 0);
    assert_eq!(again.cells, 0);

    // Reads are served from the filled rows: a change that bypasses the
    // service (and so the epochs) is not seen.
    let members = members_at(&app, fx.root).await;
    assert!(members > 0);
    let religious = || async {
        service::org::stats(&app, &Caller::system("test"), fx.root, app.clock.today())
            .await
            .expect("stats")
            .religious_members
    };
    let before = religious().await;
    exec(
        &app.db,
        &format!(
            "UPDATE member SET religion = 'Phật giáo' WHERE id = {}",
            fx.an.0
        ),
    )
    .await;
    assert_eq!(religious().await, before, "served from the filled rows");

    // The dashboard's signal section is read from the filled counts, not
    // announced as being counted.
    let dash =
        service::dashboard::dashboard(&app, &Caller::system("test"), fx.root, &Default::default())
            .await
            .expect("dashboard");
    let text = serde_json::to_string(&dash.sections).expect("json");
    assert!(!text.contains("Đang đếm"), "{text}");

    // A write after the fill: the next read is fresh.
    member(&app, fx.cell2, "Vũ Thị Mai", "Nữ", "10000099").await;
    assert_eq!(members_at(&app, fx.root).await, members + 1);
    assert_eq!(ready_rows(&app, fx.root, "2026-11-23").await, 1);
    warm::fill(&app).await.expect("fill after the write");
    assert_eq!(ready_rows(&app, fx.root, "2026-11-23").await, 2);

    // The evening before a day change the server fills the next day's rows;
    // today's stay (the daily rows take turns), so both days are ready.
    let midnight = warm::next_day(&app.clock).expect("next day");
    let next = app.clone().with_clock(Clock::Fixed(midnight));
    assert_eq!(next.clock.today().to_string(), "2026-11-24");
    assert_eq!(ready_rows(&next, fx.root, "2026-11-24").await, 0);
    let filled = warm::fill(&next).await.expect("fill ahead of the new day");
    assert_eq!(filled.day.to_string(), "2026-11-24");
    assert_eq!(ready_rows(&next, fx.root, "2026-11-24").await, 2);
    assert_eq!(ready_rows(&app, fx.root, "2026-11-23").await, 2);
    // The new day's first read is served from those rows: a change behind
    // the service's back after the fill is not seen.
    let religious_on = |a: AppState| async move {
        let today = a.clock.today();
        service::org::stats(&a, &Caller::system("test"), fx.root, today)
            .await
            .expect("stats")
            .religious_members
    };
    let filled_religious = religious_on(next.clone()).await;
    assert!(filled_religious.unwrap_or(0) >= 1, "{filled_religious:?}");
    exec(
        &app.db,
        &format!("UPDATE member SET religion = '' WHERE id = {}", fx.an.0),
    )
    .await;
    assert_eq!(religious_on(next.clone()).await, filled_religious);
    // And the figures equal those counted afresh.
    let served = members_at(&next, fx.root).await;
    assert_eq!(served, members + 1);
    exec(&next.db, "DELETE FROM stats_rollup").await;
    assert_eq!(members_at(&next, fx.root).await, served, "same as afresh");
}

both_backends!(the_fill_keeps_the_national_statistics_ready);
