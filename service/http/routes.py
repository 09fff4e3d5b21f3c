"""Every route of the service, in one place."""

from __future__ import annotations

from aiohttp import web

from service.http import (
    accounts,
    assets,
    audit,
    bulk,
    console,
    console_actions,
    console_printing,
    console_search,
    custody,
    digital,
    health,
    lifecycle,
    log_view,
    metrics,
    national_export,
    pdf_check,
    personal_ids,
    printing,
    public,
    qr,
    receipts,
    register,
    registers,
    reports,
    search,
    staff,
    supervision,
    template,
    tlog,
    trust,
    verify,
)


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", health.healthz)
    app.router.add_get("/metrics", metrics.metrics)
    app.router.add_get("/readyz", health.readyz)
    app.router.add_get("/problems/{slug}", health.problem_type)
    app.router.add_get("/openapi.json", health.openapi)
    app.router.add_get("/.well-known/vanbang/trust-list", trust.trust_list)
    app.router.add_get("/", public.landing)
    app.router.add_get("/V/{token}", public.qr_page)
    app.router.add_get("/v/{token}", public.qr_page)
    app.router.add_get("/tra-cuu", public.lookup_form)
    app.router.add_post("/tra-cuu", public.lookup_form_post)
    app.router.add_get("/static/{name}", assets.static_file)
    app.router.add_post("/api/v1/lookup", public.lookup_api)
    app.router.add_get("/kiem-tra-hang-loat", bulk.page)
    app.router.add_post("/kiem-tra-hang-loat", bulk.upload)
    app.router.add_post("/api/v1/bulk-verify", bulk.api)
    app.router.add_get(pdf_check.PAGE, pdf_check.page)
    app.router.add_post(pdf_check.PAGE, pdf_check.upload)
    app.router.add_post("/api/v1/verify-pdf", pdf_check.api)
    app.router.add_get(bulk.LOOKUP_PAGE, bulk.lookup_page)
    app.router.add_post(bulk.LOOKUP_PAGE, bulk.lookup_upload)
    # The holders' personal identification numbers, to staff within scope: POSTs only, the
    # number in the body (service/http/personal_ids.py).
    app.router.add_post("/api/v1/diplomas/by-personal-id", personal_ids.api_find)
    app.router.add_post("/api/v1/diplomas/{id}/personal-id", personal_ids.api_reveal)
    app.router.add_get(personal_ids.LOOKUP_PAGE, personal_ids.lookup_page)
    app.router.add_post(personal_ids.LOOKUP_PAGE, personal_ids.lookup_post)
    app.router.add_post("/quan-ly/van-bang/{id}/dinh-danh", personal_ids.reveal_post)
    # Verification receipts (docs/verification.md, "Biên nhận kiểm tra"); the QR code printed
    # on a receipt spells its address in upper case.
    app.router.add_post("/bien-nhan", receipts.make_from_page)
    app.router.add_get("/bien-nhan/{code:[^/.]+}.pdf", receipts.pdf)
    app.router.add_get("/bien-nhan/{code:[^/.]+}", receipts.page)
    app.router.add_get("/BIEN-NHAN/{code:[^/.]+}", receipts.page)
    app.router.add_post("/api/v1/receipts", receipts.api_create)
    app.router.add_get("/api/v1/receipts/{code}", receipts.api_get)
    app.router.add_get("/api/v1/verify", verify.verify_get)
    app.router.add_post("/api/v1/verify", verify.verify_post)
    app.router.add_post("/api/v1/graduation-decisions", register.post_decision)
    app.router.add_get("/api/v1/graduation-decisions", search.list_decisions)
    app.router.add_get("/api/v1/diplomas", search.list_diplomas)
    app.router.add_get("/api/v1/graduation-decisions/{id}", register.get_decision)
    app.router.add_post("/api/v1/graduation-decisions/{id}/parts", register.post_part)
    app.router.add_get("/api/v1/jobs/{id}", register.get_job)
    app.router.add_get("/api/v1/jobs/{id}/file", qr.job_file)
    app.router.add_get("/api/v1/graduation-decisions/{id}/print.pdf", qr.decision_pdf)
    app.router.add_post("/api/v1/graduation-decisions/{id}/print-jobs", qr.decision_print_job)
    app.router.add_get("/api/v1/diplomas/{id}", register.get_diploma)
    app.router.add_get("/api/v1/diplomas/{id}/print.pdf", printing.diploma_pdf)
    app.router.add_get("/api/v1/diplomas/{id}/digital.pdf", digital.diploma_pdf)
    app.router.add_post("/api/v1/graduation-decisions/{id}/digital-diplomas", digital.post_decision)
    app.router.add_post("/quan-ly/quyet-dinh/{id}/van-bang-so", digital.console_decision)
    app.router.add_get("/quan-ly/van-bang/{id}/van-bang-so.pdf", digital.console_pdf)
    app.router.add_get("/api/v1/print-layouts", printing.list_layouts)
    app.router.add_get("/api/v1/issuers/{code}/printer-calibration", printing.get_calibration)
    app.router.add_put("/api/v1/issuers/{code}/printer-calibration", printing.put_calibration)
    app.router.add_get("/api/v1/issuers/{code}/calibration.pdf", printing.calibration_pdf)
    app.router.add_get("/api/v1/diplomas/{id}/qr.png", qr.diploma_png)
    app.router.add_get("/api/v1/diplomas/{id}/qr.svg", qr.diploma_svg)
    app.router.add_post("/api/v1/diplomas/{id}/revocations", lifecycle.post_revocation)
    app.router.add_post("/api/v1/diplomas/{id}/corrections", lifecycle.post_correction)
    app.router.add_post("/api/v1/diplomas/{id}/reissues", lifecycle.post_reissue)
    app.router.add_post("/api/v1/diplomas/{id}/copies", lifecycle.post_copy)
    app.router.add_get("/api/v1/diplomas/{id}/copies/{copy_id}.pdf", printing.copy_pdf)
    app.router.add_post("/api/v1/diplomas/{id}/handovers", lifecycle.post_handover)
    app.router.add_get("/api/v1/issuers/{code}/blanks", lifecycle.get_blank_report)
    app.router.add_post("/api/v1/issuers/{code}/blanks/receipts", lifecycle.post_blank_receipt)
    app.router.add_post("/api/v1/issuers/{code}/blanks/spoiled", lifecycle.post_blanks_spoiled)
    app.router.add_post(
        "/api/v1/issuers/{code}/blanks/destructions", lifecycle.post_blank_destruction
    )
    app.router.add_get("/api/v1/issuers/{code}/revocations", lifecycle.revocations_api)
    app.router.add_get("/api/v1/issuers/{code}/custody", custody.get_custody)
    app.router.add_post("/api/v1/issuers/{code}/custody-transfers", custody.post_transfer)
    app.router.add_get("/thu-hoi/{code}", lifecycle.revocations_html)
    app.router.add_get("/log/checkpoint", tlog.checkpoint)
    app.router.add_get("/log/key", tlog.key)
    app.router.add_get("/log/proof", tlog.public_proof)
    app.router.add_get("/log/proof/inclusion", tlog.inclusion)
    app.router.add_get("/log/proof/consistency", tlog.consistency)
    app.router.add_get("/log/leaves", tlog.leaves)
    # Entry bundles first: the hash tiles' {level} would match `entries` too.
    app.router.add_get("/log/tile/entries/{index:.+}", tlog.entry_bundle)
    app.router.add_get("/log/tile/{level}/{index:.+}", tlog.hash_tile)
    app.router.add_get("/api/v1/diplomas/{id}/bundle", tlog.bundle)
    app.router.add_get("/api/v1/diplomas/{id}/proof", tlog.diploma_proof)
    app.router.add_get("/api/v1/audit/issuers/{code}/register", audit.register)
    app.router.add_get("/api/v1/audit/issuers/{code}/register.csv", audit.register_csv)
    app.router.add_get("/api/v1/audit/issuers/{code}/register.xlsx", audit.register_xlsx)
    app.router.add_get("/api/v1/audit/issuers/{code}/anomalies", audit.anomalies)
    app.router.add_get("/api/v1/audit/issuers/{code}/events", audit.events)
    app.router.add_get("/api/v1/audit/journal", audit.journal)
    app.router.add_get("/api/v1/national-export", national_export.export)
    app.router.add_get("/api/v1/audit/issuers/{code}/reports/{year}", reports.api)
    app.router.add_get("/api/v1/me", accounts.me)
    app.router.add_get("/api/v1/accounts", accounts.list_accounts)
    app.router.add_post("/api/v1/accounts", accounts.create_account)
    app.router.add_get("/api/v1/accounts/{id}", accounts.get_account)
    app.router.add_post("/api/v1/accounts/{id}/disable", accounts.disable)
    app.router.add_post("/api/v1/accounts/{id}/enable", accounts.enable)
    app.router.add_post("/api/v1/accounts/{id}/reset-password", accounts.reset_password)
    # The staff pages: signing in and one's own account (docs/accounts.md).
    app.router.add_get("/dang-nhap", staff.sign_in_form)
    app.router.add_post("/dang-nhap", staff.sign_in)
    app.router.add_get("/dang-nhap/ma-xac-thuc", staff.second_factor_form)
    app.router.add_post("/dang-nhap/ma-xac-thuc", staff.second_factor)
    app.router.add_post("/dang-xuat", staff.sign_out)
    app.router.add_post("/dang-xuat/moi-thiet-bi", staff.sign_out_everywhere)
    app.router.add_get("/doi-mat-khau", staff.change_password_form)
    app.router.add_post("/doi-mat-khau", staff.change_password)
    app.router.add_get("/tai-khoan", staff.account)
    app.router.add_get("/tai-khoan/xac-thuc-hai-buoc", staff.enrol_form)
    app.router.add_post("/tai-khoan/xac-thuc-hai-buoc", staff.enrol)
    app.router.add_post("/tai-khoan/xac-thuc-hai-buoc/tat", staff.remove_second_factor)
    app.router.add_get("/tai-khoan/ma-truy-cap", staff.tokens_page)
    app.router.add_post("/tai-khoan/ma-truy-cap", staff.create_token)
    app.router.add_post("/tai-khoan/ma-truy-cap/{id}/thu-hoi", staff.revoke_token)
    # The clerk's console (docs/console.md).
    app.router.add_get("/quan-ly", console.home)
    app.router.add_get("/quan-ly/dang-ky", console.register_form)
    app.router.add_post("/quan-ly/dang-ky", console.register_upload)
    app.router.add_post("/quan-ly/dang-ky/nhap-tay", console.register_typed)
    app.router.add_get(template.PATH, template.download)
    app.router.add_get("/quan-ly/dang-ky/{id}", console.preview)
    app.router.add_post("/quan-ly/dang-ky/{id}/xac-nhan", console.confirm)
    app.router.add_post("/quan-ly/dang-ky/{id}/huy", console.cancel)
    app.router.add_get("/quan-ly/quyet-dinh", console_search.decisions)
    app.router.add_get("/quan-ly/van-bang", console_search.diplomas)
    app.router.add_get("/quan-ly/quyet-dinh/{id}", console.decision)
    app.router.add_get("/quan-ly/viec/{id}", console.job)
    app.router.add_get("/quan-ly/viec/{id}/tep", console.job_file)
    app.router.add_post("/quan-ly/quyet-dinh/{id}/in", console.decision_print)
    app.router.add_get("/quan-ly/quyet-dinh/{id}/in.pdf", console.decision_pdf)
    app.router.add_get("/quan-ly/quyet-dinh/{id}/so-goc.xlsx", console.decision_register_xlsx)
    app.router.add_get("/quan-ly/van-bang/{id}", console.diploma)
    app.router.add_get("/quan-ly/van-bang/{id}/qr.svg", console.diploma_qr_svg)
    app.router.add_get("/quan-ly/van-bang/{id}/in.pdf", console_printing.diploma_pdf)
    app.router.add_get("/quan-ly/van-bang/{id}/ban-sao/{copy_id}.pdf", console_printing.copy_pdf)
    app.router.add_get(console_printing.PAGE, console_printing.printer)
    app.router.add_post(console_printing.PAGE, console_printing.printer_post)
    app.router.add_get("/quan-ly/may-in/can-chinh.pdf", console_printing.calibration_pdf)
    app.router.add_get("/quan-ly/van-bang/{id}/qr.png", console.diploma_qr_png)
    app.router.add_get("/quan-ly/van-bang/{id}/bang-chung.json", log_view.diploma_bundle)
    app.router.add_get("/quan-ly/van-bang/{id}/bang-chung.tlog-proof", log_view.diploma_proof)
    app.router.add_get("/quan-ly/van-bang/{id}/{action}", console_actions.diploma_form)
    app.router.add_post("/quan-ly/van-bang/{id}/{action}", console_actions.diploma_post)
    app.router.add_get("/quan-ly/phoi", console_actions.blanks_page)
    app.router.add_get("/giam-sat", supervision.overview)
    app.router.add_get("/giam-sat/bat-thuong", supervision.anomalies)
    app.router.add_post("/giam-sat/bat-thuong", supervision.review)
    app.router.add_get("/giam-sat/nhat-ky", supervision.journal)
    app.router.add_get("/giam-sat/nhat-ky.csv", supervision.journal_csv)
    app.router.add_get("/giam-sat/so-goc", registers.register)
    app.router.add_get("/giam-sat/so-goc.xlsx", registers.register_xlsx)
    app.router.add_get("/giam-sat/so-goc.csv", registers.register_csv)
    # The yearly report (docs/audit.md, "Báo cáo năm").
    app.router.add_get("/giam-sat/bao-cao", reports.page)
    app.router.add_get("/giam-sat/bao-cao.xlsx", reports.xlsx)
    app.router.add_get("/giam-sat/bao-cao.pdf", reports.pdf)
    app.router.add_get("/giam-sat/nhat-ky-phat-hanh", log_view.log_page)
    app.router.add_get("/quan-ly/phoi/{action}", console_actions.blanks_form)
    app.router.add_post("/quan-ly/phoi/{action}", console_actions.blanks_post)
