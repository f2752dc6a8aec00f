"""User roles and unit kinds, each with its Vietnamese label in one place."""

CLERK = "clerk"
APPROVER = "approver"
RECORDS = "records"
UNIT_REPORTER = "unit_reporter"
ADMIN = "admin"

ROLE_LABELS = {
    CLERK: "Chuyên viên",
    APPROVER: "Lãnh đạo duyệt",
    RECORDS: "Văn thư",
    UNIT_REPORTER: "Cán bộ đơn vị báo cáo",
    ADMIN: "Quản trị hệ thống",
}

# The office itself; an internal department; a subordinate committee; an outside body that only receives documents.
UNIT_OFFICE = "office"
UNIT_DEPARTMENT = "department"
UNIT_SUBORDINATE = "subordinate"
UNIT_EXTERNAL = "external"

UNIT_KIND_LABELS = {
    UNIT_OFFICE: "Cơ quan ban hành",
    UNIT_DEPARTMENT: "Ban chuyên môn",
    UNIT_SUBORDINATE: "Ủy ban cấp dưới",
    UNIT_EXTERNAL: "Cơ quan bên ngoài (chỉ nhận văn bản)",
}
