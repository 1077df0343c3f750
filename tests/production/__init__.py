"""The production-mode suite (make production): see docs/development.md."""
