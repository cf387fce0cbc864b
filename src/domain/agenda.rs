//! The default agenda of a meeting by the type of its cell (docs/rules.md
//! "The standard agenda follows the cell's type"): a village cell leads the
//! village's economy and society, a school, health-station or agency cell its
//! professional duties (*nhiệm vụ chuyên môn*).

use super::meeting::MeetingKind;
use super::org::CellType;
use super::schedule::standard_agenda;

/// The lines on leading the cell's political task for its type (Hướng dẫn
/// 05-HD/BTCTW, 25/5/2007: content by type of base organization; the items of
/// a village cell are Bản Hon's, seed 002).
pub fn political_tasks(cell_type: Option<CellType>) -> Vec<&'static str> {
    match cell_type {
        Some(CellType::Rural) => vec![
            "Lãnh đạo sản xuất: gieo trồng đúng lịch thời vụ, đúng kỹ thuật",
            "Chăn nuôi: chống rét, phòng dịch bệnh cho gia súc, gia cầm",
            "Vận động con em đến trường, duy trì sĩ số học sinh",
            "Xây dựng gia đình văn hóa, thôn, bản văn hóa",
            "Giữ gìn an ninh trật tự, quốc phòng ở thôn, bản",
            "Công tác xây dựng Đảng, xây dựng chi bộ trong sạch, vững mạnh",
        ],
        Some(CellType::Residential) => vec![
            "Lãnh đạo phát triển kinh tế, sản xuất, kinh doanh của các hộ trong khu dân cư",
            "Vận động con em đến trường, duy trì sĩ số học sinh",
            "Xây dựng gia đình văn hóa, khu dân cư văn hóa",
            "Giữ gìn an ninh trật tự, quốc phòng ở khu dân cư",
            "Công tác xây dựng Đảng, xây dựng chi bộ trong sạch, vững mạnh",
        ],
        Some(CellType::School) => vec![
            "Lãnh đạo thực hiện nhiệm vụ chuyên môn của nhà trường: dạy và học, chất lượng giáo dục, duy trì sĩ số",
        ],
        Some(CellType::Health) => vec![
            "Lãnh đạo thực hiện nhiệm vụ chuyên môn của trạm y tế: khám, chữa bệnh, y tế dự phòng, phòng chống dịch",
        ],
        Some(CellType::Agency) => {
            vec!["Lãnh đạo thực hiện nhiệm vụ chuyên môn của cơ quan, đơn vị"]
        }
        Some(CellType::Enterprise | CellType::ArmedForces | CellType::Police | CellType::Other)
        | None => vec!["Lãnh đạo thực hiện nhiệm vụ chính trị của đơn vị"],
    }
}

/// The agenda a new meeting of this kind starts with in a cell of this type:
/// the standard steps, and for a meeting that counts as the month's regular
/// one the political-task lines after the report on current affairs.
pub fn default_agenda(kind: MeetingKind, cell_type: Option<CellType>) -> Vec<&'static str> {
    let mut steps = standard_agenda(kind);
    if kind.is_regular() {
        let at = steps
            .iter()
            .position(|s| s.starts_with("Thông tin thời sự"))
            .map_or(steps.len(), |i| i + 1);
        for (i, line) in political_tasks(cell_type).into_iter().enumerate() {
            steps.insert(at + i, line);
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular(t: Option<CellType>) -> Vec<&'static str> {
        default_agenda(MeetingKind::Regular, t)
    }

    // Seed 002 (Bản Hon): village cells lead planting, livestock, schooling,
    // the cultural village, security and party building.
    #[test]
    fn a_village_cell_leads_the_villages_economy_and_society() {
        let a = regular(Some(CellType::Rural));
        for item in [
            "gieo trồng",
            "gia súc",
            "đến trường",
            "văn hóa",
            "an ninh",
            "xây dựng Đảng",
        ] {
            assert!(a.iter().any(|l| l.contains(item)), "{item}");
        }
        assert!(!a.iter().any(|l| l.contains("chuyên môn")));
        let urban = regular(Some(CellType::Residential));
        assert!(urban.iter().any(|l| l.contains("khu dân cư văn hóa")));
        assert!(!urban.iter().any(|l| l.contains("gieo trồng")));
    }

    // Seed 002 and Hướng dẫn 05-HD/BTCTW (25/5/2007): school, health-station
    // and agency cells discuss their professional duties.
    #[test]
    fn school_health_and_agency_cells_lead_their_professional_duties() {
        for (t, word) in [
            (CellType::School, "nhà trường"),
            (CellType::Health, "trạm y tế"),
            (CellType::Agency, "cơ quan"),
        ] {
            let a = regular(Some(t));
            let duty: Vec<_> = a.iter().filter(|l| l.contains("chuyên môn")).collect();
            assert_eq!(duty.len(), 1, "{t:?}");
            assert!(duty[0].contains(word), "{t:?}");
            assert!(!a.iter().any(|l| l.contains("gieo trồng")), "{t:?}");
        }
    }

    #[test]
    fn other_cells_get_a_general_line_in_its_place() {
        for t in [
            Some(CellType::Enterprise),
            Some(CellType::ArmedForces),
            Some(CellType::Police),
            Some(CellType::Other),
            None,
        ] {
            let a = regular(t);
            assert_eq!(a.len(), standard_agenda(MeetingKind::Regular).len() + 1);
            let at = a
                .iter()
                .position(|l| l.starts_with("Thông tin thời sự"))
                .unwrap();
            assert!(a[at + 1].contains("nhiệm vụ chính trị"), "{t:?}");
        }
    }

    #[test]
    fn the_tasks_come_after_current_affairs_and_before_the_discussion() {
        let a = default_agenda(MeetingKind::Combined, Some(CellType::School));
        let news = a.iter().position(|l| l.starts_with("Thông tin")).unwrap();
        let duty = a.iter().position(|l| l.contains("chuyên môn")).unwrap();
        let talk = a.iter().position(|l| l.starts_with("Thảo luận;")).unwrap();
        assert!(news < duty && duty < talk);
    }

    #[test]
    fn thematic_and_self_criticism_meetings_keep_their_own_steps() {
        for k in [MeetingKind::Thematic, MeetingKind::SelfCriticism] {
            assert_eq!(default_agenda(k, Some(CellType::Rural)), standard_agenda(k));
        }
    }
}
