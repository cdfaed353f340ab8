"""kezdocs: case files and documents for collecting debts owed to the budget of the Kez district.

The map (imports point down only; `make test` enforces it with import-linter):

    cli.py, console.py     the command line: one library call per command; the rich printers
    clickru.py             click's own messages in Russian (usage, errors, help)
    web/                   the web workspace (`kezdocs serve`): Flask on waitress, the watcher in the same process
        server, workspace  the server and its one root; every case's status in memory, kept by the watcher
        app, access        configuration, CSRF, errors in Russian; sign-in and the role's permissions
        pages, caselist    the list of cases (search, filter, sort, pages), a case, its files
        actions, eventform, editform, reports   the forms that write, each through the CLI's library function
    cases.py, demo.py      use cases of the commands (create a case, record an event, status, documents); the demo root
    penalties.py           the `penalty` command: a case's penalty, or a one-off calculation from the options
    service/               the long-running side
        sync               scan -> СТАТУС.txt -> Сводка.html -> the documents now due (watch, dashboard, demo, status)
        watcher            the watch service: events, the periodic rescan, the documents due on a change
        watch_events, watch_settings, watch_log, service_lock   which case an event concerns; settings; log; one per root
        stability          which case folders stopped changing (an injected clock)
        ocr_worker         OCR behind the scan: the files waiting for their text, one at a time
    paperwork/             documents, packages, reports, registries and the summary page on disk
        render             one case's or every case's documents; generated (names, manifest)
        template_sources, sandbox, template_check   built-in and user templates, the limits on user templates
        libreoffice        DOCX -> PDF in one headless call, inside the root
        package, package_files   the lawsuit package, built aside and swapped into place
        efiling            what «Мой арбитр» and ГАС «Правосудие» accept, and the package's check of itself
        registry, registry_csv, registry_read, registry_plan, registry_import, registry_export
                           the registry of debtors: columns, strict CSV, rows, the plan, the journalled import, export
        report_files, xlsx, dashboard, pdftext
    folders/               reading and writing case folders
        casefolder         the root: settings, calendar, key rates, its case folders; casefiles: a case folder's
                           files (names made safe, path limits) and their fingerprint
        intake, archives   what a dropped file is (guarded, bounded reads; a DOCX/zip within its budgets)
        ocr, barcodes      the text of scans and photos (Tesseract, cached by content); the ШПИ in their barcodes
        scanpages          a scan's pages as images for Tesseract (a PDF page's own JPEG, or rendered by gs)
        duplicates         the same content twice, in a case or in two (hashes cached by size and time)
        scan, index        the pipeline folder -> CaseStatus, and the TinyDB index that stores it
        cardfile, cardedit the one card writer (lock, compare, replace, the version a form was built from)
                           and its comment-keeping edits; cardchange: the card's common fields as a form edits them
        files, locks, workers, import_journal   (files.drop_file: an upload, as if dropped into the folder)
        audit, users       the audit log of the workspace; its accounts (argon2 hashes) in the root
    core/                  the pure domain: no files, no clock, no database; `today` is passed in
        model, money, dates, encodings, errors, names
        status             the typed case status (CaseStatus) the scan produces and the index stores
        card, cardbasis, cardfields, newcard, settings, plaintext   cards (cardbasis: the «основание» section)
                           and settings, problems as values with file:line; newcase: the fields of a new case
        eventrules         what each event needs (ШПИ with its check digit, result, ground) and when it is refused
        roles              who may do what in the web workspace
        stages             the procedure of the regulation as one table
        route              the court route and the price of the claim
        basis_kinds        what the basis is (a code) and the law a claim on it cites; claimlaw: the
                           lawsuit's legal sentences (to the day of payment, the cancelled order)
        writeoff           the closed list of write-off grounds (БК РФ ст. 47.2 п. 1)
        requirements       what each step needs (the checklists); classification: what a file's name says it is;
                           filekinds: the kinds of files and the card's «файлы» that fix one; delivery: the
                           delivery date a notice gives, as a suggestion to record
        ledger, penalty, keyrates, workdays
        documents, parties, kinds, facts, courts, attachments, missing, variables, samples, russian, payqr
                           the content of documents
        reports, tables    the content of reports
        efiling            what the courts' e-filing portals accept (Приказы № 251, № 252): size, names, scans
"""
