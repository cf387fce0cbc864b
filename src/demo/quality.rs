//! Quality rubrics in the demo (docs/rules.md "Local rubric example", "Kim
//! Sơn monthly scoring"): Bản Hon's meeting rubric shaped like the local
//! 100-point example, with the cells' self-assessments of their held
//! meetings and some reviews by the commune; Kim Sơn's monthly rubric,
//! modelled on Decision 3059 (two drafts with comments, then the adopted
//! version from January 2018) and its 76 base organizations scored for
//! every month of 2018. Written after the main phase, reading its meetings.

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::domain::rubric::Kind;
use crate::domain::rubric::example::{LOCAL_EXAMPLE_NOTE, kim_son_monthly, local_meeting};
use crate::domain::rubric::month::ScoreMonth;
use crate::domain::rubric::score::{Answer, Answers, Metrics, score};
use crate::domain::rubric::{Definition, Purpose};
use crate::service::AppError;
use crate::service::quality::meeting::{context_of, metrics_of};
use crate::service::quality::monthly;
use crate::store::{self, Tx};
use jiff::civil::{Date, date};

/// Hướng dẫn 42-HD/BTCTW is dated 28/10/2025; Bản Hon's sheet follows it.
pub const MEETING_RUBRIC_FROM: Date = date(2025, 11, 1);
pub const MEETING_RUBRIC_NAME: &str = "Tiêu chí đánh giá chất lượng sinh hoạt chi bộ";
pub const MONTHLY_RUBRIC_NAME: &str = "Tiêu chí đánh giá, chấm điểm hằng tháng tổ chức cơ sở đảng";
const KIM_SON_NOTE: &str = "Ví dụ do chibo dựng theo Quyết định số 3059 ngày 26/12/2017 của Ban Thường vụ Huyện ủy Kim Sơn (tiêu chí gốc không được công bố), không phải văn bản gốc.";

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Seeded {
    pub meetings_assessed: usize,
    pub reviewed: usize,
    pub drafts: usize,
    pub comments: usize,
    pub scores: usize,
}

/// A number from 0 to 99 fixed by two inputs (no shared random stream: the
/// other phases' draws never move).
fn roll(a: i64, b: i64) -> i64 {
    let x = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    ((x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 33) as i64 % 100
}

/// Yes to every criterion chibo does not compute, the best level, and
/// `value` for a missing figure.
fn full_answers(def: &Definition, metrics: &Metrics, value: f64) -> Answers {
    def.criteria()
        .filter(|(_, c)| !c.kind.metric().is_some_and(|m| metrics.contains_key(&m)))
        .map(|(_, c)| {
            let a = match &c.kind {
                Kind::Pick { .. } => Answer::Pick(0),
                Kind::Band { .. } => Answer::Value(value),
                Kind::Bonus | Kind::Penalty => Answer::Yes(false),
                Kind::YesNo { .. } => Answer::Yes(true),
            };
            (c.key.clone(), a)
        })
        .collect()
}

/// The manual criteria a cell may fall short on, in the order it does.
const SHORTFALLS: [&str; 6] = [
    "prep_committee",
    "praise",
    "ideology",
    "regular",
    "procedure",
    "principles",
];

fn rank(level: &str) -> u8 {
    match level {
        "good" => 0,
        "fair" => 1,
        "average" => 2,
        _ => 3,
    }
}

async fn issue(
    tx: &mut Tx,
    (org, purpose, name, note): (OrgId, Purpose, &str, &str),
    def: &Definition,
    created: Date,
) -> Result<(i64, store::rubric::RubricRow), AppError> {
    let json = serde_json::to_string(def).map_err(|e| AppError::Internal(e.to_string()))?;
    let (id, version) = store::rubric::insert_draft(
        tx,
        &store::rubric::NewRubric {
            org,
            purpose: purpose.code(),
            name,
            definition: &json,
            note,
            on: created,
        },
    )
    .await?;
    let row = store::rubric::RubricRow {
        id,
        org_id: org,
        purpose: purpose.code().into(),
        version,
        name: name.into(),
        status: "draft".into(),
        definition: json,
        note: note.into(),
        document: String::new(),
        document_date: None,
        valid_from: None,
        valid_to: None,
        created_on: store::types::day(created),
        adopted_on: None,
        org_name: String::new(),
    };
    Ok((id, row))
}

/// Bản Hon's rubric and the assessments of its cells' held meetings.
pub async fn meetings(
    app: &AppState,
    tx: &mut Tx,
    ban_hon: OrgId,
    today: Date,
    s: &mut Seeded,
) -> Result<(), AppError> {
    let def = local_meeting();
    let note = format!(
        "{LOCAL_EXAMPLE_NOTE} Dựng theo phiếu chấm 100 điểm, 8 nhóm của một đảng ủy phường sau Hướng dẫn 42-HD/BTCTW."
    );
    let (rubric, row) = issue(
        tx,
        (ban_hon, Purpose::Meeting, MEETING_RUBRIC_NAME, &note),
        &def,
        date(2025, 10, 29),
    )
    .await?;
    store::rubric::adopt(
        tx,
        &row,
        &store::rubric::Adoption {
            document: "Hướng dẫn số 02-HD/ĐU của Đảng ủy xã Bản Hon",
            document_date: date(2025, 10, 30),
            valid_from: MEETING_RUBRIC_FROM,
            on: date(2025, 10, 30),
        },
    )
    .await?;
    if today < MEETING_RUBRIC_FROM {
        return Ok(());
    }
    let held: Vec<_> = store::meeting::in_subtree(
        &app.db,
        store::org::Root::subtree(ban_hon),
        today,
        MEETING_RUBRIC_FROM,
        today,
        crate::service::meeting::LIST_LIMIT,
    )
    .await?
    .into_iter()
    .filter(|m| m.status == "held")
    .collect();
    let ids: Vec<i64> = held.iter().map(|m| m.id).collect();
    let figures = store::quality::figures(&app.db, &ids).await?;
    for m in &held {
        let f = figures.iter().find(|f| f.id == m.id);
        let metrics = metrics_of(m, f);
        let ctx = context_of(m);
        let mut answers = full_answers(&def, &metrics, 80.0 + (roll(m.id, 1) % 20) as f64);
        answers.insert("chair".into(), Answer::Pick((roll(m.id, 2) % 3) as usize));
        // The cell grades itself to the level its minutes record (from who
        // came and who spoke), giving up manual points one by one.
        let target = m.quality.as_deref().map_or(1, rank);
        let mut scored = score(&def, &answers, &metrics, ctx);
        for key in SHORTFALLS {
            if scored
                .band
                .as_ref()
                .is_some_and(|b| rank(&b.code) >= target)
            {
                break;
            }
            answers.insert(key.into(), Answer::Yes(false));
            scored = score(&def, &answers, &metrics, ctx);
        }
        let mut stored = metrics.clone();
        if ctx.thematic {
            stored.insert(crate::domain::rubric::Metric::ThematicHeld, 100.0);
        }
        let level = scored
            .band
            .as_ref()
            .map(|b| b.code.clone())
            .unwrap_or_default();
        let answers_json =
            serde_json::to_string(&answers).map_err(|e| AppError::Internal(e.to_string()))?;
        let metrics_json =
            serde_json::to_string(&stored).map_err(|e| AppError::Internal(e.to_string()))?;
        let on = m
            .held_on
            .to_jiff()
            .saturating_add(jiff::Span::new().days(1))
            .min(today);
        store::quality::upsert(
            tx,
            &store::quality::NewAssessment {
                meeting: m.id,
                stage: "self",
                rubric,
                answers: &answers_json,
                metrics: &metrics_json,
                total_tenths: (scored.total * 10.0).round() as i32,
                level: &level,
                note: "",
                username: "demo",
                on,
            },
        )
        .await?;
        s.meetings_assessed += 1;
        // The commune reviews one meeting in four and is stricter on one point.
        if roll(m.id, 3) < 25 {
            let mut review = answers.clone();
            review.insert("docs_on_app".into(), Answer::Yes(false));
            review.insert("procedure".into(), Answer::Yes(roll(m.id, 4) < 60));
            let r = score(&def, &review, &metrics, ctx);
            let review_json =
                serde_json::to_string(&review).map_err(|e| AppError::Internal(e.to_string()))?;
            store::quality::upsert(
                tx,
                &store::quality::NewAssessment {
                    meeting: m.id,
                    stage: "review",
                    rubric,
                    answers: &review_json,
                    metrics: &metrics_json,
                    total_tenths: (r.total * 10.0).round() as i32,
                    level: &r.band.map(|b| b.code).unwrap_or_default(),
                    note: "Đảng ủy xã đánh giá qua dự sinh hoạt và biên bản",
                    username: "banhon",
                    on: on.saturating_add(jiff::Span::new().days(7)).min(today),
                },
            )
            .await?;
            s.reviewed += 1;
        }
    }
    Ok(())
}

/// Kim Sơn's monthly rubric (two drafts, then Decision 3059) and 2018's scores.
pub async fn monthly_scores(
    app: &AppState,
    tx: &mut Tx,
    kim_son: OrgId,
    s: &mut Seeded,
) -> Result<(), AppError> {
    let on = date(2018, 1, 31);
    let base: Vec<OrgId> = store::monthly_score::nodes(&app.db, kim_son, on)
        .await?
        .into_iter()
        .filter(|n| n.id != kim_son)
        .filter(|n| {
            crate::domain::org::OrgKind::from_code(&n.kind).is_some_and(|k| k.is_base_org())
        })
        .map(|n| n.id)
        .collect();
    let mut drafts: Vec<Definition> = Vec::new();
    let mut first = kim_son_monthly();
    first.groups[3]
        .criteria
        .retain(|c| c.key != "initiative" && c.key != "violation");
    drafts.push(first);
    let mut second = kim_son_monthly();
    second.groups[3].criteria.retain(|c| c.key != "initiative");
    drafts.push(second);
    let comments: [(&[&str], Date); 2] = [
        (
            &[
                "Đề nghị tăng điểm tiêu chí việc cấp bách, vì đây là nhiệm vụ trọng tâm của cơ sở.",
                "Tiêu chí sinh hoạt chi bộ cần tính cả chi bộ sinh hoạt chuyên đề theo quý.",
                "Đề nghị bổ sung điểm trừ khi có đảng viên vi phạm.",
                "Thống nhất với dự thảo.",
            ],
            date(2017, 4, 20),
        ),
        (
            &[
                "Đề nghị có điểm thưởng cho mô hình, cách làm mới.",
                "Thống nhất; đề nghị hướng dẫn cách tính tỷ lệ dự sinh hoạt.",
                "Thống nhất với dự thảo lần 2.",
            ],
            date(2017, 10, 16),
        ),
    ];
    for (i, (def, (texts, when))) in drafts.iter().zip(comments).enumerate() {
        let name = format!("{MONTHLY_RUBRIC_NAME} (dự thảo lần {})", i + 1);
        let created = when.saturating_sub(jiff::Span::new().days(30));
        let (id, _) = issue(
            tx,
            (kim_son, Purpose::Monthly, &name, KIM_SON_NOTE),
            def,
            created,
        )
        .await?;
        store::rubric::send_to(tx, id, &base).await?;
        for (k, text) in texts.iter().enumerate() {
            if let Some(org) = base.get(k * 7 + i * 3) {
                store::rubric::add_comment(tx, id, *org, "demo", text, when).await?;
                s.comments += 1;
            }
        }
        s.drafts += 1;
    }
    let def = kim_son_monthly();
    let (rubric, row) = issue(
        tx,
        (kim_son, Purpose::Monthly, MONTHLY_RUBRIC_NAME, KIM_SON_NOTE),
        &def,
        date(2017, 12, 20),
    )
    .await?;
    store::rubric::adopt(
        tx,
        &row,
        &store::rubric::Adoption {
            document: "Quyết định số 3059-QĐ/HU của Ban Thường vụ Huyện ủy Kim Sơn",
            document_date: date(2017, 12, 26),
            valid_from: date(2018, 1, 1),
            on: date(2017, 12, 26),
        },
    )
    .await?;
    for month in (1..=12).filter_map(|m| ScoreMonth::new(2018, m).ok()) {
        let figures = monthly::figures(app, kim_son, month).await?;
        for f in figures.iter().filter(|f| base.contains(&f.org)) {
            let r = |k: i64| roll(f.org.0 * 100 + i64::from(month.month()), k);
            let mut answers = full_answers(&def, &f.metrics, 0.0);
            // The meeting figures of 2018 come from the paper reports.
            let quarter_end = month.month() % 3 == 0;
            for (key, value) in [
                (
                    "meetings_held",
                    if r(1) < 80 {
                        100.0
                    } else {
                        80.0 + (r(2) % 20) as f64
                    },
                ),
                (
                    "on_time",
                    if r(3) < 70 {
                        100.0
                    } else {
                        60.0 + (r(4) % 40) as f64
                    },
                ),
                ("attendance", 85.0 + (r(5) % 15) as f64),
            ] {
                if answers.contains_key(key) {
                    answers.insert(key.into(), Answer::Value(value));
                }
            }
            if answers.contains_key("thematic") {
                answers.insert("thematic".into(), Answer::Yes(quarter_end || r(6) < 30));
            }
            if answers.contains_key("visits") {
                answers.insert("visits".into(), Answer::Yes(r(7) < 35));
            }
            answers.insert(
                "tasks_quality".into(),
                Answer::Pick(usize::from(r(8) >= 55) + usize::from(r(8) >= 92)),
            );
            answers.insert(
                "political".into(),
                Answer::Pick(usize::from(r(9) >= 45) + usize::from(r(9) >= 85)),
            );
            answers.insert(
                "urgent".into(),
                Answer::Pick(usize::from(r(10) >= 50) + usize::from(r(10) >= 90)),
            );
            answers.insert("reporting".into(), Answer::Yes(r(11) < 88));
            answers.insert("initiative".into(), Answer::Yes(r(12) < 6));
            answers.insert("violation".into(), Answer::Yes(r(13) < 2));
            let scored = score(&def, &answers, &f.metrics, f.context);
            let answers_json =
                serde_json::to_string(&answers).map_err(|e| AppError::Internal(e.to_string()))?;
            let metrics_json =
                serde_json::to_string(&f.metrics).map_err(|e| AppError::Internal(e.to_string()))?;
            let note = format!("Báo cáo tháng {} của {}", month.label(), f.name);
            let reference = format!("Báo cáo số {}-BC/ĐU", 10 + r(14));
            store::monthly_score::upsert(
                tx,
                &store::monthly_score::NewScore {
                    org: f.org,
                    month: &month.code(),
                    rubric,
                    committee: kim_son,
                    answers: &answers_json,
                    metrics: &metrics_json,
                    evidence_note: &note,
                    evidence_ref: &reference,
                    total_tenths: (scored.total * 10.0).round() as i32,
                    level: &scored.band.map(|b| b.code).unwrap_or_default(),
                    username: "kimson",
                    on: month.last_day().saturating_add(jiff::Span::new().days(5)),
                },
            )
            .await?;
            s.scores += 1;
        }
    }
    Ok(())
}

/// What the demo tests check of this phase.
#[cfg(test)]
pub(super) async fn check(app: &AppState, ban_hon: OrgId, kim_son: OrgId) {
    use crate::domain::document::Quality;
    let db = &app.db;
    let count = |sql: &'static str| async move {
        crate::on_db!(db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
    };
    // Bản Hon's cells graded their held meetings since the rubric; the
    // levels vary with who came and spoke, and the commune reviewed some.
    let today = app.clock.today();
    let caller = crate::service::Caller::system("test");
    let levels = crate::service::quality::meeting::level_counts(
        app,
        &caller,
        ban_hon,
        (MEETING_RUBRIC_FROM, today),
    )
    .await
    .unwrap();
    let graded: i64 = levels.iter().map(|(_, n)| n).sum();
    assert!(graded > 100, "{levels:?}");
    let level = |q: Quality| levels.iter().find(|(l, _)| *l == q).map_or(0, |(_, n)| *n);
    assert!(
        level(Quality::Good) > 0 && level(Quality::Fair) > 0 && level(Quality::Average) > 0,
        "{levels:?}"
    );
    assert!(count("SELECT COUNT(*) FROM meeting_assessment WHERE stage = 'review'").await > 10);
    let rubric =
        crate::service::quality::rubric::in_force_for(app, ban_hon, Purpose::Meeting, today)
            .await
            .unwrap()
            .unwrap();
    assert!(rubric.row.note.starts_with(LOCAL_EXAMPLE_NOTE));
    assert_eq!(rubric.definition.groups.len(), 8);

    // Kim Sơn: two drafts with comments, then Decision 3059 from 01/2018.
    assert_eq!(
        count("SELECT COUNT(*) FROM rubric WHERE purpose = 'monthly' AND status = 'draft'").await,
        2
    );
    assert!(count("SELECT COUNT(*) FROM rubric_comment").await >= 5);
    let monthly = crate::service::quality::rubric::in_force_for(
        app,
        kim_son,
        Purpose::Monthly,
        date(2018, 6, 30),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(monthly.row.document.contains("3059"));
    assert_eq!(
        monthly.row.valid_from.map(|d| d.to_jiff()),
        Some(date(2018, 1, 1))
    );
    // Its 76 base organizations scored every month of 2018, ranked.
    assert_eq!(count("SELECT COUNT(*) FROM monthly_score").await, 76 * 12);
    for m in [1, 12] {
        let month = ScoreMonth::new(2018, m).unwrap();
        let v = monthly::ranking(app, &caller, kim_son, month)
            .await
            .unwrap();
        assert_eq!(v.ranked.len(), 76);
        assert!(v.unscored.is_empty());
        assert_eq!(v.ranked[0].rank, 1);
        assert!(
            v.ranked.first().map(|r| r.score.total_tenths)
                > v.ranked.last().map(|r| r.score.total_tenths)
        );
    }
}
