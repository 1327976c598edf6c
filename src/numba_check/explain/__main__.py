"""``python -m numba_check.explain > docs/errors.md``: the "Why did Numba refuse this?" page."""

from numba_check.explain.page import main

main()
