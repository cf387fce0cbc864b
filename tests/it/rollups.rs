//! Statistics served from rollups equal the statistics computed afresh, after
//! every kind of write that can change them (both databases).

use crate::both_backends;
use crate::support::{Backend, fixture, fresh_db, frozen_clock, member};
use chibo::app::AppState;
use chibo::domain::ids::OrgId;
use chibo::service::meeting::{AttendanceEntry, AttendanceInput, NewMeetingInput};
use chibo::service::member::TransferInput;
use chibo::service::org::OrgChange;
use chibo::service::{self, Caller};
use chibo::store::Db;
use jiff::civil::date;

async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .expect(sql);
}

async fn rollup_rows(db: &Db) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM stats_rollup";
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(SQL).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_scalar(SQL).fetch_one(p).await,
    }
    .expect("count")
}

/// Both statistics of `org` as JSON, for today and for the year.
async fn figures(app: &AppState, org: OrgId) -> serde_json::Value {
    // Without the process's memo of node reads: these figures must come
    // from the rollup rows (or their recount), which is what is tested here.
    let app = &AppState {
        nodes: Default::default(),
        ..app.clone()
    };
    let caller = Caller::system("test");
    let today = app.clock.today();
    let stats = service::org::stats(app, &caller, org, today)
        .await
        .expect("stats");
    let meetings = service::meeting::meeting_stats(app, &caller, org, 2026)
        .await
        .expect("meeting stats");
    serde_json::json!({"org": stats, "meetings": meetings})
}

/// Reads every level (served from, or filling, the rollups), then compares
/// with the same figures computed with the rollups thrown away.
async fn assert_fresh(app: &AppState, nodes: &[OrgId], step: &str) {
    let mut served = Vec::new();
    for n in nodes {
        served.push(figures(app, *n).await);
    }
    assert!(rollup_rows(&app.db).await > 0, "{step}: no rollup kept");
    exec(&app.db, "DELETE FROM stats_rollup").await;
    for (n, s) in nodes.iter().zip(&served) {
        assert_eq!(s, &figures(app, *n).await, "{step}: node {}", n.0);
    }
}

async fn create(app: &AppState, parent: OrgId, name: &str, kind: &str, cell_type: &str) -> OrgId {
    let change = OrgChange {
        name: name.into(),
        kind: kind.into(),
        cell_type: cell_type.into(),
        effective_on: "01/01/2020".into(),
        ..Default::default()
    };
    service::org::create(app, &Caller::system("test"), parent, &change)
        .await
        .expect("create org")
}

async fn rollups_follow_every_write(backend: Backend) {
    let (db, _dir) = fresh_db(backend).await;
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    let caller = Caller::system("test");
    // More stale branches under the district than are recomputed one by one:
    // its first reading takes the bulk path, later ones the incremental one.
    for (i, name) in [
        "Lý Văn Một",
        "Lý Văn Hai",
        "Lý Văn Ba",
        "Lý Văn Bốn",
        "Lý Văn Năm",
    ]
    .into_iter()
    .enumerate()
    {
        let commune = create(
            &app,
            fx.district,
            &format!("Đảng bộ xã {i}"),
            "base_committee",
            "",
        )
        .await;
        let cell = create(&app, commune, &format!("Chi bộ thôn {i}"), "cell", "rural").await;
        member(&app, cell, name, "Nam", &format!("2000000{i}")).await;
    }
    let levels = [
        fx.root,
        fx.province,
        fx.district,
        fx.commune,
        fx.other_district,
    ];
    assert_fresh(&app, &levels, "cold").await;
    let before = figures(&app, fx.root).await;

    // A change that bypasses the service (and so the epochs) is not seen:
    // the figures really come from the rollup rows.
    exec(
        &app.db,
        &format!(
            "UPDATE member SET religion = 'Phật giáo' WHERE id = {}",
            fx.an.0
        ),
    )
    .await;
    assert_eq!(
        figures(&app, fx.root).await,
        before,
        "served from the rollup"
    );
    exec(&app.db, "DELETE FROM stats_rollup").await;
    let religious = figures(&app, fx.root).await["org"]["religious_members"].as_i64();
    assert_eq!(religious, Some(1), "recomputed once the rollup is gone");
    assert_fresh(&app, &levels, "after a direct update").await;

    member(&app, fx.cell2, "Vũ Thị Mai", "Nữ", "10000099").await;
    assert_fresh(&app, &levels, "member created").await;

    let transfer = TransferInput {
        to_org_id: Some(fx.other_cell.0),
        kind: "permanent".into(),
        on: "2026-11-20".into(),
        ..Default::default()
    };
    service::member::transfer(&app, &caller, fx.ha, &transfer)
        .await
        .expect("transfer");
    assert_fresh(&app, &levels, "member transferred").await;

    let meeting = service::meeting::create(
        &app,
        &caller,
        fx.cell1,
        &NewMeetingInput {
            kind: "regular".into(),
            date: "2026-11-03".into(),
            ..Default::default()
        },
    )
    .await
    .expect("meeting");
    let present = |id: i64, spoke: bool| AttendanceEntry {
        member_id: id,
        presence: "present".into(),
        reason: String::new(),
        spoke,
    };
    service::meeting::set_attendance(
        &app,
        &caller,
        meeting,
        &AttendanceInput {
            entries: vec![present(fx.an.0, true)],
            ..Default::default()
        },
    )
    .await
    .expect("attendance");
    let held = figures(&app, fx.root).await;
    assert_eq!(held["meetings"]["held"].as_i64(), Some(1), "{held}");
    // The roll call's totals are kept on the meeting, equal to its rows.
    let sql = format!(
        "SELECT present_count, convened_count, speaker_count, \
         (SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = m.id AND a.presence = 'present') \
         FROM meeting m WHERE id = {meeting}"
    );
    let kept: (i32, i32, i32, i64) = match &app.db {
        Db::Sqlite(p) => sqlx::query_as(&sql).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(&sql).fetch_one(p).await,
    }
    .expect("tally");
    assert_eq!(kept, (1, 1, 1, 1));
    assert_fresh(&app, &levels, "meeting held").await;

    let move_cell = OrgChange {
        target_id: Some(fx.other_commune.0),
        effective_on: "2026-11-21".into(),
        ..Default::default()
    };
    service::org::move_to(&app, &caller, fx.cell2, &move_cell)
        .await
        .expect("move");
    assert_fresh(&app, &levels, "cell moved to another district").await;

    let merge = OrgChange {
        target_id: Some(fx.cell1.0),
        effective_on: "2026-11-22".into(),
        ..Default::default()
    };
    service::org::merge(&app, &caller, fx.other_cell, &merge)
        .await
        .expect("merge");
    assert_fresh(&app, &levels, "cell merged across districts").await;

    // A month end keeps its own row beside today's; both stay exact.
    let past = date(2026, 10, 31);
    let then = service::org::stats(&app, &caller, fx.root, past)
        .await
        .expect("past");
    let now = figures(&app, fx.root).await;
    assert_eq!(
        service::org::stats(&app, &caller, fx.root, past)
            .await
            .expect("past")
            .members,
        then.members
    );
    assert_eq!(figures(&app, fx.root).await, now);
    exec(&app.db, "DELETE FROM stats_rollup").await;
    let again = service::org::stats(&app, &caller, fx.root, past)
        .await
        .expect("past");
    assert_eq!(
        serde_json::json!(again),
        serde_json::json!(then),
        "figures on {past}"
    );
}

/// Writes spread over many branches, as on the evening of a month (issue 14
/// point 6): more stale branch children than are recomputed one by one, but
/// only half the nodes below them stale, so the figures are recomputed node
/// by node instead of in bulk; they must equal a recount from scratch.
async fn rollups_recount_spread_writes_node_by_node(backend: Backend) {
    let (db, _dir) = fresh_db(backend).await;
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    let mut first_cells = Vec::new();
    for i in 0..6 {
        let commune = create(
            &app,
            fx.district,
            &format!("Đảng bộ xã {i}"),
            "base_committee",
            "",
        )
        .await;
        for j in 0..2 {
            let part = create(
                &app,
                commune,
                &format!("Đảng bộ bộ phận {i}.{j}"),
                "partial_committee",
                "",
            )
            .await;
            let cell = create(&app, part, &format!("Chi bộ {i}.{j}"), "cell", "rural").await;
            member(&app, cell, "Lý Văn Một", "Nam", &format!("300{i}{j}000")).await;
            if j == 0 {
                first_cells.push(cell);
            }
        }
    }
    let levels = [fx.root, fx.province, fx.district];
    assert_fresh(&app, &levels, "cold").await;
    for n in levels {
        figures(&app, n).await;
    }
    // Six communes stale (over the limit of four), six of their twelve
    // partial committees stale: not mostly stale.
    for (i, cell) in first_cells.iter().enumerate() {
        member(&app, *cell, "Lý Thị Hai", "Nữ", &format!("400{i}0000")).await;
    }
    let before = rollup_rows(&app.db).await;
    let served = figures(&app, fx.district).await;
    assert_eq!(
        served["org"]["members"].as_i64().map(|n| n >= 18),
        Some(true),
        "{served}"
    );
    assert!(rollup_rows(&app.db).await >= before);
    assert_fresh(&app, &levels, "writes spread over six communes").await;
}

/// Readers of every level at once, after writes made them stale, each
/// recount what they find stale: all get the figures of a recount from
/// scratch, and none waits forever.
async fn concurrent_readers_get_the_figures_of_a_recount(backend: Backend) {
    let (db, _dir) = fresh_db(backend).await;
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    let levels = [fx.root, fx.province, fx.district, fx.commune];
    for n in levels {
        figures(&app, n).await;
    }
    member(&app, fx.cell2, "Lý Thị Hai", "Nữ", "40000001").await;
    member(&app, fx.other_cell, "Lý Thị Ba", "Nữ", "40000002").await;
    let readers = levels.iter().cycle().take(16).map(|n| figures(&app, *n));
    let served = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        futures_util::future::join_all(readers),
    )
    .await
    .expect("every reader answered");
    exec(&app.db, "DELETE FROM stats_rollup").await;
    for (n, s) in levels.iter().cycle().zip(&served) {
        assert_eq!(s, &figures(&app, *n).await, "node {}", n.0);
    }
}

/// Readers of every level while members are added (docs/rules.md "Rollups
/// under writes"): each answer holds every member acknowledged before the
/// read began, though the readers wait on each other's recounts and take
/// rows stored while writes went on; the last answers equal a recount.
async fn readers_during_writes_see_every_write_before_them(backend: Backend) {
    use std::sync::atomic::{AtomicI64, Ordering};
    let (db, _dir) = fresh_db(backend).await;
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    // Every level above the two cells written.
    let levels = [fx.root, fx.province, fx.district, fx.commune];
    let members = |v: &serde_json::Value| v["org"]["members"].as_i64().expect("members");
    let mut before = std::collections::HashMap::new();
    for n in levels {
        before.insert(n, members(&figures(&app, n).await));
    }
    let added = std::sync::Arc::new(AtomicI64::new(0));
    const WRITES: i64 = 12;
    let writer = {
        let (app, added) = (app.clone(), added.clone());
        async move {
            for i in 0..WRITES {
                let cell = if i % 2 == 0 { fx.cell2 } else { fx.cell1 };
                member(&app, cell, "Lý Thị Hai", "Nữ", &format!("5000{i:04}")).await;
                added.fetch_add(1, Ordering::SeqCst);
            }
        }
    };
    let reader = |n: OrgId| {
        let (app, added, before) = (app.clone(), added.clone(), before[&n]);
        async move {
            let mut reads = 0;
            loop {
                let acked = added.load(Ordering::SeqCst);
                let seen = members(&figures(&app, n).await);
                assert!(
                    seen >= before + acked,
                    "node {}: {seen} members, {acked} added before the read",
                    n.0
                );
                reads += 1;
                if acked == WRITES {
                    return reads;
                }
            }
        }
    };
    let readers = futures_util::future::join_all(levels.iter().cycle().take(8).map(|n| reader(*n)));
    let (_, reads) = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        futures_util::future::join(writer, readers),
    )
    .await
    .expect("the writer and every reader finished");
    assert!(reads.iter().all(|r| *r > 0));
    for n in levels {
        assert_eq!(
            members(&figures(&app, n).await),
            before[&n] + WRITES,
            "node {}: every member counted",
            n.0
        );
    }
    assert_fresh(&app, &levels, "after the writes").await;
}

/// A commune's recount sums its cells' kept rows and counts only the cells
/// written since (docs/rules.md "Rollups under writes"): the row of a cell
/// nobody wrote, altered behind the service's back at its epoch, shows in the
/// commune's figures, and the member added to the other cell is counted.
async fn a_commune_recounts_only_the_cells_written_since(backend: Backend) {
    let (db, _dir) = fresh_db(backend).await;
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    let members = |v: serde_json::Value| v["org"]["members"].as_i64().expect("members");
    let before = members(figures(&app, fx.commune).await);
    let in_cell2 = members(figures(&app, fx.cell2).await);
    exec(
        &app.db,
        &format!(
            "UPDATE stats_rollup SET body = '{{\"member:official:0\":1000}}' \
             WHERE org_id = {} AND family LIKE 'org:%'",
            fx.cell2.0
        ),
    )
    .await;
    member(&app, fx.cell1, "Lý Thị Hai", "Nữ", "40000001").await;
    assert_eq!(
        members(figures(&app, fx.commune).await),
        before - in_cell2 + 1000 + 1,
        "the kept row of the cell not written, the count of the cell written"
    );
}

both_backends!(
    a_commune_recounts_only_the_cells_written_since,
    rollups_follow_every_write,
    rollups_recount_spread_writes_node_by_node,
    concurrent_readers_get_the_figures_of_a_recount,
    readers_during_writes_see_every_write_before_them
);
