"""窓口画面 (server-rendered, Japanese, no CDN): login and the menu; business screens add their own."""
