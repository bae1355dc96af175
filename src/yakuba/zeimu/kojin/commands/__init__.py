"""Commands of 個人住民税: 課税資料 received, assessments decided. They never commit."""
