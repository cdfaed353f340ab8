"""kezdocs: case files and documents for collecting debts owed to the budget of the Kez district.

The map (imports point down only; `make test` enforces it with import-linter):

    cli.py                 the command line: one library call per command, errors turned into Russian messages
    cases.py, demo.py      use cases of the commands (create a case, record an event, penalty, status); the demo root
    service/               the long-running side
        sync               scan -> СТАТУС.txt -> Сводка.html -> the documents now due (watch, dashboard, demo, status)
        watcher            file-system events, the service lock, the periodic rescan
        stability          which case folders stopped changing (an injected clock)
    paperwork/             documents, packages, reports, registries and the summary page on disk
        render             DOCX from templates (docxtpl), limits on user templates, LibreOffice PDF
        package            the lawsuit package, built aside and swapped into place
        report_files, xlsx, registry, dashboard, pdftext
    folders/               reading and writing case folders
        casefolder         the root: settings, calendar, key rates, case folders and their files
        intake             what a dropped file is (guarded, bounded reads)
        scan, index        the pipeline folder -> status record, and the TinyDB index it fills
        cardfile, cardedit the one card writer (lock, compare, replace) and its comment-keeping edits
        files, locks, workers, import_journal
    core/                  the pure domain: no files, no clock, no database; `today` is passed in
        model, money, dates, encodings, errors
        card, settings, plaintext      cards and settings parsed, problems as values with file:line
        stages                         the procedure of the regulation as one table
        route                          the court route and the price of the claim
        requirements                   what each step needs (the checklists)
        ledger, penalty, keyrates, workdays
        documents, russian, payqr, reports   the content of documents and reports
"""
