//! Targets and indicators a node tracks (chỉ tiêu): a baseline, yearly
//! targets, actuals by period, progress, and how values of the same
//! indicator roll up a subtree (docs/rules.md "Targets and indicators").

use super::ValidationError;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The longest name, code or document reference we keep.
const MAX_TEXT: usize = 300;
/// Years an indicator may speak of.
pub const YEARS: std::ops::RangeInclusive<i16> = 2000..=2100;

/// What the numbers count, and so how they add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A count (people, households, meetings): sums over a subtree.
    Count,
    /// A rate in per cent, with its numerator and denominator when known:
    /// sums as Σ numerators / Σ denominators, only when every value has both.
    Percent,
    /// An amount in a unit of measure (tấn, ha, triệu đồng): sums.
    Amount,
}

impl Unit {
    pub const ALL: [Unit; 3] = [Self::Count, Self::Percent, Self::Amount];

    pub fn code(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Percent => "percent",
            Self::Amount => "amount",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Count => "Số lượng",
            Self::Percent => "Tỷ lệ (%)",
            Self::Amount => "Khối lượng, giá trị",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code)
    }
}

/// Which way an indicator improves (docs/rules.md "Targets and indicators",
/// direction): most rise towards their target (coverage, admissions); some
/// fall (a poverty rate, the number of violations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Higher,
    Lower,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Self::Higher, Self::Lower];

    pub fn code(self) -> &'static str {
        match self {
            Self::Higher => "higher",
            Self::Lower => "lower",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Higher => "Càng cao càng tốt",
            Self::Lower => "Càng thấp càng tốt",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Whether `actual` meets `target` in this direction.
    pub fn meets(self, actual: f64, target: f64) -> bool {
        match self {
            Self::Higher => actual >= target,
            Self::Lower => actual <= target,
        }
    }

    /// Share of the way from `baseline` to `target` covered by `actual`, in
    /// per cent (never below 0); `None` when the target does not lie in
    /// this direction from the baseline (nothing to cover).
    pub fn progress(self, baseline: f64, target: f64, actual: f64) -> Option<f64> {
        let (gap, done) = match self {
            Self::Higher => (target - baseline, actual - baseline),
            Self::Lower => (baseline - target, baseline - actual),
        };
        (gap > 0.0).then(|| (done / gap * 100.0).max(0.0))
    }
}

/// The period an actual value is for: a year, a quarter or a month of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Period {
    pub year: i16,
    /// 0 for the whole year, 1–4 for a quarter, 1–12 for a month (with `months`).
    pub part: i8,
    /// 12 for the year, 3 for a quarter, 1 for a month.
    pub months: i8,
}

impl Period {
    pub fn year(year: i16) -> Self {
        Period {
            year,
            part: 0,
            months: 12,
        }
    }

    /// Parses "2018", "2019-Q1" / "Q1/2019", "2019-03" / "03/2019".
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let bad = || {
            ValidationError::new(
                "period",
                "Kỳ số liệu",
                "phải là năm (2018), quý (Q1/2019) hoặc tháng (03/2019)",
            )
        };
        let s = input.trim().to_uppercase().replace(' ', "");
        let year = |y: &str| -> Result<i16, ValidationError> {
            let y: i16 = y.parse().map_err(|_| bad())?;
            if YEARS.contains(&y) {
                Ok(y)
            } else {
                Err(bad())
            }
        };
        let (a, b) = match s.split_once(['-', '/']) {
            None => return Ok(Period::year(year(&s)?)),
            Some(p) => p,
        };
        // Year first ("2019-Q1") or last ("Q1/2019").
        let (y, rest) = if a.len() == 4 { (a, b) } else { (b, a) };
        let y = year(y)?;
        if let Some(q) = rest.strip_prefix('Q') {
            let q: i8 = q.parse().map_err(|_| bad())?;
            if (1..=4).contains(&q) {
                return Ok(Period {
                    year: y,
                    part: q,
                    months: 3,
                });
            }
            return Err(bad());
        }
        let m: i8 = rest.parse().map_err(|_| bad())?;
        if (1..=12).contains(&m) {
            Ok(Period {
                year: y,
                part: m,
                months: 1,
            })
        } else {
            Err(bad())
        }
    }

    /// Stored and sent as "2018", "2019-Q1", "2019-03".
    pub fn code(self) -> String {
        match self.months {
            3 => format!("{}-Q{}", self.year, self.part),
            1 => format!("{}-{:02}", self.year, self.part),
            _ => self.year.to_string(),
        }
    }

    pub fn label(self) -> String {
        match self.months {
            3 => format!("Quý {}/{}", self.part, self.year),
            1 => format!("Tháng {}/{}", self.part, self.year),
            _ => format!("Năm {}", self.year),
        }
    }

    /// The last month the period covers (12 for a year): later periods of a
    /// year are the more recent figures.
    pub fn last_month(self) -> i8 {
        match self.months {
            3 => self.part * 3,
            1 => self.part,
            _ => 12,
        }
    }

    /// Order: by year, then by the last month covered; a whole year comes
    /// after its December.
    pub fn sort_key(self) -> (i16, i8, i8) {
        (self.year, self.last_month(), self.months)
    }
}

/// A figure: the value, with numerator and denominator when the unit is a
/// rate and they are known (3,631 insured of the population = 87.6%).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Figure {
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// How far a rate computed from its parts may stray from the rate typed.
const RATE_TOLERANCE: f64 = 0.05;

/// Checks a figure typed for `unit`. An empty value of a rate is computed from
/// its numerator and denominator.
pub fn check_figure(
    unit: Unit,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    field: &'static str,
    label: &'static str,
) -> Result<Figure, ValidationError> {
    let computed = match (numerator, denominator) {
        (Some(n), Some(d)) if unit == Unit::Percent => {
            if d <= 0.0 {
                return Err(ValidationError::new(
                    "denominator",
                    "Mẫu số",
                    "phải lớn hơn 0",
                ));
            }
            if n < 0.0 || n > d {
                return Err(ValidationError::new(
                    "numerator",
                    "Tử số",
                    "phải từ 0 đến mẫu số",
                ));
            }
            Some(n / d * 100.0)
        }
        _ => None,
    };
    if unit != Unit::Percent && denominator.is_some() {
        return Err(ValidationError::new(
            "denominator",
            "Mẫu số",
            "chỉ dùng cho chỉ tiêu tỷ lệ",
        ));
    }
    let value = match (value, computed) {
        (Some(v), Some(c)) if (v - c).abs() > RATE_TOLERANCE => {
            return Err(ValidationError::new(
                field,
                label,
                format!("{v}% không khớp tử số / mẫu số ({c:.2}%)"),
            ));
        }
        (Some(v), _) => v,
        (None, Some(c)) => (c * 100.0).round() / 100.0,
        (None, None) => {
            return Err(ValidationError::new(field, label, "không được để trống"));
        }
    };
    if !value.is_finite() || value < 0.0 {
        return Err(ValidationError::new(field, label, "phải là số không âm"));
    }
    if unit == Unit::Percent && value > 100.0 {
        return Err(ValidationError::new(
            field,
            label,
            "tỷ lệ không vượt quá 100%",
        ));
    }
    if unit == Unit::Count && value.fract() != 0.0 {
        return Err(ValidationError::new(field, label, "phải là số nguyên"));
    }
    Ok(Figure {
        value,
        numerator,
        denominator: if unit == Unit::Percent {
            denominator
        } else {
            None
        },
    })
}

/// Reads a number typed the Vietnamese way ("87,6", "3.631") or the API's way
/// ("87.6"); empty is `None`.
pub fn parse_number(
    input: &str,
    field: &'static str,
    label: &'static str,
) -> Result<Option<f64>, ValidationError> {
    let s: String = input
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    // "3.631" (thousands) vs "87.6" (decimal): a dot followed by exactly three
    // digits, with no comma, is a thousands separator.
    let normal = if s.contains(',') {
        s.replace('.', "").replace(',', ".")
    } else if s.split('.').skip(1).all(|g| g.len() == 3) && s.contains('.') {
        s.replace('.', "")
    } else {
        s
    };
    normal
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| ValidationError::new(field, label, "phải là một số"))
}

/// What defines an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub code: String,
    pub name: String,
    pub unit: Unit,
    /// "người", "ha", "tấn" — shown after amounts and counts.
    pub measure: String,
    pub baseline: Figure,
    pub baseline_on: Date,
    pub direction: Direction,
}

/// Checks a new indicator. The code (BHYT, KET_NAP …) is what roll-ups match.
pub fn check_definition(
    code: &str,
    name: &str,
    unit: Option<Unit>,
    measure: &str,
    baseline: (Option<f64>, Option<f64>, Option<f64>),
    baseline_on: Option<Date>,
    direction: Option<Direction>,
) -> Result<Definition, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        errors.push(ValidationError::new(
            "code",
            "Mã chỉ tiêu",
            "không được để trống",
        ));
    } else if code.len() > 40
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push(ValidationError::new(
            "code",
            "Mã chỉ tiêu",
            "chỉ gồm chữ không dấu, số, gạch dưới, tối đa 40 ký tự",
        ));
    }
    if name.is_empty() {
        errors.push(ValidationError::new(
            "name",
            "Tên chỉ tiêu",
            "không được để trống",
        ));
    } else if name.chars().count() > MAX_TEXT {
        errors.push(ValidationError::new("name", "Tên chỉ tiêu", "quá dài"));
    }
    if measure.chars().count() > 40 {
        errors.push(ValidationError::new("measure", "Đơn vị tính", "quá dài"));
    }
    if direction.is_none() {
        errors.push(ValidationError::new(
            "direction",
            "Chiều đánh giá",
            "phải là càng cao càng tốt hoặc càng thấp càng tốt",
        ));
    }
    let Some(unit) = unit else {
        errors.push(ValidationError::new(
            "unit",
            "Loại chỉ tiêu",
            "phải chọn một loại",
        ));
        return Err(errors);
    };
    let figure = check_figure(
        unit,
        baseline.0,
        baseline.1,
        baseline.2,
        "baseline",
        "Số liệu gốc",
    );
    if baseline_on.is_none() {
        errors.push(ValidationError::new(
            "baseline_on",
            "Ngày của số liệu gốc",
            "không được để trống",
        ));
    }
    let figure = match figure {
        Ok(f) => Some(f),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    match (figure, baseline_on) {
        (Some(baseline), Some(baseline_on)) if errors.is_empty() => Ok(Definition {
            code,
            name: name.to_string(),
            unit,
            measure: measure.to_string(),
            baseline,
            baseline_on,
            direction: direction.unwrap_or_default(),
        }),
        _ => Err(errors),
    }
}

/// A year's target; "by 2020" is the target of 2020. Not before the baseline.
pub fn check_target_year(year: i64, baseline_on: Date) -> Result<i16, ValidationError> {
    match i16::try_from(year) {
        Ok(y) if YEARS.contains(&y) && y >= baseline_on.year() => Ok(y),
        Ok(y) if YEARS.contains(&y) => Err(ValidationError::new(
            "year",
            "Năm",
            format!("không trước năm của số liệu gốc ({})", baseline_on.year()),
        )),
        _ => Err(ValidationError::new(
            "year",
            "Năm",
            "phải là năm từ 2000 đến 2100",
        )),
    }
}

/// How a year stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearProgress {
    pub year: i16,
    /// The target of this year, or, if none, of the nearest later year.
    pub target: Option<(i16, f64)>,
    /// The latest actual of the year and its period.
    pub actual: Option<(Period, f64)>,
    /// Share of the way from the baseline to the target covered, in per cent
    /// (100 = target reached); `None` without an actual or a target above the
    /// baseline.
    pub progress: Option<f64>,
    pub reached: Option<bool>,
}

/// Progress of `year`: the latest actual of the year against the target of
/// the year (or the next one set: "100% by 2020" speaks for 2019 too), in
/// the indicator's direction.
pub fn progress(
    direction: Direction,
    baseline: f64,
    targets: &[(i16, f64)],
    actuals: &[(Period, f64)],
    year: i16,
) -> YearProgress {
    let target = targets
        .iter()
        .filter(|(y, _)| *y >= year)
        .min_by_key(|(y, _)| *y)
        .copied();
    let actual = actuals
        .iter()
        .filter(|(p, _)| p.year == year)
        .max_by_key(|(p, _)| p.sort_key())
        .copied();
    let (progress, reached) = match (target, actual) {
        (Some((_, t)), Some((_, a))) => (
            direction.progress(baseline, t, a),
            Some(direction.meets(a, t)),
        ),
        _ => (None, None),
    };
    YearProgress {
        year,
        target,
        actual,
        progress,
        reached,
    }
}

/// Where an indicator stands against its target on the dashboard
/// (docs/rules.md "Targets and indicators", on track).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// The latest actual meets the target.
    Reached,
    /// Not yet, but at least as far along as a straight path from the
    /// baseline's day to the target year's end would be by the actual's
    /// period end.
    OnTrack,
    /// Behind that path.
    Behind,
    /// No target, no actual of the year, or a target that asks for no change
    /// in the indicator's direction.
    Unknown,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Self::Reached => "Đã đạt",
            Self::OnTrack => "Đúng tiến độ",
            Self::Behind => "Chậm tiến độ",
            Self::Unknown => "Chưa đủ số liệu",
        }
    }
}

/// Months from the first day of `from`'s month to the end of `(year, month)`.
fn months_between(from: Date, year: i16, month: i8) -> i32 {
    (i32::from(year) - i32::from(from.year())) * 12 + i32::from(month) - i32::from(from.month()) + 1
}

/// Judges an actual of period `actual.0` against the target of year
/// `target.0`, from a baseline measured on `baseline_on`: reached, or on
/// track if the share of the way covered is at least the share of the time
/// elapsed (months from the baseline's month to the target year's December).
pub fn standing(
    direction: Direction,
    (baseline, baseline_on): (f64, Date),
    target: Option<(i16, f64)>,
    actual: Option<(Period, f64)>,
) -> Standing {
    let (Some((ty, t)), Some((p, a))) = (target, actual) else {
        return Standing::Unknown;
    };
    if direction.meets(a, t) {
        return Standing::Reached;
    }
    let Some(done) = direction.progress(baseline, t, a) else {
        return Standing::Unknown;
    };
    let total = months_between(baseline_on, ty, 12).max(1);
    let elapsed = months_between(baseline_on, p.year, p.last_month()).clamp(0, total);
    if done >= f64::from(elapsed) * 100.0 / f64::from(total) {
        Standing::OnTrack
    } else {
        Standing::Behind
    }
}

/// Values of one indicator code across the units of a subtree, summed where
/// the unit allows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Rollup {
    /// Counts and amounts: the sum.
    Sum(f64),
    /// Rates: Σ numerators / Σ denominators, every value having both.
    Rate {
        percent: f64,
        numerator: f64,
        denominator: f64,
    },
    /// A rate of which some unit gave no numerator or denominator: not summed.
    NotSummable,
}

pub fn roll_up(unit: Unit, figures: &[Figure]) -> Option<Rollup> {
    if figures.is_empty() {
        return None;
    }
    Some(match unit {
        Unit::Count | Unit::Amount => Rollup::Sum(figures.iter().map(|f| f.value).sum()),
        Unit::Percent => {
            let parts: Option<Vec<(f64, f64)>> = figures
                .iter()
                .map(|f| Some((f.numerator?, f.denominator?)))
                .collect();
            match parts {
                Some(p) => {
                    let n: f64 = p.iter().map(|x| x.0).sum();
                    let d: f64 = p.iter().map(|x| x.1).sum();
                    if d > 0.0 {
                        Rollup::Rate {
                            percent: n / d * 100.0,
                            numerator: n,
                            denominator: d,
                        }
                    } else {
                        Rollup::NotSummable
                    }
                }
                None => Rollup::NotSummable,
            }
        }
    })
}

/// "87,6" — a figure the Vietnamese way: comma decimals, dot thousands.
pub fn format_number(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let whole = rounded.trunc().abs() as u64;
    let frac = ((rounded.abs() - rounded.abs().trunc()) * 100.0).round() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    match frac {
        0 => format!("{sign}{grouped}"),
        f if f % 10 == 0 => format!("{sign}{grouped},{}", f / 10),
        f => format!("{sign}{grouped},{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_parse_both_ways_and_order() {
        assert_eq!(Period::parse("2018").unwrap(), Period::year(2018));
        let q1 = Period::parse("Q1/2019").unwrap();
        assert_eq!(q1, Period::parse("2019-q1").unwrap());
        assert_eq!((q1.part, q1.months), (1, 3));
        assert_eq!(q1.code(), "2019-Q1");
        assert_eq!(q1.label(), "Quý 1/2019");
        let m = Period::parse("03/2019").unwrap();
        assert_eq!(m.code(), "2019-03");
        assert_eq!(Period::parse(&m.code()).unwrap(), m);
        assert!(Period::parse("Q5/2019").is_err());
        assert!(Period::parse("13/2019").is_err());
        assert!(Period::parse("1899").is_err());
        assert!(Period::parse("năm ngoái").is_err());
        let mut ps = [Period::year(2018), q1, m, Period::parse("2018-12").unwrap()];
        ps.sort_by_key(|p| p.sort_key());
        assert_eq!(
            ps.map(|p| p.code()),
            ["2018-12", "2018", "2019-03", "2019-Q1"]
        );
    }

    #[test]
    fn numbers_read_the_vietnamese_way() {
        assert_eq!(parse_number("87,6", "v", "V").unwrap(), Some(87.6));
        assert_eq!(parse_number("87.6%", "v", "V").unwrap(), Some(87.6));
        assert_eq!(parse_number("3.631", "v", "V").unwrap(), Some(3631.0));
        assert_eq!(parse_number("1.234,5", "v", "V").unwrap(), Some(1234.5));
        assert_eq!(parse_number("", "v", "V").unwrap(), None);
        let e = parse_number("nhiều", "value", "Giá trị").unwrap_err();
        assert_eq!(e.to_string(), "Giá trị: phải là một số");
        assert_eq!(format_number(3631.0), "3.631");
        assert_eq!(format_number(87.6), "87,6");
        assert_eq!(format_number(92.25), "92,25");
        assert_eq!(format_number(1234567.0), "1.234.567");
    }

    #[test]
    fn rates_agree_with_their_parts() {
        let f = check_figure(Unit::Percent, None, Some(45.0), Some(50.0), "v", "V").unwrap();
        assert_eq!(f.value, 90.0);
        assert!(check_figure(Unit::Percent, Some(90.0), Some(45.0), Some(50.0), "v", "V").is_ok());
        let e = check_figure(
            Unit::Percent,
            Some(80.0),
            Some(45.0),
            Some(50.0),
            "value",
            "Giá trị",
        )
        .unwrap_err();
        assert!(e.to_string().contains("không khớp"), "{e}");
        assert!(check_figure(Unit::Percent, Some(101.0), None, None, "v", "V").is_err());
        assert!(check_figure(Unit::Percent, None, Some(5.0), Some(0.0), "v", "V").is_err());
        assert!(check_figure(Unit::Percent, None, Some(6.0), Some(5.0), "v", "V").is_err());
        // Lâm Sơn 2017: 3,631 insured = 87.6%, the population not given.
        let f = check_figure(Unit::Percent, Some(87.6), Some(3631.0), None, "v", "V").unwrap();
        assert_eq!(
            (f.value, f.numerator, f.denominator),
            (87.6, Some(3631.0), None)
        );
        assert!(check_figure(Unit::Count, Some(7.5), None, None, "v", "V").is_err());
        assert!(check_figure(Unit::Count, Some(7.0), None, Some(3.0), "v", "V").is_err());
        assert!(check_figure(Unit::Amount, Some(-1.0), None, None, "v", "V").is_err());
        assert!(check_figure(Unit::Amount, None, None, None, "v", "V").is_err());
    }

    #[test]
    fn a_definition_names_every_missing_field() {
        let errs = check_definition("", "", None, "", (None, None, None), None, None).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "name", "direction", "unit"]);
        let errs = check_definition(
            "BHYT",
            "Tỷ lệ BHYT",
            Some(Unit::Percent),
            "",
            (None, None, None),
            None,
            Some(Direction::Higher),
        )
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["baseline_on", "baseline"]);
        assert!(
            check_definition(
                "bh yt",
                "x",
                Some(Unit::Count),
                "",
                (Some(1.0), None, None),
                Some(date(2017, 12, 31)),
                Some(Direction::Higher),
            )
            .is_err()
        );
        let d = check_definition(
            "bhyt",
            "Tỷ lệ người dân tham gia bảo hiểm y tế",
            Some(Unit::Percent),
            "",
            (Some(87.6), Some(3631.0), None),
            Some(date(2017, 12, 31)),
            Some(Direction::Higher),
        )
        .unwrap();
        assert_eq!(d.code, "BHYT");
        assert_eq!(check_target_year(2020, d.baseline_on), Ok(2020));
        assert!(check_target_year(2016, d.baseline_on).is_err());
        assert!(check_target_year(3000, d.baseline_on).is_err());
    }

    #[test]
    fn lam_son_health_insurance_progress() {
        // 87.6% at the end of 2017; 90% for 2018, 100% by 2020; 92% in 2018,
        // 95% at the end of Q1 2019.
        let targets = [(2018, 90.0), (2020, 100.0)];
        let actuals = [
            (Period::year(2018), 92.0),
            (Period::parse("Q1/2019").unwrap(), 95.0),
        ];
        let p = progress(Direction::Higher, 87.6, &targets, &actuals, 2018);
        assert_eq!(p.target, Some((2018, 90.0)));
        assert_eq!(p.reached, Some(true));
        assert!((p.progress.unwrap() - 183.33).abs() < 0.01, "{p:?}");
        let p = progress(Direction::Higher, 87.6, &targets, &actuals, 2019);
        assert_eq!(
            p.target,
            Some((2020, 100.0)),
            "the next target set speaks for 2019"
        );
        assert_eq!(p.actual.map(|a| a.1), Some(95.0));
        assert_eq!(p.reached, Some(false));
        assert!((p.progress.unwrap() - 59.68).abs() < 0.01, "{p:?}");
        let p = progress(Direction::Higher, 87.6, &targets, &actuals, 2021);
        assert_eq!((p.target, p.progress, p.reached), (None, None, None));
        let p = progress(Direction::Higher, 87.6, &targets, &[], 2020);
        assert_eq!(p.actual, None);
    }

    #[test]
    fn lower_is_better_reverses_progress_and_reaching() {
        // A poverty rate of 12% at the end of 2017, 8% by 2020.
        let targets = [(2020, 8.0)];
        let p = progress(
            Direction::Lower,
            12.0,
            &targets,
            &[(Period::year(2018), 10.0)],
            2018,
        );
        assert_eq!(p.reached, Some(false));
        assert!((p.progress.unwrap() - 50.0).abs() < 1e-9, "{p:?}");
        let p = progress(
            Direction::Lower,
            12.0,
            &targets,
            &[(Period::year(2020), 7.5)],
            2020,
        );
        assert_eq!(p.reached, Some(true));
        // Rising is no progress at all.
        let p = progress(
            Direction::Lower,
            12.0,
            &targets,
            &[(Period::year(2018), 13.0)],
            2018,
        );
        assert_eq!((p.progress, p.reached), (Some(0.0), Some(false)));
        // Higher is better would call 10% reached against a 8% target.
        let p = progress(
            Direction::Higher,
            12.0,
            &targets,
            &[(Period::year(2020), 10.0)],
            2020,
        );
        assert_eq!(p.reached, Some(true));
        assert_eq!(Direction::from_code("lower"), Some(Direction::Lower));
        assert_eq!(Direction::from_code("down"), None);
    }

    #[test]
    fn standing_compares_the_way_covered_with_the_time_elapsed() {
        let base = (12.0, date(2017, 12, 31));
        // Target 8% by the end of 2020: 37 months from December 2017.
        let t = Some((2020, 8.0));
        let a = |y: i16, v: f64| Some((Period::year(y), v));
        // End of 2018: 13 of 37 months (35%); 50% of the way covered.
        assert_eq!(
            standing(Direction::Lower, base, t, a(2018, 10.0)),
            Standing::OnTrack
        );
        // 25% of the way covered is behind.
        assert_eq!(
            standing(Direction::Lower, base, t, a(2018, 11.0)),
            Standing::Behind
        );
        assert_eq!(
            standing(Direction::Lower, base, t, a(2019, 8.0)),
            Standing::Reached
        );
        assert_eq!(
            standing(Direction::Lower, base, None, a(2019, 8.0)),
            Standing::Unknown
        );
        assert_eq!(standing(Direction::Lower, base, t, None), Standing::Unknown);
        // The same figures read higher-is-better: 10% is already above 8%.
        assert_eq!(
            standing(Direction::Higher, base, t, a(2018, 10.0)),
            Standing::Reached
        );
        // Lâm Sơn's health insurance: 87.6% → 100% by 2020; 95% in Q1 2019
        // is 60% of the way after 16 of 37 months.
        let lam_son = standing(
            Direction::Higher,
            (87.6, date(2017, 12, 31)),
            Some((2020, 100.0)),
            Some((Period::parse("Q1/2019").unwrap(), 95.0)),
        );
        assert_eq!(lam_son, Standing::OnTrack);
        assert_eq!(Standing::Behind.label(), "Chậm tiến độ");
    }

    #[test]
    fn values_roll_up_only_where_they_add() {
        let c = |v| Figure {
            value: v,
            numerator: None,
            denominator: None,
        };
        assert_eq!(
            roll_up(Unit::Count, &[c(3.0), c(4.0)]),
            Some(Rollup::Sum(7.0))
        );
        assert_eq!(
            roll_up(Unit::Amount, &[c(1.5), c(2.0)]),
            Some(Rollup::Sum(3.5))
        );
        assert_eq!(roll_up(Unit::Count, &[]), None);
        let r = |v, n, d| Figure {
            value: v,
            numerator: Some(n),
            denominator: Some(d),
        };
        // 90/100 and 20/25: 110/125 = 88%, not the mean 85%.
        match roll_up(Unit::Percent, &[r(90.0, 90.0, 100.0), r(80.0, 20.0, 25.0)]) {
            Some(Rollup::Rate {
                percent,
                numerator,
                denominator,
            }) => {
                assert!((percent - 88.0).abs() < 1e-9);
                assert_eq!((numerator, denominator), (110.0, 125.0));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            roll_up(Unit::Percent, &[r(90.0, 90.0, 100.0), c(80.0)]),
            Some(Rollup::NotSummable)
        );
    }
}
