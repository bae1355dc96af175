"""住民記録 異動 commands, one module per family of 届出 / 職権 (Polar: split by use case).

Every command validates, appends snapshots through ``IdoWriter`` and records events; none commits.
"""
