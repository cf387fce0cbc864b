//! One past year of meetings for every demo cell (domain.md §4): the
//! registered calendar, a regular meeting each month and a thematic one each
//! quarter (one a year on Ho Chi Minh), Bản Hon's two model meetings, the
//! roll calls, guests, signed minutes, resolutions and the tasks they give,
//! reviewed at the next meeting. The months ahead are planned, not held.
//!
//! Everything is built in memory first, then written with multi-row INSERTs
//! (about 200 parameters a statement on SQLite, `store::rows_per_statement`)
//! under meeting ids reserved in one go.

use super::names::{Folk, full_name};
use super::people::{Draft, Named};
use super::rng::{Rng, add_days, choose};
use super::tree::{Area, Cell, Plan};
use super::{BY, REFORM_DATE};
use crate::app::VN;
use crate::domain::agenda::default_agenda;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::meeting::MeetingKind;
use crate::domain::member::{Gender, MemberStatus};
use crate::domain::org::{CellType, OrgKind};
use crate::domain::schedule::format_time;
use crate::service::AppError;
use crate::store::types::{day, instant};
use crate::store::{self, Tx, placeholders, rows_per_statement};
use jiff::civil::{Date, Time};
use jiff::{Span, Timestamp};
use std::borrow::Cow;

/// Its own stream: the members drawn before do not move when this changes.
const SEED: u64 = 0x5EED_0003_2025_1103;

/// Names of the Bản Hon cells with a part of their own (domain.md §4.1, §4.7).
pub const ORG_CHAN_NUOI: &str = "Chi bộ 5 (bản Chăn nuôi)";
pub const ORG_THAM: &str = "Chi bộ 7 (bản Thẳm)";
/// Held-month index (0 = first month of the year shown) of the model meetings.
const MODEL_MONTH_DONG_PAO: usize = 4;
const MODEL_MONTH_THAM: usize = 7;

/// What the meeting phase wrote, for the audit row and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MeetingSummary {
    pub cells: usize,
    pub meetings: usize,
    pub held: usize,
    pub planned: usize,
    pub attendance: usize,
    pub agenda_items: usize,
    pub guests: usize,
    pub tasks: usize,
    /// First day of the year of meetings.
    pub from: Date,
}

/// The first day of the year of meetings that ends the month before `today`.
pub fn year_start(today: Date) -> Date {
    today
        .first_of_month()
        .saturating_sub(Span::new().months(12))
}

/// Draws every meeting in memory; the same inputs give the same meetings.
fn generate<'a>(
    plan: &'a Plan,
    ids: &[OrgId],
    drafts: &'a [Draft],
    member_ids: &'a [MemberId],
    named: &Named,
    today: Date,
) -> Result<(World<'a>, Out), AppError> {
    let mut rng = Rng::new(SEED);
    let world = World::new(&mut rng, plan, ids, drafts, member_ids, named, today)?;
    let mut out = Out::default();
    for c in 0..world.cells.len() {
        world.cell_year(&mut rng, c, &mut out)?;
    }
    Ok((world, out))
}

/// Writes the meetings of the twelve months before `today` (held, signed)
/// and of this month and the next (planned unless already past).
#[allow(clippy::too_many_arguments)]
pub async fn seed(
    tx: &mut Tx,
    plan: &Plan,
    ids: &[OrgId],
    drafts: &[Draft],
    member_ids: &[MemberId],
    named: &Named,
    today: Date,
) -> Result<MeetingSummary, AppError> {
    let (world, out) = generate(plan, ids, drafts, member_ids, named, today)?;
    let meeting_ids = reserve_ids(tx, out.meetings.len()).await?;
    write(tx, &world, &out, &meeting_ids).await?;
    let held = out.meetings.iter().filter(|m| m.record.is_some()).count();
    Ok(MeetingSummary {
        cells: world.cells.iter().filter(|c| c.alive(today)).count(),
        meetings: out.meetings.len(),
        held,
        planned: out.meetings.len() - held,
        attendance: out.attendance.len(),
        agenda_items: out.agenda.len(),
        guests: out.guests.len(),
        tasks: out.tasks.len(),
        from: world.from,
    })
}

// ---------------------------------------------------------------------------
// The world the meetings are drawn from.

/// A cell with its calendar, its members and the cadre who follows it.
struct CellCtx<'a> {
    node: usize,
    org: OrgId,
    cell: &'a Cell,
    name: &'a str,
    day_of_month: i8,
    time: &'static str,
    place: String,
    /// Drafts whose home is this cell (in draft order), and, for the cell
    /// that absorbed another on the reform, the absorbed cell's.
    own: Vec<usize>,
    absorbed: Vec<usize>,
    dissolved_on: Option<Date>,
    /// The upper-level cadre who attends some meetings: (name, position).
    cadre: (String, &'static str),
    /// Households each member of Chi bộ 5 follows (domain.md §4.7), by draft.
    households: Vec<(usize, String)>,
}

impl CellCtx<'_> {
    fn alive(&self, d: Date) -> bool {
        self.dissolved_on.is_none_or(|x| d < x)
    }
}

struct World<'a> {
    cells: Vec<CellCtx<'a>>,
    drafts: &'a [Draft],
    member_ids: &'a [MemberId],
    /// The demo accounts' members (Chi bộ 4): the secretary chairs, the
    /// member always has a task, so their home pages show something.
    secretary: usize,
    ordinary: usize,
    dong_pao: usize,
    ban_hon_village: usize,
    today: Date,
    from: Date,
    /// First day of the month after next: the end of what is laid out.
    until: Date,
}

fn status_at(d: &Draft, on: Date) -> Option<MemberStatus> {
    d.statuses
        .iter()
        .find(|(_, from, to, _)| *from <= on && to.is_none_or(|t| on < t))
        .map(|(s, _, _, _)| *s)
}

/// The members the demo and domain.md name; households get other names.
const NAMED: [&str; 6] = [
    "Lò Văn Phà",
    "Nguyễn Thế Hùng",
    "Tẩn Văn Chiêu",
    "Lý Thị Mẩy",
    "Nguyễn Văn An",
    "Đặng Văn Phù",
];

fn strip<'s>(s: &'s str, prefix: &str) -> &'s str {
    s.strip_prefix(prefix).unwrap_or(s)
}

/// "Chi bộ 4 (bản Đông Pao)" → "bản Đông Pao"; "Chi bộ xóm 3" → "xóm 3".
fn short_name(name: &str) -> &str {
    match (name.find('('), name.rfind(')')) {
        (Some(a), Some(b)) if b > a => &name[a + 1..b],
        _ => strip(name, "Chi bộ "),
    }
}

/// Where a cell meets: the hamlet's cultural house, the school, the health
/// station, the agency's meeting room.
fn meeting_place(name: &str, t: CellType, parent: Option<(&str, OrgKind)>) -> String {
    let rest = short_name(name);
    let commune = parent
        .map(|(p, _)| strip(p, "Đảng bộ "))
        .filter(|p| p.starts_with("xã ") || p.starts_with("thị trấn "));
    match (t, commune) {
        (CellType::Rural | CellType::Residential, _) => format!("Nhà văn hóa {rest}"),
        (CellType::School, Some(c)) => {
            let place = strip(strip(c, "xã "), "thị trấn ");
            if rest.contains(place) {
                format!("Phòng họp {rest}")
            } else {
                format!("Phòng họp {rest} {place}")
            }
        }
        (CellType::Health, Some(c)) => format!("Hội trường Trạm Y tế {c}"),
        (CellType::Agency, Some(c)) => format!("Hội trường Ủy ban nhân dân {c}"),
        (CellType::Police, Some(c)) => format!("Trụ sở Công an {c}"),
        (CellType::ArmedForces, Some(c)) => format!("Trụ sở Ban Chỉ huy Quân sự {c}"),
        _ => match parent {
            Some((p, OrgKind::BaseCommittee | OrgKind::PartialCommittee)) => {
                let unit = strip(p, "Đảng bộ ");
                if rest.starts_with("số ") {
                    format!("Phòng họp {unit}")
                } else {
                    format!("Phòng họp {rest}, {unit}")
                }
            }
            _ => format!("Phòng họp {rest}"),
        },
    }
}

impl<'a> World<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        rng: &mut Rng,
        plan: &'a Plan,
        ids: &[OrgId],
        drafts: &'a [Draft],
        member_ids: &'a [MemberId],
        named: &Named,
        today: Date,
    ) -> Result<Self, AppError> {
        if member_ids.len() != drafts.len() {
            return Err(AppError::Internal("demo: members without ids".into()));
        }
        let k = &plan.keys;
        let mut by_node: Vec<Vec<usize>> = vec![Vec::new(); plan.nodes.len()];
        for (i, d) in drafts.iter().enumerate() {
            if let Some(list) = by_node.get_mut(d.cell) {
                list.push(i);
            }
        }
        let mut cells = Vec::with_capacity(plan.cells.len());
        for cell in &plan.cells {
            let node = plan
                .nodes
                .get(cell.node)
                .ok_or(AppError::Internal("demo: unknown cell".into()))?;
            let org = ids
                .get(cell.node)
                .copied()
                .ok_or(AppError::Internal("demo: cell without id".into()))?;
            let parent = node
                .parent
                .and_then(|p| plan.nodes.get(p))
                .map(|p| (p.name.as_str(), p.kind));
            let village = matches!(cell.cell_type, CellType::Rural | CellType::Residential);
            let (day_of_month, time) = if cell.area == Area::BanHon {
                (3, "19:30")
            } else {
                (
                    rng.range(1, 10) as i8,
                    if village { "19:30" } else { "14:00" },
                )
            };
            let absorbed = if cell.node == k.merge_into {
                by_node.get(k.merge_from).cloned().unwrap_or_default()
            } else {
                Vec::new()
            };
            cells.push(CellCtx {
                node: cell.node,
                org,
                cell,
                name: node.name.as_str(),
                day_of_month,
                time,
                place: meeting_place(&node.name, cell.cell_type, parent),
                own: by_node.get(cell.node).cloned().unwrap_or_default(),
                absorbed,
                dissolved_on: (cell.node == k.merge_from).then_some(REFORM_DATE),
                cadre: (String::new(), ""),
                households: Vec::new(),
            });
        }
        let until = today.first_of_month().saturating_add(Span::new().months(2));
        let mut world = World {
            cells,
            drafts,
            member_ids,
            secretary: named.secretary,
            ordinary: named.ordinary,
            dong_pao: k.dong_pao,
            ban_hon_village: k.ban_hon_village,
            today,
            from: year_start(today),
            until,
        };
        world.assign_cadres(rng, plan);
        world.assign_households(rng);
        Ok(world)
    }

    /// Active members of a cell on a day, in draft order.
    fn roster(&self, c: &CellCtx, on: Date) -> Vec<(usize, MemberStatus)> {
        if !c.alive(on) {
            return Vec::new();
        }
        let absorbed: &[usize] = if on >= REFORM_DATE { &c.absorbed } else { &[] };
        c.own
            .iter()
            .chain(absorbed)
            .filter_map(|&i| {
                let d = self.drafts.get(i)?;
                let s = status_at(d, on)?;
                (s.is_active() && d.home_from() <= on).then_some((i, s))
            })
            .collect()
    }

    /// The chair: the demo secretary in Chi bộ 4, otherwise the cell's first
    /// full member; the recorder: the next full member (or anyone else able).
    fn chair_and_recorder(
        &self,
        c: &CellCtx,
        roster: &[(usize, MemberStatus)],
    ) -> Option<(usize, usize)> {
        let able = |s: MemberStatus| s != MemberStatus::Exempt;
        let official = |s: MemberStatus| s == MemberStatus::Official;
        let named = (c.node == self.dong_pao)
            .then(|| {
                roster
                    .iter()
                    .find(|(i, s)| *i == self.secretary && able(*s))
            })
            .flatten();
        let chair = named
            .or_else(|| roster.iter().find(|(_, s)| official(*s)))
            .or_else(|| roster.iter().find(|(_, s)| able(*s)))?
            .0;
        let recorder = roster
            .iter()
            .find(|(i, s)| *i != chair && official(*s))
            .or_else(|| roster.iter().find(|(i, s)| *i != chair && able(*s)))
            .map_or(chair, |(i, _)| *i);
        Some((chair, recorder))
    }

    fn name(&self, i: usize) -> &str {
        self.drafts
            .get(i)
            .map_or("", |d| d.fields.full_name.as_str())
    }

    fn member_id(&self, i: usize) -> MemberId {
        self.member_ids.get(i).copied().unwrap_or(MemberId(0))
    }

    /// Each cell is followed by a member of the committee above it: the
    /// secretary of a sibling cell; base cells by a cadre of the province.
    fn assign_cadres(&mut self, rng: &mut Rng, plan: &Plan) {
        let chairs: Vec<Option<String>> = self
            .cells
            .iter()
            .map(|c| {
                let roster = self.roster(c, self.today);
                self.chair_and_recorder(c, &roster)
                    .map(|(ch, _)| self.name(ch).to_string())
            })
            .collect();
        let parents: Vec<Option<usize>> = self
            .cells
            .iter()
            .map(|c| plan.nodes.get(c.node).and_then(|n| n.parent))
            .collect();
        for i in 0..self.cells.len() {
            let siblings: Vec<usize> = (0..self.cells.len())
                .filter(|&j| j != i && parents[j] == parents[i] && chairs[j].is_some())
                .collect();
            let parent_kind = parents[i].and_then(|p| plan.nodes.get(p)).map(|n| n.kind);
            let under_committee = matches!(
                parent_kind,
                Some(OrgKind::BaseCommittee | OrgKind::PartialCommittee)
            );
            let cadre = match siblings.get(rng.below(siblings.len())) {
                Some(&j) if under_committee => (
                    chairs[j].clone().unwrap_or_default(),
                    "Đảng ủy viên phụ trách chi bộ",
                ),
                _ => {
                    let gender = if rng.chance(0.3) {
                        Gender::Female
                    } else {
                        Gender::Male
                    };
                    let folk = match self.cells[i].cell.area {
                        Area::BanHon => Folk::Thai,
                        Area::LamSon | Area::Bloc => {
                            if rng.chance(0.4) {
                                Folk::Muong
                            } else {
                                Folk::Kinh
                            }
                        }
                        Area::KimSon | Area::DucTho => Folk::Kinh,
                    };
                    (
                        full_name(rng, folk, gender),
                        "Cán bộ Ban Tổ chức cấp ủy cấp trên theo dõi chi bộ",
                    )
                }
            };
            self.cells[i].cadre = cadre;
        }
    }

    /// Chi bộ 5 (bản Chăn nuôi): each member follows 3–4 households.
    fn assign_households(&mut self, rng: &mut Rng) {
        let Some(c) = self.cells.iter().position(|c| c.name == ORG_CHAN_NUOI) else {
            return;
        };
        let members: Vec<usize> = {
            let cell = &self.cells[c];
            cell.own.iter().chain(&cell.absorbed).copied().collect()
        };
        let folks = [
            (Folk::Dao, 45),
            (Folk::Thai, 25),
            (Folk::Mong, 20),
            (Folk::Giay, 10),
        ];
        let mut out = Vec::with_capacity(members.len());
        for m in members {
            let n = rng.range(3, 4);
            let homes: Vec<String> = (0..n)
                .map(|_| {
                    let (gender, title) = if rng.chance(0.25) {
                        (Gender::Female, "Hộ bà")
                    } else {
                        (Gender::Male, "Hộ ông")
                    };
                    let folk = rng.weighted(&folks);
                    let mut name = full_name(rng, folk, gender);
                    // Not one of the people the demo names (domain.md §2.3).
                    for _ in 0..10 {
                        if !NAMED.contains(&name.as_str()) {
                            break;
                        }
                        name = full_name(rng, folk, gender);
                    }
                    format!("{title} {name}")
                })
                .collect();
            out.push((m, homes.join(", ")));
        }
        self.cells[c].households = out;
    }
}

// ---------------------------------------------------------------------------
// What is written.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Regular,
    Thematic,
    /// Chi bộ 4's model regular meeting.
    ModelRegular,
    /// Chi bộ 7's model meeting: the month's regular meeting with a topic.
    ModelThematic,
}

impl Content {
    fn kind(self) -> MeetingKind {
        match self {
            Self::Regular => MeetingKind::Regular,
            Self::Thematic => MeetingKind::Thematic,
            Self::ModelRegular | Self::ModelThematic => MeetingKind::Model,
        }
    }
    fn counts_as_regular(self) -> bool {
        self != Self::Thematic
    }
    fn has_topic(self) -> bool {
        matches!(self, Self::Thematic | Self::ModelThematic)
    }
    fn is_model(self) -> bool {
        matches!(self, Self::ModelRegular | Self::ModelThematic)
    }
}

struct Record {
    notice: Date,
    docs: Date,
    sent: Date,
    started: String,
    ended: String,
    chair: MemberId,
    recorder: MemberId,
    proceedings: String,
    conclusion: String,
    vote_for: i64,
    vote_abstain: i64,
    title: String,
    text: String,
    number: i64,
    signed_at: Timestamp,
}

struct MeetingRow {
    cell: usize,
    kind: MeetingKind,
    day: Date,
    topic: String,
    ho_chi_minh: bool,
    record: Option<Record>,
}

struct AttendanceRow {
    meeting: usize,
    member: MemberId,
    presence: &'static str,
    reason: &'static str,
    spoke: bool,
    official: bool,
}

struct AgendaRow {
    meeting: usize,
    position: i64,
    title: Cow<'static, str>,
    presenter: Option<MemberId>,
}

struct GuestRow {
    meeting: usize,
    name: String,
    position: String,
}

struct TaskRow {
    meeting: usize,
    member: MemberId,
    title: &'static str,
    deadline: Date,
    households: String,
    status: &'static str,
    result: &'static str,
    reviewed_in: Option<usize>,
}

#[derive(Default)]
struct Out {
    meetings: Vec<MeetingRow>,
    attendance: Vec<AttendanceRow>,
    agenda: Vec<AgendaRow>,
    guests: Vec<GuestRow>,
    tasks: Vec<TaskRow>,
}

/// A meeting of the year before its record is drawn.
struct Slot {
    content: Content,
    day: Date,
    topic: &'static str,
    ho_chi_minh: bool,
}

fn quarter(d: Date) -> (i16, i8) {
    (d.year(), (d.month() - 1) / 3)
}

fn day_in(first_of_month: Date, day_of_month: i8) -> Date {
    let last = first_of_month.last_of_month().day();
    first_of_month
        .with()
        .day(day_of_month.min(last))
        .build()
        .unwrap_or(first_of_month)
}

fn clock(t: &str) -> Time {
    crate::domain::schedule::parse_time(t).unwrap_or(Time::constant(19, 30, 0, 0))
}

fn month_label(d: Date) -> String {
    format!("{:02}/{}", d.month(), d.year())
}

impl World<'_> {
    /// The regular, model and thematic meetings of a cell, by day.
    fn slots(&self, rng: &mut Rng, c: &CellCtx) -> Vec<Slot> {
        let mut regular = Vec::new();
        let mut month = self.from;
        while month < self.until {
            let d = day_in(month, c.day_of_month);
            if c.alive(d) {
                regular.push(d);
            }
            month = month.saturating_add(Span::new().months(1));
        }
        let held: Vec<Date> = regular
            .iter()
            .copied()
            .filter(|d| *d < self.today)
            .collect();
        let model = |i: usize| held.get(i.min(held.len().saturating_sub(1))).copied();
        let is_tham = c.cell.area == Area::BanHon && c.name == ORG_THAM;
        let model_day = if c.node == self.dong_pao {
            model(MODEL_MONTH_DONG_PAO).map(|d| (d, Content::ModelRegular))
        } else if is_tham {
            model(MODEL_MONTH_THAM).map(|d| (d, Content::ModelThematic))
        } else {
            None
        };
        let mut slots: Vec<Slot> = regular
            .iter()
            .map(|&d| {
                let content = match model_day {
                    Some((m, content)) if m == d => content,
                    _ => Content::Regular,
                };
                Slot {
                    content,
                    day: d,
                    topic: if content == Content::ModelThematic {
                        TOPIC_CULTURAL_VILLAGE
                    } else {
                        ""
                    },
                    ho_chi_minh: false,
                }
            })
            .collect();
        // A thematic meeting in each calendar quarter of the held months, a
        // week or two after the regular one.
        let mut quarters: Vec<(i16, i8)> = held.iter().map(|d| quarter(*d)).collect();
        quarters.dedup();
        let topics = topics(rng, c);
        let mut thematic: Vec<Slot> = Vec::new();
        for q in &quarters {
            let months: Vec<Date> = held.iter().copied().filter(|d| quarter(*d) == *q).collect();
            let Some(&regular_day) = months.get(rng.below(months.len())) else {
                continue;
            };
            let mut d = add_days(regular_day, rng.range(7, 14));
            if d.month() != regular_day.month() {
                d = regular_day.last_of_month();
            }
            // The second quarter's (19 May) is on Ho Chi Minh: any twelve
            // months hold one; the others take up the cell's topics in turn.
            let ho_chi_minh = q.1 == 1;
            let topic = if ho_chi_minh {
                rng.pick(&TOPIC_HO_CHI_MINH)
            } else {
                let next = thematic.iter().filter(|s| !s.ho_chi_minh).count();
                topics
                    .get(next % topics.len().max(1))
                    .copied()
                    .unwrap_or(TOPIC_NEW_RURAL)
            };
            thematic.push(Slot {
                content: Content::Thematic,
                day: d,
                topic,
                ho_chi_minh,
            });
        }
        slots.extend(thematic);
        slots.sort_by_key(|s| s.day);
        slots
    }

    /// The whole year of one cell.
    fn cell_year(&self, rng: &mut Rng, ci: usize, out: &mut Out) -> Result<(), AppError> {
        let Some(c) = self.cells.get(ci) else {
            return Ok(());
        };
        let slots = self.slots(rng, c);
        let regular_days: Vec<Date> = slots
            .iter()
            .filter(|s| s.content.counts_as_regular())
            .map(|s| s.day)
            .collect();
        // The cell's character: how many come, how many speak.
        let (lo, hi) = match c.cell.area {
            Area::LamSon => (0.965, 0.985),
            Area::BanHon => (0.90, 0.95),
            _ => (0.85, 0.95),
        };
        let rate = lo + (hi - lo) * rng.unit();
        let speak = 0.55 + 0.10 * rng.unit();
        let village = matches!(c.cell.cell_type, CellType::Rural | CellType::Residential);
        let away: Vec<usize> = c
            .own
            .iter()
            .chain(&c.absorbed)
            .copied()
            .filter(|_| village && rng.chance(0.1))
            .collect();

        // Roll calls first: absences are spread over the cell's year so that
        // its rate is the one drawn.
        let held_slots: Vec<usize> = (0..slots.len())
            .filter(|&i| slots[i].day < self.today)
            .collect();
        let mut rolls: Vec<Roll> = Vec::with_capacity(held_slots.len());
        for &i in &held_slots {
            let roster = self.roster(c, slots[i].day);
            let Some((chair, recorder)) = self.chair_and_recorder(c, &roster) else {
                continue;
            };
            rolls.push(Roll {
                slot: i,
                roster,
                chair,
                recorder,
                absent: Vec::new(),
            });
        }
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        let mut weights: Vec<f64> = Vec::new();
        let mut convened = 0usize;
        for (r, roll) in rolls.iter().enumerate() {
            for (m, s) in &roll.roster {
                if *s == MemberStatus::Exempt {
                    continue;
                }
                convened += 1;
                if *m == roll.chair || *m == roll.recorder {
                    continue;
                }
                candidates.push((r, *m));
                weights.push(if away.contains(m) { 6.0 } else { 1.0 });
            }
        }
        let absences = ((convened as f64) * (1.0 - rate)).round() as usize;
        for (chosen, (r, m)) in choose(rng, &weights, absences.min(candidates.len()))
            .into_iter()
            .zip(&candidates)
        {
            if chosen && let Some(roll) = rolls.get_mut(*r) {
                roll.absent.push(*m);
            }
        }

        let mut pending: Vec<usize> = Vec::new();
        let mut number = 0i64;
        let mut number_year = 0i16;
        let mut rolls = rolls.into_iter().peekable();
        for (i, slot) in slots.iter().enumerate() {
            let meeting = out.meetings.len();
            let kind = slot.content.kind();
            let topic = slot.topic.to_string();
            let roll = match rolls.peek() {
                Some(r) if r.slot == i => rolls.next(),
                _ => None,
            };
            let Some(roll) = roll else {
                // Planned: the calendar and the standard agenda only.
                out.meetings.push(MeetingRow {
                    cell: ci,
                    kind,
                    day: slot.day,
                    topic,
                    ho_chi_minh: slot.ho_chi_minh,
                    record: None,
                });
                self.agenda(out, meeting, slot, c.cell.cell_type, &[]);
                continue;
            };
            if slot.day.year() != number_year {
                (number_year, number) = (slot.day.year(), 0);
            }
            number += 1;
            let held = self.hold(rng, c, slot, &roll, meeting, speak, out);
            // Last month's tasks are reviewed at this month's regular meeting.
            let mut review = (0usize, 0usize);
            if slot.content.counts_as_regular() {
                for t in pending.drain(..) {
                    if let Some(task) = out.tasks.get_mut(t) {
                        let done = rng.chance(0.85);
                        task.status = if done { "done" } else { "not_done" };
                        task.result = if done {
                            rng.pick(&RESULT_DONE)
                        } else {
                            rng.pick(&RESULT_NOT_DONE)
                        };
                        task.reviewed_in = Some(meeting);
                        review = (review.0 + usize::from(done), review.1 + 1);
                    }
                }
            }
            let mut assigned: Vec<(usize, &'static str)> = Vec::new();
            if slot.content.counts_as_regular() {
                let next = regular_days.iter().copied().find(|d| *d > slot.day);
                let last_held = next.is_none_or(|d| d >= self.today);
                let able: Vec<usize> = roll
                    .roster
                    .iter()
                    .filter(|(_, s)| *s != MemberStatus::Exempt)
                    .map(|(m, _)| *m)
                    .collect();
                let n = rng.range(3, 5) as usize;
                let weights: Vec<f64> = able
                    .iter()
                    .map(|m| {
                        let demo = c.node == self.dong_pao && *m == self.ordinary;
                        if demo { 1e9 } else { 1.0 }
                    })
                    .collect();
                let picks = choose(rng, &weights, n);
                let bank = task_bank(c.cell.cell_type, slot.day.month());
                for (m, picked) in able.iter().zip(picks) {
                    if !picked {
                        continue;
                    }
                    let households = c
                        .households
                        .iter()
                        .find(|(d, _)| d == m)
                        .map(|(_, h)| h.clone());
                    let title = if households.is_some() {
                        TASK_HOUSEHOLDS
                    } else {
                        rng.pick(bank)
                    };
                    let deadline = match next {
                        Some(d) if !(last_held && rng.chance(0.15)) => d,
                        _ => add_days(slot.day, 10),
                    };
                    pending.push(out.tasks.len());
                    out.tasks.push(TaskRow {
                        meeting,
                        member: self.member_id(*m),
                        title,
                        deadline,
                        households: households.unwrap_or_default(),
                        status: "open",
                        result: "",
                        reviewed_in: None,
                    });
                    assigned.push((*m, title));
                }
            }
            let record = self.minutes(rng, c, slot, &roll, &held, review, &assigned, number)?;
            out.meetings.push(MeetingRow {
                cell: ci,
                kind,
                day: slot.day,
                topic,
                ho_chi_minh: slot.ho_chi_minh,
                record: Some(record),
            });
            self.agenda(out, meeting, slot, c.cell.cell_type, &held.presenters);
        }
        Ok(())
    }

    /// Agenda rows: the standard steps for the cell's type (docs/rules.md
    /// "The standard agenda follows the cell's type"), with the topic and the
    /// prepared contributions spelled out as the planning service does.
    fn agenda(
        &self,
        out: &mut Out,
        meeting: usize,
        slot: &Slot,
        cell_type: CellType,
        presenters: &[usize],
    ) {
        let kind = match slot.content {
            Content::ModelThematic => MeetingKind::Combined,
            other => other.kind(),
        };
        let mut position = 0i64;
        let mut push = |out: &mut Out, title: Cow<'static, str>, presenter: Option<MemberId>| {
            position += 1;
            out.agenda.push(AgendaRow {
                meeting,
                position,
                title,
                presenter,
            });
        };
        for step in default_agenda(kind, Some(cell_type)) {
            if step.starts_with("Tham luận") && !presenters.is_empty() {
                for p in presenters {
                    push(
                        out,
                        Cow::Owned(format!("Tham luận: {}", self.name(*p))),
                        Some(self.member_id(*p)),
                    );
                }
            } else if step.starts_with("Trình bày chuyên đề") && !slot.topic.is_empty() {
                push(
                    out,
                    Cow::Owned(format!("Trình bày chuyên đề: {}", slot.topic)),
                    None,
                );
            } else {
                push(out, Cow::Borrowed(step), None);
            }
        }
    }

    /// The roll call, speakers and guests of a held meeting.
    #[allow(clippy::too_many_arguments)]
    fn hold(
        &self,
        rng: &mut Rng,
        c: &CellCtx,
        slot: &Slot,
        roll: &Roll,
        meeting: usize,
        speak: f64,
        out: &mut Out,
    ) -> Held {
        let present: Vec<usize> = roll
            .roster
            .iter()
            .filter(|(m, s)| *s != MemberStatus::Exempt && !roll.absent.contains(m))
            .map(|(m, _)| *m)
            .collect();
        let presenters: Vec<usize> = if slot.content.has_topic() {
            let others: Vec<usize> = present
                .iter()
                .copied()
                .filter(|m| *m != roll.chair)
                .collect();
            let picks = choose(rng, &vec![1.0; others.len()], 2);
            others
                .iter()
                .zip(picks)
                .filter(|(_, p)| *p)
                .map(|(m, _)| *m)
                .collect()
        } else {
            Vec::new()
        };
        // Speakers: the chair and the presenters, then others; new
        // (probationary) members speak less (domain.md §4.6).
        let target = ((present.len() as f64) * speak).round() as usize;
        let mut spoke: Vec<usize> = std::iter::once(roll.chair)
            .chain(presenters.iter().copied())
            .collect();
        let rest: Vec<usize> = present
            .iter()
            .copied()
            .filter(|m| !spoke.contains(m))
            .collect();
        let weights: Vec<f64> = rest
            .iter()
            .map(|m| {
                let probationary = roll
                    .roster
                    .iter()
                    .any(|(x, s)| x == m && *s == MemberStatus::Probationary);
                if probationary { 0.4 } else { 1.0 }
            })
            .collect();
        let more = target.saturating_sub(spoke.len());
        for (m, p) in rest.iter().zip(choose(rng, &weights, more)) {
            if p {
                spoke.push(*m);
            }
        }
        let (mut excused, mut unexcused, mut exempt, mut official_present) = (0, 0, 0, 0);
        let unexcused_share = if c.cell.area == Area::LamSon {
            0.03
        } else {
            0.12
        };
        let agency = !matches!(c.cell.cell_type, CellType::Rural | CellType::Residential);
        for (m, s) in &roll.roster {
            let (presence, reason) = if *s == MemberStatus::Exempt {
                exempt += 1;
                ("exempt", "")
            } else if roll.absent.contains(m) {
                if rng.chance(unexcused_share) {
                    unexcused += 1;
                    ("absent_unexcused", "")
                } else {
                    excused += 1;
                    let reason = if !agency && rng.chance(0.5) {
                        "Đi làm ăn xa"
                    } else if agency && rng.chance(0.4) {
                        "Đi công tác"
                    } else {
                        rng.pick(&[
                            "Ốm",
                            "Việc gia đình",
                            "Ốm",
                            "Việc gia đình",
                            "Đi viện chăm người thân",
                        ])
                    };
                    ("absent_excused", reason)
                }
            } else {
                official_present += i64::from(*s == MemberStatus::Official);
                ("present", "")
            };
            out.attendance.push(AttendanceRow {
                meeting,
                member: self.member_id(*m),
                presence,
                reason,
                spoke: presence == "present" && spoke.contains(m),
                official: *s == MemberStatus::Official,
            });
        }
        let mut guests = Vec::new();
        if slot.content.is_model() {
            guests.extend(self.model_guests(rng, c, slot.day));
        } else if rng.chance(0.25) && !c.cadre.0.is_empty() {
            guests.push((c.cadre.0.clone(), c.cadre.1.to_string()));
        }
        for (name, position) in &guests {
            out.guests.push(GuestRow {
                meeting,
                name: name.clone(),
                position: position.clone(),
            });
        }
        Held {
            present: present.len() as i64,
            excused,
            unexcused,
            exempt: exempt as i64,
            speakers: spoke.len() as i64,
            official_present,
            presenters,
            guests,
        }
    }

    /// A model meeting is attended by the commune's standing committee, the
    /// secretaries of every other cell and a cadre of the province (domain.md §4.1).
    fn model_guests(&self, rng: &mut Rng, c: &CellCtx, on: Date) -> Vec<(String, String)> {
        let mut guests = Vec::new();
        let ban_hon: Vec<&CellCtx> = self
            .cells
            .iter()
            .filter(|x| x.cell.area == Area::BanHon)
            .collect();
        if let Some(village) = ban_hon.iter().find(|x| x.node == self.ban_hon_village) {
            let roster = self.roster(village, on);
            if let Some((chair, _)) = self.chair_and_recorder(village, &roster) {
                guests.push((
                    self.name(chair).to_string(),
                    "Bí thư Đảng ủy xã Bản Hon".to_string(),
                ));
            }
        }
        guests.push((
            full_name(rng, Folk::Kinh, Gender::Male),
            "Chuyên viên Ban Tổ chức Tỉnh ủy Lai Châu".to_string(),
        ));
        for other in ban_hon
            .iter()
            .filter(|x| x.node != c.node && x.node != self.ban_hon_village)
        {
            let roster = self.roster(other, on);
            if let Some((chair, _)) = self.chair_and_recorder(other, &roster) {
                guests.push((
                    self.name(chair).to_string(),
                    format!("Bí thư {}", other.name),
                ));
            }
        }
        guests
    }

    /// Times, texts, vote and signature of a held meeting.
    #[allow(clippy::too_many_arguments)]
    fn minutes(
        &self,
        rng: &mut Rng,
        c: &CellCtx,
        slot: &Slot,
        roll: &Roll,
        held: &Held,
        review: (usize, usize),
        assigned: &[(usize, &'static str)],
        number: i64,
    ) -> Result<Record, AppError> {
        let d = slot.day;
        // Seed cells open at the announced time (docs/rules.md "Punctuality");
        // discussion runs over by a few minutes.
        let start = clock(c.time);
        let overrun = rng.range(0, 10);
        let length = overrun
            + if slot.content.is_model() {
                rng.range(120, 150)
            } else {
                rng.range(90, 130)
            };
        let end = start.wrapping_add(Span::new().minutes(length));
        let signed = end.wrapping_add(Span::new().minutes(rng.range(5, 15)));
        let signed_at = d
            .to_datetime(signed)
            .to_zoned(VN.clone())
            .map_err(|e| AppError::Internal(format!("demo: {e}")))?
            .timestamp();
        let (chair, recorder) = (self.name(roll.chair), self.name(roll.recorder));
        let mut p = format!(
            "Đồng chí {chair} chủ trì, tuyên bố lý do; đồng chí {recorder} làm thư ký. Tổng số đảng viên {}, có mặt {}, vắng có lý do {}, vắng không lý do {}, miễn sinh hoạt {}.",
            roll.roster.len(),
            held.present,
            held.excused,
            held.unexcused,
            held.exempt
        );
        if !held.guests.is_empty() {
            let named: Vec<String> = held
                .guests
                .iter()
                .take(2)
                .map(|(n, pos)| format!("đồng chí {n} – {pos}"))
                .collect();
            let more = held.guests.len().saturating_sub(2);
            p.push_str(&format!(" Dự sinh hoạt có {}", named.join(", ")));
            if more > 0 {
                p.push_str(&format!(" và {more} đồng chí bí thư chi bộ"));
            }
            p.push('.');
        }
        if slot.content.is_model() {
            p.push_str(" Buổi sinh hoạt mẫu được tổ chức theo hướng dẫn của cấp ủy cấp trên để các chi bộ dự, rút kinh nghiệm.");
        }
        let theme = theme(c.cell.cell_type, d.month());
        let presenters: Vec<&str> = held.presenters.iter().map(|m| self.name(*m)).collect();
        let (conclusion, title, text);
        if slot.content.has_topic() {
            p.push_str(&format!(
                " Đồng chí {chair} trình bày chuyên đề \"{}\". Tham luận: {}.",
                slot.topic,
                if presenters.is_empty() {
                    "không có".to_string()
                } else {
                    format!("đồng chí {}", presenters.join(", đồng chí "))
                }
            ));
        }
        if slot.content.counts_as_regular() {
            if review.1 > 0 {
                p.push_str(&format!(
                    " Chi bộ kiểm điểm việc thực hiện nghị quyết tháng trước: {}/{} nhiệm vụ giao cho đảng viên hoàn thành.",
                    review.0, review.1
                ));
            }
            p.push_str(" Bí thư chi bộ thông tin thời sự, phổ biến văn bản mới của cấp trên; tư tưởng đảng viên ổn định.");
            p.push_str(&format!(" Chi bộ thảo luận việc lãnh đạo {theme}."));
        }
        p.push_str(&format!(" Có {} đồng chí phát biểu ý kiến.", held.speakers));
        let tasks: Vec<String> = assigned
            .iter()
            .map(|(m, t)| format!("đồng chí {}: {}", self.name(*m), lower_first(t)))
            .collect();
        if slot.content.has_topic() {
            conclusion = format!(
                "Chi bộ thống nhất ban hành nghị quyết chuyên đề \"{}\"; mỗi đảng viên xây dựng kế hoạch thực hiện, gương mẫu đi đầu, liên hệ với nhiệm vụ được giao.",
                slot.topic
            );
            title = format!("Nghị quyết chuyên đề: {}", slot.topic);
            let mut t = format!(
                "1. Quán triệt đến từng đảng viên nội dung chuyên đề \"{}\".\n2. Mỗi đảng viên xây dựng kế hoạch làm theo, gắn với nhiệm vụ chuyên môn và nơi cư trú; cam kết gương mẫu trước chi bộ.\n3. Chi ủy theo dõi, đôn đốc, sơ kết việc thực hiện vào cuối quý.",
                slot.topic
            );
            if !tasks.is_empty() {
                t.push_str(&format!(
                    "\n4. Nhiệm vụ tháng {}: {}.",
                    month_label(d),
                    tasks.join("; ")
                ));
            }
            text = t;
        } else {
            conclusion = format!(
                "Chi bộ thống nhất tập trung lãnh đạo {theme}; phân công nhiệm vụ cụ thể cho từng đảng viên, kiểm điểm kết quả tại kỳ sinh hoạt tháng sau."
            );
            title = format!("Lãnh đạo thực hiện nhiệm vụ tháng {}", month_label(d));
            text = format!(
                "1. Nhiệm vụ trọng tâm tháng {}: {theme}.\n2. Giao nhiệm vụ: {}.\n3. Chi ủy theo dõi, đôn đốc; đảng viên được phân công báo cáo kết quả tại kỳ sinh hoạt sau.",
                month_label(d),
                if tasks.is_empty() {
                    "các đồng chí đảng viên thực hiện theo sự phân công của chi ủy".to_string()
                } else {
                    tasks.join("; ")
                }
            );
        }
        let abstain = i64::from(held.official_present > 2 && rng.chance(0.12));
        Ok(Record {
            notice: add_days(d, -rng.range(1, 2)),
            docs: add_days(d, -rng.range(1, 3)),
            sent: add_days(d, 1),
            started: format_time(start),
            ended: format_time(end),
            chair: self.member_id(roll.chair),
            recorder: self.member_id(roll.recorder),
            proceedings: p,
            conclusion,
            vote_for: held.official_present - abstain,
            vote_abstain: abstain,
            title,
            text,
            number,
            signed_at,
        })
    }
}

struct Roll {
    slot: usize,
    roster: Vec<(usize, MemberStatus)>,
    chair: usize,
    recorder: usize,
    absent: Vec<usize>,
}

struct Held {
    present: i64,
    excused: i64,
    unexcused: i64,
    exempt: i64,
    speakers: i64,
    official_present: i64,
    presenters: Vec<usize>,
    guests: Vec<(String, String)>,
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Texts.

const TOPIC_HO_CHI_MINH: [&str; 4] = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần đoàn kết, gần dân, trọng dân",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về cần, kiệm, liêm, chính, chí công vô tư",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về trách nhiệm nêu gương của cán bộ, đảng viên",
];
const TOPIC_CULTURAL_VILLAGE: &str = "Xây dựng bản văn hóa gắn với phát triển du lịch cộng đồng";
const TOPIC_BHYT_LAM_SON: &str = "Thực hiện Nghị quyết chuyên đề số 57 của Đảng ủy xã về vận động nhân dân tham gia bảo hiểm y tế";
const TOPIC_NEW_RURAL: &str = "Xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu";
const TOPIC_CATHOLIC: &str =
    "Vận động đồng bào Công giáo sống tốt đời, đẹp đạo, tham gia xây dựng khu dân cư văn hóa";
const TOPIC_BHYT: &str = "Vận động nhân dân tham gia bảo hiểm y tế toàn dân";
const TOPIC_CT50: &str =
    "Thực hiện Chỉ thị 50-CT/TW về tiếp tục đổi mới, nâng cao chất lượng sinh hoạt chi bộ";
const TOPIC_CORRUPTION: &str = "Phòng, chống tham nhũng, lãng phí, tiêu cực trong cơ quan, đơn vị";

/// The cell's thematic topics for the year, in the order they are taken up
/// (the Ho Chi Minh one is set apart).
fn topics(rng: &mut Rng, c: &CellCtx) -> Vec<&'static str> {
    let by_type: &[&'static str] = match c.cell.cell_type {
        CellType::Rural | CellType::Residential => &[
            TOPIC_NEW_RURAL,
            "Phát triển kinh tế hộ, giảm nghèo bền vững",
            "Giữ gìn an ninh trật tự, phòng chống tệ nạn xã hội ở khu dân cư",
            TOPIC_BHYT,
            "Phát huy vai trò tiền phong, gương mẫu của đảng viên nơi cư trú",
        ],
        CellType::School => &[
            "Nâng cao chất lượng dạy và học, đổi mới phương pháp giảng dạy",
            "Xây dựng trường học an toàn, thân thiện, học sinh tích cực",
            "Chuyển đổi số trong nhà trường",
            TOPIC_CT50,
        ],
        CellType::Health => &[
            "Nâng cao chất lượng khám chữa bệnh, hướng tới sự hài lòng của người bệnh",
            TOPIC_BHYT,
            "Giữ gìn y đức, đổi mới phong cách, thái độ phục vụ",
            TOPIC_CT50,
        ],
        CellType::Police => &[
            "Xây dựng lực lượng Công an nhân dân chính quy, tinh nhuệ, hiện đại",
            "Phòng chống tội phạm và tệ nạn ma túy trên địa bàn",
            TOPIC_CT50,
        ],
        CellType::ArmedForces => &[
            "Xây dựng lực lượng dân quân vững mạnh, rộng khắp",
            "Xây dựng khu vực phòng thủ vững chắc",
            TOPIC_CT50,
        ],
        CellType::Enterprise => &[
            "Nâng cao năng suất, hiệu quả sản xuất kinh doanh",
            "Chăm lo đời sống, việc làm của người lao động",
            TOPIC_CORRUPTION,
        ],
        CellType::Agency | CellType::Other => &[
            "Đẩy mạnh cải cách hành chính, chuyển đổi số trong cơ quan",
            TOPIC_CORRUPTION,
            TOPIC_CT50,
            "Nâng cao tinh thần trách nhiệm, kỷ luật, kỷ cương công vụ",
        ],
    };
    let mut list: Vec<&'static str> = Vec::new();
    let village = matches!(c.cell.cell_type, CellType::Rural | CellType::Residential);
    match c.cell.area {
        // Resolution 57 on health insurance (domain.md §4.4).
        Area::LamSon => list.push(TOPIC_BHYT_LAM_SON),
        // Bản Thẳm's is its model meeting; the other villages take it up too.
        Area::BanHon if village && c.name != ORG_THAM => list.push(TOPIC_CULTURAL_VILLAGE),
        Area::KimSon if village && c.cell.catholic >= 2.0 && rng.chance(0.6) => {
            list.push(TOPIC_CATHOLIC)
        }
        _ => {}
    }
    let start = rng.below(by_type.len());
    for i in 0..by_type.len() {
        let t = by_type[(start + i) % by_type.len()];
        let bhyt_twice = c.cell.area == Area::LamSon && t == TOPIC_BHYT;
        if !list.contains(&t) && !bhyt_twice {
            list.push(t);
        }
    }
    list
}

/// What a month is about, for every cell.
fn month_common(month: i8) -> &'static str {
    match month {
        1 => {
            "chuẩn bị đón Tết Nguyên đán vui tươi, lành mạnh, an toàn; chăm lo gia đình chính sách, hộ nghèo"
        }
        2 => "kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam 3/2; phát động Tết trồng cây",
        3 => "kỷ niệm ngày Quốc tế Phụ nữ 8/3 và ngày thành lập Đoàn Thanh niên 26/3",
        4 => "kỷ niệm ngày Giải phóng miền Nam 30/4 và Quốc tế Lao động 1/5",
        5 => "kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5",
        6 => "phòng chống thiên tai, tìm kiếm cứu nạn mùa mưa bão",
        7 => "kỷ niệm ngày Thương binh – Liệt sĩ 27/7, thăm hỏi gia đình chính sách",
        8 => "kỷ niệm Cách mạng tháng Tám và Quốc khánh 2/9",
        9 => "phòng chống lụt bão, bảo đảm an toàn cho nhân dân",
        10 => "kỷ niệm ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam 20/10",
        11 => "Ngày hội Đại đoàn kết toàn dân tộc 18/11",
        _ => {
            "kiểm điểm, đánh giá, xếp loại chất lượng đảng viên cuối năm; kỷ niệm ngày thành lập Quân đội nhân dân 22/12"
        }
    }
}

/// The month's work of a cell of this type (domain.md §4.3, item 6).
fn theme(t: CellType, month: i8) -> String {
    let work = match t {
        CellType::Rural => match month {
            1 | 12 => "phòng chống đói, rét cho người và gia súc",
            2 | 3 => "gieo cấy vụ xuân đúng khung thời vụ, đúng kỹ thuật",
            4 => "chăm sóc lúa xuân, phòng trừ sâu bệnh; tiêm phòng cho đàn gia súc, gia cầm",
            5 => "thu hoạch vụ xuân, chuẩn bị đất cho vụ mùa",
            6 | 7 => "gieo cấy vụ mùa; phòng chống lũ quét, sạt lở đất",
            8 | 9 => "vận động trẻ trong độ tuổi ra lớp đầu năm học; chăm sóc lúa mùa",
            10 => "thu hoạch vụ mùa, làm đất trồng cây vụ đông",
            _ => "trồng và chăm sóc cây vụ đông; xây dựng khu dân cư văn hóa",
        },
        CellType::Residential => {
            "giữ gìn vệ sinh môi trường, trật tự đô thị; xây dựng tổ dân phố văn hóa"
        }
        CellType::School => match month {
            1 | 12 => "ôn tập, kiểm tra, sơ kết học kỳ I",
            2..=4 => "thực hiện chương trình học kỳ II, bồi dưỡng học sinh giỏi",
            5 => "kiểm tra, đánh giá cuối năm học, tổng kết năm học",
            6 | 7 => "bồi dưỡng chính trị, chuyên môn hè; tuyển sinh đầu cấp",
            8 | 9 => "chuẩn bị và tổ chức khai giảng năm học mới, huy động học sinh ra lớp",
            10 => "thực hiện chương trình học kỳ I, phụ đạo học sinh yếu",
            _ => "thi đua chào mừng ngày Nhà giáo Việt Nam 20/11",
        },
        CellType::Health => match month {
            1 | 2 => "trực Tết, bảo đảm khám chữa bệnh cho nhân dân",
            3 | 4 => "tiêm chủng mở rộng, phòng chống dịch bệnh mùa xuân",
            5..=8 => "phòng chống sốt xuất huyết và dịch bệnh mùa hè",
            9 | 10 => "phòng chống dịch bệnh mùa mưa, vệ sinh an toàn thực phẩm",
            _ => "phòng chống bệnh đường hô hấp mùa đông, chăm sóc sức khỏe người cao tuổi",
        },
        CellType::Police => "bảo đảm an ninh chính trị, trật tự an toàn xã hội trên địa bàn",
        CellType::ArmedForces => "duy trì trực sẵn sàng chiến đấu, huấn luyện dân quân tự vệ",
        CellType::Enterprise => {
            "hoàn thành kế hoạch sản xuất, kinh doanh; bảo đảm an toàn lao động"
        }
        CellType::Agency | CellType::Other => {
            "nhiệm vụ chuyên môn, cải cách hành chính, giải quyết thủ tục đúng hạn"
        }
    };
    format!("{work}; {}", month_common(month))
}

const TASK_HOUSEHOLDS: &str = "Theo dõi, giúp đỡ các hộ được phân công: vận động chuyển đổi cây trồng, vật nuôi, áp dụng khoa học kỹ thuật vào sản xuất, tham gia các phong trào của bản";

fn task_bank(t: CellType, month: i8) -> &'static [&'static str] {
    match t {
        CellType::Rural | CellType::Residential => match month {
            12 | 1 | 2 => &[
                "Hướng dẫn các hộ che chắn chuồng trại, phòng chống rét cho gia súc",
                "Thăm hỏi, động viên hộ nghèo, gia đình chính sách dịp Tết",
                "Vận động nhân dân đón Tết an toàn, không đốt pháo",
                "Đôn đốc thu đảng phí và các khoản đóng góp ở khu dân cư",
                "Tuyên truyền, vận động nhân dân tham gia bảo hiểm y tế",
            ],
            _ => &[
                "Vận động các hộ gia đình sản xuất đúng khung thời vụ",
                "Tuyên truyền, vận động nhân dân tham gia bảo hiểm y tế",
                "Đôn đốc thu đảng phí và các khoản đóng góp ở khu dân cư",
                "Vận động nhân dân vệ sinh đường làng, ngõ xóm",
                "Phối hợp tổ an ninh nhân dân giữ gìn trật tự khu dân cư",
                "Vận động gia đình đưa trẻ trong độ tuổi đến trường đầy đủ",
                "Tuyên truyền phòng chống tệ nạn xã hội, ma túy",
                "Hướng dẫn các hộ tiêm phòng cho đàn gia súc, gia cầm",
            ],
        },
        CellType::School => &[
            "Bồi dưỡng học sinh giỏi",
            "Phụ đạo học sinh chưa đạt chuẩn kiến thức, kỹ năng",
            "Dự giờ, góp ý ít nhất hai tiết dạy của đồng nghiệp",
            "Hoàn thiện hồ sơ chuyên môn, kế hoạch bài dạy",
            "Phối hợp với cha mẹ học sinh duy trì sĩ số",
            "Ứng dụng công nghệ thông tin trong giảng dạy",
        ],
        CellType::Health => &[
            "Tổ chức tiêm chủng mở rộng cho trẻ em trong độ tuổi",
            "Khám sức khỏe định kỳ cho người cao tuổi",
            "Tuyên truyền phòng chống dịch bệnh theo mùa",
            "Cập nhật hồ sơ sức khỏe điện tử của người dân",
            "Vận động người dân tham gia bảo hiểm y tế",
        ],
        CellType::Police => &[
            "Tuần tra, kiểm soát bảo đảm trật tự an toàn giao thông",
            "Nắm tình hình an ninh trật tự địa bàn được phân công",
            "Hướng dẫn nhân dân làm thủ tục cư trú, căn cước",
            "Tuyên truyền phòng chống tội phạm, ma túy",
        ],
        CellType::ArmedForces => &[
            "Huấn luyện dân quân theo kế hoạch",
            "Duy trì trực sẵn sàng chiến đấu, phòng chống thiên tai",
            "Chuẩn bị công tác tuyển chọn, gọi công dân nhập ngũ",
            "Bảo quản vũ khí, trang bị đúng quy định",
        ],
        CellType::Enterprise => &[
            "Hoàn thành chỉ tiêu sản xuất, kinh doanh tháng",
            "Bảo đảm an toàn lao động, phòng chống cháy nổ",
            "Chăm lo đời sống, việc làm cho người lao động",
            "Thu hồi công nợ đúng hạn",
        ],
        CellType::Agency | CellType::Other => &[
            "Giải quyết hồ sơ, thủ tục hành chính đúng hạn, không để tồn đọng",
            "Hoàn thành báo cáo chuyên môn tháng đúng thời hạn",
            "Cập nhật đầy đủ dữ liệu lên hệ thống phần mềm dùng chung",
            "Thực hiện nghiêm quy tắc ứng xử nơi công sở",
            "Triển khai xử lý văn bản điện tử, chữ ký số",
        ],
    }
}

const RESULT_DONE: [&str; 4] = [
    "Hoàn thành đúng thời hạn",
    "Hoàn thành tốt, được chi bộ biểu dương",
    "Đã hoàn thành",
    "Hoàn thành, báo cáo tại kỳ sinh hoạt",
];
const RESULT_NOT_DONE: [&str; 3] = [
    "Chưa hoàn thành do thời tiết bất lợi, chuyển sang tháng sau",
    "Hoàn thành một phần, chi bộ nhắc nhở",
    "Chưa hoàn thành, đề nghị chi ủy hỗ trợ",
];

// ---------------------------------------------------------------------------
// Writing.

/// `n` fresh meeting ids, as `store::member::reserve_ids` does for members.
async fn reserve_ids(tx: &mut Tx, n: usize) -> store::Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    Ok(match tx {
        Tx::Postgres(t) => sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('meeting', 'id')) FROM generate_series(1, $1)",
        )
        .bind(n as i64)
        .fetch_all(&mut **t)
        .await?,
        // The transaction holds SQLite's write lock (BEGIN IMMEDIATE).
        Tx::Sqlite(t) => {
            let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM meeting")
                .fetch_one(&mut **t)
                .await?;
            (max + 1..=max + n as i64).collect()
        }
    })
}

fn values(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|i| format!("({})", placeholders(i * cols + 1, cols)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One multi-row INSERT per chunk; `$bind` adds one row's values to `$q`.
macro_rules! bulk {
    ($tx:expr, $head:expr, $cols:expr, $rows:expr, |$q:ident, $r:ident| $bind:expr) => {{
        let per = rows_per_statement($tx, $cols);
        let full = format!("{} VALUES {}", $head, values(per, $cols));
        for chunk in $rows.chunks(per) {
            let partial;
            let sql: &str = if chunk.len() == per {
                &full
            } else {
                partial = format!("{} VALUES {}", $head, values(chunk.len(), $cols));
                &partial
            };
            crate::on_tx!($tx, |c| {
                let mut $q = sqlx::query(sql);
                for $r in chunk {
                    $q = $bind;
                }
                $q.execute(c).await.map(|r| r.rows_affected())
            })?;
        }
    }};
}

async fn write(tx: &mut Tx, world: &World<'_>, out: &Out, ids: &[i64]) -> store::Result<()> {
    let id = |i: usize| ids.get(i).copied().unwrap_or(0);
    let schedules: Vec<&CellCtx> = world
        .cells
        .iter()
        .filter(|c| c.alive(world.today))
        .collect();
    bulk!(
        tx,
        "INSERT INTO cell_schedule (org_id, day_of_month, start_time, place)",
        4,
        schedules,
        |q, c| q
            .bind(c.org)
            .bind(i64::from(c.day_of_month))
            .bind(c.time)
            .bind(&c.place)
    );
    const MEETING: &str = "INSERT INTO meeting (id, org_id, kind, held_on, start_time, place, topic, ho_chi_minh, status, \
        notice_sent_on, docs_published_on, resolution_sent_on, started_time, ended_time, chair_id, recorder_id, \
        proceedings, conclusion, vote_for, vote_against, vote_abstain, resolution_title, resolution_text, number, \
        signed_at, signed_by)";
    let rows: Vec<(usize, &MeetingRow)> = out.meetings.iter().enumerate().collect();
    bulk!(tx, MEETING, 26, rows, |q, row| {
        let (i, m) = *row;
        let cell = world.cells.get(m.cell);
        let r = m.record.as_ref();
        q.bind(id(i))
            .bind(cell.map(|c| c.org))
            .bind(m.kind.code())
            .bind(day(m.day))
            .bind(cell.map_or("19:30", |c| c.time))
            .bind(cell.map_or("", |c| c.place.as_str()))
            .bind(&m.topic)
            .bind(m.ho_chi_minh)
            .bind(if r.is_some() { "held" } else { "planned" })
            .bind(r.map(|r| day(r.notice)))
            .bind(r.map(|r| day(r.docs)))
            .bind(r.map(|r| day(r.sent)))
            .bind(r.map(|r| r.started.as_str()))
            .bind(r.map(|r| r.ended.as_str()))
            .bind(r.map(|r| r.chair))
            .bind(r.map(|r| r.recorder))
            .bind(r.map_or("", |r| r.proceedings.as_str()))
            .bind(r.map_or("", |r| r.conclusion.as_str()))
            .bind(r.map(|r| r.vote_for))
            .bind(r.map(|_| 0i64))
            .bind(r.map(|r| r.vote_abstain))
            .bind(r.map_or("", |r| r.title.as_str()))
            .bind(r.map_or("", |r| r.text.as_str()))
            .bind(r.map_or(0, |r| r.number))
            .bind(r.map(|r| instant(r.signed_at)))
            .bind(r.map(|_| BY))
    });
    bulk!(
        tx,
        "INSERT INTO agenda_item (meeting_id, position, title, presenter_id)",
        4,
        out.agenda,
        |q, a| q
            .bind(id(a.meeting))
            .bind(a.position)
            .bind(a.title.as_ref())
            .bind(a.presenter)
    );
    bulk!(
        tx,
        "INSERT INTO attendance (meeting_id, member_id, presence, reason, spoke, official)",
        6,
        out.attendance,
        |q, a| q
            .bind(id(a.meeting))
            .bind(a.member)
            .bind(a.presence)
            .bind(a.reason)
            .bind(a.spoke)
            .bind(a.official)
    );
    crate::on_tx!(tx, |c| sqlx::query(crate::store::meeting::RECOUNT_TALLIES)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    bulk!(
        tx,
        "INSERT INTO meeting_guest (meeting_id, name, position)",
        3,
        out.guests,
        |q, g| q.bind(id(g.meeting)).bind(&g.name).bind(&g.position)
    );
    bulk!(
        tx,
        "INSERT INTO task (meeting_id, member_id, title, deadline, households, status, result, reviewed_in)",
        8,
        out.tasks,
        |q, t| q
            .bind(id(t.meeting))
            .bind(t.member)
            .bind(t.title)
            .bind(day(t.deadline))
            .bind(&t.households)
            .bind(t.status)
            .bind(t.result)
            .bind(t.reviewed_in.map(id))
    );
    // Each document in its own series, as signing and issuing number them.
    crate::store::document::number_written_meetings(tx).await?;
    // The demo's chairs stand for their cells' secretaries; each cell rates
    // its meeting by how many came and spoke (no rubric: docs/rules.md
    // "Resolution structure").
    const RATED: &str = "UPDATE meeting SET chair_post = 'secretary', quality = CASE \
        WHEN present_count * 10 >= convened_count * 9 AND speaker_count * 2 > present_count THEN 'good' \
        WHEN present_count * 10 >= convened_count * 8 THEN 'fair' ELSE 'average' END \
        WHERE signed_at IS NOT NULL AND chair_id IS NOT NULL";
    crate::on_tx!(tx, |c| sqlx::query(RATED)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{history, people};
    use super::*;
    use jiff::civil::date;

    struct Demo {
        plan: Plan,
        drafts: Vec<Draft>,
        named: Named,
        ids: Vec<OrgId>,
        member_ids: Vec<MemberId>,
    }

    /// The demo's people as `demo::seed` draws them, with made-up ids.
    fn demo() -> Demo {
        let mut rng = Rng::new(super::super::SEED);
        let plan = Plan::build(&mut rng);
        let (mut drafts, named) = people::seed_era(&mut rng, &plan);
        history::replay(&mut rng, &plan, &mut drafts);
        let ids = (1..=plan.nodes.len() as i64).map(OrgId).collect();
        let member_ids = (1..=drafts.len() as i64).map(MemberId).collect();
        Demo {
            plan,
            drafts,
            named,
            ids,
            member_ids,
        }
    }

    type Digest = Vec<(
        usize,
        &'static str,
        Date,
        String,
        Option<(String, i64, i64)>,
    )>;

    fn digest(out: &Out) -> (Digest, Vec<(usize, MemberId, &'static str, bool)>) {
        let meetings = out
            .meetings
            .iter()
            .map(|m| {
                let r = m
                    .record
                    .as_ref()
                    .map(|r| (r.proceedings.clone(), r.number, r.vote_for));
                (m.cell, m.kind.code(), m.day, m.topic.clone(), r)
            })
            .collect();
        let roll = out
            .attendance
            .iter()
            .map(|a| (a.meeting, a.member, a.presence, a.spoke))
            .collect();
        (meetings, roll)
    }

    #[test]
    fn same_inputs_same_meetings() {
        let d = demo();
        let today = date(2026, 11, 23);
        let run = || {
            let (_, out) =
                generate(&d.plan, &d.ids, &d.drafts, &d.member_ids, &d.named, today).unwrap();
            digest(&out)
        };
        assert!(run() == run());
    }

    /// A year straddling the 2025 reform: the merged cell meets until then,
    /// its members with the cell that absorbed it afterwards.
    #[test]
    fn a_year_across_the_reform() {
        let d = demo();
        let today = date(2025, 9, 15);
        let (world, out) =
            generate(&d.plan, &d.ids, &d.drafts, &d.member_ids, &d.named, today).unwrap();
        let k = &d.plan.keys;
        let cell = |node: usize| world.cells.iter().position(|c| c.node == node).unwrap();
        let (from, into) = (cell(k.merge_from), cell(k.merge_into));
        let of = |c: usize| {
            out.meetings
                .iter()
                .enumerate()
                .filter(move |(_, m)| m.cell == c)
        };
        assert!(of(from).all(|(_, m)| m.day < REFORM_DATE));
        assert_eq!(
            of(from)
                .filter(|(_, m)| m.kind == MeetingKind::Regular)
                .count(),
            10,
            "Sep 2024 – Jun 2025"
        );
        let absorbed: Vec<MemberId> = world.cells[into]
            .absorbed
            .iter()
            .map(|i| d.member_ids[*i])
            .collect();
        assert!(!absorbed.is_empty());
        for (i, m) in of(into).filter(|(_, m)| m.record.is_some()) {
            let roll: Vec<MemberId> = out
                .attendance
                .iter()
                .filter(|a| a.meeting == i)
                .map(|a| a.member)
                .collect();
            assert_eq!(
                absorbed.iter().any(|a| roll.contains(a)),
                m.day >= REFORM_DATE,
                "{}",
                m.day
            );
        }
        // Every other cell: 12 held regular months, a thematic meeting each quarter.
        for c in (0..world.cells.len()).filter(|c| *c != from) {
            let held: Vec<&MeetingRow> = of(c)
                .map(|(_, m)| m)
                .filter(|m| m.record.is_some())
                .collect();
            let regular = held.iter().filter(|m| m.kind.is_regular()).count();
            assert!(
                (12..=13).contains(&regular),
                "{}: {regular}",
                world.cells[c].name
            );
            for q in [date(2024, 10, 1), date(2025, 1, 1), date(2025, 4, 1)] {
                let end = q.saturating_add(Span::new().months(3));
                assert!(
                    held.iter()
                        .any(|m| m.kind == MeetingKind::Thematic && m.day >= q && m.day < end)
                );
            }
            assert!(of(c).any(|(_, m)| m.record.is_none() && m.day >= today));
        }
    }

    #[test]
    fn places() {
        let commune = Some(("Đảng bộ xã Bản Hon", OrgKind::BaseCommittee));
        assert_eq!(
            meeting_place("Chi bộ 4 (bản Đông Pao)", CellType::Rural, commune),
            "Nhà văn hóa bản Đông Pao"
        );
        assert_eq!(
            meeting_place("Chi bộ 6 (Trường Tiểu học)", CellType::School, commune),
            "Phòng họp Trường Tiểu học Bản Hon"
        );
        assert_eq!(
            meeting_place("Chi bộ Trạm Y tế xã", CellType::Health, commune),
            "Hội trường Trạm Y tế xã Bản Hon"
        );
        let dept = Some(("Đảng bộ Sở Y tế", OrgKind::BaseCommittee));
        assert_eq!(
            meeting_place("Chi bộ Văn phòng", CellType::Agency, dept),
            "Phòng họp Văn phòng, Sở Y tế"
        );
        assert_eq!(
            meeting_place("Chi bộ số 9", CellType::Agency, dept),
            "Phòng họp Sở Y tế"
        );
        let district = Some(("Đảng bộ huyện Kim Sơn", OrgKind::District));
        assert_eq!(
            meeting_place(
                "Chi bộ Chi cục Thuế huyện Kim Sơn",
                CellType::Agency,
                district
            ),
            "Phòng họp Chi cục Thuế huyện Kim Sơn"
        );
    }

    #[test]
    fn the_year_ends_last_month() {
        assert_eq!(year_start(date(2026, 11, 23)), date(2025, 11, 1));
        assert_eq!(year_start(date(2026, 1, 1)), date(2025, 1, 1));
        assert_eq!(day_in(date(2026, 2, 1), 31), date(2026, 2, 28));
        assert_eq!(quarter(date(2026, 5, 19)), (2026, 1));
        assert_eq!(lower_first("Đi làm"), "đi làm");
    }

    #[test]
    fn themes_and_banks_are_filled() {
        for t in CellType::ALL {
            for m in 1..=12 {
                assert!(!task_bank(t, m).is_empty());
                assert!(theme(t, m).contains("; "));
            }
        }
    }
}
