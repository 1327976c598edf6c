from numba_check.cli import main

raise SystemExit(main())
