-- Partner search as people type it. With Q set, that one term (URL-encoded); without, a mix of
-- English words, mid-word fragments, a rare serial number and two-character Chinese.
-- Every scenario asks for gzip, as the browser does (the server compresses pages and JSON).
local mix = { "lotus", "green", "harb", "energy", "0012345", "%E6%B2%B3%E5%A4%A9", "%E6%9D%BE", "partner+00999" }
local one = os.getenv("Q")
local cookie = os.getenv("COOKIE")
local n = 0
request = function()
  n = n + 1
  local q = one or mix[(n % #mix) + 1]
  return wrk.format("GET", "/api/v1/partners?q=" .. q .. "&limit=50", { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip" })
end
