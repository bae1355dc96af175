"""個人住民税 (市町村民税・道府県民税): the assessment engine, the 課税台帳 and collection."""
