"""The locks (requirements/*.txt) agree with setup.cfg, are complete, hashed, and are what is installed.

When one of these fails after a change to setup.cfg, run ``scripts/update-lock``.
"""

from __future__ import annotations

import configparser
import importlib.metadata as md
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
PYTHONS = ("3.11", "3.12", "3.13", "3.14")  # the lock is universal for Python >= 3.11
HINT = "; run scripts/update-lock"


def parse_lock(text: str) -> list[tuple[Requirement, list[str]]]:
    """Each entry of a hashed requirements file as (requirement, its sha256 hashes)."""
    entries, logical = [], ""
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        logical += " " + line.removesuffix("\\").strip()
        if line.endswith("\\"):
            continue
        spec, *hashes = logical.split(" --hash=")
        entries.append((Requirement(spec.strip()), [h.strip() for h in hashes]))
        logical = ""
    return entries


def environment(python: str) -> dict[str, str]:
    env = default_environment()
    env.update(python_version=python, python_full_version=f"{python}.0", sys_platform="linux",
               platform_system="Linux", extra="")
    return env


def pins_for(entries, python: str) -> dict[str, str]:
    """Package -> pinned version for a Linux machine on ``python``; a package pinned twice fails."""
    pins: dict[str, str] = {}
    for req, _ in entries:
        if req.marker is None or req.marker.evaluate(environment(python)):
            name = canonicalize_name(req.name)
            assert name not in pins, f"{name} is pinned twice for Python {python}"
            (spec,) = req.specifier
            assert spec.operator == "==", f"{req} is not an exact pin{HINT}"
            pins[name] = spec.version
    return pins


def declared() -> tuple[list[Requirement], list[Requirement], list[Requirement]]:
    """setup.cfg's install_requires and test extra, and pyproject.toml's build requirements."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    lines = lambda text: [Requirement(x) for x in text.strip().splitlines() if x.strip()]  # noqa: E731
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    return (lines(cfg["options"]["install_requires"]), lines(cfg["options.extras_require"]["test"]),
            [Requirement(x) for x in build])


@pytest.fixture(scope="module")
def locks():
    return {name: parse_lock((LOCKS / f"{name}.txt").read_text()) for name in ("app", "test", "pip")}


def test_parse_lock_reads_pins_markers_and_hashes():
    text = ("# header\nfoo==1.0 ; python_full_version < '3.12' \\\n    --hash=sha256:aa \\\n"
            "    --hash=sha256:bb\n    # via bar\nbaz==2.0 \\\n    --hash=sha256:cc\n")
    (foo, foo_hashes), (baz, baz_hashes) = parse_lock(text)
    assert (foo.name, str(foo.specifier), foo_hashes) == ("foo", "==1.0", ["sha256:aa", "sha256:bb"])
    assert (baz.name, baz_hashes) == ("baz", ["sha256:cc"])
    assert pins_for([(foo, []), (baz, [])], "3.11") == {"foo": "1.0", "baz": "2.0"}
    assert pins_for([(foo, []), (baz, [])], "3.12") == {"baz": "2.0"}


@pytest.mark.parametrize("lock", ["app", "test"])
@pytest.mark.parametrize("python", PYTHONS)
def test_every_declared_requirement_is_locked_within_its_range(locks, lock, python):
    runtime, test_extra, build = declared()
    (pip,) = [Requirement(x) for x in (LOCKS / "pip.in").read_text().splitlines() if x.strip() and x[0] != "#"]
    assert pip.specifier.contains(pins_for(locks["pip"], python)["pip"]), f"requirements/pip.txt is not {pip}{HINT}"
    wanted = runtime + build + (test_extra if lock == "test" else [])
    pins = pins_for(locks[lock], python)
    for req in wanted:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req} from setup.cfg is missing from requirements/{lock}.txt{HINT}"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"requirements/{lock}.txt pins {name}=={pins[name]}, outside setup.cfg's '{req}'{HINT}")


@pytest.mark.parametrize("lock", ["app", "test", "pip"])
def test_every_entry_has_hashes(locks, lock):
    for req, hashes in locks[lock]:
        assert hashes and all(h.startswith("sha256:") and len(h) == 71 for h in hashes), (
            f"{req} in requirements/{lock}.txt has no sha256 hash{HINT}")


def test_app_lock_is_the_test_lock_without_the_test_tools(locks):
    for python in PYTHONS:
        app, test = pins_for(locks["app"], python), pins_for(locks["test"], python)
        differ = {n: (v, test.get(n)) for n, v in app.items() if test.get(n) != v}
        assert not differ, f"app and test locks disagree for Python {python}: {differ}{HINT}"


def test_nothing_the_installed_packages_require_is_missing_from_the_lock(locks):
    """The lock is closed: every dependency of every locked package (as its metadata declares it)
    is pinned too, at a version the dependency's range admits."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    for lock, entries in locks.items():
        if lock == "pip":
            continue
        pins = pins_for(entries, python)
        for name in pins:
            for text in md.requires(name) or []:
                dep = Requirement(text)
                if dep.marker is not None and not dep.marker.evaluate({"extra": ""}):
                    continue  # an optional extra, or another platform
                dep_name = canonicalize_name(dep.name)
                assert dep_name in pins, f"{name} requires {dep}, missing from requirements/{lock}.txt{HINT}"
                assert dep.specifier.contains(pins[dep_name], prereleases=True), (
                    f"{name} requires {dep}; requirements/{lock}.txt pins {dep_name}=={pins[dep_name]}{HINT}")


def test_the_environment_is_the_lock(locks):
    """What runs the tests is what the lock says (scripts/setup-env reinstalls when the lock changes)."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    for name, version in {**pins_for(locks["test"], python), **pins_for(locks["pip"], python)}.items():
        assert md.version(name) == version, (
            f"{name} {md.version(name)} is installed but the lock says {version}; run scripts/setup-env --test")
