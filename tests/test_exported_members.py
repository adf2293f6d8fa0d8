import types

import wbgraph


def test_all_is_sorted_and_complete():
    for name in wbgraph.__all__:  # names are imported on first use
        getattr(wbgraph, name)
    public = {
        name
        for name, value in vars(wbgraph).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert wbgraph.__all__ == sorted(wbgraph.__all__)
    assert set(wbgraph.__all__) - {"__version__", "validate"} == public - {"validate"}


def test_validate_is_the_function_even_after_its_module_is_imported():
    import wbgraph.validate as module  # noqa: F401  (sets the package attribute of that name)

    assert callable(wbgraph.validate) and wbgraph.validate.__name__ == "validate"
    assert wbgraph.validate().ok


def test_the_command_line_choices_are_the_librarys():
    from wbgraph import cli
    from wbgraph.ingest import TEMPLATES
    from wbgraph.store import BACKENDS
    from wbgraph.tables import FORMATS

    assert (cli.BACKENDS, cli.FORMATS, cli.TEMPLATES) == (BACKENDS, FORMATS, TEMPLATES)


def test_version_and_help_import_no_library_module():
    import subprocess
    import sys

    code = ("import sys; from wbgraph.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('rdflib', 'networkx', 'pyoxigraph', 'pydantic', 'matplotlib', 'numpy', 'yaml'))\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_version_is_the_installed_packages():
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("wbgraph")
    except PackageNotFoundError:
        installed = wbgraph.__version__
    assert wbgraph.__version__ == installed
