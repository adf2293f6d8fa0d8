import types

import wbgraph


def test_all_is_sorted_and_complete():
    public = {
        name
        for name, value in vars(wbgraph).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert wbgraph.__all__ == sorted(wbgraph.__all__)
    assert set(wbgraph.__all__) - {"__version__"} == public
