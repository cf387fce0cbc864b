//! The seed on a real SQLite database: the figures of domain.md §10.1 on the
//! seed date, the reform after it, the accounts.

use super::*;
use crate::domain::member::MemberStatus;
use crate::store::stats::{SubtreeCounts, subtree_counts};
use std::collections::HashSet;

/// A migrated SQLite database in a file of its own, removed on drop.
struct TempDb {
    path: std::path::PathBuf,
}

impl TempDb {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self {
            path: std::env::temp_dir()
                .join(format!("chibo-demo-{}-{nanos}.db", std::process::id())),
        }
    }
    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.path.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

async fn org_id(db: &Db, name: &str) -> OrgId {
    crate::on_db!(db, |p| sqlx::query_scalar(
        "SELECT org_id FROM org_version WHERE name = $1 LIMIT 1"
    )
    .bind(name)
    .fetch_one(p)
    .await)
    .unwrap()
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    crate::on_db!(db, |p| sqlx::query_scalar(sql).fetch_one(p).await).unwrap()
}

fn nodes(c: &SubtreeCounts, kind: &str, cell_type: Option<&str>) -> i64 {
    c.nodes
        .iter()
        .filter(|(k, t, _)| k == kind && (cell_type.is_none() || t.as_deref() == cell_type))
        .map(|(_, _, n)| n)
        .sum()
}

/// (active members, religious active members).
fn members(c: &SubtreeCounts) -> (i64, i64) {
    let active = |s: &str| MemberStatus::from_code(s).is_some_and(MemberStatus::is_active);
    let all = c
        .members
        .iter()
        .filter(|(s, _, _)| active(s))
        .map(|(_, _, n)| n)
        .sum();
    let religious = c
        .members
        .iter()
        .filter(|(s, r, _)| active(s) && *r)
        .map(|(_, _, n)| n)
        .sum();
    (all, religious)
}

#[tokio::test]
async fn seed_reproduces_the_figures_on_sqlite() {
    let tmp = TempDb::new();
    let db = Db::connect(&tmp.url()).await.unwrap();
    db.migrate().await.unwrap();
    check_seed(db).await;
}

/// The same on PostgreSQL (`scripts/test` sets CHIBO_TEST_PG), in a database
/// of its own that is dropped afterwards.
#[tokio::test]
async fn seed_reproduces_the_figures_on_postgres() {
    let admin_url = std::env::var("CHIBO_TEST_PG").expect(
        "CHIBO_TEST_PG is not set: run the tests with scripts/test, which starts PostgreSQL",
    );
    let name = format!("chibo_demo_{:016x}", rand::random::<u64>());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
    db.migrate().await.unwrap();
    check_seed(db).await;
    sqlx::query(&format!("DROP DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}

async fn check_seed(db: Db) {
    let app = AppState::new(db.clone());

    let started = std::time::Instant::now();
    let summary = seed(&app).await.unwrap().expect("empty database is seeded");
    eprintln!(
        "demo seed on {}: {summary:?} in {:?}",
        db.backend(),
        started.elapsed()
    );
    assert_eq!(summary.users, 5);
    assert_eq!(
        summary.orgs as i64,
        scalar(&db, "SELECT COUNT(*) FROM org").await
    );
    assert_eq!(
        summary.members as i64,
        scalar(&db, "SELECT COUNT(*) FROM member").await
    );
    assert!(
        seed(&app).await.unwrap().is_none(),
        "a second seed does nothing"
    );

    // domain.md §10.1, counted on the seed date.
    let kim_son = subtree_counts(&db, org_id(&db, ORG_KIM_SON).await, SEED_DATE)
        .await
        .unwrap();
    assert_eq!(nodes(&kim_son, "base_committee", None), 30);
    assert_eq!(nodes(&kim_son, "base_cell", None), 46);
    assert_eq!(nodes(&kim_son, "cell", None), 462);
    assert_eq!(members(&kim_son), (7575, 780));
    let ban_hon = subtree_counts(&db, org_id(&db, ORG_BAN_HON).await, SEED_DATE)
        .await
        .unwrap();
    assert_eq!(nodes(&ban_hon, "cell", None), 13);
    assert_eq!(nodes(&ban_hon, "cell", Some("rural")), 9);
    assert_eq!(nodes(&ban_hon, "cell", Some("school")), 3);
    assert_eq!(nodes(&ban_hon, "cell", Some("health")), 1);
    assert_eq!(members(&ban_hon).0, 166);
    let lam_son = subtree_counts(&db, org_id(&db, ORG_LAM_SON).await, SEED_DATE)
        .await
        .unwrap();
    assert_eq!(nodes(&lam_son, "cell", None), 13);
    assert_eq!(nodes(&lam_son, "cell", Some("rural")), 8);
    assert_eq!(members(&lam_son).0, 335);
    let bloc = subtree_counts(&db, org_id(&db, ORG_BLOC).await, SEED_DATE)
        .await
        .unwrap();
    assert_eq!(nodes(&bloc, "base_committee", None), 71);
    assert_eq!(nodes(&bloc, "cell", None), 295);
    assert_eq!(members(&bloc).0, 3412);
    let exempt: i64 = kim_son
        .members
        .iter()
        .filter(|(s, _, _)| s == "exempt")
        .map(|(_, _, n)| n)
        .sum();
    assert!((75..=460).contains(&exempt), "a few % exempt: {exempt}");

    // After the reform: districts closed, communes under their provinces.
    let after = date(2025, 7, 2);
    let kim_son_id = org_id(&db, ORG_KIM_SON).await;
    assert!(
        store::org::get_at(&db, kim_son_id, after)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store::org::get_latest(&db, kim_son_id)
            .await
            .unwrap()
            .dissolved_on(),
        Some(REFORM_DATE)
    );
    let ban_hon_now = store::org::get_at(&db, org_id(&db, ORG_BAN_HON).await, after)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ban_hon_now.parent_id, Some(org_id(&db, ORG_LAI_CHAU).await));
    let ninh_binh = subtree_counts(&db, org_id(&db, ORG_NINH_BINH).await, after)
        .await
        .unwrap();
    assert_eq!(
        nodes(&ninh_binh, "base_committee", None) + nodes(&ninh_binh, "base_cell", None),
        76
    );
    assert_eq!(nodes(&ninh_binh, "district", None), 0);
    let lam_son_now = subtree_counts(&db, org_id(&db, ORG_LAM_SON).await, after)
        .await
        .unwrap();
    assert_eq!(
        nodes(&lam_son_now, "cell", None),
        12,
        "one hamlet cell merged"
    );
    let merged = store::org::get_latest(&db, org_id(&db, "Chi bộ xóm Đồng Sương").await)
        .await
        .unwrap();
    assert_eq!(
        merged.successor_id,
        Some(org_id(&db, "Chi bộ xóm Đồng Bến").await)
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM org_event WHERE kind = 'move'").await,
        78
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM org_event WHERE kind = 'dissolve'"
        )
        .await,
        3
    );
    let (now_members, _) = members(&lam_son_now);
    assert_ne!(
        now_members, 335,
        "later admissions and deaths change today's figures"
    );

    // Histories are contiguous, with one open status matching the member row.
    let gaps = "SELECT COUNT(*) FROM member_status s WHERE s.valid_to IS NOT NULL AND NOT EXISTS \
                (SELECT 1 FROM member_status n WHERE n.member_id = s.member_id AND n.valid_from = s.valid_to)";
    assert_eq!(scalar(&db, gaps).await, 0);
    let open = "SELECT COUNT(*) FROM member m WHERE (SELECT COUNT(*) FROM member_status s \
                WHERE s.member_id = m.id AND s.valid_to IS NULL AND s.status = m.status) <> 1";
    assert_eq!(scalar(&db, open).await, 0);
    let homes = "SELECT COUNT(*) FROM member m WHERE (SELECT COUNT(*) FROM member_placement p \
                 WHERE p.member_id = m.id AND p.valid_to IS NULL AND p.org_id = m.cell_id) <> 1";
    assert_eq!(scalar(&db, homes).await, 0);
    let seed_members = 7575 + 166 + 335 + 3412;
    let deceased = scalar(&db, "SELECT COUNT(*) FROM member WHERE status = 'deceased'").await;
    assert_eq!(deceased, seed_members * 2 / 100, "2% died");
    assert_eq!(
        summary.members as i64,
        seed_members + seed_members * 3 / 100,
        "3% joined"
    );
    let cards = scalar(&db, "SELECT COUNT(DISTINCT card_number) FROM member").await;
    assert_eq!(cards as usize, summary.members);

    // The people the UI tests look for.
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM member WHERE name_key LIKE '%nguyen van an%'"
        )
        .await,
        1
    );
    let ban_hon_id = org_id(&db, ORG_BAN_HON).await;
    let in_ban_hon = |name: &str| {
        format!(
            "SELECT COUNT(*) FROM member m JOIN org_version v ON v.org_id = m.cell_id AND v.valid_to IS NULL \
             WHERE v.parent_id = {} AND m.name_key LIKE '%{name}%'",
            ban_hon_id.0
        )
    };
    assert_eq!(scalar(&db, &in_ban_hon("dang")).await, 1);
    assert_eq!(scalar(&db, &in_ban_hon("lo van pha")).await, 1);
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM member WHERE full_name = 'Nguyễn Thế Hùng'"
        )
        .await,
        1
    );

    // Accounts.
    let dong_pao = org_id(&db, ORG_DONG_PAO).await;
    for name in [
        "admin",
        "kimson",
        "banhon",
        "bithu.banhon",
        "dangvien.banhon",
    ] {
        assert!(
            store::user::by_username(&db, name).await.unwrap().is_some(),
            "{name}"
        );
    }
    let secretary = store::user::by_username(&db, "bithu.banhon")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store::user::grants(&db, secretary.id).await.unwrap(),
        vec![("secretary".to_string(), dong_pao)]
    );
    let ordinary = store::user::by_username(&db, "dangvien.banhon")
        .await
        .unwrap()
        .unwrap();
    assert!(
        store::user::grants(&db, ordinary.id)
            .await
            .unwrap()
            .is_empty()
    );
    let mut seen = HashSet::new();
    for u in [&secretary, &ordinary] {
        let m = store::member::get(&db, u.member_id.unwrap()).await.unwrap();
        assert_eq!((m.cell_id, m.status()), (dong_pao, MemberStatus::Official));
        assert_eq!(u.display_name, m.full_name);
        assert_ne!(m.full_name, "Nguyễn Văn An");
        assert!(seen.insert(m.id));
    }
    let user = crate::service::auth::login(&app, "bithu.banhon", PASSWORD)
        .await
        .unwrap();
    assert_eq!(user, secretary.id);
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE username = 'demo'"
        )
        .await,
        4 + 5
    );
    db.close().await;
}

#[test]
fn card_numbers_are_unique_eight_digits() {
    let mut seen = HashSet::new();
    for i in 0..20_000 {
        let c = card_number(i);
        assert_eq!(c.len(), 8);
        assert!(c.chars().all(|ch| ch.is_ascii_digit()) && !c.starts_with('0'));
        assert!(seen.insert(c));
    }
}

#[test]
fn seed_era_sizes_and_named_members() {
    let mut rng = Rng::new(SEED);
    let plan = Plan::build(&mut rng);
    let (drafts, named) = people::seed_era(&mut rng, &plan);
    assert_eq!(drafts.len(), 7575 + 166 + 335 + 3412);
    let mut per_cell = vec![0usize; plan.nodes.len()];
    for d in &drafts {
        per_cell[d.cell] += 1;
        let f = &d.fields;
        assert!(
            f.full_name.split(' ').count() >= 3
                && !f.ethnicity.is_empty()
                && !f.residence.is_empty()
        );
        let (born, admitted) = (f.birth_date.unwrap(), f.admitted_on.unwrap());
        assert!((1940..=1995).contains(&born.year()), "{born}");
        assert!(admitted >= rng::add_years(born, 18) && admitted <= LAST_SEED_ADMISSION);
        assert_eq!(f.official_on, Some(rng::add_years(admitted, 1)));
        assert_eq!(d.statuses.first().map(|s| s.1), Some(admitted));
        assert!(
            d.statuses.windows(2).all(|w| w[0].2 == Some(w[1].1)),
            "contiguous"
        );
        if f.status == MemberStatus::Exempt {
            assert_eq!(
                d.statuses.last().map(|s| (s.1.year(), s.3.as_str())),
                Some((2016, people::EXEMPT_REASON))
            );
        }
    }
    assert!(plan.cells.iter().all(|c| per_cell[c.node] >= 3));
    assert!(per_cell[plan.keys.dong_pao] >= 4);
    let name = |i: usize| drafts[i].fields.full_name.as_str();
    let an = drafts
        .iter()
        .position(|d| d.fields.full_name == "Nguyễn Văn An")
        .unwrap();
    assert_ne!(name(named.secretary), name(named.ordinary));
    assert!(
        [named.secretary, named.ordinary, an]
            .iter()
            .all(|i| drafts[*i].cell == plan.keys.dong_pao)
    );
    let religious = drafts
        .iter()
        .filter(|d| !d.fields.religion.is_empty())
        .count();
    assert_eq!(religious, 780);
}

#[test]
fn same_seed_same_people() {
    let run = || {
        let mut rng = Rng::new(SEED);
        let plan = Plan::build(&mut rng);
        let (mut drafts, _) = people::seed_era(&mut rng, &plan);
        history::replay(&mut rng, &plan, &mut drafts);
        drafts
            .into_iter()
            .map(|d| (d.fields, d.cell, d.statuses))
            .collect::<Vec<_>>()
    };
    assert!(run() == run());
}
