"""One module per resource kind, each declaring the kind once (see :mod:`.kind`); :mod:`.registry` collects
them. This package imports none of its modules itself, so a record class can be imported from its kind module
without loading every other kind."""
