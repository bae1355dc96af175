"""印鑑登録 commands, one module per use case or family (登録申請, 照会・回答, 廃止, 印鑑登録証, 氏名等の確認,
職権抹消). Every command validates, appends to the log through :func:`yakuba.inkan.history.append` and
records events; none commits (the caller's unit of work does)."""
