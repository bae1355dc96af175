"""Run by bench_kojin in the separate OpenFisca-Japan virtualenv: time its 住民税 over the same people.

    benchmarks/.venv-openfisca/bin/python benchmarks/openfisca_driver.py INPUT.npz OUTPUT.npz

Imports nothing of yakuba (that venv has only openfisca-japan). INPUT holds one int64 array per
OpenFisca input (see bench_kojin._openfisca_inputs); one person per 世帯, in the first role (親), as
``SimulationBuilder.build_default_simulation`` makes them. The build and the setting of inputs are timed
apart from the computation of 住民税所得割, 住民税均等割 and 住民税 (what is compared). Prints one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

import numpy as np


def main(source: str, target: str) -> None:
    from openfisca_core.simulation_builder import SimulationBuilder
    from openfisca_japan import CountryTaxBenefitSystem

    started = time.perf_counter()
    system = CountryTaxBenefitSystem()
    loaded = time.perf_counter() - started
    data = np.load(source)
    count = len(data["収入"])
    period = str(data["period"].item()) if "period" in data else "2026-01-01"
    t0 = time.perf_counter()
    simulation = SimulationBuilder().build_default_simulation(system, count)
    birth = np.array([dt.date(int(y), 1, 2) for y in data["誕生年"]], dtype="datetime64[D]")
    simulation.set_input("誕生年月日", "ETERNITY", birth)
    for name in ("収入", "個人事業主の必要経費", "社会保険料控除"):
        simulation.set_input(name, period, data[name].astype(float))
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    shotokuwari = simulation.calculate("住民税所得割", period)
    kintowari = simulation.calculate("住民税均等割", period)
    total = simulation.calculate("住民税", period)
    computed = time.perf_counter() - t0
    np.savez(target, shotokuwari=shotokuwari, kintowari=kintowari, total=total)
    print(
        json.dumps(
            {
                "persons": count,
                "period": period,
                "system_load_seconds": round(loaded, 3),
                "build_seconds": round(built, 3),
                "compute_seconds": round(computed, 3),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
