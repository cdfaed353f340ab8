"""kezdocs: case files and documents for collecting debts owed to the budget of the Kez district.

The core (model, money, ledger, workdays, penalty, stages, requirements, card)
is pure; the shell (casefolder, index, scan, render, watcher, cli) reads and
writes files and calls the core.
"""
