"""Law as dated data: every rate, threshold, deadline and code table lives in YAML with effective dates.

A 制度改正 is a new dated value in a file under ``params/data`` (or a municipality's overlay
folder), never a code change. Usage::

    from yakuba import params
    params.get("juki.todokede_kikan_days", on=date(2026, 4, 1))  # -> 14
"""

from yakuba.params.loader import (
    NotInForce,
    ParameterError,
    ParameterSet,
    default_parameters,
    get,
    in_force,
    load,
)

__all__ = ["NotInForce", "ParameterError", "ParameterSet", "default_parameters", "get", "in_force", "load"]
