"""The vocabularies of the register: kinds of issuer and diploma, gender."""

from __future__ import annotations

from enum import StrEnum

from service import texts


class IssuerKind(StrEnum):
    MINISTRY = "ministry"
    PROVINCIAL_DEPARTMENT = "provincial_department"  # Sở GDĐT
    DISTRICT_OFFICE = "district_office"  # Phòng GDĐT (until 30/06/2025)
    COMMUNE_COMMITTEE = "commune_committee"  # UBND cấp xã (THCS from 01/07/2025, TT13/2025)
    SCHOOL = "school"  # general-education school (trường phổ thông)
    # Higher-education and teacher-training institutions: đại học, học viện, trường cao đẳng
    # and trung cấp sư phạm.
    UNIVERSITY = "university"
    # Vocational education (TT10/2026): trường trung cấp, trung tâm giáo dục nghề nghiệp ...
    VOCATIONAL_SCHOOL = "vocational_school"
    COLLEGE = "college"  # trường cao đẳng (vocational)

    @property
    def label(self) -> texts.Text:
        return texts.ISSUER_KINDS[self.value]

    OTHER = "other"


class DiplomaKind(StrEnum):
    THCS = "thcs"  # bằng tốt nghiệp trung học cơ sở
    THPT = "thpt"  # bằng tốt nghiệp trung học phổ thông
    TEACHER_INTERMEDIATE = "teacher_intermediate"  # bằng tốt nghiệp trung cấp sư phạm
    TEACHER_COLLEGE = "teacher_college"  # bằng tốt nghiệp cao đẳng sư phạm
    BACHELOR = "bachelor"  # bằng cử nhân
    ENGINEER = "engineer"  # bằng kỹ sư (and equivalents: kiến trúc sư, bác sĩ...)
    MASTER = "master"  # bằng thạc sĩ
    DOCTOR = "doctor"  # bằng tiến sĩ
    CERTIFICATE = "certificate"  # chứng chỉ
    # Vocational education, under TT10/2026.
    VOCATIONAL_SECONDARY = "vocational_secondary"  # bằng trung học nghề
    VOCATIONAL_INTERMEDIATE = "vocational_intermediate"  # bằng tốt nghiệp trung cấp
    VOCATIONAL_COLLEGE = "vocational_college"  # bằng tốt nghiệp cao đẳng
    VOCATIONAL_CERTIFICATE = "vocational_certificate"  # chứng chỉ sơ cấp

    @property
    def title_vi(self) -> str:
        """The diploma's name as printed on it (service/texts.py has the English too)."""
        return texts.KINDS[self.value].vi

    @property
    def code(self) -> str:
        """The short upper-case code used in register-number patterns (`{kind}`)."""
        return _CODES[self]


_CODES = {
    DiplomaKind.THCS: "THCS",
    DiplomaKind.THPT: "THPT",
    DiplomaKind.TEACHER_INTERMEDIATE: "TCSP",
    DiplomaKind.TEACHER_COLLEGE: "CDSP",
    DiplomaKind.BACHELOR: "CN",
    DiplomaKind.ENGINEER: "KS",
    DiplomaKind.MASTER: "THS",
    DiplomaKind.DOCTOR: "TS",
    DiplomaKind.CERTIFICATE: "CC",
    DiplomaKind.VOCATIONAL_SECONDARY: "THN",
    DiplomaKind.VOCATIONAL_INTERMEDIATE: "TC",
    DiplomaKind.VOCATIONAL_COLLEGE: "CD",
    DiplomaKind.VOCATIONAL_CERTIFICATE: "SC",
}


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
