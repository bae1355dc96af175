"""帳票 of 選挙人名簿管理 (PDF): the 選挙人名簿抄本 and the written refusal of a 閲覧 申出."""
