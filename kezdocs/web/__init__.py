"""The web workspace (`kezdocs serve`): the daily work of clerks, lawyers and the finance officer in a browser.

- `server`: waitress on the root's machine, with the watch service in the same process (one writer);
- `workspace`: the root and every case's status in memory, kept current by the watcher;
- `app`: Flask, its security (CSRF, session cookie, errors in Russian) and the parts below;
- `access`: sign-in and what each role may do (`core.roles`);
- `pages`: the list of cases (`caselist`), a case, its files;
- `actions`: the forms that write (a case, an event — `eventform`, the card — `editform`, uploads, documents,
  the package), each through the library function the CLI calls;
- `reports`: Приложение 2 and 3, the inventory, the registry's export and import.
"""
