-- Yearly review and quality classification of members and organizations
-- (docs/rules.md "Classification regimes by year", "Classification quota",
-- "Classification order (bottom-up)").

-- The regime a year's round is run under: its regulation, the years it
-- applies to, the 100-point score bands when it scores members (366-QĐ/TW;
-- the bands are not confirmed, hence configuration with a note), and the
-- quota of excellent grades with its source and the subjects it covers.
CREATE TABLE classification_regime (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    document        TEXT NOT NULL,
    issued_on       TEXT NOT NULL,
    first_year      INTEGER NOT NULL,
    last_year       INTEGER,
    uses_score      BOOLEAN NOT NULL DEFAULT FALSE,
    band_excellent  INTEGER,
    band_good       INTEGER,
    band_complete   INTEGER,
    band_note       TEXT NOT NULL DEFAULT '',
    quota_percent   INTEGER NOT NULL,
    quota_source    TEXT NOT NULL,
    quota_members   BOOLEAN NOT NULL DEFAULT TRUE,
    quota_base_orgs BOOLEAN NOT NULL DEFAULT TRUE,
    quota_cells     BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT classification_regime_code_key UNIQUE (code)
);

INSERT INTO classification_regime (code, name, document, issued_on, first_year, last_year,
    uses_score, band_excellent, band_good, band_complete, band_note,
    quota_percent, quota_source, quota_members, quota_base_orgs, quota_cells) VALUES
('qd132', 'Quy định 132-QĐ/TW và Hướng dẫn 16-HD/BTCTW',
 'Quy định số 132-QĐ/TW ngày 08/3/2018 của Bộ Chính trị; Hướng dẫn số 16-HD/BTCTW ngày 24/9/2018 của Ban Tổ chức Trung ương',
 '2018-03-08', 2018, 2022, FALSE, NULL, NULL, NULL, '',
 20, 'Quy định 132-QĐ/TW, Hướng dẫn 16-HD/BTCTW: số tổ chức cơ sở đảng, đảng viên xếp loại "Hoàn thành xuất sắc nhiệm vụ" không vượt quá 20% số xếp loại "Hoàn thành tốt nhiệm vụ"',
 TRUE, TRUE, FALSE),
('qd124', 'Quy định 124-QĐ/TW',
 'Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị',
 '2023-10-04', 2023, 2024, FALSE, NULL, NULL, NULL, '',
 20, 'Quy định 124-QĐ/TW (kế thừa tỷ lệ của Quy định 132-QĐ/TW): số xếp loại "Hoàn thành xuất sắc nhiệm vụ" không vượt quá 20% số xếp loại "Hoàn thành tốt nhiệm vụ"',
 TRUE, TRUE, FALSE),
('qd366', 'Quy định 366-QĐ/TW và Hướng dẫn 43-HD/BTCTW',
 'Quy định số 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị; Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương',
 '2025-08-30', 2025, NULL, TRUE, 90, 70, 50,
 'Ngưỡng điểm theo thang 100 điểm là cấu hình, chưa đối chiếu được văn bản gốc: xuất sắc từ 90, tốt từ 70, hoàn thành từ 50 điểm.',
 20, 'Tỷ lệ theo Điều 11 Quy định 366-QĐ/TW (chưa đối chiếu được văn bản gốc; giữ mặc định 20% số xếp loại "Hoàn thành tốt nhiệm vụ")',
 TRUE, TRUE, FALSE);

-- One record per year and subject (a member or an organization): the
-- subject's self-assessment, the cell's proposal (members), the deciding
-- committee's final grade with its document, who and when at each stage.
-- org_id: the member's cell in that year, or the organization itself.
CREATE TABLE classification (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL,
    subject_kind     TEXT NOT NULL,
    subject_id       INTEGER NOT NULL,
    org_id           INTEGER NOT NULL REFERENCES org(id),
    regime_code      TEXT NOT NULL,
    self_grade       TEXT,
    self_score       INTEGER,
    self_by          INTEGER REFERENCES app_user(id),
    self_on          TEXT,
    proposed_grade   TEXT,
    proposed_score   INTEGER,
    proposed_by      INTEGER REFERENCES app_user(id),
    proposed_on      TEXT,
    final_grade      TEXT,
    final_score      INTEGER,
    decided_by_org   INTEGER REFERENCES org(id),
    decided_by       INTEGER REFERENCES app_user(id),
    decided_on       TEXT,
    decision_ref     TEXT NOT NULL DEFAULT '',
    override_reason  TEXT NOT NULL DEFAULT '',
    CONSTRAINT classification_subject_key UNIQUE (year, subject_kind, subject_id)
);
CREATE INDEX classification_org_year ON classification (org_id, year);
CREATE INDEX classification_decider_year ON classification (decided_by_org, year);
