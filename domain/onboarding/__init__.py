"""Onboarding a province: units and their reporting accounts imported from a spreadsheet (.xlsx).

    sheet.read_sheet(bytes)            the rows as typed, or a refusal (not a workbook, too big, too many rows)
    checks.check_rows(rows)            a plan of what would be made, and a Vietnamese message per bad row
    job.ask(rows, plan, admin, key)    the background job that makes them (all or nothing), asked at the commit
    accounts.create_all(plan, ...)     the units and accounts, each with a one-time password (in the job)
    sealed                             the passwords sealed to the confirming administrator's browser
    template.template_bytes()          the empty workbook with the column titles, and a sheet of explanations
"""
