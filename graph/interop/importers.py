"""GDELT 2.0 and ICEWS event files → actorgraph's nodes, edges and edge types; merging into a folder.

``read_gdelt(paths)`` and ``read_icews(paths)`` return an :class:`Imported` (three frames in the data
folder's column layout, plus counts of what was skipped); ``write_import(imported, out, merge)`` adds it
to a data folder without duplicating an actor (same ``import_key``) or an event (same ``event_id``),
validates the result before writing and writes each file atomically.

Mapping, GDELT: actors are keyed by their CAMEO actor code (``RUSGOV`` → id ``rusgov``; GDELT's
lowercase ethnic codes such as ``ran`` become ``ethnic_ran``). A bare country code is a ``state``; a
regional code (``EUR``, ``AFR``) a ``region``; a code whose role is GOV, MIL, COP, JUD, LEG, SPY or UIS an
``institution`` affiliated to its country's state node (created when missing); MED a ``media``;
everything else (BUS, CVL, OPP, REB, EDU, REL, IGO, NGO, MNC, ethnic and religious codes...) a
``group``. CAMEO actor codes never name individual people, so GDELT imports have no ``person`` or
``official`` actors. Edge type = CAMEO event code (``cameo_173``), weight = the row's GoldsteinScale.

Mapping, ICEWS: actors are keyed by their name (``Police (Italy)`` → ``police_italy``). See
:func:`icews_kind` for the kind heuristics; institutions and officials are affiliated to their
country's state node. Edge type = CAMEO Code, weight = the row's Intensity (the Parus CAMEO scale).

Polarity of a ``cameo_*`` type is the sign of its intensity (GDELT's Goldstein and ICEWS's Parus scales
agree in sign on every code), because the data model requires hostile weights ≤ 0 and cooperative ≥ 0;
GDELT's quad class is kept in the type's ``quad_class`` column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graph.countries import by_code
from graph.interop import cameo as cameo
from graph.store.event_ids import EventIds
from graph.store.event_store import is_store
from graph.errors import ActorgraphError
from graph.store.safe_write import LOCK_FILE, write_files
from graph.progress import SILENT, Progress
from graph.store.dataset import EDGES_FILE, FILES, NODES_FILE, TYPES_FILE, load_dataset, read_raw

NODE_COLUMNS = ["id", "label", "kind", "affiliation", "aliases", "description", "import_key"]
EDGE_COLUMNS = ["source", "target", "type", "date", "weight", "note", "citation", "event_id"]
TYPE_COLUMNS = ["type", "label", "polarity", "weight", "directed", "cameo", "keywords", "quad_class",
                "weight_scale"]

GDELT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name Actor1CountryCode "
    "Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code "
    "Actor1Type2Code Actor1Type3Code Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode "
    "Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code "
    "Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode "
    "Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID Actor2Geo_Type "
    "Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat "
    "Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode "
    "ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED "
    "SOURCEURL").split()
ICEWS_REQUIRED = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
                  "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country")

#: CAMEO actor role codes (the 3-letter blocks after the country) and their readable names.
ROLE_NAMES = {
    "GOV": "government", "MIL": "military", "COP": "police", "JUD": "judiciary", "LEG": "legislature",
    "SPY": "intelligence", "UIS": "unidentified state actor", "MED": "media", "BUS": "business",
    "CVL": "civilians", "OPP": "opposition", "REB": "rebels", "EDU": "education", "REL": "religious",
    "HLH": "health", "CRM": "criminals", "LAB": "labour", "AGR": "agriculture", "ELI": "elites",
    "REF": "refugees", "UAF": "unidentified armed forces", "IGO": "intergovernmental organization",
    "NGO": "non-governmental organization", "MNC": "multinational corporation", "INS": "insurgents",
    "SEP": "separatists", "ENV": "environmental", "HRI": "human rights", "MOD": "moderate",
    "RAD": "radical", "PTY": "party", "DEV": "development", "AMN": "Amnesty International",
    "IRC": "Red Cross", "UNO": "United Nations", "NGM": "non-governmental movement", "SET": "settlers",
    "MOS": "Muslim", "CHR": "Christian", "JEW": "Jewish", "BUD": "Buddhist", "HIN": "Hindu",
    "CTH": "Catholic", "PRO": "Protestant", "ORT": "Orthodox", "SUN": "Sunni", "SHI": "Shia",
}
STATE_ROLES = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "UIS"}
#: CAMEO regional "country" codes: actors of a region, not a state.
REGION_CODES = {"AFR", "ASA", "BLK", "BAL", "CAS", "CAU", "CFR", "CRB", "EAF", "EEU", "EUR", "LAM", "MDT",
                "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WST", "AME", "NAM_R"}


@dataclass
class Imported:
    """What an importer read: frames in the data folder's layout and what it could not use."""

    source: str
    nodes: pd.DataFrame
    edges: pd.DataFrame
    types: pd.DataFrame
    rows: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass
class MergeReport:
    """What ``write_import`` changed."""

    folder: Path
    actors_added: int
    events_added: int
    types_added: int
    duplicate_events: int
    actors_total: int
    events_total: int


# ---------------------------------------------------------------- helpers

def slugify(text: str) -> str:
    """A readable id: ASCII lowercase words joined by ``_`` (``Police (Italy)`` → ``police_italy``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return slug or "actor"


def _most_common(values) -> str:
    """The most frequent value (of a list, or a Counter of values), ties broken alphabetically."""
    counts = Counter({v: n for v, n in values.items() if v}) if isinstance(values, Counter) \
        else Counter(v for v in values if v)
    if not counts:
        return ""
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)


def _title(name: str) -> str:
    return name.title() if name.isupper() else name


def _cameo_types(codes, scale: str) -> pd.DataFrame:
    """One ``cameo_<code>`` type per code, with label, polarity and default weight on ``scale``."""
    rows = []
    for code in sorted(set(codes)):
        entry = cameo.lookup(code)
        if entry is None:
            continue
        label = entry.label if entry.code == code else f"{entry.label} (CAMEO {code})"
        rows.append({"type": f"cameo_{code}", "label": label, "polarity": entry.polarity,
                     "weight": f"{entry.weight(scale):g}", "directed": "true", "cameo": code, "keywords": "",
                     "quad_class": str(entry.quad_class), "weight_scale": scale})
    return pd.DataFrame(rows, columns=TYPE_COLUMNS)


def _fit_weights(edges: pd.DataFrame, types: pd.DataFrame, skipped: dict) -> pd.DataFrame:
    """Drop events whose code is unknown; clear row weights that are not numbers, lie outside −10..10
    or contradict their type's sign (the type default applies then), counting each case."""
    known = edges["type"].isin(types["type"])
    if (~known).any():
        _count(skipped, "events with an unknown CAMEO code", (~known).sum())
        edges = edges[known]
    weight = pd.to_numeric(edges["weight"], errors="coerce")
    polarity = edges["type"].map(dict(zip(types["type"], types["polarity"])))
    bad = (weight.isna() | (weight.abs() > 10) | ((polarity == "hostile") & (weight > 0))
           | ((polarity == "cooperative") & (weight < 0)))
    bad &= edges["weight"] != ""
    if bad.any():
        _count(skipped, "row weights replaced by the type default", bad.sum())
    return edges.assign(weight=edges["weight"].where(~bad, ""))


def _state_nodes(countries: dict[str, tuple[str, str]], source: str) -> list[dict]:
    """State nodes for countries that only appear as the country of an institution or official."""
    return [{"id": node_id, "label": label, "kind": "state", "affiliation": "", "aliases": "",
             "description": f"Country, added by the {source} import for its institutions.",
             "import_key": f"{source.lower()}:{key}"}
            for key, (node_id, label) in sorted(countries.items())]


# ---------------------------------------------------------------- GDELT

_CHUNK = 100_000


def _chunks(path: Path, progress: Progress, chunk_rows: int = _CHUNK, **options):
    """``pd.read_csv`` in chunks of string columns, so a progress bar can follow a large file and a
    stream of files never needs more than one chunk in memory."""
    with progress.task(f"reading {path.name}", unit="rows") as bar:
        for chunk in pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE,
                                 encoding="utf-8", encoding_errors="replace", chunksize=chunk_rows, **options):
            bar.update(len(chunk))
            yield chunk


def gdelt_chunks(path: Path, progress: Progress = SILENT, chunk_rows: int = _CHUNK):
    """The rows of one GDELT 2.0 events file, a chunk (frame with ``GDELT_COLUMNS``) at a time."""
    try:
        for chunk in _chunks(path, progress, chunk_rows, header=None):
            if chunk.shape[1] != len(GDELT_COLUMNS):
                raise ActorgraphError(f"{path}: {chunk.shape[1]} columns, but a GDELT 2.0 events file has "
                                      f"{len(GDELT_COLUMNS)} (tab separated, no header); GDELT 1.0 files are "
                                      "not supported")
            chunk.columns = GDELT_COLUMNS
            yield chunk
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ActorgraphError(f"{path}: not a GDELT 2.0 events file ({str(exc).splitlines()[0]})") from None


def _count(skipped: dict[str, int], what: str, n: int) -> None:
    if n:
        skipped[what] = skipped.get(what, 0) + int(n)


def gdelt_events(raw: pd.DataFrame, seen, skipped: dict[str, int]) -> pd.DataFrame:
    """The rows naming both actors whose GLOBALEVENTID is not in ``seen`` (an ``EventIds``, updated)."""
    both = (raw["Actor1Code"].str.strip() != "") & (raw["Actor2Code"].str.strip() != "")
    _count(skipped, "events without both actors", (~both).sum())
    ev = raw[both]
    fresh = seen.add_new(ev["GLOBALEVENTID"].to_numpy(dtype=object))
    _count(skipped, "repeated events (same GLOBALEVENTID)", (~fresh).sum())
    return ev[fresh]


class GdeltActors:
    """The actors of GDELT events, tallied a chunk at a time; ``nodes()`` gives the same frame as a
    tally of all events at once (first appearance as Actor1 before Actor2, name counts in order)."""

    _FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "Type1Code", "Type2Code", "Type3Code")

    def __init__(self):
        self.first: tuple[dict, dict] = ({}, {})  # code -> (country, group, t1, t2, t3), per side
        self.names: tuple[dict, dict] = ({}, {})  # code -> Counter of names, per side

    def add(self, ev: pd.DataFrame) -> None:
        for n, first, names in zip(("1", "2"), self.first, self.names):
            side = ev[[f"Actor{n}{c}" for c in self._FIELDS]].set_axis(
                ["code", "name", "country", "group", "t1", "t2", "t3"], axis=1)
            side = side.assign(code=side["code"].str.strip())
            for row in side.drop_duplicates("code").itertuples(index=False):
                first.setdefault(row.code, (row.country, row.group, row.t1, row.t2, row.t3))
            named = side[side["name"] != ""]
            for (code, name), k in named.groupby(["code", "name"], sort=False).size().items():
                names.setdefault(code, Counter())[name] += int(k)

    def _names(self, code: str) -> Counter:
        merged = Counter(self.names[0].get(code, ()))
        merged.update(self.names[1].get(code, Counter()))
        return merged

    def nodes(self) -> pd.DataFrame:
        """Nodes in the data folder's layout (see the module doc for kinds, labels, affiliations)."""
        first = dict(self.first[0])
        for code, row in self.first[1].items():
            first.setdefault(code, row)
        names = {code: self._names(code) for code in first}
        table = country_table()
        country_names = {code: _title(_most_common(names[code])) for code, row in first.items() if row[0] == code}

        def country_label(cc: str) -> str:
            return table.get(cc) or country_names.get(cc) or cc

        nodes, countries = [], {}
        used_as_country = {row[0] for row in first.values()} - {""}
        for code, (cc, _group, *types) in first.items():
            roles = [r for r in types if r]
            if not cc and code in used_as_country:  # a bare country code whose CountryCode field is empty
                cc = code
            if cc and code == cc:
                kind = "region" if cc in REGION_CODES else "state"
            elif any(r in STATE_ROLES for r in roles[:1]):
                kind = "institution"
            elif "MED" in roles:
                kind = "media"
            else:
                kind = "group"
            affiliation = ""
            if kind == "institution" and cc and cc not in REGION_CODES:
                affiliation = gdelt_actor_id(cc)
                if cc not in first:
                    countries[cc] = (affiliation, country_label(cc))
            role_text = ", ".join(ROLE_NAMES.get(r, r) for r in roles)
            if kind in ("state", "region"):
                label = f"{country_label(cc)} ({code})"
            elif cc and role_text:
                label = f"{country_label(cc)} — {role_text} ({code})"
            elif role_text:
                label = f"{role_text[:1].upper()}{role_text[1:]} ({code})"
            else:
                label = f"{_title(_most_common(names[code])) or code} ({code})"
            seen = [n for n, _ in names[code].most_common(5)]
            nodes.append({"id": gdelt_actor_id(code), "label": label, "kind": kind, "affiliation": affiliation,
                          "aliases": "", "import_key": f"gdelt:{code}",
                          "description": f"GDELT actor code {code}" + (f"; named in events as {', '.join(seen)}"
                                                                       if seen else "") + "."})
        nodes += _state_nodes(countries, "GDELT")
        return pd.DataFrame(nodes, columns=NODE_COLUMNS)


def country_table() -> dict[str, str]:
    """State names by ISO alpha-3 code, from the shipped country table (``graph/data_files``)."""
    return {code: country.name for code, country in by_code().items()}


def gdelt_actor_id(code: str) -> str:
    """The node id for a CAMEO actor code: lowercase; GDELT's lowercase ethnic codes get ``ethnic_``."""
    return code.lower() if code == code.upper() else "ethnic_" + code.lower()


def gdelt_edges(ev: pd.DataFrame, skipped: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Edges (``EDGE_COLUMNS``, actors by imported id) and the ``cameo_*`` types of GDELT events."""
    code1, code2 = ev["Actor1Code"].str.strip(), ev["Actor2Code"].str.strip()
    types = _cameo_types(ev["EventCode"].str.strip(), "goldstein")
    label_of = dict(zip(types["type"], types["label"]))
    type_key = "cameo_" + ev["EventCode"].str.strip()
    day = ev["SQLDATE"].str.strip()
    date = (day.str.slice(0, 4) + "-" + day.str.slice(4, 6) + "-" + day.str.slice(6, 8)).where(
        day.str.fullmatch(r"\d{8}"), "")
    name1 = ev["Actor1Name"].map(_title).where(ev["Actor1Name"] != "", code1)
    name2 = ev["Actor2Name"].map(_title).where(ev["Actor2Name"] != "", code2)
    edges = pd.DataFrame({
        "source": code1.map(gdelt_actor_id), "target": code2.map(gdelt_actor_id), "type": type_key,
        "date": date, "weight": ev["GoldsteinScale"].str.strip(),
        "note": name1 + " (" + code1 + "): " + type_key.map(label_of).fillna("event") + " — " + name2
                + " (" + code2 + ").",
        "citation": ev["SOURCEURL"].str.strip(), "event_id": "gdelt:" + ev["GLOBALEVENTID"].str.strip(),
    }, columns=EDGE_COLUMNS)
    return _fit_weights(edges, types, skipped).reset_index(drop=True), types


def read_gdelt(paths, progress: Progress = SILENT) -> Imported:
    """Read GDELT 2.0 event exports (tab separated, 61 columns, no header; ``.zip`` works too)."""
    chunks = [chunk for path in paths for chunk in gdelt_chunks(Path(path), progress)]
    raw = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=GDELT_COLUMNS)
    skipped: dict[str, int] = {}
    ev = gdelt_events(raw, EventIds(), skipped)
    actors = GdeltActors()
    actors.add(ev)
    edges, types = gdelt_edges(ev, skipped)
    return Imported("GDELT", actors.nodes(), edges, types, rows=len(raw), skipped=skipped)


# ---------------------------------------------------------------- ICEWS

_ORG_WORDS = re.compile(
    r"\b(party|congress|council|union|ministry|bank|company|corporation|group|front|movement|association|"
    r"committee|court|agency|organi[sz]ation|forces?|army|navy|police|times|news|post|tv|television|radio|"
    r"press|university|institute|commission|conference|league|federation|alliance|assembly|parliament|"
    r"government|office|department|fund|foundation|church|brigade|militia|network|international|inc|ltd|"
    r"airlines?|nations)\b", re.IGNORECASE)
_GOV_SECTORS = ("government", "executive", "military", "police", "judicial", "legislative", "ministry",
                "army", "navy", "air force", "defense")
_MEDIA_SECTORS = ("media", "news")


def icews_kind(name: str, sectors: str, country: str, state_names: set[str]) -> str:
    """Kind of an ICEWS actor from its name and sectors (heuristics).

    - no sectors and the name is the country, the start of its official name (Russia, Russian
      Federation) or how ICEWS names that country in brackets elsewhere (Ministry (Russia)) → state;
    - a generic agent, ``Role (Country)``: media sectors → media; government, military, police,
      judicial, legislative or ministry sectors → institution; otherwise → group;
    - a named actor that looks like an organisation (Party, Ministry, Army, News, ...): media → media,
      government sectors → institution, otherwise group;
    - any other named actor is an individual: ``official`` with government sectors, else ``person``.
    """
    s = sectors.lower()
    if s in ("", "na") and (name == country or name in state_names or (len(name) > 3 and country.startswith(name))):
        return "state"
    media = any(w in s for w in _MEDIA_SECTORS)
    gov = any(w in s for w in _GOV_SECTORS)
    generic = bool(re.search(r"\([^)]*\)\s*$", name))
    if generic or _ORG_WORDS.search(name):
        if media and not gov:
            return "media"
        return "institution" if gov else "group"
    return "official" if gov else "person"


def icews_chunks(path: Path, progress: Progress = SILENT, chunk_rows: int = _CHUNK):
    """The rows of one ICEWS file, a chunk at a time (cells stripped of surrounding spaces)."""
    try:
        for chunk in _chunks(path, progress, chunk_rows):
            missing = [c for c in ICEWS_REQUIRED if c not in chunk.columns]
            if missing:
                raise ActorgraphError(f"{path}: missing ICEWS column{'s' if len(missing) > 1 else ''} "
                                      f"{', '.join(missing)}; expected a tab-separated ICEWS file with its "
                                      "header row")
            yield chunk.apply(lambda c: c.str.strip())
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ActorgraphError(f"{path}: not an ICEWS events file ({str(exc).splitlines()[0]})") from None


_NA = {"", "NA"}


def icews_events(raw: pd.DataFrame, seen, skipped: dict[str, int]) -> pd.DataFrame:
    """The rows naming both actors whose Event ID is not in ``seen`` (an ``EventIds``, updated)."""
    both = ~raw["Source Name"].isin(_NA) & ~raw["Target Name"].isin(_NA)
    _count(skipped, "events without both actors", (~both).sum())
    ev = raw[both]
    fresh = seen.add_new(ev["Event ID"].to_numpy(dtype=object))
    _count(skipped, "repeated events (same Event ID)", (~fresh).sum())
    return ev[fresh]


class IcewsActors:
    """The actors of ICEWS events, tallied a chunk at a time (first appearance as source before target)."""

    def __init__(self):
        self.first: tuple[dict, dict] = ({}, {})  # name -> (sectors, country), per side

    def add(self, ev: pd.DataFrame) -> None:
        for side, first in zip(("Source", "Target"), self.first):
            part = ev[[f"{side} Name", f"{side} Sectors", f"{side} Country"]].drop_duplicates(f"{side} Name")
            for name, sectors, country in part.itertuples(index=False):
                first.setdefault(name, (sectors, country))

    def ids(self) -> dict[str, str]:
        """Node id of each actor name: its slug, with ``_2``, ``_3``... in name order when slugs clash."""
        ids: dict[str, str] = {}
        taken: set[str] = set()
        for name in sorted(set(self.first[0]) | set(self.first[1])):
            slug = slugify(name)
            node_id, n = slug, 2
            while node_id in taken:
                node_id, n = f"{slug}_{n}", n + 1
            taken.add(node_id)
            ids[name] = node_id
        return ids

    def nodes(self) -> pd.DataFrame:
        """Nodes in the data folder's layout (kinds by :func:`icews_kind`)."""
        first = dict(self.first[0])
        for name, row in self.first[1].items():
            first.setdefault(name, row)
        actors = pd.DataFrame([(n, s, c) for n, (s, c) in first.items()], columns=["name", "sectors", "country"])
        # How ICEWS names each country inside generic agents: "Ministry (Russia)" has country "Russian Federation".
        bracket = actors["name"].str.extract(r"\(([^)]*)\)\s*$")[0]
        state_names = set(bracket.dropna()) | set(actors["country"])
        ids = self.ids()
        taken = set(ids.values())
        state_of_country = {}
        for name, sectors, country in zip(actors["name"], actors["sectors"], actors["country"]):
            if icews_kind(name, sectors, country, state_names) == "state" and country not in _NA:
                state_of_country.setdefault(country, ids[name])

        nodes, countries = [], {}
        for name, sectors, country in zip(actors["name"], actors["sectors"], actors["country"]):
            kind = icews_kind(name, sectors, country, state_names)
            affiliation = ""
            if kind in ("institution", "official") and country not in _NA:
                if country not in state_of_country:
                    state_of_country[country] = slugify(country) if slugify(country) not in taken else \
                        slugify(country) + "_state"
                    countries[country] = (state_of_country[country], country)
                affiliation = state_of_country[country]
            parts = [f"country: {country}" if country not in _NA else "",
                     f"sectors: {sectors.replace(',', ', ')}" if sectors not in _NA else ""]
            nodes.append({"id": ids[name], "label": name, "kind": kind, "affiliation": affiliation, "aliases": "",
                          "description": "ICEWS actor; " + "; ".join(p for p in parts if p) + ".",
                          "import_key": f"icews:{name}"})
        nodes += _state_nodes(countries, "ICEWS")
        return pd.DataFrame(nodes, columns=NODE_COLUMNS)


def icews_edges(ev: pd.DataFrame, ids: dict[str, str], skipped: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Edges (``EDGE_COLUMNS``, actors by ``ids``) and the ``cameo_*`` types of ICEWS events."""
    code = ev["CAMEO Code"]
    types = _cameo_types(code, "parus")
    date = ev["Event Date"].where(ev["Event Date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}"), "")
    text = ev["Event Text"] if "Event Text" in ev.columns else code
    cite = "ICEWS story " + ev["Story ID"] if "Story ID" in ev.columns else pd.Series("ICEWS", index=ev.index)
    if "Sentence Number" in ev.columns:
        cite = cite + ", sentence " + ev["Sentence Number"]
    if "Publisher" in ev.columns:
        cite = cite + " (" + ev["Publisher"] + ")"
    edges = pd.DataFrame({
        "source": ev["Source Name"].map(ids), "target": ev["Target Name"].map(ids), "type": "cameo_" + code,
        "date": date, "weight": ev["Intensity"],
        "note": ev["Source Name"] + ": " + text + " — " + ev["Target Name"] + ".",
        "citation": cite, "event_id": "icews:" + ev["Event ID"],
    }, columns=EDGE_COLUMNS)
    return _fit_weights(edges, types, skipped).reset_index(drop=True), types


def read_icews(paths, progress: Progress = SILENT) -> Imported:
    """Read ICEWS coded event files (tab separated with a header row, as in the Dataverse releases)."""
    chunks = [chunk for path in paths for chunk in icews_chunks(Path(path), progress)]
    raw = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=ICEWS_REQUIRED)
    skipped: dict[str, int] = {}
    ev = icews_events(raw, EventIds(), skipped)
    actors = IcewsActors()
    actors.add(ev)
    edges, types = icews_edges(ev, actors.ids(), skipped)
    return Imported("ICEWS", actors.nodes(), edges, types, rows=len(raw), skipped=skipped)


# ---------------------------------------------------------------- writing and merging

def _csv_bytes(frame: pd.DataFrame, header: bool) -> bytes:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, header=header, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def _existing_rows(raw: bytes | None) -> tuple[list[str], pd.DataFrame]:
    """Header and string rows of an existing file (already validated by ``load_dataset``)."""
    if not raw:
        return [], pd.DataFrame()
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    return list(frame.columns), frame


def combine_csv(raw: bytes | None, new: pd.DataFrame) -> bytes:
    """The file's bytes with ``new`` rows added: appended byte for byte when the header already has
    every column, else the file rewritten with the extra columns added at the end (values kept)."""
    header, old = _existing_rows(raw)
    if not header:
        return _csv_bytes(new, header=True)
    columns = header + [c for c in new.columns if c not in header]
    if not len(new):
        return raw
    new = new.reindex(columns=columns, fill_value="")
    if columns == header:
        body = raw if raw.endswith(b"\n") else raw + b"\n"
        return body + _csv_bytes(new, header=False)
    return _csv_bytes(pd.concat([old.reindex(columns=columns, fill_value=""), new], ignore_index=True),
                      header=True)


def merge_actors(imported: pd.DataFrame, old_nodes: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The imported actors not yet in ``old_nodes`` (same ``import_key``), with ids that do not clash
    (a suffix ``_2``, ``_3``...), and the map from every imported id to its id in the merged folder."""
    old_keys = dict(zip(old_nodes.get("import_key", pd.Series(dtype=str)), old_nodes["id"])) \
        if "import_key" in old_nodes.columns else {}
    old_keys.pop("", None)
    taken = set(old_nodes["id"])
    rename: dict[str, str] = {}
    fresh = []
    for row in imported.itertuples(index=False):
        if row.import_key in old_keys:
            rename[row.id] = old_keys[row.import_key]
            continue
        node_id, n = row.id, 2
        while node_id in taken:
            node_id, n = f"{row.id}_{n}", n + 1
        taken.add(node_id)
        rename[row.id] = node_id
        fresh.append(row)
    new_nodes = pd.DataFrame(fresh, columns=NODE_COLUMNS)
    new_nodes["id"] = new_nodes["id"].map(rename)
    new_nodes["affiliation"] = new_nodes["affiliation"].map(lambda a: rename.get(a, a))
    return new_nodes, rename


def write_import(imported: Imported, out: Path | str, merge: bool = False,
                 progress: Progress = SILENT, lock_timeout: float = 10.0) -> MergeReport:
    """Add ``imported`` to the data folder ``out`` and return what changed.

    Without ``merge`` the folder must be empty or absent. With ``merge`` an existing folder must
    validate first; actors already present (same ``import_key``) and events already present (same
    ``event_id``) are not added again, and new ids that clash with an existing actor get a suffix. The
    combined data is validated before anything is written; each file is replaced atomically (types,
    then nodes, then edges, so a crash in between leaves a folder that still validates).
    """
    out = Path(out)
    if imported.edges.empty:
        raise ActorgraphError("no event in the input names both actors; nothing was written")
    if out.exists() and not out.is_dir():
        raise ActorgraphError(f"--out {out} is a file; give a folder")
    if merge and out.is_dir():
        # Hold the editing lock so that a concurrent 'actorgraph edge add' is not lost.
        from graph.store.safe_write import locked

        with locked(out, lock_timeout):
            return _write_import(imported, out, merge, progress)
    return _write_import(imported, out, merge, progress)


def _write_import(imported: Imported, out: Path, merge: bool, progress: Progress) -> MergeReport:
    if is_store(out):
        raise ActorgraphError(f"{out} is an event store (its events are Parquet files): add --store parquet to "
                              "import into it, or convert it to CSV first (actorgraph convert --to csv)")
    if out.is_dir() and any(p.name != LOCK_FILE for p in out.iterdir()) and not merge:
        raise ActorgraphError(f"--out {out} is not empty; add --merge to add to its data or choose an empty folder")
    raw = read_raw(out)
    present = [name for name in FILES if raw[name] is not None]
    if present:
        if len(present) < len(FILES):
            missing = ", ".join(n for n in FILES if raw[n] is None)
            raise ActorgraphError(f"{out}: cannot merge into a partial data folder (missing {missing})")
        existing = load_dataset(out)
        old_nodes, old_edges, old_types = existing.nodes, existing.edges, existing.types
    else:
        old_nodes = pd.DataFrame(columns=NODE_COLUMNS + ["line"])
        old_edges = pd.DataFrame(columns=EDGE_COLUMNS)
        old_types = pd.DataFrame(columns=TYPE_COLUMNS)

    new_nodes, rename = merge_actors(imported.nodes, old_nodes)
    edges = imported.edges.assign(source=imported.edges["source"].map(rename),
                                  target=imported.edges["target"].map(rename))
    known_events = set(old_edges["event_id"]) if "event_id" in old_edges.columns else set()
    known_events.discard("")
    repeat = edges["event_id"].isin(known_events)
    edges = edges[~repeat]
    new_types = imported.types[~imported.types["type"].isin(set(old_types["type"]))]

    with progress.task("writing", total=7, unit="step") as bar:
        data = {}
        for name, new in ((TYPES_FILE, new_types), (NODES_FILE, new_nodes), (EDGES_FILE, edges)):
            data[name] = combine_csv(raw[name], new)
            bar.update(1)
        result = load_dataset(out, overrides=data)  # raises DataError, nothing written, if invalid
        bar.update(1)
        out.mkdir(parents=True, exist_ok=True)
        # Types, then nodes, then edges: a crash in between leaves a folder that still validates.
        write_files(out, {name: data[name] for name in (TYPES_FILE, NODES_FILE, EDGES_FILE)
                          if data[name] != raw[name]})
        bar.update(3)
    return MergeReport(out, actors_added=len(new_nodes), events_added=len(edges), types_added=len(new_types),
                       duplicate_events=int(repeat.sum()), actors_total=len(result.nodes),
                       events_total=len(result.edges))
