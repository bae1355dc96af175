"""印鑑登録 — seal registration, a business that follows 住民記録 through its events."""
