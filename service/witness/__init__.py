"""A witness of transparency logs (c2sp.org/tlog-witness): `vanbang witness serve`, a small
server a department runs with its own key and state, apart from the service."""
