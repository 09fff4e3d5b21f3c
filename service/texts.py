"""What the service says to people, in one catalogue: every Vietnamese text and its English,
Vietnamese first. Problem details and field errors, the titles of problem types, of diploma
kinds and of grounds, the public pages' texts, and the Vietnamese-only wording of the printed
and exported documents.

A site reads `Problem(FORBIDDEN, *texts.CLERK_OWN_ISSUER)` or
`FieldError(loc, "serial_taken", *texts.SERIAL_TAKEN.format(serial=s))`: a `Text` unpacks
into the (Vietnamese, English) pair the error takes. Values go in through `format()`
(str.format on both languages, so `{date:%d/%m/%Y}` prints a date the Vietnamese way).

A platform module: anything in service/ may import it, and it imports nothing of service,
so that domain/ can use it too. tests/service/test_texts.py checks that no Vietnamese text is
written anywhere else in service/ and that every placeholder is filled where a text is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, NamedTuple


class Text(NamedTuple):
    """One thing said, in both languages."""

    vi: str
    en: str

    def format(self, **values: object) -> Text:
        """Both languages with `values` filled in (a language may leave one unused). A value
        that is itself a Text fills each language with its own ("Bằng tốt nghiệp THPT" in
        the Vietnamese, "Upper secondary diploma" in the English)."""
        vi = {k: v.vi if isinstance(v, Text) else v for k, v in values.items()}
        en = {k: v.en if isinstance(v, Text) else v for k, v in values.items()}
        return Text(self.vi.format(**vi), self.en.format(**en))


# Registration of a graduation decision ----------------------------------------------------

KIND_NOT_IN_REGULATION: Final = Text(
    "{regulation} không có loại văn bằng {kind}",
    "{regulation} has no {kind}",
)
# `reason` is a KIND_ABSENT_REASONS text.
KIND_ABSENT: Final = Text(
    "Theo {regulation} không cấp {kind}: {reason}.",
    "Under {regulation} there is no {kind}: {reason}.",
)
# `allowed` lists issuer kinds (ISSUER_KINDS); `issuer_kind` is the requesting issuer's.
KIND_NOT_PERMITTED_DETAIL: Final = Text(
    "Theo {regulation}, {kind} do {allowed} cấp; {issuer} là {issuer_kind}.",
    "Under {regulation}, the {kind} is issued by a {allowed}; {issuer} is a {issuer_kind}.",
)
# Added to KIND_NOT_PERMITTED_DETAIL when an amendment took the power away.
POWER_MOVED: Final = Text(
    "Từ {since:%d/%m/%Y}, {amendment} chuyển thẩm quyền này từ {issuer_kind} sang {allowed}.",
    "From {since:%d/%m/%Y}, {amendment} moved this power from the {issuer_kind} to the {allowed}.",
)
ISSUER_KIND_OR: Final = Text("hoặc", "or")
# A regulation cited with the amendments in force (`amendments` lists their titles).
AMENDED_BY: Final = Text(
    "{regulation} (sửa đổi bởi {amendments})", "{regulation} (as amended by {amendments})"
)
BEFORE_REGULATION: Final = Text(
    "{regulation} áp dụng cho văn bằng cấp từ {in_force_from:%d/%m/%Y}; văn bằng cấp ngày"
    " {issued_on:%d/%m/%Y} theo {current}",
    "{regulation} applies to diplomas issued from {in_force_from:%d/%m/%Y}; one issued on"
    " {issued_on:%d/%m/%Y} comes under {current}",
)
AFTER_REGULATION: Final = Text(
    "{regulation} áp dụng cho văn bằng cấp đến {in_force_until:%d/%m/%Y}; văn bằng cấp ngày"
    " {issued_on:%d/%m/%Y} theo {current}",
    "{regulation} applies to diplomas issued until {in_force_until:%d/%m/%Y}; one issued on"
    " {issued_on:%d/%m/%Y} comes under {current}",
)
# `heads` lists the titles (regulations.toml `signers`).
SIGNER_NOT_HEAD: Final = Text(
    "Theo {regulation}, người ký {kind} là {heads}; cấp phó ký thay thì ghi chức vụ người"
    " đứng đầu vào cột Ký thay (KT.)",
    "Under {regulation}, the {kind} is signed by the {heads}; a deputy signing on their"
    " behalf puts the head's title under On behalf of (KT.)",
)
DEPUTY_NOT_ALLOWED: Final = Text(
    "Theo {regulation}, {kind} không được ký thay (KT.); người ký là {heads}",
    "Under {regulation}, nobody signs the {kind} on the head's behalf; it is signed by the {heads}",
)
# The word that makes a head's title a deputy's ("Phó Hiệu trưởng"), as titles are compared.
DEPUTY_PREFIX: Final = "Phó"
SIGNER_NOT_DEPUTY: Final = Text(
    "Người ký thay (KT.) là cấp phó: chức vụ ghi Phó {heads}",
    "Who signs on the head's behalf (KT.) is a deputy: the title is a deputy's of the {heads}",
)
ON_BEHALF_NOT_HEAD: Final = Text(
    "Ký thay (KT.) phải ghi chức vụ người đứng đầu: {heads}",
    "On behalf of (KT.) names the head's title: {heads}",
)
ISSUED_BEFORE_DECISION: Final = Text(
    "Ngày cấp trước ngày quyết định công nhận tốt nghiệp",
    "Issue date is before the graduation decision date",
)
GRADUATION_AFTER_ISSUE: Final = Text(
    "Năm tốt nghiệp sau năm cấp bằng",
    "Graduation year is after the year of issue",
)
# `first` counts graduates from 1.
SERIAL_REPEATS_GRADUATE: Final = Text(
    "Số hiệu {serial} trùng với người tốt nghiệp thứ {first}",
    "Serial {serial} repeats that of graduate {first}",
)
# `kind` is the kind's title (KINDS), in each language.
REQUIRED_FOR_KIND: Final = Text(
    "{kind} phải có thông tin này",
    "Required for the {kind}",
)
BORN_AFTER_DECISION: Final = Text(
    "Ngày sinh không trước ngày quyết định tốt nghiệp",
    "Date of birth is not before the graduation decision",
)
TOO_YOUNG: Final = Text(
    "Người tốt nghiệp chưa đủ {age} tuổi",
    "The graduate would be under {age} at graduation",
)
UNKNOWN_ISSUER_CODE: Final = Text(
    "Không có đơn vị mã {code}",
    "No issuer has the code {code}",
)
DECISION_REGISTERED: Final = Text(
    "Quyết định {number} ngày {date:%d/%m/%Y} đã được đăng ký",
    "Decision {number} of {date} is already registered",
)
# A supplementary list (a part) whose decision is not the registered one.
PART_DIFFERS: Final = Text(
    "Khác với quyết định đã đăng ký ({registered})",
    "Differs from the registered decision ({registered})",
)
# A background job's failure, one row of the list it names (service/domain/jobs.py).
JOB_ROW_ERROR: Final = Text("dòng {row}: {message}", "row {row}: {message}")
# A job whose person's account was disabled before it ran.
JOB_ACCOUNT_INACTIVE: Final = Text(
    "Tài khoản của người tạo việc này không còn hoạt động",
    "The account that started this job is no longer active",
)
# A job whose checked list was dropped before it ran.
JOB_LIST_GONE: Final = Text(
    "Danh sách đã kiểm tra không còn (đã hủy hoặc quá hạn)",
    "The checked list is gone (cancelled or expired)",
)
# A registration or a re-issue naming a serial the register already holds.
SERIAL_TAKEN: Final = Text(
    "Số hiệu {serial} đã có trong sổ gốc",
    "Serial {serial} is already in the register",
)

# The personal identification number against the graduate's date of birth and gender
# (service/domain/personal_ids.py): `digit` is its 4th digit, `century` the first year of the
# century it gives, `digits` its 5th and 6th, `year` the year of birth registered.
PERSONAL_ID_CENTURY: Final = Text(
    "Chữ số thứ 4 của số định danh cá nhân ({digit}) chỉ thế kỷ sinh từ năm {century}, "
    "không khớp năm sinh {year}",
    "The 4th digit ({digit}) gives a birth in the century from {century}, not the year of "
    "birth {year}",
)
PERSONAL_ID_YEAR: Final = Text(
    "Chữ số thứ 5 và 6 của số định danh cá nhân ({digits}) không khớp năm sinh {year}",
    "The 5th and 6th digits ({digits}) do not match the year of birth {year}",
)
PERSONAL_ID_SEX: Final = Text(
    "Chữ số thứ 4 của số định danh cá nhân ({digit}) không khớp giới tính {gender}",
    "The 4th digit ({digit}) does not match the gender {gender}",
)

# Fields of a request, by pydantic's error type or the code a validator raises --------------

_MUST_BE_OBJECT: Final = Text("Phải là một đối tượng", "Must be an object")
# The placeholders are filled from pydantic's error context (`expected`, `ge`, `le`...).
FIELD_MESSAGES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "missing": Text("Thiếu trường bắt buộc", "Required field is missing"),
        # PostgreSQL's text holds no NUL, and no name, number or date has one.
        "nul_character": Text(
            "Chứa ký tự NUL (\\u0000), không có trong văn bản nào",
            "Holds a NUL character (\\u0000), which no text has",
        ),
        "extra_forbidden": Text("Trường không được hỗ trợ", "Unknown field"),
        "string_type": Text("Phải là chuỗi ký tự", "Must be a string"),
        "int_type": Text("Phải là số nguyên", "Must be a whole number"),
        "list_type": Text("Phải là danh sách", "Must be a list"),
        "model_type": _MUST_BE_OBJECT,
        "dict_type": _MUST_BE_OBJECT,
        "string_too_short": Text("Không được để trống", "Must not be empty"),
        "too_short": Text("Danh sách không được rỗng", "The list must not be empty"),
        "string_too_long": Text(
            "Quá dài (tối đa {max_length} ký tự)",
            "Too long (at most {max_length} characters)",
        ),
        "string_pattern_mismatch": Text("Sai định dạng", "Wrong format"),
        "enum": Text(
            "Giá trị không hợp lệ; được phép: {expected}",
            "Invalid value; expected one of: {expected}",
        ),
        "kind": Text(
            "Loại văn bằng không hợp lệ; ghi một trong: {expected}",
            "Unknown diploma kind; write one of: {expected}",
        ),
        "gender": Text(
            "Giới tính ghi là Nam hoặc Nữ", "Write the gender as Nam (male) or Nu (female)"
        ),
        "greater_than_equal": Text("Phải lớn hơn hoặc bằng {ge}", "Must be at least {ge}"),
        "less_than_equal": Text("Phải nhỏ hơn hoặc bằng {le}", "Must be at most {le}"),
        "name": Text(
            "Họ tên chỉ gồm chữ cái, khoảng trắng, dấu nháy, gạch nối",
            "A name holds letters, spaces, apostrophes and hyphens only",
        ),
        "date_format": Text(
            "Ngày phải có dạng DD/MM/YYYY hoặc YYYY-MM-DD",
            "A date must be DD/MM/YYYY or YYYY-MM-DD",
        ),
        "date_impossible": Text("Ngày không tồn tại", "No such calendar date"),
        "date_with_time": Text("Ngày không được kèm giờ", "A date must not carry a time of day"),
        "yes_no": Text("Phải là có hoặc không", "Must be yes or no"),
        "bool_type": Text("Phải là true hoặc false", "Must be true or false"),
        "personal_id_digits": Text(
            "Số định danh cá nhân gồm đúng 12 chữ số (kể cả các số 0 ở đầu)",
            "A personal identification number is exactly 12 digits (leading zeros included)",
        ),
        "personal_id_province": Text(
            "Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh nơi đăng ký khai sinh",
            "The first three digits are not a province code of birth registration",
        ),
        # `expected` lists the regulations the service knows (domain/regulations.toml).
        "regulation": Text(
            "Văn bản pháp lý không được hỗ trợ; được phép: {expected}",
            "Unknown regulation; expected one of: {expected}",
        ),
    }
)

# Lifecycle: revocations, corrections, re-issues, copies -----------------------------------

# Any date a clerk records that lies after today (decisions, blanks received or spoiled...).
DATE_IN_FUTURE: Final = Text("Ngày ở tương lai", "The date is in the future")
DECIDED_BEFORE_ISSUE: Final = Text(
    "Ngày quyết định trước ngày cấp văn bằng",
    "The decision is dated before the diploma was issued",
)
REISSUED_BEFORE_ISSUE: Final = Text(
    "Ngày cấp lại trước ngày cấp văn bằng cũ",
    "The new issue date is before the old diploma's",
)
COPY_BEFORE_ISSUE: Final = Text(
    "Ngày cấp bản sao trước ngày cấp văn bằng",
    "The copy is dated before the diploma was issued",
)
NOT_CORRECTABLE: Final = Text(
    "Chỉ được chỉnh sửa họ tên, ngày sinh, nơi sinh, giới tính, dân tộc, quốc tịch",
    "Only name, date and place of birth, gender, ethnicity and nationality may be corrected",
)
NO_CHANGE: Final = Text(
    "Không có nội dung nào khác với sổ gốc",
    "Nothing differs from the register",
)
BORN_AFTER_ISSUE: Final = Text(
    "Ngày sinh không trước ngày cấp văn bằng",
    "The date of birth is not before the diploma's issue date",
)
REVOKED_BY: Final = Text(
    "Văn bằng đã bị thu hồi theo quyết định {decision}",
    "The diploma was revoked by decision {decision}",
)
REPLACED_BY: Final = Text(
    "Văn bằng đã được thay bằng văn bằng cấp lại {replacement}",
    "The diploma was replaced by the re-issued diploma {replacement}",
)
SAME_SERIAL: Final = Text(
    "Văn bằng cấp lại phải in trên phôi mới, số hiệu mới",
    "A re-issued diploma is printed on a new blank with a new serial",
)

# Blank forms (phôi) ------------------------------------------------------------------------

NOT_A_RANGE: Final = Text(
    "Số hiệu đầu và cuối phải cùng tiền tố và cùng số chữ số",
    "The first and last serials must share a prefix and a number of digits",
)
BAD_RANGE: Final = Text(
    "Số hiệu cuối phải từ số đầu trở đi, tối đa {max_range:,} phôi một lần",
    "The last serial must not precede the first; at most {max_range:,} blanks",
)
RANGE_OVERLAP: Final = Text(
    "Dải {low} - {high} đã nhận ngày {received_on:%d/%m/%Y}",
    "The range {low} to {high} was received on {received_on}",
)
SERIAL_REPEATS: Final = Text("Số hiệu {serial} bị lặp", "Serial {serial} repeats")
BLANK_NOT_RECEIVED: Final = Text(
    "Số hiệu {serial} không thuộc dải phôi đã nhận",
    "Serial {serial} is not in a received range of blank forms",
)
BLANK_USED: Final = Text(
    "Phôi số hiệu {serial} đã được dùng",
    "The blank {serial} is already used",
)
# `events` names what was recorded ("destroyed and spoiled"); the Vietnamese says both.
BLANK_SPOILED_OR_DESTROYED: Final = Text(
    "Phôi số hiệu {serial} đã bị ghi hỏng hoặc đã hủy",
    "The blank {serial} is recorded as {events}",
)
# Why a blank may not be destroyed.
BLANK_ALREADY_DESTROYED: Final = Text("Phôi {serial}: đã hủy", "Blank {serial}: already destroyed")
BLANK_IN_FORCE: Final = Text(
    "Phôi {serial}: đang mang văn bằng có hiệu lực",
    "Blank {serial}: carries a diploma in force",
)
BLANK_NEVER_RECEIVED: Final = Text("Phôi {serial}: chưa nhận", "Blank {serial}: not received")
REPORT_YEAR: Final = Text(
    "Phải ghi năm báo cáo, ví dụ ?year=2025",
    "Give the report's year, e.g. ?year=2025",
)

# Access: tokens, roles, scopes, keys -------------------------------------------------------

BEARER_MISSING: Final = Text(
    "Thiếu mã truy cập (Authorization: Bearer ...)",
    "Missing bearer token (Authorization: Bearer ...)",
)
BEARER_UNKNOWN: Final = Text(
    "Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi",
    "The token is unknown, expired or revoked",
)
JOB_PRINT_FAILED: Final = Text(
    "Không tạo được tệp in do lỗi ở máy chủ; hãy thử lại sau ít phút",
    "The file could not be made, for an error on our side; try again in a few minutes",
)
# GET print.pdf of a decision larger than VANBANG_JOB_ROWS: `path` is the print-jobs route.
PRINT_AS_JOB: Final = Text(
    "Quyết định có {count} văn bằng, nhiều hơn {most} văn bằng in được trong một yêu cầu: "
    "tệp in được tạo bằng một việc chạy nền (POST {path}), theo dõi tiến độ rồi tải về",
    "The decision has {count} diplomas, more than the {most} one request prints: its file is "
    "made by a background job (POST {path}), whose progress you follow, then download",
)
# A job asked for with a token that is no person's (an operator's `vanbang token create`).
PERSONAL_TOKEN_REQUIRED: Final = Text(
    "Việc chạy nền thuộc về một người: hãy dùng mã truy cập cá nhân tạo ở trang tài khoản "
    "(/tai-khoan/ma-truy-cap)",
    "A background job is a person's: use a personal token, made on the account page "
    "(/tai-khoan/ma-truy-cap)",
)
# GET /api/v1/jobs/{id}/file of a job without its file yet; `state`: queued, running, failed;
# `path`: the job's address.
JOB_NOT_FINISHED: Final = Text(
    "Việc chưa tạo xong tệp (trạng thái: {state}); GET {path} cho biết tiến độ",
    "The job has not made its file (state: {state}); GET {path} tells its progress",
)
# The QR images' old size parameter, replaced by the module's.
QR_SIZE_REPLACED: Final = Text(
    "Không dùng nữa: kích thước mã QR tính theo module_mm (mm mỗi ô) và dpi",
    "No longer accepted: a QR image is sized by module_mm (mm a module) and dpi",
)
ISSUER_NOT_SUPERVISED: Final = Text(
    "Không có đơn vị mang mã này trong phạm vi bạn giám sát",
    "No issuer of this code among those you supervise",
)
JOURNAL_FILTER_INVALID: Final = Text(
    "Bộ lọc nhật ký không hợp lệ: sửa lại trên trang nhật ký rồi tải về",
    "The journal's filters are not valid: correct them on the journal page, then download",
)
REVIEW_NOTE: Final = Text(
    "Ghi vài dòng về việc đã xem xét (tối đa 2.000 ký tự)",
    "Write a few lines on what was looked into (at most 2,000 characters)",
)
ROLE_MAY_NOT_SUPERVISE: Final = Text(
    "Chỉ cán bộ thanh tra, kiểm tra và quản trị viên xem được trang giám sát.",
    "Only auditors and administrators see the supervision pages.",
)
ROLE_MAY_NOT_REGISTER: Final = Text(
    "Vai trò này không được đăng ký văn bằng",
    "This role may not register diplomas",
)
ADMIN_NAMES_ISSUER: Final = Text(
    "Quản trị viên phải ghi mã đơn vị cấp",
    "An admin must name the issuer",
)
CLERK_OWN_ISSUER: Final = Text(
    "Chỉ được ghi sổ cho đơn vị của mình",
    "A clerk records for their own issuer only",
)
NO_ACTIVE_KEY: Final = Text(
    "Đơn vị {issuer} chưa có khóa ký đang hiệu lực trên máy chủ này",
    "{issuer} has no active signing key on this server",
)
# The personal-id key (service/sealing.py): absent, or not the one the numbers were sealed with.
PERSONAL_ID_KEY_ABSENT: Final = Text(
    "Máy chủ chưa có khóa bảo vệ số định danh cá nhân (personal-id.key); quản trị hệ thống "
    "chạy `vanbang key personal-id` hoặc khôi phục tệp khóa",
    "This server has no personal-ID key (personal-id.key); an operator runs "
    "`vanbang key personal-id` or restores the key file",
)
PERSONAL_ID_KEY_OTHER: Final = Text(
    "Số định danh cá nhân trong sổ được bảo vệ bằng khóa khác với khóa trên máy chủ này",
    "The register's personal identification numbers were sealed with another key than "
    "this server's",
)
# The diploma's record names a key id the key store does not hold.
SIGNING_KEY_ABSENT: Final = Text(
    "Khóa đã ký văn bằng này không có trên máy chủ",
    "The key that signed this diploma is not on this server",
)
EXTRACT_ONE: Final = Text(
    "Trích lục điện tử là một tệp có chữ ký số: mỗi yêu cầu cấp một bản",
    "An electronic extract is one signed file: one per request",
)
EXTRACT_NOT_IN_FORCE: Final = Text(
    "Theo {regulation} chưa có trích lục điện tử cho loại văn bằng này vào ngày cấp; hãy cấp "
    "bản sao giấy",
    "Under {regulation} there is no electronic extract for this kind on that date; issue a "
    "paper copy",
)
COPY_NOT_PRINTABLE: Final = Text(
    "Bản sao này được ghi vào sổ trước khi sổ lưu nội dung bản sao và người ký, nên không in "
    "lại được đúng như đã cấp; hãy cấp bản sao mới",
    "This copy was recorded before the register kept a copy's content and signer, so it "
    "cannot be printed again exactly as issued; issue a new copy",
)
NO_ROOT_KEY: Final = Text("Chưa cấu hình khóa gốc", "No root key is configured")

# Uploads: request bodies, CSV and XLSX lists -----------------------------------------------

BODY_EMPTY: Final = Text("Nội dung yêu cầu rỗng", "The request body is empty")
BODY_TOO_LARGE: Final = Text("Tối đa {limit} byte", "At most {limit} bytes")
# `error` is the JSON parser's own message (English).
INVALID_JSON: Final = Text("JSON sai cú pháp: {error}", "Invalid JSON: {error}")
NUL_IN_QUERY: Final = Text(
    "Tham số truy vấn chứa ký tự NUL (%00), không có trong giá trị nào",
    "A query parameter holds a NUL character (%00), which no value has",
)
NUL_IN_FORM: Final = Text(
    "Một trường của biểu mẫu chứa ký tự NUL, không có trong văn bản nào",
    "A form field holds a NUL character, which no text has",
)
FORM_UNREADABLE: Final = Text(
    "Không đọc được biểu mẫu gửi lên (phần đầu sai, thiếu ranh giới hoặc không phải UTF-8)",
    "The posted form cannot be read (a broken part header, no boundary, or not UTF-8)",
)
NO_FILE_PART: Final = Text(
    "Thiếu phần 'file' trong biểu mẫu",
    "The multipart form has no 'file' part",
)
UNSUPPORTED_MEDIA: Final = Text(
    "Không hỗ trợ '{media_type}'; dùng JSON, CSV hoặc .xlsx",
    "'{media_type}' is not accepted; send JSON, CSV or .xlsx",
)
TOO_MANY_GRADUATES: Final = Text(
    "Tối đa {max_rows} người tốt nghiệp mỗi yêu cầu; có {count}",
    "At most {max_rows} graduates per request; got {count}",
)
LIST_NO_HEADER: Final = Text("Tệp không có dòng tiêu đề", "The list has no header row")
UNKNOWN_COLUMN: Final = Text(
    "Cột '{column}' không được hỗ trợ",
    "Column '{column}' is not one the register knows",
)
# `column` is the Vietnamese header, `name` the English one; either is accepted.
MISSING_COLUMN: Final = Text(
    "Thiếu cột '{column}': thêm cột này vào dòng tiêu đề (mọi dòng đều cần)",
    "Column '{column}' ({name}) is missing: add it to the header row (every row needs it)",
)
DUPLICATE_COLUMN: Final = Text(
    "Cột '{column}' xuất hiện hai lần",
    "Column '{column}' appears twice",
)
LIST_TOO_LONG: Final = Text(
    "Tệp có hơn {max_rows} dòng; tối đa {max_rows} người tốt nghiệp mỗi yêu cầu",
    "The list has more than {max_rows} rows; at most {max_rows} graduates per request",
)
# A decision-wide column (decision number, kind...) whose value changes from `row` on.
DIFFERS_BETWEEN_ROWS: Final = Text(
    "Giá trị khác với dòng {row}; cột này phải giống nhau trên mọi dòng",
    "Differs from row {row}; this column must be the same on every row",
)
# `found_vi` and `found_en`: one of the FOUND_ texts below, in each language.
CSV_ENCODING: Final = Text(
    "Không đọc được tệp CSV: {found_vi}. Trong Excel, chọn Tệp > Lưu thành, rồi chọn kiểu "
    '"CSV UTF-8 (Comma delimited) (*.csv)" và tải tệp đó lên; hoặc tải thẳng tệp .xlsx.',
    "The CSV cannot be read: {found_en}. In Excel, choose File > Save As, pick "
    '"CSV UTF-8 (Comma delimited) (*.csv)" and upload that file; or upload the .xlsx itself.',
)
FOUND_XLSX: Final = Text(
    "đây là một tệp Excel (.xlsx), không phải CSV",
    "this is an Excel workbook (.xlsx), not a CSV",
)
FOUND_XLS: Final = Text(
    "đây là một tệp Excel đời cũ (.xls), không phải CSV",
    "this is a legacy Excel workbook (.xls), not a CSV",
)
FOUND_PDF: Final = Text("đây là một tệp PDF, không phải CSV", "this is a PDF, not a CSV")
FOUND_BROKEN_UTF16: Final = Text(
    "tệp ghi là Unicode (UTF-16) nhưng bị hỏng giữa chừng",
    "it says it is Unicode (UTF-16) but breaks off part way",
)
FOUND_UNKNOWN: Final = Text(
    "tệp không phải văn bản UTF-8, UTF-16 hay Windows-1258",
    "it is not UTF-8, UTF-16 or Windows-1258 text",
)
# `error` is the csv module's own message (English).
CSV_SYNTAX: Final = Text(
    "CSV sai cú pháp ở dòng {line}: {error}",
    "CSV syntax error at line {line}: {error}",
)
XLSX_UNREADABLE: Final = Text("Không đọc được tệp .xlsx", "The .xlsx workbook cannot be read")
# Bulk checks of QR codes (docs/verification.md, "Kiểm tra hàng loạt") ---------------------
BULK_NO_FILE: Final = Text(
    "Hãy chọn một tệp CSV, Excel (.xlsx) hoặc ZIP ảnh chụp mã QR",
    "Choose a CSV, Excel (.xlsx) or ZIP file of QR code images",
)
BULK_NO_QR_COLUMN: Final = Text(
    "Không tìm thấy cột nào chứa mã QR (đường dẫn có /V/) trong 50 dòng đầu của tệp",
    "No column holds QR texts (links with /V/) in the file's first 50 rows",
)
BULK_TOO_MANY: Final = Text(
    "Tệp có {rows} mã QR; mỗi lần kiểm tra được tối đa {most}: hãy chia thành nhiều tệp",
    "The file holds {rows} QR codes; one check takes at most {most}: split it",
)
BULK_ZIP_UNREADABLE: Final = Text("Không đọc được tệp ZIP", "The ZIP file cannot be read")
BULK_ZIP_EMPTY: Final = Text(
    "Tệp ZIP không có ảnh nào (.png, .jpg...)", "The ZIP file holds no image (.png, .jpg...)"
)
BULK_IMAGE_UNREADABLE: Final = Text("Không mở được ảnh này", "This image cannot be opened")
BULK_IMAGE_TOO_LARGE: Final = Text(
    "Ảnh quá lớn (trên 20 MB)", "The image is too large (over 20 MB)"
)
BULK_NO_QR_IN_IMAGE: Final = Text(
    "Không thấy mã QR trong ảnh: chụp lại rõ hơn, đủ cả mã",
    "No QR code found in the image: take it again, sharper, the whole code in view",
)
BULK_MANY_QR: Final = Text(
    "Ảnh có nhiều mã QR: mỗi ảnh chụp một mã", "More than one QR code in the image: one each"
)
BULK_ROW_EMPTY: Final = Text("Dòng này không có mã QR", "This row has no QR text")
BULK_IN_FORCE: Final = Text("Còn hiệu lực", "In force")
BULK_PURPOSE: Final = Text(
    "Hãy ghi rõ mục đích tra cứu (từ {low} đến {high} ký tự), ví dụ: xác minh hồ sơ tuyển dụng "
    "đợt tháng 12",
    "State the lookup's purpose ({low} to {high} characters), e.g. checking December's applicants",
)
BULK_LOOKUP_NO_FILE: Final = Text(
    "Hãy chọn một tệp CSV hoặc Excel (.xlsx) có cột Số hiệu và cột Ngày sinh",
    "Choose a CSV or Excel (.xlsx) file with a Serial and a Date of birth column",
)
BULK_LOOKUP_NO_COLUMNS: Final = Text(
    'Dòng đầu của tệp phải có tiêu đề cột "Số hiệu" và "Ngày sinh"',
    'The file\'s first row must head a "Serial" and a "Date of birth" column',
)
BULK_LOOKUP_ROW: Final = Text(
    "Thiếu số hiệu, hoặc ngày sinh không đúng dạng ngày/tháng/năm",
    "No serial, or a date of birth not written day/month/year",
)
BULK_IMAGE_HEADING: Final = "Tệp ảnh"
BULK_QR_HEADING: Final = "Mã QR"
BULK_TITLE: Final = Text("Kết quả kiểm tra hàng loạt", "Bulk check results")
# The columns a bulk check adds at the right of each row.
BULK_COLUMNS: Final = (
    Text("Kết quả kiểm tra", "Check result"),
    Text("Mã kết quả", "Result code"),
    Text("Họ và tên (theo mã QR)", "Full name (as in the QR code)"),
    Text("Số hiệu", "Serial"),
    Text("Loại văn bằng", "Kind"),
    Text("Đơn vị cấp", "Issuer"),
    Text("Tình trạng hiện nay", "Current status"),
    Text("Thời điểm kiểm tra (giờ Việt Nam)", "Checked at (Vietnam time)"),
)
XLS_UNREADABLE: Final = Text(
    "Không đọc được tệp .xls; hãy mở bằng Excel và lưu thành .xlsx",
    "The .xls workbook cannot be read; open it in Excel and save it as .xlsx",
)
XLSX_TOO_MANY_ROWS: Final = Text(
    "Trang tính có hơn {most} dòng (kể cả dòng trống); hãy xoá các dòng thừa rồi gửi lại",
    "The sheet has more than {most} rows (blank ones included); delete the rows past the "
    "list and send it again",
)
XLSX_TOO_LARGE: Final = Text(
    "Tệp .xlsx giải nén quá lớn",
    "The .xlsx workbook expands to too much data",
)

# The issuance log --------------------------------------------------------------------------

NO_CHECKPOINT: Final = Text("Nhật ký chưa có điểm kiểm", "The log has no checkpoint yet")
NO_LOG_KEY: Final = Text("Chưa cấu hình khóa nhật ký", "No log key is configured")
# A witness's refusals (service/witness/): the body of its 4xx answers, both languages.
WITNESS_MALFORMED: Final = Text(
    "Không phải một yêu cầu add-checkpoint đúng định dạng: {detail}",
    "Not a well-formed add-checkpoint request: {detail}",
)
WITNESS_UNKNOWN_LOG: Final = Text(
    "Nhân chứng này không theo dõi nhật ký {origin}",
    "This witness does not follow the log {origin}",
)
WITNESS_NOT_SIGNED: Final = Text(
    "Điểm kiểm không mang chữ ký hợp lệ của khóa nhật ký: {detail}",
    "The checkpoint carries no valid signature by the log's key: {detail}",
)
WITNESS_OLD_TOO_LARGE: Final = Text(
    "Kích thước cũ ({old}) lớn hơn kích thước của điểm kiểm ({size})",
    "The old size ({old}) is larger than the checkpoint's ({size})",
)
WITNESS_INCONSISTENT: Final = Text(
    "Điểm kiểm không nhất quán với điểm kiểm nhân chứng đã ký gần nhất ({detail}); "
    "đã lưu lại làm bằng chứng",
    "The checkpoint is not consistent with the last one this witness cosigned ({detail}); "
    "it is kept as evidence",
)
NOT_A_NUMBER: Final = Text("Phải là số nguyên không âm", "Must be a non-negative whole number")
NOT_A_HASH: Final = Text(
    "Phải là giá trị băm SHA-256 dạng base64",
    "Must be a base64 SHA-256 hash",
)
# `published` is the size of the latest checkpoint's tree.
TREE_SIZE_RANGE: Final = Text(
    "Kích thước cây phải từ 0 đến {published}",
    "The tree size must be from 0 to {published}",
)
OLD_SIZE_RANGE: Final = Text(
    "Kích thước cũ phải từ 0 đến {size}",
    "The old size must be from 0 to {size}",
)
NOT_A_TILE: Final = Text(
    "Không có ô nào ở đường dẫn này: ô của nhật ký là tile/<L>/<N>[.p/<W>] hoặc "
    "tile/entries/<N>[.p/<W>] theo C2SP tlog-tiles",
    "No tile is at this path: the log's tiles are tile/<L>/<N>[.p/<W>] or "
    "tile/entries/<N>[.p/<W>], as C2SP tlog-tiles writes them",
)
# `size` is the size of the latest checkpoint's tree.
TILE_BEYOND_TREE: Final = Text(
    "Cây của điểm kiểm mới nhất ({size} mục) không có ô này",
    "The latest checkpoint's tree ({size} leaves) has no such tile",
)
NOT_IN_LOG_YET: Final = Text(
    "Văn bằng chưa vào nhật ký cấp văn bằng; thử lại sau vài giây",
    "The diploma is not in the issuance log yet; retry in a few seconds",
)
LEAF_NOT_IN_LOG: Final = Text(
    "Chưa có điểm kiểm tra nào của nhật ký chứa mục này; thử lại sau vài giây",
    "No checkpoint of the log holds this leaf yet; retry in a few seconds",
)

# Public verification -----------------------------------------------------------------------

TOKEN_MISSING: Final = Text("Thiếu mã cần kiểm tra", "The token to check is missing")
PDF_TOO_LARGE: Final = Text(
    "Tệp quá lớn: văn bằng số tối đa {mb} MB.",
    "The file is too large: a digital diploma is at most {mb} MB.",
)
NOT_A_PDF: Final = Text(
    "Tệp gửi lên không phải là PDF. Hãy chọn tệp văn bằng số (.pdf) mà đơn vị cấp đã ký.",
    "The file sent is not a PDF. Choose the digital diploma (.pdf) the issuer signed.",
)
RETRY_AFTER: Final = Text("Thử lại sau {seconds} giây", "Retry in {seconds} s")

# The HTTP edge: query parameters, headers, readiness ---------------------------------------

NUMBER_OUT_OF_RANGE: Final = Text(
    "Phải là số từ {low} đến {high}",
    "Must be a number from {low} to {high}",
)
UNKNOWN_KIND_FILTER: Final = Text("Loại văn bằng không hợp lệ", "Unknown diploma kind")
BAD_CURSOR: Final = Text("Con trỏ trang không hợp lệ", "Not a cursor this API gave")
# Finding decisions and diplomas (docs/console.md): the filters' messages.
SEARCH_BAD_DATE: Final = Text(
    "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 25/05/2007",
    "Not a date; type it as day/month/year, e.g. 25/05/2007",
)
SEARCH_TOO_LONG: Final = Text(
    "Nội dung tìm kiếm dài quá {max} ký tự",
    "The search is longer than {max} characters",
)
# `states` lists the values the filter takes.
SEARCH_UNKNOWN_STATE: Final = Text(
    "Tình trạng không hợp lệ; chọn một trong: {states}",
    "Unknown state; one of: {states}",
)
SEARCH_BAD_ID: Final = Text("Mã quyết định không hợp lệ", "Not a decision's id")
IDEMPOTENCY_KEY_FORMAT: Final = Text(
    "Idempotency-Key phải là 1-255 ký tự ASCII in được",
    "Idempotency-Key must be 1 to 255 printable ASCII characters",
)
# `name` is a dependency's name ("database").
NOT_ANSWERING: Final = Text("{name} không trả lời", "{name} is not answering")

# Problem types' titles, by slug (service/problems.py holds status and description) ---------

PROBLEM_TITLES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "malformed-body": Text("Nội dung yêu cầu không đọc được", "Request body cannot be read"),
        "invalid-header": Text("Tiêu đề yêu cầu không hợp lệ", "Invalid request header"),
        "invalid-parameter": Text("Tham số truy vấn không hợp lệ", "Invalid query parameter"),
        "unauthenticated": Text("Chưa xác thực", "Authentication required"),
        "username-taken": Text("Tên đăng nhập đã có người dùng", "Username already taken"),
        "forbidden": Text("Không có quyền", "Not allowed"),
        "not-found": Text("Không tìm thấy", "Not found"),
        "method-not-allowed": Text("Phương thức không được hỗ trợ", "Method not allowed"),
        "duplicate-decision": Text("Quyết định đã được đăng ký", "Decision already registered"),
        "duplicate-serial": Text("Số hiệu văn bằng bị trùng", "Duplicate serial number"),
        "no-signing-key": Text("Đơn vị chưa có khóa ký", "Issuer has no signing key"),
        "no-personal-id-key": Text(
            "Máy chủ chưa có khóa bảo vệ số định danh cá nhân",
            "No personal-ID key on this server",
        ),
        "already-revoked": Text("Văn bằng đã bị thu hồi", "Diploma already revoked"),
        "already-handed-over": Text("Văn bằng đã được bàn giao", "Diploma already handed over"),
        "cannot-print": Text("Không in được văn bằng", "The diploma cannot be printed"),
        "copy-not-printable": Text(
            "Không in lại được bản sao này", "This copy cannot be printed again"
        ),
        "no-digital-diplomas": Text(
            "Quy định không có văn bằng số", "The regulation has no digital diplomas"
        ),
        "no-document-signer": Text(
            "Chưa có chứng thư số để ký văn bằng số",
            "No organisation certificate to sign digital diplomas",
        ),
        "already-transferred": Text(
            "Sổ gốc đã được chuyển giao cho đơn vị này", "Register already transferred there"
        ),
        "register-transferred": Text(
            "Sổ gốc đã chuyển cho đơn vị khác quản lý", "Register in another body's custody"
        ),
        "diploma-not-in-force": Text("Văn bằng không còn hiệu lực", "Diploma no longer in force"),
        "blank-unavailable": Text("Phôi văn bằng không dùng được", "Blank form not available"),
        "blank-range-overlap": Text(
            "Dải số hiệu phôi trùng với dải đã nhận",
            "Blank range overlaps one already received",
        ),
        "idempotency-key-reused": Text(
            "Khóa Idempotency-Key đã dùng cho yêu cầu khác",
            "Idempotency-Key reused for a different request",
        ),
        "payload-too-large": Text("Nội dung yêu cầu quá lớn", "Request body too large"),
        "not-a-pdf": Text("Tệp không phải là PDF", "Not a PDF"),
        "print-as-job": Text(
            "Quyết định lớn được in bằng việc chạy nền", "A large decision is printed as a job"
        ),
        "personal-token-required": Text("Cần mã truy cập cá nhân", "A personal token is required"),
        "job-not-finished": Text("Việc chưa xong", "The job has not finished"),
        "unsupported-media-type": Text("Định dạng không được hỗ trợ", "Unsupported media type"),
        "validation-error": Text("Dữ liệu không hợp lệ", "Invalid data"),
        "kind-not-permitted": Text(
            "Đơn vị không được cấp loại văn bằng này",
            "Issuer may not issue this kind",
        ),
        "unknown-issuer": Text("Không có đơn vị cấp bằng này", "Unknown issuer"),
        "rate-limited": Text("Quá nhiều yêu cầu", "Too many requests"),
        "internal-error": Text("Lỗi máy chủ", "Internal server error"),
        "unavailable": Text("Dịch vụ tạm thời không sẵn sàng", "Service unavailable"),
    }
)

# Kinds of diploma, by DiplomaKind's value (the Vietnamese as printed on the diploma) --------

KINDS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "thcs": Text("Bằng tốt nghiệp trung học cơ sở", "Lower secondary school diploma"),
        "thpt": Text("Bằng tốt nghiệp trung học phổ thông", "Upper secondary school diploma"),
        "teacher_intermediate": Text(
            "Bằng tốt nghiệp trung cấp sư phạm", "Teacher-training intermediate diploma"
        ),
        "teacher_college": Text(
            "Bằng tốt nghiệp cao đẳng sư phạm", "Teacher-training college diploma"
        ),
        "bachelor": Text("Bằng cử nhân", "Bachelor's degree"),
        "engineer": Text("Bằng kỹ sư", "Engineer's degree"),
        "master": Text("Bằng thạc sĩ", "Master's degree"),
        "doctor": Text("Bằng tiến sĩ", "Doctoral degree"),
        "certificate": Text("Chứng chỉ", "Certificate"),
        "vocational_secondary": Text("Bằng trung học nghề", "Vocational secondary diploma"),
        "vocational_intermediate": Text(
            "Bằng tốt nghiệp trung cấp", "Vocational intermediate diploma"
        ),
        "vocational_college": Text("Bằng tốt nghiệp cao đẳng", "Vocational college diploma"),
        "vocational_certificate": Text("Chứng chỉ sơ cấp", "Vocational elementary certificate"),
    }
)

# `vanbang rules`: the state of each rule's source, and the closing count.
RULES_CLI: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "confirmed": Text("đã xác nhận", "confirmed"),
        "unconfirmed": Text("chưa xác nhận", "unconfirmed"),
        "summary": Text(
            "{rules} quy định, {unconfirmed} chưa xác nhận",
            "{rules} rules, {unconfirmed} unconfirmed",
        ),
    }
)

# Kinds of issuer, by IssuerKind's value ------------------------------------------------------

ISSUER_KINDS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "ministry": Text("Bộ Giáo dục và Đào tạo", "Ministry of Education and Training"),
        "provincial_department": Text(
            "Sở Giáo dục và Đào tạo", "provincial Department of Education and Training"
        ),
        "district_office": Text(
            "Phòng Giáo dục và Đào tạo cấp huyện", "district Office of Education and Training"
        ),
        "commune_committee": Text("Ủy ban nhân dân cấp xã", "commune-level People's Committee"),
        "school": Text("trường phổ thông", "general-education school"),
        "university": Text(
            "cơ sở giáo dục đại học, trường sư phạm",
            "higher-education or teacher-training institution",
        ),
        "vocational_school": Text(
            "trường trung cấp, trung tâm giáo dục nghề nghiệp",
            "vocational school or centre",
        ),
        "college": Text("trường cao đẳng", "college"),
        "other": Text("đơn vị khác", "other body"),
    }
)
# Why a kind does not exist under a regulation (regulations.toml `absent`).
KIND_ABSENT_REASONS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "school_record": Text(
            "việc hoàn thành chương trình trung học cơ sở được xác nhận trong học bạ,"
            " không cấp bằng",
            "completing lower secondary school is noted in the school record; no diploma is issued",
        ),
    }
)

# Grounds, by the enums' values: of revocation (Art. 25), of correction (Art. 22) ------------

REVOCATION_GROUNDS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "fraud": Text(
            "Gian lận trong tuyển sinh, học tập, thi cử hoặc lập hồ sơ",
            "Fraud in admission, study, exams or the application file",
        ),
        "ineligible": Text("Cấp cho người không đủ điều kiện", "Issued to an ineligible person"),
        "no_authority": Text("Cấp không đúng thẩm quyền", "Issued without authority"),
        "altered": Text("Bị tẩy xóa, sửa chữa", "Erased or altered"),
        "lent": Text("Để người khác sử dụng", "Lent to someone else"),
        "issuer_error": Text("Do lỗi của cơ quan cấp", "The issuer's own error"),
    }
)
CORRECTION_GROUNDS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "civil_status_changed": Text(
            "Được thay đổi, cải chính hộ tịch", "Civil status changed or rectified"
        ),
        "ethnicity_or_sex_redetermined": Text(
            "Được xác định lại dân tộc, giới tính", "Ethnicity or sex re-determined"
        ),
        "civil_status_supplemented": Text("Được bổ sung hộ tịch", "Civil status supplemented"),
        "birth_registered_late": Text(
            "Được đăng ký khai sinh quá hạn, đăng ký lại",
            "Birth registered late, or registered again",
        ),
    }
)

# The public pages (templates read them as `t.<key>`; service/web/texts.py escapes them) ----

PAGE: Final[Mapping[str, Text]] = MappingProxyType(
    {
        # Every page (base.html) --------------------------------------------------------------
        "title": Text("Kiểm tra văn bằng", "Verify a diploma"),
        # The link to the page in the other language, named in that language.
        "other": Text("English", "Tiếng Việt"),
        "footer": Text(
            "Văn bằng được ký số bởi đơn vị cấp; dịch vụ này kiểm tra chữ ký và sổ gốc.",
            "Diplomas are digitally signed by their issuers; this service checks the "
            "signature and the register.",
        ),
        # The error pages (error.html): a title and one sentence by status, then what to do ---
        "error_401": Text("Cần đăng nhập", "Sign in first"),
        "error_401_text": Text(
            "Trang này chỉ dành cho cán bộ đã đăng nhập.",
            "This page is for signed-in staff only.",
        ),
        "error_403": Text("Không có quyền xem trang này", "You may not see this page"),
        "error_403_text": Text(
            "Tài khoản đang dùng không có quyền với trang hoặc thao tác này.",
            "The account you are using is not allowed this page or action.",
        ),
        "error_404": Text("Không tìm thấy trang", "Page not found"),
        "error_404_text": Text(
            "Không có trang nào ở địa chỉ này. Hãy kiểm tra lại đường dẫn đã mở hoặc đã gõ.",
            "There is no page at this address. Check the link you followed or typed.",
        ),
        "error_405": Text("Không thực hiện được yêu cầu", "This cannot be done here"),
        "error_405_text": Text(
            "Trang này không nhận kiểu yêu cầu mà trình duyệt vừa gửi.",
            "This page does not take the kind of request your browser sent.",
        ),
        "error_413": Text("Nội dung gửi lên quá lớn", "What you sent is too large"),
        "error_413_text": Text(
            "Tệp hoặc biểu mẫu vừa gửi vượt quá giới hạn mà dịch vụ nhận.",
            "The file or form you sent is larger than the service accepts.",
        ),
        "error_429": Text("Quá nhiều yêu cầu", "Too many requests"),
        "error_429_text": Text(
            "Bạn đã gửi nhiều yêu cầu kiểm tra trong thời gian ngắn; để chống dò đoán, dịch vụ "
            "tạm dừng trả lời một lúc.",
            "You sent many checks in a short time; to stop guessing, the service waits a "
            "little before it answers again.",
        ),
        "error_500": Text("Đã có lỗi ở máy chủ", "Something went wrong on our side"),
        "error_500_text": Text(
            "Yêu cầu chưa được thực hiện và không có gì được ghi lại. Hãy thử lại sau ít phút; "
            "nếu vẫn lỗi, hãy báo mã yêu cầu dưới đây cho bộ phận hỗ trợ.",
            "Your request was not carried out and nothing was recorded. Try again in a few "
            "minutes; if it fails again, give support the request id below.",
        ),
        "error_503": Text("Dịch vụ tạm thời gián đoạn", "The service is briefly unavailable"),
        "error_503_text": Text(
            "Dịch vụ đang không kết nối được cơ sở dữ liệu. Hãy thử lại sau ít phút; nếu vẫn "
            "lỗi, hãy báo mã yêu cầu dưới đây cho bộ phận hỗ trợ.",
            "The service cannot reach its database just now. Try again in a few minutes; if "
            "it fails again, give support the request id below.",
        ),
        # Any other status (400, 409, 415, 422 on a page's path).
        "error_other": Text("Yêu cầu chưa được thực hiện", "The request was not carried out"),
        "error_other_text": Text(
            "Hãy quay lại trang trước, kiểm tra những gì đã nhập rồi thử lại.",
            "Go back to the previous page, check what you entered and try again.",
        ),
        # `seconds` is the answer's Retry-After.
        "error_retry": Text("Hãy thử lại sau {seconds} giây.", "Try again in {seconds} seconds."),
        "request_id": Text("Mã yêu cầu", "Request id"),
        "error_next": Text("Bạn có thể:", "You can:"),
        "home": Text("Về trang chủ", "Go to the home page"),
        "error_lookup": Text("Tra cứu văn bằng theo số hiệu", "Look up a diploma by its serial"),
        # The landing page (landing.html, at /); the lookup form's texts follow -------------
        "home_check": Text("Kiểm tra một văn bằng", "Check a diploma"),
        "home_qr_heading": Text("Có mã QR", "With the QR code"),
        "home_qr": Text(
            "Mở camera của điện thoại, hướng vào mã QR in trên văn bằng và chạm vào đường dẫn "
            "hiện ra. Trang kết quả mở ngay, không cần cài ứng dụng hay có tài khoản.",
            "Open your phone's camera, point it at the QR code printed on the diploma and tap "
            "the link that appears. The result opens at once: no app and no account needed.",
        ),
        "home_lookup_heading": Text("Không có mã QR", "Without the QR code"),
        "home_staff": Text("Cán bộ đơn vị cấp văn bằng", "Staff of issuing authorities"),
        "home_staff_text": Text(
            "Cán bộ nhà trường, phòng và sở giáo dục đăng nhập để ghi sổ gốc, in văn bằng, ghi "
            "quyết định chỉnh sửa, thu hồi và xem báo cáo.",
            "Staff of schools and education offices sign in to keep the register, print "
            "diplomas, record corrections and revocations, and read the reports.",
        ),
        # Also on the error page of a 401.
        "staff_sign_in": Text("Đăng nhập dành cho cán bộ", "Staff sign-in"),
        "home_about": Text("Về dịch vụ này", "About this service"),
        "home_about_register": Text(
            "Mỗi đơn vị cấp văn bằng ghi các văn bằng mình cấp vào sổ gốc, như Thông tư "
            "21/2019/TT-BGDĐT quy định; sổ gốc chỉ được ghi thêm, không được sửa hay xóa.",
            "Every issuing authority records the diplomas it issues in its original register, "
            "as Circular 21/2019 requires; entries are only ever added, never changed or "
            "deleted.",
        ),
        "home_about_signed": Text(
            "Mỗi bản ghi được đơn vị cấp ký số; mã QR trên văn bằng mang chính bản ghi đã ký, "
            "nên kiểm tra được cả khi không có mạng.",
            "Each record is digitally signed by its issuer; the QR code on the diploma carries "
            "that signed record, so it can be checked even offline.",
        ),
        "home_about_public": Text(
            "Ai cũng kiểm tra được một văn bằng tại đây, không cần tài khoản; kết quả chỉ cho "
            "biết những gì đã in trên văn bằng và tình trạng hiện nay của nó.",
            "Anyone can check a diploma here without an account; the answer shows only what "
            "is printed on the diploma and its current status.",
        ),
        "home_about_log": Text(
            "Mọi lần cấp, chỉnh sửa, cấp lại và thu hồi đều được ghi vào một nhật ký công khai "
            "chống sửa đổi: không ai, kể cả người vận hành, sửa hay xóa được một dòng mà không "
            "bị phát hiện.",
            "Every issue, correction, re-issue and revocation is written to a public "
            "tamper-evident log: nobody, not even its operators, can change or remove an "
            "entry unnoticed.",
        ),
        "home_links": Text(
            "Cho phần mềm kiểm tra và cán bộ kiểm tra, thanh tra:",
            "For verifying software and auditors:",
        ),
        "trust_list": Text(
            "Danh sách khóa tin cậy của các đơn vị cấp",
            "The trust list: every issuer's signing keys",
        ),
        "checkpoint": Text("Điểm kiểm mới nhất của nhật ký", "The log's latest checkpoint"),
        # The lookup form (lookup.html, _lookup_form.html; the landing page shows it too) ---
        "lookup": Text("Tra cứu theo số hiệu", "Look up by serial"),
        "lookup_intro": Text(
            "Nhập số hiệu và ngày sinh in trên văn bằng.",
            "Enter the serial and the date of birth printed on the diploma.",
        ),
        # `serial` is also a label of the revocations page.
        "serial": Text("Số hiệu", "Serial"),
        "dob": Text("Ngày sinh", "Date of birth"),
        "dob_hint": Text(
            "Ngày/tháng/năm như in trên văn bằng, ví dụ 25/05/2007",
            "Day/month/year as printed on the diploma, e.g. 25/05/2007",
        ),
        "issuer": Text("Mã đơn vị cấp (nếu biết)", "Issuer code (if known)"),
        "submit": Text("Tra cứu", "Look up"),
        "lookup_fix": Text(
            "Chưa tra cứu được: hãy sửa các ô được đánh dấu bên dưới.",
            "Not looked up yet: correct the fields marked below.",
        ),
        # The verification result (result.html; pages.py labels the decisions' rows) ---------
        "compare": Text("Đối chiếu với bản giấy", "Compare with the paper"),
        "steps": Text("Các bước đã kiểm tra", "What was checked"),
        "checked_at": Text("Tình trạng đọc từ sổ gốc lúc", "Status read from the register at"),
        "vietnam_time": Text("giờ Việt Nam, UTC+7", "Vietnam time, UTC+7"),
        "steps_not_run": Text(
            "Các bước sau không kiểm tra, vì bước trước không đạt",
            "Later steps not checked, because an earlier one failed",
        ),
        "not_genuine_next": Text(
            "Việc kiểm tra đã chạy xong và không đạt: đây không phải lỗi kết nối. Đừng chấp "
            "nhận văn bằng này; nếu người nộp cho rằng có nhầm lẫn, hãy hỏi trực tiếp đơn vị "
            "có tên in trên văn bằng.",
            "The check ran and failed: this is not a connection problem. Do not accept this "
            "diploma; if its holder says there is a mistake, ask the issuer named on it.",
        ),
        "not_found_next": Text(
            "Không tìm thấy văn bằng nào khớp. Hãy kiểm tra lại: số hiệu đúng như in trên văn "
            "bằng (gồm cả chữ và số), và ngày sinh đúng ngày/tháng/năm. "
            "Nếu vẫn không thấy, hãy hỏi đơn vị có tên in trên văn bằng: văn bằng cấp trước "
            "khi đơn vị dùng dịch vụ này có thể chưa có trong sổ gốc điện tử.",
            "No diploma matches. Check the serial exactly as printed on the diploma (letters "
            "and digits) and the date of birth as day/month/year. If it "
            "is still not found, ask the issuer named on the diploma: diplomas issued before "
            "the issuer used this service may not be in the electronic register yet.",
        ),
        "again": Text("Tra cứu văn bằng khác", "Look up another diploma"),
        "proof_file": Text(
            "Tải bằng chứng ngoại tuyến rằng bản ghi có trong nhật ký phát hành (.tlog-proof; "
            "không chứa dữ liệu cá nhân, kiểm tra bằng vanbang-verify proof)",
            "Download the offline proof that the record is in the issuance log (.tlog-proof; "
            "no personal data, checked with vanbang-verify proof)",
        ),
        # The bulk check page (bulk.html) -------------------------------------------------
        "bulk_title": Text("Kiểm tra hàng loạt", "Bulk check"),
        "bulk_intro": Text(
            "Dành cho bộ phận nhân sự: tải lên một tệp có cột mã QR (nội dung đọc từ mã, đường "
            "dẫn có /V/), hoặc một tệp ZIP các ảnh chụp mã QR. Tệp được trả lại như cũ, mỗi dòng "
            "thêm kết quả kiểm tra, họ tên, số hiệu và tình trạng hiện nay để đối chiếu. Tối đa "
            "{most} mã một lần.",
            "For HR: upload a file with a column of QR texts (what the code reads, a link with "
            "/V/), or a ZIP of photos of QR codes. The file comes back as it was, each row with "
            "the check's result, the name, serial and current status to compare. At most "
            "{most} codes at a time.",
        ),
        "bulk_file": Text("Tệp cần kiểm tra", "File to check"),
        "bulk_hint": Text(
            "CSV, Excel (.xlsx) hoặc ZIP ảnh; dưới 20 MB",
            "CSV, Excel (.xlsx) or a ZIP of images; under 20 MB",
        ),
        "home_bulk_heading": Text("Kiểm tra nhiều văn bằng", "Checking many diplomas"),
        "home_bulk": Text(
            "Bộ phận nhân sự có thể kiểm tra cả danh sách mã QR trong một tệp Excel hoặc CSV:",
            "HR can check a whole list of QR codes in an Excel or CSV file:",
        ),
        "bulk_submit": Text("Kiểm tra và tải kết quả", "Check and download the results"),
        "bulk_privacy": Text(
            "Tệp không được lưu lại: kết quả được trả về ngay và không giữ trên hệ thống.",
            "The file is not kept: the results come straight back and nothing stays here.",
        ),
        # The digital diploma check page (pdf_check.html) ---------------------------------
        "pdf_title": Text("Kiểm tra văn bằng số", "Check a digital diploma"),
        "pdf_intro": Text(
            "Tải lên tệp PDF văn bằng số mà người có văn bằng gửi cho bạn. Hệ thống kiểm tra "
            "chữ ký số của đơn vị cấp trên tệp, chứng thư số của đơn vị, bản ghi sổ gốc đính "
            "kèm và mã QR, rồi cho biết tình trạng hiện nay của văn bằng trong sổ gốc.",
            "Upload the digital diploma (PDF) its holder sent you. The service checks the "
            "issuer's digital signature on the file, the issuer's certificate, the register "
            "record attached and the QR code, then says what the register holds of it now.",
        ),
        "pdf_file": Text("Tệp văn bằng số (PDF)", "Digital diploma (PDF)"),
        "pdf_hint": Text("Tệp PDF; tối đa {mb} MB", "A PDF file; at most {mb} MB"),
        "pdf_submit": Text("Kiểm tra", "Check"),
        "pdf_privacy": Text(
            "Tệp không được lưu lại: được kiểm tra ngay rồi bỏ đi.",
            "The file is not kept: it is checked straight away, then discarded.",
        ),
        "pdf_offline": Text(
            "Có thể kiểm tra ngoại tuyến bằng lệnh vanbang-verify pdf.",
            "It can be checked offline too, with vanbang-verify pdf.",
        ),
        "home_pdf": Text(
            "Nhận được văn bằng số (tệp PDF)? Kiểm tra tại đây:",
            "Received a digital diploma (a PDF)? Check it here:",
        ),
        # `revocation` is also a heading of the revocations page.
        "revocation": Text("Quyết định thu hồi", "Revocation decision"),
        "decision": Text("Số quyết định", "Decision number"),
        "decided_on": Text("Ngày quyết định", "Decided on"),
        "authority": Text("Cơ quan quyết định", "Decided by"),
        "ground": Text("Căn cứ", "Ground"),
        "reason": Text("Lý do", "Reason"),
        "correction": Text("Quyết định chỉnh sửa", "Correction decision"),
        "current": Text(
            "Nội dung hiện hành trong sổ gốc (văn bằng giấy dùng kèm quyết định chỉnh sửa)",
            "Current content of the register (the paper is shown with the correction decision)",
        ),
        "replacement": Text(
            "Văn bằng này đã được cấp lại do lỗi của cơ quan cấp; văn bằng thay thế:",
            "This diploma was re-issued for the issuer's own error; the replacement:",
        ),
        # An issuer's revocations (revocations.html) ------------------------------------------
        "revocations": Text("Văn bằng bị thu hồi", "Revoked diplomas"),
        "none": Text("Chưa có quyết định thu hồi nào.", "No revocation decisions."),
        # Verification receipts (receipt.html, the result page's button, the receipt's PDF) --
        "receipt_make": Text("Tạo biên nhận kiểm tra", "Make a verification receipt"),
        "receipt_make_hint": Text(
            "Biên nhận ghi lại kết quả kiểm tra này kèm một mã ngắn: in ra hoặc gửi đường dẫn "
            "cho người cần, họ kiểm tra lại được bất cứ lúc nào trong thời hạn của biên nhận.",
            "A receipt keeps this check's result under a short code: print it or send its "
            "link, and anyone can check it again at any time while the receipt is valid.",
        ),
        "receipt_title": Text("Biên nhận kiểm tra văn bằng", "Diploma verification receipt"),
        "receipt_code": Text("Mã biên nhận", "Receipt code"),
        "receipt_checked_at": Text("Kiểm tra lúc", "Checked at"),
        "receipt_valid_until": Text("Có giá trị đến", "Valid until"),
        "receipt_address": Text("Địa chỉ kiểm tra lại", "Check it again at"),
        "receipt_then": Text("Kết quả lúc kiểm tra", "The result when checked"),
        "receipt_now": Text("Kết quả hiện nay", "The result now"),
        "receipt_now_at": Text("Kiểm tra lại lúc", "Checked again at"),
        "receipt_same": Text(
            "Kết quả hiện nay giống kết quả lúc kiểm tra.",
            "The result now is the same as when it was checked.",
        ),
        "receipt_changed": Text(
            "Kết quả đã thay đổi kể từ lúc kiểm tra: khi đó «{then}», nay «{now}».",
            'The result has changed since it was checked: then "{then}", now "{now}".',
        ),
        "receipt_diploma": Text("Văn bằng đã kiểm tra", "The diploma checked"),
        "receipt_no_fields": Text(
            "Mã QR đã kiểm tra không phải mã thật, nên biên nhận không ghi nội dung nào của nó.",
            "The QR code checked was not genuine, so the receipt shows nothing it says.",
        ),
        "receipt_pdf": Text("Tải biên nhận (PDF, in được)", "Download the receipt (PDF, to print)"),
        "receipt_privacy": Text(
            "Biên nhận chỉ ghi những gì in trên văn bằng và tình trạng công khai của nó; không "
            "ghi dân tộc, số giấy tờ tùy thân hay mã học sinh, và không ghi ai đã kiểm tra.",
            "A receipt holds only what is printed on the diploma and its public status: no "
            "ethnicity, identity number or student id, and not who checked it.",
        ),
        "receipt_gone": Text("Không xem được biên nhận", "The receipt cannot be shown"),
        "receipt_scan": Text(
            "Quét mã QR này hoặc mở địa chỉ trên để xem kết quả hiện nay.",
            "Scan this QR code or open the address above to see the result now.",
        ),
        "receipt_printed_at": Text(
            "In lúc {moment} (giờ Việt Nam, UTC+7); kết quả hiện nay là kết quả lúc in.",
            "Printed at {moment} (Vietnam time, UTC+7); the result now is the result when printed.",
        ),
    }
)

# Verification receipts: their problems' details (the page shows them too) -----------------
RECEIPT_MISSING: Final = Text(
    "Biên nhận không tồn tại hoặc đã hết hạn",
    "There is no such receipt, or it has expired",
)
# `day`: dd/mm/yyyy, Vietnam time.
RECEIPT_EXPIRED: Final = Text(
    "Biên nhận này đã hết hạn ngày {day}",
    "This receipt expired on {day}",
)
RECEIPT_TOKEN_TOO_LONG: Final = Text(
    "Nội dung mã QR dài quá 4.096 ký tự",
    "The QR text is longer than 4,096 characters",
)
RECEIPT_CROSS_SITE: Final = Text(
    "Biên nhận chỉ được tạo từ trang kết quả kiểm tra của dịch vụ này",
    "A receipt is made only from this service's own result page",
)

# Printed and recorded documents, in Vietnamese only (the forms of Circular 21) -------------
# The printable sheet of a decision (service/qr/sheet.py), the register's export
# (service/usecases/audit.py) and what the register itself records.

GENDERS_PRINTED: Final[Mapping[str, str]] = MappingProxyType({"male": "Nam", "female": "Nữ"})

SHEET_TITLE: Final = "Quyết định {number}"
SHEET_DECISION: Final = "Quyết định công nhận tốt nghiệp số {number} ngày {date:%d/%m/%Y}"
# A deputy signing for the head (ký thay): the head's title in capitals, then the deputy's.
SHEET_ON_BEHALF: Final = "KT. {head} / {title}"
# The sheet's printed fields, in order, by the register column (or what the line shows).
SHEET_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "holder_name": "Họ và tên",
        "date_of_birth": "Ngày sinh",
        "place_of_birth": "Nơi sinh",
        "gender": "Giới tính",
        "major": "Ngành đào tạo",
        "classification": "Xếp loại",
        "mode_of_study": "Hình thức đào tạo",
        "graduation_year": "Năm tốt nghiệp",
        "place_and_date_of_issue": "Nơi cấp, ngày cấp",
        "signer": "Người ký",
        "serial": "Số hiệu",
        "register_number": "Số vào sổ gốc",
    }
)
SHEET_FOOTER: Final = (
    "Số hiệu {serial} · Số vào sổ gốc {register_number}\nQuét mã để kiểm tra văn bằng."
)

# The certified copy from the register (bản sao từ sổ gốc, Art. 27-32;
# service/printing/copy_document.py): the issuer's and the national heading, the copy's
# number in the copy register, the register's content as copied, to whom, and who signs.
COPY_TITLE: Final = "Bản sao {number}"
COPY_NATION: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
COPY_MOTTO: Final = "Độc lập - Tự do - Hạnh phúc"
COPY_NUMBER: Final = "Số: {number}"
COPY_HEADING: Final = "BẢN SAO VĂN BẰNG, CHỨNG CHỈ TỪ SỔ GỐC"
COPY_EXTRACT_HEADING: Final = "TRÍCH LỤC SỔ GỐC VĂN BẰNG, CHỨNG CHỈ"
COPY_INTRO: Final = "{issuer} chứng nhận nội dung sau đây đúng với sổ gốc cấp văn bằng, chứng chỉ:"
COPY_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "kind": "Loại văn bằng, chứng chỉ",
        "full_name": "Họ và tên người được cấp",
        "date_of_birth": "Ngày sinh",
        "place_of_birth": "Nơi sinh",
        "gender": "Giới tính",
        "major": "Ngành đào tạo",
        "classification": "Xếp loại",
        "mode_of_study": "Hình thức đào tạo",
        "graduation_year": "Năm tốt nghiệp",
        "serial": "Số hiệu",
        "register_number": "Số vào sổ gốc",
        "place_and_date_of_issue": "Nơi cấp, ngày cấp",
        "signer": "Người ký văn bằng",
    }
)
COPY_REQUESTER: Final = "Cấp cho: {name} ({relation})"
COPY_RELATIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "holder": "người được cấp văn bằng",
        "representative": "người đại diện theo pháp luật hoặc theo ủy quyền",
        "relative": "cha, mẹ, vợ, chồng, con hoặc người thân thích",
        "heir": "người thừa kế",
    }
)
COPY_COUNT: Final = "Số bản sao cấp: {copies}"
COPY_VERSION: Final = (
    "Nội dung theo sổ gốc tại thời điểm cấp bản sao, kể cả các lần chỉnh sửa "
    "(bản ghi lần {version})."
)
COPY_PLACE_DATE: Final = "{place}, ngày {day:02d} tháng {month:02d} năm {year}"
COPY_SIGNATURE: Final = "(Ký, ghi rõ họ tên và đóng dấu)"
EXTRACT_SIGNATURE: Final = "(Đã ký số)"
EXTRACT_NOTE: Final = (
    "Trích lục điện tử có chữ ký số của {issuer}: mở tệp bằng trình đọc PDF để xem chữ ký; "
    "mục sổ cấp bản sao đã ký được đính kèm trong tệp."
)
EXTRACT_STATEMENT: Final = "Mục {number} của sổ cấp bản sao, đã ký (COSE_Sign1)"
# What the QR note calls the document, by its form.
COPY_FORMS_PRINTED: Final[Mapping[str, str]] = MappingProxyType(
    {"paper": "bản sao", "extract": "trích lục"}
)
COPY_QR_NOTE: Final = (
    "Quét mã QR để kiểm tra {what} số {number} trong sổ cấp bản sao và tình trạng hiện "
    "tại của văn bằng (còn hiệu lực, đã chỉnh sửa, đã cấp lại hay đã thu hồi)."
)

# The register's columns (sổ gốc), in order, by the export's keys.
REGISTER_HEADINGS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "register_number": "Số vào sổ gốc",
        "serial": "Số hiệu văn bằng",
        "full_name": "Họ và tên",
        "date_of_birth": "Ngày sinh",
        "place_of_birth": "Nơi sinh",
        "gender": "Giới tính",
        "ethnicity": "Dân tộc",
        "nationality": "Quốc tịch",
        "major": "Ngành đào tạo",
        "classification": "Xếp loại",
        "mode_of_study": "Hình thức đào tạo",
        "graduation_year": "Năm tốt nghiệp",
        "decision": "Quyết định công nhận tốt nghiệp",
        "issued_on": "Ngày cấp",
        "signer": "Người ký",
        "recipient": "Người nhận (ký, ghi rõ họ tên)",
        "received_on": "Ngày nhận",
        "notes": "Ghi chú",
    }
)
REGISTER_SHEET: Final = "Sổ gốc"
# The dates of the export's cells come formatted as DD/MM/YYYY.
REGISTER_DECISION: Final = "{number} ngày {date}"
REGISTER_CORRECTED: Final = "Chỉnh sửa theo QĐ {number} ngày {date} ({changes})"
REGISTER_REISSUE_OF: Final = "Cấp lại thay văn bằng số hiệu {serial}"
REGISTER_REISSUED_AS: Final = "Đã cấp lại, thay bằng số hiệu {serial}"
REGISTER_REVOKED: Final = "Thu hồi theo QĐ {number} ngày {date} của {authority}"
REGISTER_COPY: Final = "Bản sao số {number} ({copies} bản) ngày {date}"
REGISTER_LATE: Final = "Đăng ký sau thời hạn (Điều 17)"
# The title rows of the register's exports: the whole register (of one kind, of one year), and
# one decision's entries (the console's download).
REGISTER_TITLE: Final = "Sổ gốc cấp văn bằng, chứng chỉ: {what}"
REGISTER_YEAR: Final = "năm {year}"
REGISTER_DECISION_TITLE: Final = "Sổ gốc cấp văn bằng: quyết định số {number} ngày {date}, {issuer}"

# The reason recorded (and signed) when a re-issue spoils the old diploma's blank.
REISSUE_SPOIL_REASON: Final = "Cấp lại do lỗi của cơ quan cấp: {reason}"


# Handovers (bàn giao) ----------------------------------------------------------------------
# Who received a diploma and when (Circular 21 Art. 13). Two entries live in the tables they
# belong to, by key: the problem type's title (PROBLEM_TITLES["already-handed-over"]) and the
# export's two columns (REGISTER_HEADINGS["recipient"], ["received_on"]).

HANDED_OVER_BEFORE_ISSUE: Final = Text(
    "Ngày bàn giao trước ngày cấp văn bằng",
    "The handover is dated before the diploma was issued",
)
ALREADY_HANDED_OVER_ON: Final = Text(
    "Văn bằng đã được bàn giao ngày {date:%d/%m/%Y}; mỗi văn bằng chỉ bàn giao một lần",
    "The diploma was handed over on {date}; a diploma is handed over once",
)
REPRESENTATIVE_AUTHORISATION: Final = Text(
    "Người nhận thay phải có giấy ủy quyền hoặc giấy tờ chứng minh là người đại diện; "
    "ghi số, ngày của giấy đó",
    "A representative shows a written authorisation or proof of legal representation; "
    "give its number and date",
)
REPRESENTATIVE_ID_DOCUMENT: Final = Text(
    "Người nhận thay phải xuất trình giấy tờ tùy thân",
    "A representative shows an identity document",
)
AUTHORISATION_ONLY_FOR_REPRESENTATIVE: Final = Text(
    "Chỉ ghi giấy ủy quyền khi người khác nhận thay người được cấp văn bằng",
    "An authorisation is recorded only when someone receives the diploma for its holder",
)
ID_DOCUMENT_INCOMPLETE: Final = Text(
    "Ghi cả loại và số giấy tờ tùy thân",
    "Give both the identity document's type and its number",
)
# In the register's export (the recipient's column and the notes), Vietnamese only.
REGISTER_RECEIVED_FOR: Final = "{name} (nhận thay theo {authorisation})"
REGISTER_HANDED_OVER_BY: Final = "Người bàn giao: {name}"


# Staff accounts, sign-in, tokens and the journal (docs/accounts.md) -----------------------

PASSWORD_TOO_SHORT: Final = Text(
    "Mật khẩu cần ít nhất {min} ký tự (mật khẩu này có {length}). Một câu dễ nhớ là mật khẩu tốt.",
    "A password needs at least {min} characters (this one has {length}). A sentence you "
    "remember makes a good one.",
)
PASSWORD_TOO_LONG: Final = Text(
    "Mật khẩu dài quá {max} ký tự",
    "The password is longer than {max} characters",
)
PASSWORD_HAS_NAME: Final = Text(
    "Mật khẩu không được chứa tên đăng nhập hay họ tên của bạn",
    "The password must not contain your username or your name",
)
PASSWORD_COMMON: Final = Text(
    "Mật khẩu này quá phổ biến hoặc dễ đoán; hãy chọn một câu dài hơn, ít gặp hơn",
    "This password is too common or easy to guess; choose a longer, less usual phrase",
)
PASSWORD_UNCHANGED: Final = Text(
    "Mật khẩu mới phải khác mật khẩu hiện tại",
    "The new password must differ from the current one",
)
PASSWORDS_DIFFER: Final = Text(
    "Hai lần nhập mật khẩu mới không giống nhau",
    "The two entries of the new password differ",
)
CURRENT_PASSWORD_WRONG: Final = Text(
    "Mật khẩu hiện tại không đúng",
    "The current password is wrong",
)
SIGN_IN_WRONG: Final = Text(
    "Tên đăng nhập hoặc mật khẩu không đúng",
    "The username or the password is wrong",
)
SIGN_IN_THROTTLED: Final = Text(
    "Đã có nhiều lần nhập sai. Vui lòng thử lại sau {seconds} giây.",
    "There were many failed attempts. Please try again in {seconds} seconds.",
)
SIGN_IN_THROTTLED_MINUTES: Final = Text(
    "Đã có nhiều lần nhập sai. Vui lòng thử lại sau {minutes} phút.",
    "There were many failed attempts. Please try again in {minutes} minutes.",
)
PASSWORD_CHECKS_BUSY: Final = Text(
    "Hệ thống đang bận; vui lòng thử lại sau ít giây",
    "The service is busy; please try again in a few seconds",
)
ACCOUNT_IS_DISABLED: Final = Text(
    "Tài khoản này đã bị khóa; hãy liên hệ người quản trị của đơn vị",
    "This account is disabled; ask your organisation's administrator",
)
DEMO_ACCOUNT_REFUSED: Final = Text(
    "Tài khoản mẫu không được dùng trên hệ thống chính thức",
    "Demo accounts cannot be used on a production service",
)
SIGN_IN_AGAIN: Final = Text(
    "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại",
    "The sign-in has expired; please sign in again",
)
SECOND_FACTOR_WRONG: Final = Text(
    "Mã xác thực không đúng hoặc đã được dùng",
    "The code is wrong or was already used",
)
# The key sealing TOTP secrets (personal-id.key, service/sealing.py): absent or another.
SECOND_FACTOR_KEY_ABSENT: Final = Text(
    "Máy chủ chưa có khóa bảo vệ bí mật xác thực hai bước (personal-id.key) nên chưa lưu được; "
    "vui lòng báo quản trị hệ thống",
    "This server has no key to protect second-factor secrets (personal-id.key), so nothing "
    "was saved; please tell an operator",
)
SECOND_FACTOR_UNREADABLE: Final = Text(
    "Máy chủ không đọc được bí mật xác thực hai bước của tài khoản này; vui lòng dùng mã khôi "
    "phục hoặc nhờ quản trị viên đặt lại",
    "This server cannot read this account's second-factor secret; please use a recovery "
    "code or ask an admin to reset it",
)
ENROL_CODE_WRONG: Final = Text(
    "Mã không khớp; kiểm tra giờ trên điện thoại và nhập mã đang hiển thị",
    "The code does not match; check your phone's clock and type the code it shows now",
)
SECOND_FACTOR_REQUIRED: Final = Text(
    "Vai trò của bạn bắt buộc dùng xác thực hai bước",
    "Your role must use a second factor",
)
FORM_EXPIRED: Final = Text(
    "Biểu mẫu đã hết hạn hoặc không được gửi từ trang này; vui lòng tải lại trang và thử lại",
    "The form has expired or was not sent from this page; reload the page and try again",
)
ROLE_MAY_NOT_MANAGE_ACCOUNTS: Final = Text(
    "Chỉ người quản trị được quản lý tài khoản",
    "Only administrators manage accounts",
)
ROLE_MAY_NOT_READ_JOURNAL: Final = Text(
    "Chỉ thanh tra và người quản trị được xem nhật ký cán bộ",
    "Only auditors and administrators read the staff journal",
)
OUTSIDE_SCOPE: Final = Text(
    "Đơn vị {issuer} nằm ngoài phạm vi của bạn",
    "Issuer {issuer} is outside your scope",
)
ONLY_ADMINS_OF_ALL: Final = Text(
    "Chỉ quản trị viên toàn hệ thống tạo được quản trị viên toàn hệ thống",
    "Only an admin of every issuer makes another",
)
OWN_LEVEL_FROM_ABOVE: Final = Text(
    "Quản trị viên của một đơn vị chỉ quản lý cán bộ của chính đơn vị mình và tài khoản của "
    "các đơn vị cấp dưới; thanh tra và quản trị viên của đơn vị do cấp trên quản lý",
    "An issuer's admin manages its own issuer's clerks and the accounts of the issuers under "
    "it; its issuer's auditors and admins are managed from above",
)
USERNAME_FORM: Final = Text(
    "Tên đăng nhập gồm 3-100 chữ thường không dấu, chữ số và . _ @ + -",
    "A username is 3-100 lower-case ASCII letters, digits and . _ @ + -",
)
ACCOUNT_NEEDS_ISSUER: Final = Text(
    "Cán bộ và thanh tra phải thuộc một đơn vị",
    "Clerks and auditors belong to an issuer",
)
USERNAME_TAKEN_DETAIL: Final = Text(
    "Đã có tài khoản với tên đăng nhập {username}",
    "An account named {username} exists already",
)
CANNOT_DISABLE_SELF: Final = Text(
    "Bạn không thể tự khóa tài khoản của mình",
    "You cannot disable your own account",
)
BAD_MOMENT: Final = Text(
    "Thời điểm theo ISO 8601 kèm múi giờ, ví dụ 2026-12-01T08:00:00+07:00",
    "A moment in ISO 8601 with its offset, e.g. 2026-12-01T08:00:00+07:00",
)
FLAG_VALUE: Final = Text(
    "Tham số {name} nhận true hoặc false",
    "The parameter {name} takes true or false",
)
STAFF_MISSING_USERNAME: Final = Text("Nhập tên đăng nhập", "Enter your username")
STAFF_MISSING_PASSWORD: Final = Text("Nhập mật khẩu", "Enter your password")
TOKEN_LABEL: Final = Text(
    "Tên gợi nhớ của mã cần 1-{max} ký tự",
    "A token's label has 1-{max} characters",
)
TOKEN_DAYS: Final = Text(
    "Thời hạn là một số ngày từ 1 đến {max}",
    "The lifetime is a number of days from 1 to {max}",
)

ROLES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "clerk": Text("Cán bộ quản lý văn bằng", "Diploma clerk"),
        "auditor": Text("Thanh tra, kiểm tra", "Auditor"),
        "admin": Text("Quản trị viên", "Administrator"),
    }
)

# The staff pages (templates read them as `t.<key>`, as the public pages' PAGE).
STAFF_PAGE: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "staff_title": Text("Văn bằng – Cán bộ", "Diplomas – Staff"),
        "sign_in": Text("Đăng nhập", "Sign in"),
        "sign_in_intro": Text(
            "Dành cho cán bộ quản lý văn bằng, thanh tra và quản trị viên của các đơn vị.",
            "For the diploma clerks, auditors and administrators of issuing bodies.",
        ),
        "username": Text("Tên đăng nhập hoặc thư điện tử", "Username or e-mail"),
        "password": Text("Mật khẩu", "Password"),
        "signed_out": Text("Bạn đã đăng xuất.", "You have signed out."),
        "session_ended": Text(
            "Vui lòng đăng nhập để tiếp tục.",
            "Please sign in to continue.",
        ),
        "second_factor": Text("Xác thực hai bước", "Second factor"),
        "second_factor_intro": Text(
            "Nhập mã 6 chữ số trong ứng dụng xác thực trên điện thoại, hoặc một mã khôi phục.",
            "Type the 6-digit code of your authenticator app, or a recovery code.",
        ),
        "code": Text("Mã xác thực", "Code"),
        "start_again": Text("Đăng nhập lại từ đầu", "Start the sign-in again"),
        "continue": Text("Tiếp tục", "Continue"),
        "change_password": Text("Đổi mật khẩu", "Change password"),
        "must_change": Text(
            "Mật khẩu bạn đang dùng là mật khẩu tạm thời; hãy đặt mật khẩu của riêng bạn.",
            "Your password is a temporary one; choose your own.",
        ),
        "password_advice": Text(
            "Ít nhất 12 ký tự. Nên dùng một câu dễ nhớ, không chứa tên của bạn.",
            "At least 12 characters. A sentence you remember, without your name, is best.",
        ),
        "current_password": Text("Mật khẩu hiện tại", "Current password"),
        "new_password": Text("Mật khẩu mới", "New password"),
        "repeat_password": Text("Nhập lại mật khẩu mới", "New password again"),
        "password_changed": Text("Đã đổi mật khẩu.", "Your password was changed."),
        "save": Text("Lưu", "Save"),
        "account": Text("Tài khoản", "Account"),
        "your_account": Text("Tài khoản của bạn", "Your account"),
        "display_name": Text("Họ và tên", "Name"),
        "role": Text("Vai trò", "Role"),
        "scope": Text("Đơn vị", "Issuer"),
        "everywhere": Text("Mọi đơn vị", "Every issuer"),
        "sign_out": Text("Đăng xuất", "Sign out"),
        "sign_out_everywhere": Text("Đăng xuất khỏi mọi thiết bị", "Sign out of every device"),
        "sessions_open": Text("Số phiên đang mở", "Open sessions"),
        "on": Text("Đang bật", "On"),
        "off": Text("Chưa bật", "Off"),
        "required": Text("bắt buộc với vai trò của bạn", "required for your role"),
        "enrol": Text("Bật xác thực hai bước", "Turn on the second factor"),
        "enrol_again": Text("Đổi sang điện thoại khác", "Move to another phone"),
        "enrol_steps": Text(
            "Mở ứng dụng xác thực (Google Authenticator, Microsoft Authenticator...), quét "
            "mã QR dưới đây, rồi nhập mã 6 chữ số ứng dụng hiển thị.",
            "Open an authenticator app (Google Authenticator, Microsoft Authenticator...), "
            "scan the QR code below, then type the 6-digit code it shows.",
        ),
        "enrol_required": Text(
            "Vai trò của bạn bắt buộc dùng xác thực hai bước; hãy bật trước khi tiếp tục.",
            "Your role must use a second factor; turn it on to continue.",
        ),
        "secret_text": Text(
            "Không quét được? Nhập khóa này vào ứng dụng:",
            "Cannot scan? Type this key into the app:",
        ),
        "remove_second_factor": Text("Tắt xác thực hai bước", "Turn the second factor off"),
        "recovery_codes": Text("Mã khôi phục", "Recovery codes"),
        "recovery_intro": Text(
            "Xác thực hai bước đã được bật. Hãy in hoặc chép các mã khôi phục dưới đây và cất "
            "giữ cẩn thận: mỗi mã dùng được một lần khi bạn mất điện thoại. Các mã chỉ hiện "
            "một lần này.",
            "The second factor is on. Print or copy these recovery codes and keep them safe: "
            "each works once should you lose your phone. They are shown this once only.",
        ),
        "done": Text("Xong", "Done"),
        "tokens": Text("Mã truy cập API", "API tokens"),
        "tokens_intro": Text(
            "Mã truy cập cho phần mềm kết nối (tích hợp) hành động thay bạn, với đúng quyền "
            "của bạn. Khi tài khoản bị khóa, mọi mã của bạn ngừng hoạt động.",
            "A token lets an integration act for you, with exactly your rights. When your "
            "account is disabled, every token of yours stops.",
        ),
        "label": Text("Tên gợi nhớ", "Label"),
        "days": Text("Thời hạn (ngày)", "Lifetime (days)"),
        "create_token": Text("Tạo mã", "Create token"),
        "token_created": Text(
            "Mã mới dưới đây chỉ hiện một lần này; hãy chép ngay vào phần mềm cần dùng.",
            "The new token below is shown this once only; copy it into the software now.",
        ),
        "created": Text("Ngày tạo", "Created"),
        "expires": Text("Hết hạn", "Expires"),
        "last_used": Text("Dùng lần cuối", "Last used"),
        "never": Text("Chưa dùng", "Never"),
        "revoked": Text("Đã thu hồi", "Revoked"),
        "expired": Text("Đã hết hạn", "Expired"),
        "revoke": Text("Thu hồi", "Revoke"),
        "no_tokens": Text("Bạn chưa có mã truy cập nào.", "You have no tokens."),
        "back_to_account": Text("Về trang tài khoản", "Back to your account"),
        "errors_title": Text("Có lỗi cần sửa", "There is a problem"),
    }
)

# The clerk's console's messages (docs/console.md).
CONSOLE_NO_FILE: Final = Text(
    "Chưa chọn tệp danh sách, hoặc tệp rỗng.",
    "No list file was chosen, or the file is empty.",
)
CONSOLE_FILE_TOO_LARGE: Final = Text(
    "Tệp quá lớn: tối đa {mb} MB. Hãy chia danh sách thành nhiều tệp.",
    "The file is too large: at most {mb} MB. Split the list into several files.",
)
CONSOLE_NO_GRADUATES: Final = Text(
    "Chưa nhập người tốt nghiệp nào.",
    "No graduate was typed in.",
)

# The clerk's console (docs/console.md; templates read them as `t.<key>`, as STAFF_PAGE).
CONSOLE_PAGE: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "console": Text("Bàn làm việc", "Console"),
        "nav_home": Text("Trang chính", "Home"),
        "nav_register": Text("Đăng ký quyết định", "Register a decision"),
        "nav_decisions": Text("Quyết định", "Decisions"),
        "nav_diplomas": Text("Tra cứu văn bằng", "Find a diploma"),
        "nav_blanks": Text("Phôi văn bằng", "Blank forms"),
        "nav_bulk_lookup": Text("Tra cứu hàng loạt", "Bulk lookup"),
        "nav_personal_id": Text("Tra cứu theo số định danh", "Find by personal ID"),
        "nav_printer": Text("Căn chỉnh máy in", "Printer calibration"),
        "pr_intro": Text(
            "Văn bằng được in lên phôi: máy in chỉ in phần nội dung vào đúng các ô trống. Mỗi "
            "máy in lệch một chút; in trang căn chỉnh, đo bằng thước, rồi nhập độ lệch và tỉ lệ "
            "ở đây. Mọi bản in sau của đơn vị đều theo số đo này.",
            "Diplomas are printed onto blank forms: the printer prints only the data, into "
            "the blank's gaps. Every printer is a little off; print the calibration page, "
            "measure with a ruler, and enter the offsets and scale here. Every later print of "
            "the issuer follows them.",
        ),
        "pr_current": Text("Đang áp dụng", "In use"),
        "pr_never": Text("Chưa căn chỉnh (lệch 0 mm, tỉ lệ 1)", "Not calibrated (0 mm, scale 1)"),
        "pr_updated": Text("Cập nhật lúc {at}", "Updated {at}"),
        "pr_offset_x": Text("Lệch ngang (mm)", "Horizontal offset (mm)"),
        "pr_offset_x_hint": Text(
            "Số dương dịch sang phải, số âm sang trái; ví dụ -1,5",
            "Positive moves right, negative left; for example -1.5",
        ),
        "pr_offset_y": Text("Lệch dọc (mm)", "Vertical offset (mm)"),
        "pr_offset_y_hint": Text(
            "Số dương dịch xuống, số âm lên; ví dụ 1", "Positive moves down, negative up; e.g. 1"
        ),
        "pr_scale": Text("Tỉ lệ", "Scale"),
        "pr_scale_hint": Text("Thường là 1; từ 0,95 đến 1,05", "Usually 1; from 0.95 to 1.05"),
        "pr_save": Text("Lưu số đo", "Save"),
        "pr_saved": Text(
            "Đã lưu. In lại trang căn chỉnh để kiểm tra.",
            "Saved. Print the calibration page again to check.",
        ),
        "pr_test_print": Text("In thử trang căn chỉnh", "Test print: calibration page"),
        "pr_layouts": Text("Mẫu phôi", "Blank layouts"),
        "pr_layout_kinds": Text("Dùng cho", "For"),
        "pr_unconfirmed": Text(
            "Vị trí các ô theo mẫu công bố, chưa đối chiếu phôi thật: hãy in thử trước.",
            "Positions from the published sample, not yet checked on a real blank: test first.",
        ),
        "pr_number": Text("Nhập một số, ví dụ 1,5", "Enter a number, for example 1.5"),
        "print_on_blank": Text("In lên phôi", "Print onto the blank"),
        "print_check_sheet": Text("Phiếu kiểm tra trước khi in", "Check sheet"),
        "print_preview": Text("Xem trước văn bằng", "Preview the diploma"),
        "print_title": Text("In văn bằng", "Print the diploma"),
        "digital_make": Text("Tạo văn bằng số", "Make the digital diplomas"),
        "digital_make_hint": Text(
            "Mỗi văn bằng còn hiệu lực được tạo thành tệp PDF ký số bằng chứng thư số của đơn vị; "
            "văn bằng đã tạo được giữ nguyên, văn bằng đã chỉnh sửa có thêm phiên bản mới.",
            "Each diploma in force becomes a PDF signed with the issuer's organisation "
            "certificate; those made are kept, a corrected one gets a new version.",
        ),
        "digital_download": Text("Tải văn bằng số (PDF ký số)", "Download the digital diploma"),
        "pi_title": Text(
            "Tra cứu văn bằng theo số định danh cá nhân",
            "Find diplomas by personal identification number",
        ),
        "pi_intro": Text(
            "Tìm các văn bằng của một người theo số định danh cá nhân (12 chữ số, trên thẻ "
            "căn cước), trong phạm vi các đơn vị tài khoản của anh/chị được xem.",
            "Find a person's diplomas by their personal identification number (12 digits, on "
            "the ID card), among the issuers your account may read.",
        ),
        "pi_number": Text("Số định danh cá nhân", "Personal identification number"),
        "pi_number_hint": Text(
            "12 chữ số, ví dụ 001308012345", "12 digits, for example 001308012345"
        ),
        "pi_submit": Text("Tra cứu", "Find"),
        "pi_journalled": Text(
            "Mỗi lần tra cứu được ghi vào nhật ký (không ghi số định danh).",
            "Each lookup is written in the journal (the number itself is not).",
        ),
        "pi_found": Text(
            "Tìm thấy {count} văn bằng của số định danh {number}",
            "{count} diplomas found for the personal ID {number}",
        ),
        "pi_none": Text(
            "Không có văn bằng nào của số định danh này trong phạm vi của anh/chị.",
            "No diploma with this personal ID is within your scope.",
        ),
        "pi_reveal": Text("Hiện", "Show"),
        "pi_reveal_note": Text(
            "Chỉ hiện bốn chữ số cuối; xem đủ số sẽ được ghi vào nhật ký.",
            "Only the last four digits are shown; showing the whole number is journalled.",
        ),
        "pi_shown_title": Text(
            "Số định danh cá nhân, văn bằng {serial}", "Personal ID, diploma {serial}"
        ),
        "pi_shown_note": Text(
            "Việc xem số này đã được ghi vào nhật ký. Không chép số ra ngoài hệ thống khi "
            "không cần.",
            "This showing is journalled. Do not copy the number out of the register unless needed.",
        ),
        "pi_back": Text("Quay lại văn bằng", "Back to the diploma"),
        "bl_title": Text("Tra cứu hàng loạt theo số hiệu", "Bulk lookup by serial"),
        "bl_intro": Text(
            "Tra cứu một danh sách văn bằng theo số hiệu và ngày sinh, khi không có mã QR "
            '(ví dụ hồ sơ cũ). Tệp CSV hoặc Excel, dòng đầu có cột "Số hiệu" và "Ngày sinh"; '
            "tối đa {most} dòng một lần. Tệp được trả lại như cũ, mỗi dòng thêm kết quả.",
            "Look up a list of diplomas by serial and date of birth, when there is no QR code "
            '(old files, say). A CSV or Excel file whose first row heads a "Serial" and a '
            '"Date of birth" column (or their Vietnamese names); at most {most} rows at a '
            "time. The file comes back as it was, each row with its result.",
        ),
        "bl_purpose": Text("Mục đích tra cứu", "Purpose of the lookup"),
        "bl_purpose_hint": Text(
            "Bắt buộc, được ghi vào nhật ký: vì sao cần tra cứu danh sách này",
            "Required, and journalled: why this list needs looking up",
        ),
        "bl_file": Text("Tệp danh sách", "The list"),
        "bl_file_hint": Text("CSV hoặc Excel (.xlsx)", "CSV or Excel (.xlsx)"),
        "bl_submit": Text("Tra cứu và tải kết quả", "Look up and download the results"),
        "bl_journalled": Text(
            "Mỗi lần tra cứu hàng loạt được ghi vào nhật ký cùng mục đích và số dòng; mỗi tài "
            "khoản được tra cứu tối đa 10 tệp liền nhau, sau đó một tệp mỗi 6 phút.",
            "Each bulk lookup is journalled with its purpose and its number of rows; an "
            "account may look up 10 files in a row, then one every 6 minutes.",
        ),
        "nav_supervision": Text("Giám sát", "Supervision"),
        "nav_account": Text("Tài khoản", "Account"),
        "this_year": Text("Năm nay", "This year"),
        "recent_decisions": Text("Quyết định mới đăng ký", "Recently registered decisions"),
        "no_decisions": Text("Chưa có quyết định nào.", "No decisions yet."),
        "needs_attention": Text("Cần chú ý", "Needs attention"),
        "nothing_needs_attention": Text("Không có việc gì cần chú ý.", "Nothing needs attention."),
        "pending_lists": Text(
            "Danh sách đã kiểm tra, chưa xác nhận đăng ký",
            "Lists checked and not yet confirmed",
        ),
        "late_decisions": Text(
            "Quyết định đăng ký sau thời hạn (12 tháng qua)",
            "Decisions registered after their deadline (last 12 months)",
        ),
        "low_blanks": Text("Phôi sắp hết", "Blanks running low"),
        "low_blanks_line": Text(
            "còn {on_hand} phôi; 12 tháng qua đã dùng {used}",
            "{on_hand} left; {used} used in the last 12 months",
        ),
        "deadline": Text("Thời hạn cấp (Điều 17)", "Deadline (Art. 17)"),
        "deadline_past": Text("Đã quá hạn", "Past its deadline"),
        "deadline_near": Text("Sắp đến hạn", "Deadline near"),
        "late": Text("Đăng ký muộn", "Registered late"),
        "late_note": Text(
            "Quá thời hạn cấp {deadline} (Điều 17). Vẫn được đăng ký, và được ghi nhận là "
            "đăng ký muộn để cơ quan quản lý theo dõi.",
            "Past the deadline of {deadline} (Art. 17). It may still be registered, and is "
            "recorded as late for the supervising body.",
        ),
        "kind": Text("Loại văn bằng", "Kind"),
        "diplomas": Text("Văn bằng", "Diplomas"),
        "decisions": Text("Quyết định", "Decisions"),
        "decision_number": Text("Số quyết định", "Decision number"),
        "decision_date": Text("Ngày quyết định", "Decision date"),
        "graduates": Text("Số người tốt nghiệp", "Graduates"),
        "registered_at": Text("Thời điểm đăng ký", "Registered"),
        "registered_by": Text("Người kiểm tra", "Checked by"),
        "open": Text("Mở", "Open"),
        "register_title": Text(
            "Đăng ký quyết định công nhận tốt nghiệp", "Register a graduation decision"
        ),
        "register_intro": Text(
            "Tải lên danh sách người tốt nghiệp (Excel hoặc CSV). Hệ thống kiểm tra toàn bộ "
            "danh sách và cho bạn xem trước; số vào sổ chỉ được cấp khi bạn xác nhận.",
            "Upload the list of graduates (Excel or CSV). The whole list is checked and shown "
            "to you first; register numbers are taken only when you confirm.",
        ),
        "upload_file": Text("Tệp danh sách", "List file"),
        "upload_hint": Text(
            "Tệp .xlsx, .xls hoặc .csv (CSV UTF-8), tối đa {max_rows} người mỗi tệp.",
            "An .xlsx, .xls or .csv (CSV UTF-8) file, at most {max_rows} graduates per file.",
        ),
        "check_list": Text("Kiểm tra danh sách", "Check the list"),
        "template_download": Text("Tải tệp mẫu Excel", "Download the Excel template"),
        "template_hint": Text(
            "Tệp mẫu có sẵn tiêu đề cột, danh sách chọn và trang hướng dẫn.",
            "The template has the column headers, drop-down lists and an instructions sheet.",
        ),
        "warnings_title": Text("Có thể trùng người", "Probable duplicates"),
        "warnings_intro": Text(
            "Những dòng sau có cùng họ tên, ngày sinh và nơi sinh với một dòng khác hoặc với "
            "một văn bằng đã có trong sổ gốc. Đây chỉ là cảnh báo: hãy kiểm tra trước khi "
            "xác nhận.",
            "These rows have the same name, date and place of birth as another row or as a "
            "diploma already in the register. This is only a warning: check before you "
            "confirm.",
        ),
        "warning_same_as": Text("Trùng với", "Same as"),
        "warning_message": Text("Nội dung", "Message"),
        "or_type": Text("Hoặc nhập trực tiếp vài người", "Or type a few graduates"),
        "type_intro": Text(
            "Dành cho quyết định ít người. Để trống những dòng không dùng.",
            "For a decision of a few graduates. Leave unused rows empty.",
        ),
        "the_decision": Text("Quyết định", "The decision"),
        "the_diploma": Text("Văn bằng", "The diploma"),
        "decision_signer_name": Text("Người ký quyết định", "Decision signed by"),
        "decision_signer_title": Text("Chức vụ người ký quyết định", "Their title"),
        "graduation_year": Text("Năm tốt nghiệp", "Graduation year"),
        "issued_on": Text("Ngày cấp", "Issued on"),
        "place_of_issue": Text("Nơi cấp", "Place of issue"),
        "signer_name": Text("Người ký văn bằng", "Diploma signed by"),
        "signer_title": Text("Chức vụ người ký văn bằng", "Their title"),
        "on_behalf_of": Text("Ký thay (KT.) cho chức vụ", "Signing on behalf of (KT.)"),
        "date_hint": Text("ngày/tháng/năm, ví dụ 25/05/2026", "day/month/year, e.g. 25/05/2026"),
        "choose": Text("Chọn...", "Choose..."),
        "row": Text("Dòng", "Row"),
        "full_name": Text("Họ và tên", "Full name"),
        "date_of_birth": Text("Ngày sinh", "Date of birth"),
        "place_of_birth": Text("Nơi sinh", "Place of birth"),
        "gender": Text("Giới tính", "Gender"),
        "male": Text("Nam", "Male"),
        "female": Text("Nữ", "Female"),
        "classification": Text("Xếp loại", "Classification"),
        "major": Text("Ngành đào tạo", "Major"),
        "ethnicity": Text("Dân tộc", "Ethnicity"),
        "nationality": Text("Quốc tịch", "Nationality"),
        "mode_of_study": Text("Hình thức đào tạo", "Mode of study"),
        "issuer_unit": Text("Đơn vị", "Issuer"),
        "blanks_report": Text("Báo cáo phôi năm", "Blank forms in"),
        "blanks_not_tracked": Text(
            "Đơn vị chưa quản lý phôi trên hệ thống: đăng ký văn bằng chưa trừ phôi. Muốn "
            "quản lý, hãy đề nghị quản trị viên của đơn vị bật việc này.",
            "This issuer does not track its blanks here yet: registering takes none from the "
            "stock. To track them, ask your issuer's administrator to turn it on.",
        ),
        "blanks_at_start": Text("Tồn đầu năm", "On hand at start"),
        "blanks_received": Text("Nhận", "Received"),
        "blanks_used": Text("Đã dùng", "Used"),
        "blanks_spoiled": Text("Hỏng", "Spoiled"),
        "blanks_destroyed": Text("Đã hủy", "Destroyed"),
        "blanks_at_end": Text("Tồn cuối kỳ", "On hand at end"),
        "blanks_awaiting": Text("Hỏng chờ hủy", "Awaiting destruction"),
        "blanks_none": Text("Chưa có phôi nào trong năm.", "No blanks this year."),
        "add_rows": Text("Thêm 5 dòng", "Add 5 rows"),
        "list_errors": Text(
            "Danh sách có lỗi; chưa có gì được ghi vào sổ",
            "The list has errors; nothing was recorded",
        ),
        "list_errors_intro": Text(
            "Sửa các lỗi dưới đây trong tệp của bạn rồi tải lên lại. Mỗi lỗi ghi rõ dòng, cột "
            "và ô trong tệp.",
            "Fix the errors below in your file and upload it again. Each names its row, column "
            "and cell in the file.",
        ),
        "column": Text("Cột", "Column"),
        "cell": Text("Ô", "Cell"),
        "value": Text("Giá trị", "Value"),
        "error": Text("Lỗi", "Error"),
        "errors_count": Text("{count} lỗi", "{count} errors"),
        "preview_title": Text("Xem trước trước khi đăng ký", "Preview before registering"),
        "preview_intro": Text(
            "Danh sách đã qua kiểm tra. Hãy đối chiếu lần cuối với quyết định giấy.",
            "The list passed every check. Compare it once more with the paper decision.",
        ),
        "numbers_to_take": Text("Số vào sổ sẽ cấp", "Register numbers to be taken"),
        "numbers_note": Text(
            "tính tại lúc kiểm tra; nếu đơn vị đăng ký quyết định khác trước, số sẽ tiếp theo",
            "as at the check; if another decision is registered first, numbers follow it",
        ),
        "file": Text("Tệp", "File"),
        "typed_list": Text("nhập trên biểu mẫu", "typed in the form"),
        "more_rows": Text("… và {count} người nữa", "… and {count} more"),
        "confirm_warning": Text(
            "Khi xác nhận, {count} văn bằng được ghi vào sổ gốc, ký số và công bố để tra cứu. "
            "Sổ gốc không thể xóa hay sửa: chỉ có thể đính chính, thu hồi hoặc cấp lại theo "
            "quy định.",
            "On confirming, {count} diplomas are written into the original register, signed "
            "and published for verification. The register cannot be erased or edited: only "
            "corrected, revoked or re-issued as the law allows.",
        ),
        "confirm_register": Text(
            "Xác nhận đăng ký {count} văn bằng", "Confirm: register {count} diplomas"
        ),
        "cancel_list": Text("Hủy danh sách này", "Discard this list"),
        "list_cancelled": Text(
            "Đã hủy danh sách. Không có gì được ghi vào sổ.",
            "The list was discarded. Nothing was recorded.",
        ),
        "registered_notice": Text(
            "Đã đăng ký quyết định: {count} văn bằng đã được ghi vào sổ gốc và ký số.",
            "The decision is registered: {count} diplomas written into the register and signed.",
        ),
        "decision_title": Text("Quyết định số {number}", "Decision {number}"),
        "signer": Text("Người ký", "Signed by"),
        "regulation": Text("Căn cứ pháp lý", "Regulation"),
        "register_number": Text("Số vào sổ", "Register number"),
        "state": Text("Tình trạng", "State"),
        "print_pdf": Text("Phiếu kiểm tra (PDF)", "Check sheet (PDF)"),
        "print_blank_pdf": Text("In lên phôi (PDF)", "Print onto the blanks (PDF)"),
        "download_register": Text(
            "Tải sổ gốc của quyết định (Excel)", "Download the decision's register (Excel)"
        ),
        "diploma_title": Text("Văn bằng số hiệu {serial}", "Diploma {serial}"),
        "history": Text("Lịch sử", "History"),
        "qr_code": Text("Mã QR", "QR code"),
        "download_qr_svg": Text("Tải mã QR (SVG)", "Download the QR (SVG)"),
        "download_qr_png": Text("Tải mã QR (PNG)", "Download the QR (PNG)"),
        "in_decision": Text("Thuộc quyết định", "In decision"),
        "event_registered": Text("Đăng ký vào sổ gốc", "Registered"),
        "event_corrected": Text(
            "Chỉnh sửa theo quyết định {number}", "Corrected by decision {number}"
        ),
        "event_revoked": Text("Thu hồi theo quyết định {number}", "Revoked by decision {number}"),
        "event_replaced": Text("Được cấp lại bằng văn bằng {serial}", "Re-issued as {serial}"),
        "event_replaces": Text("Cấp lại thay văn bằng {serial}", "Re-issue of {serial}"),
        "event_handover": Text(
            "Bàn giao cho {name} ngày {date} (cán bộ {by})",
            "Handed over to {name} on {date} (by {by})",
        ),
        "actions": Text("Thao tác", "Actions"),
        "not_handed_over": Text("Chưa bàn giao", "Not yet handed over"),
        "print_copy": Text("In bản sao (PDF)", "Print the copy (PDF)"),
        "download_extract": Text(
            "Tải trích lục (PDF có chữ ký số)", "Download the extract (signed PDF)"
        ),
        "event_extract": Text(
            "Cấp trích lục điện tử sổ gốc (số {number})", "Electronic extract issued (no. {number})"
        ),
        "event_copy": Text(
            "Cấp {copies} bản sao (số {number})", "{copies} certified copies (no. {number})"
        ),
        "changed_item": Text("Thông tin", "Item"),
        "old_value": Text("Cũ", "Old"),
        "new_value": Text("Mới", "New"),
        "state_in_force": Text("Còn hiệu lực", "In force"),
        "state_corrected": Text("Đã chỉnh sửa", "Corrected"),
        "state_revoked": Text("Đã thu hồi", "Revoked"),
        "state_replaced": Text("Đã cấp lại", "Replaced"),
        "back_home": Text("Về trang chính", "Back to the home page"),
        "not_signer_role": Text(
            "Vai trò của bạn chỉ được xem, không được đăng ký.",
            "Your role may read, not register.",
        ),
        "action_check": Text("Kiểm tra", "Check"),
        "action_confirm_title": Text("Kiểm tra lại trước khi ký", "Check before signing"),
        "action_confirm_warning": Text(
            "Khi xác nhận, nội dung dưới đây được ký số và ghi vào sổ gốc và nhật ký phát hành "
            "công khai. Sau khi ghi không thể xóa hay sửa.",
            "On confirming, what follows is signed and written into the register and the "
            "public issuance log. Once written it cannot be erased or edited.",
        ),
        "action_confirm": Text("Xác nhận và ký", "Confirm and sign"),
        "action_edit": Text("Sửa lại", "Edit"),
        "the_diploma_back": Text("Về trang văn bằng", "Back to the diploma"),
        "what_changes": Text("Thay đổi", "What changes"),
        # Finding decisions and diplomas.
        "decisions_title": Text("Quyết định công nhận tốt nghiệp", "Graduation decisions"),
        "diplomas_title": Text("Tra cứu văn bằng", "Find a diploma"),
        "search_box": Text("Họ tên, số hiệu hoặc số vào sổ", "Name, serial or register number"),
        "search_hint": Text(
            "Họ tên gõ không dấu, từ họ trở đi: “nguyen van” tìm được Nguyễn Văn An. Số hiệu "
            "và số vào sổ phải đúng cả số.",
            "Type the name from the family name on, diacritics optional: “nguyen van” "
            "finds every Nguyen Van, written with its diacritics or not. A serial or register "
            "number must be whole.",
        ),
        "decision_search_box": Text("Số quyết định (hoặc một phần)", "Decision number (or part)"),
        "decision_year": Text("Năm quyết định", "Year decided"),
        "any_value": Text("Tất cả", "Any"),
        "registered_before": Text("Đăng ký trước ngày", "Registered before"),
        "only_not_handed_over": Text(
            "Chỉ văn bằng chưa bàn giao (còn hiệu lực)",
            "Only diplomas not yet handed over (in force)",
        ),
        "search_button": Text("Tìm", "Search"),
        "next_page": Text("Trang sau", "Next page"),
        "first_page": Text("Về trang đầu", "Back to the first page"),
        "no_diplomas_found": Text("Không tìm thấy văn bằng nào phù hợp.", "No diploma matches."),
        "no_decisions_found": Text(
            "Không tìm thấy quyết định nào phù hợp.", "No decision matches."
        ),
        "no_match_hint": Text(
            "Thử bỏ bớt bộ lọc; họ tên thì gõ từ họ trở đi, không cần dấu; số hiệu hay số vào "
            "sổ thì gõ đủ cả số. Chỉ văn bằng của đơn vị bạn được quản lý mới hiện ra.",
            "Try fewer filters; type a name from the family name on, diacritics optional; a "
            "serial or register number whole. Only the diplomas of the issuers you manage "
            "are shown.",
        ),
        "handed_over_on": Text("Ngày bàn giao", "Handed over on"),
        "awaiting_handover": Text("Văn bằng chưa bàn giao", "Diplomas not yet handed over"),
        "digital_due": Text("Văn bằng số chưa tạo đủ", "Digital diplomas not all made"),
        "digital_diplomas": Text("Văn bằng số", "Digital diplomas"),
        "digital_due_line": Text(
            "{missing}/{in_force} văn bằng chưa có văn bằng số, hạn {due}",
            "{missing} of {in_force} diplomas have no digital diploma yet, due {due}",
        ),
        "digital_progress": Text(
            "Đã tạo {made}/{in_force}; hạn {due} ({rule})",
            "{made} of {in_force} made; due {due} ({rule})",
        ),
        "digital_rule": Text(
            "{count} ngày làm việc sau ngày quyết định, theo {source}",
            "{count} working days after the decision, under {source}",
        ),
        "digital_rule_days": Text(
            "{count} ngày sau ngày quyết định, theo {source}",
            "{count} days after the decision, under {source}",
        ),
        "unconfirmed": Text("chưa xác nhận", "unconfirmed"),
        "awaiting_handover_line": Text(
            "{count} văn bằng chưa bàn giao (đăng ký đã quá {days} ngày)",
            "{count} diplomas not yet handed over (registered over {days} days ago)",
        ),
        "home_search": Text("Tìm văn bằng", "Find a diploma"),
        # A background job's page (docs/jobs.md) and its line on the decision's page.
        "job_title": Text("Đăng ký danh sách lớn", "Registering a large list"),
        "job_queued": Text("Đang chờ đến lượt", "Waiting its turn"),
        "job_running": Text("Đang ghi vào sổ gốc", "Being written into the register"),
        "job_done": Text("Đã xong", "Done"),
        "job_failed": Text("Không hoàn thành", "Not completed"),
        "job_rows": Text("{done} / {total} văn bằng", "{done} of {total} diplomas"),
        "job_keeps_going": Text(
            "Việc vẫn tiếp tục khi đóng trang này hoặc khi máy chủ khởi động lại. Trang tự cập "
            "nhật vài giây một lần; kết quả có ở trang của quyết định.",
            "The work goes on if this page is closed or the server restarts. The page updates "
            "itself every few seconds; the result is on the decision's page.",
        ),
        "job_partly": Text(
            "Các phần đã ghi trước lỗi vẫn nằm trong sổ gốc; phần còn lại có thể đăng ký bổ sung "
            "vào quyết định này sau khi sửa.",
            "The parts written before the error stay in the register; the rest may be registered "
            "as a supplementary list of this decision once corrected.",
        ),
        "job_see_decision": Text("Xem quyết định", "See the decision"),
        "job_on_decision": Text("Việc đăng ký: {state}", "Registration: {state}"),
        "job_see_job": Text("Xem tiến độ", "See its progress"),
        "print_job_title": Text("Phiếu kiểm tra (PDF)", "Check sheet (PDF)"),
        "print_blank_job_title": Text("In lên phôi (PDF)", "Printing onto the blanks (PDF)"),
        "print_job_keeps_going": Text(
            "Tệp vẫn tiếp tục được tạo khi đóng trang này hoặc khi máy chủ khởi động lại. Trang "
            "tự cập nhật vài giây một lần; khi xong, tải tệp ở đây.",
            "The file goes on being made if this page is closed or the server restarts. The "
            "page updates itself every few seconds; once done, download the file here.",
        ),
        "print_job_download": Text("Tải tệp PDF", "Download the PDF"),
        "print_as_job_hint": Text(
            "Quyết định có nhiều văn bằng: tệp in được tạo trong nền, bạn theo dõi tiến độ và "
            "tải về khi xong.",
            "A decision of many diplomas: the file is made in the background; follow its "
            "progress and download it when done.",
        ),
    }
)

# The anomalies an auditor reads (service/usecases/audit.anomalies), by type: what each is
# called.
ANOMALY_TITLES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "register_gap": Text("Số vào sổ gốc bị thiếu", "Register numbers missing"),
        "blanks_unaccounted": Text(
            "Phôi chưa rõ nguồn gốc hoặc chưa hủy", "Blanks not accounted for"
        ),
        "late_issuance": Text("Đăng ký quá thời hạn", "Registered late"),
        "corrected_rate": Text(
            "Tỷ lệ chỉnh sửa cao bất thường", "Corrections out of line with peers"
        ),
        "revoked_rate": Text("Tỷ lệ thu hồi cao bất thường", "Revocations out of line with peers"),
        "signed_by_compromised_key": Text("Ký bằng khóa đã bị lộ", "Signed with a compromised key"),
        "signed_by_retired_key": Text("Ký bằng khóa đã hết hiệu lực", "Signed with a retired key"),
        "same_person_other_issuer": Text(
            "Một người có cùng loại văn bằng của hai đơn vị",
            "One person holding the same diploma from two issuers",
        ),
        "unusual_hours": Text("Đăng ký ngoài giờ làm việc", "Registered outside working hours"),
        "unusual_bulk": Text(
            "Đăng ký nhiều bất thường trong một ngày", "Unusually many registered in one day"
        ),
    }
)
# Why each matters, with the article of Circular 21 it comes from.
ANOMALY_REASONS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "register_gap": Text(
            "Số vào sổ gốc phải là dãy số tự nhiên liên tục trong năm, mỗi số cho đúng một "
            "văn bằng (Điều 13). Hệ thống không bao giờ bỏ số; số thiếu nghĩa là một dòng sổ "
            "gốc đã bị xóa ngoài hệ thống.",
            "Register numbers run consecutively through the year, one per diploma (Art. 13). "
            "The service never skips one: a missing number is a register line deleted behind "
            "its back.",
        ),
        "blanks_unaccounted": Text(
            "Mọi phôi phải được theo dõi từ khi nhận đến khi dùng, hỏng hoặc hủy; phôi hỏng "
            "phải được hội đồng hủy có biên bản (Điều 9-11).",
            "Every blank is accounted for from receipt to use, spoiling or destruction; a "
            "spoiled blank is destroyed by a council, with minutes (Art. 9-11).",
        ),
        "late_issuance": Text(
            "Văn bằng phải được cấp trong thời hạn kể từ ngày có quyết định công nhận tốt "
            "nghiệp: 75 ngày với THCS, THPT; 30 ngày với cao đẳng, đại học, sau đại học và "
            "chứng chỉ (Điều 17).",
            "Diplomas are issued within a deadline of the graduation decision: 75 days for "
            "lower and upper secondary, 30 for college, university, postgraduate degrees and "
            "certificates (Art. 17).",
        ),
        "corrected_rate": Text(
            "Chỉnh sửa chỉ được làm theo bốn căn cứ về hộ tịch (Điều 21-24); một đơn vị chỉnh "
            "sửa nhiều hơn hẳn các đơn vị cùng cấp cần được xem lại.",
            "Corrections are allowed on four civil-status grounds only (Art. 21-24); an "
            "issuer correcting far more often than its peers deserves a look.",
        ),
        "revoked_rate": Text(
            "Thu hồi, hủy bỏ văn bằng theo các căn cứ của Điều 25; một đơn vị thu hồi nhiều "
            "hơn hẳn các đơn vị cùng cấp cần được xem lại.",
            "Revocation follows the grounds of Art. 25; an issuer revoking far more often "
            "than its peers deserves a look.",
        ),
        "signed_by_compromised_key": Text(
            "Văn bằng được ký vào lúc khóa ký của đơn vị đã được báo là bị lộ: chữ ký không "
            "còn chứng minh được văn bằng là thật (docs/trust-list.md).",
            "The diploma was signed when its issuer's key was already reported compromised: "
            "its signature no longer proves it genuine (docs/trust-list.md).",
        ),
        "signed_by_retired_key": Text(
            "Văn bằng được ký sau khi khóa ký của đơn vị đã ngừng sử dụng (docs/trust-list.md).",
            "The diploma was signed after its issuer's key was retired (docs/trust-list.md).",
        ),
        # The figures ({night_from}, ...) are the thresholds of service/domain/anomalies.py.
        "same_person_other_issuer": Text(
            "Văn bằng chỉ được cấp một lần (Điều 2). Cùng họ tên, ngày sinh và nơi sinh (so "
            "không phân biệt chữ hoa, chữ thường và dấu) mà có cùng loại văn bằng của hai đơn "
            "vị khác nhau là dấu hiệu văn bằng giả hoặc một người được đăng ký hai lần. Cặp "
            "nào có một văn bằng đã bị thu hồi thì không tính: việc đó đã được xử lý. Hai "
            "người trùng họ tên, ngày sinh, nơi sinh vẫn có thể có: cần đối chiếu hồ sơ.",
            "A diploma is issued once (Art. 2). The same full name, date and place of birth "
            "(compared without case or diacritics) holding the same kind of diploma from two "
            "different issuers suggests a forged diploma or a person registered twice. A pair "
            "where one diploma is revoked is not listed: it has been dealt with. Two people "
            "may share a name, date and place of birth: check the records.",
        ),
        "unusual_hours": Text(
            "Quyết định hoặc danh sách bổ sung được đăng ký từ {night_from} đến {night_until} "
            "(giờ Việt Nam), vào Chủ nhật hoặc ngày nghỉ lễ (Bộ luật Lao động, Điều 112: Tết "
            "Dương lịch, Tết Nguyên đán gồm ngày cuối năm và bốn ngày đầu năm âm lịch, Giỗ Tổ "
            "Hùng Vương, 30/4, 1/5, 2/9), khi cơ quan không làm việc: có thể là người khác "
            "dùng tài khoản của cán bộ. Ngày nghỉ thêm, nghỉ bù do Thủ tướng quyết định hằng "
            "năm không được tính.",
            "A decision or a further list registered between {night_from} and {night_until} "
            "(Vietnam time), on a Sunday or on a public holiday (Labour Code, Art. 112: New "
            "Year's Day, Tet as the last day of the lunar year and the first four of the new, "
            "the Hung Kings' day, 30/4, 1/5, 2/9), when offices are closed: it may be someone "
            "else using a clerk's account. The extra days off the Prime Minister sets each "
            "year are not counted.",
        ),
        "unusual_bulk": Text(
            "Một đơn vị đăng ký trong một ngày (giờ Việt Nam) từ {at_least} văn bằng trở lên "
            "và nhiều hơn {factor} lần một ngày bình thường của đơn vị (trung vị số văn bằng "
            "của các ngày có đăng ký trong {window} ngày trước đó): có thể là một danh sách "
            "bị nhập hai lần, hoặc văn bằng được đăng ký hàng loạt không có hồ sơ. Ngày đăng "
            "ký đầu tiên của đơn vị không có gì để so sánh nên không tính.",
            "An issuer registering in one day (Vietnam time) {at_least} diplomas or more and "
            "more than {factor} times its ordinary day (the median of its days with any "
            "registration in the {window} days before): a list entered twice, say, or "
            "diplomas registered in bulk without their records. An issuer's first day, with "
            "nothing before it to compare, is not counted.",
        ),
    }
)
# One anomaly's line, by type (service/web/supervision_pages.py).
ANOMALY_LINES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "register_gap": Text(
            "{kind}, năm {year}: thiếu {missing} số (từ số {first})",
            "{kind}, {year}: {missing} numbers missing (from {first})",
        ),
        "blanks_unaccounted": Text(
            "{without} văn bằng không in trên phôi đã nhận; {spoiled} phôi hỏng quá 90 ngày "
            "chưa hủy",
            "{without} diplomas on no received blank; {spoiled} blanks spoiled over 90 days "
            "ago and not destroyed",
        ),
        "late_issuance": Text(
            "Quyết định {number} ngày {decided}: hạn {deadline}, đăng ký {registered}, "
            "{diplomas} văn bằng",
            "Decision {number} of {decided}: due {deadline}, registered {registered}, "
            "{diplomas} diplomas",
        ),
        "rate": Text(
            "{events} trên {diplomas} văn bằng ({rate}); các đơn vị cùng cấp: {peer_rate}",
            "{events} of {diplomas} diplomas ({rate}); peers: {peer_rate}",
        ),
        "key": Text(
            "Văn bằng số hiệu {serial}, ký lúc {at} bằng khóa {kid}",
            "Diploma {serial}, signed at {at} with key {kid}",
        ),
        "same_person_other_issuer": Text(
            "{name}, sinh ngày {born} tại {place}: {kind} số hiệu {serial} (đăng ký {at}), và "
            "số hiệu {other_serial} của {other_issuer} (ghi tên {other_name}, đăng ký "
            "{other_at})",
            "{name}, born {born} in {place}: {kind} {serial} (registered {at}), and "
            "{other_serial} of {other_issuer} (named {other_name}, registered {other_at})",
        ),
        "unusual_hours": Text(
            "Quyết định {number} ngày {decided}, danh sách {part}: {diplomas} văn bằng, đăng "
            "ký {at} ({why})",
            "Decision {number} of {decided}, list {part}: {diplomas} diplomas, registered "
            "{at} ({why})",
        ),
        "unusual_bulk": Text(
            "Ngày {day}: {diplomas} văn bằng, gấp {times} lần một ngày bình thường ({median} "
            "văn bằng, trung vị của {days} ngày có đăng ký trong năm trước)",
            "{day}: {diplomas} diplomas, {times} times an ordinary day ({median} diplomas, "
            "the median of {days} days with registrations in the year before)",
        ),
        "decision_link": Text("Quyết định {number}", "Decision {number}"),
        "diploma_link": Text("Văn bằng {serial} ({issuer})", "Diploma {serial} ({issuer})"),
    }
)
# Why a registration's time is unusual (the unusual_hours anomaly), and the public holidays
# (service/domain/holidays.py) by name.
UNUSUAL_TIMES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "night": Text("ban đêm", "at night"),
        "sunday": Text("Chủ nhật", "a Sunday"),
    }
)
HOLIDAYS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "new_year": Text("Tết Dương lịch", "New Year's Day"),
        "tet": Text("Tết Nguyên đán", "Lunar New Year (Tet)"),
        "hung_kings": Text("Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration Day"),
        "reunification": Text("Ngày Giải phóng miền Nam", "Reunification Day"),
        "labour": Text("Ngày Quốc tế Lao động", "International Labour Day"),
        "national": Text("Quốc khánh", "National Day"),
    }
)


# The staff journal's columns in its download (/giam-sat/nhat-ky.csv), for Excel.
JOURNAL_CSV_HEADINGS: Final = (
    "Thời điểm",
    "Người thực hiện",
    "Thao tác",
    "Đơn vị",
    "Đối tượng",
    "Mạng",
    "Chi tiết (JSON)",
)
# What a journal entry is about (its record_type), as the journal page names it.
JOURNAL_RECORDS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "account": Text("Tài khoản", "Account"),
        "anomaly": Text("Dấu hiệu bất thường", "Anomaly"),
        "decision": Text("Quyết định", "Decision"),
        "graduation_decision": Text("Quyết định", "Decision"),
        "diploma": Text("Văn bằng", "Diploma"),
        "issuer": Text("Đơn vị", "Issuer"),
        "key": Text("Khóa ký", "Signing key"),
        "register": Text("Sổ gốc", "Register"),
        "token": Text("Mã truy cập", "Token"),
        "revocation": Text("Thu hồi", "Revocation"),
        "correction": Text("Chỉnh sửa", "Correction"),
        "reissue": Text("Cấp lại", "Re-issue"),
        "copy": Text("Bản sao", "Copies"),
        "handover": Text("Bàn giao", "Handover"),
        "blanks_received": Text("Phôi nhận", "Blanks received"),
        "blanks_spoiled": Text("Phôi hỏng", "Blanks spoiled"),
        "blanks_destroyed": Text("Phôi hủy", "Blanks destroyed"),
        "custody_transfer": Text("Chuyển giao sổ gốc", "Custody transfer"),
    }
)
# The staff journal's actions as the supervision pages name them (service/domain/journal.Action).
JOURNAL_ACTIONS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "sign_in": Text("Đăng nhập", "Signed in"),
        "sign_in.failed": Text("Đăng nhập không thành công", "Sign-in refused"),
        "sign_in.second_factor_failed": Text(
            "Mã xác thực hai bước sai", "Wrong second-factor code"
        ),
        "sign_in.recovery_code": Text("Đăng nhập bằng mã khôi phục", "Recovery code used"),
        "sign_out": Text("Đăng xuất", "Signed out"),
        "sign_out.everywhere": Text("Đăng xuất mọi thiết bị", "Signed out everywhere"),
        "password.changed": Text("Đổi mật khẩu", "Password changed"),
        "second_factor.enrolled": Text("Bật xác thực hai bước", "Second factor enrolled"),
        "second_factor.removed": Text("Tắt xác thực hai bước", "Second factor removed"),
        "register.decision": Text("Đăng ký quyết định", "Decision registered"),
        "register.revocation": Text("Thu hồi văn bằng", "Diploma revoked"),
        "register.correction": Text("Chỉnh sửa văn bằng", "Diploma corrected"),
        "register.reissue": Text("Cấp lại văn bằng", "Diploma re-issued"),
        "register.copy": Text("Cấp bản sao", "Certified copies issued"),
        "register.handover": Text("Bàn giao văn bằng", "Diploma handed over"),
        "blanks.received": Text("Nhận phôi", "Blanks received"),
        "blanks.spoiled": Text("Ghi phôi hỏng", "Blanks spoiled"),
        "blanks.destroyed": Text("Hủy phôi", "Blanks destroyed"),
        "blanks.tracking": Text("Bật/tắt quản lý phôi", "Blank tracking changed"),
        "custody.transfer": Text("Chuyển giao sổ gốc", "Register custody transferred"),
        "printer.calibrated": Text("Căn chỉnh máy in", "Printer calibrated"),
        "export.register": Text("Xuất sổ gốc", "Register exported"),
        "lookup.bulk": Text("Tra cứu hàng loạt theo số hiệu", "Bulk lookup by serial"),
        "personal_id.revealed": Text(
            "Xem số định danh cá nhân của người được cấp", "Holder's personal ID shown"
        ),
        "personal_id.lookup": Text(
            "Tra cứu văn bằng theo số định danh cá nhân", "Diplomas looked up by personal ID"
        ),
        "export.bundle": Text(
            "Tải bằng chứng nhật ký của văn bằng", "Diploma's log bundle downloaded"
        ),
        "export.national": Text(
            "Xuất dữ liệu lên cơ sở dữ liệu văn bằng quốc gia",
            "Exported to the national diploma database",
        ),
        "anomaly.reviewed": Text("Xem xét dấu hiệu bất thường", "Anomaly reviewed"),
        "token.created": Text("Tạo mã truy cập", "Token created"),
        "token.revoked": Text("Thu hồi mã truy cập", "Token revoked"),
        "account.created": Text("Tạo tài khoản", "Account created"),
        "account.disabled": Text("Khóa tài khoản", "Account disabled"),
        "account.enabled": Text("Mở khóa tài khoản", "Account enabled"),
        "account.password_reset": Text("Đặt lại mật khẩu", "Password reset"),
        "key.generated": Text("Tạo khóa ký", "Signing key generated"),
        "key.rotated": Text("Thay khóa ký", "Signing key rotated"),
        "key.compromised": Text("Báo khóa ký bị lộ", "Signing key reported compromised"),
        "key.root": Text("Tạo khóa gốc", "Root key generated"),
        "key.log": Text("Tạo khóa nhật ký", "Log key generated"),
        "key.personal_id": Text(
            "Tạo khóa bảo vệ số định danh cá nhân", "Personal-ID key generated"
        ),
        "key.certificate": Text(
            "Công bố chứng thư số ký văn bằng số", "Document-signing certificate published"
        ),
    }
)


# The issuance log's events in words (the log page, a diploma's proof; docs/audit.md).
LOG_EVENTS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "issue": Text("Cấp văn bằng (đăng ký vào sổ gốc)", "Diploma issued (registered)"),
        "correction": Text("Chỉnh sửa văn bằng", "Diploma corrected"),
        "reissue": Text("Cấp lại (văn bằng này được thay)", "Re-issued (this diploma replaced)"),
        "revocation": Text("Thu hồi văn bằng", "Diploma revoked"),
        "copy": Text("Cấp bản sao từ sổ gốc", "Certified copies issued"),
        "handover": Text("Bàn giao văn bằng", "Diploma handed over"),
        "blanks_received": Text("Nhận phôi", "Blanks received"),
        "blanks_spoiled": Text("Phôi hỏng", "Blanks spoiled"),
        "blanks_destroyed": Text("Hủy phôi", "Blanks destroyed"),
        "custody_transfer": Text("Chuyển giao sổ gốc", "Register custody transferred"),
    }
)
# What `vanbang audit verify` can find (service/domain/log_audit.py), said on the log page.
LOG_AUDIT_PROBLEMS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "checkpoint_invalid": Text(
            "Điểm kiểm tra của cây {size} lá sai dạng hoặc không mang chữ ký của nhật ký",
            "The checkpoint of {size} leaves is malformed or not signed by the log's key",
        ),
        "checkpoint_columns": Text(
            "Điểm kiểm tra của cây {size} lá: số lá hay mã băm gốc lưu trong cơ sở dữ liệu khác "
            "với văn bản đã ký",
            "The checkpoint of {size} leaves: the size or root stored in the database differ "
            "from its signed text",
        ),
        "empty_root": Text(
            "Điểm kiểm tra của cây rỗng không mang mã băm gốc của cây rỗng",
            "The empty tree's checkpoint does not carry the empty tree's root",
        ),
        "leaf_missing": Text(
            "Thiếu lá số {index} (lá tiếp theo là số {next}): không dựng lại được cây từ đó",
            "Leaf {index} is missing (the next is {next}): the tree cannot be rebuilt past it",
        ),
        "leaf_data": Text(
            "Lá số {index}: nội dung lưu khác với các cột của nó (đã bị sửa trong cơ sở dữ liệu)",
            "Leaf {index}: its stored data differs from its columns (edited in the database)",
        ),
        "leaf_hash": Text(
            "Lá số {index}: mã băm không phải mã băm của nội dung lá",
            "Leaf {index}: its hash is not the hash of its data",
        ),
        "root_differs": Text(
            "Điểm kiểm tra của cây {size} lá: mã băm gốc tính lại từ các lá khác với mã đã ký",
            "The checkpoint of {size} leaves: the root recomputed from the leaves differs from "
            "the signed one",
        ),
        "size_differs": Text(
            "Điểm kiểm tra mới nhất là của cây {checkpoint} lá, nhưng nhật ký có {leaves} lá",
            "The latest checkpoint is of {checkpoint} leaves, but the log has {leaves}",
        ),
        "subtree_differs": Text(
            "Cây con lưu sẵn của các lá {first} đến {last}: mã băm khác với mã tính lại",
            "The stored subtree of leaves {first} to {last}: its hash differs from the "
            "recomputed one",
        ),
        "subtree_extra": Text(
            "Cây con của các lá {first} đến {last} được lưu nhưng không thuộc cây",
            "A subtree of leaves {first} to {last} is stored but is not part of the tree",
        ),
        "event_unlogged": Text(
            "{event} (mã {ref}) có trong sổ gốc nhưng không có trong nhật ký: được ghi vòng qua "
            "nhật ký, hoặc bản ghi đã bị sửa sau khi vào nhật ký",
            "{event} (id {ref}) is in the register but not in the log: written around the "
            "log, or its record changed after it was logged",
        ),
        "leaf_orphan": Text(
            "Lá số {index} ({event}): bản ghi của nó trong sổ gốc đã mất hoặc đã bị sửa",
            "Leaf {index} ({event}): its record in the register is gone or was changed",
        ),
    }
)


# The auditor's supervision pages (service/web/supervision_pages.py, docs/audit.md).
SUPERVISION_PAGE: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "sv_title": Text("Giám sát các đơn vị", "Supervision"),
        "sv_intro": Text(
            "Số liệu năm {year} của {root} và các đơn vị trực thuộc: văn bằng đã đăng ký theo "
            "loại, quyết định đăng ký muộn (Điều 17), chỉnh sửa, thu hồi, phôi còn tồn và các "
            "dấu hiệu bất thường.",
            "The year {year} of {root} and the issuers under it: diplomas registered by kind, "
            "decisions registered late (Art. 17), corrections, revocations, blanks on hand and "
            "anomalies.",
        ),
        "sv_issuers": Text("Các đơn vị", "Issuers"),
        "sv_custody_title": Text("Chuyển giao sổ gốc", "Transfers of register custody"),
        "sv_custody_intro": Text(
            "Sổ gốc của đơn vị đã thôi hoạt động hoặc không còn thẩm quyền chuyển cho đơn vị "
            "khác quản lý: từ ngày chuyển giao, đơn vị nhận chỉnh sửa, cấp lại, cấp bản sao và "
            "thu hồi các văn bằng đó bằng khóa ký của mình.",
            "Registers of bodies that ended or lost a power, passed to another body: from the "
            "transfer on, the receiving body records the corrections, re-issues, copies and "
            "revocations of those diplomas with its own key.",
        ),
        "sv_custody_register": Text("Sổ gốc của", "Register of"),
        "sv_custody_from": Text("Đơn vị giao", "From"),
        "sv_custody_to": Text("Đơn vị đang quản lý sổ gốc", "Custodian"),
        "sv_custody_effective": Text("Ngày hiệu lực", "Effective on"),
        "sv_custody_basis": Text("Căn cứ", "Legal basis"),
        "sv_custody_recorded": Text("Ghi nhận lúc, bởi", "Recorded at, by"),
        "sv_custody_operator": Text("người vận hành", "the operator"),
        "sv_issuer": Text("Đơn vị", "Issuer"),
        "sv_diplomas": Text("Văn bằng", "Diplomas"),
        "sv_by_kind": Text("Theo loại", "By kind"),
        "sv_decisions": Text("Quyết định", "Decisions"),
        "sv_late": Text("Đăng ký muộn", "Late"),
        "sv_corrections": Text("Chỉnh sửa", "Corrections"),
        "sv_revocations": Text("Thu hồi", "Revocations"),
        "sv_blanks": Text("Phôi còn tồn", "Blanks on hand"),
        "sv_not_tracked": Text("không quản lý", "not tracked"),
        "sv_anomalies": Text("Bất thường", "Anomalies"),
        "sv_total": Text("Tổng cộng", "Total"),
        "sv_by_month": Text(
            "Văn bằng đăng ký theo tháng, năm {year}", "Diplomas registered by month, {year}"
        ),
        "sv_month": Text("Tháng", "Month"),
        "sv_kind": Text("Loại văn bằng", "Kind"),
        "sv_late_share": Text(
            "Tỷ lệ quyết định đăng ký muộn theo đơn vị (Điều 17), năm {year}",
            "Share of decisions registered late by issuer (Art. 17), {year}",
        ),
        "sv_share": Text("Tỷ lệ", "Share"),
        "sv_nothing": Text(
            "Chưa có văn bằng nào được đăng ký trong năm.", "No diploma was registered this year."
        ),
        "sv_anomalies_title": Text("Dấu hiệu bất thường", "Anomalies"),
        "sv_anomalies_intro": Text(
            "Những điều cần xem lại trong sổ gốc của {root} và các đơn vị trực thuộc, theo "
            "từng loại, với căn cứ của nó.",
            "What to look into in the registers of {root} and the issuers under it, by kind, "
            "with where each comes from.",
        ),
        "sv_anomalies_none": Text("Không có dấu hiệu bất thường nào.", "No anomaly found."),
        "sv_open_record": Text("Xem", "Open"),
        "sv_review_note": Text("Ghi chú xem xét", "Review note"),
        "sv_review": Text("Đánh dấu đã xem xét", "Mark as reviewed"),
        "sv_reviewed": Text(
            "Đã xem xét: {reviewer}, {when}: {note}", "Reviewed by {reviewer}, {when}: {note}"
        ),
        "sv_review_done": Text("Đã ghi nhận việc xem xét.", "The review is recorded."),
        "sv_open_count": Text("{count} chưa xem xét", "{count} not yet reviewed"),
        "nav_journal": Text("Nhật ký", "Journal"),
        "jr_title": Text("Nhật ký thao tác của cán bộ", "The staff journal"),
        "jr_intro": Text(
            "Mọi thao tác của cán bộ trong các đơn vị bạn giám sát, theo thứ tự thời gian, từ "
            "ngày đã chọn.",
            "Every staff action in the issuers you supervise, in time order, from the day chosen.",
        ),
        "jr_from": Text("Từ ngày", "From"),
        "jr_actor": Text("Người thực hiện (tên đăng nhập)", "By (username)"),
        "jr_action": Text("Thao tác", "Action"),
        "jr_issuer": Text("Mã đơn vị", "Issuer code"),
        "jr_at": Text("Thời điểm", "When"),
        "jr_record": Text("Đối tượng", "Record"),
        "jr_client": Text("Mạng", "Network"),
        "jr_filter": Text("Lọc", "Filter"),
        "jr_export": Text("Tải về (CSV)", "Download (CSV)"),
        "jr_none": Text("Không có thao tác nào.", "No action."),
        "jr_more": Text("Xem tiếp", "More"),
        # The issuance log as an auditor sees it (/giam-sat/nhat-ky-phat-hanh), and a
        # diploma's log inclusion proof on its page (service/web/log_pages.py).
        "nav_issuance_log": Text("Nhật ký phát hành", "Issuance log"),
        "lg_title": Text("Nhật ký phát hành văn bằng", "The issuance log"),
        "lg_intro": Text(
            "Mỗi sự kiện của sổ gốc (cấp, chỉnh sửa, cấp lại, thu hồi, cấp bản sao, bàn giao, "
            "phôi) là một lá của một cây Merkle chỉ được ghi thêm, và dịch vụ công bố các điểm "
            "kiểm tra (checkpoint) có chữ ký của cây. Không ai, kể cả người có quyền vào cơ sở "
            "dữ liệu, sửa được điều đã ghi mà lần kiểm tra sau không phát hiện.",
            "Every register event (issue, correction, re-issue, revocation, certified copy, "
            "handover, blank forms) is a leaf of an append-only Merkle tree, and the service "
            "publishes signed checkpoints of it. Nobody, not even someone with database "
            "access, can rewrite what was logged without the next check failing.",
        ),
        "lg_checkpoint": Text("Điểm kiểm tra mới nhất", "The latest checkpoint"),
        "lg_size": Text("Số lá (sự kiện)", "Tree size (events)"),
        "lg_root_hex": Text("Mã băm gốc (hex)", "Root hash (hex)"),
        "lg_root_b64": Text("Mã băm gốc (base64)", "Root hash (base64)"),
        "lg_signed_at": Text("Ký lúc", "Signed at"),
        "lg_note": Text(
            "Điểm kiểm tra đã ký, nguyên văn để sao chép và lưu giữ:",
            "The signed checkpoint, verbatim, to copy and keep:",
        ),
        "lg_get_checkpoint": Text(
            "Điểm kiểm tra mới nhất (văn bản)", "The latest checkpoint (text)"
        ),
        "lg_get_key": Text("Khóa kiểm tra của nhật ký", "The log's verifier key"),
        "lg_no_checkpoint": Text(
            "Nhật ký chưa ký điểm kiểm tra nào: điểm đầu tiên được ký khi máy chủ có khóa của "
            "nhật ký (lệnh vanbang key log).",
            "The log has signed no checkpoint yet: the first is signed once the server holds "
            "the log's key (vanbang key log).",
        ),
        "lg_witnesses": Text("Bên chứng kiến (đồng ký)", "Witnesses (cosignatures)"),
        "lg_witnesses_none": Text(
            "Chưa có bên chứng kiến nào đồng ký các điểm kiểm tra (VANBANG_WITNESSES chưa đặt, "
            "hoặc chưa bên nào trả lời).",
            "No witness cosigns the checkpoints yet (VANBANG_WITNESSES is not set, or none "
            "has answered).",
        ),
        "lg_witness_line": Text(
            "{name}: đã đồng ký điểm kiểm tra {size} mục lúc {when} {latest}",
            "{name}: cosigned the checkpoint of {size} leaves at {when} {latest}",
        ),
        "lg_witness_latest": Text("(điểm kiểm tra mới nhất)", "(the latest checkpoint)"),
        "lg_witness_behind": Text(
            "(chưa đồng ký điểm kiểm tra mới nhất)", "(not yet the latest checkpoint)"
        ),
        "lg_witnesses_why": Text(
            "Bên chứng kiến (một đơn vị khác, chạy vanbang witness serve bằng khóa của mình) chỉ "
            "đồng ký một điểm kiểm tra sau khi đã kiểm tra bằng chứng nhất quán từ điểm kiểm "
            "tra trước mà mình đã đồng ký, và từ chối mọi lịch sử rẽ nhánh hay quay lui, nên "
            "nhật ký không thể cho những người khác nhau thấy những lịch sử khác nhau mà không "
            "bị phát hiện. Mỗi đơn vị vẫn nên tự giữ điểm kiểm tra của mình và kiểm tra bằng "
            "vanbang-verify log --witness (bên dưới).",
            "A witness (another body, running vanbang witness serve with its own key) cosigns "
            "a checkpoint only after checking a consistency proof from the last checkpoint it "
            "cosigned, and refuses any forked or rolled-back history, so that a log cannot show "
            "different histories to different people unnoticed. Each department should still "
            "keep its own checkpoints and check them with vanbang-verify log --witness "
            "(below).",
        ),
        "lg_cosigned": Text("{witness}, đồng ký lúc {when}", "{witness}, cosigned at {when}"),
        "lg_audits": Text(
            "Kiểm tra lại nhật ký từ cơ sở dữ liệu", "Rechecking the log from the database"
        ),
        "lg_audits_intro": Text(
            "Lệnh vanbang audit verify dựng lại cả cây từ từng lá lưu trong cơ sở dữ liệu, so "
            "với mọi điểm kiểm tra đã ký, và đối chiếu mọi sự kiện của sổ gốc với các lá. "
            "Dưới đây là những lần chạy gần nhất.",
            "vanbang audit verify rebuilds the whole tree from every leaf stored in the "
            "database, compares it with every signed checkpoint, and matches every register "
            "event with its leaf. The latest runs are below.",
        ),
        "lg_schedule_hours": Text(
            "Dịch vụ tự chạy việc kiểm tra này mỗi {hours} giờ.",
            "The service runs this check itself every {hours} hours.",
        ),
        "lg_schedule_daily": Text(
            "Dịch vụ tự chạy việc kiểm tra này mỗi ngày, lúc 03:00.",
            "The service runs this check itself every day at 03:00 (Vietnam time).",
        ),
        "lg_schedule_off": Text(
            "Việc tự chạy theo lịch đang tắt (VANBANG_LOG_AUDIT_HOURS=0).",
            "The scheduled check is off (VANBANG_LOG_AUDIT_HOURS=0).",
        ),
        "lg_run_when": Text("Thời điểm", "When"),
        "lg_run_how": Text("Cách chạy", "How run"),
        "lg_run_size": Text("Số lá đã kiểm tra", "Leaves checked"),
        "lg_run_result": Text("Kết quả", "Result"),
        "lg_how_cli": Text("Lệnh trên máy chủ", "Command on the server"),
        "lg_how_scheduled": Text("Tự động theo lịch", "On schedule"),
        "lg_passed": Text("Đạt", "Passed"),
        "lg_failed": Text("Không đạt", "Failed"),
        "lg_run_detail": Text(
            "{checkpoints} điểm kiểm tra, {events} sự kiện của sổ gốc",
            "{checkpoints} checkpoints, {events} register events",
        ),
        "lg_more_problems": Text(
            "và {count} vấn đề khác (xem bằng lệnh vanbang audit verify)",
            "and {count} more problems (see them with vanbang audit verify)",
        ),
        "lg_never_run": Text(
            "Nhật ký chưa được kiểm tra lại lần nào. Để kiểm tra ngay, chạy trên máy chủ:",
            "The log has not been rechecked yet. To check it now, run on the server:",
        ),
        "lg_own": Text(
            "Tự giữ điểm kiểm tra và kiểm tra độc lập",
            "Keeping your own checkpoints and checking them yourself",
        ),
        "lg_own_intro": Text(
            "Việc kiểm tra độc lập chạy bên ngoài dịch vụ, trên máy của chính Sở (hay đơn vị), "
            "bằng chương trình vanbang-verify: không cần tài khoản, không cần vào cơ sở dữ "
            "liệu, không phải tin dịch vụ. Lần đầu, lưu khóa của nhật ký và điểm kiểm tra hiện "
            "tại. Những lần sau, chương trình xin dịch vụ bằng chứng nhất quán giữa điểm đã lưu "
            "và điểm mới, kiểm tra nó bằng khóa đã lưu, và chỉ thay điểm đã lưu khi mọi thứ "
            "đều đúng. Nếu nhật ký bị quay lui hay bị viết lại, chương trình in NOT CONSISTENT "
            "và thoát với mã 1.",
            "The independent check runs outside the service, on the department's own machine, "
            "with the vanbang-verify program: no account, no database access, no trust in the "
            "service. The first time, keep the log's key and the current checkpoint. Each time "
            "after, the program asks the service for the consistency proof between the saved "
            "checkpoint and the new one, checks it with the saved key, and replaces the saved "
            "checkpoint only when all holds. If the log was rolled back or rewritten, it prints "
            "NOT CONSISTENT and exits with code 1.",
        ),
        "lg_own_first": Text("Lần đầu:", "The first time:"),
        "lg_own_daily": Text(
            "Sau đó, chẳng hạn mỗi ngày (bằng cron hay Task Scheduler):",
            "Then, every day say (with cron or Task Scheduler):",
        ),
        "lg_proof_title": Text("Bằng chứng trong nhật ký phát hành", "Log inclusion proof"),
        "lg_proof_intro": Text(
            "Mỗi sự kiện của văn bằng này là một lá của nhật ký phát hành. Với mỗi lá, máy chủ "
            "vừa dựng bằng chứng đưa vào (inclusion proof) theo điểm kiểm tra mới nhất và đã "
            "kiểm tra nó.",
            "Each event of this diploma is a leaf of the issuance log. For each leaf, the "
            "server has just built its inclusion proof against the latest checkpoint and "
            "checked it.",
        ),
        "lg_leaf_index": Text("Lá số", "Leaf"),
        "lg_event": Text("Sự kiện", "Event"),
        "lg_leaf_hash": Text("Mã băm của lá", "Leaf hash"),
        "lg_in_log": Text("Trong nhật ký", "In the log"),
        "lg_included": Text("Đã kiểm tra: có trong nhật ký", "Checked: in the log"),
        "lg_included_in": Text("cây {size} lá, gốc {root}", "tree of {size} leaves, root {root}"),
        "lg_queued": Text("Đang chờ đưa vào nhật ký", "Waiting to enter the log"),
        "lg_proof_failed": Text(
            "Không khớp: bằng chứng không dẫn tới gốc của điểm kiểm tra",
            "Does not hold: the proof does not lead to the checkpoint's root",
        ),
        "lg_no_leaves": Text(
            "Văn bằng chưa có sự kiện nào trong nhật ký.", "The diploma has no event in the log."
        ),
        "lg_bundle": Text(
            "Tải bằng chứng (JSON) để lưu trữ", "Download the bundle (JSON) to archive"
        ),
        "lg_bundle_check": Text(
            "Bằng chứng gồm bản ghi đã ký, lá của nó, bằng chứng đưa vào và điểm kiểm tra; "
            "kiểm tra nó trên máy của mình, không cần dịch vụ:",
            "The bundle holds the signed record, its leaf, the inclusion proof and the "
            "checkpoint; check it on your own machine, without the service:",
        ),
        "lg_proof_file": Text(
            "Tải bằng chứng ngoại tuyến (.tlog-proof)", "Download the offline proof (.tlog-proof)"
        ),
        "lg_proof_file_check": Text(
            "Mỗi lá đã vào nhật ký có bằng chứng ngoại tuyến riêng (c2sp.org/tlog-proof@v1): lá, "
            "số lá, bằng chứng đưa vào và điểm kiểm tra với chữ ký đồng ký của các bên chứng "
            "kiến, không có dữ liệu cá nhân. Kiểm tra nó trên máy của mình, không cần dịch vụ:",
            "Each leaf in the log has its own offline proof (c2sp.org/tlog-proof@v1): the leaf, "
            "its index, the inclusion proof and the checkpoint with the witnesses' "
            "cosignatures, no personal data. Check it on your own machine, without the service:",
        ),
        "lg_log_page": Text(
            "Nhật ký phát hành và cách tự kiểm tra", "The issuance log and checking it yourself"
        ),
        "sv_no_decisions": Text(
            "Chưa có quyết định nào được đăng ký trong năm.",
            "No decision was registered this year.",
        ),
        # An issuer's register, read by an auditor (/giam-sat/so-goc).
        "rg_title": Text("Sổ gốc cấp văn bằng, chứng chỉ", "The original register"),
        "rg_intro": Text(
            "Sổ gốc của một đơn vị bạn giám sát (Điều 13), theo thứ tự số vào sổ: loại văn "
            "bằng, năm, số. Mỗi dòng kèm các lần chỉnh sửa, cấp lại, thu hồi, cấp bản sao và "
            "việc trao văn bằng. Trang này chỉ để xem; tệp tải về được ghi vào nhật ký.",
            "The register (Art. 13) of an issuer you supervise, in register order: kind, year, "
            "number. Each entry with its corrections, re-issue, revocation, certified copies "
            "and handover. This page only reads; downloads are journalled.",
        ),
        "rg_year": Text("Năm vào sổ", "Register year"),
        "rg_show": Text("Xem sổ", "Show"),
        "rg_download_xlsx": Text("Tải sổ gốc (Excel)", "Download the register (Excel)"),
        "rg_download_csv": Text("Tải CSV", "Download CSV"),
        "rg_search": Text("Tìm văn bằng trong sổ này", "Search this register"),
        "rg_entries": Text("Các dòng trong sổ", "Entries"),
        "rg_none": Text(
            "Sổ gốc chưa có dòng nào khớp với lựa chọn này.", "No entry matches this choice."
        ),
        "rg_recipient": Text("Người nhận, ngày nhận", "Received by, on"),
        "rg_notes": Text("Ghi chú", "Notes"),
        "rg_bad_page": Text(
            "Trang này không còn hợp lệ; xem lại từ trang đầu.",
            "This page is no longer valid; start again from the first page.",
        ),
        "rg_open": Text("Sổ gốc", "Register"),
        # The yearly report's page (/giam-sat/bao-cao); its table's wording is REPORT's.
        "nav_reports": Text("Báo cáo năm", "Yearly report"),
        "rp_title": Text("Báo cáo năm", "Yearly report"),
        "rp_intro": Text(
            "Báo cáo tình hình cấp phát, quản lý văn bằng, chứng chỉ của một đơn vị và các đơn "
            "vị trực thuộc trong một năm, lấy trực tiếp từ sổ gốc, để gửi cơ quan cấp trên "
            "(Điều 9-11, 13, 17). Tải về bản Excel hoặc PDF để ký và gửi.",
            "The year's issuing and management of diplomas by an issuer and those under it, "
            "read from the register, for the body above (Art. 9-11, 13, 17). Download it as "
            "Excel or PDF to sign and send.",
        ),
        "rp_year": Text("Năm báo cáo", "Year"),
        "rp_year_hint": Text("Bốn chữ số, ví dụ 2025", "Four digits, such as 2025"),
        "rp_issuer": Text("Đơn vị báo cáo", "Issuer"),
        "rp_show": Text("Xem báo cáo", "Show the report"),
        "rp_xlsx": Text("Tải về (Excel)", "Download (Excel)"),
        "rp_pdf": Text("Tải về (PDF)", "Download (PDF)"),
        "rp_notes": Text("Cách tính từng cột", "How each column is counted"),
        "rp_column": Text("Cột", "Column"),
        "rp_how": Text("Cách tính", "How it is counted"),
        "rp_basis": Text("Căn cứ", "Basis"),
        # The rates chart: corrections and revocations against peers (the anomalies' rates).
        "sv_rates": Text(
            "Tỷ lệ văn bằng đã chỉnh sửa, đã thu hồi so với các đơn vị cùng cấp (cả sổ gốc "
            "đến nay)",
            "Diplomas corrected and revoked against peers (the whole register to date)",
        ),
        "sv_rates_desc": Text(
            "Mỗi đơn vị có hai thanh: tỷ lệ văn bằng đã chỉnh sửa và tỷ lệ văn bằng đã thu "
            "hồi. Vạch đen dọc trên mỗi thanh là tỷ lệ chung của các đơn vị cùng cấp (cùng "
            "đơn vị cấp trên).",
            "Two bars per issuer: the share of its diplomas corrected and the share revoked. "
            "The black upright mark on each bar is its peers' rate (the issuers under the "
            "same parent).",
        ),
        "sv_rates_intro": Text(
            "Tỷ lệ của các đơn vị cùng cấp là tổng số văn bằng đã chỉnh sửa (đã thu hồi) của "
            "họ chia cho tổng số văn bằng của họ. Đơn vị có tỷ lệ gấp từ {factor} lần trở "
            "lên, cao hơn từ {margin} điểm phần trăm và có từ {events} văn bằng như vậy được "
            "liệt kê trong dấu hiệu bất thường.",
            "A peers' rate is their diplomas corrected (revoked) over their diplomas, summed. "
            "An issuer whose rate is {factor} times theirs or more, at least {margin} "
            "percentage points above, with at least {events} such diplomas, is listed among "
            "the anomalies.",
        ),
        "sv_corrected": Text("Đã chỉnh sửa", "Corrected"),
        "sv_revoked": Text("Đã thu hồi", "Revoked"),
        "sv_peers": Text("Các đơn vị cùng cấp", "Peers"),
        "sv_peers_rate": Text("Tỷ lệ của các đơn vị cùng cấp", "The peers' rate"),
        "sv_peers_short": Text("cùng cấp", "peers"),
        "sv_no_register": Text(
            "Chưa có văn bằng nào trong sổ gốc.", "No diploma in the register yet."
        ),
    }
)

# The yearly report's wording (docs/audit.md): the page shows it in either language, the
# workbook and the PDF, which go up to the supervising body, in Vietnamese.
REPORT_BAD_YEAR: Final = Text(
    "Năm báo cáo là bốn chữ số, từ 1900 đến năm nay",
    "The year is four digits, from 1900 to this year",
)
REPORT: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "title": Text(
            "Báo cáo tình hình cấp phát, quản lý văn bằng, chứng chỉ năm {year} — {name}",
            "Issuing and management of diplomas and certificates in {year} — {name}",
        ),
        "scope": Text(
            "Đơn vị báo cáo: {name} ({code}) và các đơn vị trực thuộc",
            "Reporting issuer: {name} ({code}) and the issuers under it",
        ),
        "made_on": Text("Ngày lập: {day}", "Made on {day}"),
        "made_at": Text(
            "Số liệu lấy từ sổ gốc trên hệ thống lúc {moment} (giờ Việt Nam).",
            "Figures read from the register at {moment} (Vietnam time).",
        ),
        "sheet": Text("Báo cáo năm", "Yearly report"),
        "notes_sheet": Text("Ghi chú", "Notes"),
        "nation": Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
        "motto": Text("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
        "page": Text("Trang {page}/{pages}", "Page {page} of {pages}"),
        "place_date": Text(
            "........, ngày ..... tháng ..... năm ........", "........, on ........"
        ),
        "preparer": Text("NGƯỜI LẬP BIỂU", "PREPARED BY"),
        "head": Text("THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF THE ISSUER"),
        "sign": Text("(Ký, ghi rõ họ tên)", "(signature and full name)"),
        "sign_seal": Text("(Ký, ghi rõ họ tên, đóng dấu)", "(signature, full name and seal)"),
        "issuer": Text("Đơn vị", "Issuer"),
        "subtotal": Text("Cộng {name}", "Subtotal, {name}"),
        "total": Text("Tổng cộng", "Total"),
        "not_tracked": Text(
            "không quản lý phôi trên hệ thống", "blanks not tracked in the service"
        ),
        "group_issued": Text("Văn bằng đã cấp theo loại", "Diplomas issued by kind"),
        "issued_total": Text("Cộng", "All kinds"),
        "group_corrections": Text("Chỉnh sửa", "Corrections"),
        "group_reissues": Text("Cấp lại", "Re-issues"),
        "group_revocations": Text("Thu hồi", "Revocations"),
        "group_copies": Text("Bản sao", "Certified copies"),
        "group_blanks": Text("Phôi", "Blank forms"),
        "group_late": Text("Đăng ký muộn", "Late issuance"),
        "corrections": Text("Số quyết định", "Decisions"),
        "reissues": Text("Số văn bằng", "Diplomas"),
        "revocations": Text("Số quyết định", "Decisions"),
        "copy_requests": Text("Số lượt", "Requests"),
        "copies": Text("Số bản", "Copies"),
        "on_hand_at_start": Text("Tồn đầu năm", "On hand, 1 Jan"),
        "received": Text("Nhận", "Received"),
        "used": Text("Sử dụng", "Used"),
        "spoiled": Text("Hỏng", "Spoiled"),
        "destroyed": Text("Hủy", "Destroyed"),
        "on_hand_at_end": Text("Tồn cuối năm", "On hand, 31 Dec"),
        "awaiting_destruction": Text("Hỏng chưa hủy", "Spoiled, not destroyed"),
        "registrations": Text("Lượt đăng ký", "Registrations"),
        "late_registrations": Text("Đăng ký muộn", "Late"),
        "late_diplomas": Text("Văn bằng đăng ký muộn", "Diplomas registered late"),
    }
)
# What each column counts, and its article of Circular 21 (the notes of the report).
REPORT_NOTES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "issued": Text(
            "Văn bằng, chứng chỉ ghi vào sổ gốc với số vào sổ của năm (năm của ngày cấp), "
            "theo từng loại; kể cả văn bằng cấp lại.",
            "Diplomas entered in the register under the year's register numbers (the year "
            "of their issue date), by kind; re-issued ones included.",
        ),
        "corrections": Text(
            "Quyết định chỉnh sửa nội dung văn bằng có ngày quyết định trong năm.",
            "Correction decisions dated in the year.",
        ),
        "reissues": Text(
            "Văn bằng cấp lại do cơ quan cấp ghi sai, có ngày cấp lại trong năm (cũng được "
            "tính trong cột theo loại).",
            "Diplomas re-issued for the issuer's own error, re-issued in the year (also "
            "counted by kind).",
        ),
        "revocations": Text(
            "Quyết định thu hồi, hủy bỏ văn bằng có ngày quyết định trong năm.",
            "Revocation decisions dated in the year.",
        ),
        "copies": Text(
            "Số lượt ghi trong sổ cấp bản sao của năm và số bản sao đã cấp theo các lượt đó.",
            "Entries in the year's register of certified copies, and the copies issued.",
        ),
        "blanks": Text(
            "Theo ngày nhận, ngày cấp văn bằng, ngày hỏng, ngày hủy ghi trên chứng từ. Mỗi "
            "phôi ra khỏi tồn một lần: khi in văn bằng, hoặc khi bị hỏng hay bị hủy lúc "
            "chưa dùng. Tồn cuối năm = tồn đầu năm + nhận − sử dụng − phôi chưa dùng bị "
            "hỏng hoặc bị hủy; phôi hỏng không còn tính là tồn dù chưa hủy (cột Hỏng chưa "
            "hủy). Cột Hỏng gồm cả phôi của văn bằng cấp lại; cột Hủy gồm cả phôi đã hỏng. "
            "Đơn vị không quản lý phôi trên hệ thống thì không có số liệu phôi (không phải "
            "số 0); dòng cộng chỉ cộng các đơn vị có quản lý phôi.",
            "By the dates on the documents: received, issued, spoiled, destroyed. A blank "
            "leaves the stock once: printed on, or spoiled or destroyed unused. On hand at "
            "the end = at the start + received − used − unused blanks spoiled or destroyed; "
            "a spoiled blank is no longer on hand even before it is destroyed (see Spoiled, "
            "not destroyed). Spoiled includes the blanks of re-issued diplomas; Destroyed "
            "includes spoiled blanks. An issuer that does not track its blanks here has no "
            "blank figures (not zero); subtotals add the issuers that do.",
        ),
        "late": Text(
            "Lượt đăng ký quyết định công nhận tốt nghiệp (kể cả danh sách bổ sung) trong "
            "năm, theo giờ Việt Nam; số lượt sau thời hạn cấp văn bằng (75 ngày với THCS, "
            "THPT, 30 ngày với các loại khác, kể từ ngày quyết định) và số văn bằng của "
            "các lượt đó.",
            "Registrations of graduation decisions (further lists included) in the year, "
            "Vietnam time; those after the deadline (75 days for lower and upper secondary "
            "diplomas, 30 for the others, from the decision) and their diplomas.",
        ),
        "subtotals": Text(
            "Dòng “Cộng …” cộng một đơn vị với mọi đơn vị trực thuộc; dòng “Tổng cộng” cộng "
            "đơn vị báo cáo với mọi đơn vị trực thuộc.",
            "A “Subtotal” row adds an issuer and every issuer under it; the “Total” row "
            "adds the reporting issuer and every issuer under it.",
        ),
    }
)
REPORT_BASIS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "issued": Text("Điều 13", "Art. 13"),
        "corrections": Text("Điều 21-24", "Art. 21-24"),
        "reissues": Text("Điều 18", "Art. 18"),
        "revocations": Text("Điều 25", "Art. 25"),
        "copies": Text("Điều 27-32", "Art. 27-32"),
        "blanks": Text("Điều 9-11", "Art. 9-11"),
        "late": Text("Điều 17", "Art. 17"),
        "subtotals": Text("Điều 9-11", "Art. 9-11"),
    }
)


# The console's lifecycle forms (docs/console.md): their titles, fields and choices.
CONSOLE_ACTIONS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "ban-giao": Text("Ghi nhận bàn giao văn bằng", "Record the handover"),
        "ban-giao-intro": Text(
            "Ghi vào sổ gốc người nhận văn bằng và ngày nhận (Điều 13). Người nhận là chính "
            "người được cấp, hoặc người đại diện có giấy ủy quyền.",
            "Records in the register who received the diploma and when (Art. 13): the holder, "
            "or a representative with an authorisation.",
        ),
        "chinh-sua": Text("Chỉnh sửa văn bằng", "Correct the diploma"),
        "chinh-sua-intro": Text(
            "Chỉ chỉnh sửa thông tin hộ tịch, theo quyết định chỉnh sửa, trên một trong bốn căn "
            "cứ của Điều 22. Văn bằng giấy giữ nguyên; sổ gốc ghi thêm phụ lục. Chỉ điền những "
            "thông tin thay đổi.",
            "Only civil status may be corrected, by a correction decision on one of the four "
            "grounds of Art. 22. The paper is kept; the register gains an appendix entry. Fill "
            "in only what changes.",
        ),
        "thu-hoi": Text("Thu hồi, hủy bỏ văn bằng", "Revoke the diploma"),
        "thu-hoi-intro": Text(
            "Theo quyết định thu hồi, hủy bỏ của cơ quan có thẩm quyền (Điều 25). Từ khi ghi, "
            "tra cứu văn bằng này sẽ báo đã bị thu hồi.",
            "By the revocation decision of the competent body (Art. 25). From then on, "
            "verifying this diploma answers that it is revoked.",
        ),
        "cap-lai": Text("Cấp lại văn bằng", "Re-issue the diploma"),
        "cap-lai-intro": Text(
            "Chỉ khi văn bằng bị ghi sai do lỗi của cơ quan cấp (Điều 18); văn bằng bị mất "
            "không được cấp lại mà cấp bản sao. Văn bằng mới in trên phôi mới, có số hiệu và số "
            "vào sổ mới; phôi cũ được ghi là hỏng.",
            "Only for the issuer's own error (Art. 18); a lost diploma is not re-issued (a "
            "certified copy is). The new diploma goes on a new blank, with a new serial and "
            "register number; the old blank is recorded as spoiled.",
        ),
        "ban-sao": Text("Cấp bản sao từ sổ gốc", "Issue certified copies"),
        "ban-sao-intro": Text(
            "Ghi vào sổ cấp bản sao văn bằng từ sổ gốc (Điều 27-32).",
            "Records the request in the register of certified copies (Art. 27-32).",
        ),
        "recipient_name": Text("Họ và tên người nhận", "Recipient's full name"),
        "relation": Text("Người nhận là", "The recipient is"),
        "requester_relation": Text("Người yêu cầu là", "The requester is"),
        "id_document_type": Text("Loại giấy tờ tùy thân", "Identity document"),
        "id_document_number": Text("Số giấy tờ tùy thân", "Its number"),
        "authorisation": Text(
            "Giấy ủy quyền (số, ngày, nơi chứng thực)",
            "Authorisation (number, date, certified by)",
        ),
        "handed_over_on": Text("Ngày nhận", "Date received"),
        "handed_over_by": Text("Cán bộ bàn giao", "Handed over by"),
        "note": Text("Ghi chú", "Note"),
        "decision_number": Text("Số quyết định", "Decision number"),
        "decided_on": Text("Ngày quyết định", "Decision date"),
        "signer-name": Text("Người ký quyết định", "Decision signed by"),
        "signer-title": Text("Chức vụ người ký", "Their title"),
        "copy_signer-name": Text("Người ký bản sao", "Copies signed by"),
        "copy_form": Text("Hình thức", "Form"),
        "form-paper": Text(
            "Bản sao giấy (ký tay, đóng dấu)", "Paper copy (signed by hand, sealed)"
        ),
        "form-extract": Text(
            "Trích lục điện tử (tệp PDF có chữ ký số; từ Thông tư 10/2026)",
            "Electronic extract (a digitally signed PDF; from Circular 10/2026)",
        ),
        "copy_signer-title": Text("Chức vụ người ký bản sao", "Their title"),
        "signer-on_behalf_of": Text(
            "Ký thay (KT.) cho: chức vụ người đứng đầu, nếu có",
            "Signing on behalf of (KT.): the head's title, if so",
        ),
        "ground": Text("Căn cứ theo quy định", "Ground in law"),
        "reason": Text("Nội dung, lý do cụ thể", "Reason, in detail"),
        "authority": Text("Cơ quan ra quyết định", "Deciding body"),
        "changes-full_name": Text("Họ và tên mới", "New full name"),
        "changes-date_of_birth": Text("Ngày sinh mới", "New date of birth"),
        "changes-place_of_birth": Text("Nơi sinh mới", "New place of birth"),
        "changes-gender": Text("Giới tính mới", "New gender"),
        "changes-ethnicity": Text("Dân tộc mới", "New ethnicity"),
        "changes-nationality": Text("Quốc tịch mới", "New nationality"),
        "changes-major": Text("Ngành đào tạo đúng", "Correct major"),
        "changes-classification": Text("Xếp loại đúng", "Correct classification"),
        "changes-mode_of_study": Text("Hình thức đào tạo đúng", "Correct mode of study"),
        "serial": Text("Số hiệu phôi mới", "Serial of the new blank"),
        "reissued_on": Text("Ngày cấp lại", "Re-issued on"),
        "copied_on": Text("Ngày cấp bản sao", "Copies issued on"),
        "requester_name": Text("Họ và tên người yêu cầu", "Requester's full name"),
        "copies": Text("Số bản sao", "Number of copies"),
        "relation-holder": Text("Chính người được cấp văn bằng", "The holder"),
        "relation-representative": Text(
            "Người đại diện theo pháp luật hoặc theo ủy quyền",
            "A legal or authorised representative",
        ),
        "relation-relative": Text(
            "Cha, mẹ, con, vợ, chồng, anh chị em ruột",
            "A parent, child, spouse or sibling",
        ),
        "relation-heir": Text(
            "Người thừa kế khác (người được cấp đã mất)",
            "Another heir (the holder has died)",
        ),
        "document-citizen_id": Text("Căn cước công dân, thẻ căn cước", "Citizen ID card"),
        "document-identity_card": Text("Chứng minh nhân dân", "Identity card"),
        "document-passport": Text("Hộ chiếu", "Passport"),
        "document-other": Text("Giấy tờ khác", "Another document"),
        "none": Text("(không)", "(none)"),
        "lines_hint": Text(
            "Mỗi dòng một mục (hoặc cách nhau bằng dấu phẩy).",
            "One per line (or separated by commas).",
        ),
        "nhan-phoi": Text("Nhận phôi văn bằng", "Receive blank forms"),
        "nhan-phoi-intro": Text(
            "Ghi vào sổ quản lý phôi một dải phôi nhận về (Điều 9-11): số hiệu đầu và cuối, "
            "ngày nhận, và phiếu giao hoặc quyết định kèm theo.",
            "Records a range of blanks received (Art. 9-11): the first and last serial, the "
            "day received, and the delivery note or decision they came with.",
        ),
        "phoi-hong": Text("Ghi phôi hỏng", "Record spoiled blanks"),
        "phoi-hong-intro": Text(
            "Phôi in sai, rách, hỏng: ghi từng số hiệu. Phôi hỏng phải được hủy sau, có biên bản.",
            "Blanks misprinted or damaged, by serial. They are to be destroyed later, with "
            "minutes.",
        ),
        "huy-phoi": Text("Hủy phôi", "Destroy blanks"),
        "huy-phoi-intro": Text(
            "Ghi việc hủy phôi theo biên bản của hội đồng hủy: số biên bản, thành viên, cách "
            "hủy, ngày hủy và các số hiệu.",
            "Records the destruction of blanks by a council's minutes: its number, members, "
            "method, date and the serials.",
        ),
        "kind": Text("Loại văn bằng", "Kind"),
        "first_serial": Text("Số hiệu đầu", "First serial"),
        "last_serial": Text("Số hiệu cuối", "Last serial"),
        "received_on": Text("Ngày nhận", "Received on"),
        "reference": Text("Phiếu giao, quyết định kèm theo", "Delivery note or decision"),
        "serials": Text("Các số hiệu", "Serials"),
        "occurred_on": Text("Ngày ghi nhận hỏng", "Spoiled on"),
        "minutes_number": Text("Số biên bản hủy", "Minutes number"),
        "council": Text("Thành viên hội đồng hủy", "Council members"),
        "method": Text("Cách hủy", "Method"),
        "destroyed_on": Text("Ngày hủy", "Destroyed on"),
        "done": Text("Đã ghi: {action}.", "Recorded: {action}."),
    }
)


# The template workbook (GET /mau/danh-sach-tot-nghiep.xlsx, vanbang template) -------------

# Xếp loại as the circulars write them, best first: the template's drop-down. The register
# keeps what the clerk writes; these are the usual values, not the only ones accepted.
CLASSIFICATIONS: Final[tuple[str, ...]] = (
    "Xuất sắc",
    "Giỏi",
    "Khá",
    "Trung bình khá",
    "Trung bình",
)
YES_NO_WRITTEN: Final[Mapping[str, str]] = MappingProxyType({"yes": "Có", "no": "Không"})

TEMPLATE: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "sheet_list": Text("Danh sách", "List"),
        "sheet_help": Text("Hướng dẫn", "Instructions"),
        "sheet_choices": Text("Danh mục", "Choices"),
        "title": Text(
            "Danh sách người tốt nghiệp: hướng dẫn điền",
            "The list of graduates: how to fill it in",
        ),
        "step_rows": Text(
            'Mỗi dòng của trang "Danh sách" là một người tốt nghiệp, bắt đầu từ dòng 2. '
            "Không đổi tên, không xoá dòng tiêu đề; có thể bỏ các cột không bắt buộc.",
            "Each row of the first sheet is one graduate, from row 2 on. Keep the header row "
            "as it is; columns that are not required may be removed.",
        ),
        "step_required": Text(
            "Cột có dấu * là bắt buộc.",
            "Columns marked * are required.",
        ),
        "step_decision": Text(
            'Các cột của quyết định và của văn bằng (từ "Mã đơn vị cấp" đến "Ký thay") '
            "chỉ cần ghi ở dòng đầu; nếu ghi ở các dòng sau thì phải giống dòng đầu.",
            "The decision's and the diploma's columns (the first thirteen, from the issuer's "
            "code to the deputy's KT.) need filling on the first row only; on later rows "
            "they must be the same.",
        ),
        "step_lists": Text(
            "Loại văn bằng, giới tính, xếp loại và công bố: chọn trong danh sách của ô.",
            "Kind, gender, classification and publication: choose from the cell's list.",
        ),
        "step_dates": Text(
            "Ngày ghi theo dạng ngày/tháng/năm, ví dụ 25/05/2026.",
            "Dates are day/month/year, e.g. 25/05/2026.",
        ),
        "step_save": Text(
            "Lưu tệp dạng Excel (.xlsx) rồi tải lên tại trang Đăng ký quyết định, hoặc gửi "
            'qua API. Nếu lưu CSV, chọn "CSV UTF-8".',
            "Save as an Excel workbook (.xlsx) and upload it on the Register a decision page, "
            'or send it through the API. If you save a CSV, choose "CSV UTF-8".',
        ),
        "step_example": Text(
            'Dòng ví dụ dưới đây chỉ để tham khảo; đừng chép vào trang "Danh sách".',
            "The example row below is for reference only; do not copy it to the list.",
        ),
        "header_column": Text("Cột", "Column"),
        "header_required": Text("Bắt buộc", "Required"),
        "header_meaning": Text("Ý nghĩa", "Meaning"),
        "header_accepted": Text("Giá trị chấp nhận", "Accepted values"),
        "required_yes": Text("Có", "Yes"),
        "example": Text("Ví dụ", "Example"),
        "any_text": Text("Chữ, tối đa {max} ký tự", "Text, at most {max} characters"),
        "a_date": Text("Ngày, dạng dd/mm/yyyy", "A date, dd/mm/yyyy"),
        "a_personal_id": Text(
            "12 chữ số, giữ các số 0 ở đầu; ba số đầu là mã tỉnh nơi đăng ký khai sinh, số thứ "
            "4 khớp thế kỷ sinh và giới tính, số thứ 5 và 6 là năm sinh",
            "12 digits, leading zeros kept; the first three a province code of birth "
            "registration, the 4th matching the century of birth and the gender, the 5th and "
            "6th the year of birth",
        ),
        "a_year": Text("Năm, từ 1900 đến 2100", "A year, 1900 to 2100"),
        "a_serial": Text(
            "Chữ in hoa, chữ số và / . -, tối đa 40 ký tự",
            "Capital letters, digits and / . -, at most 40 characters",
        ),
        "a_name": Text(
            "Họ tên bằng chữ, 2 đến 100 ký tự", "A name in letters, 2 to 100 characters"
        ),
        "an_issuer": Text(
            "Mã đơn vị (chữ in hoa, chữ số, - _); để trống thì là đơn vị của bạn",
            "The issuer's code (capitals, digits, - _); blank for your own issuer",
        ),
        "one_of": Text("Một trong: {values}", "One of: {values}"),
        "usually": Text(
            "Thường là: {values} (có thể ghi khác)", "Usually: {values} (others allowed)"
        ),
        "default": Text("; để trống: {value}", "; blank: {value}"),
        "regulation_by_date": Text(
            "; để trống: theo ngày cấp (TT21/2019 trước 15/04/2026, TT10/2026 từ ngày đó)",
            "; blank: by the issue date (TT21/2019 before 15/04/2026, TT10/2026 from then)",
        ),
        "invalid_title": Text("Giá trị không hợp lệ", "Invalid value"),
        "invalid_choice": Text(
            "Hãy chọn một giá trị trong danh sách.", "Choose a value from the list."
        ),
        "invalid_date": Text(
            "Hãy nhập ngày dạng dd/mm/yyyy (từ năm 1900 đến 2100).",
            "Enter a date as dd/mm/yyyy (years 1900 to 2100).",
        ),
        "invalid_year": Text("Hãy nhập năm từ 1900 đến 2100.", "Enter a year from 1900 to 2100."),
        "unusual_choice": Text(
            "Giá trị này không có trong danh sách thường dùng. Vẫn giữ?",
            "This value is not one of the usual ones. Keep it?",
        ),
    }
)

# What each column of a graduate list holds, by tabular.COLUMNS's name.
TEMPLATE_COLUMNS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "issuer": Text("Đơn vị cấp văn bằng", "The issuing body"),
        "decision_number": Text(
            "Số quyết định công nhận tốt nghiệp", "The graduation decision's number"
        ),
        "decision_date": Text("Ngày ký quyết định", "The day the decision was signed"),
        "decision_signer_name": Text("Họ tên người ký quyết định", "Who signed the decision"),
        "decision_signer_title": Text("Chức vụ người ký quyết định", "The decision signer's title"),
        "kind": Text("Loại văn bằng, chứng chỉ", "The kind of diploma or certificate"),
        "regulation": Text("Văn bản quy định mẫu văn bằng", "The regulation the diploma follows"),
        "graduation_year": Text("Năm tốt nghiệp", "The year of graduation"),
        "place_of_issue": Text(
            "Nơi cấp, như in trên văn bằng (ví dụ Hà Nội)",
            "The place of issue as printed (e.g. Hanoi)",
        ),
        "issued_on": Text("Ngày cấp văn bằng", "The day the diplomas are issued"),
        "signer_name": Text("Họ tên người ký văn bằng", "Who signs the diplomas"),
        "signer_title": Text("Chức vụ người ký văn bằng", "The diploma signer's title"),
        "signer_on_behalf_of": Text(
            "Khi cấp phó ký thay (KT.): chức vụ của người đứng đầu",
            "When a deputy signs on behalf (KT.): the head's title",
        ),
        "serial": Text("Số hiệu in trên phôi văn bằng", "The serial printed on the blank form"),
        "full_name": Text("Họ và tên người tốt nghiệp", "The graduate's full name"),
        "date_of_birth": Text("Ngày sinh", "Date of birth"),
        "place_of_birth": Text("Nơi sinh (tỉnh, thành phố)", "Place of birth (province, city)"),
        "gender": Text("Giới tính", "Gender"),
        "ethnicity": Text("Dân tộc", "Ethnicity"),
        "nationality": Text("Quốc tịch", "Nationality"),
        "student_id": Text("Mã học sinh, sinh viên", "Student number"),
        "personal_id": Text(
            "Số định danh cá nhân (12 chữ số, như trên thẻ căn cước); không công bố",
            "Personal identification number (12 digits, as on the ID card); never published",
        ),
        "major": Text("Ngành đào tạo (đại học, cao đẳng)", "Major (higher education)"),
        "classification": Text("Xếp loại tốt nghiệp", "Classification"),
        "mode_of_study": Text(
            "Hình thức đào tạo (chính quy, vừa làm vừa học...)",
            "Mode of study (full-time, part-time...)",
        ),
        "published": Text(
            'Công bố trên trang tra cứu công khai; "Không" cho người không được công bố',
            "Shown by the public lookup; the second choice (no) for holders who must not be",
        ),
    }
)

# An example row, for the instructions sheet only (never on the list sheet).
TEMPLATE_EXAMPLE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "decision_number": "123/QĐ-SGDĐT",
        "decision_date": "15/07/2026",
        "decision_signer_name": "Trần Văn Bình",
        "decision_signer_title": "Giám đốc",
        "kind": "Bằng tốt nghiệp trung học phổ thông",
        "graduation_year": "2026",
        "place_of_issue": "Hà Nội",
        "issued_on": "20/07/2026",
        "signer_name": "Trần Văn Bình",
        "signer_title": "Giám đốc",
        "serial": "HN26-000123",
        "full_name": "Nguyễn Thị Lan",
        "date_of_birth": "03/09/2008",
        "place_of_birth": "Hà Nội",
        "gender": "Nữ",
        "ethnicity": "Kinh",
        "personal_id": "001308012345",
        "classification": "Khá",
    }
)
# Probable duplicates: warnings of registration, never errors --------------------------------

DUPLICATE_IN_LIST: Final = Text(
    "Có thể trùng người: {name}, sinh {born:%d/%m/%Y} tại {place}, đã có ở dòng {other}.",
    "Probable duplicate: {name}, born {born:%d/%m/%Y} in {place}, is also on row {other}.",
)
DUPLICATE_IN_REGISTER: Final = Text(
    "Có thể trùng người: {name}, sinh {born:%d/%m/%Y} tại {place}, đã có văn bằng số hiệu "
    "{serial}, số vào sổ {register_number}.",
    "Probable duplicate: {name}, born {born:%d/%m/%Y} in {place}, already holds the diploma "
    "with serial {serial}, register number {register_number}.",
)
NO_PLACE_OF_BIRTH: Final = Text("(không ghi nơi sinh)", "(no place given)")


# Custody of a register (docs/custody.md): a body's register passed to another ---------------

CUSTODY_UNKNOWN_BODY: Final = Text("Không có đơn vị với mã này", "No issuer has this code")
CUSTODY_TO_ITSELF: Final = Text(
    "Không chuyển giao sổ gốc cho chính đơn vị đã cấp văn bằng",
    "A register is not transferred to the body that issued it",
)
CUSTODY_NOT_PLAUSIBLE: Final = Text(
    "{to} ({to_kind}) không thể nhận quản lý sổ gốc của {register} ({register_kind})",
    "{to} ({to_kind}) cannot take over the register of {register} ({register_kind})",
)
CUSTODY_RECEIVER_GONE: Final = Text(
    "Sổ gốc của {to} đã chuyển cho đơn vị khác: {to} không còn nhận quản lý sổ gốc",
    "{to}'s own register passed to another body: it takes over no register",
)
CUSTODY_BEFORE_PREVIOUS: Final = Text(
    "Ngày hiệu lực trước lần chuyển giao trước (ngày {date:%d/%m/%Y})",
    "The effective date is before the previous transfer's ({date})",
)
CUSTODY_ALREADY_THERE: Final = Text(
    "Sổ gốc của {register} đã do {to} quản lý từ ngày {date:%d/%m/%Y} ({legal_basis})",
    "{register}'s register is already in {to}'s custody since {date} ({legal_basis})",
)
CUSTODY_ONLY_ADMINS: Final = Text(
    "Chỉ người quản trị của đơn vị nhận sổ gốc được ghi nhận việc chuyển giao",
    "Only an administrator of the receiving body records a transfer of custody",
)
CUSTODY_OUTSIDE_SCOPE: Final = Text(
    "Bạn phải quản trị cả đơn vị đang giữ sổ gốc ({current}) và đơn vị nhận ({to})",
    "You must administer both the body holding the register ({current}) and the receiving "
    "one ({to})",
)
# A write on a transferred register by the staff of the body that gave it up.
CUSTODY_ACT_REFUSED: Final = Text(
    "Sổ gốc của {issuer} đã chuyển cho {custodian} quản lý từ ngày {date:%d/%m/%Y} theo "
    "{legal_basis}: việc chỉnh sửa, cấp lại, cấp bản sao, thu hồi văn bằng của {issuer} "
    "do {custodian} thực hiện",
    "{issuer}'s register passed into the custody of {custodian} on {date} under "
    "{legal_basis}: {custodian} records the corrections, re-issues, copies and revocations "
    "of {issuer}'s diplomas",
)
CUSTODY_NO_REGISTRATION: Final = Text(
    "Sổ gốc của {issuer} đã chuyển cho {custodian} quản lý từ ngày {date:%d/%m/%Y} theo "
    "{legal_basis}: không đăng ký văn bằng mới vào sổ gốc này",
    "{issuer}'s register passed into the custody of {custodian} on {date} under "
    "{legal_basis}: no new diploma is registered in it",
)


# Printing onto the blank forms (service/printing/, docs/printing.md) ---------------------

# The date of issue as Vietnamese documents write it (Decree 30/2020/ND-CP, Appendix I: a day
# below 10 and a month below 3 take a leading zero).
PRINT_ISSUED_ON_VI: Final = "{place}, ngày {day} tháng {month} năm {year}"
PRINT_ISSUED_ON_EN: Final = "{place}, {day} {month} {year}"
PRINT_ON_BEHALF: Final = "KT. {head}"
MONTHS_EN: Final[tuple[str, ...]] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The English side of a bilingual diploma (Art. 8): what the register keeps in Vietnamese
# and has a usual English rendering; anything else is printed as the register has it.
GENDERS_EN: Final[Mapping[str, str]] = MappingProxyType({"male": "Male", "female": "Female"})
CLASSIFICATIONS_EN: Final[Mapping[str, str]] = MappingProxyType(
    {
        "xuất sắc": "Excellent",
        "giỏi": "Very good",
        "khá": "Good",
        "trung bình khá": "Fairly good",
        "trung bình": "Average",
    }
)
MODES_OF_STUDY_EN: Final[Mapping[str, str]] = MappingProxyType(
    {
        "chính quy": "Full-time",
        "vừa làm vừa học": "Part-time",
        "từ xa": "Distance learning",
        "giáo dục thường xuyên": "Continuing education",
    }
)
# Each printed field's name, as the calibration page and the layout list show it.
PRINT_FIELDS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "holder_name": Text("Họ và tên", "Full name"),
        "date_of_birth": Text("Ngày sinh", "Date of birth"),
        "place_of_birth": Text("Nơi sinh", "Place of birth"),
        "gender": Text("Giới tính", "Gender"),
        "major": Text("Ngành đào tạo", "Major"),
        "classification": Text("Xếp loại", "Classification"),
        "mode_of_study": Text("Hình thức đào tạo", "Mode of study"),
        "graduation_year": Text("Năm tốt nghiệp", "Year of graduation"),
        "place_of_issue": Text("Nơi cấp", "Place of issue"),
        "issue_day": Text("Ngày cấp", "Day of issue"),
        "issue_month": Text("Tháng cấp", "Month of issue"),
        "issue_year": Text("Năm cấp", "Year of issue"),
        "place_and_date_of_issue": Text("Nơi và ngày cấp", "Place and date of issue"),
        "signer_title": Text("Chức danh người ký", "Signer's title"),
        "signer_deputy_title": Text("Chức danh cấp phó ký thay", "Deputy's title"),
        "signer_name": Text("Họ tên người ký", "Signer's name"),
        "register_number": Text("Số vào sổ gốc", "Register number"),
        "serial": Text("Số hiệu", "Serial"),
        "issuer_name": Text("Đơn vị cấp", "Issuing body"),
        "qr": Text("Mã QR", "QR code"),
    }
)
PRINT_OVERFLOW: Final = Text(
    "Không in được văn bằng số hiệu {serial}: {field} quá dài cho ô in trên phôi "
    "(mẫu {layout}), kể cả khi thu nhỏ chữ. Hãy kiểm tra lại nội dung hoặc chọn mẫu phôi khác.",
    "Cannot print the diploma with serial {serial}: the {field} is too long for its box on "
    "the blank (layout {layout}), even in smaller type. Check the content or pick another layout.",
)
PRINT_QR_TOO_LARGE: Final = Text(
    "Không in được văn bằng số hiệu {serial}: mã QR (phiên bản {version}) lớn hơn ô dành cho "
    "mã trên phôi (mẫu {layout}) ở cỡ điểm ảnh {module} mm.",
    "Cannot print the diploma with serial {serial}: its QR code (version {version}) is larger "
    "than the blank's QR box (layout {layout}) at {module} mm a module.",
)
PRINT_BLANK_OVERFLOW: Final = Text(
    "Mẫu phôi {layout}: tên đơn vị quá dài cho ô in trên văn bằng.",
    "Layout {layout}: the issuer's name is too long for its box on the diploma.",
)
PRINT_NO_LAYOUT: Final = Text(
    "Mẫu phôi {layout} không dùng cho loại văn bằng này.",
    "The layout {layout} is not for this kind of diploma.",
)
CALIBRATION_TITLE: Final = "Trang căn chỉnh máy in - mẫu {layout}"
CALIBRATION_STEPS: Final = (
    "In trang này bằng máy in và khay giấy sẽ dùng để in văn bằng, trên giấy trắng cùng khổ "
    'với phôi, tỉ lệ 100% (không chọn "vừa trang").\n'
    "1. Đo bằng thước từ mép trái tờ giấy đến tâm dấu chữ thập (20; 20), rồi từ mép trên. "
    "Nếu đo được 21,5 mm và 19 mm thì độ lệch là x = 20 - 21,5 = -1,5 mm và y = 20 - 19 = 1 mm.\n"
    "2. Đo khoảng cách giữa hai dấu chữ thập trên cùng (thiết kế {span} mm); tỉ lệ = "
    "{span} chia cho số đo được.\n"
    "3. Nhập độ lệch và tỉ lệ ở trang Căn chỉnh máy in, in lại trang này: các dấu phải rơi "
    "đúng vạch thước. Đặt trang lên phôi, soi trước ánh sáng: mỗi ô phải nằm đúng chỗ trống."
)
CALIBRATION_NOW: Final = "Đang áp dụng: lệch ngang {x} mm, lệch dọc {y} mm, tỉ lệ {scale}"
PRINT_DIPLOMA_TITLE: Final = "Văn bằng số hiệu {serial}"
PRINT_DECISION_TITLE: Final = "In lên phôi - quyết định {number}"
PRINT_DOCUMENT_CHOICES: Final = Text(
    "Chọn blank (in lên phôi), check (phiếu kiểm tra) hoặc preview (xem trước)",
    "One of blank (onto the blank form), check (the check sheet) or preview",
)
PRINT_LAYOUT_UNKNOWN: Final = Text(
    "Không có mẫu phôi này; các mẫu: {names}", "No such layout; the layouts: {names}"
)

# The digital diploma (văn bằng số, service/digital/; docs/digital-diplomas.md).
DIGITAL_TITLE: Final = "Văn bằng số {serial}"
DIGITAL_NOTE: Final = (
    "Văn bằng số, có chữ ký số của {issuer}. Kiểm tra: quét mã QR, hoặc mở tệp bằng trình "
    "đọc PDF để xem chữ ký số; bản ghi sổ gốc đã ký được đính kèm trong tệp."
)
DIGITAL_RECORD: Final = "Bản ghi sổ gốc đã ký (COSE_Sign1) của văn bằng số hiệu {serial}"
DIGITAL_PROOF: Final = (
    "Bằng chứng ngoại tuyến (c2sp.org/tlog-proof@v1) rằng phiên bản {version} của văn bằng "
    "số hiệu {serial} có trong nhật ký phát hành"
)
DIGITAL_CORRECTED: Final = (
    "Bản ghi sổ gốc đã ký sau lần chỉnh sửa thứ {version} của văn bằng số hiệu {serial}"
)
NO_DIGITAL_DIPLOMAS: Final = Text(
    "Văn bằng của quyết định này cấp theo {regulation}, quy định không có văn bằng số.",
    "The diplomas of this decision are issued under {regulation}, which has no digital diplomas.",
)
NO_DOC_SIGNER: Final = Text(
    "Chưa có chứng thư số của đơn vị {issuer} để ký văn bằng số (docs/digital-diplomas.md).",
    "No organisation certificate of {issuer} to sign digital diplomas with "
    "(docs/digital-diplomas.md).",
)
DIGITAL_NOT_MADE: Final = Text(
    "Văn bằng số của văn bằng này chưa được tạo.",
    "This diploma's digital diploma has not been made yet.",
)
DIGITAL_JOB_FAILED: Final = Text(
    "Không tạo được văn bằng số; các văn bằng số đã tạo được giữ lại, chạy lại sẽ làm tiếp.",
    "The digital diplomas could not all be made; those made are kept, and a new run goes on.",
)

# Backups and restores (`vanbang backup`, `vanbang restore`, docs/operations.md) -------------

# `major` and `version` are the database server's; `dirs` where the tools were looked for.
PG_TOOLS_MISSING: Final = Text(
    "Không tìm thấy pg_dump và pg_restore của PostgreSQL {major} (máy chủ cơ sở dữ liệu chạy "
    "{version}). Hãy cài gói client PostgreSQL {major}, hoặc chỉ thư mục của chúng bằng "
    "--pg-bin. Đã tìm trong: {dirs}.",
    "No pg_dump and pg_restore of PostgreSQL {major} found (the database server runs "
    "{version}). Install the PostgreSQL {major} client, or name their directory with "
    "--pg-bin. Looked in: {dirs}.",
)
BACKUP_FILE_EXISTS: Final = Text(
    "Tệp {file} đã có: bản sao lưu không bao giờ ghi đè lên một tệp.",
    "{file} already exists: a backup never overwrites a file.",
)
BACKUP_FAILED: Final = Text(
    "Sao lưu thất bại, không tệp nào được ghi: {error}",
    "The backup failed and wrote no file: {error}",
)
# `leaves` and `root` are the issuance log's latest checkpoint at the time of the backup.
BACKUP_DONE: Final = Text(
    "Đã sao lưu vào {file} ({size} byte, PostgreSQL {major}). Sổ nhật ký phát hành: {leaves} "
    "mục, gốc {root}.",
    "Backed up to {file} ({size} bytes, PostgreSQL {major}). The issuance log: {leaves} "
    "leaves, root {root}.",
)
BACKUP_KEYS_APART: Final = Text(
    "Các khóa bí mật trong {keys_dir} không nằm trong bản sao lưu này: hãy sao lưu thư mục đó "
    "riêng (docs/operations.md).",
    "The private keys in {keys_dir} are not in this backup: back that directory up apart "
    "(docs/operations.md).",
)
RESTORE_UNREADABLE: Final = Text(
    "Không đọc được bản sao lưu {file}; không gì bị thay đổi: {error}",
    "Cannot read the backup {file}; nothing was changed: {error}",
)
# `objects` names a few of what the target database holds.
RESTORE_NOT_EMPTY: Final = Text(
    "Cơ sở dữ liệu đích không trống (có {objects}): chỉ khôi phục vào một cơ sở dữ liệu trống. "
    "Không gì bị thay đổi.",
    "The target database is not empty (it holds {objects}): a restore goes into an empty "
    "database only. Nothing was changed.",
)
RESTORE_FAILED: Final = Text(
    "Khôi phục thất bại và đã được hoàn tác; cơ sở dữ liệu đích vẫn trống: {error}",
    "The restore failed and was rolled back; the target database is still empty: {error}",
)
RESTORE_DONE: Final = Text(
    "Đã khôi phục {file}. Sổ nhật ký phát hành: {leaves} mục, gốc {root}. Hãy chạy "
    "`vanbang audit verify` và so gốc với điểm kiểm đã công bố.",
    "Restored {file}. The issuance log: {leaves} leaves, root {root}. Run "
    "`vanbang audit verify` and compare the root with the published checkpoint.",
)
