"""`python -m verifier` is the `vanbang-verify` command."""

from verifier.cli import main

raise SystemExit(main())
