//! `chibo generate`: a realistic synthetic tree, its members and one year of
//! held meetings with attendance, loaded fast into an empty database
//! (issue 5 point 1; sizes from domain.md §10.2–§10.3).
//!
//! PostgreSQL: every table filled by `COPY … FROM STDIN (FORMAT csv)`
//! streamed in 1 MB chunks, ids chosen here, identity sequences moved past
//! them; `synchronous_commit = off` for the loading sessions only. The tree,
//! members and meetings go in one transaction; attendance (the bulk) then in
//! two concurrent transactions of half the cells each, because one backend
//! doing COPY with two foreign-key checks per row saturates one core. If
//! attendance fails, the rest stays committed and the message says to
//! recreate the database (a rerun refuses a non-empty one). SQLite: one transaction of multi-row INSERTs of about 200
//! parameters; the durability pragma is left alone (one transaction means
//! one commit, so `synchronous` costs a single sync).
//!
//! Nothing is held in memory but the tree: each cell's members and meetings
//! are redrawn from the cell's own random stream in every stage.

pub mod accounts;
pub mod names;
mod people;
pub mod plan;
// One deterministic generator for the demo and the generated data.
use crate::demo::rng;
mod sink;

use crate::domain::text::{fold, name_sort_key};
use crate::store::Db;
use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::{Date, date};
use jiff::{Timestamp, ToSpan};
use people::{Person, days, people};
use plan::{Cell, Plan, plan};
use rng::Rng;
use sink::{Sink, Val};
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::time::Instant;

/// The generated tree exists from the 2025 reform (34 provinces, communes
/// directly under them).
pub const TREE_FROM: Date = date(2025, 7, 1);
const BY: &str = "generate";

#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub members: u64,
    pub seed: u64,
    /// Draw progress bars (off in tests).
    pub progress: bool,
    /// Also write sign-in accounts (see `accounts`), all with this argon2
    /// hash.
    pub accounts: Option<&'a str>,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub members: u64,
    pub orgs: u64,
    pub cells: u64,
    pub meetings: u64,
    pub attendance: u64,
    pub accounts: u64,
    pub root: i64,
    /// (stage, rows, seconds)
    pub stages: Vec<(&'static str, u64, f64)>,
    pub seconds: f64,
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The command: resolve the size, open and migrate the database, generate,
/// print the figures.
pub async fn run(
    database_url: &str,
    members: Option<u64>,
    scale: Option<&str>,
    seed: u64,
    accounts_password: Option<&str>,
) -> anyhow::Result<()> {
    let members = match (members, scale) {
        (Some(n), _) => n,
        (None, Some("national")) => plan::NATIONAL_MEMBERS,
        (None, Some(other)) => bail!("--scale chỉ nhận giá trị national (nhận được: {other})"),
        (None, None) => bail!("cần --members N hoặc --scale national"),
    };
    if members == 0 {
        bail!("--members phải lớn hơn 0");
    }
    let hash = match accounts_password {
        Some(p) if p.chars().count() < 8 => bail!("mật khẩu tài khoản phải có ít nhất 8 ký tự"),
        // Once for every account: see `accounts`.
        Some(p) => Some(crate::service::auth::hash_password(p.to_string()).await?),
        None => None,
    };
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let today = crate::app::Clock::System.today();
    let s = generate(
        &db,
        Options {
            members,
            seed,
            progress: true,
            accounts: hash.as_deref(),
        },
        today,
    )
    .await?;
    db.close().await;
    for (stage, rows, secs) in &s.stages {
        println!(
            "  {stage:<22} {:>12} dòng  {secs:>7.1} giây",
            thousands(*rows)
        );
    }
    println!(
        "{} đảng viên, {} chi bộ, {} cuộc họp, {} lượt điểm danh trong {:.0} giây",
        thousands(s.members),
        thousands(s.cells),
        thousands(s.meetings),
        thousands(s.attendance),
        s.seconds
    );
    if s.accounts > 0 {
        println!(
            "{} tài khoản: bithu.<mã chi bộ> (bí thư), dv.<mã đảng viên> (đảng viên), \
             canbo.<mã cấp ủy> (cán bộ cấp ủy), cùng một mật khẩu",
            thousands(s.accounts)
        );
    }
    println!(
        "Nút gốc: {} (tạo tài khoản: chibo user create --username admin --role admin --org {})",
        s.root, s.root
    );
    Ok(())
}

enum Conn<'a> {
    Pg(&'a mut PgConnection),
    Sqlite(&'a mut SqliteConnection),
}

impl Conn<'_> {
    async fn sink(&mut self, table: &str, cols: &[&str]) -> anyhow::Result<Sink<'_>> {
        Ok(match self {
            Conn::Pg(c) => Sink::postgres(c, table, cols).await?,
            Conn::Sqlite(c) => Sink::sqlite(c, table, cols),
        })
    }
}

/// Fills an empty database; refuses one that already has a tree.
pub async fn generate(db: &Db, opts: Options<'_>, today: Date) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let existing: i64 = crate::on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM org")
        .fetch_one(p)
        .await)?;
    if existing > 0 {
        bail!(
            "cơ sở dữ liệu đã có {existing} tổ chức: generate chỉ chạy trên cơ sở dữ liệu trống \
             (the database already has organizations; generate only fills an empty one)"
        );
    }
    let users: i64 = crate::on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM app_user")
        .fetch_one(p)
        .await)?;
    if opts.accounts.is_some() && users > 0 {
        bail!(
            "cơ sở dữ liệu đã có {users} tài khoản: --accounts chỉ chạy khi chưa có tài khoản nào \
             (the generated accounts take ids from 1)"
        );
    }
    let plan = plan(opts.members, opts.seed, TREE_FROM);
    let pb_for = |s: &Summary| bar(opts, s.cells, "điểm danh");
    let all = 0..plan.cells.len();
    let mut summary = match db {
        Db::Postgres(pool) => {
            // Everything but attendance in one transaction…
            let mut conn = pool.acquire().await?;
            sqlx::query("SET synchronous_commit = off")
                .execute(&mut *conn)
                .await?;
            let mut tx = conn.begin().await?;
            let (mut s, first_meeting) = load(&mut Conn::Pg(&mut tx), &plan, opts, today).await?;
            for table in [
                "org",
                "org_version",
                "member",
                "member_status",
                "member_placement",
                "meeting",
            ]
            .into_iter()
            .chain(
                opts.accounts
                    .map(|_| ["app_user", "role_grant"])
                    .into_iter()
                    .flatten(),
            ) {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                ))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            sqlx::query("RESET synchronous_commit")
                .execute(&mut *conn)
                .await?;
            drop(conn);
            // …then attendance, the bulk, on two connections at once: one
            // PostgreSQL backend saturates one core on COPY with its two
            // foreign-key checks per row, so two halves use both cores.
            let t = Instant::now();
            let pb = pb_for(&s);
            let half = plan.cells.len() / 2;
            let (a, b) = tokio::try_join!(
                attendance_pg(pool, &plan, opts.seed, today, 0..half, &first_meeting, &pb),
                attendance_pg(
                    pool,
                    &plan,
                    opts.seed,
                    today,
                    half..plan.cells.len(),
                    &first_meeting,
                    &pb
                ),
            )
            .map_err(|e| {
                anyhow::anyhow!(
                    "{e:#}\nđiểm danh chưa được ghi đủ: hãy tạo lại cơ sở dữ liệu rồi chạy lại \
                     (the tree, members and meetings were committed, the attendance was not)"
                )
            })?;
            pb.finish();
            s.attendance = a + b;
            s.stages
                .push(("điểm danh", s.attendance, t.elapsed().as_secs_f64()));
            let t = Instant::now();
            sqlx::query(crate::store::meeting::RECOUNT_TALLIES)
                .execute(pool)
                .await?;
            s.stages
                .push(("tổng điểm danh", s.meetings, t.elapsed().as_secs_f64()));
            // Fresh planner statistics: until autovacuum gets to the new rows,
            // PostgreSQL believes the tables nearly empty and plans scans.
            let t = Instant::now();
            sqlx::query("ANALYZE").execute(pool).await?;
            s.stages.push(("ANALYZE", 0, t.elapsed().as_secs_f64()));
            s
        }
        Db::Sqlite(pool) => {
            let mut tx = pool.begin().await?;
            let (mut s, first_meeting) =
                load(&mut Conn::Sqlite(&mut tx), &plan, opts, today).await?;
            let t = Instant::now();
            let pb = pb_for(&s);
            s.attendance = attendance(
                &mut Conn::Sqlite(&mut tx),
                &plan,
                opts.seed,
                today,
                all,
                &first_meeting,
                &pb,
            )
            .await?;
            pb.finish();
            s.stages
                .push(("điểm danh", s.attendance, t.elapsed().as_secs_f64()));
            let t = Instant::now();
            sqlx::query(crate::store::meeting::RECOUNT_TALLIES)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            s.stages
                .push(("tổng điểm danh", s.meetings, t.elapsed().as_secs_f64()));
            s
        }
    };
    summary.root = plan.root();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn bar(opts: Options<'_>, len: u64, name: &'static str) -> ProgressBar {
    if !opts.progress {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:<22} [{bar:30}] {pos}/{len} {per_sec} còn {eta}")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(name);
    pb
}

async fn load(
    conn: &mut Conn<'_>,
    plan: &Plan,
    opts: Options<'_>,
    today: Date,
) -> anyhow::Result<(Summary, Vec<i64>)> {
    let mut s = Summary {
        orgs: plan.orgs.len() as u64,
        cells: plan.cells.len() as u64,
        ..Summary::default()
    };
    let from = plan.from;
    let seed = opts.seed;
    let ncells = plan.cells.len() as u64;

    // 1. The tree.
    let t = Instant::now();
    let pb = bar(opts, plan.orgs.len() as u64 * 2, "cây tổ chức");
    let mut sink = conn.sink("org", &["id", "created_on"]).await?;
    for o in &plan.orgs {
        sink.row(vec![Val::I(o.id), Val::D(from)]).await?;
        pb.inc(1);
    }
    let mut rows = sink.finish().await?;
    let mut sink = conn
        .sink(
            "org_version",
            &[
                "id",
                "org_id",
                "parent_id",
                "name",
                "name_key",
                "kind",
                "cell_type",
                "valid_from",
            ],
        )
        .await?;
    for o in &plan.orgs {
        sink.row(vec![
            Val::I(o.id),
            Val::I(o.id),
            o.parent.map_or(Val::Null, Val::I),
            Val::T(o.name.clone()),
            Val::T(fold(&o.name)),
            Val::S(o.kind),
            o.cell_type.map_or(Val::Null, |t| Val::S(t.code())),
            Val::D(from),
        ])
        .await?;
        pb.inc(1);
    }
    rows += sink.finish().await?;
    pb.finish();
    s.stages
        .push(("cây tổ chức", rows, t.elapsed().as_secs_f64()));

    // 2. Members.
    let t = Instant::now();
    let pb = bar(opts, ncells, "đảng viên");
    let mut sink = conn
        .sink(
            "member",
            &[
                "id",
                "full_name",
                "name_key",
                "sort_key",
                "birth_date",
                "gender",
                "ethnicity",
                "religion",
                "hometown",
                "residence",
                "admitted_on",
                "official_on",
                "education",
                "theory_level",
                "occupation",
                "phone",
                "email",
                "status",
                "cell_id",
            ],
        )
        .await?;
    for (i, cell) in plan.cells.iter().enumerate() {
        let mut names_rng = Rng::derive(seed, 3, i as u64);
        let commune = &plan.communes[cell.commune];
        let home = format!("{}, {}", commune.name, commune.province);
        for p in people(seed, i, cell, today) {
            let name = names::full_name(&mut names_rng, p.female);
            let hometown = if names_rng.chance(0.7) {
                home.clone()
            } else {
                format!("xã {}, {}", names::place(&mut names_rng), commune.province)
            };
            let phone = if names_rng.chance(0.9) {
                format!("09{:08}", names_rng.below(100_000_000))
            } else {
                String::new()
            };
            let key = fold(&name);
            let sort = name_sort_key(&name);
            sink.row(vec![
                Val::I(p.id),
                Val::T(name),
                Val::T(key),
                Val::Bytes(sort),
                Val::D(p.birth),
                Val::S(if p.female { "female" } else { "male" }),
                Val::S(if names_rng.chance(0.9) {
                    "Kinh"
                } else {
                    names_rng.pick(&["Tày", "Thái", "Mường", "Khmer", "Mông", "Nùng"])
                }),
                Val::S(p.religion),
                Val::T(hometown),
                Val::T(home.clone()),
                Val::D(p.admitted),
                p.official_on.map_or(Val::Null, Val::D),
                Val::S(p.education),
                Val::S(p.theory),
                Val::S(p.occupation),
                Val::T(phone),
                Val::S(""),
                Val::S(p.status_on(today)),
                Val::I(cell.org),
            ])
            .await?;
        }
        pb.inc(1);
    }
    s.members = sink.finish().await?;
    pb.finish();
    s.stages
        .push(("đảng viên", s.members, t.elapsed().as_secs_f64()));

    // 3. Status histories and home placements.
    let t = Instant::now();
    let pb = bar(opts, ncells * 2, "trạng thái, nơi sinh hoạt");
    let mut sink = conn
        .sink(
            "member_status",
            &[
                "id",
                "member_id",
                "status",
                "valid_from",
                "valid_to",
                "reason",
            ],
        )
        .await?;
    let mut id = 0i64;
    for (i, cell) in plan.cells.iter().enumerate() {
        for p in people(seed, i, cell, today) {
            for (status, start, end, reason) in status_rows(&p) {
                id += 1;
                sink.row(vec![
                    Val::I(id),
                    Val::I(p.id),
                    Val::S(status),
                    Val::D(start),
                    end.map_or(Val::Null, Val::D),
                    Val::S(reason),
                ])
                .await?;
            }
        }
        pb.inc(1);
    }
    let mut rows = sink.finish().await?;
    let mut sink = conn
        .sink(
            "member_placement",
            &["id", "member_id", "org_id", "kind", "valid_from"],
        )
        .await?;
    for (i, cell) in plan.cells.iter().enumerate() {
        for p in people(seed, i, cell, today) {
            sink.row(vec![
                Val::I(p.id),
                Val::I(p.id),
                Val::I(cell.org),
                Val::S("home"),
                Val::D(p.home_from(from)),
            ])
            .await?;
        }
        pb.inc(1);
    }
    rows += sink.finish().await?;
    pb.finish();
    s.stages
        .push(("trạng thái, nơi sinh hoạt", rows, t.elapsed().as_secs_f64()));

    // 4. Calendars and meetings.
    let t = Instant::now();
    let pb = bar(opts, ncells * 2, "lịch, cuộc họp");
    let mut sink = conn
        .sink(
            "cell_schedule",
            &["org_id", "day_of_month", "start_time", "place"],
        )
        .await?;
    for cell in &plan.cells {
        sink.row(vec![
            Val::I(cell.org),
            Val::I(i64::from(cell.day_of_month)),
            Val::S(cell.time),
            Val::T(cell.place.clone()),
        ])
        .await?;
        pb.inc(1);
    }
    let mut rows = sink.finish().await?;
    let mut sink = conn
        .sink(
            "meeting",
            &[
                "id",
                "org_id",
                "kind",
                "held_on",
                "start_time",
                "place",
                "topic",
                "ho_chi_minh",
                "status",
                "notice_sent_on",
                "docs_published_on",
                "resolution_sent_on",
                "started_time",
                "ended_time",
                "chair_id",
                "recorder_id",
                "proceedings",
                "conclusion",
                "vote_for",
                "vote_against",
                "vote_abstain",
                "resolution_title",
                "number",
                "signed_at",
                "signed_by",
            ],
        )
        .await?;
    let mut meeting_id = 0i64;
    let mut first_meeting = Vec::with_capacity(plan.cells.len());
    for (i, cell) in plan.cells.iter().enumerate() {
        let ps = people(seed, i, cell, today);
        first_meeting.push(meeting_id + 1);
        for m in meetings(seed, i, cell, &ps, today, from) {
            meeting_id += 1;
            let present = m.att.iter().filter(|a| a.presence == "present").count() as i64;
            let chair = ps.first().map_or(Val::Null, |p| Val::I(p.id));
            let recorder = ps.get(1).or(ps.first()).map_or(Val::Null, |p| Val::I(p.id));
            let signed = date_time_utc(days(m.held, 1), 1);
            sink.row(vec![
                Val::I(meeting_id),
                Val::I(cell.org),
                Val::S(m.kind),
                Val::D(m.held),
                Val::S(cell.time),
                Val::T(cell.place.clone()),
                Val::T(m.topic.clone()),
                Val::B(m.ho_chi_minh),
                Val::S("held"),
                Val::D(days(m.held, -2)),
                Val::D(days(m.held, -1)),
                Val::D(days(m.held, 1)),
                Val::S(cell.time),
                Val::T(m.ended),
                chair,
                recorder,
                Val::S("Đồng chí Bí thư chi bộ chủ trì; chi bộ đánh giá kết quả thực hiện nghị quyết tháng trước, thảo luận và thống nhất nhiệm vụ."),
                Val::S("Chi bộ thống nhất nghị quyết với tỷ lệ 100% đảng viên có mặt tán thành."),
                Val::I(present),
                Val::I(0),
                Val::I(0),
                Val::T(format!("Nghị quyết {}", m.topic)),
                Val::I(m.number),
                signed.map_or(Val::Null, Val::Ts),
                Val::S(BY),
            ])
            .await?;
            s.meetings += 1;
        }
        pb.inc(1);
    }
    rows += sink.finish().await?;
    pb.finish();
    s.stages
        .push(("lịch, cuộc họp", rows, t.elapsed().as_secs_f64()));

    // 5. Sign-in accounts, when asked for.
    if let Some(hash) = opts.accounts {
        let t = Instant::now();
        s.accounts = accounts::write(conn, plan, hash, crate::app::Clock::System.now()).await?;
        s.stages
            .push(("tài khoản", s.accounts, t.elapsed().as_secs_f64()));
    }

    Ok((s, first_meeting))
}

/// `attendance` on a connection of its own, in a transaction of its own.
async fn attendance_pg(
    pool: &sqlx::PgPool,
    plan: &Plan,
    seed: u64,
    today: Date,
    range: std::ops::Range<usize>,
    first_meeting: &[i64],
    pb: &ProgressBar,
) -> anyhow::Result<u64> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SET synchronous_commit = off")
        .execute(&mut *conn)
        .await?;
    let mut tx = conn.begin().await?;
    let n = attendance(
        &mut Conn::Pg(&mut tx),
        plan,
        seed,
        today,
        range,
        first_meeting,
        pb,
    )
    .await?;
    tx.commit().await?;
    sqlx::query("RESET synchronous_commit")
        .execute(&mut *conn)
        .await?;
    Ok(n)
}

/// Attendance of the cells `range` (the bulk: about 16 rows per member);
/// `first_meeting[i]` is the id of cell i's first meeting.
async fn attendance(
    conn: &mut Conn<'_>,
    plan: &Plan,
    seed: u64,
    today: Date,
    range: std::ops::Range<usize>,
    first_meeting: &[i64],
    pb: &ProgressBar,
) -> anyhow::Result<u64> {
    let mut sink = conn
        .sink(
            "attendance",
            &[
                "meeting_id",
                "member_id",
                "presence",
                "reason",
                "spoke",
                "official",
            ],
        )
        .await?;
    for i in range {
        let (Some(cell), Some(first)) = (plan.cells.get(i), first_meeting.get(i)) else {
            continue;
        };
        let ps = people(seed, i, cell, today);
        for (k, m) in meetings(seed, i, cell, &ps, today, plan.from)
            .into_iter()
            .enumerate()
        {
            for a in m.att {
                sink.row(vec![
                    Val::I(first + k as i64),
                    Val::I(a.member),
                    Val::S(a.presence),
                    Val::S(a.reason),
                    Val::B(a.spoke),
                    Val::B(a.official),
                ])
                .await?;
            }
        }
        pb.inc(1);
    }
    sink.finish().await
}

type StatusRow = (&'static str, Date, Option<Date>, &'static str);

fn status_rows(p: &Person) -> Vec<StatusRow> {
    let mut out = vec![("probationary", p.admitted, p.official_on, "")];
    if let Some(o) = p.official_on {
        out.push(("official", o, p.exempt_from.filter(|e| *e > o), ""));
        if let Some(e) = p.exempt_from.filter(|e| *e > o) {
            out.push(("exempt", e, None, "Tuổi cao, sức yếu"));
        }
    }
    out
}

/// 01:00 UTC = 08:00 in Hà Nội on day `d` (hour given in UTC).
fn date_time_utc(d: Date, hour: i8) -> Option<Timestamp> {
    d.at(hour, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

struct Att {
    member: i64,
    presence: &'static str,
    reason: &'static str,
    spoke: bool,
    official: bool,
}

struct MeetingDraft {
    kind: &'static str,
    held: Date,
    topic: String,
    ho_chi_minh: bool,
    number: i64,
    ended: String,
    att: Vec<Att>,
}

const THEMATIC: &[&str] = &[
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Xây dựng nông thôn mới, đô thị văn minh",
    "Chuyển đổi số và Sổ tay đảng viên điện tử",
    "Bảo hiểm y tế toàn dân",
    "Phòng, chống tham nhũng, lãng phí, tiêu cực",
    "Bảo vệ môi trường và an toàn thực phẩm",
    "Công tác phát triển đảng viên",
];

/// The held meetings of one cell over the twelve months before `today`:
/// one regular meeting a month on the registered day, one thematic meeting
/// each quarter (one of them on Ho Chi Minh, Chỉ thị 05-CT/TW).
fn meetings(
    seed: u64,
    index: usize,
    cell: &Cell,
    ps: &[Person],
    today: Date,
    from: Date,
) -> Vec<MeetingDraft> {
    let mut rng = Rng::derive(seed, 4, index as u64);
    let first = today.first_of_month();
    let mut regular: Vec<Date> = (0..=12)
        .rev()
        .filter_map(|k| {
            let month = first.checked_sub(k.months()).ok()?;
            month.with().day(cell.day_of_month).build().ok()
        })
        .filter(|d| *d < today && *d >= from)
        .collect();
    if regular.len() > 12 {
        regular.drain(..regular.len() - 12);
    }
    let mut dates: Vec<(Date, &'static str)> = regular.iter().map(|d| (*d, "regular")).collect();
    for q in [1usize, 4, 7, 10] {
        if let Some(d) = regular.get(q) {
            let mut t = days(*d, 14);
            if t >= today {
                t = days(*d, -10);
            }
            if t >= from {
                dates.push((t, "thematic"));
            }
        }
    }
    dates.sort();
    let (h, m) = if cell.time.starts_with("19") {
        (19, 30)
    } else {
        (16, 30)
    };
    let mut out = Vec::with_capacity(dates.len());
    let mut number = 0i64;
    let mut year = 0i16;
    let mut thematic_seen = 0usize;
    for (held, kind) in dates {
        if held.year() != year {
            year = held.year();
            number = 0;
        }
        number += 1;
        let (topic, hcm) = if kind == "thematic" {
            thematic_seen += 1;
            if thematic_seen == 2 {
                (THEMATIC[0].to_string(), true)
            } else {
                (rng.pick(&THEMATIC[1..]).to_string(), false)
            }
        } else {
            (
                format!("Sinh hoạt thường kỳ tháng {}/{}", held.month(), held.year()),
                false,
            )
        };
        let minutes = h * 60 + m + rng.range(95, 130);
        let ended = format!("{:02}:{:02}", minutes / 60, minutes % 60);
        let att = ps
            .iter()
            .filter(|p| p.home_from(from) <= held)
            .map(|p| {
                let status = p.status_on(held);
                let (presence, reason) = if status == "exempt" {
                    ("exempt", "Tuổi cao, sức yếu")
                } else {
                    let r = rng.unit();
                    if r < 0.93 {
                        ("present", "")
                    } else if r < 0.985 {
                        (
                            "absent_excused",
                            rng.pick(&["Đi công tác", "Ốm", "Việc gia đình", "Đi làm ăn xa"]),
                        )
                    } else {
                        ("absent_unexcused", "")
                    }
                };
                Att {
                    member: p.id,
                    presence,
                    reason,
                    spoke: presence == "present" && rng.chance(0.3),
                    official: status != "probationary",
                }
            })
            .collect();
        out.push(MeetingDraft {
            kind,
            held,
            topic,
            ho_chi_minh: hcm,
            number,
            ended,
            att,
        });
    }
    out
}

#[cfg(test)]
mod tests;
