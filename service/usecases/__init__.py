"""The use cases: one module per family of actions. Every write goes through
`service.usecases.writes`; who may do what is decided in `service.usecases.access`."""
