"""Where published snapshots and the access list live: SQLite in a file by default, PostgreSQL when the
installation sets a connection (several app processes then share it).

The schema is made and kept current by Alembic's migrations (``lib/publish/migrations``), run when a store is
opened. The store URL comes from ``SURVEY_EXPLORER_STORE`` (``sqlite:///path``, ``postgresql://user@host/db``;
``postgres://`` is read as PostgreSQL), else a SQLite file in the user's data folder. Every failure to open or use
the store is one sentence (:class:`lib.errors.OptionError`) that names the store without its password.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from lib.errors import OptionError
from lib.i18n import msg, msg_n
from lib.privacy import groups as privacy
from lib.publish.snapshot import FORMAT, Snapshot

STORE_VARIABLE = "SURVEY_EXPLORER_STORE"
ROLES = ("lead", "manager")
STATUSES = ("published", "withdrawn")


def default_url() -> str:
    """``SURVEY_EXPLORER_STORE``, else a SQLite file under the user's data folder (made when first used)."""
    url = os.environ.get(STORE_VARIABLE, "").strip()
    if url:
        return url
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'survey-explorer' / 'snapshots.db'}"


def _engine_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _shown(url: str) -> str:
    from lib.read.sources import redact

    return redact(url)


@dataclass(frozen=True)
class Listed:
    """One snapshot as the store lists it."""

    id: int
    name: str
    published_at: str
    published_by: str
    status: str


@dataclass(frozen=True)
class Grant:
    """One line of the access list: an e-mail address or an identity provider's group, its role and its units."""

    principal: str
    kind: str
    role: str
    units: tuple[str, ...] = ()

    @property
    def who(self) -> str:
        """The line as written: the address, or ``group:NAME``."""
        return self.principal if self.kind == "email" else f"group:{self.principal}"


class Store:
    """A snapshot store (see the module's docstring); :meth:`open` makes one ready to use."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self._engine = None

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        store = cls(url)
        store.migrate()
        return store

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        if self._engine is None:
            import sqlalchemy as sa

            url = _engine_url(self.url)
            if not url.startswith(("sqlite:///", "postgresql+psycopg://")):
                raise OptionError(msg("The snapshot store {url} is neither sqlite:///FILE nor postgresql://USER@HOST/DB; "
                                      "give one of them.", url=_shown(self.url)))
            path = url[len("sqlite:///"):].split("?")[0] if url.startswith("sqlite:///") else None
            if url.startswith("sqlite") and (not path or path == ":memory:"):
                raise OptionError(msg("The snapshot store {url} keeps nothing; give a file, such as "
                                      "sqlite:///snapshots.db.", url=_shown(self.url)))
            if path is not None and self.url != default_url() and not Path(path).expanduser().parent.is_dir():
                raise OptionError(msg("The snapshot store's folder {folder} does not exist; check the path in the store's "
                                      "URL.", folder=str(Path(path).parent)))
            try:
                if path is not None:
                    Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
                self._engine = sa.create_engine(url, future=True)
            except Exception as exc:  # a folder that cannot be made, a URL SQLAlchemy cannot read: one sentence
                raise OptionError(msg("The snapshot store {url} cannot be opened: {why}.", url=_shown(self.url),
                                      why=type(exc).__name__)) from exc
            if self._engine.dialect.name == "sqlite":
                sa.event.listen(self._engine, "connect", lambda con, _rec: con.execute("PRAGMA foreign_keys=ON"))
        return self._engine

    def _run(self, work):  # type: ignore[no-untyped-def]
        """``work(connection)`` in one transaction; a database failure is one sentence."""
        import sqlalchemy as sa

        import warnings

        try:
            with warnings.catch_warnings():  # SQLAlchemy's warnings are not for the person at the keyboard
                warnings.simplefilter("ignore")
                with self.engine.begin() as con:
                    return work(con)
        except sa.exc.SQLAlchemyError as exc:
            raise OptionError(msg("The snapshot store {url} could not be used: {why}.", url=_shown(self.url),
                                  why=str(getattr(exc, "orig", exc)).splitlines()[0][:200])) from exc

    def migrate(self) -> None:
        """Bring the schema to the newest migration (Alembic)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))

        def upgrade(con) -> None:  # type: ignore[no-untyped-def]
            config.attributes["connection"] = con
            command.upgrade(config, "head")

        self._run(upgrade)

    def revision(self) -> str | None:
        """The schema's migration (None before the first)."""
        from alembic.runtime.migration import MigrationContext

        return self._run(lambda con: MigrationContext.configure(con).get_current_revision())

    # --- snapshots

    def publish(self, snapshot: Snapshot, by: str = "") -> int:
        """Keep ``snapshot``; its id."""
        import sqlalchemy as sa

        parts = snapshot.to_parts()
        self._check_partition(snapshot.meta)
        self._check_growth(snapshot)

        def work(con) -> int:  # type: ignore[no-untyped-def]
            new = con.execute(sa.text("INSERT INTO snapshots (name, published_at, published_by, status, format) "
                                      "VALUES (:n, :at, :by, 'published', :f) RETURNING id"),
                              {"n": snapshot.meta["name"], "at": snapshot.meta["published"], "by": by, "f": FORMAT})
            sid = int(new.scalar_one())
            con.execute(sa.text("INSERT INTO snapshot_parts (snapshot_id, part, body) VALUES (:s, :p, :b)"),
                        [{"s": sid, "p": part, "b": body} for part, body in parts.items()])
            if snapshot.cells is not None and len(snapshot.cells):
                con.execute(sa.text("INSERT INTO snapshot_cells (snapshot_id, cell_hash, cell, month, responses) "
                                    "VALUES (:s, :h, :c, :m, :n)"),
                            [{"s": sid, "h": hashlib.sha256(c.encode()).hexdigest(), "c": c, "m": m, "n": int(n)}
                             for c, m, n in snapshot.cells[["cell", "month", "responses"]].itertuples(index=False)])
            return sid

        return self._run(work)

    def _check_partition(self, meta: dict) -> None:
        """Refuse a snapshot of the same employee files as a kept one (published or withdrawn) whose responses are
        split into other groups (another organisation, mapping, roles or threshold): a viewer of both could tell
        small groups apart by the difference."""
        import sqlalchemy as sa

        digest = meta.get("employee_digest")
        if not digest:
            return
        rows = self._run(lambda con: con.execute(sa.text(
            "SELECT s.id, s.name, p.body FROM snapshots s JOIN snapshot_parts p ON p.snapshot_id = s.id "
            "WHERE p.part = 'meta'")).all())
        for sid, name, body in rows:
            other = json.loads(bytes(body))
            if other.get("employee_digest") == digest and other.get("partition") != meta.get("partition"):
                _refuse_split(sid, name)

    def _check_growth(self, snapshot: Snapshot) -> None:
        """Refuse a snapshot that shares a month with a kept one (published or withdrawn) and differs from it by 1 to
        k − 1 responses in any cell (a unit, a month and one value per segment column: every view is a union of
        whole cells), or holds a group of the same people count and place whose answers differ
        (:func:`lib.publish.views.changed_group`): an interim and a final snapshot of one survey, a file with a few
        people fewer, more or changed, whose difference would show those people's answers. A kept snapshot from
        before the cells were kept is compared in the whole and per unit (:func:`lib.publish.views.growth`)."""
        import sqlalchemy as sa

        from lib.publish.views import changed_group, growth

        mine = {} if snapshot.cells is None else {c: (m, int(n)) for c, m, n in
                                                   snapshot.cells[["cell", "month", "responses"]].itertuples(index=False)}
        for listed in self.list():
            rows = self._run(lambda con, sid=listed.id: con.execute(sa.text(
                "SELECT cell, month, responses FROM snapshot_cells WHERE snapshot_id = :s"), {"s": sid}).all())
            theirs = {c: (m, int(n)) for c, m, n in rows}
            # no month in common: another round of the survey, other people's answers; a file without dates ("") shares
            # its month with every other file without dates
            if rows and not {m for m, _n in mine.values()} & {m for m, _n in theirs.values()}:
                continue
            kept = self._load_any(listed.id)
            k = max(int(snapshot.meta.get("k", 0)), int(kept.meta.get("k", 0)), privacy.floor_threshold())
            if not rows:
                found = growth(snapshot, kept)
                if found is not None:
                    self._refuse_growth(listed, found[0] or msg("the whole organisation"), found[1], k)
                continue
            for cell in sorted(set(mine) | set(theirs)):  # every cell, a month only one of them holds too
                d = abs(mine.get(cell, ("", 0))[1] - theirs.get(cell, ("", 0))[1])
                if 0 < d < k:
                    self._refuse_growth(listed, cell_text(cell), d, k)
            changed = changed_group(snapshot, kept)
            if changed is not None:
                raise OptionError(msg("Snapshot {id} (“{name}”) holds the same number of answers in {where}, but not "
                                      "the same answers: a viewer of both would see the answers that changed. Delete "
                                      "it first if nobody has seen it.", id=listed.id, name=listed.name, where=changed))
            if mine == theirs and snapshot.meta.get("partition") != kept.meta.get("partition"):
                _refuse_split(listed.id, listed.name)

    def _refuse_growth(self, listed: Listed, where: object, n: int, k: int) -> None:
        raise OptionError(msg_n("Snapshot {id} (“{name}”) holds answers of the same months, and {where} differs "
                                "from it by {count} response: a viewer of both would see that answer. Delete it first "
                                "if nobody has seen it, or publish once the difference is at least {k}.",
                                "Snapshot {id} (“{name}”) holds answers of the same months, and {where} differs "
                                "from it by {count} responses: a viewer of both would see those answers. Delete it "
                                "first if nobody has seen it, or publish once the difference is at least {k}.",
                                n, id=listed.id, name=listed.name, where=where, k=k))

    def _load_any(self, sid: int) -> Snapshot:
        """A kept snapshot, published or withdrawn (for the checks before publishing)."""
        return Snapshot.from_parts(self._run(lambda con: _parts(con, sid)))

    def newest_units(self) -> set[str]:
        """The units of the newest published snapshot (none when nothing is published): what an access line names."""
        newest = self.list(include_withdrawn=False)[:1]
        return set(self.load(newest[0].id).meta.get("units", [])) if newest else set()

    def list(self, include_withdrawn: bool = True) -> list[Listed]:
        """Every snapshot, newest first."""
        import sqlalchemy as sa

        rows = self._run(lambda con: con.execute(sa.text(
            "SELECT id, name, published_at, published_by, status FROM snapshots ORDER BY published_at DESC, id DESC"
        )).all())
        return [Listed(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows if include_withdrawn or r[4] == "published"]

    def load(self, sid: int) -> Snapshot:
        """A published snapshot; one sentence when there is none by that id or it was withdrawn."""
        import sqlalchemy as sa

        def work(con):  # type: ignore[no-untyped-def]
            row = con.execute(sa.text("SELECT status, name FROM snapshots WHERE id = :s"), {"s": sid}).one_or_none()
            return row, _parts(con, sid)

        row, parts = self._run(work)
        if row is None or row[0] != "published":
            raise OptionError(msg("There is no published snapshot {id}; list them with python -m lib snapshots.", id=sid))
        snapshot = Snapshot.from_parts(parts)
        snapshot.meta["name"] = row[1]  # as renamed since
        return snapshot

    def _change(self, sql: str, params: dict) -> None:
        import sqlalchemy as sa

        done = self._run(lambda con: con.execute(sa.text(sql), params).rowcount)
        if not done:
            raise OptionError(msg("There is no snapshot {id}; list them with python -m lib snapshots.", id=params["s"]))

    def rename(self, sid: int, name: str) -> None:
        if not name.strip():
            raise OptionError(msg("A snapshot needs a name."))
        self._change("UPDATE snapshots SET name = :n WHERE id = :s", {"n": name.strip()[:200], "s": sid})

    def withdraw(self, sid: int) -> None:
        """Withdraw a snapshot: kept, but no viewer sees it."""
        self._change("UPDATE snapshots SET status = 'withdrawn' WHERE id = :s", {"s": sid})

    def restore(self, sid: int) -> None:
        self._change("UPDATE snapshots SET status = 'published' WHERE id = :s", {"s": sid})

    def delete(self, sid: int) -> None:
        """Delete a snapshot and everything it holds."""
        import sqlalchemy as sa

        def work(con) -> int:  # type: ignore[no-untyped-def]
            con.execute(sa.text("DELETE FROM snapshot_parts WHERE snapshot_id = :s"), {"s": sid})
            con.execute(sa.text("DELETE FROM snapshot_cells WHERE snapshot_id = :s"), {"s": sid})
            return con.execute(sa.text("DELETE FROM snapshots WHERE id = :s"), {"s": sid}).rowcount

        if not self._run(work):
            raise OptionError(msg("There is no snapshot {id}; list them with python -m lib snapshots.", id=sid))

    # --- the access list

    def grant(self, grant: Grant) -> None:
        """Add or replace a line of the access list (see :meth:`grant_all`)."""
        self.grant_all([grant])

    def grant_all(self, grants: list[Grant]) -> None:
        """Add or replace lines of the access list, all or none; refused when the list would have no lead (nobody
        could then publish or change it)."""
        import sqlalchemy as sa

        for grant in grants:
            if grant.role not in ROLES:
                raise OptionError(msg("“{role}” is not a role; use lead or manager.", role=grant.role))
            if grant.kind not in ("email", "group") or not grant.principal.strip():
                raise OptionError(msg("An access line names an e-mail address or a group, not “{who}”.",
                                      who=grant.principal))

        def work(con) -> None:  # type: ignore[no-untyped-def]
            for grant in grants:
                con.execute(sa.text("DELETE FROM access WHERE principal = :p"), {"p": _principal(grant)})
                con.execute(sa.text("INSERT INTO access (principal, kind, role, units) VALUES (:p, :k, :r, :u)"),
                            {"p": _principal(grant), "k": grant.kind, "r": grant.role,
                             "u": json.dumps(list(grant.units))})
            _keep_a_lead(con)

        self._run(work)

    def revoke(self, principal: str) -> None:
        """Remove a line; refused when it is the last lead's and other lines remain."""
        import sqlalchemy as sa

        def work(con) -> None:  # type: ignore[no-untyped-def]
            gone = con.execute(sa.text("DELETE FROM access WHERE principal IN (:p, :e)"),
                               {"p": principal.strip(), "e": principal.strip().casefold()}).rowcount
            if not gone:
                raise OptionError(msg("There is no line for {who} on the access list.", who=principal.strip()))
            _keep_a_lead(con)

        self._run(work)

    def access(self) -> list[Grant]:
        import sqlalchemy as sa

        rows = self._run(lambda con: con.execute(sa.text(
            "SELECT principal, kind, role, units FROM access ORDER BY principal")).all())
        return [Grant(r[0], r[1], r[2], tuple(json.loads(r[3]))) for r in rows]


def _parts(con, sid: int) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    rows = con.execute(sa.text("SELECT part, body FROM snapshot_parts WHERE snapshot_id = :s"), {"s": sid}).all()
    return {p: bytes(b) for p, b in rows}


def _refuse_split(sid: int, name: str) -> None:
    raise OptionError(msg("Snapshot {id} (“{name}”) holds the same employee answers split into other groups "
                          "(another organisation, mapping, roles or threshold): a viewer of both could tell "
                          "small groups apart. Publish with its choices, or delete it first.", id=sid, name=name))


def cell_text(cell: str) -> str:
    """A cell (:func:`lib.publish.snapshot.cell_key`) as a lead reads it: "Home Care (2026-03; Role: Nurse)"."""
    unit, month, segments = json.loads(cell)
    inside = "; ".join([month, *(f"{n}: {v}" for n, v in segments if v)] if month else
                       [f"{n}: {v}" for n, v in segments if v])
    return f"{unit} ({inside})" if inside else unit


def _keep_a_lead(con) -> None:  # type: ignore[no-untyped-def]
    """Inside a change of the access list: refuse it (the transaction is rolled back) when lines remain and none is a
    lead's."""
    import sqlalchemy as sa

    roles = {r[0] for r in con.execute(sa.text("SELECT role FROM access")).all()}
    if roles and "lead" not in roles:
        raise OptionError(msg("The access list would have no lead, and nobody could publish or change it; grant a "
                              "lead first, or keep one."))


def _principal(grant: Grant) -> str:
    """E-mail addresses compare without case; a group's name is kept as the identity provider writes it."""
    return grant.principal.strip().casefold() if grant.kind == "email" else grant.principal.strip()



def grant_of(who: str, role: str, units: list[str]) -> Grant:
    """An access line from the command line's or a file's words: ``group:NAME`` names an identity provider's group,
    anything else an e-mail address; a manager needs units, a lead has none."""
    who = who.strip()
    kind, principal = ("group", who[len("group:"):].strip()) if who.startswith("group:") else ("email", who)
    if kind == "email" and "@" not in principal:
        raise OptionError(msg("“{who}” is neither an e-mail address nor group:NAME.", who=who))
    units = [u.strip() for u in units if u.strip()]
    if role == "manager" and not units:
        raise OptionError(msg("A manager sees their units: give {who} at least one unit.", who=who))
    if role == "lead" and units:
        raise OptionError(msg("A lead sees every unit: give {who} no units, or make them a manager.", who=who))
    return Grant(principal, kind, role, tuple(units) if role == "manager" else ())


def grants_from_file(path: Path) -> list[Grant]:
    """Access lines from a CSV file (see :func:`grants_from_bytes`)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OptionError(msg("The access file {file} could not be read; save it as UTF-8 CSV with who, role and "
                              "units.", file=str(path))) from exc
    return grants_from_bytes(data, str(path))


#: The roles as a file may write them, in English, Swedish and Finnish, any case.
ROLE_WORDS = {"lead": "lead", "ansvarig": "lead", "vastuuhenkilö": "lead", "manager": "manager", "chef": "manager",
              "esihenkilö": "manager"}
#: First cells of a header row.
HEADER_WORDS = ("who", "email", "e-mail", "principal", "vem", "e-post", "kuka", "sähköposti")


def role_word(text: str) -> str | None:
    """``lead`` or ``manager`` for a role as written (see :data:`ROLE_WORDS`), else None."""
    return ROLE_WORDS.get(text.strip().casefold())


def grants_from_bytes(data: bytes, name: str) -> list[Grant]:
    """Access lines from CSV (who, role, units separated by "|" or ";"; a header row is skipped), all checked before
    any is kept; ``name`` names the file in a message, and a line its row in the file."""
    import csv

    unreadable = OptionError(msg("The access file {file} could not be read; save it as UTF-8 CSV with who, role and "
                                 "units.", file=name))
    for encoding in ("utf-8-sig", "cp1252"):  # Excel on Swedish or Finnish Windows saves CSV in Windows-1252
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise unreadable
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):  # not text at all
        raise unreadable

    def read(delimiter: str) -> list[tuple[int, list[str]]]:
        rows = [(i, r) for i, r in enumerate(csv.reader(text.splitlines(), delimiter=delimiter), start=1)
                if any(c.strip() for c in r)]
        if rows and rows[0][1] and rows[0][1][0].strip().casefold() in HEADER_WORDS:
            rows = rows[1:]
        return rows

    # commas between the fields and ";" between units, or ";" between the fields and "|" between units: whichever
    # reads more lines as who and a role (so that an error names the line that is wrong)
    rows = max((read(","), read(";")), key=lambda r: sum(len(x) >= 2 and role_word(x[1]) is not None for _i, x in r))
    out = []
    for i, row in rows:
        if len(row) < 2 or role_word(row[1]) is None:
            raise OptionError(msg("Row {n} of the access file {file} should be who, role (lead or manager) and units.",
                                  n=i, file=name))
        units = [u for cell in row[2:] for u in cell.split(";" if ";" in cell else "|")]
        out.append(grant_of(row[0], role_word(row[1]) or "", units))
    return out
