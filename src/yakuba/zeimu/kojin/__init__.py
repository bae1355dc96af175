"""個人住民税（市町村民税・道府県民税）: 地方税法 第3章第1節（市町村民税）・第2章第1節（道府県民税）.

The municipality assesses both levels on the 賦課期日 (1 January) from the previous year's income and
collects them together with the national 森林環境税. This folder holds the assessment engine — the
formula chain of tax-rules.md §1.2, vectorised over a whole municipality with NumPy and answering a
one-person simulation through the same code (:mod:`.engine`) —, the collection schedules
(:mod:`.choshu`), the notices (:mod:`.forms`) and the API. Others use it through :mod:`.public`.
"""
