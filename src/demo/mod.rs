//! Demo data: the four organizations of the seed articles with their
//! members, reproducing the figures of domain.md §10.1 exactly when counted
//! on 30 June 2018 (the "seed era"), then their later history up to the
//! 2025 reform, and a few accounts to sign in with.
//!
//! Everything is drawn from a fixed seed, so two runs give the same data.
//! The whole seed is one transaction: it is written completely or not at all.

mod classification;
mod data;
mod duc_tho;
mod first_round;
mod history;
mod inspections;
mod meetings;
mod names;
mod past_meeting;
mod people;
mod quality;
mod recommendations;
pub(crate) mod rng;
mod rounds;
mod targets;
mod tree;
mod urgent;

#[cfg(test)]
mod tests;

use crate::app::AppState;
use crate::domain::authz::Role;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::post::PostKind;
use crate::domain::time::format_date;
use crate::service::AppError;
use crate::service::auth::hash_password;
use crate::store::{self, Db, Tx};
use jiff::civil::{Date, date};
use people::Draft;
use rng::Rng;
use tree::Plan;

/// The date the seed figures are counted on (domain.md §10.1: Kim Sơn, June 2018).
pub const SEED_DATE: Date = date(2018, 6, 30);
/// Every demo node exists from this date.
pub const CREATED: Date = date(2010, 1, 1);
/// Two-level local government (domain.md §2.5).
pub const REFORM_DATE: Date = date(2025, 7, 1);
/// The decision the reform events cite.
pub const DECISION: &str = "Thực hiện mô hình chính quyền địa phương 2 cấp";
/// Password of every demo account.
pub const PASSWORD: &str = "chibo-demo";

/// Names of the demo nodes the tests and the manual refer to.
pub const ORG_ROOT: &str = "Đảng Cộng sản Việt Nam";
pub const ORG_NINH_BINH: &str = "Đảng bộ tỉnh Ninh Bình";
pub const ORG_KIM_SON: &str = "Đảng bộ huyện Kim Sơn";
pub const ORG_LAI_CHAU: &str = "Đảng bộ tỉnh Lai Châu";
pub const ORG_TAM_DUONG: &str = "Đảng bộ huyện Tam Đường";
pub const ORG_BAN_HON: &str = "Đảng bộ xã Bản Hon";
pub const ORG_HOA_BINH: &str = "Đảng bộ tỉnh Hòa Bình";
pub const ORG_LUONG_SON: &str = "Đảng bộ huyện Lương Sơn";
pub const ORG_LAM_SON: &str = "Đảng bộ xã Lâm Sơn";
pub const ORG_BLOC: &str = "Đảng bộ Khối các cơ quan tỉnh Hòa Bình";
pub const ORG_DONG_PAO: &str = "Chi bộ 4 (bản Đông Pao)";
pub const ORG_HA_TINH: &str = "Đảng bộ tỉnh Hà Tĩnh";
pub const ORG_DUC_THO: &str = "Đảng bộ huyện Đức Thọ";
pub const ORG_TUNG_ANH: &str = "Đảng bộ xã Tùng Ảnh";
pub const ORG_HOA_ICH_LAM: &str = "Chi bộ thôn Hoa Ích Lâm";

const SEED: u64 = 0x00C4_1B0D_2018_0630;
/// Seed-era members were admitted by the end of 2017 (so all are members on the seed date).
const LAST_SEED_ADMISSION: Date = date(2017, 12, 31);
/// Later members are admitted from 2019 until the day before the reform.
const FIRST_LATER_ADMISSION: Date = date(2019, 1, 1);
const HISTORY_END: Date = date(2025, 6, 30);
const BY: &str = "demo";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub orgs: usize,
    pub members: usize,
    pub users: usize,
}

/// Fills an empty database with the demo data; returns counts. Does nothing
/// (Ok(None)) if any org exists already.
pub async fn seed(app: &AppState) -> Result<Option<DemoSummary>, AppError> {
    if org_count(&app.db).await? > 0 {
        return Ok(None);
    }
    // Argon2 is slow: hash once, outside the transaction, for every account.
    let hash = hash_password(PASSWORD.to_string()).await?;
    let mut rng = Rng::new(SEED);
    let plan = Plan::build(&mut rng);
    let (mut drafts, named) = people::seed_era(&mut rng, &plan);
    let seed_members = drafts.len();
    let replay = history::replay(&mut rng, &plan, &mut drafts);
    // Seed 002: Bản Hon admitted 7 in 2018 (docs/rules.md "Targets and indicators").
    let admitted_2018 = targets::admissions_2018(&plan, &mut drafts, seed_members);
    for (i, d) in drafts.iter_mut().enumerate() {
        d.fields.card_number = Some(card_number(i));
    }

    let mut tx = app.db.begin().await?;
    if let Tx::Postgres(t) = &mut tx {
        // Two seeds at once on PostgreSQL: the second waits, then finds the orgs.
        let lock = sqlx::query("LOCK TABLE org IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut **t)
            .await;
        lock.map_err(store::StoreError::from)?;
    }
    if org_count_tx(&mut tx).await? > 0 {
        return Ok(None);
    }
    let ids = tree::insert(&mut tx, &plan, CREATED).await?;
    let root = node_id(&ids, plan.keys.root)?;
    let phase = Phase { app, root };
    let summary = format!(
        "Dữ liệu mẫu: tạo cây tổ chức ({} tổ chức) từ ngày {}",
        ids.len(),
        format_date(CREATED)
    );
    phase
        .audit(
            &mut tx,
            "demo_tree",
            &summary,
            serde_json::json!({ "orgs": ids.len() }),
        )
        .await?;

    let member_ids = insert_members(&mut tx, &ids, &drafts).await?;
    let summary = format!(
        "Dữ liệu mẫu: {seed_members} đảng viên tính đến ngày {}",
        format_date(SEED_DATE)
    );
    phase
        .audit(
            &mut tx,
            "demo_members",
            &summary,
            serde_json::json!({ "members": seed_members }),
        )
        .await?;
    let summary = format!(
        "Dữ liệu mẫu: 2019–2025, kết nạp {} đảng viên, {} đảng viên từ trần",
        replay.admitted, replay.deceased
    );
    phase
        .audit(
            &mut tx,
            "demo_history",
            &summary,
            serde_json::to_value(replay).unwrap_or_default(),
        )
        .await?;

    let reform = history::reform(&mut tx, &plan, &ids).await?;
    let summary = format!(
        "Dữ liệu mẫu: {DECISION} từ ngày {}",
        format_date(REFORM_DATE)
    );
    phase
        .audit(
            &mut tx,
            "demo_reform",
            &summary,
            serde_json::to_value(reform).unwrap_or_default(),
        )
        .await?;

    let today = app.clock.today();
    let held = meetings::seed(&mut tx, &plan, &ids, &drafts, &member_ids, &named, today).await?;
    let summary = format!(
        "Dữ liệu mẫu: {} cuộc sinh hoạt của {} chi bộ từ ngày {}",
        held.meetings,
        held.cells,
        format_date(held.from)
    );
    phase
        .audit(
            &mut tx,
            "demo_meetings",
            &summary,
            serde_json::to_value(held).unwrap_or_default(),
        )
        .await?;

    // Lâm Sơn's health-insurance indicator and 2018 training (seed 000),
    // Bản Hon's 2018 admissions (seed 002), and two cells whose latest
    // minutes show formalism (docs/rules.md "Targets and indicators",
    // "Formalism signals").
    let shown = targets::seed(
        &mut tx,
        &plan,
        &ids,
        (&drafts, &member_ids),
        app.clock.now(),
    )
    .await?;
    phase
        .audit(
            &mut tx,
            "demo_targets",
            &format!(
                "Dữ liệu mẫu: chỉ tiêu bảo hiểm y tế của Đảng bộ xã Lâm Sơn theo Nghị quyết chuyên đề số 57, {} đảng viên xã Lâm Sơn đi đào tạo, bồi dưỡng năm 2018, {admitted_2018} đảng viên xã Bản Hon kết nạp năm 2018",
                shown.trained
            ),
            serde_json::json!({ "targets": shown, "ban_hon_admitted_2018": admitted_2018 }),
        )
        .await?;

    // Bản Hon's committee directs all its cells to meet on the 3rd (seed 002;
    // docs/rules.md "A committee sets one meeting day for its cells"), in
    // force over the meetings the demo records.
    let directive = crate::domain::day_policy::DayPolicy {
        org: node_id(&ids, plan.keys.ban_hon)?,
        effective_from: held.from,
        day_of_month: 3,
        time: None,
        cells_keep_own: false,
    };
    store::day_policy::insert(&mut tx, &directive, app.clock.now(), "demo").await?;
    let summary = format!(
        "Dữ liệu mẫu: Đảng ủy xã Bản Hon chỉ đạo các chi bộ sinh hoạt {} từ ngày {}",
        directive.describe(),
        format_date(directive.effective_from)
    );
    phase
        .audit(
            &mut tx,
            "demo_meeting_day",
            &summary,
            serde_json::json!({ "org": directive.org.0, "day_of_month": 3 }),
        )
        .await?;

    // After the model meetings each Bản Hon committee member was placed in a
    // cell to follow it (seed 002; docs/rules.md "Followers"): the commune
    // secretary, a member of Chi bộ 1, follows Chi bộ 4 (bản Đông Pao).
    let secretary = drafts
        .iter()
        .position(|d| d.fields.full_name == "Lò Văn Phà")
        .and_then(|i| member_ids.get(i).copied())
        .ok_or(AppError::Internal("demo: no commune secretary".into()))?;
    let dong_pao = node_id(&ids, plan.keys.dong_pao)?;
    let kind = crate::domain::follow::FollowKind::CommitteeMember;
    store::follow::insert(&mut tx, dong_pao, secretary, kind.code(), held.from).await?;
    phase
        .audit(
            &mut tx,
            "demo_follower",
            "Dữ liệu mẫu: Bí thư Đảng ủy xã Bản Hon phụ trách Chi bộ 4 (bản Đông Pao)",
            serde_json::json!({ "org": dong_pao.0, "member": secretary.0, "kind": kind.code() }),
        )
        .await?;

    // Seed 002 names Lò Văn Phà Bản Hon's commune secretary; Chi bộ 4's
    // secretary is the demo account's member. Both are posts (docs/rules.md
    // "Posts in a cell"), so documents are signed by title without reading
    // the accounts.
    let cell_secretary = member_ids
        .get(named.secretary)
        .copied()
        .ok_or(AppError::Internal("demo: no cell secretary".into()))?;
    for (org, member, kind) in [
        (dong_pao, cell_secretary, PostKind::CellSecretary),
        (
            node_id(&ids, plan.keys.ban_hon)?,
            secretary,
            PostKind::Secretary,
        ),
    ] {
        let post = store::post::NewPost {
            org,
            member,
            kind,
            from: held.from,
            to: None,
            decision: "",
        };
        store::post::insert(&mut tx, &post).await?;
    }
    phase
        .audit(
            &mut tx,
            "demo_posts",
            "Dữ liệu mẫu: Bí thư Chi bộ 4 (bản Đông Pao) và Bí thư Đảng ủy xã Bản Hon",
            serde_json::json!({ "cell": dong_pao.0, "secretary": cell_secretary.0, "commune_secretary": secretary.0 }),
        )
        .await?;

    // Recommendations of Chi bộ 4 sent to the commune (docs/rules.md
    // "Recommendations (kiến nghị)").
    let ban_hon = node_id(&ids, plan.keys.ban_hon)?;
    let raised = recommendations::seed(&mut tx, dong_pao, ban_hon, today).await?;
    phase
        .audit(
            &mut tx,
            "demo_recommendations",
            &format!(
                "Dữ liệu mẫu: {raised} kiến nghị của Chi bộ 4 (bản Đông Pao) gửi Đảng ủy xã Bản Hon"
            ),
            serde_json::json!({ "org": dong_pao.0, "recommendations": raised }),
        )
        .await?;

    // Kim Sơn's 76 base organizations registered 127 urgent issues for 2018
    // (seed 003; docs/rules.md "Urgent issues (việc cấp bách)").
    let urgent = urgent::seed(&mut tx, &plan, &ids).await?;
    phase
        .audit(
            &mut tx,
            "demo_urgent_issues",
            &format!(
                "Dữ liệu mẫu: {} tổ chức cơ sở đảng huyện Kim Sơn đăng ký {} việc cấp bách năm 2018; {} báo cáo tiến độ, {} việc được Huyện ủy đánh giá",
                urgent.orgs, urgent.issues, urgent.reports, urgent.assessed
            ),
            serde_json::json!({ "orgs": urgent.orgs, "issues": urgent.issues, "reports": urgent.reports }),
        )
        .await?;

    // Bản Hon's 2018 classification (seed 002) and Chi bộ 4's 2025 round
    // under 366-QĐ/TW (docs/rules.md "Classification regimes by year").
    let classified = classification::seed(&mut tx, &plan, &ids, today).await?;
    phase
        .audit(
            &mut tx,
            "demo_classification",
            &format!(
                "Dữ liệu mẫu: xếp loại chất lượng năm 2018 của Đảng bộ xã Bản Hon ({} đảng viên được đánh giá trong {} có tên, {} chi bộ); {} đảng viên Chi bộ 4 tự chấm điểm năm 2025",
                classified.assessed, classified.on_roll, classified.cells, classified.scored_2025
            ),
            serde_json::to_value(classified).unwrap_or_default(),
        )
        .await?;

    // Đức Thọ (seed 004): the quoted office-holders' posts and the
    // recommendations its village cells sent up in three years.
    let posts = duc_tho::posts(&mut tx, &plan, &ids, &member_ids, &named).await?;
    let cadre = member_ids
        .get(named.duc_tho[1])
        .copied()
        .ok_or(AppError::Internal("demo: no Võ Công Hàm".into()))?;
    let sent_up = duc_tho::recommendations(&mut tx, &plan, &ids, cadre).await?;
    phase
        .audit(
            &mut tx,
            "demo_duc_tho",
            &format!(
                "Dữ liệu mẫu: {sent_up} kiến nghị của các chi bộ thôn huyện Đức Thọ từ ngày {}, {posts} chức vụ",
                format_date(duc_tho::FROM)
            ),
            serde_json::json!({ "recommendations": sent_up, "posts": posts }),
        )
        .await?;

    // Kim Sơn's 27 district cadres visiting commune cells unannounced (seed
    // 003; docs/rules.md "Supervision rounds and unannounced visits").
    let cadres = rounds::cadres(&plan, &drafts, &member_ids);
    let visits = rounds::seed(&mut tx, &plan, &ids, &cadres, today, app.clock.now()).await?;
    phase
        .audit(
            &mut tx,
            "demo_rounds",
            &format!(
                "Dữ liệu mẫu: {} cán bộ huyện dự sinh hoạt chi bộ không báo trước, {} báo cáo đợt trước, {} lượt dự đợt đang mở",
                visits.cadres, visits.reported, visits.open_visits
            ),
            serde_json::to_value(visits).unwrap_or_default(),
        )
        .await?;

    // Six-monthly inspections in the Hòa Bình bloc (seed 001; docs/rules.md
    // "Inspections every six months").
    let inspected = inspections::seed(&mut tx, &plan, &ids, today).await?;
    phase
        .audit(
            &mut tx,
            "demo_inspections",
            &format!(
                "Dữ liệu mẫu: {} kỳ kiểm tra sinh hoạt chi bộ của {}, {} nội dung ghi nhận",
                inspected.inspections,
                inspections::COMMITTEE,
                inspected.findings
            ),
            serde_json::to_value(inspected).unwrap_or_default(),
        )
        .await?;

    let mut users = accounts(&plan, &ids, &drafts, &member_ids, &named)?;
    users.extend(cadre_accounts(&cadres, &drafts));
    for u in &users {
        u.insert(&phase, &mut tx, &hash).await?;
    }
    tx.commit().await?;

    // Rubrics, meeting assessments and monthly scores read the meetings
    // written above, so they come once those are committed.
    let mut tx = app.db.begin().await?;
    let mut graded = quality::Seeded::default();
    quality::meetings(
        app,
        &mut tx,
        node_id(&ids, plan.keys.ban_hon)?,
        today,
        &mut graded,
    )
    .await?;
    quality::monthly_scores(app, &mut tx, node_id(&ids, plan.keys.kim_son)?, &mut graded).await?;
    phase
        .audit(
            &mut tx,
            "demo_quality",
            &format!(
                "Dữ liệu mẫu: bộ tiêu chí chất lượng sinh hoạt của Đảng ủy xã Bản Hon, {} kỳ sinh hoạt tự đánh giá, {} được cấp trên đánh giá; bộ tiêu chí chấm điểm hằng tháng của Huyện ủy Kim Sơn ({} dự thảo, {} ý kiến góp ý), {} lượt chấm điểm năm 2018",
                graded.meetings_assessed, graded.reviewed, graded.drafts, graded.comments, graded.scores
            ),
            serde_json::to_value(graded).unwrap_or_default(),
        )
        .await?;
    tx.commit().await?;
    Ok(Some(DemoSummary {
        orgs: ids.len(),
        members: drafts.len(),
        users: users.len(),
    }))
}

fn node_id(ids: &[OrgId], i: usize) -> Result<OrgId, AppError> {
    ids.get(i)
        .copied()
        .ok_or(AppError::Internal("demo: unknown node".into()))
}

/// The five demo accounts (password `PASSWORD`): an administrator, the staff
/// of Kim Sơn and of Bản Hon, and the secretary and a member of Chi bộ 4.
fn accounts(
    plan: &Plan,
    ids: &[OrgId],
    drafts: &[Draft],
    member_ids: &[MemberId],
    named: &people::Named,
) -> Result<Vec<DemoUser>, AppError> {
    let k = &plan.keys;
    let member = |i: usize| {
        member_ids
            .get(i)
            .copied()
            .ok_or(AppError::Internal("demo: unknown member".into()))
    };
    let person = |i: usize| {
        drafts
            .get(i)
            .map(|d| d.fields.full_name.clone())
            .unwrap_or_default()
    };
    Ok(vec![
        DemoUser::new(
            "admin",
            "Quản trị hệ thống",
            None,
            vec![(Role::Admin, node_id(ids, k.root)?)],
        ),
        DemoUser::new(
            "kimson",
            "Văn phòng Huyện ủy Kim Sơn",
            None,
            vec![(Role::Staff, node_id(ids, k.kim_son)?)],
        ),
        DemoUser::new(
            "banhon",
            "Văn phòng Đảng ủy xã Bản Hon",
            None,
            vec![(Role::Staff, node_id(ids, k.ban_hon)?)],
        ),
        DemoUser::new(
            "bithu.banhon",
            &person(named.secretary),
            Some(member(named.secretary)?),
            vec![(Role::Secretary, node_id(ids, k.dong_pao)?)],
        ),
        // A member's own cell is an implicit grant: no explicit one.
        DemoUser::new(
            "dangvien.banhon",
            &person(named.ordinary),
            Some(member(named.ordinary)?),
            vec![],
        ),
    ])
}

/// An account for each Kim Sơn cadre, `kimson.canbo01` … `kimson.canbo27`:
/// no grant, the round's cadre list is what lets them in.
fn cadre_accounts(cadres: &[rounds::Cadre], drafts: &[Draft]) -> Vec<DemoUser> {
    cadres
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let name = drafts
                .get(c.draft)
                .map(|d| d.fields.full_name.clone())
                .unwrap_or_default();
            DemoUser::new(&cadre_username(i), &name, Some(c.member), vec![])
        })
        .collect()
}

pub fn cadre_username(i: usize) -> String {
    format!("kimson.canbo{:02}", i + 1)
}

/// Unique 8-digit card numbers: `i ↦ i·7919 + c (mod 9·10⁷)` is one-to-one
/// because 7919 is prime to 9·10⁷ (domain.md §3.3: the format is not
/// confirmed, so the registry treats it as an opaque string).
fn card_number(i: usize) -> String {
    let n = (i as u64 * 7919 + 1_234_567) % 90_000_000;
    format!("{:08}", 10_000_000 + n)
}

async fn org_count(db: &Db) -> store::Result<i64> {
    Ok(crate::on_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM org"
    )
    .fetch_one(p)
    .await)?)
}

async fn org_count_tx(tx: &mut Tx) -> store::Result<i64> {
    Ok(crate::on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM org"
    )
    .fetch_one(c)
    .await)?)
}

async fn insert_members(
    tx: &mut Tx,
    ids: &[OrgId],
    drafts: &[Draft],
) -> Result<Vec<MemberId>, AppError> {
    let member_ids = store::member::reserve_ids(tx, drafts.len()).await?;
    let mut rows = Vec::with_capacity(drafts.len());
    for (d, id) in drafts.iter().zip(&member_ids) {
        let cell = ids
            .get(d.cell)
            .copied()
            .ok_or(AppError::Internal("demo: member without cell".into()))?;
        rows.push(store::member::NewMember {
            id: *id,
            fields: &d.fields,
            cell,
            statuses: d.statuses.clone(),
            homes: vec![(cell, d.home_from(), None)],
        });
    }
    store::member::insert_many(tx, &rows).await?;
    Ok(member_ids)
}

/// Audit rows of the seed, one per phase, by "demo" and no user.
struct Phase<'a> {
    app: &'a AppState,
    root: OrgId,
}

impl Phase<'_> {
    async fn audit(
        &self,
        tx: &mut Tx,
        action: &str,
        summary: &str,
        after: serde_json::Value,
    ) -> store::Result<()> {
        self.record(
            tx,
            action,
            "org",
            self.root.0,
            Some(self.root),
            summary,
            after,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn record(
        &self,
        tx: &mut Tx,
        action: &str,
        entity: &str,
        entity_id: i64,
        org_id: Option<OrgId>,
        summary: &str,
        after: serde_json::Value,
    ) -> store::Result<()> {
        let entry = store::audit::Entry {
            at: self.app.clock.now(),
            user_id: None,
            username: BY,
            action,
            entity,
            entity_id,
            org_id,
            summary,
            before: None,
            after: Some(after),
        };
        store::audit::record(tx, &entry).await
    }
}

struct DemoUser {
    username: String,
    display_name: String,
    member: Option<MemberId>,
    grants: Vec<(Role, OrgId)>,
}

impl DemoUser {
    fn new(
        username: &str,
        display_name: &str,
        member: Option<MemberId>,
        grants: Vec<(Role, OrgId)>,
    ) -> Self {
        Self {
            username: username.to_string(),
            display_name: display_name.to_string(),
            member,
            grants,
        }
    }

    /// As `service::auth::create_user` does (same audit row), but inside the
    /// seed's transaction and with the hash computed once.
    async fn insert(&self, phase: &Phase<'_>, tx: &mut Tx, hash: &str) -> store::Result<()> {
        let id =
            store::user::insert(tx, &self.username, hash, &self.display_name, self.member).await?;
        for (role, org) in &self.grants {
            store::user::insert_grant(tx, id, role.code(), *org).await?;
        }
        let grants: Vec<serde_json::Value> = self
            .grants
            .iter()
            .map(|(r, o)| serde_json::json!({"role": r.code(), "org_id": o}))
            .collect();
        let after = serde_json::json!({
            "username": self.username,
            "display_name": self.display_name,
            "member_id": self.member,
            "grants": grants,
        });
        let summary = format!("Tạo tài khoản {}", self.username);
        let org = self.grants.first().map(|(_, o)| *o);
        phase
            .record(tx, "create", "user", id.0, org, &summary, after)
            .await
    }
}
