"""帳票 of 戸籍の附票: the 附票の写し and the 附票の除票の写し (utsushi.py)."""
