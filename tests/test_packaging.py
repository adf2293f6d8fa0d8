"""A non-editable install finds the ontology, graph and queries from any working directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from .conftest import REPO


def test_wheel_ships_data_and_works_from_anywhere(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
    )
    (wheel,) = wheels.glob("wbgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("wbgraph/data/ontology/wbgraph.ttl", "wbgraph/data/ontology/shapes.ttl",
                     "wbgraph/data/graph/actors.ttl", "wbgraph/cli.py"):
        assert required in names
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import wbgraph, wbgraph.resources as r; "
        "print(r.data_dir('graph')); "
        "print(wbgraph.validate().ok)"
    )
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0].startswith(str(site)), out
    assert out[1] == "True"
