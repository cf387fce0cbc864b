//! Names of the demo organizations. Counts come from domain.md §2.1 and
//! §10.1 (the seed articles); names of communes are real places of the
//! districts, names of hamlets, departments and their cells are plausible
//! stand-ins (the seeds do not list them).

use crate::domain::org::CellType::{self, *};

/// Kim Sơn communes and townships with a party committee: (unit, hamlet or
/// residential-area cells, weight of Catholic members). domain.md §2.1: at
/// least 22 communes and townships; urban areas are called "tiểu khu".
/// The hamlet cells sum to 336, which with 4 fixed cells per commune (88)
/// and the 38 cells of the agency committees makes the 462 of §10.1.
pub const KIM_SON_COMMUNES: [(&str, usize, f64); 22] = [
    ("thị trấn Phát Diệm", 18, 5.0),
    ("thị trấn Bình Minh", 12, 1.5),
    ("xã Kim Chính", 16, 3.0),
    ("xã Chính Tâm", 15, 3.0),
    ("xã Xuân Thiện", 14, 2.0),
    ("xã Chất Bình", 14, 1.5),
    ("xã Hồi Ninh", 15, 1.5),
    ("xã Ân Hòa", 15, 1.0),
    ("xã Hùng Tiến", 13, 2.0),
    ("xã Yên Mật", 14, 1.0),
    ("xã Như Hòa", 13, 1.0),
    ("xã Quang Thiện", 16, 1.5),
    ("xã Đồng Hướng", 15, 1.0),
    ("xã Thượng Kiệm", 18, 1.5),
    ("xã Lưu Phương", 17, 2.0),
    ("xã Tân Thành", 19, 2.0),
    ("xã Yên Lộc", 14, 1.0),
    ("xã Lai Thành", 15, 3.0),
    ("xã Định Hóa", 14, 2.5),
    ("xã Văn Hải", 16, 2.5),
    ("xã Kim Tân", 17, 1.5),
    ("xã Kim Mỹ", 16, 1.5),
];

/// Other Kim Sơn communes (hometowns, and the schools below).
pub const KIM_SON_OTHER_COMMUNES: [&str; 5] = [
    "xã Kim Định",
    "xã Kim Đông",
    "xã Kim Hải",
    "xã Kim Trung",
    "xã Cồn Thoi",
];

/// Cells every commune committee has besides its hamlets ("xã" or "thị trấn" appended).
pub const COMMUNE_FIXED_CELLS: [(&str, CellType); 4] = [
    ("Chi bộ Cơ quan", Agency),
    ("Chi bộ Quân sự", ArmedForces),
    ("Chi bộ Công an", Police),
    ("Chi bộ Trạm Y tế", Health),
];

/// The 8 agency committees of Kim Sơn and their 38 cells.
/// Đức Thọ's communes named in seed 004 with a few village cells each
/// (Hoa Ích Lâm is named; the others are numbered).
pub const DUC_THO_COMMUNES: [(&str, &[&str]); 4] = [
    ("xã Đức Lâm", &["Hoa Ích Lâm", "2", "3", "4"]),
    ("xã Tùng Ảnh", &["1", "2", "3", "4"]),
    ("xã Đức Lạc", &["1", "2", "3"]),
    ("xã Đức Yên", &["1", "2", "3"]),
];

pub const KIM_SON_AGENCIES: [(&str, &[(&str, CellType)]); 8] = [
    (
        "Đảng bộ Công an huyện Kim Sơn",
        &[
            ("Chi bộ Đội Tham mưu - Tổng hợp", Police),
            ("Chi bộ Đội An ninh", Police),
            ("Chi bộ Đội Cảnh sát điều tra tội phạm", Police),
            ("Chi bộ Đội Cảnh sát giao thông - Trật tự", Police),
            ("Chi bộ Đội Cảnh sát quản lý hành chính", Police),
        ],
    ),
    (
        "Đảng bộ Quân sự huyện Kim Sơn",
        &[
            ("Chi bộ Chỉ huy", ArmedForces),
            ("Chi bộ Ban Tham mưu", ArmedForces),
            ("Chi bộ Ban Chính trị - Hậu cần", ArmedForces),
            ("Chi bộ Trung đội Dân quân cơ động", ArmedForces),
        ],
    ),
    (
        "Đảng bộ Bệnh viện Đa khoa huyện Kim Sơn",
        &[
            ("Chi bộ Khoa Nội", Health),
            ("Chi bộ Khoa Ngoại - Sản", Health),
            ("Chi bộ Khoa Nhi", Health),
            ("Chi bộ Khoa Hồi sức cấp cứu", Health),
            ("Chi bộ Khoa Cận lâm sàng", Health),
            ("Chi bộ Hành chính - Tổng hợp", Health),
        ],
    ),
    (
        "Đảng bộ Trung tâm Y tế huyện Kim Sơn",
        &[
            ("Chi bộ Khoa Kiểm soát bệnh tật", Health),
            ("Chi bộ Khoa An toàn thực phẩm", Health),
            ("Chi bộ Phòng khám Đa khoa khu vực", Health),
            ("Chi bộ Hành chính", Health),
        ],
    ),
    (
        "Đảng bộ Trường THPT Kim Sơn A",
        &[
            ("Chi bộ Tổ Toán - Tin", School),
            ("Chi bộ Tổ Ngữ văn - Ngoại ngữ", School),
            ("Chi bộ Tổ Khoa học tự nhiên", School),
            ("Chi bộ Tổ Khoa học xã hội", School),
        ],
    ),
    (
        "Đảng bộ Trường THPT Kim Sơn B",
        &[
            ("Chi bộ Tổ Tự nhiên", School),
            ("Chi bộ Tổ Xã hội", School),
            ("Chi bộ Tổ Văn phòng", School),
        ],
    ),
    (
        "Đảng bộ Cơ quan Chính quyền huyện Kim Sơn",
        &[
            ("Chi bộ Văn phòng HĐND và UBND huyện", Agency),
            ("Chi bộ Phòng Tài chính - Kế hoạch", Agency),
            ("Chi bộ Phòng Nông nghiệp và PTNT", Agency),
            ("Chi bộ Phòng Tài nguyên và Môi trường", Agency),
            ("Chi bộ Phòng Giáo dục và Đào tạo", Agency),
            ("Chi bộ Phòng Lao động - Thương binh và Xã hội", Agency),
            ("Chi bộ Phòng Kinh tế và Hạ tầng", Agency),
            ("Chi bộ Phòng Nội vụ - Tư pháp", Agency),
        ],
    ),
    (
        "Đảng bộ Cơ quan Đảng - Đoàn thể huyện Kim Sơn",
        &[
            ("Chi bộ Văn phòng Huyện ủy", Agency),
            ("Chi bộ Các ban xây dựng Đảng", Agency),
            ("Chi bộ Ủy ban MTTQ và các đoàn thể", Agency),
            ("Chi bộ Trung tâm Chính trị huyện", Agency),
        ],
    ),
];

/// Kim Sơn's 17 district-level agencies and enterprises that are chi bộ cơ sở.
pub const KIM_SON_BASE_CELLS: [(&str, CellType); 17] = [
    ("Chi bộ Chi cục Thuế huyện Kim Sơn", Agency),
    ("Chi bộ Kho bạc Nhà nước Kim Sơn", Agency),
    ("Chi bộ Chi cục Thống kê huyện Kim Sơn", Agency),
    ("Chi bộ Tòa án nhân dân huyện Kim Sơn", Agency),
    ("Chi bộ Viện Kiểm sát nhân dân huyện Kim Sơn", Agency),
    ("Chi bộ Chi cục Thi hành án dân sự huyện Kim Sơn", Agency),
    ("Chi bộ Bảo hiểm xã hội huyện Kim Sơn", Agency),
    ("Chi bộ Ngân hàng Chính sách xã hội huyện Kim Sơn", Agency),
    (
        "Chi bộ Trung tâm Văn hóa - Thể thao và Truyền thông huyện Kim Sơn",
        Agency,
    ),
    ("Chi bộ Ban Quản lý rừng phòng hộ ven biển Kim Sơn", Agency),
    (
        "Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn huyện Kim Sơn",
        Enterprise,
    ),
    ("Chi bộ Điện lực Kim Sơn", Enterprise),
    ("Chi bộ Bưu điện huyện Kim Sơn", Enterprise),
    (
        "Chi bộ Công ty TNHH MTV Khai thác công trình thủy lợi Kim Sơn",
        Enterprise,
    ),
    (
        "Chi bộ Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện Kim Sơn",
        School,
    ),
    ("Chi bộ Trường THPT Kim Sơn C", School),
    ("Chi bộ Trường THPT Bình Minh", School),
];

/// Schools that are chi bộ cơ sở: 14 primary + 15 lower-secondary, which
/// with the 17 above make the 46 of domain.md §10.1.
pub const KIM_SON_PRIMARY_SCHOOLS: [&str; 14] = [
    "Kim Định",
    "Kim Đông",
    "Kim Hải",
    "Kim Trung",
    "Cồn Thoi",
    "Kim Chính",
    "Chính Tâm",
    "Xuân Thiện",
    "Hồi Ninh",
    "Như Hòa",
    "Yên Mật",
    "Lai Thành",
    "Văn Hải",
    "Kim Tân",
];
pub const KIM_SON_LOWER_SECONDARY_SCHOOLS: [&str; 15] = [
    "Kim Định",
    "Kim Đông",
    "Kim Hải",
    "Kim Trung",
    "Cồn Thoi",
    "Phát Diệm",
    "Bình Minh",
    "Chất Bình",
    "Ân Hòa",
    "Hùng Tiến",
    "Quang Thiện",
    "Đồng Hướng",
    "Thượng Kiệm",
    "Lưu Phương",
    "Tân Thành",
];

/// Bản Hon's 13 cells (domain.md §2.1, §10.1: 9 rural, 3 school, 1 health;
/// numbered names as in the seed) and a size weight for each.
pub const BAN_HON_CELLS: [(&str, CellType, f64); 13] = [
    ("Chi bộ 1 (bản Bản Hon)", Rural, 1.3),
    ("Chi bộ 2 (bản Sáy San 1)", Rural, 1.0),
    ("Chi bộ 3 (bản Sáy San 2)", Rural, 0.9),
    ("Chi bộ 4 (bản Đông Pao)", Rural, 1.2),
    ("Chi bộ 5 (bản Chăn nuôi)", Rural, 1.1),
    ("Chi bộ 6 (Trường Tiểu học)", School, 0.9),
    ("Chi bộ 7 (bản Thẳm)", Rural, 1.0),
    ("Chi bộ 8 (bản Nà Đon)", Rural, 0.9),
    ("Chi bộ 9 (bản Sin Chải)", Rural, 0.8),
    ("Chi bộ 10 (bản Lao Chải)", Rural, 0.8),
    ("Chi bộ Trường Mầm non", School, 0.7),
    ("Chi bộ Trường THCS", School, 0.9),
    ("Chi bộ Trạm Y tế xã", Health, 0.5),
];

/// Lâm Sơn's 13 cells (domain.md §10.1: 8 rural, per hamlet) and size weights.
pub const LAM_SON_CELLS: [(&str, CellType, f64); 13] = [
    ("Chi bộ xóm Đồng Bến", Rural, 1.5),
    ("Chi bộ xóm Rổng", Rural, 1.4),
    ("Chi bộ xóm Đồng Chúi", Rural, 1.3),
    ("Chi bộ xóm Bãi Lạng", Rural, 1.5),
    ("Chi bộ xóm Đồng Sương", Rural, 1.0),
    ("Chi bộ xóm Sấu", Rural, 1.2),
    ("Chi bộ xóm Gò Mu", Rural, 1.3),
    ("Chi bộ xóm Đồng Chanh", Rural, 1.4),
    ("Chi bộ Trường Tiểu học Lâm Sơn", School, 0.6),
    ("Chi bộ Trạm Y tế xã", Health, 0.3),
    ("Chi bộ Cơ quan xã", Agency, 0.7),
    ("Chi bộ Quân sự xã", ArmedForces, 0.3),
    ("Chi bộ Công an xã", Police, 0.3),
];

/// Which Lâm Sơn cell is merged into which on 1 July 2025 (indices above).
pub const LAM_SON_MERGE: (usize, usize) = (4, 0);

/// What a department's cells look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Agency,
    Hospital,
    School,
    HealthDept,
    EducationDept,
}

impl Profile {
    /// Cell names in order; a larger committee numbers the rest.
    pub fn cells(self) -> &'static [(&'static str, CellType)] {
        match self {
            Self::Agency => &[
                ("Chi bộ Văn phòng", Agency),
                ("Chi bộ Phòng Tổ chức - Hành chính", Agency),
                ("Chi bộ Phòng Kế hoạch - Tài chính", Agency),
                ("Chi bộ Thanh tra", Agency),
                ("Chi bộ Phòng Nghiệp vụ 1", Agency),
                ("Chi bộ Phòng Nghiệp vụ 2", Agency),
                ("Chi bộ Phòng Quản lý chuyên ngành", Agency),
                ("Chi bộ Trung tâm trực thuộc", Agency),
                ("Chi bộ Chi cục trực thuộc", Agency),
                ("Chi bộ Phòng Pháp chế", Agency),
            ],
            Self::Hospital => &[
                ("Chi bộ Khoa Khám bệnh", Health),
                ("Chi bộ Khoa Nội", Health),
                ("Chi bộ Khoa Ngoại", Health),
                ("Chi bộ Khoa Sản", Health),
                ("Chi bộ Khoa Nhi", Health),
                ("Chi bộ Khoa Hồi sức cấp cứu", Health),
                ("Chi bộ Khoa Cận lâm sàng", Health),
                ("Chi bộ Khoa Dược", Health),
                ("Chi bộ Phòng Kế hoạch tổng hợp", Health),
                ("Chi bộ Phòng Tổ chức - Hành chính", Health),
                ("Chi bộ Khoa Truyền nhiễm", Health),
                ("Chi bộ Khoa Chẩn đoán hình ảnh", Health),
            ],
            Self::School => &[
                ("Chi bộ Khoa Cơ bản", School),
                ("Chi bộ Khoa Chuyên môn", School),
                ("Chi bộ Tổ Toán - Tin", School),
                ("Chi bộ Tổ Ngữ văn - Ngoại ngữ", School),
                ("Chi bộ Tổ Khoa học xã hội", School),
                ("Chi bộ Phòng Đào tạo", School),
                ("Chi bộ Phòng Hành chính - Quản trị", Agency),
                ("Chi bộ Tổ Khoa học tự nhiên", School),
            ],
            Self::HealthDept => &[
                ("Chi bộ Văn phòng Sở", Agency),
                ("Chi bộ Phòng Nghiệp vụ Y", Agency),
                ("Chi bộ Phòng Nghiệp vụ Dược", Agency),
                ("Chi bộ Thanh tra Sở", Agency),
                ("Chi bộ Trung tâm Giám định y khoa", Health),
                ("Chi bộ Trung tâm Pháp y", Health),
                ("Chi bộ Chi cục Dân số - Kế hoạch hóa gia đình", Agency),
                ("Chi bộ Chi cục An toàn vệ sinh thực phẩm", Agency),
                ("Chi bộ Trung tâm Kiểm nghiệm", Health),
            ],
            Self::EducationDept => &[
                ("Chi bộ Văn phòng Sở", Agency),
                ("Chi bộ Phòng Giáo dục Trung học", Agency),
                ("Chi bộ Phòng Giáo dục Mầm non - Tiểu học", Agency),
                ("Chi bộ Phòng Khảo thí và Kiểm định chất lượng", Agency),
                ("Chi bộ Thanh tra Sở", Agency),
                ("Chi bộ Trung tâm Giáo dục thường xuyên tỉnh", School),
                ("Chi bộ Trung tâm Kỹ thuật tổng hợp - Hướng nghiệp", School),
            ],
        }
    }

    /// Relative number of cells.
    pub fn weight(self) -> f64 {
        match self {
            Self::Agency => 1.0,
            Self::Hospital => 2.5,
            Self::School => 1.6,
            Self::HealthDept | Self::EducationDept => 3.0,
        }
    }
}

/// The 71 base committees of the Hòa Bình agencies' bloc (domain.md §10.1).
pub const BLOC_BASES: [(&str, Profile); 71] = {
    use Profile::{Agency as A, EducationDept as ED, HealthDept as HD, Hospital as H, School as S};
    [
        ("Đảng bộ Sở Y tế", HD),
        ("Đảng bộ Sở Giáo dục và Đào tạo", ED),
        ("Đảng bộ Sở Tài chính", A),
        ("Đảng bộ Sở Kế hoạch và Đầu tư", A),
        ("Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", A),
        ("Đảng bộ Sở Công Thương", A),
        ("Đảng bộ Sở Xây dựng", A),
        ("Đảng bộ Sở Giao thông vận tải", A),
        ("Đảng bộ Sở Tài nguyên và Môi trường", A),
        ("Đảng bộ Sở Lao động - Thương binh và Xã hội", A),
        ("Đảng bộ Sở Văn hóa, Thể thao và Du lịch", A),
        ("Đảng bộ Sở Khoa học và Công nghệ", A),
        ("Đảng bộ Sở Thông tin và Truyền thông", A),
        ("Đảng bộ Sở Tư pháp", A),
        ("Đảng bộ Sở Nội vụ", A),
        ("Đảng bộ Thanh tra tỉnh", A),
        ("Đảng bộ Văn phòng Ủy ban nhân dân tỉnh", A),
        (
            "Đảng bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
            A,
        ),
        ("Đảng bộ Ban Dân tộc tỉnh", A),
        ("Đảng bộ Cục Thuế tỉnh", A),
        ("Đảng bộ Kho bạc Nhà nước tỉnh", A),
        ("Đảng bộ Cục Thống kê tỉnh", A),
        ("Đảng bộ Ngân hàng Nhà nước Chi nhánh tỉnh Hòa Bình", A),
        ("Đảng bộ Bảo hiểm xã hội tỉnh", A),
        (
            "Đảng bộ Ngân hàng Chính sách xã hội Chi nhánh tỉnh Hòa Bình",
            A,
        ),
        ("Đảng bộ Đài Phát thanh và Truyền hình tỉnh", A),
        ("Đảng bộ Báo Hòa Bình", A),
        ("Đảng bộ Trường Cao đẳng Sư phạm Hòa Bình", S),
        ("Đảng bộ Trường Cao đẳng Kinh tế - Kỹ thuật Hòa Bình", S),
        ("Đảng bộ Trường Cao đẳng Y tế Hòa Bình", S),
        ("Đảng bộ Trường Chính trị tỉnh", S),
        ("Đảng bộ Trường THPT Chuyên Hoàng Văn Thụ", S),
        ("Đảng bộ Trường Phổ thông Dân tộc nội trú tỉnh", S),
        ("Đảng bộ Bệnh viện Đa khoa tỉnh", H),
        ("Đảng bộ Bệnh viện Y học cổ truyền tỉnh", H),
        ("Đảng bộ Bệnh viện Phục hồi chức năng tỉnh", H),
        ("Đảng bộ Bệnh viện Tâm thần tỉnh", H),
        ("Đảng bộ Bệnh viện Sản Nhi tỉnh", H),
        ("Đảng bộ Trung tâm Kiểm soát bệnh tật tỉnh", H),
        ("Đảng bộ Liên đoàn Lao động tỉnh", A),
        ("Đảng bộ Cơ quan Tỉnh đoàn", A),
        ("Đảng bộ Hội Liên hiệp Phụ nữ tỉnh", A),
        ("Đảng bộ Hội Nông dân tỉnh", A),
        ("Đảng bộ Hội Cựu chiến binh tỉnh", A),
        ("Đảng bộ Cơ quan Ủy ban Mặt trận Tổ quốc tỉnh", A),
        ("Đảng bộ Liên minh Hợp tác xã tỉnh", A),
        ("Đảng bộ Ban Quản lý các khu công nghiệp tỉnh", A),
        (
            "Đảng bộ Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh",
            A,
        ),
        (
            "Đảng bộ Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
            A,
        ),
        (
            "Đảng bộ Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và PTNT tỉnh",
            A,
        ),
        ("Đảng bộ Cục Quản lý thị trường tỉnh", A),
        ("Đảng bộ Chi cục Kiểm lâm tỉnh", A),
        ("Đảng bộ Văn phòng Tỉnh ủy", A),
        ("Đảng bộ Các ban Đảng Tỉnh ủy", A),
        ("Đảng bộ Tòa án nhân dân tỉnh", A),
        ("Đảng bộ Viện Kiểm sát nhân dân tỉnh", A),
        ("Đảng bộ Cục Thi hành án dân sự tỉnh", A),
        ("Đảng bộ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", A),
        ("Đảng bộ Hội Văn học Nghệ thuật tỉnh", A),
        ("Đảng bộ Trung tâm Phục vụ hành chính công tỉnh", A),
        ("Đảng bộ Quỹ Đầu tư phát triển tỉnh", A),
        (
            "Đảng bộ Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh",
            A,
        ),
        ("Đảng bộ Chi cục Thủy lợi tỉnh", A),
        ("Đảng bộ Chi cục Trồng trọt và Bảo vệ thực vật tỉnh", A),
        ("Đảng bộ Chi cục Chăn nuôi và Thú y tỉnh", A),
        ("Đảng bộ Trung tâm Khuyến nông tỉnh", A),
        ("Đảng bộ Bảo tàng tỉnh", A),
        ("Đảng bộ Thư viện tỉnh", A),
        (
            "Đảng bộ Trung tâm Công nghệ thông tin và Truyền thông tỉnh",
            A,
        ),
        ("Đảng bộ Văn phòng Đăng ký đất đai tỉnh", A),
        ("Đảng bộ Trung tâm Bảo trợ xã hội tỉnh", A),
    ]
};

/// Places people of each area live in or come from (commune, district, province).
pub const TAM_DUONG_COMMUNES: [&str; 8] = [
    "xã Bình Lư",
    "xã Sơn Bình",
    "xã Hồ Thầu",
    "xã Nà Tăm",
    "xã Khun Há",
    "xã Bản Bo",
    "xã Bản Giang",
    "xã Thèn Sin",
];
pub const LUONG_SON_COMMUNES: [&str; 8] = [
    "xã Hòa Sơn",
    "xã Nhuận Trạch",
    "xã Tân Vinh",
    "xã Cao Dương",
    "xã Liên Sơn",
    "xã Trung Sơn",
    "xã Cư Yên",
    "thị trấn Lương Sơn",
];
pub const HOA_BINH_CITY_WARDS: [&str; 10] = [
    "phường Phương Lâm",
    "phường Đồng Tiến",
    "phường Tân Thịnh",
    "phường Chăm Mát",
    "phường Tân Hòa",
    "phường Hữu Nghị",
    "phường Thịnh Lang",
    "phường Thái Bình",
    "phường Dân Chủ",
    "phường Quỳnh Lâm",
];
/// Hometowns across Hòa Bình province: (commune, district).
pub const HOA_BINH_HOMETOWNS: [(&str, &str); 10] = [
    ("xã Mông Hóa", "huyện Kỳ Sơn"),
    ("xã Hạ Bì", "huyện Kim Bôi"),
    ("xã Bắc Phong", "huyện Cao Phong"),
    ("xã Phong Phú", "huyện Tân Lạc"),
    ("xã Chiềng Châu", "huyện Mai Châu"),
    ("xã Ân Nghĩa", "huyện Lạc Sơn"),
    ("xã Lạc Thịnh", "huyện Yên Thủy"),
    ("xã Phú Thành", "huyện Lạc Thủy"),
    ("xã Tu Lý", "huyện Đà Bắc"),
    ("xã Hòa Sơn", "huyện Lương Sơn"),
];
