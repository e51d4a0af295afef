-- Partner search as people type it: English words, mid-word fragments, a rare serial number
-- (a full scan), and two-character Chinese.
-- Every scenario asks for gzip, as the browser does (the server compresses pages and JSON).
local queries = { "lotus", "green", "harb", "energy", "0012345", "%E6%B2%B3%E5%A4%A9", "%E6%9D%BE", "partner 00999" }
local cookie = os.getenv("COOKIE")
local n = 0
request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  return wrk.format("GET", "/api/v1/partners?q=" .. q:gsub(" ", "+") .. "&limit=50", { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip" })
end
