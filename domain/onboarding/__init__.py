"""Onboarding a province: units and their reporting accounts imported from a spreadsheet (.xlsx).

    sheet.read_sheet(bytes)            the rows as typed, or a refusal (not a workbook, too big, too many rows)
    checks.check_rows(rows)            a plan of what would be made, and a Vietnamese message per bad row
    accounts.create_all(plan, admin)   the units and accounts, each with a one-time password (all or nothing)
    template.template_bytes()          the empty workbook with the column titles, and a sheet of explanations
"""
