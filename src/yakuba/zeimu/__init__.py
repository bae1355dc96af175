"""税務: the shared tax kernel of the four 標準準拠 taxes (個人住民税, 固定資産税, 軽自動車税, 法人住民税).

What every tax shares lives here once — integer-yen money with the statutory rounding
(:mod:`.money`), 年度 and 賦課期日 (:mod:`.nendo`) — and each tax is a business folder beneath it
(``kojin/`` first). Other folders use it through :mod:`yakuba.zeimu.public`.
"""
