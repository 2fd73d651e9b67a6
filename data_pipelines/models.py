"""The model graph of the build: every table the app or another model reads, declared once.

A model is one SQL file under ``sql/`` (its header declares it) or one Python function registered with
:func:`python_model`. Each declares its dependencies, its grain (the key that must be unique), its
not-null columns, its relationships to other tables and how it is materialised. The build runs the models
in topological order (``graphlib``) and then asserts every grain, not-null column and relationship
from the same declarations, as dbt's ``unique``/``not_null``/``relationships`` tests do.

SQL header, in ``--`` comment lines before the query::

    -- Free text: what one row is.
    -- materialized: table | view | temp  (temp: a table of the build's connection only)
    -- depends_on: stg_outlets, ref_branches
    -- grain: year, outlet_id
    -- not_null: nis_code
    -- relationships: nis_code -> ref_municipalities.nis_code
    -- incremental: year = {year}

``incremental`` says what adding one inventory year (``build --add-year``) does to a model whose inputs
changed: ``append`` (a staging model: its query over the new delivery alone gives exactly the new rows)
or a predicate on the model's columns, ``{year}`` being the added year, that holds for every row the
new year can change (those rows are deleted and recomputed; the others are kept as they are). A model
without it is recomputed whole (the small dimensions); a model none of whose inputs changed is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb

from data_pipelines.errors import BuildError

SQL_DIR = Path(__file__).parent / "sql"

#: Tables and views the load phase makes before any model runs (reference data, validated exports).
SOURCES: frozenset[str] = frozenset({
    "ref_municipalities", "ref_provinces", "ref_postal_codes", "ref_mergers", "ref_nis_map", "ref_branch_groups",
    "ref_branches", "ref_municipality_boundaries", "ref_chain_formulas", "chain_rules", "area_geometry",
    "valid_outlets", "valid_areas", "valid_counting_points", "valid_footfall", "valid_population", "valid_formulas",
    "rejects",
})

MATERIALIZATIONS = ("table", "view", "temp")

#: A Python model: with ``year`` None it creates its table; with a year it inserts that year's rows.
PythonRun = Callable[[duckdb.DuckDBPyConnection, "int | None"], None]

#: The sources a delivery of one added year changes (``build --add-year``): the rest are the base build's.
ADDED_YEAR_SOURCES: frozenset[str] = frozenset({
    "valid_outlets", "valid_counting_points", "valid_footfall", "valid_population", "chain_rules",
    "ref_chain_formulas",
})


@dataclass(frozen=True)
class Relationship:
    """Every non-null ``column`` of the model is a ``key`` of table ``to``."""

    column: str
    to: str
    key: str

    def __str__(self) -> str:
        return f"{self.column} -> {self.to}.{self.key}"


@dataclass(frozen=True)
class Model:
    """One node of the build graph."""

    name: str
    depends_on: tuple[str, ...]
    grain: tuple[str, ...]
    materialized: str = "table"
    not_null: tuple[str, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    description: str = ""
    sql: str | None = None  # the query (SQL models)
    run: PythonRun | None = field(default=None, compare=False)  # creates the table ``name`` (Python models)
    path: str = ""  # where it is declared, for messages
    incremental: str | None = None  # 'append', a predicate with {year}, or None (see the module's docstring)

    @property
    def kind(self) -> str:
        """``sql`` or ``python``."""
        return "sql" if self.sql is not None else "python"


_PYTHON_MODELS: dict[str, Model] = {}


def python_model(name: str, depends_on: Iterable[str], grain: Iterable[str], not_null: Iterable[str] = (),
                 relationships: Iterable[str] = (), materialized: str = "table",
                 description: str = "", incremental: str | None = None) -> Callable[[PythonRun], PythonRun]:
    """Register a Python function that creates the table ``name`` from its dependencies."""

    def register(fn: PythonRun) -> PythonRun:
        _PYTHON_MODELS[name] = Model(
            name=name, depends_on=tuple(depends_on), grain=tuple(grain), materialized=materialized,
            not_null=tuple(not_null), relationships=tuple(parse_relationship(r, name) for r in relationships),
            description=description or (fn.__doc__ or "").strip().splitlines()[0], run=fn,
            path=f"{fn.__module__}.{fn.__qualname__}", incremental=incremental,
        )
        return fn

    return register


def parse_relationship(text: str, where: str) -> Relationship:
    """Read ``column -> table.key``."""
    match = re.fullmatch(r"\s*(\w+)\s*->\s*(\w+)\.(\w+)\s*", text)
    if match is None:
        raise BuildError(f"{where}: relatie '{text}' is niet van de vorm 'kolom -> tabel.kolom'")
    return Relationship(*match.groups())


def _names(value: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in value.split(",") if n.strip())


def parse_sql_model(path: Path) -> Model:
    """Read a model from its SQL file: the header comments declare it, the rest is its query."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    about: list[str] = []
    lines = text.splitlines()
    body_start = 0
    for number, line in enumerate(lines):
        if not line.startswith("--"):
            body_start = number
            break
        content = line[2:].strip()
        key, sep, value = content.partition(":")
        if sep and key.strip() in ("materialized", "depends_on", "grain", "not_null", "relationships",
                                                          "incremental"):
            header[key.strip()] = value.strip()
        else:
            about.append(content)
    where = f"{path.parent.name}/{path.name}"
    for required in ("materialized", "depends_on", "grain"):
        if required not in header:
            raise BuildError(f"{where}: kop '-- {required}:' ontbreekt")
    if header["materialized"] not in MATERIALIZATIONS:
        raise BuildError(f"{where}: materialized '{header['materialized']}' is niet een van {MATERIALIZATIONS}")
    relationships = tuple(parse_relationship(r, where) for r in header.get("relationships", "").split(",")
                          if r.strip())
    return Model(
        name=path.stem, depends_on=_names(header["depends_on"]), grain=_names(header["grain"]),
        materialized=header["materialized"], not_null=_names(header.get("not_null", "")),
        relationships=relationships, description=" ".join(about),
        sql="\n".join(lines[body_start:]).strip().rstrip(";"), path=where,
        incremental=header.get("incremental") or None,
    )


def registry() -> dict[str, Model]:
    """Return every model by name: the SQL files under ``sql/`` and the registered Python models."""
    import data_pipelines.python_models  # noqa: F401  (registers the Python models)

    models: dict[str, Model] = {}
    for path in sorted(SQL_DIR.rglob("*.sql")):
        model = parse_sql_model(path)
        if model.name in models:
            raise BuildError(f"{model.path}: model {model.name} staat twee keer in sql/")
        models[model.name] = model
    for name, model in _PYTHON_MODELS.items():
        if name in models:
            raise BuildError(f"{model.path}: model {name} bestaat ook als {models[name].path}")
        models[name] = model
    check_declarations(models)
    return models


def check_declarations(models: dict[str, Model]) -> None:
    """Fail on a dependency that is no model or source, or a table a query reads without declaring it."""
    known = SOURCES | set(models)
    for model in models.values():
        for dep in model.depends_on:
            if dep not in known:
                raise BuildError(f"{model.path}: afhankelijkheid '{dep}' is geen model en geen bron")
        if model.sql is not None:
            read = {n for n in known if re.search(rf"\b{n}\b", _without_comments(model.sql))} - {model.name}
            missing = sorted(read - set(model.depends_on))
            if missing:
                raise BuildError(f"{model.path}: leest {', '.join(missing)} zonder het in depends_on te noemen")
        for rel in model.relationships:
            if rel.to not in known:
                raise BuildError(f"{model.path}: relatie naar onbekende tabel {rel.to}")


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def order(models: dict[str, Model]) -> list[str]:
    """Return the model names in an order where every model comes after its dependencies."""
    graph = {name: [d for d in m.depends_on if d in models] for name, m in models.items()}
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise BuildError(f"kringloop in de modellen: {' -> '.join(exc.args[1])}") from exc


def run_model(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Create the model's table or view."""
    if model.run is not None:
        model.run(con, None)
        return
    # A temporary model is a table of this build's connection. As a view its readers would take only the
    # columns they need (1.3 s less CPU at demo scale), but the x4 build then ran out of DuckDB's 1 GB in the
    # assertions, and the grain test over the view needs more memory than over a table (at demo scale the
    # table passes in 40 MB, the view does not).
    create = {"table": "table", "view": "view", "temp": "temp table"}[model.materialized]
    con.execute(f"create or replace {create} {model.name} as\n{model.sql}")


def add_year_to_model(con: duckdb.DuckDBPyConnection, model: Model, year: int) -> str | None:
    """Bring a model of the base build up to date with an added inventory ``year`` (see ``incremental``).

    Returns the rows it changed, as a relation the assertions can read, or None when it was made anew.
    """
    if model.incremental is None:
        run_model(con, model)
        return None
    if model.incremental == "append":
        if model.sql is None or model.materialized != "table":
            raise BuildError(f"{model.path}: 'incremental: append' kan alleen bij een SQL-model met een tabel")
        con.execute(f"create or replace temp table added_{model.name} as\n{model.sql}")
        con.execute(f"insert into {model.name} by name select * from added_{model.name}")
        return f"added_{model.name}"
    where = model.incremental.format(year=int(year))
    if model.materialized == "temp" and model.sql is not None:
        # A temporary model lives only in this build: it holds just the rows the later models recompute.
        con.execute(f"create or replace temp table {model.name} as select * from (\n{model.sql}\n) where {where}")
        return None
    con.execute(f"delete from {model.name} where {where}")
    if model.run is not None:
        model.run(con, int(year))
    else:
        con.execute(f"insert into {model.name} by name select * from (\n{model.sql}\n) where {where}")
    return f"(select * from {model.name} where {where})"


def _example(con: duckdb.DuckDBPyConnection, sql: str) -> tuple | None:
    row = con.execute(sql).fetchone()
    return tuple(row) if row is not None else None


def assert_model(con: duckdb.DuckDBPyConnection, model: Model, changed: str | None = None) -> None:
    """Assert the model's grain, not-null columns and relationships; fail naming model, key and a row.

    ``changed`` (a relation of the model's rows) limits the tests to those rows, and the grain to the keys
    they hold: the other rows passed them in the build that wrote them.
    """
    key = ", ".join(f'"{c}"' for c in model.grain)
    rows = model.name if changed is None else changed
    source = f"{model.name} as m"
    if changed is not None:
        on = " and ".join(f'm."{c}" = c."{c}"' for c in model.grain)
        source += f" semi join (select {key} from {changed}) as c on {on}"
    cols = ", ".join(f'm."{c}"' for c in model.grain)
    # Equal keys have equal hashes: counting distinct hashes (one 64-bit value per row) shows there is no
    # repeated key for a fraction of grouping by the key's columns; the key itself is looked at only if not.
    hashes = con.execute(f"select count(*) - count(distinct hash({cols})) from {source}").fetchall()[0][0]
    row = None if hashes == 0 else _example(
        con, f"select {cols}, count(*) from {source} group by all having count(*) > 1 limit 1")
    if row is not None:
        raise BuildError(f"model {model.name}: sleutel ({', '.join(model.grain)}) is niet uniek: "
                         f"{row[:-1]!r} komt {row[-1]} keer voor ({model.path})")
    required = list(dict.fromkeys((*model.grain, *model.not_null)))
    # One pass tells which columns have an empty value; the first of those is reported with an example row.
    empty = con.execute("select " + ", ".join(f'bool_or("{c}" is null)' for c in required) + f" from {rows}"
                        ).fetchall()[0]
    for column in (c for c, has_empty in zip(required, empty, strict=True) if has_empty):
        row = _example(con, f"select {key} from {rows} where \"{column}\" is null limit 1")
        raise BuildError(f"model {model.name}: kolom {column} is leeg in de rij met sleutel "
                         f"({', '.join(model.grain)}) = {row!r} ({model.path})")
    for rel in model.relationships:
        row = _example(con, f'select {key}, "{rel.column}" from {rows} as m where "{rel.column}" is not null '
                            f'and not exists (select 1 from {rel.to} as t where t."{rel.key}" = m."{rel.column}") '
                            "limit 1")
        if row is not None:
            raise BuildError(f"model {model.name}: {rel.column} = {row[-1]!r} staat niet in {rel.to}.{rel.key} "
                             f"(rij met sleutel ({', '.join(model.grain)}) = {row[:-1]!r}; {model.path})")


def run_all(con: duckdb.DuckDBPyConnection, models: dict[str, Model],
            echo: Callable[[str], None] | None = None, add_year: int | None = None) -> list[str]:
    """Run every model in dependency order, then test them all; return the models that ran.

    With ``add_year``, the database holds a base build and the ``valid_*`` sources only the delivery of that
    year: a model none of whose inputs changed is kept, the others are brought up to date (see
    :func:`add_year_to_model`) and tested on the rows they changed.
    """
    changed = set(ADDED_YEAR_SOURCES)
    ran: dict[str, str | None] = {}
    for name in order(models):
        model = models[name]
        if add_year is None:
            run_model(con, model)
            ran[name] = None
        elif changed.intersection(model.depends_on):
            ran[name] = add_year_to_model(con, model, add_year)
            changed.add(name)
        else:
            continue
        if echo is not None:
            count = con.execute(f"select count(*) from {name}").fetchall()[0][0]
            echo(f"{name}: {count:,}".replace(",", "."))
    for name, rows in ran.items():
        assert_model(con, models[name], rows)
    return list(ran)


def graph_lines(models: dict[str, Model]) -> list[str]:
    """Return the graph for a person: one line per model in build order with its materialisation and grain."""
    out = []
    for name in order(models):
        m = models[name]
        out.append(f"{name} [{m.materialized}, {m.kind}] grain ({', '.join(m.grain)})")
        out.append(f"    <- {', '.join(m.depends_on)}")
    return out


def graph_dot(models: dict[str, Model]) -> str:
    """Return the graph in Graphviz dot: sources as grey boxes, tables as boxes, views and temporaries as ellipses."""
    shapes = {"table": "box", "view": "ellipse", "temp": "ellipse"}
    lines = ["digraph models {", "  rankdir=LR;", '  node [fontname="sans-serif"];']
    used_sources = sorted({d for m in models.values() for d in m.depends_on if d in SOURCES})
    lines += [f'  "{s}" [shape=box, style=filled, fillcolor="#dddddd"];' for s in used_sources]
    for name in order(models):
        lines.append(f'  "{name}" [shape={shapes[models[name].materialized]}];')
    for name in order(models):
        lines += [f'  "{dep}" -> "{name}";' for dep in models[name].depends_on]
    lines.append("}")
    return "\n".join(lines)
