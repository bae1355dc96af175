"""戸籍の附票 (住民基本台帳法第3章): a 附票 per 戸籍 that follows 住民記録 through its events."""
