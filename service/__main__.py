"""`python -m service` is the `vanbang` command."""

from service.cli import main

raise SystemExit(main())
