"""Pure core: parsing, normalisation and conflict rules. No database, no CLI, no I/O."""
