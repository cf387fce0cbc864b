//! Demo members: plausible people for each cell, with their status history.

use super::names::{Folk, full_name};
use super::rng::{Rng, add_years, choose, split};
use super::tree::{Area, Cell, DUC_THO, HA_TINH, KIM_SON, NINH_BINH, Plan, address};
use super::{HISTORY_END, SEED_DATE, data};
use crate::domain::member::{Gender, MemberFields, MemberStatus};
use crate::domain::org::CellType;
use crate::domain::text::fold;
use crate::service::member::initial_statuses;
use jiff::civil::{Date, date};

pub type StatusRows = Vec<(MemberStatus, Date, Option<Date>, String)>;

/// A member ready to insert (the card number is given at the end).
#[derive(Debug, Clone)]
pub struct Draft {
    pub fields: MemberFields,
    /// Index of the home cell in `Plan::nodes`.
    pub cell: usize,
    pub statuses: StatusRows,
    /// Named in domain.md or used by a demo account: kept alive by the replay.
    pub protected: bool,
}

impl Draft {
    /// The home placement starts at admission, or when the tree starts.
    pub fn home_from(&self) -> Date {
        self.fields
            .admitted_on
            .map_or(super::CREATED, |a| a.max(super::CREATED))
    }
}

/// When a generated member joined: before the seed date, or after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    Seed,
    Later,
}

/// Indices into the drafts of the people the demo refers to by name.
#[derive(Debug, Clone, Default)]
pub struct Named {
    pub secretary: usize,
    pub ordinary: usize,
    /// Trần Văn Yên, Võ Công Hàm, Nguyễn Thị Tâm (seed 004).
    pub duc_tho: [usize; 3],
}

pub const RELIGION: &str = "Công giáo";
pub const EXEMPT_REASON: &str = "Tuổi cao, sức yếu";

/// Age, sex ratio, jobs and training of the people of a cell type.
struct Traits {
    born: (i16, i16),
    female: f64,
    jobs: &'static [(&'static str, u32)],
    theory: &'static [(&'static str, u32)],
}

const THEORY_VILLAGE: &[(&str, u32)] = &[("Sơ cấp", 55), ("", 40), ("Trung cấp", 5)];
const THEORY_STAFF: &[(&str, u32)] = &[("Sơ cấp", 40), ("Trung cấp", 45), ("Cao cấp", 15)];
const THEORY_PROFESSION: &[(&str, u32)] = &[("Sơ cấp", 70), ("Trung cấp", 25), ("", 5)];

fn traits(t: CellType) -> Traits {
    let (born, female, jobs, theory): ((i16, i16), f64, &'static [(&str, u32)], _) = match t {
        CellType::Rural => (
            (1940, 1995),
            0.35,
            &[
                ("Nông dân", 80),
                ("Cán bộ", 10),
                ("Kinh doanh", 5),
                ("Công nhân", 5),
            ],
            THEORY_VILLAGE,
        ),
        CellType::Residential => (
            (1940, 1995),
            0.45,
            &[
                ("Kinh doanh", 35),
                ("Công nhân", 20),
                ("Lao động tự do", 15),
                ("Cán bộ", 15),
                ("Giáo viên", 15),
            ],
            THEORY_VILLAGE,
        ),
        CellType::School => (
            (1958, 1995),
            0.7,
            &[("Giáo viên", 85), ("Nhân viên", 15)],
            THEORY_PROFESSION,
        ),
        CellType::Health => (
            (1958, 1995),
            0.6,
            &[
                ("Bác sĩ", 25),
                ("Y sĩ", 25),
                ("Điều dưỡng", 30),
                ("Dược sĩ", 10),
                ("Nhân viên", 10),
            ],
            THEORY_PROFESSION,
        ),
        CellType::Enterprise => (
            (1960, 1995),
            0.3,
            &[
                ("Công nhân", 40),
                ("Nhân viên", 30),
                ("Kỹ sư", 20),
                ("Kế toán", 10),
            ],
            THEORY_PROFESSION,
        ),
        CellType::Police => ((1965, 1995), 0.12, &[("Công an", 1)], THEORY_STAFF),
        CellType::ArmedForces => ((1965, 1995), 0.06, &[("Quân nhân", 1)], THEORY_STAFF),
        CellType::Agency | CellType::Other => (
            (1958, 1995),
            0.42,
            &[("Công chức", 50), ("Viên chức", 30), ("Cán bộ", 20)],
            THEORY_STAFF,
        ),
    };
    Traits {
        born,
        female,
        jobs,
        theory,
    }
}

/// Ethnic mix of an area's people (Kim Sơn is Kinh; Bản Hon per the brief;
/// Hòa Bình mostly Mường and Kinh).
fn folks(area: Area, t: CellType) -> &'static [(Folk, u32)] {
    let professional = matches!(t, CellType::School | CellType::Health);
    match area {
        Area::KimSon | Area::DucTho => &[(Folk::Kinh, 1)],
        Area::BanHon if professional => &[
            (Folk::Kinh, 55),
            (Folk::Thai, 20),
            (Folk::Dao, 10),
            (Folk::Giay, 10),
            (Folk::Mong, 5),
        ],
        Area::BanHon => &[
            (Folk::Dao, 30),
            (Folk::Mong, 25),
            (Folk::Thai, 25),
            (Folk::Giay, 10),
            (Folk::Kinh, 10),
        ],
        Area::LamSon => &[(Folk::Muong, 55), (Folk::Kinh, 42), (Folk::Dao, 3)],
        Area::Bloc => &[
            (Folk::Kinh, 55),
            (Folk::Muong, 35),
            (Folk::Thai, 8),
            (Folk::Dao, 2),
        ],
    }
}

/// Where an area's people live and come from.
pub struct Places {
    homes: Vec<String>,
    hometowns: Vec<String>,
}

impl Places {
    pub fn of(area: Area) -> Places {
        let list = |units: &[&str], district: &str, province: &str| -> Vec<String> {
            units
                .iter()
                .map(|u| address(u, district, province))
                .collect()
        };
        match area {
            Area::KimSon => {
                let units: Vec<&str> = data::KIM_SON_COMMUNES
                    .iter()
                    .map(|(u, _, _)| *u)
                    .chain(data::KIM_SON_OTHER_COMMUNES)
                    .collect();
                let all = list(&units, KIM_SON, NINH_BINH);
                Places {
                    homes: all.clone(),
                    hometowns: all,
                }
            }
            Area::BanHon => Places {
                homes: list(&["xã Bản Hon"], "huyện Tam Đường", "tỉnh Lai Châu"),
                hometowns: list(
                    &data::TAM_DUONG_COMMUNES,
                    "huyện Tam Đường",
                    "tỉnh Lai Châu",
                ),
            },
            Area::LamSon => Places {
                homes: list(&["xã Lâm Sơn"], "huyện Lương Sơn", "tỉnh Hòa Bình"),
                hometowns: list(
                    &data::LUONG_SON_COMMUNES,
                    "huyện Lương Sơn",
                    "tỉnh Hòa Bình",
                ),
            },
            Area::DucTho => {
                let units: Vec<&str> = data::DUC_THO_COMMUNES.iter().map(|(u, _)| *u).collect();
                let homes = list(&units, DUC_THO, HA_TINH);
                Places {
                    hometowns: homes.clone(),
                    homes,
                }
            }
            Area::Bloc => Places {
                homes: list(
                    &data::HOA_BINH_CITY_WARDS,
                    "thành phố Hòa Bình",
                    "tỉnh Hòa Bình",
                ),
                hometowns: data::HOA_BINH_HOMETOWNS
                    .iter()
                    .map(|(u, d)| address(u, d, "tỉnh Hòa Bình"))
                    .collect(),
            },
        }
    }
}

/// Names kept for the named members: a generated name never contains them,
/// so searching for one finds exactly that person.
const RESERVED: [&str; 6] = [
    "nguyen van an",
    "lo van pha",
    "nguyen the hung",
    "tan van chieu",
    "ly thi may",
    "dang van phu",
];

fn acceptable(name: &str, area: Area) -> bool {
    let key = fold(name);
    // Bản Hon has one "Đặng" (the UI tests search for it); no other name there folds to "dang".
    let reserved = RESERVED.iter().any(|r| key.contains(r));
    let second_dang = area == Area::BanHon && key.contains("dang");
    !(reserved || second_dang)
}

pub(super) fn status_rows(f: &MemberFields) -> StatusRows {
    initial_statuses(f, SEED_DATE)
}

/// One generated person of the cell.
pub fn person(rng: &mut Rng, cell: &Cell, places: &Places, era: Era) -> Draft {
    let t = traits(cell.cell_type);
    let gender = if rng.chance(t.female) {
        Gender::Female
    } else {
        Gender::Male
    };
    let folk = rng.weighted(folks(cell.area, cell.cell_type));
    let full_name = loop {
        let name = full_name(rng, folk, gender);
        if acceptable(&name, cell.area) {
            break name;
        }
    };
    let (first, last) = match era {
        Era::Seed => (t.born.0, t.born.1),
        Era::Later => (1985, 2000),
    };
    let birth = rng.date_between(date(first, 1, 1), date(last, 12, 31));
    let adult = add_years(birth, 18);
    let admitted = match era {
        Era::Seed => {
            let police = matches!(cell.cell_type, CellType::Police | CellType::ArmedForces);
            let span = if police {
                rng.range(1, 8)
            } else {
                rng.range(2, 30)
            };
            let latest = add_years(adult, span as i16).min(super::LAST_SEED_ADMISSION);
            rng.date_between(adult, latest)
        }
        Era::Later => rng.date_between(adult.max(super::FIRST_LATER_ADMISSION), HISTORY_END),
    };
    // Probation lasts 12 months (domain.md §3.3); the data stop at the reform.
    let official = add_years(admitted, 1);
    let official_on = (official <= HISTORY_END).then_some(official);
    let status = if official_on.is_some() {
        MemberStatus::Official
    } else {
        MemberStatus::Probationary
    };
    let village = matches!(cell.cell_type, CellType::Rural | CellType::Residential);
    let occupation = if village && birth.year() <= 1958 && rng.chance(0.6) {
        "Hưu trí"
    } else {
        rng.weighted(t.jobs)
    };
    let education = if birth.year() < 1958 {
        rng.weighted(&[("10/10", 50), ("7/10", 35), ("12/12", 15)])
    } else if village {
        rng.weighted(&[("12/12", 65), ("9/12", 35)])
    } else {
        "12/12"
    };
    let residence = match &cell.place {
        Some(p) => p.clone(),
        None => places.homes[rng.below(places.homes.len())].clone(),
    };
    let hometown = if rng.chance(0.7) {
        residence.clone()
    } else {
        places.hometowns[rng.below(places.hometowns.len())].clone()
    };
    let phone = if rng.chance(0.92) {
        format!("09{}", rng.digits(8))
    } else {
        String::new()
    };
    let fields = MemberFields {
        full_name,
        birth_date: Some(birth),
        gender,
        ethnicity: folk.ethnicity().to_string(),
        religion: String::new(),
        hometown,
        residence,
        admitted_on: Some(admitted),
        official_on,
        card_number: None,
        citizen_id: None,
        education: education.to_string(),
        theory_level: rng.weighted(t.theory).to_string(),
        occupation: occupation.to_string(),
        phone,
        email: String::new(),
        status,
    };
    let mut draft = Draft {
        statuses: status_rows(&fields),
        fields,
        cell: cell.node,
        protected: false,
    };
    if era == Era::Seed && village && birth.year() <= 1952 && rng.chance(0.3) {
        let from = rng.date_between(date(2016, 1, 1), date(2016, 12, 31));
        if official_on.is_some_and(|o| o < from) {
            exempt(&mut draft, from);
        }
    }
    draft
}

/// Exempted from party work and meetings from `from` (domain.md §3.3).
fn exempt(d: &mut Draft, from: Date) {
    change_status(d, MemberStatus::Exempt, from, EXEMPT_REASON);
    d.fields.occupation = "Hưu trí".into();
}

/// Closes the open status on `on` and opens `status`: statuses stay contiguous.
pub fn change_status(d: &mut Draft, status: MemberStatus, on: Date, reason: &str) {
    if let Some(last) = d.statuses.last_mut() {
        last.2 = Some(on);
    }
    d.statuses.push((status, on, None, reason.to_string()));
    d.fields.status = status;
}

/// A person the demo refers to by name, official since a year after admission.
struct Known {
    name: &'static str,
    gender: Gender,
    folk: Folk,
    born: Date,
    admitted: Date,
    job: &'static str,
    theory: &'static str,
}

const fn known(
    name: &'static str,
    female: bool,
    folk: Folk,
    born: Date,
    admitted: Date,
    job: &'static str,
) -> Known {
    let gender = if female { Gender::Female } else { Gender::Male };
    Known {
        name,
        gender,
        folk,
        born,
        admitted,
        job,
        theory: "Sơ cấp",
    }
}

/// domain.md §2.3: Lò Văn Phà, Bản Hon commune secretary; Nguyễn Thế Hùng, Lâm Sơn's.
const PHA: Known = Known {
    theory: "Trung cấp",
    ..known(
        "Lò Văn Phà",
        false,
        Folk::Thai,
        date(1972, 4, 12),
        date(1996, 9, 2),
        "Cán bộ",
    )
};
const HUNG: Known = Known {
    theory: "Cao cấp",
    ..known(
        "Nguyễn Thế Hùng",
        false,
        Folk::Kinh,
        date(1969, 8, 20),
        date(1993, 3, 26),
        "Cán bộ",
    )
};
/// Chi bộ 4 (bản Đông Pao): its secretary, an ordinary member, the
/// "Nguyễn Văn An" the UI tests search for, and Bản Hon's one "Đặng".
const DONG_PAO: [Known; 4] = [
    known(
        "Tẩn Văn Chiêu",
        false,
        Folk::Dao,
        date(1976, 2, 14),
        date(2001, 5, 19),
        "Nông dân",
    ),
    known(
        "Lý Thị Mẩy",
        true,
        Folk::Dao,
        date(1988, 11, 5),
        date(2012, 7, 1),
        "Nông dân",
    ),
    known(
        "Nguyễn Văn An",
        false,
        Folk::Kinh,
        date(1980, 2, 3),
        date(2005, 5, 19),
        "Cán bộ",
    ),
    known(
        "Đặng Văn Phù",
        false,
        Folk::Dao,
        date(1979, 6, 9),
        date(2008, 12, 22),
        "Nông dân",
    ),
];

/// The people seed 004 quotes: the deputy secretary of Hoa Ích Lâm cell,
/// the district secretary, the deputy secretary of Tùng Ảnh commune.
const DUC_THO_PEOPLE: [Known; 3] = [
    known(
        "Trần Văn Yên",
        false,
        Folk::Kinh,
        date(1966, 3, 14),
        date(1990, 7, 1),
        "Nông dân",
    ),
    Known {
        theory: "Cao cấp",
        ..known(
            "Võ Công Hàm",
            false,
            Folk::Kinh,
            date(1964, 10, 2),
            date(1986, 5, 19),
            "Cán bộ",
        )
    },
    Known {
        theory: "Cao cấp",
        ..known(
            "Nguyễn Thị Tâm",
            true,
            Folk::Kinh,
            date(1975, 12, 8),
            date(1999, 3, 26),
            "Cán bộ",
        )
    },
];

fn make_known(d: &mut Draft, k: &Known) {
    let f = &mut d.fields;
    f.full_name = k.name.to_string();
    f.gender = k.gender;
    f.ethnicity = k.folk.ethnicity().to_string();
    f.religion = String::new();
    f.birth_date = Some(k.born);
    f.admitted_on = Some(k.admitted);
    f.official_on = Some(add_years(k.admitted, 1));
    f.status = MemberStatus::Official;
    f.occupation = k.job.to_string();
    f.theory_level = k.theory.to_string();
    f.education = "12/12".to_string();
    d.statuses = status_rows(&d.fields);
    d.protected = true;
}

/// Every member active on the seed date, cell by cell, with the sizes and
/// the religious count of domain.md §10.1, and the named people in place.
pub fn seed_era(rng: &mut Rng, plan: &Plan) -> (Vec<Draft>, Named) {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut first_of = vec![usize::MAX; plan.nodes.len()];
    let cell_at = plan.cell_at();
    for area in Area::ALL {
        let places = Places::of(area);
        let cells: Vec<&Cell> = plan.cells.iter().filter(|c| c.area == area).collect();
        let weights: Vec<f64> = cells.iter().map(|c| c.size).collect();
        let start = drafts.len();
        for (cell, size) in cells.iter().zip(split(area.members(), &weights, 3)) {
            first_of[cell.node] = drafts.len();
            for _ in 0..size {
                drafts.push(person(rng, cell, &places, Era::Seed));
            }
        }
        if area.religious() > 0 {
            let by_node: Vec<f64> = drafts[start..]
                .iter()
                .map(|d| {
                    cell_at[d.cell]
                        .and_then(|i| plan.cells.get(i))
                        .map_or(1.0, |c| c.catholic)
                })
                .collect();
            for (d, religious) in
                drafts[start..]
                    .iter_mut()
                    .zip(choose(rng, &by_node, area.religious()))
            {
                if religious {
                    d.fields.religion = RELIGION.to_string();
                }
            }
        }
    }
    let k = &plan.keys;
    let (pao, pha, hung) = (
        first_of[k.dong_pao],
        first_of[k.ban_hon_village],
        first_of[k.lam_son_office],
    );
    make_known(&mut drafts[pha], &PHA);
    make_known(&mut drafts[hung], &HUNG);
    for (i, known) in DONG_PAO.iter().enumerate() {
        make_known(&mut drafts[pao + i], known);
    }
    let duc_tho = [k.hoa_ich_lam, k.duc_tho_office, k.tung_anh_office].map(|n| first_of[n]);
    for (at, known) in duc_tho.iter().zip(&DUC_THO_PEOPLE) {
        make_known(&mut drafts[*at], known);
    }
    (
        drafts,
        Named {
            secretary: pao,
            ordinary: pao + 1,
            duc_tho,
        },
    )
}
